//! Backups: one age file holding the home vault's document, `config.toml` and the
//! keychain's values, so that a restore loses nothing the home keeps.
//!
//! The plaintext is a JSON document (README, "Backups"):
//!
//! ```json
//! { "byok_backup": 1, "created": "2026-12-01T12:00:00Z",
//!   "vault": { "byok_vault": 2, "secrets": { … }, "index": { … } },
//!   "config": "…the text of config.toml…",
//!   "keychain": { "my_claude_key": { "fields": { "api_key": "sk-ant-…" },
//!                                    "previous": { "api_key": "sk-ant-…" } } },
//!   "not_included": [ { "store": "team", "type": "age-file" } ] }
//! ```
//!
//! It is encrypted to the vault's recipient (the reference `age -d -i identity.txt` reads
//! it) or, with a passphrase, with age's scrypt recipient (`age -d` asks for it). Values are
//! only ever in zeroizing buffers on their way into the encryptor.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::store::vault::doc::{self, VaultDoc};
use crate::store::{Exact, Meta, Put, PutMode, Registry};
use crate::unlock::Unlocked;

/// The backup format version.
pub const FORMAT: u64 = crate::formats::BACKUP.current;

/// One keychain secret's values in a backup.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct KeychainValues {
    #[serde(default)]
    pub fields: BTreeMap<String, SecretValue>,
    #[serde(default)]
    pub previous: BTreeMap<String, SecretValue>,
}

/// A store a backup leaves out, and why.
#[derive(Debug, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excluded {
    pub store: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A backup read back.
pub struct Backup {
    pub created: String,
    pub vault: VaultDoc,
    pub config: Zeroizing<String>,
    pub keychain: BTreeMap<String, KeychainValues>,
    pub not_included: Vec<Excluded>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw<'a> {
    byok_backup: u64,
    #[serde(default)]
    created: String,
    #[serde(borrow)]
    vault: &'a serde_json::value::RawValue,
    #[serde(default)]
    config: String,
    #[serde(default)]
    keychain: BTreeMap<String, KeychainValues>,
    #[serde(default)]
    not_included: Vec<Excluded>,
}

/// How a backup file is encrypted.
pub enum Key<'a> {
    Identity(&'a Unlocked),
    Passphrase(SecretString),
}

/// The plaintext of a backup of this home: the vault document, `config`, the keychain's
/// values (read from the OS), and the stores left out.
pub fn build(
    registry: &Registry,
    config_text: &str,
    excluded: &[Excluded],
    now: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut vault = registry.home_vault().load()?;
    let vault_json = doc::encode(&mut vault)?;
    let keychain = registry.store(crate::store::keychain::NAME)?;
    let metas: Vec<Meta> = match vault.index.get(crate::store::keychain::NAME) {
        Some(index) if !index.is_empty() => keychain.list()?,
        _ => Vec::new(),
    };
    let mut out = Zeroizing::new(Vec::with_capacity(vault_json.len() + 4096));
    out.extend_from_slice(b"{\n\"byok_backup\": 1,\n\"created\": ");
    json(now, &mut out)?;
    out.extend_from_slice(b",\n\"vault\": ");
    out.extend_from_slice(&vault_json);
    out.extend_from_slice(b",\n\"config\": ");
    json(config_text, &mut out)?;
    out.extend_from_slice(b",\n\"keychain\": {");
    for (i, meta) in metas.iter().enumerate() {
        let fields: Vec<&str> = meta.fields.iter().map(String::as_str).collect();
        let values = keychain.get_many(&meta.reference, &fields)?;
        let previous: Vec<&str> = meta.previous.iter().map(String::as_str).collect();
        let old = keychain.get_previous(&meta.reference, &previous)?;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"\n  ");
        json(&meta.reference, &mut out)?;
        out.extend_from_slice(b": {\"fields\": ");
        write_values(&mut out, &fields, &values)?;
        out.extend_from_slice(b", \"previous\": ");
        write_values(&mut out, &previous, &old)?;
        out.push(b'}');
    }
    out.extend_from_slice(b"},\n\"not_included\": ");
    json(excluded, &mut out)?;
    out.extend_from_slice(b"\n}\n");
    Ok(out)
}

fn json<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<()> {
    serde_json::to_writer(out, value).map_err(|e| Error::Encrypt(e.to_string()))
}

fn write_values(out: &mut Vec<u8>, names: &[&str], values: &[Option<SecretValue>]) -> Result<()> {
    out.push(b'{');
    let mut first = true;
    for (name, value) in names.iter().zip(values) {
        let Some(value) = value else { continue };
        if !first {
            out.extend_from_slice(b", ");
        }
        first = false;
        serde_json::to_writer(&mut *out, name).map_err(|e| Error::Encrypt(e.to_string()))?;
        out.extend_from_slice(b": ");
        serde_json::to_writer(&mut *out, value.expose())
            .map_err(|e| Error::Encrypt(e.to_string()))?;
    }
    out.push(b'}');
    Ok(())
}

