//! `byok proxy` (run, `--background`), `proxy token create|list|revoke`, `proxy status`,
//! `proxy stop`, and `byok exec --via-proxy`: thin layers over [`crate::proxy`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::cli::{
    ExecArgs, ProxyArgs, ProxyCommand, ProxyServeArgs, ProxyTokenCommand, TokenCreateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::provider::catalog;
use crate::proxy::server::{self};
use crate::proxy::state::{self, ProxyLock};
use crate::proxy::token::{self, TokenRecord};
use crate::proxy::{Options, Wire, agent_proof};
use crate::term::output;

pub fn run(ctx: &Context, args: ProxyArgs) -> Result<()> {
    match args.command {
        None => serve(ctx, &args.serve),
        Some(ProxyCommand::Token(ProxyTokenCommand::Create(a))) => token_create(ctx, &a),
        Some(ProxyCommand::Token(ProxyTokenCommand::List(a))) => token_list(ctx, a.json),
        Some(ProxyCommand::Token(ProxyTokenCommand::Revoke(a))) => token_revoke(ctx, &a.name),
        Some(ProxyCommand::Status(a)) => status(ctx, a.listen.as_deref(), a.json),
        Some(ProxyCommand::Pin(a)) => pin(ctx, a.yes),
        Some(ProxyCommand::AgentProof(a)) => agent_proof_state(ctx, a.state.as_deref()),
        Some(ProxyCommand::Stop(a)) => {
            let status = find_proxy(ctx, a.listen.as_deref())?;
            crate::proxy::daemon::stop(ctx.settings.paths.home(), addr_of(&status)?)
        }
        Some(ProxyCommand::Reload(a)) => reload(ctx, a.listen.as_deref()),
    }
}

