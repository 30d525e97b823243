use std::ops::Range;
static FD: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
fn instr() -> u64 {
    let fd = *FD.get_or_init(|| { let mut attr = [0u64; 16]; attr[0] = 128u64 << 32; attr[1] = 1; attr[5] = 1 << 5 | 1 << 6;
        unsafe { libc::syscall(libc::SYS_perf_event_open, attr.as_ptr(), 0, -1, -1, 0) as i32 } });
    let mut v = 0u64; unsafe { libc::read(fd, &mut v as *mut u64 as *mut libc::c_void, 8) }; v
}
const ABBREVIATIONS: &[&str] = &["etc", "ex", "cf", "mme", "mr", "art", "env", "tel", "av", "bd"];
fn fold(s: &str) -> String { fiches::search::fold(s) }
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    // A sentence starts at the first character that is not a space.
    while let Some(s) = text[from..].find(|c: char| !c.is_whitespace()) {
        let s = from + s;
        match sentence_end(text, s) {
            Some(end) => {
                out.push(s..end);
                from = end;
            }
            None => {
                out.push(s..text.trim_end().len());
                break;
            }
        }
    }
    out
}

/// Where the sentence that starts at `s` ends, if a stop ends it.
fn sentence_end(text: &str, s: usize) -> Option<usize> {
    let mut at = s;
    loop {
        // Only the bytes that may start a stop are looked at (issue 8): ".",
        // "!", "?", and the first byte of "…".
        let i = at
            + text.as_bytes()[at..]
                .iter()
                .position(|b| matches!(b, b'.' | b'!' | b'?' | 0xE2))?;
        let c = text[i..].chars().next()?;
        at = i + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence, "« oui. »" too.
        let mut j = at;
        loop {
            let mut rest = text[j..].chars();
            match rest.next() {
                Some(x) if matches!(x, '»' | ')' | '"' | '”' | '’' | ']') => j += x.len_utf8(),
                Some(x) if x.is_whitespace() && rest.next() == Some('»') => j += x.len_utf8(),
                _ => break,
            }
        }
        let after = &text[j..];
        let next = after.chars().find(|x| !x.is_whitespace());
        let at_space = after.chars().next().is_none_or(char::is_whitespace);
        // The word before the stop.
        let word_start = text[s..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(s, |(o, c)| s + o + c.len_utf8());
        let before = &text[word_start..i];
        let initial = before.chars().count() == 1 && before.chars().all(char::is_uppercase);
        let abbreviation = c == '.' && (initial || is_abbreviation(before));
        let continues = next.is_some_and(char::is_lowercase);
        if at_space && !abbreviation && !continues {
            return Some(j);
        }
    }
}

/// Whether a word is an abbreviation whose period does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        // `fold` of ASCII is its lower case: no need to build it (issue 8).
        return ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
    }
    ABBREVIATIONS.contains(&fold(word).as_str())
}

fn word_count(text: &str) -> usize {
    let (mut count, mut counted) = (0, false);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // ASCII first: most of the text; the other bytes of a character are skipped.
        let c = match b {
            0..0x80 => char::from(b),
            0x80..0xC0 => continue,
            _ => text[i..].chars().next().unwrap_or(' '),
        };
        if c.is_whitespace() {
            counted = false;
        } else if !counted && c.is_alphanumeric() {
            count += 1;
            counted = true;
        }
    }
    count
}


fn word_count2(text: &str) -> usize {
    let (mut count, mut counted) = (0, false);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        match b {
            b' ' | b'\t'..=b'\r' => counted = false,
            0..0x80 => {
                if !counted && b.is_ascii_alphanumeric() {
                    count += 1;
                    counted = true;
                }
            }
            0x80..0xC0 => {}
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    counted = false;
                } else if !counted && c.is_alphanumeric() {
                    count += 1;
                    counted = true;
                }
            }
        }
    }
    count
}
fn positions(text: &str) -> usize {
    let mut n = 0; let mut at = 0;
    while let Some(o) = text.as_bytes()[at..].iter().position(|b| matches!(b, b'.' | b'!' | b'?' | 0xE2)) { n += 1; at += o + 1; }
    n
}

fn bounds1(text: &str) -> (usize, usize) {
    let spaces = text.bytes().filter(|&b| b == b' ' || (b'\t'..=b'\r').contains(&b) || b >= 0xC0).count();
    let stops = text.bytes().filter(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2)).count();
    (spaces, stops)
}
fn bounds2(text: &str) -> (usize, usize) {
    let (mut spaces, mut stops) = (0usize, 0usize);
    for &b in text.as_bytes() {
        spaces += usize::from((b == b' ') | (b.wrapping_sub(b'\t') <= 4) | (b >= 0xC0));
        stops += usize::from((b == b'.') | (b == b'!') | (b == b'?') | (b == 0xE2));
    }
    (spaces, stops)
}
fn bounds3(text: &str) -> (usize, usize) {
    let (mut spaces, mut stops) = (0u32, 0u32);
    for chunk in text.as_bytes().chunks(255) {
        let (mut a, mut b2) = (0u8, 0u8);
        for &b in chunk {
            a += u8::from((b == b' ') | (b.wrapping_sub(b'\t') <= 4) | (b >= 0xC0));
            b2 += u8::from((b == b'.') | (b == b'!') | (b == b'?') | (b == 0xE2));
        }
        spaces += u32::from(a); stops += u32::from(b2);
    }
    (spaces as usize, stops as usize)
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let mut diags = Vec::new();
    let files = fiches::load::load(&root, &mut diags);
    let cards = fiches::parse::parse(&files, &mut diags);
    let paras: Vec<&str> = cards.iter().flat_map(|c| c.text.split('\n')).collect();
    let bytes: usize = paras.iter().map(|p| p.len()).sum();
    let t = instr(); let mut n = 0; for p in &paras { n += sentences(p).len(); } let d = instr() - t;
    println!("sentences: {} paragraphs {} bytes {} sentences, {:.1} instr/byte", paras.len(), bytes, n, d as f64 / bytes as f64);
    let t = instr(); let mut n = 0; for p in &paras { n += word_count(p); } let d = instr() - t;
    println!("word_count: {n} {:.1} instr/byte", d as f64 / bytes as f64);
    let t = instr(); let mut n = 0; for p in &paras { n += word_count2(p); } let d = instr() - t;
    println!("word_count2: {n} {:.1} instr/byte", d as f64 / bytes as f64);
    let t = instr(); let mut n = 0; for p in &paras { n += positions(p); } let d = instr() - t;
    println!("positions: {n} {:.1} instr/byte", d as f64 / bytes as f64);
    for (name, f) in [("bounds1", bounds1 as fn(&str) -> (usize, usize)), ("bounds2", bounds2), ("bounds3", bounds3)] {
        let t = instr(); let mut n = 0; for p in &paras { let (a, b) = f(p); n += a + b; } let d = instr() - t;
        println!("{name}: {n} {:.1} instr/byte", d as f64 / bytes as f64);
    }
    let t = instr(); let mut n = 0; for p in &paras { for r in sentences(p) { n += word_count(&p[r]); } } let d = instr() - t;
    println!("prose: {n} {:.1} instr/byte", d as f64 / bytes as f64);
}
