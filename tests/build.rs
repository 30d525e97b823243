//! `fiches build` end to end, with the real binary (issue 2's acceptance):
//! snapshots of the fixture site built as the guide ships (minified): what
//! is inside `<main>` of each page, and the whole home page, every internal link of the fixture site and
//! of the real guide, `sitemap.xml` with a base URL, a failed build that leaves
//! the previous output untouched, and `fiches new` cards that pass `check`.
//!
//! `UPDATE_EXPECTED=1 cargo test --test build` rewrites `tests/expected/site/`.

mod common;

use common::{Site, check_links, copy_fixture, fiches, fixture, repo, tree, tree_diff};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Builds a site root into `<tmp>/public` with extra arguments; returns the output folder.
fn build_into(root: &Path, tmp: &Path, extra: &[&str]) -> PathBuf {
    let out = tmp.join("public");
    let mut args: Vec<String> = vec![
        "--root".into(),
        root.display().to_string(),
        "build".into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    fiches(tmp, &args).expect(0);
    out
}

fn assert_links(out: &Path, min_pages: usize) {
    let r = check_links(out);
    assert!(
        r.problems.is_empty(),
        "{} broken internal references in {}:\n{}",
        r.problems.len(),
        out.display(),
        r.problems.join("\n")
    );
    assert!(r.pages >= min_pages, "only {} HTML pages", r.pages);
    // Every page links at least to the home page and its stylesheet.
    assert!(
        r.followed >= 2 * r.pages,
        "only {} links followed",
        r.followed
    );
    assert!(r.fragments > 0, "no #fragment was checked");
    let dups = common::duplicate_ids(out);
    assert!(
        dups.is_empty(),
        "a #fragment to these ids is ambiguous:\n{}",
        dups.join("\n")
    );
}

const EXPECTED: &str = "tests/expected/site";

/// Where the snapshot of an output file lives.
fn expected_path(rel: &str) -> PathBuf {
    rel.split('/').fold(repo().join(EXPECTED), |p, c| p.join(c))
}

/// The whole page kept as a snapshot; of the other pages, what is inside `<main>`.
const WHOLE: &str = "index.html";

/// A page's snapshot: inside `<main>` (or the whole page for `WHOLE`), one
/// block element a line, so that a reviewer reads a change as a line diff.
fn snapshot(rel: &str, bytes: &[u8]) -> Vec<u8> {
    if !rel.ends_with(".html") {
        return bytes.to_vec();
    }
    let html = String::from_utf8_lossy(bytes);
    let part = if rel == WHOLE {
        &html[..]
    } else {
        let start = html
            .find("<main")
            .unwrap_or_else(|| panic!("{rel}: no <main>"));
        let end = html
            .rfind("</main>")
            .unwrap_or_else(|| panic!("{rel}: no </main>"));
        &html[start..end + "</main>".len()]
    };
    let mut out = common::one_block_a_line(part);
    out.push('\n');
    out.into_bytes()
}

#[test]
fn fixture_site_matches_the_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    // The configuration that ships: pages minified.
    let site = copy_fixture("site");
    let guide = std::fs::read_to_string(site.root.join("guide.toml")).unwrap();
    let guide = guide.replace("minify = false", "minify = true");
    assert!(guide.contains("minify = true"));
    std::fs::write(site.root.join("guide.toml"), guide).unwrap();
    let out = build_into(&site.root, tmp.path(), &[]);
    let produced = tree(&out);
    assert!(
        produced.contains_key(".fiches-sortie"),
        "the output folder carries the marker of fiches"
    );

    // Static files are the theme's own files, copied byte for byte: compared
    // with the theme, not snapshotted (the theme changes often).
    let statics = tree(&repo().join("themes/default/static"));
    let mut pages: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (rel, bytes) in &produced {
        if rel == ".fiches-sortie" {
            continue;
        }
        match statics.get(rel) {
            Some(theme) if theme == bytes => {}
            Some(_) => problems.push(format!("{rel}: differs from themes/default/static/{rel}")),
            None => {
                pages.insert(rel.clone(), bytes.clone());
            }
        }
    }
    for rel in statics.keys() {
        if !produced.contains_key(rel) {
            problems.push(format!("{rel}: theme static file not copied"));
        }
    }
    for must in [
        "index.html",
        "fiches/poe.html",
        "fiches/appuis-specifiques.html",
        "fiches/inapte-reorientation.html",
        "parcours/parcours-demandeur-emploi.html",
        "introduction.html",
        "glossaire.html",
        "contacts.html",
        "a-z.html",
        "404.html",
        "recherche.html",
        "guide-complet.html",
        "etapes/formation.html",
        "publics/salarie.html",
        "types/dispositif.html",
    ] {
        assert!(pages.contains_key(must), "{must} was not produced");
    }
    assert!(
        !pages.contains_key("sitemap.xml"),
        "no sitemap.xml without a base URL"
    );

    assert_fixture_content(&pages);
    let snaps: BTreeMap<String, Vec<u8>> = pages
        .iter()
        .map(|(rel, bytes)| (rel.clone(), snapshot(rel, bytes)))
        .collect();

    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        let dir = repo().join(EXPECTED);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        for (rel, bytes) in &snaps {
            let p = expected_path(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, bytes).unwrap();
        }
        eprintln!("rewrote {} files in {EXPECTED}/", snaps.len());
    } else {
        let expected = tree(&repo().join(EXPECTED));
        for (rel, bytes) in &snaps {
            match expected.get(rel) {
                None => problems.push(format!("{rel}: new file, no snapshot")),
                Some(want) if want != bytes => problems.push(format!(
                    "{rel}: differs from {EXPECTED}/{rel}, {}",
                    common::first_difference(
                        &String::from_utf8_lossy(want),
                        &String::from_utf8_lossy(bytes)
                    )
                )),
                Some(_) => {}
            }
        }
        for rel in expected.keys().filter(|k| !snaps.contains_key(*k)) {
            problems.push(format!("{rel}: in {EXPECTED}/ but no longer produced"));
        }
    }
    assert!(
        problems.is_empty(),
        "the fixture site differs from its snapshots (if the change is intended, run \
         `UPDATE_EXPECTED=1 cargo test --test build` and review the diff):\n{}",
        problems.join("\n")
    );
}

