//! Synthetic guide generator for the benchmark (`scripts/bench.sh`).
//!
//! Takes: a number of cards and a folder. Gives: a complete `fiches` site of
//! realistic cards (French text, full front matter, links between cards,
//! glossary terms, about 4 KB of Markdown each), and optionally the same
//! corpus as a Hugo site and an mdBook, so the three tools build equal input.
//! The output depends only on the arguments (fixed pseudo-random seed).
//!
//! ```text
//! cargo run --release --example synth_guide -- 1000 /tmp/bench/1000 [--hugo DIR] [--mdbook DIR]
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The synthetic guides measure the HTML pipeline, whose numbers stay
/// comparable from one version to the next; the PDFs and the offline zip
/// (issue 16) are measured on the real guide (`scripts/bench.sh`): a guide
/// of 10,000 cards would be a PDF of some 30,000 pages.
const PDF_OFF: &str = "pdf = false\noffline_zip = false\n";

const WORDS: &[&str] = &[
    "formation",
    "emploi",
    "accompagnement",
    "personne",
    "handicap",
    "employeur",
    "conseiller",
    "projet",
    "parcours",
    "compétences",
    "entreprise",
    "aide",
    "financement",
    "contrat",
    "métier",
    "poste",
    "santé",
    "travail",
    "démarche",
    "besoin",
    "solution",
    "organisme",
    "apprentissage",
    "orientation",
    "bilan",
    "stage",
    "région",
    "salarié",
    "dossier",
    "rendez-vous",
    "réunion",
    "objectif",
    "étape",
    "équipe",
    "référent",
    "adaptation",
    "matériel",
    "durée",
    "semaine",
    "mois",
];
const VERBS: &[&str] = &[
    "aide",
    "accompagne",
    "prépare",
    "finance",
    "oriente",
    "évalue",
    "construit",
    "sécurise",
    "propose",
    "vérifie",
    "explique",
    "adapte",
];
const STARTS: &[&str] = &[
    "Le conseiller",
    "La personne",
    "L'employeur",
    "Le référent handicap",
    "L'organisme de formation",
    "Le médecin du travail",
    "La Région",
    "Un prestataire",
];
const STAGES: &[&str] = &["remobilisation", "preparation", "formation", "emploi"];
const PUBLICS: &[&str] = &[
    "salarie",
    "agent-public",
    "demandeur-emploi",
    "jeune",
    "independant",
    "employeur",
    "organisme-formation",
];
const SECTIONS: &[&str] = &[
    "Objectifs",
    "Ce qui est spécifique",
    "La valeur ajoutée",
    "Étapes clés",
    "Bon à savoir",
    "Contacts",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

#[derive(Clone)]
struct Spec {
    slug: String,
    kind: &'static str,
    folder: &'static str,
    title: String,
    term: String,
}

/// Decides every card's slug, kind and title.
fn plan(n: usize) -> Vec<Spec> {
    let terms = (n / 12).max(4);
    let acteurs = (n / 40).max(3);
    let parcours = (n / 100).max(1);
    let situations = (n / 50).max(1);
    let outils = (n / 8).max(2);
    let pages = 3;
    let dispositifs = n.saturating_sub(terms + acteurs + parcours + situations + outils + pages);
    let mut v = Vec::new();
    let mut add = |count: usize, kind: &'static str, folder: &'static str, prefix: &str| {
        for i in 0..count {
            let slug = format!("{prefix}-{i:05}");
            // Spread over the alphabet like real acronyms (RQTH, CPF, OPCO…).
            let term = to_letters(i.wrapping_mul(7919) % 17_576 + i / 17_576 * 17_576);
            v.push(Spec {
                title: format!("{} numéro {i}", title_of(kind)),
                slug,
                kind,
                folder,
                term,
            });
        }
    };
    add(dispositifs, "dispositif", "dispositifs", "dispositif");
    add(outils, "outil", "outils", "outil");
    add(situations, "situation", "situations", "situation");
    add(parcours, "parcours", "parcours", "parcours");
    add(acteurs, "acteur", "acteurs", "acteur");
    add(terms, "terme", "glossaire", "terme");
    for (slug, title) in [
        ("accueil", "Accueil"),
        ("introduction", "Introduction"),
        ("accessibilite", "Accessibilité"),
    ] {
        v.push(Spec {
            slug: slug.into(),
            kind: "page",
            folder: "pages",
            title: title.into(),
            term: String::new(),
        });
    }
    v
}

/// 0 → "AAA", 1 → "AAB", 17576 → "BAAA": acronym-like terms that never clash.
fn to_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    for _ in 0..3 {
        s.push(b'A' + (i % 26) as u8);
        i /= 26;
    }
    while i > 0 {
        s.push(b'A' + (i % 26) as u8);
        i /= 26;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

fn title_of(kind: &str) -> &'static str {
    match kind {
        "dispositif" => "Dispositif d'accompagnement vers l'emploi",
        "outil" => "Outil de compensation du handicap",
        "situation" => "Situation de la personne",
        "parcours" => "Parcours type",
        "acteur" => "Acteur de l'insertion",
        _ => "Terme",
    }
}

fn sentence(r: &mut Rng, links: &mut dyn FnMut(&mut Rng) -> Option<String>) -> String {
    let mut s = format!("{} {} ", r.pick(STARTS), r.pick(VERBS));
    let len = 6 + r.below(8);
    for i in 0..len {
        if i == len / 2
            && let Some(l) = links(r)
        {
            s.push_str(&l);
            s.push(' ');
            continue;
        }
        s.push_str(r.pick(WORDS));
        s.push(if i + 1 == len { '.' } else { ' ' });
    }
    s
}

/// About 4 KB of Markdown: the usual sections, lists, links and terms.
fn body(r: &mut Rng, spec: &Spec, all: &[Spec], terms: &[&Spec]) -> String {
    let mut out = String::new();
    // Glossary terms live in their own namespace: links go to pages and anchors.
    let targets: Vec<&Spec> = all
        .iter()
        .filter(|s| !matches!(s.kind, "page" | "terme"))
        .collect();
    let mut links = |r: &mut Rng| -> Option<String> {
        match r.below(5) {
            0 | 1 => {
                let t = targets[r.below(targets.len())];
                Some(format!("[{}]({}.md)", t.title.to_lowercase(), t.slug))
            }
            2 if !terms.is_empty() => Some(format!("la {}", terms[r.below(terms.len())].term)),
            _ => None,
        }
    };
    let _ = writeln!(
        out,
        "Cette fiche présente {} pour les personnes en situation de handicap.\n",
        spec.title.to_lowercase()
    );
    for section in SECTIONS {
        let _ = writeln!(out, "## {section}\n");
        match *section {
            "Étapes clés" => {
                for i in 1..=5 {
                    let _ = writeln!(out, "{i}. {}", sentence(r, &mut links));
                }
                out.push('\n');
            }
            "Objectifs" | "Bon à savoir" => {
                for _ in 0..4 {
                    let _ = writeln!(out, "- {}", sentence(r, &mut links));
                }
                out.push('\n');
            }
            "Contacts" => {
                let _ = writeln!(
                    out,
                    "- Téléphone : 03 20 {:02} {:02} {:02}\n- E-mail : contact{}@exemple.fr\n",
                    r.below(100),
                    r.below(100),
                    r.below(100),
                    r.below(1000)
                );
            }
            _ => {
                for _ in 0..2 {
                    let mut p = String::new();
                    for _ in 0..3 {
                        p.push_str(&sentence(r, &mut links));
                        p.push(' ');
                    }
                    let _ = writeln!(out, "{}\n", p.trim_end());
                }
                let _ = writeln!(out, "### Pour la personne\n");
                let _ = writeln!(
                    out,
                    "Elle a **un accompagnement renforcé**. {}\n",
                    sentence(r, &mut links)
                );
            }
        }
    }
    out
}

/// The front matter; `hugo` renames the keys Hugo treats specially.
fn front(r: &mut Rng, spec: &Spec, all: &[Spec], hugo: bool) -> String {
    let mut fm = String::from("+++\n");
    let _ = writeln!(fm, "title = \"{}\"", spec.title);
    let _ = writeln!(
        fm,
        "{} = \"{}\"",
        if hugo { "genre" } else { "kind" },
        spec.kind
    );
    let stages: Vec<&str> = match spec.kind {
        "dispositif" | "situation" | "parcours" => {
            let a = r.below(4);
            let b = r.below(4);
            let mut s = vec![STAGES[a.min(b)]];
            if a != b {
                s.push(STAGES[a.max(b)]);
            }
            s
        }
        _ => vec![],
    };
    let _ = writeln!(fm, "stages = {:?}", stages);
    if matches!(spec.kind, "dispositif" | "outil") {
        let _ = writeln!(
            fm,
            "droit = \"{}\"",
            if r.below(2) == 0 {
                "commun"
            } else {
                "specifique"
            }
        );
    }
    let publics: Vec<&str> = (0..1 + r.below(3)).map(|_| r.pick(PUBLICS)).collect();
    let mut publics = publics;
    publics.sort();
    publics.dedup();
    let _ = writeln!(fm, "publics = {:?}", publics);
    let _ = writeln!(
        fm,
        "summary = \"Une solution pour aider la personne à se former et à trouver un emploi.\""
    );
    let _ = writeln!(fm, "updated = 2026-0{}-1{}", 1 + r.below(9), r.below(10));
    if spec.kind == "dispositif" || spec.kind == "outil" {
        let _ = writeln!(fm, "order = {}", r.below(1000));
    }
    if spec.kind == "terme" {
        let _ = writeln!(fm, "term = \"{}\"", spec.term);
        let _ = writeln!(
            fm,
            "expansion = \"Dispositif régional {} pour l'emploi\"",
            spec.term
        );
    }
    let pages: Vec<&Spec> = all
        .iter()
        .filter(|s| !matches!(s.kind, "page" | "terme"))
        .collect();
    if spec.kind != "terme" && spec.kind != "page" {
        let related: Vec<&str> = (0..3)
            .map(|_| pages[r.below(pages.len())].slug.as_str())
            .collect();
        let _ = writeln!(fm, "related = {:?}", related);
    }
    if spec.kind == "dispositif" {
        let outils: Vec<&Spec> = all.iter().filter(|s| s.kind == "outil").collect();
        let comp: Vec<&str> = (0..2)
            .map(|_| outils[r.below(outils.len())].slug.as_str())
            .collect();
        let _ = writeln!(fm, "compensation = {:?}", comp);
        let _ = writeln!(
            fm,
            "\n[points]\nnature = \"Action de formation avant l'embauche, avec une aide au financement versée à l'employeur.\"\npublics = \"Demandeurs d'emploi inscrits à France Travail, salariés d'entreprise adaptée.\"\nfinancement = \"France Travail, la Région ou l'Agefiph.\""
        );
    }
    for (title, kind) in [
        ("Trouver son agence France Travail", "contact"),
        (
            "La page du dispositif sur le site du ministère",
            "ressource",
        ),
    ] {
        let _ = writeln!(
            fm,
            "\n[[links]]\ntitle = \"{title}\"\nurl = \"https://www.exemple.fr/{}/{}\"\nkind = \"{kind}\"",
            spec.slug,
            r.below(100)
        );
    }
    fm.push_str("+++\n\n");
    fm
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d)?;
    }
    fs::write(path, text)
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synth_guide N DIR [--hugo DIR] [--mdbook DIR] [--theme DIR]";
    let n: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| io::Error::other(usage))?;
    let root = PathBuf::from(args.get(1).ok_or_else(|| io::Error::other(usage))?);
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let theme = opt("--theme")
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"));
    let hugo = opt("--hugo");
    let mdbook = opt("--mdbook");

    let specs = plan(n);
    let terms: Vec<&Spec> = specs.iter().filter(|s| s.kind == "terme").collect();
    write(
        &root.join("guide.toml"),
        &format!(
            "title = \"Guide synthétique de {n} fiches\"\ndescription = \"Un guide généré pour mesurer la vitesse de fiches.\"\npublisher = \"Banc d'essai\"\ntheme = \"{}\"\nprecaution = \"Ces informations ont peut-être changé.\"\n{PDF_OFF}",
            theme.display()
        ),
    )?;
    let mut summary = String::from("# Summary\n\n");
    for (i, spec) in specs.iter().enumerate() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1).wrapping_mul(0x1000_0000_01b3));
        let text = body(&mut r, spec, &specs, &terms);
        // The same seed gives Hugo the same front matter values.
        let seed = r.next() | 1;
        let fm = front(&mut Rng(seed), spec, &specs, false);
        write(
            &root.join(format!("content/{}/{}.md", spec.folder, spec.slug)),
            &format!("{fm}{text}"),
        )?;
        if let Some(h) = &hugo {
            let fm = front(&mut Rng(seed), spec, &specs, true);
            write(
                &h.join(format!("content/{}/{}.md", spec.folder, spec.slug)),
                &format!("{fm}{text}"),
            )?;
        }
        if let Some(m) = &mdbook {
            let _ = writeln!(
                summary,
                "- [{}]({}/{}.md)",
                spec.title, spec.folder, spec.slug
            );
            write(
                &m.join(format!("src/{}/{}.md", spec.folder, spec.slug)),
                &format!("# {}\n\n{text}", spec.title),
            )?;
        }
    }
    if let Some(h) = &hugo {
        hugo_site(h, n)?;
    }
    if let Some(m) = &mdbook {
        write(&m.join("src/SUMMARY.md"), &summary)?;
        write(
            &m.join("book.toml"),
            &format!(
                "[book]\ntitle = \"Guide synthétique de {n} fiches\"\nlanguage = \"fr\"\n\n[output.html.search]\nenable = true\n"
            ),
        )?;
    }
    Ok(())
}

