//! The codes of the content lints, for `allow` lists and `fiches schema`.
//!
//! Takes: `allow` lists with the position of each code. Gives: every
//! warning code with what it reports (`LINTS`). Reports: an unknown code in
//! an `allow` list (a card's front matter or guide.toml).

use std::ops::Range;

use super::{Diagnostic, LineIndex, Severity, suggest};

/// One lint: its code and what it reports, for `allow` and `fiches schema`.
pub struct Lint {
    pub code: &'static str,
    pub what: &'static str,
}

/// Every warning code, in the order of the field reference.
pub const LINTS: &[Lint] = &[
    Lint {
        code: "lien-vague",
        what: "un texte de lien qui ne dit pas où il mène : « ici », « cliquez ici », « lien », « en savoir plus », ou l'adresse elle-même",
    },
    Lint {
        code: "phrase-longue",
        what: "une phrase de plus de 25 mots",
    },
    Lint {
        code: "paragraphe-long",
        what: "un paragraphe de plus de 5 phrases",
    },
    Lint {
        code: "mot-difficile",
        what: "un mot de la liste `mots_difficiles` de guide.toml (jargon) : l'avertissement propose le mot simple à écrire à la place",
    },
    Lint {
        code: "majuscules",
        what: "un mot écrit en majuscules pour insister (les sigles du glossaire ne comptent pas)",
    },
    Lint {
        code: "italique",
        what: "du texte en italique (*texte* ou _texte_)",
    },
    Lint {
        code: "souligne",
        what: "du texte souligné (<u> ou <ins>)",
    },
    Lint {
        code: "titre-saute",
        what: "un niveau de titre sauté (## puis ####), ou un texte qui commence par ###",
    },
    Lint {
        code: "titre-principal",
        what: "un titre de niveau 1 (#) dans le texte : le titre de la fiche est déjà le titre de niveau 1",
    },
    Lint {
        code: "image-sans-alt",
        what: "une image prise sur un autre site sans texte de remplacement (une image de la fiche sans texte de remplacement est une erreur)",
    },
    Lint {
        code: "image-lourde",
        what: "une image d'une fiche plus lourde que `images_max_ko` (500 Ko par défaut) : longue à charger sur un téléphone",
    },
    Lint {
        code: "texte-modele",
        what: "une phrase modèle de `fiches new` restée dans la fiche (« Premier objectif. », « Ce que c'est. »…) : remplacez-la par le vrai texte ou supprimez-la",
    },
    Lint {
        code: "impression-longue",
        what: "une fiche si longue qu'elle prendra sans doute plus de 3 pages A4 à l'impression",
    },
    Lint {
        code: "resume-long",
        what: "un résumé (summary) de plus de 20 mots",
    },
    Lint {
        code: "fiche-ancienne",
        what: "une fiche dont la date `updated` date de plus de `stale_after_days` jours (365 par défaut)",
    },
    Lint {
        code: "lien-http",
        what: "une adresse en http:// au lieu de https://",
    },
    Lint {
        code: "allow-inconnu",
        what: "un code inconnu dans `allow`",
    },
    Lint {
        code: "sigle-inconnu",
        what: "un sigle qui n'a pas de fiche dans le glossaire (signalé par l'étape du glossaire)",
    },
];

/// Whether a code names a lint (for `allow`).
pub fn is_code(code: &str) -> bool {
    LINTS.iter().any(|l| l.code == code)
}

/// Warns about unknown codes in an `allow` list: each code with where it is
/// written in `file` (a card or guide.toml), as the TOML parser found it.
pub fn check_allow<'a>(
    file: &str,
    lines: &LineIndex,
    codes: impl Iterator<Item = (&'a str, Range<usize>)>,
    diags: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = LINTS.iter().map(|l| l.code).collect();
    for (code, at) in codes.filter(|(c, _)| !is_code(c)) {
        let help = match suggest(code, &names) {
            Some(s) => format!(
                "vouliez-vous dire \"{s}\" ? Codes possibles : {}",
                names.join(", ")
            ),
            None => format!("codes possibles : {}", names.join(", ")),
        };
        diags.push(
            Diagnostic::at(
                Severity::Warning,
                "allow-inconnu",
                file,
                lines,
                at,
                format!(
                    "code d'avertissement inconnu \"{code}\" dans `allow` : il ne fait rien taire"
                ),
            )
            .help(help),
        );
    }
}
