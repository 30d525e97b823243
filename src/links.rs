//! Stage 3b: links.
//!
//! Takes: parsed cards, to know the slugs and sections (`index`, `Targets`);
//! then one card's events at a time. Gives: the events, internal links
//! (`poe.md`, `../outils/dea.md#contacts`) rewritten to site paths marked
//! `@/`, which each page makes relative to itself.
//! Reports: duplicate slugs; `related`, `compensation`, `fiche` and internal
//! links to cards that do not exist; `javascript:` / `data:` URLs; malformed
//! link addresses.

use pulldown_cmark::{CowStr, Event, Tag};
use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::{Diagnostic, Severity, suggest};
use crate::drafts::Draft;
use crate::model::{Card, Kind, SITE, SourceFile, Spanned};
use crate::spans::Field;

/// Ids present on every fiche page, besides the body's headings.
const PAGE_IDS: &[&str] = &["contenu", "en-bref", "outils-compensation", "voir-aussi"];

/// Slug → card index, one map for pages and one for glossary terms.
pub struct Index {
    pub cards: BTreeMap<String, usize>,
    pub terms: BTreeMap<String, usize>,
    /// Slug → the draft left out of the guide (not the terms): a link to
    /// it is an error of its own (`drafts::Draft::message`).
    pub drafts: BTreeMap<String, Draft>,
}

/// Builds the slug maps; reports duplicates.
pub fn index(cards: &[Card], files: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Index {
    let mut idx = Index {
        cards: BTreeMap::new(),
        terms: BTreeMap::new(),
        drafts: BTreeMap::new(),
    };
    for (i, c) in cards.iter().enumerate() {
        let map = if c.is_term() {
            &mut idx.terms
        } else {
            &mut idx.cards
        };
        if let Some(&first) = map.get(&c.slug) {
            diags.push(
                Diagnostic::file(
                    "slug-en-double",
                    &files[c.file].rel,
                    format!(
                        "deux fiches portent le nom « {} » : celle-ci et {}",
                        c.slug, files[cards[first].file].rel
                    ),
                )
                .help("chaque fichier doit avoir un nom unique : renommez l'un des deux"),
            );
        } else {
            map.insert(c.slug.clone(), i);
        }
    }
    idx
}

/// What the links of a card may point at, gathered once for the whole guide.
pub struct Targets<'a> {
    cards: &'a [Card],
    idx: &'a Index,
    /// Slug → kind of the cards with a page or an anchor (not the terms).
    kinds: BTreeMap<String, Kind>,
    /// The same slugs, for suggestions.
    slugs: Vec<&'a str>,
}

impl<'a> Targets<'a> {
    /// The link targets of these cards.
    pub fn new(cards: &'a [Card], idx: &'a Index) -> Self {
        let kinds = idx
            .cards
            .iter()
            .map(|(s, &i)| (s.clone(), cards[i].fm.kind))
            .collect();
        Targets {
            cards,
            idx,
            kinds,
            slugs: idx.cards.keys().map(String::as_str).collect(),
        }
    }

    /// Ids a link `slug.md#id` may target: the target's headings, then the
    /// sections every fiche page has.
    fn anchors(&self, slug: &str) -> Vec<&str> {
        let Some(&i) = self.idx.cards.get(slug) else {
            return Vec::new();
        };
        let headings = self.cards[i].headings.iter().map(|h| h.id.as_str());
        headings.chain(PAGE_IDS.iter().copied()).collect()
    }

