//! Manifests: a `.csv` (with a header row) or `.jsonl` file of many articles, one per row, with
//! the columns `id, date, lang, url, outlet, title, text`.

use serde::Deserialize;
use std::path::{Path, PathBuf};

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
        csv_rows(path, text, &mut out.warnings)
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

/// The rows of a CSV manifest; a quoted field that is never closed (it swallows every row after
/// it) is noted with the line where it opens.
fn csv_rows(path: &Path, text: &str, warnings: &mut Vec<Warning>) -> Vec<Result<Row, SkipReason>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut last_start = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                last_start = record.position().map(|p| (p.line(), p.byte()));
                rows.push(record.deserialize(Some(&headers)).map_err(|e| {
                    SkipReason::BadManifestRow {
                        error: e.to_string(),
                    }
                }));
            }
            Err(e) => rows.push(Err(SkipReason::BadManifestRow {
                error: e.to_string(),
            })),
        }
    }
    if let Some((line, byte)) = last_start {
        if unclosed_quote(&text[byte as usize..]) {
            warnings.push(Warning {
                path: path.to_path_buf(),
                notice: Notice::UnterminatedQuote { line },
            });
        }
    }
    rows
}

/// Whether a CSV record running to the end of the text has a quote that is never closed
/// (an odd number of `"`, since a closed field and an escaped `""` both come in pairs).
fn unclosed_quote(last_record: &str) -> bool {
    last_record.matches('"').count() % 2 == 1
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
    fn an_unterminated_quote_is_noted_and_rows_before_it_are_read() {
        let text = "id,lang,text\na,en,\"First article text.\"\nb,en,\"Second one is never closed.\nc,en,Third.\n";
        let out = read(Path::new("m.csv"), text, true).unwrap();
        assert_eq!(out.articles.len(), 2);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.notice == Notice::UnterminatedQuote { line: 3 }),
            "{:?}",
            out.warnings
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
