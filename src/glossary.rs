//! Stage 3a: glossary.
//!
//! Takes: parsed cards. Gives: the same cards, with the first use of each
//! glossary term on a page wrapped in tooltip markup (ACCESSIBILITY.md §3: a
//! link to `glossaire.html#slug`, described by a `role="tooltip"` bubble, plus
//! a print-only expansion).
//! Reports: a form (term or alias) claimed by two term cards; words that look
//! like acronyms but are in no term or alias (`sigle-inconnu`, a warning).
//! Never wraps inside code, links, headings, image alt text or raw HTML, nor a
//! term in its own card or its own fiche.
//!
//! Forms of a term: its `term`, its `aliases` and its `expansion` (full name).
//! Matching rules: whole words; the longest form wins ("VAE TH" before "VAE");
//! acronyms (a form whose letters are all capitals) match case-sensitively,
//! other forms case- and accent-insensitively; `'` and `’` are the same, so
//! elisions work ("l’AFC", "d'OPCO"); a final "s" is accepted (plural policy:
//! "OPCOs" is a use of OPCO, and the link text keeps the "s").

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Severity};
use crate::model::{Card, SourceFile, Spanned};

/// The lint code of an acronym missing from the glossary.
pub const UNKNOWN: &str = "sigle-inconnu";

/// Wraps the first use of each term in every card and reports unknown
/// acronyms, unless `allow` (guide.toml) or the card's `allow` silences them.
pub fn apply(
    cards: &mut [Card],
    files: &[SourceFile],
    allow: &[String],
    diags: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let glossary = Glossary::new(cards, files, diags);
    let first = FirstChars::new(&glossary);
    let lint_all = !allow.iter().any(|a| a == UNKNOWN);
    // Cards are rewritten in parallel (issue 8); tooltip numbers count uses
    // over the whole guide in card order, so they are filled in afterwards.
    let done: Vec<_> = cards
        .par_iter_mut()
        .map(|card| {
            let mut local = Vec::new();
            let tooltips = rewrite(card, files, &glossary, &first, lint_all, &mut local);
            (tooltips, local)
        })
        .collect();
    let mut counts = vec![0usize; glossary.terms.len()];
    for (card, (tooltips, local)) in cards.iter_mut().zip(done) {
        for (i, t) in tooltips {
            counts[t] += 1;
            if let (Event::InlineHtml(h), _) = &mut card.events[i] {
                let slug = &glossary.terms[t].slug;
                let html = h.replace(
                    &format!("def-{slug}-{PENDING}\""),
                    &format!("def-{slug}-{}\"", counts[t]),
                );
                *h = CowStr::from(html);
            }
        }
        diags.extend(local);
    }
}

/// The tooltip number of a use, until `apply` numbers the uses in order.
const PENDING: usize = usize::MAX;

