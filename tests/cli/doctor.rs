//! `byok doctor`: what it reports and the fix it names for each finding.

use predicates::prelude::*;

use crate::crash::leftovers;
use crate::harness::{Env, KEY, require_tool, secret_list_json, stderr, stdout};

#[test]
fn rotation_days_marks_old_rotations_and_doctor_reports_them() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    // A vault whose record was rotated long ago, as the reference age CLI writes it.
    let Some(age) = require_tool("age") else {
        return;
    };
    let doc = r#"{"byok_vault": 2, "secrets": {"old_key": {"label": "old", "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z", "rotated": "2026-01-01T00:00:00Z",
        "fields": {"api_key": "sk-test-0123456789abcdefghij"}}}}"#;
    crate::harness::age_encrypt(
        &age,
        &env.file("identity.txt"),
        doc.as_bytes(),
        &env.file("vault.age"),
    );
    let stale = secret_list_json(&env, &["--stale"]);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["due"][0], "rotate");
    let out = env.cmd(["doctor"]).output().unwrap();
    assert!(stdout(&out).contains("old_key"), "{}", stdout(&out));
    std::fs::write(env.file("config.toml"), "rotation_days = 3650\n").unwrap();
    assert!(secret_list_json(&env, &["--stale"]).is_empty());
}

#[test]
fn stale_temp_files_are_removed_by_the_next_write_and_reported_by_doctor() {
    let env = Env::init();
    env.add("a", "sk-test-aaaaaaaaaaaaaaaa", &[]);
    let stale = env.file(".byok-tmp-vault.age.AbC123");
    std::fs::write(&stale, b"an old encrypted copy").unwrap();
    let legacy = env.file(".byok-tmp-Xy9Zq1");
    std::fs::write(&legacy, b"from an older byok").unwrap();
    let out = env.cmd(["doctor"]).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(text.contains("2 temp file(s) left"), "{text}");
    assert!(text.contains(".byok-tmp-vault.age.AbC123"), "{text}");
    env.add("b", "sk-test-bbbbbbbbbbbbbbbb", &[]);
    assert_eq!(leftovers(&env), Vec::<String>::new());
    let out = env.cmd(["doctor"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(text.contains("no temp files left"), "{text}");
}

#[test]
fn doctor_fails_on_a_config_that_every_connector_command_rejects() {
    // doctor used to check config.toml with a second, lenient parser.
    let env = Env::init();
    env.add("k", KEY, &[]);
    std::fs::write(
        env.file("config.toml"),
        "[[connector]]\nname = \"work\"\ntype = \"openai\"\nsecret = \"k\"\narchived = \"yes\"\n",
    )
    .unwrap();
    env.cmd(["connector", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`archived` must be true or false"));
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("`archived` must be true or false"));
}

#[test]
fn doctor_reports_loose_permissions_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["doctor"])
        .assert()
        .success()
        .stdout(predicate::str::contains("✓").and(predicate::str::contains("1 secrets")));
    std::fs::set_permissions(
        env.file("vault.age"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗").and(predicate::str::contains("chmod 600")));
    let out = env.cmd(["doctor", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let permissions = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "permissions")
        .unwrap();
    assert_eq!(permissions["status"], "fail");
}

#[test]
fn doctor_flags_connectors_whose_secret_is_missing() {
    let env = Env::init();
    env.add("k", KEY, &[]);
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
    env.cmd(["doctor"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 connectors"));
    env.cmd(["secret", "rm", "k", "--yes", "--force"])
        .assert()
        .success();
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("work (secret 'k')"));
}

/// The finding: on a corrupted vault doctor showed `!` with the keychain's fix ("no secret
/// is in the vault yet") and exited 0, while every command failed with exit 7.
#[test]
fn doctor_on_a_corrupted_vault_fails_with_the_fix_that_applies() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let good = std::fs::read(env.file("vault.age")).unwrap();
    for broken in [b"garbage, not an age file\n".to_vec(), good[..40].to_vec()] {
        std::fs::write(env.file("vault.age"), &broken).unwrap();
        env.cmd(["secret", "list"]).assert().code(7);
        let out = env.cmd(["doctor", "--json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let checks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let vault = checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "vault")
            .unwrap();
        assert_eq!(vault["status"], "fail", "{vault}");
        let fix = vault["fix"].as_str().unwrap();
        assert!(fix.contains("restore it from a backup"), "{fix}");
        assert!(!fix.contains("no secret is in"), "{fix}");
        let text = stdout(&out);
        assert!(!text.contains("no secret is in the vault yet"), "{text}");
        assert!(!text.contains(KEY), "{text}");
    }
    // An older copy kept beside it is named in the fix.
    std::fs::write(env.file(".byok-tmp-vault.age.AbC123"), &good).unwrap();
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗").and(predicate::str::contains(
            "put back an older copy kept beside it: .byok-tmp-vault.age.AbC123",
        )));
    // Following the fix mends it.
    std::fs::rename(
        env.file(".byok-tmp-vault.age.AbC123"),
        env.file("vault.age"),
    )
    .unwrap();
    assert_eq!(env.get("k"), KEY);
}

/// What makes every command fail is ✗ and exit 1, never `!`: an identity that does not
/// parse, another vault's identity, a config that does not load.
#[test]
fn doctor_fails_on_an_unreadable_or_wrong_identity() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let own = std::fs::read(env.file("identity.txt")).unwrap();
    std::fs::write(env.file("identity.txt"), "# not a key\nhello\n").unwrap();
    env.cmd(["secret", "list"]).assert().code(7);
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗").and(predicate::str::contains("AGE-SECRET-KEY-1")));
    let other = Env::init();
    std::fs::copy(other.file("identity.txt"), env.file("identity.txt")).unwrap();
    env.cmd(["doctor"]).assert().code(1).stdout(
        predicate::str::contains("cannot open")
            .and(predicate::str::contains("put back the identity.txt")),
    );
    std::fs::write(env.file("identity.txt"), own).unwrap();
    std::fs::write(env.file("config.toml"), "default_store = [\n").unwrap();
    env.cmd(["doctor"]).assert().code(1);
}
