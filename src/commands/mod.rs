//! One module per command group; each is a thin layer over the library.

pub mod completions;
pub mod connector;
pub mod doctor;
pub mod env;
pub mod exec;
pub mod import;
pub mod init;
pub mod lock;
pub mod secret;

use crate::cli::Command;
use crate::error::Result;
use crate::settings::Settings;
use crate::store::vault::{self, VaultDoc};
use crate::unlock::{self, Unlocked};

/// Runs the parsed command.
pub fn dispatch(command: Command, settings: &Settings) -> Result<()> {
    match command {
        Command::Init(args) => init::run(settings, &args),
        Command::Secret(command) => secret::run(settings, command),
        Command::Unlock(args) => lock::unlock(settings, &args),
        Command::Lock => lock::lock(settings),
        Command::Keychain(command) => lock::keychain(settings, &command),
        Command::Doctor(args) => doctor::run(settings, &args),
        Command::Env(args) => env::run(settings, &args),
        Command::Exec(args) => exec::run(settings, args),
        Command::Import(args) => import::run(settings, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
        Command::Connector(command) => connector::run(settings, command),
        Command::Providers(args) => connector::providers(settings, &args),
    }
}

/// Unlocks the vault (failing with "not initialised" before any passphrase is asked for)
/// and parses the whole document.
pub(crate) fn open_doc(settings: &Settings) -> Result<(Unlocked, VaultDoc)> {
    vault::ensure_exists(settings)?;
    let unlocked = unlock::unlock(settings)?;
    let doc = vault::load(settings, &unlocked)?.parse(&settings.paths.vault())?;
    Ok((unlocked, doc))
}

/// What `env` and `exec` export: unlocks the vault, reads the connectors, resolves the
/// targets, and prints the warnings.
pub(crate) fn resolve_targets(
    settings: &Settings,
    targets: &[String],
    mappings: &[String],
    default_only: bool,
) -> Result<Vec<crate::target::Export>> {
    use crate::target::{self, Mapping, Selection};
    // Parsed here rather than by clap, whose error would quote the whole argument: a
    // mistyped `--set VAR=<key>` must not print the key.
    let mappings = mappings
        .iter()
        .map(|text| {
            text.parse::<Mapping>().map_err(|problem| {
                let var = text.split_once('=').map_or(text.as_str(), |(v, _)| v);
                crate::error::Error::Usage(format!("--set {var}=…: {problem}"))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (_, doc) = open_doc(settings)?;
    let config = crate::config::Config::load(settings)?;
    let selection = if default_only {
        Selection::DefaultConnector
    } else {
        Selection::Named
    };
    let (exports, warnings) = target::resolve(&doc, &config, targets, &mappings, selection)?;
    for warning in &warnings {
        crate::output::warn(settings, warning);
    }
    if exports.is_empty() {
        crate::output::warn(
            settings,
            "no keys to export: no active connector and no secret with a provider hint \
             (name a TARGET, or add a connector with `byok connector add`)",
        );
    }
    Ok(exports)
}
