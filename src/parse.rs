//! Stage 2: parse.
//!
//! Takes: source files. Gives: cards (checked front matter, heading ids,
//! plain text), then, one card at a time, its Markdown events with byte
//! ranges (`events`).
//! Reports: a missing or unclosed `+++` block, TOML syntax errors, unknown keys,
//! wrong types, unknown values ("did you mean"), missing fields, bad slugs.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use std::collections::BTreeSet;
use std::ops::Range;

use crate::diag::{Diagnostic, Severity, suggest};
use crate::model::*;
use crate::spans::{Field, Spans, toml_error};

/// Page names the generator writes itself; a `page` card cannot take them.
pub const RESERVED: &[&str] = &[
    "index",
    "a-z",
    "glossaire",
    "contacts",
    "recherche",
    "trouver",
    "guide-complet",
    "404",
    "sitemap",
    "search-index",
];

/// Parses every file; a file with errors gives no card.
pub fn parse(files: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Vec<Card> {
    use rayon::prelude::*;
    let results: Vec<(Option<Card>, Vec<Diagnostic>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let mut local = Vec::new();
            let card = parse_one(i, f, &mut local);
            (card, local)
        })
        .collect();
    let mut cards = Vec::new();
    for (card, local) in results {
        diags.extend(local);
        cards.extend(card);
    }
    cards
}

/// Where the TOML and the body are in a card file.
#[derive(Debug, PartialEq)]
pub struct Split {
    pub toml: Range<usize>,
    pub body_start: usize,
}

/// Finds the `+++` front matter. Errors name the line to fix.
pub fn split(text: &str) -> Result<Split, (Range<usize>, &'static str, &'static str)> {
    let mut lines = line_spans(text);
    let first = lines.next();
    match first {
        Some((r, l)) if l.trim_end() == "+++" => {
            let toml_start = r.end;
            for (r2, l2) in lines {
                if l2.trim_end() == "+++" {
                    return Ok(Split {
                        toml: toml_start..r2.start,
                        body_start: r2.end,
                    });
                }
            }
            Err((
                r.start..r.start + 3,
                "l'en-tête n'est pas fermé : la ligne +++ de fin manque",
                "ajoutez une ligne +++ après la dernière ligne de l'en-tête, avant le texte de la fiche",
            ))
        }
        _ => Err((
            0..text.lines().next().map(str::len).unwrap_or(0).max(1),
            "la fiche ne commence pas par un en-tête +++",
            "la première ligne du fichier doit être +++, suivie des champs (title = \"…\", kind = \"…\", …) puis d'une autre ligne +++",
        )),
    }
}

/// Lines with their byte ranges including the line ending.
fn line_spans(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |l| {
        let r = pos..pos + l.len();
        pos = r.end;
        (r, l.trim_end_matches(['\n', '\r']))
    })
}

fn parse_one(index: usize, f: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Card> {
    let err = |code, range: Range<usize>, msg: String| {
        Diagnostic::at(Severity::Error, code, &f.rel, f.lines(), range, msg)
    };
    let slug = f
        .rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
        .to_string();
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        diags.push(
            Diagnostic::file(
                "nom-de-fichier",
                &f.rel,
                format!("le nom de fichier « {slug}.md » contient des caractères non permis"),
            )
            .help("n'utilisez que des lettres minuscules sans accent, des chiffres et des tirets : prepa-apprentissage.md"),
        );
        return None;
    }
    let split = match split(&f.text) {
        Ok(s) => s,
        Err((range, msg, help)) => {
            diags.push(err("en-tete", range, msg.into()).help(help));
            return None;
        }
    };
    let toml_text = &f.text[split.toml.clone()];
    let base = split.toml.start;
    // One TOML parse: its tree gives the keys to check, then the front matter.
    let table = match toml::de::DeTable::parse(toml_text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_error(&f.rel, f.lines(), base, &e));
            return None;
        }
    };
    let before = diags.len();
    check_keys(f, base, table.get_ref(), diags);
    if diags.len() > before {
        return None;
    }
    let spans = Spans::new(table.get_ref(), toml_text, base, KEYS);
    check_kind(f, &spans, table.get_ref(), diags);
    if diags.len() > before {
        return None;
    }
    let mut fm: FrontMatter =
        match serde::Deserialize::deserialize(toml::de::Deserializer::from(table)) {
            Ok(fm) => fm,
            Err(e) => {
                diags.push(toml_error(&f.rel, f.lines(), base, &e));
                return None;
            }
        };
    fm.spans = spans;
    check_values(f, &fm, &slug, diags);
    if diags.len() > before {
        return None;
    }
    let (headings, text) = outline(&f.text[split.body_start..]);
    Some(Card {
        slug,
        file: index,
        fm,
        body_start: split.body_start,
        headings,
        text,
        body: Body::default(),
    })
}

