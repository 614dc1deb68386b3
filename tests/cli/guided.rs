//! Guided forms: `connector add` with arguments missing asks for them on a terminal (a pty
//! from `script`), and stays a usage error (exit 2) without one.

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, KEY, Pace, on_terminal, require_tool, stderr, stdout};

#[test]
fn connector_add_walks_through_its_questions_to_a_working_connector() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    let fake = Fake::start(Wire::OpenAi, Some(KEY), "test-model", Reply::Success);
    let base_url = fake.base_url();
    let out = on_terminal(
        &env,
        "connector add",
        &[
            "guided",     // Connector name
            "",           // Provider type: openai, the first
            "",           // Secret: "add a new secret", the only choice
            "",           // Ref name: guided_key, the suggestion
            KEY,          // the key, hidden
            &base_url,    // Base URL (the default filled in, replaced)
            "test-model", // Model
            "y",          // Test now?
        ],
        Pace::FORM,
    );
    let screen = stdout(&out);
    for question in [
        "Connector name",
        "Provider type",
        "Secret with the key",
        "Ref name for the new secret",
        "(input hidden)",
        "Base URL",
        "gpt-4.1-nano",
        "Test the connector now?",
    ] {
        assert!(screen.contains(question), "{question}: {screen}");
    }
    assert!(!screen.contains(KEY), "the key was echoed: {screen}");
    assert!(screen.contains("Added connector 'guided'"), "{screen}");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    assert_eq!(fake.requests().len(), 1, "the test ran once: {screen}");

    // The connector and its secret exist and work outside the form too.
    assert_eq!(env.get("guided_key"), KEY);
    let shown = env
        .cmd(["connector", "show", "guided", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["type"], "openai", "{shown}");
    assert_eq!(shown["secret"], "guided_key", "{shown}");
    env.cmd(["connector", "test", "guided"]).assert().success();
    // The audit names the connector as answered, not as a placeholder.
    let log = env
        .cmd(["audit", "--json", "--action", "connector.add"])
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(log[0]["connector"], "guided", "{log}");
}

#[test]
fn connector_add_without_a_terminal_is_a_usage_error() {
    let env = Env::init();
    for args in [
        &["connector", "add"][..],
        &["connector", "add", "x"],
        &["connector", "add", "--type", "openai"],
    ] {
        let out = env.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("required"), "{}", stderr(&out));
    }
    env.cmd(["connector", "list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn secret_add_offers_the_provider_the_key_looks_like() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    let out = on_terminal(
        &env,
        "secret add claude_key",
        &["sk-ant-api03-test-0123456789abcdef", ""],
        Pace::FORM,
    );
    let screen = stdout(&out);
    assert!(screen.contains("looks like one for Anthropic"), "{screen}");
    let listed = env
        .cmd(["secret", "show", "claude_key", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(shown["provider"], "anthropic", "{shown}");

    // Declined: no provider is recorded.
    on_terminal(
        &env,
        "secret add other_key",
        &["sk-ant-api03-test-0123456789abcdef", "n"],
        Pace::FORM,
    );
    let listed = env
        .cmd(["secret", "show", "other_key", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(shown["provider"].is_null(), "{shown}");
}
