//! `byok mcp` (the server: [`crate::mcp`]) and `byok approve`, which answers the access
//! requests its `request_access` tool records.

use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::cli::{ApproveArgs, McpArgs, McpCommand, McpPolicyCommand};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hygiene::audit::Entry;
use crate::mcp::policy;
use crate::mcp::request::{self, Answer, Loaded};
use crate::term::{output, sanitize};

/// `byok mcp [policy pin]`.
pub fn run(ctx: &Context, args: McpArgs) -> Result<()> {
    match args.command {
        None => crate::mcp::serve(ctx),
        Some(McpCommand::Policy(McpPolicyCommand::Pin { yes })) => pin_policy(ctx, yes),
    }
}

/// `byok mcp policy pin`: shows the rules and pins them with the identity.
fn pin_policy(ctx: &Context, yes: bool) -> Result<()> {
    ctx.audited(vec![Entry::new("mcp.policy.pin")], || {
        crate::commands::proxy::require_typed_passphrase(ctx, "pinning the agents' policy")?;
        let rules = rules(ctx)?;
        if rules.is_empty() {
            output::status(
                "config.toml has no [[mcp.policy]] rules; pinning none (no request is granted by policy)",
            );
        } else {
            eprintln!("Rules to pin:");
            for rule in &rules {
                eprintln!("  {}", describe(rule));
            }
        }
        if !yes {
            if !ctx.settings.interactive() {
                return Err(Error::NeedsConfirmation {
                    action: "pin these rules".into(),
                });
            }
            if !crate::prompt::confirm("Grant requests within these rules without asking you?")? {
                return Err(Error::Cancelled);
            }
        }
        let unlocked = ctx.unlocker().get()?;
        policy::pin(ctx.settings.paths.home(), &unlocked.identity, &rules)?;
        output::status(&format!("Pinned {} rule(s).", rules.len()));
        Ok(())
    })
}

fn rules(ctx: &Context) -> Result<Vec<policy::Rule>> {
    let config = ctx.home_config()?;
    policy::rules_of(&config.text()).map_err(|message| Error::Config {
        path: ctx.settings.paths.config(),
        message,
    })
}

fn describe(rule: &policy::Rule) -> String {
    sanitize::line(&format!(
        "models {} · up to ${}/day · lifetime up to {} · agents {}",
        rule.models.join(" "),
        rule.max_budget_usd_per_day,
        rule.max_lifetime,
        if rule.agents.is_empty() {
            "any".to_owned()
        } else {
            rule.agents.join(" ")
        }
    ))
    .into_owned()
}

/// `byok approve --policy [--watch]`: grants the pending requests the pinned rules cover;
/// with `--watch`, keeps doing so as requests arrive. The identity stays in this process's
/// memory while it watches (as in a running proxy), and the rules are read again from
/// config.toml and checked against the pin before every pass, so an edit stops the grants.
fn approve_by_policy(ctx: &Context, json: bool, watch: bool) -> Result<()> {
    if watch {
        return watch_policy(ctx, json);
    }
    approve_by_policy_once(ctx, json)
}

/// The largest config.toml `approve --policy --watch` reads again on each pass.
const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// How often `approve --policy --watch` looks for new requests.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

fn watch_policy(ctx: &Context, json: bool) -> Result<()> {
    crate::commands::proxy::require_typed_passphrase(ctx, "granting by policy")?;
    let home = ctx.settings.paths.home();
    let unlocked = ctx.unlocker().get()?;
    let config_path = ctx.settings.paths.config();
    let mut announced = false;
    loop {
        // Read afresh each pass: an agent that widens the rules in config.toml stops the
        // grants instead of widening them.
        let bytes = crate::fsutil::read_bounded(&config_path, MAX_CONFIG_BYTES)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            path: config_path.clone(),
            message: "not UTF-8".into(),
        })?;
        let rules = policy::rules_of(&text).map_err(|message| Error::Config {
            path: config_path.clone(),
            message,
        })?;
        if let Err(why) = policy::verify(home, &unlocked.identity, &rules) {
            return Err(Error::Usage(format!(
                "the [[mcp.policy]] rules grant nothing: {why}; stopped watching"
            )));
        }
        if !announced {
            output::status(&format!(
                "Granting what {} pinned rule(s) cover as agents ask; Ctrl-C stops.",
                rules.len()
            ));
            announced = true;
        }
        for id in request::pending_ids(home) {
            let Ok(loaded) = request::load(home, &id) else {
                continue;
            };
            if policy::covering(&rules, &loaded.request).is_none() {
                continue;
            }
            let name = request::token_name(&id);
            let granted = ctx.audited(vec![Entry::connector("mcp.approve", &name)], || {
                grant(ctx, &loaded, &name, "policy", None)
            });
            // One bad request (a token name taken, a file removed meanwhile) must not stop
            // the grants of the others: say so and go on.
            if let Err(e) = granted {
                output::warn(
                    &ctx.settings,
                    &format!(
                        "request {id} was not granted: {}",
                        sanitize::line(&e.to_string())
                    ),
                );
                continue;
            }
            if json {
                output::print(&format!("{}\n", json!({"granted": id})))?;
            } else {
                output::status(&format!(
                    "Granted request {id} ({}) by the pinned policy.",
                    shown(&loaded.request.agent)
                ));
            }
        }
        std::thread::sleep(WATCH_INTERVAL);
    }
}

