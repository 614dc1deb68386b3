//! Wire formats: how to phrase a minimal chat request for each family of
//! provider APIs and how to read the answer back.
//!
//! Each adapter module exposes `build_chat`, `parse_chat`, and (where the API
//! has a model list) `build_models` / `parse_models`. The free functions in this
//! module dispatch on [`WireFormat`]. Error bodies are classified by one shared
//! classifier ([`parse_failure`]) because providers mix and match envelopes.

pub mod aleph_alpha;
pub mod anthropic;
pub mod azure;
mod classify;
pub mod cohere;
pub mod gemini;
pub mod ollama;
pub mod openai;
pub mod perplexity;

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

pub use classify::parse_failure;

/// The request/response dialect a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WireFormat {
    /// OpenAI `POST {base}/chat/completions` (and every compatible server).
    OpenAiChat,
    /// Anthropic `POST {base}/v1/messages`.
    AnthropicMessages,
    /// Gemini `POST {base}/models/{model}:generateContent`.
    GeminiGenerateContent,
    /// Cohere `POST {base}/v2/chat`.
    CohereChat,
    /// Aleph Alpha `POST {host}/complete`.
    AlephAlphaComplete,
    /// Azure OpenAI `POST {endpoint}/openai/deployments/{dep}/chat/completions?api-version=`.
    AzureDeployments,
    /// Perplexity Agent API `POST {base}/v1/agent` (replaces Sonar chat completions).
    PerplexityAgent,
    /// Ollama native `POST {host}/api/chat`.
    OllamaChat,
}

/// HTTP method of a built request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A header value; a value carrying key material is [`HeaderValue::Secret`] so
/// that `Debug` output (logs, `--verbose` dumps) can never show it.
#[derive(Clone)]
pub enum HeaderValue {
    /// Non-secret value, printable.
    Plain(String),
    /// Value containing the API key (e.g. `Bearer sk-…`), printed as `***`.
    Secret(SecretString),
}

impl HeaderValue {
    /// Whether this value holds key material.
    pub fn is_secret(&self) -> bool {
        matches!(self, HeaderValue::Secret(_))
    }

    /// The raw value, for the HTTP layer only. Never print the result.
    pub fn expose_for_transport(&self) -> &str {
        match self {
            HeaderValue::Plain(v) => v,
            HeaderValue::Secret(s) => s.expose_secret(),
        }
    }
}

impl fmt::Debug for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderValue::Plain(v) => fmt::Debug::fmt(v, f),
            HeaderValue::Secret(_) => f.write_str("***"),
        }
    }
}

/// One request header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Header name, lower-case.
    pub name: String,
    /// Header value.
    pub value: HeaderValue,
}

impl Header {
    /// A non-secret header.
    pub fn plain(name: &str, value: impl Into<String>) -> Self {
        Header {
            name: name.to_string(),
            value: HeaderValue::Plain(value.into()),
        }
    }

    /// A header carrying key material.
    pub fn secret(name: &str, value: String) -> Self {
        Header {
            name: name.to_string(),
            value: HeaderValue::Secret(SecretString::from(value)),
        }
    }
}

/// A fully described HTTP request, ready for any HTTP client.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL. Never contains the key.
    pub url: String,
    /// Headers to send, in order.
    pub headers: Vec<Header>,
    /// JSON body, if any.
    pub body: Option<Value>,
}

impl HttpRequest {
    /// Looks up a header by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| &h.value)
    }
}

/// Everything an adapter needs to build a request.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// Base URL as the official SDK takes it (see the catalog); trailing `/` is tolerated.
    pub base_url: &'a str,
    /// Model id (for Azure: the default deployment name).
    pub model: &'a str,
    /// The user prompt, e.g. `Reply with 'ok'`.
    pub prompt: &'a str,
    /// Output-token cap for the probe.
    pub max_tokens: u32,
    /// The API key, if the connector has one.
    pub key: Option<&'a SecretString>,
    /// Adapter options (see each adapter; catalog entries carry defaults).
    pub options: &'a BTreeMap<String, String>,
}

