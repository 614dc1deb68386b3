//! OS keychain access for byok (`--store keychain`).
//!
//! This is a thin, blocking wrapper around the `keyring` crate (version 4): it
//! picks and opens exactly one real credential store per OS, chosen at compile
//! time; `keyring-core` (which `keyring` is built on) gives the richer entry API
//! used here — item labels, and search for `doctor`:
//!
//! | OS                | store crate (inside `keyring`)       | backend name             |
//! |-------------------|--------------------------------------|--------------------------|
//! | Linux, *BSD       | `zbus-secret-service-keyring-store`  | `Secret Service (D-Bus)` |
//! | macOS             | `apple-native-keyring-store`         | `macOS Keychain`         |
//! | Windows           | `windows-native-keyring-store`       | `Windows Credential Manager` |
//! | anything else     | none: every call fails               | `none`                   |
//!
//! There is deliberately no mock or in-memory store anywhere in this module.
//! keyring 3 without platform features silently used one (keyring-rs #231),
//! which made `set` "succeed" while nothing was saved; here a missing or
//! unreachable backend is always an error that names the backend and points
//! at `--store vault`.
//!
//! # Where items live
//!
//! byok uses service `byok` and accounts namespaced by the home's random id
//! (see `crate::store::keychain`): `<home_id>/REF/FIELD` for values and
//! `<home_id>/vault-identity` for the vault identity (older byoks used `REF/FIELD` and
//! `vault-identity/<hash of the home's path>`, which are still read).
//!
//! On Linux the item is created in the Secret Service *default* collection
//! (the `login` collection of gnome-keyring / KWallet's default wallet) with
//! exactly these lookup attributes:
//!
//! | attribute  | value                 |
//! |------------|-----------------------|
//! | `service`  | the service (`byok`)  |
//! | `username` | the account           |
//!
//! No `target` and no `application` attribute is written (keyring 3 wrote
//! `target=default` and `application=rust-keyring`; keyring 4 does not).
//! Lookups search all collections by `service` + `username` only, so items
//! carrying extra attributes — created by `secret-tool`, by keyring 3, or with
//! `target default` — are found too. The item label is `byok: <account>`
//! and the secret's content type is `application/octet-stream`. Hence:
//!
//! ```text
//! secret-tool lookup service byok username "$(byok keychain account my_openai_key)"
//! secret-tool store --label=x service byok username "$(byok keychain account other)"
//! ```
//!
//! If two items match the same `service` + `username` (for example one
//! written by byok and one by `secret-tool` with an extra attribute) every
//! operation on that account fails with [`KeychainError::Ambiguous`] rather
//! than guessing; `secret-tool clear service byok username ACCOUNT` removes
//! all of them.
//!
//! Values are UTF-8 strings: API keys and the `AGE-SECRET-KEY-1...` identity.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as CoreError};
use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};

/// Hint appended to "cannot use the keychain" errors: the vault backend has
/// no OS dependency, so it is always the way out.
const VAULT_HINT: &str = "use `--store vault`, which works everywhere";

