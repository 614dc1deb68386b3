//! `byok usage` and the ledger: proxied requests (both wires, streamed and not) and
//! connection tests as rows, the one-time import of `usage.jsonl`, costs from a price table
//! given in the test, budgets per placeholder token (429 in each wire, next-day reset),
//! `--by`, `--json`, `--csv`, `--check`, and the HTML report in headless Chromium.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{Env, require_tool, stderr, stdout};
use crate::harness::{Mode, Upstream, chat, home, http, messages, start_proxy_with, token};

const KEY_A: &str = "sk-test-proxy-first-0123456789abcdef";

/// USD 1 per input token and 2 per output token: costs are the token counts.
const PRICES: &str = "[prices.\"gpt-test\"]\ninput = 1000000\noutput = 2000000\n\n";

/// `byok usage ARGS` as JSON (other tests' view of the ledger).
pub(crate) fn usage(env: &Env, args: &[&str]) -> Value {
    let out = env.cmd(["usage"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| panic!("{}", stdout(&out)))
}

/// Waits until the ledger has `n` requests (the proxy writes them from another thread).
fn wait_for(env: &Env, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = usage(env, &["--json", "--by", "model", "--since", "3650d"]);
        if v["total"]["requests"] == json!(n) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "the ledger has {v}, expected {n}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn group<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {v}"))
}

fn chat_streaming_usage(port: u16, token: &str, model: &str) -> crate::harness::Resp {
    http(
        port,
        "POST",
        "/v1/chat/completions",
        &[("authorization", &format!("Bearer {token}"))],
        Some(&json!({"model": model, "stream": true,
            "stream_options": {"include_usage": true},
            "messages": [{"role": "user", "content": "hi"}]})),
    )
}

fn two_wires(openai: &Upstream, claude: &Upstream, more: &str) -> Env {
    home(
        &[
            (
                "oa",
                "openai-compatible",
                "key_a",
                &format!("{}/v1", openai.root()),
                "gpt-test",
            ),
            ("an", "anthropic", "key_c", &claude.root(), "claude-test"),
        ],
        more,
    )
}

