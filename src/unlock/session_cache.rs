//! Short-lived cache for the vault's decrypted age identity, held by the
//! Linux kernel key retention service (keyrings(7)).
//!
//! # Why the kernel keyring
//!
//! The identity (`AGE-SECRET-KEY-1...`) must not touch the disk, and it must
//! disappear on time even if byok is killed. A `user` key in the kernel meets
//! both: the payload lives in kernel memory only, and the kernel itself
//! enforces the expiry set with `keyctl_set_timeout` — after the TTL the key
//! can no longer be read by anyone and is garbage-collected, whether or not
//! any byok process is still alive.
//!
//! # Which keyring, and what that means for security
//!
//! The key is linked into the caller's **session keyring** (`@s`). Every
//! process of a login session (a terminal, an ssh login set up by
//! `pam_keyinit`) shares that keyring, so a later `byok` run in the same
//! terminal finds the cached identity, while other login sessions of the
//! same user do not *possess* it and so cannot read it.
//!
//! If the process has no session keyring (no `pam_keyinit`: many containers,
//! some cron or service setups), the kernel resolves `@s` to the
//! **user-session keyring** (`@us`) and this module accepts that, as
//! [`describe`] reports. `@us` is shared by every process of the same uid
//! that has no session keyring of its own, so the cache is visible more
//! widely there; the kernel expiry still bounds its lifetime and other uids
//! still cannot read it. Two alternatives were rejected:
//!
//! * creating a fresh session keyring (`@s` with "create") would make a
//!   keyring that dies with this byok process, so nothing would be cached;
//! * using the user keyring (`@u`) explicitly would be the widest choice:
//!   `pam_keyinit` links `@u` into *every* session keyring of the user, so
//!   all their logins would possess the identity.
//!
//! # Permissions and lifetime
//!
//! The finished key grants its *possessor* view, read and search only, and
//! its owning *user* view only (so `keyctl show` / `/proc/keys` can list it
//! without being able to read it); group and others get nothing (`perm
//! 0b010000` in `/proc/keys`). Nobody gets write (updating a `user` key's
//! payload clears its expiry), setattr (which could extend or remove the
//! timeout) or link (which could put it into a wider keyring such as
//! `@u`). Search is enough to [`clear`] it, since invalidation needs only
//! that.
//!
//! To leave no window in which the key exists without a timeout, [`store`]
//! first creates it in this process's private *process keyring* (which the
//! kernel destroys when the process exits), sets the timeout there, and
//! only then links it into the session keyring and locks its permissions
//! down. A previous value under the same name is invalidated (destroyed)
//! just before that link, so it does not linger in kernel memory.
//!
//! # Names
//!
//! Use [`cache_name`] to derive the key description from the vault's home
//! directory (`byok:identity:<hash>`) so two vaults never share an entry.
//!
//! On other operating systems every operation fails with
//! [`CacheError::Unsupported`]: there is no equally safe facility, and
//! caching somewhere weaker would be worse than asking for the passphrase
//! again.

use std::path::Path;
use std::time::Duration;

use secrecy::SecretString;

/// Largest payload a kernel `user` key accepts (see keyrings(7)).
pub const MAX_VALUE_LEN: usize = 32_767;

/// Errors from the session cache. None of them ever contains the cached
/// value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// This OS has no kernel keyring; byok does not cache there.
    #[error(
        "the session cache needs the Linux kernel keyring, which {0}; keep the vault \
         identity in the OS keychain instead (`byok keychain remember`), or byok asks for the \
         passphrase each time"
    )]
    Unsupported(&'static str),
    /// The kernel keyring exists but this process may not use it (e.g. the
    /// `keyctl`/`add_key` system calls are blocked by a seccomp profile, as
    /// in Docker's default one).
    #[error(
        "the Linux kernel keyring is not usable here ({0}); \
         byok will ask for the vault passphrase each time instead"
    )]
    Unavailable(String),
    /// The TTL is shorter than one second or longer than the kernel's 32-bit timeout; the
    /// kernel counts whole seconds and treats 0 as "never expire", so both are refused.
    #[error("session cache TTL must be between 1 second and 2^32-1 seconds")]
    InvalidTtl,
    /// The key description is unusable.
    #[error("invalid session cache name: {0}")]
    InvalidName(&'static str),
    /// The value is empty; the kernel refuses empty `user` keys.
    #[error("refusing to cache an empty value")]
    EmptyValue,
    /// The value is too large for a kernel `user` key.
    #[error("value too large for the session cache (max {MAX_VALUE_LEN} bytes)")]
    ValueTooLarge,
    /// The cached payload is not UTF-8 text, so it was not written by byok.
    #[error("the session cache entry is not valid UTF-8 text")]
    NotText,
    /// The kernel refused: too many keys or bytes for this user.
    #[error("the kernel key quota for this user is exhausted (see /proc/sys/kernel/keys/maxkeys)")]
    QuotaExceeded,
    /// Any other kernel keyring failure.
    #[error("kernel keyring operation {op} failed: {detail}")]
    Kernel {
        /// Which operation failed (e.g. `add_key`).
        op: &'static str,
        /// The kernel error.
        detail: String,
    },
}

