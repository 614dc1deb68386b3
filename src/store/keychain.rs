//! The OS keychain as a [`Store`]: values in the OS, the index in the home vault.
//!
//! Items have service `byok` and account `<home_id>/REF/FIELD` (previous values, for
//! `secret rollback`: `<home_id>/REF/FIELD/previous`). `home_id` is a random id written into
//! the home at `init` (file `home_id`), so two byok homes never share an item, and a moved
//! or restored home keeps its values. On Linux these are Secret Service items with the
//! attributes `service=byok` and `username=<account>`:
//!
//! ```text
//! secret-tool lookup service byok username "$(byok keychain account my_key)"
//! ```
//!
//! Items written by byok before accounts were namespaced (`REF/FIELD`) are copied to the
//! new account the first time they are read, and never deleted automatically (another home
//! may still use them); `byok doctor` lists them.
//!
//! The keychain cannot list its items cheaply or keep metadata, so this store's index — one
//! record per secret, with `null` values — lives in the home vault, under
//! `index.keychain` (its own namespace: a ref may be in the vault and the keychain at once).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use secrecy::ExposeSecret;

use super::record::{self, FieldChange, meta_of};
use super::vault::VaultFile;
use super::{Health, Meta, Put, Store};
use crate::error::{Error, Result};
use crate::os::keychain;
use crate::secret::SecretValue;

/// The keychain service name of every byok item.
pub const SERVICE: &str = "byok";
/// The name of the keychain store.
pub const NAME: &str = "keychain";

/// The home's random id, read from (or, the first time, written to) `BYOK_HOME/home_id`.
#[derive(Debug)]
pub struct HomeId {
    path: PathBuf,
    value: OnceLock<String>,
}

impl HomeId {
    pub fn new(path: PathBuf) -> Self {
        HomeId {
            path,
            value: OnceLock::new(),
        }
    }

    /// The id; a home made before ids existed gets one now.
    pub fn get(&self) -> Result<&str> {
        if let Some(id) = self.value.get() {
            return Ok(id);
        }
        let id = match read_id(&self.path)? {
            Some(id) => id,
            None => {
                let id = new_id()?;
                match crate::fsutil::write_new(&self.path, format!("{id}\n").as_bytes()) {
                    Ok(()) => id,
                    // Another byok process made one first: use that.
                    Err(_) => read_id(&self.path)?.ok_or_else(|| Error::Corrupt {
                        path: self.path.clone(),
                        reason: "it does not hold a home id (32 hex digits)".into(),
                    })?,
                }
            }
        };
        Ok(self.value.get_or_init(|| id))
    }

    /// Writes a new id (for `init`).
    pub fn create(path: &Path) -> Result<()> {
        crate::fsutil::write_new(path, format!("{}\n", new_id()?).as_bytes())
    }
}

fn read_id(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let id = text.trim();
            if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(id.to_ascii_lowercase()))
            } else {
                Err(Error::Corrupt {
                    path: path.to_path_buf(),
                    reason: "it does not hold a home id (32 hex digits)".into(),
                })
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path)(e)),
    }
}

fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Encrypt(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The keychain account of one field (`previous`: of its previous value).
pub fn account(home_id: &str, reference: &str, field: &str, previous: bool) -> String {
    let suffix = if previous { "/previous" } else { "" };
    format!("{home_id}/{reference}/{field}{suffix}")
}

/// The account byok used before accounts were namespaced per home.
pub fn legacy_account(reference: &str, field: &str) -> String {
    format!("{reference}/{field}")
}

/// The OS keychain, with its index in the home vault.
pub struct KeychainStore {
    index: Arc<VaultFile>,
    home_id: Arc<HomeId>,
}

impl KeychainStore {
    pub fn new(index: Arc<VaultFile>, home_id: Arc<HomeId>) -> Self {
        KeychainStore { index, home_id }
    }

    fn account(&self, reference: &str, field: &str, previous: bool) -> Result<String> {
        Ok(account(self.home_id.get()?, reference, field, previous))
    }

    fn read(&self, account: &str) -> Result<Option<SecretValue>> {
        Ok(keychain::get(SERVICE, account)?.map(SecretValue::from))
    }

    fn write(&self, account: &str, value: &SecretValue) -> Result<()> {
        Ok(keychain::set(SERVICE, account, value.as_secret())?)
    }

    fn remove(&self, account: &str) -> Result<bool> {
        Ok(keychain::delete(SERVICE, account)?)
    }

    /// The index record, if this store holds `reference`.
    fn indexed(&self, reference: &str) -> Result<Option<super::vault::doc::SecretRecord>> {
        self.index.find(Some(NAME), reference)
    }

    /// A value from its namespaced account, else (copied on first use) from the legacy one
    /// — the latter only for secrets this home's index lists, so a removed secret never
    /// comes back from another home's legacy item.
    fn current(&self, reference: &str, field: &str) -> Result<Option<SecretValue>> {
        let account = self.account(reference, field, false)?;
        if let Some(value) = self.read(&account)? {
            return Ok(Some(value));
        }
        let listed = self
            .indexed(reference)?
            .is_some_and(|r| r.fields.contains_key(field));
        if !listed {
            return Ok(None);
        }
        let Some(value) = self.read(&legacy_account(reference, field))? else {
            return Ok(None);
        };
        self.write(&account, &value)?;
        Ok(Some(value))
    }

    /// Puts values back as they were before a failed write (best effort: the write's own
    /// error is what the user sees).
    fn undo(&self, saved: Vec<(String, Option<SecretValue>)>) {
        // Newest first: an account saved twice ends as it was before the first write.
        for (account, old) in saved.into_iter().rev() {
            let _ = match old {
                Some(value) => self.write(&account, &value),
                None => self.remove(&account).map(|_| ()),
            };
        }
    }
}

impl Store for KeychainStore {
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        Err("any process of yours can read the OS keychain".into())
    }

    fn name(&self) -> &str {
        NAME
    }

    fn advisories(&self, secrets: &[Meta]) -> Vec<super::Advisory> {
        let legacy = legacy_items(secrets);
        if legacy.is_empty() {
            return Vec::new();
        }
        vec![super::Advisory {
            check: "legacy keychain items".into(),
            detail: format!(
                "items from before per-home accounts (copied, never deleted by byok): {}",
                legacy.join(", ")
            ),
            fix: "when no other byok home uses them: `secret-tool clear service byok username ACCOUNT`"
                .into(),
        }]
    }

    fn not_here(&self, reference: &str, field: &str) -> Error {
        match self.account(reference, field, false) {
            Ok(account) => Error::NotInKeychain { account },
            Err(e) => e,
        }
    }

    fn describe(&self) -> String {
        format!("OS keychain ({})", keychain::backend_name())
    }

    fn list(&self) -> Result<Vec<Meta>> {
        let doc = self.index.load()?;
        Ok(doc
            .records(Some(NAME))
            .into_iter()
            .flatten()
            .map(|(name, r)| meta_of(name, r))
            .collect())
    }

    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        Ok(self.indexed(reference)?.map(|r| meta_of(reference, &r)))
    }

    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        fields.iter().map(|f| self.current(reference, f)).collect()
    }

    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        fields
            .iter()
            .map(|f| self.read(&self.account(reference, f, true)?))
            .collect()
    }

    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        // The home's writer lock is held throughout, so two byok processes never interleave
        // their keychain writes. Values go to the OS first, each old value saved as the
        // previous one (and kept in memory to undo); the index is written last, so a failure
        // leaves things as before.
        let lock = self.index.lock()?;
        self.index.refresh();
        let mut saved: Vec<(String, Option<SecretValue>)> = Vec::new();
        let result = (|| {
            for put in &puts {
                let before = self.indexed(&put.reference)?;
                for (field, value) in &put.values {
                    let account = self.account(&put.reference, field, false)?;
                    let old = self.current(&put.reference, field)?;
                    let listed = before
                        .as_ref()
                        .is_some_and(|r| r.fields.contains_key(field));
                    if listed && !put.replace {
                        return Err(Error::FieldExists {
                            reference: put.reference.clone(),
                            field: field.clone(),
                        });
                    }
                    if put.exact.is_none()
                        && listed
                        && let Some(old) = &old
                    {
                        let previous = self.account(&put.reference, field, true)?;
                        saved.push((previous.clone(), self.read(&previous)?));
                        self.write(&previous, old)?;
                    }
                    saved.push((account.clone(), old));
                    self.write(&account, value)?;
                }
                if let Some(exact) = &put.exact {
                    for (field, value) in &exact.previous {
                        let previous = self.account(&put.reference, field, true)?;
                        saved.push((previous.clone(), self.read(&previous)?));
                        self.write(&previous, value)?;
                    }
                }
            }
            self.index.modify_locked(&lock, |doc| {
                puts.iter()
                    .map(|put| {
                        let (created, changes) = record::apply(doc, put, Some(NAME))?;
                        debug_assert!(changes.iter().all(|c| matches!(
                            c,
                            FieldChange::Added(_) | FieldChange::Replaced(_)
                        )));
                        Ok(created)
                    })
                    .collect()
            })
        })();
        if result.is_err() {
            self.undo(saved);
        }
        result
    }

    fn delete(&self, reference: &str) -> Result<bool> {
        let lock = self.index.lock()?;
        self.index.refresh();
        let Some(record) = self.indexed(reference)? else {
            return Ok(false);
        };
        // Items first: if that fails, the index still lists the secret and `rm` can be
        // retried; the other order would leave items no byok command can reach.
        for field in record.fields.keys() {
            self.remove(&self.account(reference, field, false)?)?;
            self.remove(&self.account(reference, field, true)?)?;
        }
        self.index.modify_locked(&lock, |doc| {
            Ok(doc.records_mut(Some(NAME)).remove(reference).is_some())
        })
    }

    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>> {
        if version.is_some() {
            return Err(Error::NoVersions {
                store: NAME.to_owned(),
            });
        }
        let lock = self.index.lock()?;
        self.index.refresh();
        let record = self
            .indexed(reference)?
            .ok_or_else(|| Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            })?;
        let chosen =
            record::choose_rollback_fields(reference, &record.fields, &record.previous, fields)?;
        let mut saved = Vec::new();
        let result = (|| {
            for field in &chosen {
                let current_account = self.account(reference, field, false)?;
                let previous_account = self.account(reference, field, true)?;
                let current = self.current(reference, field)?;
                let previous =
                    self.read(&previous_account)?
                        .ok_or_else(|| Error::MissingInStore {
                            reference: reference.to_owned(),
                            field: format!("{field} (previous value)"),
                            store: NAME.to_owned(),
                        })?;
                saved.push((current_account.clone(), current.clone()));
                saved.push((previous_account.clone(), Some(previous.clone())));
                self.write(&current_account, &previous)?;
                match &current {
                    Some(value) => self.write(&previous_account, value)?,
                    None => {
                        self.remove(&previous_account)?;
                    }
                }
            }
            self.index.modify_locked(&lock, |doc| {
                let record = doc
                    .records_mut(Some(NAME))
                    .get_mut(reference)
                    .ok_or_else(|| Error::SecretNotFound {
                        name: reference.to_owned(),
                        suggestion: None,
                    })?;
                for field in &chosen {
                    record.previous.insert(field.clone(), None);
                }
                record.rotated = now.to_owned();
                record.updated = now.to_owned();
                Ok(())
            })
        })();
        if let Err(e) = result {
            self.undo(saved);
            return Err(e);
        }
        Ok(chosen)
    }

    fn health(&self) -> Health {
        match keychain::probe() {
            Ok(()) => Health {
                ok: true,
                detail: format!(
                    "{} works (write, read, delete round trip)",
                    keychain::backend_name()
                ),
            },
            Err(e) => Health {
                ok: false,
                detail: e.to_string(),
            },
        }
    }
}

/// Legacy (`REF/FIELD`) items of the secrets this home's keychain index lists, for `doctor`.
pub fn legacy_items(metas: &[Meta]) -> Vec<String> {
    let mut found = Vec::new();
    for meta in metas {
        for field in &meta.fields {
            let account = legacy_account(&meta.reference, field);
            if matches!(keychain::get(SERVICE, &account), Ok(Some(v)) if !v.expose_secret().is_empty())
            {
                found.push(account);
            }
        }
    }
    found
}
