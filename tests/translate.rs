//! The translation library (`byok::translate`) over recorded request, response and stream
//! fixtures of both wires (tests/fixtures/translate/, built from the shapes in the proxy
//! fact sheet), the traps it lists, the refused fields, and property tests.
//!
//! Streams are checked by reassembling the translated events the way the client SDKs do
//! (an independent accumulator per wire below), so a test fails on any event a real client
//! would read differently.

use byok::translate::{
    self, Chain, ChatToMessagesStream, ChatToResponsesStream, MessagesToChatStream, SseEvent,
    SseParser, StreamOptions, StreamTranslator, StreamUsage, Untranslatable, Usage, Wire,
};
use proptest::prelude::*;
use serde_json::{Value, json};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/translate/", $name))
    };
}

fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

fn parse_sse(text: &str) -> Vec<SseEvent> {
    let mut p = SseParser::default();
    let mut events = p.push(text.as_bytes()).expect("fixture parses");
    events.extend(p.finish().expect("fixture parses"));
    events
}

fn run(t: &mut dyn StreamTranslator, events: &[SseEvent]) -> Vec<SseEvent> {
    let mut out = Vec::new();
    for e in events {
        out.extend(t.feed(e));
    }
    out.extend(t.finish());
    out
}

fn data(e: &SseEvent) -> Value {
    serde_json::from_str(&e.data).unwrap_or_else(|_| panic!("event data is JSON: {}", e.data))
}

fn opts(include_usage: bool) -> StreamOptions {
    StreamOptions {
        include_usage,
        created: 1_700_000_000,
        ..StreamOptions::default()
    }
}

// ---------------------------------------------------------------------------------------
// Client-side accumulators (what the SDKs rebuild from a stream)

/// An OpenAI chat stream as openai-python's accumulator sees it.
#[derive(Debug, Default)]
struct ChatAcc {
    content: String,
    reasoning: String,
    /// (id, name, arguments) by tool index.
    tools: Vec<(String, String, String)>,
    finish: Option<String>,
    usage: Option<Value>,
    error: Option<Value>,
    done: bool,
    chunks_after_finish_with_choices: usize,
}

fn accumulate_chat(events: &[SseEvent]) -> ChatAcc {
    let mut acc = ChatAcc::default();
    for (i, e) in events.iter().enumerate() {
        assert!(e.event.is_none(), "OpenAI chat events carry no event: line");
        assert!(!acc.done, "nothing after [DONE]");
        assert!(acc.error.is_none(), "nothing after an error");
        if e.is_done() {
            acc.done = true;
            assert_eq!(i, events.len() - 1);
            continue;
        }
        let d = data(e);
        if let Some(err) = d.get("error") {
            acc.error = Some(err.clone());
            continue;
        }
        assert_eq!(d["object"], "chat.completion.chunk");
        if let Some(u) = d.get("usage").filter(|u| !u.is_null()) {
            assert_eq!(d["choices"], json!([]), "the usage chunk has no choices");
            acc.usage = Some(u.clone());
        }
        for c in d["choices"].as_array().unwrap() {
            if acc.finish.is_some() {
                acc.chunks_after_finish_with_choices += 1;
            }
            let delta = &c["delta"];
            if let Some(t) = delta["content"].as_str() {
                acc.content.push_str(t);
            }
            if let Some(t) = delta["reasoning_content"].as_str() {
                acc.reasoning.push_str(t);
            }
            for tc in delta["tool_calls"].as_array().into_iter().flatten() {
                let k = tc["index"].as_u64().unwrap() as usize;
                if k == acc.tools.len() {
                    acc.tools.push(Default::default());
                }
                let entry = &mut acc.tools[k];
                if let Some(id) = tc["id"].as_str() {
                    entry.0 = id.into();
                }
                if let Some(n) = tc["function"]["name"].as_str() {
                    entry.1 = n.into();
                }
                if let Some(a) = tc["function"]["arguments"].as_str() {
                    entry.2.push_str(a);
                }
            }
            if let Some(f) = c["finish_reason"].as_str() {
                acc.finish = Some(f.into());
            }
        }
    }
    acc
}

/// An Anthropic stream as anthropic-python's accumulator sees it: the message it builds.
#[derive(Debug, Default)]
struct MessagesAcc {
    message: Value,
    blocks: Vec<Value>,
    partial: Vec<String>,
    usage: Value,
    error: Option<Value>,
    stopped: bool,
    names: Vec<String>,
}

fn accumulate_messages(events: &[SseEvent]) -> MessagesAcc {
    let mut acc = MessagesAcc::default();
    for e in events {
        let d = data(e);
        let name = e
            .event
            .clone()
            .expect("Anthropic events carry an event: line");
        assert_eq!(d["type"], name.as_str(), "event name equals data.type");
        assert!(!acc.stopped && acc.error.is_none(), "nothing after the end");
        acc.names.push(name.clone());
        match name.as_str() {
            "message_start" => {
                assert!(acc.names.len() == 1, "message_start comes first");
                acc.message = d["message"].clone();
                acc.usage = d["message"]["usage"].clone();
            }
            "content_block_start" => {
                assert_eq!(d["index"], acc.blocks.len(), "indexes count up from 0");
                acc.blocks.push(d["content_block"].clone());
                acc.partial.push(String::new());
            }
            "content_block_delta" => {
                let i = d["index"].as_u64().unwrap() as usize;
                assert_eq!(i + 1, acc.blocks.len(), "deltas go to the open block");
                match d["delta"]["type"].as_str().unwrap() {
                    "text_delta" => {
                        let t = acc.blocks[i]["text"].as_str().unwrap().to_string();
                        acc.blocks[i]["text"] = json!(t + d["delta"]["text"].as_str().unwrap());
                    }
                    "input_json_delta" => {
                        acc.partial[i].push_str(d["delta"]["partial_json"].as_str().unwrap())
                    }
                    other => panic!("unexpected delta {other}"),
                }
            }
            "content_block_stop" => {
                let i = d["index"].as_u64().unwrap() as usize;
                if acc.blocks[i]["type"] == "tool_use" && !acc.partial[i].is_empty() {
                    acc.blocks[i]["input"] =
                        serde_json::from_str(&acc.partial[i]).expect("tool input JSON parses");
                }
            }
            "message_delta" => {
                acc.message["stop_reason"] = d["delta"]["stop_reason"].clone();
                for (k, v) in d["usage"].as_object().unwrap() {
                    acc.usage[k] = v.clone();
                }
            }
            "message_stop" => acc.stopped = true,
            "error" => acc.error = Some(d["error"].clone()),
            other => panic!("unexpected event {other}"),
        }
    }
    acc
}

/// A Responses stream: the event types in order, the text, and the terminal response.
#[derive(Debug, Default)]
struct ResponsesAcc {
    types: Vec<String>,
    text: String,
    args: Vec<String>,
    terminal: Option<Value>,
    error: Option<Value>,
}

fn accumulate_responses(events: &[SseEvent]) -> ResponsesAcc {
    let mut acc = ResponsesAcc::default();
    let mut item_text = String::new();
    for (i, e) in events.iter().enumerate() {
        assert!(!e.is_done(), "the Responses stream has no [DONE]");
        let d = data(e);
        let name = e
            .event
            .clone()
            .expect("Responses events carry an event: line");
        assert_eq!(d["type"], name.as_str());
        assert_eq!(d["sequence_number"], i, "sequence numbers count up from 0");
        acc.types.push(name.clone());
        match name.as_str() {
            "response.output_item.added" if d["item"]["type"] == "message" => item_text.clear(),
            "response.output_text.delta" => {
                acc.text.push_str(d["delta"].as_str().unwrap());
                item_text.push_str(d["delta"].as_str().unwrap());
            }
            "response.output_item.added" if d["item"]["type"] == "function_call" => {
                acc.args.push(String::new())
            }
            "response.function_call_arguments.delta" => acc
                .args
                .last_mut()
                .unwrap()
                .push_str(d["delta"].as_str().unwrap()),
            "response.function_call_arguments.done" => {
                assert_eq!(d["arguments"].as_str().unwrap(), acc.args.last().unwrap())
            }
            "response.output_text.done" => assert_eq!(d["text"].as_str().unwrap(), item_text),
            "response.completed" | "response.incomplete" | "response.failed" => {
                acc.terminal = Some(d["response"].clone())
            }
            "error" => acc.error = Some(d),
            _ => {}
        }
    }
    acc
}

