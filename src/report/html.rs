//! The HTML sink: `index.html`, one self-contained page (inline CSS and a little plain
//! JavaScript, nothing fetched from the network) that a fact-checker opens from the report
//! folder: the discrepancies first, the fact table, the single-source claims, the agreements,
//! and every article with its claims marked. Every value comes from the row types the CSV sink
//! writes (`DiscrepancyRow`, `FactRow`, `PairRow`, `SummaryRow`, `corroboration`),
//! so the page and the CSV files cannot disagree. Every text is escaped (`encode`); a URL
//! becomes a link only when it starts with `http://` or `https://`. One child module per part
//! of the page: `header`, `cards`, `fact_table`, `claims`.

mod cards;
mod claims;
mod encode;
mod fact_table;
mod header;

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::rows::corroboration;
use super::{Report, ReportFile, ReportSink, SinkError};
use crate::domain::{DiscrepancySubject, Label, SameEvent};
use crate::io::write_atomically;
use crate::pipeline::RunOutput;
use encode::escape;

/// The page's style sheet, inlined.
const STYLE: &str = include_str!("html/style.css");
/// The page's filters and search, inlined.
const SCRIPT: &str = include_str!("html/filters.js");

/// Writes `index.html` into a folder (the staging folder of a [`crate::io::ReportSet`], beside
/// the CSV files).
pub struct HtmlReport {
    dir: PathBuf,
}

impl HtmlReport {
    /// A sink writing into `dir`.
    pub fn new(dir: PathBuf) -> Self {
        HtmlReport { dir }
    }
}

impl ReportSink for HtmlReport {
    fn write(&self, report: &Report) -> Result<(), SinkError> {
        let page = render(report);
        let path = self.dir.join(ReportFile::Html.file_name());
        write_atomically(&path, |tmp| std::fs::write(tmp, page.as_bytes()))?;
        Ok(())
    }
}

/// The text of the page's one `<script>` element.
fn script_body() -> String {
    format!("\n{SCRIPT}")
}

/// The base64 sha256 of the page's script: the page's Content-Security-Policy lets this
/// script run and nothing else (no other inline script, no event-handler attribute, nothing
/// loaded from anywhere).
fn script_hash() -> String {
    use sha2::Digest;
    encode::base64(&sha2::Sha256::digest(script_body().as_bytes()))
}

/// Where a claim stands, as the page marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Part of a discrepancy about one event (a side of an NLI contradiction, or a value of a
    /// fact in conflict).
    Disputed,
    /// Another article states it (claims.csv's `corroborated_by` is not empty).
    Agreed,
    /// No other article states it: to verify first.
    SingleSource,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Disputed => "disputed",
            Status::Agreed => "agreed",
            Status::SingleSource => "single-source",
        }
    }
}

/// ` 0 3 7 `: a set of numbers or codes as a filter attribute (spaces on both ends, so that
/// the script matches whole items).
fn attr_set<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let mut out = String::from(" ");
    for item in items {
        out.push_str(&escape(&item.to_string()));
        out.push(' ');
    }
    out
}

/// What the page needs to know about the run, computed once.
struct Page<'a> {
    out: &'a RunOutput,
    /// Per article: its link (`#3 outlet · it · 2026-10-13`), escaped HTML.
    chips: Vec<String>,
    /// Per article: language code.
    languages: Vec<&'a str>,
    /// Per claim: where it stands.
    status: Vec<Status>,
    /// Per claim: the other articles stating it.
    corroboration: Vec<BTreeSet<usize>>,
    /// Per claim: ranks of the discrepancies it is part of.
    discrepancies: Vec<Vec<usize>>,
    /// Per claim: numbers (pairs.csv rows) of its agreeing pairs.
    agreements: Vec<Vec<usize>>,
    /// Per value mention: the index of its fact.
    value_fact: Vec<Option<usize>>,
    /// The page so far.
    html: String,
}

