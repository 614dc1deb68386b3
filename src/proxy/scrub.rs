//! Keeping real keys out of everything the proxy returns: headers, JSON bodies, and SSE
//! streams whose text deltas may split a key across events.
//!
//! Bodies are redacted on their decoded text: a JSON body is parsed and every string is
//! scanned (so `\u` escapes cannot hide a key); a non-JSON body is scanned as bytes. In a
//! stream, each text channel (a choice's `delta.content`, a content block's `text_delta`,
//! a tool call's arguments, …) runs through its own [`Redactor`], which holds back only a
//! tail that could be the start of a key; the held tail goes out with the channel's next
//! delta, or in a delta of its own right before the channel ends. Events that need no
//! change are passed on byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::Wire;
use crate::export::stream_redact::{MASK, MIN_FRAGMENT, Redactor, secret_part};
use crate::translate::Wire as Api;
use crate::translate::usage::{StreamUsage, Usage};

/// The keys to conceal (every connector key the proxy holds).
pub struct Keys {
    values: Vec<Zeroizing<String>>,
    /// Every whole key, and every run of [`MIN_FRAGMENT`] bytes of a key's secret part: a
    /// key minus a character, or half of one split across two fields, is still found.
    finder: Option<aho_corasick::AhoCorasick>,
    /// The ASCII bytes some key contains (an escape decoding to one could hide a key).
    key_bytes: [bool; 128],
    /// Whether some key has a non-ASCII byte.
    non_ascii: bool,
}

impl Default for Keys {
    fn default() -> Self {
        Keys::new(Vec::new())
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys({})", self.values.len())
    }
}

impl Keys {
    pub fn new(values: Vec<Zeroizing<String>>) -> Self {
        let values: Vec<_> = values.into_iter().filter(|v| !v.is_empty()).collect();
        let finder = (!values.is_empty()).then(|| {
            let fragments = values.iter().flat_map(|v| {
                let body = secret_part(v.as_bytes());
                body.windows(MIN_FRAGMENT.min(body.len().max(1)))
            });
            aho_corasick::AhoCorasick::new(values.iter().map(|v| v.as_bytes()).chain(fragments))
                .expect("literal patterns")
        });
        let mut key_bytes = [false; 128];
        let mut non_ascii = false;
        for b in values.iter().flat_map(|v| v.bytes()) {
            match key_bytes.get_mut(b as usize) {
                Some(seen) => *seen = true,
                None => non_ascii = true,
            }
        }
        Keys {
            values,
            finder,
            key_bytes,
            non_ascii,
        }
    }

    /// Whether a JSON escape in `bytes` could decode to a character of some key, so that
    /// only the decoded text can tell whether a key is there. Anything that is not a
    /// well-formed JSON escape counts as "could".
    fn escapes_may_hide_key(&self, bytes: &[u8]) -> bool {
        let in_key = |c: u32| match self.key_bytes.get(c as usize) {
            Some(&seen) => seen,
            None => self.non_ascii,
        };
        let mut at = 0;
        while let Some(pos) = memchr::memchr(b'\\', &bytes[at..]) {
            let i = at + pos;
            let decoded = match bytes.get(i + 1) {
                Some(b'u') => {
                    let hex = bytes
                        .get(i + 2..i + 6)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    match hex.and_then(|h| u32::from_str_radix(h, 16).ok()) {
                        Some(c) => {
                            at = i + 6;
                            c
                        }
                        None => return true,
                    }
                }
                Some(&c) => {
                    at = i + 2;
                    match c {
                        b'"' | b'\\' | b'/' => u32::from(c),
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => 10,
                        b'r' => 13,
                        b't' => 9,
                        _ => return true,
                    }
                }
                None => return true,
            };
            if in_key(decoded) {
                return true;
            }
        }
        false
    }

    /// A masker of whole keys and of fragments (runs of [`MIN_FRAGMENT`] bytes of a key's
    /// secret part), for whole texts: bodies, header values, every string of an event.
    fn redactor(&self) -> Redactor {
        Redactor::new(self.values.iter().map(|v| v.as_str()))
    }

    /// The masker of one text channel of a stream (see [`Redactor::streaming`]).
    fn stream_redactor(&self) -> Redactor {
        Redactor::streaming(self.values.iter().map(|v| v.as_str()))
    }

