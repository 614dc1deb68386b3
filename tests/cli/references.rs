//! `byok://` references: in `exec`'s environment, in trusted `--env-file` files and in
//! `inject` templates; admin keys kept from programs; the new key kinds in listings.

use crate::harness::{Env, KEY, mode, require_tool, stderr, stdout};

const ADMIN: &str = "sk-admin-test-0123456789abcdefghij";
const ANT_ADMIN: &str = "sk-ant-admin01-test-0123456789abcdef";
const GEMINI_AQ: &str = "AQ.Ab8RN6test-0123456789abcdefghij";

fn env_with_keys() -> Env {
    let env = Env::init();
    env.add("work_openai", KEY, &["--provider", "openai"]);
    env.add("other", "sk-test-other-0123456789", &[]);
    env
}

/// `sh -c SCRIPT` through `byok exec ARGS --`.
fn exec_sh(env: &Env, args: &[&str], script: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd(["exec"]);
    cmd.args(args).args(["--", "sh", "-c", script]);
    cmd
}

#[test]
fn exec_replaces_reference_valued_variables() {
    let env = env_with_keys();
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "work_openai",
    ])
    .assert()
    .success();
    exec_sh(
        &env,
        &[],
        "printf '%s|%s|%s' \"$OPENAI_API_KEY\" \"$OTHER\" \"$PLAIN\"",
    )
    .env("OPENAI_API_KEY", "byok://work")
    .env("OTHER", "byok://other/api_key")
    .env("PLAIN", "not-a-reference")
    .assert()
    .success()
    .stdout(format!("{KEY}|sk-test-other-0123456789|not-a-reference"));
}

#[test]
fn references_alone_export_nothing_else() {
    // With a reference and no TARGET, the active connectors are not exported on top.
    let env = env_with_keys();
    env.add(
        "ant",
        "sk-ant-test-0123456789abcdef",
        &["--provider", "anthropic"],
    );
    exec_sh(
        &env,
        &[],
        "printf '%s|%s' \"$MY_KEY\" \"${ANTHROPIC_API_KEY-unset}\"",
    )
    .env("MY_KEY", "byok://other")
    .assert()
    .success()
    .stdout("sk-test-other-0123456789|unset");
}

