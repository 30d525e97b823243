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
//!
//! Parts: `scan.rs` finds the forms and the unknown acronyms in a text,
//! `pass.rs` walks one card's events and knows where prose is; the terms,
//! the warnings and the tooltip markup are here.

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::{Diagnostic, Severity};
use crate::model::{Card, SourceFile, Spanned, escape_html as escape};
use crate::spans::Field;

mod pass;
mod scan;
use pass::Pass;
use scan::{Form, Forms, looks_like_acronym};

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
        let mut pass = Pass::new(self, own, events.len());
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

    /// A glossary of terms `t0`, `t1`… with these forms (the first is the term).
    pub(super) fn glossary(forms: &[&[&str]]) -> Glossary {
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
