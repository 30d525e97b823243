//! Stage 1: load.
//!
//! Takes: the site root. Gives: every `content/**/*.md` as a `SourceFile`,
//! sorted by path. Reports: unreadable files, files that are not UTF-8, and
//! (as a warning) a card that is a symbolic link, which is never followed:
//! a link could bring in a file from outside `content/`.

use std::path::Path;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, LineIndex};
use crate::model::SourceFile;

/// Reads every card file under `content/`, sorted by path.
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::file(
                "contenu-absent",
                "content",
                "le dossier content/ est introuvable",
            )
            .help(
                "créez content/ à la racine du guide, ou indiquez le dossier du guide avec --root",
            ),
        );
        return Vec::new();
    }
    let mut paths = Vec::new();
    for e in WalkDir::new(&content).sort_by_file_name() {
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::file(
                    "lecture",
                    &rel,
                    format!("impossible de lire ce dossier ({err})"),
                ));
                continue;
            }
        };
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        if e.path_is_symlink() {
            diags.push(symlink(root, &content, e.path()));
        } else if e.file_type().is_file() {
            paths.push(e.into_path());
        }
    }
    paths.sort();
    // Only the texts are read in parallel: they lie side by side in memory,
    // and the space of each one freed by the build makes room for the
    // next body (issue 8: less memory lost between small allocations).
    #[allow(clippy::result_large_err)]
    let texts: Vec<Result<String, Diagnostic>> = {
        use rayon::prelude::*;
        paths.par_iter().map(|abs| read(root, abs)).collect()
    };
    let mut files = Vec::with_capacity(paths.len());
    for (abs, text) in paths.into_iter().zip(texts) {
        match text {
            Ok(text) => files.push(SourceFile::new(rel_path(root, &abs), abs, text)),
            Err(d) => diags.push(d),
        }
    }
    files
}

/// The warning for a card file that is a symbolic link (never read).
fn symlink(root: &Path, content: &Path, link: &Path) -> Diagnostic {
    let rel = rel_path(root, link);
    let target = std::fs::canonicalize(link).ok();
    let inside = match (&target, std::fs::canonicalize(content)) {
        (Some(t), Ok(c)) => t.starts_with(c),
        _ => false,
    };
    let (message, help) = if inside {
        (
            "cette fiche est un lien symbolique : elle n'est pas lue".to_string(),
            "remplacez le lien par le fichier lui-même, ou supprimez-le (le fichier visé est déjà lu)",
        )
    } else {
        let to = target.map_or_else(
            || "un fichier introuvable".to_string(),
            |t| t.display().to_string(),
        );
        (
            format!(
                "cette fiche est un lien symbolique vers {to}, hors de content/ : elle n'est pas lue"
            ),
            "copiez le fichier dans content/ à la place du lien",
        )
    };
    Diagnostic {
        severity: crate::diag::Severity::Warning,
        ..Diagnostic::file("lien-symbolique", &rel, message).help(help)
    }
}

/// Reads the text of one card file; a leading BOM is dropped.
// The error is a whole diagnostic, and only for a file that cannot be read.
#[allow(clippy::result_large_err)]
pub fn read(root: &Path, abs: &Path) -> Result<String, Diagnostic> {
    let rel = || rel_path(root, abs);
    let bytes = std::fs::read(abs).map_err(|e| {
        Diagnostic::file(
            "lecture",
            &rel(),
            format!("impossible de lire le fichier ({e})"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let ok = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let lines = LineIndex::new(&ok);
        Diagnostic::at(
            crate::diag::Severity::Error,
            "encodage",
            &rel(),
            &lines,
            at..at,
            "le fichier n'est pas enregistré en UTF-8",
        )
        .help("enregistrez le fichier en UTF-8 (dans l'éditeur : « Enregistrer sous », encodage UTF-8)")
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

/// Path relative to the site root with `/` separators.
pub fn rel_path(root: &Path, abs: &Path) -> String {
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
