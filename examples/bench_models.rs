//! `make bench`, second part: the model stages on the seeds at each precision, median of 3.
//! Times loading e5 (read, check, dequantise, build), embedding every seed sentence, loading
//! the NLI model, and NLI on every candidate pair both ways (the pairs of one fp32 run, so every
//! precision judges the same pairs). `--before` adds the path these replaced (rust-bert models
//! initialised and overwritten, all inputs tokenised first, batches of 32), measured the same way.
//!
//! `--python "PY tools/bench_python.py"` (what `make bench-python` passes) runs the same
//! stages with Hugging Face transformers on the same weights and inputs, once per precision
//! in each repetition, between crosscheck's rows, and prints a second table comparing them.
//!
//! Run: `cargo run --release --example bench_models [-- --before] [-- --python CMD]`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::{NliConfig, NliModel};
use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::cross_encoder::CrossEncoder;
use crosscheck::models::{Encoder, ModelDir, Precision, E5_FILE, NLI_FILE};
use crosscheck::pipeline::{analyse, RunConfig};
use indicatif::ProgressBar;
use tch::{Device, Kind, Tensor};

#[path = "../tests/old_path/mod.rs"]
mod old_path;

const RUNS: usize = 3;

/// Seconds of one repetition: load e5, embed, load NLI, NLI (wall clock), then embed and NLI
/// in CPU seconds of the process (all threads; less disturbed by other work on the machine).
type Times = [f64; 6];

/// One row of the table: its name and how to measure one repetition.
type Row<'a> = (String, Box<dyn Fn() -> Result<Times> + 'a>);

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// User + system CPU seconds of this process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let start = Instant::now();
    let value = f()?;
    Ok((value, start.elapsed().as_secs_f64()))
}

/// As [`timed`], also returning the CPU seconds spent.
fn timed_cpu<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64, f64)> {
    let cpu = cpu_seconds();
    let (value, wall) = timed(f)?;
    Ok((value, wall, cpu_seconds() - cpu))
}

/// The current path at `precision`; a fresh ModelDir, so that e5 is read again.
fn current(precision: Precision, texts: &[&str], pairs: &[(&str, &str)]) -> Result<Times> {
    let models = ModelDir::new(ModelDir::default_location());
    let hidden = ProgressBar::hidden();
    let (embedder, load_e5) = timed(|| {
        Embedder::new(
            &models,
            EmbedConfig {
                precision,
                ..EmbedConfig::default()
            },
        )
    })?;
    let (_, embed, embed_cpu) = timed_cpu(|| embedder.embed(texts, &hidden))?;
    drop(embedder);
    let (nli, load_nli) = timed(|| {
        NliModel::new(
            &models,
            None,
            NliConfig {
                precision,
                ..NliConfig::default()
            },
        )
    })?;
    let (_, judge, judge_cpu) = timed_cpu(|| nli.predict_both_ways(pairs, &hidden))?;
    Ok([load_e5, embed, load_nli, judge, embed_cpu, judge_cpu])
}

/// The path before: rust-bert models initialised then overwritten, e5 read twice, inputs all
/// tokenised first, batches of 32 by length, directions appended after each other.
fn before(texts: &[&str], pairs: &[(&str, &str)]) -> Result<Times> {
    let models = ModelDir::new(ModelDir::default_location());
    let e5_path = models.file(E5_FILE);
    let ((encoder, tokenizer), load_e5) = timed(|| {
        let tokenizer = models.tokenizer()?;
        let weights = crosscheck::models::e5s1::parse(&std::fs::read(&e5_path)?)
            .map_err(anyhow::Error::msg)?;
        Ok((
            Encoder::from_e5(&weights, Device::Cpu, &e5_path)?,
            tokenizer,
        ))
    })?;
    let (_, embed, embed_cpu) = timed_cpu(|| old_path::embeddings(&encoder, &tokenizer, texts))?;
    drop(encoder);
    let (nli, load_nli) = timed(|| {
        let weights = crosscheck::models::e5s1::parse(&std::fs::read(&e5_path)?)
            .map_err(anyhow::Error::msg)?;
        let mut model = CrossEncoder::from_e5(&weights, Device::Cpu, 0, &e5_path)?;
        model.load_finetuned(&models.file(NLI_FILE))?;
        let config = NliConfig {
            batch_size: 32,
            ..NliConfig::default()
        };
        Ok(NliModel::from_parts(model, tokenizer.clone(), config))
    })?;
    let (_, judge, judge_cpu) = timed_cpu(|| old_path::probabilities(&nli, pairs))?;
    Ok([load_e5, embed, load_nli, judge, embed_cpu, judge_cpu])
}

