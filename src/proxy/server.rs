//! The server: a single-threaded tokio runtime, hyper HTTP/1.1 connections, the request
//! pipeline ([`handle`]), and a graceful shutdown on SIGTERM/SIGINT that stops accepting
//! and lets in-flight requests (streams included) finish.
//!
//! One thread serves every connection: a proxied request costs tens of microseconds of
//! CPU, so one core carries well over 10,000 requests/s, and without a second worker there
//! are no wake-ups and task hand-offs between threads on every request (on a 2-core machine
//! shared with the client and the upstream they cost more than the work itself). File
//! writes (the status file) go to tokio's blocking pool.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use super::inbound::{self, Endpoint, Guard, Peek};
use super::reply::{self, ProxyBody};
use super::route::{self, Router};
use super::scrub::Keys;
use super::state::{self, ConnectorStatus, ProxyLock, Status};
use super::token::{Refusal, TokenCache};
use super::translated::{self, Plan};
use super::upstream::{self, Call, Outcome};
use super::{Options, Wire, meter};
use crate::error::{Error, Result};
use crate::provider::FailureClass;
use crate::translate::Untranslatable;

/// Largest request body accepted (images travel inline as base64).
pub const MAX_REQUEST: usize = 32 * 1024 * 1024;
/// How long shutdown waits for in-flight requests.
const DRAIN: Duration = Duration::from_secs(300);

/// Everything a request needs, shared by all connections.
pub struct Shared {
    pub router: Router,
    pub tokens: TokenCache,
    pub keys: Arc<Keys>,
    pub client: reqwest::Client,
    pub options: Options,
    pub home: PathBuf,
    pub started: String,
    /// The usage ledger and the tokens' budgets.
    pub meter: Arc<super::meter::Meter>,
    /// Per placeholder token with a key of its own (`token create --mint`), its connector
    /// with that key, loaded when the state was built.
    pub minted: std::collections::HashMap<String, Arc<route::Upstream>>,
    /// How the last `byok proxy reload` went.
    pub reload: std::sync::Mutex<Option<state::ReloadStatus>>,
    /// Replaced by a reload: its late status writes would show the old connectors.
    pub retired: std::sync::atomic::AtomicBool,
    /// The tool APIs served at `/api/NAME/…` (`[[api]]`), with their keys.
    pub apis: Vec<super::api::Api>,
}

/// What a reload builds: the proxy's state from `config.toml` and the stores as they are
/// now (`None`: an agent-proof proxy, which never reloads from disk).
pub type Reload<'a> = Option<&'a dyn Fn() -> Result<Shared>>;

/// Why an agent-proof proxy refuses to reload.
pub const AGENT_PROOF_NO_RELOAD: &str = "an agent-proof proxy never reloads from disk (an agent \
    could have edited config.toml): restart it with the passphrase";

