//! Stage 5: search index.
//!
//! Takes: the cards (front matter and plain text, never HTML) and the editors'
//! synonyms (`content/synonymes.toml`). Gives: `search-index.js`, a script that
//! defines `window.FICHES_INDEX`, read by js/recherche.js (a script, not JSON to
//! fetch, so that search works from `file://`).
//! Reports: a synonyms file that is not valid TOML, or a value that is not text.
//!
//! The normalisation (`fold`, `words`, `is_stop`, `stem`, `terms`) lives in
//! search/normalise.rs; js/recherche.js implements the same rules for queries.
//!
//! Index format (issue #6): `docs` (url, title, acronym, aliases, kind, stages,
//! publics, summary, short extra text), `terms` (stem → flat list of doc-id deltas and
//! integer weights, keys sorted so the format can later be split by prefix) and
//! `words` (the folded words whose stem differs from the word, for prefix and typo
//! matching while the reader types).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use rayon::prelude::*;

mod normalise;
use normalise::split_words;
pub use normalise::{STOP_WORDS, fold, is_stop, stem, terms, words};

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::model::{Card, KINDS, PUBLICS, Page, STAGES};

/// FNV-1a: the index hashes every word several times; the maps here are never
/// fed by anyone but us, so a fast hash without DoS protection is fine.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

/// Field weights: title and acronym above aliases, above summary and headings,
/// above the points clés, above the body.
const TITLE: f32 = 10.0;
const ALIAS: f32 = 6.0;
const SUMMARY: f32 = 4.0;
const HEADING: f32 = 3.0;
const POINTS: f32 = 2.0;
const BODY: f32 = 1.0;
/// Weight of the expansion and aliases of a glossary term that a card mentions.
const GLOSSARY: f32 = 1.0;
/// Weights are shipped as integers: weight × SCALE, rounded.
const SCALE: f32 = 4.0;
/// BM25 parameters for the body (long cards must not win by length alone).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Excerpt length, in characters, besides the summary.
const EXTRA_CHARS: usize = 160;

/// The editors' synonyms file (not a card: load.rs only reads `*.md`).
pub const SYNONYMS_FILE: &str = "content/synonymes.toml";

/// Groups of expressions that readers use for the same thing
/// (`"pole emploi" = "france travail"`), from `content/synonymes.toml`.
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// Each group: its expressions as written.
    pub groups: Vec<Vec<String>>,
}

/// Reads `content/synonymes.toml` when it exists: `"expression" = "autre"` or
/// `"expression" = ["autre", "encore une autre"]`, one group per key.
pub fn synonyms(root: &Path, diags: &mut Vec<Diagnostic>) -> Synonyms {
    let Ok(text) = std::fs::read_to_string(root.join(SYNONYMS_FILE)) else {
        return Synonyms::default();
    };
    let lines = LineIndex::new(&text);
    let table: toml::Table = match toml::from_str(&text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(crate::parse::toml_error(SYNONYMS_FILE, &lines, 0, &e));
            return Synonyms::default();
        }
    };
    let mut groups = Vec::new();
    for (key, value) in &table {
        let others: Option<Vec<String>> = match value {
            toml::Value::String(s) => Some(vec![s.clone()]),
            toml::Value::Array(a) => a.iter().map(|v| v.as_str().map(String::from)).collect(),
            _ => None,
        };
        match others {
            Some(others) => groups.push(std::iter::once(key.clone()).chain(others).collect()),
            None => {
                let at = crate::parse::find_key(&text, None, key).unwrap_or(0);
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        "synonyme",
                        SYNONYMS_FILE,
                        &lines,
                        at..at + key.len(),
                        format!("les synonymes de « {key} » ne sont pas du texte"),
                    )
                    .help(format!(
                        "écrivez \"{key}\" = \"autre expression\", ou une liste : \"{key}\" = [\"une\", \"autre\"]"
                    )),
                );
            }
        }
    }
    Synonyms { groups }
}

/// One way to say a group's meaning: stems, or case-kept tokens for acronyms.
enum Form {
    Stems(Vec<String>),
    Acronym(Vec<String>),
}

