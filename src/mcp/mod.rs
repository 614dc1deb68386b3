//! `byok mcp`: an MCP server over stdio that lets an agent use byok without ever reading a
//! key.
//!
//! A small hand-written JSON-RPC 2.0 loop, one message per line (docs/agents.md says why not
//! the `rmcp` SDK): synchronous, no async runtime, serde_json only. It speaks both protocol
//! eras: the legacy handshake (`initialize` at 2024-11-05 … 2025-11-25, then
//! `notifications/initialized`, `ping`) and the stateless 2026-07-28 era (`server/discover`,
//! the version in every request's `_meta`, `resultType`, `ttlMs` and `cacheScope`).
//!
//! The process never unlocks anything: its unlocker refuses before the first request is
//! read, so no tool can reach the identity, a store or a key whatever its arguments. What
//! the tools read is public to the agent anyway (config.toml's connectors, the catalog's
//! prices, the ledger's counts, the proxy's status files); what they write is a bounded,
//! redacted access request ([`request`]), answered out of band by `byok approve`.

pub mod policy;
mod relay;
pub mod request;
mod tools;

use std::io::{BufRead, Write};

use serde_json::{Value, json};

use crate::context::Context;
use crate::error::{Error, Result};

/// The versions of the handshake era, oldest first.
const LEGACY_VERSIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
/// The stateless era's versions.
const MODERN_VERSIONS: [&str; 1] = ["2026-07-28"];
/// The largest message read; a longer line is answered with a parse error and skipped.
pub const MAX_MESSAGE: usize = 256 * 1024;

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

const INSTRUCTIONS: &str = "byok keeps the user's AI-provider API keys. No tool of this server \
returns a key: to call a model, ask for a placeholder token with request_access (models, \
daily budget, lifetime, and your reason), tell the user to run `byok approve` in their own \
terminal, and poll check_access. A granted token works only through the local byok proxy \
(the base URL check_access returns), only for the models, budget and lifetime approved.";

/// Runs the server on stdin/stdout until stdin closes.
pub fn serve(ctx: &Context) -> Result<()> {
    // Nothing this process does may unlock: refuse before reading the first request.
    ctx.unlocker().refuse();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut server = tools::Server::new(ctx);
    loop {
        let line = match read_line(&mut input) {
            Ok(None) => return Ok(()),
            Ok(Some(Ok(line))) => line,
            Ok(Some(Err(TooLong))) => {
                let reply = error_reply(Value::Null, -32700, "message too long");
                write_message(&stdout, &reply)?;
                continue;
            }
            Err(e) => return Err(Error::io("read", std::path::Path::new("<stdin>"))(e)),
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Some(reply) = handle(&mut server, &line) {
            write_message(&stdout, &reply)?;
        }
    }
}

struct TooLong;

/// One line of at most [`MAX_MESSAGE`] bytes; `None` at the end of input.
fn read_line(
    input: &mut impl BufRead,
) -> std::io::Result<Option<std::result::Result<Vec<u8>, TooLong>>> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(match (line.is_empty(), too_long) {
                (true, false) => None,
                (_, true) => Some(Err(TooLong)),
                (false, false) => Some(Ok(line)),
            });
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1),
            None => (buf, buf.len()),
        };
        if !too_long {
            if line.len() + chunk.len() > MAX_MESSAGE {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let newline = done > chunk.len();
        input.consume(done);
        if newline {
            return Ok(Some(if too_long { Err(TooLong) } else { Ok(line) }));
        }
    }
}

fn write_message(stdout: &std::io::Stdout, message: &Value) -> Result<()> {
    // Compact JSON has no raw newline; C1 controls and bidi overrides are escaped too.
    let text = message.to_string();
    let text = crate::term::sanitize::json(&text);
    let mut out = stdout.lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        // The client went away: nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("write", std::path::Path::new("<stdout>"))(e)),
    }
}

