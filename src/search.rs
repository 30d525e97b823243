//! Stage 5: search index.
//!
//! Takes: the cards (front matter and plain text, never HTML) and the editors'
//! synonyms (`content/synonymes.toml`). Gives: `search-index.js`, a script that
//! defines `window.FICHES_INDEX`, read by js/recherche.js (a script, not JSON to
//! fetch, so that search works from `file://`), and for a large guide the parts
//! of the index under `search/` (see search/output.rs).
//! Reports: a synonyms file that is not valid TOML, or a value that is not text.
//!
//! The normalisation (`fold`, `words`, `is_stop`, `stem`, `terms`) lives in
//! the text module (src/text/fold.rs); js/recherche.js implements the same rules for queries.
//!
//! Each card becomes one search document: its texts are weighed by field (title
//! above summary above body, BM25 for the body), and synonyms and glossary terms
//! add the other names of what the card mentions. Cards are read in parallel
//! (issue #8): stems and words get numbers from one shared vocabulary, each card
//! gives a small sorted table of (stem, weight), and the postings are gathered
//! once, in card order, by counting (vocabulary: search/vocab.rs; synonyms and
//! glossary terms: search/groups.rs; files: search/output.rs).

use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

mod answers;
mod groups;
mod output;
mod vocab;

pub use crate::text::{STOP_WORDS, fold, is_stop, stem, terms, words};
pub use answers::{Answers, Needs};
use groups::Groups;
pub use output::Split;
use vocab::{Reader, Vocab};

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::model::{Card, Page};

/// Field weights: title and acronym above aliases, above summary and headings,
/// above the points clés, above the body.
const TITLE: f32 = 10.0;
const ALIAS: f32 = 6.0;
const SUMMARY: f32 = 4.0;
/// The questions a card answers (issue 20), read as one field.
const QUESTIONS: f32 = 5.0;
const HEADING: f32 = 3.0;
const POINTS: f32 = 2.0;
const BODY: f32 = 1.0;
/// Weight of the expansion and aliases of a glossary term that a card mentions.
const GLOSSARY: f32 = 1.0;
/// Weights are shipped as integers: weight × SCALE, rounded.
const SCALE: f32 = 4.0;
/// BM25 parameters for the body (long cards must not win by length alone).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Excerpt length, in characters, besides the summary.
const EXTRA_CHARS: usize = 160;

/// The editors' synonyms file (not a card: load.rs only reads `*.md`).
pub const SYNONYMS_FILE: &str = "content/synonymes.toml";

/// Groups of expressions that readers use for the same thing
/// (`"pole emploi" = "france travail"`), from `content/synonymes.toml`.
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// Each group: its expressions as written.
    pub groups: Vec<Vec<String>>,
    /// Expressions that name a public or a stage (`[publics]`, `[etapes]`).
    pub needs: Needs,
}

/// Reads `content/synonymes.toml` when it exists: `"expression" = "autre"` or
/// `"expression" = ["autre", "encore une autre"]`, one group per key; and the
/// tables `[publics]` and `[etapes]`: `demandeur-emploi = ["chômeur", …]`.
pub fn synonyms(root: &Path, diags: &mut Vec<Diagnostic>) -> Synonyms {
    let Ok(text) = std::fs::read_to_string(root.join(SYNONYMS_FILE)) else {
        return Synonyms::default();
    };
    let lines = LineIndex::new(&text);
    let table = match toml::de::DeTable::parse(&text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(crate::spans::toml_error(SYNONYMS_FILE, &lines, 0, &e));
            return Synonyms::default();
        }
    };
    let mut groups = Vec::new();
    let mut needs = Needs::default();
    for (name, value) in table.get_ref() {
        use toml::de::DeValue;
        let key: &str = name.get_ref();
        if let (true, DeValue::Table(t)) = (answers::NEED_TABLES.contains(&key), value.get_ref()) {
            answers::read_table(key, t, &lines, SYNONYMS_FILE, &mut needs, diags);
            continue;
        }
        let others: Option<Vec<String>> = match value.get_ref() {
            DeValue::String(s) => Some(vec![s.to_string()]),
            DeValue::Array(a) => a
                .iter()
                .map(|v| v.get_ref().as_str().map(String::from))
                .collect(),
            _ => None,
        };
        match others {
            Some(others) => groups.push(std::iter::once(key.to_string()).chain(others).collect()),
            None => {
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        "synonyme",
                        SYNONYMS_FILE,
                        &lines,
                        name.span(),
                        format!("les synonymes de « {key} » ne sont pas du texte"),
                    )
                    .help(format!(
                        "écrivez \"{key}\" = \"autre expression\", ou une liste : \"{key}\" = [\"une\", \"autre\"]"
                    )),
                );
            }
        }
    }
    Synonyms { groups, needs }
}

