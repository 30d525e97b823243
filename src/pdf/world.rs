//! What typst sees of the guide when it typesets one PDF.
//!
//! Takes: the theme's `pdf/` folder (templates `*.typ`, fonts in `fonts/`),
//! read once per build into `Theme`; then, per document, the generated main
//! source and its data. Gives: a `typst::World` with no access to the disk
//! nor the network: every file typst may read is in memory.
//! Reports: nothing; a missing template or font shows as a typst error.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};

/// The theme's PDF templates and fonts, shared by every document of a build.
pub struct Theme {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// `/name.typ` → its source, for the templates.
    sources: HashMap<FileId, Source>,
}

/// The id of a file at `path` in typst's virtual project.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/x").unwrap());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl Theme {
    /// Reads the templates and fonts of `dir` (`themes/default/pdf`); files
    /// that cannot be read are left out (typst then names what is missing).
    pub fn load(dir: &Path) -> Theme {
        let mut fonts = Vec::new();
        let mut sources = HashMap::new();
        let mut names: Vec<_> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        names.sort();
        for path in names {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            match ext {
                "ttf" | "otf" => {
                    if let Ok(bytes) = std::fs::read(&path) {
                        fonts.extend(Font::iter(Bytes::new(bytes)));
                    }
                }
                "typ" => {
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    let rel = path.strip_prefix(dir).unwrap_or(&path);
                    let id = file_id(&format!("/{}", rel.to_string_lossy()));
                    sources.insert(id, Source::new(id, text));
                }
                _ => {}
            }
        }
        Theme {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources,
        }
    }
}

/// One document: the theme, its generated main source and its data files.
pub struct World<'t> {
    theme: &'t Theme,
    main: Source,
    files: Arc<HashMap<FileId, Bytes>>,
    today: Option<Datetime>,
}

impl<'t> World<'t> {
    /// A document whose main file is `main` (typst markup), with `files`
    /// (`/data.json`...) readable from it; `today` is its fixed date.
    pub fn new(
        theme: &'t Theme,
        main: String,
        files: Vec<(&str, Vec<u8>)>,
        today: Option<Datetime>,
    ) -> Self {
        let id = file_id("/main.typ");
        World {
            theme,
            main: Source::new(id, main),
            files: Arc::new(
                files
                    .into_iter()
                    .map(|(p, b)| (file_id(p), Bytes::new(b)))
                    .collect(),
            ),
            today,
        }
    }
}

impl typst::World for World<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.theme.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.theme.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        self.theme
            .sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_with_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        match self.theme.sources.get(&id) {
            Some(s) => Ok(Bytes::from_string(s.text().to_string())),
            None => Err(FileError::NotFound(
                id.get().vpath().get_with_slash().into(),
            )),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.theme.fonts.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
