//! The README's "AI coding tools" recipes, run with the real tools (Claude Code, Codex CLI,
//! installed by .ci/run into target/npm-tools) against a fake provider on loopback: the key
//! byok holds is what reaches the provider, and no key is written into the tools' configs.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use crate::harness::{Env, Mode, Upstream, stderr, stdout};

const ANT_KEY: &str = "sk-ant-test-claudecode-0123456789";
const OAI_KEY: &str = "sk-test-codex-0123456789abcdef";

/// A tool from target/npm-tools, or `None` with a loud skip (a failure under CI=true).
fn npm_tool(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/npm-tools/node_modules/.bin")
        .join(name);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{name} is not in target/npm-tools, and CI=true: .ci/run must install it");
    }
    eprintln!("\n!!! SKIPPED: {name} is not in target/npm-tools (.ci/run installs it) !!!\n");
    None
}

/// The harness upstream as an Anthropic Messages + OpenAI Responses server (streaming
/// answers; an empty model list for anything else).
fn fake_server() -> Upstream {
    Upstream::start("coding", Mode::Wire(coding_wire))
}

fn coding_wire(_name: &str, path: &str, _body: &serde_json::Value, out: &mut TcpStream) {
    if path.ends_with("/chat/completions") {
        let mut text = String::from(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
        );
        for chunk in chat_chunks() {
            text.push_str(&format!("data: {chunk}\n\n"));
        }
        text.push_str("data: [DONE]\n\n");
        let _ = out.write_all(text.as_bytes());
        return;
    }
    let events: Vec<serde_json::Value> = if path.contains("/messages") {
        anthropic_events()
    } else if path.ends_with("/responses") {
        responses_events()
    } else {
        let _ = out.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 29\r\nconnection: close\r\n\r\n{\"data\":[],\"has_more\":false}",
        );
        return;
    };
    let mut text = String::from(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
    );
    for event in events {
        text.push_str(&format!(
            "event: {}\ndata: {event}\n\n",
            event["type"].as_str().unwrap()
        ));
    }
    let _ = out.write_all(text.as_bytes());
}

fn anthropic_events() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":0}}}),
        json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"FAKE-OK"}}),
        json!({"type":"content_block_stop","index":0}),
        json!({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}),
        json!({"type":"message_stop"}),
    ]
}

fn chat_chunks() -> Vec<serde_json::Value> {
    use serde_json::json;
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| json!({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":[{"index":0,"delta":delta,"finish_reason":finish}]});
    vec![
        chunk(json!({"role":"assistant","content":""}), json!(null)),
        chunk(json!({"content":"FAKE-OK"}), json!(null)),
        chunk(json!({}), json!("stop")),
        json!({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}),
    ]
}

fn responses_events() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!({"type":"response.created","response":{"id":"resp_1"}}),
        json!({"type":"response.output_item.done","item":{"type":"message","role":"assistant","id":"msg_1","content":[{"type":"output_text","text":"FAKE-OK"}]}}),
        json!({"type":"response.completed","response":{"id":"resp_1","usage":{"input_tokens":1,"input_tokens_details":null,"output_tokens":1,"output_tokens_details":null,"total_tokens":2}}}),
    ]
}