/// One stem of a document.
#[derive(Clone, Copy)]
struct Term {
    stem: u32,
    /// Weight from the short fields (title … points clés) and synonyms.
    short: f32,
    /// Count in the body.
    body: u32,
}

/// One search document, before the merge.
struct Record<'c> {
    card: &'c Card,
    /// Short text shown besides the summary.
    extra: String,
    /// Its stems, by number.
    terms: Vec<Term>,
    /// Words of the body, stop words left out (for BM25).
    body_len: usize,
    /// Folded words whose stem differs from the word, by number.
    words: Vec<u32>,
}

/// The texts of a card, each with its weight (`None` = body).
/// `questions`: the card's questions as one text (a word repeated from
/// question to question counts a little more, not once per question).
fn fields<'c>(
    c: &'c Card,
    owned: &'c [String],
    questions: Option<&'c str>,
) -> Vec<(Option<f32>, &'c str)> {
    let mut f: Vec<(Option<f32>, &str)> = vec![(Some(TITLE), &c.fm.title)];
    f.extend(c.fm.acronym.iter().map(|a| (Some(TITLE), a.as_str())));
    f.extend(c.fm.term.iter().map(|t| (Some(TITLE), t.as_str())));
    f.extend(c.fm.expansion.iter().map(|e| (Some(ALIAS), e.as_str())));
    f.extend(c.fm.aliases.iter().map(|a| (Some(ALIAS), a.as_str())));
    f.extend(owned.iter().map(|a| (Some(ALIAS), a.as_str())));
    f.push((Some(SUMMARY), &c.fm.summary));
    if let Some(q) = questions {
        f.push((Some(QUESTIONS), q));
    }
    f.extend(c.headings.iter().map(|h| (Some(HEADING), h.text.as_str())));
    if let Some(p) = &c.fm.points {
        for t in [
            &p.nature,
            &p.publics,
            &p.operateurs,
            &p.prescripteurs,
            &p.financement,
        ] {
            f.extend(t.iter().map(|t| (Some(POINTS), t.as_str())));
        }
    }
    f.push((None, &c.text));
    f.extend(c.fm.links.iter().map(|l| (None, l.title.as_str())));
    if let Some(n) =
        c.fm.pendant_arret_travail
            .as_ref()
            .and_then(|p| p.note.as_deref())
    {
        f.push((None, n));
    }
    f
}

/// Cuts a text after about `max` characters, at a word boundary.
fn cut(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out = String::new();
    for w in s.split(' ') {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

/// What a short field or a group adds to a stem's weight.
#[derive(Clone, Copy)]
enum Add {
    /// A short field: summed, in the fields' order.
    Short(f32),
    /// A synonym or glossary term found in the card: the highest counts.
    Group(f32),
}

/// Buffers that one thread reuses from card to card.
#[derive(Default)]
struct Scratch {
    /// The last card (counted from 1) in which each word was met, by word number.
    met: Vec<u32>,
    /// Cards read so far.
    cards: u32,
    /// What the short fields and groups add to stems.
    adds: Vec<(u32, Add)>,
    /// Count of each stem in the body, by stem number (zero between cards).
    counts: Vec<u32>,
    /// The stems of the body, each once.
    body: Vec<u32>,
    /// Groups found, with the weight of the field they were found in.
    found: Vec<(usize, f32)>,
    /// A folded text.
    folded: String,
    /// The stems of one field, in order, and sorted.
    seq: Vec<u32>,
    sorted: Vec<u32>,
}

/// The search document of a card.
fn record<'c>(c: &'c Card, groups: &Groups, reader: &mut Reader, buf: &mut Scratch) -> Record<'c> {
    let owned = groups.owned_by(c);
    let questions = (!c.fm.questions.is_empty()).then(|| c.fm.questions.join(" \n "));
    let Scratch {
        met,
        cards,
        adds,
        counts,
        body,
        found,
        folded,
        seq,
        sorted,
    } = buf;
    adds.clear();
    body.clear();
    found.clear();
    let mut words = Vec::new();
    let mut body_len = 0;
    for (weight, raw) in fields(c, &owned, questions.as_deref()) {
        let field = weight.unwrap_or(BODY);
        let mut hit = |g: usize| {
            let w = groups.list[g].weight.unwrap_or(field.min(ALIAS));
            found.push((g, w));
        };
        seq.clear();
        let mut acronyms =
            |t: &str, rest: &crate::text::Words| groups.by_tokens.at_token(t, rest, &mut hit);
        if !reader.read(raw, seq, &mut words, folded, &mut acronyms) {
            groups.by_tokens.find(raw, &mut hit);
        }
        groups.by_stems.find(seq, &mut hit);
        match weight {
            Some(w) => {
                sorted.clear();
                sorted.extend_from_slice(seq);
                sorted.sort_unstable();
                for run in sorted.chunk_by(|a, b| a == b) {
                    // Repeats in a short field count a little, not linearly.
                    let n = run.len().min(5) as u32;
                    adds.push((run[0], Add::Short(w * (1.0 + 0.25 * (n - 1) as f32))));
                }
            }
            None => {
                body_len += seq.len();
                for &s in seq.iter() {
                    let s = s as usize;
                    if s >= counts.len() {
                        counts.resize(s + 1024, 0);
                    }
                    if counts[s] == 0 {
                        body.push(s as u32);
                    }
                    counts[s] += 1;
                }
            }
        }
    }
    for &(g, w) in found.iter() {
        adds.extend(groups.list[g].stems.iter().map(|&s| (s, Add::Group(w))));
        words.extend_from_slice(&groups.list[g].words);
    }
    let terms = table(adds, body, counts);
    // Each word once.
    *cards += 1;
    words.retain(|&w| {
        let w = w as usize;
        if w >= met.len() {
            met.resize(w + 1024, 0);
        }
        std::mem::replace(&mut met[w], *cards) != *cards
    });
    let extra = crate::view::snippet(c);
    Record {
        card: c,
        extra: cut(extra, EXTRA_CHARS),
        terms,
        body_len,
        words,
    }
}

