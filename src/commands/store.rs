//! `byok store add|list|show|test|rm`: the stores of this home. `vault` and `keychain` are
//! built in; every other store is a `[[store]]` table in `config.toml`, written only here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::cli::{
    StoreAddArgs, StoreCommand, StoreDiffArgs, StoreListArgs, StoreLoginArgs, StoreNameArgs,
};
use crate::config::{self, StoreDecl};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::term::output;

pub fn run(ctx: &Context, command: StoreCommand) -> Result<()> {
    match command {
        StoreCommand::Add(args) => add(ctx, &args),
        StoreCommand::List(args) => list(ctx, &args),
        StoreCommand::Show(args) => show(ctx, &args),
        StoreCommand::Test(args) => test(ctx, &args),
        StoreCommand::Rm(args) => rm(ctx, &args),
        StoreCommand::Diff(args) => diff(ctx, &args),
        StoreCommand::Login(args) => login(ctx, &args),
    }
}

/// `store diff NAME REV [TO]`: refs added, changed and removed, never a value.
fn diff(ctx: &Context, args: &StoreDiffArgs) -> Result<()> {
    let store = ctx.registry()?.age_file(&args.name)?;
    let changes = store.diff(&args.rev, args.to.as_deref())?;
    if args.json {
        return output::print_json(&changes);
    }
    let to = args.to.as_deref().unwrap_or("the file now");
    if changes.is_empty() {
        output::status(&format!(
            "No ref changed between {} and {to}.",
            crate::term::sanitize::line(&args.rev).into_owned()
        ));
        return Ok(());
    }
    let mut text = String::new();
    for change in &changes {
        let (mark, detail) = match change.change {
            "added" => (
                "+",
                format!("added (updated {})", change.after.as_deref().unwrap_or("?")),
            ),
            "removed" => ("-", "removed".to_owned()),
            _ => {
                let fields = if change.fields.is_empty() {
                    "metadata".to_owned()
                } else {
                    format!("field(s) {}", change.fields.join(", "))
                };
                (
                    "~",
                    format!(
                        "changed {fields}: updated {} → {}",
                        change.before.as_deref().unwrap_or("?"),
                        change.after.as_deref().unwrap_or("?")
                    ),
                )
            }
        };
        text.push_str(&format!(
            "{mark} {}  {}\n",
            crate::term::sanitize::line(&change.reference).into_owned(),
            crate::term::sanitize::line(&detail).into_owned()
        ));
    }
    output::print(&text)
}

/// The settings of a new store, checked per type before anything is written.
fn declaration(args: &StoreAddArgs, env: &crate::settings::ParentEnv) -> Result<StoreDecl> {
    let mut settings = BTreeMap::new();
    let text = |flag: &str, path: &Path| {
        path.to_str().map(str::to_owned).ok_or_else(|| {
            Error::Usage(format!(
                "{flag}: the path must be valid UTF-8 (config.toml is text)"
            ))
        })
    };
    match args.kind.as_str() {
        "age-file" => {
            let path = args.path.as_deref().ok_or_else(|| {
                Error::Usage("an age-file store needs --path FILE (the vault file)".into())
            })?;
            settings.insert("path".to_owned(), text("--path", path)?);
            if let Some(identity) = &args.identity {
                settings.insert("identity".to_owned(), text("--identity", identity)?);
            }
        }
        "openbao" => {
            use crate::store::openbao::config;
            let address = if args.addresses.is_empty() {
                config::env_var(env, "ADDR")
                    .map(|(_, v)| v)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        Error::Usage(
                            "an openbao store needs --address URL (or BAO_ADDR / VAULT_ADDR)"
                                .into(),
                        )
                    })?
            } else {
                args.addresses.join(", ")
            };
            settings.insert("address".to_owned(), address);
            let mut put = |key: &str, value: Option<&String>| {
                if let Some(v) = value {
                    settings.insert(key.to_owned(), v.clone());
                }
            };
            put("mount", args.mount.as_ref());
            put("prefix", args.prefix.as_ref());
            put("namespace", args.namespace.as_ref());
            put("auth", args.auth.as_ref());
            put("role_id", args.role_id.as_ref());
            if let Some(ca) = &args.ca_cert {
                settings.insert("ca_cert".to_owned(), text("--ca-cert", ca)?);
            }
            if args.role_id.is_some() && args.auth.as_deref() != Some("approle") {
                return Err(Error::Usage("--role-id goes with --auth approle".into()));
            }
            config::check(&settings).map_err(|m| Error::Usage(format!("openbao store: {m}")))?;
        }
        other => {
            return Err(Error::Usage(format!("unknown store type '{other}'")));
        }
    }
    if args.kind != "openbao"
        && (!args.addresses.is_empty()
            || args.mount.is_some()
            || args.prefix.is_some()
            || args.namespace.is_some()
            || args.ca_cert.is_some()
            || args.auth.is_some()
            || args.role_id.is_some())
    {
        return Err(Error::Usage(format!(
            "--address, --mount, --prefix, --namespace, --ca-cert, --auth and --role-id are for --type openbao, not {}",
            args.kind
        )));
    }
    Ok(StoreDecl {
        name: args.name.clone(),
        kind: args.kind.clone(),
        settings,
    })
}