/// The produced pages hold the fixture's content (guards against accepting
/// snapshots of empty or broken pages).
fn assert_fixture_content(pages: &BTreeMap<String, Vec<u8>>) {
    let page = |rel: &str| String::from_utf8_lossy(&pages[rel]).into_owned();
    let hrefs = |rel: &str| -> Vec<String> {
        common::html_refs(&page(rel))
            .refs
            .into_iter()
            .map(|(_, _, v)| v)
            .collect()
    };
    let home = page("index.html");
    assert!(
        home.contains("Le bénéficiaire a besoin de…"),
        "home: the accueil card's text"
    );
    let home_links = hrefs("index.html");
    for want in [
        "fiches/poe.html",
        "fiches/pmsmp.html",
        "introduction.html",
        "fiches/crpe.html#objectifs",
    ] {
        assert!(
            home_links.iter().any(|h| h == want),
            "home links to {want}: {home_links:?}"
        );
    }
    let poe = page("fiches/poe.html");
    assert!(poe.contains("450 heures"), "the POE card's body");
    let poe_links = hrefs("fiches/poe.html");
    for want in [
        "https://travail-emploi.gouv.fr/la-preparation-operationnelle-lemploi-poe",
        "../fiches/appuis-specifiques.html",
        "../contacts.html#cap-emploi",
        "../fiches/pmsmp.html#etapes-cles",
        "../fiches/cep.html",
    ] {
        assert!(
            poe_links.iter().any(|h| h == want),
            "fiches/poe.html links to {want}: {poe_links:?}"
        );
    }
    let glossary = common::html_refs(&page("glossaire.html")).ids;
    for id in ["rqth", "cep", "psh", "poe", "pmsmp", "crpe"] {
        assert!(glossary.iter().any(|i| i == id), "glossaire.html#{id}");
    }
    let contacts = common::html_refs(&page("contacts.html")).ids;
    assert!(
        contacts.iter().any(|i| i == "cap-emploi"),
        "contacts.html#cap-emploi"
    );
}

#[test]
fn the_build_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = tree(&build_into(&fixture("site"), a.path(), &[]));
    let second = tree(&build_into(&fixture("site"), b.path(), &[]));
    assert_eq!(tree_diff(&first, &second), Vec::<String>::new());
}

