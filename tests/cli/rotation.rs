//! `secret rotate`, `secret rollback`, `--expires` and `secret list --stale`: rotation and
//! expiry marks, verified rotation (`--verify`), rollback in the vault and the keychain.

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{
    Env, KEY, audit_lines, exit_code, require_keychain, secret_list_json, stderr, stdout, unique,
};

const NEW_KEY: &str = "sk-test-new-key-9876543210zyxwvu";
const MODEL: &str = "gpt-test-mini";

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
fn expires_takes_a_date_or_a_duration() {
    let env = Env::init();
    env.add("dated", KEY, &["--expires", "2027-03-01"]);
    env.add("in_ninety", KEY, &["--expires", "90d"]);
    let listed = secret_list_json(&env, &[]);
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
    assert_eq!(
        secret_list_json(&env, &[])[0]["expires"],
        "2028-01-01T00:00:00Z"
    );
}

#[test]
fn stale_lists_only_due_secrets_and_check_exits_9() {
    let env = Env::init();
    env.add("fresh", KEY, &[]);
    env.cmd(["secret", "list", "--check"]).assert().success();
    env.add("expired", KEY, &["--expires", "2020-01-01"]);
    env.add("expiring", KEY, &["--expires", "5d"]);
    let stale = secret_list_json(&env, &["--stale"]);
    let names: Vec<&str> = stale.iter().map(|v| v["ref"].as_str().unwrap()).collect();
    assert_eq!(names, ["expired", "expiring"]);
    assert_eq!(stale[0]["due"][0], "expired");
    assert_eq!(stale[1]["due"][0], "expiring");
    let out = env
        .cmd(["secret", "list", "--stale", "--check"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 9, "{}", stderr(&out));
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
    assert_eq!(exit_code(&out), 6, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("old value was kept"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(NEW_KEY));
    let last = audit_lines(&env).last().unwrap().clone();
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
