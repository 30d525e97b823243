//! Stage 4, a card's body: events → HTML, once per card.
//!
//! Takes: a card's final events (after the glossary and links stages) and
//! the places of its tooltips. Gives: its `Body`, HTML written with the site
//! root as the root of its links and without tooltip numbers nor print marks,
//! plus where each of those goes (`Hole`); then, for each page that shows the
//! body, the HTML for that page (`html`), a copy with the holes filled in.
//! The body is rendered once however many pages show it (its own page, the
//! glossary or contacts page, the home page, `guide-complet.html`), and the
//! events are dropped as soon as it is done (issue 8).
//! Reports: nothing.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd, html};
use std::cell::Cell;
use std::fmt::Write;

use super::print;
use crate::glossary::{Tooltip, is_tooltip};
use crate::images::Image;
use crate::model::SITE;
use crate::model::{Body, Card, Hole, Spanned, escape_html};
use crate::theme::Theme;

/// Renders a card's body. `tooltips` are the glossary's tooltips of these
/// events, in order (`glossary::number` numbers them afterwards); `images`
/// the card's images found by the images stage (their size goes in the
/// page); authors' raw HTML is kept only with `allow_html`; level-2
/// section titles get the icon `theme` gives them.
pub fn render(
    card: &Card,
    events: Vec<Spanned>,
    tooltips: &[Tooltip],
    images: &[Image],
    allow_html: bool,
    theme: &Theme,
) -> Body {
    let len = Cell::new(0);
    // About twice the Markdown (the plain text may be gone: issue 8).
    let markdown = events
        .last()
        .map_or(0, |(_, r)| r.end.saturating_sub(card.body_start));
    let mut out = Counted {
        html: String::with_capacity(markdown.saturating_mul(2)),
        len: &len,
    };
    let mut events = Events {
        card,
        events: events.into_iter(),
        tooltips,
        images,
        allow_html,
        theme,
        len: &len,
        icon: None,
        alt: None,
        heading: None,
        headings: 0,
        in_steps: false,
        link: None,
        mark: None,
        tips: 0,
        body: Body::default(),
    };
    // Writing into a String cannot fail.
    let _ = html::write_html_fmt(&mut out, &mut events);
    events.flush_mark();
    let mut body = events.body;
    body.html = out.html;
    // Every card's body is kept until the end of the build (issue 8).
    body.html.shrink_to_fit();
    body.holes.shrink_to_fit();
    body.links.shrink_to_fit();
    body
}

/// The HTML of a body for a page at `root` ("", "../"); `refs` numbers its
/// links for print (issue 5: each numbered link is followed by a print-only
/// `[n]`, the address is in a list at the end).
pub fn html(
    body: &Body,
    theme: &Theme,
    root: &str,
    refs: Option<&crate::view::PrintLinks>,
) -> String {
    let mut out = String::with_capacity(body.html.len() + body.holes.len() * 16);
    let mut done = 0;
    for &(at, hole) in &body.holes {
        out.push_str(&body.html[done..at]);
        done = at;
        match hole {
            Hole::Root => out.push_str(root),
            Hole::Icon(i) => out.push_str(theme.icon_at(i)),
            Hole::Tooltip(k) => {
                let _ = write!(out, "{}", body.tooltips.get(k).copied().unwrap_or(0));
            }
            Hole::Mark { link, escaped } => {
                let number = body
                    .links
                    .get(link)
                    .and_then(|(dest, _)| refs?.number(dest));
                if let Some(n) = number {
                    let mark = print::ref_mark(n);
                    out.push_str(&if escaped { escape_html(&mark) } else { mark });
                }
            }
        }
    }
    out.push_str(&body.html[done..]);
    out
}

/// The output, with its length where the events can read it: the writer
/// has written every earlier event when it asks for the next one, so that
/// length is where the next event's markup starts.
struct Counted<'a> {
    html: String,
    len: &'a Cell<usize>,
}

impl Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.len.set(self.html.len());
        Ok(())
    }
}

/// The events as the HTML writer gets them, noting the holes on the way.
struct Events<'a, 'e> {
    card: &'a Card,
    events: std::vec::IntoIter<Spanned<'e>>,
    tooltips: &'a [Tooltip],
    images: &'a [Image],
    allow_html: bool,
    /// Which icon a section title gets.
    theme: &'a Theme,
    len: &'a Cell<usize>,
    /// A heading's pictogram, to place right after its start tag.
    icon: Option<usize>,
    /// Inside an image: the writer only writes the text of its alternative
    /// text, escaped; the nesting depth of the tags in it.
    alt: Option<usize>,
    heading: Option<HeadingLevel>,
    /// Headings seen so far: the next one is `card.headings[headings]`.
    headings: usize,
    /// Under a heading that says "étapes": numbered lists are steps.
    in_steps: bool,
    /// The open link: its destination and its text so far.
    link: Option<(String, String)>,
    /// A print mark, written right after the link that just closed.
    mark: Option<Hole>,
    /// Tooltips seen so far.
    tips: usize,
    body: Body,
}

impl<'e> Iterator for Events<'_, 'e> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        self.flush_mark();
        if let Some(name) = self.icon.take() {
            // Placed by each page: the same few pictograms are not kept with
            // every body (issue 8: a sixth of the bodies' bytes).
            self.hole(self.len.get(), Hole::Icon(name));
            return Some(Event::InlineHtml(CowStr::Borrowed("")));
        }
        let (ev, _) = self.events.next()?;
        Some(self.event(ev))
    }
}

