//! Prompts on a real terminal: `script` gives byok a pty, and the answers are typed after a
//! pause, once byok is waiting (so the terminal's echo settings are byok's).

use crate::harness::{Env, KEY, require_tool, stdout};

/// Runs `byok ARGS` on a pty, typing each line of `answers` after a pause.
fn on_terminal(env: &Env, args: &str, answers: &[&str]) -> std::process::Output {
    let typed: String = answers
        .iter()
        .map(|a| format!("sleep 0.7; printf '%s\\r' '{a}'; "))
        .collect();
    env.program("sh")
        .arg("-c")
        .arg(format!(
            "({typed} sleep 1) | script -qec \"\\\"$BYOK\\\" {args}\" /dev/null"
        ))
        .output()
        .unwrap()
}

#[test]
fn a_value_typed_at_the_hidden_prompt_is_stored_and_not_echoed() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::init();
    let out = on_terminal(&env, "secret add typed --provider openai", &[KEY]);
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
    let declined = on_terminal(&env, "secret rm k", &["n"]);
    assert!(
        stdout(&declined).contains("Remove secret 'k'"),
        "{}",
        stdout(&declined)
    );
    assert_eq!(env.get("k"), KEY, "declining keeps the secret");
    on_terminal(&env, "secret rm k", &["y"]);
    env.cmd(["secret", "get", "k"]).assert().code(3);
}

#[test]
fn init_asks_for_the_passphrase_twice_on_a_terminal() {
    if require_tool("script").is_none() {
        return;
    }
    let env = Env::new();
    let out = on_terminal(&env, "init", &["tty passphrase", "tty passphrase"]);
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
