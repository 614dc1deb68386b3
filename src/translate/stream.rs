//! Streaming translation as incremental state machines: feed the upstream's SSE events one
//! at a time, get back the client-wire events to write (fact sheet §5.4).
//!
//! Memory is bounded: the translators keep ids, counters and the state of the open block,
//! never the text (the Responses translator, whose protocol repeats the full text in its
//! `done` events, is the exception and caps what it keeps). Malformed upstream events,
//! errors inside the stream and an upstream that stops early all end the client's stream
//! with an error event in the client's own wire format; nothing panics.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::error::{ErrorKind, error_body, parse_error};
use super::response::{map_finish_reason, map_stop_reason};
use super::usage::Usage;
use super::{SseEvent, Wire};

/// One upstream stream translated into one client stream.
pub trait StreamTranslator {
    /// One upstream event → the client events to emit, in order.
    fn feed(&mut self, event: &SseEvent) -> Vec<SseEvent>;
    /// The upstream closed its stream: the client stream's end, or an error event if the
    /// upstream stopped before its terminal event.
    fn finish(&mut self) -> Vec<SseEvent>;
    /// The transport failed mid-stream (reset, stall, body cap): an error event in the
    /// client's wire; the stream is over.
    fn fail(&mut self, message: &str) -> Vec<SseEvent>;
    /// Whether the client stream has ended; later calls emit nothing.
    fn is_done(&self) -> bool;
    /// The upstream's usage seen so far (partial if the stream was cut).
    fn usage(&self) -> Option<Usage>;
}

/// What the client asked for, and what the translator may not exceed.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// OpenAI clients: emit the usage chunk (`choices: []`) before `[DONE]`, as
    /// `stream_options.include_usage` asks.
    pub include_usage: bool,
    /// Unix time for `created` fields (Anthropic streams carry none).
    pub created: u64,
    /// Tool calls per response before the stream is ended with an error.
    pub max_tool_calls: usize,
    /// Bytes of text and arguments a translator may keep (Responses only).
    pub max_kept_bytes: usize,
    /// Responses clients: the request's namespace tools, whose flattened calls are split back
    /// ([`super::namespaces_of`]).
    pub namespaces: Vec<String>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            include_usage: false,
            created: 0,
            max_tool_calls: 1024,
            max_kept_bytes: 32 << 20,
            namespaces: Vec::new(),
        }
    }
}

/// Whether an OpenAI chat request asked for the usage chunk.
pub fn chat_wants_usage(request: &Value) -> bool {
    request
        .get("stream_options")
        .and_then(|o| o.get("include_usage"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn openai_error_event(kind: ErrorKind, message: &str) -> SseEvent {
    SseEvent::data(error_body(Wire::Chat, kind, message, None).to_string())
}

fn anthropic_event(data: Value) -> SseEvent {
    let name = data["type"].as_str().unwrap_or("").to_string();
    SseEvent::named(name, data.to_string())
}

fn anthropic_error_event(kind: ErrorKind, message: &str) -> SseEvent {
    anthropic_event(error_body(Wire::Messages, kind, message, None))
}

// ---------------------------------------------------------------------------------------
// Anthropic upstream → OpenAI chat client

#[derive(Clone, Copy, Debug)]
enum Block {
    Text,
    Tool { k: usize, had_json: bool },
    Thinking,
    Other,
}

/// Most blocks Anthropic keeps open at once (it opens one at a time).
const MAX_OPEN_BLOCKS: usize = 64;

/// Translates an Anthropic Messages stream into OpenAI chat chunks.
#[derive(Debug)]
pub struct MessagesToChatStream {
    options: StreamOptions,
    started: bool,
    done: bool,
    id: String,
    model: String,
    usage: Option<Usage>,
    finish: Option<&'static str>,
    next_tool: usize,
    open: HashMap<u64, Block>,
}

impl MessagesToChatStream {
    pub fn new(options: StreamOptions) -> Self {
        MessagesToChatStream {
            options,
            started: false,
            done: false,
            id: String::new(),
            model: String::new(),
            usage: None,
            finish: None,
            next_tool: 0,
            open: HashMap::new(),
        }
    }

    fn chunk(&self, delta: Value, finish: Option<&str>) -> SseEvent {
        let mut c = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.options.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        });
        if self.options.include_usage {
            c["usage"] = Value::Null;
        }
        SseEvent::data(c.to_string())
    }

    fn start(&mut self, out: &mut Vec<SseEvent>) {
        if !self.started {
            self.started = true;
            out.push(self.chunk(json!({"role": "assistant", "content": ""}), None));
        }
    }

    fn end_with_error(&mut self, kind: ErrorKind, message: &str) -> Vec<SseEvent> {
        self.done = true;
        vec![openai_error_event(kind, message)]
    }

    fn complete(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&mut out);
        if self.finish.is_none() {
            out.push(self.chunk(json!({}), Some("stop")));
        }
        if self.options.include_usage {
            let usage = self.usage.unwrap_or_default();
            out.push(SseEvent::data(
                json!({
                    "id": self.id,
                    "object": "chat.completion.chunk",
                    "created": self.options.created,
                    "model": self.model,
                    "choices": [],
                    "usage": usage.to_chat(),
                })
                .to_string(),
            ));
        }
        out.push(SseEvent::data("[DONE]"));
        self.done = true;
        out
    }
}

