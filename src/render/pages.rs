//! Stage 4, the pages that list cards: home, listings, A–Z, glossary,
//! contacts, the other site pages, and `sitemap.xml`.
//!
//! Takes: the `Site` (cards, templates, what the pages share). Gives: those
//! pages, rendered in parallel into the sink, with the whole guide
//! (`print::guide_page`) at the same time.
//! Reports: template errors, naming the template.

use rayon::prelude::*;
use tera::Context;

use super::{Item, Job, Level, Make, Site, print, trouver};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::view::{CardRef, CardView, Labelled};

impl<'a> Site<'a> {
    /// Every page that lists cards or gathers the whole guide, handed to
    /// `sink` as they are rendered, in parallel; then `sitemap.xml`.
    pub fn site_pages(&self, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) {
        let jobs = self.site_jobs();
        let mut paths: Vec<String> = jobs.iter().map(|(p, _)| p.clone()).collect();
        let (found, guide): (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) = rayon::join(
            || {
                jobs.par_iter()
                    .map(|(path, job)| {
                        let mut local = Vec::new();
                        if let Some((template, ctx)) = job(&mut local) {
                            self.stream(template, path, &ctx, sink, &mut local);
                        }
                        local
                    })
                    .collect()
            },
            || {
                let mut local = Vec::new();
                print::guide_page(self, sink, &mut local);
                local
            },
        );
        diags.extend(found.into_iter().flatten());
        diags.extend(guide);
        if let Some(base) = self.cfg.base() {
            paths.push("guide-complet.html".into());
            sink.put(sitemap(&base, self.cards, paths));
        }
    }

