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
use crate::model::{Card, Choices, PUBLICS, STAGES, js_safe};

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
/// value of the guide, or a value that is not text, is reported where it is.
pub fn read_table(
    name: &str,
    table: &toml::Table,
    text: &str,
    file: &str,
    needs: &mut Needs,
    diags: &mut Vec<Diagnostic>,
) {
    let (choices, list): (&Choices, &mut Vec<(usize, String)>) = if name == "publics" {
        (&PUBLICS, &mut needs.publics)
    } else {
        (&STAGES, &mut needs.stages)
    };
    let lines = LineIndex::new(text);
    for (key, value) in table {
        let at = crate::parse::find_key(text, Some(name), key).unwrap_or(0);
        let error = |msg: String, help: String| {
            Diagnostic::at(
                Severity::Error,
                "synonyme",
                file,
                &lines,
                at..at + key.len(),
                msg,
            )
            .help(help)
        };
        let names = choices.names();
        let Some(n) = names.iter().position(|v| v == key) else {
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
        let forms: Option<Vec<&str>> = match value {
            toml::Value::String(s) => Some(vec![s.as_str()]),
            toml::Value::Array(a) => a.iter().map(|v| v.as_str()).collect(),
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

/// `,"g":[…],"needs":[…]`: the glossary and the needs, for the index header.
pub fn header_fields(cards: &[Card], needs: &Needs) -> String {
    let glossary: Vec<Entry> = cards
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
    // Each need: [0 for a public or 1 for a stage, its number, the expression].
    let list: Vec<(u8, usize, &str)> = needs
        .publics
        .iter()
        .map(|(n, e)| (0, *n, e.as_str()))
        .chain(needs.stages.iter().map(|(n, e)| (1, *n, e.as_str())))
        .collect();
    format!(",\"g\":{},\"needs\":{}", json(&glossary), json(&list))
}

/// A value as JSON, safe inside a script.
fn json<T: Serialize>(v: &T) -> String {
    js_safe(&serde_json::to_string(v).unwrap_or_else(|_| "[]".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_of(text: &str) -> (Needs, Vec<Diagnostic>) {
        let table: toml::Table = toml::from_str(text).expect("test TOML");
        let (mut needs, mut diags) = (Needs::default(), Vec::new());
        for name in NEED_TABLES {
            if let Some(toml::Value::Table(t)) = table.get(name) {
                read_table(name, t, text, "synonymes.toml", &mut needs, &mut diags);
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
