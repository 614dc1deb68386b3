//! One module per command group; each is a thin layer over the library.

pub mod admin;
pub mod adopt;
pub mod audit;
pub mod backup;
pub mod completions;
pub mod connector;
pub mod doctor;
pub mod env;
pub mod exec;
pub mod hook;
pub mod import;
pub mod init;
pub mod inject;
pub mod lock;
pub mod mcp;
pub mod project;
pub mod proxy;
pub mod recipients;
pub mod reveal;
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
    if needs_home(&command) {
        ctx.require_home();
        // `secret` commands check their arguments first (a value passed in argv, a bad name or
        // expiry are said whatever the home); the context refuses when they reach the home.
        if !matches!(command, Command::Secret(_)) {
            ctx.check_home()?;
        }
    }
    let entries = audit_entries(&command, ctx);
    if entries.is_empty() {
        return run_command(command, ctx);
    }
    ctx.audited(entries, || run_command(command, ctx))
}

/// Whether `command` runs only in an initialised home. Only `init` creates a home: a command
/// that would write into one that has no vault and no identity (a mistyped `BYOK_HOME`) would
/// leave a half home behind, so it refuses before anything is touched. Exhaustive on purpose:
/// a new command chooses.
fn needs_home(command: &Command) -> bool {
    use crate::cli::ImportSource;
    match command {
        // Creates the home; reports on it; never touches it.
        Command::Init(_)
        | Command::Doctor(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Complete(_)
        | Command::Providers(_) => false,
        // Read other files and work without a vault (key shapes only, no project loaded).
        Command::Scan(_) | Command::Hook(_) | Command::Status(_) => false,
        Command::Import(args)
            if matches!(args.source, ImportSource::Discover { path: None, .. }) =>
        {
            false
        }
        // Checks its command line first (command not found: 127), then needs the vault to
        // unlock, which refuses a home that is not initialised.
        Command::Exec(args) if !args.via_proxy => false,
        // Restoring into a fresh home is the restore's own business (it checks the home).
        Command::Restore(_) => false,
        Command::Secret(_)
        | Command::Connector(_)
        | Command::Admin(_)
        | Command::Store(_)
        | Command::Recipients(_)
        | Command::Env(_)
        | Command::Exec(_)
        | Command::Import(_)
        | Command::Unlock(_)
        | Command::Lock
        | Command::Passphrase(_)
        | Command::Keychain(_)
        | Command::Inject(_)
        | Command::Trust(_)
        | Command::Untrust(_)
        | Command::Audit(_)
        | Command::Reveal(_)
        | Command::Backup(_)
        | Command::Workspace(_)
        | Command::Proxy(_)
        | Command::Usage(_)
        | Command::Adopt(_)
        | Command::Mcp(_)
        | Command::Approve(_) => true,
    }
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
                let name = a.name.as_deref().unwrap_or(connector::guided::ASKED);
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
        Command::Passphrase(a) if a.remove => vec![Entry::new("passphrase.remove")],
        Command::Passphrase(_) => vec![Entry::new("passphrase.set")],
        Command::Keychain(K::Remember) => vec![Entry::new("keychain.remember")],
        Command::Keychain(K::Forget) => vec![Entry::new("keychain.forget")],
        // A listing before `init` has no home to log into, and must not make one.
        Command::Import(a)
            if matches!(
                a.source,
                crate::cli::ImportSource::Discover { path: None, .. }
            ) && !ctx.settings.initialised() =>
        {
            Vec::new()
        }
        Command::Import(_) => vec![Entry::new("import")],
        Command::Adopt(crate::cli::AdoptCommand::Mcp(a)) if !a.dry_run => {
            vec![Entry::new(if a.undo { "adopt.undo" } else { "adopt" })]
        }
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
        Command::Passphrase(args) => init::passphrase(ctx, &args),
        Command::Keychain(command) => lock::keychain(ctx, &command),
        Command::Doctor(args) => doctor::run(ctx, &args),
        Command::Env(args) => env::run(ctx, &args),
        // `exec --via-proxy` belongs to the proxy's commands: it starts or finds a proxy.
        Command::Exec(args) if args.via_proxy => proxy::exec_via_proxy(ctx, args),
        Command::Exec(args) if args.ephemeral => admin::exec_ephemeral(ctx, args),
        Command::Exec(args) => exec::run(ctx, args),
        Command::Import(args) => import::run(ctx, &args),
        Command::Scan(args) => scan::run(ctx, &args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Inject(args) => inject::run(ctx, &args),
        Command::Trust(args) => trust::trust(ctx, &args),
        Command::Admin(command) => admin::run(ctx, command),
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
        Command::Adopt(command) => adopt::run(ctx, command),
        Command::Mcp(args) => mcp::run(ctx, args),
        Command::Approve(args) => mcp::approve(ctx, &args),
    }
}
