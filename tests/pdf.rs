//! The PDFs and the offline copy (issue 16), read back with poppler-utils
//! (`pdfinfo`, `pdftotext`, `pdftohtml`, installed by scripts/test.sh):
//! every fiche of the real guide has a tagged PDF of at most 3 pages (median
//! at most 2) that holds its title, its date and every external address;
//! the whole guide's PDF has a bookmark for every stage and fiche; a card
//! full of typst-special characters reads back as written; the zip unpacks
//! to a site whose internal links resolve; `pdf = false` and
//! `offline_zip = false` turn them off.

mod common;

use common::{check_links, fiches, repo, split_card};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const BASE: &str = "https://prith-hdf.github.io/fiches/";

/// The real guide, built once with a public address for every test here.
fn real() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir").keep();
        let out = tmp.join("public");
        let args = [
            "build",
            "--out",
            &out.display().to_string(),
            "--base-url",
            BASE,
        ];
        fiches(&repo(), args).expect(0);
        out
    })
}

fn run(cmd: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} runs (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdftotext` of a PDF in the order of its content (typst writes it in
/// reading order; `-raw` also keeps a hyphen at the end of a line, where an
/// address may break), with every run of white space made one space.
fn text(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", file.display());
    let t = String::from_utf8_lossy(&out.stdout).into_owned();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

/// The fiches of the real guide: (slug, front matter).
fn real_fiches() -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("content")).sort_by_file_name() {
        let e = e.expect("content readable");
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).expect("card readable");
        let Some((fm, _)) = split_card(&text) else {
            continue;
        };
        let kind = fm.get("kind").and_then(|k| k.as_str()).unwrap_or("");
        if matches!(kind, "dispositif" | "outil" | "situation" | "parcours") {
            let slug = e.path().file_stem().unwrap().to_string_lossy().into_owned();
            out.push((slug, fm));
        }
    }
    out
}

#[test]
fn every_fiche_has_a_tagged_pdf_with_its_title_date_and_addresses() {
    let out = real();
    let list = real_fiches();
    assert!(list.len() > 50, "only {} fiches found", list.len());
    let mut counts = Vec::new();
    let mut problems = Vec::new();
    for (slug, fm) in &list {
        let file = out.join("pdf").join(format!("{slug}.pdf"));
        assert!(file.is_file(), "{slug}: no pdf/{slug}.pdf");
        let info = run("pdfinfo", &[], &file);
        if !info
            .lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes"))
        {
            problems.push(format!("{slug}: not tagged"));
        }
        let n = pages(&info);
        if n > 3 {
            problems.push(format!("{slug}: {n} pages"));
        }
        counts.push(n);
        let t = text(&file);
        let title = fm["title"].as_str().unwrap();
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.contains(&flat(title)) {
            problems.push(format!("{slug}: title « {title} » missing"));
        }
        let updated = fm["updated"].to_string();
        let fr = french_date(&updated);
        if !t.contains(&format!("Mis à jour le {fr}")) {
            problems.push(format!("{slug}: « Mis à jour le {fr} » missing"));
        }
        // An address may break across lines.
        let squeezed = t.replace(' ', "");
        if !squeezed.contains(&format!("{BASE}fiches/{slug}.html"))
            && !squeezed.contains(&format!("{BASE}parcours/{slug}.html"))
        {
            problems.push(format!("{slug}: its own address is missing"));
        }
        let links = fm
            .get("links")
            .and_then(|l| l.as_array())
            .cloned()
            .unwrap_or_default();
        for l in links {
            let url = l["url"].as_str().unwrap();
            if url.starts_with("http") && !squeezed.contains(url) {
                problems.push(format!("{slug}: address {url} missing"));
            }
        }
        let body = std::fs::read_to_string(repo().join(find_card(slug))).unwrap();
        for url in body_urls(&body) {
            if !squeezed.contains(&url) {
                problems.push(format!("{slug}: address {url} of the text missing"));
            }
        }
        let tree = run("pdfinfo", &["-struct"], &file);
        if !tree.contains("H1") || !tree.contains("Link") {
            problems.push(format!("{slug}: structure tree without H1 or Link"));
        }
    }
    counts.sort();
    let median = counts[counts.len() / 2];
    assert!(median <= 2, "median {median} pages: {counts:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The path of a card of the real guide, relative to the repository.
fn find_card(slug: &str) -> PathBuf {
    for dir in ["dispositifs", "outils", "situations", "parcours"] {
        let p = Path::new("content").join(dir).join(format!("{slug}.md"));
        if repo().join(&p).is_file() {
            return p;
        }
    }
    panic!("no card {slug}")
}

/// The `http(s)://` destinations of the Markdown links of a card's text.
fn body_urls(text: &str) -> Vec<String> {
    text.match_indices("](http")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            rest.find(')').map(|end| rest[..end].trim().to_string())
        })
        .collect()
}

