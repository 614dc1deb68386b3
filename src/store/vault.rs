//! The age vault: `vault.age`, a standard age file encrypted to the vault's X25519 identity.
//!
//! Its plaintext is a JSON document (format version 1), documented in README.md:
//!
//! ```json
//! { "byok_vault": 1,
//!   "secrets": { "my_openai_key": { "label": "My OpenAI key", "provider": "openai",
//!       "created": "2026-11-23T05:00:00Z", "updated": "…", "rotated": "…",
//!       "fields": { "api_key": "sk-…" } } } }
//! ```
//!
//! JSON because it parses fast: `secret get` decrypts into one zeroizing buffer and parses only
//! the requested record, skipping the others without allocating for them. Writes hold an
//! exclusive lock, re-read the vault, and replace it atomically; a vault that cannot be parsed
//! is reported and never overwritten.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::scan;
use super::{Store, StoreKind};
use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::secret::SecretValue;
use crate::settings::Settings;
use crate::unlock::Unlocked;

/// The newest plaintext format this byok reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// The decrypted vault document.
#[derive(Debug, Serialize, Deserialize)]
pub struct VaultDoc {
    /// Format version; also marks the document as a byok vault.
    pub byok_vault: u64,
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretRecord>,
}

impl Default for VaultDoc {
    fn default() -> Self {
        Self {
            byok_vault: FORMAT_VERSION,
            secrets: BTreeMap::new(),
        }
    }
}

/// One named secret: metadata and, for vault-stored secrets, its values.
/// Unknown keys are refused: the lookup fast path in `scan` relies on the exact schema.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRecord {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "StoreKind::is_default")]
    pub store: StoreKind,
    /// RFC 3339 UTC timestamps.
    pub created: String,
    pub updated: String,
    /// When a value was last set by `add` of a new secret or by `rotate`.
    pub rotated: String,
    /// Field name → value (`null` when the value lives in another store).
    #[serde(serialize_with = "serialize_fields")]
    pub fields: BTreeMap<String, Option<SecretValue>>,
}

/// The one place a value is serialized: into the vault plaintext, which is encrypted next.
fn serialize_fields<S: Serializer>(
    fields: &BTreeMap<String, Option<SecretValue>>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(
        fields
            .iter()
            .map(|(name, value)| (name, value.as_ref().map(SecretValue::expose))),
    )
}

impl Store for VaultDoc {
    fn kind(&self) -> StoreKind {
        StoreKind::Vault
    }

    fn get(&self, reference: &str, field: &str) -> Result<Option<SecretValue>> {
        Ok(self
            .secrets
            .get(reference)
            .and_then(|r| r.fields.get(field))
            .and_then(Clone::clone))
    }

    fn put(&mut self, reference: &str, field: &str, value: SecretValue) -> Result<()> {
        let record = self
            .secrets
            .get_mut(reference)
            .ok_or_else(|| Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            })?;
        record.fields.insert(field.to_owned(), Some(value));
        Ok(())
    }

    fn delete(&mut self, reference: &str, field: &str) -> Result<bool> {
        Ok(self
            .secrets
            .get_mut(reference)
            .and_then(|r| r.fields.remove(field))
            .is_some())
    }
}

/// The decrypted plaintext of `vault.age`, wiped from memory on drop.
pub struct Plaintext(Zeroizing<Vec<u8>>);

/// Only the names, and the one record asked for, get parsed.
#[derive(Deserialize)]
struct LazyDoc<'a> {
    byok_vault: u64,
    #[serde(borrow, default)]
    secrets: HashMap<Cow<'a, str>, &'a RawValue>,
}

#[derive(Deserialize)]
struct VersionOnly {
    byok_vault: Option<u64>,
}

impl Plaintext {
    /// Parses the whole document.
    pub fn parse(&self, path: &Path) -> Result<VaultDoc> {
        check_version(&self.0, path)?;
        serde_json::from_slice(&self.0).map_err(|e| corrupt(path, e))
    }

    /// Parses one record (and the list of names, for "did you mean" hints).
    pub fn find(
        &self,
        path: &Path,
        reference: &str,
    ) -> Result<(Option<SecretRecord>, Vec<String>)> {
        match scan::find(&self.0, reference) {
            Some(raw) => {
                let record = serde_json::from_slice(raw).map_err(|e| corrupt(path, e))?;
                Ok((Some(record), Vec::new()))
            }
            None => self.find_slow(path, reference),
        }
    }

