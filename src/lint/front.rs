//! The lints of a card's front matter.
//!
//! Takes: one card's front matter, with the places of its values (`Spans`).
//! Gives: its title, summary and `[points]` texts as blocks for the text
//! lints, mapped to their places in the file.
//! Reports: long summaries, vague or `http:` `[[links]]`, stale cards
//! (`updated`), unknown codes in the card's `allow`.

use super::text::vague;
use super::{Block, Cx, Kind, MAX_SUMMARY_WORDS, flush};
use crate::config::Config;
use crate::diag::check_allow;
use crate::model::{Card, SourceFile};
use crate::spans::Field;
use crate::text::word_count;

pub(super) const VAGUE_HELP: &str = "écrivez ce que le lecteur va trouver, par exemple [la fiche de la POE](poe.md) ou [le site de l'Agefiph](https://www.agefiph.fr/) : les lecteurs d'écran lisent souvent les liens seuls, sans la phrase autour";
pub(super) const HTTP_HELP: &str = "écrivez https:// au début de l'adresse, puis ouvrez-la dans un navigateur pour vérifier que la page s'affiche";

/// Lints the front matter of a card.
pub(super) fn front_matter(card: &Card, cfg: &Config, today: i64, cx: &mut Cx) {
    texts(card, cx);
    links(card, cx);
    stale(card, cfg, today, cx);
    let (f, spans) = (cx.f, &card.fm.spans);
    let codes = card.fm.allow.iter().enumerate();
    let codes = codes.map(|(i, c)| (c.as_str(), spans.value_or_key(Field::item("allow", i))));
    check_allow(&f.rel, f.lines(), codes, cx.out);
}

/// A front-matter string as a block of text, mapped to its place in the file.
fn field(card: &Card, f: &SourceFile, at: Field, value: &str, kind: Kind) -> Block {
    let start = card.fm.spans.value_or_key(at).start;
    let exact = f.text.get(start..start + value.len()) == Some(value);
    let mut b = Block {
        kind,
        ..Block::default()
    };
    b.push(value, start, exact);
    b
}

/// The title, the summary and the `[points]` texts.
fn texts(card: &Card, cx: &mut Cx) {
    let (f, fm) = (cx.f, &card.fm);
    flush(
        &mut field(card, f, Field::top("title"), &fm.title, Kind::Title),
        cx,
    );
    let mut summary = field(card, f, Field::top("summary"), &fm.summary, Kind::Title);
    let n = word_count(&fm.summary);
    if n > MAX_SUMMARY_WORDS {
        cx.warn(
            "resume-long",
            summary.file_range(0..fm.summary.trim_end().len()),
            format!("le résumé a {n} mots : il en faut {MAX_SUMMARY_WORDS} au plus"),
            "le résumé est une seule phrase courte qui dit à quoi sert la fiche : gardez l'idée principale, les détails vont dans le texte",
        );
    }
    flush(&mut summary, cx);
    let mut prose: Vec<(Field, &String)> = Vec::new();
    if let Some(p) = &fm.points {
        let fields = [
            ("nature", &p.nature),
            ("publics", &p.publics),
            ("operateurs", &p.operateurs),
            ("prescripteurs", &p.prescripteurs),
            ("financement", &p.financement),
        ];
        prose.extend(
            fields
                .into_iter()
                .filter_map(|(k, v)| Some((Field::sub("points", k), v.as_ref()?))),
        );
    }
    if let Some(note) = fm
        .pendant_arret_travail
        .as_ref()
        .and_then(|p| p.note.as_ref())
    {
        prose.push((Field::sub("pendant_arret_travail", "note"), note));
    }
    for (at, v) in prose {
        flush(&mut field(card, f, at, v, Kind::Prose), cx);
    }
}

/// The titles and addresses of `[[links]]`.
fn links(card: &Card, cx: &mut Cx) {
    let f = cx.f;
    for (nth, l) in card.fm.links.iter().enumerate() {
        let at = Field::item_sub("links", nth, "title");
        let mut title = field(card, f, at, &l.title, Kind::Title);
        if let Some(why) = vague(&l.title) {
            let r = title.file_range(0..l.title.len());
            cx.warn("lien-vague", r, why, VAGUE_HELP);
        }
        flush(&mut title, cx);
        if l.url
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
        {
            let at = card
                .fm
                .spans
                .value_or_key(Field::item_sub("links", nth, "url"));
            cx.warn(
                "lien-http",
                at,
                format!(
                    "adresse non sécurisée « {} » : elle commence par http://",
                    l.url
                ),
                HTTP_HELP,
            );
        }
    }
}

/// A card whose `updated` date is older than `stale_after_days`.
fn stale(card: &Card, cfg: &Config, today: i64, cx: &mut Cx) {
    let Some(day) = crate::dates::day_of(&card.fm.updated) else {
        return;
    };
    let age = today - day;
    if age > cfg.stale_after_days {
        cx.warn(
            "fiche-ancienne",
            card.fm.spans.value_or_key(Field::top("updated")),
            format!(
                "fiche mise à jour le {}, il y a {age} jours : au-delà de {} jours, ses informations ont peut-être changé",
                crate::dates::date_fr(&card.fm.updated),
                cfg.stale_after_days
            ),
            "vérifiez chaque information auprès des sources (sites officiels, acteurs), corrigez ce qui a changé, puis écrivez la date du jour dans `updated`",
        );
    }
}
