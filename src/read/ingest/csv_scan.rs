//! What the csv crate leaves to its caller in a hand-written manifest: which delimiter the file
//! uses (`,`, `;` as spreadsheets in many European locales save it, a tab, `|`), and whether a
//! record swallowed the rows after it because one of its quotes is never closed.

/// The delimiters a manifest may use, in the order they are tried.
const DELIMITERS: &[u8] = b",;\t|";

/// The delimiter of a CSV manifest: the first of `,` `;` tab `|` that splits the header row
/// into a `text` column; else the one that splits it into the most fields; `,` for a header
/// row of one field.
pub(super) fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let fields = |d: u8| {
        header
            .split(d as char)
            .map(|f| f.trim().trim_matches('"').trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    if let Some(&d) = DELIMITERS
        .iter()
        .find(|&&d| fields(d).iter().any(|f| f == "text"))
    {
        return d;
    }
    DELIMITERS
        .iter()
        .copied()
        .max_by_key(|&d| (fields(d).len(), std::cmp::Reverse(d == b',')))
        .filter(|&d| fields(d).len() > 1)
        .unwrap_or(b',')
}

/// Where the quote opens (a byte offset into `record`) when `record`, one record as the csv
/// crate read it (with its line end), is a row whose quoted field was never closed: a quoted
/// field runs over a line end and then either reaches the end of the file open or closes just
/// before more text (the opening quote of a later row's field). A quoted field of several
/// lines that closes before a delimiter or the line end is one cell, as RFC 4180 has it.
pub(super) fn unclosed_quote(record: &str, delimiter: u8) -> Option<usize> {
    let bytes = record.as_bytes();
    let mut field_start = true;
    let mut open: Option<usize> = None;
    let mut after_close = false;
    let mut first_multiline: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(at) = open {
            match b {
                b'"' if bytes.get(i + 1) == Some(&b'"') => i += 1,
                b'"' => {
                    open = None;
                    after_close = true;
                }
                b'\n' | b'\r' => {
                    first_multiline.get_or_insert(at);
                }
                _ => {}
            }
        } else if after_close {
            match b {
                b'\n' | b'\r' => break,
                _ if b == delimiter => {
                    after_close = false;
                    field_start = true;
                }
                // Text right after a closing quote: the quote closed another row's field.
                _ => return first_multiline,
            }
        } else if field_start && b == b'"' {
            open = Some(i);
            field_start = false;
        } else if b == delimiter {
            field_start = true;
        } else if matches!(b, b'\n' | b'\r') {
            break;
        } else {
            field_start = false;
        }
        i += 1;
    }
    // Open at the end of the file: the record swallowed every line after its quote.
    open.and(first_multiline)
}

/// The offset of the line after the one holding `at` (a line ends in `\n`, `\r\n` or a lone
/// `\r`, as the csv crate reads them); the end of `text` on the last line.
pub(super) fn next_line(text: &str, at: usize) -> usize {
    match text[at..].find(['\n', '\r']) {
        Some(i) if text[at + i..].starts_with("\r\n") => at + i + 2,
        Some(i) => at + i + 1,
        None => text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_gives_a_text_column() {
        assert_eq!(delimiter("id,lang,text\na,en,x\n"), b',');
        assert_eq!(delimiter("id;lang;text\na;en;x, y\n"), b';');
        assert_eq!(delimiter("\"id\"\t\"text\"\n"), b'\t');
        assert_eq!(delimiter("id;title\n"), b';');
        assert_eq!(delimiter("text\nHello, world.\n"), b',');
        assert_eq!(delimiter(""), b',');
    }

    #[test]
    fn unclosed_quotes_are_told_from_cells_of_several_lines() {
        let swallowing = "m2,de,\"Die Gespräche.\nm3,fr,\"Les discussions.\"\n";
        assert_eq!(unclosed_quote(swallowing, b','), Some(6));
        assert_eq!(
            unclosed_quote("b,en,\"Never closed.\nc,en,x\n", b','),
            Some(5)
        );
        for fine in [
            "a,en,\"One.\n\nTwo, with a comma.\"\n",
            "a,en,\"Said \"\"yes\"\".\"\n",
            "a,en,plain text\n",
            "a,en,\"He said \"yes\" today\"\n",
            "a;en;\"One.\nTwo.\";x\r\n",
        ] {
            assert_eq!(
                unclosed_quote(fine, if fine.contains(';') { b';' } else { b',' }),
                None,
                "{fine:?}"
            );
        }
    }
}
