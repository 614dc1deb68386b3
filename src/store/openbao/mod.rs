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
//! and redirects; [`auth`] and [`session`] the token; [`failure`] what a failed request means;
//! [`entry`] the codec between a KV entry and a byok secret; [`store`] the [`Store`] impl.
//! The rules of a put are the vault's ([`crate::store::record::plan`]).
//!
//! This uses reqwest through [`crate::net`] rather than a client crate: the API is small,
//! and the crates (vaultrs 0.8) take one address, follow redirects with reqwest's default
//! policy (which keeps `X-Vault-Token` on a cross-host hop) and do not retry.

pub mod auth;
pub mod client;
pub mod config;
mod entry;
mod failure;
pub mod kv;
mod session;
mod store;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use auth::{LoginRecord, TokenSource};
use client::{Body, Client, Failure, Method, Reply};
use config::{AuthKind, BaoSettings};
use entry::Entry;
use kv::{Envelope, KeyMeta, Keys, VersionMeta};

use super::Put;
use super::keychain::{HomeId, SERVICE};
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::settings::Settings;

/// How many entries `list` reads at once.
const LIST_CONCURRENCY: usize = 16;

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

    /// An error of this store. Its message may quote the server, which may echo the token
    /// or secret id it was sent: those are hidden here, where every message passes.
    fn fail(&self, message: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::OpenBao {
            store: self.name.clone(),
            message: self.hide_credentials(&message.into()),
            fix: fix.into(),
        }
    }

    fn hide_credentials(&self, text: &str) -> String {
        let mut known: Vec<SecretValue> = Vec::new();
        if let Some(Ok(inner)) = self.inner.get() {
            known.extend(inner.client.token());
            if let Some(record) = lock(&inner.login).as_ref() {
                known.push(record.token.clone());
                known.extend(record.secret_id.clone());
            }
        }
        let known: Vec<&str> = known.iter().map(SecretValue::expose).collect();
        failure::hide_credentials(text, &known)
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
        let client = Arc::new(
            Client::new(
                http,
                bao.nodes.clone(),
                bao.namespace.clone(),
                bao.retry_for,
            )
            .with_index_file(
                self.settings
                    .paths
                    .home()
                    .join(format!("openbao-{}.index", self.name)),
            ),
        );
        Ok(Inner {
            bao,
            runtime,
            client,
            source: Mutex::new(None),
            login: Mutex::new(None),
        })
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
                    "ask the OpenBao admin to grant `{}` on \"{path}\" (docs/teams.md has policy examples)",
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
        let (message, fix) =
            failure::status(&self.name, reply.status, &errors, action, path, method);
        Err(self.fail(message, fix))
    }

    fn failure(&self, failure: Failure) -> Error {
        let (message, fix) = failure::transport(failure);
        self.fail(message, fix)
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
        match entry::decode(reply) {
            Some(Ok(entry)) => Ok(entry),
            Some(Err(entry::NotKv)) => Err(self.fail(
                format!("the answer for {path} is not KV v2 JSON"),
                "check `mount`: it must be a KV version 2 engine",
            )),
            None => {
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
                && entry::same(&c.fields, data)
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
        let plan = super::record::plan(put, exists, |field| data.contains_key(field))?;
        for (field, value) in &put.values {
            data.insert(field.clone(), value.clone());
        }
        entry::apply_meta(&mut custom, plan.meta);
        let mut previous_data = None;
        if let Some(exact) = &put.exact
            && !exact.previous.is_empty()
        {
            // The history first, as its own version, so rollback works on the copy.
            let mut prev = data.clone();
            for (field, value) in &exact.previous {
                prev.insert(field.clone(), value.clone());
            }
            previous_data = Some(prev);
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
}

fn gone(store: &str, message: String, fix: String) -> Error {
    Error::OpenBaoGone {
        store: store.to_owned(),
        message,
        fix,
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
