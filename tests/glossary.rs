//! The glossary stage (issue #10): which words become tooltips, the markup
//! they get once rendered, the `sigle-inconnu` warnings, and the real guide's
//! glossary against the annex's list of terms.

use fiches::diag::{Diagnostic, Severity};
use fiches::model::{Card, SourceFile};
use std::path::{Path, PathBuf};

/// A `terme` card file.
fn term(slug: &str, term: &str, expansion: &str, extra: &str) -> (String, String) {
    (
        format!("content/glossaire/{slug}.md"),
        format!(
            "+++\ntitle = \"{term}\"\nkind = \"terme\"\nterm = \"{term}\"\nexpansion = \"{expansion}\"\n\
             summary = \"Définition de {term}.\"\nupdated = 2026-11-22\n{extra}\n+++\n\nDéfinition.\n"
        ),
    )
}

/// A `dispositif` card file with this body.
fn fiche(slug: &str, body: &str, extra: &str) -> (String, String) {
    (
        format!("content/dispositifs/{slug}.md"),
        format!(
            "+++\ntitle = \"Fiche {slug}\"\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\n\
             summary = \"Une fiche.\"\nupdated = 2026-11-22\n{extra}\n+++\n\n{body}"
        ),
    )
}

/// The terms every test knows.
fn terms() -> Vec<(String, String)> {
    vec![
        term(
            "rqth",
            "RQTH",
            "Reconnaissance de la qualité de travailleur handicapé",
            "",
        ),
        term(
            "opco",
            "OPCO",
            "Opérateur de compétences",
            "aliases = [\"Opérateur de compétences\"]",
        ),
        term("afc", "AFC", "Action de formation conventionnée", ""),
        term("vae", "VAE", "Validation des acquis de l’expérience", ""),
        term(
            "vae-th",
            "VAE TH",
            "VAE pour les travailleurs handicapés",
            "",
        ),
        term(
            "cpf",
            "CPF",
            "Compte personnel de formation",
            "aliases = [\"compte personnel de formation\"]",
        ),
        term(
            "agefiph",
            "AGEFIPH",
            "Association de gestion du fonds",
            "aliases = [\"Agefiph\"]",
        ),
        term(
            "qualiopi",
            "Qualiopi",
            "Marque de certification qualité",
            "",
        ),
    ]
}

/// Runs the stages on the files, as `fiches build` does; gives the cards
/// and the glossary's diagnostics.
fn run(files: Vec<(String, String)>, allow: &[&str]) -> (Vec<Card>, Vec<Diagnostic>) {
    let mut files: Vec<SourceFile> = files
        .into_iter()
        .map(|(rel, text)| SourceFile::new(rel.clone(), PathBuf::from(&rel), text))
        .collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut diags = Vec::new();
    fiches::parse::parse(&files, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let allow: Vec<String> = allow.iter().map(|s| format!("{s:?}")).collect();
    let cfg: fiches::config::Config = toml::from_str(&format!(
        "title = \"Guide\"\nallow = [{}]",
        allow.join(", ")
    ))
    .expect("guide.toml");
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    diags.retain(|d| matches!(d.code, "terme-en-double" | "sigle-inconnu"));
    (cards, diags)
}

fn card<'a>(cards: &'a [Card], slug: &str, is_term: bool) -> &'a Card {
    cards
        .iter()
        .find(|c| c.slug == slug && c.is_term() == is_term)
        .expect("card")
}

/// The rendered body with each tooltip written `[TEXT→slug]`.
fn marked(html: &str) -> String {
    const START: &str = "<span class=\"term\"><a class=\"term-link\" href=\"glossaire.html#";
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        let t = &rest[i + START.len()..];
        let slug = &t[..t.find('"').unwrap()];
        let text_at = t.find("\">").unwrap() + 2;
        let text = &t[text_at..text_at + t[text_at..].find("</a>").unwrap()];
        out.push_str(&format!("[{text}→{slug}]"));
        let end = t.find("</span></span>").unwrap() + "</span></span>".len();
        rest = &t[end..];
    }
    out.push_str(rest);
    out.replace("<p>", "")
        .replace("</p>", "")
        .trim()
        .to_string()
}