/// Rewrites one card's events; returns its tooltips as (event index, term).
fn rewrite(
    card: &mut Card,
    files: &[SourceFile],
    glossary: &Glossary,
    first: &FirstChars,
    lint_all: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(usize, usize)> {
    let f = &files[card.file];
    let own: Vec<bool> = glossary.terms.iter().map(|t| t.owns(card)).collect();
    let mut pass = Pass {
        glossary,
        first,
        own,
        used: vec![false; glossary.terms.len()],
        tooltips: Vec::new(),
        places: Vec::new(),
        unknown: BTreeMap::new(),
        out: Vec::with_capacity(card.events.len()),
    };
    for (ev, range) in std::mem::take(&mut card.events) {
        pass.event(ev, range, &f.text);
    }
    card.events = pass.out;
    if lint_all && !card.fm.allow.iter().any(|a| a == UNKNOWN) {
        for (word, (range, n)) in pass.unknown {
            // A card's own acronym and aliases are explained by the card itself.
            let own_name = card.fm.acronym.as_deref() == Some(word.as_str())
                || card.fm.aliases.contains(&word);
            if own_name {
                continue;
            }
            diags.push(unknown_acronym(f, &word, range, n));
        }
    }
    pass.tooltips
}

fn unknown_acronym(f: &SourceFile, word: &str, range: Range<usize>, n: usize) -> Diagnostic {
    let times = if n > 1 {
        format!(" (écrit {n} fois dans cette fiche)")
    } else {
        String::new()
    };
    Diagnostic::at(
        Severity::Warning,
        UNKNOWN,
        &f.rel,
        &f.lines,
        range,
        format!("« {word} » ressemble à un sigle qui n'est pas dans le glossaire{times}"),
    )
    .help(format!(
        "ajoutez une fiche content/glossaire/{}.md (kind = \"terme\"), ou ajoutez « {word} » aux `aliases` d'un terme ; \
         si ce n'est pas un sigle, écrivez le mot en minuscules ; pour taire cet avertissement : allow = [\"{UNKNOWN}\"]",
        crate::parse::slugify(word)
    ))
}

/// One glossary term, from a `terme` card.
pub struct Term {
    /// The term card's slug: the anchor on `glossaire.html`.
    pub slug: String,
    /// The term as written in text ("RQTH").
    pub term: String,
    pub expansion: String,
    pub summary: String,
    /// The term and its aliases, as matched in text.
    forms: Vec<Form>,
    /// Slugs of the non-term cards that explain this term (left alone).
    fiches: Vec<String>,
}

impl Term {
    /// Whether the card is this term's own card or fiche.
    fn owns(&self, card: &Card) -> bool {
        if card.is_term() {
            card.slug == self.slug
        } else {
            self.fiches.contains(&card.slug)
        }
    }
}

/// A written form of a term.
struct Form {
    chars: Vec<char>,
    /// Acronyms match case-sensitively.
    exact: bool,
}

/// Every term of the guide.
pub struct Glossary {
    pub terms: Vec<Term>,
}

impl Glossary {
    /// The terms of the `terme` cards; reports a form claimed twice.
    pub fn new(cards: &[Card], files: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Glossary {
        let mut terms: Vec<Term> = Vec::new();
        let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
        for card in cards.iter().filter(|c| c.is_term()) {
            let Some(term) = card.fm.term.as_deref().map(str::trim) else {
                continue;
            };
            let mut forms = Vec::new();
            let written = std::iter::once(term).chain(card.fm.aliases.iter().map(|a| a.trim()));
            for (nth, w) in written.enumerate() {
                if w.is_empty() {
                    continue;
                }
                let form = Form::new(w);
                match claimed.get(&form.key()) {
                    Some(&other) if other != terms.len() => {
                        diags.push(claimed_twice(card, files, w, nth > 0, &terms[other].slug));
                    }
                    // Same term: "AGEFIPH" and "Agefiph" are both kept, they
                    // do not match the same texts.
                    Some(_) => forms.push(form),
                    None => {
                        claimed.insert(form.key(), terms.len());
                        forms.push(form);
                    }
                }
            }
            let mut fiches: Vec<String> = card.fm.fiche.iter().cloned().collect();
            fiches.push(card.slug.clone());
            terms.push(Term {
                slug: card.slug.clone(),
                term: term.to_string(),
                expansion: card.fm.expansion.clone().unwrap_or_default(),
                summary: card.fm.summary.trim().to_string(),
                forms,
                fiches,
            });
        }
        // The full name is a form too, unless a term or alias already says it.
        for (t, term) in terms.iter_mut().enumerate() {
            let form = Form::new(term.expansion.trim());
            if !form.chars.is_empty() && !claimed.contains_key(&form.key()) {
                claimed.insert(form.key(), t);
                term.forms.push(form);
            }
        }
        Glossary { terms }
    }
}

fn claimed_twice(
    card: &Card,
    files: &[SourceFile],
    form: &str,
    alias: bool,
    other: &str,
) -> Diagnostic {
    let f = &files[card.file];
    let head = &f.text[..card.body_start.min(f.text.len())];
    let key = if alias { "aliases" } else { "term" };
    let at = crate::parse::find_key(head, None, key).unwrap_or(0);
    let at = head[at..].find(form).map(|o| at + o).unwrap_or(at);
    Diagnostic::at(
        Severity::Warning,
        "terme-en-double",
        &f.rel,
        &f.lines,
        at..at + form.len(),
        format!("« {form} » est déjà un terme ou un alias de la fiche de glossaire « {other} »"),
    )
    .help("un mot ne peut mener qu'à une seule définition : gardez-le dans une seule fiche")
}

impl Form {
    fn new(written: &str) -> Form {
        let letters = || written.chars().filter(|c| c.is_alphabetic());
        let exact = letters().next().is_some() && letters().all(char::is_uppercase);
        Form {
            chars: written.chars().map(|c| same(c, exact)).collect(),
            exact,
        }
    }

    /// What two forms must share to be the same form.
    fn key(&self) -> String {
        self.chars.iter().map(|&c| same(c, false)).collect()
    }

    /// How many chars of `text` this form covers there, plural "s" included.
    fn match_at(&self, text: &[char]) -> Option<usize> {
        let n = self.chars.len();
        if text.len() < n || (0..n).any(|k| same(text[k], self.exact) != self.chars[k]) {
            return None;
        }
        let ends_in_letter = self.chars.last().is_some_and(|c| c.is_alphabetic());
        let boundary = |i: usize| text.get(i).is_none_or(|c| !c.is_alphanumeric());
        let plural = |c: char| c == 's' || (!self.exact && c == 'S');
        if ends_in_letter && text.get(n).is_some_and(|&c| plural(c)) && boundary(n + 1) {
            Some(n + 1)
        } else if boundary(n) {
            Some(n)
        } else {
            None
        }
    }
}

/// A char as compared: apostrophes and spaces unified; without `exact`,
/// also lower case and without accent.
fn same(c: char, exact: bool) -> char {
    // Most text is ASCII: no decomposition to look up (issue 8).
    if c.is_ascii() {
        return if exact { c } else { c.to_ascii_lowercase() };
    }
    match c {
        '’' | 'ʼ' | '‘' => '\'',
        '\u{a0}' | '\u{202f}' => ' ',
        c if exact => c,
        c => {
            let base = c.nfd().next().unwrap_or(c);
            base.to_lowercase().next().unwrap_or(base)
        }
    }
}

/// What the scanner found in a text.
#[derive(Debug, PartialEq)]
enum Found {
    /// A form of this term.
    Term(usize),
    /// A word that looks like an acronym and is in no form.
    Unknown,
}

/// Forms by their first word as compared, so that a word of the text is only
/// tried against the forms that can start there (issue 8: scanning every
/// form at every word made big guides quadratic).
struct FirstChars {
    exact: HashMap<String, Vec<(usize, usize)>>,
    folded: HashMap<String, Vec<(usize, usize)>>,
}

impl FirstChars {
    fn new(g: &Glossary) -> FirstChars {
        let mut first = FirstChars {
            exact: HashMap::new(),
            folded: HashMap::new(),
        };
        for (t, term) in g.terms.iter().enumerate() {
            for (k, form) in term.forms.iter().enumerate() {
                let word: String = form
                    .chars
                    .iter()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                let map = if form.exact {
                    &mut first.exact
                } else {
                    &mut first.folded
                };
                map.entry(word).or_default().push((t, k));
            }
        }
        first
    }

    /// The (term, form) pairs that may match at the start of `word` (the
    /// text's word, `s` of a plural included).
    fn at(&self, word: &[char], buf: &mut String) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for (map, exact) in [(&self.exact, true), (&self.folded, false)] {
            buf.clear();
            buf.extend(word.iter().map(|&c| same(c, exact)));
            found.extend(map.get(buf.as_str()).into_iter().flatten());
            if let Some(singular) = buf.strip_suffix(['s', 'S']) {
                found.extend(map.get(singular).into_iter().flatten());
            }
        }
        found
    }
}

/// Terms and unknown acronyms of a text, by byte range, in order.
#[cfg(test)]
fn scan(text: &str, g: &Glossary) -> Vec<(Range<usize>, Found)> {
    scan_with(text, g, &FirstChars::new(g))
}

/// Terms and unknown acronyms of a text, by byte range, in order.
fn scan_with(text: &str, g: &Glossary, first: &FirstChars) -> Vec<(Range<usize>, Found)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let plain: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut hits = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    while i < plain.len() {
        let starts_word = plain[i].is_alphanumeric() && (i == 0 || !plain[i - 1].is_alphanumeric());
        if !starts_word {
            i += 1;
            continue;
        }
        // An e-mail or web address written in the text is not prose: no
        // tooltip inside "contact@agefiph.asso.fr".
        let token_end = (i..plain.len())
            .find(|&j| plain[j].is_whitespace())
            .unwrap_or(plain.len());
        let token_start = (0..i)
            .rev()
            .find(|&j| plain[j].is_whitespace())
            .map_or(0, |j| j + 1);
        let token: String = plain[token_start..token_end].iter().collect();
        if token.contains('@') || token.contains("://") || token.starts_with("www.") {
            i = token_end;
            continue;
        }
        let word_end = (i..plain.len())
            .find(|&j| !plain[j].is_alphanumeric())
            .unwrap_or(plain.len());
        let best = first
            .at(&plain[i..word_end], &mut buf)
            .into_iter()
            .filter_map(|(t, k)| g.terms[t].forms[k].match_at(&plain[i..]).map(|n| (n, t)))
            .max_by_key(|&(n, t)| (n, std::cmp::Reverse(t)));
        if let Some((n, t)) = best {
            hits.push((byte(i)..byte(i + n), Found::Term(t)));
            i += n;
            continue;
        }
        if looks_like_acronym(&text[byte(i)..byte(word_end)]) {
            hits.push((byte(i)..byte(word_end), Found::Unknown));
        }
        i = word_end;
    }
    hits
}

