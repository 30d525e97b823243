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
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::model::Page;

pub use crate::model::{Discard, Sink};

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
/// disk (write a file only when its bytes changed), and the swap stays atomic.
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
        let result = self.put_bytes(&page.path, &bytes);
        self.done_with(&page.path, &result);
    }

    /// Counts a written page, or keeps the first error.
    fn done_with(&self, rel: &str, result: &io::Result<()>) {
        match result {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let mut err = lock(&self.error);
                if err.is_none() {
                    *err = Some(io::Error::new(e.kind(), format!("{rel} : {e}")));
                }
            }
        }
    }

    /// The path of `rel` in the new folder, its folder created.
    fn dest(&self, rel: &str) -> io::Result<PathBuf> {
        let dest = self.tmp.join(rel);
        if let Some(dir) = dest.parent() {
            let mut dirs = lock(&self.dirs);
            if !dirs.contains(dir) {
                fs::create_dir_all(dir)?;
                dirs.insert(dir.to_path_buf());
            }
        }
        Ok(dest)
    }

    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dest(rel)?;
        if let Some(old) = &self.old {
            let old = old.join(rel);
            if same_file_bytes(&old, bytes) && fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        fs::write(&dest, bytes)
    }

    /// [`Sink::put_streamed`] into the new folder: the pieces are compared
    /// with the published file as they come, and written only from the
    /// first difference on; an unchanged page is hard-linked.
    fn put_streamed_file(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.minify && rel.ends_with(".html") {
            // minify-html needs the whole page.
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            return self.put_bytes(rel, &minify_html(&bytes));
        }
        let mut w = Streamed {
            dest: self.dest(rel)?,
            old_path: self.old.as_ref().map(|o| o.join(rel)),
            old: None,
            same: 0,
            file: None,
            buf: Vec::new(),
        };
        w.old = w.old_path.as_deref().and_then(open_regular);
        write(&mut w)?;
        w.finish()
    }
    /// Adds the offline copy of everything written so far (`offline`),
    /// dated `date`; the copy's own pages (`offline::OWN`) leave the site.
    pub fn offline_zip(&self, date: (u16, u8, u8)) -> io::Result<()> {
        if let Some(e) = lock(&self.error).take() {
            return Err(e);
        }
        let zip = crate::offline::ZIP_NAME;
        let bytes = crate::offline::zip_dir(&self.tmp, &[MARKER, zip], date)?;
        let own = self.tmp.join(crate::offline::OWN);
        if own.is_dir() {
            let n = walkdir::WalkDir::new(&own)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .count();
            fs::remove_dir_all(&own)?;
            self.written.fetch_sub(n, Ordering::Relaxed);
        }
        self.put_bytes(zip, &bytes)
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

impl Sink for Output {
    fn put(&self, page: Page) {
        Output::put(self, page)
    }

    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some(e) = lock(&self.error).as_ref() {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let result = self.put_streamed_file(path, write);
        self.done_with(path, &result);
        result
    }
}

/// Opens a regular file of the previous output (never through a symlink).
fn open_regular(path: &Path) -> Option<fs::File> {
    let f = open_no_follow(path).ok()?;
    f.metadata().ok()?.is_file().then_some(f)
}

/// Opens `path` for reading without following a final symbolic link:
/// `O_NOFOLLOW` makes the call fail on a link.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

/// Opens `path` for reading without following a final symbolic link or
/// junction: `FILE_FLAG_OPEN_REPARSE_POINT` opens the link itself, which
/// `open_regular` then refuses because it is not a regular file.
#[cfg(windows)]
fn open_no_follow(path: &Path) -> io::Result<fs::File> {
    use std::os::windows::fs::OpenOptionsExt;
    /// From the Windows SDK (winbase.h).
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

/// Elsewhere: refuses a link seen just before opening (a small window
/// remains between the two calls).
#[cfg(not(any(unix, windows)))]
fn open_no_follow(path: &Path) -> io::Result<fs::File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other("lien symbolique"));
    }
    fs::File::open(path)
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Some(mut f) = open_regular(path) else {
        return false;
    };
    if f.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
        return false;
    }
    let mut old = Vec::with_capacity(bytes.len());
    f.read_to_end(&mut old).is_ok() && old == bytes
}

