//! The vault file: encryption at rest, corruption, concurrent writers, broken pipes.

use std::process::Stdio;

use predicates::prelude::*;

use crate::harness::{Env, KEY, mode};

#[test]
fn the_vault_file_holds_neither_values_nor_names_in_plaintext() {
    let env = Env::init();
    env.add(
        "very_visible_ref_name",
        KEY,
        &["--name", "A Very Visible Label"],
    );
    let bytes = std::fs::read(env.file("vault.age")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("age-encryption.org/v1"));
    for needle in [
        KEY,
        "very_visible_ref_name",
        "A Very Visible Label",
        "api_key",
    ] {
        assert!(!text.contains(needle), "{needle} is visible in vault.age");
    }
    assert_eq!(mode(&env.file("vault.age")), 0o600);
    // No temp files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(env.home())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".byok-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_truncated_vault_is_reported_and_never_overwritten() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let full = std::fs::read(env.file("vault.age")).unwrap();
    let truncated = &full[..full.len() - 20];
    std::fs::write(env.file("vault.age"), truncated).unwrap();
    env.cmd(["secret", "get", "k"])
        .assert()
        .code(7)
        .stdout("")
        .stderr(predicate::str::contains("corrupted or truncated"));
    env.cmd(["secret", "add", "other", "--stdin"])
        .write_stdin(KEY)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("will not overwrite"));
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), truncated);
}

#[test]
fn garbage_in_place_of_the_vault_is_reported() {
    let env = Env::init();
    std::fs::write(env.file("vault.age"), b"this is not an age file\n").unwrap();
    env.cmd(["secret", "list"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("corrupted"));
    assert_eq!(
        std::fs::read(env.file("vault.age")).unwrap(),
        b"this is not an age file\n"
    );
}

#[test]
fn concurrent_writers_do_not_lose_each_others_changes() {
    let env = Env::init();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("byok"));
            cmd.env_clear()
                .env("BYOK_HOME", env.home())
                .args(["secret", "add", &format!("key_{i}"), "--stdin"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = cmd.spawn().unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("sk-test-concurrent-value-{i:04}").as_bytes())
                .unwrap();
            child
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    for i in 0..8 {
        assert_eq!(
            env.get(&format!("key_{i}")),
            format!("sk-test-concurrent-value-{i:04}")
        );
    }
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = Env::init();
    // Enough output to overflow a pipe buffer, so byok really hits EPIPE.
    for i in 0..3 {
        env.add(&format!("k{i}"), KEY, &["--name", &"L".repeat(30_000)]);
    }
    let bin = assert_cmd::cargo::cargo_bin("byok");
    let out = std::process::Command::new("bash")
        .env_clear()
        .env("BYOK_HOME", env.home())
        .args([
            "-c",
            "set -o pipefail; \"$0\" secret list --json | head -c 1 >/dev/null",
        ])
        .arg(&bin)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
