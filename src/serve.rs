//! `fiches serve`: the preview server.
//!
//! Takes: the site root and a port. Gives: the guide, built in memory and
//! served on `http://127.0.0.1:PORT/`; rebuilt when a file under `content/`,
//! the theme, `templates/`, `static/` or `guide.toml` changes, and the open
//! page reloaded. After a change to one card's text only its page, the full
//! guide and the search index are rendered again; after a change to its
//! front matter, the pages that list cards too.
//! Reports: content errors in the terminal and at the top of every served
//! page; the last good pages keep being served until the errors are fixed.
//!
//! Nothing is written to disk (`fiches build` writes `public/`). Served HTML
//! pages get one stylesheet and one script from `/__fiches/`, never inline
//! code, and are sent with the Content-Security-Policy the built site is
//! meant to run under; the built files never contain them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, IsTerminal, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::diag::{self, Diagnostic, Format};
use crate::model::{Card, Page};
use crate::{Options, Site};

mod http;

/// The Content-Security-Policy the built site runs under (README, "Sécurité").
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(200);
/// What the HTTP threads serve: the last good pages and the current errors.
struct Snapshot {
    /// Bumped after every rebuild, good or not: open pages reload.
    version: u64,
    pages: Arc<BTreeMap<String, Arc<[u8]>>>,
    /// The diagnostics of the last failed rebuild, as plain text.
    errors: Option<String>,
    /// `static/` of the site, then of the theme: read from disk at each request.
    statics: Vec<PathBuf>,
    /// The last good site, to make a PDF when it is asked for.
    site: Option<Arc<Site>>,
    /// The site root (the PDF templates are in its theme).
    root: PathBuf,
}

struct Shared {
    snap: Mutex<Snapshot>,
    bumped: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds the guide, serves it on `127.0.0.1:port` (0 = any free port) and
/// rebuilds on change, until the process is stopped; with `open`, opens the
/// browser on it once it is ready. Errors are usage errors.
pub fn run(opts: &Options, port: u16, open: bool) -> Result<(), String> {
    if !opts.root.join("guide.toml").is_file() {
        return Err(format!(
            "guide.toml introuvable dans {} : lancez fiches serve depuis le dossier du guide, ou indiquez-le avec --root",
            opts.root.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!(
            "impossible d'écouter sur le port {port} ({e}) : essayez --port avec un autre nombre"
        )
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;

    let mut preview = Preview::new(opts.clone());
    let outcome = preview.rebuild(true);
    let shared = Arc::new(Shared {
        snap: Mutex::new(Snapshot {
            version: 1,
            pages: Arc::new(preview.pages.clone()),
            errors: None,
            statics: preview.statics(),
            site: preview.site.clone(),
            root: opts.root.clone(),
        }),
        bumped: Condvar::new(),
    });
    publish(&shared, &preview, &outcome, None);
    println!("Aperçu du guide : http://{addr}/  (Ctrl+C pour arrêter)");
    let _ = io::stdout().flush();
    if open {
        crate::launch::open_browser(&format!("http://{addr}/"));
    }

    let http = Arc::clone(&shared);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = Arc::clone(&http);
            thread::spawn(move || {
                let _ = http::handle(stream, &shared);
            });
        }
    });

    let mut seen = watched(&preview.watch_roots());
    loop {
        thread::sleep(POLL);
        let now = watched(&preview.watch_roots());
        let changed = changes(&seen, &now);
        seen = now;
        if changed.is_empty() {
            continue;
        }
        let files: BTreeSet<String> = changed
            .iter()
            .map(|p| crate::load::rel_path(&opts.root, p))
            .collect();
        match preview.classify(&changed) {
            Change::Static => publish(&shared, &preview, &Outcome::StaticOnly, Some(&files)),
            Change::Content { full } => {
                let outcome = preview.rebuild(full);
                publish(&shared, &preview, &outcome, Some(&files));
            }
        }
    }
}

/// What a rebuild did.
enum Outcome {
    Built {
        elapsed: Duration,
        rendered: usize,
        warnings: Vec<Diagnostic>,
    },
    Failed(Vec<Diagnostic>),
    StaticOnly,
}

/// Tells the terminal and the browsers about a build. `changed` is `None`
/// for the first build (every warning is printed), else the files that
/// changed (only their warnings are printed again).
fn publish(
    shared: &Shared,
    preview: &Preview,
    outcome: &Outcome,
    changed: Option<&BTreeSet<String>>,
) {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut snap = lock(&shared.snap);
    match outcome {
        Outcome::Built {
            elapsed,
            rendered,
            warnings,
        } => {
            let shown: Vec<Diagnostic> = warnings
                .iter()
                .filter(|d| changed.is_none_or(|c| c.contains(&d.file)))
                .cloned()
                .collect();
            if !shown.is_empty() {
                eprint!("{}", diag::render(&shown, Format::Human, color));
            }
            eprintln!(
                "Guide construit en {} ms : {rendered} pages refaites.",
                elapsed.as_millis()
            );
            snap.pages = Arc::new(preview.pages.clone());
            snap.site = preview.site.clone();
            snap.errors = None;
        }
        Outcome::Failed(diags) => {
            eprint!("{}", diag::render(diags, Format::Human, color));
            if preview.pages.is_empty() {
                eprintln!("Le guide n'a pas pu être construit : corrigez les erreurs ci-dessus.");
            } else {
                eprintln!(
                    "Les pages affichées restent celles de la dernière construction réussie."
                );
            }
            snap.errors = Some(diag::render(diags, Format::Human, false));
        }
        Outcome::StaticOnly => eprintln!("Fichiers statiques modifiés : page rechargée."),
    }
    snap.statics = preview.statics();
    if changed.is_some() {
        snap.version += 1;
    }
    shared.bumped.notify_all();
}

/// What changed on disk, and how much must be rebuilt.
enum Change {
    /// Only CSS, JS or images: they are read from disk at each request.
    Static,
    /// Cards, configuration or templates; `full` when every page may change.
    Content { full: bool },
}

/// The builder: the last good site and its pages, kept between rebuilds.
struct Preview {
    opts: Options,
    site: Option<Arc<Site>>,
    pages: BTreeMap<String, Arc<[u8]>>,
    /// A full rebuild failed: the next one must be full too (templates or
    /// configuration changed since the last good site).
    full_pending: bool,
    /// The paths of the drafts' pages among `pages`, made again at each rebuild.
    draft_pages: BTreeSet<String>,
}

impl Preview {
    fn new(opts: Options) -> Preview {
        Preview {
            opts,
            site: None,
            pages: BTreeMap::new(),
            full_pending: false,
            draft_pages: BTreeSet::new(),
        }
    }

