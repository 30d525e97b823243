//! `fiches schema`: the field reference for editors, in French Markdown.
//!
//! Takes: the key lists and `Choices` of `model.rs`, the keys of
//! `config.rs` and the lint codes of `lint.rs`. Gives: the text of
//! `docs/champs.md` (a test fails when the committed file is out of date).
//! The descriptions live here, one per key; a unit test checks that every
//! key of the model has one, so a new field cannot go undocumented.

use std::fmt::Write;

use crate::model::*;

/// One key of the front matter or of guide.toml, described for editors.
pub struct Field {
    pub key: &'static str,
    /// When the field must be written ("oui", "non", "pour un dispositif"...).
    pub required: &'static str,
    pub what: &'static str,
    pub example: &'static str,
    /// The closed list of values, if there is one.
    pub choices: Option<&'static Choices>,
}

const fn field(
    key: &'static str,
    required: &'static str,
    what: &'static str,
    example: &'static str,
) -> Field {
    Field {
        key,
        required,
        what,
        example,
        choices: None,
    }
}

const fn listed(
    key: &'static str,
    required: &'static str,
    what: &'static str,
    example: &'static str,
    choices: &'static Choices,
) -> Field {
    Field {
        key,
        required,
        what,
        example,
        choices: Some(choices),
    }
}

/// The keys of the front matter, before any `[table]`.
pub const TOP: &[Field] = &[
    field(
        "title",
        "oui",
        "Le titre complet de la fiche, en français.",
        "title = \"Préparation opérationnelle à l'emploi\"",
    ),
    field(
        "acronym",
        "non",
        "Le sigle, s'il y en a un. Il s'affiche après le titre.",
        "acronym = \"POE\"",
    ),
    listed(
        "kind",
        "oui",
        "Le type de fiche. Il décide de l'adresse de la page et de la rubrique où elle apparaît.",
        "kind = \"dispositif\"",
        &KINDS,
    ),
    listed(
        "stages",
        "pour un dispositif",
        "Les étapes du parcours où la fiche se place : une ou plusieurs. La première est l'étape principale : le fil d'Ariane de la fiche passe par elle.",
        "stages = [\"formation\"]",
        &STAGES,
    ),
    listed(
        "droit",
        "pour un dispositif ou un outil",
        "« commun » : ouvert à tous. « specifique » : réservé aux personnes dont le handicap est reconnu (RQTH, BOETH).",
        "droit = \"commun\"",
        &DROITS,
    ),
    listed(
        "publics",
        "non",
        "Les publics concernés : une ou plusieurs valeurs.",
        "publics = [\"demandeur-emploi\", \"salarie\"]",
        &PUBLICS,
    ),
    field(
        "summary",
        "oui",
        "Le résumé : une seule phrase courte (20 mots au plus), en mots simples, qui dit à quoi sert la fiche. Il s'affiche en haut de la fiche, dans les listes et dans la recherche.",
        "summary = \"Une formation courte pour apprendre un métier avant d'être embauché.\"",
    ),
    field(
        "questions",
        "non",
        "Les questions que les gens se posent et auxquelles la fiche répond, dans leurs mots (3 à 6, une phrase chacune). Elles s'affichent sur la fiche (« Cette fiche répond à ») et la recherche les trouve en priorité. Écrivez-les sur une seule ligne, juste après `summary`.",
        "questions = [\"Je veux découvrir un métier avant de me former\", \"Comment essayer un métier en entreprise ?\"]",
    ),
    field(
        "updated",
        "oui",
        "La date de la dernière vérification de la fiche : année-mois-jour, sans guillemets. Quand elle a plus de `stale_after_days` jours (365 par défaut), `fiches check` le signale.",
        "updated = 2026-11-22",
    ),
    field(
        "order",
        "non",
        "Un nombre entier : la place de la fiche dans les listes de la page d'accueil (les plus petits d'abord).",
        "order = 10",
    ),
    field(
        "aliases",
        "non",
        "D'autres noms que les lecteurs peuvent chercher. Ils servent à la recherche et au glossaire.",
        "aliases = [\"Immersion facilitée\", \"PMSMP\"]",
    ),
    listed(
        "territoire",
        "non",
        "Les départements où la fiche s'applique. Vide : toute la région.",
        "territoire = [\"nord\"]",
        &TERRITOIRES,
    ),
    listed(
        "situations",
        "non",
        "Les situations dans lesquelles la fiche est particulièrement utile.",
        "situations = [\"arret-travail\"]",
        &SITUATIONS,
    ),
    field(
        "allow",
        "non",
        "Les codes d'avertissement à taire pour cette fiche seulement (voir « Les avertissements » plus bas). À utiliser rarement, après en avoir parlé.",
        "allow = [\"phrase-longue\"]",
    ),
    field(
        "term",
        "pour un terme du glossaire",
        "Le mot ou le sigle, écrit comme dans les fiches.",
        "term = \"RQTH\"",
    ),
    field(
        "expansion",
        "pour un terme du glossaire",
        "La forme longue du sigle.",
        "expansion = \"Reconnaissance de la qualité de travailleur handicapé\"",
    ),
    field(
        "fiche",
        "non",
        "Pour un terme du glossaire : le nom du fichier (sans .md) de la fiche qui l'explique.",
        "fiche = \"cpf\"",
    ),
    listed(
        "source",
        "non",
        "Pour un terme du glossaire dont la forme longue ne vient pas des guides sources : d'où elle vient. Jamais montré aux lecteurs ; `fiches check --sources` liste ces termes pour que le PRITH les relise.",
        "source = \"usage\"",
        &SOURCES,
    ),
    field(
        "related",
        "non",
        "Les autres fiches proposées en « Voir aussi » : leurs noms de fichiers, sans .md.",
        "related = [\"afc\", \"pmsmp\"]",
    ),
    field(
        "compensation",
        "non",
        "Les outils de compensation cités : les noms de fichiers des fiches outils, sans .md.",
        "compensation = [\"aides-agefiph\", \"dea\"]",
    ),
    field(
        "points",
        "non",
        "Le tableau [points] : « La solution en quelques points clefs » (voir plus bas).",
        "[points]",
    ),
    field(
        "regimes",
        "non",
        "Le tableau [regimes] : les régimes de sécurité sociale qui financent (voir plus bas).",
        "[regimes]",
    ),
    field(
        "pendant_arret_travail",
        "non",
        "Le tableau [pendant_arret_travail] : si on peut l'utiliser pendant un arrêt de travail (voir plus bas).",
        "[pendant_arret_travail]",
    ),
    field(
        "links",
        "non",
        "Les liens de la fiche : un tableau [[links]] par lien (voir plus bas).",
        "[[links]]",
    ),
    field(
        "draft",
        "non (false)",
        "`true` : la fiche est un brouillon. `fiches build` la laisse de côté (pas de page, absente des listes, de la recherche, du glossaire, du guide complet et du plan du site) ; `fiches serve` la montre avec le bandeau « Brouillon : cette fiche n'est pas publiée » ; `fiches check` liste les brouillons. Une fiche publiée ne peut pas faire de lien vers un brouillon (erreur brouillon). L'en-tête d'un brouillon doit être juste.",
        "draft = true",
    ),
];

