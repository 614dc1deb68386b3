//! A fake of three providers' key-management (admin) APIs and their inference endpoint, on
//! 127.0.0.1: a small HTTP/1.1 server on std threads, in the style of [`super::provider`].
//!
//! - OpenAI: project service accounts and their keys, project API keys, the completions
//!   usage and costs reports, `POST /v1/chat/completions` and `GET /v1/models`.
//! - OpenRouter: `/api/v1/keys` (offset pages, `include_disabled`, workspaces), `/api/v1/key`,
//!   `/api/v1/activity` (per day of the last 30 completed UTC days, by `api_key_hash`),
//!   `POST /api/v1/chat/completions`.
//! - Anthropic: `/v1/organizations/api_keys` (cursor pages, status changes, no create), the
//!   messages usage report, `POST /v1/messages` and `GET /v1/models`.
//!
//! Paths, fields, pagination, limits and error envelopes follow the shared admin-API facts.
//! A request that breaks a provider's documented contract (missing or wrong auth on a
//! management route, a malformed body, an unknown field or route, an array query parameter
//! without brackets, …) is answered the way the provider would and recorded in
//! [`AdminFake::problems`]. Answers about state (an unknown id, a refused delete, an
//! archived key, a revoked key at inference) are not problems.

// Each test binary that includes the harness uses a different part of this fake.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub use super::provider::Request;

/// The OpenAI project id the fake serves; other project ids answer 404.
pub const PROJECT: &str = "proj_test";
/// OpenRouter's default workspace: keys made without `workspace_id` live here, and a list
/// without `workspace_id` shows only these.
pub const OPENROUTER_WORKSPACE: &str = "0df9e665-d932-5740-b2c7-b52af166bc11";
/// The Anthropic workspace every key is scoped to.
pub const ANTHROPIC_WORKSPACE: &str = "wrkspc_01FakeWorkspace";
/// The console user who made seeded keys (OpenAI owner, Anthropic `created_by`).
pub const OWNER_USER: &str = "user_01FakeOwner";

/// What each inference request adds to its key's usage (the bodies report the same tokens).
const INFERENCE_INPUT: u64 = 10;
const INFERENCE_OUTPUT: u64 = 1;
const INFERENCE_COST: f64 = 0.0001;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    OpenAi,
    OpenRouter,
    Anthropic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    /// OpenRouter `disabled: true`, Anthropic `"inactive"`.
    Disabled,
    /// Anthropic `"archived"` (terminal).
    Archived,
    /// OpenAI and OpenRouter after DELETE.
    Deleted,
}

#[derive(Clone, Debug)]
pub struct FakeKey {
    /// OpenAI `key_…`, OpenRouter the sha256 hex of the value, Anthropic `apikey_…`.
    pub id: String,
    pub name: String,
    pub value: String,
    pub status: KeyStatus,
    /// Unix seconds.
    pub expires_at: Option<u64>,
    pub created_at: u64,
    /// OpenAI `svc_acct_…` when owned by a service account.
    pub service_account: Option<String>,
    /// OpenRouter USD limit.
    pub limit: Option<f64>,
}

/// A key with what the wire shows besides [`FakeKey`].
struct Key {
    fake: FakeKey,
    last_used_at: Option<u64>,
    updated_at: Option<u64>,
    limit_reset: Option<String>,
    include_byok_in_limit: bool,
    scopes: Vec<String>,
    workspace: String,
}

struct ServiceAccount {
    id: String,
    name: String,
    role: &'static str,
    created_at: u64,
    deleted: bool,
}

struct Usage {
    key_id: String,
    at: u64,
    input: u64,
    output: u64,
    requests: u64,
    cost: f64,
}

#[derive(Default)]
struct State {
    /// In creation order.
    keys: Vec<Key>,
    sas: Vec<ServiceAccount>,
    usage: Vec<Usage>,
    inference: HashMap<String, usize>,
    refuse_deletes: bool,
}

impl State {
    /// The index of the key whose value is `value` and that inference accepts at `now`.
    fn usable(&self, value: &str, now: u64) -> Option<usize> {
        self.keys.iter().position(|k| {
            k.fake.value == value
                && k.fake.status == KeyStatus::Active
                && k.fake.expires_at.is_none_or(|e| now < e)
        })
    }

    fn key(&self, id: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.fake.id == id)
    }

    fn key_mut(&mut self, id: &str) -> Option<&mut Key> {
        self.keys.iter_mut().find(|k| k.fake.id == id)
    }

    fn record_inference(&mut self, index: usize, now: u64) {
        let key = &mut self.keys[index];
        key.last_used_at = Some(now);
        *self.inference.entry(key.fake.value.clone()).or_default() += 1;
        let key_id = key.fake.id.clone();
        self.usage.push(Usage {
            key_id,
            at: now,
            input: INFERENCE_INPUT,
            output: INFERENCE_OUTPUT,
            requests: 1,
            cost: INFERENCE_COST,
        });
    }

    /// Dollars spent by `key_id` at or after `since`.
    fn spent(&self, key_id: &str, since: u64) -> f64 {
        round(
            self.usage
                .iter()
                .filter(|u| u.key_id == key_id && u.at >= since)
                .map(|u| u.cost)
                .sum(),
        )
    }
}

struct Shared {
    flavor: Flavor,
    admin_key: String,
    state: Mutex<State>,
    requests: Mutex<Vec<Request>>,
    problems: Mutex<Vec<String>>,
}

/// A running fake. Its thread lives until the test process ends.
pub struct AdminFake {
    pub root: String,
    shared: Arc<Shared>,
}

impl AdminFake {
    /// Starts a fake of `flavor` whose management routes accept only `admin_key`.
    pub fn start(flavor: Flavor, admin_key: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let root = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            flavor,
            admin_key: admin_key.to_owned(),
            state: Mutex::new(State::default()),
            requests: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
        });
        let for_thread = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&for_thread);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        AdminFake { root, shared }
    }

    /// The base URL byok is configured with: OpenAI `{root}/v1`, OpenRouter
    /// `{root}/api/v1`, Anthropic `{root}`.
    pub fn api_base(&self) -> String {
        match self.shared.flavor {
            Flavor::OpenAi => format!("{}/v1", self.root),
            Flavor::OpenRouter => format!("{}/api/v1", self.root),
            Flavor::Anthropic => self.root.clone(),
        }
    }

    /// A key a human made in the console: OpenAI a user-owned key in [`PROJECT`],
    /// OpenRouter a key in the default workspace, Anthropic an `apikey_…`. Its id.
    pub fn seed_key(&self, name: &str, value: &str) -> String {
        let mut st = self.shared.state.lock().unwrap();
        let id = match self.shared.flavor {
            Flavor::OpenAi => format!("key_{}", random_hex(8)),
            Flavor::OpenRouter => sha256_hex(value.as_bytes()),
            Flavor::Anthropic => format!("apikey_01{}", random_hex(10)),
        };
        assert!(st.key(&id).is_none(), "seed_key: {name} is already a key");
        st.keys.push(new_key(&id, name, value, now(), None));
        id
    }

    /// Every key ever made, deleted ones included, in creation order.
    pub fn keys(&self) -> Vec<FakeKey> {
        let st = self.shared.state.lock().unwrap();
        st.keys.iter().map(|k| k.fake.clone()).collect()
    }

    /// OpenAI service accounts: id, name, deleted. Empty for the other flavors.
    pub fn service_accounts(&self) -> Vec<(String, String, bool)> {
        let st = self.shared.state.lock().unwrap();
        st.sas
            .iter()
            .map(|s| (s.id.clone(), s.name.clone(), s.deleted))
            .collect()
    }

    /// Whether inference would accept `value` now (it exists, is active and not expired).
    pub fn is_usable(&self, value: &str) -> bool {
        let st = self.shared.state.lock().unwrap();
        st.usable(value, now()).is_some()
    }

    /// While on, management deletes and disable/status changes answer 403.
    pub fn set_refuse_deletes(&self, refuse: bool) {
        self.shared.state.lock().unwrap().refuse_deletes = refuse;
    }

    /// Sets the key's `expires_at` to one second ago.
    pub fn expire(&self, id: &str) {
        let mut st = self.shared.state.lock().unwrap();
        let key = st
            .key_mut(id)
            .unwrap_or_else(|| panic!("expire: no key {id}"));
        key.fake.expires_at = Some(now() - 1);
    }

    /// Usage the provider saw for `key_id` on the UTC day starting at `day` (unix seconds).
    pub fn add_usage(
        &self,
        key_id: &str,
        day: u64,
        input_tokens: u64,
        output_tokens: u64,
        requests: u64,
        cost_usd: f64,
    ) {
        let mut st = self.shared.state.lock().unwrap();
        st.usage.push(Usage {
            key_id: key_id.to_owned(),
            at: day,
            input: input_tokens,
            output: output_tokens,
            requests,
            cost: cost_usd,
        });
    }

    /// Inference requests accepted for `value` so far.
    pub fn inference_count(&self, value: &str) -> usize {
        let st = self.shared.state.lock().unwrap();
        st.inference.get(value).copied().unwrap_or(0)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Requests that broke the provider's documented contract.
    pub fn problems(&self) -> Vec<String> {
        self.shared.problems.lock().unwrap().clone()
    }
}

fn new_key(id: &str, name: &str, value: &str, created: u64, sa: Option<String>) -> Key {
    Key {
        fake: FakeKey {
            id: id.to_owned(),
            name: name.to_owned(),
            value: value.to_owned(),
            status: KeyStatus::Active,
            expires_at: None,
            created_at: created,
            service_account: sa,
            limit: None,
        },
        last_used_at: None,
        updated_at: None,
        limit_reset: None,
        include_byok_in_limit: false,
        scopes: Vec::new(),
        workspace: OPENROUTER_WORKSPACE.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// HTTP

fn serve(stream: TcpStream, shared: &Shared) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    shared.requests.lock().unwrap().push(request.clone());
    let (status, body) = route(shared, &request);
    let body = body.to_string();
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        reason(status),
        body.len()
    );
    if shared.flavor == Flavor::Anthropic {
        head.push_str(&format!("request-id: req_{}\r\n", random_hex(12)));
    }
    head.push_str("\r\n");
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body.as_bytes());
    let _ = out.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Unknown",
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        body
    };
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            loop {
                let mut trailer = String::new();
                reader.read_line(&mut trailer).ok()?;
                if trailer.trim().is_empty() {
                    return Some(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).ok()?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf).ok()?;
    }
}

// ---------------------------------------------------------------------------------------
// Routing, errors, queries and bodies

/// One request being answered.
struct Call<'a> {
    flavor: Flavor,
    admin_key: &'a str,
    req: &'a Request,
    method: &'a str,
    query: Query,
    now: u64,
}

/// An error answer: `problem` when the request broke the provider's contract.
struct Fail {
    status: u16,
    message: String,
    /// OpenAI's `error.code`.
    code: Option<&'static str>,
    problem: bool,
}

type Outcome = Result<(u16, Value), Fail>;

/// The request broke the documented contract.
fn contract(status: u16, message: impl Into<String>) -> Fail {
    Fail {
        status,
        message: message.into(),
        code: if status == 401 {
            Some("invalid_api_key")
        } else {
            None
        },
        problem: true,
    }
}

/// A 400 for a malformed request.
fn bad(message: impl Into<String>) -> Fail {
    contract(400, message)
}

