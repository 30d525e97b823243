//! Robustness (issue 8): no input makes `fiches` panic; every bad file gets
//! a clear error, every odd but valid file builds.
//!
//! Property tests (bounded number of cases, they run in CI) feed the library
//! functions arbitrary and almost-valid cards: front-matter splitting, TOML,
//! the Markdown, glossary and links stages, rendering of the body, and the
//! whole `prepare` + render on a temporary site. Fixture tests run the binary
//! on the odd files of real life: not UTF-8, empty, unclosed `+++`, BOM,
//! Windows line endings, a 5 MB card, a card with 10,000 links.

mod common;

use common::{Site, copy_fixture};
use fiches::model::SourceFile;
use proptest::prelude::*;
use std::path::PathBuf;

fn source(rel: &str, text: &str) -> SourceFile {
    SourceFile::new(rel.into(), PathBuf::from(rel), text.into())
}

fn config() -> fiches::config::Config {
    toml::from_str("title = \"Guide\"").expect("minimal guide.toml")
}

/// A term card and a page card, so the glossary and links have something to do.
fn companions() -> Vec<SourceFile> {
    vec![
        source(
            "content/glossaire/rqth.md",
            "+++\ntitle = \"RQTH\"\nkind = \"terme\"\nterm = \"RQTH\"\nexpansion = \"Reconnaissance de la qualité de travailleur handicapé\"\nsummary = \"Un statut.\"\nupdated = 2026-01-01\naliases = [\"travailleur handicapé\"]\n+++\nLa RQTH.\n",
        ),
        source(
            "content/dispositifs/poe.md",
            "+++\ntitle = \"POE\"\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\nsummary = \"Une formation.\"\nupdated = 2026-01-01\n+++\n## Objectifs\n\nApprendre.\n",
        ),
    ]
}

/// Runs every in-memory stage on one card among companions; checks that
/// each diagnostic points inside the file.
fn run_stages(text: &str) {
    let mut files = companions();
    files.push(source("content/dispositifs/carte.md", text));
    let mut diags = Vec::new();
    let cfg = config();
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    for c in &cards {
        let _ = fiches::render::body_html(c, "../");
    }
    // Authors' raw HTML kept as it is.
    let cfg = fiches::config::Config {
        allow_html: true,
        ..cfg
    };
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    for c in &cards {
        let _ = fiches::render::body_html(c, "");
    }
    for d in &diags {
        let f = files.iter().find(|f| f.rel == d.file);
        if let Some(f) = f {
            assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            assert!(d.line <= f.text.lines().count().max(1) + 1, "{d:?}");
        }
    }
}

/// Markdown-ish text: the characters that make Markdown, TOML and the
/// glossary scanner branch, plus accents, NBSP, CR and multi-byte chars.
fn markdownish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "+++",
        "\n",
        "\r\n",
        "\r",
        " ",
        "  ",
        "\t",
        "#",
        "## ",
        "- ",
        "1. ",
        "* ",
        "**",
        "_",
        "`",
        "```",
        "~~",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "|",
        "---",
        "&",
        "&amp;",
        "&#58;",
        "\\",
        "\"",
        "'",
        "’",
        "=",
        "RQTH",
        "rqth",
        "RQTHs",
        "travailleur handicapé",
        "POE",
        "poe.md",
        "poe.md#x",
        "../x/poe.md",
        "inconnu.md",
        "https://exemple.fr/a",
        "javascript:alert(1)",
        "data:x",
        "mailto:a@b.fr",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "<script>",
        "é",
        "É",
        "œ",
        "\u{a0}",
        "\u{202f}",
        "\u{feff}",
        "\u{2028}",
        "🙂",
        "\0",
        "a",
        "Le conseiller",
        ".",
        ",",
        ";",
        ":",
        "?",
        "{{",
        "}}",
        "{%",
        "%}",
    ]);
    prop::collection::vec(atoms, 0..80).prop_map(|v| v.concat())
}

