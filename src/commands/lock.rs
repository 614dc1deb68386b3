//! `byok unlock`, `byok lock`, `byok keychain remember|forget`: ways to read the vault without
//! typing the passphrase each time.

use crate::cli::{KeychainAccountArgs, KeychainCommand, UnlockArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::os::keychain;
use crate::settings::Settings;
use crate::store::keychain::{HomeId, SERVICE, account};
use crate::term::output;
use crate::unlock;
use crate::unlock::session_cache;

/// Fails with "not initialised" before any passphrase is asked for.
fn ensure_exists(settings: &Settings) -> Result<()> {
    if settings.paths.vault().exists() {
        Ok(())
    } else {
        Err(Error::NotInitialised {
            home: settings.paths.home.clone(),
        })
    }
}

/// The longest `--for`; the kernel would also wrap larger timeouts into "never expire".
const MAX_CACHE: std::time::Duration = std::time::Duration::from_secs(7 * 86_400);

/// Caches the identity in the kernel keyring for `--for`.
pub fn unlock(ctx: &Context, args: &UnlockArgs) -> Result<()> {
    let settings = &ctx.settings;
    if args.duration > MAX_CACHE {
        return Err(Error::Usage(format!(
            "--for is at most {} (the cache is for a working session)",
            humantime::format_duration(MAX_CACHE)
        )));
    }
    ensure_exists(settings)?;
    if !settings.paths.identity_age().exists() {
        output::status("This vault has no passphrase (identity.txt): there is nothing to unlock.");
        return Ok(());
    }
    // Always from the passphrase (or the keychain): re-caching a cached identity would
    // silently extend its lifetime.
    let unlocked = unlock::unlock_with_passphrase(settings)?;
    let text = unlocked.identity.to_string();
    ctx.unlocker().provide(unlocked);
    crate::proxy::agent_proof::refuse_cached_unlock(ctx, "a session cache")?;
    session_cache::store(&unlock::cache_name(settings), &text, args.duration)?;
    // So an agent-proof proxy in another session knows a cache may live here.
    unlock::marker::record(settings, args.duration)?;
    output::status(&format!(
        "Unlocked for {} ({}).",
        humantime::format_duration(std::time::Duration::from_secs(args.duration.as_secs())),
        session_cache::describe()
    ));
    Ok(())
}

/// Drops the cached identity.
pub fn lock(settings: &Settings) -> Result<()> {
    unlock::marker::remove_own(settings)?;
    if session_cache::clear(&unlock::cache_name(settings))? {
        output::status("Locked: the cached identity was removed.");
    } else {
        output::status("Nothing to lock: no identity was cached.");
    }
    Ok(())
}

pub fn keychain(ctx: &Context, command: &KeychainCommand) -> Result<()> {
    let settings = &ctx.settings;
    match command {
        KeychainCommand::Remember => remember(ctx),
        KeychainCommand::Forget => forget(settings),
        KeychainCommand::Account(args) => print_account(settings, args),
    }
}

/// Stores the vault identity in the OS keychain and reads it back to prove it is really there.
fn remember(ctx: &Context) -> Result<()> {
    ensure_exists(&ctx.settings)?;
    crate::proxy::agent_proof::refuse_cached_unlock(ctx, "an identity in the OS keychain")?;
    crate::unlock::remember_unlocked(&ctx.settings, ctx.unlocker().get()?)
}

/// `byok keychain account REF`: the account of REF's field in this home's namespace.
fn print_account(settings: &Settings, args: &KeychainAccountArgs) -> Result<()> {
    crate::names::check_ref(&args.reference)?;
    crate::names::check_field(&args.field)?;
    ensure_exists(settings)?;
    let home_id = HomeId::new(settings.paths.home_id());
    output::print(&format!(
        "{}\n",
        account(home_id.get()?, &args.reference, &args.field, false)
    ))
}

fn forget(settings: &Settings) -> Result<()> {
    let legacy = keychain::delete(SERVICE, &unlock::legacy_keychain_account(settings))?;
    if keychain::delete(SERVICE, &unlock::keychain_account(settings)?)? || legacy {
        output::status("Removed the vault identity from the OS keychain.");
    } else {
        output::status("The OS keychain held no identity for this vault.");
    }
    Ok(())
}
