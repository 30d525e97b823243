//! Stage 4: render.
//!
//! Takes: linked cards, the configuration and the parsed templates
//! (`templates`). Gives: every HTML page (fiches here, the pages that list
//! cards in `pages`, the whole guide and printed pages in `print`) and
//! `sitemap.xml`. Each page gets a small context (never the whole guide,
//! except the pages that list it all); what pages share is in `Site`.
//! Reports: template errors, naming the template.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::Sink;
use crate::model::*;
use crate::view::{CardRef, CardView, Labelled, PrintLinks, card_ref, card_view};

pub mod body;
pub mod pages;
pub mod templates;
pub mod minify;
pub mod print;
pub mod trouver;

pub use templates::{Templates, templates};

/// The body of a card as HTML, its links made relative with `root` ("", "../"),
/// its section icons those of `theme` (the one it was transformed with).
pub fn body_html(card: &Card, theme: &crate::theme::Theme, root: &str) -> String {
    body::html(&card.body, theme, root, None)
}

/// The body as HTML, each link numbered in `refs` followed by its print-only
/// `[n]` mark (issue 5: on paper, the address is in a numbered list).
pub fn body_html_refs(card: &Card, cfg: &Config, root: &str, refs: Option<&PrintLinks>) -> String {
    body::html(&card.body, &cfg.presentation, root, refs)
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
        v.body = self.compact(
            body_html_refs(c, self.cfg, root, Some(&v.print_links)),
            in_layout,
        );
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
                templates::error_chain(e)
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
            .and_then(|b| print::qr_svg(&format!("{b}{path}"), &self.cfg.presentation.qr_label));
        ctx.insert("print_qr", &qr);
        let template = if c.fm.kind == Kind::Parcours {
            "parcours.html"
        } else {
            "fiche.html"
        };
        self.page(template, &path, &ctx, diags)
    }
}