/// Everything that can go wrong talking to the OS keychain.
///
/// No variant ever carries a secret value: details come from the platform
/// error text (which describes D-Bus / OS failures, not payloads) or from
/// the service and account names, which are not secret.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// The backend cannot be reached at all (for example no D-Bus session bus
    /// or no Secret Service provider on it), or none exists for this OS.
    #[error("the OS keychain ({backend}) is not reachable: {detail}")]
    Unreachable {
        /// Which backend was tried, see [`backend_name`].
        backend: &'static str,
        /// Platform error text.
        detail: String,
    },
    /// The backend is there but refused access: locked keychain or
    /// collection, a dismissed or impossible unlock prompt, or an OS policy.
    #[error("access to the OS keychain ({backend}) was denied or it is locked: {detail}")]
    AccessDenied {
        /// Which backend was tried, see [`backend_name`].
        backend: &'static str,
        /// Platform error text.
        detail: String,
    },
    /// More than one keychain item matches the service and account.
    #[error(
        "the OS keychain ({backend}) holds {count} items for service {service:?}, account {account:?}"
    )]
    Ambiguous {
        /// Which backend was used.
        backend: &'static str,
        /// The service that was looked up.
        service: String,
        /// The account that was looked up.
        account: String,
        /// How many items matched.
        count: usize,
    },
    /// The stored value is not UTF-8 text (byok only ever stores text).
    #[error(
        "the OS keychain ({backend}) item for service {service:?}, account {account:?} \
         is not valid UTF-8 text"
    )]
    NotText {
        /// Which backend was used.
        backend: &'static str,
        /// The service that was looked up.
        service: String,
        /// The account that was looked up.
        account: String,
    },
    /// The service or account name was rejected before reaching the OS.
    #[error("invalid keychain {what}: {reason}")]
    InvalidName {
        /// `"service"` or `"account"` (or a platform attribute name).
        what: String,
        /// Why it was rejected.
        reason: String,
    },
    /// [`probe`] reached the backend but the round trip did not behave like
    /// real storage.
    #[error("the OS keychain ({backend}) probe failed: {reason}")]
    ProbeFailed {
        /// Which backend was probed.
        backend: &'static str,
        /// What went wrong (never includes the probe value).
        reason: &'static str,
    },
    /// Any other platform failure.
    #[error("the OS keychain ({backend}) failed: {detail}")]
    Platform {
        /// Which backend was used.
        backend: &'static str,
        /// Platform error text.
        detail: String,
    },
}

impl KeychainError {
    /// The fix, printed as a `hint:` line under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            KeychainError::Unreachable { .. } => Some(format!(
                "start a keychain (on Linux a Secret Service such as gnome-keyring on the \
                 session D-Bus), or {VAULT_HINT}"
            )),
            KeychainError::AccessDenied { .. } => Some(format!(
                "unlock it (e.g. log in to the desktop session), or {VAULT_HINT}"
            )),
            KeychainError::Ambiguous {
                service, account, ..
            } => Some(format!(
                "remove the duplicates (on Linux: `secret-tool clear service {service} username {account}`)"
            )),
            KeychainError::NotText { .. } => {
                Some("replace the item with a text value, e.g. `byok secret rotate REF`".into())
            }
            KeychainError::InvalidName { .. }
            | KeychainError::ProbeFailed { .. }
            | KeychainError::Platform { .. } => None,
        }
    }
}

/// Human-readable name of the keychain backend compiled in for this OS.
///
/// `doctor` prints this; errors quote it so users know what was tried.
pub fn backend_name() -> &'static str {
    platform::NAME
}

/// Stores `value` under `service` / `account`, replacing any existing value.
pub fn set(service: &str, account: &str, value: &SecretString) -> Result<(), KeychainError> {
    let entry = entry(service, account)?;
    entry
        .set_password(value.expose_secret())
        .map_err(|e| map_error(e, service, account))
}

/// Reads the value under `service` / `account`; `Ok(None)` if no such item.
pub fn get(service: &str, account: &str) -> Result<Option<SecretString>, KeychainError> {
    let entry = entry(service, account)?;
    match entry.get_secret() {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(mut text) => {
                // Copy into an exactly-sized box and wipe the original:
                // `String -> Box<str>` may reallocate and leave the old
                // buffer behind unwiped.
                let boxed: Box<str> = Box::from(text.as_str());
                text.zeroize();
                Ok(Some(SecretString::from(boxed)))
            }
            Err(err) => {
                err.into_bytes().zeroize();
                Err(KeychainError::NotText {
                    backend: backend_name(),
                    service: service.to_owned(),
                    account: account.to_owned(),
                })
            }
        },
        Err(CoreError::NoEntry) => Ok(None),
        Err(e) => Err(map_error(e, service, account)),
    }
}

