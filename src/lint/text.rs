//! Text helpers of the lints: sentences, words, link texts, and what the
//! guide tells about words written in capitals.
//!
//! Takes: plain strings. Gives: byte ranges and verdicts. Pure functions.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::model::Card;
use crate::search::fold;

/// A word in capitals counts as emphasis from this many letters.
const MIN_CAPS: usize = 4;

/// Link texts that say nothing out of context, folded (see `search::fold`).
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

/// Abbreviations whose period does not end a sentence (folded).
const ABBREVIATIONS: &[&str] = &[
    "etc", "ex", "cf", "mme", "mr", "art", "env", "tel", "av", "bd",
];

/// What the whole guide tells about words: the glossary's terms, and the
/// words it writes in lower case somewhere (so are not acronyms).
pub(super) struct Words {
    /// Terms, aliases and acronyms, split into words, as written.
    pub(super) known: BTreeSet<String>,
    /// Folded words the guide writes all in lower case somewhere.
    lexicon: BTreeSet<String>,
}

impl Words {
    pub(super) fn new(cards: &[Card]) -> Self {
        let mut known = BTreeSet::new();
        let mut lexicon: BTreeSet<String> = SHOUTED.iter().map(|s| s.to_string()).collect();
        for c in cards {
            let fm = &c.fm;
            let names = fm.term.iter().chain(&fm.acronym).chain(&fm.aliases);
            for name in names {
                known.extend(tokens(name).map(|(_, w)| w.to_string()));
            }
            if c.is_term() {
                known.extend(tokens(&fm.title).map(|(_, w)| w.to_string()));
            }
            // Only words written all in lower case: "Fagerh" is still a
            // name, and "fagerh.fr" an address.
            let pieces = [&c.text, &fm.title, &fm.summary]
                .into_iter()
                .flat_map(|t| t.split_whitespace())
                .filter(|p| !p.contains(['/', '@']) && !is_domain(p));
            for (_, w) in pieces.flat_map(tokens) {
                if w.chars().all(char::is_lowercase) {
                    lexicon.insert(fold(w));
                }
            }
        }
        Words { known, lexicon }
    }

    /// Whether a word in capitals is a normal word written loud, rather than
    /// an acronym (the glossary reports unknown acronyms: `sigle-inconnu`).
    pub(super) fn is_shouted(&self, word: &str) -> bool {
        word.chars().filter(|c| c.is_alphabetic()).count() >= MIN_CAPS
            && is_caps(word)
            && !self.known.contains(word)
            // French acronyms carry no accents; "TRÈS" is a word.
            && (!word.is_ascii() || self.lexicon.contains(&fold(word)))
    }
}

/// Words (runs of letters and digits) with their byte offsets.
pub(super) fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Whether a piece of text looks like a web address ("www.x.fr", "epnak.org").
fn is_domain(piece: &str) -> bool {
    let chars: Vec<char> = piece.chars().collect();
    chars
        .windows(3)
        .any(|w| w[0].is_alphanumeric() && w[1] == '.' && w[2].is_alphabetic())
}

/// All letters upper case, no digit.
pub(super) fn is_caps(word: &str) -> bool {
    word.chars().all(|c| c.is_alphabetic() && !c.is_lowercase()) && !word.is_empty()
}

/// Sentences of a text, as byte ranges (trimmed).
pub(super) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        k += 1;
        if start.is_none() && !c.is_whitespace() {
            start = Some(i);
        }
        let Some(s) = start else { continue };
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence, "« oui. »" too.
        let closer = |j: usize| {
            chars
                .get(j)
                .is_some_and(|x| matches!(x.1, '»' | ')' | '"' | '”' | '’' | ']'))
        };
        let mut j = k;
        while closer(j)
            || (chars.get(j).is_some_and(|x| x.1.is_whitespace())
                && chars.get(j + 1).is_some_and(|x| x.1 == '»'))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        let next = chars[j..].iter().find(|x| !x.1.is_whitespace());
        let at_space = chars.get(j).is_none_or(|x| x.1.is_whitespace());
        let before = text[s..i]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let initial = before.chars().count() == 1 && before.chars().all(char::is_uppercase);
        let abbreviation = c == '.' && (initial || ABBREVIATIONS.contains(&fold(before).as_str()));
        let continues = next.is_some_and(|x| x.1.is_lowercase());
        if at_space && !abbreviation && !continues {
            out.push(s..end);
            start = None;
            k = j;
        }
    }
    if let Some(s) = start {
        let end = text.trim_end().len();
        if end > s {
            out.push(s..end);
        }
    }
    out
}

/// Words of a text: whitespace-separated pieces holding a letter or digit.
pub(super) fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
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
    fn sentences_end_at_stops_but_not_at_abbreviations() {
        for (text, want) in [
            (
                "Une phrase. Une autre !",
                vec!["Une phrase.", "Une autre !"],
            ),
            (
                "Voir l'art. L. 5213-1 du code. Fin",
                vec!["Voir l'art. L. 5213-1 du code.", "Fin"],
            ),
            (
                "Des aides (AGEFIPH, etc.) existent.",
                vec!["Des aides (AGEFIPH, etc.) existent."],
            ),
            (
                "Il a dit « oui. » Puis il part…",
                vec!["Il a dit « oui. »", "Puis il part…"],
            ),
            (
                "Le taux est de 3.5 %. Voilà",
                vec!["Le taux est de 3.5 %.", "Voilà"],
            ),
            ("   ", vec![]),
        ] {
            let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
            assert_eq!(got, want, "{text}");
        }
    }

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
            known: ["RQTH".to_string()].into(),
            lexicon: ["france".to_string(), "important".to_string()].into(),
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
    fn word_count_ignores_punctuation() {
        assert_eq!(
            word_count("Le DEA — dispositif d'emploi accompagné : 1 500 €."),
            7
        );
    }
}
