//! Text normalisation for search (issue #6), shared by the index (src/search.rs),
//! slugs and the glossary, and implemented again in js/recherche.js for queries:
//! fold (accents, case, ligatures), words (elisions and hyphens split), French
//! stop words, Snowball French stems. tests/search_normalise.rs checks that both
//! sides give the same terms on every line of the guide.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, ligatures split: "Œuvre Étape" → "oeuvre etape".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // ASCII characters decompose to themselves and stop canonical reordering,
        // so decomposing only the runs between them gives the NFD of the whole text.
        let ascii = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        out.extend(rest[..ascii].chars().map(|c| c.to_ascii_lowercase()));
        rest = &rest[ascii..];
        let other = rest.find(|c: char| c.is_ascii()).unwrap_or(rest.len());
        for c in rest[..other].nfd() {
            match c {
                '\u{300}'..='\u{36f}' => {}
                'œ' | 'Œ' => out.push_str("oe"),
                'æ' | 'Æ' => out.push_str("ae"),
                '’' | 'ʼ' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
        rest = &rest[other..];
    }
    out
}

/// The words of a folded text, borrowed.
pub(crate) fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Folded words of a text. Anything but a letter or a digit separates words, so
/// elisions are split ("l'apprentissage" → "l", "apprentissage") and so are
/// hyphenated names ("Prépa-Apprentissage" → "prepa", "apprentissage").
pub fn words(s: &str) -> Vec<String> {
    split_words(&fold(s)).map(String::from).collect()
}

/// French stop words, folded and sorted (the Snowball list, plus elided forms).
/// "pas" is kept out: it is an acronym of the guide (prestation d'appui spécifique).
/// js/recherche.js holds the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais",
    "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient", "avais",
    "avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "ayante", "ayantes", "ayants",
    "ayez", "ayons", "c", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle",
    "elles", "en", "es", "est", "et", "etaient", "etais", "etait", "etant", "etante", "etantes",
    "etants", "ete", "etee", "etees", "etes", "etiez", "etions", "eu", "eue", "eues", "eumes",
    "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions", "eut", "eutes", "eux",
    "fumes", "furent", "fus", "fusse", "fussent", "fusses", "fussiez", "fussions", "fut", "futes",
    "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur", "leurs", "lorsqu", "lui", "m",
    "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on",
    "ont", "ou", "par", "pour", "puisqu", "qu", "que", "qui", "s", "sa", "se", "sera", "serai",
    "seraient", "serais", "serait", "seras", "serez", "seriez", "serions", "serons", "seront",
    "ses", "soient", "sois", "soit", "son", "sont", "soyez", "soyons", "suis", "sur", "t", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
];

/// Whether a folded word carries no meaning for search.
pub fn is_stop(word: &str) -> bool {
    short_key(word).is_some_and(|k| STOP_KEYS.binary_search(&k).is_ok())
}

/// A word of at most 8 bytes as a number (stop words all are): comparing
/// numbers is much faster than comparing strings, and this runs on every word.
fn short_key(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() <= 8).then(|| {
        let mut b = [0u8; 8];
        b[..bytes.len()].copy_from_slice(bytes);
        u64::from_be_bytes(b)
    })
}

static STOP_KEYS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut keys: Vec<u64> = STOP_WORDS.iter().filter_map(|w| short_key(w)).collect();
    keys.sort_unstable();
    keys
});

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

/// Snowball French stem of a folded word ("formations" → "format"). Folded
/// feminine participles first lose their extra "e" ("adaptees" → "adapte"), so
/// that they meet the masculine form as they would with their accents.
pub fn stem(word: &str) -> String {
    let w = word
        .strip_suffix("ees")
        .map(|w| format!("{w}e"))
        .or_else(|| word.strip_suffix("ee").map(|w| format!("{w}e")));
    STEMMER.stem(w.as_deref().unwrap_or(word)).into_owned()
}

/// Search terms of a text: folded words, stop words removed, stemmed. The query
/// side (js/recherche.js `terms`) gives the same list for the same text.
pub fn terms(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .filter(|w| !is_stop(w))
        .map(|w| stem(&w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_and_case_and_splits_ligatures() {
        let table = [
            ("Œuvre Étape", "oeuvre etape"),
            ("RÉÉDUCATION", "reeducation"),
            ("l’emploi", "l'emploi"),
            ("Ægis", "aegis"),
            ("ça", "ca"),
        ];
        for (input, want) in table {
            assert_eq!(fold(input), want, "{input:?}");
        }
    }

    #[test]
    fn terms_drop_accents_elisions_and_stop_words_and_keep_stems() {
        let table = [
            // accents and case
            ("Étapes CLÉS", "etap cle"),
            (
                "Réeducation reeducation rééducation",
                "reeduc reeduc reeduc",
            ),
            // elisions, hyphens
            ("l'apprentissage", "apprentissag"),
            ("L’Agefiph", "agefiph"),
            ("jusqu'à l'emploi", "emploi"),
            ("Prépa-Apprentissage", "prep apprentissag"),
            // stop words
            ("de la pour les", ""),
            ("qu'il est là", ""),
            // "PAS" is an acronym of the guide, not a stop word
            ("PAS", "pas"),
            // plurals, feminine, verb forms
            ("formation formations", "format format"),
            (
                "handicapé handicapés handicapée handicapées",
                "handicap handicap handicap handicap",
            ),
            (
                "accompagnement accompagner accompagné",
                "accompagn accompagn accompagn",
            ),
            ("travailleur travailleurs", "travailleur travailleur"),
            ("adaptée adapté", "adapt adapt"),
            // digits and mixed words stay
            ("2ASF 2024", "2asf 2024"),
        ];
        for (input, want) in table {
            assert_eq!(terms(input).join(" "), want, "{input:?}");
        }
    }

    #[test]
    fn every_stop_word_is_folded_and_the_list_is_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in STOP_WORDS {
            assert_eq!(fold(w), *w);
            assert!(is_stop(w));
        }
        assert!(!is_stop("emploi"));
    }
}