fn add(ctx: &Context, args: &StoreAddArgs) -> Result<()> {
    let settings = &ctx.settings;
    let decl = declaration(args, &settings.parent_env)?;
    let name = decl.name.clone();
    config::modify(settings, |config| {
        config.add_store(decl, args.default)?;
        // The registry refuses what it cannot open (two stores on one file, …): check the
        // new file before it is saved, so a bad store never lands in config.toml.
        crate::store::registry::Registry::new(
            &settings.paths,
            config,
            std::sync::Arc::clone(ctx.unlocker()),
        )
        .map_err(|e| match e {
            Error::Config { message, .. } => Error::Usage(message),
            other => other,
        })?;
        Ok(())
    })?;
    let default = if args.default {
        " It is now the default store for `secret add`."
    } else {
        ""
    };
    output::status(&format!(
        "Added store '{name}'. Put secrets in it with `byok secret add REF --store {name}`.{default}"
    ));
    if args.kind == "age-file" {
        joined_note(ctx, &name);
    }
    Ok(())
}

/// For an age-file store whose file others already share (a clone): the next step.
fn joined_note(ctx: &Context, name: &str) {
    let registry = crate::config::Config::load(&ctx.settings).and_then(|config| {
        crate::store::registry::Registry::new(
            &ctx.settings.paths,
            &config,
            std::sync::Arc::clone(ctx.unlocker()),
        )
    });
    let Ok(registry) = registry else { return };
    let Ok(store) = registry.age_file(name) else {
        return;
    };
    if let Ok(pending) = store.pending()
        && !pending.members.is_empty()
        && !pending.accepted
    {
        output::status(&format!(
            "Its file is shared with {} recipient(s): review them with `byok recipients list --store {name}` \
             and accept them with `byok recipients accept --store {name}` before your first write.",
            pending.members.len()
        ));
    }
}

#[derive(Serialize)]
struct StoreRow {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    describe: String,
    default: bool,
    settings: BTreeMap<String, String>,
}

fn rows(ctx: &Context) -> Result<Vec<StoreRow>> {
    let config = ctx.config()?;
    let registry = ctx.registry()?;
    let default = registry.default_store().name().to_owned();
    let mut rows = Vec::new();
    for store in registry.all() {
        let decl = config.stores().iter().find(|d| d.name == store.name());
        let kind = match (store.name(), decl) {
            (_, Some(decl)) => decl.kind.clone(),
            ("vault", None) => "vault".to_owned(),
            ("keychain", None) => "keychain".to_owned(),
            (other, None) => other.to_owned(),
        };
        rows.push(StoreRow {
            name: store.name().to_owned(),
            kind,
            describe: crate::term::sanitize::line(&store.describe()).into_owned(),
            default: store.name() == default,
            settings: decl.map(|d| d.settings.clone()).unwrap_or_default(),
        });
    }
    Ok(rows)
}

