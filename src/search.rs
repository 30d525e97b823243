//! Stage 5: search index.
//!
//! Takes: the cards (front matter and plain text, never HTML) and the editors'
//! synonyms (`content/synonymes.toml`). Gives: `search-index.js`, a script that
//! defines `window.FICHES_INDEX`, read by js/recherche-*.js (a script, not JSON to
//! fetch, so that search works from `file://`), and for a large guide the parts
//! of the index under `search/` (see search/output.rs).
//! Reports: a synonyms file that is not valid TOML, or a value that is not text.
//!
//! The normalisation (`fold`, `words`, `is_stop`, `stem`, `terms`) lives in
//! the text module (src/text/fold.rs); js/recherche-texte.js implements the
//! same rules for queries.
//!
//! Each card becomes one search document: its texts are weighed by field (title
//! above summary above body, BM25 for the body), and synonyms and glossary terms
//! add the other names of what the card mentions. Cards are read in parallel
//! (issue #8): stems and words get numbers from one shared vocabulary, each card
//! gives a small sorted table of (stem, weight), and the postings are gathered
//! once, in card order, by counting (the synonyms file: search/synonyms.rs;
//! vocabulary: search/vocab.rs; synonyms and glossary terms found in a card:
//! search/groups.rs; one card's document and the postings: search/record.rs;
//! files: search/output.rs).

use std::sync::Mutex;

use rayon::prelude::*;

mod answers;
mod groups;
mod output;
mod record;
mod synonyms;
mod vocab;

pub use crate::text::{STOP_WORDS, fold, is_stop, stem, terms, words};
pub use answers::{Answers, Needs};
use groups::Groups;
pub use output::Split;
use record::{Record, Scratch, postings, record};
pub use synonyms::{SYNONYMS_FILE, Synonyms, synonyms};
use vocab::{Reader, Vocab};

use crate::model::{Card, Page};

