//! `crosscheck extract`: the text crosscheck reads from saved web pages, so that anyone can see
//! (and benchmark) what a page becomes before a run. One page prints as a `.txt` article
//! (header lines, a blank line, the body); `--json` prints `{"<id>": {"articleBody": ...,
//! "title": ..., ...}}` for every page, the prediction format of the article-extraction
//! benchmark (`make bench-extract`).

use anyhow::{Context, Result};
use std::path::PathBuf;

use crosscheck::io::progress::Progress;
use crosscheck::read::ingest::html::{extract_page, is_page, page_id};
use crosscheck::read::ingest::DEFAULT_MAX_FILE_BYTES;

use super::Usage;

/// The options of `crosscheck extract`.
#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Saved web pages (.html, .htm, .html.gz) or folders of them.
    #[arg(required = true)]
    pub pages: Vec<PathBuf>,
    /// Print one JSON object for all pages (id → articleBody, title, date, modified, lang,
    /// url, outlet, author), as the article-extraction benchmark's scorer reads it.
    #[arg(long)]
    pub json: bool,
    /// Largest page read, in MB (as `run --max-file-mb`).
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES as f64 / 1e6)]
    pub max_file_mb: f64,
}

/// `crosscheck extract`: prints each page's extracted article; a page with no article is a
/// warning with the reason (and an empty body in `--json`).
pub fn extract(args: ExtractArgs, progress: &Progress) -> Result<()> {
    if args.max_file_mb.is_nan() || args.max_file_mb <= 0.0 {
        return Err(Usage("--max-file-mb must be above 0".into()).into());
    }
    let limit = (args.max_file_mb * 1e6) as u64;
    let mut pages = Vec::new();
    for path in &args.pages {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the folder {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_page(p))
                .collect();
            inside.sort();
            pages.extend(inside);
        } else {
            pages.push(path.clone());
        }
    }
    let bar = progress.bar(if args.json { pages.len() as u64 } else { 0 }, "extract");
    let mut json = serde_json::Map::new();
    for path in &pages {
        bar.inc(1);
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the page {}", path.display()))?;
        if bytes.len() as u64 > limit {
            bar.suspend(|| eprintln!("warning: {}: over --max-file-mb; skipped", path.display()));
            continue;
        }
        match extract_page(&bytes, limit) {
            Ok(page) if args.json => {
                let m = &page.meta;
                let mut row = serde_json::Map::new();
                row.insert("articleBody".into(), page.body.clone().into());
                let fields = [
                    ("title", page.title().map(str::to_string)),
                    ("date", m.published.map(|d| d.to_string())),
                    ("modified", m.modified.map(|d| d.to_string())),
                    ("lang", m.language.clone()),
                    ("url", page.url().map(str::to_string)),
                    ("outlet", m.outlet.clone()),
                    ("author", m.author.clone()),
                ];
                for (key, value) in fields {
                    row.insert(
                        key.into(),
                        value.map_or(serde_json::Value::Null, Into::into),
                    );
                }
                json.insert(page_id(path), row.into());
            }
            Ok(page) => {
                if pages.len() > 1 {
                    println!("==> {} <==", path.display());
                }
                print!("{}", page.as_text());
            }
            Err(reason) => {
                bar.suspend(|| eprintln!("warning: {}: skipped: {reason}", path.display()));
                if args.json {
                    let mut row = serde_json::Map::new();
                    row.insert("articleBody".into(), "".into());
                    row.insert("skipped".into(), reason.to_string().into());
                    json.insert(page_id(path), row.into());
                }
            }
        }
    }
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string(&json)?);
    }
    Ok(())
}
