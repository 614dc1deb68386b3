//! The sweep: what a finished, failed or killed run left at a provider is revoked, and old
//! keys whose grace period is over are disabled or deleted. It runs before every command
//! that mints or rotates, and as `byok admin sweep` (for a timer).
//!
//! A made key is revoked when the process that made it is gone (or the key has expired);
//! a key whose name carries this home's ephemeral prefix but which no running process holds
//! is revoked too — that covers a crash between the provider's answer and the record.

use super::api::{AdminClient, RemoteKey};
use super::record::{self, Made, Purpose, Retire, Seal, State};
use super::unix_now;
use crate::context::Context;
use crate::error::Result;
use crate::hygiene::audit::Entry;

/// The prefix of every ephemeral key this home makes: `byok-eph-<first 8 of home id>-`.
pub fn ephemeral_prefix(ctx: &Context) -> Result<String> {
    let id = crate::store::keychain::HomeId::new(ctx.settings.paths.home_id());
    Ok(format!("byok-eph-{}-", &id.get()?[..8]))
}

/// What one sweep did, for printing.
#[derive(Debug, Default)]
pub struct Swept {
    /// Names (or ids) of keys revoked.
    pub revoked: Vec<String>,
    /// `REF: old key disabled|deleted`.
    pub retired: Vec<String>,
    /// Failures, kept in the record and retried next time.
    pub failed: Vec<String>,
}

impl Swept {
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty() && self.retired.is_empty() && self.failed.is_empty()
    }

    /// Prints what happened on stderr.
    pub fn report(&self, ctx: &Context) {
        for name in &self.revoked {
            crate::term::output::status(&format!("swept: revoked {name} at the provider"));
        }
        for line in &self.retired {
            crate::term::output::status(&format!("swept: {line}"));
        }
        for line in &self.failed {
            crate::term::output::warn(&ctx.settings, &format!("sweep: {line}"));
        }
    }
}

