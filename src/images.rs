//! Stage 3c: the images of a card (issue 18).
//!
//! Takes: one card's events, its file, and the size limit of guide.toml
//! (`images_max_ko`). An image `![texte](carte.png)` is looked for next to
//! the card, then in `content/images/`. Gives: the events, each local image's
//! address rewritten to its site path marked `@/` (`images/…`), and for each
//! image found its file, width and height: the body writes them in the page
//! (no layout shift) and the build copies the file (`Image::page`).
//! Reports (errors): an image without alternative text that is not marked
//! decorative (`![](frise.png "décorative")`), a missing file, a name with
//! characters that do not work in every address, a format other than PNG,
//! JPEG, WebP and GIF (SVG is refused: it can carry scripts); (warning,
//! `image-lourde`) a file over the limit.
//! Images of other sites (`https://…`) are left to the links stage and lints.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use crate::model::SITE;
use crate::model::{DECORATIVE, Page, SourceFile, Spanned};

/// The folder of `content/` for images shared by several cards, and the
/// folder of the built site where every image goes.
pub const FOLDER: &str = "images";

/// The extensions accepted, in the words of the messages.
const FORMATS: &str = "PNG, JPEG, WebP ou GIF";

/// An image of a card, found and measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Its path in the built site (`images/dispositifs/carte.png`).
    pub site: String,
    /// The file to copy.
    pub abs: PathBuf,
    /// Its size in pixels, written in the page.
    pub width: usize,
    pub height: usize,
}

impl Image {
    /// The file as a page of the site; `None` if it cannot be read any more.
    pub fn page(&self) -> Option<Page> {
        let bytes = std::fs::read(&self.abs).ok()?;
        Some(Page {
            path: self.site.clone(),
            bytes,
        })
    }
}

/// Checks the local images of one card's events and points them at their
/// site paths; returns the events and the images found.
pub fn apply<'e>(
    mut events: Vec<Spanned<'e>>,
    f: &SourceFile,
    max_ko: u64,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Spanned<'e>>, Vec<Image>) {
    let mut found = Vec::new();
    for i in 0..events.len() {
        let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        ) = &events[i]
        else {
            continue;
        };
        if !is_local(dest_url) {
            continue;
        }
        let written = Written {
            dest: dest_url.to_string(),
            decorative: title.as_ref() == DECORATIVE,
            alt: alt_text(&events[i + 1..]),
            range: range.clone(),
        };
        let image = written.check(f, max_ko, diags);
        // The links stage leaves `@/` images alone; the body writes the
        // ones found, the others only matter when there are errors.
        let site = image.as_ref().map_or(&written.dest, |i| &i.site);
        if let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            _,
        ) = &mut events[i]
        {
            *dest_url = CowStr::from(format!("{SITE}{site}"));
            if written.decorative {
                *title = CowStr::Borrowed("");
            }
        }
        found.extend(image);
    }
    (events, found)
}

/// A local image as the card writes it.
struct Written {
    dest: String,
    /// Marked decorative (its title is `DECORATIVE`).
    decorative: bool,
    alt: String,
    /// The whole `![…](…)` in the file.
    range: std::ops::Range<usize>,
}

impl Written {
    /// The image, found and measured; reports what is wrong with it.
    fn check(&self, f: &SourceFile, max_ko: u64, diags: &mut Vec<Diagnostic>) -> Option<Image> {
        let at = |severity, code, msg: String, help: &str| {
            Diagnostic::at(severity, code, &f.rel, f.lines(), self.range.clone(), msg).help(help)
        };
        if self.alt.trim().is_empty() && !self.decorative {
            diags.push(at(
                Severity::Error,
                "image-sans-texte",
                "image sans texte de remplacement : un lecteur aveugle ne saura pas ce qu'elle montre".into(),
                "décrivez l'image entre les crochets : ![Carte des cinq départements](carte.png) ; une image seulement décorative s'écrit ![](frise.png \"décorative\")",
            ));
        }
        let (site, abs) = locate(&self.dest, f)
            .map_err(|(code, msg, help)| diags.push(at(Severity::Error, code, msg, help)))
            .ok()?;
        let (width, height, bytes) = measure(&abs)
            .map_err(|(msg, help)| diags.push(at(Severity::Error, "image-format", msg, help)))
            .ok()?;
        if bytes > max_ko.saturating_mul(1024) {
            diags.push(at(
                Severity::Warning,
                "image-lourde",
                format!(
                    "image trop lourde : « {} » pèse {} Ko, plus que {max_ko} Ko (images_max_ko)",
                    self.dest,
                    bytes.div_ceil(1024)
                ),
                "réduisez l'image (moins de pixels, ou en JPEG pour une photo) : elle sera longue à charger sur un téléphone",
            ));
        }
        Some(Image {
            site,
            abs,
            width,
            height,
        })
    }
}

