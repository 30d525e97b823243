//! What an editor reads: one diagnostic per place an address is written.
//!
//! Takes: a verdict (or, for `mailto:` and `tel:`, the address alone) and
//! one occurrence. Gives: the `Diagnostic` at the address's exact span, in
//! French, with what to do. Errors: dead pages, unknown sites, TLS,
//! redirect loops, no answer. Warnings: moved addresses (`--fix`), home-page
//! redirects, `https` → `http`, temporary failures, refusals, unchecked.

use super::check::Verdict;
use super::http;
use crate::diag::{Diagnostic, LineIndex, Severity};

/// The occurrence's place, for `Diagnostic::at`.
pub struct Place<'a> {
    /// Path of the file relative to the site root.
    pub file: &'a str,
    /// The file's line index.
    pub lines: &'a LineIndex,
    /// The address's byte range in the file.
    pub span: std::ops::Range<usize>,
}

/// The diagnostic of a checked address, if anything is wrong.
pub fn verdict(url: &str, v: &Verdict, at: &Place, settings: (f64, u32)) -> Option<Diagnostic> {
    use Severity::{Error, Warning};
    let host = http::host(url);
    let (timeout, retries) = settings;
    let (severity, code, message, help) = match v {
        Verdict::Ok => return None,
        Verdict::Dead { status } => (
            Error,
            "lien-mort",
            format!(
                "l'adresse {url} ne mène plus à une page ({} {status})",
                match status {
                    404 => "page introuvable,",
                    410 => "page supprimée,",
                    _ => "réponse",
                }
            ),
            format!("cherchez la page sur le site {host} et remplacez l'adresse, ou retirez le lien"),
        ),
        Verdict::Network { why, detail } => {
            let (message, help) = match why.as_str() {
                "dns" => (
                    format!("le site {host} est introuvable : ce nom de site n'existe pas ou plus"),
                    "vérifiez l'adresse ; si le site a disparu, retirez le lien ou remplacez-le".to_string(),
                ),
                "tls" => (
                    format!("la connexion sécurisée au site {host} a échoué ({detail})"),
                    "ouvrez l'adresse dans un navigateur : s'il affiche une alerte de sécurité, retirez le lien".into(),
                ),
                "refus" => (
                    format!("le site {host} refuse la connexion, après {} essais", retries + 1),
                    "réessayez plus tard ; si cela dure, retirez le lien ou remplacez-le".into(),
                ),
                "delai" => (
                    format!(
                        "le site {host} ne répond pas : pas de réponse en {timeout} s, après {} essais",
                        retries + 1
                    ),
                    "réessayez plus tard ; si cela dure, retirez le lien ou remplacez-le".into(),
                ),
                _ => (
                    format!("l'adresse {url} n'a pas pu être ouverte ({detail})"),
                    "ouvrez l'adresse dans un navigateur pour vérifier qu'elle s'affiche".into(),
                ),
            };
            (Error, "lien-injoignable", message, help)
        }
        Verdict::Loop { to } => (
            Error,
            "boucle-redirection",
            format!(
                "l'adresse {url} renvoie de page en page sans fin (en boucle, ou plus de 10 fois ; dernière : {to})"
            ),
            "ouvrez-la dans un navigateur pour trouver la bonne adresse, ou retirez le lien".into(),
        ),
        Verdict::Moved { status, to } => (
            Warning,
            "adresse-changee",
            format!("l'adresse a changé : {url} renvoie pour de bon ({status}) vers une autre adresse"),
            format!("remplacez-la par {to} (la commande fiches links --fix le fait à chaque endroit)"),
        ),
        Verdict::ToRoot { to } => (
            Warning,
            "page-supprimee",
            format!(
                "l'adresse {url} renvoie vers la page d'accueil du site ({to}) : la page a sans doute été supprimée ou déplacée"
            ),
            "cherchez la page sur le site et remplacez l'adresse, ou retirez le lien".into(),
        ),
        Verdict::Downgrade { to } => (
            Warning,
            "lien-non-securise",
            format!("l'adresse {url} renvoie vers une adresse non sécurisée (http) : {to}"),
            "vérifiez dans un navigateur que la page est la bonne, et cherchez-en une adresse en https".into(),
        ),
        Verdict::Unavailable { status } => (
            Warning,
            "lien-indisponible",
            format!(
                "le site {host} ne répond pas correctement pour l'instant (réponse {status}, après {} essais)",
                retries + 1
            ),
            "réessayez plus tard ; si cela dure plusieurs semaines, vérifiez la page dans un navigateur".into(),
        ),
        Verdict::Forbidden { status } => (
            Warning,
            "lien-refuse",
            format!("le site {host} refuse la vérification automatique (réponse {status})"),
            "ouvrez l'adresse dans un navigateur pour vérifier qu'elle s'affiche".into(),
        ),
        Verdict::Unchecked => (
            Warning,
            "lien-non-verifie",
            format!("l'adresse {url} n'a pas été vérifiée : la durée maximale de la vérification est dépassée"),
            "relancez fiches links (les adresses déjà vérifiées sont gardées quelques jours), ou donnez-lui plus de temps avec --deadline".into(),
        ),
    };
    Some(Diagnostic::at(severity, code, at.file, at.lines, at.span.clone(), message).help(help))
}

/// The diagnostic of a `mailto:` or `tel:` address that is not well formed.
pub fn form(url: &str, at: &Place) -> Option<Diagnostic> {
    let lower = url.to_ascii_lowercase();
    let (code, message, help) = if let Some(rest) = lower.strip_prefix("mailto:") {
        let to = rest.split('?').next().unwrap_or("");
        if !to.is_empty() && to.split(',').all(is_email) {
            return None;
        }
        (
            "adresse-mail",
            format!("l'adresse e-mail « {} » n'est pas valide", &url[7..]),
            "écrivez mailto: suivi de l'adresse, sans espace : mailto:contact@exemple.fr",
        )
    } else if let Some(number) = lower.strip_prefix("tel:") {
        let digits = number.chars().filter(char::is_ascii_digit).count();
        let allowed = number
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || "-.()".contains(c) || (c == '+' && i == 0));
        if allowed && (3..=15).contains(&digits) {
            return None;
        }
        (
            "telephone",
            format!("« {} » n'est pas un numéro de téléphone", &url[4..]),
            "écrivez tel: suivi des chiffres, sans espace : tel:0800386329 ou tel:+33800386329",
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::at(
            Severity::Error,
            code,
            at.file,
            at.lines,
            at.span.clone(),
            message,
        )
        .help(help),
    )
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.trim().split_once('@') else {
        return false;
    };
    let ok = |p: &str| !p.is_empty() && !p.contains(char::is_whitespace) && !p.contains('@');
    ok(local)
        && ok(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_and_phone_are_checked_for_form_only() {
        let lines = LineIndex::new("x");
        let at = Place {
            file: "a.md",
            lines: &lines,
            span: 0..1,
        };
        for ok in [
            "mailto:a@b.fr",
            "mailto:a@b.fr?subject=x",
            "tel:0800386329",
            "tel:+33-3-20",
        ] {
            assert!(form(ok, &at).is_none(), "{ok}");
        }
        for bad in [
            "mailto:a.b.fr",
            "mailto:",
            "mailto:a@b",
            "tel:08 00",
            "tel:12",
            "tel:numéro",
        ] {
            assert!(form(bad, &at).is_some(), "{bad}");
        }
    }
}
