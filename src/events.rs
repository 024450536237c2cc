//! Event separation: two articles can describe different events of the same kind (the seeds
//! hold Trump calls in March, July and September 2025). A conflict between claims about two
//! different calls is not a contradiction about one call, so every conflict is marked
//! `same_event` yes / no / unsure, with the evidence.
//!
//! Evidence, strongest first:
//! 1. the conflicting claims' own resolved dates (equal: yes; different days: no);
//! 2. participants: when the people named near two conflicting values differ (a 40-minute
//!    call "with Zelenskiy" against a call of one hour "with Vladimir Putin"), or when each
//!    claim names two or more people and each names one the other does not (Putin and Trump
//!    against Trump and Zelensky), they speak of different events: no. The drop's people are
//!    the surnames written as a full name ("Donald Trump", "Herr Selenskyj") in at least
//!    [`MIN_ARTICLES_WITH_FULL_NAME`] articles and named in at least
//!    [`MIN_ARTICLES_FOR_PARTICIPANT`], matched across spellings and inflections (Zelensky,
//!    Zelenskiy, Zelenski, Selenskyj; Putin, Putinul) but not across different names (Putin,
//!    Putih of "Gedung Putih");
//! 3. publication dates more than [`MAX_DAYS_APART`] apart: no;
//! 4. story groups: articles linked by at least [`MIN_SHARED_FACTS`] claim pairs that state a
//!    shared fact, on at least [`MIN_SHARED_RATE`] of their compared pairs, tell the same
//!    story; claims in one group: yes. A pair states a shared fact
//!    when NLI finds entailment in at least one direction, or when both claims give the same
//!    specific value (a date, a duration, an amount; weekdays are too common to count), and
//!    the pair has neither a contradiction nor a slot conflict. Claims in two groups that were
//!    compared on at least [`MIN_COMPARED`] pairs and share facts on fewer than
//!    [`MAX_CHANCE_RATE`] of them: no;
//! 5. otherwise: unsure.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{MentionKind, SlotComparison, SlotOutcome};
use crate::ingest::Article;
use crate::verdict::Label;

/// Articles sharing this many facts (claim pairs, see [`PairEvidence::shares_fact`]), on at
/// least [`MIN_SHARED_RATE`] of the pairs compared between them, tell the same story.
pub const MIN_SHARED_FACTS: usize = 2;
/// Share of two articles' compared pairs that must state a shared fact to join them: a rate,
/// not a count, because an NLI model's chance entailments between different stories grow with
/// the number of pairs (on the seeds, 2 of 18-19 pairs link the September article to each July
/// one; the July articles share 8 of 19 and 2 of 6).
pub const MIN_SHARED_RATE: f64 = 0.2;
/// Story groups compared on this many candidate pairs, sharing facts on fewer than
/// [`MAX_CHANCE_RATE`] of them, tell different stories.
pub const MIN_COMPARED: usize = 3;
/// Below this share of shared facts, two story groups' few links are taken for chance.
pub const MAX_CHANCE_RATE: f64 = 0.1;
/// Value types whose equality across two claims is evidence of one story: specific enough not
/// to match by chance (a weekday is one in seven, so it does not count).
const SPECIFIC_KINDS: &[MentionKind] = &[
    MentionKind::Date,
    MentionKind::Duration,
    MentionKind::Money,
    MentionKind::Percentage,
];
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

/// Publication dates further apart than this cannot be about one event's reporting.
pub const MAX_DAYS_APART: i64 = 31;

/// Whether two conflicting claims are about the same event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SameEvent {
    /// The evidence says one event: a real contradiction or one-sided detail.
    Yes,
    /// Not enough evidence either way.
    Unsure,
    /// The evidence says two different events.
    No,
}

impl SameEvent {
    /// The value written in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            SameEvent::Yes => "yes",
            SameEvent::Unsure => "unsure",
            SameEvent::No => "no",
        }
    }
}

/// Story groups of the drop's articles, from the facts their claims share.
#[derive(Debug, Clone)]
pub struct StoryGroups {
    group: Vec<usize>,
    /// Shared facts and candidate pairs between two story groups (keyed by group roots).
    between_groups: BTreeMap<(usize, usize), (usize, usize)>,
}

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
            (i, crate::facts::fold(word), ends_full_name)
        })
        .collect()
}

