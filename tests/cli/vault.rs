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

/// A vault large enough for the windowed read (`store/vault/window.rs`: a few chunks
/// decrypted, not the whole file), written by byok itself: every record it holds is found
/// with its value, a name it does not hold is "not found", the home's reveal policy (read
/// from the first chunk) still holds, and a truncated file is still refused.
#[test]
fn a_large_vault_is_read_by_window_with_the_same_answers() {
    let env = Env::init();
    let dotenv = env.dir.path().join("many.env");
    let lines: String = (0..2500)
        .map(|i| {
            format!(
                "SVC_{i:05}_API_KEY=sk-test-window-{i:05}-{}\n",
                "x".repeat(40)
            )
        })
        .collect();
    std::fs::write(&dotenv, lines).unwrap();
    env.cmd(["import", "dotenv", "--yes"])
        .arg(&dotenv)
        .assert()
        .success();
    let size = std::fs::metadata(env.file("vault.age")).unwrap().len();
    assert!(size > 400 * 1024, "{size} bytes: too small for the window");
    for i in [0, 1, 1249, 2498, 2499] {
        assert_eq!(
            env.get(&format!("svc_{i:05}_api_key")),
            format!("sk-test-window-{i:05}-{}", "x".repeat(40))
        );
    }
    for missing in ["svc_02500_api_key", "aaa", "zzz", "svc_01249_api_ke"] {
        env.cmd(["secret", "get", missing]).assert().code(3);
    }
    // One damaged byte in a middle chunk: a `get` whose chunks are elsewhere still answers
    // (only the window reads so little), a command that reads the whole file reports it.
    let good = std::fs::read(env.file("vault.age")).unwrap();
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    std::fs::write(env.file("vault.age"), &damaged).unwrap();
    assert_eq!(
        env.get("svc_00000_api_key"),
        format!("sk-test-window-00000-{}", "x".repeat(40))
    );
    env.cmd(["secret", "get", "svc_01249_api_key"])
        .assert()
        .code(7);
    env.cmd(["secret", "list"]).assert().code(7);
    std::fs::write(env.file("vault.age"), &good).unwrap();
    env.cmd(["reveal", "never"]).assert().success();
    env.cmd(["secret", "get", "svc_01249_api_key"])
        .assert()
        .code(8);
    // Truncated by one byte: the last chunk no longer authenticates as the last.
    let bytes = std::fs::read(env.file("vault.age")).unwrap();
    std::fs::write(env.file("vault.age"), &bytes[..bytes.len() - 1]).unwrap();
    env.cmd(["secret", "get", "svc_00000_api_key"])
        .env("BYOK_REVEAL", "pipe")
        .assert()
        .code(7);
}
