//! How much heap each stage of a build holds, and its peak.
//!
//! Takes: a site root and an output folder (a temporary folder by default,
//! left in place). Gives, on stderr: after each stage of a build (prepare,
//! the search index, card pages, the full guide, the other site pages), the
//! heap bytes still live and the highest number of live bytes during the
//! stage, counted by a global allocator; then the same for a whole build. The process's peak
//! resident memory (what `/usr/bin/time` reports) is also printed: the
//! difference is the allocator's own overhead and fragmentation.
//!
//! ```text
//! cargo run --release --example mem_stages -- /tmp/fiches-bench/10000/fiches /dev/shm/out
//! ```

mod measure;

use fiches::write::Discard;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes to the system allocator unchanged; only counters
// are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new);
        }
        p
    }
}

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Prints the live and peak heap of the stage that just ended, then starts
/// counting the next stage's peak from what is live now.
fn report(stage: &str) {
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let live = LIVE.load(Relaxed);
    eprintln!(
        "{stage:<14} live {:>7.1} MiB  stage peak {:>7.1} MiB  process peak RSS {} MiB",
        mib(live),
        mib(PEAK.swap(live, Relaxed)),
        measure::peak_mib()
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let root = fiches::root_of(Some(&root));
    let out = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("mem-stages-{}", std::process::id())));
    let opts = fiches::Options {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: None,
    };
    let mut diags = Vec::new();
    let Some(mut site) = fiches::prepare(&opts, &mut diags) else {
        eprintln!("prepare failed: {} diagnostics", diags.len());
        return;
    };
    drop(diags);
    report("prepare");
    sizes(&site);
    // In the order of `fiches build`: the sources go, the search index is
    // made, the cards' text goes, then the pages.
    for f in &mut site.files {
        f.text = String::new();
    }
    report("  (sources)");
    let index = fiches::search::index_pages(
        &site.cards,
        &site.synonyms,
        &fiches::search::Split::default(),
    );
    report("search index");
    drop(index);
    for c in &mut site.cards {
        c.text = String::new();
    }
    report("  (text)");
    let r = fiches::render::Site::new(&site.cfg, &site.tera, &site.cards, &site.files, &site.index);
    {
        use rayon::prelude::*;
        site.cards
            .par_iter()
            .filter(|c| c.has_page() && c.slug != "accueil")
            .for_each(|c| {
                let _ = r.card_page(c, None, &mut Vec::new());
            });
    }
    report("card pages");
    fiches::render::print::guide_page(&r, &Discard, &mut Vec::new());
    report("full guide");
    r.site_pages(&Discard, &mut Vec::new());
    report("site pages");
    drop(r);
    let _ = fiches::render::trouver::data_page(&site.cards);
    report("trouver");
    drop(site);
    report("  (site)");
    let built = fiches::build(&opts);
    report("whole build");
    eprintln!("  {} files written to {}", built.written, out.display());
}

/// What the parts of a prepared site weigh (strings and vectors by capacity).
fn sizes(site: &fiches::Site) {
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let sum = |f: &dyn Fn(&fiches::model::Card) -> usize| site.cards.iter().map(f).sum::<usize>();
    let pair = std::mem::size_of::<(String, String)>();
    eprintln!(
        "  sources {:.1} MiB, cards: {:.1} structs, {:.1} text, {:.1} body html, {:.1} holes, {:.1} links, {:.1} headings",
        mib(site.files.iter().map(|f| f.text.capacity()).sum()),
        mib(site.cards.capacity() * std::mem::size_of::<fiches::model::Card>()),
        mib(sum(&|c| c.text.capacity())),
        mib(sum(&|c| c.body.html.capacity())),
        mib(sum(
            &|c| c.body.holes.capacity() * std::mem::size_of::<(usize, fiches::model::Hole)>()
        )),
        mib(sum(&|c| {
            c.body.links.capacity() * pair
                + c.body
                    .links
                    .iter()
                    .map(|(a, b)| a.capacity() + b.capacity())
                    .sum::<usize>()
        })),
        mib(sum(&|c| {
            c.headings.capacity() * std::mem::size_of::<fiches::model::Heading>()
                + c.headings
                    .iter()
                    .map(|h| h.text.capacity() + h.id.capacity())
                    .sum::<usize>()
        })),
    );
}
