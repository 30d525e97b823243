//! Stage 5: search index.
//!
//! Takes: the cards (front matter and plain text, never HTML) and the editors'
//! synonyms (`content/synonymes.toml`). Gives: `search-index.js`, a script that
//! defines `window.FICHES_INDEX`, read by js/recherche.js (a script, not JSON to
//! fetch, so that search works from `file://`), and for a large guide the parts
//! of the index under `search/` (see search/output.rs).
//! Reports: a synonyms file that is not valid TOML, or a value that is not text.
//!
//! The normalisation (`fold`, `words`, `is_stop`, `stem`, `terms`) lives in
//! search/normalise.rs; js/recherche.js implements the same rules for queries.
//!
//! Each card becomes one search document: its texts are weighed by field (title
//! above summary above body, BM25 for the body), and synonyms and glossary terms
//! add the other names of what the card mentions. Cards are read in parallel
//! (issue #8): stems and words get numbers from one shared vocabulary, each card
//! gives a small sorted table of (stem, weight), and the postings are gathered
//! once, in card order, by counting.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;

mod normalise;
mod output;

use normalise::split_words;
pub use normalise::{STOP_WORDS, fold, is_stop, stem, terms, words};
pub use output::Split;

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::model::{Card, Page};

/// A fast hash, 8 bytes at a time (FxHash, as in rustc): the index hashes every
/// word of every card; the maps here are fed by the guide only, so a hash without
/// DoS protection is fine.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits and a tag from the high
        // ones: mix them all (the finaliser of MurmurHash3).
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The hash of a text: a key for the group matcher, and the name of a part.
fn hash_text(s: &str) -> u64 {
    let mut h = Fx::default();
    h.write(s.as_bytes());
    h.finish()
}

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

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Word number of a word that is its own stem.
const SAME: u32 = u32::MAX;

/// The numbers of a folded word: its stem's, and its own when it differs
/// from its stem (`SAME` otherwise).
#[derive(Clone, Copy)]
struct Ids {
    stem: u32,
    word: u32,
}

/// Every folded word and stem met so far, numbered in the order they are met
/// (numbers never reach the output: it is sorted by text).
#[derive(Default)]
struct Vocab {
    words: FastMap<Box<str>, Ids>,
    stems: FastMap<Box<str>, u32>,
    stem_names: Vec<Box<str>>,
    word_names: Vec<Box<str>>,
}

impl Vocab {
    fn add(&mut self, word: &str, stem: &str) -> Ids {
        if let Some(&ids) = self.words.get(word) {
            return ids;
        }
        let s = match self.stems.get(stem) {
            Some(&s) => s,
            None => {
                let s = self.stem_names.len() as u32;
                self.stem_names.push(stem.into());
                self.stems.insert(stem.into(), s);
                s
            }
        };
        let w = if stem == word {
            SAME
        } else {
            self.word_names.push(word.into());
            self.word_names.len() as u32 - 1
        };
        let ids = Ids { stem: s, word: w };
        self.words.insert(word.into(), ids);
        ids
    }
}

/// One thread's view of the shared vocabulary: the words it has met, so that
/// the lock is taken once per new word, and each distinct word is stemmed once.
struct Reader<'v> {
    shared: &'v Mutex<Vocab>,
    /// Words of up to 16 bytes (nearly all), as numbers: no string to compare.
    short: FastMap<u128, Ids>,
    long: FastMap<Box<str>, Ids>,
}

/// A word of up to 16 bytes as a number (words hold no NUL: no two share one).
fn key16(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut b = [0u8; 16];
        b[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(b)
    })
}