    /// The same through serde (escaped names, or a document the scanner cannot read).
    fn find_slow(
        &self,
        path: &Path,
        reference: &str,
    ) -> Result<(Option<SecretRecord>, Vec<String>)> {
        let doc: LazyDoc<'_> = serde_json::from_slice(&self.0).map_err(|e| {
            check_version(&self.0, path)
                .err()
                .unwrap_or_else(|| corrupt(path, e))
        })?;
        if doc.byok_vault > FORMAT_VERSION {
            return Err(newer(path, doc.byok_vault));
        }
        match doc.secrets.get(reference) {
            Some(raw) => {
                let record = serde_json::from_str(raw.get()).map_err(|e| corrupt(path, e))?;
                Ok((Some(record), Vec::new()))
            }
            None => Ok((None, doc.secrets.keys().map(|k| k.to_string()).collect())),
        }
    }
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("its contents are not a byok vault document ({e})"),
    }
}

fn newer(path: &Path, found: u64) -> Error {
    Error::NewerFormat {
        path: path.to_path_buf(),
        found,
        supported: FORMAT_VERSION,
    }
}

fn check_version(plaintext: &[u8], path: &Path) -> Result<()> {
    match serde_json::from_slice::<VersionOnly>(plaintext) {
        Ok(VersionOnly {
            byok_vault: Some(v),
        }) if v > FORMAT_VERSION => Err(newer(path, v)),
        Ok(VersionOnly { byok_vault: None }) => Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: "it decrypts, but is not a byok vault document (no \"byok_vault\" key)".into(),
        }),
        _ => Ok(()),
    }
}

/// Fails with "not initialised" before any passphrase is asked for.
pub fn ensure_exists(settings: &Settings) -> Result<()> {
    if settings.paths.vault().exists() {
        Ok(())
    } else {
        Err(Error::NotInitialised {
            home: settings.paths.home.clone(),
        })
    }
}

/// Decrypts `vault.age`.
pub fn load(settings: &Settings, unlocked: &Unlocked) -> Result<Plaintext> {
    let path = settings.paths.vault();
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NotInitialised {
                home: settings.paths.home.clone(),
            });
        }
        Err(e) => return Err(Error::io("read", path)(e)),
    };
    let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    decrypt(
        BufReader::with_capacity(64 * 1024, file),
        size,
        &path,
        unlocked,
    )
}

fn decrypt(
    ciphertext: impl BufRead,
    size: usize,
    path: &Path,
    unlocked: &Unlocked,
) -> Result<Plaintext> {
    let broken = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(|e| broken(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&unlocked.identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Error::BadIdentity {
                path: path.to_path_buf(),
                reason: format!(
                    "the vault is not encrypted to the identity from {} (an identity of another vault?)",
                    unlocked.source
                ),
            },
            other => broken(other.to_string()),
        })?;
    // Sized up front (the plaintext is smaller than the file) so the buffer never reallocates
    // and leaves unwiped copies behind.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(size));
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| broken(format!("decryption failed ({e})")))?;
    Ok(Plaintext(plaintext))
}

/// Encrypts a document to the vault's recipient.
fn encrypt(doc: &VaultDoc, unlocked: &Unlocked) -> Result<Vec<u8>> {
    let mut plaintext = Zeroizing::new(Vec::with_capacity(4096 + doc.secrets.len() * 256));
    serde_json::to_writer_pretty(&mut *plaintext, doc)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    plaintext.push(b'\n');
    let recipient = unlocked.recipient();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut writer, &plaintext)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Writes a new, empty vault (for `init`); fails if one exists.
pub fn create(settings: &Settings, unlocked: &Unlocked) -> Result<()> {
    let bytes = encrypt(&VaultDoc::default(), unlocked)?;
    fsutil::write_new(&settings.paths.vault(), &bytes)
}

/// Reads, changes and atomically rewrites the vault under the exclusive writer lock.
///
/// The closure sees the current document (re-read under the lock, so concurrent writers do
/// not lose each other's changes). When it fails, nothing is written.
pub fn modify<T>(
    settings: &Settings,
    unlocked: &Unlocked,
    change: impl FnOnce(&mut VaultDoc) -> Result<T>,
) -> Result<T> {
    let _lock = WriteLock::acquire(&settings.paths.lock())?;
    let path = settings.paths.vault();
    let mut doc = load(settings, unlocked)?.parse(&path)?;
    let result = change(&mut doc)?;
    let bytes = encrypt(&doc, unlocked)?;
    fsutil::write_atomic(&path, &bytes)?;
    Ok(result)
}