    /// Checks the references of one card and rewrites the internal links of
    /// its events to site paths.
    pub fn apply<'e>(
        &self,
        card: &Card,
        mut events: Vec<Spanned<'e>>,
        f: &SourceFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Spanned<'e>> {
        check_refs(card, f, self, diags);
        for (ev, range) in events.iter_mut() {
            let is_image = matches!(ev, Event::Start(Tag::Image { .. }));
            let (Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })) = ev
            else {
                continue;
            };
            // An image of the guide, already checked by the images stage.
            if is_image && dest_url.starts_with(SITE) {
                continue;
            }
            if let Some(draft) = self.draft(dest_url) {
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        "brouillon",
                        &f.rel,
                        f.lines(),
                        range.clone(),
                        format!(
                            "lien vers une fiche non publiée : {}",
                            draft.message(dest_url)
                        ),
                    )
                    .help(Draft::HELP),
                );
                continue;
            }
            match resolve(dest_url, &self.kinds) {
                Ok(Some(site)) => {
                    if let Some((_, frag)) = dest_url.split_once('#') {
                        self.check_anchor(dest_url, frag, f, range, diags);
                    }
                    *dest_url = CowStr::from(site)
                }
                Ok(None) => {}
                Err((msg, help)) => {
                    let mut d = Diagnostic::at(
                        Severity::Error,
                        "lien",
                        &f.rel,
                        f.lines(),
                        range.clone(),
                        msg,
                    );
                    let h = help.or_else(|| {
                        let slug = slug_of(dest_url)?;
                        suggest(&slug, &self.slugs)
                            .map(|s| format!("vouliez-vous dire « {s}.md » ?"))
                    });
                    d = d.help(h.unwrap_or_else(|| {
                        "écrivez le nom du fichier de la fiche visée, sans son dossier : [la POE](poe.md)".into()
                    }));
                    diags.push(d);
                }
            }
        }
        events
    }

    /// The draft a link `slug.md` (or `slug.md#id`) points at, if it is one.
    fn draft(&self, dest: &str) -> Option<&Draft> {
        let path = dest.split('#').next()?;
        if !path.ends_with(".md") || path.contains("://") {
            return None;
        }
        let slug = slug_of(dest)?;
        self.idx
            .drafts
            .get(&slug)
            .filter(|_| !self.kinds.contains_key(&slug))
    }

    /// Reports a link `slug.md#frag` to a section its target does not have.
    fn check_anchor(
        &self,
        dest: &str,
        frag: &str,
        f: &SourceFile,
        range: &Range<usize>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let slug = slug_of(dest).unwrap_or_default();
        let entry = self.kinds.get(&slug).is_some_and(|k| !k.has_page());
        let known = self.anchors(&slug);
        if entry || known.contains(&frag) {
            return;
        }
        let help = match suggest(frag, &known) {
            Some(s) => format!(
                "vouliez-vous dire « #{s} » ? Sections de cette fiche : {}",
                known.join(", ")
            ),
            None => format!("sections de cette fiche : {}", known.join(", ")),
        };
        diags.push(
            Diagnostic::at(
                Severity::Error,
                "lien",
                &f.rel,
                f.lines(),
                range.clone(),
                format!("lien vers une section qui n'existe pas : « #{frag} » dans « {slug}.md »"),
            )
            .help(help),
        );
    }
}

fn slug_of(dest: &str) -> Option<String> {
    let path = dest.split('#').next()?;
    let file = path.rsplit('/').next()?;
    Some(file.strip_suffix(".md").unwrap_or(file).to_string())
}

/// What a link destination becomes: `Ok(Some(site path))` for a card,
/// `Ok(None)` to keep as is, `Err` for a refused or broken link.
pub fn resolve(
    dest: &str,
    kinds: &BTreeMap<String, Kind>,
) -> Result<Option<String>, (String, Option<String>)> {
    let lower = dest.trim().to_ascii_lowercase();
    let scheme: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if ["javascript:", "data:", "vbscript:", "file:"]
        .iter()
        .any(|s| scheme.starts_with(s))
    {
        return Err((
            format!(
                "adresse refusée « {} » : ce type de lien n'est pas permis",
                dest.chars().take(40).collect::<String>()
            ),
            Some("utilisez une adresse web https://… ou le nom d'une autre fiche (poe.md)".into()),
        ));
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return match check_url(dest) {
            Ok(()) => Ok(None),
            Err(e) => Err((
                e,
                Some(
                    "corrigez l'adresse : elle doit ressembler à https://www.exemple.fr/page"
                        .into(),
                ),
            )),
        };
    }
    if lower.starts_with("mailto:") || lower.starts_with("tel:") || dest.starts_with('#') {
        return Ok(None);
    }
    // "www.agefiph.fr" or "https//…": an address, not a card name.
    if lower.starts_with("www.") || lower.starts_with("http") {
        return Err((
            format!("adresse web incomplète « {dest} » : elle doit commencer par https://"),
            Some(
                "copiez l'adresse complète depuis la barre d'adresse du navigateur, par exemple https://www.agefiph.fr/"
                    .into(),
            ),
        ));
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if !path.ends_with(".md") {
        return Err((
            format!("lien interne « {dest} » : il faut le nom d'une fiche suivi de .md"),
            Some("écrivez par exemple [la POE](poe.md), ou une adresse complète https://…".into()),
        ));
    }
    let slug = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    match kinds.get(slug) {
        Some(kind) => {
            let mut url = kind.url(slug);
            if let Some(f) = frag {
                if url.contains('#') {
                    url = url.split('#').next().unwrap_or("").to_string();
                }
                url.push('#');
                url.push_str(f);
            }
            Ok(Some(format!("{SITE}{url}")))
        }
        None => Err((
            format!("lien vers une fiche qui n'existe pas : « {slug}.md »"),
            None,
        )),
    }
}

/// Checks an external http(s) address is well formed.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("adresse « {url} » : elle doit commencer par https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let ok_host = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if !ok_host {
        return Err(format!(
            "adresse mal formée « {url} » : le nom du site « {host} » n'est pas valide"
        ));
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    {
        return Err(format!(
            "adresse mal formée « {url} » : elle contient un espace ou un caractère interdit"
        ));
    }
    Ok(())
}