impl<'v> Reader<'v> {
    fn new(shared: &'v Mutex<Vocab>) -> Reader<'v> {
        Reader {
            shared,
            short: FastMap::default(),
            long: FastMap::default(),
        }
    }

    /// The numbers of a folded word that is not a stop word.
    fn ids(&mut self, word: &str) -> Ids {
        let key = key16(word);
        let seen = match key {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        };
        if let Some(&ids) = seen {
            return ids;
        }
        let known = lock(self.shared).words.get(word).copied();
        let ids = known.unwrap_or_else(|| {
            // Stemmed outside the lock; another thread may stem the same word
            // meanwhile, and `add` keeps the first numbers.
            let s = stem(word);
            lock(self.shared).add(word, &s)
        });
        match key {
            Some(k) => self.short.insert(k, ids),
            None => self.long.insert(word.into(), ids),
        };
        ids
    }
}

/// Keys of a sequence of tokens, chained, to find a form by its whole text.
fn chain(h: u64, key: u64) -> u64 {
    (h.rotate_left(5) ^ key).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The forms of the groups, to find them all in one pass over a text: by the
/// key of their first token, then by the key of the whole form. Many glossary
/// expansions start with the same word ("Dispositif …"): looking forms up by
/// their first word only made each such word cost one comparison per form.
struct Matcher<T> {
    /// Each form's tokens, and its group.
    forms: Vec<(Vec<T>, usize)>,
    /// Key of a first token → lengths of the forms that start with it, ascending.
    starts: FastMap<u64, Vec<usize>>,
    /// Key of a whole form → indexes into `forms`.
    whole: FastMap<u64, Vec<usize>>,
    /// First bytes of the first tokens (for texts: most words are skipped at once).
    first_bytes: [bool; 256],
    /// Their first two bytes.
    pairs: Pairs,
}

impl<T: PartialEq> Matcher<T> {
    fn new() -> Matcher<T> {
        Matcher {
            forms: Vec::new(),
            starts: FastMap::default(),
            whole: FastMap::default(),
            first_bytes: [false; 256],
            pairs: Pairs::new(),
        }
    }

    fn add(&mut self, form: Vec<T>, group: usize, key: impl Fn(&T) -> u64) {
        let Some(first) = form.first() else {
            return;
        };
        let lengths = self.starts.entry(key(first)).or_default();
        if let Err(at) = lengths.binary_search(&form.len()) {
            lengths.insert(at, form.len());
        }
        let whole = form.iter().fold(0, |h, t| chain(h, key(t)));
        self.whole.entry(whole).or_default().push(self.forms.len());
        self.forms.push((form, group));
    }

    /// Calls `hit` with the group of every form found at the start of `seq`;
    /// `seq` yields tokens only as they are needed.
    fn at<S>(
        &self,
        mut seq: impl Iterator<Item = S>,
        key: impl Fn(&S) -> u64,
        same: impl Fn(&T, &S) -> bool,
        hit: &mut impl FnMut(usize),
        tokens: &mut Vec<S>,
    ) {
        let Some(first) = seq.next() else {
            return;
        };
        let k = key(&first);
        let Some(lengths) = self.starts.get(&k) else {
            return;
        };
        tokens.clear();
        tokens.push(first);
        let mut h = chain(0, k);
        for &n in lengths {
            while tokens.len() < n {
                let Some(t) = seq.next() else {
                    return;
                };
                h = chain(h, key(&t));
                tokens.push(t);
            }
            for &f in self.whole.get(&h).into_iter().flatten() {
                let (form, g) = &self.forms[f];
                if form.len() == n && form.iter().zip(tokens.iter()).all(|(a, b)| same(a, b)) {
                    hit(*g);
                }
            }
        }
    }
}

impl Matcher<u32> {
    /// Groups whose stems occur in a sequence of stems.
    fn find(&self, seq: &[u32], hit: &mut impl FnMut(usize)) {
        if self.forms.is_empty() {
            return;
        }
        let mut tokens = Vec::new();
        for i in 0..seq.len() {
            let rest = seq[i..].iter().copied();
            self.at(rest, |s| u64::from(*s), |a, b| a == b, hit, &mut tokens);
        }
    }
}

impl Matcher<String> {
    /// Groups whose case-kept tokens occur in a text. Only the places where a
    /// token starts with the first byte of a form are looked at.
    fn find(&self, text: &str, hit: &mut impl FnMut(usize)) {
        if self.forms.is_empty() {
            return;
        }
        let mut tokens: Vec<&str> = Vec::new();
        let bytes = text.as_bytes();
        for (at, &b) in bytes.iter().enumerate() {
            // A first byte is ASCII or leads a character: `at` is a boundary.
            if !self.first_bytes[usize::from(b)]
                || !self.pairs.has(b, bytes.get(at + 1).copied())
                || text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let rest = raw_tokens(&text[at..]);
            self.at(rest, |t| hash_text(t), |a, b| a == b, hit, &mut tokens);
        }
    }
}

/// The first two bytes of the first tokens of forms, as a set of 65,536 bits
/// (sentences start with "Le", "La", "Un": forms hardly ever do).
struct Pairs(Vec<u64>);

impl Pairs {
    fn new() -> Pairs {
        Pairs(vec![0; 1024])
    }

    fn add(&mut self, token: &str) {
        let bytes = token.as_bytes();
        let Some(&first) = bytes.first() else {
            return;
        };
        match bytes.get(1) {
            Some(&second) => self.set(first, second),
            // A one-byte token: anything may follow it.
            None => (0..=255).for_each(|second| self.set(first, second)),
        }
    }

    fn set(&mut self, first: u8, second: u8) {
        let bit = usize::from(first) << 8 | usize::from(second);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    /// Whether a token may start with these bytes (`None`: the text ends).
    fn has(&self, first: u8, second: Option<u8>) -> bool {
        let bit = usize::from(first) << 8 | usize::from(second.unwrap_or(0));
        self.0[bit / 64] & 1 << (bit % 64) != 0
    }
}

/// Expressions that mean the same: a synonyms group, or a glossary term with its
/// expansion and aliases. A card that contains one form gets all the others.
struct Group {
    /// Stems added to a card that contains one of the forms.
    stems: Vec<u32>,
    /// Their folded words, when they differ from the stems.
    words: Vec<u32>,
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

/// Case-kept tokens, for acronyms: split as folded texts are.
fn raw_tokens(s: &str) -> normalise::Words<'_> {
    split_words(s)
}

/// Every group, and their forms, to find them in one pass over a card.
struct Groups {
    list: Vec<Group>,
    /// Forms written as words, by stem.
    by_stems: Matcher<u32>,
    /// Forms written as acronyms, by case-kept token.
    by_tokens: Matcher<String>,
    /// Names of the glossary terms a card explains, by the card's slug (the
    /// term's `fiche`, or the same slug) and by acronym.
    by_fiche: FastMap<String, Vec<String>>,
    by_acronym: FastMap<String, Vec<String>>,
}

impl Groups {
    fn new(cards: &[Card], syn: &Synonyms, reader: &mut Reader) -> Groups {
        let mut groups = Groups {
            list: Vec::new(),
            by_stems: Matcher::new(),
            by_tokens: Matcher::new(),
            by_fiche: FastMap::default(),
            by_acronym: FastMap::default(),
        };
        for g in &syn.groups {
            groups.add(g, None, reader);
        }
        for c in cards.iter().filter(|c| c.is_term()) {
            let mut names: Vec<String> = c.fm.term.iter().cloned().collect();
            names.extend(c.fm.expansion.iter().cloned());
            names.extend(c.fm.aliases.iter().cloned());
            let fiche = c.fm.fiche.clone().unwrap_or_else(|| c.slug.clone());
            groups
                .by_fiche
                .entry(fiche)
                .or_default()
                .extend(names.clone());
            if let Some(t) = &c.fm.term {
                groups
                    .by_acronym
                    .entry(t.clone())
                    .or_default()
                    .extend(names.clone());
            }
            groups.add(&names, Some(GLOSSARY), reader);
        }
        groups
    }

    fn add(&mut self, names: &[String], weight: Option<f32>, reader: &mut Reader) {
        let g = self.list.len();
        let mut stems = Vec::new();
        let mut words = Vec::new();
        for n in names {
            let mut form = Vec::new();
            for w in split_words(&fold(n)).filter(|w| !is_stop(w)) {
                let ids = reader.ids(w);
                form.push(ids.stem);
                if ids.word != SAME {
                    words.push(ids.word);
                }
            }
            stems.extend_from_slice(&form);
            if is_acronym(n) {
                let tokens: Vec<String> = raw_tokens(n).map(String::from).collect();
                if let Some(t) = tokens.first() {
                    let b = t.as_bytes()[0];
                    self.by_tokens.first_bytes[usize::from(b)] = true;
                    self.by_tokens.pairs.add(t);
                }
                self.by_tokens.add(tokens, g, |t| hash_text(t));
            } else {
                self.by_stems.add(form, g, |s| u64::from(*s));
            }
        }
        stems.sort_unstable();
        stems.dedup();
        words.sort_unstable();
        words.dedup();
        self.list.push(Group {
            stems,
            words,
            weight,
        });
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
}

/// One stem of a document.
#[derive(Clone, Copy)]
struct Term {
    stem: u32,
    /// Weight from the short fields (title … points clés) and synonyms.
    short: f32,
    /// Count in the body.
    body: u32,
}

/// One search document, before the merge.
struct Record<'c> {
    card: &'c Card,
    /// Short text shown besides the summary.
    extra: String,
    /// Its stems, by number.
    terms: Vec<Term>,
    /// Words of the body, stop words left out (for BM25).
    body_len: usize,
    /// Folded words whose stem differs from the word, by number.
    words: Vec<u32>,
}

/// The texts of a card, each with its weight (`None` = body).
fn fields<'c>(c: &'c Card, owned: &'c [String]) -> Vec<(Option<f32>, &'c str)> {
    let mut f: Vec<(Option<f32>, &str)> = vec![(Some(TITLE), &c.fm.title)];
    f.extend(c.fm.acronym.iter().map(|a| (Some(TITLE), a.as_str())));
    f.extend(c.fm.term.iter().map(|t| (Some(TITLE), t.as_str())));
    f.extend(c.fm.expansion.iter().map(|e| (Some(ALIAS), e.as_str())));
    f.extend(c.fm.aliases.iter().map(|a| (Some(ALIAS), a.as_str())));
    f.extend(owned.iter().map(|a| (Some(ALIAS), a.as_str())));
    f.push((Some(SUMMARY), &c.fm.summary));
    f.extend(c.headings.iter().map(|h| (Some(HEADING), h.text.as_str())));
    if let Some(p) = &c.fm.points {
        for t in [
            &p.nature,
            &p.publics,
            &p.operateurs,
            &p.prescripteurs,
            &p.financement,
        ] {
            f.extend(t.iter().map(|t| (Some(POINTS), t.as_str())));
        }
    }
    f.push((None, &c.text));
    f.extend(c.fm.links.iter().map(|l| (None, l.title.as_str())));
    if let Some(n) =
        c.fm.pendant_arret_travail
            .as_ref()
            .and_then(|p| p.note.as_deref())
    {
        f.push((None, n));
    }
    f
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

/// What a short field or a group adds to a stem's weight.
#[derive(Clone, Copy)]
enum Add {
    /// A short field: summed, in the fields' order.
    Short(f32),
    /// A synonym or glossary term found in the card: the highest counts.
    Group(f32),
}

/// Buffers that one thread reuses from card to card.
#[derive(Default)]
struct Scratch {
    adds: Vec<(u32, Add)>,
    /// Count of each stem in the body, by stem number (zero between cards).
    counts: Vec<u32>,
    /// The stems of the body, each once.
    body: Vec<u32>,
    found: Vec<(usize, f32)>,
    folded: String,
    seq: Vec<u32>,
    sorted: Vec<u32>,
}

fn record<'c>(c: &'c Card, groups: &Groups, reader: &mut Reader, buf: &mut Scratch) -> Record<'c> {
    let owned = groups.owned_by(c);
    let Scratch {
        adds,
        counts,
        body,
        found,
        folded,
        seq,
        sorted,
    } = buf;
    adds.clear();
    body.clear();
    found.clear();
    let mut words = Vec::new();
    let mut body_len = 0;
    for (weight, raw) in fields(c, &owned) {
        folded.clear();
        normalise::fold_into(raw, folded);
        seq.clear();
        for w in split_words(folded).filter(|w| !is_stop(w)) {
            let ids = reader.ids(w);
            if ids.word != SAME {
                words.push(ids.word);
            }
            seq.push(ids.stem);
        }
        let field = weight.unwrap_or(BODY);
        let mut hit = |g: usize| {
            let w = groups.list[g].weight.unwrap_or(field.min(ALIAS));
            found.push((g, w));
        };
        groups.by_stems.find(seq, &mut hit);
        groups.by_tokens.find(raw, &mut hit);
        match weight {
            Some(w) => {
                sorted.clear();
                sorted.extend_from_slice(seq);
                sorted.sort_unstable();
                for run in sorted.chunk_by(|a, b| a == b) {
                    // Repeats in a short field count a little, not linearly.
                    let n = run.len().min(5) as u32;
                    adds.push((run[0], Add::Short(w * (1.0 + 0.25 * (n - 1) as f32))));
                }
            }
            None => {
                body_len += seq.len();
                for &s in seq.iter() {
                    let s = s as usize;
                    if s >= counts.len() {
                        counts.resize(s + 1024, 0);
                    }
                    if counts[s] == 0 {
                        body.push(s as u32);
                    }
                    counts[s] += 1;
                }
            }
        }
    }
    for &(g, w) in found.iter() {
        adds.extend(groups.list[g].stems.iter().map(|&s| (s, Add::Group(w))));
        words.extend_from_slice(&groups.list[g].words);
    }
    // A stable sort, short fields first: a stem's weight is summed in the
    // fields' order, then raised to its groups', as when one thread did it all.
    adds.sort_by_key(|&(s, add)| (s, matches!(add, Add::Group(_))));
    body.sort_unstable();
    let mut terms = Vec::new();
    let mut shorts = adds.chunk_by(|a, b| a.0 == b.0).peekable();
    let mut stems = body.iter().peekable();
    loop {
        let stem = match (shorts.peek(), stems.peek()) {
            (None, None) => break,
            (Some(a), Some(&&b)) => a[0].0.min(b),
            (Some(a), None) => a[0].0,
            (None, Some(&&b)) => b,
        };
        let mut t = Term {
            stem,
            short: 0.0,
            body: 0,
        };
        for &(_, add) in shorts.next_if(|r| r[0].0 == stem).into_iter().flatten() {
            match add {
                Add::Short(w) => t.short += w,
                Add::Group(w) => t.short = t.short.max(w),
            }
        }
        if stems.next_if(|&&b| b == stem).is_some() {
            t.body = std::mem::take(&mut counts[stem as usize]);
        }
        terms.push(t);
    }
    words.sort_unstable();
    words.dedup();
    let extra = match (
        &c.fm.expansion,
        c.fm.points.as_ref().and_then(|p| p.nature.as_deref()),
    ) {
        (Some(e), _) => e.as_str(),
        (None, Some(n)) => n,
        (None, None) => c.text.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
    };
    Record {
        card: c,
        extra: cut(extra, EXTRA_CHARS),
        terms,
        body_len,
        words,
    }
}

/// Each stem's postings, by stem number: (document, integer weight), in
/// document order. Body counts become BM25 weights here, once the average
/// body length is known.
fn postings(records: &[Record], stems: usize) -> Vec<Vec<(u32, u32)>> {
    let avg =
        records.iter().map(|r| r.body_len).sum::<usize>() as f32 / records.len().max(1) as f32;
    let mut counts = vec![0usize; stems];
    for t in records.iter().flat_map(|r| &r.terms) {
        counts[t.stem as usize] += 1;
    }
    let mut lists: Vec<Vec<(u32, u32)>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (d, r) in records.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * r.body_len as f32 / avg.max(1.0));
        for t in &r.terms {
            let mut w = t.short;
            if t.body > 0 {
                let tf = t.body as f32;
                w += BODY * tf * (K1 + 1.0) / (tf + norm);
            }
            let w = ((w * SCALE).round() as u32).max(1);
            lists[t.stem as usize].push((d as u32, w));
        }
    }
    lists
}

