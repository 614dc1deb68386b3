//! Where an OpenBao store's token comes from, in this order:
//!
//! 1. the store's own login (`byok store login NAME`), kept in the OS keychain (service
//!    `byok`, account `<home_id>/openbao/<store>`) as a small JSON record: the token, its
//!    expiry and renewability, and for AppRole the secret id to log in again with;
//! 2. `BAO_TOKEN`, else `VAULT_TOKEN` (a set `BAO_TOKEN` wins even when empty), else
//!    `~/.vault-token` — but only for a store one of whose addresses equals `BAO_ADDR`
//!    (else `VAULT_ADDR`): a token meant for one server is never sent to every store.
//!
//! Tokens travel in [`SecretValue`]s: never printed, logged, or shown by `Debug`.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};
use zeroize::Zeroizing;

use super::config::{BaoSettings, env_var};
use crate::secret::SecretValue;
use crate::settings::ParentEnv;

/// Where the token in use came from (named in errors, never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Login,
    Env(String),
    File(PathBuf),
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Login => f.write_str("the token kept by `byok store login`"),
            TokenSource::Env(var) => write!(f, "the token in {var}"),
            TokenSource::File(path) => write!(f, "the token in {}", path.display()),
        }
    }
}

/// The keychain account of a store's login.
pub fn account(home_id: &str, store: &str) -> String {
    format!("{home_id}/openbao/{store}")
}

/// What `store login` keeps.
#[derive(Deserialize, Serialize)]
pub struct LoginRecord {
    #[serde(serialize_with = "expose")]
    pub token: SecretValue,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_opt"
    )]
    pub secret_id: Option<SecretValue>,
    /// Unix seconds; `None` for a token that does not expire.
    #[serde(default)]
    pub expires: Option<u64>,
    #[serde(default)]
    pub renewable: bool,
    /// The TTL it was issued (or last renewed) with, in seconds.
    #[serde(default)]
    pub ttl: u64,
}

impl std::fmt::Debug for LoginRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRecord")
            .field("token", &self.token)
            .field("secret_id", &self.secret_id)
            .field("expires", &self.expires)
            .field("renewable", &self.renewable)
            .finish()
    }
}

fn expose<S: Serializer>(value: &SecretValue, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value.expose())
}

fn expose_opt<S: Serializer>(value: &Option<SecretValue>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(v.expose()),
        None => s.serialize_none(),
    }
}

impl LoginRecord {
    /// The record as the keychain keeps it.
    pub fn to_secret(&self) -> SecretString {
        let text = Zeroizing::new(serde_json::to_string(self).unwrap_or_default());
        SecretString::from(text.as_str().to_owned())
    }

    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// Seconds until expiry (negative when past), `None` for a token without expiry.
    pub fn remaining(&self, now: u64) -> Option<i64> {
        self.expires.map(|e| e as i64 - now as i64)
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The environment's token (or `~/.vault-token`) when this store is the one `BAO_ADDR` /
/// `VAULT_ADDR` names.
pub fn from_environment(
    settings: &BaoSettings,
    env: &ParentEnv,
) -> Option<(SecretValue, TokenSource)> {
    let (_, address) = env_var(env, "ADDR")?;
    if !settings.has_address(&address) {
        return None;
    }
    if let Some((name, token)) = env_var(env, "TOKEN") {
        let token = token.trim().to_owned();
        // A set BAO_TOKEN wins even when empty, as in OpenBao's CLI: then no token.
        return (!token.is_empty()).then(|| (SecretValue::new(token), TokenSource::Env(name)));
    }
    let home = env.get("HOME").filter(|h| !h.is_empty())?;
    let path = PathBuf::from(home).join(".vault-token");
    let text = Zeroizing::new(std::fs::read_to_string(&path).ok()?);
    let token = text.trim();
    (!token.is_empty() && token.len() < 4096)
        .then(|| (SecretValue::new(token.to_owned()), TokenSource::File(path)))
}

/// Whether a token is plausible to put in a header (printable ASCII, bounded).
pub fn is_header_safe(token: &str) -> bool {
    !token.is_empty() && token.len() <= 4096 && token.bytes().all(|b| (0x21..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::ffi::OsString;

    fn settings(address: &str) -> BaoSettings {
        let mut m = BTreeMap::new();
        m.insert("address".to_owned(), address.to_owned());
        BaoSettings::resolve(&m, &ParentEnv::default()).unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> ParentEnv {
        ParentEnv::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (OsString::from(k), OsString::from(v))),
        )
    }

    #[test]
    fn an_environment_token_goes_only_to_the_store_bao_addr_names() {
        let s = settings("http://127.0.0.1:8200");
        let e = env(&[
            ("BAO_ADDR", "http://127.0.0.1:8200"),
            ("BAO_TOKEN", "s.abc"),
        ]);
        let (token, source) = from_environment(&s, &e).unwrap();
        assert_eq!(token.expose(), "s.abc");
        assert_eq!(source, TokenSource::Env("BAO_TOKEN".into()));
        let other = settings("http://127.0.0.1:9200");
        assert!(from_environment(&other, &e).is_none());
        // BAO_ADDR wins over VAULT_ADDR; VAULT_TOKEN is used when BAO_TOKEN is unset.
        let e = env(&[
            ("BAO_ADDR", "http://127.0.0.1:9200"),
            ("VAULT_ADDR", "http://127.0.0.1:8200"),
            ("VAULT_TOKEN", "s.v"),
        ]);
        assert!(from_environment(&s, &e).is_none());
        assert_eq!(from_environment(&other, &e).unwrap().0.expose(), "s.v");
        // A set but empty BAO_TOKEN means no token, as in OpenBao's CLI.
        let e = env(&[
            ("BAO_ADDR", "http://127.0.0.1:8200"),
            ("BAO_TOKEN", ""),
            ("VAULT_TOKEN", "s.v"),
        ]);
        assert!(from_environment(&s, &e).is_none());
    }

    #[test]
    fn records_hide_tokens_in_debug_and_round_trip() {
        let record = LoginRecord {
            token: SecretValue::new("s.secret-token".into()),
            secret_id: Some(SecretValue::new("secret-id-value".into())),
            expires: Some(10),
            renewable: true,
            ttl: 5,
        };
        let debug = format!("{record:?}");
        assert!(!debug.contains("secret-token") && !debug.contains("secret-id-value"));
        let text = secrecy::ExposeSecret::expose_secret(&record.to_secret()).to_owned();
        let back = LoginRecord::parse(&text).unwrap();
        assert_eq!(back.token.expose(), "s.secret-token");
        assert_eq!(back.secret_id.as_ref().unwrap().expose(), "secret-id-value");
        assert_eq!(back.remaining(4), Some(6));
    }
}
