//! Shared error classifier. Providers reuse status codes for different things
//! (429 = quota *or* rate limit; 400 = bad key on Gemini/xAI, no credit on
//! Anthropic), so the body is read first and the status is only a fallback.

use serde_json::Value;

use super::{Failure, FailureClass};

/// Longest provider message kept verbatim from a non-JSON body.
const SNIPPET_CHARS: usize = 300;
/// A `retry-after` this long means a daily quota, not a blip (Azure sends 86400).
const QUOTA_RETRY_SECS: u64 = 3600;

/// Classifies any non-success answer (all wire formats share this).
pub fn parse_failure(status: u16, headers: &[(String, String)], body: &[u8]) -> Failure {
    match serde_json::from_slice::<Value>(body) {
        Ok(json) if json.is_object() => failure_from_json(status, headers, &json),
        _ => {
            let message = body_snippet(body);
            let retry_after = retry_after(headers, None);
            let class = status_class(status, &retry_after);
            Failure {
                class,
                status: Some(status),
                message: if message.is_empty() {
                    format!("HTTP {status}")
                } else {
                    message
                },
                retry_after,
            }
        }
    }
}

/// Classifies a JSON error body (also used for 200 responses carrying an error).
pub(crate) fn failure_from_json(
    status: u16,
    headers: &[(String, String)],
    json: &Value,
) -> Failure {
    let info = ErrorInfo::from_json(json);
    // A 200 wrapping an error often carries the real status inside (OpenRouter, Gemini).
    // Without one, an error reported inside a 2xx is still the provider's failure.
    let effective = if (200..300).contains(&status) {
        info.numeric_code.unwrap_or(500)
    } else {
        status
    };
    let retry_after = retry_after(headers, Some(json));
    let class =
        body_class(&info, &retry_after).unwrap_or_else(|| status_class(effective, &retry_after));
    Failure {
        class,
        status: Some(status),
        message: info.message.unwrap_or_else(|| format!("HTTP {status}")),
        retry_after,
    }
}

/// The parts of an error body the rules look at.
#[derive(Debug, Default)]
struct ErrorInfo {
    message: Option<String>,
    /// Lower-cased `type`/`code`/`status`/`reason` strings.
    codes: Vec<String>,
    numeric_code: Option<u16>,
    /// Whole body, lower-cased, for detail markers (Gemini quota ids).
    raw: String,
}

impl ErrorInfo {
    fn from_json(json: &Value) -> Self {
        let mut info = ErrorInfo {
            raw: json.to_string().to_ascii_lowercase(),
            ..ErrorInfo::default()
        };
        let err = json.get("error");
        match err {
            Some(Value::Object(_)) => {
                let e = err.unwrap_or(&Value::Null);
                info.message = e.get("message").and_then(Value::as_str).map(str::to_string);
                for field in ["type", "code", "status"] {
                    info.push_code(e.get(field));
                }
                if let Some(details) = e.get("details").and_then(Value::as_array) {
                    for d in details {
                        info.push_code(d.get("reason"));
                    }
                }
            }
            Some(Value::String(s)) => info.message = Some(s.clone()),
            _ => {}
        }
        // Top-level fields used by xAI (`code`), Cohere/Mistral (`message`), Mistral/FastAPI (`detail`).
        info.push_code(json.get("code"));
        info.push_code(json.get("reason"));
        if json.get("type").and_then(Value::as_str) != Some("error") {
            info.push_code(json.get("type"));
        }
        if info.message.is_none() {
            info.message = json
                .get("message")
                .and_then(Value::as_str)
                .or_else(|| json.get("detail").and_then(Value::as_str))
                .or_else(|| {
                    json.get("detail")
                        .and_then(Value::as_array)
                        .and_then(|a| a.first())
                        .and_then(|d| d.get("msg"))
                        .and_then(Value::as_str)
                })
                .map(str::to_string);
        }
        info
    }

    fn push_code(&mut self, v: Option<&Value>) {
        match v {
            Some(Value::String(s)) => self.codes.push(s.to_ascii_lowercase()),
            Some(Value::Number(n)) => {
                if let Some(c) = n.as_u64().and_then(|c| u16::try_from(c).ok()) {
                    self.numeric_code.get_or_insert(c);
                    self.codes.push(c.to_string());
                }
            }
            _ => {}
        }
    }

    fn has_code(&self, wanted: &[&str]) -> bool {
        self.codes.iter().any(|c| wanted.contains(&c.as_str()))
    }
}

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| haystack.contains(n))
}

