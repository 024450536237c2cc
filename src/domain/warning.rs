//! Warnings: what a run noticed and went on from (a skipped file, a guessed encoding, a cut
//! sentence). Each names its file and says what to do; `main` prints them, run.json keeps them.

use serde::Serialize;
use std::path::PathBuf;

/// Why a file (or a manifest row) of the drop was not read as an article.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// The file could not be opened or read.
    Unreadable {
        /// The system's message.
        error: String,
    },
    /// A FIFO, a device, a socket: only regular files are read.
    NotRegularFile,
    /// Larger than the per-file limit.
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
        /// The limit in bytes (`--max-file-mb`).
        limit: u64,
    },
    /// Bytes that are not text (or a known binary format).
    Binary {
        /// What it looks like ("PDF", "ZIP", "binary").
        format: String,
    },
    /// Structured data or program code rather than prose.
    NotProse {
        /// What it looks like ("JSON", "source code").
        format: String,
    },
    /// Invalid UTF-16.
    BadUtf16,
    /// Empty or blank.
    Empty,
    /// Header lines and nothing else.
    OnlyHeaders,
    /// Not an article or manifest extension.
    UnknownExtension,
    /// A hidden file (name starting with a dot).
    Hidden,
    /// A folder inside the drop (only the drop's top level is read).
    SubFolder,
    /// A manifest row that is not a valid row.
    BadManifestRow {
        /// The parser's message.
        error: String,
    },
    /// A manifest row without text.
    NoText,
    /// A CSV manifest row whose quoted field is never closed, so that it would swallow the rows
    /// after it; the rows after its line are read.
    UnclosedQuote {
        /// The line where the unclosed field opens.
        line: u64,
    },
    /// A web page that holds no article (a home or section page, a search page, a consent or
    /// paywall notice): there is nothing to check in it.
    NoArticleInPage {
        /// What the page looks like instead ("a consent or paywall notice", ...).
        looks_like: String,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Unreadable { error } => {
                write!(f, "cannot read it ({error}); check it exists and is readable")
            }
            SkipReason::NotRegularFile => f.write_str(
                "not a regular file (a pipe, device or socket); save the article as a file",
            ),
            SkipReason::TooLarge { bytes, limit } => write!(
                f,
                "{:.1} MB, over the limit of {:.1} MB per file; split it or raise --max-file-mb",
                *bytes as f64 / 1e6,
                *limit as f64 / 1e6
            ),
            SkipReason::Binary { format } => write!(
                f,
                "a {format} file, not text; export the article as UTF-8 text (.txt)"
            ),
            SkipReason::NotProse { format } => write!(
                f,
                "looks like {format}, not article text; put the article's text in a .txt file"
            ),
            SkipReason::BadUtf16 => f.write_str("invalid UTF-16 text; re-save it as UTF-8"),
            SkipReason::Empty => f.write_str("empty file; nothing to check"),
            SkipReason::OnlyHeaders => f.write_str(
                "only header lines, no article text; leave a blank line after the headers and add the text",
            ),
            SkipReason::UnknownExtension => f.write_str(
                "not an article (.txt, .md, .html, .htm, .html.gz) or manifest (.csv, .jsonl); ignored",
            ),
            SkipReason::Hidden => f.write_str("hidden file; ignored (rename it to include it)"),
            SkipReason::SubFolder => f.write_str(
                "a folder inside the drop; only the drop's top level is read (run it as a drop of its own)",
            ),
            SkipReason::BadManifestRow { error } => write!(
                f,
                "not a manifest row ({error}); columns are id,date,lang,url,outlet,title,text"
            ),
            SkipReason::NoText => f.write_str("no text column/field; add the article's text"),
            SkipReason::UnclosedQuote { line } => write!(
                f,
                "the quoted field opened on line {line} is never closed, so this row would swallow the rows after it; close the quote (the rows after line {line} are read)"
            ),
            SkipReason::NoArticleInPage { looks_like } => write!(
                f,
                "a web page with no article in it ({looks_like}); save the article's own page"
            ),
        }
    }
}

