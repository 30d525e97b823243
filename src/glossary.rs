//! Stage 3a: glossary.
//!
//! Takes: parsed cards, to gather the terms once (`Glossary::new`); then one
//! card's events at a time (`Glossary::apply`). Gives: the events, with the
//! first use of each glossary term on a page wrapped in tooltip markup
//! (docs/accessibilite.md §3: a link to `glossaire.html#slug`, described by a
//! `role="tooltip"` bubble, plus a print-only expansion); `number` then
//! numbers the tooltips over the whole guide.
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
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Severity};
use crate::model::{Card, SourceFile, Spanned, escape_html as escape};
use crate::spans::Field;
use crate::text::next_word;

/// The lint code of an acronym missing from the glossary.
pub const UNKNOWN: &str = "sigle-inconnu";

/// A tooltip made in a card's events: its term, and where its markup holds
/// the site marker of its link (`links::SITE`) and the placeholders of its
/// number. The body's HTML leaves them out: each page writes its own root
/// there, and the number counts the term's uses over the whole guide
/// (`number`), which only the whole pass knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tooltip {
    pub term: usize,
    pub root: Range<usize>,
    pub numbers: [Range<usize>; 2],
}

/// The tooltip numbers of every card, in card order: the nth use of a term
/// over the whole guide is `def-{slug}-{n}`. `terms[i]` holds the terms of
/// the tooltips of `cards[i]`, in order.
pub fn number(cards: &mut [Card], terms: &[Vec<usize>], glossary: &Glossary) {
    let mut counts = vec![0usize; glossary.terms.len()];
    for (card, terms) in cards.iter_mut().zip(terms) {
        card.body.tooltips = terms
            .iter()
            .map(|&t| {
                counts[t] += 1;
                counts[t]
            })
            .collect();
    }
}

impl Glossary {
    /// Wraps the first use of each term in one card's events and reports its
    /// unknown acronyms, unless `allow` (guide.toml) or the card's `allow`
    /// silences them, or the word is one of the `proper` names of guide.toml
    /// (`noms_propres`). Gives the new events and their tooltips, in order.
    pub fn apply<'e>(
        &self,
        card: &Card,
        events: Vec<Spanned<'e>>,
        f: &SourceFile,
        (allow, proper): (&[String], &[String]),
        diags: &mut Vec<Diagnostic>,
    ) -> (Vec<Spanned<'e>>, Vec<Tooltip>) {
        let mut own = vec![false; self.terms.len()];
        let owners = match card.is_term() {
            true => self.by_slug.get(card.slug.as_str()),
            false => self.by_fiche.get(card.slug.as_str()),
        };
        for &t in owners.into_iter().flatten() {
            own[t] = true;
        }
        let mut pass = Pass {
            glossary: self,
            scanner: Scanner::new(self),
            hits: Vec::new(),
            own,
            used: vec![false; self.terms.len()],
            tooltips: Vec::new(),
            places: Vec::new(),
            unknown: BTreeMap::new(),
            out: Vec::with_capacity(events.len() + 8),
        };
        for (ev, range) in events {
            pass.event(ev, range, &f.text);
        }
        let lint_all = !allow.iter().any(|a| a == UNKNOWN);
        if lint_all && !card.fm.allow.iter().any(|a| a == UNKNOWN) {
            for (word, (range, n)) in pass.unknown {
                // A card's own acronym and aliases are explained by the card itself.
                let own_name = card.fm.acronym.as_deref() == Some(word.as_str())
                    || card.fm.aliases.contains(&word);
                if own_name || proper.contains(&word) {
                    continue;
                }
                diags.push(unknown_acronym(f, &word, range, n));
            }
        }
        (pass.out, pass.tooltips)
    }
}

/// The number of a tooltip until `number` counts the uses in order.
const PENDING: usize = usize::MAX;

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
        f.lines(),
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

/// A written form of a term.
struct Form {
    chars: Vec<char>,
    /// Acronyms match case-sensitively.
    exact: bool,
}

