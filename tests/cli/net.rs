//! The network rules end to end (see `src/net.rs`): a hand-written plain-http remote URL is
//! refused before anything is sent, proxies are never used for loopback or `http://`
//! targets, oversized answers are cut off in bounded memory, and nothing a server says can
//! print the key. All traffic stays on 127.0.0.1.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, KEY, byok_bin, require_tool, stderr, stdout};

const MODEL: &str = "test-model";

fn env_with_key() -> Env {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env
}

/// Runs byok; fails the test if the key shows in stdout or stderr.
fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(
        !o.contains(KEY) && !e.contains(KEY),
        "the key leaked:\n{o}\n{e}"
    );
    (out.status.code().unwrap(), o, e)
}

/// Appends a connector table to `config.toml` by hand, as a user with an editor would.
fn write_connector_by_hand(env: &Env, table: &str) {
    let path = env.file("config.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[connector]]\n");
    text.push_str(table);
    std::fs::write(&path, text).unwrap();
}

/// A listener that must see no connection; checked without blocking afterwards (a
/// connection completes in the kernel's backlog even if nobody accepts it).
struct Silent(TcpListener);

impl Silent {
    fn start() -> Self {
        Silent(TcpListener::bind("127.0.0.1:0").unwrap())
    }

    fn url(&self) -> String {
        format!("http://{}", self.0.local_addr().unwrap())
    }

    fn assert_untouched(&self) {
        self.0.set_nonblocking(true).unwrap();
        match self.0.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Ok((_, peer)) => panic!("the listener got a connection from {peer}"),
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// Every proxy variable byok could be tempted by, pointing at `proxy`.
fn with_proxies(cmd: &mut assert_cmd::Command, proxy: &str) {
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env(name, proxy);
    }
}

#[test]
fn a_hand_written_plain_http_remote_url_is_refused_before_sending() {
    let env = env_with_key();
    write_connector_by_hand(
        &env,
        "name = \"remote\"\ntype = \"openai-compatible\"\nsecret = \"k\"\n\
         model = \"m\"\nbase_url = \"http://byok-test.invalid/v1\"\n",
    );
    // Not even a proxy may see the request.
    let proxy = Silent::start();
    let mut cmd = env.cmd(["connector", "test", "remote"]);
    with_proxies(&mut cmd, &proxy.url());
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("✗ remote"), "{out}");
    assert!(out.contains("not tested"), "{out}");
    assert!(out.contains("connector 'remote'"), "{out}");
    assert!(out.contains("refusing plain-http base URL"), "{out}");
    assert!(out.contains("nothing was sent"), "{out}");
    // Refused before any lookup: a DNS failure would mean byok tried to connect.
    assert!(
        !out.contains("DNS") && !out.contains("unreachable"),
        "{out}"
    );

    let mut cmd = env.cmd(["connector", "models", "remote"]);
    with_proxies(&mut cmd, &proxy.url());
    let (code, out, err) = run(&mut cmd);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("remote"), "{err}");
    assert!(err.contains("refusing plain-http base URL"), "{err}");
    assert!(!err.contains("DNS"), "{err}");
    proxy.assert_untouched();

    let ledger = crate::usage::usage(&env, &["--json"]);
    assert_eq!(
        ledger["total"]["failures_by_cause"]["not tested"], 1,
        "{ledger}"
    );
}

