//! Cohere v2 chat: `POST {base}/v2/chat` with a Bearer key. The base URL is the
//! API root (`https://api.cohere.com`, as `CO_API_URL` takes it).

use serde_json::{Value, json};

use super::{
    ChatOutcome, Header, HttpRequest, ModelsError, RequestContext, bad_response, count,
    embedded_failure, get_request, join, json_headers, post_request, push_bearer, success_json,
};

/// Builds the probe.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_bearer(&mut headers, ctx.key);
    let body = json!({
        "model": ctx.model,
        "messages": [{"role": "user", "content": ctx.prompt}],
        "max_tokens": ctx.max_tokens.max(1),
    });
    post_request(join(ctx.base_url, "/v2/chat"), headers, body)
}

/// Parses `message.content[].text`; tokens from `usage.billed_units` (what is paid),
/// falling back to `usage.tokens`.
pub fn parse_chat(status: u16, headers: &[(String, String)], body: &[u8]) -> ChatOutcome {
    let json = match success_json(status, headers, body) {
        Ok(j) => j,
        Err(f) => return ChatOutcome::Failure(f),
    };
    if let Some(f) = embedded_failure(status, headers, &json) {
        return ChatOutcome::Failure(f);
    }
    let Some(message) = json.get("message") else {
        return bad_response(status, "response has no message");
    };
    let reply = match message.get("content") {
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let usage = json.get("usage");
    let pick = |field: &str| {
        count(
            usage
                .and_then(|u| u.get("billed_units"))
                .and_then(|b| b.get(field)),
        )
        .or_else(|| {
            count(
                usage
                    .and_then(|u| u.get("tokens"))
                    .and_then(|t| t.get(field)),
            )
        })
    };
    ChatOutcome::Success {
        reply,
        input_tokens: pick("input_tokens"),
        output_tokens: pick("output_tokens"),
    }
}

/// `GET {base}/v1/models` (Cohere lists models under v1 only).
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    let mut headers = vec![Header::plain("accept", "application/json")];
    push_bearer(&mut headers, ctx.key);
    get_request(join(ctx.base_url, "/v1/models"), headers)
}

/// Reads `{"models":[{"name":…,"endpoints":[…]}]}`, keeping chat-capable models.
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|_| ModelsError::NotJson(super::classify::body_snippet(body)))?;
    let list = json
        .get("models")
        .and_then(Value::as_array)
        .ok_or(ModelsError::UnexpectedShape)?;
    Ok(list
        .iter()
        .filter(|m| match m.get("endpoints").and_then(Value::as_array) {
            Some(eps) => eps.iter().any(|e| e == "chat"),
            None => true,
        })
        .filter_map(|m| m.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    const KEY: &str = "test0000cohere0000key0000000000000000000";

    #[test]
    fn builds_request() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_chat(&ctx(
            "https://api.cohere.com",
            "command-r7b-12-2024",
            Some(&k),
            &opts,
        ));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "https://api.cohere.com/v2/chat");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "model": "command-r7b-12-2024",
                "messages": [{"role": "user", "content": "Reply with 'ok'"}],
                "max_tokens": 16
            })
        );
        let gw = build_chat(&ctx("http://127.0.0.1:9999/cohere/", "m", None, &opts));
        assert_eq!(gw.url, "http://127.0.0.1:9999/cohere/v2/chat");
        assert!(gw.header("authorization").is_none());
    }

    #[test]
    fn models_request_and_parse() {
        let k = key(KEY);
        let opts = BTreeMap::new();
        let req = build_models(&ctx("https://api.cohere.com", "m", Some(&k), &opts));
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "https://api.cohere.com/v1/models");
        assert_secret_header(&req, "authorization", &format!("Bearer {KEY}"));
        let body = br#"{"models":[{"name":"command-r7b-12-2024","endpoints":["generate","chat","summarize"],"finetuned":false,"context_length":128000},{"name":"embed-v4.0","endpoints":["embed"]}],"next_page_token":null}"#;
        assert_eq!(parse_models(body).unwrap(), vec!["command-r7b-12-2024"]);
    }

    #[test]
    fn parses_real_success_body() {
        let body = br#"{"id":"c14c80c3","message":{"role":"assistant","content":[{"type":"text","text":"ok"}]},"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":1},"tokens":{"input_tokens":71,"output_tokens":3}}}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: "ok".into(),
                input_tokens: Some(5),
                output_tokens: Some(1)
            }
        );
        let capped = br#"{"id":"x","message":{"role":"assistant","content":[]},"finish_reason":"MAX_TOKENS","usage":{"tokens":{"input_tokens":71.0,"output_tokens":16.0}}}"#;
        assert_eq!(
            parse_chat(200, &[], capped),
            ChatOutcome::Success {
                reply: String::new(),
                input_tokens: Some(71),
                output_tokens: Some(16)
            }
        );
    }

    #[test]
    fn classifies_errors() {
        let invalid = br#"{"id":"x","message":"invalid api token"}"#;
        assert_eq!(
            failure_class(&parse_chat(401, &[], invalid)),
            FailureClass::InvalidKey
        );
        let trial = br#"{"id":"x","message":"You are using a Trial key, which is limited to 1000 API calls / month. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions"}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], trial)),
            FailureClass::NoQuota
        );
        let minute = br#"{"id":"x","message":"You are using a Trial key, which is limited to 20 API calls / minute."}"#;
        assert_eq!(
            failure_class(&parse_chat(429, &[], minute)),
            FailureClass::RateLimited
        );
        assert_eq!(
            failure_class(&parse_chat(
                402,
                &[],
                br#"{"message":"Please add a payment method"}"#
            )),
            FailureClass::NoQuota
        );
        let model = br#"{"id":"x","message":"model 'command-nope' not found, make sure the correct model ID was used and that you have access to the model."}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], model)),
            FailureClass::ModelNotFound
        );
        assert_eq!(
            failure_class(&parse_chat(498, &[], br#"{"message":"blocked"}"#)),
            FailureClass::InvalidKey
        );
    }
}
