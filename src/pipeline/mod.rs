//! Runs the stages in order over one drop: ingest, segment (with boilerplate), claims, facts,
//! embed, align, nli, verdict, events, and the fact table (frames, facts, discrepancies). Each stage is one call that returns typed output and its
//! warnings; data flows one way through the plain structs of [`crate::domain`]. The pipeline
//! writes nothing: it returns a [`RunOutput`] that the report sinks receive.
//!
//! ```no_run
//! use crosscheck::models::ModelDir;
//! use crosscheck::pipeline::{analyse, RunConfig};
//! use crosscheck::io::progress::Progress;
//! let config = RunConfig::new(
//!     "data/seeds".into(),
//!     ModelDir::new(ModelDir::default_location()),
//!     Progress { quiet: true },
//! );
//! let output = analyse(&config)?;
//! println!("{} facts, {} discrepancies", output.facts.facts.len(), output.discrepancies.len());
//! # Ok::<(), anyhow::Error>(())
//! ```

use anyhow::Result;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::domain::{
    Article, ArticleLanguage, Claim, Discrepancy, JudgedPair, Mention, MentionKind, Notice, Pair,
    Sentence, Stage, StageClock, StageTiming, ValueMention, Warning, UNKNOWN_LANGUAGE,
};
use crate::fact_table::{FactTable, LinkConfig};
use crate::io::progress::Progress;
use crate::judging::nli::NliConfig;
use crate::judging::verdict::{apply_slots, decide, VerdictConfig};
use crate::matching::align::{candidate_pairs, cap_pairs, workload, AlignConfig};
use crate::matching::earlier::{ArchivedArticles, EarlierConfig};
use crate::matching::embed::{EmbedConfig, Embeddings};
use crate::models::calibration::Reasons;
use crate::models::loaded::{ModelSettings, RunModels};
use crate::models::ModelDir;
use crate::read::ingest::{read_drop, IngestConfig};
use crate::read::segment::{article_language, split, DEFAULT_MAX_SENTENCES};
use crate::store::cache::{Caches, ModelWork};
use crate::values::facts::{anchor, compare, extract};
use indicatif::ProgressBar;

/// What a run needs to know.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The folder of articles (or a manifest file).
    pub drop: PathBuf,
    /// The model folder.
    pub models: ModelDir,
    /// What ingest reads.
    pub ingest: IngestConfig,
    /// At most this many sentences of one article are read (`--max-sentences`): the bound on
    /// the time and memory one article can take.
    pub max_sentences: usize,
    /// Embedder settings.
    pub embed: EmbedConfig,
    /// Pairing settings.
    pub align: AlignConfig,
    /// NLI settings.
    pub nli: NliConfig,
    /// Why the embed and NLI settings have their precision (recorded in run.json).
    pub precision_why: Reasons,
    /// A Hugging Face NLI checkpoint folder to use instead of crosscheck's own model.
    pub nli_checkpoint: Option<PathBuf>,
    /// Verdict thresholds.
    pub verdict: VerdictConfig,
    /// When two values state the same fact.
    pub facts: LinkConfig,
    /// Which articles of earlier drops (from the archive) the drop is compared with.
    pub earlier: EarlierConfig,
    /// Progress bars or not; warnings are shown through it as they come.
    pub progress: Progress,
}

impl RunConfig {
    /// The default settings for `drop`, with the models in `models`.
    pub fn new(drop: PathBuf, models: ModelDir, progress: Progress) -> Self {
        RunConfig {
            drop,
            models,
            ingest: IngestConfig::default(),
            max_sentences: DEFAULT_MAX_SENTENCES,
            embed: EmbedConfig::default(),
            align: AlignConfig::default(),
            nli: NliConfig::default(),
            precision_why: Reasons::default(),
            nli_checkpoint: None,
            verdict: VerdictConfig::default(),
            facts: LinkConfig::default(),
            earlier: EarlierConfig::default(),
            progress,
        }
    }

