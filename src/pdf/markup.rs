//! A card's body as typst markup, from the same events as its HTML.
//!
//! Takes: a card's final events (after the glossary and links stages), as
//! `render::body` gets them, and the site's public address if any. Gives:
//! typst markup where every text is escaped by `escape`, the one escaping
//! function for typst markup: headings, paragraphs, lists, emphasis, tables,
//! links (each external address printed in full in a footnote, once), and
//! glossary terms with their full name at first use, as on the printed page.
//! Reports: nothing; raw HTML is printed as text, like the HTML does unless
//! `allow_html`.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::fmt::Write;

use crate::glossary::is_tooltip;
use crate::model::SITE;
use crate::model::Spanned;

/// Text escaped for typst markup: every character that typst markup could
/// read as syntax (`#`, `$`, `*`, `_`, `@`, `<`, `[`, `]`, `\`, quotes,
/// dashes, `:` of automatic links...) is preceded by a backslash, and line
/// breaks become spaces. The result reads as exactly the same characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// `escape`, appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' | '/' | '[' | ']' | '(' | '~' | '-' | '.' | '\'' | '"' | '*' | '_' | ':' | '`'
            | '$' | '<' | '>' | '@' | '#' | '=' | '+' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// A typst string literal of `s` (link destinations).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The body of a card as typst markup. Links to pages of the guide point at
/// `base` (the public address) when it is known, else are plain text.
pub fn body(events: &[Spanned], base: Option<&str>, allow_html: bool) -> String {
    let mut w = Writer {
        out: String::with_capacity(4096),
        base,
        allow_html,
        link: None,
        printed: Vec::new(),
        image: 0,
    };
    for (ev, _) in events {
        w.event(ev);
    }
    w.out.truncate(w.out.trim_end().len());
    w.out.push('\n');
    w.out
}

struct Writer<'b> {
    out: String,
    base: Option<&'b str>,
    allow_html: bool,
    /// The open link: where its text starts in `out`, and its printed
    /// address if it may get a footnote.
    link: Option<(usize, Option<(String, String)>)>,
    /// Addresses already printed in a footnote.
    printed: Vec<String>,
    /// Nesting inside an image: only its alternative text is written.
    image: usize,
}

