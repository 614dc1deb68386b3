//! Scopes in listings and exports: the SCOPE column and `--scope` of `secret list` and
//! `connector list`, shadowed entries, workspace connectors (workspace → global by name,
//! `--global`, `--no-fallback`), workspaces on a named team store (`--store`, `--prefix`),
//! and a project's variables under their secrets' reveal policy and the audit.

use serde_json::Value;

use crate::harness::{Env, stderr, stdout};

const GLOBAL: &str = "sk-test-global-000000000000";
const ACME: &str = "sk-test-acme-00000000000000";
const ACME_ONLY: &str = "sk-test-acme-only-000000000";
const PROJ: &str = "sk-test-proj-00000000000000";

fn ok(out: &std::process::Output) {
    assert!(out.status.success(), "{}", stderr(out));
}

fn json(env: &Env, args: &[&str]) -> Value {
    let out = env.cmd(args).output().unwrap();
    ok(&out);
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn add_in(env: &Env, pre: &[&str], name: &str, value: &str, extra: &[&str]) {
    let mut args = pre.to_vec();
    args.extend(["secret", "add", name, "--stdin"]);
    args.extend(extra);
    env.cmd(args).write_stdin(value).assert().success();
}

/// A home with global `shared`/`only_global`, workspace `acme` (`shared`, `acme_only`) and
/// workspace `beta` without fallback (`beta_only`).
fn setup() -> Env {
    let env = Env::init();
    env.add("shared", GLOBAL, &[]);
    env.add("only_global", "sk-test-only-global-0000000", &[]);
    env.cmd(["workspace", "add", "acme"]).assert().success();
    env.cmd(["workspace", "add", "beta", "--no-fallback"])
        .assert()
        .success();
    add_in(
        &env,
        &["--workspace", "acme"],
        "shared",
        ACME,
        &["--store", "workspace"],
    );
    add_in(&env, &["--workspace", "acme"], "acme_only", ACME_ONLY, &[]);
    add_in(
        &env,
        &["--workspace", "beta"],
        "beta_only",
        "sk-test-beta-only-000000000",
        &[],
    );
    env
}

/// `(ref, scope, store, shadowed)` of each row, sorted.
fn rows(list: &Value) -> Vec<(String, String, String, bool)> {
    let mut out: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ref"].as_str().unwrap().to_owned(),
                r["scope"].as_str().unwrap().to_owned(),
                r["store"].as_str().unwrap().to_owned(),
                r["shadowed"].as_bool().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn row(name: &str, scope: &str, store: &str, shadowed: bool) -> (String, String, String, bool) {
    (name.into(), scope.into(), store.into(), shadowed)
}

#[test]
fn secret_list_fills_the_scope_of_every_row_and_marks_shadowed_ones() {
    let env = setup();
    // A trusted project with its own store, holding `shared` too.
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join(".byok.toml"),
        "store = \".byok/team.age\"\n[vars]\nOPENAI_API_KEY = \"byok://shared\"\n",
    )
    .unwrap();
    ok(&env
        .cmd(["trust", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap());
    let out = env
        .cmd(["secret", "add", "shared", "--stdin", "--store", "project"])
        .current_dir(&project)
        .write_stdin(PROJ)
        .output()
        .unwrap();
    ok(&out);

    let in_project = |args: &[&str]| -> Value {
        let out = env.cmd(args).current_dir(&project).output().unwrap();
        ok(&out);
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let all = in_project(&["--workspace", "acme", "secret", "list", "--json"]);
    assert_eq!(
        rows(&all),
        vec![
            row("acme_only", "workspace:acme", "workspace", false),
            row("only_global", "global", "vault", false),
            row("shared", "global", "vault", true),
            row("shared", "project", "project", false),
            row("shared", "workspace:acme", "workspace", true),
        ],
        "{all}"
    );
    // --scope filters; shadowing is still judged against every scope.
    let acme_scope = |scope: &str| {
        in_project(&[
            "--workspace",
            "acme",
            "secret",
            "list",
            "--json",
            "--scope",
            scope,
        ])
    };
    let ws = acme_scope("workspace");
    assert_eq!(
        rows(&ws),
        vec![
            row("acme_only", "workspace:acme", "workspace", false),
            row("shared", "workspace:acme", "workspace", true),
        ]
    );
    let project_only = in_project(&["secret", "list", "--json", "--scope", "project"]);
    assert_eq!(
        rows(&project_only),
        vec![row("shared", "project", "project", false)]
    );
    let global = acme_scope("global");
    assert_eq!(
        rows(&global),
        vec![
            row("only_global", "global", "vault", false),
            row("shared", "global", "vault", true),
        ]
    );
    // The table has the column.
    let out = env
        .cmd(["--workspace", "acme", "secret", "list"])
        .current_dir(&project)
        .output()
        .unwrap();
    ok(&out);
    let table = stdout(&out);
    assert!(table.contains("SCOPE"), "{table}");
    assert!(table.contains("workspace:acme"), "{table}");
    assert!(table.contains("vault (shadowed)"), "{table}");
    // status names the workspace scope too.
    std::fs::write(
        project.join(".byok.toml"),
        "[vars]\nOPENAI_API_KEY = \"byok://acme_only\"\n",
    )
    .unwrap();
    ok(&env
        .cmd(["trust", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap());
    let status = in_project(&["--workspace", "acme", "status", "--json"]);
    assert_eq!(status["workspace"], "acme", "{status}");
    assert_eq!(status["vars"][0]["scope"], "workspace:acme", "{status}");
}

#[test]
fn listing_one_workspace_never_shows_another_s_secrets() {
    let env = setup();
    let beta = json(&env, &["--workspace", "beta", "secret", "list", "--json"]);
    // No fallback: beta's own only, nothing of acme's and nothing global.
    assert_eq!(
        rows(&beta),
        vec![row("beta_only", "workspace:beta", "workspace", false)]
    );
    let acme = json(&env, &["--workspace", "acme", "secret", "list", "--json"]);
    assert!(!rows(&acme).iter().any(|r| r.0 == "beta_only"), "{acme}");
    let none = json(&env, &["secret", "list", "--json"]);
    assert!(
        rows(&none).iter().all(|r| r.1 == "global"),
        "without a workspace everything is global: {none}"
    );
}

fn connector_rows(list: &Value) -> Vec<(String, String, String, bool)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["scope"].as_str().unwrap().to_owned(),
                r["secret"].as_str().unwrap_or("-").to_owned(),
                r["shadowed"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn exported(env: &Env, pre: &[&str], target: &str) -> std::process::Output {
    let mut args = pre.to_vec();
    args.extend(["env", target, "--format", "json"]);
    env.cmd(args).output().unwrap()
}

fn key_of(out: &std::process::Output) -> String {
    ok(out);
    let vars: Value = serde_json::from_str(&stdout(out)).unwrap();
    vars["OPENAI_API_KEY"].as_str().unwrap().to_owned()
}

#[test]
fn workspace_connectors_shadow_global_ones_by_name_and_fall_back() {
    let env = setup();
    let connector = |pre: &[&str], rest: &[&str]| {
        let mut args = pre.to_vec();
        args.push("connector");
        args.extend(rest);
        env.cmd(args).output().unwrap()
    };
    let acme = ["--workspace", "acme"];
    ok(&connector(
        &[],
        &["add", "work", "--type", "openai", "--secret", "only_global"],
    ));
    ok(&connector(
        &[],
        &["add", "home_only", "--type", "openai", "--secret", "shared"],
    ));
    // In the workspace: a connector of the same name is its own (not "exists already").
    let out = connector(
        &acme,
        &["add", "work", "--type", "openai", "--secret", "acme_only"],
    );
    ok(&out);
    assert!(
        stderr(&out).contains("in workspace 'acme'"),
        "{}",
        stderr(&out)
    );
    // --global writes the home's file even with a workspace active.
    ok(&connector(
        &acme,
        &[
            "add",
            "later",
            "--type",
            "anthropic",
            "--secret",
            "shared",
            "--global",
        ],
    ));
    let home = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(home.contains("name = \"later\""), "{home}");
    assert_eq!(home.matches("name = \"work\"").count(), 1, "{home}");
    let file = std::fs::read_to_string(env.file("workspaces/acme.connectors.toml")).unwrap();
    assert!(file.contains("secret = \"acme_only\""), "{file}");
    assert!(!file.contains("later"), "{file}");

    let listed = json(
        &env,
        &["--workspace", "acme", "connector", "list", "--json"],
    );
    assert_eq!(
        connector_rows(&listed),
        vec![
            (
                "work".into(),
                "workspace:acme".into(),
                "acme_only".into(),
                false
            ),
            ("work".into(), "global".into(), "only_global".into(), true),
            ("home_only".into(), "global".into(), "shared".into(), false),
            ("later".into(), "global".into(), "shared".into(), false),
        ],
        "{listed}"
    );
    assert_eq!(listed[0]["priority"], 1);
    assert_eq!(
        listed[1]["priority"], 0,
        "a shadowed connector is never used"
    );
    assert_eq!(listed[2]["priority"], 2);
    let only_ws = json(
        &env,
        &[
            "--workspace",
            "acme",
            "connector",
            "list",
            "--json",
            "--scope",
            "workspace",
        ],
    );
    assert_eq!(only_ws.as_array().unwrap().len(), 1, "{only_ws}");
    let global = json(
        &env,
        &[
            "--workspace",
            "acme",
            "connector",
            "list",
            "--json",
            "--global",
        ],
    );
    assert!(
        connector_rows(&global)
            .iter()
            .all(|r| r.1 == "global" && !r.3),
        "{global}"
    );
    let table = stdout(&connector(&acme, &["list"]));
    assert!(table.contains("global (shadowed)"), "{table}");

    // env/exec see the workspace's connector; a global-only one by fallback.
    assert_eq!(key_of(&exported(&env, &acme, "work")), ACME_ONLY);
    assert_eq!(
        key_of(&exported(&env, &[], "work")),
        "sk-test-only-global-0000000"
    );
    // home_only's secret `shared` resolves workspace-first, like any ref.
    assert_eq!(key_of(&exported(&env, &acme, "home_only")), ACME);
    let out = env
        .cmd([
            "--workspace",
            "acme",
            "exec",
            "work",
            "--",
            "sh",
            "-c",
            "printf %s \"$OPENAI_API_KEY\"",
        ])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(stdout(&out), ACME_ONLY);

    // No fallback: beta sees none of the home's connectors, and none of acme's.
    let beta = json(
        &env,
        &["--workspace", "beta", "connector", "list", "--json"],
    );
    assert_eq!(beta.as_array().unwrap().len(), 0, "{beta}");
    let out = exported(&env, &["--workspace", "beta"], "work");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // Editing a global-only connector from the workspace says to pass --global.
    let out = connector(&acme, &["rm", "home_only", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--global"), "{}", stderr(&out));
    ok(&connector(&acme, &["archive", "home_only", "--global"]));
    // rm in the workspace removes the workspace's; the global one is back in force.
    ok(&connector(&acme, &["rm", "work", "--yes"]));
    assert_eq!(
        key_of(&exported(&env, &acme, "work")),
        "sk-test-only-global-0000000"
    );
    let home = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(
        home.contains("name = \"work\""),
        "the global one stays: {home}"
    );

    // Renaming a secret repoints the workspace's connectors as well as the home's.
    ok(&connector(
        &acme,
        &[
            "add",
            "ws_conn",
            "--type",
            "openai",
            "--secret",
            "acme_only",
        ],
    ));
    let out = env
        .cmd([
            "--workspace",
            "acme",
            "secret",
            "rename",
            "acme_only",
            "acme_renamed",
        ])
        .output()
        .unwrap();
    ok(&out);
    let file = std::fs::read_to_string(env.file("workspaces/acme.connectors.toml")).unwrap();
    assert!(file.contains("secret = \"acme_renamed\""), "{file}");
    assert_eq!(key_of(&exported(&env, &acme, "ws_conn")), ACME_ONLY);
}

#[test]
fn a_workspace_on_a_named_age_file_store_keeps_its_secrets_there() {
    let env = Env::init();
    env.add("shared", GLOBAL, &[]);
    env.cmd([
        "store", "add", "team", "--type", "age-file", "--path", "team.age",
    ])
    .assert()
    .success();
    // Stores without prefixes refuse --prefix; an unknown store is refused.
    let out = env
        .cmd(["workspace", "add", "t", "--store", "team", "--prefix", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("prefix"), "{}", stderr(&out));
    let out = env
        .cmd(["workspace", "add", "t", "--store", "nope"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    env.cmd(["workspace", "add", "acme", "--store", "team"])
        .assert()
        .success();
    assert!(
        !env.file("workspaces/acme.age").exists(),
        "no store of its own is created"
    );
    add_in(
        &env,
        &["--workspace", "acme"],
        "shared",
        ACME,
        &["--store", "workspace"],
    );
    // It went into the team store's file, which resolves first in the workspace …
    let out = env
        .cmd(["secret", "get", "shared", "--store", "team"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(stdout(&out).trim(), ACME);
    let out = env
        .cmd(["--workspace", "acme", "secret", "get", "shared"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), ACME);
    // … `--store workspace` names it …
    let out = env
        .cmd([
            "--workspace",
            "acme",
            "secret",
            "get",
            "shared",
            "--store",
            "workspace",
        ])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(stdout(&out).trim(), ACME);
    // … and outside the workspace the vault's comes first again.
    let out = env.cmd(["secret", "get", "shared"]).output().unwrap();
    assert_eq!(stdout(&out).trim(), GLOBAL);
    let list = json(&env, &["--workspace", "acme", "secret", "list", "--json"]);
    assert_eq!(
        rows(&list),
        vec![
            row("shared", "global", "vault", true),
            row("shared", "workspace:acme", "team", false),
        ]
    );
    // Its recipients are the team store's: `--store workspace` reaches them too.
    let mine = json(&env, &["recipients", "list", "--store", "team", "--json"]);
    let via = json(
        &env,
        &[
            "--workspace",
            "acme",
            "recipients",
            "list",
            "--store",
            "workspace",
            "--json",
        ],
    );
    assert_eq!(mine["recipients"], via["recipients"]);
    assert_eq!(mine["recipients_file"], via["recipients_file"], "{via}");
    let ws = json(&env, &["workspace", "list", "--json"]);
    assert_eq!(ws[0]["store"], "team", "{ws}");
    assert!(ws[0]["file"].is_null(), "{ws}");
}

fn bao_cmd(env: &Env, server: &crate::bao_server::DevServer, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = env.cmd(args);
    cmd.env("BAO_ADDR", &server.addr)
        .env("BAO_TOKEN", crate::bao_server::ROOT_TOKEN);
    cmd
}

#[test]
fn a_workspace_under_a_prefix_of_an_openbao_store() {
    let Some(server) = crate::bao_server::DevServer::shared() else {
        return;
    };
    let env = Env::init();
    let prefix = crate::bao_server::unique_prefix("ws");
    let toml = crate::bao_server::store_toml("team", &server.addr, &prefix, "");
    std::fs::write(env.file("config.toml"), toml).unwrap();
    let out = bao_cmd(
        &env,
        server,
        &[
            "workspace",
            "add",
            "acme",
            "--store",
            "team",
            "--prefix",
            "acme",
        ],
    )
    .output()
    .unwrap();
    ok(&out);
    let put = |pre: &[&str], name: &str, value: &str, store: &str| {
        let mut args = pre.to_vec();
        args.extend(["secret", "add", name, "--stdin", "--store", store]);
        let out = bao_cmd(&env, server, &args)
            .write_stdin(value)
            .output()
            .unwrap();
        ok(&out);
    };
    put(&["--workspace", "acme"], "ws_key", ACME, "workspace");
    put(&[], "team_key", GLOBAL, "team");
    // The workspace's entry sits under the nested prefix, the team's under its own.
    let nested = server.ok(&["kv", "list", &format!("secret/{prefix}acme")]);
    assert!(nested.contains("ws_key"), "{nested}");
    assert!(!nested.contains("team_key"), "{nested}");
    let out = bao_cmd(
        &env,
        server,
        &["--workspace", "acme", "secret", "list", "--json"],
    )
    .output()
    .unwrap();
    ok(&out);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        rows(&all).contains(&row("ws_key", "workspace:acme", "workspace", false)),
        "{all}"
    );
    assert!(
        rows(&all).contains(&row("team_key", "global", "team", false)),
        "{all}"
    );
    // The team store itself does not list the workspace's key (a nested folder).
    assert!(
        !rows(&all).contains(&row("ws_key", "global", "team", false)),
        "{all}"
    );
    let out = bao_cmd(
        &env,
        server,
        &["--workspace", "acme", "secret", "get", "ws_key"],
    )
    .output()
    .unwrap();
    ok(&out);
    assert_eq!(stdout(&out).trim(), ACME);
    // Outside the workspace the workspace's key is not there.
    let out = bao_cmd(&env, server, &["secret", "get", "ws_key"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

/// A trusted project whose OPENAI_API_KEY is `byok://guarded` (reveal = never) and whose
/// ANTHROPIC_API_KEY is `byok://open`.
fn guarded_project() -> (Env, std::path::PathBuf) {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), "audit_names = \"plain\"\n").unwrap();
    env.add("guarded", GLOBAL, &["--reveal", "never"]);
    env.add("open", "sk-ant-test-open-00000000000", &[]);
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join(".byok.toml"),
        "[vars]\nOPENAI_API_KEY = \"byok://guarded\"\nANTHROPIC_API_KEY = \"byok://open\"\n",
    )
    .unwrap();
    ok(&env
        .cmd(["trust", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap());
    (env, project)
}

fn reads(env: &Env) -> Vec<String> {
    let log = json(env, &["audit", "--json", "--action", "secret.read"]);
    log.as_array()
        .unwrap()
        .iter()
        .map(|e| e["ref"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_project_variable_passes_its_secret_s_reveal_policy_and_is_audited() {
    let (env, project) = guarded_project();
    let out = env
        .cmd(["env", "--format", "json"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(stderr(&out).contains("guarded"), "{}", stderr(&out));
    assert!(!stdout(&out).contains(GLOBAL), "nothing printed");
    // exec is the way to use it: each variable's secret is audited.
    let before = reads(&env).len();
    let out = env
        .cmd(["exec", "--", "sh", "-c", "printf %s \"$OPENAI_API_KEY\""])
        .current_dir(&project)
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(stdout(&out), GLOBAL);
    let mut logged = reads(&env)[before..].to_vec();
    logged.sort();
    assert_eq!(logged, ["guarded", "open"]);
    // env with only the open secret declared works, and is audited once.
    std::fs::write(
        project.join(".byok.toml"),
        "[vars]\nANTHROPIC_API_KEY = \"byok://open\"\n",
    )
    .unwrap();
    ok(&env
        .cmd(["trust", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap());
    let before = reads(&env).len();
    let out = env
        .cmd(["env", "--format", "json"])
        .current_dir(&project)
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(reads(&env)[before..], ["open"]);
}

#[test]
fn env_with_targets_reads_and_audits_each_secret_once() {
    let env = Env::init();
    std::fs::write(env.file("config.toml"), "audit_names = \"plain\"\n").unwrap();
    env.add("one", GLOBAL, &[]);
    env.add("two", ACME, &[]);
    let before = reads(&env).len();
    let out = env
        .cmd(["env", "one", "two", "--set", "X=one", "--format", "json"])
        .output()
        .unwrap();
    ok(&out);
    let mut logged = reads(&env)[before..].to_vec();
    logged.sort();
    assert_eq!(logged, ["one", "two"]);
}

#[test]
fn an_unresolvable_reference_names_the_variable_and_the_ref() {
    let env = Env::init();
    env.add("present", GLOBAL, &[]);
    let out = env
        .cmd(["exec", "--", "true"])
        .env("MY_KEY_VAR", "byok://absent_ref")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("MY_KEY_VAR"), "{err}");
    assert!(err.contains("byok://absent_ref"), "{err}");
    // A missing field too.
    let out = env
        .cmd(["exec", "--", "true"])
        .env("OTHER_VAR", "byok://present/nofield")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("OTHER_VAR"), "{err}");
    assert!(err.contains("byok://present/nofield"), "{err}");
}
