//! `byok connector …` and `byok providers`, end to end against fake providers on 127.0.0.1.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::provider::{Fake, Reply, Wire, refused_url};
use crate::harness::{Env, KEY, stderr, stdout};

const MODEL: &str = "test-model";

/// An initialised home with the key stored as `k`.
fn env_with_key() -> Env {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env
}

/// Adds connector `name` for `fake` (with secret `k` unless the wire is Ollama's).
fn add_connector(env: &Env, name: &str, wire: Wire, fake: &Fake) {
    let base = fake.base_url();
    let mut args = vec![
        "connector",
        "add",
        name,
        "--type",
        wire.kind(),
        "--model",
        MODEL,
        "--base-url",
        &base,
    ];
    if wire != Wire::Ollama {
        args.extend(["--secret", "k"]);
    }
    env.cmd(&args).assert().success();
}

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd(args).output().unwrap();
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(
        !o.contains(KEY) && !e.contains(KEY),
        "the key leaked:\n{o}\n{e}"
    );
    (out.status.code().unwrap(), o, e)
}

#[test]
fn every_wire_format_passes_the_connection_test() {
    for wire in Wire::all() {
        let env = env_with_key();
        let key = (wire != Wire::Ollama).then_some(KEY);
        let fake = Fake::start(wire, key, MODEL, Reply::Success);
        add_connector(&env, "c", wire, &fake);
        let (code, out, err) = run(&env, &["connector", "test", "c"]);
        assert_eq!(fake.problems(), Vec::<String>::new(), "{wire:?}");
        assert_eq!(code, 0, "{wire:?}: {out}{err}");
        assert!(out.starts_with("✓ c  test-model  "), "{wire:?}: {out}");
        assert!(out.contains("\"ok\""), "{wire:?}: {out}");
        assert!(out.contains("11 in / 1 out tokens"), "{wire:?}: {out}");
        assert_eq!(fake.requests().len(), 1, "{wire:?}");
    }
}

#[test]
fn test_json_and_the_usage_log() {
    let env = env_with_key();
    let fake = Fake::start(Wire::OpenAi, Some(KEY), MODEL, Reply::Success);
    add_connector(&env, "work", Wire::OpenAi, &fake);
    let (code, out, _) = run(
        &env,
        &["connector", "test", "--json", "--prompt", "Reply with 'ok'"],
    );
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["connector"], "work");
    assert_eq!(list[0]["ok"], true);
    assert_eq!(list[0]["reply"], "ok");
    assert_eq!(list[0]["input_tokens"], 11);

    // The test is a row of the usage ledger (tests/cli/usage.rs checks it in depth).
    let db = std::fs::read(env.file("usage.db")).unwrap();
    assert!(memchr::memmem::find(&db, KEY.as_bytes()).is_none());
    let (_, out, _) = run(&env, &["usage", "--json", "--by", "connector"]);
    let record: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(record["groups"][0]["key"], "work");
    assert_eq!(record["groups"][0]["requests"], 1);
    assert_eq!(record["groups"][0]["output_tokens"], 1);
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&env.file("usage.db")), 0o600);

    let (_, out, _) = run(&env, &["connector", "list"]);
    assert!(out.contains("✓ just now"), "{out}");
}

#[test]
fn add_with_test_runs_it() {
    let env = env_with_key();
    let fake = Fake::start(Wire::Anthropic, Some(KEY), MODEL, Reply::Success);
    let base = fake.base_url();
    let (code, out, err) = run(
        &env,
        &[
            "connector",
            "add",
            "claude",
            "--type",
            "anthropic",
            "--secret",
            "k",
            "--model",
            MODEL,
            "--base-url",
            &base,
            "--test",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Added connector 'claude'"), "{err}");
    assert!(out.starts_with("✓ claude"), "{out}");
}

/// Runs a test against an OpenAI-style fake answering `reply`; returns (code, stdout).
fn failing(wire: Wire, reply: Reply) -> (i32, String) {
    let env = env_with_key();
    let fake = Fake::start(wire, Some(KEY), MODEL, reply);
    add_connector(&env, "c", wire, &fake);
    let (code, out, err) = run(&env, &["connector", "test", "c"]);
    assert!(err.contains("1 of 1 connection test(s) failed"), "{err}");
    let ledger = crate::usage::usage(&env, &["--json"]);
    assert_eq!(ledger["total"]["failures"], 1, "{ledger}");
    (code, out)
}

fn openai_error(message: &str, kind: &str, code: &str) -> String {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}}).to_string()
}

