//! Workspaces: their own age-file store resolved before the global stores, `--no-fallback`,
//! which workspace is active, isolation between workspaces and from non-members.

use crate::harness::{Env, require_tool, stderr, stdout};

const GLOBAL: &str = "sk-test-global-000000000000";
const ACME: &str = "sk-test-acme-00000000000000";
const BETA: &str = "sk-test-beta-00000000000000";

fn setup() -> Env {
    let env = Env::init();
    env.add("shared", GLOBAL, &[]);
    env.add("only_global", "sk-test-only-global-0000000", &[]);
    for args in [
        &["workspace", "add", "acme"][..],
        &["workspace", "add", "beta", "--no-fallback"][..],
    ] {
        env.cmd(args).assert().success();
    }
    for (ws, value) in [("acme", ACME), ("beta", BETA)] {
        env.cmd([
            "--workspace",
            ws,
            "secret",
            "add",
            "shared",
            "--stdin",
            "--store",
            "workspace",
        ])
        .write_stdin(value)
        .assert()
        .success();
    }
    env.cmd([
        "--workspace",
        "acme",
        "secret",
        "add",
        "acme_only",
        "--stdin",
    ])
    .write_stdin("sk-test-acme-only-000000000")
    .assert()
    .success();
    env
}

fn get(env: &Env, pre: &[&str], name: &str) -> std::process::Output {
    let mut args = pre.to_vec();
    args.extend(["secret", "get", name]);
    env.cmd(args).output().unwrap()
}

#[test]
fn workspace_keys_shadow_global_ones_and_fall_back_unless_told_not_to() {
    let env = setup();
    assert_eq!(stdout(&get(&env, &[], "shared")).trim(), GLOBAL);
    assert_eq!(
        stdout(&get(&env, &["--workspace", "acme"], "shared")).trim(),
        ACME
    );
    // Fallback to the global key for a name the workspace lacks.
    let out = get(&env, &["--workspace", "acme"], "only_global");
    assert_eq!(stdout(&out).trim(), "sk-test-only-global-0000000");
    // --no-fallback: never a global key.
    assert_eq!(
        stdout(&get(&env, &["--workspace", "beta"], "shared")).trim(),
        BETA
    );
    let out = get(&env, &["--workspace", "beta"], "only_global");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // A new secret in an active workspace goes to the workspace store.
    let out = env
        .cmd(["--workspace", "acme", "secret", "list", "--json"])
        .output()
        .unwrap();
    let list = stdout(&out);
    assert!(list.contains("acme_only"), "{list}");
    assert!(
        !stdout(&env.cmd(["secret", "list", "--json"]).output().unwrap()).contains("acme_only")
    );
}

#[test]
fn the_active_workspace_follows_flag_env_project_then_use() {
    let env = setup();
    env.cmd(["workspace", "use", "beta"]).assert().success();
    assert_eq!(stdout(&get(&env, &[], "shared")).trim(), BETA);
    // A trusted project's `workspace` beats `workspace use`.
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join(".byok.toml"), "workspace = \"acme\"\n").unwrap();
    let in_project = |extra: &[(&str, &str)], pre: &[&str]| {
        let mut args = pre.to_vec();
        args.extend(["secret", "get", "shared"]);
        let mut cmd = env.cmd(args);
        cmd.current_dir(&project);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        stdout(&cmd.output().unwrap()).trim().to_owned()
    };
    assert_eq!(
        in_project(&[], &[]),
        BETA,
        "untrusted: the project is ignored"
    );
    env.cmd(["trust", "--yes"])
        .current_dir(&project)
        .assert()
        .success();
    assert_eq!(in_project(&[], &[]), ACME);
    // BYOK_WORKSPACE beats the project, --workspace beats BYOK_WORKSPACE.
    assert_eq!(in_project(&[("BYOK_WORKSPACE", "beta")], &[]), BETA);
    assert_eq!(
        in_project(&[("BYOK_WORKSPACE", "beta")], &["--workspace", "acme"]),
        ACME
    );
    // Listing marks the active one; `use --none` and `rm` clear it.
    let out = env.cmd(["workspace", "list", "--json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows[1]["name"], "beta");
    assert_eq!(rows[1]["active"], true);
    assert_eq!(rows[1]["fallback"], false);
    env.cmd(["workspace", "rm", "beta"]).assert().success();
    assert_eq!(stdout(&get(&env, &[], "shared")).trim(), GLOBAL);
    let out = get(&env, &["--workspace", "beta"], "shared");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no workspace 'beta'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn workspaces_are_isolated_from_each_other_and_from_non_members() {
    let env = setup();
    let out = env
        .cmd(["--workspace", "beta", "secret", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&out);
    assert!(
        !list.contains("acme_only"),
        "beta never shows acme's secrets: {list}"
    );
    assert!(
        !list.contains("only_global"),
        "no fallback: no global secrets: {list}"
    );
    let (Some(age), Some(keygen)) = (require_tool("age"), require_tool("age-keygen")) else {
        return;
    };
    let file = env.home().join("workspaces/acme.age");
    assert!(file.exists());
    // A member (the home's identity) can read it with the reference age CLI …
    let out = std::process::Command::new(&age)
        .arg("-d")
        .arg("-i")
        .arg(env.file("identity.txt"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme_only"));
    // … a non-member's identity cannot.
    let other = env.dir.path().join("other.txt");
    let status = std::process::Command::new(&keygen)
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert!(status.status.success());
    let out = std::process::Command::new(&age)
        .arg("-d")
        .arg("-i")
        .arg(&other)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a non-member decrypted the workspace"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sk-test"));
}

/// Like `connector add`, `workspace add` wrote `workspaces.toml` into a home `init` never made.
#[test]
fn workspace_add_in_a_home_that_is_not_initialised_refuses_and_creates_nothing() {
    let env = Env::new();
    crate::harness::refused_uninitialised(&env, &["workspace", "add", "client-a"]);
    crate::harness::refused_uninitialised(&env, &["workspace", "list"]);
}
