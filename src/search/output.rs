//! The search index as files (issue #8).
//!
//! Takes: the documents and postings, as JSON fragments. Gives: the pages of
//! the index. Reports: nothing.
//!
//! A guide of a few hundred cards gets one script, `search-index.js`, that
//! defines `window.FICHES_INDEX` whole (version 1: `docs`, `words`, `terms`).
//! Above `Split::above` bytes, `search-index.js` holds only what every query
//! needs (version 2: the labels, the number of documents and the list of
//! parts), and the rest goes to parts under `search/`, scripts that register
//! themselves with `window.FICHES_PARTS.push(…)`. js/recherche.js adds a script
//! element for each part a query needs: that works from `file://`, where
//! `fetch` does not, and under a CSP that allows same-origin scripts only.
//!
//! - `search/t<i>-<hash>.js`: one range of the sorted vocabulary (stems and
//!   words), with the stems' postings. A query loads the range of each word's
//!   stem, and for the word being typed the ranges of the words it starts
//!   (listed in search-index.js with their first key and number of stems);
//! - `search/d<i>-<hash>.js`: documents `i × per` to `(i + 1) × per - 1`,
//!   loaded for the results shown;
//! - `search/facets-<hash>.js`: each document's stages and publics, loaded only
//!   when a filter is on;
//! - `search/vocab-<hash>.js`: every stem and word without postings, loaded
//!   only to forgive a typo, when nothing matches the word as typed.
//!
//! Ranges follow JavaScript's string order (UTF-16 code units), the order in
//! which recherche.js looks them up. A part's name ends with a hash of its
//! bytes: a browser cache never mixes the parts of two builds.

use std::cmp::Ordering;
use std::ops::Range;

use rayon::prelude::*;

use crate::model::{Card, KINDS, PUBLICS, Page, STAGES};

/// When the index is split into parts, and how big the parts are.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// Above this many bytes, the index is written as parts.
    pub above: usize,
    /// A part of the vocabulary closes once it holds this many bytes.
    pub term_bytes: usize,
    /// A part of the documents closes once it holds this many bytes.
    pub doc_bytes: usize,
}

impl Default for Split {
    /// One file up to 512 KiB (about 150 KiB gzipped, some 500 cards like the
    /// guide's); beyond, parts of about 32 KiB of postings and 2 KiB of
    /// documents: a query then loads some 10 to 60 KiB gzipped (issue #8).
    fn default() -> Split {
        Split {
            above: 512 * 1024,
            term_bytes: 32 * 1024,
            doc_bytes: 2 * 1024,
        }
    }
}

/// What the index holds, as JSON fragments in their final order.
pub(super) struct Built<'a> {
    /// Each document's JSON object, by document number.
    pub docs: Vec<String>,
    /// Each document's stages and publics, as bits (see [`facets`]).
    pub facets: Vec<u32>,
    /// Each stem with the JSON array of its postings, sorted by bytes.
    pub terms: Vec<(&'a str, String)>,
    /// The folded words whose stem differs from the word, sorted by bytes.
    pub words: Vec<&'a str>,
    /// The glossary and the needs, fields of the header (search/answers.rs).
    pub answers: String,
}

/// The pages of the index: one file, or a small one and its parts.
pub(super) fn pages(b: &Built, split: &Split) -> Vec<Page> {
    let size = b.docs.iter().map(|d| d.len() + 1).sum::<usize>()
        + b.terms
            .iter()
            .map(|(s, p)| s.len() + p.len() + 4)
            .sum::<usize>()
        + b.words.iter().map(|w| w.len() + 1).sum::<usize>();
    if size <= split.above {
        vec![one_file(b)]
    } else {
        parts(b, split)
    }
}

/// A JSON string literal, safe inside a script: no `<` (no `</script>`), and
/// U+2028/U+2029 escaped for older JavaScript engines.
fn js_string(s: &str) -> String {
    crate::model::js_safe(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()))
}

fn labels(values: &[(&str, &str)]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|(v, l)| format!("[{},{}]", js_string(v), js_string(l)))
        .collect();
    format!("[{}]", items.join(","))
}

fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn numbers(v: &[usize]) -> String {
    let items: Vec<String> = v.iter().map(|n| n.to_string()).collect();
    format!("[{}]", items.join(","))
}

fn index_of(values: &[(&str, &str)], v: &str) -> Option<usize> {
    values.iter().position(|(x, _)| *x == v)
}

/// A card's stage and public numbers.
fn stages_publics(c: &Card) -> (Vec<usize>, Vec<usize>) {
    let find = |list: &[String], values: &[(&str, &str)]| -> Vec<usize> {
        list.iter().filter_map(|s| index_of(values, s)).collect()
    };
    (
        find(&c.fm.stages, STAGES.values),
        find(&c.fm.publics, PUBLICS.values),
    )
}

