//! Guesses for bytes without a byte-order mark: UTF-16 told by its zero bytes (every ASCII
//! letter of UTF-16LE is followed by a zero byte, of UTF-16BE preceded by one), and whether
//! bytes that are not UTF-8 read as Windows-1252 text or are UTF-8 with a few broken bytes.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// Share of the 16-bit units whose high byte is zero (ASCII letters, spaces, line ends) from
/// which bytes are taken for UTF-16: text in any script has spaces and line ends.
const MIN_ZERO_SHARE: f64 = 0.1;

/// UTF-16LE or UTF-16BE when the bytes look like UTF-16 without a byte-order mark: an even
/// length, zero bytes on one side of many 16-bit units and (almost) never on the other.
pub(super) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let zeros = |side: usize| {
        bytes
            .iter()
            .skip(side)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let enough = |n: usize| n as f64 >= MIN_ZERO_SHARE * units as f64;
    if enough(odd) && even * 20 <= odd {
        Some(UTF_16LE)
    } else if enough(even) && odd * 20 <= even {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Bytes that Windows-1252 text has no use for: the five it leaves undefined, and `þ`, `ÿ`,
/// which the languages crosscheck reads do not use (`FF FE` is a UTF-16 byte-order mark
/// spliced into a file).
const NOT_WINDOWS_1252: &[u8] = &[0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFE, 0xFF];

/// The longest run of non-ASCII bytes a Windows-1252 word has ("ções", "Grüße" have two).
const MAX_WINDOWS_1252_RUN: usize = 3;

/// Whether bytes that are not UTF-8 read as Windows-1252 text: every non-ASCII byte is a
/// character it defines and text uses, in runs of at most [`MAX_WINDOWS_1252_RUN`]. Otherwise
/// the bytes are UTF-8 with broken bytes, better shown as U+FFFD than as "Friÿþday".
pub(super) fn plausible_windows_1252(bytes: &[u8]) -> bool {
    let mut run = 0;
    for &b in bytes {
        if b.is_ascii() {
            run = 0;
            continue;
        }
        run += 1;
        if run > MAX_WINDOWS_1252_RUN || NOT_WINDOWS_1252.contains(&b) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_is_told_by_its_zero_bytes() {
        let text = "The talks lasted forty minutes, officials said.\n";
        assert_eq!(utf16_without_bom(&utf16(text, false)), Some(UTF_16LE));
        assert_eq!(utf16_without_bom(&utf16(text, true)), Some(UTF_16BE));
        let cyrillic = "Переговоры длились сорок минут.\nТак сказали.\n";
        assert_eq!(utf16_without_bom(&utf16(cyrillic, false)), Some(UTF_16LE));
        assert_eq!(utf16_without_bom(text.as_bytes()), None);
        assert_eq!(utf16_without_bom(b"ab\0\0cd\0\0\0\0ef"), None);
    }

    #[test]
    fn windows_1252_letters_are_told_from_broken_utf8() {
        assert!(plausible_windows_1252(
            b"S\xe3o Paulo \x93quoted\x94 Gr\xfc\xdfe"
        ));
        assert!(!plausible_windows_1252(b"Fri\xff\xfeday"));
        assert!(!plausible_windows_1252(b"a \x81 b"));
        assert!(!plausible_windows_1252(b"a \xe9\xe9\xe9\xe9 b"));
    }
}
