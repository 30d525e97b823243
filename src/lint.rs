//! Content lints for editors: warnings that never stop a build.
//!
//! Takes: one card at a time, its front matter and its body's events (before
//! the glossary and links stages change them), with what the whole guide
//! says about words, the configuration and today's date. Gives: warnings, each with a
//! stable French code (`LINTS`) that `allow = ["code"]` silences in
//! `guide.toml` or in one card's front matter (`silence`).
//! Reports: link texts that say nothing on their own, long sentences and
//! paragraphs (FALC), capitals for emphasis, italics, underlining, skipped
//! heading levels, images without alternative text, long summaries, stale
//! cards, `http:` addresses, unknown codes in `allow`, the hard words listed
//! in guide.toml (`mots_difficiles`).
//!
//! Parts: `front.rs` lints the front matter and `body.rs` the Markdown
//! body; both hand their texts to the text lints here (`flush`: sentences,
//! paragraphs, capitals, hard words), helped by `text.rs` and `plain.rs`.

use std::ops::Range;

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Card, SourceFile, Spanned};
use crate::spans::Field;

mod body;
mod front;
mod placeholder;
mod plain;
mod text;
use crate::text::{sentences, tokens, word_count};
use body::body;
use front::front_matter;
use text::{Words, bounds, is_caps, may_shout};

/// FALC: a sentence has at most this many words.
pub const MAX_SENTENCE_WORDS: usize = 25;
/// A paragraph has at most this many sentences.
pub const MAX_PARAGRAPH_SENTENCES: usize = 5;
/// A summary has at most this many words.
pub const MAX_SUMMARY_WORDS: usize = 20;
/// Characters of a printed line at 14 pt on A4 (15 mm margins).
const PRINT_LINE_CHARS: usize = 72;
/// Above this many estimated lines (`Cx::lines`: each block's characters over
/// `PRINT_LINE_CHARS`, rounded up, plus a line per heading and per address
/// printed at the end), a fiche takes more than 3 A4 pages. Measured on the
/// guide on 23 November 2026 (Chromium, 14 pt): up to 82 lines gave 2 pages,
/// 76 to 131 gave 3, about 40 lines a page; the browser suite counts the real
/// pages in CI (tests/browser/checks/print.mjs).
pub const PRINT_MAX_LINES: usize = 135;
/// What the lints of one card need from the whole guide, gathered once.
pub struct Lints<'a> {
    cfg: &'a Config,
    /// A day number (see `dates::today`).
    today: i64,
    words: Words<'a>,
    hard: plain::Hard<'a>,
}

impl<'a> Lints<'a> {
    /// Reads what the guide tells about words (glossary terms, words written
    /// in lower case). `today` is a day number (see `dates::today`).
    pub fn new(cards: &'a [Card], cfg: &'a Config, today: i64) -> Self {
        Lints {
            cfg,
            today,
            words: Words::new(cards),
            hard: plain::Hard::new(&cfg.mots_difficiles),
        }
    }

    /// Lints one card: its front matter, and its body's events before the
    /// glossary and links stages change them.
    pub fn check(
        &self,
        card: &Card,
        events: &[Spanned],
        f: &SourceFile,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut cx = Cx {
            f,
            words: &self.words,
            hard: &self.hard,
            out: diags,
            lines: 0,
        };
        front_matter(card, self.cfg, self.today, &mut cx);
        body(events, &mut cx);
        for at in placeholder::find(&f.text) {
            let sentence = f.text[at.clone()].to_string();
            cx.warn(
                "texte-modele",
                at,
                format!("phrase modèle de `fiches new` restée dans la fiche : « {sentence} »"),
                "remplacez cette phrase par le vrai texte de la fiche, ou supprimez la ligne",
            );
        }
        cx.lines += card.fm.links.len();
        print_length(card, &mut cx);
    }
}

