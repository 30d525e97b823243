//! `fiches serve` for real (issues 7 and 8): the binary on a free loopback
//! port, a copy of the fixture site changed on disk while it runs.
//!
//! Waits are polls with a generous deadline, never timed assertions.

mod common;

use common::{Site, copy_fixture, tree};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the preview adds to every served HTML page (and nothing else).
fn strip_preview(html: &str) -> String {
    let start = html.find("<link rel=\"stylesheet\" href=\"/__fiches/apercu.css\">");
    match start {
        Some(s) => {
            let end = html[s..]
                .find("</script>")
                .map(|e| s + e + "</script>".len());
            format!("{}{}", &html[..s], &html[end.unwrap_or(s)..])
        }
        None => html.to_string(),
    }
}

/// A running `fiches serve`, killed and waited for when dropped.
struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fiches"))
            .args([
                "--root",
                &root.display().to_string(),
                "serve",
                "--port",
                "0",
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("fiches serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr piped");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut line = String::new();
        out.read_line(&mut line).expect("the first line of stdout");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| {
                panic!(
                    "no address in {line:?}; stderr:\n{}",
                    stderr.lock().unwrap()
                )
            })
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "not loopback: {addr}");
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// `(status, headers, body)` of a GET request.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("a response");
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").expect("head and body");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("a status code");
        (status, head.to_string(), body.to_string())
    }

    fn page(&self, path: &str) -> String {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        body
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Polls `cond` until it holds (deadline: 30 s, for slow CI machines).
    fn wait_for(&self, what: &str, mut cond: impl FnMut(&Server) -> bool) {
        let start = Instant::now();
        while !cond(self) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "gave up waiting for: {what}\n--- stderr\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// How many pages each build so far rendered, from the terminal lines.
    fn rendered_counts(&self) -> Vec<usize> {
        self.stderr()
            .lines()
            .filter_map(|l| l.split(" : ").nth(1)?.strip_suffix(" pages refaites."))
            .filter_map(|n| n.parse().ok())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).expect("card readable");
    std::fs::write(path, f(text)).expect("card written");
}

#[test]
fn serve_rebuilds_a_changed_card_and_keeps_the_last_good_pages_on_error() {
    let site = copy_fixture("site");
    let server = Server::start(&site.root);

    let (status, head, poe) = server.get("/fiches/poe.html");
    assert_eq!(status, 200);
    assert!(poe.contains("Préparation opérationnelle"));
    assert!(poe.contains("<script src=\"/__fiches/apercu.js?v=1\" defer></script>"));
    assert!(
        head.contains("Content-Security-Policy: default-src 'none'; script-src 'self'"),
        "{head}"
    );
    assert!(server.page("/").contains("<h1"), "the home page is served");
    assert!(
        server
            .page("/__fiches/apercu.js")
            .contains("location.reload()")
    );
    assert_eq!(server.get("/fiches/absente.html").0, 404);
    assert_eq!(server.get("/../guide.toml").0, 404);
    assert!(
        !site.path("public").exists(),
        "serve must not write public/"
    );

    // A change in one card's body: only that card's page, the full guide and
    // the search index are made again, and the served site equals a full build.
    let card = site.path("content/dispositifs/poe.md");
    edit(&card, |t| t + "\nUne phrase ajoutée pendant l'aperçu.\n");
    server.wait_for("the new sentence on the card's page", |s| {
        s.page("/fiches/poe.html")
            .contains("Une phrase ajoutée pendant")
    });
    // The open page's long poll answers with the new version: it reloads.
    let (_, _, v) = server.get("/__fiches/attendre?v=1");
    assert_ne!(v.trim(), "1");
    server.wait_for("the rebuild's line in the terminal", |s| {
        s.rendered_counts().len() >= 2
    });
    let counts = server.rendered_counts();
    assert_eq!(
        counts[1], 3,
        "a one-card body change rendered {} pages (a full build {}), want poe.html, \
         guide-complet.html and search-index.js",
        counts[1], counts[0]
    );
    assert_served_equals_build(&server, &site);

    // A new title shows on the pages that list the card and in "Voir aussi".
    edit(&card, |t| {
        t.replacen(
            "title = \"Préparation opérationnelle à l'emploi\"",
            "title = \"Préparation à l'emploi (titre changé)\"",
            1,
        )
    });
    server.wait_for("the new title on the stage listing", |s| {
        s.page("/etapes/formation.html")
            .contains("Préparation à l&#x27;emploi (titre changé)")
            || s.page("/etapes/formation.html")
                .contains("Préparation à l'emploi (titre changé)")
    });
    let cep = server.page("/fiches/cep.html");
    assert!(
        cep.contains("(titre changé)"),
        "cep.md cites poe in `related`: its page must show the new title"
    );

    // Incremental pages equal a full build of the same files.
    assert_served_equals_build(&server, &site);

    // A broken card: the error is reported, the last good page stays.
    edit(&card, |t| {
        t.replacen("stages = [\"formation\"]", "stages = [\"formations\"]", 1)
    });
    server.wait_for("the error list on the served page", |s| {
        s.page("/fiches/poe.html").contains("fiches-apercu-erreurs")
    });
    let page = server.page("/fiches/poe.html");
    assert!(page.contains("Une phrase ajoutée pendant"));
    assert!(page.contains("formations"), "the overlay names the mistake");
    let errors = server.page("/__fiches/erreurs");
    assert!(
        errors.contains("content/dispositifs/poe.md") && errors.contains("formations"),
        "{errors}"
    );
    server.wait_for("the error in the terminal", |s| {
        s.stderr().contains("formations") && s.stderr().contains("dernière construction réussie")
    });

    // Fixed again: the overlay goes away.
    edit(&card, |t| {
        t.replacen("stages = [\"formations\"]", "stages = [\"formation\"]", 1)
    });
    server.wait_for("the page without the error list", |s| {
        !s.page("/fiches/poe.html").contains("fiches-apercu-erreurs")
    });
}

/// Issue 18: the preview shows a draft's page with a banner, and nowhere
/// else: the lists, the search index and the other pages are the published
/// guide's (`assert_served_equals_build`).
#[test]
fn serve_shows_a_draft_with_its_banner_and_leaves_it_out_of_the_lists() {
    let site = copy_fixture("site");
    let server = Server::start(&site.root);
    let draft = server.page("/fiches/essai-encadre.html");
    assert!(
        draft.contains(
            "<p class=\"brouillon\"><strong>Brouillon :</strong> cette fiche n'est pas publiée</p>"
        ),
        "{draft}"
    );
    // Its link to a published card works as on a published page.
    assert!(draft.contains("href=\"../fiches/pmsmp.html\""), "{draft}");
    for listing in [
        "/index.html",
        "/etapes/emploi.html",
        "/search-index.js",
        "/guide-complet.html",
    ] {
        assert!(
            !server.page(listing).contains("essai-encadre"),
            "{listing} lists the draft"
        );
    }
    assert!(!server.page("/fiches/poe.html").contains("Brouillon"));
    assert_served_equals_build(&server, &site);
    // Published: the banner goes, the lists name it.
    edit(&site.path("content/dispositifs/essai-encadre.md"), |t| {
        t.replace("draft = true\n", "")
    });
    server.wait_for("the card in the stage's list", |s| {
        s.page("/etapes/emploi.html").contains("essai-encadre")
    });
    assert!(
        !server
            .page("/fiches/essai-encadre.html")
            .contains("Brouillon")
    );
}

#[test]
fn serve_leaves_the_site_folder_as_it_found_it() {
    // The preview builds in memory: no public/, no hidden output folder, no
    // temporary file in the site, before or after a rebuild.
    let site = copy_fixture("site");
    let before = tree(&site.root);
    let server = Server::start(&site.root);
    assert!(server.page("/fiches/poe.html").contains("POE"));
    let card = site.path("content/dispositifs/poe.md");
    edit(&card, |t| t + "\nUne phrase ajoutée.\n");
    server.wait_for("the rebuilt page", |s| {
        s.page("/fiches/poe.html").contains("Une phrase ajoutée.")
    });
    drop(server);
    let mut after = tree(&site.root);
    let edited = after
        .remove("content/dispositifs/poe.md")
        .expect("the card is still there");
    assert!(String::from_utf8_lossy(&edited).ends_with("Une phrase ajoutée.\n"));
    let mut before = before;
    before.remove("content/dispositifs/poe.md");
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "serve changed the site folder: added {added:?}, removed {removed:?}"
    );
    assert_eq!(after, before, "serve changed a file of the site");
}

