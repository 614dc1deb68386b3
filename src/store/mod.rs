//! Where secret values live, behind one trait.
//!
//! Metadata (ref name, label, provider, field names, timestamps) always lives in the age vault,
//! so `secret list` shows every secret in one place; each secret's *values* live in the store
//! its record names. Today that is the vault itself; the OS keychain and OpenBao implement
//! the same [`Store`] trait.

mod scan;
pub mod vault;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::secret::SecretValue;

/// The kinds of store a secret's values can live in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The age-encrypted vault file (the default; works everywhere).
    #[default]
    Vault,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Vault => "vault",
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
