//! Deterministic output (issue 8): the same input gives byte-identical trees.
//!
//! The real guide (`content/` of the repository) is built twice, into two
//! differently named folders, with a different number of threads each time,
//! so that neither the output path nor the order in which parallel work
//! finishes can leak into the bytes.

mod common;

use common::{repo, tree, tree_diff};
use std::path::Path;
use std::process::Command;

fn build(out: &Path, threads: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_fiches"))
        .args(["--root", &repo().display().to_string(), "build", "--out"])
        .arg(out)
        .args(["--base-url", "https://exemple.fr/guide/"])
        .env("RAYON_NUM_THREADS", threads)
        .env("NO_COLOR", "1")
        .output()
        .expect("fiches runs");
    assert!(
        run.status.success(),
        "the real guide does not build:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn two_builds_of_the_real_guide_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let a = tmp.path().join("premier");
    let b = tmp.path().join("second-dossier");
    build(&a, "1");
    build(&b, "3");
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(
        ta.len() > 50 && ta.keys().any(|k| k == "sitemap.xml"),
        "the build wrote only {} files",
        ta.len()
    );
    let diff = tree_diff(&ta, &tb);
    assert!(
        diff.is_empty(),
        "the two builds differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn a_rebuild_over_the_previous_output_gives_the_same_bytes() {
    // The second build links unchanged files from the first one: the result
    // must be the same as a build into an empty folder.
    let tmp = tempfile::tempdir().expect("temp dir");
    let fresh = tmp.path().join("neuf");
    let again = tmp.path().join("encore");
    build(&fresh, "2");
    build(&again, "2");
    build(&again, "2");
    let diff = tree_diff(&tree(&fresh), &tree(&again));
    assert!(diff.is_empty(), "the rebuild differs:\n{}", diff.join("\n"));
}
