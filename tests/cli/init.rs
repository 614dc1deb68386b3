//! `byok init`, unlocking, and the passphrase paths.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::harness::{Env, KEY, mode, stderr};

#[test]
fn init_no_passphrase_creates_private_files() {
    let env = Env::new();
    env.cmd(["init", "--no-passphrase"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("public key: age1"));
    for name in ["vault.age", "identity.txt", "config.toml"] {
        assert_eq!(mode(&env.file(name)), 0o600, "{name}");
    }
    assert_eq!(mode(&env.home()), 0o700);
    assert!(!env.file("identity.age").exists());
    let identity = std::fs::read_to_string(env.file("identity.txt")).unwrap();
    assert!(identity.contains("AGE-SECRET-KEY-1"));
}

#[test]
fn init_twice_is_refused_and_changes_nothing() {
    let env = Env::init();
    env.add("kept", KEY, &[]);
    let before = std::fs::read(env.file("vault.age")).unwrap();
    env.cmd(["init", "--no-passphrase"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already initialised"));
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
    assert_eq!(env.get("kept"), KEY);
}

#[test]
fn init_without_terminal_or_passphrase_source_fails_at_once() {
    let env = Env::new();
    let out = env
        .cmd(["init"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("--no-passphrase"), "{}", stderr(&out));
    assert!(!env.home().exists(), "nothing may be created");
}

/// One passphrase-protected vault, shared by the tests below (scrypt costs about a second).
fn passphrase_env() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let pass_file = env.dir.path().join("pass");
    std::fs::write(&pass_file, "correct horse battery staple\n").unwrap();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE_FILE", &pass_file)
        .assert()
        .success();
    (env, pass_file)
}

#[test]
fn passphrase_vault_unlocks_from_file_and_env_and_refuses_wrong_ones() {
    let (env, pass_file) = passphrase_env();
    assert!(env.file("identity.age").exists());
    assert!(!env.file("identity.txt").exists());
    let armored = std::fs::read_to_string(env.file("identity.age")).unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!armored.contains("AGE-SECRET-KEY"));

    env.cmd(["secret", "add", "k", "--stdin"])
        .env("BYOK_PASSPHRASE_FILE", &pass_file)
        .write_stdin(KEY)
        .assert()
        .success();
    env.cmd(["secret", "get", "k"])
        .env("BYOK_PASSPHRASE", "correct horse battery staple")
        .assert()
        .success()
        .stdout(format!("{KEY}\n"));

    // Wrong passphrase: its own exit code, and nothing is written.
    let before = std::fs::read(env.file("vault.age")).unwrap();
    env.cmd(["secret", "add", "other", "--stdin"])
        .env("BYOK_PASSPHRASE", "wrong")
        .write_stdin(KEY)
        .assert()
        .code(5)
        .stdout("")
        .stderr(predicate::str::contains("wrong passphrase"));
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
}

#[test]
fn locked_vault_fails_fast_without_any_source() {
    let (env, _) = passphrase_env();
    let started = Instant::now();
    let out = env
        .cmd(["secret", "get", "k"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert!(err.contains("locked"), "{err}");
    for way in [
        "BYOK_PASSPHRASE_FILE",
        "BYOK_PASSPHRASE",
        "BYOK_IDENTITY_FILE",
        "terminal",
    ] {
        assert!(err.contains(way), "hint lists {way}: {err}");
    }
}

#[test]
fn identity_file_env_unlocks_a_passphrase_vault() {
    let (env, pass_file) = passphrase_env();
    env.cmd(["secret", "add", "k", "--stdin"])
        .env("BYOK_PASSPHRASE_FILE", &pass_file)
        .write_stdin(KEY)
        .assert()
        .success();
    // A wrong identity is refused with the corruption/identity code.
    let other = Env::init();
    env.cmd(["secret", "get", "k"])
        .env("BYOK_IDENTITY_FILE", other.file("identity.txt"))
        .assert()
        .code(7)
        .stderr(predicate::str::contains("cannot open"));
}

/// The finding: a valid identity of another vault was called "not a valid age identity
/// file"; a file that is no identity at all keeps that message.
#[test]
fn the_wrong_identity_file_is_named_as_another_key_not_an_invalid_file() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let other = Env::init();
    let out = env
        .cmd(["secret", "get", "k"])
        .env("BYOK_IDENTITY_FILE", other.file("identity.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("not a valid age identity file"), "{err}");
    assert!(err.contains("cannot open"), "{err}");
    assert!(err.contains("another key"), "{err}");
    assert!(
        err.contains(&other.file("identity.txt").display().to_string()),
        "{err}"
    );
    assert!(err.contains("point BYOK_IDENTITY_FILE at"), "{err}");
    assert!(!err.contains("AGE-SECRET-KEY-1"), "{err}");
    // identity.txt of another vault copied into this home.
    std::fs::copy(other.file("identity.txt"), env.file("identity.txt")).unwrap();
    env.cmd(["secret", "get", "k"]).assert().code(7).stderr(
        predicate::str::contains("cannot open")
            .and(predicate::str::contains("put back the identity.txt")),
    );
    // A file that is not an identity at all.
    let junk = env.dir.path().join("junk");
    std::fs::write(&junk, "hello\n").unwrap();
    env.cmd(["secret", "get", "k"])
        .env("BYOK_IDENTITY_FILE", &junk)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("is not a valid age identity file"));
}

/// The finding: an empty BYOK_PASSPHRASE_FILE was answered with "choose a passphrase, or
/// run `byok init --no-passphrase`", on a vault that exists.
#[test]
fn an_empty_passphrase_file_says_the_file_is_empty() {
    let (env, pass_file) = passphrase_env();
    std::fs::write(&pass_file, "").unwrap();
    let out = env
        .cmd(["secret", "list"])
        .env("BYOK_PASSPHRASE_FILE", &pass_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is empty"), "{err}");
    assert!(err.contains(&pass_file.display().to_string()), "{err}");
    assert!(err.contains("BYOK_PASSPHRASE_FILE"), "{err}");
    assert!(
        err.contains("put the passphrase on the first line"),
        "{err}"
    );
    assert!(!err.contains("byok init"), "{err}");
}

/// Only `init` creates a home; help, version, completions and doctor work without one and
/// leave nothing behind.
#[test]
fn only_init_creates_a_home_and_help_completions_doctor_still_work() {
    let env = Env::new();
    env.cmd(["--version"]).assert().success();
    env.cmd(["help"]).assert().success();
    env.cmd(["connector", "add", "--help"]).assert().success();
    env.cmd(["completions", "bash"]).assert().success();
    env.cmd(["providers"]).assert().success();
    env.cmd(["doctor"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("run `byok init`"));
    for args in [
        &["secret", "add", "k", "--stdin"][..],
        &["reveal", "never"],
        &["unlock"],
        &["env", "k"],
        &["trust", "--list"],
    ] {
        crate::harness::refused_uninitialised(&env, args);
    }
    // Listings that need no vault stay available, and write nothing (no audit log either).
    env.cmd(["import", "discover"]).assert().success();
    env.cmd(["status"]).assert().success();
    assert!(!env.home().exists());
    env.cmd(["init", "--no-passphrase"]).assert().success();
    env.cmd(["connector", "list"]).assert().success();
}

#[test]
fn commands_before_init_say_how_to_start() {
    let env = Env::new();
    env.cmd(["secret", "list"]).assert().code(1).stderr(
        predicate::str::contains("not initialised").and(predicate::str::contains("byok init")),
    );
}