    /// Whether `bytes` contain a key, or a fragment of one, verbatim.
    pub fn found_in(&self, bytes: &[u8]) -> bool {
        self.finder.as_ref().is_some_and(|f| f.is_match(bytes))
    }

    /// `text` with every key masked.
    pub fn mask_str(&self, text: &str) -> Option<String> {
        if !self.found_in(text.as_bytes()) {
            return None;
        }
        let mut r = self.redactor();
        let mut out = Vec::with_capacity(text.len());
        r.push(text.as_bytes(), &mut out);
        r.finish(&mut out);
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    /// A response body with every key masked, on its decoded text when it is JSON.
    pub fn body(&self, body: Bytes) -> Bytes {
        if self.values.is_empty() {
            return body;
        }
        // The common case costs two scans and no copy: no key verbatim, and no escape that
        // could spell part of one (`\u00e9` cannot; `\u0073` or `\/` may).
        if !self.found_in(&body) && !self.escapes_may_hide_key(&body) {
            return body;
        }
        if let Ok(mut value) = serde_json::from_slice::<Value>(&body) {
            if self.walk(&mut value) {
                return Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
            }
            return body;
        }
        let mut r = self.redactor();
        let mut out = Vec::with_capacity(body.len());
        r.push(&body, &mut out);
        r.finish(&mut out);
        Bytes::from(out)
    }

    /// Masks keys in every string of `value`; whether anything changed.
    fn walk(&self, value: &mut Value) -> bool {
        match value {
            Value::String(s) => match self.mask_str(s) {
                Some(masked) => {
                    *s = masked;
                    true
                }
                None => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |c, v| self.walk(v) | c),
            Value::Object(map) => {
                let mut changed = false;
                // Keys of objects are text too.
                let renamed: Vec<(String, String)> = map
                    .keys()
                    .filter_map(|k| Some((k.clone(), self.mask_str(k)?)))
                    .collect();
                for (old, new) in renamed {
                    if let Some(v) = map.remove(&old) {
                        map.insert(new, v);
                        changed = true;
                    }
                }
                map.values_mut().fold(changed, |c, v| self.walk(v) | c)
            }
            _ => false,
        }
    }
}

/// Largest single SSE event accepted from an upstream.
pub const MAX_EVENT: usize = 4 * 1024 * 1024;

/// Splits an SSE byte stream into events and redacts them.
pub struct SseScrubber {
    wire: Wire,
    keys: Arc<Keys>,
    buf: Vec<u8>,
    channels: BTreeMap<String, Channel>,
    /// The last OpenAI chunk's `id`, `object`, `created`, `model` (for synthetic chunks).
    template: Option<Value>,
    /// Token usage read off the events as they pass (same-wire streams, for the ledger).
    usage: Option<StreamUsage>,
}

struct Channel {
    redactor: Redactor,
    /// Which field and where: enough to build a delta carrying held-back text.
    slot: Slot,
}

#[derive(Clone)]
enum Slot {
    OpenAiField {
        choice: Value,
        field: String,
    },
    OpenAiTool {
        choice: Value,
        tool: Value,
    },
    Anthropic {
        index: Value,
        field: String,
    },
    /// A Responses API `response.*.delta` event: the event itself minus its `delta`.
    Responses {
        event: Value,
    },
}

/// The oversized-event error.
#[derive(Debug)]
pub struct EventTooLarge;

impl SseScrubber {
    pub fn new(wire: Wire, keys: Arc<Keys>) -> Self {
        SseScrubber {
            wire,
            keys,
            buf: Vec::new(),
            channels: BTreeMap::new(),
            template: None,
            usage: None,
        }
    }

    /// Also reads token usage off the events, as `api` reports it (see [`Self::usage`]).
    pub fn reading_usage(mut self, api: Api) -> Self {
        self.usage = Some(StreamUsage::new(api));
        self
    }

    /// The usage seen so far, when reading it (partial if the stream was cut).
    pub fn usage(&self) -> Option<Usage> {
        self.usage.as_ref().and_then(StreamUsage::usage)
    }

    /// Feeds bytes from the upstream; returns what can go to the client now (whole
    /// events only).
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>, EventTooLarge> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::with_capacity(chunk.len() + 64);
        let mut start = 0;
        let mut line_start = 0;
        let mut i = 0;
        while let Some(pos) = memchr::memchr(b'\n', &self.buf[i..]) {
            let end = i + pos;
            let line = &self.buf[line_start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                let event = self.buf[start..end + 1].to_vec();
                self.event(&event, &mut out);
                start = end + 1;
            }
            line_start = end + 1;
            i = end + 1;
        }
        self.buf.drain(..start);
        if self.buf.len() > MAX_EVENT {
            return Err(EventTooLarge);
        }
        Ok(out)
    }

