//! OpenAI Responses API served by a chat-completions upstream (fact sheet §2.1): requests
//! with text and function tools, responses, and the Responses event sequence
//! (`response.created → response.in_progress → response.output_item.added →
//! response.content_part.added → response.output_text.delta* → response.output_text.done →
//! response.content_part.done → response.output_item.done → response.completed`).
//!
//! For an Anthropic upstream, chain with the chat ⇄ messages translators.

use serde_json::{Map, Value, json};

use super::error::ErrorKind;
use super::request::{RequestOptions, chat_to_messages_request_with};
use super::request::{idx, is_default, obj, path, safe_name, string, text_of};
use super::response::messages_to_chat_response;
use super::stream::{
    Chain, ChatFed, MessagesToChatStream, StreamOptions, StreamTranslator, fail_chat, feed_chat,
    finish_chat,
};
use super::usage::Usage;
use super::{SseEvent, Untranslatable, Wire};

/// Responses fields that only concern OpenAI's stored state or the output's decoration.
const RESPONSES_IGNORED: &[&str] = &[
    "store",
    "include",
    "truncation",
    "stream_options",
    "metadata",
];
/// Responses fields chat has under the same name and meaning.
const RESPONSES_SAME: &[&str] = &[
    "temperature",
    "top_p",
    "parallel_tool_calls",
    "service_tier",
    "prompt_cache_key",
    "safety_identifier",
    "user",
];

/// A Responses request → a chat completions request. Refuses what needs OpenAI's stored
/// state (`previous_response_id`, `conversation`, `background`) and non-function tools.
pub fn responses_to_chat_request(body: &Value) -> Result<Value, Untranslatable> {
    const T: Wire = Wire::Chat;
    let body = obj(body, "body")?;
    let mut out = Map::new();
    let mut stream = false;
    for (key, value) in body {
        let k = key.as_str();
        match k {
            "model" => {
                out.insert("model".into(), json!(string(Some(value), k)?));
            }
            "input" | "instructions" => {}
            "stream" => {
                stream = value.as_bool().unwrap_or(false);
                out.insert("stream".into(), json!(stream));
            }
            "max_output_tokens" => {
                if !value.is_null() {
                    let n = value.as_u64().ok_or_else(|| {
                        Untranslatable::invalid(k, "must be a non-negative integer")
                    })?;
                    out.insert("max_completion_tokens".into(), json!(n));
                }
            }
            "tools" => {
                let tools = value.as_array().map(Vec::as_slice).unwrap_or_default();
                let mut chat = Vec::new();
                for (i, t) in tools.iter().enumerate() {
                    let f = idx(k, i);
                    let kind = string(t.get("type"), &path(&f, "type"))?;
                    match kind {
                        "function" => chat.push(function_tool(t, &f, None)?),
                        // A group of function tools: flattened to `<namespace>__<name>`, and
                        // split back in the answer's calls (see `call_item`).
                        "namespace" => {
                            let space = string(t.get("name"), &path(&f, "name"))?;
                            let inner = t.get("tools").and_then(Value::as_array);
                            for (j, tool) in inner.into_iter().flatten().enumerate() {
                                let g = idx(&path(&f, "tools"), j);
                                let kind = string(tool.get("type"), &path(&g, "type"))?;
                                if kind != "function" {
                                    return Err(not_a_function(&g, kind));
                                }
                                chat.push(function_tool(tool, &g, Some(space))?);
                            }
                        }
                        _ => return Err(not_a_function(&f, kind)),
                    }
                }
                if !chat.is_empty() {
                    out.insert("tools".into(), Value::Array(chat));
                }
            }
            "tool_choice" => {
                let choice = match value {
                    Value::Null => None,
                    Value::String(s) if ["auto", "none", "required"].contains(&s.as_str()) => {
                        Some(value.clone())
                    }
                    Value::Object(o) if o.get("type") == Some(&json!("function")) => Some(json!({
                        "type": "function",
                        "function": {"name": string(o.get("name"), "tool_choice.name")?},
                    })),
                    _ => {
                        return Err(Untranslatable::unsupported(
                            k,
                            T,
                            "only auto, none, required or one function can be translated",
                        ));
                    }
                };
                if let Some(c) = choice {
                    out.insert("tool_choice".into(), c);
                }
            }
            "reasoning" => {
                if let Some(e) = value.get("effort").and_then(Value::as_str) {
                    out.insert("reasoning_effort".into(), json!(e));
                }
            }
            "text" => {
                if let Some(format) = value.get("format").filter(|f| !f.is_null()) {
                    match format.get("type").and_then(Value::as_str) {
                        Some("text") => {}
                        Some("json_object") => {
                            out.insert("response_format".into(), json!({"type": "json_object"}));
                        }
                        Some("json_schema") => {
                            let mut schema = json!({
                                "name": format.get("name").cloned().unwrap_or(json!("output")),
                                "schema": format.get("schema").cloned().unwrap_or(json!({})),
                            });
                            for key in ["strict", "description"] {
                                if let Some(v) = format.get(key) {
                                    schema[key] = v.clone();
                                }
                            }
                            out.insert(
                                "response_format".into(),
                                json!({"type": "json_schema", "json_schema": schema}),
                            );
                        }
                        _ => {
                            return Err(Untranslatable::invalid(
                                "text.format.type",
                                "unknown value",
                            ));
                        }
                    }
                }
                if let Some(v) = value.get("verbosity").filter(|v| !v.is_null()) {
                    out.insert("verbosity".into(), v.clone());
                }
            }
            "previous_response_id"
            | "conversation"
            | "background"
            | "prompt"
            | "max_tool_calls"
            | "top_logprobs" => {
                if !is_default(value) {
                    return Err(Untranslatable::unsupported(
                        k,
                        T,
                        "needs OpenAI Responses state or features that chat completions lack",
                    ));
                }
            }
            _ if RESPONSES_SAME.contains(&k) => {
                if !value.is_null() {
                    out.insert(k.into(), value.clone());
                }
            }
            _ if RESPONSES_IGNORED.contains(&k) => {}
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
    let mut messages = Vec::new();
    if let Some(i) = body.get("instructions").filter(|v| !v.is_null()) {
        let text = string(Some(i), "instructions")?;
        if !text.is_empty() {
            messages.push(json!({"role": "system", "content": text}));
        }
    }
    match body.get("input") {
        Some(Value::String(s)) => messages.push(json!({"role": "user", "content": s})),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                input_item_to_chat(item, &idx("input", i), &mut messages)?;
            }
        }
        _ => {
            return Err(Untranslatable::invalid(
                "input",
                "must be a string or a list of items",
            ));
        }
    }
    out.insert("messages".into(), Value::Array(messages));
    if stream {
        out.insert("stream_options".into(), json!({"include_usage": true}));
    }
    Ok(Value::Object(out))
}