/// Two or more capitals, at least as many as small letters, and not a roman
/// numeral ("XXIe siècle", "titre II").
fn looks_like_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    let lower = word.chars().filter(|c| c.is_lowercase()).count();
    let numeral = ["ème", "eme", "er", "e", ""]
        .iter()
        .filter_map(|s| word.strip_suffix(s))
        .any(|w| !w.is_empty() && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
    upper >= 2 && upper >= lower && !numeral
}

/// Where the pass is: prose is the only place where terms are wrapped.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Place {
    Heading,
    Link,
    Image,
    Code,
    /// Inside an element opened by raw HTML.
    Html,
}

/// The rewrite of one card's events.
struct Pass<'a> {
    glossary: &'a Glossary,
    /// Terms this card explains itself.
    own: Vec<bool>,
    /// Terms already wrapped in this card.
    used: Vec<bool>,
    /// Forms by first char, for `scan`.
    first: &'a FirstChars,
    /// The tooltips made: (index in `out`, term), numbered later by `apply`.
    tooltips: Vec<(usize, usize)>,
    /// Open places around the current event (empty: prose).
    places: Vec<Place>,
    /// Unknown acronyms: first position in the file, number of uses.
    unknown: BTreeMap<String, (Range<usize>, usize)>,
    out: Vec<Spanned>,
}

