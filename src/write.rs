//! Stage 6: write.
//!
//! Takes: finished pages and the theme's static files. Gives: the output
//! folder, replaced in one step: everything is written to a sibling temporary
//! folder, then swapped with the old one, so a failed, interrupted or
//! out-of-disk build leaves the published folder as it was. Pages are written
//! as they are rendered (the whole site is never held in memory), and files
//! whose bytes did not change are hard-linked from the previous output.
//! Refuses: to replace a non-empty folder that `fiches` did not create.

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

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

/// An output folder being written: pages go into a hidden sibling folder
/// while they are rendered, and [`Output::commit`] swaps it in. Dropping it
/// without committing removes the hidden folder and leaves `out` as it was.
///
/// A page whose bytes equal the published file is hard-linked from it
/// instead of written again: an unchanged rebuild creates no new file on
/// disk (PERFORMANCE.md item 1), and the swap stays atomic.
pub struct Output {
    out: PathBuf,
    tmp: PathBuf,
    /// The published folder to link unchanged files from, if `fiches` owns it.
    old: Option<PathBuf>,
    minify: bool,
    /// Folders already created inside `tmp`.
    dirs: Mutex<BTreeSet<PathBuf>>,
    /// The first write error; later pages are skipped.
    error: Mutex<Option<io::Error>>,
    written: AtomicUsize,
    done: bool,
}

impl Output {
    /// Creates the hidden folder next to `out` and copies the static files into it.
    pub fn begin(out: &Path, statics: &[PathBuf], minify: bool) -> io::Result<Output> {
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
        if tmp.exists() {
            fs::remove_dir_all(&tmp)?;
        }
        fs::create_dir_all(&tmp)?;
        let o = Output {
            out: out.to_path_buf(),
            old: out.join(MARKER).is_file().then(|| out.to_path_buf()),
            tmp,
            minify,
            dirs: Mutex::new(BTreeSet::new()),
            error: Mutex::new(None),
            written: AtomicUsize::new(0),
            done: false,
        };
        // The marker first: a folder left by a killed build is recognised as ours.
        o.put_bytes(
            MARKER,
            "Dossier écrit par fiches : il est remplacé à chaque construction.\n".as_bytes(),
        )?;
        for dir in statics {
            o.copy_dir(dir)?;
        }
        Ok(o)
    }

    /// Writes one page (minified if asked); may be called from many threads.
    /// The first error is kept and returned by [`Output::commit`].
    pub fn put(&self, page: Page) {
        if lock(&self.error).is_some() {
            return;
        }
        let bytes = if self.minify && page.path.ends_with(".html") {
            minify_html(&page.bytes)
        } else {
            page.bytes
        };
        match self.put_bytes(&page.path, &bytes) {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let mut err = lock(&self.error);
                if err.is_none() {
                    *err = Some(io::Error::new(e.kind(), format!("{} : {e}", page.path)));
                }
            }
        }
    }

    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.tmp.join(rel);
        if let Some(dir) = dest.parent() {
            let mut dirs = lock(&self.dirs);
            if !dirs.contains(dir) {
                fs::create_dir_all(dir)?;
                dirs.insert(dir.to_path_buf());
            }
        }
        if let Some(old) = &self.old {
            let old = old.join(rel);
            let same = fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && fs::read(&old).is_ok_and(|b| b == bytes);
            if same && fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        fs::write(&dest, bytes)
    }

    /// Swaps the new folder in place of `out`; on error `out` is unchanged.
    /// Returns the number of pages written.
    pub fn commit(mut self) -> io::Result<usize> {
        self.done = true;
        let result = match lock(&self.error).take() {
            Some(e) => Err(e),
            None => swap(&self.tmp, &self.out).map(|()| self.written.load(Ordering::Relaxed)),
        };
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        result
    }

    fn copy_dir(&self, from: &Path) -> io::Result<()> {
        for e in walkdir::WalkDir::new(from).sort_by_file_name() {
            let e = e.map_err(io::Error::other)?;
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(from).map_err(io::Error::other)?;
                let rel = crate::load::rel_path(Path::new(""), rel);
                self.put_bytes(&rel, &fs::read(e.path())?)?;
            }
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes every page and static file into a fresh folder, then swaps it in.
pub fn write(out: &Path, pages: &[Page], statics: &[PathBuf], minify: bool) -> io::Result<()> {
    let o = Output::begin(out, statics, minify)?;
    pages.par_iter().for_each(|p| {
        o.put(Page {
            path: p.path.clone(),
            bytes: p.bytes.clone(),
        })
    });
    o.commit().map(|_| ())
}

/// Minifies one HTML page with minify-html, keeping it valid HTML for every
/// browser (closing tags and the html/head opening tags stay).
pub fn minify_html(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    minify_html::minify(html, &cfg)
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

#[cfg(test)]
mod tests {
    use super::*;
}
