//! Stage 4, print parts (issue 5).
//!
//! Takes: the view of each card (`view::CardView`, whose `print_links` number
//! the addresses of its links), the site's public address (`base_url`).
//! Gives: the print-only mark of a numbered link, the QR code of a page's
//! address as inline SVG, and `guide-complet.html`, the whole guide on one
//! page, where links between cards point at anchors of that page.
//! Reports: template errors only, through `Site::page`.

use serde::Serialize;
use std::collections::BTreeMap;

use rayon::prelude::*;
use std::io::{self, Write};

use super::Site;
use crate::diag::Diagnostic;
use crate::model::Sink;
use crate::model::{Card, Kind};
use crate::view::{CardView, card_view};

mod rewrite;
pub use rewrite::guide_body;

/// The print-only mark written after a numbered link of the body.
pub fn ref_mark(n: usize) -> String {
    format!("<sup class=\"print-ref\" hidden>[{n}]</sup>")
}

/// The QR code of `url` as an inline SVG (black modules on white, with the
/// 4-module quiet zone), or `None` if the address is too long to encode.
pub fn qr_svg(url: &str, label: &str) -> Option<String> {
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
        "<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" viewBox=\"0 0 {size} {size}\" width=\"{size}\" height=\"{size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// The id, in `guide-complet.html`, of the article of a card.
pub fn guide_anchor(kind: Kind, slug: &str) -> String {
    format!("{kind}-{slug}")
}

/// A reference to another card of `guide-complet.html`.
#[derive(Serialize)]
struct GuideRef<'a> {
    anchor: String,
    kind: Kind,
    title: &'a str,
    acronym: Option<&'a str>,
}

fn guide_ref(c: &Card) -> GuideRef<'_> {
    GuideRef {
        anchor: guide_anchor(c.fm.kind, &c.slug),
        kind: c.fm.kind,
        title: &c.fm.title,
        acronym: c.fm.acronym.as_deref(),
    }
}

/// A part of the guide: the cards of one kind, in the table of contents.
#[derive(Serialize)]
struct GuidePart<'a> {
    id: &'static str,
    kind: Kind,
    title: &'static str,
    /// Glossary and contacts: short entries under one heading, not one page each.
    nested: bool,
    cards: Vec<GuideRef<'a>>,
    /// Where the part's fiches go in the rendered page (see `guide_page`).
    fiches: String,
}

/// A part of `guide-complet.html`: (kind, id, title).
type Part = (Kind, &'static str, &'static str);

/// The parts of `guide-complet.html`, in order.
const PARTS: [Part; 7] = [
    (Kind::Page, "introduction", "Introduction"),
    (Kind::Parcours, "parcours", "Les parcours types"),
    (Kind::Situation, "situations", "Les situations"),
    (Kind::Dispositif, "dispositifs", "Les dispositifs"),
    (Kind::Outil, "outils", "Les outils de compensation"),
    (Kind::Acteur, "contacts", "Contacts et acteurs clés"),
    (Kind::Terme, "glossaire", "Glossaire"),
];

/// How many fiches are rendered (in parallel) before they are written.
const BATCH: usize = 256;

/// Marks, in the rendered frame of the page, where the fiches of part `i`
/// go (the introduction is part `PARTS.len()`). Private-use characters:
/// no card writes them, and templates print them as they are.
fn slot_mark(i: usize) -> String {
    format!("\u{E002}guide-{i}\u{E003}")
}

