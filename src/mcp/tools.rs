//! The tools of `byok mcp`. None returns a key: none can read one (the process cannot
//! unlock), and the only secret-like string any of them returns is a placeholder token this
//! process asked for and a person (or a pinned policy) granted.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::relay;
use super::request::{self, Request};
use crate::context::Context;
use crate::hygiene::audit::Entry;
use crate::secret::SecretValue;
use crate::term::sanitize;

const NO_KEY: &str = "Never returns an API key.";

/// The tools, in a fixed order.
pub fn list() -> Value {
    let object = |properties: Value, required: &[&str]| json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
    json!([
        {
            "name": "list_models",
            "title": "Models you may use",
            "description": format!("Lists the models and connectors the local byok proxy serves, with each connector's health (its last connection test and any cooldown) and the model's price per million tokens. {NO_KEY}"),
            "inputSchema": object(json!({}), &[]),
            "annotations": {"readOnlyHint": true, "openWorldHint": false},
        },
        {
            "name": "test_connector",
            "title": "Connector health",
            "description": format!("Reports a connector's health without its key: the last connection test byok recorded and the running proxy's cooldown; with through_proxy, also a one-token request through the local proxy using a placeholder granted to this session. {NO_KEY}"),
            "inputSchema": object(json!({"connector": {"type": "string", "maxLength": 64, "description": "the connector's name, from list_models"}, "through_proxy": {"type": "boolean", "description": "send one request of one output token through the proxy with a token granted to this session"}}), &["connector"]),
            "annotations": {"readOnlyHint": true, "openWorldHint": false},
        },
        {
            "name": "usage",
            "title": "Usage and budget left",
            "description": format!("Today's spend (UTC), the daily budget and what is left, and the expiry, of each placeholder token granted to this session (or of one request_id). {NO_KEY}"),
            "inputSchema": object(json!({"request_id": {"type": "string", "maxLength": 32}}), &[]),
            "annotations": {"readOnlyHint": true, "openWorldHint": false},
        },
        {
            "name": "request_access",
            "title": "Ask for a placeholder token",
            "description": format!("Asks the user for a placeholder token for some models, a daily budget in USD and a lifetime (one task), stating who you are and why. Returns at once with status \"pending\" and a request_id: tell the user to run `byok approve` in their own terminal, then poll check_access. The token works only through the local byok proxy. {NO_KEY}"),
            "inputSchema": object(json!({
                "agent": {"type": "string", "maxLength": request::MAX_AGENT, "description": "your name, e.g. \"claude-code\""},
                "reason": {"type": "string", "maxLength": request::MAX_REASON, "description": "the task, in a sentence the user will read"},
                "models": {"type": "array", "items": {"type": "string", "maxLength": request::MAX_GLOB}, "minItems": 1, "maxItems": request::MAX_MODELS, "description": "model names or globs (claude-haiku-*)"},
                "budget_usd_per_day": {"type": "number", "exclusiveMinimum": 0, "maximum": request::MAX_BUDGET_USD},
                "lifetime": {"type": "string", "maxLength": 16, "description": "how long the token lives: 30m, 2h, up to 24h"},
            }), &["agent", "reason", "models", "budget_usd_per_day", "lifetime"]),
            "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": false},
        },
        {
            "name": "check_access",
            "title": "Poll an access request",
            "description": format!("The state of a request made by request_access in this session: pending, denied, granted (with the placeholder token and the proxy's base URL) or expired. Only the session that asked can read its token. {NO_KEY}"),
            "inputSchema": object(json!({"request_id": {"type": "string", "maxLength": 32}}), &["request_id"]),
            "annotations": {"readOnlyHint": true, "openWorldHint": false},
        },
    ])
}

/// A request this process made, with the key its answer is encrypted to.
struct Mine {
    identity: age::x25519::Identity,
    digest: String,
    request: Request,
    granted: Option<Granted>,
}

struct Granted {
    token: SecretValue,
    name: String,
    expires: Option<String>,
}