/// A card's stages, publics and kind as one number, for the filters and the
/// needs: bit `i` for stage `i`, bit `STAGES.len() + j` for public `j`, and
/// the kind's number from bit `STAGES.len() + PUBLICS.len()` on.
pub(super) fn facets(c: &Card) -> u32 {
    let (stages, publics) = stages_publics(c);
    let bits = |list: &[usize], shift: usize| list.iter().fold(0u32, |m, i| m | 1 << (i + shift));
    let kind = c.fm.kind as u32;
    bits(&stages, 0)
        | bits(&publics, STAGES.values.len())
        | kind << (STAGES.values.len() + PUBLICS.values.len())
}

/// A document: url, title, acronym, other names, kind, stages, publics,
/// summary and a short extra text.
pub(super) fn doc_json(c: &Card, extra: &str) -> String {
    let (stages, publics) = stages_publics(c);
    let mut out = format!(
        "{{\"u\":{},\"t\":{}",
        js_string(&c.url()),
        js_string(&c.fm.title)
    );
    if let Some(a) = c.fm.acronym.as_ref().or(c.fm.term.as_ref()) {
        out.push_str(&format!(",\"a\":{}", js_string(a)));
    }
    if !c.fm.aliases.is_empty() {
        let list: Vec<String> = c.fm.aliases.iter().map(|a| js_string(a)).collect();
        out.push_str(&format!(",\"l\":[{}]", list.join(",")));
    }
    out.push_str(&format!(
        ",\"k\":{},\"e\":{},\"p\":{},\"s\":{},\"x\":{}}}",
        c.fm.kind as usize,
        numbers(&stages),
        numbers(&publics),
        js_string(&c.fm.summary),
        js_string(extra)
    ));
    out
}

/// A stem's postings as a flat JSON array: document-number deltas and weights.
pub(super) fn postings_json(list: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(2 + list.len() * 5);
    out.push('[');
    let mut prev = 0;
    for (i, &(d, w)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_number(&mut out, d - prev);
        out.push(',');
        push_number(&mut out, w);
        prev = d;
    }
    out.push(']');
    out
}

/// `"stem":[…],…` for the stems given.
fn terms_object(out: &mut String, terms: &[(&str, &String)]) {
    out.push('{');
    for (i, (s, p)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&js_string(s));
        out.push(':');
        out.push_str(p);
    }
    out.push('}');
}

/// The first fields of both versions: version, labels, glossary and needs.
fn header(version: u32, b: &Built) -> String {
    format!(
        "{{\"version\":{version},\"stages\":{},\"publics\":{},\"kinds\":{}{}",
        labels(STAGES.values),
        labels(PUBLICS.values),
        labels(KINDS.values),
        b.answers
    )
}

/// Version 1: the whole index in `search-index.js`.
fn one_file(b: &Built) -> Page {
    let mut out = String::from("window.FICHES_INDEX=");
    out.push_str(&header(1, b));
    out.push_str(",\"docs\":[");
    out.push_str(&b.docs.join(","));
    out.push_str("],\"words\":");
    out.push_str(&js_string(&b.words.join(" ")));
    out.push_str(",\"terms\":");
    let terms: Vec<(&str, &String)> = b.terms.iter().map(|(s, p)| (*s, p)).collect();
    terms_object(&mut out, &terms);
    out.push_str("};\n");
    Page {
        path: "search-index.js".into(),
        bytes: out.into_bytes(),
    }
}

/// JavaScript's string order: by UTF-16 code units.
fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// One entry of the vocabulary: a stem with its postings, a word, or both.
struct Entry<'a> {
    key: &'a str,
    postings: Option<&'a String>,
    word: bool,
}

/// Consecutive ranges of `sizes` that reach `target` bytes (the last may not).
fn cut(sizes: impl Iterator<Item = usize>, target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut bytes, mut end) = (0, 0, 0);
    for (i, n) in sizes.enumerate() {
        bytes += n;
        end = i + 1;
        if bytes >= target {
            ranges.push(start..end);
            (start, bytes) = (end, 0);
        }
    }
    if start < end {
        ranges.push(start..end);
    }
    ranges
}

/// A part: its name (`t3-89abcdef`) and page.
fn part(kind: &str, i: usize, body: &str) -> (String, Page) {
    let js = format!("(window.FICHES_PARTS=window.FICHES_PARTS||[]).push({body});\n");
    let h = super::vocab::hash_text(&js);
    let name = format!("{kind}{i}-{:08x}", (h ^ (h >> 32)) as u32);
    let page = Page {
        path: format!("search/{name}.js"),
        bytes: js.into_bytes(),
    };
    (name, page)
}

/// The vocabulary in JavaScript's order: stems with their postings, and words.
fn vocabulary<'a>(b: &'a Built) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry> = b
        .terms
        .iter()
        .map(|(s, p)| Entry {
            key: s,
            postings: Some(p),
            word: false,
        })
        .chain(b.words.iter().map(|w| Entry {
            key: w,
            postings: None,
            word: true,
        }))
        .collect();
    entries.par_sort_by(|a, b| js_order(a.key, b.key).then(a.word.cmp(&b.word)));
    // A text both a stem and a word is one entry.
    entries.dedup_by(|later, first| {
        let same = later.key == first.key;
        if same {
            first.word = true;
        }
        same
    });
    entries
}

