//! Backups: one age file holding the home vault's document, `config.toml` and the
//! keychain's values, so that a restore loses nothing the home keeps.
//!
//! The plaintext is a JSON document (docs/key-hygiene.md, "Backups"):
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
    /// For an identity-encrypted backup, whether it carries that identity's MAC
    /// (`Valid` for a passphrase backup: the passphrase authenticates it).
    pub authenticated: doc::MacState,
    pub created: String,
    pub vault: VaultDoc,
    pub config: Zeroizing<String>,
    pub keychain: BTreeMap<String, KeychainValues>,
    pub not_included: Vec<Excluded>,
    /// The home's other files it holds ([`home_files`]), by path relative to the home.
    pub files: HomeFiles,
}

/// The home's other files a backup carries: path relative to the home → bytes.
pub type HomeFiles = BTreeMap<String, Zeroizing<Vec<u8>>>;

/// The largest other file a backup carries (a workspace store, a recipients file).
const MAX_FILE: u64 = 256 << 20;

/// The other files of the home a backup carries, and the stores it cannot: the workspaces
/// (`workspaces.toml`, each workspace's connectors and its own age-file store), and every
/// `age-file` store whose files are inside the home (data, recipients, its own identity
/// file). A store elsewhere (an OpenBao server, an age file outside the home) is named in
/// `not_included`.
pub fn home_files(
    paths: &crate::paths::Paths,
    config: &crate::config::Config,
) -> Result<(HomeFiles, Vec<Excluded>)> {
    let home = paths.home();
    let mut wanted: Vec<PathBuf> = Vec::new();
    let mut excluded = Vec::new();
    let inside = |path: &Path| -> Option<PathBuf> {
        let full = if path.is_absolute() {
            path.to_path_buf()
        } else {
            home.join(path)
        };
        full.strip_prefix(home).ok().map(Path::to_path_buf)
    };
    let with_recipients = |wanted: &mut Vec<PathBuf>, rel: PathBuf| {
        let recipients = crate::store::age_file::recipients_path(&rel);
        wanted.push(rel);
        wanted.push(recipients);
    };
    for decl in config.stores() {
        let rel = (decl.kind == "age-file")
            .then(|| decl.settings.get("path"))
            .flatten()
            .and_then(|p| inside(Path::new(p)));
        match rel {
            Some(rel) => {
                with_recipients(&mut wanted, rel);
                if let Some(identity) = decl.settings.get("identity")
                    && let Some(rel) = inside(Path::new(identity))
                {
                    wanted.push(rel);
                }
            }
            None => excluded.push(Excluded {
                store: decl.name.clone(),
                kind: decl.kind.clone(),
            }),
        }
    }
    let workspaces = crate::scope::workspace::Workspaces::load(paths)?;
    if home.join(crate::scope::workspace::FILE).exists() {
        wanted.push(PathBuf::from(crate::scope::workspace::FILE));
    }
    for ws in &workspaces.list {
        if let Some(rel) = inside(&ws.connectors_file(home)) {
            wanted.push(rel);
        }
        if ws.store.is_none() {
            match inside(&ws.file(home)) {
                Some(rel) => with_recipients(&mut wanted, rel),
                None => excluded.push(Excluded {
                    store: format!("workspace {}", ws.name),
                    kind: "age-file".into(),
                }),
            }
        }
    }
    let mut files = BTreeMap::new();
    for rel in wanted {
        let Some(text) = rel.to_str().map(str::to_owned) else {
            continue;
        };
        match crate::fsutil::read_bounded(&home.join(&rel), MAX_FILE) {
            Ok(bytes) => {
                files.insert(text, Zeroizing::new(bytes));
            }
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok((files, excluded))
}

/// Whether a path from a backup may be written into the home: relative, plain parts only,
/// and none of the files `restore` handles itself or never touches.
pub fn restorable(rel: &str) -> bool {
    let path = Path::new(rel);
    let plain = !rel.is_empty()
        && rel.len() <= 1024
        && !rel.chars().any(char::is_control)
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    let reserved = [
        "vault.age",
        "identity.age",
        "identity.txt",
        "config.toml",
        "audit.jsonl",
        "audit.lock",
        "home_id",
        "trusted.json",
        "proxy-pin.json",
        "proxy-tokens.age",
        "usage.db",
        "unlocked-sessions",
    ];
    // Directories whose files decide what this member accepts or runs: never from a file.
    let reserved_dirs = ["recipients", "proxy"];
    plain
        && !reserved.iter().any(|r| path == Path::new(r))
        && !reserved_dirs.iter().any(|d| path.starts_with(d))
        && !rel.starts_with(".byok-tmp-")
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains(".before-restore-"))
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
    /// Other files of the home (format 2): path relative to the home → base64 bytes.
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// An identity-encrypted backup's MAC ([`encrypt`]); checked by [`read`].
    #[serde(default)]
    #[allow(dead_code)]
    mac: Option<String>,
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
    files: &HomeFiles,
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
    out.extend_from_slice(format!("{{\n\"byok_backup\": {FORMAT},\n\"created\": ").as_bytes());
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
    out.extend_from_slice(b",\n\"files\": {");
    for (i, (rel, bytes)) in files.iter().enumerate() {
        use base64::Engine;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"\n  ");
        json(rel, &mut out)?;
        out.extend_from_slice(b": \"");
        let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&bytes[..]));
        out.extend_from_slice(encoded.as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b"}\n}\n");
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

