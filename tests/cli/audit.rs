//! `byok audit`: every action writes one entry and never a value; `audit verify` catches
//! edited, removed, cut and replaced entries; hashed or plain names; `audit reset`.

use serde_json::Value;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, KEY, audit_lines, exit_code, require_keychain, stderr, stdout};

const NEW_KEY: &str = "sk-test-new-key-9876543210zyxwvu";
const MODEL: &str = "gpt-test-mini";

/// Runs `byok ARGS` and checks it added exactly one audit entry with `action` (and
/// outcome ok); returns it.
fn one_entry(env: &Env, args: &[&str], stdin: Option<&str>, action: &str) -> Value {
    let before = audit_lines(env).len();
    let mut cmd = env.cmd(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let after = audit_lines(env);
    assert_eq!(
        after.len(),
        before + 1,
        "{args:?} must add exactly one entry: {:?}",
        &after[before..]
    );
    let entry = after.last().unwrap().clone();
    assert_eq!(entry["action"], action, "{args:?}: {entry}");
    assert_eq!(entry["outcome"], "ok", "{args:?}: {entry}");
    assert_eq!(entry["seq"], after.len() as u64, "{entry}");
    assert!(entry["pid"].as_u64().is_some(), "{entry}");
    assert!(entry["time"].as_str().is_some(), "{entry}");
    entry
}

/// A home with a few audited actions; the last one writes the vault.
fn audited_home() -> Env {
    let env = Env::init();
    env.add("first_key", KEY, &[]);
    env.get("first_key");
    env.add("second_key", KEY, &[]);
    env.get("second_key");
    env.add("third_key", KEY, &[]);
    env
}

fn rewrite_log(env: &Env, change: impl FnOnce(Vec<String>) -> Vec<String>) {
    let text = std::fs::read_to_string(env.file("audit.jsonl")).unwrap();
    let lines = change(text.lines().map(str::to_owned).collect());
    let mut out = lines.join("\n");
    out.push('\n');
    std::fs::write(env.file("audit.jsonl"), out).unwrap();
}

#[test]
fn every_action_writes_one_entry_and_never_a_value() {
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    let fake = Fake::start(Wire::OpenAi, Some(KEY), MODEL, Reply::Success);
    let e = one_entry(
        &env,
        &[
            "secret",
            "add",
            "audited_key",
            "--provider",
            "openai",
            "--stdin",
        ],
        Some(KEY),
        "secret.add",
    );
    assert_eq!(e["store"], "vault");
    assert_eq!(e["command"], "secret add");
    let hashed = e["ref"].as_str().unwrap().to_owned();
    assert!(hashed.starts_with("h:"), "{e}");
    one_entry(&env, &["secret", "get", "audited_key"], None, "secret.read");
    one_entry(&env, &["env", "audited_key"], None, "secret.read");
    one_entry(
        &env,
        &["exec", "audited_key", "--", "true"],
        None,
        "secret.read",
    );
    // The connector's test uses the old key: the fake accepts only KEY.
    let base = fake.base_url();
    let e = one_entry(
        &env,
        &[
            "connector",
            "add",
            "work",
            "--type",
            "openai",
            "--model",
            MODEL,
            "--base-url",
            &base,
            "--secret",
            "audited_key",
        ],
        None,
        "connector.add",
    );
    assert_eq!(e["connector"], "work");
    one_entry(&env, &["connector", "test", "work"], None, "connector.test");
    one_entry(
        &env,
        &["connector", "edit", "work", "--model", "gpt-other"],
        None,
        "connector.edit",
    );
    one_entry(
        &env,
        &["connector", "archive", "work"],
        None,
        "connector.archive",
    );
    one_entry(
        &env,
        &["connector", "unarchive", "work"],
        None,
        "connector.unarchive",
    );
    one_entry(
        &env,
        &["connector", "move", "work", "--top"],
        None,
        "connector.move",
    );
    one_entry(
        &env,
        &["connector", "rm", "work", "--yes"],
        None,
        "connector.remove",
    );
    one_entry(
        &env,
        &["secret", "rotate", "audited_key", "--stdin"],
        Some(NEW_KEY),
        "secret.rotate",
    );
    one_entry(
        &env,
        &["secret", "rollback", "audited_key"],
        None,
        "secret.rollback",
    );
    one_entry(
        &env,
        &["secret", "set", "audited_key", "--expires", "90d"],
        None,
        "secret.set",
    );
    let e = one_entry(
        &env,
        &["secret", "rename", "audited_key", "renamed_key"],
        None,
        "secret.rename",
    );
    assert_eq!(e["ref"], hashed, "entries name the ref the action was on");
    let e = one_entry(
        &env,
        &["secret", "move", "renamed_key", "--to", "team"],
        None,
        "secret.move",
    );
    assert_eq!(e["store"], "team");
    one_entry(
        &env,
        &["secret", "rm", "renamed_key", "--yes"],
        None,
        "secret.remove",
    );
    let dotenv = env.dir.path().join("import.env");
    std::fs::write(&dotenv, format!("OPENAI_API_KEY={NEW_KEY}\n")).unwrap();
    one_entry(
        &env,
        &["import", "dotenv", dotenv.to_str().unwrap(), "--yes"],
        None,
        "import",
    );
    one_entry(&env, &["lock"], None, "lock");
    let backup = env.dir.path().join("b.age");
    one_entry(&env, &["backup", backup.to_str().unwrap()], None, "backup");
    one_entry(
        &env,
        &["restore", backup.to_str().unwrap(), "--yes"],
        None,
        "restore",
    );
    one_entry(&env, &["reveal", "prompt"], None, "reveal.set");

    // A failed action is recorded too, with its exit code.
    let before = audit_lines(&env).len();
    env.cmd(["secret", "get", "no_such_key"]).assert().code(3);
    let after = audit_lines(&env);
    assert_eq!(
        after.len(),
        before + 1,
        "a failed read is an attempt: logged"
    );
    let last = after.last().unwrap();
    assert_eq!(last["action"], "secret.read");
    assert_eq!(last["outcome"], "error");
    assert_eq!(last["exit"], 3);
    env.cmd(["secret", "rm", "no_such_key", "--yes"])
        .assert()
        .code(3);

    let text = std::fs::read_to_string(env.file("audit.jsonl")).unwrap();
    for canary in [KEY, NEW_KEY, "sk-test", "audited_key", "renamed_key"] {
        assert!(!text.contains(canary), "the log holds {canary}: {text}");
    }
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&env.file("audit.jsonl")), 0o600);
    env.cmd(["audit", "verify"]).assert().success();
}