/// A front matter of known keys with odd values, sometimes broken.
fn front_matter() -> impl Strategy<Value = String> {
    let lines = prop::sample::select(vec![
        "title = \"Une fiche\"",
        "title = \"\"",
        "title = 3",
        "title = \"</script>\"",
        "kind = \"dispositif\"",
        "kind = \"terme\"",
        "kind = \"page\"",
        "kind = \"inconnu\"",
        "stages = [\"formation\"]",
        "stages = [\"formations\"]",
        "stages = \"formation\"",
        "droit = \"commun\"",
        "summary = \"Un résumé.\"",
        "updated = 2026-01-01",
        "updated = \"2026-01-01\"",
        "updated = 2026-01-01T10:00:00",
        "term = \"POE\"",
        "expansion = \"Préparation opérationnelle\"",
        "aliases = [\"RQTH\", \"\"]",
        "related = [\"poe\", \"absente\"]",
        "fiche = \"poe\"",
        "order = 9223372036854775807",
        "sumary = \"faute\"",
        "[points]",
        "nature = \"x\"",
        "[[links]]",
        "url = \"javascript:x\"",
        "url = \"https://exemple.fr\"",
        "[regimes]",
        "general = true",
        "= \"sans clé\"",
        "\"title\" = \"guillemets\"",
        "title = \"non fermé",
        "[",
        "'''",
        "title.x = 1",
    ]);
    prop::collection::vec(lines, 0..14).prop_map(|v| v.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn split_never_panics_and_gives_ranges_inside_the_text(text in any::<String>()) {
        if let Ok(s) = fiches::parse::split(&text) {
            prop_assert!(s.toml.start <= s.toml.end && s.toml.end <= s.body_start);
            prop_assert!(s.body_start <= text.len());
            prop_assert!(text.is_char_boundary(s.toml.start) && text.is_char_boundary(s.body_start));
        }
    }

    #[test]
    fn split_finds_the_front_matter_of_every_well_formed_card(
        fm in "[a-z =\"0-9\n]{0,60}", body in markdownish(), crlf in any::<bool>()
    ) {
        let fm = fm.lines().filter(|l| l.trim_end() != "+++").collect::<Vec<_>>().join("\n");
        let nl = if crlf { "\r\n" } else { "\n" };
        let text = format!("+++{nl}{fm}{nl}+++{nl}{body}");
        let s = fiches::parse::split(&text).expect("a closed front matter");
        prop_assert_eq!(text[s.toml.clone()].trim_end(), fm.trim_end());
    }

    #[test]
    fn any_text_as_a_card_gives_diagnostics_not_panics(text in any::<String>()) {
        run_stages(&text);
    }

    #[test]
    fn almost_valid_cards_give_diagnostics_not_panics(fm in front_matter(), body in markdownish()) {
        run_stages(&format!("+++\n{fm}\n+++\n{body}"));
    }

    #[test]
    fn valid_cards_with_any_body_always_parse(body in markdownish()) {
        let text = format!(
            "+++\ntitle = \"Carte\"\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\nsummary = \"Un résumé.\"\nupdated = 2026-01-01\n+++\n{body}"
        );
        let files = vec![source("content/dispositifs/carte.md", &text)];
        let mut diags = Vec::new();
        let cards = fiches::parse::parse(&files, &mut diags);
        prop_assert_eq!(cards.len(), 1, "{:?}", diags);
    }

    #[test]
    fn toml_values_never_panic_the_front_matter_checks(value in any::<String>(), key in "[a-z_]{1,12}") {
        let text = format!("+++\ntitle = {value:?}\n{key} = {value:?}\nkind = \"dispositif\"\n+++\nx\n");
        run_stages(&text);
    }
}

proptest! {
    // A temporary site per case: fewer cases.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_site_with_a_random_card_builds_exactly_when_check_finds_no_error(
        fm in front_matter(), body in markdownish()
    ) {
        let site = copy_fixture("site");
        let path = site.path("content/dispositifs/aleatoire.md");
        std::fs::write(&path, format!("+++\n{fm}\n+++\n{body}")).unwrap();
        let opts = fiches::Options { root: site.root.clone(), out: None, base_url: None };
        let checked = fiches::check(&opts);
        // Every diagnostic points into a file of the site, at a real line.
        for d in &checked.diags {
            let text = std::fs::read_to_string(site.root.join(&d.file)).unwrap_or_default();
            prop_assert!(d.line >= 1 && (d.line <= text.lines().count().max(1)), "{:?}", d);
        }
        let built = fiches::build(&opts);
        let public = site.path("public");
        if checked.has_errors() {
            prop_assert!(built.has_errors());
            prop_assert!(!public.exists(), "a failed build wrote public/");
        } else {
            prop_assert!(!built.has_errors(), "{:?}", built.diags);
            prop_assert!(public.join("index.html").is_file());
            let page = public.join("fiches/aleatoire.html");
            prop_assert_eq!(page.is_file(), text_has_page(&std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Whether a card that builds gets a page under fiches/ (its kind is
/// dispositif, outil or situation; the front matter may write it anywhere).
fn text_has_page(text: &str) -> bool {
    let fm = text.split("+++").nth(1).unwrap_or("");
    let table: toml::Table = toml::from_str(fm).expect("a card that builds is valid TOML");
    matches!(
        table.get("kind").and_then(|k| k.as_str()),
        Some("dispositif" | "outil" | "situation")
    )
}

fn write_card(site: &Site, rel: &str, bytes: &[u8]) {
    std::fs::write(site.path(rel), bytes).unwrap();
}

const CARD: &str = "+++\ntitle = \"Une fiche bizarre\"\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\nsummary = \"Un résumé.\"\nupdated = 2026-01-01\n+++\n\n## Objectifs\n\nApprendre un métier.\n";

/// `check` fails with exactly one error of this code on this file and line.
fn assert_error(site: &Site, code: &str, at: &str, message: &str) {
    let run = site.fiches(["check"]);
    run.expect(1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": erreur["))
        .collect();
    assert_eq!(errors.len(), 1, "not exactly one error:\n{}", run.stderr);
    assert!(
        errors[0].contains(&format!(": erreur[{code}]: ")),
        "no {code} error:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\n1 erreur,"),
        "the summary does not count one error:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains(at), "not at {at}:\n{}", run.stderr);
    assert!(
        run.stderr.contains(message),
        "no « {message} »:\n{}",
        run.stderr
    );
}

#[test]
fn a_card_that_is_not_utf8_is_an_error_at_the_bad_byte() {
    let site = copy_fixture("site");
    let mut bytes = CARD
        .replace("Apprendre un métier", "Apprendre un m")
        .into_bytes();
    bytes.extend_from_slice(b"\xe9tier en latin-1.\n");
    write_card(&site, "content/dispositifs/latin1.md", &bytes);
    assert_error(
        &site,
        "encodage",
        "content/dispositifs/latin1.md:13:",
        "n'est pas enregistré en UTF-8",
    );
}

#[test]
fn an_empty_card_is_an_error() {
    let site = copy_fixture("site");
    write_card(&site, "content/dispositifs/vide.md", b"");
    assert_error(
        &site,
        "en-tete",
        "content/dispositifs/vide.md:1:1",
        "ne commence pas par un en-tête +++",
    );
}

#[test]
fn a_front_matter_without_its_closing_line_is_an_error_at_the_opening_line() {
    let site = copy_fixture("site");
    let text = CARD.replacen("+++\n\n## Objectifs", "\n## Objectifs", 1);
    write_card(&site, "content/dispositifs/ouvert.md", text.as_bytes());
    assert_error(
        &site,
        "en-tete",
        "content/dispositifs/ouvert.md:1:1",
        "la ligne +++ de fin manque",
    );
}

#[test]
fn a_card_with_a_bom_and_windows_line_endings_builds_and_errors_keep_their_place() {
    let site = copy_fixture("site");
    let crlf = CARD.replace('\n', "\r\n");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(crlf.as_bytes());
    write_card(&site, "content/dispositifs/windows.md", &bytes);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    let page = std::fs::read_to_string(out.join("fiches/windows.html")).unwrap();
    assert!(page.contains("Une fiche bizarre") && page.contains("Apprendre un métier"));
    assert!(!page.contains('\u{feff}') && !page.contains('\r'));

    // A mistake on line 5 is reported on line 5, column 10, BOM and CR aside.
    let broken = crlf.replacen("droit = \"commun\"", "droit = \"communs\"", 1);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(broken.as_bytes());
    write_card(&site, "content/dispositifs/windows.md", &bytes);
    assert_error(
        &site,
        "valeur-inconnue",
        "content/dispositifs/windows.md:5:10",
        "\"communs\"",
    );
}

#[test]
fn a_5_mb_card_builds() {
    let site = copy_fixture("site");
    let paragraph = "La personne suit une formation courte avec la RQTH, puis elle signe un contrat de travail. Le conseiller l'accompagne.\n\n";
    let mut text = CARD.to_string();
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(paragraph);
    }
    text.push_str("Dernière phrase de la très longue fiche.\n");
    write_card(&site, "content/dispositifs/enorme.md", text.as_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    let page = std::fs::read_to_string(out.join("fiches/enorme.html")).unwrap();
    assert!(page.contains("Dernière phrase de la très longue fiche."));
    assert!(page.len() > 5 * 1024 * 1024);
}

#[test]
fn a_card_with_10000_links_builds_and_one_bad_link_among_them_is_found() {
    let site = copy_fixture("site");
    let mut text = CARD.to_string();
    for i in 0..10_000 {
        if i % 2 == 0 {
            text.push_str(&format!("- [la POE, lien {i}](poe.md)\n"));
        } else {
            text.push_str(&format!("- [page {i}](https://exemple.fr/page/{i})\n"));
        }
    }
    write_card(&site, "content/dispositifs/liens.md", text.as_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    let page = std::fs::read_to_string(out.join("fiches/liens.html")).unwrap();
    let refs = common::html_refs(&page).refs;
    let to = |url: &str| {
        refs.iter()
            .filter(|(t, a, v)| t == "a" && a == "href" && v == url)
            .count()
    };
    assert_eq!(to("../fiches/poe.html"), 5_000);
    assert_eq!(to("https://exemple.fr/page/9999"), 1);

    let broken = text + "- [une fiche absente](absente.md)\n";
    write_card(&site, "content/dispositifs/liens.md", broken.as_bytes());
    assert_error(
        &site,
        "lien",
        "content/dispositifs/liens.md:10013:",
        "« absente.md »",
    );
}