/// A Responses request → an Anthropic messages request (through chat). Refusals from the
/// second step name the Responses field where one corresponds (`messages[…]` → `input`).
pub fn responses_to_messages_request(
    body: &Value,
    options: &RequestOptions,
) -> Result<Value, Untranslatable> {
    // The first step's refusals name the real target (an Anthropic upstream), not chat.
    let chat = responses_to_chat_request(body).map_err(|e| match e {
        Untranslatable::Unsupported { field, reason, .. } => Untranslatable::Unsupported {
            field,
            target: Wire::Messages.label(),
            reason,
        },
        other => other,
    })?;
    chat_to_messages_request_with(&chat, options).map_err(|e| match e {
        Untranslatable::Unsupported {
            field,
            target,
            reason,
        } => Untranslatable::Unsupported {
            field: responses_field(&field),
            target,
            reason,
        },
        Untranslatable::Invalid { field, reason } => Untranslatable::Invalid {
            field: responses_field(&field),
            reason,
        },
        other => other,
    })
}

fn responses_field(chat_field: &str) -> String {
    let head = chat_field.split(['.', '[']).next().unwrap_or("");
    match head {
        "messages" => "input".to_string(),
        "response_format" => "text.format".to_string(),
        "max_completion_tokens" => "max_output_tokens".to_string(),
        "reasoning_effort" => "reasoning.effort".to_string(),
        _ => chat_field.to_string(),
    }
}

