//! Hostile `config.toml`: a key byok does not know is refused (never silently ignored) with
//! its name, line and table, a non-zero exit, and the file left as it was.

use crate::harness::{Env, stderr};

/// Writes `text` as config.toml, runs a command that reads it, and checks the refusal.
fn refused(text: &str, key: &str, line: usize, table: &str, hint: &str) {
    let env = Env::init();
    env.add("k", "sk-test-unknown-keys-000001", &[]);
    std::fs::write(env.file("config.toml"), text).unwrap();
    for args in [
        vec!["connector", "list"],
        vec!["secret", "add", "other", "--stdin"],
    ] {
        let out = env
            .cmd(&args)
            .write_stdin("sk-test-unknown-keys-000002")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        let want = format!("line {line}: unknown key `{key}` in {table}");
        assert!(err.contains("config.toml"), "{args:?}: {err}");
        assert!(err.contains(&want), "{args:?}: want {want:?} in {err}");
        assert!(err.contains(hint), "{args:?}: want hint {hint:?} in {err}");
        assert!(err.contains("byok did not change the file"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read_to_string(env.file("config.toml")).unwrap(),
            text,
            "{args:?}: config.toml changed"
        );
    }
    // Nothing was added either (checked with the key taken out again).
    std::fs::write(env.file("config.toml"), "").unwrap();
    let out = env.cmd(["secret", "get", "other"]).output().unwrap();
    assert!(!out.status.success());
    assert_eq!(env.get("k"), "sk-test-unknown-keys-000001");
}

#[test]
fn an_unknown_top_level_key_is_refused() {
    refused(
        "# my settings\nreveal = \"prompt\"\nrotaton_days = 30\n",
        "rotaton_days",
        3,
        "the top level",
        "did you mean `rotation_days`?",
    );
}

#[test]
fn an_unknown_key_in_a_connector_is_refused() {
    refused(
        "[[connector]]\nname = \"a\"\ntype = \"openai\"\nsecret = \"k\"\n\n[[connector]]\nname = \"work\"\ntype = \"openai\"\nsecrte = \"k\"\n",
        "secrte",
        9,
        "[[connector]] #2 'work'",
        "did you mean `secret`?",
    );
}

#[test]
fn an_unknown_key_in_a_store_is_refused() {
    refused(
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\nmount = \"secret\"\n",
        "mount",
        5,
        "[[store]] #1 'team' (type age-file)",
        "path, identity",
    );
    refused(
        "[[store]]\nname = \"bao\"\ntype = \"openbao\"\naddress = \"https://127.0.0.1:8200\"\nadress = \"x\"\n",
        "adress",
        5,
        "[[store]] #1 'bao' (type openbao)",
        "did you mean `address`?",
    );
}

#[test]
fn an_unknown_key_in_a_nested_table_is_refused() {
    // `options` and `[aliases]` take names the user chooses; a sub-table of a connector
    // written as a dotted key is still a connector key.
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[aliases]\nanything = \"gpt-4.1-nano\"\n[[connector]]\nname = \"a\"\ntype = \"openai\"\noptions = { whatever = \"x\" }\n",
    )
    .unwrap();
    env.cmd(["connector", "list"]).assert().success();
    refused(
        "[[connector]]\nname = \"a\"\ntype = \"openai\"\nextra.deep = 1\n",
        "extra",
        4,
        "[[connector]] #1 'a'",
        "the keys this table takes: name, type",
    );
}

/// `[proxy]`, `[usage]`, `[prices]` and the hygiene keys are typed when the file is read: a
/// wrong value stops every command (not only the one that uses it) with the table and key
/// named, the value never echoed, and the file left as it was.
#[test]
fn a_wrong_value_in_a_settings_table_stops_every_command() {
    let env = Env::init();
    env.add("k", "sk-test-typed-sections-0001", &[]);
    for (text, named) in [
        ("[proxy]\nlisten = 8787\n", "`listen` under [proxy]"),
        (
            "[proxy]\nagent_proof = \"sk-test-typed-sections-9\"\n",
            "`agent_proof` under [proxy]",
        ),
        ("[usage]\nanomaly_factor = -3\n", "[usage] anomaly_factor"),
        (
            "[prices.\"fake-*\"]\ninput = \"sk-test-typed-sections-9\"\noutput = 1\n",
            "[prices.\"fake-*\"] input must be a number",
        ),
        (
            "[prices.\"fake-*\"]\ninput = 1\n",
            "[prices.\"fake-*\"] needs `output`",
        ),
        ("rotation_days = 0\n", "`rotation_days` must be"),
    ] {
        std::fs::write(env.file("config.toml"), text).unwrap();
        for args in [
            vec!["secret", "get", "k"],
            vec!["connector", "list"],
            vec!["usage", "--check"],
        ] {
            let out = env.cmd(&args).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{text:?} {args:?}: {err}");
            assert!(
                err.contains(named),
                "{text:?} {args:?}: want {named:?} in {err}"
            );
            assert!(!err.contains("sk-test-typed"), "{err}");
            assert!(out.stdout.is_empty(), "{text:?} {args:?}: printed a value");
        }
        assert_eq!(
            std::fs::read_to_string(env.file("config.toml")).unwrap(),
            text
        );
    }
    // Right values are in force: the usage thresholds parse, and `secret get` works.
    std::fs::write(
        env.file("config.toml"),
        "[usage]\nanomaly_factor = 2.5\nauth_failure_threshold = 0\n[prices.\"fake-*\"]\ninput = 1\noutput = 2\n",
    )
    .unwrap();
    assert_eq!(env.get("k"), "sk-test-typed-sections-0001");
    env.cmd(["usage", "--check"]).assert().success();
}
