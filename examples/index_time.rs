//! Time and memory of the search index stage alone (issue #8).
//!
//! Takes: a site root. Gives, on stderr: the cards, the index's files and bytes,
//! the median wall and CPU time of building it, and the extra resident memory
//! its first build needed above what the prepared site holds.
//!
//! ```text
//! cargo run --release --example index_time -- ROOT [--out DIR] [--above BYTES]
//!     [--term-bytes BYTES] [--doc-bytes BYTES] [--runs N]
//! ```
//!
//! `--out` writes the index's files into DIR; `--above` splits the index into
//! parts above that many bytes instead of the default (0: always), and the
//! next two set the size of the parts (see `fiches::search::Split`); `--runs`
//! times that many builds after the first (7 by default; 0 to count the
//! instructions of one build with `perf stat`).

mod measure;

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let root = std::path::PathBuf::from(args.first().map_or(".", String::as_str));
    let mut split = fiches::search::Split::default();
    if let Some(above) = flag("--above").and_then(|a| a.parse().ok()) {
        split.above = above;
    }
    if let Some(bytes) = flag("--term-bytes").and_then(|a| a.parse().ok()) {
        split.term_bytes = bytes;
    }
    if let Some(bytes) = flag("--doc-bytes").and_then(|a| a.parse().ok()) {
        split.doc_bytes = bytes;
    }
    let runs: usize = flag("--runs").and_then(|a| a.parse().ok()).unwrap_or(7);
    let opts = fiches::Options {
        root: fiches::root_of(Some(&root)),
        out: None,
        base_url: None,
    };
    let mut diags = Vec::new();
    let Some(site) = fiches::prepare(&opts, &mut diags) else {
        eprintln!("prepare failed: {} diagnostics", diags.len());
        return;
    };
    // The first build, alone, for its peak memory: later builds reuse freed pages.
    let before = measure::status_kib("VmRSS:");
    reset_peak();
    let (t, c) = (Instant::now(), measure::cpu_time());
    let pages = fiches::search::index_pages(&site.cards, &site.synonyms, &split);
    let (mut wall, mut cpu) = (vec![t.elapsed()], vec![measure::cpu_time() - c]);
    let extra = measure::status_kib("VmHWM:").saturating_sub(before);
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let biggest = pages.iter().map(|p| p.bytes.len()).max().unwrap_or(0);
    if let Some(dir) = flag("--out") {
        for p in &pages {
            let path = std::path::Path::new(dir).join(&p.path);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, &p.bytes));
            if let Err(e) = written {
                eprintln!("{}: {e}", path.display());
            }
        }
    }
    let files = pages.len();
    drop(pages);
    if runs > 0 {
        (wall, cpu) = (Vec::new(), Vec::new());
    }
    for _ in 0..runs {
        let (t, c) = (Instant::now(), measure::cpu_time());
        let pages = fiches::search::index_pages(&site.cards, &site.synonyms, &split);
        wall.push(t.elapsed());
        cpu.push(measure::cpu_time() - c);
        drop(pages);
    }
    wall.sort();
    cpu.sort();
    eprintln!(
        "cards {}  index files {files}  {} KiB (largest {} KiB)\nindex {:?} wall, {:?} CPU (medians of {}), +{} MiB peak memory",
        site.cards.len(),
        bytes / 1024,
        biggest / 1024,
        wall[wall.len() / 2],
        cpu[cpu.len() / 2],
        wall.len(),
        extra / 1024
    );
}

/// Resets the peak resident memory to the current one (Linux 4.0 and later).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
