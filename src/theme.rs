//! The theme's `theme.toml`: the presentation the code writes into pages.
//!
//! Takes: the theme folder. Gives: a `Theme`, the markup of each icon (one
//! frame for all, each icon its path), which icon a level-2 section title of
//! a card gets, and the accessible name of the printed QR code, so that a
//! theme changes them without touching the code.
//! Reports: a missing or invalid `theme.toml`, with its position, and a
//! section title rule naming an icon that has no path.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, LineIndex};
use crate::spans::toml_error;

/// The presentation read from a theme's `theme.toml`.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Icon names, sorted, and the markup of each (same order).
    names: Vec<String>,
    svgs: Vec<String>,
    /// The markup of an icon whose name has no path.
    fallback: String,
    /// For section titles: a folded word, and the icon (index in `svgs`).
    titles: Vec<(String, usize)>,
    /// The accessible name of the printed QR code, markup written as it is
    /// (like the templates and the icon frame).
    pub qr_label: String,
}

/// `theme.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    qr: Qr,
    icones: Icons,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Qr {
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Icons {
    gabarit: String,
    defaut: String,
    titres: Vec<Title>,
    chemins: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Title {
    mot: String,
    icone: String,
}

impl Theme {
    /// Reads `theme.toml` of the theme folder `dir` (`rel`: the folder as
    /// guide.toml names it). A folder that does not exist gives an empty
    /// theme: loading the templates reports it.
    pub fn load(dir: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<Theme> {
        if !dir.is_dir() {
            return Some(Theme::default());
        }
        let file = format!("{}/theme.toml", rel.trim_end_matches('/'));
        let text = match std::fs::read_to_string(dir.join("theme.toml")) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::file(
                        "theme",
                        &file,
                        format!("impossible de lire le fichier theme.toml du thème ({e})"),
                    )
                    .help("copiez themes/default/theme.toml dans le dossier du thème, puis adaptez-le"),
                );
                return None;
            }
        };
        let parsed: File = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                diags.push(toml_error(&file, &LineIndex::new(&text), 0, &e));
                return None;
            }
        };
        let icons = parsed.icones;
        let svg = |d: &str| icons.gabarit.replace("{d}", d);
        let names: Vec<String> = icons.chemins.keys().cloned().collect();
        let svgs = icons.chemins.values().map(|d| svg(d)).collect();
        let mut titles = Vec::with_capacity(icons.titres.len());
        for t in &icons.titres {
            match names.binary_search(&t.icone) {
                Ok(i) => titles.push((crate::text::fold(&t.mot), i)),
                Err(_) => {
                    diags.push(
                        Diagnostic::file(
                            "theme",
                            &file,
                            format!("l'icône « {} » des titres n'a pas de chemin", t.icone),
                        )
                        .help("ajoutez-la sous [icones.chemins], ou corrigez son nom"),
                    );
                    return None;
                }
            }
        }
        Some(Theme {
            fallback: svg(&icons.defaut),
            names,
            svgs,
            titles,
            qr_label: parsed.qr.label,
        })
    }

    /// The markup of the icon `name`.
    pub fn icon(&self, name: &str) -> &str {
        match self.names.binary_search_by(|n| n.as_str().cmp(name)) {
            Ok(i) => &self.svgs[i],
            Err(_) => &self.fallback,
        }
    }

    /// The markup of the icon numbered `i` (`section_icon`).
    pub fn icon_at(&self, i: usize) -> &str {
        self.svgs.get(i).map_or(&self.fallback, |s| s)
    }

    /// The number of the icon a level-2 section titled `title` gets, if any.
    pub fn section_icon(&self, title: &str) -> Option<usize> {
        let t = crate::text::fold(title);
        self.titles
            .iter()
            .find(|(word, _)| t.contains(word.as_str()))
            .map(|&(_, i)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_theme() -> Theme {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut diags = Vec::new();
        let t = Theme::load(&dir, "themes/default", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        t.unwrap_or_default()
    }

    #[test]
    fn section_titles_get_the_icon_of_their_first_matching_word() {
        let t = default_theme();
        let etapes = t.section_icon("Les étapes").map(|i| t.icon_at(i));
        assert_eq!(etapes, Some(t.icon("etapes")));
        let contact = t.section_icon("Contacts utiles").map(|i| t.icon_at(i));
        assert_eq!(contact, Some(t.icon("contacts")));
        assert_eq!(t.section_icon("Pour qui ?"), None);
    }

    #[test]
    fn an_unknown_icon_name_gets_the_default_path() {
        let t = default_theme();
        assert!(
            t.icon("nulle-part")
                .contains("d=\"M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z\"")
        );
        assert_ne!(t.icon("nulle-part"), t.icon("etapes"));
    }

    #[test]
    fn a_title_rule_naming_no_icon_is_reported() {
        let dir = std::env::temp_dir().join(format!("fiches-theme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("theme.toml"),
            "[qr]\nlabel = \"QR\"\n[icones]\ngabarit = \"<i>{d}</i>\"\ndefaut = \"x\"\ntitres = [{ mot = \"etape\", icone = \"etapes\" }]\n[icones.chemins]\nautre = \"y\"\n",
        )
        .unwrap();
        let mut diags = Vec::new();
        assert!(Theme::load(&dir, "t", &mut diags).is_none());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("« etapes »"), "{:?}", diags[0]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