fn error_reply(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn server_info() -> Value {
    json!({"name": "byok", "title": "byok key manager", "version": env!("CARGO_PKG_VERSION")})
}

fn capabilities() -> Value {
    json!({"tools": {"listChanged": false}})
}

/// Answers one message (`None` for notifications and responses).
fn handle(server: &mut tools::Server, line: &[u8]) -> Option<Value> {
    let Ok(message) = serde_json::from_slice::<Value>(line) else {
        return Some(error_reply(Value::Null, -32700, "parse error"));
    };
    let Some(object) = message.as_object() else {
        // Batches were removed in 2025-06-18.
        return Some(error_reply(Value::Null, -32600, "invalid request"));
    };
    let id = object.get("id").cloned();
    let method = object.get("method").and_then(Value::as_str);
    let (Some(id), Some(method)) = (id, method) else {
        // A notification (no id) or a response to us (we send no requests): no answer.
        return None;
    };
    if !(id.is_string() || id.is_i64() || id.is_u64())
        || object.get("jsonrpc") != Some(&json!("2.0"))
    {
        return Some(error_reply(Value::Null, -32600, "invalid request"));
    }
    let params = object.get("params").cloned().unwrap_or(Value::Null);
    let modern = params
        .pointer(&format!("/_meta/{}", META_VERSION.replace('/', "~1")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(version) = &modern
        && !MODERN_VERSIONS.contains(&version.as_str())
        && method != "initialize"
    {
        let supported: Vec<&str> = LEGACY_VERSIONS
            .iter()
            .chain(&MODERN_VERSIONS)
            .copied()
            .collect();
        let mut reply = error_reply(id, -32022, "unsupported protocol version");
        reply["error"]["data"] = json!({"supported": supported, "requested": crate::term::sanitize::line(&version.chars().take(64).collect::<String>())});
        return Some(reply);
    }
    let result = match method {
        "initialize" => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = asked
                .filter(|v| LEGACY_VERSIONS.contains(v))
                .unwrap_or(LEGACY_VERSIONS[LEGACY_VERSIONS.len() - 1]);
            Ok(json!({
                "protocolVersion": version,
                "capabilities": capabilities(),
                "serverInfo": server_info(),
                "instructions": INSTRUCTIONS,
            }))
        }
        "ping" => Ok(json!({})),
        "server/discover" => Ok(json!({
            "resultType": "complete",
            "supportedVersions": LEGACY_VERSIONS.iter().chain(&MODERN_VERSIONS).collect::<Vec<_>>(),
            "capabilities": capabilities(),
            "instructions": INSTRUCTIONS,
            "ttlMs": 0,
            "cacheScope": "private",
        })),
        "tools/list" => Ok(json!({
            "tools": tools::list(),
            "resultType": "complete",
            "ttlMs": 0,
            "cacheScope": "private",
        })),
        "tools/call" => server.call(&params),
        _ => Err((-32601, "method not found".to_owned())),
    };
    Some(match result {
        Ok(mut result) => {
            if modern.is_some() {
                result["_meta"] = json!({ META_SERVER_INFO: server_info() });
                if result.get("resultType").is_none() {
                    result["resultType"] = json!("complete");
                }
            }
            json!({"jsonrpc": "2.0", "id": id, "result": result})
        }
        Err((code, message)) => error_reply(id, code, &message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bounded() {
        let mut input = std::io::Cursor::new(b"ab\ncd".to_vec());
        assert!(matches!(read_line(&mut input), Ok(Some(Ok(l))) if l == b"ab"));
        assert!(matches!(read_line(&mut input), Ok(Some(Ok(l))) if l == b"cd"));
        assert!(matches!(read_line(&mut input), Ok(None)));
        let mut long = vec![b'x'; MAX_MESSAGE + 10];
        long.extend_from_slice(b"\n{}\n");
        let mut input = std::io::BufReader::with_capacity(1024, std::io::Cursor::new(long));
        assert!(matches!(read_line(&mut input), Ok(Some(Err(TooLong)))));
        assert!(matches!(read_line(&mut input), Ok(Some(Ok(l))) if l == b"{}"));
    }
}
