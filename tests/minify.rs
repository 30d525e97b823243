//! Templates minified once at load (issue 8): a page rendered from the
//! minified templates, minified again, is byte for byte the page rendered
//! from the original templates and minified, on the real guide and on the
//! fixture site; `minify = false` still gives the templates' own layout.

mod common;

use common::{repo, tree};
use std::path::{Path, PathBuf};

#[test]
fn every_template_of_the_theme_can_be_minified_once() {
    let dir = repo().join("themes/default/templates");
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        assert!(
            fiches::render::minify::template(&src).is_some(),
            "{} cannot be minified at load",
            path.display()
        );
    }
}

/// A copy of `site`'s guide.toml with `minify` set, reading `site`'s content
/// and the repository's theme, in `<dir>/<name>`.
fn root_with(site: &Path, dir: &Path, name: &str, minify: bool, extra: &str) -> PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(site.join("content"), root.join("content")).unwrap();
    let guide = std::fs::read_to_string(site.join("guide.toml")).unwrap();
    let guide: String = guide
        .lines()
        .filter(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            key != "minify" && key != "theme" && key != "base_url"
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let theme = repo().join("themes/default").display().to_string();
    std::fs::write(
        root.join("guide.toml"),
        format!("minify = {minify}\ntheme = '{theme}'\n{extra}{guide}"),
    )
    .unwrap();
    root
}

/// Builds `site` from the original templates and from the minified ones;
/// minify-html must turn each HTML page of both into the same bytes.
fn assert_minified_once_equals_minified_per_page(site: &Path, extra: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for minify in [false, true] {
        let root = root_with(site, tmp.path(), &minify.to_string(), minify, extra);
        common::fiches(&root, ["build"]).expect(0);
        trees.push(tree(&root.join("public")));
    }
    let (raw, min) = (&trees[0], &trees[1]);
    assert_eq!(
        raw.keys().collect::<Vec<_>>(),
        min.keys().collect::<Vec<_>>()
    );
    let opts = fiches::Options {
        root: tmp.path().join("true"),
        ..Default::default()
    };
    let prepared = fiches::prepare(&opts, &mut Vec::new()).unwrap();
    assert!(
        prepared.tera.minified,
        "the templates were not minified at load"
    );
    let mut pages = 0;
    for (rel, bytes) in raw {
        // The offline zip holds the HTML pages, minified or not.
        if !rel.ends_with(".html") && !rel.ends_with(".zip") {
            assert_eq!(bytes, &min[rel], "{rel}: only HTML is minified");
            continue;
        }
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let (a, b) = (
            fiches::write::minify_html(bytes),
            fiches::write::minify_html(&min[rel]),
        );
        if a != b {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            panic!("{rel}: {}", common::first_difference(&a, &b));
        }
        assert!(min[rel].len() < bytes.len(), "{rel} is not smaller");
    }
    assert!(pages > 10, "only {pages} pages");
}

#[test]
fn real_guide_pages_from_minified_templates_minify_to_the_same_bytes() {
    assert_minified_once_equals_minified_per_page(&repo(), "");
}

#[test]
fn fixture_pages_from_minified_templates_minify_to_the_same_bytes() {
    let site = common::fixture("site");
    assert_minified_once_equals_minified_per_page(&site, "");
    // With a public address: QR codes, printed addresses, canonical links.
    assert_minified_once_equals_minified_per_page(
        &site,
        "base_url = 'https://guide.example.fr/'\nedit_url = 'https://git.example.fr/edit/'\n",
    );
}