#[test]
fn proxied_requests_of_both_wires_are_rows_with_their_token_counts_and_costs() {
    let openai = Upstream::start("oa", Mode::Ok);
    let claude = Upstream::start("an", Mode::Ok);
    // Only gpt-test has a price: claude-test is "no price".
    let env = two_wires(&openai, &claude, PRICES);
    let t = token(&env, "laptop", &[]);
    let proxy = start_proxy_with(&env, &[], &[]);
    let p = proxy.port;

    assert_eq!(chat(p, &t, "gpt-test", false).status, 200); // 3 in, 2 out
    let streamed = chat_streaming_usage(p, &t, "gpt-test"); // 4 in, 3 out
    assert_eq!(streamed.status, 200);
    assert!(streamed.body.contains("\"usage\""), "{}", streamed.body);
    assert_eq!(messages(p, &t, "claude-test", false).status, 200); // 3 in, 2 out
    assert_eq!(messages(p, &t, "claude-test", true).status, 200); // 3 in, 3 out (cumulative)

    let v = wait_for(&env, 4);
    assert_eq!(v["total"]["failures"], 0);
    assert_eq!(v["total"]["unpriced_requests"], 2);
    let gpt = group(&v, "gpt-test");
    assert_eq!(
        (
            &gpt["requests"],
            &gpt["input_tokens"],
            &gpt["output_tokens"]
        ),
        (&json!(2), &json!(7), &json!(5))
    );
    // 7 input tokens × $1 + 5 output tokens × $2
    assert_eq!(gpt["cost_usd"].as_f64().unwrap(), 17.0);
    assert_eq!(gpt["unpriced_requests"], 0);
    let claude_row = group(&v, "claude-test");
    assert_eq!(
        (
            &claude_row["requests"],
            &claude_row["input_tokens"],
            &claude_row["output_tokens"]
        ),
        (&json!(2), &json!(6), &json!(5))
    );
    assert_eq!(claude_row["cost_usd"].as_f64().unwrap(), 0.0);
    assert_eq!(claude_row["unpriced_requests"], 2);

    // --by groupings
    let by_token = usage(&env, &["--json", "--by", "token"]);
    assert_eq!(group(&by_token, "laptop")["requests"], 4);
    let by_connector = usage(&env, &["--json", "--by", "connector"]);
    assert_eq!(group(&by_connector, "oa")["requests"], 2);
    assert_eq!(group(&by_connector, "an")["requests"], 2);
    let by_provider = usage(&env, &["--json", "--by", "provider"]);
    assert_eq!(group(&by_provider, "anthropic")["requests"], 2);
    assert_eq!(group(&by_provider, "openai-compatible")["requests"], 2);
    let by_day = usage(&env, &["--json", "--by", "day"]);
    assert_eq!(by_day["by"], "day");
    assert_eq!(by_day["groups"].as_array().unwrap().len(), 1);
    assert_eq!(by_day["groups"][0]["requests"], 4);
    assert!(by_day["total"]["latency_p95_ms"].is_u64());
    // Time to first token: over the two streamed requests of each model.
    assert!(gpt["ttft_p50_ms"].is_u64(), "{gpt}");
    assert!(claude_row["ttft_p95_ms"].is_u64(), "{claude_row}");
    let text = stdout(&env.cmd(["usage"]).output().unwrap());
    assert!(
        text.contains("time to first token (streamed requests) p50"),
        "{text}"
    );

    // CSV: a header, one line per group; no chart when stdout is not a terminal.
    let out = env
        .cmd(["usage", "--csv", "--by", "model"])
        .output()
        .unwrap();
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "model,requests,failures,latency_p50_ms,latency_p95_ms,input_tokens,output_tokens,cached_tokens,cost_usd,unpriced_requests,ttft_p50_ms,ttft_p95_ms,absorbed"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("gpt-test,2,0,") && l.contains(",7,5,0,17,0,")),
        "{csv}"
    );
    let text = stdout(&env.cmd(["usage", "--by", "model"]).output().unwrap());
    assert!(text.contains("4 request(s), 0 failed"), "{text}");
    assert!(text.contains("2 request(s) with no price"), "{text}");
    assert!(!text.contains('█'), "a chart off a terminal: {text}");

    // Never a key, a placeholder or a body in the ledger files.
    drop(proxy);
    for name in ["usage.db", "usage.db-wal"] {
        if let Ok(bytes) = std::fs::read(env.file(name)) {
            for needle in [KEY_A.as_bytes(), t.as_bytes(), b"Hello from"] {
                assert!(memchr::memmem::find(&bytes, needle).is_none(), "{name}");
            }
        }
    }
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&env.file("usage.db")), 0o600);
}

#[test]
fn failures_are_rows_with_their_cause() {
    let bad = Upstream::start(
        "bad",
        Mode::Fail(
            401,
            r#"{"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}}"#.into(),
            vec![],
        ),
    );
    let env = home(
        &[(
            "bad",
            "openai-compatible",
            "key_a",
            &format!("{}/v1", bad.root()),
            "gpt-test",
        )],
        PRICES,
    );
    let t = token(&env, "ci", &[]);
    let proxy = start_proxy_with(&env, &[], &[]);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 401);
    let v = wait_for(&env, 1);
    assert_eq!(v["total"]["failures"], 1);
    assert_eq!(v["total"]["failures_by_cause"]["invalid key"], 1);
}

