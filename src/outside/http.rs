//! One HTTP request, and the little address arithmetic around it.
//!
//! Takes: a method, an address and a time limit. Gives: the status, the
//! `Location` and `Retry-After` headers, or why no answer came (name
//! unknown, TLS, refused, timeout). Redirects are never followed here: the
//! caller follows them one by one to tell 301/308 from 302, loops, and
//! redirects to a site's home page.
//! Client: `ureq` 3 (blocking, rustls with bundled root certificates).

use std::io::ErrorKind;
use std::time::Duration;

/// The `User-Agent` of every request: the tool and where it comes from.
pub const USER_AGENT: &str = concat!(
    "fiches-liens/",
    env!("CARGO_PKG_VERSION"),
    " (verification des liens du guide PRITH Hauts-de-France)"
);

/// HEAD or GET.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    Head,
    Get,
}

/// What the server said.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The `Location` header, as written.
    pub location: Option<String>,
    /// The `Retry-After` header in seconds (the date form is not read).
    pub retry_after: Option<Duration>,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The host name is unknown (DNS).
    Dns,
    /// The secure connection failed (certificate, protocol).
    Tls(String),
    /// Nobody listens on that port.
    Refused,
    /// No answer within the time limit.
    Timeout,
    /// Any other network or protocol error.
    Other(String),
}

/// A reusable client: one connection pool for the whole run.
pub struct Client {
    agent: ureq::Agent,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client that never follows redirects and never treats a status as an error.
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build()
            .into();
        Client { agent }
    }

    /// Sends one request and reads only its head.
    pub fn send(&self, method: Method, url: &str, limit: Duration) -> Result<Answer, Failure> {
        // The fragment stays in the browser; it is never sent.
        let url = encode(url.split('#').next().unwrap_or(url));
        let accept = "text/html,application/xhtml+xml,*/*;q=0.8";
        let result = match method {
            Method::Head => self
                .agent
                .head(&url)
                .header("Accept", accept)
                .config()
                .timeout_global(Some(limit))
                .build()
                .call(),
            Method::Get => self
                .agent
                .get(&url)
                .header("Accept", accept)
                .config()
                .timeout_global(Some(limit))
                .build()
                .call(),
        };
        let response = result.map_err(failure)?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Ok(Answer {
            status: response.status().as_u16(),
            location: header("location"),
            retry_after: header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
        })
    }
}

fn failure(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::HostNotFound => Failure::Dns,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => Failure::Refused,
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Failure::Timeout,
            // The system resolver's error (getaddrinfo), as std words it.
            _ if io.to_string().starts_with("failed to lookup address") => Failure::Dns,
            _ => Failure::Other(io.to_string()),
        },
        ureq::Error::Tls(m) => Failure::Tls(m.to_string()),
        ureq::Error::Rustls(r) => Failure::Tls(r.to_string()),
        other => Failure::Other(other.to_string()),
    }
}

/// The address with its non-ASCII bytes, spaces and other characters an
/// HTTP request line cannot carry percent-encoded.
pub fn encode(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `scheme://authority` of an absolute address, lowercased.
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        rest[..end].to_ascii_lowercase()
    )
}

/// The host (and port) of an address: requests to it share a limit.
pub fn host(url: &str) -> String {
    origin(url)
        .split_once("://")
        .map(|(_, h)| h.to_string())
        .unwrap_or_default()
}

/// Whether an address is a site's home page: no path beyond `/`, no query.
pub fn is_root(url: &str) -> bool {
    let rest = &url[origin(url).len().min(url.len())..];
    let rest = rest.split('#').next().unwrap_or("");
    rest.is_empty() || rest == "/"
}

/// Resolves a `Location` header against the address that sent it.
pub fn join(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") && location.find("://") < location.find(['/', '?']) {
        return location.to_string();
    }
    let scheme = base.split("://").next().unwrap_or("https");
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let origin = origin(base);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = &base[origin.len().min(base.len())..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    if location.starts_with('?') {
        return format!("{origin}{path}{location}");
    }
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let dir = if dir.is_empty() { "/" } else { dir };
    format!("{origin}{dir}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_each_form_of_location() {
        let base = "https://www.exemple.fr/a/b/page?x=1";
        for (loc, want) in [
            ("http://autre.fr/", "http://autre.fr/"),
            ("//cdn.fr/x", "https://cdn.fr/x"),
            ("/racine", "https://www.exemple.fr/racine"),
            ("voisine", "https://www.exemple.fr/a/b/voisine"),
            ("?y=2", "https://www.exemple.fr/a/b/page?y=2"),
            (
                "/chemin?u=http://x.fr",
                "https://www.exemple.fr/chemin?u=http://x.fr",
            ),
        ] {
            assert_eq!(join(base, loc), want, "{loc}");
        }
        assert_eq!(
            join("https://exemple.fr", "page"),
            "https://exemple.fr/page"
        );
    }

    #[test]
    fn root_host_and_encoding() {
        assert!(is_root("https://Exemple.fr"));
        assert!(is_root("https://exemple.fr/#haut"));
        assert!(!is_root("https://exemple.fr/?page=2"));
        assert!(!is_root("https://exemple.fr/aides"));
        assert_eq!(host("HTTPS://Exemple.fr:8443/x"), "exemple.fr:8443");
        assert_eq!(encode("https://a.fr/é t"), "https://a.fr/%C3%A9%20t");
        assert_eq!(
            encode("https://a.fr/x%20y?z=1#f"),
            "https://a.fr/x%20y?z=1#f"
        );
    }
}
