//! `byok audit`: the audit log, filtered, with ref names resolved when the identity is at
//! hand; `byok audit verify`: the MAC chain and the head recorded in the vault.

use std::collections::HashMap;
use std::time::SystemTime;

use serde_json::json;

use crate::cli::{AuditArgs, AuditCommand, AuditResetArgs, AuditVerifyArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hygiene::audit::{self, Keys, Record};
use crate::term::output;

pub fn run(ctx: &Context, args: &AuditArgs) -> Result<()> {
    match &args.command {
        Some(AuditCommand::Verify(verify_args)) => return verify(ctx, verify_args),
        Some(AuditCommand::Reset(reset_args)) => return reset(ctx, reset_args),
        None => {}
    }
    let settings = &ctx.settings;
    let since = args.since.as_deref().map(parse_since).transpose()?;
    // Names resolve only with the identity (never prompting for it just to list).
    let keys = ctx.unlocker().get_without_prompt().map(Keys::from_identity);
    let names = match &keys {
        Some(keys) => known_names(ctx, keys),
        None => HashMap::new(),
    };
    let wanted_ref = args.reference.as_ref().map(|r| {
        let hashed = keys.as_ref().map(|k| k.name_hash(r));
        (r.clone(), hashed)
    });
    if let Some((_, None)) = &wanted_ref
        && !ctx.audit_plain()
    {
        output::warn(
            settings,
            "--ref: ref names are hashed in the log and the identity is not at hand \
             (unlock with `byok unlock`); only plain names can match",
        );
    }
    let records: Vec<Record> = audit::read_all(settings)?
        .into_iter()
        .filter(|r| {
            since.is_none_or(|t| humantime::parse_rfc3339_weak(&r.time).is_ok_and(|time| time >= t))
        })
        .filter(|r| args.action.as_deref().is_none_or(|a| r.action == a))
        .filter(|r| match (&wanted_ref, &r.reference) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((plain, hashed)), Some(have)) => {
                have == plain || hashed.as_deref() == Some(have.as_str())
            }
        })
        .map(|mut r| {
            if let Some(name) = r.reference.as_ref().and_then(|h| names.get(h)) {
                r.reference = Some(name.clone());
            }
            r
        })
        .collect();
    if args.json {
        return output::print_json(&records);
    }
    if records.is_empty() {
        output::status("No audit entries.");
        return Ok(());
    }
    let mut table = output::table(
        settings,
        &[
            "SEQ",
            "TIME",
            "ACTION",
            "REF",
            "CONNECTOR",
            "STORE",
            "OUTCOME",
            "BY",
        ],
    );
    let clean = |s: &str| {
        crate::term::sanitize::line(s)
            .chars()
            .take(80)
            .collect::<String>()
    };
    for r in &records {
        let by = match (&r.caller, r.caller_pid) {
            (Some(name), Some(pid)) => format!("{} ({name} {pid})", r.command),
            _ => r.command.clone(),
        };
        // An entry without its own MAC may have been written by anyone who can write the log.
        let by = if r.mac.is_none() {
            format!("{by} [no MAC]")
        } else {
            by
        };
        table.add_row(vec![
            r.seq.to_string(),
            clean(&r.time),
            clean(&r.action),
            clean(r.reference.as_deref().unwrap_or("-")),
            clean(r.connector.as_deref().unwrap_or("-")),
            clean(r.store.as_deref().unwrap_or("-")),
            match r.exit {
                Some(code) => format!("{} (exit {code})", clean(&r.outcome)),
                None => clean(&r.outcome),
            },
            clean(&by),
        ]);
    }
    output::print_table(&table)
}

/// The hash → name map of every ref the stores know now (removed refs stay hashed).
fn known_names(ctx: &Context, keys: &Keys) -> HashMap<String, String> {
    let Ok(registry) = ctx.registry() else {
        return HashMap::new();
    };
    let (listed, _) = registry.list_all();
    listed
        .into_iter()
        .map(|(_, meta, _)| (keys.name_hash(&meta.reference), meta.reference))
        .collect()
}