/// Every term of the guide.
pub struct Glossary {
    pub terms: Vec<Term>,
    /// Every form, to scan texts.
    forms: Forms,
    /// Terms by the slug of their own card, and by the slugs of the cards
    /// that explain them (`fiche`, or a card with the term's slug): a card
    /// leaves its own terms alone.
    by_slug: FxHashMap<String, Vec<usize>>,
    by_fiche: FxHashMap<String, Vec<usize>>,
    /// The parts of each term's tooltips that do not depend on the text.
    markup: Vec<Markup>,
}

/// What a term's tooltips say, escaped once for all its uses.
struct Markup {
    /// The term and its full name, folded, to tell which one a text says.
    term: String,
    expansion: String,
    href: String,
    /// The bubble's text when the text says the term, and otherwise (then
    /// the bubble names the term).
    def: [String; 2],
    /// The full name printed after the term on paper.
    print: String,
}

impl Markup {
    fn of(term: &Term) -> Markup {
        let expansion = term.expansion.trim_end_matches('.');
        let def = |says_term: bool| {
            let mut def = expansion.to_string();
            if !says_term {
                def.push_str(&format!(" ({})", term.term));
            }
            if !term.summary.is_empty() {
                def.push_str(". ");
                def.push_str(&term.summary);
            }
            escape(&def)
        };
        Markup {
            term: crate::text::fold(&term.term),
            expansion: crate::text::fold(&term.expansion),
            href: escape(&crate::model::Kind::Terme.url(&term.slug)),
            def: [def(true), def(false)],
            print: format!("<span class=\"term-print\"> ({})</span>", escape(expansion)),
        }
    }
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
                        diags.push(claimed_twice(card, files, w, nth, &terms[other].slug));
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
        Glossary::of(terms)
    }

    /// The glossary of these terms, with its lookup tables.
    fn of(terms: Vec<Term>) -> Glossary {
        let mut by_slug: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_fiche: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (t, term) in terms.iter().enumerate() {
            by_slug.entry(term.slug.clone()).or_default().push(t);
            for s in &term.fiches {
                by_fiche.entry(s.clone()).or_default().push(t);
            }
        }
        Glossary {
            forms: Forms::new(&terms),
            markup: terms.iter().map(Markup::of).collect(),
            terms,
            by_slug,
            by_fiche,
        }
    }
}