/// A well-formed request the provider refuses because of the state it is in.
fn refuse(status: u16, message: impl Into<String>) -> Fail {
    Fail {
        problem: false,
        ..contract(status, message)
    }
}

fn route(shared: &Shared, req: &Request) -> (u16, Value) {
    let (path, query) = req
        .target
        .split_once('?')
        .unwrap_or((req.target.as_str(), ""));
    let call = Call {
        flavor: shared.flavor,
        admin_key: &shared.admin_key,
        req,
        method: &req.method,
        query: Query::parse(query),
        now: now(),
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let outcome = {
        let mut st = shared.state.lock().unwrap();
        match shared.flavor {
            Flavor::OpenAi => openai(&call, &mut st, &segments),
            Flavor::OpenRouter => openrouter(&call, &mut st, &segments),
            Flavor::Anthropic => anthropic(&call, &mut st, &segments),
        }
    };
    match outcome {
        Ok(answer) => answer,
        Err(fail) => {
            if fail.problem {
                shared
                    .problems
                    .lock()
                    .unwrap()
                    .push(format!("{} {}: {}", req.method, req.target, fail.message));
            }
            (fail.status, envelope(shared.flavor, &fail))
        }
    }
}

/// The provider's error body.
fn envelope(flavor: Flavor, fail: &Fail) -> Value {
    match flavor {
        Flavor::OpenAi => json!({"error": {
            "message": fail.message, "type": "invalid_request_error", "param": null,
            "code": fail.code}}),
        Flavor::OpenRouter => json!({"error": {
            "code": fail.status, "message": fail.message, "metadata": null}}),
        Flavor::Anthropic => {
            let kind = match fail.status {
                400 => "invalid_request_error",
                401 => "authentication_error",
                403 => "permission_error",
                404 => "not_found_error",
                _ => "api_error",
            };
            json!({"type": "error", "error": {"type": kind, "message": fail.message},
                   "request_id": format!("req_{}", random_hex(12))})
        }
    }
}

fn no_route(c: &Call, path: &[&str]) -> Fail {
    let path = path.join("/");
    let message = match c.flavor {
        Flavor::OpenAi => format!("Invalid URL ({} /{path})", c.method),
        Flavor::OpenRouter => "Resource not found".to_owned(),
        Flavor::Anthropic => "Not found".to_owned(),
    };
    contract(404, message)
}

/// Decoded query pairs, names as sent (`group_by[]` keeps its brackets).
struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    fn parse(query: &str) -> Self {
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect();
        Query { pairs }
    }

    /// Every name is one of `scalars` (at most once) or `name[]` for one of `arrays`.
    fn check(&self, scalars: &[&str], arrays: &[&str]) -> Result<(), Fail> {
        for (i, (name, _)) in self.pairs.iter().enumerate() {
            if let Some(array) = name.strip_suffix("[]")
                && arrays.contains(&array)
            {
                continue;
            }
            let base = name.split('[').next().unwrap_or(name);
            if arrays.contains(&base) {
                return Err(bad(format!(
                    "array parameter {name} must be sent as {base}[]=…"
                )));
            }
            if !scalars.contains(&name.as_str()) {
                return Err(bad(format!("unknown query parameter {name}")));
            }
            if self.pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(bad(format!("query parameter {name} given twice")));
            }
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of the array parameter `name[]`.
    fn all(&self, name: &str) -> Vec<&str> {
        let key = format!("{name}[]");
        self.pairs
            .iter()
            .filter(|(n, _)| *n == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An integer parameter in `min..=max`, `default` when absent.
    fn int(&self, name: &str, min: u64, max: u64, default: u64) -> Result<u64, Fail> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        match raw.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(bad(format!(
                "{name} must be an integer from {min} to {max}, got {raw:?}"
            ))),
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex_digit = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON object body, with only `allowed` fields.
fn body(c: &Call, allowed: &[&str]) -> Result<Map<String, Value>, Fail> {
    if !c
        .req
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/json"))
    {
        return Err(bad("content-type is not application/json"));
    }
    let value: Value = serde_json::from_slice(&c.req.body).map_err(|e| {
        bad(format!(
            "We could not parse the JSON body of your request: {e}"
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(bad("the body is not a JSON object"));
    };
    if let Some(field) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(bad(format!(
            "Unrecognized request argument supplied: {field}"
        )));
    }
    Ok(map)
}

fn opt_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Fail> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(bad(format!("{name} must be a string, got {other}"))),
    }
}

fn opt_bool(map: &Map<String, Value>, name: &str) -> Result<Option<bool>, Fail> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(bad(format!("{name} must be a boolean, got {other}"))),
    }
}

fn opt_number(map: &Map<String, Value>, name: &str) -> Result<Option<f64>, Fail> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f >= 0.0) => Ok(n.as_f64()),
        Some(other) => Err(bad(format!(
            "{name} must be a non-negative number, got {other}"
        ))),
    }
}

/// An integer field in `min..=max`.
fn opt_int(map: &Map<String, Value>, name: &str, min: u64, max: u64) -> Result<Option<u64>, Fail> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(bad(format!(
                "{name} must be an integer from {min} to {max}, got {v}"
            ))),
        },
    }
}

fn opt_strings(map: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, Fail> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| bad(format!("{name} must be an array of strings"))),
        Some(other) => Err(bad(format!("{name} must be an array, got {other}"))),
    }
}

fn bearer(req: &Request) -> Option<&str> {
    req.header("authorization")?.strip_prefix("Bearer ")
}

/// The page of `visible` items after `after` or before `before` (ids in `order`), and
/// whether more follow in that direction. The cursor may itself be hidden now.
fn cursor_page<'a, T>(
    order: &[&'a T],
    id: impl Fn(&T) -> &str,
    visible: impl Fn(&T) -> bool,
    after: Option<&str>,
    before: Option<&str>,
    limit: usize,
) -> Result<(Vec<&'a T>, bool), Fail> {
    let position = |cursor: &str| {
        order
            .iter()
            .position(|t| id(*t) == cursor)
            .ok_or_else(|| bad(format!("cursor {cursor} is not an id this list returned")))
    };
    let candidates: Vec<&'a T> = match (after, before) {
        (Some(_), Some(_)) => return Err(bad("after_id and before_id are exclusive")),
        (Some(a), None) => order[position(a)? + 1..].to_vec(),
        (None, Some(b)) => {
            let end = position(b)?;
            let shown: Vec<&'a T> = order[..end]
                .iter()
                .copied()
                .filter(|t| visible(*t))
                .collect();
            let more = shown.len() > limit;
            return Ok((shown[shown.len().saturating_sub(limit)..].to_vec(), more));
        }
        (None, None) => order.to_vec(),
    };
    let shown: Vec<&'a T> = candidates.into_iter().filter(|t| visible(*t)).collect();
    let more = shown.len() > limit;
    Ok((shown.into_iter().take(limit).collect(), more))
}

/// Bucket width in seconds and the default and maximum `limit` (buckets per page).
fn bucket_width(width: &str) -> Option<(u64, u64, u64)> {
    match width {
        "1m" => Some((60, 60, 1440)),
        "1h" => Some((3600, 24, 168)),
        "1d" => Some((86_400, 7, 31)),
        _ => None,
    }
}

/// Bucket starts from `start` (snapped to the width, UTC) or the `page` cursor, up to
/// `limit` of them before `end`, and the cursor of the next page.
fn bucket_starts(
    start: u64,
    end: u64,
    width: u64,
    limit: u64,
    page: Option<&str>,
) -> Result<(Vec<u64>, Option<String>), Fail> {
    let first = start - start % width;
    let from = match page {
        None => first,
        Some(p) => match p.strip_prefix("page_").and_then(|n| n.parse::<u64>().ok()) {
            Some(n) if n >= first && (n - first).is_multiple_of(width) => n,
            _ => {
                return Err(bad(format!(
                    "page {p:?} is not a cursor this report returned"
                )));
            }
        },
    };
    let mut starts = Vec::new();
    let mut b = from;
    while b < end && (starts.len() as u64) < limit {
        starts.push(b);
        b += width;
    }
    Ok((starts, (b < end).then(|| format!("page_{b}"))))
}

#[derive(Default)]
struct Totals {
    input: u64,
    output: u64,
    requests: u64,
    cost: f64,
}

/// Usage in `[from, to)`, limited to `keys` when non-empty; by key id when `by_key`, else
/// one total under `None`. Empty when nothing was used.
fn totals(
    st: &State,
    from: u64,
    to: u64,
    keys: &[&str],
    by_key: bool,
) -> BTreeMap<Option<String>, Totals> {
    let mut out: BTreeMap<Option<String>, Totals> = BTreeMap::new();
    for u in &st.usage {
        if u.at < from || u.at >= to || !(keys.is_empty() || keys.contains(&u.key_id.as_str())) {
            continue;
        }
        let t = out.entry(by_key.then(|| u.key_id.clone())).or_default();
        t.input += u.input;
        t.output += u.output;
        t.requests += u.requests;
        t.cost += u.cost;
    }
    out
}

// ---------------------------------------------------------------------------------------
// OpenAI

fn openai(c: &Call, st: &mut State, path: &[&str]) -> Outcome {
    match (c.method, path) {
        ("POST", ["v1", "chat", "completions"]) => openai_chat(c, st),
        ("GET", ["v1", "models"]) => {
            c.query.check(&[], &[])?;
            openai_inference_key(c, st)?;
            Ok((
                200,
                json!({"object": "list", "data": [
                    {"id": "gpt-4.1-nano", "object": "model", "created": 1, "owned_by": "system"},
                    {"id": "gpt-5.4-nano", "object": "model", "created": 1, "owned_by": "system"}]}),
            ))
        }
        (_, ["v1", "organization", rest @ ..]) => {
            match bearer(c.req) {
                None => {
                    return Err(contract(
                        401,
                        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    ));
                }
                Some(k) if k == c.admin_key => {}
                Some(k) => {
                    return Err(contract(
                        401,
                        format!("Incorrect API key provided: {}.", mask(k, 8, 4)),
                    ));
                }
            }
            openai_admin(c, st, rest).map_err(|f| match f.status {
                404 if f.problem => no_route(c, path),
                _ => f,
            })
        }
        _ => Err(no_route(c, path)),
    }
}

