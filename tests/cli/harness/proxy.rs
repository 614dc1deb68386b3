//! The one proxy fixture: `byok proxy` started on a free port in a test home (and killed
//! on drop), a home with connectors and keys, placeholder tokens, and a tiny HTTP client
//! for both wires.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Env, byok_bin, free_port, stderr, stdout};

pub(crate) const KEY_A: &str = "sk-test-proxy-first-0123456789abcdef";
pub(crate) const KEY_B: &str = "sk-test-proxy-second-0123456789abcdef";
pub(crate) const KEY_C: &str = "sk-ant-test-proxy-third-0123456789abcdef";

/// `text` compressed by the system's `gzip` (an upstream's `content-encoding: gzip` body).
pub(crate) fn gzip(text: &str) -> Vec<u8> {
    let mut child = std::process::Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    child.wait_with_output().unwrap().stdout
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

pub(crate) fn status_file(env: &Env, port: u16) -> PathBuf {
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

/// The commonest home of the proxy tests: one `openai-compatible` connector "first" at
/// `upstream`, serving `gpt-test` with key_a.
pub(crate) fn first_home(upstream: &super::Upstream) -> Env {
    home(
        &[(
            "first",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", upstream.root()),
            "gpt-test",
        )],
        "",
    )
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
