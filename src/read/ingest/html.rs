//! Saved web pages (`.html`, `.htm`, also gzip-compressed `.html.gz`) as articles: the bytes are
//! decoded with the charset the page declares, the main text is extracted
//! ([`super::extract`]) and the page's own metadata ([`super::page_meta`]) fills the header
//! fields. The article's text is the page rendered as a `.txt` article: header lines (`title:`,
//! `date:`, `lang:`, `url:`, `outlet:`), a blank line, then the body paragraphs. That text is
//! what `crosscheck extract` prints and what a run keeps beside its reports
//! (`pages/<id>.txt`), and report offsets are byte offsets into it.
//!
//! A page saved by `crosscheck fetch` starts with a comment block naming the link, the final
//! URL, the response's date and content type, and any values the links file gave (which win
//! over the page's own metadata); a page saved by a browser may start with its
//! `<!-- saved from url=... -->` mark.

use std::io::Read;
use std::path::Path;

use dom_query::Document;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::page_meta::{self, PageMeta};
use crate::domain::{Article, DateSource, Notice, PageDetails, PublicationDate, SkipReason};

/// Extensions of saved web pages (a `.gz` after them is a gzip-compressed page).
pub const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];

/// First line of the comment block `crosscheck fetch` writes at the top of a saved page.
pub const FETCH_MARK: &str = "<!-- saved by crosscheck fetch";

/// Fewer words than this in the extracted body (and fewer letters than
/// [`MIN_ARTICLE_LETTERS`], for scripts written without spaces) and the page holds no article.
const MIN_ARTICLE_WORDS: usize = 25;
/// See [`MIN_ARTICLE_WORDS`]: 120 letters are two sentences of Chinese or Japanese.
const MIN_ARTICLE_LETTERS: usize = 120;

/// Whether `path` names a saved web page (`a.html`, `a.htm`, `a.html.gz`, any case).
pub fn is_page(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    PAGE_EXTENSIONS
        .iter()
        .any(|ext| name.len() > ext.len() + 1 && name.ends_with(&format!(".{ext}")))
}

/// The article id of a page file: its name without `.html` / `.html.gz`.
pub fn page_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let mut cut = name.len();
    if lower.ends_with(".gz") {
        cut -= 3;
    }
    if let Some(dot) = lower[..cut].rfind('.') {
        cut = dot;
    }
    name[..cut].to_string()
}

/// What the comment block of a fetched page (or a browser's "saved from" mark) records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedRecord {
    /// The link as listed (`link:`), or the browser's `saved from url=`.
    pub link: Option<String>,
    /// Where the last redirect ended (`final-url:`).
    pub final_url: Option<String>,
    /// The response's `Date` header (`http-date:`).
    pub http_date: Option<String>,
    /// The response's `Content-Type` header (`content-type:`), which may name the charset.
    pub content_type: Option<String>,
    /// Values the links file gave for this link (`given-title:`, `given-date:`,
    /// `given-lang:`, `given-outlet:`); they win over the page's metadata.
    pub given: Vec<(String, String)>,
}

/// A page read and extracted: its metadata, its body, what decoding noticed.
#[derive(Debug, Clone)]
pub struct ExtractedPage {
    /// The page's metadata, with the values of the saved record applied.
    pub meta: PageMeta,
    /// The main text, paragraphs separated by blank lines.
    pub body: String,
    /// The saved record at the top of the file, if any.
    pub saved: SavedRecord,
    /// Decoding notes (charset guessed, invalid bytes).
    pub notes: Vec<Notice>,
    /// The publication date as given by the links file, which wins over the page's.
    pub given_date: Option<PublicationDate>,
    /// Language, title and outlet given by the links file.
    pub given_lang: Option<String>,
    /// The title the links file gave.
    pub given_title: Option<String>,
    /// The outlet the links file gave.
    pub given_outlet: Option<String>,
}

impl ExtractedPage {
    /// The title that goes into the `title:` header line.
    pub fn title(&self) -> Option<&str> {
        self.given_title.as_deref().or(self.meta.title.as_deref())
    }

    /// The URL of the article: the canonical URL, else where the fetch ended, else the link.
    pub fn url(&self) -> Option<&str> {
        self.meta
            .url
            .as_deref()
            .or(self.saved.final_url.as_deref())
            .or(self.saved.link.as_deref())
            .filter(|u| page_meta::is_web_url(u))
    }

