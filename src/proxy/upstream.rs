//! One attempt at one connector: the forwarded request (the client's headers minus its
//! credentials and hop-by-hop headers, the connector's key in the provider's own header),
//! the classification of what came back, and — once committed — the reply for the client.
//!
//! Commit point: a 2xx whose body (non-streaming) was read whole, or whose first stream
//! chunk arrived and is not an `error` event. Before that, every failure can still go to
//! the next connector; after it, a failure ends the stream with an error event in the
//! client's wire format and is never retried.
//!
//! Two HTTP clients: connectors on a plain-`http` loopback address (Ollama, LM Studio,
//! vLLM, a local gateway) go through one pooled hyper client kept for the process (keep-alive
//! connections, no TLS, no proxy lookup, no per-request URL or DNS work beyond parsing the
//! address); every other connector through the shared reqwest client (TLS, `HTTPS_PROXY`).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use secrecy::ExposeSecret;
use tokio::sync::mpsc;

use super::Wire;
use super::inbound::Endpoint;
use super::metered::{Publish, UsageSlot};
use super::reply::ProxyBody;
use super::route::Upstream;
use super::scrub::{Keys, SseScrubber};
use crate::net::{TransportClass, TransportError};
use crate::provider::{AuthStyle, FailureClass};

/// Largest non-streaming answer buffered (it is redacted whole before it is sent).
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// Largest error answer read.
pub const MAX_ERROR_BODY: usize = 1024 * 1024;

/// What an attempt is given.
pub struct Call<'a> {
    pub client: &'a reqwest::Client,
    pub wire: Wire,
    pub endpoint: Endpoint,
    pub headers: &'a HeaderMap,
    pub body: Bytes,
    pub timeout: Duration,
    pub keys: &'a Arc<Keys>,
    /// Read token usage off a stream as it is scrubbed, as this API reports it (same-wire
    /// streams; see [`super::translated::Plan::stream_usage`]).
    pub usage: Option<crate::translate::Wire>,
}

/// A reply the client gets, and what it was (for logs, a ledger).
pub struct Committed {
    pub connector: String,
    pub status: u16,
    pub streamed: bool,
    pub response: Response<ProxyBody>,
    /// Token usage (input/cached/output), filled when the reply completes; see
    /// [`super::metered`]. `server::respond` fills it for every wire, translated or not.
    pub usage: super::metered::UsageSlot,
}

/// A failed attempt.
pub struct Failed {
    pub class: FailureClass,
    /// `retry-after` as the provider sent it.
    pub retry_after: Option<String>,
    /// The provider's answer, when there was one (redacted before it reaches a client).
    pub answer: Option<(StatusCode, HeaderMap, Bytes)>,
    /// Our words, when there was no answer.
    pub message: String,
}

pub enum Outcome {
    Committed(Committed),
    Failed(Failed),
}

/// Whether the next connector may succeed where this one failed this way.
pub fn falls_back(class: FailureClass) -> bool {
    matches!(
        class,
        FailureClass::RateLimited
            | FailureClass::NoQuota
            | FailureClass::Overloaded
            | FailureClass::Unreachable
            | FailureClass::Timeout
            | FailureClass::ServerError
            | FailureClass::InvalidKey
            // A connector whose server lacks this API (a wrong base URL): another may have it.
            | FailureClass::EndpointNotFound
    )
}

/// Client headers never forwarded: its credentials (the placeholder), hop-by-hop headers,
/// what the HTTP layer sets itself, and what a browser or another proxy would add.
pub(super) const DROPPED_REQUEST: &[&str] = &[
    "authorization",
    "x-api-key",
    "api-key",
    "x-goog-api-key",
    "proxy-authorization",
    "cookie",
    "host",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "accept-encoding",
    "origin",
    "referer",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
    // Method and path overrides some frameworks honour: they would turn an allowed
    // `GET /repos/…` into a DELETE or another path behind the proxy's checks.
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
    "x-original-url",
    "x-rewrite-url",
    "x-forwarded-prefix",
];

