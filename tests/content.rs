//! The real guide under `content/` (issue 3's acceptance): every seed fiche has
//! a card, the cards of each kind are all there, every seed URL is in a card
//! (or excluded with a reason), references resolve, and no link text is "ici"
//! or a bare address. The seed facts come from `tests/data/` (see its
//! README.md): these tests never read `../shared`. `verification` checks the
//! table of cards read against their seeds (issue 19) and the finished guide.

mod common;
#[path = "content/verification.rs"]
mod verification;

use common::{fiches, repo, split_card};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// One card of `content/`.
struct Card {
    /// `<folder>/<slug>`, as in `tests/data/seed_map.tsv`.
    id: String,
    folder: String,
    slug: String,
    fm: toml::Table,
    body: String,
}

impl Card {
    fn kind(&self) -> &str {
        self.fm.get("kind").and_then(|v| v.as_str()).unwrap_or("")
    }
    fn strings(&self, key: &str) -> Vec<String> {
        self.fm
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// `(title, url)` of every `[[links]]`.
    fn links(&self) -> Vec<(String, String)> {
        self.fm
            .get("links")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|l| {
                        let s = |k: &str| l.get(k).and_then(|v| v.as_str()).map(String::from);
                        Some((s("title")?, s("url")?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    /// `(text, destination)` of every Markdown link of the body.
    fn body_links(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut open: Option<(String, String)> = None;
        for ev in Parser::new_ext(&self.body, pulldown_cmark::Options::ENABLE_TABLES) {
            match ev {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    open = Some((String::new(), dest_url.to_string()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((text, _)) = open.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::End(TagEnd::Link) => out.extend(open.take()),
                _ => {}
            }
        }
        out
    }
    /// Plain text of the body outside links.
    fn body_text(&self) -> Vec<String> {
        let mut depth = 0;
        let mut out = Vec::new();
        for ev in Parser::new_ext(&self.body, pulldown_cmark::Options::ENABLE_TABLES) {
            match ev {
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(TagEnd::Link) => depth -= 1,
                Event::Text(t) if depth == 0 => out.push(t.to_string()),
                _ => {}
            }
        }
        out
    }
}

/// Every card file of the real guide.
fn cards() -> Vec<Card> {
    let content = repo().join("content");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = common::rel(&content, e.path());
        let text = std::fs::read_to_string(e.path()).unwrap();
        let (fm, body) =
            split_card(&text).unwrap_or_else(|| panic!("content/{rel}: no valid front matter"));
        let (folder, file) = rel.rsplit_once('/').unwrap_or(("", &rel));
        out.push(Card {
            id: rel.trim_end_matches(".md").to_string(),
            folder: folder.to_string(),
            slug: file.trim_end_matches(".md").to_string(),
            fm,
            body: body.to_string(),
        });
    }
    out
}

/// Lines of a file of `tests/data/`, without blank and `#` lines.
fn data(name: &str) -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/data").join(name))
        .unwrap_or_else(|e| panic!("tests/data/{name}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// `tests/data/seed_map.tsv`: (seed file, `<folder>/<slug>`).
fn seed_map() -> Vec<(String, String)> {
    data("seed_map.tsv")
        .iter()
        .map(|l| {
            let (seed, card) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("seed_map.tsv: no tab in {l:?}"));
            (seed.to_string(), card.to_string())
        })
        .collect()
}

/// The kind of the cards of a folder of `content/`.
fn kind_of_folder(folder: &str) -> &'static str {
    match folder {
        "dispositifs" => "dispositif",
        "outils" => "outil",
        "situations" => "situation",
        "parcours" => "parcours",
        "glossaire" => "terme",
        "acteurs" => "acteur",
        "pages" => "page",
        _ => "?",
    }
}

#[test]
fn every_seed_fiche_maps_to_existing_cards() {
    let seeds = data("seed_files.txt");
    assert_eq!(seeds.len(), 62, "the seed guides have 62 fiche files");
    let map = seed_map();
    let cards: BTreeMap<String, Card> = cards().into_iter().map(|c| (c.id.clone(), c)).collect();
    let mut problems = Vec::new();
    for seed in &seeds {
        if !map.iter().any(|(s, _)| s == seed) {
            problems.push(format!("{seed}: no card in seed_map.tsv"));
        }
    }
    for (seed, card) in &map {
        if !seeds.contains(seed) {
            problems.push(format!("seed_map.tsv: {seed} is not a seed fiche"));
        }
        match cards.get(card) {
            None => problems.push(format!("{seed} → content/{card}.md, which does not exist")),
            Some(c) if c.kind() != kind_of_folder(&c.folder) => problems.push(format!(
                "content/{card}.md: kind = \"{}\" in folder {}/",
                c.kind(),
                c.folder
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_glossary_and_contacts_annexes_map_to_all_their_cards() {
    let map = seed_map();
    let cards = cards();
    for (seed, folder, at_least) in [
        ("51-glossaire.txt", "glossaire", 71),
        ("50-contacts.txt", "acteurs", 11),
    ] {
        let mapped: BTreeSet<&str> = map
            .iter()
            .filter(|(s, _)| s == seed)
            .map(|(_, c)| c.as_str())
            .collect();
        let present: BTreeSet<&str> = cards
            .iter()
            .filter(|c| c.folder == folder)
            .map(|c| c.id.as_str())
            .collect();
        // The contacts annex is exactly content/acteurs/; the glossary folder
        // also holds terms that other fiches spell out (mapped from those seeds).
        let extra = data("extra_terms.tsv");
        let from_elsewhere: BTreeSet<&str> = extra
            .iter()
            .filter_map(|l| l.split_once('\t').map(|(_, c)| c))
            .filter(|c| c.starts_with(&format!("{folder}/")))
            .collect();
        let expected: BTreeSet<&str> = mapped.union(&from_elsewhere).copied().collect();
        assert_eq!(
            expected, present,
            "{seed} (and the seeds of the other terms) must map to exactly the cards of content/{folder}/"
        );
        assert!(
            mapped.len() >= at_least,
            "{seed}: {} cards, the annex has {at_least}",
            mapped.len()
        );
        assert!(mapped.iter().all(|c| c.starts_with(&format!("{folder}/"))));
    }
}

#[test]
fn every_fiche_of_the_guides_is_its_own_card() {
    // A seed fiche's main card is its first line in seed_map.tsv; the lines after it name
    // the parts split off into cards of their own so that each prints on few pages (issue 5).
    let mut map: Vec<(String, String)> = Vec::new();
    for (seed, card) in seed_map() {
        if !map.iter().any(|(s, _)| *s == seed) {
            map.push((seed, card));
        }
    }
    let cards_of = |pred: &dyn Fn(&str) -> bool| -> BTreeSet<String> {
        map.iter()
            .filter(|(s, _)| pred(s))
            .map(|(_, c)| c.clone())
            .collect()
    };
    let num = |s: &str| s.get(..2).and_then(|n| n.parse::<u32>().ok());
    // Guide 1: 31 fiches dispositif (06 POE … 36 RAE, the CAR box included), each its own card.
    let g1_dispositifs = cards_of(&|s| num(s).is_some_and(|n| (6..=36).contains(&n)));
    assert_eq!(g1_dispositifs.len(), 31, "{g1_dispositifs:?}");
    assert!(g1_dispositifs.iter().all(|c| c.starts_with("dispositifs/")));
    // Guide 1: 12 fiches outil (37 appuis spécifiques … 48 référents handicap), and the OPCO page.
    let g1_outils = cards_of(&|s| num(s).is_some_and(|n| (37..=49).contains(&n)));
    assert_eq!(g1_outils.len(), 13, "{g1_outils:?}");
    assert!(g1_outils.iter().all(|c| c.starts_with("outils/")));
    // Guide 2: 10 fiches, all dispositifs; the ones also in guide 1 share its card.
    let g2 = cards_of(&|s| s.starts_with("s2-") && s != "s2-00-situation.txt");
    assert_eq!(g2.len(), 10, "{g2:?}");
    assert!(g2.iter().all(|c| c.starts_with("dispositifs/")));
    for shared in ["bilan-competences", "cep", "pmsmp", "cpf", "vae"] {
        assert!(
            g1_dispositifs.contains(&format!("dispositifs/{shared}")),
            "{shared} is described in both guides: one card"
        );
    }
    assert_eq!(
        cards_of(&|s| s == "s2-00-situation.txt"),
        BTreeSet::from(["situations/inapte-reorientation".to_string()])
    );
    let parcours = cards_of(&|s| s.starts_with("04-") || s.starts_with("05-"));
    assert_eq!(parcours.len(), 2);
    assert!(parcours.iter().all(|c| c.starts_with("parcours/")));
    assert_eq!(
        cards_of(&|s| s == "02-besoins.txt"),
        BTreeSet::from(["pages/accueil".to_string()]),
        "the stage overview is the home page's text"
    );
    assert_eq!(
        cards_of(&|s| s == "01-intro.txt"),
        BTreeSet::from(["pages/introduction".to_string()])
    );
}

#[test]
fn cards_by_kind_meet_the_guide_minimums() {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for c in cards() {
        *count.entry(c.kind().to_string()).or_default() += 1;
    }
    // What issue 3 lists: 31 dispositifs of guide 1 + the 5 of guide 2 that guide 1 lacks
    // (PSOP, pré-orientation, stage de rééducation professionnelle, CRP remise à niveau,
    // création ou reprise d'activité); 12 outils + OPCO; 11 actors; 71 glossary terms;
    // 2 schémas-types; 1 situation; the home page's text and the introduction.
    let minimums = [
        ("dispositif", 36),
        ("outil", 13),
        ("acteur", 11),
        ("terme", 71),
        ("parcours", 2),
        ("situation", 1),
        ("page", 2),
    ];
    let mut problems = Vec::new();
    for (kind, min) in minimums {
        let n = count.get(kind).copied().unwrap_or(0);
        if n < min {
            problems.push(format!("{kind}: {n} cards, at least {min} expected"));
        }
    }
    let known: BTreeSet<&str> = minimums.iter().map(|(k, _)| *k).collect();
    for kind in count.keys().filter(|k| !known.contains(k.as_str())) {
        problems.push(format!("unknown kind {kind:?}"));
    }
    assert!(
        problems.is_empty(),
        "{}\ncounts: {count:?}",
        problems.join("\n")
    );
}

/// Every http(s) address a card carries: `[[links]]` and Markdown links.
fn content_urls(cards: &[Card]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in cards {
        for (_, url) in c.links().into_iter().chain(c.body_links()) {
            if url.starts_with("http://") || url.starts_with("https://") {
                out.insert(url);
            }
        }
    }
    out
}

#[test]
fn every_seed_url_is_in_a_card_unless_excluded_with_a_reason() {
    let seed_urls = data("seed_urls.txt");
    assert!(
        seed_urls.len() >= 200,
        "seed_urls.txt has {} URLs",
        seed_urls.len()
    );
    assert!(
        seed_urls
            .iter()
            .all(|u| u.starts_with("http://") || u.starts_with("https://"))
    );
    let seed_set: BTreeSet<&str> = seed_urls.iter().map(String::as_str).collect();
    assert_eq!(
        seed_set.len(),
        seed_urls.len(),
        "seed_urls.txt has duplicates"
    );
    let cards = cards();
    let present = content_urls(&cards);

    let mut excluded = BTreeSet::new();
    let mut problems = Vec::new();
    for line in data("url_exclusions.tsv") {
        let cols: Vec<&str> = line.split('\t').collect();
        let [url, instead, reason] = cols[..] else {
            problems.push(format!(
                "url_exclusions.tsv: 3 tab-separated columns: {line:?}"
            ));
            continue;
        };
        if reason.trim().len() < 20 {
            problems.push(format!("url_exclusions.tsv: {url}: give the reason"));
        }
        if !seed_set.contains(url) {
            problems.push(format!("url_exclusions.tsv: {url} is not a seed URL"));
        }
        if present.contains(url) {
            problems.push(format!(
                "url_exclusions.tsv: {url} is in a card now: remove the exclusion"
            ));
        }
        if instead != "-" && !present.contains(instead) {
            problems.push(format!(
                "url_exclusions.tsv: {url} is replaced by {instead}, which is in no card"
            ));
        }
        excluded.insert(url.to_string());
    }
    for url in &seed_urls {
        if !excluded.contains(url) && !present.contains(url) {
            problems.push(format!("{url}: in the seed fiches, in no card of content/"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fiches_check_passes_on_the_real_guide() {
    let run = fiches(&repo(), ["check"]);
    run.expect(0);
    assert!(!run.stderr.contains("erreur["), "{}", run.stderr);
}

#[test]
fn every_related_and_compensation_reference_resolves() {
    let cards = cards();
    let kinds: BTreeMap<&str, &str> = cards
        .iter()
        .filter(|c| c.kind() != "terme")
        .map(|c| (c.slug.as_str(), c.kind()))
        .collect();
    let mut problems = Vec::new();
    let mut count = 0;
    for c in &cards {
        for key in ["related", "compensation"] {
            for slug in c.strings(key) {
                count += 1;
                match kinds.get(slug.as_str()) {
                    None => problems.push(format!(
                        "content/{}.md: {key} cites {slug:?}, no such card",
                        c.id
                    )),
                    Some(k) if key == "compensation" && *k != "outil" => problems.push(format!(
                        "content/{}.md: compensation cites {slug:?}, a {k}, not an outil",
                        c.id
                    )),
                    Some(_) if slug == c.slug => {
                        problems.push(format!("content/{}.md: {key} cites itself", c.id))
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(f) = c.fm.get("fiche").and_then(|v| v.as_str())
            && !kinds.contains_key(f)
        {
            problems.push(format!("content/{}.md: fiche = {f:?}, no such card", c.id));
        }
    }
    assert!(
        count > 100,
        "only {count} references: the guide's cards are linked"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Why a link text does not describe where the link goes, if it does not.
fn bad_link_text(text: &str, url: &str) -> Option<&'static str> {
    let t = text
        .trim()
        .trim_matches(|c: char| {
            c.is_ascii_punctuation() || c.is_whitespace() || c == '»' || c == '«'
        })
        .to_lowercase();
    if matches!(
        t.as_str(),
        "ici"
            | "cliquez ici"
            | "cliquer ici"
            | "cliquez-ici"
            | "lien"
            | "ce lien"
            | "en cliquant ici"
    ) {
        return Some("says nothing about where it goes");
    }
    if t.is_empty() {
        return Some("is empty");
    }
    let bare = t.contains("://")
        || t.starts_with("www.")
        || t == url.to_lowercase()
        || (!t.contains(' ') && t.contains('.') && t.contains('/'));
    bare.then_some("is a bare address")
}

#[test]
fn no_link_text_is_ici_or_a_bare_url() {
    let mut problems = Vec::new();
    let mut count = 0;
    for c in cards() {
        for (where_, links) in [
            ("[[links]] title", c.links()),
            ("link text", c.body_links()),
        ] {
            for (text, url) in links {
                count += 1;
                if let Some(why) = bad_link_text(&text, &url) {
                    problems.push(format!(
                        "content/{}.md: {where_} {text:?} ({url}) {why}",
                        c.id
                    ));
                }
            }
        }
        for t in c.body_text() {
            if t.contains("http://") || t.contains("https://") {
                problems.push(format!(
                    "content/{}.md: a bare address in the text: {t:?} (put it in [[links]] with a title)",
                    c.id
                ));
            }
        }
    }
    assert!(count > 500, "only {count} links read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_link_text_rule_catches_what_it_should() {
    let url = "https://www.agefiph.fr/";
    for bad in [
        "ici",
        " Cliquez ici.",
        "https://www.agefiph.fr/",
        "www.agefiph.fr",
        "agefiph.fr/aides",
        "(lien)",
    ] {
        assert!(
            bad_link_text(bad, url).is_some(),
            "{bad:?} should be refused"
        );
    }
    for good in [
        "Le site de l'Agefiph",
        "Les aides de l'Agefiph ici et maintenant",
        "Écrire à contact@agefiph.asso.fr",
    ] {
        assert_eq!(
            bad_link_text(good, url),
            None,
            "{good:?} should be accepted"
        );
    }
}
