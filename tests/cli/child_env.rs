//! What a program byok hands keys to may never inherit: unlock material, team-store tokens and
//! byok's own control variables (docs/shells-and-tools.md: "What a child never inherits"). One test
//! per export path — `exec`, `exec --clean-env`, `exec --via-proxy`, `env`, `hook` — each with
//! every never-inherited variable set in byok's own environment; the agent-proof exec path is
//! covered in `agent_proof.rs` (it needs a second user). `BYOK_HOME` passes through.

use std::time::Duration;

use crate::harness::{Env, stderr, stdout};

/// Every never-inherited variable, each with a value no output may show.
pub(crate) const NEVER_INHERITED: &[(&str, &str)] = &[
    ("BYOK_PASSPHRASE", "sk-test-never-passphrase"),
    ("BYOK_PASSPHRASE_FILE", "/tmp/sk-test-never-passphrase-file"),
    // Set by `with_all_set` to a real copy of the home's identity file.
    ("BYOK_IDENTITY_FILE", "sk-test-never-identity-file"),
    (
        "BYOK_STORE_PASSPHRASE_FILE",
        "/tmp/sk-test-never-store-passphrase-file",
    ),
    ("BAO_TOKEN", "s.sk-test-never-bao-token"),
    ("VAULT_TOKEN", "s.sk-test-never-vault-token"),
    ("BYOK_PROXY_TOKEN", "sk-test-never-proxy-token"),
    ("BYOK_FAULT", "sk-test-never-fault"),
    ("BYOK_TEST_NOW", "sk-test-never-test-now"),
];

/// Fails naming each never-inherited variable that `text` (a child's `env`, or what byok
/// printed) shows by name or by value.
pub(crate) fn assert_none_inherited(text: &str, path: &str) {
    for (name, value) in NEVER_INHERITED {
        assert!(
            !text.contains(&format!("{name}=")) && !text.contains(value),
            "{path}: {name} reached the program:\n{text}"
        );
    }
}

/// `cmd` with every never-inherited variable set, as a user's shell might have them. The
/// identity file is a real copy of the home's (byok itself reads it), under a name no
/// output may show.
fn with_all_set(env: &Env, mut cmd: assert_cmd::Command) -> assert_cmd::Command {
    let identity = env.dir.path().join("sk-test-never-identity-file");
    if !identity.exists() {
        std::fs::copy(env.file("identity.txt"), &identity).unwrap();
    }
    for (name, value) in NEVER_INHERITED {
        cmd.env(name, value);
    }
    cmd.env("BYOK_IDENTITY_FILE", &identity);
    cmd
}

/// A home whose vault opens without any of those variables (identity.txt), with one key.
fn home() -> Env {
    let env = Env::init();
    env.add(
        "my_openai_key",
        "sk-test-child-env-0000000000000000",
        &["--provider", "openai"],
    );
    env
}

#[test]
fn exec_children_inherit_none_of_the_never_inherited_variables() {
    let env = home();
    for clean in [false, true] {
        let mut args = vec!["exec", "my_openai_key"];
        if clean {
            args.push("--clean-env");
        }
        args.extend(["--", "env"]);
        let out = with_all_set(&env, env.cmd(&args)).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("OPENAI_API_KEY=sk-test-child-env-0000000000000000"),
            "{text}"
        );
        assert_none_inherited(&text, if clean { "exec --clean-env" } else { "exec" });
        // BYOK_HOME passes through, except where --clean-env keeps only its short list.
        assert_eq!(text.contains("BYOK_HOME="), !clean, "{text}");
    }
}

#[test]
fn exec_via_proxy_children_inherit_none_of_the_never_inherited_variables() {
    // Regression: `exec --via-proxy` built its own filter and passed BAO_TOKEN,
    // VAULT_TOKEN and BYOK_STORE_PASSPHRASE_FILE to the child.
    let up = crate::harness::Upstream::start("first", crate::harness::Mode::Ok);
    let env = crate::harness::first_home(&up);
    env.proxy_on_free_port();
    let out = with_all_set(&env, env.cmd(["exec", "--via-proxy", "first", "--", "env"]))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    // The proxy started for the command stopped with it.
    let stopped = env.cmd(["proxy", "status", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("OPENAI_API_KEY=sk-ant-byok01-"), "{text}");
    assert!(text.contains("BYOK_HOME="), "{text}");
    assert_none_inherited(&text, "exec --via-proxy");
    assert_eq!(stdout(&stopped).trim(), "[]", "{}", stdout(&stopped));
}

#[test]
fn env_and_hook_print_none_of_the_never_inherited_variables() {
    let env = home();
    for format in ["sh", "fish", "json", "dotenv", "powershell"] {
        let out = with_all_set(&env, env.cmd(["env", "my_openai_key", "--format", format]))
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("sk-test-child-env-"),
            "{}",
            stdout(&out)
        );
        assert_none_inherited(&stdout(&out), &format!("env --format {format}"));
    }
    // The shell hook in a trusted project that exports the key.
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join(".byok.toml"),
        "[vars]\nOPENAI_API_KEY = \"byok://my_openai_key\"\n",
    )
    .unwrap();
    let trusted = env
        .cmd(["trust", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(trusted.status.success(), "{}", stderr(&trusted));
    for shell in ["bash", "zsh", "fish"] {
        let out = with_all_set(&env, env.cmd(["hook", shell, "--apply"]))
            .current_dir(&project)
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("sk-test-child-env-"),
            "{}",
            stdout(&out)
        );
        assert_none_inherited(&stdout(&out), &format!("hook {shell}"));
    }
}

/// Declaring an AWS Secrets Manager store takes the AWS credentials out of every child, on
/// both `exec` paths (without a server: the declaration alone decides).
#[test]
fn exec_children_lose_aws_credentials_when_an_aws_store_is_declared() {
    let up = crate::harness::Upstream::start("first", crate::harness::Mode::Ok);
    let env = crate::harness::first_home(&up);
    env.add(
        "my_openai_key",
        "sk-test-child-env-aws-00000000000",
        &["--provider", "openai"],
    );
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    std::fs::write(
        env.file("config.toml"),
        format!(
            "{config}\n[[store]]\nname = \"team\"\ntype = \"aws-secrets-manager\"\nregion = \"us-east-1\"\nendpoint = \"http://127.0.0.1:9\"\n"
        ),
    )
    .unwrap();
    env.proxy_on_free_port();
    let aws = [
        ("AWS_ACCESS_KEY_ID", "AKIATESTCHILDENV0000"),
        ("AWS_SECRET_ACCESS_KEY", "sk-test-aws-secret-child-env"),
        ("AWS_SESSION_TOKEN", "sk-test-aws-session-child-env"),
    ];
    for args in [
        &["exec", "my_openai_key", "--", "env"][..],
        &["exec", "--via-proxy", "first", "--", "env"][..],
    ] {
        let mut cmd = env.cmd(args);
        for (k, v) in aws {
            cmd.env(k, v);
        }
        let out = cmd.timeout(Duration::from_secs(60)).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("OPENAI_API_KEY=sk-"), "{args:?}: {text}");
        for (k, v) in aws {
            assert!(
                !text.contains(&format!("{k}=")) && !text.contains(v),
                "{args:?}: {k} reached the child"
            );
        }
    }
}
