//! One client for the three admin APIs. Every answer is hostile input: bodies are read
//! within a cap, fields are checked where they are used, and a provider's error message is
//! cut, stripped of control characters and of anything shaped like a key before it reaches
//! an error.
//!
//! Shapes follow the providers' references (see docs/admin-keys.md for what byok assumes
//! beyond them): OpenAI `/organization/projects/{p}/…` with Bearer auth and `after` paging;
//! OpenRouter `/keys` with Bearer auth, `offset` paging (100 a page) and key ids that are the
//! SHA-256 of the value; Anthropic `/v1/organizations/api_keys` with `x-api-key` and
//! `after_id` paging, and no way to create a key.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::{Provider, parse_time, rfc3339, unix_now};
use crate::config::AdminDecl;
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::settings::Settings;

/// The largest admin answer read (a page of 1,000 Anthropic keys is well under it).
const MAX_BODY: usize = 8 << 20;
/// Pages read at most when listing (a runaway `has_more` must not loop for ever).
const MAX_PAGES: usize = 200;
/// Attempts for a call answered 429 or 5xx (a create is retried only on 429).
const ATTEMPTS: u32 = 3;

/// A key the provider made for byok; `value` is shown once, by this answer.
#[derive(Debug)]
pub struct Minted {
    /// OpenAI `key_…`, OpenRouter the key's hash.
    pub key_id: String,
    /// OpenAI: the service account that owns the key (deleted with it).
    pub account: Option<String>,
    pub value: SecretValue,
    pub expires_at: Option<u64>,
}

/// A key as a listing shows it (never its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteKey {
    /// The key id; for OpenAI service accounts listed by the sweep, empty.
    pub id: String,
    /// OpenAI: the owning service account.
    pub account: Option<String>,
    pub name: String,
    pub active: bool,
    pub expires_at: Option<u64>,
    /// The provider's redacted form (`sk-proj-…abcd`), when it gives one.
    pub hint: Option<String>,
}

/// An admin connection with its key, ready to call.
pub struct AdminClient<'a> {
    pub decl: &'a AdminDecl,
    pub provider: Provider,
    key: SecretValue,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    base: String,
}

