//! `crosscheck train-nli`: fine-tunes crosscheck's NLI cross-encoder, resuming from its
//! checkpoints.

use anyhow::Result;

use crosscheck::judging::nli::train::{train, TrainConfig};

use super::Shared;

/// Trains and prints the best dev accuracy.
pub fn train_nli(config: TrainConfig, shared: &Shared) -> Result<()> {
    let best = train(&shared.model_dir()?, config, &shared.progress)?;
    println!("best dev accuracy {best:.4}");
    Ok(())
}