/// An Anthropic message → a Responses object (through chat).
pub fn messages_to_responses_response(body: &Value, created: u64) -> Result<Value, Untranslatable> {
    messages_to_responses_response_in(body, created, &[])
}

/// [`messages_to_responses_response`] for a request with these namespace tools.
pub fn messages_to_responses_response_in(
    body: &Value,
    created: u64,
    namespaces: &[String],
) -> Result<Value, Untranslatable> {
    chat_to_responses_response_in(&messages_to_chat_response(body, created)?, namespaces)
}

/// The stream translator for a Responses client served by an Anthropic upstream.
pub fn messages_to_responses_stream(
    options: StreamOptions,
) -> Chain<MessagesToChatStream, ChatToResponsesStream> {
    let first = StreamOptions {
        include_usage: true,
        ..options.clone()
    };
    Chain::new(
        MessagesToChatStream::new(first),
        ChatToResponsesStream::new(options),
    )
}

fn input_item_to_chat(
    item: &Value,
    f: &str,
    messages: &mut Vec<Value>,
) -> Result<(), Untranslatable> {
    const T: Wire = Wire::Chat;
    let kind = item
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("message");
    match kind {
        "message" => {
            let role = string(item.get("role"), &path(f, "role"))?;
            let content = item.get("content").unwrap_or(&Value::Null);
            let cf = path(f, "content");
            match role {
                "system" | "developer" => {
                    let text = text_of(content, &cf, &["input_text", "text"], T)?;
                    messages.push(json!({"role": role, "content": text}));
                }
                "assistant" => {
                    let text = text_of(content, &cf, &["output_text", "text", "refusal"], T)?;
                    messages.push(json!({"role": "assistant", "content": text}));
                }
                "user" => {
                    let content = match content {
                        Value::String(s) => json!(s),
                        Value::Array(parts) => {
                            let mut out = Vec::new();
                            for (j, p) in parts.iter().enumerate() {
                                let pf = idx(&cf, j);
                                match p.get("type").and_then(Value::as_str) {
                                    Some("input_text") | Some("text") => out.push(json!({
                                        "type": "text",
                                        "text": string(p.get("text"), &path(&pf, "text"))?,
                                    })),
                                    Some("input_image") => {
                                        let url = string(
                                            p.get("image_url"),
                                            &path(&pf, "image_url"),
                                        )
                                        .map_err(|_| {
                                            Untranslatable::unsupported(
                                                path(&pf, "image_url"),
                                                T,
                                                "only images given by URL can be translated",
                                            )
                                        })?;
                                        let mut image = json!({"url": url});
                                        if let Some(d) = p.get("detail").filter(|d| !d.is_null()) {
                                            image["detail"] = d.clone();
                                        }
                                        out.push(json!({"type": "image_url", "image_url": image}));
                                    }
                                    other => {
                                        return Err(Untranslatable::unsupported(
                                            path(&pf, "type"),
                                            T,
                                            format!(
                                                "`{}` input parts cannot be translated",
                                                safe_name(other.unwrap_or(""))
                                            ),
                                        ));
                                    }
                                }
                            }
                            Value::Array(out)
                        }
                        _ => return Err(Untranslatable::invalid(cf, "must be a string or a list")),
                    };
                    messages.push(json!({"role": "user", "content": content}));
                }
                _ => return Err(Untranslatable::invalid(path(f, "role"), "unknown role")),
            }
        }
        "function_call" => {
            let name = string(item.get("name"), &path(f, "name"))?;
            let name = match item.get("namespace").and_then(Value::as_str) {
                Some(space) => flat_name(space, name),
                None => name.to_string(),
            };
            let call = json!({
                "id": string(item.get("call_id"), &path(f, "call_id"))?,
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": item.get("arguments").and_then(Value::as_str).unwrap_or("{}"),
                },
            });
            // Calls join the assistant turn they belong to.
            match messages.last_mut() {
                Some(m) if m["role"] == "assistant" => {
                    if m.get("tool_calls").is_none() {
                        m["tool_calls"] = json!([]);
                        if m["content"] == "" {
                            m["content"] = Value::Null;
                        }
                    }
                    if let Some(calls) = m["tool_calls"].as_array_mut() {
                        calls.push(call);
                    }
                }
                _ => messages
                    .push(json!({"role": "assistant", "content": null, "tool_calls": [call]})),
            }
        }
        "function_call_output" => {
            let output = match item.get("output") {
                Some(Value::String(s)) => s.clone(),
                Some(v @ Value::Array(_)) => text_of(
                    v,
                    &path(f, "output"),
                    &["input_text", "output_text", "text"],
                    T,
                )?,
                _ => {
                    return Err(Untranslatable::invalid(
                        path(f, "output"),
                        "must be a string",
                    ));
                }
            };
            messages.push(json!({
                "role": "tool",
                "tool_call_id": string(item.get("call_id"), &path(f, "call_id"))?,
                "content": output,
            }));
        }
        // Reasoning items are tied to the provider and account that produced them.
        "reasoning" => {}
        other => {
            return Err(Untranslatable::unsupported(
                path(f, "type"),
                T,
                format!("`{}` items cannot be translated", safe_name(other)),
            ));
        }
    }
    Ok(())
}

