//! Lint `mot-difficile` (FALC): words that editors listed as hard to read.
//!
//! Takes: a block's text and the `mots_difficiles` table of guide.toml (hard
//! word → plain word). Gives: where each listed word is used, with its plain
//! word. Reports nothing itself: `lint.rs` turns the places into warnings.
//!
//! A listed word matches whatever its capitals, as a whole word or followed
//! by the French endings -s, -e, -es ("cérébro-lésé" finds "cérébro-lésées");
//! `'` and `’` are the same.

use std::collections::BTreeMap;
use std::ops::Range;

/// One use of a hard word: its byte range in the text and the plain word
/// to write instead.
pub(super) struct Use<'w> {
    pub at: Range<usize>,
    pub plain: &'w str,
}

/// The listed words, lowered once.
pub(super) struct Hard<'w> {
    words: Vec<(Vec<char>, &'w str)>,
}

impl<'w> Hard<'w> {
    /// Reads the `mots_difficiles` table.
    pub(super) fn new(table: &'w BTreeMap<String, String>) -> Self {
        let words = table
            .iter()
            .map(|(w, p)| (w.chars().map(low).collect::<Vec<_>>(), p.as_str()))
            .filter(|(chars, _)| !chars.is_empty())
            .collect();
        Hard { words }
    }

    /// Whether no word is listed (nothing to look for).
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every use of a listed word in `text`, in order; the longest word wins.
    pub(super) fn find(&self, text: &str) -> Vec<Use<'w>> {
        let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, low(c))).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let starts_word = i == 0 || !chars[i - 1].1.is_alphanumeric();
            let best = if starts_word {
                self.words
                    .iter()
                    .filter_map(|(w, plain)| Some((matches(&chars[i..], w)?, *plain)))
                    .max_by_key(|(n, _)| *n)
            } else {
                None
            };
            match best {
                Some((n, plain)) => {
                    let end = chars.get(i + n).map_or(text.len(), |c| c.0);
                    out.push(Use {
                        at: chars[i].0..end,
                        plain,
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Lower case, and `’` read as `'`.
fn low(c: char) -> char {
    match c {
        '’' => '\'',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// How many characters of `text` the word takes, with an ending, when it
/// starts `text` and ends a word there.
fn matches(text: &[(usize, char)], word: &[char]) -> Option<usize> {
    if text.len() < word.len() || text.iter().zip(word).any(|(a, b)| a.1 != *b) {
        return None;
    }
    let ends_at = |n: usize| text.get(n).is_none_or(|c| !c.1.is_alphanumeric());
    ["es", "s", "e", ""].iter().find_map(|ending| {
        let n = word.len() + ending.chars().count();
        let same = ending
            .chars()
            .enumerate()
            .all(|(k, e)| text.get(word.len() + k).is_some_and(|c| c.1 == e));
        (same && ends_at(n)).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(table: &[(&str, &str)], text: &str) -> Vec<String> {
        let table: BTreeMap<String, String> = table
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Hard::new(&table)
            .find(text)
            .iter()
            .map(|u| format!("{} → {}", &text[u.at.clone()], u.plain))
            .collect()
    }

    #[test]
    fn whole_words_whatever_the_capitals_with_french_endings() {
        let t = [
            ("employabilité", "chances de trouver un emploi"),
            ("cérébro-lésé", "avec une lésion du cerveau"),
        ];
        assert_eq!(
            found(&t, "L'Employabilité des personnes cérébro-lésées."),
            [
                "Employabilité → chances de trouver un emploi",
                "cérébro-lésées → avec une lésion du cerveau"
            ]
        );
        // Inside another word: not a use.
        assert!(found(&t, "inemployabilité, cérébro-lésément").is_empty());
    }

    #[test]
    fn the_longest_listed_word_wins_and_apostrophes_are_one() {
        let t = [("sas", "étape"), ("sas d'entrée", "première étape")];
        assert_eq!(
            found(&t, "Un sas d’entrée, puis un SAS."),
            ["sas d’entrée → première étape", "SAS → étape"]
        );
    }
}
