//! Drafts and images as an editor meets them in a built guide (issue 18).
//!
//! A draft (`draft = true`) leaves no trace in any file of the built site;
//! an image of a card is copied next to the pages, with its width and
//! height in the page, loaded lazily, addressed relatively from any folder.
//! The located messages of each rule are in `tests/fixtures/invalid/` and
//! `tests/fixtures/lints/` (`tests/check.rs`).

mod common;

use common::{check_links, copy_fixture, tree};
use std::path::Path;

fn build(site: &common::Site, out: &Path) -> common::Run {
    let run = site.fiches(["build", "--out", &out.display().to_string()]);
    run.expect(0);
    run
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_draft_leaves_no_trace_in_any_file_of_the_built_guide() {
    let site = copy_fixture("site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = build(&site, &out);
    assert!(
        run.stderr.contains("(1 brouillon laissé de côté)"),
        "{}",
        run.stderr
    );
    // Its page, the lists, the search index, the full guide, the sitemap...
    for (rel, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!rel.contains("essai-encadre"), "{rel} was written");
        assert!(
            !text.contains("essai-encadre") && !text.contains("Essai encadré"),
            "{rel} names the draft"
        );
    }
    // The same card published: its page, and the lists name it.
    let card = site.path("content/dispositifs/essai-encadre.md");
    let text = std::fs::read_to_string(&card).unwrap();
    std::fs::write(&card, text.replace("draft = true\n", "")).unwrap();
    let out = tmp.path().join("publie");
    build(&site, &out);
    assert!(page(&out, "fiches/essai-encadre.html").contains("Essai encadré"));
    assert!(page(&out, "etapes/emploi.html").contains("essai-encadre.html"));
    assert!(page(&out, "search-index.js").contains("Essai encadré"));
    assert!(!page(&out, "fiches/essai-encadre.html").contains("Brouillon"));
}

#[test]
fn a_card_image_is_copied_with_its_size_and_loads_lazily_from_a_sub_folder() {
    let site = copy_fixture("lints/image-lourde");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = build(&site, &out);
    assert!(
        run.stderr.contains("avertissement[image-lourde]"),
        "{}",
        run.stderr
    );
    let html = page(&out, "fiches/essai-encadre.html");
    assert!(
        html.contains(
            "<img src=\"../images/dispositifs/images/atelier.png\" alt=\"Photo d&#39;un atelier\" width=\"64\" height=\"64\" loading=\"lazy\">"
        ),
        "{html}"
    );
    assert_eq!(
        std::fs::read(out.join("images/dispositifs/images/atelier.png")).unwrap(),
        std::fs::read(site.path("content/dispositifs/images/atelier.png")).unwrap()
    );
    // Every image of every page (its page, the full guide) leads to a file
    // (this tiny site has no introduction page: the menu's link to it is
    // not what this test is about).
    let links = check_links(&out);
    let images: Vec<&String> = links
        .problems
        .iter()
        .filter(|p| p.contains("<img"))
        .collect();
    assert!(images.is_empty(), "{images:#?}");
    assert!(
        page(&out, "guide-complet.html").contains("src=\"images/dispositifs/images/atelier.png\"")
    );
}

#[test]
fn a_decorative_image_of_content_images_has_an_empty_alternative_and_no_title() {
    let site = copy_fixture("invalid/image-sans-texte");
    let card = site.path("content/dispositifs/essai-encadre.md");
    let text = std::fs::read_to_string(&card).unwrap();
    // Without the image that has no text, nothing is wrong.
    std::fs::write(&card, text.replace("![](carte.png)\n", "")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out);
    let html = page(&out, "fiches/essai-encadre.html");
    assert!(
        html.contains(
            "<img src=\"../images/frise.png\" alt=\"\" width=\"240\" height=\"160\" loading=\"lazy\">"
        ),
        "{html}"
    );
    assert!(!html.contains("décorative"), "{html}");
    assert!(out.join("images/frise.png").is_file());
    assert!(!out.join("images/dispositifs/carte.png").exists());
}
