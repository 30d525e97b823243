//! The index (Rust) and the query side (js/recherche-texte.js) normalise text the same
//! way: every line of the real guide, and a table of tricky words, go through
//! `fiches::search` and through the JavaScript core in node; fold, words and
//! terms (stop words dropped, Snowball French stems) must be equal (issue #6).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use fiches::search;

/// Words a reader may type that the guide does not use, and corner cases of the
/// stemmer (regions, prelude marks, suffixes of each step).
const EXTRA: &[&str] = &[
    "fauteuils roulants",
    "reconverti reconvertie reconversions",
    "apprentisage apprentissages",
    "handicapés handicapées HANDICAPÉ",
    "rééducation réeducation reeducation",
    "Œuvre cœur Ægis",
    "aujourd’hui jusqu’à lorsqu’il puisqu’on l’AFPA d’emploi",
    "ETPs 2ASF Pass P’AS Pro-A",
    "inaptitude inapte inaptes",
    "qualifications qualifiant qualifiante qualifiées",
    "financements finançable financer financé",
    "accompagnement accompagnements accompagnée",
    "aménagements aménagé aménager",
    "yeux payer ayant pays crayon boyau",
    "quelque quoique qu'est-ce acquis",
    "activités utilités nationalité",
    "premières dernière fière",
    "généralement évidemment couramment",
    "abolissements agissements",
    "créatrices créateur créations",
    "logiques biologie technologies",
    "heureuses heureux paresseuse",
    "nouveaux chevaux journaux travaux",
    "positives informatif explicatifs",
    "ensemble tapisserie parisienne colonie",
    "finirions finissiez bâtissaient",
    "mangeassiez chantèrent aimâmes",
    "nationalisation communication",
    "i y u a e o ai au eu ou",
    "12 2024 0800 3e 1er",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn content_lines(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("content/ can be read")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            content_lines(&p, out);
        } else if p.extension().is_some_and(|e| e == "md" || e == "toml") {
            let text = std::fs::read_to_string(&p).expect("a content file is UTF-8");
            out.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from),
            );
        }
    }
}

fn node_normalise(texts: &[String]) -> Vec<(String, String, String)> {
    let script = root().join("tests/search/normalise.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (>= 20) must be installed to compare the JavaScript normaliser");
    let input = serde_json::to_vec(texts).expect("texts as JSON");
    child
        .stdin
        .take()
        .expect("node's stdin")
        .write_all(&input)
        .expect("texts sent to node");
    let out = child.wait_with_output().expect("node ran");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("node printed JSON")
}

#[test]
fn rust_and_javascript_normalise_every_line_of_the_guide_the_same_way() {
    let mut texts: Vec<String> = EXTRA.iter().map(|s| s.to_string()).collect();
    content_lines(&root().join("content"), &mut texts);
    // Every stop word, and every distinct word of the guide on its own.
    texts.extend(search::STOP_WORDS.iter().map(|s| s.to_string()));
    let mut vocabulary: Vec<String> = texts.iter().flat_map(|t| search::words(t)).collect();
    vocabulary.sort();
    vocabulary.dedup();
    assert!(
        vocabulary.len() > 2000,
        "the guide has {} words",
        vocabulary.len()
    );
    texts.extend(vocabulary);

    let js = node_normalise(&texts);
    assert_eq!(js.len(), texts.len());
    let mut differences = Vec::new();
    for (text, (fold, words, terms)) in texts.iter().zip(&js) {
        let want = (
            search::fold(text),
            search::words(text).join(" "),
            search::terms(text).join(" "),
        );
        if want != (fold.clone(), words.clone(), terms.clone()) {
            differences.push(format!(
                "{text:?}\n  rust: {want:?}\n  js:   {:?}",
                (fold, words, terms)
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} texts differ, first ones:\n{}",
        differences.len(),
        texts.len(),
        differences[..differences.len().min(15)].join("\n")
    );
}
