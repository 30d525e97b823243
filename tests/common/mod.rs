//! Helpers shared by the integration tests: the real `fiches` binary, the
//! fixtures under `tests/fixtures/`, temporary copies, output trees, and a
//! link checker that follows every internal `href`/`src` of a built site.
//!
//! Each test file uses a part of this module: `#![allow(dead_code)]` keeps
//! the others quiet. Add helpers here when more than one test file needs them.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// The repository root (where `Cargo.toml` is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder: `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(name)
}

/// What one run of the binary did. `stdout` and `stderr` have the folder the
/// run was given replaced with `[ROOT]`, so messages can be compared as text.
#[derive(Debug)]
pub struct Run {
    /// Exit code; -1 when the process was killed by a signal.
    pub code: i32,
    /// Standard output (reports in `--format json|github`, `new`'s file name).
    pub stdout: String,
    /// Standard error (human diagnostics and summaries).
    pub stderr: String,
}

impl Run {
    /// Panics with both outputs unless the exit code is `want`.
    pub fn expect(&self, want: i32) -> &Self {
        assert_eq!(
            self.code, want,
            "exit code {} (wanted {want})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Runs `fiches` with `args` in `dir`. Whatever the outcome, the binary must
/// never panic nor print a backtrace.
pub fn fiches<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_fiches"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the fiches binary runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: normalize(&String::from_utf8_lossy(&out.stdout), dir),
        stderr: normalize(&String::from_utf8_lossy(&out.stderr), dir),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "fiches panicked:\n{}",
        run.stderr
    );
    run
}

/// `text` with every spelling of `dir` (as given and canonical) replaced by `[ROOT]`.
pub fn normalize(text: &str, dir: &Path) -> String {
    let mut spellings = vec![dir.display().to_string()];
    if let Ok(c) = dir.canonicalize() {
        spellings.push(c.display().to_string());
    }
    spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for s in spellings.iter().filter(|s| !s.is_empty()) {
        out = out.replace(s.as_str(), "[ROOT]");
    }
    out
}

/// A copy of a fixture in a temporary folder, removed when dropped.
pub struct Site {
    /// Keeps the temporary folder alive.
    pub tmp: tempfile::TempDir,
    /// The copied site root (holds `guide.toml` and `content/`).
    pub root: PathBuf,
}

impl Site {
    /// Path of a file of the copy, from a `/`-separated relative path.
    pub fn path(&self, rel: &str) -> PathBuf {
        rel.split('/').fold(self.root.clone(), |p, c| p.join(c))
    }

    /// Runs `fiches` in the copy's root.
    pub fn fiches<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        fiches(&self.root, args)
    }
}

/// Copies `tests/fixtures/<name>` into a fresh temporary folder. A relative
/// `theme = "…"` of its `guide.toml` is rewritten to the absolute theme folder,
/// so the copy still uses the repository's theme.
pub fn copy_fixture(name: &str) -> Site {
    let from = fixture(name);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().join(name);
    copy_tree(&from, &root);
    let guide = root.join("guide.toml");
    if let Ok(text) = std::fs::read_to_string(&guide) {
        std::fs::write(&guide, absolute_theme(&text, &from)).expect("guide.toml rewritten");
    }
    Site { tmp, root }
}

/// `guide.toml` text with a relative `theme` made absolute against `base`.
fn absolute_theme(text: &str, base: &Path) -> String {
    let table: toml::Table = toml::from_str(text).expect("the fixture's guide.toml is valid TOML");
    let Some(theme) = table.get("theme").and_then(|v| v.as_str()) else {
        return text.to_string();
    };
    if Path::new(theme).is_absolute() {
        return text.to_string();
    }
    let abs = base
        .join(theme)
        .canonicalize()
        .expect("the fixture's theme folder exists");
    let abs = abs.display().to_string();
    assert!(!abs.contains('\''), "theme path with a quote: {abs}");
    text.lines()
        .map(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            if key == "theme" {
                format!("theme = '{abs}'")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Copies a folder recursively (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("fixture readable");
        let rel = e.path().strip_prefix(from).expect("inside the fixture");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("folder created");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).expect("file copied");
        }
    }
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.expect("tree readable");
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).expect("file readable");
            out.insert(rel(dir, e.path()), bytes);
        }
    }
    out
}