/// The kernel key description for the identity cache of the vault at
/// `home` (the `BYOK_HOME` directory): `byok:identity:<16 hex digits>`.
///
/// The path is made absolute (and canonical when it exists) first so the
/// same vault gets the same name however it was spelled. The hash is 64-bit
/// FNV-1a: stable across Rust versions and byok builds (unlike std's
/// `DefaultHasher`), and only a namespace, not a security boundary. It keeps
/// the vault path itself out of `/proc/keys`.
pub fn cache_name(home: &Path) -> String {
    let resolved = home
        .canonicalize()
        .or_else(|_| std::path::absolute(home))
        .unwrap_or_else(|_| home.to_path_buf());
    format!(
        "byok:identity:{:016x}",
        fnv1a64(resolved.as_os_str().as_encoded_bytes())
    )
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Caches `value` under `name` for `ttl` (whole seconds, rounded down, at
/// least 1), replacing any previous value for that name. The kernel deletes
/// it when the TTL runs out, even if byok is no longer running.
pub fn store(name: &str, value: &SecretString, ttl: Duration) -> Result<(), CacheError> {
    validate_name(name)?;
    let secs = ttl.as_secs();
    // The kernel takes 32 bits and treats 0 as "never expire": refuse what would wrap.
    if secs == 0 || secs > u64::from(u32::MAX) {
        return Err(CacheError::InvalidTtl);
    }
    imp::store(name, value, secs)
}

/// Returns the cached value for `name`, or `Ok(None)` if there is none or
/// it has expired.
pub fn load(name: &str) -> Result<Option<SecretString>, CacheError> {
    validate_name(name)?;
    imp::load(name)
}

/// Removes the cached value for `name` at once. Returns whether there was
/// one.
pub fn clear(name: &str) -> Result<bool, CacheError> {
    validate_name(name)?;
    imp::clear(name)
}

/// Whether the session cache can be used by this process.
pub fn available() -> bool {
    imp::check().is_ok()
}

/// One-line description of the facility for `doctor`, including which
/// keyring is in use or why none is.
pub fn describe() -> String {
    imp::describe()
}

fn validate_name(name: &str) -> Result<(), CacheError> {
    if name.is_empty() {
        Err(CacheError::InvalidName("must not be empty"))
    } else if name.contains('\0') {
        Err(CacheError::InvalidName("must not contain NUL characters"))
    } else if name.len() > 4095 {
        // The kernel's limit on key descriptions (including the NUL).
        Err(CacheError::InvalidName("longer than 4095 bytes"))
    } else {
        Ok(())
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use linux_keyutils::{
        Key, KeyError, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission,
    };
    use secrecy::zeroize::Zeroize;
    use secrecy::{ExposeSecret, SecretString};

    use super::{CacheError, MAX_VALUE_LEN};

    /// Which keyring `@s` resolved to.
    pub(super) enum Scope {
        Session,
        UserSession,
    }

    /// Resolves `@s` without creating a new session keyring: with "create"
    /// the kernel would make one private to this process (see module docs).
    fn session_keyring() -> Result<KeyRing, CacheError> {
        KeyRing::from_special_id(KeyRingIdentifier::Session, false).map_err(unavailable)
    }

    fn scope(session: &KeyRing) -> Result<Scope, CacheError> {
        let user_session =
            KeyRing::from_special_id(KeyRingIdentifier::UserSession, false).map_err(unavailable)?;
        // Without a session keyring of its own, the kernel installs the
        // user-session keyring as the process's `@s`, so the ids match.
        Ok(if *session == user_session {
            Scope::UserSession
        } else {
            Scope::Session
        })
    }

    pub(super) fn check() -> Result<Scope, CacheError> {
        let session = session_keyring()?;
        scope(&session)
    }

    pub(super) fn describe() -> String {
        match check() {
            Ok(Scope::Session) => {
                "Linux kernel keyring (this login session's keyring @s)".to_owned()
            }
            Ok(Scope::UserSession) => "Linux kernel keyring (user-session keyring @us: this \
                 process has no session keyring, so all of this user's processes without \
                 one share it)"
                .to_owned(),
            Err(e) => e.to_string(),
        }
    }

    pub(super) fn store(name: &str, value: &SecretString, secs: u64) -> Result<(), CacheError> {
        let payload = value.expose_secret().as_bytes();
        if payload.is_empty() {
            // The kernel refuses empty `user` keys; byok never caches "".
            return Err(CacheError::EmptyValue);
        }
        if payload.len() > MAX_VALUE_LEN {
            return Err(CacheError::ValueTooLarge);
        }
        let secs = usize::try_from(secs).unwrap_or(usize::MAX);
        let session = session_keyring()?;
        // Stage the key in the process keyring: if byok dies before the
        // timeout is set, the kernel destroys it together with the process.
        let staging =
            KeyRing::from_special_id(KeyRingIdentifier::Process, true).map_err(unavailable)?;
        let key = staging
            .add_key(name, payload)
            .map_err(|e| kernel("add_key", e))?;
        let result = finish_store(&session, name, key, secs);
        // Drop the staging link whatever happened; on success the session
        // keyring holds the only link, on failure the key goes away now.
        let _ = staging.unlink_key(key);
        if result.is_err() {
            let _ = key.invalidate();
        }
        result
    }

    fn finish_store(
        session: &KeyRing,
        name: &str,
        key: Key,
        secs: usize,
    ) -> Result<(), CacheError> {
        // Timeout first: from here on the key cannot outlive the TTL,
        // whatever fails next.
        key.set_timeout(secs)
            .map_err(|e| kernel("keyctl_set_timeout", e))?;
        // Destroy the value being replaced now. Linking would displace it
        // anyway, but then we would no longer possess it, could not
        // invalidate it, and its payload would linger until garbage
        // collection. A reader racing with this sees "not cached", which
        // only costs a passphrase prompt.
        if let Some(old) = find_in(session, name)? {
            old.invalidate()
                .map_err(|e| kernel("keyctl_invalidate", e))?;
        }
        session
            .link_key(key)
            .map_err(|e| kernel("keyctl_link", e))?;
        // Permissions last, because they take away what the steps above
        // needed: without write nobody can update the payload (which would
        // clear the expiry), without setattr nobody can extend the timeout,
        // and without link nobody can link it into a wider keyring such as
        // `@u`. Until this call the kernel defaults applied, which already
        // let only the possessor read.
        let perms = KeyPermissionsBuilder::builder()
            .posessor(Permission::VIEW | Permission::READ | Permission::SEARCH)
            .user(Permission::VIEW)
            .build();
        key.set_perms(perms)
            .map_err(|e| kernel("keyctl_setperm", e))
    }

    pub(super) fn load(name: &str) -> Result<Option<SecretString>, CacheError> {
        let Some(key) = find(name)? else {
            return Ok(None);
        };
        match read(key) {
            Ok(value) => Ok(Some(value)),
            // Expired or cleared between search and read: same as absent.
            Err(CacheError::Kernel { .. }) if gone(key) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(super) fn clear(name: &str) -> Result<bool, CacheError> {
        let Some(key) = find(name)? else {
            return Ok(false);
        };
        // Invalidate rather than unlink: the key is destroyed at once even
        // if something else linked it elsewhere.
        match key.invalidate() {
            Ok(()) => Ok(true),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyExpired | KeyError::KeyRevoked) => {
                Ok(false)
            }
            Err(e) => Err(kernel("keyctl_invalidate", e)),
        }
    }

    /// Searches the session keyring (recursively, as the kernel does) for a
    /// `user` key called `name`; expired or revoked keys count as absent.
    fn find(name: &str) -> Result<Option<Key>, CacheError> {
        find_in(&session_keyring()?, name)
    }

    fn find_in(session: &KeyRing, name: &str) -> Result<Option<Key>, CacheError> {
        match session.search(name) {
            Ok(key) => Ok(Some(key)),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyExpired | KeyError::KeyRevoked) => {
                Ok(None)
            }
            Err(e) => Err(kernel("keyctl_search", e)),
        }
    }

    fn gone(key: Key) -> bool {
        matches!(
            key.metadata(),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyExpired | KeyError::KeyRevoked)
        )
    }

    /// Reads the payload into an exactly-sized buffer (asking the kernel for
    /// the length first) so no oversized copy of the secret is left behind,
    /// and wipes every intermediate buffer.
    fn read(key: Key) -> Result<SecretString, CacheError> {
        let mut empty: [u8; 0] = [];
        let len = key.read(&mut empty).map_err(|e| kernel("keyctl_read", e))?;
        let mut buf = vec![0u8; len];
        let got = key.read(&mut buf).map_err(|e| kernel("keyctl_read", e))?;
        if got != len {
            // Only a concurrent `store` replaces keys, and it creates a new
            // key rather than rewriting this one; treat a change as corrupt.
            buf.zeroize();
            return Err(CacheError::Kernel {
                op: "keyctl_read",
                detail: "payload changed while being read".to_owned(),
            });
        }
        match String::from_utf8(buf) {
            Ok(text) => Ok(SecretString::from(text)),
            Err(err) => {
                err.into_bytes().zeroize();
                Err(CacheError::NotText)
            }
        }
    }

    fn unavailable(e: KeyError) -> CacheError {
        CacheError::Unavailable(match e {
            // 38 is ENOSYS on Linux: no keyring support, or blocked by seccomp.
            KeyError::Unknown(38) => {
                "keyctl system calls are not available (kernel without CONFIG_KEYS, or \
                 blocked by a seccomp profile)"
                    .to_owned()
            }
            KeyError::PermissionDenied | KeyError::AccessDenied => {
                "keyctl system calls are not permitted for this process".to_owned()
            }
            other => format!("{other:?}"),
        })
    }

    fn kernel(op: &'static str, e: KeyError) -> CacheError {
        match e {
            KeyError::QuotaExceeded => CacheError::QuotaExceeded,
            other => CacheError::Kernel {
                op,
                detail: format!("{other:?}"),
            },
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use secrecy::SecretString;

    use super::CacheError;

    const WHY: &str = "does not exist on this operating system";

    pub(super) fn store(_name: &str, _value: &SecretString, _secs: u64) -> Result<(), CacheError> {
        Err(CacheError::Unsupported(WHY))
    }

    pub(super) fn load(_name: &str) -> Result<Option<SecretString>, CacheError> {
        Err(CacheError::Unsupported(WHY))
    }

    pub(super) fn clear(_name: &str) -> Result<bool, CacheError> {
        Err(CacheError::Unsupported(WHY))
    }

    pub(super) fn check() -> Result<(), CacheError> {
        Err(CacheError::Unsupported(WHY))
    }

    pub(super) fn describe() -> String {
        CacheError::Unsupported(WHY).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `byok unlock` says on macOS and Windows (built here, so tested here): that the
    /// cache does not exist there, and the alternative.
    #[test]
    fn the_cache_off_linux_says_so_and_names_the_alternative() {
        let message =
            CacheError::Unsupported("does not exist on this operating system").to_string();
        assert!(
            message.contains("does not exist on this operating system"),
            "{message}"
        );
        assert!(message.contains("byok keychain remember"), "{message}");
    }

    #[test]
    fn cache_name_is_namespaced_and_stable() {
        let a = cache_name(Path::new("/nonexistent/vault-a"));
        let b = cache_name(Path::new("/nonexistent/vault-b"));
        assert!(a.starts_with("byok:identity:"), "{a}");
        assert_eq!(a.len(), "byok:identity:".len() + 16);
        assert_ne!(a, b);
        assert_eq!(a, cache_name(Path::new("/nonexistent/vault-a")));
        // Spelling variants of one existing directory map to one name.
        let tmp = std::env::temp_dir();
        assert_eq!(cache_name(&tmp), cache_name(&tmp.join(".")));
    }

    #[test]
    fn fnv1a64_matches_reference_vectors() {
        // Published FNV-1a 64-bit test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn invalid_arguments_are_rejected() {
        let v = SecretString::from("AGE-SECRET-KEY-1X");
        assert!(matches!(
            store("byok:test", &v, Duration::from_millis(999)),
            Err(CacheError::InvalidTtl)
        ));
        assert!(matches!(load(""), Err(CacheError::InvalidName(_))));
        assert!(matches!(clear("a\0b"), Err(CacheError::InvalidName(_))));
    }
}
