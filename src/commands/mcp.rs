//! `byok mcp` (the server: [`crate::mcp`]) and `byok approve`, which answers the access
//! requests its `request_access` tool records.

use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::cli::ApproveArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hygiene::audit::Entry;
use crate::mcp::request::{self, Answer, Loaded};
use crate::term::{output, sanitize};

/// `byok mcp`.
pub fn serve(ctx: &Context) -> Result<()> {
    crate::mcp::serve(ctx)
}

/// `byok approve [ID] [--digest HEX | --deny] [--json]`.
pub fn approve(ctx: &Context, args: &ApproveArgs) -> Result<()> {
    let home = ctx.settings.paths.home();
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
        grant(ctx, &loaded, &name, args.json)
    })
}

/// Creates the token (the same code as `byok proxy token create`) and answers the request.
fn grant(ctx: &Context, loaded: &Loaded, name: &str, json: bool) -> Result<()> {
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
    )?;
    let answer = Answer {
        status: "granted".into(),
        digest: loaded.digest.clone(),
        token_name: Some(name.to_owned()),
        token: Some(value.expose().to_owned()),
        expires: record.expires.clone(),
        by: "byok approve".into(),
    };
    request::answer(ctx.settings.paths.home(), loaded, &answer)?;
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
        sanitize::line(&r.agent),
        sanitize::line(&r.reason),
        sanitize::line(&r.models.join(" ")),
        r.budget_usd_per_day,
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
                    json!({"id": id, "agent": r.agent, "reason": r.reason, "models": r.models,
                        "budget_usd_per_day": r.budget_usd_per_day, "lifetime_secs": r.lifetime_secs,
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
                    sanitize::line(&r.agent).into_owned(),
                    sanitize::line(&r.reason).into_owned(),
                    sanitize::line(&r.models.join(" ")).into_owned(),
                    format!("${}/day", r.budget_usd_per_day),
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
