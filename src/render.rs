//! Stage 4: render.
//!
//! Takes: linked cards and the configuration. Gives: every HTML page
//! (fiches, listings, home, A–Z, glossary, contacts, full guide, 404...) and
//! `sitemap.xml`. Templates are parsed once; each page gets a small context
//! (never the whole guide, except the pages that list it all).
//! Reports: template errors, naming the template.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::*;

pub mod body;
pub mod print;

/// Loads the theme's templates, then the site's own `templates/` over them.
pub fn templates(root: &Path, cfg: &Config, diags: &mut Vec<Diagnostic>) -> Option<Tera> {
    let mut tera = Tera::default();
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
    let list: Vec<(std::path::PathBuf, Option<String>)> =
        files.into_iter().map(|(n, p)| (p, Some(n))).collect();
    if let Err(e) = tera.add_template_files(list) {
        diags.push(Diagnostic::file(
            "gabarit",
            &cfg.theme,
            format!("gabarit invalide : {}", error_chain(&e)),
        ));
        return None;
    }
    tera.register_function("icon", icon_fn);
    Some(tera)
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
    let t = crate::search::fold(title);
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
pub fn body_html_refs(card: &Card, root: &str, refs: Option<&print::PrintLinks>) -> String {
    body::html(&card.body, root, refs)
}

/// "2025-01-15" → "15 janvier 2025".
pub fn date_fr(d: &toml::value::Datetime) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    match d.date {
        Some(date) => {
            let day = if date.day == 1 {
                "1er".to_string()
            } else {
                date.day.to_string()
            };
            format!(
                "{day} {} {}",
                MONTHS
                    .get(usize::from(date.month).saturating_sub(1))
                    .unwrap_or(&""),
                date.year
            )
        }
        None => d.to_string(),
    }
}

/// A value with its French label, for templates.
#[derive(Serialize, Clone)]
pub struct Labelled {
    pub id: String,
    pub label: String,
    pub url: String,
}

/// A short reference to a card, for lists.
#[derive(Serialize, Clone)]
pub struct CardRef {
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub url: String,
    pub summary: String,
    pub droit: Option<Labelled>,
    pub stages: Vec<Labelled>,
}

/// Everything a template needs about one card.
#[derive(Serialize)]
pub struct CardView {
    #[serde(flatten)]
    pub base: CardRef,
    pub kind_label: String,
    pub publics: Vec<Labelled>,
    pub territoire: Vec<Labelled>,
    pub situations: Vec<Labelled>,
    pub updated: String,
    pub updated_fr: String,
    pub points: Vec<(String, String)>,
    pub links: Vec<(String, Vec<Link>)>,
    pub related: Vec<CardRef>,
    pub compensation: Vec<CardRef>,
    pub regimes: Option<Regimes>,
    pub pendant_arret_travail: Option<PendantArret>,
    pub term: Option<String>,
    pub expansion: Option<String>,
    pub fiche: Option<CardRef>,
    pub aliases: Vec<String>,
    pub headings: Vec<Heading>,
    pub body: String,
    pub source: String,
    /// The link addresses printed at the end of the card (issue 5).
    pub print_links: print::PrintLinks,
}

fn labelled(choices: &Choices, values: &[String], dir: &str) -> Vec<Labelled> {
    choices
        .values
        .iter()
        .filter(|(v, _)| values.iter().any(|x| x == v))
        .map(|(v, l)| Labelled {
            id: v.to_string(),
            label: l.to_string(),
            url: if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/{v}.html")
            },
        })
        .collect()
}

/// The short reference of a card.
pub fn card_ref(c: &Card) -> CardRef {
    CardRef {
        slug: c.slug.clone(),
        title: c.fm.title.clone(),
        acronym: c.fm.acronym.clone(),
        kind: c.fm.kind.clone(),
        url: c.url(),
        summary: c.fm.summary.clone(),
        droit: c.fm.droit.as_ref().map(|d| Labelled {
            id: d.clone(),
            label: DROITS.label(d).to_string(),
            url: String::new(),
        }),
        stages: labelled(&STAGES, &c.fm.stages, "etapes"),
    }
}

