//! Key hygiene: the audit log and its verification, expiry and rotation marks, verified
//! rotation, rollback, the reveal policy, and backups.

use serde_json::Value;

use crate::fake_provider::{Fake, Reply, Wire};
use crate::harness::{Env, KEY, require_keychain, require_tool, stderr, stdout, unique};

const NEW_KEY: &str = "sk-test-new-key-9876543210zyxwvu";
const MODEL: &str = "gpt-test-mini";

fn lines(env: &Env) -> Vec<Value> {
    match std::fs::read_to_string(env.file("audit.jsonl")) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Runs `byok ARGS` and checks it added exactly one audit entry with `action` (and
/// outcome ok); returns it.
fn one_entry(env: &Env, args: &[&str], stdin: Option<&str>, action: &str) -> Value {
    let before = lines(env).len();
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
    let after = lines(env);
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

fn add_fake_connector(env: &Env, name: &str, secret: &str, fake: &Fake) {
    let base = fake.base_url();
    env.cmd([
        "connector",
        "add",
        name,
        "--type",
        "openai",
        "--model",
        MODEL,
        "--base-url",
        &base,
        "--secret",
        secret,
    ])
    .assert()
    .success();
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
    let before = lines(&env).len();
    env.cmd(["secret", "get", "no_such_key"]).assert().code(3);
    let after = lines(&env);
    assert_eq!(
        after.len(),
        before,
        "a ref that does not resolve was never read"
    );
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
    assert_eq!(code(&out), 9, "{}{}", stdout(&out), stderr(&out));
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
    assert_eq!(code(&out), 9, "{}", stdout(&out));
}

#[test]
fn verify_fails_after_the_tail_is_truncated() {
    let env = audited_home();
    rewrite_log(&env, |mut lines| {
        lines.truncate(4);
        lines
    });
    let out = env.cmd(["audit", "verify"]).output().unwrap();
    assert_eq!(code(&out), 9, "{}", stdout(&out));
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

// ---- rotation and expiry ------------------------------------------------------------------

fn list_json(env: &Env, extra: &[&str]) -> Vec<Value> {
    let out = env
        .cmd(["secret", "list", "--json"])
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn expires_takes_a_date_or_a_duration() {
    let env = Env::init();
    env.add("dated", KEY, &["--expires", "2027-03-01"]);
    env.add("in_ninety", KEY, &["--expires", "90d"]);
    let listed = list_json(&env, &[]);
    assert_eq!(listed[0]["ref"], "dated");
    assert_eq!(listed[0]["expires"], "2027-03-01T00:00:00Z");
    let expires = humantime::parse_rfc3339(listed[1]["expires"].as_str().unwrap()).unwrap();
    let days = expires
        .duration_since(std::time::SystemTime::now())
        .unwrap()
        .as_secs()
        / 86_400;
    assert!((89..=90).contains(&days), "{days}");
    env.cmd(["secret", "add", "bad", "--stdin", "--expires", "soon"])
        .write_stdin(KEY)
        .assert()
        .code(2);
    // rotate sets a new expiry with the new value.
    env.cmd([
        "secret",
        "rotate",
        "dated",
        "--stdin",
        "--expires",
        "2028-01-01",
    ])
    .write_stdin(NEW_KEY)
    .assert()
    .success();
    assert_eq!(list_json(&env, &[])[0]["expires"], "2028-01-01T00:00:00Z");
}

#[test]
fn stale_lists_only_due_secrets_and_check_exits_9() {
    let env = Env::init();
    env.add("fresh", KEY, &[]);
    env.cmd(["secret", "list", "--check"]).assert().success();
    env.add("expired", KEY, &["--expires", "2020-01-01"]);
    env.add("expiring", KEY, &["--expires", "5d"]);
    let stale = list_json(&env, &["--stale"]);
    let names: Vec<&str> = stale.iter().map(|v| v["ref"].as_str().unwrap()).collect();
    assert_eq!(names, ["expired", "expiring"]);
    assert_eq!(stale[0]["due"][0], "expired");
    assert_eq!(stale[1]["due"][0], "expiring");
    let out = env
        .cmd(["secret", "list", "--stale", "--check"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 9, "{}", stderr(&out));
    assert!(stdout(&out).contains("expired"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("fresh"), "{}", stdout(&out));
    // Clearing the expiries makes the check pass again.
    for name in ["expired", "expiring"] {
        env.cmd(["secret", "set", name, "--expires", "never"])
            .assert()
            .success();
    }
    env.cmd(["secret", "list", "--check"]).assert().success();
}

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
    let stale = list_json(&env, &["--stale"]);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["due"][0], "rotate");
    let out = env.cmd(["doctor"]).output().unwrap();
    assert!(stdout(&out).contains("old_key"), "{}", stdout(&out));
    std::fs::write(env.file("config.toml"), "rotation_days = 3650\n").unwrap();
    assert!(list_json(&env, &["--stale"]).is_empty());
}

#[test]
fn rotate_verify_keeps_the_old_key_when_the_new_one_fails() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let fake = Fake::start(Wire::OpenAi, Some(KEY), MODEL, Reply::Success);
    add_fake_connector(&env, "work", "k", &fake);
    let out = env
        .cmd(["secret", "rotate", "k", "--stdin", "--verify"])
        .write_stdin(NEW_KEY)
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("old value was kept"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(NEW_KEY));
    let last = lines(&env).last().unwrap().clone();
    assert_eq!(last["action"], "secret.rotate");
    assert_eq!(last["outcome"], "error");
    assert_eq!(last["exit"], 6);
    assert_eq!(env.get("k"), KEY);
}

#[test]
fn rotate_verify_stores_the_new_key_when_it_works() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let fake = Fake::start(Wire::OpenAi, Some(NEW_KEY), MODEL, Reply::Success);
    add_fake_connector(&env, "work", "k", &fake);
    env.cmd(["secret", "rotate", "k", "--stdin", "--verify"])
        .write_stdin(NEW_KEY)
        .assert()
        .success();
    assert_eq!(env.get("k"), NEW_KEY);
    assert_eq!(fake.requests().len(), 1);
    // Without a connector there is nothing to verify against.
    env.add("lonely", KEY, &[]);
    env.cmd(["secret", "rotate", "lonely", "--stdin", "--verify"])
        .write_stdin(NEW_KEY)
        .assert()
        .code(2);
    assert_eq!(env.get("lonely"), KEY);
}

#[test]
fn rollback_after_rotate_in_the_vault() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["secret", "rotate", "k", "--stdin"])
        .write_stdin(NEW_KEY)
        .assert()
        .success();
    assert_eq!(env.get("k"), NEW_KEY);
    env.cmd(["secret", "rollback", "k"]).assert().success();
    assert_eq!(env.get("k"), KEY);
    env.cmd(["secret", "rollback", "k"]).assert().success();
    assert_eq!(env.get("k"), NEW_KEY);
}

#[test]
fn rollback_after_rotate_in_the_keychain() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let name = unique("rollback_kc");
    env.add_in_keychain(&bus, &name, KEY);
    env.cmd_kc(&bus, ["secret", "rotate", &name, "--stdin"])
        .write_stdin(NEW_KEY)
        .assert()
        .success();
    let get = |env: &Env| {
        let out = env.cmd_kc(&bus, ["secret", "get", &name]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).trim_end().to_owned()
    };
    assert_eq!(get(&env), NEW_KEY);
    env.cmd_kc(&bus, ["secret", "rollback", &name])
        .assert()
        .success();
    assert_eq!(get(&env), KEY);
    env.cmd_kc(&bus, ["secret", "rm", &name, "--yes"])
        .assert()
        .success();
}

