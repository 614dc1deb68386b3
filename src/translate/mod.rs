//! Pure translation between the wire formats the proxy serves: OpenAI Chat Completions
//! (`/v1/chat/completions`), Anthropic Messages (`/v1/messages`) and the OpenAI Responses
//! API (`/v1/responses`). No I/O, no clock, no randomness: every function maps JSON values
//! (and SSE events) to JSON values, so the proxy can call it on any request and the tests can
//! pin every mapping with fixtures.
//!
//! Bodies are [`serde_json::Value`]s rather than typed structs on purpose: these APIs grow a
//! field every month, the proxy must refuse (not silently lose) what it cannot carry across,
//! and a typed struct would either drop unknown fields on the floor or need a catch-all map
//! anyway. Each translator walks the input field by field against an explicit list of the
//! fields it maps, ignores only fields documented as harmless hints, and refuses everything
//! else with an [`Untranslatable`] error that names the field (`messages[2].content[0].type`).
//!
//! | client wire | upstream wire | request | response | stream |
//! |---|---|---|---|---|
//! | Chat | Messages | [`chat_to_messages_request`] | [`messages_to_chat_response`] | [`MessagesToChatStream`] |
//! | Messages | Chat | [`messages_to_chat_request`] | [`chat_to_messages_response`] | [`ChatToMessagesStream`] |
//! | Responses | Chat | [`responses_to_chat_request`] | [`chat_to_responses_response`] | [`ChatToResponsesStream`] |
//! | Responses | Messages | [`responses_to_messages_request`] | [`messages_to_responses_response`] | [`messages_to_responses_stream`] (a [`Chain`]) |
//!
//! How the proxy uses it, for a chat client served by an Anthropic connector:
//!
//! ```text
//! upstream_body = chat_to_messages_request(&client_body)
//!     Err(e) → answer e.status() with e.to_body(Wire::Chat); do not fall back (it is the request)
//! upstream answered ≥ 400 → translate_error_body(Wire::Messages, Wire::Chat, status, &bytes)
//! not streaming → messages_to_chat_response(&upstream_json, now)   (Err → 502, e.to_body(Wire::Chat))
//! streaming → t = MessagesToChatStream::new(StreamOptions {
//!                 include_usage: chat_wants_usage(&client_body), created: now, ..Default::default() })
//!     each upstream SseEvent (SseParser::push) → write every t.feed(&ev) as ev.encode()
//!     upstream EOF → t.finish();  transport error / stall → t.fail("…");  ledger ← t.usage()
//! header: x-byok-translated: translated_header(Wire::Messages, Wire::Chat)
//! ```
//!
//! Errors are rendered in the client's wire format by [`error_body`] (our own refusals) and
//! [`translate_error_body`] (an upstream's error, keeping its message). Usage extraction for
//! the ledger lives in [`usage`]; SSE framing in [`sse`].

mod error;
mod policy;
mod request;
mod response;
mod responses;
pub mod sse;
mod stream;
pub mod usage;

pub use error::{ErrorKind, Untranslatable, error_body, translate_error_body};
pub use policy::{drop_tuning_fields, dropped_fields, has_droppable};
pub use request::{
    DEFAULT_MAX_TOKENS, RequestOptions, chat_to_messages_request, chat_to_messages_request_with,
    messages_to_chat_request, messages_to_chat_request_with,
};
pub use response::{
    chat_to_messages_response, map_finish_reason, map_stop_reason, messages_to_chat_response,
};
pub use responses::{
    ChatToResponsesStream, chat_to_responses_response, chat_to_responses_response_in,
    messages_to_responses_response, messages_to_responses_response_in,
    messages_to_responses_stream, namespaces_of, responses_to_chat_request,
    responses_to_messages_request,
};
pub use sse::{SseError, SseEvent, SseParser};
pub use stream::{
    Chain, ChatToMessagesStream, MessagesToChatStream, StreamOptions, StreamTranslator,
    chat_wants_usage,
};
pub use usage::{StreamUsage, Usage};

/// The wire formats a client or upstream may speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wire {
    /// OpenAI Chat Completions.
    Chat,
    /// Anthropic Messages.
    Messages,
    /// OpenAI Responses.
    Responses,
}

impl Wire {
    /// The short name used in `x-byok-translated: anthropic->openai`.
    pub fn label(self) -> &'static str {
        match self {
            Wire::Chat => "openai",
            Wire::Messages => "anthropic",
            Wire::Responses => "openai-responses",
        }
    }
}

/// The value of the `x-byok-translated` header for a response translated from `upstream`
/// to `client`: `anthropic->openai`.
pub fn translated_header(upstream: Wire, client: Wire) -> String {
    format!("{}->{}", upstream.label(), client.label())
}
