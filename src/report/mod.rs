//! The `report` stage: what a run found, handed to sinks, in the manner of ripgrep's
//! `Sink`/`Printer`. The pipeline returns its output; each [`ReportSink`] writes it somewhere
//! (CSV files and run.json are [`CsvReports`], the browser page index.html is [`HtmlReport`]);
//! `main` chooses the sinks. A new column is one field on a public row type of [`rows`]; a new
//! backend is one more [`ReportSink`].
//!
//! ```no_run
//! # fn demo(report: &crosscheck::report::Report) -> Result<(), crosscheck::report::SinkError> {
//! use crosscheck::report::{CsvReports, ReportSink};
//! CsvReports::new("reports/seeds".into()).write(report)?;
//! # Ok(()) }
//! ```

mod csv_files;
pub mod fact_rows;
mod html;
pub mod pages;
pub mod rows;
mod run_record;

use serde::Serialize;

pub use self::csv_files::CsvReports;
pub use self::html::HtmlReport;
pub use self::pages::PageTexts;
use crate::pipeline::{RunConfig, RunOutput};

/// What a sink receives: the run's settings and its output.
pub struct Report<'a> {
    /// Settings of the run.
    pub config: &'a RunConfig,
    /// What the stages produced.
    pub output: &'a RunOutput,
}

/// A sink could not write its part of the reports.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] crate::io::WriteError),
    /// The run record could not be serialised.
    #[error("cannot serialise the run record: {0}")]
    Json(#[from] serde_json::Error),
}

/// Where a run's output goes: CSV files, an HTML page, later an archive.
pub trait ReportSink {
    /// Writes the report.
    fn write(&self, report: &Report) -> Result<(), SinkError>;
}

/// The files of a report folder; their names come from here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFile {
    /// Every claim unit with its corroboration, and every sentence dropped as furniture.
    Claims,
    /// Every compared claim pair.
    Pairs,
    /// The discrepancies, one row each, most important first.
    Conflicts,
    /// One row per fact and value.
    Facts,
    /// One row per article.
    Summary,
    /// Models, settings, inputs, warnings, timings.
    Run,
    /// The page a fact-checker opens in a browser (index.html).
    Html,
}

impl ReportFile {
    /// Every report file.
    pub const ALL: [ReportFile; 7] = [
        ReportFile::Claims,
        ReportFile::Pairs,
        ReportFile::Conflicts,
        ReportFile::Facts,
        ReportFile::Summary,
        ReportFile::Run,
        ReportFile::Html,
    ];

    /// The file's name in the report folder.
    pub fn file_name(self) -> String {
        let stem = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        match self {
            ReportFile::Run => format!("{stem}.json"),
            ReportFile::Html => "index.html".to_string(),
            _ => format!("{stem}.csv"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_files_have_distinct_names() {
        let names: std::collections::BTreeSet<String> =
            ReportFile::ALL.iter().map(|f| f.file_name()).collect();
        assert_eq!(names.len(), ReportFile::ALL.len());
        assert!(names.contains("claims.csv") && names.contains("run.json"));
        assert!(names.contains("index.html"));
    }
}
