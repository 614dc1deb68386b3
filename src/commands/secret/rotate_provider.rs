//! `secret rotate REF --via-provider`: the provider makes the new key (OpenAI, OpenRouter;
//! for Anthropic a person makes it in the Console and gives it with `--stdin`), every
//! connector using the secret tests it, it is stored, running proxies reload, and the old
//! key is disabled (or, for OpenAI, deleted) at the provider once the grace period is over —
//! by a later sweep, so `rotate` never waits for it.

use std::time::Duration;

use crate::admin::api::{AdminClient, RemoteKey};
use crate::admin::record::{self, Made, Pending, Purpose, Retire, Seal, State};
use crate::admin::{Provider, rfc3339, sweep, unix_now};
use crate::cli::RotateArgs;
use crate::commands::admin::{connect, parse_lifetime, pick_admin};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hygiene::audit::Entry;
use crate::secret::SecretValue;
use crate::store::registry::{Located, value_of};
use crate::store::{DEFAULT_FIELD, Put, PutMode};
use crate::term::output;

const DEFAULT_GRACE: Duration = Duration::from_secs(3600);

fn step(dry_run: bool, n: usize, text: &str) {
    let lead = if dry_run { "would" } else { "step" };
    output::status(&format!("{lead} {n}/5: {text}"));
}