/// Warns when a card with a page of its own will likely print on more than
/// 3 A4 pages (issue 5, docs/accessibilite.md rule 45), so that an editor knows it
/// from `fiches check`, before the browser suite counts the pages.
fn print_length(card: &Card, cx: &mut Cx) {
    if !card.has_page() || cx.lines <= PRINT_MAX_LINES {
        return;
    }
    cx.warn(
        "impression-longue",
        card.fm.spans.value_or_key(Field::top("title")),
        format!(
            "fiche très longue : imprimée, elle prendra sans doute plus de 3 pages A4 (environ {} lignes, 3 pages en font environ {PRINT_MAX_LINES}) ; une fiche doit tenir sur 2 pages, 3 au plus",
            cx.lines
        ),
        "dites chaque chose une seule fois, ou coupez la fiche en deux fiches liées (une partie devient une fiche à part, citée par un lien)",
    );
}

/// Drops the warnings silenced by `allow` in guide.toml or in the card they
/// are about (errors are never silenced), and an unknown-acronym warning on a
/// word already reported as capitals for emphasis ("FRANCE TRAVAIL" is not
/// an acronym to add to the glossary).
pub fn silence(diags: &mut Vec<Diagnostic>, cards: &[Card], files: &[SourceFile], cfg: &Config) {
    let by_file: std::collections::BTreeMap<&str, &[String]> = cards
        .iter()
        .map(|c| (files[c.file].rel.as_str(), c.fm.allow.as_slice()))
        .collect();
    let shouted: Vec<(String, usize, Range<usize>)> = diags
        .iter()
        .filter(|d| d.code == "majuscules")
        .map(|d| (d.file.clone(), d.line, d.column..d.column + d.width))
        .collect();
    diags.retain(|d| {
        let allowed = |list: &[String]| list.iter().any(|c| c == d.code);
        let also_shouted = d.code == "sigle-inconnu"
            && shouted
                .iter()
                .any(|(f, l, cols)| *f == d.file && *l == d.line && cols.contains(&d.column));
        d.is_error()
            || !(also_shouted
                || allowed(&cfg.allow)
                || by_file.get(d.file.as_str()).is_some_and(|l| allowed(l)))
    });
}

/// The lint pass over one card.
struct Cx<'a> {
    f: &'a SourceFile,
    words: &'a Words<'a>,
    hard: &'a plain::Hard<'a>,
    out: &'a mut Vec<Diagnostic>,
    /// Estimated lines of the card on paper (see `PRINT_LINES`).
    lines: usize,
}

impl Cx<'_> {
    fn warn(&mut self, code: &'static str, at: Range<usize>, msg: String, help: &str) {
        let d = Diagnostic::at(
            Severity::Warning,
            code,
            &self.f.rel,
            self.f.lines(),
            at,
            msg,
        );
        self.out.push(d.help(help));
    }
}

/// Which lints a piece of text gets.
#[derive(Clone, Copy, PartialEq, Default)]
enum Kind {
    /// A paragraph, a list item, a table cell, a `[points]` text: every text lint.
    #[default]
    Prose,
    /// A heading or a title: capitals only.
    Title,
    /// Code: nothing.
    Code,
}

/// Running text gathered from Markdown events or a front-matter string,
/// with the way back from its bytes to the file's bytes.
#[derive(Default)]
struct Block {
    text: String,
    kind: Kind,
    /// `(offset in text, offset in the file, same bytes in both)`.
    segs: Vec<(usize, usize, bool)>,
    /// Inline code inside `text`: no capitals check there.
    code: Vec<Range<usize>>,
}

impl Block {
    fn push(&mut self, s: &str, file_at: usize, exact: bool) {
        self.segs.push((self.text.len(), file_at, exact));
        self.text.push_str(s);
    }

    /// Text that differs from its source (escapes, entities): one segment
    /// per character, at its first match in the source.
    fn push_aligned(&mut self, s: &str, src: &str, file_at: usize) {
        let mut pos = 0;
        for c in s.chars() {
            let found = src[pos..]
                .char_indices()
                .take(12)
                .find(|&(_, x)| x == c)
                .map(|(i, _)| pos + i);
            self.push(
                c.encode_utf8(&mut [0; 4]),
                file_at + found.unwrap_or(pos),
                found.is_some(),
            );
            if let Some(i) = found {
                pos = i + c.len_utf8();
            }
        }
    }

