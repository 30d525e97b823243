//! Stage 4, a card's body made compact once (issue 8).
//!
//! Takes: a card's body HTML as pulldown-cmark writes it. Gives: that HTML
//! without the whitespace minify-html would drop in the page around it
//! (`body`), so that pages rendered from minified templates need no pass of
//! their own; and the length of an HTML tag (`tag_len`), also used by
//! `print` to rewrite bodies for the whole guide.
//! Reports: nothing.

/// Whitespace handling of an element's content, as minify-html does it.
#[derive(Clone, Copy, PartialEq)]
enum Space {
    /// Whitespace-only text between children is dropped (`div`, `ul`...).
    Layout,
    /// Whitespace at the start and end of the content is dropped (`p`, `li`...).
    Trim,
    /// Whitespace is kept (`a`, `em`...; `pre` and `code` as they are).
    Keep,
}

fn space_of(name: &str) -> Space {
    match name {
        "article" | "aside" | "blockquote" | "body" | "colgroup" | "div" | "dl" | "fieldset"
        | "figure" | "footer" | "form" | "header" | "main" | "nav" | "ol" | "section" | "table"
        | "tbody" | "tfoot" | "thead" | "tr" | "ul" => Space::Layout,
        "caption" | "figcaption" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "summary"
        | "dd" | "details" | "dt" | "label" | "li" | "td" | "th" => Space::Trim,
        _ => Space::Keep,
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr" | "img" | "input" | "meta" | "link" | "wbr" | "source"
    )
}

/// A card's body HTML (as pulldown-cmark writes it) without the whitespace
/// minify-html would drop: runs of whitespace alone between two tags where
/// the parent element lays its children out as blocks, or at the start or
/// end of a paragraph, list item, heading... `in_layout` says whether the
/// element the template puts the body in is of the first kind (a `div`)
/// or not (a `dd`). Text, `pre` and `code` are left as they are.
pub fn body(html: &str, in_layout: bool) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // Open elements (their names); the body's own parent is below them.
    let mut stack: Vec<&str> = Vec::new();
    let mut verbatim = 0usize;
    // Copied up to `copied`; text runs are copied in one piece unless dropped.
    let mut copied = 0;
    let mut i = 0;
    // Whether the last tag read is the start tag of the current parent.
    let mut at_start = true;
    while i < b.len() {
        let lt = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |k| i + k);
        let blank = lt > i && b[i..lt].iter().all(u8::is_ascii_whitespace);
        if blank && verbatim == 0 {
            let closing_next = b.get(lt + 1) == Some(&b'/') || lt == b.len();
            let drop = match stack.last() {
                Some(p) => match space_of(p) {
                    Space::Layout => true,
                    Space::Trim => at_start || closing_next,
                    Space::Keep => false,
                },
                None => in_layout,
            };
            if drop {
                out.push_str(&html[copied..i]);
                copied = lt;
            }
        }
        let Some(len) = tag_len(&html[lt..]) else {
            break;
        };
        let tag = &html[lt..lt + len];
        i = lt + len;
        let closing = tag.as_bytes().get(1) == Some(&b'/');
        let name = &tag[1 + usize::from(closing)..];
        let name = &name[..name
            .bytes()
            .position(|c| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        at_start = false;
        if name.is_empty() {
            continue;
        }
        if closing {
            if let Some(pos) = stack.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                for n in stack.drain(pos..) {
                    if matches!(n, "pre" | "code" | "textarea") {
                        verbatim -= 1;
                    }
                }
            }
        } else if !(is_void(name) || tag.ends_with("/>")) {
            if matches!(name, "pre" | "code" | "textarea") {
                verbatim += 1;
            }
            stack.push(name);
            at_start = true;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Length of the tag at the start of `s` (through its `>`, quotes
/// respected), `None` if `s` does not start with a complete tag.
pub fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let mut i = 1;
    loop {
        // The next `>` or quote; quoted values (which may hold a `>`) are skipped whole.
        let j = i + memchr::memchr3(b'>', b'"', b'\'', &b[i..])?;
        if b[i..j].contains(&b'<') {
            return None;
        }
        if b[j] == b'>' {
            return Some(j + 1);
        }
        i = j + 1 + memchr::memchr(b[j], &b[j + 1..])? + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_lose_only_the_whitespace_minify_html_drops() {
        let table: [(&str, bool, &str); 6] = [
            (
                "<p>Un\ntexte</p>\n<h2 id=\"x\">Titre</h2>\n<ul>\n<li>a</li>\n<li><a href=\"#\">b</a> c</li>\n</ul>\n",
                true,
                "<p>Un\ntexte</p><h2 id=\"x\">Titre</h2><ul><li>a</li><li><a href=\"#\">b</a> c</li></ul>",
            ),
            ("<p>a</p>\n<p>b</p>\n", false, "<p>a</p>\n<p>b</p>\n"),
            (
                "<li>\n<p>a</p>\n<p>b</p>\n</li>\n",
                false,
                "<li><p>a</p>\n<p>b</p></li>\n",
            ),
            (
                "<pre><code>a\n  b\n</code></pre>\n",
                true,
                "<pre><code>a\n  b\n</code></pre>",
            ),
            ("<p>a<br />\nb</p>\n", true, "<p>a<br />\nb</p>"),
            (
                "<p>a <em>b</em> <strong>c</strong></p>",
                true,
                "<p>a <em>b</em> <strong>c</strong></p>",
            ),
        ];
        for (html, in_layout, want) in table {
            assert_eq!(body(html, in_layout), want, "{html}");
        }
    }
}