    fn theme_dir(&self) -> PathBuf {
        match &self.site {
            Some(s) => s.cfg.theme_dir(&self.opts.root),
            None => crate::config::load(&self.opts.root, &mut Vec::new())
                .map(|c| c.theme_dir(&self.opts.root))
                .unwrap_or_else(|| self.opts.root.join("themes/default")),
        }
    }

    fn statics(&self) -> Vec<PathBuf> {
        vec![
            self.opts.root.join("static"),
            self.theme_dir().join("static"),
        ]
    }

    fn watch_roots(&self) -> Vec<PathBuf> {
        let root = &self.opts.root;
        let mut v = vec![
            root.join("guide.toml"),
            root.join("content"),
            root.join("templates"),
            root.join("static"),
        ];
        let theme = self.theme_dir();
        if !theme.starts_with(root.join("content")) {
            v.push(theme);
        }
        v
    }

    fn classify(&self, changed: &BTreeSet<PathBuf>) -> Change {
        let statics = self.statics();
        if changed
            .iter()
            .all(|p| statics.iter().any(|s| p.starts_with(s)))
        {
            return Change::Static;
        }
        let content = self.opts.root.join("content");
        let full = changed.iter().any(|p| {
            let is_card = p.starts_with(&content) && p.extension().is_some_and(|e| e == "md");
            let is_static = statics.iter().any(|s| p.starts_with(s));
            !is_card && !is_static
        });
        Change::Content { full }
    }

