//! The command line: `build`, `check`, `new`, `serve`, `schema`.

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
        /// Liste aussi les termes dont la forme longue ne vient pas des guides sources (`source`), à faire relire.
        #[arg(long)]
        sources: bool,
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
