//! `fiches new <kind> "<title>"`: writes a new card with every section, ready to fill.
//!
//! Takes: the site root, a kind and a title. Gives: the new file's path.
//! Refuses: an unknown kind, an empty title, an existing file.

use std::path::Path;

use crate::model::model_text::*;
use crate::model::{KINDS, Kind};

/// Creates the card file; the error is a French sentence.
pub fn create(root: &Path, kind: &str, title: &str) -> Result<String, String> {
    let Some(kind) = Kind::from_name(kind) else {
        let hint = crate::diag::suggest(kind, &KINDS.names())
            .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
            .unwrap_or_default();
        return Err(format!(
            "type de fiche inconnu « {kind} » — types possibles : {}.{hint}",
            KINDS.names().join(", ")
        ));
    };
    let slug = crate::parse::slugify(title);
    if slug.is_empty() {
        return Err("le titre est vide".into());
    }
    let rel = format!("content/{}/{slug}.md", kind.folder());
    let path = root.join(&rel);
    if path.exists() {
        return Err(format!("{rel} existe déjà"));
    }
    let text = template(kind, title, &today());
    std::fs::create_dir_all(path.parent().unwrap_or(root))
        .map_err(|e| format!("impossible de créer le dossier ({e})"))?;
    std::fs::write(&path, text).map_err(|e| format!("impossible d'écrire {rel} ({e})"))?;
    Ok(rel)
}

/// Today's date as `YYYY-MM-DD`: the day `check` uses (`FICHES_TODAY` when
/// set, else the system clock, UTC), so a new card is never "too old" for it.
fn today() -> String {
    crate::dates::iso(crate::dates::today())
}

/// The text of a new card of this kind (its model sentences: `model_text`).
pub fn template(kind: Kind, title: &str, date: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let head = format!(
        "+++\ntitle = \"{title}\"\nkind = \"{kind}\"\nsummary = \"{SUMMARY}\"\nupdated = {date}\n"
    );
    match kind {
        Kind::Dispositif | Kind::Outil => format!(
            "{head}stages = [\"formation\"]\ndroit = \"commun\"\npublics = [\"demandeur-emploi\"]\nrelated = []\ncompensation = []\n\n[points]\nnature = \"{NATURE}\"\npublics = \"{PUBLICS}\"\noperateurs = \"{OPERATEURS}\"\nprescripteurs = \"{PRESCRIPTEURS}\"\n\n[[links]]\ntitle = \"{LINK_TITLE}\"\nurl = \"https://travail-emploi.gouv.fr/\"\nkind = \"ressource\"\n+++\n\n## Objectifs\n\n- {OBJECTIF}\n\n## Ce qui est spécifique\n\n- {SPECIFIQUE}\n\n## Étapes clés\n\n1. {ETAPE_1}\n2. {ETAPE_2}\n\n## Bon à savoir\n\n- {BON_A_SAVOIR}\n\n## Moyens de compensation\n\n- {AIDES}\n\n## Contacts\n\n- {CONTACTS}\n"
        ),
        Kind::Terme => {
            format!("{head}term = \"{title}\"\nexpansion = \"{EXPANSION}\"\n+++\n\n{DEFINITION}\n")
        }
        Kind::Parcours => format!(
            "{head}+++\n\n## Avant la formation\n\n1. {ETAPE_1}\n\n## Pendant la formation\n\n1. {ETAPE_1}\n\n## Après la formation\n\n1. {ETAPE_1}\n"
        ),
        Kind::Situation | Kind::Acteur | Kind::Page => {
            format!("{head}+++\n\n## Présentation\n\n{TEXTE}\n")
        }
    }
}
