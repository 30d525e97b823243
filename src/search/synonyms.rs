//! The editors' synonyms, for the search index.
//!
//! Takes: `content/synonymes.toml`, when it exists. Gives: `Synonyms`, the
//! groups of expressions readers use for the same thing and, from its tables
//! `[publics]` and `[etapes]`, the expressions that name a public or a stage
//! (read by search/answers.rs). Reports: a file that is not valid TOML, or a
//! value that is not text, at its file:line:column.

use std::path::Path;

use super::answers::{self, Needs};
use crate::diag::{Diagnostic, LineIndex, Severity};

/// The editors' synonyms file (not a card: load.rs only reads `*.md`).
pub const SYNONYMS_FILE: &str = "content/synonymes.toml";

/// Groups of expressions that readers use for the same thing
/// (`"pole emploi" = "france travail"`), from `content/synonymes.toml`.
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// Each group: its expressions as written.
    pub groups: Vec<Vec<String>>,
    /// Expressions that name a public or a stage (`[publics]`, `[etapes]`).
    pub needs: Needs,
}

/// Reads `content/synonymes.toml` when it exists: `"expression" = "autre"` or
/// `"expression" = ["autre", "encore une autre"]`, one group per key; and the
/// tables `[publics]` and `[etapes]`: `demandeur-emploi = ["chômeur", …]`.
pub fn synonyms(root: &Path, diags: &mut Vec<Diagnostic>) -> Synonyms {
    let Ok(text) = std::fs::read_to_string(root.join(SYNONYMS_FILE)) else {
        return Synonyms::default();
    };
    let lines = LineIndex::new(&text);
    let table = match toml::de::DeTable::parse(&text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(crate::spans::toml_error(SYNONYMS_FILE, &lines, 0, &e));
            return Synonyms::default();
        }
    };
    let mut groups = Vec::new();
    let mut needs = Needs::default();
    for (name, value) in table.get_ref() {
        use toml::de::DeValue;
        let key: &str = name.get_ref();
        if let (true, DeValue::Table(t)) = (answers::NEED_TABLES.contains(&key), value.get_ref()) {
            answers::read_table(key, t, &lines, SYNONYMS_FILE, &mut needs, diags);
            continue;
        }
        let others: Option<Vec<String>> = match value.get_ref() {
            DeValue::String(s) => Some(vec![s.to_string()]),
            DeValue::Array(a) => a
                .iter()
                .map(|v| v.get_ref().as_str().map(String::from))
                .collect(),
            _ => None,
        };
        match others {
            Some(others) => groups.push(std::iter::once(key.to_string()).chain(others).collect()),
            None => {
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        "synonyme",
                        SYNONYMS_FILE,
                        &lines,
                        name.span(),
                        format!("les synonymes de « {key} » ne sont pas du texte"),
                    )
                    .help(format!(
                        "écrivez \"{key}\" = \"autre expression\", ou une liste : \"{key}\" = [\"une\", \"autre\"]"
                    )),
                );
            }
        }
    }
    Synonyms { groups, needs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synonym_that_is_not_text_is_reported_where_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("content/");
        std::fs::write(
            dir.path().join(SYNONYMS_FILE),
            "\"pole emploi\" = \"France Travail\"\nchomage = 3\n",
        )
        .expect("synonyms written");
        let mut diags = Vec::new();
        let syn = synonyms(dir.path(), &mut diags);
        assert_eq!(
            syn.groups,
            vec![vec![
                "pole emploi".to_string(),
                "France Travail".to_string()
            ]]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].code, diags[0].line, diags[0].column),
            ("synonyme", 2, 1)
        );
    }
}