    /// The pages of `site_pages` but the full guide, not rendered yet.
    fn site_jobs(&self) -> Vec<Job<'_>> {
        let mut jobs: Vec<Job> = Vec::new();
        jobs.push(("index.html".into(), Box::new(|d| self.home(d))));
        // A list of cards; `alpha`: by title, else by `order` (stages).
        type Filter<'f> = Box<dyn Fn(&Card) -> bool + Send + Sync + 'f>;
        let listing =
            |path: String, title: String, intro: String, alpha: bool, keep: Filter<'a>| {
                let job = move |diags: &mut Vec<Diagnostic>| {
                    let order = if alpha {
                        &self.by_title
                    } else {
                        &self.by_order
                    };
                    let mut ctx = self.base_context(&path, &title, diags);
                    ctx.insert("intro", &intro);
                    let root = "../".repeat(path.matches('/').count());
                    ctx.insert("cards", &self.list(order, &keep, &root, Level::H2, diags));
                    Some(("liste.html", ctx))
                };
                let job: Make<'_> = Box::new(job);
                job
            };
        let is_fiche = |c: &Card| c.fm.kind.is_fiche();
        for (v, l) in STAGES.values {
            let path = format!("etapes/{v}.html");
            let intro = format!("Les solutions de l'étape « {l} ».");
            let keep = move |c: &Card| is_fiche(c) && c.fm.stages.iter().any(|s| s == v);
            let job = listing(path.clone(), l.to_string(), intro, false, Box::new(keep));
            jobs.push((path, job));
        }
        for (v, l) in PUBLICS.values {
            let path = format!("publics/{v}.html");
            let intro = format!("Les fiches qui concernent ce public : {l}.");
            let title = format!("Solutions pour : {l}");
            let keep = move |c: &Card| is_fiche(c) && c.fm.publics.iter().any(|s| s == v);
            jobs.push((
                path.clone(),
                listing(path, title, intro, true, Box::new(keep)),
            ));
        }
        for kind in Kind::ALL.into_iter().filter(|&k| k != Kind::Page) {
            let path = format!("types/{kind}.html");
            let intro = format!("Toutes les fiches de type « {} ».", kind.label());
            let keep = move |c: &Card| c.fm.kind == kind;
            let job = listing(
                path.clone(),
                kind.label().into(),
                intro,
                true,
                Box::new(keep),
            );
            jobs.push((path, job));
        }
        jobs.push((
            "a-z.html".into(),
            Box::new(|diags| {
                let mut ctx = self.base_context("a-z.html", "Toutes les fiches de A à Z", diags);
                ctx.insert(
                    "letters",
                    &by_letter(self.alpha_refs(|c| c.fm.kind != Kind::Page)),
                );
                Some(("a-z.html", ctx))
            }),
        ));
        for (path, title, kind) in [
            ("glossaire.html", "Glossaire", Kind::Terme),
            ("contacts.html", "Contacts et acteurs clés", Kind::Acteur),
        ] {
            jobs.push((
                path.into(),
                Box::new(move |diags| self.gathered(path, title, kind, diags)),
            ));
        }
        for (path, title) in [
            ("recherche.html", "Rechercher"),
            ("404.html", "Page introuvable"),
        ] {
            jobs.push((
                path.into(),
                Box::new(move |diags| {
                    let mut ctx = self.base_context(path, title, diags);
                    ctx.insert("stages", &Self::choices(&STAGES, "etapes"));
                    ctx.insert("publics", &Self::choices(&PUBLICS, "publics"));
                    Some((path, ctx))
                }),
            ));
        }
        jobs.push((
            "trouver.html".into(),
            Box::new(|diags| {
                let mut ctx = self.base_context("trouver.html", "Trouver une solution", diags);
                trouver::context(&mut ctx);
                Some(("trouver.html", ctx))
            }),
        ));
        jobs
    }

    /// Home page: the "accueil" card's text, then each stage with its fiches.
    fn home(&self, diags: &mut Vec<Diagnostic>) -> Option<(&'static str, Context)> {
        let mut ctx = self.base_context("index.html", &self.cfg.title, diags);
        ctx.insert("guide_pdf", &self.guide_pdf.get());
        ctx.insert("offline_zip", &self.cfg.offline_zip);
        ctx.insert("offline_copy", &false);
        if let Some(&i) = self.idx.cards.get("accueil") {
            ctx.insert("card", &self.view(&self.cards[i], "", true));
        }
        let by_stage: Vec<(Labelled, Vec<Item>)> = Self::choices(&STAGES, "etapes")
            .into_iter()
            .map(|st| {
                let cards = self.list(
                    &self.by_order,
                    |c| c.fm.kind == Kind::Dispositif && c.fm.stages.contains(&st.id),
                    "",
                    Level::H4,
                    diags,
                );
                (st, cards)
            })
            .collect();
        ctx.insert("by_stage", &by_stage);
        ctx.insert("publics", &Self::choices(&PUBLICS, "publics"));
        let parcours = |c: &Card| c.fm.kind == Kind::Parcours;
        let parcours = self.list(&self.by_title, parcours, "", Level::H3, diags);
        ctx.insert("parcours", &parcours);
        ctx.insert(
            "situations",
            &self.alpha_refs(|c| c.fm.kind == Kind::Situation),
        );
        let outils = self.list(
            &self.by_order,
            |c| c.fm.kind == Kind::Outil,
            "",
            Level::H3,
            diags,
        );
        ctx.insert("outils", &outils);
        Some(("index.html", ctx))
    }

    /// The home page of the offline copy: it says that the reader reads the
    /// offline copy instead of offering it (a zip cannot hold itself).
    pub fn offline_home(&self, diags: &mut Vec<Diagnostic>) -> Option<Page> {
        let (template, mut ctx) = self.home(diags)?;
        ctx.insert("offline_copy", &true);
        self.page(template, "index.html", &ctx, diags)
    }

    /// Glossary and contacts: the cards of one kind shown in full on one page.
    fn gathered(
        &self,
        path: &'static str,
        title: &str,
        kind: Kind,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(&'static str, Context)> {
        let mut ctx = self.base_context(path, title, diags);
        let order = if kind == Kind::Terme {
            &self.by_title
        } else {
            &self.by_order
        };
        let list: Vec<&Card> = order
            .iter()
            .map(|&i| &self.cards[i])
            .filter(|c| c.fm.kind == kind)
            .collect();
        // Glossary entries go in a `dd`, contacts in a `div`.
        let views: Vec<CardView> = list
            .par_iter()
            .map(|c| self.view(c, "", kind != Kind::Terme))
            .collect();
        // `initials[i]` is the letter of `cards[i]`: the glossary groups by it.
        let initials: Vec<String> = views
            .iter()
            .map(|v| first_letter(&v.base.title).unwrap_or_else(|| "#".into()))
            .collect();
        let mut letters = initials.clone();
        letters.dedup();
        ctx.insert("initials", &initials);
        ctx.insert("cards", &views);
        ctx.insert("letters", &letters);
        Some((path, ctx))
    }
}

fn first_letter(title: &str) -> Option<String> {
    crate::text::fold(title)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase().to_string())
}

fn by_letter(refs: Vec<CardRef>) -> Vec<(String, Vec<CardRef>)> {
    let mut out: Vec<(String, Vec<CardRef>)> = Vec::new();
    for r in refs {
        let l = first_letter(&r.title).unwrap_or_else(|| "#".into());
        match out.last_mut() {
            Some((k, v)) if *k == l => v.push(r),
            _ => out.push((l, vec![r])),
        }
    }
    out
}

fn sitemap(base: &str, cards: &[Card], paths: Vec<String>) -> Page {
    let mut urls: Vec<String> = paths
        .into_iter()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect();
    urls.extend(
        cards
            .iter()
            .filter(|c| c.has_page() && c.slug != "accueil")
            .map(|c| c.url()),
    );
    urls.sort();
    urls.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::model::escape_html(&format!("{base}{u}"))
        ));
    }
    xml.push_str("</urlset>\n");
    Page {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
