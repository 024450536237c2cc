//! `make bench`, second part: the model stages on the seeds at each precision, median of 3.
//! Times loading e5 (read, check, dequantise, build), embedding every seed sentence, loading
//! the NLI model, and NLI on every candidate pair both ways (the pairs of one fp32 run, so every
//! precision judges the same pairs). `--before` adds the path these replaced (rust-bert models
//! initialised and overwritten, all inputs tokenised first, batches of 32), measured the same way.
//!
//! The first lines name the CPU (as `lscpu` does) and the default path of each stage
//! (measured, `crosscheck::models::calibration`); after the table, the share of this machine's
//! fp32, bf16 and int8 (fbgemm) GEMM rates that the NLI stage reaches.
//!
//! `--python "PY tools/bench_python.py"` (what `make bench-python` passes) runs the same
//! stages with Hugging Face transformers on the same weights and inputs, at fp32 and bf16,
//! each with transformers' default attention (sdpa) and with eager attention, once each in
//! every repetition, between crosscheck's rows, and prints a second table comparing them.
//!
//! Run: `cargo run --release --example bench_models [-- --before] [-- --python CMD]`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use crosscheck::io::progress::Progress;
use crosscheck::judging::nli::{NliConfig, NliModel};
use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::calibration::{self, record::MachineKey, Paths};
use crosscheck::models::cross_encoder::CrossEncoder;
use crosscheck::models::{Encoder, ModelDir, Precision, E5_FILE, NLI_FILE};
use crosscheck::pipeline::{analyse, RunConfig};
use indicatif::ProgressBar;
use tch::{Device, Kind, Scalar, Tensor};

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

/// One configuration of the Python side: precision and attention implementation.
#[derive(Clone, Copy)]
struct PythonPath {
    precision: Precision,
    attention: &'static str,
}

/// The Python configurations compared: transformers' default attention (sdpa) and eager, at
/// fp32 and bf16.
const PYTHON_PATHS: [PythonPath; 4] = [
    PythonPath {
        precision: Precision::Fp32,
        attention: "sdpa",
    },
    PythonPath {
        precision: Precision::Fp32,
        attention: "eager",
    },
    PythonPath {
        precision: Precision::Bf16,
        attention: "sdpa",
    },
    PythonPath {
        precision: Precision::Bf16,
        attention: "eager",
    },
];