/// The search index: `search-index.js`, and its parts under `search/` when the
/// index is larger than `split.above` bytes.
pub fn index_pages(cards: &[Card], syn: &Synonyms, split: &Split) -> Vec<Page> {
    let vocab = Mutex::new(Vocab::default());
    let groups = Groups::new(cards, syn, &mut Reader::new(&vocab));
    let cards: Vec<&Card> = cards.iter().filter(|c| c.slug != "accueil").collect();
    // A few chunks per thread, each read with its own cache of words.
    let chunk = (cards.len() / (rayon::current_num_threads() * 4)).max(16);
    let records: Vec<Record> = cards
        .par_chunks(chunk)
        .map(|chunk| {
            let mut reader = Reader::new(&vocab);
            let mut buf = Scratch::default();
            chunk
                .iter()
                .map(|c| record(c, &groups, &mut reader, &mut buf))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    let vocab = vocab.into_inner().unwrap_or_else(|e| e.into_inner());
    let lists = postings(&records, vocab.stem_names.len());

    // Sorted here, once: the same input gives the same bytes.
    let mut stems: Vec<usize> = (0..lists.len()).filter(|&s| !lists[s].is_empty()).collect();
    stems.sort_unstable_by_key(|&s| &vocab.stem_names[s]);
    let mut used = vec![false; vocab.word_names.len()];
    for &w in records.iter().flat_map(|r| &r.words) {
        used[w as usize] = true;
    }
    let mut words: Vec<&str> = (0..used.len())
        .filter(|&w| used[w])
        .map(|w| &*vocab.word_names[w])
        .collect();
    words.sort_unstable();
    let terms: Vec<(&str, String)> = stems
        .par_iter()
        .map(|&s| (&*vocab.stem_names[s], output::postings_json(&lists[s])))
        .collect();
    let (docs, facets): (Vec<String>, Vec<u32>) = records
        .par_iter()
        .map(|r| (output::doc_json(r.card, &r.extra), output::facets(r.card)))
        .unzip();
    output::pages(
        &output::Built {
            docs,
            facets,
            terms,
            words,
        },
        split,
    )
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
            events: Vec::new(),
            headings: Vec::new(),
            text: text.to_string(),
        }
    }

    /// The index of a few cards: one page.
    fn one_page(cards: &[Card], syn: &Synonyms) -> Vec<u8> {
        let mut pages = index_pages(cards, syn, &Split::default());
        assert_eq!(pages.len(), 1, "a small index is one file");
        pages.remove(0).bytes
    }

    fn index(cards: &[Card], syn: &Synonyms) -> serde_json::Value {
        let js = String::from_utf8(one_page(cards, syn)).expect("UTF-8");
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
        let a = one_page(&cards, &Synonyms::default());
        let b = one_page(&cards, &Synonyms::default());
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
