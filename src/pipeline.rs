//! Runs the stages in order over one drop: ingest, segment, boilerplate, embed, align, nli,
//! verdict, report. Data flows one way through plain structs; each stage lives in its module.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::align::{candidate_pairs, AlignConfig, Pair};
use crate::embed::{EmbedConfig, Embedder};
use crate::events::{PairEvidence, Participants, StoryGroups};
use crate::facts::{anchor, compare, extract, Mention, MentionKind};
use crate::ingest::{read_drop, Article};
use crate::models::ModelDir;
use crate::nli::{NliConfig, NliModel, Probabilities};
use crate::progress::Progress;
use crate::report::{write_reports, Report, StageTiming};
use crate::segment::{article_language, split, ArticleLanguage, Sentence};
use crate::verdict::{apply_same_event, apply_slots, decide, Label, Verdict, VerdictConfig};
use std::collections::BTreeSet;

/// What a run needs to know.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The folder of articles (or a manifest file).
    pub drop: PathBuf,
    /// Reports go to `<out>/<drop name>/`.
    pub out: PathBuf,
    /// The model folder.
    pub models: ModelDir,
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
    /// Progress bars or not.
    pub progress: Progress,
}

/// A candidate pair with its NLI probabilities both ways and its verdict.
#[derive(Debug, Clone)]
pub struct JudgedPair {
    /// The two sentences and their similarity.
    pub pair: Pair,
    /// a => b.
    pub ab: Probabilities,
    /// b => a.
    pub ba: Probabilities,
    /// The decision.
    pub verdict: Verdict,
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
    /// Warnings printed during the run (skipped files, decoding notes).
    pub warnings: Vec<String>,
    /// Seconds per stage.
    pub timings: Vec<StageTiming>,
}

/// Runs the pipeline over `config.drop` and writes the reports; returns the report folder and
/// the output.
pub fn run(config: &RunConfig) -> Result<(PathBuf, RunOutput)> {
    let output = analyse(config)?;
    let report_dir = report_dir(&config.out, &config.drop);
    std::fs::create_dir_all(&report_dir)
        .with_context(|| format!("cannot create the report folder {}", report_dir.display()))?;
    write_reports(
        &report_dir,
        &Report {
            config,
            output: &output,
        },
    )?;
    Ok((report_dir, output))
}

/// Runs every stage but the writing of reports.
pub fn analyse(config: &RunConfig) -> Result<RunOutput> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &str, items: usize, timings: &mut Vec<StageTiming>| {
        timings.push(StageTiming {
            stage: stage.to_string(),
            seconds: clock.elapsed().as_secs_f64(),
            items,
        });
        clock = Instant::now();
    };

    let (articles, skipped) = read_drop(&config.drop)?;
    let mut warnings: Vec<String> = skipped.iter().map(|s| format!("skipped {s}")).collect();
    for article in &articles {
        warnings.extend(
            article
                .notes
                .iter()
                .map(|n| format!("{}: {n}", article.path.display())),
        );
    }
    if articles.is_empty() {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        anyhow::bail!(
            "no readable articles in {}; put .txt/.md articles or a .csv/.jsonl manifest there",
            config.drop.display()
        );
    }
    if articles.len() == 1 {
        warnings.push(format!(
            "{}: only one article in the drop, so there is nothing to cross-check; claims.csv and summary.csv are still written",
            config.drop.display()
        ));
    }
    lap("ingest", articles.len(), &mut timings);

    let (languages, sentences) = segment_all(&articles);
    for (article, language) in articles.iter().zip(&languages) {
        if language.code == crate::segment::UNKNOWN_LANGUAGE {
            warnings.push(format!(
                "{}: language not recognised; segmented with generic rules (add a `lang:` header line to set it)",
                article.path.display()
            ));
        }
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    lap("segment", sentences.len(), &mut timings);

    let spinner = config.progress.spinner("loading multilingual-e5-small");
    let embedder = Embedder::new(&config.models, config.embed.clone())?;
    spinner.finish_and_clear();
    lap("load_embedder", 1, &mut timings);
    let bar = config.progress.bar(sentences.len() as u64, "embed");
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let embeddings = embedder.embed(&texts, &bar)?;
    bar.finish_and_clear();
    drop(embedder);
    lap("embed", sentences.len(), &mut timings);

    let mentions = typed_mentions(&articles, &sentences);
    let anchors: Vec<BTreeSet<String>> = mentions
        .iter()
        .map(|ms| {
            ms.iter()
                .filter(|m| ANCHOR_KINDS.contains(&m.kind))
                .map(|m| format!("{:?}", m.kind))
                .collect()
        })
        .collect();
    let pairs = candidate_pairs(&sentences, &embeddings, &anchors, &config.align);
    lap("align", pairs.len(), &mut timings);

    let judged = if pairs.is_empty() {
        Vec::new()
    } else {
        let spinner = config.progress.spinner("loading the NLI model");
        let nli = NliModel::new(
            &config.models,
            config.nli_checkpoint.as_deref(),
            config.nli.clone(),
        )?;
        spinner.finish_and_clear();
        lap("load_nli", 1, &mut timings);
        let bar = config.progress.bar(2 * pairs.len() as u64, "nli");
        let nli_texts: Vec<_> = sentences.iter().map(Sentence::nli_text).collect();
        let texts: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (nli_texts[p.a].as_ref(), nli_texts[p.b].as_ref()))
            .collect();
        let probabilities = nli.predict_both_ways(&texts, &bar)?;
        bar.finish_and_clear();
        lap("nli", 2 * pairs.len(), &mut timings);
        let mut judged: Vec<JudgedPair> = pairs
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
            .collect();
        mark_events(&articles, &sentences, &mut judged, &config.verdict);
        judged
    };
    lap("verdict", judged.len(), &mut timings);

    Ok(RunOutput {
        articles,
        languages,
        sentences,
        pairs: judged,
        warnings,
        timings,
    })
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