    /// The models this run uses and their settings.
    pub fn model_settings(&self) -> ModelSettings<'_> {
        ModelSettings {
            models: &self.models,
            embed: &self.embed,
            nli: &self.nli,
            nli_checkpoint: self.nli_checkpoint.as_deref(),
            progress: &self.progress,
        }
    }
}

/// Everything a run produced, before it is written out.
pub struct RunOutput {
    /// The articles read.
    pub articles: Vec<Article>,
    /// Language of each article.
    pub languages: Vec<ArticleLanguage>,
    /// All sentences, claims and furniture.
    pub sentences: Vec<Sentence>,
    /// The claim units of the sentences that are not furniture, in drop order.
    pub claims: Vec<Claim>,
    /// The judged candidate pairs of claims (indices into `claims`), sorted by (a, b).
    pub pairs: Vec<JudgedPair>,
    /// Every typed value of every claim, with its frame and event.
    pub values: Vec<ValueMention>,
    /// The facts of the drop (values gathered across articles).
    pub facts: FactTable,
    /// The discrepancies, most important first.
    pub discrepancies: Vec<Discrepancy>,
    /// What the run noticed (skipped files, decoding notes), in the order noticed.
    pub warnings: Vec<Warning>,
    /// Seconds per stage.
    pub timings: Vec<StageTiming>,
    /// How many model results were computed and how many came from the caches.
    pub model_work: ModelWork,
}

/// Why a run could not produce any output.
#[derive(Debug, thiserror::Error)]
#[error("no readable articles in {drop}; put .txt/.md articles, saved .html pages or a .csv/.jsonl manifest there")]
pub struct NoArticles {
    /// The drop.
    pub drop: PathBuf,
}

/// Runs every stage over `config.drop`; warnings are shown as they come (through
/// `config.progress`) and returned in the output.
pub fn analyse(config: &RunConfig) -> Result<RunOutput> {
    analyse_with(config, Caches::default(), None)
}

/// Like [`analyse`], looking embeddings and NLI probabilities up in `caches` first (only the
/// misses are computed, and a model is loaded only when something misses), and comparing the
/// drop with the articles of earlier drops that `earlier` holds (see [`crate::matching::earlier`]).
pub fn analyse_with(
    config: &RunConfig,
    caches: Caches,
    earlier: Option<&dyn ArchivedArticles>,
) -> Result<RunOutput> {
    let mut clock = StageClock::new();
    let mut warnings = Warnings::new(&config.progress);
    let mut models = RunModels::new(config.model_settings(), caches); // archive: models load on a cache miss
    let drop = read_and_embed(config, &mut models, &mut warnings, &mut clock)?;
    let drop_size = drop.articles.len();
    let Segmented {
        articles,
        languages,
        sentences,
        claims,
        mentions,
        claim_mentions,
        embeddings,
    } = match earlier {
        Some(source) => with_earlier(config, &mut models, source, drop, &mut clock)?,
        None => drop,
    };
    clock.lap(Stage::Earlier, articles.len() - drop_size);
    if articles.len() == 1 {
        warnings.add([Warning {
            path: config.drop.clone(),
            notice: Notice::OnlyOneArticle,
        }]);
    }

    let pairs = align(
        config,
        &claims,
        &embeddings,
        &claim_mentions,
        drop_size,
        &mut warnings,
    );
    clock.lap(Stage::Align, pairs.len());

    if caches.nli.is_none() {
        models.load_nli(&mut clock)?; // archive: without a cache, loaded here as before
    }
    let mut judged = judge(
        config,
        &mut models,
        &claims,
        &claim_mentions,
        pairs,
        &mut clock,
        &mut warnings,
    )?;
    crate::judging::events::mark(&articles, &sentences, &claims, &mut judged, &config.verdict);
    clock.lap(Stage::Verdict, judged.len());

    let stated = Stated {
        articles: &articles,
        sentences: &sentences,
        claims: &claims,
        mentions: &mentions,
        embeddings: &embeddings,
        judged: &judged,
    };
    let (values, facts, discrepancies) = gather_facts(config, &mut models, &stated, &mut clock)?;
    clock.lap(Stage::Facts, values.len());

    Ok(RunOutput {
        articles,
        languages,
        sentences,
        claims,
        pairs: judged,
        values,
        facts,
        discrepancies,
        warnings: warnings.found,
        timings: clock.into_timings(),
        model_work: models.into_work(),
    })
}