/// The server's state: the requests it made (their keys exist only here).
pub struct Server<'a> {
    ctx: &'a Context,
    mine: BTreeMap<String, Mine>,
}

type Outcome = std::result::Result<Value, (i64, String)>;

fn success(value: Value) -> Value {
    json!({
        "content": [{"type": "text", "text": value.to_string()}],
        "structuredContent": value,
        "isError": false,
    })
}

fn failure(message: &str) -> Value {
    json!({"content": [{"type": "text", "text": message}], "isError": true})
}

/// A string argument of at most `max` characters.
fn string_arg(
    args: &Map<String, Value>,
    name: &str,
    max: usize,
) -> std::result::Result<Option<String>, String> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() <= max * 4 && s.chars().count() <= max => {
            Ok(Some(s.clone()))
        }
        Some(Value::String(_)) => Err(format!("{name}: at most {max} characters")),
        Some(_) => Err(format!("{name}: a string")),
    }
}

fn required(
    args: &Map<String, Value>,
    name: &str,
    max: usize,
) -> std::result::Result<String, String> {
    string_arg(args, name, max)?.ok_or_else(|| format!("{name}: required"))
}

impl<'a> Server<'a> {
    pub fn new(ctx: &'a Context) -> Self {
        Server {
            ctx,
            mine: BTreeMap::new(),
        }
    }

