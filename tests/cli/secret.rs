//! `byok secret …` through the binary.

use predicates::prelude::*;

use crate::harness::{Env, KEY, stderr, stdout};

#[test]
fn add_then_get_prints_exactly_the_value() {
    let env = Env::init();
    env.cmd([
        "secret",
        "add",
        "my_openai_key",
        "--provider",
        "openai",
        "--stdin",
    ])
    .write_stdin(format!("{KEY}\n"))
    .assert()
    .success()
    .stdout("");
    env.cmd(["secret", "get", "my_openai_key"])
        .assert()
        .success()
        .stdout(format!("{KEY}\n"))
        .stderr("");
}

#[test]
fn stdin_strips_one_trailing_newline_only() {
    let env = Env::init();
    env.add("crlf", "sk-test-crlf-value-0001\r\n", &[]);
    assert_eq!(env.get("crlf"), "sk-test-crlf-value-0001");
    env.add("multi", "line one\nline two\n", &[]);
    assert_eq!(env.get("multi"), "line one\nline two");
}

#[test]
fn bad_ref_names_are_refused_with_the_rule() {
    let env = Env::init();
    for bad in ["My_Key", "1key", "my-key", "", &"a".repeat(65)] {
        env.cmd(["secret", "add", bad, "--stdin"])
            .write_stdin(KEY)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "invalid ref name '{bad}'"
            )))
            .stderr(predicate::str::contains(
                "lowercase letters, digits and '_'",
            ));
    }
}

