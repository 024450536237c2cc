//! The text crosscheck read from each saved web page, kept beside the reports as
//! `pages/<article id>.txt`: report offsets (`start`, `end`) of a page's spans are byte offsets
//! into that file, so any span can be checked against it (the page itself is HTML, where no
//! offset of the text means anything).

use std::path::PathBuf;

use super::{Report, ReportSink, SinkError};
use crate::io::{write_atomically, WriteError};

/// The folder of the extracted page texts inside a report folder.
pub const PAGES_DIR: &str = "pages";

/// Writes the extracted text of every page article of the drop into `<dir>/pages/`.
pub struct PageTexts {
    dir: PathBuf,
}

impl PageTexts {
    /// A sink writing into `dir/pages`.
    pub fn new(dir: PathBuf) -> Self {
        PageTexts { dir }
    }
}

/// The file name under `pages/` of an article id (path separators and a leading dot
/// replaced, so an id cannot name a file outside the folder).
pub fn page_file_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.starts_with('.') || name.is_empty() {
        name.insert(0, '_');
    }
    format!("{name}.txt")
}

impl ReportSink for PageTexts {
    fn write(&self, report: &Report) -> Result<(), SinkError> {
        let pages: Vec<_> = report
            .output
            .articles
            .iter()
            .filter(|a| a.page.is_some() && a.earlier.is_none())
            .collect();
        if pages.is_empty() {
            return Ok(());
        }
        let dir = self.dir.join(PAGES_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| WriteError {
            path: dir.clone(),
            source: e.into(),
        })?;
        for article in pages {
            let path = dir.join(page_file_name(&article.id));
            write_atomically(&path, |tmp| std::fs::write(tmp, article.text.as_bytes()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_inside_the_folder() {
        assert_eq!(page_file_name("a"), "a.txt");
        assert_eq!(page_file_name("../x"), "_.._x.txt");
        assert_eq!(page_file_name(".hidden"), "_.hidden.txt");
    }
}