/// Seconds of one repetition of the Python side (`tools/bench_python.py`): load e5, embed,
/// load NLI, NLI. Fails when transformers ran another attention than the one asked for.
fn python(command: &str, inputs: &std::path::Path, path: PythonPath) -> Result<[f64; 4]> {
    let mut words = command.split_whitespace();
    let program = words.next().context("--python needs a command")?;
    let out = std::process::Command::new(program)
        .args(words)
        .arg("--inputs")
        .arg(inputs)
        .arg("--precision")
        .arg(path.precision.to_string())
        .arg("--attention")
        .arg(path.attention)
        .output()
        .with_context(|| format!("running {command}"))?;
    anyhow::ensure!(
        out.status.success(),
        "{command} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    anyhow::ensure!(
        row["attention"] == path.attention,
        "{command} ran attention {} instead of {}",
        row["attention"],
        path.attention
    );
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

/// The encoder's largest matrix product, (4,096 tokens × 384) · (384 × 1,536), in
/// floating-point operations.
const GEMM_FLOPS: f64 = 2.0 * 4096.0 * 384.0 * 1536.0;

/// Median seconds of 7 calls of `f` after a warm-up.
fn median_seconds(f: impl Fn()) -> f64 {
    f();
    median(
        (0..7)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// This machine's matrix-product rate in GFLOP/s at `kind`, on the encoder's largest product.
fn gemm_rate(kind: Kind) -> f64 {
    let _guard = tch::no_grad_guard();
    let a = Tensor::randn([4096, 384], (kind, Device::Cpu));
    let b = Tensor::randn([384, 1536], (kind, Device::Cpu));
    GEMM_FLOPS
        / median_seconds(|| {
            let _ = a.matmul(&b).sum(Kind::Float).double_value(&[]);
        })
        / 1e9
}

/// The int8 rate of the same product through libtorch's fbgemm (int8 weights quantised
/// symmetrically per tensor, fp32 activations quantised on the fly, VNNI where the CPU has it),
/// in GOP/s: the ceiling an int8 path of the Linear layers could reach.
fn int8_gemm_rate() -> f64 {
    let _guard = tch::no_grad_guard();
    let a = Tensor::randn([4096, 384], (Kind::Float, Device::Cpu));
    let w = Tensor::randn([1536, 384], (Kind::Float, Device::Cpu));
    let bias = Tensor::zeros([1536], (Kind::Float, Device::Cpu));
    // What ATen's fbgemm_linear_quantize_weight returns (tch does not expose it): the int8
    // weight, its scale (zero point 0), and each output column's sum of int8 weights.
    let scale = w.abs().max().double_value(&[]) / 127.0;
    let q = (&w / scale).round().clamp(-128, 127).to_kind(Kind::Int8);
    let col_offsets = q.sum_dim_intlist(1, false, Kind::Int);
    let packed = q.fbgemm_pack_quantized_matrix();
    GEMM_FLOPS
        / median_seconds(|| {
            let _ = a
                .fbgemm_linear_int8_weight_fp32_activation(
                    &q,
                    &packed,
                    &col_offsets,
                    Scalar::float(scale),
                    Scalar::int(0),
                    &bias,
                )
                .sum(Kind::Float)
                .double_value(&[]);
        })
        / 1e9
}

/// How much of the machine's GEMM rates the NLI stage reaches at each precision: the useful
/// operations of every directed pair (real tokens, padding not counted) over the stage's
/// median seconds, against the rate at the path's own kind, the fp32 rate, and the int8 rate.
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
    let fp32 = gemm_rate(Kind::Float);
    let bf16 = gemm_rate(Kind::BFloat16);
    let int8 = int8_gemm_rate();
    println!(
        "\nNLI against this machine's matrix-product rates ({} threads): {:.1} GFLOP of useful \
         work in the {} directed pairs; GEMM (4096×384 · 384×1536) fp32 {fp32:.0} GFLOP/s, \
         bf16 {bf16:.0} GFLOP/s, int8 (fbgemm, fp32 activations) {int8:.0} GOP/s\n\n\
         | path | NLI GFLOP/s | share of its own GEMM rate | of the fp32 rate | of the int8 rate |\n\
         |---|---:|---:|---:|---:|",
        tch::get_num_threads(),
        flops / 1e9,
        both.len()
    );
    for &(precision, seconds) in nli_seconds {
        let own = match precision {
            Precision::Bf16 => bf16,
            Precision::Fp32 => fp32,
        };
        let achieved = flops / seconds / 1e9;
        println!(
            "| {precision} | {achieved:.0} | {:.0} % | {:.0} % | {:.0} % |",
            100.0 * achieved / own,
            100.0 * achieved / fp32,
            100.0 * achieved / int8
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

/// `name`, marked with the stages whose default path (measured) it is.
fn marked(name: String, precision: Precision, paths: &Paths) -> String {
    let stages: Vec<&str> = [("embed", &paths.embed), ("NLI", &paths.nli)]
        .iter()
        .filter(|(_, p)| p.precision == precision)
        .map(|&(stage, _)| stage)
        .collect();
    if stages.is_empty() {
        name
    } else {
        format!("{name} (default here for {})", stages.join(" and "))
    }
}

fn main() -> Result<()> {
    let with_before = std::env::args().any(|a| a == "--before");
    let python_command = option("--python");
    let models = ModelDir::new(ModelDir::default_location());
    let paths = calibration::measured_paths(&models, &Progress { quiet: true })?;
    let output = analyse(&RunConfig::new(
        PathBuf::from("data/seeds"),
        models,
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
         CPU: {} (lscpu 'Model name'), {} threads; CPU bf16 instructions: {}; load average at \
         start: {}\ndefault embed path: {} ({})\ndefault NLI path: {} ({})",
        texts.len(),
        pairs.len(),
        2 * pairs.len(),
        MachineKey::current().cpu,
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
        paths.embed.precision,
        paths.embed.why,
        paths.nli.precision,
        paths.nli.why,
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
    let precisions = [Precision::Fp32, Precision::Bf16];
    for precision in precisions {
        rows.push((
            marked(precision.to_string(), precision, &paths),
            Box::new(move || current(precision, texts_ref, pairs_ref)),
        ));
    }
    // Repetitions interleave the rows, so that a change in the machine's load falls on all.
    let mut times: Vec<Vec<Times>> = vec![Vec::new(); rows.len()];
    let mut python_times: Vec<Vec<[f64; 4]>> = vec![Vec::new(); PYTHON_PATHS.len()];
    for _ in 0..RUNS {
        for ((_, run), row_times) in rows.iter().zip(times.iter_mut()) {
            row_times.push(run()?);
        }
        if let Some(command) = &python_command {
            for (&path, row_times) in PYTHON_PATHS.iter().zip(python_times.iter_mut()) {
                row_times.push(python(command, &inputs_file, path)?);
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
        // The default's seconds per stage: load e5 and embed at the embed path, load NLI and
        // NLI at the NLI path.
        let index = |p: Precision| precisions.iter().position(|&q| q == p).unwrap_or(0);
        let default_path = [paths.embed.precision, paths.nli.precision];
        let default: [f64; 4] = std::array::from_fn(|i| ours[index(default_path[i / 2])][i]);
        println!(
            "\nAgainst Hugging Face transformers on the same weights and inputs \
             (tools/bench_python.py, {} threads), seconds, median of {RUNS}, interleaved, on {}; \
             default = crosscheck's measured path per stage (embed {}, NLI {}); ratio = \
             transformers fp32 / crosscheck default",
            tch::get_num_threads(),
            MachineKey::current().cpu,
            paths.embed.precision,
            paths.nli.precision
        );
        println!(
            "\n| stage | crosscheck fp32 | crosscheck bf16 | crosscheck default | transformers fp32 \
             sdpa | fp32 eager | bf16 sdpa | bf16 eager | ratio vs sdpa | ratio vs eager |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        let stages = [
            "load e5".to_string(),
            format!("embed {} sentences", texts.len()),
            "load NLI".to_string(),
            format!("NLI {} directed pairs", 2 * pairs.len()),
        ];
        for (i, stage) in stages.iter().enumerate() {
            println!(
                "| {stage} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                ours[0][i],
                ours[1][i],
                default[i],
                theirs[0][i],
                theirs[1][i],
                theirs[2][i],
                theirs[3][i],
                theirs[0][i] / default[i],
                theirs[1][i] / default[i]
            );
        }
    }
    gemm_fraction(&pairs, &nli_seconds)
}
