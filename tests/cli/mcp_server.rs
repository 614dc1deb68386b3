//! `byok mcp` over stdio and `byok approve`: both protocol eras, every tool with hostile
//! arguments (no answer holds a stored value), the approval of exactly the digest shown,
//! and the official MCP Python SDK through request → approve → use → expire.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{
    Env, KEY_A, KEY_B, KEY_C, Mode, Upstream, audit_lines, byok_bin, exit_code, start_proxy_with,
    stderr, stdout,
};

const PASSPHRASE: &str = "pp-test-mcp-approver";
/// Every value stored in the test homes: no byte of an answer may hold one.
const STORED: [&str; 3] = [KEY_A, KEY_B, KEY_C];

/// A `byok mcp` child, one JSON-RPC message per line.
pub(crate) struct Mcp {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Every line it wrote.
    pub(crate) transcript: String,
    next: u64,
}

impl Mcp {
    fn start(env: &Env) -> Mcp {
        let mut cmd = env.program(byok_bin().to_str().unwrap());
        cmd.arg("mcp");
        Mcp::spawn(cmd)
    }

    /// Runs `cmd` (a `byok mcp` command line) with its standard streams piped.
    pub(crate) fn spawn(mut cmd: std::process::Command) -> Mcp {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Mcp {
            stdin: child.stdin.take().unwrap(),
            stdout: BufReader::new(child.stdout.take().unwrap()),
            child,
            transcript: String::new(),
            next: 1,
        }
    }

    pub(crate) fn send_raw(&mut self, line: &[u8]) {
        self.stdin.write_all(line).unwrap();
        self.stdin.write_all(b"\n").unwrap();
        self.stdin.flush().unwrap();
    }

    pub(crate) fn read(&mut self) -> Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "byok mcp closed its output");
        self.transcript.push_str(&line);
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("not one JSON message: {line}"))
    }

    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(message.to_string().as_bytes());
        let reply = self.read();
        assert_eq!(reply["id"], json!(id), "{reply}");
        reply
    }

    pub(crate) fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let reply = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        reply["result"].clone()
    }

    pub(crate) fn initialize(&mut self) {
        let r = self.request(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
        );
        assert_eq!(r["result"]["protocolVersion"], "2025-11-25", "{r}");
        self.send_raw(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    }

    /// Closes stdin and waits for the exit; returns its stderr.
    pub(crate) fn finish(self) -> (i32, String) {
        drop(self.stdin);
        let out = self.child.wait_with_output().unwrap();
        assert!(self.transcript.len() < 10_000_000);
        (exit_code(&out), stderr(&out))
    }
}

pub(crate) fn assert_no_stored_value(text: &str) {
    for value in STORED {
        assert!(
            !text.contains(value),
            "an answer holds a stored value: …{}…",
            &text[text.find(value).unwrap().saturating_sub(80)..]
                .chars()
                .take(200)
                .collect::<String>()
        );
        // Nor a long piece of one.
        assert!(
            !text.contains(&value[4..24]),
            "a piece of a stored value leaked"
        );
    }
}

/// A home with a passphrase (what `byok approve` needs), the three test keys and one
/// `openai-compatible` connector "first" at `base`, serving `gpt-test`.
fn passphrase_home(base: &str) -> Env {
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .assert()
        .success();
    for (r, v) in [("key_a", KEY_A), ("key_b", KEY_B), ("key_c", KEY_C)] {
        env.cmd(["secret", "add", r, "--stdin"])
            .env("BYOK_PASSPHRASE", PASSPHRASE)
            .write_stdin(v)
            .assert()
            .success();
    }
    std::fs::write(
        env.file("config.toml"),
        format!(
            "[[connector]]\nname = \"first\"\ntype = \"openai-compatible\"\nsecret = \"key_a\"\nbase_url = \"{base}\"\nmodel = \"gpt-test\"\n\n[[connector]]\nname = \"second\"\ntype = \"anthropic\"\nsecret = \"key_c\"\nbase_url = \"{base}\"\n"
        ),
    )
    .unwrap();
    env
}