/// Deletes the item under `service` / `account`.
///
/// Returns `Ok(true)` if an item was deleted and `Ok(false)` if there was
/// none, so callers can report "nothing to delete" without treating it as a
/// failure.
pub fn delete(service: &str, account: &str) -> Result<bool, KeychainError> {
    let entry = entry(service, account)?;
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(CoreError::NoEntry) => Ok(false),
        Err(e) => Err(map_error(e, service, account)),
    }
}

/// Proves the backend is real storage with a full round trip.
///
/// Writes a unique throwaway value under service `byok-probe`, reads it back
/// through a fresh entry, compares, deletes it and checks it is gone. A mock,
/// a read-only or a write-black-hole backend fails one of these steps. The
/// throwaway item is removed even when a later step fails.
pub fn probe() -> Result<(), KeychainError> {
    const SERVICE: &str = "byok-probe";
    let nonce = probe_nonce();
    // Unique per run so a stale item from a crashed probe can never make a
    // broken backend look healthy.
    let account = format!("probe-{nonce}");
    let value = SecretString::from(format!("byok-probe-value-{nonce}"));

    set(SERVICE, &account, &value)?;
    let checked = check_probe(SERVICE, &account, &value);
    let deleted = delete(SERVICE, &account);
    checked?;
    if !deleted? {
        return Err(probe_failed(
            "the probe item vanished before it was deleted",
        ));
    }
    if get(SERVICE, &account)?.is_some() {
        return Err(probe_failed(
            "the probe item is still readable after delete",
        ));
    }
    Ok(())
}

fn check_probe(service: &str, account: &str, expected: &SecretString) -> Result<(), KeychainError> {
    match get(service, account)? {
        None => Err(probe_failed(
            "a value that was just written cannot be read back (nothing is being saved)",
        )),
        Some(read) if read.expose_secret() != expected.expose_secret() => Err(probe_failed(
            "the value read back differs from the value written",
        )),
        Some(_) => Ok(()),
    }
}

fn probe_failed(reason: &'static str) -> KeychainError {
    KeychainError::ProbeFailed {
        backend: backend_name(),
        reason,
    }
}

/// A value unlikely to repeat across runs and processes; it only needs to
/// be unique, not unpredictable, since the probe item holds no secret.
fn probe_nonce() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id())
}

/// Builds a keyring entry for `service` / `account` on the platform store.
fn entry(service: &str, account: &str) -> Result<Entry, KeychainError> {
    validate("service", service)?;
    validate("account", account)?;
    let store = store()?;
    platform::build(&store, service, account).map_err(|e| map_error(e, service, account))
}

fn validate(what: &str, name: &str) -> Result<(), KeychainError> {
    let reason = if name.is_empty() {
        "must not be empty"
    } else if name.contains('\0') {
        "must not contain NUL characters"
    } else {
        return Ok(());
    };
    Err(KeychainError::InvalidName {
        what: what.to_owned(),
        reason: reason.to_owned(),
    })
}

/// The process-wide store connection, opened on first use.
///
/// The `keyring` crate picks and opens this OS's store (once per process; a failure is
/// remembered until byok exits, which for a command-line tool is the same thing).
fn store() -> Result<Arc<CredentialStore>, KeychainError> {
    let unreachable = |detail: String| KeychainError::Unreachable {
        backend: backend_name(),
        detail,
    };
    match keyring::Entry::store_status() {
        Ok(()) => keyring_core::get_default_store()
            .ok_or_else(|| unreachable("no credential store is configured".into())),
        // The inner platform error reads better than keyring-core's
        // "Platform failure: ..." wrapper.
        Err(CoreError::PlatformFailure(inner) | CoreError::NoStorageAccess(inner)) => {
            Err(unreachable(inner.to_string()))
        }
        Err(other) => Err(unreachable(other.to_string())),
    }
}