/// Upstream headers never passed back.
const DROPPED_RESPONSE: &[&str] = &[
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "trailer",
    "upgrade",
    "proxy-authenticate",
    "alt-svc",
    "set-cookie",
];

fn forwarded_headers(call: &Call<'_>, upstream: &Upstream) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(call.headers.len() + 2);
    for (name, value) in call.headers {
        if !DROPPED_REQUEST.contains(&name.as_str()) {
            out.append(name.clone(), value.clone());
        }
    }
    out.insert("accept-encoding", HeaderValue::from_static("identity"));
    if upstream.wire == Wire::Anthropic && !out.contains_key("anthropic-version") {
        out.insert(
            "anthropic-version",
            HeaderValue::from_static(crate::provider::wire::anthropic::ANTHROPIC_VERSION),
        );
    }
    if let Some(key) = &upstream.key {
        let value = match upstream.auth {
            AuthStyle::Bearer => format!("Bearer {}", key.expose_secret()),
            _ => key.expose_secret().to_owned(),
        };
        if let Ok(mut value) = HeaderValue::from_str(&value) {
            value.set_sensitive(true);
            out.insert(HeaderName::from_static(upstream.auth.header_name()), value);
        }
    }
    out
}

type LocalClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<Bytes>,
>;

/// The pooled client for plain-http loopback connectors. One per process: only
/// `byok proxy` uses it, from its one runtime (connection tasks run on that runtime).
fn local_client() -> &'static LocalClient {
    static CLIENT: OnceLock<LocalClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector)
    })
}

pub type CheckedLocalClient = hyper_util::client::legacy::Client<
    crate::net::OwnerChecked<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<Bytes>,
>;

/// The local client of a keyed upstream: each new connection checked before its first byte.
fn checked_local_client(
    policy: &std::sync::Arc<crate::net::owner::OwnerPolicy>,
) -> CheckedLocalClient {
    let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(10)));
    let checked = tower_layer::Layer::layer(
        &crate::net::OwnerLayer(std::sync::Arc::clone(policy)),
        connector,
    );
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_timer(hyper_util::rt::TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(90))
        .build(checked)
}

/// The address of `url` when it is plain http on a loopback host (then the local client
/// serves it, with the owner check in agent-proof mode).
///
/// Loopback is judged as `base_url` was checked (`connector::validate::check_base_url`): by
/// the WHATWG parser, which reads `127.1`, `0x7f.1`, `2130706433` and `127.0.0.1.` as
/// 127.0.0.1. A stricter parse here sent those to the remote client, past the owner check.
/// The request goes to the canonical form, the address the check judged.
fn loopback_http(url: &str) -> Option<http::Uri> {
    let parsed = url::Url::parse(url).ok()?;
    if parsed.scheme() != "http" || !crate::net::is_loopback(&parsed) {
        return None;
    }
    parsed.as_str().parse().ok()
}

/// An upstream's answer, from either client.
pub(super) enum Answer {
    Remote(reqwest::Response),
    Local(Response<hyper::body::Incoming>),
}

impl Answer {
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Answer::Remote(r) => r.status(),
            Answer::Local(r) => r.status(),
        }
    }

    pub(super) fn headers(&self) -> &HeaderMap {
        match self {
            Answer::Remote(r) => r.headers(),
            Answer::Local(r) => r.headers(),
        }
    }

    /// The next piece of the body (`None`: it ended).
    async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        match self {
            Answer::Remote(r) => r
                .chunk()
                .await
                .map_err(|e| TransportError::from_reqwest(&e)),
            Answer::Local(r) => loop {
                match http_body_util::BodyExt::frame(r.body_mut()).await {
                    None => return Ok(None),
                    Some(Err(e)) => return Err(local_error(&e, TransportClass::BrokenOff)),
                    // Trailers carry nothing a client needs here.
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            return Ok(Some(data));
                        }
                    }
                }
            },
        }
    }
}