#[test]
fn invalid_key_echoed_by_the_provider_is_redacted() {
    let message = format!(
        "Incorrect API key provided: {KEY}. You can find your API key at https://platform.openai.com/account/api-keys."
    );
    let (code, out) = failing(
        Wire::OpenAi,
        Reply::Fixed(
            401,
            vec![],
            openai_error(&message, "invalid_request_error", "invalid_api_key"),
        ),
    );
    assert_eq!(code, 6);
    assert!(
        out.starts_with("✗ c  test-model  invalid key (HTTP 401): Incorrect API key provided:"),
        "{out}"
    );
    assert!(out.contains("fix: check the key"), "{out}");
    // The key's tail must not survive either.
    assert!(!out.contains("abcdefghij"), "{out}");
}

#[test]
fn gemini_full_key_echo_is_redacted() {
    let body = json!({"error": {"code": 403, "status": "PERMISSION_DENIED",
        "message": format!("Permission denied: Consumer 'api_key:{KEY}' has been suspended.")}});
    let (code, out) = failing(Wire::Gemini, Reply::Fixed(403, vec![], body.to_string()));
    assert_eq!(code, 6);
    // A suspended key: the classifier calls it an invalid key (it must be replaced).
    assert!(
        out.contains("(HTTP 403): Permission denied: Consumer"),
        "{out}"
    );
    assert!(!out.contains("0123456789"), "{out}");
}

#[test]
fn gemini_invalid_key_is_a_400_with_api_key_invalid() {
    let body = json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
        "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}});
    let (_, out) = failing(Wire::Gemini, Reply::Fixed(400, vec![], body.to_string()));
    assert!(out.contains("invalid key (HTTP 400)"), "{out}");
}

#[test]
fn no_quota_is_not_a_rate_limit() {
    let body = openai_error(
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        "insufficient_quota",
    );
    let (code, out) = failing(Wire::OpenAi, Reply::Fixed(429, vec![], body));
    assert_eq!(code, 6);
    assert!(out.contains("no credit / quota (HTTP 429)"), "{out}");
    assert!(out.contains("add credit"), "{out}");
}