/// Reads the drop, splits it into sentences and claims with their typed values, and embeds
/// the claims.
fn read_and_embed(
    config: &RunConfig,
    models: &mut RunModels,
    warnings: &mut Warnings,
    clock: &mut StageClock,
) -> Result<Segmented> {
    let articles = ingest(config, warnings)?;
    clock.lap(Stage::Ingest, articles.len());

    let bar = config.progress.bar(articles.len() as u64, "segment");
    let (languages, sentences, notes) = segment_all(&articles, config.max_sentences, &bar);
    bar.finish_and_clear();
    warnings.add(notes);
    clock.lap(Stage::Segment, sentences.len());

    let spinner = config.progress.spinner("finding claims and their values");
    Segmented::new(articles, languages, sentences, |claims| {
        spinner.finish_and_clear();
        clock.lap(Stage::Claims, claims.len());
        let bar = config.progress.bar(claims.len() as u64, "embed");
        let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
        let embeddings = models.embed(&texts, &bar, clock)?;
        bar.finish_and_clear();
        clock.lap(Stage::Embed, claims.len());
        Ok(embeddings)
    })
}

/// Articles split into sentences and claims, their typed values (per sentence and per
/// claim), and the claims' embeddings.
struct Segmented {
    articles: Vec<Article>,
    languages: Vec<ArticleLanguage>,
    sentences: Vec<Sentence>,
    claims: Vec<Claim>,
    mentions: Vec<Vec<Mention>>,
    claim_mentions: Vec<Vec<Mention>>,
    embeddings: Embeddings,
}

impl Segmented {
    /// Splits segmented articles into claims and finds their typed values; `embed` gives the
    /// claims' embeddings. Shared by the drop alone and the drop with its earlier articles.
    fn new(
        articles: Vec<Article>,
        languages: Vec<ArticleLanguage>,
        sentences: Vec<Sentence>,
        embed: impl FnOnce(&[Claim]) -> Result<Embeddings>,
    ) -> Result<Self> {
        let claims = crate::read::claims::split_all(&sentences);
        let mentions = typed_mentions(&articles, &sentences);
        let claim_mentions = per_claim(&sentences, &claims, &mentions);
        let embeddings = embed(&claims)?;
        Ok(Segmented {
            articles,
            languages,
            sentences,
            claims,
            mentions,
            claim_mentions,
            embeddings,
        })
    }
}

/// The drop and, after it, the articles of earlier drops its claims match in the archive;
/// the drop's claims keep their embeddings, the earlier ones' come through the caches. The
/// earlier articles' own notes were shown when their drops ran, so they are not repeated.
fn with_earlier(
    config: &RunConfig,
    models: &mut RunModels,
    source: &dyn ArchivedArticles,
    drop: Segmented,
    clock: &mut StageClock,
) -> Result<Segmented> {
    let model = models.embedding_model()?;
    let found = crate::matching::earlier::find(
        source,
        &config.earlier,
        &model,
        &drop.articles,
        &drop.embeddings,
    )?;
    if found.is_empty() {
        return Ok(drop);
    }
    let mut articles = drop.articles;
    articles.extend(found);
    let hidden = ProgressBar::hidden();
    let (languages, sentences, _) = segment_all(&articles, config.max_sentences, &hidden);
    Segmented::new(articles, languages, sentences, |claims| {
        let known = drop.claims.len();
        let same_start = claims.len() >= known
            && claims
                .iter()
                .zip(&drop.claims)
                .all(|(a, b)| a.text == b.text);
        if !same_start {
            let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
            return models.embed(&texts, &ProgressBar::hidden(), clock);
        }
        let rest: Vec<&str> = claims[known..].iter().map(|c| c.text.as_str()).collect();
        let more = models.embed(&rest, &ProgressBar::hidden(), clock)?;
        let mut values = drop.embeddings.values;
        values.extend(more.values);
        Ok(Embeddings {
            dim: drop.embeddings.dim,
            values,
        })
    })
}

