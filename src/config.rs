//! `guide.toml`: the site's configuration.
//!
//! Takes: the site root. Gives: a checked `Config`, with its theme's
//! presentation (`theme::Theme`).
//! Reports: a missing file, TOML errors and unknown keys, with their position.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, LineIndex, suggest};
use crate::spans::{Field, Keys, Spans, toml_error};

/// Site configuration, read from `guide.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The guide's name, shown in every page header and on paper.
    pub title: String,
    /// A short form of the title, one line on a phone's header; `title` when absent.
    #[serde(default)]
    pub short_title: Option<String>,
    /// One sentence under the title on the home page.
    #[serde(default)]
    pub description: String,
    /// Public address of the site (`https://example.org/guide/`); enables sitemap.xml and QR codes.
    pub base_url: Option<String>,
    /// Forge URL a card's source path is appended to, for "Modifier cette fiche".
    pub edit_url: Option<String>,
    /// Page language; only "fr" is supported.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder, relative to the site root.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The theme's presentation, read from its `theme.toml` by `load`.
    #[serde(skip)]
    pub presentation: crate::theme::Theme,
    /// Days after which a card's `updated` date is stale (lint `fiche-ancienne`).
    #[serde(default = "default_stale")]
    pub stale_after_days: i64,
    /// Lint codes silenced for the whole guide.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Keep raw HTML written in Markdown (escaped by default).
    #[serde(default)]
    pub allow_html: bool,
    /// Minify the HTML pages.
    #[serde(default = "default_true")]
    pub minify: bool,
    /// Short form of the guide's "précaution de lecture", shown on every fiche.
    #[serde(default)]
    pub precaution: String,
    /// Who publishes the guide, in the footer.
    #[serde(default)]
    pub publisher: String,
    /// Names of organisations written in capitals that are names, not
    /// acronyms to expand (APAHM, IPSHO…): the glossary stage does not report them.
    #[serde(default)]
    pub noms_propres: Vec<String>,
    /// Hard words → a plain word to use instead (lint `mot-difficile`).
    #[serde(default)]
    pub mots_difficiles: std::collections::BTreeMap<String, String>,
    /// Days during which `fiches links` trusts a remembered answer.
    #[serde(default = "default_cache_days")]
    pub liens_cache_jours: u32,
    /// Write a PDF of each fiche and of the whole guide (`pdf/`).
    #[serde(default = "default_true")]
    pub pdf: bool,
    /// Write `guide-hors-ligne.zip`, the whole site to unpack and open offline.
    #[serde(default = "default_true")]
    pub offline_zip: bool,
    /// Size in kilobytes above which an image of a card is reported.
    #[serde(default = "default_images_max_ko")]
    pub images_max_ko: u64,
}

fn default_language() -> String {
    "fr".into()
}
fn default_theme() -> String {
    "themes/default".into()
}
fn default_stale() -> i64 {
    365
}
fn default_cache_days() -> u32 {
    7
}
fn default_images_max_ko() -> u64 {
    500
}
fn default_true() -> bool {
    true
}

/// Keys allowed in `guide.toml`.
pub const KEYS: &[&str] = &[
    "title",
    "short_title",
    "description",
    "base_url",
    "edit_url",
    "language",
    "theme",
    "stale_after_days",
    "allow",
    "allow_html",
    "minify",
    "precaution",
    "publisher",
    "noms_propres",
    "mots_difficiles",
    "liens_cache_jours",
    "pdf",
    "offline_zip",
    "images_max_ko",
];

impl Config {
    /// The theme folder, absolute.
    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.theme)
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base(&self) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|b| format!("{}/", b.trim_end_matches('/')))
    }

    /// The path part of `base_url` ("https://a.org/guide/" → "/guide/").
    pub fn base_path(&self) -> Option<String> {
        let base = self.base()?;
        let after_scheme = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
        Some(
            after_scheme
                .find('/')
                .map_or("/", |i| &after_scheme[i..])
                .to_string(),
        )
    }
}

/// Reads and checks `guide.toml` at the site root.
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Config> {
    let rel = "guide.toml";
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::file(
                    "config-absente",
                    rel,
                    if e.kind() == std::io::ErrorKind::NotFound {
                        "le fichier guide.toml est introuvable dans ce dossier".to_string()
                    } else {
                        format!("impossible de lire guide.toml ({e})")
                    },
                )
                .help("lancez fiches depuis le dossier du guide, ou indiquez-le avec --root"),
            );
            return None;
        }
    };
    let lines = LineIndex::new(&text);
    let table = match toml::de::DeTable::parse(&text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_error(rel, &lines, 0, &e));
            return None;
        }
    };
    let mut ok = true;
    for key in table.get_ref().keys() {
        let name: &str = key.get_ref();
        if !KEYS.contains(&name) {
            ok = false;
            let mut d = Diagnostic::at(
                crate::diag::Severity::Error,
                "cle-inconnue",
                rel,
                &lines,
                key.span(),
                format!("clé inconnue `{name}` dans guide.toml"),
            );
            d = d.help(match suggest(name, KEYS) {
                Some(s) => format!(
                    "vouliez-vous dire `{s}` ? Clés possibles : {}",
                    KEYS.join(", ")
                ),
                None => format!("clés possibles : {}", KEYS.join(", ")),
            });
            diags.push(d);
        }
    }
    if !ok {
        return None;
    }
    let keys = Keys {
        top: KEYS,
        sub: None,
    };
    let spans = Spans::new(table.get_ref(), &text, 0, keys);
    match Config::deserialize(toml::de::Deserializer::from(table)) {
        Ok(c) => {
            let codes = c.allow.iter().enumerate();
            let codes =
                codes.map(|(i, c)| (c.as_str(), spans.value_or_key(Field::item("allow", i))));
            crate::diag::check_allow(rel, &lines, codes, diags);
            if let Some(b) = &c.base_url
                && !(b.starts_with("https://") || b.starts_with("http://"))
            {
                diags.push(
                    Diagnostic::at(
                        crate::diag::Severity::Error,
                        "base-url",
                        rel,
                        &lines,
                        spans.value_or_key(Field::top("base_url")),
                        format!("base_url « {b} » n'est pas une adresse web"),
                    )
                    .help(
                        "écrivez l'adresse complète, par exemple https://www.prith-hdf.fr/guide/",
                    ),
                );
                return None;
            }
            let mut c = c;
            c.presentation = crate::theme::Theme::load(&c.theme_dir(root), &c.theme, diags)?;
            Some(c)
        }
        Err(e) => {
            diags.push(toml_error(rel, &lines, 0, &e));
            None
        }
    }
}