impl Shared {
    /// The status file's content now.
    pub fn status(&self) -> Status {
        let cooldowns = self.router.cooldowns();
        Status {
            pid: std::process::id(),
            listen: self.options.listen.to_string(),
            started: self.started.clone(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            connectors: self
                .router
                .upstreams
                .iter()
                .map(|u| {
                    let cd = cooldowns.get(&u.name);
                    ConnectorStatus {
                        name: u.name.clone(),
                        wire: u.wire.name().to_owned(),
                        models: u.model.iter().chain(u.globs.iter()).cloned().collect(),
                        unhealthy_until: cd
                            .map(|c| humantime::format_rfc3339_seconds(c.until_wall).to_string()),
                        reason: cd.map(|c| c.reason.clone()),
                    }
                })
                .collect(),
            agent_proof: super::agent_proof::report(),
            apis: self
                .apis
                .iter()
                .map(|a| state::ApiStatus {
                    name: a.decl.name.clone(),
                    base_url: a.decl.base_url.clone(),
                    recipe: a.decl.recipe.clone(),
                })
                .collect(),
            reload: self
                .reload
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    fn save_status(self: &Arc<Self>) {
        let shared = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            if shared.retired.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            let _ = state::write_status(&shared.home, &shared.options.listen, &shared.status());
        });
    }
}

/// Runs the server until SIGTERM/SIGINT; `ready` is called once it accepts connections.
/// SIGHUP (sent by `byok proxy reload`) rebuilds the proxy's state with `reload`: requests
/// already running finish with the old one; a failed reload keeps it.
pub fn run(
    shared: Shared,
    lock: ProxyLock,
    ready: impl FnOnce(SocketAddr),
    reload: Reload<'_>,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Http(e.to_string()))?;
    let listen = shared.options.listen;
    let std_listener = std::net::TcpListener::bind(listen).map_err(|e| Error::ProxyStart {
        reason: format!("cannot listen on {listen}: {e}"),
        hint: "another program holds this address: pick another with --listen (or `listen` \
               under [proxy] in config.toml)"
            .into(),
    })?;
    std_listener
        .set_nonblocking(true)
        .map_err(|e| Error::Http(e.to_string()))?;
    let shared = Arc::new(shared);
    state::write_status(&shared.home, &listen, &shared.status())?;
    let result = runtime.block_on(serve(Arc::clone(&shared), std_listener, ready, reload));
    let _ = std::fs::remove_file(state::status_path(&shared.home, &listen));
    drop(lock);
    // Streams still running past the drain time are cut here.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn serve(
    shared: Arc<Shared>,
    std_listener: std::net::TcpListener,
    ready: impl FnOnce(SocketAddr),
    reload: Reload<'_>,
) -> Result<()> {
    // Each request reads the current state: a reload reaches keep-alive connections too.
    let current = Arc::new(std::sync::RwLock::new(shared));
    let now = |current: &std::sync::RwLock<Arc<Shared>>| {
        Arc::clone(&current.read().unwrap_or_else(|p| p.into_inner()))
    };
    let mut reloads = 0u64;
    let mut signals = Signals::new()?;
    let listener =
        tokio::net::TcpListener::from_std(std_listener).map_err(|e| Error::Http(e.to_string()))?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    ready(now(&current).options.listen);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let current = Arc::clone(&current);
                let mut stop = stop_rx.clone();
                connections.spawn(async move {
                    let service = service_fn(move |req| handle(now(&current), req));
                    let conn = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                        }
                    }
                });
                while connections.try_join_next().is_some() {}
            }
            signal = signals.next() => match signal {
                Signal::Reload => {
                    reloads += 1;
                    reload_now(&current, reload, reloads);
                }
                Signal::Stop => break,
            },
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// One reload: the new state replaces the current one, or the current one stays and says why.
fn reload_now(current: &std::sync::RwLock<Arc<Shared>>, reload: Reload<'_>, count: u64) {
    let old = Arc::clone(&current.read().unwrap_or_else(|p| p.into_inner()));
    let built = match reload {
        None => Err(AGENT_PROOF_NO_RELOAD.to_owned()),
        Some(build) => build().map_err(|e| e.to_string()),
    };
    let at = crate::term::output::now_rfc3339();
    let serving = match built {
        Ok(mut new) => {
            new.started = old.started.clone();
            *new.reload.lock().unwrap_or_else(|p| p.into_inner()) = Some(state::ReloadStatus {
                count,
                at,
                ok: true,
                message: None,
            });
            let names: Vec<&str> = new
                .router
                .upstreams
                .iter()
                .map(|u| u.name.as_str())
                .collect();
            crate::term::output::status(&format!(
                "byok proxy: reloaded; connectors in order: {}",
                names.join(", ")
            ));
            let new = Arc::new(new);
            old.retired
                .store(true, std::sync::atomic::Ordering::Relaxed);
            *current.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&new);
            new
        }
        Err(why) => {
            let why = crate::term::sanitize::line(&why).into_owned();
            crate::term::output::status(&format!(
                "byok proxy: reload refused, still serving the previous config: {why}"
            ));
            *old.reload.lock().unwrap_or_else(|p| p.into_inner()) = Some(state::ReloadStatus {
                count,
                at,
                ok: false,
                message: Some(why),
            });
            old
        }
    };
    let _ = state::write_status(&serving.home, &serving.options.listen, &serving.status());
}

