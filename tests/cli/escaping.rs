//! The one escaper, per output format: a model name a client chose and a connector's server
//! reply, each carrying an OSC 52 clipboard write, a screen clear, a C1 CSI and a bidi
//! override, reach no table, CSV, JSON document or error message raw.

use serde_json::Value;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, stderr, stdout};

/// OSC 52 (clipboard write), ESC [2J (clear screen), C1 CSI, RIGHT-TO-LEFT OVERRIDE.
const HOSTILE: &str = "gpt\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil";

/// Fails if `text` holds any raw byte of [`HOSTILE`]'s sequences.
fn assert_inert(text: &str, what: &str) {
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(raw),
            "{what}: raw {:?} in:\n{text:?}",
            raw as u32
        );
    }
}

#[test]
fn a_hostile_model_name_is_escaped_in_the_usage_table_csv_and_json() {
    let env = Env::init();
    // A row whose model a client chose (here through the ledger's import of usage.jsonl,
    // a file in the home: the same column the proxy fills from a client's request).
    let row = serde_json::json!({"time": "2026-11-20T05:00:00Z", "kind": "test",
        "connector": "work", "provider": "openai", "model": HOSTILE, "ok": true,
        "latency_ms": 12, "input_tokens": 3, "output_tokens": 1});
    std::fs::write(env.file("usage.jsonl"), format!("{row}\n")).unwrap();
    let since = ["--since", "2026-11-01", "--by", "model"];

    let out = env.cmd(["usage"]).args(since).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&stdout(&out), "table");
    assert!(stdout(&out).contains("\\u{1b}]52"), "{}", stdout(&out));

    let out = env.cmd(["usage", "--csv"]).args(since).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&stdout(&out), "csv");
    assert!(stdout(&out).contains("\\u{202e}evil"), "{}", stdout(&out));

    let out = env.cmd(["usage", "--json"]).args(since).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&stdout(&out), "json");
    // JSON keeps the value exact: escaped as \uXXXX, the same string once parsed.
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["groups"][0]["key"], HOSTILE, "{v}");
    assert!(stdout(&out).contains("\\u202e"), "{}", stdout(&out));
}

#[test]
fn a_hostile_server_reply_is_escaped_in_connector_tables_json_and_errors() {
    let env = Env::init();
    let key = "sk-test-escaping-0123456789abcdef";
    env.add("k", key, &["--provider", "openai"]);
    let body = format!(
        r#"{{"error":{{"message":"{}","type":"invalid_request_error"}}}}"#,
        {
            // JSON escapes for the control characters: the server sends valid JSON.
            serde_json::to_string(HOSTILE)
                .unwrap()
                .trim_matches('"')
                .to_owned()
        }
    );
    let fake = Fake::start(
        Wire::OpenAi,
        Some(key),
        "gpt-test",
        Reply::Fixed(400, vec![], body),
    );
    env.cmd([
        "connector",
        "add",
        "c",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--model",
        "gpt-test",
        "--base-url",
        &fake.base_url(),
    ])
    .assert()
    .success();

    let out = env.cmd(["connector", "test", "c"]).output().unwrap();
    assert!(!out.status.success());
    assert_inert(&stdout(&out), "connector test (table)");
    assert_inert(&stderr(&out), "connector test (stderr)");
    assert!(
        format!("{}{}", stdout(&out), stderr(&out)).contains("\\u{1b}]52"),
        "the reply is shown, escaped: {}{}",
        stdout(&out),
        stderr(&out)
    );

    let out = env
        .cmd(["connector", "test", "c", "--json"])
        .output()
        .unwrap();
    assert_inert(&stdout(&out), "connector test --json");
    assert_inert(&stderr(&out), "connector test --json (stderr)");
    let _: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");

    // An error message rendered by the one error renderer.
    let out = env.cmd(["connector", "models", "c"]).output().unwrap();
    assert_inert(&stdout(&out), "connector models");
    assert_inert(&stderr(&out), "connector models (error)");
    assert!(!format!("{}{}", stdout(&out), stderr(&out)).contains(key));
}
