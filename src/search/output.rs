//! The search index as files (issue #8).
//!
//! Takes: the documents and postings, as JSON made by serde. Gives: the
//! pages of the index. Reports: nothing.
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
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use super::Answers;
use crate::model::{Card, KINDS, PUBLICS, Page, STAGES};

/// `v` as JSON text, safe inside a script (see `model::js_safe`).
fn script<T: Serialize + ?Sized>(v: &T) -> String {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    crate::model::js_safe(&text)
}

/// The length in bytes of `script(v)`, without making it.
fn script_len<T: Serialize + ?Sized>(v: &T) -> usize {
    /// Counts bytes, and what `js_safe` adds: 5 for each `<` (`\u003c`),
    /// 3 for each U+2028 or U+2029 (`\u2028`). serde_json writes a
    /// character whole in one call.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            for (i, &b) in buf.iter().enumerate() {
                match b {
                    b'<' => self.0 += 5,
                    0xE2 if matches!(buf.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])) => {
                        self.0 += 3
                    }
                    _ => {}
                }
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, v) {
        Ok(()) => count.0,
        Err(_) => 4,
    }
}

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

/// What the index holds, in its final order.
pub(super) struct Built<'a> {
    /// Each document, by document number, with the length of its JSON.
    pub docs: Vec<(Doc<'a>, usize)>,
    /// Each document's stages and publics, as bits (see [`facets`]).
    pub facets: Vec<u32>,
    /// Each stem with its postings, sorted by bytes.
    pub terms: Vec<(&'a str, Postings<'a>)>,
    /// The folded words whose stem differs from the word, sorted by bytes.
    pub words: Vec<&'a str>,
    /// The glossary and the needs, fields of the header (search/answers.rs).
    pub answers: Answers<'a>,
}

/// The pages of the index: one file, or a small one and its parts.
pub(super) fn pages(b: &Built, split: &Split) -> Vec<Page> {
    let size = b.docs.iter().map(|(_, n)| n + 1).sum::<usize>()
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

/// A document of the index, as recherche.js reads it.
#[derive(Serialize)]
pub(super) struct Doc<'a> {
    u: String,
    t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<&'a String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    l: &'a [String],
    k: usize,
    e: Vec<usize>,
    p: Vec<usize>,
    s: &'a str,
    x: &'a str,
}

/// A document: url, title, acronym, other names, kind, stages, publics,
/// summary and a short extra text; with the length of its JSON.
pub(super) fn doc<'a>(c: &'a Card, extra: &'a str) -> (Doc<'a>, usize) {
    let (stages, publics) = stages_publics(c);
    let doc = Doc {
        u: c.url(),
        t: &c.fm.title,
        a: c.fm.acronym.as_ref().or(c.fm.term.as_ref()),
        l: &c.fm.aliases,
        k: c.fm.kind as usize,
        e: stages,
        p: publics,
        s: &c.fm.summary,
        x: extra,
    };
    let len = script_len(&doc);
    (doc, len)
}

/// A stem's postings: (document number, weight) pairs, sorted by document.
#[derive(Clone, Copy)]
pub(super) struct Postings<'a>(pub &'a [(u32, u32)]);

impl Postings<'_> {
    /// The length of the JSON array.
    fn len(&self) -> usize {
        script_len(self)
    }
}

impl Serialize for Postings<'_> {
    /// A flat array: document-number deltas and weights.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(2 * self.0.len()))?;
        let mut prev = 0;
        for &(d, w) in self.0 {
            seq.serialize_element(&(d - prev))?;
            seq.serialize_element(&w)?;
            prev = d;
        }
        seq.end()
    }
}

/// Stems with their postings, in the order given, as one JSON object.
struct Terms<'a>(Vec<(&'a str, Postings<'a>)>);

impl Serialize for Terms<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (stem, postings) in &self.0 {
            map.serialize_entry(stem, postings)?;
        }
        map.end()
    }
}

/// What both versions of `search-index.js` start with: version, labels,
/// glossary and needs.
#[derive(Serialize)]
struct Header<'a> {
    version: u32,
    stages: &'static [(&'static str, &'static str)],
    publics: &'static [(&'static str, &'static str)],
    kinds: &'static [(&'static str, &'static str)],
    #[serde(flatten)]
    answers: &'a Answers<'a>,
}

impl<'a> Header<'a> {
    fn of(version: u32, b: &'a Built) -> Header<'a> {
        Header {
            version,
            stages: STAGES.values,
            publics: PUBLICS.values,
            kinds: KINDS.values,
            answers: &b.answers,
        }
    }
}

/// Version 1: the whole index in `search-index.js`.
fn one_file(b: &Built) -> Page {
    #[derive(Serialize)]
    struct Whole<'a> {
        #[serde(flatten)]
        header: Header<'a>,
        docs: Vec<&'a Doc<'a>>,
        words: String,
        terms: Terms<'a>,
    }
    let whole = Whole {
        header: Header::of(1, b),
        docs: b.docs.iter().map(|(d, _)| d).collect(),
        words: b.words.join(" "),
        terms: Terms(b.terms.clone()),
    };
    Page {
        path: "search-index.js".into(),
        bytes: format!("window.FICHES_INDEX={};\n", script(&whole)).into_bytes(),
    }
}

