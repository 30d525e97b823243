//! Stages only look forward (issue 15): a module of src/ uses only the
//! modules declared above it in src/lib.rs, so no module imports a later
//! stage and no two modules use each other. The order is written once, in
//! lib.rs; this test reads it there, then reads every `crate::` path of
//! every file of src/.

use std::collections::BTreeMap;
use std::path::Path;

/// The comment of lib.rs above the commands (`fiches links`, `serve`...):
/// the modules after it may use what lib.rs itself defines (`Report`,
/// `build`), the stages may not.
const COMMANDS: &str = "// The commands around the stages.";

/// The top-level modules, in the order of `pub mod` lines in lib.rs, and how
/// many of them come before the commands.
fn order(lib: &str) -> (Vec<String>, usize) {
    let mut list = Vec::new();
    let mut stages = None;
    for line in lib.lines().map(str::trim) {
        if line == COMMANDS {
            stages = Some(list.len());
        }
        if let Some(m) = line.strip_prefix("pub mod ") {
            list.push(m.trim_end_matches(';').to_string());
        }
    }
    let stages = stages.unwrap_or(list.len());
    (list, stages)
}

/// The top-level module a file of src/ belongs to (`render/body.rs` → `render`).
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().expect("a path under src/");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The first name of every `crate::` path of a text, with its line, in the
/// forms `crate::a::b`, `use crate::{a, b::c}` and `crate::{a::x, b}`.
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name = item.trim().split("::").next().unwrap_or("");
                    let name = name.split_whitespace().next().unwrap_or("");
                    if !name.is_empty() {
                        out.push((n + 1, name.to_string()));
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((n + 1, name));
            }
        }
    }
    out
}

fn rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src/ is readable") {
        let p = e.expect("a directory entry").path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every use of a module that is not above the user in lib.rs, as
/// `file:line: a uses b`.
fn backward_uses(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    let (order, stages) = order(&lib);
    let rank: BTreeMap<String, usize> =
        order.into_iter().enumerate().map(|(i, m)| (m, i)).collect();
    let mut files = Vec::new();
    rs_files(src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for path in files {
        let rel = path.strip_prefix(src).expect("under src/");
        let user = module_of(rel);
        // lib.rs runs the stages and main.rs the commands: they use them all.
        let Some(&at) = rank.get(&user) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (line, used) in uses(&text) {
            match rank.get(&used) {
                Some(&u) if u < at || used == user => {}
                Some(_) => wrong.push(format!(
                    "src/{}:{line}: `{user}` uses `{used}`, a later module",
                    rel.display()
                )),
                // `crate::Report`, `crate::render_pages`: items of lib.rs,
                // for the commands.
                None if at >= stages => {}
                None => wrong.push(format!(
                    "src/{}:{line}: `{user}` uses `crate::{used}` of lib.rs",
                    rel.display()
                )),
            }
        }
    }
    wrong
}

#[test]
fn no_module_uses_a_later_stage_or_one_that_uses_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let wrong = backward_uses(&src);
    assert!(
        wrong.is_empty(),
        "modules that look backward (order: src/lib.rs):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_backward_use_is_found() {
    // The checker itself: a later module used by an earlier one, in each form.
    let dir = tempfile::tempdir().expect("a temp dir");
    let src = dir.path();
    std::fs::write(
        src.join("lib.rs"),
        format!("pub mod a;\npub mod b;\n{COMMANDS}\npub mod c;\n"),
    )
    .unwrap();
    std::fs::write(src.join("c.rs"), "use crate::Report;\nuse crate::a::X;\n").unwrap();
    std::fs::create_dir(src.join("a")).unwrap();
    std::fs::write(
        src.join("a.rs"),
        "use crate::b::X; // crate::c in a comment\n",
    )
    .unwrap();
    std::fs::write(src.join("a/part.rs"), "use crate::{a::Y, b};\n").unwrap();
    std::fs::write(
        src.join("b.rs"),
        "use crate::a::Z;\nfn f() { crate::b::g() }\nuse crate::Report;\n",
    )
    .unwrap();
    assert_eq!(
        backward_uses(src),
        [
            "src/a/part.rs:1: `a` uses `b`, a later module",
            "src/a.rs:1: `a` uses `b`, a later module",
            "src/b.rs:3: `b` uses `crate::Report` of lib.rs",
        ]
    );
}
