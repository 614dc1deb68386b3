//! `byok adopt mcp`: MCP configs of each tool rewritten to start their servers through
//! `byok exec` with only their own keys (before/after fixtures in tests/fixtures/adopt),
//! the backup and `--undo`, the dry run, and the environment a rewritten server really gets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::{Env, byok_bin, mode, stderr, stdout};

const GITHUB: &str = "ghp_test0123456789abcdefghijklmnopqrstuv";
const BRAVE: &str = "BSAtest0123456789abcdefXYZ";
const LINEAR: &str = "lin_api_test0123456789abcdef";
const TAVILY: &str = "tvly-test-0123456789abcdefgh";
const OPENAI: &str = "sk-proj-test-0123456789abcdefghij";
const DESKTOP: &str = "sk-ant-api03-test-desktop-0123456789abcd";
const GROQ: &str = "gsk_test0123456789abcdefghijklmn";
const ALL_KEYS: &[&str] = &[GITHUB, BRAVE, LINEAR, TAVILY, OPENAI, DESKTOP, GROQ];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/adopt")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn put(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The adopted file of a fixture: its `.after` twin, with this home's path in it.
fn after(env: &Env, name: &str) -> String {
    let home = serde_json::to_string(&env.home().display().to_string()).unwrap();
    fixture(name).replace("@HOME@", &home[1..home.len() - 1])
}

