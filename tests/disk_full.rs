//! Output safety when the disk fills up (issue 8): a build whose writes fail
//! half-way leaves the previous output exactly as it was, leaves no hidden
//! folder behind, and says so in French with exit code 1.
//!
//! A full disk is simulated with the file-size limit (RLIMIT_FSIZE, `ulimit
//! -f`), which needs no privilege: past the limit `write` fails with EFBIG
//! (SIGXFSZ ignored) exactly where ENOSPC would fail it on a full disk: in the
//! middle of the pages, after the static files were copied.

mod common;

use common::{copy_fixture, normalize, tree, tree_diff};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

/// Largest file the limited build may write: more than any static file and
/// page of the fixture, less than the big card's page and guide-complet.html.
const LIMIT: u64 = 200_000;

/// Runs `fiches build --out <out>` in `root` with writes limited to `LIMIT` bytes per file.
fn build_with_small_disk(root: &Path, out: &Path) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fiches"));
    cmd.args(["build", "--out"])
        .arg(out)
        .current_dir(root)
        .env("NO_COLOR", "1");
    // SAFETY: only async-signal-safe calls (setrlimit, signal) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: LIMIT,
                rlim_max: LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let run = cmd.output().expect("the fiches binary runs");
    let stderr = normalize(&String::from_utf8_lossy(&run.stderr), root);
    assert!(!stderr.contains("panicked"), "fiches panicked:\n{stderr}");
    (run.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_build_that_runs_out_of_disk_leaves_the_previous_output_unchanged() {
    let site = copy_fixture("site");
    let out = site.tmp.path().join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    let before = tree(&out);
    assert!(
        before.values().all(|b| (b.len() as u64) < LIMIT),
        "the fixture's files must fit under the limit for this test to mean anything"
    );

    // A card whose page is bigger than the limit: its write fails midway.
    let big = format!(
        "+++\ntitle = \"Une fiche très longue\"\nkind = \"dispositif\"\nstages = [\"formation\"]\n\
         droit = \"commun\"\nsummary = \"Une fiche de test.\"\nupdated = 2026-11-22\n+++\n\n## Objectifs\n\n{}",
        "La personne suit une formation courte pour apprendre un métier.\n\n".repeat(4000)
    );
    std::fs::write(site.path("content/dispositifs/tres-longue.md"), big).unwrap();

    let (code, stderr) = build_with_small_disk(&site.root, &out);
    assert_eq!(code, 1, "a failed write is an error (exit 1):\n{stderr}");
    assert!(
        stderr.contains("impossible d'écrire le site")
            && stderr.contains(".html :")
            && stderr.contains("tel quel"),
        "the error names the page that failed and says the old site was kept:\n{stderr}"
    );
    let diff = tree_diff(&before, &tree(&out));
    assert!(
        diff.is_empty(),
        "the failed build changed the output:\n{}",
        diff.join("\n")
    );
    let hidden: Vec<String> = std::fs::read_dir(site.tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(hidden.is_empty(), "hidden folders left behind: {hidden:?}");

    // With room again, the same build succeeds and publishes the new card.
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    assert!(out.join("fiches/tres-longue.html").is_file());
}
