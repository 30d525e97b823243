//! Stage 3a: glossary.
//!
//! Takes: parsed cards. Gives: the same cards, with the first use of each
//! glossary term on a page wrapped in tooltip markup.
//! (Being written: see issue #10.)

use crate::diag::Diagnostic;
use crate::model::{Card, SourceFile};

/// Wraps the first use of each term in every card.
pub fn apply(_cards: &mut [Card], _files: &[SourceFile], _diags: &mut Vec<Diagnostic>) {}