fn response_id(chat_id: &str) -> String {
    if chat_id.starts_with("resp_") {
        chat_id.to_string()
    } else {
        format!("resp_{chat_id}")
    }
}

fn status_of(finish: Option<&str>) -> (&'static str, Value) {
    match finish {
        Some("length") => ("incomplete", json!({"reason": "max_output_tokens"})),
        Some("content_filter") => ("incomplete", json!({"reason": "content_filter"})),
        _ => ("completed", Value::Null),
    }
}

fn message_item(id: &str, text: &str, status: &str) -> Value {
    json!({
        "id": id,
        "type": "message",
        "status": status,
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    })
}

/// A function call output item; a call of a flattened namespace tool (`<space>__<name>`,
/// `space` one of the request's `namespaces`) gets its `namespace` and short name back.
fn call_item(
    id: &str,
    call_id: &str,
    name: &str,
    args: &str,
    status: &str,
    namespaces: &[String],
) -> Value {
    let mut item = json!({
        "id": id,
        "type": "function_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": args,
    });
    if let Some((space, short)) = split_name(name, namespaces) {
        item["namespace"] = json!(space);
        item["name"] = json!(short);
    }
    item
}

/// The separator of a flattened namespace tool's name: chat and Anthropic tool names allow
/// only `[A-Za-z0-9_-]`.
const NAMESPACE_SEPARATOR: &str = "__";

fn flat_name(space: &str, name: &str) -> String {
    format!("{space}{NAMESPACE_SEPARATOR}{name}")
}

fn split_name<'a>(name: &'a str, namespaces: &'a [String]) -> Option<(&'a str, &'a str)> {
    namespaces.iter().find_map(|space| {
        let short = name
            .strip_prefix(space.as_str())?
            .strip_prefix(NAMESPACE_SEPARATOR)?;
        (!short.is_empty()).then_some((space.as_str(), short))
    })
}

/// The names of a Responses request's namespace tools: the answer's calls are split back
/// into these.
pub fn namespaces_of(request: &Value) -> Vec<String> {
    let tools = request.get("tools").and_then(Value::as_array);
    tools
        .into_iter()
        .flatten()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("namespace"))
        .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

fn function_tool(tool: &Value, f: &str, space: Option<&str>) -> Result<Value, Untranslatable> {
    let name = string(tool.get("name"), &path(f, "name"))?;
    let name = space.map_or_else(|| name.to_string(), |space| flat_name(space, name));
    let mut func = json!({ "name": name });
    for key in ["description", "parameters", "strict"] {
        if let Some(v) = tool.get(key).filter(|v| !v.is_null()) {
            func[key] = v.clone();
        }
    }
    Ok(json!({"type": "function", "function": func}))
}

fn not_a_function(f: &str, kind: &str) -> Untranslatable {
    Untranslatable::unsupported(
        path(f, "type"),
        Wire::Chat,
        format!(
            "only function tools (alone or in a namespace) can be translated, not `{}`",
            safe_name(kind)
        ),
    )
}

/// A chat completion → a Responses `response` object.
pub fn chat_to_responses_response(body: &Value) -> Result<Value, Untranslatable> {
    chat_to_responses_response_in(body, &[])
}

