//! What a saved web page says about itself: title, publication and modification dates, outlet,
//! canonical URL, language and author, read from the places news sites put them (Open Graph and
//! `article:` meta tags, JSON-LD `NewsArticle` and its kin, `<time datetime>`, `<html lang>`,
//! `<link rel=canonical>`). Every value is plain text: tags are stripped and entities decoded,
//! so markup in a title never reaches a report.

use dom_query::Document;
use serde_json::Value;

use crate::domain::PublicationDate;

/// The metadata of one page; `None` where the page does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// Headline: `og:title`, JSON-LD `headline`, the first `<h1>`, then `<title>`.
    pub title: Option<String>,
    /// Publication date (`article:published_time`, JSON-LD `datePublished`, other date meta
    /// tags, then the first `<time datetime>`).
    pub published: Option<PublicationDate>,
    /// Last modification date (`article:modified_time`, JSON-LD `dateModified`).
    pub modified: Option<PublicationDate>,
    /// Outlet: `og:site_name`, JSON-LD `publisher.name`, `application-name`.
    pub outlet: Option<String>,
    /// Canonical URL (`<link rel=canonical>`, `og:url`, JSON-LD `url`); http(s) only.
    pub url: Option<String>,
    /// Language code as declared (`<html lang>`, `og:locale`, `content-language`, JSON-LD
    /// `inLanguage`), the primary subtag only ("pt" for "pt-BR").
    pub language: Option<String>,
    /// Author(s): JSON-LD `author.name`, `<meta name=author>`, `article:author` (when a name).
    pub author: Option<String>,
    /// The page calls itself an article (`og:type` article, a JSON-LD article type).
    pub says_article: bool,
}

/// JSON-LD `@type`s that are one article.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "SocialMediaPosting",
    "WebPage",
];

/// Longest title or outlet kept, in characters (a whole paragraph in `og:title` is cut).
const MAX_FIELD_CHARS: usize = 300;

/// Reads a page's metadata from its parsed document. Once the JSON-LD is read, the scripts,
/// styles and other elements whose content no reader sees are removed from `doc`, so that no
/// text of theirs reaches a title (or anything read from `doc` afterwards).
pub fn read(doc: &Document) -> PageMeta {
    let ld = json_ld(doc);
    doc.select(
        &RAW_ELEMENTS
            .iter()
            .filter(|e| **e != "title")
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
    )
    .remove();
    let article_ld: Vec<&Value> = ld.iter().filter(|v| is_article_type(v)).collect();
    let ld_str = |key: &str| {
        article_ld
            .iter()
            .find_map(|v| v.get(key).and_then(text_of))
            .and_then(|s| clean(&s))
    };
    let title = meta(doc, "og:title")
        .or_else(|| meta(doc, "twitter:title"))
        .or_else(|| ld_str("headline"))
        .or_else(|| meta(doc, "headline"))
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title"));
    let published = date_meta(doc, &["article:published_time", "og:published_time"])
        .or_else(|| ld_date(&article_ld, "datePublished"))
        .or_else(|| {
            date_meta(
                doc,
                &[
                    "datePublished",
                    "date",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "publish_date",
                    "dc.date",
                    "dc.date.issued",
                    "dcterms.created",
                    "parsely-pub-date",
                    "sailthru.date",
                    "article.published",
                    "cxenseparse:recs:publishtime",
                ],
            )
        })
        .or_else(|| time_element(doc));
    let modified = date_meta(doc, &["article:modified_time", "og:updated_time"])
        .or_else(|| ld_date(&article_ld, "dateModified"))
        .or_else(|| date_meta(doc, &["dateModified", "dcterms.modified"]));
    let outlet = meta(doc, "og:site_name")
        .or_else(|| {
            article_ld
                .iter()
                .chain(
                    ld.iter()
                        .filter(|v| type_is(v, &["Organization", "NewsMediaOrganization"]))
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .find_map(|v| {
                    let p = v.get("publisher").unwrap_or(v);
                    name_of(p)
                })
        })
        .or_else(|| meta(doc, "application-name"));
    let url = link_rel(doc, "canonical")
        .or_else(|| meta(doc, "og:url"))
        .or_else(|| ld_str("url"))
        .filter(|u| is_web_url(u));
    let language = attr_of(doc, "html", "lang")
        .or_else(|| attr_of(doc, "html", "xml:lang"))
        .or_else(|| meta(doc, "og:locale"))
        .or_else(|| http_equiv(doc, "content-language"))
        .or_else(|| ld_str("inLanguage"))
        .and_then(|l| primary_subtag(&l));
    let author = article_ld
        .iter()
        .find_map(|v| v.get("author").and_then(names_of))
        .or_else(|| meta(doc, "author"))
        .or_else(|| meta(doc, "article:author").filter(|a| !a.contains("://")))
        .or_else(|| first_text(doc, "[rel=author]"));
    let says_article = meta(doc, "og:type").is_some_and(|t| t.eq_ignore_ascii_case("article"))
        || ld.iter().any(|v| {
            type_is(
                v,
                &ARTICLE_TYPES[..ARTICLE_TYPES.len() - 1], // a WebPage alone is no article
            )
        });
    PageMeta {
        title,
        published,
        modified,
        outlet,
        url,
        language,
        author,
        says_article,
    }
}

/// A `<meta>` value by `property`, `name` or `itemprop`, cleaned.
fn meta(doc: &Document, key: &str) -> Option<String> {
    doc.select("meta")
        .iter()
        .find(|m| {
            ["property", "name", "itemprop"].iter().any(|a| {
                m.attr(a)
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case(key))
            })
        })
        .and_then(|m| m.attr("content"))
        .and_then(|v| clean(&v))
}

