//! Header lines at the top of an article file (`title:`, `date:`, `lang:`, `url:`,
//! `outlet:`), and publication dates written into URLs.

use crate::domain::{Article, DateSource, Notice, PublicationDate};

/// Header keys recognised at the top of an article file.
const HEADER_KEYS: &[&str] = &["date", "lang", "url", "outlet", "title"];

/// Reads `key: value` header lines at the top of the text and moves `body_start` past them
/// (call it when the text starts with a header block, see `header_block`).
/// Lines may end in `\n`, `\r\n` or a lone `\r`. A `date` header may also share its line with
/// the body (` date 2025-07 Andrii Iermak, ...`), as in pages saved with their metadata inline.
pub fn read(article: &mut Article) {
    let mut pos = 0;
    let mut seen: Vec<&'static str> = Vec::new();
    loop {
        let rest = &article.text[pos..];
        let line_end = line_end(rest);
        let line = &rest[..line_end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let Some((key, value, inline_rest)) = header(trimmed) else {
            break;
        };
        let value = value.trim().to_string();
        if seen.contains(&key) {
            article
                .notes
                .push(Notice::DuplicateHeader { key: key.into() });
        }
        seen.push(key);
        apply(article, key, value);
        match inline_rest {
            Some(offset) => {
                let start = pos + indent + offset;
                let body = &article.text[start..];
                pos = start + body.len() - body.trim_start().len();
                break;
            }
            None => pos += line_end,
        }
    }
    article.body_start = pos;
}

/// Length of the first line of `text` with its terminator (`\n`, `\r\n` or `\r`).
pub(super) fn line_end(text: &str) -> usize {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => i + 2,
        Some(i) => i + 1,
        None => text.len(),
    }
}

fn apply(article: &mut Article, key: &str, value: String) {
    match key {
        "date" => match PublicationDate::parse(&value)
            .or_else(|| super::timestamps::timestamp_date(&value))
        {
            Some(date) => article.date = Some((date, DateSource::Header)),
            None => article.notes.push(Notice::BadDate { value }),
        },
        "lang" => match crate::lang::find(&value) {
            Some(language) => article.declared_language = Some(language.code.to_string()),
            None => {
                article.declared_language = None;
                article.notes.push(Notice::UnknownLanguage { value });
            }
        },
        "url" => article.url = Some(value),
        "outlet" => article.outlet = Some(value),
        _ => article.title = Some(value),
    }
}

/// Sets a manifest column's value as if it were a header line.
pub fn apply_column(article: &mut Article, key: &'static str, value: Option<String>) {
    if let Some(value) = value {
        apply(article, key, value);
    }
}

/// Parses a header line: `key: value`, or `date 2025-07 <body text>` where the body continues
/// on the same line (then the offset of the body within `line` is returned too).
pub(super) fn header(line: &str) -> Option<(&'static str, &str, Option<usize>)> {
    let key = HEADER_KEYS.iter().find(|k| {
        line.len() > k.len()
            && line
                .get(..k.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(k))
    })?;
    let after = &line[key.len()..];
    if let Some(value) = after.strip_prefix(':') {
        return Some((key, value.trim_end_matches(['\r', '\n']), None));
    }
    if *key == "date" && after.starts_with(' ') {
        let value_start = key.len() + (after.len() - after.trim_start().len());
        let token_len = line[value_start..]
            .find(char::is_whitespace)
            .unwrap_or(line.len() - value_start);
        let token = &line[value_start..value_start + token_len];
        PublicationDate::parse(token)?;
        let body_offset = value_start + token_len;
        let has_body = !line[body_offset..].trim().is_empty();
        return Some((key, token, has_body.then_some(body_offset)));
    }
    None
}

/// Gives an undated article the date of its URL (or of a URL in its text), if any.
pub(super) fn date_from_urls_when_undated(article: &mut Article) {
    if article.date.is_none() {
        article.date =
            date_from_urls(article.url.as_deref(), article.body()).map(|d| (d, DateSource::Url));
    }
}

/// A date written into a URL: `...-20250320062607212.htm`, `/2025/03/20/`, `/2025-03-20/`.
/// Looks at the article URL first, then at URLs quoted in the text (a "Quelle: https://..." line).
pub fn date_from_urls(url: Option<&str>, body: &str) -> Option<PublicationDate> {
    static URL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let url_re = URL.get_or_init(|| regex::Regex::new(r"https?://\S+").expect("valid regex"));
    let date_re = DATE.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[^0-9]|\d{6,9}(?:[^0-9]|$)|$)")
            .expect("valid regex")
    });
    url.into_iter()
        .chain(url_re.find_iter(body).map(|m| m.as_str()))
        .find_map(|u| {
            date_re
                .captures_iter(u)
                .find_map(|c| PublicationDate::parse(&format!("{}-{}-{}", &c[1], &c[2], &c[3])))
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::article;
    use super::*;

    #[test]
    fn inline_date_header_of_seed_001() {
        let a = article(" date 2025-07 Andrii Iermak, șeful biroului");
        assert_eq!(a.date.unwrap().0.to_string(), "2025-07");
        assert_eq!(a.body(), "Andrii Iermak, șeful biroului");
    }

    #[test]
    fn header_lines_are_read_and_skipped() {
        let a = article(
            "title: Call\nlang: PT\ndate: 2025-07-04\nurl: https://x.org/a\n\nCorpo do texto.",
        );
        assert_eq!(a.title.as_deref(), Some("Call"));
        assert_eq!(a.declared_language.as_deref(), Some("pt"));
        assert_eq!(
            a.date.unwrap().0.naive_date(),
            chrono::NaiveDate::from_ymd_opt(2025, 7, 4)
        );
        assert_eq!(a.body().trim(), "Corpo do texto.");
    }

    #[test]
    fn lone_carriage_returns_end_header_lines() {
        let a = article("title: Call\rdate: 2025-07-04\rlang: en\r\rThe body text is here.\rMore.");
        assert_eq!(a.title.as_deref(), Some("Call"));
        assert!(a.date.is_some());
        assert_eq!(a.body().trim_start(), "The body text is here.\rMore.");
    }

    #[test]
    fn unknown_languages_and_repeated_headers_are_noted() {
        let a = article("lang: xx\ndate: 2025-07-04\ndate: 2025-07-05\n\nText of it.");
        assert_eq!(a.declared_language, None);
        assert!(a
            .notes
            .contains(&Notice::UnknownLanguage { value: "xx".into() }));
        assert!(a
            .notes
            .contains(&Notice::DuplicateHeader { key: "date".into() }));
        assert_eq!(a.date.unwrap().0.to_string(), "2025-07-05");
        let a = article("lang:\n\nText of it.");
        assert!(a.notes.contains(&Notice::UnknownLanguage {
            value: String::new()
        }));
    }

    #[test]
    fn a_sentence_starting_with_date_is_not_a_header() {
        let a = article("Date palm exports rose.");
        assert_eq!(a.body_start, 0);
        assert!(a.date.is_none());
    }

    #[test]
    fn date_from_a_quoted_source_url() {
        let body =
            "Text.\nQuelle: https://dantri.com.vn/the-gioi/ong-trump-bac-20250320062607212.htm\n";
        assert_eq!(
            date_from_urls(None, body).unwrap().to_string(),
            "2025-03-20"
        );
        assert_eq!(
            date_from_urls(Some("https://x.com/2024/11/05/story"), "")
                .unwrap()
                .to_string(),
            "2024-11-05"
        );
        assert!(date_from_urls(Some("https://x.com/item/12345678901"), "").is_none());
    }
}
