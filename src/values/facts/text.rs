//! Tokenisation and accent folding shared by every recogniser.
//!
//! Recognisers work on tokens rather than raw characters so that language data can be
//! written as plain phrases ("sexta-feira", "cerca de") and still match text damaged by
//! machine translation ("sexta -feira", "Cerca  de").

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A run of alphabetic characters.
    Word,
    /// A run of ASCII digits.
    Num,
    /// Any other single non-space character (punctuation, currency symbols, hyphens).
    Punct,
}

/// One token with its byte span in the original text and its folded form.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// Lowercased, accent-stripped text; every dash variant becomes "-", every apostrophe "'".
    pub norm: String,
    /// Whether whitespace separates this token from the previous one.
    pub gap: bool,
}

impl Tok {
    /// True for a hyphen or dash token.
    pub fn is_hyphen(&self) -> bool {
        self.norm == "-"
    }
}

/// A tokenised input text; recognisers read tokens and slice `text` for exact spacing.
pub(crate) struct Input<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
}

impl<'a> Input<'a> {
    /// Tokenises `text`.
    pub fn new(text: &'a str) -> Self {
        Input {
            text,
            toks: tokenize(text),
        }
    }

    /// The token at `i`, if any.
    pub fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    /// The folded text of token `i`, or "" past the end.
    pub fn norm(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.norm.as_str())
    }

    /// True when token `i` exists, is of `kind`, and touches the previous token.
    pub fn glued(&self, i: usize, kind: TokKind) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == kind && !t.gap)
    }

    /// True when token `i` is punctuation `p` that touches the previous token.
    pub fn glued_punct(&self, i: usize, p: &str) -> bool {
        self.glued(i, TokKind::Punct) && self.norm(i) == p
    }

    /// The original text between tokens `i - 1` and `i` (the whitespace before `i`).
    pub fn space_before(&self, i: usize) -> &str {
        match (
            i.checked_sub(1).and_then(|p| self.toks.get(p)),
            self.toks.get(i),
        ) {
            (Some(a), Some(b)) => &self.text[a.end..b.start],
            _ => "",
        }
    }
}

/// Lowercases and strips diacritics so that "Março", "marco" and "MARÇO" compare equal.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            match l {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ă' => out.push('a'),
                'ç' => out.push('c'),
                'è' | 'é' | 'ê' | 'ë' => out.push('e'),
                'ì' | 'í' | 'î' | 'ï' => out.push('i'),
                'ñ' => out.push('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
                'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
                'ș' | 'ş' => out.push('s'),
                'ț' | 'ţ' => out.push('t'),
                'ß' => out.push_str("ss"),
                '‐' | '‑' | '‒' | '–' | '—' => out.push('-'),
                '’' | '‘' | '`' => out.push('\''),
                other => out.push(other),
            }
        }
    }
    out
}

fn class(c: char) -> Option<TokKind> {
    if c.is_ascii_digit() {
        Some(TokKind::Num)
    } else if c.is_alphabetic() {
        Some(TokKind::Word)
    } else if c.is_whitespace() {
        None
    } else {
        Some(TokKind::Punct)
    }
}

/// Splits `text` into word, digit-run and single-character punctuation tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut gap = true;
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let Some(kind) = class(c) else {
            gap = true;
            continue;
        };
        let mut end = start + c.len_utf8();
        if kind != TokKind::Punct {
            while let Some(&(p, n)) = iter.peek() {
                if class(n) != Some(kind) {
                    break;
                }
                end = p + n.len_utf8();
                iter.next();
            }
        }
        toks.push(Tok {
            kind,
            start,
            end,
            norm: fold(&text[start..end]),
            gap,
        });
        gap = false;
    }
    toks
}