#[test]
fn anthropic_low_credit_is_no_quota() {
    let body = json!({"type": "error", "error": {"type": "invalid_request_error",
        "message": "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}});
    let (_, out) = failing(Wire::Anthropic, Reply::Fixed(400, vec![], body.to_string()));
    assert!(out.contains("no credit / quota (HTTP 400)"), "{out}");
}

#[test]
fn rate_limit_shows_retry_after() {
    let body = openai_error(
        "Rate limit reached for test-model on requests per min (RPM): Limit 3, Used 3, Requested 1.",
        "requests",
        "rate_limit_exceeded",
    );
    let (_, out) = failing(
        Wire::OpenAi,
        Reply::Fixed(429, vec![("retry-after", "20".into())], body),
    );
    assert!(out.contains("rate limited (HTTP 429)"), "{out}");
    assert!(out.contains("retry after 20 s"), "{out}");
}

#[test]
fn model_not_found_suggests_another_model() {
    let body = openai_error(
        "The model `test-model` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
    );
    let (_, out) = failing(Wire::OpenAi, Reply::Fixed(404, vec![], body));
    assert!(out.contains("model not found (HTTP 404)"), "{out}");
    assert!(out.contains("--model"), "{out}");
}

#[test]
fn anthropic_overloaded() {
    let body =
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
    let (_, out) = failing(Wire::Anthropic, Reply::Fixed(529, vec![], body.to_string()));
    assert!(out.contains("provider overloaded (HTTP 529)"), "{out}");
}

#[test]
fn server_error_and_bad_response() {
    let (_, out) = failing(
        Wire::Cohere,
        Reply::Fixed(
            500,
            vec![],
            json!({"message": "internal server error"}).to_string(),
        ),
    );
    assert!(out.contains("provider error (HTTP 500)"), "{out}");
    let (_, out) = failing(
        Wire::OpenAi,
        Reply::Fixed(
            200,
            vec![("content-type", "text/html".into())],
            "<html>hello</html>".into(),
        ),
    );
    assert!(out.contains("bad response (HTTP 200)"), "{out}");
}

#[test]
fn timeout_is_reported_within_the_timeout() {
    let env = env_with_key();
    let fake = Fake::start_slow(
        Wire::OpenAi,
        Some(KEY),
        MODEL,
        Reply::Success,
        Duration::from_secs(4),
    );
    add_connector(&env, "slow", Wire::OpenAi, &fake);
    let started = Instant::now();
    let (code, out, _) = run(&env, &["connector", "test", "slow", "--timeout", "1"]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 6);
    assert!(out.contains("✗ slow  test-model  timeout"), "{out}");
}

#[test]
fn refused_connection_is_unreachable() {
    let env = env_with_key();
    let base = refused_url();
    env.cmd([
        "connector",
        "add",
        "gone",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--model",
        MODEL,
        "--base-url",
        &base,
    ])
    .assert()
    .success();
    let (code, out, _) = run(&env, &["connector", "test", "gone"]);
    assert_eq!(code, 6);
    assert!(out.contains("unreachable: connection refused"), "{out}");
    assert!(out.contains("fix: check the base URL"), "{out}");
}

#[test]
fn all_connectors_are_tested_concurrently() {
    let env = env_with_key();
    let mut fakes = Vec::new();
    for (i, ms) in [500, 500, 500, 1500].into_iter().enumerate() {
        let fake = Fake::start_slow(
            Wire::OpenAi,
            Some(KEY),
            MODEL,
            Reply::Success,
            Duration::from_millis(ms),
        );
        add_connector(&env, &format!("c{i}"), Wire::OpenAi, &fake);
        fakes.push(fake);
    }
    // A failing one and an archived one: the failure is reported, the archived one skipped.
    let bad = Fake::start(
        Wire::OpenAi,
        Some(KEY),
        MODEL,
        Reply::Fixed(
            401,
            vec![],
            openai_error("bad key", "invalid_request_error", "invalid_api_key"),
        ),
    );
    add_connector(&env, "bad", Wire::OpenAi, &bad);
    let archived = Fake::start(Wire::OpenAi, Some(KEY), MODEL, Reply::Success);
    add_connector(&env, "old", Wire::OpenAi, &archived);
    env.cmd(["connector", "archive", "old"]).assert().success();

    let started = Instant::now();
    let (code, out, err) = run(&env, &["connector", "test", "--all"]);
    let elapsed = started.elapsed();
    assert_eq!(code, 6, "{out}{err}");
    // Sum of the delays is 3 s; the slowest is 1.5 s.
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(2500),
        "not concurrent: {elapsed:?}"
    );
    let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with("    ")).collect();
    assert_eq!(lines.len(), 5, "{out}");
    for (i, line) in lines[..4].iter().enumerate() {
        assert!(line.starts_with(&format!("✓ c{i}  ")), "{out}");
    }
    assert!(lines[4].starts_with("✗ bad"), "{out}");
    assert!(archived.requests().is_empty());
    assert!(err.contains("1 of 5 connection test(s) failed"), "{err}");
}

#[test]
fn models_for_every_wire_with_a_list() {
    for wire in [
        Wire::OpenAi,
        Wire::Anthropic,
        Wire::Gemini,
        Wire::Cohere,
        Wire::Ollama,
        Wire::Perplexity,
    ] {
        let env = env_with_key();
        let key = (wire != Wire::Ollama).then_some(KEY);
        let fake = Fake::start(wire, key, MODEL, Reply::Success);
        add_connector(&env, "c", wire, &fake);
        let (code, out, err) = run(&env, &["connector", "models", "c"]);
        assert_eq!(fake.problems(), Vec::<String>::new(), "{wire:?}");
        assert_eq!(code, 0, "{wire:?}: {err}");
        assert!(out.contains("* test-model\n"), "{wire:?}: {out}");
        assert!(out.contains("  other-model\n"), "{wire:?}: {out}");
        assert!(!out.contains("embed"), "{wire:?}: {out}");
        let (_, out, _) = run(&env, &["connector", "models", "c", "--json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["model"], MODEL);
    }
}

#[test]
fn models_without_an_endpoint_says_so() {
    for wire in [Wire::Azure, Wire::AlephAlpha] {
        let env = env_with_key();
        let fake = Fake::start(wire, Some(KEY), MODEL, Reply::Success);
        add_connector(&env, "c", wire, &fake);
        let (code, _, err) = run(&env, &["connector", "models", "c"]);
        assert_eq!(code, 1);
        assert!(err.contains("has no model-list endpoint"), "{err}");
        assert!(err.contains("hint: set the model directly"), "{err}");
        assert!(fake.requests().is_empty());
    }
}

#[test]
fn ollama_without_a_model_uses_the_first_listed() {
    let env = Env::init();
    let fake = Fake::start(Wire::Ollama, None, MODEL, Reply::Success);
    let base = fake.base_url();
    env.cmd([
        "connector",
        "add",
        "local",
        "--type",
        "ollama",
        "--base-url",
        &base,
    ])
    .assert()
    .success();
    let (code, out, _) = run(&env, &["connector", "test", "local"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("✓ local  test-model"), "{out}");
    assert_eq!(fake.problems(), Vec::<String>::new());
}

// ---- bad input ---------------------------------------------------------------------

#[test]
fn unknown_type_lists_the_valid_ones() {
    let env = env_with_key();
    let (code, _, err) = run(
        &env,
        &["connector", "add", "x", "--type", "opnai", "--secret", "k"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown connector type 'opnai'"), "{err}");
    assert!(err.contains("openai, anthropic, gemini"), "{err}");
}

#[test]
fn duplicate_name_is_refused() {
    let env = env_with_key();
    env.cmd(["connector", "add", "x", "--type", "openai", "--secret", "k"])
        .assert()
        .success();
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "x",
            "--type",
            "anthropic",
            "--secret",
            "k",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("a connector named 'x' already exists"),
        "{err}"
    );
}

#[test]
fn missing_secret_is_named_with_the_fix() {
    let env = env_with_key();
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "x",
            "--type",
            "openai",
            "--secret",
            "nope",
        ],
    );
    assert_eq!(code, 3);
    assert!(
        err.contains("connector secret 'nope' is not in the vault"),
        "{err}"
    );
    assert!(
        err.contains("byok secret add nope --provider openai"),
        "{err}"
    );
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(!config.contains("[[connector]]"), "{config}");
}

#[test]
fn cloud_types_need_a_secret_local_ones_do_not() {
    let env = env_with_key();
    let (code, _, err) = run(&env, &["connector", "add", "x", "--type", "openai"]);
    assert_eq!(code, 2);
    assert!(err.contains("needs a key"), "{err}");
    env.cmd(["connector", "add", "l", "--type", "lmstudio"])
        .assert()
        .success();
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let env = env_with_key();
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "x",
            "--type",
            "openai-compatible",
            "--secret",
            "k",
            "--base-url",
            "http://llm.example.com/v1",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("refusing plain-http base URL"), "{err}");
    assert!(err.contains("--allow-insecure-http"), "{err}");
    env.cmd([
        "connector",
        "add",
        "x",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--base-url",
        "http://llm.example.com/v1",
        "--allow-insecure-http",
    ])
    .assert()
    .success();
    env.cmd([
        "connector",
        "add",
        "y",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--base-url",
        "http://[::1]:8000/v1",
    ])
    .assert()
    .success();
}

#[test]
fn azure_needs_a_base_url() {
    let env = env_with_key();
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "az",
            "--type",
            "azure-openai",
            "--secret",
            "k",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("needs --base-url"), "{err}");
    assert!(err.contains("https://RESOURCE.openai.azure.com"), "{err}");
}

#[test]
fn azure_deployment_and_api_version_options() {
    let env = env_with_key();
    // The fake expects deployment = MODEL; the option overrides the model name.
    let fake = Fake::start(Wire::Azure, Some(KEY), MODEL, Reply::Success);
    let base = fake.base_url();
    env.cmd([
        "connector",
        "add",
        "az",
        "--type",
        "azure-openai",
        "--secret",
        "k",
        "--base-url",
        &base,
        "--model",
        "gpt-4o-mini",
        "--option",
        "deployment=test-model",
        "--option",
        "api-version=2024-10-21",
    ])
    .assert()
    .success();
    let (code, out, _) = run(&env, &["connector", "test", "az"]);
    assert_eq!(code, 0, "{out} {:?}", fake.problems());
    let (_, out, _) = run(&env, &["connector", "show", "az", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["options"]["deployment"], "test-model");
}

#[test]
fn malformed_config_names_line_and_column_and_is_kept() {
    let env = env_with_key();
    let broken = "# mine\n[[connector]]\nname = \"a\"\ntype = openai\n";
    std::fs::write(env.file("config.toml"), broken).unwrap();
    for args in [
        &["connector", "add", "x", "--type", "openai", "--secret", "k"][..],
        &["connector", "list"][..],
    ] {
        let (code, _, err) = run(&env, args);
        assert_eq!(code, 1);
        assert!(err.contains("config.toml: line 4, column 8"), "{err}");
        assert!(err.contains("byok did not change it"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(env.file("config.toml")).unwrap(),
        broken
    );
}

#[test]
fn invalid_names_and_options() {
    let env = env_with_key();
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "Work",
            "--type",
            "openai",
            "--secret",
            "k",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("invalid connector name 'Work'"), "{err}");
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "w",
            "--type",
            "openai",
            "--secret",
            "k",
            "--option",
            "novalue",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("expected KEY=VALUE"), "{err}");
    let (code, _, err) = run(&env, &["connector", "show", "nope"]);
    assert_eq!(code, 3);
    assert!(err.contains("no connector named 'nope'"), "{err}");
}

// ---- managing connectors -------------------------------------------------------------

fn names(env: &Env, all: bool) -> Vec<String> {
    let mut args = vec!["connector", "list", "--json"];
    if all {
        args.push("--all");
    }
    let (_, out, _) = run(env, &args);
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn order_archive_default_edit_and_rm() {
    let env = env_with_key();
    for name in ["a", "b", "c"] {
        env.cmd([
            "connector",
            "add",
            name,
            "--type",
            "openai",
            "--secret",
            "k",
        ])
        .assert()
        .success();
    }
    assert_eq!(names(&env, false), ["a", "b", "c"]);
    env.cmd(["connector", "move", "c", "--top"])
        .assert()
        .success();
    assert_eq!(names(&env, false), ["c", "a", "b"]);
    let (_, out, _) = run(&env, &["connector", "default", "--json"]);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["name"], "c");

    env.cmd(["connector", "archive", "c"]).assert().success();
    assert_eq!(names(&env, false), ["a", "b"]);
    assert_eq!(names(&env, true), ["c", "a", "b"]);
    let (_, out, _) = run(&env, &["connector", "default"]);
    assert!(out.starts_with("name       a\n"), "{out}");
    let (_, out, _) = run(&env, &["connector", "list", "--all"]);
    assert!(out.contains("ARCHIVED"), "{out}");

    env.cmd(["connector", "unarchive", "c"]).assert().success();
    env.cmd(["connector", "move", "c", "--to", "3"])
        .assert()
        .success();
    assert_eq!(names(&env, false), ["a", "b", "c"]);
    env.cmd(["connector", "move", "b", "--down"])
        .assert()
        .success();
    env.cmd(["connector", "move", "a", "--down"])
        .assert()
        .success();
    assert_eq!(names(&env, false), ["c", "a", "b"]);
    env.cmd(["connector", "move", "b", "--up"])
        .assert()
        .success();
    assert_eq!(names(&env, false), ["c", "b", "a"]);
    env.cmd(["connector", "move", "b"]).assert().code(2);

    env.cmd([
        "connector",
        "edit",
        "a",
        "--model",
        "gpt-4.1-mini",
        "--base-url",
        "https://proxy.example.com/v1",
    ])
    .assert()
    .success();
    let (_, out, _) = run(&env, &["connector", "list"]);
    assert!(out.contains("gpt-4.1-mini"), "{out}");
    assert!(out.contains("https://proxy.example.com/v1"), "{out}");
    assert!(out.contains("gpt-4.1-nano (default)"), "{out}");
    env.cmd([
        "connector",
        "edit",
        "a",
        "--base-url",
        "http://proxy.example.com/v1",
    ])
    .assert()
    .code(2);

    env.cmd(["connector", "rm", "b"]).assert().code(1);
    env.cmd(["connector", "rm", "b", "--yes"])
        .assert()
        .success();
    assert_eq!(names(&env, true), ["c", "a"]);
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(!config.contains(KEY));
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&env.file("config.toml")), 0o600);
}

