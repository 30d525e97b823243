//! Drafts: cards with `draft = true` in their front matter (issue 18).
//!
//! Takes: the parsed cards. Gives: the published cards, and the drafts set
//! aside, so that no later stage sees them: a build leaves them out of every
//! page, list, search index, glossary and sitemap. `serve` keeps them (it
//! shows each with a banner, see `lib::prepare_drafts`).
//! Reports: nothing itself; `links` reports a published card that links to
//! a draft (`Draft::message`), `check` lists the drafts.

use crate::model::{Card, SourceFile};

/// A card left out of the guide because it is a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Its slug: the file name without `.md`.
    pub slug: String,
    /// Whether it is a glossary term (terms have their own slugs).
    pub term: bool,
    /// Its file, from the guide root (`content/dispositifs/poe.md`).
    pub file: String,
}

/// Takes the drafts out of `cards`, keeping the others in their order.
pub fn set_aside(cards: &mut Vec<Card>, files: &[SourceFile]) -> Vec<Draft> {
    let mut drafts = Vec::new();
    cards.retain(|c| {
        if c.fm.draft {
            drafts.push(Draft {
                slug: c.slug.clone(),
                term: c.is_term(),
                file: files[c.file].rel.clone(),
            });
        }
        !c.fm.draft
    });
    drafts
}

impl Draft {
    /// Why a published card may not cite this draft, as `written` there.
    pub fn message(&self, written: &str) -> String {
        format!(
            "« {written} » est un brouillon (draft = true dans {}) : il n'est pas publié",
            self.file
        )
    }

    /// What to do about a published card that cites a draft.
    pub const HELP: &str = "enlevez ce renvoi en attendant, ou publiez la fiche en retirant `draft = true` de son en-tête";
}
