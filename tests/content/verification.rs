//! Issue 19: every card checked against its seed, recorded in
//! `tests/data/verification.tsv`; the real guide finished (zero warnings,
//! every acronym explained, the usual expansions listed for review).

use super::{cards, data, seed_map};
use crate::common::{fiches, repo};
use std::collections::{BTreeMap, BTreeSet};

/// One row of `verification.tsv`.
struct Row {
    line: usize,
    card: String,
    seed: String,
    lines: String,
    reading: String,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(repo().join("tests/data/verification.tsv")).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(
                f.len() >= 5,
                "verification.tsv:{}: 5 or 6 columns wanted: {l:?}",
                i + 1
            );
            Row {
                line: i + 1,
                card: f[0].into(),
                seed: f[1].into(),
                lines: f[2].into(),
                reading: f[3].into(),
            }
        })
        .collect()
}

/// Problems of the verification table, given the cards, the seeds a card may
/// come from and each seed's number of lines.
fn table_problems(
    rows: &[Row],
    cards: &BTreeSet<String>,
    seeds_of: &BTreeMap<String, BTreeSet<String>>,
    lengths: &BTreeMap<String, usize>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let checked: BTreeSet<&str> = rows.iter().map(|r| r.card.as_str()).collect();
    for c in cards.iter().filter(|c| !checked.contains(c.as_str())) {
        problems.push(format!("content/{c}.md: no row in verification.tsv"));
    }
    for r in rows {
        let at = format!("verification.tsv:{}", r.line);
        if !cards.contains(&r.card) {
            problems.push(format!("{at}: no card content/{}.md", r.card));
        }
        if !["relue", "chiffres"].contains(&r.reading.as_str()) {
            problems.push(format!("{at}: reading {:?} (relue or chiffres)", r.reading));
        }
        if r.seed == "-" {
            if seeds_of.contains_key(&r.card) || r.lines != "-" {
                problems.push(format!(
                    "{at}: {} has a seed, or lines without a seed",
                    r.card
                ));
            }
            continue;
        }
        if !seeds_of.get(&r.card).is_some_and(|s| s.contains(&r.seed)) {
            problems.push(format!(
                "{at}: {} is not a seed of {} in seed_map.tsv or extra_terms.tsv",
                r.seed, r.card
            ));
        }
        let Some(&len) = lengths.get(&r.seed) else {
            problems.push(format!("{at}: {} is not a seed fiche", r.seed));
            continue;
        };
        let range = r
            .lines
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
        match range {
            Some((a, b)) if 1 <= a && a <= b && b <= len => {}
            _ => problems.push(format!(
                "{at}: lines {:?} do not exist in {} ({len} lines)",
                r.lines, r.seed
            )),
        }
    }
    problems
}

fn seeds_of() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let extra = data("extra_terms.tsv").into_iter().filter_map(|l| {
        l.split_once('\t')
            .map(|(s, c)| (s.to_string(), c.to_string()))
    });
    // "-": a term of the site's own pages, from no seed.
    for (seed, card) in seed_map()
        .into_iter()
        .chain(extra)
        .filter(|(s, _)| s != "-")
    {
        out.entry(card).or_default().insert(seed);
    }
    out
}

fn lengths() -> BTreeMap<String, usize> {
    data("seed_lines.tsv")
        .iter()
        .map(|l| {
            let (f, n) = l.split_once('\t').expect("seed_lines.tsv: file TAB lines");
            (f.to_string(), n.parse().expect("a number of lines"))
        })
        .collect()
}