/// The search index: `search-index.js`, and its parts under `search/` when the
/// index is larger than `split.above` bytes.
pub fn index_pages(cards: &[Card], syn: &Synonyms, split: &Split) -> Vec<Page> {
    let vocab = Mutex::new(Vocab::default());
    let groups = Groups::new(cards, syn, &mut Reader::new(&vocab));
    // Glossary terms are answered by the definition box (`g`), not listed.
    let answers = answers::answers(cards, &syn.needs);
    let cards: Vec<&Card> = cards
        .iter()
        .filter(|c| c.slug != "accueil" && !c.is_term())
        .collect();
    // A few chunks per thread, each read with its own cache of words.
    let chunk = (cards.len() / (rayon::current_num_threads() * 4)).max(16);
    let mut records: Vec<Record> = cards
        .par_chunks(chunk)
        .map(|chunk| {
            let mut reader = Reader::new(&vocab);
            let mut buf = Scratch::default();
            chunk
                .iter()
                .map(|c| record(c, &groups, &mut reader, &mut buf))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    let vocab = vocab.into_inner().unwrap_or_else(|e| e.into_inner());
    let lists = postings(&mut records, vocab.stem_names.len());

    // Sorted here, once: the same input gives the same bytes.
    let mut stems: Vec<usize> = (0..lists.len()).filter(|&s| !lists[s].is_empty()).collect();
    stems.sort_unstable_by_key(|&s| &vocab.stem_names[s]);
    let mut used = vec![false; vocab.word_names.len()];
    for &w in records.iter().flat_map(|r| &r.words) {
        used[w as usize] = true;
    }
    let mut words: Vec<&str> = (0..used.len())
        .filter(|&w| used[w])
        .map(|w| &*vocab.word_names[w])
        .collect();
    words.sort_unstable();
    let terms: Vec<(&str, output::Postings)> = stems
        .iter()
        .map(|&s| (&*vocab.stem_names[s], output::Postings(&lists[s])))
        .collect();
    let (docs, facets): (Vec<_>, Vec<u32>) = records
        .par_iter()
        .map(|r| (output::doc(r.card, &r.extra), output::facets(r.card)))
        .unzip();
    output::pages(
        &output::Built {
            docs,
            facets,
            terms,
            words,
            answers,
        },
        split,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(front: &str, text: &str) -> Card {
        let fm: crate::model::FrontMatter =
            toml::from_str(&format!("updated = 2026-11-22\n{front}")).expect("test front matter");
        let slug = crate::parse::slugify(fm.term.as_deref().unwrap_or(&fm.title));
        Card {
            slug,
            file: 0,
            fm,
            body_start: 0,
            headings: Vec::new(),
            text: text.to_string(),
            body: Default::default(),
        }
    }

    /// The index of a few cards: one page.
    fn one_page(cards: &[Card], syn: &Synonyms) -> Vec<u8> {
        let mut pages = index_pages(cards, syn, &Split::default());
        assert_eq!(pages.len(), 1, "a small index is one file");
        pages.remove(0).bytes
    }

    fn index(cards: &[Card], syn: &Synonyms) -> serde_json::Value {
        let js = String::from_utf8(one_page(cards, syn)).expect("UTF-8");
        let json = js
            .strip_prefix("window.FICHES_INDEX=")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("a script that defines window.FICHES_INDEX");
        serde_json::from_str(json).expect("the index is JSON")
    }

    /// Weight of a stem for the document at `url`.
    fn weight(ix: &serde_json::Value, stem: &str, url: &str) -> u64 {
        let d = ix["docs"]
            .as_array()
            .and_then(|docs| docs.iter().position(|d| d["u"] == url))
            .expect("document");
        let flat: Vec<u64> = ix["terms"][stem]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        let mut doc = 0;
        for pair in flat.chunks(2) {
            doc += pair[0] as usize;
            if doc == d {
                return pair[1];
            }
        }
        0
    }

    #[test]
    fn title_weighs_more_than_body() {
        let cards = [
            card(
                "title = \"Immersion\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Un texte.",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une immersion.",
            ),
        ];
        let ix = index(&cards, &Synonyms::default());
        let title = weight(&ix, "immers", "fiches/immersion.html");
        let body = weight(&ix, "immers", "fiches/autre.html");
        assert!(
            title > 0 && body > 0 && title > 3 * body,
            "{title} vs {body}"
        );
    }

    #[test]
    fn acronyms_and_expansions_find_each_other() {
        let cards = [
            card(
                "title = \"PMSMP\"\nkind = \"terme\"\nterm = \"PMSMP\"\nexpansion = \"Période de mise en situation\"\naliases = [\"Immersion facilitée\"]\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Période de mise en situation\"\nacronym = \"PMSMP\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une PMSMP est possible. Pas une pmsmp en minuscules.",
            ),
            card(
                "title = \"Encore\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Une immersion facilitée.",
            ),
        ];
        let ix = index(&cards, &Synonyms::default());
        let own = weight(&ix, "immers", "fiches/periode-de-mise-en-situation.html");
        let mention = weight(&ix, "immers", "fiches/autre.html");
        assert!(own > mention && mention > 0, "{own} vs {mention}");
        assert!(weight(&ix, "pmsmp", "fiches/encore.html") > 0);
    }

    #[test]
    fn questions_weigh_much_and_glossary_terms_are_defined_not_listed() {
        let cards = [
            card(
                "title = \"Essai\"\nkind = \"dispositif\"\nsummary = \"S.\"\nquestions = [\"Je veux découvrir un métier\"]",
                "",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Découvrir un métier.",
            ),
            card(
                "title = \"RQTH\"\nkind = \"terme\"\nterm = \"RQTH\"\nexpansion = \"Reconnaissance de la qualité\"\nsummary = \"Une reconnaissance.\"\nfiche = \"essai\"",
                "",
            ),
        ];
        let ix = index(&cards, &Synonyms::default());
        let asked = weight(&ix, "decouvr", "fiches/essai.html");
        let told = weight(&ix, "decouvr", "fiches/autre.html");
        assert!(asked > 3 * told && told > 0, "{asked} vs {told}");
        let urls: Vec<&str> = ix["docs"]
            .as_array()
            .expect("docs")
            .iter()
            .filter_map(|d| d["u"].as_str())
            .collect();
        assert_eq!(urls, ["fiches/essai.html", "fiches/autre.html"]);
        assert_eq!(
            ix["g"],
            serde_json::json!([{
                "u": "glossaire.html#rqth",
                "t": "RQTH",
                "x": "Reconnaissance de la qualité",
                "s": "Une reconnaissance.",
                "f": ["fiches/essai.html", "Essai"]
            }])
        );
    }

    #[test]
    fn texts_with_accents_written_apart_are_indexed_like_composed_ones() {
        // "é" written as "e" and a combining accent (NFD, as some editors save
        // it): such a text is folded whole, not token by token.
        for (title, text) in [
            ("Compose", "Une PMSMP est résumée ici."),
            ("Decompose", "Une PMSMP est re\u{301}sume\u{301}e ici."),
        ] {
            let cards = [
                card(
                    "title = \"PMSMP\"\nkind = \"terme\"\nterm = \"PMSMP\"\nexpansion = \"Période de mise en situation\"\nsummary = \"S.\"",
                    "",
                ),
                card(
                    &format!("title = \"{title}\"\nkind = \"dispositif\"\nsummary = \"S.\""),
                    text,
                ),
            ];
            let ix = index(&cards, &Synonyms::default());
            let url = format!("fiches/{}.html", title.to_lowercase());
            for stem in ["resum", "pmsmp", "period"] {
                assert!(weight(&ix, stem, &url) > 0, "{stem} in {text:?}");
            }
        }
    }

    #[test]
    fn synonyms_work_both_ways() {
        let cards = [
            card(
                "title = \"France Travail\"\nkind = \"acteur\"\nsummary = \"S.\"",
                "",
            ),
            card(
                "title = \"Autre\"\nkind = \"dispositif\"\nsummary = \"S.\"",
                "Ex-Pôle emploi.",
            ),
        ];
        let syn = Synonyms {
            groups: vec![vec!["pole emploi".into(), "France Travail".into()]],
            ..Synonyms::default()
        };
        let ix = index(&cards, &syn);
        assert!(weight(&ix, "pol", "contacts.html#france-travail") > 0);
        assert!(weight(&ix, "travail", "fiches/autre.html") > 0);
        let without = index(&cards, &Synonyms::default());
        assert_eq!(weight(&without, "pol", "contacts.html#france-travail"), 0);
    }

    #[test]
    fn the_index_is_a_safe_script_with_the_same_bytes_every_time() {
        let cards = [
            card(
                "title = \"A </script> B\"\nkind = \"dispositif\"\nsummary = \"ligne\u{2028}suivante\u{2029}\"",
                "Texte </SCRIPT> <!-- x",
            ),
            card("title = \"Accueil\"\nkind = \"page\"\nsummary = \"S.\"", ""),
        ];
        let a = one_page(&cards, &Synonyms::default());
        let b = one_page(&cards, &Synonyms::default());
        assert_eq!(a, b);
        let js = String::from_utf8(a).expect("UTF-8");
        assert!(!js.contains('<'));
        assert!(!js.contains('\u{2028}') && !js.contains('\u{2029}'));
        assert!(
            !js.contains("accueil"),
            "the home page is not a search document"
        );
        let ix = index(&cards, &Synonyms::default());
        assert_eq!(ix["docs"][0]["t"], "A </script> B");
    }
}
