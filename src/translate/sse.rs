//! Server-sent events: a bounded incremental parser (WHATWG rules as openai-python's
//! `SSEDecoder` implements them) and the encoder for events we emit.
//!
//! Lines end with `\n`, `\r\n` or `\r`; `field: value` with one optional space after the
//! colon; several `data:` lines join with `\n`; a blank line ends an event; `:` lines are
//! comments. Unlike the SDK we bound the line length and the event size: an upstream is
//! hostile input.

/// One SSE event: the `event:` name (if any) and the joined `data:` lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

impl SseEvent {
    /// An event with an `event:` line (Anthropic, Responses).
    pub fn named(event: impl Into<String>, data: impl Into<String>) -> Self {
        SseEvent {
            event: Some(event.into()),
            data: data.into(),
        }
    }

    /// An event with only `data:` (OpenAI chat chunks, `[DONE]`).
    pub fn data(data: impl Into<String>) -> Self {
        SseEvent {
            event: None,
            data: data.into(),
        }
    }

    /// The event as it goes on the wire, ending with the blank line.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.data.len() + 32);
        if let Some(name) = &self.event {
            out.push_str("event: ");
            out.push_str(&strip_newlines(name));
            out.push('\n');
        }
        // A newline inside data becomes another `data:` line, which a reader joins back.
        for line in self.data.split('\n') {
            out.push_str("data: ");
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            out.push('\n');
        }
        out.push('\n');
        out
    }

    /// Whether this is OpenAI's end-of-stream sentinel.
    pub fn is_done(&self) -> bool {
        self.data.starts_with("[DONE]")
    }
}

fn strip_newlines(s: &str) -> String {
    s.chars().filter(|c| *c != '\n' && *c != '\r').collect()
}

/// The stream broke a bound.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SseError {
    #[error("an SSE line is longer than {0} bytes")]
    LineTooLong(usize),
    #[error("an SSE event is larger than {0} bytes")]
    EventTooLarge(usize),
}

/// Incremental SSE parser: push bytes as they arrive, get complete events back.
#[derive(Debug)]
pub struct SseParser {
    max_line: usize,
    max_event: usize,
    line: Vec<u8>,
    /// The previous chunk ended on `\r`: a `\n` starting the next one belongs to it.
    after_cr: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
}

impl Default for SseParser {
    fn default() -> Self {
        SseParser::new(1 << 20, 8 << 20)
    }
}

impl SseParser {
    /// A parser refusing lines over `max_line` bytes and events over `max_event` bytes.
    pub fn new(max_line: usize, max_event: usize) -> Self {
        SseParser {
            max_line,
            max_event,
            line: Vec::new(),
            after_cr: false,
            event: None,
            data: String::new(),
            has_data: false,
        }
    }

    /// Feeds bytes; returns the events they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, SseError> {
        let mut out = Vec::new();
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_done(&line)? {
                        out.push(event);
                    }
                }
                _ => {
                    if self.line.len() >= self.max_line {
                        return Err(SseError::LineTooLong(self.max_line));
                    }
                    self.line.push(b);
                }
            }
        }
        Ok(out)
    }

    /// The stream ended: a last event without its blank line is still delivered.
    pub fn finish(&mut self) -> Result<Option<SseEvent>, SseError> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.line_done(&line)? {
                return Ok(Some(event));
            }
        }
        Ok(self.dispatch())
    }

    fn line_done(&mut self, line: &[u8]) -> Result<Option<SseEvent>, SseError> {
        if line.is_empty() {
            return Ok(self.dispatch());
        }
        if line[0] == b':' {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.find(':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (&line[..], ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_event {
                    return Err(SseError::EventTooLarge(self.max_event));
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            // `id` and `retry` do not matter to translation.
            _ => {}
        }
        Ok(None)
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !self.has_data {
            // An event with no data is not dispatched (WHATWG).
            return None;
        }
        self.has_data = false;
        Some(SseEvent {
            event: event.filter(|e| !e.is_empty()),
            data: std::mem::take(&mut self.data),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_and_unnamed_events_across_chunks_and_line_endings() {
        let mut p = SseParser::default();
        let mut events = p.push(b"event: message_start\r\ndata: {\"a\"").unwrap();
        assert!(events.is_empty());
        events.extend(p.push(b":1}\r").unwrap());
        events.extend(p.push(b"\n\r\n: keepalive\n\ndata: x\ndata:y\n\n").unwrap());
        events.extend(p.push(b"data: [DONE]").unwrap());
        events.extend(p.finish().unwrap());
        assert_eq!(
            events,
            vec![
                SseEvent::named("message_start", "{\"a\":1}"),
                SseEvent::data("x\ny"),
                SseEvent::data("[DONE]"),
            ]
        );
        assert!(events[2].is_done());
    }

    #[test]
    fn bounds_line_and_event_size() {
        let mut p = SseParser::new(8, 1024);
        assert_eq!(p.push(b"data: 123456789"), Err(SseError::LineTooLong(8)));
        let mut p = SseParser::new(64, 10);
        assert_eq!(
            p.push(b"data: 123456\ndata: 123456\n"),
            Err(SseError::EventTooLarge(10))
        );
    }

    #[test]
    fn encode_round_trips() {
        for e in [
            SseEvent::named("ping", "{\"type\":\"ping\"}"),
            SseEvent::data("two\nlines"),
        ] {
            let mut p = SseParser::default();
            let got = p.push(e.encode().as_bytes()).unwrap();
            assert_eq!(got, vec![e]);
        }
    }
}