/// Expressions that mean the same: a synonyms group, or a glossary term with its
/// expansion and aliases. A card that contains one form gets all the others.
struct Group {
    forms: Vec<Form>,
    /// Stems added to a card that contains one of the forms.
    stems: Vec<String>,
    /// Their folded words, when they differ from the stems.
    words: Vec<String>,
    /// Fixed weight (glossary), or `None`: the weight of the field it was found in.
    weight: Option<f32>,
}

/// Whether an expression is written as an acronym: one of its words has two
/// capitals or is all capitals ("RQTH", "ATPro", "Pro-A", "Pass P'AS"; not
/// "France Travail"). Acronyms are matched case-kept: "DE" is a term, "de" is not.
fn is_acronym(s: &str) -> bool {
    raw_tokens(s).any(|t| {
        let caps = t.chars().filter(|c| c.is_uppercase()).count();
        caps >= 2 || (caps >= 1 && !t.chars().any(char::is_lowercase))
    })
}

/// Case-kept tokens, for acronyms.
fn raw_tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn group(names: &[String], weight: Option<f32>) -> Group {
    let mut forms = Vec::new();
    let mut stems = Vec::new();
    let mut folded = Vec::new();
    for n in names {
        let t = terms(n);
        stems.extend(t.iter().cloned());
        folded.extend(
            words(n)
                .into_iter()
                .filter(|w| !is_stop(w) && stem(w) != *w),
        );
        if is_acronym(n) {
            forms.push(Form::Acronym(raw_tokens(n).map(String::from).collect()));
        } else if !t.is_empty() {
            forms.push(Form::Stems(t));
        }
    }
    stems.sort();
    stems.dedup();
    folded.sort();
    folded.dedup();
    Group {
        forms,
        stems,
        words: folded,
        weight,
    }
}

/// Every group, and where each form starts, to find them in one pass over a card.
struct Groups {
    list: Vec<Group>,
    by_stem: FastMap<String, Vec<(usize, usize)>>,
    by_token: FastMap<String, Vec<(usize, usize)>>,
    /// Names of the glossary terms a card explains, by the card's slug (the
    /// term's `fiche`, or the same slug) and by acronym.
    by_fiche: HashMap<String, Vec<String>>,
    by_acronym: HashMap<String, Vec<String>>,
}

impl Groups {
    fn new(cards: &[Card], syn: &Synonyms) -> Groups {
        let mut list: Vec<Group> = syn.groups.iter().map(|g| group(g, None)).collect();
        let mut by_fiche: HashMap<String, Vec<String>> = HashMap::new();
        let mut by_acronym: HashMap<String, Vec<String>> = HashMap::new();
        for c in cards.iter().filter(|c| c.is_term()) {
            let mut names: Vec<String> = c.fm.term.iter().cloned().collect();
            names.extend(c.fm.expansion.iter().cloned());
            names.extend(c.fm.aliases.iter().cloned());
            let fiche = c.fm.fiche.clone().unwrap_or_else(|| c.slug.clone());
            by_fiche.entry(fiche).or_default().extend(names.clone());
            if let Some(t) = &c.fm.term {
                by_acronym
                    .entry(t.clone())
                    .or_default()
                    .extend(names.clone());
            }
            list.push(group(&names, Some(GLOSSARY)));
        }
        let mut by_stem: FastMap<String, Vec<(usize, usize)>> = FastMap::default();
        let mut by_token: FastMap<String, Vec<(usize, usize)>> = FastMap::default();
        for (g, grp) in list.iter().enumerate() {
            for (f, form) in grp.forms.iter().enumerate() {
                match form {
                    Form::Stems(s) => by_stem.entry(s[0].clone()).or_default().push((g, f)),
                    Form::Acronym(t) if !t.is_empty() => {
                        by_token.entry(t[0].clone()).or_default().push((g, f))
                    }
                    Form::Acronym(_) => {}
                }
            }
        }
        Groups {
            list,
            by_stem,
            by_token,
            by_fiche,
            by_acronym,
        }
    }

    /// Names of the glossary terms a card explains itself.
    fn owned_by(&self, c: &Card) -> Vec<String> {
        if c.is_term() {
            return Vec::new();
        }
        let mut names = Vec::new();
        if c.has_page() {
            names.extend(self.by_fiche.get(&c.slug).into_iter().flatten().cloned());
        }
        if let Some(a) = &c.fm.acronym {
            names.extend(self.by_acronym.get(a).into_iter().flatten().cloned());
        }
        names.sort();
        names.dedup();
        names
    }