/// What a serving proxy is told from outside.
enum Signal {
    /// Read config.toml and the keys again (SIGHUP).
    #[cfg_attr(windows, allow(dead_code))]
    Reload,
    /// Stop accepting, let in-flight requests finish (SIGTERM, SIGINT; Ctrl-C on Windows).
    Stop,
}

/// The signals a serving proxy listens to: SIGHUP, SIGTERM and SIGINT on Unix; Ctrl-C,
/// Ctrl-Break and closing the console on Windows, which has no reload signal (`byok proxy
/// reload` says so there).
struct Signals {
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
    #[cfg(windows)]
    ctrl_break: tokio::signal::windows::CtrlBreak,
    #[cfg(windows)]
    ctrl_close: tokio::signal::windows::CtrlClose,
}

impl Signals {
    fn new() -> Result<Signals> {
        let failed = |e: std::io::Error| Error::Http(e.to_string());
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                hangup: signal(SignalKind::hangup()).map_err(failed)?,
                terminate: signal(SignalKind::terminate()).map_err(failed)?,
                interrupt: signal(SignalKind::interrupt()).map_err(failed)?,
            })
        }
        #[cfg(windows)]
        {
            use tokio::signal::windows;
            Ok(Signals {
                ctrl_c: windows::ctrl_c().map_err(failed)?,
                ctrl_break: windows::ctrl_break().map_err(failed)?,
                ctrl_close: windows::ctrl_close().map_err(failed)?,
            })
        }
    }

    /// The next signal (cancel-safe: a signal that arrives meanwhile is kept for the next call).
    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.hangup.recv() => Signal::Reload,
                _ = self.terminate.recv() => Signal::Stop,
                _ = self.interrupt.recv() => Signal::Stop,
            }
        }
        #[cfg(windows)]
        {
            tokio::select! {
                _ = self.ctrl_c.recv() => Signal::Stop,
                _ = self.ctrl_break.recv() => Signal::Stop,
                _ = self.ctrl_close.recv() => Signal::Stop,
            }
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> std::result::Result<Response<ProxyBody>, Infallible> {
    Ok(respond(&shared, request).await)
}

/// The pipeline; see the module doc of [`crate::proxy`].
pub async fn respond(shared: &Arc<Shared>, request: Request<Incoming>) -> Response<ProxyBody> {
    let headers = request.headers();
    let guessed = if headers.contains_key("anthropic-version") {
        Wire::Anthropic
    } else {
        Wire::OpenAi
    };
    if let Err(guard) = inbound::check_guard(headers) {
        let message = match guard {
            Guard::Origin => "byok proxy refuses requests carrying an Origin header (browsers)",
            Guard::ForeignHost => "byok proxy answers only requests addressed to a loopback host",
        };
        return reply::error(guessed, 403, message, false);
    }
    // Tool APIs (`[[api]]`) have their own pipeline: no model, no fallback.
    if request.uri().path().starts_with(super::api::PREFIX) {
        return super::api::respond(shared, request).await;
    }
    let Some((endpoint, wire)) = inbound::endpoint(request.method(), request.uri().path(), headers)
    else {
        return reply::error(
            guessed,
            404,
            "byok proxy serves POST /v1/chat/completions, POST /v1/messages, \
             POST /v1/messages/count_tokens, POST /v1/responses, POST /v1/embeddings \
             and GET /v1/models",
            false,
        );
    };
    // The placeholder, as the SDK sent it (the Anthropic SDK may send two headers).
    let mut expired = false;
    let mut token = None;
    for presented in inbound::presented(headers) {
        match shared.tokens.check(presented) {
            Ok(found) => {
                token = Some(found);
                break;
            }
            Err(refusal) => expired |= refusal == Refusal::Expired,
        }
    }
    let Some((token_name, record)) = token else {
        let message = if expired {
            "this byok placeholder key has expired; create a new one with `byok proxy token create NAME`"
        } else {
            "unknown or revoked byok placeholder key; create one with `byok proxy token create NAME`"
        };
        return reply::error(wire, 401, message, false);
    };
    if endpoint == Endpoint::Models {
        return models(shared, wire, &record);
    }
    if let Some(refusal) = shared.meter.over_budget(&token_name, &record) {
        return reply::error(wire, 429, &refusal, false);
    }
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_REQUEST)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return reply::error(wire, 413, "the request body is larger than 32 MiB", false);
        }
    };
    let Ok(peek) = serde_json::from_slice::<Peek>(&body) else {
        return reply::error(wire, 400, "the request body is not a JSON object", false);
    };
    let Some(requested) = peek.model.filter(|m| !m.is_empty()) else {
        return reply::error(wire, 400, "the request names no `model`", false);
    };
    let model = shared.router.resolve(&requested).to_owned();
    // Only the model the request resolves to counts: an alias in `config.toml` (which an
    // agent can edit, and which is not pinned) must not turn an allowed-looking name into a
    // model outside the token's globs.
    if !record.allows(&model) {
        return reply::error(
            wire,
            403,
            &format!("this placeholder key may not use model '{requested}'"),
            false,
        );
    }
    let body = if model != requested {
        match rewrite_model(&body, &model) {
            Some(b) => b,
            None => return reply::error(wire, 400, "the request body is not a JSON object", false),
        }
    } else {
        body
    };
    // Cross-wire plans and Responses checks need the whole body; same-wire requests only
    // pay for this parse when a translated candidate is among theirs.
    let mut plans: Vec<(&route::Upstream, Plan)> = shared
        .router
        .serving(&model)
        .into_iter()
        .filter_map(|u| Some((u, Plan::new(endpoint, u)?)))
        .collect();
    // A token with a key of its own goes only to its connector, with that key — never with
    // the connector's stored key, and never to another connector.
    if let Some(own) = &record.minted {
        let Some(upstream) = shared.minted.get(&token_name) else {
            return reply::error(
                wire,
                503,
                "the key minted for this byok placeholder is not loaded in this proxy yet: \
                 run `byok proxy reload`",
                false,
            );
        };
        plans.retain(|(u, _)| u.name == own.connector);
        for plan in &mut plans {
            plan.0 = upstream.as_ref();
        }
    }
    let needs_json = endpoint == Endpoint::Responses
        || plans
            .iter()
            .any(|(_, p)| matches!(p, Plan::Translate { .. }));
    let client_json: Value = if needs_json {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => {
                return reply::error(wire, 400, "the request body is not a JSON object", false);
            }
        }
    } else {
        Value::Null
    };
    if endpoint == Endpoint::Responses
        && let Some(field) = translated::stateful_responses(&client_json)
    {
        // Provider-side state: one connector that serves Responses itself, no fallback.
        plans.retain(|(_, p)| matches!(p, Plan::Same(_)));
        plans.truncate(1);
        if plans.is_empty() {
            return reply::error(
                wire,
                400,
                &format!(
                    "`{field}` refers to state stored by the provider: this request can only go to a \
                     connector serving the Responses API itself (type openai, or \
                     `--option responses=true`), and none serves model '{model}'"
                ),
                false,
            );
        }
    }
    if plans.is_empty() {
        return reply::error(
            wire,
            404,
            &format!(
                "no connector of this byok proxy serves model '{model}' on {} \
                 (set `model` or `models = [globs]` on a connector, or an [aliases] entry)",
                endpoint_name(endpoint)
            ),
            false,
        );
    }
    let mut metered = shared.meter.begin(&token_name, &model, endpoint);
    type Translated = std::result::Result<(Bytes, Vec<&'static str>), Untranslatable>;
    let mut translated_bodies: Vec<(Plan, Translated)> = Vec::new();
    let mut refused: Option<(Plan, Untranslatable)> = None;
    let mut last: Option<(String, upstream::Failed, Plan, Duration)> = None;
    for (candidate, plan) in plans {
        let (upstream_body, dropped) = match plan {
            Plan::Same(_) => (body.clone(), Vec::new()),
            Plan::Translate { client, upstream } => {
                let known = translated_bodies.iter().find(|(p, _)| *p == plan);
                let result = match known {
                    Some((_, r)) => r.clone(),
                    None => {
                        let r = translated::translate_request(client, upstream, &client_json)
                            .map(|(v, dropped)| (Bytes::from(v.to_string()), dropped));
                        translated_bodies.push((plan, r.clone()));
                        r
                    }
                };
                match result {
                    Ok(translated) => translated,
                    Err(why) => {
                        // The request cannot go this way; another candidate may take it.
                        refused.get_or_insert((plan, why));
                        continue;
                    }
                }
            }
        };
        if let Some((connector, failed, _, took)) = last.take() {
            absorbed(shared, &metered, &connector, &failed, took, &candidate.name);
        }
        let call = Call {
            client: &shared.client,
            wire: candidate.wire,
            endpoint: plan.upstream_endpoint(),
            headers: &parts.headers,
            body: upstream_body,
            timeout: shared.options.timeout,
            keys: &shared.keys,
            usage: plan.stream_usage(),
        };
        let started = std::time::Instant::now();
        match upstream::attempt(&call, candidate).await {
            Outcome::Committed(committed) => {
                metered.set_dropped(&dropped);
                if shared.router.healthy(&committed.connector) {
                    shared.save_status();
                }
                let mut committed =
                    translated::deliver(committed, plan, &client_json, &shared.keys);
                translated::insert_dropped(&mut committed.response, &dropped);
                return metered.committed(
                    &committed.connector,
                    committed.response,
                    committed.usage,
                );
            }
            Outcome::Failed(failed) => {
                if let Some(cooldown) = cooldown_for(&failed, &shared.options) {
                    shared
                        .router
                        .cool_down(&candidate.name, cooldown, failed.class.label());
                    shared.save_status();
                }
                let again = upstream::falls_back(failed.class);
                last = Some((candidate.name.clone(), failed, plan, started.elapsed()));
                if !again {
                    break;
                }
            }
        }
    }
    match (last, refused) {
        (Some((connector, failed, plan, _)), _) => {
            let class = failed.class;
            metered.failed(
                &connector,
                class,
                final_failure(shared, wire, &connector, failed, plan),
            )
        }
        (None, Some((plan, why))) => translated::refusal(plan, &why),
        (None, None) => reply::error(wire, 502, "no connector could be tried", false),
    }
}