#[test]
fn an_unresolvable_reference_fails_before_the_command_runs() {
    let env = env_with_keys();
    let marker = env.dir.path().join("ran");
    for (value, code) in [
        ("byok://nope", 3),
        ("byok://Bad Name", 2),
        ("byok://other/nofield", 3),
    ] {
        let out = exec_sh(&env, &[], &format!("touch '{}'", marker.display()))
            .env("OPENAI_API_KEY", value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{value}: {}", stderr(&out));
        assert!(!marker.exists(), "{value}: the command ran");
        assert!(
            stderr(&out).contains("OPENAI_API_KEY") || code == 3,
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn env_files_resolve_references_only_when_trusted() {
    let env = env_with_keys();
    let file = env.dir.path().join("project.env");
    std::fs::write(
        &file,
        "# committed\nOPENAI_API_KEY=byok://work_openai\nMODEL=gpt-4.1-nano\n",
    )
    .unwrap();
    let file_arg = file.to_str().unwrap();
    let marker = env.dir.path().join("ran");
    let touch = format!("touch '{}'", marker.display());

    // Untrusted: refused with exit 8, nothing runs.
    let out = exec_sh(&env, &["--env-file", file_arg], &touch)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(stderr(&out).contains("byok trust"), "{}", stderr(&out));
    assert!(!marker.exists());

    env.cmd(["trust", file_arg]).assert().success();
    exec_sh(
        &env,
        &["--env-file", file_arg],
        "printf '%s|%s' \"$OPENAI_API_KEY\" \"$MODEL\"",
    )
    .assert()
    .success()
    .stdout(format!("{KEY}|gpt-4.1-nano"));
    let listed = env.cmd(["trust", "--list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(list[0]["state"], "trusted", "{list}");
    assert_eq!(mode(&env.file("trusted.json")), 0o600);

    // Changed since trusted: refused again, until trusted anew.
    std::fs::write(
        &file,
        "OPENAI_API_KEY=byok://work_openai\nOPENAI_BASE_URL=http://127.0.0.1:9/v1\n",
    )
    .unwrap();
    let out = exec_sh(&env, &["--env-file", file_arg], &touch)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since it was trusted"),
        "{}",
        stderr(&out)
    );
    assert!(!marker.exists());
    let listed = env.cmd(["trust", "--list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(list[0]["state"], "changed", "{list}");

    // `untrust` without FILE forgets the changed entry; with FILE, the named one.
    env.cmd(["untrust"])
        .assert()
        .success()
        .stderr(predicates::str::contains("Forgot"));
    env.cmd(["trust", "--list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
    env.cmd(["trust", file_arg]).assert().success();
    env.cmd(["untrust", file_arg]).assert().success();
    exec_sh(&env, &["--env-file", file_arg], &touch)
        .assert()
        .code(8);
}

#[test]
fn an_env_file_without_references_needs_no_trust() {
    let env = env_with_keys();
    let file = env.dir.path().join("plain.env");
    std::fs::write(&file, "export GREETING='hello world'\n").unwrap();
    exec_sh(
        &env,
        &["--env-file", file.to_str().unwrap(), "other"],
        "printf '%s|%s' \"$GREETING\" \"$OTHER\"",
    )
    .assert()
    .success()
    .stdout("hello world|sk-test-other-0123456789");
}

#[test]
fn inject_renders_a_template_into_a_private_file() {
    let env = env_with_keys();
    let template = env.dir.path().join("conf.tpl");
    std::fs::write(
        &template,
        "api_key: {{ byok://work_openai }}\nother: {{byok://other/api_key}}\nkeep: {{ not_ours }}\n",
    )
    .unwrap();
    let out_file = env.dir.path().join("conf.yml");
    let (tpl, out) = (template.to_str().unwrap(), out_file.to_str().unwrap());
    env.cmd(["trust", tpl]).assert().success();
    env.cmd(["inject", "-i", tpl, "-o", out])
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        format!("api_key: {KEY}\nother: sk-test-other-0123456789\nkeep: {{{{ not_ours }}}}\n")
    );
    assert_eq!(mode(&out_file), 0o600);

    // An existing file is kept without --force, replaced (still 0600) with it.
    std::fs::write(&out_file, "old").unwrap();
    let refused = env.cmd(["inject", "-i", tpl, "-o", out]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "old");
    env.cmd(["inject", "-i", tpl, "-o", out, "--force"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out_file).unwrap().contains(KEY));
    assert_eq!(mode(&out_file), 0o600);

    // Standard input to standard output (a pipe), and broken placeholders by line.
    env.cmd(["inject"])
        .write_stdin("k={{ byok://other }}")
        .assert()
        .success()
        .stdout("k=sk-test-other-0123456789");
    env.cmd(["inject"])
        .write_stdin("a\nk={{ byok://nope }}")
        .assert()
        .code(3);
    env.cmd(["inject"])
        .write_stdin("a\nk={{ byok://other\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 2"));
}

/// The review's finding: `inject` rendered an untrusted template that paired
/// `{{ byok://work }}` with its own `apiBase`, a pairing refused in an env file. A template
/// file with references is rendered only when trusted with exactly its contents; nothing is
/// written otherwise. Standard input is the user's own, and a file without references needs
/// no trust.
#[test]
fn inject_renders_an_untrusted_template_file() {
    let env = env_with_keys();
    let template = env.dir.path().join("repo.tpl");
    std::fs::write(
        &template,
        "apiBase: http://127.0.0.1:28099/v1
key: {{ byok://work_openai }}
",
    )
    .unwrap();
    let out_file = env.dir.path().join("repo.yml");
    let (tpl, out) = (template.to_str().unwrap(), out_file.to_str().unwrap());
    let refused = env.cmd(["inject", "-i", tpl, "-o", out]).output().unwrap();
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("byok trust"),
        "{}",
        stderr(&refused)
    );
    assert!(!out_file.exists());
    let refused = env.cmd(["inject", "-i", tpl]).output().unwrap();
    assert_eq!(refused.status.code(), Some(8));
    assert!(!stdout(&refused).contains(KEY));
    // Trusted, it renders; changed afterwards, it is refused again.
    env.cmd(["trust", tpl]).assert().success();
    env.cmd(["inject", "-i", tpl, "-o", out]).assert().success();
    std::fs::remove_file(&out_file).unwrap();
    std::fs::write(
        &template,
        "apiBase: http://127.0.0.1:28100/v1
key: {{ byok://work_openai }}
",
    )
    .unwrap();
    let refused = env.cmd(["inject", "-i", tpl, "-o", out]).output().unwrap();
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(!out_file.exists());
    // No reference: nothing to trust.
    std::fs::write(
        &template,
        "plain: yes
",
    )
    .unwrap();
    env.cmd(["inject", "-i", tpl])
        .assert()
        .success()
        .stdout("plain: yes\n");
}

/// The review's finding: `inject -o NAME` and `backup NAME` with a bare file name wrote the
/// file, then failed with "could not sync directory :" (the empty parent), and a retried
/// backup was refused because the file existed.
#[test]
fn inject_and_backup_to_a_bare_file_name_succeed() {
    let env = env_with_keys();
    let dir = env.dir.path();
    env.cmd(["inject", "-o", "bare.yml"])
        .current_dir(dir)
        .write_stdin("k={{ byok://other }}")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("bare.yml")).unwrap(),
        "k=sk-test-other-0123456789"
    );
    env.cmd(["inject", "-o", "bare.yml", "--force"])
        .current_dir(dir)
        .write_stdin("k={{ byok://other }}")
        .assert()
        .success();
    env.cmd(["backup", "bare.age"])
        .current_dir(dir)
        .assert()
        .success();
    assert!(dir.join("bare.age").exists());
}

/// `inject` goes through the export plan like `env`: each secret's own reveal policy is
/// checked (a connector's secret included) before anything is written, and each secret read
/// is audited once, under its own name.
#[test]
fn inject_checks_each_secrets_policy_and_audits_what_it_read() {
    let env = env_with_keys();
    std::fs::write(env.file("config.toml"), "audit_names = \"plain\"\n").unwrap();
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "work_openai",
    ])
    .assert()
    .success();
    env.cmd(["inject"])
        .write_stdin("a={{ byok://work }} b={{ byok://other }} c={{ byok://other }}")
        .assert()
        .success()
        .stdout(format!(
            "a={KEY} b=sk-test-other-0123456789 c=sk-test-other-0123456789"
        ));
    let reads: Vec<String> = crate::harness::audit_lines(&env)
        .iter()
        .filter(|e| e["action"] == "secret.read")
        .map(|e| e["ref"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reads, ["work_openai", "other"]);
    // `reveal never` on the connector's secret: refused (exit 8), nothing written.
    env.cmd(["secret", "set", "work_openai", "--reveal", "never"])
        .assert()
        .success();
    let out_file = env.dir.path().join("never.yml");
    let out = env
        .cmd(["inject", "-o", out_file.to_str().unwrap()])
        .write_stdin("b={{ byok://other }} a={{ byok://work }}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(!out_file.exists());
}

#[test]
fn inject_refuses_a_terminal() {
    if require_tool("script").is_none() {
        return;
    }
    let env = env_with_keys();
    let template = env.dir.path().join("t.tpl");
    std::fs::write(&template, "k={{ byok://other }}\n").unwrap();
    let out = env
        .program("sh")
        .arg("-c")
        .arg(format!(
            "timeout 30 script -qec '\"$BYOK\" inject -i {}; echo status=$?' /dev/null < /dev/null",
            template.display()
        ))
        .output()
        .unwrap();
    let screen = stdout(&out);
    assert!(
        screen.contains("refusing to write a rendered template"),
        "{screen}"
    );
    assert!(screen.contains("status=1"), "{screen}");
    assert!(!screen.contains("sk-test-other"), "{screen}");
}

#[test]
fn admin_keys_are_refused_unless_named_with_allow_admin() {
    let env = Env::init();
    env.add("org_admin", ADMIN, &["--provider", "openai"]);
    env.add("ant_admin", ANT_ADMIN, &[]);
    env.add("work", KEY, &["--provider", "openai"]);
    for (args, name) in [
        (vec!["env", "org_admin"], "org_admin"),
        (vec!["env", "--set", "X=ant_admin"], "X"),
    ] {
        let out = env.cmd(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(8), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("admin key"), "{}", stderr(&out));
        assert!(!stderr(&out).contains("0123456789"), "{}", stderr(&out));
        let _ = name;
    }
    env.cmd(["env", "org_admin", "--allow-admin"])
        .assert()
        .success()
        .stdout(predicates::str::contains(ADMIN));
    let marker = env.dir.path().join("ran");
    let touch = format!("touch '{}'", marker.display());
    exec_sh(&env, &["ant_admin"], &touch).assert().code(8);
    exec_sh(&env, &[], &touch)
        .env("K", "byok://org_admin")
        .assert()
        .code(8);
    assert!(!marker.exists());
    exec_sh(&env, &["--allow-admin"], "printf %s \"$K\"")
        .env("K", "byok://org_admin")
        .assert()
        .success()
        .stdout(ADMIN);
    env.cmd(["inject"])
        .write_stdin("{{ byok://ant_admin }}")
        .assert()
        .code(8);
    env.cmd(["inject", "--allow-admin"])
        .write_stdin("{{ byok://ant_admin }}")
        .assert()
        .success()
        .stdout(ANT_ADMIN);

    // Nothing named: the admin key is left out with a warning, the others go out.
    let out = env.cmd(["env", "--format", "dotenv"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(KEY) && !stdout(&out).contains(ADMIN),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("admin key"), "{}", stderr(&out));

    // The connection test says so instead of sending a chat request.
    env.cmd([
        "connector",
        "add",
        "adm",
        "--type",
        "openai",
        "--secret",
        "org_admin",
        "--base-url",
        "http://127.0.0.1:9/v1",
    ])
    .assert()
    .success();
    let out = env.cmd(["connector", "test", "adm"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stdout(&out).contains("admin key") && stdout(&out).contains("nothing was sent"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn secret_list_shows_key_kinds_and_masks_new_gemini_keys() {
    let env = Env::init();
    env.add("gem", GEMINI_AQ, &["--provider", "gemini"]);
    env.add(
        "proj",
        "sk-proj-test-0123456789abcdef",
        &["--provider", "openai"],
    );
    env.add("adm", ADMIN, &[]);
    env.add("plain", "plain-value-0123456789", &[]);
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kind = |r: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["ref"] == r)
            .map(|s| (s["kind"].clone(), s["value"].clone()))
            .unwrap()
    };
    assert_eq!(kind("gem").0, "auth");
    assert_eq!(kind("gem").1, "AQ.***-ghij");
    assert_eq!(kind("proj").0, "project");
    assert_eq!(kind("adm").0, "admin");
    assert!(kind("plain").0.is_null());
    let table = stdout(&env.cmd(["secret", "list"]).output().unwrap());
    assert!(table.contains("KIND") && table.contains("auth"), "{table}");
    assert!(!table.contains("0123456789"), "{table}");

    // --redact masks an AQ. key echoed with its dots.
    exec_sh(
        &env,
        &["--redact", "gem"],
        "printf 'got %s\\n' \"$GEMINI_API_KEY\"",
    )
    .assert()
    .success()
    .stdout(predicates::str::contains(GEMINI_AQ).not());
}

use predicates::prelude::PredicateBooleanExt;
