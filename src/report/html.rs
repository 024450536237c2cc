//! The HTML sink: `index.html`, one self-contained page (inline CSS and a little plain
//! JavaScript, nothing fetched from the network) that a fact-checker opens from the report
//! folder: the discrepancies first, the fact table, the single-source claims, the agreements,
//! and every article with its claims marked. Every value comes from the row types the CSV sink
//! writes ([`DiscrepancyRow`], [`FactRow`], [`PairRow`], [`SummaryRow`], [`corroboration`]),
//! so the page and the CSV files cannot disagree. Every text is escaped ([`escape`]); a URL
//! becomes a link only when it starts with `http://` or `https://`.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::fact_rows::{evidence, DiscrepancyRow, Evidence, FactRow};
use super::rows::{corroboration, name, PairRow, SummaryRow};
use super::{Report, ReportFile, ReportSink, SinkError};
use crate::domain::{DiscrepancySubject, FactOutcome, Label, SameEvent};
use crate::io::write_atomically;
use crate::pipeline::RunOutput;

/// The page's style sheet, inlined.
const STYLE: &str = include_str!("html.css");
/// The page's filters and search, inlined.
const SCRIPT: &str = include_str!("html.js");

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

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe as element
/// content and as a quoted attribute value.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// A link to `url` when it is an http(s) URL, else the URL as plain text: a `javascript:` or
/// `data:` URL from an article's header never becomes a link.
fn url_html(url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let web = (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if web {
        format!(
            "<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
            escape(url)
        )
    } else {
        format!("<span class=\"url\">{}</span>", escape(url))
    }
}

/// `text[start..end]`, or "" when the range is not one of `text` (never panics).
fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// A sentence with the bytes `start..end` in a `<mark>` (the whole sentence plain when the
/// range does not fit it).
fn highlighted(sentence: &str, start: usize, end: usize) -> String {
    match (
        sentence.get(..start),
        sentence.get(start..end),
        sentence.get(end..),
    ) {
        (Some(before), Some(span), Some(after)) if !span.is_empty() => format!(
            "{}<mark>{}</mark>{}",
            escape(before),
            escape(span),
            escape(after)
        ),
        _ => escape(sentence).into_owned(),
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
    base64(&sha2::Sha256::digest(script_body().as_bytes()))
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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

impl<'a> Page<'a> {
    fn new(out: &'a RunOutput) -> Self {
        let languages: Vec<&str> = (0..out.articles.len())
            .map(|i| out.languages.get(i).map_or("", |l| l.code.as_str()))
            .collect();
        let chips = out
            .articles
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
            .collect();
        let mut discrepancies = vec![Vec::new(); out.claims.len()];
        let mut disputed = vec![false; out.claims.len()];
        for (r, d) in out.discrepancies.iter().enumerate() {
            let claims: Vec<usize> = match d.subject {
                DiscrepancySubject::Fact(f) => out.facts.facts[f]
                    .members
                    .iter()
                    .map(|&m| out.values[m].claim)
                    .collect(),
                DiscrepancySubject::Facts(x, y) => out.facts.facts[x]
                    .members
                    .iter()
                    .chain(&out.facts.facts[y].members)
                    .map(|&m| out.values[m].claim)
                    .collect(),
                DiscrepancySubject::Claims(n) => vec![out.pairs[n].pair.a, out.pairs[n].pair.b],
            };
            for c in claims {
                if discrepancies[c].last() != Some(&(r + 1)) {
                    discrepancies[c].push(r + 1);
                }
                disputed[c] |= d.same_event != SameEvent::No;
            }
        }
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

    /// The document head, the header: drop, articles per language, dates, models, counts,
    /// warnings, links to the CSV files.
    fn head(&mut self, report: &Report) {
        let out = self.out;
        let drop = report
            .config
            .drop
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| report.config.drop.display().to_string());
        self.html.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; script-src 'sha256-{1}'; base-uri 'none'; \
             form-action 'none'\">\n\
             <title>crosscheck · {0}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
             <header class=\"top\">\n<h1>crosscheck · <span class=\"drop\">{0}</span></h1>\n",
            escape(&drop),
            script_hash()
        ));
        let mut per_language: Vec<(&str, usize)> = Vec::new();
        for &l in &self.languages {
            match per_language.iter_mut().find(|(x, _)| *x == l) {
                Some((_, n)) => *n += 1,
                None => per_language.push((l, 1)),
            }
        }
        per_language.sort();
        let languages: Vec<String> = per_language
            .iter()
            .map(|(l, n)| format!("{} {n}", escape(l)))
            .collect();
        let dates: BTreeSet<String> = out
            .articles
            .iter()
            .filter_map(|a| a.date.map(|(d, _)| d.to_string()))
            .collect();
        let dated = match (dates.first(), dates.last()) {
            (Some(first), Some(last)) if first == last => format!("articles dated {first}"),
            (Some(first), Some(last)) => format!("articles dated {first} to {last}"),
            _ => "articles undated".to_string(),
        };
        self.html.push_str(&format!(
            "<p class=\"meta\">{} articles ({}) · {} · crosscheck {}</p>\n",
            out.articles.len(),
            languages.join(", "),
            escape(&dated),
            env!("CARGO_PKG_VERSION"),
        ));
        let models: Vec<String> = report
            .config
            .models
            .files_in_use(report.config.nli_checkpoint.as_deref())
            .iter()
            .map(|f| {
                let file = f.file_name().map(|n| n.to_string_lossy().into_owned());
                format!(
                    "<code>{}</code>",
                    escape(&file.unwrap_or_else(|| f.display().to_string()))
                )
            })
            .collect();
        self.html.push_str(&format!(
            "<p class=\"meta\">models: {} (sha256 in <a href=\"{}\">run.json</a>)</p>\n",
            models.join(", "),
            ReportFile::Run.file_name()
        ));
        let facts = &out.facts.facts;
        let outcome = |o: FactOutcome| facts.iter().filter(|f| f.outcome == o).count();
        let one_event = out
            .discrepancies
            .iter()
            .filter(|d| d.same_event != SameEvent::No)
            .count();
        let agreeing = out
            .pairs
            .iter()
            .filter(|p| p.verdict.label == Label::Agree)
            .count();
        self.html.push_str(&format!(
            "<p class=\"counts\">{} discrepancies ({one_event} about one event) · {} facts: \
             {} agreed, {} in conflict, {} single-source · {} claims, {} single-source · {} \
             claim pairs, {agreeing} agreeing</p>\n",
            out.discrepancies.len(),
            facts.len(),
            outcome(FactOutcome::Consensus) + outcome(FactOutcome::Compatible),
            outcome(FactOutcome::Conflict),
            outcome(FactOutcome::SingleSource),
            out.claims.len(),
            self.corroboration.iter().filter(|c| c.is_empty()).count(),
            out.pairs.len(),
        ));
        if out.warnings.is_empty() {
            self.html.push_str("<p class=\"meta\">no warnings</p>\n");
        } else {
            self.html.push_str(&format!(
                "<details class=\"warnings\"{}><summary>{} warnings</summary><ul>\n",
                if out.warnings.len() <= 5 { " open" } else { "" },
                out.warnings.len()
            ));
            for w in &out.warnings {
                self.html
                    .push_str(&format!("<li>{}</li>\n", escape(&w.to_string())));
            }
            self.html.push_str("</ul></details>\n");
        }
        self.html.push_str(
            "<nav><a href=\"#discrepancies\">Discrepancies</a> <a href=\"#facts\">Fact table</a> \
             <a href=\"#single\">Single-source claims</a> <a href=\"#agreements\">Agreements</a> \
             <a href=\"#articles\">Articles</a> <span class=\"files\">CSV:",
        );
        for file in ReportFile::ALL {
            if file != ReportFile::Html {
                let name = file.file_name();
                self.html
                    .push_str(&format!(" <a href=\"{name}\">{name}</a>"));
            }
        }
        self.html.push_str("</span></nav>\n</header>\n");
    }

    /// The filter bar: language, article, verdict, same event, and a search box.
    fn filters(&mut self) {
        let languages: BTreeSet<&str> = self.languages.iter().copied().collect();
        self.html.push_str(
            "<form class=\"filters\" id=\"filters\" autocomplete=\"off\">\n\
             <label>Language <select id=\"f-lang\"><option value=\"\">all</option>",
        );
        for l in languages {
            self.html
                .push_str(&format!("<option value=\"{0}\">{0}</option>", escape(l)));
        }
        self.html.push_str(
            "</select></label>\n<label>Article <select id=\"f-art\"><option value=\"\">all</option>",
        );
        for (i, a) in self.out.articles.iter().enumerate() {
            self.html.push_str(&format!(
                "<option value=\"{i}\">#{} {}</option>",
                i + 1,
                escape(a.outlet.as_deref().unwrap_or(&a.id))
            ));
        }
        self.html.push_str(
            "</select></label>\n<label>Verdict <select id=\"f-verdict\"><option value=\"\">all</option>\
             <option value=\"disputed\">disputed</option><option value=\"agreed\">agreed</option>\
             <option value=\"single-source\">single-source</option></select></label>\n\
             <label>Same event <select id=\"f-event\"><option value=\"\">all</option>\
             <option value=\"yes\">yes</option><option value=\"unsure\">unsure</option>\
             <option value=\"no\">no</option></select></label>\n\
             <label>Search <input type=\"search\" id=\"f-q\" placeholder=\"words, values, outlets\"></label>\n\
             <span id=\"f-shown\" class=\"shown\"></span>\n</form>\n<main>\n",
        );
    }

    /// The discrepancies, most important first, as cards; those between different events in
    /// their own collapsed section.
    fn discrepancies(&mut self) {
        let out = self.out;
        let (one, other): (Vec<usize>, Vec<usize>) = (0..out.discrepancies.len())
            .partition(|&r| out.discrepancies[r].same_event != SameEvent::No);
        self.html.push_str(&format!(
            "<section id=\"discrepancies\">\n<h2>Discrepancies <small class=\"count\" \
             data-of=\"#discrepancies .card\">{} about one event</small></h2>\n",
            one.len()
        ));
        if one.is_empty() {
            self.html
                .push_str("<p class=\"none\">No discrepancy about one event.</p>\n");
        }
        for r in one {
            self.card(r);
        }
        self.html.push_str(&format!(
            "<details class=\"other-events\" id=\"different-events\"><summary>Differences \
             between different events <small>({})</small>: look-alike facts of another event, \
             kept for context</summary>\n",
            other.len()
        ));
        for r in other {
            self.card(r);
        }
        self.html.push_str("</details>\n</section>\n");
    }

    /// One discrepancy card: what is disputed, the value groups with their articles, and the
    /// two sides' sentences with the disputed words marked.
    fn card(&mut self, r: usize) {
        let out = self.out;
        let d = &out.discrepancies[r];
        let row = DiscrepancyRow::of(out, r + 1, d);
        let facts: Vec<&crate::domain::Fact> = match d.subject {
            DiscrepancySubject::Fact(f) => vec![&out.facts.facts[f]],
            DiscrepancySubject::Facts(x, y) => vec![&out.facts.facts[x], &out.facts.facts[y]],
            DiscrepancySubject::Claims(_) => Vec::new(),
        };
        let (a, b) = evidence(out, d);
        let mut articles: BTreeSet<usize> = facts
            .iter()
            .flat_map(|f| f.members.iter().map(|&m| out.values[m].article))
            .collect();
        for e in [a, b] {
            articles.insert(self.evidence_article(e));
        }
        let reason = name(&d.reason).replace('_', " ");
        let label = if row.label.0.is_empty() {
            "Two claims contradict each other".to_string()
        } else {
            row.label.0.to_string()
        };
        self.html.push_str(&format!(
            "<article class=\"card f\" id=\"d{}\" data-v=\"disputed\" data-e=\"{}\"{}>\n\
             <header><span class=\"rank\">#{}</span> <span class=\"reason\">{}</span> \
             <span class=\"event e-{1}\">same event: {1}</span> <span class=\"conf\">confidence \
             {}</span></header>\n<h3>{}{}</h3>\n",
            row.rank,
            escape(&row.same_event),
            self.filter_attrs(&articles),
            row.rank,
            escape(&reason),
            escape(&row.confidence),
            escape(&label),
            if row.value_type.is_empty() {
                String::new()
            } else {
                format!(" <small class=\"type\">{}</small>", escape(&row.value_type))
            },
        ));
        if !facts.is_empty() {
            self.html.push_str("<ul class=\"groups\">\n");
            for fact in &facts {
                for (g, group) in fact.groups.iter().enumerate() {
                    let mut seen = BTreeSet::new();
                    let mut chips = Vec::new();
                    for &m in &group.members {
                        let v = &out.values[m];
                        if seen.insert(v.article) {
                            chips.push(format!(
                                "<span class=\"said\" title=\"{}\">{}</span>",
                                escape(&v.mention.text),
                                self.chip(v.article)
                            ));
                        }
                    }
                    self.html.push_str(&format!(
                        "<li><a class=\"val g{}\" href=\"#f{}\">{}</a> <span class=\"n\">{} \
                         article{}</span> {}</li>\n",
                        (g + 1).min(4),
                        fact.id,
                        escape(&group.value),
                        seen.len(),
                        if seen.len() == 1 { "" } else { "s" },
                        chips.join(" ")
                    ));
                }
            }
            self.html.push_str("</ul>\n");
        }
        self.html.push_str("<div class=\"sides\">\n");
        for (side, e, sentence) in [("A", a, &row.sentence_a), ("B", b, &row.sentence_b)] {
            let (article, claim, start, end) = self.evidence_place(e);
            let text = sentence.0.as_ref();
            let marked = match (start, end) {
                (Some(s), Some(t)) if text.get(s..t).is_some() => highlighted(text, s, t),
                _ => {
                    let span = if side == "A" {
                        &row.span_a
                    } else {
                        &row.span_b
                    };
                    match text.find(span.0.as_ref()) {
                        Some(s) => highlighted(text, s, s + span.0.len()),
                        None => escape(text).into_owned(),
                    }
                }
            };
            self.html.push_str(&format!(
                "<div class=\"side\"><div class=\"who\">{side} · {} <a class=\"ctx\" \
                 href=\"#c{claim}\">in the article</a></div><blockquote lang=\"{}\">{marked}\
                 </blockquote></div>\n",
                self.chip(article),
                escape(self.languages[article]),
            ));
        }
        self.html.push_str("</div>\n");
        if let Some(pair) = row.pair {
            self.html
                .push_str(&format!("<p class=\"more\">pairs.csv row {pair}</p>\n"));
        }
        self.html.push_str("</article>\n");
    }

    /// The article of one side's evidence.
    fn evidence_article(&self, e: Evidence) -> usize {
        match e {
            Evidence::Value(m) => self.out.values[m].article,
            Evidence::Claim(c) => self.out.claims[c].article,
        }
    }

    /// Article, claim and the disputed span's bytes within its sentence, of one side.
    fn evidence_place(&self, e: Evidence) -> (usize, usize, Option<usize>, Option<usize>) {
        let out = self.out;
        let (claim, start, end) = match e {
            Evidence::Value(m) => {
                let v = &out.values[m];
                (v.claim, v.start, v.end)
            }
            Evidence::Claim(c) => (c, out.claims[c].start, out.claims[c].end),
        };
        let c = &out.claims[claim];
        let from = out.sentences[c.sentence].start;
        (
            c.article,
            claim,
            start.checked_sub(from),
            end.checked_sub(from),
        )
    }

    /// The fact table: facts as rows (conflicts first), articles as columns, the value each
    /// article gives; the outcome in colour and in words.
    fn fact_table(&mut self) {
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
        let columns = out.articles.len();
        for f in order {
            let fact = &out.facts.facts[f];
            let rows = FactRow::of(out, fact);
            let mut cells: Vec<Vec<&FactRow>> = vec![Vec::new(); columns];
            for row in &rows {
                if let Some(&i) = index.get(row.article.0.as_ref()) {
                    cells[i].push(row);
                }
            }
            let articles: BTreeSet<usize> =
                (0..columns).filter(|&i| !cells[i].is_empty()).collect();
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
            if blank > 0 {
                self.blank_cells(blank);
            }
            self.html.push_str("</tr>\n");
        }
        self.html.push_str("</tbody></table></div>\n</section>\n");
    }

    /// `n` blank cells of the fact table, as one.
    fn blank_cells(&mut self, n: usize) {
        if n == 1 {
            self.html.push_str("<td></td>");
        } else {
            self.html.push_str(&format!("<td colspan=\"{n}\"></td>"));
        }
    }

    /// The claims no other article states, per article: the list to verify first.
    fn single_source(&mut self) {
        let out = self.out;
        let total = self.corroboration.iter().filter(|c| c.is_empty()).count();
        self.html.push_str(&format!(
            "<section id=\"single\">\n<h2>Single-source claims <small class=\"count\" \
             data-of=\"#single li\">{total}</small></h2>\n<p class=\"legend\">Claims that no \
             other article states (claims.csv rows with an empty <code>corroborated_by</code>): \
             verify these first.</p>\n"
        ));
        for i in 0..out.articles.len() {
            let claims: Vec<usize> = (0..out.claims.len())
                .filter(|&c| out.claims[c].article == i && self.corroboration[c].is_empty())
                .collect();
            if claims.is_empty() {
                continue;
            }
            let one = BTreeSet::from([i]);
            self.html.push_str(&format!(
                "<div class=\"grp\"><h3>{} <small>{} claims</small></h3><ol>\n",
                self.chip(i),
                claims.len()
            ));
            for c in claims {
                let disputed = if self.status[c] == Status::Disputed {
                    " <span class=\"badge\">also disputed</span>"
                } else {
                    ""
                };
                self.html.push_str(&format!(
                    "<li class=\"f\" data-v=\"single-source\"{}><a href=\"#c{c}\">{}</a>\
                     {disputed}</li>\n",
                    self.filter_attrs(&one),
                    escape(&out.claims[c].text)
                ));
            }
            self.html.push_str("</ol></div>\n");
        }
        self.html.push_str("</section>\n");
    }

    /// The agreeing claim pairs, collapsed; numbered as in pairs.csv.
    fn agreements(&mut self) {
        let out = self.out;
        let agreeing: Vec<usize> = (0..out.pairs.len())
            .filter(|&n| out.pairs[n].verdict.label == Label::Agree)
            .collect();
        let across = agreeing
            .iter()
            .filter(|&&n| {
                let p = &out.pairs[n].pair;
                let lang = |c: usize| self.languages[out.claims[c].article];
                lang(p.a) != lang(p.b)
            })
            .count();
        self.html.push_str(&format!(
            "<section id=\"agreements-section\">\n<details id=\"agreements\"><summary><h2>\
             Agreements <small class=\"count\" data-of=\"#agreements li\">{} agreeing claim \
             pairs, {across} across languages</small></h2></summary>\n<ol class=\"pairs\">\n",
            agreeing.len()
        ));
        for n in agreeing {
            let row = PairRow::of(out, n, None);
            let p = &out.pairs[n].pair;
            let (ca, cb) = (p.a, p.b);
            let (aa, ab) = (out.claims[ca].article, out.claims[cb].article);
            self.html.push_str(&format!(
                "<li class=\"f\" id=\"p{}\" value=\"{0}\" data-v=\"agreed\"{}><div>{} \
                 <a href=\"#c{ca}\">{}</a></div><div>{} <a href=\"#c{cb}\">{}</a></div>\
                 <span class=\"conf\">{} · confidence {}</span></li>\n",
                row.pair,
                self.filter_attrs(&BTreeSet::from([aa, ab])),
                self.chip(aa),
                escape(&row.claim_a.0),
                self.chip(ab),
                escape(&row.claim_b.0),
                escape(&row.verdict),
                escape(&row.confidence),
            ));
        }
        self.html.push_str("</ol></details>\n</section>\n");
    }

    /// Every article: its header information and its text, with every claim marked
    /// (agreed, disputed, single-source) and every sentence dropped as furniture, with
    /// links to the discrepancies and agreements it is part of.
    fn articles(&mut self) {
        let out = self.out;
        let mut sentences_of: Vec<Vec<usize>> = vec![Vec::new(); out.articles.len()];
        for (s, sentence) in out.sentences.iter().enumerate() {
            if let Some(list) = sentences_of.get_mut(sentence.article) {
                list.push(s);
            }
        }
        let mut claims_of: Vec<Vec<usize>> = vec![Vec::new(); out.sentences.len()];
        for (c, claim) in out.claims.iter().enumerate() {
            if let Some(list) = claims_of.get_mut(claim.sentence) {
                list.push(c);
            }
        }
        let mut values_of: Vec<Vec<usize>> = vec![Vec::new(); out.claims.len()];
        for (m, v) in out.values.iter().enumerate() {
            if let Some(list) = values_of.get_mut(v.claim) {
                list.push(m);
            }
        }
        self.html.push_str(
            "<section id=\"articles\">\n<h2>Articles</h2>\n<p class=\"legend\">Every claim \
             is marked: <span class=\"cl s-agreed\">agreed</span> (another article states \
             it), <span class=\"cl s-disputed\">disputed</span> (part of a discrepancy about \
             one event), <span class=\"cl s-single-source\">single-source</span>, and <span \
             class=\"furn\">furniture</span> (dropped: not a claim). Values of facts are \
             underlined and link to the fact table; links after a claim lead to its \
             discrepancies (D) and agreements (P, pairs.csv rows).</p>\n",
        );
        for (i, sentences) in sentences_of.iter().enumerate() {
            let a = &out.articles[i];
            let summary = out
                .languages
                .get(i)
                .map(|language| SummaryRow::of(out, i, language));
            let one = BTreeSet::from([i]);
            self.html.push_str(&format!(
                "<details class=\"doc f\" id=\"a{i}\"{}><summary><h3>#{} {}</h3> \
                 <span class=\"meta\">{}</span></summary>\n<p class=\"meta\">",
                self.filter_attrs(&one),
                i + 1,
                escape(a.title.as_deref().unwrap_or(&a.id)),
                escape(&format!(
                    "{} · {}{}",
                    a.outlet.as_deref().unwrap_or(&a.id),
                    self.languages[i],
                    a.date
                        .map(|(d, source)| format!(" · {d} ({})", name(&source)))
                        .unwrap_or_default()
                )),
            ));
            self.html
                .push_str(&format!("id <code>{}</code>", escape(&a.id)));
            if let Some(url) = &a.url {
                self.html.push_str(&format!(" · {}", url_html(url)));
            }
            if let Some(s) = summary {
                self.html.push_str(&format!(
                    " · {} claims, {} furniture · facts: {} stated, {} agreed, {} disputed, \
                     {} single-source",
                    s.claims,
                    s.dropped,
                    s.facts_stated,
                    s.facts_agreed,
                    s.facts_disputed,
                    s.facts_single_source
                ));
            }
            self.html.push_str(&format!(
                "</p>\n<div class=\"text\" lang=\"{}\">",
                escape(self.languages[i])
            ));
            self.article_text(i, sentences, &claims_of, &values_of);
            self.html.push_str("</div>\n</details>\n");
        }
        self.html.push_str("</section>\n</main>\n");
    }

    /// The body of article `i` with its sentences and claims marked.
    fn article_text(
        &mut self,
        i: usize,
        sentences: &[usize],
        claims_of: &[Vec<usize>],
        values_of: &[Vec<usize>],
    ) {
        let out = self.out;
        let text = out.articles[i].text.as_str();
        let body = slice(text, out.articles[i].body_start.min(text.len()), text.len());
        let mut cursor = text.len() - body.trim_start().len();
        for &s in sentences {
            let sentence = &out.sentences[s];
            if sentence.start < cursor || text.get(sentence.start..sentence.end).is_none() {
                continue;
            }
            self.html
                .push_str(&escape(slice(text, cursor, sentence.start)));
            cursor = sentence.start;
            if let Some(reason) = sentence.dropped {
                self.html.push_str(&format!(
                    "<span class=\"furn\" title=\"furniture: {}\">{}</span>",
                    escape(&reason.to_string()),
                    escape(slice(text, sentence.start, sentence.end))
                ));
                cursor = sentence.end;
                continue;
            }
            for &c in &claims_of[s] {
                let claim = &out.claims[c];
                if claim.start < cursor || text.get(claim.start..claim.end).is_none() {
                    continue;
                }
                self.html
                    .push_str(&escape(slice(text, cursor, claim.start)));
                self.claim(c, text, &values_of[c]);
                cursor = claim.end;
            }
        }
        self.html.push_str(&escape(slice(text, cursor, text.len())));
    }

    /// One claim of an article's text, its values linked to their facts, and links to its
    /// discrepancies and agreements.
    fn claim(&mut self, c: usize, text: &str, values: &[usize]) {
        let out = self.out;
        let claim = &out.claims[c];
        let status = self.status[c];
        let by: Vec<&str> = self.corroboration[c]
            .iter()
            .map(|&a| out.articles[a].id.as_str())
            .collect();
        let title = if by.is_empty() {
            status.word().to_string()
        } else {
            format!("{}: also in {}", status.word(), by.join(", "))
        };
        self.html.push_str(&format!(
            "<span class=\"cl s-{0}\" id=\"c{c}\" data-v=\"{0}\" title=\"{1}\">",
            status.word(),
            escape(&title)
        ));
        let mut cursor = claim.start;
        for &m in values {
            let v = &out.values[m];
            let Some(f) = self.value_fact[m] else {
                continue;
            };
            if v.start < cursor || v.end > claim.end || text.get(v.start..v.end).is_none() {
                continue;
            }
            let fact = &out.facts.facts[f];
            self.html.push_str(&escape(slice(text, cursor, v.start)));
            let span = escape(slice(text, v.start, v.end));
            let link = format!(
                "<a class=\"v o-{0}\" href=\"#f{1}\" title=\"fact {1}: {0}\">{span}</a>",
                escape(&name(&fact.outcome)),
                fact.id
            );
            if fact.outcome == FactOutcome::Conflict {
                self.html.push_str(&format!("<mark>{link}</mark>"));
            } else {
                self.html.push_str(&link);
            }
            cursor = v.end;
        }
        self.html.push_str(&escape(slice(text, cursor, claim.end)));
        self.html.push_str("</span>");
        let (discrepancies, agreements) = (&self.discrepancies[c], &self.agreements[c]);
        if !discrepancies.is_empty() || !agreements.is_empty() {
            let mut links = String::from("<sup class=\"links\">");
            for r in discrepancies {
                links.push_str(&format!("<a href=\"#d{r}\">D{r}</a>"));
            }
            for n in agreements {
                links.push_str(&format!("<a href=\"#p{n}\">P{n}</a>"));
            }
            links.push_str("</sup>");
            self.html.push_str(&links);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_the_five_characters() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(matches!(escape("plain text é"), Cow::Borrowed(_)));
    }

    #[test]
    fn only_web_urls_become_links() {
        assert!(url_html("https://example.org/a?b=1&c=2")
            .starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\""));
        assert!(url_html("HTTP://example.org").starts_with("<a href="));
        for hostile in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://x.org/ onmouseover=alert(1)",
        ] {
            let html = url_html(hostile);
            assert!(!html.contains("href="), "{hostile} became a link: {html}");
            assert!(!html.contains("<script"), "{html}");
        }
        let quoted = url_html("https://x.org/\"onmouseover=alert(1)");
        assert!(!quoted.contains("\"onmouseover"), "{quoted}");
    }

    #[test]
    fn base64_is_rfc_4648() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(bytes), text);
        }
    }

    #[test]
    fn highlights_fit_or_fall_back_to_plain_text() {
        assert_eq!(highlighted("a <b> c", 2, 5), "a <mark>&lt;b&gt;</mark> c");
        assert_eq!(highlighted("é", 0, 1), "é");
        assert_eq!(highlighted("abc", 2, 9), "abc");
    }
}
