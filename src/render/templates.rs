//! Stage 4, the theme's templates: loaded once per build.
//!
//! Takes: the theme's `templates/` and the site's own `templates/` over
//! them, and the theme's icons (`theme::Theme`). Gives: the parsed
//! `Templates`, each `{{ icon(name="x") | safe }}` already replaced by its
//! pictogram, minified with `minify` in guide.toml (see `render::minify`).
//! Reports: a theme without templates, an unreadable or invalid template.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::Tera;

use super::minify;
use crate::config::Config;
use crate::diag::Diagnostic;

/// The parsed templates, and whether they were minified when loaded (then
/// the pages they render need no minification pass of their own).
pub struct Templates {
    pub tera: Tera,
    pub minified: bool,
}

/// Loads the theme's templates, then the site's own `templates/` over them;
/// with `minify` in guide.toml, minifies them first (see `render::minify`).
pub fn templates(root: &Path, cfg: &Config, diags: &mut Vec<Diagnostic>) -> Option<Templates> {
    let mut files: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for dir in [
        cfg.theme_dir(root).join("templates"),
        root.join("templates"),
    ] {
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                let name = crate::load::rel_path(&dir, e.path());
                files.insert(name, e.into_path());
            }
        }
    }
    if files.is_empty() {
        diags.push(
            Diagnostic::file("theme", &cfg.theme, "aucun gabarit trouvé dans le thème")
                .help("vérifiez `theme` dans guide.toml : le dossier doit contenir templates/"),
        );
        return None;
    }
    let invalid = |e: &dyn std::error::Error| {
        Diagnostic::file(
            "gabarit",
            &cfg.theme,
            format!("gabarit invalide : {}", error_chain(e)),
        )
    };
    let mut sources: Vec<(String, String)> = Vec::with_capacity(files.len());
    for (name, path) in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push((name, text)),
            Err(e) => {
                diags.push(invalid(&std::io::Error::new(
                    e.kind(),
                    format!("{} : {e}", path.display()),
                )));
                return None;
            }
        }
    }
    let theme = &cfg.presentation;
    for (_, text) in sources.iter_mut() {
        if text.contains(ICON_CALL) {
            *text = fold_icons(text, theme);
        }
    }
    let minified = cfg.minify && minify_all(&mut sources);
    // Tera's parser takes most of the loading time (about a thousand
    // instructions per character): the templates are parsed in parallel,
    // then put together as `Tera::add_raw_templates` does.
    let parsed: Vec<tera::Result<tera::Template>> = sources
        .par_iter()
        .map(|(name, text)| {
            tera::Template::new(name, None, text)
                .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
        })
        .collect();
    let mut tera = Tera::default();
    for ((name, _), template) in sources.into_iter().zip(parsed) {
        match template {
            Ok(t) => {
                tera.templates.insert(name, t);
            }
            Err(e) => {
                diags.push(invalid(&e));
                return None;
            }
        }
    }
    if let Err(e) = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
    {
        diags.push(invalid(&e));
        return None;
    }
    if minified {
        tera.set_escape_fn(crate::model::escape_html);
    }
    let theme = theme.clone();
    tera.register_function("icon", move |args: &HashMap<String, tera::Value>| {
        let name = args.get("name").and_then(|v| v.as_str()).unwrap_or("");
        Ok(tera::Value::String(theme.icon(name).to_string()))
    });
    Some(Templates { tera, minified })
}

/// How a template calls `icon` with a name written in it.
const ICON_CALL: &str = "{{ icon(name=\"";

/// Puts the theme's pictogram in place of each `{{ icon(name="x") | safe }}`
/// of a template once, at load, rather than calling `icon` on every page.
fn fold_icons(src: &str, theme: &crate::theme::Theme) -> String {
    const END: &str = "\") | safe }}";
    let mut out = String::with_capacity(src.len() + 4096);
    let mut rest = src;
    while let Some(at) = rest.find(ICON_CALL) {
        let after = &rest[at + ICON_CALL.len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        out.push_str(&rest[..at]);
        if after[name_len..].starts_with(END) {
            out.push_str(theme.icon(&after[..name_len]));
            rest = &after[name_len + END.len()..];
        } else {
            out.push_str(ICON_CALL);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Minifies every HTML template, or none (a page mixes several of them):
/// false when one of them cannot be minified safely.
fn minify_all(sources: &mut [(String, String)]) -> bool {
    let html = |n: &str| n.ends_with(".html");
    let mins: Option<Vec<String>> = sources
        .par_iter()
        .filter(|(n, _)| html(n))
        .map(|(_, t)| minify::template(t))
        .collect();
    let Some(mins) = mins else {
        return false;
    };
    for ((_, t), min) in sources.iter_mut().filter(|(n, _)| html(n)).zip(mins) {
        *t = min;
    }
    true
}

/// An error and its causes, on one line.
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        s.push_str(&format!(" : {x}"));
        src = x.source();
    }
    s
}
