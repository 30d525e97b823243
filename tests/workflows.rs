//! The CI files (issue 18): every workflow is valid YAML, GitHub workflows
//! use official actions only (`actions/…`), the release workflow builds the
//! four programs on a version tag with checksums, and the verification
//! workflows show the pages a change touches with `fiches diff`.

mod common;

use saphyr::{LoadableYamlNode, Yaml};

/// A CI file of the repository, parsed (one document).
fn load(rel: &str) -> Yaml<'static> {
    let path = common::repo().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let text: &'static str = Box::leak(text.into_boxed_str());
    let mut docs =
        Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"));
    assert_eq!(docs.len(), 1, "{rel} holds one document");
    docs.remove(0)
}

/// The value at `key` of a mapping.
fn get<'a>(y: &'a Yaml<'static>, key: &str) -> &'a Yaml<'static> {
    y.as_mapping_get(key)
        .unwrap_or_else(|| panic!("no key {key:?} in {y:?}"))
}

/// Every `uses:` of every step of every job.
fn actions(workflow: &Yaml<'static>) -> Vec<String> {
    let mut out = Vec::new();
    for (_, job) in get(workflow, "jobs")
        .as_mapping()
        .expect("jobs is a mapping")
    {
        let Some(steps) = job.as_mapping_get("steps").and_then(Yaml::as_sequence) else {
            continue;
        };
        for step in steps {
            if let Some(u) = step.as_mapping_get("uses").and_then(Yaml::as_str) {
                out.push(u.to_string());
            }
        }
    }
    out
}

/// Every `run:` script of a workflow, joined.
fn scripts(workflow: &Yaml<'static>) -> String {
    let mut out = String::new();
    for (_, job) in get(workflow, "jobs")
        .as_mapping()
        .expect("jobs is a mapping")
    {
        for step in job
            .as_mapping_get("steps")
            .and_then(Yaml::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(r) = step.as_mapping_get("run").and_then(Yaml::as_str) {
                out.push_str(r);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn github_workflows_are_valid_and_use_official_actions_only() {
    let dir = common::repo().join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["liens.yml", "publier.yml", "release.yml", "verifier.yml"]
    );
    for name in names {
        let w = load(&format!(".github/workflows/{name}"));
        let used = actions(&w);
        assert!(!used.is_empty(), "{name} uses at least actions/checkout");
        for u in used {
            assert!(
                u.starts_with("actions/") && u.contains('@'),
                "{name}: {u} is not an official action with a version"
            );
        }
    }
}

#[test]
fn the_release_workflow_builds_four_programs_on_a_version_tag() {
    let w = load(".github/workflows/release.yml");
    let tags = get(get(get(&w, "on"), "push"), "tags");
    assert_eq!(tags.as_sequence().unwrap()[0].as_str(), Some("v*"));
    let include = get(get(get(get(&w, "jobs"), "build"), "strategy"), "matrix");
    let targets: Vec<&str> = get(include, "include")
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| get(t, "target").as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-pc-windows-msvc",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-unknown-linux-musl"
        ]
    );
    let run = scripts(&w);
    assert!(run.contains("sha256sum"), "checksums: {run}");
    assert!(
        run.contains("gh release upload"),
        "attached to the release: {run}"
    );
}

#[test]
fn the_verification_workflows_show_the_pages_that_change() {
    let w = load(".github/workflows/verifier.yml");
    let run = scripts(&w);
    assert!(run.contains("fiches diff"), "{run}");
    assert!(run.contains("--format markdown"), "{run}");
    assert!(run.contains("GITHUB_STEP_SUMMARY"), "{run}");
    assert!(
        actions(&w)
            .iter()
            .any(|u| u.starts_with("actions/upload-artifact@"))
    );

    let gl = load(".gitlab-ci.yml");
    let verifier = get(&gl, "verifier");
    let script: Vec<&str> = get(verifier, "script")
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert!(
        script.iter().any(|s| s.contains("fiches diff")),
        "{script:?}"
    );
    let paths = get(get(verifier, "artifacts"), "paths")
        .as_sequence()
        .unwrap();
    assert!(paths.iter().any(|p| p.as_str() == Some("apercu/")));
    let release = get(get(&gl, "release"), "release");
    assert_eq!(get(release, "tag_name").as_str(), Some("$CI_COMMIT_TAG"));
}
