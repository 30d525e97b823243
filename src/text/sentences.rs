//! Sentences and words with their places in a text, for the lints.
//!
//! Takes: plain strings. Gives: byte ranges of sentences and words, and word
//! counts. Pure functions.

use std::ops::Range;

use super::fold;

/// Abbreviations whose period does not end a sentence (folded).
const ABBREVIATIONS: &[&str] = &[
    "etc", "ex", "cf", "mme", "mr", "art", "env", "tel", "av", "bd",
];

/// Sentences of a text, as byte ranges (trimmed).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    // A sentence starts at the first character that is not a space.
    while let Some(s) = text[from..].find(|c: char| !c.is_whitespace()) {
        let s = from + s;
        match sentence_end(text, s) {
            Some(end) => {
                out.push(s..end);
                from = end;
            }
            None => {
                out.push(s..text.trim_end().len());
                break;
            }
        }
    }
    out
}

/// Where the sentence that starts at `s` ends, if a stop ends it.
fn sentence_end(text: &str, s: usize) -> Option<usize> {
    let mut at = s;
    loop {
        // Only the bytes that may start a stop are looked at (issue 8): ".",
        // "!", "?", and the first byte of "…".
        let i = at
            + text.as_bytes()[at..]
                .iter()
                .position(|b| matches!(b, b'.' | b'!' | b'?' | 0xE2))?;
        let c = text[i..].chars().next()?;
        at = i + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence, "« oui. »" too.
        let mut j = at;
        loop {
            let mut rest = text[j..].chars();
            match rest.next() {
                Some(x) if matches!(x, '»' | ')' | '"' | '”' | '’' | ']') => j += x.len_utf8(),
                Some(x) if x.is_whitespace() && rest.next() == Some('»') => j += x.len_utf8(),
                _ => break,
            }
        }
        let after = &text[j..];
        let next = after.chars().find(|x| !x.is_whitespace());
        let at_space = after.chars().next().is_none_or(char::is_whitespace);
        // The word before the stop.
        let word_start = text[s..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(s, |(o, c)| s + o + c.len_utf8());
        let before = &text[word_start..i];
        let initial = before.chars().count() == 1 && before.chars().all(char::is_uppercase);
        let abbreviation = c == '.' && (initial || is_abbreviation(before));
        let continues = next.is_some_and(char::is_lowercase);
        if at_space && !abbreviation && !continues {
            return Some(j);
        }
    }
}

/// Whether a word is an abbreviation whose period does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        // `fold` of ASCII is its lower case: no need to build it (issue 8).
        return ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    ABBREVIATIONS.contains(&fold(word).as_str())
}

/// Words of a text: whitespace-separated pieces holding a letter or digit.
pub fn word_count(text: &str) -> usize {
    let (mut count, mut counted) = (0, false);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // ASCII first: most of the text.
        let (space, alnum) = match b {
            b' ' | b'\t'..=b'\r' => (true, false),
            0..0x80 => (false, b.is_ascii_alphanumeric()),
            // The other bytes of a character.
            0x80..0xC0 => continue,
            _ => text[i..]
                .chars()
                .next()
                .map_or((false, false), |c| (c.is_whitespace(), c.is_alphanumeric())),
        };
        if space {
            counted = false;
        } else if !counted && alnum {
            count += 1;
            counted = true;
        }
    }
    count
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
    fn word_count_ignores_punctuation() {
        assert_eq!(
            word_count("Le DEA — dispositif d'emploi accompagné : 1 500 €."),
            7
        );
    }
}
