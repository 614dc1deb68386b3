//! Token usage in one normalised shape, read from any wire (bodies and streams), and
//! rendered back into each wire's `usage` object.
//!
//! The wires count differently (fact sheet §5.5): OpenAI's `prompt_tokens` **includes**
//! cached tokens, Anthropic's `input_tokens` **excludes** cache reads and writes, and
//! Anthropic stream counts are cumulative (overwrite, never add). [`Usage`] keeps the four
//! disjoint input/output classes a price table needs.

use serde::Serialize;
use serde_json::{Value, json};

use super::{SseEvent, Wire};

/// Token counts with disjoint input classes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Input tokens billed at the plain input price (not read from or written to a cache).
    pub input_tokens: u64,
    /// Input tokens read from the prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the prompt cache.
    pub cache_write_tokens: u64,
    /// Of `cache_write_tokens`, those written with Anthropic's 1-hour TTL.
    pub cache_write_1h_tokens: u64,
    /// Output tokens, reasoning included.
    pub output_tokens: u64,
    /// Of `output_tokens`, the reasoning ones (when the provider says).
    pub reasoning_tokens: u64,
}

fn n(v: &Value, path: &[&str]) -> Option<u64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_u64()
}

impl Usage {
    /// All input tokens, cached or not (OpenAI's `prompt_tokens`).
    pub fn prompt_tokens(&self) -> u64 {
        self.input_tokens
            .saturating_add(self.cache_read_tokens)
            .saturating_add(self.cache_write_tokens)
    }

    /// Input plus output.
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens().saturating_add(self.output_tokens)
    }

    /// From an OpenAI chat `usage` object (`prompt_tokens` includes the cached ones).
    pub fn from_chat(usage: &Value) -> Option<Usage> {
        let prompt = n(usage, &["prompt_tokens"])?;
        let cached = n(usage, &["prompt_tokens_details", "cached_tokens"]).unwrap_or(0);
        let write = n(usage, &["prompt_tokens_details", "cache_write_tokens"]).unwrap_or(0);
        Some(Usage {
            input_tokens: prompt.saturating_sub(cached).saturating_sub(write),
            cache_read_tokens: cached,
            cache_write_tokens: write,
            cache_write_1h_tokens: 0,
            output_tokens: n(usage, &["completion_tokens"]).unwrap_or(0),
            reasoning_tokens: n(usage, &["completion_tokens_details", "reasoning_tokens"])
                .unwrap_or(0),
        })
    }

    /// From an OpenAI Responses `usage` object (`input_tokens` includes the cached ones).
    pub fn from_responses(usage: &Value) -> Option<Usage> {
        let input = n(usage, &["input_tokens"])?;
        let cached = n(usage, &["input_tokens_details", "cached_tokens"]).unwrap_or(0);
        let write = n(usage, &["input_tokens_details", "cache_write_tokens"]).unwrap_or(0);
        Some(Usage {
            input_tokens: input.saturating_sub(cached).saturating_sub(write),
            cache_read_tokens: cached,
            cache_write_tokens: write,
            cache_write_1h_tokens: 0,
            output_tokens: n(usage, &["output_tokens"]).unwrap_or(0),
            reasoning_tokens: n(usage, &["output_tokens_details", "reasoning_tokens"]).unwrap_or(0),
        })
    }

    /// From an Anthropic `usage` object (`input_tokens` excludes cache reads and writes).
    pub fn from_messages(usage: &Value) -> Option<Usage> {
        if !usage.is_object() {
            return None;
        }
        let mut u = Usage::default();
        u.merge_messages(usage);
        Some(u)
    }

    /// From an embeddings response's `usage` (input only).
    pub fn from_embeddings(usage: &Value) -> Option<Usage> {
        Some(Usage {
            input_tokens: n(usage, &["prompt_tokens"])?,
            ..Usage::default()
        })
    }

    /// Overwrites the counts an Anthropic `usage` object carries (stream counts are
    /// cumulative), leaving the others.
    pub fn merge_messages(&mut self, usage: &Value) {
        if let Some(v) = n(usage, &["input_tokens"]) {
            self.input_tokens = v;
        }
        if let Some(v) = n(usage, &["cache_read_input_tokens"]) {
            self.cache_read_tokens = v;
        }
        if let Some(v) = n(usage, &["cache_creation_input_tokens"]) {
            self.cache_write_tokens = v;
        }
        if let Some(v) = n(usage, &["cache_creation", "ephemeral_1h_input_tokens"]) {
            self.cache_write_1h_tokens = v;
        }
        if let Some(v) = n(usage, &["output_tokens"]) {
            self.output_tokens = v;
        }
        if let Some(v) = n(usage, &["output_tokens_details", "reasoning_tokens"]) {
            self.reasoning_tokens = v;
        }
    }

    /// As an OpenAI chat `usage` object.
    pub fn to_chat(&self) -> Value {
        json!({
            "prompt_tokens": self.prompt_tokens(),
            "completion_tokens": self.output_tokens,
            "total_tokens": self.total_tokens(),
            "prompt_tokens_details": {
                "cached_tokens": self.cache_read_tokens,
                "cache_write_tokens": self.cache_write_tokens,
            },
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
        })
    }

    /// As an Anthropic `usage` object.
    pub fn to_messages(&self) -> Value {
        json!({
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": self.cache_write_tokens,
            "cache_read_input_tokens": self.cache_read_tokens,
        })
    }

    /// As an OpenAI Responses `usage` object.
    pub fn to_responses(&self) -> Value {
        json!({
            "input_tokens": self.prompt_tokens(),
            "input_tokens_details": {
                "cached_tokens": self.cache_read_tokens,
                "cache_write_tokens": self.cache_write_tokens,
            },
            "output_tokens": self.output_tokens,
            "output_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
            "total_tokens": self.total_tokens(),
        })
    }
}

