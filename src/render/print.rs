//! Stage 4, print parts (issue 5).
//!
//! Takes: a card's body links, the site's public address (`base_url`), the
//! body HTML of each card. Gives: the numbered list of a card's link addresses
//! (the body marks each link with a print-only `[n]`), the QR code of a page's
//! address as inline SVG, and `guide-complet.html`, the whole guide on one
//! page, where links between cards point at anchors of that page.
//! Reports: template errors only, through `Site::page`.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{CardView, Site, card_view};
use crate::diag::Diagnostic;
use crate::links::SITE;
use crate::model::{Card, LINK_KINDS, Page};

/// One numbered link address, as printed at the end of a card.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PrintLink {
    pub n: usize,
    pub title: String,
    /// The address as printed (no `mailto:`, full URL of a page of the guide).
    pub url: String,
    /// The link's destination as written in the card.
    pub href: String,
}

/// The links of a card with their printed addresses, numbered in reading
/// order: first the links of the body (one number per address), then the
/// `[[links]]` of the front matter, by group ("Contacts", "Ressources"...).
#[derive(Serialize, Clone, Debug, Default)]
pub struct PrintLinks {
    pub text: Vec<PrintLink>,
    pub groups: Vec<(String, Vec<PrintLink>)>,
    /// Body link destination → its number.
    #[serde(skip)]
    by_dest: BTreeMap<String, usize>,
}

impl PrintLinks {
    /// Numbers the links of a card. Links to other pages of the guide get a
    /// number only when `base` (the public address) is known: without it,
    /// their text (the other fiche's name) is all paper can give.
    pub fn of(card: &Card, base: Option<&str>) -> PrintLinks {
        let mut out = PrintLinks::default();
        for (dest, text) in &card.body.links {
            out.add_text_link(dest, text, base);
        }
        let mut n = out.text.len();
        for (kind, label) in LINK_KINDS.values {
            let list: Vec<PrintLink> = card
                .fm
                .links
                .iter()
                .filter(|l| l.kind == *kind)
                .filter_map(|l| {
                    let url = printed_url(&l.url, base)?;
                    n += 1;
                    Some(PrintLink {
                        n,
                        title: l.title.clone(),
                        url,
                        href: l.url.clone(),
                    })
                })
                .collect();
            if !list.is_empty() {
                out.groups.push((label.to_string(), list));
            }
        }
        out
    }