/// Reports every key that the schema does not know, with a suggestion.
fn check_keys(f: &SourceFile, base: usize, table: &toml::de::DeTable, diags: &mut Vec<Diagnostic>) {
    let mut unknown = |section: Option<&str>, at: usize, key: &str, allowed: &[&str]| {
        let at = at + base;
        let place = match section {
            Some(s) => format!(" dans [{s}]"),
            None => String::new(),
        };
        let help = match suggest(key, allowed) {
            Some(s) => format!(
                "vouliez-vous dire `{s}` ? Clés possibles : {}",
                allowed.join(", ")
            ),
            None => format!("clés possibles : {}", allowed.join(", ")),
        };
        diags.push(
            Diagnostic::at(
                Severity::Error,
                "cle-inconnue",
                &f.rel,
                f.lines(),
                at..at + key.len(),
                format!("clé inconnue `{key}`{place}"),
            )
            .help(help),
        );
    };
    for (name, value) in table {
        let key: &str = name.get_ref();
        if !TOP_KEYS.contains(&key) {
            unknown(None, name.span().start, key, TOP_KEYS);
            continue;
        }
        let Some(sub) = sub_keys(key) else {
            continue;
        };
        let tables: Vec<&toml::de::DeTable> = match value.get_ref() {
            toml::de::DeValue::Table(t) => vec![t],
            toml::de::DeValue::Array(a) => {
                a.iter().filter_map(|v| v.get_ref().as_table()).collect()
            }
            _ => continue,
        };
        for t in tables {
            for k in t.keys() {
                if !sub.contains(&k.get_ref().as_ref()) {
                    unknown(Some(key), k.span().start, k.get_ref(), sub);
                }
            }
        }
    }
}

/// Reports a `kind` that names no kind of card. The other checks depend on
/// the kind, so such a card is not read further.
fn check_kind(
    f: &SourceFile,
    spans: &Spans,
    table: &toml::de::DeTable,
    diags: &mut Vec<Diagnostic>,
) {
    let value = table.iter().find(|(k, _)| {
        let key: &str = k.get_ref();
        key == KINDS.key
    });
    let Some((_, value)) = value else { return };
    let Some(name) = value.get_ref().as_str() else {
        return;
    };
    if Kind::from_name(name).is_none() {
        let at = spans.value_or_key(Field::top(KINDS.key));
        diags.push(unknown_value(f, &KINDS, at, name));
    }
}

/// The error for a value that is not one of `choices`, at bytes `at`.
fn unknown_value(f: &SourceFile, choices: &Choices, at: Range<usize>, value: &str) -> Diagnostic {
    let names = choices.names();
    let mut msg = format!(
        "{} inconnu{} \"{value}\" — valeurs possibles : {}.",
        choices.noun,
        if choices.noun.ends_with('e') && choices.noun != "type de fiche" {
            "e"
        } else {
            ""
        },
        names.join(", ")
    );
    if let Some(s) = suggest(value, &names) {
        msg.push_str(&format!(" Vouliez-vous dire \"{s}\" ?"));
    }
    Diagnostic::at(
        Severity::Error,
        "valeur-inconnue",
        &f.rel,
        f.lines(),
        at,
        msg,
    )
    .help(format!(
        "écrivez une des valeurs possibles, exactement, entre guillemets, pour `{}`",
        choices.key
    ))
}

