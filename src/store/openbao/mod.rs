//! OpenBao / HashiCorp Vault KV v2 as a [`Store`]: a team's keys on a real secrets engine.
//!
//! Each secret is one KV v2 entry `<mount>/data/<prefix>REF` ([`kv`] has the mapping).
//! Writes are check-and-set read-modify-writes, so each one makes a new KV version:
//! `secret show` lists versions, `rollback` writes an earlier version's values as a new one,
//! `rm` soft-deletes every version (`bao kv undelete` brings them back) and `rm --destroy`
//! removes the entry with all its versions for good.
//!
//! Nothing here runs until a command touches the store: the HTTP client, the tokio runtime
//! and the token are set up on first use ([`Inner`]). [`client`] owns retries, failover
//! and redirects; [`auth`] where the token comes from.
//!
//! This uses reqwest through [`crate::net`] rather than a client crate: the API is small,
//! and the crates (vaultrs 0.8) take one address, follow redirects with reqwest's default
//! policy (which keeps `X-Vault-Token` on a cross-host hop) and do not retry.

pub mod auth;
pub mod client;
pub mod config;
pub mod kv;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use auth::{LoginRecord, TokenSource};
use client::{Body, Client, Failure, Method, Reply};
use config::{AuthKind, BaoSettings};
use kv::{DataRead, Envelope, FieldValue, KeyMeta, Keys, TokenInfo, VersionMeta};

use super::keychain::{HomeId, SERVICE};
use super::{Health, Meta, Put, PutMode, Store, Version};
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::settings::Settings;

/// How many entries `list` reads at once.
const LIST_CONCURRENCY: usize = 16;

/// What the store knows of one entry.
#[derive(Clone)]
enum Entry {
    Missing,
    /// Its latest version is soft-deleted or destroyed.
    Removed {
        version: u64,
        deleted: String,
        destroyed: bool,
    },
    Present(Arc<Current>),
}

/// A readable version of an entry.
struct Current {
    version: u64,
    created_time: String,
    fields: BTreeMap<String, SecretValue>,
    /// Data values that are not strings (byok leaves such entries alone).
    other: usize,
    custom: BTreeMap<String, String>,
}

/// What `list_entries` found: the entries by name, and the keys skipped (nested folders,
/// names that are not ref names, entries with non-string data).
type Listing = (Vec<(String, Entry)>, [usize; 3]);

/// An OpenBao store.
pub struct OpenBaoStore {
    name: String,
    raw: BTreeMap<String, String>,
    settings: Arc<Settings>,
    home_id: Arc<HomeId>,
    inner: OnceLock<std::result::Result<Inner, String>>,
    cache: Mutex<BTreeMap<String, Entry>>,
    /// The store whose `byok store login` token this one uses (a workspace under a
    /// prefix of a named store shares that store's login); `None`: its own name.
    login_of: Option<String>,
}

/// Opened on first use.
struct Inner {
    bao: BaoSettings,
    runtime: tokio::runtime::Runtime,
    client: Arc<Client>,
    /// Where the token came from (set once a token is chosen).
    source: Mutex<Option<TokenSource>>,
    /// The stored login, when that is the source (for renewal and re-login).
    login: Mutex<Option<LoginRecord>>,
}

impl OpenBaoStore {
    /// A store of this declaration (opens nothing).
    pub fn new(
        name: &str,
        raw: BTreeMap<String, String>,
        settings: Arc<Settings>,
        home_id: Arc<HomeId>,
    ) -> Self {
        OpenBaoStore {
            name: name.to_owned(),
            raw,
            settings,
            home_id,
            inner: OnceLock::new(),
            cache: Mutex::new(BTreeMap::new()),
            login_of: None,
        }
    }

    /// This store, using the login kept for the store `store` (see `login_of`).
    pub fn with_login_of(mut self, store: &str) -> Self {
        self.login_of = Some(store.to_owned());
        self
    }

