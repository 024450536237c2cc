//! The PostgreSQL backend's [`Lookups`]: stored embeddings (pgvector `vector`) and NLI
//! probabilities by their keys, through statements prepared once per connection.

use std::collections::BTreeMap;

use pgvector::Vector;
use postgres::types::ToSql;

use super::search::INDEXED_DIM;
use super::PgArchive;
use crate::domain::{EarlierDrop, Probabilities};
use crate::matching::embed::Embeddings;
use crate::store::archive::lookups::{claims_in_scope, CLAIM_VECTORS, STORED_ARTICLE};
use crate::store::archive::rows::ArticleRow;
use crate::store::archive::{ArchiveError, ClaimVector, Lookups, StoredArticle, VectorScope};

/// How many claims a [`VectorScope`] holds.
const CLAIMS_IN_SCOPE: &str = concat!("SELECT count(*) FROM claims c ", claims_in_scope!());

/// The claims in a [`VectorScope`] whose embeddings are among the `$6` nearest to `$5` by the
/// HNSW index, with their start offset (to merge the answers of several vectors).
const NEAR_IN_SCOPE: &str = concat!(
    "WITH near AS (SELECT text_sha256 FROM embeddings WHERE dim = 384 AND model = $1
                   ORDER BY vector::vector(384) <=> $5::vector(384) LIMIT $6)
     SELECT DISTINCT c.article, a.date, e.vector, c.start
     FROM near JOIN claims c ON c.text_sha256 = near.text_sha256 ",
    claims_in_scope!()
);

impl Lookups for PgArchive {
    fn embedding(&self, model: &str, text: &str) -> Result<Option<Vec<f32>>, ArchiveError> {
        let stmt =
            self.statement("SELECT vector FROM embeddings WHERE model = $1 AND text_sha256 = $2")?;
        let row = self
            .client
            .borrow_mut()
            .query_opt(&stmt, &[&model, &text])
            .map_err(|e| self.error(e))?;
        Ok(row.map(|r| r.get::<_, Vector>(0).to_vec()))
    }

    fn nli(
        &self,
        model: &str,
        premise: &str,
        hypothesis: &str,
    ) -> Result<Option<Probabilities>, ArchiveError> {
        let stmt = self.statement(
            "SELECT entailment, neutral, contradiction FROM nli
             WHERE model = $1 AND premise_sha256 = $2 AND hypothesis_sha256 = $3",
        )?;
        let row = self
            .client
            .borrow_mut()
            .query_opt(&stmt, &[&model, &premise, &hypothesis])
            .map_err(|e| self.error(e))?;
        Ok(row.map(|r| Probabilities {
            entailment: r.get(0),
            neutral: r.get(1),
            contradiction: r.get(2),
        }))
    }

    fn claim_vectors(&self, scope: &VectorScope) -> Result<Vec<ClaimVector>, ArchiveError> {
        let stmt = self.statement(CLAIM_VECTORS)?;
        let rows = self
            .client
            .borrow_mut()
            .query(&stmt, &[&scope.model, &scope.as_of, &scope.from, &scope.to])
            .map_err(|e| self.error(e))?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get::<_, Vector>(2).to_vec()))
            .collect())
    }

    fn indexed_claim_vectors(
        &self,
        scope: &VectorScope,
        vectors: &Embeddings,
        near: usize,
        index_from: usize,
    ) -> Result<Option<Vec<ClaimVector>>, ArchiveError> {
        if vectors.dim != INDEXED_DIM {
            return Ok(None);
        }
        let params: [&(dyn ToSql + Sync); 4] = [&scope.model, &scope.as_of, &scope.from, &scope.to];
        if index_from > 0 {
            let count = self.statement(CLAIMS_IN_SCOPE)?;
            let claims: i64 = self
                .client
                .borrow_mut()
                .query_one(&count, &params)
                .map_err(|e| self.error(e))?
                .get(0);
            if usize::try_from(claims).unwrap_or(0) < index_from {
                return Ok(None);
            }
        }
        let stmt = self.statement(NEAR_IN_SCOPE)?;
        let limit = i64::try_from(near).unwrap_or(i64::MAX);
        let mut found: BTreeMap<(String, i64), (Option<String>, Vec<f32>)> = BTreeMap::new();
        for vector in vectors.values.chunks(vectors.dim) {
            let query = Vector::from(vector.to_vec());
            let rows = self
                .client
                .borrow_mut()
                .query(
                    &stmt,
                    &[params[0], params[1], params[2], params[3], &query, &limit],
                )
                .map_err(|e| self.error(e))?;
            for r in rows {
                let vector = r.get::<_, Vector>(2).to_vec();
                found.insert((r.get(0), r.get(3)), (r.get(1), vector));
            }
        }
        Ok(Some(
            found
                .into_iter()
                .map(|((article, _), (date, vector))| (article, date, vector))
                .collect(),
        ))
    }

    fn article(&self, sha256: &str) -> Result<Option<StoredArticle>, ArchiveError> {
        let stmt = self.statement(STORED_ARTICLE)?;
        let row = self
            .client
            .borrow_mut()
            .query_opt(&stmt, &[&sha256])
            .map_err(|e| self.error(e))?;
        Ok(row.map(|r| StoredArticle {
            row: ArticleRow {
                sha256: sha256.to_string(),
                id: r.get(0),
                path: r.get(1),
                language: r.get(2),
                date: r.get(3),
                outlet: r.get(4),
                url: r.get(5),
                title: r.get(6),
                text: r.get(7),
                body_start: r.get(8),
            },
            first_read: EarlierDrop {
                run: r.get(9),
                drop: r.get(10),
                started: r.get(11),
            },
        }))
    }
}