#[test]
fn verify_passes_on_an_untouched_log() {
    let env = audited_home();
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("5 entries"), "{}", stdout(&out));
    let json = env.cmd(["audit", "verify", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["head"], 5, "the last vault write recorded all five: {v}");
}

#[test]
fn verify_fails_after_an_entry_is_edited() {
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines[1] = lines[1].replace("\"secret.read\"", "\"secret.rotate\"");
        lines
    });
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert_eq!(exit_code(&out), 9, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("line 2"), "{}", stdout(&out));
}

#[test]
fn verify_fails_after_an_entry_is_removed() {
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.remove(2);
        lines
    });
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert_eq!(exit_code(&out), 9, "{}", stdout(&out));
}

#[test]
fn verify_fails_after_the_tail_is_truncated() {
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.truncate(4);
        lines
    });
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert_eq!(exit_code(&out), 9, "{}", stdout(&out));
    assert!(stdout(&out).contains("cut off"), "{}", stdout(&out));
}

#[test]
fn verify_fails_when_the_whole_log_is_replaced_by_a_shorter_valid_one() {
    // A log from another moment (the first entry only) is a valid chain of its own: only
    // the head in the vault shows it is not the whole story.
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.truncate(1);
        lines
    });
    env.cmd(["audit", "verify"]).assert().code(9);
}

#[test]
fn hashed_names_resolve_with_the_identity_only() {
    let env = audited_home();
    let listed = env.cmd(["audit", "--json"]).output().unwrap();
    let entries: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(entries[0]["ref"], "first_key", "{entries}");
    let filtered = env
        .cmd([
            "audit",
            "--json",
            "--ref",
            "second_key",
            "--action",
            "secret.read",
        ])
        .output()
        .unwrap();
    let filtered: Value = serde_json::from_slice(&filtered.stdout).unwrap();
    assert_eq!(filtered.as_array().unwrap().len(), 1, "{filtered}");
    assert_eq!(filtered[0]["seq"], 4);

    // Without any identity the names stay hashed.
    std::fs::rename(env.file("identity.txt"), env.dir.path().join("away.txt")).unwrap();
    let listed = env.cmd(["audit", "--json"]).output().unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    let entries: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let shown = entries[0]["ref"].as_str().unwrap();
    assert!(shown.starts_with("h:"), "{entries}");
    assert!(!stdout(&listed).contains("first_key"));
}

#[test]
fn plain_names_when_configured() {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), "audit_names = \"plain\"\n").unwrap();
    env.add("plain_key", KEY, &[]);
    let text = std::fs::read_to_string(env.file("audit.jsonl")).unwrap();
    assert!(text.contains("\"ref\":\"plain_key\""), "{text}");
    assert!(!text.contains(KEY));
}

#[test]
fn the_log_is_not_followed_through_a_symlink() {
    let env = Env::init();
    let elsewhere = env.dir.path().join("elsewhere.jsonl");
    std::fs::write(&elsewhere, "").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, env.file("audit.jsonl")).unwrap();
    #[cfg(unix)]
    {
        let out = env
            .cmd(["secret", "add", "k", "--stdin"])
            .write_stdin(KEY)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
    }
}