/// The kind of failure, chosen from the body first and the HTTP status second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureClass {
    /// The key is wrong, revoked, expired or missing.
    InvalidKey,
    /// The key is valid but lacks a scope/permission, the API is disabled, or the region is blocked.
    PermissionDenied,
    /// Out of credit, quota or spending limit; retrying won't help.
    NoQuota,
    /// Short-term rate limit; retrying later will help.
    RateLimited,
    /// The model or deployment does not exist or is not available to this key.
    ModelNotFound,
    /// A 404 that names no model: the path does not exist on this server (a wrong base URL,
    /// or an API the server does not offer).
    EndpointNotFound,
    /// The provider says it is overloaded (Anthropic 529, 503s, capacity errors).
    Overloaded,
    /// The provider failed internally (other 5xx).
    ServerError,
    /// The provider rejected the request itself (other 4xx such as unknown parameters).
    Rejected,
    /// No connection could be made (set by the HTTP layer).
    Unreachable,
    /// The request timed out (HTTP layer, or 408/504).
    Timeout,
    /// The answer did not have the shape this API returns (HTML page, wrong endpoint…).
    BadResponse,
    /// Nothing was sent: the connector cannot be tested here (its key cannot be read, its
    /// type or base URL is unusable). Set by byok, never by a provider's answer.
    NotReady,
}

impl FailureClass {
    /// Short human label.
    pub fn label(&self) -> &'static str {
        match self {
            FailureClass::InvalidKey => "invalid key",
            FailureClass::PermissionDenied => "permission denied",
            FailureClass::NoQuota => "no credit / quota",
            FailureClass::RateLimited => "rate limited",
            FailureClass::ModelNotFound => "model not found",
            FailureClass::EndpointNotFound => "endpoint not found",
            FailureClass::Overloaded => "provider overloaded",
            FailureClass::ServerError => "provider error",
            FailureClass::Rejected => "request rejected",
            FailureClass::Unreachable => "unreachable",
            FailureClass::Timeout => "timeout",
            FailureClass::BadResponse => "bad response",
            FailureClass::NotReady => "not tested",
        }
    }

    /// The actionable fix to show next to the label.
    pub fn hint(&self) -> &'static str {
        match self {
            FailureClass::InvalidKey => {
                "check the key was copied whole, or create a new one in the provider's console and store it again"
            }
            FailureClass::PermissionDenied => {
                "the key works but may not do this: check its scopes/restrictions, that the API is enabled for its project, and your region"
            }
            FailureClass::NoQuota => {
                "add credit or raise the spending limit in the provider's billing settings; retrying won't help"
            }
            FailureClass::RateLimited => {
                "wait a little and retry; if it persists, check your plan's rate limits"
            }
            FailureClass::ModelNotFound => {
                "pick another model with `byok connector edit NAME --model M` (see `byok connector models NAME`)"
            }
            FailureClass::EndpointNotFound => {
                "check the base URL with `byok connector edit NAME --base-url URL` (OpenAI-compatible servers usually end in /v1), and that the server offers this API"
            }
            FailureClass::Overloaded => "the provider is busy; retry in a minute",
            FailureClass::ServerError => {
                "the provider failed internally; retry later or check its status page"
            }
            FailureClass::Rejected => {
                "the provider refused the test request; check the model and options with `byok connector edit NAME`"
            }
            FailureClass::Unreachable => {
                "check the base URL, your network or proxy, and that a local server is running"
            }
            FailureClass::Timeout => "retry; local servers may need longer while a model loads",
            FailureClass::BadResponse => {
                "check the base URL points at the API itself (OpenAI-compatible ones usually end in /v1) with `byok connector edit NAME --base-url URL`"
            }
            FailureClass::NotReady => {
                "nothing was sent: fix what the message says (the secret, base URL or type), then test again"
            }
        }
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A classified failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong.
    pub class: FailureClass,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The provider's own message, raw: pass it through [`Failure::redact`] before printing.
    pub message: String,
    /// `retry-after` value in seconds (or an HTTP date) when the provider sent one.
    pub retry_after: Option<String>,
}