fn backups(env: &Env) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(env.file("adopt-backups")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn assert_no_key(text: &str, what: &str) {
    for key in ALL_KEYS {
        assert!(!text.contains(key), "{what} shows a key:\n{text}");
    }
}

/// One tool's config: adopted as its `.after` fixture says (the keys it held gone, its
/// servers started through byok), the keys in the vault, a 0600 backup; `--undo` puts the
/// file back byte for byte.
fn round_trip(
    before: &str,
    after_name: &str,
    place: &str,
    kept: &[&str],
    imported: &[(&str, &str)],
) {
    let env = Env::init();
    let file = env.dir.path().join(place);
    let original = fixture(before);
    put(&file, &original);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = env
        .cmd(["adopt", "mcp", "--yes", "--byok", "byok"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_key(&stdout(&out), "stdout");
    assert_no_key(&stderr(&out), "stderr");
    let adopted = std::fs::read_to_string(&file).unwrap();
    assert_eq!(adopted, after(&env, after_name), "{}", stderr(&out));
    for key in ALL_KEYS.iter().filter(|k| !kept.contains(k)) {
        assert!(
            !adopted.contains(key),
            "the adopted file holds a key:\n{adopted}"
        );
    }
    for (reference, value) in imported {
        assert_eq!(env.get(reference), *value);
    }
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o640, "the file's mode is kept");
        let files = backups(&env);
        assert_eq!(files.len(), 2, "{files:?}");
        for f in &files {
            assert_eq!(mode(f), 0o600, "{}", f.display());
            let text = std::fs::read(f).unwrap();
            for key in ALL_KEYS {
                assert!(memchr::memmem::find(&text, key.as_bytes()).is_none());
            }
        }
        assert_eq!(mode(&env.file("adopt-backups")), 0o700);
    }

    // Adopting again changes nothing: no server holds a key byok can take any more.
    let out = env
        .cmd(["adopt", "mcp", "--yes", "--byok", "byok"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), adopted);

    let out = env
        .cmd(["adopt", "mcp", "--undo"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o640);
    // Nothing left to undo.
    let out = env
        .cmd(["adopt", "mcp", "--undo"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn adopt_mcp_claude_code_project_file_round_trips() {
    round_trip(
        "claude-code.mcp.json",
        "claude-code.mcp.after.json",
        "project/.mcp.json",
        &[LINEAR],
        &[
            ("github_github_personal_access_token", GITHUB),
            ("brave_brave_api_key", BRAVE),
        ],
    );
}

#[test]
fn adopt_mcp_claude_json_touches_only_its_servers() {
    round_trip(
        "claude.json",
        "claude.after.json",
        ".claude.json",
        &[],
        &[
            ("tavily_tavily_api_key", TAVILY),
            ("openai_openai_api_key", OPENAI),
        ],
    );
}

#[test]
fn adopt_mcp_claude_desktop_round_trips() {
    round_trip(
        "claude_desktop_config.json",
        "claude_desktop_config.after.json",
        ".config/Claude/claude_desktop_config.json",
        &[],
        &[("anthropic_anthropic_api_key", DESKTOP)],
    );
}

#[test]
fn adopt_mcp_cursor_round_trips_with_tabs() {
    round_trip(
        "cursor.mcp.json",
        "cursor.mcp.after.json",
        ".cursor/mcp.json",
        &[],
        &[("linear_linear_api_key", LINEAR)],
    );
}

#[test]
fn adopt_mcp_vscode_servers_round_trip() {
    round_trip(
        "vscode.mcp.json",
        "vscode.mcp.after.json",
        "project/.vscode/mcp.json",
        &[],
        &[("groq_groq_api_key", GROQ)],
    );
}

#[test]
fn adopt_mcp_codex_toml_keeps_comments_and_tables() {
    round_trip(
        "codex.config.toml",
        "codex.config.after.toml",
        ".codex/config.toml",
        &[],
        &[
            ("tavily_tavily_api_key", TAVILY),
            ("github_github_personal_access_token", GITHUB),
        ],
    );
}

/// Runs a server as its client would: its command and args from the adopted config, a
/// small environment (PATH, HOME) plus its `env`. Returns the environment the server's own
/// program saw (it is `env`, which prints it).
fn run_server(
    command: &str,
    args: &[String],
    vars: &[(String, String)],
) -> BTreeMap<String, String> {
    let out = std::process::Command::new(command)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent-home")
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(out.status.success(), "{command} {args:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn server_line(
    config: &serde_json::Value,
    name: &str,
) -> (String, Vec<String>, Vec<(String, String)>) {
    let s = &config["mcpServers"][name];
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    let env = s["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    (
        s["command"].as_str().unwrap().to_owned(),
        strings(&s["args"]),
        env,
    )
}

#[test]
fn adopt_mcp_each_server_gets_exactly_its_own_keys_and_a_shared_key_two_grants() {
    let env = Env::init();
    let file = env.dir.path().join("p/.mcp.json");
    put(
        &file,
        &format!(
            r#"{{"mcpServers": {{
  "a": {{"command": "env", "env": {{"OPENAI_API_KEY": "{OPENAI}", "A_SETTING": "1"}}}},
  "b": {{"command": "env", "env": {{"GITHUB_TOKEN": "{GITHUB}"}}}},
  "c": {{"command": "env", "env": {{"GH_TOKEN": "{GITHUB}"}}}}
}}}}"#
        ),
    );
    // The same GitHub value byok already holds: reused, not imported again.
    env.add("my_github", GITHUB, &[]);
    let out = env
        .cmd(["adopt", "mcp", "--yes"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_key(&stderr(&out), "stderr");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_no_key(&text, "the adopted file");
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();

    // No byok on PATH here: the servers start this byok by its full path.
    let (command, args, vars) = server_line(&config, "a");
    assert_eq!(Path::new(&command), byok_bin().as_path());
    assert_eq!(
        args,
        [
            "--home",
            env.home().to_str().unwrap(),
            "exec",
            "--set",
            "OPENAI_API_KEY=a_openai_api_key",
            "--",
            "env"
        ]
    );
    let seen = run_server(&command, &args, &vars);
    let names: Vec<&str> = seen.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["A_SETTING", "HOME", "OPENAI_API_KEY", "PATH"],
        "{seen:?}"
    );
    assert_eq!(seen["OPENAI_API_KEY"], OPENAI);

    // b and c share one value: each names its own variable and nothing else.
    for (name, var) in [("b", "GITHUB_TOKEN"), ("c", "GH_TOKEN")] {
        let (command, args, vars) = server_line(&config, name);
        let sets: Vec<&String> = args
            .iter()
            .zip(args.iter().skip(1))
            .filter(|(a, _)| *a == "--set")
            .map(|(_, b)| b)
            .collect();
        assert_eq!(sets, [&format!("{var}=my_github")], "{args:?}");
        assert!(vars.is_empty());
        let seen = run_server(&command, &args, &vars);
        let names: Vec<&str> = seen.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["HOME", "PATH", var]
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>(),
            "{seen:?}"
        );
        assert_eq!(seen[var], GITHUB);
        assert!(!seen.values().any(|v| v == OPENAI));
    }
    // One secret imported (a's), the shared one reused.
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    let list = stdout(&out);
    assert!(
        list.contains("a_openai_api_key") && list.contains("my_github"),
        "{list}"
    );
    assert!(
        list.contains("MCP server a: OPENAI_API_KEY"),
        "the label: {list}"
    );
    assert!(
        !list.contains("b_github_token") && !list.contains("c_gh_token"),
        "{list}"
    );
}

#[test]
fn adopt_mcp_dry_run_shows_a_masked_diff_and_writes_nothing() {
    let env = Env::init();
    let file = env.dir.path().join("project/.mcp.json");
    let original = fixture("claude-code.mcp.json");
    put(&file, &original);
    let vault = std::fs::read(env.file("vault.age")).unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (diff, status) = (stdout(&out), stderr(&out));
    assert_no_key(&diff, "the diff");
    assert_no_key(&status, "stderr");
    assert!(
        diff.contains("-        \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"***-stuv\","),
        "{diff}"
    );
    assert!(
        diff.contains(
            "+        \"GITHUB_PERSONAL_ACCESS_TOKEN=github_github_personal_access_token\","
        ),
        "{diff}"
    );
    assert!(
        status.contains("/mcpServers/docs: left as is: a remote server"),
        "{status}"
    );
    assert!(status.contains("Dry run: nothing was changed."), "{status}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault);
    assert!(backups(&env).is_empty());

    // Without a terminal and without --yes: refused, nothing written either.
    let out = env.cmd(["adopt", "mcp"]).arg(&file).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn adopt_mcp_undo_refuses_a_changed_file_unless_forced_and_keeps_it() {
    let env = Env::init();
    let file = env.dir.path().join(".cursor/mcp.json");
    let original = fixture("cursor.mcp.json");
    put(&file, &original);
    env.cmd(["adopt", "mcp", "--yes"])
        .arg(&file)
        .assert()
        .success();
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("linear-mcp", "linear-mcp@2");
    std::fs::write(&file, &edited).unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--undo"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since it was adopted"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);

    let out = env
        .cmd(["adopt", "mcp", "--undo", "--force"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Kept the content it had in"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    // The replaced content is in a backup of its own (adoption's two files, then two more).
    assert_eq!(backups(&env).len(), 4);
}

#[cfg(unix)]
#[test]
fn adopt_mcp_refuses_a_link_out_of_home_and_odd_files() {
    let env = Env::init();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("mcp.json");
    put(&target, &fixture("cursor.mcp.json"));
    let link = env.dir.path().join("project/.mcp.json");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--yes"])
        .arg(&link)
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        fixture("cursor.mcp.json")
    );

    // Too large to be a config: refused before it is read (a sparse file, no disk used).
    let big = env.dir.path().join("big/.mcp.json");
    put(&big, "");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--yes"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 64 MiB"),
        "{}",
        stderr(&out)
    );

    // Odd shapes: named by file and pointer, never a value, no panic.
    let odd = env.dir.path().join("odd/.mcp.json");
    for (text, says) in [
        (
            format!(
                r#"{{"mcpServers": {{"x": {{"command": "a", "env": {{"OPENAI_API_KEY": "{OPENAI}"}}, "env": {{"OPENAI_API_KEY": "{OPENAI}"}}}}}}}}"#
            ),
            "odd/.mcp.json: /mcpServers/x/env appears twice",
        ),
        (
            format!(
                r#"{{"mcpServers": {{"x": {{"command": 1, "args": "no", "env": {{"OPENAI_API_KEY": "{OPENAI}"}}}}}}}}"#
            ),
            "/mcpServers/x: left as is: /mcpServers/x/command is missing or not a string",
        ),
        (
            format!(
                r#"{{"mcpServers": {{"x": {{"command": "a", "args": [1], "env": {{"OPENAI_API_KEY": "{OPENAI}"}}}}}}}}"#
            ),
            "/mcpServers/x/args is not a list of strings",
        ),
        (
            "[1, 2".to_owned(),
            "odd/.mcp.json: not valid JSON at line 1",
        ),
        (
            r#"{"mcpServers": [1]}"#.to_owned(),
            "No plaintext key in the MCP servers of",
        ),
    ] {
        put(&odd, &text);
        let out = env
            .cmd(["adopt", "mcp", "--yes"])
            .arg(&odd)
            .output()
            .unwrap();
        assert!(out.status.code() != Some(101), "panic: {}", stderr(&out));
        assert_no_key(&stderr(&out), "stderr");
        assert_no_key(&stdout(&out), "stdout");
        assert!(stderr(&out).contains(says), "{says}: {}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&odd).unwrap(), text);
    }
}

/// The tiny stdio MCP server Claude Code connects to: it answers `initialize`, `ping` and
/// `tools/list`, but only when its environment is what byok should have given it (its own
/// key, not the other server's); it records what it saw.
const MCP_SERVER: &str = r#"
import json, os, sys
seen = {k: v for k, v in os.environ.items()}
var, name, expected, log = sys.argv[1:5]
mine, other = json.load(open(expected))[name]
ok = seen.get(var) == mine and other not in seen.values()
with open(log, "a") as f:
    f.write(json.dumps({"ok": ok, "names": sorted(seen)}) + "\n")
if not ok:
    sys.exit(3)
for line in sys.stdin:
    msg = json.loads(line)
    if "id" not in msg:
        continue
    method = msg.get("method")
    if method == "initialize":
        result = {"protocolVersion": msg["params"]["protocolVersion"],
                  "capabilities": {"tools": {}},
                  "serverInfo": {"name": "envcheck", "version": "1.0.0"}}
    elif method == "tools/list":
        result = {"tools": []}
    else:
        result = {}
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\n")
    sys.stdout.flush()
"#;

#[test]
fn adopt_mcp_claude_code_starts_an_adopted_server_connected() {
    let claude =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/npm-tools/node_modules/.bin/claude");
    if !claude.is_file() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("claude is not in target/npm-tools, and CI=true: .ci/run must install it");
        }
        eprintln!("\n!!! SKIPPED: claude is not in target/npm-tools (.ci/run installs it) !!!\n");
        return;
    }
    let Some(python) = crate::harness::require_tool("python3") else {
        return;
    };
    let env = Env::init();
    let home = env.dir.path();
    let script = home.join("envcheck.py");
    std::fs::write(&script, MCP_SERVER).unwrap();
    let log = home.join("envcheck.log");
    let config = home.join(".claude.json");
    // What each server must find (kept out of its arguments, which byok would refuse).
    let expected = home.join("expected.json");
    std::fs::write(
        &expected,
        serde_json::json!({"envcheck": [OPENAI, GITHUB], "other": [GITHUB, OPENAI]}).to_string(),
    )
    .unwrap();
    let server = |var: &str, name: &str, mine: &str| {
        serde_json::json!({
            "type": "stdio",
            "command": python,
            "args": [script, var, name, expected, log],
            "env": {var: mine}
        })
    };
    put(
        &config,
        &serde_json::to_string_pretty(&serde_json::json!({
            "numStartups": 1,
            "hasCompletedOnboarding": true,
            "mcpServers": {
                "envcheck": server("OPENAI_API_KEY", "envcheck", OPENAI),
                "other": server("GITHUB_TOKEN", "other", GITHUB),
            }
        }))
        .unwrap(),
    );
    env.cmd(["adopt", "mcp", "--yes", "--byok"])
        .arg(byok_bin())
        .arg(&config)
        .assert()
        .success();
    let adopted = std::fs::read_to_string(&config).unwrap();
    assert_no_key(&adopted, "the adopted ~/.claude.json");
    let parsed: serde_json::Value = serde_json::from_str(&adopted).unwrap();
    assert_eq!(
        Path::new(
            parsed["mcpServers"]["envcheck"]["command"]
                .as_str()
                .unwrap()
        ),
        byok_bin().as_path()
    );

    let project = home.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let out = env
        .program(claude.to_str().unwrap())
        .args(["mcp", "list"])
        .current_dir(&project)
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .env("DISABLE_TELEMETRY", "1")
        .env("DISABLE_AUTOUPDATER", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("envcheck:"))
        .unwrap_or_else(|| {
            panic!(
                "no envcheck in `claude mcp list`:\n{text}\n{}",
                stderr(&out)
            )
        });
    assert!(line.contains("Connected"), "{text}\n{}", stderr(&out));
    assert!(line.contains("byok"), "Claude Code runs byok: {line}");
    // The server really ran with its key (it checks, and records what it saw).
    let seen = std::fs::read_to_string(&log).unwrap();
    assert!(seen.lines().any(|l| l.contains("\"ok\": true")), "{seen}");
    assert!(!seen.lines().any(|l| l.contains("\"ok\": false")), "{seen}");
}

#[test]
fn adopt_mcp_without_file_takes_the_configs_discovery_reads() {
    let env = Env::init();
    let home = env.dir.path();
    let project = home.join("project");
    put(&home.join(".claude.json"), &fixture("claude.json"));
    put(&project.join(".mcp.json"), &fixture("claude-code.mcp.json"));
    // Unreadable, and a link in the project: each named and skipped, the others adopted.
    put(&home.join(".cursor/mcp.json"), "{\"mcpServers\": ");
    #[cfg(unix)]
    {
        put(&home.join("elsewhere.json"), &fixture("cursor.mcp.json"));
        std::fs::create_dir_all(project.join(".cursor")).unwrap();
        std::os::unix::fs::symlink(
            home.join("elsewhere.json"),
            project.join(".cursor/mcp.json"),
        )
        .unwrap();
    }
    let out = env
        .cmd(["adopt", "mcp", "--yes"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_no_key(&err, "stderr");
    assert_no_key(&stdout(&out), "stdout");
    assert!(
        err.contains(".cursor/mcp.json: not valid JSON at line 1"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("a symbolic link in the working directory, not followed"),
        "{err}"
    );
    assert!(err.contains("Adopted 2 server(s) in"), "{err}");
    for file in [home.join(".claude.json"), project.join(".mcp.json")] {
        let text = std::fs::read_to_string(&file).unwrap();
        for key in [TAVILY, OPENAI, GITHUB, BRAVE] {
            assert!(!text.contains(key), "{}:\n{text}", file.display());
        }
    }
    assert_eq!(
        std::fs::read_to_string(home.join("elsewhere.json")).unwrap(),
        fixture("cursor.mcp.json")
    );
    // --undo without FILE: the last adoption, then the one before.
    env.cmd(["adopt", "mcp", "--undo"]).assert().success();
    env.cmd(["adopt", "mcp", "--undo"]).assert().success();
    assert_eq!(
        std::fs::read_to_string(home.join(".claude.json")).unwrap(),
        fixture("claude.json")
    );
    assert_eq!(
        std::fs::read_to_string(project.join(".mcp.json")).unwrap(),
        fixture("claude-code.mcp.json")
    );
    // The adoption and the undos are in the audit log.
    let out = env.cmd(["audit", "--json"]).output().unwrap();
    let log = stdout(&out);
    assert!(
        log.contains("\"adopt\"") && log.contains("\"adopt.undo\""),
        "{log}"
    );
}

#[test]
fn adopt_mcp_asks_on_a_terminal_and_no_changes_nothing() {
    use crate::harness::{Pace, on_terminal};
    let env = Env::init();
    let file = env.dir.path().join("project/.mcp.json");
    let original = fixture("claude-code.mcp.json");
    put(&file, &original);
    let args = format!("adopt mcp '{}'", file.display());
    let out = on_terminal(&env, &args, &["n"], Pace::PROMPT);
    let screen = stdout(&out);
    assert!(
        screen.contains("Import 2 key(s) and rewrite 2 server(s) in 1 file(s) as shown?"),
        "{screen}"
    );
    assert_no_key(&screen, "the terminal");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert!(backups(&env).is_empty());
    let list = stdout(&env.cmd(["secret", "list", "--json"]).output().unwrap());
    assert!(!list.contains("github_github"), "{list}");

    let out = on_terminal(&env, &args, &["y"], Pace::PROMPT);
    let screen = stdout(&out);
    assert!(screen.contains("Adopted 2 server(s)"), "{screen}");
    assert_no_key(
        &std::fs::read_to_string(&file).unwrap().replace(LINEAR, ""),
        "the file",
    );
}

#[test]
fn adopt_mcp_codex_loads_the_adopted_config() {
    let codex =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/npm-tools/node_modules/.bin/codex");
    if !codex.is_file() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("codex is not in target/npm-tools, and CI=true: .ci/run must install it");
        }
        eprintln!("\n!!! SKIPPED: codex is not in target/npm-tools (.ci/run installs it) !!!\n");
        return;
    }
    let env = Env::init();
    let codex_home = env.dir.path().join(".codex");
    let config = codex_home.join("config.toml");
    put(&config, &fixture("codex.config.toml"));
    env.cmd(["adopt", "mcp", "--yes", "--byok", "byok"])
        .arg(&config)
        .assert()
        .success();
    // Codex refuses a file with a duplicate table or stdio keys on a remote server: it
    // loads this one, and sees each server start through byok with its own grant.
    let out = env
        .program(codex.to_str().unwrap())
        .args(["mcp", "list", "--json"])
        .env("CODEX_HOME", &codex_home)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_no_key(&text, "codex mcp list");
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    let servers: BTreeMap<&str, &serde_json::Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), &s["transport"]))
        .collect();
    for (name, grant) in [
        ("tavily", "TAVILY_API_KEY=tavily_tavily_api_key"),
        (
            "github",
            "GITHUB_PERSONAL_ACCESS_TOKEN=github_github_personal_access_token",
        ),
    ] {
        let transport = servers[name];
        assert_eq!(transport["command"], "byok", "{text}");
        let args: Vec<&str> = transport["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let sets: Vec<&str> = args
            .windows(2)
            .filter(|w| w[0] == "--set")
            .map(|w| w[1])
            .collect();
        assert_eq!(sets, [grant], "{text}");
    }
    assert_eq!(servers["docs"]["type"], "streamable_http", "{text}");
}

