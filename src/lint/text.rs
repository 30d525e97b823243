//! Text helpers of the lints: sentences, words, link texts, and what the
//! guide tells about words written in capitals.
//!
//! Takes: plain strings. Gives: byte ranges and verdicts. Pure functions.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

use crate::model::Card;
use crate::text::{fold, tokens};

/// A word in capitals counts as emphasis from this many letters.
const MIN_CAPS: usize = 4;

/// Link texts that say nothing out of context, folded (see `text::fold`).
const VAGUE: &[&str] = &[
    "ici",
    "cliquez ici",
    "cliquer ici",
    "clique ici",
    "cliquez",
    "voir ici",
    "lien",
    "ce lien",
    "le lien",
    "en savoir plus",
    "pour en savoir plus",
    "savoir plus",
    "plus",
    "plus d'infos",
    "plus d'informations",
    "lire la suite",
    "la suite",
    "suite",
    "voir",
    "page",
    "cette page",
    "site",
    "ce site",
];

/// Words often written in capitals to insist, even in a guide that never
/// writes them in lower case (folded).
const SHOUTED: &[&str] = &[
    "attention",
    "important",
    "importante",
    "obligatoire",
    "uniquement",
    "seulement",
    "jamais",
    "toujours",
    "tres",
    "urgent",
    "gratuit",
    "gratuite",
    "interdit",
    "nouveau",
    "rappel",
];

/// What the whole guide tells about words: the glossary's terms, and the
/// words it writes in lower case somewhere (so are not acronyms).
pub(super) struct Words<'a> {
    /// Terms, aliases and acronyms, split into words, as written.
    pub(super) known: HashSet<String>,
    cards: &'a [Card],
    /// Folded words the guide writes all in lower case somewhere. Read from
    /// every card the first time a word in capitals needs it: most guides
    /// never do (issue 8: it was most of the lints' time).
    lexicon: OnceLock<HashSet<String>>,
}

impl<'a> Words<'a> {
    pub(super) fn new(cards: &'a [Card]) -> Self {
        let mut known = HashSet::default();
        for c in cards {
            let fm = &c.fm;
            let names = fm.term.iter().chain(&fm.acronym).chain(&fm.aliases);
            for name in names {
                known.extend(tokens(name).map(|(_, w)| w.to_string()));
            }
            if c.is_term() {
                known.extend(tokens(&fm.title).map(|(_, w)| w.to_string()));
            }
        }
        Words {
            known,
            cards,
            lexicon: OnceLock::new(),
        }
    }

    fn lexicon(&self) -> &HashSet<String> {
        self.lexicon.get_or_init(|| {
            use rayon::prelude::*;
            // Every card's words once, in parallel, then each distinct word
            // folded once.
            let lower: HashSet<&str> = self
                .cards
                .par_iter()
                .fold(HashSet::default, |mut set, c| {
                    lower_words(c, &mut set);
                    set
                })
                .reduce(HashSet::default, |mut a, mut b| {
                    if a.len() < b.len() {
                        std::mem::swap(&mut a, &mut b);
                    }
                    a.extend(b);
                    a
                });
            let mut lexicon: HashSet<String> = SHOUTED.iter().map(|s| s.to_string()).collect();
            lexicon.extend(lower.into_iter().map(fold));
            lexicon
        })
    }

    /// Whether a word in capitals is a normal word written loud, rather than
    /// an acronym (the glossary reports unknown acronyms: `sigle-inconnu`).
    pub(super) fn is_shouted(&self, word: &str) -> bool {
        is_caps(word)
            && word.chars().filter(|c| c.is_alphabetic()).count() >= MIN_CAPS
            && !self.known.contains(word)
            // French acronyms carry no accents; "TRÈS" is a word.
            && (!word.is_ascii() || self.lexicon().contains(&fold(word)))
    }
}

/// The words of a card written all in lower case. Only those: "Fagerh" is
/// still a name; and not in addresses: "fagerh.fr", "x/y", "a@b".
fn lower_words<'a>(c: &'a Card, out: &mut HashSet<&'a str>) {
    // One pass over each text (issue 8): a piece between two spaces gives
    // its words once it is known not to be an address.
    let mut words: Vec<&str> = Vec::new();
    for t in [&c.text, &c.fm.title, &c.fm.summary] {
        let mut address = false;
        // The previous character was a letter or digit; it was a dot after one.
        let (mut alnum_before, mut dot_after_alnum) = (false, false);
        let mut word: Option<(usize, bool)> = None;
        let mut i = 0;
        while i <= t.len() {
            // ASCII first: most of the text.
            let ch = match t.as_bytes().get(i) {
                None => ' ',
                Some(&b) if b.is_ascii() => char::from(b),
                Some(_) => t[i..].chars().next().unwrap_or(' '),
            };
            let at = i;
            i += ch.len_utf8();
            let alnum = ch.is_alphanumeric();
            if !alnum && let Some((start, lower)) = word.take() {
                // The lexicon is only asked about words of MIN_CAPS letters
                // or more, folded to ASCII: a shorter word never folds to one.
                if lower && at - start >= MIN_CAPS {
                    words.push(&t[start..at]);
                }
            }
            if ch.is_whitespace() {
                if !address {
                    out.extend(words.drain(..));
                }
                words.clear();
                (address, alnum_before, dot_after_alnum) = (false, false, false);
                continue;
            }
            address |= matches!(ch, '/' | '@') || (dot_after_alnum && ch.is_alphabetic());
            (alnum_before, dot_after_alnum) = (alnum, ch == '.' && alnum_before);
            if alnum {
                let lower = ch.is_lowercase();
                match &mut word {
                    Some((_, l)) => *l &= lower,
                    None => word = Some((at, lower)),
                }
            }
        }
    }
}

