//! Non-streaming response bodies: Anthropic message ⇄ OpenAI chat completion.

use serde_json::{Value, json};

use super::Untranslatable;
use super::request::parse_arguments;
use super::usage::Usage;

/// Anthropic `stop_reason` → OpenAI `finish_reason` (fact sheet §5.3).
pub fn map_stop_reason(stop_reason: Option<&str>) -> &'static str {
    match stop_reason {
        Some("max_tokens") | Some("model_context_window_exceeded") => "length",
        Some("tool_use") => "tool_calls",
        Some("refusal") => "content_filter",
        // end_turn, stop_sequence, pause_turn and anything new.
        _ => "stop",
    }
}

/// OpenAI `finish_reason` → Anthropic `stop_reason`.
pub fn map_finish_reason(finish_reason: Option<&str>) -> &'static str {
    match finish_reason {
        Some("length") => "max_tokens",
        Some("tool_calls") | Some("function_call") => "tool_use",
        Some("content_filter") => "refusal",
        _ => "end_turn",
    }
}

fn upstream_error(body: &Value) -> Result<(), Untranslatable> {
    if body.get("error").is_some_and(|e| !e.is_null()) {
        return Err(Untranslatable::upstream(
            "the upstream answered with an error body",
        ));
    }
    Ok(())
}

/// An Anthropic message → an OpenAI chat completion. `created` is the Unix time to report
/// (Anthropic bodies carry none); id and model are the upstream's.
pub fn messages_to_chat_response(body: &Value, created: u64) -> Result<Value, Untranslatable> {
    upstream_error(body)?;
    let blocks = body
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| Untranslatable::upstream("the message has no content list"))?;
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut calls = Vec::new();
    for b in blocks {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => text.push_str(b.get("text").and_then(Value::as_str).unwrap_or("")),
            Some("thinking") => {
                reasoning.push_str(b.get("thinking").and_then(Value::as_str).unwrap_or(""))
            }
            Some("tool_use") => {
                let input = b.get("input").cloned().unwrap_or_else(|| json!({}));
                calls.push(json!({
                    "id": b.get("id").cloned().unwrap_or_default(),
                    "type": "function",
                    "function": {
                        "name": b.get("name").cloned().unwrap_or_default(),
                        "arguments": input.to_string(),
                    },
                }));
            }
            // Server-tool and redacted blocks have nothing to show an OpenAI client.
            _ => {}
        }
    }
    let stop = body.get("stop_reason").and_then(Value::as_str);
    let mut message = json!({
        "role": "assistant",
        "content": if text.is_empty() && !calls.is_empty() { Value::Null } else { json!(text) },
        "refusal": null,
    });
    if !calls.is_empty() {
        message["tool_calls"] = Value::Array(calls);
    }
    if !reasoning.is_empty() {
        // Non-standard but common (DeepSeek, LiteLLM); OpenAI SDKs keep unknown fields.
        message["reasoning_content"] = json!(reasoning);
    }
    let usage = body
        .get("usage")
        .and_then(Usage::from_messages)
        .unwrap_or_default();
    Ok(json!({
        "id": body.get("id").cloned().unwrap_or_default(),
        "object": "chat.completion",
        "created": created,
        "model": body.get("model").cloned().unwrap_or_default(),
        "choices": [{
            "index": 0,
            "message": message,
            "finish_reason": map_stop_reason(stop),
            "logprobs": null,
        }],
        "usage": usage.to_chat(),
    }))
}

/// An OpenAI chat completion → an Anthropic message (the first choice).
pub fn chat_to_messages_response(body: &Value) -> Result<Value, Untranslatable> {
    upstream_error(body)?;
    let choice = body
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| Untranslatable::upstream("the completion has no choices"))?;
    let message = choice.get("message").unwrap_or(&Value::Null);
    let mut content = Vec::new();
    let text = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    };
    if !text.is_empty() {
        content.push(json!({"type": "text", "text": text}));
    }
    if let Some(r) = message.get("refusal").and_then(Value::as_str)
        && !r.is_empty()
    {
        content.push(json!({"type": "text", "text": r}));
    }
    if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
        for call in calls {
            let func = call.get("function").unwrap_or(&Value::Null);
            let input = parse_arguments(func.get("arguments"), "arguments").map_err(|_| {
                Untranslatable::upstream("a tool call's arguments are not a JSON object")
            })?;
            content.push(json!({
                "type": "tool_use",
                "id": call.get("id").cloned().unwrap_or_default(),
                "name": func.get("name").cloned().unwrap_or_default(),
                "input": input,
            }));
        }
    }
    let mut stop = map_finish_reason(choice.get("finish_reason").and_then(Value::as_str));
    if message
        .get("refusal")
        .and_then(Value::as_str)
        .is_some_and(|r| !r.is_empty())
    {
        stop = "refusal";
    }
    let usage = body
        .get("usage")
        .and_then(Usage::from_chat)
        .unwrap_or_default();
    Ok(json!({
        "id": body.get("id").cloned().unwrap_or_default(),
        "type": "message",
        "role": "assistant",
        "model": body.get("model").cloned().unwrap_or_default(),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": null,
        "usage": usage.to_messages(),
    }))
}
