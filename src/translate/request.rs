//! Request bodies: OpenAI chat → Anthropic messages and back (fact sheet §5.1, §5.2).

use serde_json::{Map, Value, json};

use super::{Untranslatable, Wire};

/// `max_tokens` sent to Anthropic when the OpenAI request has no cap (LiteLLM's default).
pub const DEFAULT_MAX_TOKENS: u64 = 4096;

/// Knobs the proxy may set per route.
#[derive(Clone, Debug)]
pub struct RequestOptions {
    /// Anthropic requires `max_tokens`; this is used when the chat request sets none.
    pub default_max_tokens: u64,
    /// Whether the OpenAI-wire target accepts `reasoning_effort` (reasoning models do,
    /// `gpt-4.1` does not). When false, Anthropic `thinking` is not carried over.
    pub reasoning_effort: bool,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions {
            default_max_tokens: DEFAULT_MAX_TOKENS,
            reasoning_effort: true,
        }
    }
}

/// Anthropic's image media types; other images have no equivalent.
const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// Thinking budgets for `reasoning_effort` (LiteLLM's constants).
fn thinking_budget(effort: &str) -> Option<u64> {
    match effort {
        "none" | "minimal" => None,
        "low" => Some(1024),
        "medium" => Some(2048),
        "high" => Some(4096),
        "xhigh" => Some(8192),
        _ => None,
    }
}

pub(crate) fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

pub(crate) fn idx(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// A value the caller left at its default: absent, null, false, 0, "" or an empty list/map.
pub(crate) fn is_default(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

pub(crate) fn obj<'a>(v: &'a Value, field: &str) -> Result<&'a Map<String, Value>, Untranslatable> {
    v.as_object()
        .ok_or_else(|| Untranslatable::invalid(field, "must be a JSON object"))
}

pub(crate) fn string<'a>(v: Option<&'a Value>, field: &str) -> Result<&'a str, Untranslatable> {
    v.and_then(Value::as_str)
        .ok_or_else(|| Untranslatable::invalid(field, "must be a string"))
}

fn uint(v: &Value, field: &str) -> Result<u64, Untranslatable> {
    v.as_u64()
        .ok_or_else(|| Untranslatable::invalid(field, "must be a non-negative integer"))
}

fn number(v: &Value, field: &str) -> Result<f64, Untranslatable> {
    v.as_f64()
        .ok_or_else(|| Untranslatable::invalid(field, "must be a number"))
}

/// Anthropic tool ids must match `[a-zA-Z0-9_-]+`; other characters become `_`. The same
/// id maps to the same result in `tool_use` and `tool_result`, so pairs stay matched.
pub(crate) fn anthropic_tool_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Tool names both wires accept: `[a-zA-Z0-9_-]{1,64}`.
pub(crate) fn valid_tool_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Text of a `content` that is a string or a list of text parts (`type` in `text_types`).
pub(crate) fn text_of(
    content: &Value,
    field: &str,
    text_types: &[&str],
    target: Wire,
) -> Result<String, Untranslatable> {
    match content {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Array(parts) => {
            let mut out = String::new();
            for (j, part) in parts.iter().enumerate() {
                let f = idx(field, j);
                let kind = string(part.get("type"), &path(&f, "type"))?;
                if !text_types.contains(&kind) {
                    return Err(Untranslatable::unsupported(
                        path(&f, "type"),
                        target,
                        format!("only text is allowed here, not `{}`", safe_name(kind)),
                    ));
                }
                out.push_str(string(part.get("text"), &path(&f, "text"))?);
            }
            Ok(out)
        }
        _ => Err(Untranslatable::invalid(
            field,
            "must be a string or a list of parts",
        )),
    }
}

/// A client-supplied type name, cut and restricted to name characters before it goes into
/// an error message.
pub(crate) fn safe_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_-.".contains(*c))
        .take(64)
        .collect()
}

// ---------------------------------------------------------------------------------------
// OpenAI chat → Anthropic messages

/// Top-level chat fields that are hints with no effect on the content of the answer; they
/// are not carried to Anthropic.
const CHAT_IGNORED: &[&str] = &[
    "stream_options",
    "store",
    "metadata",
    "service_tier",
    "prompt_cache_key",
    "safety_identifier",
    "seed",
    "verbosity",
];

/// Translates an OpenAI chat completions request into an Anthropic messages request, with
/// default options.
pub fn chat_to_messages_request(body: &Value) -> Result<Value, Untranslatable> {
    chat_to_messages_request_with(body, &RequestOptions::default())
}