// ---------------------------------------------------------------------------------------
// Requests

#[test]
fn chat_request_to_messages_matches_fixture() {
    let got =
        translate::chat_to_messages_request(&load(fixture!("chat_request_tools.json"))).unwrap();
    assert_eq!(
        got,
        load(fixture!("chat_request_tools.expected_messages.json"))
    );
}

#[test]
fn messages_request_to_chat_matches_fixture() {
    let got = translate::messages_to_chat_request(&load(fixture!("messages_request_tools.json")))
        .unwrap();
    assert_eq!(
        got,
        load(fixture!("messages_request_tools.expected_chat.json"))
    );
}

#[test]
fn responses_request_to_chat_matches_fixture() {
    let got =
        translate::responses_to_chat_request(&load(fixture!("responses_request.json"))).unwrap();
    assert_eq!(got, load(fixture!("responses_request.expected_chat.json")));
}

#[test]
fn chat_request_is_stable_after_one_round_trip_through_messages() {
    let m1 =
        translate::chat_to_messages_request(&load(fixture!("chat_request_tools.json"))).unwrap();
    let c2 = translate::messages_to_chat_request(&m1).unwrap();
    let m3 = translate::chat_to_messages_request(&c2).unwrap();
    assert_eq!(m3, m1);
}

#[test]
fn messages_request_is_stable_after_one_round_trip_through_chat() {
    let c1 = translate::messages_to_chat_request(&load(fixture!("messages_request_tools.json")))
        .unwrap();
    let m2 = translate::chat_to_messages_request(&c1).unwrap();
    let mut c3 = translate::messages_to_chat_request(&m2).unwrap();
    // The one loss: Anthropic allows thinking only at temperature 1, so the effort hint does
    // not survive a temperature of 0.2 (and is not invented on the way back).
    assert!(m2.get("thinking").is_none());
    let mut c1 = c1;
    assert_eq!(
        c1.as_object_mut().unwrap().remove("reasoning_effort"),
        Some(json!("medium"))
    );
    assert!(
        c3.as_object_mut()
            .unwrap()
            .remove("reasoning_effort")
            .is_none()
    );
    assert_eq!(c3, c1);
}

#[test]
fn max_tokens_defaults_for_anthropic_and_max_completion_tokens_wins() {
    let base = json!({"model": "claude", "messages": [{"role": "user", "content": "hi"}]});
    let got = translate::chat_to_messages_request(&base).unwrap();
    assert_eq!(got["max_tokens"], translate::DEFAULT_MAX_TOKENS);
    let mut legacy = base.clone();
    legacy["max_tokens"] = json!(77);
    assert_eq!(
        translate::chat_to_messages_request(&legacy).unwrap()["max_tokens"],
        77
    );
    let options = translate::RequestOptions {
        default_max_tokens: 8192,
        ..Default::default()
    };
    let got = translate::chat_to_messages_request_with(&base, &options).unwrap();
    assert_eq!(got["max_tokens"], 8192);
    // Anthropic requires max_tokens; its absence is the client's error.
    let err = translate::messages_to_chat_request(&base).unwrap_err();
    assert_eq!(err.field(), Some("max_tokens"));
}

#[test]
fn reasoning_effort_becomes_a_thinking_budget_only_where_anthropic_allows_it() {
    let req = |extra: Value| {
        let mut b = json!({"model": "claude", "messages": [{"role": "user", "content": "hi"}],
            "reasoning_effort": "high", "max_completion_tokens": 10000});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        translate::chat_to_messages_request(&b).unwrap()
    };
    assert_eq!(
        req(json!({}))["thinking"],
        json!({"type": "enabled", "budget_tokens": 4096})
    );
    // The budget must stay below max_tokens.
    assert_eq!(
        req(json!({"max_completion_tokens": 2000}))["thinking"]["budget_tokens"],
        1999
    );
    // Too small a cap, or a temperature other than 1: no thinking.
    assert!(
        req(json!({"max_completion_tokens": 1000}))
            .get("thinking")
            .is_none()
    );
    assert!(req(json!({"temperature": 0.3})).get("thinking").is_none());
    assert!(
        req(json!({"reasoning_effort": "minimal"}))
            .get("thinking")
            .is_none()
    );
    assert!(req(json!({"top_p": 0.5})).get("thinking").is_none());
    let forced = json!({"tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "required"});
    assert!(req(forced).get("thinking").is_none());
    let auto =
        json!({"tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "auto"});
    assert!(req(auto).get("thinking").is_some());
    // The reverse, and a target that takes no reasoning_effort.
    let m = json!({"model": "gpt", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}],
        "thinking": {"type": "enabled", "budget_tokens": 1024}});
    assert_eq!(
        translate::messages_to_chat_request(&m).unwrap()["reasoning_effort"],
        "low"
    );
    let no = translate::RequestOptions {
        reasoning_effort: false,
        ..Default::default()
    };
    let got = translate::messages_to_chat_request_with(&m, &no).unwrap();
    assert!(got.get("reasoning_effort").is_none());
}

#[test]
fn tool_results_go_first_in_one_user_message_even_after_interleaved_text() {
    // Trap: Anthropic 400s unless every tool_result sits in the user turn right after the
    // tool_use turn, results first.
    let chat = json!({"model": "claude", "messages": [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": null, "tool_calls": [
            {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}},
            {"id": "b", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "user", "content": "early text"},
        {"role": "tool", "tool_call_id": "a", "content": "A"},
        {"role": "tool", "tool_call_id": "b", "content": "B"}
    ]});
    let got = translate::chat_to_messages_request(&chat).unwrap();
    let msgs = got["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 3);
    let types: Vec<&str> = msgs[2]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["tool_result", "tool_result", "text"]);
    assert_eq!(msgs[2]["content"][0]["tool_use_id"], "a");
    assert_eq!(msgs[2]["content"][1]["tool_use_id"], "b");
    // An assistant turn with content "" and tool calls: no empty text block (Anthropic
    // rejects empty text blocks).
    assert_eq!(msgs[1]["content"].as_array().unwrap().len(), 2);
}

#[test]
fn thinking_history_is_dropped_when_falling_back_to_openai() {
    // Trap: thinking signatures are valid only on the account that made them.
    let got = translate::messages_to_chat_request(&load(fixture!("messages_request_tools.json")))
        .unwrap();
    assert!(!got.to_string().contains("I should run ls."));
    assert!(!got.to_string().contains("signature"));
}

// ---------------------------------------------------------------------------------------
// Refused fields

fn chat_base() -> Value {
    json!({"model": "claude", "messages": [{"role": "user", "content": "hi"}]})
}

fn messages_base() -> Value {
    json!({"model": "gpt", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]})
}

