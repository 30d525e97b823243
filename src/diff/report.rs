//! The changes of `fiches diff` as text: for a person at a terminal, for the
//! summary of a pull request (Markdown), or for a program (JSON).
//!
//! Takes: the list of [`Change`]s. Gives: one string per format, in French.
//! Reports: nothing.

use super::{Change, Status};

/// Output format of `fiches diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One sentence, then one line per page.
    Human,
    /// The sentence and a table, with links into the built guide.
    Markdown,
    /// `{"summary": …, "pages": [...]}`.
    Json,
}

/// The sentence that sums up the changes:
/// « 3 pages changent : la fiche POE (texte modifié), l'accueil (liste), la recherche (index). »
pub fn sentence(changes: &[Change]) -> String {
    let items: Vec<String> = changes
        .iter()
        .map(|c| format!("{} ({})", c.name, c.what))
        .collect();
    match changes.len() {
        0 => "Aucune page ne change.".into(),
        1 => format!("1 page change : {}.", items[0]),
        n => format!("{n} pages changent : {}.", items.join(", ")),
    }
}

/// The French word for a status, as a column of the reports.
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Added => "ajoutée",
        Status::Removed => "supprimée",
        Status::Changed => "modifiée",
    }
}

/// What changed in a page, with its sections for a fiche.
fn detail(c: &Change) -> String {
    if c.sections.is_empty() {
        c.what.clone()
    } else {
        format!("{} (sections : {})", c.what, c.sections.join(", "))
    }
}

/// The report in `format`. `link_base`, for Markdown: the address of the new
/// guide, to which each page's path is added to make its link.
pub fn render(changes: &[Change], format: Format, link_base: Option<&str>) -> String {
    match format {
        Format::Human => human(changes),
        Format::Markdown => markdown(changes, link_base),
        Format::Json => {
            let v = serde_json::json!({ "summary": sentence(changes), "pages": changes });
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
    }
}

fn human(changes: &[Change]) -> String {
    let mut out = sentence(changes) + "\n";
    let width = changes.iter().map(|c| c.path.len()).max().unwrap_or(0);
    for c in changes {
        let line = format!(
            "  {:<9}  {:<width$}  {}",
            status_word(c.status),
            c.path,
            c.name
        );
        match c.status {
            Status::Changed => out.push_str(&format!("{line} : {}\n", detail(c))),
            _ => out.push_str(&format!("{line}\n")),
        }
    }
    out
}

fn markdown(changes: &[Change], link_base: Option<&str>) -> String {
    let link = |c: &Change| match link_base {
        Some(base) if c.status != Status::Removed => format!(
            "[{}]({}{})",
            cell(&c.name),
            base,
            c.path.replace(' ', "%20")
        ),
        _ => cell(&c.name),
    };
    let mut out = String::from("### Pages modifiées\n\n");
    out.push_str(&sentence(changes));
    out.push('\n');
    if changes.is_empty() {
        return out;
    }
    out.push_str(
        "\n| Page | Fichier | Changement | Sections modifiées |\n| --- | --- | --- | --- |\n",
    );
    for c in changes {
        let what = match c.status {
            Status::Changed => cell(&c.what),
            s => status_word(s).to_string(),
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            link(c),
            c.path,
            what,
            cell(&c.sections.join(", "))
        ));
    }
    out
}

/// Text safe in a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