/// A minimal Hugo site with the same pages: one page per card, taxonomy
/// listings for stages and publics, section lists.
fn hugo_site(h: &Path, n: usize) -> io::Result<()> {
    write(
        &h.join("hugo.toml"),
        &format!(
            "baseURL = \"https://exemple.fr/\"\nlanguageCode = \"fr\"\ntitle = \"Guide synthétique de {n} fiches\"\ndisableKinds = [\"RSS\"]\n[taxonomies]\nstage = \"stages\"\npublic = \"publics\"\n"
        ),
    )?;
    let base = r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title>
<link rel="stylesheet" href="/css/fiches.css"></head>
<body><header><p><a href="/">{{ .Site.Title }}</a></p><nav><ul>
<li><a href="/">Accueil</a></li><li><a href="/stages/">Étapes</a></li><li><a href="/publics/">Publics</a></li></ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer><p>Banc d'essai</p></footer></body></html>
"#;
    let single = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
{{ with .Params.points }}<dl>{{ range $k, $v := . }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>{{ end }}
<div class="fiche-body">{{ .Content }}</div>
{{ with .Params.links }}<ul>{{ range . }}<li><a href="{{ .url }}">{{ .title }}</a></li>{{ end }}</ul>{{ end }}
{{ with .Params.related }}<ul>{{ range . }}<li><a href="/{{ . }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
"#;
    let list = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> : {{ .Params.summary }}</li>{{ end }}
</ul>{{ end }}
"#;
    write(&h.join("layouts/_default/baseof.html"), base)?;
    write(&h.join("layouts/_default/single.html"), single)?;
    write(&h.join("layouts/_default/list.html"), list)?;
    write(&h.join("layouts/index.html"), list)?;
    Ok(())
}
