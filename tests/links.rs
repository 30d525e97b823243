//! `fiches links` (issue 17), against a local HTTP server: no Internet needed.
//!
//! The server (std only, one thread per connection, `Connection: close`)
//! answers each case of the issue on its own path and counts the requests
//! per method and path, the most requests it had at once, and the
//! `User-Agent`s. `tests/fixtures/links/` is a site whose cards cite each
//! path (written `http://serveur.test`, replaced here by the server's port;
//! `http://refuse.test` by a port where nobody listens). The tests check
//! every report's place, level and new address, the requests made, the
//! cache, `--fix` byte for byte, the run's deadline and the three formats.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{Run, fiches};

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// "HEAD /ok" → number of requests.
    requests: Mutex<BTreeMap<String, usize>>,
    now: AtomicUsize,
    most: AtomicUsize,
    agents: Mutex<Vec<String>>,
}

struct Server {
    port: u16,
    seen: Arc<Seen>,
}

impl Server {
    /// Starts a server; `/muet` holds each request `hold`, then never answers.
    fn start(hold: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Seen::default());
        let shared = seen.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = shared.clone();
                thread::spawn(move || answer(stream, &seen, hold));
            }
        });
        Server { port, seen }
    }

    /// Requests per "METHOD /path", for the paths that got any.
    fn requests(&self) -> BTreeMap<String, usize> {
        self.seen.requests.lock().unwrap().clone()
    }
}

