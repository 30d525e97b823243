//! Text shared by the stages: folding, words, stop words, sentences.
//!
//! Takes: plain strings. Gives: folded text (`fold`: accents, case,
//! ligatures), words with or without their places (`tokens`, `split_words`,
//! `words`), French stop words and stems for the search index, sentences and
//! word counts for the lints, and HTML escaping. Pure functions, owned by the
//! early stages: parse (slugs), the lints, the glossary, render and the search
//! index all use them, so none of them imports another stage for it.
//! Reports: nothing.

mod fold;
mod sentences;

pub use fold::{
    STOP_WORDS, Words, fold, fold_into, is_stop, next_word, per_token, split_words, stem, terms,
    tokens, words,
};
pub use sentences::{sentences, word_count};