/// A failed attempt that the next connector (`next`) takes over: a ledger row and one log
/// line, so a dead key behind a working fallback is seen.
fn absorbed(
    shared: &Shared,
    metered: &meter::Pending,
    connector: &str,
    failed: &upstream::Failed,
    took: Duration,
    next: &str,
) {
    let status = failed.answer.as_ref().map(|(s, _, _)| s.as_u16());
    metered.absorbed(connector, status, failed.class, took);
    let status = status.map_or_else(String::new, |s| format!(", {s}"));
    let cooling = shared
        .router
        .cooldowns()
        .get(connector)
        .map_or_else(String::new, |c| {
            format!(
                "; skipped until {}",
                crate::ledger::rfc3339(crate::ledger::unix_ms(c.until_wall))
            )
        });
    crate::term::output::status(&format!(
        "byok proxy: connector '{connector}' failed ({}{status}) after {} ms; trying '{next}'{cooling}",
        failed.class.label(),
        took.as_millis()
    ));
}

fn endpoint_name(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::ChatCompletions => "/v1/chat/completions",
        Endpoint::Messages => "/v1/messages",
        Endpoint::CountTokens => "/v1/messages/count_tokens (Anthropic-wire connectors only)",
        Endpoint::Models => "/v1/models",
        Endpoint::Responses => "/v1/responses",
        Endpoint::Embeddings => "/v1/embeddings (OpenAI-wire connectors only)",
    }
}