    /// Prepares the whole guide again (cheap), then renders only what the
    /// change can affect, unless `full`.
    fn rebuild(&mut self, full: bool) -> Outcome {
        let full = full || self.full_pending;
        self.full_pending = full;
        let start = Instant::now();
        let mut diags = Vec::new();
        // Templates are parsed again only when something else than cards changed.
        let templates = match (&self.site, full) {
            (Some(old), false) => Some(Arc::clone(&old.tera)),
            _ => None,
        };
        let Some(site) = crate::prepare_reusing(&self.opts, templates, &mut diags) else {
            diag::sort(&mut diags);
            return Outcome::Failed(diags);
        };
        let only = match (&self.site, full) {
            (Some(old), false) => affected(old, &site),
            _ => None,
        };
        let rendered = Mutex::new(Vec::new());
        if !diags.iter().any(Diagnostic::is_error) {
            let pdfs = match site.cfg.pdf {
                true => crate::pdf::Offer::Asked,
                false => crate::pdf::Offer::None,
            };
            crate::render_pages_with(
                &site,
                only.as_ref(),
                pdfs,
                &|p: Page| lock(&rendered).push(p),
                &mut diags,
            );
        }
        diag::sort(&mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Outcome::Failed(diags);
        }
        let mut rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        let drafts = draft_pages(&self.opts, &site, &mut diags);
        if only.is_none() {
            self.pages.clear();
        }
        for path in std::mem::take(&mut self.draft_pages) {
            self.pages.remove(&path);
        }
        self.draft_pages = drafts.iter().map(|p| p.path.clone()).collect();
        // The pages of the guide as it will be published (drafts apart).
        let count = rendered.len();
        rendered.extend(drafts);
        for p in rendered {
            self.pages.insert(p.path, Arc::from(p.bytes));
        }
        self.site = Some(Arc::new(site));
        self.full_pending = false;
        Outcome::Built {
            elapsed: start.elapsed(),
            rendered: count,
            warnings: diags,
        }
    }
}

/// The pages of the drafts a good `site` left out, each with its banner
/// (`draft` in the fiche's view), from the guide prepared with its drafts
/// (their links to each other then resolve). The lists, the search index
/// and the other pages stay those of the published guide. The diagnostics
/// of the drafts' files are added to `diags` (a draft never fails the preview).
fn draft_pages(opts: &Options, site: &Site, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    if site.drafts.is_empty() {
        return Vec::new();
    }
    let mut all = Vec::new();
    let Some(with) = crate::prepare_drafts(opts, Some(Arc::clone(&site.tera)), &mut all) else {
        return Vec::new();
    };
    let r = crate::render::Site::new(&with.cfg, &with.tera, &with.cards, &with.files, &with.index);
    let mut pages = Vec::new();
    for c in with.cards.iter().filter(|c| c.fm.draft && c.has_page()) {
        if let Some(p) = r.card_page(c, &mut all) {
            pages.push(p);
        }
    }
    let files: BTreeSet<&str> = site.drafts.iter().map(|d| d.file.as_str()).collect();
    diags.extend(all.into_iter().filter(|d| files.contains(d.file.as_str())));
    diag::sort(diags);
    pages
}

/// What must be rendered again after a change from `old` to `new`: the
/// cards whose page changed (indexes into `new.cards`), and whether the
/// pages that list cards may change (a front matter changed, or a body shown
/// on another page); `None` when every page may change: configuration, a
/// card added, removed or changing kind, a glossary term. The full guide and
/// the search index are always made again (see `render_pages`).
fn affected(old: &Site, new: &Site) -> Option<crate::Changed> {
    let cfg = |s: &Site| serde_json::to_string(&s.cfg).unwrap_or_default();
    if cfg(old) != cfg(new) || old.cards.len() != new.cards.len() {
        return None;
    }
    let key = |c: &Card| (c.is_term(), c.slug.clone());
    let before: BTreeMap<(bool, String), &Card> = old.cards.iter().map(|c| (key(c), c)).collect();
    let mut cards = BTreeSet::new();
    let mut listed_changed = BTreeSet::new();
    let mut lists = false;
    for (i, c) in new.cards.iter().enumerate() {
        let o = before.get(&key(c))?;
        if new.files[c.file].text == old.files[o.file].text {
            continue;
        }
        // A term is wrapped in every card that uses it; a kind changes URLs.
        if c.is_term() || c.fm.kind != o.fm.kind {
            return None;
        }
        cards.insert(i);
        let fm = |c: &Card| serde_json::to_string(&c.fm).unwrap_or_default();
        if fm(c) != fm(o) {
            listed_changed.insert(c.slug.as_str());
        }
        // Bodies shown on other pages: the home page's, the contacts'.
        if !c.has_page() || c.slug == "accueil" {
            lists = true;
        }
    }
    // Cards that show a changed card's title or summary in "Voir aussi".
    for (i, c) in new.cards.iter().enumerate() {
        let cites =
            c.fm.related
                .iter()
                .chain(&c.fm.compensation)
                .chain(&c.fm.fiche)
                .any(|s| listed_changed.contains(s.as_str()));
        if cites {
            cards.insert(i);
        }
    }
    Some(crate::Changed {
        cards,
        lists: lists || !listed_changed.is_empty(),
    })
}

/// Size and modification time of every file under the watched paths.
fn watched(roots: &[PathBuf]) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    for r in roots {
        for e in walkdir::WalkDir::new(r).into_iter().flatten() {
            if let Ok(m) = e.metadata()
                && m.is_file()
            {
                out.insert(e.into_path(), (m.len(), m.modified().ok()));
            }
        }
    }
    out
}

fn changes<V: PartialEq>(a: &BTreeMap<PathBuf, V>, b: &BTreeMap<PathBuf, V>) -> BTreeSet<PathBuf> {
    let mut out: BTreeSet<PathBuf> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_added_removed_and_modified_files() {
        let a: BTreeMap<PathBuf, u8> = [("a".into(), 1), ("b".into(), 1)].into();
        let b: BTreeMap<PathBuf, u8> = [("b".into(), 2), ("c".into(), 1)].into();
        let got: Vec<PathBuf> = changes(&a, &b).into_iter().collect();
        assert_eq!(got, vec![PathBuf::from("a"), "b".into(), "c".into()]);
    }
}
