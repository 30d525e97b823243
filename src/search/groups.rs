//! Synonyms and glossary terms: expressions that mean the same (issue #6),
//! found in the cards in one pass (issue #8).
//!
//! Takes: the editors' synonyms and the glossary cards. Gives: the groups of
//! expressions, and for a text the groups it contains. Reports: nothing.
//!
//! A card that contains one form of a group gets the stems of all the others.
//! Forms written as words are matched by stems; forms written as acronyms are
//! matched case-kept, token by token ("DE" is a term, "de" is not).

use super::vocab::{FastMap, Reader, SAME, hash_text};
use super::{GLOSSARY, Synonyms, is_stop};
use crate::model::Card;
use crate::text::{Words, fold, split_words};

/// Keys of a sequence of tokens, chained, to find a form by its whole text.
fn chain(h: u64, key: u64) -> u64 {
    (h.rotate_left(5) ^ key).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The forms of the groups, to find them all in one pass over a text: by the
/// key of their first token, then by the key of the whole form. Many glossary
/// expansions start with the same word ("Dispositif …"): looking forms up by
/// their first word only made each such word cost one comparison per form.
pub(super) struct Matcher<T> {
    /// Each form's tokens, and its group.
    forms: Vec<(Vec<T>, usize)>,
    /// Key of a first token → lengths of the forms that start with it, ascending.
    starts: FastMap<u64, Vec<usize>>,
    /// Key of a whole form → indexes into `forms`.
    whole: FastMap<u64, Vec<usize>>,
    /// First two bytes of the first tokens (for texts: most words are skipped at once).
    pairs: Pairs,
}

impl<T: PartialEq> Matcher<T> {
    fn new() -> Matcher<T> {
        Matcher {
            forms: Vec::new(),
            starts: FastMap::default(),
            whole: FastMap::default(),
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
    pub(super) fn find(&self, seq: &[u32], hit: &mut impl FnMut(usize)) {
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
    /// token starts with the first two bytes of a form are looked at.
    pub(super) fn find(&self, text: &str, hit: &mut impl FnMut(usize)) {
        if self.forms.is_empty() {
            return;
        }
        let mut tokens: Vec<&str> = Vec::new();
        let bytes = text.as_bytes();
        for (at, &b) in bytes.iter().enumerate() {
            // A first byte is ASCII or leads a character: `at` is a boundary.
            if !self.pairs.has(b, bytes.get(at + 1).copied())
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

    /// Groups whose case-kept tokens occur from `token` on (`rest`: the tokens
    /// after it): `find`, token by token.
    pub(super) fn at_token(&self, token: &str, rest: &Words, hit: &mut impl FnMut(usize)) {
        let bytes = token.as_bytes();
        if !self.pairs.has(bytes[0], bytes.get(1).copied()) {
            return;
        }
        let seq = std::iter::once(token).chain(rest.clone());
        self.at(seq, |t| hash_text(t), |a, b| a == b, hit, &mut Vec::new());
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
pub(super) struct Group {
    /// Stems added to a card that contains one of the forms.
    pub stems: Vec<u32>,
    /// Their folded words, when they differ from the stems.
    pub words: Vec<u32>,
    /// Fixed weight (glossary), or `None`: the weight of the field it was found in.
    pub weight: Option<f32>,
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
fn raw_tokens(s: &str) -> Words<'_> {
    split_words(s)
}

/// Every group, and their forms, to find them in one pass over a card.
pub(super) struct Groups {
    pub list: Vec<Group>,
    /// Forms written as words, by stem.
    pub by_stems: Matcher<u32>,
    /// Forms written as acronyms, by case-kept token.
    pub by_tokens: Matcher<String>,
    /// Names of the glossary terms a card explains, by the card's slug (the
    /// term's `fiche`, or the same slug) and by acronym.
    by_fiche: FastMap<String, Vec<String>>,
    by_acronym: FastMap<String, Vec<String>>,
}

impl Groups {
    pub(super) fn new(cards: &[Card], syn: &Synonyms, reader: &mut Reader) -> Groups {
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
    pub(super) fn owned_by(&self, c: &Card) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
