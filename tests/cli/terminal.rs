//! Prompts on a real terminal: `script` gives byok a pty, and the answers are typed after a
//! pause, once byok is waiting (so the terminal's echo settings are byok's).

use crate::harness::{Env, KEY, Pace, on_terminal, require_tool, stdout};

#[test]
fn a_value_typed_at_the_hidden_prompt_is_stored_and_not_echoed() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    let out = on_terminal(
        &env,
        "secret add typed --provider openai",
        &[KEY],
        Pace::PROMPT,
    );
    let screen = stdout(&out);
    assert!(
        screen.contains("Value for typed.api_key (input hidden)"),
        "{screen}"
    );
    assert!(
        !screen.contains(KEY),
        "the typed value was echoed: {screen}"
    );
    assert_eq!(env.get("typed"), KEY);
}

#[test]
fn rm_asks_on_a_terminal() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    env.add("k", KEY, &[]);
    let declined = on_terminal(&env, "secret rm k", &["n"], Pace::PROMPT);
    assert!(
        stdout(&declined).contains("Remove secret 'k'"),
        "{}",
        stdout(&declined)
    );
    assert_eq!(env.get("k"), KEY, "declining keeps the secret");
    on_terminal(&env, "secret rm k", &["y"], Pace::PROMPT);
    env.cmd(["secret", "get", "k"]).assert().code(3);
}

#[test]
fn init_asks_for_the_passphrase_twice_on_a_terminal() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::new();
    let out = on_terminal(
        &env,
        "init",
        &["tty passphrase", "tty passphrase"],
        Pace::PROMPT,
    );
    let screen = stdout(&out);
    assert!(screen.contains("Repeat passphrase"), "{screen}");
    assert!(
        !screen.contains("tty passphrase"),
        "the passphrase was echoed: {screen}"
    );
    assert!(env.file("identity.age").exists(), "{screen}");
    env.cmd(["secret", "list", "--json"])
        .env("BYOK_PASSPHRASE", "tty passphrase")
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn colours_only_on_a_terminal_and_never_with_no_color() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    let on_tty = |no_color: bool| {
        let mut cmd = env.program("script");
        cmd.args(["-qec", "\"$BYOK\" secret get missing", "/dev/null"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        stdout(&cmd.output().unwrap())
    };
    assert!(
        on_tty(false).contains("\x1b[31;1merror:"),
        "{:?}",
        on_tty(false)
    );
    assert!(!on_tty(true).contains('\x1b'), "{:?}", on_tty(true));
    let piped = env.cmd(["secret", "get", "missing"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains('\x1b'));
}

/// `connector add --test` reads the vault twice (the secret must exist; then its key): the
/// passphrase is asked for once.
#[test]
fn connector_add_test_asks_for_the_passphrase_once() {
    use crate::harness::provider::{Fake, Reply, Wire};
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, "tty passphrase\n").unwrap();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    env.cmd(["secret", "add", "k", "--stdin"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .write_stdin(KEY)
        .assert()
        .success();
    let fake = Fake::start(Wire::OpenAi, Some(KEY), "test-model", Reply::Success);
    let args = format!(
        "connector add w --type openai --secret k --model test-model --base-url {} --test",
        fake.base_url()
    );
    let out = on_terminal(&env, &args, &["tty passphrase"], Pace::PROMPT);
    let screen = stdout(&out);
    assert_eq!(
        screen.matches("Vault passphrase: [hidden]").count(),
        1,
        "{screen}"
    );
    assert!(
        screen.contains("✓") && screen.contains(" w  test-model"),
        "{screen}"
    );
}
