//! The fact table: facts as rows (conflicts first), articles as columns, the value each article
//! gives (the rows of facts.csv); the outcome by colour, symbol and word.

use std::collections::{BTreeSet, HashMap};

use super::encode::escape;
use super::{Page, Status};
use crate::domain::{Fact, FactOutcome};
use crate::report::fact_rows::FactRow;
use crate::report::rows::name;

/// The word the page (and the verdict filter) uses for a fact's outcome.
fn outcome_status(outcome: FactOutcome) -> Status {
    match outcome {
        FactOutcome::Conflict => Status::Disputed,
        FactOutcome::Consensus | FactOutcome::Compatible => Status::Agreed,
        FactOutcome::SingleSource => Status::SingleSource,
    }
}

/// A symbol beside an outcome's word, so that it reads without colour.
fn outcome_symbol(outcome: FactOutcome) -> &'static str {
    match outcome {
        FactOutcome::Consensus => "✓",
        FactOutcome::Compatible => "≈",
        FactOutcome::Conflict => "✗",
        FactOutcome::SingleSource => "①",
    }
}

impl Page<'_> {
    /// The fact table: facts as rows (conflicts first), articles as columns, the value each
    /// article gives; the outcome in colour and in words.
    pub(super) fn fact_table(&mut self) {
        let out = self.out;
        let index: HashMap<&str, usize> = out
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut order: Vec<usize> = (0..out.facts.facts.len()).collect();
        order.sort_by_key(|&f| {
            let fact = &out.facts.facts[f];
            let rank = match fact.outcome {
                FactOutcome::Conflict => 0,
                FactOutcome::Compatible => 1,
                FactOutcome::Consensus => 2,
                FactOutcome::SingleSource => 3,
            };
            (rank, fact.id)
        });
        self.fact_table_head();
        for f in order {
            self.fact_row(&out.facts.facts[f], &index);
        }
        self.html.push_str("</tbody></table></div>\n</section>\n");
    }

    /// The section heading, the legend and the column heads (one per article).
    fn fact_table_head(&mut self) {
        let out = self.out;
        self.html.push_str(&format!(
            "<section id=\"facts\">\n<h2>The fact table <small class=\"count\" \
             data-of=\"#facts tbody tr\">{} facts</small></h2>\n<p class=\"legend\">Each row \
             is one fact, each column one article; a cell holds the value the article gives \
             (blank: it says nothing about it), its group number when the values split. \
             <span class=\"oc o-consensus\">✓ consensus</span> <span class=\"oc \
             o-compatible\">≈ compatible</span> <span class=\"oc o-conflict\">✗ conflict\
             </span> <span class=\"oc o-single_source\">① single_source</span></p>\n\
             <div class=\"tablewrap\"><table class=\"facts\">\n<thead><tr><th>Fact</th>\
             <th>Outcome</th>",
            out.facts.facts.len()
        ));
        for (i, a) in out.articles.iter().enumerate() {
            self.html.push_str(&format!(
                "<th class=\"col\" title=\"{}\"><a href=\"#a{i}\">#{}</a><br>{}</th>",
                escape(&format!("{} · {}", a.id, a.outlet.as_deref().unwrap_or(""))),
                i + 1,
                escape(self.languages[i])
            ));
        }
        self.html.push_str("</tr></thead>\n<tbody>\n");
    }

    /// One fact's row: its label and outcome, then the value each article gives.
    fn fact_row(&mut self, fact: &Fact, index: &HashMap<&str, usize>) {
        let out = self.out;
        let columns = out.articles.len();
        let rows = FactRow::of(out, fact);
        let mut cells: Vec<Vec<&FactRow>> = vec![Vec::new(); columns];
        for row in &rows {
            if let Some(&i) = index.get(row.article.0.as_ref()) {
                cells[i].push(row);
            }
        }
        let articles: BTreeSet<usize> = (0..columns).filter(|&i| !cells[i].is_empty()).collect();
        let outcome = name(&fact.outcome);
        self.html.push_str(&format!(
            "<tr class=\"f o-{0}\" id=\"f{1}\" data-v=\"{2}\"{3}><th scope=\"row\">\
             <span class=\"fid\">F{1}</span> {4} <small class=\"type\">{5}</small></th>\
             <td><span class=\"oc o-{0}\">{6} {0}</span></td>",
            escape(&outcome),
            fact.id,
            outcome_status(fact.outcome).word(),
            self.filter_attrs(&articles),
            escape(&fact.label),
            escape(&fact.class.to_string()),
            outcome_symbol(fact.outcome),
        ));
        let split = fact.groups.len() > 1;
        let mut blank = 0;
        for cell in &cells {
            if cell.is_empty() {
                blank += 1;
                continue;
            }
            if blank > 0 {
                self.blank_cells(blank);
                blank = 0;
            }
            self.value_cell(cell, split);
        }
        if blank > 0 {
            self.blank_cells(blank);
        }
        self.html.push_str("</tr>\n");
    }

    /// The values one article gives for a fact, with their group numbers when the values
    /// split.
    fn value_cell(&mut self, cell: &[&FactRow], split: bool) {
        let values: Vec<String> = cell
            .iter()
            .map(|r| {
                let group = if split {
                    format!("<sup class=\"g\">{}</sup>", r.group)
                } else {
                    String::new()
                };
                format!("{}{group}", escape(&r.value))
            })
            .collect();
        let spans: Vec<&str> = cell.iter().map(|r| r.span.0.as_ref()).collect();
        let group = cell.first().map_or(1, |r| r.group).min(4);
        self.html.push_str(&format!(
            "<td class=\"tv g{group}\" title=\"{}\">{}</td>",
            escape(&spans.join(" | ")),
            values.join("<br>")
        ));
    }

    /// `n` blank cells of the fact table, as one.
    fn blank_cells(&mut self, n: usize) {
        if n == 1 {
            self.html.push_str("<td></td>");
        } else {
            self.html.push_str(&format!("<td colspan=\"{n}\"></td>"));
        }
    }
}
