//! How much heap each stage of a build holds, and its peak.
//!
//! Takes: a site root. Gives, on stderr: after each stage (prepare, card
//! pages, the full guide, the other site pages, the search index, a whole
//! render), the heap bytes still live and the highest number of live bytes
//! during the stage, counted by a global allocator. The process's peak
//! resident memory (what `/usr/bin/time` reports) is also printed: the
//! difference is the allocator's own overhead and fragmentation.
//!
//! ```text
//! cargo run --release --example mem_stages -- /tmp/fiches-bench/10000/fiches
//! ```

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
        peak_rss_mib()
    );
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let root = fiches::root_of(Some(&root));
    let opts = fiches::Options {
        root: root.clone(),
        out: None,
        base_url: None,
    };
    let mut diags = Vec::new();
    let Some(site) = fiches::prepare(&opts, &mut diags) else {
        eprintln!("prepare failed: {} diagnostics", diags.len());
        return;
    };
    report("prepare");
    let text: usize = site.files.iter().map(|f| f.text.len()).sum();
    let card_text: usize = site.cards.iter().map(|c| c.text.len()).sum();
    let html: usize = site.cards.iter().map(|c| c.body.html.len()).sum();
    let cap: usize = site.cards.iter().map(|c| c.body.html.capacity()).sum();
    eprintln!(
        "  sources {:.1} MiB, card text {:.1} MiB, body html {:.1} MiB (capacity {:.1} MiB), diagnostics {}",
        text as f64 / 1048576.0,
        card_text as f64 / 1048576.0,
        html as f64 / 1048576.0,
        cap as f64 / 1048576.0,
        diags.len()
    );
    {
        let mib = |b: usize| b as f64 / 1048576.0;
        let holes: usize = site
            .cards
            .iter()
            .map(|c| c.body.holes.capacity() * 24)
            .sum();
        let links: usize = site
            .cards
            .iter()
            .map(|c| {
                c.body.links.capacity() * 48
                    + c.body
                        .links
                        .iter()
                        .map(|(a, b)| a.capacity() + b.capacity())
                        .sum::<usize>()
            })
            .sum();
        let tips: usize = site
            .cards
            .iter()
            .map(|c| c.body.tooltips.capacity() * 8)
            .sum();
        let heads: usize = site
            .cards
            .iter()
            .map(|c| {
                c.headings.capacity() * 56
                    + c.headings
                        .iter()
                        .map(|h| h.text.capacity() + h.id.capacity())
                        .sum::<usize>()
            })
            .sum();
        let textcap: usize = site.cards.iter().map(|c| c.text.capacity()).sum();
        let srccap: usize = site
            .files
            .iter()
            .map(|f| f.text.capacity() + f.rel.capacity() + f.abs.capacity())
            .sum();
        let fm: usize = site
            .cards
            .iter()
            .map(|c| {
                let f = &c.fm;
                f.title.capacity()
                    + f.summary.capacity()
                    + f.links
                        .iter()
                        .map(|l| l.title.capacity() + l.url.capacity() + l.kind.capacity() + 72)
                        .sum::<usize>()
                    + f.related.iter().map(|s| s.capacity() + 24).sum::<usize>()
                    + f.stages.iter().map(|s| s.capacity() + 24).sum::<usize>()
                    + f.publics.iter().map(|s| s.capacity() + 24).sum::<usize>()
                    + f.points.as_ref().map_or(0, |p| {
                        [
                            &p.nature,
                            &p.publics,
                            &p.operateurs,
                            &p.prescripteurs,
                            &p.financement,
                        ]
                        .iter()
                        .map(|x| x.as_ref().map_or(0, |s| s.capacity()))
                        .sum()
                    })
            })
            .sum();
        eprintln!(
            "  holes {:.1} links {:.1} tips {:.1} headings {:.1} text cap {:.1} sources cap {:.1} fm ~{:.1} card struct {:.1}",
            mib(holes),
            mib(links),
            mib(tips),
            mib(heads),
            mib(textcap),
            mib(srccap),
            mib(fm),
            mib(site.cards.capacity() * std::mem::size_of::<fiches::model::Card>())
        );
    }
    drop(diags);
    // As `fiches build` does once the site is prepared.
    let mut site = site;
    for f in &mut site.files {
        f.text = String::new();
    }
    report("  (sources)");
    let r = fiches::render::Site::new(&site.cfg, &site.tera, &site.cards, &site.files, &site.index);
    {
        use rayon::prelude::*;
        site.cards
            .par_iter()
            .filter(|c| c.has_page() && c.slug != "accueil")
            .for_each(|c| {
                let _ = r.card_page(c, &mut Vec::new());
            });
    }
    report("card pages");
    fiches::render::print::guide_page(&r, &Discard, &mut Vec::new());
    report("full guide");
    r.site_pages(&Discard, &mut Vec::new());
    report("site pages");
    drop(r);
    report("  (drop)");
    let index = fiches::search::index_pages(
        &site.cards,
        &site.synonyms,
        &fiches::search::Split::default(),
    );
    report("search index");
    drop(index);
    let _ = fiches::trouver::data_page(&site.cards);
    report("trouver");
    fiches::render_pages(&site, None, &Discard, &mut Vec::new());
    report("render all");
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
