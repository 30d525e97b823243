//! The model sentences of `fiches new` left in a card (issue 18).
//!
//! Takes: a card's file text. Gives: the byte range of each model sentence
//! (`model::model_text`) that is still the whole value of a front-matter
//! field, a whole paragraph or list item, or a whole heading, for the
//! `texte-modele` warning. A sentence quoted inside the editor's own words
//! is not one.
//! Reports: nothing itself (`lint` makes the warnings).

use std::ops::Range;

use crate::model::model_text::ALL as MODEL_SENTENCES;

/// Where the model sentences left in this file are, in file order.
pub fn find(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(r) = model_sentence(content) {
            found.push(at + r.start..at + r.end);
        }
        at += line.len();
    }
    found
}

/// The range, in `line`, of a model sentence that is all of it but its
/// markup: `key = "…"`, a list marker, a heading's `#`s.
fn model_sentence(line: &str) -> Option<Range<usize>> {
    let inner = value(line).unwrap_or_else(|| strip_markers(line));
    let sentence = inner.trim();
    if !MODEL_SENTENCES.contains(&sentence) {
        return None;
    }
    // `sentence` is a slice of `line`: its offset gives the column.
    let start = sentence.as_ptr() as usize - line.as_ptr() as usize;
    Some(start..start + sentence.len())
}

/// The quoted value of a TOML line `key = "value"`.
fn value(line: &str) -> Option<&str> {
    let (key, rest) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

/// A Markdown line without its list marker or heading marks.
fn strip_markers(line: &str) -> &str {
    let s = line.trim_start();
    let s = s.trim_start_matches('#');
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = s.strip_prefix(marker) {
            return rest;
        }
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = s[digits..]
            .strip_prefix(". ")
            .or_else(|| s[digits..].strip_prefix(") "))
    {
        return rest;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_sentences_are_found_whole_with_their_place() {
        let cases: &[(&str, Option<Range<usize>>)] = &[
            (
                "summary = \"Une phrase courte qui dit à quoi sert cette fiche.\"",
                Some(11..62),
            ),
            ("nature = \"Ce que c'est.\"", Some(10..23)),
            ("- Premier objectif.", Some(2..19)),
            ("2. Deuxième étape.", Some(3..20)),
            ("Une définition courte, en mots simples.", Some(0..40)),
            // The editor's own words around it: not a model sentence.
            ("- Premier objectif. Trouver un emploi.", None),
            ("nature = \"Ce que c'est : une formation.\"", None),
            ("Le texte de la fiche est court.", None),
        ];
        for (line, want) in cases {
            assert_eq!(&model_sentence(line), want, "{line}");
        }
    }

    #[test]
    fn find_gives_file_offsets() {
        let text = "+++\ntitle = \"X\"\n+++\n\n- Première étape.\r\n";
        assert_eq!(find(text), vec![23..40]);
        assert_eq!(&text[23..40], "Première étape.");
    }
}