fn list(ctx: &Context, args: &StoreListArgs) -> Result<()> {
    let rows = rows(ctx)?;
    if args.json {
        return output::print_json(&rows);
    }
    let mut table = output::table(&ctx.settings, &["NAME", "TYPE", "WHERE", "DEFAULT"]);
    for row in &rows {
        table.add_row(vec![
            row.name.clone(),
            row.kind.clone(),
            row.describe.clone(),
            if row.default {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    output::print_table(&table)
}

fn find_row(ctx: &Context, name: &str) -> Result<StoreRow> {
    let registry = ctx.registry()?;
    registry.store(name)?;
    rows(ctx)?
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(|| Error::UnknownStore {
            name: name.to_owned(),
            known: registry.names().join(", "),
        })
}

fn show(ctx: &Context, args: &StoreNameArgs) -> Result<()> {
    let row = find_row(ctx, &args.name)?;
    if args.json {
        return output::print_json(&row);
    }
    let mut text = format!(
        "name:     {}\ntype:     {}\nwhere:    {}\ndefault:  {}\n",
        row.name,
        row.kind,
        row.describe,
        if row.default { "yes" } else { "no" }
    );
    for (key, value) in &row.settings {
        text.push_str(&format!(
            "{key:<9} {}\n",
            crate::term::sanitize::line(value).into_owned()
        ));
    }
    output::print(&text)
}

#[derive(Serialize)]
struct TestReport {
    name: String,
    ok: bool,
    detail: String,
}

fn test(ctx: &Context, args: &StoreNameArgs) -> Result<()> {
    let registry = ctx.registry()?;
    let store = registry.store(&args.name)?;
    let health = store.health();
    let report = TestReport {
        name: args.name.clone(),
        ok: health.ok,
        detail: crate::term::sanitize::line(&health.detail).into_owned(),
    };
    if args.json {
        output::print_json(&report)?;
    } else {
        let mark = if report.ok { "ok" } else { "FAILED" };
        output::print(&format!("{}: {mark} — {}\n", report.name, report.detail))?;
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::StoreUnavailable {
            name: args.name.clone(),
        })
    }
}

fn rm(ctx: &Context, args: &StoreNameArgs) -> Result<()> {
    if args.name == "vault" || args.name == "keychain" {
        return Err(Error::Usage(format!(
            "'{}' is built in and cannot be removed",
            args.name
        )));
    }
    // A login kept for the store goes with it.
    if let Ok(registry) = ctx.registry()
        && let Ok(store) = registry.store(&args.name)
        && store.login_kind().is_some()
        && let Err(e) = store.logout()
    {
        output::warn(
            &ctx.settings,
            &format!("could not remove the login kept for '{}': {e}", args.name),
        );
    }
    let removed = config::modify(&ctx.settings, |config| config.remove_store(&args.name))?;
    let left = match removed.settings.get("path") {
        Some(path) => format!(
            " Its file {} was left as it is.",
            crate::term::sanitize::line(path).into_owned()
        ),
        None => String::new(),
    };
    output::status(&format!(
        "Removed store '{}' from config.toml.{left}",
        removed.name
    ));
    Ok(())
}

/// `byok store login NAME`: checks a token (or AppRole secret id) with the server and keeps
/// it in the OS keychain; the value comes from a hidden prompt or `--stdin`, never argv.
fn login(ctx: &Context, args: &StoreLoginArgs) -> Result<()> {
    let registry = ctx.registry()?;
    let store = registry.store(&args.name)?;
    let Some(kind) = store.login_kind() else {
        return Err(Error::Usage(format!(
            "the {} store has no login (only openbao stores do)",
            args.name
        )));
    };
    let credential = if args.stdin {
        let mut text = zeroize::Zeroizing::new(String::new());
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
            Error::Terminal {
                action: "read the credential from standard input",
                source,
            }
        })?;
        crate::secret::SecretValue::new(text.trim().to_owned())
    } else if ctx.settings.interactive() {
        crate::secret::SecretValue::from(crate::prompt::password(&format!(
            "{kind} for store {} (input hidden)",
            args.name
        ))?)
    } else {
        return Err(Error::Usage(format!(
            "no {kind} given: pass --stdin and pipe it in (it never goes in arguments)"
        )));
    };
    if credential.expose().is_empty() {
        return Err(Error::EmptyValue);
    }
    let described = store.login(credential)?;
    let kept = ctx
        .config()?
        .stores()
        .iter()
        .find(|d| d.name == args.name)
        .is_some_and(|d| d.settings.contains_key("login"));
    if !kept {
        config::modify(&ctx.settings, |config| {
            config.set_store_setting(&args.name, "login", "keychain")
        })?;
    }
    output::status(&format!(
        "Logged in to store '{}' ({described}); the token is kept in the OS keychain.",
        args.name
    ));
    Ok(())
}