#[test]
fn serve_refuses_a_folder_without_guide_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let run = common::fiches(tmp.path(), ["serve", "--port", "0"]);
    run.expect(2);
    assert!(
        run.stderr.contains("guide.toml introuvable"),
        "{}",
        run.stderr
    );
}

/// Every HTML page the server serves equals a full build of the same files.
fn assert_served_equals_build(server: &Server, site: &Site) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let built = common::fiches(&site.root, ["build", "--out", &out.display().to_string()]);
    built.expect(0);
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") && !rel.ends_with(".js") {
            continue;
        }
        let served = strip_preview(&server.page(&format!("/{rel}")));
        assert!(
            served == String::from_utf8_lossy(&bytes),
            "{rel}: the served page differs from a full build\n{}",
            common::first_difference(&String::from_utf8_lossy(&bytes), &served)
        );
    }
}

#[test]
fn serve_makes_a_fiche_pdf_only_when_it_is_asked_for() {
    let site = copy_fixture("site");
    edit(&site.path("guide.toml"), |t| {
        t.replace("pdf = false", "pdf = true")
    });
    let server = Server::start(&site.root);
    // The fixture's templates are not minified: Tera escapes `/` in values.
    let page = |p: &str| server.page(p).replace("&#x2F;", "/");
    let poe = page("/fiches/poe.html");
    assert!(
        poe.contains("href=\"../pdf/poe.pdf\"") && poe.contains("Télécharger la fiche en PDF</a>"),
        "the fiche links to its PDF, without a size it does not know yet"
    );
    let (status, head, body) = server.get("/pdf/poe.pdf");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("application/pdf"), "{head}");
    assert!(body.starts_with("%PDF-"), "not a PDF");
    assert!(page("/").contains("href=\"pdf/guide-pratique.pdf\""));
    assert_eq!(server.get("/pdf/absente.pdf").0, 404);
}