fn approve_by_policy_once(ctx: &Context, json: bool) -> Result<()> {
    crate::commands::proxy::require_typed_passphrase(ctx, "granting by policy")?;
    let rules = rules(ctx)?;
    let home = ctx.settings.paths.home();
    let unlocked = ctx.unlocker().get()?;
    if let Err(why) = policy::verify(home, &unlocked.identity, &rules) {
        return Err(Error::Usage(format!(
            "the [[mcp.policy]] rules grant nothing: {why}"
        )));
    }
    let mut granted = Vec::new();
    let mut left = Vec::new();
    for id in request::pending_ids(home) {
        let Ok(loaded) = request::load(home, &id) else {
            left.push(id);
            continue;
        };
        if policy::covering(&rules, &loaded.request).is_none() {
            left.push(id);
            continue;
        }
        let name = request::token_name(&id);
        ctx.audited(vec![Entry::connector("mcp.approve", &name)], || {
            grant(ctx, &loaded, &name, "policy", None)
        })?;
        granted.push(id);
    }
    if json {
        return output::print_json(&json!({"granted": granted, "pending": left}));
    }
    output::status(&format!(
        "Granted {} request(s) by the pinned policy; {} left for you (`byok approve`).",
        granted.len(),
        left.len()
    ));
    Ok(())
}

/// Text from a request file, as the approver's terminal gets it: control characters escaped
/// and key-shaped words hidden (the file may have been written by any program of the user,
/// not only by `byok mcp`, which hides them on the way in).
fn shown(text: &str) -> String {
    sanitize::hide_keys(&sanitize::line(text)).into_owned()
}

/// `byok approve [ID] [--digest HEX | --deny] [--json]`.
pub fn approve(ctx: &Context, args: &ApproveArgs) -> Result<()> {
    let home = ctx.settings.paths.home();
    if args.policy {
        return approve_by_policy(ctx, args.json, args.watch);
    }
    let Some(prefix) = &args.id else {
        return list(ctx, args.json);
    };
    let id = resolve(home, prefix)?;
    let loaded = request::load(home, &id)?;
    show(&loaded);
    let name = request::token_name(&id);
    if args.deny {
        return ctx.audited(vec![Entry::connector("mcp.deny", &name)], || {
            let answer = Answer {
                status: "denied".into(),
                digest: loaded.digest.clone(),
                token_name: None,
                token: None,
                expires: None,
                by: "byok approve".into(),
            };
            request::answer(home, &loaded, &answer)?;
            if args.json {
                output::print_json(&json!({"request_id": id, "status": "denied"}))
            } else {
                output::status(&format!("Denied request {}.", &id[..12]));
                Ok(())
            }
        });
    }
    let given = match &args.digest {
        Some(given) => {
            let given = given.to_ascii_lowercase();
            if given.len() < 16 || !given.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::Usage(
                    "--digest takes at least the 16 hex digits `byok approve ID` shows".into(),
                ));
            }
            Some(given)
        }
        None => {
            if !ctx.settings.interactive() {
                return Err(Error::Usage(format!(
                    "no terminal to ask on: approve with --digest {} (the digest shown), so \
                     that what is approved is the request shown",
                    &loaded.digest[..16]
                )));
            }
            if !crate::prompt::confirm(&format!(
                "Approve request {} (digest {})?",
                &id[..12],
                &loaded.digest[..16]
            ))? {
                return Err(Error::Cancelled);
            }
            None
        }
    };
    ctx.audited(vec![Entry::connector("mcp.approve", &name)], || {
        if given.is_some_and(|g| !loaded.digest.starts_with(&g)) {
            return Err(changed(&loaded));
        }
        crate::commands::proxy::require_typed_passphrase(ctx, "approving an agent's request")?;
        // What is approved is what was shown: the file must still hold those bytes.
        let now = request::load(home, &id)?;
        if now.bytes != loaded.bytes {
            return Err(changed(&now));
        }
        grant(ctx, &loaded, &name, "byok approve", Some(args.json))
    })
}