/// [`chat_to_messages_request`] with options.
pub fn chat_to_messages_request_with(
    body: &Value,
    options: &RequestOptions,
) -> Result<Value, Untranslatable> {
    const T: Wire = Wire::Messages;
    let body = obj(body, "body")?;
    let mut out = Map::new();
    let mut max_tokens = None;
    let mut tools_present = false;
    let mut parallel = true;
    let mut tool_choice = None;
    let mut effort = None;
    let mut temperature = None;
    for (key, value) in body {
        let k = key.as_str();
        match k {
            "model" => {
                out.insert("model".into(), json!(string(Some(value), k)?));
            }
            "messages" => {}
            "max_completion_tokens" => {
                if !value.is_null() {
                    max_tokens = Some(uint(value, k)?);
                }
            }
            "max_tokens" => {
                if !value.is_null() && max_tokens.is_none() {
                    max_tokens = Some(uint(value, k)?);
                }
            }
            "stream" => {
                if !value.is_null() {
                    out.insert(
                        "stream".into(),
                        json!(
                            value.as_bool().ok_or_else(|| {
                                Untranslatable::invalid(k, "must be a boolean")
                            })?
                        ),
                    );
                }
            }
            "temperature" => {
                if !value.is_null() {
                    // OpenAI allows 0–2, Anthropic 0–1 (fact sheet §5.1: clamp).
                    temperature = Some(number(value, k)?.clamp(0.0, 1.0));
                }
            }
            "top_p" => {
                if !value.is_null() {
                    out.insert("top_p".into(), json!(number(value, k)?));
                }
            }
            "stop" => {
                let list: Vec<&Value> = match value {
                    Value::Null => vec![],
                    Value::String(_) => vec![value],
                    Value::Array(a) => a.iter().collect(),
                    _ => return Err(Untranslatable::invalid(k, "must be a string or a list")),
                };
                let mut seqs = Vec::new();
                for (i, s) in list.into_iter().enumerate() {
                    let s = string(Some(s), &idx(k, i))?;
                    if s.trim().is_empty() {
                        return Err(Untranslatable::unsupported(
                            idx(k, i),
                            T,
                            "Anthropic rejects stop sequences made only of whitespace",
                        ));
                    }
                    seqs.push(json!(s));
                }
                if !seqs.is_empty() {
                    out.insert("stop_sequences".into(), Value::Array(seqs));
                }
            }
            "tools" => {
                if let Some(tools) = chat_tools_to_anthropic(value)? {
                    tools_present = true;
                    out.insert("tools".into(), tools);
                }
            }
            "tool_choice" => tool_choice = chat_tool_choice_to_anthropic(value)?,
            "parallel_tool_calls" => {
                if value == &Value::Bool(false) {
                    parallel = false;
                }
            }
            "n" => {
                if !(value.is_null() || value.as_u64() == Some(1)) {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "Anthropic returns exactly one choice",
                    ));
                }
            }
            "user" => {
                // Anthropic asks for an opaque id, not an e-mail address (LiteLLM skips those).
                if let Some(u) = value.as_str().filter(|u| !u.is_empty() && !u.contains('@')) {
                    out.insert("metadata".into(), json!({"user_id": u}));
                }
            }
            "reasoning_effort" => {
                if !value.is_null() {
                    let e = string(Some(value), k)?;
                    if !["none", "minimal", "low", "medium", "high", "xhigh"].contains(&e) {
                        return Err(Untranslatable::invalid(k, "unknown effort"));
                    }
                    effort = Some(e.to_string());
                }
            }
            "response_format" => {
                let kind = value.get("type").and_then(Value::as_str);
                if !(value.is_null() || kind == Some("text")) {
                    return Err(Untranslatable::unsupported(
                        path(k, "type"),
                        T,
                        "JSON output modes have no Anthropic Messages equivalent",
                    ));
                }
            }
            "modalities" => {
                let text_only = value.is_null()
                    || value
                        .as_array()
                        .is_some_and(|m| m.iter().all(|x| x == "text"));
                if !text_only {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "Anthropic answers in text only",
                    ));
                }
            }
            "logprobs" | "top_logprobs" | "logit_bias" | "presence_penalty"
            | "frequency_penalty" | "audio" | "prediction" | "web_search_options" | "functions"
            | "function_call" => {
                if !is_default(value) {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "Anthropic Messages has no equivalent",
                    ));
                }
            }
            _ if CHAT_IGNORED.contains(&k) => {}
            _ => {
                return Err(Untranslatable::unsupported(
                    safe_name(k),
                    T,
                    "unknown field; byok refuses rather than drop it",
                ));
            }
        }
    }
    if !out.contains_key("model") {
        return Err(Untranslatable::invalid("model", "is required"));
    }
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| Untranslatable::invalid("messages", "must be a list"))?;
    let (system, messages) = chat_messages_to_anthropic(messages)?;
    if messages.is_empty() {
        return Err(Untranslatable::invalid(
            "messages",
            "needs at least one user or assistant message with content",
        ));
    }
    if !system.is_empty() {
        out.insert("system".into(), Value::Array(system));
    }
    out.insert("messages".into(), Value::Array(messages));
    let max_tokens = max_tokens.unwrap_or(options.default_max_tokens).max(1);
    out.insert("max_tokens".into(), json!(max_tokens));
    // Thinking requires temperature 1, top_p ≥ 0.95, no forced tool use and a budget of at
    // least 1024 below max_tokens; otherwise the effort hint is not carried (the answer is
    // still an answer, only with less deliberation).
    let forced_tool = tools_present
        && tool_choice
            .as_ref()
            .is_some_and(|c| c["type"] == "any" || c["type"] == "tool");
    let top_p_ok = out
        .get("top_p")
        .and_then(Value::as_f64)
        .is_none_or(|p| p >= 0.95);
    if let Some(budget) = effort.as_deref().and_then(thinking_budget) {
        let budget = budget.min(max_tokens.saturating_sub(1));
        if budget >= 1024 && temperature.is_none_or(|t| t == 1.0) && top_p_ok && !forced_tool {
            out.insert(
                "thinking".into(),
                json!({"type": "enabled", "budget_tokens": budget}),
            );
        }
    }
    if let Some(t) = temperature {
        out.insert("temperature".into(), json!(t));
    }
    if tools_present {
        let mut choice = tool_choice.unwrap_or_else(|| json!({"type": "auto"}));
        if !parallel && choice["type"] != "none" {
            choice["disable_parallel_tool_use"] = json!(true);
        }
        out.insert("tool_choice".into(), choice);
    }
    Ok(Value::Object(out))
}

