//! `fiches diff OLD_DIR NEW_DIR`: which pages change between two built guides.
//!
//! Takes: two output folders of `fiches build` (the base branch's guide and a
//! pull request's). Gives: the pages added, removed and changed, each named
//! in plain French (« la fiche POE », « l'accueil »), with what changed: for a
//! fiche, the sections whose text changed. Pages are compared by the text a
//! reader sees (and the addresses of links), so a difference in markup only
//! is not a change; the search index is compared by documents and words, so
//! a document renumbered, or a part renamed after its hash, is not a change
//! either. Reports: a folder that cannot be read (an `io::Error`).

pub mod report;
pub mod text;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use text::PageText;

/// What happened to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only in the new guide.
    Added,
    /// Only in the old guide.
    Removed,
    /// In both, with a different text.
    Changed,
}

/// One page (or the search index, or another file) that differs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Path inside the output folder (`fiches/poe.html`; `search-index.js`
    /// stands for the whole search index).
    pub path: String,
    /// The page in plain French: « la fiche POE », « l'accueil ».
    pub name: String,
    /// Added, removed or changed.
    pub status: Status,
    /// What changed, in a few words: « texte modifié », « liste », « index ».
    pub what: String,
    /// For a changed fiche: the sections whose text changed, in page order
    /// (« en-tête » is what comes before the first heading).
    pub sections: Vec<String>,
}

/// The file that stands for the whole search index.
const INDEX: &str = "search-index.js";

/// Compares two built guides; the changes come fiches first, then the other
/// pages, the search index and the other files, each group by path.
pub fn diff(old: &Path, new: &Path) -> io::Result<Vec<Change>> {
    let (a, b) = (files(old)?, files(new)?);
    let mut changes = Vec::new();
    let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for path in paths {
        if path.starts_with("search/") {
            continue;
        }
        let change = match (a.get(path), b.get(path)) {
            (Some(_), Some(_)) if path == INDEX => {
                (index_text(old)? != index_text(new)?).then(|| Change {
                    path: path.clone(),
                    name: "la recherche".into(),
                    status: Status::Changed,
                    what: "index".into(),
                    sections: Vec::new(),
                })
            }
            (Some(x), Some(y)) => compare(path, x, y),
            (None, Some(y)) => Some(one_side(path, y, Status::Added)),
            (Some(x), None) => Some(one_side(path, x, Status::Removed)),
            (None, None) => None,
        };
        changes.extend(change);
    }
    changes.sort_by_key(|c| (group(&c.path), c.path.clone()));
    Ok(changes)
}

/// Every file of an output folder by its path with `/`, but the marker.
fn files(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} n'est pas un dossier", dir.display()),
        ));
    }
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.map_err(io::Error::other)?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = crate::load::rel_path(dir, e.path());
        if rel != crate::write::MARKER {
            out.insert(rel, std::fs::read(e.path())?);
        }
    }
    Ok(out)
}

/// Fiches first, then the other pages, the search index, the other files.
fn group(path: &str) -> u8 {
    if path.starts_with("fiches/") {
        0
    } else if path.ends_with(".html") {
        1
    } else if path == INDEX {
        2
    } else {
        3
    }
}

/// A page or file found in one guide only.
fn one_side(path: &str, bytes: &[u8], status: Status) -> Change {
    let page = path
        .ends_with(".html")
        .then(|| text::page_text(&String::from_utf8_lossy(bytes)));
    Change {
        path: path.to_string(),
        name: name(path, page.as_ref()),
        status,
        what: match status {
            Status::Added => "ajoutée",
            _ => "supprimée",
        }
        .into(),
        sections: Vec::new(),
    }
}

/// A file in both guides: `None` when the reader would see no difference.
fn compare(path: &str, old: &[u8], new: &[u8]) -> Option<Change> {
    if old == new {
        return None;
    }
    let change = |what: &str, sections: Vec<String>, page: Option<&PageText>| Change {
        path: path.to_string(),
        name: name(path, page),
        status: Status::Changed,
        what: what.into(),
        sections,
    };
    if !path.ends_with(".html") {
        return Some(change("fichier modifié", Vec::new(), None));
    }
    let (a, b) = (
        text::page_text(&String::from_utf8_lossy(old)),
        text::page_text(&String::from_utf8_lossy(new)),
    );
    if a == b {
        return None;
    }
    let sections = changed_sections(&a, &b);
    let what = if sections.is_empty() {
        "menu ou pied de page"
    } else if path.starts_with("fiches/") || path == "guide-complet.html" {
        if sections.iter().all(|s| s == HEADER) {
            "en-tête modifié"
        } else {
            "texte modifié"
        }
    } else if is_list(path) {
        "liste"
    } else {
        "texte modifié"
    };
    let sections = if path.starts_with("fiches/") {
        sections
    } else {
        Vec::new()
    };
    Some(change(what, sections, Some(&b)))
}

/// The name of a page's part before its first heading.
const HEADER: &str = "en-tête";

/// The sections whose text differs: the header, then the sections of the
/// new page, then those only in the old one. Two sections with the same
/// heading are told apart by their rank.
fn changed_sections(a: &PageText, b: &PageText) -> Vec<String> {
    let keyed = |p: &PageText| -> Vec<((String, usize), String)> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        p.sections
            .iter()
            .map(|(h, t)| {
                let n = seen.entry(h).or_default();
                *n += 1;
                ((h.clone(), *n), t.clone())
            })
            .collect()
    };
    let (ka, kb) = (keyed(a), keyed(b));
    let old: BTreeMap<_, _> = ka.iter().cloned().collect();
    let new: BTreeMap<_, _> = kb.iter().cloned().collect();
    let mut out = Vec::new();
    if a.header != b.header {
        out.push(HEADER.to_string());
    }
    for (k, t) in &kb {
        if old.get(k) != Some(t) && !out.contains(&k.0) {
            out.push(k.0.clone());
        }
    }
    for (k, _) in &ka {
        if !new.contains_key(k) && !out.contains(&k.0) {
            out.push(k.0.clone());
        }
    }
    out
}

