//! Diagnostics: where a problem is, what is wrong and what to do, in French.
//!
//! Takes: positions as byte offsets into a source file. Gives: `file:line:col`
//! messages in three formats (human, GitHub workflow commands, JSON).
//! Every stage pushes into a `Vec<Diagnostic>`; nothing here panics.

use serde::Serialize;
use std::fmt::Write;

mod codes;
pub use codes::{LINTS, Lint, check_allow, is_code};

/// Error (the build refuses) or warning (a content lint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the content or the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, used to silence a lint (`phrase-longue`) or to name an error.
    pub code: &'static str,
    /// Path relative to the site root (`content/dispositifs/poe.md`).
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Number of characters to underline (at least 1).
    #[serde(skip)]
    pub width: usize,
    pub message: String,
    /// What to do, when there is something useful to say.
    pub help: Option<String>,
    /// The offending line, quoted in the human output.
    #[serde(skip)]
    pub source_line: String,
}

impl Diagnostic {
    /// A diagnostic at a byte range of a file.
    pub fn at(
        severity: Severity,
        code: &'static str,
        file: &str,
        lines: &LineIndex,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = lines.line_col(range.start);
        let source_line = lines.line_text(line).to_string();
        let rest = source_line.chars().count().saturating_sub(column - 1);
        let width = lines
            .slice(range)
            .lines()
            .next()
            .map(|s| s.chars().count())
            .unwrap_or(1)
            .clamp(1, rest.max(1));
        Diagnostic {
            severity,
            code,
            file: file.to_string(),
            line,
            column,
            width,
            message: message.into(),
            help: None,
            source_line,
        }
    }

    /// An error about a whole file or the configuration, with no position.
    pub fn file(code: &'static str, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line: 1,
            column: 1,
            width: 1,
            message: message.into(),
            help: None,
            source_line: String::new(),
        }
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Byte offset to line and column (both from 1; columns count characters).
#[derive(Clone, Default)]
pub struct LineIndex {
    text: String,
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of a text.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text: text.to_string(),
            starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// The text of a line (from 1), without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A byte range of the text, empty when out of bounds.
    pub fn slice(&self, range: std::ops::Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}

/// The nearest allowed word to a misspelt one, if it is close enough.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&lower, c), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Output format of `check` and `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

/// Sorts diagnostics by file, line and column, errors first on a tie.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// Renders diagnostics and a summary line in the chosen format.
pub fn render(diags: &[Diagnostic], format: Format, color: bool) -> String {
    let mut out = String::new();
    match format {
        Format::Human => {
            for d in diags {
                human(&mut out, d, color);
            }
            let _ = writeln!(out, "{}", summary(diags));
        }
        Format::Github => {
            // Workflow commands: one line each, `%`, CR and LF escaped in the
            // message, `:` and `,` too in properties (actions/toolkit command.ts).
            for d in diags {
                let (level, label) = if d.is_error() {
                    ("error", "erreur")
                } else {
                    ("warning", "avertissement")
                };
                let mut msg = d.message.clone();
                if let Some(h) = &d.help {
                    msg.push_str("\naide : ");
                    msg.push_str(h);
                }
                let _ = writeln!(
                    out,
                    "::{level} file={},line={},col={},title={}::{}",
                    gh_prop(&d.file),
                    d.line,
                    d.column,
                    gh_prop(&format!("{label} [{}]", d.code)),
                    gh_data(&msg)
                );
            }
            let _ = writeln!(out, "{}", summary(diags));
        }
        Format::Json => {
            let json = serde_json::json!({
                "diagnostics": diags,
                "errors": diags.iter().filter(|d| d.is_error()).count(),
                "warnings": diags.iter().filter(|d| !d.is_error()).count(),
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    out
}

/// "2 erreurs, 1 avertissement." or "Aucune erreur, aucun avertissement.".
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, none: &str, one: &str, many: &str| match n {
        0 => none.to_string(),
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    };
    format!(
        "{}, {}.",
        plural(errors, "Aucune erreur", "erreur", "erreurs"),
        plural(
            warnings,
            "aucun avertissement",
            "avertissement",
            "avertissements"
        )
    )
}

fn human(out: &mut String, d: &Diagnostic, color: bool) {
    let (label, paint) = match d.severity {
        Severity::Error => ("erreur", "\x1b[1;31m"),
        Severity::Warning => ("avertissement", "\x1b[1;33m"),
    };
    let (on, off) = if color { (paint, "\x1b[0m") } else { ("", "") };
    let _ = writeln!(
        out,
        "{}:{}:{}: {on}{label}[{}]{off}: {}",
        d.file, d.line, d.column, d.code, d.message
    );
    if !d.source_line.is_empty() {
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {}", d.source_line);
        let _ = writeln!(
            out,
            "{pad} | {}{on}{}{off}",
            " ".repeat(d.column - 1),
            "^".repeat(d.width)
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "  = aide : {h}");
    }
    out.push('\n');
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let idx = LineIndex::new("ab\néé x\n");
        for (offset, want) in [
            (0, (1, 1)),
            (1, (1, 2)),
            (3, (2, 1)),
            (7, (2, 3)),
            (8, (2, 4)),
        ] {
            assert_eq!(idx.line_col(offset), want, "offset {offset}");
        }
        assert_eq!(idx.line_text(2), "éé x");
    }

    #[test]
    fn github_annotations_escape_their_properties_and_message() {
        let lines = LineIndex::new("a = 1\n");
        let d = Diagnostic::at(
            Severity::Warning,
            "lien-http",
            "content/a,b:c.md",
            &lines,
            4..5,
            "100 % sûr",
        )
        .help("écrivez\nhttps://");
        assert_eq!(
            render(&[d], Format::Github, false),
            "::warning file=content/a%2Cb%3Ac.md,line=1,col=5,title=avertissement [lien-http]::100 %25 sûr%0Aaide : écrivez%0Ahttps://\n\
             Aucune erreur, 1 avertissement.\n"
        );
    }

    #[test]
    fn suggest_finds_the_nearest_allowed_value() {
        let stages = ["remobilisation", "preparation", "formation", "emploi"];
        for (word, want) in [
            ("formations", Some("formation")),
            ("Emploi", Some("emploi")),
            ("préparation", Some("preparation")),
            ("vélo", None),
        ] {
            assert_eq!(suggest(word, &stages), want, "{word}");
        }
    }
}