/// A `<meta http-equiv>` value.
fn http_equiv(doc: &Document, key: &str) -> Option<String> {
    doc.select("meta")
        .iter()
        .find(|m| {
            m.attr("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(key))
        })
        .and_then(|m| m.attr("content"))
        .and_then(|v| clean(&v))
}

fn date_meta(doc: &Document, keys: &[&str]) -> Option<PublicationDate> {
    keys.iter()
        .find_map(|k| meta(doc, k).and_then(|v| parse_date(&v)))
}

fn first_text(doc: &Document, selector: &str) -> Option<String> {
    doc.select(selector).iter().find_map(|n| clean(&n.text()))
}

fn attr_of(doc: &Document, selector: &str, attr: &str) -> Option<String> {
    doc.select(selector)
        .iter()
        .find_map(|n| n.attr(attr).and_then(|v| clean(&v)))
}

fn link_rel(doc: &Document, rel: &str) -> Option<String> {
    doc.select("link")
        .iter()
        .find(|l| {
            l.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case(rel)))
        })
        .and_then(|l| l.attr("href"))
        .and_then(|v| clean(&v))
}

/// The first `<time datetime>` of the article (or marked `pubdate` / `itemprop=datePublished`;
/// else the first in the page).
fn time_element(doc: &Document) -> Option<PublicationDate> {
    let dated = |selector: &str| {
        doc.select(selector)
            .iter()
            .find_map(|t| t.attr("datetime").and_then(|v| parse_date(&v)))
    };
    dated("time[pubdate], time[itemprop=datePublished]")
        .or_else(|| dated("article time[datetime]"))
        .or_else(|| dated("time[datetime]"))
}

/// Every JSON-LD object of the page (`@graph` members and array items flattened).
fn json_ld(doc: &Document) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select("script").iter() {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let text = script.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        flatten(value, &mut out, 0);
    }
    out
}

fn flatten(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out, depth + 1)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn type_is(value: &Value, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let t = t.rsplit('/').next().unwrap_or(t);
            types.iter().any(|x| x.eq_ignore_ascii_case(t))
        })
    };
    match value.get("@type") {
        Some(Value::Array(ts)) => ts.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

fn is_article_type(value: &Value) -> bool {
    type_is(value, ARTICLE_TYPES)
}

fn ld_date(objects: &[&Value], key: &str) -> Option<PublicationDate> {
    objects
        .iter()
        .find_map(|v| v.get(key).and_then(text_of).and_then(|d| parse_date(&d)))
}

/// A string, or the first string of an array.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(text_of),
        Value::Object(map) => map.get("@id").or(map.get("url")).and_then(text_of),
        _ => None,
    }
}

/// The `name` of an object (or the string itself).
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => clean(s),
        Value::Object(map) => map.get("name").and_then(|n| n.as_str()).and_then(clean),
        Value::Array(items) => items.iter().find_map(name_of),
        _ => None,
    }
}

