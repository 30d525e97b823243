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

use crate::diag::{Diagnostic, LineIndex, Severity, suggest};
use crate::model::*;

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
    check_keys(f, toml_text, base, table.get_ref(), diags);
    check_kind(f, toml_text, base, table.get_ref(), diags);
    if diags.len() > before {
        return None;
    }
    let fm = match serde::Deserialize::deserialize(toml::de::Deserializer::from(table)) {
        Ok(fm) => fm,
        Err(e) => {
            diags.push(toml_error(&f.rel, f.lines(), base, &e));
            return None;
        }
    };
    check_values(f, toml_text, base, &fm, &slug, diags);
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
fn check_keys(
    f: &SourceFile,
    toml_text: &str,
    base: usize,
    table: &toml::de::DeTable,
    diags: &mut Vec<Diagnostic>,
) {
    let mut unknown = |section: Option<&str>, nth: usize, key: &str, allowed: &[&str]| {
        let at = find_key_nth(toml_text, section, nth, key).unwrap_or(0) + base;
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
    for (key, value) in table {
        let key: &str = key.get_ref();
        if !TOP_KEYS.contains(&key) {
            unknown(None, 0, key, TOP_KEYS);
            continue;
        }
        let sub: &[&str] = match key {
            "points" => POINTS_KEYS,
            "regimes" => REGIMES_KEYS,
            "pendant_arret_travail" => PENDANT_KEYS,
            "links" => LINK_KEYS,
            _ => continue,
        };
        let tables: Vec<&toml::de::DeTable> = match value.get_ref() {
            toml::de::DeValue::Table(t) => vec![t],
            toml::de::DeValue::Array(a) => {
                a.iter().filter_map(|v| v.get_ref().as_table()).collect()
            }
            _ => continue,
        };
        for (nth, t) in tables.iter().enumerate() {
            for k in t.keys() {
                if !sub.contains(&k.get_ref().as_ref()) {
                    unknown(Some(key), nth, k.get_ref(), sub);
                }
            }
        }
    }
}

/// Reports a `kind` that names no kind of card. The other checks depend on
/// the kind, so such a card is not read further.
fn check_kind(
    f: &SourceFile,
    toml_text: &str,
    base: usize,
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
        let span = value.span();
        let off = toml_text[span.clone()].find(name).unwrap_or(0);
        diags.push(unknown_value(f, &KINDS, base + span.start + off, name));
    }
}

/// The error for a value that is not one of `choices`, at byte `at`.
fn unknown_value(f: &SourceFile, choices: &Choices, at: usize, value: &str) -> Diagnostic {
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
        at..at + value.len(),
        msg,
    )
    .help(format!(
        "écrivez une des valeurs possibles, exactement, entre guillemets, pour `{}`",
        choices.key
    ))
}