/// "2026-11-22" → "22 novembre 2026" (the site's format, `render::date_fr`).
fn french_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let mut p = iso.split('-');
    let (y, m, d): (u32, usize, u32) = (
        p.next().unwrap().parse().unwrap(),
        p.next().unwrap().parse().unwrap(),
        p.next().unwrap().parse().unwrap(),
    );
    let day = if d == 1 {
        "1er".to_string()
    } else {
        d.to_string()
    };
    format!("{day} {} {y}", MONTHS[m - 1])
}

#[test]
fn the_whole_guide_has_a_bookmark_for_every_stage_and_fiche() {
    let file = real().join("pdf").join("guide-pratique.pdf");
    let info = run("pdfinfo", &[], &file);
    let tagged = info
        .lines()
        .any(|l| l.starts_with("Tagged:") && l.ends_with("yes"));
    assert!(tagged, "{info}");
    let xml = run("pdftohtml", &["-xml", "-i", "-stdout", "-q"], &file);
    let outline = &xml[xml.find("<outline>").expect("the guide has bookmarks")..];
    let t = text(&file);
    let unxml = |s: &str| {
        s.replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
    };
    let outline = unxml(outline);
    for stage in [
        "Remobilisation",
        "Définir son projet et se préparer",
        "Se former",
        "Emploi et formation dans l'emploi",
        "Glossaire",
        "Contacts et acteurs clés",
    ] {
        assert!(outline.contains(stage), "no bookmark « {stage} »");
    }
    let mut missing = Vec::new();
    for (slug, fm) in real_fiches() {
        let title = fm["title"].as_str().unwrap();
        let flat = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if !outline.contains(&flat) || !t.contains(&flat) {
            missing.push(format!("{slug}: « {title} »"));
        }
    }
    assert!(
        missing.is_empty(),
        "not in the guide's bookmarks or text:\n{}",
        missing.join("\n")
    );
}

#[test]
fn fiche_pages_offer_their_pdf_with_pages_and_size() {
    let out = real();
    let html = std::fs::read_to_string(out.join("fiches").join("poe.html")).unwrap();
    let info = run("pdfinfo", &[], &out.join("pdf").join("poe.pdf"));
    let n = pages(&info);
    let kb = std::fs::metadata(out.join("pdf").join("poe.pdf"))
        .unwrap()
        .len()
        .div_ceil(1000);
    let s = if n > 1 { "s" } else { "" };
    let want = format!("Télécharger la fiche en PDF ({n} page{s}, {kb} Ko)");
    assert!(html.contains(&want), "fiches/poe.html lacks « {want} »");
    assert!(
        html.contains("href=\"../pdf/poe.pdf\""),
        "relative link to the PDF"
    );
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"pdf/guide-pratique.pdf\""),
        "home page lacks the guide's PDF"
    );
    assert!(home.contains("Télécharger le guide entier en PDF ("));
    assert!(
        home.contains("href=\"guide-hors-ligne.zip\""),
        "home page lacks the offline copy"
    );
    let guide = std::fs::read_to_string(out.join("guide-complet.html")).unwrap();
    assert!(guide.contains("href=\"pdf/guide-pratique.pdf\""));
}

/// A site of one fiche whose text is full of typst syntax.
const HOSTILE: &str = r##"+++
title = "Les #signes $spéciaux *de* typst @ref <label> ]"
kind = "dispositif"
stages = ["formation"]
droit = "commun"
summary = "Un résumé avec # $ * _ @ < > [ ] \\ / ~ et = + - -- ... // ' \" : http://exemple.fr"
updated = 2026-03-01
+++
## Un titre avec #set et $x$

Le texte \#let x = 1 puis $a + b$ et *pas gras*\* et _pas italique_\_ et @moi <ici> [crochets] ]fin.

Des barres \\ obliques \\\\ doubles, un ~ tilde, des -- tirets --- et ... points, 1. pas une liste.

- Un point #list(a) et `code #x`
- Un autre = titre ? + plus /* pas un commentaire */ // non plus

= Pas un titre, http://pas.un.lien et https://exemple.fr/a_b*c
"##;

