//! OpenAI chat completions (`POST {base}/chat/completions`), spoken by OpenAI and
//! the OpenAI-compatible hosts: Mistral, LM Studio, vLLM, xAI, Novita, Groq,
//! DeepSeek, OpenRouter, Together, Fireworks and any `openai-compatible` server.
//! The base URL includes the version prefix (e.g. `https://api.openai.com/v1`).
//!
//! Options (all optional; catalog entries supply defaults):
//! - `max_tokens_field`: `max_tokens` (default; understood by every compatible
//!   host) or `max_completion_tokens` (required by OpenAI's o-series/GPT-5).
//! - `reasoning_effort`: sent verbatim (e.g. `minimal`) for reasoning models.
//! - `thinking`: DeepSeek V4 switch, sent as `{"thinking":{"type":VALUE}}`.

use serde_json::{Value, json};

use super::{
    ChatOutcome, HttpRequest, ModelsError, RequestContext, bad_response, count, embedded_failure,
    get_request, join, json_headers, post_request, push_bearer, success_json,
};

/// Option naming the output-cap field.
pub const OPT_MAX_TOKENS_FIELD: &str = "max_tokens_field";
/// Option carrying `reasoning_effort`.
pub const OPT_REASONING_EFFORT: &str = "reasoning_effort";
/// Option carrying DeepSeek's `thinking.type`.
pub const OPT_THINKING: &str = "thinking";

/// Builds the chat probe. No `temperature`/`top_p`: reasoning models reject non-defaults.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_bearer(&mut headers, ctx.key);
    let field = match ctx.options.get(OPT_MAX_TOKENS_FIELD).map(String::as_str) {
        Some("max_completion_tokens") => "max_completion_tokens",
        _ => "max_tokens",
    };
    let mut body = json!({
        "model": ctx.model,
        "messages": [{"role": "user", "content": ctx.prompt}],
    });
    body[field] = json!(ctx.max_tokens.max(1));
    if let Some(effort) = ctx.options.get(OPT_REASONING_EFFORT) {
        body["reasoning_effort"] = json!(effort);
    }
    if let Some(mode) = ctx.options.get(OPT_THINKING) {
        body["thinking"] = json!({ "type": mode });
    }
    post_request(join(ctx.base_url, "/chat/completions"), headers, body)
}

/// Parses a chat-completions response, including 200s that carry an `error` object.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    parse_chat_json(status, headers, &json)
}

pub(crate) fn parse_chat_json(
    status: u16,
    headers: &[(String, String)],
    json: &Value,
) -> ChatOutcome {
    if let Some(f) = embedded_failure(status, headers, json) {
        return ChatOutcome::Failure(f);
    }
    let Some(choice) = json
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
    else {
        return bad_response(status, "response has no choices");
    };
    let content = choice.get("message").and_then(|m| m.get("content"));
    // Content may be a string, null (cap hit / tool call), or a list of text parts.
    let reply = match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    };
    let usage = json.get("usage");
    ChatOutcome::Success {
        reply,
        input_tokens: count(usage.and_then(|u| u.get("prompt_tokens"))),
        output_tokens: count(usage.and_then(|u| u.get("completion_tokens"))),
    }
}

/// `GET {base}/models`.
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    let mut headers = vec![super::Header::plain("accept", "application/json")];
    push_bearer(&mut headers, ctx.key);
    get_request(join(ctx.base_url, "/models"), headers)
}