/// Whether a page lists cards (home, stages, publics, kinds, A–Z, glossary, contacts).
fn is_list(path: &str) -> bool {
    matches!(
        path,
        "index.html" | "a-z.html" | "glossaire.html" | "contacts.html"
    ) || ["etapes/", "publics/", "types/"]
        .iter()
        .any(|d| path.starts_with(d))
}

/// A page in plain French, from its path and its title.
fn name(path: &str, page: Option<&PageText>) -> String {
    let title = page.map(|p| p.title.as_str()).unwrap_or("");
    let quoted = |what: &str| {
        if title.is_empty() {
            format!("{what} {path}")
        } else {
            format!("{what} « {title} »")
        }
    };
    match path {
        "index.html" => return "l'accueil".into(),
        "a-z.html" => return "la liste de A à Z".into(),
        "glossaire.html" => return "le glossaire".into(),
        "contacts.html" => return "les contacts".into(),
        "recherche.html" => return "la page de recherche".into(),
        "guide-complet.html" => return "le guide complet".into(),
        "404.html" => return "la page « introuvable » (404)".into(),
        "sitemap.xml" => return "le plan du site pour les moteurs de recherche".into(),
        _ => {}
    }
    if path.starts_with("fiches/") {
        // « Préparation opérationnelle à l'emploi (POE) » → « la fiche POE ».
        if let Some(open) = title.rfind(" (")
            && title.ends_with(')')
        {
            return format!("la fiche {}", &title[open + 2..title.len() - 1]);
        }
        return quoted("la fiche");
    }
    for (dir, what) in [
        ("etapes/", "l'étape"),
        ("publics/", "la liste pour le public"),
        ("types/", "la liste du type"),
    ] {
        if path.starts_with(dir) {
            return quoted(what);
        }
    }
    if path.ends_with(".html") {
        quoted("la page")
    } else {
        format!("le fichier {path}")
    }
}

/// The search index without what depends on numbering: each document by its
/// address, each stem with the addresses and weights of its documents, the
/// words. An index split into parts (a guide of thousands of cards) is
/// compared part by part, names without their hash.
fn index_text(dir: &Path) -> io::Result<String> {
    let main = std::fs::read_to_string(dir.join(INDEX))?;
    let json = main
        .trim()
        .strip_prefix("window.FICHES_INDEX=")
        .map(|s| s.trim_end_matches(';'));
    let parsed: Option<serde_json::Value> = json.and_then(|j| serde_json::from_str(j).ok());
    if let Some(v) = parsed.filter(|v| v["version"] == 1) {
        return Ok(index_v1(&v));
    }
    let mut all = vec![(INDEX.to_string(), unhash(&main))];
    let parts = dir.join("search");
    if parts.is_dir() {
        for e in std::fs::read_dir(parts)? {
            let e = e?;
            let name = unhash(&e.file_name().to_string_lossy());
            all.push((name, unhash(&std::fs::read_to_string(e.path())?)));
        }
    }
    all.sort();
    Ok(all.into_iter().map(|(n, t)| n + "\n" + &t).collect())
}

/// A whole index (version 1) without its document numbers.
fn index_v1(v: &serde_json::Value) -> String {
    let docs: Vec<&serde_json::Value> = v["docs"].as_array().into_iter().flatten().collect();
    let url = |i: u64| -> String {
        docs.get(i as usize)
            .and_then(|d| d["u"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let mut out: Vec<String> = docs.iter().map(|d| format!("doc {d}")).collect();
    if let Some(terms) = v["terms"].as_object() {
        for (stem, postings) in terms {
            let flat: Vec<u64> = postings
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_u64())
                .collect();
            let mut doc = 0;
            let mut list: Vec<(String, u64)> = flat
                .chunks(2)
                .map(|p| {
                    doc += p[0];
                    (url(doc), p.get(1).copied().unwrap_or(0))
                })
                .collect();
            list.sort();
            out.push(format!("term {stem} {list:?}"));
        }
    }
    out.push(format!("words {}", v["words"]));
    out.sort();
    out.join("\n")
}

/// A text with the hashes of part names (`t3-89abcdef`) taken out.
fn unhash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('-') {
        let tail = &rest[i + 1..];
        let hex = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(&rest[..i]);
        if hex == 8 && tail[8..].starts_with(".js") {
            rest = &tail[8..];
        } else {
            out.push('-');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_hashes_are_taken_out() {
        assert_eq!(
            unhash("[\"t0-89abcdef.js\",\"d1-0000ffff.js\"] pré-requis-2026"),
            "[\"t0.js\",\"d1.js\"] pré-requis-2026"
        );
    }

    #[test]
    fn the_v1_index_ignores_document_numbers() {
        let a = serde_json::json!({"version":1,"docs":[{"u":"a.html"},{"u":"b.html"}],
            "words":"x","terms":{"emploi":[0,3,1,2]}});
        let b = serde_json::json!({"version":1,"docs":[{"u":"b.html"},{"u":"a.html"}],
            "words":"x","terms":{"emploi":[0,2,1,3]}});
        let c = serde_json::json!({"version":1,"docs":[{"u":"b.html"},{"u":"a.html"}],
            "words":"x","terms":{"emploi":[0,3,1,2]}});
        assert_eq!(index_v1(&a), index_v1(&b));
        assert_ne!(index_v1(&a), index_v1(&c));
    }
}
