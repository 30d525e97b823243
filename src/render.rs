//! Stage 4: render.
//!
//! Takes: linked cards and the configuration. Gives: every HTML page
//! (fiches, listings, home, A–Z, glossary, contacts, full guide, 404...) and
//! `sitemap.xml`. Templates are parsed once; each page gets a small context
//! (never the whole guide, except the pages that list it all).
//! Reports: template errors, naming the template.

use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Sink;
use crate::model::*;
use crate::view::{CardRef, CardView, Labelled, PrintLinks, card_ref, card_view};

pub mod body;
pub mod minify;
pub mod print;
pub mod trouver;

/// The parsed templates, and whether they were minified when loaded (then
/// the pages they render need no minification pass of their own).
pub struct Templates {
    pub tera: Tera,
    pub minified: bool,
}

/// Loads the theme's templates, then the site's own `templates/` over them;
/// with `minify` in guide.toml, minifies them first (see `render::minify`).
pub fn templates(root: &Path, cfg: &Config, diags: &mut Vec<Diagnostic>) -> Option<Templates> {
    let mut files: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for dir in [
        cfg.theme_dir(root).join("templates"),
        root.join("templates"),
    ] {
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                let name = crate::load::rel_path(&dir, e.path());
                files.insert(name, e.into_path());
            }
        }
    }
    if files.is_empty() {
        diags.push(
            Diagnostic::file("theme", &cfg.theme, "aucun gabarit trouvé dans le thème")
                .help("vérifiez `theme` dans guide.toml : le dossier doit contenir templates/"),
        );
        return None;
    }
    let invalid = |e: &dyn std::error::Error| {
        Diagnostic::file(
            "gabarit",
            &cfg.theme,
            format!("gabarit invalide : {}", error_chain(e)),
        )
    };
    let mut sources: Vec<(String, String)> = Vec::with_capacity(files.len());
    for (name, path) in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push((name, text)),
            Err(e) => {
                diags.push(invalid(&std::io::Error::new(
                    e.kind(),
                    format!("{} : {e}", path.display()),
                )));
                return None;
            }
        }
    }
    for (_, text) in sources.iter_mut() {
        if text.contains(ICON_CALL) {
            *text = fold_icons(text);
        }
    }
    let minified = cfg.minify && minify_all(&mut sources);
    // Tera's parser takes most of the loading time (about a thousand
    // instructions per character): the templates are parsed in parallel,
    // then put together as `Tera::add_raw_templates` does.
    let parsed: Vec<tera::Result<tera::Template>> = sources
        .par_iter()
        .map(|(name, text)| {
            tera::Template::new(name, None, text)
                .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
        })
        .collect();
    let mut tera = Tera::default();
    for ((name, _), template) in sources.into_iter().zip(parsed) {
        match template {
            Ok(t) => {
                tera.templates.insert(name, t);
            }
            Err(e) => {
                diags.push(invalid(&e));
                return None;
            }
        }
    }
    if let Err(e) = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
    {
        diags.push(invalid(&e));
        return None;
    }
    if minified {
        tera.set_escape_fn(crate::model::escape_html);
    }
    tera.register_function("icon", icon_fn);
    Some(Templates { tera, minified })
}

/// How a template calls `icon` with a name written in it.
const ICON_CALL: &str = "{{ icon(name=\"";