impl StreamTranslator for MessagesToChatStream {
    fn feed(&mut self, event: &SseEvent) -> Vec<SseEvent> {
        if self.done || event.is_done() {
            return vec![];
        }
        let Ok(data) = serde_json::from_str::<Value>(&event.data) else {
            return self.end_with_error(
                ErrorKind::Api,
                "the upstream sent an event that is not JSON",
            );
        };
        let kind = data
            .get("type")
            .and_then(Value::as_str)
            .or(event.event.as_deref())
            .unwrap_or("");
        let mut out = Vec::new();
        match kind {
            "message_start" => {
                let message = data.get("message").unwrap_or(&Value::Null);
                if !self.started {
                    self.id = message
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .into();
                    self.model = message
                        .get("model")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .into();
                }
                if let Some(u) = message.get("usage").filter(|u| u.is_object()) {
                    self.usage
                        .get_or_insert_with(Usage::default)
                        .merge_messages(u);
                }
                self.start(&mut out);
            }
            "content_block_start" => {
                self.start(&mut out);
                let index = data.get("index").and_then(Value::as_u64).unwrap_or(0);
                if self.open.len() >= MAX_OPEN_BLOCKS && !self.open.contains_key(&index) {
                    return self.end_with_error(
                        ErrorKind::Api,
                        "the upstream opened too many content blocks",
                    );
                }
                let block = data.get("content_block").unwrap_or(&Value::Null);
                let state = match block.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        if let Some(t) = block
                            .get("text")
                            .and_then(Value::as_str)
                            .filter(|t| !t.is_empty())
                        {
                            out.push(self.chunk(json!({"content": t}), None));
                        }
                        Block::Text
                    }
                    Some("tool_use") => {
                        let k = self.next_tool;
                        if k >= self.options.max_tool_calls {
                            return self.end_with_error(
                                ErrorKind::Api,
                                "the upstream made too many tool calls",
                            );
                        }
                        self.next_tool += 1;
                        let mut had_json = false;
                        let mut args = String::new();
                        if let Some(input) = block
                            .get("input")
                            .filter(|i| i.as_object().is_some_and(|o| !o.is_empty()))
                        {
                            args = input.to_string();
                            had_json = true;
                        }
                        out.push(self.chunk(
                            json!({"tool_calls": [{
                                "index": k,
                                "id": block.get("id").cloned().unwrap_or_default(),
                                "type": "function",
                                "function": {"name": block.get("name").cloned().unwrap_or_default(), "arguments": args},
                            }]}),
                            None,
                        ));
                        Block::Tool { k, had_json }
                    }
                    Some("thinking") => Block::Thinking,
                    _ => Block::Other,
                };
                self.open.insert(index, state);
            }
            "content_block_delta" => {
                self.start(&mut out);
                let index = data.get("index").and_then(Value::as_u64).unwrap_or(0);
                let delta = data.get("delta").unwrap_or(&Value::Null);
                let text = |key: &str| {
                    delta
                        .get(key)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                };
                match (
                    delta.get("type").and_then(Value::as_str),
                    self.open.get_mut(&index),
                ) {
                    (Some("text_delta"), _) => {
                        if let Some(t) = text("text") {
                            out.push(self.chunk(json!({"content": t}), None));
                        }
                    }
                    (Some("input_json_delta"), Some(Block::Tool { k, had_json })) => {
                        if let Some(j) = text("partial_json") {
                            *had_json = true;
                            let k = *k;
                            out.push(self.chunk(
                                json!({"tool_calls": [{"index": k, "function": {"arguments": j}}]}),
                                None,
                            ));
                        }
                    }
                    (Some("thinking_delta"), _) => {
                        if let Some(t) = text("thinking") {
                            out.push(self.chunk(json!({"reasoning_content": t}), None));
                        }
                    }
                    // signature_delta, citations_delta, JSON for an unknown block: nothing to show.
                    _ => {}
                }
            }
            "content_block_stop" => {
                let index = data.get("index").and_then(Value::as_u64).unwrap_or(0);
                if let Some(Block::Tool { k, had_json: false }) = self.open.remove(&index) {
                    out.push(self.chunk(
                        json!({"tool_calls": [{"index": k, "function": {"arguments": "{}"}}]}),
                        None,
                    ));
                }
            }
            "message_delta" => {
                self.start(&mut out);
                if let Some(u) = data.get("usage").filter(|u| u.is_object()) {
                    self.usage
                        .get_or_insert_with(Usage::default)
                        .merge_messages(u);
                }
                let stop = data
                    .get("delta")
                    .and_then(|d| d.get("stop_reason"))
                    .and_then(Value::as_str);
                if let Some(stop) = stop
                    && self.finish.is_none()
                {
                    let finish = map_stop_reason(Some(stop));
                    self.finish = Some(finish);
                    out.push(self.chunk(json!({}), Some(finish)));
                }
            }
            "message_stop" => out.extend(self.complete()),
            "error" => {
                let (kind, message, _) = parse_error(None, &data);
                out.extend(self.end_with_error(kind, &message));
            }
            // ping and event types added later.
            _ => {}
        }
        out
    }

    fn finish(&mut self) -> Vec<SseEvent> {
        if self.done {
            return vec![];
        }
        if self.finish.is_some() {
            // message_delta arrived, message_stop did not: the answer is complete.
            return self.complete();
        }
        self.end_with_error(
            ErrorKind::Api,
            "the upstream stream ended before message_stop",
        )
    }

    fn fail(&mut self, message: &str) -> Vec<SseEvent> {
        if self.done {
            return vec![];
        }
        self.end_with_error(ErrorKind::Api, message)
    }

    fn is_done(&self) -> bool {
        self.done
    }

    fn usage(&self) -> Option<Usage> {
        self.usage
    }
}

