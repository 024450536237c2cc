//! The models of a run behind the model result caches ([`crate::store::cache`]): a model is
//! loaded on the first cache miss, so a rerun whose results are all cached loads none, and
//! the work done (computed against cached) is counted for the run's summary.

use std::path::Path;

use anyhow::Result;
use indicatif::ProgressBar;

use crate::domain::{Probabilities, Stage, StageClock};
use crate::io::progress::Progress;
use crate::judging::nli::{NliConfig, NliModel};
use crate::matching::embed::{EmbedConfig, Embedder, Embeddings};
use crate::models::ModelDir;
use crate::store::cache::{self, Caches, ModelWork};

/// Which models a run uses and with what settings (borrowed from the run's configuration).
#[derive(Debug, Clone, Copy)]
pub struct ModelSettings<'a> {
    /// The model folder.
    pub models: &'a ModelDir,
    /// Embedder settings.
    pub embed: &'a EmbedConfig,
    /// NLI settings.
    pub nli: &'a NliConfig,
    /// A Hugging Face NLI checkpoint folder used instead of crosscheck's own model.
    pub nli_checkpoint: Option<&'a Path>,
    /// Where the loading spinners are shown.
    pub progress: &'a Progress,
}

/// The models of a run, loaded when first needed, behind the caches, and the count of the
/// work done.
pub struct RunModels<'a> {
    settings: ModelSettings<'a>,
    embedder: Option<Embedder>,
    nli: Option<NliModel>,
    caches: Caches<'a>,
    work: ModelWork,
}

impl<'a> RunModels<'a> {
    /// Nothing loaded nor hashed yet.
    pub fn new(settings: ModelSettings<'a>, caches: Caches<'a>) -> Self {
        RunModels {
            settings,
            embedder: None,
            nli: None,
            caches,
            work: ModelWork::default(),
        }
    }

    /// The work counted so far.
    pub fn into_work(self) -> ModelWork {
        self.work
    }

    /// Loads the NLI model now if it is not yet.
    pub fn load_nli(&mut self, clock: &mut StageClock) -> Result<()> {
        load_nli(&mut self.nli, &self.settings, clock)?;
        self.work.models_loaded = self.loaded_count();
        Ok(())
    }

    /// The embedder's hash (what cached vectors are stored under).
    pub fn embedding_model(&mut self) -> Result<String> {
        if self.work.embedding_model.is_none() {
            let hash = cache::embedding_model_hash(self.settings.models, self.settings.embed)?;
            self.work.embedding_model = Some(hash);
        }
        Ok(self.work.embedding_model.clone().unwrap_or_default())
    }

    /// [`Embedder::embed`] through the embedding cache; `bar` counts the texts that are
    /// computed (the cache's misses).
    pub fn embed(
        &mut self,
        texts: &[&str],
        bar: &ProgressBar,
        clock: &mut StageClock,
    ) -> Result<Embeddings> {
        let model = match self.caches.embeddings {
            Some(_) => self.embedding_model()?,
            None => String::new(),
        };
        let RunModels {
            settings,
            embedder,
            caches,
            work,
            ..
        } = self;
        let out = cache::embed_through(caches.embeddings, &model, texts, work, |t| {
            let embedder = load_embedder(embedder, settings, clock)?;
            bar.set_length(t.len() as u64);
            embedder.embed(t, bar)
        });
        self.work.models_loaded = self.loaded_count();
        out
    }

    /// [`NliModel::predict_both_ways`] through the NLI cache; `bar` counts the directed
    /// pairs that are computed (the cache's misses). `before` hears, after the cache look-up
    /// and before any model work, how many distinct directed pairs are left to compute (it is
    /// not called when none are): what a work estimate is made from.
    pub fn nli_both_ways(
        &mut self,
        pairs: &[(&str, &str)],
        bar: &ProgressBar,
        clock: &mut StageClock,
        before: impl FnOnce(usize),
    ) -> Result<Vec<(Probabilities, Probabilities)>> {
        if self.caches.nli.is_some() && self.work.nli_model.is_none() {
            let s = self.settings;
            let hash = cache::nli_model_hash(s.models, s.nli_checkpoint, s.nli)?;
            self.work.nli_model = Some(hash);
        }
        let model = self.work.nli_model.clone().unwrap_or_default();
        let RunModels {
            settings,
            nli,
            caches,
            work,
            ..
        } = self;
        let out = cache::nli_through(caches.nli, &model, pairs, work, |p| {
            before(cache::distinct_count(p));
            let model = load_nli(nli, settings, clock)?;
            bar.set_length(p.len() as u64);
            model.predict(p, bar)
        });
        self.work.models_loaded = self.loaded_count();
        out
    }

    /// How many models are loaded now.
    fn loaded_count(&self) -> usize {
        usize::from(self.embedder.is_some()) + usize::from(self.nli.is_some())
    }
}

/// The embedder in `slot`, loading multilingual-e5-small on first use.
fn load_embedder<'m>(
    slot: &'m mut Option<Embedder>,
    settings: &ModelSettings,
    clock: &mut StageClock,
) -> Result<&'m Embedder> {
    if slot.is_none() {
        let spinner = settings.progress.spinner("loading multilingual-e5-small");
        let embedder = Embedder::new(settings.models, settings.embed.clone())?;
        spinner.finish_and_clear();
        clock.lap(Stage::LoadEmbedder, 1);
        *slot = Some(embedder);
    }
    slot.as_ref()
        .ok_or_else(|| anyhow::anyhow!("the embedder did not load"))
}

/// The NLI model in `slot`, loaded on first use.
fn load_nli<'m>(
    slot: &'m mut Option<NliModel>,
    settings: &ModelSettings,
    clock: &mut StageClock,
) -> Result<&'m NliModel> {
    if slot.is_none() {
        let spinner = settings.progress.spinner("loading the NLI model");
        let nli = NliModel::new(
            settings.models,
            settings.nli_checkpoint,
            settings.nli.clone(),
        )?;
        spinner.finish_and_clear();
        clock.lap(Stage::LoadNli, 1);
        *slot = Some(nli);
    }
    slot.as_ref()
        .ok_or_else(|| anyhow::anyhow!("the NLI model did not load"))
}
