//! `fiches`: publishes an accessible guide from Markdown cards.
//!
//! `build()` and `check()` run the stages in order: load → parse →
//! transform (each card: lints, glossary, links, body HTML) → render →
//! index → write. Each stage pushes its problems into one
//! list of diagnostics; nothing is written when there is an error.

// The modules in the order of the pipeline: a module uses only the modules
// above it (tests/stages.rs reads this list and checks every `crate::`
// path of src/ against it).

// Shared by every stage: dates, diagnostics, positions in TOML, text, the
// data passed between stages, and the theme's presentation (`theme.toml`).
pub mod dates;
pub mod diag;
pub mod spans;
pub mod text;
pub mod model;
pub mod theme;

// The stages, in the order they run (`prepare`, then `render_pages`).
pub mod config;
pub mod load;
pub mod parse;
pub mod drafts;
pub mod lint;
pub mod glossary;
pub mod links;
pub mod images;
pub mod view;
pub mod render;
pub mod pdf;
pub mod search;
pub mod offline;
pub mod write;

// The commands around the stages.
pub mod diff;
pub mod outside;
pub mod launch;
pub mod cli;
pub mod new;
pub mod schema;
pub mod serve;

use std::path::{Path, PathBuf};

use diag::Diagnostic;

/// What a build or check was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site root (holds `guide.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of `guide.toml`.
    pub base_url: Option<String>,
}

/// The outcome of a run: diagnostics, and what was written.
#[derive(Default)]
pub struct Report {
    pub diags: Vec<Diagnostic>,
    /// Number of files written (0 for `check` or a failed build).
    pub written: usize,
    /// Set when the output folder was refused (a usage error).
    pub refused: Option<String>,
    /// `check`: the cards with a `source`, in file order (`check --sources`).
    pub sources: Vec<Sourced>,
    /// The drafts left out of the guide (`draft = true`), in file order.
    pub drafts: Vec<drafts::Draft>,
}