#[test]
fn a_value_in_argv_is_refused_and_not_echoed() {
    let env = Env::init();
    let out = env.cmd(["secret", "add", "k", KEY]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains(KEY), "{err}");
    assert!(err.contains("--stdin"), "{err}");
    env.cmd(["secret", "get", "k"]).assert().code(3);
    env.add("k", KEY, &[]);
    let out = env
        .cmd(["secret", "rotate", "k", "sk-test-new-value-000000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("sk-test-new-value"));
}

#[test]
fn empty_values_and_missing_value_sources_are_refused() {
    let env = Env::init();
    env.cmd(["secret", "add", "k", "--stdin"])
        .write_stdin("\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("empty"));
    env.cmd(["secret", "add", "k"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--stdin"));
    env.cmd(["secret", "list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn unknown_provider_lists_the_known_ones() {
    let env = Env::init();
    env.cmd(["secret", "add", "k", "--provider", "openia", "--stdin"])
        .write_stdin(KEY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown provider 'openia'"))
        .stderr(predicate::str::contains("openai, anthropic, gemini"));
}

#[test]
fn a_key_that_does_not_match_its_provider_warns_but_is_stored() {
    let env = Env::init();
    env.cmd([
        "secret",
        "add",
        "claude",
        "--provider",
        "anthropic",
        "--stdin",
    ])
    .write_stdin(KEY)
    .assert()
    .success()
    .stderr(predicate::str::contains(
        "warning: this does not look like an API key for Anthropic",
    ));
    assert_eq!(env.get("claude"), KEY);
    env.cmd(["secret", "add", "good", "--provider", "openai", "--stdin"])
        .write_stdin(KEY)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn adding_an_existing_field_needs_force() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["secret", "add", "k", "--stdin"])
        .write_stdin("sk-test-replacement-00000")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already has a field 'api_key'"));
    assert_eq!(env.get("k"), KEY);
    env.add("k", "sk-test-replacement-00000", &["--force"]);
    assert_eq!(env.get("k"), "sk-test-replacement-00000");
}

#[test]
fn fields_can_be_added_and_read() {
    let env = Env::init();
    env.add(
        "azure",
        KEY,
        &["--name", "Azure prod", "--provider", "azure-openai"],
    );
    env.add(
        "azure",
        "https://example.openai.azure.com",
        &["--field", "endpoint"],
    );
    env.cmd(["secret", "get", "azure", "--field", "endpoint"])
        .assert()
        .success()
        .stdout("https://example.openai.azure.com\n");
    env.cmd(["secret", "get", "azure", "--field", "org_id"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no field 'org_id'"))
        .stderr(predicate::str::contains("api_key, endpoint"));
    let out = env
        .cmd(["secret", "show", "azure", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["label"], "Azure prod");
    assert_eq!(json["provider"], "azure-openai");
    assert_eq!(json["fields"]["api_key"], "sk-***-ghij");
    assert_eq!(json["fields"]["endpoint"], "***-.com");
}

#[test]
fn unknown_ref_exits_not_found_with_a_suggestion() {
    let env = Env::init();
    env.add("my_openai_key", KEY, &[]);
    env.cmd(["secret", "get", "my_opnai_key"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("no secret named 'my_opnai_key'"))
        .stderr(predicate::str::contains("did you mean 'my_openai_key'"));
}

#[test]
fn list_masks_values_in_table_and_json() {
    let env = Env::init();
    env.add(
        "claude",
        "sk-ant-api03-test-fake-abcdefghijklmnopqrsxx7K",
        &["--provider", "anthropic", "--name", "Claude"],
    );
    env.add("short", "abc123", &[]);
    let out = env.cmd(["secret", "list"]).output().unwrap();
    let table = stdout(&out);
    for expected in [
        "REF",
        "LABEL",
        "PROVIDER",
        "FIELDS",
        "VALUE",
        "ROTATED",
        "claude",
        "Claude",
        "anthropic",
        "sk-ant-***-xx7K",
        "***",
        "just now",
    ] {
        assert!(table.contains(expected), "{expected} in\n{table}");
    }
    assert!(!table.contains("abcdefghijklmnop"), "{table}");
    assert!(!table.contains("abc123"), "{table}");

    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        !text.contains("abcdefghijklmnop") && !text.contains("abc123"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json[0]["ref"], "claude");
    assert_eq!(json[0]["fields"]["api_key"], "sk-ant-***-xx7K");
    assert_eq!(json[1]["fields"]["api_key"], "***");
    assert!(json[0]["rotated"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn show_prints_metadata_and_masked_values() {
    let env = Env::init();
    env.add("k", KEY, &["--provider", "openai", "--name", "My key"]);
    let out = env.cmd(["secret", "show", "k"]).output().unwrap();
    let text = stdout(&out);
    for expected in [
        "label",
        "My key",
        "provider",
        "openai",
        "store",
        "vault",
        "rotated",
        "field api_key",
        "sk-***-ghij",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(!text.contains(KEY));
    env.cmd(["secret", "show", "nope"]).assert().code(3);
}

#[test]
fn rotate_replaces_the_value_and_the_rotation_time() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let before: serde_json::Value = serde_json::from_slice(
        &env.cmd(["secret", "show", "k", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.cmd(["secret", "rotate", "k", "--stdin"])
        .write_stdin("sk-test-rotated-value-9999")
        .assert()
        .success();
    assert_eq!(env.get("k"), "sk-test-rotated-value-9999");
    let after: serde_json::Value = serde_json::from_slice(
        &env.cmd(["secret", "show", "k", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_ne!(before["rotated"], after["rotated"]);
    assert_eq!(before["created"], after["created"]);
    env.cmd(["secret", "rotate", "k", "--field", "endpoint", "--stdin"])
        .write_stdin("x")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no field 'endpoint'"));
    env.cmd(["secret", "rotate", "missing", "--stdin"])
        .write_stdin("x")
        .assert()
        .code(3);
}

#[test]
fn rename_moves_the_secret_and_refuses_clashes() {
    let env = Env::init();
    env.add("old_name", KEY, &[]);
    env.add("taken", "sk-test-other-value-00000", &[]);
    env.cmd(["secret", "rename", "old_name", "taken"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("'taken' already exists"));
    env.cmd(["secret", "rename", "old_name", "New-Name"])
        .assert()
        .code(2);
    env.cmd(["secret", "rename", "old_name", "new_name"])
        .assert()
        .success();
    assert_eq!(env.get("new_name"), KEY);
    env.cmd(["secret", "get", "old_name"]).assert().code(3);
    let json: serde_json::Value = serde_json::from_slice(
        &env.cmd(["secret", "show", "new_name", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        json["label"], "new_name",
        "a default label follows the name"
    );
    env.cmd(["secret", "rename", "ghost", "other"])
        .assert()
        .code(3);
}

#[test]
fn rm_needs_confirmation_without_a_terminal() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["secret", "rm", "k"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(env.get("k"), KEY);
    env.cmd(["secret", "rm", "k", "--yes"]).assert().success();
    env.cmd(["secret", "get", "k"]).assert().code(3);
    env.cmd(["secret", "rm", "k", "--yes"]).assert().code(3);
}

#[test]
fn help_has_descriptions_and_examples() {
    let env = Env::new();
    env.cmd(["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("secret")));
    for sub in ["add", "list", "show", "get", "rotate", "rename", "rm"] {
        env.cmd(["secret", sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
    env.cmd(["--version"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("byok "));
    env.cmd(["secret", "frobnicate"]).assert().code(2);
}
