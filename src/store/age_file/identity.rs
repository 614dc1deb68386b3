//! The identity a member opens a shared file with: the store's `identity = PATH` — an age
//! identity file (plain, or passphrase-encrypted with `age -p`), or an OpenSSH ed25519
//! private key (with or without a passphrase) — or else the home's own identity.
//!
//! The passphrase of a protected identity comes from `BYOK_STORE_PASSPHRASE_FILE` (its first
//! line) or a hidden prompt on a terminal; without either byok fails at once (exit 4).

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::settings::Settings;

/// Identity files larger than this are not identity files.
const MAX_IDENTITY: u64 = 64 * 1024;

/// An unlocked identity of a member.
pub enum MemberKey {
    X25519(age::x25519::Identity),
    Ssh(age::ssh::Identity),
}

impl MemberKey {
    pub fn as_identity(&self) -> &dyn age::Identity {
        match self {
            MemberKey::X25519(identity) => identity,
            MemberKey::Ssh(identity) => identity,
        }
    }
}

/// A loaded identity: the key and its public recipient text (`age1…` / `ssh-ed25519 AAAA…`).
pub struct Loaded {
    pub key: MemberKey,
    pub public: String,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("key", &"***")
            .field("public", &self.public)
            .finish()
    }
}

/// Reads the identity at `path` for store `store`, asking for its passphrase if it has one.
pub fn load(path: &Path, store: &str, settings: &Settings) -> Result<Loaded> {
    let bad = |reason: &str| Error::BadIdentity {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let size = std::fs::metadata(path)
        .map_err(Error::io("read identity file", path))?
        .len();
    if size > MAX_IDENTITY {
        return Err(bad("it is too large to be an identity file"));
    }
    let bytes = Zeroizing::new(std::fs::read(path).map_err(Error::io("read identity file", path))?);
    if bytes.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----") {
        return load_ssh(&bytes, path, store, settings);
    }
    if bytes.starts_with(b"age-encryption.org/v1")
        || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    {
        let passphrase = passphrase(path, store, settings)?;
        let identity = crate::unlock::decrypt_identity(path, passphrase)?;
        let public = identity.to_public().to_string();
        return Ok(Loaded {
            key: MemberKey::X25519(identity),
            public,
        });
    }
    let identity = crate::unlock::read_identity_file(path).map_err(|_| {
        bad(
            "expected an age identity (AGE-SECRET-KEY-1…, optionally encrypted with `age -p`) \
             or an OpenSSH ed25519 private key",
        )
    })?;
    let public = identity.to_public().to_string();
    Ok(Loaded {
        key: MemberKey::X25519(identity),
        public,
    })
}

fn load_ssh(bytes: &[u8], path: &Path, store: &str, settings: &Settings) -> Result<Loaded> {
    let bad = |reason: &str| Error::BadIdentity {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let identity = age::ssh::Identity::from_buffer(bytes, Some(path.display().to_string()))
        .map_err(|_| bad("it is not a readable OpenSSH private key"))?;
    let identity = match identity {
        age::ssh::Identity::Unencrypted(_) => identity,
        age::ssh::Identity::Encrypted(encrypted) => {
            let passphrase = passphrase(path, store, settings)?;
            let key = encrypted
                .decrypt(passphrase)
                .map_err(|_| Error::WrongPassphrase {
                    path: path.to_path_buf(),
                })?;
            age::ssh::Identity::Unencrypted(key)
        }
        age::ssh::Identity::Unsupported(_) => {
            return Err(bad(
                "this kind of SSH key is not supported (use ssh-ed25519)",
            ));
        }
    };
    let public = match age::ssh::Recipient::try_from(identity.clone()) {
        Ok(recipient @ age::ssh::Recipient::SshEd25519(..)) => recipient.to_string(),
        Ok(age::ssh::Recipient::SshRsa(..)) => {
            return Err(bad("only ssh-ed25519 keys are supported"));
        }
        Err(_) => return Err(bad("its public key could not be derived")),
    };
    Ok(Loaded {
        key: MemberKey::Ssh(identity),
        public,
    })
}

/// The passphrase of the identity at `path`: `BYOK_STORE_PASSPHRASE_FILE`, else a prompt.
fn passphrase(path: &Path, store: &str, settings: &Settings) -> Result<SecretString> {
    if let Some(file) = &settings.store_passphrase_file {
        let text = Zeroizing::new(
            std::fs::read_to_string(file).map_err(Error::io("read passphrase file", file))?,
        );
        let first = text.lines().next().unwrap_or("");
        if first.is_empty() {
            return Err(Error::EmptyPassphraseFile {
                path: file.clone(),
                var: crate::paths::ENV_STORE_PASSPHRASE_FILE,
            });
        }
        return Ok(SecretString::from(first));
    }
    if settings.interactive() {
        return crate::prompt::password(&format!("Passphrase for {}", path.display()));
    }
    Err(Error::StoreLocked {
        store: store.to_owned(),
        identity: PathBuf::from(path),
    })
}
