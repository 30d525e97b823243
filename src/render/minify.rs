//! Stage 4, minification done once (issue 8).
//!
//! Takes: the theme's Tera templates, and the body HTML of a card. Gives: the
//! templates minified by minify-html with their Tera tags left as they are,
//! so that every page they render comes out minified without a pass per
//! page; and bodies without the whitespace minify-html would drop.
//! Reports: nothing: a template it cannot minify safely is `None`, and the
//! build then minifies each page as it did before.
//!
//! Why the output stays the same: minify-html is applied to the template
//! with each Tera tag replaced by a placeholder it treats as ordinary text
//! (in text and in attribute values) or as an attribute (between
//! attributes). It then only collapses or drops whitespace that it also
//! collapses or drops in any page the template renders, so minifying a page
//! rendered from a minified template gives the bytes of minifying the page
//! rendered from the original one (tests/minify.rs checks it on the real
//! guide and the fixture site).

/// Starts and ends a placeholder: private-use characters, which no template
/// writes and minify-html copies as they are.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Where a Tera tag sits in the HTML of a template.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    /// In text, or in the content of `<script>`, `<style>`, `<title>`...
    Text,
    /// Inside a quoted attribute value.
    Attr,
    /// Between the attributes of a tag: the whole `{% if %}…{% endif %}`.
    InTag,
}

/// The same settings as the pass per page (`write::minify_html`).
pub fn cfg() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    cfg
}

/// A Tera template minified by minify-html, its Tera tags kept byte for
/// byte (comments `{# #}` are dropped). `None` when a tag sits where the
/// minifier could move or lose it (in a tag name, in an unquoted attribute
/// value, in an HTML comment): the template is then used as it is.
pub fn template(src: &str) -> Option<String> {
    let (html, slots) = protect(src)?;
    let min = minify_html::minify(html.as_bytes(), &cfg());
    let min = String::from_utf8(min).ok()?;
    restore(&min, &slots)
}

/// Byte length of the Tera tag at the start of `s` (`{{ }}`, `{% %}`,
/// `{# #}`), through its closing delimiter; string literals may hold `}}`.
fn tera_tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let close = match b.get(..2)? {
        b"{{" => b'}',
        b"{%" => b'%',
        b"{#" => return s[2..].find("#}").map(|i| i + 4),
        _ => return None,
    };
    let mut quote: Option<u8> = None;
    let mut i = 2;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
            None if c == close && b.get(i + 1) == Some(&b'}') => return Some(i + 2),
            None => {}
        }
        i += 1;
    }
    None
}

/// The first word of a `{% %}` tag (`if`, `endfor`...), or "" for others.
fn keyword(tag: &str) -> &str {
    tag.strip_prefix("{%")
        .map(|t| t.trim_start_matches('-').trim_start())
        .and_then(|t| {
            t.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .next()
        })
        .unwrap_or("")
}

/// How a statement changes the nesting depth inside a tag.
fn depth_change(tag: &str) -> i32 {
    match keyword(tag) {
        "if" | "for" | "filter" | "block" | "macro" | "raw" => 1,
        k if k.starts_with("end") => -1,
        _ => 0,
    }
}

/// HTML context while scanning a template.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Text,
    /// Inside `<name ...>`; `raw` names an element whose content is not HTML.
    Tag {
        raw: Option<&'static str>,
    },
    /// `depth`: statements opened in this value and not closed yet.
    Quoted {
        quote: u8,
        raw: Option<&'static str>,
        depth: i32,
    },
    Comment,
    /// Content of `<script>`, `<style>`, `<title>` or `<textarea>`, up to its end tag.
    Raw(&'static str),
}

/// Elements whose content is text for the minifier, not markup.
const RAW: [&str; 4] = ["script", "style", "title", "textarea"];

fn push_placeholder(out: &mut String, n: usize, slot: Slot) {
    out.push(OPEN);
    out.push_str(&n.to_string());
    // An `=` makes minify-html keep the quotes: the value may hold spaces.
    if slot == Slot::Attr {
        out.push('=');
    }
    out.push(CLOSE);
}

