//! Regression tests named after the findings of the security review (SECURITY.md lists
//! them): core dumps, the exec child's keyring, terminal escapes, home trust, key-shaped
//! arguments; plus hostile input and a canary key that must not leak.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, byok_bin, require_tool, stderr, stdout};

/// A canary key: it must appear only where the user asked for it.
const CANARY: &str = "sk-test-CANARY7q3ZxW9vK2mN8pL4rT6yB1";

fn env_with_canary() -> Env {
    let env = Env::init();
    env.add("canary", CANARY, &["--provider", "openai"]);
    env
}

fn byok(env: &Env) -> StdCommand {
    let mut cmd = StdCommand::new(byok_bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("BYOK_HOME", env.home());
    cmd
}

/// Every file under `dir`, recursively, with its bytes.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            out.extend(files_under(&path));
        } else if kind.is_file() {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

// --- 1. keys in core dumps -------------------------------------------------------------

#[test]
fn timeout_1e300_is_a_usage_error_not_a_panic() {
    let env = env_with_canary();
    for bad in [
        "1e300",
        "18446744073709551615",
        "inf",
        "NaN",
        "-1",
        "0",
        "3601",
        "x",
    ] {
        let out = env
            .cmd(["connector", "test", "--timeout", bad])
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "--timeout {bad}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    let out = env
        .cmd(["unlock", "--for", "99999999999999999999999h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// `connector add NAME --type openai --secret canary --model m --base-url BASE`.
fn add_canary_connector(env: &Env, name: &str, base: &str) {
    env.cmd([
        "connector",
        "add",
        name,
        "--type",
        "openai",
        "--secret",
        "canary",
        "--model",
        "m",
        "--base-url",
        base,
    ])
    .assert()
    .success();
}

/// Starts `connector test` against a provider that answers after 20 s, in `cwd`, with
/// `ulimit -c unlimited`; returns the byok process (the shell `exec`s it).
fn blocked_byok(env: &Env, fake: &Fake, cwd: &Path) -> std::process::Child {
    add_canary_connector(env, "slow", &fake.base_url());
    let mut sh = env.program("sh");
    sh.current_dir(cwd)
        .args([
            "-c",
            "ulimit -c unlimited 2>/dev/null; exec \"$BYOK\" connector test slow --timeout 30",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = sh.spawn().unwrap();
    // Wait until the request is at the provider: the key has been decrypted by then.
    let start = Instant::now();
    while fake.requests().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "byok never sent the request"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_blocked_byok_has_core_size_0_and_sigquit_leaves_no_core() {
    let env = env_with_canary();
    let fake = Fake::start_slow(
        Wire::OpenAi,
        Some(CANARY),
        "m",
        Reply::Success,
        Duration::from_secs(20),
    );
    let cwd = tempfile::tempdir().unwrap();
    let mut child = blocked_byok(&env, &fake, cwd.path());
    let pid = child.id();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let soft = core.split_whitespace().nth(4).unwrap();
    assert_eq!(soft, "0", "{core}");
    // Non-dumpable: /proc/<pid>/environ and mem are root's only; cmdline has no key.
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(!contains(&cmdline, CANARY));
    assert!(!contains(&cmdline, "CANARY"));
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    assert!(status.contains("\nUid:"), "{status}");

    StdCommand::new("kill")
        .args(["-QUIT", &pid.to_string()])
        .status()
        .unwrap();
    let exit = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        exit.signal(),
        Some(3),
        "byok should die of SIGQUIT: {exit:?}"
    );
    assert!(!exit.core_dumped(), "the kernel wrote a core dump");
    // Whatever core_pattern says, nothing in the working directory holds the canary.
    let appeared: Vec<_> = files_under(cwd.path())
        .into_iter()
        .map(|(path, bytes)| format!("{} ({} bytes)", path.display(), bytes.len()))
        .collect();
    assert!(appeared.is_empty(), "files appeared: {appeared:?}");
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    eprintln!("core_pattern: {}", pattern.trim());
}

// --- 2. the exec child's session keyring -------------------------------------------------

#[test]
fn exec_children_cannot_read_the_session_cache() {
    let Some(_) = require_tool("keyctl") else {
        return;
    };
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, "a long test passphrase\n").unwrap();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    for (name, value) in [
        ("one", "sk-test-one-00000000000000"),
        ("other", "sk-test-other-0000000000000"),
    ] {
        env.cmd(["secret", "add", name, "--stdin", "--provider", "openai"])
            .env("BYOK_PASSPHRASE_FILE", &pass)
            .write_stdin(value)
            .assert()
            .success();
    }
    env.cmd(["unlock", "--for", "5m"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    // The caller itself reads through the cache, without a passphrase.
    assert_eq!(env.get("other"), "sk-test-other-0000000000000");
    // The child does not: its session keyring is a new, empty one.
    let out = env
        .cmd([
            "exec",
            "one",
            "--",
            "sh",
            "-c",
            "\"$BYOKBIN\" secret get other; echo \"status $?\"; keyctl rlist @s; echo \"rlist $?\"",
        ])
        .env("BYOKBIN", byok_bin())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        !text.contains("sk-test-other"),
        "the child read another secret: {text}"
    );
    assert!(
        text.contains("status 4"),
        "expected a locked vault in the child: {text}\n{}",
        stderr(&out)
    );
    // Supervised (--redact) children too.
    let out = env
        .cmd([
            "exec",
            "--redact",
            "one",
            "--",
            "sh",
            "-c",
            "\"$BYOKBIN\" secret get other; echo \"status $?\"",
        ])
        .env("BYOKBIN", byok_bin())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(!text.contains("sk-test-other"), "{text}");
    assert!(text.contains("status 4"), "{text}\n{}", stderr(&out));
    env.cmd(["lock"]).assert().success();
}

#[test]
fn exec_children_are_dumpable_again_and_keep_the_users_core_limit() {
    let env = env_with_canary();
    for redact in [false, true] {
        let mut args = vec!["exec"];
        if redact {
            args.push("--redact");
        }
        args.extend([
            "canary",
            "--",
            "sh",
            "-c",
            "grep -i '^Max core' /proc/self/limits",
        ]);
        let mut sh = env.program("sh");
        let script = format!(
            "ulimit -c unlimited 2>/dev/null || exit 0; exec \"$BYOK\" {}",
            args.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let out = sh.args(["-c", &script]).output().unwrap();
        let text = stdout(&out);
        let soft = text.split_whitespace().nth(4).unwrap_or("unlimited");
        assert!(
            soft == "unlimited",
            "redact {redact}: the child should have the user's core limit: {text}"
        );
    }
}

// --- 3. terminal escape injection --------------------------------------------------------

const HOSTILE: &str = "oops\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2J\u{9b}31m";

fn assert_no_raw_escapes(text: &str, what: &str) {
    assert!(
        !text.contains("\u{1b}]52"),
        "{what}: raw OSC 52 in {text:?}"
    );
    assert!(
        !text.contains("\u{1b}[2J"),
        "{what}: raw screen clear in {text:?}"
    );
    assert!(!text.contains('\u{9b}'), "{what}: raw CSI in {text:?}");
    assert!(!text.contains('\u{7}'), "{what}: raw BEL in {text:?}");
}

#[test]
fn provider_messages_and_model_ids_cannot_inject_terminal_escapes() {
    let env = env_with_canary();
    let body = json!({"error": {"message": HOSTILE, "type": "invalid_request_error", "code": "x"}});
    let fake = Fake::start(
        Wire::OpenAi,
        Some(CANARY),
        "m",
        Reply::Fixed(400, vec![], body.to_string()),
    );
    add_canary_connector(&env, "c", &fake.base_url());
    let out = env.cmd(["connector", "test", "c"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert_no_raw_escapes(&stdout(&out), "connector test stdout");
    assert_no_raw_escapes(&stderr(&out), "connector test stderr");
    assert!(stdout(&out).contains("oops"), "{}", stdout(&out));
    let out = env
        .cmd(["connector", "test", "c", "--json"])
        .output()
        .unwrap();
    assert_no_raw_escapes(&stdout(&out), "connector test --json");

    let listing = Fake::start_listing(
        Wire::OpenAi,
        Some(CANARY),
        "m",
        Reply::Success,
        vec!["m".into(), format!("evil{HOSTILE}")],
    );
    add_canary_connector(&env, "l", &listing.base_url());
    let out = env.cmd(["connector", "models", "l"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_raw_escapes(&stdout(&out), "connector models");
    assert!(stdout(&out).contains("evil"), "{}", stdout(&out));
    let out = env
        .cmd(["connector", "models", "l", "--json"])
        .output()
        .unwrap();
    assert_no_raw_escapes(&stdout(&out), "connector models --json");
}

#[test]
fn config_toml_strings_cannot_inject_terminal_escapes() {
    let env = env_with_canary();
    let model = HOSTILE
        .replace('\u{1b}', "\\u001b")
        .replace('\u{7}', "\\u0007")
        .replace('\u{9b}', "\\u009b");
    let config = format!(
        "[[connector]]\nname = \"c\"\ntype = \"openai\"\nsecret = \"canary\"\nmodel = \"{model}\"\n"
    );
    std::fs::write(env.file("config.toml"), config).unwrap();
    for args in [
        vec!["connector", "list"],
        vec!["connector", "show", "c"],
        vec!["connector", "list", "--json"],
    ] {
        let out = env.cmd(&args).output().unwrap();
        assert_no_raw_escapes(&stdout(&out), &args.join(" "));
        assert_no_raw_escapes(&stderr(&out), &args.join(" "));
    }
}

// --- 4. home trust -----------------------------------------------------------------------

fn assert_refused(out: &std::process::Output, needle: &str, hint: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(err.contains(hint), "{err}");
}

#[test]
fn a_world_or_group_writable_home_is_refused() {
    let env = env_with_canary();
    for mode in [0o777, 0o770, 0o702] {
        std::fs::set_permissions(env.home(), std::fs::Permissions::from_mode(mode)).unwrap();
        let out = env.cmd(["secret", "get", "canary"]).output().unwrap();
        assert_refused(&out, "writable", "chmod 700");
        assert!(!stdout(&out).contains(CANARY));
    }
    std::fs::set_permissions(env.home(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(env.get("canary"), CANARY);
    std::fs::set_permissions(
        env.file("vault.age"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let out = env.cmd(["secret", "list"]).output().unwrap();
    assert_refused(&out, "vault.age", "chmod 600");
}

#[test]
fn a_home_owned_by_another_user_is_refused() {
    if rustix_euid() != 0 {
        eprintln!("skipped: needs root to chown the home to another user");
        return;
    }
    let env = env_with_canary();
    std::os::unix::fs::chown(env.home(), Some(65534), None).unwrap();
    let out = env.cmd(["secret", "list"]).output().unwrap();
    assert_refused(&out, "owned by user 65534", "chown");
    std::os::unix::fs::chown(env.home(), Some(0), None).unwrap();
    std::os::unix::fs::chown(env.file("vault.age"), Some(65534), None).unwrap();
    let out = env.cmd(["secret", "list"]).output().unwrap();
    assert_refused(&out, "owned by user 65534", "chown");
}

fn rustix_euid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    line.split_whitespace().nth(2).unwrap().parse().unwrap()
}

#[test]
fn both_identity_files_are_refused_not_silently_preferred() {
    let env = env_with_canary();
    std::fs::write(env.file("identity.age"), b"age-encryption.org/v1\n").unwrap();
    std::fs::set_permissions(
        env.file("identity.age"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let out = env.cmd(["secret", "get", "canary"]).output().unwrap();
    assert_refused(
        &out,
        "both identity.txt and identity.age",
        "move the other away",
    );
    assert!(!stdout(&out).contains(CANARY));
}

fn vault_replaced_by(env: &Env, make: impl FnOnce(&Path)) -> std::process::Output {
    let vault = env.file("vault.age");
    let saved = env.dir.path().join("vault.saved");
    if !saved.exists() {
        std::fs::rename(&vault, &saved).unwrap();
    }
    make(&vault);
    let start = Instant::now();
    let mut child = byok(env)
        .args(["secret", "add", "new", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(b"sk-test-new-000000000000").unwrap();
    }
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("byok hung on a vault that is not a regular file");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_vault_that_is_a_fifo_a_symlink_or_a_directory_is_refused_without_hanging() {
    let env = env_with_canary();
    let out = vault_replaced_by(&env, |p| {
        assert!(StdCommand::new("mkfifo").arg(p).status().unwrap().success());
    });
    assert_refused(&out, "FIFO", "mv");
    std::fs::remove_file(env.file("vault.age")).unwrap();

    let target = env.dir.path().join("elsewhere.age");
    std::fs::copy(env.dir.path().join("vault.saved"), &target).unwrap();
    let before = std::fs::read(&target).unwrap();
    let out = vault_replaced_by(&env, |p| std::os::unix::fs::symlink(&target, p).unwrap());
    assert_refused(&out, "symbolic link", "regular files");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        before,
        "the link target changed"
    );
    assert!(
        std::fs::symlink_metadata(env.file("vault.age"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    std::fs::remove_file(env.file("vault.age")).unwrap();

    let out = vault_replaced_by(&env, |p| std::fs::create_dir(p).unwrap());
    assert_refused(&out, "a directory", "mv");
}

#[test]
fn logs_are_not_written_through_a_symlink() {
    let env = env_with_canary();
    let target = env.dir.path().join("target.txt");
    std::fs::write(&target, "untouched\n").unwrap();
    std::os::unix::fs::symlink(&target, env.file("usage.db")).unwrap();
    let fake = Fake::start(Wire::OpenAi, Some(CANARY), "m", Reply::Success);
    add_canary_connector(&env, "c", &fake.base_url());
    let out = env.cmd(["connector", "test", "c"]).output().unwrap();
    assert!(
        stderr(&out).contains("could not write the usage log"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
}

// --- 7. weak passphrases, key-shaped arguments -------------------------------------------

#[test]
fn a_one_character_passphrase_is_refused_unless_weak_is_asked_for() {
    let env = Env::new();
    let out = env
        .cmd(["init"])
        .env("BYOK_PASSPHRASE", "x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("at least 12"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--weak-passphrase"),
        "{}",
        stderr(&out)
    );
    assert!(!env.home().join("identity.age").exists());
    let out = env
        .cmd(["init", "--weak-passphrase"])
        .env("BYOK_PASSPHRASE", "x")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("weak"), "{}", stderr(&out));
    let env = Env::new();
    let out = env
        .cmd(["init"])
        .env("BYOK_PASSPHRASE", "aaaaaaaaaaaaaaaa")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: this passphrase is weak"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("aaaaaaaaaaaaaaaa"));
}

#[test]
fn a_key_pasted_as_a_name_is_not_echoed() {
    let env = env_with_canary();
    let pasted = "sk-proj-Zx9aQ2bR7cT4dU1eV8fW3gX6hY5iZ0jKab";
    for args in [
        vec!["secret", "get", pasted],
        vec!["exec", pasted, "--", "true"],
        vec!["env", pasted],
        vec!["secret", "rm", pasted, "--yes"],
        vec!["connector", "test", pasted],
        vec!["secret", "add", pasted, "--stdin"],
    ] {
        let out = env
            .cmd(&args)
            .write_stdin("sk-test-x-000000000000")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let all = stdout(&out) + &stderr(&out);
        assert!(
            !all.contains("Zx9aQ2bR7cT4dU1eV8fW3gX6"),
            "{args:?} echoed the key: {all}"
        );
    }
}

// --- hostile input -----------------------------------------------------------------------

#[test]
fn hostile_ref_names_are_refused_and_change_nothing() {
    let env = env_with_canary();
    let before = std::fs::read(env.file("vault.age")).unwrap();
    let long = "a".repeat(10 * 1024);
    for name in [
        "a/b",
        "..",
        "../x",
        "a\nb",
        "a\rb",
        long.as_str(),
        "саnary",
        "ｃanary",
        "-rf",
        " x",
        "",
        "a b",
        "x\u{202e}y",
    ] {
        let out = env
            .cmd(["secret", "add", name, "--stdin"])
            .write_stdin("sk-test-v-0000000000")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name:?} was accepted");
        let err = stderr(&out);
        assert!(err.contains("error:"), "{name:?}: {err}");
        assert!(!err.contains('\r'), "raw CR echoed for {name:?}");
        assert!(
            err.len() < 2000,
            "{name:?}: an error of {} bytes",
            err.len()
        );
    }
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
}

#[test]
fn hostile_values_are_stored_exactly_or_refused_cleanly() {
    let env = env_with_canary();
    // 10 MB, one with NUL, one not UTF-8: each either round-trips or fails cleanly.
    let big = "k".repeat(10 * 1024 * 1024);
    let out = env
        .cmd(["secret", "add", "big", "--stdin"])
        .write_stdin(big.clone())
        .output()
        .unwrap();
    if out.status.success() {
        assert_eq!(env.get("big").len(), big.len());
    } else {
        assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    }
    for (name, value) in [
        ("nul", b"sk-test\0nul".to_vec()),
        ("latin1", b"sk-test-\xff\xfe".to_vec()),
    ] {
        let before = std::fs::read(env.file("vault.age")).unwrap();
        let out = env
            .cmd(["secret", "add", name, "--stdin"])
            .write_stdin(value)
            .output()
            .unwrap();
        if !out.status.success() {
            assert!(stderr(&out).contains("error:"), "{name}: {}", stderr(&out));
            assert_eq!(
                std::fs::read(env.file("vault.age")).unwrap(),
                before,
                "{name}"
            );
        }
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    assert_eq!(env.get("canary"), CANARY);
}

#[test]
fn malformed_config_toml_is_a_clear_error_and_is_not_rewritten() {
    let env = env_with_canary();
    for (what, text) in [
        ("bad type", "[[connector]]\nname = 1\ntype = \"openai\"\n"),
        (
            "duplicate",
            "[[connector]]\nname = \"c\"\ntype = \"openai\"\nsecret = \"canary\"\n[[connector]]\nname = \"c\"\ntype = \"openai\"\nsecret = \"canary\"\n",
        ),
        (
            "credentials in base_url",
            "[[connector]]\nname = \"c\"\ntype = \"openai\"\nsecret = \"canary\"\nbase_url = \"https://user:sk-test-pw-1234567890abcd@example.com/v1\"\n",
        ),
        ("not toml", "[[connector\n"),
    ] {
        std::fs::write(env.file("config.toml"), text).unwrap();
        let out = env.cmd(["connector", "test", "c"]).output().unwrap();
        let err = stderr(&out) + &stdout(&out);
        assert!(!out.status.success(), "{what}: accepted");
        assert!(
            err.contains("config.toml") || err.contains("base URL"),
            "{what}: {err}"
        );
        assert!(
            !err.contains("sk-test-pw-1234567890abcd"),
            "{what}: echoed the password: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert_eq!(
            std::fs::read_to_string(env.file("config.toml")).unwrap(),
            text,
            "{what}"
        );
    }
}

#[test]
fn a_damaged_vault_is_reported_and_never_overwritten() {
    let env = env_with_canary();
    let vault = env.file("vault.age");
    let good = std::fs::read(&vault).unwrap();
    let mut flipped = good.clone();
    let at = flipped.len() - 20;
    flipped[at] ^= 0x40;
    let other = Env::init();
    let foreign = {
        other.add("x", "sk-test-foreign-0000000000", &[]);
        std::fs::read(other.file("vault.age")).unwrap()
    };
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("bit-flipped", flipped),
        ("for another recipient", foreign),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&vault, &bytes).unwrap();
        let out = env
            .cmd(["secret", "add", "new", "--stdin"])
            .write_stdin("sk-test-n-000000000000")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(7), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("vault.age"),
            "{what}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(&vault).unwrap(),
            bytes,
            "{what}: the vault was changed"
        );
    }
    std::fs::write(&vault, &good).unwrap();
    assert_eq!(env.get("canary"), CANARY);
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_vault() {
    let Some(prlimit) = require_tool("prlimit") else {
        return;
    };
    let env = env_with_canary();
    let before = std::fs::read(env.file("vault.age")).unwrap();
    // SIGXFSZ ignored: the write fails with EFBIG instead of killing the process.
    let script = format!(
        "trap '' XFSZ; exec {} --fsize=64 \"$BYOK\" secret add big --stdin",
        prlimit.display()
    );
    let out = env
        .program("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&vec![b'v'; 4096])?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), before);
    assert_eq!(env.get("canary"), CANARY);
}

// --- no leaks ----------------------------------------------------------------------------

#[test]
fn the_canary_appears_only_where_it_must() {
    let env = env_with_canary();
    let fake = Fake::start(Wire::OpenAi, Some(CANARY), "m", Reply::Success);
    let base = fake.base_url();
    let steps: Vec<(Vec<&str>, bool)> = vec![
        (vec!["secret", "list"], false),
        (vec!["secret", "list", "--json"], false),
        (vec!["secret", "show", "canary"], false),
        (vec!["secret", "get", "canary"], true),
        (vec!["env", "canary"], true),
        (vec!["env", "canary", "--format", "json"], true),
        (
            vec![
                "connector",
                "add",
                "c",
                "--type",
                "openai",
                "--secret",
                "canary",
                "--model",
                "m",
                "--base-url",
                &base,
            ],
            false,
        ),
        (vec!["connector", "test", "c"], false),
        (vec!["connector", "test", "c", "--json"], false),
        (vec!["connector", "list", "--json"], false),
        (vec!["connector", "show", "c"], false),
        (
            vec![
                "exec",
                "canary",
                "--",
                "sh",
                "-c",
                "test -n \"$OPENAI_API_KEY\"",
            ],
            false,
        ),
        (
            vec![
                "exec",
                "--redact",
                "canary",
                "--",
                "sh",
                "-c",
                "echo \"$OPENAI_API_KEY\"; echo \"$OPENAI_API_KEY\" >&2",
            ],
            false,
        ),
        (vec!["doctor"], false),
        (vec!["secret", "rotate", "canary", "--stdin"], false),
        (vec!["secret", "rename", "canary", "canary2"], false),
        (vec!["secret", "get", "nope"], false),
    ];
    for (args, on_stdout) in steps {
        let out = env
            .cmd(&args)
            .env("RUST_BACKTRACE", "1")
            .write_stdin(CANARY)
            .output()
            .unwrap();
        let (o, e) = (stdout(&out), stderr(&out));
        assert!(
            !e.contains(CANARY) && !e.contains("CANARY7q3Z"),
            "{args:?}: canary on stderr: {e}"
        );
        assert!(!e.contains("panicked"), "{args:?}: {e}");
        assert_eq!(o.contains(CANARY), on_stdout, "{args:?}: stdout {o}");
        if !on_stdout {
            assert!(
                !o.contains("CANARY7q3Z"),
                "{args:?}: a fragment on stdout: {o}"
            );
        }
    }
    // The provider got it in a header (it must), never in the URL.
    for request in fake.requests() {
        assert!(!request.target.contains("CANARY"), "{}", request.target);
    }
    // Nothing under the home holds it in plaintext (vault and identity are encrypted or keys).
    for (path, bytes) in files_under(&env.home()) {
        assert!(
            !contains(&bytes, CANARY),
            "{} holds the canary",
            path.display()
        );
        assert!(
            !contains(&bytes, "CANARY7q3Z"),
            "{} holds a fragment",
            path.display()
        );
    }
}

#[test]
fn reserved_looking_names_are_ordinary_secrets() {
    let env = env_with_canary();
    // Names that match keys of the vault document itself, or mean something elsewhere.
    let names = [
        "secrets",
        "index",
        "byok_vault",
        "fields",
        "__proto__",
        "con",
        "nul",
    ];
    for (i, name) in names.iter().enumerate() {
        let out = env
            .cmd(["secret", "add", name, "--stdin"])
            .write_stdin(format!("sk-test-reserved-{i:04}-abcdefgh"))
            .output()
            .unwrap();
        if !out.status.success() {
            // Refusing is fine, if it is a clear error that changes nothing.
            assert!(stderr(&out).contains("error:"), "{name}: {}", stderr(&out));
            continue;
        }
        assert_eq!(env.get(name), format!("sk-test-reserved-{i:04}-abcdefgh"));
    }
    assert_eq!(env.get("canary"), CANARY);
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