/// The home's running proxy: the one on `--listen` when given, else the only one running,
/// else (several) the one on the configured or default address. Each records its address in
/// the home (`proxy/<address>.json`), so it is found wherever it listens.
fn find_proxy(ctx: &Context, flag: Option<&str>) -> Result<state::Status> {
    let home = ctx.settings.paths.home();
    if let Some(text) = flag {
        let addr = parse_listen(text)?;
        return state::read_status(home, &addr).ok_or_else(|| Error::ProxyNotRunning {
            listen: addr.to_string(),
        });
    }
    let mut running = state::running(home);
    // config.toml is read only when the choice needs it: `proxy reload` must reach the
    // home's proxy even when the config it would reload is broken.
    let default = || listen_addr(ctx, None).map(|a| a.to_string());
    match running.len() {
        0 => Err(Error::ProxyNotRunning {
            listen: format!("{} (nor on any other address, for this home)", default()?),
        }),
        1 => Ok(running.remove(0)),
        n => {
            let default = default()?;
            match running.iter().position(|s| s.listen == default) {
                Some(i) => Ok(running.remove(i)),
                None => Err(Error::Usage(format!(
                    "{n} byok proxies run for this home ({}): name one with --listen",
                    running
                        .iter()
                        .map(|s| s.listen.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
    }
}

fn addr_of(status: &state::Status) -> Result<SocketAddr> {
    status
        .listen
        .parse()
        .map_err(|_| Error::Usage("the proxy's status file names no address".into()))
}

/// `byok proxy reload`: SIGHUP to the home's proxy, then its answer from the status file.
fn reload(ctx: &Context, flag: Option<&str>) -> Result<()> {
    reload_one(ctx, find_proxy(ctx, flag)?)
}

/// Reloads every proxy of this home that can reload (an agent-proof proxy never reads the
/// disk again); returns the addresses that could not, each with why.
pub fn reload_all(ctx: &Context) -> Vec<(String, String)> {
    let mut refused = Vec::new();
    for status in state::running(ctx.settings.paths.home()) {
        let listen = status.listen.clone();
        if let Err(e) = reload_one(ctx, status) {
            refused.push((listen, e.to_string()));
        }
    }
    refused
}

/// Asks the running proxy `status` to reload and waits for its answer.
pub fn reload_one(ctx: &Context, status: state::Status) -> Result<()> {
    if status.agent_proof.is_some() {
        return Err(Error::AgentProofRefused {
            reason: crate::proxy::server::AGENT_PROOF_NO_RELOAD.into(),
        });
    }
    let addr = addr_of(&status)?;
    let before = status.reload.as_ref().map_or(0, |r| r.count);
    crate::proxy::daemon::signal_reload(status.pid)?;
    let home = ctx.settings.paths.home();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let now = state::read_status(home, &addr).ok_or_else(|| Error::ProxyNotRunning {
            listen: addr.to_string(),
        })?;
        if let Some(r) = now.reload.filter(|r| r.count > before) {
            if r.ok {
                let names: Vec<&str> = now.connectors.iter().map(|c| c.name.as_str()).collect();
                output::status(&format!(
                    "reloaded the byok proxy on http://{addr}; connectors in order: {}",
                    names.join(", ")
                ));
                return Ok(());
            }
            return Err(Error::ProxyStart {
                reason: format!(
                    "the proxy on http://{addr} kept its previous config: {}",
                    r.message.unwrap_or_default()
                ),
                hint: "fix what the message names (`byok doctor` checks config.toml), then \
                       `byok proxy reload` again"
                    .into(),
            });
        }
        if std::time::Instant::now() > deadline {
            return Err(Error::ProxyStart {
                reason: format!("the proxy on http://{addr} did not answer the reload"),
                hint: "`byok proxy status` shows it; restart it with `byok proxy stop` and \
                       `byok proxy`"
                    .into(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A loopback listen address.
fn parse_listen(text: &str) -> Result<SocketAddr> {
    loopback_addr(text).map_err(|why| Error::Usage(format!("invalid --listen: {why}")))
}

/// A loopback `IP:PORT`, or why not.
fn loopback_addr(text: &str) -> std::result::Result<SocketAddr, String> {
    let addr: SocketAddr = text.parse().map_err(|_| {
        format!(
            "'{}' is not IP:PORT, e.g. {}",
            crate::term::sanitize::line(text).into_owned(),
            crate::proxy::DEFAULT_LISTEN
        )
    })?;
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{addr} is not a loopback address: byok proxy listens on loopback only (127.0.0.1, ::1)"
        ));
    }
    Ok(addr)
}

/// The proxy's address: `--listen` when given, else `listen` under `[proxy]` in
/// config.toml, else 127.0.0.1:8787.
fn listen_addr(ctx: &Context, flag: Option<&str>) -> Result<SocketAddr> {
    if let Some(text) = flag {
        return parse_listen(text);
    }
    match &ctx.config()?.proxy().listen {
        Some(text) => loopback_addr(text).map_err(|why| Error::Config {
            path: ctx.settings.paths.config(),
            message: format!("`listen` under [proxy]: {why}"),
        }),
        None => parse_listen(crate::proxy::DEFAULT_LISTEN),
    }
}

/// What `byok proxy` was asked to serve, as the proxy's options.
fn serve_options(args: &ProxyServeArgs, listen: SocketAddr) -> Options {
    Options {
        listen,
        connectors: args.connectors.clone(),
        timeout: args.timeout,
        cooldown: args.cooldown,
        unreachable_cooldown: args.unreachable_cooldown,
    }
}

// ---- serving ---------------------------------------------------------------------------

fn serve(ctx: &Context, args: &ProxyServeArgs) -> Result<()> {
    // Before byok opens any file of its own (see agent_proof::take_passphrase_fd).
    let passphrase_fd = args
        .passphrase_fd
        .map(agent_proof::take_passphrase_fd)
        .transpose()?;
    let listen = listen_addr(ctx, args.listen.as_deref())?;
    // config.toml is read here once: connectors are a snapshot for the proxy's life.
    let agent_proof = agent_proof::enabled(args.agent_proof, ctx.config()?);
    if (args.check || args.accept_same_user_ptrace) && !agent_proof {
        return Err(Error::Usage(
            "--check and --accept-same-user-ptrace are for agent-proof mode (add --agent-proof)"
                .into(),
        ));
    }
    if args.check {
        return check_agent_proof(ctx, args.accept_same_user_ptrace);
    }
    if passphrase_fd.is_some() && !agent_proof {
        return Err(Error::Usage(
            "--passphrase-fd is for agent-proof mode (add --agent-proof)".into(),
        ));
    }
    if agent_proof && args.background {
        return Err(Error::AgentProofRefused {
            reason: "--background cannot take the passphrase; run it on a terminal, or under a \
                     service manager with --passphrase-fd (docs/agent-proof.md shows a systemd unit)"
                .into(),
        });
    }
    if args.background {
        let status = crate::proxy::daemon::start(ctx, &serve_options(args, listen))?;
        output::print(&format!("http://{}\n", status.listen))?;
        return Ok(());
    }
    // The lock first: a second proxy on this address fails before unlocking anything.
    let home = ctx.settings.paths.home().to_path_buf();
    if !ctx.settings.paths.vault().exists() {
        return Err(Error::NotInitialised { home });
    }
    let lock = ProxyLock::acquire(&home, &listen)?;
    let mut memory = agent_proof.then(crate::os::memlock::Report::default);
    if agent_proof {
        unlock_agent_proof(ctx, passphrase_fd, args.accept_same_user_ptrace)?;
    }
    let shared = crate::proxy::build::shared(ctx, serve_options(args, listen), memory.as_mut())?;
    if let Some(memory) = memory {
        let (non_dumpable, core_limit_zero) = agent_proof::check_process()?;
        output::status(&format!(
            "agent-proof: non-dumpable, no core files, no session cache; memory {memory}; \
             connectors are fixed until restart"
        ));
        agent_proof::set_report(agent_proof::StatusReport {
            non_dumpable,
            core_limit_zero,
            memory_locked: memory.complete(),
            memory: memory.to_string(),
            traced_by: None,
        });
        // A tracer that attaches later (root, or after a kernel change) or a lost
        // non-dumpable flag stops the proxy within a second.
        agent_proof::start_watchdog();
        // From now on `byok unlock` refuses in this home: recorded in the vault, which the
        // agent cannot rewrite without the identity.
        if !agent_proof::home_is_agent_proof(ctx)? {
            agent_proof::record_home(ctx, true)?;
        }
    }
    let count = shared.router.upstreams.len();
    let api_names: Vec<String> = shared.apis.iter().map(|a| a.decl.name.clone()).collect();
    let mode = if agent_proof { ", agent-proof" } else { "" };
    let options = serve_options(args, listen);
    let rebuild = || crate::proxy::build::shared(&ctx.reread(), options.clone(), None);
    server::run(
        shared,
        lock,
        |addr| {
            output::status(&format!(
                "byok proxy on http://{addr} ({count} connector(s){mode}); \
                 OPENAI_BASE_URL=http://{addr}/v1 ANTHROPIC_BASE_URL=http://{addr}; \
                 placeholders: `byok proxy token create NAME`"
            ));
            for name in &api_names {
                output::status(&format!(
                    "byok proxy: API '{name}' at http://{addr}/api/{name} (placeholders: \
                     `byok proxy token create NAME --api {name}`)"
                ));
            }
        },
        (!agent_proof).then_some(&rebuild as &dyn Fn() -> Result<crate::proxy::server::Shared>),
    )
}

/// Agent-proof start-up: every condition holds, then the passphrase from the proxy's own
/// prompt or descriptor unlocks `identity.age`, and nothing else.
fn unlock_agent_proof(
    ctx: &Context,
    fd: Option<agent_proof::PassphraseFd>,
    accept_ptrace: bool,
) -> Result<()> {
    let settings = &ctx.settings;
    let mut checks = agent_proof::checks_before_unlock(settings, accept_ptrace);
    checks.extend(agent_proof::checks_team_logins(settings, ctx.config()?));
    let unmet: Vec<_> = checks
        .iter()
        .filter_map(agent_proof::Check::unmet)
        .collect();
    if !unmet.is_empty() {
        return Err(Error::AgentProofUnmet { unmet });
    }
    crate::os::home_trust::check_home(&settings.paths)?;
    let (passphrase, source) = agent_proof::read_passphrase(settings, fd)?;
    let identity = crate::unlock::decrypt_identity(&settings.paths.identity_age(), passphrase)?;
    if !ctx
        .unlocker()
        .provide(crate::unlock::Unlocked { identity, source })
    {
        return Err(Error::AgentProofRefused {
            reason: "the vault was unlocked from another source before the passphrase was read"
                .into(),
        });
    }
    Ok(())
}

/// `byok proxy --agent-proof --check`: every condition checked before the passphrase, as met
/// (✓), unmet (✗) or cannot verify (?), with the fix; nothing is unlocked or started.
fn check_agent_proof(ctx: &Context, accept_ptrace: bool) -> Result<()> {
    let settings = &ctx.settings;
    let mut checks = agent_proof::checks_before_unlock(settings, accept_ptrace);
    checks.extend(agent_proof::checks_team_logins(settings, ctx.config()?));
    let mut text = String::new();
    let mut shown: Vec<&str> = Vec::new();
    for check in &checks {
        let all_met = checks
            .iter()
            .filter(|c| c.condition == check.condition)
            .all(|c| c.state == agent_proof::State::Met);
        match &check.state {
            agent_proof::State::Met if all_met => {
                if !shown.contains(&check.condition) {
                    text.push_str(&format!("✓ {}\n", check.condition));
                    shown.push(check.condition);
                }
            }
            agent_proof::State::Met => {}
            agent_proof::State::Unmet(found) => {
                text.push_str(&format!(
                    "✗ {}: {found}\n    fix: {}\n",
                    check.condition, check.fix
                ));
            }
            agent_proof::State::CannotVerify(why) => text.push_str(&format!(
                "? {}: cannot verify: {why}\n    fix: {}\n",
                check.condition, check.fix
            )),
        }
    }
    text.push_str(
        "The stores of the served keys are checked when the proxy starts, after the \
         passphrase (only the vault, and age-file stores opened with the home's identity, \
         may be served).\n",
    );
    output::print(&text)?;
    let failing = checks.iter().filter(|c| c.unmet().is_some()).count();
    if failing == 0 {
        Ok(())
    } else {
        Err(Error::AgentProofRefused {
            reason: format!("{failing} condition(s) unmet or unverifiable (listed above)"),
        })
    }
}

/// `byok proxy agent-proof [on|off]`: shows or sets what the vault records.
fn agent_proof_state(ctx: &Context, state: Option<&str>) -> Result<()> {
    let Some(state) = state else {
        let on = agent_proof::home_is_agent_proof(ctx)?;
        return output::print(if on { "on\n" } else { "off\n" });
    };
    require_typed_passphrase(ctx, "changing whether this home is agent-proof")?;
    agent_proof::record_home(ctx, state == "on")?;
    output::status(&format!(
        "This home is agent-proof: {state} (recorded in the vault)."
    ));
    Ok(())
}

/// The identity must come from the passphrase (prompt, file or variable), never from an
/// identity file, the session cache or the keychain.
pub(crate) fn require_typed_passphrase(ctx: &Context, what: &str) -> Result<()> {
    use crate::unlock::IdentitySource;
    let unlocked = ctx.unlocker().get()?;
    if matches!(
        unlocked.source,
        IdentitySource::Prompt | IdentitySource::PassphraseFile | IdentitySource::PassphraseEnv
    ) {
        return Ok(());
    }
    Err(Error::AgentProofRefused {
        reason: format!(
            "{what} needs the vault passphrase; the identity came from {}",
            unlocked.source
        ),
    })
}

/// `byok proxy pin`: records the routes `config.toml` declares now as the ones an
/// agent-proof proxy may serve. Needs the identity from the passphrase (never an identity
/// file, the session cache or the keychain): the pin is what stops an agent that edits
/// `config.toml` from re-pointing a key.
fn pin(ctx: &Context, yes: bool) -> Result<()> {
    use crate::proxy::pin;
    let settings = &ctx.settings;
    require_typed_passphrase(ctx, "pinning the proxy's routes")?;
    let unlocked = ctx.unlocker().get()?;
    let config = ctx.config()?;
    config.check_connectors(&settings.paths.config())?;
    // A vault from before vaults carried the identity's MAC is sealed now: the person with
    // the passphrase vouches for it, as for the routes.
    let vault = ctx.registry()?.home_vault();
    if vault.mac_state()? != crate::store::vault::doc::MacState::Valid {
        let names: Vec<String> = ctx
            .registry()?
            .store("vault")?
            .list()?
            .into_iter()
            .map(|m| m.reference)
            .collect();
        eprintln!(
            "The vault carries no MAC of this identity yet; it holds: {}",
            crate::term::sanitize::line(&names.join(", "))
        );
        if !yes {
            if !settings.interactive() {
                return Err(Error::NeedsConfirmation {
                    action: "seal the vault and pin the routes".into(),
                });
            }
            if !crate::prompt::confirm("Are these your secrets? Seal the vault")? {
                return Err(Error::Cancelled);
            }
        }
        vault.modify(|_| Ok(()))?;
        output::status("Sealed the vault with the identity's MAC.");
    }
    let now = pin::routes_of_config(config, &[]);
    let home = settings.paths.home();
    let before = pin::trusted_routes(home, &unlocked.identity).unwrap_or_default();
    let changes = pin::changes(&before, &now);
    if changes.is_empty() {
        output::status("The routing pin already holds these routes.");
        return Ok(());
    }
    eprintln!("Routes to pin:\n  {}", changes.join("\n  "));
    if !yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: "pin these routes".into(),
            });
        }
        if !crate::prompt::confirm("Pin these routes?")? {
            return Err(Error::Cancelled);
        }
    }
    pin::save(home, &settings.paths.lock(), &unlocked.identity, &now)?;
    output::status(&format!("Pinned {} route(s).", now.len()));
    Ok(())
}

/// While an agent-proof proxy runs or is configured, changing tokens needs the identity from
/// the passphrase: an identity file, the session cache or the keychain do not count.
fn require_passphrase(ctx: &Context) -> Result<()> {
    let home = ctx.settings.paths.home();
    let running = state::running(home).iter().any(|s| s.agent_proof.is_some());
    let configured = ctx.config()?.proxy().agent_proof;
    if !running && !configured {
        return Ok(());
    }
    use crate::unlock::IdentitySource;
    let unlocked = ctx.unlocker().get()?;
    match unlocked.source {
        IdentitySource::Prompt | IdentitySource::PassphraseFile | IdentitySource::PassphraseEnv => {
            Ok(())
        }
        ref other => Err(Error::AgentProofRefused {
            reason: format!(
                "changing placeholder tokens needs the vault passphrase while an agent-proof proxy \
                 is {}; the identity came from {other}",
                if running { "running" } else { "configured" }
            ),
        }),
    }
}

// ---- tokens ------------------------------------------------------------------------------

fn token_create(ctx: &Context, args: &TokenCreateArgs) -> Result<()> {
    // The APIs first: nothing is minted at a provider for a token that cannot be made.
    // (config.toml is read only for them: a token without --api needs no config.)
    let mut apis: Vec<&crate::config::ApiDecl> = Vec::new();
    for name in &args.apis {
        let api = ctx.config()?.api(name)?;
        if !apis.iter().any(|a| a.name == api.name) {
            apis.push(api);
        }
    }
    let scope = ApiScope {
        apis: apis.iter().map(|a| a.name.clone()).collect(),
        api_only: !apis.is_empty() && args.models.is_empty(),
    };
    // The proxy's configured (or default) address, for the APIs' URLs.
    let root = if apis.is_empty() {
        String::new()
    } else {
        format!("http://{}", listen_addr(ctx, None)?)
    };
    let budget = match &args.budget {
        None => None,
        Some(text) => {
            let parsed = crate::ledger::budget::Budget::parse(text).ok_or_else(|| {
                Error::Usage(format!(
                    "invalid --budget '{}': expected e.g. 5usd/day or 2Mtok/day (UTC days)",
                    crate::term::sanitize::line(&text.chars().take(40).collect::<String>())
                        .into_owned()
                ))
            })?;
            Some(parsed.to_string())
        }
    };
    let minted = match &args.mint {
        None => None,
        Some(connector) => {
            check_token_name(&args.name)?;
            // Refused before anything is made at the provider.
            if crate::proxy::build::token_file(ctx)
                .load()?
                .tokens
                .contains_key(&args.name)
            {
                return Err(Error::TokenExists {
                    name: args.name.clone(),
                });
            }
            let ttl = args.expires.expect("clap requires --expires with --mint");
            Some(crate::commands::admin::mint_for_token(
                ctx, &args.name, connector, ttl, args.limit,
            )?)
        }
    };
    let created = mint(
        ctx,
        &args.name,
        args.expires,
        &args.models,
        budget,
        minted.clone(),
        scope,
    );
    let (value, record) = match created {
        Ok(created) => created,
        Err(e) => {
            if let Some(minted) = &minted {
                let _ = crate::commands::admin::revoke_for_token(ctx, &args.name, minted);
            }
            return Err(e);
        }
    };
    if minted.is_some() {
        reload_for_tokens(ctx);
    }
    // What a program needs for each API.
    let env: serde_json::Map<String, serde_json::Value> = apis
        .iter()
        .flat_map(|a| crate::proxy::api::exports(a, &root, value.expose()))
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    if args.json {
        let mut object = json!({
            "name": args.name, "token": value.expose(), "created": record.created,
            "expires": record.expires, "models": record.models, "budget": record.budget,
        });
        if !apis.is_empty() {
            object["apis"] = json!(record.apis);
            object["env"] = serde_json::Value::Object(env);
        }
        output::print_json(&object)
    } else {
        for api in &apis {
            let names: Vec<&str> = api
                .env
                .iter()
                .chain(&api.url_env)
                .map(String::as_str)
                .collect();
            output::status(&format!(
                "API '{}' at {root}/api/{}{}",
                api.name,
                api.name,
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (for programs: {})", names.join(", "))
                }
            ));
        }
        output::print(&format!("{}\n", value.expose()))
    }
}

/// The tool APIs a new token may reach, and whether it is for them alone (no model).
#[derive(Default)]
pub(crate) struct ApiScope {
    apis: Vec<String>,
    api_only: bool,
}

fn check_token_name(name: &str) -> Result<()> {
    if !crate::names::is_valid_connector_name(name) {
        return Err(Error::Usage(format!(
            "invalid token name '{name}': a token name is {}",
            crate::names::CONNECTOR_NAME_RULE
        )));
    }
    Ok(())
}

/// Creates a token; returns its value (shown once) and record.
pub(crate) fn mint(
    ctx: &Context,
    name: &str,
    expires: Option<Duration>,
    models: &[String],
    budget: Option<String>,
    minted: Option<crate::proxy::token::MintedKey>,
    scope: ApiScope,
) -> Result<(crate::secret::SecretValue, TokenRecord)> {
    check_token_name(name)?;
    if let Some(bad) = models.iter().find(|m| m.is_empty() || m.len() > 256) {
        return Err(Error::Usage(format!(
            "invalid --models glob '{}': 1 to 256 bytes",
            bad.chars().take(40).collect::<String>()
        )));
    }
    if !ctx.settings.paths.vault().exists() {
        return Err(Error::NotInitialised {
            home: ctx.settings.paths.home().to_path_buf(),
        });
    }
    require_passphrase(ctx)?;
    let (value, hash) = token::generate()?;
    let record = TokenRecord {
        sha256: hash,
        created: output::now_rfc3339(),
        expires: expires
            .map(|d| humantime::format_rfc3339_seconds(SystemTime::now() + d).to_string()),
        models: models.to_vec(),
        budget,
        minted,
        apis: scope.apis,
        api_only: scope.api_only,
    };
    let stored = record.clone();
    crate::proxy::build::token_file(ctx).modify(|doc| {
        if doc.tokens.contains_key(name) {
            return Err(Error::TokenExists {
                name: name.to_owned(),
            });
        }
        doc.tokens.insert(name.to_owned(), stored);
        Ok(())
    })?;
    Ok((value, record))
}

fn token_list(ctx: &Context, json: bool) -> Result<()> {
    let doc = crate::proxy::build::token_file(ctx).load()?;
    let now = SystemTime::now();
    // Today's spend (UTC) per token, from the ledger when there is one.
    let clock = crate::ledger::Clock::from_settings(&ctx.settings);
    let spend = match crate::ledger::Ledger::open_existing(&ctx.settings)? {
        Some(ledger) => ledger.spend_by_token(clock.today_ms())?,
        None => HashMap::new(),
    };
    let spent = |name: &str| spend.get(name).copied().unwrap_or((0.0, 0));
    if json {
        let list: Vec<_> = doc
            .tokens
            .iter()
            .map(|(name, r)| {
                let (usd, tokens) = spent(name);
                json!({"name": name, "created": r.created, "expires": r.expires,
                    "expired": r.expired(now), "models": r.models, "budget": r.budget,
                    "minted_for": r.minted.as_ref().map(|m| &m.connector),
                    "apis": r.apis, "api_only": r.api_only,
                    "today": {"cost_usd": usd, "tokens": tokens}})
            })
            .collect();
        return output::print_json(&list);
    }
    if doc.tokens.is_empty() {
        output::status("no placeholder tokens; create one with `byok proxy token create NAME`");
        return Ok(());
    }
    let mut table = output::table(
        &ctx.settings,
        &[
            "NAME",
            "CREATED",
            "EXPIRES",
            "MODELS",
            "TODAY (UTC)",
            "BUDGET",
        ],
    );
    for (name, r) in &doc.tokens {
        let expires = match &r.expires {
            None => "never".to_owned(),
            Some(e) if r.expired(now) => format!("{e} (expired)"),
            Some(e) => e.clone(),
        };
        let mut models = if r.api_only {
            "none".to_owned()
        } else if r.models.is_empty() {
            "any".to_owned()
        } else {
            r.models.join(" ")
        };
        if !r.apis.is_empty() {
            models.push_str(&format!(" · api: {}", r.apis.join(" ")));
        }
        let (usd, tokens) = spent(name);
        let today = format!("{} · {tokens} tok", crate::ledger::render::usd(usd));
        let budget = match r
            .budget
            .as_deref()
            .and_then(crate::ledger::budget::Budget::parse)
        {
            None => "none".to_owned(),
            Some(b) if b.exceeded(usd, tokens) => format!("{b} (used up)"),
            Some(b) => b.to_string(),
        };
        table.add_row(vec![
            name.clone(),
            r.created.clone(),
            expires,
            models,
            today,
            budget,
        ]);
    }
    output::print_table(&table)
}

fn token_revoke(ctx: &Context, name: &str) -> Result<()> {
    require_passphrase(ctx)?;
    let mut removed = None;
    crate::proxy::build::token_file(ctx).modify(|doc| {
        match doc.tokens.remove(name) {
            Some(record) => removed = Some(record),
            None => {
                return Err(Error::TokenNotFound {
                    name: name.to_owned(),
                    suggestion: crate::error::suggest(name, doc.tokens.keys().map(String::as_str)),
                });
            }
        }
        Ok(())
    })?;
    output::status(&format!("revoked token '{name}'"));
    if let Some(minted) = removed.and_then(|r| r.minted) {
        // The token is gone first: no request can use its key while it is revoked.
        crate::commands::admin::revoke_for_token(ctx, name, &minted)?;
        reload_for_tokens(ctx);
    }
    Ok(())
}

/// Running proxies load minted keys when they build their state: reload them.
fn reload_for_tokens(ctx: &Context) {
    for (listen, why) in reload_all(ctx) {
        output::warn(
            &ctx.settings,
            &format!(
                "the proxy on {listen} did not reload ({why}); restart it to serve the token's key"
            ),
        );
    }
}

// ---- status and stop ---------------------------------------------------------------------

fn status(ctx: &Context, listen: Option<&str>, json: bool) -> Result<()> {
    let home = ctx.settings.paths.home();
    let list = match listen {
        Some(text) => {
            let addr = parse_listen(text)?;
            state::read_status(home, &addr).into_iter().collect()
        }
        None => state::running(home),
    };
    if json {
        output::print_json(&list)?;
    } else if list.is_empty() {
        output::status("no byok proxy is running for this home");
    } else {
        // The status file is writable by whoever runs as the user (an agent, in agent-proof
        // mode): every value read from it is escaped before it reaches the terminal.
        let l = |t: &str| crate::term::sanitize::line(t).into_owned();
        let mut text = String::new();
        for s in &list {
            text.push_str(&format!(
                "http://{}  pid {}  since {}\n",
                l(&s.listen),
                s.pid,
                l(&s.started)
            ));
            if let Some(a) = &s.agent_proof {
                text.push_str(&format!(
                    "  agent-proof: {}, {}; memory {}\n",
                    if a.non_dumpable {
                        "non-dumpable"
                    } else {
                        "DUMPABLE"
                    },
                    if a.core_limit_zero {
                        "no core files"
                    } else {
                        "core files allowed"
                    },
                    l(&a.memory)
                ));
                if let Some(tracer) = &a.traced_by {
                    text.push_str(&format!("  TRACED by {}\n", l(tracer)));
                }
                text.push_str(
                    "  reload: never from disk (agent-proof): restart with the passphrase\n",
                );
            }
            match &s.reload {
                Some(r) if r.ok => {
                    text.push_str(&format!("  last reload: {} (ok)\n", l(&r.at)));
                }
                Some(r) if s.agent_proof.is_none() => text.push_str(&format!(
                    "  last reload: {} REFUSED, still serving the previous config: {}\n",
                    l(&r.at),
                    crate::term::sanitize::line(r.message.as_deref().unwrap_or(""))
                )),
                _ => {}
            }
            for a in &s.apis {
                text.push_str(&format!(
                    "  api {}  {}  at http://{}/api/{}{}\n",
                    l(&a.name),
                    l(&a.base_url),
                    l(&s.listen),
                    l(&a.name),
                    a.recipe
                        .as_deref()
                        .map_or_else(String::new, |r| format!("  (recipe {})", l(r)))
                ));
            }
            for c in &s.connectors {
                let health = match (&c.unhealthy_until, &c.reason) {
                    (Some(until), Some(reason)) => {
                        format!("unhealthy ({}) until {}", l(reason), l(until))
                    }
                    _ => "healthy".to_owned(),
                };
                text.push_str(&format!(
                    "  {}  {}  {}  {health}\n",
                    l(&c.name),
                    l(&c.wire),
                    if c.models.is_empty() {
                        "-".to_owned()
                    } else {
                        l(&c.models.join(" "))
                    }
                ));
            }
        }
        output::print(&text)?;
    }
    if list.is_empty() && listen.is_some() {
        return Err(Error::ProxyNotRunning {
            listen: listen.unwrap_or_default().to_owned(),
        });
    }
    Ok(())
}

// ---- exec --via-proxy ------------------------------------------------------------------------

/// `byok exec --via-proxy`: a running proxy (or one started in the background), a fresh
/// placeholder for this run (revoked when the command exits), and the base-URL and key
/// variables pointing at the proxy.
pub fn exec_via_proxy(ctx: &Context, args: ExecArgs) -> Result<()> {
    let settings = &ctx.settings;
    let listen = listen_addr(ctx, args.listen.as_deref())?;
    let config = ctx.config()?;
    // TARGETs name connectors: the proxy started here serves only them, and only the
    // variables of their wires are set.
    let mut wires = Vec::new();
    for name in &args.targets {
        let c = config.get(name)?;
        if let Some(served) =
            catalog::lookup(&c.kind).and_then(|s| crate::proxy::serving::serving(s, c).ok())
        {
            wires.push(served.wire);
        }
    }
    // `--api NAME`: tool APIs the command may use; alone (no TARGET), nothing else.
    let mut apis: Vec<crate::config::ApiDecl> = Vec::new();
    for name in &args.apis {
        let api = config.api(name)?;
        if apis.iter().any(|a| a.name == api.name) {
            continue;
        }
        if let Some((v, other)) = api.env.iter().chain(&api.url_env).find_map(|v| {
            apis.iter()
                .find(|a| a.env.contains(v) || a.url_env.contains(v))
                .map(|a| (v, a.name.clone()))
        }) {
            return Err(Error::Usage(format!(
                "the APIs '{other}' and '{}' both set {v}: give one other `env`/`url_env` \
                 names in its [[api]] table, or run them separately",
                api.name
            )));
        }
        apis.push(api.clone());
    }
    if args.targets.is_empty() && apis.is_empty() {
        wires = vec![Wire::OpenAi, Wire::Anthropic];
    }
    // A named placeholder is minted fresh for this run: an existing one's value cannot be
    // shown again (only its hash is kept), so it is refused before any proxy is started.
    if let Some(name) = &args.token {
        check_token_name(name)?;
        if crate::proxy::build::token_file(ctx)
            .load()?
            .tokens
            .contains_key(name)
        {
            return Err(Error::ExecTokenExists { name: name.clone() });
        }
    }
    let home = settings.paths.home().to_path_buf();
    if let Some((status, value)) = agent_proof_target(ctx, &home, &listen)? {
        let code = run_via_proxy(settings, config, args, &wires, &apis, &status, &value)?;
        return match code {
            0 => Ok(()),
            code => Err(Error::ChildExit { code }),
        };
    }
    // The home's running proxy, wherever it listens; else one started for this command.
    let running = match find_proxy(ctx, args.listen.as_deref()) {
        Ok(status) => Some(status),
        Err(Error::ProxyNotRunning { .. }) => None,
        Err(e) => return Err(e),
    };
    let started = running.is_none();
    let status = match running {
        Some(s) => s,
        None => {
            let status = crate::proxy::daemon::start(
                ctx,
                &Options {
                    listen,
                    connectors: args.targets.clone(),
                    timeout: Duration::from_secs(300),
                    cooldown: Duration::from_secs(300),
                    unreachable_cooldown: Duration::from_secs(30),
                },
            )?;
            output::status(&format!(
                "byok: started a byok proxy on http://{} for this command; {}",
                status.listen,
                if args.keep_proxy {
                    "it keeps running (--keep-proxy): `byok proxy stop` stops it"
                } else {
                    "it stops when the command ends (--keep-proxy keeps it)"
                }
            ));
            status
        }
    };
    let keep_proxy = args.keep_proxy;
    // Whatever happens from here (a placeholder that cannot be minted included), a proxy
    // started for this command is stopped at the end.
    let code = mint_and_run(ctx, args, &wires, &apis, &status);
    if started && !keep_proxy {
        let stopped = addr_of(&status)
            .and_then(|addr| crate::proxy::daemon::stop_quietly(ctx.settings.paths.home(), addr));
        if let Err(e) = stopped {
            output::warn(
                settings,
                &format!("could not stop the proxy started for this command: {e}"),
            );
        }
    }
    match code? {
        0 => Ok(()),
        code => Err(Error::ChildExit { code }),
    }
}

/// A placeholder for this run (revoked when CMD exits), then CMD pointed at the proxy.
fn mint_and_run(
    ctx: &Context,
    args: ExecArgs,
    wires: &[Wire],
    apis: &[crate::config::ApiDecl],
    status: &state::Status,
) -> Result<u8> {
    let settings = &ctx.settings;
    let name = args
        .token
        .clone()
        .unwrap_or_else(|| format!("exec-{}", std::process::id()));
    // A day at most, should byok be killed before it can revoke it.
    let (value, _) = mint(
        ctx,
        &name,
        Some(Duration::from_secs(24 * 3600)),
        &[],
        None,
        None,
        ApiScope {
            apis: apis.iter().map(|a| a.name.clone()).collect(),
            // `--api` without TARGETs: the placeholder is for those APIs alone.
            api_only: !apis.is_empty() && args.targets.is_empty(),
        },
    )
    .map_err(|e| match e {
        Error::TokenExists { name } => Error::ExecTokenExists { name },
        e => e,
    })?;
    let code = run_via_proxy(
        settings,
        ctx.config()?,
        args,
        wires,
        apis,
        status,
        value.expose(),
    );
    let revoke = crate::proxy::build::token_file(ctx).modify(|doc| {
        doc.tokens.remove(&name);
        Ok(())
    });
    if let Err(e) = revoke {
        output::warn(
            settings,
            &format!(
                "could not revoke the placeholder '{name}': {e}; run `byok proxy token revoke {name}`"
            ),
        );
    }
    code
}

/// The agent-proof proxy `exec --via-proxy` must use, and the placeholder from
/// `BYOK_PROXY_TOKEN`; `None` when no agent-proof proxy runs or is configured.
fn agent_proof_target(
    ctx: &Context,
    home: &std::path::Path,
    listen: &SocketAddr,
) -> Result<Option<(state::Status, String)>> {
    let running: Vec<state::Status> = state::running(home)
        .into_iter()
        .filter(|s| s.agent_proof.is_some())
        .collect();
    let configured = ctx.config()?.proxy().agent_proof;
    if running.is_empty() && !configured {
        return Ok(None);
    }
    // The default address first, else the only agent-proof proxy of this home.
    let default = listen.to_string();
    let status = match running.iter().position(|s| s.listen == default) {
        Some(i) => running[i].clone(),
        None if running.len() == 1 => running[0].clone(),
        None if running.is_empty() => {
            return Err(Error::AgentProofRefused {
                reason: "no agent-proof proxy is running for this home, and exec cannot start \
                         one (it needs the passphrase): start `byok proxy --agent-proof` first"
                    .into(),
            });
        }
        None => {
            return Err(Error::AgentProofRefused {
                reason: format!(
                    "{} agent-proof proxies run for this home and none on {default}",
                    running.len()
                ),
            });
        }
    };
    let value = ctx
        .settings
        .parent_env
        .get(crate::paths::ENV_PROXY_TOKEN)
        .and_then(|v| v.to_str())
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    if value.is_empty() {
        return Err(Error::AgentProofRefused {
            reason: format!(
                "exec cannot create a placeholder for an agent-proof proxy; create one with \
                 `byok proxy token create NAME` (it asks for the passphrase) and put it in {}",
                crate::paths::ENV_PROXY_TOKEN
            ),
        });
    }
    if !token::is_placeholder(&value) {
        return Err(Error::Usage(format!(
            "{} is not a byok placeholder (sk-ant-byok01-…)",
            crate::paths::ENV_PROXY_TOKEN
        )));
    }
    Ok(Some((status, value)))
}

/// Runs the command with the base-URL and key variables of `wires` pointing at the proxy.
fn run_via_proxy(
    settings: &crate::settings::Settings,
    config: &crate::config::Config,
    args: ExecArgs,
    wires: &[Wire],
    apis: &[crate::config::ApiDecl],
    status: &state::Status,
    placeholder: &str,
) -> Result<u8> {
    let mut command = args.command.into_iter();
    let program = command.next().expect("clap requires CMD");
    let root = format!("http://{}", status.listen);
    let mut exports: Vec<(std::ffi::OsString, std::ffi::OsString)> = Vec::new();
    if wires.contains(&Wire::OpenAi) {
        exports.push(("OPENAI_BASE_URL".into(), format!("{root}/v1").into()));
        exports.push(("OPENAI_API_KEY".into(), placeholder.into()));
    }
    if wires.contains(&Wire::Anthropic) {
        exports.push(("ANTHROPIC_BASE_URL".into(), root.clone().into()));
        exports.push(("ANTHROPIC_API_KEY".into(), placeholder.into()));
    }
    for api in apis {
        if !status.apis.iter().any(|a| a.name == api.name) {
            output::warn(
                settings,
                &format!(
                    "the proxy on {root} does not serve the API '{}' (it started before the \
                     [[api]] table was added?): `byok proxy reload` or restart it",
                    api.name
                ),
            );
        }
        for (name, value) in crate::proxy::api::exports(api, &root, placeholder) {
            exports.push((name.into(), value.into()));
        }
    }
    let mut env = crate::export::child::environment(&settings.parent_env, args.clean_env, exports);
    // A real key under the Bearer variable would be stripped by the proxy anyway; do not
    // hand it to the command either.
    env.retain(|(n, _)| n != "ANTHROPIC_AUTH_TOKEN");
    crate::export::child::strip_store_credentials(config, &mut env);
    let spec = crate::export::child::ChildSpec {
        program,
        args: command.collect(),
        env,
    };
    spec.check_program()?;
    crate::export::child::supervise(&spec, None)
}
