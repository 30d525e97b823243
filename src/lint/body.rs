//! The lints of a card's Markdown body.
//!
//! Takes: one card's events before the glossary and links stages change
//! them. Gives: its paragraphs, list items, table cells and headings as
//! blocks for the text lints, mapped to their places in the file, and the
//! printed lines they take (`Cx::lines`).
//! Reports: skipped heading levels and level-1 headings, italics,
//! underlining, images without alternative text, link texts that say
//! nothing on their own, `http:` links.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

use super::front::{HTTP_HELP, VAGUE_HELP};
use super::text::vague;
use super::{Block, Cx, Kind, flush};
use crate::model::Spanned;

/// What is open around the current text in the body.
enum Open {
    Link {
        at: Range<usize>,
        dest: String,
        text: String,
    },
    Image {
        at: Range<usize>,
        alt: String,
        /// An image of another site, not marked decorative: the images
        /// stage checks the guide's own images (a missing text is an error).
        remote: bool,
    },
}

pub(super) fn body(events: &[Spanned], cx: &mut Cx) {
    let mut block = Block::default();
    let mut open: Vec<Open> = Vec::new();
    let mut level = 1;
    for (ev, range) in events {
        match ev {
            Event::Start(Tag::Heading { level: h, .. }) => {
                flush(&mut block, cx);
                block.kind = Kind::Title;
                heading(*h as u8, &mut level, range.clone(), cx);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut block, cx);
                block.kind = Kind::Code;
            }
            Event::Start(
                Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::BlockQuote(_) | Tag::List(_),
            )
            | Event::End(
                TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_),
            ) => {
                flush(&mut block, cx);
                block.kind = Kind::Prose;
            }
            Event::Text(t) | Event::Code(t) => {
                for o in open.iter_mut() {
                    match o {
                        Open::Link { text, .. } => text.push_str(t),
                        Open::Image { alt, .. } => alt.push_str(t),
                    }
                }
                if !open.iter().any(|o| matches!(o, Open::Image { .. })) {
                    let start = block.text.len();
                    let src = cx.f.text.get(range.clone()).unwrap_or("");
                    if src == t.as_ref() {
                        block.push(t, range.start, true);
                    } else {
                        block.push_aligned(t, src, range.start);
                    }
                    if matches!(ev, Event::Code(_)) {
                        block.code.push(start..block.text.len());
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => block.push(" ", range.start, false),
            Event::Start(Tag::Emphasis) => cx.warn(
                "italique",
                range.clone(),
                "texte en italique : l'italique est difficile à lire pour beaucoup de lecteurs".into(),
                "enlevez les * ou _ autour du texte ; pour insister sur un mot, mettez-le en gras (**mot**)",
            ),
            Event::Start(Tag::Link { dest_url, .. }) => {
                // A link out of the guide prints its address at the end.
                if dest_url.starts_with("http") {
                    cx.lines += 1;
                }
                open.push(Open::Link {
                    at: range.clone(),
                    dest: dest_url.to_string(),
                    text: String::new(),
                });
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => open.push(Open::Image {
                at: range.clone(),
                alt: String::new(),
                remote: dest_url.contains("://") && title.as_ref() != crate::model::DECORATIVE,
            }),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(o) = open.pop() {
                    closed(o, cx);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => underline(h, range, cx),
            _ => {}
        }
    }
    flush(&mut block, cx);
}

fn heading(h: u8, level: &mut u8, at: Range<usize>, cx: &mut Cx) {
    let marks = |n: u8| "#".repeat(usize::from(n));
    if h == 1 {
        cx.warn(
            "titre-principal",
            at,
            "titre de niveau 1 (#) dans le texte : le titre de la fiche est déjà le titre de niveau 1".into(),
            "écrivez ## au début de la ligne, au lieu de #",
        );
    } else if h > *level + 1 {
        let (msg, help) = if *level == 1 {
            (
                format!(
                    "le texte commence par un titre de niveau {h} ({}) : il manque un titre de niveau 2 (##) avant",
                    marks(h)
                ),
                format!(
                    "écrivez ## au lieu de {} : les lecteurs d'écran s'appuient sur les niveaux de titres pour parcourir la page",
                    marks(h)
                ),
            )
        } else {
            (
                format!(
                    "titre de niveau {h} ({}) juste après un titre de niveau {level} ({}) : un niveau est sauté",
                    marks(h),
                    marks(*level)
                ),
                format!(
                    "écrivez {} au lieu de {} : les lecteurs d'écran s'appuient sur les niveaux de titres pour parcourir la page",
                    marks(*level + 1),
                    marks(h)
                ),
            )
        };
        cx.warn("titre-saute", at, msg, &help);
    }
    *level = h;
}

fn closed(o: Open, cx: &mut Cx) {
    match o {
        Open::Link { at, dest, text } => {
            if let Some(why) = vague(&text) {
                // Underline "[ici]", not the address after it.
                let src = cx.f.text.get(at.clone()).unwrap_or("");
                let r = match src.find("](") {
                    Some(o) => at.start..at.start + o + 1,
                    None => at.clone(),
                };
                cx.warn("lien-vague", r, why, VAGUE_HELP);
            }
            if dest
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
            {
                let src = cx.f.text.get(at.clone()).unwrap_or("");
                let at = match src.find(&dest) {
                    Some(o) => at.start + o..at.start + o + dest.len(),
                    None => at,
                };
                cx.warn(
                    "lien-http",
                    at,
                    format!("adresse non sécurisée « {dest} » : elle commence par http://"),
                    HTTP_HELP,
                );
            }
        }
        Open::Image { at, alt, remote } => {
            if remote && alt.trim().is_empty() {
                cx.warn(
                    "image-sans-alt",
                    at,
                    "image sans texte de remplacement : un lecteur aveugle ne saura pas ce qu'elle montre".into(),
                    "décrivez ce que montre l'image entre les crochets, par exemple ![Carte des cinq départements des Hauts-de-France](…)",
                );
            }
        }
    }
}

fn underline(html: &str, at: &Range<usize>, cx: &mut Cx) {
    let lower = html.to_ascii_lowercase();
    for tag in ["<u>", "<u ", "<ins>", "<ins "] {
        if let Some(o) = lower.find(tag) {
            let exact = html.len() == at.len();
            let start = if exact { at.start + o } else { at.start };
            let len = lower[o..].find('>').map_or(tag.len(), |e| e + 1);
            cx.warn(
                "souligne",
                start..start + len,
                "texte souligné : on le confond avec un lien".into(),
                "enlevez les balises <u> et </u> (ou <ins> et </ins>) ; pour insister sur un mot, mettez-le en gras (**mot**)",
            );
            return;
        }
    }
}
