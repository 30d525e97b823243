//! The view of a card: what a reader is shown of it, built once.
//!
//! Takes: a linked card, the cards it names, the public address of the site.
//! Gives: `CardView`, plain data with French labels, that every output reads
//! the same way: the fiche page and its printed version, the glossary and
//! contacts entries, `guide-complet.html`, the search results' snippet and
//! the PDF. A block a page shows (the facts, the links, the related cards...)
//! is written once in the theme, from these fields.
//! Reports: nothing (the cards are checked by then).

use serde::Serialize;
use std::collections::BTreeMap;

use crate::links::Index;
use crate::model::SITE;
use crate::model::{
    Card, Choices, DROITS, Heading, Kind, LINK_KINDS, Link, PUBLICS, PendantArret, Regimes,
    SITUATIONS, STAGES, TERRITOIRES,
};

/// A value with its French label (and its listing page, when it has one).
#[derive(Serialize, Clone, Debug)]
pub struct Labelled {
    /// The value as written in front matter (`demandeur-emploi`).
    pub id: String,
    /// Its French label (`Demandeur d'emploi`).
    pub label: String,
    /// Site path of its listing page (`publics/demandeur-emploi.html`), or "".
    pub url: String,
    /// Its place in its list, from 1 (a stage's number on the home page).
    pub num: usize,
}

/// A short reference to a card, for lists and links to it.
#[derive(Serialize, Clone, Debug)]
pub struct CardRef {
    /// File name without `.md`.
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    pub kind: Kind,
    /// Site path of its page or anchor.
    pub url: String,
    pub summary: String,
    pub droit: Option<Labelled>,
}

/// A link to another card from a card's view (its fiche, related and
/// compensation cards): what the guide page and the glossary show of it,
/// without the summary a list item shows (fiche pages list those cards
/// with their own items, `render::Site::item`).
#[derive(Serialize, Clone, Debug)]
pub struct CardLink {
    /// File name without `.md`.
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    pub kind: Kind,
    /// Site path of its page or anchor.
    pub url: String,
}

/// The link to a card.
pub fn card_link(c: &Card) -> CardLink {
    CardLink {
        slug: c.slug.clone(),
        title: c.fm.title.clone(),
        acronym: c.fm.acronym.clone(),
        kind: c.fm.kind,
        url: c.url(),
    }
}

/// The `[[links]]` of one kind, with the kind's French name.
#[derive(Serialize, Clone, Debug)]
pub struct LinkGroup {
    /// `contact`, `ressource` or `outil`.
    pub kind: &'static str,
    /// `Contacts`, `Ressources`, `Outils en ligne`.
    pub label: &'static str,
    pub links: Vec<Link>,
}