/// [`chat_to_responses_response`] for a request with these namespace tools
/// ([`namespaces_of`]).
pub fn chat_to_responses_response_in(
    body: &Value,
    namespaces: &[String],
) -> Result<Value, Untranslatable> {
    if body.get("error").is_some_and(|e| !e.is_null()) {
        return Err(Untranslatable::upstream(
            "the upstream answered with an error body",
        ));
    }
    let choice = body
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| Untranslatable::upstream("the completion has no choices"))?;
    let id = body.get("id").and_then(Value::as_str).unwrap_or("");
    let message = choice.get("message").unwrap_or(&Value::Null);
    let mut output = Vec::new();
    let mut text = message
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(r) = message.get("refusal").and_then(Value::as_str) {
        text.push_str(r);
    }
    let calls = message.get("tool_calls").and_then(Value::as_array);
    if !text.is_empty() || calls.is_none_or(|c| c.is_empty()) {
        output.push(message_item(&format!("msg_{id}"), &text, "completed"));
    }
    for call in calls.into_iter().flatten() {
        let call_id = call.get("id").and_then(Value::as_str).unwrap_or("");
        let func = call.get("function").unwrap_or(&Value::Null);
        output.push(call_item(
            &format!("fc_{call_id}"),
            call_id,
            func.get("name").and_then(Value::as_str).unwrap_or(""),
            func.get("arguments")
                .and_then(Value::as_str)
                .unwrap_or("{}"),
            "completed",
            namespaces,
        ));
    }
    let (status, incomplete) = status_of(choice.get("finish_reason").and_then(Value::as_str));
    let usage = body
        .get("usage")
        .and_then(Usage::from_chat)
        .unwrap_or_default();
    Ok(json!({
        "id": response_id(id),
        "object": "response",
        "created_at": body.get("created").cloned().unwrap_or(json!(0)),
        "status": status,
        "error": null,
        "incomplete_details": incomplete,
        "model": body.get("model").cloned().unwrap_or_default(),
        "output": output,
        "parallel_tool_calls": true,
        "tool_choice": "auto",
        "tools": [],
        "usage": usage.to_responses(),
    }))
}

#[derive(Debug)]
enum Item {
    None,
    Message {
        id: String,
        text: String,
    },
    Call {
        index: u64,
        id: String,
        call_id: String,
        name: String,
        args: String,
    },
}

/// Translates OpenAI chat chunks into the Responses event stream. The Responses protocol
/// repeats the full text and arguments in its `done` events and in `response.completed`,
/// so this translator keeps them, up to [`StreamOptions::max_kept_bytes`].
#[derive(Debug)]
pub struct ChatToResponsesStream {
    options: StreamOptions,
    seq: u64,
    started: bool,
    done: bool,
    id: String,
    model: String,
    created: u64,
    output: Vec<Value>,
    open: Item,
    last_tool: Option<u64>,
    tools: usize,
    kept: usize,
    finish: Option<String>,
    usage: Option<Usage>,
}

impl ChatToResponsesStream {
    pub fn new(options: StreamOptions) -> Self {
        let created = options.created;
        ChatToResponsesStream {
            options,
            seq: 0,
            started: false,
            done: false,
            id: String::new(),
            model: String::new(),
            created,
            output: Vec::new(),
            open: Item::None,
            last_tool: None,
            tools: 0,
            kept: 0,
            finish: None,
            usage: None,
        }
    }

    fn event(&mut self, kind: &str, mut data: Value) -> SseEvent {
        data["type"] = json!(kind);
        data["sequence_number"] = json!(self.seq);
        self.seq += 1;
        SseEvent::named(kind, data.to_string())
    }

    fn response(&self, status: &str, usage: Value, extra: Option<(&str, Value)>) -> Value {
        let mut r = json!({
            "id": self.id,
            "object": "response",
            "created_at": self.created,
            "status": status,
            "error": null,
            "incomplete_details": null,
            "model": self.model,
            "output": self.output,
            "parallel_tool_calls": true,
            "tool_choice": "auto",
            "tools": [],
            "usage": usage,
        });
        if let Some((k, v)) = extra {
            r[k] = v;
        }
        r
    }