fn chat_tools_to_anthropic(value: &Value) -> Result<Option<Value>, Untranslatable> {
    const T: Wire = Wire::Messages;
    let Some(tools) = value.as_array() else {
        if value.is_null() {
            return Ok(None);
        }
        return Err(Untranslatable::invalid("tools", "must be a list"));
    };
    let mut out = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        let f = idx("tools", i);
        let kind = string(tool.get("type"), &path(&f, "type"))?;
        if kind != "function" {
            return Err(Untranslatable::unsupported(
                path(&f, "type"),
                T,
                format!("`{}` tools have no Anthropic equivalent", safe_name(kind)),
            ));
        }
        let func = tool
            .get("function")
            .ok_or_else(|| Untranslatable::invalid(path(&f, "function"), "is required"))?;
        out.push(function_to_anthropic_tool(func, &path(&f, "function"))?);
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

/// `{name, description, parameters}` (chat's `function` or a flat Responses tool) → an
/// Anthropic tool.
pub(crate) fn function_to_anthropic_tool(func: &Value, f: &str) -> Result<Value, Untranslatable> {
    let name = string(func.get("name"), &path(f, "name"))?;
    if !valid_tool_name(name) {
        return Err(Untranslatable::invalid(
            path(f, "name"),
            "tool names must match [a-zA-Z0-9_-]{1,64}",
        ));
    }
    let mut tool = json!({"name": name});
    if let Some(d) = func.get("description").and_then(Value::as_str) {
        tool["description"] = json!(d);
    }
    tool["input_schema"] = match func.get("parameters") {
        Some(p) if p.is_object() => p.clone(),
        _ => json!({"type": "object", "properties": {}}),
    };
    Ok(tool)
}

fn chat_tool_choice_to_anthropic(value: &Value) -> Result<Option<Value>, Untranslatable> {
    const T: Wire = Wire::Messages;
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::String(s) => match s.as_str() {
            "auto" => json!({"type": "auto"}),
            "required" => json!({"type": "any"}),
            "none" => json!({"type": "none"}),
            _ => return Err(Untranslatable::invalid("tool_choice", "unknown value")),
        },
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("function") => {
                let name = string(
                    o.get("function").and_then(|f| f.get("name")),
                    "tool_choice.function.name",
                )?;
                json!({"type": "tool", "name": name})
            }
            _ => {
                return Err(Untranslatable::unsupported(
                    "tool_choice.type",
                    T,
                    "only auto, required, none or one function can be translated",
                ));
            }
        },
        _ => {
            return Err(Untranslatable::invalid(
                "tool_choice",
                "must be a string or an object",
            ));
        }
    }))
}