fn openai_admin(c: &Call, st: &mut State, path: &[&str]) -> Outcome {
    match (c.method, path) {
        ("GET", ["projects", p, "service_accounts"]) => {
            project(p)?;
            c.query.check(&["after", "limit"], &[])?;
            let limit = c.query.int("limit", 1, 100, 20)?;
            let order: Vec<&ServiceAccount> = st.sas.iter().collect();
            let (page, more) = cursor_page(
                &order,
                |s| &s.id,
                |s| !s.deleted,
                c.query.get("after"),
                None,
                limit as usize,
            )?;
            Ok((
                200,
                openai_list(page.into_iter().map(|s| (s.id.as_str(), sa_json(s))), more),
            ))
        }
        ("POST", ["projects", p, "service_accounts"]) => {
            project(p)?;
            c.query.check(&[], &[])?;
            let b = body(
                c,
                &["name", "create_service_account_only", "expires_in_seconds"],
            )?;
            let name = match opt_str(&b, "name")? {
                Some(n) if !n.is_empty() => n.to_owned(),
                _ => return Err(bad("name is required")),
            };
            let only = opt_bool(&b, "create_service_account_only")?.unwrap_or(false);
            let ttl = opt_int(&b, "expires_in_seconds", 1, 31_536_000)?;
            if only && ttl.is_some() {
                return Err(bad(
                    "expires_in_seconds cannot be set with create_service_account_only",
                ));
            }
            let sa = ServiceAccount {
                id: format!("svc_acct_{}", random_hex(12)),
                name,
                role: if only { "none" } else { "member" },
                created_at: c.now,
                deleted: false,
            };
            let mut answer = sa_json(&sa);
            answer["api_key"] = if only {
                Value::Null
            } else {
                openai_mint(st, &sa.id, "Secret Key", ttl, Vec::new(), c.now)
            };
            st.sas.push(sa);
            Ok((200, answer))
        }
        ("GET" | "DELETE", ["projects", p, "service_accounts", id]) => {
            project(p)?;
            c.query.check(&[], &[])?;
            let Some(sa) = st.sas.iter_mut().find(|s| s.id == *id && !s.deleted) else {
                return Err(refuse(404, format!("No such service account: {id}")));
            };
            if c.method == "GET" {
                return Ok((200, sa_json(sa)));
            }
            if st.refuse_deletes {
                return Err(openai_refused());
            }
            sa.deleted = true;
            for key in &mut st.keys {
                if key.fake.service_account.as_deref() == Some(*id) {
                    key.fake.status = KeyStatus::Deleted;
                }
            }
            Ok((
                200,
                json!({"object": "organization.project.service_account.deleted", "id": id,
                       "deleted": true}),
            ))
        }
        ("POST", ["projects", p, "service_accounts", id, "api_keys"]) => {
            project(p)?;
            c.query.check(&[], &[])?;
            let b = body(c, &["name", "scopes", "expires_in_seconds"])?;
            let name = opt_str(&b, "name")?.unwrap_or("Secret Key").to_owned();
            let scopes = opt_strings(&b, "scopes")?.unwrap_or_default();
            let ttl = opt_int(&b, "expires_in_seconds", 1, 31_536_000)?;
            if !st.sas.iter().any(|s| s.id == *id && !s.deleted) {
                return Err(refuse(404, format!("No such service account: {id}")));
            }
            Ok((200, openai_mint(st, id, &name, ttl, scopes, c.now)))
        }
        ("GET", ["projects", p, "api_keys"]) => {
            project(p)?;
            c.query
                .check(&["after", "limit", "owner_project_access"], &[])?;
            let limit = c.query.int("limit", 1, 100, 20)?;
            let access = c.query.get("owner_project_access").unwrap_or("active");
            if !["active", "inactive", "any"].contains(&access) {
                return Err(bad(format!("owner_project_access {access:?}")));
            }
            let order: Vec<&Key> = st.keys.iter().collect();
            let (page, more) = cursor_page(
                &order,
                |k| &k.fake.id,
                |k| k.fake.status != KeyStatus::Deleted && access != "inactive",
                c.query.get("after"),
                None,
                limit as usize,
            )?;
            let items: Vec<(&str, Value)> = page
                .into_iter()
                .map(|k| (k.fake.id.as_str(), openai_key_json(k, st)))
                .collect();
            Ok((200, openai_list(items.into_iter(), more)))
        }
        ("GET" | "DELETE", ["projects", p, "api_keys", id]) => {
            project(p)?;
            c.query.check(&[], &[])?;
            let Some(key) = st.key(id).filter(|k| k.fake.status != KeyStatus::Deleted) else {
                return Err(refuse(404, format!("No such API key: {id}")));
            };
            if c.method == "GET" {
                return Ok((200, openai_key_json(key, st)));
            }
            if st.refuse_deletes {
                return Err(openai_refused());
            }
            st.key_mut(id).unwrap().fake.status = KeyStatus::Deleted;
            Ok((
                200,
                json!({"object": "organization.project.api_key.deleted", "id": id,
                       "deleted": true}),
            ))
        }
        ("GET", ["usage", "completions"]) => openai_report(c, st, false),
        ("GET", ["costs"]) => openai_report(c, st, true),
        _ => Err(contract(404, "no route")),
    }
}

fn project(p: &str) -> Result<(), Fail> {
    if p == PROJECT {
        Ok(())
    } else {
        Err(refuse(404, format!("No such project: {p}")))
    }
}

fn openai_refused() -> Fail {
    refuse(
        403,
        "You have insufficient permissions for this operation. Missing scopes: api.management.write.",
    )
}

/// Makes a service-account key and answers its create object (with the value).
fn openai_mint(
    st: &mut State,
    sa: &str,
    name: &str,
    ttl: Option<u64>,
    scopes: Vec<String>,
    now: u64,
) -> Value {
    let id = format!("key_{}", random_hex(8));
    let value = format!("sk-svcacct-test-{}", random_hex(24));
    let mut key = new_key(&id, name, &value, now, Some(sa.to_owned()));
    key.fake.expires_at = ttl.map(|t| now + t);
    key.scopes = scopes;
    let answer = json!({
        "object": "organization.project.service_account.api_key", "id": id, "name": name,
        "value": value, "created_at": now, "expires_at": key.fake.expires_at});
    st.keys.push(key);
    answer
}

fn sa_json(sa: &ServiceAccount) -> Value {
    json!({"object": "organization.project.service_account", "id": sa.id, "name": sa.name,
           "role": sa.role, "created_at": sa.created_at})
}

fn openai_key_json(k: &Key, st: &State) -> Value {
    let owner = match &k.fake.service_account {
        Some(sa_id) => {
            let sa = st.sas.iter().find(|s| s.id == *sa_id).map(
                |s| json!({"id": s.id, "name": s.name, "role": s.role, "created_at": s.created_at}),
            );
            json!({"type": "service_account", "service_account": sa})
        }
        None => json!({"type": "user", "user": {
            "object": "organization.project.user", "id": OWNER_USER,
            "email": "owner@example.com", "name": "Test Owner", "role": "owner",
            "added_at": 1_700_000_000, "created_at": 1_700_000_000}}),
    };
    json!({
        "object": "organization.project.api_key", "id": k.fake.id, "name": k.fake.name,
        "redacted_value": mask(&k.fake.value, 8, 4), "created_at": k.fake.created_at,
        "last_used_at": k.last_used_at, "expires_at": k.fake.expires_at, "owner": owner,
        "owner_project_access": "active"})
}

fn openai_list<'a>(items: impl Iterator<Item = (&'a str, Value)>, more: bool) -> Value {
    let items: Vec<(&str, Value)> = items.collect();
    json!({
        "object": "list",
        "first_id": items.first().map(|(id, _)| *id),
        "last_id": items.last().map(|(id, _)| *id),
        "has_more": more,
        "data": items.into_iter().map(|(_, v)| v).collect::<Vec<_>>()})
}

/// `/organization/usage/completions` or, with `costs`, `/organization/costs`.
fn openai_report(c: &Call, st: &State, costs: bool) -> Outcome {
    let (arrays, groups): (&[&str], &[&str]) = if costs {
        (
            &["group_by", "api_key_ids", "project_ids"],
            &["project_id", "line_item", "api_key_id"],
        )
    } else {
        (
            &[
                "group_by",
                "api_key_ids",
                "project_ids",
                "user_ids",
                "models",
            ],
            &[
                "project_id",
                "user_id",
                "api_key_id",
                "model",
                "batch",
                "service_tier",
            ],
        )
    };
    let scalars: &[&str] = if costs {
        &["start_time", "end_time", "bucket_width", "limit", "page"]
    } else {
        &[
            "start_time",
            "end_time",
            "bucket_width",
            "limit",
            "page",
            "batch",
        ]
    };
    c.query.check(scalars, arrays)?;
    let start = match c.query.get("start_time").map(str::parse::<u64>) {
        Some(Ok(s)) => s,
        _ => return Err(bad("start_time is required (unix seconds)")),
    };
    let end = match c.query.get("end_time").map(str::parse::<u64>) {
        None => c.now + 1,
        Some(Ok(e)) if e > start => e,
        Some(_) => return Err(bad("end_time must be unix seconds after start_time")),
    };
    let width_name = c.query.get("bucket_width").unwrap_or("1d");
    let Some((width, default, max)) = bucket_width(width_name) else {
        return Err(bad(format!("bucket_width {width_name:?}")));
    };
    let (default, max) = if costs {
        if width_name != "1d" {
            return Err(bad("costs support bucket_width 1d only"));
        }
        (7, 180)
    } else {
        (default, max)
    };
    let limit = c.query.int("limit", 1, max, default)?;
    let group_by = c.query.all("group_by");
    if let Some(g) = group_by.iter().find(|g| !groups.contains(g)) {
        return Err(bad(format!("group_by {g:?}")));
    }
    let projects = c.query.all("project_ids");
    let keys = c.query.all("api_key_ids");
    let by_key = group_by.contains(&"api_key_id");
    let by_project = group_by.contains(&"project_id");
    let (starts, next) = bucket_starts(start, end, width, limit, c.query.get("page"))?;
    let data: Vec<Value> = starts
        .into_iter()
        .map(|b| {
            let rows = if projects.is_empty() || projects.contains(&PROJECT) {
                totals(st, b, b + width, &keys, by_key)
            } else {
                BTreeMap::new()
            };
            let results: Vec<Value> = rows
                .into_iter()
                .map(|(key, t)| {
                    let project = by_project.then_some(PROJECT);
                    if costs {
                        json!({"object": "organization.costs.result",
                               "amount": {"value": round(t.cost), "currency": "usd"},
                               "line_item": null, "project_id": project, "api_key_id": key,
                               "quantity": null})
                    } else {
                        json!({"object": "organization.usage.completions.result",
                               "input_tokens": t.input, "output_tokens": t.output,
                               "input_cached_tokens": 0, "input_audio_tokens": 0,
                               "output_audio_tokens": 0, "num_model_requests": t.requests,
                               "project_id": project, "user_id": null, "api_key_id": key,
                               "model": null, "batch": null, "service_tier": null})
                    }
                })
                .collect();
            json!({"object": "bucket", "start_time": b, "end_time": b + width,
                   "results": results})
        })
        .collect();
    Ok((
        200,
        json!({"object": "page", "data": data, "has_more": next.is_some(), "next_page": next}),
    ))
}

/// The usable key of an inference request, counted; 401 otherwise.
fn openai_inference_key(c: &Call, st: &State) -> Result<usize, Fail> {
    let Some(value) = bearer(c.req) else {
        return Err(contract(401, "You didn't provide an API key."));
    };
    if value == c.admin_key {
        return Err(contract(401, "the admin key was sent for inference"));
    }
    st.usable(value, c.now).ok_or_else(|| {
        refuse(
            401,
            format!("Incorrect API key provided: {}.", mask(value, 8, 4)),
        )
    })
}

/// The model of a chat request with `model` and `messages`.
fn chat_model(c: &Call, extra: &[&str]) -> Result<String, Fail> {
    let content_type_ok = c
        .req
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/json"));
    if !content_type_ok {
        return Err(bad("content-type is not application/json"));
    }
    let b: Value = serde_json::from_slice(&c.req.body).map_err(|e| bad(format!("body: {e}")))?;
    let Some(model) = b.get("model").and_then(Value::as_str) else {
        return Err(bad("model is required"));
    };
    let messages = b.get("messages").and_then(Value::as_array);
    if messages.is_none_or(|m| m.is_empty()) {
        return Err(bad("messages must be a non-empty array"));
    }
    for field in extra {
        if b.get(*field).and_then(Value::as_u64).is_none_or(|n| n == 0) {
            return Err(bad(format!("{field} is required (a positive integer)")));
        }
    }
    Ok(model.to_owned())
}