/// Puts the pictogram in place of each `{{ icon(name="x") | safe }}` of a
/// template once, at load, rather than calling `icon` on every page.
fn fold_icons(src: &str) -> String {
    const END: &str = "\") | safe }}";
    let mut out = String::with_capacity(src.len() + 4096);
    let mut rest = src;
    while let Some(at) = rest.find(ICON_CALL) {
        let after = &rest[at + ICON_CALL.len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        out.push_str(&rest[..at]);
        if after[name_len..].starts_with(END) {
            out.push_str(&icon(&after[..name_len]));
            rest = &after[name_len + END.len()..];
        } else {
            out.push_str(ICON_CALL);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Minifies every HTML template, or none (a page mixes several of them):
/// false when one of them cannot be minified safely.
fn minify_all(sources: &mut [(String, String)]) -> bool {
    let html = |n: &str| n.ends_with(".html");
    let mins: Option<Vec<String>> = sources
        .par_iter()
        .filter(|(n, _)| html(n))
        .map(|(_, t)| minify::template(t))
        .collect();
    let Some(mins) = mins else {
        return false;
    };
    for ((_, t), min) in sources.iter_mut().filter(|(n, _)| html(n)).zip(mins) {
        *t = min;
    }
    true
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        s.push_str(&format!(" : {x}"));
        src = x.source();
    }
    s
}

fn icon_fn(args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let name = args.get("name").and_then(|v| v.as_str()).unwrap_or("");
    Ok(tera::Value::String(icon(name).to_string()))
}

/// Inline SVG pictogram (decorative: always next to a text label).
pub fn icon(name: &str) -> String {
    let path = match name {
        "objectifs" => {
            "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a6 6 0 1 1 0 12 6 6 0 0 1 0-12zm0 4a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"
        }
        "etapes" => "M4 5h2v2H4zm4 0h12v2H8zM4 11h2v2H4zm4 0h12v2H8zm-4 6h2v2H4zm4 0h12v2H8z",
        "bon-a-savoir" => "M12 2a7 7 0 0 0-4 12.7V17h8v-2.3A7 7 0 0 0 12 2zm-3 17h6v2H9z",
        "compensation" => "M12 2a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm-7 6h14v2h-5v12h-2v-6h-0v6h-2V10H5z",
        "contacts" => {
            "M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
        }
        "ressources" => "M4 3h10l6 6v12H4zm9 1.5V10h5.5zM7 13h10v2H7zm0 4h10v2H7z",
        "specifique" => "M12 2l3 7h7l-5.5 4.5L18.5 21 12 16.5 5.5 21l2-7.5L2 9h7z",
        "commun" => {
            "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1.5 14.5L6 12l1.4-1.4 3.1 3.1 6.1-6.1L18 9z"
        }
        "en-bref" => "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2zm0-8h-2V7h2z",
        "voir-aussi" => {
            "M10 6H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4h-2v4H6V8h4zm4-4v2h4.6l-8.3 8.3 1.4 1.4L20 5.4V10h2V2z"
        }
        "valeur" => "M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z",
        "recherche" => {
            "M10 2a8 8 0 0 1 6.3 12.9l5.4 5.4-1.4 1.4-5.4-5.4A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z"
        }
        "imprimer" => {
            "M6 2h12v5H6zM4 8h16a2 2 0 0 1 2 2v7h-4v5H6v-5H2v-7a2 2 0 0 1 2-2zm4 8v4h8v-4z"
        }
        "modifier" => {
            "M3 17.2V21h3.8L17.8 9.9l-3.7-3.7zM20.7 7a1 1 0 0 0 0-1.4l-2.3-2.3a1 1 0 0 0-1.4 0l-1.8 1.8 3.7 3.7z"
        }
        "personne" => {
            "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4.4 0-9 2.2-9 5v3h18v-3c0-2.8-4.6-5-9-5z"
        }
        "attention" => "M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z",
        "reglages" => {
            "M3 5h10v2H3zm14 0h4v2h-4zm-2-2h2v6h-2zM3 11h4v2H3zm8 0h10v2H11zM7 9h2v6H7zm-4 8h12v2H3zm16 0h2v2h-2zm-2-2h2v6h-2z"
        }
        "outils-en-ligne" => "M3 4h18v12H3zm2 2v8h14V6zM1 18h22v2H1z",
        _ => "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
    };
    format!(
        "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\"><path fill=\"currentColor\" d=\"{path}\"/></svg>"
    )
}

/// Which pictogram a body section title gets, if any.
fn section_icon(title: &str) -> Option<&'static str> {
    let t = crate::text::fold(title);
    let table: [(&str, &str); 9] = [
        ("objectif", "objectifs"),
        ("etape", "etapes"),
        ("bon a savoir", "bon-a-savoir"),
        ("compensation", "compensation"),
        ("contact", "contacts"),
        ("ressource", "ressources"),
        ("specifi", "specifique"),
        ("valeur", "valeur"),
        ("attention", "attention"),
    ];
    table.iter().find(|(k, _)| t.contains(k)).map(|(_, v)| *v)
}

/// The body of a card as HTML, its links made relative with `root` ("", "../").
pub fn body_html(card: &Card, root: &str) -> String {
    body::html(&card.body, root, None)
}

/// The body as HTML, each link numbered in `refs` followed by its print-only
/// `[n]` mark (issue 5: on paper, the address is in a numbered list).
pub fn body_html_refs(card: &Card, root: &str, refs: Option<&PrintLinks>) -> String {
    body::html(&card.body, root, refs)
}

/// A file a page offers for download (a PDF, issue 16):
/// « Télécharger … (N pages, X Ko) ».
#[derive(Serialize, Debug, Clone)]
pub struct Download {
    /// Site path (`pdf/poe.pdf`), to put after the page's root.
    pub path: String,
    /// Its number of pages; 0 when it is made only when asked for (`serve`).
    pub pages: usize,
    /// Its size in kilo-octets, rounded up (`48 Ko`); empty when unknown.
    pub size: String,
}

impl Download {
    /// A file made only when a reader asks for it (`serve`): pages and size unknown.
    pub fn asked(path: &str) -> Download {
        Download {
            path: path.to_string(),
            pages: 0,
            size: String::new(),
        }
    }
}

/// The indexes of `cards` by `order`, then title: the order of the stage
/// lists, of the whole guide's PDF.
pub fn by_order(cards: &[Card]) -> Vec<usize> {
    let folded: Vec<String> = cards
        .iter()
        .map(|c| crate::text::fold(&c.fm.title))
        .collect();
    order_by(cards, &folded)
}

/// `by_order`, with the cards' titles already folded.
fn order_by(cards: &[Card], folded: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| (cards[i].fm.order.unwrap_or(i64::MAX), &folded[i]);
        key(a).cmp(&key(b))
    });
    order
}

