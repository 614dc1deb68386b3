//! Regression tests for bugs a review of the store layer found, each named after the bug,
//! and the resolution rule across stores.

use predicates::prelude::*;

use crate::harness::{Env, KEY, require_keychain, require_tool, secret_tool, stdout, unique};

#[test]
fn two_homes_with_the_same_ref_no_longer_share_one_keychain_item() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let (one, two) = (Env::init(), Env::init());
    let reference = unique("shared");
    for (env, value) in [
        (&one, "sk-test-home-one-0001"),
        (&two, "sk-test-home-two-0002"),
    ] {
        env.cmd_kc(
            &bus,
            [
                "secret", "add", &reference, "--store", "keychain", "--stdin",
            ],
        )
        .write_stdin(value)
        .assert()
        .success();
    }
    assert_ne!(
        one.account(&reference, "api_key"),
        two.account(&reference, "api_key")
    );
    // `secret rm` in one home leaves the other's value alone.
    one.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
    two.cmd_kc(&bus, ["secret", "get", &reference])
        .assert()
        .success()
        .stdout("sk-test-home-two-0002\n");
    two.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
}

#[test]
fn legacy_keychain_items_are_copied_on_first_use_never_deleted_and_listed_by_doctor() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let reference = unique("legacy");
    env.cmd_kc(
        &bus,
        [
            "secret", "add", &reference, "--store", "keychain", "--stdin",
        ],
    )
    .write_stdin("sk-test-will-be-replaced")
    .assert()
    .success();
    // As an older byok left it: only the un-namespaced `REF/FIELD` item.
    let account = env.account(&reference, "api_key");
    let legacy = format!("{reference}/api_key");
    secret_tool(&["clear", "service", "byok", "username", &account], None);
    let (ok, _) = secret_tool(
        &[
            "store",
            "--label=old",
            "service",
            "byok",
            "username",
            &legacy,
        ],
        Some("sk-test-legacy-value-0001"),
    );
    assert!(ok);
    env.cmd_kc(&bus, ["secret", "get", &reference])
        .assert()
        .success()
        .stdout("sk-test-legacy-value-0001\n");
    let (copied, value) = secret_tool(&["lookup", "service", "byok", "username", &account], None);
    assert!(copied && value == "sk-test-legacy-value-0001");
    let (kept, _) = secret_tool(&["lookup", "service", "byok", "username", &legacy], None);
    assert!(kept, "the legacy item is never deleted automatically");
    env.cmd_kc(&bus, ["doctor"]).assert().stdout(
        predicate::str::contains("legacy keychain items")
            .and(predicate::str::contains(legacy.as_str())),
    );
    env.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
    let (still, _) = secret_tool(&["lookup", "service", "byok", "username", &legacy], None);
    assert!(still, "rm removes this home's items only");
    secret_tool(&["clear", "service", "byok", "username", &legacy], None);
}

#[test]
fn get_of_a_ref_named_like_a_document_key_never_quotes_the_document() {
    // The old scanner matched any `"NAME": {` and parsed the wrong object, printing serde's
    // message (which quoted a stored value) as "corrupted".
    let env = Env::init();
    env.add("my_key", "sk-test-canary-value-0001", &[]);
    for name in [
        "fields",
        "secrets",
        "label",
        "byok_vault",
        "index",
        "api_key",
    ] {
        env.cmd(["secret", "get", name])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("canary").not());
    }
}

#[test]
fn refs_named_secrets_fields_label_and_byok_vault_work_like_any_other() {
    let env = Env::init();
    let names = [
        "secrets",
        "fields",
        "label",
        "byok_vault",
        "index",
        "previous",
    ];
    for (i, name) in names.iter().enumerate() {
        env.add(name, &format!("sk-test-odd-name-{i:04}"), &[]);
    }
    for (i, name) in names.iter().enumerate() {
        assert_eq!(env.get(name), format!("sk-test-odd-name-{i:04}"));
    }
    env.cmd(["secret", "rotate", "fields", "--stdin"])
        .write_stdin("sk-test-rotated-fields")
        .assert()
        .success();
    assert_eq!(env.get("fields"), "sk-test-rotated-fields");
    env.cmd(["secret", "rename", "secrets", "label_two"])
        .assert()
        .success();
    assert_eq!(env.get("label_two"), "sk-test-odd-name-0000");
    env.cmd(["secret", "rm", "byok_vault", "--yes"])
        .assert()
        .success();
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let refs: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["fields", "index", "label", "label_two", "previous"]);
}

#[test]
fn import_uses_the_default_store() {
    // `byok import` ignored `default_store`.
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "default_store = \"team\"\n[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    env.cmd(["import", "env", "--yes"])
        .env("OPENAI_API_KEY", KEY)
        .assert()
        .success();
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["ref"], "openai_api_key");
    assert_eq!(list[0]["store"], "team");
    assert!(env.file("team.age").exists());
}

