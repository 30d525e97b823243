//! The theme owns presentation (issue 15): a theme whose `theme.toml` draws
//! icons, picks section icons and names the QR code differently changes
//! the built pages accordingly, with no change to the code.

mod common;

use common::{copy_fixture, copy_tree, fiches, repo};

/// Builds the fixture site with a copy of the default theme whose
/// `theme.toml` went through `edit`; returns `fiches/poe.html`.
fn poe_with_theme(edit: impl Fn(String) -> String) -> String {
    let site = copy_fixture("site");
    let theme = site.root.join("mon-theme");
    copy_tree(&repo().join("themes/default"), &theme);
    let toml = std::fs::read_to_string(theme.join("theme.toml")).unwrap();
    std::fs::write(theme.join("theme.toml"), edit(toml)).unwrap();
    let guide = std::fs::read_to_string(site.root.join("guide.toml")).unwrap();
    let guide: String = guide
        .lines()
        .filter(|l| !l.starts_with("theme"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        site.root.join("guide.toml"),
        format!("theme = \"mon-theme\"\nbase_url = \"https://guide.example.fr/\"\n{guide}"),
    )
    .unwrap();
    fiches(&site.root, ["build"]).expect(0);
    std::fs::read_to_string(site.root.join("public/fiches/poe.html")).unwrap()
}

#[test]
fn the_default_theme_draws_svg_icons_and_names_the_qr_code() {
    let page = poe_with_theme(|t| t);
    let heading = page
        .split("<h2 id=\"etapes-cles\">")
        .nth(1)
        .expect("the steps heading");
    assert!(heading.starts_with("<svg class=\"icon\""), "{heading}");
    assert!(page.contains("aria-label=\"Code QR de l'adresse de cette page\""));
}

#[test]
fn a_theme_that_overrides_the_icon_template_changes_the_icons() {
    let page = poe_with_theme(|t| {
        t.replace(
            "gabarit = '<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\"><path fill=\"currentColor\" d=\"{d}\"/></svg>'",
            "gabarit = '<img class=\"pictogramme\" alt=\"\" src=\"data:image/svg+xml,{d}\">'",
        )
        .replace(
            "{ mot = \"etape\", icone = \"etapes\" }",
            "{ mot = \"etape\", icone = \"personne\" }",
        )
        .replace(
            "label = \"Code QR de l'adresse de cette page\"",
            "label = \"Adresse de la fiche en code QR\"",
        )
    });
    assert!(
        !page.contains("class=\"icon\""),
        "no icon of the default template is left"
    );
    // Icons written in templates (the print button) and in card bodies.
    let button = page
        .split("class=\"print-button\"")
        .nth(1)
        .expect("the print button");
    assert!(
        button.starts_with(" hidden><img class=\"pictogramme\""),
        "{button}"
    );
    let heading = page
        .split("<h2 id=\"etapes-cles\">")
        .nth(1)
        .expect("the steps heading");
    let personne = "M12 12a5 5 0 1 0 0-10";
    assert!(
        heading.contains(&format!(
            "<img class=\"pictogramme\" alt=\"\" src=\"data:image/svg+xml,{personne}"
        )),
        "the steps heading gets the icon the theme chose: {heading}"
    );
    assert!(page.contains("aria-label=\"Adresse de la fiche en code QR\""));
}

#[test]
fn a_theme_without_theme_toml_is_an_error_naming_the_file() {
    let site = copy_fixture("site");
    let theme = site.root.join("mon-theme");
    copy_tree(&repo().join("themes/default"), &theme);
    std::fs::remove_file(theme.join("theme.toml")).unwrap();
    let guide = std::fs::read_to_string(site.root.join("guide.toml")).unwrap();
    let guide: String = guide
        .lines()
        .filter(|l| !l.starts_with("theme"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        site.root.join("guide.toml"),
        format!("theme = \"mon-theme\"\n{guide}"),
    )
    .unwrap();
    let run = fiches(&site.root, ["check"]);
    run.expect(1);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("mon-theme/theme.toml"), "{said}");
}
