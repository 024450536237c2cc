//! The SQLite backend's [`Lookups`]: stored embeddings (little-endian f32 blobs) and NLI
//! probabilities by their keys.

use rusqlite::OptionalExtension;

use super::rows::ArticleRow;
use super::{ArchiveError, ClaimVector, Lookups, SqliteArchive, StoredArticle, VectorScope};
use crate::domain::{EarlierDrop, Probabilities};

/// Little-endian bytes of a vector.
pub(super) fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The vector of little-endian bytes (a trailing partial value is ignored).
pub(super) fn from_blob(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl Lookups for SqliteArchive {
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT vector FROM embeddings WHERE model = ?1 AND text_sha256 = ?2")
            .map_err(e)?;
        let blob: Option<Vec<u8>> = stmt
            .query_row([model, text], |r| r.get(0))
            .optional()
            .map_err(e)?;
        Ok(blob.map(|b| from_blob(&b)))
    }

    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT entailment, neutral, contradiction FROM nli
                 WHERE model = ?1 AND premise_sha256 = ?2 AND hypothesis_sha256 = ?3",
            )
            .map_err(e)?;
        stmt.query_row([model, premise, hypothesis], |r| {
            Ok(Probabilities {
                entailment: r.get::<_, f64>(0)? as f32,
                neutral: r.get::<_, f64>(1)? as f32,
                contradiction: r.get::<_, f64>(2)? as f32,
            })
        })
        .optional()
        .map_err(e)
    }

    fn claim_vectors(&self, scope: &VectorScope) -> Result<Vec<ClaimVector>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self.conn().prepare_cached(CLAIM_VECTORS).map_err(e)?;
        let rows = stmt
            .query_map([scope.model, scope.as_of, scope.from, scope.to], |r| {
                Ok((r.get(0)?, r.get(1)?, from_blob(&r.get::<_, Vec<u8>>(2)?)))
            })
            .map_err(e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    }

    fn article(&self, sha256: &str) -> Result<Option<StoredArticle>, ArchiveError> {
        let e = |e| super::sqlite_error(self.path(), e);
        let mut stmt = self.conn().prepare_cached(STORED_ARTICLE).map_err(e)?;
        stmt.query_row([sha256], |r| {
            Ok(StoredArticle {
                row: ArticleRow {
                    sha256: sha256.to_string(),
                    id: r.get(0)?,
                    path: r.get(1)?,
                    language: r.get(2)?,
                    date: r.get(3)?,
                    outlet: r.get(4)?,
                    url: r.get(5)?,
                    title: r.get(6)?,
                    text: r.get(7)?,
                    body_start: r.get(8)?,
                },
                first_read: EarlierDrop {
                    run: r.get(9)?,
                    drop: r.get(10)?,
                    started: r.get(11)?,
                },
            })
        })
        .optional()
        .map_err(e)
    }
}

/// The joins and conditions that put a claim `c` of article `a`, embedded as `e`, in a
/// [`VectorScope`] (`$1` model, `$2` as of, `$3`-`$4` days); shared by every query of a scope.
macro_rules! claims_in_scope {
    () => {
        "JOIN articles a ON a.sha256 = c.article
         JOIN embeddings e ON e.model = $1 AND e.text_sha256 = c.text_sha256
         WHERE a.text IS NOT NULL
           AND EXISTS (SELECT 1 FROM run_articles ra JOIN runs r ON r.id = ra.run
                       WHERE ra.article = a.sha256 AND r.finished <= $2)
           AND (a.date IS NULL OR length(a.date) < 10 OR (a.date >= $3 AND a.date <= $4))"
    };
}
pub(crate) use claims_in_scope;

/// The archived claims of [`VectorScope`] (`$1` model, `$2` as of, `$3`-`$4` days), with
/// their article's date and their embedding (both backends; SQLite numbers `$N` in order of
/// first appearance, so they appear in order).
pub(super) const CLAIM_VECTORS: &str = concat!(
    "SELECT c.article, a.date, e.vector FROM claims c ",
    claims_in_scope!(),
    " ORDER BY c.article, c.start, c.end"
);

/// One stored article and the first run that read it (`?1`/`$1`: its sha256; both backends).
pub(super) const STORED_ARTICLE: &str = "
SELECT a.id, a.path, a.language, a.date, a.outlet, a.url, a.title, a.text, a.body_start,
       r.id, r.drop_path, r.started
FROM articles a
JOIN runs r ON r.id = (SELECT min(ra.run) FROM run_articles ra WHERE ra.article = a.sha256)
WHERE a.sha256 = $1 AND a.text IS NOT NULL";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_the_blob() {
        let v = vec![0.1f32, -3.5e-8, f32::MAX, 0.0];
        assert_eq!(from_blob(&to_blob(&v)), v);
    }
}
