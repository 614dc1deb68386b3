//! Our refusals ([`Untranslatable`]) and error bodies in each wire's JSON shape.
//!
//! OpenAI (chat and Responses): `{"error":{"message","type","param","code"}}`.
//! Anthropic: `{"type":"error","error":{"type","message"}}`.

use serde_json::{Value, json};

use super::Wire;

/// Why a request or response could not be carried across wires. Messages name fields and
/// positions (`messages[2].content[0].type`), never values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Untranslatable {
    /// The client sent a field (or value) that the target wire has no equivalent for.
    #[error("`{field}` cannot be translated for an {target} upstream: {reason}")]
    Unsupported {
        field: String,
        target: &'static str,
        reason: String,
    },
    /// The client's request is malformed where translation needs it to be well formed.
    #[error("`{field}` is invalid: {reason}")]
    Invalid { field: String, reason: String },
    /// The upstream answered with something that does not fit the client's wire.
    #[error("the upstream response cannot be translated: {reason}")]
    Upstream { reason: String },
}

impl Untranslatable {
    pub(crate) fn unsupported(
        field: impl Into<String>,
        target: Wire,
        reason: impl Into<String>,
    ) -> Self {
        Untranslatable::Unsupported {
            field: field.into(),
            target: target.label(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Untranslatable::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn upstream(reason: impl Into<String>) -> Self {
        Untranslatable::Upstream {
            reason: reason.into(),
        }
    }

    /// The HTTP status the proxy answers with: 400 for the client's request, 502 for an
    /// upstream answer we could not translate.
    pub fn status(&self) -> u16 {
        match self {
            Untranslatable::Unsupported { .. } | Untranslatable::Invalid { .. } => 400,
            Untranslatable::Upstream { .. } => 502,
        }
    }

    /// The offending field's path, when the error is about the request.
    pub fn field(&self) -> Option<&str> {
        match self {
            Untranslatable::Unsupported { field, .. } | Untranslatable::Invalid { field, .. } => {
                Some(field)
            }
            Untranslatable::Upstream { .. } => None,
        }
    }

    /// The error body in the client's wire format.
    pub fn to_body(&self, client: Wire) -> Value {
        let kind = match self {
            Untranslatable::Upstream { .. } => ErrorKind::Api,
            _ => ErrorKind::InvalidRequest,
        };
        error_body(client, kind, &self.to_string(), self.field())
    }
}

/// Error classes common to both providers' error vocabularies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidRequest,
    Authentication,
    Billing,
    Permission,
    NotFound,
    Conflict,
    RequestTooLarge,
    RateLimit,
    Api,
    Timeout,
    Overloaded,
}

impl ErrorKind {
    /// The class an HTTP status implies (Anthropic's table, §3.6 of the fact sheet).
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => ErrorKind::Authentication,
            402 => ErrorKind::Billing,
            403 => ErrorKind::Permission,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            413 => ErrorKind::RequestTooLarge,
            429 => ErrorKind::RateLimit,
            504 => ErrorKind::Timeout,
            529 | 503 => ErrorKind::Overloaded,
            400..=499 => ErrorKind::InvalidRequest,
            _ => ErrorKind::Api,
        }
    }

