//! How text goes into the page: escaped as HTML, a URL as a link only when it is a web URL,
//! a highlighted span, and base64 for the script's hash.

use std::borrow::Cow;

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe as element
/// content and as a quoted attribute value.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
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
pub(super) fn url_html(url: &str) -> String {
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
pub(super) fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// A sentence with the bytes `start..end` in a `<mark>` (the whole sentence plain when the
/// range does not fit it).
pub(super) fn highlighted(sentence: &str, start: usize, end: usize) -> String {
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

/// Standard base64 (RFC 4648, with padding).
pub(super) fn base64(bytes: &[u8]) -> String {
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
