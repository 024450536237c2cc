//! The main text of a web page: the article's body paragraphs in reading order, without menus,
//! ads, share buttons, cookie and paywall notices, related links, comments and captions.
//!
//! Two well-kept extractors are run and the better one kept, then hand-written rules remove
//! the furniture both leave in (measured on the public article-extraction benchmark, see
//! docs/figures.md "Article extraction"):
//! - rs-trafilatura (a Rust port of trafilatura) gives the best text on most pages, with its
//!   paragraphs;
//! - dom_smoothie (a Rust port of Readability.js) is kept instead when rs-trafilatura returned
//!   clearly more text (`FALLBACK_RATIO`): that is rs-trafilatura falling back to the whole
//!   page (a list of headlines, the sidebar).
//!
//! The rules: lines of furniture ("ADVERTISEMENT", "You may also like...", "Also on x.com",
//! a photo credit, a date and time alone), the headlines listed after a "related" heading, and
//! the page's title repeated as the first line.

use dom_query::Document;

/// rs-trafilatura's text longer than this many times dom_smoothie's (and dom_smoothie's at
/// least [`FALLBACK_MIN_CHARS`]) and dom_smoothie's is kept.
const FALLBACK_RATIO: f64 = 1.2;
/// Shortest dom_smoothie text that may replace rs-trafilatura's.
const FALLBACK_MIN_CHARS: usize = 200;

/// What extraction found in a page.
#[derive(Debug, Clone, Default)]
pub struct MainText {
    /// The body, paragraphs separated by blank lines, each paragraph on one line.
    pub body: String,
    /// rs-trafilatura's page classifier calls it a list of items (a home, section or search
    /// page) rather than an article.
    pub listing: bool,
    /// Share of the page's visible text that is link text.
    pub link_share: f64,
    /// Which extractor gave the body.
    pub extractor: Extractor,
}

/// The extractor whose text was kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Extractor {
    /// rs-trafilatura.
    #[default]
    Trafilatura,
    /// dom_smoothie (Readability).
    Readability,
}

/// The main text of the page `html` (parsed as `doc`, for the title and the link share).
pub fn main_text(html: &str, doc: &Document) -> MainText {
    let traf = rs_trafilatura::extract(html).ok();
    let listing = traf.as_ref().is_some_and(|r| {
        matches!(
            r.metadata.page_type.as_deref(),
            Some("listing") | Some("category")
        )
    });
    let traf_text = traf.map(|r| r.content_text).unwrap_or_default();
    let readability = readability_text(html);
    let traf_fell_back = traf_text.len() as f64 > FALLBACK_RATIO * readability.len() as f64
        && readability.len() >= FALLBACK_MIN_CHARS;
    let (body, extractor) = if traf_fell_back || traf_text.trim().is_empty() {
        (readability, Extractor::Readability)
    } else {
        (traf_text, Extractor::Trafilatura)
    };
    let titles = titles(doc);
    MainText {
        body: clean_body(&without_markup(&body), &titles),
        listing,
        link_share: link_share(doc),
        extractor,
    }
}

