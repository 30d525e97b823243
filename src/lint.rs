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

use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

use crate::config::Config;
use crate::diag::{Diagnostic, Severity, check_allow};
use crate::model::{Card, SourceFile, Spanned};
use crate::spans::Field;

mod plain;
mod text;
use crate::text::{sentences, tokens, word_count};
use text::{Words, bounds, is_caps, may_shout, vague};

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

const VAGUE_HELP: &str = "écrivez ce que le lecteur va trouver, par exemple [la fiche de la POE](poe.md) ou [le site de l'Agefiph](https://www.agefiph.fr/) : les lecteurs d'écran lisent souvent les liens seuls, sans la phrase autour";
const HTTP_HELP: &str = "écrivez https:// au début de l'adresse, puis ouvrez-la dans un navigateur pour vérifier que la page s'affiche";

fn front_matter(card: &Card, cfg: &Config, today: i64, cx: &mut Cx) {
    texts(card, cx);
    links(card, cx);
    stale(card, cfg, today, cx);
    let (f, spans) = (cx.f, &card.fm.spans);
    let codes = card.fm.allow.iter().enumerate();
    let codes = codes.map(|(i, c)| (c.as_str(), spans.value_or_key(Field::item("allow", i))));
    check_allow(&f.rel, f.lines(), codes, cx.out);
}

/// A front-matter string as a block of text, mapped to its place in the file.
fn field(card: &Card, f: &SourceFile, at: Field, value: &str, kind: Kind) -> Block {
    let start = card.fm.spans.value_or_key(at).start;
    let exact = f.text.get(start..start + value.len()) == Some(value);
    let mut b = Block {
        kind,
        ..Block::default()
    };
    b.push(value, start, exact);
    b
}

/// The title, the summary and the `[points]` texts.
fn texts(card: &Card, cx: &mut Cx) {
    let (f, fm) = (cx.f, &card.fm);
    flush(
        &mut field(card, f, Field::top("title"), &fm.title, Kind::Title),
        cx,
    );
    let mut summary = field(card, f, Field::top("summary"), &fm.summary, Kind::Title);
    let n = word_count(&fm.summary);
    if n > MAX_SUMMARY_WORDS {
        cx.warn(
            "resume-long",
            summary.file_range(0..fm.summary.trim_end().len()),
            format!("le résumé a {n} mots : il en faut {MAX_SUMMARY_WORDS} au plus"),
            "le résumé est une seule phrase courte qui dit à quoi sert la fiche : gardez l'idée principale, les détails vont dans le texte",
        );
    }
    flush(&mut summary, cx);
    let mut prose: Vec<(Field, &String)> = Vec::new();
    if let Some(p) = &fm.points {
        let fields = [
            ("nature", &p.nature),
            ("publics", &p.publics),
            ("operateurs", &p.operateurs),
            ("prescripteurs", &p.prescripteurs),
            ("financement", &p.financement),
        ];
        prose.extend(
            fields
                .into_iter()
                .filter_map(|(k, v)| Some((Field::sub("points", k), v.as_ref()?))),
        );
    }
    if let Some(note) = fm
        .pendant_arret_travail
        .as_ref()
        .and_then(|p| p.note.as_ref())
    {
        prose.push((Field::sub("pendant_arret_travail", "note"), note));
    }
    for (at, v) in prose {
        flush(&mut field(card, f, at, v, Kind::Prose), cx);
    }
}

/// The titles and addresses of `[[links]]`.
fn links(card: &Card, cx: &mut Cx) {
    let f = cx.f;
    for (nth, l) in card.fm.links.iter().enumerate() {
        let at = Field::item_sub("links", nth, "title");
        let mut title = field(card, f, at, &l.title, Kind::Title);
        if let Some(why) = vague(&l.title) {
            let r = title.file_range(0..l.title.len());
            cx.warn("lien-vague", r, why, VAGUE_HELP);
        }
        flush(&mut title, cx);
        if l.url
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
        {
            let at = card
                .fm
                .spans
                .value_or_key(Field::item_sub("links", nth, "url"));
            cx.warn(
                "lien-http",
                at,
                format!(
                    "adresse non sécurisée « {} » : elle commence par http://",
                    l.url
                ),
                HTTP_HELP,
            );
        }
    }
}

/// A card whose `updated` date is older than `stale_after_days`.
fn stale(card: &Card, cfg: &Config, today: i64, cx: &mut Cx) {
    let Some(day) = crate::dates::day_of(&card.fm.updated) else {
        return;
    };
    let age = today - day;
    if age > cfg.stale_after_days {
        cx.warn(
            "fiche-ancienne",
            card.fm.spans.value_or_key(Field::top("updated")),
            format!(
                "fiche mise à jour le {}, il y a {age} jours : au-delà de {} jours, ses informations ont peut-être changé",
                crate::dates::date_fr(&card.fm.updated),
                cfg.stale_after_days
            ),
            "vérifiez chaque information auprès des sources (sites officiels, acteurs), corrigez ce qui a changé, puis écrivez la date du jour dans `updated`",
        );
    }
}

/// What is open around the current text in the body.
enum Open {
    Link {
        at: Range<usize>,
        dest: String,
        text: String,
    },
    Image {
        at: Range<usize>,
        alt: String,
    },
}