fn check_refs(card: &Card, f: &SourceFile, targets: &Targets, diags: &mut Vec<Diagnostic>) {
    let spans = &card.fm.spans;
    let lists: [(&'static str, Vec<&String>); 3] = [
        ("related", card.fm.related.iter().collect()),
        ("compensation", card.fm.compensation.iter().collect()),
        ("fiche", card.fm.fiche.iter().collect()),
    ];
    for (key, values) in lists {
        for (nth, v) in values.into_iter().enumerate() {
            // A map lookup: `related` lists of a big guide made this quadratic (issue 8).
            if targets.kinds.contains_key(v.as_str()) {
                continue;
            }
            let at = match key {
                "fiche" => Field::top(key),
                _ => Field::item(key, nth),
            };
            if let Some(draft) = targets.idx.drafts.get(v.as_str()) {
                diags.push(
                    Diagnostic::at(
                        Severity::Error,
                        "brouillon",
                        &f.rel,
                        f.lines(),
                        spans.value_or_key(at),
                        format!("`{key}` cite une fiche non publiée : {}", draft.message(v)),
                    )
                    .help(Draft::HELP),
                );
                continue;
            }
            let mut d = Diagnostic::at(
                Severity::Error,
                "reference-inconnue",
                &f.rel,
                f.lines(),
                spans.value_or_key(at),
                format!("`{key}` cite la fiche « {v} », qui n'existe pas"),
            );
            d = d.help(match suggest(v, &targets.slugs) {
                Some(s) => format!("vouliez-vous dire « {s} » ? (le nom du fichier, sans .md)"),
                None => {
                    "écrivez le nom du fichier de la fiche, sans .md (par exemple \"poe\")".into()
                }
            });
            diags.push(d);
        }
    }
    for (nth, l) in card.fm.links.iter().enumerate() {
        let lower = l.url.to_ascii_lowercase();
        let problem = if lower.starts_with("mailto:") || lower.starts_with("tel:") {
            None
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            check_url(&l.url).err()
        } else {
            Some(format!(
                "adresse « {} » refusée : seules https://, http://, mailto: et tel: sont permises",
                l.url
            ))
        };
        if let Some(msg) = problem {
            diags.push(
                Diagnostic::at(
                    Severity::Error,
                    "lien",
                    &f.rel,
                    f.lines(),
                    spans.value_or_key(Field::item_sub("links", nth, "url")),
                    msg,
                )
                .help("copiez l'adresse complète depuis la barre d'adresse du navigateur"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_turns_card_files_into_site_paths_and_refuses_scripts() {
        let kinds: BTreeMap<String, Kind> = [
            ("poe", Kind::Dispositif),
            ("rqth", Kind::Terme),
            ("parcours-salarie", Kind::Parcours),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b))
        .collect();
        let ok = |d: &str| resolve(d, &kinds).unwrap();
        assert_eq!(ok("poe.md"), Some("@/fiches/poe.html".into()));
        assert_eq!(
            ok("../dispositifs/poe.md#objectifs"),
            Some("@/fiches/poe.html#objectifs".into())
        );
        assert_eq!(
            ok("parcours-salarie.md"),
            Some("@/parcours/parcours-salarie.html".into())
        );
        assert_eq!(ok("https://www.agefiph.fr/"), None);
        assert_eq!(ok("mailto:a@b.fr"), None);
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "nope.md",
            "page.html",
            "https://exa mple.fr",
        ] {
            assert!(resolve(bad, &kinds).is_err(), "{bad}");
        }
    }
}
