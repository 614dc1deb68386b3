//! Finding the vault's age identity: the cheapest available source first.
//!
//! Order: `BYOK_IDENTITY_FILE` → `identity.txt` → the session cache (`byok unlock`, Linux
//! kernel keyring) → the OS keychain (`byok keychain remember`) → `identity.age` unlocked with
//! the passphrase from `BYOK_PASSPHRASE_FILE`, then `BYOK_PASSPHRASE`, then a hidden prompt on
//! a terminal.
//! Without any of them byok fails at once with [`Error::Locked`]; it never waits for input
//! that cannot come.

pub mod marker;
pub mod session_cache;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::x25519;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::prompt;
use crate::settings::Settings;

/// Where the identity came from; shown by `doctor` and in verbose messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentitySource {
    /// `BYOK_IDENTITY_FILE`.
    IdentityFileEnv(PathBuf),
    /// `identity.txt` in the home directory.
    IdentityTxt,
    /// The kernel-keyring session cache filled by `byok unlock`.
    SessionCache,
    /// The OS keychain, filled by `byok keychain remember` / `init --keychain`.
    Keychain,
    /// `identity.age`, passphrase from `BYOK_PASSPHRASE_FILE`.
    PassphraseFile,
    /// `identity.age`, passphrase from `BYOK_PASSPHRASE`.
    PassphraseEnv,
    /// `identity.age`, passphrase typed at a prompt.
    Prompt,
}

impl fmt::Display for IdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdentityFileEnv(path) => write!(f, "BYOK_IDENTITY_FILE ({})", path.display()),
            Self::IdentityTxt => f.write_str("identity.txt"),
            Self::SessionCache => f.write_str("session cache (byok unlock)"),
            Self::Keychain => f.write_str("OS keychain (byok keychain remember)"),
            Self::PassphraseFile => f.write_str("identity.age + BYOK_PASSPHRASE_FILE"),
            Self::PassphraseEnv => f.write_str("identity.age + BYOK_PASSPHRASE"),
            Self::Prompt => f.write_str("identity.age + passphrase prompt"),
        }
    }
}

/// The vault's identity, ready to decrypt. `x25519::Identity` zeroizes and has no `Debug`.
pub struct Unlocked {
    pub identity: x25519::Identity,
    pub source: IdentitySource,
}

impl fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unlocked")
            .field("identity", &"***")
            .field("source", &self.source)
            .finish()
    }
}

impl Unlocked {
    pub fn recipient(&self) -> x25519::Recipient {
        self.identity.to_public()
    }
}

/// Unlocks at most once per process, on first use: stores that never need the identity
/// (the keychain's values, a team server) never cost a passphrase prompt.
pub struct Unlocker {
    settings: std::sync::Arc<Settings>,
    unlocked: std::sync::OnceLock<Unlocked>,
    /// Set after a failed attempt: the user is never asked twice in one command.
    failed: std::sync::atomic::AtomicBool,
    /// Set by [`Unlocker::refuse`]: this process never unlocks (`byok mcp`).
    refused: std::sync::atomic::AtomicBool,
}

impl Unlocker {
    pub fn new(settings: std::sync::Arc<Settings>) -> Self {
        Unlocker {
            settings,
            unlocked: std::sync::OnceLock::new(),
            failed: Default::default(),
            refused: Default::default(),
        }
    }

    /// An unlocker that already holds an identity (for `init`).
    pub fn with(settings: std::sync::Arc<Settings>, unlocked: Unlocked) -> Self {
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(unlocked);
        Unlocker {
            settings,
            unlocked: cell,
            failed: Default::default(),
            refused: Default::default(),
        }
    }