    /// The page as a `.txt` article: header lines, a blank line, the body (ending in a line
    /// end).
    pub fn as_text(&self) -> String {
        let mut out = String::new();
        let date = self.given_date.or(self.meta.published);
        let lang = self.given_lang.as_deref().or(self.meta.language.as_deref());
        let outlet = self.given_outlet.as_deref().or(self.meta.outlet.as_deref());
        for (key, value) in [
            ("title", self.title().map(str::to_string)),
            ("date", date.map(|d| d.to_string())),
            ("lang", lang.map(str::to_string)),
            ("url", self.url().map(str::to_string)),
            ("outlet", outlet.map(str::to_string)),
        ] {
            if let Some(value) = value {
                out.push_str(&format!("{key}: {value}\n"));
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(self.body.trim_end());
        out.push('\n');
        out
    }
}

/// Reads a page's bytes (gzip-compressed ones are unpacked, to at most `limit` bytes): decoded,
/// main text extracted, metadata read. A page that holds no article is refused with the
/// reason.
pub fn extract_page(bytes: &[u8], limit: u64) -> Result<ExtractedPage, SkipReason> {
    let unpacked;
    let bytes = if bytes.starts_with(&[0x1F, 0x8B]) {
        unpacked = gunzip(bytes, limit)?;
        &unpacked[..]
    } else {
        bytes
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    for (signature, format) in [(&b"%PDF-"[..], "PDF"), (b"PK\x03\x04", "ZIP")] {
        if bytes.starts_with(signature) {
            return Err(SkipReason::Binary {
                format: format.into(),
            });
        }
    }
    let (saved, rest) = saved_record(bytes);
    let http_charset = saved
        .content_type
        .as_deref()
        .and_then(charset_of_content_type);
    let (html, notes) = decode_page(rest, http_charset);
    let doc = Document::from(html.as_str());
    let mut meta = page_meta::read(&doc);
    let main = super::extract::main_text(&html, &doc);
    let given = |key: &str| {
        saved
            .given
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| page_meta::clean(v))
    };
    let given_date = given("date").and_then(|d| PublicationDate::parse(&d));
    let given_lang = given("lang");
    let given_title = given("title");
    let given_outlet = given("outlet");
    if meta.url.is_none() {
        meta.url = saved.final_url.clone().filter(|u| page_meta::is_web_url(u));
    }
    let mut notes = notes;
    if given_lang.is_none() {
        if let Some(detected) = contradicted_language(meta.language.as_deref(), &main.body) {
            notes.push(Notice::PageLanguageContradicted {
                declared: meta.language.take().unwrap_or_default(),
                detected: detected.into(),
            });
        }
    }
    let words = main.body.split_whitespace().count();
    let letters = main.body.chars().filter(|c| c.is_alphanumeric()).count();
    let non_ascii_letters = main
        .body
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii())
        .count();
    let spaceless = non_ascii_letters * 2 > letters;
    if words < MIN_ARTICLE_WORDS && !(spaceless && letters >= MIN_ARTICLE_LETTERS) {
        let looks_like = if looks_like_consent_wall(&doc) {
            "a consent or paywall notice"
        } else if main.listing {
            "a list of links: a home, section or search page"
        } else {
            "no article text found"
        };
        return Err(SkipReason::NoArticleInPage {
            looks_like: looks_like.into(),
        });
    }
    let sentences = main
        .body
        .split("\n\n")
        .filter(|p| p.split_whitespace().count() >= 10 && ends_a_sentence(p))
        .count();
    if (main.listing && !meta.says_article && main.link_share > 0.5)
        || (sentences == 0 && !spaceless)
    {
        return Err(SkipReason::NoArticleInPage {
            looks_like: "a list of links: a home, section or search page".into(),
        });
    }
    Ok(ExtractedPage {
        meta,
        body: main.body,
        saved,
        notes,
        given_date,
        given_lang,
        given_title,
        given_outlet,
    })
}

/// An article from a page file's bytes; its text is [`ExtractedPage::as_text`], its header
/// fields are read from that text as for a `.txt` article, and a date taken from the page's
/// metadata is marked as such.
pub fn parse_page(
    id: String,
    path: &Path,
    bytes: &[u8],
    limit: u64,
) -> Result<Article, SkipReason> {
    let page = extract_page(bytes, limit)?;
    let text = page.as_text();
    let mut article = super::article_from_text(id, path, text, bytes)?;
    if page.given_date.is_none() && page.meta.published.is_some() {
        if let Some((date, DateSource::Header)) = article.date {
            article.date = Some((date, DateSource::Page));
        }
    }
    article.page = Some(PageDetails {
        author: page.meta.author.clone(),
        modified: page.meta.modified.map(|d| d.to_string()),
        fetched_from: page.saved.link.clone(),
    });
    article.notes.splice(0..0, page.notes);
    Ok(article)
}

/// The language the body reads as, when the detector is sure of it and it is not the one the
/// page declares.
fn contradicted_language(declared: Option<&str>, body: &str) -> Option<&'static str> {
    let declared = declared?;
    let info = whatlang::detect(body)?;
    if !info.is_reliable() || info.confidence() < 0.9 {
        return None;
    }
    let detected = crate::lang::by_detector(info.lang())?;
    (detected.code != declared).then_some(detected.code)
}

