//! Bytes to text. UTF-8 is read as UTF-8 (a few invalid bytes become U+FFFD, with a warning
//! that counts them); UTF-16 with a byte-order mark is decoded, and without one when its zero
//! bytes show it; other bytes that read as Windows-1252 text are decoded as that, and the rest
//! as UTF-8 with U+FFFD. Known binary formats (PDF, ZIP, images, executables) and data that
//! is not prose (JSON, program code) are refused. Every decoded text comes with the map from its
//! offsets back to the file's bytes, so reports point into the file as it is on disk.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::domain::{Notice, SkipReason, SourceOffsets};

/// A file's text, how its offsets map to the file, and what was noticed while decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, UTF-8.
    pub text: String,
    /// Offsets of `text` back to the file's bytes.
    pub offsets: SourceOffsets,
    /// Decoding notes (encoding guessed, bytes replaced).
    pub notes: Vec<Notice>,
}

/// File signatures of formats that are not text.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP (a .docx or .odt?)"),
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1F\x8B", "gzip"),
    (b"\x7FELF", "binary executable"),
    (b"{\\rtf", "RTF"),
];

/// More NUL or control bytes than this share of the file (and more than
/// [`MAX_STRAY_CONTROLS`]) and it is binary, not text with a stray byte.
const MAX_CONTROL_SHARE: f64 = 0.01;
/// So many control bytes are stray ones in any text, however short.
const MAX_STRAY_CONTROLS: usize = 4;

/// Decodes a file's bytes; the error says why it is not text (or not prose: JSON, program
/// code).
pub fn decode(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    let decoded = decode_text(bytes)?;
    if let Some(format) = not_prose(&decoded.text) {
        return Err(SkipReason::NotProse {
            format: format.into(),
        });
    }
    Ok(decoded)
}

/// Decodes a file's bytes as [`decode`] does, without asking whether the text is prose: for
/// manifests, whose lines are data by design.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if let Some((_, format)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(SkipReason::Binary {
            format: format.to_string(),
        });
    }
    for (bom, encoding) in [(&[0xFF, 0xFE][..], UTF_16LE), (&[0xFE, 0xFF][..], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return utf16(rest, encoding);
        }
    }
    if let Some(encoding) = super::encoding_guess::utf16_without_bom(bytes) {
        if let Some(decoded) = utf16_guessed(bytes, encoding) {
            return Ok(decoded);
        }
    }
    let (bytes, base) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let controls = bytes
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if controls > MAX_STRAY_CONTROLS && controls as f64 > MAX_CONTROL_SHARE * bytes.len() as f64 {
        return Err(SkipReason::Binary {
            format: "binary".into(),
        });
    }
    let mut notes = Vec::new();
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    let cleaned;
    let bytes = if nuls > 0 {
        notes.push(Notice::NulBytes { count: nuls });
        cleaned = bytes
            .iter()
            .map(|&b| if b == 0 { b' ' } else { b })
            .collect::<Vec<u8>>();
        &cleaned[..]
    } else {
        bytes
    };
    let mut decoded = if let Ok(text) = std::str::from_utf8(bytes) {
        let mut offsets = SourceOffsets::default();
        offsets.push(0, base);
        Decoded {
            text: text.to_string(),
            offsets,
            notes: Vec::new(),
        }
    } else if mostly_utf8(bytes) || !super::encoding_guess::plausible_windows_1252(bytes) {
        lossy_utf8(bytes, base)
    } else {
        single_byte(bytes, base, WINDOWS_1252)
    };
    notes.append(&mut decoded.notes);
    decoded.notes = notes;
    Ok(decoded)
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad bytes: at least as
/// many valid multi-byte characters as runs of invalid bytes. Windows-1252 text has (almost)
/// no valid multi-byte sequences, and its high bytes stand alone between ASCII letters.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid_runs) = (0usize, 0usize);
    let mut in_run = false;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.valid().is_empty() {
            in_run = false;
        }
        if !chunk.invalid().is_empty() && !in_run {
            invalid_runs += 1;
            in_run = true;
        }
    }
    multibyte > 0 && multibyte >= invalid_runs
}

fn lossy_utf8(bytes: &[u8], base: usize) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut offsets = SourceOffsets::default();
    offsets.push(0, base);
    let mut file = base;
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        file += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            file += chunk.invalid().len();
            replaced += chunk.invalid().len();
            offsets.push(text.len(), file);
        }
    }
    Decoded {
        text,
        offsets,
        notes: vec![Notice::InvalidBytes { count: replaced }],
    }
}

fn single_byte(bytes: &[u8], base: usize, encoding: &'static Encoding) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut offsets = SourceOffsets::default();
    offsets.push(0, base);
    let mut file = base;
    for (at, _) in text.char_indices() {
        offsets.push(at, file);
        file += 1;
    }
    offsets.push(text.len(), file);
    Decoded {
        text: text.into_owned(),
        offsets,
        notes: vec![Notice::Decoded {
            encoding: format!(
                "{} (Latin-1)",
                encoding.name().replace("windows", "Windows")
            ),
            guessed: true,
        }],
    }
}