/// A folded name with the letters of [`TRANSLITERATION`] unified and doubled letters single.
fn name_key(word: &str) -> String {
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
fn same_name(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let short_letters = short.chars().count();
    long.starts_with(short)
        && short_letters >= 3
        && long.chars().count() - short_letters <= MAX_INFLECTION_LETTERS
}

/// A value belongs to the people named within this many words of it ("his 40-minute call
/// with Zelenskiy"; "a ligação com uma hora com o líder russo Vladimir Putin").
pub const NEAR_WORDS: usize = 7;

impl Participants {
    /// Finds the people of the drop: surnames written as a full name ("Donald Trump") in at
    /// least [`MIN_ARTICLES_WITH_FULL_NAME`] articles and named in at least
    /// [`MIN_ARTICLES_FOR_PARTICIPANT`], in any spelling; and where each sentence names them.
    pub fn new(sentences: &[crate::segment::Sentence]) -> Self {
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
        // Capitalised words keyed once: (word index, spelling, name key, ends a full name).
        let capitalised: Vec<Vec<(usize, String, String, bool)>> = tokenised
            .iter()
            .map(|ws| {
                capitalised_words(ws)
                    .into_iter()
                    .map(|(i, word, full)| {
                        let key = name_key(&word);
                        (i, word, key, full)
                    })
                    .collect()
            })
            .collect();
        let mut names: Vec<String> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut full_name_articles: Vec<BTreeSet<usize>> = Vec::new();
        for (words, sentence) in capitalised.iter().zip(sentences) {
            for (_, word, key, _) in words.iter().filter(|w| w.3) {
                let id = match keys.iter().position(|k| same_name(k, key)) {
                    Some(id) => id,
                    None => {
                        names.push(word.clone());
                        keys.push(key.clone());
                        full_name_articles.push(BTreeSet::new());
                        names.len() - 1
                    }
                };
                full_name_articles[id].insert(sentence.article);
            }
        }
        let named: Vec<Vec<(usize, usize)>> = capitalised
            .iter()
            .map(|ws| {
                ws.iter()
                    .filter_map(|(i, _, key, _)| {
                        Some((*i, keys.iter().position(|k| same_name(k, key))?))
                    })
                    .collect()
            })
            .collect();
        let mut articles_of = vec![BTreeSet::new(); names.len()];
        for (ids, s) in named.iter().zip(sentences) {
            for &(_, id) in ids {
                articles_of[id].insert(s.article);
            }
        }
        let shared = |&(_, id): &(usize, usize)| {
            articles_of[id].len() >= MIN_ARTICLES_FOR_PARTICIPANT
                && full_name_articles[id].len() >= MIN_ARTICLES_WITH_FULL_NAME
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
            names,
        }
    }

    /// The participants a sentence names anywhere.
    fn in_sentence(&self, sentence: usize) -> BTreeSet<usize> {
        self.named[sentence].iter().map(|&(_, id)| id).collect()
    }

    /// The participants named within [`NEAR_WORDS`] words of byte offset `at` of a sentence.
    fn near(&self, sentence: usize, at: usize) -> BTreeSet<usize> {
        let word = self.word_starts[sentence].partition_point(|&start| start <= at);
        let word = word.saturating_sub(1);
        self.named[sentence]
            .iter()
            .filter(|(i, _)| i.abs_diff(word) <= NEAR_WORDS)
            .map(|&(_, id)| id)
            .collect()
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

/// A pair as the event grouping sees it: the two claims' articles, its verdict and slots.
#[derive(Debug, Clone, Copy)]
pub struct PairEvidence<'a> {
    /// Article of the first claim.
    pub article_a: usize,
    /// Article of the second claim.
    pub article_b: usize,
    /// The two sentences (indices into the drop's sentence list).
    pub sentence_a: usize,
    /// See `sentence_a`.
    pub sentence_b: usize,
    /// The pair's verdict.
    pub label: Label,
    /// NLI found entailment in at least one direction (at the verdict's threshold).
    pub entailed: bool,
    /// The typed slot comparisons of the pair.
    pub slots: &'a [SlotComparison],
}

impl PairEvidence<'_> {
    /// Whether the two claims state a fact in common: entailment in a direction or an equal
    /// specific value, and no contradiction or slot conflict.
    pub fn shares_fact(&self) -> bool {
        let conflict = self
            .slots
            .iter()
            .any(|s| s.outcome == SlotOutcome::Conflict);
        let same_value = self
            .slots
            .iter()
            .any(|s| s.outcome == SlotOutcome::Match && SPECIFIC_KINDS.contains(&s.kind));
        self.label != Label::Contradict && !conflict && (self.entailed || same_value)
    }
}

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

impl StoryGroups {
    /// Groups articles linked by at least [`MIN_SHARED_FACTS`] shared facts (union-find),
    /// except where their publication dates are too far apart.
    pub fn new(articles: &[Article], pairs: &[PairEvidence]) -> Self {
        // (shared facts, compared pairs) per pair of articles, counted once.
        let mut links: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for p in pairs {
            let counts = links.entry(key(p.article_a, p.article_b)).or_default();
            counts.0 += usize::from(p.shares_fact());
            counts.1 += 1;
        }
        let mut group: Vec<usize> = (0..articles.len()).collect();
        fn root(group: &mut [usize], mut i: usize) -> usize {
            while group[i] != i {
                group[i] = group[group[i]];
                i = group[i];
            }
            i
        }
        for (&(a, b), &(shared, compared)) in &links {
            if shared >= MIN_SHARED_FACTS
                && shared as f64 >= MIN_SHARED_RATE * compared as f64
                && days_apart(&articles[a], &articles[b]).is_none_or(|d| d <= MAX_DAYS_APART)
            {
                let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                group[ra.max(rb)] = ra.min(rb);
            }
        }
        let group: Vec<usize> = (0..articles.len()).map(|i| root(&mut group, i)).collect();
        let mut between_groups: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        for (&(a, b), &(shared, compared)) in &links {
            let counts = between_groups.entry(key(group[a], group[b])).or_default();
            counts.0 += shared;
            counts.1 += compared;
        }
        StoryGroups {
            group,
            between_groups,
        }
    }

    /// The story group (its smallest article index) of each article.
    pub fn group_of(&self, article: usize) -> usize {
        self.group[article]
    }

    /// Decides whether the two claims of a pair are about the same event, and why.
    pub fn same_event(
        &self,
        articles: &[Article],
        participants: &Participants,
        pair: &PairEvidence,
    ) -> (SameEvent, String) {
        let dated: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = pair
            .slots
            .iter()
            .filter_map(|s| Some((s.a.as_ref()?.resolved_date?, s.b.as_ref()?.resolved_date?)))
            .collect();
        if let Some(&(a, b)) = dated.iter().find(|(a, b)| a != b) {
            return (SameEvent::No, format!("dates_differ:{a}/{b}"));
        }
        if let Some(&(a, _)) = dated.first() {
            return (SameEvent::Yes, format!("same_date:{a}"));
        }
        let values_near_other_people = pair.slots.iter().find_map(|s| {
            let (a, b) = (s.a.as_ref()?, s.b.as_ref()?);
            (s.outcome == SlotOutcome::Conflict).then_some(())?;
            participants.different_near((pair.sentence_a, a.start), (pair.sentence_b, b.start))
        });
        if let Some((x, y)) = values_near_other_people {
            return (
                SameEvent::No,
                format!("values_of_different_participants:{x}/{y}"),
            );
        }
        if let Some((x, y)) = participants.different(pair.sentence_a, pair.sentence_b) {
            return (SameEvent::No, format!("different_participants:{x}/{y}"));
        }
        let (a, b) = (pair.article_a, pair.article_b);
        if let Some(days) = days_apart(&articles[a], &articles[b]).filter(|&d| d > MAX_DAYS_APART) {
            return (SameEvent::No, format!("published_{days}_days_apart"));
        }
        if self.group[a] == self.group[b] {
            return (SameEvent::Yes, "same_story_group".into());
        }
        let (shared, compared) = self
            .between_groups
            .get(&key(self.group[a], self.group[b]))
            .copied()
            .unwrap_or_default();
        if compared >= MIN_COMPARED && (shared as f64) < MAX_CHANCE_RATE * compared as f64 {
            return (
                SameEvent::No,
                format!("different_stories:{shared}_shared_facts_in_{compared}_compared_claims"),
            );
        }
        (
            SameEvent::Unsure,
            format!("{shared}_shared_facts_in_{compared}_compared_claims"),
        )
    }
}

/// Days between two articles' publication dates, when both are known to the day (or to the
/// month, counted from the first of the month).
fn days_apart(a: &Article, b: &Article) -> Option<i64> {
    let day = |article: &Article| {
        let (date, _) = article.date?;
        chrono::NaiveDate::from_ymd_opt(date.year, date.month, date.day.unwrap_or(1))
    };
    Some((day(a)? - day(b)?).num_days().abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Mention, Value};
    use crate::segment::Sentence;
    use std::path::Path;

    fn articles(n: usize) -> Vec<Article> {
        (0..n)
            .map(|i| {
                Article::new(
                    format!("a{i}"),
                    Path::new("x"),
                    String::new(),
                    String::new(),
                )
            })
            .collect()
    }

    fn sentence(article: usize, text: &str) -> Sentence {
        Sentence {
            article,
            index: 0,
            start: 0,
            end: text.len(),
            text: text.to_string(),
            language: "en".into(),
            language_confidence: 1.0,
            dropped: None,
        }
    }

    fn evidence(
        articles: (usize, usize),
        label: Label,
        entailed: bool,
        slots: &[SlotComparison],
    ) -> PairEvidence<'_> {
        PairEvidence {
            article_a: articles.0,
            article_b: articles.1,
            sentence_a: 0,
            sentence_b: 1,
            label,
            entailed,
            slots,
        }
    }

    fn matched(kind: MentionKind, value: Value) -> SlotComparison {
        let mention = Mention {
            kind,
            value,
            text: String::new(),
            start: 0,
            end: 0,
            resolved_date: None,
            head: None,
        };
        SlotComparison {
            kind,
            outcome: SlotOutcome::Match,
            a: Some(mention.clone()),
            b: Some(mention),
        }
    }

    #[test]
    fn shared_facts_are_entailments_or_equal_specific_values_without_conflict() {
        let weekday = [matched(MentionKind::Weekday, Value::Weekday(5))];
        let duration = [matched(
            MentionKind::Duration,
            Value::Duration {
                seconds: 3600.0,
                approximate: false,
            },
        )];
        assert!(evidence((0, 1), Label::Related, true, &[]).shares_fact());
        assert!(!evidence((0, 1), Label::Related, false, &weekday).shares_fact());
        assert!(evidence((0, 1), Label::Related, false, &duration).shares_fact());
        assert!(!evidence((0, 1), Label::Contradict, true, &duration).shares_fact());
    }

    #[test]
    fn groups_by_shared_facts_and_separates_stories_that_share_none() {
        let articles = articles(3);
        let pairs = [
            evidence((0, 1), Label::Agree, true, &[]),
            evidence((0, 1), Label::OneSidedDetail, true, &[]),
            evidence((0, 2), Label::Related, false, &[]),
            evidence((1, 2), Label::Related, false, &[]),
            evidence((0, 2), Label::Related, false, &[]),
        ];
        let groups = StoryGroups::new(&articles, &pairs);
        assert_eq!(groups.group_of(1), groups.group_of(0));
        assert_ne!(groups.group_of(2), groups.group_of(0));
        let sentences = [sentence(0, "He called."), sentence(1, "He called.")];
        let participants = Participants::new(&sentences);
        let within = evidence((0, 1), Label::Contradict, false, &[]);
        assert_eq!(
            groups.same_event(&articles, &participants, &within).0,
            SameEvent::Yes
        );
        let across = evidence((1, 2), Label::Contradict, false, &[]);
        let (decision, reason) = groups.same_event(&articles, &participants, &across);
        assert_eq!(decision, SameEvent::No, "{reason}");
        assert!(reason.starts_with("different_stories"), "{reason}");
    }

    #[test]
    fn values_belong_to_the_people_named_near_them() {
        let sentences = [
            sentence(0, "Then Donald Trump described his 40-minute call with Volodymyr Zelensky as good."),
            sentence(1, "It came a day after Trump held a call of one hour with the Russian leader Vladimir Putin."),
            sentence(2, "Vladimir Putin and Donald Trump spoke, and Volodymyr Zelensky too."),
            // A name counts as a participant once three articles name it.
            sentence(3, "Later Volodymyr Zelensky and Vladimir Putin did not speak."),
        ];
        let participants = Participants::new(&sentences);
        let at = |i: usize, needle: &str| sentences[i].text.find(needle).unwrap();
        assert_eq!(
            participants.different_near((0, at(0, "40-minute")), (1, at(1, "one hour"))),
            Some(("zelensky", "putin"))
        );
        // Sentence-wide, 1 names no one that 0 lacks besides Putin, and 0 names Zelensky.
        assert_eq!(participants.different(0, 1), Some(("zelensky", "putin")));
        assert_eq!(participants.different(0, 2), None);
        // A name that starts a sentence still names the participant.
        let first = [sentence(
            0,
            "Trump joined the call with Volodymyr Zelensky.",
        )];
        let named_first = Participants::new(&[&sentences[..], &first[..]].concat());
        assert_eq!(named_first.in_sentence(4).len(), 2);
    }

    #[test]
    fn names_match_across_transliterations_and_inflections_only() {
        for (a, b) in [
            ("zelensky", "selenskyj"),
            ("zelensky", "zelenskiy"),
            ("zelenski", "zelenskyy"),
            ("vladimir", "wladimir"),
            ("putin", "putinul"),
        ] {
            assert!(same_name(&name_key(a), &name_key(b)), "{a} / {b}");
        }
        for (a, b) in [("putin", "putih"), ("trump", "truman"), ("ion", "ionescu")] {
            assert!(!same_name(&name_key(a), &name_key(b)), "{a} / {b}");
        }
    }

    #[test]
    fn people_are_full_names_in_two_articles_and_the_other_party_can_stay_unnamed() {
        let sentences = [
            sentence(
                0,
                "Then Donald Trump spoke with Volodymyr Zelensky at the Gedung Putih.",
            ),
            sentence(
                1,
                "Donald Trump and Vladimir Putin disagreed, said the Unterstützung Washingtons.",
            ),
            sentence(
                2,
                "Wladimir Putin told Herr Selenskyj nothing about Washington.",
            ),
            sentence(3, "Trump said Putin and Zelensky were in Washington."),
            sentence(3, "Zelensky said Trump is well informed."),
            sentence(
                2,
                "According to Selenskyj, the American president is well informed.",
            ),
        ];
        let participants = Participants::new(&sentences);
        let mut names: Vec<&str> = (0..sentences.len())
            .flat_map(|i| participants.in_sentence(i))
            .map(|id| participants.names[id].as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        // Washington is named in three articles but written as a "full name" in one only;
        // Putih is not Putin.
        assert_eq!(names, ["putin", "trump", "zelensky"]);
        assert_eq!(participants.in_sentence(0).len(), 2);
        // One party named on each side: the other party is open, so no verdict from names.
        assert_eq!(participants.different(4, 5), None);
        assert_eq!(participants.different(0, 1), Some(("zelensky", "putin")));
    }

    #[test]
    fn a_few_chance_links_among_many_pairs_join_no_stories() {
        let articles = articles(2);
        let mut pairs = vec![evidence((0, 1), Label::OneSidedDetail, true, &[]); 2];
        pairs.extend(vec![evidence((0, 1), Label::Related, false, &[]); 23]);
        let groups = StoryGroups::new(&articles, &pairs);
        assert_ne!(groups.group_of(0), groups.group_of(1));
        let sentences = [sentence(0, "He called."), sentence(1, "He called.")];
        let participants = Participants::new(&sentences);
        let (decision, reason) = groups.same_event(&articles, &participants, &pairs[0]);
        assert_eq!(decision, SameEvent::No, "{reason}");
        assert_eq!(
            reason,
            "different_stories:2_shared_facts_in_25_compared_claims"
        );
        // The same two links among 6 pairs: one story.
        let groups = StoryGroups::new(&articles, &pairs[..6]);
        assert_eq!(groups.group_of(0), groups.group_of(1));
    }

    #[test]
    fn too_few_comparisons_leave_it_unsure() {
        let articles = articles(2);
        let pairs = [evidence((0, 1), Label::Related, false, &[])];
        let groups = StoryGroups::new(&articles, &pairs);
        let sentences = [sentence(0, "He called."), sentence(1, "He called.")];
        let participants = Participants::new(&sentences);
        assert_eq!(
            groups.same_event(&articles, &participants, &pairs[0]).0,
            SameEvent::Unsure
        );
    }
}
