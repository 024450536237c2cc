//! When the top of an article is a header block and when it is text. A header block is one or
//! more header lines of known keys whose values look like values (a URL is one word, a date has
//! digits, a language is a code), ended by a blank line (or the end of the file); the seeds'
//! inline form `date 2025-07 <body>` also ends it. Anything else is text: "URL: the ministry has
//! not published one yet, a spokesman said." is the article's first sentence.

use super::headers::{header, line_end};

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
}
