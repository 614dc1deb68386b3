//! A fake AI provider on 127.0.0.1: a small HTTP/1.1 server on std threads.
//!
//! For each wire format it checks what byok sends — method, path, auth header, required
//! headers and the JSON body — and answers with the provider's real success shape, or with
//! a canned error answer. A request that does not match is answered with a 400 naming the
//! problem, and recorded in [`Fake::problems`] so the test can fail on it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

/// The wire formats byok speaks, as the fake understands them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    OpenAi,
    Anthropic,
    Gemini,
    Cohere,
    Azure,
    Ollama,
    Perplexity,
    AlephAlpha,
}

impl Wire {
    /// The byok type to use for a connector speaking this wire.
    pub fn kind(self) -> &'static str {
        match self {
            Wire::OpenAi => "openai",
            Wire::Anthropic => "anthropic",
            Wire::Gemini => "gemini",
            Wire::Cohere => "cohere",
            Wire::Azure => "azure-openai",
            Wire::Ollama => "ollama",
            Wire::Perplexity => "perplexity",
            Wire::AlephAlpha => "aleph-alpha",
        }
    }

    /// The SDK-style base URL for a fake at `root` (`http://127.0.0.1:PORT`).
    pub fn base_url(self, root: &str) -> String {
        match self {
            Wire::OpenAi => format!("{root}/v1"),
            Wire::Gemini => format!("{root}/v1beta"),
            _ => root.to_owned(),
        }
    }

    pub fn all() -> [Wire; 8] {
        [
            Wire::OpenAi,
            Wire::Anthropic,
            Wire::Gemini,
            Wire::Cohere,
            Wire::Azure,
            Wire::Ollama,
            Wire::Perplexity,
            Wire::AlephAlpha,
        ]
    }
}

/// What the fake answers to a chat request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// The provider's success shape, after checking the request.
    Success,
    /// A fixed answer: status, extra headers, body.
    Fixed(u16, Vec<(&'static str, String)>, String),
    /// A 200 whose body is `bytes` long, streamed in 64 KiB chunks until the client hangs
    /// up; with `declare_length` it carries a `content-length`, else it ends at close.
    Huge { bytes: usize, declare_length: bool },
}

/// One received request.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Shared {
    wire: Wire,
    key: Option<String>,
    model: String,
    reply: Reply,
    delay: Duration,
    /// Model ids the model list answers with instead of the usual two (OpenAI wire).
    models: Option<Vec<String>>,
    requests: Mutex<Vec<Request>>,
    problems: Mutex<Vec<String>>,
}

/// A running fake provider. Its thread lives until the test process ends.
pub struct Fake {
    pub root: String,
    shared: Arc<Shared>,
}

impl Fake {
    /// Starts a fake for `wire` that expects `key` (None: no auth header) and `model`.
    pub fn start(wire: Wire, key: Option<&str>, model: &str, reply: Reply) -> Self {
        Self::start_slow(wire, key, model, reply, Duration::ZERO)
    }

    /// Like [`Fake::start`], waiting `delay` before each answer.
    pub fn start_slow(
        wire: Wire,
        key: Option<&str>,
        model: &str,
        reply: Reply,
        delay: Duration,
    ) -> Self {
        Self::start_full(wire, key, model, reply, delay, None)
    }

    /// Like [`Fake::start`], listing exactly `models` (OpenAI wire only).
    pub fn start_listing(
        wire: Wire,
        key: Option<&str>,
        model: &str,
        reply: Reply,
        models: Vec<String>,
    ) -> Self {
        assert_eq!(wire, Wire::OpenAi, "start_listing speaks the OpenAI wire");
        Self::start_full(wire, key, model, reply, Duration::ZERO, Some(models))
    }

    fn start_full(
        wire: Wire,
        key: Option<&str>,
        model: &str,
        reply: Reply,
        delay: Duration,
        models: Option<Vec<String>>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let root = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            wire,
            key: key.map(str::to_owned),
            model: model.to_owned(),
            reply,
            delay,
            models,
            requests: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
        });
        let for_thread = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&for_thread);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        Fake { root, shared }
    }

    pub fn base_url(&self) -> String {
        self.shared.wire.base_url(&self.root)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Mismatches between what byok sent and what the provider expects.
    pub fn problems(&self) -> Vec<String> {
        self.shared.problems.lock().unwrap().clone()
    }
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/v1")
}

fn serve(stream: TcpStream, shared: &Shared) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    shared.requests.lock().unwrap().push(request.clone());
    if let Reply::Huge {
        bytes,
        declare_length,
    } = shared.reply
        && request.method == "POST"
    {
        return stream_huge(stream, bytes, declare_length);
    }
    let (status, headers, body) = match answer(shared, &request) {
        Ok(answer) => answer,
        Err(problem) => {
            shared.problems.lock().unwrap().push(problem.clone());
            (
                400,
                Vec::new(),
                json!({"error": {"message": format!("fake: {problem}")}}).to_string(),
            )
        }
    };
    thread::sleep(shared.delay);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| *k == "content-type") {
        head.push_str("content-type: application/json\r\n");
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body.as_bytes());
    let _ = out.flush();
}