/// Everything `render` needs, borrowed, and what every page shares,
/// computed once per build (never O(N) work per page).
pub struct Site<'a> {
    pub cfg: &'a Config,
    pub tera: &'a Tera,
    pub cards: &'a [Card],
    pub files: &'a [SourceFile],
    pub idx: &'a crate::links::Index,
    /// The templates were minified at load: bodies are made compact too.
    pub minified: bool,
    /// The context every page starts from (`site`, `has_accessibilite`).
    shared: Context,
    /// Card indexes by `order`, then title (the order of the stage lists).
    by_order: Vec<usize>,
    /// Card indexes by title, then slug (A–Z and the other lists).
    by_title: Vec<usize>,
    /// Each card as an item of a list, rendered once per build and per kind
    /// of list (see `Site::item`).
    items: Vec<[OnceLock<String>; ITEM_KINDS]>,
    /// The parts of `base.html` that depend only on `root` and `current`.
    chrome: Mutex<HashMap<(String, String), Arc<Chrome>>>,
    /// The whole guide's PDF, once made: the home page and
    /// `guide-complet.html` offer it with its size.
    pub guide_pdf: OnceLock<Download>,
}

/// What `base.html` prints around every page (see the template).
#[derive(Serialize)]
struct Chrome {
    entete: String,
    haut: String,
    pied: String,
}

/// The kinds of lists a card appears in: title `h2`, `h3` or `h4`, on a
/// page at the top or one folder down.
const ITEM_KINDS: usize = 6;

/// The heading level of a card's title in a list.
#[derive(Clone, Copy)]
enum Level {
    /// Listing pages (etapes/, publics/, types/).
    H2 = 0,
    /// The sections of a fiche, the lists of the home page.
    H3 = 1,
    /// The stages of the home page.
    H4 = 2,
}