/// Checks enum values, kind-specific fields and dates.
fn check_values(
    f: &SourceFile,
    toml_text: &str,
    base: usize,
    fm: &FrontMatter,
    slug: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let key_at = |section: Option<&str>, nth: usize, key: &str| {
        find_key_nth(toml_text, section, nth, key).map(|o| o + base)
    };
    let mut bad_value = |choices: &Choices, section: Option<&str>, nth: usize, value: &str| {
        let key_off = key_at(section, nth, choices.key).unwrap_or(base);
        let quoted = format!("\"{value}\"");
        let at = f.text[key_off..]
            .find(&quoted)
            .map(|o| key_off + o + 1)
            .unwrap_or(key_off);
        diags.push(unknown_value(f, choices, at, value));
    };
    let check = |list: &[String], choices: &Choices, bad: &mut dyn FnMut(&Choices, &str)| {
        for v in list {
            if !choices.names().contains(&v.as_str()) {
                bad(choices, v);
            }
        }
    };
    let mut top = |c: &Choices, v: &str| bad_value(c, None, 0, v);
    check(&fm.stages, &STAGES, &mut top);
    if let Some(d) = &fm.droit {
        check(std::slice::from_ref(d), &DROITS, &mut top);
    }
    check(&fm.publics, &PUBLICS, &mut top);
    check(&fm.territoire, &TERRITOIRES, &mut top);
    check(&fm.situations, &SITUATIONS, &mut top);
    for (nth, l) in fm.links.iter().enumerate() {
        if !LINK_KINDS.names().contains(&l.kind.as_str()) {
            bad_value(&LINK_KINDS, Some("links"), nth, &l.kind);
        }
    }

    let at_key = |key: &str| {
        let o = key_at(None, 0, key).unwrap_or(base);
        o..o + key.len()
    };
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
        // Underline the value, not the key.
        let key = at_key("updated");
        let line = f.lines().line_col(key.start).0;
        let end =
            key.start + f.lines().line_text(line).len() - (f.lines().line_col(key.start).1 - 1);
        let value = f.text[key.end..end]
            .find(|c: char| c.is_ascii_digit())
            .map_or(key.clone(), |o| key.end + o..end);
        diags.push(
            Diagnostic::at(
                Severity::Error,
                "date",
                &f.rel,
                f.lines(),
                value,
                "la date `updated` doit être une date seule",
            )
            .help("écrivez updated = 2025-01-15 (année-mois-jour, sans guillemets ni heure)"),
        );
    }
}

/// Translates a TOML or serde error into a French diagnostic.
pub fn toml_error(file: &str, lines: &LineIndex, base: usize, e: &toml::de::Error) -> Diagnostic {
    let msg = e.message().trim();
    let span = e.span().unwrap_or(0..0);
    let mut range = base + span.start..base + span.end;
    if msg.contains("missing comma") {
        // The parser stops on the next line; the fix goes at the end of this one.
        let before = lines.slice(base..range.start).trim_end().len();
        range = base + before..base + before + 1;
    }
    let (code, text, help) = if let Some(field) = between(msg, "missing field `", "`") {
        (
            "champ-manquant",
            format!("champ obligatoire `{field}` manquant"),
            format!("ajoutez une ligne `{field} = …` dans l'en-tête, entre les deux lignes +++"),
        )
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = french_type(expected);
        let instead = match expected.strip_prefix("un") {
            Some(rest) if rest.starts_with([' ', 'e']) => format!("d'{expected}"),
            _ => format!("de {expected}"),
        };
        (
            "type",
            format!(
                "valeur du mauvais type : {} au lieu {instead}",
                french_type(found)
            ),
            format!("écrivez {expected}"),
        )
    } else if msg.contains("duplicate key") {
        let key = between(msg, "`", "`").unwrap_or(lines.slice(range.clone()).trim());
        let text = if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
            format!("le champ `{key}` est écrit deux fois")
        } else {
            "ce champ est écrit deux fois".into()
        };
        (
            "cle-en-double",
            text,
            "gardez une seule ligne pour ce champ, et effacez l'autre".into(),
        )
    } else {
        let (text, help) = syntax(msg, lines.slice(range.clone()));
        ("syntaxe-toml", text, help.into())
    };
    Diagnostic::at(Severity::Error, code, file, lines, range, text).help(help)
}