/// The usage of a complete (non-streaming) response body of `wire`.
pub fn from_body(wire: Wire, body: &Value) -> Option<Usage> {
    from_usage(wire, body.get("usage")?)
}

/// The counts of a body's `usage` object, as `wire` reports them.
pub fn from_usage(wire: Wire, usage: &Value) -> Option<Usage> {
    match wire {
        Wire::Chat => Usage::from_chat(usage),
        Wire::Messages => Usage::from_messages(usage),
        Wire::Responses => Usage::from_responses(usage),
    }
}

/// Reads usage off a stream of `wire` events as they pass (the proxy feeds it the
/// upstream's events, translated or not). Holds only the counts.
#[derive(Clone, Debug)]
pub struct StreamUsage {
    wire: Wire,
    usage: Option<Usage>,
}

impl StreamUsage {
    pub fn new(wire: Wire) -> Self {
        StreamUsage { wire, usage: None }
    }

    /// Looks at one event.
    pub fn observe(&mut self, event: &SseEvent) {
        if event.is_done() {
            return;
        }
        if let Ok(data) = serde_json::from_str::<Value>(&event.data) {
            self.observe_data(&data);
        }
    }

    /// Looks at one event's `data`, already parsed (the proxy's scrubber parses every
    /// event once; reading usage there costs no second parse).
    pub fn observe_data(&mut self, data: &Value) {
        match self.wire {
            // The chunk with `usage` (the extra last one with `choices: []`).
            Wire::Chat => {
                if let Some(u) = data.get("usage").and_then(Usage::from_chat) {
                    self.usage = Some(u);
                }
            }
            Wire::Messages => {
                let usage = match data.get("type").and_then(Value::as_str) {
                    Some("message_start") => data.get("message").and_then(|m| m.get("usage")),
                    Some("message_delta") => data.get("usage"),
                    _ => None,
                };
                if let Some(usage) = usage.filter(|u| u.is_object()) {
                    self.usage
                        .get_or_insert_with(Usage::default)
                        .merge_messages(usage);
                }
            }
            // The terminal event carries it; the last one wins.
            Wire::Responses => {
                let kind = data.get("type").and_then(Value::as_str).unwrap_or("");
                if matches!(
                    kind,
                    "response.completed"
                        | "response.incomplete"
                        | "response.failed"
                        | "response.done"
                ) && let Some(u) = data
                    .get("response")
                    .and_then(|r| r.get("usage"))
                    .and_then(Usage::from_responses)
                {
                    self.usage = Some(u);
                }
            }
        }
    }

    /// The usage seen so far (partial if the stream was cut).
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_prompt_tokens_include_cache_and_anthropic_input_excludes_it() {
        let chat = json!({"prompt_tokens": 100, "completion_tokens": 7, "total_tokens": 107,
            "prompt_tokens_details": {"cached_tokens": 60, "cache_write_tokens": 10},
            "completion_tokens_details": {"reasoning_tokens": 3}});
        let u = Usage::from_chat(&chat).unwrap();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.cache_write_tokens),
            (30, 60, 10)
        );
        assert_eq!(u.to_messages()["input_tokens"], 30);
        assert_eq!(
            Usage::from_messages(&u.to_messages())
                .unwrap()
                .prompt_tokens(),
            100
        );
        assert_eq!(Usage::from_chat(&u.to_chat()).unwrap(), u);
        assert_eq!(Usage::from_responses(&u.to_responses()).unwrap(), u);
    }

    #[test]
    fn anthropic_stream_usage_is_cumulative() {
        let mut s = StreamUsage::new(Wire::Messages);
        s.observe(&SseEvent::named(
            "message_start",
            r#"{"type":"message_start","message":{"usage":{"input_tokens":25,"output_tokens":1,"cache_read_input_tokens":5}}}"#,
        ));
        for out in [3, 9, 15] {
            s.observe(&SseEvent::named(
                "message_delta",
                format!(
                    r#"{{"type":"message_delta","delta":{{}},"usage":{{"output_tokens":{out}}}}}"#
                ),
            ));
        }
        let u = s.usage().unwrap();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.output_tokens),
            (25, 5, 15)
        );
    }
}
