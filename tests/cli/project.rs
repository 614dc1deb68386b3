//! Project files (`.byok.toml`): discovery, trust, strict validation, environments, the
//! project store first in the resolution order, `byok status`, and the `openai` SDK under
//! `byok exec` in a project.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::harness::provider::{Fake, Reply, Wire};
use crate::harness::{Env, stderr, stdout};

const GLOBAL: &str = "sk-test-global-000000000000";
const PROD: &str = "sk-test-prod-0000000000000";
const CLAUDE: &str = "sk-ant-test-claude-00000000";

const PROJECT: &str = r#"
default_env = "dev"
[vars]
OPENAI_API_KEY = "byok://proj_openai"
ANTHROPIC_API_KEY = "byok://proj_claude"

[env.prod]
fallback = false
[env.prod.vars]
OPENAI_API_KEY = "byok://proj_prod_openai"

[env.staging.vars]
OPENAI_API_KEY = "byok://proj_prod_openai"
"#;

/// A home with the project's global secrets, and a project dir (below `HOME`) with `text`.
fn setup(text: &str) -> (Env, PathBuf) {
    let env = Env::init();
    env.add("proj_openai", GLOBAL, &[]);
    env.add("proj_prod_openai", PROD, &[]);
    env.add("proj_claude", CLAUDE, &[]);
    env.add(
        "other_key",
        "sk-test-other-000000000000",
        &["--provider", "openai"],
    );
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(project.join("src/deep")).unwrap();
    std::fs::write(project.join(".byok.toml"), text).unwrap();
    (env, project)
}

fn run_in(env: &Env, dir: &Path, args: &[&str]) -> std::process::Output {
    env.cmd(args).current_dir(dir).output().unwrap()
}

