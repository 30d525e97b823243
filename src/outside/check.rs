//! Checks one outside address as a careful client would.
//!
//! Takes: an address, the shared client, the per-host gate and the run's
//! settings. Gives: a `Verdict`. HEAD first, GET when HEAD answers an error
//! (servers refuse HEAD or answer it wrongly); up to 10 redirects followed
//! one by one; retries with back-off for 429, 503 and network errors
//! (honouring `Retry-After`, capped); never past the run's deadline.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::http::{self, Answer, Client, Failure, Method};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;
/// Requests at once to one host.
pub const PER_HOST: usize = 2;
/// The longest `Retry-After` honoured.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);
/// The first back-off; it doubles at each retry.
const BACKOFF: Duration = Duration::from_millis(500);

/// What an address gave, kept in the cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "etat", rename_all = "kebab-case")]
pub enum Verdict {
    /// The page answers (after temporary redirects, if any).
    Ok,
    /// Permanent redirects (301/308) lead to `to`, which answers.
    Moved { status: u16, to: String },
    /// Redirected to the home page `to` while the address pointed deeper.
    ToRoot { to: String },
    /// A redirect leaves `https` for `http` (`to`).
    Downgrade { to: String },
    /// 404, 410, or another client error.
    Dead { status: u16 },
    /// 401 or 403: the site refuses robots or asks for an account.
    Forbidden { status: u16 },
    /// 5xx or 429, still after the retries.
    Unavailable { status: u16 },
    /// Redirects that come back to an address already seen, or more than 10.
    Loop { to: String },
    /// No answer: unknown name, TLS, refused, timeout, other.
    Network { why: String, detail: String },
    /// The run's deadline came first.
    Unchecked,
}

impl Verdict {
    /// Whether a fresh cached verdict can stand for a new check: what
    /// failed (errors, temporary failures, unchecked) is always checked again.
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            Verdict::Ok
                | Verdict::Moved { .. }
                | Verdict::ToRoot { .. }
                | Verdict::Downgrade { .. }
        )
    }
}

/// The run's limits.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Time limit of one request.
    pub timeout: Duration,
    /// Retries after a 429, a 503 or a network error.
    pub retries: u32,
    /// When the whole run must end.
    pub deadline: Instant,
}

/// At most `PER_HOST` requests at once to each host; hosts whose name is
/// unknown are asked once.
#[derive(Default)]
pub struct Gate {
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
    unknown: Mutex<HashSet<String>>,
}

/// A place taken at the gate, given back when dropped.
pub struct Slot<'a> {
    gate: &'a Gate,
    host: String,
}

impl Gate {
    /// Waits for a place for `host`; `None` when the deadline comes first.
    pub fn enter(&self, host: &str, deadline: Instant) -> Option<Slot<'_>> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let n = busy.entry(host.to_string()).or_default();
            if *n < PER_HOST {
                *n += 1;
                return Some(Slot {
                    gate: self,
                    host: host.to_string(),
                });
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.gate.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = busy.get_mut(&self.host) {
            *n -= 1;
        }
        self.gate.freed.notify_all();
    }
}

/// Checks one address, following its redirects.
pub fn check(client: &Client, gate: &Gate, url: &str, s: &Settings) -> Verdict {
    let mut current = url.to_string();
    let mut seen = vec![current.clone()];
    // The address reached by the first, permanent redirects, and their status.
    let mut moved: Option<(u16, String)> = None;
    let mut only_permanent = true;
    let mut downgrade = None;
    loop {
        let answer = match fetch(client, gate, &current, s) {
            Ok(a) => a,
            Err(v) => return v,
        };
        let status = answer.status;
        match status {
            301 | 302 | 303 | 307 | 308 => {
                let Some(location) = answer.location else {
                    return Verdict::Dead { status };
                };
                let next = http::join(&current, &location);
                if current.starts_with("https:") && next.starts_with("http:") {
                    downgrade.get_or_insert_with(|| next.clone());
                }
                only_permanent &= matches!(status, 301 | 308);
                if only_permanent {
                    let first = moved.as_ref().map_or(status, |m| m.0);
                    moved = Some((first, next.clone()));
                }
                if seen.contains(&next) || seen.len() > MAX_REDIRECTS {
                    return Verdict::Loop { to: next };
                }
                seen.push(next.clone());
                current = next;
            }
            200..=299 => {
                return if seen.len() > 1 && http::is_root(&current) && !http::is_root(url) {
                    Verdict::ToRoot { to: current }
                } else if let Some(to) = downgrade {
                    Verdict::Downgrade { to }
                } else if let Some((status, to)) = moved {
                    Verdict::Moved { status, to }
                } else {
                    Verdict::Ok
                };
            }
            401 | 403 => return Verdict::Forbidden { status },
            429 | 500..=599 => return Verdict::Unavailable { status },
            _ => return Verdict::Dead { status },
        }
    }
}

/// HEAD, then GET when HEAD answers an error other than 429/503.
fn fetch(client: &Client, gate: &Gate, url: &str, s: &Settings) -> Result<Answer, Verdict> {
    let head = attempt(client, gate, Method::Head, url, s)?;
    if head.status >= 400 && !matches!(head.status, 429 | 503) {
        return attempt(client, gate, Method::Get, url, s);
    }
    Ok(head)
}

/// One request, retried with back-off after a 429, a 503 or a network error.
fn attempt(
    client: &Client,
    gate: &Gate,
    method: Method,
    url: &str,
    s: &Settings,
) -> Result<Answer, Verdict> {
    let host = http::host(url);
    let unknown = || gate.unknown.lock().unwrap_or_else(|e| e.into_inner());
    let mut tries = 0;
    loop {
        if unknown().contains(&host) {
            return Err(network(&Failure::Dns));
        }
        let left = s
            .deadline
            .checked_duration_since(Instant::now())
            .ok_or(Verdict::Unchecked)?;
        let limit = s.timeout.min(left);
        let slot = gate.enter(&host, s.deadline).ok_or(Verdict::Unchecked)?;
        let result = client.send(method, url, limit);
        drop(slot);
        let wait = match &result {
            Ok(a) if matches!(a.status, 429 | 503) => a
                .retry_after
                .unwrap_or(BACKOFF * 2u32.pow(tries))
                .min(RETRY_AFTER_CAP),
            Ok(_) => return result.map_err(|_| Verdict::Unchecked),
            Err(Failure::Timeout) if limit < s.timeout => return Err(Verdict::Unchecked),
            Err(Failure::Timeout | Failure::Refused | Failure::Other(_)) => {
                BACKOFF * 2u32.pow(tries)
            }
            Err(f) => {
                if *f == Failure::Dns {
                    unknown().insert(host);
                }
                return Err(network(f));
            }
        };
        let in_time = Instant::now() + wait < s.deadline;
        if tries >= s.retries || !in_time {
            return match result {
                Ok(a) => Ok(a),
                Err(f) => Err(network(&f)),
            };
        }
        std::thread::sleep(wait);
        tries += 1;
    }
}

fn network(f: &Failure) -> Verdict {
    let (why, detail) = match f {
        Failure::Dns => ("dns", String::new()),
        Failure::Tls(d) => ("tls", d.clone()),
        Failure::Refused => ("refus", String::new()),
        Failure::Timeout => ("delai", String::new()),
        Failure::Other(d) => ("reseau", d.clone()),
    };
    Verdict::Network {
        why: why.into(),
        detail,
    }
}
