//! Aleph Alpha (PhariaInference) completion: `POST {host}/complete` with a Bearer
//! token. There is no default host since client 8.0, so the catalog requires
//! `--base-url`. No model-list endpoint is implemented: none is confirmed for
//! current hosts.

use serde_json::{Value, json};

use super::{
    ChatOutcome, HttpRequest, RequestContext, bad_response, count, embedded_failure, join,
    json_headers, post_request, push_bearer, success_json,
};

/// Builds the probe (`maximum_tokens` is this API's cap field).
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_bearer(&mut headers, ctx.key);
    let body = json!({
        "model": ctx.model,
        "prompt": ctx.prompt,
        "maximum_tokens": ctx.max_tokens.max(1),
    });
    post_request(join(ctx.base_url, "/complete"), headers, body)
}

/// Parses `completions[0].completion` and `num_tokens_prompt_total`/`num_tokens_generated`.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    if let Some(f) = embedded_failure(status, headers, &json) {
        return ChatOutcome::Failure(f);
    }
    let Some(completions) = json.get("completions").and_then(Value::as_array) else {
        return bad_response(status, "response has no completions");
    };
    let reply = completions
        .first()
        .and_then(|c| c.get("completion"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    ChatOutcome::Success {
        reply,
        input_tokens: count(json.get("num_tokens_prompt_total")),
        output_tokens: count(json.get("num_tokens_generated")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "test-aleph-token-000000000000";

    #[test]
    fn builds_request() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let mut c = ctx(
            "https://inference.example.test",
            "pharia-1-llm-7b-control",
            Some(&k),
            &opts,
        );
        c.max_tokens = 8;
        let req = build_chat(&c);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://inference.example.test/complete");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({"model": "pharia-1-llm-7b-control", "prompt": "Reply with 'ok'", "maximum_tokens": 8})
        );
        let gw = build_chat(&ctx("http://127.0.0.1:9999/aa/", "m", None, &opts));
        assert_eq!(gw.url, "http://127.0.0.1:9999/aa/complete");
    }

    #[test]
    fn parses_success_body() {
        let body = br#"{"model_version":"2024-10","completions":[{"completion":" ok","finish_reason":"maximum_tokens"}],"num_tokens_prompt_total":6,"num_tokens_generated":1}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: " ok".into(),
                input_tokens: Some(6),
                output_tokens: Some(1)
            }
        );
        assert_eq!(
            failure_class(&parse_chat(200, &[], b"{}")),
            FailureClass::BadResponse
        );
    }

    #[test]
    fn classifies_by_status() {
        // The client maps 401 → PermissionError (bad token), 402 → QuotaError, 503 → BusyError.
        assert_eq!(
            failure_class(&parse_chat(401, &[], b"Unauthorized")),
            FailureClass::InvalidKey
        );
        assert_eq!(
            failure_class(&parse_chat(402, &[], b"")),
            FailureClass::NoQuota
        );
        assert_eq!(
            failure_class(&parse_chat(503, &[], b"busy")),
            FailureClass::Overloaded
        );
        assert_eq!(
            failure_class(&parse_chat(408, &[], b"")),
            FailureClass::Timeout
        );
    }
}