/// A card's stems with their weights, sorted by number: what the short fields
/// and groups add (`adds`), and the body's count of each stem (`counts`, by
/// stem number, for the stems in `body`; left at zero).
fn table(adds: &mut [(u32, Add)], body: &mut [u32], counts: &mut [u32]) -> Vec<Term> {
    // A stable sort, short fields first: a stem's weight is summed in the
    // fields' order, then raised to its groups', as when one thread did it all.
    adds.sort_by_key(|&(s, add)| (s, matches!(add, Add::Group(_))));
    body.sort_unstable();
    let mut terms = Vec::new();
    let mut shorts = adds.chunk_by(|a, b| a.0 == b.0).peekable();
    let mut stems = body.iter().peekable();
    loop {
        let stem = match (shorts.peek(), stems.peek()) {
            (None, None) => break,
            (Some(a), Some(&&b)) => a[0].0.min(b),
            (Some(a), None) => a[0].0,
            (None, Some(&&b)) => b,
        };
        let mut t = Term {
            stem,
            short: 0.0,
            body: 0,
        };
        for &(_, add) in shorts.next_if(|r| r[0].0 == stem).into_iter().flatten() {
            match add {
                Add::Short(w) => t.short += w,
                Add::Group(w) => t.short = t.short.max(w),
            }
        }
        if stems.next_if(|&&b| b == stem).is_some() {
            t.body = std::mem::take(&mut counts[stem as usize]);
        }
        terms.push(t);
    }
    terms
}

/// Each stem's postings, by stem number: (document, integer weight), in
/// document order. Body counts become BM25 weights here, once the average
/// body length is known. Each record's terms are dropped once posted
/// (issue 8: both at once were most of the index's memory).
fn postings(records: &mut [Record], stems: usize) -> Vec<Vec<(u32, u32)>> {
    let avg =
        records.iter().map(|r| r.body_len).sum::<usize>() as f32 / records.len().max(1) as f32;
    let mut counts = vec![0usize; stems];
    for t in records.iter().flat_map(|r| &r.terms) {
        counts[t.stem as usize] += 1;
    }
    let mut lists: Vec<Vec<(u32, u32)>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (d, r) in records.iter_mut().enumerate() {
        let norm = K1 * (1.0 - B + B * r.body_len as f32 / avg.max(1.0));
        for t in std::mem::take(&mut r.terms) {
            let mut w = t.short;
            if t.body > 0 {
                let tf = t.body as f32;
                w += BODY * tf * (K1 + 1.0) / (tf + norm);
            }
            let w = ((w * SCALE).round() as u32).max(1);
            lists[t.stem as usize].push((d as u32, w));
        }
    }
    lists
}

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

    #[test]
    fn a_synonym_that_is_not_text_is_reported_where_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("content/");
        std::fs::write(
            dir.path().join(SYNONYMS_FILE),
            "\"pole emploi\" = \"France Travail\"\nchomage = 3\n",
        )
        .expect("synonyms written");
        let mut diags = Vec::new();
        let syn = synonyms(dir.path(), &mut diags);
        assert_eq!(
            syn.groups,
            vec![vec![
                "pole emploi".to_string(),
                "France Travail".to_string()
            ]]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].column),
            ("synonyme", 2, 1)
        );
    }
}