#[test]
fn usage_jsonl_is_imported_once_and_renamed() {
    let env = Env::init();
    let lines = [
        r#"{"time":"2026-11-20T05:00:00Z","kind":"test","connector":"work","provider":"openai","model":"gpt-4.1-nano","ok":true,"latency_ms":412,"input_tokens":9,"output_tokens":1}"#,
        r#"{"time":"2026-11-21T05:00:00Z","kind":"test","connector":"work","provider":"openai","model":"gpt-4.1-nano","ok":false,"cause":"invalid key","status":401,"latency_ms":100}"#,
        "not json",
    ];
    std::fs::write(env.file("usage.jsonl"), lines.join("\n")).unwrap();
    let since = ["--json", "--since", "2026-11-01"];
    let v = usage(&env, &since);
    assert_eq!(v["total"]["requests"], 2);
    assert_eq!(v["total"]["failures_by_cause"]["invalid key"], 1);
    // The built-in price of gpt-4.1-nano: 9 × $0.10/M + 1 × $0.40/M
    let cost = v["total"]["cost_usd"].as_f64().unwrap();
    assert!((cost - 1.3e-6).abs() < 1e-12, "{cost}");
    assert!(!env.file("usage.jsonl").exists());
    assert!(env.file("usage.jsonl.imported").exists());
    assert_eq!(usage(&env, &since)["total"]["requests"], 2);
}

#[test]
fn budgets_refuse_in_each_wire_and_reset_the_next_utc_day() {
    let openai = Upstream::start("oa", Mode::Ok);
    let claude = Upstream::start("an", Mode::Ok);
    let prices = format!("{PRICES}[prices.\"claude-test\"]\ninput = 1000000\noutput = 2000000\n");
    let env = two_wires(&openai, &claude, &prices);
    let t = token(&env, "capped", &["--budget", "10usd/day"]);
    let bad = env
        .cmd(["proxy", "token", "create", "x", "--budget", "5eur/day"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));

    let day1 = [("BYOK_TEST_NOW", "2026-11-30T12:00:00Z")];
    let mut proxy = start_proxy_with(&env, &[], &day1);
    let p = proxy.port;
    // $7 each; the check is before sending, so the second one still goes ($7 < $10).
    assert_eq!(chat(p, &t, "gpt-test", false).status, 200);
    assert_eq!(chat(p, &t, "gpt-test", false).status, 200);
    let refused = chat(p, &t, "gpt-test", false);
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.header("x-should-retry"), Some("false"));
    let body = refused.json();
    assert_eq!(body["error"]["type"], "rate_limit_error");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("capped") && message.contains("10usd/day"),
        "{message}"
    );
    let refused = messages(p, &t, "claude-test", false);
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("x-should-retry"), Some("false"));
    let body = refused.json();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "rate_limit_error");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("10usd/day")
    );
    // Refused requests reach no upstream.
    assert_eq!(claude.seen().len(), 0);

    // Stopped gracefully, the proxy has written its rows; a restart the same day still refuses.
    proxy.sigterm();
    proxy.wait();
    let list = env
        .cmd(["proxy", "token", "list", "--json"])
        .env("BYOK_TEST_NOW", day1[0].1)
        .output()
        .unwrap();
    let list: Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(list[0]["budget"], "10usd/day");
    assert_eq!(list[0]["today"]["cost_usd"].as_f64().unwrap(), 14.0);
    let proxy = start_proxy_with(&env, &[], &[("BYOK_TEST_NOW", "2026-11-30T23:59:00Z")]);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 429);
    drop(proxy);

    // The next UTC day starts from zero.
    let proxy = start_proxy_with(&env, &[], &[("BYOK_TEST_NOW", "2026-12-01T00:00:05Z")]);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 200);
    assert_eq!(messages(proxy.port, &t, "claude-test", false).status, 200);

    // A token budget counts input + output tokens (5 per request here).
    let tt = token(&env, "tokcap", &["--budget", "5tok/day"]);
    assert_eq!(chat(proxy.port, &tt, "gpt-test", false).status, 200);
    let r = chat(proxy.port, &tt, "gpt-test", false);
    assert_eq!(r.status, 429);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("5tok/day")
    );
}