fn answer(stream: TcpStream, seen: &Seen, hold: Duration) {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && line.trim() != "" {
        if let Some(ua) = line
            .strip_prefix("user-agent: ")
            .or(line.strip_prefix("User-Agent: "))
        {
            seen.agents.lock().unwrap().push(ua.trim().to_string());
        }
        line.clear();
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let before = {
        let mut r = seen.requests.lock().unwrap();
        let n = r.entry(format!("{method} {path}")).or_default();
        *n += 1;
        r.iter()
            .filter(|(k, _)| k.ends_with(&format!(" {path}")))
            .map(|(_, n)| n)
            .sum::<usize>()
            - 1
    };
    let at_once = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most.fetch_max(at_once, Ordering::SeqCst);
    if path == "/muet" {
        // Counted as in flight while the client waits, then silent until it gives up.
        thread::sleep(hold);
        seen.now.fetch_sub(1, Ordering::SeqCst);
        thread::sleep(Duration::from_secs(20));
        return;
    }
    let (status, location, extra) = match (method, path) {
        (_, "/" | "/ok" | "/nouvelle" | "/nouvelle-308" | "/chaine-3") => (200, "", ""),
        ("HEAD", "/head-refuse") => (405, "", ""),
        ("GET", "/head-refuse") => (200, "", ""),
        (_, "/ancienne") => (301, "/nouvelle", ""),
        (_, "/permanent-308") => (308, "nouvelle-308", ""),
        (_, "/chaine-1") => (302, "/chaine-2", ""),
        (_, "/chaine-2") => (302, "chaine-3", ""),
        (_, "/introuvable") => (404, "", ""),
        (_, "/supprimee") => (410, "", ""),
        (_, "/occupe") if before == 0 => (429, "", "Retry-After: 1\r\n"),
        (_, "/occupe") => (200, "", ""),
        (_, "/panne") => (500, "", ""),
        (_, "/boucle-a") => (302, "/boucle-b", ""),
        (_, "/boucle-b") => (302, "/boucle-a", ""),
        (_, "/page-disparue") => (301, "/", ""),
        _ => (404, "", ""),
    };
    // Long enough for requests to overlap if the client let them.
    thread::sleep(Duration::from_millis(40));
    let location = if location.is_empty() {
        String::new()
    } else {
        format!("Location: {location}\r\n")
    };
    // Counted out before answering: the client may send its next request
    // as soon as it reads this one.
    seen.now.fetch_sub(1, Ordering::SeqCst);
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\n{location}{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A port where nobody listens.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A copy of `tests/fixtures/links` whose addresses point at `server`.
fn site(server: &Server) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let refused = closed_port();
    let from = common::fixture("links");
    for (rel, bytes) in common::tree(&from) {
        let text = String::from_utf8(bytes).unwrap();
        let text = text
            .replace(
                "http://serveur.test",
                &format!("http://127.0.0.1:{}", server.port),
            )
            .replace("http://refuse.test", &format!("http://127.0.0.1:{refused}"));
        let to = dir.path().join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    dir
}

/// `fiches links` with short limits, as the tests need them.
fn links(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["links", "--timeout", "1", "--retries", "1"];
    args.extend_from_slice(extra);
    fiches(root, args)
}

/// `file:line:col level[code]` of each diagnostic of a human report.
fn places(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(": erreur[") || l.contains(": avertissement["))
        .map(|l| {
            let (place, rest) = l.split_once(": ").unwrap();
            let level = rest.split(']').next().unwrap();
            format!("{place} {level}]")
        })
        .collect()
}

const ALPHA: &str = "content/dispositifs/alpha.md";
const BETA: &str = "content/dispositifs/beta.md";
const GAMMA: &str = "content/outils/gamma.md";

#[test]
fn every_problem_is_reported_where_it_is_written_and_each_address_checked_once() {
    let server = Server::start(Duration::from_millis(900));
    let dir = site(&server);
    let run = links(dir.path(), &[]);
    run.expect(1);
    assert_eq!(
        places(&run.stderr),
        [
            format!("{ALPHA}:15:8 avertissement[adresse-changee]"),
            format!("{ALPHA}:19:8 erreur[lien-mort]"),
            format!("{ALPHA}:22:25 avertissement[adresse-changee]"),
            format!("{ALPHA}:24:23 erreur[lien-mort]"),
            format!("{ALPHA}:28:21 erreur[adresse-mail]"),
            format!("{BETA}:11:8 avertissement[adresse-changee]"),
            format!("{BETA}:15:8 avertissement[lien-indisponible]"),
            format!("{BETA}:19:8 erreur[lien-injoignable]"),
            format!("{BETA}:26:44 avertissement[adresse-changee]"),
            format!("{GAMMA}:9:26 erreur[boucle-redirection]"),
            format!("{GAMMA}:10:45 avertissement[page-supprimee]"),
            format!("{GAMMA}:11:33 erreur[lien-injoignable]"),
            format!("{GAMMA}:12:39 erreur[lien-mort]"),
            "guide.toml:5:13 erreur[lien-mort]".to_string(),
        ],
        "{}",
        run.stderr
    );
    let base = format!("http://127.0.0.1:{}", server.port);
    // The quoted line, the new address of the moved ones, what to do.
    for want in [
        format!("15 | url = \"{base}/ancienne\"\n   |        ^^^^^"),
        format!("= aide : remplacez-la par {base}/nouvelle (la commande fiches links --fix"),
        format!("= aide : remplacez-la par {base}/nouvelle-308 "),
        format!("l'adresse {base}/page-disparue renvoie vers la page d'accueil du site ({base}/)"),
        "ne répond pas : pas de réponse en 1 s, après 2 essais".to_string(),
        "refuse la connexion, après 2 essais".to_string(),
        "(réponse 500, après 2 essais)".to_string(),
        format!("l'adresse {base}/supprimee ne mène plus à une page (page supprimée, 410)"),
        "8 erreurs, 6 avertissements.".to_string(),
        "13 adresses web (20 endroits) : 13 vérifiées, 0 gardées en cache".to_string(),
    ] {
        assert!(
            run.stderr.contains(&want),
            "missing {want:?} in\n{}",
            run.stderr
        );
    }
    // Each address once, however many cards cite it: HEAD, GET when HEAD
    // fails, one retry for 429 (after its Retry-After) and for the timeout.
    let want: BTreeMap<String, usize> = [
        ("HEAD /", 1),
        ("HEAD /ok", 1),
        ("HEAD /head-refuse", 1),
        ("GET /head-refuse", 1),
        ("HEAD /ancienne", 1),
        ("HEAD /nouvelle", 1),
        ("HEAD /permanent-308", 1),
        ("HEAD /nouvelle-308", 1),
        ("HEAD /chaine-1", 1),
        ("HEAD /chaine-2", 1),
        ("HEAD /chaine-3", 1),
        ("HEAD /introuvable", 1),
        ("GET /introuvable", 1),
        ("HEAD /supprimee", 1),
        ("GET /supprimee", 1),
        ("HEAD /occupe", 2),
        ("HEAD /panne", 1),
        ("GET /panne", 1),
        ("HEAD /boucle-a", 1),
        ("HEAD /boucle-b", 1),
        ("HEAD /page-disparue", 1),
        ("HEAD /muet", 2),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(server.requests(), want);
    let most = server.seen.most.load(Ordering::SeqCst);
    assert!(most <= 2, "{most} requests at once to one host");
    let agents = server.seen.agents.lock().unwrap();
    assert!(
        agents.iter().all(|a| a.starts_with("fiches-liens/")),
        "{agents:?}"
    );
}

#[test]
fn the_cache_skips_fresh_answers_and_checks_again_what_failed() {
    let server = Server::start(Duration::from_millis(900));
    let dir = site(&server);
    links(dir.path(), &[]).expect(1);
    let first = server.requests();
    let cache = dir.path().join(".fiches-liens.json");
    assert!(cache.is_file());

    // Second run: the 7 addresses that answered (moved or not) come from the
    // cache; the 6 that failed are asked again.
    let run = links(dir.path(), &[]);
    run.expect(1);
    assert!(
        run.stderr
            .contains("13 adresses web (20 endroits) : 6 vérifiées, 7 gardées en cache"),
        "{}",
        run.stderr
    );
    let again: Vec<String> = server
        .requests()
        .iter()
        .filter(|(k, n)| first.get(*k) != Some(n))
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(
        again,
        [
            "GET /introuvable",
            "GET /panne",
            "GET /supprimee",
            "HEAD /boucle-a",
            "HEAD /boucle-b",
            "HEAD /introuvable",
            "HEAD /muet",
            "HEAD /panne",
            "HEAD /supprimee",
        ]
    );
    // The same report, cache or not: the moved addresses are still reported.
    assert_eq!(places(&run.stderr).len(), 14, "{}", run.stderr);

    // An answer older than `liens_cache_jours` (7 by default) is checked again.
    let text = std::fs::read_to_string(&cache).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ok = format!("http://127.0.0.1:{}/ok", server.port);
    assert_eq!(json["liens"][&ok]["verdict"]["etat"], "ok");
    let mut json = json;
    let stamp = json["liens"][&ok]["verifie"].as_u64().unwrap();
    json["liens"][&ok]["verifie"] = (stamp - 8 * 86_400).into();
    std::fs::write(&cache, json.to_string()).unwrap();
    let before = server.requests().values().sum::<usize>();
    let run = links(dir.path(), &["--only", ALPHA]);
    let after = server.requests();
    assert!(
        run.stderr.contains("4 adresses web (7 endroits)"),
        "{}",
        run.stderr
    );
    // `--only` reads alpha.md alone: /ok again (1), its two dead addresses
    // (HEAD and GET each), not /ancienne (fresh in the cache).
    assert_eq!(after.values().sum::<usize>() - before, 5, "{after:?}");
    assert_eq!(after["HEAD /ok"], first["HEAD /ok"] + 1);

    // --no-cache asks every address again: in gamma.md, /ok and
    // /page-disparue (→ /) too, that the cache holds.
    let before = server.requests().values().sum::<usize>();
    links(dir.path(), &["--only", GAMMA]).expect(1);
    assert_eq!(server.requests().values().sum::<usize>() - before, 4);
    let before = server.requests().values().sum::<usize>();
    links(dir.path(), &["--no-cache", "--only", GAMMA]).expect(1);
    assert_eq!(server.requests().values().sum::<usize>() - before, 7);
}

#[test]
fn fix_rewrites_the_moved_addresses_and_nothing_else() {
    let server = Server::start(Duration::from_millis(900));
    let dir = site(&server);
    let before = common::tree(dir.path());
    let run = links(dir.path(), &["--fix"]);
    run.expect(1);
    let base = format!("http://127.0.0.1:{}", server.port);
    for want in [
        format!("corrigé : {ALPHA}:15:8 : {base}/ancienne → {base}/nouvelle"),
        format!("corrigé : {ALPHA}:22:25 : {base}/ancienne → {base}/nouvelle"),
        format!("corrigé : {BETA}:11:8 : {base}/ancienne → {base}/nouvelle"),
        format!("corrigé : {BETA}:26:44 : {base}/permanent-308 → {base}/nouvelle-308"),
    ] {
        assert!(
            run.stderr.contains(&want),
            "missing {want:?} in\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("adresse-changee"), "{}", run.stderr);
    let after = common::tree(dir.path());
    let text = |t: &BTreeMap<String, Vec<u8>>, f: &str| String::from_utf8(t[f].clone()).unwrap();
    // alpha.md: the [[links]] url and the body link; not the code span.
    let old_alpha = text(&before, ALPHA);
    let want_alpha = old_alpha
        .replacen(
            &format!("url = \"{base}/ancienne\""),
            &format!("url = \"{base}/nouvelle\""),
            1,
        )
        .replacen(
            &format!("]({base}/ancienne)"),
            &format!("]({base}/nouvelle)"),
            1,
        );
    assert_ne!(want_alpha, old_alpha);
    assert_eq!(text(&after, ALPHA), want_alpha);
    assert!(want_alpha.contains(&format!("`{base}/ancienne`")));
    let want_beta = text(&before, BETA)
        .replacen(
            &format!("url = \"{base}/ancienne\""),
            &format!("url = \"{base}/nouvelle\""),
            1,
        )
        .replacen(
            &format!("]({base}/permanent-308 \"titre\")"),
            &format!("]({base}/nouvelle-308 \"titre\")"),
            1,
        );
    assert_eq!(text(&after, BETA), want_beta);
    for f in [GAMMA, "guide.toml"] {
        assert_eq!(after[f], before[f], "{f} changed");
    }
    // A second run finds nothing left to move.
    let run = links(dir.path(), &[]);
    assert!(!run.stderr.contains("adresse-changee"), "{}", run.stderr);
}

#[test]
fn the_run_ends_within_its_deadline() {
    let server = Server::start(Duration::from_millis(1000));
    let dir = site(&server);
    let start = Instant::now();
    let run = fiches(
        dir.path(),
        [
            "links",
            "--timeout",
            "30",
            "--deadline",
            "2",
            "--only",
            BETA,
        ],
    );
    let took = start.elapsed();
    // /muet would hold a 30 s request; the deadline cuts it at 2 s.
    assert!(took < Duration::from_secs(6), "took {took:?}");
    assert!(
        run.stderr
            .contains(&format!("{BETA}:19:8: avertissement[lien-non-verifie]")),
        "{}",
        run.stderr
    );
    // Nothing unchecked is kept in the cache.
    let cache = std::fs::read_to_string(dir.path().join(".fiches-liens.json")).unwrap();
    assert!(!cache.contains("/muet"), "{cache}");
}

#[test]
fn github_and_json_formats() {
    let server = Server::start(Duration::from_millis(900));
    let dir = site(&server);
    let run = links(dir.path(), &["--format", "github", "--only", GAMMA]);
    run.expect(1);
    let base = format!("http://127.0.0.1:{}", server.port);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(
        lines[1],
        format!(
            "::warning file={GAMMA},line=10,col=45,title=avertissement [page-supprimee]::\
             l'adresse {base}/page-disparue renvoie vers la page d'accueil du site ({base}/) : \
             la page a sans doute été supprimée ou déplacée%0A\
             aide : cherchez la page sur le site et remplacez l'adresse, ou retirez le lien"
        )
    );
    assert!(lines[0].starts_with(&format!(
        "::error file={GAMMA},line=9,col=26,title=erreur [boucle-redirection]::"
    )));
    assert_eq!(lines[4], "3 erreurs, 1 avertissement.");

    let run = links(dir.path(), &["--format", "json", "--only", ALPHA]);
    run.expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["errors"], 3);
    assert_eq!(json["warnings"], 2);
    let moved = &json["diagnostics"][0];
    assert_eq!(moved["code"], "adresse-changee");
    assert_eq!(moved["severity"], "warning");
    assert_eq!(moved["file"], ALPHA);
    assert_eq!(moved["line"], 15);
    assert_eq!(moved["column"], 8);
    assert!(
        moved["help"]
            .as_str()
            .unwrap()
            .starts_with(&format!("remplacez-la par {base}/nouvelle ")),
        "{moved}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let server = Server::start(Duration::from_millis(900));
    let dir = site(&server);
    let run = fiches(dir.path(), ["links", "--only", "content/nulle-part.md"]);
    run.expect(2);
    assert!(
        run.stderr
            .contains("« content/nulle-part.md » n'est ni une fiche"),
        "{}",
        run.stderr
    );
    fiches(dir.path(), ["links", "--timeout", "0"]).expect(2);
    assert!(server.requests().is_empty());
}
