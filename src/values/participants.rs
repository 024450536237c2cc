//! The people of a drop: surnames written as full names in several articles, matched across
//! transliterations and inflections, and where each sentence names them.
//!
//! ```no_run
//! # fn demo(sentences: &[crosscheck::domain::Sentence]) {
//! let people = crosscheck::values::participants::Participants::new(sentences);
//! if let Some((x, y)) = people.different(0, 1) {
//!     println!("sentence 0 names {x}, sentence 1 names {y}: two different events");
//! }
//! # }
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::domain::Sentence;

/// A name must occur in this many articles to count as a participant of the drop's story.
pub const MIN_ARTICLES_FOR_PARTICIPANT: usize = 3;
/// A participant must be written as a full name (two capitalised words) in this many articles:
/// German capitalises every noun ("Unterstützung Washingtons"), so one article's runs of
/// capitals are not enough to call a word a person.
pub const MIN_ARTICLES_WITH_FULL_NAME: usize = 2;
/// Letters that transliterations of one name swap (Zelensky, Selenskyj, Zelenskiy; Vladimir,
/// Wladimir), each mapped to one spelling before names are compared; doubled letters are then
/// written once.
const TRANSLITERATION: &[(char, char)] = &[('z', 's'), ('w', 'v'), ('y', 'i'), ('j', 'i')];
/// An inflected name is its base plus at most this many letters (Putinul, Putina, Washingtons).
pub const MAX_INFLECTION_LETTERS: usize = 3;

/// The participants of the drop (names shared by several articles) and where each sentence
/// names them.
#[derive(Debug, Clone)]
pub struct Participants {
    /// Per sentence: (word index, participant) for every participant it names.
    named: Vec<Vec<(usize, usize)>>,
    /// Per sentence: the byte offset where each word starts.
    word_starts: Vec<Vec<usize>>,
    /// Canonical spelling of each participant (its first spelling in the drop).
    pub names: Vec<String>,
}

/// Words of a sentence with their byte offsets: runs of letters, digits, apostrophes and
/// hyphens.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = c.is_alphanumeric() || c == '’' || c == '\'' || c == '-';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Capitalised words of a sentence (by word index; folded to lowercase without diacritics,
/// possessives removed: "Trump’s" -> "trump"), each with whether it ends a run of two or more
/// capitalised words, the shape of a person's full name ("Volodymyr Zelensky"). The first word
/// alone never ends a full name (every sentence starts with a capital), but it can name a
/// known participant ("Trump bergabung ...").
fn capitalised_words(words: &[(usize, &str)]) -> Vec<(usize, String, bool)> {
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 3
            && !w.chars().all(char::is_uppercase)
    };
    (0..words.len())
        .filter(|&i| capitalised(words[i].1))
        .map(|i| {
            let ends_full_name = i >= 1
                && capitalised(words[i - 1].1)
                && !words.get(i + 1).is_some_and(|w| capitalised(w.1));
            let word = words[i].1.trim_end_matches("’s").trim_end_matches("'s");
            (i, crate::values::facts::fold(word), ends_full_name)
        })
        .collect()
}

/// A folded name with the letters of [`TRANSLITERATION`] unified and doubled letters single.
pub(crate) fn name_key(word: &str) -> String {
    let mut key = String::new();
    for c in word.chars() {
        let c = TRANSLITERATION
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c, |&(_, to)| to);
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    key
}

/// Whether two name keys ([`name_key`]) spell one name: equal, or one the other plus an
/// inflection of at most [`MAX_INFLECTION_LETTERS`] letters.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let short_letters = short.chars().count();
    long.starts_with(short)
        && short_letters >= MIN_NAME_LETTERS
        && long.chars().count() - short_letters <= MAX_INFLECTION_LETTERS
}

/// A capitalised word of a sentence, keyed once.
struct NameWord {
    /// Its word index in the sentence.
    index: usize,
    word: String,
    /// Its [`name_key`].
    key: String,
    /// It ends a full name ("Trump" in "Donald Trump").
    full: bool,
}

fn name_words(words: &[(usize, &str)]) -> Vec<NameWord> {
    capitalised_words(words)
        .into_iter()
        .map(|(index, word, full)| NameWord {
            index,
            key: name_key(&word),
            word,
            full,
        })
        .collect()
}

