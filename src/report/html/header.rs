//! The top of the page: the document head (style, Content-Security-Policy), the header (drop,
//! articles per language, dates, models, counts, warnings, links to the CSV files) and the
//! filter bar.

use std::collections::BTreeSet;

use super::encode::escape;
use super::{script_hash, Page, STYLE};
use crate::domain::{FactOutcome, Label, SameEvent};
use crate::report::{Report, ReportFile};

impl Page<'_> {
    /// The document head, the header: drop, articles per language, dates, models, counts,
    /// warnings, links to the CSV files.
    pub(super) fn head(&mut self, report: &Report) {
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
        self.articles_line();
        self.models_line(report);
        self.counts_line();
        self.warnings();
        self.nav();
    }

    /// Articles per language, their dates, crosscheck's version.
    fn articles_line(&mut self) {
        let out = self.out;
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
        let earlier = out.articles.iter().filter(|a| a.earlier.is_some()).count();
        let count = match earlier {
            0 => format!("{} articles", out.articles.len()),
            n => format!(
                "{} articles, {n} of them from earlier drops of the story",
                out.articles.len()
            ),
        };
        self.html.push_str(&format!(
            "<p class=\"meta\">{count} ({}) · {} · crosscheck {}</p>\n",
            languages.join(", "),
            escape(&dated),
            env!("CARGO_PKG_VERSION"),
        ));
    }

    /// The model files in use (their sha256 are in run.json).
    fn models_line(&mut self, report: &Report) {
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
    }

    /// Discrepancies, facts by outcome, claims, pairs.
    fn counts_line(&mut self) {
        let out = self.out;
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
    }

    /// The run's warnings, open when there are few.
    fn warnings(&mut self) {
        let warnings = &self.out.warnings;
        if warnings.is_empty() {
            self.html.push_str("<p class=\"meta\">no warnings</p>\n");
            return;
        }
        self.html.push_str(&format!(
            "<details class=\"warnings\"{}><summary>{} warnings</summary><ul>\n",
            if warnings.len() <= 5 { " open" } else { "" },
            warnings.len()
        ));
        for w in warnings {
            self.html
                .push_str(&format!("<li>{}</li>\n", escape(&w.to_string())));
        }
        self.html.push_str("</ul></details>\n");
    }

    /// Links to the sections and to the CSV files; closes the header.
    fn nav(&mut self) {
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
    pub(super) fn filters(&mut self) {
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
}