    /// Ends the stream: an unterminated last event and every held tail go out.
    pub fn finish(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        if !self.buf.is_empty() {
            let mut event = std::mem::take(&mut self.buf);
            event.extend_from_slice(b"\n\n");
            self.event(&event, &mut out);
        }
        self.flush(|_| true, &mut out);
        out
    }

    /// One whole event (ending with its blank line).
    fn event(&mut self, raw: &[u8], out: &mut Vec<u8>) {
        let text = String::from_utf8_lossy(raw);
        let mut name: Option<&str> = None;
        let mut data = String::new();
        let mut others: Vec<&str> = Vec::new();
        let mut has_data = false;
        for line in text.lines() {
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("data:") {
                if has_data {
                    data.push('\n');
                }
                data.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                has_data = true;
            } else if let Some(rest) = line.strip_prefix("event:") {
                name = Some(rest.trim());
            } else {
                others.push(line);
            }
        }
        if !has_data {
            self.raw(raw, out);
            return;
        }
        let Ok(mut value) = serde_json::from_str::<Value>(&data) else {
            // `[DONE]` and other non-JSON data: everything held goes out first.
            if data.trim() == "[DONE]" {
                self.flush(|_| true, out);
            }
            self.raw(raw, out);
            return;
        };
        if let Some(usage) = self.usage.as_mut() {
            usage.observe_data(&value);
        }
        // Where this event ends channels, their held tails must go out before it.
        let ends = self.ends(&value);
        let mut changed = self.text_fields(&mut value, ends.as_deref().unwrap_or_default());
        // Every other string is redacted whole.
        changed |= self.other_strings(&mut value);
        if let Some(ends) = ends {
            self.flush(|c| ends.iter().any(|p| c.starts_with(p.as_str())), out);
        }
        if !changed {
            out.extend_from_slice(raw);
            return;
        }
        if let Some(name) = name {
            out.extend_from_slice(format!("event: {name}\n").as_bytes());
        }
        for line in others {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(&serde_json::to_vec(&value).unwrap_or_default());
        out.extend_from_slice(b"\n\n");
    }

    fn raw(&self, raw: &[u8], out: &mut Vec<u8>) {
        if self.keys.found_in(raw) {
            let mut r = self.keys.redactor();
            r.push(raw, out);
            r.finish(out);
        } else {
            out.extend_from_slice(raw);
        }
    }

    /// The channel prefixes this event closes (`None`: none).
    fn ends(&self, v: &Value) -> Option<Vec<String>> {
        match self.wire {
            Wire::OpenAi if v.get("choices").is_none() => {
                // The Responses API (passed through): an output part's `.done` event ends its
                // channels; the response's end, or an error, ends them all.
                let kind = v.get("type")?.as_str()?;
                match kind {
                    "response.completed"
                    | "response.incomplete"
                    | "response.failed"
                    | "response.done"
                    | "error" => Some(vec![String::new()]),
                    _ if kind.starts_with("response.") && kind.ends_with(".done") => {
                        Some(vec![responses_part(v)])
                    }
                    _ => None,
                }
            }
            Wire::OpenAi => {
                let choices = v.get("choices")?.as_array()?;
                let done: Vec<String> = choices
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.get("finish_reason").is_some_and(|f| !f.is_null()))
                    .map(|(pos, c)| format!("c{}/", choice_index(c, pos)))
                    .collect();
                (!done.is_empty()).then_some(done)
            }
            Wire::Anthropic => match v.get("type")?.as_str()? {
                "content_block_stop" => Some(vec![format!("b{}/", v.get("index")?)]),
                "message_delta" | "message_stop" | "error" => Some(vec![String::new()]),
                _ => None,
            },
        }
    }

