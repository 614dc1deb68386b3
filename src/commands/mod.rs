//! One module per command group; each is a thin layer over the library.

pub mod audit;
pub mod backup;
pub mod completions;
pub mod connector;
pub mod connector_scope;
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
pub mod proxy;
pub mod recipients;
pub mod reveal;
pub mod rotate_verify;
pub mod scan;
pub mod secret;
pub mod store;
pub mod trust;
pub mod usage;
pub mod workspace;

use crate::cli::Command;
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command.
pub fn dispatch(command: Command, ctx: &Context) -> Result<()> {
    let entries = audit_entries(&command, ctx);
    if entries.is_empty() {
        return run_command(command, ctx);
    }
    ctx.audited(entries, || run_command(command, ctx))
}

/// The audit entries of commands audited as a whole (secret commands, `env`, `exec`,
/// backups and the reveal policy record their own, where the ref and store are known).
fn audit_entries(command: &Command, ctx: &Context) -> Vec<crate::hygiene::audit::Entry> {
    use crate::cli::{ConnectorCommand as C, KeychainCommand as K};
    use crate::hygiene::audit::Entry;
    match command {
        Command::Connector(c) => match c {
            // A guided `connector add` asks for the name: its entry is named as given.
            C::Add(a) => {
                let name = a.name.as_deref().unwrap_or(guided::ASKED);
                let mut entries = vec![Entry::connector("connector.add", name)];
                if a.test {
                    entries.push(Entry::connector("connector.test", name));
                }
                entries
            }
            C::Edit(a) => vec![Entry::connector("connector.edit", &a.name)],
            C::Archive(a) => vec![Entry::connector("connector.archive", &a.name)],
            C::Unarchive(a) => vec![Entry::connector("connector.unarchive", &a.name)],
            C::Move(a) => vec![Entry::connector("connector.move", &a.name)],
            C::Rm(a) => vec![Entry::connector("connector.remove", &a.name)],
            C::Test(a) => {
                let names: Vec<String> = if a.names.is_empty() || a.all {
                    ctx.config()
                        .map(|c| c.active().map(|c| c.name.clone()).collect())
                        .unwrap_or_default()
                } else {
                    a.names.clone()
                };
                names
                    .iter()
                    .map(|n| Entry::connector("connector.test", n))
                    .collect()
            }
            C::List(_) | C::Show(_) | C::Default(_) | C::Models(_) => Vec::new(),
        },
        Command::Unlock(_) => vec![Entry::new("unlock")],
        Command::Lock => vec![Entry::new("lock")],
        Command::Keychain(K::Remember) => vec![Entry::new("keychain.remember")],
        Command::Keychain(K::Forget) => vec![Entry::new("keychain.forget")],
        Command::Import(_) => vec![Entry::new("import")],
        Command::Store(s) => {
            use crate::cli::StoreCommand as S;
            let (action, name) = match s {
                S::Add(a) => ("store.add", &a.name),
                S::Rm(a) => ("store.remove", &a.name),
                S::Login(a) => ("store.login", &a.name),
                S::List(_) | S::Show(_) | S::Test(_) | S::Diff(_) => return Vec::new(),
            };
            vec![Entry {
                store: Some(name.clone()),
                ..Entry::new(action)
            }]
        }
        _ => Vec::new(),
    }
}

fn run_command(command: Command, ctx: &Context) -> Result<()> {
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
        Command::Scan(args) => scan::run(ctx, &args),
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
        Command::Proxy(args) => proxy::run(ctx, args),
        Command::Audit(args) => audit::run(ctx, &args),
        Command::Usage(args) => usage::run(ctx, &args),
        Command::Reveal(args) => reveal::run(ctx, &args),
        Command::Backup(args) => backup::backup(ctx, &args),
        Command::Restore(args) => backup::restore(ctx, &args),
    }
}

/// What `env` and `exec` export: reads the connectors, resolves the targets through the
/// store registry, and prints the warnings. Also returns the secrets whose values were
/// read (for the reveal check and the audit), from this same resolution.
pub(crate) fn resolve_targets(
    ctx: &Context,
    targets: &[String],
    mappings: &[String],
    default_only: bool,
) -> Result<(
    Vec<crate::export::target::Export>,
    Vec<crate::export::reads::Read>,
)> {
    use crate::export::target::{self, Mapping, Selection};
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
    let recording = crate::export::reads::Recording::new(registry);
    let (exports, warnings) = target::resolve(&recording, config, targets, &mappings, selection)?;
    for warning in &warnings {
        crate::term::output::warn(settings, warning);
    }
    if exports.is_empty() {
        crate::term::output::warn(
            settings,
            "no keys to export: no active connector and no secret with a provider hint \
             (name a TARGET, or add a connector with `byok connector add`)",
        );
    }
    Ok((exports, recording.into_reads()))
}
