//! `byok admin …` and `byok exec --ephemeral`: admin connections, and keys minted for one
//! command at the provider.

use std::time::Duration;

use serde::Serialize;

use crate::admin::api::{AdminClient, RemoteKey};
use crate::admin::record::{self, Made, Purpose, Seal, State};
use crate::admin::{Provider, sweep, unix_now};
use crate::cli::{AdminAddArgs, AdminCommand, AdminListArgs, AdminNameArgs, ExecArgs};
use crate::config::{AdminDecl, Config};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::child::{self, ChildSpec};
use crate::hygiene::audit::Entry;
use crate::names::DEFAULT_FIELD;
use crate::term::output;

/// The default and longest lifetimes of a minted key.
const DEFAULT_TTL: Duration = Duration::from_secs(3600);
const MAX_TTL: Duration = Duration::from_secs(365 * 86_400);

pub fn run(ctx: &Context, command: AdminCommand) -> Result<()> {
    match command {
        AdminCommand::Add(args) => add(ctx, args),
        AdminCommand::List(args) => list(ctx, &args),
        AdminCommand::Test(args) => test(ctx, &args),
        AdminCommand::Rm(args) => {
            let removed = crate::config::modify(&ctx.settings, |c| c.remove_admin(&args.name))?;
            ctx.audit_now(admin_entry("admin.remove", &removed.name, None), Ok(()))?;
            output::status(&format!(
                "Removed admin connection '{}' (its secret '{}' stays).",
                removed.name, removed.secret
            ));
            Ok(())
        }
        AdminCommand::Status(args) => status(ctx, &args),
        AdminCommand::Sweep(args) => {
            let config = ctx.config()?;
            let decls: Vec<&AdminDecl> = match &args.name {
                Some(name) => vec![config.admin(name)?],
                None => config.admins().iter().collect(),
            };
            let mut failed = 0;
            for decl in decls {
                let client = connect(ctx, decl)?;
                let swept = sweep::sweep(ctx, &client)?;
                failed += swept.failed.len();
                if swept.is_empty() {
                    output::status(&format!("admin '{}': nothing to sweep", decl.name));
                }
                swept.report(ctx);
            }
            if failed > 0 {
                return Err(Error::Usage(format!(
                    "{failed} key(s) could not be revoked or retired; they stay in the record \
                     and the next sweep tries again (`byok admin status` lists them)"
                )));
            }
            Ok(())
        }
    }
}

fn admin_entry(action: &'static str, admin: &str, reference: Option<&str>) -> Entry {
    Entry {
        action,
        connector: Some(admin.to_owned()),
        reference: reference.map(str::to_owned),
        ..Entry::default()
    }
}

fn add(ctx: &Context, args: AdminAddArgs) -> Result<()> {
    crate::names::check_ref(&args.secret)?;
    for reference in &args.exclusive {
        crate::names::check_ref(reference)?;
    }
    let provider = Provider::from_id(&args.provider).ok_or_else(|| {
        Error::Usage(format!(
            "--provider: byok drives the admin APIs of {} only",
            crate::config::ADMIN_PROVIDERS.join(", ")
        ))
    })?;
    if provider == Provider::OpenAi && args.project.is_none() {
        return Err(Error::Usage(
            "--project: OpenAI keys are made in a project; give its id (proj_…, from the \
             dashboard's project settings)"
                .into(),
        ));
    }
    if let Some(url) = &args.base_url
        && let Some(problem) = crate::admin::base_url_problem(url)
    {
        return Err(Error::Usage(format!("--base-url {problem}")));
    }
    // The secret must exist now (a typo would otherwise surface at the first mint), and is
    // recorded as an admin key: `env`, `exec` and `inject` then keep it from programs
    // whatever its shape.
    let found = ctx.registry()?.resolve(&args.secret, None)?;
    if found.meta.kind.as_deref() != Some(crate::store::KIND_ADMIN) {
        let mut put = crate::store::Put::new(
            &args.secret,
            crate::store::PutMode::Update,
            &output::now_rfc3339(),
        );
        put.kind = Some(crate::store::KIND_ADMIN.to_owned());
        ctx.audited(
            vec![Entry::secret(
                "secret.set",
                &args.secret,
                Some(found.store.name()),
            )],
            || found.store.put(vec![put]).map(drop),
        )?;
    }
    let decl = AdminDecl {
        name: args.name,
        provider: provider.id().to_owned(),
        secret: args.secret,
        project: args.project,
        workspace: args.workspace_id,
        base_url: args.base_url,
        exclusive: args.exclusive,
    };
    let name = decl.name.clone();
    crate::config::modify(&ctx.settings, |c| c.add_admin(decl))?;
    ctx.audit_now(admin_entry("admin.add", &name, None), Ok(()))?;
    output::status(&format!(
        "Added admin connection '{name}' ({}); check it with `byok admin test {name}`.",
        provider.display()
    ));
    Ok(())
}

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    provider: &'a str,
    secret: &'a str,
    project: Option<&'a str>,
    workspace: Option<&'a str>,
    base_url: Option<&'a str>,
}