impl Pass<'_> {
    fn event(&mut self, ev: Event<'static>, range: Range<usize>, file: &str) {
        match &ev {
            Event::Start(tag) => {
                let place = match tag {
                    Tag::Heading { .. } => Some(Place::Heading),
                    Tag::Link { .. } => Some(Place::Link),
                    Tag::Image { .. } => Some(Place::Image),
                    Tag::CodeBlock(_) | Tag::MetadataBlock(_) => Some(Place::Code),
                    Tag::HtmlBlock => Some(Place::Html),
                    _ => None,
                };
                self.places.extend(place);
            }
            Event::End(end) => {
                let place = match end {
                    TagEnd::Heading(_) => Some(Place::Heading),
                    TagEnd::Link => Some(Place::Link),
                    TagEnd::Image => Some(Place::Image),
                    TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => Some(Place::Code),
                    TagEnd::HtmlBlock => Some(Place::Html),
                    _ => None,
                };
                match place {
                    Some(p) => self.close(p),
                    // Raw HTML left open never outlives its block.
                    None if is_block_end(end) => self.close_html(),
                    None => {}
                }
            }
            Event::InlineHtml(h) => match html_tag(h) {
                HtmlTag::Open => self.places.push(Place::Html),
                HtmlTag::Close if self.places.last() == Some(&Place::Html) => {
                    self.places.pop();
                }
                _ => {}
            },
            Event::Text(t) => {
                let t = t.clone();
                self.text(&t, range, file);
                return;
            }
            _ => {}
        }
        self.out.push((ev, range));
    }

    /// Pops the innermost `place` and everything opened inside it.
    fn close(&mut self, place: Place) {
        if let Some(i) = self.places.iter().rposition(|&p| p == place) {
            self.places.truncate(i);
        }
    }

    fn close_html(&mut self) {
        while self.places.last() == Some(&Place::Html) {
            self.places.pop();
        }
    }

    fn text(&mut self, text: &CowStr<'static>, range: Range<usize>, file: &str) {
        let place = self.places.last().copied();
        if matches!(place, Some(Place::Link | Place::Code)) {
            self.out.push((Event::Text(text.clone()), range));
            return;
        }
        // Positions inside the text map to the file only when the source is
        // the text itself (no entity, no escape).
        let exact = file.get(range.clone()) == Some(&**text);
        let at = |r: &Range<usize>| {
            if exact {
                range.start + r.start..range.start + r.end
            } else {
                range.clone()
            }
        };
        let mut done = 0;
        for (r, found) in scan_with(text, self.glossary, self.first) {
            let t = match found {
                Found::Unknown => {
                    let word = text[r.clone()].to_string();
                    self.unknown.entry(word).or_insert((at(&r), 0)).1 += 1;
                    continue;
                }
                Found::Term(t) => t,
            };
            if place.is_some() || self.own[t] || self.used[t] {
                continue;
            }
            self.used[t] = true;
            if done < r.start {
                let before = CowStr::from(text[done..r.start].to_string());
                self.out.push((Event::Text(before), at(&(done..r.start))));
            }
            let term = &self.glossary.terms[t];
            self.tooltips.push((self.out.len(), t));
            let html = tooltip(term, &text[r.clone()], PENDING);
            self.out
                .push((Event::InlineHtml(CowStr::from(html)), at(&r)));
            done = r.end;
        }
        if done == 0 {
            self.out.push((Event::Text(text.clone()), range));
        } else if done < text.len() {
            let rest = CowStr::from(text[done..].to_string());
            self.out.push((Event::Text(rest), at(&(done..text.len()))));
        }
    }
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)
    )
}

