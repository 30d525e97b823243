//! What the search page answers besides the list of fiches (issue 20).
//!
//! Takes: the glossary cards and the needs of `content/synonymes.toml`
//! (`[publics]` and `[etapes]`). Gives: two JSON fields of the index header,
//! read by js/recherche.js: `g`, the glossary (term, expansion, other names,
//! one-sentence definition, its entry and its fiche), for the definition box
//! that opens the results when the query names a term; `needs`, the expressions
//! that name a public or a stage, each raising the cards of that public or
//! stage (a ranking signal, never a filter). Reports: a `[publics]` or
//! `[etapes]` key that is not a value of the guide, or a value that is not text.

use serde::Serialize;

use crate::diag::{Diagnostic, LineIndex, Severity, suggest};
use crate::model::{Card, Choices, PUBLICS, STAGES};

/// Expressions readers use for a public or a stage: `[publics]` and `[etapes]`
/// of `content/synonymes.toml`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Needs {
    /// (public number in `PUBLICS`, expression).
    pub publics: Vec<(usize, String)>,
    /// (stage number in `STAGES`, expression).
    pub stages: Vec<(usize, String)>,
}

/// The table names of `content/synonymes.toml` that hold needs.
pub const NEED_TABLES: [&str; 2] = ["publics", "etapes"];

/// Reads one `[publics]` or `[etapes]` table into `needs`; a key that is not a
/// value of the guide, or a value that is not text, is reported where the
/// TOML parser found it.
pub fn read_table(
    name: &str,
    table: &toml::de::DeTable,
    lines: &LineIndex,
    file: &str,
    needs: &mut Needs,
    diags: &mut Vec<Diagnostic>,
) {
    use toml::de::DeValue;
    let (choices, list): (&Choices, &mut Vec<(usize, String)>) = if name == "publics" {
        (&PUBLICS, &mut needs.publics)
    } else {
        (&STAGES, &mut needs.stages)
    };
    for (k, value) in table {
        let key: &str = k.get_ref();
        let error = |msg: String, help: String| {
            Diagnostic::at(Severity::Error, "synonyme", file, lines, k.span(), msg).help(help)
        };
        let names = choices.names();
        let Some(n) = names.iter().position(|v| *v == key) else {
            let mut help = format!("valeurs possibles : {}", names.join(", "));
            if let Some(s) = suggest(key, &names) {
                help = format!("vouliez-vous dire « {s} » ? {help}");
            }
            diags.push(error(
                format!(
                    "[{name}] : « {key} » n'est pas un(e) {} du guide",
                    choices.noun
                ),
                help,
            ));
            continue;
        };
        let forms: Option<Vec<&str>> = match value.get_ref() {
            DeValue::String(s) => Some(vec![s.as_ref()]),
            DeValue::Array(a) => a.iter().map(|v| v.get_ref().as_str()).collect(),
            _ => None,
        };
        match forms {
            Some(forms) => list.extend(forms.into_iter().map(|f| (n, f.to_string()))),
            None => diags.push(error(
                format!("[{name}] : les expressions de « {key} » ne sont pas du texte"),
                format!("écrivez {key} = [\"une expression\", \"une autre\"]"),
            )),
        }
    }
}

/// One glossary entry, as the definition box shows it.
#[derive(Serialize)]
struct Entry<'c> {
    /// Address of the entry in the glossary page.
    u: String,
    /// The term.
    t: &'c str,
    /// Its expansion.
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<&'c str>,
    /// Its other names.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    l: &'c [String],
    /// Its one-sentence definition.
    s: &'c str,
    /// The fiche that explains it: address and title.
    #[serde(skip_serializing_if = "Option::is_none")]
    f: Option<(String, &'c str)>,
}

/// The glossary and the needs, two fields of the index header (`g`, `needs`).
#[derive(Serialize)]
pub struct Answers<'c> {
    /// The glossary entries.
    g: Vec<Entry<'c>>,
    /// Each need: [0 for a public or 1 for a stage, its number, the expression].
    needs: Vec<(u8, usize, &'c str)>,
}

/// The glossary of the cards and the needs, for the index header.
pub fn answers<'c>(cards: &'c [Card], needs: &'c Needs) -> Answers<'c> {
    let g = cards
        .iter()
        .filter(|c| c.is_term())
        .map(|c| Entry {
            u: c.url(),
            t: c.fm.term.as_deref().unwrap_or(&c.fm.title),
            x: c.fm.expansion.as_deref(),
            l: &c.fm.aliases,
            s: &c.fm.summary,
            f: c.fm.fiche.as_ref().and_then(|slug| {
                let fiche = cards.iter().find(|o| &o.slug == slug && !o.is_term())?;
                Some((fiche.url(), fiche.fm.title.as_str()))
            }),
        })
        .collect();
    let needs = needs
        .publics
        .iter()
        .map(|(n, e)| (0, *n, e.as_str()))
        .chain(needs.stages.iter().map(|(n, e)| (1, *n, e.as_str())))
        .collect();
    Answers { g, needs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_of(text: &str) -> (Needs, Vec<Diagnostic>) {
        let table = toml::de::DeTable::parse(text).expect("test TOML");
        let lines = LineIndex::new(text);
        let (mut needs, mut diags) = (Needs::default(), Vec::new());
        for name in NEED_TABLES {
            let found = table.get_ref().iter().find(|(k, _)| k.get_ref() == name);
            if let Some((_, v)) = found
                && let toml::de::DeValue::Table(t) = v.get_ref()
            {
                read_table(name, t, &lines, "synonymes.toml", &mut needs, &mut diags);
            }
        }
        (needs, diags)
    }

    #[test]
    fn needs_name_publics_and_stages_by_their_number() {
        let (needs, diags) = needs_of(
            "[publics]\ndemandeur-emploi = [\"chômeur\", \"sans emploi\"]\nemployeur = \"patron\"\n\
             [etapes]\nformation = [\"me former\"]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            needs.publics,
            vec![
                (2, "chômeur".to_string()),
                (2, "sans emploi".to_string()),
                (5, "patron".to_string())
            ]
        );
        assert_eq!(needs.stages, vec![(2, "me former".to_string())]);
    }

    #[test]
    fn an_unknown_public_or_a_number_is_reported_where_it_is() {
        let (needs, diags) = needs_of("[publics]\nchomeur = [\"x\"]\n\n[etapes]\nemploi = 3\n");
        assert_eq!(needs, Needs::default());
        let found: Vec<(usize, usize, bool)> = diags
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.column,
                    d.help.as_deref().unwrap_or("").contains("demandeur-emploi"),
                )
            })
            .collect();
        assert_eq!(found, vec![(2, 1, true), (5, 1, false)], "{diags:?}");
    }
}
