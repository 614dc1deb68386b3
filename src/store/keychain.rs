//! The OS keychain as a [`Store`]: service `byok`, account `REF/FIELD`.
//!
//! On Linux these are Secret Service items with the attributes `service=byok` and
//! `username=REF/FIELD`, so `secret-tool lookup service byok username my_key/api_key` reads
//! what byok stored, and byok reads what `secret-tool store` put there.

use super::{Store, StoreKind};
use crate::error::Result;
use crate::keychain;
use crate::secret::SecretValue;

/// The keychain service name of every byok item.
pub const SERVICE: &str = "byok";

/// The keychain account of one field of one secret.
pub fn account(reference: &str, field: &str) -> String {
    format!("{reference}/{field}")
}

/// The OS keychain, reached through the `keyring` ecosystem.
#[derive(Debug, Default)]
pub struct KeychainStore;

impl Store for KeychainStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keychain
    }

    fn get(&self, reference: &str, field: &str) -> Result<Option<SecretValue>> {
        Ok(keychain::get(SERVICE, &account(reference, field))?.map(SecretValue::from))
    }

    fn put(&mut self, reference: &str, field: &str, value: SecretValue) -> Result<()> {
        Ok(keychain::set(
            SERVICE,
            &account(reference, field),
            value.as_secret(),
        )?)
    }

    fn delete(&mut self, reference: &str, field: &str) -> Result<bool> {
        Ok(keychain::delete(SERVICE, &account(reference, field))?)
    }
}
