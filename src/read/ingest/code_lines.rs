//! Which lines of a `.txt` look like program code rather than prose, for the check that refuses
//! a file of source code as an article. A list item ending in `;` ("- air defence;") is prose;
//! C-like statements, Python definitions, imports and assignments are code.

/// List markers that start an item of a prose list.
const LIST_MARKERS: &[&str] = &["- ", "* ", "• ", "– ", "— ", "· "];

/// Python keywords that open a block (the line ends in `:`).
const PYTHON_BLOCKS: &[&str] = &[
    "def ",
    "class ",
    "if ",
    "elif ",
    "else:",
    "for ",
    "while ",
    "try:",
    "except",
    "finally:",
    "with ",
    "async def ",
];

/// Whether `line` (trimmed, not empty) looks like a line of program code.
pub(super) fn code_like(line: &str) -> bool {
    if line.starts_with("//") || line.starts_with("/*") || line.starts_with("#include") {
        return true;
    }
    if line.ends_with(['{', '}']) {
        return true;
    }
    if line.ends_with(';') {
        return !list_item(line) && line.contains(['=', '(', ')', '[', ']', '<', '>', '{']);
    }
    python_like(line)
}

/// A list item: a bullet, or a number or letter followed by `.` or `)` ("1.", "a)").
fn list_item(line: &str) -> bool {
    if LIST_MARKERS.iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let label: String = line.chars().take_while(|c| c.is_alphanumeric()).collect();
    let after = &line[label.len()..];
    !label.is_empty()
        && label.chars().count() <= 3
        && (after.starts_with(". ") || after.starts_with(") "))
}

/// A line of Python: a block opener ending in `:`, an import, an assignment or a call on a line
/// of its own. Keywords are lower case, as Python has them; a prose line starts with a capital
/// or is the continuation of a sentence, which these forms are not.
fn python_like(line: &str) -> bool {
    if PYTHON_BLOCKS.iter().any(|k| line.starts_with(k)) && line.ends_with(':') {
        return true;
    }
    if let Some(names) = line.strip_prefix("import ") {
        return dotted_names(names);
    }
    if let Some(rest) = line.strip_prefix("from ") {
        return rest
            .split_once(" import ")
            .is_some_and(|(module, _)| dotted_names(module));
    }
    if line.starts_with("return ") || line == "return" || line == "pass" {
        return line.ends_with(|c: char| c == ')' || c == ']' || c.is_alphanumeric())
            && !line.ends_with('.');
    }
    let ident_len = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "_.[]'\"".contains(c)))
        .unwrap_or(line.len());
    if ident_len == 0 || line.starts_with(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
        return false;
    }
    let after = &line[ident_len..];
    let operator = after.trim_start();
    let assignment = ["=", "+=", "-=", "*=", "/=", "|="]
        .iter()
        .any(|op| operator.starts_with(op))
        && !operator.starts_with("==")
        && !line.ends_with('.');
    let call = after.starts_with('(') && line.ends_with(')');
    assignment || call
}

/// `a`, `a.b`, `a, b`, `a as b`: names as an import lists them.
fn dotted_names(names: &str) -> bool {
    !names.trim().is_empty()
        && names.split([',', ' ']).filter(|w| !w.is_empty()).all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '*')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_ending_in_semicolons_are_prose() {
        for line in [
            "- air defence systems for Kyiv;",
            "* joint production of drones (with Denmark);",
            "1. a ceasefire in the Black Sea;",
            "b) the exchange of prisoners;",
            "The talks covered three points;",
            "Import duties rose by 5 percent.",
            "From Kyiv, the president said the call went well:",
            "return to Kyiv was planned for Friday.",
            "Zelensky (right) met Trump (left).",
            "# Trump and Zelensky speak",
        ] {
            assert!(!code_like(line), "{line:?}");
        }
    }

    #[test]
    fn c_like_and_python_lines_are_code() {
        for line in [
            "let x = compute(1);",
            "int main() {",
            "}",
            "// a comment",
            "#include <stdio.h>",
            "def main():",
            "class Article(object):",
            "if __name__ == \"__main__\":",
            "import os, sys",
            "from collections import Counter",
            "x = load(path)",
            "counts[word] += 1",
            "print(total)",
            "return total",
            "main()",
        ] {
            assert!(code_like(line), "{line:?}");
        }
    }
}
