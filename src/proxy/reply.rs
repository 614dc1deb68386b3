//! What the proxy answers with: the response body type (whole, or a channel fed by a
//! streaming task) and error bodies in each wire's own shape, so SDKs raise their usual
//! exceptions.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body::{Body, Frame};
use serde_json::json;
use tokio::sync::mpsc;

use super::Wire;

/// A response body: all at once, or chunks from a task (a stream being redacted).
pub enum ProxyBody {
    Full(Option<Bytes>),
    Channel(mpsc::Receiver<Bytes>),
    /// A channel whose delivery to the client is timed for the usage ledger (no extra task
    /// or hop on the stream's path).
    Timed(TimedChannel),
}

/// When the client got a stream's first chunk, whether it got all of it, and when hyper
/// let go of the body (the stream is over either way).
#[derive(Default)]
pub struct Timing {
    pub first: OnceLock<Instant>,
    pub finished: AtomicBool,
    pub released: tokio::sync::Notify,
}

pub struct TimedChannel {
    rx: mpsc::Receiver<Bytes>,
    timing: Arc<Timing>,
    /// The end of the last chunk, for a final event split across two chunks.
    tail: Vec<u8>,
}

/// The events that end a stream in each wire: once one has gone to the client, the stream
/// is complete even if the client hangs up before the channel closes (SDKs close on them).
const FINAL_EVENTS: &[&[u8]] = &[
    b"data: [DONE]",
    b"event: message_stop",
    b"event: response.completed",
    b"event: response.incomplete",
];
const TAIL: usize = 32;

impl TimedChannel {
    pub fn new(rx: mpsc::Receiver<Bytes>, timing: Arc<Timing>) -> Self {
        TimedChannel {
            rx,
            timing,
            tail: Vec::new(),
        }
    }

    /// Whether `chunk` (after the previous chunk's tail) holds a final event.
    fn ends_stream(&mut self, chunk: &[u8]) -> bool {
        let head = &chunk[..chunk.len().min(TAIL)];
        self.tail.extend_from_slice(head);
        let found = FINAL_EVENTS.iter().any(|m| {
            memchr::memmem::find(&self.tail, m).is_some()
                || memchr::memmem::find(chunk, m).is_some()
        });
        self.tail.clear();
        self.tail
            .extend_from_slice(&chunk[chunk.len().saturating_sub(TAIL)..]);
        found
    }
}

impl Drop for TimedChannel {
    fn drop(&mut self) {
        // A stored permit: the waiter may start waiting after this.
        self.timing.released.notify_one();
    }
}

impl ProxyBody {
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        ProxyBody::Full(Some(bytes.into()))
    }
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            ProxyBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            ProxyBody::Channel(rx) => rx.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b)))),
            ProxyBody::Timed(t) => {
                let polled = t.rx.poll_recv(cx);
                match &polled {
                    Poll::Ready(Some(chunk)) => {
                        t.timing.first.get_or_init(Instant::now);
                        if !t.timing.finished.load(Ordering::Relaxed) && t.ends_stream(chunk) {
                            t.timing.finished.store(true, Ordering::Relaxed);
                        }
                    }
                    Poll::Ready(None) => t.timing.finished.store(true, Ordering::Relaxed),
                    Poll::Pending => {}
                }
                polled.map(|o| o.map(|b| Ok(Frame::data(b))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, ProxyBody::Full(None))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            ProxyBody::Full(Some(b)) => http_body::SizeHint::with_exact(b.len() as u64),
            ProxyBody::Full(None) => http_body::SizeHint::with_exact(0),
            ProxyBody::Channel(_) | ProxyBody::Timed(_) => http_body::SizeHint::default(),
        }
    }
}

/// The error `type` each wire uses for a status.
fn error_type(wire: Wire, status: u16) -> &'static str {
    match (wire, status) {
        (Wire::Anthropic, 400) => "invalid_request_error",
        (Wire::Anthropic, 401) => "authentication_error",
        (Wire::Anthropic, 403) => "permission_error",
        (Wire::Anthropic, 404) => "not_found_error",
        (Wire::Anthropic, 413) => "request_too_large",
        (Wire::Anthropic, 429) => "rate_limit_error",
        (Wire::Anthropic, 529) => "overloaded_error",
        (Wire::Anthropic, 504) => "timeout_error",
        (Wire::Anthropic, _) => "api_error",
        (Wire::OpenAi, 401) => "authentication_error",
        (Wire::OpenAi, 403) => "permission_error",
        (Wire::OpenAi, 404) => "not_found_error",
        (Wire::OpenAi, 429) => "rate_limit_error",
        (Wire::OpenAi, s) if s >= 500 => "server_error",
        (Wire::OpenAi, _) => "invalid_request_error",
    }
}

/// An error answer made by the proxy itself, in the client's wire format. `x-should-retry:
/// false` tells the SDKs not to repeat what the proxy already tried or what cannot work.
pub fn error(wire: Wire, status: u16, message: &str, retry: bool) -> Response<ProxyBody> {
    let body = match wire {
        Wire::Anthropic => json!({"type": "error", "error": {
            "type": error_type(wire, status), "message": message}}),
        Wire::OpenAi => json!({"error": {"message": message,
            "type": error_type(wire, status), "param": null, "code": null}}),
    };
    let mut response = Response::new(ProxyBody::full(body.to_string()));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if !retry {
        headers.insert("x-should-retry", HeaderValue::from_static("false"));
    }
    response
}

/// A JSON answer.
pub fn json(value: &serde_json::Value) -> Response<ProxyBody> {
    let mut response = Response::new(ProxyBody::full(value.to_string()));
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_event_is_found_whole_or_split_across_chunks() {
        let channel = || TimedChannel::new(mpsc::channel(1).1, Arc::new(Timing::default()));
        let mut t = channel();
        assert!(!t.ends_stream(b"data: {\"choices\":[]}\n\n"));
        assert!(t.ends_stream(b"data: [DONE]\n\n"));
        let mut t = channel();
        assert!(!t.ends_stream(b"event: content_block_stop\ndata: {}\n\nevent: message_s"));
        assert!(t.ends_stream(b"top\ndata: {\"type\":\"message_stop\"}\n\n"));
        let mut t = channel();
        assert!(!t.ends_stream(b"event: response.output_text.delta\ndata: {}\n\n"));
        assert!(t.ends_stream(b"event: response.completed\ndata: {}\n\n"));
        // Text that merely mentions an event is not one.
        let mut t = channel();
        assert!(!t.ends_stream(b"data: {\"delta\":\"message_stop [DONE]\"}\n\n"));
    }
}
