//! `byok store add|list|show|test|rm`: declaring stores in config.toml.

use predicates::prelude::*;

use crate::harness::{Env, stdout};

fn config(env: &Env) -> String {
    std::fs::read_to_string(env.file("config.toml")).unwrap_or_default()
}

#[test]
fn store_add_declares_an_age_file_store_that_secret_add_writes_to() {
    let env = Env::init();
    env.cmd([
        "store", "add", "team", "--type", "age-file", "--path", "team.age",
    ])
    .assert()
    .success()
    .stderr(predicate::str::contains("Added store 'team'"));
    let text = config(&env);
    assert!(
        text.contains("[[store]]") && text.contains("name = \"team\""),
        "{text}"
    );
    env.add(
        "shared_key",
        "sk-test-shared-000000000001",
        &["--store", "team"],
    );
    assert!(
        env.file("team.age").exists(),
        "the store's own file was written"
    );
    env.cmd(["secret", "get", "shared_key", "--store", "team"])
        .assert()
        .success()
        .stdout("sk-test-shared-000000000001\n");
    // The home vault does not hold it.
    env.cmd(["secret", "get", "shared_key", "--store", "vault"])
        .assert()
        .failure();
}

#[test]
fn store_list_shows_built_in_and_declared_stores_in_resolution_order() {
    let env = Env::init();
    env.cmd([
        "store", "add", "b_team", "--type", "age-file", "--path", "b.age",
    ])
    .assert()
    .success();
    env.cmd([
        "store",
        "add",
        "a_team",
        "--type",
        "age-file",
        "--path",
        "a.age",
        "--default",
    ])
    .assert()
    .success();
    let out = env.cmd(["store", "list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vault", "keychain", "b_team", "a_team"]);
    let default: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["default"] == true)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(default, ["a_team"]);
    assert_eq!(rows[3]["type"], "age-file");
    assert_eq!(rows[3]["settings"]["path"], "a.age");
    // --default makes `secret add` without --store write there.
    env.add("plain_key", "sk-test-default-store-0001", &[]);
    env.cmd(["secret", "get", "plain_key", "--store", "a_team"])
        .assert()
        .success();
}

#[test]
fn store_add_refuses_duplicates_and_bad_names_and_leaves_config_unchanged() {
    let env = Env::init();
    env.cmd([
        "store", "add", "team", "--type", "age-file", "--path", "team.age",
    ])
    .assert()
    .success();
    let before = config(&env);
    for (args, message) in [
        (
            vec![
                "store",
                "add",
                "team",
                "--type",
                "age-file",
                "--path",
                "other.age",
            ],
            "exists already",
        ),
        (
            vec![
                "store", "add", "two", "--type", "age-file", "--path", "team.age",
            ],
            "file of another store",
        ),
        (
            vec![
                "store",
                "add",
                "mine",
                "--type",
                "age-file",
                "--path",
                "vault.age",
            ],
            "home vault",
        ),
        (
            vec![
                "store", "add", "vault", "--type", "age-file", "--path", "x.age",
            ],
            "not `vault` or `keychain`",
        ),
        (
            vec!["store", "add", "nopath", "--type", "age-file"],
            "--path",
        ),
        (
            vec!["store", "add", "x", "--type", "floppy", "--path", "x.age"],
            "invalid value 'floppy'",
        ),
    ] {
        env.cmd(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert_eq!(config(&env), before, "config.toml changed after {args:?}");
    }
}

#[test]
fn store_show_and_test_report_a_working_and_a_broken_store() {
    let env = Env::init();
    env.cmd([
        "store", "add", "team", "--type", "age-file", "--path", "team.age",
    ])
    .assert()
    .success();
    env.cmd(["store", "show", "team"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("type:     age-file")
                .and(predicate::str::contains("team.age")),
        );
    env.add("k1", "sk-test-store-test-00000001", &["--store", "team"]);
    env.cmd(["store", "test", "team"])
        .assert()
        .success()
        .stdout(predicate::str::contains("team: ok").and(predicate::str::contains("1 secrets")));
    std::fs::write(env.file("team.age"), b"not an age file").unwrap();
    env.cmd(["store", "test", "team"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAILED"))
        .stderr(predicate::str::contains("does not work right now"));
    env.cmd(["store", "test", "nosuch"]).assert().code(2);
}

#[test]
fn store_rm_keeps_the_file_and_refuses_built_ins_and_the_default() {
    let env = Env::init();
    env.cmd([
        "store",
        "add",
        "team",
        "--type",
        "age-file",
        "--path",
        "team.age",
        "--default",
    ])
    .assert()
    .success();
    env.add("k1", "sk-test-store-rm-000000001", &[]);
    env.cmd(["store", "rm", "team"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("default store"));
    env.cmd(["store", "rm", "vault"]).assert().code(2);
    env.cmd(["store", "rm", "keychain"]).assert().code(2);
    // Hand the default back to the vault, then remove it.
    let text = config(&env).replace("default_store = \"team\"\n", "");
    std::fs::write(env.file("config.toml"), text).unwrap();
    env.cmd(["store", "rm", "team"])
        .assert()
        .success()
        .stderr(predicate::str::contains("left as it is"));
    assert!(env.file("team.age").exists());
    assert!(!config(&env).contains("[[store]]"));
    env.cmd(["store", "rm", "team"]).assert().code(2);
}

#[test]
fn store_show_escapes_control_characters_from_config() {
    let env = Env::init();
    env.cmd([
        "store", "add", "team", "--type", "age-file", "--path", "team.age",
    ])
    .assert()
    .success();
    let text = config(&env).replace(
        "path = \"team.age\"",
        "path = \"te\\u001b]52;c;aGk=\\u0007am.age\"",
    );
    std::fs::write(env.file("config.toml"), text).unwrap();
    let out = env.cmd(["store", "show", "team"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        !stdout(&out).contains('\u{1b}'),
        "raw escape reached the terminal"
    );
    assert!(stdout(&out).contains("\\u{1b}"));
}

/// Like `connector add`, `store add` wrote `config.toml` into a home `init` never made.
#[test]
fn store_add_in_a_home_that_is_not_initialised_refuses_and_creates_nothing() {
    let env = Env::new();
    let file = env.dir.path().join("team.age");
    crate::harness::refused_uninitialised(
        &env,
        &[
            "store",
            "add",
            "team",
            "--type",
            "age-file",
            "--path",
            file.to_str().unwrap(),
        ],
    );
    assert!(!file.exists());
}