    fn file_at(&self, pos: usize) -> usize {
        let i = self.segs.partition_point(|s| s.0 <= pos).saturating_sub(1);
        match self.segs.get(i) {
            Some(&(at, file, true)) => file + (pos - at),
            Some(&(_, file, false)) => file,
            None => 0,
        }
    }

    fn file_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.file_at(r.start);
        let last = self.text[r.clone()]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8);
        let end = self.file_at(r.end - last) + last;
        start..end.max(start)
    }
}

/// Lints the text of a block, then empties it (keeping its kind).
fn flush(block: &mut Block, cx: &mut Cx) {
    let chars = block.text.trim().chars().count();
    if chars > 0 {
        cx.lines += chars.div_ceil(PRINT_LINE_CHARS) + usize::from(block.kind == Kind::Title);
    }
    if block.kind != Kind::Code && chars > 0 {
        capitals(block, cx);
        hard_words(block, cx);
        if block.kind == Kind::Prose {
            prose(block, cx);
        }
    }
    block.text.clear();
    block.segs.clear();
    block.code.clear();
}

fn prose(block: &Block, cx: &mut Cx) {
    let (spaces, stops) = bounds(&block.text);
    if spaces < MAX_SENTENCE_WORDS && stops < MAX_PARAGRAPH_SENTENCES {
        return;
    }
    let sentences = sentences(&block.text);
    for r in &sentences {
        let text = &block.text[r.clone()];
        if bounds(text).0 < MAX_SENTENCE_WORDS {
            continue;
        }
        let n = word_count(text);
        if n > MAX_SENTENCE_WORDS {
            cx.warn(
                "phrase-longue",
                block.file_range(r.clone()),
                format!("phrase de {n} mots : au-delà de {MAX_SENTENCE_WORDS} mots, une phrase est difficile à lire"),
                "coupez-la en phrases plus courtes, une idée par phrase (règle FALC) ; pour une énumération, faites une liste",
            );
        }
    }
    if sentences.len() > MAX_PARAGRAPH_SENTENCES {
        let first = sentences[0].clone();
        cx.warn(
            "paragraphe-long",
            block.file_range(first),
            format!(
                "paragraphe de {} phrases : au-delà de {MAX_PARAGRAPH_SENTENCES}, il est difficile à suivre",
                sentences.len()
            ),
            "coupez-le en plusieurs paragraphes (une ligne vide entre deux), ou faites une liste",
        );
    }
}

fn hard_words(block: &Block, cx: &mut Cx) {
    if cx.hard.is_empty() {
        return;
    }
    for u in cx.hard.find(&block.text) {
        if block.code.iter().any(|c| c.contains(&u.at.start)) {
            continue;
        }
        let shown = &block.text[u.at.clone()];
        cx.warn(
            "mot-difficile",
            block.file_range(u.at),
            format!("« {shown} » est un mot difficile (liste mots_difficiles de guide.toml) : écrivez plutôt « {} »", u.plain),
            &format!("remplacez-le par des mots simples (par exemple « {} »), ou expliquez-le dans la phrase ; si ce mot n'est pas difficile ici : allow = [\"mot-difficile\"]", u.plain),
        );
    }
}

