//! `byok proxy` (run, `--background`), `proxy token create|list|revoke`, `proxy status`,
//! `proxy stop`, and `byok exec --via-proxy`: thin layers over [`crate::proxy`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use zeroize::Zeroizing;

use crate::cli::{
    ExecArgs, ProxyArgs, ProxyCommand, ProxyServeArgs, ProxyTokenCommand, TokenCreateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::provider::catalog;
use crate::proxy::route::{Router, Upstream};
use crate::proxy::scrub::Keys;
use crate::proxy::server::{self, Shared};
use crate::proxy::state::{self, ProxyLock};
use crate::proxy::token::{self, TokenCache, TokenFile, TokenRecord};
use crate::proxy::{Options, Wire};
use crate::store::registry::value_of;

pub fn run(ctx: &Context, args: ProxyArgs) -> Result<()> {
    match args.command {
        None => serve(ctx, &args.serve),
        Some(ProxyCommand::Token(ProxyTokenCommand::Create(a))) => token_create(ctx, &a),
        Some(ProxyCommand::Token(ProxyTokenCommand::List(a))) => token_list(ctx, a.json),
        Some(ProxyCommand::Token(ProxyTokenCommand::Revoke(a))) => token_revoke(ctx, &a.name),
        Some(ProxyCommand::Status(a)) => status(ctx, a.listen.as_deref(), a.json),
        Some(ProxyCommand::Stop(a)) => stop(ctx, a.listen.as_deref()),
    }
}

/// A loopback listen address.
fn parse_listen(text: &str) -> Result<SocketAddr> {
    let addr: SocketAddr = text.parse().map_err(|_| {
        Error::Usage(format!(
            "invalid --listen '{text}': expected IP:PORT, e.g. {}",
            crate::proxy::DEFAULT_LISTEN
        ))
    })?;
    if !addr.ip().is_loopback() {
        return Err(Error::Usage(format!(
            "refusing --listen {addr}: byok proxy listens on loopback only (127.0.0.1, ::1)"
        )));
    }
    Ok(addr)
}

fn token_file(ctx: &Context) -> TokenFile {
    TokenFile::new(
        ctx.settings.paths.home(),
        std::sync::Arc::clone(ctx.unlocker()),
    )
}

// ---- serving ---------------------------------------------------------------------------

fn serve(ctx: &Context, args: &ProxyServeArgs) -> Result<()> {
    let listen = parse_listen(&args.listen)?;
    if args.background {
        let status = start_background(ctx, args, listen)?;
        output::print(&format!("http://{}\n", status.listen))?;
        return Ok(());
    }
    // The lock first: a second proxy on this address fails before unlocking anything.
    let home = ctx.settings.paths.home().to_path_buf();
    if !ctx.settings.paths.vault().exists() {
        return Err(Error::NotInitialised { home });
    }
    let lock = ProxyLock::acquire(&home, &listen)?;
    let shared = prepare(ctx, args, listen)?;
    let count = shared.router.upstreams.len();
    server::run(shared, lock, |addr| {
        output::status(&format!(
            "byok proxy on http://{addr} ({count} connector(s)); \
                 OPENAI_BASE_URL=http://{addr}/v1 ANTHROPIC_BASE_URL=http://{addr}; \
                 placeholders: `byok proxy token create NAME`"
        ));
    })
}

/// Reads connectors, keys, aliases and tokens into what the server shares.
fn prepare(ctx: &Context, args: &ProxyServeArgs, listen: SocketAddr) -> Result<Shared> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    config.check_connectors(&settings.paths.config())?;
    for name in &args.connectors {
        config.get(name)?;
    }
    let chosen: Vec<_> = config
        .active()
        .filter(|c| args.connectors.is_empty() || args.connectors.contains(&c.name))
        .collect();
    let registry = ctx.registry()?;
    let mut upstreams = Vec::new();
    let mut key_values: Vec<Zeroizing<String>> = Vec::new();
    let mut cache: HashMap<String, secrecy::SecretString> = HashMap::new();
    for connector in chosen {
        let Some(spec) = catalog::lookup(&connector.kind) else {
            continue;
        };
        let served = match crate::proxy::serving::serving(spec, connector) {
            Ok(served) => served,
            Err(why) => {
                output::status(&format!(
                    "byok proxy: not serving connector '{}' ({}): {why}",
                    connector.name, connector.kind
                ));
                continue;
            }
        };
        let key = match &connector.secret {
            None => None,
            Some(reference) => {
                if let Some(k) = cache.get(reference) {
                    Some(k.clone())
                } else {
                    let found = registry.resolve(reference, None)?;
                    let value = value_of(&found, crate::names::DEFAULT_FIELD)?;
                    // One audit entry per key per run: the proxy reads each key once, here.
                    ctx.audit_now(
                        crate::audit::Entry::secret(
                            "secret.read",
                            reference,
                            Some(found.store.name()),
                        ),
                        Ok(()),
                    )?;
                    key_values.push(Zeroizing::new(value.expose().to_owned()));
                    let secret = secrecy::SecretString::from(value.expose().to_owned());
                    cache.insert(reference.clone(), secret.clone());
                    Some(secret)
                }
            }
        };
        upstreams.push(Upstream {
            name: connector.name.clone(),
            wire: served.wire,
            base_url: served.base_url,
            auth: served.auth,
            key,
            model: served.model,
            globs: config.connector_models(&connector.name).to_vec(),
        });
    }
    if upstreams.is_empty() {
        return Err(Error::NoProxyConnectors);
    }
    let tokens = TokenCache::open(token_file(ctx))?;
    let client = crate::net::client(
        Duration::from_secs(24 * 3600),
        &crate::net::ProxySettings::from_env(&settings.parent_env),
    )
    .map_err(|e| Error::Http(e.to_string()))?;
    Ok(Shared {
        router: Router::new(upstreams, config.aliases().clone()),
        tokens,
        keys: std::sync::Arc::new(Keys::new(key_values)),
        client,
        options: Options {
            listen,
            connectors: args.connectors.clone(),
            timeout: args.timeout,
            cooldown: args.cooldown,
        },
        home: settings.paths.home().to_path_buf(),
        started: output::now_rfc3339(),
    })
}