#[test]
fn comments_in_config_survive_edits() {
    let env = env_with_key();
    std::fs::write(
        env.file("config.toml"),
        "# my connectors\n\n# the work one\n[[connector]]\nname = \"work\" # keep me\ntype = \"openai\"\nsecret = \"k\"\n",
    )
    .unwrap();
    env.cmd([
        "connector",
        "add",
        "two",
        "--type",
        "anthropic",
        "--secret",
        "k",
    ])
    .assert()
    .success();
    env.cmd(["connector", "move", "two", "--top"])
        .assert()
        .success();
    env.cmd(["connector", "edit", "work", "--model", "m"])
        .assert()
        .success();
    let text = std::fs::read_to_string(env.file("config.toml")).unwrap();
    for comment in ["# my connectors", "# the work one", "# keep me"] {
        assert!(text.contains(comment), "{text}");
    }
    assert_eq!(names(&env, false), ["two", "work"]);
}

#[test]
fn secret_rm_refuses_a_used_secret_without_force() {
    let env = env_with_key();
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "k",
    ])
    .assert()
    .success();
    let (code, _, err) = run(&env, &["secret", "rm", "k", "--yes"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("secret 'k' is used by connector(s) work"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(env.get("k"), KEY);
    env.cmd(["secret", "rm", "k", "--yes", "--force"])
        .assert()
        .success();
    // The connector now fails its test with a clear cause instead of crashing.
    let (code, out, _) = run(&env, &["connector", "test", "work"]);
    assert_eq!(code, 6);
    assert!(
        out.contains("not tested: secret 'k' is not in the vault"),
        "{out}"
    );
}

#[test]
fn secret_rename_updates_connectors() {
    let env = env_with_key();
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "k",
    ])
    .assert()
    .success();
    let (code, _, err) = run(&env, &["secret", "rename", "k", "k2"]);
    assert_eq!(code, 0);
    assert!(err.contains("Connector 'work' now uses 'k2'"), "{err}");
    let (_, out, _) = run(&env, &["connector", "show", "work", "--json"]);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["secret"], "k2");
}