/// All letters upper case, no digit.
pub(super) fn is_caps(word: &str) -> bool {
    word.chars().all(|c| c.is_alphabetic() && !c.is_lowercase()) && !word.is_empty()
}

/// Whether a text may hold a word of MIN_CAPS capitals or more: MIN_CAPS
/// ASCII capitals in a row, or a capital beyond ASCII. Most paragraphs have
/// none, and need no closer look.
pub(super) fn may_shout(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_uppercase() {
            run += 1;
            if run >= MIN_CAPS {
                return true;
            }
            continue;
        }
        run = 0;
        // Other ASCII, and the other bytes of a character.
        if b < 0xC0 {
            continue;
        }
        let caps = match (b, bytes.get(i + 1)) {
            // Latin-1, French accents: À to Þ, but not ×.
            (0xC3, Some(&next)) => (0x80..=0x9E).contains(&next) && next != 0x97,
            _ => text[i..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase()),
        };
        if caps {
            return true;
        }
    }
    false
}

/// At least how many spaces and stops a text has: more than its words but
/// one, more than its sentences but one. Cheap to count: most paragraphs
/// have too few of either to be long.
pub(super) fn bounds(text: &str) -> (usize, usize) {
    let (mut spaces, mut stops) = (0, 0);
    // Byte counters in chunks that cannot overflow them: the compiler turns
    // this loop into vector instructions (issue 8: eight times fewer).
    for chunk in text.as_bytes().chunks(255) {
        let (mut sp, mut st) = (0u8, 0u8);
        for &b in chunk {
            // Every space is ASCII or starts with a byte of 0xC0 or more; the
            // same for ".", "!", "?" and "…".
            sp += u8::from((b == b' ') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t') | (b >= 0xC0));
            st += u8::from((b == b'.') | (b == b'!') | (b == b'?') | (b == 0xE2));
        }
        spaces += usize::from(sp);
        stops += usize::from(st);
    }
    (spaces, stops)
}

/// Folded link text without surrounding punctuation and spaces.
fn link_words(text: &str) -> String {
    let folded = fold(text);
    let trimmed =
        folded.trim_matches(|c: char| c.is_whitespace() || ".,:;!?…«»()[]\"'>→-".contains(c));
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a link text says nothing on its own, if it does not.
pub(super) fn vague(text: &str) -> Option<String> {
    let words = link_words(text);
    if words.is_empty() {
        return Some("ce lien n'a pas de texte".into());
    }
    if ["http://", "https://", "www."]
        .iter()
        .any(|p| words.starts_with(p))
    {
        return Some(format!(
            "le texte du lien est une adresse web (« {} ») : elle ne dit pas où mène le lien",
            text.trim()
        ));
    }
    VAGUE
        .contains(&words.as_str())
        .then(|| format!("le texte du lien « {} » ne dit pas où il mène", text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_link_texts_are_recognised() {
        for (text, is_vague) in [
            ("ici", true),
            ("Cliquez ici", true),
            ("En savoir plus…", true),
            ("https://www.agefiph.fr/", true),
            ("www.agefiph.fr", true),
            ("", true),
            ("lien", true),
            ("La POE sur le site du ministère", false),
            ("contact@agefiph.fr", false),
            ("Trouver son agence ici", false),
        ] {
            assert_eq!(vague(text).is_some(), is_vague, "{text:?}");
        }
    }

    #[test]
    fn shouted_words_are_words_not_acronyms() {
        let words = Words {
            known: ["RQTH".to_string()].into_iter().collect(),
            cards: &[],
            lexicon: OnceLock::from(
                ["france".to_string(), "important".to_string()]
                    .into_iter()
                    .collect::<HashSet<String>>(),
            ),
        };
        for (word, shouted) in [
            ("FRANCE", true),
            ("IMPORTANT", true),
            ("TRÈS", true),
            ("RQTH", false),
            ("ESRP", false),
            ("OPCO", false),
            ("Important", false),
            ("CDD", false),
        ] {
            assert_eq!(words.is_shouted(word), shouted, "{word}");
        }
    }

    #[test]
    fn latin1_capitals_are_told_without_decoding() {
        for c in (0xC0..=0xFFu32).filter_map(char::from_u32) {
            let caps = c.is_alphabetic() && !c.is_lowercase();
            assert_eq!(may_shout(&c.to_string()), caps, "{c}");
        }
        for (text, may) in [
            ("la SAL", false),
            ("TRÈS", true),
            ("Éric", true),
            ("RQTH", true),
        ] {
            assert_eq!(may_shout(text), may, "{text}");
        }
    }
}