#[test]
fn unlock_lock_and_keychain_remember_forget_are_audited() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .success();
    let mut expected = Vec::new();
    for (args, action) in [
        (&["unlock"][..], "unlock"),
        (&["lock"][..], "lock"),
        (&["keychain", "remember"][..], "keychain.remember"),
        (&["keychain", "forget"][..], "keychain.forget"),
    ] {
        let out = env
            .cmd_kc(&bus, args)
            .env("BYOK_PASSPHRASE", "correct horse")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        expected.push(action);
        let actions: Vec<String> = audit_lines(&env)
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(actions, expected);
    }
    env.cmd(["audit", "verify"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .success();
}

#[test]
fn a_cut_log_stays_detected_after_later_writes() {
    // Cut the tail, then keep working: later entries chain on, but the next vault write
    // must not record a head that hides the cut.
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.truncate(3);
        lines
    });
    let out = env
        .cmd(["secret", "add", "fourth_key", "--stdin"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no longer matches"),
        "{}",
        stderr(&out)
    );
    for _ in 0..3 {
        env.get("fourth_key");
    }
    env.add("fifth_key", KEY, &[]);
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert_eq!(exit_code(&out), 9, "{}", stdout(&out));
}

#[test]
fn reset_starts_a_new_log_and_keeps_the_old_one() {
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.truncate(2);
        lines
    });
    env.cmd(["audit", "verify"]).assert().code(9);
    env.cmd(["audit", "reset"]).assert().code(1);
    env.cmd(["audit", "reset", "--yes"]).assert().success();
    let entries = audit_lines(&env);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "audit.reset");
    env.cmd(["audit", "verify"]).assert().success();
    let kept = std::fs::read_dir(env.home())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("audit.jsonl.")
        })
        .count();
    assert_eq!(kept, 1);
}

#[test]
fn store_add_and_remove_are_audited_with_the_store_name() {
    let env = Env::init();
    let entry = one_entry(
        &env,
        &[
            "store", "add", "team", "--type", "age-file", "--path", "team.age",
        ],
        None,
        "store.add",
    );
    assert_eq!(entry["store"], "team", "{entry}");
    // Listing and showing are not actions.
    let before = audit_lines(&env).len();
    env.cmd(["store", "list"]).assert().success();
    assert_eq!(audit_lines(&env).len(), before);
    let entry = one_entry(&env, &["store", "rm", "team"], None, "store.remove");
    assert_eq!(entry["store"], "team", "{entry}");
}

/// Attack: a process that cannot unlock the vault plants an entry blaming another caller
/// (no MAC: it has no identity) after the last keyed entry; the user's next vault write then
/// covers it with the chain. `audit verify` still finds the log intact — the entry was not
/// changed afterwards — but names it as unauthenticated, and the listing marks it.
#[test]
fn a_planted_entry_without_a_mac_is_flagged_unauthenticated() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["secret", "get", "k"]).assert().success();
    let seq = audit_lines(&env).len() + 1;
    let planted = format!(
        "{{\"seq\":{seq},\"time\":\"2026-12-05T00:00:00Z\",\"action\":\"secret.read\",\"ref\":\"?\",\"outcome\":\"ok\",\"command\":\"secret get\",\"pid\":1,\"caller_pid\":1,\"caller\":\"someone-else\"}}\n"
    );
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(env.file("audit.jsonl"))
        .unwrap();
    std::io::Write::write_all(&mut file, planted.as_bytes()).unwrap();
    drop(file);
    // The user's next keyed action and vault write seal it into the chain.
    env.add("k2", KEY, &[]);
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("✓ audit log intact"), "{text}");
    assert!(
        text.contains("carry no MAC of their own") && text.contains(&format!("seq {seq}")),
        "{text}"
    );
    let json = env.cmd(["audit", "verify", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        v["unauthenticated"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(seq)),
        "{v}"
    );
    let listing = stdout(&env.cmd(["audit"]).output().unwrap());
    let line = listing
        .lines()
        .find(|l| l.contains("someone-else"))
        .expect("the planted entry is listed");
    assert!(line.contains("[no MAC]"), "{line}");
    // byok's own keyed entries are not flagged.
    let keyed = listing.lines().filter(|l| l.contains("[no MAC]")).count();
    assert_eq!(keyed, 1, "{listing}");
}

/// The hands-on test's finding: a `secret get` refused by the reveal policy (exit 8) or for
/// a name that is not there (exit 3) left no audit entry, although these are the attempts
/// that show an agent probing for a key. Each is now a `secret.read` entry with outcome
/// `error` and its exit code, as is an `env` the policy refuses; the chain still verifies.
#[test]
fn refused_and_failed_reads_leave_an_audit_entry() {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), "audit_names = \"plain\"\n").unwrap();
    env.add("guarded", KEY, &["--reveal", "never"]);
    env.cmd(["secret", "get", "guarded"]).assert().code(8);
    env.cmd(["secret", "get", "nope"]).assert().code(3);
    env.cmd(["env", "guarded"]).assert().code(8);
    let reads: Vec<(String, String, Option<u64>)> = audit_lines(&env)
        .iter()
        .filter(|e| e["action"] == "secret.read")
        .map(|e| {
            (
                e["ref"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
                e["exit"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        reads,
        [
            ("guarded".to_owned(), "error".to_owned(), Some(8)),
            ("nope".to_owned(), "error".to_owned(), Some(3)),
            ("guarded".to_owned(), "error".to_owned(), Some(8)),
        ]
    );
    env.cmd(["audit", "verify"]).assert().success();
}
