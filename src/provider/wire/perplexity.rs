//! Perplexity Agent API: `POST {base}/v1/agent` with a Bearer key. Sonar
//! `chat/completions` is supported only until 2026-09-27, so this adapter speaks
//! the Agent (Responses-style) contract. The base URL is the API root
//! (`https://api.perplexity.ai`).
//!
//! The request is strict (unknown fields → 400), so only `model`, `input` and
//! `max_output_tokens` are sent; no `tools`, so no paid web search happens.
//! Failed or cancelled runs come back as HTTP 200 with `status: "failed"`.

use serde_json::{Value, json};

use super::{
    ChatOutcome, Failure, FailureClass, Header, HttpRequest, ModelsError, RequestContext,
    bad_response, count, get_request, join, json_headers, post_request, push_bearer, success_json,
};

/// The API floors `max_output_tokens` at 16 anyway.
pub const MIN_OUTPUT_TOKENS: u32 = 16;

/// Builds the probe.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_bearer(&mut headers, ctx.key);
    let body = json!({
        "model": ctx.model,
        "input": ctx.prompt,
        "max_output_tokens": ctx.max_tokens.max(MIN_OUTPUT_TOKENS),
    });
    post_request(join(ctx.base_url, "/v1/agent"), headers, body)
}

/// Parses a Response object, branching on its `status`.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    match json.get("status").and_then(Value::as_str) {
        Some("completed") | Some("incomplete") => {}
        Some(run @ ("failed" | "cancelled")) => {
            let mut f = super::classify::failure_from_json(status, headers, &json);
            if json.get("error").is_none_or(Value::is_null) {
                f.message = format!("run {run}");
            }
            return ChatOutcome::Failure(f);
        }
        Some(other) => {
            return ChatOutcome::Failure(Failure {
                class: FailureClass::BadResponse,
                status: Some(status),
                message: format!("run not finished (status {other})"),
                retry_after: None,
            });
        }
        None => {
            if let Some(f) = super::embedded_failure(status, headers, &json) {
                return ChatOutcome::Failure(f);
            }
            if json.get("output").is_none() {
                return bad_response(status, "response has no output");
            }
        }
    }
    let reply = json
        .get("output")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|i| i.get("type").and_then(Value::as_str) == Some("message"))
                .filter_map(|i| i.get("content").and_then(Value::as_array))
                .flatten()
                .filter(|p| p.get("type").and_then(Value::as_str) == Some("output_text"))
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let usage = json.get("usage");
    ChatOutcome::Success {
        reply,
        input_tokens: count(usage.and_then(|u| u.get("input_tokens"))),
        output_tokens: count(usage.and_then(|u| u.get("output_tokens"))),
    }
}

/// `GET {base}/v1/models`. This endpoint needs no auth, so it proves nothing about
/// the key; the key is still sent in case that changes.
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    let mut headers = vec![Header::plain("accept", "application/json")];
    push_bearer(&mut headers, ctx.key);
    get_request(join(ctx.base_url, "/v1/models"), headers)
}

/// Reads the model list; the exact shape is unconfirmed, so `data[].id`,
/// `models[]` and bare arrays are all accepted.
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    super::ids_from_list(body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::Method;
    use super::super::test_support::*;
    use super::*;

    const KEY: &str = "pplx-test000000000000000000000000000000000000000000";

    #[test]
    fn builds_request() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let mut c = ctx(
            "https://api.perplexity.ai",
            "perplexity/sonar",
            Some(&k),
            &opts,
        );
        c.max_tokens = 4;
        let req = build_chat(&c);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://api.perplexity.ai/v1/agent");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        assert_plain_header(&req, "content-type", "application/json");
        // Exactly these fields: the API rejects unknown ones.
        assert_eq!(
            req.body.unwrap(),
            json!({"model": "perplexity/sonar", "input": "Reply with 'ok'", "max_output_tokens": 16})
        );
        let gw = build_chat(&ctx("http://127.0.0.1:9999/pplx/", "m", None, &opts));
        assert_eq!(gw.url, "http://127.0.0.1:9999/pplx/v1/agent");
    }

    #[test]
    fn models_request() {
        let opts = BTreeMap::new();
        let req = build_models(&ctx("https://api.perplexity.ai", "m", None, &opts));
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "https://api.perplexity.ai/v1/models");
        assert_eq!(
            parse_models(br#"{"object":"list","data":[{"id":"perplexity/sonar"}]}"#).unwrap(),
            vec!["perplexity/sonar"]
        );
    }

    #[test]
    fn parses_success_body() {
        let body = br#"{"id":"resp_1","object":"response","created_at":1,"completed_at":2,"status":"completed","model":"perplexity/sonar","output":[{"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"ok","annotations":[]}]}],"usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11,"cost":{"input_cost":0.00001,"output_cost":0.00001,"tool_calls_cost":0,"total_cost":0.00002,"currency":"USD"}}}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: "ok".into(),
                input_tokens: Some(9),
                output_tokens: Some(2)
            }
        );
        let incomplete = br#"{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[],"usage":{"input_tokens":9,"output_tokens":16}}"#;
        assert!(
            matches!(parse_chat(200, &[], incomplete), ChatOutcome::Success { ref reply, .. } if reply.is_empty())
        );
    }

    #[test]
    fn failed_run_with_200_is_failure() {
        let body = br#"{"id":"resp_2","object":"response","status":"failed","output":[],"error":{"message":"model error","type":"internal_error","code":500}}"#;
        assert_eq!(
            failure_class(&parse_chat(200, &[], body)),
            FailureClass::ServerError
        );
        let cancelled = br#"{"status":"cancelled","error":null}"#;
        let out = parse_chat(200, &[], cancelled);
        assert_eq!(failure_class(&out), FailureClass::ServerError);
        let ChatOutcome::Failure(f) = out else {
            unreachable!()
        };
        assert_eq!(f.message, "run cancelled");
    }

    #[test]
    fn classifies_errors() {
        let forbidden =
            br#"{"error":{"message":"invalid or blocked API key","type":"forbidden","code":401}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], forbidden)),
            FailureClass::InvalidKey
        );
        let model = br#"{"error":{"message":"unknown model 'perplexity/nope'","type":"invalid_model","code":400,"param":"model"}}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], model)),
            FailureClass::ModelNotFound
        );
        let unknown = br#"{"error":{"message":"invalid request body: json: unknown field \"max_tokens\"","type":"invalid_request","code":400,"param":"max_tokens"}}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], unknown)),
            FailureClass::Rejected
        );
        let rate = br#"{"error":{"message":"Too many requests","type":"request_rate_limit_exceeded","code":429}}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], rate)),
            FailureClass::RateLimited
        );
        let html = b"<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty/1.25.3.1</center>\r\n</body>\r\n</html>";
        assert_eq!(
            failure_class(&parse_chat(401, &[], html)),
            FailureClass::InvalidKey
        );
    }
}