/// Checks enum values, kind-specific fields and dates.
fn check_values(f: &SourceFile, fm: &FrontMatter, slug: &str, diags: &mut Vec<Diagnostic>) {
    let spans = &fm.spans;
    let mut bad_value = |choices: &Choices, at: Field, value: &str| {
        diags.push(unknown_value(f, choices, spans.value_or_key(at), value));
    };
    let mut check = |list: &[String], choices: &Choices, one: bool| {
        for (nth, v) in list.iter().enumerate() {
            if !choices.names().contains(&v.as_str()) {
                let at = if one {
                    Field::top(choices.key)
                } else {
                    Field::item(choices.key, nth)
                };
                bad_value(choices, at, v);
            }
        }
    };
    check(&fm.stages, &STAGES, false);
    if let Some(d) = &fm.droit {
        check(std::slice::from_ref(d), &DROITS, true);
    }
    if let Some(v) = &fm.source {
        check(std::slice::from_ref(v), &SOURCES, true);
    }
    check(&fm.publics, &PUBLICS, false);
    check(&fm.territoire, &TERRITOIRES, false);
    check(&fm.situations, &SITUATIONS, false);
    for (nth, l) in fm.links.iter().enumerate() {
        if !LINK_KINDS.names().contains(&l.kind.as_str()) {
            bad_value(&LINK_KINDS, Field::item_sub("links", nth, "kind"), &l.kind);
        }
    }

    let at_key = |key: &'static str| spans.key_or_start(Field::top(key));
    let mut missing = |key: &str, why: &str, help: &str| {
        let r = at_key("kind");
        diags.push(
            Diagnostic::at(
                Severity::Error,
                "champ-manquant",
                &f.rel,
                f.lines(),
                r,
                format!("champ `{key}` manquant : {why}"),
            )
            .help(help.to_string()),
        );
    };
    match fm.kind {
        Kind::Terme => {
            if fm.term.as_deref().is_none_or(|t| t.trim().is_empty()) {
                missing(
                    "term",
                    "une fiche de glossaire doit dire le mot ou le sigle",
                    "ajoutez term = \"RQTH\" (le mot tel qu'il est écrit dans les fiches)",
                );
            }
            if fm.expansion.as_deref().is_none_or(|t| t.trim().is_empty()) {
                missing(
                    "expansion",
                    "une fiche de glossaire doit donner la forme longue",
                    "ajoutez expansion = \"Reconnaissance de la qualité de travailleur handicapé\"",
                );
            }
        }
        k if k.needs_droit() => {
            if fm.droit.is_none() {
                missing(
                    "droit",
                    "un dispositif ou un outil est de droit commun ou de droit spécifique",
                    "ajoutez droit = \"commun\" ou droit = \"specifique\" (réservé aux personnes dont le handicap est reconnu)",
                );
            }
            if k == Kind::Dispositif && fm.stages.is_empty() {
                missing(
                    "stages",
                    "un dispositif se place dans au moins une étape du parcours",
                    "ajoutez par exemple stages = [\"formation\"] (remobilisation, preparation, formation, emploi)",
                );
            }
        }
        Kind::Page if RESERVED.contains(&slug) => {
            diags.push(
                Diagnostic::file(
                    "nom-reserve",
                    &f.rel,
                    format!("le nom « {slug} » est réservé à une page du site"),
                )
                .help("renommez le fichier (par exemple « a-propos.md »)"),
            );
        }
        _ => {}
    }
    for (key, value) in [("title", &fm.title), ("summary", &fm.summary)] {
        if value.trim().is_empty() {
            diags.push(
                Diagnostic::at(
                    Severity::Error,
                    "champ-vide",
                    &f.rel,
                    f.lines(),
                    at_key(key),
                    format!("le champ `{key}` est vide"),
                )
                .help("écrivez un texte entre les guillemets"),
            );
        }
    }
    let d = &fm.updated;
    if d.date.is_none() || d.time.is_some() {
        diags.push(
            Diagnostic::at(
                Severity::Error,
                "date",
                &f.rel,
                f.lines(),
                spans.value_or_key(Field::top("updated")),
                "la date `updated` doit être une date seule",
            )
            .help("écrivez updated = 2025-01-15 (année-mois-jour, sans guillemets ni heure)"),
        );
    }
}