/// What an inline HTML event does to nesting.
#[derive(PartialEq, Debug)]
enum HtmlTag {
    Open,
    Close,
    /// Void or self-closing element, comment, declaration.
    Neutral,
}

fn html_tag(h: &str) -> HtmlTag {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let h = h.trim();
    if h.starts_with("</") {
        return HtmlTag::Close;
    }
    let name: String = h
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || h.ends_with("/>") || VOID.contains(&name.as_str()) {
        HtmlTag::Neutral
    } else {
        HtmlTag::Open
    }
}

/// How every tooltip starts. One inline HTML event holds a whole tooltip:
/// Markdown gives one event per tag written by an author, so an event that
/// starts with two tags can only come from here (see `is_tooltip`).
const TOOLTIP_START: &str = "<span class=\"term\"><a class=\"term-link\" href=\"";

/// The markup of one tooltip (ACCESSIBILITY.md §3), its link still site-relative (`@/`).
fn tooltip(term: &Term, written: &str, n: usize) -> String {
    let id = format!("def-{}-{n}", term.slug);
    let fold = |s: &str| crate::search::fold(s);
    let singular = written.strip_suffix(['s', 'S']).unwrap_or(written);
    let says = |s: &str| fold(written) == fold(s) || fold(singular) == fold(s);
    let (is_term, is_expansion) = (says(&term.term), says(&term.expansion));
    let mut def = term.expansion.trim_end_matches('.').to_string();
    if !is_term {
        def.push_str(&format!(" ({})", term.term));
    }
    if !term.summary.is_empty() {
        def.push_str(". ");
        def.push_str(&term.summary);
    }
    // On paper the bubble is gone: the first use reads "RQTH (reconnaissance …)".
    // A name of several words that is no acronym ("Transitions Pro", "centre de
    // pré-orientation") is already a full name: its expansion would say it twice.
    let full_name = written.contains(char::is_whitespace) && !looks_like_acronym(written);
    let print = if is_expansion || full_name || term.expansion.is_empty() {
        String::new()
    } else {
        format!(
            "<span class=\"term-print\"> ({})</span>",
            escape(term.expansion.trim_end_matches('.'))
        )
    };
    format!(
        "{TOOLTIP_START}{}{}\" aria-describedby=\"{id}\">{}</a>{print}<span class=\"term-def\" id=\"{id}\" role=\"tooltip\">{}</span></span>",
        crate::links::SITE,
        escape(&crate::model::url_for("terme", &term.slug)),
        escape(written),
        escape(&def),
    )
}

/// Whether an inline HTML event is a tooltip made by this stage (render keeps
/// it even when authors' raw HTML is escaped).
pub fn is_tooltip(html: &str) -> bool {
    html.starts_with(TOOLTIP_START)
}

