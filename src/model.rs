//! The data passed between stages: source files, cards and their front matter.
//!
//! Takes: nothing (plain data). Gives: the types every stage shares.
//! The enums here are the single source of the allowed values: the parser,
//! the error messages, `fiches schema` and the templates all read them.

use pulldown_cmark::Event;
use serde::Serialize;
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::diag::LineIndex;

/// One file read from `content/`, with its path relative to the site root.
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (`content/dispositifs/poe.md`).
    pub rel: String,
    /// Absolute path, to read the file again when `serve` sees it change.
    pub abs: PathBuf,
    /// The text, with a leading BOM removed.
    pub text: String,
    /// Byte offset to line:column, made when a diagnostic first needs it
    /// (issue 8: it held a copy of every file).
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file of this text.
    pub fn new(rel: String, abs: PathBuf, text: String) -> Self {
        SourceFile {
            rel,
            abs,
            text,
            lines: OnceLock::new(),
        }
    }

    /// Byte offset to line:column, for diagnostics.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// A closed list of values allowed for one front-matter field.
pub struct Choices {
    /// The front-matter key, used in messages.
    pub key: &'static str,
    /// What one value is called in French messages ("étape").
    pub noun: &'static str,
    /// `(value, French label)` pairs, in display order.
    pub values: &'static [(&'static str, &'static str)],
}

impl Choices {
    /// The French label of an allowed value.
    pub fn label(&self, value: &str) -> &'static str {
        self.values
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, l)| *l)
            .unwrap_or("")
    }

    /// The allowed values, for messages and the schema.
    pub fn names(&self) -> Vec<&'static str> {
        self.values.iter().map(|(v, _)| *v).collect()
    }
}

/// Kinds of cards: `(value, French label)`, in the order of `Kind::ALL`.
pub const KINDS: Choices = Choices {
    key: "kind",
    noun: "type de fiche",
    values: &[
        ("dispositif", "Dispositifs"),
        ("outil", "Outils de compensation"),
        ("situation", "Situations"),
        ("parcours", "Parcours types"),
        ("terme", "Glossaire"),
        ("acteur", "Acteurs et contacts"),
        ("page", "Pages"),
    ],
};

/// The kind of a card: what it is, where it lives, where it is published.
/// Written and read as its value in `KINDS` (`kind = "dispositif"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A training or employment scheme (`content/dispositifs/`).
    Dispositif,
    /// A compensation tool (`content/outils/`).
    Outil,
    /// A situation of the person (`content/situations/`).
    Situation,
    /// A typical path through the schemes (`content/parcours/`).
    Parcours,
    /// A glossary term, shown on the glossary page (`content/glossaire/`).
    Terme,
    /// A contact, shown on the contacts page (`content/acteurs/`).
    Acteur,
    /// A page of the site: home, about... (`content/pages/`).
    Page,
}

impl Kind {
    /// Every kind, in the order of `KINDS`.
    pub const ALL: [Kind; 7] = [
        Kind::Dispositif,
        Kind::Outil,
        Kind::Situation,
        Kind::Parcours,
        Kind::Terme,
        Kind::Acteur,
        Kind::Page,
    ];

    /// The kind written as this value, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The value written in front matter (`dispositif`).
    pub fn name(self) -> &'static str {
        KINDS.values[self as usize].0
    }

    /// The French label of the kind's cards, plural (`Dispositifs`).
    pub fn label(self) -> &'static str {
        KINDS.values[self as usize].1
    }

    /// Folder of `content/` where cards of this kind live.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Dispositif => "dispositifs",
            Kind::Outil => "outils",
            Kind::Situation => "situations",
            Kind::Parcours => "parcours",
            Kind::Terme => "glossaire",
            Kind::Acteur => "acteurs",
            Kind::Page => "pages",
        }
    }

    /// Site path of the page or anchor of a card of this kind.
    pub fn url(self, slug: &str) -> String {
        match self {
            Kind::Terme => format!("glossaire.html#{slug}"),
            Kind::Acteur => format!("contacts.html#{slug}"),
            Kind::Parcours => format!("parcours/{slug}.html"),
            Kind::Page if slug == "accueil" => "index.html".into(),
            Kind::Page => format!("{slug}.html"),
            Kind::Dispositif | Kind::Outil | Kind::Situation => format!("fiches/{slug}.html"),
        }
    }

    /// Whether its cards have a page of their own (terms and contacts are
    /// entries of one shared page).
    pub fn has_page(self) -> bool {
        !matches!(self, Kind::Terme | Kind::Acteur)
    }

    /// Whether its cards are fiches proper: the solutions listed by stage,
    /// by public and proposed by the orientation page.
    pub fn is_fiche(self) -> bool {
        matches!(self, Kind::Dispositif | Kind::Outil | Kind::Situation)
    }

    /// Whether its cards say whether they are common law or specific
    /// (`droit`, required).
    pub fn needs_droit(self) -> bool {
        matches!(self, Kind::Dispositif | Kind::Outil)
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Kind::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, &[]))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The four stages of the guide's overview, in the reader's order.
pub const STAGES: Choices = Choices {
    key: "stages",
    noun: "étape",
    values: &[
        ("remobilisation", "Remobilisation"),
        ("preparation", "Définir son projet et se préparer"),
        ("formation", "Se former"),
        ("emploi", "Emploi et formation dans l'emploi"),
    ],
};

