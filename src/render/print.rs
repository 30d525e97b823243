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
pub fn guide_anchor(kind: Kind, slug: &str) -> String {
    format!("{kind}-{slug}")
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
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    // Text and the tags that need no change are copied in one piece.
    let mut copied = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + k;
        let Some(end) = super::minify::tag_len(&html[lt..]) else {
            break;
        };
        let tag = &html[lt..lt + end];
        i = lt + end;
        let name = tag.trim_start_matches(['<', '/']).as_bytes();
        let heading = matches!(name, [b'h' | b'H', b'1'..=b'6', ..]);
        if heading || value_start(tag).is_some() {
            out.push_str(&html[copied..lt]);
            rewrite_tag(tag, anchor, shift, targets, &mut out);
            copied = i;
        }
    }
    out.push_str(&html[copied..]);
    out
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
        .bytes()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = &body[..name_len];
    out.push_str(if close { "</" } else { "<" });
    match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'6'] => {
            out.push('h');
            out.push(char::from(b'0' + (d - b'0' + shift).min(6)));
        }
        _ => out.push_str(name),
    }
    let mut attrs = &body[name_len..];
    if close || name.is_empty() {
        out.push_str(attrs);
        return;
    }
    // Attributes: only double-quoted values are rewritten (what pulldown-cmark
    // and our templates write); anything else is copied as it is.
    while let Some(eq) = value_start(attrs) {
        let attr = attrs[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let Some(len) = memchr::memchr(b'"', &attrs.as_bytes()[eq + 2..]) else {
            break;
        };
        let value = &attrs[eq + 2..eq + 2 + len];
        out.push_str(&attrs[..eq + 2]);
        let is = |n: &str| attr.eq_ignore_ascii_case(n);
        if [
            "id",
            "for",
            "aria-describedby",
            "aria-labelledby",
            "aria-controls",
            "aria-owns",
            "headers",
        ]
        .into_iter()
        .any(is)
        {
            for (k, id) in value.split_whitespace().enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                push_inner_id(out, anchor, id);
            }
        } else if is("href") {
            push_guide_href(out, value, anchor, targets);
        } else {
            out.push_str(value);
        }
        out.push('"');
        attrs = &attrs[eq + 2 + len + 1..];
    }
    out.push_str(attrs);
}

/// Where `="` starts in `s` (an attribute's double-quoted value).
fn value_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(k) = memchr::memchr(b'=', &b[from..]) {
        if b.get(from + k + 1) == Some(&b'"') {
            return Some(from + k);
        }
        from += k + 1;
    }
    None
}

/// Writes `inner_id(anchor, id)`.
fn push_inner_id(out: &mut String, anchor: &str, id: &str) {
    out.push_str(anchor);
    out.push_str("--");
    out.push_str(id);
}

/// Writes where a link of a card's body points in `guide-complet.html`.
fn push_guide_href(out: &mut String, href: &str, anchor: &str, targets: &BTreeMap<String, String>) {
    if let Some(frag) = href.strip_prefix('#') {
        out.push('#');
        push_inner_id(out, anchor, frag);
        return;
    }
    let plain: std::borrow::Cow<str> = if href.contains("&amp;") {
        href.replace("&amp;", "&").into()
    } else {
        href.into()
    };
    if let Some(a) = targets.get(plain.as_ref()) {
        out.push('#');
        out.push_str(a);
        return;
    }
    if let Some((path, frag)) = plain.split_once('#')
        && let Some(a) = targets.get(path)
    {
        out.push('#');
        push_inner_id(out, a, frag);
        return;
    }
    out.push_str(href);
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
    let body = super::body_html_refs(c, "", Some(&v.print_links));
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
