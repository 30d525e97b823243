//! Folding and words (issue #6), shared by slugs, the lints, the glossary and
//! the search index, and implemented again in js/recherche.js for queries:
//! fold (accents, case, ligatures), words (elisions and hyphens split), French
//! stop words, Snowball French stems. tests/search_normalise.rs checks that both
//! sides give the same terms on every line of the guide.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, ligatures split: "Œuvre Étape" → "oeuvre etape".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// `fold`, appended to `out` (the index folds every text of every card: one
/// buffer serves them all).
pub fn fold_into(s: &str, out: &mut String) {
    let latin = &*LATIN;
    let mut rest = s;
    while !rest.is_empty() {
        // ASCII characters decompose to themselves and stop canonical reordering,
        // so decomposing only the runs between them gives the NFD of the whole text.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        // Accented Latin letters fold through a table; the characters between
        // them go through the general rule (a byte below 0x80 is a whole character).
        let mut slow = 0;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if c.is_ascii() {
                end = i;
                break;
            }
            if let Some(Some(f)) = latin.get((c as usize).wrapping_sub(LATIN_FROM)) {
                fold_run(&rest[slow..i], out);
                out.push_str(f);
                slow = i + c.len_utf8();
            }
        }
        fold_run(&rest[slow..end], out);
        rest = &rest[end..];
    }
}

/// Whether folding a text's tokens one by one (runs of letters and digits, as
/// `split_words` cuts them) gives the same words as folding the whole text: true
/// when no character can move or vanish across a token's edge. That needs
/// every character to be a starter whose decomposition adds only starters or
/// accents that `fold` removes (no canonical reordering between characters),
/// and no combining accent of U+0300–U+036F (removed, it would join two
/// tokens). Every other separator folds to a separator (a test checks them all).
pub fn per_token(text: &str) -> bool {
    use unicode_normalization::char::{canonical_combining_class as class, decompose_canonical};
    let accent = |c: char| ('\u{300}'..='\u{36f}').contains(&c);
    let latin = &*LATIN;
    let simple = |c: char| {
        if matches!(
            latin.get((c as usize).wrapping_sub(LATIN_FROM)),
            Some(Some(_))
        ) {
            return true;
        }
        let mut starters = class(c) == 0 && !accent(c);
        decompose_canonical(c, |d| starters &= class(d) == 0 || accent(d));
        starters
    };
    // Only the characters beyond ASCII need a look.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(skip) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        at += skip;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if !simple(c) {
            return false;
        }
        at += c.len_utf8();
    }
    true
}

/// Folds a run of characters: NFD, then combining accents removed, ligatures
/// split, lower case.
fn fold_run(run: &str, out: &mut String) {
    if run.is_empty() {
        return;
    }
    for c in run.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | 'ʼ' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// First character of the table of folded Latin letters.
const LATIN_FROM: usize = 0x80;

/// How the letters from U+0080 to U+024F fold, when the general rule gives
/// starters only (no combining mark left to reorder with what follows): then
/// folding the letter alone gives the same as folding it in its text.
static LATIN: LazyLock<Vec<Option<String>>> = LazyLock::new(|| {
    use unicode_normalization::char::canonical_combining_class as class;
    (LATIN_FROM as u32..0x250)
        .map(|n| {
            let c = char::from_u32(n)?;
            let mut f = String::new();
            fold_run(c.encode_utf8(&mut [0; 4]), &mut f);
            (class(c) == 0 && f.chars().all(|x| class(x) == 0)).then_some(f)
        })
        .collect()
});

/// The words of a folded text, borrowed: runs of letters and digits.
pub fn split_words(folded: &str) -> Words<'_> {
    Words { rest: folded }
}

/// Iterator of [`split_words`]. ASCII bytes are told apart with a table; only
/// other characters need Unicode's tables (most of a folded text is ASCII).
#[derive(Clone)]
pub struct Words<'a> {
    rest: &'a str,
}

/// Whether each ASCII byte is a letter or a digit.
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// Whether the character at byte `i` of `s` (a boundary, not ASCII) is part
/// of a word, and its length in bytes.
fn wide_in_word(s: &str, i: usize) -> (bool, usize) {
    match s[i..].chars().next() {
        // Latin letters with accents, but × and ÷: no need for Unicode's tables.
        Some(c @ '\u{c0}'..='\u{24f}') => (c != '×' && c != '÷', c.len_utf8()),
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

/// The first byte at or after `i` where a character is (`inside`) or is not
/// part of a word.
#[inline]
fn skip(s: &str, mut i: usize, inside: bool) -> usize {
    let bytes = s.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if ASCII_WORD[usize::from(b)] != inside {
                return i;
            }
            i += 1;
        } else {
            let (word, n) = wide_in_word(s, i);
            if word != inside {
                return i;
            }
            i += n;
        }
    }
    i
}

