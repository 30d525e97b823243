//! What `fiches build` writes for paper (issue 5), on the fixture site: the
//! print-only block of a fiche (its address, its QR code when `base_url` is
//! set, the numbered addresses of its links, marked `[n]` in the text), and
//! `guide-complet.html` (every card, one level of headings down, unique ids,
//! links between cards turned into anchors of the page).
//! The printed result itself (A4 page counts, pdftotext) is checked by the
//! browser suite: tests/browser/checks/print*.mjs.

mod common;

use common::{fiches, fixture};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const BASE: &str = "https://guide.example.fr/";

/// Builds the fixture site into `<tmp>/public` with extra arguments.
fn build(tmp: &Path, extra: &[&str]) -> PathBuf {
    let out = tmp.join("public");
    let mut args: Vec<String> = vec![
        "--root".into(),
        fixture("site").display().to_string(),
        "build".into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    fiches(tmp, &args).expect(0);
    out
}

/// A page of the output, with the `/` that Tera escapes in text put back.
fn page(out: &Path, rel: &str) -> String {
    let path = rel.split('/').fold(out.to_path_buf(), |p, c| p.join(c));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("&#x2F;", "/")
}

/// The print-only block at the end of a fiche.
fn annexe(html: &str) -> &str {
    let start = html
        .find("<aside class=\"print-only print-annexe\" hidden")
        .expect("the fiche has its print-only block, hidden on screen");
    let end = html[start..].find("</aside>").expect("the block is closed") + start;
    &html[start..end]
}

/// The print-only letterhead at the top of a fiche: the guide's name and the page's address.
fn entete(html: &str) -> &str {
    let start = html
        .find("<div class=\"print-only print-entete\" hidden>")
        .expect("the fiche has its print-only letterhead, hidden on screen");
    // The letterhead ends where the title starts (it holds the QR code's own div).
    let end = html[start..]
        .find("<h1")
        .expect("the title follows the letterhead")
        + start;
    &html[start..end]
}

/// The values of every `attr="…"` in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|e| &rest[..e])
        })
        .collect()
}

#[test]
fn without_base_url_a_fiche_lists_the_addresses_of_its_outside_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &[]);
    let html = page(&out, "fiches/poe.html");
    let block = annexe(&html);
    let head = entete(&html);
    assert!(
        head.contains("Cette fiche dans le guide :")
            && head.contains("<span class=\"print-url\">fiches/poe.html</span>"),
        "{head}"
    );
    assert!(
        !html.contains("<svg class=\"qr\""),
        "no QR code without base_url"
    );
    // The [[links]] of the card, numbered, with their full address.
    for want in [
        "<span class=\"print-n\">[1]</span> Trouver son agence France Travail : <span class=\"print-url\">https://www.francetravail.fr/annuaire/votre-agence-francetravail.html</span>",
        "<span class=\"print-n\">[2]</span> La POE sur le site du ministère du Travail : <span class=\"print-url\">https://travail-emploi.gouv.fr/la-preparation-operationnelle-lemploi-poe</span>",
    ] {
        assert!(block.contains(want), "missing {want}\nin {block}");
    }
    // Links to other fiches keep their text only: no number without an address to print.
    assert!(!html.contains("print-ref"), "{html}");
    // mailto: prints the address itself.
    let block_as = page(&out, "fiches/appuis-specifiques.html");
    assert!(
        annexe(&block_as)
            .contains("<span class=\"print-url\">hauts-de-france@agefiph.asso.fr</span>"),
        "{}",
        annexe(&block_as)
    );
}