/// A card whose `source` says where its words come from when not from the
/// seed guides (a glossary term's usual expansion), for the PRITH to review.
pub struct Sourced {
    /// The card's file, from the guide root (`content/glossaire/smic.md`).
    pub file: String,
    /// The term (or the title of a card that is not a term).
    pub term: String,
    /// The expansion, or empty.
    pub expansion: String,
    /// The value of `source` (`usage`).
    pub source: String,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Everything the stages produce before writing.
pub struct Site {
    pub cfg: config::Config,
    pub files: Vec<model::SourceFile>,
    pub cards: Vec<model::Card>,
    pub index: links::Index,
    /// Shared, so that `serve` reuses them when no template changed.
    pub tera: std::sync::Arc<render::Templates>,
    /// Editors' synonyms for the search index (`content/synonymes.toml`).
    pub synonyms: search::Synonyms,
    /// The drafts set aside (empty when they were kept: `prepare_drafts`).
    pub drafts: Vec<drafts::Draft>,
    /// The cards' images, by site path, copied into the site.
    pub images: Vec<images::Image>,
}

/// Runs load → parse → transform and loads the templates.
pub fn prepare(opts: &Options, diags: &mut Vec<Diagnostic>) -> Option<Site> {
    prepare_reusing(opts, None, diags)
}

/// `prepare`, with the templates of a previous run when they did not change.
pub fn prepare_reusing(
    opts: &Options,
    templates: Option<std::sync::Arc<render::Templates>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    prepare_with(opts, templates, None, false, diags)
}

/// `prepare` keeping the drafts among the cards, as if they were published:
/// `serve` renders their own pages from it, with a banner.
pub fn prepare_drafts(
    opts: &Options,
    templates: Option<std::sync::Arc<render::Templates>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    prepare_with(opts, templates, None, true, diags)
}

/// `prepare` for a build, which needs less: the search index is made as
/// soon as the cards are parsed, then the cards' plain text, that only the
/// index reads, is dropped, and each file's text once its card's body is
/// made (issue 8: a build never holds the sources, the plain text and the
/// bodies at once). `serve` and `check` keep every text.
fn prepare_for_build(
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Site, Vec<model::Page>)> {
    let mut index = Vec::new();
    let site = prepare_with(opts, None, Some(&mut index), false, diags)?;
    Some((site, index))
}

/// `prepare`; with `search_index`, makes the search index into it right
/// after parsing and drops the texts (see `prepare_for_build`); with
/// `keep_drafts`, the drafts stay among the cards.
fn prepare_with(
    opts: &Options,
    templates: Option<std::sync::Arc<render::Templates>>,
    search_index: Option<&mut Vec<model::Page>>,
    keep_drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let mut cfg = config::load(&opts.root, diags)?;
    if let Some(b) = &opts.base_url {
        cfg.base_url = Some(b.clone());
    }
    // The templates are parsed (and minified) while the cards are read.
    let mut template_diags = Vec::new();
    let (content, tera) = rayon::join(
        || {
            let mut files = load::load(&opts.root, diags);
            // Kept apart: the cards' `allow` lists do not silence them.
            let mut synonym_diags = Vec::new();
            let synonyms = search::synonyms(&opts.root, &mut synonym_diags);
            let mut cards = parse::parse(&files, diags);
            let drafts = match keep_drafts {
                true => Vec::new(),
                false => drafts::set_aside(&mut cards, &files),
            };
            let files_of_cards = match search_index {
                Some(pages) => {
                    *pages = search::index_pages(&cards, &synonyms, &search::Split::default());
                    // Kept until the pages are written.
                    pages.iter_mut().for_each(|p| p.bytes.shrink_to_fit());
                    for c in &mut cards {
                        c.text = String::new();
                    }
                    Files::Release(&mut files)
                }
                None => Files::Keep(&files),
            };
            let (index, images) = finish(&cfg, files_of_cards, &mut cards, &drafts, diags);
            diags.extend(synonym_diags);
            (files, cards, index, synonyms, drafts, images)
        },
        || match templates {
            Some(t) => Some(t),
            None => {
                render::templates(&opts.root, &cfg, &mut template_diags).map(std::sync::Arc::new)
            }
        },
    );
    diags.extend(template_diags);
    let (files, cards, index, synonyms, drafts, images) = content;
    let tera = tera?;
    Some(Site {
        cfg,
        files,
        cards,
        index,
        tera,
        synonyms,
        drafts,
        images,
    })
}

/// Stages 2 to 4a on files already loaded: parse, then lints, glossary,
/// links and body HTML of each card. Also called on in-memory cards by the
/// property tests and the fuzz target.
pub fn transform(
    cfg: &config::Config,
    files: &[model::SourceFile],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<model::Card>, links::Index) {
    // A first, light pass gives what a card needs to know about the others:
    // front matter, slugs, heading ids, plain text, glossary terms.
    let mut cards = parse::parse(files, diags);
    let drafts = drafts::set_aside(&mut cards, files);
    let (index, _) = finish(cfg, Files::Keep(files), &mut cards, &drafts, diags);
    (cards, index)
}

/// Stages 3 and 4a (`transform` after parsing) on parsed cards.
fn finish(
    cfg: &config::Config,
    mut files: Files,
    cards: &mut Vec<model::Card>,
    drafts: &[drafts::Draft],
    diags: &mut Vec<Diagnostic>,
) -> (links::Index, Vec<images::Image>) {
    use rayon::prelude::*;
    let mut index = links::index(cards, files.all(), diags);
    index.drafts = drafts
        .iter()
        .filter(|d| !d.term)
        .map(|d| (d.slug.clone(), d.clone()))
        .collect();
    let glossary = glossary::Glossary::new(cards, files.all(), diags);
    let lints = lint::Lints::new(cards, cfg, dates::today());
    let targets = links::Targets::new(cards, &index);
    // Then each card on its own, in parallel: Markdown → events → lints →
    // glossary → images → links → body HTML. Its events are dropped as soon as it is
    // done (issue 8: holding every card's events took most of the memory).
    let body = |card: &model::Card, f: &model::SourceFile| {
        let mut local = Vec::new();
        let events = parse::events(f, card);
        lints.check(card, &events, f, &mut local);
        let (events, tips) =
            glossary.apply(card, events, f, (&cfg.allow, &cfg.noms_propres), &mut local);
        let (events, images) = images::apply(events, f, cfg.images_max_ko, &mut local);
        let events = targets.apply(card, events, f, &mut local);
        let typst = match cfg.pdf {
            true => pdf::markup::body(&events, cfg.base().as_deref(), cfg.allow_html),
            false => String::new(),
        };
        let mut body = render::body::render(
            card,
            events,
            &tips,
            &images,
            cfg.allow_html,
            &cfg.presentation,
        );
        body.typst = typst;
        let terms = tips.iter().map(|t| t.term).collect::<Vec<_>>();
        (body, (terms, images), local)
    };
    let done: Vec<_> = match &mut files {
        Files::Keep(files) => cards.par_iter().map(|c| body(c, &files[c.file])).collect(),
        Files::Release(files) => {
            // A file gives at most one card, and the cards are in the
            // files' order: each card gets its own file.
            let mut slots: Vec<_> = files.iter_mut().map(Some).collect();
            let own: Vec<_> = cards.iter().filter_map(|c| slots[c.file].take()).collect();
            cards
                .par_iter()
                .zip(own)
                .map(|(c, f)| {
                    let done = body(c, f);
                    f.text = String::new();
                    done
                })
                .collect()
        }
    };
    let mut terms = Vec::with_capacity(done.len());
    // Two cards may show the same image of content/images/.
    let mut images = std::collections::BTreeMap::new();
    for (card, (body, (tips, found), local)) in cards.iter_mut().zip(done) {
        card.body = body;
        terms.push(tips);
        images.extend(found.into_iter().map(|i| (i.site.clone(), i)));
        diags.extend(local);
    }
    glossary::number(cards, &terms, &glossary);
    lint::silence(diags, cards, files.all(), cfg);
    (index, images.into_values().collect())
}

/// The files of the cards that `finish` transforms: kept, or each left
/// without its text once its card's body is made (a build: issue 8).
enum Files<'f> {
    Keep(&'f [model::SourceFile]),
    Release(&'f mut [model::SourceFile]),
}

impl Files<'_> {
    fn all(&self) -> &[model::SourceFile] {
        match self {
            Files::Keep(f) => f,
            Files::Release(f) => f,
        }
    }
}

/// Renders every page of a prepared site (stage 4 and 5), sorted by path.
pub fn pages(site: &Site, diags: &mut Vec<Diagnostic>) -> Vec<model::Page> {
    let pages = std::sync::Mutex::new(Vec::new());
    render_pages(
        site,
        None,
        &|p| pages.lock().unwrap_or_else(|e| e.into_inner()).push(p),
        diags,
    );
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// What `serve` renders again after a change (see `render_pages`).
#[derive(Debug, Default)]
pub struct Changed {
    /// The cards whose own page changed (indexes into `site.cards`).
    pub cards: std::collections::BTreeSet<usize>,
    /// Whether the pages that list cards or show other bodies (home, stages,
    /// A–Z, glossary, contacts...) may change too; when not, only the full
    /// guide and the search index are made again besides the cards' pages.
    pub lists: bool,
}

/// Renders the pages of a prepared site and hands each one to `sink` as soon
/// as it is ready, from several threads (the build writes it at once: the
/// site is never held whole in memory). With `only` (`serve` after a
/// change), renders the pages of those cards, the full guide, the search
/// index, and the other pages only if `only.lists`.
pub fn render_pages(
    site: &Site,
    only: Option<&Changed>,
    sink: &dyn write::Sink,
    diags: &mut Vec<Diagnostic>,
) {
    render_pages_with(site, only, pdf::Offer::None, sink, diags)
}

/// `render_pages`, the pages saying what `pdfs` says about the PDFs.
pub fn render_pages_with(
    site: &Site,
    only: Option<&Changed>,
    pdfs: pdf::Offer,
    sink: &dyn write::Sink,
    diags: &mut Vec<Diagnostic>,
) {
    // The pages and the search index render at the same time
    // (the index record of a card comes from the same parallel pass).
    rayon::join(
        || search_pages(site, sink),
        || html_pages(site, only, (pdfs, false), sink, diags),
    );
}

/// The search index (stage 5): `search-index.js` and its parts.
fn search_pages(site: &Site, sink: &dyn write::Sink) {
    let index = search::index_pages(&site.cards, &site.synonyms, &search::Split::default());
    index.into_iter().for_each(|p| sink.put(p));
}

/// Every page of `render_pages` but the search index; with `pdf::Offer::Made`
/// (a build), also the PDF of each fiche, made right before its page (which
/// gives its size), and the whole guide's PDF, made before the pages that
/// offer it; with `offline`, also the home page of the offline copy
/// (`offline::HOME`).
fn html_pages(
    site: &Site,
    only: Option<&Changed>,
    (pdfs, offline): (pdf::Offer, bool),
    sink: &dyn write::Sink,
    diags: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let r = render::Site::new(&site.cfg, &site.tera, &site.cards, &site.files, &site.index);
    // Card pages and the pages that list cards render at the same time.
    let (card_diags, site_diags): (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) = rayon::join(
        || {
            site.cards
                .par_iter()
                .enumerate()
                .filter(|(i, c)| {
                    c.has_page() && c.slug != "accueil" && only.is_none_or(|o| o.cards.contains(i))
                })
                .map(|(_, c)| {
                    let mut local = Vec::new();
                    let link = pdfs.fiche(c, sink, &mut local);
                    if let Some(p) = r.card_page(c, link.as_ref(), &mut local) {
                        sink.put(p);
                    }
                    local
                })
                .collect()
        },
        || {
            let mut local = Vec::new();
            if let Some(link) = pdfs.guide(sink, &mut local) {
                let _ = r.guide_pdf.set(link);
            }
            // After a change, the images of the cards made again (one may be new).
            let shown: Option<std::collections::BTreeSet<&str>> = only.map(|o| {
                o.cards
                    .iter()
                    .flat_map(|&i| &site.cards[i].body.images)
                    .map(String::as_str)
                    .collect()
            });
            site.images
                .iter()
                .filter(|i| shown.as_ref().is_none_or(|s| s.contains(i.site.as_str())))
                .filter_map(images::Image::page)
                .for_each(|p| sink.put(p));
            if only.is_none_or(|o| o.lists) {
                r.site_pages(sink, &mut local);
                sink.put(render::trouver::data_page(&site.cards));
                if offline && let Some(mut home) = r.offline_home(&mut local) {
                    home.path = offline::HOME.to_string();
                    sink.put(home);
                }
            } else {
                render::print::guide_page(&r, sink, &mut local);
            }
            local
        },
    );
    diags.extend(card_diags.into_iter().flatten());
    diags.extend(site_diags);
}

/// Checks the whole guide without writing anything.
pub fn check(opts: &Options) -> Report {
    let mut report = Report::default();
    if let Some(site) = prepare(opts, &mut report.diags) {
        render_pages(&site, None, &write::Discard, &mut report.diags);
        report.sources = site
            .cards
            .iter()
            .filter_map(|c| {
                Some(Sourced {
                    file: site.files[c.file].rel.clone(),
                    term: c.fm.term.clone().unwrap_or_else(|| c.fm.title.clone()),
                    expansion: c.fm.expansion.clone().unwrap_or_default(),
                    source: c.fm.source.clone()?,
                })
            })
            .collect();
        report.sources.sort_by(|a, b| a.file.cmp(&b.file));
        report.drafts = site.drafts;
    }
    diag::sort(&mut report.diags);
    report
}

/// Builds the guide into the output folder, only if there is no error.
pub fn build(opts: &Options) -> Report {
    let mut report = Report::default();
    let out = out_dir(opts);
    if let Err(write::Refused(msg)) = write::check_out(&out) {
        report.refused = Some(msg);
        return report;
    }
    let Some((site, search_index)) = prepare_for_build(opts, &mut report.diags) else {
        diag::sort(&mut report.diags);
        return report;
    };
    report.drafts = site.drafts.clone();
    if report.has_errors() {
        // Render anyway, writing nothing, so template errors are reported too.
        html_pages(
            &site,
            None,
            (pdf::Offer::None, false),
            &write::Discard,
            &mut report.diags,
        );
        diag::sort(&mut report.diags);
        return report;
    }
    let statics: Vec<PathBuf> = [
        site.cfg.theme_dir(&opts.root).join("static"),
        opts.root.join("static"),
    ]
    .into_iter()
    .filter(|p| p.is_dir())
    .collect();
    let failed = |e: std::io::Error| {
        Diagnostic::file(
            "ecriture",
            &out.display().to_string(),
            format!("impossible d'écrire le site ({e}) ; l'ancien dossier est resté tel quel"),
        )
    };
    // Pages are written into a hidden folder while they render; it replaces
    // the output folder only if nothing went wrong.
    // Pages rendered from minified templates need no pass of their own.
    let minify = site.cfg.minify && !site.tera.minified;
    let output = match write::Output::begin(&out, &statics, minify) {
        Ok(o) => o,
        Err(e) => {
            report.diags.push(failed(e));
            return report;
        }
    };
    search_index.into_iter().for_each(|p| output.put(p));
    let guide = pdf::Guide {
        cfg: &site.cfg,
        cards: &site.cards,
        files: &site.files,
        index: &site.index,
    };
    let pdfs = site.cfg.pdf.then(|| pdf::Pdfs::new(&opts.root, guide));
    let offer = pdfs.as_ref().map_or(pdf::Offer::None, pdf::Offer::Made);
    let offline = site.cfg.offline_zip;
    html_pages(&site, None, (offer, offline), &output, &mut report.diags);
    diag::sort(&mut report.diags);
    if report.has_errors() {
        return report;
    }
    if site.cfg.offline_zip
        && let Err(e) = output.offline_zip(pdf::newest(&site.cards))
    {
        report.diags.push(failed(e));
        return report;
    }
    match output.commit() {
        Ok(n) => report.written = n,
        Err(e) => report.diags.push(failed(e)),
    }
    report
}

/// The output folder of a run.
pub fn out_dir(opts: &Options) -> PathBuf {
    match &opts.out {
        Some(o) if o.is_absolute() => o.clone(),
        Some(o) => std::env::current_dir().unwrap_or_default().join(o),
        None => opts.root.join("public"),
    }
}

/// The site root: the given folder, made absolute.
pub fn root_of(root: Option<&Path>) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match root {
        Some(r) if r.is_absolute() => r.to_path_buf(),
        Some(r) => cwd.join(r),
        None => cwd,
    }
}