fn parse_since(text: &str) -> Result<SystemTime> {
    let bad = || {
        Error::Usage(format!(
            "invalid --since '{}': expected a duration (7d, 12h) or a date (2026-11-01)",
            crate::term::sanitize::line(text)
                .chars()
                .take(40)
                .collect::<String>()
        ))
    };
    if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
        return humantime::parse_rfc3339(&format!("{text}T00:00:00Z")).map_err(|_| bad());
    }
    if text.contains('T') {
        return humantime::parse_rfc3339_weak(text).map_err(|_| bad());
    }
    let ago = humantime::parse_duration(text).map_err(|_| bad())?;
    SystemTime::now().checked_sub(ago).ok_or_else(bad)
}

fn verify(ctx: &Context, args: &AuditVerifyArgs) -> Result<()> {
    let unlocked = ctx.unlocker().get()?;
    let keys = Keys::from_identity(unlocked);
    let head = ctx.registry()?.home_vault().load()?.audit;
    let verdict = audit::verify(&ctx.settings, &keys, head.as_ref())?;
    if args.json {
        output::print_json(&json!({
            "ok": verdict.problems.is_empty(),
            "entries": verdict.entries,
            "unsealed": verdict.unsealed,
            "unauthenticated": verdict.unauthenticated,
            "head": head.as_ref().map(|h| h.entries),
            "problems": verdict.problems,
        }))?;
    } else if verdict.problems.is_empty() {
        output::print(&format!(
            "✓ audit log intact: {} entries{}{}\n",
            verdict.entries,
            match &head {
                Some(h) => format!(
                    ", {} of them covered by the head recorded in the vault",
                    h.entries
                ),
                None => String::new(),
            },
            if verdict.unsealed > 0 {
                format!(
                    "; the last {} are not covered by a MAC yet (written without the identity)",
                    verdict.unsealed
                )
            } else {
                String::new()
            }
        ))?;
    } else {
        for problem in &verdict.problems {
            output::print(&format!("✗ {problem}\n"))?;
        }
    }
    if !args.json && !verdict.unauthenticated.is_empty() {
        let shown: Vec<String> = verdict
            .unauthenticated
            .iter()
            .take(20)
            .map(u64::to_string)
            .collect();
        output::print(&format!(
            "! {} entr(ies) carry no MAC of their own, so nothing proves byok wrote them \
             (written without the identity — a locked attempt, `byok lock` — or by any process \
             that can write the file): seq {}{}\n",
            verdict.unauthenticated.len(),
            shown.join(", "),
            if verdict.unauthenticated.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        ))?;
    }
    if verdict.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::AuditFailed {
            problems: verdict.problems.len(),
        })
    }
}

/// Keeps the current log as `audit.jsonl.<time>` and starts a new one, whose first entry
/// (`audit.reset`) is covered by a new head in the vault.
fn reset(ctx: &Context, args: &AuditResetArgs) -> Result<()> {
    let settings = &ctx.settings;
    ctx.unlocker().get()?;
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: "start a new audit log".into(),
            });
        }
        if !crate::prompt::confirm("Start a new audit log (the current one is kept beside it)?")? {
            return Err(Error::Cancelled);
        }
    }
    let path = audit::log_path(settings);
    let kept = path.with_file_name(format!(
        "audit.jsonl.{}",
        output::now_rfc3339().replace(':', "")
    ));
    let vault = ctx.registry()?.home_vault();
    ctx.audited(
        vec![crate::hygiene::audit::Entry::new("audit.reset")],
        || {
            vault.modify(|doc| {
                if path.exists() {
                    std::fs::rename(&path, &kept).map_err(Error::io("rename", &path))?;
                }
                doc.audit = None;
                Ok(())
            })
        },
    )?;
    if kept.exists() {
        output::status(&format!("Kept the old log as {}.", kept.display()));
    }
    output::status("Started a new audit log.");
    Ok(())
}
