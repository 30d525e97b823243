//! What the PDF templates get about a card and the guide, as JSON.
//!
//! Takes: the view of a card (`view::CardView`, the same view the HTML
//! pages get) and the site's configuration. Gives: the values `fiche.typ`
//! and `guide.typ` read from `/data.json`: the view itself (`card`, with the
//! same field names as in the HTML templates), its links with the address
//! each one leads to from a PDF and the address printed, the fiche's public
//! address and its QR code. The templates compose the facts, the points and
//! the lists from these fields, as `faits.html` does for the pages.
//! Reports: nothing.

use serde::Serialize;

use crate::config::Config;
use crate::model::SITE;
use crate::view::CardView;

/// One card, as a PDF template reads it (`data.fiche` or an item of
/// `data.fiches`).
#[derive(Serialize, Debug, Clone)]
pub struct Fiche<'v> {
    /// The card's view, as the HTML pages get it.
    pub card: &'v CardView,
    /// Its `[[links]]` by group ("Contacts", "Ressources"...), as they are
    /// printed (a link inside the guide only when its address is known).
    pub links: Vec<Group>,
    /// The fiche's public address, when `base_url` is set.
    pub address: Option<String>,
    /// The QR code of that address (SVG).
    pub qr: Option<String>,
}

/// A group of links ("Contacts", "Ressources"...).
#[derive(Serialize, Debug, Clone)]
pub struct Group {
    /// The group's French name.
    pub label: String,
    /// Its links, in the card's order.
    pub items: Vec<Address>,
}

/// A link with its destination and its address as printed.
#[derive(Serialize, Debug, Clone)]
pub struct Address {
    /// The link's text.
    pub title: String,
    /// Where it leads from a PDF (a full address, never `@/…`).
    pub href: String,
    /// Its address as printed (no `mailto:`).
    pub printed: String,
}

/// The guide, for the whole guide's PDF and each fiche's letterhead.
#[derive(Serialize, Debug, Clone)]
pub struct Guide {
    /// The guide's title (`guide.toml`).
    pub title: String,
    /// Its one-line description.
    pub description: String,
    /// Who publishes it.
    pub publisher: String,
    /// The short « précaution de lecture ».
    pub precaution: String,
    /// The date of the document, in French.
    pub updated: String,
    /// The guide's public address, when `base_url` is set.
    pub address: Option<String>,
}

/// The guide's data for the templates, dated `updated` (in French).
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

/// A card's data for the templates, from its view; `base` is the site's
/// public address, `qr_label` the theme's name for the QR code.
pub fn fiche<'v>(view: &'v CardView, base: Option<&str>, qr_label: &str) -> Fiche<'v> {
    let links = view
        .print_links
        .groups
        .iter()
        .map(|(label, list)| Group {
            label: label.clone(),
            items: list
                .iter()
                .map(|l| Address {
                    title: l.title.clone(),
                    href: match l.href.starts_with(SITE) {
                        true => l.url.clone(),
                        false => l.href.clone(),
                    },
                    printed: l.url.clone(),
                })
                .collect(),
        })
        .collect();
    let address = base.map(|b| format!("{b}{}", view.base.url));
    Fiche {
        card: view,
        links,
        qr: address.as_deref().and_then(|a| qr_svg(a, qr_label)),
        address,
    }
}

/// The QR code of an address as a plain SVG for typst.
fn qr_svg(url: &str, label: &str) -> Option<String> {
    crate::render::print::qr_svg(url, label)
        .map(|s| s.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1))
}
