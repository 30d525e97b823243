//! `fiches check` as editors see it (issue 7).
//!
//! Every folder of `tests/fixtures/invalid/` (one content error each) and of
//! `tests/fixtures/lints/` (one warning each) is a tiny complete site. Its
//! exact output is kept next to it in three formats: `expected.txt` (human),
//! `expected.github.txt` (GitHub workflow commands), `expected.json`.
//! `UPDATE_EXPECTED=1 cargo test` rewrites them; review that diff like code.
//! Also: `fiches new` writes cards that pass `check` (warning about its
//! model sentences), warnings never
//! stop a build, the "Modifier cette fiche" link, and `docs/champs.md` is the
//! output of `fiches schema`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The "today" of every test, so that `fiche-ancienne` does not depend on the clock.
const TODAY: &str = "2026-11-22";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fiches(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fiches"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("FICHES_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("run fiches")
}

fn text(bytes: &[u8], root: &Path) -> String {
    String::from_utf8_lossy(bytes).replace(&root.display().to_string(), "[ROOT]")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECTED").is_some()
}

/// The fixture folders of a group, sorted.
fn cases(group: &str) -> Vec<PathBuf> {
    let dir = manifest().join("tests/fixtures").join(group);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Runs `check` in the three formats on every case of a group and compares
/// with the expected files; returns the human outputs by case name.
fn snapshots(group: &str, exit_code: i32) -> Vec<(String, String)> {
    const FORMATS: [(&str, &str); 3] = [
        ("human", "expected.txt"),
        ("github", "expected.github.txt"),
        ("json", "expected.json"),
    ];
    let cases = cases(group);
    // One process per case and format, run side by side.
    let runs: Vec<Vec<Output>> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|case| {
                s.spawn(move || {
                    FORMATS
                        .iter()
                        .map(|(format, _)| fiches(case, &["check", "--format", format]))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("run thread"))
            .collect()
    });
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for (case, outs) in cases.iter().zip(runs) {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        for ((format, file), out) in FORMATS.into_iter().zip(outs) {
            let case = case.as_path();
            let (got, other) = if format == "human" {
                (text(&out.stderr, case), text(&out.stdout, case))
            } else {
                (text(&out.stdout, case), text(&out.stderr, case))
            };
            if out.status.code() != Some(exit_code) {
                failures.push(format!(
                    "{name} ({format}): exit code {:?}, expected {exit_code}\n{got}",
                    out.status.code()
                ));
            }
            if !other.is_empty() {
                failures.push(format!(
                    "{name} ({format}): unexpected output on the other stream:\n{other}"
                ));
            }
            if format == "json"
                && let Err(e) = serde_json::from_str::<serde_json::Value>(&got)
            {
                failures.push(format!("{name}: the JSON output does not parse: {e}"));
            }
            if format == "human" {
                outputs.push((name.clone(), got.clone()));
            }
            let path = case.join(file);
            if updating() {
                std::fs::write(&path, &got).expect("write expected output");
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if got != want {
                failures.push(format!(
                    "{name}: output differs from {file} (UPDATE_EXPECTED=1 cargo test rewrites it)\n--- expected\n{want}--- got\n{got}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    outputs
}

#[test]
fn every_content_error_is_reported_exactly_with_its_place_and_a_hint() {
    for (name, out) in snapshots("invalid", 1) {
        assert!(out.contains(": erreur["), "{name}: no error in\n{out}");
        assert!(out.contains("= aide : "), "{name}: no hint in\n{out}");
    }
}

#[test]
fn every_lint_is_reported_exactly_and_does_not_fail_the_check() {
    for (name, out) in snapshots("lints", 0) {
        assert!(!out.contains(": erreur["), "{name}: an error in\n{out}");
        // A folder named after a lint code shows that lint.
        let code = name.trim_end_matches("-debut").trim_end_matches("-guide");
        if fiches::diag::is_code(code) {
            assert!(
                out.contains(&format!("avertissement[{code}]")),
                "{name}: no {code} warning in\n{out}"
            );
        }
    }
}

#[test]
fn allow_silences_a_lint_for_the_guide_or_for_one_card() {
    let lints = manifest().join("tests/fixtures/lints");
    let out = fiches(&lints.join("allow-guide"), &["check"]);
    assert_eq!(
        text(&out.stderr, &lints),
        "Aucune erreur, aucun avertissement.\n"
    );
    let out = text(
        &fiches(&lints.join("allow-fiche"), &["check"]).stderr,
        &lints,
    );
    assert!(!out.contains("essai-encadre.md"), "{out}");
    assert!(
        out.contains("pmsmp.md:12:17: avertissement[italique]"),
        "{out}"
    );
}

#[test]
fn strict_check_fails_on_warnings_but_build_goes_on() {
    let case = manifest().join("tests/fixtures/lints/italique");
    let out = fiches(&case, &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let tmp = tempfile::tempdir().expect("temp dir");
    let public = tmp.path().join("public");
    let out = fiches(&case, &["build", "--out", public.to_str().unwrap()]);
    let stderr = text(&out.stderr, &case);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("avertissement[italique]"), "{stderr}");
    assert!(public.join("fiches/essai-encadre.html").is_file());
}

#[test]
fn the_stale_card_lint_follows_fiches_today() {
    let case = manifest().join("tests/fixtures/lints/fiche-ancienne");
    let run = |today: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_fiches"))
            .args(["check", "--root"])
            .arg(&case)
            .env("FICHES_TODAY", today)
            .output()
            .expect("run fiches");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(run("2026-06-01").contains("Aucune erreur, aucun avertissement."));
    assert!(run("2026-06-02").contains("il y a 366 jours"));
}

/// A site with no card, using the default theme of this repository.
fn empty_site(extra_config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let theme = manifest().join("themes/default");
    let guide = format!(
        "title = \"Guide d'essai\"\ntheme = {:?}\nminify = false\n{extra_config}",
        theme.display().to_string()
    );
    std::fs::write(tmp.path().join("guide.toml"), guide).expect("write guide.toml");
    std::fs::create_dir_all(tmp.path().join("content")).expect("create content/");
    tmp
}

/// Issue 18: a new card passes `check`, with one `texte-modele` warning on
/// each model sentence left to replace; `--strict` (the published guide)
/// refuses them.
#[test]
fn cards_made_by_fiches_new_pass_check_with_a_warning_on_each_model_sentence() {
    let site = empty_site("");
    for kind in fiches::model::KINDS.names() {
        let title = format!("Nouvelle fiche {kind}");
        let out = fiches(site.path(), &["new", kind, &title]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "new {kind}: {}",
            text(&out.stderr, site.path())
        );
    }
    // `new` dates the card with the day `check` uses (FICHES_TODAY here).
    let card = std::fs::read_to_string(
        site.path()
            .join("content/dispositifs/nouvelle-fiche-dispositif.md"),
    )
    .expect("the new card");
    assert!(card.contains(&format!("updated = {TODAY}")), "{card}");
    let out = fiches(site.path(), &["check"]);
    let stderr = text(&out.stderr, site.path());
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Dispositif and outil: summary, 4 points, link title, 7 body lines;
    // terme: summary, expansion, definition; parcours: summary, 3 steps;
    // situation, acteur, page: summary, text.
    assert!(
        stderr.ends_with("Aucune erreur, 39 avertissements.\n"),
        "{stderr}"
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": avertissement["))
        .collect();
    assert_eq!(warnings.len(), 39, "{stderr}");
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("avertissement[texte-modele]")),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/dispositifs/nouvelle-fiche-dispositif.md:4:12: avertissement[texte-modele]: phrase modèle de `fiches new` restée dans la fiche : « Une phrase courte qui dit à quoi sert cette fiche. »"),
        "{stderr}"
    );
    let out = fiches(site.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

fn build_one_card(extra_config: &str) -> String {
    let site = empty_site(extra_config);
    let card = site.path().join("content/dispositifs/essai-encadre.md");
    std::fs::create_dir_all(card.parent().unwrap()).expect("create folder");
    let src =
        manifest().join("tests/fixtures/lints/sans-probleme/content/dispositifs/essai-encadre.md");
    std::fs::copy(src, &card).expect("copy card");
    let out = fiches(site.path(), &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        text(&out.stderr, site.path())
    );
    let html = std::fs::read_to_string(site.path().join("public/fiches/essai-encadre.html"))
        .expect("card page");
    // Tera escapes `/` in attributes; a browser reads `&#x2F;` as `/`.
    html.replace("&#x2F;", "/")
}

#[test]
fn a_card_page_links_to_its_source_on_the_forge_when_edit_url_is_set() {
    let html = build_one_card("edit_url = \"https://github.com/prith-hdf/fiches/edit/main/\"\n");
    let link = "href=\"https://github.com/prith-hdf/fiches/edit/main/content/dispositifs/essai-encadre.md\"";
    let at = html
        .find(link)
        .unwrap_or_else(|| panic!("no edit link in\n{html}"));
    let end = html[at..].find("</a>").expect("closed link") + at;
    // The link's text as a screen reader reads it (a phone hides " cette fiche" visually only).
    let text = strip_tags(&html[at..end]);
    assert!(text.contains("Modifier cette fiche"), "{}", &html[at..end]);

    let html = build_one_card("");
    assert!(!html.contains("edit-link"));
}

/// The text of an HTML fragment, tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_field_reference_is_the_output_of_fiches_schema() {
    let out = fiches(&manifest(), &["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let got = String::from_utf8(out.stdout).expect("UTF-8");
    let path = manifest().join("docs/champs.md");
    if updating() {
        std::fs::write(&path, &got).expect("write docs/champs.md");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/champs.md is out of date: run `cargo run -- schema > docs/champs.md` (or UPDATE_EXPECTED=1 cargo test)"
    );
}
