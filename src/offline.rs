//! Stage 6, the offline copy (issue 16): `guide-hors-ligne.zip`.
//!
//! Takes: the folder of a finished site, with the pages the copy has
//! instead of the site's in `OWN/` (its home page, which says it is the
//! offline copy instead of offering it: a zip cannot hold itself). Gives: a
//! zip of every file of it, under one folder `guide-hors-ligne/`, to unpack
//! on a USB key or a laptop and open from `index.html`. Deterministic:
//! entries sorted by path, one fixed date (the guide's), fixed permissions,
//! Unix attributes.
//! Reports: read errors, as `io::Error`.

use std::io::{self, Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// The zip's file name, at the root of the site.
pub const ZIP_NAME: &str = "guide-hors-ligne.zip";

/// The folder the zip unpacks into.
pub const FOLDER: &str = "guide-hors-ligne";

/// The folder of the site being written that holds the copy's own pages,
/// by their path in the copy; it is removed once the zip is made.
pub const OWN: &str = ".hors-ligne";

/// Where the copy's own home page is written (see `OWN`).
pub const HOME: &str = ".hors-ligne/index.html";

/// A zip of every file under `dir` but those named in `skip` (site paths),
/// each file of `dir/OWN/` in place of the site's file at the same path,
/// each dated `date` (year, month, day).
pub fn zip_dir(dir: &Path, skip: &[&str], date: (u16, u8, u8)) -> io::Result<Vec<u8>> {
    let mut files: Vec<(String, std::path::PathBuf)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (!skip.contains(&rel.as_str())).then(|| (rel, e.into_path()))
        })
        .collect();
    let own = format!("{OWN}/");
    let mine: Vec<(String, std::path::PathBuf)> = files
        .iter()
        .filter_map(|(rel, p)| Some((rel.strip_prefix(&own)?.to_string(), p.clone())))
        .collect();
    files.retain(|(rel, _)| !rel.starts_with(&own));
    for (rel, path) in mine {
        match files.iter_mut().find(|(r, _)| *r == rel) {
            Some(f) => f.1 = path,
            None => files.push((rel, path)),
        }
    }
    files.sort();
    let (y, m, d) = date;
    let when = DateTime::from_date_and_time(y.clamp(1980, 2107), m, d, 0, 0, 0).unwrap_or_default();
    let base = SimpleFileOptions::default()
        .system(System::Unix)
        .unix_permissions(0o644)
        .last_modified_time(when);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (rel, path) in files {
        let bytes = std::fs::read(&path)?;
        // PDFs and images are compressed already.
        let packed = [".pdf", ".png", ".jpg", ".woff2", ".zip"]
            .iter()
            .any(|e| rel.ends_with(e));
        // The fastest deflate level: the zip is made after every page, alone
        // on one thread (README, « Vitesse »).
        let options = match packed {
            true => base.compression_method(CompressionMethod::Stored),
            false => base
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(1)),
        };
        zip.start_file(format!("{FOLDER}/{rel}"), options)
            .map_err(io::Error::other)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
