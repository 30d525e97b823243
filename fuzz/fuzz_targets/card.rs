//! Fuzz target: one card file, any bytes, through every in-memory stage.
//!
//! Takes: arbitrary bytes as the text of `content/dispositifs/carte.md`, next
//! to a glossary term and a dispositif so that the glossary and the links
//! have work to do. Runs: front-matter splitting, TOML, the front-matter
//! checks, Markdown, lints, glossary, links, and the body's HTML. Any panic is
//! a bug: bad input must only give diagnostics.
#![no_main]

use fiches::model::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fn source(rel: &str, text: &str) -> SourceFile {
    SourceFile::new(rel.into(), PathBuf::from(rel), text.into())
}

const TERM: &str = "+++\ntitle = \"RQTH\"\nkind = \"terme\"\nterm = \"RQTH\"\nexpansion = \"Reconnaissance de la qualité de travailleur handicapé\"\nsummary = \"Un statut.\"\nupdated = 2026-01-01\naliases = [\"travailleur handicapé\"]\n+++\nLa RQTH.\n";
const POE: &str = "+++\ntitle = \"POE\"\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\nsummary = \"Une formation.\"\nupdated = 2026-01-01\n+++\n## Objectifs\n\nApprendre.\n";

fuzz_target!(|data: &[u8]| {
    // Files that are not UTF-8 are refused by `load`; their valid prefix is
    // what an editor would see, so the rest of the pipeline gets that.
    let text = match std::str::from_utf8(data) {
        Ok(t) => t.to_string(),
        Err(e) => String::from_utf8_lossy(&data[..e.valid_up_to()]).into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let _ = fiches::parse::split(&text);
    let files = vec![
        source("content/glossaire/rqth.md", TERM),
        source("content/dispositifs/poe.md", POE),
        source("content/dispositifs/carte.md", &text),
    ];
    let cfg: fiches::config::Config = toml::from_str("title = \"Guide\"").expect("config");
    let mut diags = Vec::new();
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    for c in &cards {
        let _ = fiches::render::body_html(c, &cfg.presentation, "../");
    }
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
});