impl Failure {
    /// Scrubs key material from the message (see [`crate::provider::redact`]).
    pub fn redact(&mut self, key: Option<&str>) {
        self.message = crate::provider::redact::redact(&self.message, key);
    }
}

/// Result of one chat probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatOutcome {
    /// The provider accepted the key and ran the model (the reply may be empty).
    Success {
        /// Visible reply text (possibly empty when the token cap was hit).
        reply: String,
        /// Prompt tokens as reported by the provider.
        input_tokens: Option<u64>,
        /// Output tokens as reported (including hidden reasoning where reported separately).
        output_tokens: Option<u64>,
    },
    /// The request failed.
    Failure(Failure),
}

/// Why a model list could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelsError {
    /// The body was not JSON.
    #[error("model list is not JSON: {0}")]
    NotJson(String),
    /// The JSON did not contain a model list.
    #[error("model list has an unexpected shape")]
    UnexpectedShape,
}

/// Builds the chat probe for `wire`.
pub fn build_chat(wire: WireFormat, ctx: &RequestContext) -> HttpRequest {
    match wire {
        WireFormat::OpenAiChat => openai::build_chat(ctx),
        WireFormat::AnthropicMessages => anthropic::build_chat(ctx),
        WireFormat::GeminiGenerateContent => gemini::build_chat(ctx),
        WireFormat::CohereChat => cohere::build_chat(ctx),
        WireFormat::AlephAlphaComplete => aleph_alpha::build_chat(ctx),
        WireFormat::AzureDeployments => azure::build_chat(ctx),
        WireFormat::PerplexityAgent => perplexity::build_chat(ctx),
        WireFormat::OllamaChat => ollama::build_chat(ctx),
    }
}

/// Parses the chat probe's response for `wire`.
pub fn parse_chat(
    wire: WireFormat,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> ChatOutcome {
    match wire {
        WireFormat::OpenAiChat => openai::parse_chat(status, headers, body),
        WireFormat::AnthropicMessages => anthropic::parse_chat(status, headers, body),
        WireFormat::GeminiGenerateContent => gemini::parse_chat(status, headers, body),
        WireFormat::CohereChat => cohere::parse_chat(status, headers, body),
        WireFormat::AlephAlphaComplete => aleph_alpha::parse_chat(status, headers, body),
        WireFormat::AzureDeployments => azure::parse_chat(status, headers, body),
        WireFormat::PerplexityAgent => perplexity::parse_chat(status, headers, body),
        WireFormat::OllamaChat => ollama::parse_chat(status, headers, body),
    }
}

/// Builds the model-list request, or `None` when the wire format has no model list.
pub fn build_models(wire: WireFormat, ctx: &RequestContext) -> Option<HttpRequest> {
    match wire {
        WireFormat::OpenAiChat => Some(openai::build_models(ctx)),
        WireFormat::AnthropicMessages => Some(anthropic::build_models(ctx)),
        WireFormat::GeminiGenerateContent => Some(gemini::build_models(ctx)),
        WireFormat::CohereChat => Some(cohere::build_models(ctx)),
        WireFormat::PerplexityAgent => Some(perplexity::build_models(ctx)),
        WireFormat::OllamaChat => Some(ollama::build_models(ctx)),
        WireFormat::AlephAlphaComplete | WireFormat::AzureDeployments => None,
    }
}

/// Parses a successful (2xx) model-list body into model ids.
/// For non-2xx answers use [`parse_failure`].
pub fn parse_models(wire: WireFormat, body: &[u8]) -> Result<Vec<String>, ModelsError> {
    match wire {
        WireFormat::OpenAiChat | WireFormat::AzureDeployments | WireFormat::AlephAlphaComplete => {
            openai::parse_models(body)
        }
        WireFormat::AnthropicMessages => anthropic::parse_models(body),
        WireFormat::GeminiGenerateContent => gemini::parse_models(body),
        WireFormat::CohereChat => cohere::parse_models(body),
        WireFormat::PerplexityAgent => perplexity::parse_models(body),
        WireFormat::OllamaChat => ollama::parse_models(body),
    }
}

// ---- helpers shared by the adapters -------------------------------------

/// Joins a base URL and a path that starts with `/`, tolerating a trailing `/` on the base.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// Percent-encodes one path segment or query value (RFC 3986 unreserved kept).
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn json_headers() -> Vec<Header> {
    vec![
        Header::plain("content-type", "application/json"),
        Header::plain("accept", "application/json"),
    ]
}

/// `Authorization: Bearer <key>` when a key is present (local servers may have none).
pub(crate) fn push_bearer(headers: &mut Vec<Header>, key: Option<&SecretString>) {
    if let Some(k) = key {
        headers.push(Header::secret(
            "authorization",
            format!("Bearer {}", k.expose_secret()),
        ));
    }
}

/// A header whose whole value is the key (`x-api-key`, `x-goog-api-key`, `api-key`).
pub(crate) fn push_key_header(headers: &mut Vec<Header>, name: &str, key: Option<&SecretString>) {
    if let Some(k) = key {
        headers.push(Header::secret(name, k.expose_secret().to_string()));
    }
}

pub(crate) fn get_request(url: String, headers: Vec<Header>) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url,
        headers,
        body: None,
    }
}