/// Encrypts a backup plaintext (binary age format, as `age -e` writes by default). One
/// encrypted to the identity first gets the identity's MAC as its last key: anyone can
/// encrypt to the public recipient, only the identity can MAC (a passphrase backup is
/// authenticated by the passphrase itself, age's scrypt recipient).
pub fn encrypt(plaintext: &[u8], key: Key<'_>) -> Result<Vec<u8>> {
    let mut sealed = Zeroizing::new(plaintext.to_vec());
    if let Key::Identity(unlocked) = &key {
        doc::seal_with(doc::BACKUP_MAC_CONTEXT, &mut sealed, &unlocked.identity);
    }
    let plaintext = &sealed[..];
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
            (age::DecryptError::NoMatchingKeys, _) => Error::BackupForAnotherIdentity {
                path: path.to_path_buf(),
            },
            (other, _) => bad(other.to_string()),
        })?;
    let mut plaintext = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| bad(format!("decryption failed ({e})")))?;
    let mut backup = parse(path, &plaintext)?;
    if let Key::Identity(unlocked) = &key {
        backup.authenticated =
            doc::mac_state_with(doc::BACKUP_MAC_CONTEXT, &plaintext, &unlocked.identity);
    }
    Ok(backup)
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
    let mut files = BTreeMap::new();
    for (rel, encoded) in raw.files {
        use base64::Engine;
        if !restorable(&rel) {
            return Err(bad(format!(
                "it holds a file byok does not restore ({})",
                crate::term::sanitize::line(&rel.chars().take(80).collect::<String>())
            )));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .map_err(|_| bad("a file in `files` is not base64".into()))?;
        files.insert(rel, Zeroizing::new(bytes));
    }
    Ok(Backup {
        authenticated: doc::MacState::Valid,
        created: raw.created,
        vault,
        config: Zeroizing::new(raw.config),
        keychain: raw.keychain,
        not_included: raw.not_included,
        files,
    })
}

/// Checks everything a restore would write before any byte is: the config text through the
/// strict reader every command uses, every ref and field name through the name rules (a
/// backup is a file; `../../etc/x` or a name with a terminal escape is refused), and the
/// sizes. Errors name what and where, never a value.
pub fn check(path: &Path, backup: &Backup, config_path: &Path) -> Result<crate::config::Config> {
    let bad = |reason: String| Error::BadBackup {
        path: path.to_path_buf(),
        reason,
    };
    let config = crate::config::Config::parse(config_path, &backup.config)
        .map_err(|e| bad(format!("its config.toml would not load ({e})")))?;
    let holders = std::iter::once(("secrets".to_owned(), &backup.vault.secrets)).chain(
        backup
            .vault
            .index
            .iter()
            .map(|(store, records)| (format!("index.{store}"), records)),
    );
    for (holder, records) in holders {
        for (name, record) in records {
            if !crate::names::is_valid_ref(name) {
                return Err(bad(format!(
                    "a name in `{}` is not a ref name ({})",
                    crate::term::sanitize::line(&holder),
                    crate::names::REF_NAME_RULE
                )));
            }
            if let Some(field) = record
                .fields
                .keys()
                .chain(record.previous.keys())
                .find(|f| !crate::names::is_valid_field(f))
            {
                let _ = field;
                return Err(bad(format!(
                    "secret '{name}' has a field name that is not one ({})",
                    crate::names::FIELD_NAME_RULE
                )));
            }
        }
    }
    for store in backup.vault.index.keys() {
        if !crate::names::is_valid_connector_name(store) {
            return Err(bad("a store name in `index` is not a store name".into()));
        }
    }
    for (name, values) in &backup.keychain {
        if !crate::names::is_valid_ref(name)
            || values
                .fields
                .keys()
                .chain(values.previous.keys())
                .any(|f| !crate::names::is_valid_field(f))
        {
            return Err(bad("a name in `keychain` is not a ref or field name".into()));
        }
    }
    Ok(config)
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
        // The audit head stays this home's: the backup's speaks of another log (or of this
        // one as it was), and this write re-anchors the chain on the log as it is now, with
        // the restore's own entry in it.
        new.audit = doc.audit.take();
        // Whether this home is agent-proof is not the backup's to say.
        let agent_proof = doc.policy.get("home").and_then(|p| p.agent_proof);
        let home = new.policy.entry("home".to_owned()).or_default();
        home.agent_proof = agent_proof;
        if home == &crate::store::vault::doc::Policy::default() {
            new.policy.remove("home");
        }
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
    fn only_plain_paths_of_the_homes_other_files_are_restorable() {
        for ok in [
            "workspaces.toml",
            "workspaces/acme.age",
            "team.age.recipients",
        ] {
            assert!(restorable(ok), "{ok}");
        }
        for refused in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "",
            "vault.age",
            "identity.txt",
            "audit.jsonl",
            "trusted.json",
            "recipients/team.json",
            "proxy/127_0_0_1_8787.json",
            ".byok-tmp-vault.age.x",
            "team.age.before-restore-2026",
            "a\u{1b}]0;x\u{7}",
        ] {
            assert!(!restorable(refused), "{refused:?}");
        }
    }

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