/// Appends blocks to the last message if it has the same role (Anthropic merges consecutive
/// turns anyway), else starts a message. `tool_result` blocks go before any other block of a
/// user turn: Anthropic wants the results first.
fn push_blocks(out: &mut Vec<(String, Vec<Value>)>, role: &str, blocks: Vec<Value>) {
    if blocks.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((r, existing)) if r == role => {
            for block in blocks {
                if block["type"] == "tool_result" {
                    let at = existing
                        .iter()
                        .position(|b| b["type"] != "tool_result")
                        .unwrap_or(existing.len());
                    existing.insert(at, block);
                } else {
                    existing.push(block);
                }
            }
        }
        _ => out.push((role.to_string(), blocks)),
    }
}

fn chat_messages_to_anthropic(
    messages: &[Value],
) -> Result<(Vec<Value>, Vec<Value>), Untranslatable> {
    const T: Wire = Wire::Messages;
    let mut system = Vec::new();
    let mut out: Vec<(String, Vec<Value>)> = Vec::new();
    // Tool-call ids of the latest assistant turn: the ones a tool message may answer.
    let mut open_calls: Vec<String> = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let f = idx("messages", i);
        let role = string(m.get("role"), &path(&f, "role"))?;
        let content = m.get("content").unwrap_or(&Value::Null);
        let cf = path(&f, "content");
        match role {
            "system" | "developer" => {
                let text = text_of(content, &cf, &["text"], T)?;
                if !text.is_empty() {
                    system.push(json!({"type": "text", "text": text}));
                }
            }
            "user" => {
                let blocks = chat_user_content(content, &cf)?;
                push_blocks(&mut out, "user", blocks);
            }
            "assistant" => {
                let mut blocks = Vec::new();
                let text = text_of(content, &cf, &["text", "refusal"], T)?;
                if !text.is_empty() {
                    blocks.push(json!({"type": "text", "text": text}));
                }
                if let Some(r) = m.get("refusal").and_then(Value::as_str)
                    && !r.is_empty()
                    && text.is_empty()
                {
                    blocks.push(json!({"type": "text", "text": r}));
                }
                for key in ["function_call", "audio"] {
                    if m.get(key).is_some_and(|v| !v.is_null()) {
                        return Err(Untranslatable::unsupported(
                            path(&f, key),
                            T,
                            "Anthropic Messages has no equivalent",
                        ));
                    }
                }
                if let Some(calls) = m.get("tool_calls").filter(|v| !v.is_null()) {
                    let calls = calls.as_array().ok_or_else(|| {
                        Untranslatable::invalid(path(&f, "tool_calls"), "must be a list")
                    })?;
                    for (j, call) in calls.iter().enumerate() {
                        blocks.push(chat_tool_call_to_tool_use(
                            call,
                            &idx(&path(&f, "tool_calls"), j),
                        )?);
                    }
                }
                push_blocks(&mut out, "assistant", blocks);
                open_calls = match out.last() {
                    Some((role, blocks)) if role == "assistant" => blocks
                        .iter()
                        .filter(|b| b["type"] == "tool_use")
                        .filter_map(|b| b["id"].as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
            }
            "tool" => {
                let id = string(m.get("tool_call_id"), &path(&f, "tool_call_id"))?;
                // Anthropic 400s on a tool_result without a tool_use in the turn before.
                if !open_calls.contains(&anthropic_tool_id(id)) {
                    return Err(Untranslatable::invalid(
                        path(&f, "tool_call_id"),
                        "has no matching tool call in the assistant message before it",
                    ));
                }
                let text = text_of(content, &cf, &["text"], T)?;
                push_blocks(
                    &mut out,
                    "user",
                    vec![json!({
                        "type": "tool_result",
                        "tool_use_id": anthropic_tool_id(id),
                        "content": text,
                    })],
                );
            }
            "function" => {
                return Err(Untranslatable::unsupported(
                    path(&f, "role"),
                    T,
                    "the deprecated `function` role cannot be translated; use tools",
                ));
            }
            _ => return Err(Untranslatable::invalid(path(&f, "role"), "unknown role")),
        }
    }
    let messages = out
        .into_iter()
        .map(|(role, content)| json!({"role": role, "content": content}))
        .collect();
    Ok((system, messages))
}

pub(crate) fn chat_tool_call_to_tool_use(call: &Value, f: &str) -> Result<Value, Untranslatable> {
    let kind = call
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("function");
    if kind != "function" {
        return Err(Untranslatable::unsupported(
            path(f, "type"),
            Wire::Messages,
            "only function tool calls can be translated",
        ));
    }
    let id = string(call.get("id"), &path(f, "id"))?;
    if id.is_empty() {
        return Err(Untranslatable::invalid(path(f, "id"), "must not be empty"));
    }
    let func = call.get("function").unwrap_or(&Value::Null);
    let name = string(func.get("name"), &path(f, "function.name"))?;
    let input = parse_arguments(func.get("arguments"), &path(f, "function.arguments"))?;
    Ok(json!({"type": "tool_use", "id": anthropic_tool_id(id), "name": name, "input": input}))
}

/// OpenAI tool arguments are a JSON string that "does not always" parse; Anthropic needs an
/// object. Empty means `{}`; anything else that is not an object is refused.
pub(crate) fn parse_arguments(args: Option<&Value>, f: &str) -> Result<Value, Untranslatable> {
    let text = match args {
        None | Some(Value::Null) => return Ok(json!({})),
        Some(Value::String(s)) => s,
        Some(Value::Object(_)) => return Ok(args.cloned().unwrap_or_default()),
        Some(_) => return Err(Untranslatable::invalid(f, "must be a JSON string")),
    };
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(Untranslatable::invalid(f, "is not a JSON object")),
    }
}

