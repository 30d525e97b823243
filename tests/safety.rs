//! Safety (issue 8): what an editor writes cannot inject code into the site,
//! the site runs under a strict Content-Security-Policy, and a build never
//! damages the published folder.
//!
//! - raw HTML in Markdown is escaped unless `allow_html = true`;
//! - `javascript:`, `data:`, `vbscript:` addresses are refused;
//! - hostile titles, summaries, aliases, links and headings are harmless in
//!   every context: element text, attributes, the search index and the
//!   orientation data (JavaScript);
//! - no output file has an inline script, style or event handler (real guide);
//! - a card that is a symbolic link is never read: a located warning names
//!   it, and says when it points outside `content/`;
//! - `--out` refuses a foreign non-empty folder; a failed build and a build
//!   killed with SIGKILL while writing leave the previous output unchanged.

mod common;

use common::{Site, copy_fixture, tree, tree_diff};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::BTreeMap;
use std::path::Path;

/// Every way a page could run code or load styles the CSP forbids.
fn inline_code_problems(page: &str, html: &str) -> Vec<String> {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut problems = Vec::new();
    let mut in_script = false;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |a: &str| {
                    tag.attributes
                        .get(a.as_bytes())
                        .map(|v| String::from_utf8_lossy(v).into_owned())
                };
                for (k, v) in &tag.attributes {
                    let k = String::from_utf8_lossy(k).to_ascii_lowercase();
                    let v = String::from_utf8_lossy(v).to_ascii_lowercase();
                    if k.starts_with("on") {
                        problems.push(format!("{page}: <{name} {k}=…>: event handler"));
                    }
                    if k == "style" {
                        problems.push(format!("{page}: <{name} style=…>: inline style"));
                    }
                    let url = v.trim().replace(|c: char| c.is_whitespace(), "");
                    if ["href", "src", "action", "formaction", "xlink:href", "data"]
                        .contains(&k.as_str())
                        && ["javascript:", "data:", "vbscript:"]
                            .iter()
                            .any(|s| url.starts_with(s))
                    {
                        problems.push(format!("{page}: <{name} {k}=\"{v}\">: script address"));
                    }
                }
                match name.as_str() {
                    "script" => {
                        if attr("src").is_none_or(|s| s.trim().is_empty()) {
                            problems.push(format!("{page}: <script> without src: inline script"));
                        }
                        in_script = true;
                    }
                    "style" => problems.push(format!("{page}: <style>: inline style")),
                    "iframe" | "object" | "embed" | "base" => {
                        problems.push(format!("{page}: <{name}>: not allowed"))
                    }
                    _ => {}
                }
            }
            Token::EndTag(tag) if tag.name.as_slice() == b"script" => in_script = false,
            Token::String(s) if in_script && !s.iter().all(u8::is_ascii_whitespace) => {
                problems.push(format!("{page}: text inside <script>: inline script"));
            }
            _ => {}
        }
    }
    problems
}

/// The text of every element named `tag` (entities decoded).
fn texts_of(html: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(t) if t.name.as_slice() == tag.as_bytes() => {
                depth += 1;
                out.push(String::new());
            }
            Token::EndTag(t) if t.name.as_slice() == tag.as_bytes() => depth -= 1,
            Token::String(s) if depth > 0 => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&String::from_utf8_lossy(&s));
                }
            }
            _ => {}
        }
    }
    out
}

fn build(site: &Site, out: &Path) -> common::Run {
    site.fiches(["build", "--out", &out.display().to_string()])
}

fn add_card(site: &Site, rel: &str, text: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn card(title: &str, extra_front: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {title:?}\nkind = \"dispositif\"\nstages = [\"formation\"]\ndroit = \"commun\"\n\
         summary = \"Une fiche de test.\"\nupdated = 2026-11-22\n{extra_front}+++\n\n{body}"
    )
}

const TITLE: &str = "</script><script>alert(1)</script>";