fn openai_chat(c: &Call, st: &mut State) -> Outcome {
    c.query.check(&[], &[])?;
    let index = openai_inference_key(c, st)?;
    let model = chat_model(c, &[])?;
    st.record_inference(index, c.now);
    Ok((200, chat_body(&model, "chatcmpl-fake", c.now)))
}

fn chat_body(model: &str, id: &str, now: u64) -> Value {
    json!({
        "id": id, "object": "chat.completion", "created": now, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": INFERENCE_INPUT, "completion_tokens": INFERENCE_OUTPUT,
                  "total_tokens": INFERENCE_INPUT + INFERENCE_OUTPUT}})
}

// ---------------------------------------------------------------------------------------
// OpenRouter

fn openrouter(c: &Call, st: &mut State, path: &[&str]) -> Outcome {
    let ["api", "v1", rest @ ..] = path else {
        return Err(no_route(c, path));
    };
    match (c.method, rest) {
        ("POST", ["chat", "completions"]) => {
            c.query.check(&[], &[])?;
            let index = match bearer(c.req) {
                None => return Err(contract(401, "No auth credentials found")),
                Some(k) if k == c.admin_key => {
                    return Err(contract(
                        403,
                        "Management keys cannot be used for completions",
                    ));
                }
                Some(k) => st
                    .usable(k, c.now)
                    .ok_or_else(|| refuse(401, "User not found."))?,
            };
            let model = chat_model(c, &[])?;
            st.record_inference(index, c.now);
            let mut answer = chat_body(&model, "gen-fake", c.now);
            answer["provider"] = json!("OpenAI");
            answer["usage"]["cost"] = json!(INFERENCE_COST);
            Ok((200, answer))
        }
        ("GET", ["models"]) => Ok((
            200,
            json!({"data": [{"id": "openai/gpt-4o-mini", "name": "OpenAI: GPT-4o-mini"}]}),
        )),
        ("GET", ["key"]) => {
            c.query.check(&[], &[])?;
            let Some(value) = bearer(c.req) else {
                return Err(contract(401, "No auth credentials found"));
            };
            if value == c.admin_key {
                return Ok((
                    200,
                    json!({"data": openrouter_current(None, value, st, c.now)}),
                ));
            }
            let index = st
                .usable(value, c.now)
                .ok_or_else(|| refuse(401, "User not found."))?;
            let key = &st.keys[index];
            Ok((
                200,
                json!({"data": openrouter_current(Some(key), value, st, c.now)}),
            ))
        }
        ("GET", ["activity"]) => {
            match bearer(c.req) {
                None => return Err(contract(401, "Missing Authentication header")),
                Some(k) if k == c.admin_key => {}
                Some(k) if st.usable(k, c.now).is_some() => {
                    return Err(contract(
                        403,
                        "Only management keys can perform this operation",
                    ));
                }
                Some(_) => return Err(contract(401, "User not found.")),
            }
            openrouter_activity(c, st)
        }
        (_, ["keys", ..]) => {
            match bearer(c.req) {
                None => return Err(contract(401, "Missing Authentication header")),
                Some(k) if k == c.admin_key => {}
                Some(k) if st.usable(k, c.now).is_some() => {
                    return Err(contract(
                        403,
                        "Only management keys can perform this operation",
                    ));
                }
                Some(_) => return Err(contract(401, "User not found.")),
            }
            openrouter_keys(c, st, &rest[1..]).map_err(|f| match f.status {
                404 if f.problem => no_route(c, path),
                _ => f,
            })
        }
        _ => Err(no_route(c, path)),
    }
}

fn openrouter_keys(c: &Call, st: &mut State, rest: &[&str]) -> Outcome {
    match (c.method, rest) {
        ("GET", []) => {
            c.query
                .check(&["offset", "include_disabled", "workspace_id"], &[])?;
            let offset = c.query.int("offset", 0, u64::MAX, 0)? as usize;
            let include_disabled = match c.query.get("include_disabled") {
                None | Some("false") => false,
                Some("true") => true,
                Some(other) => return Err(bad(format!("include_disabled {other:?}"))),
            };
            let workspace = c.query.get("workspace_id").unwrap_or(OPENROUTER_WORKSPACE);
            let data: Vec<Value> = st
                .keys
                .iter()
                .filter(|k| {
                    k.workspace == workspace
                        && match k.fake.status {
                            KeyStatus::Active => true,
                            KeyStatus::Disabled => include_disabled,
                            _ => false,
                        }
                })
                .skip(offset)
                .take(100)
                .map(|k| openrouter_key_json(k, st, c.now))
                .collect();
            Ok((200, json!({"data": data})))
        }
        ("POST", []) => {
            c.query.check(&[], &[])?;
            let b = body(
                c,
                &[
                    "name",
                    "limit",
                    "limit_reset",
                    "include_byok_in_limit",
                    "expires_at",
                    "workspace_id",
                    "creator_user_id",
                ],
            )?;
            let name = match opt_str(&b, "name")? {
                Some(n) if !n.is_empty() => n.to_owned(),
                _ => return Err(bad("name is required")),
            };
            let limit = opt_number(&b, "limit")?;
            let limit_reset = limit_reset(&b)?;
            let byok = opt_bool(&b, "include_byok_in_limit")?.unwrap_or(false);
            let expires_at = match opt_str(&b, "expires_at")? {
                None => None,
                Some(s) => {
                    let utc = s.ends_with('Z') || s.ends_with("+00:00");
                    match parse_rfc3339(s) {
                        Some(t) if utc && t > c.now as i64 => Some(t as u64),
                        Some(_) if utc => {
                            return Err(bad(format!("expires_at {s} is in the past")));
                        }
                        _ => {
                            return Err(bad(format!(
                                "expires_at must be an ISO 8601 date-time in UTC, got {s:?}"
                            )));
                        }
                    }
                }
            };
            let workspace = opt_str(&b, "workspace_id")?.unwrap_or(OPENROUTER_WORKSPACE);
            let value = format!("sk-or-v1-{}", random_hex(32));
            let hash = sha256_hex(value.as_bytes());
            let mut key = new_key(&hash, &name, &value, c.now, None);
            key.fake.limit = limit;
            key.fake.expires_at = expires_at;
            key.limit_reset = limit_reset;
            key.include_byok_in_limit = byok;
            key.workspace = workspace.to_owned();
            let data = openrouter_key_json(&key, st, c.now);
            st.keys.push(key);
            Ok((201, json!({"data": data, "key": value})))
        }
        (_, [hash]) => {
            c.query.check(&[], &[])?;
            let fields = [
                "name",
                "disabled",
                "limit",
                "limit_reset",
                "include_byok_in_limit",
            ];
            let patch = if c.method == "PATCH" {
                let raw: Value = serde_json::from_slice(&c.req.body).unwrap_or(Value::Null);
                if raw.get("expires_at").is_some() {
                    return Err(bad("expires_at cannot be changed after a key is created"));
                }
                Some(body(c, &fields)?)
            } else {
                None
            };
            let found = st
                .key(hash)
                .is_some_and(|k| k.fake.status != KeyStatus::Deleted);
            if !found {
                return Err(refuse(404, "Resource not found"));
            }
            match c.method {
                "GET" => Ok((
                    200,
                    json!({"data": openrouter_key_json(st.key(hash).unwrap(), st, c.now)}),
                )),
                "DELETE" => {
                    if st.refuse_deletes {
                        return Err(refuse(403, "Forbidden: this key cannot be deleted"));
                    }
                    st.key_mut(hash).unwrap().fake.status = KeyStatus::Deleted;
                    Ok((200, json!({"deleted": true})))
                }
                "PATCH" => {
                    let b = patch.unwrap();
                    let name = match opt_str(&b, "name")? {
                        Some("") => return Err(bad("name must not be empty")),
                        other => other.map(str::to_owned),
                    };
                    let disabled = opt_bool(&b, "disabled")?;
                    let limit = opt_number(&b, "limit")?;
                    let reset = limit_reset(&b)?;
                    let byok = opt_bool(&b, "include_byok_in_limit")?;
                    if disabled.is_some() && st.refuse_deletes {
                        return Err(refuse(403, "Forbidden: this key cannot be changed"));
                    }
                    let key = st.key_mut(hash).unwrap();
                    if let Some(name) = name {
                        key.fake.name = name;
                    }
                    if let Some(d) = disabled {
                        key.fake.status = if d {
                            KeyStatus::Disabled
                        } else {
                            KeyStatus::Active
                        };
                    }
                    if b.contains_key("limit") {
                        key.fake.limit = limit;
                    }
                    if b.contains_key("limit_reset") {
                        key.limit_reset = reset;
                    }
                    if let Some(byok) = byok {
                        key.include_byok_in_limit = byok;
                    }
                    key.updated_at = Some(c.now);
                    let key = st.key(hash).unwrap();
                    Ok((200, json!({"data": openrouter_key_json(key, st, c.now)})))
                }
                _ => Err(contract(404, "no route")),
            }
        }
        _ => Err(contract(404, "no route")),
    }
}

fn limit_reset(b: &Map<String, Value>) -> Result<Option<String>, Fail> {
    match opt_str(b, "limit_reset")? {
        None => Ok(None),
        Some(r @ ("daily" | "weekly" | "monthly")) => Ok(Some(r.to_owned())),
        Some(other) => Err(bad(format!("limit_reset {other:?}"))),
    }
}

/// `sk-or-v1-0e6...1c96`.
/// `GET /activity`: one row per UTC day (one model: the fake does not track models) of the
/// last 30 completed days, for one key (`api_key_hash`) or all, in a workspace or all.
fn openrouter_activity(c: &Call, st: &State) -> Outcome {
    c.query.check(
        &[
            "date",
            "api_key_hash",
            "user_id",
            "workspace_id",
            "group_by",
        ],
        &[],
    )?;
    let today = c.now / 86_400 * 86_400;
    let first = today - 30 * 86_400;
    let days: Vec<u64> = match c.query.get("date") {
        None => (first..today).step_by(86_400).collect(),
        Some(date) => match parse_rfc3339(&format!("{date}T00:00:00Z")) {
            Some(d) if date.len() == 10 && d >= first as i64 && d < today as i64 => {
                vec![d as u64]
            }
            _ => {
                return Err(bad(format!(
                    "date must be a UTC date (YYYY-MM-DD) in the last 30 completed days, got {date:?}"
                )));
            }
        },
    };
    if let Some(g) = c.query.get("group_by")
        && g != "workspace"
    {
        return Err(bad(format!("group_by {g:?}")));
    }
    let workspace = c.query.get("workspace_id");
    let keys: Vec<&str> = st
        .keys
        .iter()
        .filter(|k| {
            c.query.get("api_key_hash").is_none_or(|h| h == k.fake.id)
                && workspace.is_none_or(|w| w == k.workspace)
        })
        .map(|k| k.fake.id.as_str())
        .collect();
    let mut data = Vec::new();
    if !keys.is_empty() {
        for day in days {
            if let Some(t) = totals(st, day, day + 86_400, &keys, false).remove(&None) {
                data.push(json!({
                    "date": &rfc3339(day)[..10], "model": "openai/gpt-4o-mini",
                    "model_permaslug": "openai/gpt-4o-mini-2024-07-18",
                    "endpoint_id": "550e8400-e29b-41d4-a716-446655440000",
                    "provider_name": "OpenAI", "usage": round(t.cost),
                    "byok_usage_inference": 0.0, "requests": t.requests,
                    "prompt_tokens": t.input, "completion_tokens": t.output,
                    "reasoning_tokens": 0}));
            }
        }
    }
    Ok((200, json!({"data": data})))
}