/// The guide's legend: common law or reserved to recognised disability.
pub const DROITS: Choices = Choices {
    key: "droit",
    noun: "droit",
    values: &[
        ("commun", "Droit commun"),
        ("specifique", "Droit spécifique"),
    ],
};

/// Where a glossary term's expansion comes from, when not from the seed
/// guides (`source`): never shown to readers, listed by `check --sources`.
pub const SOURCES: Choices = Choices {
    key: "source",
    noun: "source",
    values: &[(
        "usage",
        "Forme longue d'usage courant, absente des guides sources : à faire relire par le PRITH",
    )],
};

/// Who a card is for.
pub const PUBLICS: Choices = Choices {
    key: "publics",
    noun: "public",
    values: &[
        ("salarie", "Salarié du privé"),
        ("agent-public", "Agent de la fonction publique"),
        ("demandeur-emploi", "Demandeur d'emploi"),
        ("jeune", "Jeune de 16 à 25 ans"),
        ("independant", "Travailleur indépendant"),
        ("employeur", "Employeur"),
        ("organisme-formation", "Organisme de formation"),
    ],
};

/// Departments of the region, for local dispositifs.
pub const TERRITOIRES: Choices = Choices {
    key: "territoire",
    noun: "département",
    values: &[
        ("aisne", "Aisne (02)"),
        ("nord", "Nord (59)"),
        ("oise", "Oise (60)"),
        ("pas-de-calais", "Pas-de-Calais (62)"),
        ("somme", "Somme (80)"),
    ],
};

/// Situations in which a card is especially useful.
pub const SITUATIONS: Choices = Choices {
    key: "situations",
    noun: "situation",
    values: &[
        ("arret-travail", "En arrêt de travail"),
        ("inaptitude", "Déclaré inapte"),
        ("invalidite", "En invalidité"),
    ],
};

/// Kinds of links in `[[links]]`.
pub const LINK_KINDS: Choices = Choices {
    key: "kind",
    noun: "type de lien",
    values: &[
        ("contact", "Contacts"),
        ("ressource", "Ressources"),
        ("outil", "Outils en ligne"),
    ],
};

/// "La solution en N points clefs".
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    pub nature: Option<String>,
    pub publics: Option<String>,
    pub operateurs: Option<String>,
    pub prescripteurs: Option<String>,
    pub financement: Option<String>,
}

/// Which social-security schemes fund it (second guide).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regimes {
    pub general: bool,
    pub agricole: bool,
    pub independant: bool,
    pub fonction_publique: bool,
}

/// Whether it can be used during sick leave (second guide).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendantArret {
    pub possible: bool,
    pub note: Option<String>,
}

/// A contact, resource or online tool of a card.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
    #[serde(default = "default_link_kind")]
    pub kind: String,
}

fn default_link_kind() -> String {
    "ressource".into()
}

/// The front matter exactly as written; enum-like fields stay strings until
/// `parse` checks them, so every wrong value is reported with its position.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub acronym: Option<String>,
    pub kind: Kind,
    #[serde(default)]
    pub stages: Vec<String>,
    pub droit: Option<String>,
    #[serde(default)]
    pub publics: Vec<String>,
    pub summary: String,
    /// Questions people ask, in their words, that the card answers (issue 20).
    #[serde(default)]
    pub questions: Vec<String>,
    pub updated: toml::value::Datetime,
    pub order: Option<i64>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub territoire: Vec<String>,
    #[serde(default)]
    pub situations: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
    pub term: Option<String>,
    pub expansion: Option<String>,
    pub fiche: Option<String>,
    /// Where a term's expansion comes from when not from the seed guides.
    pub source: Option<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub compensation: Vec<String>,
    pub points: Option<Points>,
    pub regimes: Option<Regimes>,
    pub pendant_arret_travail: Option<PendantArret>,
    #[serde(default)]
    pub links: Vec<Link>,
    /// A draft: left out of the built guide, shown by `serve` with a banner.
    #[serde(default)]
    pub draft: bool,
    /// Where each key and value is written in the file (set by `parse`).
    #[serde(skip)]
    pub spans: crate::spans::Spans,
}

