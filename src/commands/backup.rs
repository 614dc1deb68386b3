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
    let config = ctx.config()?;
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
    let excluded: Vec<Excluded> = config
        .stores()
        .iter()
        .map(|s| Excluded {
            store: s.name.clone(),
            kind: s.kind.clone(),
        })
        .collect();
    ctx.audited(vec![Entry::new("backup")], || {
        let plaintext = backup::build(registry, &config.text(), &excluded, &output::now_rfc3339())?;
        let bytes = backup::encrypt(&plaintext, key)?;
        fsutil::write_new(&args.file, &bytes)
    })?;
    output::status(&format!("Wrote the backup {}.", args.file.display()));
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
    let key = if backup::is_passphrase(path, &bytes)? {
        Key::Passphrase(backup_passphrase(
            ctx,
            args.passphrase_file.as_deref(),
            false,
        )?)
    } else {
        Key::Identity(unlocked)
    };
    let restored = backup::read(path, &bytes, key)?;
    let summary = format!(
        "Restore the backup of {} ({} vault secret(s), {} keychain secret(s))? \
         The current vault and config.toml are kept beside them",
        restored.created,
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
        }
        let not_included = restored.not_included.len();
        let count = backup::restore(registry, restored, &output::now_rfc3339())?;
        Ok((count, not_included))
    })
    .map(|(count, not_included)| {
        output::status(&format!(
            "Restored {} vault secret(s) and {} keychain secret(s).",
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
