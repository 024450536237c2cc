//! The subcommands of the `crosscheck` binary, one file each, and what they share: the
//! model settings of the process, the pipeline's configuration from the command line, the
//! report folder of a drop, and the usage error (exit status 2).

pub mod archive;
pub mod archive_access;
pub mod args;
pub mod enqueue;
pub mod eval_align;
pub mod eval_drop;
pub mod eval_nli;
pub mod extract;
pub mod fetch;
pub mod languages;
pub mod run;
pub mod train_nli;
pub mod worker;

use anyhow::Result;
use std::path::{Path, PathBuf};

use crosscheck::fact_table::LinkConfig;
use crosscheck::io::progress::Progress;
use crosscheck::io::ReportSet;
use crosscheck::judging::nli::NliConfig;
use crosscheck::judging::verdict::VerdictConfig;
use crosscheck::matching::align::AlignConfig;
use crosscheck::matching::earlier::EarlierConfig;
use crosscheck::matching::embed::EmbedConfig;
use crosscheck::models::calibration::{self, Paths, StagePath};
use crosscheck::models::{ModelDir, ModelError, Precision};
use crosscheck::pipeline::{analyse, analyse_with, RunConfig, RunOutput};
use crosscheck::read::ingest::IngestConfig;
use crosscheck::report::{CsvReports, HtmlReport, PageTexts, Report, ReportSink};
use crosscheck::store::archive::{ArchiveStore, Location, Pending, PgArchive};
use crosscheck::store::cache::Caches;

use self::args::RunSettings;

/// A command-line problem found after parsing: exit status 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// The model settings every run of this process shares (the global options).
pub struct Shared {
    /// `--models`, when given.
    pub models: Option<PathBuf>,
    /// `--nli-checkpoint`.
    pub nli_checkpoint: Option<PathBuf>,
    /// `--precision`, when given.
    pub precision: Option<Precision>,
    /// The paths the model stages run, once resolved ([`Shared::paths`]).
    pub paths: std::sync::OnceLock<Paths>,
    /// `--quiet` or not.
    pub progress: Progress,
}

impl Shared {
    /// The model folder: `--models`, else the first of the places [`ModelDir::locate`] looks.
    pub fn model_dir(&self) -> Result<ModelDir, ModelError> {
        match &self.models {
            Some(dir) => Ok(ModelDir::new(dir.clone())),
            None => ModelDir::locate(),
        }
    }

    /// The paths of the model stages: `--precision` when given, else the machine's measured
    /// choice ([`calibration::measured_paths`], measured on first use); imported
    /// `--nli-checkpoint` models run in fp32 whatever the choice. Resolved once a process.
    pub fn paths(&self) -> Result<Paths> {
        if let Some(paths) = self.paths.get() {
            return Ok(paths.clone());
        }
        let mut paths = match self.precision {
            Some(precision) => Paths::given(precision, "chosen by --precision"),
            None => calibration::measured_paths(&self.model_dir()?, &self.progress)?,
        };
        if self.nli_checkpoint.is_some() {
            paths.nli = StagePath {
                precision: Precision::Fp32,
                why: "imported --nli-checkpoint models run in fp32".into(),
            };
        }
        Ok(self.paths.get_or_init(|| paths).clone())
    }
}