/// Maps keyring-core errors onto [`KeychainError`] without ever formatting
/// payload bytes (`BadEncoding` / `BadDataFormat` carry them).
fn map_error(err: CoreError, service: &str, account: &str) -> KeychainError {
    let backend = backend_name();
    match err {
        CoreError::NoStorageAccess(e) => KeychainError::AccessDenied {
            backend,
            detail: e.to_string(),
        },
        CoreError::Ambiguous(items) => KeychainError::Ambiguous {
            backend,
            service: service.to_owned(),
            account: account.to_owned(),
            count: items.len(),
        },
        CoreError::BadEncoding(mut bytes) | CoreError::BadDataFormat(mut bytes, _) => {
            bytes.zeroize();
            KeychainError::NotText {
                backend,
                service: service.to_owned(),
                account: account.to_owned(),
            }
        }
        CoreError::TooLong(what, limit) => KeychainError::InvalidName {
            what,
            reason: format!("longer than the platform limit of {limit}"),
        },
        CoreError::Invalid(what, reason) => KeychainError::InvalidName { what, reason },
        CoreError::NoDefaultStore => KeychainError::Unreachable {
            backend,
            detail: "no credential store is configured".to_owned(),
        },
        CoreError::PlatformFailure(e) => KeychainError::Platform {
            backend,
            detail: e.to_string(),
        },
        // keyring-core's Error is non_exhaustive; its Display for the
        // remaining variants never includes payload bytes.
        other => KeychainError::Platform {
            backend,
            detail: other.to_string(),
        },
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod platform {
    use std::collections::HashMap;
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Result};

    pub(super) const NAME: &str = "Secret Service (D-Bus)";

    pub(super) fn build(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
    ) -> Result<Entry> {
        // The label is only what keyring UIs (Seahorse) display; lookups use
        // the `service` and `username` attributes. No `target` modifier, so
        // items go to the default collection and are found in any collection.
        let label = format!("{service}: {account}");
        let modifiers = HashMap::from([("label", label.as_str())]);
        store.build(service, account, Some(&modifiers))
    }
}

#[cfg(target_os = "macos")]
mod platform {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Result};

    pub(super) const NAME: &str = "macOS Keychain";

    pub(super) fn build(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
    ) -> Result<Entry> {
        store.build(service, account, None)
    }
}

#[cfg(target_os = "windows")]
mod platform {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Result};

    pub(super) const NAME: &str = "Windows Credential Manager";

    pub(super) fn build(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
    ) -> Result<Entry> {
        store.build(service, account, None)
    }
}

#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
mod platform {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error, Result};

    pub(super) const NAME: &str = "none";

    /// No supported keychain on this OS: fail instead of pretending.

    pub(super) fn build(
        _store: &Arc<CredentialStore>,
        _service: &str,
        _account: &str,
    ) -> Result<Entry> {
        Err(Error::NoDefaultStore)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_name_is_a_real_backend_on_supported_platforms() {
        if cfg!(any(
            target_os = "linux",
            target_os = "macos",
            target_os = "windows"
        )) {
            assert_ne!(backend_name(), "none");
        }
    }

    #[test]
    fn empty_names_are_rejected_before_touching_the_os() {
        assert!(matches!(
            get("", "a"),
            Err(KeychainError::InvalidName { .. })
        ));
        assert!(matches!(
            delete("byok", ""),
            Err(KeychainError::InvalidName { .. })
        ));
        assert!(matches!(
            set("byok", "a\0b", &SecretString::from("x")),
            Err(KeychainError::InvalidName { .. })
        ));
    }

    #[test]
    fn payload_bytes_never_reach_error_messages() {
        let secret = b"sk-super-secret".to_vec();
        let err = map_error(CoreError::BadEncoding(secret), "byok", "ref/api_key");
        let text = err.to_string();
        assert!(!text.contains("sk-super-secret"), "{text}");
        assert!(text.contains("ref/api_key"));
    }

    #[test]
    fn unreachable_message_names_backend_and_vault_fallback() {
        let err = KeychainError::Unreachable {
            backend: backend_name(),
            detail: "no bus".to_owned(),
        };
        let text = err.to_string();
        assert!(text.contains(backend_name()));
        assert!(err.hint().unwrap().contains("--store vault"));
    }
}
