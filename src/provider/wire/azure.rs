//! Azure OpenAI classic deployments API:
//! `POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=V`
//! with the key in the `api-key` header. The base URL is the resource endpoint
//! (`https://RESOURCE.openai.azure.com`, as `AZURE_OPENAI_ENDPOINT` holds it); a
//! base already ending in `/openai` is accepted too.
//!
//! Options: `deployment` (defaults to the model name, the usual convention) and
//! `api-version` (defaults to [`DEFAULT_API_VERSION`]). Responses are OpenAI-shaped.

use serde_json::json;

use super::{
    ChatOutcome, HttpRequest, RequestContext, encode_component, json_headers, post_request,
    push_key_header,
};

/// Option naming the deployment.
pub const OPT_DEPLOYMENT: &str = "deployment";
/// Option naming the API version.
pub const OPT_API_VERSION: &str = "api-version";
/// GA data-plane version used when none is configured.
pub const DEFAULT_API_VERSION: &str = "2024-10-21";

/// Builds the probe. Uses `max_completion_tokens`: GPT-5/o-series deployments reject
/// `max_tokens`. No `model` field: the deployment implies it.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let deployment = ctx
        .options
        .get(OPT_DEPLOYMENT)
        .map(String::as_str)
        .filter(|d| !d.is_empty())
        .unwrap_or(ctx.model);
    let version = ctx
        .options
        .get(OPT_API_VERSION)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .unwrap_or(DEFAULT_API_VERSION);
    let base = ctx.base_url.trim_end_matches('/');
    let base = base.strip_suffix("/openai").unwrap_or(base);
    let url = format!(
        "{base}/openai/deployments/{}/chat/completions?api-version={}",
        encode_component(deployment),
        encode_component(version)
    );
    let mut headers = json_headers();
    push_key_header(&mut headers, "api-key", ctx.key);
    let body = json!({
        "messages": [{"role": "user", "content": ctx.prompt}],
        "max_completion_tokens": ctx.max_tokens.max(1),
    });
    post_request(url, headers, body)
}

/// Same response shape as OpenAI.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    super::openai::parse_chat(status, headers, body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "test0000azure0000key0000000000ab";

    #[test]
    fn builds_request_with_options() {
        let k = key(KEY);
        let mut opts = BTreeMap::new();
        opts.insert(OPT_DEPLOYMENT.to_string(), "my-nano".to_string());
        opts.insert(
            OPT_API_VERSION.to_string(),
            "2025-04-01-preview".to_string(),
        );
        let req = build_chat(&ctx(
            "https://res1.openai.azure.com/",
            "gpt-4.1-nano",
            Some(&k),
            &opts,
        ));
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://res1.openai.azure.com/openai/deployments/my-nano/chat/completions?api-version=2025-04-01-preview"
        );
        assert_secret_header(&req, "api-key", KEY);
        assert!(req.header("authorization").is_none());
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "messages": [{"role": "user", "content": "Reply with 'ok'"}],
                "max_completion_tokens": 16
            })
        );
    }

    #[test]
    fn defaults_and_gateway() {
        let opts = BTreeMap::new();
        let req = build_chat(&ctx(
            "http://127.0.0.1:9999/openai",
            "gpt-4.1-nano",
            None,
            &opts,
        ));
        assert_eq!(
            req.url,
            "http://127.0.0.1:9999/openai/deployments/gpt-4.1-nano/chat/completions?api-version=2024-10-21"
        );
        assert!(req.header("api-key").is_none());
    }

    #[test]
    fn parses_success_and_errors() {
        let ok = br#"{"choices":[{"content_filter_results":{},"finish_reason":"stop","index":0,"message":{"content":"ok","role":"assistant"}}],"created":1,"id":"chatcmpl-1","model":"gpt-4.1-nano-2025-04-14","object":"chat.completion","prompt_filter_results":[],"usage":{"completion_tokens":2,"prompt_tokens":11,"total_tokens":13}}"#;
        assert_eq!(
            parse_chat(200, &[], ok),
            ChatOutcome::Success {
                reply: "ok".into(),
                input_tokens: Some(11),
                output_tokens: Some(2)
            }
        );
        let denied = br#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], denied)),
            FailureClass::InvalidKey
        );
        let dep = br#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], dep)),
            FailureClass::ModelNotFound
        );
        let daily = br#"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds."}}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], daily)),
            FailureClass::NoQuota
        );
        let blip = br#"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds."}}"#;
        let out = parse_chat(429, &hdrs(&[("retry-after", "6")]), blip);
        assert_eq!(failure_class(&out), FailureClass::RateLimited);
    }
}
