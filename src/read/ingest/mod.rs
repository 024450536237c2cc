//! The `ingest` stage: turns a drop into `Article`s. A drop is a folder of articles (`.txt`,
//! `.md`), each optionally starting with header lines (`date:`, `lang:`, `url:`, `outlet:`,
//! `title:`), saved web pages (`.html`, `.htm`, `.html.gz`: [`html`]), and/or manifests
//! (`.csv`, `.jsonl`) with those columns plus `text`.
//!
//! Only regular files at the drop's top level are read, each up to a size limit. A file that
//! cannot be used becomes a warning naming the file and the fix, and the rest of the drop goes
//! on.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "lang: pt\n\nTambém concordamos.").unwrap();
//! let drop = crosscheck::read::ingest::read_drop(dir.path(), &Default::default()).unwrap();
//! assert_eq!(drop.articles[0].declared_language.as_deref(), Some("pt"));
//! assert_eq!(drop.articles[0].body().trim(), "Também concordamos.");
//! ```

mod code_lines;
mod csv_scan;
mod decode;
mod encoding_guess;
pub mod extract;
mod header_block;
mod headers;
pub mod html;
mod manifest;
pub mod page_meta;
mod timestamps;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use self::decode::{decode, decode_text, Decoded};
pub use self::headers::date_from_urls;
use self::headers::date_from_urls_when_undated;
use crate::domain::{Article, Notice, SkipReason, Warning};

/// File extensions read as single articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md"];
/// File extensions read as manifests of many articles.
pub const MANIFEST_EXTENSIONS: &[&str] = &["csv", "jsonl"];

/// Limits of what ingest reads.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestConfig {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_bytes: u64,
}

/// Default per-file limit: 20 MB, far above any article and room for a manifest of a few
/// thousand.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20_000_000;

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// The drop's articles and what was noticed while reading them.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Articles in file-name order (manifest rows in row order).
    pub articles: Vec<Article>,
    /// Skipped files and per-file notes.
    pub warnings: Vec<Warning>,
}

