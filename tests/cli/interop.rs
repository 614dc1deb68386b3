//! Interoperability with the reference `age` CLI, both ways.

use std::process::Command;

use predicates::prelude::*;

use crate::harness::{Env, KEY, age_encrypt, require_tool};

#[test]
fn age_cli_decrypts_the_vault_byok_wrote() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    env.add(
        "my_openai_key",
        KEY,
        &["--provider", "openai", "--name", "My key"],
    );
    let out = Command::new(age)
        .arg("-d")
        .arg("-i")
        .arg(env.file("identity.txt"))
        .arg(env.file("vault.age"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["byok_vault"], 3);
    let record = &doc["secrets"]["my_openai_key"];
    assert_eq!(record["fields"]["api_key"], KEY);
    assert_eq!(record["label"], "My key");
    assert_eq!(record["provider"], "openai");
}

#[test]
fn byok_reads_a_vault_written_by_the_age_cli() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    let twelve_days_ago = humantime::format_rfc3339_seconds(
        std::time::SystemTime::now() - std::time::Duration::from_secs(12 * 86_400 + 60),
    )
    .to_string();
    let plaintext = serde_json::json!({
        "byok_vault": 1,
        "secrets": {
            "hand_made": {
                "label": "Written by age -e",
                "provider": "anthropic",
                "created": twelve_days_ago,
                "updated": twelve_days_ago,
                "rotated": twelve_days_ago,
                "fields": { "api_key": "sk-ant-api03-handmadehandmadehandmade-AbCd", "org_id": "org-1" }
            }
        }
    });
    age_encrypt(
        &age,
        &env.file("identity.txt"),
        plaintext.to_string().as_bytes(),
        &env.file("vault.age"),
    );
    assert_eq!(
        env.get("hand_made"),
        "sk-ant-api03-handmadehandmadehandmade-AbCd"
    );
    env.cmd(["secret", "list"]).assert().success().stdout(
        predicate::str::contains("12 days ago").and(predicate::str::contains("sk-ant-***-AbCd")),
    );
    // And byok can keep writing it.
    env.add("added_later", KEY, &[]);
    assert_eq!(
        env.get("hand_made"),
        "sk-ant-api03-handmadehandmadehandmade-AbCd"
    );
}

#[test]
fn a_vault_from_a_newer_byok_is_refused_and_kept() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    age_encrypt(
        &age,
        &env.file("identity.txt"),
        br#"{"byok_vault": 4, "secrets": {}, "something_new": true}"#,
        &env.file("vault.age"),
    );
    let before = std::fs::read(env.file("vault.age")).unwrap();
    env.cmd(["secret", "add", "k", "--stdin"])
        .write_stdin(KEY)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("newer byok"));
    env.cmd(["secret", "get", "k"]).assert().code(7);
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
}

#[test]
fn a_format_2_vault_with_unknown_keys_is_refused_and_kept() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    age_encrypt(
        &age,
        &env.file("identity.txt"),
        br#"{"byok_vault": 2, "secrets": {}, "something_new": "sk-test-canary-0001"}"#,
        &env.file("vault.age"),
    );
    let before = std::fs::read(env.file("vault.age")).unwrap();
    env.cmd(["secret", "add", "k", "--stdin"])
        .write_stdin(KEY)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("canary").not());
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
}

#[test]
fn a_decryptable_file_that_is_not_a_vault_is_refused() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    age_encrypt(
        &age,
        &env.file("identity.txt"),
        b"{\"hello\": 1}",
        &env.file("vault.age"),
    );
    env.cmd(["secret", "list"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("not a byok vault"));
}
