//! When the top of an article is a header block and when it is text. A header block is one or
//! more header lines of known keys whose values look like values (a URL is one word, a date has
//! digits, a language is a code), ended by a blank line (or the end of the file); the seeds'
//! inline form `date 2025-07 <body>` also ends it. Anything else is text: "URL: the ministry has
//! not published one yet, a spokesman said." is the article's first sentence.

use super::headers::{header, line_end};
use crate::domain::PublicationDate;

/// Whether `text` starts with a header block (see the module documentation).
pub(super) fn starts_with_header_block(text: &str) -> bool {
    let mut pos = 0;
    let mut any = false;
    loop {
        let rest = &text[pos..];
        if rest.is_empty() {
            return any;
        }
        let end = line_end(rest);
        let line = rest[..end].trim_start();
        if line.trim().is_empty() {
            return any;
        }
        let Some((key, value, inline_body)) = header(line) else {
            return false;
        };
        if inline_body.is_some() {
            return true;
        }
        if !looks_like_value(key, value.trim()) {
            return false;
        }
        any = true;
        pos += end;
    }
}

/// Whether `value` looks like a value of header `key` rather than the rest of a sentence.
fn looks_like_value(key: &str, value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    let words = value.split_whitespace().count();
    match key {
        "url" => words == 1,
        "lang" => {
            words == 1
                && value.len() <= 16
                && value
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '_')
        }
        "date" => {
            value.chars().any(|c| c.is_ascii_digit())
                && words <= 7
                && !value.ends_with(['.', '!', '?', ',', ';', ':'])
        }
        _ => true,
    }
}

/// The publication date of a timestamp as web pages and feeds give it: RFC 3339
/// (`2025-07-04T10:30:00Z`, `2025-07-04T10:30:00+02:00`) or ISO 8601 without a zone
/// (`2025-07-04T10:30`, `2025-07-04 10:30:00`). The date is the one written, in the
/// publisher's own time zone.
pub(super) fn timestamp_date(value: &str) -> Option<PublicationDate> {
    let value = value.trim();
    let date = chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.date_naive())
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(value, f).ok())
            .map(|t| t.date())
        })?;
    PublicationDate::parse(&date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_block_needs_value_like_values_and_a_blank_line() {
        for block in [
            "title: Call\nlang: PT\ndate: 2025-07-04\nurl: https://x.org/a\n\nCorpo.",
            "title: Call\rdate: 2025-07-04\r\rThe body.",
            " date 2025-07 Andrii Iermak, șeful biroului",
            "lang:\n\nText of it.",
            "date: 2025-07-04\n",
            "url: javascript:alert(1)\n\nText.",
        ] {
            assert!(starts_with_header_block(block), "{block:?}");
        }
        for text in [
            "URL: the ministry has not published one yet, a spokesman said.\nThe talks.",
            "Date: not set, the ministry said.\n\nThe talks.",
            "Date: 4 July, the ministry said.\n\nThe talks.",
            "title: Call\nThe body follows at once.",
            "lang: the negotiators spoke English.\n\nText.",
            "Date palm exports rose.",
            "\ntitle: Call\n\nText.",
        ] {
            assert!(!starts_with_header_block(text), "{text:?}");
        }
    }

    #[test]
    fn timestamps_give_their_date() {
        for (value, date) in [
            ("2025-07-04T10:30:00Z", "2025-07-04"),
            ("2025-07-04T23:30:00-05:00", "2025-07-04"),
            ("2025-07-04T10:30:00.123+02:00", "2025-07-04"),
            ("2025-07-04T10:30", "2025-07-04"),
            ("2025-07-04 10:30:00", "2025-07-04"),
        ] {
            assert_eq!(
                timestamp_date(value).map(|d| d.to_string()).as_deref(),
                Some(date),
                "{value}"
            );
        }
        for value in [
            "2025-07-04",
            "yesterday",
            "2025-13-04T10:30:00Z",
            "1800-01-01T00:00Z",
        ] {
            assert_eq!(timestamp_date(value), None, "{value}");
        }
    }
}