/// Why a drop cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the drop folder {path}: {source}; pass a folder of .txt/.md articles or a .csv/.jsonl manifest")]
pub struct DropError {
    /// The drop.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// Reads every article of a drop: a folder (articles and manifests, in file-name order, so
/// runs are deterministic) or a single manifest file.
pub fn read_drop(drop: &Path, config: &IngestConfig) -> Result<Ingested, DropError> {
    let paths = if drop.is_file() {
        vec![drop.to_path_buf()]
    } else {
        let entries = std::fs::read_dir(drop).map_err(|source| DropError {
            path: drop.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        paths
    };
    let mut out = Ingested::default();
    for path in paths {
        let skip = |reason| Warning {
            path: path.clone(),
            notice: Notice::Skipped(reason),
        };
        match read_file(&path, config) {
            Ok(FileContent::Article(article)) => out.articles.push(*article),
            Ok(FileContent::Manifest(drop)) => {
                out.articles.extend(drop.articles);
                out.warnings.extend(drop.warnings);
            }
            Err(reason) => out.warnings.push(skip(reason)),
        }
    }
    rename_duplicate_ids(&mut out.articles);
    for article in &out.articles {
        out.warnings.extend(article.notes.iter().map(|n| Warning {
            path: article.path.clone(),
            notice: n.clone(),
        }));
    }
    Ok(out)
}

/// What one file of the drop gave.
enum FileContent {
    Article(Box<Article>),
    Manifest(Ingested),
}

fn read_file(path: &Path, config: &IngestConfig) -> Result<FileContent, SkipReason> {
    if is_hidden(path) {
        return Err(SkipReason::Hidden);
    }
    let metadata = std::fs::metadata(path).map_err(|e| SkipReason::Unreadable {
        error: e.to_string(),
    })?;
    if metadata.is_dir() {
        return Err(SkipReason::SubFolder);
    }
    if html::is_page(path) {
        let bytes = read_regular_file(path, &metadata, config.max_file_bytes)?;
        let page = html::parse_page(html::page_id(path), path, &bytes, config.max_file_bytes);
        return page.map(|a| FileContent::Article(Box::new(a)));
    }
    let ext = extension(path);
    let is_article = ARTICLE_EXTENSIONS.contains(&ext.as_str());
    if !is_article && !MANIFEST_EXTENSIONS.contains(&ext.as_str()) {
        return Err(SkipReason::UnknownExtension);
    }
    let bytes = read_regular_file(path, &metadata, config.max_file_bytes)?;
    if is_article {
        parse_article(stem(path), path, &bytes).map(|a| FileContent::Article(Box::new(a)))
    } else {
        parse_manifest(path, &bytes, ext == "csv").map(FileContent::Manifest)
    }
}

/// An article from a file's bytes: decoded, headers read, offsets mapped back to the bytes.
pub fn parse_article(id: String, path: &Path, bytes: &[u8]) -> Result<Article, SkipReason> {
    let decoded = decode(bytes)?;
    let mut article = article_from_text(id, path, decoded.text, bytes)?;
    article.source_offsets = decoded.offsets;
    article.notes.splice(0..0, decoded.notes);
    Ok(article)
}

/// The articles of a manifest's bytes (`.csv` with a header row when `is_csv`, else `.jsonl`).
pub fn parse_manifest(path: &Path, bytes: &[u8], is_csv: bool) -> Result<Ingested, SkipReason> {
    let decoded = decode_text(bytes)?;
    manifest::read(path, &decoded.text, is_csv)
}

/// The bytes of a regular file of at most `limit` bytes (a pipe or device is refused before it
/// is opened, so it cannot block or fill memory).
fn read_regular_file(
    path: &Path,
    metadata: &std::fs::Metadata,
    limit: u64,
) -> Result<Vec<u8>, SkipReason> {
    if !metadata.is_file() {
        return Err(SkipReason::NotRegularFile);
    }
    if metadata.len() > limit {
        return Err(SkipReason::TooLarge {
            bytes: metadata.len(),
            limit,
        });
    }
    let unreadable = |e: std::io::Error| SkipReason::Unreadable {
        error: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Gives a later article whose id is already taken the id `<id>-2` (`-3`, ...), with a note.
fn rename_duplicate_ids(articles: &mut [Article]) {
    let mut seen = std::collections::BTreeSet::new();
    for article in articles {
        if seen.insert(article.id.clone()) {
            continue;
        }
        let base = article.id.clone();
        let renamed = (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !seen.contains(id))
            .unwrap_or_default();
        article.notes.push(Notice::DuplicateId {
            id: base,
            renamed: renamed.clone(),
        });
        article.id = renamed.clone();
        seen.insert(renamed);
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// The article id of a file: its stem, escaped as warnings show names (so that two names
/// that differ only in bytes that are not UTF-8 give two ids).
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(crate::domain::escaped_name)
        .unwrap_or_default()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Builds an article from its decoded text, reading header lines at the top; `bytes` are what
/// its sha256 is taken of.
fn article_from_text(
    id: String,
    path: &Path,
    text: String,
    bytes: &[u8],
) -> Result<Article, SkipReason> {
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut article = Article::new(id, path, text, crate::io::sha256_hex(bytes));
    if header_block::starts_with_header_block(&article.text) {
        headers::read(&mut article);
    }
    if article.body().trim().is_empty() {
        return Err(SkipReason::OnlyHeaders);
    }
    date_from_urls_when_undated(&mut article);
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn article(text: &str) -> Article {
        article_from_text("a".into(), Path::new("a.txt"), text.into(), text.as_bytes()).unwrap()
    }

    #[test]
    fn an_article_starting_with_a_non_ascii_letter_is_read() {
        for text in [
            "Também concordamos em uma reunião entre nossas equipes.",
            "Élysée a confirmé l'appel.",
            "Дата не указана в начале.",
            "Ημερομηνία και άλλα.",
            "التاريخ في البداية.",
            "日期在开头。",
            "วันที่อยู่ตอนต้น",
            "दिनांक शुरू में है।",
            "ד",
        ] {
            assert_eq!(article(text).body(), text);
        }
    }

    #[test]
    fn special_files_are_skipped_without_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.txt");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if status.is_ok_and(|s| s.success()) {
            let skipped = read_file(&fifo, &IngestConfig::default()).err();
            assert_eq!(skipped, Some(SkipReason::NotRegularFile));
        }
        let zero = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert_eq!(
            read_file(&zero, &IngestConfig::default()).err(),
            Some(SkipReason::NotRegularFile)
        );
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "x".repeat(2_000)).unwrap();
        let small = IngestConfig {
            max_file_bytes: 1_000,
        };
        assert!(matches!(
            read_file(&big, &small).err(),
            Some(SkipReason::TooLarge { bytes: 2_000, .. })
        ));
    }

    #[test]
    fn subfolders_and_hidden_files_are_named_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("more")).unwrap();
        std::fs::write(dir.path().join(".notes.txt"), "A hidden note here.").unwrap();
        std::fs::write(dir.path().join("a.txt"), "An article about a thing.").unwrap();
        let drop = read_drop(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(drop.articles.len(), 1);
        let reasons: Vec<String> = drop.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            reasons
                .iter()
                .any(|w| w.contains("more: skipped: a folder")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|w| w.contains(".notes.txt: skipped: hidden")),
            "{reasons:?}"
        );
    }
}