    fn add_text_link(&mut self, dest: &str, text: &str, base: Option<&str>) {
        let Some(url) = printed_url(dest, base) else {
            return;
        };
        let n = match self.text.iter().find(|l| l.url == url) {
            Some(l) => l.n,
            None => {
                let n = self.text.len() + 1;
                let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let href = if dest.starts_with(SITE) {
                    url.clone()
                } else {
                    dest.to_string()
                };
                self.text.push(PrintLink {
                    n,
                    title,
                    url,
                    href,
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

/// The print-only mark written after a numbered link of the body.
pub fn ref_mark(n: usize) -> String {
    format!("<sup class=\"print-ref\" hidden>[{n}]</sup>")
}

/// The QR code of `url` as an inline SVG (black modules on white, with the
/// 4-module quiet zone), or `None` if the address is too long to encode.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == qrcode::Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == qrcode::Color::Dark {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + 4,
                    y + 4,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    let size = w + 8;
    Some(format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"Code QR de l'adresse de cette page\" viewBox=\"0 0 {size} {size}\" width=\"{size}\" height=\"{size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// The id, in `guide-complet.html`, of the article of a card.
pub fn guide_anchor(kind: &str, slug: &str) -> String {
    format!("{kind}-{slug}")
}

/// An id of a card's body, made unique in `guide-complet.html`.
fn inner_id(anchor: &str, id: &str) -> String {
    format!("{anchor}--{id}")
}

/// Rewrites a card's body HTML for `guide-complet.html`: headings go down
/// `shift` levels (so the page keeps one h1 and skips no level), every id
/// and id reference gets the card's anchor as prefix (the same heading or
/// tooltip id occurs in many cards), and links to a page of the guide that
/// the guide page holds point at its anchor instead (`targets`: site path →
/// anchor).
pub fn guide_body(
    html: &str,
    anchor: &str,
    shift: u8,
    targets: &BTreeMap<String, String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tag_end(tail) else {
            out.push_str(tail);
            rest = "";
            break;
        };
        rewrite_tag(&tail[..end], anchor, shift, targets, &mut out);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Byte length of the tag at the start of `s` (through its `>`), quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Writes one tag (`<h2 id="x">`, `</h2>`, `<a href="…">`) rewritten.
fn rewrite_tag(
    tag: &str,
    anchor: &str,
    shift: u8,
    targets: &BTreeMap<String, String>,
    out: &mut String,
) {
    let (close, body) = match tag.strip_prefix("</") {
        Some(b) => (true, b),
        None => (false, &tag[1..]),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let level = match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    };
    out.push_str(if close { "</" } else { "<" });
    match level {
        Some(l) => out.push_str(&format!("h{}", (l + shift).min(6))),
        None => out.push_str(name),
    }
    let mut attrs = &body[name_len..];
    if close || name.is_empty() {
        out.push_str(attrs);
        return;
    }
    // Attributes: only double-quoted values are rewritten (what pulldown-cmark
    // and our templates write); anything else is copied as it is.
    while let Some(eq) = attrs.find("=\"") {
        let before = &attrs[..eq];
        let attr = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(len) = attrs[eq + 2..].find('"') else {
            break;
        };
        let value = &attrs[eq + 2..eq + 2 + len];
        out.push_str(&attrs[..eq + 2]);
        match attr.as_str() {
            "id" | "for" | "aria-describedby" | "aria-labelledby" | "aria-controls"
            | "aria-owns" | "headers" => {
                let ids: Vec<String> = value
                    .split_whitespace()
                    .map(|v| inner_id(anchor, v))
                    .collect();
                out.push_str(&ids.join(" "));
            }
            "href" => out.push_str(&guide_href(value, anchor, targets)),
            _ => out.push_str(value),
        }
        out.push('"');
        attrs = &attrs[eq + 2 + len + 1..];
    }
    out.push_str(attrs);
}

/// Where a link of a card's body points in `guide-complet.html`.
fn guide_href(href: &str, anchor: &str, targets: &BTreeMap<String, String>) -> String {
    if let Some(frag) = href.strip_prefix('#') {
        return format!("#{}", inner_id(anchor, frag));
    }
    let plain = href.replace("&amp;", "&");
    if let Some(a) = targets.get(&plain) {
        return format!("#{a}");
    }
    if let Some((path, frag)) = plain.split_once('#')
        && let Some(a) = targets.get(path)
    {
        return format!("#{}", inner_id(a, frag));
    }
    href.to_string()
}

/// A card as `guide-complet.html` shows it.
#[derive(Serialize)]
struct GuideCard {
    anchor: String,
    /// The card's own page, when the public address is known.
    url: Option<String>,
    view: CardView,
}

/// A part of the guide: the cards of one kind.
#[derive(Serialize)]
struct GuidePart {
    id: String,
    kind: String,
    title: String,
    /// Glossary and contacts: short entries under one heading, not one page each.
    nested: bool,
    cards: Vec<GuideCard>,
}

/// The parts of `guide-complet.html`, in order: (kind, id, title).
const PARTS: [(&str, &str, &str); 7] = [
    ("page", "introduction", "Introduction"),
    ("parcours", "parcours", "Les parcours types"),
    ("situation", "situations", "Les situations"),
    ("dispositif", "dispositifs", "Les dispositifs"),
    ("outil", "outils", "Les outils de compensation"),
    ("acteur", "contacts", "Contacts et acteurs clés"),
    ("terme", "glossaire", "Glossaire"),
];

/// `guide-complet.html`: the home text, then every card by part, to print in one go.
pub fn guide_page(site: &Site<'_>, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let path = "guide-complet.html";
    let mut ctx = site.base_context(path, "Le guide complet");
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for c in site.cards {
        targets.insert(c.url(), guide_anchor(&c.fm.kind, &c.slug));
    }
    targets.insert("glossaire.html".into(), "glossaire".into());
    targets.insert("contacts.html".into(), "contacts".into());
    let base = site.cfg.base();
    let view = |c: &Card, shift: u8| -> GuideCard {
        let anchor = guide_anchor(&c.fm.kind, &c.slug);
        let mut v = card_view(c, site.cards, site.idx, site.files, "", site.cfg);
        // Links to cards of the guide become anchors: they get no printed address.
        v.print_links = PrintLinks::of(c, None);
        let body = super::body_html_refs(c, "", Some(&v.print_links));
        v.body = guide_body(&body, &anchor, shift, &targets);
        GuideCard {
            url: base
                .as_ref()
                .filter(|_| c.has_page())
                .map(|b| format!("{b}{}", c.url())),
            anchor,
            view: v,
        }
    };
    if let Some(&i) = site.idx.cards.get("accueil") {
        ctx.insert("intro", &view(&site.cards[i], 1));
    }
    let parts: Vec<GuidePart> = PARTS
        .iter()
        .map(|(kind, id, title)| {
            let nested = matches!(*kind, "acteur" | "terme");
            let mut list: Vec<&Card> = site
                .cards
                .iter()
                .filter(|c| c.fm.kind == *kind && c.slug != "accueil")
                .collect();
            list.sort_by_key(|c| {
                (
                    c.fm.order.unwrap_or(i64::MAX),
                    crate::search::fold(&c.fm.title),
                )
            });
            GuidePart {
                id: id.to_string(),
                kind: kind.to_string(),
                title: title.to_string(),
                nested,
                cards: list
                    .into_iter()
                    .map(|c| view(c, if nested { 2 } else { 1 }))
                    .collect(),
            }
        })
        .filter(|p| !p.cards.is_empty())
        .collect();
    ctx.insert("parts", &parts);
    site.page("guide-complet.html", path, &ctx, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_urls_say_where_a_link_goes_on_paper() {
        let base = Some("https://guide.example.fr/");
        let table: [(&str, Option<&str>, Option<&str>); 7] = [
            ("https://a.fr/x?y=1", None, Some("https://a.fr/x?y=1")),
            ("mailto:contact@a.fr", None, Some("contact@a.fr")),
            ("tel:0800111222", None, Some("0800111222")),
            ("#etapes", base, None),
            ("@/fiches/poe.html", None, None),
            (
                "@/fiches/poe.html",
                base,
                Some("https://guide.example.fr/fiches/poe.html"),
            ),
            (
                "@/glossaire.html#rqth",
                base,
                Some("https://guide.example.fr/glossaire.html#rqth"),
            ),
        ];
        for (dest, base, want) in table {
            assert_eq!(printed_url(dest, base).as_deref(), want, "{dest}");
        }
    }

    #[test]
    fn guide_body_demotes_headings_prefixes_ids_and_points_links_at_anchors() {
        let targets: BTreeMap<String, String> = [
            ("fiches/poe.html", "dispositif-poe"),
            ("glossaire.html#rqth", "terme-rqth"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let table = [
            (
                "<h2 id=\"objectifs\">Objectifs</h2>",
                "<h3 id=\"dispositif-afc--objectifs\">Objectifs</h3>",
            ),
            ("<h5>x</h5><h6>y</h6>", "<h6>x</h6><h6>y</h6>"),
            (
                "<a href=\"fiches/poe.html\">la POE</a>",
                "<a href=\"#dispositif-poe\">la POE</a>",
            ),
            (
                "<a href=\"fiches/poe.html#etapes\">x</a>",
                "<a href=\"#dispositif-poe--etapes\">x</a>",
            ),
            (
                "<a class=\"term-link\" href=\"glossaire.html#rqth\" aria-describedby=\"def-rqth\">RQTH</a>",
                "<a class=\"term-link\" href=\"#terme-rqth\" aria-describedby=\"dispositif-afc--def-rqth\">RQTH</a>",
            ),
            (
                "<a href=\"#top\">x</a>",
                "<a href=\"#dispositif-afc--top\">x</a>",
            ),
            (
                "<a href=\"https://a.fr/?x=1&amp;y=2\">x</a>",
                "<a href=\"https://a.fr/?x=1&amp;y=2\">x</a>",
            ),
            (
                "<a href=\"etapes/emploi.html\">x</a>",
                "<a href=\"etapes/emploi.html\">x</a>",
            ),
            (
                "1 &lt; 2 <br> <p>id=\"x\"</p>",
                "1 &lt; 2 <br> <p>id=\"x\"</p>",
            ),
            ("texte < sans fin", "texte < sans fin"),
        ];
        for (html, want) in table {
            assert_eq!(guide_body(html, "dispositif-afc", 1, &targets), want);
        }
    }

    #[test]
    fn qr_code_is_an_svg_with_a_quiet_zone() {
        let svg = qr_svg("https://guide.example.fr/fiches/poe.html").unwrap_or_default();
        assert!(svg.starts_with("<svg class=\"qr\""), "{svg}");
        // Version 3 (29 modules) for a 40-byte URL at level M, plus 2 × 4 modules.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
        // The top-left finder pattern starts at the quiet zone, 7 modules wide.
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
    }

    #[test]
    fn qr_svg_draws_exactly_the_dark_modules_of_the_code() {
        let url = "https://www.prith-hdf.fr/guide/fiches/contrat-professionnalisation.html";
        let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        let w = code.width();
        let svg = qr_svg(url).unwrap_or_default();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        let mut drawn = vec![false; w * w];
        for run in d.split('z').filter(|r| !r.is_empty()) {
            // "M{x} {y}h{n}v1h-{n}"
            let nums: Vec<usize> = run
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap_or(usize::MAX))
                .collect();
            let [x, y, n, _one, _n2] = nums[..] else {
                panic!("bad run {run}");
            };
            for dx in 0..n {
                drawn[(y - 4) * w + x - 4 + dx] = true;
            }
        }
        let want: Vec<bool> = code
            .to_colors()
            .iter()
            .map(|c| *c == qrcode::Color::Dark)
            .collect();
        assert_eq!(drawn, want);
    }
}