#[test]
fn every_internal_link_of_the_fixture_site_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_into(&fixture("site"), tmp.path(), &[]);
    assert_links(&out, 20);
}

#[test]
fn every_internal_link_of_the_real_guide_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_into(&repo(), tmp.path(), &[]);
    assert_links(&out, 70);
}

#[test]
fn the_real_guide_with_a_base_url_has_a_sitemap_of_existing_pages() {
    let base = "https://exemple.fr/guide/";
    let tmp = tempfile::tempdir().unwrap();
    let out = build_into(&repo(), tmp.path(), &["--base-url", base]);
    assert_links(&out, 70);

    let xml = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap.xml written");
    assert!(xml.starts_with("<?xml"), "sitemap.xml is XML");
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    assert!(!locs.is_empty(), "sitemap.xml lists pages");
    let mut listed = std::collections::BTreeSet::new();
    for loc in &locs {
        let rel = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{loc} does not start with {base}"));
        assert!(rel.ends_with(".html"), "{loc} is not a page");
        assert_ne!(rel, "404.html", "the 404 page is not listed");
        assert!(!rel.contains('#'), "{loc}: an anchor is not a page");
        assert!(
            out.join(rel).is_file(),
            "{loc} lists a page that does not exist"
        );
        assert!(listed.insert(rel.to_string()), "{loc} listed twice");
    }
    for page in tree(&out).keys().filter(|p| p.ends_with(".html")) {
        if page != "404.html" {
            assert!(listed.contains(page), "{page} is missing from sitemap.xml");
        }
    }

    // A server sends 404.html for a missing page in any folder: its links
    // start at the site's path, and each leads to a file of the site.
    let page = std::fs::read_to_string(out.join("404.html")).unwrap();
    let hrefs: Vec<&str> = ["href=\"", "src=\""]
        .iter()
        .flat_map(|a| page.split(a).skip(1))
        .filter_map(|s| s.split('"').next())
        .filter(|h| !h.starts_with("https://") && !h.starts_with('#'))
        .collect();
    assert!(hrefs.len() > 10, "{hrefs:?}");
    for h in hrefs {
        let rel = h
            .strip_prefix("/guide/")
            .unwrap_or_else(|| panic!("404.html links to {h}, not under /guide/"));
        let file = rel.split('#').next().unwrap();
        let file = if file.is_empty() { "index.html" } else { file };
        assert!(out.join(file).is_file(), "404.html: {h} leads nowhere");
    }
}