fn body(events: &[Spanned], cx: &mut Cx) {
    let mut block = Block::default();
    let mut open: Vec<Open> = Vec::new();
    let mut level = 1;
    for (ev, range) in events {
        match ev {
            Event::Start(Tag::Heading { level: h, .. }) => {
                flush(&mut block, cx);
                block.kind = Kind::Title;
                heading(*h as u8, &mut level, range.clone(), cx);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut block, cx);
                block.kind = Kind::Code;
            }
            Event::Start(
                Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::BlockQuote(_) | Tag::List(_),
            )
            | Event::End(
                TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_),
            ) => {
                flush(&mut block, cx);
                block.kind = Kind::Prose;
            }
            Event::Text(t) | Event::Code(t) => {
                for o in open.iter_mut() {
                    match o {
                        Open::Link { text, .. } => text.push_str(t),
                        Open::Image { alt, .. } => alt.push_str(t),
                    }
                }
                if !open.iter().any(|o| matches!(o, Open::Image { .. })) {
                    let start = block.text.len();
                    let src = cx.f.text.get(range.clone()).unwrap_or("");
                    if src == t.as_ref() {
                        block.push(t, range.start, true);
                    } else {
                        block.push_aligned(t, src, range.start);
                    }
                    if matches!(ev, Event::Code(_)) {
                        block.code.push(start..block.text.len());
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => block.push(" ", range.start, false),
            Event::Start(Tag::Emphasis) => cx.warn(
                "italique",
                range.clone(),
                "texte en italique : l'italique est difficile à lire pour beaucoup de lecteurs".into(),
                "enlevez les * ou _ autour du texte ; pour insister sur un mot, mettez-le en gras (**mot**)",
            ),
            Event::Start(Tag::Link { dest_url, .. }) => {
                // A link out of the guide prints its address at the end.
                if dest_url.starts_with("http") {
                    cx.lines += 1;
                }
                open.push(Open::Link {
                    at: range.clone(),
                    dest: dest_url.to_string(),
                    text: String::new(),
                });
            }
            Event::Start(Tag::Image { .. }) => open.push(Open::Image {
                at: range.clone(),
                alt: String::new(),
            }),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(o) = open.pop() {
                    closed(o, cx);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => underline(h, range, cx),
            _ => {}
        }
    }
    flush(&mut block, cx);
}

fn heading(h: u8, level: &mut u8, at: Range<usize>, cx: &mut Cx) {
    let marks = |n: u8| "#".repeat(usize::from(n));
    if h == 1 {
        cx.warn(
            "titre-principal",
            at,
            "titre de niveau 1 (#) dans le texte : le titre de la fiche est déjà le titre de niveau 1".into(),
            "écrivez ## au début de la ligne, au lieu de #",
        );
    } else if h > *level + 1 {
        let (msg, help) = if *level == 1 {
            (
                format!(
                    "le texte commence par un titre de niveau {h} ({}) : il manque un titre de niveau 2 (##) avant",
                    marks(h)
                ),
                format!(
                    "écrivez ## au lieu de {} : les lecteurs d'écran s'appuient sur les niveaux de titres pour parcourir la page",
                    marks(h)
                ),
            )
        } else {
            (
                format!(
                    "titre de niveau {h} ({}) juste après un titre de niveau {level} ({}) : un niveau est sauté",
                    marks(h),
                    marks(*level)
                ),
                format!(
                    "écrivez {} au lieu de {} : les lecteurs d'écran s'appuient sur les niveaux de titres pour parcourir la page",
                    marks(*level + 1),
                    marks(h)
                ),
            )
        };
        cx.warn("titre-saute", at, msg, &help);
    }
    *level = h;
}

fn closed(o: Open, cx: &mut Cx) {
    match o {
        Open::Link { at, dest, text } => {
            if let Some(why) = vague(&text) {
                // Underline "[ici]", not the address after it.
                let src = cx.f.text.get(at.clone()).unwrap_or("");
                let r = match src.find("](") {
                    Some(o) => at.start..at.start + o + 1,
                    None => at.clone(),
                };
                cx.warn("lien-vague", r, why, VAGUE_HELP);
            }
            if dest
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("http:"))
            {
                let src = cx.f.text.get(at.clone()).unwrap_or("");
                let at = match src.find(&dest) {
                    Some(o) => at.start + o..at.start + o + dest.len(),
                    None => at,
                };
                cx.warn(
                    "lien-http",
                    at,
                    format!("adresse non sécurisée « {dest} » : elle commence par http://"),
                    HTTP_HELP,
                );
            }
        }
        Open::Image { at, alt } => {
            if alt.trim().is_empty() {
                cx.warn(
                    "image-sans-alt",
                    at,
                    "image sans texte de remplacement : un lecteur aveugle ne saura pas ce qu'elle montre".into(),
                    "décrivez ce que montre l'image entre les crochets, par exemple ![Carte des cinq départements des Hauts-de-France](…)",
                );
            }
        }
    }
}

fn underline(html: &str, at: &Range<usize>, cx: &mut Cx) {
    let lower = html.to_ascii_lowercase();
    for tag in ["<u>", "<u ", "<ins>", "<ins "] {
        if let Some(o) = lower.find(tag) {
            let exact = html.len() == at.len();
            let start = if exact { at.start + o } else { at.start };
            let len = lower[o..].find('>').map_or(tag.len(), |e| e + 1);
            cx.warn(
                "souligne",
                start..start + len,
                "texte souligné : on le confond avec un lien".into(),
                "enlevez les balises <u> et </u> (ou <ins> et </ins>) ; pour insister sur un mot, mettez-le en gras (**mot**)",
            );
            return;
        }
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