/// `guide-complet.html`: the home text, then every card by part, to print
/// in one go. The frame (header, table of contents) comes from
/// `guide-complet.html`, each fiche from `guide-fiche.html`, rendered in
/// parallel and written to `sink` in order, a batch at a time: the page
/// (110 MB for 10,000 cards) is never held whole in memory.
pub fn guide_page(site: &Site<'_>, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) {
    let path = "guide-complet.html";
    let mut ctx = site.base_context(path, "Le guide complet", diags);
    ctx.insert("guide_pdf", &site.guide_pdf.get());
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for c in site.cards {
        targets.insert(c.url(), guide_anchor(c.fm.kind, &c.slug));
    }
    targets.insert("glossaire.html".into(), "glossaire".into());
    targets.insert("contacts.html".into(), "contacts".into());
    let intro = site.idx.cards.get("accueil").map(|&i| &site.cards[i]);
    let parts: Vec<(&Part, Vec<&Card>)> = PARTS
        .iter()
        .map(|part| {
            let mut list: Vec<&Card> = site
                .cards
                .iter()
                .filter(|c| c.fm.kind == part.0 && c.slug != "accueil")
                .collect();
            list.sort_by_cached_key(|c| {
                (
                    c.fm.order.unwrap_or(i64::MAX),
                    crate::text::fold(&c.fm.title),
                )
            });
            (part, list)
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    if let Some(c) = intro {
        ctx.insert("intro", &guide_ref(c));
        ctx.insert("intro_fiche", &slot_mark(PARTS.len()));
    }
    let toc: Vec<GuidePart> = parts
        .iter()
        .enumerate()
        .map(|(i, ((kind, id, title), list))| GuidePart {
            id,
            kind: *kind,
            title,
            nested: !kind.has_page(),
            cards: list.iter().map(|c| guide_ref(c)).collect(),
            fiches: slot_mark(i),
        })
        .collect();
    ctx.insert("parts", &toc);
    drop(toc);
    let Some(frame) = site.page("guide-complet.html", path, &ctx, diags) else {
        return;
    };
    let frame = String::from_utf8_lossy(&frame.bytes).into_owned();

    // The frame cut at each part's mark; the fiches go in between.
    let mut jobs: Vec<(Vec<&Card>, bool, u8)> = Vec::new();
    if let Some(c) = intro {
        jobs.push((vec![c], true, 1));
    }
    for (part, list) in &parts {
        let nested = !part.0.has_page();
        jobs.push((list.clone(), false, if nested { 2 } else { 1 }));
    }
    let mut marks: Vec<usize> = Vec::new();
    if intro.is_some() {
        marks.push(PARTS.len());
    }
    marks.extend(0..parts.len());
    let failed = std::sync::Mutex::new(None);
    let fiche = |c: &Card, intro: bool, shift: u8| -> Option<Vec<u8>> {
        let mut ctx = tera::Context::new();
        ctx.insert("intro", &intro);
        ctx.insert("nested", &(shift == 2));
        let anchor = guide_anchor(c.fm.kind, &c.slug);
        let url = site.cfg.base().filter(|_| c.has_page());
        ctx.insert("url", &url.map(|b| format!("{b}{}", c.url())));
        ctx.insert("card", &guide_fiche(site, c, &anchor, shift, &targets));
        ctx.insert("anchor", &anchor);
        let mut local = Vec::new();
        let page = site.page("guide-fiche.html", path, &ctx, &mut local);
        if let Some(d) = local.pop() {
            failed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(d);
        }
        page.map(|p| p.bytes)
    };
    let result = sink.put_streamed(path, &mut |w: &mut dyn Write| {
        let mut rest = frame.as_str();
        for (mark, (cards, intro, shift)) in marks.iter().zip(&jobs) {
            let mark = slot_mark(*mark);
            let Some(at) = rest.find(&mark) else {
                continue;
            };
            w.write_all(&rest.as_bytes()[..at])?;
            rest = &rest[at + mark.len()..];
            for batch in cards.chunks(BATCH) {
                let done: Option<Vec<Vec<u8>>> =
                    batch.par_iter().map(|c| fiche(c, *intro, *shift)).collect();
                let done = done.ok_or_else(|| io::Error::other("gabarit"))?;
                for fiche in done {
                    w.write_all(&fiche)?;
                }
            }
        }
        w.write_all(rest.as_bytes())
    });
    diags.extend(failed.into_inner().unwrap_or_else(|e| e.into_inner()));
    // An I/O error is kept by the output folder, and reported by `build`.
    drop(result);
}

/// The view of a card as `guide-fiche.html` shows it, its headings `shift`
/// levels down. Links to cards of the guide become anchors: they get no
/// printed address.
fn guide_fiche(
    site: &Site<'_>,
    c: &Card,
    anchor: &str,
    shift: u8,
    targets: &BTreeMap<String, String>,
) -> CardView {
    let mut v = card_view(c, site.cards, site.idx, &site.files[c.file].rel, None);
    let body = super::body_html_refs(c, site.cfg, "", Some(&v.print_links));
    v.body = site.compact(guide_body(&body, anchor, shift, targets), true);
    v
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
            assert_eq!(
                crate::view::printed_url(dest, base).as_deref(),
                want,
                "{dest}"
            );
        }
    }

    #[test]
    fn qr_code_is_an_svg_with_a_quiet_zone() {
        let svg = qr_svg("https://guide.example.fr/fiches/poe.html", "Code QR").unwrap_or_default();
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
        let svg = qr_svg(url, "Code QR").unwrap_or_default();
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