    /// The status an error of this class is answered with.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::InvalidRequest => 400,
            ErrorKind::Authentication => 401,
            ErrorKind::Billing => 402,
            ErrorKind::Permission => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::RequestTooLarge => 413,
            ErrorKind::RateLimit => 429,
            ErrorKind::Api => 500,
            ErrorKind::Timeout => 504,
            ErrorKind::Overloaded => 529,
        }
    }

    /// Anthropic's `error.type`.
    pub fn anthropic_type(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request_error",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::Billing => "billing_error",
            ErrorKind::Permission => "permission_error",
            ErrorKind::NotFound => "not_found_error",
            ErrorKind::Conflict => "conflict_error",
            ErrorKind::RequestTooLarge => "request_too_large",
            ErrorKind::RateLimit => "rate_limit_error",
            ErrorKind::Api => "api_error",
            ErrorKind::Timeout => "timeout_error",
            ErrorKind::Overloaded => "overloaded_error",
        }
    }

    /// OpenAI's `error.type`.
    pub fn openai_type(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest | ErrorKind::NotFound | ErrorKind::RequestTooLarge => {
                "invalid_request_error"
            }
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::Billing => "insufficient_quota",
            ErrorKind::Permission => "permission_error",
            ErrorKind::Conflict => "conflict_error",
            ErrorKind::RateLimit => "rate_limit_exceeded",
            ErrorKind::Api | ErrorKind::Overloaded => "server_error",
            ErrorKind::Timeout => "timeout",
        }
    }

    /// The class of an Anthropic `error.type`.
    pub fn from_anthropic_type(kind: &str) -> Option<Self> {
        Some(match kind {
            "invalid_request_error" => ErrorKind::InvalidRequest,
            "authentication_error" => ErrorKind::Authentication,
            "billing_error" => ErrorKind::Billing,
            "permission_error" => ErrorKind::Permission,
            "not_found_error" => ErrorKind::NotFound,
            "conflict_error" => ErrorKind::Conflict,
            "request_too_large" => ErrorKind::RequestTooLarge,
            "rate_limit_error" => ErrorKind::RateLimit,
            "api_error" => ErrorKind::Api,
            "timeout_error" => ErrorKind::Timeout,
            "overloaded_error" => ErrorKind::Overloaded,
            _ => return None,
        })
    }

    /// The class of an OpenAI `error.type` / `error.code`.
    pub fn from_openai(kind: &str, code: &str) -> Option<Self> {
        Some(match (kind, code) {
            (_, "insufficient_quota") | ("insufficient_quota", _) => ErrorKind::Billing,
            (_, "rate_limit_exceeded")
            | ("rate_limit_exceeded", _)
            | ("requests", _)
            | ("tokens", _) => ErrorKind::RateLimit,
            (_, "model_not_found") => ErrorKind::NotFound,
            ("invalid_request_error", _) => ErrorKind::InvalidRequest,
            ("authentication_error", _) | (_, "invalid_api_key") => ErrorKind::Authentication,
            ("permission_error", _) => ErrorKind::Permission,
            ("server_error", _) => ErrorKind::Api,
            _ => return None,
        })
    }
}

/// Upstream error messages are passed on, but never unbounded.
const MAX_MESSAGE: usize = 8 * 1024;

fn bounded(message: &str) -> String {
    if message.len() <= MAX_MESSAGE {
        return message.to_string();
    }
    let mut end = MAX_MESSAGE;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &message[..end])
}

/// An error body in `wire`'s JSON shape. `param` is OpenAI's `error.param` (the field at
/// fault); Anthropic's shape has no such member, so there it is only in the message.
pub fn error_body(wire: Wire, kind: ErrorKind, message: &str, param: Option<&str>) -> Value {
    let message = bounded(message);
    match wire {
        Wire::Messages => json!({
            "type": "error",
            "error": {"type": kind.anthropic_type(), "message": message},
        }),
        Wire::Chat | Wire::Responses => json!({
            "error": {
                "message": message,
                "type": kind.openai_type(),
                "param": param,
                "code": match kind {
                    ErrorKind::InvalidRequest if param.is_some() => Some("unsupported_parameter"),
                    ErrorKind::Billing => Some("insufficient_quota"),
                    ErrorKind::RateLimit => Some("rate_limit_exceeded"),
                    _ => None,
                },
            }
        }),
    }
}

/// Reads the class and message of an upstream error body of either shape; falls back to the
/// status's class and a generic message when the body is not JSON.
pub(crate) fn parse_error(
    status: Option<u16>,
    body: &Value,
) -> (ErrorKind, String, Option<String>) {
    let error = body.get("error").unwrap_or(body);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let kind_str = text(error.get("type"));
    let code = match error.get("code") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let param = error
        .get("param")
        .and_then(Value::as_str)
        .map(str::to_string);
    let kind = ErrorKind::from_anthropic_type(&kind_str)
        .or_else(|| ErrorKind::from_openai(&kind_str, &code))
        .or_else(|| status.map(ErrorKind::from_status))
        .unwrap_or(ErrorKind::Api);
    let mut message = text(error.get("message"));
    if message.is_empty() {
        message = match status {
            Some(s) => format!("upstream error (HTTP {s})"),
            None => "upstream error".to_string(),
        };
    }
    (kind, message, param)
}

/// Re-renders an upstream's error body (`from` wire, HTTP `status`) in the client's wire,
/// keeping the upstream's message text (clients such as Claude Code match on it). A body of
/// the client's own wire is returned as it was, if it parses.
pub fn translate_error_body(from: Wire, to: Wire, status: u16, body: &[u8]) -> Value {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let same = matches!(
        (from, to),
        (Wire::Messages, Wire::Messages)
            | (Wire::Chat | Wire::Responses, Wire::Chat | Wire::Responses)
    );
    if same && parsed.get("error").is_some_and(Value::is_object) {
        return parsed;
    }
    let (kind, message, param) = parse_error(Some(status), &parsed);
    error_body(to, kind, &message, param.as_deref())
}
