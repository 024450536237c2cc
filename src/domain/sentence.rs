//! A sentence of an article, with its offsets, its language and, when it is page furniture
//! rather than a claim, why.

use serde::{Deserialize, Serialize};

/// Why a sentence is page furniture, not a claim. The names are those of `claims.csv`'s
/// `drop_reason` column and of `data/boilerplate.tsv`'s `reason` column.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// "Follow us on Telegram", "Junte-se a nós".
    SocialPromo,
    /// "\[Anzeige_2\]", "Advertisement".
    AdPlaceholder,
    /// "Kommentar (0)".
    CommentCounter,
    /// "Quelle: https://...".
    SourceLink,
    /// A photo caption, "(Foto: AFP)".
    PhotoCaption,
    /// The site's own name on a line ("News.Az").
    SiteName,
    /// A "related articles" marker.
    RelatedLinks,
    /// A link title after a "related articles" marker.
    RelatedLink,
    /// Too few words to state anything.
    Fragment,
    /// "By Jane Doe".
    Byline,
    /// A bare link.
    Link,
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.serialize(f)
    }
}

/// One sentence of one article.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index of the article in the drop.
    pub article: usize,
    /// Position of the sentence within its article, from 0.
    pub index: usize,
    /// Byte offset of the first character in the article text.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The sentence, trimmed.
    pub text: String,
    /// ISO 639-1 code of the detected language.
    pub language: String,
    /// Confidence of the language detection, 0 to 1.
    pub language_confidence: f64,
    /// Why the sentence is not a claim (page furniture), set by `boilerplate`; `None` = claim.
    pub dropped: Option<DropReason>,
}

impl Sentence {
    /// Whether the sentence is a claim (not page furniture).
    pub fn is_claim(&self) -> bool {
        self.dropped.is_none()
    }
}

/// Code used for an article whose language cannot be detected.
pub const UNKNOWN_LANGUAGE: &str = "und";

/// The language of an article: declared in its header, or detected on its body.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleLanguage {
    /// ISO 639-1 code, or [`UNKNOWN_LANGUAGE`].
    pub code: String,
    /// Detection confidence; 1 when declared.
    pub confidence: f64,
}

/// A claim unit: a clause of a sentence that states something on its own ("killed 17
/// people", "but he did not say how long it lasted"); what pairing, NLI and the fact table
/// compare. Offsets index into the article's text, like a sentence's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Index of its sentence in the drop's sentence list.
    pub sentence: usize,
    /// Index of its article.
    pub article: usize,
    /// Byte offset of the first character in the article text.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The claim's text.
    pub text: String,
}