/// A TOML syntax error in the editor's words: what is wrong, what to do.
fn syntax(msg: &str, spot: &str) -> (String, &'static str) {
    const HELP: &str = "une ligne s'écrit champ = valeur : un texte entre guillemets droits \"…\", une liste entre crochets [\"a\", \"b\"], une date sans guillemets 2025-01-15";
    if msg.contains("string values must be quoted") && spot.contains(['“', '”', '«', '»']) {
        return (
            "les guillemets doivent être des guillemets droits \"".into(),
            "remplacez “ ” ou « » autour de la valeur par des guillemets droits \" (touche 3 du clavier)",
        );
    }
    let text = if msg.contains("string values must be quoted") {
        "un texte doit être écrit entre guillemets droits \"…\""
    } else if msg.contains("key with no value") {
        "il manque le signe = entre le nom du champ et sa valeur"
    } else if msg.contains("invalid basic string") || msg.contains("unterminated") {
        "il manque le guillemet \" de fin du texte"
    } else if msg.contains("missing comma between array elements") {
        "il manque une virgule entre deux valeurs, ou le crochet ] de fin de la liste"
    } else if msg.contains("unexpected key or value") {
        "il y a quelque chose en trop après la valeur, sur cette ligne"
    } else if msg.contains("missing escaped value") || msg.contains("invalid escape") {
        return (
            "une barre oblique inverse \\ doit être doublée dans un texte entre guillemets".into(),
            "écrivez \\\\ au lieu de \\, ou enlevez-la",
        );
    } else {
        return (
            format!("cette ligne de l'en-tête n'est pas écrite correctement ({msg})"),
            HELP,
        );
    };
    (text.into(), HELP)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

fn french_type(t: &str) -> String {
    let t = t.trim();
    let word = t.split_whitespace().next().unwrap_or("");
    match word {
        "string" | "a" if t.contains("string") => "un texte entre guillemets".into(),
        "string" => "un texte entre guillemets".into(),
        "sequence" | "array" => "une liste entre crochets [ … ]".into(),
        "boolean" => "true ou false".into(),
        "integer" | "i64" | "u64" => "un nombre entier".into(),
        "map" | "struct" => "un tableau [section]".into(),
        _ if t.contains("sequence") => "une liste entre crochets [ … ]".into(),
        _ if t.contains("boolean") || t == "a boolean" => "true ou false".into(),
        _ if t.contains("integer") || t == "i64" => "un nombre entier".into(),
        _ if t.contains("datetime") || t.contains("date") => "une date comme 2025-01-15".into(),
        _ if t.contains("map") || t.contains("struct") || t.contains("table") => {
            "un tableau [section]".into()
        }
        _ => t.to_string(),
    }
}

/// Byte offset of `key =` at top level (`section = None`) or in the nth
/// `[section]` / `[[section]]` table.
pub fn find_key(text: &str, section: Option<&str>, key: &str) -> Option<usize> {
    find_key_nth(text, section, 0, key)
}

/// Byte offset of `key =` in the nth `[section]` or `[[section]]` table (or at top level).
pub fn find_key_nth(text: &str, section: Option<&str>, nth: usize, key: &str) -> Option<usize> {
    // Where the lines are: at top level (`None`), or in the table we want
    // (`Some(true)`), or in another one.
    let mut inside = section.is_none();
    let mut seen = 0;
    for (r, line) in line_spans(text) {
        let t = line.trim_start();
        if t.starts_with('[') {
            let name = t
                .trim_matches(|c| c == '[' || c == ']' || c == ' ')
                .trim_end_matches(']');
            let name = name.split(']').next().unwrap_or("").trim();
            inside = section == Some(name) && {
                seen += 1;
                seen == nth + 1
            };
            continue;
        }
        if !inside {
            continue;
        }
        let lead = line.len() - t.len();
        let k = t.trim_start_matches('"');
        if let Some(rest) = k.strip_prefix(key) {
            let rest = rest.trim_start_matches('"').trim_start();
            if rest.starts_with('=') {
                return Some(r.start + lead + (t.len() - k.len()));
            }
        }
    }
    // A key in a table can also be written `section.key = …` at top level.
    None
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
    for c in crate::search::fold(s).chars() {
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

    #[test]
    fn find_key_looks_in_the_right_table() {
        let t = "title = \"x\"\n[points]\nnature = \"a\"\n[[links]]\ntitle = \"b\"\n[[links]]\ntitle = \"c\"\n";
        assert_eq!(find_key(t, None, "title"), Some(0));
        assert_eq!(
            find_key_nth(t, Some("points"), 0, "nature"),
            t.find("nature")
        );
        assert_eq!(find_key_nth(t, Some("links"), 1, "title"), t.rfind("title"));
    }
}
