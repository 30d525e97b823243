//! The search index of the real guide (issue #6): every result a reader can get
//! leads to a page the build writes, and to an anchor that exists on it; every
//! card but the home page is a document; the editors' synonyms file loads.
//! Prints the index size and the time to build it (no assertion on time).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    let cards = site.cards.iter().filter(|c| c.slug != "accueil").count();
    assert_eq!(docs.len(), cards, "one document per card but the home page");
    let mut broken = Vec::new();
    for d in docs {
        let url = d["u"].as_str().expect("url");
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
        assert!(
            !d["t"].as_str().unwrap_or("").is_empty(),
            "{url} has no title"
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
        let page = fiches::search::index_page(&site.cards, &site.synonyms);
        wall.push(t.elapsed());
        cpu.push(cpu_time() - c);
        size = page.bytes.len();
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