    /// Groups found in a sequence (stems or tokens), with the field weight.
    fn find(&self, seq: &[&str], acronyms: bool, weight: f32, found: &mut BTreeMap<usize, f32>) {
        let starts = if acronyms {
            &self.by_token
        } else {
            &self.by_stem
        };
        for i in 0..seq.len() {
            for &(g, f) in starts.get(seq[i]).into_iter().flatten() {
                let form = match &self.list[g].forms[f] {
                    Form::Stems(s) | Form::Acronym(s) => s,
                };
                let rest = &seq[i..];
                if rest.len() >= form.len() && form.iter().zip(rest).all(|(a, b)| a == b) {
                    let w = self.list[g].weight.unwrap_or(weight.min(ALIAS));
                    let e = found.entry(g).or_insert(0.0);
                    *e = e.max(w);
                }
            }
        }
    }
}

/// One search document, before the merge; strings borrow from the cards'
/// folded fields, the stem table and the groups.
struct Record<'a> {
    url: String,
    title: String,
    acronym: Option<String>,
    kind: usize,
    stages: Vec<usize>,
    publics: Vec<usize>,
    summary: String,
    extra: String,
    /// Other names, shown when the match came from one of them.
    aliases: Vec<String>,
    /// Stem → weight from the short fields (title … points clés, synonyms).
    short: FastMap<&'a str, f32>,
    /// Stem → count in the body.
    body: FastMap<&'a str, u32>,
    body_len: usize,
    /// Folded words whose stem differs from the word.
    words: Vec<&'a str>,
}

/// One text of a card: its weight (`None` = body), as written and folded.
struct Field {
    weight: Option<f32>,
    raw: String,
    folded: String,
}

fn index_of(values: &[(&str, &str)], v: &str) -> Option<usize> {
    values.iter().position(|(x, _)| *x == v)
}

/// The texts of a card, each with its weight (`None` = body).
fn fields(c: &Card, owned: &[String]) -> Vec<Field> {
    let mut f: Vec<(Option<f32>, String)> = vec![(Some(TITLE), c.fm.title.clone())];
    f.extend(c.fm.acronym.iter().map(|a| (Some(TITLE), a.clone())));
    f.extend(c.fm.term.iter().map(|t| (Some(TITLE), t.clone())));
    f.extend(c.fm.expansion.iter().map(|e| (Some(ALIAS), e.clone())));
    f.extend(c.fm.aliases.iter().map(|a| (Some(ALIAS), a.clone())));
    f.extend(owned.iter().map(|a| (Some(ALIAS), a.clone())));
    f.push((Some(SUMMARY), c.fm.summary.clone()));
    f.extend(c.headings.iter().map(|h| (Some(HEADING), h.text.clone())));
    if let Some(p) = &c.fm.points {
        for t in [
            &p.nature,
            &p.publics,
            &p.operateurs,
            &p.prescripteurs,
            &p.financement,
        ] {
            f.extend(t.iter().map(|t| (Some(POINTS), t.clone())));
        }
    }
    f.push((None, c.text.clone()));
    f.extend(c.fm.links.iter().map(|l| (None, l.title.clone())));
    if let Some(n) =
        c.fm.pendant_arret_travail
            .as_ref()
            .and_then(|p| p.note.clone())
    {
        f.push((None, n));
    }
    f.into_iter()
        .map(|(weight, raw)| Field {
            weight,
            folded: fold(&raw),
            raw,
        })
        .collect()
}