fn capitals(block: &Block, cx: &mut Cx) {
    if !may_shout(&block.text) {
        return;
    }
    let words: Vec<(usize, &str)> = tokens(&block.text)
        .filter(|(i, _)| !block.code.iter().any(|c| c.contains(i)))
        .collect();
    let mut done = 0;
    for (n, &(at, w)) in words.iter().enumerate() {
        if at < done || !cx.words.is_shouted(w) {
            continue;
        }
        // Widen to the neighbouring words in capitals: "BON À SAVOIR".
        let joined = |a: &(usize, &str), b: &(usize, &str)| {
            let gap = &block.text[a.0 + a.1.len()..b.0];
            gap.len() <= 3 && gap.chars().all(|c| matches!(c, ' ' | '-' | '\'' | '’'))
        };
        let loud = |x: &(usize, &str)| is_caps(x.1) && !cx.words.known.contains(x.1);
        let (mut first, mut last) = (n, n);
        while first > 0 && loud(&words[first - 1]) && joined(&words[first - 1], &words[first]) {
            first -= 1;
        }
        while last + 1 < words.len()
            && loud(&words[last + 1])
            && joined(&words[last], &words[last + 1])
        {
            last += 1;
        }
        let (start, end) = (words[first].0, words[last].0 + words[last].1.len());
        done = end;
        let shown = &block.text[start..end];
        cx.warn(
            "majuscules",
            block.file_range(start..end),
            format!("« {shown} » est écrit en majuscules : un texte en capitales est difficile à lire"),
            "écrivez-le en minuscules, avec une majuscule au début des noms propres (« France Travail ») ; pour insister, mettez le mot en gras (**mot**). Si c'est un sigle, ajoutez-le au glossaire (content/glossaire/)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "+++\ntitle = \"Essai\"\nkind = \"page\"\nsummary = \"Un essai.\"\nupdated = 2026-11-01\n+++\n";

    /// The codes of the warnings on one card with this body.
    fn lint_body(body: &str) -> Vec<(&'static str, usize, usize)> {
        let text = format!("{HEAD}{body}");
        let files = vec![SourceFile::new(
            "content/pages/essai.md".into(),
            "essai.md".into(),
            text,
        )];
        let mut diags = Vec::new();
        let cards = crate::parse::parse(&files, &mut diags);
        let cfg: Config = toml::from_str("title = \"Guide\"").expect("config");
        let lints = Lints::new(&cards, &cfg, crate::dates::days_from_civil(2026, 11, 22));
        for card in &cards {
            let f = &files[card.file];
            lints.check(card, &crate::parse::events(f, card), f, &mut diags);
        }
        let mut found: Vec<_> = diags.iter().map(|d| (d.code, d.line, d.column)).collect();
        found.sort_by_key(|&(code, line, col)| (line, col, code));
        found
    }

    #[test]
    fn a_card_too_long_for_three_printed_pages_is_reported_on_its_title() {
        // Each paragraph is one printed line.
        let para = "Une phrase courte et simple, écrite pour une ligne du papier imprimé.\n\n";
        assert!(para.trim().chars().count() <= PRINT_LINE_CHARS);
        let fits = para.repeat(PRINT_MAX_LINES - 10);
        assert!(!lint_body(&fits).iter().any(|w| w.0 == "impression-longue"));
        let long = para.repeat(PRINT_MAX_LINES + 1);
        let warned: Vec<_> = lint_body(&long)
            .into_iter()
            .filter(|w| w.0 == "impression-longue")
            .collect();
        // Line 2, `title = "Essai"`: the value starts at column 10.
        assert_eq!(warned, vec![("impression-longue", 2, 10)]);
    }

    #[test]
    fn odd_markdown_gives_warnings_at_the_right_place_and_never_panics() {
        for (body, want) in [
            ("[](https://a.fr)\n", vec![("lien-vague", 7, 1)]),
            (
                "[![](https://a.fr/i.png)](https://a.fr)\n",
                vec![("lien-vague", 7, 1), ("image-sans-alt", 7, 2)],
            ),
            (
                "Un **TRÈS** bon *essai* `CODE TRÈS`.\n",
                vec![("majuscules", 7, 6), ("italique", 7, 17)],
            ),
            (
                "Éé \\*x\\* « TRÈS » à l'<ins>essai</ins>.\n",
                vec![("majuscules", 7, 12), ("souligne", 7, 23)],
            ),
            ("- a\n  - b\n\n##### Titre\n", vec![("titre-saute", 10, 1)]),
            ("Titre\n=====\n", vec![("titre-principal", 7, 1)]),
            ("", vec![]),
        ] {
            assert_eq!(lint_body(body), want, "{body:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn lints_never_panic_on_any_body(body in "[a-zA-Zé É*_#\\[\\]()<>!.:/\n`-]{0,120}") {
            let _ = lint_body(&body);
        }
    }
}