    /// Runs the text deltas through their channels; whether any text changed.
    /// A channel this event ends releases its held tail into this event's own text.
    fn text_fields(&mut self, v: &mut Value, ends: &[String]) -> bool {
        let mut changed = false;
        let mut slots: Vec<(String, String, Slot)> = Vec::new();
        match self.wire {
            Wire::OpenAi if v.get("choices").is_none() => {
                // `response.output_text.delta`, `.function_call_arguments.delta`,
                // `.reasoning_summary_text.delta`, `.refusal.delta`, …: text in `delta`.
                let Some(kind) = v.get("type").and_then(Value::as_str) else {
                    return false;
                };
                let is_delta = kind.starts_with("response.") && kind.ends_with(".delta");
                if !is_delta || !v.get("delta").is_some_and(Value::is_string) {
                    return false;
                }
                let mut event = v.clone();
                if let Some(e) = event.as_object_mut() {
                    e.remove("delta");
                }
                slots.push((
                    format!("{}{kind}", responses_part(v)),
                    "/delta".to_owned(),
                    Slot::Responses { event },
                ));
            }
            Wire::OpenAi => {
                // The chunk's envelope (without `choices` and `usage`: no clone of the text).
                if let Some(chunk) = v.as_object() {
                    let template: serde_json::Map<String, Value> = chunk
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "choices" | "usage"))
                        .map(|(k, x)| (k.clone(), x.clone()))
                        .collect();
                    self.template = Some(Value::Object(template));
                }
                let Some(choices) = v.get("choices").and_then(Value::as_array) else {
                    return false;
                };
                for (pos, choice) in choices.iter().enumerate() {
                    let idx = choice_index(choice, pos);
                    let Some(delta) = choice.get("delta") else {
                        continue;
                    };
                    for field in ["content", "reasoning_content", "reasoning", "refusal"] {
                        if delta.get(field).is_some_and(Value::is_string) {
                            slots.push((
                                format!("c{idx}/{field}"),
                                format!("/choices/{pos}/delta/{field}"),
                                Slot::OpenAiField {
                                    choice: idx.clone(),
                                    field: field.to_owned(),
                                },
                            ));
                        }
                    }
                    if let Some(tools) = delta.get("tool_calls").and_then(Value::as_array) {
                        for (tpos, tool) in tools.iter().enumerate() {
                            let tidx = tool.get("index").cloned().unwrap_or(json!(tpos));
                            slots.push((
                                format!("c{idx}/t{tidx}"),
                                format!(
                                    "/choices/{pos}/delta/tool_calls/{tpos}/function/arguments"
                                ),
                                Slot::OpenAiTool {
                                    choice: idx.clone(),
                                    tool: tidx,
                                },
                            ));
                        }
                    }
                }
            }
            Wire::Anthropic => {
                if v.get("type").and_then(Value::as_str) != Some("content_block_delta") {
                    return false;
                }
                let idx = v.get("index").cloned().unwrap_or(json!(0));
                for field in ["text", "partial_json", "thinking"] {
                    if v.pointer(&format!("/delta/{field}")).is_some() {
                        slots.push((
                            format!("b{idx}/{field}"),
                            format!("/delta/{field}"),
                            Slot::Anthropic {
                                index: idx.clone(),
                                field: field.to_owned(),
                            },
                        ));
                    }
                }
            }
        }
        for (channel, pointer, slot) in slots {
            let Some(Value::String(text)) = v.pointer_mut(&pointer) else {
                continue;
            };
            let keys = &self.keys;
            let ch = self
                .channels
                .entry(channel.clone())
                .or_insert_with(|| Channel {
                    redactor: keys.stream_redactor(),
                    slot,
                });
            let mut released = Vec::with_capacity(text.len());
            ch.redactor.push(text.as_bytes(), &mut released);
            if ends.iter().any(|p| channel.starts_with(p.as_str())) {
                ch.redactor.finish(&mut released);
                self.channels.remove(&channel);
            }
            if released != text.as_bytes() {
                *text = String::from_utf8_lossy(&released).into_owned();
                changed = true;
            }
            // Mark the field so `other_strings` leaves it alone.
            text.insert(0, '\u{0}');
        }
        changed
    }

    /// Redacts every string not a text delta (those were marked with a leading NUL,
    /// removed here).
    fn other_strings(&self, v: &mut Value) -> bool {
        match v {
            Value::String(s) => {
                if let Some(rest) = s.strip_prefix('\u{0}') {
                    *s = rest.to_owned();
                    false
                } else if let Some(masked) = self.keys.mask_str(s) {
                    *s = masked;
                    true
                } else {
                    false
                }
            }
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |c, x| self.other_strings(x) | c),
            Value::Object(map) => map
                .values_mut()
                .fold(false, |c, x| self.other_strings(x) | c),
            _ => false,
        }
    }

    /// Sends out the held tails of the channels `which` selects, as synthetic deltas.
    fn flush(&mut self, which: impl Fn(&str) -> bool, out: &mut Vec<u8>) {
        let names: Vec<String> = self.channels.keys().filter(|c| which(c)).cloned().collect();
        for name in names {
            let Some(mut ch) = self.channels.remove(&name) else {
                continue;
            };
            let mut rest = Vec::new();
            ch.redactor.finish(&mut rest);
            if rest.is_empty() {
                continue;
            }
            let text = String::from_utf8_lossy(&rest).into_owned();
            let event = match &ch.slot {
                Slot::Anthropic { index, field } => {
                    let kind = match field.as_str() {
                        "partial_json" => "input_json_delta",
                        "thinking" => "thinking_delta",
                        _ => "text_delta",
                    };
                    let data = json!({"type": "content_block_delta", "index": index,
                        "delta": {"type": kind, field.as_str(): text}});
                    format!("event: content_block_delta\ndata: {data}\n\n")
                }
                Slot::OpenAiField { choice, field } => {
                    let delta = json!({ field.as_str(): text });
                    self.openai_chunk(choice, delta)
                }
                Slot::OpenAiTool { choice, tool } => {
                    let delta =
                        json!({"tool_calls": [{"index": tool, "function": {"arguments": text}}]});
                    self.openai_chunk(choice, delta)
                }
                Slot::Responses { event } => {
                    let mut event = event.clone();
                    if let Some(e) = event.as_object_mut() {
                        e.insert("delta".into(), Value::String(text));
                    }
                    let kind = event
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    format!("event: {kind}\ndata: {event}\n\n")
                }
            };
            out.extend_from_slice(event.as_bytes());
        }
    }

    fn openai_chunk(&self, choice: &Value, delta: Value) -> String {
        let mut chunk = self
            .template
            .clone()
            .unwrap_or_else(|| json!({"object": "chat.completion.chunk"}));
        if let Some(map) = chunk.as_object_mut() {
            map.insert(
                "choices".into(),
                json!([{"index": choice, "delta": delta, "finish_reason": null}]),
            );
        }
        format!("data: {chunk}\n\n")
    }
}