/// Everything a page shows of one card.
#[derive(Serialize, Clone, Debug)]
pub struct CardView {
    #[serde(flatten)]
    pub base: CardRef,
    /// `Dispositifs`, `Glossaire`...
    pub kind_label: &'static str,
    pub stages: Vec<Labelled>,
    pub publics: Vec<Labelled>,
    pub territoire: Vec<Labelled>,
    pub situations: Vec<Labelled>,
    /// `2025-01-15`.
    pub updated: String,
    /// `15 janvier 2025`.
    pub updated_fr: String,
    /// "La solution en points clefs": (French label, text).
    pub points: Vec<(&'static str, String)>,
    pub regimes: Option<Regimes>,
    pub pendant_arret_travail: Option<PendantArret>,
    pub term: Option<String>,
    pub expansion: Option<String>,
    pub aliases: Vec<String>,
    /// The questions the card answers, in readers' words (issue 20).
    pub questions: Vec<String>,
    /// The fiche a glossary term or a contact points at.
    pub fiche: Option<CardLink>,
    pub related: Vec<CardLink>,
    pub compensation: Vec<CardLink>,
    /// The `[[links]]` by kind, in the order of `LINK_KINDS`; no empty group.
    pub links: Vec<LinkGroup>,
    /// The link addresses printed at the end of the card (issue 5).
    pub print_links: PrintLinks,
    /// The h2 headings of the body when there are more than 3 (a table of contents).
    pub sommaire: Vec<Heading>,
    /// The card's file, relative to the site root (`content/dispositifs/poe.md`).
    pub source: String,
    /// The body as HTML: empty here; each HTML page puts in the body made
    /// for it (its root, its pictograms, its print marks: `render`).
    pub body: String,
    /// A draft shown by `serve` (never in a build): the page says so.
    pub draft: bool,
}

fn labelled(choices: &Choices, values: &[String], dir: &str) -> Vec<Labelled> {
    choices
        .values
        .iter()
        .enumerate()
        .filter(|(_, (v, _))| values.iter().any(|x| x == v))
        .map(|(i, (v, l))| Labelled {
            num: i + 1,
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
        kind: c.fm.kind,
        url: c.url(),
        summary: c.fm.summary.clone(),
        droit: c.fm.droit.as_ref().map(|d| Labelled {
            id: d.clone(),
            label: DROITS.label(d).to_string(),
            url: String::new(),
            num: DROITS
                .values
                .iter()
                .position(|(v, _)| v == d)
                .map_or(0, |i| i + 1),
        }),
    }
}

/// The view of card `c`; `all` and `idx` give the cards it names, `base`
/// the site's public address (printed addresses of its own pages).
pub fn card_view(
    c: &Card,
    all: &[Card],
    idx: &Index,
    source: &str,
    base: Option<&str>,
) -> CardView {
    let p = c.fm.points.clone().unwrap_or_default();
    let points = [
        ("Nature", p.nature),
        ("Publics éligibles", p.publics),
        ("Opérateurs", p.operateurs),
        ("Prescripteurs", p.prescripteurs),
        ("Financement", p.financement),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let links = LINK_KINDS
        .values
        .iter()
        .map(|&(kind, label)| LinkGroup {
            kind,
            label,
            links: c
                .fm
                .links
                .iter()
                .filter(|l| l.kind == kind)
                .cloned()
                .collect(),
        })
        .filter(|g| !g.links.is_empty())
        .collect();
    let refs = |slugs: &[String]| -> Vec<CardLink> {
        slugs
            .iter()
            .filter_map(|s| idx.cards.get(s))
            .map(|&i| card_link(&all[i]))
            .collect()
    };
    let fiche =
        c.fm.fiche
            .as_ref()
            .or(c.is_term().then_some(&c.slug))
            .and_then(|s| idx.cards.get(s))
            .map(|&i| card_link(&all[i]));
    let h2: Vec<Heading> = c
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .cloned()
        .collect();
    CardView {
        draft: c.fm.draft,
        base: card_ref(c),
        kind_label: c.fm.kind.label(),
        stages: labelled(&STAGES, &c.fm.stages, "etapes"),
        publics: labelled(&PUBLICS, &c.fm.publics, "publics"),
        territoire: labelled(&TERRITOIRES, &c.fm.territoire, ""),
        situations: labelled(&SITUATIONS, &c.fm.situations, ""),
        updated: c.fm.updated.to_string(),
        updated_fr: crate::dates::date_fr(&c.fm.updated),
        points,
        regimes: c.fm.regimes.clone(),
        pendant_arret_travail: c.fm.pendant_arret_travail.clone(),
        term: c.fm.term.clone(),
        expansion: c.fm.expansion.clone(),
        aliases: c.fm.aliases.clone(),
        questions: c.fm.questions.clone(),
        fiche,
        related: refs(&c.fm.related),
        compensation: refs(&c.fm.compensation),
        links,
        print_links: PrintLinks::of(c, base),
        sommaire: if h2.len() > 3 { h2 } else { Vec::new() },
        source: source.to_string(),
        body: String::new(),
    }
}

/// The short text search results show under a card's summary: the long
/// form of a term, else the nature of a dispositif, else the first line of
/// its text.
pub fn snippet(c: &Card) -> &str {
    match (
        &c.fm.expansion,
        c.fm.points.as_ref().and_then(|p| p.nature.as_deref()),
    ) {
        (Some(e), _) => e.as_str(),
        (None, Some(n)) => n,
        (None, None) => c.text.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
    }
}

/// One numbered link address, as printed at the end of a card.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PrintLink {
    pub n: usize,
    pub title: String,
    /// The address as printed (no `mailto:`, full URL of a page of the guide).
    pub url: String,
    /// The link's destination as written in the card.
    pub href: String,
    /// An e-mail address or a phone number that the text already prints in
    /// full (spaces aside): not printed a second time.
    pub in_text: bool,
}

/// The links of a card with their printed addresses, numbered in reading
/// order: first the links of the body (one number per address), then the
/// `[[links]]` of the front matter, by group ("Contacts", "Ressources"...).
#[derive(Serialize, Clone, Debug, Default)]
pub struct PrintLinks {
    pub text: Vec<PrintLink>,
    pub groups: Vec<(String, Vec<PrintLink>)>,
    /// How many addresses a fiche's printed list shows (those not `in_text`).
    pub printed: usize,
    /// Body link destination → its number.
    #[serde(skip)]
    by_dest: BTreeMap<String, usize>,
}

impl PrintLinks {
    /// Numbers the links of a card. Links of the body to other pages of the
    /// guide get no number, even when `base` (the public address) is known:
    /// the link text names the other fiche, the letterhead gives this fiche's
    /// address, and a full address per link made the median fiche 3 pages.
    /// `base` gives the address of a `[[links]]` entry inside the guide.
    pub fn of(card: &Card, base: Option<&str>) -> PrintLinks {
        let mut out = PrintLinks::default();
        for (dest, text) in &card.body.links {
            out.add_text_link(dest, text);
        }
        // The body without its spaces (also no-break ones): "02 99 04 09 67"
        // holds "0299040967". Made only for a card with such a link.
        let mut flat: Option<String> = None;
        let mut in_text = |url: &str| {
            flat.get_or_insert_with(|| card.body.html.replace([' ', '\u{a0}', '\u{202f}'], ""))
                .contains(url)
        };
        let mut n = out.text.len();
        for (kind, label) in LINK_KINDS.values {
            let list: Vec<PrintLink> = card
                .fm
                .links
                .iter()
                .filter(|l| l.kind == *kind)
                .filter_map(|l| {
                    let url = printed_url(&l.url, base)?;
                    let contact = l.url.starts_with("mailto:") || l.url.starts_with("tel:");
                    n += 1;
                    Some(PrintLink {
                        n,
                        title: l.title.clone(),
                        in_text: contact && in_text(&url),
                        url,
                        href: l.url.clone(),
                    })
                })
                .collect();
            if !list.is_empty() {
                out.groups.push((label.to_string(), list));
            }
        }
        let in_groups = out.groups.iter().flat_map(|g| &g.1);
        out.printed = out.text.len() + in_groups.filter(|l| !l.in_text).count();
        out
    }

    fn add_text_link(&mut self, dest: &str, text: &str) {
        let Some(url) = printed_url(dest, None) else {
            return;
        };
        let n = match self.text.iter().find(|l| l.url == url) {
            Some(l) => l.n,
            None => {
                let n = self.text.len() + 1;
                let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.text.push(PrintLink {
                    n,
                    title,
                    url,
                    href: dest.to_string(),
                    in_text: false,
                });
                n
            }
        };
        self.by_dest.insert(dest.to_string(), n);
    }

    /// The number printed after a body link to `dest`, if it has one.
    pub fn number(&self, dest: &str) -> Option<usize> {
        self.by_dest.get(dest).copied()
    }
}

/// The address printed for a link destination; `None` when paper needs none
/// (in-page anchors, and links inside the guide when `base` is unknown).
pub fn printed_url(dest: &str, base: Option<&str>) -> Option<String> {
    let lower = dest.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(dest.trim().to_string());
    }
    for scheme in ["mailto:", "tel:"] {
        if lower.starts_with(scheme) {
            return Some(dest.trim()[scheme.len()..].to_string());
        }
    }
    let rest = dest.strip_prefix(SITE)?;
    base.map(|b| format!("{b}{rest}"))
}