pub(crate) fn request_args() -> Value {
    json!({"agent": "test-agent", "reason": "run the test suite", "models": ["gpt-*"],
        "budget_usd_per_day": 2, "lifetime": "2h"})
}

fn approve(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd(["approve"])
        .args(args)
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap()
}

fn pending_json(env: &Env) -> Vec<Value> {
    let out = env.cmd(["approve", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Appends one `[[mcp.policy]]` rule (up to $2/day on `gpt-*` for 8h) to the home's
/// config.toml; returns its path.
fn add_policy(env: &Env) -> PathBuf {
    let config = env.file("config.toml");
    let rule = "\n[[mcp.policy]]\nmodels = [\"gpt-*\"]\nmax_budget_usd_per_day = 2\nmax_lifetime = \"8h\"\n";
    std::fs::write(&config, std::fs::read_to_string(&config).unwrap() + rule).unwrap();
    config
}

/// `byok mcp policy pin --yes` with the passphrase.
fn pin_policy(env: &Env) {
    let out = env
        .cmd(["mcp", "policy", "pin", "--yes"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `byok approve --policy --watch --json`, running, its output piped.
fn start_watcher(env: &Env) -> Child {
    env.program(byok_bin().to_str().unwrap())
        .args(["approve", "--policy", "--watch", "--json"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn both_protocol_eras_are_answered() {
    let env = Env::init();
    let mut mcp = Mcp::start(&env);
    // Legacy: the version asked for is echoed; an unknown one gets the newest legacy one.
    mcp.initialize();
    let r = mcp.request(
        "initialize",
        json!({"protocolVersion": "2099-01-01", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
    );
    assert_eq!(r["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(r["result"]["capabilities"]["tools"]["listChanged"], false);
    assert_eq!(r["result"]["serverInfo"]["name"], "byok");
    assert_eq!(mcp.request("ping", json!({}))["result"], json!({}));
    let r = mcp.request("tools/list", json!({}));
    let names: Vec<&str> = r["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "list_models",
            "test_connector",
            "usage",
            "request_access",
            "check_access"
        ]
    );
    for tool in r["result"]["tools"].as_array().unwrap() {
        assert!(
            tool["description"]
                .as_str()
                .unwrap()
                .contains("Never returns an API key"),
            "{tool}"
        );
        assert_eq!(tool["inputSchema"]["type"], "object");
    }
    // Modern: server/discover, then requests carrying the version in _meta.
    let meta = json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {}});
    let d = mcp.request("server/discover", json!({"_meta": meta}));
    let d = &d["result"];
    assert!(
        d["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-07-28"))
    );
    assert!(
        d["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!("2025-11-25"))
    );
    assert_eq!(d["resultType"], "complete");
    assert_eq!(d["cacheScope"], "private");
    assert!(d["ttlMs"].is_u64());
    let l = mcp.request("tools/list", json!({"_meta": meta}));
    assert_eq!(l["result"]["resultType"], "complete");
    assert_eq!(l["result"]["cacheScope"], "private");
    assert_eq!(
        l["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "byok"
    );
    let c = mcp.request(
        "tools/call",
        json!({"name": "list_models", "arguments": {}, "_meta": meta}),
    );
    assert_eq!(c["result"]["resultType"], "complete");
    assert_eq!(c["result"]["isError"], false);
    let bad = mcp.request(
        "tools/list",
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2030-01-01"}}),
    );
    assert_eq!(bad["error"]["code"], -32022, "{bad}");
    assert!(
        bad["error"]["data"]["supported"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-07-28"))
    );
    // Errors: unknown method, unknown tool, not JSON, too long; notifications get nothing.
    assert_eq!(mcp.request("nope/nope", json!({}))["error"]["code"], -32601);
    assert_eq!(
        mcp.request("tools/call", json!({"name": "get_key"}))["error"]["code"],
        -32602
    );
    assert_eq!(
        mcp.request("tools/call", json!({"name": "usage", "arguments": [1]}))["error"]["code"],
        -32602
    );
    mcp.send_raw(b"{not json");
    assert_eq!(mcp.read()["error"]["code"], -32700);
    mcp.send_raw(&vec![b'x'; 300 * 1024]);
    assert_eq!(mcp.read()["error"]["code"], -32700);
    mcp.send_raw(
        br#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#,
    );
    assert_eq!(mcp.request("ping", json!({}))["result"], json!({}));
    let (code, err) = mcp.finish();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_tool_returns_a_stored_value_whatever_its_arguments() {
    let upstream = Upstream::start("first", Mode::Ok);
    let env = crate::harness::first_home(&upstream);
    // A second session's request: its id is hostile input for the first.
    let mut other = Mcp::start(&env);
    other.initialize();
    let theirs = other.call("request_access", request_args());
    assert_eq!(theirs["isError"], false, "{theirs}");
    let their_id = theirs["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let huge = "A".repeat(200_000);
    let controls = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil\r\nline";
    let hostile_strings: Vec<Value> = vec![
        json!(huge),
        json!(controls),
        json!(KEY_A),
        json!(format!("use {KEY_B} please")),
        json!(their_id),
        json!("../../identity.txt"),
        json!("first"),
        json!(""),
        json!(null),
        json!(12),
        json!([KEY_A]),
        json!({"$ref": KEY_C}),
    ];
    let tools = [
        ("list_models", vec!["anything"]),
        ("test_connector", vec!["connector"]),
        ("usage", vec!["request_id"]),
        (
            "request_access",
            vec![
                "agent",
                "reason",
                "models",
                "budget_usd_per_day",
                "lifetime",
            ],
        ),
        ("check_access", vec!["request_id"]),
    ];
    let mut answers = 0;
    let mut accepted = 0;
    for (tool, fields) in &tools {
        for field in fields {
            for value in &hostile_strings {
                let mut args = request_args();
                args[*field] = value.clone();
                let r = mcp.call(tool, args);
                assert!(r["content"].is_array(), "{tool} {field}: {r}");
                answers += 1;
                if *tool == "request_access" && r["isError"] == false {
                    accepted += 1;
                }
            }
        }
        // And the whole argument object hostile.
        let r = mcp.call(tool, json!({"models": vec![KEY_A; 1000], "x": huge}));
        assert!(r["content"].is_array());
    }
    assert!(answers > 80);
    // A key pasted in the reason is not recorded; control characters are escaped.
    let mut args = request_args();
    args["reason"] = json!(format!("need {KEY_B} and {controls}"));
    let mine = mcp.call("request_access", args);
    assert_eq!(mine["isError"], false, "{mine}");
    let my_id = mine["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another session's request cannot be read here, nor its usage.
    let r = mcp.call("check_access", json!({"request_id": their_id}));
    assert_eq!(r["isError"], true, "{r}");
    let r = mcp.call("usage", json!({"request_id": their_id}));
    assert_eq!(r["isError"], true, "{r}");
    let r = mcp.call("check_access", json!({"request_id": my_id}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    let models = mcp.call("list_models", json!({}));
    let connectors = &models["structuredContent"]["connectors"];
    assert_eq!(connectors[0]["connector"], "first", "{models}");
    assert_eq!(connectors[0]["model"], "gpt-test");
    let t = mcp.call("test_connector", json!({"connector": "first"}));
    assert_eq!(t["structuredContent"]["health"]["state"], "untested", "{t}");
    let transcript = mcp.transcript.clone() + &other.transcript;
    assert_no_stored_value(&transcript);
    assert!(!transcript.contains('\u{1b}') && !transcript.contains('\u{9b}'));
    let (code, err) = mcp.finish();
    assert_eq!(code, 0, "{err}");
    assert_no_stored_value(&err);
    other.finish();

    // What reaches the approver: no key, no control character.
    let listing = env.cmd(["approve"]).output().unwrap();
    assert!(listing.status.success(), "{}", stderr(&listing));
    let shown = stdout(&listing) + &stderr(&listing);
    assert!(shown.contains("test-agent"), "{shown}");
    assert!(shown.contains("<key-shaped text hidden>"), "{shown}");
    assert_no_stored_value(&shown);
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{9b}') && !shown.contains('\u{202e}'));
    let on_disk = std::fs::read_dir(env.file("mcp/requests"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    assert_no_stored_value(&on_disk);
    // Requests are audit entries; the server never had the identity (this home has an
    // identity.txt it could have read): its entries carry no MAC.
    let entries: Vec<Value> = audit_lines(&env)
        .into_iter()
        .filter(|e| e["action"] == "mcp.request")
        .collect();
    // Some hostile values make valid requests (a key in the reason is hidden, "first" is a
    // fine agent name); a control character in the agent, a huge string, a wrong type do not.
    assert!((5..20).contains(&accepted), "{accepted}");
    assert_eq!(entries.len(), accepted + 2, "{entries:?}");
    assert!(
        entries.iter().all(|e| e.get("mac").is_none()),
        "{entries:?}"
    );
}

#[test]
fn approve_grants_exactly_the_request_shown() {
    let upstream = Upstream::start("first", Mode::Ok);
    let env = passphrase_home(&format!("{}/v1", upstream.root()));
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let r = mcp.call("request_access", request_args());
    let id = r["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = pending_json(&env);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["agent"], "test-agent");
    assert_eq!(listed[0]["reason"], "run the test suite");
    let digest = listed[0]["digest"].as_str().unwrap().to_owned();

    // Without a terminal, approving needs the digest.
    let out = approve(&env, &[&id]);
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains(&digest[..16]), "{}", stderr(&out));
    // A request edited after it was shown is not approved.
    let path = env.file(&format!("mcp/requests/{id}.json"));
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace("\"gpt-*\"", "\"gpt-4*\"")).unwrap();
    let out = approve(&env, &[&id[..8], "--digest", &digest[..16]]);
    assert_ne!(exit_code(&out), 0);
    assert!(
        stderr(&out).contains("nothing was approved"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&path, &original).unwrap();
    // Without the passphrase (no BYOK_PASSPHRASE, no terminal) nothing is granted.
    let out = env
        .cmd(["approve", &id, "--digest", &digest[..16]])
        .output()
        .unwrap();
    assert_ne!(exit_code(&out), 0, "{}", stdout(&out));
    let r = mcp.call("check_access", json!({"request_id": id}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");

    let out = approve(&env, &[&id, "--digest", &digest, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let granted: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(granted["status"], "granted");
    assert_eq!(granted["budget"], "2usd/day");
    assert!(
        !stdout(&out).contains("sk-ant-byok01-"),
        "the approver's output holds no token"
    );
    let r = mcp.call("check_access", json!({"request_id": id}));
    let s = &r["structuredContent"];
    assert_eq!(s["status"], "granted", "{r}");
    assert!(s["token"].as_str().unwrap().starts_with("sk-ant-byok01-"));
    assert_eq!(s["models"], json!(["gpt-*"]));
    // It is a real proxy token, scoped as asked.
    let list = env
        .cmd(["proxy", "token", "list", "--json"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    let tokens: Vec<Value> = serde_json::from_str(&stdout(&list)).unwrap();
    let token = tokens
        .iter()
        .find(|t| t["name"] == s["token_name"])
        .unwrap_or_else(|| panic!("{tokens:?}"));
    assert_eq!(token["models"], json!(["gpt-*"]));
    assert_eq!(token["budget"], "2usd/day");
    assert!(token["expires"].is_string());
    // Answered once: it is no longer pending, and a second approval finds nothing.
    assert!(pending_json(&env).is_empty());
    assert_ne!(exit_code(&approve(&env, &[&id, "--digest", &digest])), 0);

    // A denial reaches the agent as such.
    let r = mcp.call("request_access", request_args());
    let id2 = r["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = approve(&env, &[&id2, "--deny"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = mcp.call("check_access", json!({"request_id": id2}));
    assert_eq!(r["structuredContent"]["status"], "denied", "{r}");
    assert_no_stored_value(&mcp.transcript);
    let actions: Vec<String> = audit_lines(&env)
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .filter(|a| a.starts_with("mcp."))
        .collect();
    assert_eq!(
        actions,
        [
            "mcp.request",
            "mcp.approve",
            "mcp.approve",
            "mcp.approve",
            "mcp.request",
            "mcp.deny"
        ],
        "every request and decision is an audit entry (refused approvals too)"
    );
    mcp.finish();
}

#[test]
fn approve_refuses_a_home_without_a_passphrase() {
    let env = Env::init();
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let r = mcp.call("request_access", request_args());
    let id = r["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let digest = pending_json(&env)[0]["digest"].as_str().unwrap().to_owned();
    let out = env
        .cmd(["approve", &id, "--digest", &digest])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 8, "{}", stderr(&out));
    assert!(stderr(&out).contains("passphrase"), "{}", stderr(&out));
    let r = mcp.call("check_access", json!({"request_id": id}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    mcp.finish();
}

// ---- the official MCP Python SDK -------------------------------------------------------------

/// The venv with the `mcp` package that .ci/run prepares.
fn mcp_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-mcp/bin/python");
    let works = std::process::Command::new(&python)
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the MCP SDK venv is missing and CI=true: .ci/run must install mcp into target/py-mcp"
        );
    }
    eprintln!("\n!!! SKIPPED: no target/py-mcp venv with the mcp package (run .ci/run once) !!!\n");
    None
}

const SDK_CYCLE: &str = r#"
import asyncio, json, os, sys, time, urllib.request, urllib.error
from mcp import Client, StdioServerParameters

def say(**kw):
    print(json.dumps(kw), flush=True)

def chat(base, token):
    req = urllib.request.Request(base + "/v1/chat/completions",
        data=json.dumps({"model": "gpt-test", "messages": [{"role": "user", "content": "hi"}]}).encode(),
        headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None

async def main():
    params = StdioServerParameters(command=os.environ["BYOK"], args=["mcp"],
        env={k: os.environ[k] for k in ("BYOK_HOME", "HOME", "PATH")})
    async with Client(params, mode=os.environ["MCP_MODE"]) as c:
        tools = await c.list_tools()
        say(tools=[t.name for t in tools.tools], version=getattr(c.session, "_negotiated_version", None))
        if os.environ["MCP_MODE"] == "legacy":
            m = await c.call_tool("list_models", {})
            say(models=m.structured_content, is_error=m.is_error)
            return
        r = await c.call_tool("request_access", {"agent": "python-sdk", "reason": "the cycle test",
            "models": ["gpt-*"], "budget_usd_per_day": 1.5, "lifetime": "1m"})
        say(requested=r.structured_content)
        deadline = time.time() + 120
        while True:
            a = (await c.call_tool("check_access", {"request_id": r.structured_content["request_id"]})).structured_content
            if a["status"] != "pending" or time.time() > deadline:
                break
            await asyncio.sleep(0.2)
        say(answer=a)
        status, body = chat(a["base_url"], a["token"])
        say(used=status, reply=body["choices"][0]["message"]["content"] if body else None)
        t = await c.call_tool("test_connector", {"connector": "first", "through_proxy": True})
        say(tested=t.structured_content)
        u = await c.call_tool("usage", {})
        say(usage=u.structured_content)
        expires = a["expires"]
        while time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) <= expires:
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.5)
        e = (await c.call_tool("check_access", {"request_id": r.structured_content["request_id"]})).structured_content
        status, _ = chat(a["base_url"], a["token"])
        say(after_expiry=e["status"], proxy_status=status)

asyncio.run(main())
"#;

#[test]
fn the_python_sdk_goes_through_request_approve_use_and_expiry() {
    let Some(python) = mcp_python() else {
        return;
    };
    let upstream = Upstream::start("first", Mode::Ok);
    let env = passphrase_home(&format!("{}/v1", upstream.root()));
    let _proxy = start_proxy_with(&env, &[], &[("BYOK_PASSPHRASE", PASSPHRASE)]);
    let script = env.dir.path().join("cycle.py");
    std::fs::write(&script, SDK_CYCLE).unwrap();

    // The legacy handshake, as Claude Code speaks it.
    let out = env
        .program(python.to_str().unwrap())
        .arg(&script)
        .env("MCP_MODE", "legacy")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["tools"].as_array().unwrap().len(), 5, "{lines:?}");
    assert_eq!(lines[0]["version"], "2025-11-25", "{lines:?}");
    assert_eq!(lines[1]["is_error"], false, "{lines:?}");
    assert_no_stored_value(&stdout(&out));

    // The modern era (mode auto probes server/discover), through the whole cycle.
    let mut child = env
        .program(python.to_str().unwrap())
        .arg(&script)
        .env("MCP_MODE", "auto")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let mut next = || {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        seen.push_str(&line);
        serde_json::from_str::<Value>(&line).unwrap_or_else(|_| panic!("python said: {line:?}"))
    };
    let listed = next();
    assert_eq!(listed["tools"].as_array().unwrap().len(), 5);
    // mode "auto" probed server/discover and adopted the modern era.
    assert_eq!(listed["version"], "2026-07-28", "{listed}");
    let requested = next();
    let id = requested["requested"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(requested["requested"]["status"], "pending");
    let deadline = Instant::now() + Duration::from_secs(30);
    let digest = loop {
        let listed = pending_json(&env);
        if let Some(r) = listed.iter().find(|r| r["id"] == json!(id)) {
            assert_eq!(r["agent"], "python-sdk");
            break r["digest"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline);
    };
    let out = approve(&env, &[&id, "--digest", &digest[..16]]);
    assert!(out.status.success(), "{}", stderr(&out));
    let answer = next();
    assert_eq!(answer["answer"]["status"], "granted", "{answer}");
    let used = next();
    assert_eq!(used["used"], 200, "{used}");
    assert!(used["reply"].is_string(), "{used}");
    // The fake upstream got the real key; the client only ever had the placeholder.
    assert!(
        upstream
            .seen()
            .iter()
            .any(|s| s.header("authorization") == Some(&format!("Bearer {KEY_A}")))
    );
    let tested = next();
    assert_eq!(tested["tested"]["ran_now"], true, "{tested}");
    assert_eq!(tested["tested"]["status"], 200, "{tested}");
    assert_eq!(tested["tested"]["answered_by"], "first", "{tested}");
    let usage = next();
    assert_eq!(
        usage["usage"]["tokens"][0]["budget_usd_per_day"], 1.5,
        "{usage}"
    );
    let expired = next();
    assert_eq!(expired["after_expiry"], "expired", "{expired}");
    assert_eq!(expired["proxy_status"], 401, "{expired}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_stored_value(&seen);
    assert_no_stored_value(&stderr(&out));
}

#[test]
fn a_policy_grants_only_once_pinned_and_only_what_it_covers() {
    let upstream = Upstream::start("first", Mode::Ok);
    let env = passphrase_home(&format!("{}/v1", upstream.root()));
    let config = add_policy(&env);
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let covered = mcp.call("request_access", request_args());
    let covered = covered["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut args = request_args();
    args["budget_usd_per_day"] = json!(50);
    let over = mcp.call("request_access", args);
    let over = over["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Unpinned: nothing is granted, and it says so.
    let out = approve(&env, &["--policy"]);
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("not pinned"), "{}", stderr(&out));
    // Pinned, then widened in config.toml (as an agent could): nothing is granted.
    pin_policy(&env);
    let pinned = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        pinned.replace("max_budget_usd_per_day = 2", "max_budget_usd_per_day = 500"),
    )
    .unwrap();
    let out = approve(&env, &["--policy"]);
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since it was pinned"),
        "{}",
        stderr(&out)
    );
    assert_eq!(pending_json(&env).len(), 2);
    // A pin written without the identity does not verify either.
    std::fs::write(&config, &pinned).unwrap();
    let pin = env.file("mcp-policy.pin");
    let good = std::fs::read_to_string(&pin).unwrap();
    std::fs::write(
        &pin,
        good.replace(
            "\"max_budget_usd_per_day\": 2.0",
            "\"max_budget_usd_per_day\": 3.0",
        ),
    )
    .unwrap();
    assert_eq!(exit_code(&approve(&env, &["--policy"])), 2);
    std::fs::write(&pin, &good).unwrap();
    // As pinned: the covered request is granted, the other waits for a person.
    let out = approve(&env, &["--policy", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let result: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(result["granted"], json!([covered]));
    assert_eq!(result["pending"], json!([over]));
    let r = mcp.call("check_access", json!({"request_id": covered}));
    assert_eq!(r["structuredContent"]["status"], "granted", "{r}");
    let r = mcp.call("check_access", json!({"request_id": over}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    mcp.finish();
}

#[test]
fn on_a_terminal_approve_shows_the_request_asks_and_takes_the_typed_passphrase() {
    use crate::harness::{Pace, on_terminal};
    let env = passphrase_home("https://api.example.invalid/v1");
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let ask = |mcp: &mut Mcp| {
        let r = mcp.call("request_access", request_args());
        r["structuredContent"]["request_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let pace = || Pace {
        first: "1",
        then: "2",
        tail: "8",
        timeout: 40,
    };
    // Declined at the question: nothing is asked for, nothing granted.
    let declined = ask(&mut mcp);
    let out = on_terminal(&env, &format!("approve {declined}"), &["n"], pace());
    let shown = stdout(&out);
    assert!(
        shown.contains("test-agent") && shown.contains("digest:"),
        "{shown}"
    );
    let r = mcp.call("check_access", json!({"request_id": declined}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    // Approved: the question, then the passphrase typed at the hidden prompt.
    let id = ask(&mut mcp);
    let out = on_terminal(&env, &format!("approve {id}"), &["y", PASSPHRASE], pace());
    let shown = stdout(&out);
    assert!(shown.contains("Approve request"), "{shown}");
    assert!(
        !shown.contains(PASSPHRASE),
        "the passphrase was echoed: {shown}"
    );
    let r = mcp.call("check_access", json!({"request_id": id}));
    assert_eq!(r["structuredContent"]["status"], "granted", "{r}\n{shown}");
    mcp.finish();
}

/// `approve --policy --watch`: a request the pinned rules cover is granted while the agent
/// polls, one they do not cover stays pending, and widening the rules in config.toml (as an
/// agent could) stops the watcher instead of widening the grants.
#[test]
fn approve_policy_watch_grants_as_requests_arrive_and_stops_when_the_rules_change() {
    let upstream = Upstream::start("first", Mode::Ok);
    let env = passphrase_home(&format!("{}/v1", upstream.root()));
    let config = add_policy(&env);
    pin_policy(&env);

    let mut watcher = start_watcher(&env);
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    // Asked after the watcher started: nobody runs `byok approve` for it.
    let covered = mcp.call("request_access", request_args());
    let covered = covered["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut args = request_args();
    args["budget_usd_per_day"] = json!(50);
    let over = mcp.call("request_access", args);
    let over = over["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = mcp.call("check_access", json!({"request_id": covered}));
        if r["structuredContent"]["status"] == "granted" {
            assert!(
                r["structuredContent"]["token"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("sk-ant-byok01-")),
                "{r}"
            );
            break;
        }
        assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
        assert!(
            Instant::now() < deadline,
            "the watcher did not grant {covered}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let r = mcp.call("check_access", json!({"request_id": over}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");

    // Widened behind the pin's back: the watcher stops (exit 2) and grants nothing more.
    // (Renamed into place, so the watcher never reads a half-written file.)
    let pinned = std::fs::read_to_string(&config).unwrap();
    let widened = env.file("config.toml.new");
    std::fs::write(
        &widened,
        pinned.replace("max_budget_usd_per_day = 2", "max_budget_usd_per_day = 500"),
    )
    .unwrap();
    std::fs::rename(&widened, &config).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = watcher.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the watcher kept running");
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = watcher.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since it was pinned"),
        "{}",
        stderr(&out)
    );
    let granted: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(granted, vec![json!({"granted": covered})]);
    let r = mcp.call("check_access", json!({"request_id": over}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    mcp.finish();
}

/// Hostile files in the requests folder (a program of the user can write there): a FIFO
/// under a request's name does not hang `byok approve`, and a request the watcher cannot
/// grant (its token name taken) does not stop it granting the next.
#[cfg(unix)]
#[test]
fn planted_request_files_neither_hang_approve_nor_stop_the_watcher() {
    let upstream = Upstream::start("first", Mode::Ok);
    let env = passphrase_home(&format!("{}/v1", upstream.root()));
    add_policy(&env);
    pin_policy(&env);
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = mcp.call("request_access", request_args());
        ids.push(
            r["structuredContent"]["request_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // A FIFO named like a request.
    let fifo = env.file(&format!("mcp/requests/{}.json", "0".repeat(32)));
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = env
        .cmd(["approve", "--json"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The first request's token name, taken beforehand.
    let taken = format!("mcp-{}", &ids[0][..12]);
    let out = env
        .cmd(["proxy", "token", "create", &taken, "--expires", "1h"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let mut watcher = start_watcher(&env);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = mcp.call("check_access", json!({"request_id": ids[1]}));
        if r["structuredContent"]["status"] == "granted" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the watcher stopped at the first request"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let r = mcp.call("check_access", json!({"request_id": ids[0]}));
    assert_eq!(r["structuredContent"]["status"], "pending", "{r}");
    assert!(watcher.try_wait().unwrap().is_none(), "the watcher exited");
    watcher.kill().unwrap();
    let out = watcher.wait_with_output().unwrap();
    assert!(
        stderr(&out).contains(&format!("request {} was not granted", ids[0])),
        "{}",
        stderr(&out)
    );
    mcp.finish();
}

/// A request file edited by another program to carry a key in its reason: `byok approve`
/// lists it with the key hidden, on the terminal and in JSON.
#[test]
fn approve_hides_a_key_planted_in_a_request_file() {
    let env = passphrase_home("https://api.example.invalid/v1");
    let mut mcp = Mcp::start(&env);
    mcp.initialize();
    let r = mcp.call("request_access", request_args());
    let id = r["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = env.file(&format!("mcp/requests/{id}.json"));
    let planted = "sk-proj-test-planted0123456789abcdefXYZ";
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("run the test suite", &format!("use {planted} please"));
    std::fs::write(&path, text).unwrap();
    for args in [&["approve"][..], &["approve", "--json"][..]] {
        let out = env.cmd(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let all = stdout(&out) + &stderr(&out);
        assert!(all.contains("please"), "{args:?}: {all}");
        assert!(!all.contains(planted), "{args:?} shows the key: {all}");
    }
    mcp.finish();
}