/// Whether a paragraph ends like a sentence (a list of headlines does not).
fn ends_a_sentence(paragraph: &str) -> bool {
    paragraph
        .trim_end()
        .ends_with(['.', '!', '?', '"', '”', '»', '…', '。', '！', '？', ')'])
}

/// Unpacks a gzip-compressed page, refusing one that unpacks to more than `limit` bytes.
fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, SkipReason> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| SkipReason::Unreadable {
            error: format!("broken gzip data: {e}"),
        })?;
    if out.len() as u64 > limit {
        return Err(SkipReason::TooLarge {
            bytes: out.len() as u64,
            limit,
        });
    }
    Ok(out)
}

/// The saved record at the top of a page, and the bytes after it (the page as it was served).
pub fn saved_record(bytes: &[u8]) -> (SavedRecord, &[u8]) {
    let mut record = SavedRecord::default();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &bytes[start..];
    if head.starts_with(FETCH_MARK.as_bytes()) {
        let Some(end) = find(head, b"-->") else {
            return (record, bytes);
        };
        let block = String::from_utf8_lossy(&head[FETCH_MARK.len()..end]);
        for line in block.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
            if value.is_empty() {
                continue;
            }
            match key.as_str() {
                "link" => record.link = Some(value),
                "final-url" => record.final_url = Some(value),
                "http-date" => record.http_date = Some(value),
                "content-type" => record.content_type = Some(value),
                k => {
                    if let Some(given) = k.strip_prefix("given-") {
                        record.given.push((given.to_string(), value));
                    }
                }
            }
        }
        return (record, &head[end + 3..]);
    }
    // A browser's mark of the web: <!-- saved from url=(0042)https://... -->
    let prefix = &head[..head.len().min(1024)];
    if let Some(at) = find(prefix, b"saved from url=(") {
        let after = &prefix[at + 16..];
        if let (Some(close), Some(end)) = (find(after, b")"), find(after, b"-->")) {
            if close < end {
                let url = String::from_utf8_lossy(&after[close + 1..end])
                    .trim()
                    .to_string();
                if page_meta::is_web_url(&url) {
                    record.link = Some(url);
                }
            }
        }
    }
    (record, bytes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The encoding named by a `Content-Type` value (`text/html; charset=ISO-8859-1`).
fn charset_of_content_type(value: &str) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let label = lower[at + 8..]
        .trim_start_matches(['"', '\''])
        .split(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .next()?;
    Encoding::for_label(label.as_bytes())
}

/// The charset a page declares in its first 4 KB (`<meta charset>` or `<meta http-equiv=
/// Content-Type content="...; charset=...">`).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = META.get_or_init(|| {
        regex::bytes::Regex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(4096)];
    let label = re.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label)
}

/// A page's bytes as text. A byte-order mark decides first, then the charset of the response
/// (`http`), then the page's `<meta charset>`; UTF-8 bytes are read as UTF-8 whatever the page
/// says (a page that lies), and an undeclared page that is not UTF-8 gets the decoding rules
/// of `.txt` files: a few bad bytes become U+FFFD, else Windows-1252.
fn decode_page(bytes: &[u8], http: Option<&'static Encoding>) -> (String, Vec<Notice>) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        let mut notes = Vec::new();
        if encoding != UTF_8 {
            notes.push(Notice::Decoded {
                encoding: encoding.name().into(),
                guessed: false,
            });
        }
        if had_errors {
            notes.push(Notice::InvalidBytes {
                count: invalid_count(body, encoding),
            });
        }
        return (text.into_owned(), notes);
    }
    let declared = http.or_else(|| meta_charset(bytes));
    let declared = declared.filter(|e| *e != UTF_16LE && *e != UTF_16BE);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), Vec::new());
    }
    match declared {
        Some(encoding) if encoding != UTF_8 => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let notes = vec![Notice::Decoded {
                encoding: encoding.name().into(),
                guessed: false,
            }];
            (text.into_owned(), notes)
        }
        _ if mostly_utf8(bytes) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let notes = vec![Notice::InvalidBytes {
                count: invalid_count(bytes, UTF_8),
            }];
            (text, notes)
        }
        _ => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            let notes = vec![Notice::Decoded {
                encoding: "Windows-1252 (Latin-1)".into(),
                guessed: true,
            }];
            (text.into_owned(), notes)
        }
    }
}

