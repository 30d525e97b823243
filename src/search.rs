//! Stage 5: search index.
//!
//! Takes: rendered cards' text. Gives: `search-index.js`.
//! Also holds the text normalisation shared with slugs and the glossary.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, ligatures split: "Œuvre Étape" → "oeuvre etape".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | 'ʼ' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The search index as a script that defines it (works from `file://`).
pub fn index_page(cards: &[crate::model::Card]) -> crate::model::Page {
    let docs: Vec<serde_json::Value> = cards
        .iter()
        .filter(|c| c.slug != "accueil")
        .map(|c| serde_json::json!({ "t": c.fm.title, "u": c.url(), "s": c.fm.summary }))
        .collect();
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    // `<` is escaped so that no text can close a script element.
    let js = format!("window.FICHES_INDEX={};\n", json.replace('<', "\\u003c"));
    crate::model::Page {
        path: "search-index.js".into(),
        bytes: js.into_bytes(),
    }
}
