//! An article of the drop as ingest reads it: its text, where its body starts, its header
//! information, and how offsets in its text map back to bytes of the file on disk.

use serde::Serialize;
use std::path::{Path, PathBuf};

use super::Notice;

/// A publication date, as precise as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PublicationDate {
    /// Year.
    pub year: i32,
    /// Month 1-12.
    pub month: u32,
    /// Day of month, when known.
    pub day: Option<u32>,
}

impl std::fmt::Display for PublicationDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.day {
            Some(day) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, day),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl PublicationDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY/MM/DD` or `YYYYMMDD` (a valid calendar date only).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let separators_ok = s.chars().all(|c| c.is_ascii_digit() || "-/.".contains(c));
        if !separators_ok {
            return None;
        }
        let (year, month, day) = match digits.len() {
            6 => (&digits[..4], &digits[4..6], None),
            8 => (&digits[..4], &digits[4..6], Some(&digits[6..8])),
            _ => return None,
        };
        let date = PublicationDate {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.map(str::parse).transpose().ok()?,
        };
        date.is_valid().then_some(date)
    }

    fn is_valid(&self) -> bool {
        (1990..=2100).contains(&self.year)
            && match self.day {
                Some(d) => chrono::NaiveDate::from_ymd_opt(self.year, self.month, d).is_some(),
                None => (1..=12).contains(&self.month),
            }
    }

    /// The exact day, when the day is known.
    pub fn naive_date(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day?)
    }

    /// The day, or the first of the month when only the month is known.
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
    }
}

/// Where an article's publication date came from.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A `date:` header or manifest column.
    Header,
    /// A date inside the article's URL (or a source URL quoted in the text).
    Url,
    /// The metadata of a saved web page (`article:published_time`, JSON-LD `datePublished`,
    /// `<time datetime>`).
    Page,
}

/// Maps byte offsets of an article's decoded UTF-8 text back to byte offsets of the file on
/// disk, so that reports point into the file as it is (a byte-order mark, Windows-1252 or
/// UTF-16 bytes, or invalid bytes replaced by U+FFFD all shift the decoded text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceOffsets {
    /// (offset in the text, offset in the file) at every point where the difference between
    /// the two changes, in increasing order; empty when text and file bytes coincide.
    steps: Vec<(usize, usize)>,
}

impl SourceOffsets {
    /// Records that the text from `text_offset` on corresponds to the file from `file_offset`
    /// on (calls must come in increasing order; equal differences are merged).
    pub fn push(&mut self, text_offset: usize, file_offset: usize) {
        let same_shift = match self.steps.last() {
            Some(&(t, f)) => f as isize - t as isize == file_offset as isize - text_offset as isize,
            None => file_offset == text_offset,
        };
        if !same_shift {
            self.steps.push((text_offset, file_offset));
        }
    }

    /// The file offset of a text offset.
    pub fn to_file(&self, text_offset: usize) -> usize {
        let i = self.steps.partition_point(|&(t, _)| t <= text_offset);
        match i.checked_sub(1).map(|i| self.steps[i]) {
            Some((t, f)) => f + (text_offset - t),
            None => text_offset,
        }
    }
}

/// One news article of the drop.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable identifier: the file stem, or the manifest's `id` (else file stem and row).
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The whole text as read (headers included), UTF-8; offsets in reports index into it,
    /// translated to file offsets by `source_offsets`.
    pub text: String,
    /// Byte offset where the body starts (after header lines).
    pub body_start: usize,
    /// Language from a `lang:` header, if given (otherwise detected by `segment`).
    pub declared_language: Option<String>,
    /// Publication date and where it came from.
    pub date: Option<(PublicationDate, DateSource)>,
    /// `url:` header or column.
    pub url: Option<String>,
    /// `outlet:` header or column.
    pub outlet: Option<String>,
    /// `title:` header or column.
    pub title: Option<String>,
    /// sha256 of the file's bytes, for the run record.
    pub sha256: String,
    /// How offsets of `text` map to offsets of the file.
    pub source_offsets: SourceOffsets,
    /// Non-fatal problems (decoded from another encoding, ...), printed as warnings.
    pub notes: Vec<Notice>,
    /// Set on an article of an earlier drop that a run took from the archive to compare the
    /// new drop with (`crate::matching::earlier`); `None` for the drop's own articles.
    pub earlier: Option<EarlierDrop>,
    /// What a saved web page said about itself beyond the header fields (author, modification
    /// date); `None` for text articles.
    pub page: Option<PageDetails>,
}

/// The metadata of a saved web page that has no header line of its own, kept for the run
/// record and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageDetails {
    /// Author(s) as the page names them.
    pub author: Option<String>,
    /// The page's last modification date (`YYYY-MM-DD`).
    pub modified: Option<String>,
    /// The URL the page was fetched from, when `crosscheck fetch` saved it.
    pub fetched_from: Option<String>,
}

/// Which archived run first read an article of an earlier drop, so that reports can say where
/// a match from the story's past comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EarlierDrop {
    /// The archive's id of that run.
    pub run: i64,
    /// Its drop folder (or manifest).
    pub drop: String,
    /// When it started, RFC 3339 in UTC.
    pub started: String,
}

impl Article {
    /// An article with no header information yet; ingest fills it in.
    pub fn new(id: String, path: &Path, text: String, sha256: String) -> Self {
        Article {
            id,
            path: path.to_path_buf(),
            body_start: 0,
            declared_language: None,
            date: None,
            url: None,
            outlet: None,
            title: None,
            sha256,
            source_offsets: SourceOffsets::default(),
            notes: Vec::new(),
            earlier: None,
            page: None,
            text,
        }
    }

    /// The body text (after header lines).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The publication day, when known to the day.
    pub fn publication_day(&self) -> Option<chrono::NaiveDate> {
        self.date.and_then(|(d, _)| d.naive_date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_to_the_file() {
        // A BOM (3 bytes) and then "é" written as one Windows-1252 byte at text offset 5.
        let mut map = SourceOffsets::default();
        map.push(0, 3);
        map.push(7, 9);
        assert_eq!(map.to_file(0), 3);
        assert_eq!(map.to_file(5), 8);
        assert_eq!(map.to_file(7), 9);
        assert_eq!(map.to_file(10), 12);
        assert_eq!(SourceOffsets::default().to_file(42), 42);
    }
}
