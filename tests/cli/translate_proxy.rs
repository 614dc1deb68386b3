//! `byok proxy` across wires: the official openai and anthropic SDKs served by a fake of
//! the other wire (text, streams, tool-call round trips), cross-wire fallback, refusals in
//! the client's wire, the Responses API (passed through and translated) and embeddings.
//!
//! The fakes here speak the real wire formats (fact sheet §1–§3); the server plumbing,
//! proxy start-up, homes and tokens are those of tests/cli/proxy.rs.

use std::io::Write;
use std::net::TcpStream;

use serde_json::{Value, json};

use crate::harness::{
    KEY_A, KEY_C, Mode, Upstream, chat, chunk, home, http, messages, start_proxy, stream_text,
    token,
};
use crate::harness::{stderr, stdout};
use crate::proxy::sdk_python;

// ---- fakes of each wire ----------------------------------------------------------------------

fn json_reply(out: &mut TcpStream, status: u16, body: &Value) {
    let b = body.to_string();
    let _ = write!(
        out,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}",
        b.len()
    );
}

fn sse_reply(out: &mut TcpStream, events: &[String]) {
    let _ = write!(
        out,
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    for e in events {
        if chunk(out, e).is_err() {
            return;
        }
    }
    let _ = write!(out, "0\r\n\r\n");
}

fn named(data: Value) -> String {
    format!(
        "event: {}\ndata: {data}\n\n",
        data["type"].as_str().unwrap()
    )
}

/// What the fake answers: a tool call when tools are offered and no result came back yet,
/// else text (quoting the tool result when there is one).
enum Answer {
    Text(String),
    Tool,
}

fn answer(name: &str, tool_result: Option<String>, has_tools: bool) -> Answer {
    match tool_result {
        Some(r) => Answer::Text(format!("weather: {r} (from {name})")),
        None if has_tools => Answer::Tool,
        None => Answer::Text(format!("Hello from {name}")),
    }
}

fn text_pieces(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

/// Anthropic Messages, `POST /v1/messages`.
fn anthropic(name: &str, body: &Value, out: &mut TcpStream) {
    let model = body["model"].as_str().unwrap_or("m");
    let result = body["messages"].as_array().and_then(|ms| {
        ms.iter()
            .filter_map(|m| m["content"].as_array())
            .flatten()
            .find(|b| b["type"] == "tool_result")
            .map(|b| match &b["content"] {
                Value::String(s) => s.clone(),
                v => v[0]["text"].as_str().unwrap_or("").to_owned(),
            })
    });
    let has_tools = body["tools"].as_array().is_some_and(|t| !t.is_empty());
    let a = answer(name, result, has_tools);
    let usage = json!({"input_tokens": 11, "output_tokens": 4, "cache_read_input_tokens": 5});
    if body["stream"] != json!(true) {
        let (content, stop) = match &a {
            Answer::Text(t) => (json!([{"type": "text", "text": t}]), "end_turn"),
            Answer::Tool => (
                json!([{"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}]),
                "tool_use",
            ),
        };
        return json_reply(
            out,
            200,
            &json!({"id": "msg_01", "type": "message", "role": "assistant", "model": model,
                "content": content, "stop_reason": stop, "stop_sequence": null, "usage": usage}),
        );
    }
    let mut events = vec![named(
        json!({"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant",
            "model": model, "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 11, "output_tokens": 1, "cache_read_input_tokens": 5}}}),
    )];
    let stop = match &a {
        Answer::Text(t) => {
            events.push(named(json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}})));
            for p in text_pieces(t) {
                events.push(named(json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}})));
            }
            "end_turn"
        }
        Answer::Tool => {
            events.push(named(json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}})));
            for p in ["{\"city\":", " \"Paris\"}"] {
                events.push(named(json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "input_json_delta", "partial_json": p}})));
            }
            "tool_use"
        }
    };
    events.push(named(json!({"type": "content_block_stop", "index": 0})));
    events.push(named(json!({"type": "message_delta",
        "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": 4}})));
    events.push(named(json!({"type": "message_stop"})));
    sse_reply(out, &events);
}

