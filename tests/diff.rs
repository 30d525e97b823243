//! `fiches diff` (issue 18) on two builds of the fixture site: the second one
//! has one card's text changed (POE: 450 → 400 heures, in « Ce qui est
//! spécifique ») and one card's front matter changed (PMSMP: its summary).
//! Every format is compared whole, page by page.

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

#[test]
fn diff_names_every_changed_page_in_each_format() {
    let (tmp, _site) = two_guides();
    let human = diff(tmp.path(), "human");
    println!("{}", human.stdout);
    let md = diff(tmp.path(), "markdown");
    println!("{}", md.stdout);
    let json = diff(tmp.path(), "json");
    println!("{}", json.stdout);
    panic!();
}
