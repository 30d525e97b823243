//! `fiches new <kind> "<title>"`: writes a new card with every section, ready to fill.
//!
//! Takes: the site root, a kind and a title. Gives: the new file's path.
//! Refuses: an unknown kind, an empty title, an existing file.

use std::path::Path;

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
    let days = crate::lint::today();
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The model sentences of a new card, each to be replaced by the editor's
/// own words: `check` warns about any left in a card (`texte-modele`).
pub const MODEL_SENTENCES: &[&str] = &[
    SUMMARY,
    NATURE,
    PUBLICS,
    OPERATEURS,
    PRESCRIPTEURS,
    LINK_TITLE,
    OBJECTIF,
    SPECIFIQUE,
    ETAPE_1,
    ETAPE_2,
    BON_A_SAVOIR,
    AIDES,
    CONTACTS,
    EXPANSION,
    DEFINITION,
    TEXTE,
];

const SUMMARY: &str = "Une phrase courte qui dit à quoi sert cette fiche.";
const NATURE: &str = "Ce que c'est.";
const PUBLICS: &str = "Qui peut en bénéficier.";
const OPERATEURS: &str = "Qui le met en œuvre.";
const PRESCRIPTEURS: &str = "Qui oriente vers ce dispositif.";
const LINK_TITLE: &str = "Le dispositif sur le site du ministère du Travail";
const OBJECTIF: &str = "Premier objectif.";
const SPECIFIQUE: &str = "Ce qui rend ce dispositif différent.";
const ETAPE_1: &str = "Première étape.";
const ETAPE_2: &str = "Deuxième étape.";
const BON_A_SAVOIR: &str = "Une information utile.";
const AIDES: &str = "Les aides possibles.";
const CONTACTS: &str = "Votre conseiller France Travail, Cap Emploi ou Mission Locale.";
const EXPANSION: &str = "La forme longue du sigle.";
const DEFINITION: &str = "Une définition courte, en mots simples.";
const TEXTE: &str = "Le texte de la fiche.";

/// The text of a new card of this kind.
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
