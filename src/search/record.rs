//! One search document per card, for the search index.
//!
//! Takes: a card (front matter and plain text), the synonym and glossary groups
//! found in it (search/groups.rs), and the shared vocabulary (search/vocab.rs).
//! Gives: its `Record`, a small table of (stem number, weight) sorted by stem,
//! with the card's texts weighed by field (title above summary above body); and
//! once every card is read, each stem's postings, the body weighed with BM25.
//! Reports: nothing.

use super::groups::Groups;
use super::vocab::Reader;
use crate::model::Card;

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
pub(super) const GLOSSARY: f32 = 1.0;
/// Weights are shipped as integers: weight × SCALE, rounded.
const SCALE: f32 = 4.0;
/// BM25 parameters for the body (long cards must not win by length alone).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Excerpt length, in characters, besides the summary.
const EXTRA_CHARS: usize = 160;

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
pub(super) struct Record<'c> {
    /// The card.
    pub(super) card: &'c Card,
    /// Short text shown besides the summary.
    pub(super) extra: String,
    /// Its stems, by number.
    terms: Vec<Term>,
    /// Words of the body, stop words left out (for BM25).
    body_len: usize,
    /// Folded words whose stem differs from the word, by number.
    pub(super) words: Vec<u32>,
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
pub(super) struct Scratch {
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
pub(super) fn record<'c>(
    c: &'c Card,
    groups: &Groups,
    reader: &mut Reader,
    buf: &mut Scratch,
) -> Record<'c> {
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
pub(super) fn postings(records: &mut [Record], stems: usize) -> Vec<Vec<(u32, u32)>> {
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
