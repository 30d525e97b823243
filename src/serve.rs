//! `fiches serve`: the preview server.
//!
//! Takes: the site root and a port. Gives: the guide, built in memory and
//! served on `http://127.0.0.1:PORT/`; rebuilt when a file under `content/`,
//! the theme, `templates/`, `static/` or `guide.toml` changes, and the open
//! page reloaded. After a change to one card's text only its page, the full
//! guide and the search index are rendered again; after a change to its
//! front matter, the pages that list cards too.
//! Reports: content errors in the terminal and at the top of every served
//! page; the last good pages keep being served until the errors are fixed.
//!
//! Nothing is written to disk (`fiches build` writes `public/`). Served HTML
//! pages get one stylesheet and one script from `/__fiches/`, never inline
//! code, and are sent with the Content-Security-Policy the built site is
//! meant to run under; the built files never contain them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::diag::{self, Diagnostic, Format};
use crate::model::{Card, Page};
use crate::{Options, Site};

/// The Content-Security-Policy the built site runs under (README, "Sécurité").
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(200);
/// How long a browser's reload request waits for a new version.
const LONG_POLL: Duration = Duration::from_secs(25);

const RELOAD_JS: &str = r#"// fiches serve: reloads the page when the guide is rebuilt (preview only).
(function () {
  "use strict";
  var src = document.currentScript ? document.currentScript.src : "";
  var version = new URL(src, location.href).searchParams.get("v") || "0";
  function wait() {
    fetch("/__fiches/attendre?v=" + version, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (v.trim() !== version) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"#;

const OVERLAY_CSS: &str = ".fiches-apercu-erreurs{margin:0;padding:1rem 1.5rem;\
background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;font-size:1rem}\
.fiches-apercu-erreurs h2{margin:0 0 .5rem;font-size:1.25rem}\
.fiches-apercu-erreurs pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0 0;\
padding:.75rem;background:#fff;color:#1a1a1a;border:1px solid #b00020;font-size:.9rem}\n";

/// What the HTTP threads serve: the last good pages and the current errors.
struct Snapshot {
    /// Bumped after every rebuild, good or not: open pages reload.
    version: u64,
    pages: Arc<BTreeMap<String, Arc<[u8]>>>,
    /// The diagnostics of the last failed rebuild, as plain text.
    errors: Option<String>,
    /// `static/` of the site, then of the theme: read from disk at each request.
    statics: Vec<PathBuf>,
    /// The last good site, to make a PDF when it is asked for.
    site: Option<Arc<Site>>,
    /// The site root (the PDF templates are in its theme).
    root: PathBuf,
}

struct Shared {
    snap: Mutex<Snapshot>,
    bumped: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds the guide, serves it on `127.0.0.1:port` (0 = any free port) and
/// rebuilds on change, until the process is stopped; with `open`, opens the
/// browser on it once it is ready. Errors are usage errors.
pub fn run(opts: &Options, port: u16, open: bool) -> Result<(), String> {
    if !opts.root.join("guide.toml").is_file() {
        return Err(format!(
            "guide.toml introuvable dans {} : lancez fiches serve depuis le dossier du guide, ou indiquez-le avec --root",
            opts.root.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!(
            "impossible d'écouter sur le port {port} ({e}) : essayez --port avec un autre nombre"
        )
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;

    let mut preview = Preview::new(opts.clone());
    let outcome = preview.rebuild(true);
    let shared = Arc::new(Shared {
        snap: Mutex::new(Snapshot {
            version: 1,
            pages: Arc::new(preview.pages.clone()),
            errors: None,
            statics: preview.statics(),
            site: preview.site.clone(),
            root: opts.root.clone(),
        }),
        bumped: Condvar::new(),
    });
    publish(&shared, &preview, &outcome, None);
    println!("Aperçu du guide : http://{addr}/  (Ctrl+C pour arrêter)");
    let _ = io::stdout().flush();
    if open {
        crate::launch::open_browser(&format!("http://{addr}/"));
    }

    let http = Arc::clone(&shared);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = Arc::clone(&http);
            thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
    });

    let mut seen = watched(&preview.watch_roots());
    loop {
        thread::sleep(POLL);
        let now = watched(&preview.watch_roots());
        let changed = changes(&seen, &now);
        seen = now;
        if changed.is_empty() {
            continue;
        }
        let files: BTreeSet<String> = changed
            .iter()
            .map(|p| crate::load::rel_path(&opts.root, p))
            .collect();
        match preview.classify(&changed) {
            Change::Static => publish(&shared, &preview, &Outcome::StaticOnly, Some(&files)),
            Change::Content { full } => {
                let outcome = preview.rebuild(full);
                publish(&shared, &preview, &outcome, Some(&files));
            }
        }
    }
}

/// What a rebuild did.
enum Outcome {
    Built {
        elapsed: Duration,
        rendered: usize,
        warnings: Vec<Diagnostic>,
    },
    Failed(Vec<Diagnostic>),
    StaticOnly,
}

/// Tells the terminal and the browsers about a build. `changed` is `None`
/// for the first build (every warning is printed), else the files that
/// changed (only their warnings are printed again).
fn publish(
    shared: &Shared,
    preview: &Preview,
    outcome: &Outcome,
    changed: Option<&BTreeSet<String>>,
) {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut snap = lock(&shared.snap);
    match outcome {
        Outcome::Built {
            elapsed,
            rendered,
            warnings,
        } => {
            let shown: Vec<Diagnostic> = warnings
                .iter()
                .filter(|d| changed.is_none_or(|c| c.contains(&d.file)))
                .cloned()
                .collect();
            if !shown.is_empty() {
                eprint!("{}", diag::render(&shown, Format::Human, color));
            }
            eprintln!(
                "Guide construit en {} ms : {rendered} pages refaites.",
                elapsed.as_millis()
            );
            snap.pages = Arc::new(preview.pages.clone());
            snap.site = preview.site.clone();
            snap.errors = None;
        }
        Outcome::Failed(diags) => {
            eprint!("{}", diag::render(diags, Format::Human, color));
            if preview.pages.is_empty() {
                eprintln!("Le guide n'a pas pu être construit : corrigez les erreurs ci-dessus.");
            } else {
                eprintln!(
                    "Les pages affichées restent celles de la dernière construction réussie."
                );
            }
            snap.errors = Some(diag::render(diags, Format::Human, false));
        }
        Outcome::StaticOnly => eprintln!("Fichiers statiques modifiés : page rechargée."),
    }
    snap.statics = preview.statics();
    if changed.is_some() {
        snap.version += 1;
    }
    shared.bumped.notify_all();
}

/// What changed on disk, and how much must be rebuilt.
enum Change {
    /// Only CSS, JS or images: they are read from disk at each request.
    Static,
    /// Cards, configuration or templates; `full` when every page may change.
    Content { full: bool },
}

/// The builder: the last good site and its pages, kept between rebuilds.
struct Preview {
    opts: Options,
    site: Option<Arc<Site>>,
    pages: BTreeMap<String, Arc<[u8]>>,
    /// A full rebuild failed: the next one must be full too (templates or
    /// configuration changed since the last good site).
    full_pending: bool,
}

impl Preview {
    fn new(opts: Options) -> Preview {
        Preview {
            opts,
            site: None,
            pages: BTreeMap::new(),
            full_pending: false,
        }
    }

    fn theme_dir(&self) -> PathBuf {
        match &self.site {
            Some(s) => s.cfg.theme_dir(&self.opts.root),
            None => crate::config::load(&self.opts.root, &mut Vec::new())
                .map(|c| c.theme_dir(&self.opts.root))
                .unwrap_or_else(|| self.opts.root.join("themes/default")),
        }
    }

    fn statics(&self) -> Vec<PathBuf> {
        vec![
            self.opts.root.join("static"),
            self.theme_dir().join("static"),
        ]
    }

    fn watch_roots(&self) -> Vec<PathBuf> {
        let root = &self.opts.root;
        let mut v = vec![
            root.join("guide.toml"),
            root.join("content"),
            root.join("templates"),
            root.join("static"),
        ];
        let theme = self.theme_dir();
        if !theme.starts_with(root.join("content")) {
            v.push(theme);
        }
        v
    }

    fn classify(&self, changed: &BTreeSet<PathBuf>) -> Change {
        let statics = self.statics();
        if changed
            .iter()
            .all(|p| statics.iter().any(|s| p.starts_with(s)))
        {
            return Change::Static;
        }
        let content = self.opts.root.join("content");
        let full = changed.iter().any(|p| {
            let is_card = p.starts_with(&content) && p.extension().is_some_and(|e| e == "md");
            let is_static = statics.iter().any(|s| p.starts_with(s));
            !is_card && !is_static
        });
        Change::Content { full }
    }

    /// Prepares the whole guide again (cheap), then renders only what the
    /// change can affect, unless `full`.
    fn rebuild(&mut self, full: bool) -> Outcome {
        let full = full || self.full_pending;
        self.full_pending = full;
        let start = Instant::now();
        let mut diags = Vec::new();
        // Templates are parsed again only when something else than cards changed.
        let templates = match (&self.site, full) {
            (Some(old), false) => Some(Arc::clone(&old.tera)),
            _ => None,
        };
        let Some(site) = crate::prepare_reusing(&self.opts, templates, &mut diags) else {
            diag::sort(&mut diags);
            return Outcome::Failed(diags);
        };
        let only = match (&self.site, full) {
            (Some(old), false) => affected(old, &site),
            _ => None,
        };
        let rendered = Mutex::new(Vec::new());
        if !diags.iter().any(Diagnostic::is_error) {
            let pdfs = match site.cfg.pdf {
                true => crate::pdf::Offer::Asked,
                false => crate::pdf::Offer::None,
            };
            crate::render_pages_with(
                &site,
                only.as_ref(),
                pdfs,
                &|p: Page| lock(&rendered).push(p),
                &mut diags,
            );
        }
        diag::sort(&mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Outcome::Failed(diags);
        }
        let rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        let count = rendered.len();
        if only.is_none() {
            self.pages.clear();
        }
        for p in rendered {
            self.pages.insert(p.path, Arc::from(p.bytes));
        }
        self.site = Some(Arc::new(site));
        self.full_pending = false;
        Outcome::Built {
            elapsed: start.elapsed(),
            rendered: count,
            warnings: diags,
        }
    }
}

/// What must be rendered again after a change from `old` to `new`: the
/// cards whose page changed (indexes into `new.cards`), and whether the
/// pages that list cards may change (a front matter changed, or a body shown
/// on another page); `None` when every page may change: configuration, a
/// card added, removed or changing kind, a glossary term. The full guide and
/// the search index are always made again (see `render_pages`).
fn affected(old: &Site, new: &Site) -> Option<crate::Changed> {
    let cfg = |s: &Site| serde_json::to_string(&s.cfg).unwrap_or_default();
    if cfg(old) != cfg(new) || old.cards.len() != new.cards.len() {
        return None;
    }
    let key = |c: &Card| (c.is_term(), c.slug.clone());
    let before: BTreeMap<(bool, String), &Card> = old.cards.iter().map(|c| (key(c), c)).collect();
    let mut cards = BTreeSet::new();
    let mut listed_changed = BTreeSet::new();
    let mut lists = false;
    for (i, c) in new.cards.iter().enumerate() {
        let o = before.get(&key(c))?;
        if new.files[c.file].text == old.files[o.file].text {
            continue;
        }
        // A term is wrapped in every card that uses it; a kind changes URLs.
        if c.is_term() || c.fm.kind != o.fm.kind {
            return None;
        }
        cards.insert(i);
        let fm = |c: &Card| serde_json::to_string(&c.fm).unwrap_or_default();
        if fm(c) != fm(o) {
            listed_changed.insert(c.slug.as_str());
        }
        // Bodies shown on other pages: the home page's, the contacts'.
        if !c.has_page() || c.slug == "accueil" {
            lists = true;
        }
    }
    // Cards that show a changed card's title or summary in "Voir aussi".
    for (i, c) in new.cards.iter().enumerate() {
        let cites =
            c.fm.related
                .iter()
                .chain(&c.fm.compensation)
                .chain(&c.fm.fiche)
                .any(|s| listed_changed.contains(s.as_str()));
        if cites {
            cards.insert(i);
        }
    }
    Some(crate::Changed {
        cards,
        lists: lists || !listed_changed.is_empty(),
    })
}

/// Size and modification time of every file under the watched paths.
fn watched(roots: &[PathBuf]) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    for r in roots {
        for e in walkdir::WalkDir::new(r).into_iter().flatten() {
            if let Ok(m) = e.metadata()
                && m.is_file()
            {
                out.insert(e.into_path(), (m.len(), m.modified().ok()));
            }
        }
    }
    out
}

fn changes<V: PartialEq>(a: &BTreeMap<PathBuf, V>, b: &BTreeMap<PathBuf, V>) -> BTreeSet<PathBuf> {
    let mut out: BTreeSet<PathBuf> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    out
}

/// Answers one HTTP request (GET or HEAD), then closes the connection.
fn handle(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Skip the headers: nothing in them changes the answer.
    let mut header = String::new();
    let mut total = 0;
    loop {
        header.clear();
        let n = reader.read_line(&mut header)?;
        total += n;
        if n == 0 || header == "\r\n" || header == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            405,
            "text/plain; charset=utf-8",
            b"GET seulement\n",
            true,
        );
    }
    let head_only = method == "HEAD";
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = percent_decode(path.split('#').next().unwrap_or(""));
    match path.as_str() {
        "/__fiches/apercu.js" => respond(
            &mut out,
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            head_only,
        ),
        "/__fiches/apercu.css" => respond(
            &mut out,
            200,
            "text/css; charset=utf-8",
            OVERLAY_CSS.as_bytes(),
            head_only,
        ),
        "/__fiches/attendre" => {
            let since: u64 = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let snap = lock(&shared.snap);
            let (snap, _) = shared
                .bumped
                .wait_timeout_while(snap, LONG_POLL, |s| s.version == since)
                .unwrap_or_else(|e| e.into_inner());
            let body = format!("{}\n", snap.version);
            drop(snap);
            respond(
                &mut out,
                200,
                "text/plain; charset=utf-8",
                body.as_bytes(),
                head_only,
            )
        }
        "/__fiches/erreurs" => {
            let body = lock(&shared.snap).errors.clone().unwrap_or_default();
            respond(
                &mut out,
                200,
                "text/plain; charset=utf-8",
                body.as_bytes(),
                head_only,
            )
        }
        _ => {
            let (status, ctype, body) = lookup(shared, &path);
            respond(&mut out, status, ctype, &body, head_only)
        }
    }
}

/// Finds a page or static file; HTML pages get the preview's additions.
fn lookup(shared: &Shared, path: &str) -> (u16, &'static str, Vec<u8>) {
    let (version, pages, errors, statics, site, root) = {
        let s = lock(&shared.snap);
        (
            s.version,
            Arc::clone(&s.pages),
            s.errors.clone(),
            s.statics.clone(),
            s.site.clone(),
            s.root.clone(),
        )
    };
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let safe = !rel
        .split('/')
        .any(|c| c == ".." || c == "." || c.is_empty() || c.contains('\\') || c.contains('\0'));
    let html = |bytes: &[u8], status| {
        (
            status,
            "text/html; charset=utf-8",
            inject(bytes, version, errors.as_deref()),
        )
    };
    if safe {
        if let Some(bytes) = pages.get(&rel) {
            return match content_type(&rel) {
                t if t.starts_with("text/html") => html(bytes, 200),
                t => (200, t, bytes.to_vec()),
            };
        }
        if let Some(bytes) = site.as_deref().and_then(|s| asked_pdf(s, &root, &rel)) {
            return (200, "application/pdf", bytes);
        }
        for dir in &statics {
            let file = dir.join(&rel);
            if file.is_file()
                && let Ok(bytes) = std::fs::read(&file)
            {
                return (200, content_type(&rel), bytes);
            }
        }
    }
    match pages.get("404.html") {
        Some(bytes) => html(bytes, 404),
        None if pages.is_empty() => html(NOT_BUILT.as_bytes(), 500),
        None => (
            404,
            "text/plain; charset=utf-8",
            b"Page introuvable\n".to_vec(),
        ),
    }
}

/// The PDF at site path `rel`, made now (issue 16: `serve` makes a PDF only
/// when it is asked for); its problems are printed in the terminal.
fn asked_pdf(site: &Site, root: &Path, rel: &str) -> Option<Vec<u8>> {
    if !site.cfg.pdf || !rel.starts_with("pdf/") {
        return None;
    }
    let pdfs = crate::pdf::Pdfs::new(
        root,
        crate::pdf::Guide {
            cfg: &site.cfg,
            cards: &site.cards,
            files: &site.files,
            index: &site.index,
        },
    );
    let made = if rel == crate::pdf::GUIDE_PATH {
        pdfs.guide()
    } else {
        let card = site
            .cards
            .iter()
            .find(|c| crate::pdf::is_fiche(c) && crate::pdf::path_of(c) == rel)?;
        pdfs.fiche(card)
    };
    match made {
        Ok(m) => Some(m.bytes),
        Err(d) => {
            eprint!("{}", diag::render(&[d], Format::Human, false));
            None
        }
    }
}

const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
<title>Guide non construit — fiches serve</title></head><body><main>\
<h1>Le guide n'a pas encore pu être construit</h1>\
<p>Corrigez les erreurs : la page se mettra à jour toute seule.</p></main></body></html>\n";

/// Adds the reload script, its stylesheet and, if the last rebuild failed,
/// the list of errors at the top of the page.
fn inject(page: &[u8], version: u64, errors: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let tags = format!(
        "<link rel=\"stylesheet\" href=\"/__fiches/apercu.css\"><script src=\"/__fiches/apercu.js?v={version}\" defer></script>"
    );
    let mut out = match text.find("</head>") {
        Some(at) => format!("{}{tags}{}", &text[..at], &text[at..]),
        None => format!("{tags}{text}"),
    };
    if let Some(errors) = errors {
        let overlay = format!(
            "<section class=\"fiches-apercu-erreurs\" role=\"alert\" aria-labelledby=\"fiches-apercu-titre\">\
<h2 id=\"fiches-apercu-titre\">Le guide contient des erreurs : cette page n'est pas à jour</h2>\
<p>Corrigez les fiches ci-dessous. La page affichée vient de la dernière construction réussie ; elle se mettra à jour toute seule.</p>\
<pre>{}</pre></section>",
            crate::model::escape_html(errors)
        );
        let at = out
            .find("<body")
            .and_then(|b| out[b..].find('>').map(|e| b + e + 1))
            .unwrap_or(0);
        out.insert_str(at, &overlay);
    }
    out.into_bytes()
}

fn respond(
    out: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };
    let csp = if ctype.starts_with("text/html") {
        format!("Content-Security-Policy: {CSP}\r\n")
    } else {
        String::new()
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{csp}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes of a request path (UTF-8; invalid escapes kept).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decode_keeps_invalid_escapes() {
        for (input, want) in [
            ("/fiches/poe.html", "/fiches/poe.html"),
            ("/a%20b", "/a b"),
            ("/%C3%A9t%C3%A9", "/été"),
            ("/100%", "/100%"),
            ("/%zz", "/%zz"),
            ("/%4", "/%4"),
        ] {
            assert_eq!(percent_decode(input), want, "{input}");
        }
    }

    #[test]
    fn inject_adds_the_reload_script_and_the_errors_after_body() {
        let page =
            b"<html><head><title>x</title></head><body class=\"a\"><main>x</main></body></html>";
        let out = String::from_utf8(inject(page, 7, Some("erreur <b>"))).unwrap();
        assert!(out.contains("<script src=\"/__fiches/apercu.js?v=7\" defer></script></head>"));
        assert!(out.contains("<body class=\"a\"><section class=\"fiches-apercu-erreurs\""));
        assert!(out.contains("<pre>erreur &lt;b&gt;</pre>"));
        let clean = String::from_utf8(inject(page, 1, None)).unwrap();
        assert!(!clean.contains("fiches-apercu-erreurs"));
    }

    #[test]
    fn changes_lists_added_removed_and_modified_files() {
        let a: BTreeMap<PathBuf, u8> = [("a".into(), 1), ("b".into(), 1)].into();
        let b: BTreeMap<PathBuf, u8> = [("b".into(), 2), ("c".into(), 1)].into();
        let got: Vec<PathBuf> = changes(&a, &b).into_iter().collect();
        assert_eq!(got, vec![PathBuf::from("a"), "b".into(), "c".into()]);
    }
}