/// The full view of a card, its body rendered for a page at `root`.
pub fn card_view(
    c: &Card,
    all: &[Card],
    idx: &crate::links::Index,
    files: &[SourceFile],
    root: &str,
    cfg: &Config,
) -> CardView {
    let refs = |slugs: &[String]| -> Vec<CardRef> {
        slugs
            .iter()
            .filter_map(|s| idx.cards.get(s))
            .map(|&i| card_ref(&all[i]))
            .collect()
    };
    let p = c.fm.points.clone().unwrap_or_default();
    let points = [
        ("Nature", p.nature),
        ("Publics éligibles", p.publics),
        ("Opérateurs", p.operateurs),
        ("Prescripteurs", p.prescripteurs),
        ("Financement", p.financement),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
    .collect();
    let links = LINK_KINDS
        .values
        .iter()
        .map(|(k, label)| {
            (
                label.to_string(),
                c.fm.links
                    .iter()
                    .filter(|l| l.kind == *k)
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let fiche =
        c.fm.fiche
            .clone()
            .or_else(|| c.is_term().then(|| c.slug.clone()))
            .and_then(|s| idx.cards.get(&s))
            .map(|&i| card_ref(&all[i]));
    let print_links = print::PrintLinks::of(c, cfg.base().as_deref());
    CardView {
        base: card_ref(c),
        kind_label: KINDS.label(&c.fm.kind).to_string(),
        publics: labelled(&PUBLICS, &c.fm.publics, "publics"),
        territoire: labelled(&TERRITOIRES, &c.fm.territoire, ""),
        situations: labelled(&SITUATIONS, &c.fm.situations, ""),
        updated: c.fm.updated.to_string(),
        updated_fr: date_fr(&c.fm.updated),
        points,
        links,
        related: refs(&c.fm.related),
        compensation: refs(&c.fm.compensation),
        regimes: c.fm.regimes.clone(),
        pendant_arret_travail: c.fm.pendant_arret_travail.clone(),
        term: c.fm.term.clone(),
        expansion: c.fm.expansion.clone(),
        fiche,
        aliases: c.fm.aliases.clone(),
        headings: c.headings.clone(),
        body: body_html_refs(c, root, Some(&print_links)),
        source: files[c.file].rel.clone(),
        print_links,
    }
}

/// Everything `render` needs, borrowed.
pub struct Site<'a> {
    pub cfg: &'a Config,
    pub tera: &'a Tera,
    pub cards: &'a [Card],
    pub files: &'a [SourceFile],
    pub idx: &'a crate::links::Index,
}

impl Site<'_> {
    fn base_context(&self, path: &str, title: &str) -> Context {
        let depth = path.matches('/').count();
        let root = "../".repeat(depth);
        let mut ctx = Context::new();
        ctx.insert("site", self.cfg);
        ctx.insert("root", &root);
        ctx.insert(
            "has_accessibilite",
            &self.idx.cards.contains_key("accessibilite"),
        );
        ctx.insert("path", path);
        ctx.insert("page_title", title);
        let stages: Vec<Labelled> = STAGES
            .values
            .iter()
            .map(|(v, l)| Labelled {
                id: v.to_string(),
                label: l.to_string(),
                url: format!("etapes/{v}.html"),
            })
            .collect();
        ctx.insert("stages", &stages);
        let publics: Vec<Labelled> = PUBLICS
            .values
            .iter()
            .map(|(v, l)| Labelled {
                id: v.to_string(),
                label: l.to_string(),
                url: format!("publics/{v}.html"),
            })
            .collect();
        ctx.insert("publics", &publics);
        ctx.insert("page_url", &self.cfg.base().map(|b| format!("{b}{path}")));
        ctx
    }

    fn page(
        &self,
        template: &str,
        path: &str,
        ctx: &Context,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Page> {
        match self.tera.render(template, ctx) {
            Ok(s) => Some(Page {
                path: path.to_string(),
                bytes: s.into_bytes(),
            }),
            Err(e) => {
                diags.push(Diagnostic::file(
                    "gabarit",
                    &format!("{}/templates/{template}", self.cfg.theme),
                    format!(
                        "erreur dans le gabarit en écrivant {path} : {}",
                        error_chain(&e)
                    ),
                ));
                None
            }
        }
    }

    fn sorted_refs(&self, filter: impl Fn(&Card) -> bool) -> Vec<CardRef> {
        let mut v: Vec<&Card> = self.cards.iter().filter(|c| filter(c)).collect();
        v.sort_by(|a, b| {
            (
                a.fm.order.unwrap_or(i64::MAX),
                crate::search::fold(&a.fm.title),
            )
                .cmp(&(
                    b.fm.order.unwrap_or(i64::MAX),
                    crate::search::fold(&b.fm.title),
                ))
        });
        v.into_iter().map(card_ref).collect()
    }

    fn alpha_refs(&self, filter: impl Fn(&Card) -> bool) -> Vec<CardRef> {
        let mut v: Vec<&Card> = self.cards.iter().filter(|c| filter(c)).collect();
        v.sort_by_key(|c| (crate::search::fold(&c.fm.title), c.slug.clone()));
        v.into_iter().map(card_ref).collect()
    }

    /// The page of one card.
    pub fn card_page(&self, c: &Card, diags: &mut Vec<Diagnostic>) -> Option<Page> {
        let path = c.url();
        let mut ctx = self.base_context(&path, &c.fm.title);
        let root: String = "../".repeat(path.matches('/').count());
        ctx.insert(
            "card",
            &card_view(c, self.cards, self.idx, self.files, &root, self.cfg),
        );
        let qr = self
            .cfg
            .base()
            .and_then(|b| print::qr_svg(&format!("{b}{path}")));
        ctx.insert("print_qr", &qr);
        let template = if c.fm.kind == "parcours" {
            "parcours.html"
        } else {
            "fiche.html"
        };
        self.page(template, &path, &ctx, diags)
    }

    /// Every page that lists cards or gathers the whole guide.
    pub fn site_pages(&self, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
        let mut pages = Vec::new();
        let is_fiche =
            |c: &Card| matches!(c.fm.kind.as_str(), "dispositif" | "outil" | "situation");

        // Home page: the "accueil" card's text, then each stage with its fiches.
        let mut ctx = self.base_context("index.html", &self.cfg.title);
        if let Some(&i) = self.idx.cards.get("accueil") {
            ctx.insert(
                "card",
                &card_view(
                    &self.cards[i],
                    self.cards,
                    self.idx,
                    self.files,
                    "",
                    self.cfg,
                ),
            );
        }
        let by_stage: Vec<(Labelled, Vec<CardRef>)> = STAGES
            .values
            .iter()
            .map(|(v, l)| {
                (
                    Labelled {
                        id: v.to_string(),
                        label: l.to_string(),
                        url: format!("etapes/{v}.html"),
                    },
                    self.sorted_refs(|c| {
                        c.fm.kind == "dispositif" && c.fm.stages.iter().any(|s| s == v)
                    }),
                )
            })
            .collect();
        ctx.insert("by_stage", &by_stage);
        ctx.insert("parcours", &self.alpha_refs(|c| c.fm.kind == "parcours"));
        ctx.insert("situations", &self.alpha_refs(|c| c.fm.kind == "situation"));
        ctx.insert("outils", &self.sorted_refs(|c| c.fm.kind == "outil"));
        pages.extend(self.page("index.html", "index.html", &ctx, diags));

        let listing = |path: String,
                       title: String,
                       intro: String,
                       cards: Vec<CardRef>,
                       diags: &mut Vec<Diagnostic>| {
            let mut ctx = self.base_context(&path, &title);
            ctx.insert("intro", &intro);
            ctx.insert("cards", &cards);
            self.page("liste.html", &path, &ctx, diags)
        };
        for (v, l) in STAGES.values {
            let cards = self.sorted_refs(|c| is_fiche(c) && c.fm.stages.iter().any(|s| s == v));
            pages.extend(listing(
                format!("etapes/{v}.html"),
                l.to_string(),
                format!("Les solutions de l'étape « {l} »."),
                cards,
                diags,
            ));
        }
        for (v, l) in PUBLICS.values {
            let cards = self.alpha_refs(|c| is_fiche(c) && c.fm.publics.iter().any(|s| s == v));
            pages.extend(listing(
                format!("publics/{v}.html"),
                format!("Solutions pour : {l}"),
                format!("Les fiches qui concernent ce public : {l}."),
                cards,
                diags,
            ));
        }
        for (v, l) in KINDS.values {
            let cards = self.alpha_refs(|c| c.fm.kind == *v && c.fm.kind != "page");
            if *v == "page" {
                continue;
            }
            pages.extend(listing(
                format!("types/{v}.html"),
                l.to_string(),
                format!("Toutes les fiches de type « {l} »."),
                cards,
                diags,
            ));
        }

        // A–Z: every card with a page or an anchor, by first letter.
        let mut ctx = self.base_context("a-z.html", "Toutes les fiches de A à Z");
        ctx.insert(
            "letters",
            &by_letter(self.alpha_refs(|c| c.fm.kind != "page")),
        );
        pages.extend(self.page("a-z.html", "a-z.html", &ctx, diags));

        // Glossary and contacts: the cards shown in full on one page.
        for (path, title, kind) in [
            ("glossaire.html", "Glossaire", "terme"),
            ("contacts.html", "Contacts et acteurs clés", "acteur"),
        ] {
            let mut ctx = self.base_context(path, title);
            let mut list: Vec<&Card> = self.cards.iter().filter(|c| c.fm.kind == kind).collect();
            if kind == "terme" {
                list.sort_by_key(|c| crate::search::fold(&c.fm.title));
            } else {
                list.sort_by_key(|c| {
                    (
                        c.fm.order.unwrap_or(i64::MAX),
                        crate::search::fold(&c.fm.title),
                    )
                });
            }
            let views: Vec<CardView> = list
                .iter()
                .map(|c| card_view(c, self.cards, self.idx, self.files, "", self.cfg))
                .collect();
            // `initials[i]` is the letter of `cards[i]`: the glossary groups by it.
            let initials: Vec<String> = views
                .iter()
                .map(|v| first_letter(&v.base.title).unwrap_or_else(|| "#".into()))
                .collect();
            let letters: Vec<String> = {
                let mut l = initials.clone();
                l.dedup();
                l
            };
            ctx.insert("initials", &initials);
            ctx.insert("cards", &views);
            ctx.insert("letters", &letters);
            pages.extend(self.page(&format!("{}", path), path, &ctx, diags));
        }

        // The whole guide on one page, to print.
        pages.extend(print::guide_page(self, diags));

        for (path, title) in [
            ("recherche.html", "Rechercher"),
            ("404.html", "Page introuvable"),
        ] {
            let ctx = self.base_context(path, title);
            pages.extend(self.page(path, path, &ctx, diags));
        }
        let mut ctx = self.base_context("trouver.html", "Trouver une solution");
        crate::trouver::context(&mut ctx);
        pages.extend(self.page("trouver.html", "trouver.html", &ctx, diags));
        if let Some(base) = self.cfg.base() {
            pages.push(sitemap(&base, self.cards, &pages));
        }
        pages
    }
}

fn first_letter(title: &str) -> Option<String> {
    crate::search::fold(title)
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

fn sitemap(base: &str, cards: &[Card], pages: &[Page]) -> Page {
    let mut urls: Vec<String> = pages
        .iter()
        .filter(|p| p.path.ends_with(".html") && p.path != "404.html")
        .map(|p| p.path.clone())
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
            xml_escape(&format!("{base}{u}"))
        ));
    }
    xml.push_str("</urlset>\n");
    Page {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
