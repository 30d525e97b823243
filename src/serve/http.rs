//! `fiches serve`, the HTTP side: one thread per connection.
//!
//! Takes: a connection and the last published `Snapshot`. Gives: the page
//! asked for (with the reload script and the errors of the last rebuild
//! injected into HTML pages), the theme's and site's static files read
//! from disk, and the long poll that tells open pages to reload.
//! Reports: nothing (a failed connection is dropped).

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::{CSP, Shared, lock};
use crate::Site;
use crate::diag::{self, Format};

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

/// Answers one HTTP request (GET or HEAD), then closes the connection.
pub(super) fn handle(stream: TcpStream, shared: &Shared) -> io::Result<()> {
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
}