/// The run's warnings, each shown (through the progress display) as it is found.
struct Warnings<'a> {
    progress: &'a Progress,
    found: Vec<Warning>,
}

impl<'a> Warnings<'a> {
    fn new(progress: &'a Progress) -> Self {
        Warnings {
            progress,
            found: Vec::new(),
        }
    }

    fn add(&mut self, found: impl IntoIterator<Item = Warning>) {
        for w in found {
            self.progress.warn(&w);
            self.found.push(w);
        }
    }
}

/// Reads the drop; an empty drop is an error.
fn ingest(config: &RunConfig, warnings: &mut Warnings) -> Result<Vec<Article>> {
    let spinner = config.progress.spinner("reading the drop");
    let ingested = read_drop(&config.drop, &config.ingest);
    spinner.finish_and_clear();
    let ingested = ingested?;
    warnings.add(ingested.warnings);
    let articles = ingested.articles;
    if articles.is_empty() {
        return Err(NoArticles {
            drop: config.drop.clone(),
        }
        .into());
    }
    Ok(articles)
}

/// The candidate claim pairs that involve the drop (its articles come first, `drop_size` of
/// them; two articles of earlier drops were compared when their own drops ran), capped at
/// `align.max_pairs`, with a warning when the cap cut some.
fn align(
    config: &RunConfig,
    claims: &[Claim],
    embeddings: &Embeddings,
    claim_mentions: &[Vec<Mention>],
    drop_size: usize,
    warnings: &mut Warnings,
) -> Vec<Pair> {
    let claim_articles: Vec<usize> = claims.iter().map(|c| c.article).collect();
    let spinner = config
        .progress
        .spinner(&format!("pairing {} claims", claims.len()));
    let mut pairs = candidate_pairs(
        &claim_articles,
        embeddings,
        &anchor_kinds(claim_mentions),
        &config.align,
    );
    spinner.finish_and_clear();
    let earlier = |claim: usize| claim_articles[claim] >= drop_size;
    pairs.retain(|p| !earlier(p.a) || !earlier(p.b));
    crate::matching::earlier::keep_nearest_earlier(&mut pairs, earlier, config.earlier.per_claim);
    let cut = cap_pairs(&mut pairs, config.align.max_pairs);
    warnings.add(cut.into_iter().map(|notice| Warning {
        path: config.drop.clone(),
        notice,
    }));
    pairs
}

/// What the earlier stages found, as the fact table reads it.
struct Stated<'a> {
    articles: &'a [Article],
    sentences: &'a [Sentence],
    claims: &'a [Claim],
    mentions: &'a [Vec<Mention>],
    embeddings: &'a Embeddings,
    judged: &'a [JudgedPair],
}