    fn fail(&self, message: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::OpenBao {
            store: self.name.clone(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    fn inner(&self) -> Result<&Inner> {
        let opened = self.inner.get_or_init(|| self.open());
        opened.as_ref().map_err(|message| {
            self.fail(
                message.clone(),
                format!("check the store with `byok store show {}`", self.name),
            )
        })
    }

    fn open(&self) -> std::result::Result<Inner, String> {
        let bao = BaoSettings::resolve(&self.raw, &self.settings.parent_env)?;
        let proxies = crate::net::ProxySettings::from_env(&self.settings.parent_env);
        let mut builder = crate::net::client_builder(client::REQUEST_TIMEOUT, &proxies);
        if let Some(path) = &bao.ca_cert {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read the CA certificate {}: {e}", path.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|_| format!("{} holds no PEM certificate", path.display()))?;
            if certs.is_empty() {
                return Err(format!("{} holds no PEM certificate", path.display()));
            }
            builder = builder.tls_built_in_root_certs(false);
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(|e| {
            format!(
                "could not set up HTTP: {}",
                crate::net::TransportError::from_reqwest(&e)
            )
        })?;
        let runtime = crate::net::runtime()
            .map_err(|e| format!("could not start the network runtime: {e}"))?;
        let client = Arc::new(Client::new(
            http,
            bao.nodes.clone(),
            bao.namespace.clone(),
            bao.retry_for,
        ));
        Ok(Inner {
            bao,
            runtime,
            client,
            source: Mutex::new(None),
            login: Mutex::new(None),
        })
    }

    fn account(&self) -> Result<String> {
        let store = self.login_of.as_deref().unwrap_or(&self.name);
        Ok(auth::account(self.home_id.get()?, store))
    }

    /// Chooses the token on first use (login record, environment, `~/.vault-token`),
    /// renewing or re-logging-in a stored login that is due.
    fn ensure_token(&self, inner: &Inner) -> Result<()> {
        if lock(&inner.source).is_some() {
            return Ok(());
        }
        if inner.bao.logged_in {
            let account = self.account()?;
            let record = crate::os::keychain::get(SERVICE, &account)?
                .and_then(|s| LoginRecord::parse(secrecy::ExposeSecret::expose_secret(&s)));
            if let Some(mut record) = record {
                let now = auth::now();
                let remaining = record.remaining(now);
                if remaining.is_some_and(|r| r <= 5) {
                    // Expired: log in again when we can.
                    match (&inner.bao.auth, record.secret_id.clone()) {
                        (AuthKind::AppRole { role_id }, Some(secret_id)) => {
                            record = self.approle_login(inner, role_id, &secret_id)?;
                            self.save_login(&record)?;
                        }
                        _ => {
                            return Err(self.fail(
                                "the token kept by `byok store login` has expired",
                                format!("log in again: `byok store login {}`", self.name),
                            ));
                        }
                    }
                } else if record.renewable
                    && remaining.is_some_and(|r| record.ttl > 0 && (r as u64) < record.ttl / 2)
                {
                    inner.client.set_token(Some(record.token.clone()));
                    if let Ok((ttl, renewable)) = self.renew(inner, record.ttl) {
                        record.expires = Some(auth::now() + ttl);
                        record.renewable = renewable;
                        let _ = self.save_login(&record);
                    }
                }
                inner.client.set_token(Some(record.token.clone()));
                *lock(&inner.source) = Some(TokenSource::Login);
                *lock(&inner.login) = Some(record);
                return Ok(());
            }
        }
        if let Some((token, source)) = auth::from_environment(&inner.bao, &self.settings.parent_env)
        {
            if !auth::is_header_safe(token.expose()) {
                return Err(self.fail(
                    format!("{source} is not a valid token (it must be printable ASCII)"),
                    "set it again, or use `byok store login`",
                ));
            }
            inner.client.set_token(Some(token));
            *lock(&inner.source) = Some(source);
            return Ok(());
        }
        Err(self.fail(
            "no token for this store",
            format!(
                "log in with `byok store login {}`, or set BAO_ADDR to one of its addresses ({}) and BAO_TOKEN",
                self.name,
                inner
                    .bao
                    .nodes
                    .iter()
                    .map(|n| n.display())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    fn save_login(&self, record: &LoginRecord) -> Result<()> {
        crate::os::keychain::set(SERVICE, &self.account()?, &record.to_secret())?;
        Ok(())
    }

    fn approle_login(
        &self,
        inner: &Inner,
        role_id: &str,
        secret_id: &SecretValue,
    ) -> Result<LoginRecord> {
        #[derive(serde::Serialize)]
        struct LoginBody<'a> {
            role_id: &'a str,
            secret_id: &'a str,
        }
        let body: Body = zeroize::Zeroizing::new(
            serde_json::to_vec(&LoginBody {
                role_id,
                secret_id: secret_id.expose(),
            })
            .unwrap_or_default(),
        );
        let reply = self.raw_call(
            inner,
            Method::Post,
            &["auth", "approle", "login"],
            &[],
            Some(&body),
        )?;
        if reply.status == 400 || reply.status == 403 {
            return Err(self.fail(
                format!(
                    "AppRole login refused: {}",
                    reply.errors().join("; ").if_empty("invalid role or secret id")
                ),
                format!(
                    "check role_id in config.toml and log in again with a fresh secret id: `byok store login {}`",
                    self.name
                ),
            ));
        }
        self.expect_ok(
            &reply,
            "log in with AppRole",
            "auth/approle/login",
            Method::Post,
        )?;
        let auth = serde_json::from_slice::<Envelope<serde_json::Value>>(&reply.body)
            .ok()
            .and_then(|e| e.auth)
            .ok_or_else(|| {
                self.fail("the AppRole login answer has no token", "check the server")
            })?;
        if !auth::is_header_safe(auth.client_token.expose()) {
            return Err(self.fail("the server returned an unusable token", "check the server"));
        }
        Ok(LoginRecord {
            token: auth.client_token,
            secret_id: Some(secret_id.clone()),
            expires: (auth.lease_duration > 0).then(|| auth::now() + auth.lease_duration),
            renewable: auth.renewable,
            ttl: auth.lease_duration,
        })
    }

    /// `auth/token/renew-self` by `increment` seconds; returns the new TTL.
    fn renew(&self, inner: &Inner, increment: u64) -> Result<(u64, bool)> {
        let body = kv::json_body(&serde_json::json!({ "increment": format!("{increment}s") }));
        let reply = self.raw_call(
            inner,
            Method::Post,
            &["auth", "token", "renew-self"],
            &[],
            Some(&body),
        )?;
        self.expect_ok(
            &reply,
            "renew the token",
            "auth/token/renew-self",
            Method::Post,
        )?;
        let auth = serde_json::from_slice::<Envelope<serde_json::Value>>(&reply.body)
            .ok()
            .and_then(|e| e.auth)
            .ok_or_else(|| self.fail("the renewal answer has no lease", "check the server"))?;
        Ok((auth.lease_duration, auth.renewable))
    }

    /// `auth/token/lookup-self`: `Some` when the token is valid.
    fn lookup_self(&self, inner: &Inner) -> Result<Option<TokenInfo>> {
        let reply = self.raw_call(
            inner,
            Method::Get,
            &["auth", "token", "lookup-self"],
            &[],
            None,
        )?;
        match reply.status {
            200 => Ok(serde_json::from_slice::<Envelope<TokenInfo>>(&reply.body)
                .ok()
                .and_then(|e| e.data)),
            403 | 401 => Ok(None),
            _ => {
                self.expect_ok(
                    &reply,
                    "look up the token",
                    "auth/token/lookup-self",
                    Method::Get,
                )?;
                Ok(None)
            }
        }
    }

    /// One request with the client's retries; transport-level failures become errors.
    fn raw_call(
        &self,
        inner: &Inner,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<Reply> {
        inner
            .runtime
            .block_on(inner.client.call(method, segments, query, body))
            .map_err(|f| self.failure(f))
    }

    /// A request needing the token: a 403 is told apart (bad or expired token vs a policy
    /// that lacks the capability) with `lookup-self`, and an AppRole login that expired is
    /// renewed once.
    fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<Reply> {
        let inner = self.inner()?;
        self.ensure_token(inner)?;
        let reply = self.raw_call(inner, method, segments, query, body)?;
        if reply.status != 403 {
            return Ok(reply);
        }
        let path = segments.join("/");
        if self.lookup_self(inner)?.is_some() {
            return Err(self.fail(
                format!(
                    "permission denied: the token's policies do not allow {} on {path}",
                    method.capability()
                ),
                format!(
                    "ask the OpenBao admin to grant `{}` on \"{path}\" (README: \"Teams on OpenBao\" has policy examples)",
                    method.capability().replace('/', "\", \"")
                ),
            ));
        }
        // The token itself is bad: expired, revoked, or never valid.
        let source = lock(&inner.source).clone();
        let relogin = match (&inner.bao.auth, lock(&inner.login).as_ref()) {
            (AuthKind::AppRole { role_id }, Some(record)) => record
                .secret_id
                .clone()
                .map(|secret_id| (role_id.clone(), secret_id)),
            _ => None,
        };
        if let Some((role_id, secret_id)) = relogin {
            let record = self.approle_login(inner, &role_id, &secret_id)?;
            inner.client.set_token(Some(record.token.clone()));
            self.save_login(&record)?;
            *lock(&inner.login) = Some(record);
            let reply = self.raw_call(inner, method, segments, query, body)?;
            if reply.status != 403 {
                return Ok(reply);
            }
        }
        let what = source.map_or_else(|| "the token".to_owned(), |s| s.to_string());
        Err(self.fail(
            format!("{what} was refused: it has expired, was revoked, or is not valid on this server (auth/token/lookup-self says so too)"),
            format!("log in again with `byok store login {}`", self.name),
        ))
    }

    /// Turns a non-2xx answer into an error.
    fn expect_ok(&self, reply: &Reply, action: &str, path: &str, method: Method) -> Result<()> {
        if (200..300).contains(&reply.status) {
            return Ok(());
        }
        let errors = reply.errors().join("; ");
        let fix = match reply.status {
            404 if errors.contains("no handler for route") => format!(
                "the mount does not exist or is not KV v2: check `mount` in `byok store show {}`",
                self.name
            ),
            404 if errors.contains("namespace not found") => {
                "check `namespace` (or BAO_NAMESPACE)".to_owned()
            }
            405 => "the path is not a KV v2 path: check `mount` (it must be a KV version 2 engine)"
                .into(),
            _ => format!("`byok store test {}` checks the connection", self.name),
        };
        Err(self.fail(
            format!(
                "could not {action} ({} {path}): HTTP {}{}",
                method_name(method),
                reply.status,
                if errors.is_empty() {
                    String::new()
                } else {
                    format!(", {errors}")
                }
            ),
            fix,
        ))
    }

    fn failure(&self, failure: Failure) -> Error {
        match failure {
            Failure::Unreachable { node, error, nodes } => self.fail(
                format!(
                    "unreachable: {node}: {error}{}",
                    if nodes > 1 {
                        format!(" (and none of the other {} node(s) answered)", nodes - 1)
                    } else {
                        String::new()
                    }
                ),
                "check that the server runs and the address is right (`byok store show NAME`); a firewall or VPN may be in the way",
            ),
            Failure::Tls { node, detail } => self.fail(
                format!("TLS with {node} failed: {detail}"),
                "an unknown CA needs `ca_cert` (or BAO_CACERT) naming its PEM file; a name mismatch means the address is not a name in the server's certificate",
            ),
            Failure::Sealed { node } => self.fail(
                format!("the server is sealed ({node}{})", "; every node that answered is sealed"),
                "an operator must unseal it: `bao operator unseal`",
            ),
            Failure::NotInitialised { node } => self.fail(
                format!("the server at {node} is not initialised"),
                "an operator must run `bao operator init` first",
            ),
            Failure::ForeignRedirect { node, location } => self.fail(
                format!("{node} redirected to {location}, which is not one of this store's addresses; byok did not follow (the token would go there)"),
                "add that node's address to the store (`address` in config.toml), or fix the server's api_addr",
            ),
            Failure::GaveUp {
                node,
                status,
                message,
                waited,
            } => {
                let (what, fix) = if status == 429 && message.contains("rate limit") {
                    ("rate limited", "wait and try again, or ask the admin to raise the quota")
                } else if status == 429 || status == 412 {
                    ("the standby has not caught up with the last write", "try again in a moment")
                } else if message.contains("not active") || message.contains("no active") || status == 307 {
                    ("no active node (a leader election is going on, or quorum is lost)", "try again in a moment; if it lasts, an operator should check `bao operator raft list-peers`")
                } else {
                    ("the server keeps failing", "check the server's logs")
                };
                self.fail(
                    format!(
                        "{what}: {node} answered HTTP {status} ({message}); gave up after {:.1} s of retries",
                        waited.as_secs_f64()
                    ),
                    fix,
                )
            }
        }
    }

    /// Reads an entry (a version, or the latest) from the server.
    fn read(&self, reference: &str, version: Option<u64>) -> Result<Entry> {
        let inner = self.inner()?;
        let segments = inner.bao.segments("data", reference);
        let v = version.map(|v| v.to_string());
        let query: Vec<(&str, &str)> = v.iter().map(|v| ("version", v.as_str())).collect();
        let reply = self.call(Method::Get, &segments, &query, None)?;
        self.entry_of(&reply, reference)
    }

    fn entry_of(&self, reply: &Reply, reference: &str) -> Result<Entry> {
        let path = self.inner()?.bao.path_text("data", reference);
        match reply.status {
            200 | 404 if reply.errors().is_empty() => {
                let parsed =
                    serde_json::from_slice::<Envelope<DataRead>>(&reply.body).map_err(|_| {
                        self.fail(
                            format!("the answer for {path} is not KV v2 JSON"),
                            "check `mount`: it must be a KV version 2 engine",
                        )
                    })?;
                let Some(read) = parsed.data else {
                    return Ok(Entry::Missing);
                };
                let meta = read.metadata.unwrap_or_default();
                match read.data {
                    Some(fields) if reply.status == 200 => {
                        Ok(Entry::Present(Arc::new(current(fields, meta))))
                    }
                    _ if meta.version > 0 => Ok(Entry::Removed {
                        version: meta.version,
                        deleted: crate::term::sanitize::line(&meta.deletion_time).into_owned(),
                        destroyed: meta.destroyed,
                    }),
                    _ => Ok(Entry::Missing),
                }
            }
            _ => {
                self.expect_ok(reply, "read the secret", &path, Method::Get)?;
                Ok(Entry::Missing)
            }
        }
    }

    /// The entry, from this process's cache or the server.
    fn entry(&self, reference: &str) -> Result<Entry> {
        if let Some(entry) = lock(&self.cache).get(reference) {
            return Ok(entry.clone());
        }
        let entry = self.read(reference, None)?;
        lock(&self.cache).insert(reference.to_owned(), entry.clone());
        Ok(entry)
    }

    fn meta_of(&self, reference: &str, current: &Current) -> Meta {
        let c = &current.custom;
        let text = |key: &str| {
            c.get(key)
                .map(|v| crate::term::sanitize::line(v).into_owned())
        };
        let created = text(kv::CREATED).or_else(|| Some(current.created_time.clone()));
        Meta {
            reference: reference.to_owned(),
            label: text(kv::LABEL)
                .or_else(|| text("label"))
                .unwrap_or_else(|| reference.to_owned()),
            provider: text(kv::PROVIDER).or_else(|| text("provider")),
            kind: text(kv::KIND),
            fields: current.fields.keys().cloned().collect(),
            rotated: text(kv::ROTATED).or_else(|| created.clone()),
            created,
            updated: Some(current.created_time.clone()),
            expires: text(kv::EXPIRES),
            reveal: text(kv::REVEAL),
            tags: text(kv::TAGS)
                .map(|t| {
                    t.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            // An earlier version may hold earlier values (read on demand).
            previous: if current.version > 1 {
                current.fields.keys().cloned().collect()
            } else {
                Vec::new()
            },
        }
    }

    /// A CAS write of `data`; returns the new version. A CAS failure after an attempt whose
    /// outcome was unknown counts as done only if the stored data equal what was sent.
    fn write(
        &self,
        reference: &str,
        data: &BTreeMap<String, SecretValue>,
        cas: u64,
        read_time: &str,
    ) -> Result<u64> {
        let inner = self.inner()?;
        let segments = inner.bao.segments("data", reference);
        let body = kv::write_body(data, cas);
        let reply = self.call(Method::Post, &segments, &[], Some(&body))?;
        let path = inner.bao.path_text("data", reference);
        if reply.status == 200 {
            let meta = serde_json::from_slice::<Envelope<VersionMeta>>(&reply.body)
                .ok()
                .and_then(|e| e.data)
                .map(|m| m.version)
                .unwrap_or(cas + 1);
            return Ok(meta);
        }
        let errors = reply.errors().join("; ");
        if reply.status == 400 && errors.contains("check-and-set") {
            let now = self.read(reference, None)?;
            if let Entry::Present(c) = &now
                && reply.uncertain
                && same(&c.fields, data)
            {
                // Our own earlier attempt got through.
                return Ok(c.version);
            }
            let (theirs, when) = match &now {
                Entry::Present(c) => (c.version.to_string(), c.created_time.clone()),
                Entry::Removed {
                    version, deleted, ..
                } => (format!("{version} (deleted)"), deleted.clone()),
                Entry::Missing => ("none".into(), "-".into()),
            };
            return Err(self.fail(
                format!(
                    "someone changed '{reference}' while byok was writing it: byok read version {cas} (written {}), the store now has version {theirs} (written {}); nothing was written",
                    if read_time.is_empty() { "-" } else { read_time },
                    crate::term::sanitize::line(&when).into_owned()
                ),
                format!("look at it with `byok secret show {reference}` and try again"),
            ));
        }
        self.expect_ok(&reply, "write the secret", &path, Method::Post)?;
        Ok(cas + 1)
    }

    /// Replaces the entry's `custom_metadata` (keys of other tools kept).
    fn write_custom(&self, reference: &str, custom: &BTreeMap<String, String>) -> Result<()> {
        let inner = self.inner()?;
        let segments = inner.bao.segments("metadata", reference);
        let body = kv::json_body(&serde_json::json!({ "custom_metadata": custom }));
        let reply = self.call(Method::Post, &segments, &[], Some(&body))?;
        self.expect_ok(
            &reply,
            "write the secret's metadata",
            &inner.bao.path_text("metadata", reference),
            Method::Post,
        )
    }

    fn key_meta(&self, reference: &str) -> Result<Option<KeyMeta>> {
        let inner = self.inner()?;
        let segments = inner.bao.segments("metadata", reference);
        let reply = self.call(Method::Get, &segments, &[], None)?;
        if reply.status == 404 && reply.errors().is_empty() {
            return Ok(None);
        }
        self.expect_ok(
            &reply,
            "read the secret's versions",
            &inner.bao.path_text("metadata", reference),
            Method::Get,
        )?;
        Ok(serde_json::from_slice::<Envelope<KeyMeta>>(&reply.body)
            .ok()
            .and_then(|e| e.data))
    }

    fn put_one(&self, put: &Put) -> Result<bool> {
        let reference = put.reference.as_str();
        // Always from the server: CAS needs the current version.
        lock(&self.cache).remove(reference);
        let entry = self.read(reference, None)?;
        let (cas, mut data, mut custom, read_time, exists) = match &entry {
            Entry::Present(c) => {
                if c.other > 0 {
                    return Err(self.fail(
                        format!("'{reference}' has data values that are not strings; byok leaves such entries alone"),
                        "change it with the `bao kv` CLI, or pick another name",
                    ));
                }
                (
                    c.version,
                    c.fields.clone(),
                    c.custom.clone(),
                    c.created_time.clone(),
                    true,
                )
            }
            Entry::Removed { version, .. } => (
                *version,
                BTreeMap::new(),
                BTreeMap::new(),
                String::new(),
                false,
            ),
            Entry::Missing => (0, BTreeMap::new(), BTreeMap::new(), String::new(), false),
        };
        match (put.mode, exists) {
            (PutMode::Create, true) => {
                return Err(Error::SecretExists {
                    name: reference.to_owned(),
                });
            }
            (PutMode::Update, false) => {
                return Err(Error::SecretNotFound {
                    name: reference.to_owned(),
                    suggestion: None,
                });
            }
            _ => {}
        }
        if !put.replace
            && let Some((field, _)) = put.values.iter().find(|(f, _)| data.contains_key(f))
        {
            return Err(Error::FieldExists {
                reference: reference.to_owned(),
                field: field.clone(),
            });
        }
        let mut rotated = false;
        for (field, value) in &put.values {
            if data.insert(field.clone(), value.clone()).is_some() {
                rotated = true;
            }
        }
        let mut set = |key: &str, value: Option<&str>| match value.filter(|v| !v.is_empty()) {
            Some(v) => {
                custom.insert(key.to_owned(), v.to_owned());
            }
            None => {
                custom.remove(key);
            }
        };
        if !exists {
            set(kv::CREATED, Some(&put.now));
            set(kv::ROTATED, Some(&put.now));
        }
        if let Some(label) = &put.label {
            set(kv::LABEL, Some(label));
        } else if !exists {
            set(kv::LABEL, Some(reference));
        }
        if let Some(provider) = &put.provider {
            set(kv::PROVIDER, Some(provider));
        }
        if rotated && put.exact.is_none() {
            set(kv::ROTATED, Some(&put.now));
        }
        let mut previous_data = None;
        if let Some(exact) = &put.exact {
            let m = &exact.meta;
            set(kv::LABEL, Some(&m.label));
            set(kv::PROVIDER, m.provider.as_deref());
            set(kv::KIND, m.kind.as_deref());
            set(kv::EXPIRES, m.expires.as_deref());
            set(kv::REVEAL, m.reveal.as_deref());
            let tags = m.tags.join(",");
            set(kv::TAGS, Some(&tags));
            set(kv::CREATED, m.created.as_deref().or(Some(&put.now)));
            set(kv::ROTATED, m.rotated.as_deref().or(Some(&put.now)));
            if !exact.previous.is_empty() {
                // The history first, as its own version, so rollback works on the copy.
                let mut prev = data.clone();
                for (field, value) in &exact.previous {
                    prev.insert(field.clone(), value.clone());
                }
                previous_data = Some(prev);
            }
        }
        // Check the metadata before anything is written.
        kv::check_custom(&custom).map_err(|m| {
            self.fail(
                format!("cannot keep '{reference}' there: {m}"),
                "use a shorter label or fewer tags",
            )
        })?;
        let mut cas = cas;
        if let Some(prev) = previous_data {
            cas = self.write(reference, &prev, cas, &read_time)?;
        }
        self.write(reference, &data, cas, &read_time)?;
        self.write_custom(reference, &custom)?;
        lock(&self.cache).remove(reference);
        Ok(!exists)
    }

    /// Removes a secret: soft-deletes every live version, or with `destroy` deletes the
    /// entry with all its versions and metadata for good. `false` when there was none.
    pub fn remove(&self, reference: &str, destroy: bool) -> Result<bool> {
        let inner = self.inner()?;
        lock(&self.cache).remove(reference);
        let Some(meta) = self.key_meta(reference)? else {
            return Ok(false);
        };
        let live: Vec<u64> = meta
            .versions
            .iter()
            .filter(|(_, v)| v.deletion_time.is_empty() && !v.destroyed)
            .filter_map(|(n, _)| n.parse().ok())
            .collect();
        if destroy {
            let segments = inner.bao.segments("metadata", reference);
            let reply = self.call(Method::Delete, &segments, &[], None)?;
            self.expect_ok(
                &reply,
                "destroy the secret",
                &inner.bao.path_text("metadata", reference),
                Method::Delete,
            )?;
            return Ok(true);
        }
        if live.is_empty() {
            return Ok(false);
        }
        let segments = inner.bao.segments("delete", reference);
        let body = kv::json_body(&serde_json::json!({ "versions": live }));
        let reply = self.call(Method::Post, &segments, &[], Some(&body))?;
        self.expect_ok(
            &reply,
            "delete the secret",
            &inner.bao.path_text("delete", reference),
            Method::Post,
        )?;
        Ok(true)
    }

    /// Reads every entry under the prefix, `LIST_CONCURRENCY` at a time, with progress on
    /// a terminal. Returns the entries and how many keys were skipped, by reason.
    fn list_entries(&self) -> Result<Listing> {
        let inner = self.inner()?;
        let segments = inner.bao.segments("metadata", "");
        let reply = self.call(Method::List, &segments, &[], None)?;
        if reply.status == 404 && reply.errors().is_empty() {
            return Ok((Vec::new(), [0; 3]));
        }
        self.expect_ok(
            &reply,
            "list the secrets",
            &inner.bao.path_text("metadata", ""),
            Method::List,
        )?;
        let keys = serde_json::from_slice::<Envelope<Keys>>(&reply.body)
            .ok()
            .and_then(|e| e.data)
            .map(|k| k.keys)
            .unwrap_or_default();
        let mut skipped = [0usize; 3]; // folders, invalid names, non-string data
        let mut names = Vec::new();
        for key in keys {
            if key.ends_with('/') {
                skipped[0] += 1;
            } else if !crate::names::is_valid_ref(&key) {
                skipped[1] += 1;
            } else {
                names.push(key);
            }
        }
        let bar = (self.settings.stderr_is_terminal && names.len() > 20).then(|| {
            let bar = indicatif::ProgressBar::new(names.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} reading {pos}/{len} secret(s) from OpenBao…",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        });
        let prefix_segments: Vec<String> = inner
            .bao
            .segments("data", "")
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let client = Arc::clone(&inner.client);
        let results: Vec<(String, std::result::Result<Reply, Failure>)> =
            inner.runtime.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                let mut out = Vec::with_capacity(names.len());
                let mut pending = names.into_iter();
                loop {
                    while set.len() < LIST_CONCURRENCY {
                        let Some(name) = pending.next() else { break };
                        let client = Arc::clone(&client);
                        let mut segs = prefix_segments.clone();
                        segs.push(name.clone());
                        set.spawn(async move {
                            let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
                            let r = client.call(Method::Get, &segs, &[], None).await;
                            (name, r)
                        });
                    }
                    match set.join_next().await {
                        Some(Ok(result)) => {
                            if let Some(bar) = &bar {
                                bar.inc(1);
                            }
                            out.push(result);
                        }
                        Some(Err(_)) => {}
                        None => break,
                    }
                }
                out
            });
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let mut entries = Vec::new();
        for (name, result) in results {
            let reply = result.map_err(|f| self.failure(f))?;
            if reply.status == 403 {
                // Let the one-request path classify it (token vs policy).
                let entry = self.read(&name, None)?;
                entries.push((name, entry));
                continue;
            }
            let entry = self.entry_of(&reply, &name)?;
            if let Entry::Present(c) = &entry
                && c.other > 0
            {
                skipped[2] += 1;
                continue;
            }
            entries.push((name, entry));
        }
        Ok((entries, skipped))
    }

    /// `byok store login`: keeps a token (or an AppRole secret id and the token it gets)
    /// in the keychain, after checking it with the server. Returns a description.
    pub fn login(&self, credential: SecretValue) -> Result<String> {
        let inner = self.inner()?;
        if !auth::is_header_safe(credential.expose()) {
            return Err(Error::Usage(
                "the value must be printable ASCII without spaces".into(),
            ));
        }
        let record = match &inner.bao.auth {
            AuthKind::AppRole { role_id } => self.approle_login(inner, role_id, &credential)?,
            AuthKind::Token => LoginRecord {
                token: credential,
                secret_id: None,
                expires: None,
                renewable: false,
                ttl: 0,
            },
        };
        inner.client.set_token(Some(record.token.clone()));
        let info = self.lookup_self(inner)?.ok_or_else(|| {
            self.fail(
                "the server refused the token (auth/token/lookup-self: permission denied)",
                "check that it is a valid token for this server (and namespace)",
            )
        })?;
        let mut record = record;
        if info.ttl > 0 {
            record.expires = Some(auth::now() + info.ttl as u64);
            record.ttl = if info.creation_ttl > 0 {
                info.creation_ttl as u64
            } else {
                info.ttl as u64
            };
        }
        record.renewable = info.renewable;
        self.save_login(&record)?;
        *lock(&inner.source) = Some(TokenSource::Login);
        let policies = info
            .policies
            .iter()
            .map(|p| crate::term::sanitize::line(p).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        let expiry = if info.ttl > 0 {
            format!(
                "expires in {}{}",
                humantime::format_duration(std::time::Duration::from_secs(info.ttl as u64)),
                if info.renewable {
                    ", renewed by byok as it is used"
                } else {
                    ""
                }
            )
        } else {
            "does not expire".to_owned()
        };
        Ok(format!("policies {policies}; {expiry}"))
    }

    /// Forgets the login kept for this store (for `store rm`).
    pub fn logout(&self) -> Result<bool> {
        Ok(crate::os::keychain::delete(SERVICE, &self.account()?)?)
    }
}

fn current(fields: kv::Fields, meta: VersionMeta) -> Current {
    let mut out = BTreeMap::new();
    let mut other = 0;
    for (name, value) in fields.0 {
        match value {
            FieldValue::Text(v) if crate::names::is_valid_field(&name) => {
                out.insert(name, v);
            }
            _ => other += 1,
        }
    }
    Current {
        version: meta.version,
        created_time: crate::term::sanitize::line(&meta.created_time).into_owned(),
        fields: out,
        other,
        custom: kv::string_map(meta.custom_metadata),
    }
}

fn same(a: &BTreeMap<String, SecretValue>, b: &BTreeMap<String, SecretValue>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.expose() == vb.expose())
}

fn gone(store: &str, message: String, fix: String) -> Error {
    Error::OpenBaoGone {
        store: store.to_owned(),
        message,
        fix,
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::List => "LIST",
        Method::Post => "POST",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

trait IfEmpty {
    fn if_empty(self, other: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: &str) -> String {
        if self.is_empty() {
            other.to_owned()
        } else {
            self
        }
    }
}

impl Store for OpenBaoStore {
    fn name(&self) -> &str {
        &self.name
    }

    fn describe(&self) -> String {
        let address = self.raw.get("address").cloned().unwrap_or_default();
        let mount = self.raw.get("mount").map_or("secret", String::as_str);
        let prefix = self.raw.get("prefix").map_or("byok/", String::as_str);
        format!("OpenBao KV v2 {mount}/{prefix} at {address}")
    }

    fn list(&self) -> Result<Vec<Meta>> {
        let (entries, skipped) = self.list_entries()?;
        let mut out = Vec::new();
        let mut cache = lock(&self.cache);
        for (name, entry) in entries {
            if let Entry::Present(c) = &entry {
                out.push(self.meta_of(&name, c));
            }
            cache.insert(name, entry);
        }
        drop(cache);
        let [folders, names, data] = skipped;
        if folders + names + data > 0 {
            let mut why = Vec::new();
            if folders > 0 {
                why.push(format!("{folders} nested folder(s)"));
            }
            if names > 0 {
                why.push(format!("{names} name(s) that are not ref names"));
            }
            if data > 0 {
                why.push(format!("{data} entr(ies) with non-string data"));
            }
            crate::term::output::warn(
                &self.settings,
                &format!(
                    "{} store: skipped {} under the prefix: {}",
                    self.name,
                    folders + names + data,
                    why.join(", ")
                ),
            );
        }
        out.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(out)
    }

    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        Ok(match self.entry(reference)? {
            Entry::Present(c) if c.other == 0 => Some(self.meta_of(reference, &c)),
            _ => None,
        })
    }

    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        Ok(match self.entry(reference)? {
            Entry::Present(c) => fields.iter().map(|f| c.fields.get(*f).cloned()).collect(),
            _ => vec![None; fields.len()],
        })
    }

    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        let Entry::Present(c) = self.entry(reference)? else {
            return Ok(vec![None; fields.len()]);
        };
        if c.version <= 1 {
            return Ok(vec![None; fields.len()]);
        }
        Ok(match self.read(reference, Some(c.version - 1))? {
            Entry::Present(p) => fields
                .iter()
                .map(|f| {
                    p.fields
                        .get(*f)
                        .filter(|v| {
                            c.fields
                                .get(*f)
                                .is_none_or(|cur| cur.expose() != v.expose())
                        })
                        .cloned()
                })
                .collect(),
            _ => vec![None; fields.len()],
        })
    }

    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        puts.iter().map(|p| self.put_one(p)).collect()
    }

    fn delete(&self, reference: &str) -> Result<bool> {
        self.remove(reference, false)
    }

    fn destroy(&self, reference: &str) -> Result<bool> {
        self.remove(reference, true)
    }

    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>> {
        lock(&self.cache).remove(reference);
        let Entry::Present(cur) = self.read(reference, None)? else {
            return Err(Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            });
        };
        let target_version = match version {
            Some(v) if v == 0 || v >= cur.version => {
                return Err(Error::Usage(format!(
                    "secret '{reference}' has no earlier version {v} in the {} store (its current version is {}; `byok secret show {reference}` lists them)",
                    self.name, cur.version
                )));
            }
            Some(v) => v,
            None if cur.version <= 1 => {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
            None => cur.version - 1,
        };
        let target = match self.read(reference, Some(target_version))? {
            Entry::Present(t) => t,
            Entry::Removed { destroyed, .. } if version.is_some() => {
                return Err(self.fail(
                    format!(
                        "version {target_version} of '{reference}' was {}",
                        if destroyed { "destroyed" } else { "deleted" }
                    ),
                    if destroyed {
                        "a destroyed version cannot come back; pick another with --version"
                            .to_owned()
                    } else {
                        format!("`bao kv undelete -versions={target_version}` restores it first")
                    },
                ));
            }
            _ if version.is_some() => {
                return Err(Error::Usage(format!(
                    "version {target_version} of '{reference}' is no longer kept by the server"
                )));
            }
            _ => {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
        };
        let differs = |f: &str| match (cur.fields.get(f), target.fields.get(f)) {
            (Some(a), Some(b)) => a.expose() != b.expose(),
            _ => false,
        };
        let chosen: Vec<String> = if fields.is_empty() {
            let chosen: Vec<String> = cur.fields.keys().filter(|f| differs(f)).cloned().collect();
            if chosen.is_empty() {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
            chosen
        } else {
            for field in fields {
                if !cur.fields.contains_key(field) {
                    return Err(Error::FieldNotFound {
                        reference: reference.to_owned(),
                        field: field.clone(),
                        fields: cur.fields.keys().cloned().collect(),
                    });
                }
                if !target.fields.contains_key(field) {
                    return Err(Error::NothingToRollBack {
                        reference: reference.to_owned(),
                        field: Some(field.clone()),
                    });
                }
            }
            fields.to_vec()
        };
        let mut data = cur.fields.clone();
        for field in &chosen {
            data.insert(field.clone(), target.fields[field].clone());
        }
        self.write(reference, &data, cur.version, &cur.created_time)?;
        let mut custom = cur.custom.clone();
        custom.insert(kv::ROTATED.to_owned(), now.to_owned());
        self.write_custom(reference, &custom)?;
        lock(&self.cache).remove(reference);
        Ok(chosen)
    }

    fn versions(&self, reference: &str) -> Result<Vec<Version>> {
        let Some(meta) = self.key_meta(reference)? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Version> = meta
            .versions
            .iter()
            .filter_map(|(n, v)| {
                Some(Version {
                    number: n.parse().ok()?,
                    created: crate::term::sanitize::line(&v.created_time).into_owned(),
                    deleted: (!v.deletion_time.is_empty())
                        .then(|| crate::term::sanitize::line(&v.deletion_time).into_owned()),
                    destroyed: v.destroyed,
                    current: n.parse::<u64>().ok() == Some(meta.current_version),
                })
            })
            .collect();
        out.sort_by_key(|v| v.number);
        Ok(out)
    }

    fn health(&self) -> Health {
        let inner = match self.inner() {
            Ok(inner) => inner,
            Err(e) => {
                return Health {
                    ok: false,
                    detail: e.to_string(),
                };
            }
        };
        let nodes = inner.runtime.block_on(inner.client.health());
        let mut parts = Vec::new();
        let mut up = 0;
        for (node, result) in &nodes {
            let state = match result {
                Ok((200, v)) => {
                    up += 1;
                    format!("active, {v}")
                }
                Ok((429, v)) => {
                    up += 1;
                    format!("standby, {v}")
                }
                Ok((503, _)) => "sealed".to_owned(),
                Ok((501, _)) => "not initialised".to_owned(),
                Ok((code, _)) => format!("HTTP {code}"),
                Err(e) => format!("unreachable ({e})"),
            };
            parts.push(format!("{node}: {state}"));
        }
        if up == 0 {
            return Health {
                ok: false,
                detail: parts.join("; "),
            };
        }
        let token = self
            .ensure_token(inner)
            .and_then(|()| self.lookup_self(inner));
        match token {
            Ok(Some(info)) => {
                let source = lock(&inner.source)
                    .clone()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                match self.list_entries_probe(inner) {
                    Ok(()) => Health {
                        ok: true,
                        detail: format!(
                            "{}; {source} is valid (policies {})",
                            parts.join("; "),
                            info.policies
                                .iter()
                                .map(|p| crate::term::sanitize::line(p).into_owned())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                    Err(e) => Health {
                        ok: false,
                        detail: format!("{}; {e}", parts.join("; ")),
                    },
                }
            }
            Ok(None) => Health {
                ok: false,
                detail: format!(
                    "{}; the token was refused (expired, revoked or not valid here): run `byok store login {}`",
                    parts.join("; "),
                    self.name
                ),
            },
            Err(e) => Health {
                ok: false,
                detail: format!("{}; {e}", parts.join("; ")),
            },
        }
    }

    fn refresh(&self) {
        lock(&self.cache).clear();
    }

    fn not_here(&self, reference: &str, field: &str) -> Error {
        match lock(&self.cache).get(reference) {
            Some(Entry::Removed {
                version,
                deleted,
                destroyed,
            }) => gone(
                &self.name,
                if *destroyed {
                    format!("'{reference}' was destroyed (version {version}); its values are gone")
                } else {
                    format!("'{reference}' was deleted (version {version}, at {deleted})")
                },
                if *destroyed {
                    "add it again with `byok secret add`".to_owned()
                } else {
                    format!("`bao kv undelete -versions={version}` brings it back")
                },
            ),
            Some(Entry::Present(c)) if !c.fields.contains_key(field) => Error::FieldNotFound {
                reference: reference.to_owned(),
                field: field.to_owned(),
                fields: c.fields.keys().cloned().collect(),
            },
            _ => Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            },
        }
    }

    fn login_kind(&self) -> Option<&'static str> {
        Some(match self.raw.get("auth").map(String::as_str) {
            Some("approle") => "AppRole secret id",
            _ => "OpenBao token",
        })
    }

    fn login(&self, credential: SecretValue) -> Result<String> {
        OpenBaoStore::login(self, credential)
    }

    fn logout(&self) -> Result<bool> {
        OpenBaoStore::logout(self)
    }
}

impl OpenBaoStore {
    /// One LIST of the prefix (a 404 means empty), for `store test`.
    fn list_entries_probe(&self, inner: &Inner) -> Result<()> {
        let segments = inner.bao.segments("metadata", "");
        let reply = self.call(Method::List, &segments, &[], None)?;
        if reply.status == 404 && reply.errors().is_empty() {
            return Ok(());
        }
        self.expect_ok(
            &reply,
            "list the secrets",
            &inner.bao.path_text("metadata", ""),
            Method::List,
        )
    }
}