/// Seconds of one repetition of the Python side (`tools/bench_python.py`): load e5, embed,
/// load NLI, NLI.
fn python(command: &str, inputs: &std::path::Path, precision: Precision) -> Result<[f64; 4]> {
    let mut words = command.split_whitespace();
    let program = words.next().context("--python needs a command")?;
    let out = std::process::Command::new(program)
        .args(words)
        .arg("--inputs")
        .arg(inputs)
        .arg("--precision")
        .arg(precision.to_string())
        .output()
        .with_context(|| format!("running {command}"))?;
    anyhow::ensure!(
        out.status.success(),
        "{command} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let get = |k: &str| row[k].as_f64().context("a bench_python.py field");
    Ok([
        get("load_e5")?,
        get("embed")?,
        get("load_nli")?,
        get("nli")?,
    ])
}

/// Per-stage medians of repetitions of four stage times.
fn medians(runs: &[[f64; 4]]) -> [f64; 4] {
    std::array::from_fn(|i| median(runs.iter().map(|r| r[i]).collect()))
}

/// e5-small's shape (both models are e5-small encoders): layers, hidden width, feed-forward
/// width.
const LAYERS: f64 = 12.0;
const HIDDEN: f64 = 384.0;
const FEED_FORWARD: f64 = 1536.0;

/// Floating-point operations (a multiply-add is two) of one encoder pass over `len` tokens:
/// the four attention projections, the feed-forward layer and the two attention products.
fn encoder_flops(len: f64) -> f64 {
    LAYERS
        * (2.0 * len * (4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * FEED_FORWARD)
            + 4.0 * len * len * HIDDEN)
}

/// This machine's matrix-product rate in GFLOP/s at `kind`, on the encoder's largest product
/// (4,096 tokens × 384) · (384 × 1,536): the median of 7 after a warm-up.
fn gemm_rate(kind: Kind) -> f64 {
    let _guard = tch::no_grad_guard();
    let a = Tensor::randn([4096, 384], (kind, Device::Cpu));
    let b = Tensor::randn([384, 1536], (kind, Device::Cpu));
    let _ = a.matmul(&b);
    let seconds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let c = a.matmul(&b);
            let _ = c.sum(Kind::Float).double_value(&[]);
            start.elapsed().as_secs_f64()
        })
        .collect();
    2.0 * 4096.0 * 384.0 * 1536.0 / median(seconds) / 1e9
}

/// How much of the machine's GEMM rate the NLI stage reaches at each precision: the useful
/// operations of every directed pair (real tokens, padding not counted) over the stage's
/// median seconds.
fn gemm_fraction(pairs: &[(&str, &str)], nli_seconds: &[(Precision, f64)]) -> Result<()> {
    let models = ModelDir::new(ModelDir::default_location());
    let nli = NliModel::new(&models, None, NliConfig::default())?;
    let mut both: Vec<(&str, &str)> = pairs.to_vec();
    both.extend(pairs.iter().map(|&(a, b)| (b, a)));
    let flops: f64 = nli
        .encode(&both)?
        .iter()
        .map(|t| encoder_flops(t.len() as f64))
        .sum();
    println!(
        "\nNLI against this machine's matrix-product rate ({} threads): {:.1} GFLOP of useful \
         work in the {} directed pairs\n\n| precision | NLI GFLOP/s | GEMM GFLOP/s \
         (4096×384 · 384×1536) | fraction |\n|---|---:|---:|---:|",
        tch::get_num_threads(),
        flops / 1e9,
        both.len()
    );
    for &(precision, seconds) in nli_seconds {
        let kind = match precision {
            Precision::Bf16 => Kind::BFloat16,
            _ => Kind::Float,
        };
        let (achieved, peak) = (flops / seconds / 1e9, gemm_rate(kind));
        println!(
            "| {precision} | {achieved:.0} | {peak:.0} | {:.0} % |",
            100.0 * achieved / peak
        );
    }
    Ok(())
}

