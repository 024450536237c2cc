//! The CSV sink: claims.csv, pairs.csv, conflicts.csv, facts.csv, summary.csv and run.json in
//! one folder.

use std::path::PathBuf;

use super::fact_rows::{DiscrepancyRow, FactRow};
use super::rows::{corroboration, ClaimRow, PairRow, SummaryRow};
use super::{run_record, Report, ReportFile, ReportSink, SinkError};
use crate::domain::DiscrepancySubject;
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
        let corroboration = corroboration(out);
        let mut claims: Vec<ClaimRow> = Vec::new();
        let mut next_claim = 0;
        for s in &out.sentences {
            if !s.is_claim() {
                claims.push(ClaimRow::dropped(&out.articles[s.article], s));
                continue;
            }
            let mut number = 1;
            while next_claim < out.claims.len()
                && std::ptr::eq(&out.sentences[out.claims[next_claim].sentence], s)
            {
                claims.push(ClaimRow::kept(
                    out,
                    next_claim,
                    number,
                    &corroboration[next_claim],
                ));
                next_claim += 1;
                number += 1;
            }
        }
        write_csv(&path(ReportFile::Claims), &claims)?;

        let mut rank = vec![None; out.pairs.len()];
        for (r, d) in out.discrepancies.iter().enumerate() {
            if let DiscrepancySubject::Claims(n) = d.subject {
                rank[n] = Some(r + 1);
            }
        }
        let pairs: Vec<PairRow> = (0..out.pairs.len())
            .map(|n| PairRow::of(out, n, rank[n]))
            .collect();
        write_csv(&path(ReportFile::Pairs), &pairs)?;
        let conflicts: Vec<DiscrepancyRow> = out
            .discrepancies
            .iter()
            .enumerate()
            .map(|(r, d)| DiscrepancyRow::of(out, r + 1, d))
            .collect();
        write_csv(&path(ReportFile::Conflicts), &conflicts)?;
        let facts: Vec<FactRow> = out
            .facts
            .facts
            .iter()
            .flat_map(|f| FactRow::of(out, f))
            .collect();
        write_csv(&path(ReportFile::Facts), &facts)?;

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