pub fn rotate(ctx: &Context, args: RotateArgs) -> Result<()> {
    if args.field != DEFAULT_FIELD {
        return Err(Error::Usage(format!(
            "--via-provider rotates the key field ({DEFAULT_FIELD}), not {}",
            args.field
        )));
    }
    let grace = parse_lifetime("--grace", args.grace.as_deref(), DEFAULT_GRACE)?;
    let expires = args
        .expires
        .as_deref()
        .map(|text| crate::hygiene::rotation::parse_expires(text, std::time::SystemTime::now()))
        .transpose()?;
    let registry = ctx.registry()?;
    let found = registry.resolve(&args.reference, args.store.as_deref())?;
    let config = ctx.config()?;
    let users: Vec<String> = config
        .active()
        .filter(|c| c.secret.as_deref() == Some(args.reference.as_str()))
        .map(|c| c.name.clone())
        .collect();
    let provider_id = found
        .meta
        .provider
        .clone()
        .or_else(|| {
            config
                .active()
                .find(|c| c.secret.as_deref() == Some(args.reference.as_str()))
                .map(|c| c.kind.clone())
        })
        .ok_or_else(|| {
            Error::Usage(format!(
                "--via-provider: '{}' has no provider hint and no connector uses it, so byok \
                 cannot tell which provider made it (`byok secret add {} --provider …` sets one)",
                args.reference, args.reference
            ))
        })?;
    let provider = Provider::from_id(&provider_id).ok_or_else(|| {
        Error::Usage(format!(
            "--via-provider: '{}' is a {provider_id} key; byok rotates through the admin APIs of \
             OpenAI, OpenRouter and Anthropic only",
            args.reference
        ))
    })?;
    if provider.can_mint() && args.stdin {
        return Err(Error::Usage(format!(
            "--via-provider: {} makes the new key itself; drop --stdin",
            provider.display()
        )));
    }
    if !provider.can_mint() && !args.stdin && !args.dry_run {
        return Err(Error::Usage(
            "--via-provider: Anthropic's API cannot create keys; make the new one in the \
             Console and give it with --stdin (byok tests it, stores it and retires the old one)"
                .into(),
        ));
    }
    let decl = pick_admin(
        config,
        args.admin.as_deref(),
        provider.id(),
        &format!("secret '{}'", args.reference),
    )?;
    let client = connect(ctx, decl)?;
    let old = value_of(&found, DEFAULT_FIELD)?;

    // 1. The old key's id at the provider (to retire it later).
    let found_old = client.find(&old);
    ctx.audit_now(
        admin_entry("admin.find", &decl.name, &args.reference),
        found_old.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    let old_key = match found_old {
        Ok(key) => key,
        Err(e) => {
            output::warn(&ctx.settings, &e.to_string());
            None
        }
    };
    drop(old);
    match &old_key {
        Some(key) => step(
            args.dry_run,
            1,
            &format!(
                "the old key is {} at {}",
                key.hint.as_deref().unwrap_or(&key.id),
                provider.display()
            ),
        ),
        None => step(
            args.dry_run,
            1,
            &format!(
                "the old key was not found at {} (admin connection '{}'): it will not be retired",
                provider.display(),
                decl.name
            ),
        ),
    }
    let prefix = rotation_prefix(ctx)?;
    let name = format!("{prefix}{}-{:x}", args.reference, unix_now());
    step(
        args.dry_run,
        2,
        &if provider.can_mint() {
            format!("create the new key {name} at {}", provider.display())
        } else {
            "read the new key (made in the Console) from standard input".into()
        },
    );
    step(
        args.dry_run,
        3,
        &if users.is_empty() {
            "no active connector uses the secret: the new key is not tested".into()
        } else {
            format!("test it with connector(s) {}", users.join(", "))
        },
    );
    let proxies = crate::proxy::state::running(ctx.settings.paths.home()).len();
    step(
        args.dry_run,
        4,
        &format!(
            "store it as {}.{DEFAULT_FIELD} and reload the running proxies ({proxies})",
            args.reference
        ),
    );
    let action = if provider.can_disable() {
        Retire::Disable
    } else {
        Retire::Delete
    };
    let verb = match action {
        Retire::Disable => "disable",
        Retire::Delete => "delete",
    };
    let due = unix_now() + grace.as_secs();
    step(
        args.dry_run,
        5,
        &match &old_key {
            Some(_) if grace.is_zero() => format!("{verb} the old key now"),
            Some(_) => format!(
                "{verb} the old key after the grace period, from {} (by the next sweep)",
                rfc3339(due)
            ),
            None => "nothing to retire".into(),
        },
    );
    if args.dry_run {
        return Ok(());
    }
    sweep::sweep(ctx, &client)?.report(ctx);
    let seal = Seal::of(ctx)?;

    // 2. The new key.
    let home = ctx.settings.paths.home();
    let (new_value, made) = if provider.can_mint() {
        let ttl = expires
            .as_ref()
            .and_then(|e| e.as_deref())
            .and_then(crate::admin::parse_time)
            .map(|t| Duration::from_secs(t.saturating_sub(unix_now())));
        let (pid, pid_start) = record::this_process();
        record::update(home, &seal, |r| {
            r.made.push(Made {
                name: name.clone(),
                admin: decl.name.clone(),
                purpose: Purpose::Rotation,
                state: State::Intent,
                pid,
                pid_start,
                key_id: None,
                account: None,
                expires_at: ttl.map(|t| unix_now() + t.as_secs()),
                created: unix_now(),
                reference: Some(args.reference.clone()),
                token: None,
                error: None,
                seal: None,
            });
        })?;
        let minted = client.mint(&name, ttl, None);
        ctx.audit_now(
            admin_entry("admin.mint", &decl.name, &args.reference),
            minted.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        let minted = minted?;
        record::update(home, &seal, |r| {
            for m in r.made.iter_mut().filter(|m| m.name == name) {
                m.state = State::Live;
                m.key_id = Some(minted.key_id.clone());
                m.account = minted.account.clone();
            }
        })?;
        let key = RemoteKey {
            id: minted.key_id.clone(),
            account: minted.account.clone(),
            name: name.clone(),
            active: true,
            expires_at: minted.expires_at,
            hint: None,
        };
        (minted.value, Some(key))
    } else {
        (
            super::read_value(&ctx.settings, &args.reference, DEFAULT_FIELD, true)?,
            None,
        )
    };

    // 3. Tested before it is stored; a failure revokes the new key and keeps the old one.
    if !users.is_empty()
        && let Err(e) = super::rotate_verify::verify(
            ctx,
            &args.reference,
            DEFAULT_FIELD,
            &new_value,
            args.timeout,
        )
    {
        let _ = ctx.audit_now(
            Entry::secret("secret.rotate", &args.reference, Some(found.store.name())),
            Err(e.exit() as u8),
        );
        abandon(ctx, &seal, &client, made.as_ref(), &name);
        return Err(e);
    }

    // 4. Stored, then every running proxy reloads (requests in flight finish with the old
    // key, which stays valid for the grace period).
    // The stored expiry follows the new key: the one asked for, else the provider's (none
    // for a key made without one) — the old key's expiry no longer applies.
    let expires = expires.or_else(|| {
        Some(
            made.as_ref()
                .and_then(|k| k.expires_at)
                .map(crate::admin::rfc3339),
        )
    });
    if let Err(e) = store_new(ctx, &found, &args.reference, new_value, expires) {
        abandon(ctx, &seal, &client, made.as_ref(), &name);
        return Err(e);
    }
    if made.is_some() {
        sweep::mark(home, &seal, &name, State::Switched, None)?;
    }
    for (listen, why) in crate::commands::proxy::reload_all(ctx) {
        output::warn(
            &ctx.settings,
            &format!(
                "the proxy on {listen} still uses the old key ({why}); restart it before the \
                 grace period ends"
            ),
        );
    }

    // 5. The old key's retirement, recorded; done now only with --grace 0.
    if let Some(key) = old_key {
        record::update(home, &seal, |r| {
            r.pending.push(Pending {
                admin: decl.name.clone(),
                reference: args.reference.clone(),
                key_id: key.id.clone(),
                account: key.account.clone(),
                hint: key.hint.clone(),
                action,
                due,
                done: None,
                disabled: false,
                error: None,
                seal: None,
            });
        })?;
        ctx.audit_now(
            admin_entry("admin.retire", &decl.name, &args.reference),
            Ok(()),
        )?;
        if grace.is_zero() {
            sweep::sweep(ctx, &client)?.report(ctx);
        } else {
            output::status(&format!(
                "the old key will be {verb}d from {} by `byok admin sweep` (it runs before every \
                 mint and rotation; run it from a timer to be on time)",
                rfc3339(due)
            ));
        }
    }
    output::status(&format!(
        "Rotated {}.{DEFAULT_FIELD} through {}.",
        args.reference,
        provider.display()
    ));
    Ok(())
}

/// The prefix of keys made by rotations in this home (never swept as orphans: once
/// switched they are the stored keys).
fn rotation_prefix(ctx: &Context) -> Result<String> {
    Ok(sweep::ephemeral_prefix(ctx)?.replacen("byok-eph-", "byok-rot-", 1))
}

fn admin_entry(action: &'static str, admin: &str, reference: &str) -> Entry {
    Entry {
        action,
        connector: Some(admin.to_owned()),
        reference: Some(reference.to_owned()),
        ..Entry::default()
    }
}

fn store_new(
    ctx: &Context,
    found: &Located<'_>,
    reference: &str,
    value: SecretValue,
    expires: Option<Option<String>>,
) -> Result<()> {
    let mut put = Put::new(reference, PutMode::Update, &output::now_rfc3339());
    put.replace = true;
    put.values = vec![(DEFAULT_FIELD.to_owned(), value)];
    put.expires = expires;
    ctx.audited(
        vec![Entry::secret(
            "secret.rotate",
            reference,
            Some(found.store.name()),
        )],
        || found.store.put(vec![put]).map(drop),
    )
}

/// A rotation that stopped before its key was stored: the new key is revoked.
fn abandon(
    ctx: &Context,
    seal: &Seal,
    client: &AdminClient<'_>,
    made: Option<&RemoteKey>,
    name: &str,
) {
    let Some(key) = made else {
        return;
    };
    let outcome = client.revoke(key);
    let _ = ctx.audit_now(
        admin_entry("admin.revoke", &client.decl.name, ""),
        outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
    );
    let home = ctx.settings.paths.home();
    let _ = match outcome {
        Ok(()) => sweep::mark(home, seal, name, State::Revoked, None),
        Err(e) => {
            output::warn(
                &ctx.settings,
                &format!(
                    "the unused new key {name} could not be revoked ({e}); the next sweep tries again"
                ),
            );
            sweep::mark(home, seal, name, State::Live, Some(e.to_string()))
        }
    };
}

/// After `secret rollback REF`: the old key a `--via-provider` rotation retires is back in
/// use, so its retirement is cancelled, or — when it was disabled already — it is enabled
/// again (OpenRouter, Anthropic; a deleted OpenAI key cannot come back, which is said).
pub fn after_rollback(ctx: &Context, reference: &str) -> Result<()> {
    let home = ctx.settings.paths.home();
    let record = record::read(home)?;
    let Some(pending) = record
        .pending
        .iter()
        .rev()
        .find(|p| p.reference == reference && p.done != Some(false))
        .cloned()
    else {
        return Ok(());
    };
    let seal = Seal::of(ctx)?;
    if !seal.pending_ok(&pending) {
        output::warn(
            &ctx.settings,
            &format!(
                "the retirement recorded for '{reference}' does not carry this home's seal \
                 (edited or forged): ignored"
            ),
        );
        return Ok(());
    }
    let key_id = pending.key_id.clone();
    let cancel = |ctx: &Context| {
        record::update(ctx.settings.paths.home(), &seal, |r| {
            for p in r.pending.iter_mut().filter(|p| p.key_id == key_id) {
                p.done = Some(false);
            }
        })
    };
    match pending.done {
        None => {
            cancel(ctx)?;
            output::status(&format!(
                "the old key of '{reference}' is in use again: its retirement is cancelled"
            ));
            Ok(())
        }
        Some(true) if pending.disabled => {
            let config = ctx.config()?;
            let decl = config.admin(&pending.admin)?;
            let client = connect(ctx, decl)?;
            let key = RemoteKey {
                id: pending.key_id.clone(),
                account: pending.account.clone(),
                name: String::new(),
                active: false,
                expires_at: None,
                hint: pending.hint.clone(),
            };
            let outcome = client.enable(&key);
            ctx.audit_now(
                admin_entry("admin.enable", &decl.name, reference),
                outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
            )?;
            outcome?;
            cancel(ctx)?;
            output::status(&format!(
                "the old key of '{reference}' is enabled again at {}",
                client.provider.display()
            ));
            Ok(())
        }
        Some(_) => {
            output::warn(
                &ctx.settings,
                &format!(
                    "the old key of '{reference}' was deleted at the provider after its grace \
                     period and cannot come back; rotate again (`byok secret rotate {reference} \
                     --via-provider`)"
                ),
            );
            Ok(())
        }
    }
}

/// `secret list --stale --rotate-due`: each due secret whose provider byok can rotate
/// through (an admin connection that mints) is rotated; the others are named, to rotate by
/// hand. One failure does not stop the others; any failure fails the command.
pub fn rotate_due(ctx: &Context, due: Vec<(String, String)>) -> Result<()> {
    if due.is_empty() {
        output::status("No secret is due for rotation or expiring.");
        return Ok(());
    }
    let config = ctx.config()?;
    let registry = ctx.registry()?;
    let mut by_hand = Vec::new();
    let mut failed = Vec::new();
    let mut rotated = 0;
    for (reference, store) in due {
        let found = registry.resolve(&reference, Some(&store))?;
        let provider = found.meta.provider.clone().or_else(|| {
            config
                .active()
                .find(|c| c.secret.as_deref() == Some(reference.as_str()))
                .map(|c| c.kind.clone())
        });
        let admin_kind = found.meta.kind.as_deref() == Some(crate::store::KIND_ADMIN);
        let rotatable = !admin_kind
            && provider
                .as_deref()
                .and_then(Provider::from_id)
                .is_some_and(|p| {
                    p.can_mint() && config.admins().iter().any(|a| a.provider == p.id())
                });
        if !rotatable {
            by_hand.push(reference);
            continue;
        }
        output::status(&format!("rotating '{reference}' through its provider"));
        let args = RotateArgs {
            reference: reference.clone(),
            value: None,
            field: DEFAULT_FIELD.to_owned(),
            stdin: false,
            store: Some(store),
            expires: None,
            verify: false,
            timeout: 20,
            via_provider: true,
            grace: None,
            dry_run: false,
            admin: None,
        };
        match rotate(ctx, args) {
            Ok(()) => rotated += 1,
            Err(e) => {
                output::warn(
                    &ctx.settings,
                    &format!("'{reference}' was not rotated: {e}"),
                );
                failed.push(reference);
            }
        }
    }
    if !by_hand.is_empty() {
        output::status(&format!(
            "rotate by hand (no admin connection that can make its keys): {}",
            by_hand.join(", ")
        ));
    }
    output::status(&format!(
        "{rotated} secret(s) rotated through their providers."
    ));
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} secret(s) could not be rotated: {} (each says why above)",
            failed.len(),
            failed.join(", ")
        )))
    }
}