/// The body of a one-fiche guide, marked.
fn wrap(body: &str) -> String {
    let mut files = terms();
    files.push(fiche("exemple", body, ""));
    let (cards, _) = run(files, &[]);
    marked(&fiches::render::body_html(
        card(&cards, "exemple", false),
        &Default::default(),
        "",
    ))
}

#[test]
fn the_first_use_of_each_term_in_running_text_becomes_a_tooltip() {
    for (body, want) in [
        // First use only, whatever form it takes.
        ("La RQTH, puis la RQTH.", "La [RQTH→rqth], puis la RQTH."),
        (
            "Le compte personnel de formation (CPF).",
            "Le [compte personnel de formation→cpf] (CPF).",
        ),
        // French elisions, with ' or ’.
        (
            "L'AFC, l’OPCO et d’AFC.",
            "L'[AFC→afc], l’[OPCO→opco] et d’AFC.",
        ),
        // Longest match first, and a longer term is not a use of a shorter one.
        (
            "La VAE TH puis la VAE.",
            "La [VAE TH→vae-th] puis la [VAE→vae].",
        ),
        (
            "La VAE TH et la VAE TH.",
            "La [VAE TH→vae-th] et la VAE TH.",
        ),
        // Whole words only.
        ("RQTHX, XRQTH et AFC2.", "RQTHX, XRQTH et AFC2."),
        ("Le PTP-AFC.", "Le PTP-[AFC→afc]."),
        // Acronyms match case-sensitively; other forms do not.
        ("La rqth, la Rqth.", "La rqth, la Rqth."),
        ("Certifié QUALIOPI.", "Certifié [QUALIOPI→qualiopi]."),
        // An acronym with a mixed-case alias ("AGEFIPH", "Agefiph"): both work.
        (
            "Les aides de l'Agefiph.",
            "Les aides de l'[Agefiph→agefiph].",
        ),
        ("L'AGEFIPH, l'Agefiph.", "L'[AGEFIPH→agefiph], l'Agefiph."),
        // The full name (`expansion`) is a form too.
        (
            "Une action de formation conventionnée.",
            "Une [action de formation conventionnée→afc].",
        ),
        // Full names match with or without accents.
        (
            "Un operateur de competences.",
            "Un [operateur de competences→opco].",
        ),
        // Plural policy: a final lowercase "s" is a use of the acronym
        // ("OPCOs" → OPCO); capitals are not ("OPCOS" is another word).
        ("Les OPCOs.", "Les [OPCOs→opco]."),
        ("Les OPCOS.", "Les OPCOS."),
    ] {
        assert_eq!(wrap(body), want, "{body}");
    }
}

#[test]
fn headings_links_code_images_and_raw_html_are_left_alone() {
    for (body, want) in [
        (
            "## La RQTH\n\nLa RQTH.",
            "<h2 id=\"la-rqth\">La RQTH</h2>\nLa [RQTH→rqth].",
        ),
        (
            "[La RQTH](https://www.exemple.fr/) et la RQTH.",
            "<a href=\"https://www.exemple.fr/\">La RQTH</a> et la [RQTH→rqth].",
        ),
        ("`RQTH` et RQTH.", "<code>RQTH</code> et [RQTH→rqth]."),
        (
            "```\nRQTH\n```\n\nRQTH.",
            "<pre><code>RQTH\n</code></pre>\n[RQTH→rqth].",
        ),
        (
            "![La RQTH](a.png) et la RQTH.",
            "<img src=\"a.png\" alt=\"La RQTH\" /> et la [RQTH→rqth].",
        ),
        (
            "<abbr>RQTH</abbr> et la RQTH.",
            "&lt;abbr&gt;RQTH&lt;/abbr&gt; et la [RQTH→rqth].",
        ),
        ("**La RQTH** aide.", "<strong>La [RQTH→rqth]</strong> aide."),
    ] {
        assert_eq!(wrap(body), want, "{body}");
    }
}

