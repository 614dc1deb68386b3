//! Google Gemini (AI Studio) `generateContent`:
//! `POST {base}/models/{model}:generateContent` where the base includes the API
//! version (`https://generativelanguage.googleapis.com/v1beta`). The key goes in
//! the `x-goog-api-key` header, never in `?key=` (URLs end up in logs).
//!
//! No thinking config is sent: its knobs differ between model generations
//! (budget vs level) and a wrong one is a 400; a capped, empty answer
//! (`finishReason: MAX_TOKENS`) still proves the key.

use serde_json::{Value, json};

use super::{
    ChatOutcome, Header, HttpRequest, ModelsError, RequestContext, bad_response, count,
    embedded_failure, encode_component, get_request, join, json_headers, post_request,
    push_key_header, success_json,
};

/// Accepts `gemini-x` or `models/gemini-x`.
fn model_segment(model: &str) -> String {
    encode_component(model.strip_prefix("models/").unwrap_or(model))
}

/// Builds the probe.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_key_header(&mut headers, "x-goog-api-key", ctx.key);
    let url = join(
        ctx.base_url,
        &format!("/models/{}:generateContent", model_segment(ctx.model)),
    );
    let body = json!({
        "contents": [{"role": "user", "parts": [{"text": ctx.prompt}]}],
        "generationConfig": {"maxOutputTokens": ctx.max_tokens.max(1)},
    });
    post_request(url, headers, body)
}

/// Parses `candidates[0].content.parts[].text`; output tokens include thinking tokens
/// because both are billed as output.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    if let Some(f) = embedded_failure(status, headers, &json) {
        return ChatOutcome::Failure(f);
    }
    let usage = json.get("usageMetadata");
    let candidates = json.get("candidates").and_then(Value::as_array);
    // A blocked prompt has no candidates but still proves the key and billing.
    if candidates.is_none() && usage.is_none() && json.get("promptFeedback").is_none() {
        return bad_response(status, "response has no candidates");
    }
    let reply = candidates
        .and_then(|c| c.first())
        .and_then(|c| c.get("content"))
        .and_then(|c| c.get("parts"))
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter(|p| p.get("thought").and_then(Value::as_bool) != Some(true))
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let candidates_tokens = count(usage.and_then(|u| u.get("candidatesTokenCount")));
    let thoughts = count(usage.and_then(|u| u.get("thoughtsTokenCount")));
    let output_tokens = match (candidates_tokens, thoughts) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    ChatOutcome::Success {
        reply,
        input_tokens: count(usage.and_then(|u| u.get("promptTokenCount"))),
        output_tokens,
    }
}

/// `GET {base}/models?pageSize=1000` (the default page is 50).
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    let mut headers = vec![Header::plain("accept", "application/json")];
    push_key_header(&mut headers, "x-goog-api-key", ctx.key);
    get_request(join(ctx.base_url, "/models?pageSize=1000"), headers)
}

