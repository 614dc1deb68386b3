//! Items 5 and 6 of the agent-proof review, and placeholder guessing, as the agent meets them:
//! a real agent-proof proxy, an upstream that echoes the key in every shape the review used,
//! the agent's ledger edits as the agent's own user.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::{KEY, Setup};
use crate::harness::{Mode, Upstream, gzip, http, stderr};

/// Every run of 12 characters of the key after its `sk-` prefix: what must never reach the
/// agent (SECURITY.md claim 11).
fn fragments() -> Vec<&'static str> {
    let body = &KEY[3..];
    (0..=body.len() - 12).map(|i| &body[i..i + 12]).collect()
}

fn assert_nothing_of_the_key(what: &str, text: &str) {
    for fragment in fragments() {
        assert!(
            !text.contains(fragment),
            "{what}: `{fragment}` reached the agent: {text}"
        );
    }
}

fn send(out: &mut TcpStream, status: &str, headers: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
}

/// An upstream that leaks the key it was sent, in the shape the request's text names.
fn leaky(_: &str, _: &str, request: &Value, out: &mut TcpStream) {
    let shape = request["messages"][0]["content"].as_str().unwrap_or("");
    let (head, tail) = KEY.split_at(KEY.len() / 2);
    let short = &KEY[..KEY.len() - 1];
    let json_type = "content-type: application/json\r\n";
    match shape {
        "gzip" => {
            let body = format!(
                r#"{{"choices":[{{"message":{{"role":"assistant","content":"{KEY}"}}}}]}}"#
            );
            send(
                out,
                "200 OK",
                &format!("{json_type}content-encoding: gzip\r\n"),
                &gzip(&body),
            );
        }
        "gzip-error" => {
            let body = format!(r#"{{"error":{{"message":"Incorrect API key provided: {KEY}"}}}}"#);
            send(
                out,
                "401 Unauthorized",
                &format!("{json_type}content-encoding: gzip\r\n"),
                &gzip(&body),
            );
        }
        "fragments" => {
            let body = json!({
                "id": head,
                "choices": [{"message": {"role": "assistant", "content": format!("{short} and {tail}")}}],
            });
            send(
                out,
                "200 OK",
                &format!("{json_type}x-debug-a: {head}\r\nx-debug-b: {tail}\r\n"),
                body.to_string().as_bytes(),
            );
        }
        "error-fragment" => {
            let body = format!(r#"{{"error":{{"message":"bad key {short}"}}}}"#);
            send(out, "401 Unauthorized", json_type, body.as_bytes());
        }
        _ => {
            // SSE: the key in two `data:` lines of one event, then a stream cut mid-key.
            let chunk = |text: &str| json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]});
            let body = format!(
                "data: {}\ndata: {}\n\ndata: {}\n\n",
                json!({"id": head, "object": "chat.completion.chunk", "choices": []}),
                json!({"id": tail, "object": "chat.completion.chunk", "choices": []}),
                chunk(short),
            );
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(body.as_bytes());
            // Cut off: the proxy must not release a held-back prefix of the key either.
            let _ = out.write_all(format!("data: {}", &chunk(short).to_string()[..40]).as_bytes());
        }
    }
}

fn ask(port: u16, placeholder: &str, shape: &str) -> crate::harness::Resp {
    let body = json!({
        "model": "gpt-test",
        "stream": shape == "sse",
        "messages": [{"role": "user", "content": shape}],
    });
    http(
        port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &format!("Bearer {placeholder}"))],
        Some(&body),
    )
}

#[test]
fn a_key_echoed_in_any_shape_reaches_the_agent_masked() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Wire(leaky));
    setup.init(&format!("{}/v1", upstream.root()));
    let placeholder = setup.token();
    let proxy = setup.start_proxy();
    for shape in ["gzip", "gzip-error", "fragments", "error-fragment", "sse"] {
        let r = ask(proxy.port, &placeholder, shape);
        assert_ne!(
            r.header("content-encoding").unwrap_or("identity"),
            "gzip",
            "{shape}: a compressed answer was passed on"
        );
        let headers: String = r
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect();
        let text = format!("{headers}\n{}", r.body);
        assert_nothing_of_the_key(shape, &text);
        // Not vacuous: the echo came through, masked (a compressed one not at all).
        if shape.starts_with("gzip") {
            assert_eq!(r.status, 502, "{shape}: {text}");
        } else {
            assert!(text.contains("<concealed by byok>"), "{shape}: {text}");
        }
    }
    assert_eq!(
        upstream.seen().len(),
        5,
        "every request reached the upstream"
    );
}

#[test]
fn guessed_or_altered_placeholders_are_refused_before_the_upstream() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    let placeholder = setup.token();
    let proxy = setup.start_proxy();
    let mut altered = placeholder.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'a' { 'b' } else { 'a' });
    let prefix_only = placeholder[..placeholder.len() - 8].to_owned();
    for guess in [
        altered.as_str(),
        prefix_only.as_str(),
        "sk-ant-byok01-0000000000000000000000000000000000000000",
        KEY,
        "",
    ] {
        let r = ask(proxy.port, guess, "hi");
        assert_eq!(r.status, 401, "{guess:?}: {}", r.body);
    }
    assert!(
        upstream.seen().is_empty(),
        "a guessed placeholder was served"
    );
    // The real one still works, so the refusals are about the guesses.
    assert_eq!(ask(proxy.port, &placeholder, "hi").status, 200);
}

/// The agent's ledger edit, as its user: `DELETE FROM ledger` plus `extra` statements.
fn edit_ledger(setup: &Setup, extra: &str) {
    let db = setup.home().join("usage.db");
    let script = format!(
        "import sqlite3; c = sqlite3.connect({db:?}); c.execute('DELETE FROM ledger'); {extra}; c.commit()",
        db = db.display().to_string()
    );
    let out = setup
        .user(Path::new("/usr/bin/python3"), &["-c", &script], &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "the agent's edit: {}", stderr(&out));
}

#[test]
fn erasing_ledger_rows_as_the_agent_gives_no_budget_back() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    // 5 tokens an answer: three answers, then the budget is spent.
    let placeholder = setup.token_with("capped", &["--budget", "12tok/day"]);
    let proxy = setup.start_proxy();
    let mut served = 0;
    while ask(proxy.port, &placeholder, "hi").status == 200 {
        served += 1;
        assert!(served < 10, "the budget never stopped the agent");
    }
    assert_eq!(served, 3);
    for _ in 0..4 {
        edit_ledger(&setup, "pass");
        std::thread::sleep(Duration::from_millis(1200));
        let r = ask(proxy.port, &placeholder, "hi");
        assert_eq!(r.status, 429, "the erased spend came back: {}", r.body);
    }
    assert_eq!(upstream.seen().len(), served);
    drop(proxy);
    // A malformed row beside the real spend: the restarted proxy keeps its ledger, and so
    // its budget.
    edit_ledger(
        &setup,
        "cols = 'time_ms, kind, token, connector, provider, model, ok, latency_ms, input_tokens, output_tokens'; \
         now = \"strftime('%s','now')*1000\"; \
         c.execute(f\"INSERT INTO ledger({cols}) VALUES ({now}, 'proxy', x'00ff', 'work', 'openai', 'gpt-test', 1, 1, 1, 1)\"); \
         c.execute(f\"INSERT INTO ledger({cols}) VALUES ({now}, 'proxy', 'capped', 'work', 'openai', 'gpt-test', 1, 1, 10, 5)\")",
    );
    let proxy = setup.start_proxy();
    let r = ask(proxy.port, &placeholder, "hi");
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(upstream.seen().len(), served);
}
