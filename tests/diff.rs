//! `fiches diff` (issue 18) on two builds of the fixture site: the second one
//! has one card's text changed (POE: 450 → 400 heures, in « Ce qui est
//! spécifique ») and one card's front matter changed (PMSMP: its summary).
//! Every format is compared whole with `tests/expected/diff/` (human.txt,
//! markdown.md, json.json), a reviewer reads there the expected report page by
//! page; `UPDATE_EXPECTED=1 cargo test --release --test diff` rewrites them.

mod common;

use common::{Run, Site, copy_fixture};
use std::path::Path;

/// Replaces `from` (which must be there) with `to` in a file of `site`.
fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let path = site.path(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Builds `site` into `out`.
fn build(site: &Site, out: &Path) {
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
}

/// The old and new guides, built; the folder holding both is kept alive.
fn two_guides() -> (tempfile::TempDir, Site) {
    let tmp = tempfile::tempdir().unwrap();
    let old = copy_fixture("site");
    build(&old, &tmp.path().join("ancien"));
    edit(
        &old,
        "content/dispositifs/poe.md",
        "jusqu'à **450 heures**",
        "jusqu'à **400 heures**",
    );
    edit(
        &old,
        "content/dispositifs/pmsmp.md",
        "summary = \"Quelques jours dans une entreprise pour découvrir un métier et tester son projet.\"",
        "summary = \"Quelques jours en entreprise pour découvrir un métier.\"",
    );
    build(&old, &tmp.path().join("nouveau"));
    (tmp, old)
}

fn diff(dir: &Path, format: &str) -> Run {
    let run = common::fiches(dir, ["diff", "ancien", "nouveau", "--format", format]);
    run.expect(0);
    run
}

/// Compares `got` with `tests/expected/diff/<name>` (or rewrites it).
fn expect_file(name: &str, got: &str) {
    let path = common::repo().join("tests/expected/diff").join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        got, want,
        "fiches diff --format {name} differs from tests/expected/diff/{name}"
    );
}

#[test]
fn diff_names_every_changed_page_in_each_format() {
    let (tmp, _site) = two_guides();
    let human = diff(tmp.path(), "human");
    expect_file("human.txt", &human.stdout);
    assert!(
        human.stdout.contains(
            "la fiche POE : texte modifié (sections : Ce qui est spécifique, Voir aussi)"
        ),
        "{}",
        human.stdout
    );
    expect_file("markdown.md", &diff(tmp.path(), "markdown").stdout);
    let json = diff(tmp.path(), "json").stdout;
    expect_file("json.json", &json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let pages = v["pages"].as_array().unwrap();
    let page = |path: &str| {
        pages
            .iter()
            .find(|p| p["path"] == path)
            .unwrap_or_else(|| panic!("{path} is not in {json}"))
    };
    assert_eq!(
        page("fiches/poe.html")["sections"],
        serde_json::json!(["Ce qui est spécifique", "Voir aussi"])
    );
    assert_eq!(
        page("fiches/pmsmp.html")["sections"],
        serde_json::json!(["En bref"])
    );
    assert_eq!(page("search-index.js")["what"], "index");
    assert!(
        pages.iter().all(|p| p["status"] == "changed"),
        "no page added or removed: {json}"
    );
    assert!(
        !pages
            .iter()
            .any(|p| ["404.html", "glossaire.html", "contacts.html"]
                .contains(&p["path"].as_str().unwrap_or(""))),
        "pages that show neither POE's text nor PMSMP's summary do not change: {json}"
    );
}

#[test]
fn the_same_guide_built_twice_has_no_change() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_fixture("site");
    build(&site, &tmp.path().join("ancien"));
    build(&site, &tmp.path().join("nouveau"));
    let run = diff(tmp.path(), "human");
    assert_eq!(run.stdout, "Aucune page ne change.\n");
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = common::fiches(tmp.path(), ["diff", "ancien", "nouveau"]);
    run.expect(2);
    assert!(
        run.stderr.contains("ancien n'est pas un dossier"),
        "{}",
        run.stderr
    );
}