#[test]
fn every_card_is_checked_against_seed_lines_that_exist() {
    let cards: BTreeSet<String> = cards().into_iter().map(|c| c.id).collect();
    let lengths = lengths();
    assert_eq!(
        lengths.keys().cloned().collect::<Vec<_>>(),
        data("seed_files.txt"),
        "seed_lines.tsv names every seed fiche once"
    );
    let problems = table_problems(&rows(), &cards, &seeds_of(), &lengths);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_check_fails_on_a_missing_card_and_on_lines_past_the_seed() {
    let cards = BTreeSet::from(["dispositifs/poe".to_string(), "dispositifs/afc".to_string()]);
    let seeds_of = BTreeMap::from([
        (
            "dispositifs/poe".to_string(),
            BTreeSet::from(["06-poe.txt".to_string()]),
        ),
        (
            "dispositifs/afc".to_string(),
            BTreeSet::from(["07-afc.txt".to_string()]),
        ),
    ]);
    let lengths = BTreeMap::from([
        ("06-poe.txt".to_string(), 66),
        ("07-afc.txt".to_string(), 60),
    ]);
    let row = |card: &str, seed: &str, lines: &str| Row {
        line: 9,
        card: card.into(),
        seed: seed.into(),
        lines: lines.into(),
        reading: "relue".into(),
    };
    let good = [row("dispositifs/poe", "06-poe.txt", "1-66")];
    assert_eq!(
        table_problems(&good, &cards, &seeds_of, &lengths),
        ["content/dispositifs/afc.md: no row in verification.tsv"]
    );
    let bad = [
        row("dispositifs/poe", "06-poe.txt", "60-67"),
        row("dispositifs/afc", "06-poe.txt", "1-2"),
        row("dispositifs/afc", "07-afc.txt", "0-3"),
    ];
    assert_eq!(
        table_problems(&bad, &cards, &seeds_of, &lengths),
        [
            "verification.tsv:9: lines \"60-67\" do not exist in 06-poe.txt (66 lines)",
            "verification.tsv:9: 06-poe.txt is not a seed of dispositifs/afc in seed_map.tsv or extra_terms.tsv",
            "verification.tsv:9: lines \"0-3\" do not exist in 07-afc.txt (60 lines)",
        ]
    );
}

#[test]
fn the_real_guide_has_no_error_and_no_warning() {
    let run = fiches(&repo(), ["check", "--strict"]);
    run.expect(0);
    assert!(
        run.stderr.contains("Aucune erreur, aucun avertissement"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_acronym_of_the_guide_is_a_term_an_alias_or_a_proper_name() {
    // The glossary stage's own definition of an acronym: no `sigle-inconnu`
    // when nothing silences it, so a term, an alias or `noms_propres` explains each.
    let guide = std::fs::read_to_string(repo().join("guide.toml")).unwrap();
    let cfg: toml::Table = toml::from_str(&guide).unwrap();
    let silenced = |t: &toml::Table| {
        t.get("allow")
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("sigle-inconnu")))
    };
    assert!(!silenced(&cfg), "guide.toml silences sigle-inconnu");
    for c in cards() {
        assert!(
            !silenced(&c.fm),
            "content/{}.md silences sigle-inconnu",
            c.id
        );
    }
    let run = fiches(&repo(), ["check", "--format", "json"]);
    assert!(!run.stdout.contains("sigle-inconnu"), "{}", run.stdout);
    // Each proper name is written somewhere, and is not also a term.
    let names: Vec<&str> = cfg["noms_propres"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(names.contains(&"APAHM") && names.contains(&"IPSHO"));
    let cards = cards();
    for name in names {
        let word = |t: &str| t.split(|c: char| !c.is_alphanumeric()).any(|w| w == name);
        assert!(
            cards.iter().any(|c| word(&c.body)),
            "noms_propres: {name} is in no card"
        );
        assert!(
            !cards
                .iter()
                .any(|c| c.fm.get("term").and_then(|t| t.as_str()) == Some(name)),
            "noms_propres: {name} is a glossary term"
        );
    }
}

#[test]
fn check_sources_lists_every_usual_expansion() {
    let usual: Vec<String> = cards()
        .into_iter()
        .filter(|c| c.fm.get("source").and_then(|v| v.as_str()) == Some("usage"))
        .map(|c| c.id)
        .collect();
    assert!(
        usual.len() >= 8,
        "SMIC, CAP, BTS, PME, TPE, CCI, AVC… are usual expansions"
    );
    let run = fiches(&repo(), ["check", "--sources"]);
    run.expect(0);
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("content/"))
        .filter_map(|l| l.split_once(".md : ").map(|(id, _)| id))
        .collect();
    assert_eq!(listed, usual, "{}", run.stdout);
    assert!(run.stdout.contains("content/glossaire/smic.md : SMIC (Salaire minimum interprofessionnel de croissance), source = \"usage\""));
    assert!(run.stdout.ends_with(&format!("{} termes dont la forme longue ne vient pas des guides sources, à faire relire par le PRITH.\n", usual.len())));
}
