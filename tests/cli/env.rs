//! `byok env`: shell code that sets exactly the stored values and never runs anything.

use predicates::prelude::*;

use crate::harness::{Env, KEY, require_tool, stderr, stdout};

/// Values that break naive quoting; `CANARY` becomes a path that must never be created.
fn nasty_values(canary: &str) -> Vec<String> {
    [
        "it's a 'quoted' \"double\" value",
        "$(touch CANARY)",
        "`touch CANARY`",
        "'; touch CANARY; '",
        "\"; touch CANARY; \"",
        "with  spaces and\ttabs ",
        "line one\nline two\n$(touch CANARY)",
        "unicode ключ 🔑 ‘smart’ é",
        "back\\slash \\' \\\" $HOME ${HOME} literal \\n",
    ]
    .iter()
    .map(|v| v.replace("CANARY", canary))
    .collect()
}

/// Stores each value as secret `vN` (no provider hint: exported as `VN`).
fn store_all(env: &Env, values: &[String]) {
    for (i, value) in values.iter().enumerate() {
        env.add(&format!("v{i}"), value, &[]);
        assert_eq!(&env.get(&format!("v{i}")), value, "stored exactly");
    }
}

fn posix_round_trip(shell: &str) {
    if require_tool(shell).is_none() {
        return;
    }
    let env = Env::init();
    let canary = env.dir.path().join("pwned");
    let values = nasty_values(canary.to_str().unwrap());
    store_all(&env, &values);
    for (i, value) in values.iter().enumerate() {
        let script = format!("eval \"$(\"$BYOK\" env v{i})\" && printf %s \"$V{i}\"");
        let out = env.program(shell).arg("-c").arg(script).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert_eq!(&stdout(&out), value, "{shell} value {i}");
    }
    assert!(!canary.exists(), "{shell} executed a value");
}

#[test]
fn sh_eval_sets_exact_values_and_runs_nothing() {
    posix_round_trip("sh");
}

#[test]
fn bash_eval_sets_exact_values_and_runs_nothing() {
    posix_round_trip("bash");
}

#[test]
fn fish_source_sets_exact_values_and_runs_nothing() {
    if require_tool("fish").is_none() {
        return;
    }
    let env = Env::init();
    let canary = env.dir.path().join("pwned");
    let values = nasty_values(canary.to_str().unwrap());
    store_all(&env, &values);
    for (i, value) in values.iter().enumerate() {
        let script = format!("$BYOK env --format fish v{i} | source; and printf %s \"$V{i}\"");
        let out = env
            .program("fish")
            .args(["--no-config", "-c"])
            .arg(script)
            .output()
            .unwrap();
        assert!(out.status.success(), "fish: {}", stderr(&out));
        assert_eq!(&stdout(&out), value, "fish value {i}");
    }
    assert!(!canary.exists(), "fish executed a value");
}

#[test]
fn provider_hints_pick_the_conventional_variables() {
    let env = Env::init();
    env.add("gem", "AIza-test-0123456789", &["--provider", "gemini"]);
    env.add("plain_one", "p-test-value", &[]);
    env.cmd(["env", "gem", "plain_one"])
        .assert()
        .success()
        .stdout(
            "export GEMINI_API_KEY='AIza-test-0123456789'\n\
             export GOOGLE_API_KEY='AIza-test-0123456789'\n\
             export PLAIN_ONE='p-test-value'\n",
        );
}

#[test]
fn azure_endpoint_field_is_exported_too() {
    let env = Env::init();
    env.add("az", "az-test-key-0001", &["--provider", "azure-openai"]);
    env.add(
        "az",
        "https://example.openai.azure.com",
        &["--field", "endpoint"],
    );
    env.cmd(["env", "--format", "dotenv", "az"])
        .assert()
        .success()
        .stdout(
            "AZURE_OPENAI_API_KEY='az-test-key-0001'\n\
             AZURE_OPENAI_ENDPOINT='https://example.openai.azure.com'\n",
        );
}

#[test]
fn no_target_exports_every_secret_with_a_provider_hint() {
    let env = Env::init();
    env.add("my_openai_key", KEY, &["--provider", "openai"]);
    env.add("no_hint", "n-test-value", &[]);
    env.cmd(["env", "--format", "json"])
        .assert()
        .success()
        .stdout(format!("{{\n  \"OPENAI_API_KEY\": \"{KEY}\"\n}}\n"));
}

#[test]
fn set_maps_any_field_to_any_variable() {
    let env = Env::init();
    env.add("my_openai_key", KEY, &["--provider", "openai"]);
    env.add(
        "local",
        "http://localhost:8080/v1",
        &["--field", "endpoint"],
    );
    env.cmd([
        "env",
        "my_openai_key",
        "--set",
        "OPENAI_BASE_URL=local.endpoint",
        "--set",
        "OTHER=my_openai_key",
    ])
    .assert()
    .success()
    .stdout(format!(
        "export OPENAI_API_KEY='{KEY}'\nexport OPENAI_BASE_URL='http://localhost:8080/v1'\nexport OTHER='{KEY}'\n"
    ));
}

#[test]
fn an_unknown_target_fails_with_a_suggestion_and_prints_nothing() {
    let env = Env::init();
    env.add("my_openai_key", KEY, &["--provider", "openai"]);
    env.cmd(["env", "my_opnai_key"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "no connector or secret named 'my_opnai_key'",
        ))
        .stderr(predicate::str::contains("did you mean 'my_openai_key'?"));
}

#[test]
fn two_targets_for_one_variable_are_refused() {
    let env = Env::init();
    env.add("one", KEY, &["--provider", "openai"]);
    env.add("two", KEY, &["--provider", "openai"]);
    env.cmd(["env", "one", "two"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "variable OPENAI_API_KEY would be set from both one.api_key and two.api_key",
        ))
        .stderr(predicate::str::contains("--set OPENAI_API_KEY=REF"));
}

#[test]
fn a_bad_set_is_a_usage_error() {
    let env = Env::init();
    env.cmd(["env", "--set", "NOEQUALS"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "expected VAR=REF or VAR=REF.FIELD",
        ));
}

#[test]
fn dotenv_refuses_values_it_cannot_write_faithfully() {
    let env = Env::init();
    env.add("tricky", "sk-test-${HOME}", &[]);
    let out = env
        .cmd(["env", "--format", "dotenv", "tricky"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("use --format json or sh"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("sk-test"), "{}", stderr(&out));
}

/// On a terminal, raw values are refused unless --force. `script` gives byok a pty.
#[test]
fn a_terminal_gets_no_values_without_force() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    env.add("my_openai_key", KEY, &["--provider", "openai"]);
    let run = |extra: &str| {
        env.program("script")
            .args([
                "-qec",
                &format!("\"$BYOK\" env my_openai_key {extra}"),
                "/dev/null",
            ])
            .output()
            .unwrap()
    };
    let refused = run("");
    let text = stdout(&refused);
    assert!(!text.contains(KEY), "{text}");
    assert!(
        text.contains("refusing to print secret values to a terminal"),
        "{text}"
    );
    assert!(text.contains("scrollback"), "{text}");
    let forced = run("--force");
    assert!(stdout(&forced).contains(KEY));
}
