//! Serving a request through a connector of another wire, and metering every reply.
//!
//! A [`Plan`] says how one candidate connector serves the client's endpoint: as is (same
//! wire, or the Responses API passed through to a connector that serves it) or through
//! [`crate::translate`] (the request translated, the reply — body, stream or error —
//! translated back into the client's wire, `x-byok-translated: <client>-><upstream>` added).
//!
//! | client endpoint | OpenAI-wire connector | Anthropic-wire connector |
//! |---|---|---|
//! | `/v1/chat/completions` | as is | chat → messages |
//! | `/v1/messages` | messages → chat | as is |
//! | `/v1/messages/count_tokens` | — | as is |
//! | `/v1/responses` | as is if it serves Responses, else responses → chat | responses → messages |
//! | `/v1/embeddings` | as is | — |
//!
//! Translated replies are built from what [`super::upstream::attempt`] committed, which has
//! already masked keys on the upstream's own wire (split deltas included), so the
//! translated text carries only masked text. Same-wire streams stay byte-for-byte: they are
//! only observed (for usage) on the way through.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderValue, Response};
use serde_json::Value;
use tokio::sync::mpsc;

use super::Wire;
use super::inbound::Endpoint;
use super::metered::{Publish, UsageSlot};
use super::reply::ProxyBody;
use super::route::Upstream;
use super::scrub::Keys;
use super::upstream::Committed;
use crate::translate::usage::{self, Usage};
use crate::translate::{
    self as t, SseParser, StreamOptions, StreamTranslator, Untranslatable, Wire as Api,
};

/// The response header naming a translation: `openai->anthropic` (client wire, then the
/// connector's wire; `openai-responses` for the Responses API).
pub const TRANSLATED: &str = "x-byok-translated";

/// How one connector serves one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Forwarded unchanged to this endpoint of the connector.
    Same(Endpoint),
    /// Translated from the client's API to the connector's, and the reply back.
    Translate { client: Api, upstream: Api },
}

impl Plan {
    /// How `upstream` serves `endpoint`, if it can.
    pub fn new(endpoint: Endpoint, upstream: &Upstream) -> Option<Plan> {
        let translate = |client, upstream| Some(Plan::Translate { client, upstream });
        match (endpoint, upstream.wire) {
            (Endpoint::ChatCompletions, Wire::OpenAi)
            | (Endpoint::Messages | Endpoint::CountTokens, Wire::Anthropic)
            | (Endpoint::Embeddings, Wire::OpenAi) => Some(Plan::Same(endpoint)),
            (Endpoint::ChatCompletions, Wire::Anthropic) => translate(Api::Chat, Api::Messages),
            (Endpoint::Messages, Wire::OpenAi) => translate(Api::Messages, Api::Chat),
            (Endpoint::Responses, Wire::OpenAi) if upstream.responses => Some(Plan::Same(endpoint)),
            (Endpoint::Responses, Wire::OpenAi) => translate(Api::Responses, Api::Chat),
            (Endpoint::Responses, Wire::Anthropic) => translate(Api::Responses, Api::Messages),
            (Endpoint::CountTokens | Endpoint::Embeddings, _) | (Endpoint::Models, _) => None,
        }
    }

    /// The connector endpoint the request goes to.
    pub fn upstream_endpoint(self) -> Endpoint {
        match self {
            Plan::Same(e) => e,
            Plan::Translate { upstream, .. } => endpoint_of(upstream),
        }
    }

    /// The API whose usage a stream carries, when the upstream's own events reach the
    /// client (the scrubber reads it on the way; a translator reads its own).
    pub fn stream_usage(self) -> Option<Api> {
        match self {
            Plan::Same(e) => api_of(e),
            Plan::Translate { .. } => None,
        }
    }

    /// The `x-byok-translated` value, for a translation.
    pub fn header(self) -> Option<String> {
        match self {
            Plan::Same(_) => None,
            Plan::Translate { client, upstream } => {
                Some(format!("{}->{}", client.label(), upstream.label()))
            }
        }
    }
}

fn endpoint_of(api: Api) -> Endpoint {
    match api {
        Api::Chat => Endpoint::ChatCompletions,
        Api::Messages => Endpoint::Messages,
        Api::Responses => Endpoint::Responses,
    }
}