/// The fact table: every value with its frame, the links between values that state the same
/// fact (frame NLI confirming the conflicting ones), the facts and their discrepancies.
fn gather_facts(
    config: &RunConfig,
    models: &mut RunModels,
    stated: &Stated,
    clock: &mut StageClock,
) -> Result<(Vec<ValueMention>, FactTable, Vec<Discrepancy>)> {
    let participants = crate::values::participants::Participants::new(stated.sentences);
    let values = crate::values::frames::value_mentions(
        stated.sentences,
        stated.claims,
        stated.mentions,
        &participants,
    );
    let frames: Vec<&str> = values.iter().map(|v| v.frame.as_str()).collect();
    let bar = config.progress.bar(frames.len() as u64, "frames");
    let framed = models.embed(&frames, &bar, clock)?;
    bar.finish_and_clear();
    let similarity = value_vectors(&framed, stated.embeddings, &values);
    let spinner = config
        .progress
        .spinner(&format!("linking {} values into facts", values.len()));
    let candidates = crate::fact_table::links(&values, &similarity, &config.facts);
    spinner.finish_and_clear();
    let links = confirm_links(config, models, &values, candidates, clock)?;
    let spinner = config.progress.spinner("building the fact table");
    let facts = crate::fact_table::build(&values, &links, stated.articles);
    let discrepancies = crate::fact_table::discrepancies(
        &facts.facts,
        &facts.siblings,
        &values,
        &similarity,
        stated.claims,
        stated.judged,
    );
    spinner.finish_and_clear();
    Ok((values, facts, discrepancies))
}

/// Splits every article into sentences (at most `max_sentences` of each) and marks page
/// furniture; returns each article's language, all sentences in drop order, and the notes
/// (unknown language, cut sentences, cut articles). `bar` advances by one per article.
pub fn segment_all(
    articles: &[Article],
    max_sentences: usize,
    bar: &ProgressBar,
) -> (Vec<ArticleLanguage>, Vec<Sentence>, Vec<Warning>) {
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
        let (mut sentences, notes) = split(i, article, &language, max_sentences);
        warnings.extend(notes.into_iter().map(|notice| Warning {
            path: article.path.clone(),
            notice,
        }));
        crate::read::boilerplate::mark(&mut sentences, &language.code);
        all.extend(sentences);
        languages.push(language);
        bar.inc(1);
    }
    (languages, all, warnings)
}

/// One unit vector per value: its frame's embedding plus its claim's, normalised. The frame
/// says what the value measures; the claim keeps its event (who, what) in view, so that "X
/// dead" of two different quakes do not look identical.
pub fn value_vectors(
    frames: &Embeddings,
    claims: &Embeddings,
    values: &[ValueMention],
) -> Embeddings {
    let dim = frames.dim;
    let mut out = Vec::with_capacity(values.len() * dim);
    for (i, v) in values.iter().enumerate() {
        let sum: Vec<f32> = frames
            .row(i)
            .iter()
            .zip(claims.row(v.claim))
            .map(|(f, c)| f + c)
            .collect();
        let norm = sum
            .iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON);
        out.extend(sum.iter().map(|x| x / norm));
    }
    Embeddings { dim, values: out }
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