/// Words of a text with their byte offsets: runs of letters and digits, cut
/// as `split_words` cuts them.
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, word) = next_word(text, at)?;
        at = start + word.len();
        Some((start, word))
    })
}

/// The first word of `text` at or after byte `at` (a character boundary),
/// with its byte offset.
pub fn next_word(text: &str, at: usize) -> Option<(usize, &str)> {
    let start = skip(text, at, false);
    (start < text.len()).then(|| (start, &text[start..skip(text, start, true)]))
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest;
        let start = skip(s, 0, false);
        if start >= s.len() {
            self.rest = "";
            return None;
        }
        let end = skip(s, start, true);
        self.rest = &s[end..];
        Some(&s[start..end])
    }
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
    let Some(key) = short_key(word) else {
        return false;
    };
    // Open addressing: one or two probes, where a binary search took eight
    // (the index asks this of every word of every card).
    let table = &*STOP_TABLE;
    let mut i = slot(key);
    loop {
        match table[i] {
            0 => return false,
            k if k == key => return true,
            _ => i = (i + 1) % STOP_SLOTS,
        }
    }
}

/// A word of at most 8 bytes as a number (stop words all are): comparing
/// numbers is much faster than comparing strings. Never 0 for a word.
fn short_key(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() <= 8 && !bytes.is_empty()).then(|| {
        let mut b = [0u8; 8];
        b[..bytes.len()].copy_from_slice(bytes);
        u64::from_be_bytes(b)
    })
}

/// Slots of the stop word table: a power of two, three times the words.
const STOP_SLOTS: usize = 512;

fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize % STOP_SLOTS
}

static STOP_TABLE: LazyLock<[u64; STOP_SLOTS]> = LazyLock::new(|| {
    let mut table = [0u64; STOP_SLOTS];
    for key in STOP_WORDS.iter().filter_map(|w| short_key(w)) {
        let mut i = slot(key);
        while table[i] != 0 && table[i] != key {
            i = (i + 1) % STOP_SLOTS;
        }
        table[i] = key;
    }
    table
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
    fn words_split_like_unicode_alphanumerics() {
        // The fast paths of `in_word` against the standard library.
        for c in (0..0x3000).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let want: Vec<&str> = s
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(split_words(&s).collect::<Vec<_>>(), want, "{c:?}");
        }
    }

    #[test]
    fn every_separator_folds_to_a_separator() {
        // What `per_token` relies on, for every character it lets through.
        use unicode_normalization::char::canonical_combining_class as class;
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if c.is_alphanumeric() || class(c) != 0 || ('\u{300}'..='\u{36f}').contains(&c) {
                continue;
            }
            let f = fold(c.encode_utf8(&mut [0; 4]));
            assert!(
                !f.is_empty() && !f.chars().any(char::is_alphanumeric),
                "{c:?} folds to {f:?}"
            );
        }
    }

    #[test]
    fn folding_token_by_token_gives_the_words_of_the_whole_text() {
        // Texts made of pieces that are hard to fold: accents written apart,
        // marks that reorder, ligatures, letters whose decomposition starts with
        // a mark (Tibetan), Hebrew points, a grapheme joiner.
        const PIECES: &[&str] = &[
            "e", "É", "e\u{301}", "\u{301}", "\u{34f}", "œ", "ß", "İ", "ﬁ", "½", "²", "’", "'",
            "-", " ", "\u{a0}", "«", "…", "\u{f73}", "\u{f71}", "ཀ", "\u{591}", "\u{5b0}", "ב",
            "\u{1dc2}", "\u{316}", "Ω", "\u{2126}", "日本", "a1", "Ǆ", "ǅ",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..6 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            if !per_token(&text) {
                continue;
            }
            checked += 1;
            let by_token: Vec<String> = split_words(&text).flat_map(words).collect();
            assert_eq!(by_token, words(&text), "{text:?}");
        }
        assert!(checked > 1000, "{checked} texts checked");
        let table = [
            ("l’été, 2ASF", true),
            ("e\u{301}t\u{301}e", false),
            ("ཀ\u{f73}", false),
        ];
        for (text, want) in table {
            assert_eq!(per_token(text), want, "{text:?}");
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