fn responses_base() -> Value {
    json!({"model": "gpt", "input": "hi"})
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn assert_refused(result: Result<Value, Untranslatable>, field: &str, client: Wire) {
    let err = result.expect_err(field);
    assert_eq!(err.status(), 400, "{err}");
    assert_eq!(err.field(), Some(field), "{err}");
    assert!(err.to_string().contains(field));
    let body = err.to_body(client);
    match client {
        Wire::Messages => {
            assert_eq!(body["type"], "error");
            assert_eq!(body["error"]["type"], "invalid_request_error");
            assert!(body["error"]["message"].as_str().unwrap().contains(field));
        }
        Wire::Chat | Wire::Responses => {
            assert_eq!(body["error"]["type"], "invalid_request_error");
            assert_eq!(body["error"]["param"], field);
            assert!(body["error"]["message"].as_str().unwrap().contains(field));
        }
    }
}

#[test]
fn chat_fields_without_an_anthropic_equivalent_are_refused_by_name() {
    let user = |content: Value| json!({"messages": [{"role": "user", "content": content}]});
    let cases: Vec<(Value, &str)> = vec![
        (json!({"n": 2}), "n"),
        (json!({"logprobs": true}), "logprobs"),
        (json!({"top_logprobs": 3}), "top_logprobs"),
        (json!({"logit_bias": {"50256": -100}}), "logit_bias"),
        (json!({"presence_penalty": 0.5}), "presence_penalty"),
        (json!({"frequency_penalty": 0.5}), "frequency_penalty"),
        (
            json!({"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}}),
            "response_format.type",
        ),
        (
            json!({"response_format": {"type": "json_object"}}),
            "response_format.type",
        ),
        (json!({"modalities": ["text", "audio"]}), "modalities"),
        (
            json!({"audio": {"voice": "alloy", "format": "wav"}}),
            "audio",
        ),
        (
            json!({"prediction": {"type": "content", "content": "x"}}),
            "prediction",
        ),
        (
            json!({"web_search_options": {"search_context_size": "low"}}),
            "web_search_options",
        ),
        (json!({"functions": [{"name": "f"}]}), "functions"),
        (json!({"frobnicate": 1}), "frobnicate"),
        (json!({"stop": ["ok", "   "]}), "stop[1]"),
        (
            json!({"tools": [{"type": "custom", "custom": {"name": "x"}}]}),
            "tools[0].type",
        ),
        (
            json!({"tools": [{"type": "function", "function": {"name": "f"}}],
            "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "auto", "tools": []}}}),
            "tool_choice.type",
        ),
        (
            user(json!([{"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}])),
            "messages[0].content[0].type",
        ),
        (
            user(json!([{"type": "file", "file": {"file_id": "file-1"}}])),
            "messages[0].content[0].type",
        ),
        (
            user(
                json!([{"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0="}}]),
            ),
            "messages[0].content[0].image_url.url",
        ),
        (
            json!({"messages": [{"role": "function", "name": "f", "content": "x"}]}),
            "messages[0].role",
        ),
        (
            json!({"messages": [{"role": "user", "content": "hi"},
                {"role": "tool", "tool_call_id": "orphan", "content": "x"}]}),
            "messages[1].tool_call_id",
        ),
        (
            json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]}),
            "messages[0].tool_calls[0].function.arguments",
        ),
        (
            json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1,2]"}}]}]}),
            "messages[0].tool_calls[0].function.arguments",
        ),
    ];
    for (patch, field) in cases {
        assert_refused(
            translate::chat_to_messages_request(&with(chat_base(), patch)),
            field,
            Wire::Chat,
        );
    }
    // Defaults of the refused fields are fine.
    let ok = with(
        chat_base(),
        json!({"n": 1, "logprobs": false, "presence_penalty": 0, "logit_bias": {},
        "response_format": {"type": "text"}, "modalities": ["text"], "seed": 3, "store": true}),
    );
    translate::chat_to_messages_request(&ok).unwrap();
}

#[test]
fn anthropic_fields_without_an_openai_equivalent_are_refused_by_name() {
    let cases: Vec<(Value, &str)> = vec![
        (json!({"top_k": 40}), "top_k"),
        (json!({"container": "c"}), "container"),
        (
            json!({"mcp_servers": [{"type": "url", "url": "https://x.test"}]}),
            "mcp_servers",
        ),
        (json!({"inference_geo": "eu"}), "inference_geo"),
        (
            json!({"output_config": {"format": {"type": "json_schema", "schema": {}}}}),
            "output_config.format",
        ),
        (json!({"frobnicate": true}), "frobnicate"),
        (
            json!({"stop_sequences": ["a", "b", "c", "d", "e"]}),
            "stop_sequences",
        ),
        (
            json!({"tools": [{"type": "web_search_20250305", "name": "web_search"}]}),
            "tools[0].type",
        ),
        (
            json!({"tools": [{"name": "x".repeat(65), "input_schema": {"type": "object"}}]}),
            "tools[0].name",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": ""}}]}]}),
            "messages[0].content[0].type",
        ),
        (
            json!({"messages": [{"role": "user", "content": [{"type": "image",
            "source": {"type": "file", "file_id": "f"}}]}]}),
            "messages[0].content[0].source.type",
        ),
        (
            json!({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "The answer is"}]}),
            "messages[1]",
        ),
        (
            json!({"system": [{"type": "image", "source": {}}]}),
            "system[0].type",
        ),
    ];
    for (patch, field) in cases {
        assert_refused(
            translate::messages_to_chat_request(&with(messages_base(), patch)),
            field,
            Wire::Messages,
        );
    }
}

#[test]
fn responses_fields_needing_openai_state_or_non_function_tools_are_refused() {
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"previous_response_id": "resp_1"}),
            "previous_response_id",
        ),
        (json!({"conversation": "conv_1"}), "conversation"),
        (json!({"background": true}), "background"),
        (json!({"max_tool_calls": 3}), "max_tool_calls"),
        (json!({"tools": [{"type": "web_search"}]}), "tools[0].type"),
        (
            json!({"tools": [{"type": "custom", "name": "apply_patch"}]}),
            "tools[0].type",
        ),
        (
            json!({"tool_choice": {"type": "web_search"}}),
            "tool_choice",
        ),
        (
            json!({"input": [{"type": "item_reference", "id": "msg_1"}]}),
            "input[0].type",
        ),
        (
            json!({"input": [{"role": "user", "content": [{"type": "input_file", "file_id": "f"}]}]}),
            "input[0].content[0].type",
        ),
        (
            json!({"input": [{"role": "user", "content": [{"type": "input_image", "file_id": "f"}]}]}),
            "input[0].content[0].image_url",
        ),
        (json!({"frobnicate": 1}), "frobnicate"),
    ];
    for (patch, field) in cases {
        assert_refused(
            translate::responses_to_chat_request(&with(responses_base(), patch)),
            field,
            Wire::Responses,
        );
    }
    // background:false and store:true are not refused (store is not honoured: documented).
    translate::responses_to_chat_request(&with(
        responses_base(),
        json!({"background": false, "store": true}),
    ))
    .unwrap();
}

#[test]
fn refusals_never_echo_client_values() {
    let secretish = "sk-test-0123456789abcdef";
    let err = translate::chat_to_messages_request(&with(
        chat_base(),
        json!({"stop": ["  "], "user": secretish}),
    ))
    .unwrap_err();
    assert!(!err.to_string().contains(secretish));
    let err = translate::chat_to_messages_request(&json!({"model": "m", "messages": [],
        format!("x{secretish}\n"): 1}))
    .unwrap_err();
    assert!(!err.to_string().contains('\n'));
}

// ---------------------------------------------------------------------------------------
// Responses (non-streaming)

