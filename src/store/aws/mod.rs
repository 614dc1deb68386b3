//! AWS Secrets Manager as a [`Store`]: a team's keys where teams on AWS already keep secrets.
//!
//! One secret per ref, named `<prefix><ref>`; its `SecretString` is a JSON object of the
//! fields (`{"api_key":"…"}`, the shape `aws secretsmanager create-secret --secret-string`
//! writes); label, provider, kind, times and the reveal policy are tags (`byok:label`, …).
//! A rotation is `PutSecretValue` (AWS moves `AWSCURRENT` and leaves `AWSPREVIOUS` on the old
//! version); `rollback` moves `AWSCURRENT` back with `UpdateSecretVersionStage`; `rm`
//! schedules deletion with the store's recovery window, `rm --destroy` forces it.
//!
//! Nothing here runs until a command touches the store: the HTTP client, the runtime and the
//! credentials are set up on first use. [`chain`] finds the credentials (environment, shared
//! files, [`sso`], [`imds`] when asked), [`sigv4`] signs with them, [`failure`] classifies
//! errors, [`config`] owns the declaration.

mod chain;
pub mod config;
mod failure;
mod imds;
pub mod sigv4;
mod sso;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use config::AwsSettings;
use failure::Class;
use sigv4::Credentials;

use super::{Health, Meta, Put, Store, Version};
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::settings::Settings;

const TAG: &str = "byok:";
const RETRIES: u32 = 4;
/// Credentials that expire within this are found again before the next request.
const REFRESH_BEFORE: Duration = Duration::from_secs(300);
/// The most of an answer byok reads.
const BODY_CAP: usize = 8 << 20;
/// How many `BatchGetSecretValue` calls `list` has in flight at once.
const LIST_CONCURRENCY: usize = 8;

/// An AWS Secrets Manager store.
pub struct AwsStore {
    name: String,
    raw: BTreeMap<String, String>,
    settings: Arc<Settings>,
    /// The client and credentials, or the message and fix of why there are none.
    inner: OnceLock<std::result::Result<Inner, (String, String)>>,
    cache: Mutex<BTreeMap<String, Arc<Current>>>,
}

struct Inner {
    aws: AwsSettings,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    proxies: crate::net::ProxySettings,
    /// Replaced when they are about to expire ([`AwsStore::credentials`]).
    creds: Mutex<Arc<Credentials>>,
}

/// The credential chain's HTTP (SSO portal, metadata service) on the store's runtime.
struct ChainHttp<'a> {
    runtime: &'a tokio::runtime::Runtime,
    client: &'a reqwest::Client,
    /// For the metadata service: 1 s to connect, 2 s in all (built when first needed).
    short: OnceLock<std::result::Result<reqwest::Client, String>>,
    proxies: &'a crate::net::ProxySettings,
}

impl chain::Http for ChainHttp<'_> {
    fn send(&self, r: chain::Request<'_>) -> std::result::Result<chain::Answer, String> {
        let client = if r.short {
            self.short
                .get_or_init(|| {
                    crate::net::client_builder(Duration::from_secs(2), self.proxies)
                        .connect_timeout(Duration::from_secs(1))
                        .build()
                        .map_err(|e| crate::net::TransportError::from_reqwest(&e).to_string())
                })
                .as_ref()
                .map_err(Clone::clone)?
        } else {
            self.client
        };
        let method = match r.method {
            "PUT" => reqwest::Method::PUT,
            _ => reqwest::Method::GET,
        };
        let mut req = client.request(method, r.url);
        for (k, v) in r.headers {
            req = req.header(k, v);
        }
        let a = self
            .runtime
            .block_on(crate::net::send(req, r.cap))
            .map_err(|e| e.to_string())?;
        Ok(chain::Answer {
            status: a.status,
            error_type: a
                .headers
                .iter()
                .find(|(k, _)| k == "x-amzn-errortype")
                .map(|(_, v)| v.clone()),
            body: a.body,
        })
    }
}