/// In an agent-proof home no program gets a key, so `adopt mcp` rewrites no server there:
/// each is left as is with the reason, nothing is imported and the file is unchanged.
#[test]
fn adopt_mcp_in_an_agent_proof_home_leaves_every_server_with_the_reason() {
    const PASSPHRASE: &str = "pp-test-adopt-agent-proof";
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .assert()
        .success();
    env.cmd(["proxy", "agent-proof", "on"])
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .assert()
        .success();
    let file = env.dir.path().join("project/.mcp.json");
    let original = fixture("claude-code.mcp.json");
    put(&file, &original);
    let vault = std::fs::read(env.file("vault.age")).unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--yes"])
        .arg(&file)
        .env("BYOK_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    let status = stderr(&out);
    assert_no_key(&status, "stderr");
    assert_no_key(&stdout(&out), "stdout");
    assert!(
        status.contains("/mcpServers/github: left as is: this home is agent-proof"),
        "{status}"
    );
    assert!(status.contains("--via-proxy --api"), "{status}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault);
    assert!(backups(&env).is_empty());
}

/// A backup's description is authenticated: one edited to restore the file's plaintext keys
/// somewhere else (a path and mode of the agent's choosing) restores nothing; and `--force`
/// restores a file that no longer parses, which is when undo is wanted most.
#[test]
fn adopt_mcp_undo_refuses_an_edited_description_and_forces_past_a_broken_file() {
    let env = Env::init();
    let file = env.dir.path().join("project/.mcp.json");
    let original = fixture("claude-code.mcp.json");
    put(&file, &original);
    env.cmd(["adopt", "mcp", "--yes"])
        .arg(&file)
        .assert()
        .success();
    let meta_path = backups(&env)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let elsewhere = env.dir.path().join("stolen.json");
    let forged = meta.replace(
        &serde_json::to_string(&file.display().to_string()).unwrap(),
        &serde_json::to_string(&elsewhere.display().to_string()).unwrap(),
    );
    assert_ne!(forged, meta);
    std::fs::write(&meta_path, &forged).unwrap();
    let out = env.cmd(["adopt", "mcp", "--undo"]).output().unwrap();
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("does not verify with this home's identity"),
        "{}",
        stderr(&out)
    );
    assert!(!elsewhere.exists());
    assert!(!std::fs::read_to_string(&file).unwrap().contains(GITHUB));

    // The genuine description; the file broken by hand since: --force restores it.
    std::fs::write(&meta_path, &meta).unwrap();
    std::fs::write(&file, "{ \"mcpServers\": ").unwrap();
    let out = env
        .cmd(["adopt", "mcp", "--undo"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = env
        .cmd(["adopt", "mcp", "--undo", "--force"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

/// The preview masks keys byok does not adopt too: a minified file is one changed line,
/// holding a remote server's header token and a key in another server's arguments.
#[test]
fn adopt_mcp_diff_of_a_minified_file_shows_no_key() {
    let env = Env::init();
    let file = env.dir.path().join("project/.mcp.json");
    let minified = format!(
        r#"{{"mcpServers":{{"github":{{"command":"npx","args":["-y","server-github"],"env":{{"GITHUB_PERSONAL_ACCESS_TOKEN":"{GITHUB}"}}}},"docs":{{"type":"http","url":"https://mcp.example.invalid/mcp","headers":{{"Authorization":"Bearer {LINEAR}"}}}},"tavily":{{"command":"npx","args":["tavily-mcp","--api-key","{TAVILY}"]}}}}}}"#
    );
    put(&file, &minified);
    let out = env
        .cmd(["adopt", "mcp", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("GITHUB_PERSONAL_ACCESS_TOKEN"),
        "{}",
        stdout(&out)
    );
    assert_no_key(&stdout(&out), "the diff");
    assert_no_key(&stderr(&out), "stderr");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), minified);
}

/// Undo writes the file's plaintext keys back: a home that became agent-proof since the
/// adoption refuses it, and the adopted file stays as it is.
#[test]
fn adopt_mcp_undo_is_refused_once_the_home_is_agent_proof() {
    const PASSPHRASE: &str = "pp-test-adopt-undo-agent-proof";
    let env = Env::new();
    let with_passphrase = |args: &[&str]| {
        env.cmd(args)
            .env("BYOK_PASSPHRASE", PASSPHRASE)
            .output()
            .unwrap()
    };
    assert!(with_passphrase(&["init"]).status.success());
    let file = env.dir.path().join("project/.mcp.json");
    put(&file, &fixture("claude-code.mcp.json"));
    let out = with_passphrase(&["adopt", "mcp", "--yes", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let adopted = std::fs::read_to_string(&file).unwrap();
    assert!(!adopted.contains(GITHUB));
    let out = with_passphrase(&["proxy", "agent-proof", "on"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_passphrase(&["adopt", "mcp", "--undo", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("agent"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), adopted);
}
