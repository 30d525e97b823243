//! The glossary's matcher: where the forms of the terms, and words that look
//! like acronyms, are in a text.
//!
//! Takes: the forms of every term (`Form`: a term, an alias or a full name,
//! as written) and one text at a time. Gives: the byte ranges of the terms
//! (`Found::Term`) and of the unknown acronyms (`Found::Unknown`), in order.
//! Reports: nothing; `pass.rs` turns what it finds into tooltips and warnings.

use std::ops::Range;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::{Glossary, Term};
use crate::text::next_word;

/// A written form of a term.
pub(super) struct Form {
    pub(super) chars: Vec<char>,
    /// Acronyms match case-sensitively.
    pub(super) exact: bool,
}

impl Form {
    pub(super) fn new(written: &str) -> Form {
        let letters = || written.chars().filter(|c| c.is_alphabetic());
        let exact = letters().next().is_some() && letters().all(char::is_uppercase);
        Form {
            chars: written.chars().map(|c| same(c, exact)).collect(),
            exact,
        }
    }

    /// What two forms must share to be the same form.
    pub(super) fn key(&self) -> String {
        self.chars.iter().map(|&c| same(c, false)).collect()
    }

    /// How many chars its first word has (as compared): a text's word must
    /// be that word, or that word and a plural "s", for the form to be tried.
    fn first_word(&self) -> usize {
        self.chars
            .iter()
            .take_while(|c| c.is_alphanumeric())
            .count()
    }

    /// Where a use of this form ends, given the text right after its last
    /// char: a plural "s" is part of it, and a word must end there.
    fn end(&self, after: &str) -> Option<usize> {
        let mut rest = after.chars();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let plural = |c: char| c == 's' || (!self.exact && c == 'S');
        let ends_in_letter = self.chars.last().is_some_and(|c| c.is_alphabetic());
        match rest.next() {
            Some(c) if ends_in_letter && plural(c) && boundary(rest.next()) => Some(1),
            c if boundary(c) => Some(0),
            _ => None,
        }
    }
}

/// A char as compared: apostrophes and spaces unified; without `exact`,
/// also lower case and without accent.
fn same(c: char, exact: bool) -> char {
    // Most text is ASCII: no decomposition to look up (issue 8).
    if c.is_ascii() {
        return if exact { c } else { c.to_ascii_lowercase() };
    }
    match c {
        '’' | 'ʼ' | '‘' => '\'',
        '\u{a0}' | '\u{202f}' => ' ',
        c if exact => c,
        // French accents are in Latin-1: looked up once for all.
        c if u32::from(c) < 0x100 => latin1()[usize::from(c as u8 - 0x80)],
        c => base_lower(c),
    }
}

/// A char lower case and without accent.
fn base_lower(c: char) -> char {
    let base = c.nfd().next().unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// `base_lower` of U+0080 to U+00FF.
fn latin1() -> &'static [char; 128] {
    static TABLE: std::sync::OnceLock<[char; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| base_lower(char::from(0x80 + i as u8))))
}

/// What the scanner found in a text.
#[derive(Debug, PartialEq)]
pub(super) enum Found {
    /// A form of this term.
    Term(usize),
    /// A word that looks like an acronym and is in no form.
    Unknown,
}

/// The forms of every term as a tree of chars (as `same` compares them),
/// one tree for acronyms and one for the other forms: a text is compared
/// with the forms that start like it, one char at a time (issue 8: trying
/// every form that shares a first word, "Dispositif …", made big guides
/// quadratic).
pub(super) struct Forms {
    exact: Tree,
    folded: Tree,
}

/// A tree of chars: node 0 is the root.
#[derive(Default)]
struct Tree {
    next: FxHashMap<(u32, char), u32>,
    /// The (term, form) pairs whose chars end at a node.
    ends: FxHashMap<u32, Vec<(usize, usize)>>,
    nodes: u32,
}

impl Tree {
    fn insert(&mut self, chars: &[char], form: (usize, usize)) {
        let mut node = 0;
        for &c in chars {
            node = match self.next.get(&(node, c)) {
                Some(&n) => n,
                None => {
                    self.nodes += 1;
                    self.next.insert((node, c), self.nodes);
                    self.nodes
                }
            };
        }
        self.ends.entry(node).or_default().push(form);
    }
}

impl Forms {
    pub(super) fn new(terms: &[Term]) -> Forms {
        let mut forms = Forms {
            exact: Tree::default(),
            folded: Tree::default(),
        };
        for (t, term) in terms.iter().enumerate() {
            for (k, form) in term.forms.iter().enumerate() {
                let tree = if form.exact {
                    &mut forms.exact
                } else {
                    &mut forms.folded
                };
                tree.insert(&form.chars, (t, k));
            }
        }
        forms
    }

    /// The longest use of a form at the start of `text`, where a word of
    /// `word` chars starts: its length in bytes and its term (the first term
    /// on a tie).
    fn longest(&self, terms: &[Term], text: &str, word: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        let last = text.chars().nth(word.saturating_sub(1));
        for (tree, exact) in [(&self.exact, true), (&self.folded, false)] {
            // A word "…s" also tries the forms whose first word has no "s".
            let plural = last.is_some_and(|c| matches!(same(c, exact), 's' | 'S'));
            let mut node = 0;
            for (i, c) in text.char_indices() {
                let Some(&n) = tree.next.get(&(node, same(c, exact))) else {
                    break;
                };
                node = n;
                let at = i + c.len_utf8();
                for &(t, k) in tree.ends.get(&node).into_iter().flatten() {
                    let form = &terms[t].forms[k];
                    let first = form.first_word();
                    if first != word && !(plural && first + 1 == word) {
                        continue;
                    }
                    let Some(extra) = form.end(&text[at..]) else {
                        continue;
                    };
                    let found = (at + extra, t);
                    if best.is_none_or(|(n, bt)| found.0 > n || (found.0 == n && t < bt)) {
                        best = Some(found);
                    }
                }
            }
        }
        best
    }
}