// ---------------------------------------------------------------------------------------
// OpenAI chat upstream → Anthropic client

#[derive(Clone, Copy, Debug, PartialEq)]
enum Open {
    None,
    Text,
    Tool(u64),
}

/// Translates OpenAI chat chunks into an Anthropic Messages stream. Ask the upstream for
/// `stream_options.include_usage` ([`messages_to_chat_request`](super::messages_to_chat_request)
/// does) so the final `message_delta` has the counts.
#[derive(Debug)]
pub struct ChatToMessagesStream {
    options: StreamOptions,
    started: bool,
    done: bool,
    index: u64,
    open: Open,
    last_tool: Option<u64>,
    tools: usize,
    refusal: bool,
    finish: Option<&'static str>,
    usage: Option<Usage>,
}

impl ChatToMessagesStream {
    pub fn new(options: StreamOptions) -> Self {
        ChatToMessagesStream {
            options,
            started: false,
            done: false,
            index: 0,
            open: Open::None,
            last_tool: None,
            tools: 0,
            refusal: false,
            finish: None,
            usage: None,
        }
    }

    fn start(&mut self, chunk: &Value, out: &mut Vec<SseEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        out.push(anthropic_event(json!({
            "type": "message_start",
            "message": {
                "id": chunk.get("id").and_then(Value::as_str).unwrap_or(""),
                "type": "message",
                "role": "assistant",
                "model": chunk.get("model").and_then(Value::as_str).unwrap_or(""),
                "content": [],
                "stop_reason": null,
                "stop_sequence": null,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            },
        })));
    }