/// Reads `{"data":[{"id":…}]}` (or Together's bare array).
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    super::ids_from_list(body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "sk-test-openai-0000000000000000";

    fn success(reply: &str, input: u64, output: u64) -> ChatOutcome {
        ChatOutcome::Success {
            reply: reply.into(),
            input_tokens: Some(input),
            output_tokens: Some(output),
        }
    }

    #[test]
    fn builds_request_for_default_base() {
        let k = key(KEY);
        let mut opts = BTreeMap::new();
        opts.insert(
            OPT_MAX_TOKENS_FIELD.to_string(),
            "max_completion_tokens".to_string(),
        );
        let req = build_chat(&ctx(
            "https://api.openai.com/v1",
            "gpt-4.1-nano",
            Some(&k),
            &opts,
        ));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://api.openai.com/v1/chat/completions");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "model": "gpt-4.1-nano",
                "messages": [{"role": "user", "content": "Reply with 'ok'"}],
                "max_completion_tokens": 16
            })
        );
        assert!(!req.url.contains(KEY));
    }

    #[test]
    fn builds_request_for_gateway_with_default_field_and_extras() {
        let k = key(KEY);
        let mut opts = BTreeMap::new();
        opts.insert(OPT_THINKING.to_string(), "disabled".to_string());
        opts.insert(OPT_REASONING_EFFORT.to_string(), "minimal".to_string());
        let req = build_chat(&ctx("http://127.0.0.1:9999/v1/", "m", Some(&k), &opts));
        assert_eq!(req.url, "http://127.0.0.1:9999/v1/chat/completions");
        let body = req.body.unwrap();
        assert_eq!(body["max_tokens"], 16);
        assert!(body.get("max_completion_tokens").is_none());
        assert!(body.get("temperature").is_none());
        assert_eq!(body["thinking"], json!({"type": "disabled"}));
        assert_eq!(body["reasoning_effort"], "minimal");
    }

    #[test]
    fn no_key_means_no_auth_header() {
        let opts = BTreeMap::new();
        let req = build_chat(&ctx("http://localhost:1234/v1", "local", None, &opts));
        assert!(req.header("authorization").is_none());
    }

    #[test]
    fn models_request_and_parse() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_models(&ctx("https://api.groq.com/openai/v1", "m", Some(&k), &opts));
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "https://api.groq.com/openai/v1/models");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        let body = br#"{"object":"list","data":[{"id":"gpt-4.1-nano","object":"model","created":1,"owned_by":"system"},{"id":"gpt-5.4-nano","object":"model"}]}"#;
        assert_eq!(
            parse_models(body).unwrap(),
            vec!["gpt-4.1-nano", "gpt-5.4-nano"]
        );
    }

    #[test]
    fn parses_real_success_body() {
        let body = br#"{"id":"chatcmpl-abc","object":"chat.completion","created":1741569952,"model":"gpt-4.1-nano-2025-04-14","choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},"service_tier":"default"}"#;
        assert_eq!(parse_chat(200, &[], body), success("ok", 12, 2));
    }

    #[test]
    fn empty_reply_with_length_is_success() {
        let body = br#"{"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"length"}],"usage":{"prompt_tokens":10,"completion_tokens":16,"total_tokens":26,"completion_tokens_details":{"reasoning_tokens":16}}}"#;
        assert_eq!(parse_chat(200, &[], body), success("", 10, 16));
        let null_content = br#"{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]}"#;
        assert!(matches!(
            parse_chat(200, &[], null_content),
            ChatOutcome::Success { .. }
        ));
    }

    #[test]
    fn openrouter_error_inside_200_is_failure() {
        let body = br#"{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits","metadata":{"limit_source":"key"}}}"#;
        assert_eq!(
            failure_class(&parse_chat(200, &[], body)),
            FailureClass::NoQuota
        );
        let body = br#"{"id":"gen-1","choices":[],"error":{"code":502,"message":"Upstream provider error"}}"#;
        assert_eq!(
            failure_class(&parse_chat(200, &[], body)),
            FailureClass::ServerError
        );
    }

    #[test]
    fn two_hundred_without_choices_is_bad_response() {
        assert_eq!(
            failure_class(&parse_chat(200, &[], b"{}")),
            FailureClass::BadResponse
        );
        assert_eq!(
            failure_class(&parse_chat(200, &[], b"<html>login</html>")),
            FailureClass::BadResponse
        );
    }

    #[test]
    fn classifies_openai_errors() {
        let invalid = br#"{"error":{"message":"Incorrect API key provided: sk-test-***0000. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], invalid)),
            FailureClass::InvalidKey
        );
        let scopes = br#"{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.model.request. Check that you have the correct role in your organization.","type":"invalid_request_error","param":null,"code":null}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], scopes)),
            FailureClass::PermissionDenied
        );
        let quota = br#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], quota)),
            FailureClass::NoQuota
        );
        let rate = br#"{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 18.6s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"#;
        let h = hdrs(&[("retry-after-ms", "18600"), ("x-request-id", "req_1")]);
        let out = parse_chat(429, &h, rate);
        assert_eq!(failure_class(&out), FailureClass::RateLimited);
        let ChatOutcome::Failure(f) = out else {
            unreachable!()
        };
        assert_eq!(f.retry_after.as_deref(), Some("18.6"));
        assert_eq!(f.status, Some(429));
        assert!(f.message.starts_with("Rate limit reached"));
        let model = br#"{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], model)),
            FailureClass::ModelNotFound
        );
    }

    #[test]
    fn classifies_compatible_host_errors() {
        // xAI: bad key is a 400 with a top-level string error.
        let xai = br#"{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***ys. You can obtain an API key from https://console.x.ai."}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], xai)),
            FailureClass::InvalidKey
        );
        let xai_credit = br#"{"code":"Some resource has been exhausted","error":"Your team 0000 has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit."}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], xai_credit)),
            FailureClass::NoQuota
        );
        // DeepSeek.
        let ds = br#"{"error":{"message":"Authentication Fails, Your api key: ****fcc2 is invalid","type":"authentication_error","param":null,"code":"invalid_request_error"}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], ds)),
            FailureClass::InvalidKey
        );
        let ds_money = br#"{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}"#;
        assert_eq!(
            failure_class(&parse_chat(402, &[], ds_money)),
            FailureClass::NoQuota
        );
        assert_eq!(
            failure_class(&parse_chat(503, &[], b"")),
            FailureClass::Overloaded
        );
        // Mistral.
        let mis = br#"{"detail":"Unauthorized"}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], mis)),
            FailureClass::InvalidKey
        );
        let cap = br#"{"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], cap)),
            FailureClass::Overloaded
        );
        let mrate = br#"{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], mrate)),
            FailureClass::RateLimited
        );
        // Groq.
        let groq = br#"{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], groq)),
            FailureClass::InvalidKey
        );
        // Together.
        let tog = br#"{"error":{"message":"Credit limit exceeded. Please navigate to https://api.together.xyz/settings/billing to add credit or upgrade your plan.","type":"credit_limit","param":null,"code":null}}"#;
        assert_eq!(
            failure_class(&parse_chat(402, &[], tog)),
            FailureClass::NoQuota
        );
        // Novita: balance problems come as 403 (documented code; envelope shape assumed).
        let nov = br#"{"code":403,"reason":"NOT_ENOUGH_BALANCE","message":"not enough balance"}"#;
        assert_eq!(
            failure_class(&parse_chat(403, &[], nov)),
            FailureClass::NoQuota
        );
        // Fireworks: suspended account is 412.
        let fw = br#"{"error":{"object":"error","type":"invalid_request_error","code":"PRECONDITION_FAILED","message":"Account acct is suspended, possibly due to reaching the monthly spending limit or failure to pay past invoices."}}"#;
        assert_eq!(
            failure_class(&parse_chat(412, &[], fw)),
            FailureClass::NoQuota
        );
        // LM Studio with nothing loaded.
        let lms = br#"{"error":{"message":"No models loaded. Please load a model in the developer page or use the `lms load` command","type":"invalid_request_error","param":"model"}}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], lms)),
            FailureClass::ModelNotFound
        );
        // OpenRouter.
        let or = br#"{"error":{"code":401,"message":"User not found."}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], or)),
            FailureClass::InvalidKey
        );
        // vLLM with auth on.
        assert_eq!(
            failure_class(&parse_chat(401, &[], br#"{"error":"Unauthorized"}"#)),
            FailureClass::InvalidKey
        );
    }
}
