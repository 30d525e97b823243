//! Stage 4, the PDFs (issue 16): one per fiche and one of the whole guide.
//!
//! Takes: the prepared cards (their body as typst markup, made from the same
//! events as their HTML by `markup`), the configuration, and the theme's
//! `pdf/` folder (`fiche.typ`, `guide.typ`, fonts). Gives: tagged PDF/UA-1
//! documents, typeset by the typst library in this process (no external
//! program), with a fixed date (the card's, or the newest card's for the
//! guide) so that two builds give the same bytes; and what an HTML page says
//! about a PDF (`Made::link`). Reports: a document that typst cannot make
//! (a template error) or that its PDF/UA-1 export refuses (a character no
//! font of the theme has), as a warning on the card: that PDF is left out,
//! the HTML site is still published.

pub mod data;
pub mod markup;
pub mod world;

use serde::Serialize;
use std::path::Path;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::links::Index;
use crate::model::Sink;
use crate::model::{Card, Kind, Page, SourceFile};
use crate::render::Download;
use crate::view::{CardView, card_view};

/// The site path of the whole guide's PDF.
pub const GUIDE_PATH: &str = "pdf/guide-pratique.pdf";

/// Whether a card gets a PDF of its own (fiches: dispositif, outil,
/// situation, parcours).
pub fn is_fiche(c: &Card) -> bool {
    c.fm.kind.is_fiche() || c.fm.kind == Kind::Parcours
}

/// The site path of a fiche's PDF.
pub fn path_of(c: &Card) -> String {
    format!("pdf/{}.pdf", c.slug)
}

/// What the pages say about the PDFs.
#[derive(Clone, Copy)]
pub enum Offer<'p> {
    /// Nothing: no PDF (`check`, or `pdf = false`).
    None,
    /// The PDFs are made with the pages, which give their pages and size (`build`).
    Made(&'p Pdfs<'p>),
    /// A PDF is made when a reader asks for it; the pages link to it (`serve`).
    Asked,
}

impl Offer<'_> {
    /// The PDF of card `c` (none but for a fiche), handed to `sink` when it
    /// is made now; gives what its page says about it.
    pub fn fiche(self, c: &Card, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) -> Option<Download> {
        match self {
            _ if !is_fiche(c) => None,
            Offer::None => None,
            Offer::Made(p) => put(p.fiche(c), &path_of(c), sink, diags),
            Offer::Asked => Some(Download::asked(&path_of(c))),
        }
    }

    /// The whole guide's PDF, as `fiche`.
    pub fn guide(self, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) -> Option<Download> {
        match self {
            Offer::None => None,
            Offer::Made(p) => put(p.guide(), GUIDE_PATH, sink, diags),
            Offer::Asked => Some(Download::asked(GUIDE_PATH)),
        }
    }
}