fn list(ctx: &Context, args: &AdminListArgs) -> Result<()> {
    let config = ctx.config()?;
    let rows: Vec<Row<'_>> = config
        .admins()
        .iter()
        .map(|a| Row {
            name: &a.name,
            provider: &a.provider,
            secret: &a.secret,
            project: a.project.as_deref(),
            workspace: a.workspace.as_deref(),
            base_url: a.base_url.as_deref(),
        })
        .collect();
    if args.json {
        return output::print_json(&rows);
    }
    if rows.is_empty() {
        output::status("No admin connections; add one with `byok admin add`.");
        return Ok(());
    }
    let mut table = output::table(&ctx.settings, &["NAME", "PROVIDER", "SECRET", "SCOPE"]);
    for row in &rows {
        table.add_row(vec![
            row.name.to_owned(),
            row.provider.to_owned(),
            row.secret.to_owned(),
            row.project.or(row.workspace).unwrap_or("-").to_owned(),
        ]);
    }
    output::print_table(&table)
}

/// An admin connection's client, with its key read from the secret it names.
pub fn connect<'a>(ctx: &Context, decl: &'a AdminDecl) -> Result<AdminClient<'a>> {
    let found = ctx.registry()?.resolve(&decl.secret, None)?;
    let key = crate::store::registry::value_of(&found, DEFAULT_FIELD)?;
    AdminClient::new(&ctx.settings, decl, key)
}

