//! The PostgreSQL backend's [`Lookups`]: stored embeddings (pgvector `vector`) and NLI
//! probabilities by their keys, through statements prepared once per connection.

use pgvector::Vector;

use super::PgArchive;
use crate::archive::lookups::{CLAIM_VECTORS, STORED_ARTICLE};
use crate::archive::rows::ArticleRow;
use crate::archive::{ArchiveError, ClaimVector, Lookups, StoredArticle, VectorScope};
use crate::domain::{EarlierDrop, Probabilities};

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
