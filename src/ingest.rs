//! The `ingest` stage: turns a drop into `Article`s. A drop is a folder of articles (`.txt`,
//! `.md`), each optionally starting with header lines (`date:`, `lang:`, `url:`, `outlet:`,
//! `title:`), and/or manifests (`.csv`, `.jsonl`) with those columns plus `text`.
//!
//! A file that cannot be used becomes a one-line warning naming the file and the fix, and the
//! rest of the drop goes on. Text that is not UTF-8 is decoded when its encoding can be told
//! (UTF-16 with a byte-order mark, Latin-1/Windows-1252), with a warning.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A publication date, as precise as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PublicationDate {
    /// Year.
    pub year: i32,
    /// Month 1-12.
    pub month: u32,
    /// Day of month, when known.
    pub day: Option<u32>,
}

impl std::fmt::Display for PublicationDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.day {
            Some(day) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, day),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl PublicationDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY/MM/DD` or `YYYYMMDD` (a valid calendar date only).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let separators_ok = s.chars().all(|c| c.is_ascii_digit() || "-/.".contains(c));
        if !separators_ok {
            return None;
        }
        let (year, month, day) = match digits.len() {
            6 => (&digits[..4], &digits[4..6], None),
            8 => (&digits[..4], &digits[4..6], Some(&digits[6..8])),
            _ => return None,
        };
        let date = PublicationDate {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.map(str::parse).transpose().ok()?,
        };
        date.is_valid().then_some(date)
    }

    fn is_valid(&self) -> bool {
        (1990..=2100).contains(&self.year)
            && match self.day {
                Some(d) => chrono::NaiveDate::from_ymd_opt(self.year, self.month, d).is_some(),
                None => (1..=12).contains(&self.month),
            }
    }

    /// The exact day, when the day is known.
    pub fn naive_date(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day?)
    }
}

/// Where an article's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// A `date:` header or manifest column.
    Header,
    /// A date inside the article's URL (or a source URL quoted in the text).
    Url,
}

impl DateSource {
    /// Column value in the reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::Header => "header",
            DateSource::Url => "url",
        }
    }
}

/// One news article of the drop.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable identifier: the file stem, or the manifest's `id` (else file stem and row).
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The whole text as read (headers included), UTF-8; offsets in reports index into it.
    pub text: String,
    /// Byte offset where the body starts (after header lines).
    pub body_start: usize,
    /// Language from a `lang:` header, if given (otherwise detected by `segment`).
    pub declared_language: Option<String>,
    /// Publication date and where it came from.
    pub date: Option<(PublicationDate, DateSource)>,
    /// `url:` header or column.
    pub url: Option<String>,
    /// `outlet:` header or column.
    pub outlet: Option<String>,
    /// `title:` header or column.
    pub title: Option<String>,
    /// sha256 of the file's bytes, for the run record.
    pub sha256: String,
    /// Non-fatal problems (decoded from another encoding, ...), printed as warnings.
    pub notes: Vec<String>,
}

impl Article {
    /// An article with no header information yet; `read_headers` fills it in.
    pub fn new(id: String, path: &Path, text: String, sha256: String) -> Self {
        Article {
            id,
            path: path.to_path_buf(),
            body_start: 0,
            declared_language: None,
            date: None,
            url: None,
            outlet: None,
            title: None,
            sha256,
            notes: Vec::new(),
            text,
        }
    }

    /// The body text (after header lines).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A file (or manifest row) of the drop that was skipped, and why; printed as one line.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// What is wrong and what to do about it.
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// File extensions read as single articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md"];
/// File extensions read as manifests of many articles.
pub const MANIFEST_EXTENSIONS: &[&str] = &["csv", "jsonl"];

/// Header keys recognised at the top of an article file.
const HEADER_KEYS: &[&str] = &["date", "lang", "url", "outlet", "title"];

/// Reads every article of a drop: a folder (articles and manifests, in file-name order, so
/// runs are deterministic) or a single manifest file.
pub fn read_drop(drop: &Path) -> anyhow::Result<(Vec<Article>, Vec<Skipped>)> {
    let paths = if drop.is_file() {
        vec![drop.to_path_buf()]
    } else {
        let entries = std::fs::read_dir(drop).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the drop folder {}: {e}; pass a folder of .txt/.md articles or a .csv/.jsonl manifest",
                drop.display()
            )
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        paths
    };
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let ext = extension(&path);
        if ARTICLE_EXTENSIONS.contains(&ext.as_str()) {
            match read_article_file(&path) {
                Ok(article) => articles.push(article),
                Err(reason) => skipped.push(Skipped { path, reason }),
            }
        } else if MANIFEST_EXTENSIONS.contains(&ext.as_str()) {
            match read_manifest(&path) {
                Ok((rows, bad)) => {
                    articles.extend(rows);
                    skipped.extend(bad);
                }
                Err(reason) => skipped.push(Skipped { path, reason }),
            }
        } else if path.is_file() && !is_hidden(&path) {
            skipped.push(Skipped {
                path,
                reason: "not an article (.txt, .md) or manifest (.csv, .jsonl); ignored".into(),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for article in &mut articles {
        if !seen.insert(article.id.clone()) {
            let base = article.id.clone();
            let n = (2..)
                .find(|n| !seen.contains(&format!("{base}-{n}")))
                .expect("unbounded");
            article.id = format!("{base}-{n}");
            article.notes.push(format!(
                "id {base} is used twice in the drop; this one is {}",
                article.id
            ));
            seen.insert(article.id.clone());
        }
    }
    Ok((articles, skipped))
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Decodes file bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM, or Latin-1/Windows-1252
/// when the bytes are not UTF-8 but look like text. Binary files are refused.
/// Returns the text and, when it was not plain UTF-8, a note saying how it was decoded.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes)
            .map(|t| (t, Some("decoded from UTF-16 LE".into())));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes)
            .map(|t| (t, Some("decoded from UTF-16 BE".into())));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let looks_binary = |b: &[u8]| {
        let controls = b
            .iter()
            .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0C))
            .count();
        b.contains(&0) || controls * 100 > b.len().max(1)
    };
    if looks_binary(bytes) {
        return Err("binary file, not text; export the article as UTF-8 text".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), None)),
        Err(_) => Ok((
            bytes.iter().map(|&b| windows_1252(b)).collect(),
            Some("not UTF-8; decoded as Windows-1252 (Latin-1): re-save it as UTF-8 if letters look wrong".into()),
        )),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("truncated UTF-16 text (odd number of bytes); re-save it as UTF-8".into());
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| "invalid UTF-16 text; re-save it as UTF-8".into())
}

/// Windows-1252 differs from Latin-1 only in 0x80-0x9F, where it has typographic characters.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Reads one article file; the error says why it was skipped.
pub fn read_article_file(path: &Path) -> Result<Article, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read it ({e}); check it exists and is readable"))?;
    let (text, note) = decode_text(&bytes)?;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut article = article_from_text(id, path, text, sha256_hex(&bytes))?;
    article.notes.extend(note);
    Ok(article)
}

/// Builds an article from its text, reading header lines at the top.
fn article_from_text(
    id: String,
    path: &Path,
    text: String,
    sha256: String,
) -> Result<Article, String> {
    if text.trim().is_empty() {
        return Err("empty file; nothing to check".into());
    }
    let mut article = Article::new(id, path, text, sha256);
    read_headers(&mut article);
    if article.body().trim().is_empty() {
        return Err("only header lines, no article text".into());
    }
    if article.date.is_none() {
        article.date =
            date_from_urls(article.url.as_deref(), article.body()).map(|d| (d, DateSource::Url));
    }
    Ok(article)
}

/// Reads `key: value` header lines at the top of the text and moves `body_start` past them.
/// A `date` header may also share its line with the body (` date 2025-07 Andrii Iermak, ...`),
/// as in pages saved with their metadata inline.
fn read_headers(article: &mut Article) {
    let mut pos = 0;
    loop {
        let rest = &article.text[pos..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        let trimmed = line.trim_start();
        let Some((key, value, inline_rest)) = header(trimmed) else {
            break;
        };
        let value = value.trim().to_string();
        match key {
            "date" => match PublicationDate::parse(&value) {
                Some(date) => article.date = Some((date, DateSource::Header)),
                None => article.notes.push(format!(
                    "date header {value:?} is not YYYY-MM-DD or YYYY-MM; ignored"
                )),
            },
            "lang" => article.declared_language = Some(value.to_ascii_lowercase()),
            "url" => article.url = Some(value),
            "outlet" => article.outlet = Some(value),
            "title" => article.title = Some(value),
            _ => unreachable!("header() returns known keys"),
        }
        match inline_rest {
            Some(offset) => {
                let start = pos + (line.len() - trimmed.len()) + offset;
                pos =
                    start + article.text[start..].len() - article.text[start..].trim_start().len();
                break;
            }
            None => pos += line_end,
        }
    }
    article.body_start = pos;
}

/// Parses a header line: `key: value`, or `date 2025-07 <body text>` where the body continues
/// on the same line (then the offset of the body within `line` is returned too).
fn header(line: &str) -> Option<(&'static str, &str, Option<usize>)> {
    let key = HEADER_KEYS
        .iter()
        .find(|k| line.len() > k.len() && line[..k.len()].eq_ignore_ascii_case(k))?;
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

/// One row of a manifest.
#[derive(Debug, Deserialize)]
struct ManifestRow {
    id: Option<String>,
    text: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
}

/// Reads a `.csv` (with a header row) or `.jsonl` manifest: one article per row.
fn read_manifest(path: &Path) -> Result<(Vec<Article>, Vec<Skipped>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it ({e})"))?;
    let (text, _) = decode_text(&bytes)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows: Vec<Result<ManifestRow, String>> = if extension(path) == "csv" {
        csv::Reader::from_reader(text.as_bytes())
            .deserialize()
            .map(|r| {
                r.map_err(|e| {
                    format!(
                        "not a manifest row ({e}); columns are id,date,lang,url,outlet,title,text"
                    )
                })
            })
            .collect()
    } else {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("not a JSON object ({e})")))
            .collect()
    };
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let row_path = PathBuf::from(format!("{}#row{}", path.display(), i + 1));
        let article = row.and_then(|row| {
            let text = row.text.ok_or("no text column/field")?;
            let id = row.id.unwrap_or_else(|| format!("{stem}-{}", i + 1));
            let mut article =
                article_from_text(id, path, text.clone(), sha256_hex(text.as_bytes()))?;
            if let Some(d) = row.date {
                match PublicationDate::parse(&d) {
                    Some(date) => article.date = Some((date, DateSource::Header)),
                    None => article
                        .notes
                        .push(format!("date {d:?} is not YYYY-MM-DD or YYYY-MM; ignored")),
                }
            }
            article.declared_language = row
                .lang
                .map(|l| l.to_ascii_lowercase())
                .or(article.declared_language);
            article.url = row.url.or(article.url);
            article.outlet = row.outlet.or(article.outlet);
            article.title = row.title.or(article.title);
            if article.date.is_none() {
                article.date = date_from_urls(article.url.as_deref(), article.body())
                    .map(|d| (d, DateSource::Url));
            }
            Ok(article)
        });
        match article {
            Ok(a) => articles.push(a),
            Err(reason) => skipped.push(Skipped {
                path: row_path,
                reason,
            }),
        }
    }
    Ok((articles, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        article_from_text("a".into(), Path::new("a.txt"), text.into(), String::new()).unwrap()
    }

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

    #[test]
    fn encodings_are_decoded_or_refused() {
        let (t, note) = decode_text(&[0xFF, 0xFE, b'O', 0, b'i', 0]).unwrap();
        assert_eq!(t, "Oi");
        assert!(note.unwrap().contains("UTF-16"));
        let (t, note) = decode_text(b"S\xe3o Paulo \x93quoted\x94").unwrap();
        assert_eq!(t, "São Paulo “quoted”");
        assert!(note.unwrap().contains("Windows-1252"));
        assert!(decode_text(b"\x7fELF\x02\x01\x01\x00\x00")
            .unwrap_err()
            .contains("binary"));
        assert_eq!(decode_text("\u{feff}ok".as_bytes()).unwrap().0, "ok");
    }
}
