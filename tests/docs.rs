//! The repository's own documentation stands alone (issue 21).
//!
//! Takes: README.md, CONTRIBUTING.md and every `docs/**/*.md`. Gives: nothing.
//! Reports: each path or file they name that the repository does not have, as
//! `document: « name »`. What counts as a name:
//! - the target of a Markdown link (`[texte](chemin)`, not a web address), resolved from the
//!   document's folder;
//! - in code (inline or fenced), a path whose first part is one of the repository's top-level
//!   entries (`src/render.rs`, `tests/browser/`, `.github/workflows/verifier.yml`);
//! - in code, a bare file name with a source or document extension (`CONTRIBUTING.md`,
//!   `guide.toml`), which must exist somewhere in the repository.
//!
//! Placeholders (`<nom>`, `…`, `*`) are not names. Paths that a command writes (the built
//! site, fuzzing crashes) are listed in `WRITTEN`, with the command that writes them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Paths the documents may name although a fresh clone lacks them: each is written by a
/// command the documents describe.
const WRITTEN: &[&str] = &[
    "public/",              // fiches build
    "target/",              // cargo build
    "fuzz/artifacts/card/", // cargo fuzz run card
    "pages-modifiees.md",   // fiches diff --format markdown, in the verification workflows
    ".fiches-liens.json",   // fiches links (its cache)
];

/// Extensions of the files a bare name in code refers to.
const FILE_EXTENSIONS: &[&str] = &["md", "rs", "toml", "sh", "yml", "mjs", "lock"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The documents to check.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut stack = vec![root.join("docs")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .expect("docs/ is readable")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every file name in the repository (not in target/, node_modules/, .git/).
fn file_names(root: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            if p.is_dir() {
                if !matches!(name.as_str(), "target" | "node_modules" | ".git" | "public") {
                    stack.push(p);
                }
            } else {
                names.insert(name);
            }
        }
    }
    names
}

/// What a document names: (Markdown link targets, words found in code).
fn names_in(text: &str) -> (Vec<String>, Vec<String>) {
    let mut links = Vec::new();
    let mut code = Vec::new();
    let mut prose = String::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            code.extend(words(line));
            continue;
        }
        // inline code spans, then the prose around them
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 1 {
                code.extend(words(part));
            } else {
                prose.push_str(part);
                prose.push('\n');
            }
        }
    }
    let mut rest = prose.as_str();
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].split('#').next().unwrap_or("").trim();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            links.push(target.to_string());
        }
        rest = &rest[end..];
    }
    (links, code)
}

/// The path-like words of a piece of code.
fn words(code: &str) -> impl Iterator<Item = String> + '_ {
    code.split(|c: char| c.is_whitespace() || "()[]\"'`,;=>".contains(c))
        .map(|w| w.trim_end_matches([':', '.']))
        .map(|w| match w.split_once(':') {
            // a position in a file, as `fiches check` writes it: `content/x.md:4:12`
            Some((path, pos))
                if pos
                    .split(':')
                    .all(|n| n.bytes().all(|b| b.is_ascii_digit())) =>
            {
                path
            }
            _ => w,
        })
        .filter(|w| !w.is_empty())
        .filter(|w| !w.contains(['<', '…', '*', '$', '?', '{']) && !w.contains("://"))
        .map(str::to_string)
}