/// `/`-separated path of `path` relative to `dir`.
pub fn rel(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Names (relative paths) that differ between two trees, with why.
pub fn tree_diff(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => out.push(format!("{k}: disappeared")),
            Some(w) if w != v => out.push(format!("{k}: changed")),
            Some(_) => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("{k}: appeared"));
    }
    out
}

/// The first line where two texts differ, for a readable failure message.
pub fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            let (a, b) = (a.unwrap_or(&"<end of file>"), b.unwrap_or(&"<end of file>"));
            // Long lines (minified pages, scripts) are shown around the first difference.
            let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let clip = |s: &str| -> String {
                let from = at.saturating_sub(60);
                let part: String = s.chars().skip(from).take(160).collect();
                let more = s.chars().count() > from + 160;
                format!(
                    "{}{part}{}",
                    if from > 0 { "…" } else { "" },
                    if more { "…" } else { "" }
                )
            };
            return format!(
                "line {}, column {}:\n  expected: {}\n  got:      {}",
                i + 1,
                at + 1,
                clip(a),
                clip(b)
            );
        }
    }
    "same lines, different bytes (line endings or final newline)".into()
}

/// What an HTML page links to, and the ids it defines.
#[derive(Debug, Default)]
pub struct HtmlRefs {
    /// `(tag, attribute, value)` of every `href`, `src`, `srcset` URL, `action`, `poster`, `data`.
    pub refs: Vec<(String, String, String)>,
    /// Every `id` (and `name` of `<a>`), in page order, duplicates kept.
    pub ids: Vec<String>,
    /// `rel` of `<link>` elements, by their `href`.
    pub link_rels: BTreeMap<String, String>,
}

/// Tokenizes an HTML page (WHATWG tokenizer) and collects its references and ids.
pub fn html_refs(html: &str) -> HtmlRefs {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = HtmlRefs::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |a: &str| {
            tag.attributes
                .get(a.as_bytes())
                .map(|v| String::from_utf8_lossy(v).into_owned())
        };
        for a in ["href", "src", "action", "poster", "data"] {
            if let Some(v) = attr(a) {
                if name == "link" {
                    out.link_rels
                        .insert(v.clone(), attr("rel").unwrap_or_default().to_lowercase());
                }
                out.refs.push((name.clone(), a.to_string(), v));
            }
        }
        if let Some(set) = attr("srcset") {
            for candidate in set.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    out.refs
                        .push((name.clone(), "srcset".into(), url.to_string()));
                }
            }
        }
        if let Some(id) = attr("id") {
            out.ids.push(id);
        }
        if name == "a"
            && let Some(n) = attr("name")
        {
            out.ids.push(n);
        }
    }
    out
}

/// Decodes `%XX` escapes (UTF-8); invalid escapes stay as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The outcome of following every internal link of a built site.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// HTML pages read.
    pub pages: usize,
    /// Internal references followed to a file.
    pub followed: usize,
    /// Of those, references whose `#fragment` was checked against the target's ids.
    pub fragments: usize,
    /// Everything wrong, one line each: `page: <tag attr="value">: why`.
    pub problems: Vec<String>,
}