fn openrouter_label(value: &str) -> String {
    match value.strip_prefix("sk-or-v1-") {
        Some(rest) => format!("sk-or-v1-{}", mask(rest, 3, 4)),
        None => mask(value, 3, 4),
    }
}

/// Usage since the start of today, this week (Monday) and this month, UTC.
fn openrouter_usage(st: &State, id: &str, now: u64) -> (f64, f64, f64, f64) {
    let days = now / 86_400;
    let today = days * 86_400;
    let week = (days - (days + 3) % 7) * 86_400;
    let (y, m, _) = civil_from_days(days as i64);
    let month = days_from_civil(y, m, 1) as u64 * 86_400;
    (
        st.spent(id, 0),
        st.spent(id, today),
        st.spent(id, week),
        st.spent(id, month),
    )
}

fn limit_remaining(k: &Key, usage: (f64, f64, f64, f64)) -> Option<f64> {
    let used = match k.limit_reset.as_deref() {
        Some("daily") => usage.1,
        Some("weekly") => usage.2,
        Some("monthly") => usage.3,
        _ => usage.0,
    };
    k.fake.limit.map(|l| round((l - used).max(0.0)))
}

fn openrouter_key_json(k: &Key, st: &State, now: u64) -> Value {
    let usage = openrouter_usage(st, &k.fake.id, now);
    json!({
        "hash": k.fake.id, "name": k.fake.name, "label": openrouter_label(&k.fake.value),
        "disabled": k.fake.status == KeyStatus::Disabled, "limit": k.fake.limit,
        "limit_remaining": limit_remaining(k, usage), "limit_reset": k.limit_reset,
        "include_byok_in_limit": k.include_byok_in_limit,
        "usage": usage.0, "usage_daily": usage.1, "usage_weekly": usage.2,
        "usage_monthly": usage.3, "byok_usage": 0.0, "byok_usage_daily": 0.0,
        "byok_usage_weekly": 0.0, "byok_usage_monthly": 0.0,
        "created_at": rfc3339(k.fake.created_at), "updated_at": k.updated_at.map(rfc3339),
        "expires_at": k.fake.expires_at.map(rfc3339), "creator_user_id": null,
        "workspace_id": k.workspace})
}

/// `GET /key`: the key the request authenticated with (`None`: the management key).
fn openrouter_current(k: Option<&Key>, value: &str, st: &State, now: u64) -> Value {
    let usage = k.map_or((0.0, 0.0, 0.0, 0.0), |k| {
        openrouter_usage(st, &k.fake.id, now)
    });
    json!({
        "label": openrouter_label(value), "limit": k.and_then(|k| k.fake.limit),
        "limit_remaining": k.and_then(|k| limit_remaining(k, usage)),
        "limit_reset": k.and_then(|k| k.limit_reset.clone()),
        "usage": usage.0, "usage_daily": usage.1, "usage_weekly": usage.2,
        "usage_monthly": usage.3, "byok_usage": 0.0, "byok_usage_daily": 0.0,
        "byok_usage_weekly": 0.0, "byok_usage_monthly": 0.0,
        "include_byok_in_limit": k.is_some_and(|k| k.include_byok_in_limit),
        "is_free_tier": false, "is_management_key": k.is_none(),
        "is_provisioning_key": k.is_none(),
        "expires_at": k.and_then(|k| k.fake.expires_at).map(rfc3339),
        "creator_user_id": null,
        "rate_limit": {"requests": -1, "interval": "10s",
                       "note": "This field is deprecated and safe to ignore."}})
}

// ---------------------------------------------------------------------------------------
// Anthropic

fn anthropic(c: &Call, st: &mut State, path: &[&str]) -> Outcome {
    match (c.method, path) {
        ("POST", ["v1", "messages"]) => {
            c.query.check(&[], &[])?;
            let index = anthropic_inference_key(c, st)?;
            let model = chat_model(c, &["max_tokens"])?;
            st.record_inference(index, c.now);
            Ok((
                200,
                json!({
                    "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
                    "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                    "stop_sequence": null,
                    "usage": {"input_tokens": INFERENCE_INPUT,
                              "output_tokens": INFERENCE_OUTPUT,
                              "cache_creation_input_tokens": 0,
                              "cache_read_input_tokens": 0}}),
            ))
        }
        ("GET", ["v1", "models"]) => {
            c.query.check(&["limit", "after_id", "before_id"], &[])?;
            anthropic_inference_key(c, st)?;
            Ok((
                200,
                json!({"data": [{"type": "model", "id": "claude-haiku-4-5",
                                 "display_name": "Claude Haiku 4.5",
                                 "created_at": "2025-10-01T00:00:00Z"}],
                       "has_more": false, "first_id": "claude-haiku-4-5",
                       "last_id": "claude-haiku-4-5"}),
            ))
        }
        (_, ["v1", "organizations", rest @ ..]) => {
            anthropic_version(c)?;
            match c.req.header("x-api-key") {
                None => return Err(contract(401, "x-api-key header is required")),
                Some(k) if k == c.admin_key => {}
                Some(_) => return Err(contract(401, "invalid x-api-key")),
            }
            anthropic_admin(c, st, rest).map_err(|f| match f.status {
                404 if f.problem => no_route(c, path),
                _ => f,
            })
        }
        _ => Err(no_route(c, path)),
    }
}

fn anthropic_version(c: &Call) -> Result<(), Fail> {
    match c.req.header("anthropic-version") {
        Some("2023-06-01") => Ok(()),
        None => Err(bad("anthropic-version: header is required")),
        Some(v) => Err(bad(format!(
            "anthropic-version: {v:?} is not a valid version"
        ))),
    }
}

fn anthropic_inference_key(c: &Call, st: &State) -> Result<usize, Fail> {
    anthropic_version(c)?;
    let Some(value) = c.req.header("x-api-key") else {
        return Err(contract(401, "x-api-key header is required"));
    };
    if value == c.admin_key {
        return Err(contract(401, "the admin key was sent for inference"));
    }
    st.usable(value, c.now)
        .ok_or_else(|| refuse(401, "invalid x-api-key"))
}

fn anthropic_admin(c: &Call, st: &mut State, path: &[&str]) -> Outcome {
    match (c.method, path) {
        ("GET", ["api_keys"]) => {
            c.query.check(
                &[
                    "after_id",
                    "before_id",
                    "limit",
                    "status",
                    "workspace_id",
                    "created_by_user_id",
                ],
                &[],
            )?;
            let limit = c.query.int("limit", 1, 1000, 20)? as usize;
            let status = c.query.get("status");
            if let Some(s) = status
                && !["active", "inactive", "archived", "expired"].contains(&s)
            {
                return Err(bad(format!("status {s:?}")));
            }
            let workspace = c.query.get("workspace_id");
            let creator = c.query.get("created_by_user_id");
            // Newest first.
            let order: Vec<&Key> = st.keys.iter().rev().collect();
            let now = c.now;
            let (page, more) = cursor_page(
                &order,
                |k| &k.fake.id,
                |k| {
                    status.is_none_or(|s| s == anthropic_status(k, now))
                        && workspace.is_none_or(|w| w == ANTHROPIC_WORKSPACE)
                        && creator.is_none_or(|u| u == OWNER_USER)
                },
                c.query.get("after_id"),
                c.query.get("before_id"),
                limit,
            )?;
            Ok((
                200,
                json!({
                    "data": page.iter().map(|k| anthropic_key_json(k, now)).collect::<Vec<_>>(),
                    "has_more": more,
                    "first_id": page.first().map(|k| &k.fake.id),
                    "last_id": page.last().map(|k| &k.fake.id)}),
            ))
        }
        ("POST", ["api_keys"]) => Err(contract(404, "no route")),
        ("GET" | "POST", ["api_keys", id]) => {
            c.query.check(&[], &[])?;
            let update = if c.method == "POST" {
                let b = body(c, &["name", "status"])?;
                let name = match opt_str(&b, "name")? {
                    Some("") => return Err(bad("name must not be empty")),
                    other => other.map(str::to_owned),
                };
                let status = match opt_str(&b, "status")? {
                    None => None,
                    Some("active") => Some(KeyStatus::Active),
                    Some("inactive") => Some(KeyStatus::Disabled),
                    Some("archived") => Some(KeyStatus::Archived),
                    Some(other) => {
                        return Err(bad(format!(
                            "status: Input should be 'active', 'inactive' or 'archived', got {other:?}"
                        )));
                    }
                };
                Some((name, status))
            } else {
                None
            };
            let Some(key) = st.key_mut(id) else {
                return Err(refuse(404, format!("API key {id} not found")));
            };
            if let Some((name, status)) = update {
                if key.fake.status == KeyStatus::Archived {
                    return Err(refuse(400, "Cannot update an archived API key"));
                }
                if status.is_some() && st.refuse_deletes {
                    return Err(refuse(
                        403,
                        "Your API key does not have permission to use the specified resource",
                    ));
                }
                let key = st.key_mut(id).unwrap();
                if let Some(name) = name {
                    key.fake.name = name;
                }
                if let Some(status) = status {
                    key.fake.status = status;
                }
                key.updated_at = Some(c.now);
            }
            Ok((200, anthropic_key_json(st.key(id).unwrap(), c.now)))
        }
        ("GET", ["usage_report", "messages"]) => anthropic_usage(c, st),
        _ => Err(contract(404, "no route")),
    }
}

/// The status the wire shows: `expired` once past `expires_at` unless archived.
fn anthropic_status(k: &Key, now: u64) -> &'static str {
    match k.fake.status {
        KeyStatus::Archived | KeyStatus::Deleted => "archived",
        _ if k.fake.expires_at.is_some_and(|e| now >= e) => "expired",
        KeyStatus::Disabled => "inactive",
        KeyStatus::Active => "active",
    }
}

fn anthropic_key_json(k: &Key, now: u64) -> Value {
    json!({
        "id": k.fake.id, "type": "api_key", "name": k.fake.name,
        "status": anthropic_status(k, now), "created_at": rfc3339(k.fake.created_at),
        "created_by": {"id": OWNER_USER, "type": "user"},
        "expires_at": k.fake.expires_at.map(rfc3339),
        "partial_key_hint": mask(&k.fake.value, 16, 4),
        "principal": {"type": "user_actor", "user_id": OWNER_USER},
        "scope": {"type": "workspace", "workspace_id": ANTHROPIC_WORKSPACE}})
}