/// Body rules, most specific first. `None` means "let the status decide".
fn body_class(info: &ErrorInfo, retry_after: &Option<String>) -> Option<FailureClass> {
    let msg = info
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();

    // Gemini per-minute quota also says "exceeded your current quota" but clears by itself.
    if info.has_code(&["resource_exhausted"])
        && info.raw.contains("perminute")
        && !info.raw.contains("perday")
    {
        return Some(FailureClass::RateLimited);
    }

    if info.has_code(&[
        "insufficient_quota",
        "billing_error",
        "credit_limit",
        "not_enough_balance",
        "insufficient_balance",
        "insufficient_credits",
        "payment_required",
    ]) || contains_any(
        &msg,
        &[
            "exceeded your current quota",
            "credit balance is too low",
            "insufficient balance",
            "insufficient credits",
            "used all available credits",
            "spending limit",
            "credit limit",
            "not enough balance",
            "usage limit",
            "/ month",
            "per month",
        ],
    ) || retry_secs_in_message(&msg)
        .or_else(|| retry_after.as_deref().and_then(|r| r.trim().parse().ok()))
        .is_some_and(|s: u64| s >= QUOTA_RETRY_SECS)
    {
        return Some(FailureClass::NoQuota);
    }

    if info.has_code(&["overloaded_error", "overloaded"])
        || contains_any(&msg, &["overloaded", "capacity exceeded", "server is busy"])
    {
        return Some(FailureClass::Overloaded);
    }

    let model_words = msg.contains("model") || msg.contains("deployment");
    if info.has_code(&["model_not_found", "deploymentnotfound", "invalid_model"])
        || msg.contains("no models loaded")
        // Anthropic's 404 for an unknown model: "model: claude-nope".
        || msg.starts_with("model:")
        || (model_words
            && contains_any(
                &msg,
                &[
                    "does not exist",
                    "not found",
                    "not exist",
                    "is not a valid model",
                    "invalid model",
                    "no such model",
                    "not supported for generatecontent",
                ],
            ))
    {
        return Some(FailureClass::ModelNotFound);
    }

    // Before permissions: a leaked/suspended/missing key needs a new key, not a scope change.
    if info.has_code(&[
        "api_key_invalid",
        "invalid_api_key",
        "authentication_error",
        "unauthenticated",
        "consumer_suspended",
    ]) || contains_any(
        &msg,
        &[
            "incorrect api key",
            "invalid api key",
            "api key not valid",
            "api key not found",
            "api key expired",
            "invalid x-api-key",
            "authentication fails",
            "invalid api token",
            "invalid subscription key",
            "no auth credentials",
            "unregistered callers",
            "reported as leaked",
            "has been suspended",
            "invalid authentication",
        ],
    ) {
        return Some(FailureClass::InvalidKey);
    }

    if info.has_code(&[
        "permission_error",
        "permission_denied",
        "permission-denied",
        "service_disabled",
    ]) || contains_any(
        &msg,
        &[
            "insufficient permissions",
            "missing scopes",
            "has not been used in project",
            "not supported", // "Country, region, or territory not supported"
            "denied access",
        ],
    ) {
        // "not supported" alone is too broad outside 403 (e.g. unsupported parameter).
        if msg.contains("not supported")
            && !msg.contains("country")
            && !msg.contains("region")
            && !info.has_code(&["permission_error", "permission_denied", "permission-denied"])
        {
            return None;
        }
        return Some(FailureClass::PermissionDenied);
    }

    if info.has_code(&[
        "rate_limit_exceeded",
        "rate_limit_error",
        "request_rate_limit_exceeded",
        "rate_limited",
        "resource_exhausted",
        "too_many_requests",
    ]) || contains_any(&msg, &["rate limit", "too many requests"])
    {
        return Some(FailureClass::RateLimited);
    }

    if info.has_code(&["timeout_error", "gateway_timeout"]) {
        return Some(FailureClass::Timeout);
    }
    None
}

/// Status fallback, when the body's words and codes said nothing.
fn status_class(status: u16, retry_after: &Option<String>) -> FailureClass {
    match status {
        401 | 498 => FailureClass::InvalidKey,
        402 | 412 => FailureClass::NoQuota,
        403 => FailureClass::PermissionDenied,
        // A model that does not exist is named in the message (checked before this); a 404
        // that names none is a path this server does not have.
        404 => FailureClass::EndpointNotFound,
        408 | 504 => FailureClass::Timeout,
        429 => {
            let long = retry_after
                .as_deref()
                .and_then(|r| r.trim().parse::<u64>().ok())
                .is_some_and(|s| s >= QUOTA_RETRY_SECS);
            if long {
                FailureClass::NoQuota
            } else {
                FailureClass::RateLimited
            }
        }
        503 | 529 => FailureClass::Overloaded,
        400..=499 => FailureClass::Rejected,
        500..=599 => FailureClass::ServerError,
        _ => FailureClass::BadResponse,
    }
}

