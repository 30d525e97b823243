//! The search index of the real guide (issue #6): every result a reader can get
//! leads to a page the build writes, and to an anchor that exists on it; every
//! card but the home page and the glossary terms is a document; every glossary
//! term is in the definition list (`g`, issue 20), its entry and its fiche
//! written pages; the editors' synonyms file loads, with its needs.
//! Prints the index size and the time to build it (no assertion on time).
//!
//! The index split into parts (issue #8): the real guide cut into small parts,
//! and a generated guide of 2,000 cards built by the binary (large enough to be
//! split by default), find with the real js/recherche-*.js in node exactly what
//! their one-file index finds (tests/search/parts.mjs); the parts have the same
//! bytes whatever the number of threads.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fiches::search::{Split, index_pages};

fn real_guide() -> (fiches::Site, Vec<fiches::model::Page>) {
    let opts = fiches::Options {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        out: None,
        base_url: None,
    };
    let mut diags = Vec::new();
    let site = fiches::prepare(&opts, &mut diags).expect("the real guide prepares");
    let pages = fiches::pages(&site, &mut diags);
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "the real guide has errors: {errors:?}");
    (site, pages)
}

fn parse_index(bytes: &[u8]) -> serde_json::Value {
    let js = std::str::from_utf8(bytes).expect("UTF-8");
    let json = js
        .strip_prefix("window.FICHES_INDEX=")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("a script that defines window.FICHES_INDEX");
    serde_json::from_str(json).expect("JSON")
}

#[test]
fn every_result_of_the_real_guide_leads_to_a_written_page_and_anchor() {
    let (site, pages) = real_guide();
    let by_path: BTreeMap<&str, &[u8]> = pages
        .iter()
        .map(|p| (p.path.as_str(), p.bytes.as_slice()))
        .collect();
    let index = parse_index(
        by_path
            .get("search-index.js")
            .expect("search-index.js is written"),
    );
    let docs = index["docs"].as_array().expect("docs");
    let cards = site
        .cards
        .iter()
        .filter(|c| c.slug != "accueil" && !c.is_term())
        .count();
    assert_eq!(
        docs.len(),
        cards,
        "one document per card but the home page and the glossary terms"
    );
    let glossary = index["g"].as_array().expect("the glossary list g");
    let terms = site.cards.iter().filter(|c| c.is_term()).count();
    assert_eq!(glossary.len(), terms, "every glossary term can be defined");
    assert!(
        glossary.iter().any(|e| e["t"] == "RQTH"
            && e["x"] == "Reconnaissance de la qualité de travailleur handicapé"
            && e["u"] == "glossaire.html#rqth"),
        "RQTH is defined with its expansion"
    );
    let mut broken = Vec::new();
    let urls = docs.iter().map(|d| d["u"].as_str().expect("url"));
    let defined = glossary.iter().flat_map(|e| {
        std::iter::once(e["u"].as_str().expect("entry"))
            .chain(e["f"].as_array().and_then(|f| f[0].as_str()))
    });
    for url in urls.chain(defined) {
        let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
        match by_path.get(path) {
            None => broken.push(format!("{url}: no page {path}")),
            Some(html) if !anchor.is_empty() => {
                let html = String::from_utf8_lossy(html);
                if !html.contains(&format!("id=\"{anchor}\""))
                    && !html.contains(&format!("id={anchor}"))
                {
                    broken.push(format!("{url}: no id {anchor} on {path}"));
                }
            }
            Some(_) => {}
        }
    }
    for d in docs {
        assert!(
            !d["t"].as_str().unwrap_or("").is_empty(),
            "{} has no title",
            d["u"]
        );
    }
    assert!(
        broken.is_empty(),
        "results that lead nowhere:\n{}",
        broken.join("\n")
    );
    // Every posting points to a document.
    for (stem, list) in index["terms"].as_object().expect("terms") {
        let sum: u64 = list
            .as_array()
            .expect("postings")
            .chunks(2)
            .map(|p| p[0].as_u64().expect("delta"))
            .sum();
        assert!(
            (sum as usize) < docs.len(),
            "postings of {stem} point past the documents"
        );
    }
}

