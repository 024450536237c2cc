//! `crosscheck archive prune --before DATE`: the cut-off date and the statements that remove
//! the runs started before it and what only they used — their articles (when no remaining run
//! read them or compared a later drop with them), the claims of those articles, their facts and values, and the model results no
//! remaining run computed or used. Both backends run the same statements, in order, in one
//! transaction (`$1` is the cut-off, an RFC 3339 time in UTC, compared as text like the runs'
//! `started`).

use super::ArchiveError;

/// The time before which runs are removed, as RFC 3339 in UTC with milliseconds (the form of
/// `runs.started`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoff(String);

impl Cutoff {
    /// Reads `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
    pub fn parse(given: &str) -> Result<Self, ArchiveError> {
        let bad = || ArchiveError::BadDate {
            given: given.to_string(),
        };
        let time = match chrono::NaiveDate::parse_from_str(given.trim(), "%Y-%m-%d") {
            Ok(day) => day.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc(),
            Err(_) => chrono::DateTime::parse_from_rfc3339(given.trim())
                .map_err(|_| bad())?
                .to_utc(),
        };
        Ok(Cutoff(
            time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ))
    }

    /// The cut-off as the statements compare it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One statement of the prune, and the table whose removed rows it counts.
pub(super) struct Step {
    /// The table rows are removed from (or, for `articles.first_run`, updated in).
    pub table: &'static str,
    /// The statement.
    pub sql: &'static str,
    /// Whether it takes the cut-off as `$1` (the others take no parameter).
    pub cutoff: bool,
}

/// The statements, in order: children before parents, so no foreign key breaks on the way.
pub(super) const STEPS: &[Step] = &[
    Step {
        table: "fact_values",
        sql: "DELETE FROM fact_values WHERE run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "facts",
        sql: "DELETE FROM facts WHERE run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "run_articles",
        sql: "DELETE FROM run_articles WHERE run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "embeddings",
        sql: "DELETE FROM embeddings WHERE last_run IS NULL OR last_run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "nli",
        sql: "DELETE FROM nli WHERE last_run IS NULL OR last_run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "claims",
        sql: "DELETE FROM claims WHERE article IN (SELECT sha256 FROM articles WHERE NOT EXISTS (SELECT 1 FROM run_articles WHERE run_articles.article = articles.sha256))",
        cutoff: false,
    },
    Step {
        table: "articles",
        sql: "DELETE FROM articles WHERE NOT EXISTS (SELECT 1 FROM run_articles WHERE run_articles.article = articles.sha256) AND NOT EXISTS (SELECT 1 FROM fact_values WHERE fact_values.article = articles.sha256)",
        cutoff: false,
    },
    Step {
        table: "articles (first run moved on)",
        sql: "UPDATE articles SET first_run = COALESCE((SELECT min(run) FROM run_articles WHERE run_articles.article = articles.sha256), (SELECT min(run) FROM fact_values WHERE fact_values.article = articles.sha256)) WHERE first_run IN (SELECT id FROM runs WHERE started < $1)",
        cutoff: true,
    },
    Step {
        table: "runs",
        sql: "DELETE FROM runs WHERE started < $1",
        cutoff: true,
    },
];

/// Rows removed (or moved) per table by one prune.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    /// (table, rows), in the order of the statements.
    pub tables: Vec<(&'static str, u64)>,
}

impl Pruned {
    /// Counts `rows` for `table`.
    pub(super) fn add(&mut self, table: &'static str, rows: u64) {
        self.tables.push((table, rows));
    }

    /// Rows removed from `table` (0 when it is not listed).
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .filter(|(t, _)| *t == table)
            .map(|(_, n)| n)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_read_as_utc() {
        assert_eq!(
            Cutoff::parse("2026-11-30").unwrap().as_str(),
            "2026-11-30T00:00:00.000Z"
        );
        assert_eq!(
            Cutoff::parse("2026-11-30T12:30:00+01:00").unwrap().as_str(),
            "2026-11-30T11:30:00.000Z"
        );
        assert!(matches!(
            Cutoff::parse("yesterday"),
            Err(ArchiveError::BadDate { .. })
        ));
    }

    #[test]
    fn the_cutoff_is_the_only_parameter_where_a_step_takes_it() {
        for step in STEPS {
            assert_eq!(step.sql.contains("$1"), step.cutoff, "{}", step.sql);
            assert!(!step.sql.contains("$2"), "{}", step.sql);
        }
    }
}