    /// From now on this unlocker never unlocks: no identity file, cache, keychain or
    /// passphrase is read (`byok mcp`, which must not be able to reach a key). An identity
    /// already held stays.
    pub fn refuse(&self) {
        self.refused
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Hands it an identity unlocked elsewhere (the agent-proof proxy's own prompt);
    /// `false` when it already held one.
    pub fn provide(&self, unlocked: Unlocked) -> bool {
        self.unlocked.set(unlocked).is_ok()
    }

    /// The settings it unlocks with.
    pub fn settings(&self) -> &std::sync::Arc<Settings> {
        &self.settings
    }

    /// The identity if this process has it already, or can have it without a passphrase
    /// (an identity file or the session cache); never prompts, never fails.
    pub fn get_without_prompt(&self) -> Option<&Unlocked> {
        if let Some(unlocked) = self.unlocked.get() {
            return Some(unlocked);
        }
        if self.refused.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let unlocked = unlock_cheap(&self.settings)?;
        Some(self.unlocked.get_or_init(|| unlocked))
    }

    /// The identity, found (and cached) the first time it is asked for.
    pub fn get(&self) -> Result<&Unlocked> {
        if let Some(unlocked) = self.unlocked.get() {
            return Ok(unlocked);
        }
        use std::sync::atomic::Ordering;
        if self.failed.load(Ordering::Relaxed) || self.refused.load(Ordering::Relaxed) {
            return Err(Error::Locked);
        }
        let unlocked = unlock(&self.settings).inspect_err(|_| {
            self.failed.store(true, Ordering::Relaxed);
        })?;
        Ok(self.unlocked.get_or_init(|| unlocked))
    }
}

/// Finds the identity, asking for the passphrase only when nothing cheaper is available.
pub fn unlock(settings: &Settings) -> Result<Unlocked> {
    let paths = &settings.paths;
    crate::os::home_trust::check_home(paths)?;
    if let Some(path) = &settings.identity_file {
        let identity = read_identity_file(path)?;
        return Ok(Unlocked {
            identity,
            source: IdentitySource::IdentityFileEnv(path.clone()),
        });
    }
    let txt = paths.identity_txt();
    if txt.exists() {
        return Ok(Unlocked {
            identity: read_identity_file(&txt)?,
            source: IdentitySource::IdentityTxt,
        });
    }
    let encrypted = paths.identity_age();
    if !encrypted.exists() {
        return Err(Error::NotInitialised {
            home: paths.home.clone(),
        });
    }
    if let Some(unlocked) = from_session_cache(settings) {
        return Ok(unlocked);
    }
    if let Some(unlocked) = from_keychain(settings) {
        return Ok(unlocked);
    }
    unlock_with_passphrase(settings)
}

/// The identity from a source that costs no passphrase: `BYOK_IDENTITY_FILE`,
/// `identity.txt` or the session cache.
pub fn unlock_cheap(settings: &Settings) -> Option<Unlocked> {
    if let Some(path) = &settings.identity_file {
        return read_identity_file(path).ok().map(|identity| Unlocked {
            identity,
            source: IdentitySource::IdentityFileEnv(path.clone()),
        });
    }
    let txt = settings.paths.identity_txt();
    if txt.exists() {
        return read_identity_file(&txt).ok().map(|identity| Unlocked {
            identity,
            source: IdentitySource::IdentityTxt,
        });
    }
    if !settings.paths.identity_age().exists() {
        return None;
    }
    from_session_cache(settings)
}

/// The identity from `identity.age` with the passphrase typed at a terminal prompt, and
/// nothing else: no identity file, session cache, keychain or passphrase variable counts.
/// For loosening a reveal policy (a person at the keyboard, not a script, must agree).
pub fn unlock_typed(settings: &Settings, why: &str) -> Result<Unlocked> {
    if !settings.paths.identity_age().exists() {
        return Err(Error::LoosenRefused {
            reason: "this home has no passphrase (its identity is not in identity.age)".into(),
        });
    }
    if !settings.interactive() {
        return Err(Error::LoosenRefused {
            reason: "no terminal to type the vault passphrase on".into(),
        });
    }
    let typed = prompt::password(&format!("Vault passphrase ({why})"))?;
    let identity = decrypt_identity(&settings.paths.identity_age(), typed)?;
    Ok(Unlocked {
        identity,
        source: IdentitySource::Prompt,
    })
}

/// Decrypts `identity.age` with a passphrase from the environment or a prompt.
pub fn unlock_with_passphrase(settings: &Settings) -> Result<Unlocked> {
    let (passphrase, source) = passphrase(settings, "Vault passphrase")?;
    let identity = decrypt_identity(&settings.paths.identity_age(), passphrase)?;
    Ok(Unlocked { identity, source })
}

/// The kernel key description of this vault's cached identity.
pub fn cache_name(settings: &Settings) -> String {
    crate::unlock::session_cache::cache_name(&settings.paths.home)
}

/// The keychain account holding this vault's identity: `<home_id>/vault-identity`, so a
/// moved or restored home keeps it.
pub fn keychain_account(settings: &Settings) -> Result<String> {
    let home_id = crate::store::keychain::HomeId::new(settings.paths.home_id());
    Ok(format!("{}/vault-identity", home_id.get()?))
}

/// Where byok kept the identity before accounts were namespaced by the home id: a hash of
/// the home's path. Still read (and forgotten by `keychain forget`).
pub fn legacy_keychain_account(settings: &Settings) -> String {
    let name = cache_name(settings);
    let id = name.rsplit(':').next().unwrap_or(&name);
    format!("vault-identity/{id}")
}

/// A cached identity, if `byok unlock` left one that has not expired. Errors (no kernel
/// keyring here) only mean "not cached": the next source is tried.
fn from_session_cache(settings: &Settings) -> Option<Unlocked> {
    let text = crate::unlock::session_cache::load(&cache_name(settings)).ok()??;
    let identity = x25519::Identity::from_str(text.expose_secret().trim()).ok()?;
    Some(Unlocked {
        identity,
        source: IdentitySource::SessionCache,
    })
}

/// The identity from the OS keychain, if remembered there. An unreachable keychain only means
/// "not there": reading falls through to the passphrase, nothing is stored anywhere weaker.
fn from_keychain(settings: &Settings) -> Option<Unlocked> {
    use crate::store::keychain::SERVICE;
    let account = keychain_account(settings).ok()?;
    let text = match crate::os::keychain::get(SERVICE, &account).ok()? {
        Some(text) => text,
        None => crate::os::keychain::get(SERVICE, &legacy_keychain_account(settings)).ok()??,
    };
    let identity = x25519::Identity::from_str(text.expose_secret().trim()).ok()?;
    Some(Unlocked {
        identity,
        source: IdentitySource::Keychain,
    })
}

/// The passphrase from the first configured source, or a prompt on a terminal.
pub fn passphrase(
    settings: &Settings,
    prompt_text: &str,
) -> Result<(SecretString, IdentitySource)> {
    if let Some(path) = &settings.passphrase_file {
        let text = Zeroizing::new(
            std::fs::read_to_string(path).map_err(Error::io("read passphrase file", path))?,
        );
        let first = text.lines().next().unwrap_or("");
        if first.is_empty() {
            return Err(Error::EmptyPassphraseFile {
                path: path.clone(),
                var: crate::paths::ENV_PASSPHRASE_FILE,
            });
        }
        return Ok((SecretString::from(first), IdentitySource::PassphraseFile));
    }
    if let Some(passphrase) = &settings.passphrase {
        return Ok((passphrase.clone(), IdentitySource::PassphraseEnv));
    }
    if settings.interactive() {
        let typed = prompt::password(prompt_text)?;
        return Ok((typed, IdentitySource::Prompt));
    }
    Err(Error::Locked)
}

/// Reads a plain age identity file: `AGE-SECRET-KEY-1…` with optional `#` comments.
pub fn read_identity_file(path: &Path) -> Result<x25519::Identity> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(Error::io("read identity file", path))?,
    );
    parse_identity(&text, path)
}

