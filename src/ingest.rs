//! The `ingest` stage: turns a drop (a folder of articles) into `Article`s. A file that cannot
//! be read becomes a one-line warning naming the file, and the rest of the drop goes on.

use std::path::{Path, PathBuf};

/// One news article of the drop.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable identifier: the file stem (`000_fb869e7f90e41ed4`).
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The article body, UTF-8.
    pub text: String,
}

/// A file of the drop that was skipped, and why; printed as one line.
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

/// File extensions read as articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md"];

/// Reads every article file of `dir` in file-name order (so runs are deterministic).
pub fn read_drop(dir: &Path) -> anyhow::Result<(Vec<Article>, Vec<Skipped>)> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot read the drop folder {}: {e}; pass an existing folder of .txt/.md articles",
            dir.display()
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ARTICLE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        })
        .collect();
    paths.sort();
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        match read_article(&path) {
            Ok(article) => articles.push(article),
            Err(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    Ok((articles, skipped))
}

/// Reads one article file; the error says why it was skipped.
pub fn read_article(path: &Path) -> Result<Article, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read it ({e}); check its permissions"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| "not UTF-8 text; re-save it as UTF-8".to_string())?;
    let text = text.trim_start_matches('\u{feff}').to_string();
    if text.trim().is_empty() {
        return Err("empty file; nothing to check".into());
    }
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Article {
        id,
        path: path.to_path_buf(),
        text,
    })
}
