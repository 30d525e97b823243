//! The cache of answers: `.fiches-liens.json` at the site root.
//!
//! Takes: the site root, the cache's lifetime in days. Gives: the verdicts
//! still fresh, by address; writes back the verdicts of a run. Only settled
//! verdicts (`Verdict::is_settled`) are reused: what failed is checked again.
//! Reports: nothing; an unreadable cache is ignored (it is only a shortcut).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::check::Verdict;

/// The cache file's name, at the site root.
pub const FILE: &str = ".fiches-liens.json";

/// One remembered answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// When it was checked, in seconds since 1970 (UTC).
    pub verifie: u64,
    /// What the address gave then.
    pub verdict: Verdict,
}

/// Address → remembered answer.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// By address, sorted, so that the file reads and diffs well.
    pub liens: BTreeMap<String, Entry>,
}

/// Seconds since 1970.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

/// The cache of a site; empty when missing or unreadable.
pub fn load(root: &Path) -> Cache {
    std::fs::read_to_string(path(root))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

impl Cache {
    /// The verdict of an address checked less than `days` days ago, if it
    /// need not be checked again.
    pub fn fresh(&self, url: &str, days: u32, now: u64) -> Option<&Verdict> {
        let e = self.liens.get(url)?;
        let age = now.saturating_sub(e.verifie);
        (age < u64::from(days) * 86_400 && e.verdict.is_settled()).then_some(&e.verdict)
    }

    /// Writes the cache without the answers older than `days`; written
    /// whole to a neighbour file, then renamed.
    pub fn save(mut self, root: &Path, days: u32, now: u64) -> std::io::Result<()> {
        self.liens
            .retain(|_, e| now.saturating_sub(e.verifie) < u64::from(days) * 86_400);
        let text = serde_json::to_string_pretty(&self).unwrap_or_default();
        let tmp = root.join(format!("{FILE}.tmp"));
        std::fs::write(&tmp, text + "\n")?;
        std::fs::rename(&tmp, path(root))
    }
}