/// Creates the token (the same code as `byok proxy token create`) and answers the request.
/// `json`: what to print (`None`: nothing, the caller reports).
fn grant(ctx: &Context, loaded: &Loaded, name: &str, by: &str, json: Option<bool>) -> Result<()> {
    let r = &loaded.request;
    let lifetime = Duration::from_secs(r.lifetime_secs);
    let budget = request::budget_text(r.budget_usd_per_day);
    let (value, record) = crate::commands::proxy::mint(
        ctx,
        name,
        Some(lifetime),
        &r.models,
        Some(budget.clone()),
        None,
        crate::commands::proxy::ApiScope::default(),
    )?;
    let answer = Answer {
        status: "granted".into(),
        digest: loaded.digest.clone(),
        token_name: Some(name.to_owned()),
        token: Some(value.expose().to_owned()),
        expires: record.expires.clone(),
        by: by.into(),
    };
    request::answer(ctx.settings.paths.home(), loaded, &answer)?;
    let Some(json) = json else {
        return Ok(());
    };
    if json {
        return output::print_json(&json!({
            "request_id": r.id, "status": "granted", "token_name": name,
            "models": r.models, "budget": budget, "expires": record.expires,
        }));
    }
    output::status(&format!(
        "Granted request {}: placeholder token '{name}' for {}, {budget}, until {}.",
        &r.id[..12],
        r.models.join(" "),
        record.expires.as_deref().unwrap_or("?")
    ));
    Ok(())
}

fn changed(now: &Loaded) -> Error {
    Error::Usage(format!(
        "the request changed since it was shown (its digest is now {}); nothing was approved",
        &now.digest[..16]
    ))
}

/// The pending request `prefix` names (a unique prefix of at least 6 hex digits).
fn resolve(home: &std::path::Path, prefix: &str) -> Result<String> {
    let prefix = prefix.to_ascii_lowercase();
    if prefix.len() < 6 || prefix.len() > 32 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Usage(
            "a request id is 32 hex digits (a unique prefix of at least 6 will do)".into(),
        ));
    }
    let matches: Vec<String> = request::pending_ids(home)
        .into_iter()
        .filter(|id| id.starts_with(&prefix))
        .collect();
    match matches.len() {
        1 => Ok(matches.into_iter().next().expect("one")),
        0 => Err(Error::Usage(format!(
            "no pending access request {prefix} (answered already, or never made); `byok approve` lists them"
        ))),
        n => Err(Error::Usage(format!(
            "{n} pending requests start with {prefix}: give more of the id"
        ))),
    }
}

fn lifetime_text(secs: u64) -> String {
    humantime::format_duration(Duration::from_secs(secs)).to_string()
}

/// Shows one request on stderr, every field escaped.
fn show(loaded: &Loaded) {
    let r = &loaded.request;
    eprintln!(
        "Access request {}\n  agent:    {}\n  reason:   {}\n  models:   {}\n  budget:   ${} per day (UTC)\n  lifetime: {}\n  asked:    {} ago\n  digest:   {}",
        r.id,
        shown(&r.agent),
        shown(&r.reason),
        shown(&r.models.join(" ")),
        request::budget_cents(r.budget_usd_per_day),
        lifetime_text(r.lifetime_secs),
        request::age_of(&r.created, SystemTime::now()),
        &loaded.digest[..16],
    );
}

fn list(ctx: &Context, json: bool) -> Result<()> {
    let home = ctx.settings.paths.home();
    let now = SystemTime::now();
    let mut rows = Vec::new();
    for id in request::pending_ids(home) {
        rows.push((id.clone(), request::load(home, &id)));
    }
    if json {
        let list: Vec<_> = rows
            .iter()
            .map(|(id, loaded)| match loaded {
                Ok(l) => {
                    let r = &l.request;
                    json!({"id": id, "agent": sanitize::hide_keys(&r.agent), "reason": sanitize::hide_keys(&r.reason), "models": r.models,
                        "budget_usd_per_day": request::budget_cents(r.budget_usd_per_day), "lifetime_secs": r.lifetime_secs,
                        "created": r.created, "age": request::age_of(&r.created, now),
                        "digest": l.digest})
                }
                Err(e) => json!({"id": id, "error": sanitize::line(&e.to_string())}),
            })
            .collect();
        return output::print_json(&list);
    }
    if rows.is_empty() {
        output::status(
            "no pending access requests (an agent makes one with byok mcp's request_access)",
        );
        return Ok(());
    }
    let mut table = output::table(
        &ctx.settings,
        &[
            "ID", "AGENT", "REASON", "MODELS", "BUDGET", "LIFETIME", "AGE", "DIGEST",
        ],
    );
    for (id, loaded) in &rows {
        match loaded {
            Ok(l) => {
                let r = &l.request;
                table.add_row(vec![
                    id[..12].to_owned(),
                    shown(&r.agent),
                    shown(&r.reason),
                    shown(&r.models.join(" ")),
                    format!("${}/day", request::budget_cents(r.budget_usd_per_day)),
                    lifetime_text(r.lifetime_secs),
                    request::age_of(&r.created, now),
                    l.digest[..16].to_owned(),
                ]);
            }
            Err(e) => {
                table.add_row(vec![
                    id[..12].to_owned(),
                    format!("unreadable: {}", sanitize::line(&e.to_string())),
                ]);
            }
        }
    }
    output::print_table(&table)
}
