//! What the PDF templates get about a card and the guide, as JSON.
//!
//! Takes: a card, the cards it names, the site's configuration. Gives: the
//! plain values `fiche.typ` and `guide.typ` read (`/data.json`): title,
//! summary, key points, facts, links with their printed addresses, related
//! fiches, date, address and QR code. This is the PDF's adapter over the
//! card: the one place to switch to the shared view of a card.
//! Reports: nothing.

use serde::Serialize;

use crate::config::Config;
use crate::links::Index;
use crate::model::{Card, DROITS, KINDS, PUBLICS, SITUATIONS, STAGES, TERRITOIRES};
use crate::render::print::PrintLinks;

/// One card, as a PDF template reads it (`data.fiche` or an item of `data.fiches`).
#[derive(Serialize, Debug, Clone)]
pub struct Fiche {
    pub slug: String,
    pub title: String,
    pub acronym: Option<String>,
    /// "Dispositifs", "Outils de compensation"...
    pub kind: String,
    pub summary: String,
    /// "Droit commun" or "Droit spécifique".
    pub droit: Option<String>,
    pub stages: Vec<String>,
    /// "La solution en N points clefs": (label, text).
    pub points: Vec<(String, String)>,
    /// Publics, territory, situation, sick leave, schemes: (label, text).
    pub facts: Vec<(String, String)>,
    /// Contacts, resources, online tools, by group.
    pub links: Vec<Group>,
    /// Titles of the related fiches and of the compensation tools.
    pub related: Vec<String>,
    pub compensation: Vec<String>,
    /// "Mis à jour le …" date, in French.
    pub updated: String,
    /// The fiche's public address, when `base_url` is set.
    pub address: Option<String>,
    /// The QR code of that address (SVG).
    pub qr: Option<String>,
}

/// A group of links ("Contacts", "Ressources"...).
#[derive(Serialize, Debug, Clone)]
pub struct Group {
    pub label: String,
    pub items: Vec<Address>,
}

/// A link with its destination and its address as printed.
#[derive(Serialize, Debug, Clone)]
pub struct Address {
    pub title: String,
    pub href: String,
    pub printed: String,
}

/// The guide, for the whole guide's PDF and each fiche's letterhead.
#[derive(Serialize, Debug, Clone)]
pub struct Guide {
    pub title: String,
    pub description: String,
    pub publisher: String,
    pub precaution: String,
    /// The newest card's date, in French.
    pub updated: String,
    pub address: Option<String>,
}

/// The guide's data for the templates.
pub fn guide(cfg: &Config, updated: &str) -> Guide {
    Guide {
        title: cfg.title.clone(),
        description: cfg.description.clone(),
        publisher: cfg.publisher.clone(),
        precaution: cfg.precaution.clone(),
        updated: updated.to_string(),
        address: cfg.base(),
    }
}

fn labels(choices: &crate::model::Choices, values: &[String]) -> Vec<String> {
    choices
        .values
        .iter()
        .filter(|(v, _)| values.iter().any(|x| x == v))
        .map(|(_, l)| l.to_string())
        .collect()
}

fn yes(b: bool) -> &'static str {
    if b { "oui" } else { "non" }
}

/// One card's data for the templates.
pub fn fiche(c: &Card, cards: &[Card], idx: &Index, cfg: &Config) -> Fiche {
    let fm = &c.fm;
    let p = fm.points.clone().unwrap_or_default();
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
    let mut facts = Vec::new();
    let mut fact = |label: &str, list: Vec<String>, sep: &str| {
        if !list.is_empty() {
            facts.push((label.to_string(), format!("{}.", list.join(sep))));
        }
    };
    fact("Pour", labels(&PUBLICS, &fm.publics), ", ");
    fact("Seulement dans", labels(&TERRITOIRES, &fm.territoire), ", ");
    let situations = labels(&SITUATIONS, &fm.situations);
    fact(
        "Situation de la personne",
        situations.iter().map(|s| s.to_lowercase()).collect(),
        ", ",
    );
    if let Some(a) = &fm.pendant_arret_travail {
        let mut t = yes(a.possible).to_string();
        if let Some(n) = &a.note {
            t.push_str(". ");
            t.push_str(n);
        }
        facts.push(("Pendant un arrêt de travail".into(), t));
    }
    if let Some(r) = &fm.regimes {
        facts.push((
            "Régimes".into(),
            format!(
                "général {}, agricole {}, indépendant {}, fonction publique {}.",
                yes(r.general),
                yes(r.agricole),
                yes(r.independant),
                yes(r.fonction_publique)
            ),
        ));
    }
    let base = cfg.base();
    let printed = PrintLinks::of(c, base.as_deref());
    let links = printed
        .groups
        .iter()
        .map(|(label, list)| Group {
            label: label.clone(),
            items: list
                .iter()
                .map(|l| Address {
                    title: l.title.clone(),
                    href: match l.href.strip_prefix(crate::links::SITE) {
                        Some(_) => l.url.clone(),
                        None => l.href.clone(),
                    },
                    printed: l.url.clone(),
                })
                .collect(),
        })
        .collect();
    let titles = |slugs: &[String]| -> Vec<String> {
        slugs
            .iter()
            .filter_map(|s| idx.cards.get(s))
            .map(|&i| cards[i].fm.title.clone())
            .collect()
    };
    let address = base.as_ref().map(|b| format!("{b}{}", c.url()));
    Fiche {
        slug: c.slug.clone(),
        title: fm.title.clone(),
        acronym: fm.acronym.clone().filter(|a| *a != fm.title),
        kind: KINDS.label(&fm.kind).to_string(),
        summary: fm.summary.clone(),
        droit: fm.droit.as_ref().map(|d| DROITS.label(d).to_string()),
        stages: labels(&STAGES, &fm.stages),
        points,
        facts,
        links,
        related: titles(&fm.related),
        compensation: titles(&fm.compensation),
        updated: crate::render::date_fr(&fm.updated),
        qr: address.as_deref().and_then(qr_svg),
        address,
    }
}

/// The QR code of an address as a plain SVG for typst.
fn qr_svg(url: &str) -> Option<String> {
    crate::render::print::qr_svg(url)
        .map(|s| s.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1))
}
