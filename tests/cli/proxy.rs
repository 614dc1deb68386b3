//! `byok proxy`: the real binary between clients (a tiny HTTP client here, and the official
//! openai and anthropic Python SDKs) and fake upstreams speaking each wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{Env, byok_bin, free_port, stderr, stdout};

pub(crate) const KEY_A: &str = "sk-test-proxy-first-0123456789abcdef";
pub(crate) const KEY_B: &str = "sk-test-proxy-second-0123456789abcdef";
pub(crate) const KEY_C: &str = "sk-ant-test-proxy-third-0123456789abcdef";

// ---- a fake upstream ---------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) enum Mode {
    Ok,
    Fail(u16, String, Vec<(String, String)>),
    Sleep(Duration),
    Echo,
    BreakAfterFirst,
    /// Answers with this function (tests/cli/translate_proxy.rs: richer wire fakes).
    Wire(WireFake),
}

/// A fake's answer: connector name, path, request body, the connection to write to.
pub(crate) type WireFake = fn(&str, &str, &Value, &mut TcpStream);

#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Value,
}

impl Seen {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) struct Upstream {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Upstream {
    pub(crate) fn start(name: &'static str, mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(Mutex::new(mode));
        let (s, m) = (Arc::clone(&seen), Arc::clone(&mode));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (s, m) = (Arc::clone(&s), Arc::clone(&m));
                thread::spawn(move || serve(name, stream, &s, &m));
            }
        });
        Upstream { port, seen }
    }

    pub(crate) fn root(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Path, lower-case headers, body.
type RawRequest = (String, Vec<(String, String)>, Vec<u8>);

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<RawRequest> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        reader.read_line(&mut l).ok()?;
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((path, headers, body))
}

pub(crate) fn chunk(out: &mut TcpStream, data: &str) -> std::io::Result<()> {
    write!(out, "{:x}\r\n{data}\r\n", data.len())?;
    out.flush()
}

