//! The glossary's pass over one card's Markdown events.
//!
//! Takes: the events of a card, in order, and the glossary. Gives: the same
//! events, with the first use of each term in prose replaced by its tooltip
//! (an inline HTML event), the tooltips made, and the unknown acronyms with
//! where they are first written. Knows where prose is: never inside code,
//! links, headings, image alt text or raw HTML.
//! Reports: nothing itself; `Glossary::apply` turns `unknown` into warnings.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

use super::scan::{Found, Scanner};
use super::{Glossary, PENDING, Tooltip, tooltip};
use crate::model::Spanned;

/// Where the pass is: prose is the only place where terms are wrapped.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Place {
    Heading,
    Link,
    Image,
    Code,
    /// Inside an element opened by raw HTML.
    Html,
}

/// The rewrite of one card's events.
pub(super) struct Pass<'a, 'e> {
    glossary: &'a Glossary,
    scanner: Scanner<'a>,
    hits: Vec<(Range<usize>, Found)>,
    /// Terms this card explains itself.
    own: Vec<bool>,
    /// Terms already wrapped in this card.
    used: Vec<bool>,
    /// The tooltips made, in order.
    pub(super) tooltips: Vec<Tooltip>,
    /// Open places around the current event (empty: prose).
    places: Vec<Place>,
    /// Unknown acronyms: first position in the file, number of uses.
    pub(super) unknown: BTreeMap<String, (Range<usize>, usize)>,
    /// The events given back.
    pub(super) out: Vec<Spanned<'e>>,
}

impl<'a, 'e> Pass<'a, 'e> {
    /// A pass over a card that explains the terms of `own` itself, for
    /// `events` events.
    pub(super) fn new(glossary: &'a Glossary, own: Vec<bool>, events: usize) -> Self {
        Pass {
            glossary,
            scanner: Scanner::new(glossary),
            hits: Vec::new(),
            own,
            used: vec![false; glossary.terms.len()],
            tooltips: Vec::new(),
            places: Vec::new(),
            unknown: BTreeMap::new(),
            out: Vec::with_capacity(events + 8),
        }
    }

    /// Takes the next event of the card.
    pub(super) fn event(&mut self, ev: Event<'e>, range: Range<usize>, file: &str) {
        match &ev {
            Event::Start(tag) => {
                let place = match tag {
                    Tag::Heading { .. } => Some(Place::Heading),
                    Tag::Link { .. } => Some(Place::Link),
                    Tag::Image { .. } => Some(Place::Image),
                    Tag::CodeBlock(_) | Tag::MetadataBlock(_) => Some(Place::Code),
                    Tag::HtmlBlock => Some(Place::Html),
                    _ => None,
                };
                self.places.extend(place);
            }
            Event::End(end) => {
                let place = match end {
                    TagEnd::Heading(_) => Some(Place::Heading),
                    TagEnd::Link => Some(Place::Link),
                    TagEnd::Image => Some(Place::Image),
                    TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => Some(Place::Code),
                    TagEnd::HtmlBlock => Some(Place::Html),
                    _ => None,
                };
                match place {
                    Some(p) => self.close(p),
                    // Raw HTML left open never outlives its block.
                    None if is_block_end(end) => self.close_html(),
                    None => {}
                }
            }
            Event::InlineHtml(h) => match html_tag(h) {
                HtmlTag::Open => self.places.push(Place::Html),
                HtmlTag::Close if self.places.last() == Some(&Place::Html) => {
                    self.places.pop();
                }
                _ => {}
            },
            _ => {}
        }
        match ev {
            Event::Text(t) => self.text(t, range, file),
            ev => self.out.push((ev, range)),
        }
    }

    /// Pops the innermost `place` and everything opened inside it.
    fn close(&mut self, place: Place) {
        if let Some(i) = self.places.iter().rposition(|&p| p == place) {
            self.places.truncate(i);
        }
    }

    fn close_html(&mut self) {
        while self.places.last() == Some(&Place::Html) {
            self.places.pop();
        }
    }

    fn text(&mut self, text: CowStr<'e>, range: Range<usize>, file: &str) {
        let place = self.places.last().copied();
        if matches!(place, Some(Place::Link | Place::Code)) {
            self.out.push((Event::Text(text), range));
            return;
        }
        // Positions inside the text map to the file only when the source is
        // the text itself (no entity, no escape).
        let exact = file.get(range.clone()) == Some(&*text);
        let at = |r: &Range<usize>| {
            if exact {
                range.start + r.start..range.start + r.end
            } else {
                range.clone()
            }
        };
        let mut hits = std::mem::take(&mut self.hits);
        self.scanner.scan(&text, &mut hits);
        let mut done = 0;
        for (r, found) in hits.drain(..) {
            let t = match found {
                Found::Unknown => {
                    let word = &text[r.clone()];
                    match self.unknown.get_mut(word) {
                        Some((_, n)) => *n += 1,
                        None => {
                            self.unknown.insert(word.to_string(), (at(&r), 1));
                        }
                    }
                    continue;
                }
                Found::Term(t) => t,
            };
            if place.is_some() || self.own[t] || self.used[t] {
                continue;
            }
            self.used[t] = true;
            if done < r.start {
                let before = part(&text, done..r.start);
                self.out.push((Event::Text(before), at(&(done..r.start))));
            }
            let (html, tip) = tooltip(self.glossary, t, &text[r.clone()], PENDING);
            self.tooltips.push(tip);
            self.out
                .push((Event::InlineHtml(CowStr::from(html)), at(&r)));
            done = r.end;
        }
        self.hits = hits;
        if done == 0 {
            self.out.push((Event::Text(text), range));
        } else if done < text.len() {
            let rest = part(&text, done..text.len());
            self.out.push((Event::Text(rest), at(&(done..text.len()))));
        }
    }
}

/// A part of a text, borrowed from the file when the text is.
fn part<'e>(text: &CowStr<'e>, r: Range<usize>) -> CowStr<'e> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[r]),
        _ => CowStr::from(text[r].to_string()),
    }
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)
    )
}

/// What an inline HTML event does to nesting.
#[derive(PartialEq, Debug)]
enum HtmlTag {
    Open,
    Close,
    /// Void or self-closing element, comment, declaration.
    Neutral,
}

fn html_tag(h: &str) -> HtmlTag {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let h = h.trim();
    if h.starts_with("</") {
        return HtmlTag::Close;
    }
    let name: String = h
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || h.ends_with("/>") || VOID.contains(&name.as_str()) {
        HtmlTag::Neutral
    } else {
        HtmlTag::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_html_nesting_is_read_from_the_tag() {
        for (h, want) in [
            ("<span class=\"x\">", HtmlTag::Open),
            ("</span>", HtmlTag::Close),
            ("<br>", HtmlTag::Neutral),
            ("<img src=\"a\" />", HtmlTag::Neutral),
            ("<!-- note -->", HtmlTag::Neutral),
        ] {
            assert_eq!(html_tag(h), want, "{h}");
        }
    }
}