/// Encrypts a backup plaintext (binary age format, as `age -e` writes by default).
pub fn encrypt(plaintext: &[u8], key: Key<'_>) -> Result<Vec<u8>> {
    let encryptor = match key {
        Key::Identity(unlocked) => {
            let recipient = unlocked.recipient();
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| Error::Encrypt(e.to_string()))?
        }
        Key::Passphrase(passphrase) => age::Encryptor::with_user_passphrase(passphrase),
    };
    let mut out = Vec::with_capacity(plaintext.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    writer
        .write_all(plaintext)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Whether the file at `path` is passphrase-encrypted (else: to a recipient).
pub fn is_passphrase(path: &Path, bytes: &[u8]) -> Result<bool> {
    let decryptor = age::Decryptor::new(age::armor::ArmoredReader::new(bytes)).map_err(|_| {
        Error::BadBackup {
            path: path.to_path_buf(),
            reason: "it is not an age file".into(),
        }
    })?;
    Ok(decryptor.is_scrypt())
}

/// Decrypts and parses a backup.
pub fn read(path: &Path, bytes: &[u8], key: Key<'_>) -> Result<Backup> {
    let bad = |reason: String| Error::BadBackup {
        path: path.to_path_buf(),
        reason,
    };
    let decryptor = age::Decryptor::new(age::armor::ArmoredReader::new(bytes))
        .map_err(|_| bad("it is not an age file".into()))?;
    let scrypt;
    let identity: &dyn age::Identity = match &key {
        Key::Identity(unlocked) => &unlocked.identity,
        Key::Passphrase(passphrase) => {
            scrypt = age::scrypt::Identity::new(passphrase.clone());
            &scrypt
        }
    };
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|e| match (e, &key) {
            (
                age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed,
                Key::Passphrase(_),
            ) => Error::WrongPassphrase {
                path: path.to_path_buf(),
            },
            (age::DecryptError::NoMatchingKeys, _) => {
                bad("it is not encrypted to this vault's identity".into())
            }
            (other, _) => bad(other.to_string()),
        })?;
    let mut plaintext = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| bad(format!("decryption failed ({e})")))?;
    parse(path, &plaintext)
}

/// Parses a backup's plaintext; errors name positions, never content.
pub fn parse(path: &Path, plaintext: &[u8]) -> Result<Backup> {
    let bad = |reason: String| Error::BadBackup {
        path: path.to_path_buf(),
        reason,
    };
    let raw: Raw = serde_json::from_slice(plaintext).map_err(|e| {
        bad(format!(
            "its document does not have the backup format's shape (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    crate::formats::BACKUP.check(path, raw.byok_backup)?;
    let vault = doc::parse(raw.vault.get().as_bytes(), path)?;
    Ok(Backup {
        created: raw.created,
        vault,
        config: Zeroizing::new(raw.config),
        keychain: raw.keychain,
        not_included: raw.not_included,
    })
}

/// Where `restore` keeps the file it replaces: `NAME.before-restore-<time>`.
pub fn kept_path(path: &Path, stamp: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".before-restore-{stamp}"));
    path.with_file_name(name)
}

/// Writes a backup's vault document and keychain values into this home (the caller has
/// kept copies of what is replaced).
pub fn restore(registry: &Registry, mut backup: Backup, now: &str) -> Result<RestoreCount> {
    let keychain_index = backup
        .vault
        .index
        .remove(crate::store::keychain::NAME)
        .unwrap_or_default();
    let vault_secrets = backup.vault.secrets.len();
    let mut restored = Some(backup.vault);
    registry.home_vault().modify(|doc| {
        let mut new = restored.take().expect("modify runs its closure once");
        // The keychain's index is rebuilt by the writes below.
        new.index.remove(crate::store::keychain::NAME);
        *doc = new;
        Ok(())
    })?;
    registry.home_vault().refresh();
    let keychain = registry.store(crate::store::keychain::NAME)?;
    let mut puts = Vec::new();
    for (reference, record) in &keychain_index {
        let values = backup.keychain.remove(reference).unwrap_or_default();
        let meta = crate::store::record::meta_of(reference, record);
        let mut put = Put::new(reference, PutMode::Upsert, now);
        put.replace = true;
        put.values = values.fields.into_iter().collect();
        put.exact = Some(Exact {
            meta,
            previous: values.previous.into_iter().collect(),
        });
        puts.push(put);
    }
    let keychain_secrets = puts.len();
    if !puts.is_empty() {
        keychain.put(puts)?;
    }
    Ok(RestoreCount {
        vault_secrets,
        keychain_secrets,
    })
}

/// What a restore wrote.
pub struct RestoreCount {
    pub vault_secrets: usize,
    pub keychain_secrets: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_document_parses_and_errors_hide_content() {
        let text = br#"{"byok_backup": 1, "created": "t",
            "vault": {"byok_vault": 2, "secrets": {}},
            "config": "", "keychain": {"k": {"fields": {"api_key": "sk-test-x"}}},
            "not_included": [{"store": "team", "type": "openbao"}]}"#;
        let backup = parse(Path::new("b"), text).unwrap();
        assert_eq!(backup.keychain["k"].fields["api_key"].expose(), "sk-test-x");
        assert_eq!(backup.not_included[0].store, "team");
        let broken = br#"{"byok_backup": 1, "vault": {"byok_vault": 2}, "sk-test-canary": 1}"#;
        let err = parse(Path::new("b"), broken).err().unwrap().to_string();
        assert!(!err.contains("canary"), "{err}");
    }
}
