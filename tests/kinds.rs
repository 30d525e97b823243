//! Kinds of cards are one type (`model::Kind`): no code in `src/` compares
//! a kind with a string or writes a kind's value, folder or URL again.
//!
//! Reads the Rust files of `src/`; fails with each offending line.

use std::path::{Path, PathBuf};

/// The values of `kind`, as written in front matter.
const KINDS: &[&str] = &[
    "dispositif",
    "outil",
    "situation",
    "parcours",
    "terme",
    "acteur",
    "page",
];

/// Lines that hold one of these words for another reason: (file, line).
const NOT_KINDS: &[(&str, &str)] = &[
    // A vague link text ("page", "cette page"), linted in card bodies.
    ("src/lint/text.rs", "\"page\","),
    // The id of a part of guide-complet.html, next to its kind.
    (
        "src/render/print.rs",
        "(Kind::Parcours, \"parcours\", \"Les parcours types\"),",
    ),
    // The name of a list in the home page's template.
    (
        "src/render/pages.rs",
        "ctx.insert(\"parcours\", &parcours);",
    ),
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

/// The line without its `//` comment (a `//` inside a string is rare
/// enough here: such a line is only checked less).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// The string literals of a kind's value in a line of code: `"terme"` but
/// not `\"terme\"` (a TOML sample inside a string).
fn kind_literals(line: &str) -> Vec<&'static str> {
    KINDS
        .iter()
        .copied()
        .filter(|k| {
            let lit = format!("\"{k}\"");
            line.match_indices(&lit)
                .any(|(i, _)| !line[..i].ends_with('\\'))
        })
        .collect()
}

/// Every line of `src/` but `model.rs` that writes a kind's value as a
/// string literal or compares a kind as a string.
fn offenders(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "src/model.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = code(line);
            let allowed = NOT_KINDS
                .iter()
                .any(|(f, l)| *f == rel && code.trim() == *l);
            let literal = !allowed && !kind_literals(code).is_empty();
            let as_string = code.contains("fm.kind.as_str()")
                || code.contains("kind == \"")
                || code.contains("kind != \"");
            if literal || as_string {
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_kind_is_compared_or_written_as_a_string_outside_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = offenders(root);
    assert!(
        found.is_empty(),
        "use model::Kind instead of these strings:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_a_string_comparison() {
    assert_eq!(kind_literals("if c.fm.kind == \"terme\" {"), ["terme"]);
    assert_eq!(
        kind_literals("matches!(k, \"acteur\" | \"page\")"),
        ["acteur", "page"]
    );
    assert!(kind_literals("\"kind = \\\"terme\\\"\"").is_empty());
    assert_eq!(code("let x = 1; // \"terme\""), "let x = 1; ");
}