#[test]
fn the_proxies_of_one_home_share_a_budget() {
    let openai = Upstream::start("oa", Mode::Ok);
    let claude = Upstream::start("an", Mode::Ok);
    let env = two_wires(&openai, &claude, PRICES);
    let t = token(&env, "shared", &["--budget", "10usd/day"]);
    let a = start_proxy_with(&env, &[], &[]);
    let b = start_proxy_with(&env, &[], &[]);
    // $7 through each: $14 in all, over the $10 budget, but each proxy spent only $7.
    assert_eq!(chat(b.port, &t, "gpt-test", false).status, 200);
    assert_eq!(chat(a.port, &t, "gpt-test", false).status, 200);
    wait_for(&env, 2);
    // B re-reads the ledger about every second once it has seen a budget.
    std::thread::sleep(Duration::from_millis(2500));
    let refused = chat(b.port, &t, "gpt-test", false);
    assert_eq!(
        refused.status, 429,
        "B must see A's spend: {}",
        refused.body
    );
    assert!(refused.body.contains("spent $14"), "{}", refused.body);
    // A knows its own $7 and reads B's.
    assert_eq!(chat(a.port, &t, "gpt-test", false).status, 429);
}

fn jsonl_row(time: &str, connector: &str, ok: bool, input: u64) -> String {
    if ok {
        json!({"time": time, "kind": "test", "connector": connector, "provider": "openai",
            "model": "gpt-test", "ok": true, "latency_ms": 10, "input_tokens": input,
            "output_tokens": 0})
        .to_string()
    } else {
        json!({"time": time, "kind": "test", "connector": connector, "provider": "openai",
            "model": "gpt-test", "ok": false, "cause": "invalid key", "status": 401,
            "latency_ms": 10})
        .to_string()
    }
}

#[test]
fn check_exits_9_on_spend_over_the_median_or_auth_failures() {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), PRICES).unwrap();
    let now = "2026-11-30T12:00:00Z";
    let check = |env: &Env| {
        env.cmd(["usage", "--check"])
            .env("BYOK_TEST_NOW", now)
            .output()
            .unwrap()
    };
    // $1 a day for seven days, $3 today: not over 3 × the median.
    let mut rows: Vec<String> = (23..=29)
        .map(|d| jsonl_row(&format!("2026-11-{d}T10:00:00Z"), "c", true, 1))
        .collect();
    rows.push(jsonl_row("2026-11-30T10:00:00Z", "c", true, 3));
    std::fs::write(env.file("usage.jsonl"), rows.join("\n")).unwrap();
    let out = check(&env);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // One more dollar today: $4 > 3 × $1.
    std::fs::write(
        env.file("usage.jsonl"),
        jsonl_row("2026-11-30T11:00:00Z", "c", true, 1),
    )
    .unwrap();
    let out = check(&env);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("connector 'c' spent $4"),
        "{}",
        stdout(&out)
    );
    // A higher factor in config.toml accepts it.
    std::fs::write(
        env.file("config.toml"),
        format!("{PRICES}[usage]\nanomaly_factor = 5\nauth_failure_threshold = 2\n"),
    )
    .unwrap();
    assert_eq!(check(&env).status.code(), Some(0));
    // Three authentication failures today are over the threshold of 2.
    let failures: Vec<String> = (0..3)
        .map(|i| jsonl_row(&format!("2026-11-30T0{i}:00:00Z"), "k", false, 0))
        .collect();
    std::fs::write(env.file("usage.jsonl"), failures.join("\n")).unwrap();
    let out = env
        .cmd(["usage", "--check", "--json"])
        .env("BYOK_TEST_NOW", now)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    let findings: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(findings[0]["kind"], "auth_failures");
    assert_eq!(findings[0]["name"], "k");
    // The next day, nothing is anomalous.
    let out = env
        .cmd(["usage", "--check"])
        .env("BYOK_TEST_NOW", "2026-12-01T12:00:00Z")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn the_html_report_shows_the_totals_in_chromium_and_fetches_nothing() {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), PRICES).unwrap();
    let rows: Vec<String> = (0..7)
        .map(|i| jsonl_row(&format!("2026-11-2{i}T10:00:00Z"), "c<b>", true, 11))
        .chain([jsonl_row("2026-11-27T10:00:00Z", "c<b>", false, 0)])
        .collect();
    std::fs::write(env.file("usage.jsonl"), rows.join("\n")).unwrap();
    let report = env.dir.path().join("report.html");
    let out = env
        .cmd(["usage", "--since", "2026-11-01", "--html"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("default-src 'none'"));
    assert!(page.contains("c&lt;b&gt;") && !page.contains("c<b>"));
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&report), 0o600);

    let Some(chromium) = require_tool("chromium") else {
        return;
    };
    // The report's totals as the browser rendered them, and the page's own requests.
    let (dom, page_urls) = chromium_load(&chromium, &report);
    assert!(dom.contains("<dd id=\"total-requests\">8</dd>"), "{dom}");
    assert!(dom.contains("<dd id=\"total-failures\">1</dd>"), "{dom}");
    assert!(
        dom.contains("<dd id=\"total-input-tokens\">77</dd>"),
        "{dom}"
    );
    assert!(dom.contains("<dd id=\"total-cost\">$77.0000</dd>"), "{dom}");
    assert!(dom.contains("<svg"), "{dom}");
    let fetched: Vec<&String> = page_urls
        .iter()
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:"))
        .collect();
    assert!(
        fetched.is_empty(),
        "the report made network requests: {fetched:?}"
    );
    // The control: a page that does fetch something is caught by the same net-log reading.
    let control = env.dir.path().join("control.html");
    std::fs::write(
        &control,
        "<html><body><img src=\"http://127.0.0.1:9/pixel.png\"></body></html>",
    )
    .unwrap();
    let (_, control_urls) = chromium_load(&chromium, &control);
    assert!(
        control_urls
            .iter()
            .any(|u| u == "http://127.0.0.1:9/pixel.png"),
        "{control_urls:?}"
    );
}