/// Whether an image address is a file of the guide (not `https://…`,
/// `data:`…: the links stage checks those).
fn is_local(dest: &str) -> bool {
    !dest.contains(':') && !dest.starts_with('#') && !dest.is_empty()
}

/// The text of an image's alternative: the text events up to its end.
fn alt_text(after: &[Spanned]) -> String {
    let mut depth = 0usize;
    let mut alt = String::new();
    for (ev, _) in after {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Image) if depth == 0 => break,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
    }
    alt
}

/// The image's site path and file: next to the card, else in
/// `content/images/`.
fn locate(
    dest: &str,
    f: &SourceFile,
) -> Result<(String, PathBuf), (&'static str, String, &'static str)> {
    let well_named = dest
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
        && dest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if !well_named {
        return Err((
            "image-nom",
            format!("nom d'image « {dest} » : il ne marche pas dans toutes les adresses"),
            "renommez le fichier avec des lettres sans accent, des chiffres et des tirets (carte-region.png), posé à côté de la fiche ou dans content/images/",
        ));
    }
    // `content/dispositifs/poe.md`: the card's folder, then the guide's root.
    let card_dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
    let root = f
        .abs
        .ancestors()
        .nth(f.rel.split('/').count())
        .map(Path::to_path_buf);
    let candidates = [
        (
            format!("{card_dir}/{dest}"),
            f.abs.parent().map(|d| d.join(dest)),
        ),
        (
            format!("content/{FOLDER}/{dest}"),
            root.map(|r| r.join("content").join(FOLDER).join(dest)),
        ),
    ];
    for (rel, abs) in candidates {
        let Some(abs) = abs else { continue };
        // A symbolic link could lead out of the guide: only plain files.
        if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file()) {
            let inside = rel.strip_prefix("content/").unwrap_or(&rel);
            let site = match inside.strip_prefix(&format!("{FOLDER}/")) {
                Some(shared) => format!("{FOLDER}/{shared}"),
                None => format!("{FOLDER}/{inside}"),
            };
            return Ok((site, abs));
        }
    }
    Err((
        "image-absente",
        format!(
            "image introuvable : « {dest} » n'est ni à côté de la fiche ({card_dir}/) ni dans content/{FOLDER}/"
        ),
        "vérifiez le nom du fichier (majuscules, extension) et posez l'image à côté de la fiche ou dans content/images/",
    ))
}

/// Width, height and size in bytes of an accepted image, or what is wrong.
fn measure(abs: &Path) -> Result<(usize, usize, u64), (String, &'static str)> {
    let name = abs
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    if ext == "svg" {
        return Err((
            format!("image SVG refusée : « {name} » (un fichier SVG peut contenir un programme)"),
            "enregistrez l'image en PNG (par exemple avec « Exporter » de votre logiciel de dessin)",
        ));
    }
    let unsupported = || {
        (
            format!("format d'image non accepté : « {name} » (formats acceptés : {FORMATS})"),
            "enregistrez l'image en PNG ou en JPEG, avec l'extension .png ou .jpg",
        )
    };
    if !matches!(ext.as_str(), "png" | "jpg" | "jpeg" | "webp" | "gif") {
        return Err(unsupported());
    }
    let bytes = std::fs::metadata(abs).map(|m| m.len()).unwrap_or(0);
    // The contents must be what the extension says, and readable.
    let size = std::fs::File::open(abs)
        .ok()
        .map(std::io::BufReader::new)
        .and_then(|r| imagesize::reader_size(r).ok());
    match size {
        Some(s) if s.width > 0 && s.height > 0 => Ok((s.width, s.height, bytes)),
        _ => Err(unsupported()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_guide_are_local_images() {
        for (dest, local) in [
            ("carte.png", true),
            ("images/carte.png", true),
            ("https://www.agefiph.fr/carte.png", false),
            ("data:image/png;base64,AAAA", false),
            ("#haut", false),
            ("", false),
        ] {
            assert_eq!(is_local(dest), local, "{dest}");
        }
    }

    #[test]
    fn the_alternative_text_stops_at_the_image_end() {
        let events: Vec<Spanned> = vec![
            (Event::Text("Carte ".into()), 0..1),
            (Event::Start(Tag::Strong), 0..1),
            (Event::Text("du Nord".into()), 0..1),
            (Event::End(TagEnd::Strong), 0..1),
            (Event::End(TagEnd::Image), 0..1),
            (Event::Text("après".into()), 0..1),
        ];
        assert_eq!(alt_text(&events), "Carte du Nord");
    }
}
