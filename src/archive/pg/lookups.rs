//! The PostgreSQL backend's [`Lookups`]: stored embeddings (pgvector `vector`) and NLI
//! probabilities by their keys, through statements prepared once per connection.

use pgvector::Vector;

use super::PgArchive;
use crate::archive::{ArchiveError, Lookups};
use crate::domain::Probabilities;

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
}
