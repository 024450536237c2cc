//! The CSV sink: claims.csv, pairs.csv, conflicts.csv, summary.csv and run.json in one folder.

use std::path::PathBuf;

use super::rows::{ClaimRow, PairRow, SummaryRow};
use super::{conflict_ranks, run_record, Report, ReportFile, ReportSink, SinkError};
use crate::io::write_csv;

/// Writes the CSV reports and the run record into a folder (the staging folder of a
/// [`crate::io::ReportSet`], so the set appears whole).
pub struct CsvReports {
    dir: PathBuf,
}

impl CsvReports {
    /// A sink writing into `dir`.
    pub fn new(dir: PathBuf) -> Self {
        CsvReports { dir }
    }
}

impl ReportSink for CsvReports {
    fn write(&self, report: &Report) -> Result<(), SinkError> {
        let out = report.output;
        let path = |file: ReportFile| self.dir.join(file.file_name());
        let claims: Vec<ClaimRow> = out
            .sentences
            .iter()
            .map(|s| ClaimRow::of(&out.articles[s.article], s))
            .collect();
        write_csv(&path(ReportFile::Claims), &claims)?;

        let conflicts = conflict_ranks(&out.pairs);
        let mut rank = vec![None; out.pairs.len()];
        for (r, &n) in conflicts.iter().enumerate() {
            rank[n] = Some(r + 1);
        }
        let pairs: Vec<PairRow> = (0..out.pairs.len())
            .map(|n| PairRow::of(out, n, rank[n]))
            .collect();
        write_csv(&path(ReportFile::Pairs), &pairs)?;
        let conflict_rows: Vec<PairRow> = conflicts
            .iter()
            .map(|&n| PairRow::of(out, n, rank[n]))
            .collect();
        write_csv(&path(ReportFile::Conflicts), &conflict_rows)?;

        let summary: Vec<SummaryRow> = out
            .languages
            .iter()
            .enumerate()
            .map(|(i, language)| SummaryRow::of(out, i, language))
            .collect();
        write_csv(&path(ReportFile::Summary), &summary)?;
        run_record::write(&path(ReportFile::Run), report)
    }
}