/// A local-client failure, classified as the reqwest ones are (the innermost cause says
/// what happened).
fn local_error(e: &(dyn std::error::Error + 'static), otherwise: TransportClass) -> TransportError {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    let class = if detail.to_ascii_lowercase().contains("refused") {
        TransportClass::Refused
    } else if detail.to_ascii_lowercase().contains("timed out") {
        TransportClass::Timeout
    } else {
        otherwise
    };
    TransportError {
        class,
        status: None,
        detail,
    }
}

/// Sends the request through the client serving `url`.
async fn send(call: &Call<'_>, upstream: &Upstream, url: String) -> Result<Answer, Failed> {
    let headers = forwarded_headers(call, upstream);
    let target = Target {
        client: call.client,
        owner: upstream.owner.as_ref(),
        checked_client: &upstream.checked_client,
    };
    send_to(&target, http::Method::POST, url, headers, call.body.clone()).await
}

/// Where a request goes: the shared client, or (plain-http loopback) the local one, checked
/// against `owner` when a key goes there.
pub(super) struct Target<'a> {
    pub client: &'a reqwest::Client,
    pub owner: Option<&'a Arc<crate::net::owner::OwnerPolicy>>,
    pub checked_client: &'a OnceLock<CheckedLocalClient>,
}

/// Sends one request (any method) through the client serving `url`.
pub(super) async fn send_to(
    target: &Target<'_>,
    method: http::Method,
    url: String,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Answer, Failed> {
    if let Some(uri) = loopback_http(&url) {
        let mut request = http::Request::new(http_body_util::Full::new(body));
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        let sent = match target.owner {
            None => local_client().request(request).await,
            Some(policy) => {
                // One pool per upstream, made on first use: no lock on the request path.
                target
                    .checked_client
                    .get_or_init(|| checked_local_client(policy))
                    .request(request)
                    .await
            }
        };
        return match sent {
            Ok(r) => Ok(Answer::Local(r)),
            Err(e) => Err(failed_transport(&local_error(&e, TransportClass::Connect))),
        };
    }
    let request = target
        .client
        .request(method, url)
        .headers(headers)
        .body(body);
    match request.send().await {
        Ok(r) => Ok(Answer::Remote(r)),
        Err(e) => Err(failed_transport(&TransportError::from_reqwest(&e))),
    }
}

fn failed_transport(t: &TransportError) -> Failed {
    let class = match t.class {
        TransportClass::Timeout => FailureClass::Timeout,
        TransportClass::BodyTooLarge | TransportClass::BrokenOff | TransportClass::Redirect => {
            FailureClass::BadResponse
        }
        _ => FailureClass::Unreachable,
    };
    Failed {
        class,
        retry_after: None,
        answer: None,
        message: t.to_string(),
    }
}

pub(super) fn timed_out() -> Failed {
    Failed {
        class: FailureClass::Timeout,
        retry_after: None,
        answer: None,
        message: "no answer within the timeout".into(),
    }
}

/// Reads a whole body within `cap`, each chunk within `timeout`. A body that arrives in
/// one piece (the usual small answer) is passed on without a copy.
pub(super) async fn read_body(
    response: &mut Answer,
    cap: usize,
    timeout: Duration,
) -> Result<Bytes, Failed> {
    let mut first: Option<Bytes> = None;
    let mut body = Vec::new();
    loop {
        match tokio::time::timeout(timeout, response.chunk()).await {
            Err(_) => return Err(timed_out()),
            Ok(Err(e)) => return Err(failed_transport(&e)),
            Ok(Ok(None)) => {
                return Ok(match first {
                    Some(only) if body.is_empty() => only,
                    _ => Bytes::from(body),
                });
            }
            Ok(Ok(Some(chunk))) => {
                let held = if body.is_empty() {
                    first.as_ref().map_or(0, Bytes::len)
                } else {
                    body.len()
                };
                if held + chunk.len() > cap {
                    return Err(Failed {
                        class: FailureClass::BadResponse,
                        retry_after: None,
                        answer: None,
                        message: format!("the answer is larger than {} MiB", cap >> 20),
                    });
                }
                if first.is_none() {
                    first = Some(chunk);
                } else {
                    if let Some(earlier) = first.as_ref().filter(|_| body.is_empty()) {
                        body.extend_from_slice(earlier);
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
    }
}

fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

/// The upstream's headers as the client gets them: hop-by-hop ones dropped, and any
/// value echoing a key masked.
pub fn client_headers(upstream: &HeaderMap, keys: &Keys, connector: &str) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(upstream.len() + 1);
    for (name, value) in upstream {
        if DROPPED_RESPONSE.contains(&name.as_str()) {
            continue;
        }
        if keys.found_in(value.as_bytes()) {
            let masked = keys
                .mask_str(&String::from_utf8_lossy(value.as_bytes()))
                .unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(&masked) {
                out.append(name.clone(), v);
            }
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    if let Ok(v) = HeaderValue::from_str(connector) {
        out.insert("x-byok-connector", v);
    }
    out
}

/// The answer's `content-encoding`, when it is anything but `identity` (control characters
/// escaped, shortened: it is the provider's text).
pub(super) fn foreign_encoding(headers: &HeaderMap) -> Option<String> {
    let encodings: Vec<&[u8]> = headers
        .get_all("content-encoding")
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case(b"identity"))
        .collect();
    let first = encodings.first()?;
    let text = String::from_utf8_lossy(&first[..first.len().min(40)]).into_owned();
    Some(crate::term::sanitize::line(&text).into_owned())
}

/// One attempt at `upstream`.
pub async fn attempt(call: &Call<'_>, upstream: &Upstream) -> Outcome {
    let url = format!(
        "{}{}",
        upstream.base_url.trim_end_matches('/'),
        call.endpoint.upstream_path()
    );
    let mut response = match tokio::time::timeout(call.timeout, send(call, upstream, url)).await {
        Err(_) => return Outcome::Failed(timed_out()),
        Ok(Err(failed)) => return Outcome::Failed(failed),
        Ok(Ok(r)) => r,
    };
    let status = response.status();
    // byok asks for `identity`: an encoded body (gzip, br, …) would reach the client's SDK,
    // which decodes it, with any key in it unmasked. Such an answer is not passed on at all.
    if let Some(encoding) = foreign_encoding(response.headers()) {
        return Outcome::Failed(Failed {
            class: FailureClass::BadResponse,
            retry_after: None,
            answer: None,
            message: format!(
                "the provider answered with content-encoding `{encoding}` although byok asked \
                 for identity; byok does not pass on a body it cannot check for keys"
            ),
        });
    }
    if status.is_redirection() {
        return Outcome::Failed(Failed {
            class: FailureClass::BadResponse,
            retry_after: None,
            answer: None,
            message: "the provider answered with a redirect, which byok does not follow".into(),
        });
    }
    if !status.is_success() {
        let body = match read_body(&mut response, MAX_ERROR_BODY, call.timeout).await {
            Ok(b) => b,
            Err(f) => return Outcome::Failed(f),
        };
        let failure = crate::provider::wire::parse_failure(
            status.as_u16(),
            &header_pairs(response.headers()),
            &body,
        );
        return Outcome::Failed(Failed {
            class: failure.class,
            retry_after: failure.retry_after,
            answer: Some((status, response.headers().clone(), body)),
            message: String::new(),
        });
    }
    let streamed = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let headers = client_headers(response.headers(), call.keys, &upstream.name);
    if !streamed {
        let body = match read_body(&mut response, MAX_BODY, call.timeout).await {
            Ok(b) => b,
            Err(f) => return Outcome::Failed(f),
        };
        let mut reply = Response::new(ProxyBody::full(call.keys.body(body)));
        *reply.status_mut() = status;
        *reply.headers_mut() = headers;
        return Outcome::Committed(Committed {
            connector: upstream.name.clone(),
            status: status.as_u16(),
            streamed: false,
            response: reply,
            usage: Default::default(),
        });
    }
    // The first chunk decides: an `error` event before any content can still fall back.
    let first = match tokio::time::timeout(call.timeout, response.chunk()).await {
        Err(_) => return Outcome::Failed(timed_out()),
        Ok(Err(e)) => return Outcome::Failed(failed_transport(&e)),
        Ok(Ok(first)) => first.unwrap_or_default(),
    };
    if let Some(failed) = early_error(&first) {
        return Outcome::Failed(failed);
    }
    let mut scrubber = SseScrubber::new(call.wire, Arc::clone(call.keys));
    let slot = UsageSlot::default();
    // Completes the slot with what was seen when the task ends, any way it ends.
    let mut publish = None;
    if let Some(api) = call.usage {
        scrubber = scrubber.reading_usage(api);
        publish = Some(Publish {
            slot: slot.clone(),
            seen: None,
        });
    }
    let (tx, rx) = mpsc::channel::<Bytes>(32);
    let wire = call.wire;
    let idle = call.timeout;
    let initial = scrubber.push(&first);
    tokio::spawn(async move {
        let mut seen = |scrubber: &SseScrubber| {
            if let Some(p) = publish.as_mut() {
                p.seen = scrubber.usage();
            }
        };
        seen(&scrubber);
        let mut pending = match initial {
            Ok(out) => out,
            Err(_) => {
                let _ = tx
                    .send(stream_error(wire, "an event is larger than 4 MiB"))
                    .await;
                return;
            }
        };
        loop {
            if !pending.is_empty() && tx.send(Bytes::from(pending)).await.is_err() {
                return; // the client went away: dropping `response` closes the upstream
            }
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => match scrubber.push(&chunk) {
                    Ok(out) => {
                        pending = out;
                        seen(&scrubber);
                    }
                    Err(_) => {
                        let _ = tx
                            .send(stream_error(wire, "an event is larger than 4 MiB"))
                            .await;
                        return;
                    }
                },
                Ok(Ok(None)) => {
                    let rest = scrubber.finish();
                    seen(&scrubber);
                    if !rest.is_empty() {
                        let _ = tx.send(Bytes::from(rest)).await;
                    }
                    return;
                }
                Ok(Err(t)) => {
                    let rest = scrubber.finish();
                    seen(&scrubber);
                    let _ = tx.send(Bytes::from(rest)).await;
                    let _ = tx
                        .send(stream_error(
                            wire,
                            &format!("the provider's stream broke off: {t}"),
                        ))
                        .await;
                    return;
                }
                Err(_) => {
                    let rest = scrubber.finish();
                    seen(&scrubber);
                    let _ = tx.send(Bytes::from(rest)).await;
                    let _ = tx
                        .send(stream_error(
                            wire,
                            "the provider's stream stalled (timeout)",
                        ))
                        .await;
                    return;
                }
            }
        }
    });
    let mut reply = Response::new(ProxyBody::Channel(rx));
    *reply.status_mut() = status;
    *reply.headers_mut() = headers;
    Outcome::Committed(Committed {
        connector: upstream.name.clone(),
        status: status.as_u16(),
        streamed: true,
        response: reply,
        usage: slot,
    })
}

/// A stream whose first event is an `error` (Anthropic's overloaded-after-200).
fn early_error(first: &[u8]) -> Option<Failed> {
    let text = std::str::from_utf8(first).ok()?;
    let text = text.trim_start();
    let is_error = text.starts_with("event: error") || text.starts_with("event:error");
    let data_error = text.starts_with("data: {\"error\"") || text.starts_with("data:{\"error\"");
    if !is_error && !data_error {
        return None;
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .map(str::trim)?;
    let json: serde_json::Value = serde_json::from_str(data).ok()?;
    let kind = json
        .pointer("/error/type")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let class = match kind {
        "overloaded_error" => FailureClass::Overloaded,
        "rate_limit_error" => FailureClass::RateLimited,
        "api_error" | "server_error" => FailureClass::ServerError,
        "timeout_error" => FailureClass::Timeout,
        _ => return None,
    };
    Some(Failed {
        class,
        retry_after: None,
        answer: None,
        message: format!("the provider's stream began with an error ({kind})"),
    })
}

/// An error event in the client's wire format, ending a committed stream.
pub fn stream_error(wire: Wire, message: &str) -> Bytes {
    let text = match wire {
        Wire::Anthropic => format!(
            "event: error\ndata: {}\n\n",
            serde_json::json!({"type": "error", "error": {"type": "api_error", "message": message}})
        ),
        Wire::OpenAi => format!(
            "data: {}\n\n",
            serde_json::json!({"error": {"message": message, "type": "server_error"}})
        ),
    };
    Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_hop_headers_are_not_forwarded() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer sk-ant-byok01-x".parse().unwrap());
        h.insert("x-api-key", "sk-ant-byok01-x".parse().unwrap());
        h.insert("anthropic-beta", "tools-2024".parse().unwrap());
        h.insert("host", "127.0.0.1:8787".parse().unwrap());
        let keys = Arc::new(Keys::default());
        let client = reqwest::Client::new();
        let call = Call {
            client: &client,
            wire: Wire::Anthropic,
            endpoint: Endpoint::Messages,
            headers: &h,
            body: Bytes::new(),
            timeout: Duration::from_secs(1),
            keys: &keys,
            usage: None,
        };
        let up = Upstream {
            name: "a".into(),
            wire: Wire::Anthropic,
            base_url: "http://127.0.0.1:9".into(),
            auth: AuthStyle::XApiKey,
            key: Some("sk-ant-test-real".to_owned().into()),
            model: None,
            globs: vec![],
            responses: false,
            owner: None,
            checked_client: Default::default(),
        };
        let out = forwarded_headers(&call, &up);
        assert_eq!(out.get("x-api-key").unwrap(), "sk-ant-test-real");
        assert!(out.get("x-api-key").unwrap().is_sensitive());
        assert!(out.get("authorization").is_none());
        assert!(out.get("host").is_none());
        assert_eq!(out.get("anthropic-beta").unwrap(), "tools-2024");
        assert_eq!(out.get("anthropic-version").unwrap(), "2023-06-01");
    }

    #[test]
    fn only_plain_http_loopback_uses_the_local_client() {
        for local in [
            "http://127.0.0.1:8080/v1/chat/completions",
            "http://localhost:11434/v1/chat/completions",
            "http://[::1]:1234/v1/chat/completions",
            "http://127.9.0.1/x",
            // Spellings the WHATWG parser reads as 127.0.0.1 (review finding: these went to
            // the remote client, past the owner check).
            "http://127.1:8080/v1",
            "http://0x7f.1:8080/v1",
            "http://2130706433:8080/v1",
            "http://127.0.0.1.:8080/v1",
            "http://0177.0.0.1:8080/v1",
            "http://LOCALHOST:8080/v1",
        ] {
            let uri = loopback_http(local).unwrap_or_else(|| panic!("{local}"));
            assert!(
                matches!(
                    uri.host(),
                    Some("127.0.0.1" | "127.9.0.1" | "localhost" | "[::1]")
                ),
                "{local} → {uri}"
            );
        }
        for remote in [
            "https://127.0.0.1:8080/v1/chat/completions",
            "http://10.0.0.1/v1/chat/completions",
            "http://localhost.evil.test/v1",
            "https://api.openai.com/v1/chat/completions",
            "not a url",
        ] {
            assert!(loopback_http(remote).is_none(), "{remote}");
        }
    }

    #[test]
    fn an_error_first_event_can_fall_back() {
        let f = early_error(
            b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}\n\n",
        )
        .unwrap();
        assert_eq!(f.class, FailureClass::Overloaded);
        assert!(early_error(b"event: message_start\ndata: {}\n\n").is_none());
    }
}