/// Loads `page` in headless Chromium: its DOM, and the URLs the page itself requested (from
/// a net log: requests whose network isolation key is the file's site, not the browser's
/// own background requests).
fn chromium_load(chromium: &std::path::Path, page: &std::path::Path) -> (String, Vec<String>) {
    let scratch = tempfile::tempdir().unwrap();
    let netlog = scratch.path().join("netlog.json");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&std::fs::read(&netlog).unwrap()).unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    let urls = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_owned))
        .collect();
    (stdout(&out), urls)
}

#[test]
fn the_day_chart_is_drawn_on_a_terminal_only() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    std::fs::write(env.file("config.toml"), PRICES).unwrap();
    let rows: Vec<String> = [("2026-11-20", 1), ("2026-11-21", 4)]
        .iter()
        .flat_map(|(day, n)| {
            (0..*n).map(move |i| jsonl_row(&format!("{day}T1{i}:00:00Z"), "c", true, 1))
        })
        .collect();
    std::fs::write(env.file("usage.jsonl"), rows.join("\n")).unwrap();
    let out = env
        .program("script")
        .args(["-qec", "\"$BYOK\" usage --since 2026-11-01", "/dev/null"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("requests per day"), "{text}");
    // Four requests fill the 40 cells; one request takes a quarter of them.
    let line = |day: &str| {
        text.lines()
            .find(|l| l.starts_with(day))
            .unwrap_or_else(|| panic!("{text}"))
            .to_owned()
    };
    assert_eq!(line("2026-11-21").matches('█').count(), 40, "{text}");
    assert_eq!(line("2026-11-20").matches('█').count(), 10, "{text}");
    let off = stdout(
        &env.cmd(["usage", "--since", "2026-11-01"])
            .output()
            .unwrap(),
    );
    assert!(!off.contains('█') && off.contains("5 request(s)"), "{off}");
}