/// Front-matter keys, by table, for unknown-key checks and the schema.
pub const TOP_KEYS: &[&str] = &[
    "title",
    "acronym",
    "kind",
    "stages",
    "droit",
    "publics",
    "summary",
    "questions",
    "updated",
    "order",
    "aliases",
    "territoire",
    "situations",
    "allow",
    "term",
    "expansion",
    "fiche",
    "source",
    "related",
    "compensation",
    "points",
    "regimes",
    "pendant_arret_travail",
    "links",
    "draft",
];
/// Keys of `[points]`.
pub const POINTS_KEYS: &[&str] = &[
    "nature",
    "publics",
    "operateurs",
    "prescripteurs",
    "financement",
];
/// Keys of `[regimes]`.
pub const REGIMES_KEYS: &[&str] = &["general", "agricole", "independant", "fonction_publique"];
/// Keys of `[pendant_arret_travail]`.
pub const PENDANT_KEYS: &[&str] = &["possible", "note"];
/// Keys of each `[[links]]`.
pub const LINK_KEYS: &[&str] = &["title", "url", "kind"];

/// The title of an image that says it is decorative: its alternative text
/// is then empty on purpose (`![](frise.png "décorative")`).
pub const DECORATIVE: &str = "décorative";

/// Every key of a front matter, for its `Spans`.
pub const KEYS: crate::spans::Keys = crate::spans::Keys {
    top: TOP_KEYS,
    sub: Some(sub_keys),
};

/// The keys allowed in the table(s) of a top-level key, if it holds tables.
pub fn sub_keys(key: &str) -> Option<&'static [&'static str]> {
    match key {
        "points" => Some(POINTS_KEYS),
        "regimes" => Some(REGIMES_KEYS),
        "pendant_arret_travail" => Some(PENDANT_KEYS),
        "links" => Some(LINK_KEYS),
        _ => None,
    }
}

/// A Markdown event with the byte range of its source in the whole file.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// A heading of a card's body, for the table of contents and the search index.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// One parsed, checked card.
pub struct Card {
    /// File name without `.md`.
    pub slug: String,
    /// Index of its `SourceFile`.
    pub file: usize,
    pub fm: FrontMatter,
    /// Byte offset where the Markdown body starts in the file.
    pub body_start: usize,
    /// The body's headings, in order, with their ids.
    pub headings: Vec<Heading>,
    /// Plain text of the body, for the search index and lints.
    pub text: String,
    /// The body as HTML, made once by `transform` (empty until then).
    pub body: Body,
}

/// A card's body rendered once for every page that shows it (its own page,
/// the glossary, `guide-complet.html`...): links to other pages of the guide
/// start at the site root, and `holes` says where each page puts its own
/// root, the tooltip numbers and the print-only marks of the links
/// (`render::body_html_refs`).
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    /// Byte offsets in `html`, in order, and what goes there.
    pub holes: Vec<(usize, Hole)>,
    /// The links of the body in reading order: destination (site paths
    /// marked `@/`) and text, for the print-only list of addresses.
    pub links: Vec<(String, String)>,
    /// The number of each tooltip of the body, counted over the whole guide.
    pub tooltips: Vec<usize>,
    /// The body as typst markup, for the PDFs (`pdf::markup`; empty when
    /// `pdf = false`).
    pub typst: String,
    /// The site paths of the guide's images it shows (`images/…`).
    pub images: Vec<String>,
}

/// What a page writes at a place of a card's body HTML.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hole {
    /// The page's root ("", "../") before a site path.
    Root,
    /// The pictogram of a section title: its number in the theme
    /// (`theme::Theme::section_icon`).
    Icon(usize),
    /// The number of the nth tooltip (`Body::tooltips`).
    Tooltip(usize),
    /// The print-only mark of `Body::links[link]`, if the page numbers that
    /// address; escaped when the link is inside an image's alternative text.
    Mark { link: usize, escaped: bool },
}

impl Card {
    /// Site path of the card's page or anchor, without a leading slash.
    pub fn url(&self) -> String {
        self.fm.kind.url(&self.slug)
    }

    /// Whether the card has a page of its own.
    pub fn has_page(&self) -> bool {
        self.fm.kind.has_page()
    }

