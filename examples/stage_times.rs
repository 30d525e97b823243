//! Where a build's time goes, stage by stage.
//!
//! Takes: a site root. Gives, on stderr: the wall time of prepare (load,
//! parse, glossary, links, templates) and of each part of render (card
//! pages, site pages, the full guide, the search index) rendered to nowhere,
//! of the PDFs (the theme's fonts read, each fiche's PDF, the whole guide's
//! PDF) unless `pdf = false`, then of a whole build (render and write, as `fiches build` does) into a
//! temporary folder, built twice (the second build finds the first output);
//! and the peak memory after each step. The folder is removed at the end.
//!
//! ```text
//! cargo run --release --example stage_times -- /tmp/fiches-bench/1000/fiches
//! ```

mod measure;

use fiches::write::{Discard, Sink};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts pages and bytes, keeps nothing.
#[derive(Default)]
struct Count {
    pages: AtomicUsize,
    bytes: AtomicUsize,
}

impl Sink for Count {
    fn put(&self, page: fiches::model::Page) {
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(page.bytes.len(), Ordering::Relaxed);
    }

    fn put_streamed(
        &self,
        _: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut w = CountingWriter(0);
        write(&mut w)?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(w.0, Ordering::Relaxed);
        Ok(())
    }
}

struct CountingWriter(usize);

impl std::io::Write for CountingWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let root = fiches::root_of(Some(&root));
    let out = std::env::temp_dir().join(format!("stage-times-{}", std::process::id()));
    let opts = fiches::Options {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: None,
    };
    let mut diags = Vec::new();
    let t = (Instant::now(), measure::cpu_time());
    let Some(site) = fiches::prepare(&opts, &mut diags) else {
        eprintln!("prepare failed: {} diagnostics", diags.len());
        return;
    };
    eprintln!(
        "prepare      {}  peak {} MiB  ({} cards)",
        since(t),
        measure::peak_mib(),
        site.cards.len()
    );
    let t = (Instant::now(), measure::cpu_time());
    let templates = fiches::render::templates(&root, &site.cfg, &mut diags);
    eprintln!(
        "  templates  {}  (minified at load: {})",
        since(t),
        templates.is_some_and(|t| t.minified)
    );

    let r = fiches::render::Site::new(&site.cfg, &site.tera, &site.cards, &site.files, &site.index);
    let count = Count::default();
    let t = (Instant::now(), measure::cpu_time());
    {
        use rayon::prelude::*;
        site.cards
            .par_iter()
            .filter(|c| c.has_page() && c.slug != "accueil")
            .for_each(|c| {
                if let Some(p) = r.card_page(c, None, &mut Vec::new()) {
                    count.put(p);
                }
            });
    }
    let (n, b) = (
        count.pages.swap(0, Ordering::Relaxed),
        count.bytes.swap(0, Ordering::Relaxed),
    );
    eprintln!(
        "card pages   {}  peak {} MiB  {n} pages, {} KiB, {} B each",
        since(t),
        measure::peak_mib(),
        b / 1024,
        b / n.max(1)
    );
    let t = (Instant::now(), measure::cpu_time());
    fiches::render::print::guide_page(&r, &count, &mut Vec::new());
    let b = count.bytes.swap(0, Ordering::Relaxed);
    count.pages.store(0, Ordering::Relaxed);
    eprintln!(
        "full guide   {}  peak {} MiB  {} KiB",
        since(t),
        measure::peak_mib(),
        b / 1024
    );
    let t = (Instant::now(), measure::cpu_time());
    r.site_pages(&count, &mut Vec::new());
    eprintln!(
        "site pages   {}  peak {} MiB  {} pages (with the full guide)",
        since(t),
        measure::peak_mib(),
        count.pages.load(Ordering::Relaxed)
    );
    let t = (Instant::now(), measure::cpu_time());
    let index = fiches::search::index_pages(
        &site.cards,
        &site.synonyms,
        &fiches::search::Split::default(),
    );
    eprintln!(
        "search index {}  peak {} MiB  {} KiB in {} files",
        since(t),
        measure::peak_mib(),
        index.iter().map(|p| p.bytes.len()).sum::<usize>() / 1024,
        index.len()
    );
    if site.cfg.pdf {
        pdf_times(&root, &site);
    }
    let t = (Instant::now(), measure::cpu_time());
    fiches::render_pages(&site, None, &Discard, &mut Vec::new());
    eprintln!(
        "render all   {}  peak {} MiB",
        since(t),
        measure::peak_mib()
    );
    drop(site);
    for pass in ["first", "again"] {
        let t = (Instant::now(), measure::cpu_time());
        let report = fiches::build(&opts);
        eprintln!(
            "build {pass}  {}  peak {} MiB  {} files",
            since(t),
            measure::peak_mib(),
            report.written
        );
    }
    let t = (Instant::now(), measure::cpu_time());
    let _ = std::fs::remove_dir_all(&out);
    eprintln!("remove       {}", since(t));
}

/// The PDFs' part: the theme read, every fiche's PDF (in parallel, as a
/// build makes them), then the whole guide's PDF on its own.
fn pdf_times(root: &std::path::Path, site: &fiches::Site) {
    use rayon::prelude::*;
    let t = (Instant::now(), measure::cpu_time());
    let pdfs = fiches::pdf::Pdfs::new(
        root,
        fiches::pdf::Guide {
            cfg: &site.cfg,
            cards: &site.cards,
            files: &site.files,
            index: &site.index,
        },
    );
    eprintln!("pdf theme    {}", since(t));
    let t = (Instant::now(), measure::cpu_time());
    let (n, pages, bytes) = site
        .cards
        .par_iter()
        .filter(|c| fiches::pdf::is_fiche(c))
        .map(|c| {
            pdfs.fiche(c)
                .map_or((1, 0, 0), |m| (1, m.pages, m.bytes.len()))
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    eprintln!(
        "fiche PDFs   {}  peak {} MiB  {n} PDFs, {pages} pages, {} KiB",
        since(t),
        measure::peak_mib(),
        bytes / 1024
    );
    let t = (Instant::now(), measure::cpu_time());
    let (pages, bytes) = pdfs.guide().map_or((0, 0), |m| (m.pages, m.bytes.len()));
    eprintln!(
        "guide PDF    {}  peak {} MiB  {pages} pages, {} KiB",
        since(t),
        measure::peak_mib(),
        bytes / 1024
    );
}

/// Wall and CPU time since `(start, cpu0)`, for one line of the report.
fn since(t: (Instant, std::time::Duration)) -> String {
    format!(
        "{:>7.1} ms wall {:>7.1} ms cpu",
        t.0.elapsed().as_secs_f64() * 1e3,
        (measure::cpu_time() - t.1).as_secs_f64() * 1e3
    )
}
