//! One module per command group; each is a thin layer over the library.

pub mod completions;
pub mod connector;
pub mod doctor;
pub mod env;
pub mod exec;
pub mod guided;
pub mod hook;
pub mod import;
pub mod init;
pub mod inject;
pub mod lock;
pub mod project;
pub mod recipients;
pub mod secret;
pub mod store;
pub mod trust;
pub mod workspace;

use crate::cli::Command;
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command.
pub fn dispatch(command: Command, ctx: &Context) -> Result<()> {
    let settings = &ctx.settings;
    match command {
        Command::Init(args) => init::run(ctx, &args),
        Command::Secret(command) => secret::run(ctx, command),
        Command::Unlock(args) => lock::unlock(ctx, &args),
        Command::Lock => lock::lock(settings),
        Command::Keychain(command) => lock::keychain(ctx, &command),
        Command::Doctor(args) => doctor::run(ctx, &args),
        Command::Env(args) => env::run(ctx, &args),
        Command::Exec(args) => exec::run(ctx, args),
        Command::Import(args) => import::run(ctx, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
        Command::Inject(args) => inject::run(ctx, &args),
        Command::Trust(args) => trust::trust(ctx, &args),
        Command::Untrust(args) => trust::untrust(ctx, &args),
        Command::Workspace(command) => workspace::run(ctx, command),
        Command::Hook(args) => hook::run(ctx, &args),
        Command::Status(args) => project::status(ctx, args.json),
        Command::Complete(args) => completions::complete(ctx, &args),
        Command::Connector(command) => connector::run(ctx, command),
        Command::Store(command) => store::run(ctx, command),
        Command::Recipients(command) => recipients::run(ctx, command),
        Command::Providers(args) => connector::providers(settings, &args),
    }
}

/// What `env` and `exec` export: reads the connectors, resolves the targets through the
/// store registry, and prints the warnings.
pub(crate) fn resolve_targets(
    ctx: &Context,
    targets: &[String],
    mappings: &[String],
    default_only: bool,
) -> Result<Vec<crate::target::Export>> {
    use crate::target::{self, Mapping, Selection};
    let settings = &ctx.settings;
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
    let config = ctx.config()?;
    // Base URLs go into the child's environment: a hand-edited http:// remote is refused.
    config.check_connectors(&settings.paths.config())?;
    let registry = ctx.registry()?;
    let selection = if default_only {
        Selection::DefaultConnector
    } else {
        Selection::Named
    };
    let (exports, warnings) = target::resolve(registry, config, targets, &mappings, selection)?;
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