fn chat_user_content(content: &Value, cf: &str) -> Result<Vec<Value>, Untranslatable> {
    const T: Wire = Wire::Messages;
    match content {
        Value::Null => Ok(vec![]),
        Value::String(s) if s.is_empty() => Ok(vec![]),
        Value::String(s) => Ok(vec![json!({"type": "text", "text": s})]),
        Value::Array(parts) => {
            let mut blocks = Vec::new();
            for (j, part) in parts.iter().enumerate() {
                let f = idx(cf, j);
                let kind = string(part.get("type"), &path(&f, "type"))?;
                match kind {
                    "text" => {
                        let text = string(part.get("text"), &path(&f, "text"))?;
                        if !text.is_empty() {
                            blocks.push(json!({"type": "text", "text": text}));
                        }
                    }
                    "image_url" => {
                        let url = match part.get("image_url") {
                            Some(Value::String(s)) => s.as_str(),
                            Some(v) => string(v.get("url"), &path(&f, "image_url.url"))?,
                            None => {
                                return Err(Untranslatable::invalid(
                                    path(&f, "image_url"),
                                    "is required",
                                ));
                            }
                        };
                        blocks.push(image_url_to_anthropic(url, &path(&f, "image_url.url"))?);
                    }
                    _ => {
                        return Err(Untranslatable::unsupported(
                            path(&f, "type"),
                            T,
                            format!(
                                "`{}` content parts have no Anthropic equivalent",
                                safe_name(kind)
                            ),
                        ));
                    }
                }
            }
            Ok(blocks)
        }
        _ => Err(Untranslatable::invalid(
            cf,
            "must be a string or a list of parts",
        )),
    }
}

/// A chat image URL (data URL or http(s)) → an Anthropic image block.
pub(crate) fn image_url_to_anthropic(url: &str, f: &str) -> Result<Value, Untranslatable> {
    const T: Wire = Wire::Messages;
    if let Some(rest) = url.strip_prefix("data:") {
        let (meta, data) = rest
            .split_once(',')
            .ok_or_else(|| Untranslatable::invalid(f, "is not a valid data URL"))?;
        let media = meta.strip_suffix(";base64").ok_or_else(|| {
            Untranslatable::unsupported(f, T, "only base64 data URLs are supported")
        })?;
        if !IMAGE_TYPES.contains(&media) {
            return Err(Untranslatable::unsupported(
                f,
                T,
                "Anthropic accepts only JPEG, PNG, GIF and WebP images",
            ));
        }
        return Ok(json!({
            "type": "image",
            "source": {"type": "base64", "media_type": media, "data": data},
        }));
    }
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(json!({"type": "image", "source": {"type": "url", "url": url}}));
    }
    Err(Untranslatable::invalid(f, "must be a data: or http(s) URL"))
}