fn trust(env: &Env, dir: &Path) {
    let out = run_in(env, dir, &["trust", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn exported(env: &Env, dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["env", "--format", "json"]);
    let out = run_in(env, dir, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn an_untrusted_project_is_refused_without_target_and_trust_lists_grants() {
    let (env, project) = setup(PROJECT);
    let deep = project.join("src/deep");
    let out = run_in(&env, &deep, &["env"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(stderr(&out).contains("not trusted"), "{}", stderr(&out));
    assert!(stderr(&out).contains("byok trust"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing is exported");
    // exec too, and the command never runs.
    let canary = env.dir.path().join("ran");
    env.cmd(["exec", "--", "touch"])
        .arg(&canary)
        .current_dir(&deep)
        .assert()
        .code(8);
    assert!(!canary.exists());
    // With a TARGET an untrusted project is simply ignored.
    let out = run_in(&env, &deep, &["env", "other_key", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Without a terminal, trusting needs --yes; what it grants is listed first.
    let out = run_in(&env, &deep, &["trust"]);
    assert!(!out.status.success());
    let listing = stderr(&out);
    for needle in [
        "OPENAI_API_KEY = secret proj_openai",
        "env prod: OPENAI_API_KEY = secret proj_prod_openai",
        "env prod: ANTHROPIC_API_KEY = nothing",
        "--yes",
    ] {
        assert!(listing.contains(needle), "{needle}: {listing}");
    }
    trust(&env, &deep);
    let vars = exported(&env, &deep, &[]);
    assert_eq!(vars["OPENAI_API_KEY"], GLOBAL);
    assert_eq!(vars["ANTHROPIC_API_KEY"], CLAUDE);
    assert_eq!(
        vars.as_object().unwrap().len(),
        2,
        "exactly what the project declares: {vars}"
    );
    // The trust record lists the project file.
    env.cmd(["trust", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".byok.toml"));
}

#[test]
fn changed_and_moved_project_files_are_untrusted_again() {
    let (env, project) = setup(PROJECT);
    trust(&env, &project);
    assert_eq!(exported(&env, &project, &[])["OPENAI_API_KEY"], GLOBAL);
    let changed = format!("{PROJECT}\n[env.extra.vars]\nX = \"byok://proj_openai\"\n");
    std::fs::write(project.join(".byok.toml"), &changed).unwrap();
    let out = run_in(&env, &project, &["env"]);
    assert_eq!(out.status.code(), Some(8));
    assert!(
        stderr(&out).contains("changed since it was trusted"),
        "{}",
        stderr(&out)
    );
    std::fs::write(project.join(".byok.toml"), PROJECT).unwrap();
    assert_eq!(exported(&env, &project, &[])["OPENAI_API_KEY"], GLOBAL);
    // Moved: the same contents at another path are not trusted.
    let moved = env.dir.path().join("moved");
    std::fs::rename(&project, &moved).unwrap();
    assert_eq!(run_in(&env, &moved, &["env"]).status.code(), Some(8));
    // `byok untrust FILE` forgets it.
    std::fs::rename(&moved, &project).unwrap();
    env.cmd(["untrust"])
        .arg(project.join(".byok.toml"))
        .assert()
        .success();
    assert_eq!(run_in(&env, &project, &["env"]).status.code(), Some(8));
}

#[test]
fn environments_select_their_variables_and_prod_never_falls_back() {
    let (env, project) = setup(PROJECT);
    trust(&env, &project);
    // default_env = dev: no [env.dev], so [vars].
    assert_eq!(exported(&env, &project, &[])["OPENAI_API_KEY"], GLOBAL);
    // staging: its own OpenAI key, Anthropic falls back to [vars].
    let staging = exported(&env, &project, &["--env", "staging"]);
    assert_eq!(staging["OPENAI_API_KEY"], PROD);
    assert_eq!(staging["ANTHROPIC_API_KEY"], CLAUDE);
    // prod (by BYOK_ENV): fallback = false and no ANTHROPIC_API_KEY → exit 3 naming it.
    let out = env
        .cmd(["env"])
        .env("BYOK_ENV", "prod")
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ANTHROPIC_API_KEY"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("sk-"), "no key is printed");
    // --env beats BYOK_ENV.
    let out = env
        .cmd(["--env", "staging", "env", "--format", "json"])
        .env("BYOK_ENV", "prod")
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // A reference to a secret that exists nowhere: exit 3 naming the variable.
    std::fs::write(
        project.join(".byok.toml"),
        "[vars]\nOPENAI_API_KEY = \"byok://nowhere\"\n",
    )
    .unwrap();
    trust(&env, &project);
    let out = run_in(&env, &project, &["env"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("OPENAI_API_KEY"), "{}", stderr(&out));
}

#[test]
fn hostile_project_files_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    for (text, needle) in [
        (
            "[vars]\nOPENAI_API_KEY = \"byok://proj_openai\"\nOPENAI_BASE_URL = \"https://evil.example\"\n",
            "references only",
        ),
        (
            "[vars]\nOPENAI_API_KEY = \"sk-test-literal-0000000\"\n",
            "references only",
        ),
        ("store = \"/tmp/x.age\"\n", "absolute"),
        ("store = \"../x.age\"\n", "`..`"),
        (
            "[vars]\n\"NOT-A-VAR\" = \"byok://proj_openai\"\n",
            "not a variable name",
        ),
        ("[vars]\nK = \"byok://Not_A_Ref\"\n", "K"),
        ("store = \"link/team.age\"\n", "symlink"),
    ] {
        let (env, project) = setup(text);
        std::os::unix::fs::symlink(outside.path(), project.join("link")).unwrap();
        let out = run_in(&env, &project, &["trust", "--yes"]);
        assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(needle), "{text}: {err}");
        assert!(!err.contains("evil") && !err.contains("literal"), "{err}");
        env.cmd(["trust", "--list", "--json"])
            .assert()
            .success()
            .stdout("[]\n");
    }
}

#[test]
fn a_project_file_in_a_symlinked_parent_cannot_point_its_store_outside() {
    // The project is reached through a symlinked directory: the root is the real directory,
    // and a store path through another symlink out of it is refused.
    let (env, project) = setup("store = \".byok/team.age\"\n");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), project.join(".byok")).unwrap();
    let out = run_in(&env, &project, &["trust", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symlink"), "{}", stderr(&out));
}

#[test]
fn a_project_file_owned_by_another_user_is_ignored() {
    // Only root can hand a file to another user; elsewhere this is checked by the unit test
    // of the owner rule running as the file's owner.
    if !rustix_is_root() {
        eprintln!("\n!!! SKIPPED: chown needs root !!!\n");
        return;
    }
    let (env, project) = setup(PROJECT);
    let status = std::process::Command::new("chown")
        .args(["65534:65534"])
        .arg(project.join(".byok.toml"))
        .status()
        .unwrap();
    assert!(status.success());
    // Ignored: no refusal (exit 8), the ordinary no-project behaviour instead.
    let out = run_in(&env, &project, &["env", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let vars: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(vars.get("ANTHROPIC_API_KEY").is_none(), "{vars}");
    run_in(&env, &project, &["trust", "--yes"]);
    let out = run_in(&env, &project, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status["project_file"], serde_json::Value::Null);
}

fn rustix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn the_project_store_comes_first_and_status_shows_what_it_shadows() {
    let (env, project) = setup(&format!("store = \".byok/team.age\"\n{PROJECT}"));
    // Untrusted: the project store is not in the order at all.
    let out = run_in(&env, &project, &["secret", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("\"project\""), "{}", stdout(&out));
    trust(&env, &project);
    let out = env
        .cmd([
            "secret",
            "add",
            "proj_openai",
            "--stdin",
            "--store",
            "project",
        ])
        .current_dir(&project)
        .write_stdin("sk-test-project-00000000000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(project.join(".byok/team.age").exists());
    assert!(project.join(".byok/team.age.recipients").exists());
    // The project's copy shadows the global one, in the project only.
    let vars = exported(&env, &project, &[]);
    assert_eq!(vars["OPENAI_API_KEY"], "sk-test-project-00000000000");
    assert_eq!(
        env.get("proj_openai"),
        GLOBAL,
        "outside the project: global"
    );
    let out = run_in(&env, &project, &["secret", "get", "proj_openai"]);
    assert_eq!(stdout(&out).trim(), "sk-test-project-00000000000");
    // status: trusted, environment, scope/store/shadows, no values.
    let out = run_in(&env, &project, &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("sk-test"), "{}", stdout(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status["trust"], "trusted");
    assert_eq!(status["environment"], "dev");
    let openai = status["vars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["var"] == "OPENAI_API_KEY")
        .unwrap();
    assert_eq!(openai["scope"], "project");
    assert_eq!(openai["store"], "project");
    assert_eq!(openai["shadows"], serde_json::json!(["vault"]));
    let claude = status["vars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["var"] == "ANTHROPIC_API_KEY")
        .unwrap();
    assert_eq!(claude["scope"], "global");
    // The text form too.
    let out = run_in(&env, &project, &["status"]);
    assert!(stdout(&out).contains("(trusted)"), "{}", stdout(&out));
    // Outside any project.
    let out = env.cmd(["status", "--json"]).output().unwrap();
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status["project_file"], serde_json::Value::Null);
}

#[test]
fn project_connectors_are_exported_and_targets_still_work() {
    let (env, project) =
        setup("connectors = [\"work\"]\n[vars]\nANTHROPIC_API_KEY = \"byok://proj_claude\"\n");
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "other_key",
        "--base-url",
        "https://gateway.example.com/v1",
    ])
    .assert()
    .success();
    trust(&env, &project);
    let vars = exported(&env, &project, &[]);
    assert_eq!(vars["ANTHROPIC_API_KEY"], CLAUDE);
    assert_eq!(vars["OPENAI_API_KEY"], "sk-test-other-000000000000");
    assert_eq!(vars["OPENAI_BASE_URL"], "https://gateway.example.com/v1");
    // With a TARGET: only that target.
    let out = run_in(&env, &project, &["env", "proj_claude", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("OPENAI_BASE_URL"),
        "{}",
        stdout(&out)
    );
}

/// The venv with the `openai` package that .ci/run prepares.
fn openai_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-openai/bin/python");
    let works = std::process::Command::new(&python)
        .args(["-c", "import openai"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the openai SDK venv is missing and CI=true: .ci/run must create target/py-openai");
    }
    eprintln!("\n!!! SKIPPED: no target/py-openai venv with the openai package !!!\n");
    None
}

#[test]
fn the_openai_sdk_gets_the_project_key_of_the_chosen_environment() {
    let Some(python) = openai_python() else {
        return;
    };
    let fake = Fake::start(Wire::OpenAi, Some(PROD), "test-model", Reply::Success);
    let (env, project) = setup(
        "connectors = [\"fake\"]\n[vars]\nOPENAI_API_KEY = \"byok://proj_openai\"\n\
         [env.prod.vars]\nOPENAI_API_KEY = \"byok://proj_prod_openai\"\n",
    );
    // The base URL comes from a connector (a project file cannot hold one); the project's
    // declared OPENAI_API_KEY wins over the connector's own key.
    env.cmd([
        "connector",
        "add",
        "fake",
        "--type",
        "openai",
        "--secret",
        "other_key",
        "--base-url",
        &fake.base_url(),
    ])
    .assert()
    .success();
    trust(&env, &project);
    let script = r#"
from openai import OpenAI
client = OpenAI(max_retries=0)
reply = client.chat.completions.create(
    model="test-model",
    messages=[{"role": "user", "content": "Reply with 'ok'"}],
    max_tokens=5,
)
print(reply.choices[0].message.content)
"#;
    let out = env
        .cmd(["--env", "prod", "exec", "--"])
        .arg(&python)
        .args(["-c", script])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "ok");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {PROD}").as_str())
    );
}

/// `eval "$(byok hook SHELL)"`, cd into the trusted project and out again: exported inside,
/// the shadowed value restored (and the unset one unset) outside.
fn hook_round_trip(shell: &str, after_cd: &str) {
    let Some(program) = crate::harness::require_tool(shell) else {
        return;
    };
    let (env, project) = setup(
        "[vars]\nOPENAI_API_KEY = \"byok://proj_openai\"\nANTHROPIC_API_KEY = \"byok://proj_claude\"\n",
    );
    trust(&env, &project);
    let bin_dir = crate::harness::byok_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!(
        "export OPENAI_API_KEY=sk-test-shadowed-0000000\n\
         eval \"$(byok hook {shell})\"\n\
         cd proj/src{after_cd}\n\
         echo \"in:$OPENAI_API_KEY:${{ANTHROPIC_API_KEY-unset}}\"\n\
         cd ../..{after_cd}\n\
         echo \"out:$OPENAI_API_KEY:${{ANTHROPIC_API_KEY-unset}}\"\n\
         cd proj/src/deep{after_cd}\n\
         echo \"again:$OPENAI_API_KEY\"\n"
    );
    let out = env
        .program(program.to_str().unwrap())
        .env("PATH", path)
        .current_dir(env.dir.path())
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("in:{GLOBAL}:{CLAUDE}\nout:sk-test-shadowed-0000000:unset\nagain:{GLOBAL}\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_bash_hook_exports_on_cd_in_and_restores_on_cd_out() {
    // bash runs PROMPT_COMMAND only interactively: the test calls the hook as a prompt would.
    hook_round_trip("bash", "; _byok_hook");
}

#[test]
fn the_zsh_hook_exports_on_cd_in_and_restores_on_cd_out() {
    // zsh runs chpwd hooks on every cd, scripts included.
    hook_round_trip("zsh", "");
}

#[test]
fn the_hook_exports_nothing_from_an_untrusted_project() {
    let (env, project) = setup(PROJECT);
    let out = env
        .cmd(["hook", "bash", "--apply"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("sk-"), "{}", stdout(&out));
    assert!(stderr(&out).contains("byok trust"), "{}", stderr(&out));
}

#[test]
fn the_fish_hook_exports_on_cd_in_and_restores_on_cd_out() {
    let Some(fish) = crate::harness::require_tool("fish") else {
        return;
    };
    let (env, project) = setup(
        "[vars]\nOPENAI_API_KEY = \"byok://proj_openai\"\nANTHROPIC_API_KEY = \"byok://proj_claude\"\n",
    );
    trust(&env, &project);
    let bin_dir = crate::harness::byok_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = "set -gx OPENAI_API_KEY sk-test-shadowed-0000000\n\
         byok hook fish | source\n\
         cd proj/src\n\
         echo \"in:$OPENAI_API_KEY:$ANTHROPIC_API_KEY\"\n\
         cd ../..\n\
         echo \"out:$OPENAI_API_KEY:\"(set -q ANTHROPIC_API_KEY; and echo set; or echo unset)\n";
    let out = env
        .program(fish.to_str().unwrap())
        .env("PATH", path)
        .current_dir(env.dir.path())
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("in:{GLOBAL}:{CLAUDE}\nout:sk-test-shadowed-0000000:unset\n"),
        "{}",
        stderr(&out)
    );
}

/// Rewrites the project store the way a hostile commit can: decrypted with this member's
/// identity, changed, and sealed again with the `age` CLI to the committed recipients (age
/// does not say who encrypted a file).
fn forge_store(env: &Env, project: &Path, age: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let store = project.join(".byok/team.age");
    let plain = std::process::Command::new(age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(&store)
        .output()
        .unwrap();
    assert!(plain.status.success());
    let mut doc: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    change(&mut doc["secrets"]);
    let forged = project.join("forged.age");
    let recipients = project.join(".byok/team.age.recipients");
    crate::harness::age_seal(
        age,
        &["-R".as_ref(), recipients.as_os_str()],
        doc.to_string().as_bytes(),
        &forged,
    );
    std::fs::rename(forged, store).unwrap();
}

fn secret(value: &str) -> serde_json::Value {
    serde_json::json!({
        "label": "x",
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "rotated": "2026-01-01T00:00:00Z",
        "fields": { "api_key": value }
    })
}

/// The review's attack: a commit replaces the trusted project's store with one sealed to
/// the committed recipients. Re-pointing the base URL, removing the project's key (so the
/// user's own key of that name is exported next to the attacker's URL) and adding a ref
/// are each refused (exit 8) with the change named, and nothing is exported; `byok trust`
/// shows the same diff and trusts the store as it is. A rotated key needs no review.
#[test]
fn a_forged_project_store_is_refused_until_trusted_again() {
    let Some(age) = crate::harness::require_tool("age") else {
        return;
    };
    let (env, project) = setup(
        "store = \".byok/team.age\"\n[vars]\nOPENAI_API_KEY = \"byok://proj_openai\"\nOPENAI_BASE_URL = \"byok://proj_url\"\n",
    );
    trust(&env, &project);
    for (name, value) in [
        ("proj_openai", "sk-test-project-00000000000"),
        ("proj_url", "http://127.0.0.1:9/v1"),
    ] {
        env.cmd(["secret", "add", name, "--stdin", "--store", "project"])
            .current_dir(&project)
            .write_stdin(value)
            .assert()
            .success();
    }
    assert_eq!(
        exported(&env, &project, &[])["OPENAI_API_KEY"],
        "sk-test-project-00000000000"
    );

    // A teammate rotates the project key: no review needed.
    forge_store(&env, &project, &age, |secrets| {
        secrets["proj_openai"] = secret("sk-test-project-rotated-0000");
    });
    assert_eq!(
        exported(&env, &project, &[])["OPENAI_API_KEY"],
        "sk-test-project-rotated-0000"
    );

    // The attack: the project key removed (the global proj_openai would be exported) and
    // the base URL re-pointed at the attacker.
    forge_store(&env, &project, &age, |secrets| {
        secrets.as_object_mut().unwrap().remove("proj_openai");
        secrets["proj_url"] = secret("http://127.0.0.1:28099/v1");
    });
    let out = run_in(&env, &project, &["env", "--format", "json"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty(),
        "nothing exported: {}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("- proj_openai (removed)"), "{err}");
    assert!(err.contains("~ proj_url/api_key (re-pointed"), "{err}");
    assert!(!err.contains("28099"), "values are never printed: {err}");
    // Every other way in is closed too.
    let out = run_in(&env, &project, &["secret", "get", "proj_url"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let out = run_in(&env, &project, &["exec", "--", "true"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(!stdout(&run_in(&env, &project, &["trust", "--list"])).is_empty());

    // `byok trust` shows the same changes, then trusts the store as it is now.
    let out = run_in(&env, &project, &["trust", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("- proj_openai (removed)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("~ proj_url/api_key"),
        "{}",
        stderr(&out)
    );
    let vars = exported(&env, &project, &[]);
    assert_eq!(vars["OPENAI_BASE_URL"], "http://127.0.0.1:28099/v1");
    assert_eq!(vars["OPENAI_API_KEY"], GLOBAL);

    // An added ref is a change too.
    forge_store(&env, &project, &age, |secrets| {
        secrets["proj_extra"] = secret("sk-test-extra-000000000000");
    });
    let out = run_in(&env, &project, &["env", "--format", "json"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("+ proj_extra (added)"),
        "{}",
        stderr(&out)
    );
}

/// A project store never shadows a name the user holds in their own stores unless
/// `.byok.toml` names it: the review swapped a connector's key (a name the project file
/// does not list) for the attacker's this way.
#[test]
fn a_project_store_never_shadows_a_name_the_project_file_does_not_list() {
    let (env, project) = setup(&format!("store = \".byok/team.age\"\n{PROJECT}"));
    trust(&env, &project);
    for (name, value) in [
        ("proj_openai", "sk-test-project-00000000000"),
        ("other_key", "sk-test-attacker-000000000000"),
    ] {
        env.cmd(["secret", "add", name, "--stdin", "--store", "project"])
            .current_dir(&project)
            .write_stdin(value)
            .assert()
            .success();
    }
    // Listed: the project's copy wins.
    let out = run_in(&env, &project, &["secret", "get", "proj_openai"]);
    assert_eq!(stdout(&out).trim(), "sk-test-project-00000000000");
    // Not listed, and the user holds it: the user's own.
    let out = run_in(&env, &project, &["secret", "get", "other_key"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "sk-test-other-000000000000");
    let out = run_in(&env, &project, &["env", "other_key", "--format", "json"]);
    assert!(
        stdout(&out).contains("sk-test-other-000000000000"),
        "{}",
        stdout(&out)
    );
    // The listing agrees: the project's copy is the shadowed one.
    let out = run_in(&env, &project, &["secret", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let other: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ref"] == "other_key")
        .map(|r| {
            (
                r["store"].as_str().unwrap().to_owned(),
                r["shadowed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(other.contains(&("project".to_owned(), true)), "{other:?}");
    assert!(other.contains(&("vault".to_owned(), false)), "{other:?}");
    // Asked for by store, it is still there.
    let out = run_in(
        &env,
        &project,
        &["secret", "get", "other_key", "--store", "project"],
    );
    assert_eq!(stdout(&out).trim(), "sk-test-attacker-000000000000");
}

/// The review's finding: `byok trust --list` panicked (exit 134) on a `trusted.json` digest
/// shorter than 16 characters. Every entry is checked when the record is read: a clear
/// error naming the file and the entry, exit 7, nothing changed.
#[test]
fn trust_list_on_a_short_digest_in_trusted_json_is_an_error_not_a_panic() {
    let env = Env::init();
    for (digest, path) in [("ab", "/x/.env"), (&"a".repeat(64)[..], "relative/.env")] {
        let record = format!(
            "{{\"format\": 1, \"files\": [{{\"path\": \"{path}\", \"sha256\": \"{digest}\", \"trusted\": \"t\"}}]}}\n"
        );
        std::fs::write(env.file("trusted.json"), &record).unwrap();
        for args in [
            &["trust", "--list"][..],
            &["untrust"],
            &["trust", "--list", "--json"],
        ] {
            let out = env.cmd(args).output().unwrap();
            assert_eq!(out.status.code(), Some(7), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("trusted.json"), "{}", stderr(&out));
            assert!(stderr(&out).contains("entry 1"), "{}", stderr(&out));
        }
        assert_eq!(
            std::fs::read_to_string(env.file("trusted.json")).unwrap(),
            record
        );
    }
}