    /// Whether the card is a glossary term (its slug lives in its own namespace).
    pub fn is_term(&self) -> bool {
        self.fm.kind == Kind::Terme
    }
}

/// Marks a link to a page of the guide in a card's body (`@/fiches/poe.html`):
/// each page that shows the body puts its own root there (`Hole::Root`).
pub const SITE: &str = "@/";

/// A finished page: its site path and its bytes.
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered pages go, from several threads: the output folder of a
/// build, the pages kept in memory by `serve`, nowhere for `check`.
pub trait Sink: Sync {
    /// Takes one finished page.
    fn put(&self, page: Page);

    /// Takes a page that `write` writes in pieces, in order, so that a very
    /// large page (`guide-complet.html`) is never held whole in memory when
    /// it goes to a file. By default the pieces are gathered into one page.
    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(Page {
            path: path.to_string(),
            bytes,
        });
        Ok(())
    }
}

impl<F: Fn(Page) + Sync> Sink for F {
    fn put(&self, page: Page) {
        self(page)
    }
}

/// A sink that keeps nothing (`fiches check` renders to find template errors).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: Page) {}

    fn put_streamed(
        &self,
        _: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        write(&mut io::sink())
    }
}

/// Text escaped for HTML (and XML), attribute values included: what a
/// quoted attribute value or text needs (templates print values with it,
/// without Tera's `&#x2F;` for every `/`). The one escaper of the crate.
pub fn escape_html(s: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // Most values (titles, addresses) need no escaping at all.
    let Some(first) = s.bytes().position(|b| special(&b)) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    let mut start = first;
    for (i, b) in s.bytes().enumerate().skip(first) {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            // Templates of a site may quote attributes with `'`.
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// JSON made safe inside a script file: nothing can close a script element,
/// and the line separators that old JavaScript engines reject are escaped.
pub fn js_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_both_quotes() {
        let table = [
            ("", ""),
            ("fiches/poe.html", "fiches/poe.html"),
            (
                "l'été & <b>\"x\"</b>",
                "l&#39;été &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt;",
            ),
            ("é>", "é&gt;"),
        ];
        for (s, want) in table {
            assert_eq!(escape_html(s), want);
        }
    }
}

/// The model sentences that `fiches new` writes in a new card, each to be
/// replaced by the editor's own words: `check` warns about any left in a
/// card (`texte-modele`, `lint`).
pub mod model_text {
    /// Every model sentence.
    pub const ALL: &[&str] = &[
        SUMMARY,
        NATURE,
        PUBLICS,
        OPERATEURS,
        PRESCRIPTEURS,
        LINK_TITLE,
        OBJECTIF,
        SPECIFIQUE,
        ETAPE_1,
        ETAPE_2,
        BON_A_SAVOIR,
        AIDES,
        CONTACTS,
        EXPANSION,
        DEFINITION,
        TEXTE,
    ];
    /// `summary`.
    pub const SUMMARY: &str = "Une phrase courte qui dit à quoi sert cette fiche.";
    /// `[points] nature`.
    pub const NATURE: &str = "Ce que c'est.";
    /// `[points] publics`.
    pub const PUBLICS: &str = "Qui peut en bénéficier.";
    /// `[points] operateurs`.
    pub const OPERATEURS: &str = "Qui le met en œuvre.";
    /// `[points] prescripteurs`.
    pub const PRESCRIPTEURS: &str = "Qui oriente vers ce dispositif.";
    /// The title of the first `[[links]]`.
    pub const LINK_TITLE: &str = "Le dispositif sur le site du ministère du Travail";
    /// « Objectifs ».
    pub const OBJECTIF: &str = "Premier objectif.";
    /// « Ce qui est spécifique ».
    pub const SPECIFIQUE: &str = "Ce qui rend ce dispositif différent.";
    /// The first step.
    pub const ETAPE_1: &str = "Première étape.";
    /// The second step.
    pub const ETAPE_2: &str = "Deuxième étape.";
    /// « Bon à savoir ».
    pub const BON_A_SAVOIR: &str = "Une information utile.";
    /// « Moyens de compensation ».
    pub const AIDES: &str = "Les aides possibles.";
    /// « Contacts ».
    pub const CONTACTS: &str = "Votre conseiller France Travail, Cap Emploi ou Mission Locale.";
    /// A term's `expansion`.
    pub const EXPANSION: &str = "La forme longue du sigle.";
    /// A term's definition.
    pub const DEFINITION: &str = "Une définition courte, en mots simples.";
    /// The text of a situation, a contact or a page.
    pub const TEXTE: &str = "Le texte de la fiche.";
}