    fn start(&mut self, chunk: &Value, out: &mut Vec<SseEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        self.id = response_id(chunk.get("id").and_then(Value::as_str).unwrap_or(""));
        self.model = chunk
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(c) = chunk.get("created").and_then(Value::as_u64) {
            self.created = c;
        }
        let r = self.response("in_progress", Value::Null, None);
        out.push(self.event("response.created", json!({"response": r})));
        out.push(self.event("response.in_progress", json!({"response": r})));
    }

    fn keep(&mut self, n: usize) -> bool {
        self.kept = self.kept.saturating_add(n);
        self.kept <= self.options.max_kept_bytes
    }

    fn close(&mut self, out: &mut Vec<SseEvent>) {
        let output_index = self.output.len();
        match std::mem::replace(&mut self.open, Item::None) {
            Item::None => {}
            Item::Message { id, text } => {
                let part = json!({"type": "output_text", "text": text, "annotations": []});
                let e = self.event(
                    "response.output_text.done",
                    json!({"item_id": id, "output_index": output_index, "content_index": 0, "text": text, "logprobs": []}),
                );
                out.push(e);
                let e = self.event(
                    "response.content_part.done",
                    json!({"item_id": id, "output_index": output_index, "content_index": 0, "part": part}),
                );
                out.push(e);
                let item = message_item(&id, &text, "completed");
                let e = self.event(
                    "response.output_item.done",
                    json!({"output_index": output_index, "item": item}),
                );
                out.push(e);
                self.output.push(item);
            }
            Item::Call {
                id,
                call_id,
                name,
                args,
                ..
            } => {
                let e = self.event(
                    "response.function_call_arguments.done",
                    json!({"item_id": id, "output_index": output_index, "arguments": args}),
                );
                out.push(e);
                let item = call_item(
                    &id,
                    &call_id,
                    &name,
                    &args,
                    "completed",
                    &self.options.namespaces,
                );
                let e = self.event(
                    "response.output_item.done",
                    json!({"output_index": output_index, "item": item}),
                );
                out.push(e);
                self.output.push(item);
            }
        }
    }

    fn text(&mut self, delta: &str, out: &mut Vec<SseEvent>) -> bool {
        if !matches!(self.open, Item::Message { .. }) {
            self.close(out);
            let output_index = self.output.len();
            // Item ids are unique within a response (text may resume after a tool call).
            let base = self.id.trim_start_matches("resp_");
            let id = match output_index {
                0 => format!("msg_{base}"),
                n => format!("msg_{base}_{n}"),
            };
            let item = json!({"id": id, "type": "message", "status": "in_progress", "role": "assistant", "content": []});
            let e = self.event(
                "response.output_item.added",
                json!({"output_index": output_index, "item": item}),
            );
            out.push(e);
            let e = self.event(
                "response.content_part.added",
                json!({"item_id": id, "output_index": output_index, "content_index": 0,
                       "part": {"type": "output_text", "text": "", "annotations": []}}),
            );
            out.push(e);
            self.open = Item::Message {
                id,
                text: String::new(),
            };
        }
        // Kept twice: in the open item and, after its close, in `output`.
        if !self.keep(delta.len() * 2) {
            return false;
        }
        let output_index = self.output.len();
        let Item::Message { id, text } = &mut self.open else {
            return true;
        };
        text.push_str(delta);
        let id = id.clone();
        let e = self.event(
            "response.output_text.delta",
            json!({"item_id": id, "output_index": output_index, "content_index": 0, "delta": delta, "logprobs": []}),
        );
        out.push(e);
        true
    }