/// The channel prefix of a Responses event's output part: `r{output_index}/{content_index}/`
/// (function-call arguments have no content index).
fn responses_part(v: &Value) -> String {
    let index = |name: &str| v.get(name).map_or_else(|| "-".to_owned(), Value::to_string);
    format!("r{}/{}/", index("output_index"), index("content_index"))
}

fn choice_index(choice: &Value, pos: usize) -> Value {
    choice.get("index").cloned().unwrap_or(json!(pos))
}

/// What a masked key reads as, for tests and docs.
pub fn mask_text() -> &'static str {
    std::str::from_utf8(MASK).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-test-echo-0123456789abcdef";

    fn keys() -> Arc<Keys> {
        Arc::new(Keys::new(vec![Zeroizing::new(KEY.to_owned())]))
    }

    fn openai_delta(text: &str) -> String {
        format!(
            "data: {}\n\n",
            json!({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
                "choices":[{"index":0,"delta":{"content":text},"finish_reason":null}]})
        )
    }

    /// The text the client would reassemble from the content deltas.
    fn openai_text(stream: &[u8]) -> String {
        String::from_utf8_lossy(stream)
            .split("\n\n")
            .filter_map(|e| e.strip_prefix("data: "))
            .filter_map(|d| serde_json::from_str::<Value>(d).ok())
            .filter_map(|v| {
                v.pointer("/choices/0/delta/content")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect()
    }

    #[test]
    fn a_key_split_across_openai_deltas_is_masked() {
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        let mut out = Vec::new();
        for part in ["your key is sk-te", "st-echo-0123", "456789abcdef, bye"] {
            // Split the event bytes themselves too.
            let event = openai_delta(part);
            let (a, b) = event.as_bytes().split_at(event.len() / 2);
            out.extend(s.push(a).unwrap());
            out.extend(s.push(b).unwrap());
        }
        out.extend(
            s.push(b"data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                .unwrap(),
        );
        out.extend(s.finish());
        let text = openai_text(&out);
        assert_eq!(text, format!("your key is {}, bye", mask_text()));
        assert!(!String::from_utf8_lossy(&out).contains("0123456789"));
    }

    #[test]
    fn a_key_split_across_responses_deltas_is_masked() {
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        let event = |kind: &str, body: Value| {
            let mut data = json!({"type": kind, "output_index": 0, "content_index": 0});
            data.as_object_mut()
                .unwrap()
                .extend(body.as_object().unwrap().clone());
            format!("event: {kind}\ndata: {data}\n\n")
        };
        let delta = |t: &str| event("response.output_text.delta", json!({"delta": t}));
        let mut out = Vec::new();
        for part in ["key: sk-te", "st-echo-0123", "456789abcdef!", " and sk-te"] {
            out.extend(s.push(delta(part).as_bytes()).unwrap());
        }
        let whole = format!("key: {KEY}! and sk-te");
        out.extend(
            s.push(event("response.output_text.done", json!({"text": whole})).as_bytes())
                .unwrap(),
        );
        out.extend(s.finish());
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("0123456789"), "{text}");
        let deltas: String = text
            .split("\n\n")
            .filter_map(|e| e.lines().find_map(|l| l.strip_prefix("data: ")))
            .filter_map(|d| serde_json::from_str::<Value>(d).ok())
            .filter(|v| v["type"] == "response.output_text.delta")
            .filter_map(|v| v["delta"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(deltas, format!("key: {}! and sk-te", mask_text()));
        // The held tail goes out before the part's `.done` event.
        let tail = text.rfind("\"delta\":\"sk-te\"").expect(&text);
        assert!(
            tail < text.find("response.output_text.done").unwrap(),
            "{text}"
        );
    }

    #[test]
    fn a_held_tail_goes_out_before_the_block_ends() {
        let mut s = SseScrubber::new(Wire::Anthropic, keys());
        let delta = |t: &str| {
            format!(
                "event: content_block_delta\ndata: {}\n\n",
                json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":t}})
            )
        };
        let mut out = s.push(delta("ends with sk-te").as_bytes()).unwrap();
        out.extend(
            s.push(b"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
                .unwrap(),
        );
        let text = String::from_utf8_lossy(&out);
        let stop = text.find("content_block_stop").unwrap();
        let tail = text.find("\"text\":\"sk-te\"").expect(&text);
        assert!(tail < stop, "{text}");
    }

    #[test]
    fn a_tail_in_the_finishing_chunk_stays_in_order() {
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        let mut out = s.push(openai_delta("a ").as_bytes()).unwrap();
        let last = json!({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
            "choices":[{"index":0,"delta":{"content":"b sk-te"},"finish_reason":"stop"}]});
        out.extend(s.push(format!("data: {last}\n\n").as_bytes()).unwrap());
        out.extend(s.finish());
        assert_eq!(openai_text(&out), "a b sk-te");
    }

    #[test]
    fn untouched_events_pass_byte_for_byte() {
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        let event = openai_delta("hello");
        assert_eq!(s.push(event.as_bytes()).unwrap(), event.as_bytes());
    }

    #[test]
    fn json_bodies_are_redacted_on_decoded_text() {
        let k = keys();
        let escaped = format!(
            "{{\"error\":{{\"message\":\"bad key \\u0073{}\"}}}}",
            &KEY[1..]
        );
        let out = k.body(Bytes::from(escaped));
        let out = String::from_utf8_lossy(&out);
        assert!(!out.contains(&KEY[1..]), "{out}");
        assert!(out.contains(mask_text()));
        let plain = Bytes::from_static(b"{\"ok\":true}");
        assert_eq!(k.body(plain.clone()), plain);
        // `\/` hides a key with a slash as well as `\u` does.
        let slashed = Keys::new(vec![Zeroizing::new("sk-test/slash-0123456789".to_owned())]);
        let out = slashed.body(Bytes::from_static(
            b"{\"m\":\"sk-test\\/slash-0123456789\"}",
        ));
        assert!(
            !String::from_utf8_lossy(&out).contains("0123456789"),
            "{out:?}"
        );
    }

    #[test]
    fn escapes_that_cannot_spell_a_key_skip_the_decoding() {
        let k = keys();
        // Non-ASCII escapes, newlines and quotes: none is a character of the key.
        assert!(!k.escapes_may_hide_key(br#"{"t":"caf\u00e9 \"x\"\nline"}"#));
        assert!(k.escapes_may_hide_key(br#"{"t":"\u0073"}"#));
        assert!(k.escapes_may_hide_key(br#"{"t":"bad \x"}"#));
        assert!(k.escapes_may_hide_key(br#"{"t":"cut \u00"}"#));
        let body = Bytes::from_static(br#"{"t":"caf\u00e9"}"#);
        assert_eq!(k.body(body.clone()), body);
        // A key spelled with escapes of its own characters is still found.
        let out = k.body(Bytes::from(format!(
            "{{\"t\":\"{}\\u002d{}\"}}",
            &KEY[..2],
            &KEY[3..]
        )));
        assert!(
            !String::from_utf8_lossy(&out).contains(&KEY[3..]),
            "{out:?}"
        );
        let text = k.body(Bytes::from(format!("raw {KEY} text")));
        assert_eq!(text, format!("raw {} text", mask_text()).as_bytes());
    }

    /// The review's finding (masking bypassed): only whole keys were masked. A key minus a
    /// character or two, half of one in each of two fields, a key split across two `data:`
    /// lines, and a broken stream's held-back prefix all passed. Runs of at least
    /// MIN_FRAGMENT bytes after the key's prefix are masked now; ordinary text is not.
    #[test]
    fn fragments_of_a_key_are_masked_in_bodies_fields_lines_and_stream_breaks() {
        let k = keys();
        let leaks = |out: &[u8]| {
            let text = String::from_utf8_lossy(out);
            let body = &KEY["sk-".len()..];
            body.as_bytes()
                .windows(MIN_FRAGMENT)
                .any(|w| text.contains(std::str::from_utf8(w).unwrap()))
        };
        // The key minus one, then two characters, in a JSON error body and a plain one.
        for cut in [1, 2] {
            let short = &KEY[..KEY.len() - cut];
            let json = k.body(Bytes::from(format!(
                "{{\"error\":{{\"message\":\"bad {short}\"}}}}"
            )));
            assert!(!leaks(&json), "{}", String::from_utf8_lossy(&json));
            let plain = k.body(Bytes::from(format!("bad key {short}.")));
            assert!(!leaks(&plain), "{}", String::from_utf8_lossy(&plain));
        }
        // Half of the key in each of two fields (each half at least MIN_FRAGMENT long).
        let (a, b) = KEY.split_at(KEY.len() - MIN_FRAGMENT);
        let split = k.body(Bytes::from(format!(
            "{{\"id\":\"{a}\",\"object\":\"{b}\"}}"
        )));
        assert!(!leaks(&split), "{}", String::from_utf8_lossy(&split));
        // A header value.
        assert!(
            k.mask_str(&format!("Bearer {}", &KEY[..KEY.len() - 1]))
                .is_some()
        );
        // Two `data:` lines of one event.
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        let mut out = s
            .push(format!("data: {{\"x\": \"{a}\ndata: {b}\"}}\n\n").as_bytes())
            .unwrap();
        out.extend(s.finish());
        assert!(!leaks(&out), "{}", String::from_utf8_lossy(&out));
        // A stream that breaks while a prefix of the key is held back, and one that carries
        // the key minus a character and goes on.
        for (parts, rest) in [
            (vec!["key ", &KEY[..KEY.len() - 1]], ""),
            (
                vec!["key ", &KEY[..KEY.len() - 1], "X and more"],
                "X and more",
            ),
        ] {
            let mut s = SseScrubber::new(Wire::OpenAi, keys());
            let mut out = Vec::new();
            for part in parts {
                out.extend(s.push(openai_delta(part).as_bytes()).unwrap());
            }
            out.extend(s.finish());
            assert!(!leaks(&out), "{}", String::from_utf8_lossy(&out));
            // The public prefix (`sk-`) may stay; the secret part is gone.
            let text = openai_text(&out);
            assert!(
                text.starts_with("key ") && text.ends_with(&format!("{}{rest}", mask_text())),
                "{text}"
            );
        }
        // Ordinary text in deltas passes byte for byte.
        let mut s = SseScrubber::new(Wire::OpenAi, keys());
        for text in ["the echo of 0123 is fine", "abc", "hello world"] {
            let event = openai_delta(text);
            assert_eq!(
                s.push(event.as_bytes()).unwrap(),
                event.as_bytes(),
                "{text}"
            );
        }
    }
}