fn test(ctx: &Context, args: &AdminNameArgs) -> Result<()> {
    let config = ctx.config()?;
    let decl = config.admin(&args.name)?;
    let client = connect(ctx, decl)?;
    let outcome = client.check();
    ctx.audit_now(
        admin_entry("admin.test", &decl.name, None),
        outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    let seen = outcome?;
    let capabilities = client.provider.capabilities();
    if args.json {
        return output::print_json(&serde_json::json!({
            "name": decl.name,
            "provider": client.provider.id(),
            "ok": true,
            "can_mint": client.provider.can_mint(),
            "can_disable": client.provider.can_disable(),
            "capabilities": capabilities,
        }));
    }
    let mut text = format!(
        "{}: the {} admin key works (a read-only listing answered{}).\nWhat byok can do with it:\n",
        decl.name,
        client.provider.display(),
        if seen > 0 { " with keys" } else { "" }
    );
    for line in capabilities {
        text.push_str(&format!("  - {line}\n"));
    }
    output::print_text(&text)
}

fn status(ctx: &Context, args: &AdminListArgs) -> Result<()> {
    let record = record::read(ctx.settings.paths.home())?;
    let seal = ctx
        .unlocker()
        .get_without_prompt()
        .map(|u| Seal::new(&u.identity));
    let forged = |ok: bool| match (&seal, ok) {
        (Some(_), false) => " [not sealed by this home: ignored by the sweep]",
        _ => "",
    };
    if args.json {
        return output::print_json(&serde_json::json!({
            "made": record.made,
            "pending": record.pending,
        }));
    }
    let now = unix_now();
    let mut text = String::new();
    for made in &record.made {
        let running = record::alive(made.pid, made.pid_start);
        let ok = seal.as_ref().is_none_or(|s| s.made_ok(made));
        text.push_str(&format!(
            "{} ({}, {:?}, {}): {}{}{}\n",
            made.name,
            made.admin,
            made.purpose,
            match made.state {
                State::Intent => "being made",
                State::Live if running => "live, its command runs",
                State::Live => "live, left behind: the next sweep revokes it",
                State::Switched => "stored as the secret's value",
                State::Revoked => "revoked",
            },
            made.expires_at
                .map(|t| if t > now {
                    format!("expires {}", crate::admin::rfc3339(t))
                } else {
                    "expired".into()
                })
                .unwrap_or_else(|| "no expiry".into()),
            made.error
                .as_deref()
                .map(|e| format!("; last error: {e}"))
                .unwrap_or_default(),
            forged(ok),
        ));
    }
    for pending in &record.pending {
        let verb = match pending.action {
            crate::admin::record::Retire::Disable => "disabled",
            crate::admin::record::Retire::Delete => "deleted",
        };
        let when = match pending.done {
            Some(true) => verb.to_owned(),
            Some(false) => "kept (rolled back)".into(),
            None if pending.due <= now => format!("to be {verb} by the next sweep (due)"),
            None => format!("to be {verb} from {}", crate::admin::rfc3339(pending.due)),
        };
        let ok = seal.as_ref().is_none_or(|s| s.pending_ok(pending));
        text.push_str(&format!(
            "{}: old key {} ({}): {when}{}\n",
            pending.reference,
            pending.hint.as_deref().unwrap_or(&pending.key_id),
            pending.admin,
            forged(ok)
        ));
    }
    if text.is_empty() {
        output::status("byok has made no keys at providers and retires none.");
        return Ok(());
    }
    output::print_text(&text)
}

/// The admin connection for `provider`: the one named, else the only one of that provider.
pub fn pick_admin<'a>(
    config: &'a Config,
    named: Option<&str>,
    provider: &str,
    what: &str,
) -> Result<&'a AdminDecl> {
    if let Some(name) = named {
        let decl = config.admin(name)?;
        if decl.provider != provider {
            return Err(Error::Usage(format!(
                "--admin {name} is a {} admin connection, and {what} is {provider}",
                decl.provider
            )));
        }
        return Ok(decl);
    }
    let mut matching = config.admins().iter().filter(|a| a.provider == provider);
    match (matching.next(), matching.next()) {
        (Some(decl), None) => Ok(decl),
        (None, _) => Err(Error::Usage(format!(
            "no admin connection for {provider} ({what}); add one with \
             `byok admin add NAME --provider {provider} --secret REF`"
        ))),
        (Some(_), Some(_)) => Err(Error::Usage(format!(
            "several admin connections serve {provider}; name one with --admin"
        ))),
    }
}

/// Parses a lifetime (`90m`, `2h`) within 1 minute and a year.
pub fn parse_lifetime(flag: &str, text: Option<&str>, default: Duration) -> Result<Duration> {
    let Some(text) = text else {
        return Ok(default);
    };
    let parsed = humantime::parse_duration(text.trim())
        .map_err(|_| Error::Usage(format!("{flag}: not a duration (for example 30m, 2h, 7d)")))?;
    if parsed > MAX_TTL {
        return Err(Error::Usage(format!("{flag}: at most a year")));
    }
    Ok(parsed)
}

