//! Ollama native chat: `POST {host}/api/chat` with `"stream": false` (it streams
//! by default). The native API is used rather than `/v1` so the base URL is the
//! bare host, exactly what `OLLAMA_HOST` holds, and so the model list comes from
//! `/api/tags` (installed models). A key is only needed for Ollama's cloud
//! (`https://ollama.com`), sent as Bearer.

use serde_json::{Value, json};

use super::{
    ChatOutcome, Header, HttpRequest, ModelsError, RequestContext, bad_response, count,
    embedded_failure, get_request, join, json_headers, post_request, push_bearer, success_json,
};

/// Builds the probe; `options.num_predict` caps output tokens.
pub fn build_chat(ctx: &RequestContext) -> HttpRequest {
    let mut headers = json_headers();
    push_bearer(&mut headers, ctx.key);
    let body = json!({
        "model": ctx.model,
        "messages": [{"role": "user", "content": ctx.prompt}],
        "stream": false,
        "options": {"num_predict": ctx.max_tokens.max(1)},
    });
    post_request(join(ctx.base_url, "/api/chat"), headers, body)
}

/// Parses `message.content` with `prompt_eval_count`/`eval_count`.
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
    ChatOutcome::Success {
        reply: message
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        input_tokens: count(json.get("prompt_eval_count")),
        output_tokens: count(json.get("eval_count")),
    }
}

/// `GET {host}/api/tags` (installed models).
pub fn build_models(ctx: &RequestContext) -> HttpRequest {
    let mut headers = vec![Header::plain("accept", "application/json")];
    push_bearer(&mut headers, ctx.key);
    get_request(join(ctx.base_url, "/api/tags"), headers)
}

/// Reads `{"models":[{"name":"llama3.2:latest",…}]}`.
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, ModelsError> {
    super::ids_from_list(body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::test_support::*;
    use super::super::{FailureClass, Method};
    use super::*;

    #[test]
    fn builds_local_request_without_key() {
        let opts = BTreeMap::new();
        let req = build_chat(&ctx("http://127.0.0.1:11434", "llama3.2", None, &opts));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url, "http://127.0.0.1:11434/api/chat");
        assert!(req.header("authorization").is_none());
        assert_plain_header(&req, "content-type", "application/json");
        assert_eq!(
            req.body.unwrap(),
            json!({
                "model": "llama3.2",
                "messages": [{"role": "user", "content": "Reply with 'ok'"}],
                "stream": false,
                "options": {"num_predict": 16}
            })
        );
    }

    #[test]
    fn cloud_request_uses_bearer() {
        let k = key("test-ollama-cloud-key-0000");
        let opts = BTreeMap::new();
        let req = build_chat(&ctx("https://ollama.com/", "gpt-oss:20b", Some(&k), &opts));
        assert_eq!(req.url, "https://ollama.com/api/chat");
        assert_secret_header(&req, "authorization", "Bearer test-ollama-cloud-key-0000");
    }

    #[test]
    fn models_request_and_parse() {
        let opts = BTreeMap::new();
        let req = build_models(&ctx("http://127.0.0.1:11434", "m", None, &opts));
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url, "http://127.0.0.1:11434/api/tags");
        let body = br#"{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2025-01-01T00:00:00Z","size":2019393189,"digest":"a80c","details":{"family":"llama"}}]}"#;
        assert_eq!(parse_models(body).unwrap(), vec!["llama3.2:latest"]);
    }

    #[test]
    fn parses_success_body() {
        let body = br#"{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"ok"},"done_reason":"stop","done":true,"total_duration":5000000,"load_duration":100,"prompt_eval_count":26,"prompt_eval_duration":100,"eval_count":2,"eval_duration":100}"#;
        assert_eq!(
            parse_chat(200, &[], body),
            ChatOutcome::Success {
                reply: "ok".into(),
                input_tokens: Some(26),
                output_tokens: Some(2)
            }
        );
    }

    #[test]
    fn classifies_errors() {
        let missing = br#"{"error":"model 'llama9' not found"}"#;
        assert_eq!(
            failure_class(&parse_chat(404, &[], missing)),
            FailureClass::ModelNotFound
        );
        let in_200 = br#"{"error":"an error was encountered while running the model"}"#;
        assert_eq!(
            failure_class(&parse_chat(200, &[], in_200)),
            FailureClass::ServerError
        );
        assert_eq!(
            failure_class(&parse_chat(401, &[], br#"{"error":"unauthorized"}"#)),
            FailureClass::InvalidKey
        );
        assert_eq!(
            failure_class(&parse_chat(502, &[], br#"{"error":"bad gateway"}"#)),
            FailureClass::ServerError
        );
    }
}