/// The typed values (dates, weekdays, durations, quantities) of every claim, anchored to its
/// article's publication day when that is known.
fn typed_mentions(articles: &[Article], sentences: &[Sentence]) -> Vec<Vec<Mention>> {
    sentences
        .iter()
        .map(|s| {
            if s.dropped.is_some() {
                return Vec::new();
            }
            let mut mentions = extract(&s.text, &s.language);
            let publication = articles[s.article].date.and_then(|(d, _)| d.naive_date());
            anchor(&mut mentions, publication);
            mentions
        })
        .collect()
}

/// Marks each contradiction and one-sided detail as about the same event or not (see
/// [`apply_same_event`] for what that does to the verdict).
fn mark_events(
    articles: &[Article],
    sentences: &[Sentence],
    judged: &mut [JudgedPair],
    config: &VerdictConfig,
) {
    fn evidence<'a>(
        sentences: &[Sentence],
        p: &'a JudgedPair,
        config: &VerdictConfig,
    ) -> PairEvidence<'a> {
        PairEvidence {
            article_a: sentences[p.pair.a].article,
            article_b: sentences[p.pair.b].article,
            sentence_a: p.pair.a,
            sentence_b: p.pair.b,
            label: p.verdict.label,
            entailed: p.ab.entailment.max(p.ba.entailment) >= config.entailment,
            slots: &p.verdict.slots,
        }
    }
    let all: Vec<PairEvidence> = judged
        .iter()
        .map(|p| evidence(sentences, p, config))
        .collect();
    let groups = StoryGroups::new(articles, &all);
    let participants = Participants::new(sentences);
    let decisions: Vec<_> = judged
        .iter()
        .map(|p| {
            matches!(p.verdict.label, Label::Contradict | Label::OneSidedDetail).then(|| {
                groups.same_event(articles, &participants, &evidence(sentences, p, config))
            })
        })
        .collect();
    for (p, decision) in judged.iter_mut().zip(decisions) {
        apply_same_event(&mut p.verdict, decision);
    }
}

/// Splits every article into sentences and marks page furniture; returns each article's
/// language and all sentences in drop order.
pub fn segment_all(articles: &[Article]) -> (Vec<ArticleLanguage>, Vec<Sentence>) {
    let mut languages = Vec::new();
    let mut all = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        let language = article_language(article);
        let mut sentences = split(i, article, &language);
        crate::boilerplate::mark(&mut sentences, &language.code);
        all.extend(sentences);
        languages.push(language);
    }
    (languages, all)
}

/// `<out>/<drop folder name>/` (for a manifest file, its stem).
pub fn report_dir(out: &Path, drop: &Path) -> PathBuf {
    let canonical = drop.canonicalize().unwrap_or_else(|_| drop.to_path_buf());
    let name = if canonical.is_file() {
        canonical.file_stem().map(|n| n.to_owned())
    } else {
        canonical.file_name().map(|n| n.to_owned())
    };
    out.join(name.unwrap_or_else(|| "drop".into()))
}
