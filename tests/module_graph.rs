//! Data flows one way: reads the `crate::` and `super::` paths of every file under `src/` and
//! checks that no stage imports one that comes later in [`LAYERS`] (so there is no cycle
//! between stages), that the pipeline's folders ([`PHASES`]) import only earlier phases, and
//! that the files inside one stage's folder import each other without a cycle. A module's
//! `mod.rs` and its children may use each other (the parent declares and re-exports its
//! children, the children share the parent's types).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in the order data flows: each may import only stages before it. A file belongs
/// to the longest entry that its module path starts with.
const LAYERS: &[&str] = &[
    "domain",
    "lang",
    "io",
    "models",
    "read::ingest",
    "read::segment",
    "read::boilerplate",
    "read::claims",
    "read",
    "values::facts",
    "values::participants",
    "values::frames",
    "values",
    "matching::embed",
    "matching::neighbours",
    "matching::align",
    "judging::nli",
    "judging::verdict",
    "judging::events",
    "judging",
    "fact_table",
    "store::cache",
    "matching::earlier",
    "matching",
    "models::loaded",
    "models::calibration",
    "pipeline",
    "report",
    "eval::align",
    "eval::drop",
    "eval",
    "store::archive",
    "store::worker",
    "store",
    "cli",
];

/// The folders of the pipeline's phases, in the order data flows: a phase never imports a
/// later one. The other folders (domain, io, models, store, pipeline, eval, cli) stand beside
/// them and are held to [`LAYERS`] alone.
const PHASES: &[&str] = &[
    "read",
    "values",
    "matching",
    "judging",
    "fact_table",
    "report",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/values/facts/dates.rs` is `["values", "facts", "dates"]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix("src").unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The paths a file names after `crate::` or `super::`, resolved to module paths (as long as
/// they are written; the caller trims them to existing modules). Comments are skipped.
fn referenced(file: &Path, module: &[String]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let parent = module[..module.len().saturating_sub(1)].to_vec();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let mut path = base.clone();
            let mut rest = rest;
            loop {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                if end == 0 {
                    break;
                }
                path.push(rest[..end].to_string());
                match rest[end..].strip_prefix("::") {
                    Some(r) => rest = r,
                    None => break,
                }
            }
            out.push(path);
        }
    }
    out
}

#[test]
fn no_module_imports_a_later_one_and_no_folder_has_a_cycle() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut stage_edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut sibling_edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        if from.is_empty() {
            continue;
        }
        for mut to in referenced(file, &from) {
            while !to.is_empty() && !modules.contains(&to) {
                to.pop();
            }
            if to.is_empty() || to == from {
                continue;
            }
            let (from_stage, to_stage) = (stage_of(&from), stage_of(&to));
            // A stage may name its own folder (`use super::*` in a test module, the
            // folder's re-exports): the folder declares it.
            let ancestor = LAYERS[from_stage].starts_with(&format!("{}::", LAYERS[to_stage]));
            if from_stage != to_stage && !ancestor {
                stage_edges.insert((from_stage, to_stage));
                continue;
            }
            // Inside one stage: siblings of one folder, not parent and child.
            let depth = from.len().min(to.len());
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common + 1 == from.len() && common + 1 == to.len() && depth >= 2 {
                sibling_edges
                    .entry(from[..common].to_vec())
                    .or_default()
                    .insert((from[common].clone(), to[common].clone()));
            }
        }
    }
    let backwards: Vec<String> = stage_edges
        .iter()
        .filter(|(from, to)| from < to)
        .map(|&(from, to)| format!("{} imports {}, which comes later", LAYERS[from], LAYERS[to]))
        .collect();
    assert!(backwards.is_empty(), "{backwards:#?}");
    let phase = |stage: usize| {
        let folder = LAYERS[stage].split("::").next().unwrap_or_default();
        PHASES.iter().position(|p| *p == folder)
    };
    let later_phase: Vec<String> = stage_edges
        .iter()
        .filter(|&&(from, to)| matches!((phase(from), phase(to)), (Some(a), Some(b)) if a < b))
        .map(|&(from, to)| format!("{} imports {}, a later phase", LAYERS[from], LAYERS[to]))
        .collect();
    assert!(later_phase.is_empty(), "{later_phase:#?}");
    for (folder, edges) in &sibling_edges {
        let cycle = edges.iter().find(|(a, b)| reaches(edges, b, a));
        assert!(
            cycle.is_none(),
            "cycle in src/{}: {:?}",
            folder.join("/"),
            cycle
        );
    }
}

/// The position in [`LAYERS`] of the stage a module belongs to (the longest entry it starts
/// with).
fn stage_of(module: &[String]) -> usize {
    let path = module.join("::");
    LAYERS
        .iter()
        .enumerate()
        .filter(|(_, l)| path == **l || path.starts_with(&format!("{l}::")))
        .max_by_key(|(_, l)| l.len())
        .map(|(i, _)| i)
        .unwrap_or_else(|| {
            panic!(
                "src/{}: add its stage to LAYERS in tests/module_graph.rs",
                module.join("/")
            )
        })
}

/// Whether `to` can be reached from `from` along `edges`.
fn reaches(edges: &BTreeSet<(String, String)>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            stack.extend(
                edges
                    .iter()
                    .filter(|(a, _)| *a == node)
                    .map(|(_, b)| b.clone()),
            );
        }
    }
    false
}

#[test]
fn only_lib_main_and_lang_stand_at_the_top_of_src() {
    let mut top: Vec<String> = std::fs::read_dir("src")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        ["lang.rs", "lib.rs", "main.rs"],
        "put new modules in a folder"
    );
}