/// The keys of `[points]`: one short paragraph each.
pub const POINTS: &[Field] = &[
    field(
        "nature",
        "non",
        "Ce que c'est.",
        "nature = \"Une formation avant l'embauche.\"",
    ),
    field(
        "publics",
        "non",
        "Qui peut en bénéficier.",
        "publics = \"Les demandeurs d'emploi.\"",
    ),
    field(
        "operateurs",
        "non",
        "Qui le met en œuvre.",
        "operateurs = \"L'employeur et un organisme de formation.\"",
    ),
    field(
        "prescripteurs",
        "non",
        "Qui oriente vers ce dispositif.",
        "prescripteurs = \"Le conseiller France Travail.\"",
    ),
    field(
        "financement",
        "non",
        "Qui paie.",
        "financement = \"France Travail et l'OPCO.\"",
    ),
];

/// The keys of `[regimes]`: all four, `true` or `false`.
pub const REGIMES: &[Field] = &[
    field(
        "general",
        "oui",
        "Régime général de la sécurité sociale.",
        "general = true",
    ),
    field(
        "agricole",
        "oui",
        "Régime agricole (MSA).",
        "agricole = true",
    ),
    field(
        "independant",
        "oui",
        "Travailleurs indépendants.",
        "independant = false",
    ),
    field(
        "fonction_publique",
        "oui",
        "Fonction publique.",
        "fonction_publique = true",
    ),
];

/// The keys of `[pendant_arret_travail]`.
pub const PENDANT: &[Field] = &[
    field(
        "possible",
        "oui",
        "`true` si on peut l'utiliser pendant un arrêt de travail, sinon `false`.",
        "possible = true",
    ),
    field(
        "note",
        "non",
        "Une précision, en une ou deux phrases courtes.",
        "note = \"Avec l'accord du médecin conseil.\"",
    ),
];

/// The keys of each `[[links]]`.
pub const LINKS: &[Field] = &[
    field(
        "title",
        "oui",
        "Le texte du lien : il dit où il mène. Jamais « ici », « lien », « cliquez ici » ni l'adresse elle-même.",
        "title = \"La POE sur le site du ministère du Travail\"",
    ),
    field(
        "url",
        "oui",
        "L'adresse complète : https://…, ou mailto: pour un e-mail, ou tel: pour un téléphone.",
        "url = \"https://travail-emploi.gouv.fr/la-preparation-operationnelle-lemploi-poe\"",
    ),
    listed(
        "kind",
        "non (ressource par défaut)",
        "La liste où le lien s'affiche.",
        "kind = \"contact\"",
        &LINK_KINDS,
    ),
];

