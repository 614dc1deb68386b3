//! `byok init`: create the home directory, the vault identity and an empty vault.

use age::x25519;

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::cli::InitArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::prompt;
use crate::settings::Settings;
use crate::store::keychain::HomeId;
use crate::store::vault::{VaultFile, WhenMissing};
use crate::term::output;
use crate::unlock::{self, IdentitySource, Unlocked, Unlocker};

const CONFIG_TEMPLATE: &str = "\
# byok settings (no secret values ever go in this file).
# See docs/reference/files.md and docs/connectors.md (config.toml).
";

pub fn run(ctx: &Context, args: &InitArgs) -> Result<()> {
    let settings = &ctx.settings;
    let paths = &settings.paths;
    let existing = [paths.vault(), paths.identity_age(), paths.identity_txt()];
    if existing.iter().any(|p| p.exists()) {
        return Err(Error::AlreadyInitialised {
            home: paths.home.clone(),
        });
    }
    // Ask before creating anything, so a cancelled prompt leaves no half-made home.
    // The old identity first: its passphrase (if any) is asked before the new one.
    let kept = args
        .identity
        .as_deref()
        .map(|path| existing_identity(settings, path))
        .transpose()?;
    let passphrase = if args.no_passphrase {
        None
    } else {
        Some(new_passphrase(settings, args.weak_passphrase)?)
    };

    fsutil::create_private_dir(&paths.home)?;
    restrict_dir(&paths.home)?;
    let identity = kept.unwrap_or_else(x25519::Identity::generate);
    let source = match passphrase {
        None => {
            let text = unlock::identity_file_text(&identity);
            fsutil::write_new(&paths.identity_txt(), text.as_bytes())?;
            IdentitySource::IdentityTxt
        }
        Some((passphrase, source)) => {
            let bytes = unlock::encrypt_identity(&identity, passphrase)?;
            fsutil::write_new(&paths.identity_age(), &bytes)?;
            source
        }
    };
    let recipient = identity.to_public();
    let unlocker = Arc::new(Unlocker::with(
        Arc::clone(settings),
        Unlocked { identity, source },
    ));
    VaultFile::new(
        paths.vault(),
        paths.lock(),
        paths.home.clone(),
        WhenMissing::NotInitialised,
        Arc::clone(&unlocker),
    )
    .create()?;
    if !paths.home_id().exists() {
        HomeId::create(&paths.home_id())?;
    }
    if !paths.config().exists() {
        fsutil::write_new(&paths.config(), CONFIG_TEMPLATE.as_bytes())?;
    }
    let created = format!(
        "Created the byok vault in {}\n  public key: {}\n  unlock: {}",
        paths.home.display(),
        recipient,
        if args.no_passphrase {
            "identity.txt (unencrypted; keep this directory private)"
        } else {
            "passphrase (prompt, BYOK_PASSPHRASE_FILE or BYOK_PASSPHRASE)"
        }
    );
    output::status(&created);
    if args.keychain {
        crate::unlock::remember_unlocked(settings, unlocker.get()?)?;
    }
    Ok(())
}

/// The shortest passphrase `init` accepts without `--weak-passphrase`, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// An identity to keep (`init --identity FILE`): a plain age identity file, or an
/// `identity.age` opened with its passphrase (typed; this is the old home's, not the new
/// one's, so no variable or file is used for it).
fn existing_identity(settings: &Settings, path: &std::path::Path) -> Result<x25519::Identity> {
    let head = {
        use std::io::Read;
        let mut head = [0u8; 40];
        let file = std::fs::File::open(path).map_err(Error::io("read identity file", path))?;
        let n = file
            .take(head.len() as u64)
            .read(&mut head)
            .map_err(Error::io("read identity file", path))?;
        head[..n].to_vec()
    };
    if head.starts_with(b"age-encryption.org/") || head.starts_with(b"-----BEGIN AGE") {
        if !settings.interactive() {
            return Err(Error::Usage(format!(
                "{} is passphrase-protected: run `byok init --identity` on a terminal to type its passphrase, \
                 or decrypt it first (`age -d {} > old-identity.txt`, then shred it)",
                path.display(),
                path.display()
            )));
        }
        let typed = prompt::password(&format!("Passphrase of {}", path.display()))?;
        return unlock::decrypt_identity(path, typed);
    }
    unlock::read_identity_file(path)
}

fn new_passphrase(
    settings: &Settings,
    allow_weak: bool,
) -> Result<(secrecy::SecretString, IdentitySource)> {
    use secrecy::ExposeSecret;
    let (passphrase, source) =
        if settings.passphrase_file.is_some() || settings.passphrase.is_some() {
            unlock::passphrase(settings, "")?
        } else if settings.interactive() {
            (
                prompt::new_password("New vault passphrase")?,
                IdentitySource::Prompt,
            )
        } else {
            return Err(Error::NoNewPassphrase);
        };
    check_new_passphrase(settings, passphrase.expose_secret(), allow_weak)?;
    Ok((passphrase, source))
}