/// The text with any markup in it removed: an extractor that falls back to raw source (an
/// unclosed `<title>` swallows the page as text) never hands tags or scripts on.
fn without_markup(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    text.lines()
        .map(|line| super::page_meta::strip_markup(line, false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// dom_smoothie's text of the page, paragraphs on lines of their own.
fn readability_text(html: &str) -> String {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    dom_smoothie::Readability::new(html, None, Some(config))
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

/// The page's titles (`<h1>`s, `og:title`, `<title>`), normalised, to spot a title repeated as
/// the body's first line.
fn titles(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = doc
        .select("h1")
        .iter()
        .map(|n| n.text().to_string())
        .collect();
    for meta in doc.select("meta").iter() {
        if meta
            .attr("property")
            .is_some_and(|p| p.eq_ignore_ascii_case("og:title"))
        {
            out.extend(meta.attr("content").map(|c| c.to_string()));
        }
    }
    out.extend(doc.select("title").iter().map(|n| n.text().to_string()));
    out.iter()
        .map(|t| words(t))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Lower-case words of `text`, joined by single spaces.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Share of the body's text that sits inside links.
fn link_share(doc: &Document) -> f64 {
    let all = doc.select("body").text().split_whitespace().count();
    let linked = doc.select("body a").text().split_whitespace().count();
    if all == 0 {
        0.0
    } else {
        linked as f64 / all as f64
    }
}

/// The body with furniture lines, listed headlines and a repeated title removed, each
/// paragraph's whitespace collapsed, paragraphs separated by blank lines.
pub fn clean_body(body: &str, titles: &[String]) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut in_list = false;
    for line in body.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if rules().heading.is_match(&line) {
            in_list = true;
            continue;
        }
        if in_list {
            if ends_a_sentence(&line) && line.split_whitespace().count() >= 8 {
                in_list = false;
            } else {
                continue;
            }
        }
        if rules().furniture.is_match(&line) || is_date_line(&line) {
            continue;
        }
        kept.push(line);
    }
    let mut dropped_titles = 0;
    while dropped_titles < 2 && !kept.is_empty() {
        let first = words(&kept[0]);
        let is_title = titles
            .iter()
            .any(|t| *t == first || (first.len() > 20 && t.starts_with(&first)));
        if !is_title {
            break;
        }
        kept.remove(0);
        dropped_titles += 1;
    }
    kept.join("\n\n")
}

fn ends_a_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', '"', '”', '»', '…'])
}

/// A line that is only a date and/or time ("20 Nov, 2019 05:47", "11/20/2019 01:14 PM").
fn is_date_line(line: &str) -> bool {
    line.chars().any(|c| c.is_ascii_digit()) && rules().date.is_match(line)
}

struct Rules {
    furniture: regex::Regex,
    heading: regex::Regex,
    date: regex::Regex,
}

fn rules() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let heading = r"you may also like\.*|related( articles| stories| posts| news)?:?|more:|read more:?|read next:?|also on \S+|don't miss:?|most read|see also:?";
        let furniture = format!(
            r"(?i)^({heading}|advertisement|advert|ad|sponsored( content)?|see more:.*|like this story\?.*|share (this|it)\b.*|this slideshow requires javascript\.?|tell us what you think.*|updated at .*|updated:? .{{0,40}}|source:?|print this article|comments?|loading\.*|(subscribe|sign up|assine|assina|abonnez-vous|suscríbete|suscribete|jetzt abonnieren|abonnieren sie|abbonati|berlangganan|langganan|abonează-te|abonați-vă)\b(\W*\w+){{0,20}}\W*|©(\W*\w+){{0,6}}\W*|.*\(credit: [^)]*\)|.*\[ ?(insight|video|reaction|pics|poll|latest)\]\|?)$"
        );
        let month = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";
        let date = format!(
            r"(?i)^[\s\d:,./-]*(\d{{1,2}}\s+{month}|{month}\s+\d{{1,2}})?[\s\d:,./-]*((am|pm|gmt|utc|et|est)\b)?[\s\d:,./-]*$"
        );
        Rules {
            furniture: regex::Regex::new(&furniture).expect("valid regex"),
            heading: regex::Regex::new(&format!("(?i)^({heading})$")).expect("valid regex"),
            date: regex::Regex::new(&date).expect("valid regex"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_and_listed_headlines_go() {
        let body = "Big Headline Here\n\nFirst real paragraph of the story, long enough.\nADVERTISEMENT\n20 Nov, 2019 05:47\nYou may also like...\nOther story one\nOther story two\nThe story goes on with a full sentence of eight words.\n© Reuters / David";
        let cleaned = clean_body(body, &[words("Big Headline Here | Site")]);
        assert_eq!(
            cleaned,
            "Big Headline Here\n\nFirst real paragraph of the story, long enough.\n\nThe story goes on with a full sentence of eight words."
        );
        let cleaned = clean_body(body, &[words("Big Headline Here")]);
        assert!(cleaned.starts_with("First real paragraph"));
    }
}
