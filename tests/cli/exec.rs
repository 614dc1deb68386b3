//! `byok exec`: keys reach the command's environment, never its argv; status, stdin and
//! signals pass through; `--redact` masks the values in its output.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::harness::{Env, KEY, stderr, stdout};

fn env_with_key() -> Env {
    let env = Env::init();
    env.add("my_openai_key", KEY, &["--provider", "openai"]);
    env
}

#[test]
fn the_command_sees_the_variables() {
    let env = env_with_key();
    env.cmd([
        "exec",
        "my_openai_key",
        "--",
        "sh",
        "-c",
        "printf %s \"$OPENAI_API_KEY\"",
    ])
    .assert()
    .success()
    .stdout(KEY)
    .stderr("");
}

#[test]
fn exit_codes_pass_through() {
    let env = env_with_key();
    for code in [0, 3, 42] {
        env.cmd(["exec", "my_openai_key", "--", "sh", "-c"])
            .arg(format!("exit {code}"))
            .assert()
            .code(code)
            .stderr("");
    }
}

#[test]
fn a_command_killed_by_a_signal_reports_128_plus_n() {
    let env = env_with_key();
    for redact in ["", "--redact"] {
        let script = format!(
            "\"$BYOK\" exec {redact} my_openai_key -- sh -c 'kill -TERM $$'; echo \"status=$?\""
        );
        let out = env.program("sh").arg("-c").arg(script).output().unwrap();
        assert_eq!(stdout(&out), "status=143\n", "{redact}: {}", stderr(&out));
    }
}

#[test]
fn stdin_is_forwarded() {
    let env = env_with_key();
    for redact in [&[][..], &["--redact"][..]] {
        env.cmd(["exec"])
            .args(redact)
            .args(["my_openai_key", "--", "cat"])
            .write_stdin("line from stdin\n")
            .assert()
            .success()
            .stdout("line from stdin\n");
    }
}

fn env_names(out: &std::process::Output) -> Vec<String> {
    let mut names: Vec<String> = stdout(out)
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.to_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn clean_env_keeps_only_path_home_term_and_the_keys() {
    let env = env_with_key();
    let out = env
        .cmd(["exec", "--clean-env", "my_openai_key", "--", "env"])
        .env("TERM", "xterm")
        .env("EDITOR", "vi")
        .env("BYOK_PASSPHRASE", "not-passed-on")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env_names(&out),
        ["HOME", "OPENAI_API_KEY", "PATH", "TERM"],
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_passphrase_is_not_passed_on_but_the_rest_is() {
    let env = env_with_key();
    let out = env
        .cmd(["exec", "my_openai_key", "--", "env"])
        .env("EDITOR", "vi")
        .env("BYOK_PASSPHRASE", "pp-test-not-passed-on")
        .env("BYOK_PASSPHRASE_FILE", "/nonexistent/pass")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let names = env_names(&out);
    assert!(
        !names.contains(&"BYOK_PASSPHRASE_FILE".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"EDITOR".to_owned()), "{names:?}");
    assert!(names.contains(&"OPENAI_API_KEY".to_owned()), "{names:?}");
    assert!(!stdout(&out).contains("pp-test-not-passed-on"));
    assert!(!names.contains(&"BYOK_PASSPHRASE".to_owned()), "{names:?}");
}

#[test]
fn a_missing_target_fails_before_anything_runs() {
    let env = env_with_key();
    let canary = env.dir.path().join("ran");
    env.cmd(["exec", "nope", "--", "touch"])
        .arg(&canary)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no connector or secret named 'nope'",
        ));
    assert!(!canary.exists());
}

#[test]
fn a_missing_command_fails_before_unlocking() {
    // No vault at all: the command is checked first.
    let env = Env::new();
    env.cmd(["exec", "k", "--", "no-such-command-for-byok"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains(
            "command not found: no-such-command-for-byok",
        ));
    env.cmd(["exec", "k"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CMD"));
}

/// Waits until `pid`'s argv starts with `program` (after exec), and returns it.
#[cfg(target_os = "linux")]
fn cmdline_once_exec(pid: u32, program: &str) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if cmdline.starts_with(program.as_bytes()) {
            return cmdline;
        }
        assert!(Instant::now() < deadline, "{pid} never became {program}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
fn child_pid(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children")).unwrap();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "no child of {parent}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(target_os = "linux")]
#[test]
fn the_value_is_in_the_environment_never_in_argv() {
    let env = env_with_key();
    let contains = |hay: &[u8]| memchr::memmem::find(hay, KEY.as_bytes()).is_some();

    // Without --redact byok becomes the command: same pid.
    let child = env
        .program(crate::harness::byok_bin().to_str().unwrap())
        .args(["exec", "my_openai_key", "--", "sleep", "30"])
        .spawn()
        .unwrap();
    let pid = child.id();
    let cmdline = cmdline_once_exec(pid, "sleep");
    assert!(!contains(&cmdline));
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    assert!(contains(&environ), "the key is not in the environment");
    stop(child);

    // With --redact byok stays as the parent: check both.
    let child = env
        .program(crate::harness::byok_bin().to_str().unwrap())
        .args(["exec", "--redact", "my_openai_key", "--", "sleep", "30"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let grandchild = child_pid(child.id());
    assert!(!contains(&cmdline_once_exec(grandchild, "sleep")));
    assert!(!contains(
        &std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap()
    ));
    let _ = std::process::Command::new("kill")
        .arg(grandchild.to_string())
        .status();
    stop(child);
}

#[test]
fn redact_masks_the_values_and_keeps_the_rest() {
    let env = env_with_key();
    env.cmd([
        "exec",
        "--redact",
        "my_openai_key",
        "--",
        "sh",
        "-c",
        "echo \"using key $OPENAI_API_KEY now\"; echo \"err: $OPENAI_API_KEY\" >&2; echo plain; exit 4",
    ])
    .assert()
    .code(4)
    .stdout("using key <concealed by byok> now\nplain\n")
    .stderr("err: <concealed by byok>\n");
}

#[test]
fn redact_forwards_sigterm_to_the_command() {
    let env = env_with_key();
    let mut child = env
        .program(crate::harness::byok_bin().to_str().unwrap())
        .args([
            "exec",
            "--redact",
            "my_openai_key",
            "--",
            "sh",
            "-c",
            "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.05; done",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "ready");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(lines.next().unwrap().unwrap(), "got-term");
    assert_eq!(child.wait().unwrap().code(), Some(7));
}

#[test]
fn unlock_material_is_not_passed_on() {
    let env = env_with_key();
    let out = env
        .cmd(["exec", "my_openai_key", "--", "env"])
        .env("BYOK_IDENTITY_FILE", env.file("identity.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let names = env_names(&out);
    assert!(
        !names.contains(&"BYOK_IDENTITY_FILE".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"OPENAI_API_KEY".to_owned()), "{names:?}");
}

#[test]
fn a_file_that_cannot_be_executed_exits_126() {
    let env = env_with_key();
    let plain = env.dir.path().join("not-executable");
    std::fs::write(&plain, "#!/bin/sh\necho ran\n").unwrap();
    env.cmd(["exec", "my_openai_key", "--"])
        .arg(&plain)
        .assert()
        .code(126)
        .stdout("");
}

#[test]
fn a_key_given_to_set_by_mistake_is_not_echoed() {
    let env = env_with_key();
    let out = env
        .cmd([
            "exec",
            "--set",
            "OPENAI_API_KEY=sk-proj-test-mistake-000000000",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("sk-proj-test-mistake"), "{err}");
    assert!(err.contains("--set OPENAI_API_KEY=…"), "{err}");
}