/// `form` is the term (`nth` 0) or the alias `nth - 1` of `card`, trimmed.
fn claimed_twice(
    card: &Card,
    files: &[SourceFile],
    form: &str,
    nth: usize,
    other: &str,
) -> Diagnostic {
    let f = &files[card.file];
    let (field, raw) = match nth {
        0 => (Field::top("term"), card.fm.term.as_deref()),
        n => (
            Field::item("aliases", n - 1),
            card.fm.aliases.get(n - 1).map(String::as_str),
        ),
    };
    let lead = raw.map_or(0, |r| r.len() - r.trim_start().len());
    let at = card.fm.spans.value_or_key(field).start + lead;
    Diagnostic::at(
        Severity::Warning,
        "terme-en-double",
        &f.rel,
        f.lines(),
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

    /// How many chars its first word has (as compared): a text's word must
    /// be that word, or that word and a plural "s", for the form to be tried.
    fn first_word(&self) -> usize {
        self.chars
            .iter()
            .take_while(|c| c.is_alphanumeric())
            .count()
    }

    /// Where a use of this form ends, given the text right after its last
    /// char: a plural "s" is part of it, and a word must end there.
    fn end(&self, after: &str) -> Option<usize> {
        let mut rest = after.chars();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let plural = |c: char| c == 's' || (!self.exact && c == 'S');
        let ends_in_letter = self.chars.last().is_some_and(|c| c.is_alphabetic());
        match rest.next() {
            Some(c) if ends_in_letter && plural(c) && boundary(rest.next()) => Some(1),
            c if boundary(c) => Some(0),
            _ => None,
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
        // French accents are in Latin-1: looked up once for all.
        c if u32::from(c) < 0x100 => latin1()[usize::from(c as u8 - 0x80)],
        c => base_lower(c),
    }
}

/// A char lower case and without accent.
fn base_lower(c: char) -> char {
    let base = c.nfd().next().unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// `base_lower` of U+0080 to U+00FF.
fn latin1() -> &'static [char; 128] {
    static TABLE: std::sync::OnceLock<[char; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| base_lower(char::from(0x80 + i as u8))))
}

/// What the scanner found in a text.
#[derive(Debug, PartialEq)]
enum Found {
    /// A form of this term.
    Term(usize),
    /// A word that looks like an acronym and is in no form.
    Unknown,
}

/// The forms of every term as a tree of chars (as `same` compares them),
/// one tree for acronyms and one for the other forms: a text is compared
/// with the forms that start like it, one char at a time (issue 8: trying
/// every form that shares a first word, "Dispositif …", made big guides
/// quadratic).
struct Forms {
    exact: Tree,
    folded: Tree,
}

/// A tree of chars: node 0 is the root.
#[derive(Default)]
struct Tree {
    next: FxHashMap<(u32, char), u32>,
    /// The (term, form) pairs whose chars end at a node.
    ends: FxHashMap<u32, Vec<(usize, usize)>>,
    nodes: u32,
}

impl Tree {
    fn insert(&mut self, chars: &[char], form: (usize, usize)) {
        let mut node = 0;
        for &c in chars {
            node = match self.next.get(&(node, c)) {
                Some(&n) => n,
                None => {
                    self.nodes += 1;
                    self.next.insert((node, c), self.nodes);
                    self.nodes
                }
            };
        }
        self.ends.entry(node).or_default().push(form);
    }
}

impl Forms {
    fn new(terms: &[Term]) -> Forms {
        let mut forms = Forms {
            exact: Tree::default(),
            folded: Tree::default(),
        };
        for (t, term) in terms.iter().enumerate() {
            for (k, form) in term.forms.iter().enumerate() {
                let tree = if form.exact {
                    &mut forms.exact
                } else {
                    &mut forms.folded
                };
                tree.insert(&form.chars, (t, k));
            }
        }
        forms
    }

    /// The longest use of a form at the start of `text`, where a word of
    /// `word` chars starts: its length in bytes and its term (the first term
    /// on a tie).
    fn longest(&self, terms: &[Term], text: &str, word: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        let last = text.chars().nth(word.saturating_sub(1));
        for (tree, exact) in [(&self.exact, true), (&self.folded, false)] {
            // A word "…s" also tries the forms whose first word has no "s".
            let plural = last.is_some_and(|c| matches!(same(c, exact), 's' | 'S'));
            let mut node = 0;
            for (i, c) in text.char_indices() {
                let Some(&n) = tree.next.get(&(node, same(c, exact))) else {
                    break;
                };
                node = n;
                let at = i + c.len_utf8();
                for &(t, k) in tree.ends.get(&node).into_iter().flatten() {
                    let form = &terms[t].forms[k];
                    let first = form.first_word();
                    if first != word && !(plural && first + 1 == word) {
                        continue;
                    }
                    let Some(extra) = form.end(&text[at..]) else {
                        continue;
                    };
                    let found = (at + extra, t);
                    if best.is_none_or(|(n, bt)| found.0 > n || (found.0 == n && t < bt)) {
                        best = Some(found);
                    }
                }
            }
        }
        best
    }
}

/// Finds terms and unknown acronyms in texts.
struct Scanner<'g> {
    g: &'g Glossary,
}

impl<'g> Scanner<'g> {
    fn new(g: &'g Glossary) -> Self {
        Scanner { g }
    }