/// The current version of one secret.
struct Current {
    version_id: String,
    fields: BTreeMap<String, SecretValue>,
    tags: BTreeMap<String, String>,
    created: Option<String>,
    has_previous: bool,
}

/// One secret's version id and fields, from a `BatchGetSecretValue`.
type Batched = (String, BTreeMap<String, SecretValue>);

/// A failed call.
struct Failed {
    class: Class,
    code: String,
    message: String,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn epoch_to_rfc3339(v: &Value) -> Option<String> {
    let secs = v.as_f64()?;
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0));
    Some(humantime::format_rfc3339_seconds(t).to_string())
}

/// The fields of a `SecretString` in byok's shape (a JSON object of strings under field
/// names); `None` for anything else.
fn parse_fields(text: &str) -> Option<BTreeMap<String, SecretValue>> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        match v {
            Value::String(s) if crate::names::is_valid_field(&k) => {
                out.insert(k, SecretValue::new(s));
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

fn tags_of(v: &Value) -> BTreeMap<String, String> {
    v.get("Tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| {
                    let k = t.get("Key")?.as_str()?.strip_prefix(TAG)?;
                    let v = t.get("Value")?.as_str()?;
                    Some((k.to_owned(), crate::term::sanitize::line(v).into_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has_previous(v: &Value) -> bool {
    ["VersionIdsToStages", "SecretVersionsToStages"]
        .iter()
        .any(|k| {
            v.get(*k).and_then(Value::as_object).is_some_and(|m| {
                m.values().any(|s| {
                    s.as_array()
                        .is_some_and(|a| a.iter().any(|x| x == "AWSPREVIOUS"))
                })
            })
        })
}

fn request_token() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl AwsStore {
    /// A store of this declaration (opens nothing).
    pub fn new(name: &str, raw: BTreeMap<String, String>, settings: Arc<Settings>) -> Self {
        AwsStore {
            name: name.to_owned(),
            raw,
            settings,
            inner: OnceLock::new(),
            cache: Mutex::new(BTreeMap::new()),
        }
    }

    fn err(&self, message: String, fix: String) -> Error {
        Error::Aws {
            store: self.name.clone(),
            message,
            fix,
        }
    }

    fn inner(&self) -> Result<&Inner> {
        let inner = self.inner.get_or_init(|| {
            let aws = config::resolve(&self.raw).map_err(|m| {
                (
                    m,
                    "fix the store's declaration in config.toml (`byok store show NAME`)"
                        .to_owned(),
                )
            })?;
            let fail = |m: String| (m, String::new());
            let runtime = crate::net::runtime().map_err(|e| fail(e.to_string()))?;
            let proxies = crate::net::ProxySettings::from_env(&self.settings.parent_env);
            let client = crate::net::client(Duration::from_secs(30), &proxies)
                .map_err(|e| fail(format!("HTTP client: {e:?}")))?;
            let creds = self.find_credentials(&aws, &runtime, &client, &proxies)?;
            Ok(Inner {
                aws,
                runtime,
                client,
                proxies,
                creds: Mutex::new(Arc::new(creds)),
            })
        });
        inner
            .as_ref()
            .map_err(|(m, fix)| self.err(m.clone(), fix.clone()))
    }

    /// Runs the credential chain. The role credentials of SSO and IMDS stay in this
    /// process's memory only.
    fn find_credentials(
        &self,
        aws: &AwsSettings,
        runtime: &tokio::runtime::Runtime,
        client: &reqwest::Client,
        proxies: &crate::net::ProxySettings,
    ) -> std::result::Result<Credentials, (String, String)> {
        let net = ChainHttp {
            runtime,
            client,
            short: OnceLock::new(),
            proxies,
        };
        chain::resolve(&self.settings.parent_env, aws, &net, SystemTime::now()).map_err(|e| match e {
            chain::ChainError::NotFound(tried) => (
                format!("no AWS credentials found; tried: {}", tried.join("; ")),
                "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or `profile` in the store naming a profile with static keys or SSO (`aws sso login --profile P`), or imds = \"true\" on EC2".to_owned(),
            ),
            chain::ChainError::Failed { message, fix } => (message, fix),
        })
    }

    /// The credentials to sign with: those found first, found again once they expire within
    /// [`REFRESH_BEFORE`] (SSO and IMDS role credentials last hours; a proxy runs longer).
    fn credentials(&self, inner: &Inner) -> Result<Arc<Credentials>> {
        let current = Arc::clone(&lock(&inner.creds));
        let due = current
            .expires
            .is_some_and(|t| t <= SystemTime::now() + REFRESH_BEFORE);
        if !due {
            return Ok(current);
        }
        let fresh = Arc::new(
            self.find_credentials(&inner.aws, &inner.runtime, &inner.client, &inner.proxies)
                .map_err(|(m, fix)| self.err(m, fix))?,
        );
        *lock(&inner.creds) = Arc::clone(&fresh);
        Ok(fresh)
    }

    /// One call, retried with backoff on throttling, 5xx and transport failures.
    fn call(&self, action: &str, body: &Value) -> Result<std::result::Result<Value, Failed>> {
        let inner = self.inner()?;
        let body = serde_json::to_vec(body).expect("JSON");
        let host = match (inner.aws.endpoint.host_str(), inner.aws.endpoint.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => return Err(self.err("the endpoint has no host".into(), String::new())),
        };
        let target = format!("secretsmanager.{action}");
        let mut attempt = 0;
        loop {
            let creds = self.credentials(inner)?;
            let headers = sigv4::sign(
                &creds,
                &inner.aws.region,
                &host,
                &target,
                &body,
                &sigv4::amz_date(SystemTime::now()),
            );
            let mut req = inner
                .client
                .post(inner.aws.endpoint.clone())
                .header("content-type", "application/x-amz-json-1.1")
                .body(body.clone());
            for (k, v) in headers {
                req = req.header(k, v);
            }
            let outcome = inner.runtime.block_on(async {
                let mut resp = req.send().await?;
                let status = resp.status().as_u16();
                // Read within a cap: the largest answer byok asks for is a batch of 20
                // secrets of at most 64 KiB each.
                let mut bytes = Vec::new();
                while let Some(chunk) = resp.chunk().await? {
                    if bytes.len() + chunk.len() > BODY_CAP {
                        return Ok((status, None));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok::<_, reqwest::Error>((status, Some(bytes)))
            });
            let outcome = match outcome {
                Ok((_, None)) => {
                    return Err(self.err(
                        format!("{action}: the answer is larger than {} MiB", BODY_CAP >> 20),
                        "check that `endpoint` is a Secrets Manager endpoint".into(),
                    ));
                }
                Ok((status, Some(bytes))) => Ok((status, bytes)),
                Err(e) => Err(e),
            };
            let retry = match outcome {
                Ok((status, bytes)) if (200..300).contains(&status) => {
                    let v = if bytes.is_empty() {
                        Value::Null
                    } else {
                        serde_json::from_slice(&bytes).map_err(|_| {
                            self.err(
                                format!("{action}: the answer is not JSON"),
                                "check that `endpoint` is a Secrets Manager endpoint".into(),
                            )
                        })?
                    };
                    return Ok(Ok(v));
                }
                Ok((status, bytes)) => {
                    let (code, message) = failure::code(&bytes)
                        .unwrap_or_else(|| (format!("HTTP {status}"), String::new()));
                    let class = failure::classify(&code, &message);
                    let class = if class == Class::Other && status >= 500 {
                        Class::Retry
                    } else {
                        class
                    };
                    if class != Class::Retry || attempt >= RETRIES {
                        return Ok(Err(Failed {
                            class,
                            code,
                            message,
                        }));
                    }
                    true
                }
                Err(e) => {
                    if attempt >= RETRIES {
                        let t = crate::net::TransportError::from_reqwest(&e);
                        return Err(self.err(
                            format!("{action}: {} unreachable: {t:?}", inner.aws.endpoint),
                            "check `endpoint`/`region` and the network".into(),
                        ));
                    }
                    true
                }
            };
            if retry {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(100 << attempt));
            }
        }
    }

    /// A call whose failure is an error for the user.
    fn must(&self, action: &str, body: &Value) -> Result<Value> {
        match self.call(action, body)? {
            Ok(v) => Ok(v),
            Err(f) => Err(self.failed(action, f)),
        }
    }

    fn failed(&self, action: &str, f: Failed) -> Error {
        let source = self
            .inner
            .get()
            .and_then(|i| i.as_ref().ok())
            .map_or_else(String::new, |i| lock(&i.creds).source.clone());
        let (message, fix) = failure::describe(f.class, &f.code, &f.message, action, &source);
        if f.class == Class::ScheduledForDeletion {
            Error::AwsGone {
                store: self.name.clone(),
                message,
                fix,
            }
        } else {
            self.err(message, fix)
        }
    }

    fn secret_id(&self, reference: &str) -> Result<String> {
        Ok(self.inner()?.aws.secret_name(reference))
    }

    /// The current version, `None` when there is no such secret (or it is not in byok's
    /// shape); a secret scheduled for deletion is an error saying so.
    fn current(&self, reference: &str) -> Result<Option<Arc<Current>>> {
        if let Some(c) = lock(&self.cache).get(reference) {
            return Ok(Some(Arc::clone(c)));
        }
        let id = self.secret_id(reference)?;
        // The stage named, not left to the default: moto answers a bare read with the version
        // it last wrote, even after `UpdateSecretVersionStage` moved AWSCURRENT (AWS does not).
        let value = match self.call(
            "GetSecretValue",
            &json!({ "SecretId": id, "VersionStage": "AWSCURRENT" }),
        )? {
            Ok(v) => v,
            Err(f) if f.class == Class::NotFound => return Ok(None),
            Err(f) => return Err(self.failed("GetSecretValue", f)),
        };
        let Some(fields) = value
            .get("SecretString")
            .and_then(Value::as_str)
            .and_then(parse_fields)
        else {
            return Ok(None);
        };
        let described = self.must("DescribeSecret", &json!({ "SecretId": id }))?;
        let current = Arc::new(Current {
            version_id: value
                .get("VersionId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            fields,
            tags: tags_of(&described),
            created: described.get("CreatedDate").and_then(epoch_to_rfc3339),
            has_previous: has_previous(&described),
        });
        lock(&self.cache).insert(reference.to_owned(), Arc::clone(&current));
        Ok(Some(current))
    }

    fn meta(
        &self,
        reference: &str,
        fields: Vec<String>,
        tags: &BTreeMap<String, String>,
        created: Option<String>,
        has_previous: bool,
    ) -> Meta {
        let t = |k: &str| tags.get(k).cloned();
        Meta {
            reference: reference.to_owned(),
            label: t("label").unwrap_or_else(|| reference.to_owned()),
            provider: t("provider"),
            kind: t("kind"),
            previous: if has_previous {
                fields.clone()
            } else {
                Vec::new()
            },
            fields,
            created: t("created").or(created),
            updated: t("updated"),
            rotated: t("rotated"),
            expires: t("expires"),
            reveal: t("reveal"),
            tags: Vec::new(),
        }
    }

    fn json_of(fields: &BTreeMap<String, SecretValue>) -> String {
        let map: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.expose().to_owned())))
            .collect();
        Value::Object(map).to_string()
    }

    fn put_one(&self, put: &Put) -> Result<bool> {
        let reference = put.reference.as_str();
        lock(&self.cache).remove(reference);
        // A name scheduled for deletion (`rm`) is free again for byok: a new secret under it
        // starts without the old one's history, as in every store.
        let (current, scheduled) = match self.current(reference) {
            Ok(c) => (c, false),
            Err(Error::AwsGone { .. }) => (None, true),
            Err(e) => return Err(e),
        };
        let plan = super::record::plan(put, current.is_some(), |f| {
            current.as_ref().is_some_and(|c| c.fields.contains_key(f))
        })?;
        let id = self.secret_id(reference)?;
        let m = &plan.meta;
        let mut set: Vec<(String, String)> = Vec::new();
        let mut unset: Vec<String> = Vec::new();
        let mut change = |k: &str, v: Option<Option<String>>| match v {
            Some(Some(v)) => set.push((format!("{TAG}{k}"), v)),
            Some(None) => unset.push(format!("{TAG}{k}")),
            None => {}
        };
        change("label", m.label.clone().map(Some));
        change("provider", m.provider.clone());
        change("kind", m.kind.clone());
        change("expires", m.expires.clone());
        change("reveal", m.reveal.clone());
        change("created", m.created.clone().map(Some));
        change("rotated", m.rotated.clone().map(Some));
        change("updated", Some(Some(put.now.clone())));
        let tags: Vec<Value> = set
            .iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect();
        let mut fields = current
            .as_ref()
            .map(|c| c.fields.clone())
            .unwrap_or_default();
        for (f, v) in &put.values {
            fields.insert(f.clone(), v.clone());
        }
        match &current {
            None => {
                // An exact copy with previous values: write them first, so AWSPREVIOUS holds them.
                let previous = put
                    .exact
                    .as_ref()
                    .filter(|e| !e.previous.is_empty())
                    .map(|e| {
                        let mut p = fields.clone();
                        for (f, v) in &e.previous {
                            p.insert(f.clone(), v.clone());
                        }
                        p
                    });
                let first = previous.as_ref().unwrap_or(&fields);
                if scheduled {
                    crate::term::output::warn(
                        &self.settings,
                        &format!(
                            "{} store: '{reference}' was scheduled for deletion; its old versions are deleted for good now",
                            self.name
                        ),
                    );
                    self.must(
                        "DeleteSecret",
                        &json!({ "SecretId": id, "ForceDeleteWithoutRecovery": true }),
                    )?;
                }
                let create = json!({
                    "Name": id,
                    "SecretString": Self::json_of(first),
                    "ClientRequestToken": request_token(),
                    "Tags": tags,
                });
                // A forced deletion is purged asynchronously on AWS: the name may stay taken
                // for a moment.
                let mut tries = 0;
                loop {
                    match self.call("CreateSecret", &create)? {
                        Ok(_) => break,
                        Err(f)
                            if scheduled
                                && tries < 20
                                && matches!(
                                    f.class,
                                    Class::Exists | Class::ScheduledForDeletion
                                ) =>
                        {
                            tries += 1;
                            std::thread::sleep(Duration::from_millis(250));
                        }
                        Err(f) => return Err(self.failed("CreateSecret", f)),
                    }
                }
                if previous.is_some() {
                    self.must(
                        "PutSecretValue",
                        &json!({ "SecretId": id, "SecretString": Self::json_of(&fields), "ClientRequestToken": request_token() }),
                    )?;
                }
            }
            Some(_) => {
                if !put.values.is_empty() {
                    self.must(
                        "PutSecretValue",
                        &json!({ "SecretId": id, "SecretString": Self::json_of(&fields), "ClientRequestToken": request_token() }),
                    )?;
                }
                if !tags.is_empty() {
                    self.must("TagResource", &json!({ "SecretId": id, "Tags": tags }))?;
                }
                if !unset.is_empty() {
                    self.must(
                        "UntagResource",
                        &json!({ "SecretId": id, "TagKeys": unset }),
                    )?;
                }
            }
        }
        lock(&self.cache).remove(reference);
        Ok(plan.created)
    }

    /// Whether the secret exists (scheduled for deletion counts when `scheduled`).
    fn exists(&self, reference: &str, scheduled: bool) -> Result<bool> {
        let id = self.secret_id(reference)?;
        match self.call("DescribeSecret", &json!({ "SecretId": id }))? {
            Ok(v) => Ok(scheduled || v.get("DeletedDate").is_none_or(Value::is_null)),
            Err(f) if f.class == Class::NotFound => Ok(false),
            Err(f) => Err(self.failed("DescribeSecret", f)),
        }
    }

    /// The versions with their stages, oldest first.
    fn version_list(&self, reference: &str) -> Result<Vec<(String, f64, Vec<String>)>> {
        let id = self.secret_id(reference)?;
        let v = match self.call("ListSecretVersionIds", &json!({ "SecretId": id }))? {
            Ok(v) => v,
            Err(f) if f.class == Class::NotFound => {
                return Err(Error::SecretNotFound {
                    name: reference.to_owned(),
                    suggestion: None,
                });
            }
            Err(f) => return Err(self.failed("ListSecretVersionIds", f)),
        };
        let mut out: Vec<(String, f64, Vec<String>)> = v
            .get("Versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| {
                Some((
                    x.get("VersionId")?.as_str()?.to_owned(),
                    x.get("CreatedDate").and_then(Value::as_f64).unwrap_or(0.0),
                    x.get("VersionStages")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|s| s.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                ))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ok(out)
    }

    fn read_stage(
        &self,
        reference: &str,
        stage: &str,
    ) -> Result<Option<BTreeMap<String, SecretValue>>> {
        let id = self.secret_id(reference)?;
        match self.call(
            "GetSecretValue",
            &json!({ "SecretId": id, "VersionStage": stage }),
        )? {
            Ok(v) => Ok(v
                .get("SecretString")
                .and_then(Value::as_str)
                .and_then(parse_fields)),
            Err(f) if f.class == Class::NotFound => Ok(None),
            Err(f) => Err(self.failed("GetSecretValue", f)),
        }
    }
}

impl Store for AwsStore {
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        Err(
            "any process of yours can use the AWS credentials (environment or ~/.aws) to read it"
                .into(),
        )
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn describe(&self) -> String {
        let region = self.raw.get("region").cloned().unwrap_or_default();
        let prefix = self.raw.get("prefix").map_or("byok/", String::as_str);
        match self.raw.get("endpoint") {
            Some(e) => format!("AWS Secrets Manager {prefix} in {region} at {e}"),
            None => format!("AWS Secrets Manager {prefix} in {region}"),
        }
    }

    fn list(&self) -> Result<Vec<Meta>> {
        let prefix = self.inner()?.aws.prefix.clone();
        let mut listed: Vec<(String, Value)> = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut body = json!({ "MaxResults": 100 });
            if !prefix.is_empty() {
                body["Filters"] = json!([{ "Key": "name", "Values": [prefix] }]);
            }
            if let Some(t) = &token {
                body["NextToken"] = json!(t);
            }
            let page = self.must("ListSecrets", &body)?;
            for s in page
                .get("SecretList")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(name) = s.get("Name").and_then(Value::as_str)
                    && let Some(reference) = name.strip_prefix(prefix.as_str())
                {
                    listed.push((reference.to_owned(), s.clone()));
                }
            }
            token = page
                .get("NextToken")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        // Values in batches of 20 (the API's limit), several batches at once: one listing of
        // 1,000 secrets is 50 of them.
        let chunks: Vec<Vec<String>> = listed
            .chunks(20)
            .map(|c| c.iter().map(|(r, _)| format!("{prefix}{r}")).collect())
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let found: Mutex<BTreeMap<String, Batched>> = Mutex::new(BTreeMap::new());
        let failed: Mutex<Option<Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..LIST_CONCURRENCY.min(chunks.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(ids) = chunks.get(i) else { break };
                        if lock(&failed).is_some() {
                            break;
                        }
                        match self.must("BatchGetSecretValue", &json!({ "SecretIdList": ids })) {
                            Ok(got) => {
                                let mut found = lock(&found);
                                for v in got
                                    .get("SecretValues")
                                    .and_then(Value::as_array)
                                    .into_iter()
                                    .flatten()
                                {
                                    if let (Some(name), Some(text)) = (
                                        v.get("Name").and_then(Value::as_str),
                                        v.get("SecretString").and_then(Value::as_str),
                                    ) && let Some(fields) = parse_fields(text)
                                    {
                                        let version = v
                                            .get("VersionId")
                                            .and_then(Value::as_str)
                                            .unwrap_or_default()
                                            .to_owned();
                                        found.insert(
                                            name.strip_prefix(prefix.as_str())
                                                .unwrap_or(name)
                                                .to_owned(),
                                            (version, fields),
                                        );
                                    }
                                }
                            }
                            Err(e) => {
                                lock(&failed).get_or_insert(e);
                            }
                        }
                    }
                });
            }
        });
        if let Some(e) = failed
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return Err(e);
        }
        let values = found
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out = Vec::new();
        let mut skipped = 0;
        let mut cache = lock(&self.cache);
        for (reference, s) in listed {
            let Some((version_id, fields)) = values.get(&reference) else {
                skipped += 1;
                continue;
            };
            if !crate::names::is_valid_ref(&reference) {
                skipped += 1;
                continue;
            }
            // Kept for the reads that follow in this process (the masked values of a table).
            let current = Arc::new(Current {
                version_id: version_id.clone(),
                fields: fields.clone(),
                tags: tags_of(&s),
                created: s.get("CreatedDate").and_then(epoch_to_rfc3339),
                has_previous: has_previous(&s),
            });
            out.push(self.meta(
                &reference,
                current.fields.keys().cloned().collect(),
                &current.tags,
                current.created.clone(),
                current.has_previous,
            ));
            cache.insert(reference, current);
        }
        drop(cache);
        if skipped > 0 {
            crate::term::output::warn(
                &self.settings,
                &format!(
                    "{} store: skipped {skipped} secret(s) under the prefix that are not in byok's shape (a ref name holding a JSON object of string fields)",
                    self.name
                ),
            );
        }
        out.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(out)
    }

    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        let c = match self.current(reference) {
            Ok(c) => c,
            Err(Error::AwsGone { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(c.map(|c| {
            self.meta(
                reference,
                c.fields.keys().cloned().collect(),
                &c.tags,
                c.created.clone(),
                c.has_previous,
            )
        }))
    }

    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        Ok(match self.current(reference)? {
            Some(c) => fields.iter().map(|f| c.fields.get(*f).cloned()).collect(),
            None => vec![None; fields.len()],
        })
    }

    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        let Some(c) = self.current(reference)? else {
            return Ok(vec![None; fields.len()]);
        };
        let Some(p) = self.read_stage(reference, "AWSPREVIOUS")? else {
            return Ok(vec![None; fields.len()]);
        };
        Ok(fields
            .iter()
            .map(|f| {
                p.get(*f)
                    .filter(|v| {
                        c.fields
                            .get(*f)
                            .is_none_or(|cur| cur.expose() != v.expose())
                    })
                    .cloned()
            })
            .collect())
    }

    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        puts.iter().map(|p| self.put_one(p)).collect()
    }

    fn delete(&self, reference: &str) -> Result<bool> {
        lock(&self.cache).remove(reference);
        if !self.exists(reference, false)? {
            return Ok(false);
        }
        let window = self.inner()?.aws.recovery_window;
        let id = self.secret_id(reference)?;
        self.must(
            "DeleteSecret",
            &json!({ "SecretId": id, "RecoveryWindowInDays": window }),
        )?;
        Ok(true)
    }

    fn destroy(&self, reference: &str) -> Result<bool> {
        lock(&self.cache).remove(reference);
        if !self.exists(reference, true)? {
            return Ok(false);
        }
        let id = self.secret_id(reference)?;
        self.must(
            "DeleteSecret",
            &json!({ "SecretId": id, "ForceDeleteWithoutRecovery": true }),
        )?;
        Ok(true)
    }

    fn versions(&self, reference: &str) -> Result<Vec<Version>> {
        Ok(self
            .version_list(reference)?
            .into_iter()
            .enumerate()
            .map(|(i, (_, created, stages))| Version {
                number: i as u64 + 1,
                created: epoch_to_rfc3339(&json!(created)).unwrap_or_default(),
                deleted: None,
                destroyed: false,
                current: stages.iter().any(|s| s == "AWSCURRENT"),
            })
            .collect())
    }

    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>> {
        lock(&self.cache).remove(reference);
        let Some(cur) = self.current(reference)? else {
            return Err(Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            });
        };
        let versions = self.version_list(reference)?;
        let target = match version {
            Some(n) => match versions.get((n as usize).wrapping_sub(1)) {
                Some((id, _, _)) if *id != cur.version_id => id.clone(),
                _ => {
                    return Err(Error::Usage(format!(
                        "secret '{reference}' has no other version {n} in the {} store (`byok secret show {reference}` lists them)",
                        self.name
                    )));
                }
            },
            None => match versions
                .iter()
                .find(|(_, _, s)| s.iter().any(|x| x == "AWSPREVIOUS"))
            {
                Some((id, _, _)) => id.clone(),
                None => {
                    return Err(Error::NothingToRollBack {
                        reference: reference.to_owned(),
                        field: None,
                    });
                }
            },
        };
        let id = self.secret_id(reference)?;
        let old = match self.call(
            "GetSecretValue",
            &json!({ "SecretId": id, "VersionId": target }),
        )? {
            Ok(v) => v
                .get("SecretString")
                .and_then(Value::as_str)
                .and_then(parse_fields)
                .unwrap_or_default(),
            Err(f) => return Err(self.failed("GetSecretValue", f)),
        };
        let changed: Vec<String> = old
            .iter()
            .filter(|(f, v)| cur.fields.get(*f).is_none_or(|c| c.expose() != v.expose()))
            .map(|(f, _)| f.clone())
            .collect();
        if let Some(f) = fields.iter().find(|f| !changed.contains(f)) {
            return Err(Error::NothingToRollBack {
                reference: reference.to_owned(),
                field: Some(f.clone()),
            });
        }
        if !fields.is_empty() && changed.iter().any(|c| !fields.contains(c)) {
            return Err(Error::Usage(format!(
                "the {} store rolls back whole versions: fields {} change together; give them all, or none",
                self.name,
                changed.join(", ")
            )));
        }
        if changed.is_empty() {
            return Err(Error::NothingToRollBack {
                reference: reference.to_owned(),
                field: None,
            });
        }
        self.must(
            "UpdateSecretVersionStage",
            &json!({ "SecretId": id, "VersionStage": "AWSCURRENT", "MoveToVersionId": target, "RemoveFromVersionId": cur.version_id }),
        )?;
        self.must(
            "TagResource",
            &json!({ "SecretId": id, "Tags": [{ "Key": "byok:rotated", "Value": now }, { "Key": "byok:updated", "Value": now }] }),
        )?;
        lock(&self.cache).remove(reference);
        Ok(changed)
    }

    fn health(&self) -> Health {
        match self
            .inner()
            .and_then(|_| self.must("ListSecrets", &json!({ "MaxResults": 1 })))
        {
            Ok(_) => Health {
                ok: true,
                detail: format!("answers ({})", self.describe()),
            },
            Err(e) => Health {
                ok: false,
                detail: e.to_string(),
            },
        }
    }

    fn refresh(&self) {
        lock(&self.cache).clear();
    }
}
