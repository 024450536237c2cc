//! The reports' CSV conventions: UTF-8, RFC 4180 quoting, a header row even when there are no
//! rows, and text cells that a spreadsheet cannot run as formulas (OWASP's CSV injection
//! advice: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//! `'`; every field of every row that is not a number, whatever its type) and that fit in one
//! spreadsheet cell ([`CELL_LIMIT`] characters).

use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::path::Path;

use super::atomic::{write_atomically, WriteError};

/// The most characters a spreadsheet cell holds (Excel and LibreOffice: 32,767); longer text
/// is cut and ends with a note saying how much was cut.
pub const CELL_LIMIT: usize = 32_767;

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell of a report meant for spreadsheets: written neutralised and cut to
/// [`CELL_LIMIT`]. Offsets in other columns still point at the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell<'a>(pub Cow<'a, str>);

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Cell(Cow::Borrowed(text))
    }
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell(Cow::Owned(text))
    }
}

impl Cell<'_> {
    /// The text as it is written into the CSV file.
    pub fn written(&self) -> Cow<'_, str> {
        let text = self.0.as_ref();
        let guarded = text.starts_with(FORMULA_STARTS);
        let chars = text.chars().count() + usize::from(guarded);
        if !guarded && chars <= CELL_LIMIT {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 1);
        if guarded {
            out.push('\'');
        }
        if chars <= CELL_LIMIT {
            out.push_str(text);
            return Cow::Owned(out);
        }
        let total = text.chars().count();
        // The note's length depends on the number it states; reserve room for the widest.
        let note_room = format!(" […cut: {total} of {total} characters]")
            .chars()
            .count();
        let keep = CELL_LIMIT - note_room - usize::from(guarded);
        out.extend(text.chars().take(keep));
        out.push_str(&format!(" […cut: {} of {total} characters]", total - keep));
        Cow::Owned(out)
    }
}

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written())
    }
}

/// Writes `rows` to `path` atomically, with a header row taken from the row type's field
/// names (so a report without rows still says what its columns are).
pub fn write_csv<R: Serialize + Default>(path: &Path, rows: &[R]) -> Result<(), WriteError> {
    write_atomically(path, |tmp| -> Result<(), csv::Error> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_path(tmp)?;
        writer.write_record(&header::<R>()?)?;
        for record in neutralised_records(rows)? {
            writer.write_record(&record)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// The rows as CSV records, every text field neutralised as a [`Cell`] is: a field a
/// spreadsheet would run as a formula (`--07-04`, a date without its year, starts with `-`)
/// gets a leading `'`, whatever its row type declares. Numbers (`-0.5`, `+3`) are written as
/// they are, since a spreadsheet reads them as numbers; a [`Cell`] is not guarded twice, as its
/// written text starts with `'`.
fn neutralised_records<R: Serialize>(rows: &[R]) -> Result<Vec<csv::StringRecord>, csv::Error> {
    let mut buffer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        buffer.serialize(row)?;
    }
    let bytes = buffer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    reader
        .records()
        .map(|record| {
            record.map(|record| {
                record
                    .iter()
                    .map(|field| {
                        if field.starts_with(FORMULA_STARTS) && field.parse::<f64>().is_err() {
                            Cell::from(field).written().into_owned()
                        } else {
                            field.to_string()
                        }
                    })
                    .collect()
            })
        })
        .collect()
}

/// The column names of a row type: the header the csv crate writes before its first row.
fn header<R: Serialize + Default>() -> Result<csv::StringRecord, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.serialize(R::default())?;
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    Ok(reader.records().next().transpose()?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct Row<'a> {
        id: Cell<'a>,
        start: usize,
        text: Cell<'a>,
    }

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        for (text, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Trump said = no", "Trump said = no"),
            ("", ""),
        ] {
            assert_eq!(Cell::from(text).written(), written);
        }
    }

    #[test]
    fn long_text_is_cut_to_the_cell_limit_with_a_note() {
        let long = "a".repeat(100_000);
        let written = Cell::from(long.as_str()).written().into_owned();
        assert!(written.chars().count() <= CELL_LIMIT);
        assert!(written.chars().count() > CELL_LIMIT - 10);
        assert!(
            written.ends_with("of 100000 characters]"),
            "{}",
            &written[32_700..]
        );
        let guarded = format!("={long}");
        assert!(Cell::from(guarded.as_str()).written().chars().count() <= CELL_LIMIT);
    }

    #[derive(Serialize, Default)]
    struct Plain {
        value: String,
        low: f64,
        text: String,
    }

    #[test]
    fn every_text_field_is_neutralised_and_numbers_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.csv");
        let row = |value: &str, low: f64, text: &str| Plain {
            value: value.into(),
            low,
            text: text.into(),
        };
        write_csv(
            &path,
            &[
                row("--07-04", -0.5, "=1+2"),
                row("-5", 3.0, "@x"),
                row("PT40M", 0.0, "\tx"),
            ],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "value,low,text\n'--07-04,-0.5,'=1+2\n-5,3.0,'@x\nPT40M,0.0,'\tx\n"
        );
    }

    #[test]
    fn an_empty_report_still_has_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.csv");
        write_csv::<Row>(&path, &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id,start,text\n");
        write_csv(
            &path,
            &[Row {
                id: "=x".into(),
                start: 3,
                text: "a,b".into(),
            }],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "id,start,text\n'=x,3,\"a,b\"\n"
        );
    }
}