/// OpenAI Chat Completions, `POST /v1/chat/completions`.
fn openai_chat(name: &str, body: &Value, out: &mut TcpStream) {
    let model = body["model"].as_str().unwrap_or("m");
    let result = body["messages"].as_array().and_then(|ms| {
        ms.iter()
            .find(|m| m["role"] == "tool")
            .map(|m| m["content"].as_str().unwrap_or("").to_owned())
    });
    let has_tools = body["tools"].as_array().is_some_and(|t| !t.is_empty());
    let a = answer(name, result, has_tools);
    let usage = json!({"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13,
        "prompt_tokens_details": {"cached_tokens": 2}});
    let call = json!({"id": "call_01", "type": "function",
        "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}});
    if body["stream"] != json!(true) {
        let (message, finish) = match &a {
            Answer::Text(t) => (json!({"role": "assistant", "content": t}), "stop"),
            Answer::Tool => (
                json!({"role": "assistant", "content": null, "tool_calls": [call]}),
                "tool_calls",
            ),
        };
        return json_reply(
            out,
            200,
            &json!({"id": "chatcmpl-01", "object": "chat.completion", "created": 1, "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": null}],
                "usage": usage}),
        );
    }
    let c = |delta: Value, finish: Value| {
        format!(
            "data: {}\n\n",
            json!({"id": "chatcmpl-01", "object": "chat.completion.chunk", "created": 1, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let mut events = vec![c(json!({"role": "assistant", "content": ""}), Value::Null)];
    let finish = match &a {
        Answer::Text(t) => {
            for p in text_pieces(t) {
                events.push(c(json!({"content": p}), Value::Null));
            }
            "stop"
        }
        Answer::Tool => {
            events.push(c(
                json!({"tool_calls": [{"index": 0, "id": "call_01", "type": "function",
                    "function": {"name": "get_weather", "arguments": ""}}]}),
                Value::Null,
            ));
            for p in ["{\"city\":", " \"Paris\"}"] {
                events.push(c(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}),
                    Value::Null,
                ));
            }
            "tool_calls"
        }
    };
    events.push(c(json!({}), json!(finish)));
    if body["stream_options"]["include_usage"] == json!(true) {
        events.push(format!(
            "data: {}\n\n",
            json!({"id": "chatcmpl-01", "object": "chat.completion.chunk", "created": 1,
                "model": model, "choices": [], "usage": usage})
        ));
    }
    events.push("data: [DONE]\n\n".into());
    sse_reply(out, &events);
}

/// OpenAI Responses, `POST /v1/responses` (text only).
fn openai_responses(name: &str, body: &Value, out: &mut TcpStream) {
    let text = format!("Hello from {name} (responses)");
    responses_reply(body, out, &text, &text_pieces(&text));
}

/// A Responses upstream that echoes the key (KEY_A), split across three deltas.
fn echoing_responses(_: &str, _: &str, body: &Value, out: &mut TcpStream) {
    let text = format!("key {KEY_A} end");
    let pieces = ["key ", &KEY_A[..5], &KEY_A[5..12], &KEY_A[12..], " end"];
    let pieces: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
    responses_reply(body, out, &text, &pieces);
}

fn responses_reply(body: &Value, out: &mut TcpStream, text: &str, pieces: &[String]) {
    let model = body["model"].as_str().unwrap_or("m");
    let text = text.to_owned();
    let item = |t: &str| {
        json!({"type": "message", "id": "msg_01", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": t, "annotations": []}]})
    };
    let response = |status: &str, output: Value, usage: Value| {
        json!({"id": "resp_01", "object": "response", "created_at": 1, "status": status,
            "model": model, "output": output, "usage": usage, "error": null,
            "incomplete_details": null, "parallel_tool_calls": true, "tool_choice": "auto", "tools": []})
    };
    let usage = json!({"input_tokens": 8, "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 13});
    if body["stream"] != json!(true) {
        return json_reply(
            out,
            200,
            &response("completed", json!([item(&text)]), usage),
        );
    }
    let mut seq = 0;
    let mut ev = |data: Value| {
        let mut data = data;
        data["sequence_number"] = json!(seq);
        seq += 1;
        named(data)
    };
    let mut events = vec![
        ev(
            json!({"type": "response.created", "response": response("in_progress", json!([]), Value::Null)}),
        ),
        ev(
            json!({"type": "response.output_item.added", "output_index": 0,
            "item": {"type": "message", "id": "msg_01", "status": "in_progress", "role": "assistant", "content": []}}),
        ),
        ev(
            json!({"type": "response.content_part.added", "item_id": "msg_01", "output_index": 0,
            "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}}),
        ),
    ];
    for p in pieces {
        events.push(ev(
            json!({"type": "response.output_text.delta", "item_id": "msg_01",
            "output_index": 0, "content_index": 0, "delta": p}),
        ));
    }
    events.push(ev(
        json!({"type": "response.output_text.done", "item_id": "msg_01",
        "output_index": 0, "content_index": 0, "text": text}),
    ));
    events.push(ev(
        json!({"type": "response.output_item.done", "output_index": 0, "item": item(&text)}),
    ));
    events.push(ev(
        json!({"type": "response.completed", "response": response("completed", json!([item(&text)]), usage)}),
    ));
    sse_reply(out, &events);
}

/// OpenAI embeddings, `POST /v1/embeddings`: [0.5, -1.0] as base64 float32 when asked.
fn openai_embeddings(body: &Value, out: &mut TcpStream) {
    let embedding = if body["encoding_format"] == "base64" {
        json!("AAAAPwAAgL8=")
    } else {
        json!([0.5, -1.0])
    };
    json_reply(
        out,
        200,
        &json!({"object": "list", "model": body["model"],
            "data": [{"object": "embedding", "index": 0, "embedding": embedding}],
            "usage": {"prompt_tokens": 4, "total_tokens": 4}}),
    );
}

/// Both wires and every endpoint, by path.
fn wire_fake(name: &str, path: &str, body: &Value, out: &mut TcpStream) {
    if path.ends_with("/messages") {
        anthropic(name, body, out);
    } else if path.ends_with("/chat/completions") {
        openai_chat(name, body, out);
    } else if path.ends_with("/responses") {
        openai_responses(name, body, out);
    } else if path.ends_with("/embeddings") {
        openai_embeddings(body, out);
    } else {
        json_reply(out, 404, &json!({"error": {"message": "no such path"}}));
    }
}

/// A connector table.
fn connector(name: &str, kind: &str, key: &str, base: &str, models: &str, more: &str) -> String {
    format!(
        "[[connector]]\nname = \"{name}\"\ntype = \"{kind}\"\nsecret = \"{key}\"\nbase_url = \"{base}\"\nmodels = [{models}]\n{more}\n"
    )
}

fn python(
    env: &crate::harness::Env,
    python: &std::path::Path,
    port: u16,
    t: &str,
    script: &str,
) -> String {
    let root = format!("http://127.0.0.1:{port}");
    let out = env
        .program(python.to_str().unwrap())
        .args(["-c", script])
        .env("OPENAI_BASE_URL", format!("{root}/v1"))
        .env("OPENAI_API_KEY", t)
        .env("ANTHROPIC_BASE_URL", &root)
        .env("ANTHROPIC_API_KEY", t)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    text
}

fn expect_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l == *line),
            "missing {line:?} in:\n{text}"
        );
    }
}

// ---- tests -----------------------------------------------------------------------------------

const OPENAI_TO_CLAUDE: &str = r#"
import json, openai
o = openai.OpenAI(max_retries=0)
hi = [{"role": "user", "content": "hi"}]
raw = o.chat.completions.with_raw_response.create(model="claude-x", messages=hi)
r = raw.parse()
print("text:", r.choices[0].message.content)
print("header:", raw.headers.get("x-byok-translated"), raw.headers.get("x-byok-connector"))
print("finish:", r.choices[0].finish_reason)
print("usage:", r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.prompt_tokens_details.cached_tokens)
s = o.chat.completions.create(model="claude-x", messages=hi, stream=True, stream_options={"include_usage": True})
chunks = list(s)
print("stream:", "".join(c.choices[0].delta.content or "" for c in chunks if c.choices))
print("stream-usage:", [c.usage.prompt_tokens for c in chunks if c.usage])
tools = [{"type": "function", "function": {"name": "get_weather", "description": "weather",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
ask = [{"role": "user", "content": "weather in Paris?"}]
r = o.chat.completions.create(model="claude-x", messages=ask, tools=tools)
call = r.choices[0].message.tool_calls[0]
print("tool:", r.choices[0].finish_reason, call.function.name, json.loads(call.function.arguments))
back = ask + [{"role": "assistant", "content": None, "tool_calls": [
    {"id": call.id, "type": "function", "function": {"name": call.function.name, "arguments": call.function.arguments}}]},
    {"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
r = o.chat.completions.create(model="claude-x", messages=back, tools=tools)
print("tool-answer:", r.choices[0].message.content)
s = o.chat.completions.create(model="claude-x", messages=ask, tools=tools, stream=True)
name, args, finish = "", "", None
for c in s:
    for d in c.choices:
        for t in d.delta.tool_calls or []:
            name += t.function.name or ""
            args += t.function.arguments or ""
        finish = d.finish_reason or finish
print("stream-tool:", finish, name, json.loads(args))
s = o.chat.completions.create(model="claude-x", messages=back, tools=tools, stream=True)
print("stream-tool-answer:", "".join(c.choices[0].delta.content or "" for c in s if c.choices))
"#;

#[test]
fn the_openai_sdk_gets_a_claude_model_from_an_anthropic_connector() {
    let Some(py) = sdk_python() else {
        return;
    };
    let claude = Upstream::start("claude", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &connector(
            "claude",
            "anthropic",
            "key_c",
            &claude.root(),
            "\"claude-*\"",
            "",
        ),
    );
    let t = token(&env, "sdk", &[]);
    let proxy = start_proxy(&env, &[]);
    let text = python(&env, &py, proxy.port, &t, OPENAI_TO_CLAUDE);
    expect_lines(
        &text,
        &[
            "text: Hello from claude",
            "header: openai->anthropic claude",
            "finish: stop",
            // Anthropic's input excludes cache reads; OpenAI's prompt_tokens includes them.
            "usage: 16 4 5",
            "stream: Hello from claude",
            "stream-usage: [16]",
            "tool: tool_calls get_weather {'city': 'Paris'}",
            "tool-answer: weather: sunny (from claude)",
            "stream-tool: tool_calls get_weather {'city': 'Paris'}",
            "stream-tool-answer: weather: sunny (from claude)",
        ],
    );
    let seen = claude.seen();
    assert!(seen.iter().all(|s| s.path == "/v1/messages"), "{seen:?}");
    assert!(seen.iter().all(|s| s.header("x-api-key") == Some(KEY_C)));
    assert!(seen.iter().all(|s| s.header("anthropic-version").is_some()));
    // The tool result went back as an Anthropic tool_result block for the same id.
    let back = &seen[3].body;
    assert_eq!(back["max_tokens"], 4096, "{back}");
    let last = back["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(last["role"], "user");
    assert_eq!(last["content"][0]["type"], "tool_result");
    assert_eq!(last["content"][0]["tool_use_id"], "toolu_01");
    assert!(!text.contains(KEY_C));
}

const ANTHROPIC_TO_GPT: &str = r#"
import anthropic
a = anthropic.Anthropic(max_retries=0)
hi = [{"role": "user", "content": "hi"}]
raw = a.messages.with_raw_response.create(model="gpt-x", max_tokens=64, messages=hi)
m = raw.parse()
print("text:", m.content[0].text)
print("header:", raw.headers.get("x-byok-translated"))
print("stop:", m.stop_reason)
print("usage:", m.usage.input_tokens, m.usage.output_tokens, m.usage.cache_read_input_tokens)
with a.messages.stream(model="gpt-x", max_tokens=64, messages=hi) as st:
    print("stream:", "".join(st.text_stream))
    final = st.get_final_message()
print("stream-stop:", final.stop_reason, final.usage.output_tokens)
tools = [{"name": "get_weather", "description": "weather",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
ask = [{"role": "user", "content": "weather in Paris?"}]
m = a.messages.create(model="gpt-x", max_tokens=64, messages=ask, tools=tools)
use = [b for b in m.content if b.type == "tool_use"][0]
print("tool:", m.stop_reason, use.name, use.input)
back = ask + [{"role": "assistant", "content": [{"type": "tool_use", "id": use.id, "name": use.name, "input": use.input}]},
              {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "rainy"}]}]
m = a.messages.create(model="gpt-x", max_tokens=64, messages=back, tools=tools)
print("tool-answer:", m.content[0].text)
with a.messages.stream(model="gpt-x", max_tokens=64, messages=ask, tools=tools) as st:
    final = st.get_final_message()
use = [b for b in final.content if b.type == "tool_use"][0]
print("stream-tool:", final.stop_reason, use.name, use.input)
"#;

#[test]
fn the_anthropic_sdk_gets_an_openai_model_from_an_openai_connector() {
    let Some(py) = sdk_python() else {
        return;
    };
    let gpt = Upstream::start("gpt", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &connector(
            "gpt",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", gpt.root()),
            "\"gpt-*\"",
            "",
        ),
    );
    let t = token(&env, "sdk", &[]);
    let proxy = start_proxy(&env, &[]);
    let text = python(&env, &py, proxy.port, &t, ANTHROPIC_TO_GPT);
    expect_lines(
        &text,
        &[
            "text: Hello from gpt",
            "header: anthropic->openai",
            "stop: end_turn",
            "usage: 7 4 2",
            "stream: Hello from gpt",
            "stream-stop: end_turn 4",
            "tool: tool_use get_weather {'city': 'Paris'}",
            "tool-answer: weather: rainy (from gpt)",
            "stream-tool: tool_use get_weather {'city': 'Paris'}",
        ],
    );
    let seen = gpt.seen();
    assert!(
        seen.iter().all(|s| s.path == "/v1/chat/completions"),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some(&*format!("Bearer {KEY_A}")))
    );
    // Streams ask the OpenAI upstream for usage (Anthropic clients always get it).
    let streamed = seen
        .iter()
        .find(|s| s.body["stream"] == json!(true))
        .unwrap();
    assert_eq!(streamed.body["stream_options"]["include_usage"], true);
    let tool_msg = seen[3].body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "tool")
        .cloned()
        .unwrap();
    assert_eq!(tool_msg["content"], "rainy");
}

#[test]
fn fallback_crosses_wires_and_errors_come_in_the_clients_shape() {
    let quota = json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
        "param": null, "code": "insufficient_quota"}})
    .to_string();
    let oa = Upstream::start("oa", Mode::Fail(429, quota, vec![]));
    let an = Upstream::start("an", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &format!(
            "{}{}",
            connector(
                "oa",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", oa.root()),
                "\"gpt-test\"",
                ""
            ),
            connector("an", "anthropic", "key_c", &an.root(), "\"gpt-test\"", "")
        ),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &["--cooldown", "0s"]);
    for stream in [false, true] {
        let r = chat(proxy.port, &t, "gpt-test", stream);
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.header("x-byok-connector"), Some("an"));
        assert_eq!(r.header("x-byok-translated"), Some("openai->anthropic"));
        if stream {
            assert_eq!(stream_text(&r.body), "Hello from an");
            assert!(r.body.trim_end().ends_with("data: [DONE]"), "{}", r.body);
            assert!(!r.body.contains("event:"), "{}", r.body);
        } else {
            assert_eq!(r.json()["object"], "chat.completion");
            assert_eq!(
                r.json()["choices"][0]["message"]["content"],
                "Hello from an"
            );
        }
    }
    assert!(oa.seen().len() >= 2);
    assert!(an.seen().iter().all(|s| s.path == "/v1/messages"));
    // The Anthropic client goes the other way round: its own wire first.
    let r = messages(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-connector"), Some("an"));
    assert_eq!(r.header("x-byok-translated"), None);
    assert_eq!(r.json()["content"][0]["text"], "Hello from an");
}

#[test]
fn the_last_failure_of_another_wire_is_rendered_in_the_clients_wire() {
    let body =
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
            .to_string();
    let an = Upstream::start("an", Mode::Fail(529, body, vec![]));
    let env = home(
        &[],
        &connector("an", "anthropic", "key_c", &an.root(), "\"gpt-test\"", ""),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    let r = chat(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.status, 529, "{r:?}");
    assert_eq!(r.header("x-byok-translated"), Some("openai->anthropic"));
    let v = r.json();
    assert_eq!(v["error"]["message"], "Overloaded", "{v}");
    assert!(v["error"]["type"].is_string(), "{v}");
    assert!(v.get("type").is_none(), "{v}");
}

#[test]
fn fields_without_an_equivalent_get_a_400_in_the_clients_wire() {
    let an = Upstream::start("an", Mode::Wire(wire_fake));
    let oa = Upstream::start("oa", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &format!(
            "{}{}",
            connector("an", "anthropic", "key_c", &an.root(), "\"claude-*\"", ""),
            connector(
                "oa",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", oa.root()),
                "\"gpt-*\"",
                ""
            )
        ),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    let bearer = format!("Bearer {t}");
    // OpenAI chat → Anthropic: `n: 2` has no equivalent.
    let r = http(
        proxy.port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &bearer)],
        Some(
            &json!({"model": "claude-x", "n": 2, "messages": [{"role": "user", "content": "hi"}]}),
        ),
    );
    assert_eq!(r.status, 400, "{r:?}");
    assert_eq!(r.header("x-should-retry"), Some("false"));
    assert_eq!(r.header("x-byok-translated"), Some("openai->anthropic"));
    let v = r.json();
    assert_eq!(v["error"]["param"], "n", "{v}");
    assert_eq!(v["error"]["type"], "invalid_request_error", "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("`n`"),
        "{v}"
    );
    // Anthropic messages → OpenAI: `top_k` has no equivalent; Anthropic's error shape.
    let r = http(
        proxy.port,
        "POST",
        "/v1/messages",
        &[("x-api-key", &t), ("anthropic-version", "2023-06-01")],
        Some(
            &json!({"model": "gpt-x", "max_tokens": 8, "top_k": 5, "messages": [{"role": "user", "content": "hi"}]}),
        ),
    );
    assert_eq!(r.status, 400, "{r:?}");
    let v = r.json();
    assert_eq!(v["type"], "error", "{v}");
    assert_eq!(v["error"]["type"], "invalid_request_error", "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("top_k"),
        "{v}"
    );
    // Nothing reached either upstream.
    assert!(an.seen().is_empty() && oa.seen().is_empty());
    // Embeddings never cross wires; count_tokens neither.
    let r = http(
        proxy.port,
        "POST",
        "/v1/embeddings",
        &[("authorization", &bearer)],
        Some(&json!({"model": "claude-x", "input": "hi"})),
    );
    assert_eq!(r.status, 404, "{r:?}");
}

/// Claude Code sends `context_management` and `thinking` on every request, Codex sends
/// `client_metadata`: across wires the first and last are dropped with a note
/// (`x-byok-dropped`), `thinking` becomes `reasoning_effort`, and a refusal names the real
/// upstream's wire.
#[test]
fn tuning_fields_of_claude_code_and_codex_are_dropped_with_a_note() {
    let an = Upstream::start("an", Mode::Wire(wire_fake));
    let oa = Upstream::start("oa", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &format!(
            "{}{}",
            connector("an", "anthropic", "key_c", &an.root(), "\"claude-*\"", ""),
            connector(
                "oa",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", oa.root()),
                "\"gpt-*\"",
                ""
            )
        ),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    // Claude Code → an OpenAI chat connector.
    let r = http(
        proxy.port,
        "POST",
        "/v1/messages",
        &[("x-api-key", &t), ("anthropic-version", "2023-06-01")],
        Some(&json!({
            "model": "gpt-x", "max_tokens": 32000,
            "thinking": {"type": "enabled", "budget_tokens": 31999},
            "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
            "messages": [{"role": "user", "content": "hi"}],
        })),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-dropped"), Some("context_management"));
    assert_eq!(r.header("x-byok-translated"), Some("anthropic->openai"));
    let sent = &oa.seen()[0].body;
    assert!(sent.get("context_management").is_none(), "{sent}");
    assert_eq!(sent["reasoning_effort"], "high", "{sent}");
    // Codex (Responses) → an Anthropic connector.
    let bearer = format!("Bearer {t}");
    let r = http(
        proxy.port,
        "POST",
        "/v1/responses",
        &[("authorization", &bearer)],
        Some(&json!({
            "model": "claude-x", "input": "hi", "store": false,
            "client_metadata": {"x-codex-installation-id": "test"},
        })),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-dropped"), Some("client_metadata"));
    assert!(an.seen()[0].body.get("client_metadata").is_none());
    // Nothing dropped, no header.
    let r = http(
        proxy.port,
        "POST",
        "/v1/responses",
        &[("authorization", &bearer)],
        Some(&json!({"model": "claude-x", "input": "hi"})),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-dropped"), None);
    // A field that would change the answer is still refused, naming the real upstream.
    let r = http(
        proxy.port,
        "POST",
        "/v1/responses",
        &[("authorization", &bearer)],
        Some(&json!({"model": "claude-x", "input": "hi", "made_up_field": 1})),
    );
    assert_eq!(r.status, 400, "{r:?}");
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("anthropic upstream"), "{message}");
    assert!(!message.contains("openai upstream"), "{message}");
}

#[test]
fn keys_echoed_by_a_translated_upstream_stay_masked() {
    let an = Upstream::start("an", Mode::Echo);
    let env = home(
        &[],
        &connector("an", "anthropic", "key_c", &an.root(), "\"claude-*\"", ""),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    for stream in [false, true] {
        let r = chat(proxy.port, &t, "claude-x", stream);
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.header("x-byok-translated"), Some("openai->anthropic"));
        assert!(!r.body.contains(KEY_C), "{}", r.body);
        assert!(!r.body.contains(&KEY_C[5..]), "{}", r.body);
        let text = if stream {
            stream_text(&r.body)
        } else {
            r.json()["choices"][0]["message"]["content"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(text.starts_with("key ") && text.ends_with(" end"), "{text}");
        assert!(r.headers.iter().all(|(_, v)| !v.contains(KEY_C)));
    }
}

#[test]
fn keys_echoed_by_a_passed_through_responses_stream_stay_masked() {
    let up = Upstream::start("native", Mode::Wire(echoing_responses));
    let env = home(
        &[],
        &connector(
            "native",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "\"gpt-native\"",
            "options = { responses = \"true\" }",
        ),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    for stream in [false, true] {
        let r = http(
            proxy.port,
            "POST",
            "/v1/responses",
            &[("authorization", &format!("Bearer {t}"))],
            Some(&json!({"model": "gpt-native", "input": "hi", "stream": stream})),
        );
        assert_eq!(r.status, 200, "{r:?}");
        assert!(r.header("x-byok-translated").is_none(), "passed through");
        assert!(!r.body.contains(&KEY_A[5..]), "{}", r.body);
        assert!(!r.body.contains(&KEY_A[12..]), "{}", r.body);
        if stream {
            let deltas: String = r
                .body
                .split("\n\n")
                .filter_map(|e| e.lines().find_map(|l| l.strip_prefix("data: ")))
                .filter_map(|d| serde_json::from_str::<Value>(d).ok())
                .filter(|v| v["type"] == "response.output_text.delta")
                .filter_map(|v| v["delta"].as_str().map(str::to_owned))
                .collect();
            assert!(
                deltas.starts_with("key ") && deltas.ends_with(" end"),
                "{deltas}"
            );
            assert!(!deltas.contains("sk-te"), "{deltas}");
        }
    }
}

const RESPONSES: &str = r#"
import openai
o = openai.OpenAI(max_retries=0)
for model in ["gpt-native", "gpt-chat", "claude-x"]:
    raw = o.responses.with_raw_response.create(model=model, input="hi", instructions="be brief")
    r = raw.parse()
    print(model, "text:", r.output_text, "|", raw.headers.get("x-byok-translated"))
    print(model, "usage:", r.usage.input_tokens, r.usage.output_tokens)
    s = o.responses.create(model=model, input="hi", stream=True)
    events = list(s)
    print(model, "stream:", "".join(e.delta for e in events if e.type == "response.output_text.delta"))
    done = [e for e in events if e.type == "response.completed"]
    print(model, "completed:", len(done), done[0].response.usage.output_tokens if done else None)
tools = [{"type": "function", "name": "get_weather", "description": "weather",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]
for model in ["gpt-chat", "claude-x"]:
    r = o.responses.create(model=model, input="weather in Paris?", tools=tools)
    call = [i for i in r.output if i.type == "function_call"][0]
    print(model, "tool:", call.name, call.arguments.replace(" ", ""))
    r = o.responses.create(model=model, tools=tools, input=[
        {"role": "user", "content": "weather in Paris?"},
        {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
        {"type": "function_call_output", "call_id": call.call_id, "output": "foggy"}])
    print(model, "tool-answer:", r.output_text)
try:
    o.responses.create(model="gpt-chat", input="again", previous_response_id="resp_01")
except openai.BadRequestError as e:
    print("stateful:", e.status_code, "previous_response_id" in str(e))
r = o.responses.create(model="gpt-native", input="again", previous_response_id="resp_01")
print("stateful-native:", r.output_text)
"#;

#[test]
fn the_responses_api_is_passed_through_or_translated() {
    let Some(py) = sdk_python() else {
        return;
    };
    let native = Upstream::start("native", Mode::Wire(wire_fake));
    let chatty = Upstream::start("chatty", Mode::Wire(wire_fake));
    let claude = Upstream::start("claude", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &format!(
            "{}{}{}",
            connector(
                "native",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", native.root()),
                "\"gpt-native\"",
                "options = { responses = \"true\" }"
            ),
            connector(
                "chatty",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", chatty.root()),
                "\"gpt-chat\"",
                ""
            ),
            connector(
                "claude",
                "anthropic",
                "key_c",
                &claude.root(),
                "\"claude-*\"",
                ""
            )
        ),
    );
    let t = token(&env, "codex", &[]);
    let proxy = start_proxy(&env, &[]);
    let text = python(&env, &py, proxy.port, &t, RESPONSES);
    expect_lines(
        &text,
        &[
            "gpt-native text: Hello from native (responses) | None",
            "gpt-native usage: 8 5",
            "gpt-native stream: Hello from native (responses)",
            "gpt-native completed: 1 5",
            "gpt-chat text: Hello from chatty | openai-responses->openai",
            "gpt-chat usage: 9 4",
            "gpt-chat stream: Hello from chatty",
            "gpt-chat completed: 1 4",
            "claude-x text: Hello from claude | openai-responses->anthropic",
            "claude-x usage: 16 4",
            "claude-x stream: Hello from claude",
            "claude-x completed: 1 4",
            "gpt-chat tool: get_weather {\"city\":\"Paris\"}",
            "gpt-chat tool-answer: weather: foggy (from chatty)",
            "claude-x tool: get_weather {\"city\":\"Paris\"}",
            "claude-x tool-answer: weather: foggy (from claude)",
            "stateful: 400 True",
            "stateful-native: Hello from native (responses)",
        ],
    );
    assert!(native.seen().iter().all(|s| s.path == "/v1/responses"));
    assert_eq!(
        native.seen().last().unwrap().body["previous_response_id"],
        "resp_01"
    );
    assert!(
        chatty
            .seen()
            .iter()
            .all(|s| s.path == "/v1/chat/completions")
    );
    // `instructions` became the system message.
    assert_eq!(chatty.seen()[0].body["messages"][0]["role"], "system");
    assert!(claude.seen().iter().all(|s| s.path == "/v1/messages"));
    assert_eq!(claude.seen()[0].body["system"][0]["text"], "be brief");
}

const EMBEDDINGS: &str = r#"
import openai
o = openai.OpenAI(max_retries=0)
e = o.embeddings.create(model="emb-test", input="hello")
print("vector:", e.data[0].embedding)
print("usage:", e.usage.prompt_tokens)
f = o.embeddings.create(model="emb-test", input=["a", "b"], encoding_format="float", dimensions=2)
print("float:", f.data[0].embedding)
"#;

#[test]
fn embeddings_are_passed_through_untouched() {
    let Some(py) = sdk_python() else {
        return;
    };
    let up = Upstream::start("emb", Mode::Wire(wire_fake));
    let env = home(
        &[],
        &connector(
            "emb",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "\"emb-*\"",
            "",
        ),
    );
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    let text = python(&env, &py, proxy.port, &t, EMBEDDINGS);
    expect_lines(
        &text,
        &["vector: [0.5, -1.0]", "usage: 4", "float: [0.5, -1.0]"],
    );
    let seen = up.seen();
    assert_eq!(seen[0].path, "/v1/embeddings");
    assert_eq!(
        seen[0].body,
        json!({"model": "emb-test", "input": "hello", "encoding_format": "base64"})
    );
    assert_eq!(
        seen[1].body,
        json!({"model": "emb-test", "input": ["a", "b"], "encoding_format": "float", "dimensions": 2})
    );
    assert_eq!(
        seen[0].header("authorization"),
        Some(&*format!("Bearer {KEY_A}"))
    );
}

#[test]
fn a_bad_responses_option_stops_the_proxy_at_start() {
    let env = home(
        &[],
        &connector(
            "x",
            "openai-compatible",
            "key_a",
            "http://127.0.0.1:9/v1",
            "\"m\"",
            "options = { responses = \"yes\" }",
        ),
    );
    let out = env
        .cmd(["proxy", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("option `responses` must be `true` or `false`"),
        "{err}"
    );
    assert!(err.contains("--option responses=true"), "{err}");
}