/// A new passphrase must not be empty, nor shorter than the minimum unless allowed; a weak
/// one is warned about.
fn check_new_passphrase(settings: &Settings, text: &str, allow_weak: bool) -> Result<()> {
    if text.is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    let length = text.chars().count();
    if length < MIN_PASSPHRASE_CHARS && !allow_weak {
        return Err(Error::WeakPassphrase {
            length,
            minimum: MIN_PASSPHRASE_CHARS,
        });
    }
    if let Some(warning) = strength_warning(text) {
        output::warn(settings, &warning);
    }
    Ok(())
}

/// `byok passphrase [--remove]`: adds, changes or removes the vault passphrase. Only the
/// identity file is re-encrypted; the vault, the keychain entries and the audit log stay as
/// they are (they are keyed by the identity, which does not change).
///
/// Changing or removing a passphrase needs the current one itself (prompt,
/// `BYOK_PASSPHRASE_FILE` or `BYOK_PASSPHRASE`), never a cached unlock: whoever holds only
/// a session cache must not be able to choose a passphrase and then loosen a reveal policy
/// with it. Adding one to a home without needs nothing more than `identity.txt`, which
/// already opens everything.
///
/// The new file is written before the old one is removed, so a crash leaves the old way to
/// unlock working (`identity.txt` is tried first; run the command again).
pub fn passphrase(ctx: &Context, args: &crate::cli::PassphraseArgs) -> Result<()> {
    use secrecy::ExposeSecret;
    let settings = &ctx.settings;
    let paths = &settings.paths;
    crate::os::home_trust::check_home(paths)?;
    let (txt, age) = (paths.identity_txt(), paths.identity_age());
    let had_passphrase = !txt.exists() && age.exists();
    let identity = if had_passphrase {
        unlock::unlock_with_passphrase(settings)?.identity
    } else if txt.exists() {
        unlock::read_identity_file(&txt)?
    } else {
        return Err(Error::NotInitialised {
            home: paths.home.clone(),
        });
    };
    if args.remove {
        if !had_passphrase {
            return Err(Error::Usage(
                "this home has no passphrase to remove (its identity is in identity.txt)".into(),
            ));
        }
        let text = unlock::identity_file_text(&identity);
        fsutil::write_atomic(&txt, text.as_bytes())?;
        remove_synced(&age)?;
        output::status(
            "Removed the vault passphrase: the identity is in identity.txt, unencrypted.",
        );
        output::warn(
            settings,
            "any program running as you can now open the vault, and a `reveal never` policy \
             cannot be loosened until you add a passphrase again (`byok passphrase`)",
        );
        return Ok(());
    }
    let new = match &args.new_passphrase_file {
        Some(path) => {
            let text = Zeroizing::new(
                std::fs::read_to_string(path).map_err(Error::io("read passphrase file", path))?,
            );
            secrecy::SecretString::from(text.lines().next().unwrap_or(""))
        }
        None if settings.interactive() => prompt::new_password("New vault passphrase")?,
        None => return Err(Error::NoNewPassphrase),
    };
    check_new_passphrase(settings, new.expose_secret(), args.weak_passphrase)?;
    let bytes = unlock::encrypt_identity(&identity, new)?;
    fsutil::write_atomic(&age, &bytes)?;
    if txt.exists() {
        remove_synced(&txt)?;
    }
    output::status(if had_passphrase {
        "Changed the vault passphrase."
    } else {
        "Added a vault passphrase: the identity is in identity.age, and identity.txt is gone."
    });
    Ok(())
}

/// Removes `path` and makes the removal durable.
fn remove_synced(path: &std::path::Path) -> Result<()> {
    std::fs::remove_file(path).map_err(Error::io("remove", path))?;
    #[cfg(unix)]
    std::fs::File::open(fsutil::parent_dir(path))
        .and_then(|d| d.sync_all())
        .map_err(Error::io("sync directory", fsutil::parent_dir(path)))?;
    Ok(())
}

/// A warning when zxcvbn guesses the passphrase would fall to an offline attack on
/// `identity.age` (score below 3 of 4). Never contains the passphrase.
fn strength_warning(passphrase: &str) -> Option<String> {
    // zxcvbn's cost grows with the length; past 100 characters a passphrase is not weak.
    if passphrase.chars().count() > 100 {
        return None;
    }
    let estimate = zxcvbn::zxcvbn(passphrase, &["byok"]);
    let score = u8::from(estimate.score());
    if score >= 3 {
        return None;
    }
    let mut advice = String::new();
    if let Some(feedback) = estimate.feedback() {
        if let Some(w) = feedback.warning() {
            let w = w.to_string();
            advice.push(' ');
            advice.push_str(w.trim_end_matches('.'));
            advice.push('.');
        }
        for s in feedback.suggestions().iter().take(2) {
            advice.push_str(&format!(" {s}"));
        }
    }
    Some(format!(
        "this passphrase is weak (strength {score} of 4; an offline guess would take about {}).{advice}",
        estimate.crack_times().offline_slow_hashing_1e4_per_second()
    ))
}

/// The home holds the vault: nobody else may list or enter it.
fn restrict_dir(dir: &std::path::Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(Error::io("set permissions of", dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
