//! The settings of an `openbao` `[[store]]`, checked when `config.toml` is read and when
//! `byok store add` writes one, and resolved against the environment (`BAO_*`, then
//! `VAULT_*`, as OpenBao's own CLI reads them: a `BAO_X` that is set, even empty, wins).
//!
//! ```toml
//! [[store]]
//! name = "team"
//! type = "openbao"
//! address = "https://bao1.example:8200, https://bao2.example:8200"  # one or more nodes
//! mount = "secret"          # the KV v2 mount (default: secret)
//! prefix = "byok/"          # where byok's entries live under the mount (default: byok/)
//! namespace = "team1"       # optional (OpenBao ≥ 2.3, Vault Enterprise)
//! ca_cert = "/etc/ssl/bao-ca.pem"   # optional: trust only this CA
//! auth = "approle"          # token (default) or approle
//! role_id = "…"             # approle: the role id (not a secret); the secret id is kept by `store login`
//! login = "keychain"        # written by `byok store login`: where its token is kept
//! retry_for = "20s"         # optional: how long one request is retried across nodes
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::client::{Node, RETRY_FOR};
use crate::settings::ParentEnv;

/// The keys an openbao store may set.
pub const KEYS: &[&str] = &[
    "address",
    "mount",
    "prefix",
    "namespace",
    "ca_cert",
    "auth",
    "role_id",
    "login",
    "retry_for",
];

/// How the store authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthKind {
    Token,
    AppRole { role_id: String },
}

/// An openbao store's settings, resolved.
#[derive(Clone, Debug)]
pub struct BaoSettings {
    pub nodes: Vec<Node>,
    pub mount: String,
    /// Ends with `/`, or is empty.
    pub prefix: String,
    pub namespace: Option<String>,
    pub ca_cert: Option<PathBuf>,
    pub auth: AuthKind,
    /// `byok store login` kept a token for this store.
    pub logged_in: bool,
    pub retry_for: Duration,
}

/// A `BAO_X` variable, falling back to `VAULT_X` only when `BAO_X` is unset.
pub fn env_var(env: &ParentEnv, suffix: &str) -> Option<(String, String)> {
    for name in [format!("BAO_{suffix}"), format!("VAULT_{suffix}")] {
        if let Some(value) = env.get(&name) {
            return Some((name, value.to_string_lossy().into_owned()));
        }
    }
    None
}

/// Checks a declaration's settings (no environment, no network): the reader of
/// `config.toml` and `store add` call this.
pub fn check(settings: &BTreeMap<String, String>) -> Result<(), String> {
    for key in settings.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(format!(
                "unknown setting `{key}` (known: {})",
                KEYS.join(", ")
            ));
        }
    }
    let address = settings
        .get("address")
        .ok_or("has no `address` (one or more node URLs, comma-separated)")?;
    parse_addresses(address)?;
    if let Some(mount) = settings.get("mount") {
        check_path("mount", mount, false)?;
    }
    if let Some(prefix) = settings.get("prefix") {
        check_path("prefix", prefix, true)?;
    }
    if let Some(ns) = settings.get("namespace") {
        check_path("namespace", ns, true)?;
    }
    match settings.get("auth").map(String::as_str) {
        None | Some("token") => {}
        Some("approle") => {
            let role = settings
                .get("role_id")
                .ok_or("auth = \"approle\" needs `role_id`")?;
            if role.is_empty() || role.len() > 256 || role.chars().any(char::is_control) {
                return Err("`role_id` must be 1–256 printable characters".into());
            }
        }
        Some(other) => {
            return Err(format!(
                "unknown auth '{}' (token or approle)",
                crate::term::sanitize::line(other).into_owned()
            ));
        }
    }
    if let Some(login) = settings.get("login")
        && login != "keychain"
    {
        return Err("`login` must be \"keychain\" (written by `byok store login`)".into());
    }
    if let Some(r) = settings.get("retry_for") {
        let d =
            humantime::parse_duration(r).map_err(|_| "`retry_for` must be a duration like 20s")?;
        if d > Duration::from_secs(600) {
            return Err("`retry_for` is at most 10m".into());
        }
    }
    Ok(())
}