#[test]
fn messages_response_to_chat_maps_content_tools_stop_reason_and_usage() {
    let got = translate::messages_to_chat_response(
        &load(fixture!("messages_response_tool_use.json")),
        1_700_000_000,
    )
    .unwrap();
    assert_eq!(got["object"], "chat.completion");
    assert_eq!(got["id"], "msg_01XFDUDYJgAACzvnptvVoYEL");
    assert_eq!(got["model"], "claude-sonnet-4-6");
    assert_eq!(got["created"], 1_700_000_000);
    let choice = &got["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], "Let me check.");
    assert_eq!(
        choice["message"]["reasoning_content"],
        "The user wants weather."
    );
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["id"], "toolu_01A09q90qw90lq917835lq9");
    assert_eq!(call["function"]["name"], "get_weather");
    // Trap: Anthropic input is an object, OpenAI arguments a JSON string.
    let args: Value =
        serde_json::from_str(call["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args, json!({"city": "Paris", "unit": "c"}));
    // Trap: OpenAI prompt_tokens include cache reads and writes; Anthropic input excludes them.
    assert_eq!(got["usage"]["prompt_tokens"], 135);
    assert_eq!(got["usage"]["prompt_tokens_details"]["cached_tokens"], 100);
    assert_eq!(
        got["usage"]["prompt_tokens_details"]["cache_write_tokens"],
        10
    );
    assert_eq!(got["usage"]["completion_tokens"], 15);
    assert_eq!(got["usage"]["total_tokens"], 150);
}

#[test]
fn chat_response_to_messages_maps_content_tools_stop_reason_and_usage() {
    let got =
        translate::chat_to_messages_response(&load(fixture!("chat_response_tool_calls.json")))
            .unwrap();
    assert_eq!(got["type"], "message");
    assert_eq!(got["role"], "assistant");
    assert_eq!(got["id"], "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assert_eq!(got["model"], "gpt-4.1-mini-2025-04-14");
    assert_eq!(got["stop_reason"], "tool_use");
    assert_eq!(got["stop_sequence"], Value::Null);
    assert_eq!(
        got["content"][0],
        json!({"type": "text", "text": "Let me check."})
    );
    assert_eq!(
        got["content"][1],
        json!({"type": "tool_use", "id": "call_Jz1", "name": "get_weather", "input": {"city": "Paris", "unit": "c"}})
    );
    assert_eq!(
        got["usage"],
        json!({"input_tokens": 25, "output_tokens": 15, "cache_creation_input_tokens": 10, "cache_read_input_tokens": 100})
    );
}

#[test]
fn responses_round_trip_keeps_content_tools_and_usage() {
    let m = load(fixture!("messages_response_tool_use.json"));
    let back =
        translate::chat_to_messages_response(&translate::messages_to_chat_response(&m, 0).unwrap())
            .unwrap();
    let no_thinking: Vec<Value> = m["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] != "thinking")
        .cloned()
        .collect();
    assert_eq!(back["content"], Value::Array(no_thinking));
    assert_eq!(back["stop_reason"], m["stop_reason"]);
    assert_eq!(
        Usage::from_messages(&back["usage"]),
        Usage::from_messages(&m["usage"]).map(|u| Usage {
            cache_write_1h_tokens: 0,
            ..u
        })
    );

    let c = load(fixture!("chat_response_tool_calls.json"));
    let back = translate::messages_to_chat_response(
        &translate::chat_to_messages_response(&c).unwrap(),
        1694268190,
    )
    .unwrap();
    assert_eq!(
        back["choices"][0]["message"]["content"],
        c["choices"][0]["message"]["content"]
    );
    let args = |v: &Value| -> Value {
        serde_json::from_str(
            v["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
                .as_str()
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(args(&back), args(&c));
    assert_eq!(back["choices"][0]["finish_reason"], "tool_calls");
    for k in ["prompt_tokens", "completion_tokens", "total_tokens"] {
        assert_eq!(back["usage"][k], c["usage"][k], "{k}");
    }
}

#[test]
fn stop_and_finish_reasons_map_both_ways() {
    for (anthropic, openai) in [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
        ("refusal", "content_filter"),
        ("pause_turn", "stop"),
        ("model_context_window_exceeded", "length"),
        ("something_new", "stop"),
    ] {
        assert_eq!(
            translate::map_stop_reason(Some(anthropic)),
            openai,
            "{anthropic}"
        );
    }
    for (openai, anthropic) in [
        ("stop", "end_turn"),
        ("length", "max_tokens"),
        ("tool_calls", "tool_use"),
        ("function_call", "tool_use"),
        ("content_filter", "refusal"),
        ("weird", "end_turn"),
    ] {
        assert_eq!(
            translate::map_finish_reason(Some(openai)),
            anthropic,
            "{openai}"
        );
    }
}

#[test]
fn an_openai_refusal_becomes_an_anthropic_refusal() {
    let c = json!({"id": "x", "model": "m", "choices": [{"index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]});
    let got = translate::chat_to_messages_response(&c).unwrap();
    assert_eq!(got["stop_reason"], "refusal");
    assert_eq!(got["content"][0]["text"], "I can't help with that.");
}

#[test]
fn malformed_upstream_bodies_are_a_502_not_a_panic() {
    for body in [
        json!({}),
        json!({"choices": []}),
        json!({"error": {"message": "x"}}),
        json!([1]),
    ] {
        let e = translate::chat_to_messages_response(&body).unwrap_err();
        assert_eq!(e.status(), 502);
        assert_eq!(e.to_body(Wire::Messages)["error"]["type"], "api_error");
        translate::chat_to_responses_response(&body).unwrap_err();
        translate::messages_to_chat_response(&body, 0).unwrap_err();
    }
    let bad_args = json!({"id": "x", "model": "m", "choices": [{"index": 0, "finish_reason": "tool_calls",
        "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "c", "type": "function",
        "function": {"name": "f", "arguments": "{\"a\":"}}]}}]});
    assert_eq!(
        translate::chat_to_messages_response(&bad_args)
            .unwrap_err()
            .status(),
        502
    );
}

#[test]
fn chat_completion_to_responses_object() {
    let got =
        translate::chat_to_responses_response(&load(fixture!("chat_response_tool_calls.json")))
            .unwrap();
    assert_eq!(got["object"], "response");
    assert_eq!(got["id"], "resp_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assert_eq!(got["status"], "completed");
    assert_eq!(got["created_at"], 1694268190);
    assert_eq!(got["output"][0]["type"], "message");
    assert_eq!(
        got["output"][0]["content"][0],
        json!({"type": "output_text", "text": "Let me check.", "annotations": []})
    );
    assert_eq!(got["output"][1]["type"], "function_call");
    assert_eq!(got["output"][1]["call_id"], "call_Jz1");
    assert_eq!(
        got["output"][1]["arguments"],
        "{\"city\":\"Paris\",\"unit\":\"c\"}"
    );
    assert_eq!(got["usage"]["input_tokens"], 135);
    assert_eq!(got["usage"]["input_tokens_details"]["cached_tokens"], 100);
    assert_eq!(got["usage"]["output_tokens_details"]["reasoning_tokens"], 4);
    assert_eq!(got["usage"]["total_tokens"], 150);
    // No `output_text`: it is an SDK convenience, not on the wire.
    assert!(got.get("output_text").is_none());

    let cut = json!({"id": "c", "created": 1, "model": "m", "choices": [{"index": 0, "finish_reason": "length",
        "message": {"role": "assistant", "content": "partial"}}]});
    let got = translate::chat_to_responses_response(&cut).unwrap();
    assert_eq!(got["status"], "incomplete");
    assert_eq!(got["incomplete_details"]["reason"], "max_output_tokens");
}

// ---------------------------------------------------------------------------------------
// Streams

#[test]
fn anthropic_stream_to_chat_chunks() {
    let events = parse_sse(fixture!("messages_stream_tool_use.sse"));
    let mut t = MessagesToChatStream::new(opts(true));
    let out = run(&mut t, &events);
    let acc = accumulate_chat(&out);
    assert!(acc.done, "ends with [DONE]");
    assert!(acc.error.is_none());
    // The first chunk is the role chunk.
    assert_eq!(
        data(&out[0])["choices"][0]["delta"],
        json!({"role": "assistant", "content": ""})
    );
    assert_eq!(data(&out[0])["id"], "msg_01XFDUDYJgAACzvnptvVoYEL");
    assert_eq!(acc.content, "Let me check.");
    assert_eq!(acc.reasoning, "The user wants weather.");
    // Trap: OpenAI tool indexes count tool blocks only (the tool was Anthropic block 2).
    assert_eq!(acc.tools.len(), 2);
    assert_eq!(acc.tools[0].0, "toolu_01A09q90qw90lq917835lq9");
    assert_eq!(acc.tools[0].1, "get_weather");
    assert_eq!(
        serde_json::from_str::<Value>(&acc.tools[0].2).unwrap(),
        json!({"city": "Paris", "unit": "c"})
    );
    // Trap: a tool block without JSON still gets arguments "{}".
    assert_eq!(
        acc.tools[1],
        ("toolu_02".into(), "get_time".into(), "{}".into())
    );
    assert_eq!(acc.finish.as_deref(), Some("tool_calls"));
    assert_eq!(acc.chunks_after_finish_with_choices, 0);
    // Trap: message_delta counts are cumulative (15, not 9 + 15).
    let usage = acc.usage.expect("include_usage asked for the usage chunk");
    assert_eq!(usage["prompt_tokens"], 135);
    assert_eq!(usage["completion_tokens"], 15);
    assert_eq!(usage["prompt_tokens_details"]["cached_tokens"], 100);
    let u = t.usage().unwrap();
    assert_eq!(
        (
            u.input_tokens,
            u.cache_read_tokens,
            u.cache_write_tokens,
            u.output_tokens
        ),
        (25, 100, 10, 15)
    );
    // Nothing after the end.
    assert!(t.feed(&events[1]).is_empty());
    assert!(t.finish().is_empty());
}

#[test]
fn anthropic_stream_to_chat_omits_the_usage_chunk_unless_asked() {
    let events = parse_sse(fixture!("messages_stream_tool_use.sse"));
    let out = run(&mut MessagesToChatStream::new(opts(false)), &events);
    let acc = accumulate_chat(&out);
    assert!(acc.done);
    assert!(acc.usage.is_none());
    assert!(out.iter().all(|e| !e.data.contains("\"usage\"")));
}

#[test]
fn anthropic_error_mid_stream_becomes_an_openai_error_chunk() {
    let events = parse_sse(fixture!("messages_stream_error.sse"));
    let mut t = MessagesToChatStream::new(opts(true));
    let out = run(&mut t, &events);
    let acc = accumulate_chat(&out);
    assert_eq!(acc.content, "Hel");
    let err = acc.error.expect("an error chunk");
    assert_eq!(err["message"], "Overloaded");
    assert_eq!(err["type"], "server_error");
    assert!(!acc.done, "no [DONE] after an error");
    assert!(t.is_done());
    assert_eq!(t.usage().unwrap().input_tokens, 12);
}

#[test]
fn chat_stream_to_anthropic_events() {
    let events = parse_sse(fixture!("chat_stream_tool_calls.sse"));
    let mut t = ChatToMessagesStream::new(opts(false));
    let out = run(&mut t, &events);
    let acc = accumulate_messages(&out);
    assert!(acc.stopped && acc.error.is_none());
    assert_eq!(acc.message["id"], "chatcmpl-123");
    assert_eq!(acc.message["model"], "gpt-4.1-mini");
    assert_eq!(acc.message["stop_reason"], "tool_use");
    assert_eq!(
        Value::Array(acc.blocks.clone()),
        json!([
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "call_Jz1", "name": "get_weather", "input": {"city": "Paris", "unit": "c"}},
            {"type": "tool_use", "id": "call_K2", "name": "get_time", "input": {}}
        ])
    );
    // Trap: the finish_reason is held until the usage chunk, so one message_delta carries
    // both, and it comes after every block is closed.
    let deltas: Vec<usize> = acc
        .names
        .iter()
        .enumerate()
        .filter(|(_, n)| *n == "message_delta")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(deltas.len(), 1);
    assert_eq!(acc.names[deltas[0] - 1], "content_block_stop");
    assert_eq!(acc.names.last().unwrap(), "message_stop");
    assert_eq!(acc.usage["input_tokens"], 25);
    assert_eq!(acc.usage["cache_read_input_tokens"], 100);
    assert_eq!(acc.usage["cache_creation_input_tokens"], 10);
    assert_eq!(acc.usage["output_tokens"], 15);
    assert!(
        out.iter().all(|e| !e.is_done()),
        "Anthropic streams have no [DONE]"
    );
}

#[test]
fn chat_chunk_with_content_and_finish_reason_is_split() {
    let events = vec![
        SseEvent::data(
            r#"{"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"all at once"},"finish_reason":"length"}]}"#,
        ),
        SseEvent::data("[DONE]"),
    ];
    let acc = accumulate_messages(&run(&mut ChatToMessagesStream::new(opts(false)), &events));
    assert_eq!(acc.blocks[0]["text"], "all at once");
    assert_eq!(acc.message["stop_reason"], "max_tokens");
    assert!(acc.stopped);
}

#[test]
fn openai_error_mid_stream_becomes_an_anthropic_error_event() {
    let events = parse_sse(fixture!("chat_stream_error.sse"));
    let out = run(&mut ChatToMessagesStream::new(opts(false)), &events);
    let acc = accumulate_messages(&out);
    assert_eq!(acc.blocks[0]["text"], "Hi");
    let err = acc.error.expect("an error event");
    assert_eq!(err["type"], "api_error");
    assert_eq!(
        err["message"],
        "The server had an error while processing your request."
    );
    assert!(!acc.stopped);
}

#[test]
fn a_stream_cut_before_its_end_ends_with_an_error_event() {
    let anthropic = parse_sse(fixture!("messages_stream_tool_use.sse"));
    let out = run(&mut MessagesToChatStream::new(opts(true)), &anthropic[..8]);
    let acc = accumulate_chat(&out);
    assert!(
        acc.error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("ended before")
    );
    assert!(!acc.done);

    let chat = parse_sse(fixture!("chat_stream_tool_calls.sse"));
    let out = run(&mut ChatToMessagesStream::new(opts(false)), &chat[..3]);
    assert!(accumulate_messages(&out).error.is_some());
    let out = run(&mut ChatToResponsesStream::new(opts(false)), &chat[..3]);
    let acc = accumulate_responses(&out);
    assert!(acc.error.is_some());
    assert_eq!(acc.terminal.unwrap()["status"], "failed");

    // A transport failure reported by the proxy.
    let mut t = ChatToMessagesStream::new(opts(false));
    t.feed(&chat[0]);
    let out = t.fail("connection reset");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].event.as_deref(), Some("error"));
    assert!(t.is_done() && t.feed(&chat[1]).is_empty());
}

#[test]
fn a_finished_chat_stream_without_done_still_completes() {
    // Some compatible servers close after the finish chunk with no [DONE].
    let chat = parse_sse(fixture!("chat_stream_tool_calls.sse"));
    let without_done = &chat[..chat.len() - 1];
    let acc = accumulate_messages(&run(
        &mut ChatToMessagesStream::new(opts(false)),
        without_done,
    ));
    assert!(acc.stopped && acc.error.is_none());
}

#[test]
fn interleaved_tool_call_fragments_end_the_stream_with_an_error() {
    let chunk = |tc: Value| {
        SseEvent::data(
            json!({"id": "c", "object": "chat.completion.chunk", "model": "m",
        "choices": [{"index": 0, "delta": {"tool_calls": [tc]}, "finish_reason": null}]})
            .to_string(),
        )
    };
    let events = vec![
        chunk(json!({"index": 0, "id": "a", "function": {"name": "f", "arguments": "{"}})),
        chunk(json!({"index": 1, "id": "b", "function": {"name": "g", "arguments": "{"}})),
        chunk(json!({"index": 0, "function": {"arguments": "}"}})),
    ];
    let out = run(&mut ChatToMessagesStream::new(opts(false)), &events);
    let last = out.last().unwrap();
    assert_eq!(last.event.as_deref(), Some("error"));
    assert!(
        data(last)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("interleaved")
    );
    // Nothing was written for the late fragment.
    assert!(!out.iter().any(|e| e.data.contains(r#""partial_json":"}""#)));
}

#[test]
fn chat_stream_to_responses_events_follow_the_spec_sequence() {
    let events = parse_sse(fixture!("chat_stream_tool_calls.sse"));
    let mut t = ChatToResponsesStream::new(opts(false));
    let acc = accumulate_responses(&run(&mut t, &events));
    let expected = [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ];
    assert_eq!(acc.types, expected);
    assert_eq!(acc.text, "Let me check.");
    assert_eq!(acc.args, ["{\"city\":\"Paris\",\"unit\":\"c\"}", "{}"]);
    let r = acc.terminal.unwrap();
    assert_eq!(r["status"], "completed");
    assert_eq!(r["id"], "resp_chatcmpl-123");
    assert_eq!(r["output"].as_array().unwrap().len(), 3);
    assert_eq!(r["output"][1]["call_id"], "call_Jz1");
    assert_eq!(r["usage"]["input_tokens"], 135);
    assert_eq!(r["usage"]["output_tokens"], 15);
    assert_eq!(r["usage"]["input_tokens_details"]["cached_tokens"], 100);
}

#[test]
fn responses_stream_cut_by_the_length_limit_is_incomplete() {
    let events = vec![
        SseEvent::data(
            r#"{"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"part"},"finish_reason":"length"}]}"#,
        ),
        SseEvent::data("[DONE]"),
    ];
    let acc = accumulate_responses(&run(&mut ChatToResponsesStream::new(opts(false)), &events));
    assert_eq!(acc.types.last().unwrap(), "response.incomplete");
    assert_eq!(
        acc.terminal.unwrap()["incomplete_details"]["reason"],
        "max_output_tokens"
    );
}

#[test]
fn anthropic_stream_to_responses_through_a_chain() {
    let events = parse_sse(fixture!("messages_stream_tool_use.sse"));
    let mut t = Chain::new(
        MessagesToChatStream::new(opts(true)),
        ChatToResponsesStream::new(opts(false)),
    );
    let acc = accumulate_responses(&run(&mut t, &events));
    assert_eq!(acc.text, "Let me check.");
    let r = acc.terminal.unwrap();
    assert_eq!(r["status"], "completed");
    assert_eq!(r["output"][1]["name"], "get_weather");
    assert_eq!(r["output"][2]["arguments"], "{}");
    assert_eq!(r["usage"]["input_tokens"], 135);
    assert_eq!(
        t.usage().unwrap().input_tokens,
        25,
        "the chain reports the upstream's own counts"
    );

    let events = parse_sse(fixture!("messages_stream_error.sse"));
    let mut t = Chain::new(
        MessagesToChatStream::new(opts(true)),
        ChatToResponsesStream::new(opts(false)),
    );
    let acc = accumulate_responses(&run(&mut t, &events));
    assert_eq!(acc.error.unwrap()["message"], "Overloaded");
    assert_eq!(acc.types.last().unwrap(), "response.failed");
}

// ---------------------------------------------------------------------------------------
// Errors, usage, headers

#[test]
fn upstream_errors_are_rerendered_in_the_client_wire_keeping_the_message() {
    let openai_429 = br#"{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
    let got = translate::translate_error_body(Wire::Chat, Wire::Messages, 429, openai_429);
    assert_eq!(got["type"], "error");
    assert_eq!(got["error"]["type"], "billing_error");
    assert_eq!(got["error"]["message"], "You exceeded your current quota.");

    let anthropic_529 = br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#;
    let got = translate::translate_error_body(Wire::Messages, Wire::Chat, 529, anthropic_529);
    assert_eq!(got["error"]["message"], "Overloaded");
    assert_eq!(got["error"]["type"], "server_error");
    // Same wire: unchanged.
    let same = translate::translate_error_body(Wire::Messages, Wire::Messages, 529, anthropic_529);
    assert_eq!(same["request_id"], "req_1");
    // Not JSON: a generic message and the status's class.
    let got = translate::translate_error_body(Wire::Chat, Wire::Messages, 401, b"<html>");
    assert_eq!(got["error"]["type"], "authentication_error");
    assert_eq!(got["error"]["message"], "upstream error (HTTP 401)");
    let rate = translate::translate_error_body(Wire::Messages, Wire::Responses, 429,
        br#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#);
    assert_eq!(rate["error"]["code"], "rate_limit_exceeded");
    assert!(
        rate["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Number of request tokens")
    );
}

#[test]
fn usage_is_extracted_per_wire_from_bodies_and_streams() {
    let chat =
        translate::usage::from_body(Wire::Chat, &load(fixture!("chat_response_tool_calls.json")))
            .unwrap();
    let messages = translate::usage::from_body(
        Wire::Messages,
        &load(fixture!("messages_response_tool_use.json")),
    )
    .unwrap();
    assert_eq!(
        (
            chat.input_tokens,
            chat.cache_read_tokens,
            chat.cache_write_tokens,
            chat.output_tokens,
            chat.reasoning_tokens
        ),
        (25, 100, 10, 15, 4)
    );
    assert_eq!(
        (
            messages.input_tokens,
            messages.cache_read_tokens,
            messages.cache_write_tokens,
            messages.output_tokens
        ),
        (25, 100, 10, 15)
    );
    assert_eq!(chat.prompt_tokens(), 135);
    assert_eq!(messages.total_tokens(), 150);
    let responses =
        translate::chat_to_responses_response(&load(fixture!("chat_response_tool_calls.json")))
            .unwrap();
    assert_eq!(
        translate::usage::from_body(Wire::Responses, &responses),
        Some(chat)
    );
    let emb = json!({"object": "list", "data": [], "model": "text-embedding-3-small", "usage": {"prompt_tokens": 8, "total_tokens": 8}});
    assert_eq!(
        Usage::from_embeddings(&emb["usage"]).unwrap().input_tokens,
        8
    );

    let mut meter = StreamUsage::new(Wire::Chat);
    parse_sse(fixture!("chat_stream_tool_calls.sse"))
        .iter()
        .for_each(|e| meter.observe(e));
    assert_eq!(meter.usage(), Some(chat));
    let mut meter = StreamUsage::new(Wire::Messages);
    parse_sse(fixture!("messages_stream_tool_use.sse"))
        .iter()
        .for_each(|e| meter.observe(e));
    assert_eq!(meter.usage().unwrap().output_tokens, 15);
    let mut meter = StreamUsage::new(Wire::Responses);
    let out = run(
        &mut ChatToResponsesStream::new(opts(false)),
        &parse_sse(fixture!("chat_stream_tool_calls.sse")),
    );
    out.iter().for_each(|e| meter.observe(e));
    assert_eq!(meter.usage(), Some(chat));
    // Cut stream: partial usage (input side) from message_start.
    let mut meter = StreamUsage::new(Wire::Messages);
    parse_sse(fixture!("messages_stream_error.sse"))
        .iter()
        .for_each(|e| meter.observe(e));
    assert_eq!(meter.usage().unwrap().input_tokens, 12);
}

#[test]
fn translated_header_names_both_wires() {
    assert_eq!(
        translate::translated_header(Wire::Messages, Wire::Chat),
        "anthropic->openai"
    );
    assert_eq!(
        translate::translated_header(Wire::Chat, Wire::Messages),
        "openai->anthropic"
    );
    assert!(translate::chat_wants_usage(
        &json!({"stream_options": {"include_usage": true}})
    ));
    assert!(!translate::chat_wants_usage(&json!({"stream": true})));
}

// ---------------------------------------------------------------------------------------
// Properties

const BLOCK_TYPES: [&str; 4] = ["text", "tool_use", "thinking", "x"];
const DELTA_TYPES: [&str; 4] = ["text_delta", "input_json_delta", "thinking_delta", "zz"];

/// Event data: mostly plausible shapes with random values, some garbage.
fn arb_data() -> impl Strategy<Value = String> {
    let s = "[ -~]{0,8}";
    prop_oneof![
        any::<String>(),
        Just("[DONE]".to_string()),
        Just("{}".to_string()),
        (0u64..4, s).prop_map(|(i, t)| json!({"type": "content_block_start", "index": i,
            "content_block": {"type": BLOCK_TYPES[i as usize], "text": t, "id": t, "name": t, "input": {}}}).to_string()),
        (0u64..4, s, 0usize..4).prop_map(|(i, t, k)| json!({"type": "content_block_delta", "index": i,
            "delta": {"type": DELTA_TYPES[k], "text": t, "partial_json": t, "thinking": t}}).to_string()),
        (0u64..4).prop_map(|i| json!({"type": "content_block_stop", "index": i}).to_string()),
        (s, any::<u32>()).prop_map(|(t, n)| json!({"type": "message_delta", "delta": {"stop_reason": t}, "usage": {"output_tokens": n}}).to_string()),
        Just(json!({"type": "message_start", "message": {"id": "m", "model": "x", "usage": {"input_tokens": 1}}}).to_string()),
        Just(json!({"type": "message_stop"}).to_string()),
        Just(json!({"type": "error", "error": {"type": "overloaded_error", "message": "o"}}).to_string()),
        (s, 0u64..3, proptest::option::of("[a-z_]{1,12}")).prop_map(|(t, i, f)| json!({"id": "c", "object": "chat.completion.chunk", "model": "m",
            "choices": [{"index": 0, "delta": {"content": t, "tool_calls": [{"index": i, "id": t, "function": {"name": t, "arguments": t}}]}, "finish_reason": f}]}).to_string()),
        (any::<u32>(), any::<u32>()).prop_map(|(p, c)| json!({"id": "c", "choices": [], "usage": {"prompt_tokens": p, "completion_tokens": c,
            "prompt_tokens_details": {"cached_tokens": c}}}).to_string()),
        Just(json!({"error": {"message": "boom", "type": "server_error"}}).to_string()),
        Just(json!({"type": "response.completed", "response": {"usage": {"input_tokens": 3}}}).to_string()),
    ]
}

fn arb_events() -> impl Strategy<Value = Vec<SseEvent>> {
    let name = prop_oneof![
        Just(None),
        "[a-z_.]{0,24}".prop_map(Some),
        Just(Some("message_start".to_string())),
        Just(Some("error".to_string())),
    ];
    proptest::collection::vec(
        (name, arb_data()).prop_map(|(event, data)| SseEvent { event, data }),
        0..40,
    )
}

fn check_translator(t: &mut dyn StreamTranslator, events: &[SseEvent], client: Wire) {
    let mut out = Vec::new();
    for e in events {
        let was_done = t.is_done();
        let got = t.feed(e);
        if was_done {
            assert!(got.is_empty(), "nothing after the end");
        }
        out.extend(got);
    }
    out.extend(t.finish());
    assert!(t.is_done(), "finish always ends the client stream");
    assert!(t.finish().is_empty() && t.fail("x").is_empty());
    let _ = t.usage();
    for e in &out {
        match client {
            Wire::Chat => {
                assert!(e.event.is_none());
                assert!(e.is_done() || serde_json::from_str::<Value>(&e.data).is_ok());
            }
            Wire::Messages | Wire::Responses => {
                let d: Value = serde_json::from_str(&e.data).unwrap();
                assert_eq!(d["type"].as_str(), e.event.as_deref());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn stream_translators_never_panic_and_stay_well_formed(events in arb_events()) {
        check_translator(&mut MessagesToChatStream::new(opts(true)), &events, Wire::Chat);
        check_translator(&mut ChatToMessagesStream::new(opts(false)), &events, Wire::Messages);
        check_translator(&mut ChatToResponsesStream::new(opts(false)), &events, Wire::Responses);
        check_translator(&mut Chain::new(MessagesToChatStream::new(opts(true)), ChatToResponsesStream::new(opts(false))), &events, Wire::Responses);
        for wire in [Wire::Chat, Wire::Messages, Wire::Responses] {
            let mut meter = StreamUsage::new(wire);
            events.iter().for_each(|e| meter.observe(e));
        }
    }

    #[test]
    fn sse_parser_never_panics_and_respects_its_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..600), cut in 0usize..600) {
        let mut p = SseParser::new(64, 256);
        let cut = cut.min(bytes.len());
        let mut events = Vec::new();
        for part in [&bytes[..cut], &bytes[cut..]] {
            match p.push(part) {
                Ok(e) => events.extend(e),
                Err(_) => return Ok(()),
            }
        }
        if let Ok(Some(e)) = p.finish() {
            events.push(e);
        }
        for e in events {
            prop_assert!(e.data.len() <= 256);
        }
    }

    /// Text in = text out, whatever the pieces hold (quotes, newlines, unicode) and wherever
    /// the byte stream is cut.
    #[test]
    fn translated_text_deltas_concatenate_to_the_source_text(
        pieces in proptest::collection::vec(any::<String>(), 0..12),
        args in proptest::collection::vec("[ -~]{0,10}", 0..5),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let source: String = pieces.concat();
        let source_args: String = args.concat();
        let reparse = |events: &[SseEvent]| -> Vec<SseEvent> {
            let bytes: Vec<u8> = events.iter().flat_map(|e| e.encode().into_bytes()).collect();
            let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
            at.sort();
            let mut p = SseParser::default();
            let mut out = Vec::new();
            let mut prev = 0;
            for c in at.into_iter().chain([bytes.len()]) {
                out.extend(p.push(&bytes[prev..c]).unwrap());
                prev = c;
            }
            out.extend(p.finish().unwrap());
            out
        };

        // Anthropic upstream → OpenAI client.
        let mut up = vec![SseEvent::named("message_start", json!({"type": "message_start", "message": {"id": "m", "model": "x", "usage": {"input_tokens": 1, "output_tokens": 1}}}).to_string()),
            SseEvent::named("content_block_start", json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}).to_string())];
        for p in &pieces {
            up.push(SseEvent::named("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}).to_string()));
        }
        up.push(SseEvent::named("content_block_stop", json!({"type": "content_block_stop", "index": 0}).to_string()));
        up.push(SseEvent::named("content_block_start", json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}}}).to_string()));
        for a in &args {
            up.push(SseEvent::named("content_block_delta", json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": a}}).to_string()));
        }
        up.push(SseEvent::named("content_block_stop", json!({"type": "content_block_stop", "index": 1}).to_string()));
        up.push(SseEvent::named("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}}).to_string()));
        up.push(SseEvent::named("message_stop", json!({"type": "message_stop"}).to_string()));
        let chat_out = run(&mut MessagesToChatStream::new(opts(true)), &reparse(&up));
        let acc = accumulate_chat(&reparse(&chat_out));
        prop_assert_eq!(&acc.content, &source);
        let want_args = if source_args.is_empty() { "{}".to_string() } else { source_args.clone() };
        prop_assert_eq!(&acc.tools[0].2, &want_args);
        prop_assert!(acc.done);

        // OpenAI upstream → Anthropic client and → Responses client.
        let mut up = Vec::new();
        for p in &pieces {
            up.push(SseEvent::data(json!({"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": null}]}).to_string()));
        }
        for (i, a) in args.iter().enumerate() {
            let tc = if i == 0 { json!({"index": 0, "id": "call", "type": "function", "function": {"name": "f", "arguments": a}}) } else { json!({"index": 0, "function": {"arguments": a}}) };
            up.push(SseEvent::data(json!({"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {"tool_calls": [tc]}, "finish_reason": null}]}).to_string()));
        }
        up.push(SseEvent::data(json!({"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}).to_string()));
        up.push(SseEvent::data("[DONE]"));
        let anthropic_out = run(&mut ChatToMessagesStream::new(opts(false)), &reparse(&up));
        let mut text = String::new();
        let mut json_args = String::new();
        for e in reparse(&anthropic_out) {
            let d = data(&e);
            prop_assert_eq!(d["type"].as_str(), e.event.as_deref());
            if let Some(t) = d["delta"]["text"].as_str() { text.push_str(t); }
            if let Some(t) = d["delta"]["partial_json"].as_str() { json_args.push_str(t); }
        }
        prop_assert_eq!(&text, &source);
        prop_assert_eq!(&json_args, &source_args);
        prop_assert_eq!(anthropic_out.last().unwrap().event.as_deref(), Some("message_stop"));

        let responses_out = run(&mut ChatToResponsesStream::new(opts(false)), &reparse(&up));
        let acc = accumulate_responses(&reparse(&responses_out));
        prop_assert_eq!(&acc.text, &source);
        if !args.is_empty() {
            prop_assert_eq!(&acc.args.concat(), &source_args);
        }
        let terminal = acc.terminal.unwrap();
        prop_assert_eq!(terminal["status"].as_str(), Some("completed"));
    }
}

#[test]
fn responses_requests_reach_an_anthropic_upstream_through_chat() {
    let got = translate::responses_to_messages_request(
        &load(fixture!("responses_request.json")),
        &translate::RequestOptions::default(),
    )
    .unwrap();
    assert_eq!(
        got["system"],
        json!([{"type": "text", "text": "You are Codex."}, {"type": "text", "text": "Sandbox: workspace-write"}])
    );
    let roles: Vec<&str> = got["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user"]);
    assert_eq!(
        got["messages"][0]["content"][1]["source"],
        json!({"type": "url", "url": "https://example.test/screen.png"})
    );
    assert_eq!(
        got["messages"][1]["content"][1],
        json!({"type": "tool_use", "id": "call_1", "name": "shell", "input": {"cmd": ["cargo", "test"]}})
    );
    assert_eq!(got["messages"][2]["content"][0]["type"], "tool_result");
    assert_eq!(
        got["messages"][2]["content"][1],
        json!({"type": "text", "text": "Thanks"})
    );
    assert_eq!(got["max_tokens"], 2000);
    assert_eq!(
        got["thinking"],
        json!({"type": "enabled", "budget_tokens": 1024})
    );
    assert_eq!(
        got["tool_choice"],
        json!({"type": "auto", "disable_parallel_tool_use": true})
    );
    assert_eq!(got["tools"][0]["name"], "shell");

    // A refusal of the second step names the Responses field.
    let json_out =
        json!({"model": "claude", "input": "hi", "text": {"format": {"type": "json_object"}}});
    let err =
        translate::responses_to_messages_request(&json_out, &translate::RequestOptions::default())
            .unwrap_err();
    assert_eq!(err.field(), Some("text.format"));

    let r = translate::messages_to_responses_response(
        &load(fixture!("messages_response_tool_use.json")),
        5,
    )
    .unwrap();
    assert_eq!(r["object"], "response");
    assert_eq!(r["created_at"], 5);
    assert_eq!(r["output"][0]["content"][0]["text"], "Let me check.");
    assert_eq!(r["output"][1]["name"], "get_weather");
    assert_eq!(r["usage"]["input_tokens"], 135);

    let mut t = translate::messages_to_responses_stream(opts(false));
    let acc = accumulate_responses(&run(
        &mut t,
        &parse_sse(fixture!("messages_stream_tool_use.sse")),
    ));
    assert_eq!(
        acc.terminal.unwrap()["usage"]["output_tokens"],
        15,
        "usage reaches the Responses client"
    );
}

#[test]
fn stream_state_is_bounded() {
    let chunk = |delta: Value| {
        SseEvent::data(
            json!({"id": "c", "object": "chat.completion.chunk", "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": null}]})
            .to_string(),
        )
    };
    // Responses repeats the text in its done events: what it keeps is capped.
    let small = StreamOptions {
        max_kept_bytes: 100,
        ..opts(false)
    };
    let mut t = ChatToResponsesStream::new(small);
    let mut out = Vec::new();
    for _ in 0..10 {
        out.extend(t.feed(&chunk(json!({"content": "0123456789"}))));
    }
    let acc = accumulate_responses(&out);
    assert!(
        acc.error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("too large")
    );
    assert!(t.is_done());

    // Tool calls per response are capped, in every direction.
    let few = StreamOptions {
        max_tool_calls: 2,
        ..opts(false)
    };
    let calls: Vec<SseEvent> = (0..3)
        .map(|i| chunk(json!({"tool_calls": [{"index": i, "id": format!("c{i}"), "function": {"name": "f", "arguments": "{}"}}]})))
        .collect();
    let out = run(&mut ChatToMessagesStream::new(few.clone()), &calls);
    assert!(out.last().unwrap().data.contains("too many tool calls"));
    let out = run(&mut ChatToResponsesStream::new(few.clone()), &calls);
    assert!(out.iter().any(|e| e.data.contains("too many tool calls")));
    let mut up = vec![SseEvent::named(
        "message_start",
        r#"{"type":"message_start","message":{"id":"m","model":"x"}}"#,
    )];
    for i in 0..3 {
        up.push(SseEvent::named(
            "content_block_start",
            json!({"type": "content_block_start", "index": i, "content_block": {"type": "tool_use", "id": format!("t{i}"), "name": "f", "input": {}}}).to_string(),
        ));
        up.push(SseEvent::named(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": i}).to_string(),
        ));
    }
    let acc = accumulate_chat(&run(&mut MessagesToChatStream::new(few), &up));
    assert_eq!(acc.tools.len(), 2);
    assert!(
        acc.error.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("too many tool calls")
    );
}

#[test]
fn responses_stream_item_ids_are_unique_when_text_resumes_after_a_call() {
    let chunk = |delta: Value, finish: Value| {
        SseEvent::data(
            json!({"id": "c", "object": "chat.completion.chunk", "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
            .to_string(),
        )
    };
    let events = vec![
        chunk(json!({"content": "a"}), Value::Null),
        chunk(
            json!({"tool_calls": [{"index": 0, "id": "k", "function": {"name": "f", "arguments": "{}"}}]}),
            Value::Null,
        ),
        chunk(json!({"content": "b"}), json!("stop")),
        SseEvent::data("[DONE]"),
    ];
    let acc = accumulate_responses(&run(&mut ChatToResponsesStream::new(opts(false)), &events));
    let output = acc.terminal.unwrap()["output"].clone();
    let ids: Vec<&str> = output
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] != ids[2], "{ids:?}");
}
