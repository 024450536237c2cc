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
//!    [`crate::values::participants::MIN_ARTICLES_WITH_FULL_NAME`] articles and named in at least
//!    [`crate::values::participants::MIN_ARTICLES_FOR_PARTICIPANT`], matched across spellings and inflections (Zelensky,
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
//!
//! ```no_run
//! # fn demo(out: &mut crosscheck::pipeline::RunOutput) {
//! let config = crosscheck::judging::verdict::VerdictConfig::default();
//! crosscheck::judging::events::mark(&out.articles, &out.sentences, &out.claims, &mut out.pairs, &config);
//! # }
//! ```

mod decision;
mod groups;

pub use self::decision::{same_event, MAX_CHANCE_RATE, MIN_COMPARED};
pub use self::groups::{
    PairEvidence, StoryGroups, MAX_DAYS_APART, MIN_SHARED_FACTS, MIN_SHARED_RATE,
};
pub use crate::values::participants::Participants;

use crate::domain::{Article, Claim, JudgedPair, Label, Sentence};
use crate::judging::verdict::{apply_same_event, VerdictConfig};

/// Marks each contradiction and one-sided detail between two claims (`judged` pairs index
/// `claims`) as about the same event or not (see
/// [`apply_same_event`] for what that does to the verdict).
pub fn mark(
    articles: &[Article],
    sentences: &[Sentence],
    claims: &[Claim],
    judged: &mut [JudgedPair],
    config: &VerdictConfig,
) {
    let all: Vec<PairEvidence> = judged
        .iter()
        .map(|p| PairEvidence {
            article_a: claims[p.pair.a].article,
            article_b: claims[p.pair.b].article,
            sentence_a: claims[p.pair.a].sentence,
            sentence_b: claims[p.pair.b].sentence,
            label: p.verdict.label,
            entailed: p.ab.entailment.max(p.ba.entailment) >= config.entailment,
            slots: &p.verdict.slots,
        })
        .collect();
    let groups = StoryGroups::new(articles, &all);
    let participants = Participants::new(sentences);
    let marks: Vec<_> = all
        .iter()
        .map(|p| {
            matches!(p.label, Label::Contradict | Label::OneSidedDetail)
                .then(|| same_event(&groups, articles, &participants, p))
        })
        .collect();
    for (p, mark) in judged.iter_mut().zip(marks) {
        apply_same_event(&mut p.verdict, mark);
    }
}

#[cfg(test)]
mod tests;
