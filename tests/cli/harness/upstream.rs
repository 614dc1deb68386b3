//! The one fake upstream of the proxy tests: a loopback server speaking the OpenAI chat
//! and Anthropic messages wires (whole answers and streams), recording every request, and
//! failing, sleeping, echoing the key or breaking a stream on demand ([`Mode`]); richer wire
//! fakes plug in as [`Mode::Wire`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

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
