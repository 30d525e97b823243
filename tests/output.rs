//! The output folder (issue 8): minified pages say exactly what unminified
//! ones say, and a rebuild rewrites only the files whose bytes changed (the
//! others are hard links to the previous output: same inode).

mod common;

use common::{copy_fixture, repo, tree};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Elements around which the minifier drops whitespace (write.rs `QUIET`).
const QUIET: &[&str] = &[
    "html", "head", "body", "meta", "link", "title", "script", "style", "base", "noscript",
];

#[derive(Debug, PartialEq)]
enum Tok {
    Start(String, Vec<(String, String)>, bool),
    End(String),
    Text(String),
    Doctype,
}

/// The tokens of a page as a browser reads them, whitespace runs as one
/// space, comments dropped, whitespace next to head elements dropped.
fn tokens(html: &str) -> Vec<Tok> {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out: Vec<Tok> = Vec::new();
    let mut pre = 0;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let tok = match token {
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_string();
                if matches!(name.as_str(), "pre" | "textarea") {
                    pre += 1;
                }
                let attrs = t
                    .attributes
                    .iter()
                    // The attributes a page depends on; minify-html may drop
                    // defaults such as method="get".
                    .filter(|(k, _)| {
                        matches!(
                            &k[..],
                            b"href" | b"src" | b"id" | b"aria-describedby" | b"role" | b"lang"
                        )
                    })
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).into_owned(),
                            // minify-html may drop spaces a value does not need
                            // ("width=device-width, initial-scale=1").
                            String::from_utf8_lossy(v)
                                .split_whitespace()
                                .collect::<String>(),
                        )
                    })
                    .collect();
                Tok::Start(name, attrs, t.self_closing)
            }
            Token::EndTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_string();
                if matches!(name.as_str(), "pre" | "textarea") {
                    pre -= 1;
                }
                Tok::End(name)
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s).into_owned();
                let s = if pre > 0 { s } else { collapse(&s) };
                match out.last_mut() {
                    Some(Tok::Text(t)) => {
                        t.push_str(&s);
                        if pre == 0 {
                            *t = collapse(t);
                        }
                        continue;
                    }
                    _ => Tok::Text(s),
                }
            }
            Token::Doctype(_) => Tok::Doctype,
            _ => continue,
        };
        out.push(tok);
    }
    let quiet = |t: Option<&Tok>| match t {
        Some(Tok::Start(n, _, _)) | Some(Tok::End(n)) => QUIET.contains(&n.as_str()),
        Some(Tok::Doctype) | None => true,
        _ => false,
    };
    let mut kept = Vec::new();
    for i in 0..out.len() {
        if let Tok::Text(t) = &out[i] {
            let blank = t.trim().is_empty();
            if t.is_empty()
                || (blank
                    && (quiet(i.checked_sub(1).and_then(|p| out.get(p))) || quiet(out.get(i + 1))))
            {
                continue;
            }
        }
        kept.push(i);
    }
    let mut out: Vec<Option<Tok>> = out.into_iter().map(Some).collect();
    // minify-html drops whitespace it knows the layout ignores (between block
    // elements, at the edges of a block): compare the words, not the spaces there.
    kept.into_iter()
        .filter_map(|i| out[i].take())
        .filter_map(|t| match t {
            Tok::Text(x) if x.trim().is_empty() => None,
            Tok::Text(x) => Some(Tok::Text(x.trim().to_string())),
            other => Some(other),
        })
        .collect()
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// A site root that reads the real guide's content with `minify` set.
fn real_guide_root(dir: &Path, minify: bool) -> std::path::PathBuf {
    let root = dir.join(if minify { "min" } else { "brut" });
    std::fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(repo().join("content"), root.join("content")).unwrap();
    let guide = std::fs::read_to_string(repo().join("guide.toml")).unwrap();
    let guide: String = guide
        .lines()
        .filter(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            key != "minify" && key != "theme"
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let theme = repo().join("themes/default").display().to_string();
    std::fs::write(
        root.join("guide.toml"),
        format!("minify = {minify}\ntheme = '{theme}'\n{guide}"),
    )
    .unwrap();
    root
}

#[test]
fn minified_pages_read_the_same_as_unminified_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for minify in [false, true] {
        let root = real_guide_root(tmp.path(), minify);
        let out = root.join("public");
        common::fiches(&root, ["build"]).expect(0);
        trees.push(tree(&out));
    }
    let (raw, min) = (&trees[0], &trees[1]);
    assert_eq!(
        raw.keys().collect::<Vec<_>>(),
        min.keys().collect::<Vec<_>>()
    );
    let (mut before, mut after) = (0, 0);
    for (rel, bytes) in raw {
        // The offline zip holds the HTML pages, minified or not.
        if !rel.ends_with(".html") && !rel.ends_with(".zip") {
            assert_eq!(bytes, &min[rel], "{rel}: only HTML is minified");
            continue;
        }
        if !rel.ends_with(".html") {
            continue;
        }
        before += bytes.len();
        after += min[rel].len();
        let (a, b) = (
            tokens(&String::from_utf8_lossy(bytes)),
            tokens(&String::from_utf8_lossy(&min[rel])),
        );
        if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
            panic!(
                "{rel}: token {i} differs\n  unminified: {:?}\n  minified:   {:?}",
                a.get(i),
                b.get(i)
            );
        }
    }
    assert!(
        after < before,
        "minified {after} bytes, unminified {before}"
    );
}

fn inodes(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (common::rel(dir, e.path()), e.metadata().unwrap().ino()))
        .collect()
}

#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    let site = copy_fixture("site");
    let out = site.path("public");
    site.fiches(["build"]).expect(0);
    let first = inodes(&out);
    let first_bytes = tree(&out);

    site.fiches(["build"]).expect(0);
    let second = inodes(&out);
    assert_eq!(first, second, "an unchanged rebuild wrote files again");
    assert_eq!(first_bytes, tree(&out));

    // One sentence changes in one card: its page changes, and the pages that
    // show its text (the full guide, the search index); not the others.
    let card = site.path("content/dispositifs/pmsmp.md");
    let text = std::fs::read_to_string(&card).unwrap();
    std::fs::write(&card, format!("{text}\nUne phrase de plus.\n")).unwrap();
    site.fiches(["build"]).expect(0);
    let third = inodes(&out);
    let bytes = tree(&out);
    let rewritten: Vec<&String> = third
        .iter()
        .filter(|(k, ino)| first.get(*k) != Some(ino))
        .map(|(k, _)| k)
        .collect();
    assert!(rewritten.contains(&&"fiches/pmsmp.html".to_string()));
    assert!(!rewritten.contains(&&"fiches/poe.html".to_string()));
    for rel in &rewritten {
        assert_ne!(
            first_bytes.get(*rel),
            bytes.get(*rel),
            "{rel} was rewritten with the same bytes"
        );
    }
    assert!(rewritten.len() < first.len() / 2, "{rewritten:?}");
}