/// Cuts a text after about `max` characters, at a word boundary.
fn cut(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out = String::new();
    for w in s.split(' ') {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

fn record<'a>(
    c: &Card,
    fields: &'a [Field],
    stems: &'a FastMap<&'a str, String>,
    groups: &'a Groups,
) -> Record<'a> {
    let mut short: FastMap<&str, f32> = FastMap::default();
    let mut body: FastMap<&str, u32> = FastMap::default();
    let mut body_len = 0;
    let mut words = Vec::new();
    let mut found: BTreeMap<usize, f32> = BTreeMap::new();
    for f in fields {
        let mut seq: Vec<&str> = Vec::new();
        for w in split_words(&f.folded).filter(|w| !is_stop(w)) {
            let s = stems.get(w).map(String::as_str).unwrap_or(w);
            if s != w {
                words.push(w);
            }
            seq.push(s);
        }
        let weight = f.weight.unwrap_or(BODY);
        groups.find(&seq, false, weight, &mut found);
        groups.find(
            &raw_tokens(&f.raw).collect::<Vec<_>>(),
            true,
            weight,
            &mut found,
        );
        match f.weight {
            Some(w) => {
                let mut tf: FastMap<&str, u32> = FastMap::default();
                for s in seq {
                    *tf.entry(s).or_default() += 1;
                }
                for (s, n) in tf {
                    // Repeats in a short field count a little, not linearly.
                    *short.entry(s).or_default() += w * (1.0 + 0.25 * (n.min(5) - 1) as f32);
                }
            }
            None => {
                body_len += seq.len();
                for s in seq {
                    *body.entry(s).or_default() += 1;
                }
            }
        }
    }
    for (g, w) in found {
        for s in &groups.list[g].stems {
            let e = short.entry(s).or_default();
            *e = e.max(w);
        }
        words.extend(groups.list[g].words.iter().map(String::as_str));
    }
    let extra = match (
        &c.fm.expansion,
        c.fm.points.as_ref().and_then(|p| p.nature.clone()),
    ) {
        (Some(e), _) => e.clone(),
        (None, Some(n)) => n,
        (None, None) => c
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string(),
    };
    Record {
        url: c.url(),
        title: c.fm.title.clone(),
        acronym: c.fm.acronym.clone().or_else(|| c.fm.term.clone()),
        kind: index_of(KINDS.values, &c.fm.kind).unwrap_or(0),
        stages: c
            .fm
            .stages
            .iter()
            .filter_map(|s| index_of(STAGES.values, s))
            .collect(),
        publics: c
            .fm
            .publics
            .iter()
            .filter_map(|s| index_of(PUBLICS.values, s))
            .collect(),
        summary: c.fm.summary.clone(),
        extra: cut(&extra, EXTRA_CHARS),
        aliases: c.fm.aliases.clone(),
        short,
        body,
        body_len,
        words,
    }
}

/// The search index as a script that defines it (works from `file://`).
pub fn index_page(cards: &[Card], syn: &Synonyms) -> Page {
    let groups = Groups::new(cards, syn);
    let cards: Vec<&Card> = cards.iter().filter(|c| c.slug != "accueil").collect();
    let fields: Vec<Vec<Field>> = cards
        .par_iter()
        .map(|c| fields(c, &groups.owned_by(c)))
        .collect();
    // Each distinct word is stemmed once (stemming is most of the work).
    let distinct: FastSet<&str> = fields
        .iter()
        .flatten()
        .flat_map(|f| split_words(&f.folded))
        .filter(|w| !is_stop(w))
        .collect();
    let distinct: Vec<&str> = distinct.into_iter().collect();
    let stems: FastMap<&str, String> = distinct.into_par_iter().map(|w| (w, stem(w))).collect();
    let records: Vec<Record> = cards
        .par_iter()
        .zip(&fields)
        .map(|(c, f)| record(c, f, &stems, &groups))
        .collect();
    let avg =
        records.iter().map(|r| r.body_len).sum::<usize>() as f32 / records.len().max(1) as f32;
    let mut postings: FastMap<&str, Vec<(usize, u32)>> = FastMap::default();
    let mut words: FastSet<&str> = FastSet::default();
    for (d, r) in records.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * r.body_len as f32 / avg.max(1.0));
        let mut weights = r.short.clone();
        for (s, &tf) in &r.body {
            let tf = tf as f32;
            *weights.entry(s).or_default() += BODY * tf * (K1 + 1.0) / (tf + norm);
        }
        for (s, w) in weights {
            let w = ((w * SCALE).round() as u32).max(1);
            postings.entry(s).or_default().push((d, w));
        }
        words.extend(r.words.iter().copied());
    }
    // Sorted here, once: the same input gives the same bytes.
    let mut postings: Vec<(&str, Vec<(usize, u32)>)> = postings.into_iter().collect();
    postings.sort_unstable_by_key(|(s, _)| *s);
    let mut words: Vec<&str> = words.into_iter().collect();
    words.sort_unstable();
    let js = format!(
        "window.FICHES_INDEX={};\n",
        json(&records, &postings, &words)
    );
    Page {
        path: "search-index.js".into(),
        bytes: js.into_bytes(),
    }
}