/// One part of the vocabulary: its words, and its stems with their postings.
fn term_part(i: usize, list: &[Entry]) -> (String, Page) {
    let words: Vec<&str> = list.iter().filter(|e| e.word).map(|e| e.key).collect();
    let terms: Vec<(&str, &String)> = list
        .iter()
        .filter_map(|e| e.postings.map(|p| (e.key, p)))
        .collect();
    let mut body = format!(
        "{{\"t\":{i},\"words\":{},\"terms\":",
        js_string(&words.join(" "))
    );
    terms_object(&mut body, &terms);
    body.push('}');
    part("t", i, &body)
}

/// Every stem and every word, without postings (for typos).
fn vocab_part(entries: &[Entry]) -> (String, Page) {
    let all = |word: bool| -> String {
        let list: Vec<&str> = entries
            .iter()
            .filter(|e| if word { e.word } else { e.postings.is_some() })
            .map(|e| e.key)
            .collect();
        js_string(&list.join(" "))
    };
    let body = format!(
        "{{\"v\":1,\"stems\":{},\"words\":{}}}",
        all(false),
        all(true)
    );
    part("vocab", 0, &body)
}

/// Each document's stages and publics (for filters).
fn facets_part(facets: &[u32]) -> (String, Page) {
    let mut body = String::from("{\"f\":1,\"facets\":[");
    for (i, &f) in facets.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        push_number(&mut body, f);
    }
    body.push_str("]}");
    part("facets", 0, &body)
}

/// Version 2: `search-index.js` for every query, parts for some.
fn parts(b: &Built, split: &Split) -> Vec<Page> {
    let entries = vocabulary(b);
    let sizes = entries
        .iter()
        .map(|e| e.key.len() + 4 + e.postings.map_or(0, String::len));
    let ranges = cut(sizes, split.term_bytes);
    let term_parts: Vec<(String, Page)> = ranges
        .par_iter()
        .enumerate()
        .map(|(i, r)| term_part(i, &entries[r.clone()]))
        .collect();
    // Documents go by a fixed number per part: a document's part is a division.
    let per = (split.doc_bytes * b.docs.len().max(1)
        / b.docs.iter().map(|d| d.len() + 1).sum::<usize>().max(1))
    .max(1);
    let doc_parts: Vec<(String, Page)> = b
        .docs
        .par_chunks(per)
        .enumerate()
        .map(|(i, docs)| {
            let body = format!("{{\"d\":{i},\"docs\":[{}]}}", docs.join(","));
            part("d", i, &body)
        })
        .collect();
    let (facets, facets_page) = facets_part(&b.facets);
    let (vocab, vocab_page) = vocab_part(&entries);

    let mut meta = String::from("window.FICHES_INDEX=");
    meta.push_str(&header(2, b));
    meta.push_str(&format!(",\"n\":{},\"parts\":{{\"terms\":[", b.docs.len()));
    for (i, (r, (name, _))) in ranges.iter().zip(&term_parts).enumerate() {
        if i > 0 {
            meta.push(',');
        }
        let stems = entries[r.clone()]
            .iter()
            .filter(|e| e.postings.is_some())
            .count();
        let first = js_string(entries[r.start].key);
        meta.push_str(&format!("[{first},{stems},\"{name}\"]"));
    }
    // Part `i` of the documents is `d<i>-<hash>`: only the hashes are listed.
    let hashes: Vec<&str> = doc_parts
        .iter()
        .map(|(name, _)| name.rsplit('-').next().unwrap_or(""))
        .collect();
    meta.push_str(&format!(
        "],\"docs\":{{\"per\":{per},\"hashes\":\"{}\"}},\"facets\":\"{facets}\",\"vocab\":\"{vocab}\"}}}};\n",
        hashes.join(" ")
    ));

    let mut pages = vec![Page {
        path: "search-index.js".into(),
        bytes: meta.into_bytes(),
    }];
    pages.extend(term_parts.into_iter().map(|(_, p)| p));
    pages.extend(doc_parts.into_iter().map(|(_, p)| p));
    pages.push(facets_page);
    pages.push(vocab_page);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 1234, u32::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn javascript_order_puts_astral_characters_before_the_end_of_the_bmp() {
        let table = [
            ("a", "b", Ordering::Less),
            ("ab", "a", Ordering::Greater),
            ("\u{ffff}", "\u{10000}", Ordering::Greater),
            ("\u{e000}", "\u{1d400}", Ordering::Greater),
            ("z", "\u{e9}", Ordering::Less),
        ];
        for (a, b, want) in table {
            assert_eq!(js_order(a, b), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn ranges_close_once_they_reach_the_target() {
        // Sizes, target, ranges.
        type Case = (&'static [usize], usize, Vec<Range<usize>>);
        let table: [Case; 4] = [
            (&[], 10, vec![]),
            (&[3, 3, 3, 3], 6, vec![0..2, 2..4]),
            (&[3, 3, 3], 6, vec![0..2, 2..3]),
            (&[20, 1, 1], 6, vec![0..1, 1..3]),
        ];
        for (sizes, target, want) in table {
            assert_eq!(cut(sizes.iter().copied(), target), want, "{sizes:?}");
        }
    }
}