#[test]
fn with_base_url_a_fiche_prints_its_address_a_qr_code_and_no_address_for_other_fiches() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &["--base-url", BASE]);
    let html = page(&out, "fiches/poe.html");
    let block = annexe(&html);
    let head = entete(&html);
    assert!(
        head.contains(&format!(
            "Cette fiche sur internet :</strong> <span class=\"print-url\">{BASE}fiches/poe.html</span>"
        )),
        "{head}"
    );
    assert!(
        head.contains("<div class=\"print-qr\"><svg class=\"qr\" role=\"img\""),
        "{head}"
    );
    // Links to other pages of the guide get no number and no address on
    // paper, base_url or not: the link text names the other fiche, and a full
    // address per link made the median fiche take 3 pages.
    for text in [
        "Cap Emploi",
        "CEP",
        "immersion en entreprise",
        "appui spécifique",
    ] {
        assert!(html.contains(&format!("{text}</a>")), "missing link {text}");
        assert!(
            !html.contains(&format!("{text}</a><sup class=\"print-ref\"")),
            "{text} is numbered"
        );
    }
    assert!(!block.contains(&format!("{BASE}fiches/")), "{block}");
    // The [[links]] are numbered from 1, in one list without group headings.
    assert!(
        block.contains("<span class=\"print-n\">[1]</span> Trouver son agence France Travail"),
        "{block}"
    );
    assert!(!block.contains("<h3>"), "{block}");
    // A parcours has the same letterhead and block.
    let parcours = page(&out, "parcours/parcours-demandeur-emploi.html");
    assert!(
        entete(&parcours).contains(&format!("{BASE}parcours/parcours-demandeur-emploi.html")),
        "{}",
        entete(&parcours)
    );
    assert!(
        entete(&parcours).contains("<div class=\"print-qr\"><svg class=\"qr\""),
        "{}",
        entete(&parcours)
    );
}

#[test]
fn guide_complet_holds_every_card_with_unique_ids_anchors_and_no_skipped_heading() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &[]);
    let html = page(&out, "guide-complet.html");
    let main = &html[html.find("<main").expect("a main")..html.find("</main>").expect("main ends")];

    // Every card of the fixture has its title in the page (once as a
    // heading), but a draft (issue 18: tests/editors.rs) and the images.
    let content = fixture("site").join("content");
    for e in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        if text.lines().any(|l| l == "draft = true") {
            continue;
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title = \""))
            .and_then(|l| l.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{} has a title", e.path().display()))
            .replace('&', "&amp;")
            .replace('\'', "&#x27;");
        let heading = main.contains(&format!("\">{title}"));
        assert!(
            heading,
            "{} « {title} » is not in guide-complet.html",
            e.path().display()
        );
    }

    // Unique ids; every link between cards is an anchor of this page.
    let ids: Vec<&str> = attr_values(&html, "id");
    let set: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(set.len(), ids.len(), "duplicate ids in guide-complet.html");
    for href in attr_values(main, "href") {
        if href.starts_with("https://") || href.starts_with("mailto:") || href.starts_with("tel:") {
            continue;
        }
        let frag = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("link to {href} leaves guide-complet.html"));
        assert!(set.contains(frag), "link to #{frag}: no such id");
    }
    for want in [
        "href=\"#dispositif-cep\"",
        "href=\"#dispositif-pmsmp--etapes-cles\"",
        "href=\"#acteur-cap-emploi\"",
    ] {
        assert!(main.contains(want), "missing {want}");
    }

    // One h1, then no level skipped; each fiche an h2 that starts a page on paper.
    let mut prev = 0u8;
    for (i, _) in main.match_indices("<h") {
        let Some(level) = main[i + 2..]
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .map(|d| d as u8)
        else {
            continue;
        };
        assert!(
            level <= prev + 1,
            "h{level} after h{prev}: {}",
            &main[i..(i + 80).min(main.len())]
        );
        prev = level;
    }
    assert_eq!(main.matches("<h1").count(), 1);
    assert!(main.contains("<article class=\"fiche guide-fiche fiche-dispositif\" id=\"dispositif-poe\" aria-labelledby=\"titre-dispositif-poe\">\n  <h2 id=\"titre-dispositif-poe\">"));
}