impl<'e> Events<'_, 'e> {
    fn link_text(&mut self, t: &str) {
        if let Some((_, text)) = &mut self.link {
            text.push_str(t);
        }
    }

    fn hole(&mut self, at: usize, hole: Hole) {
        self.body.holes.push((at, hole));
    }

    fn flush_mark(&mut self) {
        if let Some(m) = self.mark.take() {
            self.hole(self.len.get(), m);
        }
    }

    /// Whether the writer writes this event's own markup (not inside an
    /// image's alternative text), and the nesting there.
    fn writes(&mut self, ev: &Event) -> bool {
        match (&mut self.alt, ev) {
            (None, Event::Start(Tag::Image { .. })) => {
                self.alt = Some(0);
                true
            }
            (None, _) => true,
            (Some(n), Event::Start(_)) => {
                *n += 1;
                false
            }
            (Some(0), Event::End(_)) => {
                self.alt = None;
                false
            }
            (Some(n), Event::End(_)) => {
                *n -= 1;
                false
            }
            (Some(_), _) => false,
        }
    }

    /// A site path starting `prefix` bytes into this event's markup loses its
    /// `@/`: the page's root goes there.
    fn site_path(&mut self, dest: CowStr<'e>, prefix: usize, writes: bool) -> CowStr<'e> {
        match dest.strip_prefix(SITE) {
            Some(rest) => {
                if writes {
                    self.hole(self.len.get() + prefix, Hole::Root);
                }
                CowStr::from(rest.to_string())
            }
            None => dest,
        }
    }

    fn event(&mut self, ev: Event<'e>) -> Event<'e> {
        let writes = self.writes(&ev);
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link = Some((dest_url.to_string(), String::new()));
                let prefix = match link_type {
                    LinkType::Email => "<a href=\"mailto:".len(),
                    _ => "<a href=\"".len(),
                };
                let dest_url = self.site_path(dest_url, prefix, writes);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let found = dest_url
                    .strip_prefix(SITE)
                    .and_then(|site| self.images.iter().find(|i| i.site == site));
                if let (Some(image), true) = (found, writes) {
                    return self.image(image);
                }
                let dest_url = self.site_path(dest_url, "<img src=\"".len(), writes);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(level);
                let text = self
                    .card
                    .headings
                    .get(self.headings)
                    .map_or("", |h| &h.text);
                self.headings += 1;
                if level <= HeadingLevel::H2 {
                    self.in_steps = crate::text::fold(text).contains("etape");
                    self.icon = self.theme.section_icon(text);
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(l)) => {
                self.heading = None;
                Event::End(TagEnd::Heading(l))
            }
            Event::Text(t) => {
                self.link_text(&t);
                Event::Text(t)
            }
            Event::Code(t) => {
                self.link_text(&t);
                Event::Code(t)
            }
            Event::End(TagEnd::Link) => {
                if let Some(link) = self.link.take() {
                    self.mark = Some(Hole::Mark {
                        link: self.body.links.len(),
                        escaped: !writes,
                    });
                    self.body.links.push(link);
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::List(Some(start))) if self.in_steps && self.heading.is_none() => {
                let attr = if start == 1 {
                    String::new()
                } else {
                    format!(" start=\"{start}\"")
                };
                Event::Html(CowStr::from(format!("<ol class=\"etapes\"{attr}>\n")))
            }
            // Glossary tooltips are the generator's own markup, kept even
            // when authors' raw HTML is escaped.
            Event::InlineHtml(h) if is_tooltip(&h) => self.tooltip(h, writes),
            Event::Html(h) | Event::InlineHtml(h) if !self.allow_html => Event::Text(h),
            other => other,
        }
    }

    /// One of the guide's images, written whole here (the writer's `<img>`
    /// has no size): its alternative text is the text up to its end, which
    /// is consumed; `width` and `height` keep the page from moving while it
    /// loads, `loading="lazy"` loads it when it comes into view.
    fn image(&mut self, image: &Image) -> Event<'e> {
        let mut alt = String::new();
        let mut depth = 0usize;
        for (ev, _) in self.events.by_ref() {
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
        }
        self.alt = None;
        self.link_text(&alt);
        self.body.images.push(image.site.clone());
        self.hole(self.len.get() + "<img src=\"".len(), Hole::Root);
        Event::InlineHtml(CowStr::from(format!(
            "<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\">",
            image.site,
            escape_html(&alt),
            image.width,
            image.height
        )))
    }

    /// A tooltip without its site marker and its number placeholders: the
    /// page's root and the number go there.
    fn tooltip(&mut self, h: CowStr<'e>, writes: bool) -> Event<'e> {
        let k = self.tips;
        self.tips += 1;
        let Some(tip) = self.tooltips.get(k) else {
            return Event::InlineHtml(h);
        };
        let start = self.len.get();
        // The places of this tooltip, in the order of the markup.
        let cuts = [
            (tip.root.clone(), Hole::Root),
            (tip.numbers[0].clone(), Hole::Tooltip(k)),
            (tip.numbers[1].clone(), Hole::Tooltip(k)),
        ];
        let mut html = String::with_capacity(h.len());
        let mut done = 0;
        for (cut, hole) in cuts {
            html.push_str(&h[done..cut.start]);
            // Tooltips are never inside an image's alternative text (the
            // glossary leaves it alone), so their markup is written as it is.
            if writes {
                self.hole(start + html.len(), hole);
            }
            done = cut.end;
        }
        html.push_str(&h[done..]);
        Event::InlineHtml(CowStr::from(html))
    }
}