/// How long a connector is skipped after this failure (docs/proxy.md, "Fallback and cooldowns"):
/// a refused key or exhausted quota for `--cooldown` (unless `retry-after` says), a refused
/// connection or a timeout for `--unreachable-cooldown`, a rate limit or overload for as long
/// as `retry-after` says. A skipped connector is still tried when no other can serve.
fn cooldown_for(failed: &upstream::Failed, options: &Options) -> Option<Duration> {
    let told = failed.retry_after.as_deref().and_then(route::retry_after);
    match failed.class {
        FailureClass::InvalidKey | FailureClass::NoQuota => Some(told.unwrap_or(options.cooldown)),
        FailureClass::RateLimited | FailureClass::Overloaded => told.filter(|d| !d.is_zero()),
        FailureClass::Unreachable | FailureClass::Timeout => {
            Some(options.unreachable_cooldown).filter(|d| !d.is_zero())
        }
        _ => None,
    }
}

/// The last failure, in the client's wire: the provider's own answer (redacted) when there
/// was one — tools match on its wording — else ours.
fn final_failure(
    shared: &Shared,
    wire: Wire,
    connector: &str,
    failed: upstream::Failed,
    plan: Plan,
) -> Response<ProxyBody> {
    let retry_helps = matches!(
        failed.class,
        FailureClass::RateLimited | FailureClass::Overloaded
    ) && failed.retry_after.is_some();
    let mut response = match failed.answer {
        Some((status, headers, body)) => {
            let mut headers = upstream::client_headers(&headers, &shared.keys, connector);
            // Across wires: the provider's message, in the client's error shape.
            let body = match translated::error_answer(plan, status.as_u16(), &body) {
                Some((translated_body, header)) => {
                    headers.remove(http::header::CONTENT_LENGTH);
                    headers.insert(
                        http::header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    if let Some(v) = header.and_then(|v| HeaderValue::from_str(&v).ok()) {
                        headers.insert(translated::TRANSLATED, v);
                    }
                    translated_body
                }
                None => body,
            };
            let mut response = Response::new(ProxyBody::full(shared.keys.body(body)));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
        None => {
            let status = if failed.class == FailureClass::Timeout {
                504
            } else {
                502
            };
            let mut response = reply::error(
                wire,
                status,
                &format!(
                    "connector '{connector}': {}: {}",
                    failed.class.label(),
                    failed.message
                ),
                true,
            );
            if let Ok(v) = HeaderValue::from_str(connector) {
                response.headers_mut().insert("x-byok-connector", v);
            }
            response
        }
    };
    if !retry_helps {
        response
            .headers_mut()
            .insert("x-should-retry", HeaderValue::from_static("false"));
    }
    response
}

fn rewrite_model(body: &Bytes, model: &str) -> Option<Bytes> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    value
        .as_object_mut()?
        .insert("model".into(), Value::String(model.to_owned()));
    Some(Bytes::from(serde_json::to_vec(&value).ok()?))
}

/// `GET /v1/models`: the models the connectors of either wire name (the client's wire
/// first), and the aliases, that this token may use — answered by the proxy itself (no key leaves for a listing).
fn models(shared: &Shared, wire: Wire, record: &super::token::TokenRecord) -> Response<ProxyBody> {
    let mut seen = BTreeSet::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    // The client's own wire first, then what the other wire serves through translation.
    let ours = shared.router.upstreams.iter().filter(|u| u.wire == wire);
    let theirs = shared.router.upstreams.iter().filter(|u| u.wire != wire);
    for u in ours.chain(theirs) {
        for m in u.listed() {
            if record.allows(m) && seen.insert(m.to_owned()) {
                ids.push((m.to_owned(), u.name.clone()));
            }
        }
    }
    for (alias, target) in &shared.router.aliases {
        if let Some(u) = shared.router.serving(target).first()
            && record.allows(target)
            && seen.insert(alias.clone())
        {
            ids.push((alias.clone(), u.name.clone()));
        }
    }
    let value = match wire {
        Wire::OpenAi => json!({"object": "list", "data": ids.iter().map(|(id, owner)| json!({
            "id": id, "object": "model", "created": 0, "owned_by": format!("byok:{owner}")})).collect::<Vec<_>>()}),
        Wire::Anthropic => json!({
            "data": ids.iter().map(|(id, _)| json!({"type": "model", "id": id,
                "display_name": id, "created_at": "1970-01-01T00:00:00Z"})).collect::<Vec<_>>(),
            "has_more": false,
            "first_id": ids.first().map(|(id, _)| id),
            "last_id": ids.last().map(|(id, _)| id),
        }),
    };
    reply::json(&value)
}