#[test]
fn providers_lists_the_catalog() {
    let env = Env::new();
    let (code, out, _) = run(&env, &["providers"]);
    assert_eq!(code, 0);
    assert!(out.contains("https://api.anthropic.com"), "{out}");
    assert!(out.contains("x-goog-api-key"), "{out}");
    assert!(out.contains("(--base-url required)"), "{out}");
    let (_, out, _) = run(&env, &["providers", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let openai = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "openai")
        .unwrap();
    assert_eq!(openai["key_env_vars"][0], "OPENAI_API_KEY");
    assert_eq!(openai["default_base_url"], "https://api.openai.com/v1");
}

#[test]
fn no_connectors_yet() {
    let env = Env::init();
    let (code, _, err) = run(&env, &["connector", "test"]);
    assert_eq!(code, 3);
    assert!(err.contains("no active connectors"), "{err}");
    let (code, _, err) = run(&env, &["connector", "list"]);
    assert_eq!(code, 0);
    assert!(err.contains("No connectors yet"), "{err}");
}

#[test]
fn redirects_are_not_followed_with_the_key() {
    let env = env_with_key();
    let elsewhere = Fake::start(Wire::Anthropic, Some(KEY), MODEL, Reply::Success);
    let redirector = Fake::start(
        Wire::Anthropic,
        Some(KEY),
        MODEL,
        Reply::Fixed(
            307,
            vec![("location", format!("{}/v1/messages", elsewhere.root))],
            String::new(),
        ),
    );
    add_connector(&env, "c", Wire::Anthropic, &redirector);
    let (code, out, _) = run(&env, &["connector", "test", "c"]);
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("redirects"), "{out}");
    assert!(
        elsewhere.requests().is_empty(),
        "the key went to the redirect target"
    );
}

