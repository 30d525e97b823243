//! Positions in TOML: where each key and value of a front matter is.
//!
//! Takes: the TOML parser's tree (`toml::de::DeTable`: every key and value
//! carries its byte span) and where the TOML starts in its file. Gives:
//! `Spans`, kept with the front matter, so that every later diagnostic points
//! at the exact key or value (dotted keys and inline tables included) without
//! reading the file again; and `toml_error`, a TOML or serde error in French.
//! Reports: nothing itself.

use std::ops::Range;

use crate::diag::{Diagnostic, LineIndex, Severity};

/// A front-matter field: a top-level key, one element of a list, or a key of
/// a table (`[points]`, `points.nature`, or the nth `[[links]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    key: &'static str,
    nth: Option<usize>,
    sub: Option<&'static str>,
}

impl Field {
    /// A top-level key (`title`).
    pub const fn top(key: &'static str) -> Field {
        Field {
            key,
            nth: None,
            sub: None,
        }
    }

    /// The nth element of a list (`stages`, `related`) or of an array of tables.
    pub const fn item(key: &'static str, nth: usize) -> Field {
        Field {
            key,
            nth: Some(nth),
            sub: None,
        }
    }

    /// A key of a table (`points.nature`).
    pub const fn sub(key: &'static str, sub: &'static str) -> Field {
        Field {
            key,
            nth: None,
            sub: Some(sub),
        }
    }

    /// A key of the nth table of an array (`url` of the second `[[links]]`).
    pub const fn item_sub(key: &'static str, nth: usize, sub: &'static str) -> Field {
        Field {
            key,
            nth: Some(nth),
            sub: Some(sub),
        }
    }
}

/// Where the keys and values of one front matter are in their file, as the
/// parser found them. Small on purpose: 16 bytes a field (issue 8, memory).
#[derive(Debug, Clone, Default)]
pub struct Spans {
    places: Vec<Place>,
    keys: Keys,
}

/// The keys a table may hold: the top-level ones, and for each the keys of
/// its tables (`model::TOP_KEYS`, `model::sub_keys`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Keys {
    /// Top-level keys.
    pub top: &'static [&'static str],
    /// The keys of the tables of a top-level key.
    pub sub: Option<SubKeys>,
}

/// The keys of the tables of a top-level key, if it holds tables
/// (`model::sub_keys`).
pub type SubKeys = fn(&str) -> Option<&'static [&'static str]>;

impl Keys {
    fn sub(&self, key: &str) -> Option<&'static [&'static str]> {
        (self.sub?)(key)
    }
}

const NONE: u8 = u8::MAX;

#[derive(Debug, Clone)]
struct Place {
    /// Index in `TOP_KEYS`.
    key: u8,
    /// Index in `sub_keys(key)`, or `NONE`.
    sub: u8,
    /// Index in the list, or `u16::MAX`.
    nth: u16,
    key_at: u32,
    /// The value; a string's text only, without its quotes.
    value: [u32; 2],
}

impl Spans {
    /// The positions of a parsed front matter whose text starts at byte
    /// `base` of its file. Keys not in `keys` are left out (`parse` refuses
    /// them first).
    pub fn new(table: &toml::de::DeTable, toml_text: &str, base: usize, keys: Keys) -> Spans {
        let place = |key: usize, sub: u8, nth: u16, key_at: usize, value: &Value| {
            let value = text_of(toml_text, value);
            Place {
                key: key as u8,
                sub,
                nth,
                key_at: (key_at + base) as u32,
                value: [(value.start + base) as u32, (value.end + base) as u32],
            }
        };
        let mut places = Vec::new();
        for (k, v) in table {
            let Some(key) = keys.top.iter().position(|t| *t == k.get_ref().as_ref()) else {
                continue;
            };
            places.push(place(key, NONE, u16::MAX, k.span().start, v));
            let subs = keys.sub(keys.top[key]).unwrap_or(&[]);
            let table_of = |t: &toml::de::DeTable, nth: u16, places: &mut Vec<Place>| {
                for (sk, sv) in t {
                    if let Some(sub) = subs.iter().position(|s| *s == sk.get_ref().as_ref()) {
                        places.push(place(key, sub as u8, nth, sk.span().start, sv));
                    }
                }
            };
            match v.get_ref() {
                toml::de::DeValue::Array(a) => {
                    for (n, e) in a.iter().enumerate() {
                        let n = u16::try_from(n).unwrap_or(u16::MAX);
                        places.push(place(key, NONE, n, e.span().start, e));
                        if let toml::de::DeValue::Table(t) = e.get_ref() {
                            table_of(t, n, &mut places);
                        }
                    }
                }
                toml::de::DeValue::Table(t) => table_of(t, u16::MAX, &mut places),
                _ => {}
            }
        }
        Spans { places, keys }
    }