    /// `tools/call`.
    pub fn call(&mut self, params: &Value) -> Outcome {
        let name = params.get("name").and_then(Value::as_str).unwrap_or("");
        let empty = Map::new();
        let args = match params.get("arguments") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(map)) => map,
            Some(_) => return Err((-32602, "arguments must be an object".into())),
        };
        let result = match name {
            "list_models" => self.list_models(),
            "test_connector" => self.test_connector(args),
            "usage" => self.usage(args),
            "request_access" => self.request_access(args),
            "check_access" => self.check_access(args),
            _ => return Err((-32602, "unknown tool".into())),
        };
        Ok(match result {
            Ok(value) => success(value),
            Err(message) => failure(&message),
        })
    }

    fn home(&self) -> &std::path::Path {
        self.ctx.settings.paths.home()
    }

    fn list_models(&self) -> std::result::Result<Value, String> {
        let config = self
            .ctx
            .config()
            .map_err(|_| "config.toml cannot be read; ask the user to run `byok doctor`")?;
        let prices = crate::ledger::prices::PriceTable::for_config(config);
        let now_ms = crate::ledger::unix_ms(SystemTime::now());
        let cooldowns = crate::proxy::state::unhealthy(self.home());
        let tests = last_tests(self.ctx);
        let mut connectors = Vec::new();
        for c in config.active() {
            let spec = crate::provider::catalog::lookup(&c.kind);
            let model = crate::connector::runtime::effective_model(c, spec);
            let price = (!model.is_empty())
                .then(|| prices.lookup(model, now_ms))
                .flatten()
                .map(|p| json!({"input_usd_per_mtok": p.input, "output_usd_per_mtok": p.output}));
            connectors.push(json!({
                "connector": c.name,
                "type": c.kind,
                "model": model,
                "models": config.connector_models(&c.name),
                "price": price,
                "health": health(&c.name, &cooldowns, &tests),
            }));
        }
        let proxies: Vec<String> = crate::proxy::state::running(self.home())
            .into_iter()
            .map(|s| format!("http://{}", s.listen))
            .collect();
        Ok(json!({
            "connectors": connectors,
            "aliases": config.aliases(),
            "proxies_running": proxies,
            "note": "Models are reached through the byok proxy with a placeholder token (request_access); no key is ever handed out.",
        }))
    }

    fn test_connector(&self, args: &Map<String, Value>) -> std::result::Result<Value, String> {
        let name = required(args, "connector", 64)?;
        if !crate::names::is_valid_connector_name(&name) {
            return Err(format!("connector: {}", crate::names::CONNECTOR_NAME_RULE));
        }
        let config = self
            .ctx
            .config()
            .map_err(|_| "config.toml cannot be read; ask the user to run `byok doctor`")?;
        let Some(connector) = config.active().find(|c| c.name == name) else {
            return Err("no active connector of that name (list_models lists them)".into());
        };
        let cooldowns = crate::proxy::state::unhealthy(self.home());
        let tests = last_tests(self.ctx);
        let health = health(&name, &cooldowns, &tests);
        let live = match args.get("through_proxy") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err("through_proxy: true or false".into()),
        };
        if !live {
            return Ok(json!({
                "connector": name,
                "ran_now": false,
                "health": health,
                "note": "byok mcp holds no key: this is the last test byok recorded and the proxy's cooldown. With through_proxy: true, a one-token request goes through the proxy with a token granted to this session; a full test is `byok connector test NAME`, run by the user.",
            }));
        }
        let spec = crate::provider::catalog::lookup(&connector.kind);
        let model = crate::connector::runtime::effective_model(connector, spec).to_owned();
        let now = SystemTime::now();
        let Some(granted) = self.mine.values().find_map(|m| {
            let g = m.granted.as_ref()?;
            let allows = m
                .request
                .models
                .iter()
                .any(|glob| crate::proxy::token::glob_match(glob, &model));
            (allows && !expired(g.expires.as_deref(), now)).then_some(g)
        }) else {
            return Err(
                "through_proxy needs a token granted to this session for the connector's model (request_access, then check_access)"
                    .into(),
            );
        };
        let Some(listen) = crate::proxy::state::running(self.home())
            .into_iter()
            .find_map(|s| s.listen.parse::<std::net::SocketAddr>().ok())
            .filter(|a| a.ip().is_loopback())
        else {
            return Err("no byok proxy runs for this home; ask the user to start one".into());
        };
        let anthropic = spec.is_some_and(|s| s.id == "anthropic");
        let probe = relay::probe(listen, &granted.token, &model, anthropic);
        Ok(json!({
            "connector": name,
            "model": model,
            "ran_now": true,
            "through_proxy": format!("http://{listen}"),
            "status": probe.status,
            "ok": probe.status.is_some_and(|s| (200..300).contains(&s)),
            "answered_by": probe.connector.as_deref().map(sanitize::line),
            "latency_ms": probe.latency_ms,
            "error": probe.error,
            "health": health,
            "note": "One request of one output token through the proxy, counted against this session's token budget. The proxy answers from the first connector that serves the model (answered_by), which may not be this one when several do.",
        }))
    }

    fn usage(&self, args: &Map<String, Value>) -> std::result::Result<Value, String> {
        let only = string_arg(args, "request_id", 32)?;
        if let Some(id) = &only
            && !self.mine.contains_key(id)
        {
            return Err("request_id: not a request of this session".into());
        }
        let clock = crate::ledger::Clock::from_settings(&self.ctx.settings);
        let spend = crate::ledger::Ledger::open_existing(&self.ctx.settings)
            .ok()
            .flatten()
            .and_then(|l| l.spend_by_token(clock.today_ms()).ok())
            .unwrap_or_default();
        let now = SystemTime::now();
        let mut tokens = Vec::new();
        for (id, mine) in &self.mine {
            if only.as_ref().is_some_and(|o| o != id) {
                continue;
            }
            let Some(granted) = &mine.granted else {
                tokens.push(json!({"request_id": id, "status": "not granted (yet)"}));
                continue;
            };
            let (usd, used) = spend.get(&granted.name).copied().unwrap_or((0.0, 0));
            let budget = mine.request.budget_usd_per_day;
            tokens.push(json!({
                "request_id": id,
                "token_name": granted.name,
                "today_usd": usd,
                "today_tokens": used,
                "budget_usd_per_day": budget,
                "left_usd_today": (budget - usd).max(0.0),
                "expires": granted.expires,
                "expired": expired(granted.expires.as_deref(), now),
            }));
        }
        Ok(json!({"tokens": tokens, "day": "UTC"}))
    }

    fn request_access(&mut self, args: &Map<String, Value>) -> std::result::Result<Value, String> {
        let agent = required(args, "agent", request::MAX_AGENT)?;
        if sanitize::hide_keys(&agent) != agent {
            return Err("agent: looks like a key; not recorded".into());
        }
        let reason = required(args, "reason", request::MAX_REASON)?;
        // A key pasted into the reason never reaches the disk or the approver's terminal,
        // and neither does a control character.
        let reason = sanitize::line(&sanitize::hide_keys(&reason)).into_owned();
        let models = match args.get("models") {
            Some(Value::Array(items)) if items.len() <= request::MAX_MODELS => items
                .iter()
                .map(|v| match v.as_str() {
                    Some(s) if s.len() <= request::MAX_GLOB => Ok(s.to_owned()),
                    _ => Err(format!(
                        "models: strings of at most {} characters",
                        request::MAX_GLOB
                    )),
                })
                .collect::<std::result::Result<Vec<_>, _>>()?,
            Some(Value::Array(_)) => {
                return Err(format!("models: at most {}", request::MAX_MODELS));
            }
            _ => return Err("models: required, a list of model names or globs".into()),
        };
        if models.iter().any(|m| sanitize::hide_keys(m) != *m) {
            return Err("models: a key-shaped model name is refused".into());
        }
        let budget = args
            .get("budget_usd_per_day")
            .and_then(Value::as_f64)
            .ok_or("budget_usd_per_day: required, a number of US dollars")?;
        let lifetime = required(args, "lifetime", 16)?;
        let lifetime = humantime::parse_duration(&lifetime)
            .map_err(|_| "lifetime: a duration such as 30m or 2h")?;
        let identity = age::x25519::Identity::generate();
        let request = Request {
            byok_mcp_request: request::FORMAT,
            id: request::new_id().map_err(|_| "no randomness")?,
            created: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            agent,
            reason,
            models,
            budget_usd_per_day: budget,
            lifetime_secs: lifetime.as_secs(),
            recipient: identity.to_public().to_string(),
        };
        request::check(&request)?;
        let entry = Entry::connector("mcp.request", &request::token_name(&request.id));
        let written = request::write(self.home(), &request);
        let _ = self.ctx.audit_now(
            entry,
            written.as_ref().map(|_| ()).map_err(|e| e.exit() as u8),
        );
        let bytes = written.map_err(|e| format!("the request was not recorded: {e}"))?;
        let id = request.id.clone();
        self.mine.insert(
            id.clone(),
            Mine {
                identity,
                digest: request::digest(&bytes),
                request,
                granted: None,
            },
        );
        Ok(json!({
            "status": "pending",
            "request_id": id,
            "digest": &self.mine[&id].digest[..16],
            "next": "Ask the user to run `byok approve` in their own terminal (it shows this request and its digest), then call check_access with this request_id.",
        }))
    }

    fn check_access(&mut self, args: &Map<String, Value>) -> std::result::Result<Value, String> {
        let id = required(args, "request_id", 32)?;
        if !request::valid_id(&id) {
            return Err("request_id: 32 hexadecimal digits, as request_access returned".into());
        }
        let home = self.home().to_path_buf();
        let Some(mine) = self.mine.get_mut(&id) else {
            return Err(
                "request_id: not a request of this session (only the session that asked can read its answer)"
                    .into(),
            );
        };
        let now = SystemTime::now();
        if mine.granted.is_none() {
            let answer = match request::read_answer(&home, &id, &mine.identity)? {
                Some(answer) => answer,
                None if request::request_path(&home, &id).exists() => {
                    return Ok(json!({
                        "status": "pending",
                        "request_id": id,
                        "waiting": request::age_of(&mine.request.created, now),
                        "next": "The user approves with `byok approve` in their own terminal; poll again in a while.",
                    }));
                }
                None => return Err("the request is gone (removed without an answer)".into()),
            };
            if answer.digest != mine.digest {
                return Err("the answer is for another version of this request; ask again".into());
            }
            match (answer.status.as_str(), &answer.token) {
                ("granted", Some(token)) if crate::proxy::token::is_placeholder(token) => {
                    mine.granted = Some(Granted {
                        token: SecretValue::new(token.clone()),
                        name: answer.token_name.clone().unwrap_or_default(),
                        expires: answer.expires.clone(),
                    });
                }
                ("denied", None) => {
                    return Ok(
                        json!({"status": "denied", "request_id": id, "by": sanitize::line(&answer.by)}),
                    );
                }
                _ => return Err("the answer is not one byok wrote".into()),
            }
        }
        let granted = mine.granted.as_ref().expect("set above");
        if expired(granted.expires.as_deref(), now) {
            return Ok(json!({
                "status": "expired",
                "request_id": id,
                "expires": granted.expires,
                "next": "Ask again with request_access for a new task.",
            }));
        }
        let base = proxy_base(self.ctx);
        Ok(json!({
            "status": "granted",
            "request_id": id,
            "token": granted.token.expose(),
            "token_name": granted.name,
            "models": mine.request.models,
            "budget_usd_per_day": mine.request.budget_usd_per_day,
            "expires": granted.expires,
            "base_url": base.0,
            "proxy_running": base.1,
            "env": {
                "OPENAI_BASE_URL": format!("{}/v1", base.0),
                "OPENAI_API_KEY": granted.token.expose(),
                "ANTHROPIC_BASE_URL": base.0,
                "ANTHROPIC_API_KEY": granted.token.expose(),
            },
            "note": "A placeholder, not a key: the byok proxy at base_url swaps it for the key. It stops working at expires.",
        }))
    }
}

