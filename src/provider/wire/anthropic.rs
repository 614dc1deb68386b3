//! Anthropic Messages API: `POST {base}/v1/messages` with `x-api-key` and
//! `anthropic-version: 2023-06-01`. The base URL is the API root without `/v1`
//! (as the official SDK and `ANTHROPIC_BASE_URL` take it).

use serde_json::{Value, json};

use super::{
    ChatOutcome, Header, HttpRequest, ModelsError, RequestContext, bad_response, count,
    embedded_failure, get_request, join, json_headers, post_request, push_key_header, success_json,
};

/// The API version header value every request must carry.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

fn headers(ctx: &RequestContext, json: bool) -> Vec<Header> {
    let mut h = if json {
        json_headers()
    } else {
        vec![Header::plain("accept", "application/json")]
    };
    h.push(Header::plain("anthropic-version", ANTHROPIC_VERSION));
    push_key_header(&mut h, "x-api-key", ctx.key);
    h
}

/// Builds the probe; `max_tokens` is mandatory on this API.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let body = json!({
        "model": ctx.model,
        "max_tokens": ctx.max_tokens.max(1),
        "messages": [{"role": "user", "content": ctx.prompt}],
    });
    post_request(join(ctx.base_url, "/v1/messages"), headers(ctx, true), body)
}

/// Parses a Messages response: text blocks joined, `usage.input_tokens/output_tokens`.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    if let Some(f) = embedded_failure(status, headers, &json) {
        return ChatOutcome::Failure(f);
    }
    let Some(blocks) = json.get("content").and_then(Value::as_array) else {
        return bad_response(status, "response has no content");
    };
    let reply = blocks
        .iter()
        .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
        .filter_map(|b| b.get("text").and_then(Value::as_str))
        .collect();
    let usage = json.get("usage");
    ChatOutcome::Success {
        reply,
        input_tokens: count(usage.and_then(|u| u.get("input_tokens"))),
        output_tokens: count(usage.and_then(|u| u.get("output_tokens"))),
    }
}

/// `GET {base}/v1/models?limit=1000` (the default page is only 20 entries).
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    get_request(
        join(ctx.base_url, "/v1/models?limit=1000"),
        headers(ctx, false),
    )
}

/// Reads `{"data":[{"id":…}],"has_more":…}`.
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    super::ids_from_list(body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "sk-ant-api03-test-0000000000000000000000AA";

    #[test]
    fn builds_request() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let mut c = ctx(
            "https://api.anthropic.com",
            "claude-haiku-4-5",
            Some(&k),
            &opts,
        );
        c.max_tokens = 8;
        let req = build_chat(&c);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://api.anthropic.com/v1/messages");
        assert_secret_header(&req, "x-api-key", KEY);
        assert!(req.header("authorization").is_none());
        assert_plain_header(&req, "anthropic-version", "2023-06-01");
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "model": "claude-haiku-4-5",
                "max_tokens": 8,
                "messages": [{"role": "user", "content": "Reply with 'ok'"}]
            })
        );
    }

    #[test]
    fn custom_base_url_keeps_its_path() {
        let opts = BTreeMap::new();
        let req = build_chat(&ctx("http://127.0.0.1:9999/anthropic/", "m", None, &opts));
        assert_eq!(req.url, "http://127.0.0.1:9999/anthropic/v1/messages");
        assert!(req.header("x-api-key").is_none());
    }

    #[test]
    fn models_request_and_parse() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_models(&ctx("https://api.anthropic.com", "m", Some(&k), &opts));
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "https://api.anthropic.com/v1/models?limit=1000");
        assert_secret_header(&req, "x-api-key", KEY);
        assert_plain_header(&req, "anthropic-version", "2023-06-01");
        let body = br#"{"data":[{"type":"model","id":"claude-haiku-4-5-20251001","display_name":"Claude Haiku 4.5","created_at":"2025-10-01T00:00:00Z"}],"has_more":false,"first_id":"claude-haiku-4-5-20251001","last_id":"claude-haiku-4-5-20251001"}"#;
        assert_eq!(
            parse_models(body).unwrap(),
            vec!["claude-haiku-4-5-20251001"]
        );
    }

    #[test]
    fn parses_real_success_body() {
        let body = br#"{"id":"msg_01","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":13,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: "ok".into(),
                input_tokens: Some(13),
                output_tokens: Some(4)
            }
        );
        let capped = br#"{"type":"message","content":[],"stop_reason":"max_tokens","usage":{"input_tokens":13,"output_tokens":8}}"#;
        assert!(
            matches!(parse_chat(200, &[], capped), ChatOutcome::Success { ref reply, .. } if reply.is_empty())
        );
    }

    #[test]
    fn classifies_errors() {
        let auth = br#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011"}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], auth)),
            FailureClass::InvalidKey
        );
        let credit = br#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_012"}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], credit)),
            FailureClass::NoQuota
        );
        let billing =
            br#"{"type":"error","error":{"type":"billing_error","message":"billing issue"}}"#;
        assert_eq!(
            failure_class(&parse_chat(402, &[], billing)),
            FailureClass::NoQuota
        );
        let over =
            br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert_eq!(
            failure_class(&parse_chat(529, &[], over)),
            FailureClass::Overloaded
        );
        let rate = br#"{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 50 requests per minute."}}"#;
        let out = parse_chat(429, &hdrs(&[("retry-after", "12")]), rate);
        assert_eq!(failure_class(&out), FailureClass::RateLimited);
        let ChatOutcome::Failure(f) = out else {
            unreachable!()
        };
        assert_eq!(f.retry_after.as_deref(), Some("12"));
        let model = br#"{"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"}}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], model)),
            FailureClass::ModelNotFound
        );
        let perm = br#"{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}"#;
        assert_eq!(
            failure_class(&parse_chat(403, &[], perm)),
            FailureClass::PermissionDenied
        );
        let bad = br#"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], bad)),
            FailureClass::Rejected
        );
    }
}