/// Writes `text` in place of a file of the site copy.
fn write(site: &Site, rel: &str, text: &str) {
    std::fs::write(site.path(rel), text).unwrap();
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte_unchanged() {
    let site = copy_fixture("site");
    site.fiches(["build"]).expect(0);
    let public = site.path("public");
    let good = tree(&public);
    assert!(good.contains_key("fiches/poe.html"));
    let siblings = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = siblings(&site.root);

    let poe = std::fs::read_to_string(site.path("content/dispositifs/poe.md")).unwrap();
    let breakages = [
        (
            "an unknown reference",
            poe.replace(
                "related = [\"cep\", \"pmsmp\"]",
                "related = [\"cep\", \"pmsmpp\"]",
            ),
            "content/dispositifs/poe.md:12:",
        ),
        (
            "a TOML syntax error",
            poe.replace("order = 28", "order = = 28"),
            "content/dispositifs/poe.md:10:",
        ),
        (
            "a link to a missing card",
            poe.replace("(cep.md)", "(cepp.md)"),
            "content/dispositifs/poe.md:",
        ),
    ];
    for (what, text, place) in breakages {
        assert_ne!(text, poe, "the fixture changed: cannot introduce {what}");
        write(&site, "content/dispositifs/poe.md", &text);
        let run = site.fiches(["build"]);
        run.expect(1);
        assert!(
            run.stderr.contains(place),
            "{what}: the error names {place}\n{}",
            run.stderr
        );
        assert_eq!(
            tree_diff(&good, &tree(&public)),
            Vec::<String>::new(),
            "{what}: public/ changed after a failed build"
        );
        assert_eq!(
            siblings(&site.root),
            before,
            "{what}: a failed build left files next to public/"
        );
    }

    // Fixed again: the next build replaces the output.
    write(
        &site,
        "content/dispositifs/poe.md",
        &poe.replace("450 heures", "450 heures (15 semaines)"),
    );
    site.fiches(["build"]).expect(0);
    let changed = tree_diff(&good, &tree(&public));
    assert!(
        changed.contains(&"fiches/poe.html: changed".to_string()),
        "a good build replaces public/: {changed:?}"
    );
    assert_eq!(siblings(&site.root), before);
}

#[test]
fn new_cards_of_every_kind_pass_check_and_build() {
    let site = copy_fixture("site");
    let kinds = [
        ("dispositif", "dispositifs"),
        ("outil", "outils"),
        ("situation", "situations"),
        ("parcours", "parcours"),
        ("terme", "glossaire"),
        ("acteur", "acteurs"),
        ("page", "pages"),
    ];
    for (kind, folder) in kinds {
        let title = format!("Fiche d'essai : {kind} à compléter");
        let run = site.fiches(["new", kind, title.as_str()]);
        run.expect(0);
        let rel = format!("content/{folder}/fiche-d-essai-{kind}-a-completer.md");
        assert!(
            run.stdout.contains(&rel),
            "`new {kind}` names the file it wrote: {}",
            run.stdout
        );
        let text = std::fs::read_to_string(site.path(&rel)).unwrap();
        let (fm, _) = common::split_card(&text).expect("the new card has a front matter");
        assert_eq!(fm["title"].as_str(), Some(title.as_str()));
        assert_eq!(fm["kind"].as_str(), Some(kind));
    }
    site.fiches(["check"]).expect(0);
    let tmp = tempfile::tempdir().unwrap();
    let out = build_into(&site.root, tmp.path(), &[]);
    assert!(
        out.join("fiches/fiche-d-essai-dispositif-a-completer.html")
            .is_file()
    );
    assert!(
        out.join("parcours/fiche-d-essai-parcours-a-completer.html")
            .is_file()
    );
    assert!(out.join("fiche-d-essai-page-a-completer.html").is_file());
    assert_links(&out, 20);
}

#[test]
fn the_link_checker_finds_what_is_broken() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::create_dir_all(site.join("fiches")).unwrap();
    std::fs::create_dir_all(site.join("css")).unwrap();
    std::fs::write(site.join("css/a.css"), "").unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><link rel=stylesheet href=css/a.css><h1 id=haut>x</h1>\
         <a href=fiches/poe.html#objectifs>ok</a><a href='#haut'>ok</a>\
         <a href=\"fiches&#x2F;poe.html\">ok, escaped</a><a href=mailto:a@b.fr>ok</a>\
         <a href=https://exemple.fr/>ok</a>\
         <a href=fiches/absente.html>1</a><a href=fiches/poe.html#nulle-part>2</a>\
         <a href=/index.html>3</a><a href=fiches/>4</a><a href=../dehors.html>5</a>\
         <script src=https://cdn.exemple.fr/x.js></script><a href=javascript:alert(1)>7</a>\
         <a href=''>8</a><img src=//exemple.fr/i.png alt=''>\
         <link rel=stylesheet href=https://exemple.fr/a.css><a href=#absent>11</a>",
    )
    .unwrap();
    std::fs::write(
        site.join("fiches/poe.html"),
        "<h2 id=objectifs>Objectifs</h2><a href=../index.html#haut>ok</a>",
    )
    .unwrap();
    let r = check_links(site);
    assert_eq!(r.pages, 2);
    assert_eq!(r.followed, 7, "{:#?}", r);
    assert_eq!(r.problems.len(), 11, "{}", r.problems.join("\n"));
    for (bad, why) in [
        ("fiches/absente.html", "does not exist"),
        ("#nulle-part", "no id=\"nulle-part\""),
        ("/index.html", "absolute path"),
        ("fiches/", "points at a folder"),
        ("../dehors.html", "outside the site"),
        ("cdn.exemple.fr", "external"),
        ("javascript:", "unsafe"),
        ("href=\"\"", "empty"),
        ("//exemple.fr/i.png", "protocol-relative"),
        ("https://exemple.fr/a.css", "external"),
        ("#absent", "no id=\"absent\""),
    ] {
        assert!(
            r.problems
                .iter()
                .any(|p| p.contains(bad) && p.contains(why)),
            "{bad}: {why}\n{}",
            r.problems.join("\n")
        );
    }
}