#[test]
fn a_reply_that_echoes_the_key_is_redacted() {
    let env = env_with_key();
    let body = json!({
        "id": "x", "object": "chat.completion", "created": 1, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": format!("ok {KEY}")}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    });
    let fake = Fake::start(
        Wire::OpenAi,
        Some(KEY),
        MODEL,
        Reply::Fixed(200, vec![], body.to_string()),
    );
    add_connector(&env, "c", Wire::OpenAi, &fake);
    // `run` fails the test if the key appears in stdout or stderr.
    let (code, out, _) = run(&env, &["connector", "test", "c"]);
    assert_eq!(code, 0, "{out}");
    let (_, json_out, _) = run(&env, &["connector", "test", "c", "--json"]);
    assert!(json_out.contains("ok "), "{json_out}");
}

/// The finding: `connector add` with a mistyped BYOK_HOME silently created a home without a
/// vault. Every connector command that writes refuses; nothing is created.
#[test]
fn connector_add_in_a_home_that_is_not_initialised_refuses_and_creates_nothing() {
    use crate::harness::refused_uninitialised;
    let env = Env::new();
    let add = [
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "k",
    ];
    refused_uninitialised(&env, &add);
    refused_uninitialised(&env, &["connector", "edit", "work", "--model", "m"]);
    refused_uninitialised(&env, &["connector", "rm", "work", "--yes"]);
    // An empty directory (made by hand, or left by a tool) is no home either.
    std::fs::create_dir(env.home()).unwrap();
    refused_uninitialised(&env, &add);
    refused_uninitialised(&env, &["connector", "list"]);
}

/// A 404 whose body names no model (a server without the route, e.g. a wrong base URL) is
/// "endpoint not found" with a base-URL fix, in a test and in a model list; never "pick
/// another model".
#[test]
fn a_404_without_a_model_is_an_endpoint_not_found() {
    let body = json!({"detail": "Not Found"}).to_string();
    let (_, out) = failing(Wire::OpenAi, Reply::Fixed(404, vec![], body.clone()));
    assert!(out.contains("endpoint not found (HTTP 404)"), "{out}");
    assert!(out.contains("--base-url"), "{out}");
    assert!(!out.contains("another model"), "{out}");

    // A server with no model list at all.
    let env = env_with_key();
    let bare =
        crate::harness::Upstream::start("bare", crate::harness::Mode::Fail(404, body, vec![]));
    let base = format!("{}/v1", bare.root());
    let (code, _, err) = run(
        &env,
        &[
            "connector",
            "add",
            "c",
            "--type",
            "openai-compatible",
            "--model",
            MODEL,
            "--base-url",
            &base,
            "--secret",
            "k",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&env, &["connector", "models", "c"]);
    assert_ne!(code, 0);
    assert!(err.contains("endpoint not found"), "{err}");
    assert!(err.contains("base URL"), "{err}");
    assert!(!err.contains("another model"), "{err}");
}