/// JavaScript's string order: by UTF-16 code units.
fn js_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// One entry of the vocabulary: a stem with its postings, a word, or both.
struct Entry<'a> {
    key: &'a str,
    postings: Option<Postings<'a>>,
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
fn part(kind: &str, i: usize, body: &impl Serialize) -> (String, Page) {
    let body = script(body);
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
            postings: Some(*p),
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
    #[derive(Serialize)]
    struct Part<'a> {
        t: usize,
        words: String,
        terms: Terms<'a>,
    }
    let words: Vec<&str> = list.iter().filter(|e| e.word).map(|e| e.key).collect();
    let terms = list
        .iter()
        .filter_map(|e| e.postings.map(|p| (e.key, p)))
        .collect();
    let body = Part {
        t: i,
        words: words.join(" "),
        terms: Terms(terms),
    };
    part("t", i, &body)
}

/// Every stem and every word, without postings (for typos).
fn vocab_part(entries: &[Entry]) -> (String, Page) {
    #[derive(Serialize)]
    struct Part {
        v: u32,
        stems: String,
        words: String,
    }
    let all = |word: bool| -> String {
        let list: Vec<&str> = entries
            .iter()
            .filter(|e| if word { e.word } else { e.postings.is_some() })
            .map(|e| e.key)
            .collect();
        list.join(" ")
    };
    let body = Part {
        v: 1,
        stems: all(false),
        words: all(true),
    };
    part("vocab", 0, &body)
}

/// Each document's stages and publics (for filters).
fn facets_part(facets: &[u32]) -> (String, Page) {
    #[derive(Serialize)]
    struct Part<'a> {
        f: u32,
        facets: &'a [u32],
    }
    part("facets", 0, &Part { f: 1, facets })
}

/// Version 2: `search-index.js` for every query, parts for some.
fn parts(b: &Built, split: &Split) -> Vec<Page> {
    let entries = vocabulary(b);
    let sizes = entries
        .iter()
        .map(|e| e.key.len() + 4 + e.postings.map_or(0, |p| p.len()));
    let ranges = cut(sizes, split.term_bytes);
    let term_parts: Vec<(String, Page)> = ranges
        .par_iter()
        .enumerate()
        .map(|(i, r)| term_part(i, &entries[r.clone()]))
        .collect();
    // Documents go by a fixed number per part: a document's part is a division.
    let per = (split.doc_bytes * b.docs.len().max(1)
        / b.docs.iter().map(|(_, n)| n + 1).sum::<usize>().max(1))
    .max(1);
    let doc_parts: Vec<(String, Page)> = b
        .docs
        .par_chunks(per)
        .enumerate()
        .map(|(i, docs)| {
            #[derive(Serialize)]
            struct Part<'a> {
                d: usize,
                docs: Vec<&'a Doc<'a>>,
            }
            let docs = docs.iter().map(|(d, _)| d).collect();
            part("d", i, &Part { d: i, docs })
        })
        .collect();
    let (facets, facets_page) = facets_part(&b.facets);
    let (vocab, vocab_page) = vocab_part(&entries);

    #[derive(Serialize)]
    struct Meta<'a> {
        #[serde(flatten)]
        header: Header<'a>,
        n: usize,
        parts: Parts<'a>,
    }
    #[derive(Serialize)]
    struct Parts<'a> {
        /// Each part of the vocabulary: its first key, its number of stems, its name.
        terms: Vec<(&'a str, usize, &'a str)>,
        docs: DocParts,
        facets: String,
        vocab: String,
    }
    #[derive(Serialize)]
    struct DocParts {
        per: usize,
        /// Part `i` of the documents is `d<i>-<hash>`: only the hashes are listed.
        hashes: String,
    }
    let terms = ranges
        .iter()
        .zip(&term_parts)
        .map(|(r, (name, _))| {
            let stems = entries[r.clone()]
                .iter()
                .filter(|e| e.postings.is_some())
                .count();
            (entries[r.start].key, stems, name.as_str())
        })
        .collect();
    let hashes: Vec<&str> = doc_parts
        .iter()
        .map(|(name, _)| name.rsplit('-').next().unwrap_or(""))
        .collect();
    let meta = Meta {
        header: Header::of(2, b),
        n: b.docs.len(),
        parts: Parts {
            terms,
            docs: DocParts {
                per,
                hashes: hashes.join(" "),
            },
            facets,
            vocab,
        },
    };
    let meta = format!("window.FICHES_INDEX={};\n", script(&meta));

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