/// PATH with byok's directory first (the recipes call `byok` by name).
fn path_with_byok() -> std::ffi::OsString {
    let bin = crate::harness::byok_bin();
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// No update checks, telemetry or other traffic: the fake is the only server.
fn quiet(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("PATH", path_with_byok())
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .env("DISABLE_TELEMETRY", "1")
        .env("DISABLE_AUTOUPDATER", "1")
        .stdin(std::process::Stdio::null())
}

#[test]
fn claude_code_gets_its_key_from_an_api_key_helper_and_from_exec() {
    let Some(claude) = npm_tool("claude") else {
        return;
    };
    let env = Env::init();
    env.add("claude_key", ANT_KEY, &["--provider", "anthropic"]);
    let upstream = fake_server();
    let root = upstream.root();
    let settings = env.dir.path().join(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(
        &settings,
        r#"{ "apiKeyHelper": "byok secret get claude_key" }"#,
    )
    .unwrap();

    // apiKeyHelper: Claude Code runs byok for the key.
    let out = quiet(
        env.program(claude.to_str().unwrap())
            .env("ANTHROPIC_BASE_URL", &root),
    )
    .args(["-p", "say hi", "--model", "claude-haiku-4-5"])
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("FAKE-OK"), "{}", stdout(&out));
    let requests = upstream.seen();
    let message = requests
        .iter()
        .find(|s| s.path.starts_with("/v1/messages"))
        .expect("a request");
    assert_eq!(message.header("x-api-key"), Some(ANT_KEY), "{requests:?}");

    // exec: the connector's key and base URL in the environment, no helper configured.
    std::fs::write(&settings, "{}").unwrap();
    let before = upstream.seen().len();
    env.cmd([
        "connector",
        "add",
        "claude",
        "--type",
        "anthropic",
        "--secret",
        "claude_key",
        "--base-url",
        &root,
    ])
    .assert()
    .success();
    let mut cmd = env.program(crate::harness::byok_bin().to_str().unwrap());
    let out = quiet(cmd.args(["exec", "claude", "--"]).arg(&claude))
        .args(["-p", "say hi", "--model", "claude-haiku-4-5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = upstream.seen().split_off(before);
    assert!(
        requests
            .iter()
            .any(|s| s.path.starts_with("/v1/messages") && s.header("x-api-key") == Some(ANT_KEY)),
        "{requests:?}"
    );
    // Nothing byok handed over was written into Claude Code's own files.
    for entry in walk(&env.dir.path().join(".claude")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(!text.contains(ANT_KEY), "{} holds the key", entry.display());
    }
}

#[test]
fn codex_gets_its_key_from_exec_through_a_custom_provider() {
    let Some(codex) = npm_tool("codex") else {
        return;
    };
    let env = Env::init();
    env.add("work_key", OAI_KEY, &["--provider", "openai"]);
    let upstream = fake_server();
    let root = upstream.root();
    let config = env.dir.path().join(".codex/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!(
            "model = \"gpt-5-codex\"\nmodel_provider = \"byok\"\n\n[model_providers.byok]\nname = \"byok\"\n\
             base_url = \"{root}/v1\"\nenv_key = \"OPENAI_API_KEY\"\nwire_api = \"responses\"\n"
        ),
    )
    .unwrap();
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let mut cmd = env.program(crate::harness::byok_bin().to_str().unwrap());
    let out = quiet(
        cmd.current_dir(&project)
            .args(["exec", "work_key", "--"])
            .arg(&codex),
    )
    .args(["exec", "--skip-git-repo-check", "say hi"])
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("FAKE-OK"), "{}", stdout(&out));
    let requests = upstream.seen();
    let expected = format!("Bearer {OAI_KEY}");
    assert!(
        requests
            .iter()
            .any(|s| s.path == "/v1/responses"
                && s.header("authorization") == Some(expected.as_str())),
        "{requests:?}"
    );
    for entry in walk(&env.dir.path().join(".codex")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(!text.contains(OAI_KEY), "{} holds the key", entry.display());
    }
}

/// A byok home whose proxy serves `models` from a connector of `kind` at the fake, and a
/// placeholder for it.
fn proxied(kind: &str, base: &str, models: &str) -> (Env, crate::harness::Proxy, String) {
    let key = if kind == "anthropic" {
        "key_c"
    } else {
        "key_a"
    };
    let env = crate::harness::home(
        &[],
        &format!(
            "[[connector]]\nname = \"far\"\ntype = \"{kind}\"\nsecret = \"{key}\"\n\
             base_url = \"{base}\"\nmodels = [\"{models}\"]\n"
        ),
    );
    let token = crate::harness::token(&env, "tool", &[]);
    let proxy = crate::harness::start_proxy(&env, &[]);
    (env, proxy, token)
}

/// Claude Code with its defaults (thinking on, `context_management` sent) through the proxy
/// to an OpenAI chat connector: translated, `context_management` dropped with a note.
#[test]
fn claude_code_through_the_proxy_gets_an_answer_from_an_openai_chat_connector() {
    let Some(claude) = npm_tool("claude") else {
        return;
    };
    let upstream = fake_server();
    let (env, proxy, token) = proxied(
        "openai-compatible",
        &format!("{}/v1", upstream.root()),
        "claude-*",
    );
    let out = quiet(
        env.program(claude.to_str().unwrap())
            .env(
                "ANTHROPIC_BASE_URL",
                format!("http://127.0.0.1:{}", proxy.port),
            )
            .env("ANTHROPIC_API_KEY", &token),
    )
    .args(["-p", "say hi", "--model", "claude-sonnet-4-5"])
    .output()
    .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("FAKE-OK"), "{}", stdout(&out));
    let chat: Vec<_> = upstream
        .seen()
        .into_iter()
        .filter(|s| s.path.ends_with("/chat/completions"))
        .collect();
    assert!(!chat.is_empty(), "no chat request reached the connector");
    assert!(
        chat.iter()
            .all(|s| s.body.get("context_management").is_none())
    );
    assert_eq!(
        chat[0].header("authorization"),
        Some(format!("Bearer {}", crate::harness::KEY_A).as_str())
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