/// The Markdown options of every card body.
pub const MARKDOWN: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// First, light pass over a Markdown body: its headings with unique ids and
/// its plain text. The events are not kept (issue 8: holding every card's
/// events took most of the memory of a big guide); `events` reads the body
/// again when the card's turn comes.
fn outline(body: &str) -> (Vec<Heading>, String) {
    let mut headings = Vec::new();
    let mut plain = String::with_capacity(body.len());
    let mut ids = BTreeSet::new();
    let mut heading: Option<(u8, String)> = None;
    for ev in Parser::new_ext(body, MARKDOWN) {
        match &ev {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((*level as u8, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, htext)) = heading.take() {
                    let id = unique_id(&slugify(&htext), &mut ids);
                    headings.push(Heading {
                        level,
                        text: htext.trim().to_string(),
                        id,
                    });
                }
                // A heading ends a line of the plain text, or its last word would
                // stick to the next paragraph's first word (search index, issue #6).
                plain.push('\n');
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(t);
                }
                plain.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => plain.push('\n'),
            _ => {}
        }
    }
    (headings, plain)
}

/// The body of a card as Markdown events, adjacent texts merged, with their
/// byte ranges in the whole file and the heading ids of `outline`. The events
/// borrow the file's text and the card's headings.
pub fn events<'a>(f: &'a SourceFile, card: &'a Card) -> Vec<Spanned<'a>> {
    let body_start = card.body_start.min(f.text.len());
    let body = &f.text[body_start..];
    let parser = TextMergeWithOffset::new(Parser::new_ext(body, MARKDOWN).into_offset_iter());
    let mut headings = card.headings.iter();
    let mut events = Vec::with_capacity(body.len() / 16);
    for (mut ev, r) in parser {
        if let Event::Start(Tag::Heading { id, .. }) = &mut ev {
            *id = headings.next().map(|h| CowStr::Borrowed(h.id.as_str()));
        }
        events.push((ev, r.start + body_start..r.end + body_start));
    }
    events
}

fn unique_id(base: &str, ids: &mut BTreeSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 2;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Lowercase ASCII slug of a French text ("Étapes clés" → "etapes-cles").
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in crate::text::fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_front_matter_with_any_line_ending() {
        for text in [
            "+++\na = 1\n+++\nbody",
            "+++\r\na = 1\r\n+++\r\nbody",
            "+++  \na = 1\n+++",
        ] {
            let s = split(text).unwrap();
            assert_eq!(text[s.toml.clone()].trim(), "a = 1", "{text:?}");
        }
        assert!(split("").is_err());
        assert!(split("title = 1").is_err());
        assert!(split("+++\ntitle = 1\n").is_err());
    }

    #[test]
    fn slugify_folds_accents_and_punctuation() {
        for (input, want) in [
            ("Étapes clés", "etapes-cles"),
            ("Bon à savoir !", "bon-a-savoir"),
            ("L'AFC — en 3 points", "l-afc-en-3-points"),
        ] {
            assert_eq!(slugify(input), want);
        }
    }
}
