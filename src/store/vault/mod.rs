//! The age vault as a [`Store`]: the home's `vault.age` (encrypted to the home's identity),
//! or a vault file declared as a `[[store]]` of type `age-file` (encrypted to the recipients
//! in its `FILE.recipients`: see [`crate::store::age_file`]).
//!
//! The document's `index` (the keychain's records) belongs to those stores; this store
//! neither lists nor changes it.

pub mod doc;
pub mod file;
pub mod lookup;
mod window;

use std::sync::{Arc, Mutex};

use super::record::{self, meta_of};
use super::{Health, Meta, Put, Store};
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use doc::SecretRecord;
pub use file::{VaultFile, WhenMissing};

/// A vault file as a store.
pub struct VaultStore {
    name: String,
    file: Arc<VaultFile>,
    /// The record `find` read last, so `find` then `get_many` scans the plaintext once.
    last: Mutex<Option<(String, Arc<SecretRecord>)>>,
}

impl VaultStore {
    pub fn new(name: &str, file: Arc<VaultFile>) -> Self {
        VaultStore {
            name: name.to_owned(),
            file,
            last: Mutex::new(None),
        }
    }

    pub fn file(&self) -> &Arc<VaultFile> {
        &self.file
    }

    fn record(&self, reference: &str) -> Result<Option<Arc<SecretRecord>>> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((name, record)) = last.as_ref()
            && name == reference
        {
            return Ok(Some(Arc::clone(record)));
        }
        let found = self.file.find(None, reference)?.map(Arc::new);
        if let Some(record) = &found {
            *last = Some((reference.to_owned(), Arc::clone(record)));
        }
        Ok(found)
    }

    fn forget_last(&self) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

fn values_of(
    map: &std::collections::BTreeMap<String, Option<SecretValue>>,
    fields: &[&str],
) -> Vec<Option<SecretValue>> {
    fields
        .iter()
        .map(|f| map.get(*f).cloned().flatten())
        .collect()
}

impl Store for VaultStore {
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        // The home's vault, or a shared file opened with the home's identity: the vault
        // passphrase, typed at the proxy only, is the one way in.
        match self.file.own_identity() {
            None => Ok(()),
            Some(path) => Err(format!(
                "it opens with its own identity file {}, which any process of yours can read \
                 (or unlock with BYOK_STORE_PASSPHRASE_FILE)",
                path.display()
            )),
        }
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn describe(&self) -> String {
        format!("age vault {}", self.file.path().display())
    }

    fn refresh(&self) {
        self.forget_last();
        self.file.refresh();
    }

    fn list(&self) -> Result<Vec<Meta>> {
        let doc = self.file.load()?;
        Ok(doc
            .secrets
            .iter()
            .map(|(name, r)| meta_of(name, r))
            .collect())
    }

    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        Ok(self.record(reference)?.map(|r| meta_of(reference, &r)))
    }

    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        Ok(match self.record(reference)? {
            Some(record) => values_of(&record.fields, fields),
            None => vec![None; fields.len()],
        })
    }

    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        Ok(match self.record(reference)? {
            Some(record) => values_of(&record.previous, fields),
            None => vec![None; fields.len()],
        })
    }

    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        self.forget_last();
        self.file.modify(|doc| {
            puts.iter()
                .map(|put| record::apply(doc, put, None).map(|(created, _)| created))
                .collect()
        })
    }

    fn delete(&self, reference: &str) -> Result<bool> {
        self.forget_last();
        if self.record(reference)?.is_none() {
            return Ok(false);
        }
        self.forget_last();
        self.file
            .modify(|doc| Ok(doc.secrets.remove(reference).is_some()))
    }

    /// One rewrite of the document under the lock: after a crash the file holds the secret
    /// under exactly one of the two names.
    fn rename(
        &self,
        old: &str,
        new: &str,
        _now: &str,
        _fault: Option<super::transfer::Fault>,
    ) -> Result<()> {
        self.forget_last();
        self.file.modify(|doc| {
            if doc.secrets.contains_key(new) {
                return Err(Error::SecretExistsIn {
                    name: new.to_owned(),
                    store: self.name.clone(),
                });
            }
            let mut record = doc
                .secrets
                .remove(old)
                .ok_or_else(|| Error::SecretNotFound {
                    name: old.to_owned(),
                    suggestion: None,
                })?;
            if record.label == old {
                // A label that was only the default follows the new name.
                record.label = new.to_owned();
            }
            doc.secrets.insert(new.to_owned(), record);
            Ok(())
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
                store: self.name.clone(),
            });
        }
        self.forget_last();
        self.file.modify(|doc| {
            let record = doc
                .secrets
                .get_mut(reference)
                .ok_or_else(|| Error::SecretNotFound {
                    name: reference.to_owned(),
                    suggestion: None,
                })?;
            record::swap_previous(record, reference, fields, now)
        })
    }

    fn health(&self) -> Health {
        match self.file.load() {
            Ok(doc) => Health {
                ok: true,
                detail: format!("decrypts; {} secrets", doc.secrets.len()),
            },
            Err(e) => Health {
                ok: false,
                detail: e.to_string(),
            },
        }
    }
}