/// `scan --revoke` on a leaked current value: rotate through the provider with no grace
/// (the leaked key is disabled or deleted at once). Anthropic cannot make the new key: the
/// leaked one is disabled only when a person gives the new one, so this says how.
pub fn rotate_leaked(ctx: &Context, reference: &str) -> Result<()> {
    rotate(
        ctx,
        RotateArgs {
            reference: reference.to_owned(),
            value: None,
            field: DEFAULT_FIELD.to_owned(),
            stdin: false,
            store: None,
            expires: None,
            verify: false,
            timeout: 20,
            via_provider: true,
            grace: Some("0s".into()),
            dry_run: false,
            admin: None,
        },
    )
}

/// A leaked previous value: its pending retirement, if any, is made due now and swept.
/// `false` when byok retires nothing for `reference`.
pub fn retire_now(ctx: &Context, reference: &str) -> Result<bool> {
    let home = ctx.settings.paths.home();
    let now = unix_now();
    let seal = Seal::of(ctx)?;
    let admins = record::update(home, &seal, |r| {
        let mut admins = Vec::new();
        for p in r
            .pending
            .iter_mut()
            .filter(|p| p.reference == reference && p.done.is_none())
        {
            p.due = p.due.min(now);
            admins.push(p.admin.clone());
        }
        admins
    })?;
    if admins.is_empty() {
        return Ok(false);
    }
    let config = ctx.config()?;
    for admin in admins {
        let decl = config.admin(&admin)?;
        let client = connect(ctx, decl)?;
        sweep::sweep(ctx, &client)?.report(ctx);
    }
    Ok(true)
}