/// Sweeps the keys of the admin connection `client` serves.
pub fn sweep(ctx: &Context, client: &AdminClient<'_>) -> Result<Swept> {
    let home = ctx.settings.paths.home();
    let admin = client.decl.name.clone();
    let now = unix_now();
    let prefix = ephemeral_prefix(ctx)?;
    let mut swept = Swept::default();
    let seal = Seal::of(ctx)?;
    let mut snapshot = record::read(home)?;
    // Only entries this home's byok wrote direct anything at the provider.
    let before = snapshot.made.len() + snapshot.pending.len();
    snapshot.made.retain(|m| seal.made_ok(m));
    snapshot.pending.retain(|p| seal.pending_ok(p));
    let ignored = before - snapshot.made.len() - snapshot.pending.len();
    if ignored > 0 {
        crate::term::output::warn(
            &ctx.settings,
            &format!(
                "{ignored} entr(y/ies) of {} do not carry this home's seal (edited or forged): \
                 ignored — check `byok admin status`",
                record::path(home).display()
            ),
        );
    }

    // The placeholder tokens that exist now (a token's key is held while its token is).
    let tokens: Vec<String> = if snapshot.made.iter().any(|m| m.purpose == Purpose::Token) {
        crate::proxy::build::token_file(ctx)
            .load()?
            .tokens
            .into_keys()
            .collect()
    } else {
        Vec::new()
    };
    let held = |m: &Made| {
        matches!(m.state, State::Intent | State::Live) && record::alive(m.pid, m.pid_start)
    };
    let stale: Vec<Made> = snapshot
        .made
        .iter()
        .filter(|m| m.admin == admin && matches!(m.state, State::Intent | State::Live))
        .filter(|m| {
            let expired = m.expires_at.is_some_and(|t| t <= now);
            match (m.purpose, m.state) {
                // A token's key outlives the command that made it: it ends with the token.
                (Purpose::Token, State::Live) => {
                    expired || !m.token.as_ref().is_some_and(|t| tokens.contains(t))
                }
                (Purpose::Ephemeral, _) => expired || !record::alive(m.pid, m.pid_start),
                _ => !record::alive(m.pid, m.pid_start),
            }
        })
        .cloned()
        .collect();
    let held_names: Vec<String> = snapshot
        .made
        .iter()
        .filter(|m| m.admin == admin && held(m) && !stale.iter().any(|s| s.name == m.name))
        .map(|m| m.name.clone())
        .collect();

    // Listing is one paged call: made only when an intent lost its id, or to find orphans.
    let listing = if client.provider.can_mint() {
        let listed = client.list();
        ctx.audit_now(
            Entry {
                action: "admin.list",
                connector: Some(admin.clone()),
                ..Entry::default()
            },
            listed.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        Some(listed?)
    } else {
        None
    };
    let mut targets: Vec<(RemoteKey, Option<String>)> = Vec::new();
    for made in &stale {
        match (&made.key_id, made.state) {
            (Some(id), State::Live) => targets.push((
                RemoteKey {
                    id: id.clone(),
                    account: made.account.clone(),
                    name: made.name.clone(),
                    active: true,
                    expires_at: made.expires_at,
                    hint: None,
                },
                Some(made.name.clone()),
            )),
            _ => {
                for key in listing.iter().flatten().filter(|k| k.name == made.name) {
                    targets.push((key.clone(), Some(made.name.clone())));
                }
                if !listing.iter().flatten().any(|k| k.name == made.name) {
                    // Never made (the process died before the provider answered).
                    mark(home, &seal, &made.name, State::Revoked, None)?;
                }
            }
        }
    }
    for key in listing.iter().flatten() {
        if key.name.starts_with(&prefix)
            && !held_names.contains(&key.name)
            && !targets.iter().any(|(t, _)| t.name == key.name)
        {
            targets.push((key.clone(), None));
        }
    }

    for (key, name) in targets {
        let shown = if key.name.is_empty() {
            key.id.clone()
        } else {
            key.name.clone()
        };
        let outcome = client.revoke(&key);
        let entry = Entry {
            action: "admin.revoke",
            connector: Some(admin.clone()),
            ..Entry::default()
        };
        ctx.audit_now(
            entry,
            outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        match outcome {
            Ok(()) => {
                if let Some(name) = &name {
                    mark(home, &seal, name, State::Revoked, None)?;
                }
                swept.revoked.push(shown);
            }
            Err(e) => {
                if let Some(name) = &name {
                    mark(home, &seal, name, State::Live, Some(e.to_string()))?;
                }
                swept.failed.push(format!("could not revoke {shown}: {e}"));
            }
        }
    }

    for pending in snapshot
        .pending
        .iter()
        .filter(|p| p.admin == admin && p.done.is_none() && p.due <= now)
    {
        let key = RemoteKey {
            id: pending.key_id.clone(),
            account: pending.account.clone(),
            name: String::new(),
            active: true,
            expires_at: None,
            hint: pending.hint.clone(),
        };
        let (action, outcome) = match pending.action {
            Retire::Disable => ("admin.disable", client.disable(&key)),
            Retire::Delete => ("admin.revoke", client.revoke(&key)),
        };
        let entry = Entry {
            action,
            connector: Some(admin.clone()),
            reference: Some(pending.reference.clone()),
            ..Entry::default()
        };
        ctx.audit_now(
            entry,
            outcome.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        let done = outcome.is_ok();
        let error = outcome.as_ref().err().map(ToString::to_string);
        let key_id = pending.key_id.clone();
        record::update(home, &seal, |r| {
            for p in r
                .pending
                .iter_mut()
                .filter(|p| p.key_id == key_id && p.done.is_none())
            {
                p.done = done.then_some(true);
                p.disabled = done && pending.action == Retire::Disable;
                p.error = error.clone();
            }
        })?;
        let verb = match pending.action {
            Retire::Disable => "disabled",
            Retire::Delete => "deleted",
        };
        match error {
            None => swept.retired.push(format!(
                "{}: the old key {} is {verb}",
                pending.reference,
                pending.hint.as_deref().unwrap_or("")
            )),
            Some(e) => swept.failed.push(format!(
                "{}: the old key is not {verb} yet: {e}",
                pending.reference
            )),
        }
    }
    Ok(swept)
}

/// Sets the state of the made key `name`.
pub fn mark(
    home: &std::path::Path,
    seal: &Seal,
    name: &str,
    state: State,
    error: Option<String>,
) -> Result<()> {
    record::update(home, seal, |r| {
        for m in r.made.iter_mut().filter(|m| m.name == name) {
            m.state = state;
            m.error = error.clone();
        }
    })
}