    fn close(&mut self, out: &mut Vec<SseEvent>) {
        if self.open != Open::None {
            out.push(anthropic_event(
                json!({"type": "content_block_stop", "index": self.index}),
            ));
            self.index += 1;
            self.open = Open::None;
        }
    }

    fn text(&mut self, text: &str, out: &mut Vec<SseEvent>) {
        if self.open != Open::Text {
            self.close(out);
            out.push(anthropic_event(json!({
                "type": "content_block_start",
                "index": self.index,
                "content_block": {"type": "text", "text": ""},
            })));
            self.open = Open::Text;
        }
        out.push(anthropic_event(json!({
            "type": "content_block_delta",
            "index": self.index,
            "delta": {"type": "text_delta", "text": text},
        })));
    }

    fn end_with_error(&mut self, kind: ErrorKind, message: &str) -> Vec<SseEvent> {
        self.done = true;
        vec![anthropic_error_event(kind, message)]
    }

    fn complete(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&Value::Null, &mut out);
        self.close(&mut out);
        let stop = if self.refusal {
            "refusal"
        } else {
            self.finish.unwrap_or("end_turn")
        };
        out.push(anthropic_event(json!({
            "type": "message_delta",
            "delta": {"stop_reason": stop, "stop_sequence": null},
            "usage": self.usage.unwrap_or_default().to_messages(),
        })));
        out.push(anthropic_event(json!({"type": "message_stop"})));
        self.done = true;
        out
    }

    fn tool_calls(&mut self, calls: &[Value], out: &mut Vec<SseEvent>) -> Result<(), &'static str> {
        for tc in calls {
            let i = tc.get("index").and_then(Value::as_u64).unwrap_or(0);
            let func = tc.get("function").unwrap_or(&Value::Null);
            if self.open != Open::Tool(i) {
                if self.last_tool.is_some_and(|last| i <= last) {
                    return Err("the upstream interleaved tool-call fragments");
                }
                if self.tools >= self.options.max_tool_calls {
                    return Err("the upstream made too many tool calls");
                }
                self.tools += 1;
                self.close(out);
                let id = match tc.get("id").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_string(),
                    _ => format!("call_{i}"),
                };
                out.push(anthropic_event(json!({
                    "type": "content_block_start",
                    "index": self.index,
                    "content_block": {
                        "type": "tool_use",
                        "id": id,
                        "name": func.get("name").and_then(Value::as_str).unwrap_or(""),
                        "input": {},
                    },
                })));
                self.open = Open::Tool(i);
                self.last_tool = Some(i);
            }
            if let Some(args) = func
                .get("arguments")
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
            {
                out.push(anthropic_event(json!({
                    "type": "content_block_delta",
                    "index": self.index,
                    "delta": {"type": "input_json_delta", "partial_json": args},
                })));
            }
        }
        Ok(())
    }
}

impl ChatFed for ChatToMessagesStream {
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
        if let Some(t) = delta
            .get("content")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            self.text(t, out);
        }
        if let Some(r) = delta
            .get("refusal")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            self.refusal = true;
            self.text(r, out);
        }
        if let Some(calls) = delta.get("tool_calls").and_then(Value::as_array)
            && let Err(why) = self.tool_calls(calls, out)
        {
            out.extend(self.end_with_error(ErrorKind::Api, why));
            return;
        }
        // Held until the usage chunk and [DONE]: Anthropic reports both in one message_delta.
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(map_finish_reason(Some(f)));
        }
    }
}

