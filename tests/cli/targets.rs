//! Connectors as `byok env` / `byok exec` targets, and a real third-party client (the official
//! `openai` Python SDK) run under `byok exec` against the fake OpenAI server.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, KEY, stdout};

fn json_env(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env.cmd(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Two openai connectors (the first with a gateway base URL), one anthropic, one archived.
fn env_with_connectors() -> Env {
    let env = Env::init();
    env.add("work_key", KEY, &["--provider", "openai"]);
    env.add("backup_key", "sk-test-backup-0000000000", &[]);
    env.add("claude_key", "sk-ant-test-claude-00000000", &[]);
    env.add("gem_key", "AIza-test-gemini-0000000000", &[]);
    for args in [
        &[
            "connector",
            "add",
            "work",
            "--type",
            "openai",
            "--secret",
            "work_key",
            "--base-url",
            "http://127.0.0.1:9/v1",
        ][..],
        &[
            "connector",
            "add",
            "backup",
            "--type",
            "openai",
            "--secret",
            "backup_key",
        ],
        &[
            "connector",
            "add",
            "claude",
            "--type",
            "anthropic",
            "--secret",
            "claude_key",
        ],
        &[
            "connector",
            "add",
            "gem",
            "--type",
            "gemini",
            "--secret",
            "gem_key",
        ],
    ] {
        env.cmd(args).assert().success();
    }
    env.cmd(["connector", "archive", "gem"]).assert().success();
    env
}

#[test]
fn a_connector_target_exports_its_provider_variables() {
    let env = env_with_connectors();
    let vars = json_env(&env, &["env", "--format", "json", "work"]);
    assert_eq!(vars["OPENAI_API_KEY"], KEY);
    assert_eq!(vars["OPENAI_BASE_URL"], "http://127.0.0.1:9/v1");
    let vars = json_env(&env, &["env", "--format", "json", "claude"]);
    assert_eq!(vars["ANTHROPIC_API_KEY"], "sk-ant-test-claude-00000000");
    assert!(
        vars.get("ANTHROPIC_BASE_URL").is_none(),
        "default base URLs are not exported: {vars}"
    );
}

#[test]
fn without_targets_every_active_connector_is_exported_by_priority() {
    let env = env_with_connectors();
    let vars = json_env(&env, &["env", "--format", "json"]);
    assert_eq!(vars["OPENAI_API_KEY"], KEY, "`work` outranks `backup`");
    assert_eq!(vars["ANTHROPIC_API_KEY"], "sk-ant-test-claude-00000000");
    assert!(
        vars.get("GEMINI_API_KEY").is_none(),
        "archived connectors are skipped: {vars}"
    );
    env.cmd(["connector", "move", "backup", "--top"])
        .assert()
        .success();
    let vars = json_env(&env, &["env", "--format", "json"]);
    assert_eq!(vars["OPENAI_API_KEY"], "sk-test-backup-0000000000");
    assert!(vars.get("OPENAI_BASE_URL").is_none(), "{vars}");
    let only = json_env(&env, &["env", "--format", "json", "--default"]);
    assert_eq!(only.as_object().unwrap().len(), 1, "{only}");
    assert_eq!(only["OPENAI_API_KEY"], "sk-test-backup-0000000000");
}

#[test]
fn connector_names_win_over_secrets_and_unknown_targets_fail_first() {
    let env = env_with_connectors();
    // A secret named like a connector: the connector wins.
    env.add("claude", "sk-test-shadowed-secret-000", &[]);
    let vars = json_env(&env, &["env", "--format", "json", "claude"]);
    assert_eq!(vars["ANTHROPIC_API_KEY"], "sk-ant-test-claude-00000000");
    assert!(vars.get("CLAUDE").is_none());
    let canary = env.dir.path().join("ran");
    env.cmd(["exec", "cluade", "--", "touch"])
        .arg(&canary)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("did you mean 'claude'"));
    assert!(!canary.exists(), "nothing runs when a target is missing");
}

/// The venv with the `openai` package that .ci/run prepares.
fn openai_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-openai/bin/python");
    let works = std::process::Command::new(&python)
        .args(["-c", "import openai"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the openai SDK venv is missing and CI=true: .ci/run must create target/py-openai");
    }
    eprintln!(
        "\n!!! SKIPPED: no target/py-openai venv with the openai package (run .ci/run once) !!!\n"
    );
    None
}

#[test]
fn the_official_openai_sdk_runs_under_byok_exec() {
    let Some(python) = openai_python() else {
        return;
    };
    let fake = Fake::start(Wire::OpenAi, Some(KEY), "test-model", Reply::Success);
    let env = Env::init();
    env.add("my_key", KEY, &["--provider", "openai"]);
    env.cmd([
        "connector",
        "add",
        "my-connector",
        "--type",
        "openai",
        "--secret",
        "my_key",
        "--base-url",
        &fake.base_url(),
    ])
    .assert()
    .success();
    // The SDK reads OPENAI_API_KEY and OPENAI_BASE_URL from its environment.
    let script = r#"
from openai import OpenAI
client = OpenAI(max_retries=0)
reply = client.chat.completions.create(
    model="test-model",
    messages=[{"role": "user", "content": "Reply with 'ok'"}],
    max_tokens=5,
)
print(reply.choices[0].message.content)
"#;
    let out = env
        .cmd(["exec", "my-connector", "--"])
        .arg(&python)
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "ok");
    assert_eq!(fake.problems(), Vec::<String>::new());
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert!(
        requests[0]
            .header("user-agent")
            .is_some_and(|ua| ua.contains("OpenAI/Python")),
        "{:?}",
        requests[0].headers
    );
}
