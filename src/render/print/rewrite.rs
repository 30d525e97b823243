//! Stage 4, a card's body as `guide-complet.html` holds it.
//!
//! Takes: a card's body HTML, its anchor in the guide page, how many levels
//! its headings go down, and which site paths the guide page holds (site
//! path → anchor). Gives: that HTML rewritten (`guide_body`).
//! Reports: nothing.

use std::collections::BTreeMap;

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
        let Some(end) = crate::render::minify::tag_len(&html[lt..]) else {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