    /// Puts in `hits` the terms and unknown acronyms of a text, by byte range, in order.
    fn scan(&mut self, text: &str, hits: &mut Vec<(Range<usize>, Found)>) {
        hits.clear();
        let (mut at, mut token_end) = (0, 0);
        while let Some((start, word)) = next_word(text, at) {
            let end = start + word.len();
            // An e-mail or web address written in the text is not prose: no
            // tooltip inside "contact@agefiph.asso.fr". Each space-separated
            // token is looked at once.
            if start >= token_end {
                let token_start = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
                    i + text[i..].chars().next().map_or(1, char::len_utf8)
                });
                token_end = text[start..]
                    .find(char::is_whitespace)
                    .map_or(text.len(), |i| start + i);
                let token = &text[token_start..token_end];
                if token.contains('@') || token.contains("://") || token.starts_with("www.") {
                    at = token_end;
                    continue;
                }
            }
            let chars = word.chars().count();
            if let Some((n, t)) = self.g.forms.longest(&self.g.terms, &text[start..], chars) {
                hits.push((start..start + n, Found::Term(t)));
                at = start + n;
                continue;
            }
            // Only ASCII small letters and digits: no capital, no acronym.
            let simple = word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !simple && looks_like_acronym(word) {
                hits.push((start..end, Found::Unknown));
            }
            at = end;
        }
    }
}

/// Terms and unknown acronyms of a text, by byte range, in order.
#[cfg(test)]
fn scan(text: &str, g: &Glossary) -> Vec<(Range<usize>, Found)> {
    let mut hits = Vec::new();
    Scanner::new(g).scan(text, &mut hits);
    hits
}

/// Two or more capitals, at least as many as small letters, and not a roman
/// numeral ("XXIe siècle", "titre II").
fn looks_like_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    if upper < 2 {
        return false;
    }
    let lower = word.chars().filter(|c| c.is_lowercase()).count();
    let numeral = ["ème", "eme", "er", "e", ""]
        .iter()
        .filter_map(|s| word.strip_suffix(s))
        .any(|w| !w.is_empty() && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
    upper >= lower && !numeral
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
struct Pass<'a, 'e> {
    glossary: &'a Glossary,
    scanner: Scanner<'a>,
    hits: Vec<(Range<usize>, Found)>,
    /// Terms this card explains itself.
    own: Vec<bool>,
    /// Terms already wrapped in this card.
    used: Vec<bool>,
    /// The tooltips made, in order.
    tooltips: Vec<Tooltip>,
    /// Open places around the current event (empty: prose).
    places: Vec<Place>,
    /// Unknown acronyms: first position in the file, number of uses.
    unknown: BTreeMap<String, (Range<usize>, usize)>,
    out: Vec<Spanned<'e>>,
}

impl<'e> Pass<'_, 'e> {
    fn event(&mut self, ev: Event<'e>, range: Range<usize>, file: &str) {
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
            _ => {}
        }
        match ev {
            Event::Text(t) => self.text(t, range, file),
            ev => self.out.push((ev, range)),
        }
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

    fn text(&mut self, text: CowStr<'e>, range: Range<usize>, file: &str) {
        let place = self.places.last().copied();
        if matches!(place, Some(Place::Link | Place::Code)) {
            self.out.push((Event::Text(text), range));
            return;
        }
        // Positions inside the text map to the file only when the source is
        // the text itself (no entity, no escape).
        let exact = file.get(range.clone()) == Some(&*text);
        let at = |r: &Range<usize>| {
            if exact {
                range.start + r.start..range.start + r.end
            } else {
                range.clone()
            }
        };
        let mut hits = std::mem::take(&mut self.hits);
        self.scanner.scan(&text, &mut hits);
        let mut done = 0;
        for (r, found) in hits.drain(..) {
            let t = match found {
                Found::Unknown => {
                    let word = &text[r.clone()];
                    match self.unknown.get_mut(word) {
                        Some((_, n)) => *n += 1,
                        None => {
                            self.unknown.insert(word.to_string(), (at(&r), 1));
                        }
                    }
                    continue;
                }
                Found::Term(t) => t,
            };
            if place.is_some() || self.own[t] || self.used[t] {
                continue;
            }
            self.used[t] = true;
            if done < r.start {
                let before = part(&text, done..r.start);
                self.out.push((Event::Text(before), at(&(done..r.start))));
            }
            let (html, tip) = tooltip(self.glossary, t, &text[r.clone()], PENDING);
            self.tooltips.push(tip);
            self.out
                .push((Event::InlineHtml(CowStr::from(html)), at(&r)));
            done = r.end;
        }
        self.hits = hits;
        if done == 0 {
            self.out.push((Event::Text(text), range));
        } else if done < text.len() {
            let rest = part(&text, done..text.len());
            self.out.push((Event::Text(rest), at(&(done..text.len()))));
        }
    }
}