fn anthropic_usage(c: &Call, st: &State) -> Outcome {
    c.query.check(
        &["starting_at", "ending_at", "bucket_width", "limit", "page"],
        &[
            "group_by",
            "api_key_ids",
            "workspace_ids",
            "models",
            "service_tiers",
            "context_window",
            "inference_geos",
            "account_ids",
            "service_account_ids",
        ],
    )?;
    let time = |name: &str| match c.query.get(name) {
        None => Ok(None),
        Some(s) => match parse_rfc3339(s) {
            Some(t) if t >= 0 => Ok(Some(t as u64)),
            _ => Err(bad(format!(
                "{name} must be an RFC 3339 timestamp, got {s:?}"
            ))),
        },
    };
    let Some(start) = time("starting_at")? else {
        return Err(bad("starting_at is required"));
    };
    let end = match time("ending_at")? {
        None => c.now + 1,
        Some(e) if e > start => e,
        Some(_) => return Err(bad("ending_at must be after starting_at")),
    };
    let width_name = c.query.get("bucket_width").unwrap_or("1d");
    let Some((width, default, max)) = bucket_width(width_name) else {
        return Err(bad(format!("bucket_width {width_name:?}")));
    };
    let limit = c.query.int("limit", 1, max, default)?;
    let groups = [
        "api_key_id",
        "workspace_id",
        "model",
        "service_tier",
        "context_window",
        "inference_geo",
        "account_id",
        "service_account_id",
        "speed",
    ];
    let group_by = c.query.all("group_by");
    if let Some(g) = group_by.iter().find(|g| !groups.contains(g)) {
        return Err(bad(format!("group_by {g:?}")));
    }
    let workspaces = c.query.all("workspace_ids");
    let keys = c.query.all("api_key_ids");
    let by_key = group_by.contains(&"api_key_id");
    let by_workspace = group_by.contains(&"workspace_id");
    let (starts, next) = bucket_starts(start, end, width, limit, c.query.get("page"))?;
    let data: Vec<Value> = starts
        .into_iter()
        .map(|b| {
            let rows = if workspaces.is_empty() || workspaces.contains(&ANTHROPIC_WORKSPACE) {
                totals(st, b, b + width, &keys, by_key)
            } else {
                BTreeMap::new()
            };
            let results: Vec<Value> = rows
                .into_iter()
                .map(|(key, t)| {
                    json!({"uncached_input_tokens": t.input,
                           "cache_creation": {"ephemeral_1h_input_tokens": 0,
                                              "ephemeral_5m_input_tokens": 0},
                           "cache_read_input_tokens": 0, "output_tokens": t.output,
                           "server_tool_use": {"web_search_requests": 0},
                           "api_key_id": key,
                           "workspace_id": by_workspace.then_some(ANTHROPIC_WORKSPACE),
                           "model": null, "service_tier": null, "context_window": null,
                           "inference_geo": null})
                })
                .collect();
            json!({"starting_at": rfc3339(b), "ending_at": rfc3339(b + width),
                   "results": results})
        })
        .collect();
    Ok((
        200,
        json!({"data": data, "has_more": next.is_some(), "next_page": next}),
    ))
}

