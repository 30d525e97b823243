//! "Trouver une solution": the data and questions of the orientation page.
//!
//! Takes: checked cards. Gives: `trouver-data.js` (the front-matter facts the
//! page filters on, nothing else) and the questions for `trouver.html`.
//! The filtering itself runs in the reader's browser (`js/trouver.js`); it reads
//! only front matter, so editors keep the answers right through the cards.

use serde::Serialize;

use crate::model::{Card, Kind, PUBLICS, SITUATIONS, STAGES, TERRITOIRES};

/// One card as the orientation page sees it.
#[derive(Serialize)]
struct Entry<'a> {
    slug: &'a str,
    kind: Kind,
    title: &'a str,
    url: String,
    summary: &'a str,
    stages: &'a [String],
    droit: Option<&'a str>,
    publics: &'a [String],
    situations: &'a [String],
    territoire: &'a [String],
    /// `true` / `false` when the card says whether it can be used during sick leave.
    arret: Option<bool>,
    compensation: &'a [String],
}

/// The data file, as a script that defines it (works from `file://`).
pub fn data_page(cards: &[Card]) -> crate::model::Page {
    let entries: Vec<Entry> = cards
        .iter()
        .filter(|c| c.fm.kind.is_fiche())
        .map(|c| Entry {
            slug: &c.slug,
            kind: c.fm.kind,
            title: &c.fm.title,
            url: c.url(),
            summary: &c.fm.summary,
            stages: &c.fm.stages,
            droit: c.fm.droit.as_deref(),
            publics: &c.fm.publics,
            situations: &c.fm.situations,
            territoire: &c.fm.territoire,
            arret: c.fm.pendant_arret_travail.as_ref().map(|p| p.possible),
            compensation: &c.fm.compensation,
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    crate::model::Page {
        path: "trouver-data.js".into(),
        bytes: format!("window.FICHES_TROUVER={};\n", crate::model::js_safe(&json)).into_bytes(),
    }
}

/// A choice of the form: value, label, pictogram, and the no-JS listing page.
#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    icon: &'static str,
    url: String,
}

/// The questions of `trouver.html`, in the guide's words.
pub fn context(ctx: &mut tera::Context) {
    let publics: Vec<Choice> = PUBLICS
        .values
        .iter()
        .map(|(v, l)| Choice {
            value: v,
            label: l,
            icon: "personne",
            url: format!("publics/{v}.html"),
        })
        .collect();
    let needs = [
        ("remobilisation", "Reprendre un rythme, reprendre confiance"),
        ("preparation", "Préciser son projet, se préparer"),
        ("formation", "Se former, apprendre un métier"),
        ("emploi", "Trouver ou garder un emploi"),
    ];
    let etapes: Vec<Choice> = needs
        .iter()
        .map(|(v, l)| Choice {
            value: v,
            label: l,
            icon: "etapes",
            url: format!("etapes/{v}.html"),
        })
        .collect();
    let plain = |c: &crate::model::Choices| -> Vec<Choice> {
        c.values
            .iter()
            .map(|(v, l)| Choice {
                value: v,
                label: l,
                icon: "",
                url: String::new(),
            })
            .collect()
    };
    debug_assert_eq!(STAGES.values.len(), needs.len());
    ctx.insert("q_publics", &publics);
    ctx.insert("q_etapes", &etapes);
    ctx.insert("q_situations", &plain(&SITUATIONS));
    ctx.insert("q_territoires", &plain(&TERRITOIRES));
}