/// The anchor value types each claim states.
pub fn anchor_kinds(mentions: &[Vec<Mention>]) -> Vec<BTreeSet<MentionKind>> {
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

/// The anchor value types of each claim, as the pairing's second channel sees them in a run;
/// public so that the pairing can be measured outside a run (`examples/pairing_recall.rs`).
pub fn claim_anchors(
    articles: &[Article],
    sentences: &[Sentence],
    claims: &[Claim],
) -> Vec<BTreeSet<MentionKind>> {
    anchor_kinds(&per_claim(
        sentences,
        claims,
        &typed_mentions(articles, sentences),
    ))
}

/// The typed values (dates, weekdays, durations, quantities) of every claim, anchored to its
/// article's publication day when that is known.
pub fn typed_mentions(articles: &[Article], sentences: &[Sentence]) -> Vec<Vec<Mention>> {
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

/// The typed values of each claim: those of its sentence that lie inside it (offsets stay
/// relative to the sentence).
pub fn per_claim(
    sentences: &[Sentence],
    claims: &[Claim],
    mentions: &[Vec<Mention>],
) -> Vec<Vec<Mention>> {
    claims
        .iter()
        .map(|c| {
            let from = sentences[c.sentence].start;
            mentions[c.sentence]
                .iter()
                .filter(|m| (c.start..c.end).contains(&(from + m.start)))
                .cloned()
                .collect()
        })
        .collect()
}

/// The candidate links that hold: every agreeing one, and each conflicting one whose two
/// frames entail each other in at least one direction by [`LinkConfig::min_frame_entailment`]
/// (they say the same thing of the value: "the quake killed X people" and "o sismo matou X
/// pessoas", not "X dei quali ricoverati" and "plusieurs X familles").
fn confirm_links(
    config: &RunConfig,
    models: &mut RunModels,
    values: &[ValueMention],
    candidates: Vec<crate::fact_table::Link>,
    clock: &mut StageClock,
) -> Result<Vec<crate::fact_table::Link>> {
    let disputed: Vec<usize> = (0..candidates.len())
        .filter(|&i| !candidates[i].agreeing)
        .collect();
    let texts: Vec<(&str, &str)> = disputed
        .iter()
        .map(|&i| {
            (
                values[candidates[i].a].frame.as_str(),
                values[candidates[i].b].frame.as_str(),
            )
        })
        .collect();
    let bar = config.progress.bar(2 * texts.len() as u64, "facts");
    let probabilities = if texts.is_empty() {
        Vec::new()
    } else {
        models.nli_both_ways(&texts, &bar, clock, |_| ())?
    };
    bar.finish_and_clear();
    let mut refused = vec![false; candidates.len()];
    for (&i, (ab, ba)) in disputed.iter().zip(probabilities) {
        refused[i] = ab.entailment.max(ba.entailment) < config.facts.min_frame_entailment;
    }
    Ok(candidates
        .into_iter()
        .zip(refused)
        .filter(|(_, refused)| !refused)
        .map(|(link, _)| link)
        .collect())
}

/// What the NLI model reads for each claim pair: both claims as [`crate::read::segment::nli_text`]
/// gives them (for the pipeline, and for tests and benchmarks that re-run the model on a run's
/// pairs). Owns the texts that `nli_text` had to rewrite; [`NliInputs::pairs`] lends them out
/// in the shape the model takes.
pub struct NliInputs<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl NliInputs<'_> {
    /// The (premise, hypothesis) texts, borrowed, as [`crate::judging::nli::NliModel`] reads them.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(a, b)| (a.as_ref(), b.as_ref()))
            .collect()
    }
}

/// The [`NliInputs`] of `pairs` of `claims`.
pub fn nli_inputs<'a, 'p>(
    claims: &'a [Claim],
    pairs: impl IntoIterator<Item = &'p Pair>,
) -> NliInputs<'a> {
    NliInputs(
        pairs
            .into_iter()
            .map(|p| {
                (
                    crate::read::segment::nli_text(&claims[p.a].text),
                    crate::read::segment::nli_text(&claims[p.b].text),
                )
            })
            .collect(),
    )
}

/// Runs the NLI model on every claim pair both ways and decides each pair from the
/// probabilities and the typed values; warns first when the model's work (what the cache
/// does not hold) is long.
fn judge(
    config: &RunConfig,
    models: &mut RunModels,
    claims: &[Claim],
    mentions: &[Vec<Mention>],
    pairs: Vec<Pair>,
    clock: &mut StageClock,
    warnings: &mut Warnings,
) -> Result<Vec<JudgedPair>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let bar = config.progress.bar(2 * pairs.len() as u64, "nli");
    let inputs = nli_inputs(claims, &pairs);
    let cores = usize::try_from(tch::get_num_threads()).unwrap_or(1);
    let estimate = |computed: usize| {
        let notice = workload(pairs.len(), computed, cores);
        bar.suspend(|| {
            warnings.add(notice.into_iter().map(|notice| Warning {
                path: config.drop.clone(),
                notice,
            }))
        });
    };
    let probabilities = models.nli_both_ways(&inputs.pairs(), &bar, clock, estimate)?;
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
