//! The readable text of a built HTML page, cut into sections.
//!
//! Takes: the bytes of one page written by `fiches build`. Gives: its main
//! title (`<h1>`), the text of its header (inside `<main>`, before the first
//! `<h2>`), of each `<h2>` section, and of what surrounds `<main>` (menu,
//! footer). Link targets count as text, so a changed address is seen.
//! Scripts, styles, comments and the `<head>` are left out. Reports: nothing;
//! malformed HTML only gives less text.

/// The text of one page, as `diff` compares it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageText {
    /// The text of the `<h1>`, spaces collapsed.
    pub title: String,
    /// The `<main>` text before the first `<h2>`.
    pub header: String,
    /// Each `<h2>` section: its heading, and its text (heading included).
    pub sections: Vec<(String, String)>,
    /// Everything in `<body>` outside `<main>` (menu, breadcrumb, footer).
    pub around: String,
}

/// Elements whose content is never text for the reader.
const SKIPPED: [&str; 5] = ["script", "style", "template", "head", "svg"];

/// Elements that do not break a word: no space is added at their edges.
const INLINE: [&str; 13] = [
    "a", "abbr", "b", "code", "em", "i", "q", "small", "span", "strong", "sub", "sup", "time",
];

/// Cuts a page into its title, header, sections and surroundings.
pub fn page_text(html: &str) -> PageText {
    let mut page = PageText::default();
    let mut in_main = false;
    let mut in_h1 = false;
    let mut heading: Option<String> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut page, in_main, in_h1, &mut heading, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIPPED.contains(&name.as_str()) {
            let close = format!("</{name}");
            rest = find_ci(rest, &close).map_or("", |i| &rest[i..]);
            continue;
        }
        match (name.as_str(), closing) {
            ("main", false) => in_main = true,
            ("main", true) => in_main = false,
            ("h1", false) if in_main => in_h1 = true,
            ("h1", true) => in_h1 = false,
            ("h2", false) if in_main => {
                page.sections.push((String::new(), String::new()));
                heading = Some(String::new());
            }
            ("h2", true) => {
                if let (Some(h), Some(last)) = (heading.take(), page.sections.last_mut()) {
                    last.0 = collapse(&h);
                }
            }
            _ => {}
        }
        if !closing && let Some(href) = attr(tag, "href").or_else(|| attr(tag, "src")) {
            let href = format!(" [{href}] ");
            push_text(&mut page, in_main, false, &mut None, &href);
        }
        if !INLINE.contains(&name.as_str()) {
            push_text(&mut page, in_main, in_h1, &mut heading, " ");
        }
    }
    push_text(&mut page, in_main, in_h1, &mut heading, rest);
    page.title = collapse(&page.title);
    page.header = collapse(&page.header);
    page.around = collapse(&page.around);
    for s in &mut page.sections {
        s.1 = collapse(&s.1);
    }
    page
}

/// Adds raw text (entities decoded) to where the reader is in the page.
fn push_text(
    page: &mut PageText,
    in_main: bool,
    in_h1: bool,
    heading: &mut Option<String>,
    raw: &str,
) {
    if raw.is_empty() {
        return;
    }
    let text = decode(raw);
    if in_h1 {
        page.title.push_str(&text);
    }
    if let Some(h) = heading {
        h.push_str(&text);
    }
    let into = match (in_main, page.sections.last_mut()) {
        (false, _) => &mut page.around,
        (true, Some(s)) => &mut s.1,
        (true, None) => &mut page.header,
    };
    into.push_str(&text);
}

/// The byte just after the `>` that closes the tag at the start of `s`,
/// quoted attribute values skipped.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The value of attribute `name` in a tag's text, quoted or not.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = tag[..at].chars().last();
        let after = tag[from..].trim_start();
        if !before.is_some_and(char::is_whitespace) || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let v = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode(v));
    }
    None
}

/// Finds `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references `fiches` and minify-html write.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // A reference is short: its `;` is within the first 12 bytes.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One character reference, without `&` and `;`.
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

/// Spaces (breaking or not) collapsed to one, trimmed.
pub fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_at_its_h2_headings() {
        let html = "<html><head><title>x</title><script>var a='<h2>';</script></head><body>\
            <nav><a href=\"index.html\">Accueil</a></nav><main id=\"contenu\">\
            <h1>Préparation <span class=\"acronym\">(POE)</span></h1><p>Mis à jour le 1<sup>er</sup>&nbsp;mai</p>\
            <h2 id=\"a\"><svg><path d=\"M0\"/></svg>En bref</h2><p>Une <strong>formation</strong> courte d&#x27;été &amp;c.</p>\
            <!-- <h2>non</h2> --><h2>Objectifs</h2><ul><li>Apprendre</li><li><a href='x.html'>un métier</a></li></ul>\
            </main><footer>Pied &amp; bas</footer></body></html>";
        let p = page_text(html);
        assert_eq!(p.title, "Préparation (POE)");
        assert_eq!(p.header, "Préparation (POE) Mis à jour le 1er mai");
        assert_eq!(
            p.sections,
            vec![
                (
                    "En bref".into(),
                    "En bref Une formation courte d'été &c.".into()
                ),
                (
                    "Objectifs".into(),
                    "Objectifs Apprendre [x.html] un métier".into()
                ),
            ]
        );
        assert_eq!(p.around, "[index.html] Accueil Pied & bas");
    }
}
