//! Numbers for the words and stems of the cards (issue #8), shared by the
//! threads that read them.
//!
//! Takes: texts of the cards. Gives: each text's stems and words as numbers,
//! and at the end the vocabulary they index. Reports: nothing.
//!
//! Each thread keeps a cache of the tokens and words it has met in front of
//! one shared vocabulary: the lock is taken once per new word, each distinct
//! word is stemmed once, and each distinct token (as written) folded once.
//! Numbers follow the order in which words are met, which depends on the
//! threads: they never reach the output, which is sorted by text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard};

use crate::text::{Words, fold_into, is_stop, per_token, split_words, stem};

/// A fast hash, 8 bytes at a time (FxHash, as in rustc): the index hashes every
/// word of every card; the maps here are fed by the guide only, so a hash without
/// DoS protection is fine.
#[derive(Default)]
pub(super) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits and a tag from the high
        // ones: mix them all (the finaliser of MurmurHash3).
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The hash of a text: a key for the group matcher, and the name of a part.
pub(super) fn hash_text(s: &str) -> u64 {
    let mut h = Fx::default();
    h.write(s.as_bytes());
    h.finish()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Word number of a word that is its own stem.
pub(super) const SAME: u32 = u32::MAX;

/// The numbers of a folded word: its stem's, and its own when it differs
/// from its stem (`SAME` otherwise).
#[derive(Clone, Copy)]
pub(super) struct Ids {
    pub stem: u32,
    pub word: u32,
}

/// Every folded word and stem met so far, numbered in the order they are met
/// (numbers never reach the output: it is sorted by text).
#[derive(Default)]
pub(super) struct Vocab {
    words: FastMap<Box<str>, Ids>,
    stems: FastMap<Box<str>, u32>,
    /// Each stem, by number.
    pub stem_names: Vec<Box<str>>,
    /// Each word whose stem differs from it, by number.
    pub word_names: Vec<Box<str>>,
}

impl Vocab {
    fn add(&mut self, word: &str, stem: &str) -> Ids {
        if let Some(&ids) = self.words.get(word) {
            return ids;
        }
        let s = match self.stems.get(stem) {
            Some(&s) => s,
            None => {
                let s = self.stem_names.len() as u32;
                self.stem_names.push(stem.into());
                self.stems.insert(stem.into(), s);
                s
            }
        };
        let w = if stem == word {
            SAME
        } else {
            self.word_names.push(word.into());
            self.word_names.len() as u32 - 1
        };
        let ids = Ids { stem: s, word: w };
        self.words.insert(word.into(), ids);
        ids
    }
}

/// Values by text, for texts of up to 16 bytes (nearly all) by a number: no
/// string to compare.
struct Cache<V> {
    short: FastMap<u128, V>,
    long: FastMap<Box<str>, V>,
}

/// A text of up to 16 bytes as a number (texts here hold no NUL: no two share one).
fn key16(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut b = [0u8; 16];
        b[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(b)
    })
}

impl<V: Copy> Cache<V> {
    fn new() -> Cache<V> {
        Cache {
            short: FastMap::default(),
            long: FastMap::default(),
        }
    }

    fn get(&self, text: &str) -> Option<V> {
        match key16(text) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(text).copied(),
        }
    }

    fn insert(&mut self, text: &str, v: V) {
        match key16(text) {
            Some(k) => self.short.insert(k, v),
            None => self.long.insert(text.into(), v),
        };
    }
}

/// What a case-kept token of a text stands for, once folded.
#[derive(Clone, Copy)]
enum Token {
    /// Stop words only.
    Nothing,
    /// One word, not a stop word.
    One(Ids),
    /// More than one word: folded again each time (rare).
    Several,
}

/// One thread's view of the shared vocabulary: the words and tokens it has
/// met, so that the lock is taken once per new word, each distinct word is
/// stemmed once, and each distinct token folded once.
pub(super) struct Reader<'v> {
    shared: &'v Mutex<Vocab>,
    words: Cache<Ids>,
    tokens: Cache<Token>,
}

impl<'v> Reader<'v> {
    pub(super) fn new(shared: &'v Mutex<Vocab>) -> Reader<'v> {
        Reader {
            shared,
            words: Cache::new(),
            tokens: Cache::new(),
        }
    }

    /// The numbers of a folded word that is not a stop word.
    pub(super) fn ids(&mut self, word: &str) -> Ids {
        if let Some(ids) = self.words.get(word) {
            return ids;
        }
        let known = lock(self.shared).words.get(word).copied();
        let ids = known.unwrap_or_else(|| {
            // Stemmed outside the lock; another thread may stem the same word
            // meanwhile, and `add` keeps the first numbers.
            let s = stem(word);
            lock(self.shared).add(word, &s)
        });
        self.words.insert(word, ids);
        ids
    }

    /// What a token (as written) stands for; `buf` is scratch space.
    fn token(&mut self, token: &str, buf: &mut String) -> Token {
        if let Some(t) = self.tokens.get(token) {
            return t;
        }
        buf.clear();
        fold_into(token, buf);
        let mut words = split_words(buf).filter(|w| !is_stop(w));
        let t = match (words.next(), words.next()) {
            (None, _) => Token::Nothing,
            (Some(w), None) => Token::One(self.ids(w)),
            _ => Token::Several,
        };
        self.tokens.insert(token, t);
        t
    }

    /// The stems of a text into `seq` and its words (when they differ from
    /// their stem) into `words`, stop words left out; `buf` is scratch space.
    /// Calls `each` with every token as written and the tokens after it, and
    /// returns true, unless the text had to be folded whole (then false).
    pub(super) fn read(
        &mut self,
        text: &str,
        seq: &mut Vec<u32>,
        words: &mut Vec<u32>,
        buf: &mut String,
        each: &mut impl FnMut(&str, &Words),
    ) -> bool {
        let mut push = |ids: Ids| {
            if ids.word != SAME {
                words.push(ids.word);
            }
            seq.push(ids.stem);
        };
        if !per_token(text) {
            buf.clear();
            fold_into(text, buf);
            for w in split_words(buf).filter(|w| !is_stop(w)) {
                push(self.ids(w));
            }
            return false;
        }
        // Most texts: each distinct token is folded once, then looked up.
        // Tokens as written: split as folded texts are.
        let mut tokens = split_words(text);
        while let Some(t) = tokens.next() {
            each(t, &tokens);
            match self.token(t, buf) {
                Token::Nothing => {}
                Token::One(ids) => push(ids),
                Token::Several => {
                    buf.clear();
                    fold_into(t, buf);
                    for w in split_words(buf).filter(|w| !is_stop(w)) {
                        push(self.ids(w));
                    }
                }
            }
        }
        true
    }
}
