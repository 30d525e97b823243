//! `fiches links`: the one command that goes on the network.
//!
//! Takes: the site root and the command's options. Gives: a `Report` with
//! one diagnostic per place where a dead, moved or doubtful outside address
//! is written, a line of counts, and with `--fix` the moved addresses
//! rewritten in their files. Each distinct address is checked once, at most
//! `check::PER_HOST` requests at once to a host and `WORKERS` in all, within
//! the run's deadline; fresh answers come from `.fiches-liens.json`.
//! Reports: the content errors of `parse` too (a card must be readable).

pub mod cache;
pub mod check;
pub mod collect;
pub mod fix;
pub mod http;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::Report;
use crate::diag::{self, Diagnostic};
use crate::model::SourceFile;
use check::{Settings, Verdict};
use collect::Occurrence;

/// Requests at once over all hosts.
pub const WORKERS: usize = 6;

/// What `fiches links` was asked to do.
#[derive(Debug, Clone)]
pub struct LinksOptions {
    /// The site root.
    pub root: PathBuf,
    /// Only the addresses of these files (cards or `guide.toml`).
    pub only: Vec<PathBuf>,
    /// Rewrite moved addresses in place.
    pub fix: bool,
    /// Check every address again, whatever the cache says.
    pub no_cache: bool,
    /// Time limit of one request.
    pub timeout: Duration,
    /// Time limit of the whole run.
    pub deadline: Duration,
    /// Retries after a 429, a 503 or a network error.
    pub retries: u32,
}

/// A run's report, its counts and the places `--fix` changed.
#[derive(Default)]
pub struct Outcome {
    /// The diagnostics, and a usage error (`refused`, exit code 2).
    pub report: Report,
    /// "12 adresses (30 endroits) : 10 vérifiées, 2 gardées en cache."
    pub counts: String,
    /// One line per rewritten address: `file:line:col : ancienne → nouvelle`.
    pub fixed: Vec<String>,
}