#[test]
fn an_address_the_text_already_prints_is_not_listed_again() {
    let site = common::copy_fixture("site");
    std::fs::write(
        site.path("content/dispositifs/contacts-ecrits.md"),
        "+++\ntitle = \"Des contacts écrits\"\nkind = \"dispositif\"\nstages = [\"formation\"]\n\
         droit = \"commun\"\nsummary = \"Une fiche.\"\nupdated = 2026-11-22\n\n\
         [[links]]\ntitle = \"Écrire à l'équipe\"\nurl = \"mailto:equipe@exemple.fr\"\nkind = \"contact\"\n\n\
         [[links]]\ntitle = \"Appeler l'équipe\"\nurl = \"tel:0359616263\"\nkind = \"contact\"\n\n\
         [[links]]\ntitle = \"Écrire au service\"\nurl = \"mailto:service@exemple.fr\"\nkind = \"contact\"\n\n\
         [[links]]\ntitle = \"La page de l'équipe\"\nurl = \"https://exemple.fr/equipe\"\nkind = \"ressource\"\n+++\n\n\
         ## Contacts\n\nL'équipe : equipe@exemple.fr, 03 59 61 62 63.\n",
    )
    .unwrap();
    let out = site.root.join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    let html = page(&out, "fiches/contacts-ecrits.html");
    let block = annexe(&html);
    // The text prints the e-mail address and the phone number (spaces aside): not again.
    assert!(!block.contains("equipe@exemple.fr"), "{block}");
    assert!(!block.contains("0359616263"), "{block}");
    // An address the text does not print, and web addresses, are still listed.
    assert!(
        block.contains("<span class=\"print-n\">[3]</span> Écrire au service : <span class=\"print-url\">service@exemple.fr</span>"),
        "{block}"
    );
    assert!(block.contains("https://exemple.fr/equipe"), "{block}");
}

/// The article of `guide-complet.html` that holds the fiche `slug`.
fn guide_article<'a>(guide: &'a str, slug: &str) -> &'a str {
    let start = ["dispositif", "outil", "situation"]
        .iter()
        .find_map(|kind| guide.find(&format!(" id=\"{kind}-{slug}\"")))
        .unwrap_or_else(|| panic!("{slug} is not in guide-complet.html"));
    let end = guide[start..].find("</article>").expect("the article ends") + start;
    &guide[start..end]
}

#[test]
fn guide_complet_shows_the_situations_and_the_links_of_each_fiche_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &[]);
    let guide = page(&out, "guide-complet.html");
    let (mut fiches, mut situations, mut links) = (0, 0, 0);
    for e in std::fs::read_dir(out.join("fiches")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let slug = name.trim_end_matches(".html");
        let html = page(&out, &format!("fiches/{name}"));
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let article = guide_article(&guide, slug);
        fiches += 1;
        // The same facts, in the same words.
        let label = "<strong>Situation de la personne :</strong>";
        if let Some(at) = main.find(label) {
            let fact = main[at..].split("</li>").next().unwrap_or_default();
            assert!(article.contains(fact), "{slug}: missing « {fact} »");
            situations += 1;
        }
        // Every link that leaves the fiche page is a link of its article too.
        for href in attr_values(main, "href") {
            if ["https://", "http://", "mailto:", "tel:"]
                .iter()
                .any(|s| href.starts_with(s))
            {
                let want = format!("href=\"{href}\"");
                assert!(article.contains(&want), "{slug}: missing link {href}");
                links += 1;
            }
        }
        // The printed list of addresses is the printed fiche's: an address its
        // text already prints is not listed again.
        let printed = annexe(&html);
        for url in printed.split("<span class=\"print-url\">").skip(1) {
            let url = url.split('<').next().unwrap_or_default();
            assert!(article.contains(url), "{slug}: missing address {url}");
        }
    }
    assert!(
        fiches > 5 && situations > 0 && links > 10,
        "{fiches} {situations} {links}"
    );
}

#[test]
fn a_parcours_page_has_the_edit_link_of_a_fiche() {
    let site = common::copy_fixture("site");
    let toml = site.path("guide.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("edit_url = \"https://git.example.fr/edit/\"\n");
    std::fs::write(&toml, config).unwrap();
    let out = site.root.join("public");
    site.fiches(["build", "--out", &out.display().to_string()])
        .expect(0);
    for (rel, source) in [
        ("fiches/poe.html", "content/dispositifs/poe.md"),
        (
            "parcours/parcours-demandeur-emploi.html",
            "content/parcours/parcours-demandeur-emploi.md",
        ),
    ] {
        let html = page(&out, rel);
        let link = format!("href=\"https://git.example.fr/edit/{source}\"");
        let at = html
            .find(&link)
            .unwrap_or_else(|| panic!("{rel}: no edit link"));
        let end = html[at..].find("</a>").unwrap() + at;
        // The text a screen reader reads (a phone hides " cette fiche" visually only).
        let text = html[at..end]
            .replace("<span class=\"court-tel\">", "")
            .replace("</span>", "");
        assert!(text.contains("Modifier cette fiche"), "{rel}");
    }
}