/// The people written with a full name somewhere in the drop: one name key each, and the
/// articles that write the full name.
struct People {
    keys: NameIndex,
    full_name_articles: Vec<BTreeSet<usize>>,
}

impl People {
    /// Full-name spellings sorted by name key and spelling, so that who is who (and each
    /// person's id) does not depend on the order of the drop's files.
    fn from_full_names(capitalised: &[Vec<NameWord>], sentences: &[Sentence]) -> Self {
        let mut full_names: Vec<(&str, &str, usize)> = capitalised
            .iter()
            .zip(sentences)
            .flat_map(|(words, sentence)| {
                words
                    .iter()
                    .filter(|w| w.full)
                    .map(move |w| (w.key.as_str(), w.word.as_str(), sentence.article))
            })
            .collect();
        full_names.sort_unstable();
        let mut people = People {
            keys: NameIndex::default(),
            full_name_articles: Vec::new(),
        };
        for (key, _, article) in full_names {
            let id = people.id(key).unwrap_or_else(|| {
                people.full_name_articles.push(BTreeSet::new());
                people.keys.push(key)
            });
            people.full_name_articles[id].insert(article);
        }
        people
    }

    /// The person a name key spells, if any.
    fn id(&self, key: &str) -> Option<usize> {
        self.keys.find(key)
    }
}

/// A person goes by the drop's most frequent spelling (the first in order on a tie).
fn most_frequent(counts: &BTreeMap<&str, usize>) -> String {
    let most = counts.values().copied().max().unwrap_or(0);
    counts
        .iter()
        .find(|(_, &n)| n == most)
        .map(|(word, _)| word.to_string())
        .unwrap_or_default()
}

/// Name keys in the order first seen, found by [`same_name`] through buckets of their first
/// [`MIN_NAME_LETTERS`] letters (two keys that spell one name share them), so that looking a
/// word up costs the few keys of its bucket, not every name of the drop: a drop's names and
/// capitalised words both grow with the drop, and a scan of all keys per word grew with its
/// square (3.3 s of 15,000 sentences).
#[derive(Debug, Default)]
struct NameIndex {
    keys: Vec<String>,
    buckets: HashMap<String, Vec<usize>>,
}

/// The fewest letters of a name key that can spell a name ([`same_name`]).
const MIN_NAME_LETTERS: usize = 3;

impl NameIndex {
    /// The bucket of `key`: its first [`MIN_NAME_LETTERS`] letters, or none when shorter.
    fn bucket(key: &str) -> Option<&str> {
        let (end, _) = key.char_indices().nth(MIN_NAME_LETTERS - 1)?;
        let len = key[end..].chars().next().map_or(0, char::len_utf8);
        Some(&key[..end + len])
    }

    /// The first key (in the order pushed) that spells one name with `key`.
    fn find(&self, key: &str) -> Option<usize> {
        self.buckets
            .get(Self::bucket(key)?)?
            .iter()
            .copied()
            .find(|&id| same_name(&self.keys[id], key))
    }

    /// Adds `key`; returns its id.
    fn push(&mut self, key: &str) -> usize {
        let id = self.keys.len();
        if let Some(bucket) = Self::bucket(key) {
            self.buckets.entry(bucket.to_string()).or_default().push(id);
        }
        self.keys.push(key.to_string());
        id
    }

    fn len(&self) -> usize {
        self.keys.len()
    }
}

/// A value belongs to the people named within this many words of it ("his 40-minute call
/// with Zelenskiy"; "a ligação com uma hora com o líder russo Vladimir Putin").
pub const NEAR_WORDS: usize = 7;

