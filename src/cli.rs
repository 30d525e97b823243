//! The command line: `build`, `check`, `links`, `new`, `serve`, `schema`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crate::diag::Format;

/// fiches : publie le guide PRITH en site web accessible.
#[derive(Parser, Debug)]
#[command(name = "fiches", version, about, long_about = None)]
pub struct Cli {
    /// Dossier du guide (celui qui contient guide.toml et content/).
    #[arg(long, global = true)]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Construit le site dans public/ (ou --out).
    Build {
        /// Dossier de sortie.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Adresse publique du site (remplace base_url de guide.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Format des messages.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Vérifie les fiches sans rien écrire.
    Check {
        /// Format des messages.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Les avertissements font aussi échouer la vérification.
        #[arg(long)]
        strict: bool,
    },
    /// Vérifie les adresses web des fiches (la seule commande qui va sur Internet).
    Links {
        /// Format des messages.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Ne vérifier que les adresses de ces fichiers (fiches ou guide.toml).
        #[arg(long, num_args = 1.., value_name = "FICHIER")]
        only: Vec<PathBuf>,
        /// Remplacer dans les fiches les adresses qui ont changé (redirection permanente).
        #[arg(long)]
        fix: bool,
        /// Tout vérifier à nouveau, sans se fier aux réponses gardées en cache.
        #[arg(long)]
        no_cache: bool,
        /// Délai d'attente d'une réponse, en secondes.
        #[arg(long, default_value_t = 20.0, value_name = "SECONDES", value_parser = seconds)]
        timeout: f64,
        /// Durée maximale de toute la vérification, en secondes.
        #[arg(long, default_value_t = 600.0, value_name = "SECONDES", value_parser = seconds)]
        deadline: f64,
        /// Nouveaux essais après une erreur réseau, une réponse 429 ou 503.
        #[arg(long, default_value_t = 2, value_name = "N")]
        retries: u32,
    },
    /// Crée une nouvelle fiche à compléter.
    New {
        /// Type de fiche : dispositif, outil, situation, parcours, terme, acteur, page.
        kind: String,
        /// Titre de la fiche.
        title: String,
    },
    /// Écrit la liste des champs des fiches (docs/champs.md) sur la sortie standard.
    Schema,
    /// Affiche le guide dans le navigateur et le met à jour à chaque modification.
    Serve {
        /// Port local (0 : un port libre au hasard).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
}

/// A positive number of seconds.
fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("« {s} » n'est pas un nombre de secondes positif")),
    }
}