/// A page written in pieces, compared with the previous output's file.
struct Streamed {
    dest: PathBuf,
    old_path: Option<PathBuf>,
    /// The previous file, read along while the pieces equal it.
    old: Option<fs::File>,
    /// How many bytes so far equal the previous file.
    same: u64,
    /// The new file, once the page differs from the previous one.
    file: Option<io::BufWriter<fs::File>>,
    buf: Vec<u8>,
}

impl Streamed {
    /// Creates the new file with the bytes that equalled the previous one.
    fn diverge(&mut self) -> io::Result<&mut io::BufWriter<fs::File>> {
        if self.file.is_none() {
            let mut file = io::BufWriter::with_capacity(1 << 16, fs::File::create(&self.dest)?);
            if self.same > 0 {
                let old = self.old_path.as_deref().and_then(open_regular);
                let copied = match old {
                    Some(old) => io::copy(&mut old.take(self.same), &mut file)?,
                    None => 0,
                };
                if copied != self.same {
                    return Err(io::Error::other(
                        "le fichier précédent a changé pendant l'écriture",
                    ));
                }
            }
            self.old = None;
            self.file = Some(file);
        }
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("no file"))
    }

    fn finish(mut self) -> io::Result<()> {
        if self.file.is_none() {
            let at_end = self
                .old
                .as_mut()
                .is_some_and(|old| old.read(&mut [0u8; 1]).is_ok_and(|n| n == 0));
            if let (true, Some(old)) = (at_end, &self.old_path)
                && fs::hard_link(old, &self.dest).is_ok()
            {
                return Ok(());
            }
            self.diverge()?;
        }
        match self.file.take() {
            Some(f) => f.into_inner().map(drop).map_err(|e| e.into_error()),
            None => Ok(()),
        }
    }
}

impl Write for Streamed {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(f) = self.file.as_mut() {
            return f.write(data);
        }
        if let Some(old) = self.old.as_mut() {
            self.buf.resize(data.len(), 0);
            let mut n = 0;
            while n < data.len() {
                match old.read(&mut self.buf[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            if n == data.len() && self.buf[..] == *data {
                self.same += n as u64;
                return Ok(data.len());
            }
        }
        self.diverge()?.write_all(data)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
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

/// Swaps two folders in one step: `renameat2(RENAME_EXCHANGE)` on Linux.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    let (ca, cb) = (c_path(a)?, c_path(b)?);
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

/// Swaps two folders in one step: `renamex_np(RENAME_SWAP)` on macOS (APFS).
#[cfg(target_vendor = "apple")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    let (ca, cb) = (c_path(a)?, c_path(b)?);
    // SAFETY: both pointers are valid NUL-terminated paths for the duration of the call.
    let rc = unsafe { libc::renamex_np(ca.as_ptr(), cb.as_ptr(), libc::RENAME_SWAP) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A path as a C string, for the system calls above.
#[cfg(any(target_os = "linux", target_vendor = "apple"))]
fn c_path(p: &Path) -> io::Result<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other)
}

/// Windows has no call that swaps two folders (`MoveFileExW` and
/// `ReplaceFileW` replace files only, never a non-empty folder): `swap`
/// then renames the old folder aside, renames the new one in (`MoveFileExW`
/// through `fs::rename`), and renames the old one back if that fails. A
/// failed build never reaches `swap`, so it leaves the folder as it was;
/// only a crash between the two renames leaves the new site in its hidden
/// folder and the old one beside it, both removed by the next build.
#[cfg(not(any(target_os = "linux", target_vendor = "apple")))]
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