// ---- reveal policy -----------------------------------------------------------------------

#[test]
fn never_in_config_blocks_get_and_env_but_not_exec() {
    let env = Env::init();
    env.add("k", KEY, &["--provider", "openai"]);
    std::fs::write(env.file("config.toml"), "reveal = \"never\"\n").unwrap();
    for args in [&["secret", "get", "k"][..], &["env", "k"][..], &["env"][..]] {
        let out = env.cmd(args).output().unwrap();
        assert_eq!(code(&out), 8, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("byok exec"), "{}", stderr(&out));
        assert!(!stdout(&out).contains(KEY));
    }
    let out = env
        .cmd([
            "exec",
            "k",
            "--",
            "sh",
            "-c",
            "test \"$OPENAI_API_KEY\" = \"$0\"",
            KEY,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // BYOK_REVEAL cannot loosen it.
    env.cmd(["secret", "get", "k"])
        .env("BYOK_REVEAL", "pipe")
        .assert()
        .code(8);
}

#[test]
fn never_per_secret_blocks_that_secret_only() {
    let env = Env::init();
    env.add("guarded", KEY, &["--reveal", "never"]);
    env.add("open", KEY, &[]);
    env.cmd(["secret", "get", "guarded"]).assert().code(8);
    env.cmd(["env", "guarded"]).assert().code(8);
    env.cmd(["env", "--set", "X=guarded"]).assert().code(8);
    assert_eq!(env.get("open"), KEY);
    let shown = env.cmd(["secret", "show", "guarded"]).output().unwrap();
    assert!(stdout(&shown).contains("never"), "{}", stdout(&shown));
    // Tightening needs nothing; BYOK_REVEAL=never tightens every secret.
    env.cmd(["secret", "get", "open"])
        .env("BYOK_REVEAL", "never")
        .assert()
        .code(8);
}

#[test]
fn loosening_with_only_an_identity_file_or_a_passphrase_variable_is_refused() {
    let env = Env::init();
    env.add("k", KEY, &["--reveal", "never"]);
    // identity.txt home: there is no passphrase to type at all.
    let out = env
        .cmd(["secret", "set", "k", "--reveal", "pipe"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 8, "{}", stderr(&out));
    env.cmd(["secret", "get", "k"]).assert().code(8);

    // A passphrase home, unlocked by BYOK_PASSPHRASE, without a terminal.
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .success();
    env.cmd(["reveal", "never"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .success();
    for args in [&["reveal", "pipe"][..], &["reveal", "prompt"][..]] {
        env.cmd(args)
            .env("BYOK_PASSPHRASE", "correct horse")
            .assert()
            .code(8);
    }
    // Editing config.toml does not loosen what the vault recorded.
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    std::fs::write(
        env.file("config.toml"),
        config.replace("reveal = \"never\"", "reveal = \"pipe\""),
    )
    .unwrap();
    env.cmd(["secret", "add", "k2", "--stdin"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .write_stdin(KEY)
        .assert()
        .success();
    env.cmd(["secret", "get", "k2"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .code(8);
    // A passphrase backup of never secrets is a loosening too.
    let backup = env.dir.path().join("p.age");
    let pass = env.dir.path().join("pass.txt");
    std::fs::write(&pass, "backup pass\n").unwrap();
    env.cmd([
        "backup",
        backup.to_str().unwrap(),
        "--passphrase",
        "--passphrase-file",
        pass.to_str().unwrap(),
    ])
    .env("BYOK_PASSPHRASE", "correct horse")
    .assert()
    .code(8);
    assert!(!backup.exists());
}

/// Runs `byok ARGS` on a pty (see terminal.rs), typing each answer after a pause long
/// enough for the previous answer's scrypt work (input typed before a prompt is dropped).
fn on_terminal(env: &Env, args: &str, answers: &[&str]) -> std::process::Output {
    let typed: String = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let pause = if i == 0 { "0.7" } else { "4" };
            format!("sleep {pause}; printf '%s\\r' '{a}'; ")
        })
        .collect();
    env.program("sh")
        .arg("-c")
        .arg(format!(
            "({typed} sleep 1) | timeout 30 script -qec \"\\\"$BYOK\\\" {args}\" /dev/null"
        ))
        .output()
        .unwrap()
}

#[test]
fn loosening_with_the_passphrase_typed_at_the_prompt_works() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .assert()
        .success();
    env.cmd(["secret", "add", "k", "--stdin", "--reveal", "never"])
        .env("BYOK_PASSPHRASE", "correct horse")
        .write_stdin(KEY)
        .assert()
        .success();
    // The vault unlocks (first prompt), but a wrong passphrase at the loosening prompt
    // changes nothing.
    let wrong = on_terminal(
        &env,
        "secret set k --reveal pipe",
        &["correct horse", "wrong"],
    );
    assert!(
        stdout(&wrong).contains("to loosen the reveal policy"),
        "{}",
        stdout(&wrong)
    );
    assert!(!stdout(&wrong).contains("Updated"), "{}", stdout(&wrong));
    let get = || {
        env.cmd(["secret", "get", "k"])
            .env("BYOK_PASSPHRASE", "correct horse")
            .output()
            .unwrap()
    };
    assert_eq!(code(&get()), 8);
    // The right one (typed first for loosening, then the vault's own unlock prompt).
    let out = on_terminal(
        &env,
        "secret set k --reveal pipe",
        &["correct horse", "correct horse"],
    );
    assert!(stdout(&out).contains("Updated 'k'"), "{}", stdout(&out));
    assert_eq!(stdout(&get()).trim_end(), KEY);
}

// ---- backups -----------------------------------------------------------------------------

#[test]
fn backup_decrypts_with_the_age_cli_to_the_documented_json() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    env.add("k", KEY, &["--provider", "openai"]);
    std::fs::write(
        env.file("config.toml"),
        "# mine\n[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    let backup = env.dir.path().join("backup.age");
    let out = env
        .cmd(["backup", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("team"), "excluded stores are listed");
    assert!(
        !std::fs::read(&backup)
            .unwrap()
            .windows(7)
            .any(|w| w == b"sk-test")
    );
    let plain = std::process::Command::new(age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(&backup)
        .output()
        .unwrap();
    assert!(plain.status.success());
    let doc: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(doc["byok_backup"], 1);
    assert_eq!(doc["vault"]["byok_vault"], 2);
    assert_eq!(doc["vault"]["secrets"]["k"]["fields"]["api_key"], KEY);
    assert!(doc["config"].as_str().unwrap().contains("# mine"));
    assert_eq!(doc["keychain"], serde_json::json!({}));
    assert_eq!(doc["not_included"][0]["store"], "team");
    assert_eq!(doc["not_included"][0]["type"], "age-file");
    // Never overwritten.
    env.cmd(["backup", backup.to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn restore_brings_back_the_vault_and_keeps_the_replaced_one() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let backup = env.dir.path().join("backup.age");
    env.cmd(["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    env.cmd(["secret", "rotate", "k", "--stdin"])
        .write_stdin(NEW_KEY)
        .assert()
        .success();
    env.add("later", NEW_KEY, &[]);
    env.cmd(["restore", backup.to_str().unwrap()])
        .assert()
        .code(1); // no terminal, no --yes
    env.cmd(["restore", backup.to_str().unwrap(), "--yes"])
        .assert()
        .success();
    assert_eq!(env.get("k"), KEY);
    env.cmd(["secret", "get", "later"]).assert().code(3);
    let kept: Vec<_> = std::fs::read_dir(env.home())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vault.age.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    // The kept vault is the one replaced: it still has `later`.
    let Some(age) = require_tool("age") else {
        return;
    };
    let plain = std::process::Command::new(age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(env.file(&kept[0]))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&plain.stdout).contains("\"later\""));
    env.cmd(["audit", "verify"]).assert().success();
}

#[test]
fn a_passphrase_backup_round_trips() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let backup = env.dir.path().join("p.age");
    let pass = env.dir.path().join("pass.txt");
    std::fs::write(&pass, "backup pass\n").unwrap();
    let p = pass.to_str().unwrap();
    env.cmd([
        "backup",
        backup.to_str().unwrap(),
        "--passphrase",
        "--passphrase-file",
        p,
    ])
    .assert()
    .success();
    env.cmd(["secret", "rm", "k", "--yes"]).assert().success();
    let wrong = env.dir.path().join("wrong.txt");
    std::fs::write(&wrong, "nope\n").unwrap();
    env.cmd([
        "restore",
        backup.to_str().unwrap(),
        "--yes",
        "--passphrase-file",
        wrong.to_str().unwrap(),
    ])
    .assert()
    .code(5);
    env.cmd([
        "restore",
        backup.to_str().unwrap(),
        "--yes",
        "--passphrase-file",
        p,
    ])
    .assert()
    .success();
    assert_eq!(env.get("k"), KEY);
}

#[test]
fn backup_and_restore_include_keychain_values() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let name = unique("backup_kc");
    env.add_in_keychain(&bus, &name, KEY);
    let backup = env.dir.path().join("kc.age");
    env.cmd_kc(&bus, ["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "rm", &name, "--yes"])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "get", &name]).assert().code(3);
    env.cmd_kc(&bus, ["restore", backup.to_str().unwrap(), "--yes"])
        .assert()
        .success();
    let out = env.cmd_kc(&bus, ["secret", "get", &name]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), KEY);
    let listed = env
        .cmd_kc(&bus, ["secret", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        stdout(&listed).contains("\"store\": \"keychain\""),
        "{}",
        stdout(&listed)
    );
    env.cmd_kc(&bus, ["secret", "rm", &name, "--yes"])
        .assert()
        .success();
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
        let actions: Vec<String> = lines(&env)
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
fn moving_a_never_secret_to_the_keychain_is_a_loosening() {
    let env = Env::init();
    env.add("k", KEY, &["--reveal", "never"]);
    // Refused before the keychain is contacted: this home has no passphrase to type.
    let out = env
        .cmd(["secret", "move", "k", "--to", "keychain"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 8, "{}", stderr(&out));
    let listed = list_json(&env, &[]);
    assert_eq!(listed[0]["store"], "vault");
    // `add --force --reveal pipe` cannot loosen it either.
    env.cmd([
        "secret", "add", "k", "--stdin", "--force", "--reveal", "pipe",
    ])
    .write_stdin(NEW_KEY)
    .assert()
    .code(8);
    env.cmd(["reveal", "--ref", "k"])
        .assert()
        .success()
        .stdout("never\n");
}

#[test]
fn prompt_asks_on_a_terminal_and_refuses_without_one() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    env.cmd(["reveal", "prompt"]).assert().success();
    env.cmd(["secret", "get", "k"]).assert().code(8);
    if require_tool("script").is_none() {
        return;
    }
    let declined = on_terminal(&env, "secret get k", &["n"]);
    assert!(
        stdout(&declined).contains("Reveal k?"),
        "{}",
        stdout(&declined)
    );
    assert!(!stdout(&declined).contains(KEY), "{}", stdout(&declined));
    let accepted = on_terminal(&env, "secret get k", &["y"]);
    assert!(stdout(&accepted).contains(KEY), "{}", stdout(&accepted));
    // Back to pipe: prompt -> pipe loosens, and this home has no passphrase.
    env.cmd(["reveal", "pipe"]).assert().code(8);
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
    assert_eq!(code(&out), 9, "{}", stdout(&out));
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
    let entries = lines(&env);
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
    let before = lines(&env).len();
    env.cmd(["store", "list"]).assert().success();
    assert_eq!(lines(&env).len(), before);
    let entry = one_entry(&env, &["store", "rm", "team"], None, "store.remove");
    assert_eq!(entry["store"], "team", "{entry}");
}
