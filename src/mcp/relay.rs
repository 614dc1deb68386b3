//! `test_connector` through the proxy: one request of one output token, sent with a
//! placeholder to the home's proxy on loopback over plain HTTP/1.1 (no client library, no
//! runtime: a blocking socket with timeouts). The key is added by the proxy; what comes back
//! here is the status and the `x-byok-connector` header, never the body.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::secret::SecretValue;

const TIMEOUT: Duration = Duration::from_secs(60);
/// The most of the answer read (its head is all that is used).
const MAX_READ: u64 = 64 * 1024;

pub struct Probe {
    pub status: Option<u16>,
    pub connector: Option<String>,
    pub latency_ms: u64,
    pub error: Option<&'static str>,
}

pub fn probe(listen: SocketAddr, token: &SecretValue, model: &str, anthropic: bool) -> Probe {
    let started = Instant::now();
    let done = |status, connector, error| Probe {
        status,
        connector,
        latency_ms: started.elapsed().as_millis() as u64,
        error,
    };
    let body = json!({"model": model, "max_tokens": 1,
        "messages": [{"role": "user", "content": "ping"}]})
    .to_string();
    let (path, auth) = if anthropic {
        (
            "/v1/messages",
            zeroize::Zeroizing::new(format!(
                "x-api-key: {}\r\nanthropic-version: 2023-06-01",
                token.expose()
            )),
        )
    } else {
        (
            "/v1/chat/completions",
            zeroize::Zeroizing::new(format!("authorization: Bearer {}", token.expose())),
        )
    };
    let request = zeroize::Zeroizing::new(format!(
        "POST {path} HTTP/1.1\r\nhost: {listen}\r\n{auth}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len(),
        auth = auth.as_str()
    ));
    let Ok(mut stream) = TcpStream::connect_timeout(&listen, TIMEOUT) else {
        return done(None, None, Some("the proxy did not accept the connection"));
    };
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    if stream.write_all(request.as_bytes()).is_err() {
        return done(None, None, Some("the proxy closed the connection"));
    }
    let mut answer = Vec::new();
    let _ = (&mut stream).take(MAX_READ).read_to_end(&mut answer);
    let Some(end) = memchr::memmem::find(&answer, b"\r\n\r\n") else {
        return done(None, None, Some("the proxy sent no answer"));
    };
    let head = String::from_utf8_lossy(&answer[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    let connector = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("x-byok-connector"))
        .map(|(_, v)| v.trim().chars().take(64).collect());
    done(status, connector, None)
}