/// `retry-after` (seconds or date), else `retry-after-ms` as seconds, else Gemini `retryDelay`.
fn retry_after(headers: &[(String, String)], json: Option<&Value>) -> Option<String> {
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    if let Some(v) = find("retry-after") {
        return Some(v);
    }
    if let Some(ms) = find("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Some(format_secs(ms / 1000.0));
    }
    let details = json?.get("error")?.get("details")?.as_array()?;
    details.iter().find_map(|d| {
        let delay = d.get("retryDelay")?.as_str()?;
        let secs: f64 = delay.strip_suffix('s')?.parse().ok()?;
        Some(format_secs(secs))
    })
}

fn format_secs(secs: f64) -> String {
    if secs.fract() == 0.0 {
        format!("{}", secs as u64)
    } else {
        format!("{secs:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Azure: "Please retry after 86400 seconds".
fn retry_secs_in_message(msg: &str) -> Option<u64> {
    let rest = &msg[msg.find("retry after ")? + "retry after ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if rest[digits.len()..].trim_start().starts_with("second") {
        digits.parse().ok()
    } else {
        None
    }
}

/// A short, printable rendering of a non-JSON body (HTML → its title or text).
pub(crate) fn body_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let plain = if trimmed.starts_with('<') {
        html_text(trimmed)
    } else {
        trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    truncate_chars(&plain, SNIPPET_CHARS)
}

fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(s), Some(e)) = (lower.find("<title>"), lower.find("</title>")) {
        let start = s + "<title>".len();
        if start <= e {
            let t = html[start..e].trim();
            if !t.is_empty() {
                return t.to_string();
            }
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::hdrs;
    use super::*;

    fn class(status: u16, body: &str) -> FailureClass {
        parse_failure(status, &[], body.as_bytes()).class
    }

    #[test]
    fn html_401_is_tolerated() {
        let body = "<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>openresty/1.25.3.1</center></body></html>";
        let f = parse_failure(401, &[], body.as_bytes());
        assert_eq!(f.class, FailureClass::InvalidKey);
        assert_eq!(f.message, "401 Authorization Required");
    }

    #[test]
    fn a_404_that_names_no_model_is_an_endpoint_not_found() {
        for body in [
            "<html><body>Not Found</body></html>",
            r#"{"error":{"message":"nope"}}"#,
            r#"{"detail":"Not Found"}"#,
            "404 page not found",
        ] {
            assert_eq!(class(404, body), FailureClass::EndpointNotFound, "{body}");
        }
        assert_eq!(
            class(
                404,
                r#"{"error":{"message":"The model `gpt-nope` does not exist","code":"model_not_found"}}"#
            ),
            FailureClass::ModelNotFound
        );
        assert!(
            !FailureClass::EndpointNotFound
                .hint()
                .contains("another model")
        );
    }

    #[test]
    fn empty_bodies_fall_back_to_status() {
        let f = parse_failure(502, &[], b"");
        assert_eq!(f.class, FailureClass::ServerError);
        assert_eq!(f.message, "HTTP 502");
        assert_eq!(class(503, ""), FailureClass::Overloaded);
        assert_eq!(class(504, ""), FailureClass::Timeout);
        assert_eq!(class(402, ""), FailureClass::NoQuota);
        assert_eq!(class(422, "{}"), FailureClass::Rejected);
    }

    #[test]
    fn retry_after_variants() {
        let f = parse_failure(429, &hdrs(&[("Retry-After", "7")]), b"{}");
        assert_eq!(f.retry_after.as_deref(), Some("7"));
        assert_eq!(f.class, FailureClass::RateLimited);
        let f = parse_failure(429, &hdrs(&[("retry-after-ms", "1500")]), b"{}");
        assert_eq!(f.retry_after.as_deref(), Some("1.5"));
        // A day-long wait is a quota, not a blip.
        let f = parse_failure(429, &hdrs(&[("retry-after", "86400")]), b"{}");
        assert_eq!(f.class, FailureClass::NoQuota);
    }

    #[test]
    fn unsupported_parameter_is_rejected_not_permission() {
        let body = r#"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#;
        assert_eq!(class(400, body), FailureClass::Rejected);
    }

    #[test]
    fn region_block_is_permission() {
        let body = r#"{"error":{"message":"Country, region, or territory not supported","type":"request_forbidden","code":"unsupported_country_region_territory"}}"#;
        assert_eq!(class(403, body), FailureClass::PermissionDenied);
    }

    #[test]
    fn snippet_truncates_long_text() {
        let long = "x".repeat(1000);
        let s = body_snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
    }
}