pub(crate) fn post_request(url: String, headers: Vec<Header>, body: Value) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url,
        headers,
        body: Some(body),
    }
}

/// Reads a token count that may be encoded as an integer or a float.
pub(crate) fn count(v: Option<&Value>) -> Option<u64> {
    let v = v?;
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f.round() as u64)
    })
}

/// Shared start of every `parse_chat`: non-2xx → classified failure; 2xx must be JSON.
pub(crate) fn success_json(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value, Failure> {
    if !(200..300).contains(&status) {
        return Err(parse_failure(status, headers, body));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(Failure {
            class: FailureClass::BadResponse,
            status: Some(status),
            message: classify::body_snippet(body),
            retry_after: None,
        }),
    }
}

/// A 2xx body that still carries an error object (OpenRouter, Ollama, Perplexity).
pub(crate) fn embedded_failure(
    status: u16,
    headers: &[(String, String)],
    json: &Value,
) -> Option<Failure> {
    let err = json.get("error")?;
    if err.is_null() {
        return None;
    }
    Some(classify::failure_from_json(status, headers, json))
}

pub(crate) fn bad_response(status: u16, message: &str) -> ChatOutcome {
    ChatOutcome::Failure(Failure {
        class: FailureClass::BadResponse,
        status: Some(status),
        message: message.to_string(),
        retry_after: None,
    })
}

/// Model ids from `{"data":[{"id":…}]}`, a bare `[{"id":…}]`, or `{"models":[…]}`.
pub(crate) fn ids_from_list(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|_| ModelsError::NotJson(classify::body_snippet(body)))?;
    let list = json
        .as_array()
        .or_else(|| json.get("data").and_then(Value::as_array))
        .or_else(|| json.get("models").and_then(Value::as_array))
        .ok_or(ModelsError::UnexpectedShape)?;
    Ok(list
        .iter()
        .filter_map(|m| {
            m.as_str()
                .or_else(|| m.get("id").and_then(Value::as_str))
                .or_else(|| m.get("name").and_then(Value::as_str))
                .or_else(|| m.get("model").and_then(Value::as_str))
        })
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn key(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    pub fn ctx<'a>(
        base_url: &'a str,
        model: &'a str,
        key: Option<&'a SecretString>,
        options: &'a BTreeMap<String, String>,
    ) -> RequestContext<'a> {
        RequestContext {
            base_url,
            model,
            prompt: "Reply with 'ok'",
            max_tokens: 16,
            key,
            options,
        }
    }

    /// Asserts the named header holds exactly `expected` and is typed as secret.
    pub fn assert_secret_header(req: &HttpRequest, name: &str, expected: &str) {
        let v = req.header(name).unwrap_or_else(|| panic!("missing {name}"));
        assert!(v.is_secret(), "{name} must be secret");
        assert_eq!(v.expose_for_transport(), expected);
        let dbg = format!("{req:?}");
        assert!(!dbg.contains(expected), "Debug leaked the key: {dbg}");
    }

    pub fn assert_plain_header(req: &HttpRequest, name: &str, expected: &str) {
        let v = req.header(name).unwrap_or_else(|| panic!("missing {name}"));
        assert!(!v.is_secret());
        assert_eq!(v.expose_for_transport(), expected);
    }

    pub fn failure_class(outcome: &ChatOutcome) -> FailureClass {
        match outcome {
            ChatOutcome::Failure(f) => f.class,
            other => panic!("expected failure, got {other:?}"),
        }
    }

    pub fn hdrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn secret_header_debug_is_masked() {
        let h = Header::secret("authorization", "Bearer sk-test-abcdef123456".into());
        let dbg = format!("{h:?}");
        assert!(dbg.contains("***"));
        assert!(!dbg.contains("sk-test"));
        let p = Header::plain("anthropic-version", "2023-06-01");
        assert!(format!("{p:?}").contains("2023-06-01"));
    }

    #[test]
    fn join_and_encode() {
        assert_eq!(join("http://x/v1/", "/models"), "http://x/v1/models");
        assert_eq!(encode_component("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_component("gpt-4.1_x~"), "gpt-4.1_x~");
    }

    #[test]
    fn every_class_has_distinct_label_and_hint() {
        let all = [
            FailureClass::InvalidKey,
            FailureClass::PermissionDenied,
            FailureClass::NoQuota,
            FailureClass::RateLimited,
            FailureClass::ModelNotFound,
            FailureClass::EndpointNotFound,
            FailureClass::Overloaded,
            FailureClass::ServerError,
            FailureClass::Rejected,
            FailureClass::Unreachable,
            FailureClass::Timeout,
            FailureClass::BadResponse,
        ];
        let labels: std::collections::BTreeSet<_> = all.iter().map(|c| c.label()).collect();
        let hints: std::collections::BTreeSet<_> = all.iter().map(|c| c.hint()).collect();
        assert_eq!(labels.len(), all.len());
        assert_eq!(hints.len(), all.len());
        assert_eq!(FailureClass::NoQuota.label(), "no credit / quota");
        assert!(
            FailureClass::ModelNotFound
                .hint()
                .contains("byok connector models NAME")
        );
        assert_eq!(FailureClass::Overloaded.to_string(), "provider overloaded");
    }

    #[test]
    fn failure_redact_scrubs_key() {
        let mut f = Failure {
            class: FailureClass::InvalidKey,
            status: Some(401),
            message: "Incorrect API key provided: sk-test-abcdefghijklmnop".into(),
            retry_after: None,
        };
        f.redact(Some("sk-test-abcdefghijklmnop"));
        assert!(!f.message.contains("abcdefghijklmnop"));
    }

    #[test]
    fn ids_from_list_shapes() {
        assert_eq!(
            ids_from_list(br#"{"object":"list","data":[{"id":"a"},{"id":"b"}]}"#).unwrap(),
            vec!["a", "b"]
        );
        assert_eq!(ids_from_list(br#"[{"id":"t"}]"#).unwrap(), vec!["t"]);
        assert_eq!(
            ids_from_list(br#"{"x":1}"#),
            Err(ModelsError::UnexpectedShape)
        );
        assert!(matches!(
            ids_from_list(b"<html>"),
            Err(ModelsError::NotJson(_))
        ));
    }

    #[test]
    fn dispatch_routes_to_adapter() {
        let opts = BTreeMap::new();
        let k = key("sk-test-dispatch0001");
        let c = ctx("http://127.0.0.1:9999", "m", Some(&k), &opts);
        assert!(
            build_chat(WireFormat::AnthropicMessages, &c)
                .url
                .ends_with("/v1/messages")
        );
        assert!(
            build_chat(WireFormat::CohereChat, &c)
                .url
                .ends_with("/v2/chat")
        );
        assert!(
            build_chat(WireFormat::OllamaChat, &c)
                .url
                .ends_with("/api/chat")
        );
        assert!(build_models(WireFormat::AzureDeployments, &c).is_none());
        assert!(build_models(WireFormat::AlephAlphaComplete, &c).is_none());
    }
}