/// Follows every `href`/`src` of every HTML page under `out`: an internal
/// reference must be relative, stay inside `out`, name a file (not a folder)
/// that exists, and its `#fragment` must be an id of the target page.
/// Resources the page loads by itself (scripts, images, stylesheets, forms)
/// must be internal: the site makes no external request.
pub fn check_links(out: &Path) -> LinkReport {
    let files = tree(out);
    let mut parsed: BTreeMap<String, HtmlRefs> = BTreeMap::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        parsed.insert(path.clone(), html_refs(&String::from_utf8_lossy(bytes)));
    }
    let ids: BTreeMap<&str, BTreeSet<&str>> = parsed
        .iter()
        .map(|(p, r)| (p.as_str(), r.ids.iter().map(String::as_str).collect()))
        .collect();
    let mut report = LinkReport {
        pages: parsed.len(),
        ..LinkReport::default()
    };
    for (page, refs) in &parsed {
        for (tag, attr, value) in &refs.refs {
            let what = format!("{page}: <{tag} {attr}=\"{value}\">");
            let v = value.trim();
            let scheme = v
                .split_once(':')
                .map(|(s, _)| s)
                .filter(|s| {
                    !s.is_empty()
                        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                })
                .map(str::to_ascii_lowercase);
            let loads = attr != "href"
                || (tag == "link"
                    && refs.link_rels.get(value).is_some_and(|r| {
                        r.split_whitespace().any(|r| {
                            matches!(
                                r,
                                "stylesheet" | "icon" | "preload" | "modulepreload" | "manifest"
                            )
                        })
                    }));
            if v.is_empty() {
                report.problems.push(format!("{what}: empty address"));
                continue;
            }
            if let Some(s) = scheme {
                let ok = match s.as_str() {
                    "http" | "https" => !loads,
                    "mailto" | "tel" => tag == "a",
                    _ => false,
                };
                if !ok {
                    report.problems.push(format!(
                        "{what}: external or unsafe address ({s}:) not allowed here"
                    ));
                }
                continue;
            }
            if v.starts_with("//") {
                report
                    .problems
                    .push(format!("{what}: protocol-relative address (external)"));
                continue;
            }
            // The 404 page of a site with a public address starts its links at
            // the site's path, on purpose (a server sends it for any folder);
            // tests/build.rs checks where they lead.
            if page == "404.html" && v.starts_with('/') && !v.starts_with("//") {
                continue;
            }
            if v.starts_with('/') || v.starts_with('\\') {
                report.problems.push(format!(
                    "{what}: absolute path: breaks in a sub-folder and from file://"
                ));
                continue;
            }
            let (before, frag) = match v.split_once('#') {
                Some((b, f)) => (b, Some(percent_decode(f))),
                None => (v, None),
            };
            let path = percent_decode(before.split('?').next().unwrap_or(""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                match resolve(page, &path) {
                    Some(t) => t,
                    None => {
                        report
                            .problems
                            .push(format!("{what}: goes outside the site folder"));
                        continue;
                    }
                }
            };
            if path.ends_with('/') || out.join(&target).is_dir() {
                report.problems.push(format!(
                    "{what}: points at a folder, which file:// does not open as a page"
                ));
                continue;
            }
            if !files.contains_key(&target) {
                report
                    .problems
                    .push(format!("{what}: {target} does not exist"));
                continue;
            }
            report.followed += 1;
            if let Some(f) = frag.filter(|f| !f.is_empty())
                && let Some(t_ids) = ids.get(target.as_str())
            {
                report.fragments += 1;
                if !t_ids.contains(f.as_str()) {
                    report
                        .problems
                        .push(format!("{what}: no id=\"{f}\" in {target}"));
                }
            }
        }
    }
    report
}

/// `page`'s folder joined with a relative `path`, normalized; `None` outside the root.
fn resolve(page: &str, path: &str) -> Option<String> {
    let mut parts: Vec<String> = page.split('/').map(String::from).collect();
    parts.pop();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Ids defined more than once in one page: a `#fragment` to them is ambiguous.
pub fn duplicate_ids(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in tree(out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let refs = html_refs(&String::from_utf8_lossy(bytes));
        let mut seen = BTreeSet::new();
        let mut dups = BTreeSet::new();
        for id in &refs.ids {
            if !seen.insert(id) {
                dups.insert(id.clone());
            }
        }
        for d in dups {
            problems.push(format!("{path}: id=\"{d}\" appears more than once"));
        }
    }
    problems
}

/// Front matter (TOML) and body of a card file, split at the `+++` lines.
pub fn split_card(text: &str) -> Option<(toml::Table, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let fm = toml::from_str(&rest[..at]).ok()?;
            return Some((fm, &rest[at + line.len()..]));
        }
        at += line.len();
    }
    None
}

/// Block elements that start a line in `one_block_a_line`.
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "header",
    "footer",
    "main",
    "nav",
    "section",
    "article",
    "aside",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "legend",
    "blockquote",
    "hr",
    "meta",
    "link",
    "title",
    "script",
    "noscript",
    "template",
    "pre",
];

/// Minified HTML with a line break before each start or end tag of a block
/// element (outside `<pre>`), so that a snapshot reads and diffs by line.
pub fn one_block_a_line(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut in_pre = false;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let block = BLOCKS.contains(&name.as_str());
        if block
            && (!in_pre || (closing && name == "pre"))
            && !out.is_empty()
            && !out.ends_with('\n')
        {
            out.push('\n');
        }
        if name == "pre" {
            in_pre = !closing;
        }
        out.push('<');
        rest = tag;
    }
    out.push_str(rest);
    out
}