// ---------------------------------------------------------------------------------------
// Small helpers: time, hashing, masking

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Money sums without float noise (0.1 + 0.2 style).
fn round(x: f64) -> f64 {
    (x * 1e10).round() / 1e10
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0; bytes];
    getrandom::fill(&mut buf).unwrap();
    hex(&buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex SHA-256: OpenRouter's key hash.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The first `head` and last `tail` characters around `...`; `***` when too short.
fn mask(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "***".to_owned();
    }
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}...{end}")
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2026-12-05T10:00:00Z`.
pub fn rfc3339(secs: u64) -> String {
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Unix seconds of an RFC 3339 date-time (`Z` or `±HH:MM`, optional fraction).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        i += digits;
    }
    let offset = match &s[i..] {
        "Z" | "z" => 0,
        zone if zone.len() == 6 && zone.as_bytes()[3] == b':' => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

// ---------------------------------------------------------------------------------------
// Tests of the fake itself: `cargo test --test cli admin_fake`

mod client {
    //! A tiny HTTP/1.1 client for the tests below.

    use super::*;

    /// Sends one request; the status and JSON body. Asserts a JSON content type.
    pub fn send(
        root: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> (u16, Value) {
        let addr = root.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        if !body.is_empty() {
            req.push_str("content-type: application/json\r\n");
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        stream.write_all(req.as_bytes()).unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{head}"
        );
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, serde_json::from_str(body).unwrap())
    }
}

use client::send;

const ADMIN: &str = "sk-admin-test-0123456789";

fn today() -> u64 {
    now() / 86_400 * 86_400
}

#[test]
fn admin_fake_sha256_known_vectors() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn admin_fake_time_round_trips() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(1_798_761_599), "2026-12-31T23:59:59Z");
    assert_eq!(parse_rfc3339("2026-12-31T23:59:59Z"), Some(1_798_761_599));
    assert_eq!(
        parse_rfc3339("2026-12-31T23:59:59.123+00:00"),
        Some(1_798_761_599)
    );
    assert_eq!(
        parse_rfc3339("2027-01-01T01:59:59+02:00"),
        Some(1_798_761_599)
    );
    assert_eq!(parse_rfc3339("2026-12-31"), None);
    assert_eq!(parse_rfc3339("2026-12-31T23:59:59"), None);
    for secs in [951_782_400, 1_709_164_800, 4_102_444_800] {
        assert_eq!(parse_rfc3339(&rfc3339(secs)), Some(secs as i64));
    }
}

fn oa_call(fake: &AdminFake, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let auth = format!("Bearer {ADMIN}");
    send(
        &fake.root,
        method,
        path,
        &[("authorization", &auth)],
        body.as_ref(),
    )
}

#[test]
fn admin_fake_openai_mint_list_paginate_delete() {
    let fake = AdminFake::start(Flavor::OpenAi, ADMIN);
    assert_eq!(fake.api_base(), format!("{}/v1", fake.root));
    let human = fake.seed_key("laptop", "sk-proj-human-0000000000000000abcd");
    let sas = "/v1/organization/projects/proj_test/service_accounts";

    let (status, sa) = oa_call(
        &fake,
        "POST",
        sas,
        Some(json!({"name": "byok-host-s1", "expires_in_seconds": 3600})),
    );
    assert_eq!(status, 200, "{sa}");
    assert_eq!(sa["object"], "organization.project.service_account");
    assert_eq!(sa["role"], "member");
    let key = &sa["api_key"];
    assert_eq!(
        key["object"],
        "organization.project.service_account.api_key"
    );
    let value = key["value"].as_str().unwrap().to_owned();
    assert!(value.starts_with("sk-svcacct-test-"), "{value}");
    assert_eq!(
        key["expires_at"].as_u64().unwrap(),
        key["created_at"].as_u64().unwrap() + 3600
    );
    let sa_id = sa["id"].as_str().unwrap().to_owned();
    assert!(sa_id.starts_with("svc_acct_"));
    assert!(fake.is_usable(&value));

    // A second key on the same service account.
    let (status, second) = oa_call(
        &fake,
        "POST",
        &format!("{sas}/{sa_id}/api_keys"),
        Some(json!({"name": "second", "scopes": ["api.responses.write"]})),
    );
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["expires_at"], Value::Null);

    // Inference with the minted key.
    let auth = format!("Bearer {value}");
    let (status, reply) = send(
        &fake.root,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &auth)],
        Some(
            &json!({"model": "gpt-4.1-nano", "max_completion_tokens": 16,
                     "messages": [{"role": "user", "content": "Reply with 'ok'"}]}),
        ),
    );
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["model"], "gpt-4.1-nano");
    assert_eq!(reply["usage"]["prompt_tokens"], 10);
    assert_eq!(fake.inference_count(&value), 1);

    // Three keys, two per page.
    let keys = "/v1/organization/projects/proj_test/api_keys";
    let (status, page) = oa_call(&fake, "GET", &format!("{keys}?limit=2"), None);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["object"], "list");
    assert_eq!(page["has_more"], true);
    assert_eq!(page["data"][0]["id"], human.as_str());
    assert_eq!(page["data"][0]["owner"]["type"], "user");
    assert_eq!(page["data"][0]["redacted_value"], "sk-proj-...abcd");
    assert_eq!(
        page["data"][1]["owner"]["service_account"]["id"],
        sa_id.as_str()
    );
    assert!(page["data"][1]["last_used_at"].is_u64());
    let last = page["last_id"].as_str().unwrap();
    let (_, next) = oa_call(&fake, "GET", &format!("{keys}?limit=2&after={last}"), None);
    assert_eq!(next["has_more"], false);
    assert_eq!(next["data"].as_array().unwrap().len(), 1);
    assert_eq!(next["data"][0]["name"], "second");

    // Delete the human key; the list and inference forget it.
    let (status, deleted) = oa_call(&fake, "DELETE", &format!("{keys}/{human}"), None);
    assert_eq!(status, 200);
    assert_eq!(deleted["object"], "organization.project.api_key.deleted");
    assert!(!fake.is_usable("sk-proj-human-0000000000000000abcd"));
    let (status, _) = oa_call(&fake, "GET", &format!("{keys}/{human}"), None);
    assert_eq!(status, 404);

    // Service-account list, then delete it with its keys.
    let (_, list) = oa_call(&fake, "GET", sas, None);
    assert_eq!(list["data"][0]["id"], sa_id.as_str());
    let (status, gone) = oa_call(&fake, "DELETE", &format!("{sas}/{sa_id}"), None);
    assert_eq!(status, 200);
    assert_eq!(
        gone["object"],
        "organization.project.service_account.deleted"
    );
    assert_eq!(gone["deleted"], true);
    assert_eq!(
        fake.service_accounts(),
        vec![(sa_id, "byok-host-s1".to_owned(), true)]
    );
    assert!(fake.keys().iter().all(|k| k.status == KeyStatus::Deleted));
    let (status, err) = send(
        &fake.root,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &auth)],
        Some(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]})),
    );
    assert_eq!(status, 401);
    assert_eq!(err["error"]["code"], "invalid_api_key");
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[test]
fn admin_fake_openai_errors() {
    let fake = AdminFake::start(Flavor::OpenAi, ADMIN);
    let sas = "/v1/organization/projects/proj_test/service_accounts";
    // Wrong admin key: 401 envelope, a problem.
    let (status, err) = send(
        &fake.root,
        "GET",
        sas,
        &[("authorization", "Bearer sk-admin-wrong-000000")],
        None,
    );
    assert_eq!(status, 401);
    assert_eq!(err["error"]["type"], "invalid_request_error");
    assert_eq!(err["error"]["param"], Value::Null);
    assert_eq!(err["error"]["code"], "invalid_api_key");
    assert_eq!(fake.problems().len(), 1);

    for ttl in [0, 31_536_001] {
        let body = json!({"name": "x", "expires_in_seconds": ttl});
        let (status, _) = oa_call(&fake, "POST", sas, Some(body));
        assert_eq!(status, 400);
    }
    let (status, _) = oa_call(
        &fake,
        "POST",
        sas,
        Some(json!({"name": "x", "create_service_account_only": true, "expires_in_seconds": 60})),
    );
    assert_eq!(status, 400);
    assert_eq!(fake.problems().len(), 4);

    let (status, only) = oa_call(
        &fake,
        "POST",
        sas,
        Some(json!({"name": "bare", "create_service_account_only": true})),
    );
    assert_eq!(status, 200);
    assert_eq!(only["api_key"], Value::Null);
    assert_eq!(only["role"], "none");

    // Another project: 404, not a problem.
    let (status, _) = oa_call(
        &fake,
        "GET",
        "/v1/organization/projects/proj_other/api_keys",
        None,
    );
    assert_eq!(status, 404);
    // An unknown route: 404, a problem.
    let (status, err) = oa_call(&fake, "GET", "/v1/organization/nothing", None);
    assert_eq!(status, 404);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid URL")
    );
    assert_eq!(fake.problems().len(), 5);

    // Refused deletes, then expiry.
    let (_, sa) = oa_call(&fake, "POST", sas, Some(json!({"name": "byok-2"})));
    let key_id = sa["api_key"]["id"].as_str().unwrap().to_owned();
    let value = sa["api_key"]["value"].as_str().unwrap().to_owned();
    fake.set_refuse_deletes(true);
    let keys = "/v1/organization/projects/proj_test/api_keys";
    let (status, err) = oa_call(&fake, "DELETE", &format!("{keys}/{key_id}"), None);
    assert_eq!(status, 403, "{err}");
    assert!(err["error"]["message"].is_string());
    let sa_path = format!("{sas}/{}", sa["id"].as_str().unwrap());
    assert_eq!(oa_call(&fake, "DELETE", &sa_path, None).0, 403);
    fake.set_refuse_deletes(false);
    assert!(fake.is_usable(&value));
    fake.expire(&key_id);
    assert!(!fake.is_usable(&value));
    let auth = format!("Bearer {value}");
    let (status, _) = send(
        &fake.root,
        "GET",
        "/v1/models",
        &[("authorization", &auth)],
        None,
    );
    assert_eq!(status, 401);
    assert_eq!(fake.problems().len(), 5);
}

#[test]
fn admin_fake_openai_usage_and_costs() {
    let fake = AdminFake::start(Flavor::OpenAi, ADMIN);
    let a = fake.seed_key("a", "sk-proj-aaaaaaaaaaaaaaaaaaaa");
    let b = fake.seed_key("b", "sk-proj-bbbbbbbbbbbbbbbbbbbb");
    let yesterday = today() - 86_400;
    fake.add_usage(&a, yesterday, 100, 20, 3, 0.5);
    fake.add_usage(&b, yesterday, 7, 1, 1, 0.25);
    let (status, _) = send(
        &fake.root,
        "POST",
        "/v1/chat/completions",
        &[("authorization", "Bearer sk-proj-aaaaaaaaaaaaaaaaaaaa")],
        Some(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]})),
    );
    assert_eq!(status, 200);

    let path = format!(
        "/v1/organization/usage/completions?start_time={yesterday}&bucket_width=1d&group_by%5B%5D=api_key_id&limit=1"
    );
    let (status, page) = oa_call(&fake, "GET", &path, None);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["object"], "page");
    assert_eq!(page["has_more"], true);
    let bucket = &page["data"][0];
    assert_eq!(bucket["object"], "bucket");
    assert_eq!(bucket["start_time"], yesterday);
    let results = bucket["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let row_a = results
        .iter()
        .find(|r| r["api_key_id"] == a.as_str())
        .unwrap();
    assert_eq!(row_a["object"], "organization.usage.completions.result");
    assert_eq!(row_a["input_tokens"], 100);
    assert_eq!(row_a["num_model_requests"], 3);
    let next = page["next_page"].as_str().unwrap();
    let (_, page2) = oa_call(&fake, "GET", &format!("{path}&page={next}"), None);
    assert_eq!(page2["has_more"], false);
    assert_eq!(page2["data"][0]["results"][0]["input_tokens"], 10);
    assert_eq!(page2["data"][0]["results"][0]["output_tokens"], 1);

    // Filtered to one key, not grouped.
    let path =
        format!("/v1/organization/usage/completions?start_time={yesterday}&api_key_ids[]={b}");
    let (_, page) = oa_call(&fake, "GET", &path, None);
    assert_eq!(page["data"][0]["results"][0]["input_tokens"], 7);
    assert_eq!(page["data"][0]["results"][0]["api_key_id"], Value::Null);
    assert_eq!(page["data"][1]["results"], json!([]));

    // Costs.
    let path = format!("/v1/organization/costs?start_time={yesterday}&group_by[]=api_key_id");
    let (status, costs) = oa_call(&fake, "GET", &path, None);
    assert_eq!(status, 200, "{costs}");
    let rows = costs["data"][0]["results"].as_array().unwrap();
    let row_b = rows.iter().find(|r| r["api_key_id"] == b.as_str()).unwrap();
    assert_eq!(row_b["object"], "organization.costs.result");
    assert_eq!(row_b["amount"], json!({"value": 0.25, "currency": "usd"}));
    assert_eq!(costs["data"][1]["results"][0]["amount"]["value"], 0.0001);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());

    // Contract breaks: arrays without brackets, a limit over the maximum, 1h costs.
    for bad in [
        format!("/v1/organization/usage/completions?start_time={yesterday}&group_by=api_key_id"),
        format!(
            "/v1/organization/usage/completions?start_time={yesterday}&bucket_width=1h&limit=169"
        ),
        "/v1/organization/usage/completions?bucket_width=1d".to_owned(),
        format!("/v1/organization/costs?start_time={yesterday}&bucket_width=1h"),
    ] {
        assert_eq!(oa_call(&fake, "GET", &bad, None).0, 400, "{bad}");
    }
    assert_eq!(fake.problems().len(), 4);
    assert!(fake.problems()[0].contains("group_by[]"));
}

fn or_call(fake: &AdminFake, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let auth = format!("Bearer {ADMIN}");
    let path = format!("/api/v1{path}");
    send(
        &fake.root,
        method,
        &path,
        &[("authorization", &auth)],
        body.as_ref(),
    )
}

#[test]
fn admin_fake_openrouter_lifecycle() {
    let fake = AdminFake::start(Flavor::OpenRouter, ADMIN);
    assert_eq!(fake.api_base(), format!("{}/api/v1", fake.root));
    let expires = rfc3339(now() + 3600);
    let (status, created) = or_call(
        &fake,
        "POST",
        "/keys",
        Some(
            json!({"name": "byok-s1", "limit": 5.0, "limit_reset": "daily",
                    "expires_at": expires}),
        ),
    );
    assert_eq!(status, 201, "{created}");
    let value = created["key"].as_str().unwrap().to_owned();
    assert!(
        value.starts_with("sk-or-v1-") && value.len() == 9 + 64,
        "{value}"
    );
    let hash = created["data"]["hash"].as_str().unwrap().to_owned();
    assert_eq!(hash, sha256_hex(value.as_bytes()));
    let label = created["data"]["label"].as_str().unwrap();
    assert_eq!(
        label,
        format!("sk-or-v1-{}...{}", &value[9..12], &value[value.len() - 4..])
    );
    assert_eq!(created["data"]["expires_at"], expires.as_str());
    assert_eq!(created["data"]["limit_remaining"], 5.0);

    // UTC offsets in the +00:00 form are fine; other zones are not.
    let plus = json!({"name": "plus", "expires_at": "2099-01-01T00:00:00+00:00"});
    assert_eq!(or_call(&fake, "POST", "/keys", Some(plus)).0, 201);
    for zone in [
        "2099-01-01T00:00:00+02:00",
        "2099-01-01T00:00:00",
        "2099-01-01",
    ] {
        let body = json!({"name": "zoned", "expires_at": zone});
        let (status, err) = or_call(&fake, "POST", "/keys", Some(body));
        assert_eq!(status, 400, "{zone}");
        assert_eq!(err["error"]["code"], 400);
        assert_eq!(err["error"]["metadata"], Value::Null);
    }
    assert_eq!(fake.problems().len(), 3);

    // Inference with the new key, then its usage and `GET /key`.
    let auth = format!("Bearer {value}");
    let (status, reply) = send(
        &fake.root,
        "POST",
        "/api/v1/chat/completions",
        &[("authorization", &auth)],
        Some(&json!({"model": "openai/gpt-4o-mini", "max_tokens": 8,
                     "messages": [{"role": "user", "content": "Reply with 'ok'"}]})),
    );
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["choices"][0]["message"]["content"], "ok");
    assert_eq!(fake.inference_count(&value), 1);
    let (_, current) = send(
        &fake.root,
        "GET",
        "/api/v1/key",
        &[("authorization", &auth)],
        None,
    );
    assert_eq!(current["data"]["usage_daily"], 0.0001);
    assert_eq!(current["data"]["is_management_key"], false);
    assert!(current["data"].get("hash").is_none());

    // An inference key on a management route.
    let (status, err) = send(
        &fake.root,
        "GET",
        "/api/v1/keys",
        &[("authorization", &auth)],
        None,
    );
    assert_eq!(status, 403);
    assert_eq!(
        err["error"]["message"],
        "Only management keys can perform this operation"
    );
    assert_eq!(fake.problems().len(), 4);

    // Disable: hidden from the default list, unusable, shown with include_disabled.
    let (status, patched) = or_call(
        &fake,
        "PATCH",
        &format!("/keys/{hash}"),
        Some(json!({"disabled": true})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["data"]["disabled"], true);
    assert!(!fake.is_usable(&value));
    let (_, list) = or_call(&fake, "GET", "/keys", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let (_, list) = or_call(&fake, "GET", "/keys?include_disabled=true", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    let (status, _) = send(
        &fake.root,
        "POST",
        "/api/v1/chat/completions",
        &[("authorization", &auth)],
        Some(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]})),
    );
    assert_eq!(status, 401);

    // expires_at cannot be patched.
    let (status, _) = or_call(
        &fake,
        "PATCH",
        &format!("/keys/{hash}"),
        Some(json!({"expires_at": "2099-01-01T00:00:00Z"})),
    );
    assert_eq!(status, 400);
    assert_eq!(fake.problems().len(), 5);

    // Refused, then deleted.
    fake.set_refuse_deletes(true);
    assert_eq!(
        or_call(&fake, "DELETE", &format!("/keys/{hash}"), None).0,
        403
    );
    let enable = Some(json!({"disabled": false}));
    assert_eq!(
        or_call(&fake, "PATCH", &format!("/keys/{hash}"), enable).0,
        403
    );
    let rename = Some(json!({"name": "renamed"}));
    assert_eq!(
        or_call(&fake, "PATCH", &format!("/keys/{hash}"), rename).0,
        200
    );
    fake.set_refuse_deletes(false);
    let (status, deleted) = or_call(&fake, "DELETE", &format!("/keys/{hash}"), None);
    assert_eq!(status, 200);
    assert_eq!(deleted, json!({"deleted": true}));
    assert_eq!(or_call(&fake, "GET", &format!("/keys/{hash}"), None).0, 404);
    let key = fake.keys().into_iter().find(|k| k.id == hash).unwrap();
    assert_eq!(key.status, KeyStatus::Deleted);
    assert_eq!(key.name, "renamed");
    assert_eq!(key.limit, Some(5.0));
    assert_eq!(fake.problems().len(), 5, "{:?}", fake.problems());
}

#[test]
fn admin_fake_openrouter_pages_and_auth() {
    let fake = AdminFake::start(Flavor::OpenRouter, ADMIN);
    for i in 0..101 {
        let value = format!("sk-or-v1-{}", sha256_hex(format!("{i}").as_bytes()));
        let hash = fake.seed_key(&format!("k{i}"), &value);
        assert_eq!(hash, sha256_hex(value.as_bytes()));
    }
    let (_, first) = or_call(&fake, "GET", "/keys", None);
    assert_eq!(first["data"].as_array().unwrap().len(), 100);
    assert!(first.get("has_more").is_none());
    let (_, second) = or_call(&fake, "GET", "/keys?offset=100", None);
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["name"], "k100");
    let other = "/keys?workspace_id=11111111-2222-3333-4444-555555555555";
    let (_, other) = or_call(&fake, "GET", other, None);
    assert_eq!(other["data"], json!([]));
    assert!(fake.problems().is_empty());

    let (status, err) = send(&fake.root, "GET", "/api/v1/keys", &[], None);
    assert_eq!(status, 401);
    assert_eq!(err["error"]["code"], 401);
    let (status, _) = or_call(&fake, "GET", "/keys?include_disabled=yes", None);
    assert_eq!(status, 400);
    let (status, _) = or_call(&fake, "POST", "/keys", Some(json!({"limit": 1})));
    assert_eq!(status, 400);
    let body = Some(json!({"name": "x", "limit_reset": "yearly"}));
    assert_eq!(or_call(&fake, "POST", "/keys", body).0, 400);
    assert_eq!(or_call(&fake, "GET", "/nothing", None).0, 404);
    assert_eq!(fake.problems().len(), 5, "{:?}", fake.problems());
}

#[test]
fn admin_fake_openrouter_activity() {
    let fake = AdminFake::start(Flavor::OpenRouter, ADMIN);
    let value = "sk-or-v1-activity-0123456789abcdef";
    let a = fake.seed_key("a", value);
    let b = fake.seed_key("b", "sk-or-v1-activity-other-0123456789");
    let yesterday = today() - 86_400;
    fake.add_usage(&a, yesterday + 60, 100, 20, 3, 0.5);
    fake.add_usage(&a, yesterday - 86_400, 7, 1, 1, 0.25);
    fake.add_usage(&b, yesterday, 5, 5, 1, 0.1);
    // Today is not a completed day: not in the activity.
    fake.add_usage(&a, today(), 1_000, 1, 1, 9.0);
    fake.add_usage(&a, today() - 31 * 86_400, 1_000, 1, 1, 9.0);

    let (status, page) = or_call(&fake, "GET", &format!("/activity?api_key_hash={a}"), None);
    assert_eq!(status, 200, "{page}");
    let rows = page["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{page}");
    let row = rows
        .iter()
        .find(|r| r["date"] == rfc3339(yesterday)[..10])
        .unwrap();
    assert_eq!(row["prompt_tokens"], 100);
    assert_eq!(row["completion_tokens"], 20);
    assert_eq!(row["requests"], 3);
    assert_eq!(row["usage"], 0.5);
    let date = &rfc3339(yesterday)[..10];
    let (_, all) = or_call(&fake, "GET", &format!("/activity?date={date}"), None);
    assert_eq!(all["data"][0]["prompt_tokens"], 105, "{all}");
    let (_, none) = or_call(&fake, "GET", "/activity?api_key_hash=0000", None);
    assert_eq!(none["data"], json!([]));
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());

    // A management route: no key, an inference key, a bad date.
    let (status, _) = send(&fake.root, "GET", "/api/v1/activity", &[], None);
    assert_eq!(status, 401);
    let auth = format!("Bearer {value}");
    let (status, _) = send(
        &fake.root,
        "GET",
        "/api/v1/activity",
        &[("authorization", &auth)],
        None,
    );
    assert_eq!(status, 403);
    let today_date = &rfc3339(today())[..10];
    let (status, _) = or_call(&fake, "GET", &format!("/activity?date={today_date}"), None);
    assert_eq!(status, 400);
    assert_eq!(fake.problems().len(), 3, "{:?}", fake.problems());
}

fn an_call(fake: &AdminFake, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let headers = [("x-api-key", ADMIN), ("anthropic-version", "2023-06-01")];
    send(&fake.root, method, path, &headers, body.as_ref())
}

#[test]
fn admin_fake_anthropic_lifecycle() {
    let fake = AdminFake::start(Flavor::Anthropic, ADMIN);
    assert_eq!(fake.api_base(), fake.root);
    let values = [
        "sk-ant-api03-R2DxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxigAA",
        "sk-ant-api03-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbBBAA",
        "sk-ant-api03-cccccccccccccccccccccccccccccccccccccccccccCCAA",
    ];
    let ids: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| fake.seed_key(&format!("k{i}"), v))
        .collect();
    assert!(ids.iter().all(|id| id.starts_with("apikey_")));

    // Newest first, two per page, after_id and before_id.
    let (status, page) = an_call(&fake, "GET", "/v1/organizations/api_keys?limit=2", None);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["has_more"], true);
    assert_eq!(page["first_id"], ids[2].as_str());
    assert_eq!(page["last_id"], ids[1].as_str());
    let after = format!("/v1/organizations/api_keys?limit=2&after_id={}", ids[1]);
    let (_, next) = an_call(&fake, "GET", &after, None);
    assert_eq!(next["data"].as_array().unwrap().len(), 1);
    assert_eq!(next["has_more"], false);
    let oldest = &next["data"][0];
    assert_eq!(oldest["type"], "api_key");
    assert_eq!(oldest["status"], "active");
    assert_eq!(oldest["partial_key_hint"], "sk-ant-api03-R2D...igAA");
    assert_eq!(oldest["scope"]["type"], "workspace");
    assert!(parse_rfc3339(oldest["created_at"].as_str().unwrap()).is_some());
    let before = format!("/v1/organizations/api_keys?limit=1&before_id={}", ids[0]);
    let (_, prev) = an_call(&fake, "GET", &before, None);
    assert_eq!(prev["data"][0]["id"], ids[1].as_str());
    assert_eq!(prev["has_more"], true);

    // Inference, then inactive and back.
    let infer = |value: &str| {
        send(
            &fake.root,
            "POST",
            "/v1/messages",
            &[("x-api-key", value), ("anthropic-version", "2023-06-01")],
            Some(&json!({"model": "claude-haiku-4-5", "max_tokens": 5,
                         "messages": [{"role": "user", "content": "Reply with 'ok'"}]})),
        )
    };
    let (status, reply) = infer(values[0]);
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["type"], "message");
    assert_eq!(reply["usage"]["input_tokens"], 10);
    let key0 = format!("/v1/organizations/api_keys/{}", ids[0]);
    let (status, key) = an_call(&fake, "POST", &key0, Some(json!({"status": "inactive"})));
    assert_eq!(status, 200, "{key}");
    assert_eq!(key["status"], "inactive");
    let (status, err) = infer(values[0]);
    assert_eq!(status, 401);
    assert_eq!(err["type"], "error");
    assert_eq!(err["error"]["type"], "authentication_error");
    assert!(err["request_id"].is_string());
    let active = Some(json!({"status": "active", "name": "renamed"}));
    assert_eq!(an_call(&fake, "POST", &key0, active).0, 200);
    assert_eq!(infer(values[0]).0, 200);
    assert_eq!(fake.inference_count(values[0]), 2);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());

    // refuse_deletes, `expired` and unknown statuses, archive is terminal.
    fake.set_refuse_deletes(true);
    let (status, err) = an_call(&fake, "POST", &key0, Some(json!({"status": "inactive"})));
    assert_eq!(status, 403);
    assert_eq!(err["error"]["type"], "permission_error");
    fake.set_refuse_deletes(false);
    for status in ["expired", "deleted"] {
        let (code, err) = an_call(&fake, "POST", &key0, Some(json!({"status": status})));
        assert_eq!(code, 400);
        assert_eq!(err["error"]["type"], "invalid_request_error");
    }
    assert_eq!(fake.problems().len(), 2);
    let archived = Some(json!({"status": "archived"}));
    assert_eq!(an_call(&fake, "POST", &key0, archived).0, 200);
    assert_eq!(fake.keys()[0].status, KeyStatus::Archived);
    let (status, _) = an_call(&fake, "POST", &key0, Some(json!({"status": "active"})));
    assert_eq!(status, 400);
    assert!(!fake.is_usable(values[0]));

    // Expiry shows as `expired`.
    fake.expire(&ids[1]);
    let (_, key) = an_call(
        &fake,
        "GET",
        &format!("/v1/organizations/api_keys/{}", ids[1]),
        None,
    );
    assert_eq!(key["status"], "expired");
    let (_, expired) = an_call(
        &fake,
        "GET",
        "/v1/organizations/api_keys?status=expired",
        None,
    );
    assert_eq!(expired["data"].as_array().unwrap().len(), 1);
    assert_eq!(infer(values[1]).0, 401);

    // No create endpoint; headers are required.
    let (status, err) = an_call(
        &fake,
        "POST",
        "/v1/organizations/api_keys",
        Some(json!({"name": "x"})),
    );
    assert_eq!(status, 404);
    assert_eq!(err["error"]["type"], "not_found_error");
    let (status, err) = send(
        &fake.root,
        "GET",
        "/v1/organizations/api_keys",
        &[("x-api-key", ADMIN)],
        None,
    );
    assert_eq!(status, 400);
    assert_eq!(err["error"]["type"], "invalid_request_error");
    let (status, _) = send(
        &fake.root,
        "GET",
        "/v1/organizations/api_keys",
        &[
            ("x-api-key", values[2]),
            ("anthropic-version", "2023-06-01"),
        ],
        None,
    );
    assert_eq!(status, 401);
    assert_eq!(fake.problems().len(), 5, "{:?}", fake.problems());
}

#[test]
fn admin_fake_anthropic_usage_report() {
    let fake = AdminFake::start(Flavor::Anthropic, ADMIN);
    let a = fake.seed_key("a", "sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaAA");
    let b = fake.seed_key("b", "sk-ant-api03-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbAA");
    let day = today() - 2 * 86_400;
    fake.add_usage(&a, day, 50, 5, 2, 0.1);
    fake.add_usage(&b, day + 86_400, 60, 6, 1, 0.2);
    let start = rfc3339(day + 3600);
    let path = format!(
        "/v1/organizations/usage_report/messages?starting_at={}&group_by%5B%5D=api_key_id&limit=2",
        start.replace(':', "%3A")
    );
    let (status, page) = an_call(&fake, "GET", &path, None);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["data"][0]["starting_at"], rfc3339(day));
    assert_eq!(page["data"][0]["ending_at"], rfc3339(day + 86_400));
    let row = &page["data"][0]["results"][0];
    assert_eq!(row["api_key_id"], a.as_str());
    assert_eq!(row["uncached_input_tokens"], 50);
    assert_eq!(row["output_tokens"], 5);
    assert_eq!(page["data"][1]["results"][0]["api_key_id"], b.as_str());
    assert_eq!(page["has_more"], true);
    let next = page["next_page"].as_str().unwrap();
    let (_, page2) = an_call(&fake, "GET", &format!("{path}&page={next}"), None);
    assert_eq!(page2["has_more"], false);
    assert_eq!(page2["data"][0]["results"], json!([]));

    let filtered =
        format!("/v1/organizations/usage_report/messages?starting_at={start}&api_key_ids[]={b}");
    let (_, page) = an_call(&fake, "GET", &filtered, None);
    assert_eq!(page["data"][0]["results"], json!([]));
    assert_eq!(page["data"][1]["results"][0]["uncached_input_tokens"], 60);
    assert_eq!(page["data"][1]["results"][0]["api_key_id"], Value::Null);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());

    for bad in [
        "/v1/organizations/usage_report/messages?bucket_width=1d".to_owned(),
        format!("/v1/organizations/usage_report/messages?starting_at={start}&group_by=api_key_id"),
        format!("/v1/organizations/usage_report/messages?starting_at={start}&limit=32"),
        "/v1/organizations/usage_report/messages?starting_at=yesterday".to_owned(),
    ] {
        assert_eq!(an_call(&fake, "GET", &bad, None).0, 400, "{bad}");
    }
    assert_eq!(fake.problems().len(), 4);
}