#[test]
fn a_term_is_not_wrapped_in_its_own_card_nor_in_its_own_fiche() {
    let mut files = terms();
    // The RQTH term card talks about itself and about the AFC.
    files.retain(|(p, _)| !p.ends_with("/rqth.md"));
    files.push((
        "content/glossaire/rqth.md".into(),
        "+++\ntitle = \"RQTH\"\nkind = \"terme\"\nterm = \"RQTH\"\nexpansion = \"Reconnaissance\"\n\
         summary = \"La RQTH.\"\nupdated = 2026-11-22\nfiche = \"demande\"\n+++\n\nLa RQTH ouvre l'AFC.\n"
            .into(),
    ));
    // `cpf` is the CPF term's fiche by its slug, `demande` the RQTH's by `fiche`.
    files.push(fiche("cpf", "Le CPF finance la VAE.", ""));
    files.push(fiche("demande", "Demander la RQTH avant l'AFC.", ""));
    let (cards, _) = run(files, &[]);
    let body = |slug, is_term| {
        marked(&fiches::render::body_html(
            card(&cards, slug, is_term),
            &Default::default(),
            "",
        ))
    };
    assert_eq!(body("rqth", true), "La RQTH ouvre l'[AFC→afc].");
    assert_eq!(body("cpf", false), "Le CPF finance la [VAE→vae].");
    assert_eq!(
        body("demande", false),
        "Demander la RQTH avant l'[AFC→afc]."
    );
}

#[test]
fn the_tooltip_follows_the_accessible_pattern_and_links_relative_to_the_page() {
    let mut files = terms();
    files.push(fiche(
        "exemple",
        "La RQTH et le compte personnel de formation.",
        "",
    ));
    let (cards, _) = run(files, &[]);
    let html =
        fiches::render::body_html(card(&cards, "exemple", false), &Default::default(), "../");
    assert!(html.contains(
        "<span class=\"term\"><a class=\"term-link\" href=\"../glossaire.html#rqth\" aria-describedby=\"def-rqth-1\">RQTH</a>\
         <span class=\"term-print\"> (Reconnaissance de la qualité de travailleur handicapé)</span>\
         <span class=\"term-def\" id=\"def-rqth-1\" role=\"tooltip\">Reconnaissance de la qualité de travailleur handicapé. Définition de RQTH.</span></span>"
    ), "{html}");
    // Written in full: no spelled-out form on paper, and the bubble names the acronym.
    assert!(html.contains(
        "aria-describedby=\"def-cpf-1\">compte personnel de formation</a>\
         <span class=\"term-def\" id=\"def-cpf-1\" role=\"tooltip\">Compte personnel de formation (CPF). Définition de CPF.</span>"
    ), "{html}");
}

#[test]
fn tooltip_ids_are_unique_over_the_whole_guide() {
    let mut files = terms();
    for slug in ["a", "b", "c"] {
        files.push(fiche(slug, "La RQTH et la RQTH.", ""));
    }
    let (cards, _) = run(files, &[]);
    let ids: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|s| {
            let html = fiches::render::body_html(card(&cards, s, false), &Default::default(), "");
            let at = html.find("id=\"def-").expect("a tooltip") + 4;
            html[at..at + html[at..].find('"').unwrap()].to_string()
        })
        .collect();
    assert_eq!(ids, ["def-rqth-1", "def-rqth-2", "def-rqth-3"]);
}

#[test]
fn markup_from_authors_is_never_taken_for_a_tooltip() {
    let body =
        "<span class=\"term\"><a class=\"term-link\" href=\"javascript:alert(1)\">x</a></span>";
    let html = wrap(body);
    assert!(!html.contains("<a "), "{html}");
    assert!(html.contains("&lt;span class=\"term\"&gt;"), "{html}");
}

#[test]
fn text_with_quotes_and_brackets_is_escaped_in_the_tooltip() {
    let mut files = vec![term(
        "smic",
        "SMIC",
        "Salaire <minimum> \\\"interprofessionnel\\\" & co",
        "",
    )];
    files.push(fiche("exemple", "Le SMIC.", ""));
    let (cards, _) = run(files, &[]);
    let html = fiches::render::body_html(card(&cards, "exemple", false), &Default::default(), "");
    assert!(
        html.contains("Salaire &lt;minimum&gt; &quot;interprofessionnel&quot; &amp; co"),
        "{html}"
    );
}