/// The keys of guide.toml.
pub const GUIDE: &[Field] = &[
    field(
        "title",
        "oui",
        "Le nom du guide, en haut de chaque page et sur papier.",
        "title = \"Guide pratique Formation et emploi des personnes handicapées\"",
    ),
    field(
        "short_title",
        "non (le titre)",
        "Le nom court du guide, sur une ligne en haut de chaque page sur un téléphone.",
        "short_title = \"Guide PRITH Hauts-de-France\"",
    ),
    field(
        "description",
        "non",
        "Une phrase sous le titre, sur la page d'accueil.",
        "description = \"Les solutions pour se former et travailler.\"",
    ),
    field(
        "base_url",
        "non",
        "L'adresse publique du site. Elle permet le plan du site (sitemap.xml) et les QR codes.",
        "base_url = \"https://www.prith-hdf.fr/guide/\"",
    ),
    field(
        "edit_url",
        "non",
        "L'adresse de l'éditeur de la forge, à laquelle on ajoute le chemin de la fiche : chaque fiche a alors un lien « Modifier cette fiche ».",
        "edit_url = \"https://github.com/prith-hdf/fiches/edit/main/\"",
    ),
    field(
        "language",
        "non (fr)",
        "La langue des pages ; seul « fr » est possible.",
        "language = \"fr\"",
    ),
    field(
        "theme",
        "non (themes/default)",
        "Le dossier du thème, à partir du dossier du guide.",
        "theme = \"themes/default\"",
    ),
    field(
        "stale_after_days",
        "non (365)",
        "Le nombre de jours après lequel une fiche est signalée comme ancienne (avertissement fiche-ancienne).",
        "stale_after_days = 365",
    ),
    field(
        "allow",
        "non",
        "Les codes d'avertissement à taire pour tout le guide.",
        "allow = [\"paragraphe-long\"]",
    ),
    field(
        "allow_html",
        "non (false)",
        "`true` garde le HTML écrit dans les fiches ; sinon il s'affiche comme du texte.",
        "allow_html = false",
    ),
    field(
        "minify",
        "non (true)",
        "`true` écrit des pages HTML plus légères.",
        "minify = true",
    ),
    field(
        "precaution",
        "non",
        "La précaution de lecture, affichée au bas de chaque fiche.",
        "precaution = \"Ces informations ont peut-être changé.\"",
    ),
    field(
        "publisher",
        "non",
        "Qui publie le guide, en bas de chaque page.",
        "publisher = \"PRITH Hauts-de-France\"",
    ),
    field(
        "noms_propres",
        "non",
        "Les noms d'organismes écrits en capitales qui sont des noms, pas des sigles à expliquer (APAHM, IPSHO…) : l'avertissement sigle-inconnu ne les signale pas. N'inventez jamais de forme longue : un sigle qui en a une va dans le glossaire.",
        "noms_propres = [\"APAHM\", \"IPSHO\"]",
    ),
    field(
        "mots_difficiles",
        "non",
        "Le tableau [mots_difficiles] (à la fin de guide.toml) : une ligne par mot, `\"mot difficile\" = \"mot simple à écrire à la place\"` (le mot entre guillemets, à cause des accents). L'avertissement mot-difficile le signale dans les fiches, avec la suggestion. Le mot est trouvé sans tenir compte des majuscules, seul ou suivi de -s, -e, -es.",
        "mots_difficiles = { \"employabilité\" = \"chances de trouver un emploi\" }",
    ),
    field(
        "liens_cache_jours",
        "non (7)",
        "Le nombre de jours pendant lesquels `fiches links` garde la réponse d'une adresse qui marchait, sans la vérifier à nouveau (fichier `.fiches-liens.json`).",
        "liens_cache_jours = 7",
    ),
    field(
        "pdf",
        "non (true)",
        "`true` écrit aussi le PDF de chaque fiche et du guide entier (dossier pdf/).",
        "pdf = true",
    ),
    field(
        "offline_zip",
        "non (true)",
        "`true` écrit aussi guide-hors-ligne.zip : tout le site, à décompresser et ouvrir sans internet.",
        "offline_zip = true",
    ),
    field(
        "images_max_ko",
        "non (500)",
        "Le poids (en kilo-octets) au-delà duquel une image d'une fiche est signalée (avertissement image-lourde) : une image lourde est longue à charger sur un téléphone.",
        "images_max_ko = 500",
    ),
];