/// Reads `{"models":[{"name":"models/x","supportedGenerationMethods":[…]}]}`, keeping
/// models that can `generateContent` and stripping the `models/` prefix.
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|_| ModelsError::NotJson(super::classify::body_snippet(body)))?;
    let list = json
        .get("models")
        .and_then(Value::as_array)
        .ok_or(ModelsError::UnexpectedShape)?;
    Ok(list
        .iter()
        .filter(|m| {
            match m
                .get("supportedGenerationMethods")
                .and_then(Value::as_array)
            {
                Some(methods) => methods.iter().any(|x| x == "generateContent"),
                None => true,
            }
        })
        .filter_map(|m| m.get("name").and_then(Value::as_str))
        .map(|n| n.strip_prefix("models/").unwrap_or(n).to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "AIzaSyTEST-0000000000000000000000000000";

    #[test]
    fn builds_request_with_header_key() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_chat(&ctx(
            "https://generativelanguage.googleapis.com/v1beta",
            "gemini-flash-lite-latest",
            Some(&k),
            &opts,
        ));
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-flash-lite-latest:generateContent"
        );
        assert!(!req.url.contains("key="));
        assert!(!req.url.contains(KEY));
        assert_secret_header(&req, "x-goog-api-key", KEY);
        assert!(req.header("authorization").is_none());
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "contents": [{"role": "user", "parts": [{"text": "Reply with 'ok'"}]}],
                "generationConfig": {"maxOutputTokens": 16}
            })
        );
    }

    #[test]
    fn gateway_and_prefixed_model() {
        let opts = BTreeMap::new();
        let req = build_chat(&ctx(
            "http://127.0.0.1:9999/v1beta/",
            "models/gemini-2.5-flash-lite",
            None,
            &opts,
        ));
        assert_eq!(
            req.url,
            "http://127.0.0.1:9999/v1beta/models/gemini-2.5-flash-lite:generateContent"
        );
    }

    #[test]
    fn models_request_and_parse() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_models(&ctx(
            "https://generativelanguage.googleapis.com/v1beta",
            "m",
            Some(&k),
            &opts,
        ));
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.url,
            "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000"
        );
        assert_secret_header(&req, "x-goog-api-key", KEY);
        let body = br#"{"models":[{"name":"models/gemini-2.5-flash-lite","version":"001","displayName":"Gemini 2.5 Flash-Lite","supportedGenerationMethods":["generateContent","countTokens"]},{"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}],"nextPageToken":""}"#;
        assert_eq!(parse_models(body).unwrap(), vec!["gemini-2.5-flash-lite"]);
        assert_eq!(parse_models(b"{}"), Err(ModelsError::UnexpectedShape));
    }

    #[test]
    fn parses_real_success_body() {
        let body = br#"{"candidates":[{"content":{"parts":[{"text":"ok\n"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7,"promptTokensDetails":[{"modality":"TEXT","tokenCount":5}]},"modelVersion":"gemini-2.5-flash-lite","responseId":"abc"}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: "ok\n".into(),
                input_tokens: Some(5),
                output_tokens: Some(2)
            }
        );
    }

    #[test]
    fn thinking_model_capped_is_success_with_thought_tokens_counted() {
        let body = br#"{"candidates":[{"content":{"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":21,"thoughtsTokenCount":16}}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: String::new(),
                input_tokens: Some(5),
                output_tokens: Some(16)
            }
        );
    }

    #[test]
    fn classifies_errors() {
        let invalid = br#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}"#;
        assert_eq!(
            failure_class(&parse_chat(400, &[], invalid)),
            FailureClass::InvalidKey
        );
        let leaked = br#"{"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}"#;
        assert_eq!(
            failure_class(&parse_chat(403, &[], leaked)),
            FailureClass::InvalidKey
        );
        let disabled = br#"{"error":{"code":403,"message":"Generative Language API has not been used in project 123 before or it is disabled.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED"}]}}"#;
        assert_eq!(
            failure_class(&parse_chat(403, &[], disabled)),
            FailureClass::PermissionDenied
        );
        let daily = br#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"36s"}]}}"#;
        let out = parse_chat(429, &[], daily);
        assert_eq!(failure_class(&out), FailureClass::NoQuota);
        let ChatOutcome::Failure(f) = out else {
            unreachable!()
        };
        assert_eq!(f.retry_after.as_deref(), Some("36"));
        let minute = br#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]}]}}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], minute)),
            FailureClass::RateLimited
        );
        let missing = br#"{"error":{"code":404,"message":"models/gemini-nope is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], missing)),
            FailureClass::ModelNotFound
        );
        let unregistered = br#"{"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}"#;
        assert_eq!(
            failure_class(&parse_chat(403, &[], unregistered)),
            FailureClass::InvalidKey
        );
        let overloaded = br#"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#;
        assert_eq!(
            failure_class(&parse_chat(503, &[], overloaded)),
            FailureClass::Overloaded
        );
    }
}