/// The names of `text` (a document in `dir`) that the repository at `root` lacks.
fn missing(root: &Path, dir: &Path, text: &str, files: &BTreeSet<String>) -> Vec<String> {
    let top: BTreeSet<String> = std::fs::read_dir(root)
        .expect("the repository is readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let written = |p: &str| {
        WRITTEN
            .iter()
            .any(|w| p.starts_with(w.trim_end_matches('/')))
    };
    let (links, code) = names_in(text);
    let mut out = Vec::new();
    for l in links {
        if !dir.join(&l).exists() {
            out.push(l);
        }
    }
    for w in code {
        let w = w.trim_start_matches("./");
        if w.starts_with('/') || w.starts_with('-') || w.starts_with('.') && !w.contains('/') {
            continue; // an absolute path of a machine, an option, `.md`
        }
        match w.split_once('/') {
            Some((first, _)) if top.contains(first) || written(w) => {
                if !root.join(w).exists() && !written(w) {
                    out.push(w.to_string());
                }
            }
            Some(_) => {} // a page of the built site (fiches/poe.html, css/print.css)
            None => {
                let named_file = w
                    .rsplit_once('.')
                    .is_some_and(|(stem, ext)| !stem.is_empty() && FILE_EXTENSIONS.contains(&ext));
                if named_file && !files.contains(w) && !written(w) {
                    out.push(w.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn every_path_named_in_the_docs_exists() {
    let root = root();
    let files = file_names(&root);
    let mut problems = Vec::new();
    let mut checked = 0;
    for doc in documents(&root) {
        let text = std::fs::read_to_string(&doc).expect("document readable");
        checked += 1;
        let rel = doc
            .strip_prefix(&root)
            .unwrap_or(&doc)
            .display()
            .to_string();
        for m in missing(&root, doc.parent().unwrap_or(&root), &text, &files) {
            problems.push(format!("{rel}: « {m} »"));
        }
    }
    assert!(
        checked >= 3,
        "README.md, CONTRIBUTING.md and docs/ are read"
    );
    assert!(
        problems.is_empty(),
        "the documentation names paths or files that the repository does not have:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_finds_what_is_missing_and_accepts_what_exists() {
    let root = root();
    let files = file_names(&root);
    let text = "Voir [le guide](CONTRIBUTING.md), [rien](absent.md) et \
                [le site](https://example.org/x.md).\n\
                Le code : `src/main.rs:4:12`, `src/absent.rs`, `ABSENT.md`, `guide.toml`,\n\
                `fiches/poe.html`, `content/<dossier>/<nom>.md`, `public/index.html`.\n\
                ```\nsrc/lib.rs   les étapes\ntests/absent/   rien\n```\n";
    let found = missing(&root, &root, text, &files);
    assert_eq!(
        found,
        ["absent.md", "src/absent.rs", "ABSENT.md", "tests/absent/"],
        "links resolve from the document, repository paths and bare file names must exist; \
         site pages, placeholders, web addresses and written paths are not checked"
    );
}

#[test]
fn nothing_cites_documents_the_repository_does_not_have() {
    // Design notes kept outside the repository; their rules now live in docs/.
    let outside = [
        concat!("ACCESSIBILITY", ".md"),
        concat!("PERFORMANCE", ".md"),
    ];
    let root = root();
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = ["src", "tests", "themes", "docs", "scripts", "examples"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let mut files = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    stack.push(p);
                }
            } else {
                files.push(p);
            }
        }
    }
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue; // not text
        };
        for name in outside {
            if text.contains(name) {
                let rel = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
                found.push(format!("{rel} cites {name}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite docs/accessibilite.md or README.md instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_browser_suite_readme_lists_every_check() {
    let root = root();
    let readme = std::fs::read_to_string(root.join("tests/browser/README.md")).expect("README");
    let options = readme
        .split("`--only a,b`")
        .nth(1)
        .and_then(|r| r.split("`--pages REGEX`").next())
        .expect("tests/browser/README.md explains --only and --skip");
    let mut missing = Vec::new();
    let mut names = 0;
    for e in std::fs::read_dir(root.join("tests/browser/checks"))
        .expect("checks/")
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let Some(line) = text
            .lines()
            .find(|l| l.starts_with("export const name = '"))
        else {
            continue;
        };
        let name = line.split('\'').nth(1).unwrap_or("");
        names += 1;
        if !options.contains(&format!("`{name}`")) {
            missing.push(name.to_string());
        }
    }
    assert!(
        names >= 16,
        "the checks of tests/browser/checks/ are read ({names})"
    );
    assert!(
        missing.is_empty(),
        "tests/browser/README.md does not list these checks among the names --only and --skip accept: {missing:?}"
    );
}