/// Finds terms and unknown acronyms in texts.
pub(super) struct Scanner<'g> {
    g: &'g Glossary,
}

impl<'g> Scanner<'g> {
    pub(super) fn new(g: &'g Glossary) -> Self {
        Scanner { g }
    }

    /// Puts in `hits` the terms and unknown acronyms of a text, by byte range, in order.
    pub(super) fn scan(&mut self, text: &str, hits: &mut Vec<(Range<usize>, Found)>) {
        hits.clear();
        let (mut at, mut token_end) = (0, 0);
        while let Some((start, word)) = next_word(text, at) {
            let end = start + word.len();
            // An e-mail or web address written in the text is not prose: no
            // tooltip inside "contact@agefiph.asso.fr". Each space-separated
            // token is looked at once.
            if start >= token_end {
                let token_start = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
                    i + text[i..].chars().next().map_or(1, char::len_utf8)
                });
                token_end = text[start..]
                    .find(char::is_whitespace)
                    .map_or(text.len(), |i| start + i);
                let token = &text[token_start..token_end];
                if token.contains('@') || token.contains("://") || token.starts_with("www.") {
                    at = token_end;
                    continue;
                }
            }
            let chars = word.chars().count();
            if let Some((n, t)) = self.g.forms.longest(&self.g.terms, &text[start..], chars) {
                hits.push((start..start + n, Found::Term(t)));
                at = start + n;
                continue;
            }
            // Only ASCII small letters and digits: no capital, no acronym.
            let simple = word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !simple && looks_like_acronym(word) {
                hits.push((start..end, Found::Unknown));
            }
            at = end;
        }
    }
}

/// Terms and unknown acronyms of a text, by byte range, in order.
#[cfg(test)]
fn scan(text: &str, g: &Glossary) -> Vec<(Range<usize>, Found)> {
    let mut hits = Vec::new();
    Scanner::new(g).scan(text, &mut hits);
    hits
}

/// Two or more capitals, at least as many as small letters, and not a roman
/// numeral ("XXIe siècle", "titre II").
pub(super) fn looks_like_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    if upper < 2 {
        return false;
    }
    let lower = word.chars().filter(|c| c.is_lowercase()).count();
    let numeral = ["ème", "eme", "er", "e", ""]
        .iter()
        .filter_map(|s| word.strip_suffix(s))
        .any(|w| !w.is_empty() && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
    upper >= lower && !numeral
}

#[cfg(test)]
mod tests {
    use super::super::tests::glossary;
    use super::*;

    /// The text with each hit in brackets: `[RQTH]`, or `?[SMIC]` when unknown.
    fn marked(text: &str, g: &Glossary) -> String {
        let mut out = String::new();
        let mut done = 0;
        for (r, found) in scan(text, g) {
            out.push_str(&text[done..r.start]);
            let mark = if found == Found::Unknown { "?" } else { "" };
            out.push_str(&format!("{mark}[{}]", &text[r.clone()]));
            done = r.end;
        }
        out.push_str(&text[done..]);
        out
    }

    #[test]
    fn scan_finds_whole_words_longest_first_with_elisions_and_accents() {
        let g = glossary(&[
            &["VAE"],
            &["VAE TH"],
            &["AFC"],
            &["OPCO", "Opérateur de compétences"],
            &["Qualiopi"],
            &["Pass P’AS"],
        ]);
        for (text, want) in [
            ("La VAE TH et la VAE.", "La [VAE TH] et la [VAE]."),
            ("l'AFC, l’AFC, d'OPCO", "l'[AFC], l’[AFC], d'[OPCO]"),
            ("VAEX, XVAE, AFCs", "?[VAEX], ?[XVAE], [AFCs]"),
            ("les OPCOs et les OPCOS", "les [OPCOs] et les ?[OPCOS]"),
            (
                "Un operateur de Compétences",
                "Un [operateur de Compétences]",
            ),
            ("vae, Afc, QUALIOPI", "vae, Afc, [QUALIOPI]"),
            ("Le Pass P'AS", "Le [Pass P'AS]"),
            (
                "Le PTP-FIPU et la POE-I",
                "Le ?[PTP]-?[FIPU] et la ?[POE]-I",
            ),
            ("au XXIe siècle, titre II", "au XXIe siècle, titre II"),
            ("DuoDay, ATPro, SMIC", "DuoDay, ?[ATPro], ?[SMIC]"),
            (
                "AFC : afc@vae.fr, https://www.afc.fr/VAE ou www.vae.fr.",
                "[AFC] : afc@vae.fr, https://www.afc.fr/VAE ou www.vae.fr.",
            ),
        ] {
            assert_eq!(marked(text, &g), want, "{text}");
        }
    }

    #[test]
    fn acronyms_are_forms_whose_letters_are_all_capitals() {
        for (w, exact) in [
            ("RQTH", true),
            ("C2P", true),
            ("PASS P’AS", true),
            ("Pass P’AS", false),
            ("Agefiph", false),
            ("ATPro", false),
        ] {
            assert_eq!(Form::new(w).exact, exact, "{w}");
        }
    }
}
