//! Data flows one way: reads the `crate::` and `super::` paths of every file under `src/` and
//! checks that no module imports one that comes later in [`LAYERS`] (so there is no cycle
//! between top-level modules), and that the files inside one folder import each other without
//! a cycle. A module's `mod.rs` and its children may use each other (the parent declares and
//! re-exports its children, the children share the parent's types).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules in the order data flows: each may import only modules before it.
const LAYERS: &[&str] = &[
    "domain",
    "lang",
    "io",
    "progress",
    "batch",
    "models",
    "ingest",
    "segment",
    "boilerplate",
    "claims",
    "facts",
    "participants",
    "frames",
    "embed",
    "neighbours",
    "align",
    "align_eval",
    "nli",
    "verdict",
    "events",
    "fact_table",
    "cache",
    "earlier",
    "pipeline",
    "report",
    "eval_drop",
    "archive",
    "worker",
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

/// The module path of a file: `src/facts/dates.rs` is `["facts", "dates"]`.
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
    let mut top_edges: BTreeSet<(String, String)> = BTreeSet::new();
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
            if to[0] != from[0] {
                top_edges.insert((from[0].clone(), to[0].clone()));
                continue;
            }
            // Inside one top-level module: siblings of one folder, not parent and child.
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
    let position = |m: &str| {
        LAYERS
            .iter()
            .position(|l| *l == m)
            .unwrap_or_else(|| panic!("src/{m}: add the module to LAYERS in tests/module_graph.rs"))
    };
    let backwards: Vec<String> = top_edges
        .iter()
        .filter(|(from, to)| position(from) < position(to))
        .map(|(from, to)| format!("{from} imports {to}, which comes later"))
        .collect();
    assert!(backwards.is_empty(), "{backwards:#?}");
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
