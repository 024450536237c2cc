//! The claims: single-source claims per article, the agreeing pairs, and every article's text
//! with each claim marked (agreed, disputed, single-source, furniture) and linked to its
//! discrepancies and agreements.

use std::collections::BTreeSet;

use super::encode::{escape, slice, url_html};
use super::{Page, Status};
use crate::domain::{FactOutcome, Label};
use crate::report::rows::{name, PairRow, SummaryRow};

impl Page<'_> {
    /// The claims no other article states, per article: the list to verify first.
    pub(super) fn single_source(&mut self) {
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
    pub(super) fn agreements(&mut self) {
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
    pub(super) fn articles(&mut self) {
        let out = self.out;
        let sentences_of = children(out.articles.len(), out.sentences.iter().map(|s| s.article));
        let claims_of = children(out.sentences.len(), out.claims.iter().map(|c| c.sentence));
        let values_of = children(out.claims.len(), out.values.iter().map(|v| v.claim));
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
            self.article_header(i);
            self.html.push_str(&format!(
                "</p>\n<div class=\"text\" lang=\"{}\">",
                escape(self.languages[i])
            ));
            self.article_text(i, sentences, &claims_of, &values_of);
            self.html.push_str("</div>\n</details>\n");
        }
        self.html.push_str("</section>\n</main>\n");
    }

    /// Article `i`'s summary line (title, outlet, language, date) and its facts in figures.
    fn article_header(&mut self, i: usize) {
        let out = self.out;
        let a = &out.articles[i];
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
        if let Some(e) = &a.earlier {
            self.html.push_str(&format!(
                " · <strong>from an earlier drop</strong>: archive run {}, {} ({})",
                e.run,
                escape(&e.drop),
                escape(&e.started)
            ));
        }
        if let Some(url) = &a.url {
            self.html.push_str(&format!(" · {}", url_html(url)));
        }
        if a.page.is_some() && a.earlier.is_none() {
            self.html.push_str(&format!(
                " · <a href=\"{}/{}\">the text read from the page</a> (offsets point into it)",
                crate::report::pages::PAGES_DIR,
                percent_encoded(&crate::report::pages::page_file_name(&a.id))
            ));
        }
        if let Some(s) = out
            .languages
            .get(i)
            .map(|language| SummaryRow::of(out, i, language))
        {
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

/// For each of `parents` items, the indices of the children that name it as their parent
/// (sentences of an article, claims of a sentence, values of a claim), in order.
fn children(parents: usize, parent_of: impl Iterator<Item = usize>) -> Vec<Vec<usize>> {
    let mut of = vec![Vec::new(); parents];
    for (child, parent) in parent_of.enumerate() {
        if let Some(list) = of.get_mut(parent) {
            list.push(child);
        }
    }
    of
}

/// A file name as a relative URL path: everything but ASCII letters, digits, `-`, `_` and `.`
/// percent-encoded.
fn percent_encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