/// The template with each Tera tag replaced by a placeholder, and the tags.
fn protect(src: &str) -> Option<(String, Vec<(Slot, String)>)> {
    let mut out = String::with_capacity(src.len());
    let mut slots: Vec<(Slot, String)> = Vec::new();
    let mut state = State::Text;
    let mut i = 0;
    while i < src.len() {
        let rest = &src[i..];
        if rest.starts_with("{#") {
            i += tera_tag_len(rest)?;
            continue;
        }
        if rest.starts_with("{{") || rest.starts_with("{%") {
            let (slot, len) = match state {
                State::Text | State::Raw(_) => (Slot::Text, tera_tag_len(rest)?),
                State::Quoted { quote, raw, depth } => {
                    let len = tera_tag_len(rest)?;
                    // The minifier reorders attributes: a statement must
                    // open and close in the same value.
                    let depth = depth + depth_change(&rest[..len]);
                    state = State::Quoted { quote, raw, depth };
                    (Slot::Attr, len)
                }
                State::Tag { .. } => {
                    // Only a whole attribute (or several), after a space or a closing quote.
                    let before = out.chars().last()?;
                    if !(before.is_whitespace() || before == '"' || before == '\'') {
                        return None;
                    }
                    let len = in_tag_len(rest)?;
                    let after = rest[len..].chars().next()?;
                    if !(after.is_whitespace() || after == '>' || after == '/') {
                        return None;
                    }
                    if !before.is_whitespace() {
                        out.push(' ');
                    }
                    (Slot::InTag, len)
                }
                State::Comment => return None,
            };
            push_placeholder(&mut out, slots.len(), slot);
            slots.push((slot, rest[..len].to_string()));
            if slot == Slot::InTag {
                out.push(' ');
            }
            i += len;
            continue;
        }
        let c = rest.chars().next()?;
        match state {
            State::Text => {
                if rest.starts_with("<!--") {
                    state = State::Comment;
                    out.push_str("<!--");
                    i += 4;
                    continue;
                }
                if let Some(tail) = rest.strip_prefix('<') {
                    let name_start = usize::from(tail.starts_with('/'));
                    let name: &str = tail[name_start..]
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                        .next()
                        .unwrap_or("");
                    if tail[name_start..].starts_with('{') {
                        return None;
                    }
                    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        let len = 1 + name_start + name.len();
                        // `<h{{ n }}>`: the name is not known before rendering.
                        if rest[len..].starts_with('{') {
                            return None;
                        }
                        let raw = (name_start == 0)
                            .then(|| RAW.into_iter().find(|r| r.eq_ignore_ascii_case(name)))
                            .flatten();
                        state = State::Tag { raw };
                        out.push_str(&rest[..len]);
                        i += len;
                        continue;
                    }
                }
            }
            State::Tag { raw } => match c {
                '"' | '\'' => {
                    state = State::Quoted {
                        quote: c as u8,
                        raw,
                        depth: 0,
                    }
                }
                '>' => state = raw.map_or(State::Text, State::Raw),
                _ => {}
            },
            State::Quoted { quote, raw, depth } => {
                if c as u32 == u32::from(quote) {
                    if depth != 0 {
                        return None;
                    }
                    state = State::Tag { raw };
                }
            }
            State::Comment => {
                if rest.starts_with("-->") {
                    state = State::Text;
                    out.push_str("-->");
                    i += 3;
                    continue;
                }
            }
            State::Raw(name) => {
                let end = rest.len() >= name.len() + 2
                    && rest.starts_with("</")
                    && rest[2..2 + name.len()].eq_ignore_ascii_case(name);
                if end {
                    state = State::Text;
                    continue;
                }
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    Some((out, slots))
}

/// Length of the Tera code written between the attributes of a tag at the
/// start of `s`: one expression or statement, or a whole `{% if %}…{% endif %}`.
fn in_tag_len(s: &str) -> Option<usize> {
    let mut depth = 0;
    let mut i = 0;
    loop {
        let rest = &s[i..];
        if rest.starts_with("{{") || rest.starts_with("{%") || rest.starts_with("{#") {
            let len = tera_tag_len(rest)?;
            depth += depth_change(&rest[..len]);
            i += len;
            if depth <= 0 {
                return (depth == 0).then_some(i);
            }
        } else {
            // Text inside the statement: `aria-current="page"`.
            let c = rest.chars().next()?;
            if c == '>' || c == '<' {
                return None;
            }
            i += c.len_utf8();
        }
    }
}

/// Whether a Tera segment between attributes starts with whitespace once
/// rendered (its first literal text does), so no space is needed before it.
fn starts_with_space(segment: &str) -> bool {
    let mut rest = segment;
    while let Some(len) = tera_tag_len(rest) {
        rest = &rest[len..];
    }
    rest.starts_with(char::is_whitespace)
}

/// Puts the Tera tags back in place of their placeholders, each exactly
/// once; `None` if the minifier dropped or copied one. (Placeholders in
/// attributes may come back in another order: minify-html sorts attributes.)
fn restore(min: &str, slots: &[(Slot, String)]) -> Option<String> {
    let mut out = String::with_capacity(min.len() + slots.iter().map(|s| s.1.len()).sum::<usize>());
    let mut seen = vec![false; slots.len()];
    let mut rest = min;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let tail = &rest[start + OPEN.len_utf8()..];
        let end = tail.find(CLOSE)?;
        let inner = &tail[..end];
        let (digits, attr) = match inner.strip_suffix('=') {
            Some(d) => (d, true),
            None => (inner, false),
        };
        let n: usize = digits.parse().ok()?;
        let (kind, raw) = slots.get(n)?;
        if std::mem::replace(seen.get_mut(n)?, true) || attr != (*kind == Slot::Attr) {
            return None;
        }
        if *kind == Slot::InTag && starts_with_space(raw) && out.ends_with(' ') {
            out.pop();
        }
        out.push_str(raw);
        rest = &tail[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    seen.iter().all(|s| *s).then_some(out)
}

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
pub(super) fn tag_len(s: &str) -> Option<usize> {
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
    fn templates_are_minified_around_their_tera_tags() {
        let table: [(&str, &str); 8] = [
            (
                "<ul>\n  {% for c in cards %}\n  <li>{{ c.title }}</li>\n  {% endfor %}\n</ul>",
                "<ul>{% for c in cards %} <li>{{ c.title }}</li> {% endfor %}</ul>",
            ),
            (
                "<a href=\"{{ root }}index.html\"{% if path == \"index.html\" %} aria-current=\"page\"{% endif %}>Accueil</a>",
                "<a href=\"{{ root }}index.html\"{% if path == \"index.html\" %} aria-current=\"page\"{% endif %}>Accueil</a>",
            ),
            (
                "<p class=\"x\">  {# a comment #} Texte   {{ a }}  </p>",
                "<p class=x>Texte {{ a }}</p>",
            ),
            (
                "<title>{% block title %}{{ page_title }} — {{ site.title }}{% endblock title %}</title>",
                "<title>{% block title %}{{ page_title }} — {{ site.title }}{% endblock title %}</title>",
            ),
            (
                "<div {{ attrs | safe }}>x</div>",
                "<div {{ attrs | safe }}>x</div>",
            ),
            (
                "<p>{{ \"}}\" }} et {% set x = '%}' %}</p>",
                "<p>{{ \"}}\" }} et {% set x = '%}' %}</p>",
            ),
            (
                "<input type=\"search\" id=\"q\" name=\"q\" autocomplete=\"off\">",
                "<input autocomplete=off id=q name=q type=search>",
            ),
            (
                "<meta name=\"description\" content=\"{{ site.description }}\">",
                "<meta content=\"{{ site.description }}\" name=description>",
            ),
        ];
        for (src, want) in table {
            assert_eq!(template(src).as_deref(), Some(want), "{src}");
        }
    }

    #[test]
    fn tera_tags_the_minifier_could_move_leave_the_template_as_it_is() {
        for src in [
            "<{{ heading }} class=\"t\">x</{{ heading }}>",
            "<h{{ n }}>x</h{{ n }}>",
            "<input value={{ v }}>",
            "<a data-{{ k }}=\"v\">x</a>",
            "<!-- {{ x }} -->",
            "<p>{{ unclosed </p>",
            "<a class=\"{% if a %}x\" id=\"{% endif %}y\">z</a>",
        ] {
            assert_eq!(template(src), None, "{src}");
        }
    }

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