/// A part of a text, borrowed from the file when the text is.
fn part<'e>(text: &CowStr<'e>, r: Range<usize>) -> CowStr<'e> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[r]),
        _ => CowStr::from(text[r].to_string()),
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

/// The markup of one tooltip of term `t` numbered `n` (docs/accessibilite.md
/// §3), its link still site-relative (`@/`), and where its root and number
/// are in it.
fn tooltip(g: &Glossary, t: usize, written: &str, n: usize) -> (String, Tooltip) {
    let (term, m) = (&g.terms[t], &g.markup[t]);
    let singular = written.strip_suffix(['s', 'S']).unwrap_or(written);
    let (written_f, singular_f) = (crate::text::fold(written), crate::text::fold(singular));
    let says = |f: &str| written_f == f || singular_f == f;
    let (is_term, is_expansion) = (says(&m.term), says(&m.expansion));
    let mut html = String::with_capacity(256 + m.def[0].len());
    html.push_str(TOOLTIP_START);
    let root = html.len()..html.len() + crate::model::SITE.len();
    html.push_str(crate::model::SITE);
    html.push_str(&m.href);
    let number = |html: &mut String, before: &str| {
        html.push_str(before);
        html.push_str(&term.slug);
        html.push('-');
        let start = html.len();
        html.push_str(&n.to_string());
        start..html.len()
    };
    let first = number(&mut html, "\" aria-describedby=\"def-");
    html.push_str("\">");
    html.push_str(&escape(written));
    html.push_str("</a>");
    // On paper the bubble is gone: the first use reads "RQTH (reconnaissance …)".
    // A name of several words that is no acronym ("Transitions Pro", "centre de
    // pré-orientation") is already a full name: its expansion would say it twice.
    let full_name = written.contains(char::is_whitespace) && !looks_like_acronym(written);
    if !is_expansion && !full_name && !term.expansion.is_empty() {
        html.push_str(&m.print);
    }
    let second = number(&mut html, "<span class=\"term-def\" id=\"def-");
    html.push_str("\" role=\"tooltip\">");
    html.push_str(&m.def[usize::from(!is_term)]);
    html.push_str("</span></span>");
    let tip = Tooltip {
        term: t,
        root,
        numbers: [first, second],
    };
    (html, tip)
}

/// Whether an inline HTML event is a tooltip made by this stage (render keeps
/// it even when authors' raw HTML is escaped).
pub fn is_tooltip(html: &str) -> bool {
    html.starts_with(TOOLTIP_START)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(forms: &[&[&str]]) -> Glossary {
        Glossary::of(
            forms
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
        )
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
        let print = |written: &str| tooltip(&g, 0, written, 1).0.contains("term-print");
        assert!(print("ESPO") && print("CPO") && print("VAE TH"));
        assert!(!print("centre de pré-orientation"));
        assert!(!print("établissements et services de pré-orientation"));
    }

    #[test]
    fn only_this_stage_makes_tooltip_events() {
        let g = glossary(&[&["RQTH"]]);
        let (html, tip) = tooltip(&g, 0, "RQTH", 7);
        assert!(is_tooltip(&html));
        assert_eq!(&html[tip.root.clone()], crate::model::SITE);
        assert!(html[tip.root.start..].starts_with("@/glossaire.html#t0\""));
        for n in tip.numbers {
            assert_eq!(&html[n.clone()], "7");
            assert!(html[..n.start].ends_with("\"def-t0-"), "{html}");
        }
        for author in [
            "<span class=\"term\">",
            "<a class=\"term-link\" href=\"x\">",
        ] {
            assert!(!is_tooltip(author), "{author}");
        }
    }
}
