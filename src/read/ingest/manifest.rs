//! Manifests: a `.csv` (with a header row) or `.jsonl` file of many articles, one per row, with
//! the columns `id, date, lang, url, outlet, title, text`.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::csv_scan;
use super::headers::{apply_column, date_from_urls_when_undated};
use super::{article_from_text, stem, Ingested};
use crate::domain::{Article, DateSource, Notice, SkipReason, Warning};

/// One row of a manifest.
#[derive(Debug, Deserialize)]
struct Row {
    id: Option<String>,
    text: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
}

/// Reads the rows of a manifest whose decoded text is `text`.
pub fn read(path: &Path, text: &str, is_csv: bool) -> Result<Ingested, SkipReason> {
    let mut out = Ingested::default();
    let rows: Vec<Result<Row, SkipReason>> = if is_csv {
        csv_rows(text)
    } else {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).map_err(|e| SkipReason::BadManifestRow {
                    error: e.to_string(),
                })
            })
            .collect()
    };
    if rows.is_empty() {
        out.warnings.push(Warning {
            path: path.to_path_buf(),
            notice: Notice::EmptyManifest,
        });
    }
    let stem = stem(path);
    for (i, row) in rows.into_iter().enumerate() {
        let row_path = PathBuf::from(format!("{}#row{}", path.display(), i + 1));
        match row.and_then(|row| article(path, &stem, i, row)) {
            Ok(mut a) => {
                a.path = row_path;
                out.articles.push(a);
            }
            Err(reason) => out.warnings.push(Warning {
                path: row_path,
                notice: Notice::Skipped(reason),
            }),
        }
    }
    Ok(out)
}

/// The rows of a CSV manifest. A row whose quoted field is never closed (it would swallow the
/// rows after it, up to the next quote) is skipped with the line where its quote opens, and
/// reading goes on at the line after it.
fn csv_rows(text: &str) -> Vec<Result<Row, SkipReason>> {
    let delimiter = csv_scan::delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    let mut from = (reader.position().byte() as usize).min(text.len());
    'segments: while from < text.len() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(&text.as_bytes()[from..]);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break 'segments,
                Ok(true) => {
                    let start = from + record.position().map_or(0, |p| p.byte() as usize);
                    let end = (from + reader.position().byte() as usize).min(text.len());
                    if let Some(open) = csv_scan::unclosed_quote(&text[start..end], delimiter) {
                        let open = start + open;
                        let line = 1 + text[..open].matches('\n').count() as u64;
                        rows.push(Err(SkipReason::UnclosedQuote { line }));
                        from = csv_scan::next_line(text, open);
                        continue 'segments;
                    }
                    rows.push(if record.len() != headers.len() {
                        Err(SkipReason::BadManifestRow {
                            error: format!(
                                "{} fields where the header row has {}",
                                record.len(),
                                headers.len()
                            ),
                        })
                    } else {
                        record
                            .deserialize(Some(&headers))
                            .map_err(|e| SkipReason::BadManifestRow {
                                error: e.to_string(),
                            })
                    });
                }
                Err(e) => rows.push(Err(SkipReason::BadManifestRow {
                    error: e.to_string(),
                })),
            }
        }
    }
    rows
}

fn article(path: &Path, stem: &str, i: usize, row: Row) -> Result<Article, SkipReason> {
    let text = row.text.ok_or(SkipReason::NoText)?;
    let id = row.id.unwrap_or_else(|| format!("{stem}-{}", i + 1));
    let bytes = text.clone().into_bytes();
    let mut article = article_from_text(id, path, text, &bytes)?;
    if article
        .date
        .is_some_and(|(_, source)| source == DateSource::Url)
    {
        article.date = None;
    }
    apply_column(&mut article, "date", row.date);
    apply_column(&mut article, "lang", row.lang);
    apply_column(&mut article, "url", row.url);
    apply_column(&mut article, "outlet", row.outlet);
    apply_column(&mut article, "title", row.title);
    date_from_urls_when_undated(&mut article);
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unterminated_quote_skips_its_row_and_the_rows_after_it_are_read() {
        let text = "id,lang,text\na,en,\"First article text.\"\nb,en,\"Second one is never closed.\nc,en,Third.\n";
        let out = read(Path::new("m.csv"), text, true).unwrap();
        let ids: Vec<&str> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(
            out.warnings,
            vec![Warning {
                path: PathBuf::from("m.csv#row2"),
                notice: Notice::Skipped(SkipReason::UnclosedQuote { line: 3 }),
            }]
        );
        let fine = read(
            Path::new("m.csv"),
            "id,text\na,\"Said \"\"yes\"\".\"\n",
            true,
        )
        .unwrap();
        assert!(fine.warnings.is_empty(), "{:?}", fine.warnings);
    }

    #[test]
    fn an_empty_manifest_is_noted() {
        let out = read(Path::new("m.csv"), "id,text\n", true).unwrap();
        assert_eq!(out.warnings[0].notice, Notice::EmptyManifest);
        let out = read(Path::new("m.jsonl"), "\n", false).unwrap();
        assert_eq!(out.warnings[0].notice, Notice::EmptyManifest);
    }

    #[test]
    fn manifest_rows_with_non_ascii_starts_and_languages() {
        let text = "{\"id\":\"x\",\"lang\":\"PT\",\"text\":\"Também concordamos.\"}\n";
        let out = read(Path::new("m.jsonl"), text, false).unwrap();
        assert_eq!(out.articles[0].declared_language.as_deref(), Some("pt"));
        assert_eq!(out.articles[0].body(), "Também concordamos.");
    }
}