/// `byok exec --ephemeral CONNECTOR -- CMD`.
pub fn exec_ephemeral(ctx: &Context, mut args: ExecArgs) -> Result<()> {
    let [connector_name] = args.targets.as_slice() else {
        return Err(Error::Usage(
            "--ephemeral mints a key for one connector: name exactly one (byok exec --ephemeral \
             CONNECTOR -- CMD)"
                .into(),
        ));
    };
    let config = ctx.config()?;
    let connector = config.get(connector_name)?.clone();
    let spec_of = crate::provider::catalog::lookup(&connector.kind);
    let ttl = parse_lifetime("--ttl", args.ttl.as_deref(), DEFAULT_TTL)?;
    if ttl < Duration::from_secs(60) {
        return Err(Error::Usage("--ttl: at least 1 minute (60s)".into()));
    }
    if let Some(limit) = args.limit
        && !(limit.is_finite() && limit > 0.0 && limit <= 100_000.0)
    {
        return Err(Error::Usage(
            "--limit: a dollar amount above 0 and at most 100000".into(),
        ));
    }
    let provider = Provider::from_id(&connector.kind);
    if let Some(provider) = provider
        && !provider.can_mint()
    {
        // Anthropic: no minting API. The stored key, as plain `exec` hands it out.
        output::warn(
            &ctx.settings,
            &format!(
                "{} cannot create keys by API, so nothing is minted: '{}' gets its stored key. \
                 For a budget on it use the proxy: `byok exec --via-proxy {} -- …` with a token \
                 budget",
                provider.display(),
                connector.name,
                connector.name
            ),
        );
        args.ephemeral = false;
        return super::exec::run(ctx, args);
    }
    let (Some(provider), Some(spec)) = (provider, spec_of) else {
        return Err(Error::Usage(format!(
            "--ephemeral: connector '{}' is of type {}, and byok mints keys only for {}",
            connector.name,
            connector.kind,
            ["openai", "openrouter"].join(" and ")
        )));
    };
    let decl = pick_admin(
        config,
        args.admin.as_deref(),
        provider.id(),
        &format!("connector '{}'", connector.name),
    )?;

    let mut command = std::mem::take(&mut args.command).into_iter();
    let program = command.next().expect("clap requires CMD");
    let mut child_spec = ChildSpec {
        program,
        args: command.collect(),
        env: child::environment(&ctx.settings.parent_env, args.clean_env, []),
    };
    child::strip_store_credentials(config, &mut child_spec.env);
    child_spec.check_program()?;

    let client = connect(ctx, decl)?;
    sweep::sweep(ctx, &client)?.report(ctx);
    let seal = Seal::of(ctx)?;

    let home = ctx.settings.paths.home();
    let prefix = sweep::ephemeral_prefix(ctx)?;
    let (pid, pid_start) = record::this_process();
    let name = format!("{prefix}{:x}-{pid}", unix_now());
    // The intent is on disk before the provider is asked: a crash from here on leaves a
    // name the sweep can find.
    record::update(home, &seal, |r| {
        r.made.push(Made {
            name: name.clone(),
            admin: decl.name.clone(),
            purpose: Purpose::Ephemeral,
            state: State::Intent,
            pid,
            pid_start,
            key_id: None,
            account: None,
            expires_at: Some(unix_now() + ttl.as_secs()),
            created: unix_now(),
            reference: None,
            token: None,
            error: None,
            seal: None,
        });
    })?;
    let minted = client.mint(&name, Some(ttl), args.limit);
    ctx.audit_now(
        admin_entry("admin.mint", &decl.name, connector.secret.as_deref()),
        minted.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    let minted = minted?;
    if ctx.settings.fault.as_deref() == Some("kill-after-mint") {
        // Debug builds only (`BYOK_FAULT`): the crash between the provider's answer and the
        // record, which the sweep must clean up.
        #[cfg(unix)]
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        #[cfg(not(unix))]
        std::process::abort();
    }
    record::update(home, &seal, |r| {
        for m in r.made.iter_mut().filter(|m| m.name == name) {
            m.state = State::Live;
            m.key_id = Some(minted.key_id.clone());
            m.account = minted.account.clone();
            m.expires_at = minted.expires_at.or(m.expires_at);
        }
    })?;

    let origin = format!("a key minted for connector {}", connector.name);
    let mut exports =
        crate::export::target::exports_for_key(spec.key_env_vars, &minted.value, &origin);
    if let (Some(var), Some(url)) = (spec.base_url_env_var, &connector.base_url) {
        exports.push(crate::export::target::Export {
            var: var.to_owned(),
            value: crate::secret::SecretValue::new(url.clone()),
            origin: format!("connector {}", connector.name),
        });
    }
    for export in &exports {
        child_spec.env.retain(|(n, _)| n != export.var.as_str());
        child_spec
            .env
            .push((export.var.clone().into(), export.value.expose().into()));
    }
    output::status(&format!(
        "minted {name} at {} (expires {}); it is revoked when the command ends",
        provider.display(),
        minted
            .expires_at
            .map(crate::admin::rfc3339)
            .unwrap_or_else(|| "never".into())
    ));
    let code = child::supervise(&child_spec, None);
    drop(exports);
    drop(child_spec);

    let key = RemoteKey {
        id: minted.key_id.clone(),
        account: minted.account.clone(),
        name: name.clone(),
        active: true,
        expires_at: minted.expires_at,
        hint: None,
    };
    let revoked = client.revoke(&key);
    ctx.audit_now(
        admin_entry("admin.revoke", &decl.name, connector.secret.as_deref()),
        revoked.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    match &revoked {
        Ok(()) => sweep::mark(home, &seal, &name, State::Revoked, None)?,
        Err(e) => {
            sweep::mark(home, &seal, &name, State::Live, Some(e.to_string()))?;
            output::warn(
                &ctx.settings,
                &format!(
                    "the minted key {name} could not be revoked ({e}); it expires at the \
                     provider anyway, and the next `byok admin sweep` tries again"
                ),
            );
        }
    }
    match code? {
        0 if revoked.is_ok() => Ok(()),
        0 => Err(revoked.unwrap_err()),
        code => Err(Error::ChildExit { code }),
    }
}

/// The vault secret holding the key minted for placeholder token `token`.
pub fn token_secret_ref(token: &str) -> String {
    format!("minted_for_{}", token.replace('-', "_"))
}

/// `proxy token create NAME --mint CONNECTOR`: mints a key for the token at the connector's
/// provider (expiring with it), records it, and keeps it in the home vault — encrypted, like
/// every key the proxy serves — under [`token_secret_ref`].
pub fn mint_for_token(
    ctx: &Context,
    token: &str,
    connector_name: &str,
    ttl: Duration,
    limit: Option<f64>,
) -> Result<crate::proxy::token::MintedKey> {
    let config = ctx.config()?;
    let connector = config.get(connector_name)?.clone();
    let provider = Provider::from_id(&connector.kind)
        .filter(|p| p.can_mint())
        .ok_or_else(|| {
            Error::Usage(format!(
                "--mint: connector '{}' is of type {}; byok mints keys for OpenAI and OpenRouter \
                 connectors only (Anthropic's API cannot create keys: give the token a --budget)",
                connector.name, connector.kind
            ))
        })?;
    if ttl < Duration::from_secs(60) || ttl > MAX_TTL {
        return Err(Error::Usage(
            "--mint: the token's --expires must be between 1 minute and a year (the minted key \
             expires with it)"
                .into(),
        ));
    }
    if let Some(limit) = limit
        && !(limit.is_finite() && limit > 0.0 && limit <= 100_000.0)
    {
        return Err(Error::Usage(
            "--limit: a dollar amount above 0 and at most 100000".into(),
        ));
    }
    let decl = pick_admin(
        config,
        None,
        provider.id(),
        &format!("connector '{}'", connector.name),
    )?;
    let client = connect(ctx, decl)?;
    sweep::sweep(ctx, &client)?.report(ctx);
    let seal = Seal::of(ctx)?;
    let home = ctx.settings.paths.home();
    let prefix = sweep::ephemeral_prefix(ctx)?.replacen("byok-eph-", "byok-tok-", 1);
    let name = format!("{prefix}{token}-{:x}", unix_now());
    let secret = token_secret_ref(token);
    let (pid, pid_start) = record::this_process();
    record::update(home, &seal, |r| {
        r.made.push(Made {
            name: name.clone(),
            admin: decl.name.clone(),
            purpose: Purpose::Token,
            state: State::Intent,
            pid,
            pid_start,
            key_id: None,
            account: None,
            expires_at: Some(unix_now() + ttl.as_secs()),
            created: unix_now(),
            reference: Some(secret.clone()),
            token: Some(token.to_owned()),
            error: None,
            seal: None,
        });
    })?;
    let minted = client.mint(&name, Some(ttl), limit);
    ctx.audit_now(
        admin_entry("admin.mint", &decl.name, Some(&secret)),
        minted.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    let minted = minted?;
    record::update(home, &seal, |r| {
        for m in r.made.iter_mut().filter(|m| m.name == name) {
            m.state = State::Live;
            m.key_id = Some(minted.key_id.clone());
            m.account = minted.account.clone();
            m.expires_at = minted.expires_at.or(m.expires_at);
        }
    })?;
    let vault = ctx.registry()?.store("vault")?;
    let mut put = crate::store::Put::new(
        &secret,
        crate::store::PutMode::Upsert,
        &output::now_rfc3339(),
    );
    put.replace = true;
    put.label = Some(format!("key minted for proxy token {token}"));
    put.provider = Some(connector.kind.clone());
    put.kind = Some("minted".into());
    put.expires = Some(minted.expires_at.map(crate::admin::rfc3339));
    put.values = vec![(DEFAULT_FIELD.to_owned(), minted.value)];
    let stored = ctx.audited(
        vec![Entry::secret("secret.add", &secret, Some(vault.name()))],
        || vault.put(vec![put]).map(drop),
    );
    if let Err(e) = stored {
        let _ = client.revoke(&RemoteKey {
            id: minted.key_id.clone(),
            account: minted.account.clone(),
            name: name.clone(),
            active: true,
            expires_at: None,
            hint: None,
        });
        sweep::mark(home, &seal, &name, State::Revoked, None)?;
        return Err(e);
    }
    output::status(&format!(
        "minted {name} at {} for token '{token}' (connector {}); it is revoked with the token",
        provider.display(),
        connector.name
    ));
    Ok(crate::proxy::token::MintedKey {
        connector: connector.name,
        secret,
    })
}

/// Revokes the key minted for `token` at its provider and removes it from the vault.
pub fn revoke_for_token(
    ctx: &Context,
    token: &str,
    minted: &crate::proxy::token::MintedKey,
) -> Result<()> {
    let home = ctx.settings.paths.home();
    let seal = Seal::of(ctx)?;
    let record = record::read(home)?;
    let made: Vec<Made> = record
        .made
        .into_iter()
        .filter(|m| {
            m.purpose == Purpose::Token
                && m.token.as_deref() == Some(token)
                && matches!(m.state, State::Intent | State::Live)
                && seal.made_ok(m)
        })
        .collect();
    let config = ctx.config()?;
    let mut failed = None;
    for m in &made {
        let decl = config.admin(&m.admin)?;
        let client = connect(ctx, decl)?;
        // A live entry is revoked by id; an intent is swept by name.
        let outcome = match &m.key_id {
            Some(id) => client.revoke(&RemoteKey {
                id: id.clone(),
                account: m.account.clone(),
                name: m.name.clone(),
                active: true,
                expires_at: None,
                hint: None,
            }),
            None => sweep::sweep(ctx, &client).map(|s| s.report(ctx)),
        };
        ctx.audit_now(
            admin_entry("admin.revoke", &decl.name, Some(&minted.secret)),
            outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        match outcome {
            Ok(()) => sweep::mark(home, &seal, &m.name, State::Revoked, None)?,
            Err(e) => {
                sweep::mark(home, &seal, &m.name, State::Live, Some(e.to_string()))?;
                failed = Some(e);
            }
        }
    }
    let vault = ctx.registry()?.store("vault")?;
    ctx.audited(
        vec![Entry::secret(
            "secret.remove",
            &minted.secret,
            Some(vault.name()),
        )],
        || vault.delete(&minted.secret).map(drop),
    )?;
    match failed {
        None => Ok(()),
        Some(e) => {
            output::warn(
                &ctx.settings,
                &format!(
                    "the key minted for token '{token}' could not be revoked ({e}); it expires \
                     with the token, and the next `byok admin sweep` tries again"
                ),
            );
            Err(e)
        }
    }
}
