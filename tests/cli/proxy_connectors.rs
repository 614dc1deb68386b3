//! `byok connector add/edit --models`, the provider types `byok proxy` serves (each with its
//! own auth header and path), the notice for the ones it skips, and `exec --via-proxy
//! --token NAME` for a name already taken.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Env, Mode, Proxy, Upstream, byok_bin, start_proxy, stderr, stdout};

const GROQ_KEY: &str = "gsk_test0123456789abcdefghijklmnopqrstuvwxyz0123456789AB";
const MISTRAL_KEY: &str = "test-mistral-0123456789abcdef";
const AZURE_KEY: &str = "0123456789abcdef0123456789abcdef";

/// `POST /v1/chat/completions` through the proxy: status, `x-byok-connector`, body.
fn chat(port: u16, token: &str, model: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = json!({"model": model, "messages": [{"role": "user", "content": "hi"}]}).to_string();
    write!(
        s,
        "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n\
         authorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let connector = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("x-byok-connector"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    (status, connector, body.to_owned())
}

/// The proxy's start-up lines on stderr (read after it is stopped).
fn stop_and_read_stderr(mut proxy: Proxy) -> String {
    proxy.sigterm();
    stderr(&proxy.wait())
}

fn token(env: &Env, name: &str) -> String {
    let out = env
        .cmd(["proxy", "token", "create", name])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_owned()
}

fn show_json(env: &Env, name: &str) -> Value {
    let out = env
        .cmd(["connector", "show", name, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn connector_models_are_set_shown_replaced_and_cleared() {
    let env = Env::init();
    env.add("k", "sk-test-models-0123456789abcdef", &[]);
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "k",
        "--models",
        "gpt-4*",
        "--models",
        "o?-mini",
        "--models",
        "gpt-4*",
    ])
    .assert()
    .success();
    assert_eq!(
        show_json(&env, "work")["models"],
        json!(["gpt-4*", "o?-mini"])
    );
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(
        config.contains(r#"models = ["gpt-4*", "o?-mini"]"#),
        "{config}"
    );
    let text = stdout(&env.cmd(["connector", "show", "work"]).output().unwrap());
    assert!(text.contains("models     gpt-4* o?-mini"), "{text}");
    let list: Value = serde_json::from_str(&stdout(
        &env.cmd(["connector", "list", "--json"]).output().unwrap(),
    ))
    .unwrap();
    assert_eq!(list[0]["models"], json!(["gpt-4*", "o?-mini"]));

    // An edit of something else keeps the list; --models replaces it.
    env.cmd(["connector", "edit", "work", "--model", "gpt-4.1-nano"])
        .assert()
        .success();
    assert_eq!(
        show_json(&env, "work")["models"],
        json!(["gpt-4*", "o?-mini"])
    );
    env.cmd([
        "connector",
        "edit",
        "work",
        "--models",
        "accounts/fireworks/models/*",
    ])
    .assert()
    .success();
    assert_eq!(
        show_json(&env, "work")["models"],
        json!(["accounts/fireworks/models/*"])
    );
    env.cmd(["connector", "edit", "work", "--models", ""])
        .assert()
        .success();
    assert_eq!(show_json(&env, "work")["models"], json!([]));
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(!config.contains("models"), "{config}");
    env.cmd(["connector", "edit", "work", "--models", "llama3:8b"])
        .assert()
        .success();
    env.cmd(["connector", "edit", "work", "--clear-models"])
        .assert()
        .success();
    assert_eq!(show_json(&env, "work")["models"], json!([]));

    // Refused: other characters, over-long globs, too many; nothing is written.
    let before = std::fs::read_to_string(env.file("config.toml")).unwrap();
    for bad in ["gpt 4", "gpt\u{1b}[31m", &"a".repeat(257)] {
        let out = env
            .cmd(["connector", "edit", "work", "--models", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("model glob #1"), "{}", stderr(&out));
        assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    }
    let mut many = vec!["connector", "edit", "work"];
    let globs: Vec<String> = (0..65).map(|i| format!("m{i}")).collect();
    for g in &globs {
        many.extend(["--models", g.as_str()]);
    }
    let out = env.cmd(&many).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("at most 64"), "{}", stderr(&out));
    let out = env
        .cmd([
            "connector",
            "add",
            "x",
            "--type",
            "openai",
            "--secret",
            "k",
            "--models",
            "a b",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(env.file("config.toml")).unwrap(),
        before
    );
    let out = env
        .cmd([
            "connector",
            "edit",
            "work",
            "--models",
            "a",
            "--clear-models",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn openai_compatible_provider_types_are_served_with_their_own_auth() {
    let groq = Upstream::start("groq", Mode::Ok);
    let mistral = Upstream::start("mistral", Mode::Ok);
    let azure = Upstream::start("azure", Mode::Ok);
    let ollama = Upstream::start("ollama", Mode::Ok);
    let env = Env::init();
    env.add("groq_key", GROQ_KEY, &[]);
    env.add("mistral_key", MISTRAL_KEY, &[]);
    env.add("azure_key", AZURE_KEY, &[]);
    env.add("gemini_key", "AIzaTest0123456789abcdefghijklmnopqrstu", &[]);
    let add = |args: &[&str]| {
        let out = env.cmd(["connector", "add"]).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    add(&[
        "fast",
        "--type",
        "groq",
        "--secret",
        "groq_key",
        "--base-url",
        &format!("{}/openai/v1", groq.root()),
        "--model",
        "llama-test",
    ]);
    // Routed by the globs `--models` wrote.
    add(&[
        "eu",
        "--type",
        "mistral",
        "--secret",
        "mistral_key",
        "--base-url",
        &format!("{}/v1", mistral.root()),
        "--models",
        "mistral-*",
        "--models",
        "codestral-?",
    ]);
    add(&[
        "az",
        "--type",
        "azure-openai",
        "--secret",
        "azure_key",
        "--base-url",
        &azure.root(),
        "--option",
        "deployment=my-nano",
    ]);
    add(&[
        "local",
        "--type",
        "ollama",
        "--base-url",
        &ollama.root(),
        "--model",
        "llama3:8b",
    ]);
    add(&["gem", "--type", "gemini", "--secret", "gemini_key"]);
    let placeholder = token(&env, "t");
    let proxy = start_proxy(&env, &[]);
    let port = proxy.port;

    let (status, connector, body) = chat(port, &placeholder, "llama-test");
    assert_eq!((status, connector.as_str()), (200, "fast"), "{body}");
    assert!(body.contains("Hello from groq"), "{body}");
    let (status, connector, body) = chat(port, &placeholder, "mistral-small-latest");
    assert_eq!((status, connector.as_str()), (200, "eu"), "{body}");
    let (status, connector, _) = chat(port, &placeholder, "codestral-2");
    assert_eq!((status, connector.as_str()), (200, "eu"));
    let (status, connector, body) = chat(port, &placeholder, "my-nano");
    assert_eq!((status, connector.as_str()), (200, "az"), "{body}");
    let (status, connector, body) = chat(port, &placeholder, "llama3:8b");
    assert_eq!((status, connector.as_str()), (200, "local"), "{body}");
    let (status, _, _) = chat(port, &placeholder, "gemini-flash-lite-latest");
    assert_eq!(status, 404, "the gemini connector is not served");

    let groq = groq.seen();
    assert_eq!(groq.len(), 1);
    assert_eq!(groq[0].path, "/openai/v1/chat/completions");
    assert_eq!(
        groq[0].header("authorization"),
        Some(&*format!("Bearer {GROQ_KEY}"))
    );
    assert_ne!(
        groq[0].header("authorization"),
        Some(&*format!("Bearer {placeholder}"))
    );
    let mistral = mistral.seen();
    assert_eq!(mistral.len(), 2);
    assert_eq!(mistral[0].path, "/v1/chat/completions");
    assert_eq!(
        mistral[0].header("authorization"),
        Some(&*format!("Bearer {MISTRAL_KEY}"))
    );
    assert_eq!(mistral[1].body["model"], "codestral-2");
    // Azure's v1 API: the key in `api-key`, no Authorization, the deployment as the model.
    let azure = azure.seen();
    assert_eq!(azure.len(), 1);
    assert_eq!(azure[0].path, "/openai/v1/chat/completions");
    assert_eq!(azure[0].header("api-key"), Some(AZURE_KEY));
    assert_eq!(azure[0].header("authorization"), None);
    assert_eq!(azure[0].body["model"], "my-nano");
    // Ollama's OpenAI compatibility API, with no key (none is configured) and no placeholder.
    let ollama = ollama.seen();
    assert_eq!(ollama.len(), 1);
    assert_eq!(ollama[0].path, "/v1/chat/completions");
    assert_eq!(ollama[0].header("authorization"), None);

    let text = stop_and_read_stderr(proxy);
    let notices: Vec<&str> = text.lines().filter(|l| l.contains("not serving")).collect();
    assert_eq!(notices.len(), 1, "{text}");
    assert!(
        notices[0].contains("connector 'gem' (gemini)") && notices[0].contains("Gemini"),
        "{text}"
    );
    assert!(text.contains("(4 connector(s))"), "{text}");
}

#[test]
fn exec_via_proxy_refuses_a_token_name_that_exists() {
    let env = Env::init();
    env.add("k", "sk-test-exec-token-0123456789abcdef", &[]);
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--model",
        "gpt-test",
    ])
    .assert()
    .success();
    token(&env, "laptop");
    let out = env
        .cmd(["exec", "--via-proxy", "--token", "laptop", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("'laptop' already exists"), "{err}");
    assert!(err.contains("only its hash is stored"), "{err}");
    assert!(err.contains("omit --token"), "{err}");
    // Refused before anything started: no proxy runs for this home, the token is kept.
    let status = env.cmd(["proxy", "status", "--json"]).output().unwrap();
    assert_eq!(stdout(&status).trim(), "[]");
    let list = stdout(
        &env.cmd(["proxy", "token", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert!(list.contains("\"laptop\""), "{list}");
    let out = env
        .cmd(["exec", "--via-proxy", "--token", "Bad Name", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid token name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn exec_via_proxy_mints_a_fresh_named_token_for_the_run() {
    let first = Upstream::start("first", Mode::Ok);
    let env = Env::init();
    env.add("k", "sk-test-exec-fresh-0123456789abcdef", &[]);
    env.cmd([
        "connector",
        "add",
        "first",
        "--type",
        "openai-compatible",
        "--secret",
        "k",
        "--base-url",
        &format!("{}/v1", first.root()),
        "--model",
        "gpt-test",
    ])
    .assert()
    .success();
    // Its own address: parallel tests and a proxy already on 127.0.0.1:8787 never meet.
    env.proxy_on_free_port();
    // The command sees the placeholder and the token list names it while it runs.
    let script = "printf '%s\\n' \"$OPENAI_API_KEY\"; \"$BYOK\" proxy token list --json";
    let out = env
        .program("sh")
        .env("BYOK", byok_bin())
        .args([
            "-c",
            "\"$BYOK\" exec --via-proxy --token ci-run first -- sh -c \"$0\"",
            script,
        ])
        .output()
        .unwrap();
    // The proxy started for the command stopped with it.
    let stopped = env.cmd(["proxy", "status", "--json"]).output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let placeholder = text.lines().next().unwrap_or_default();
    assert!(placeholder.starts_with("sk-ant-byok01-"), "{text}");
    assert!(text.contains("\"name\": \"ci-run\""), "{text}");
    // Revoked when the command exited.
    let list = stdout(
        &env.cmd(["proxy", "token", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(list.trim(), "[]", "{list}");
    assert!(first.seen().is_empty());
    assert_eq!(stdout(&stopped).trim(), "[]", "{}", stdout(&stopped));
}
