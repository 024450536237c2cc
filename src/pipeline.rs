//! Runs the stages in order over one drop: ingest, segment (with boilerplate), facts, embed,
//! align, nli, verdict and events. Each stage is one call that returns typed output and its
//! warnings; data flows one way through the plain structs of [`crate::domain`]. The pipeline
//! writes nothing: it returns a [`RunOutput`] that the report sinks receive.

use anyhow::Result;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use crate::align::{candidate_pairs, cap_pairs, workload, AlignConfig};
use crate::domain::{
    Article, ArticleLanguage, JudgedPair, Mention, MentionKind, Notice, Pair, Sentence, Stage,
    StageTiming, Warning, UNKNOWN_LANGUAGE,
};
use crate::embed::{EmbedConfig, Embedder, Embeddings};
use crate::facts::{anchor, compare, extract};
use crate::ingest::{read_drop, IngestConfig};
use crate::models::ModelDir;
use crate::nli::{NliConfig, NliModel};
use crate::progress::Progress;
use crate::segment::{article_language, split};
use crate::verdict::{apply_slots, decide, VerdictConfig};

/// What a run needs to know.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The folder of articles (or a manifest file).
    pub drop: PathBuf,
    /// The model folder.
    pub models: ModelDir,
    /// What ingest reads.
    pub ingest: IngestConfig,
    /// Embedder settings.
    pub embed: EmbedConfig,
    /// Pairing settings.
    pub align: AlignConfig,
    /// NLI settings.
    pub nli: NliConfig,
    /// A Hugging Face NLI checkpoint folder to use instead of crosscheck's own model.
    pub nli_checkpoint: Option<PathBuf>,
    /// Verdict thresholds.
    pub verdict: VerdictConfig,
    /// Progress bars or not; warnings are shown through it as they come.
    pub progress: Progress,
}

/// Everything a run produced, before it is written out.
pub struct RunOutput {
    /// The articles read.
    pub articles: Vec<Article>,
    /// Language of each article.
    pub languages: Vec<ArticleLanguage>,
    /// All sentences, claims and furniture.
    pub sentences: Vec<Sentence>,
    /// The judged candidate pairs, sorted by (a, b).
    pub pairs: Vec<JudgedPair>,
    /// What the run noticed (skipped files, decoding notes), in the order noticed.
    pub warnings: Vec<Warning>,
    /// Seconds per stage.
    pub timings: Vec<StageTiming>,
}

/// Why a run could not produce any output.
#[derive(Debug, thiserror::Error)]
#[error("no readable articles in {drop}; put .txt/.md articles or a .csv/.jsonl manifest there")]
pub struct NoArticles {
    /// The drop.
    pub drop: PathBuf,
}

/// Times the stages of a run.
struct Clock {
    started: Instant,
    timings: Vec<StageTiming>,
}