/// The whole reference, as written to `docs/champs.md`.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Les champs d'une fiche\n\n\
         <!-- Ce fichier est produit par la commande `fiches schema > docs/champs.md`. \
         Ne le modifiez pas à la main : modifiez src/schema.rs. -->\n\n\
         Une fiche est un fichier `content/<dossier>/<nom>.md`. Elle commence par un en-tête \
         entre deux lignes `+++`, puis vient le texte de la fiche, en Markdown. \
         Dans l'en-tête, chaque ligne s'écrit `champ = valeur` :\n\n\
         - un texte entre guillemets droits : `title = \"Mon titre\"` ;\n\
         - une liste entre crochets : `stages = [\"formation\", \"emploi\"]` ;\n\
         - une date sans guillemets : `updated = 2026-11-22` ;\n\
         - un nombre ou `true` / `false` sans guillemets.\n\n\
         Les champs simples viennent d'abord. Les tableaux (`[points]`, `[regimes]`, \
         `[pendant_arret_travail]`, `[[links]]`) viennent ensuite. Un champ qui n'est pas dans \
         cette page est une erreur.\n\n",
    );
    section(&mut out, "## Les champs de l'en-tête", TOP);
    section(
        &mut out,
        "## Le tableau `[points]`\n\nLa solution en quelques points clefs : un court paragraphe par point.",
        POINTS,
    );
    section(
        &mut out,
        "## Le tableau `[regimes]`\n\nLes régimes de sécurité sociale qui financent : les quatre champs, `true` ou `false`.",
        REGIMES,
    );
    section(&mut out, "## Le tableau `[pendant_arret_travail]`", PENDANT);
    section(
        &mut out,
        "## Les liens `[[links]]`\n\nUn tableau `[[links]]` par lien, dans l'ordre où ils s'affichent.",
        LINKS,
    );
    out.push_str("## Les valeurs possibles\n\n");
    for c in [
        &KINDS,
        &STAGES,
        &DROITS,
        &PUBLICS,
        &TERRITOIRES,
        &SITUATIONS,
        &SOURCES,
        &LINK_KINDS,
    ] {
        let place = if std::ptr::eq(c, &LINK_KINDS) {
            " (dans `[[links]]`)"
        } else {
            ""
        };
        let _ = writeln!(out, "### `{}`{place} : {}\n", c.key, c.noun);
        out.push_str("| Valeur | Affiché sur le site |\n|---|---|\n");
        for (v, label) in c.values {
            let _ = writeln!(out, "| `{v}` | {} |", cell(label));
        }
        out.push('\n');
    }
    out.push_str(
        "## Les avertissements\n\n\
         `fiches check` signale aussi ce qui gêne la lecture. Ce ne sont pas des erreurs : \
         le site se construit quand même. Pour taire un avertissement, ajoutez son code \
         dans `allow` : dans l'en-tête d'une fiche pour cette fiche seulement, ou dans \
         guide.toml pour tout le guide.\n\n\
         | Code | Ce qu'il signale |\n|---|---|\n",
    );
    for l in crate::diag::LINTS {
        let _ = writeln!(out, "| `{}` | {} |", l.code, cell(&capital(l.what)));
    }
    out.push('\n');
    section(
        &mut out,
        "## Le fichier guide.toml\n\nLes réglages de tout le guide, à la racine du dossier.",
        GUIDE,
    );
    out.trim_end().to_string() + "\n"
}

fn section(out: &mut String, title: &str, fields: &[Field]) {
    let _ = writeln!(out, "{title}\n");
    out.push_str("| Champ | Obligatoire | Ce qu'il contient | Exemple |\n|---|---|---|---|\n");
    for f in fields {
        let mut what = f.what.to_string();
        if let Some(c) = f.choices {
            let _ = write!(what, " Valeurs : {}.", c.names().join(", "));
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | `{}` |",
            f.key,
            f.required,
            cell(&what),
            f.example.replace('|', "\\|")
        );
    }
    out.push('\n');
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_model_is_described_once() {
        for (fields, keys) in [
            (TOP, TOP_KEYS),
            (POINTS, POINTS_KEYS),
            (REGIMES, REGIMES_KEYS),
            (PENDANT, PENDANT_KEYS),
            (LINKS, LINK_KEYS),
            (GUIDE, crate::config::KEYS),
        ] {
            let described: Vec<&str> = fields.iter().map(|f| f.key).collect();
            assert_eq!(described, keys.to_vec());
        }
    }

    #[test]
    fn the_reference_lists_every_value_and_lint_code() {
        let md = markdown();
        for c in [&KINDS, &STAGES, &PUBLICS, &SITUATIONS] {
            for v in c.names() {
                assert!(md.contains(&format!("| `{v}` |")), "{v}");
            }
        }
        for l in crate::diag::LINTS {
            assert!(md.contains(&format!("| `{}` |", l.code)), "{}", l.code);
        }
    }
}