#[cfg(unix)]
#[test]
fn a_card_that_is_a_symbolic_link_is_not_read_and_is_reported() {
    let site = copy_fixture("site");
    let outside = site.tmp.path().join("secret.md");
    std::fs::write(&outside, card("Hors du guide", "", "Texte privé.")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/dispositifs/secret.md")).unwrap();
    std::os::unix::fs::symlink(
        site.path("content/dispositifs/poe.md"),
        site.path("content/dispositifs/poe-bis.md"),
    )
    .unwrap();
    let run = site.fiches(["check"]);
    run.expect(0);
    let canonical = outside.canonicalize().unwrap().display().to_string();
    let stderr = run.stderr.replace(&canonical, "[SECRET]");
    assert!(
        stderr.contains(
            "content/dispositifs/poe-bis.md:1:1: avertissement[lien-symbolique]: cette fiche est un lien symbolique : elle n'est pas lue"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/dispositifs/secret.md:1:1: avertissement[lien-symbolique]: cette fiche est un lien symbolique vers [SECRET], hors de content/ : elle n'est pas lue"
        ),
        "{stderr}"
    );
    let out = site.tmp.path().join("out");
    build(&site, &out).expect(0);
    assert!(!out.join("fiches/secret.html").exists(), "never read");
    assert!(!out.join("fiches/poe-bis.html").exists(), "never read");
}

#[test]
fn raw_html_in_markdown_is_escaped_unless_allowed() {
    let site = copy_fixture("site");
    add_card(
        &site,
        "content/dispositifs/brut.md",
        &card(
            "Du HTML brut",
            "",
            "## Section\n\nAvant <b onclick=\"vol()\">gras</b> après.\n\n<div><script>alert(2)</script></div>\n",
        ),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out).expect(0);
    let page = std::fs::read_to_string(out.join("fiches/brut.html")).unwrap();
    assert!(
        page.contains("&lt;b onclick="),
        "inline raw HTML shown as text"
    );
    assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert_eq!(
        inline_code_problems("brut.html", &page),
        Vec::<String>::new()
    );

    let guide = site.path("guide.toml");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, format!("allow_html = true\n{text}")).unwrap();
    build(&site, &out).expect(0);
    let page = std::fs::read_to_string(out.join("fiches/brut.html")).unwrap();
    assert!(
        page.contains("<b onclick=\"vol()\">gras</b>"),
        "allow_html = true keeps the editor's HTML"
    );
}