/// The pipeline's configuration for `drop`.
pub fn run_config(drop: PathBuf, settings: &RunSettings, models: &Shared) -> Result<RunConfig> {
    let paths = models.paths()?;
    Ok(RunConfig {
        drop,
        models: models.model_dir()?,
        ingest: IngestConfig {
            max_file_bytes: (settings.max_file_mb * 1e6) as u64,
        },
        max_sentences: settings.max_sentences,
        embed: EmbedConfig {
            precision: paths.embed.precision,
            ..EmbedConfig::default()
        },
        align: AlignConfig {
            top_k: settings.top_k,
            min_similarity: settings.min_similarity,
            max_pairs: settings.max_pairs,
            ..AlignConfig::default()
        },
        nli: NliConfig {
            precision: paths.nli.precision,
            ..NliConfig::default()
        },
        precision_why: paths.reasons(),
        nli_checkpoint: models.nli_checkpoint.clone(),
        verdict: VerdictConfig {
            entailment: settings.entailment_threshold,
            contradiction: settings.contradiction_threshold,
        },
        facts: LinkConfig::default(),
        earlier: EarlierConfig {
            enabled: !settings.no_earlier,
            window_days: settings.earlier_days,
            min_similarity: settings.earlier_min_similarity,
            min_matches: settings.earlier_min_matches,
            max_articles: settings.earlier_max,
            per_claim: settings.earlier_per_claim,
            index_from: settings.earlier_index_from,
            ..EarlierConfig::default()
        },
        progress: models.progress,
    })
}

/// Runs the pipeline (through the archive's caches, when there is one) and writes the reports
/// into the staging folder of `set`; returns the output and the model results to record.
pub fn analyse_into(
    config: &RunConfig,
    archive: Option<&dyn ArchiveStore>,
    set: &ReportSet,
    no_html: bool,
) -> Result<(RunOutput, Option<Pending>)> {
    let (output, pending) = match archive {
        Some(archive) => {
            let cache = archive.cache();
            let caches = Caches {
                embeddings: Some(&cache),
                nli: Some(&cache),
            };
            let output = analyse_with(config, caches, Some(&cache))?;
            (output, Some(cache.into_pending()))
        }
        None => (analyse(config)?, None),
    };
    let report = Report {
        config,
        output: &output,
    };
    let mut sinks: Vec<Box<dyn ReportSink>> = vec![
        Box::new(CsvReports::new(set.staging().into())),
        Box::new(PageTexts::new(set.staging().into())),
    ];
    if !no_html {
        sinks.push(Box::new(HtmlReport::new(set.staging().into())));
    }
    let spinner = config.progress.spinner("writing the reports");
    for sink in &sinks {
        sink.write(&report)?;
    }
    spinner.finish_and_clear();
    Ok((output, pending))
}

/// The PostgreSQL archive at `given`, or a usage error for anything else.
pub fn postgres_archive(given: &Path, what: &str) -> Result<PgArchive> {
    match Location::parse(given) {
        Location::Postgres(url) => Ok(PgArchive::open(&url)?),
        Location::Sqlite(path) => Err(Usage(format!(
            "{what} needs a PostgreSQL archive (--archive postgresql://USER@HOST/DATABASE), not the file {}; see README \"Archive\"",
            path.display()
        ))
        .into()),
    }
}

/// The time now, RFC 3339 in UTC.
pub fn now() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// `<out>/<drop folder name>/` (for a manifest file, its stem); refused when it is the drop,
/// inside it, or holds it, since the reports would mix with the articles or replace them.
pub fn report_dir(out: &Path, drop: &Path) -> Result<PathBuf> {
    let canonical_drop = drop.canonicalize().unwrap_or_else(|_| drop.to_path_buf());
    let name = if canonical_drop.is_file() {
        canonical_drop.file_stem()
    } else {
        canonical_drop.file_name()
    }
    .map(|n| n.to_owned())
    .unwrap_or_else(|| "drop".into());
    let target = absolute(out).join(name);
    let drop_folder = if canonical_drop.is_file() {
        canonical_drop.parent().map(Path::to_path_buf)
    } else {
        Some(canonical_drop.clone())
    };
    if let Some(folder) = drop_folder {
        if target.starts_with(&folder) || folder.starts_with(&target) {
            return Err(Usage(format!(
                "--out {} would put the reports of {} at {}, inside the drop or around it; pass an --out folder outside the drop (e.g. --out reports)",
                out.display(),
                drop.display(),
                target.display()
            ))
            .into());
        }
    }
    Ok(target)
}

/// `path` made absolute with symbolic links resolved as far as it exists.
pub fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(part)) => {
                rest.push(part.to_owned());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        }
    }
}
