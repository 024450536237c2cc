//! `crosscheck languages`: the languages crosscheck knows (`src/lang.rs`), the codes a `lang:`
//! header or column takes, and what is read in each.

use crosscheck::lang::{Language, LANGUAGES};

/// Prints one Markdown table row per registered language: its code, its name, whether its
/// numbers and dates are read as typed values, whether its sentences are cut into clauses.
pub fn languages() {
    println!("| lang: | language | numbers and dates | clauses |\n|---|---|---|---|");
    for language in LANGUAGES {
        println!("{}", row(language));
    }
}

/// The table row of one language.
fn row(language: &Language) -> String {
    let facts = match (language.facts, language.facts_language()) {
        (Some(_), _) => "read".to_string(),
        (None, Some(stand_in)) => format!("read as {}", stand_in.code),
        (None, None) => "not read (NLI only)".to_string(),
    };
    let clauses = if language.clauses.is_some() {
        "yes"
    } else {
        "whole sentences"
    };
    format!(
        "| {} | {} | {facts} | {clauses} |",
        language.code, language.name
    )
}