fn serve(name: &str, stream: TcpStream, seen: &Mutex<Vec<Seen>>, mode: &Mutex<Mode>) {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let Some((path, headers, body)) = read_request(&mut reader) else {
        return;
    };
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let entry = Seen {
        path: path.clone(),
        headers: headers.clone(),
        body: body.clone(),
    };
    seen.lock().unwrap().push(entry.clone());
    let mode = mode.lock().unwrap().clone();
    if let Mode::Wire(answer) = mode {
        answer(name, &path, &body, &mut out);
        return;
    }
    let key = entry
        .header("x-api-key")
        .map(str::to_owned)
        .or_else(|| {
            entry
                .header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let model = body["model"].as_str().unwrap_or("m").to_owned();
    let anthropic = path.contains("/messages");
    match &mode {
        Mode::Fail(status, text, extra) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                text.len()
            );
            for (k, v) in extra {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            let _ = write!(out, "{head}\r\n{text}");
            return;
        }
        Mode::Sleep(d) => thread::sleep(*d),
        _ => {}
    }
    let echo = matches!(mode, Mode::Echo);
    let text = if echo {
        format!("key {key} end")
    } else {
        format!("Hello from {name}")
    };
    let pieces: Vec<String> = if echo {
        vec![
            "key ".into(),
            key[..5].into(),
            key[5..12].into(),
            key[12..].into(),
            " end".into(),
        ]
    } else {
        vec!["Hello ".into(), "from ".into(), name.into()]
    };
    let echo_header = if echo {
        format!("x-echo: {key}\r\n")
    } else {
        String::new()
    };
    if path.ends_with("/count_tokens") {
        let b = json!({"input_tokens": 7}).to_string();
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}",
            b.len()
        );
        return;
    }
    if body["stream"] == json!(true) {
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n{echo_header}connection: close\r\n\r\n"
        );
        let mut events: Vec<String> = Vec::new();
        if anthropic {
            events.push(format!("event: message_start\ndata: {}\n\n", json!({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":model,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}})));
            events.push(format!("event: content_block_start\ndata: {}\n\n", json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})));
            for p in &pieces {
                events.push(format!("event: content_block_delta\ndata: {}\n\n", json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":p}})));
            }
            events.push(format!(
                "event: content_block_stop\ndata: {}\n\n",
                json!({"type":"content_block_stop","index":0})
            ));
            events.push(format!("event: message_delta\ndata: {}\n\n", json!({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}})));
            events.push(format!(
                "event: message_stop\ndata: {}\n\n",
                json!({"type":"message_stop"})
            ));
        } else {
            for p in &pieces {
                events.push(format!("data: {}\n\n", json!({"id":"c1","object":"chat.completion.chunk","created":1,"model":model,"choices":[{"index":0,"delta":{"content":p},"finish_reason":null}]})));
            }
            events.push(format!("data: {}\n\n", json!({"id":"c1","object":"chat.completion.chunk","created":1,"model":model,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})));
            if body["stream_options"]["include_usage"] == json!(true) {
                events.push(format!("data: {}\n\n", json!({"id":"c1","object":"chat.completion.chunk","created":1,"model":model,"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}})));
            }
            events.push("data: [DONE]\n\n".into());
        }
        for (i, e) in events.iter().enumerate() {
            if chunk(&mut out, e).is_err() {
                return;
            }
            if matches!(mode, Mode::BreakAfterFirst) && i == 1 {
                // Drop the connection mid-body: the chunked body never ends.
                let _ = out.shutdown(std::net::Shutdown::Both);
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = write!(out, "0\r\n\r\n");
        return;
    }
    let b = if anthropic {
        json!({"id":"msg_1","type":"message","role":"assistant","model":model,
            "content":[{"type":"text","text":text}],"stop_reason":"end_turn","stop_sequence":null,
            "usage":{"input_tokens":3,"output_tokens":2}})
    } else {
        json!({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":model,
            "choices":[{"index":0,"message":{"role":"assistant","content":text},"finish_reason":"stop","logprobs":null}],
            "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})
    }
    .to_string();
    let _ = write!(
        out,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{echo_header}connection: close\r\n\r\n{b}",
        b.len()
    );
}

// ---- a tiny client --------------------------------------------------------------------------

#[derive(Debug)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

pub(crate) fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("content-type: application/json\r\n\r\n");
    req.push_str(&body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = memchr::memmem::find(&raw, b"\r\n\r\n").expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        let mut out = Vec::new();
        while let Some(end) = memchr::memmem::find(rest, b"\r\n") {
            let n = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16)
                .unwrap_or(0);
            if n == 0 || rest.len() < end + 2 + n {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + n]);
            rest = &rest[(end + 4 + n).min(rest.len())..];
        }
        out
    } else {
        rest.to_vec()
    };
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

pub(crate) fn chat(port: u16, token: &str, model: &str, stream: bool) -> Resp {
    http(
        port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &format!("Bearer {token}"))],
        Some(
            &json!({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]}),
        ),
    )
}

pub(crate) fn messages(port: u16, token: &str, model: &str, stream: bool) -> Resp {
    http(
        port,
        "POST",
        "/v1/messages",
        &[("x-api-key", token), ("anthropic-version", "2023-06-01")],
        Some(
            &json!({"model": model, "max_tokens": 16, "stream": stream, "messages": [{"role": "user", "content": "hi"}]}),
        ),
    )
}

/// Text of the content deltas of an OpenAI or Anthropic stream.
pub(crate) fn stream_text(body: &str) -> String {
    body.split("\n\n")
        .filter_map(|e| e.lines().find_map(|l| l.strip_prefix("data: ")))
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|v| {
            v.pointer("/choices/0/delta/content")
                .or_else(|| v.pointer("/delta/text"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

// ---- the proxy ------------------------------------------------------------------------------

pub(crate) struct Proxy {
    child: Option<Child>,
    pub(crate) port: u16,
}

impl Proxy {
    pub(crate) fn sigterm(&self) {
        let pid = self.child.as_ref().unwrap().id().to_string();
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
    }

    pub(crate) fn wait(&mut self) -> std::process::Output {
        self.child.take().unwrap().wait_with_output().unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn status_file(env: &Env, port: u16) -> PathBuf {
    env.home().join(format!("proxy/127_0_0_1_{port}.json"))
}

pub(crate) fn start_proxy(env: &Env, extra: &[&str]) -> Proxy {
    start_proxy_with(env, extra, &[])
}

/// [`start_proxy`] with more environment variables.
pub(crate) fn start_proxy_with(env: &Env, extra: &[&str], vars: &[(&str, &str)]) -> Proxy {
    let port = free_port();
    let child = env
        .program(byok_bin().to_str().unwrap())
        .args(["proxy", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut proxy = Proxy {
        child: Some(child),
        port,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(status_file(env, port).exists() && TcpStream::connect(("127.0.0.1", port)).is_ok()) {
        if let Ok(Some(_)) = proxy.child.as_mut().unwrap().try_wait() {
            let out = proxy.wait();
            panic!("the proxy exited: {}", stderr(&out));
        }
        assert!(Instant::now() < deadline, "the proxy did not start");
        thread::sleep(Duration::from_millis(20));
    }
    proxy
}

/// A home with these `[[connector]]` tables (and more config text) and their keys.
pub(crate) fn home(connectors: &[(&str, &str, &str, &str, &str)], more: &str) -> Env {
    let env = Env::init();
    let mut config = String::new();
    for (name, kind, key_ref, base, model) in connectors {
        config.push_str(&format!(
            "[[connector]]\nname = \"{name}\"\ntype = \"{kind}\"\nsecret = \"{key_ref}\"\nbase_url = \"{base}\"\nmodel = \"{model}\"\n\n"
        ));
    }
    config.push_str(more);
    std::fs::write(env.file("config.toml"), config).unwrap();
    for (r, v) in [("key_a", KEY_A), ("key_b", KEY_B), ("key_c", KEY_C)] {
        env.add(r, v, &[]);
    }
    env
}

pub(crate) fn token(env: &Env, name: &str, extra: &[&str]) -> String {
    let out = env
        .cmd(["proxy", "token", "create", name])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out).trim().to_owned();
    assert!(t.starts_with("sk-ant-byok01-") && t.len() == 14 + 43, "{t}");
    t
}

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
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "gpt-test",
        )],
        "",
    );
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
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "gpt-test",
        )],
        "",
    );
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
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "gpt-test",
        )],
        "",
    );
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
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "gpt-test",
        )],
        "",
    );
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
    let env = home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", up.root()),
            "gpt-test",
        )],
        "",
    );
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
    let stopped = env
        .cmd(["proxy", "stop"])
        .timeout(Duration::from_secs(40))
        .output()
        .unwrap();
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
    assert!(stopped.status.success(), "{}", stderr(&stopped));
}
