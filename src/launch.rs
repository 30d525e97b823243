//! `fiches` started with no arguments, as when an editor double-clicks it in
//! the guide's folder (Windows, macOS) or types only `fiches`.
//!
//! Takes: the current folder and the program's own path. Gives: the guide's
//! folder (the first one holding `guide.toml`: the current folder or one of
//! its parents, else the program's own folder), and a browser opened on the
//! preview's address with the system's own opener (`explorer` on Windows,
//! `open` on macOS, `xdg-open` elsewhere). Reports: nothing; when no browser
//! opens, the address printed by `serve` is still there to copy.

use std::path::{Path, PathBuf};

/// The guide's folder: `start` or one of its parents, else the folder of
/// the program `exe` (where an editor puts `fiches.exe`); the first that
/// holds `guide.toml`.
pub fn guide_root(start: &Path, exe: Option<&Path>) -> Option<PathBuf> {
    start
        .ancestors()
        .chain(exe.and_then(Path::parent))
        .find(|d| d.join("guide.toml").is_file())
        .map(Path::to_path_buf)
}

/// Opens `url` in the default browser, unless `FICHES_NO_BROWSER` is set
/// (the tests). Failing to open is not an error.
pub fn open_browser(url: &str) {
    if std::env::var_os("FICHES_NO_BROWSER").is_some() {
        return;
    }
    let (program, args): (&str, Vec<&str>) = if cfg!(windows) {
        ("explorer", vec![url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Keeps a window opened by a double-click on screen after an error, until
/// the editor presses Enter (only when the input is a terminal).
pub fn wait_for_enter() {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        eprintln!("Appuyez sur Entrée pour fermer cette fenêtre.");
        let _ = std::io::stdin().lock().read_line(&mut String::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_is_found_from_a_subfolder_or_next_to_the_program() {
        let tmp = tempfile::tempdir().unwrap();
        let guide = tmp.path().join("guide");
        std::fs::create_dir_all(guide.join("content/dispositifs")).unwrap();
        std::fs::write(guide.join("guide.toml"), "title = \"x\"\n").unwrap();
        let elsewhere = tmp.path().join("ailleurs");
        std::fs::create_dir_all(&elsewhere).unwrap();
        let sub = guide.join("content/dispositifs");
        assert_eq!(guide_root(&sub, None), Some(guide.clone()));
        let exe = guide.join("fiches.exe");
        assert_eq!(guide_root(&elsewhere, Some(&exe)), Some(guide.clone()));
        assert_eq!(guide_root(&elsewhere, None), None);
    }
}