/// Starts `byok proxy` detached and returns once it serves.
fn start_background(
    ctx: &Context,
    args: &ProxyServeArgs,
    listen: SocketAddr,
) -> Result<state::Status> {
    let home = ctx.settings.paths.home().to_path_buf();
    if let Some(status) = state::read_status(&home, &listen) {
        return Err(Error::ProxyRunning {
            listen: status.listen,
        });
    }
    crate::fsutil::create_private_dir(&home)?;
    crate::fsutil::create_private_dir(&state::dir(&home))?;
    let log = state::log_path(&home, &listen);
    let log_file = {
        let mut o = std::fs::OpenOptions::new();
        o.create(true).write(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&log).map_err(Error::io("open", &log))?
    };
    let exe = std::env::current_exe().map_err(Error::io("find", "the byok executable"))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--home")
        .arg(&home)
        .arg("proxy")
        .arg("--listen")
        .arg(listen.to_string())
        .arg("--timeout")
        .arg(format!("{}ms", args.timeout.as_millis()))
        .arg("--cooldown")
        .arg(format!("{}s", args.cooldown.as_secs()));
    for c in &args.connectors {
        cmd.arg("--connector").arg(c);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file));
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|source| Error::CannotExecute {
        program: "byok proxy".into(),
        source,
    })?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(6).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(Error::ProxyStart {
                reason: format!("the background proxy exited:\n{}", tail.join("\n")),
            });
        }
        if let Some(status) = state::read_status(&home, &listen)
            && status.pid == child.id()
        {
            return Ok(status);
        }
        if Instant::now() > deadline {
            return Err(Error::ProxyStart {
                reason: format!(
                    "it did not start serving within 30 s (log: {})",
                    log.display()
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---- tokens ------------------------------------------------------------------------------

fn token_create(ctx: &Context, args: &TokenCreateArgs) -> Result<()> {
    let (value, record) = mint(ctx, &args.name, args.expires, &args.models)?;
    if args.json {
        output::print_json(&json!({
            "name": args.name, "token": value.expose(), "created": record.created,
            "expires": record.expires, "models": record.models,
        }))
    } else {
        output::print(&format!("{}\n", value.expose()))
    }
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
fn mint(
    ctx: &Context,
    name: &str,
    expires: Option<Duration>,
    models: &[String],
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
    let (value, hash) = token::generate()?;
    let record = TokenRecord {
        sha256: hash,
        created: output::now_rfc3339(),
        expires: expires
            .map(|d| humantime::format_rfc3339_seconds(SystemTime::now() + d).to_string()),
        models: models.to_vec(),
    };
    let stored = record.clone();
    token_file(ctx).modify(|doc| {
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
    let doc = token_file(ctx).load()?;
    let now = SystemTime::now();
    if json {
        let list: Vec<_> = doc
            .tokens
            .iter()
            .map(|(name, r)| {
                json!({"name": name, "created": r.created, "expires": r.expires,
                    "expired": r.expired(now), "models": r.models})
            })
            .collect();
        return output::print_json(&list);
    }
    if doc.tokens.is_empty() {
        output::status("no placeholder tokens; create one with `byok proxy token create NAME`");
        return Ok(());
    }
    let mut table = output::table(&ctx.settings, &["NAME", "CREATED", "EXPIRES", "MODELS"]);
    for (name, r) in &doc.tokens {
        let expires = match &r.expires {
            None => "never".to_owned(),
            Some(e) if r.expired(now) => format!("{e} (expired)"),
            Some(e) => e.clone(),
        };
        let models = if r.models.is_empty() {
            "any".to_owned()
        } else {
            r.models.join(" ")
        };
        table.add_row(vec![name.clone(), r.created.clone(), expires, models]);
    }
    output::print_table(&table)
}

fn token_revoke(ctx: &Context, name: &str) -> Result<()> {
    token_file(ctx).modify(|doc| {
        if doc.tokens.remove(name).is_none() {
            return Err(Error::TokenNotFound {
                name: name.to_owned(),
                suggestion: crate::error::suggest(name, doc.tokens.keys().map(String::as_str)),
            });
        }
        Ok(())
    })?;
    output::status(&format!("revoked token '{name}'"));
    Ok(())
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
        let mut text = String::new();
        for s in &list {
            text.push_str(&format!(
                "http://{}  pid {}  since {}\n",
                s.listen, s.pid, s.started
            ));
            for c in &s.connectors {
                let health = match (&c.unhealthy_until, &c.reason) {
                    (Some(until), Some(reason)) => format!("unhealthy ({reason}) until {until}"),
                    _ => "healthy".to_owned(),
                };
                text.push_str(&format!(
                    "  {}  {}  {}  {health}\n",
                    c.name,
                    c.wire,
                    if c.models.is_empty() {
                        "-".to_owned()
                    } else {
                        c.models.join(" ")
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

fn stop(ctx: &Context, listen: Option<&str>) -> Result<()> {
    let home = ctx.settings.paths.home();
    let addr = parse_listen(listen.unwrap_or(crate::proxy::DEFAULT_LISTEN))?;
    let Some(status) = state::read_status(home, &addr) else {
        return Err(Error::ProxyNotRunning {
            listen: addr.to_string(),
        });
    };
    terminate(status.pid)?;
    let deadline = Instant::now() + Duration::from_secs(310);
    while ProxyLock::held(home, &addr) {
        if Instant::now() > deadline {
            return Err(Error::ProxyStart {
                reason: format!("the proxy (pid {}) did not stop", status.pid),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    output::status(&format!("stopped the byok proxy on http://{addr}"));
    Ok(())
}

#[cfg(unix)]
fn terminate(pid: u32) -> Result<()> {
    let pid = rustix::process::Pid::from_raw(pid as i32)
        .ok_or_else(|| Error::Usage("the status file names no process".into()))?;
    rustix::process::kill_process(pid, rustix::process::Signal::TERM)
        .map_err(|e| Error::Http(format!("could not signal the proxy: {e}")))
}

#[cfg(not(unix))]
fn terminate(_pid: u32) -> Result<()> {
    Err(Error::Usage("`byok proxy stop` needs a Unix system".into()))
}

// ---- exec --via-proxy ------------------------------------------------------------------------

/// `byok exec --via-proxy`: a running proxy (or one started in the background), a fresh
/// placeholder for this run (revoked when the command exits), and the base-URL and key
/// variables pointing at the proxy.
pub fn exec_via_proxy(ctx: &Context, args: ExecArgs) -> Result<()> {
    let settings = &ctx.settings;
    let listen = parse_listen(crate::proxy::DEFAULT_LISTEN)?;
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
    if args.targets.is_empty() {
        wires = vec![Wire::OpenAi, Wire::Anthropic];
    }
    // A named placeholder is minted fresh for this run: an existing one's value cannot be
    // shown again (only its hash is kept), so it is refused before any proxy is started.
    if let Some(name) = &args.token {
        check_token_name(name)?;
        if token_file(ctx).load()?.tokens.contains_key(name) {
            return Err(Error::ExecTokenExists { name: name.clone() });
        }
    }
    let home = settings.paths.home().to_path_buf();
    let status = match state::read_status(&home, &listen) {
        Some(s) => s,
        None => start_background(
            ctx,
            &ProxyServeArgs {
                listen: listen.to_string(),
                connectors: args.targets.clone(),
                background: true,
                timeout: Duration::from_secs(300),
                cooldown: Duration::from_secs(300),
            },
            listen,
        )?,
    };
    let name = args
        .token
        .clone()
        .unwrap_or_else(|| format!("exec-{}", std::process::id()));
    // A day at most, should byok be killed before it can revoke it.
    let (value, _) =
        mint(ctx, &name, Some(Duration::from_secs(24 * 3600)), &[]).map_err(|e| match e {
            Error::TokenExists { name } => Error::ExecTokenExists { name },
            e => e,
        })?;
    let mut command = args.command.into_iter();
    let program = command.next().expect("clap requires CMD");
    let mut env: Vec<(std::ffi::OsString, std::ffi::OsString)> = settings
        .parent_env
        .iter()
        .filter(|(n, _)| {
            ![
                crate::paths::ENV_PASSPHRASE,
                crate::paths::ENV_PASSPHRASE_FILE,
                crate::paths::ENV_IDENTITY_FILE,
            ]
            .iter()
            .any(|x| n == x)
        })
        .filter(|(n, _)| {
            !args.clean_env || crate::commands::exec::CLEAN_ENV_KEEP.iter().any(|x| n == x)
        })
        .map(|(n, v)| (n.to_os_string(), v.to_os_string()))
        .collect();
    let root = format!("http://{}", status.listen);
    let mut set = |k: &str, v: &str| {
        env.retain(|(n, _)| n != k);
        env.push((k.into(), v.into()));
    };
    if wires.contains(&Wire::OpenAi) {
        set("OPENAI_BASE_URL", &format!("{root}/v1"));
        set("OPENAI_API_KEY", value.expose());
    }
    if wires.contains(&Wire::Anthropic) {
        set("ANTHROPIC_BASE_URL", &root);
        set("ANTHROPIC_API_KEY", value.expose());
    }
    // A real key under the Bearer variable would be stripped by the proxy anyway; do not
    // hand it to the command either.
    env.retain(|(n, _)| n != "ANTHROPIC_AUTH_TOKEN");
    let spec = crate::run_child::ChildSpec {
        program,
        args: command.collect(),
        env,
    };
    spec.check_program()?;
    let code = crate::run_child::supervise(&spec, None);
    let revoke = token_file(ctx).modify(|doc| {
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
    match code? {
        0 => Ok(()),
        code => Err(Error::ChildExit { code }),
    }
}