// ---------------------------------------------------------------------------------------
// Anthropic messages → OpenAI chat

/// Top-level Anthropic fields that are hints with no effect on the answer's content.
const MESSAGES_IGNORED: &[&str] = &["service_tier", "cache_control"];

/// Translates an Anthropic messages request into an OpenAI chat completions request, with
/// default options. Streams ask for `stream_options.include_usage` (usage is always metered).
pub fn messages_to_chat_request(body: &Value) -> Result<Value, Untranslatable> {
    messages_to_chat_request_with(body, &RequestOptions::default())
}

/// [`messages_to_chat_request`] with options.
pub fn messages_to_chat_request_with(
    body: &Value,
    options: &RequestOptions,
) -> Result<Value, Untranslatable> {
    const T: Wire = Wire::Chat;
    let body = obj(body, "body")?;
    let mut out = Map::new();
    let mut system = Vec::new();
    let mut tools_present = false;
    let mut choice = None;
    let mut no_parallel = false;
    let mut stream = false;
    for (key, value) in body {
        let k = key.as_str();
        match k {
            "model" => {
                out.insert("model".into(), json!(string(Some(value), k)?));
            }
            "messages" => {}
            "max_tokens" => {
                out.insert("max_completion_tokens".into(), json!(uint(value, k)?));
            }
            "system" => {
                // One system message per block, so that chat → messages → chat is stable.
                let blocks = match value {
                    Value::Array(blocks) => blocks.clone(),
                    other => vec![other.clone()],
                };
                for (i, b) in blocks.iter().enumerate() {
                    let text = match b {
                        Value::Null => String::new(),
                        Value::String(s) => s.clone(),
                        _ => {
                            let f = idx(k, i);
                            let kind = string(b.get("type"), &path(&f, "type"))?;
                            if kind != "text" {
                                return Err(Untranslatable::unsupported(
                                    path(&f, "type"),
                                    T,
                                    "only text system blocks can be translated",
                                ));
                            }
                            string(b.get("text"), &path(&f, "text"))?.to_string()
                        }
                    };
                    if !text.is_empty() {
                        system.push(text);
                    }
                }
            }
            "stop_sequences" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| Untranslatable::invalid(k, "must be a list"))?;
                if list.len() > 4 {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "OpenAI accepts at most 4 stop sequences",
                    ));
                }
                for (i, s) in list.iter().enumerate() {
                    string(Some(s), &idx(k, i))?;
                }
                if !list.is_empty() {
                    out.insert("stop".into(), value.clone());
                }
            }
            "stream" => {
                stream = value.as_bool().unwrap_or(false);
                out.insert("stream".into(), json!(stream));
            }
            "temperature" | "top_p" => {
                if !value.is_null() {
                    out.insert(k.into(), json!(number(value, k)?));
                }
            }
            "tools" => {
                if let Some(tools) = anthropic_tools_to_chat(value)? {
                    tools_present = true;
                    out.insert("tools".into(), tools);
                }
            }
            "tool_choice" => {
                if value.get("disable_parallel_tool_use") == Some(&Value::Bool(true)) {
                    no_parallel = true;
                }
                choice = match value.get("type").and_then(Value::as_str) {
                    None if value.is_null() => None,
                    Some("auto") => Some(json!("auto")),
                    Some("any") => Some(json!("required")),
                    Some("none") => Some(json!("none")),
                    Some("tool") => Some(json!({
                        "type": "function",
                        "function": {"name": string(value.get("name"), "tool_choice.name")?},
                    })),
                    _ => return Err(Untranslatable::invalid("tool_choice.type", "unknown value")),
                };
            }
            "thinking" => {
                let kind = value
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("disabled");
                let effort = match kind {
                    "disabled" => None,
                    "adaptive" => Some("medium"),
                    "enabled" => {
                        let budget = value
                            .get("budget_tokens")
                            .and_then(Value::as_u64)
                            .unwrap_or(0);
                        Some(if budget <= 2048 {
                            "low"
                        } else if budget <= 8192 {
                            "medium"
                        } else {
                            "high"
                        })
                    }
                    _ => return Err(Untranslatable::invalid("thinking.type", "unknown value")),
                };
                if let Some(e) = effort.filter(|_| options.reasoning_effort) {
                    out.insert("reasoning_effort".into(), json!(e));
                }
            }
            "metadata" => {
                if let Some(u) = value.get("user_id").and_then(Value::as_str) {
                    out.insert("user".into(), json!(u));
                }
            }
            "output_config" => {
                let o = obj(value, k)?;
                for (ok, ov) in o {
                    match ok.as_str() {
                        "effort" => {
                            if options.reasoning_effort
                                && let Some(e) = ov.as_str()
                            {
                                let e = if e == "max" { "high" } else { e };
                                out.insert("reasoning_effort".into(), json!(safe_name(e)));
                            }
                        }
                        _ => {
                            return Err(Untranslatable::unsupported(
                                path(k, &safe_name(ok)),
                                T,
                                "OpenAI chat has no equivalent",
                            ));
                        }
                    }
                }
            }
            "top_k" | "container" | "mcp_servers" | "inference_geo" | "context_management" => {
                if !value.is_null() {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "OpenAI chat has no equivalent",
                    ));
                }
            }
            _ if MESSAGES_IGNORED.contains(&k) => {}
            _ => {
                return Err(Untranslatable::unsupported(
                    safe_name(k),
                    T,
                    "unknown field; byok refuses rather than drop it",
                ));
            }
        }
    }
    if !out.contains_key("model") {
        return Err(Untranslatable::invalid("model", "is required"));
    }
    if !out.contains_key("max_completion_tokens") {
        return Err(Untranslatable::invalid("max_tokens", "is required"));
    }
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| Untranslatable::invalid("messages", "must be a list"))?;
    let mut chat = Vec::new();
    for s in system {
        chat.push(json!({"role": "system", "content": s}));
    }
    if messages.last().and_then(|m| m.get("role")) == Some(&json!("assistant")) {
        return Err(Untranslatable::unsupported(
            idx("messages", messages.len() - 1),
            T,
            "a final assistant turn (prefill) has no OpenAI chat equivalent",
        ));
    }
    for (i, m) in messages.iter().enumerate() {
        anthropic_message_to_chat(m, &idx("messages", i), &mut chat)?;
    }
    out.insert("messages".into(), Value::Array(chat));
    if tools_present {
        if let Some(c) = choice {
            out.insert("tool_choice".into(), c);
        }
        if no_parallel {
            out.insert("parallel_tool_calls".into(), json!(false));
        }
    }
    if stream {
        out.insert("stream_options".into(), json!({"include_usage": true}));
    }
    Ok(Value::Object(out))
}

