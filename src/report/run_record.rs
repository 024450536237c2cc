//! `run.json`: what produced the reports (tool version, model files and their sha256,
//! settings, inputs and their sha256), what the run noticed, how long each stage took and how
//! much model work it did (the scale series of `make bench-scale` reads its NLI calls there).

use super::{Report, SinkError};
use crate::io::{file_sha256, write_atomically};

/// Writes the run record of `report` to `path`.
pub fn write(path: &std::path::Path, report: &Report) -> Result<(), SinkError> {
    let (config, out) = (report.config, report.output);
    let models: Vec<serde_json::Value> = config
        .models
        .files_in_use(config.nli_checkpoint.as_deref())
        .iter()
        .map(|file| {
            let sha256 = file_sha256(file).unwrap_or_else(|e| format!("unreadable: {e}"));
            serde_json::json!({ "file": file.display().to_string(), "sha256": sha256 })
        })
        .collect();
    let inputs: Vec<serde_json::Value> = out
        .articles
        .iter()
        .map(|a| {
            let mut input = match &a.earlier {
                None => serde_json::json!({ "id": a.id, "path": a.path.display().to_string(), "sha256": a.sha256 }),
                Some(earlier) => serde_json::json!({ "id": a.id, "path": a.path.display().to_string(), "sha256": a.sha256, "earlier": earlier }),
            };
            if let (Some(page), Some(map)) = (&a.page, input.as_object_mut()) {
                map.insert("page".into(), serde_json::json!(page));
            }
            input
        })
        .collect();
    let warnings: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    let record = serde_json::json!({
        "tool": "crosscheck",
        "version": env!("CARGO_PKG_VERSION"),
        "drop": config.drop.display().to_string(),
        "models": models,
        "settings": {
            "ingest": config.ingest,
            "embed": { "batch_size": config.embed.batch_size, "max_tokens": config.embed.max_tokens, "precision": config.embed.precision, "precision_why": config.precision_why.embed },
            "align": config.align,
            "nli": { "batch_size": config.nli.batch_size, "max_tokens": config.nli.max_tokens, "precision": config.nli.precision, "precision_why": config.precision_why.nli },
            "verdict": config.verdict,
            "facts": config.facts,
            "earlier": config.earlier,
        },
        "inputs": inputs,
        "warnings": warnings,
        "timings": out.timings,
        "model_work": out.model_work,
    });
    let json = serde_json::to_vec_pretty(&record)?;
    write_atomically(path, |tmp| std::fs::write(tmp, &json))?;
    Ok(())
}