fn invalid_count(bytes: &[u8], encoding: &'static Encoding) -> usize {
    if encoding == UTF_8 {
        bytes.utf8_chunks().map(|c| c.invalid().len()).sum()
    } else {
        1
    }
}

/// The rule of `.txt` files: bytes that are not valid UTF-8 are still UTF-8 with a few bad
/// bytes when there are at least as many valid multi-byte characters as runs of bad bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid_runs) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid_runs += 1;
        }
    }
    multibyte > 0 && multibyte >= invalid_runs
}

/// Words of cookie-consent and paywall notices, in the languages crosscheck reads.
const WALL_WORDS: &[&str] = &[
    "cookie",
    "consent",
    "subscribe to continue",
    "subscribers only",
    "paywall",
    "zustimm",
    "einwillig",
    "abonnieren",
    "consentimento",
    "assinante",
    "consentimiento",
    "suscríbete",
    "consentement",
    "abonnez",
    "consenso",
    "abbonati",
    "persetujuan",
    "berlangganan",
    "abonează",
    "acordul",
];

/// Whether the page's visible text is mostly a cookie or paywall notice.
fn looks_like_consent_wall(doc: &Document) -> bool {
    let text = doc.select("body").text().to_lowercase();
    WALL_WORDS.iter().any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names() {
        assert!(is_page(Path::new("a.html")));
        assert!(is_page(Path::new("A.HTM")));
        assert!(is_page(Path::new("a.html.gz")));
        assert!(!is_page(Path::new("a.gz")));
        assert!(!is_page(Path::new(".html")));
        assert!(!is_page(Path::new("a.txt")));
        assert_eq!(page_id(Path::new("d/story-1.html.gz")), "story-1");
        assert_eq!(page_id(Path::new("story.v2.htm")), "story.v2");
    }

    #[test]
    fn charsets_as_declared_and_lies_caught() {
        let latin = b"<meta charset=\"iso-8859-1\"><p>S\xe3o Paulo</p>";
        let (text, notes) = decode_page(latin, None);
        assert!(text.contains("São Paulo"), "{text}");
        assert!(matches!(notes[0], Notice::Decoded { guessed: false, .. }));
        let lying = "<meta charset=\"iso-8859-1\"><p>São Paulo</p>".as_bytes();
        assert!(decode_page(lying, None).0.contains("São Paulo"));
        let undeclared = b"<p>S\xe3o Paulo</p>";
        let (text, notes) = decode_page(undeclared, None);
        assert!(text.contains("São Paulo"));
        assert!(matches!(notes[0], Notice::Decoded { guessed: true, .. }));
        let http = charset_of_content_type("text/html; charset=\"windows-1251\"");
        assert_eq!(http.map(|e| e.name()), Some("windows-1251"));
        let (text, _) = decode_page(b"<p>\xcf\xf0\xe8</p>", http);
        assert!(text.contains("При"), "{text}");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<p>Olá</p>".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert!(decode_page(&utf16, None).0.contains("Olá"));
    }

    #[test]
    fn saved_records_are_read() {
        let page = b"<!-- saved by crosscheck fetch\nlink: https://x.org/a\nfinal-url: https://x.org/b\ncontent-type: text/html; charset=utf-8\ngiven-date: 2025-07-04\n-->\n<html></html>";
        let (record, rest) = saved_record(page);
        assert_eq!(record.link.as_deref(), Some("https://x.org/a"));
        assert_eq!(record.final_url.as_deref(), Some("https://x.org/b"));
        assert_eq!(record.given, vec![("date".into(), "2025-07-04".into())]);
        assert_eq!(rest, b"\n<html></html>");
        let chrome = b"<!DOCTYPE html>\n<!-- saved from url=(0017)https://x.org/c -->\n<html>";
        assert_eq!(
            saved_record(chrome).0.link.as_deref(),
            Some("https://x.org/c")
        );
    }
}