#[test]
fn allow_insecure_http_is_recorded_in_the_connector() {
    let env = env_with_key();
    env.cmd([
        "connector",
        "add",
        "lan",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--base-url",
        "http://byok-test.invalid/v1",
        "--allow-insecure-http",
    ])
    .assert()
    .success();
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(config.contains("allow_insecure_http = true"), "{config}");
    // A new URL needs the choice again: it is refused and nothing changes …
    let (code, _, err) = run(&mut env.cmd([
        "connector",
        "edit",
        "lan",
        "--base-url",
        "http://other.byok-test.invalid/v1",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refusing plain-http"), "{err}");
    // … and moving to https drops it from the file.
    env.cmd([
        "connector",
        "edit",
        "lan",
        "--base-url",
        "https://byok-test.invalid/v1",
    ])
    .assert()
    .success();
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(!config.contains("allow_insecure_http"), "{config}");
}

#[test]
fn loopback_targets_never_go_through_a_proxy() {
    let env = env_with_key();
    let fake = Fake::start(Wire::OpenAi, Some(KEY), MODEL, Reply::Success);
    env.cmd([
        "connector",
        "add",
        "c",
        "--type",
        "openai",
        "--secret",
        "k",
        "--model",
        MODEL,
        "--base-url",
        &fake.base_url(),
    ])
    .assert()
    .success();
    let proxy = Silent::start();
    let mut cmd = env.cmd(["connector", "test", "c"]);
    with_proxies(&mut cmd, &proxy.url());
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("✓ c  test-model"), "{out}");
    assert_eq!(fake.requests().len(), 1);
    let mut cmd = env.cmd(["connector", "models", "c"]);
    with_proxies(&mut cmd, &proxy.url());
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(fake.requests().len(), 2);
    proxy.assert_untouched();
}

#[test]
fn https_targets_use_the_proxy_from_the_environment() {
    // The proxy is on loopback; byok asks it to CONNECT and never resolves the host itself.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(String::new()));
    let for_thread = Arc::clone(&seen);
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            *for_thread.lock().unwrap() = head;
            let _ = (&stream).write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let env = env_with_key();
    env.cmd([
        "connector",
        "add",
        "gw",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--model",
        MODEL,
        "--base-url",
        "https://byok-test.invalid/v1",
    ])
    .assert()
    .success();
    let (code, out, _) = run(env
        .cmd(["connector", "test", "gw", "--timeout", "5"])
        .env("HTTPS_PROXY", &proxy));
    assert_eq!(code, 6, "{out}");
    let head = seen.lock().unwrap().clone();
    assert!(
        head.starts_with("CONNECT byok-test.invalid:443 "),
        "the proxy saw {head:?}; byok said {out}"
    );
    assert!(!head.contains(KEY), "{head}");
    // Reported as a connection problem, without reqwest's URL-bearing message.
    assert!(out.contains("unreachable"), "{out}");
}

/// Runs `byok ARGS` under python3 and returns (exit code, stdout, max RSS in KiB) — the
/// wrapper reads the child's peak RSS with getrusage, so no extra package is needed.
fn run_measured(env: &Env, python: &std::path::Path, args: &[&str]) -> (i32, String, u64) {
    let script = "import resource, subprocess, sys\n\
                  r = subprocess.run(sys.argv[1:])\n\
                  sys.stderr.write('maxrss_kib=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
                  sys.exit(r.returncode)\n";
    let out = env
        .program(python.to_str().unwrap())
        .arg("-c")
        .arg(script)
        .arg(byok_bin())
        .args(args)
        .output()
        .unwrap();
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(!o.contains(KEY) && !e.contains(KEY), "the key leaked");
    let rss = e
        .lines()
        .find_map(|l| l.strip_prefix("maxrss_kib="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maxrss in {e}"));
    (out.status.code().unwrap(), o, rss)
}

#[test]
fn a_100_mb_answer_is_cut_off_in_bounded_memory() {
    let Some(python) = require_tool("python3") else {
        return;
    };
    for declare_length in [false, true] {
        let env = Env::init();
        let fake = Fake::start(
            Wire::Ollama,
            None,
            MODEL,
            Reply::Huge {
                bytes: 100 * 1024 * 1024,
                declare_length,
            },
        );
        env.cmd([
            "connector",
            "add",
            "big",
            "--type",
            "ollama",
            "--model",
            MODEL,
            "--base-url",
            &fake.base_url(),
        ])
        .assert()
        .success();
        let started = Instant::now();
        let (code, out, rss_kib) = run_measured(&env, &python, &["connector", "test", "big"]);
        // Memory first: without the cap the whole body would be buffered (> 100 MB).
        assert!(
            rss_kib < 64 * 1024,
            "byok's peak RSS was {rss_kib} KiB (declared length: {declare_length})"
        );
        assert!(started.elapsed() < Duration::from_secs(15), "too slow");
        assert_eq!(code, 6, "{out}");
        assert!(
            out.contains(
                "bad response (HTTP 200): the answer is larger than 1 MiB; byok stopped reading"
            ),
            "{out}"
        );
    }
}

#[test]
fn a_server_listing_the_key_as_a_model_never_shows_it() {
    let env = env_with_key();
    // The first listed id is the key itself; another tries to drive the terminal.
    let fake = Fake::start_listing(
        Wire::OpenAi,
        Some(KEY),
        KEY,
        Reply::Success,
        vec![
            KEY.to_owned(),
            "evil\u{1b}[2J\u{1b}]0;title\u{7}\r".to_owned(),
            "other-model".to_owned(),
        ],
    );
    // A local type with a key and no model: the test picks the first listed model.
    env.cmd([
        "connector",
        "add",
        "c",
        "--type",
        "vllm",
        "--secret",
        "k",
        "--base-url",
        &fake.base_url(),
    ])
    .assert()
    .success();
    let no_controls = |text: &str| {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\r') && !text.contains('\u{7}'),
            "{text:?}"
        );
    };

    let (code, out, err) = run(&mut env.cmd(["connector", "models", "c"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("sk-***"), "{out}");
    assert!(out.contains("other-model"), "{out}");
    no_controls(&out);
    no_controls(&err);

    let (code, out, _) = run(&mut env.cmd(["connector", "models", "c", "--json"]));
    assert_eq!(code, 0, "{out}");
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["models"][0], "sk-***", "{out}");
    assert!(
        !list["models"][1].as_str().unwrap().contains('\u{1b}'),
        "{out}"
    );

    let (code, out, err) = run(&mut env.cmd(["connector", "test", "c"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("✓ c  sk-***  "), "{out}");
    assert_eq!(fake.problems(), Vec::<String>::new());
    let (_, out, _) = run(&mut env.cmd(["connector", "test", "c", "--json"]));
    assert!(
        out.contains("\"model\": \"sk-***\"") || out.contains("\"model\":\"sk-***\""),
        "{out}"
    );
    // The request itself used the real id (the server asked for it), the log does not.
    let db = std::fs::read(env.file("usage.db")).unwrap();
    assert!(memchr::memmem::find(&db, KEY.as_bytes()).is_none());
    let ledger = crate::usage::usage(&env, &["--json", "--by", "model"]);
    assert_eq!(ledger["groups"][0]["key"], "sk-***", "{ledger}");
}

/// Attack: another local user binds the loopback port of a keyed plain-http connector (the
/// real service is down) and waits for `byok connector test`. byok checks who holds the
/// other end of the connection before the first byte and sends nothing; a `service_user`
/// configured for the connector is trusted.
#[test]
fn a_key_never_goes_to_a_loopback_port_another_user_holds() {
    let port = crate::harness::free_port();
    let Some(squatter) = crate::harness::Squatter::start("nobody", &format!("127.0.0.1:{port}"))
    else {
        return;
    };
    let env = env_with_key();
    env.cmd([
        "connector",
        "add",
        "gw",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--model",
        MODEL,
        "--base-url",
        &format!("http://127.0.0.1:{port}/v1"),
    ])
    .assert()
    .success();
    let (code, out, err) = run(&mut env.cmd(["connector", "test", "gw"]));
    assert_eq!(code, 6, "{out}{err}");
    assert!(
        out.contains("byok did not send the key")
            && out.contains("another user")
            && out.contains("nobody"),
        "{out}{err}"
    );
    let (code, _, err) = run(&mut env.cmd(["connector", "models", "gw"]));
    assert_ne!(code, 0, "{err}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(squatter.received(), "", "the squatter received bytes");

    // Declared as the service's user, it is trusted.
    env.cmd(["connector", "edit", "gw", "--service-user", "nobody"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(env.file("config.toml"))
            .unwrap()
            .contains("service_user = \"nobody\"")
    );
    let (code, out, err) = run(&mut env.cmd(["connector", "test", "gw"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(squatter.received().contains("POST /v1/chat/completions"));
    env.cmd([
        "connector",
        "edit",
        "gw",
        "--service-user",
        "no-such-user-byok",
    ])
    .assert()
    .code(2);
}

/// Attack: the squatter listens on `[::1]` while the real service runs on `127.0.0.1` on
/// the same port. Whichever address a client tries (a `localhost` that resolves to `::1`
/// first, or `[::1]` written out), its holder is checked on the connection itself: the
/// squatter gets nothing. (This machine resolves `localhost` to 127.0.0.1 only, so the URL
/// names `[::1]`.)
#[test]
fn a_squatter_on_the_other_address_family_gets_nothing() {
    let real = crate::harness::Upstream::start("real", crate::harness::Mode::Ok);
    let port: u16 = real.root().rsplit(':').next().unwrap().parse().unwrap();
    let Some(squatter) = crate::harness::Squatter::start("nobody", &format!("[::1]:{port}")) else {
        return;
    };
    let env = env_with_key();
    for (name, host) in [("local", "localhost"), ("six", "[::1]")] {
        env.cmd([
            "connector",
            "add",
            name,
            "--type",
            "openai-compatible",
            "--secret",
            "k",
            "--model",
            MODEL,
            "--base-url",
            &format!("http://{host}:{port}/v1"),
        ])
        .assert()
        .success();
    }
    let (_, out, err) = run(&mut env.cmd(["connector", "test", "six"]));
    assert!(
        out.contains("byok did not send the key to [::1]"),
        "{out}{err}"
    );
    let _ = run(&mut env.cmd(["connector", "test", "local"]));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        squatter.received(),
        "",
        "the squatter on [::1] received bytes"
    );
}