/// A tooltip with its link made relative to a page at `root` ("", "../").
pub fn tooltip_at(html: &str, root: &str) -> String {
    let site = format!("{TOOLTIP_START}{}", crate::links::SITE);
    match html.strip_prefix(&site) {
        Some(rest) => format!("{TOOLTIP_START}{root}{rest}"),
        None => html.to_string(),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(forms: &[&[&str]]) -> Glossary {
        Glossary {
            terms: forms
                .iter()
                .enumerate()
                .map(|(i, f)| Term {
                    slug: format!("t{i}"),
                    term: f[0].to_string(),
                    expansion: String::new(),
                    summary: String::new(),
                    forms: f.iter().map(|w| Form::new(w)).collect(),
                    fiches: Vec::new(),
                })
                .collect(),
        }
    }

    /// The text with each hit in brackets: `[RQTH]`, or `?[SMIC]` when unknown.
    fn marked(text: &str, g: &Glossary) -> String {
        let mut out = String::new();
        let mut done = 0;
        for (r, found) in scan(text, g) {
            out.push_str(&text[done..r.start]);
            let mark = if found == Found::Unknown { "?" } else { "" };
            out.push_str(&format!("{mark}[{}]", &text[r.clone()]));
            done = r.end;
        }
        out.push_str(&text[done..]);
        out
    }

    #[test]
    fn scan_finds_whole_words_longest_first_with_elisions_and_accents() {
        let g = glossary(&[
            &["VAE"],
            &["VAE TH"],
            &["AFC"],
            &["OPCO", "Opérateur de compétences"],
            &["Qualiopi"],
            &["Pass P’AS"],
        ]);
        for (text, want) in [
            ("La VAE TH et la VAE.", "La [VAE TH] et la [VAE]."),
            ("l'AFC, l’AFC, d'OPCO", "l'[AFC], l’[AFC], d'[OPCO]"),
            ("VAEX, XVAE, AFCs", "?[VAEX], ?[XVAE], [AFCs]"),
            ("les OPCOs et les OPCOS", "les [OPCOs] et les ?[OPCOS]"),
            (
                "Un operateur de Compétences",
                "Un [operateur de Compétences]",
            ),
            ("vae, Afc, QUALIOPI", "vae, Afc, [QUALIOPI]"),
            ("Le Pass P'AS", "Le [Pass P'AS]"),
            (
                "Le PTP-FIPU et la POE-I",
                "Le ?[PTP]-?[FIPU] et la ?[POE]-I",
            ),
            ("au XXIe siècle, titre II", "au XXIe siècle, titre II"),
            ("DuoDay, ATPro, SMIC", "DuoDay, ?[ATPro], ?[SMIC]"),
            (
                "AFC : afc@vae.fr, https://www.afc.fr/VAE ou www.vae.fr.",
                "[AFC] : afc@vae.fr, https://www.afc.fr/VAE ou www.vae.fr.",
            ),
        ] {
            assert_eq!(marked(text, &g), want, "{text}");
        }
    }

    #[test]
    fn acronyms_are_forms_whose_letters_are_all_capitals() {
        for (w, exact) in [
            ("RQTH", true),
            ("C2P", true),
            ("PASS P’AS", true),
            ("Pass P’AS", false),
            ("Agefiph", false),
            ("ATPro", false),
        ] {
            assert_eq!(Form::new(w).exact, exact, "{w}");
        }
    }

    #[test]
    fn inline_html_nesting_is_read_from_the_tag() {
        for (h, want) in [
            ("<span class=\"x\">", HtmlTag::Open),
            ("</span>", HtmlTag::Close),
            ("<br>", HtmlTag::Neutral),
            ("<img src=\"a\" />", HtmlTag::Neutral),
            ("<!-- note -->", HtmlTag::Neutral),
        ] {
            assert_eq!(html_tag(h), want, "{h}");
        }
    }

    #[test]
    fn paper_spells_out_an_acronym_but_not_a_name_written_in_full() {
        let mut g = glossary(&[&["ESPO", "CPO", "Centre de pré-orientation", "VAE TH"]]);
        g.terms[0].expansion = "Établissements et services de pré-orientation".into();
        let print = |written: &str| tooltip(&g.terms[0], written, 1).contains("term-print");
        assert!(print("ESPO") && print("CPO") && print("VAE TH"));
        assert!(!print("centre de pré-orientation"));
        assert!(!print("établissements et services de pré-orientation"));
    }

    #[test]
    fn only_this_stage_makes_tooltip_events() {
        let g = glossary(&[&["RQTH"]]);
        let html = tooltip(&g.terms[0], "RQTH", 1);
        assert!(is_tooltip(&html));
        assert!(tooltip_at(&html, "../").contains("href=\"../glossaire.html#t0\""));
        for author in [
            "<span class=\"term\">",
            "<a class=\"term-link\" href=\"x\">",
        ] {
            assert!(!is_tooltip(author), "{author}");
        }
    }
}