    fn tool_calls(&mut self, calls: &[Value], out: &mut Vec<SseEvent>) -> Result<(), &'static str> {
        for tc in calls {
            let i = tc.get("index").and_then(Value::as_u64).unwrap_or(0);
            let func = tc.get("function").unwrap_or(&Value::Null);
            let same = matches!(&self.open, Item::Call { index, .. } if *index == i);
            if !same {
                if self.last_tool.is_some_and(|last| i <= last) {
                    return Err("the upstream interleaved tool-call fragments");
                }
                if self.tools >= self.options.max_tool_calls {
                    return Err("the upstream made too many tool calls");
                }
                self.tools += 1;
                self.close(out);
                let call_id = match tc.get("id").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_string(),
                    _ => format!("call_{i}"),
                };
                let name = func
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let id = format!("fc_{call_id}");
                if !self.keep((id.len() + call_id.len() + name.len()) * 2) {
                    return Err("the upstream response is too large to translate");
                }
                let output_index = self.output.len();
                let item = call_item(
                    &id,
                    &call_id,
                    &name,
                    "",
                    "in_progress",
                    &self.options.namespaces,
                );
                let e = self.event(
                    "response.output_item.added",
                    json!({"output_index": output_index, "item": item}),
                );
                out.push(e);
                self.open = Item::Call {
                    index: i,
                    id,
                    call_id,
                    name,
                    args: String::new(),
                };
                self.last_tool = Some(i);
            }
            if let Some(delta) = func
                .get("arguments")
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
            {
                if !self.keep(delta.len() * 2) {
                    return Err("the upstream response is too large to translate");
                }
                let output_index = self.output.len();
                if let Item::Call { id, args, .. } = &mut self.open {
                    args.push_str(delta);
                    let id = id.clone();
                    let e = self.event(
                        "response.function_call_arguments.delta",
                        json!({"item_id": id, "output_index": output_index, "delta": delta}),
                    );
                    out.push(e);
                }
            }
        }
        Ok(())
    }

    fn complete(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&Value::Null, &mut out);
        self.close(&mut out);
        let (status, incomplete) = status_of(self.finish.as_deref());
        let usage = self.usage.unwrap_or_default().to_responses();
        let r = self.response(status, usage, Some(("incomplete_details", incomplete)));
        let kind = if status == "completed" {
            "response.completed"
        } else {
            "response.incomplete"
        };
        out.push(self.event(kind, json!({"response": r})));
        self.done = true;
        out
    }

    fn end_with_error(&mut self, kind: ErrorKind, message: &str) -> Vec<SseEvent> {
        let mut out = Vec::new();
        let code = kind.openai_type();
        out.push(self.event(
            "error",
            json!({"code": code, "message": message, "param": null}),
        ));
        if self.started {
            let usage = self.usage.map(|u| u.to_responses()).unwrap_or(Value::Null);
            let r = self.response(
                "failed",
                usage,
                Some(("error", json!({"code": code, "message": message}))),
            );
            out.push(self.event("response.failed", json!({"response": r})));
        }
        self.done = true;
        out
    }
}

impl ChatFed for ChatToResponsesStream {
    fn over(&self) -> bool {
        self.done
    }

    fn has_finish(&self) -> bool {
        self.finish.is_some()
    }

    fn finish_ok(&mut self) -> Vec<SseEvent> {
        self.complete()
    }

    fn finish_err(&mut self, kind: ErrorKind, message: &str) -> Vec<SseEvent> {
        self.end_with_error(kind, message)
    }

    fn first(&mut self, chunk: &Value, out: &mut Vec<SseEvent>) {
        self.start(chunk, out);
    }

    fn set_usage(&mut self, usage: Usage) {
        self.usage = Some(usage);
    }

    fn choice(&mut self, choice: &Value, out: &mut Vec<SseEvent>) {
        let delta = choice.get("delta").unwrap_or(&Value::Null);
        for key in ["content", "refusal"] {
            if let Some(t) = delta
                .get(key)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                && !self.text(t, out)
            {
                out.extend(self.end_with_error(
                    ErrorKind::Api,
                    "the upstream response is too large to translate",
                ));
                return;
            }
        }
        if let Some(calls) = delta.get("tool_calls").and_then(Value::as_array)
            && let Err(why) = self.tool_calls(calls, out)
        {
            out.extend(self.end_with_error(ErrorKind::Api, why));
            return;
        }
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(safe_name(f));
        }
    }
}

impl StreamTranslator for ChatToResponsesStream {
    fn feed(&mut self, event: &SseEvent) -> Vec<SseEvent> {
        feed_chat(self, event)
    }

    fn finish(&mut self) -> Vec<SseEvent> {
        finish_chat(self)
    }

    fn fail(&mut self, message: &str) -> Vec<SseEvent> {
        fail_chat(self, message)
    }

    fn is_done(&self) -> bool {
        self.done
    }

    fn usage(&self) -> Option<Usage> {
        self.usage
    }
}