/// Hands a made PDF to `sink` at `path`; gives what a page says about it.
fn put(
    made: Result<Made, Diagnostic>,
    path: &str,
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> Option<Download> {
    match made {
        Ok(m) => {
            let link = m.link(path);
            sink.put(Page {
                path: path.to_string(),
                bytes: m.bytes,
            });
            Some(link)
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The whole guide's text and data, as they are gathered.
struct Gathered {
    main: String,
    fiches: serde_json::Map<String, serde_json::Value>,
}

/// A typeset PDF.
pub struct Made {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
}

impl Made {
    /// What a page says about this PDF at `path`.
    pub fn link(&self, path: &str) -> Download {
        Download {
            path: path.to_string(),
            pages: self.pages,
            size: format!("{} Ko", self.bytes.len().div_ceil(1000)),
        }
    }
}

/// The prepared guide the PDFs are made from.
#[derive(Clone, Copy)]
pub struct Guide<'a> {
    /// `guide.toml`.
    pub cfg: &'a Config,
    /// Every card, linked, with its body as typst markup.
    pub cards: &'a [Card],
    /// The cards' files (for their names in messages).
    pub files: &'a [SourceFile],
    /// The cards by slug.
    pub index: &'a Index,
}

/// Makes the PDFs of a build: the theme is read once, then each document is
/// typeset on its own (from any thread).
pub struct Pdfs<'a> {
    theme: world::Theme,
    /// Where the templates are, for messages (`themes/default/pdf`).
    dir: String,
    site: Guide<'a>,
    /// The site's public address.
    base: Option<String>,
    /// The newest card's date: the guide's date.
    newest: toml::value::Date,
}

/// A date as typst reads it.
fn datetime(d: toml::value::Date) -> Option<Datetime> {
    Datetime::from_ymd(i32::from(d.year), d.month, d.day)
}

/// The newest card's date (year, month, day): the date of the whole guide.
pub fn newest(cards: &[Card]) -> (u16, u8, u8) {
    let d = cards
        .iter()
        .map(date_of)
        .max_by_key(|d| (d.year, d.month, d.day))
        .unwrap_or(NO_DATE);
    (d.year, d.month, d.day)
}

/// The date of a card without one (never after parsing: `updated` is required).
const NO_DATE: toml::value::Date = toml::value::Date {
    year: 2000,
    month: 1,
    day: 1,
};

fn date_of(c: &Card) -> toml::value::Date {
    c.fm.updated.date.unwrap_or(NO_DATE)
}

impl<'a> Pdfs<'a> {
    /// Reads the theme's `pdf/` folder (the site at `root`).
    pub fn new(root: &Path, site: Guide<'a>) -> Pdfs<'a> {
        let (year, month, day) = newest(site.cards);
        Pdfs {
            theme: world::Theme::load(&site.cfg.theme_dir(root).join("pdf")),
            dir: format!("{}/pdf", site.cfg.theme.trim_end_matches(['/', '\\'])),
            base: site.cfg.base(),
            site,
            newest: toml::value::Date { year, month, day },
        }
    }

    /// The view of a card, as the HTML pages get it.
    fn view(&self, c: &Card) -> CardView {
        let source = self.site.files.get(c.file).map_or("", |f| f.rel.as_str());
        card_view(
            c,
            self.site.cards,
            self.site.index,
            source,
            self.base.as_deref(),
        )
    }

    /// The PDF of one fiche.
    pub fn fiche(&self, c: &Card) -> Result<Made, Diagnostic> {
        #[derive(Serialize)]
        struct Data<'d> {
            guide: data::Guide,
            fiche: data::Fiche<'d>,
        }
        let view = self.view(c);
        let json = serde_json::to_vec(&Data {
            guide: data::guide(self.site.cfg, &view.updated_fr),
            fiche: data::fiche(&view, self.base.as_deref(), &self.site.cfg.presentation.qr_label),
        })
        .unwrap_or_default();
        let mut main = String::with_capacity(c.body.typst.len() + 128);
        main.push_str("#import \"/fiche.typ\": fiche\n#show: fiche.with(json(\"/data.json\"))\n");
        main.push_str(&c.body.typst);
        self.compile("fiche.typ", &view.source, &c.slug, main, json, date_of(c))
    }

    /// The PDF of the whole guide: cover, contents, the four stages with
    /// their dispositifs, the other fiches, the glossary, the contacts and
    /// the précaution de lecture. Each card's data is in `data.fiches`, by
    /// its kind and slug; the text calls the template's `stage`, `fiche`
    /// and `entry` in reading order.
    pub fn guide(&self) -> Result<Made, Diagnostic> {
        let mut g = Gathered {
            main: String::from(
                "#import \"/guide.typ\": guide, fiche, stage, entry\n\
                 #let data = json(\"/data.json\")\n#show: guide.with(data)\n",
            ),
            fiches: serde_json::Map::new(),
        };
        let cards = self.site.cards;
        let order = crate::render::by_order(cards);
        let of_kind = |kind: Kind| {
            order
                .iter()
                .map(|&i| &cards[i])
                .filter(move |c| c.fm.kind == kind)
        };
        for (i, (stage, _)) in crate::model::STAGES.values.iter().enumerate() {
            g.main.push_str(&format!("#stage(data, {i})\n"));
            for c in of_kind(Kind::Dispositif).filter(|c| c.fm.stages.iter().any(|s| s == stage)) {
                self.put(&mut g, c, "fiche");
            }
        }
        let sections = [
            (Kind::Outil, "outils", "fiche"),
            (Kind::Situation, "situations", "fiche"),
            (Kind::Parcours, "types", "fiche"),
            (Kind::Terme, "glossaire", "entry"),
            (Kind::Acteur, "contacts", "entry"),
        ];
        for (kind, section, call) in sections {
            g.main.push_str(&format!("#stage(data, \"{section}\")\n"));
            for c in of_kind(kind) {
                self.put(&mut g, c, call);
            }
        }
        g.main
            .push_str("#stage(data, \"precaution\")\n#par(data.guide.precaution)\n");
        let stages: Vec<&str> = crate::model::STAGES
            .values
            .iter()
            .map(|(_, l)| *l)
            .collect();
        let updated = toml::value::Datetime {
            date: Some(self.newest),
            time: None,
            offset: None,
        };
        let json = serde_json::to_vec(&serde_json::json!({
            "guide": data::guide(self.site.cfg, &crate::dates::date_fr(&updated)),
            "stages": stages,
            "fiches": g.fiches,
        }))
        .unwrap_or_default();
        let file = format!("{}/guide.typ", self.dir);
        self.compile(
            "guide.typ",
            &file,
            "guide-pratique",
            g.main,
            json,
            self.newest,
        )
    }

    /// Adds a card to the whole guide once, with the template's `call`
    /// (`fiche` or `entry`).
    fn put(&self, g: &mut Gathered, c: &Card, call: &str) {
        let key = format!("{}-{}", c.fm.kind.name(), c.slug);
        if g.fiches.contains_key(&key) {
            return;
        }
        let view = self.view(c);
        let fiche = data::fiche(&view, self.base.as_deref(), &self.site.cfg.presentation.qr_label);
        let at = markup::quote(&key);
        g.main
            .push_str(&format!("#{call}(data.fiches.at({at}))[\n"));
        g.main.push_str(&c.body.typst);
        g.main.push_str("]\n");
        g.fiches
            .insert(key, serde_json::to_value(fiche).unwrap_or_default());
    }

    /// Typesets `main`; a problem is reported on `file`.
    fn compile(
        &self,
        template: &str,
        file: &str,
        ident: &str,
        main: String,
        json: Vec<u8>,
        date: toml::value::Date,
    ) -> Result<Made, Diagnostic> {
        let today = datetime(date);
        let w = world::World::new(&self.theme, main, vec![("/data.json", json)], today);
        let fail = |what: &str, errors: &[typst::diag::SourceDiagnostic]| {
            let msg = errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join(" ; ");
            let mut d = Diagnostic::file(
                "pdf",
                file,
                format!("le PDF « {ident}.pdf » n'a pas pu être {what} ; il est laissé de côté : {msg}"),
            )
            .help(format!(
                "un caractère qu'aucune police du thème n'a (emoji, symbole) : remplacez-le par des mots ; \
                 une erreur du gabarit {}/{template} : corrigez-le ; pdf = false dans guide.toml arrête les PDF",
                self.dir
            ));
            d.severity = crate::diag::Severity::Warning;
            d
        };
        let doc: PagedDocument = typst::compile(&w).output.map_err(|e| fail("composé", &e))?;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some("fiches".into())),
            timestamp: today.map(Timestamp::new_utc),
            // One standard alone is always a valid list.
            standards: PdfStandards::new(&[PdfStandard::Ua_1]).unwrap_or_default(),
            ..PdfOptions::default()
        };
        let bytes = typst_pdf::pdf(&doc, &options).map_err(|e| fail("écrit en PDF/UA-1", &e))?;
        Ok(Made {
            pages: doc.pages().len(),
            bytes,
        })
    }
}
