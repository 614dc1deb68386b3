//! Where secret values live, behind one trait.
//!
//! Metadata (ref name, label, provider, field names, timestamps) always lives in the age vault,
//! so `secret list` shows every secret in one place; each secret's *values* live in the store
//! its record names: the vault itself or the OS keychain (OpenBao will implement the same
//! [`Store`] trait).

pub mod keychain;
mod scan;
pub mod vault;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::secret::SecretValue;

/// The kinds of store a secret's values can live in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The age-encrypted vault file (the default; works everywhere).
    #[default]
    Vault,
    /// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
    Keychain,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Vault => "vault",
            StoreKind::Keychain => "keychain",
        }
    }

    pub fn is_default(&self) -> bool {
        *self == StoreKind::default()
    }
}

/// A place that holds secret values, addressed by ref name and field.
pub trait Store {
    fn kind(&self) -> StoreKind;
    /// The value, or `None` when the store holds nothing for `reference`/`field`.
    fn get(&self, reference: &str, field: &str) -> Result<Option<SecretValue>>;
    /// Sets (or replaces) a value.
    fn put(&mut self, reference: &str, field: &str, value: SecretValue) -> Result<()>;
    /// Removes a value; `false` when there was none.
    fn delete(&mut self, reference: &str, field: &str) -> Result<bool>;
}

/// `default_store` from `config.toml` (the vault when unset or when there is no config file).
pub fn configured_default(settings: &crate::settings::Settings) -> Result<StoreKind> {
    #[derive(Deserialize)]
    struct StoreSettings {
        default_store: Option<StoreKind>,
    }
    let path = settings.paths.config();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StoreKind::default()),
        Err(e) => return Err(crate::error::Error::io("read", path)(e)),
    };
    let parsed: StoreSettings = toml::from_str(&text).map_err(|e| crate::error::Error::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(parsed.default_store.unwrap_or_default())
}

/// A field's value from the store its record names.
pub fn read_field(
    reference: &str,
    field: &str,
    record: &vault::SecretRecord,
) -> Result<SecretValue> {
    let listed = record
        .fields
        .get(field)
        .ok_or_else(|| crate::error::Error::FieldNotFound {
            reference: reference.to_owned(),
            field: field.to_owned(),
            fields: record.fields.keys().cloned().collect(),
        })?;
    match record.store {
        StoreKind::Vault => listed
            .clone()
            .ok_or_else(|| missing(reference, field, StoreKind::Vault)),
        StoreKind::Keychain => keychain::KeychainStore
            .get(reference, field)?
            .ok_or_else(|| missing(reference, field, StoreKind::Keychain)),
    }
}

/// "The store lost a value the vault lists."
pub fn missing(reference: &str, field: &str, store: StoreKind) -> crate::error::Error {
    crate::error::Error::MissingInStore {
        reference: reference.to_owned(),
        field: field.to_owned(),
        store: store.name(),
    }
}