/// The proxy wire whose error shape an API's clients read.
pub fn wire_of(api: Api) -> Wire {
    match api {
        Api::Chat | Api::Responses => Wire::OpenAi,
        Api::Messages => Wire::Anthropic,
    }
}

/// The API whose usage a same-wire endpoint's replies carry.
fn api_of(endpoint: Endpoint) -> Option<Api> {
    match endpoint {
        Endpoint::ChatCompletions => Some(Api::Chat),
        Endpoint::Messages => Some(Api::Messages),
        Endpoint::Responses => Some(Api::Responses),
        Endpoint::CountTokens | Endpoint::Models | Endpoint::Embeddings => None,
    }
}

/// A Responses request that refers to OpenAI-side state: only a connector serving the
/// Responses API itself can answer it, and it cannot fall back to another connector.
pub fn stateful_responses(body: &Value) -> Option<&'static str> {
    let set = |k: &str| body.get(k).is_some_and(|v| !v.is_null());
    if set("previous_response_id") {
        Some("previous_response_id")
    } else if set("conversation") {
        Some("conversation")
    } else if body.get("store") == Some(&Value::Bool(true)) {
        Some("store")
    } else if body.get("background") == Some(&Value::Bool(true)) {
        Some("background")
    } else {
        None
    }
}

/// The response header naming the request fields a translation dropped with a note
/// (`context_management, service_tier`): see [`crate::translate::drop_tuning_fields`].
pub const DROPPED: &str = "x-byok-dropped";

/// The request body for the connector's API, and the fields dropped on the way.
pub fn translate_request(
    client: Api,
    upstream: Api,
    body: &Value,
) -> Result<(Value, Vec<&'static str>), Untranslatable> {
    // A copy only when something is to be dropped: most requests carry none of them.
    let mut dropped = Vec::new();
    let stripped;
    let body = if t::has_droppable(client, upstream, body) {
        let mut copy = body.clone();
        dropped = t::drop_tuning_fields(client, upstream, &mut copy);
        stripped = copy;
        &stripped
    } else {
        body
    };
    let translated = match (client, upstream) {
        (Api::Chat, Api::Messages) => t::chat_to_messages_request(body),
        (Api::Messages, Api::Chat) => t::messages_to_chat_request(body),
        (Api::Responses, Api::Chat) => t::responses_to_chat_request(body),
        (Api::Responses, Api::Messages) => {
            t::responses_to_messages_request(body, &t::RequestOptions::default())
        }
        _ => Ok(body.clone()),
    }?;
    Ok((translated, dropped))
}

