//! `byok init`: create the home directory, the vault identity and an empty vault.

use age::x25519;

use std::sync::Arc;

use crate::cli::InitArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::output;
use crate::prompt;
use crate::settings::Settings;
use crate::store::keychain::HomeId;
use crate::store::vault::{VaultFile, WhenMissing};
use crate::unlock::{self, IdentitySource, Unlocked, Unlocker};

const CONFIG_TEMPLATE: &str = "\
# byok settings (no secret values ever go in this file).
# See README.md, section \"Files\".
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
    let passphrase = if args.no_passphrase {
        None
    } else {
        Some(new_passphrase(settings)?)
    };

    fsutil::create_private_dir(&paths.home)?;
    restrict_dir(&paths.home)?;
    let identity = x25519::Identity::generate();
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
        crate::commands::lock::remember_unlocked(settings, unlocker.get()?)?;
    }
    Ok(())
}

fn new_passphrase(settings: &Settings) -> Result<(secrecy::SecretString, IdentitySource)> {
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
    if passphrase.expose_secret().is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    Ok((passphrase, source))
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
