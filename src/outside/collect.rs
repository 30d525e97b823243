//! Where the guide writes outside addresses.
//!
//! Takes: the source files (cards) and `guide.toml`. Gives: every `http(s)`,
//! `mailto:` and `tel:` address written in a `[[links]]` url, a body link
//! (inline, reference definition, autolink) or a string value of
//! `guide.toml`, each with the byte range of the address in its file, taken
//! from the TOML and Markdown parsers' spans.
//! Reports: nothing (a card whose header cannot be read is reported by `parse`).

use pulldown_cmark::{Event, LinkType, Parser, Tag};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::parse;

/// One place where an address is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// The address as the reader's browser gets it.
    pub url: String,
    /// Index of the file in the list given to `collect` (`guide.toml` last).
    pub file: usize,
    /// Byte range to underline: the address itself when the text there is
    /// exactly `url`, else the whole value or link.
    pub span: Range<usize>,
    /// Whether the file holds exactly `url` at `span`, so `--fix` may rewrite it.
    pub exact: bool,
}

/// The addresses `fiches links` looks at.
pub fn is_outside(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
}

/// The addresses of one card file: its front matter, then its body.
pub fn card(text: &str, file: usize) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let Ok(split) = parse::split(text) else {
        return out;
    };
    if let Ok(table) = DeTable::parse(&text[split.toml.clone()]) {
        toml_strings(text, split.toml.start, table.get_ref(), file, &mut out);
    }
    body(text, split.body_start, file, &mut out);
    // The TOML tree is sorted by key: give the addresses in reading order.
    out.sort_by_key(|o| o.span.start);
    out
}

/// The addresses written as string values of `guide.toml`.
pub fn config(text: &str, file: usize) -> Vec<Occurrence> {
    let mut out = Vec::new();
    if let Ok(table) = DeTable::parse(text) {
        toml_strings(text, 0, table.get_ref(), file, &mut out);
    }
    out.sort_by_key(|o| o.span.start);
    out
}

/// Every string value of a TOML tree that is an outside address (the
/// `[[links]]` urls of a card, and any other such string).
fn toml_strings(text: &str, base: usize, table: &DeTable, file: usize, out: &mut Vec<Occurrence>) {
    for (_, value) in table {
        toml_value(text, base, value, file, out);
    }
}

fn toml_value(
    text: &str,
    base: usize,
    value: &Spanned<DeValue>,
    file: usize,
    out: &mut Vec<Occurrence>,
) {
    match value.get_ref() {
        DeValue::String(s) if is_outside(s.trim()) => {
            let span = value.span();
            let whole = base + span.start..base + span.end;
            // A plain "…" or '…' string without escapes: the address is inside the quotes.
            let inner = whole.start + 1..whole.end.saturating_sub(1);
            let exact = text.get(inner.clone()) == Some(s.as_ref());
            out.push(Occurrence {
                url: s.trim().to_string(),
                file,
                span: if exact { inner } else { whole },
                exact: exact && s.trim() == s.as_ref(),
            });
        }
        DeValue::Array(items) => {
            for item in items {
                toml_value(text, base, item, file, out);
            }
        }
        DeValue::Table(t) => toml_strings(text, base, t, file, out),
        _ => {}
    }
}

/// The links of a Markdown body: inline links and images, autolinks, and
/// reference definitions (the links that use them are not counted again).
fn body(text: &str, start: usize, file: usize, out: &mut Vec<Occurrence>) {
    let body = &text[start.min(text.len())..];
    let mut events = Parser::new_ext(body, parse::MARKDOWN).into_offset_iter();
    let mut found = Vec::new();
    for (ev, r) in events.by_ref() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = ev
        else {
            continue;
        };
        if !is_outside(&dest_url) {
            continue;
        }
        let span = match link_type {
            LinkType::Inline => after(body, r.clone(), "](", &dest_url),
            LinkType::Autolink | LinkType::Email => {
                let inner = r.start + 1..r.end.saturating_sub(1);
                (body.get(inner.clone()) == Some(dest_url.as_ref())).then_some(inner)
            }
            // Written once, in the reference definition, collected below.
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => continue,
            _ => None,
        };
        found.push((dest_url.to_string(), span.ok_or(r)));
    }
    for (_, def) in events.reference_definitions().iter() {
        if is_outside(&def.dest) {
            let span = after(body, def.span.clone(), "]:", &def.dest);
            found.push((def.dest.to_string(), span.ok_or(def.span.clone())));
        }
    }
    found.sort_by_key(|(_, s)| match s {
        Ok(r) | Err(r) => r.start,
    });
    for (url, span) in found {
        let (exact, r) = match span {
            Ok(r) => (true, r),
            Err(r) => (false, r),
        };
        out.push(Occurrence {
            url,
            file,
            span: start + r.start..start + r.end,
            exact,
        });
    }
}

/// The range of `dest` written right after a `marker` (`](` of an inline
/// link, `]:` of a definition) inside the parser's range of the link, past
/// blanks and an opening `<`. `None` when the address is written with
/// escapes or entities, so the text there is not the address itself.
fn after(body: &str, range: Range<usize>, marker: &str, dest: &str) -> Option<Range<usize>> {
    let slice = body.get(range.clone())?;
    slice.match_indices(marker).find_map(|(i, _)| {
        let rest = &slice[i + marker.len()..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r', '<']);
        let at = range.start + i + marker.len() + (rest.len() - trimmed.len());
        trimmed.starts_with(dest).then_some(at..at + dest.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(String, &str, bool)> {
        card(text, 0)
            .into_iter()
            .map(|o| (o.url, &text[o.span], o.exact))
            .collect()
    }

    #[test]
    fn finds_each_address_at_its_exact_place() {
        let text = "+++\ntitle = \"https://pas-un-lien.fr\"\n[[links]]\nurl = \"https://a.fr/x\"\n\
                    [[links]]\nurl = 'mailto:b@c.fr'\n+++\n\
                    Voir [A](https://a.fr/x \"titre\") et <https://d.fr/>, \
                    pas `https://e.fr`, ni [la fiche](poe.md).\n\n\
                    [ref]: https://f.fr/ref\n\n[un](https://a.fr/e\\_x) [réf][ref]\n";
        assert_eq!(
            spans(text),
            [
                (
                    "https://pas-un-lien.fr".into(),
                    "https://pas-un-lien.fr",
                    true
                ),
                ("https://a.fr/x".into(), "https://a.fr/x", true),
                ("mailto:b@c.fr".into(), "mailto:b@c.fr", true),
                ("https://a.fr/x".into(), "https://a.fr/x", true),
                ("https://d.fr/".into(), "https://d.fr/", true),
                ("https://f.fr/ref".into(), "https://f.fr/ref", true),
                ("https://a.fr/e_x".into(), "[un](https://a.fr/e\\_x)", false),
            ]
        );
    }

    #[test]
    fn reads_the_string_values_of_the_configuration() {
        let text = "title = \"Guide\"\n# base_url = \"https://commentaire.fr/\"\nedit_url = \"https://forge.fr/edit/\"\n";
        let found = config(text, 3);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "https://forge.fr/edit/");
        assert_eq!(found[0].file, 3);
    }
}