fn expired(expires: Option<&str>, now: SystemTime) -> bool {
    expires
        .and_then(|e| humantime::parse_rfc3339_weak(e).ok())
        .is_some_and(|t| t <= now)
}

/// The base URL of the home's running proxy (else the configured or default address) and
/// whether one runs.
fn proxy_base(ctx: &Context) -> (String, bool) {
    // Status files are in the home, which other programs of the user can write: only a
    // loopback address is ever handed to the agent as its base URL.
    if let Some(status) = crate::proxy::state::running(ctx.settings.paths.home())
        .into_iter()
        .find(|s| {
            s.listen
                .parse::<std::net::SocketAddr>()
                .is_ok_and(|a| a.ip().is_loopback())
        })
    {
        return (format!("http://{}", status.listen), true);
    }
    let listen = ctx
        .config()
        .ok()
        .and_then(|c| c.proxy().listen.clone())
        .filter(|l| {
            l.parse::<std::net::SocketAddr>()
                .is_ok_and(|a| a.ip().is_loopback())
        })
        .unwrap_or_else(|| "127.0.0.1:8787".into());
    (format!("http://{}", sanitize::line(&listen)), false)
}

/// The last connection test per connector, from the ledger (none when it cannot be read).
fn last_tests(ctx: &Context) -> BTreeMap<String, crate::ledger::Row> {
    crate::ledger::Ledger::open_existing(&ctx.settings)
        .ok()
        .flatten()
        .and_then(|l| l.last_tests().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.connector.clone(), r))
        .collect()
}

fn health(
    name: &str,
    cooldowns: &BTreeMap<String, String>,
    tests: &BTreeMap<String, crate::ledger::Row>,
) -> Value {
    let last = tests.get(name).map(|r| {
        json!({
            "at": crate::ledger::rfc3339(r.time_ms),
            "ok": r.ok,
            "status": r.status,
            "cause": r.cause.as_deref().map(sanitize::line),
            "latency_ms": r.latency_ms,
        })
    });
    let cooldown = cooldowns.get(name).map(|c| sanitize::line(c).into_owned());
    let state = match (&cooldown, tests.get(name)) {
        (Some(_), _) => "cooling down",
        (None, Some(r)) if r.ok => "ok",
        (None, Some(_)) => "failing",
        (None, None) => "untested",
    };
    json!({"state": state, "cooldown": cooldown, "last_test": last})
}
