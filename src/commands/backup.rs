//! `byok backup FILE` and `byok restore FILE` (the format is in [`crate::hygiene::backup`]).

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::cli::{BackupArgs, RestoreArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::hygiene::audit::Entry;
use crate::hygiene::backup::{self, Excluded, Key};
use crate::hygiene::reveal::{self, Policy};
use crate::prompt;
use crate::term::output;

/// Backups larger than this are not ours.
const MAX_BACKUP: u64 = 1 << 30;

pub fn backup(ctx: &Context, args: &BackupArgs) -> Result<()> {
    let settings = &ctx.settings;
    if args.file.exists() {
        return Err(Error::Usage(format!(
            "{} exists; byok never overwrites a file with a backup (choose another name)",
            args.file.display()
        )));
    }
    let registry = ctx.registry()?;
    let unlocked = ctx.unlocker().get()?;
    if args.passphrase {
        // A passphrase backup can be opened without this vault: for `never` secrets that is
        // a loosening.
        let home = reveal::recorded_policy(ctx)?;
        let (listed, _) = registry.list_all();
        if home == Policy::Never
            || listed
                .iter()
                .any(|(_, meta, _)| reveal::effective(home, meta) == Policy::Never)
        {
            crate::hygiene::reveal::confirm_loosening(
                ctx,
                "to back up `never` secrets with a passphrase",
            )?;
        }
    }
    let key = if args.passphrase {
        Key::Passphrase(backup_passphrase(
            ctx,
            args.passphrase_file.as_deref(),
            true,
        )?)
    } else {
        Key::Identity(unlocked)
    };
    // The home config's stores and workspaces (not a workspace's overlay).
    let (files, excluded): (_, Vec<Excluded>) =
        backup::home_files(&settings.paths, ctx.home_config()?)?;
    ctx.audited(vec![Entry::new("backup")], || {
        let plaintext = backup::build(
            registry,
            &ctx.home_config()?.text(),
            &excluded,
            &files,
            &output::now_rfc3339(),
        )?;
        let bytes = backup::encrypt(&plaintext, key)?;
        fsutil::write_new(&args.file, &bytes)
    })?;
    output::status(&format!(
        "Wrote the backup {} (the vault, config.toml, the keychain's values and {} other file(s) of the home).",
        args.file.display(),
        files.len()
    ));
    for store in &excluded {
        output::warn(
            settings,
            &format!(
                "the {} store ({}) is not in the backup: back it up on its own \
                 (a team store's server keeps its own record)",
                store.store, store.kind
            ),
        );
    }
    Ok(())
}

/// Another home's identity, for a backup made there: a plain identity file, or an
/// `identity.age` opened with the passphrase (`--passphrase-file`, else typed).
fn other_identity(
    ctx: &Context,
    path: &std::path::Path,
    passphrase_file: Option<&std::path::Path>,
) -> Result<crate::unlock::Unlocked> {
    use crate::unlock::{IdentitySource, Unlocked};
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    let identity = if bytes.starts_with(b"age-encryption.org/")
        || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    {
        let passphrase = backup_passphrase(ctx, passphrase_file, false)?;
        crate::unlock::decrypt_identity(path, passphrase)?
    } else {
        drop(Zeroizing::new(bytes));
        crate::unlock::read_identity_file(path)?
    };
    Ok(Unlocked {
        identity,
        source: IdentitySource::IdentityFileEnv(path.to_path_buf()),
    })
}

/// The passphrase of a backup: from `--passphrase-file`, else typed (twice for a new one).
fn backup_passphrase(
    ctx: &Context,
    file: Option<&std::path::Path>,
    new: bool,
) -> Result<SecretString> {
    if let Some(path) = file {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(Error::io("read", path))?);
        let first = text.lines().next().unwrap_or("");
        if first.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        return Ok(SecretString::from(first));
    }
    if !ctx.settings.interactive() {
        return Err(Error::Usage(
            "no terminal to type the backup passphrase on: pass --passphrase-file FILE".into(),
        ));
    }
    if new {
        prompt::new_password("Backup passphrase")
    } else {
        prompt::password("Backup passphrase")
    }
}