/// What a run noticed about one input (or the run as a whole).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// The file or row was not read.
    Skipped(SkipReason),
    /// Text decoded from another encoding than UTF-8.
    Decoded {
        /// The encoding used.
        encoding: String,
        /// Whether it was a guess (no byte-order mark said so).
        guessed: bool,
    },
    /// Invalid UTF-8 bytes replaced by U+FFFD.
    InvalidBytes {
        /// How many bytes.
        count: usize,
    },
    /// NUL bytes replaced by spaces.
    NulBytes {
        /// How many.
        count: usize,
    },
    /// A `date:` header or column that is no date.
    BadDate {
        /// The value given.
        value: String,
    },
    /// A `lang:` header or column naming no language crosscheck knows.
    UnknownLanguage {
        /// The value given.
        value: String,
    },
    /// A header line given twice; the last one counts.
    DuplicateHeader {
        /// The header key.
        key: String,
    },
    /// An article id used twice; this one was renamed.
    DuplicateId {
        /// The id as given.
        id: String,
        /// The id it now has.
        renamed: String,
    },
    /// A manifest with no rows.
    EmptyManifest,
    /// Segmented with generic rules: the language could not be told.
    LanguageNotRecognised,
    /// A web page declares one language and its text reads clearly as another (a site
    /// template's `lang="en"` on every page): the declared one is not used.
    PageLanguageContradicted {
        /// What the page declares.
        declared: String,
        /// What its text reads as.
        detected: String,
    },
    /// Only one article: nothing to cross-check.
    OnlyOneArticle,
    /// A sentence too long for the models, cut into pieces.
    LongSentenceSplit {
        /// The sentence's length in characters.
        chars: usize,
        /// Into how many pieces.
        pieces: usize,
    },
    /// An article with more sentences than `--max-sentences`: only the first ones are read.
    ArticleCut {
        /// Sentences read.
        sentences: usize,
        /// Byte offset (into the article's text) where reading stopped.
        at_byte: usize,
        /// The article's length in bytes.
        bytes: usize,
    },
    /// The work of the NLI stage, estimated after the cache look-up, before the model runs.
    LargeWorkload {
        /// Candidate pairs.
        pairs: usize,
        /// Directed pairs the model runs on (distinct, not in the archive).
        inputs: usize,
        /// Estimated minutes.
        minutes: f64,
        /// Estimated peak memory in GB.
        gigabytes: f64,
    },
    /// Candidate pairs over `--max-pairs` were not judged.
    PairsCut {
        /// Pairs found.
        found: usize,
        /// Pairs kept (the most similar).
        kept: usize,
        /// Similarity of the least similar pair kept.
        min_similarity: f32,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Skipped(reason) => write!(f, "skipped: {reason}"),
            Notice::Decoded { encoding, guessed: true } => write!(
                f,
                "not UTF-8; decoded as {encoding}: re-save it as UTF-8 if letters look wrong"
            ),
            Notice::Decoded { encoding, .. } => write!(f, "decoded from {encoding}"),
            Notice::InvalidBytes { count } => write!(
                f,
                "{count} invalid UTF-8 byte(s) replaced by U+FFFD; offsets still point into the file; re-save it as UTF-8 to fix"
            ),
            Notice::NulBytes { count } => write!(
                f,
                "{count} NUL byte(s) read as spaces; re-save it as plain UTF-8 text"
            ),
            Notice::BadDate { value } => {
                write!(
                    f,
                    "date {value:?} is not YYYY-MM-DD, YYYY-MM or an RFC 3339 timestamp; ignored"
                )
            }
            Notice::UnknownLanguage { value } => write!(
                f,
                "lang {value:?} is not a language code crosscheck knows (see `crosscheck languages`); the language is detected instead"
            ),
            Notice::DuplicateHeader { key } => write!(
                f,
                "header `{key}:` is given more than once; the last one is used"
            ),
            Notice::DuplicateId { id, renamed } => {
                write!(f, "id {id} is used twice in the drop; this one is {renamed}")
            }
            Notice::EmptyManifest => f.write_str("manifest without rows; nothing read from it"),
            Notice::PageLanguageContradicted { declared, detected } => write!(
                f,
                "the page declares language {declared:?} but its text reads as {detected:?}; the language is detected instead (add lang to the links file to set it)"
            ),
            Notice::LanguageNotRecognised => f.write_str(
                "language not recognised; segmented with generic rules (add a `lang:` header line to set it)",
            ),
            Notice::OnlyOneArticle => f.write_str(
                "only one article in the drop, so there is nothing to cross-check; claims.csv and summary.csv are still written",
            ),
            Notice::LongSentenceSplit { chars, pieces } => write!(
                f,
                "a sentence of {chars} characters was cut into {pieces} pieces for the models (no full stop for too long)"
            ),
            Notice::ArticleCut {
                sentences,
                at_byte,
                bytes,
            } => write!(
                f,
                "more than {sentences} sentences: only the first {sentences} are checked (up to byte {at_byte} of {bytes}), so that time and memory stay bounded; split it into articles or raise --max-sentences"
            ),
            Notice::LargeWorkload {
                pairs,
                inputs,
                minutes,
                gigabytes,
            } => write!(
                f,
                "{pairs} candidate pairs to judge, {inputs} NLI inputs to compute (distinct, not in the archive): about {minutes:.0} minutes and {gigabytes:.1} GB; lower --max-pairs or split the drop to go faster"
            ),
            Notice::PairsCut {
                found,
                kept,
                min_similarity,
            } => write!(
                f,
                "{found} candidate pairs, over --max-pairs: judged the {kept} most similar (similarity >= {min_similarity:.4}); {} not judged",
                found - kept
            ),
        }
    }
}

/// A notice about one file (or the drop, or the run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The file, manifest row (`file#rowN`) or drop the notice is about.
    pub path: PathBuf,
    /// What was noticed.
    pub notice: Notice,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            escaped_name(self.path.as_os_str()),
            self.notice
        )
    }
}

/// A file name as warnings and article ids show it: control characters (a newline, an escape
/// code) and bytes that are not UTF-8 are written as `\xNN` (`\u{NN}` for other control
/// characters), so that a warning stays one line, nothing reaches the terminal raw, and two
/// names that differ only in such bytes stay apart.
pub fn escaped_name(name: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::with_capacity(name.len());
    for chunk in name.as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                c if c.is_ascii_control() => {
                    let _ = write!(out, "\\x{:02X}", c as u32);
                }
                c if c.is_control() => {
                    let _ = write!(out, "\\u{{{:X}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}