impl Participants {
    /// Finds the people of the drop: surnames written as a full name ("Donald Trump") in at
    /// least [`MIN_ARTICLES_WITH_FULL_NAME`] articles and named in at least
    /// [`MIN_ARTICLES_FOR_PARTICIPANT`], in any spelling; and where each sentence names them.
    pub fn new(sentences: &[Sentence]) -> Self {
        let tokenised: Vec<Vec<(usize, &str)>> = sentences
            .iter()
            .map(|s| {
                if s.dropped.is_some() {
                    Vec::new()
                } else {
                    words(&s.text)
                }
            })
            .collect();
        let capitalised: Vec<Vec<NameWord>> = tokenised.iter().map(|ws| name_words(ws)).collect();
        let people = People::from_full_names(&capitalised, sentences);
        let named: Vec<Vec<(usize, usize)>> = capitalised
            .iter()
            .map(|ws| {
                ws.iter()
                    .filter_map(|w| Some((w.index, people.id(&w.key)?)))
                    .collect()
            })
            .collect();
        let mut articles_of = vec![BTreeSet::new(); people.keys.len()];
        let mut spellings: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); people.keys.len()];
        for (words, s) in capitalised.iter().zip(sentences) {
            for w in words {
                if let Some(id) = people.id(&w.key) {
                    articles_of[id].insert(s.article);
                    *spellings[id].entry(w.word.as_str()).or_default() += 1;
                }
            }
        }
        let shared = |&(_, id): &(usize, usize)| {
            articles_of[id].len() >= MIN_ARTICLES_FOR_PARTICIPANT
                && people.full_name_articles[id].len() >= MIN_ARTICLES_WITH_FULL_NAME
        };
        Participants {
            named: named
                .into_iter()
                .map(|ids| ids.into_iter().filter(shared).collect())
                .collect(),
            word_starts: tokenised
                .iter()
                .map(|ws| ws.iter().map(|(start, _)| *start).collect())
                .collect(),
            names: spellings.iter().map(most_frequent).collect(),
        }
    }

    /// The participants a sentence names anywhere.
    pub(crate) fn in_sentence(&self, sentence: usize) -> BTreeSet<usize> {
        self.named[sentence].iter().map(|&(_, id)| id).collect()
    }

    /// The participants a sentence names, each with the byte offset of its word.
    pub fn named_at(&self, sentence: usize) -> Vec<(usize, usize)> {
        self.named[sentence]
            .iter()
            .map(|&(word, id)| (self.word_starts[sentence][word], id))
            .collect()
    }

    /// The participants named within [`NEAR_WORDS`] words of byte offset `at` of a sentence,
    /// inside the byte range `within` of it (a claim).
    pub fn near_in(&self, sentence: usize, at: usize, within: (usize, usize)) -> BTreeSet<usize> {
        let word = self.word_starts[sentence].partition_point(|&start| start <= at);
        let word = word.saturating_sub(1);
        self.named[sentence]
            .iter()
            .filter(|(i, _)| i.abs_diff(word) <= NEAR_WORDS)
            .filter(|(i, _)| (within.0..within.1).contains(&self.word_starts[sentence][*i]))
            .map(|&(_, id)| id)
            .collect()
    }

    /// The participants named within [`NEAR_WORDS`] words of byte offset `at` of a sentence.
    fn near(&self, sentence: usize, at: usize) -> BTreeSet<usize> {
        self.near_in(sentence, at, (0, usize::MAX))
    }

    /// When each set holds a participant the other lacks: one such name from each.
    fn differ<'s>(
        &'s self,
        a: &BTreeSet<usize>,
        b: &BTreeSet<usize>,
    ) -> Option<(&'s str, &'s str)> {
        let only_a = a.difference(b).next()?;
        let only_b = b.difference(a).next()?;
        Some((&self.names[*only_a], &self.names[*only_b]))
    }

    /// When each sentence names the parties of an event (two participants or more) and each
    /// names one the other does not: those two names. A sentence naming one person ("Trump is
    /// well informed", "according to Zelensky") leaves the other party open.
    pub fn different(&self, a: usize, b: usize) -> Option<(&str, &str)> {
        let (a, b) = (self.in_sentence(a), self.in_sentence(b));
        if a.len() < 2 || b.len() < 2 {
            return None;
        }
        self.differ(&a, &b)
    }

    /// When the people named near two values differ (Zelensky near one call's length, Putin
    /// near the other's): those two names. Byte offsets index the two sentences.
    pub fn different_near(
        &self,
        (a, at_a): (usize, usize),
        (b, at_b): (usize, usize),
    ) -> Option<(&str, &str)> {
        self.differ(&self.near(a, at_a), &self.near(b, at_b))
    }
}