/// Writes a 200 with a `bytes`-long JSON-ish body, stopping when the client hangs up.
fn stream_huge(mut out: TcpStream, bytes: usize, declare_length: bool) {
    let mut head = String::from("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n");
    if declare_length {
        head.push_str(&format!("content-length: {bytes}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < bytes {
        let n = chunk.len().min(bytes - sent);
        if out.write_all(&chunk[..n]).is_err() {
            return;
        }
        sent += n;
    }
    let _ = out.flush();
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

type Answer = (u16, Vec<(&'static str, String)>, String);

fn answer(shared: &Shared, req: &Request) -> Result<Answer, String> {
    check_auth(shared, req)?;
    if req.method == "GET" {
        return models_answer(shared, req);
    }
    check_chat(shared, req)?;
    Ok(match &shared.reply {
        Reply::Success => (200, Vec::new(), success_body(shared.wire, &shared.model)),
        Reply::Fixed(status, headers, body) => (*status, headers.clone(), body.clone()),
        Reply::Huge { .. } => unreachable!("streamed by serve()"),
    })
}

fn check_auth(shared: &Shared, req: &Request) -> Result<(), String> {
    let (name, expected) = match (&shared.key, shared.wire) {
        (None, _) => {
            for h in ["authorization", "x-api-key", "x-goog-api-key", "api-key"] {
                if req.header(h).is_some() {
                    return Err(format!("unexpected auth header {h} without a key"));
                }
            }
            return Ok(());
        }
        (Some(k), Wire::Anthropic) => ("x-api-key", k.clone()),
        (Some(k), Wire::Gemini) => ("x-goog-api-key", k.clone()),
        (Some(k), Wire::Azure) => ("api-key", k.clone()),
        (Some(k), _) => ("authorization", format!("Bearer {k}")),
    };
    if req.header(name) != Some(expected.as_str()) {
        return Err(format!("header {name} is {:?}", req.header(name)));
    }
    if let Some(key) = &shared.key
        && req.target.contains(key.as_str())
    {
        return Err("the key is in the URL".into());
    }
    if shared.wire == Wire::Anthropic && req.header("anthropic-version") != Some("2023-06-01") {
        return Err("anthropic-version header missing".into());
    }
    Ok(())
}

fn check_chat(shared: &Shared, req: &Request) -> Result<(), String> {
    if req.method != "POST" {
        return Err(format!("method {}", req.method));
    }
    let model = &shared.model;
    let expected_path = match shared.wire {
        Wire::OpenAi => "/v1/chat/completions".to_owned(),
        Wire::Anthropic => "/v1/messages".to_owned(),
        Wire::Gemini => format!("/v1beta/models/{model}:generateContent"),
        Wire::Cohere => "/v2/chat".to_owned(),
        Wire::Azure => {
            format!("/openai/deployments/{model}/chat/completions?api-version=2024-10-21")
        }
        Wire::Ollama => "/api/chat".to_owned(),
        Wire::Perplexity => "/v1/agent".to_owned(),
        Wire::AlephAlpha => "/complete".to_owned(),
    };
    if req.target != expected_path {
        return Err(format!("path {} (expected {expected_path})", req.target));
    }
    if !req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json"))
    {
        return Err("content-type is not application/json".into());
    }
    let body: Value =
        serde_json::from_slice(&req.body).map_err(|e| format!("body is not JSON: {e}"))?;
    let prompt = "Reply with 'ok'";
    let has = |pointer: &str, expected: Value| -> Result<(), String> {
        match body.pointer(pointer) {
            Some(v) if *v == expected => Ok(()),
            other => Err(format!("body {pointer} is {other:?}, expected {expected}")),
        }
    };
    let positive = |pointer: &str| -> Result<(), String> {
        match body.pointer(pointer).and_then(Value::as_u64) {
            Some(n) if (1..=64).contains(&n) => Ok(()),
            other => Err(format!("body {pointer} is {other:?}, expected a small cap")),
        }
    };
    match shared.wire {
        Wire::OpenAi => {
            has("/model", json!(model))?;
            has("/messages/0/role", json!("user"))?;
            has("/messages/0/content", json!(prompt))?;
            positive("/max_completion_tokens").or_else(|_| positive("/max_tokens"))?;
        }
        Wire::Azure => {
            has("/messages/0/content", json!(prompt))?;
            positive("/max_completion_tokens")?;
        }
        Wire::Anthropic | Wire::Cohere => {
            has("/model", json!(model))?;
            has("/messages/0/content", json!(prompt))?;
            positive("/max_tokens")?;
        }
        Wire::Gemini => {
            has("/contents/0/parts/0/text", json!(prompt))?;
            positive("/generationConfig/maxOutputTokens")?;
        }
        Wire::Ollama => {
            has("/model", json!(model))?;
            has("/stream", json!(false))?;
            has("/messages/0/content", json!(prompt))?;
            positive("/options/num_predict")?;
        }
        Wire::Perplexity => {
            has("/model", json!(model))?;
            has("/input", json!(prompt))?;
            positive("/max_output_tokens")?;
        }
        Wire::AlephAlpha => {
            has("/model", json!(model))?;
            has("/prompt", json!(prompt))?;
            positive("/maximum_tokens")?;
        }
    }
    Ok(())
}

/// The real success shape of each API, replying "ok".
pub fn success_body(wire: Wire, model: &str) -> String {
    let openai = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 1, "total_tokens": 12}
    });
    match wire {
        Wire::OpenAi | Wire::Azure => openai,
        Wire::Anthropic => json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
            "usage": {"input_tokens": 11, "output_tokens": 1}
        }),
        Wire::Gemini => json!({
            "candidates": [{"content": {"parts": [{"text": "ok"}], "role": "model"},
                            "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 1,
                              "totalTokenCount": 12},
            "modelVersion": model
        }),
        Wire::Cohere => json!({
            "id": "c1", "finish_reason": "COMPLETE",
            "message": {"role": "assistant", "content": [{"type": "text", "text": "ok"}]},
            "usage": {"billed_units": {"input_tokens": 11, "output_tokens": 1},
                      "tokens": {"input_tokens": 200, "output_tokens": 2}}
        }),
        Wire::Ollama => json!({
            "model": model, "created_at": "2026-11-23T05:00:00Z",
            "message": {"role": "assistant", "content": "ok"}, "done": true,
            "done_reason": "stop", "prompt_eval_count": 11, "eval_count": 1
        }),
        Wire::Perplexity => json!({
            "id": "resp_1", "object": "response", "status": "completed", "model": model,
            "output": [{"type": "message", "role": "assistant",
                        "content": [{"type": "output_text", "text": "ok"}]}],
            "usage": {"input_tokens": 11, "output_tokens": 1, "total_tokens": 12}
        }),
        Wire::AlephAlpha => json!({
            "model_version": "1", "completions": [{"completion": "ok", "finish_reason": "end_of_text"}],
            "num_tokens_prompt_total": 11, "num_tokens_generated": 1
        }),
    }
    .to_string()
}

fn models_answer(shared: &Shared, req: &Request) -> Result<Answer, String> {
    let model = &shared.model;
    let (path, body) = match shared.wire {
        Wire::OpenAi if shared.models.is_some() => {
            let ids = shared.models.as_deref().unwrap_or_default();
            let data: Vec<Value> = ids
                .iter()
                .map(|id| json!({"id": id, "object": "model", "owned_by": "system"}))
                .collect();
            ("/v1/models", json!({"object": "list", "data": data}))
        }
        Wire::OpenAi => (
            "/v1/models",
            json!({"object": "list", "data": [
                {"id": "other-model", "object": "model", "owned_by": "system"},
                {"id": model, "object": "model", "owned_by": "system"}]}),
        ),
        Wire::Anthropic => (
            "/v1/models?limit=1000",
            json!({"data": [{"type": "model", "id": model, "display_name": "M"},
                            {"type": "model", "id": "other-model", "display_name": "O"}],
                   "has_more": false, "first_id": model, "last_id": "other-model"}),
        ),
        Wire::Gemini => (
            "/v1beta/models?pageSize=1000",
            json!({"models": [
                {"name": format!("models/{model}"), "supportedGenerationMethods": ["generateContent"]},
                {"name": "models/other-model", "supportedGenerationMethods": ["generateContent"]},
                {"name": "models/embedding-001", "supportedGenerationMethods": ["embedContent"]}]}),
        ),
        Wire::Cohere => (
            "/v1/models",
            json!({"models": [{"name": model, "endpoints": ["chat", "generate"]},
                              {"name": "other-model", "endpoints": ["chat"]},
                              {"name": "embed-v4.0", "endpoints": ["embed"]}]}),
        ),
        Wire::Ollama => (
            "/api/tags",
            json!({"models": [{"name": model, "model": model, "size": 1},
                              {"name": "other-model", "model": "other-model", "size": 1}]}),
        ),
        Wire::Perplexity => (
            "/v1/models",
            json!({"object": "list", "data": [{"id": model}, {"id": "other-model"}]}),
        ),
        Wire::Azure | Wire::AlephAlpha => {
            return Err(format!("{:?} has no model list", shared.wire));
        }
    };
    if req.target != path {
        return Err(format!("models path {} (expected {path})", req.target));
    }
    Ok((200, Vec::new(), body.to_string()))
}