pub fn restore(ctx: &Context, args: &RestoreArgs) -> Result<()> {
    let settings = &ctx.settings;
    let path = &args.file;
    let size = std::fs::metadata(path)
        .map_err(Error::io("read", path))?
        .len();
    if size > MAX_BACKUP {
        return Err(Error::BadBackup {
            path: path.clone(),
            reason: "it is larger than any byok backup".into(),
        });
    }
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    let registry = ctx.registry()?;
    let unlocked = ctx.unlocker().get()?;
    let other_home;
    let key = if backup::is_passphrase(path, &bytes)? {
        Key::Passphrase(backup_passphrase(
            ctx,
            args.passphrase_file.as_deref(),
            false,
        )?)
    } else if let Some(identity) = &args.identity {
        other_home = other_identity(ctx, identity, args.passphrase_file.as_deref())?;
        Key::Identity(&other_home)
    } else {
        Key::Identity(unlocked)
    };
    let restored = backup::read(path, &bytes, key)?;
    // Everything it would write is checked before anything is.
    let new_config = backup::check(path, &restored, &settings.paths.config())?;
    match restored.authenticated {
        crate::store::vault::doc::MacState::Valid => {}
        crate::store::vault::doc::MacState::Invalid => {
            return Err(Error::BadBackup {
                path: path.clone(),
                reason: "its MAC does not verify with the identity: it was changed, or made by \
                         someone else with the public key"
                    .into(),
            });
        }
        crate::store::vault::doc::MacState::Missing => output::warn(
            settings,
            "the backup carries no MAC of the identity (made by an older byok, or by anyone \
             with the public key): restore it only if you made it",
        ),
    }
    // A backup with a looser reveal policy than this home's loosens it: the same door as
    // `byok reveal`.
    let current = reveal::recorded_policy(ctx)?;
    let restored_policy = Policy::Pipe
        .tighten(Policy::from_stored(new_config.hygiene().reveal.as_deref()))
        .tighten(Policy::from_stored(
            restored
                .vault
                .policy
                .get("home")
                .and_then(|p| p.reveal.as_deref()),
        ));
    if reveal::loosens(current, restored_policy) {
        reveal::confirm_loosening(ctx, "to restore a backup with a looser reveal policy")?;
    }
    let summary = format!(
        "Restore the backup of {} ({} vault secret(s), {} keychain secret(s))? \
         The current vault and config.toml are kept beside them",
        crate::term::sanitize::line(&restored.created),
        restored.vault.secrets.len(),
        restored
            .vault
            .index
            .get(crate::store::keychain::NAME)
            .map_or(0, |i| i.len()),
    );
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: "replace the vault and config.toml with a backup".into(),
            });
        }
        if !prompt::confirm(&summary)? {
            return Err(Error::Cancelled);
        }
    }
    let stamp = output::now_rfc3339().replace(':', "");
    let paths = &settings.paths;
    let mut kept = Vec::new();
    ctx.audited(vec![Entry::new("restore")], || {
        {
            let _lock = WriteLock::acquire(&paths.lock())?;
            for file in [paths.vault(), paths.config()] {
                if let Ok(old) = std::fs::read(&file) {
                    let to = backup::kept_path(&file, &stamp);
                    fsutil::write_new(&to, &old)?;
                    kept.push(to);
                }
            }
            fsutil::write_atomic(&paths.config(), restored.config.as_bytes())?;
            // The home's other files (workspaces, age-file stores), each checked by
            // `backup::parse` to stay inside the home and off the files handled above.
            for (rel, bytes) in &restored.files {
                let file = paths.home().join(rel);
                fsutil::create_private_dir(fsutil::parent_dir(&file))?;
                if let Ok(old) = std::fs::read(&file) {
                    if old == bytes[..] {
                        continue;
                    }
                    let to = backup::kept_path(&file, &stamp);
                    fsutil::write_new(&to, &old)?;
                    kept.push(to);
                }
                fsutil::write_atomic(&file, bytes)?;
            }
        }
        let not_included = restored.not_included.len();
        let files = restored.files.len();
        let count = backup::restore(registry, restored, &output::now_rfc3339())?;
        Ok((count, not_included, files))
    })
    .map(|(count, not_included, files)| {
        output::status(&format!(
            "Restored {} vault secret(s), {} keychain secret(s) and {files} other file(s) of the home.",
            count.vault_secrets, count.keychain_secrets
        ));
        for file in &kept {
            output::status(&format!("Kept the replaced file as {}.", file.display()));
        }
        if not_included > 0 {
            output::warn(
                settings,
                &format!("{not_included} store(s) were not in the backup (listed in it); restore them on their own"),
            );
        }
    })
}