/// UTF-16 without a byte-order mark, when it decodes and reads as text (few control
/// characters); `None` leaves the bytes to the other checks.
fn utf16_guessed(bytes: &[u8], encoding: &'static Encoding) -> Option<Decoded> {
    let mut decoded = utf16_from(bytes, encoding, 0).ok()?;
    let controls = decoded
        .text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls > MAX_STRAY_CONTROLS
        && controls as f64 > MAX_CONTROL_SHARE * decoded.text.chars().count() as f64
    {
        return None;
    }
    decoded.notes = vec![Notice::Decoded {
        encoding: format!("{} (no byte-order mark)", encoding.name()),
        guessed: true,
    }];
    Some(decoded)
}

fn utf16(bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded, SkipReason> {
    utf16_from(bytes, encoding, 2)
}

/// UTF-16 `bytes` that start at byte `base` of the file.
fn utf16_from(
    bytes: &[u8],
    encoding: &'static Encoding,
    base: usize,
) -> Result<Decoded, SkipReason> {
    if !bytes.len().is_multiple_of(2) {
        return Err(SkipReason::BadUtf16);
    }
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or(SkipReason::BadUtf16)?;
    let mut offsets = SourceOffsets::default();
    let mut file = base;
    for (at, c) in text.char_indices() {
        offsets.push(at, file);
        file += 2 * c.len_utf16();
    }
    offsets.push(text.len(), file);
    Ok(Decoded {
        text: text.into_owned(),
        offsets,
        notes: vec![Notice::Decoded {
            encoding: encoding.name().into(),
            guessed: false,
        }],
    })
}

/// Share of non-blank lines that look like program code (C-like statements, Python; see
/// `code_lines`) above which a text is code, not prose.
const CODE_LINE_SHARE: f64 = 0.4;

/// "JSON" or "source code" when the text is that rather than prose.
fn not_prose(text: &str) -> Option<&'static str> {
    let trimmed = text.trim();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(trimmed).is_ok()
    {
        return Some("JSON");
    }
    let lines: Vec<&str> = trimmed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let code_like = lines
        .iter()
        .filter(|l| super::code_lines::code_like(l))
        .count();
    (lines.len() >= 3 && code_like as f64 >= CODE_LINE_SHARE * lines.len() as f64)
        .then_some("source code")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_offset(d: &Decoded, needle: &str) -> usize {
        d.offsets.to_file(d.text.find(needle).unwrap())
    }

    #[test]
    fn encodings_are_decoded_with_offsets_into_the_file() {
        let d = decode(&[0xFF, 0xFE, b'O', 0, b'i', 0]).unwrap();
        assert_eq!(d.text, "Oi");
        assert_eq!(file_offset(&d, "i"), 4);
        let bytes = b"S\xe3o Paulo \x93quoted\x94";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "São Paulo “quoted”");
        assert!(matches!(d.notes[0], Notice::Decoded { guessed: true, .. }));
        assert_eq!(file_offset(&d, "quoted"), 11);
        let d = decode("\u{feff}ok é".as_bytes()).unwrap();
        assert_eq!(d.text, "ok é");
        assert_eq!(file_offset(&d, "é"), 6);
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_replaced_not_a_reason_to_guess_another_encoding() {
        let mut bytes = "Também concordamos. São Paulo ".as_bytes().to_vec();
        bytes.extend([0xFF, 0xFE, 0x80, 0x81, 0x82]);
        bytes.extend(" ação final".as_bytes());
        let d = decode(&bytes).unwrap();
        assert!(
            d.text.starts_with("Também concordamos. São Paulo "),
            "{}",
            d.text
        );
        assert!(d.text.ends_with(" ação final"));
        assert!(
            d.notes.contains(&Notice::InvalidBytes { count: 5 }),
            "{:?}",
            d.notes
        );
        let at = d.text.find("ação").unwrap();
        assert_eq!(&bytes[d.offsets.to_file(at)..][..6], "ação".as_bytes());
    }

    #[test]
    fn binary_and_non_prose_are_refused_but_a_stray_nul_is_not() {
        for bytes in [
            &b"%PDF-1.4\nsome text"[..],
            b"\x7fELF\x02\x01\x01\x00\x00",
            b"PK\x03\x04rest",
            b"\x00\x01\x02\x03\x04binary\x00\x00",
        ] {
            assert!(matches!(decode(bytes), Err(SkipReason::Binary { .. })));
        }
        assert!(matches!(
            decode(br#"{"title": "x", "text": "y"}"#),
            Err(SkipReason::NotProse { .. })
        ));
        let code = b"fn main() {\n    let x = 1;\n    println!(\"{x}\");\n}\n";
        assert!(matches!(decode(code), Err(SkipReason::NotProse { .. })));
        let mut text = "A long enough article sentence. ".repeat(10).into_bytes();
        text[40] = 0;
        let d = decode(&text).unwrap();
        assert_eq!(d.notes, vec![Notice::NulBytes { count: 1 }]);
        assert_eq!(d.text.len(), text.len());
    }
}