/// The nodes of `address`: comma- or space-separated http(s) URLs without path, query or
/// credentials; plain http only for loopback addresses (the token would cross the network
/// in cleartext).
pub fn parse_addresses(text: &str) -> Result<Vec<Node>, String> {
    let mut nodes: Vec<Node> = Vec::new();
    for part in text.split([',', ' ', '\n', '\t']).filter(|p| !p.is_empty()) {
        let shown = crate::term::sanitize::line(part).into_owned();
        let url = Url::parse(part).map_err(|_| format!("'{shown}' is not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
            return Err(format!("'{shown}' must be an http(s):// address"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("'{shown}' must not carry credentials"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "'{shown}' must be a bare address (scheme, host, port), without a path"
            ));
        }
        if url.scheme() == "http" && !crate::net::is_loopback(&url) {
            return Err(format!(
                "refusing plain-http address '{shown}': the token would cross the network unencrypted (use https://)"
            ));
        }
        if nodes.iter().any(|n| n.url.origin() == url.origin()) {
            return Err(format!("'{shown}' is listed twice"));
        }
        nodes.push(Node { url });
    }
    if nodes.is_empty() {
        return Err("`address` names no node".into());
    }
    if nodes.len() > 16 {
        return Err("at most 16 addresses".into());
    }
    Ok(nodes)
}

/// `a/b/` style paths: no empty, `.` or `..` segments (the server would answer with a
/// path-cleaning redirect elsewhere), no control characters, at most 256 bytes.
fn check_path(what: &str, text: &str, trailing_slash_ok: bool) -> Result<(), String> {
    let trimmed = if trailing_slash_ok {
        text.strip_suffix('/').unwrap_or(text)
    } else {
        text
    };
    if trimmed.is_empty() {
        return if trailing_slash_ok {
            Ok(())
        } else {
            Err(format!("`{what}` must not be empty"))
        };
    }
    if text.len() > 256
        || text
            .chars()
            .any(|c| c.is_control() || c == '?' || c == '#' || c == '%')
        || trimmed
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(format!(
            "`{what}` '{}' must be path segments separated by single `/` (no `.`/`..`, `?`, `#`, `%`, control characters)",
            crate::term::sanitize::line(text).into_owned()
        ));
    }
    Ok(())
}

impl BaoSettings {
    /// Resolves checked settings with the environment defaults.
    pub fn resolve(settings: &BTreeMap<String, String>, env: &ParentEnv) -> Result<Self, String> {
        check(settings)?;
        let nodes = parse_addresses(&settings["address"])?;
        let mount = settings
            .get("mount")
            .cloned()
            .unwrap_or_else(|| "secret".into())
            .trim_matches('/')
            .to_owned();
        let mut prefix = settings
            .get("prefix")
            .cloned()
            .unwrap_or_else(|| "byok/".into());
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        let namespace = match settings.get("namespace") {
            Some(ns) => Some(ns.clone()),
            None => env_var(env, "NAMESPACE").map(|(_, v)| v),
        }
        .filter(|ns| !ns.is_empty());
        if let Some(ns) = &namespace {
            check_path("namespace", ns, true)?;
        }
        let ca_cert = match settings.get("ca_cert") {
            Some(path) => Some(PathBuf::from(path)),
            None => env_var(env, "CACERT")
                .map(|(_, v)| v)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        };
        let auth = match settings.get("auth").map(String::as_str) {
            Some("approle") => AuthKind::AppRole {
                role_id: settings["role_id"].clone(),
            },
            _ => AuthKind::Token,
        };
        let retry_for = settings
            .get("retry_for")
            .and_then(|r| humantime::parse_duration(r).ok())
            .unwrap_or(RETRY_FOR);
        Ok(BaoSettings {
            nodes,
            mount,
            prefix,
            namespace,
            ca_cert,
            auth,
            logged_in: settings.get("login").is_some(),
            retry_for,
        })
    }

    /// Whether `address` (`BAO_ADDR` / `VAULT_ADDR`) is one of this store's nodes.
    pub fn has_address(&self, address: &str) -> bool {
        let Ok(url) = Url::parse(address.trim().trim_end_matches('/')) else {
            return false;
        };
        self.nodes.iter().any(|n| n.url.origin() == url.origin())
    }

    /// The segments of `<mount>/<area>/<prefix><reference>` (`area`: data, metadata, …).
    pub fn segments<'a>(&'a self, area: &'a str, reference: &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = self.mount.split('/').collect();
        out.push(area);
        out.extend(self.prefix.split('/').filter(|s| !s.is_empty()));
        if !reference.is_empty() {
            out.push(reference);
        }
        out
    }

    /// `secret/data/byok/REF`, for messages and policy hints.
    pub fn path_text(&self, area: &str, reference: &str) -> String {
        format!("{}/{area}/{}{reference}", self.mount, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            parse_addresses("https://a.example:8200, https://b.example:8200")
                .unwrap()
                .len(),
            2
        );
        assert!(parse_addresses("http://127.0.0.1:8200").is_ok());
        assert!(parse_addresses("http://bao.example:8200").is_err());
        assert!(parse_addresses("https://u:p@bao.example").is_err());
        assert!(parse_addresses("https://bao.example/v1").is_err());
        assert!(parse_addresses("https://a.example,https://a.example").is_err());
        assert!(parse_addresses("ftp://a.example").is_err());
        assert!(parse_addresses(" , ").is_err());
    }

    #[test]
    fn settings_are_checked() {
        let ok = map(&[("address", "https://a.example")]);
        assert!(check(&ok).is_ok());
        assert!(check(&map(&[])).is_err());
        let mut bad = ok.clone();
        bad.insert("prefix".into(), "byok//x/".into());
        assert!(check(&bad).is_err());
        let mut bad = ok.clone();
        bad.insert("prefix".into(), "../x".into());
        assert!(check(&bad).is_err());
        let mut bad = ok.clone();
        bad.insert("auth".into(), "approle".into());
        assert!(check(&bad).unwrap_err().contains("role_id"));
        let mut bad = ok.clone();
        bad.insert("colour".into(), "x".into());
        assert!(check(&bad).is_err());
    }

    #[test]
    fn bao_variables_win_over_vault_ones() {
        let env = ParentEnv::from_pairs([
            ("VAULT_NAMESPACE".into(), "v".into()),
            ("BAO_NAMESPACE".into(), "".into()),
        ]);
        assert_eq!(env_var(&env, "NAMESPACE").unwrap().0, "BAO_NAMESPACE");
        let s = BaoSettings::resolve(&map(&[("address", "https://a.example")]), &env).unwrap();
        assert_eq!(s.namespace, None, "a set but empty BAO_NAMESPACE wins");
        let env = ParentEnv::from_pairs([("VAULT_NAMESPACE".into(), "v".into())]);
        let s = BaoSettings::resolve(&map(&[("address", "https://a.example")]), &env).unwrap();
        assert_eq!(s.namespace.as_deref(), Some("v"));
        assert_eq!(s.prefix, "byok/");
        assert_eq!(s.segments("data", "k"), ["secret", "data", "byok", "k"]);
        assert!(s.has_address("https://a.example:443/"));
        assert!(!s.has_address("https://b.example"));
    }
}