/// Attack: an agent deletes its rows from `usage.db` (writable by any process of the user)
/// while it spends, and plants a row whose token is not text. The proxy never lowers a
/// token's spend within the day, and a malformed row costs it neither its ledger nor its
/// budgets after a restart.
#[test]
fn erasing_ledger_rows_gives_no_budget_back() {
    let Some(python) = crate::harness::require_tool("python3") else {
        return;
    };
    let openai = Upstream::start("oa", Mode::Ok);
    let claude = Upstream::start("an", Mode::Ok);
    let env = two_wires(&openai, &claude, PRICES);
    let t = token(&env, "capped", &["--budget", "10usd/day"]);
    let erase = |extra: &str| {
        let script = format!(
            "import sqlite3; c = sqlite3.connect({db:?}); c.execute('DELETE FROM ledger'); {extra}; c.commit()",
            db = env.file("usage.db").display().to_string()
        );
        let out = std::process::Command::new(&python)
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let proxy = start_proxy_with(&env, &[], &[]);
    let p = proxy.port;
    // $7 each: two go through, then the budget is used up…
    assert_eq!(chat(p, &t, "gpt-test", false).status, 200);
    assert_eq!(chat(p, &t, "gpt-test", false).status, 200);
    wait_for(&env, 2);
    // … and stays used up although the rows are erased before each refresh.
    for _ in 0..4 {
        erase("pass");
        std::thread::sleep(Duration::from_millis(1200));
        let r = chat(p, &t, "gpt-test", false);
        assert_eq!(r.status, 429, "the erased spend came back: {}", r.body);
    }
    assert_eq!(openai.seen().len(), 2);
    drop(proxy);
    // A malformed row (a token that is not text) next to a real one: a restarted proxy
    // still has its ledger and refuses the spent token.
    erase(
        "cols = 'time_ms, kind, token, connector, provider, model, ok, latency_ms, cost_usd'; \
         now = \"strftime('%s','now')*1000\"; \
         c.execute(f\"INSERT INTO ledger({cols}) VALUES ({now}, 'proxy', x'00ff', 'oa', 'openai', 'gpt-test', 1, 1, 1)\"); \
         c.execute(f\"INSERT INTO ledger({cols}) VALUES ({now}, 'proxy', 'capped', 'oa', 'openai', 'gpt-test', 1, 1, 14)\")",
    );
    let proxy = start_proxy_with(&env, &[], &[]);
    let r = chat(proxy.port, &t, "gpt-test", false);
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(openai.seen().len(), 2);
}

/// `usage` created `usage.db` (and the home) in a home `init` never made.
#[test]
fn usage_in_a_home_that_is_not_initialised_refuses_and_creates_nothing() {
    let env = Env::new();
    crate::harness::refused_uninitialised(&env, &["usage"]);
    crate::harness::refused_uninitialised(&env, &["audit"]);
}

/// An upstream that sends a whole stream (in the request's wire), then holds the connection
/// open for two seconds before closing it, as keep-alive servers do.
fn lingering_wire(_name: &str, path: &str, body: &Value, out: &mut std::net::TcpStream) {
    use std::io::Write;
    // "slow": the first event, then two seconds before the rest.
    if body["messages"][0]["content"] == "slow" {
        let c = json!({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]});
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: {c}\n\n"
        );
        let _ = out.flush();
        std::thread::sleep(Duration::from_secs(2));
        let _ = out.write_all(b"data: [DONE]\n\n");
        return;
    }
    let mut text = String::from(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
    );
    if path.contains("/messages") {
        for e in [
            json!({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}),
            json!({"type":"content_block_stop","index":0}),
            json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}),
            json!({"type":"message_stop"}),
        ] {
            text.push_str(&format!(
                "event: {}\ndata: {e}\n\n",
                e["type"].as_str().unwrap()
            ));
        }
    } else {
        let c = json!({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]});
        let u = json!({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}});
        text.push_str(&format!("data: {c}\n\ndata: {u}\n\ndata: [DONE]\n\n"));
    }
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    std::thread::sleep(Duration::from_secs(2));
}