/// A card as an item of a list, as `card-item.html` renders it.
type Item<'s> = Cow<'s, str>;

/// A page of `site_pages`: its path, and how to make its template and
/// context (`site_pages` renders them straight into the sink).
type Job<'s> = (String, Make<'s>);

/// What makes the template and context of a page of `site_pages`.
type Make<'s> =
    Box<dyn Fn(&mut Vec<Diagnostic>) -> Option<(&'static str, Context)> + Send + Sync + 's>;

impl<'a> Site<'a> {
    /// Prepares what the pages share.
    pub fn new(
        cfg: &'a Config,
        templates: &'a Templates,
        cards: &'a [Card],
        files: &'a [SourceFile],
        idx: &'a crate::links::Index,
    ) -> Site<'a> {
        let mut shared = Context::new();
        shared.insert("site", cfg);
        shared.insert(
            "has_accessibilite",
            &idx.cards.contains_key("accessibilite"),
        );
        let folded: Vec<String> = cards
            .iter()
            .map(|c| crate::text::fold(&c.fm.title))
            .collect();
        let by_order = order_by(cards, &folded);
        let mut by_title: Vec<usize> = (0..cards.len()).collect();
        by_title.sort_by(|&a, &b| (&folded[a], &cards[a].slug).cmp(&(&folded[b], &cards[b].slug)));
        Site {
            cfg,
            tera: &templates.tera,
            cards,
            files,
            idx,
            minified: templates.minified,
            shared,
            by_order,
            by_title,
            items: cards.iter().map(|_| Default::default()).collect(),
            chrome: Mutex::new(HashMap::new()),
            guide_pdf: OnceLock::new(),
        }
    }

    /// The head links, top and footer of the pages at `root` whose path is
    /// `current` (`""` below the top of the site), rendered once per build.
    fn chrome(&self, root: &str, current: &str, diags: &mut Vec<Diagnostic>) -> Arc<Chrome> {
        let key = (root.to_string(), current.to_string());
        if let Some(c) = self
            .chrome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Arc::clone(c);
        }
        let mut ctx = self.shared.clone();
        ctx.insert("root", root);
        ctx.insert("current", current);
        let mut part = |template: &str| {
            self.page(template, current, &ctx, diags)
                .and_then(|p| String::from_utf8(p.bytes).ok())
                .unwrap_or_default()
        };
        let chrome = Arc::new(Chrome {
            entete: part("entete.html"),
            haut: part("haut-de-page.html"),
            pied: part("pied-de-page.html"),
        });
        let mut cache = self.chrome.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(cache.entry(key).or_insert(chrome))
    }

    /// Card `i` as an item of a list (`card-item.html`) on a page at `root`:
    /// rendered the first time it is needed, then reused by every page that
    /// lists it the same way (a card is in many lists: never O(N) work per page).
    /// Borrowed from the cache: a list of thousands of cards is not copied
    /// before its page is rendered (issue 8).
    fn item(&self, i: usize, root: &str, level: Level, diags: &mut Vec<Diagnostic>) -> Item<'_> {
        let render = |diags: &mut Vec<Diagnostic>| {
            let heading = ["h2", "h3", "h4"][level as usize];
            let mut ctx = Context::new();
            ctx.insert("c", &card_ref(&self.cards[i]));
            ctx.insert("root", root);
            ctx.insert("heading", heading);
            let path = self.cards[i].url();
            let mut html = self
                .page("card-item.html", &path, &ctx, diags)
                .and_then(|p| String::from_utf8(p.bytes).ok())
                .unwrap_or_default();
            // Kept until the end of the build: without the rest of the
            // page's buffer (issue 8: 16 KiB a card, most of the memory).
            html.shrink_to_fit();
            html
        };
        let depth = match root {
            "" => 0,
            "../" => 1,
            _ => return Cow::Owned(render(diags)),
        };
        let slot = &self.items[i][level as usize * 2 + depth];
        if let Some(html) = slot.get() {
            return Cow::Borrowed(html);
        }
        let html = render(diags);
        Cow::Borrowed(slot.get_or_init(|| html))
    }

    /// Cards `indexes` as the items of a list (what `card-list.html` prints).
    fn listed(
        &self,
        indexes: impl Iterator<Item = usize>,
        root: &str,
        level: Level,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Item<'_>> {
        indexes.map(|i| self.item(i, root, level, diags)).collect()
    }

    /// A body HTML as the page needs it: without the whitespace minify-html
    /// would drop when the templates are minified (authors' raw HTML, when
    /// allowed, is left as it is). `in_layout`: see `minify::body`.
    fn compact(&self, html: String, in_layout: bool) -> String {
        if self.minified && !self.cfg.allow_html {
            minify::body(&html, in_layout)
        } else {
            html
        }
    }

    /// The view of a card with its body for a page at `root`, made compact.
    fn view(&self, c: &Card, root: &str, in_layout: bool) -> CardView {
        let base = self.cfg.base();
        let mut v = card_view(
            c,
            self.cards,
            self.idx,
            &self.files[c.file].rel,
            base.as_deref(),
        );
        v.body = self.compact(body_html_refs(c, root, Some(&v.print_links)), in_layout);
        v
    }

    /// The cards `slugs` name, as items of a list at `root` (title h3).
    fn items_of(&self, slugs: &[String], root: &str, diags: &mut Vec<Diagnostic>) -> Vec<Item<'_>> {
        let indexes = slugs.iter().filter_map(|s| self.idx.cards.get(s).copied());
        self.listed(indexes, root, Level::H3, diags)
    }

    fn base_context(&self, path: &str, title: &str, diags: &mut Vec<Diagnostic>) -> Context {
        let mut ctx = self.shared.clone();
        let mut root = "../".repeat(path.matches('/').count());
        // A server sends 404.html for a missing page in any folder: with the
        // public address known, its links start at the site's path, so that
        // its styles and menu work at /guide/fiches/missing.html too.
        if path == "404.html" {
            root = self.cfg.base_path().unwrap_or(root);
        }
        // The menu and the footer link only to pages at the top of the site.
        let current = if root.is_empty() { path } else { "" };
        ctx.insert("chrome", &*self.chrome(&root, current, diags));
        ctx.insert("root", &root);
        ctx.insert("path", path);
        ctx.insert("page_title", title);
        ctx.insert("page_url", &self.cfg.base().map(|b| format!("{b}{path}")));
        ctx
    }

    /// The stages or publics, each with its listing page.
    fn choices(choices: &Choices, dir: &str) -> Vec<Labelled> {
        choices
            .values
            .iter()
            .enumerate()
            .map(|(i, (v, l))| Labelled {
                id: v.to_string(),
                label: l.to_string(),
                url: format!("{dir}/{v}.html"),
                num: i + 1,
            })
            .collect()
    }

    fn page(
        &self,
        template: &str,
        path: &str,
        ctx: &Context,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Page> {
        let mut bytes = Vec::with_capacity(16 * 1024);
        match self.tera.render_to(template, ctx, &mut bytes) {
            Ok(()) => Some(Page {
                path: path.to_string(),
                bytes,
            }),
            Err(e) => {
                diags.push(self.template_error(template, path, &e));
                None
            }
        }
    }

    /// `page`, written into `sink` as it renders: the pages that list every
    /// card weigh megabytes in a large guide (issue 8). A write error is the
    /// sink's to report.
    fn stream(
        &self,
        template: &str,
        path: &str,
        ctx: &Context,
        sink: &dyn Sink,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut failed = None;
        let _ = sink.put_streamed(path, &mut |w| {
            // Tera writes each piece of text on its own: gathered first.
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
            self.tera
                .render_to(template, ctx, &mut w)
                .map_err(|e| {
                    let error = std::io::Error::other(e.to_string());
                    failed = Some(e);
                    error
                })
                .and_then(|()| std::io::Write::flush(&mut w))
        });
        if let Some(e) = failed {
            diags.push(self.template_error(template, path, &e));
        }
    }

    fn template_error(&self, template: &str, path: &str, e: &tera::Error) -> Diagnostic {
        Diagnostic::file(
            "gabarit",
            &format!("{}/templates/{template}", self.cfg.theme),
            format!(
                "erreur dans le gabarit en écrivant {path} : {}",
                error_chain(e)
            ),
        )
    }

    fn alpha_refs(&self, filter: impl Fn(&Card) -> bool) -> Vec<CardRef> {
        self.refs(&self.by_title, filter)
    }

    fn refs(&self, order: &[usize], filter: impl Fn(&Card) -> bool) -> Vec<CardRef> {
        order
            .iter()
            .map(|&i| &self.cards[i])
            .filter(|c| filter(c))
            .map(card_ref)
            .collect()
    }

    /// The cards of `order` that `filter` keeps, as items of a list.
    fn list(
        &self,
        order: &[usize],
        filter: impl Fn(&Card) -> bool,
        root: &str,
        level: Level,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Item<'_>> {
        let kept = order.iter().copied().filter(|&i| filter(&self.cards[i]));
        self.listed(kept, root, level, diags)
    }

    #[doc(hidden)]
    pub fn debug_context(&self, c: &Card) -> Context {
        let path = c.url();
        let mut ctx = self.base_context(&path, &c.fm.title, &mut Vec::new());
        let root: String = "../".repeat(path.matches('/').count());
        ctx.insert("card", &self.view(c, &root, true));
        ctx.insert(
            "related",
            &self.items_of(&c.fm.related, &root, &mut Vec::new()),
        );
        ctx.insert(
            "compensation",
            &self.items_of(&c.fm.compensation, &root, &mut Vec::new()),
        );
        ctx.insert("print_qr", &None::<String>);
        ctx.insert("pdf", &None::<Download>);
        ctx
    }

    /// The page of one card; `pdf`: its PDF, offered for download.
    pub fn card_page(
        &self,
        c: &Card,
        pdf: Option<&Download>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Page> {
        let path = c.url();
        let mut ctx = self.base_context(&path, &c.fm.title, diags);
        ctx.insert("pdf", &pdf);
        let root: String = "../".repeat(path.matches('/').count());
        ctx.insert("card", &self.view(c, &root, true));
        ctx.insert("related", &self.items_of(&c.fm.related, &root, diags));
        ctx.insert(
            "compensation",
            &self.items_of(&c.fm.compensation, &root, diags),
        );
        let qr = self
            .cfg
            .base()
            .and_then(|b| print::qr_svg(&format!("{b}{path}")));
        ctx.insert("print_qr", &qr);
        let template = if c.fm.kind == Kind::Parcours {
            "parcours.html"
        } else {
            "fiche.html"
        };
        self.page(template, &path, &ctx, diags)
    }

    /// Every page that lists cards or gathers the whole guide, handed to
    /// `sink` as they are rendered, in parallel; then `sitemap.xml`.
    pub fn site_pages(&self, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) {
        let jobs = self.site_jobs();
        let mut paths: Vec<String> = jobs.iter().map(|(p, _)| p.clone()).collect();
        let (found, guide): (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) = rayon::join(
            || {
                jobs.par_iter()
                    .map(|(path, job)| {
                        let mut local = Vec::new();
                        if let Some((template, ctx)) = job(&mut local) {
                            self.stream(template, path, &ctx, sink, &mut local);
                        }
                        local
                    })
                    .collect()
            },
            || {
                let mut local = Vec::new();
                print::guide_page(self, sink, &mut local);
                local
            },
        );
        diags.extend(found.into_iter().flatten());
        diags.extend(guide);
        if let Some(base) = self.cfg.base() {
            paths.push("guide-complet.html".into());
            sink.put(sitemap(&base, self.cards, paths));
        }
    }

    /// The pages of `site_pages` but the full guide, not rendered yet.
    fn site_jobs(&self) -> Vec<Job<'_>> {
        let mut jobs: Vec<Job> = Vec::new();
        jobs.push(("index.html".into(), Box::new(|d| self.home(d))));
        // A list of cards; `alpha`: by title, else by `order` (stages).
        type Filter<'f> = Box<dyn Fn(&Card) -> bool + Send + Sync + 'f>;
        let listing =
            |path: String, title: String, intro: String, alpha: bool, keep: Filter<'a>| {
                let job = move |diags: &mut Vec<Diagnostic>| {
                    let order = if alpha {
                        &self.by_title
                    } else {
                        &self.by_order
                    };
                    let mut ctx = self.base_context(&path, &title, diags);
                    ctx.insert("intro", &intro);
                    let root = "../".repeat(path.matches('/').count());
                    ctx.insert("cards", &self.list(order, &keep, &root, Level::H2, diags));
                    Some(("liste.html", ctx))
                };
                let job: Make<'_> = Box::new(job);
                job
            };
        let is_fiche = |c: &Card| c.fm.kind.is_fiche();
        for (v, l) in STAGES.values {
            let path = format!("etapes/{v}.html");
            let intro = format!("Les solutions de l'étape « {l} ».");
            let keep = move |c: &Card| is_fiche(c) && c.fm.stages.iter().any(|s| s == v);
            let job = listing(path.clone(), l.to_string(), intro, false, Box::new(keep));
            jobs.push((path, job));
        }
        for (v, l) in PUBLICS.values {
            let path = format!("publics/{v}.html");
            let intro = format!("Les fiches qui concernent ce public : {l}.");
            let title = format!("Solutions pour : {l}");
            let keep = move |c: &Card| is_fiche(c) && c.fm.publics.iter().any(|s| s == v);
            jobs.push((
                path.clone(),
                listing(path, title, intro, true, Box::new(keep)),
            ));
        }
        for kind in Kind::ALL.into_iter().filter(|&k| k != Kind::Page) {
            let path = format!("types/{kind}.html");
            let intro = format!("Toutes les fiches de type « {} ».", kind.label());
            let keep = move |c: &Card| c.fm.kind == kind;
            let job = listing(
                path.clone(),
                kind.label().into(),
                intro,
                true,
                Box::new(keep),
            );
            jobs.push((path, job));
        }
        jobs.push((
            "a-z.html".into(),
            Box::new(|diags| {
                let mut ctx = self.base_context("a-z.html", "Toutes les fiches de A à Z", diags);
                ctx.insert(
                    "letters",
                    &by_letter(self.alpha_refs(|c| c.fm.kind != Kind::Page)),
                );
                Some(("a-z.html", ctx))
            }),
        ));
        for (path, title, kind) in [
            ("glossaire.html", "Glossaire", Kind::Terme),
            ("contacts.html", "Contacts et acteurs clés", Kind::Acteur),
        ] {
            jobs.push((
                path.into(),
                Box::new(move |diags| self.gathered(path, title, kind, diags)),
            ));
        }
        for (path, title) in [
            ("recherche.html", "Rechercher"),
            ("404.html", "Page introuvable"),
        ] {
            jobs.push((
                path.into(),
                Box::new(move |diags| {
                    let mut ctx = self.base_context(path, title, diags);
                    ctx.insert("stages", &Self::choices(&STAGES, "etapes"));
                    ctx.insert("publics", &Self::choices(&PUBLICS, "publics"));
                    Some((path, ctx))
                }),
            ));
        }
        jobs.push((
            "trouver.html".into(),
            Box::new(|diags| {
                let mut ctx = self.base_context("trouver.html", "Trouver une solution", diags);
                trouver::context(&mut ctx);
                Some(("trouver.html", ctx))
            }),
        ));
        jobs
    }

    /// Home page: the "accueil" card's text, then each stage with its fiches.
    fn home(&self, diags: &mut Vec<Diagnostic>) -> Option<(&'static str, Context)> {
        let mut ctx = self.base_context("index.html", &self.cfg.title, diags);
        ctx.insert("guide_pdf", &self.guide_pdf.get());
        ctx.insert("offline_zip", &self.cfg.offline_zip);
        ctx.insert("offline_copy", &false);
        if let Some(&i) = self.idx.cards.get("accueil") {
            ctx.insert("card", &self.view(&self.cards[i], "", true));
        }
        let by_stage: Vec<(Labelled, Vec<Item>)> = Self::choices(&STAGES, "etapes")
            .into_iter()
            .map(|st| {
                let cards = self.list(
                    &self.by_order,
                    |c| c.fm.kind == Kind::Dispositif && c.fm.stages.contains(&st.id),
                    "",
                    Level::H4,
                    diags,
                );
                (st, cards)
            })
            .collect();
        ctx.insert("by_stage", &by_stage);
        ctx.insert("publics", &Self::choices(&PUBLICS, "publics"));
        let parcours = |c: &Card| c.fm.kind == Kind::Parcours;
        let parcours = self.list(&self.by_title, parcours, "", Level::H3, diags);
        ctx.insert("parcours", &parcours);
        ctx.insert(
            "situations",
            &self.alpha_refs(|c| c.fm.kind == Kind::Situation),
        );
        let outils = self.list(
            &self.by_order,
            |c| c.fm.kind == Kind::Outil,
            "",
            Level::H3,
            diags,
        );
        ctx.insert("outils", &outils);
        Some(("index.html", ctx))
    }

    /// The home page of the offline copy: it says that the reader reads the
    /// offline copy instead of offering it (a zip cannot hold itself).
    pub fn offline_home(&self, diags: &mut Vec<Diagnostic>) -> Option<Page> {
        let (template, mut ctx) = self.home(diags)?;
        ctx.insert("offline_copy", &true);
        self.page(template, "index.html", &ctx, diags)
    }

    /// Glossary and contacts: the cards of one kind shown in full on one page.
    fn gathered(
        &self,
        path: &'static str,
        title: &str,
        kind: Kind,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(&'static str, Context)> {
        let mut ctx = self.base_context(path, title, diags);
        let order = if kind == Kind::Terme {
            &self.by_title
        } else {
            &self.by_order
        };
        let list: Vec<&Card> = order
            .iter()
            .map(|&i| &self.cards[i])
            .filter(|c| c.fm.kind == kind)
            .collect();
        // Glossary entries go in a `dd`, contacts in a `div`.
        let views: Vec<CardView> = list
            .par_iter()
            .map(|c| self.view(c, "", kind != Kind::Terme))
            .collect();
        // `initials[i]` is the letter of `cards[i]`: the glossary groups by it.
        let initials: Vec<String> = views
            .iter()
            .map(|v| first_letter(&v.base.title).unwrap_or_else(|| "#".into()))
            .collect();
        let mut letters = initials.clone();
        letters.dedup();
        ctx.insert("initials", &initials);
        ctx.insert("cards", &views);
        ctx.insert("letters", &letters);
        Some((path, ctx))
    }
}

fn first_letter(title: &str) -> Option<String> {
    crate::text::fold(title)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase().to_string())
}

fn by_letter(refs: Vec<CardRef>) -> Vec<(String, Vec<CardRef>)> {
    let mut out: Vec<(String, Vec<CardRef>)> = Vec::new();
    for r in refs {
        let l = first_letter(&r.title).unwrap_or_else(|| "#".into());
        match out.last_mut() {
            Some((k, v)) if *k == l => v.push(r),
            _ => out.push((l, vec![r])),
        }
    }
    out
}

fn sitemap(base: &str, cards: &[Card], paths: Vec<String>) -> Page {
    let mut urls: Vec<String> = paths
        .into_iter()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect();
    urls.extend(
        cards
            .iter()
            .filter(|c| c.has_page() && c.slug != "accueil")
            .map(|c| c.url()),
    );
    urls.sort();
    urls.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::model::escape_html(&format!("{base}{u}"))
        ));
    }
    xml.push_str("</urlset>\n");
    Page {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
