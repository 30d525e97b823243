//! Where a build's time goes, stage by stage (for `scripts/bench.sh`).
//!
//! Takes: a site root. Gives: the wall time and peak memory of prepare
//! (load, parse, glossary, links, templates), render and write, on stderr. The output goes
//! to a temporary folder next to the system's temp dir, removed at the end.
//!
//! ```text
//! cargo run --release --example stage_times -- /tmp/bench/fiches-1000
//! ```

use std::time::Instant;

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let opts = fiches::Options {
        root: fiches::root_of(Some(&root)),
        out: None,
        base_url: None,
    };
    let mut diags = Vec::new();
    let t = Instant::now();
    let Some(site) = fiches::prepare(&opts, &mut diags) else {
        eprintln!("prepare failed: {} diagnostics", diags.len());
        return;
    };
    let prepare = t.elapsed();
    let mem_prepare = peak_mib();
    let t = Instant::now();
    let pages = fiches::pages(&site, &mut diags);
    let render = t.elapsed();
    let mem_render = peak_mib();
    let out = std::env::temp_dir().join(format!("stage-times-{}", std::process::id()));
    let statics = vec![site.cfg.theme_dir(&opts.root).join("static")];
    let t = Instant::now();
    let written = fiches::write::write(
        &out,
        &pages,
        &statics,
        site.cfg.minify && !site.tera.minified,
    );
    let write = t.elapsed();
    let t = Instant::now();
    let _ = std::fs::remove_dir_all(&out);
    let remove = t.elapsed();
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    eprintln!(
        "cards {}  pages {}  {} KiB\nprepare {:?} (peak {mem_prepare} MiB)\nrender  {:?} (peak {mem_render} MiB, all pages held)\nwrite   {:?} ({:?})\nremove  {:?}",
        site.cards.len(),
        pages.len(),
        bytes / 1024,
        prepare,
        render,
        write,
        written.err(),
        remove
    );
    let mut big: Vec<(&str, usize)> = pages
        .iter()
        .map(|p| (p.path.as_str(), p.bytes.len()))
        .collect();
    big.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (p, n) in big.iter().take(5) {
        eprintln!("  {p}: {} KiB", n / 1024);
    }
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