/// A client that reads a stream up to its final event (`[DONE]`, `message_stop`) and hangs
/// up at once, as the SDKs do: the row is `ok`. One that hangs up before: "client went away".
#[test]
fn a_stream_whose_final_event_was_delivered_is_ok_even_if_the_client_hangs_up() {
    use std::io::{Read, Write};
    let openai = Upstream::start("oa", Mode::Wire(lingering_wire));
    let claude = Upstream::start("an", Mode::Wire(lingering_wire));
    let env = two_wires(&openai, &claude, "");
    let t = token(&env, "sdk", &[]);
    let proxy = start_proxy_with(&env, &[], &[]);
    let read_until = |path: &str, body: Value, end: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", proxy.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let body = body.to_string();
        write!(
            s,
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\nauthorization: Bearer {t}\r\nx-api-key: {t}\r\n\
             anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n\r\n{body}",
            proxy.port,
            body.len()
        )
        .unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains(end) {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "{}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&buf[..n]);
        }
        // Hang up at once: the upstream still holds its connection for two seconds.
    };
    let chat_body = json!({"model": "gpt-test", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    read_until("/v1/chat/completions", chat_body, "[DONE]");
    read_until(
        "/v1/messages",
        json!({"model": "claude-test", "max_tokens": 5, "stream": true, "messages": [{"role": "user", "content": "hi"}]}),
        "message_stop",
    );
    // Before the end: the first chunk only.
    read_until(
        "/v1/chat/completions",
        json!({"model": "gpt-test", "stream": true, "messages": [{"role": "user", "content": "slow"}]}),
        "\"hi\"",
    );
    let v = wait_for(&env, 3);
    assert_eq!(v["total"]["failures"], 1, "{v}");
    assert_eq!(
        v["total"]["failures_by_cause"],
        json!({"client went away": 1}),
        "{v}"
    );
    assert_eq!(group(&v, "claude-test")["failures"], 0, "{v}");
}

/// `[alerts]`: the command runs once per threshold, token and UTC day as spend grows —
/// not again after a restart — with the message and `BYOK_ALERT_*`, and no key.
#[test]
fn budget_thresholds_run_the_alert_command_once_each() {
    let openai = Upstream::start("oa", Mode::Ok);
    let claude = Upstream::start("an", Mode::Ok);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("alerts.log");
    let env_log = dir.path().join("alerts.env");
    let config = format!(
        "{PRICES}[alerts]\nthresholds = [50, 80]\ncommand = [\"sh\", \"-c\", \
         'echo \"$BYOK_ALERT_TOKEN $BYOK_ALERT_THRESHOLD $BYOK_ALERT_SPENT|$1\" >> {}; env >> {}', \"alert\"]\n",
        log.display(),
        env_log.display()
    );
    let env = two_wires(&openai, &claude, &config);
    let t = token(&env, "capped", &["--budget", "10usd/day"]);
    let mut proxy = start_proxy_with(&env, &[], &[]);
    // $7: 70% of the budget, past 50.
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 200);
    let read = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.lines().count() >= n || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let text = read(1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with("capped 50 $7.0000|"), "{text}");
    assert!(
        lines[0].contains("has used 50% of its daily budget"),
        "{text}"
    );
    // $14: past 80; then refused, and nothing fires twice.
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 200);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 429);
    let text = read(2);
    proxy.sigterm();
    proxy.wait();
    let proxy = start_proxy_with(&env, &[], &[]);
    assert_eq!(chat(proxy.port, &t, "gpt-test", false).status, 429);
    std::thread::sleep(Duration::from_millis(500));
    let again = std::fs::read_to_string(&log).unwrap();
    assert_eq!(again, text, "a restart the same day fires nothing again");
    let thresholds: Vec<&str> = again
        .lines()
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(thresholds, ["50", "80"]);
    let child_env = std::fs::read_to_string(&env_log).unwrap();
    assert!(!child_env.contains(KEY_A), "the alert command gets no key");
    assert!(
        child_env.contains("BYOK_ALERT_BUDGET=10usd/day"),
        "{child_env}"
    );
    assert!(!child_env.contains("BYOK_HOME"), "{child_env}");
}
