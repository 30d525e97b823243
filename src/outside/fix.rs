//! `fiches links --fix`: moved addresses rewritten where they are written.
//!
//! Takes: a file's text and replacements (byte range → new address). Gives:
//! the text with only those ranges changed, every other byte as it was.
//! Reports: nothing; the caller writes the file and lists what changed.

use std::ops::Range;

/// The text with each range replaced; ranges must not overlap.
pub fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (r, new) in edits {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&new);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_ranges_change() {
        let text = "a http://x b\r\nhttp://x\n";
        let new = apply(
            text,
            vec![(14..22, "https://y".into()), (2..10, "https://y".into())],
        );
        assert_eq!(new, "a https://y b\r\nhttps://y\n");
    }
}