impl Writer<'_> {
    fn block_break(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\n']).len();
        self.out.truncate(trimmed);
        // Not right after the `[` that opens a list item or a quote.
        let opened = self.out.ends_with('[') && !self.out.ends_with("\\[");
        if !self.out.is_empty() && !opened {
            self.out.push_str("\n\n");
        }
    }

    fn event(&mut self, ev: &Event) {
        if self.image > 0 {
            match ev {
                Event::Start(_) => self.image += 1,
                Event::End(_) => self.image -= 1,
                Event::Text(t) | Event::Code(t) => escape_into(&mut self.out, t),
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) | Event::Code(t) => escape_into(&mut self.out, t),
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => {
                self.block_break();
                self.out.push_str("#line(length: 100%)\n\n");
            }
            Event::InlineHtml(h) | Event::Html(h) if is_tooltip(h) => {
                escape_into(&mut self.out, &tooltip_text(h))
            }
            Event::InlineHtml(h) | Event::Html(h) if !self.allow_html => {
                escape_into(&mut self.out, h)
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag) {
        match tag {
            Tag::Paragraph => self.block_break(),
            Tag::Heading { level, .. } => {
                self.block_break();
                let n = heading_level(*level);
                self.out.push_str(&"=".repeat(n));
                self.out.push(' ');
            }
            Tag::BlockQuote(_) => {
                self.block_break();
                self.out.push_str("#quote(block: true)[");
            }
            Tag::List(None) => {
                self.block_break();
                self.out.push_str("#list(");
            }
            Tag::List(Some(start)) => {
                self.block_break();
                let _ = write!(self.out, "#enum(start: {start}, ");
            }
            Tag::Item => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Table(aligns) => {
                self.block_break();
                let _ = write!(self.out, "#table(columns: {}, ", aligns.len().max(1));
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableCell => self.out.push('['),
            Tag::Link { dest_url, .. } => self.start_link(dest_url),
            Tag::Image { .. } => self.image = 1,
            Tag::CodeBlock(_) => {
                self.block_break();
                self.out.push_str("#block[");
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.block_break(),
            TagEnd::Heading(_) => self.block_break(),
            TagEnd::BlockQuote(_) | TagEnd::CodeBlock => {
                self.trim();
                self.out.push_str("]\n\n");
            }
            TagEnd::List(_) => {
                self.out.push_str(")\n\n");
            }
            TagEnd::Item | TagEnd::TableCell => {
                self.trim();
                self.out.push_str("], ");
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.out.push(']'),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::Link => self.end_link(),
            _ => {}
        }
    }

    fn trim(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\n']).len();
        self.out.truncate(trimmed);
    }

    fn start_link(&mut self, dest: &str) {
        let (target, printed) = match dest.strip_prefix(SITE) {
            // A page of the guide: the text names it; linked when the
            // guide has a public address.
            Some(rest) => (self.base.map(|b| format!("{b}{rest}")), None),
            None if dest.starts_with('#') => (None, None),
            None => {
                let printed = crate::view::printed_url(dest, None);
                (
                    Some(dest.to_string()),
                    printed.map(|p| (dest.to_string(), p)),
                )
            }
        };
        match target {
            Some(t) => {
                let _ = write!(self.out, "#link({})[", quote(&t));
                self.link = Some((self.out.len(), printed));
            }
            None => self.link = None,
        }
    }

    fn end_link(&mut self) {
        let Some((text_start, printed)) = self.link.take() else {
            return;
        };
        let text: String = self.out[text_start..]
            .chars()
            .filter(|c| *c != '\\' && !c.is_whitespace())
            .collect();
        self.out.push(']');
        let Some((dest, address)) = printed else {
            return;
        };
        // The address is printed once, unless the link's text says it.
        let flat: String = address.chars().filter(|c| !c.is_whitespace()).collect();
        if text.contains(&flat) || self.printed.contains(&address) {
            return;
        }
        let _ = write!(
            self.out,
            "#footnote[#link({})[{}]]",
            quote(&dest),
            escape(&address)
        );
        self.printed.push(address);
    }
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// What a glossary tooltip reads on paper: the term as written, then its
/// full name in brackets when the page prints it ("RQTH (reconnaissance…)"),
/// without the bubble.
pub fn tooltip_text(html: &str) -> String {
    let end = html.find("<span class=\"term-def\"").unwrap_or(html.len());
    // Skip the opening `<span …><a …>`.
    let start = html.find("\">").map_or(0, |i| i + 2);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.get(start..end).unwrap_or("").chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape_html(&text)
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_plain_words_and_escapes_syntax() {
        assert_eq!(escape("Bonjour à tous"), "Bonjour à tous");
        assert_eq!(
            escape("#a $b *c_ @d <e> ]"),
            "\\#a \\$b \\*c\\_ \\@d \\<e\\> \\]"
        );
        assert_eq!(escape("https://x.fr"), "https\\:\\/\\/x\\.fr");
        assert_eq!(escape("a\\b\nc"), "a\\\\b c");
    }

    #[test]
    fn tooltip_reads_term_then_full_name() {
        let html = "<span class=\"term\"><a class=\"term-link\" href=\"glossaire.html#rqth\" aria-describedby=\"def-rqth-1\">RQTH</a><span class=\"term-print\"> (reconnaissance de la qualit&#39;é)</span><span class=\"term-def\" id=\"def-rqth-1\" role=\"tooltip\">x</span></span>";
        assert_eq!(tooltip_text(html), "RQTH (reconnaissance de la qualit'é)");
    }
}