/// A JSON string literal, safe inside a script: no `<` (no `</script>`), and
/// U+2028/U+2029 escaped for older JavaScript engines.
fn js_string(s: &str) -> String {
    crate::model::js_safe(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()))
}

fn labels(values: &[(&str, &str)]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|(v, l)| format!("[{},{}]", js_string(v), js_string(l)))
        .collect();
    format!("[{}]", items.join(","))
}

fn numbers(v: &[usize]) -> String {
    let items: Vec<String> = v.iter().map(|n| n.to_string()).collect();
    format!("[{}]", items.join(","))
}

/// The index, by hand: compact (flat posting lists with doc-id deltas, words as one
/// string) and byte-for-byte deterministic (sorted maps, integer weights).
fn json(records: &[Record], postings: &[(&str, Vec<(usize, u32)>)], words: &[&str]) -> String {
    let mut out = String::from("{\"version\":1");
    out.push_str(&format!(",\"stages\":{}", labels(STAGES.values)));
    out.push_str(&format!(",\"publics\":{}", labels(PUBLICS.values)));
    out.push_str(&format!(",\"kinds\":{}", labels(KINDS.values)));
    out.push_str(",\"docs\":[");
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"u\":{},\"t\":{}",
            js_string(&r.url),
            js_string(&r.title)
        ));
        if let Some(a) = &r.acronym {
            out.push_str(&format!(",\"a\":{}", js_string(a)));
        }
        if !r.aliases.is_empty() {
            let list: Vec<String> = r.aliases.iter().map(|a| js_string(a)).collect();
            out.push_str(&format!(",\"l\":[{}]", list.join(",")));
        }
        out.push_str(&format!(
            ",\"k\":{},\"e\":{},\"p\":{},\"s\":{},\"x\":{}}}",
            r.kind,
            numbers(&r.stages),
            numbers(&r.publics),
            js_string(&r.summary),
            js_string(&r.extra)
        ));
    }
    out.push_str("],\"words\":");
    out.push_str(&js_string(&words.join(" ")));
    out.push_str(",\"terms\":{");
    for (i, (s, list)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut prev = 0;
        let flat: Vec<String> = list
            .iter()
            .flat_map(|&(d, w)| {
                let delta = d - prev;
                prev = d;
                [delta.to_string(), w.to_string()]
            })
            .collect();
        out.push_str(&format!("{}:[{}]", js_string(s), flat.join(",")));
    }
    out.push_str("}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(front: &str, text: &str) -> Card {
        let fm: crate::model::FrontMatter =
            toml::from_str(&format!("updated = 2026-11-22\n{front}")).expect("test front matter");
        let slug = crate::parse::slugify(fm.term.as_deref().unwrap_or(&fm.title));
        Card {
            slug,
            file: 0,
            fm,
            body_start: 0,
            headings: Vec::new(),
            text: text.to_string(),
            body: Default::default(),
        }
    }

    fn index(cards: &[Card], syn: &Synonyms) -> serde_json::Value {
        let page = index_page(cards, syn);
        let js = String::from_utf8(page.bytes).expect("UTF-8");
        let json = js
            .strip_prefix("window.FICHES_INDEX=")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("a script that defines window.FICHES_INDEX");
        serde_json::from_str(json).expect("the index is JSON")
    }

    /// Weight of a stem for the document at `url`.
    fn weight(ix: &serde_json::Value, stem: &str, url: &str) -> u64 {
        let d = ix["docs"]
            .as_array()
            .and_then(|docs| docs.iter().position(|d| d["u"] == url))
            .expect("document");
        let flat: Vec<u64> = ix["terms"][stem]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        let mut doc = 0;
        for pair in flat.chunks(2) {
            doc += pair[0] as usize;
            if doc == d {
                return pair[1];
            }
        }
        0
    }

    #[test]
    fn acronyms_are_told_from_names() {
        let table = [
            ("RQTH", true),
            ("ATPro", true),
            ("Pro-A", true),
            ("Pass P’AS", true),
            ("C2P", true),
            ("France Travail", false),
            ("Qualiopi", false),
            ("immersion facilitée", false),
        ];
        for (input, want) in table {
            assert_eq!(is_acronym(input), want, "{input:?}");
        }
    }

    #[test]
    fn title_weighs_more_than_body() {
        let cards = [
            card(
                "title = \"Immersion\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Un texte.",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une immersion.",
            ),
        ];
        let ix = index(&cards, &Synonyms::default());
        let title = weight(&ix, "immers", "fiches/immersion.html");
        let body = weight(&ix, "immers", "fiches/autre.html");
        assert!(
            title > 0 && body > 0 && title > 3 * body,
            "{title} vs {body}"
        );
    }

    #[test]
    fn acronyms_and_expansions_find_each_other() {
        let cards = [
            card(
                "title = \"PMSMP\"\nkind = \"terme\"\nterm = \"PMSMP\"\nexpansion = \"Période de mise en situation\"\naliases = [\"Immersion facilitée\"]\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Période de mise en situation\"\nacronym = \"PMSMP\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une PMSMP est possible. Pas une pmsmp en minuscules.",
            ),
            card(
                "title = \"Encore\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une immersion facilitée.",
            ),
        ];
        let ix = index(&cards, &Synonyms::default());
        let own = weight(&ix, "immers", "fiches/periode-de-mise-en-situation.html");
        let mention = weight(&ix, "immers", "fiches/autre.html");
        assert!(own > mention && mention > 0, "{own} vs {mention}");
        assert!(weight(&ix, "pmsmp", "fiches/encore.html") > 0);
    }

    #[test]
    fn synonyms_work_both_ways() {
        let cards = [
            card(
                "title = \"France Travail\"\nkind = \"acteur\"\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Ex-Pôle emploi.",
            ),
        ];
        let syn = Synonyms {
            groups: vec![vec!["pole emploi".into(), "France Travail".into()]],
        };
        let ix = index(&cards, &syn);
        assert!(weight(&ix, "pol", "contacts.html#france-travail") > 0);
        assert!(weight(&ix, "travail", "fiches/autre.html") > 0);
        let without = index(&cards, &Synonyms::default());
        assert_eq!(weight(&without, "pol", "contacts.html#france-travail"), 0);
    }

    #[test]
    fn the_index_is_a_safe_script_with_the_same_bytes_every_time() {
        let cards = [
            card(
                "title = \"A </script> B\"\nkind = \"dispositif\"\nsummary = \"ligne\u{2028}suivante\u{2029}\"",
                "Texte </SCRIPT> <!-- x",
            ),
            card("title = \"Accueil\"\nkind = \"page\"\nsummary = \"S.\"", ""),
        ];
        let a = index_page(&cards, &Synonyms::default()).bytes;
        let b = index_page(&cards, &Synonyms::default()).bytes;
        assert_eq!(a, b);
        let js = String::from_utf8(a).expect("UTF-8");
        assert!(!js.contains('<'));
        assert!(!js.contains('\u{2028}') && !js.contains('\u{2029}'));
        assert!(
            !js.contains("accueil"),
            "the home page is not a search document"
        );
        let ix = index(&cards, &Synonyms::default());
        assert_eq!(ix["docs"][0]["t"], "A </script> B");
    }

    #[test]
    fn a_synonym_that_is_not_text_is_reported_where_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("content/");
        std::fs::write(
            dir.path().join(SYNONYMS_FILE),
            "\"pole emploi\" = \"France Travail\"\nchomage = 3\n",
        )
        .expect("synonyms written");
        let mut diags = Vec::new();
        let syn = synonyms(dir.path(), &mut diags);
        assert_eq!(
            syn.groups,
            vec![vec![
                "pole emploi".to_string(),
                "France Travail".to_string()
            ]]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].column),
            ("synonyme", 2, 1)
        );
    }
}
