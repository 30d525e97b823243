//! Stage 6: write.
//!
//! Takes: finished pages and the theme's static files. Gives: the output
//! folder, replaced in one step: everything is written to a sibling temporary
//! folder, then swapped with the old one, so a failed, interrupted or
//! out-of-disk build leaves the published folder as it was.
//! Refuses: to replace a non-empty folder that `fiches` did not create.

use rayon::prelude::*;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::Page;

/// The file `fiches` leaves in every output folder it owns.
pub const MARKER: &str = ".fiches-sortie";

/// Why the output folder cannot be used (a usage error, exit code 2).
#[derive(Debug)]
pub struct Refused(pub String);

/// Checks that `out` is absent, empty, or a folder `fiches` wrote before.
pub fn check_out(out: &Path) -> Result<(), Refused> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Refused(format!(
            "{} existe et n'est pas un dossier",
            out.display()
        )));
    }
    let empty = fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if empty || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Refused(format!(
        "le dossier {} n'est pas vide et n'a pas été créé par fiches : il ne sera pas remplacé. Choisissez un autre dossier avec --out, ou videz celui-ci",
        out.display()
    )))
}

/// Writes every page and static file into a fresh folder, then swaps it in.
pub fn write(out: &Path, pages: &[Page], statics: &[PathBuf], minify: bool) -> io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    clean_leftovers(parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = fill(&tmp, pages, statics, minify).and_then(|()| swap(&tmp, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn fill(tmp: &Path, pages: &[Page], statics: &[PathBuf], minify: bool) -> io::Result<()> {
    if tmp.exists() {
        fs::remove_dir_all(tmp)?;
    }
    fs::create_dir_all(tmp)?;
    fs::write(
        tmp.join(MARKER),
        "Dossier écrit par fiches : il est remplacé à chaque construction.\n",
    )?;
    for dir in statics {
        copy_dir(dir, tmp)?;
    }
    let mut dirs: Vec<PathBuf> = pages
        .iter()
        .filter_map(|p| Path::new(&p.path).parent().map(|d| tmp.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        fs::create_dir_all(d)?;
    }
    pages.par_iter().try_for_each(|p| {
        let bytes = if minify && p.path.ends_with(".html") {
            minify_html(&p.bytes)
        } else {
            p.bytes.clone()
        };
        fs::write(tmp.join(&p.path), bytes)
    })
}

/// Minifies one HTML page, keeping it valid HTML for every browser.
pub fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    minify_html::minify(bytes, &cfg)
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.map_err(io::Error::other)?;
        let rel = e.path().strip_prefix(from).map_err(io::Error::other)?;
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest)?;
        } else if e.file_type().is_file() {
            fs::copy(e.path(), &dest)?;
        }
    }
    Ok(())
}

/// Puts `tmp` in place of `out` in one atomic step where the system allows it.
fn swap(tmp: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(tmp, out);
    }
    if exchange(tmp, out).is_ok() {
        // `tmp` now holds the previous output.
        return fs::remove_dir_all(tmp);
    }
    let old = out.with_file_name(format!(
        ".{}.old-{}",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    fs::rename(out, &old)?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    fs::remove_dir_all(old)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both pointers are valid NUL-terminated paths for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange"))
}

/// Removes temporary folders left by a build that was killed.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let ours =
            n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-"));
        if ours && e.path().join(MARKER).is_file() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}