/// Names the dropped fields on the client's response.
pub fn insert_dropped(response: &mut Response<ProxyBody>, dropped: &[&'static str]) {
    if dropped.is_empty() {
        return;
    }
    if let Ok(value) = HeaderValue::from_str(&dropped.join(", ")) {
        response.headers_mut().insert(DROPPED, value);
    }
}

fn translate_body(
    client: Api,
    upstream: Api,
    body: &Value,
    client_body: &Value,
    created: u64,
) -> Result<Value, Untranslatable> {
    match (upstream, client) {
        (Api::Messages, Api::Chat) => t::messages_to_chat_response(body, created),
        (Api::Chat, Api::Messages) => t::chat_to_messages_response(body),
        (Api::Chat, Api::Responses) => {
            t::chat_to_responses_response_in(body, &t::namespaces_of(client_body))
        }
        (Api::Messages, Api::Responses) => {
            t::messages_to_responses_response_in(body, created, &t::namespaces_of(client_body))
        }
        _ => Ok(body.clone()),
    }
}

fn stream_translator(
    client: Api,
    upstream: Api,
    client_body: &Value,
    created: u64,
) -> Option<Box<dyn StreamTranslator + Send>> {
    let options = StreamOptions {
        include_usage: client == Api::Chat && t::chat_wants_usage(client_body),
        created,
        namespaces: if client == Api::Responses {
            t::namespaces_of(client_body)
        } else {
            Vec::new()
        },
        ..StreamOptions::default()
    };
    Some(match (upstream, client) {
        (Api::Messages, Api::Chat) => Box::new(t::MessagesToChatStream::new(options)),
        (Api::Chat, Api::Messages) => Box::new(t::ChatToMessagesStream::new(options)),
        (Api::Chat, Api::Responses) => Box::new(t::ChatToResponsesStream::new(options)),
        (Api::Messages, Api::Responses) => Box::new(t::messages_to_responses_stream(options)),
        _ => return None,
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Our refusal to translate the client's request: a 400 in the client's wire.
pub fn refusal(plan: Plan, why: &Untranslatable) -> Response<ProxyBody> {
    let Plan::Translate { client, .. } = plan else {
        return super::reply::error(Wire::OpenAi, 400, &why.to_string(), false);
    };
    let mut response = super::reply::json(&why.to_body(client));
    *response.status_mut() =
        http::StatusCode::from_u16(why.status()).unwrap_or(http::StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert("x-should-retry", HeaderValue::from_static("false"));
    insert_header(headers, plan);
    response
}

fn insert_header(headers: &mut http::HeaderMap, plan: Plan) {
    if let Some(v) = plan.header().and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(TRANSLATED, v);
    }
}

/// A connector's error answer (already chosen as the final one), in the client's wire.
pub fn error_answer(plan: Plan, status: u16, body: &[u8]) -> Option<(Bytes, Option<String>)> {
    let Plan::Translate { client, upstream } = plan else {
        return None;
    };
    let value = t::translate_error_body(upstream, client, status, body);
    Some((Bytes::from(value.to_string()), plan.header()))
}

/// The committed reply as the client gets it: translated when the plan says, and metered
/// either way (its [`Committed::usage`] completes when the body or stream does).
pub fn deliver(committed: Committed, plan: Plan, client_body: &Value, keys: &Keys) -> Committed {
    let Committed {
        connector,
        streamed,
        response,
        usage: slot,
        ..
    } = committed;
    let (mut parts, body) = response.into_parts();
    let body = match plan {
        Plan::Same(endpoint) => meter(body, endpoint, &slot),
        Plan::Translate { client, upstream } => {
            insert_header(&mut parts.headers, plan);
            match body {
                ProxyBody::Channel(rx) => {
                    match stream_translator(client, upstream, client_body, now()) {
                        Some(tr) => ProxyBody::Channel(translate_stream(rx, tr, slot.clone())),
                        None => ProxyBody::Channel(rx),
                    }
                }
                // Timed bodies are made by the meter, after translation.
                ProxyBody::Timed(t) => {
                    slot.set(None);
                    ProxyBody::Timed(t)
                }
                ProxyBody::Full(bytes) => {
                    let bytes = bytes.unwrap_or_default();
                    let parsed = serde_json::from_slice::<Value>(&bytes)
                        .map_err(|_| Untranslatable::Upstream {
                            reason: "the upstream answer is not JSON".into(),
                        })
                        .and_then(|v| {
                            slot.set(usage::from_body(upstream, &v));
                            translate_body(client, upstream, &v, client_body, now())
                        });
                    parts.headers.remove(http::header::CONTENT_LENGTH);
                    parts.headers.insert(
                        http::header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    match parsed {
                        Ok(v) => ProxyBody::full(keys.body(Bytes::from(v.to_string()))),
                        Err(why) => {
                            slot.set(None);
                            parts.status = http::StatusCode::BAD_GATEWAY;
                            parts
                                .headers
                                .insert("x-should-retry", HeaderValue::from_static("false"));
                            ProxyBody::full(why.to_body(client).to_string())
                        }
                    }
                }
            }
        }
    };
    Committed {
        connector,
        status: parts.status.as_u16(),
        streamed,
        response: Response::from_parts(parts, body),
        usage: slot,
    }
}

/// Same-wire: the body unchanged; its usage read on the side.
fn meter(body: ProxyBody, endpoint: Endpoint, slot: &UsageSlot) -> ProxyBody {
    match body {
        ProxyBody::Full(bytes) => {
            let usage =
                bytes
                    .as_deref()
                    .and_then(usage_object)
                    .and_then(|u| match api_of(endpoint) {
                        Some(api) => usage::from_usage(api, &u),
                        None if endpoint == Endpoint::Embeddings => Usage::from_embeddings(&u),
                        None => None,
                    });
            slot.set(usage);
            ProxyBody::Full(bytes)
        }
        // The upstream's stream task reads usage as it scrubs ([`Plan::stream_usage`]) and
        // completes the slot when it ends: no second task, no extra hop on the stream.
        ProxyBody::Channel(rx) => {
            if api_of(endpoint).is_none() {
                slot.set(None);
            }
            ProxyBody::Channel(rx)
        }
        ProxyBody::Timed(t) => {
            slot.set(None);
            ProxyBody::Timed(t)
        }
    }
}

/// The `usage` object of a whole JSON answer, read without parsing the rest of it (the
/// answer goes to the client as it came): the last `"usage"` that is a key — a string
/// followed by `:`, which text inside a JSON string cannot be, its quotes being escaped.
/// Every provider puts the answer's usage at its top level, after the content. Only that
/// last key's value is parsed, once: a hostile body of many `"usage":` cannot make it
/// quadratic.
fn usage_object(body: &[u8]) -> Option<Value> {
    let finder = memchr::memmem::FinderRev::new(b"\"usage\"");
    let mut end = body.len();
    while let Some(at) = finder.rfind(&body[..end]) {
        let rest = &body[at + b"\"usage\"".len()..];
        let colon = rest.iter().position(|b| !b.is_ascii_whitespace());
        if let Some(colon) = colon.filter(|&c| rest[c] == b':') {
            let mut values = serde_json::Deserializer::from_slice(&rest[colon + 1..]).into_iter();
            return values.next()?.ok();
        }
        end = at;
    }
    None
}

/// Translates an upstream stream (already key-masked on its own wire) event by event.
fn translate_stream(
    mut rx: mpsc::Receiver<Bytes>,
    mut tr: Box<dyn StreamTranslator + Send>,
    slot: UsageSlot,
) -> mpsc::Receiver<Bytes> {
    let (tx, out) = mpsc::channel::<Bytes>(32);
    tokio::spawn(async move {
        let mut publish = Publish { slot, seen: None };
        let mut parser = SseParser::default();
        let encode = |events: Vec<t::SseEvent>, text: &mut String| {
            for e in events {
                text.push_str(&e.encode());
            }
        };
        while let Some(chunk) = rx.recv().await {
            let mut text = String::new();
            match parser.push(&chunk) {
                Ok(events) => {
                    for e in &events {
                        encode(tr.feed(e), &mut text);
                    }
                }
                Err(e) => encode(tr.fail(&e.to_string()), &mut text),
            }
            publish.seen = tr.usage();
            if !text.is_empty() && tx.send(Bytes::from(text)).await.is_err() {
                return; // the client went away: dropping `rx` ends the upstream
            }
            if tr.is_done() {
                return;
            }
        }
        let mut text = String::new();
        match parser.finish() {
            Ok(Some(e)) => encode(tr.feed(&e), &mut text),
            Ok(None) => {}
            Err(e) => encode(tr.fail(&e.to_string()), &mut text),
        }
        encode(tr.finish(), &mut text);
        publish.seen = tr.usage();
        if !text.is_empty() {
            let _ = tx.send(Bytes::from(text)).await;
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::AuthStyle;

    fn up(wire: Wire, responses: bool) -> Upstream {
        Upstream {
            name: "u".into(),
            wire,
            base_url: "http://127.0.0.1:9".into(),
            auth: AuthStyle::Bearer,
            key: None,
            model: None,
            globs: vec![],
            responses,
            owner: None,
            checked_client: Default::default(),
        }
    }

    #[test]
    fn plans_per_endpoint_and_wire() {
        let (oa, oar, an) = (
            up(Wire::OpenAi, false),
            up(Wire::OpenAi, true),
            up(Wire::Anthropic, false),
        );
        assert_eq!(
            Plan::new(Endpoint::ChatCompletions, &oa),
            Some(Plan::Same(Endpoint::ChatCompletions))
        );
        let p = Plan::new(Endpoint::ChatCompletions, &an).unwrap();
        assert_eq!(p.header().as_deref(), Some("openai->anthropic"));
        assert_eq!(p.upstream_endpoint(), Endpoint::Messages);
        let p = Plan::new(Endpoint::Messages, &oa).unwrap();
        assert_eq!(p.header().as_deref(), Some("anthropic->openai"));
        assert_eq!(p.upstream_endpoint(), Endpoint::ChatCompletions);
        assert_eq!(
            Plan::new(Endpoint::Responses, &oar),
            Some(Plan::Same(Endpoint::Responses))
        );
        let p = Plan::new(Endpoint::Responses, &oa).unwrap();
        assert_eq!(p.header().as_deref(), Some("openai-responses->openai"));
        let p = Plan::new(Endpoint::Responses, &an).unwrap();
        assert_eq!(p.header().as_deref(), Some("openai-responses->anthropic"));
        assert_eq!(Plan::new(Endpoint::Embeddings, &an), None);
        assert_eq!(Plan::new(Endpoint::CountTokens, &oa), None);
    }

    #[test]
    fn stateful_responses_requests_are_recognised() {
        use serde_json::json;
        assert_eq!(stateful_responses(&json!({"input": "hi"})), None);
        assert_eq!(stateful_responses(&json!({"store": false})), None);
        assert_eq!(stateful_responses(&json!({"store": true})), Some("store"));
        assert_eq!(
            stateful_responses(&json!({"previous_response_id": "resp_1"})),
            Some("previous_response_id")
        );
        assert_eq!(
            stateful_responses(&json!({"conversation": {"id": "c"}})),
            Some("conversation")
        );
        assert_eq!(
            stateful_responses(&json!({"previous_response_id": null})),
            None
        );
    }

    fn committed(body: ProxyBody) -> Committed {
        Committed {
            connector: "u".into(),
            status: 200,
            streamed: matches!(body, ProxyBody::Channel(_)),
            response: Response::new(body),
            usage: UsageSlot::default(),
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    async fn read(body: ProxyBody) -> String {
        match body {
            ProxyBody::Full(b) => String::from_utf8(b.unwrap_or_default().to_vec()).unwrap(),
            ProxyBody::Channel(mut rx) => {
                let mut out = Vec::new();
                while let Some(b) = rx.recv().await {
                    out.extend_from_slice(&b);
                }
                String::from_utf8(out).unwrap()
            }
            ProxyBody::Timed(_) => unreachable!("the meter times bodies after translation"),
        }
    }

    fn channel(chunks: &[&str]) -> ProxyBody {
        let (tx, rx) = mpsc::channel(16);
        for c in chunks {
            tx.try_send(Bytes::from(c.to_string())).unwrap();
        }
        ProxyBody::Channel(rx)
    }

    const MESSAGES_STREAM: &[&str] = &[
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"c\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1,\"cache_read_input_tokens\":4}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n",
        "\nevent: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ];

    #[test]
    fn same_wire_bodies_and_streams_are_unchanged_and_metered() {
        use serde_json::json;
        let rt = runtime();
        let keys = Keys::default();
        let body = json!({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 2,
            "prompt_tokens_details": {"cached_tokens": 3}}})
        .to_string();
        let c = deliver(
            committed(ProxyBody::full(body.clone())),
            Plan::Same(Endpoint::ChatCompletions),
            &Value::Null,
            &keys,
        );
        assert_eq!(rt.block_on(read(c.response.into_body())), body);
        let u = c.usage.get().unwrap();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.output_tokens),
            (6, 3, 2)
        );

        let emb = json!({"data": [], "usage": {"prompt_tokens": 4, "total_tokens": 4}}).to_string();
        let c = deliver(
            committed(ProxyBody::full(emb)),
            Plan::Same(Endpoint::Embeddings),
            &Value::Null,
            &keys,
        );
        assert_eq!(c.usage.get().unwrap().input_tokens, 4);

        rt.block_on(async {
            let c = deliver(
                committed(channel(MESSAGES_STREAM)),
                Plan::Same(Endpoint::Messages),
                &Value::Null,
                &keys,
            );
            assert!(c.response.headers().get(TRANSLATED).is_none());
            // The upstream's stream task completes the slot, not `deliver`.
            assert!(!c.usage.is_complete());
            let text = read(c.response.into_body()).await;
            assert_eq!(text, MESSAGES_STREAM.concat(), "byte for byte");
        });
    }

    #[test]
    fn the_usage_object_is_found_without_parsing_the_answer() {
        use serde_json::json;
        let body = |v: Value| v.to_string().into_bytes();
        // Text that mentions usage, even as `"usage": {…}` inside a string, is not the key.
        let answer = body(json!({"choices": [{"message": {"content":
            "see \"usage\": {\"prompt_tokens\": 99} and usage"}}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 2}}));
        assert_eq!(
            usage_object(&answer),
            Some(json!({"prompt_tokens": 9, "completion_tokens": 2}))
        );
        // A usage key followed by other keys, and spaced out.
        let spaced = b"{ \"usage\" :\n {\"input_tokens\": 3}, \"id\": \"x\" }";
        assert_eq!(usage_object(spaced), Some(json!({"input_tokens": 3})));
        // None, a string value that says "usage", a truncated body.
        assert_eq!(usage_object(&body(json!({"choices": []}))), None);
        assert_eq!(usage_object(&body(json!({"note": "usage"}))), None);
        assert_eq!(usage_object(b"{\"usage\": {\"input_tokens\": 3"), None);
        assert_eq!(usage_object(b"\"usage\""), None);
        // Only the last key's value is parsed: an earlier one is not tried after it fails.
        let hostile = b"{\"usage\": {\"input_tokens\": 3}} \"usage\": [1,";
        assert_eq!(usage_object(hostile), None);
    }

    #[test]
    fn same_wire_streams_are_metered_by_the_scrubber_they_pass() {
        use super::super::scrub::SseScrubber;
        let plan = Plan::Same(Endpoint::Messages);
        let mut scrubber = SseScrubber::new(Wire::Anthropic, std::sync::Arc::new(Keys::default()))
            .reading_usage(plan.stream_usage().unwrap());
        let mut out = Vec::new();
        for chunk in MESSAGES_STREAM {
            out.extend(scrubber.push(chunk.as_bytes()).unwrap());
        }
        out.extend(scrubber.finish());
        assert_eq!(String::from_utf8(out).unwrap(), MESSAGES_STREAM.concat());
        let u = scrubber.usage().unwrap();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.output_tokens),
            (10, 4, 7)
        );
        // A translated stream is metered by its translator instead.
        let translated = Plan::Translate {
            client: Api::Chat,
            upstream: Api::Messages,
        };
        assert_eq!(translated.stream_usage(), None);
        assert_eq!(Plan::Same(Endpoint::Embeddings).stream_usage(), None);
    }

    #[test]
    fn translated_bodies_and_streams_are_metered_on_the_upstreams_counts() {
        use serde_json::json;
        let rt = runtime();
        let keys = Keys::default();
        let plan = Plan::Translate {
            client: Api::Chat,
            upstream: Api::Messages,
        };
        let body = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "c",
            "content": [{"type": "text", "text": "Hi"}], "stop_reason": "end_turn",
            "usage": {"input_tokens": 10, "output_tokens": 2}})
        .to_string();
        let c = deliver(committed(ProxyBody::full(body)), plan, &Value::Null, &keys);
        assert_eq!(
            c.response.headers().get(TRANSLATED).unwrap(),
            "openai->anthropic"
        );
        let v: Value = serde_json::from_str(&rt.block_on(read(c.response.into_body()))).unwrap();
        assert_eq!(v["choices"][0]["message"]["content"], "Hi");
        assert_eq!(v["usage"]["prompt_tokens"], 10);
        assert_eq!(c.usage.get().unwrap().output_tokens, 2);

        // An upstream answer that is not JSON: a 502 in the client's wire.
        let c = deliver(
            committed(ProxyBody::full("<html>")),
            plan,
            &Value::Null,
            &keys,
        );
        assert_eq!(c.status, 502);
        assert!(c.usage.is_complete() && c.usage.get().is_none());

        rt.block_on(async {
            let client = json!({"stream": true, "stream_options": {"include_usage": true}});
            let c = deliver(committed(channel(MESSAGES_STREAM)), plan, &client, &keys);
            let text = read(c.response.into_body()).await;
            assert!(text.contains("\"content\":\"Hi\""), "{text}");
            assert!(text.contains("\"prompt_tokens\":14"), "{text}");
            assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
            assert!(!text.contains("event:"), "{text}");
            assert_eq!(c.usage.complete().await.unwrap().output_tokens, 7);
            // Cut before the end: the client gets an error event, the ledger the partial counts.
            let c = deliver(
                committed(channel(&MESSAGES_STREAM[..2])),
                plan,
                &client,
                &keys,
            );
            let text = read(c.response.into_body()).await;
            assert!(text.contains("\"error\""), "{text}");
            assert_eq!(c.usage.complete().await.unwrap().input_tokens, 10);
        });
    }
}
