//! `byok proxy`: the real binary between clients (a tiny HTTP client here, and the official
//! openai and anthropic Python SDKs) and fake upstreams speaking each wire.

use std::net::TcpStream;
use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{
    Env, KEY_A, KEY_B, KEY_C, Mode, Upstream, chat, free_port, home, http, messages, start_proxy,
    status_file, stderr, stdout, stream_text, token,
};

fn two_openai(first: &Upstream, second: &Upstream) -> Env {
    home(
        &[
            (
                "first",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", first.root()),
                "gpt-test",
            ),
            (
                "second",
                "openai-compatible",
                "key_b",
                &format!("{}/v1", second.root()),
                "gpt-test",
            ),
        ],
        "",
    )
}

// ---- tests -----------------------------------------------------------------------------------

#[test]
fn requests_get_the_real_key_upstream_and_the_connector_is_named() {
    let up = Upstream::start("first", Mode::Ok);
    let claude = Upstream::start("claude", Mode::Ok);
    let env = home(
        &[
            (
                "first",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", up.root()),
                "gpt-test",
            ),
            (
                "claude",
                "anthropic",
                "key_c",
                &claude.root(),
                "claude-test",
            ),
        ],
        "[aliases]\nfast = \"gpt-test\"\n",
    );
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let r = chat(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-connector"), Some("first"));
    assert_eq!(
        r.json()["choices"][0]["message"]["content"],
        "Hello from first"
    );
    let seen = up.seen();
    assert_eq!(seen[0].path, "/v1/chat/completions");
    assert_eq!(
        seen[0].header("authorization"),
        Some(&*format!("Bearer {KEY_A}"))
    );
    assert!(
        !seen[0].headers.iter().any(|(_, v)| v.contains(&t)),
        "placeholder forwarded"
    );
    // Streaming, event by event.
    let r = chat(proxy.port, &t, "gpt-test", true);
    assert_eq!(r.status, 200);
    assert_eq!(stream_text(&r.body), "Hello from first");
    assert!(r.body.trim_end().ends_with("data: [DONE]"), "{}", r.body);
    // An alias is rewritten to its model.
    let r = chat(proxy.port, &t, "fast", false);
    assert_eq!(r.status, 200);
    assert_eq!(up.seen().last().unwrap().body["model"], "gpt-test");
    // A scoped token is judged on the model the alias resolves to, never on the alias name
    // (`[aliases]` is unpinned config an agent can edit).
    let by_name = token(&env, "by-alias-name", &["--models", "fast"]);
    let r = chat(proxy.port, &by_name, "fast", false);
    assert_eq!(r.status, 403, "{r:?}");
    let by_model = token(&env, "by-model", &["--models", "gpt-*"]);
    let r = chat(proxy.port, &by_model, "fast", false);
    assert_eq!(r.status, 200, "{r:?}");
    // Anthropic wire: x-api-key injected, both Anthropic auth headers stripped.
    let r = http(
        proxy.port,
        "POST",
        "/v1/messages",
        &[
            ("x-api-key", &t),
            ("authorization", &format!("Bearer {t}")),
            ("anthropic-version", "2023-06-01"),
            ("anthropic-beta", "b1"),
        ],
        Some(
            &json!({"model": "claude-test", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}),
        ),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-byok-connector"), Some("claude"));
    let seen = claude.seen();
    assert_eq!(seen[0].header("x-api-key"), Some(KEY_C));
    assert_eq!(seen[0].header("authorization"), None);
    assert_eq!(seen[0].header("anthropic-beta"), Some("b1"));
    let r = messages(proxy.port, &t, "claude-test", true);
    assert_eq!(stream_text(&r.body), "Hello from claude");
    assert!(r.body.contains("event: message_stop"));
    let r = http(
        proxy.port,
        "POST",
        "/v1/messages/count_tokens",
        &[("x-api-key", &t), ("anthropic-version", "2023-06-01")],
        Some(&json!({"model": "claude-test", "messages": []})),
    );
    assert_eq!(r.json()["input_tokens"], 7);
    // Model lists, per wire, answered by the proxy.
    let r = http(
        proxy.port,
        "GET",
        "/v1/models",
        &[("authorization", &format!("Bearer {t}"))],
        None,
    );
    let ids: Vec<_> = r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    // The client's wire first; the Anthropic model is served through translation.
    assert_eq!(ids, ["gpt-test", "claude-test", "fast"]);
    let r = http(
        proxy.port,
        "GET",
        "/v1/models",
        &[("x-api-key", &t), ("anthropic-version", "2023-06-01")],
        None,
    );
    assert_eq!(r.json()["data"][0]["id"], "claude-test");
    // A model nobody serves.
    let r = chat(proxy.port, &t, "llama", false);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-should-retry"), Some("false"));
}

#[test]
fn model_globs_route_requests() {
    let a = Upstream::start("a", Mode::Ok);
    let b = Upstream::start("b", Mode::Ok);
    let env = home(&[], "");
    std::fs::write(
        env.file("config.toml"),
        format!(
            "[[connector]]\nname = \"a\"\ntype = \"openai-compatible\"\nsecret = \"key_a\"\nbase_url = \"{}/v1\"\nmodels = [\"gpt-4*\"]\n\n\
             [[connector]]\nname = \"b\"\ntype = \"openai-compatible\"\nsecret = \"key_b\"\nbase_url = \"{}/v1\"\nmodels = [\"mistral-*\", \"gpt-*\"]\n",
            a.root(),
            b.root()
        ),
    )
    .unwrap();
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    assert_eq!(
        chat(proxy.port, &t, "gpt-4o", false).header("x-byok-connector"),
        Some("a")
    );
    assert_eq!(
        chat(proxy.port, &t, "gpt-5", false).header("x-byok-connector"),
        Some("b")
    );
    assert_eq!(
        chat(proxy.port, &t, "mistral-small", false).header("x-byok-connector"),
        Some("b")
    );
    assert_eq!(chat(proxy.port, &t, "claude", false).status, 404);
    // The proxy reads each key once per run and audits that read once, not per request.
    let log = std::fs::read_to_string(env.file("audit.jsonl")).unwrap_or_default();
    let reads = log
        .lines()
        .filter(|l| l.contains("\"secret.read\""))
        .count();
    assert_eq!(reads, 2, "one secret.read per connector key: {log}");
}

#[test]
fn fallback_on_429_529_timeout_and_refused() {
    let dead = free_port();
    let cases: Vec<(&str, Option<Mode>)> = vec![
        ("429", Some(Mode::Fail(429, r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#.into(), vec![]))),
        ("529", Some(Mode::Fail(529, r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.into(), vec![]))),
        ("timeout", Some(Mode::Sleep(Duration::from_secs(4)))),
        ("refused", None),
    ];
    for (case, mode) in cases {
        let first = mode.map(|m| Upstream::start("first", m));
        let second = Upstream::start("second", Mode::Ok);
        let first_url = match &first {
            Some(f) => format!("{}/v1", f.root()),
            None => format!("http://127.0.0.1:{dead}/v1"),
        };
        let env = home(
            &[
                (
                    "first",
                    "openai-compatible",
                    "key_a",
                    &first_url,
                    "gpt-test",
                ),
                (
                    "second",
                    "openai-compatible",
                    "key_b",
                    &format!("{}/v1", second.root()),
                    "gpt-test",
                ),
            ],
            "",
        );
        let t = token(&env, "laptop", &[]);
        let proxy = start_proxy(&env, &["--timeout", "1s"]);
        for stream in [false, true] {
            let r = chat(proxy.port, &t, "gpt-test", stream);
            assert_eq!(r.status, 200, "{case}: {r:?}");
            assert_eq!(r.header("x-byok-connector"), Some("second"), "{case}");
        }
        if let Some(f) = &first {
            assert!(
                !f.seen().is_empty(),
                "{case}: the first connector was tried"
            );
        }
        assert_eq!(
            second.seen()[0].header("authorization"),
            Some(&*format!("Bearer {KEY_B}"))
        );
    }
}

#[test]
fn an_invalid_key_cools_the_connector_down() {
    let first = Upstream::start(
        "first",
        Mode::Fail(401, r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#.into(), vec![]),
    );
    let second = Upstream::start("second", Mode::Ok);
    let env = two_openai(&first, &second);
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let r = chat(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.header("x-byok-connector"), Some("second"));
    let r = chat(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.header("x-byok-connector"), Some("second"));
    assert_eq!(first.seen().len(), 1, "skipped during its cooldown");
    thread::sleep(Duration::from_millis(200));
    let out = env.cmd(["proxy", "status", "--json"]).output().unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first_status = &status[0]["connectors"][0];
    assert_eq!(first_status["name"], "first");
    assert_eq!(first_status["reason"], "invalid key");
    assert!(first_status["unhealthy_until"].is_string());
    assert!(status[0]["connectors"][1]["unhealthy_until"].is_null());
    let text = stdout(&env.cmd(["proxy", "status"]).output().unwrap());
    assert!(text.contains("unhealthy (invalid key)"), "{text}");
    let out = env.cmd(["connector", "list"]).output().unwrap();
    assert!(
        stderr(&out).contains("connector 'first' is unhealthy: invalid key until"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_last_failure_is_passed_on_and_not_retried_by_sdks() {
    let only = Upstream::start(
        "only",
        Mode::Fail(400, r#"{"error":{"message":"Unsupported parameter: 'foo'","type":"invalid_request_error"}}"#.into(), vec![]),
    );
    let other = Upstream::start("other", Mode::Ok);
    let env = two_openai(&only, &other);
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let r = chat(proxy.port, &t, "gpt-test", false);
    // A request the provider rejects would fail everywhere: no fallback, its own words.
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Unsupported parameter"), "{}", r.body);
    assert_eq!(r.header("x-should-retry"), Some("false"));
    assert_eq!(r.header("x-byok-connector"), Some("first"));
    assert!(other.seen().is_empty());
}

#[test]
fn a_stream_failing_after_its_first_byte_is_not_retried() {
    let first = Upstream::start("first", Mode::BreakAfterFirst);
    let second = Upstream::start("second", Mode::Ok);
    let env = two_openai(&first, &second);
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let r = chat(proxy.port, &t, "gpt-test", true);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-byok-connector"), Some("first"));
    assert_eq!(stream_text(&r.body), "Hello from ");
    assert!(
        r.body.contains("\"error\""),
        "an error event ends the stream: {}",
        r.body
    );
    assert!(second.seen().is_empty(), "never retried mid-stream");
}

#[test]
fn revoked_expired_and_glob_denied_tokens_are_refused() {
    let up = Upstream::start("first", Mode::Ok);
    let claude = Upstream::start("claude", Mode::Ok);
    let env = home(
        &[
            (
                "first",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", up.root()),
                "gpt-test",
            ),
            (
                "claude",
                "anthropic",
                "key_c",
                &claude.root(),
                "claude-test",
            ),
        ],
        "",
    );
    let keep = token(&env, "keep", &[]);
    let gone = token(&env, "gone", &[]);
    let short = token(&env, "short", &["--expires", "1s"]);
    let gpt_only = token(&env, "gpt-only", &["--models", "gpt-*"]);
    let proxy = start_proxy(&env, &[]);
    assert_eq!(chat(proxy.port, &gone, "gpt-test", false).status, 200);
    env.cmd(["proxy", "token", "revoke", "gone"])
        .assert()
        .success();
    // The running proxy sees the revocation at once.
    let r = chat(proxy.port, &gone, "gpt-test", false);
    assert_eq!(r.status, 401, "{r:?}");
    assert_eq!(r.json()["error"]["type"], "authentication_error");
    let r = messages(proxy.port, &gone, "claude-test", false);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["type"], "error");
    thread::sleep(Duration::from_millis(1100));
    let r = chat(proxy.port, &short, "gpt-test", false);
    assert_eq!(r.status, 401);
    assert!(r.body.contains("expired"), "{}", r.body);
    assert_eq!(chat(proxy.port, &gpt_only, "gpt-test", false).status, 200);
    let r = messages(proxy.port, &gpt_only, "claude-test", false);
    assert_eq!(r.status, 403, "{r:?}");
    assert_eq!(
        chat(proxy.port, "sk-ant-byok01-unknown", "gpt-test", false).status,
        401
    );
    assert_eq!(
        chat(proxy.port, KEY_A, "gpt-test", false).status,
        401,
        "a real key is no token"
    );
    assert_eq!(chat(proxy.port, &keep, "gpt-test", false).status, 200);
    // Nothing but the allowed requests reached the upstream.
    assert_eq!(up.seen().len(), 3);
    // Listing shows names, never values or hashes.
    let list = stdout(
        &env.cmd(["proxy", "token", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert!(
        list.contains("\"keep\"") && !list.contains("\"gone\""),
        "{list}"
    );
    assert!(
        !list.contains(&keep[14..]) && !list.contains("sha256"),
        "{list}"
    );
    let file = std::fs::read(env.file("proxy-tokens.age")).unwrap();
    assert!(memchr::memmem::find(&file, keep.as_bytes()).is_none());
    assert!(
        memchr::memmem::find(&file, b"keep").is_none(),
        "the token file is encrypted"
    );
    env.cmd(["proxy", "token", "revoke", "nope"])
        .assert()
        .code(3);
    env.cmd(["proxy", "token", "create", "keep"])
        .assert()
        .code(1);
}

#[test]
fn origin_and_foreign_hosts_are_refused() {
    let up = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&up);
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let auth = format!("Bearer {t}");
    let body = json!({"model": "gpt-test", "messages": []});
    let r = http(
        proxy.port,
        "POST",
        "/v1/chat/completions",
        &[
            ("authorization", &auth),
            ("origin", "http://127.0.0.1:3000"),
        ],
        Some(&body),
    );
    assert_eq!(r.status, 403);
    let r = http(
        proxy.port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &auth), ("host", "attacker.test:8787")],
        Some(&body),
    );
    assert_eq!(r.status, 403);
    let r = http(
        proxy.port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &auth), ("host", "localhost")],
        Some(&body),
    );
    assert_eq!(r.status, 200);
    assert_eq!(up.seen().len(), 1);
}

#[test]
fn keys_echoed_in_headers_bodies_and_split_deltas_are_concealed() {
    let up = Upstream::start("first", Mode::Echo);
    let claude = Upstream::start("claude", Mode::Echo);
    let env = home(
        &[
            (
                "first",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", up.root()),
                "gpt-test",
            ),
            (
                "claude",
                "anthropic",
                "key_c",
                &claude.root(),
                "claude-test",
            ),
        ],
        "",
    );
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy(&env, &[]);
    let mask = "<concealed by byok>";
    for (r, key) in [
        (chat(proxy.port, &t, "gpt-test", false), KEY_A),
        (chat(proxy.port, &t, "gpt-test", true), KEY_A),
        (messages(proxy.port, &t, "claude-test", false), KEY_C),
        (messages(proxy.port, &t, "claude-test", true), KEY_C),
    ] {
        assert_eq!(r.status, 200);
        let everything = format!("{:?}{}", r.headers, r.body);
        assert!(
            !everything.contains(&key[5..]),
            "a key fragment leaked: {everything}"
        );
        assert_eq!(r.header("x-echo"), Some(mask));
        if r.body.contains("data: ") {
            assert_eq!(
                stream_text(&r.body),
                format!("key {mask} end"),
                "{}",
                r.body
            );
        } else {
            assert!(r.body.contains(&format!("key {mask} end")), "{}", r.body);
        }
    }
}

#[test]
fn a_second_proxy_on_the_same_address_is_refused() {
    let up = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&up);
    let proxy = start_proxy(&env, &[]);
    let out = env
        .cmd(["proxy", "--listen", &format!("127.0.0.1:{}", proxy.port)])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already running"), "{}", stderr(&out));
    env.cmd(["proxy", "--listen", "0.0.0.0:8787"])
        .assert()
        .code(2);
}

#[test]
fn the_configured_listen_address_is_the_default_and_is_checked() {
    let env = home(&[], "");
    // `proxy stop` with no --listen looks at the configured address, not 127.0.0.1:8787.
    let port = env.proxy_on_free_port();
    let out = env.cmd(["proxy", "stop"]).output().unwrap();
    assert!(
        stderr(&out).contains(&format!("127.0.0.1:{port}")),
        "{}",
        stderr(&out)
    );
    std::fs::write(
        env.file("config.toml"),
        "[proxy]\nlisten = \"0.0.0.0:8787\"\n",
    )
    .unwrap();
    for args in [&["proxy", "stop"][..], &["proxy", "--background"][..]] {
        let out = env.cmd(args).output().unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains("`listen` under [proxy]"), "{err}");
        assert!(err.contains("not a loopback address"), "{err}");
    }
    std::fs::write(env.file("config.toml"), "[proxy]\nlisten = 8787\n").unwrap();
    let err = stderr(&env.cmd(["proxy", "stop"]).output().unwrap());
    assert!(err.contains("must be a string"), "{err}");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let up = Upstream::start("first", Mode::Sleep(Duration::from_millis(1200)));
    let env = crate::harness::first_home(&up);
    let t = token(&env, "laptop", &[]);
    let mut proxy = start_proxy(&env, &[]);
    let port = proxy.port;
    let client = thread::spawn(move || chat(port, &t, "gpt-test", false));
    while up.seen().is_empty() {
        thread::sleep(Duration::from_millis(10));
    }
    proxy.sigterm();
    let r = client.join().unwrap();
    assert_eq!(r.status, 200, "{r:?}");
    let out = proxy.wait();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!status_file(&env, port).exists());
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no longer listening"
    );
}

#[test]
fn background_status_and_stop() {
    let up = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&up);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let out = env
        .cmd(["proxy", "--background", "--listen", &listen])
        .timeout(Duration::from_secs(40))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), format!("http://{listen}"));
    let t = token(&env, "laptop", &[]);
    assert_eq!(chat(port, &t, "gpt-test", false).status, 200);
    let status: Value = serde_json::from_slice(
        &env.cmd(["proxy", "status", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(status[0]["listen"], listen);
    env.cmd(["proxy", "stop", "--listen", &listen])
        .timeout(Duration::from_secs(40))
        .assert()
        .success();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    env.cmd(["proxy", "status", "--listen", &listen])
        .assert()
        .code(3);
}

// ---- the official SDKs ---------------------------------------------------------------------------

/// The venv with the `openai` and `anthropic` packages that .ci/run prepares.
pub(crate) fn sdk_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-openai/bin/python");
    let works = std::process::Command::new(&python)
        .args(["-c", "import openai, anthropic"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the SDK venv is missing and CI=true: .ci/run must install openai and anthropic into target/py-openai"
        );
    }
    eprintln!(
        "\n!!! SKIPPED: no target/py-openai venv with openai and anthropic (run .ci/run once) !!!\n"
    );
    None
}

const SDK_SCRIPT: &str = r#"
import os, openai, anthropic
o = openai.OpenAI(max_retries=0)
r = o.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hi"}])
print("openai:", r.choices[0].message.content)
s = o.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hi"}], stream=True)
print("openai-stream:", "".join(c.choices[0].delta.content or "" for c in s if c.choices))
if os.environ.get("ANTHROPIC_BASE_URL"):
    a = anthropic.Anthropic(max_retries=0)
    m = a.messages.create(model="claude-test", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    print("anthropic:", m.content[0].text)
    with a.messages.stream(model="claude-test", max_tokens=16, messages=[{"role": "user", "content": "hi"}]) as st:
        print("anthropic-stream:", "".join(st.text_stream))
    print("tokens:", a.messages.count_tokens(model="claude-test", messages=[{"role": "user", "content": "hi"}]).input_tokens)
    try:
        anthropic.Anthropic(max_retries=0, api_key="sk-ant-byok01-" + "x" * 43).messages.create(
            model="claude-test", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    except anthropic.AuthenticationError:
        print("anthropic-401: AuthenticationError")
print("key-is-placeholder:", os.environ["OPENAI_API_KEY"].startswith("sk-ant-byok01-"))
"#;

#[test]
fn the_official_sdks_work_through_the_proxy_with_a_placeholder() {
    let Some(python) = sdk_python() else {
        return;
    };
    let up = Upstream::start("first", Mode::Ok);
    let claude = Upstream::start("claude", Mode::Ok);
    let env = home(
        &[
            (
                "first",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", up.root()),
                "gpt-test",
            ),
            (
                "claude",
                "anthropic",
                "key_c",
                &claude.root(),
                "claude-test",
            ),
        ],
        "",
    );
    let t = token(&env, "sdk", &[]);
    let proxy = start_proxy(&env, &[]);
    let root = format!("http://127.0.0.1:{}", proxy.port);
    let out = env
        .program(python.to_str().unwrap())
        .args(["-c", SDK_SCRIPT])
        .env("OPENAI_BASE_URL", format!("{root}/v1"))
        .env("OPENAI_API_KEY", &t)
        .env("ANTHROPIC_BASE_URL", &root)
        .env("ANTHROPIC_API_KEY", &t)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for line in [
        "openai: Hello from first",
        "openai-stream: Hello from first",
        "anthropic: Hello from claude",
        "anthropic-stream: Hello from claude",
        "tokens: 7",
        "anthropic-401: AuthenticationError",
        "key-is-placeholder: True",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(
        up.seen()
            .iter()
            .all(|s| s.header("authorization") == Some(&*format!("Bearer {KEY_A}")))
    );
    assert!(
        claude
            .seen()
            .iter()
            .all(|s| s.header("x-api-key") == Some(KEY_C))
    );
    assert!(!text.contains(KEY_A) && !text.contains(KEY_C));
}

#[test]
fn exec_via_proxy_runs_the_openai_sdk_with_a_placeholder() {
    let Some(python) = sdk_python() else {
        return;
    };
    let up = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&up);
    // Its own address: parallel tests and a proxy already on 127.0.0.1:8787 never meet.
    env.proxy_on_free_port();
    let out = env
        .cmd(["exec", "--via-proxy", "first", "--"])
        .arg(&python)
        .args(["-c", SDK_SCRIPT])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = stdout(&out);
    // The proxy started for the command stopped with it.
    let stopped = env.cmd(["proxy", "status", "--json"]).output().unwrap();
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("openai: Hello from first"), "{text}");
    assert!(text.contains("openai-stream: Hello from first"), "{text}");
    assert!(text.contains("key-is-placeholder: True"), "{text}");
    assert!(
        !text.contains("anthropic:"),
        "only the target's wire is set up: {text}"
    );
    assert_eq!(
        up.seen()[0].header("authorization"),
        Some(&*format!("Bearer {KEY_A}"))
    );
    // The run's placeholder was revoked when the command exited.
    let list = stdout(
        &env.cmd(["proxy", "token", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(list.trim(), "[]", "{list}");
    assert_eq!(stdout(&stopped).trim(), "[]", "{}", stdout(&stopped));
}

/// Attack: the upstream ignores `accept-encoding: identity` and answers gzip-compressed,
/// echoing the key inside (a success body and an error body). An SDK would decompress it
/// and read the key; byok never passes such a body on (502, the key in no form).
#[test]
fn a_compressed_answer_is_never_passed_on() {
    use crate::harness::gzip;
    fn answer(status: &str, out: &mut TcpStream) {
        let body = gzip(&format!(
            r#"{{"error":{{"message":"Incorrect API key provided: {KEY_A}"}},"choices":[{{"message":{{"role":"assistant","content":"{KEY_A}"}}}}]}}"#
        ));
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = std::io::Write::write_all(out, head.as_bytes());
        let _ = std::io::Write::write_all(out, &body);
    }
    fn ok(_: &str, _: &str, _: &Value, out: &mut TcpStream) {
        answer("200 OK", out);
    }
    fn refused(_: &str, _: &str, _: &Value, out: &mut TcpStream) {
        answer("401 Unauthorized", out);
    }
    for fake in [ok as crate::harness::WireFake, refused] {
        let up = Upstream::start("first", Mode::Wire(fake));
        let env = crate::harness::first_home(&up);
        let t = token(&env, "laptop", &[]);
        let proxy = start_proxy(&env, &[]);
        let r = chat(proxy.port, &t, "gpt-test", false);
        assert_eq!(r.status, 502, "{}", r.body);
        assert_eq!(r.header("content-encoding"), None);
        assert!(r.body.contains("content-encoding `gzip`"), "{}", r.body);
        let gzipped = gzip(KEY_A);
        let raw = format!("{:?}{}", r.headers, r.body);
        assert!(!raw.contains(&KEY_A[8..]), "{raw}");
        assert!(!raw.contains(&String::from_utf8_lossy(&gzipped[10..20]).to_string()));
        assert_eq!(up.seen().len(), 1, "asked once");
        assert_eq!(
            up.seen()[0].header("accept-encoding"),
            Some("identity"),
            "byok asks for identity"
        );
    }
}

/// A connector added without `--model` (the Quickstart's) serves its type's default model,
/// the one `connector list` shows; a connector that can serve nothing is a start-up warning
/// naming the fix.
#[test]
fn a_connector_without_a_model_serves_its_types_default() {
    let up = Upstream::start("oa", Mode::Ok);
    let base = format!("{}/v1", up.root());
    let env = home(
        &[
            ("quick", "openai", "key_a", &base, ""),
            ("bare", "openai-compatible", "key_b", &base, ""),
        ],
        "",
    );
    let t = token(&env, "t", &[]);
    let mut proxy = start_proxy(&env, &[]);
    let auth = format!("Bearer {t}");
    let models = http(
        proxy.port,
        "GET",
        "/v1/models",
        &[("authorization", &auth)],
        None,
    );
    assert!(models.body.contains("\"gpt-4.1-nano\""), "{}", models.body);
    let r = chat(proxy.port, &t, "gpt-4.1-nano", false);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        up.seen()[0].header("authorization"),
        Some(format!("Bearer {KEY_A}").as_str())
    );
    proxy.sigterm();
    let log = stderr(&proxy.wait());
    assert!(
        log.contains("connector 'bare' serves no model")
            && log.contains("byok connector edit bare --model M"),
        "{log}"
    );
    assert!(!log.contains("'quick' serves no model"), "{log}");
}

/// One proxy a home can find: started on a port of its own, `status`, `exec --via-proxy`
/// and `stop` find it without being told where; exec reuses it (no second proxy), and a
/// proxy exec starts itself is announced and stopped with the command.
#[test]
fn the_homes_proxy_is_found_wherever_it_listens() {
    let up = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&up);
    let mut proxy = start_proxy(&env, &[]);
    let status = stdout(&env.cmd(["proxy", "status", "--json"]).output().unwrap());
    assert!(
        status.contains(&format!("127.0.0.1:{}", proxy.port)),
        "{status}"
    );
    // exec finds it: its variables point there, and no second proxy starts.
    let out = env
        .cmd([
            "exec",
            "--via-proxy",
            "first",
            "--",
            "sh",
            "-c",
            "echo $OPENAI_BASE_URL",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("http://127.0.0.1:{}/v1", proxy.port)
    );
    assert!(
        !stderr(&out).contains("started a byok proxy"),
        "{}",
        stderr(&out)
    );
    let list: Value = serde_json::from_str(&stdout(
        &env.cmd(["proxy", "status", "--json"]).output().unwrap(),
    ))
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    // stop finds it too.
    let stop = env
        .cmd(["proxy", "stop"])
        .timeout(Duration::from_secs(40))
        .output()
        .unwrap();
    assert!(stop.status.success(), "{}", stderr(&stop));
    let _ = proxy.wait();
    let again = env.cmd(["proxy", "stop"]).output().unwrap();
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("no byok proxy is running"),
        "{}",
        stderr(&again)
    );

    // With none running, exec starts one where asked, says so, and stops it at the end.
    let port = crate::harness::free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    let out = env
        .cmd([
            "exec",
            "--via-proxy",
            "--listen",
            &listen,
            "first",
            "--",
            "true",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "started a byok proxy on http://{listen} for this command"
        )) && stderr(&out).contains("it stops when the command ends"),
        "{}",
        stderr(&out)
    );
    let status = stdout(&env.cmd(["proxy", "status", "--json"]).output().unwrap());
    assert_eq!(status.trim(), "[]");
    // --keep-proxy leaves it running.
    let out = env
        .cmd([
            "exec",
            "--via-proxy",
            "--listen",
            &listen,
            "--keep-proxy",
            "first",
            "--",
            "true",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let status = stdout(&env.cmd(["proxy", "status", "--json"]).output().unwrap());
    assert!(status.contains(&listen), "{status}");
    let stop = env
        .cmd(["proxy", "stop"])
        .timeout(Duration::from_secs(40))
        .output()
        .unwrap();
    assert!(stop.status.success(), "{}", stderr(&stop));
}

/// `byok proxy reload`: a connector added while the proxy runs is routed after a reload
/// (the add says so), `status` shows the new order; an invalid config.toml keeps the old
/// routing and says why.
#[test]
fn a_reload_routes_with_the_new_connectors_and_an_invalid_config_keeps_the_old() {
    let first = Upstream::start("first", Mode::Ok);
    let second = Upstream::start("second", Mode::Ok);
    let env = crate::harness::first_home(&first);
    let t = token(&env, "t", &[]);
    let proxy = start_proxy(&env, &[]);
    assert_eq!(chat(proxy.port, &t, "gpt-other", false).status, 404);
    let add = env
        .cmd([
            "connector",
            "add",
            "second",
            "--type",
            "openai-compatible",
            "--secret",
            "key_b",
            "--base-url",
            &format!("{}/v1", second.root()),
            "--model",
            "gpt-other",
        ])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(
        stderr(&add).contains(&format!(
            "run `byok proxy reload --listen 127.0.0.1:{}`",
            proxy.port
        )),
        "{}",
        stderr(&add)
    );
    let reload = env.cmd(["proxy", "reload"]).output().unwrap();
    assert!(reload.status.success(), "{}", stderr(&reload));
    assert!(
        stderr(&reload).contains("connectors in order: first, second"),
        "{}",
        stderr(&reload)
    );
    let r = chat(proxy.port, &t, "gpt-other", false);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        second.seen()[0].header("authorization"),
        Some(format!("Bearer {KEY_B}").as_str())
    );
    // An invalid config: the reload is refused, the old routing serves on.
    let path = env.file("config.toml");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{good}\n[[connector]]\nname = 3\n")).unwrap();
    let reload = env.cmd(["proxy", "reload"]).output().unwrap();
    assert!(!reload.status.success());
    assert!(
        stderr(&reload).contains("kept its previous config"),
        "{}",
        stderr(&reload)
    );
    let status = stdout(&env.cmd(["proxy", "status"]).output().unwrap());
    assert!(
        status.contains("REFUSED, still serving the previous config"),
        "{status}"
    );
    assert_eq!(chat(proxy.port, &t, "gpt-other", false).status, 200);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 200);
}

/// `proxy --background` on a port another program holds: the error once, with the fix for a
/// taken address (not the passphrase hint of a proxy that cannot unlock).
#[test]
fn a_background_proxy_on_a_taken_port_says_so_once() {
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            "http://127.0.0.1:9/v1",
            "gpt-test",
        )],
        "",
    );
    let squatter = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let listen = squatter.local_addr().unwrap().to_string();
    let out = env
        .cmd(["proxy", "--background", "--listen", &listen])
        .timeout(Duration::from_secs(40))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(err.matches("cannot listen on").count(), 1, "{err}");
    assert!(err.contains("another program holds this address"), "{err}");
    assert!(!err.contains("passphrase"), "{err}");
    drop(squatter);
}