fn anthropic_tools_to_chat(value: &Value) -> Result<Option<Value>, Untranslatable> {
    const T: Wire = Wire::Chat;
    let Some(tools) = value.as_array() else {
        if value.is_null() {
            return Ok(None);
        }
        return Err(Untranslatable::invalid("tools", "must be a list"));
    };
    let mut out = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        let f = idx("tools", i);
        if let Some(kind) = tool.get("type").and_then(Value::as_str)
            && kind != "custom"
        {
            return Err(Untranslatable::unsupported(
                path(&f, "type"),
                T,
                format!(
                    "the Anthropic-hosted tool `{}` has no OpenAI chat equivalent",
                    safe_name(kind)
                ),
            ));
        }
        let name = string(tool.get("name"), &path(&f, "name"))?;
        if !valid_tool_name(name) {
            return Err(Untranslatable::unsupported(
                path(&f, "name"),
                T,
                "OpenAI tool names must match [a-zA-Z0-9_-]{1,64}",
            ));
        }
        let mut func = json!({"name": name});
        if let Some(d) = tool.get("description").and_then(Value::as_str) {
            func["description"] = json!(d);
        }
        func["parameters"] = match tool.get("input_schema") {
            Some(p) if p.is_object() => p.clone(),
            _ => json!({"type": "object", "properties": {}}),
        };
        if let Some(s) = tool.get("strict").and_then(Value::as_bool) {
            func["strict"] = json!(s);
        }
        out.push(json!({"type": "function", "function": func}));
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

fn anthropic_message_to_chat(
    m: &Value,
    f: &str,
    chat: &mut Vec<Value>,
) -> Result<(), Untranslatable> {
    const T: Wire = Wire::Chat;
    let role = string(m.get("role"), &path(f, "role"))?;
    let cf = path(f, "content");
    let blocks: Vec<Value> = match m.get("content") {
        Some(Value::String(s)) => vec![json!({"type": "text", "text": s})],
        Some(Value::Array(a)) => a.clone(),
        _ => {
            return Err(Untranslatable::invalid(
                &cf,
                "must be a string or a list of blocks",
            ));
        }
    };
    match role {
        "user" => {
            let mut parts = Vec::new();
            for (j, b) in blocks.iter().enumerate() {
                let bf = idx(&cf, j);
                let kind = string(b.get("type"), &path(&bf, "type"))?;
                match kind {
                    "text" => {
                        let text = string(b.get("text"), &path(&bf, "text"))?;
                        parts.push(json!({"type": "text", "text": text}));
                    }
                    "image" => parts.push(anthropic_image_to_chat(b, &bf)?),
                    "tool_result" => {
                        // Tool messages come before the rest of the user turn (§5.2).
                        let id = string(b.get("tool_use_id"), &path(&bf, "tool_use_id"))?;
                        let mut text = match b.get("content") {
                            None | Some(Value::Null) => String::new(),
                            Some(c) => text_of(c, &path(&bf, "content"), &["text"], T)?,
                        };
                        if b.get("is_error") == Some(&Value::Bool(true)) {
                            text = format!("Error: {text}");
                        }
                        chat.push(json!({"role": "tool", "tool_call_id": id, "content": text}));
                    }
                    _ => {
                        return Err(Untranslatable::unsupported(
                            path(&bf, "type"),
                            T,
                            format!(
                                "`{}` blocks have no OpenAI chat equivalent",
                                safe_name(kind)
                            ),
                        ));
                    }
                }
            }
            if !parts.is_empty() {
                let content = match parts.as_slice() {
                    [one] if one["type"] == "text" => one["text"].clone(),
                    _ => Value::Array(parts),
                };
                chat.push(json!({"role": "user", "content": content}));
            }
        }
        "assistant" => {
            let mut text = String::new();
            let mut calls = Vec::new();
            for (j, b) in blocks.iter().enumerate() {
                let bf = idx(&cf, j);
                let kind = string(b.get("type"), &path(&bf, "type"))?;
                match kind {
                    "text" => text.push_str(string(b.get("text"), &path(&bf, "text"))?),
                    "tool_use" => {
                        let id = string(b.get("id"), &path(&bf, "id"))?;
                        let name = string(b.get("name"), &path(&bf, "name"))?;
                        let input = b.get("input").cloned().unwrap_or_else(|| json!({}));
                        calls.push(json!({
                            "id": id,
                            "type": "function",
                            "function": {"name": name, "arguments": input.to_string()},
                        }));
                    }
                    // Thinking signatures are valid only on the account that produced them
                    // (fact sheet §5.6): history thinking is dropped on fallback.
                    "thinking" | "redacted_thinking" => {}
                    _ => {
                        return Err(Untranslatable::unsupported(
                            path(&bf, "type"),
                            T,
                            format!(
                                "`{}` blocks have no OpenAI chat equivalent",
                                safe_name(kind)
                            ),
                        ));
                    }
                }
            }
            let mut msg = json!({"role": "assistant", "content": if text.is_empty() && !calls.is_empty() { Value::Null } else { json!(text) }});
            if !calls.is_empty() {
                msg["tool_calls"] = Value::Array(calls);
            }
            chat.push(msg);
        }
        _ => {
            return Err(Untranslatable::invalid(
                path(f, "role"),
                "must be user or assistant",
            ));
        }
    }
    Ok(())
}

fn anthropic_image_to_chat(b: &Value, bf: &str) -> Result<Value, Untranslatable> {
    let source = b.get("source").unwrap_or(&Value::Null);
    let sf = path(bf, "source");
    let url = match source.get("type").and_then(Value::as_str) {
        Some("base64") => {
            let media = string(source.get("media_type"), &path(&sf, "media_type"))?;
            let data = string(source.get("data"), &path(&sf, "data"))?;
            format!("data:{media};base64,{data}")
        }
        Some("url") => string(source.get("url"), &path(&sf, "url"))?.to_string(),
        _ => {
            return Err(Untranslatable::unsupported(
                path(&sf, "type"),
                Wire::Chat,
                "only base64 and URL images can be translated",
            ));
        }
    };
    Ok(json!({"type": "image_url", "image_url": {"url": url}}))
}