impl StreamTranslator for ChatToMessagesStream {
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

// ---------------------------------------------------------------------------------------
// The half shared by the translators an OpenAI chat stream feeds (→ Messages, → Responses)

/// What a translator fed by OpenAI chat chunks supplies; [`feed_chat`], [`finish_chat`] and
/// [`fail_chat`] do the rest.
pub(crate) trait ChatFed {
    /// The client stream has ended.
    fn over(&self) -> bool;
    /// A `finish_reason` was seen (some compatible servers end without `[DONE]`).
    fn has_finish(&self) -> bool;
    /// Ends the client stream normally.
    fn finish_ok(&mut self) -> Vec<SseEvent>;
    /// Ends the client stream with an error event.
    fn finish_err(&mut self, kind: ErrorKind, message: &str) -> Vec<SseEvent>;
    /// The first chunk opens the client stream.
    fn first(&mut self, chunk: &Value, out: &mut Vec<SseEvent>);
    /// A chunk carried `usage`.
    fn set_usage(&mut self, usage: Usage);
    /// Choice 0 of a chunk: its delta and `finish_reason`.
    fn choice(&mut self, choice: &Value, out: &mut Vec<SseEvent>);
}

/// One upstream chat event: `[DONE]`, a malformed or error chunk, or a chunk whose first
/// choice goes to [`ChatFed::choice`].
pub(crate) fn feed_chat<T: ChatFed>(t: &mut T, event: &SseEvent) -> Vec<SseEvent> {
    if t.over() {
        return vec![];
    }
    if event.is_done() {
        return t.finish_ok();
    }
    let Ok(chunk) = serde_json::from_str::<Value>(&event.data) else {
        return t.finish_err(
            ErrorKind::Api,
            "the upstream sent an event that is not JSON",
        );
    };
    if chunk.get("error").is_some_and(|e| !e.is_null()) {
        let (kind, message, _) = parse_error(None, &chunk);
        return t.finish_err(kind, &message);
    }
    let mut out = Vec::new();
    t.first(&chunk, &mut out);
    if let Some(u) = chunk.get("usage").and_then(Usage::from_chat) {
        t.set_usage(u);
    }
    let choice = chunk
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|c| {
            c.iter()
                .find(|c| c.get("index").and_then(Value::as_u64).unwrap_or(0) == 0)
        });
    if let Some(choice) = choice {
        t.choice(choice, &mut out);
    }
    out
}

/// The upstream chat stream closed.
pub(crate) fn finish_chat<T: ChatFed>(t: &mut T) -> Vec<SseEvent> {
    if t.over() {
        return vec![];
    }
    if t.has_finish() {
        return t.finish_ok();
    }
    t.finish_err(
        ErrorKind::Api,
        "the upstream stream ended before its last chunk",
    )
}

/// The transport under an upstream chat stream failed.
pub(crate) fn fail_chat<T: ChatFed>(t: &mut T, message: &str) -> Vec<SseEvent> {
    if t.over() {
        return vec![];
    }
    t.finish_err(ErrorKind::Api, message)
}

// ---------------------------------------------------------------------------------------

/// Two translators in a row (Anthropic → chat → Responses). [`usage`](StreamTranslator::usage)
/// is the first one's: the upstream's own counts.
pub struct Chain<A, B> {
    pub first: A,
    pub second: B,
}

impl<A: StreamTranslator, B: StreamTranslator> Chain<A, B> {
    pub fn new(first: A, second: B) -> Self {
        Chain { first, second }
    }

    fn pass(&mut self, events: Vec<SseEvent>) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for e in events {
            out.extend(self.second.feed(&e));
        }
        out
    }
}

impl<A: StreamTranslator, B: StreamTranslator> StreamTranslator for Chain<A, B> {
    fn feed(&mut self, event: &SseEvent) -> Vec<SseEvent> {
        let mid = self.first.feed(event);
        self.pass(mid)
    }

    fn finish(&mut self) -> Vec<SseEvent> {
        let mid = self.first.finish();
        let mut out = self.pass(mid);
        out.extend(self.second.finish());
        out
    }

    fn fail(&mut self, message: &str) -> Vec<SseEvent> {
        let _ = self.first.fail(message);
        self.second.fail(message)
    }

    fn is_done(&self) -> bool {
        self.second.is_done()
    }

    fn usage(&self) -> Option<Usage> {
        self.first.usage()
    }
}