/// The whole page of `report`.
fn render(report: &Report) -> String {
    let out = report.output;
    let mut page = Page::new(out);
    page.head(report);
    page.filters();
    page.discrepancies();
    page.fact_table();
    page.single_source();
    page.agreements();
    page.articles();
    page.html.push_str("<script>");
    page.html.push_str(&script_body());
    page.html.push_str("</script>\n</body>\n</html>\n");
    page.html
}

/// Per article: its link (`#3 outlet · it · 2026-10-13`), escaped HTML.
fn article_chips(out: &RunOutput, languages: &[&str]) -> Vec<String> {
    out.articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut label = format!("#{} {}", i + 1, a.outlet.as_deref().unwrap_or(&a.id));
            label.push_str(" · ");
            label.push_str(languages[i]);
            if let Some((date, _)) = a.date {
                label.push_str(&format!(" · {date}"));
            }
            format!(
                "<a class=\"art\" href=\"#a{i}\" title=\"{}\">{}</a>",
                escape(&a.id),
                escape(&label)
            )
        })
        .collect()
}

/// Per claim: the ranks of the discrepancies it is part of, and whether one of them may be
/// about one event (the claim is disputed).
fn discrepancies_per_claim(out: &RunOutput) -> (Vec<Vec<usize>>, Vec<bool>) {
    let mut discrepancies = vec![Vec::new(); out.claims.len()];
    let mut disputed = vec![false; out.claims.len()];
    let claims_of_fact = |f: usize| {
        out.facts.facts[f]
            .members
            .iter()
            .map(|&m| out.values[m].claim)
    };
    for (r, d) in out.discrepancies.iter().enumerate() {
        let claims: Vec<usize> = match d.subject {
            DiscrepancySubject::Fact(f) => claims_of_fact(f).collect(),
            DiscrepancySubject::Facts(x, y) => claims_of_fact(x).chain(claims_of_fact(y)).collect(),
            DiscrepancySubject::Claims(n) => vec![out.pairs[n].pair.a, out.pairs[n].pair.b],
        };
        for c in claims {
            if discrepancies[c].last() != Some(&(r + 1)) {
                discrepancies[c].push(r + 1);
            }
            disputed[c] |= d.same_event != SameEvent::No;
        }
    }
    (discrepancies, disputed)
}

impl<'a> Page<'a> {
    /// What the page needs of `out`, computed once.
    fn new(out: &'a RunOutput) -> Self {
        let languages: Vec<&str> = (0..out.articles.len())
            .map(|i| out.languages.get(i).map_or("", |l| l.code.as_str()))
            .collect();
        let chips = article_chips(out, &languages);
        let (discrepancies, disputed) = discrepancies_per_claim(out);
        let mut agreements = vec![Vec::new(); out.claims.len()];
        for (n, p) in out.pairs.iter().enumerate() {
            if p.verdict.label == Label::Agree {
                agreements[p.pair.a].push(n + 1);
                agreements[p.pair.b].push(n + 1);
            }
        }
        let corroboration = corroboration(out);
        let status = (0..out.claims.len())
            .map(|c| {
                if disputed[c] {
                    Status::Disputed
                } else if corroboration[c].is_empty() {
                    Status::SingleSource
                } else {
                    Status::Agreed
                }
            })
            .collect();
        let mut value_fact = vec![None; out.values.len()];
        for (f, fact) in out.facts.facts.iter().enumerate() {
            for &m in &fact.members {
                value_fact[m] = Some(f);
            }
        }
        Page {
            out,
            chips,
            languages,
            status,
            corroboration,
            discrepancies,
            agreements,
            value_fact,
            html: String::new(),
        }
    }

    /// The chip of article `i`.
    fn chip(&self, i: usize) -> &str {
        self.chips.get(i).map_or("", String::as_str)
    }

    /// The filter attributes of an item about the articles `articles`.
    fn filter_attrs(&self, articles: &BTreeSet<usize>) -> String {
        let languages: BTreeSet<&str> = articles.iter().map(|&i| self.languages[i]).collect();
        format!(
            " data-a=\"{}\" data-l=\"{}\"",
            attr_set(articles),
            attr_set(languages)
        )
    }
}