#[test]
fn the_real_synonyms_file_loads_without_error() {
    let mut diags = Vec::new();
    let syn =
        fiches::search::synonyms(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(
        syn.groups
            .iter()
            .any(|g| g.iter().any(|e| fiches::search::fold(e) == "pole emploi")),
        "content/synonymes.toml maps « pôle emploi »"
    );
    let publics = fiches::model::PUBLICS.names();
    let job_seeker = publics.iter().position(|p| *p == "demandeur-emploi");
    assert!(
        syn.needs
            .publics
            .iter()
            .any(|(p, e)| Some(*p) == job_seeker && fiches::search::fold(e) == "chomeur"),
        "content/synonymes.toml says that « chômeur » names the public demandeur-emploi"
    );
    let stages = fiches::model::STAGES.names();
    for (i, stage) in stages.iter().enumerate() {
        assert!(
            syn.needs.stages.iter().any(|(s, _)| *s == i),
            "no expression names the stage {stage} in content/synonymes.toml"
        );
    }
    for (i, public) in publics.iter().enumerate() {
        assert!(
            syn.needs.publics.iter().any(|(p, _)| *p == i),
            "no expression names the public {public} in content/synonymes.toml"
        );
    }
}

/// CPU time of the whole process (all threads), less noisy than wall time on a
/// shared machine.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we own.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

#[test]
fn report_the_size_and_build_time_of_the_real_index() {
    let (site, _) = real_guide();
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut size = 0;
    for _ in 0..7 {
        let (t, c) = (Instant::now(), cpu_time());
        let pages = fiches::search::index_pages(&site.cards, &site.synonyms, &Default::default());
        wall.push(t.elapsed());
        cpu.push(cpu_time() - c);
        size = pages.iter().map(|p| p.bytes.len()).sum();
    }
    wall.sort();
    cpu.sort();
    eprintln!(
        "search index of the real guide: {} cards, {size} bytes, built in {:?} wall, {:?} CPU (medians of 7)",
        site.cards.len(),
        wall[3],
        cpu[3]
    );
}

/// Writes pages under a folder, as the build does.
fn write_pages(dir: &Path, pages: &[fiches::model::Page]) {
    for p in pages {
        let path = dir.join(&p.path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder created");
        std::fs::write(&path, &p.bytes).expect("page written");
    }
}

/// One file, whatever the size.
const ONE_FILE: Split = Split {
    above: usize::MAX,
    term_bytes: 0,
    doc_bytes: 0,
};

/// Runs tests/search/parts.mjs: the split index in `split` against the one-file
/// index in `one`. Returns its report.
fn same_results(split: &Path, one: &Path) -> String {
    let out = Command::new("node")
        .arg(common::repo().join("tests/search/parts.mjs"))
        .arg(split)
        .arg(one)
        .output()
        .expect("node (>= 20) must be installed to run the search core");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the split index does not find what the one-file index finds:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    report
}

#[test]
fn the_real_guide_split_into_small_parts_finds_what_one_file_finds() {
    let (site, _) = real_guide();
    let tmp = tempfile::tempdir().expect("temp dir");
    let (split, one) = (tmp.path().join("parts"), tmp.path().join("one"));
    let small = Split {
        above: 0,
        term_bytes: 2048,
        doc_bytes: 1024,
    };
    let pages = index_pages(&site.cards, &site.synonyms, &small);
    assert!(pages.len() > 50, "only {} files", pages.len());
    write_pages(&split, &pages);
    write_pages(&one, &index_pages(&site.cards, &site.synonyms, &ONE_FILE));
    eprintln!("{}", same_results(&split, &one));
}

/// A guide of `extra` generated cards besides the real ones: sentences, titles,
/// summaries and headings of the real guide, mixed with a fixed seed.
fn generated_guide(root: &Path, extra: usize) -> fiches::Site {
    let (real, _) = real_guide();
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let theme = common::repo().join("themes/default");
    std::fs::write(
        root.join("guide.toml"),
        format!(
            "title = \"Guide généré\"\npdf = false\noffline_zip = false\ntheme = {}\n",
            toml::Value::String(theme.display().to_string())
        ),
    )
    .expect("guide.toml written");
    let sentences: Vec<&str> = real
        .cards
        .iter()
        .flat_map(|c| c.text.split(". "))
        .map(str::trim)
        // Plain sentences: nothing Markdown would read as markup.
        .filter(|s| s.len() > 20 && !s.contains(|c: char| "*_[]<>#`|!\n\\".contains(c)))
        .collect();
    let cards: Vec<&fiches::model::Card> = real
        .cards
        .iter()
        .filter(|c| c.fm.kind == fiches::model::Kind::Dispositif)
        .collect();
    let headings: Vec<&str> = real
        .cards
        .iter()
        .flat_map(|c| c.headings.iter().map(|h| h.text.as_str()))
        .collect();
    assert!(
        sentences.len() > 500 && headings.len() > 50,
        "{} sentences, {} headings",
        sentences.len(),
        headings.len()
    );
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let dir = root.join("content/dispositifs");
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    for i in 0..extra {
        let like = cards[next(cards.len())];
        let mut body = String::new();
        for _ in 0..2 {
            body.push_str(&format!("## {}\n\n", headings[next(headings.len())]));
            for _ in 0..3 {
                body.push_str(sentences[next(sentences.len())]);
                body.push_str(". ");
            }
            body.push_str("\n\n");
        }
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| quote(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let card = format!(
            "+++\ntitle = {}\nkind = \"dispositif\"\ndroit = {}\nstages = {}\npublics = {}\nsummary = {}\nupdated = 2026-01-15\n+++\n\n{body}",
            quote(&format!("{} {i}", like.fm.title)),
            quote(like.fm.droit.as_deref().unwrap_or("commun")),
            list(&like.fm.stages),
            list(&like.fm.publics),
            quote(&like.fm.summary),
        );
        std::fs::write(dir.join(format!("genere-{i:04}.md")), card).expect("card written");
    }
    let opts = fiches::Options {
        root: root.to_path_buf(),
        out: None,
        base_url: None,
    };
    let mut diags = Vec::new();
    let site = fiches::prepare(&opts, &mut diags).expect("the generated guide prepares");
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).take(5).collect();
    assert!(
        errors.is_empty(),
        "the generated guide has errors: {errors:?}"
    );
    site
}

#[test]
fn a_guide_of_2000_cards_is_built_in_parts_that_find_what_one_file_finds() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("guide");
    let site = generated_guide(&root, 1850);
    assert!(site.cards.len() > 2000, "{} cards", site.cards.len());
    common::fiches(&root, ["build"]).expect(0);
    let public = root.join("public");
    let meta = std::fs::read_to_string(public.join("search-index.js")).expect("search-index.js");
    assert!(
        meta.starts_with("window.FICHES_INDEX={\"version\":2,"),
        "a large index is split: {}",
        &meta[..meta.len().min(80)]
    );
    let parts: u64 = std::fs::read_dir(public.join("search"))
        .expect("search/ holds the parts")
        .map(|e| e.expect("an entry").metadata().expect("metadata").len())
        .sum();
    assert!(
        (meta.len() as u64) * 20 < parts,
        "search-index.js ({} bytes) holds only a small part of the index ({parts} bytes)",
        meta.len()
    );
    // The same bytes on one thread as on several (issue #8: deterministic output).
    let alone = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool")
        .install(|| index_pages(&site.cards, &site.synonyms, &Split::default()));
    let written = std::fs::read_dir(public.join("search"))
        .expect("search/")
        .count();
    assert_eq!(alone.len(), written + 1, "search-index.js and the parts");
    for p in &alone {
        let built = std::fs::read(public.join(&p.path)).unwrap_or_default();
        assert!(built == p.bytes, "{} differs on one thread", p.path);
    }
    let one = tmp.path().join("one");
    write_pages(&one, &index_pages(&site.cards, &site.synonyms, &ONE_FILE));
    eprintln!("{}", same_results(&public, &one));
}