    fn find(&self, f: Field) -> Option<&Place> {
        let key = self.keys.top.iter().position(|k| *k == f.key)? as u8;
        let sub = match f.sub {
            Some(s) => self.keys.sub(f.key)?.iter().position(|k| *k == s)? as u8,
            None => NONE,
        };
        let nth = f
            .nth
            .map_or(u16::MAX, |n| u16::try_from(n).unwrap_or(u16::MAX));
        self.places
            .iter()
            .find(|p| p.key == key && p.sub == sub && p.nth == nth)
    }

    /// Where the key of a field is written (the first byte of its name).
    pub fn key(&self, f: Field) -> Option<Range<usize>> {
        let p = self.find(f)?;
        let len = f.sub.unwrap_or(f.key).len();
        Some(p.key_at as usize..p.key_at as usize + len)
    }

    /// Where the value of a field is: a string's text without its quotes,
    /// any other value whole.
    pub fn value(&self, f: Field) -> Option<Range<usize>> {
        let p = self.find(f)?;
        Some(p.value[0] as usize..p.value[1] as usize)
    }

    /// The value of a field, else its key, else the start of the front matter.
    pub fn value_or_key(&self, f: Field) -> Range<usize> {
        self.value(f)
            .or_else(|| self.key(f))
            .unwrap_or_else(|| self.start()..self.start())
    }

    /// The key of a field, else the start of the front matter.
    pub fn key_or_start(&self, f: Field) -> Range<usize> {
        self.key(f).unwrap_or_else(|| self.start()..self.start())
    }

    /// The first position known (the front matter's first key).
    fn start(&self) -> usize {
        self.places
            .iter()
            .map(|p| p.key_at as usize)
            .min()
            .unwrap_or(0)
    }
}

/// The span of a value; for a string, its text between the quotes (and
/// after the line break that may follow `"""`).
fn text_of(toml_text: &str, v: &Value) -> Range<usize> {
    let r = v.span();
    if !v.get_ref().is_str() {
        return r;
    }
    let raw = toml_text.get(r.clone()).unwrap_or("");
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * quote.len() && raw.starts_with(quote) && raw.ends_with(quote) {
            let inner = &raw[quote.len()..raw.len() - quote.len()];
            let skip = match (quote.len(), inner.as_bytes()) {
                (3, [b'\r', b'\n', ..]) => 2,
                (3, [b'\n', ..]) => 1,
                _ => 0,
            };
            return r.start + quote.len() + skip..r.end - quote.len();
        }
    }
    r
}

type Value<'i> = toml::Spanned<toml::de::DeValue<'i>>;

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
    let (code, text, help) = if msg.starts_with("invalid date") {
        (
            "date",
            impossible_date(lines.slice(range.clone())),
            "écrivez un jour qui existe, au format année-mois-jour, sans guillemets : updated = 2025-01-15".into(),
        )
    } else if let Some(field) = between(msg, "missing field `", "`") {
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

/// What is wrong with a date the TOML parser refused (`2026-02-31`).
fn impossible_date(spot: &str) -> String {
    let date = spot.get(..10).unwrap_or(spot);
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    match (
        parts.next().flatten(),
        parts.next().flatten(),
        parts.next().flatten(),
    ) {
        (Some(y), Some(m @ 1..=12), Some(_)) => format!(
            "la date `{date}` n'existe pas : {} {y} a {} jours",
            crate::dates::MONTHS[(m - 1) as usize],
            crate::dates::days_in_month(y, m)
        ),
        (Some(_), Some(_), Some(_)) => {
            format!("la date `{date}` n'existe pas : le mois va de 01 à 12")
        }
        _ => format!("la date `{date}` n'est pas une date valide"),
    }
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
