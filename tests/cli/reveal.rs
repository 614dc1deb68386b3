//! `byok reveal` and the reveal policy: `never` and `prompt`, per home and per secret, and
//! loosening only with the passphrase typed at a terminal.

use crate::harness::{
    Env, KEY, Pace, exit_code, on_terminal, require_tool, secret_list_json, stderr, stdout,
};

const NEW_KEY: &str = "sk-test-new-key-9876543210zyxwvu";

#[test]
fn never_in_config_blocks_get_and_env_but_not_exec() {
    let env = Env::init();
    env.add("k", KEY, &["--provider", "openai"]);
    std::fs::write(env.file("config.toml"), "reveal = \"never\"\n").unwrap();
    for args in [&["secret", "get", "k"][..], &["env", "k"][..], &["env"][..]] {
        let out = env.cmd(args).output().unwrap();
        assert_eq!(exit_code(&out), 8, "{args:?}: {}", stderr(&out));
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
    assert_eq!(exit_code(&out), 8, "{}", stderr(&out));
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
        Pace::SCRYPT,
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
    assert_eq!(exit_code(&get()), 8);
    // The right one (typed first for loosening, then the vault's own unlock prompt).
    let out = on_terminal(
        &env,
        "secret set k --reveal pipe",
        &["correct horse", "correct horse"],
        Pace::SCRYPT,
    );
    assert!(stdout(&out).contains("Updated 'k'"), "{}", stdout(&out));
    assert_eq!(stdout(&get()).trim_end(), KEY);
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
    assert_eq!(exit_code(&out), 8, "{}", stderr(&out));
    let listed = secret_list_json(&env, &[]);
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
    let declined = on_terminal(&env, "secret get k", &["n"], Pace::SCRYPT);
    assert!(
        stdout(&declined).contains("Reveal k?"),
        "{}",
        stdout(&declined)
    );
    assert!(!stdout(&declined).contains(KEY), "{}", stdout(&declined));
    let accepted = on_terminal(&env, "secret get k", &["y"], Pace::SCRYPT);
    assert!(stdout(&accepted).contains(KEY), "{}", stdout(&accepted));
    // Back to pipe: prompt -> pipe loosens, and this home has no passphrase.
    env.cmd(["reveal", "pipe"]).assert().code(8);
}

/// The hands-on test's finding: `reveal never` on a `--no-passphrase` home was a one-way
/// door with no warning and no way to add a passphrase later. Setting it now warns, and
/// `byok passphrase` adds a passphrase (the identity re-encrypted, nothing else touched),
/// after which the policy can be loosened by typing it; the passphrase can be changed
/// (only with the current one) and removed again.
#[test]
fn reveal_never_on_a_home_without_a_passphrase_is_not_a_one_way_door() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let out = env.cmd(["reveal", "never"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("byok passphrase"), "{}", stderr(&out));
    env.cmd(["reveal", "prompt"]).assert().code(8);

    let first = env.dir.path().join("first-pass");
    let second = env.dir.path().join("second-pass");
    std::fs::write(&first, "first correct horse battery\n").unwrap();
    std::fs::write(&second, "second correct horse battery\n").unwrap();
    let out = env
        .cmd([
            "passphrase",
            "--new-passphrase-file",
            first.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!env.file("identity.txt").exists());
    assert!(env.file("identity.age").exists());
    // The same identity: the vault opens with the new passphrase, and not without it.
    env.cmd(["secret", "list"]).assert().code(4);
    env.cmd(["secret", "list"])
        .env("BYOK_PASSPHRASE_FILE", &first)
        .assert()
        .success();

    // Changing it needs the current passphrase: a wrong one changes nothing.
    std::fs::write(env.dir.path().join("wrong"), "not the passphrase at all\n").unwrap();
    env.cmd([
        "passphrase",
        "--new-passphrase-file",
        second.to_str().unwrap(),
    ])
    .env("BYOK_PASSPHRASE_FILE", env.dir.path().join("wrong"))
    .assert()
    .failure();
    env.cmd([
        "passphrase",
        "--new-passphrase-file",
        second.to_str().unwrap(),
    ])
    .env("BYOK_PASSPHRASE_FILE", &first)
    .assert()
    .success();
    env.cmd(["secret", "list"])
        .env("BYOK_PASSPHRASE_FILE", &first)
        .assert()
        .failure();

    // Now `never` can be loosened by typing the passphrase at a terminal.
    if require_tool("script").is_some() {
        let out = on_terminal(
            &env,
            "reveal pipe",
            &[
                "second correct horse battery",
                "second correct horse battery",
            ],
            Pace::SCRYPT,
        );
        assert!(stdout(&out).contains("now pipe"), "{}", stdout(&out));
        env.cmd(["reveal"])
            .env("BYOK_PASSPHRASE_FILE", &second)
            .assert()
            .success()
            .stdout("pipe\n");
    }

    // Removed again: identity.txt, and the secret reads with no passphrase.
    env.cmd(["passphrase", "--remove"])
        .env("BYOK_PASSPHRASE_FILE", &second)
        .assert()
        .success();
    assert!(env.file("identity.txt").exists());
    assert!(!env.file("identity.age").exists());
    env.cmd(["secret", "list", "--json"]).assert().success();
    env.cmd(["passphrase", "--remove"]).assert().code(2);
}