fn parse_identity(text: &str, path: &Path) -> Result<x25519::Identity> {
    let bad = |reason: &str| Error::BadIdentity {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let mut keys = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let line = keys.next().ok_or_else(|| bad("it holds no identity"))?;
    if keys.next().is_some() {
        return Err(bad("it holds more than one identity"));
    }
    x25519::Identity::from_str(line)
        .map_err(|_| bad("the identity line is not an X25519 age identity"))
}

/// Decrypts `identity.age` with a passphrase (age's scrypt recipient).
pub fn decrypt_identity(path: &Path, passphrase: SecretString) -> Result<x25519::Identity> {
    let file = std::fs::read(path).map_err(Error::io("read", path))?;
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    // ArmoredReader reads armored and binary files alike.
    let armored = age::armor::ArmoredReader::new(&file[..]);
    let decryptor = age::Decryptor::new(armored).map_err(|e| corrupt(e.to_string()))?;
    if !decryptor.is_scrypt() {
        return Err(corrupt("it is not passphrase-encrypted".into()));
    }
    let identity = age::scrypt::Identity::new(passphrase);
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed
            | age::DecryptError::KeyDecryptionFailed
            | age::DecryptError::NoMatchingKeys => Error::WrongPassphrase {
                path: path.to_path_buf(),
            },
            other => corrupt(other.to_string()),
        })?;
    let mut text = Zeroizing::new(String::new());
    reader
        .read_to_string(&mut text)
        .map_err(|e| corrupt(e.to_string()))?;
    parse_identity(&text, path)
}