impl<'a> AdminClient<'a> {
    pub fn new(settings: &Settings, decl: &'a AdminDecl, key: SecretValue) -> Result<Self> {
        let provider = Provider::from_id(&decl.provider)
            .ok_or_else(|| Error::Usage(format!("admin '{}': unknown provider", decl.name)))?;
        let base = decl
            .base_url
            .clone()
            .unwrap_or_else(|| provider.default_base_url().to_owned());
        if let Some(problem) = super::base_url_problem(&base) {
            return Err(Error::Usage(format!(
                "admin '{}': the base URL {problem}",
                decl.name
            )));
        }
        let proxies = crate::net::ProxySettings::from_env(&settings.parent_env);
        let timeout = Duration::from_secs(30);
        let loopback_http = url::Url::parse(&base)
            .is_ok_and(|u| u.scheme() == "http" && crate::net::is_loopback(&u));
        // An admin key to a plain-http loopback port goes only to a port this user (or
        // root) holds, as connector keys do.
        let client = if loopback_http {
            crate::net::owner_checked_client(
                timeout,
                &proxies,
                crate::net::owner::OwnerPolicy {
                    own_uid: true,
                    services: Vec::new(),
                },
            )
        } else {
            crate::net::client(timeout, &proxies)
        }
        .map_err(|e| Error::Http(e.to_string()))?;
        let runtime = crate::net::runtime().map_err(|e| Error::Http(e.to_string()))?;
        Ok(AdminClient {
            decl,
            provider,
            key,
            client,
            runtime,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    fn project(&self) -> Result<&str> {
        self.decl.project.as_deref().ok_or_else(|| {
            Error::Usage(format!(
                "admin '{}': OpenAI keys are made in a project; set it with \
                 `byok admin add {} --provider openai --secret {} --project proj_…` \
                 (or `project = \"proj_…\"` in its [[admin]] table)",
                self.decl.name, self.decl.name, self.decl.secret
            ))
        })
    }

    fn fail(&self, action: &str, status: Option<u16>, message: String) -> Error {
        Error::AdminApi {
            admin: self.decl.name.clone(),
            provider: self.provider.display(),
            action: action.to_owned(),
            status,
            message,
        }
    }

    /// One call: auth headers, bounded answer, retries on 429 (and 5xx unless `create`),
    /// the provider's error message (cleaned) on failure. `Ok(None)`: 404.
    fn call(
        &self,
        action: &str,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> Result<Option<Value>> {
        let url = format!("{}{path}", self.base);
        let create = method == Method::POST && body.is_some() && action.starts_with("create");
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.client.request(method.clone(), &url).query(query);
            request = match self.provider {
                Provider::OpenAi | Provider::OpenRouter => request.bearer_auth(self.key.expose()),
                Provider::Anthropic => request
                    .header("x-api-key", self.key.expose())
                    .header("anthropic-version", "2023-06-01"),
            };
            if let Some(body) = &body {
                request = request.json(body);
            }
            let sent = self.runtime.block_on(crate::net::send(request, MAX_BODY));
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    let detail = crate::provider::redact::redact_line(&e.to_string(), None);
                    return Err(self.fail(action, e.status, detail));
                }
            };
            let status = response.status;
            if (200..300).contains(&status) {
                if response.body.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Some(Value::Null));
                }
                return serde_json::from_slice(&response.body)
                    .map(Some)
                    .map_err(|e| {
                        self.fail(
                            action,
                            Some(status),
                            format!(
                                "the answer is not JSON (line {}, column {})",
                                e.line(),
                                e.column()
                            ),
                        )
                    });
            }
            if status == 404 {
                return Ok(None);
            }
            let retry = status == 429 || (status >= 500 && !create);
            if retry && attempt < ATTEMPTS {
                let wait = response
                    .headers
                    .iter()
                    .find(|(k, _)| k == "retry-after")
                    .and_then(|(_, v)| v.trim().parse::<u64>().ok())
                    .unwrap_or(1 << (attempt - 1))
                    .min(10);
                std::thread::sleep(Duration::from_secs(wait));
                continue;
            }
            return Err(self.fail(action, Some(status), error_message(&response.body)));
        }
    }

    /// Like [`call`](Self::call), with 404 an error naming what was not found.
    fn call_found(
        &self,
        action: &str,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> Result<Value> {
        self.call(action, method, path, query, body)?
            .ok_or_else(|| self.fail(action, Some(404), "not found".into()))
    }

    /// A read-only call that proves the key works: one page of keys.
    pub fn check(&self) -> Result<usize> {
        let page = match self.provider {
            Provider::OpenAi => {
                let project = self.project()?;
                self.call_found(
                    "list keys",
                    Method::GET,
                    &format!("/organization/projects/{}/api_keys", seg(project)),
                    &[("limit", "1".into())],
                    None,
                )?
            }
            Provider::OpenRouter => {
                self.call_found("list keys", Method::GET, "/keys", &self.workspace(), None)?
            }
            Provider::Anthropic => self.call_found(
                "list keys",
                Method::GET,
                "/v1/organizations/api_keys",
                &[("limit", "1".into())],
                None,
            )?,
        };
        Ok(page["data"].as_array().map_or(0, Vec::len))
    }

    fn workspace(&self) -> Vec<(&'static str, String)> {
        self.decl
            .workspace
            .iter()
            .map(|w| ("workspace_id", w.clone()))
            .collect()
    }

    /// Creates a key named `name`, expiring after `ttl` at the provider (`None`: never),
    /// with a dollar `limit` where the provider has one (OpenRouter).
    pub fn mint(&self, name: &str, ttl: Option<Duration>, limit: Option<f64>) -> Result<Minted> {
        let seconds = ttl.map(|t| t.as_secs().clamp(60, 31_536_000));
        match self.provider {
            Provider::OpenAi => {
                let project = self.project()?;
                let answer = self.call_found(
                    "create a service account",
                    Method::POST,
                    &format!("/organization/projects/{}/service_accounts", seg(project)),
                    &[],
                    Some(match seconds {
                        Some(seconds) => json!({"name": name, "expires_in_seconds": seconds}),
                        None => json!({"name": name}),
                    }),
                )?;
                let account = text(&answer["id"]);
                let key = &answer["api_key"];
                let (Some(key_id), Some(value)) = (text(&key["id"]), text(&key["value"])) else {
                    // A service account without a key would be a live object nobody uses.
                    if let Some(account) = &account {
                        let _ = self.revoke(&RemoteKey {
                            id: String::new(),
                            account: Some(account.clone()),
                            name: name.to_owned(),
                            active: true,
                            expires_at: None,
                            hint: None,
                        });
                    }
                    return Err(self.fail(
                        "create a service account",
                        None,
                        "the answer holds no api_key (id and value)".into(),
                    ));
                };
                Ok(Minted {
                    key_id,
                    account,
                    value: SecretValue::new(value),
                    expires_at: key["expires_at"]
                        .as_u64()
                        .or(seconds.map(|s| unix_now() + s)),
                })
            }
            Provider::OpenRouter => {
                let expires = seconds.map(|s| unix_now() + s);
                let mut body = json!({"name": name});
                if let Some(expires) = expires {
                    body["expires_at"] = json!(rfc3339(expires));
                }
                if let Some(limit) = limit {
                    body["limit"] = json!(limit);
                }
                if let Some(workspace) = &self.decl.workspace {
                    body["workspace_id"] = json!(workspace);
                }
                let mut answer =
                    self.call_found("create a key", Method::POST, "/keys", &[], Some(body))?;
                let hash = text(&answer["data"]["hash"]);
                let value = answer.get_mut("key").map(Value::take);
                let (Some(key_id), Some(Value::String(value))) = (hash, value) else {
                    return Err(self.fail(
                        "create a key",
                        None,
                        "the answer holds no key and hash".into(),
                    ));
                };
                Ok(Minted {
                    key_id,
                    account: None,
                    value: SecretValue::new(value),
                    expires_at: answer["data"]["expires_at"]
                        .as_str()
                        .and_then(parse_time)
                        .or(expires),
                })
            }
            Provider::Anthropic => Err(Error::Usage(format!(
                "admin '{}': Anthropic's API cannot create keys (they are made in the Console); \
                 use the stored key, through the proxy for a budget: `byok exec --via-proxy …`",
                self.decl.name
            ))),
        }
    }

    /// Every key (OpenAI: every service account) the connection sees, disabled ones included.
    pub fn list(&self) -> Result<Vec<RemoteKey>> {
        let mut out = Vec::new();
        match self.provider {
            Provider::OpenAi => {
                let project = self.project()?;
                let path = format!("/organization/projects/{}/service_accounts", seg(project));
                let mut after: Option<String> = None;
                for _ in 0..MAX_PAGES {
                    let mut query = vec![("limit", "100".to_owned())];
                    if let Some(after) = &after {
                        query.push(("after", after.clone()));
                    }
                    let page =
                        self.call_found("list service accounts", Method::GET, &path, &query, None)?;
                    for account in page["data"].as_array().into_iter().flatten() {
                        if let (Some(id), Some(name)) =
                            (text(&account["id"]), text(&account["name"]))
                        {
                            out.push(RemoteKey {
                                id: String::new(),
                                account: Some(id),
                                name,
                                active: true,
                                expires_at: None,
                                hint: None,
                            });
                        }
                    }
                    after = text(&page["last_id"]);
                    if page["has_more"] != Value::Bool(true) || after.is_none() {
                        break;
                    }
                }
            }
            Provider::OpenRouter => {
                let mut offset = 0usize;
                for _ in 0..MAX_PAGES {
                    let mut query = self.workspace();
                    query.push(("include_disabled", "true".into()));
                    query.push(("offset", offset.to_string()));
                    let page = self.call_found("list keys", Method::GET, "/keys", &query, None)?;
                    let data = page["data"].as_array().cloned().unwrap_or_default();
                    for key in &data {
                        if let Some(found) = openrouter_key(key) {
                            out.push(found);
                        }
                    }
                    if data.len() < 100 {
                        break;
                    }
                    offset += data.len();
                }
            }
            Provider::Anthropic => {
                let mut after: Option<String> = None;
                for _ in 0..MAX_PAGES {
                    let mut query = vec![("limit", "1000".to_owned())];
                    if let Some(after) = &after {
                        query.push(("after_id", after.clone()));
                    }
                    let page = self.call_found(
                        "list keys",
                        Method::GET,
                        "/v1/organizations/api_keys",
                        &query,
                        None,
                    )?;
                    for key in page["data"].as_array().into_iter().flatten() {
                        if let (Some(id), Some(status)) = (text(&key["id"]), key["status"].as_str())
                        {
                            out.push(RemoteKey {
                                id,
                                account: None,
                                name: text(&key["name"]).unwrap_or_default(),
                                active: status == "active",
                                expires_at: key["expires_at"].as_str().and_then(parse_time),
                                hint: text(&key["partial_key_hint"]),
                            });
                        }
                    }
                    after = text(&page["last_id"]);
                    if page["has_more"] != Value::Bool(true) || after.is_none() {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The provider's record of the key whose value is `value`. OpenRouter: by its hash;
    /// OpenAI and Anthropic: by the redacted hint (prefix and last 4), which must match
    /// exactly one key (`Err` naming the count otherwise).
    pub fn find(&self, value: &SecretValue) -> Result<Option<RemoteKey>> {
        match self.provider {
            Provider::OpenRouter => {
                use sha2::Digest;
                let hash = hex(&sha2::Sha256::digest(value.expose().as_bytes()));
                let found = self.call(
                    "read a key",
                    Method::GET,
                    &format!("/keys/{hash}"),
                    &[],
                    None,
                )?;
                Ok(found.and_then(|answer| openrouter_key(&answer["data"])))
            }
            Provider::OpenAi => {
                let project = self.project()?;
                let path = format!("/organization/projects/{}/api_keys", seg(project));
                let mut matches = Vec::new();
                let mut after: Option<String> = None;
                for _ in 0..MAX_PAGES {
                    let mut query = vec![("limit", "100".to_owned())];
                    if let Some(after) = &after {
                        query.push(("after", after.clone()));
                    }
                    let page = self.call_found("list keys", Method::GET, &path, &query, None)?;
                    for key in page["data"].as_array().into_iter().flatten() {
                        let hint = text(&key["redacted_value"]).unwrap_or_default();
                        if hint_matches(&hint, value.expose())
                            && let Some(id) = text(&key["id"])
                        {
                            // Revoking deletes a service account only when byok made it (one
                            // per key); a person's service account may hold other keys.
                            let owner = &key["owner"]["service_account"];
                            let account = match key["owner"]["type"].as_str() {
                                Some("service_account")
                                    if text(&owner["name"])
                                        .is_some_and(|n| n.starts_with("byok-")) =>
                                {
                                    text(&owner["id"])
                                }
                                _ => None,
                            };
                            matches.push(RemoteKey {
                                id,
                                account,
                                name: text(&key["name"]).unwrap_or_default(),
                                active: true,
                                expires_at: key["expires_at"].as_u64(),
                                hint: Some(hint),
                            });
                        }
                    }
                    after = text(&page["last_id"]);
                    if page["has_more"] != Value::Bool(true) || after.is_none() {
                        break;
                    }
                }
                self.one(matches)
            }
            Provider::Anthropic => {
                let matches: Vec<_> = self
                    .list()?
                    .into_iter()
                    .filter(|k| {
                        k.hint
                            .as_deref()
                            .is_some_and(|h| hint_matches(h, value.expose()))
                    })
                    .collect();
                self.one(matches)
            }
        }
    }

    fn one(&self, mut matches: Vec<RemoteKey>) -> Result<Option<RemoteKey>> {
        match matches.len() {
            0 | 1 => Ok(matches.pop()),
            n => Err(self.fail(
                "find the stored key",
                None,
                format!(
                    "{n} keys share its prefix and last 4 characters, so byok cannot tell which \
                     one it is; retire the old key by hand in the provider's console"
                ),
            )),
        }
    }

    /// Switches a key off, reversibly (OpenRouter, Anthropic).
    pub fn disable(&self, key: &RemoteKey) -> Result<()> {
        self.set_active(key, false)
    }

    /// Switches a disabled key on again.
    pub fn enable(&self, key: &RemoteKey) -> Result<()> {
        self.set_active(key, true)
    }

    fn set_active(&self, key: &RemoteKey, active: bool) -> Result<()> {
        let action = if active {
            "enable the key"
        } else {
            "disable the key"
        };
        match self.provider {
            Provider::OpenAi => Err(self.fail(
                action,
                None,
                "OpenAI keys cannot be paused, only deleted".into(),
            )),
            Provider::OpenRouter => self
                .call_found(
                    action,
                    Method::PATCH,
                    &format!("/keys/{}", seg(&key.id)),
                    &[],
                    Some(json!({"disabled": !active})),
                )
                .map(drop),
            Provider::Anthropic => self
                .call_found(
                    action,
                    Method::POST,
                    &format!("/v1/organizations/api_keys/{}", seg(&key.id)),
                    &[],
                    Some(json!({"status": if active { "active" } else { "inactive" }})),
                )
                .map(drop),
        }
    }

    /// Ends a key for good: OpenAI deletes its service account (or the key), OpenRouter
    /// deletes it, Anthropic archives it. A key already gone counts as revoked.
    pub fn revoke(&self, key: &RemoteKey) -> Result<()> {
        match self.provider {
            Provider::OpenAi => {
                let project = self.project()?;
                let path = match &key.account {
                    Some(account) => format!(
                        "/organization/projects/{}/service_accounts/{}",
                        seg(project),
                        seg(account)
                    ),
                    None => format!(
                        "/organization/projects/{}/api_keys/{}",
                        seg(project),
                        seg(&key.id)
                    ),
                };
                self.call("delete the key", Method::DELETE, &path, &[], None)
                    .map(drop)
            }
            Provider::OpenRouter => self
                .call(
                    "delete the key",
                    Method::DELETE,
                    &format!("/keys/{}", seg(&key.id)),
                    &[],
                    None,
                )
                .map(drop),
            Provider::Anthropic => {
                let answer = self.call(
                    "archive the key",
                    Method::POST,
                    &format!("/v1/organizations/api_keys/{}", seg(&key.id)),
                    &[],
                    Some(json!({"status": "archived"})),
                );
                answer.map(drop)
            }
        }
    }
}

fn openrouter_key(key: &Value) -> Option<RemoteKey> {
    Some(RemoteKey {
        id: text(&key["hash"])?,
        account: None,
        name: text(&key["name"]).unwrap_or_default(),
        active: key["disabled"] != Value::Bool(true),
        expires_at: key["expires_at"].as_str().and_then(parse_time),
        hint: text(&key["label"]),
    })
}

/// A string field, if it is a short printable string (ids and names from a server).
fn text(value: &Value) -> Option<String> {
    let s = value.as_str()?;
    (s.len() <= 512 && !s.chars().any(char::is_control)).then(|| s.to_owned())
}

/// A path segment from a server or config value, percent-encoded.
fn seg(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a provider's redacted form (`sk-proj-ab...wxyz`, `sk-ant-api03-R2D...igAA`, with
/// `*` or `…` as the gap) fits `value`: its head is a prefix and its tail a suffix.
pub fn hint_matches(hint: &str, value: &str) -> bool {
    let gap = ["...", "…", "***", "*"]
        .iter()
        .find_map(|g| hint.find(g).map(|at| (at, g.len())));
    let Some((at, len)) = gap else {
        return false;
    };
    let head = hint[..at].trim_end_matches('*');
    let tail = hint[at + len..].trim_start_matches(['*', '.']);
    tail.len() >= 2
        && value.len() > head.len() + tail.len()
        && value.starts_with(head)
        && value.ends_with(tail)
}

/// The message of a provider's error answer (all three put it at `error.message`), cleaned:
/// keys masked, control characters escaped, at most 200 characters.
fn error_message(body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| v["error"]["message"].as_str().or(v["message"].as_str()))
        .unwrap_or("(no error message)");
    let clean = crate::provider::redact::redact_line(message, None);
    if clean.chars().count() > 200 {
        format!("{}…", clean.chars().take(200).collect::<String>())
    } else {
        clean
    }
}

/// A key's usage on one UTC day, as its provider reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayUsage {
    /// Input tokens, cache reads and writes included.
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Requests, where the report counts them (not Anthropic's usage report).
    pub requests: Option<u64>,
    /// USD, where the same report gives it (OpenRouter's activity).
    pub cost_usd: Option<f64>,
}

/// Per key id, per UTC day (the Unix time it starts), what a provider reported. A day the
/// report covers is present, at zero when the key was not used.
pub type UsageByDay = BTreeMap<String, BTreeMap<u64, DayUsage>>;

/// Seconds in a UTC day.
const DAY: u64 = 86_400;
/// Buckets asked for per page of a daily usage or cost report (the maximum for 1d buckets).
const DAILY_BUCKETS: &str = "31";
/// The completed UTC days OpenRouter's activity covers.
const OPENROUTER_ACTIVITY_DAYS: u64 = 30;

// `usage reconcile`: usage and cost per key and day. Appended to the client above; the
// shapes are in docs/admin-keys.md ("Spend reconciliation").
impl AdminClient<'_> {
    /// The provider's usage of `key_ids` per UTC day since `from` (a day's start): OpenAI's
    /// completions usage grouped by `api_key_id`, Anthropic's messages usage report grouped
    /// by `api_key_id`, OpenRouter's activity per key (`api_key_hash`, one call per key,
    /// completed days of the last 30 only).
    pub fn usage_by_day(&self, key_ids: &[String], from: u64) -> Result<UsageByDay> {
        let mut out = UsageByDay::new();
        if key_ids.is_empty() {
            return Ok(out);
        }
        match self.provider {
            Provider::OpenAi => {
                let mut query = vec![
                    ("start_time", from.to_string()),
                    ("bucket_width", "1d".to_owned()),
                    ("limit", DAILY_BUCKETS.to_owned()),
                    ("group_by[]", "api_key_id".to_owned()),
                ];
                query.extend(key_ids.iter().map(|id| ("api_key_ids[]", id.clone())));
                self.daily_pages(
                    "read usage",
                    "/organization/usage/completions",
                    &query,
                    |bucket| {
                        let day = bucket["start_time"].as_u64()?;
                        Some((
                            day,
                            bucket["results"].as_array().cloned().unwrap_or_default(),
                        ))
                    },
                    |result| {
                        Some((
                            text(&result["api_key_id"])?,
                            DayUsage {
                                input_tokens: count(&result["input_tokens"]),
                                output_tokens: count(&result["output_tokens"]),
                                requests: Some(count(&result["num_model_requests"])),
                                cost_usd: None,
                            },
                        ))
                    },
                    key_ids,
                    &mut out,
                )?;
                // The report counts requests: a day without results had none.
                for usage in out.values_mut().flat_map(BTreeMap::values_mut) {
                    usage.requests.get_or_insert(0);
                }
            }
            Provider::Anthropic => {
                let mut query = vec![
                    ("starting_at", rfc3339(from)),
                    ("bucket_width", "1d".to_owned()),
                    ("limit", DAILY_BUCKETS.to_owned()),
                    ("group_by[]", "api_key_id".to_owned()),
                ];
                query.extend(key_ids.iter().map(|id| ("api_key_ids[]", id.clone())));
                self.daily_pages(
                    "read usage",
                    "/v1/organizations/usage_report/messages",
                    &query,
                    |bucket| {
                        let day = bucket["starting_at"].as_str().and_then(parse_time)?;
                        Some((
                            day,
                            bucket["results"].as_array().cloned().unwrap_or_default(),
                        ))
                    },
                    |result| {
                        let created = &result["cache_creation"];
                        Some((
                            text(&result["api_key_id"])?,
                            DayUsage {
                                input_tokens: count(&result["uncached_input_tokens"])
                                    .saturating_add(count(&result["cache_read_input_tokens"]))
                                    .saturating_add(count(&created["ephemeral_5m_input_tokens"]))
                                    .saturating_add(count(&created["ephemeral_1h_input_tokens"])),
                                output_tokens: count(&result["output_tokens"]),
                                requests: None,
                                cost_usd: None,
                            },
                        ))
                    },
                    key_ids,
                    &mut out,
                )?;
            }
            Provider::OpenRouter => {
                let today = unix_now() / DAY * DAY;
                let first = from.max(today.saturating_sub(OPENROUTER_ACTIVITY_DAYS * DAY));
                for id in key_ids {
                    let days = out.entry(id.clone()).or_default();
                    // Every completed day the activity covers is reported, at zero when no
                    // row names it.
                    for day in (first..today).step_by(DAY as usize) {
                        days.insert(
                            day,
                            DayUsage {
                                requests: Some(0),
                                cost_usd: Some(0.0),
                                ..DayUsage::default()
                            },
                        );
                    }
                    let mut query = self.workspace();
                    query.push(("api_key_hash", id.clone()));
                    let answer =
                        self.call_found("read activity", Method::GET, "/activity", &query, None)?;
                    for row in answer["data"].as_array().into_iter().flatten() {
                        // `2026-12-04` (or `2026-12-04 00:00:00`): the row's UTC day.
                        let Some(day) = row["date"]
                            .as_str()
                            .and_then(|d| d.get(..10))
                            .and_then(|d| parse_time(&format!("{d}T00:00:00Z")))
                        else {
                            continue;
                        };
                        let Some(usage) = days.get_mut(&day) else {
                            continue;
                        };
                        usage.input_tokens = usage
                            .input_tokens
                            .saturating_add(count(&row["prompt_tokens"]));
                        usage.output_tokens = usage
                            .output_tokens
                            .saturating_add(count(&row["completion_tokens"]));
                        usage.requests = Some(
                            usage
                                .requests
                                .unwrap_or(0)
                                .saturating_add(count(&row["requests"])),
                        );
                        // OpenRouter credits plus the estimated spend on your own provider
                        // keys (BYOK): what the requests cost, wherever it is billed.
                        usage.cost_usd = Some(
                            usage.cost_usd.unwrap_or(0.0)
                                + dollars(&row["usage"])
                                + dollars(&row["byok_usage_inference"]),
                        );
                    }
                }
            }
        }
        Ok(out)
    }

    /// OpenAI: the cost of `key_ids` per UTC day since `from`, from the Costs API grouped by
    /// `api_key_id`. `None` for the others: Anthropic's cost report has no per-key grouping,
    /// and OpenRouter's activity carries its cost already.
    pub fn costs_by_day(
        &self,
        key_ids: &[String],
        from: u64,
    ) -> Result<Option<BTreeMap<String, BTreeMap<u64, f64>>>> {
        if self.provider != Provider::OpenAi || key_ids.is_empty() {
            return Ok(None);
        }
        let mut query = vec![
            ("start_time", from.to_string()),
            ("bucket_width", "1d".to_owned()),
            ("limit", DAILY_BUCKETS.to_owned()),
            ("group_by[]", "api_key_id".to_owned()),
        ];
        query.extend(key_ids.iter().map(|id| ("api_key_ids[]", id.clone())));
        let mut usage = UsageByDay::new();
        self.daily_pages(
            "read costs",
            "/organization/costs",
            &query,
            |bucket| {
                let day = bucket["start_time"].as_u64()?;
                Some((
                    day,
                    bucket["results"].as_array().cloned().unwrap_or_default(),
                ))
            },
            |result| {
                Some((
                    text(&result["api_key_id"])?,
                    DayUsage {
                        cost_usd: Some(dollars(&result["amount"]["value"])),
                        ..DayUsage::default()
                    },
                ))
            },
            key_ids,
            &mut usage,
        )?;
        Ok(Some(
            usage
                .into_iter()
                .map(|(id, days)| {
                    let days = days
                        .into_iter()
                        .map(|(day, u)| (day, u.cost_usd.unwrap_or(0.0)))
                        .collect();
                    (id, days)
                })
                .collect(),
        ))
    }

    /// Reads a daily report page by page (`page` = the last answer's `next_page`): each
    /// bucket's day and results, each result's key id and figures, summed into `out` for the
    /// keys in `key_ids` (every bucket a page holds counts as reported for each of them).
    #[allow(clippy::too_many_arguments)]
    fn daily_pages(
        &self,
        action: &str,
        path: &str,
        query: &[(&str, String)],
        bucket: impl Fn(&Value) -> Option<(u64, Vec<Value>)>,
        result: impl Fn(&Value) -> Option<(String, DayUsage)>,
        key_ids: &[String],
        out: &mut UsageByDay,
    ) -> Result<()> {
        let mut page: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = query.to_vec();
            if let Some(page) = &page {
                query.push(("page", page.clone()));
            }
            let answer = self.call_found(action, Method::GET, path, &query, None)?;
            for (day, results) in answer["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(&bucket)
            {
                let day = day / DAY * DAY;
                for id in key_ids {
                    out.entry(id.clone()).or_default().entry(day).or_default();
                }
                for (id, figures) in results.iter().filter_map(&result) {
                    let Some(sum) = out.get_mut(&id).and_then(|days| days.get_mut(&day)) else {
                        continue;
                    };
                    sum.input_tokens = sum.input_tokens.saturating_add(figures.input_tokens);
                    sum.output_tokens = sum.output_tokens.saturating_add(figures.output_tokens);
                    if let Some(n) = figures.requests {
                        sum.requests = Some(sum.requests.unwrap_or(0).saturating_add(n));
                    }
                    if let Some(usd) = figures.cost_usd {
                        sum.cost_usd = Some(sum.cost_usd.unwrap_or(0.0) + usd);
                    }
                }
            }
            page = text(&answer["next_page"]);
            if answer["has_more"] != Value::Bool(true) || page.is_none() {
                break;
            }
        }
        Ok(())
    }
}

/// A token or request count from a server (0 when absent or not a count).
fn count(value: &Value) -> u64 {
    value.as_u64().unwrap_or(0)
}

/// A dollar amount from a server: a finite, non-negative number (a string too), else 0.
fn dollars(value: &Value) -> f64 {
    let n = match value {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        other => other.as_f64(),
    };
    n.filter(|n| n.is_finite() && *n >= 0.0).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_match_prefix_and_last_four() {
        let value = "sk-proj-test-0123456789abcdWXYZ";
        assert!(hint_matches("sk-proj-...WXYZ", value));
        assert!(hint_matches("sk-proj-****…WXYZ", value));
        assert!(hint_matches("sk-proj-te...WXYZ", value));
        assert!(!hint_matches("sk-proj-...WXYA", value));
        assert!(!hint_matches("sk-svcacct-...WXYZ", value));
        assert!(!hint_matches("no gap here", value));
        assert!(!hint_matches("sk-...", value));
    }

    #[test]
    fn error_messages_are_cleaned() {
        let body = br#"{"error":{"message":"bad key sk-proj-test-abcdefghijklmnop\u001b[31m","type":"x"}}"#;
        let message = error_message(body);
        assert!(!message.contains("abcdefghijklmnop"), "{message}");
        assert!(!message.contains('\u{1b}'), "{message}");
        assert_eq!(error_message(b"<html>"), "(no error message)");
        let long = format!(r#"{{"error":{{"message":"{}"}}}}"#, "x".repeat(500));
        assert!(error_message(long.as_bytes()).chars().count() <= 201);
    }
}