/// Every name of a person or list of people, joined with ", ".
fn names_of(value: &Value) -> Option<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.contains("://")).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The day of a date as the page states it: ISO 8601 (`2025-07-04T10:00:00+02:00` is
/// 2025-07-04, the day the outlet gave, not converted to UTC), `2025/07/04`, `20250704`, or
/// RFC 2822 (`Fri, 04 Jul 2025 10:00:00 GMT`).
pub fn parse_date(value: &str) -> Option<PublicationDate> {
    let value = value.trim();
    static ISO: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let iso = ISO.get_or_init(|| {
        regex::Regex::new(r"^((?:19|20)\d{2})[-/.]?(\d{2})[-/.]?(\d{2})(?:$|[T\s_])")
            .expect("valid regex")
    });
    if let Some(c) = iso.captures(value) {
        return PublicationDate::parse(&format!("{}-{}-{}", &c[1], &c[2], &c[3]));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(value) {
        let d = t.date_naive();
        return PublicationDate::parse(&d.format("%Y-%m-%d").to_string());
    }
    None
}

/// Plain text of a metadata value: tags removed, entities decoded (also twice-escaped ones),
/// whitespace collapsed, control characters dropped, cut to `MAX_FIELD_CHARS`; `None` when
/// nothing is left.
pub fn clean(value: &str) -> Option<String> {
    let text = strip_markup(value, true);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let cut: String = joined.chars().take(MAX_FIELD_CHARS).collect();
    (!cut.is_empty()).then_some(cut)
}

/// Elements whose content is no text a reader sees (or, for `title` and `textarea`, is raw text
/// that would swallow the rest of a fragment).
const RAW_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "textarea", "title", "xmp",
    "noembed", "noframes", "object",
];

/// `text` without markup: the elements of `RAW_ELEMENTS` removed with their content, every
/// tag (`<x ...>`, `</x>`, `<!...>`) removed, and, with `decode`, entities decoded (up to three
/// rounds, for text escaped twice) with the same removal after each. A `<` not followed by a
/// letter, `/` or `!` ("a < b") is kept.
pub fn strip_markup(text: &str, decode: bool) -> String {
    static TAG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let tag =
        TAG.get_or_init(|| regex::Regex::new(r"<[/!]?[a-zA-Z!][^<>]*>").expect("valid regex"));
    let strip = |t: &str| tag.replace_all(&remove_raw_elements(t), " ").into_owned();
    let mut out = strip(text);
    if decode {
        for _ in 0..3 {
            if !out.contains('&') {
                break;
            }
            let decoded = Document::fragment(out.as_str()).text().to_string();
            if decoded == out {
                break;
            }
            out = strip(&decoded);
        }
    }
    out
}

/// `text` with each element of [`RAW_ELEMENTS`] and its content cut out (to the end when it
/// is never closed).
fn remove_raw_elements(text: &str) -> String {
    let mut out = text.to_string();
    for name in RAW_ELEMENTS {
        loop {
            let lower = out.to_ascii_lowercase();
            let open = format!("<{name}");
            let Some(start) = lower.match_indices(&open).map(|(i, _)| i).find(|&i| {
                lower[i + open.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == '>' || c == '/' || c.is_whitespace())
            }) else {
                break;
            };
            let close = format!("</{name}");
            let end = match lower[start + open.len()..].find(&close) {
                Some(at) => {
                    let after = start + open.len() + at + close.len();
                    lower[after..]
                        .find('>')
                        .map_or(out.len(), |gt| after + gt + 1)
                }
                None => out.len(),
            };
            out.replace_range(start..end, " ");
        }
    }
    out
}

/// "pt" for "pt-BR", "pt_BR" or "PT"; `None` for something that is no language tag.
fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// Whether `url` is an absolute http(s) URL (a `javascript:` or `data:` one is not kept).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> PageMeta {
        read(&Document::from(html))
    }

    #[test]
    fn open_graph_and_article_tags() {
        let m = meta_of(
            r#"<html lang="pt-BR"><head><title>Site | X</title>
            <meta property="og:title" content="Lula &amp; Biden &lt;b&gt;falam&lt;/b&gt;">
            <meta property="og:site_name" content="Folha">
            <meta property="article:published_time" content="2025-07-04T23:30:00-03:00">
            <meta property="article:modified_time" content="2025-07-05T08:00:00Z">
            <meta property="og:type" content="article">
            <meta name="author" content="Ana Souza">
            <link rel="canonical" href="https://folha.example/a/1">
            </head><body><h1>Other</h1></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Lula & Biden falam"));
        assert_eq!(m.outlet.as_deref(), Some("Folha"));
        assert_eq!(m.published.unwrap().to_string(), "2025-07-04");
        assert_eq!(m.modified.unwrap().to_string(), "2025-07-05");
        assert_eq!(m.language.as_deref(), Some("pt"));
        assert_eq!(m.url.as_deref(), Some("https://folha.example/a/1"));
        assert_eq!(m.author.as_deref(), Some("Ana Souza"));
        assert!(m.says_article);
    }

    #[test]
    fn json_ld_graph_and_time_elements() {
        let m = meta_of(
            r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org",
            "@graph":[{"@type":"WebSite","name":"W"},{"@type":["NewsArticle"],"headline":"H",
            "datePublished":"2024-11-05","dateModified":"2024-11-06T10:00:00+01:00",
            "author":[{"@type":"Person","name":"A"},{"name":"B"}],
            "publisher":{"@type":"Organization","name":"Die Zeitung"},"inLanguage":"de-DE"}]}
            </script></head><body><time datetime="2020-01-01">x</time></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("H"));
        assert_eq!(m.published.unwrap().to_string(), "2024-11-05");
        assert_eq!(m.modified.unwrap().to_string(), "2024-11-06");
        assert_eq!(m.author.as_deref(), Some("A, B"));
        assert_eq!(m.outlet.as_deref(), Some("Die Zeitung"));
        assert_eq!(m.language.as_deref(), Some("de"));
        let m = meta_of(
            r#"<body><h1>T <script>x</script></h1><time datetime="2023-02-03T01:00">x</time></body>"#,
        );
        assert_eq!(m.published.unwrap().to_string(), "2023-02-03");
        assert!(!m.says_article);
    }

    #[test]
    fn hostile_values_stay_text() {
        let m = meta_of(
            r#"<head><title>&lt;script&gt;alert(1)&lt;/script&gt;Real</title>
            <link rel="canonical" href="javascript:alert(1)"></head>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Real"));
        assert_eq!(m.url, None);
        assert_eq!(
            parse_date("Fri, 04 Jul 2025 10:00:00 GMT")
                .unwrap()
                .to_string(),
            "2025-07-04"
        );
        assert_eq!(parse_date("not a date"), None);
    }
}
