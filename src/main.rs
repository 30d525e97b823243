//! `fiches` binary: arguments → `build` / `check` / `links` / `new` / `diff` / `serve` → diagnostics → exit code.
//! Exit codes: 0 ok, 1 content errors, 2 usage errors.

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

use fiches::cli::{Cli, Command};
use fiches::diag::{self, Format};
use fiches::{Options, Report};

fn main() -> ExitCode {
    if std::env::args_os().len() == 1 {
        return double_click();
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let root = fiches::root_of(cli.root.as_deref());
    match cli.command {
        Command::Build {
            out,
            base_url,
            format,
        } => {
            let report = fiches::build(&Options {
                root,
                out,
                base_url,
            });
            finish(&report, format, false, |r| {
                let drafts = match r.drafts.len() {
                    0 => String::new(),
                    1 => " (1 brouillon laissé de côté)".into(),
                    n => format!(" ({n} brouillons laissés de côté)"),
                };
                format!("Site construit : {} fichiers écrits{drafts}.", r.written)
            })
        }
        Command::Check {
            format,
            strict,
            sources,
        } => {
            let report = fiches::check(&Options {
                root,
                out: None,
                base_url: None,
            });
            if sources {
                print_sources(&report);
            }
            if format == Format::Human {
                print_drafts(&report);
            }
            finish(&report, format, strict, |_| String::new())
        }
        Command::Links {
            format,
            only,
            fix,
            no_cache,
            timeout,
            deadline,
            retries,
        } => {
            let outcome = fiches::outside::run(&fiches::outside::LinksOptions {
                root,
                only,
                fix,
                no_cache,
                timeout: std::time::Duration::from_secs_f64(timeout),
                deadline: std::time::Duration::from_secs_f64(deadline),
                retries,
            });
            for line in &outcome.fixed {
                eprintln!("corrigé : {line}");
            }
            if !outcome.counts.is_empty() {
                eprintln!("{}", outcome.counts);
            }
            finish(&outcome.report, format, false, |_| String::new())
        }
        Command::New { kind, title } => match fiches::new::create(&root, &kind, &title) {
            Ok(path) => {
                println!("Fiche créée : {path}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("erreur : {msg}");
                ExitCode::from(2)
            }
        },
        Command::Schema => {
            print!("{}", fiches::schema::markdown());
            ExitCode::SUCCESS
        }
        Command::Diff {
            old,
            new,
            format,
            link_base,
        } => match fiches::diff::diff(&old, &new) {
            Ok(changes) => {
                print!(
                    "{}",
                    fiches::diff::report::render(&changes, format, link_base.as_deref())
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("erreur : {e}");
                ExitCode::from(2)
            }
        },
        Command::Serve { port, ouvrir } => {
            let opts = Options {
                root,
                out: None,
                base_url: None,
            };
            match fiches::serve::run(&opts, port, ouvrir) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("erreur : {msg}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// `fiches` with no arguments (a double-click): the preview of the guide
/// found from the current folder or the program's folder, in the browser.
fn double_click() -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let exe = std::env::current_exe().ok();
    let Some(root) = fiches::launch::guide_root(&cwd, exe.as_deref()) else {
        eprintln!(
            "erreur : guide.toml introuvable dans {} ni autour de fiches. Placez fiches dans le dossier du guide (celui qui contient guide.toml et content/), puis relancez-le ; ou tapez fiches --help",
            cwd.display()
        );
        fiches::launch::wait_for_enter();
        return ExitCode::from(2);
    };
    let opts = Options {
        root,
        out: None,
        base_url: None,
    };
    // The usual port, or any free one when it is taken.
    let result =
        fiches::serve::run(&opts, 1111, true).or_else(|_| fiches::serve::run(&opts, 0, true));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("erreur : {msg}");
            fiches::launch::wait_for_enter();
            ExitCode::from(2)
        }
    }
}

/// `check`: the drafts, one line each, before the diagnostics.
fn print_drafts(report: &Report) {
    for d in &report.drafts {
        eprintln!("brouillon (non publié) : {}", d.file);
    }
}

/// `check --sources`: one line per card with a `source`, then their number.
fn print_sources(report: &Report) {
    for s in &report.sources {
        let expansion = match s.expansion.as_str() {
            "" => String::new(),
            e => format!(" ({e})"),
        };
        println!(
            "{} : {}{expansion}, source = \"{}\"",
            s.file, s.term, s.source
        );
    }
    let n = report.sources.len();
    println!(
        "{n} terme{} dont la forme longue ne vient pas des guides sources, à faire relire par le PRITH.",
        if n > 1 { "s" } else { "" }
    );
}

fn finish(
    report: &Report,
    format: Format,
    strict: bool,
    ok: impl Fn(&Report) -> String,
) -> ExitCode {
    if let Some(msg) = &report.refused {
        eprintln!("erreur : {msg}");
        return ExitCode::from(2);
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let failed = report.has_errors() || (strict && !report.diags.is_empty());
    let text = diag::render(&report.diags, format, color);
    if format == Format::Human {
        if !report.diags.is_empty() || failed {
            eprint!("{text}");
        }
    } else {
        print!("{text}");
    }
    if failed {
        return ExitCode::from(1);
    }
    let msg = ok(report);
    if !msg.is_empty() && format == Format::Human {
        eprintln!("{msg}");
    } else if msg.is_empty() && format == Format::Human && report.diags.is_empty() {
        eprintln!("{}", diag::summary(&report.diags));
    }
    ExitCode::SUCCESS
}