/// Runs `fiches links`.
pub fn run(o: &LinksOptions) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome::default();
    let diags = &mut out.report.diags;
    let Some(cfg) = crate::config::load(&o.root, diags) else {
        return out;
    };
    let mut files = crate::load::load(&o.root, diags);
    // Content errors are reported as `fiches check` does; the addresses of
    // every readable card are checked all the same.
    crate::parse::parse(&files, diags);
    let config_text = std::fs::read_to_string(o.root.join("guide.toml")).unwrap_or_default();
    files.push(SourceFile::new(
        "guide.toml".into(),
        o.root.join("guide.toml"),
        config_text,
    ));
    let chosen = match chosen(&o.root, &files, &o.only) {
        Ok(c) => c,
        Err(msg) => {
            out.report.refused = Some(msg);
            return out;
        }
    };
    let last = files.len() - 1;
    let mut found: Vec<Occurrence> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if chosen.as_ref().is_some_and(|c| !c.contains(&i)) {
            continue;
        }
        found.extend(match i == last {
            true => collect::config(&f.text, i),
            false => collect::card(&f.text, i),
        });
    }
    let web: BTreeSet<&str> = found
        .iter()
        .map(|oc| oc.url.as_str())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect();

    let now = cache::now();
    let mut memory = cache::load(&o.root);
    let days = cfg.liens_cache_jours;
    let mut verdicts: BTreeMap<&str, Verdict> = BTreeMap::new();
    let mut to_check = Vec::new();
    for &url in &web {
        match memory.fresh(url, days, now) {
            Some(v) if !o.no_cache => {
                verdicts.insert(url, v.clone());
            }
            _ => to_check.push(url),
        }
    }
    let cached = verdicts.len();
    let settings = Settings {
        timeout: o.timeout,
        retries: o.retries,
        deadline: started + o.deadline,
    };
    for (url, v) in check_all(&by_host(&to_check), &settings) {
        if v != Verdict::Unchecked {
            memory.liens.insert(
                url.to_string(),
                cache::Entry {
                    verifie: now,
                    verdict: v.clone(),
                },
            );
        }
        verdicts.insert(url, v);
    }
    if let Err(e) = memory.save(&o.root, days, now) {
        eprintln!(
            "attention : le cache {} n'a pas pu être écrit ({e})",
            cache::FILE
        );
    }

    let numbers = (o.timeout.as_secs_f64(), o.retries);
    let mut edits: BTreeMap<usize, Vec<(std::ops::Range<usize>, String)>> = BTreeMap::new();
    for oc in &found {
        let f = &files[oc.file];
        let at = report::Place {
            file: &f.rel,
            lines: f.lines(),
            span: oc.span.clone(),
        };
        let d = match verdicts.get(oc.url.as_str()) {
            Some(Verdict::Moved { to, .. }) if o.fix && oc.exact => {
                let (line, col) = f.lines().line_col(oc.span.start);
                out.fixed
                    .push(format!("{}:{line}:{col} : {} → {to}", f.rel, oc.url));
                edits
                    .entry(oc.file)
                    .or_default()
                    .push((oc.span.clone(), to.clone()));
                None
            }
            Some(v) => report::verdict(&oc.url, v, &at, numbers),
            None => report::form(&oc.url, &at),
        };
        out.report.diags.extend(d);
    }
    for (i, e) in edits {
        let f = &files[i];
        if let Err(err) = std::fs::write(&f.abs, fix::apply(&f.text, e)) {
            out.report.diags.push(Diagnostic::file(
                "ecriture",
                &f.rel,
                format!("la fiche n'a pas pu être corrigée ({err})"),
            ));
        }
    }
    let offline = to_check.len() >= 3
        && to_check
            .iter()
            .all(|u| matches!(verdicts.get(u), Some(Verdict::Network { .. })));
    diag::sort(&mut out.report.diags);
    out.counts = format!(
        "{} adresses web ({} endroits) : {} vérifiées, {} gardées en cache ({}), en {:.1} s.",
        web.len(),
        found.len(),
        web.len() - cached,
        cached,
        cache::FILE,
        started.elapsed().as_secs_f64()
    );
    if offline {
        out.counts.push_str(
            "\nAucune adresse n'a répondu : cet ordinateur est-il bien connecté à Internet ?",
        );
    }
    out
}

/// The indexes of the files named by `--only`; `None` for all of them.
fn chosen(
    root: &Path,
    files: &[SourceFile],
    only: &[PathBuf],
) -> Result<Option<BTreeSet<usize>>, String> {
    if only.is_empty() {
        return Ok(None);
    }
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let known: Vec<Option<PathBuf>> = files.iter().map(|f| canon(&f.abs)).collect();
    let mut set = BTreeSet::new();
    for p in only {
        let found = [p.clone(), root.join(p)]
            .iter()
            .filter_map(|c| canon(c))
            .find_map(|c| known.iter().position(|k| k.as_ref() == Some(&c)));
        match found {
            Some(i) => set.insert(i),
            None => {
                return Err(format!(
                    "« {} » n'est ni une fiche du dossier content/ ni guide.toml",
                    p.display()
                ));
            }
        };
    }
    Ok(Some(set))
}

/// The addresses in an order that alternates the hosts, so that the
/// workers do not all wait for the same host.
fn by_host<'a>(urls: &[&'a str]) -> Vec<&'a str> {
    let mut groups: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for &u in urls {
        groups.entry(http::host(u)).or_default().push(u);
    }
    let mut lists: Vec<_> = groups.into_values().map(|g| g.into_iter()).collect();
    let mut out = Vec::with_capacity(urls.len());
    while out.len() < urls.len() {
        for l in &mut lists {
            out.extend(l.next());
        }
    }
    out
}

/// Checks every address with `WORKERS` threads sharing one client and one gate.
fn check_all<'a>(urls: &[&'a str], s: &Settings) -> Vec<(&'a str, Verdict)> {
    let client = http::Client::new();
    let gate = check::Gate::default();
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|scope| {
        for _ in 0..WORKERS.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&url) = urls.get(i) else { break };
                    let v = check::check(&client, &gate, url, s);
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((url, v));
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(|e| e.into_inner())
}
