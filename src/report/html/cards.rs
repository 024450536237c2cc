//! The discrepancy cards, most important first (the rows of conflicts.csv, in its order): what
//! is disputed, the value groups with their articles, and both sides' sentences with the
//! disputed words marked; differences between different events in their own collapsed section.

use std::collections::BTreeSet;

use super::encode::{escape, highlighted};
use super::Page;
use crate::domain::{DiscrepancySubject, SameEvent};
use crate::report::fact_rows::{evidence, DiscrepancyRow, Evidence};
use crate::report::rows::name;

impl Page<'_> {
    /// The discrepancies, most important first, as cards; those between different events in
    /// their own collapsed section.
    pub(super) fn discrepancies(&mut self) {
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
        self.value_groups(&facts);
        self.sides([a, b], &row);
        if let Some(pair) = row.pair {
            self.html
                .push_str(&format!("<p class=\"more\">pairs.csv row {pair}</p>\n"));
        }
        self.html.push_str("</article>\n");
    }

    /// The value groups of the disputed facts, each with the articles that give it.
    fn value_groups(&mut self, facts: &[&crate::domain::Fact]) {
        let out = self.out;
        if facts.is_empty() {
            return;
        }
        self.html.push_str("<ul class=\"groups\">\n");
        for fact in facts {
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

    /// The two sides' sentences with the disputed words marked.
    fn sides(&mut self, [a, b]: [Evidence; 2], row: &DiscrepancyRow) {
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
}