impl Clock {
    fn new() -> Self {
        Clock {
            started: Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Records the time since the last lap as `stage`'s, with the number of items it handled.
    fn lap(&mut self, stage: Stage, items: usize) {
        self.timings.push(StageTiming {
            stage,
            seconds: self.started.elapsed().as_secs_f64(),
            items,
        });
        self.started = Instant::now();
    }
}

/// Runs every stage over `config.drop`; warnings are shown as they come (through
/// `config.progress`) and returned in the output.
pub fn analyse(config: &RunConfig) -> Result<RunOutput> {
    let mut clock = Clock::new();
    let mut warnings = Vec::new();
    let warn = |found: Vec<Warning>, warnings: &mut Vec<Warning>| {
        for w in found {
            config.progress.warn(&w);
            warnings.push(w);
        }
    };

    let ingested = read_drop(&config.drop, &config.ingest)?;
    warn(ingested.warnings, &mut warnings);
    let articles = ingested.articles;
    if articles.is_empty() {
        return Err(NoArticles {
            drop: config.drop.clone(),
        }
        .into());
    }
    if articles.len() == 1 {
        warn(
            vec![Warning {
                path: config.drop.clone(),
                notice: Notice::OnlyOneArticle,
            }],
            &mut warnings,
        );
    }
    clock.lap(Stage::Ingest, articles.len());

    let (languages, sentences, notes) = segment_all(&articles);
    warn(notes, &mut warnings);
    clock.lap(Stage::Segment, sentences.len());

    let embeddings = embed_all(config, &sentences, &mut clock)?;
    let mentions = typed_mentions(&articles, &sentences);
    let mut pairs = candidate_pairs(
        &sentences,
        &embeddings,
        &anchor_kinds(&mentions),
        &config.align,
    );
    let cores = usize::try_from(tch::get_num_threads()).unwrap_or(1);
    let cut = cap_pairs(&mut pairs, config.align.max_pairs);
    let guard = [cut, workload(pairs.len(), cores)];
    warn(
        guard
            .into_iter()
            .flatten()
            .map(|notice| Warning {
                path: config.drop.clone(),
                notice,
            })
            .collect(),
        &mut warnings,
    );
    clock.lap(Stage::Align, pairs.len());

    let mut judged = judge(config, &sentences, &mentions, pairs, &mut clock)?;
    crate::events::mark(&articles, &sentences, &mut judged, &config.verdict);
    clock.lap(Stage::Verdict, judged.len());

    Ok(RunOutput {
        articles,
        languages,
        sentences,
        pairs: judged,
        warnings,
        timings: clock.timings,
    })
}

/// Splits every article into sentences and marks page furniture; returns each article's
/// language, all sentences in drop order, and the notes (unknown language, cut sentences).
pub fn segment_all(articles: &[Article]) -> (Vec<ArticleLanguage>, Vec<Sentence>, Vec<Warning>) {
    let mut languages = Vec::new();
    let mut all = Vec::new();
    let mut warnings = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        let language = article_language(article);
        if language.code == UNKNOWN_LANGUAGE {
            warnings.push(Warning {
                path: article.path.clone(),
                notice: Notice::LanguageNotRecognised,
            });
        }
        let (mut sentences, notes) = split(i, article, &language);
        warnings.extend(notes.into_iter().map(|notice| Warning {
            path: article.path.clone(),
            notice,
        }));
        crate::boilerplate::mark(&mut sentences, &language.code);
        all.extend(sentences);
        languages.push(language);
    }
    (languages, all, warnings)
}

/// Loads e5 and embeds every sentence.
fn embed_all(config: &RunConfig, sentences: &[Sentence], clock: &mut Clock) -> Result<Embeddings> {
    let spinner = config.progress.spinner("loading multilingual-e5-small");
    let embedder = Embedder::new(&config.models, config.embed.clone())?;
    spinner.finish_and_clear();
    clock.lap(Stage::LoadEmbedder, 1);
    let bar = config.progress.bar(sentences.len() as u64, "embed");
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let embeddings = embedder.embed(&texts, &bar)?;
    bar.finish_and_clear();
    clock.lap(Stage::Embed, sentences.len());
    Ok(embeddings)
}

/// Value types that anchor the second pairing channel: claims stating a value of one of these
/// types are also paired with the most similar claims stating a value of the same type.
const ANCHOR_KINDS: &[MentionKind] = &[
    MentionKind::Duration,
    MentionKind::Money,
    MentionKind::Percentage,
    MentionKind::Weekday,
    MentionKind::Date,
];

/// The anchor value types each sentence states.
fn anchor_kinds(mentions: &[Vec<Mention>]) -> Vec<BTreeSet<MentionKind>> {
    mentions
        .iter()
        .map(|ms| {
            ms.iter()
                .map(|m| m.kind)
                .filter(|k| ANCHOR_KINDS.contains(k))
                .collect()
        })
        .collect()
}

/// The typed values (dates, weekdays, durations, quantities) of every claim, anchored to its
/// article's publication day when that is known.
fn typed_mentions(articles: &[Article], sentences: &[Sentence]) -> Vec<Vec<Mention>> {
    sentences
        .iter()
        .map(|s| {
            if !s.is_claim() {
                return Vec::new();
            }
            let mut mentions = extract(&s.text, &s.language);
            anchor(&mut mentions, articles[s.article].publication_day());
            mentions
        })
        .collect()
}

/// Loads the NLI model, runs it on every pair both ways and decides each pair from the
/// probabilities and the typed values.
fn judge(
    config: &RunConfig,
    sentences: &[Sentence],
    mentions: &[Vec<Mention>],
    pairs: Vec<Pair>,
    clock: &mut Clock,
) -> Result<Vec<JudgedPair>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let spinner = config.progress.spinner("loading the NLI model");
    let nli = NliModel::new(
        &config.models,
        config.nli_checkpoint.as_deref(),
        config.nli.clone(),
    )?;
    spinner.finish_and_clear();
    clock.lap(Stage::LoadNli, 1);
    let bar = config.progress.bar(2 * pairs.len() as u64, "nli");
    let nli_texts: Vec<_> = sentences.iter().map(crate::segment::nli_text).collect();
    let texts: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (nli_texts[p.a].as_ref(), nli_texts[p.b].as_ref()))
        .collect();
    let probabilities = nli.predict_both_ways(&texts, &bar)?;
    bar.finish_and_clear();
    clock.lap(Stage::Nli, 2 * pairs.len());
    Ok(pairs
        .into_iter()
        .zip(probabilities)
        .map(|(pair, (ab, ba))| {
            let slots = compare(&mentions[pair.a], &mentions[pair.b]);
            JudgedPair {
                pair,
                verdict: apply_slots(decide(&ab, &ba, &config.verdict), slots),
                ab,
                ba,
            }
        })
        .collect())
}
