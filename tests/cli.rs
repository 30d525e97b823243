//! The command line of the real binary: help, usage errors, exit codes
//! (0 ok, 1 content errors, 2 usage errors) and French messages.

mod common;

use common::{copy_fixture, fiches, fixture, tree, tree_diff};

fn fixture_root() -> String {
    fixture("site").display().to_string()
}

#[test]
fn help_lists_the_commands_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let run = fiches(tmp.path(), ["--help"]);
    run.expect(0);
    for word in ["build", "check", "new", "--root", "publie le guide"] {
        assert!(
            run.stdout.contains(word),
            "--help mentions {word}:\n{}",
            run.stdout
        );
    }
    let run = fiches(tmp.path(), ["build", "--help"]);
    run.expect(0);
    for word in ["--out", "--base-url", "--format"] {
        assert!(
            run.stdout.contains(word),
            "build --help mentions {word}:\n{}",
            run.stdout
        );
    }
    let run = fiches(tmp.path(), ["new", "--help"]);
    run.expect(0);
    assert!(
        run.stdout.contains("dispositif"),
        "new --help lists the kinds"
    );
    let run = fiches(tmp.path(), ["--version"]);
    run.expect(0);
    assert!(run.stdout.starts_with("fiches "), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_with_2() {
    let tmp = tempfile::tempdir().unwrap();
    let run = fiches(tmp.path(), ["publier"]);
    run.expect(2);
    assert!(
        run.stderr.contains("publier"),
        "names the unknown command: {}",
        run.stderr
    );
    fiches(tmp.path(), Vec::<&str>::new()).expect(2);
    fiches(tmp.path(), ["build", "--sortie", "x"]).expect(2);
    fiches(tmp.path(), ["check", "--format", "xml"]).expect(2);
    fiches(tmp.path(), ["new", "dispositif"]).expect(2);
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
        "a usage error writes nothing"
    );
}

#[test]
fn a_good_guide_exits_with_0() {
    let tmp = tempfile::tempdir().unwrap();
    let run = fiches(tmp.path(), ["--root", &fixture_root(), "check"]);
    run.expect(0);
    assert!(
        run.stderr.contains("Aucune erreur, aucun avertissement"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "check writes messages to stderr");
    let out = tmp.path().join("sortie");
    let run = fiches(
        tmp.path(),
        ["--root", &fixture_root(), "build", "--out", "sortie"],
    );
    run.expect(0);
    assert!(run.stderr.contains("Site construit"), "{}", run.stderr);
    assert!(
        out.join("index.html").is_file(),
        "--out is relative to the current folder"
    );
}

#[test]
fn content_errors_exit_with_1_and_name_the_place() {
    let site = copy_fixture("site");
    let path = site.path("content/dispositifs/cep.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("stages = [\"preparation\"]", "stages = [\"formations\"]"),
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let run = site.fiches([cmd]);
        run.expect(1);
        assert!(
            run.stderr.contains("content/dispositifs/cep.md:5:"),
            "{cmd}: names file:line:column\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("formation"), "{cmd}: suggests a value");
    }
    assert!(
        !site.path("public").exists(),
        "a failed first build writes nothing"
    );
}

#[test]
fn a_missing_content_folder_is_explained_in_french() {
    let site = copy_fixture("site");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    for cmd in ["check", "build"] {
        let run = site.fiches([cmd]);
        run.expect(1);
        assert!(
            run.stderr.contains("le dossier content/ est introuvable"),
            "{cmd}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("--root"), "{cmd}: says what to do");
    }
    assert!(!site.path("public").exists());
}

#[test]
fn a_missing_guide_toml_is_explained_in_french() {
    let site = copy_fixture("site");
    std::fs::remove_file(site.path("guide.toml")).unwrap();
    for cmd in ["check", "build"] {
        let run = site.fiches([cmd]);
        run.expect(1);
        assert!(
            run.stderr.contains("guide.toml") && run.stderr.contains("erreur"),
            "{cmd}: a French error about guide.toml\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("--root"), "{cmd}: says what to do");
    }
    assert!(!site.path("public").exists());
}

#[test]
fn new_refuses_an_unknown_kind_and_an_existing_card() {
    let site = copy_fixture("site");
    let run = site.fiches(["new", "dispositf", "Un titre"]);
    run.expect(2);
    assert!(
        run.stderr.contains("type de fiche inconnu"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("dispositif"),
        "suggests the kind: {}",
        run.stderr
    );
    let before = std::fs::read(site.path("content/dispositifs/poe.md")).unwrap();
    let run = site.fiches(["new", "dispositif", "POE"]);
    run.expect(2);
    assert!(run.stderr.contains("existe déjà"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(site.path("content/dispositifs/poe.md")).unwrap(),
        before,
        "an existing card is never overwritten"
    );
    site.fiches(["new", "page", "  "]).expect(2);
}

#[test]
fn build_refuses_a_foreign_non_empty_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let foreign = tmp.path().join("documents");
    std::fs::create_dir_all(foreign.join("photos")).unwrap();
    std::fs::write(foreign.join("lettre.txt"), "Ne pas effacer.\n").unwrap();
    std::fs::write(foreign.join("photos/plage.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    let before = tree(&foreign);
    let run = fiches(
        tmp.path(),
        ["--root", &fixture_root(), "build", "--out", "documents"],
    );
    run.expect(2);
    assert!(
        run.stderr.contains("n'a pas été créé par fiches"),
        "{}",
        run.stderr
    );
    assert_eq!(tree_diff(&before, &tree(&foreign)), Vec::<String>::new());

    // A file in place of the output folder is refused too.
    std::fs::write(tmp.path().join("fichier"), "x").unwrap();
    fiches(
        tmp.path(),
        ["--root", &fixture_root(), "build", "--out", "fichier"],
    )
    .expect(2);

    // An empty folder is accepted, and a folder fiches wrote can be rebuilt.
    std::fs::create_dir(tmp.path().join("vide")).unwrap();
    for _ in 0..2 {
        fiches(
            tmp.path(),
            ["--root", &fixture_root(), "build", "--out", "vide"],
        )
        .expect(0);
    }
}