#[test]
fn resolution_takes_store_first_then_vault_keychain_and_stores_in_order() {
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n\n\
         [[store]]\nname = \"more\"\ntype = \"age-file\"\npath = \"more.age\"\n",
    )
    .unwrap();
    env.add("k", "sk-test-in-more-0001", &["--store", "more"]);
    assert_eq!(env.get("k"), "sk-test-in-more-0001");
    env.add("k", "sk-test-in-team-0002", &["--store", "team"]);
    assert_eq!(
        env.get("k"),
        "sk-test-in-team-0002",
        "team comes before more"
    );
    env.add("k", "sk-test-in-vault-0003", &["--store", "vault"]);
    assert_eq!(
        env.get("k"),
        "sk-test-in-vault-0003",
        "the vault comes first"
    );
    env.cmd(["secret", "get", "k", "--store", "more"])
        .assert()
        .success()
        .stdout("sk-test-in-more-0001\n");
    // Without --store, adding a ref that is in another store than the default is refused.
    env.cmd(["secret", "add", "only_more", "--stdin", "--store", "more"])
        .write_stdin("sk-test-x")
        .assert()
        .success();
    env.cmd(["secret", "add", "only_more", "--field", "org", "--stdin"])
        .write_stdin("org-1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists in the more store"));
    // The list shows each copy, the shadowed ones marked.
    let out = env.cmd(["secret", "list"]).output().unwrap();
    assert_eq!(
        stdout(&out).matches("(shadowed)").count(),
        2,
        "{}",
        stdout(&out)
    );
    env.cmd(["secret", "get", "k", "--store", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no store named 'nowhere'"));
}

#[test]
fn a_hand_written_plain_http_remote_connector_is_not_exported() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    std::fs::write(
        env.file("config.toml"),
        "[[connector]]\nname = \"work\"\ntype = \"openai\"\nsecret = \"k\"\nbase_url = \"http://byok-test.invalid/v1\"\n",
    )
    .unwrap();
    env.cmd(["env", "work"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("refusing plain-http")
                .and(predicate::str::contains(KEY).not()),
        )
        .stdout("");
    env.cmd(["exec", "work", "--", "true"]).assert().code(1);
}

#[test]
fn a_format_1_vault_with_a_keychain_record_is_read_and_migrated() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    crate::harness::age_encrypt(
        &age,
        &env.file("identity.txt"),
        br#"{"byok_vault": 1, "secrets": {
            "here": {"label": "H", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
                     "rotated": "2026-01-01T00:00:00Z", "fields": {"api_key": "sk-test-format-one"}},
            "there": {"label": "T", "store": "keychain", "created": "2026-01-01T00:00:00Z",
                      "updated": "2026-01-01T00:00:00Z", "rotated": "2026-01-01T00:00:00Z",
                      "fields": {"api_key": null}}}}"#,
        &env.file("vault.age"),
    );
    assert_eq!(env.get("here"), "sk-test-format-one");
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[1]["ref"], "there");
    assert_eq!(list[1]["store"], "keychain");
    // The next write migrates the document.
    env.add("new_one", KEY, &[]);
    let plain = std::process::Command::new(&age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(env.file("vault.age"))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(doc["byok_vault"], 3);
    assert_eq!(doc["index"]["keychain"]["there"]["label"], "T");
    assert!(doc["secrets"].get("there").is_none());
}

#[test]
fn rename_to_a_name_another_store_holds_is_refused() {
    // Connectors follow a rename: a copy of the new name elsewhere would silently win.
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    env.add("a", "sk-test-in-team-0001", &["--store", "team"]);
    env.add("b", "sk-test-in-vault-0002", &[]);
    env.cmd(["secret", "rename", "a", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "already exists in the vault store",
        ));
    assert_eq!(env.get("a"), "sk-test-in-team-0001");
    assert_eq!(env.get("b"), "sk-test-in-vault-0002");
}

#[test]
fn two_stores_on_one_file_are_refused() {
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"vault.age\"\n",
    )
    .unwrap();
    env.cmd(["secret", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the file of another store"));
}

#[test]
fn concurrent_keychain_writes_of_one_ref_never_leave_the_index_and_the_keychain_apart() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let reference = unique("race");
    let outcomes: Vec<(bool, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (env, bus, reference) = (&env, &bus, &reference);
                scope.spawn(move || {
                    let value = format!("sk-test-race-value-{i:04}");
                    let out = env
                        .cmd_kc(
                            bus,
                            ["secret", "add", reference, "--store", "keychain", "--stdin"],
                        )
                        .write_stdin(value.clone())
                        .output()
                        .unwrap();
                    (out.status.success(), value)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners: Vec<_> = outcomes.iter().filter(|(ok, _)| *ok).collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one add of a new field wins: {outcomes:?}"
    );
    env.cmd_kc(&bus, ["secret", "get", &reference])
        .assert()
        .success()
        .stdout(format!("{}\n", winners[0].1));
    env.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
}

#[test]
fn later_stores_are_not_contacted_and_an_unreadable_one_only_warns_in_listings() {
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    env.add("k", KEY, &[]);
    std::fs::write(env.file("team.age"), b"not an age file").unwrap();
    // The vault holds `k`: the broken team store is never opened.
    assert_eq!(env.get("k"), KEY);
    let out = env.cmd(["secret", "list"]).output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).contains("k"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("could not list the team store"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A ref no earlier store holds reaches the team store, whose error is reported.
    env.cmd(["secret", "get", "elsewhere"]).assert().code(7);
}