#[test]
fn script_and_data_addresses_are_refused() {
    for (n, (front, body)) in [
        ("", "[clic](javascript:alert(1))"),
        ("", "[clic]( JaVaScRiPt:alert(1))"),
        ("", "[clic](javascript&#58;alert(1))"),
        ("", "<javascript:alert(1)>"),
        ("", "![image](data:image/svg+xml;base64,PHN2Zz4=)"),
        ("", "[clic](data:text/html,<script>alert(1)</script>)"),
        ("", "[clic](vbscript:msgbox)"),
        ("", "[clic][ref]\n\n[ref]: javascript:alert(1)"),
        (
            "\n[[links]]\ntitle = \"Un lien\"\nurl = \"javascript:alert(1)\"\nkind = \"ressource\"\n",
            "",
        ),
        (
            "\n[[links]]\ntitle = \"Un lien\"\nurl = \"data:text/html,x\"\nkind = \"ressource\"\n",
            "",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let site = copy_fixture("site");
        add_card(
            &site,
            "content/dispositifs/lien.md",
            &card("Un lien dangereux", front, &format!("## Section\n\nTexte {body}.\n")),
        );
        let run = site.fiches(["check"]);
        assert_eq!(run.code, 1, "case {n} ({front}{body}) was accepted:\n{}", run.stderr);
        assert!(
            run.stderr.contains("content/dispositifs/lien.md") && run.stderr.contains("[lien]"),
            "case {n}: {}",
            run.stderr
        );
    }
}

#[test]
fn hostile_text_is_harmless_in_every_output_context() {
    let site = copy_fixture("site");
    let front = concat!(
        "acronym = \"\\\"><img src=x onerror=alert(3)>\"\n",
        "aliases = [\"<svg onload=alert(4)>\", \"' onmouseover='alert(5)\"]\n",
        "related = [\"poe\"]\n",
        "\n[points]\nnature = \"<iframe src=javascript:alert(6)></iframe> & \\\" '\"\n",
        "\n[[links]]\ntitle = \"\\\"><script>alert(7)</script>\"\n",
        "url = \"https://exemple.fr/a?b=1&c=2\"\nkind = \"ressource\"\n",
    );
    let body = "## </h2><script>alert(8)</script>\n\nVoir [la POE](poe.md \"titre\\\" onmouseover=\\\"alert(9)\").\n\n`<script>alert(10)</script>`\n";
    add_card(
        &site,
        "content/dispositifs/piege.md",
        &card(TITLE, front, body),
    );
    let summary_line = "summary = \"Une fiche de test.\"";
    let path = site.path("content/dispositifs/piege.md");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        summary_line,
        "summary = \"</script><!-- \\\" ' & <b>gras</b> \\u2028 fin\"",
        1,
    );
    std::fs::write(&path, text).unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out).expect(0);
    let files = tree(&out);

    // HTML: the text is shown as text, nothing runs.
    let mut problems = Vec::new();
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if rel.ends_with(".html") {
            problems.extend(inline_code_problems(rel, &text));
        }
        if rel.ends_with(".js") || rel.ends_with(".json") {
            let lower = text.to_ascii_lowercase();
            for bad in ["</script", "<!--", "<script"] {
                if lower.contains(bad) {
                    problems.push(format!("{rel}: contains {bad}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let page = String::from_utf8_lossy(&files["fiches/piege.html"]).into_owned();
    assert!(
        texts_of(&page, "h1").iter().any(|t| t.contains(TITLE)),
        "the h1 shows the title as text: {:?}",
        texts_of(&page, "h1")
    );
    assert!(texts_of(&page, "title").iter().any(|t| t.contains(TITLE)));
    // The tokenizer decodes the attribute: `&` was escaped, nothing else broke.
    assert!(
        common::html_refs(&page)
            .refs
            .iter()
            .any(|(t, a, v)| t == "a" && a == "href" && v == "https://exemple.fr/a?b=1&c=2"),
        "the link's address survives escaping"
    );
    let a_z = String::from_utf8_lossy(&files["a-z.html"]).into_owned();
    assert!(texts_of(&a_z, "a").iter().any(|t| t.contains(TITLE)));

    // JavaScript data files: the same strings come back when the script runs.
    for rel in files
        .keys()
        .filter(|r| r.ends_with(".js") && !r.starts_with("js/"))
    {
        let Some(values) = run_data_script(&out.join(rel)) else {
            eprintln!("node not found: {rel} checked as text only");
            continue;
        };
        if String::from_utf8_lossy(&files[rel]).contains("alert(1)") {
            assert!(
                values.contains(&TITLE.to_string()),
                "{rel}: the title does not round-trip"
            );
        }
    }
}

/// Runs a data script (`window.X = …;`) in node, if installed, and returns
/// every string value it defines.
fn run_data_script(path: &Path) -> Option<Vec<String>> {
    let js = "const fs=require('fs'),vm=require('vm');const c={window:{}};\
              vm.runInNewContext(fs.readFileSync(process.argv[1],'utf8'),c);\
              process.stdout.write(JSON.stringify(c.window));";
    let out = std::process::Command::new("node")
        .args(["-e", js])
        .arg(path)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{} does not run: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut strings = Vec::new();
    collect_strings(&v, &mut strings);
    Some(strings)
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

#[test]
fn the_real_guide_runs_under_a_strict_content_security_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = common::fiches(
        tmp.path(),
        [
            "--root",
            &common::repo().display().to_string(),
            "build",
            "--out",
            &out.display().to_string(),
            "--base-url",
            "https://exemple.fr/guide/",
        ],
    );
    run.expect(0);
    let files = tree(&out);
    let mut problems = Vec::new();
    let mut pages = 0;
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let lower = text.to_ascii_lowercase();
        if rel.ends_with(".html") || rel.ends_with(".svg") {
            pages += 1;
            problems.extend(inline_code_problems(rel, &text));
        }
        // `script-src 'self'` without 'unsafe-eval'.
        if rel.ends_with(".js") {
            for bad in [
                "eval(",
                "new function(",
                "settimeout(\"",
                "setattribute(\"style",
            ] {
                if lower.contains(bad) {
                    problems.push(format!("{rel}: {bad} needs 'unsafe-eval' or inline style"));
                }
            }
        }
        // `img-src 'self'`, `font-src 'self'`: no data: or external resources.
        if rel.ends_with(".css") {
            for bad in [
                "url(data:",
                "url(\"data:",
                "url('data:",
                "url(http",
                "@import",
            ] {
                if lower.contains(bad) {
                    problems.push(format!("{rel}: {bad} is blocked by the CSP"));
                }
            }
        }
    }
    assert!(pages > 50, "only {pages} pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn out_refuses_a_foreign_non_empty_folder() {
    let site = copy_fixture("site");
    let tmp = tempfile::tempdir().unwrap();
    let foreign = tmp.path().join("mes-documents");
    std::fs::create_dir_all(foreign.join("sous-dossier")).unwrap();
    std::fs::write(foreign.join("important.txt"), "à garder").unwrap();
    let before = tree(&foreign);
    let run = build(&site, &foreign);
    run.expect(2);
    assert!(
        run.stderr.contains("n'a pas été créé par fiches"),
        "{}",
        run.stderr
    );
    assert!(tree_diff(&before, &tree(&foreign)).is_empty());
    assert!(foreign.join("sous-dossier").is_dir());

    // A file is refused too; an empty folder and our own folder are accepted.
    let file = tmp.path().join("fichier");
    std::fs::write(&file, "x").unwrap();
    build(&site, &file).expect(2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    let empty = tmp.path().join("vide");
    std::fs::create_dir(&empty).unwrap();
    build(&site, &empty).expect(0);
    build(&site, &empty).expect(0);
    assert!(empty.join(".fiches-sortie").is_file());
}

/// Files next to the output folder that a build left behind.
fn leftovers(out: &Path) -> Vec<String> {
    let parent = out.parent().unwrap();
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_unchanged() {
    let site = copy_fixture("site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out).expect(0);
    let before = tree(&out);
    let card = site.path("content/dispositifs/poe.md");
    let text = std::fs::read_to_string(&card).unwrap();
    std::fs::write(
        &card,
        text.replacen("kind = \"dispositif\"", "kind = \"dispo\"", 1),
    )
    .unwrap();
    build(&site, &out).expect(1);
    assert!(tree_diff(&before, &tree(&out)).is_empty());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// A guide big enough for its build to take a while: `n` generated cards.
fn big_site(n: usize, variant: &str) -> Site {
    let site = copy_fixture("site");
    for i in 0..n {
        let body = format!(
            "## Objectifs\n\n{}\n\n## Étapes clés\n\n1. Le conseiller oriente la personne ({variant}).\n2. La personne suit la formation.\n",
            "La personne suit une formation courte pour apprendre un métier. ".repeat(20)
        );
        add_card(
            &site,
            &format!("content/dispositifs/gen-{i:05}.md"),
            &card(&format!("Fiche générée {i} {variant}"), "", &body),
        );
    }
    site
}

fn rewrite_titles(site: &Site, n: usize, variant: &str) {
    for i in 0..n {
        let path = site.path(&format!("content/dispositifs/gen-{i:05}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("(a)", &format!("({variant})"))).unwrap();
    }
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_output_unchanged() {
    use std::os::unix::process::ExitStatusExt;
    let mut n = 1500;
    for attempt in 0..4 {
        let site = big_site(n, "a");
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build(&site, &out).expect(0);
        let before = tree(&out);
        // Every page changes, so the next build writes every file again.
        rewrite_titles(&site, n, "b");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fiches"))
            .args(["--root", &site.root.display().to_string(), "build", "--out"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let tmp_dir = tmp.path().join(format!(".public.tmp-{}", child.id()));
        // Kill it as soon as it has written pages into its hidden folder.
        let killed = loop {
            if std::fs::read_dir(tmp_dir.join("fiches")).is_ok_and(|mut d| d.next().is_some()) {
                let _ = child.kill();
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        };
        let status = child.wait().unwrap();
        if !killed || status.signal() != Some(9) {
            // The build finished first: try again with a bigger guide.
            n *= 2;
            eprintln!("attempt {attempt}: the build ended before it was killed");
            continue;
        }
        let diff = tree_diff(&before, &tree(&out));
        assert!(
            diff.is_empty(),
            "the killed build changed the output:\n{}",
            diff.join("\n")
        );
        // The next build cleans up what the killed one left and succeeds.
        build(&site, &out).expect(0);
        assert_eq!(leftovers(&out), Vec::<String>::new());
        let after: BTreeMap<String, Vec<u8>> = tree(&out);
        let page = String::from_utf8_lossy(&after["fiches/gen-00000.html"]).into_owned();
        assert!(page.contains("(b)"));
        return;
    }
    panic!("the build always finished before it could be killed");
}