#[test]
fn unknown_acronyms_are_warned_once_per_card_with_their_position() {
    let mut files = terms();
    files.push(fiche(
        "exemple",
        "## Le SMIC\n\nLe SMIC, la RQTH, [la CAF](https://caf.fr/), `CODE`, le titre II,\nles TPE et les DuoDay.\n",
        "",
    ));
    let (_, diags) = run(files, &[]);
    let got: Vec<(String, usize, usize, Severity, &str)> = diags
        .iter()
        .map(|d| (d.message.clone(), d.line, d.column, d.severity, d.code))
        .collect();
    let text = &fiche("exemple", "", "").1;
    let head = text.lines().count() + 1; // the body starts after the blank line
    assert_eq!(
        got,
        [
            (
                "« SMIC » ressemble à un sigle qui n'est pas dans le glossaire (écrit 2 fois dans cette fiche)".to_string(),
                head,
                7,
                Severity::Warning,
                "sigle-inconnu"
            ),
            (
                "« TPE » ressemble à un sigle qui n'est pas dans le glossaire".to_string(),
                head + 3,
                5,
                Severity::Warning,
                "sigle-inconnu"
            ),
        ]
    );
}

#[test]
fn unknown_acronym_warnings_respect_allow_lists() {
    let mut files = terms();
    files.push(fiche("tu", "Le SMIC.", "allow = [\"sigle-inconnu\"]"));
    files.push(fiche("dit", "Le SMIC.", ""));
    let (_, diags) = run(files.clone(), &[]);
    let files_warned: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files_warned, ["content/dispositifs/dit.md"]);
    let (_, diags) = run(files, &["sigle-inconnu"]);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn a_form_claimed_by_two_terms_is_reported() {
    let mut files = terms();
    files.push(term(
        "cpf2",
        "CPF2",
        "Autre",
        "aliases = [\"Compte personnel de formation\"]",
    ));
    let (_, diags) = run(files, &[]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "terme-en-double");
    assert_eq!(diags[0].file, "content/glossaire/cpf2.md");
}

/// The guide's annex lists its terms in `tests/data/glossary_terms.txt`, one
/// line each ("DE / DELD" holds two): each one is the `term` of a card.
#[test]
fn every_term_of_the_annex_has_a_card() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(root.join("tests/data/glossary_terms.txt")).unwrap();
    let mut diags = Vec::new();
    let files = fiches::load::load(root, &mut diags);
    let cards = fiches::parse::parse(&files, &mut diags);
    let terms: Vec<&str> = cards
        .iter()
        .filter(|c| c.is_term())
        .filter_map(|c| c.fm.term.as_deref())
        .collect();
    let missing: Vec<&str> = list
        .lines()
        .flat_map(|l| l.split(" / "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !terms.contains(t))
        .collect();
    assert!(missing.is_empty(), "terms without a card: {missing:?}");
}

/// On the real guide: no form claimed twice, and a fiche that uses several
/// terms gets a tooltip for each (the browser suite tests the same page).
#[test]
fn the_real_guide_gets_tooltips_without_conflicts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut diags = Vec::new();
    let files = fiches::load::load(root, &mut diags);
    let cfg: fiches::config::Config = toml::from_str("title = \"Guide\"").expect("guide.toml");
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    let conflicts: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == "terme-en-double")
        .collect();
    assert!(conflicts.is_empty(), "{conflicts:?}");
    let poe = card(&cards, "poe", false);
    let html = fiches::render::body_html(poe, &Default::default(), "../");
    for term in ["agefiph", "dea", "de"] {
        assert!(
            html.contains(&format!("href=\"../glossaire.html#{term}\"")),
            "no {term} tooltip on the POE fiche"
        );
    }
    assert!(
        !html.contains("glossaire.html#poe\""),
        "POE is explained by its own fiche"
    );
}