/// An HMAC-SHA256 keyed from the identity for one purpose: the key is SHA-256 of `context`
/// (a distinct, NUL-terminated label per kind of document) and the identity's secret text,
/// so a MAC made for one kind of file never verifies for another. The vault document, its
/// backups, the proxy's token file and its routing pin are sealed this way.
pub fn identity_mac(identity: &x25519::Identity, context: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    use sha2::Digest;
    let secret = identity.to_string();
    let key: Zeroizing<[u8; 32]> = Zeroizing::new(
        sha2::Sha256::new()
            .chain_update(context)
            .chain_update(secret.expose_secret().as_bytes())
            .finalize()
            .into(),
    );
    <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key[..]).expect("HMAC takes any key length")
}

/// A new identity's file text, in the format `age-keygen` writes.
pub fn identity_file_text(identity: &x25519::Identity) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "# created by byok: the identity of this byok vault\n# public key: {}\n{}\n",
        identity.to_public(),
        identity.to_string().expose_secret()
    ))
}

/// Encrypts an identity file with a passphrase (age scrypt).
pub fn encrypt_identity(identity: &x25519::Identity, passphrase: SecretString) -> Result<Vec<u8>> {
    let text = identity_file_text(identity);
    let encryptor = age::Encryptor::with_user_passphrase(passphrase);
    let mut out = Vec::with_capacity(text.len() + 256);
    let mut writer = encryptor
        .wrap_output(
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .map_err(|e| Error::Encrypt(e.to_string()))?,
        )
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut writer, text.as_bytes())
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    writer
        .finish()
        .and_then(|armor| armor.finish())
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Stores an already unlocked identity in the OS keychain (also used by `init --keychain`).
pub fn remember_unlocked(settings: &crate::settings::Settings, unlocked: &Unlocked) -> Result<()> {
    let account = keychain_account(settings)?;
    let text = unlocked.identity.to_string();
    crate::os::keychain::set(crate::store::keychain::SERVICE, &account, &text)?;
    let stored = crate::os::keychain::get(crate::store::keychain::SERVICE, &account)?;
    if stored.as_ref().map(|s| s.expose_secret()) != Some(text.expose_secret()) {
        return Err(crate::error::Error::Keychain(
            crate::os::keychain::KeychainError::ProbeFailed {
                backend: crate::os::keychain::backend_name(),
                reason: "it did not return the identity just stored",
            },
        ));
    }
    crate::term::output::status(&format!(
        "The vault identity is in the OS keychain ({}); byok reads the vault without a passphrase while it is unlocked.",
        crate::os::keychain::backend_name()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_file_round_trips() {
        let identity = x25519::Identity::generate();
        let text = identity_file_text(&identity);
        let parsed = parse_identity(&text, Path::new("x")).unwrap();
        assert_eq!(
            parsed.to_public().to_string(),
            identity.to_public().to_string()
        );
    }

    #[test]
    fn identity_file_with_two_keys_is_refused() {
        let a = identity_file_text(&x25519::Identity::generate());
        let b = identity_file_text(&x25519::Identity::generate());
        let both = format!("{}{}", *a, *b);
        assert!(matches!(
            parse_identity(&both, Path::new("x")),
            Err(Error::BadIdentity { .. })
        ));
    }

    #[test]
    fn unlocked_debug_hides_the_identity() {
        let unlocked = Unlocked {
            identity: x25519::Identity::generate(),
            source: IdentitySource::IdentityTxt,
        };
        let printed = format!("{unlocked:?}");
        assert!(!printed.contains("AGE-SECRET-KEY"), "{printed}");
    }
}