/// The value after `flag` on the command line.
fn option(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<()> {
    let with_before = std::env::args().any(|a| a == "--before");
    let python_command = option("--python");
    let output = analyse(&RunConfig::new(
        PathBuf::from("data/seeds"),
        ModelDir::new(ModelDir::default_location()),
        Progress { quiet: true },
    ))?;
    let texts: Vec<&str> = output.claims.iter().map(|c| c.text.as_str()).collect();
    let inputs =
        crosscheck::pipeline::nli_inputs(&output.claims, output.pairs.iter().map(|p| &p.pair));
    let pairs = inputs.pairs();
    let inputs_file = PathBuf::from("target/bench/model-inputs.json");
    if let Some(dir) = inputs_file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        &inputs_file,
        serde_json::to_vec(&serde_json::json!({ "texts": texts, "pairs": pairs }))?,
    )?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nModel stages on the seeds ({} sentences, {} pairs = {} directed), median of {RUNS}; \
         {} threads; CPU bf16 instructions: {}; load average at start: {}",
        texts.len(),
        pairs.len(),
        2 * pairs.len(),
        tch::get_num_threads(),
        if Precision::cpu_has_bf16() {
            "yes"
        } else {
            "no"
        },
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    );
    println!(
        "\n| path | load e5 s | embed s (CPU s) | sentences/s | load NLI s | nli s (CPU s) | \
         directed pairs/s |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    let mut rows: Vec<Row> = Vec::new();
    let (texts_ref, pairs_ref) = (&texts, &pairs);
    if with_before {
        rows.push((
            "fp32, before (rust-bert, batches of 32)".into(),
            Box::new(move || before(texts_ref, pairs_ref)),
        ));
    }
    for precision in [Precision::Fp32, Precision::Bf16] {
        let default = if precision == Precision::detect() {
            " (default here)"
        } else {
            ""
        };
        rows.push((
            format!("{precision}{default}"),
            Box::new(move || current(precision, texts_ref, pairs_ref)),
        ));
    }
    // Repetitions interleave the rows, so that a change in the machine's load falls on all.
    let mut times: Vec<Vec<Times>> = vec![Vec::new(); rows.len()];
    let precisions = [Precision::Fp32, Precision::Bf16];
    let mut python_times: Vec<Vec<[f64; 4]>> = vec![Vec::new(); precisions.len()];
    for _ in 0..RUNS {
        for ((_, run), row_times) in rows.iter().zip(times.iter_mut()) {
            row_times.push(run()?);
        }
        if let Some(command) = &python_command {
            for (&precision, row_times) in precisions.iter().zip(python_times.iter_mut()) {
                row_times.push(python(command, &inputs_file, precision)?);
            }
        }
    }
    for ((name, _), times) in rows.iter().zip(&times) {
        let m: Vec<f64> = (0..6)
            .map(|i| median(times.iter().map(|t| t[i]).collect()))
            .collect();
        println!(
            "| {name} | {:.2} | {:.2} ({:.1}) | {:.1} | {:.2} | {:.2} ({:.1}) | {:.1} |",
            m[0],
            m[1],
            m[4],
            texts.len() as f64 / m[1],
            m[2],
            m[3],
            m[5],
            2.0 * pairs.len() as f64 / m[3]
        );
    }
    // crosscheck's fp32 and bf16 rows are the last two.
    let nli_seconds: Vec<(Precision, f64)> = precisions
        .iter()
        .zip(&times[times.len() - 2..])
        .map(|(&p, t)| (p, median(t.iter().map(|x| x[3]).collect())))
        .collect();
    gemm_fraction(&pairs, &nli_seconds)?;
    if python_command.is_some() {
        let ours: Vec<[f64; 4]> = times[times.len() - 2..]
            .iter()
            .map(|t| {
                medians(
                    &t.iter()
                        .map(|x| [x[0], x[1], x[2], x[3]])
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let theirs: Vec<[f64; 4]> = python_times.iter().map(|t| medians(t)).collect();
        let best = if Precision::detect() == Precision::Bf16 {
            1
        } else {
            0
        };
        println!(
            "\nAgainst Hugging Face transformers on the same weights and inputs (tools/bench_python.py, \
             2 threads), seconds, median of {RUNS}, interleaved; ratio = Python fp32 / crosscheck {}",
            precisions[best]
        );
        println!(
            "\n| stage | crosscheck fp32 | crosscheck bf16 | Python fp32 | Python bf16 | ratio |\n\
             |---|---:|---:|---:|---:|---:|"
        );
        let stages = [
            "load e5".to_string(),
            format!("embed {} sentences", texts.len()),
            "load NLI".to_string(),
            format!("NLI {} directed pairs", 2 * pairs.len()),
        ];
        for (i, stage) in stages.iter().enumerate() {
            println!(
                "| {stage} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                ours[0][i],
                ours[1][i],
                theirs[0][i],
                theirs[1][i],
                theirs[0][i] / ours[best][i]
            );
        }
    }
    Ok(())
}