/// The text a reader sees of `HOSTILE`'s body, paragraph by paragraph.
const HOSTILE_TEXT: &[&str] = &[
    "Un titre avec #set et $x$",
    "Le texte #let x = 1 puis $a + b$ et pas gras* et pas italique_ et @moi <ici> [crochets] ]fin.",
    "Des barres \\ obliques \\\\ doubles, un ~ tilde, des -- tirets --- et ... points, 1. pas une liste.",
    "Un point #list(a) et code #x",
    "Un autre = titre ? + plus /* pas un commentaire */ // non plus",
    "= Pas un titre, http://pas.un.lien et https://exemple.fr/a_b*c",
];

fn hostile_site(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content/dispositifs")).unwrap();
    let theme = repo().join("themes/default").display().to_string();
    std::fs::write(
        root.join("guide.toml"),
        format!("title = \"Guide # $ @ test\"\ntheme = '{theme}'\n{extra}"),
    )
    .unwrap();
    std::fs::write(root.join("content/dispositifs/hostile.md"), HOSTILE).unwrap();
    (tmp, root)
}

#[test]
fn typst_special_characters_read_back_as_written() {
    let (_tmp, root) = hostile_site("");
    fiches(&root, ["build"]).expect(0);
    let t = text(&root.join("public/pdf/hostile.pdf"));
    let title = "Les #signes $spéciaux *de* typst @ref <label> ]";
    assert!(t.contains(title), "title not read back:\n{t}");
    let summary =
        "Un résumé avec # $ * _ @ < > [ ] \\ / ~ et = + - -- ... // ' \" : http://exemple.fr";
    assert!(t.contains(summary), "summary not read back:\n{t}");
    for p in HOSTILE_TEXT {
        assert!(t.contains(p), "« {p} » not read back:\n{t}");
    }
}

#[test]
fn pdf_and_offline_zip_can_be_turned_off() {
    let (_tmp, root) = hostile_site("pdf = false\noffline_zip = false\n");
    fiches(&root, ["build"]).expect(0);
    assert!(!root.join("public/pdf").exists(), "pdf = false wrote PDFs");
    assert!(
        !root.join("public/guide-hors-ligne.zip").exists(),
        "offline_zip = false wrote the zip"
    );
    let html = std::fs::read_to_string(root.join("public/fiches/hostile.html")).unwrap();
    assert!(!html.contains("Télécharger la fiche en PDF"));
    // `check` makes no PDF and writes nothing.
    let (_tmp2, root2) = hostile_site("");
    fiches(&root2, ["check"]).expect(0);
    assert!(!root2.join("public").exists());
}

#[test]
fn the_offline_zip_unpacks_to_a_site_whose_links_resolve() {
    let zip = real().join("guide-hors-ligne.zip");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = Command::new("unzip")
        .args(["-q"])
        .arg(&zip)
        .arg("-d")
        .arg(tmp.path())
        .output()
        .expect("unzip runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = tmp.path().join("guide-hors-ligne");
    assert!(site.join("index.html").is_file());
    assert!(site.join("pdf/guide-pratique.pdf").is_file());
    assert!(
        !site.join("guide-hors-ligne.zip").exists(),
        "the zip holds itself"
    );
    let report = check_links(&site);
    assert!(report.pages > 50, "only {} pages", report.pages);
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    // The unpacked site is the published one, file for file, but its home
    // page: it says it is the offline copy instead of offering it.
    let (mut a, mut b) = (common::tree(&site), common::tree(real()));
    b.retain(|k, _| k != "guide-hors-ligne.zip" && k != ".fiches-sortie");
    let home = String::from_utf8(a.remove("index.html").unwrap()).unwrap();
    let published = String::from_utf8(b.remove("index.html").unwrap()).unwrap();
    assert!(home.contains("Vous lisez la copie hors ligne du guide"));
    assert!(!home.contains("guide-hors-ligne.zip"));
    assert!(published.contains("href=\"guide-hors-ligne.zip\""));
    assert!(!published.contains("Vous lisez la copie hors ligne"));
    assert_eq!(common::tree_diff(&a, &b), Vec::<String>::new());
}

#[test]
fn two_builds_give_the_same_pdfs_and_zip() {
    let (_tmp, root) = hostile_site("");
    let (a, b) = (root.join("a"), root.join("b"));
    fiches(&root, ["build", "--out", "a"]).expect(0);
    fiches(&root, ["build", "--out", "b"]).expect(0);
    let (a, b) = (common::tree(&a), common::tree(&b));
    for path in [
        "pdf/hostile.pdf",
        "pdf/guide-pratique.pdf",
        "guide-hors-ligne.zip",
    ] {
        assert!(a.contains_key(path), "{path} not written");
    }
    assert_eq!(common::tree_diff(&a, &b), Vec::<String>::new());
}
