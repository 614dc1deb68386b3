//! `byok scan`, the pre-commit hook, `import discover` and `--remove-source`, in temporary
//! git repositories and homes. Every test checks that no stored value reaches stdout, stderr,
//! the JSON, or any file byok writes.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::harness::{Env, require_tool, stderr, stdout};

// Fake keys are built from short parts at run time: no key-shaped literal sits in the source
// (secret scanners, this repository's own hooks included, would flag one).

/// A stored Anthropic-shaped test key (its prefix `sk-ant-api03-` is shared by every key).
static CLAUDE: LazyLock<String> = LazyLock::new(claude);
/// A stored key whose shape no rule knows (no catalog prefix, assigned to no key-ish name).
static ODD: LazyLock<String> = LazyLock::new(odd);

fn claude() -> String {
    format!(
        "sk-ant-api03-test-{}",
        parts(&[
            "Zq8L", "r2Vt", "7Wm4", "Kd9H", "s1Jc", "6Pb3", "Nf5G", "x0Ya"
        ])
    )
}

fn odd() -> String {
    parts(&[
        "w9Qm", "2Xr7", "Lp4V", "n8Kt", "3Hs6", "Jd1F", "b5Gc", "0Zy",
    ])
}

/// An OpenAI-shaped key byok does not hold.
fn unheld() -> String {
    format!(
        "sk-proj-{}",
        parts(&[
            "Hq3L", "m8Rt", "2Vx6", "Kc1W", "z9Pb", "4Nd7", "Fs0G", "y5Ja"
        ])
    )
}

/// A high-entropy token byok does not hold.
fn unheld_token() -> String {
    parts(&["Ab3d", "E5fG", "7hJ9", "kL1m", "N3pQ", "5rS7"])
}

fn parts(p: &[&str]) -> String {
    p.concat()
}

/// An initialised home holding CLAUDE and ODD, and a project directory.
fn setup() -> (Env, PathBuf) {
    let env = Env::init();
    env.add("claude", &CLAUDE, &["--provider", "anthropic"]);
    env.add("odd", &ODD, &[]);
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    (env, project)
}

fn git(env: &Env, dir: &Path, args: &[&str]) -> std::process::Output {
    env.program("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn git_ok(env: &Env, dir: &Path, args: &[&str]) {
    let out = git(env, dir, args);
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// Asserts that no stored value (nor its body) is in `text`.
fn no_values(text: &str) {
    for value in [CLAUDE.as_str(), ODD.as_str()] {
        assert!(!text.contains(value), "a value leaked:\n{text}");
        assert!(!text.contains(&value[14..26]), "a fragment leaked:\n{text}");
    }
}

fn scan(env: &Env, dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = env
        .cmd(["scan"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let (o, e) = (stdout(&out), stderr(&out));
    no_values(&o);
    no_values(&e);
    (out.status.code(), o, e)
}

/// Every file under `dir` except those listed: none may hold a value in plaintext.
fn no_value_in_files(dir: &Path, except: &[PathBuf]) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            } else if path.is_file() && !except.contains(&path) {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(CLAUDE.as_str()) && !text.contains(ODD.as_str()),
                    "{} holds a value",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn stored_values_and_fragments_in_a_tree_are_found_and_never_printed() {
    let (env, project) = setup();
    std::fs::create_dir_all(project.join("src")).unwrap();
    let planted = project.join("src/config.py");
    std::fs::write(&planted, format!("# settings\nKEY = \"{}\"\n", *CLAUDE)).unwrap();
    // 14 characters from the middle of ODD's body, in a log line.
    let fragment = project.join("debug.log");
    std::fs::write(
        &fragment,
        format!("line one\nauth with …{}… failed\n", &ODD[9..23]),
    )
    .unwrap();

    let (code, out, err) = scan(&env, &project, &[]);
    assert_eq!(code, Some(9), "{err}");
    assert!(
        out.contains("src/config.py:2:8: the stored value of claude.api_key"),
        "{out}"
    );
    assert!(
        out.contains("debug.log:2:12: a 14-character fragment of the stored value of odd.api_key"),
        "{out}"
    );
    assert!(err.contains("found 2 stored value(s)"), "{err}");

    let (code, json, _) = scan(&env, &project, &["--json"]);
    assert_eq!(code, Some(9));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{json}");
    let config = list.iter().find(|f| f["path"] == "src/config.py").unwrap();
    assert_eq!(config["ref"], "claude");
    assert_eq!(config["match"], "value");
    assert_eq!(
        (config["line"].as_u64(), config["column"].as_u64()),
        (Some(2), Some(8))
    );
    let log = list.iter().find(|f| f["path"] == "debug.log").unwrap();
    assert_eq!(log["match"], "fragment");
    assert_eq!(log["length"], 14);

    // Paths on the command line, and nothing written anywhere.
    let (code, out, _) = scan(&env, &project, &["src"]);
    assert_eq!(code, Some(9));
    assert!(out.starts_with("src/config.py:2:8:"), "{out}");
    no_value_in_files(env.dir.path(), &[planted, fragment]);
}

#[test]
fn a_bare_prefix_or_a_short_piece_is_not_a_finding_and_a_clean_tree_exits_0() {
    let (env, project) = setup();
    std::fs::write(
        project.join("notes.md"),
        format!(
            "Anthropic keys start with sk-ant-api03- and look like sk-ant-api03-…\n\
             eleven body characters: {}\n",
            &CLAUDE[13..24]
        ),
    )
    .unwrap();
    let (code, out, err) = scan(&env, &project, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("Nothing found."), "{err}");
    assert!(err.contains("against 2 stored value(s)"), "{err}");
    let (code, json, _) = scan(&env, &project, &["--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(json.trim(), "[]");
}

#[test]
fn key_shapes_are_reported_as_such() {
    let (env, project) = setup();
    let (unheld, token) = (unheld(), unheld_token());
    std::fs::write(
        project.join(".env.example"),
        format!("OPENAI_API_KEY={unheld}\nSERVICE_TOKEN=\"{token}\"\nPLACEHOLDER_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxx\n"),
    )
    .unwrap();
    let (code, out, _) = scan(&env, &project, &[]);
    assert_eq!(code, Some(9));
    assert!(
        out.contains(
            ".env.example:1:16: key-shaped (prefix sk-proj-, openai); not a value byok holds"
        ),
        "{out}"
    );
    assert!(
        out.contains(".env.example:2:16: key-shaped (high-entropy value of SERVICE_TOKEN)"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        !out.contains(&unheld[8..20]) && !out.contains(&token[..9]),
        "{out}"
    );
    // --values-only ignores shapes.
    let (code, _, _) = scan(&env, &project, &["--values-only"]);
    assert_eq!(code, Some(0));
}

#[test]
fn history_finds_a_value_removed_in_a_later_commit() {
    if require_tool("git").is_none() {
        return;
    }
    let (env, project) = setup();
    git_ok(&env, &project, &["init", "-q"]);
    std::fs::write(project.join("README"), "hello\n").unwrap();
    git_ok(&env, &project, &["add", "."]);
    git_ok(&env, &project, &["commit", "-qm", "first"]);
    std::fs::write(project.join("old.env"), format!("A=1\nODD={}\n", *ODD)).unwrap();
    git_ok(&env, &project, &["add", "."]);
    git_ok(&env, &project, &["commit", "-qm", "the leak"]);
    let leak = String::from_utf8(git(&env, &project, &["rev-parse", "HEAD"]).stdout).unwrap();
    git_ok(&env, &project, &["rm", "-q", "old.env"]);
    git_ok(&env, &project, &["commit", "-qm", "removed"]);
    // A branch with the same blob again: it is read once, reported once.
    git_ok(&env, &project, &["checkout", "-qb", "side", "HEAD~1"]);
    git_ok(&env, &project, &["checkout", "-q", "main"]);

    let (code, _, _) = scan(&env, &project, &[]);
    assert_eq!(code, Some(0), "the worktree is clean");
    let (code, out, err) = scan(&env, &project, &["--git"]);
    assert_eq!(code, Some(9), "{err}");
    assert_eq!(
        out.trim(),
        format!(
            "{}:old.env:2:5: the stored value of odd.api_key",
            &leak.trim()[..12]
        )
    );
    let (code, json, _) = scan(&env, &project, &["--git", "--json"]);
    assert_eq!(code, Some(9));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list[0]["commit"], leak.trim());
    assert_eq!(list[0]["source"], "history");
    // A range without the leak.
    let (code, _, err) = scan(&env, &project, &["--git=HEAD~1..HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    // A range cannot smuggle an option in.
    let (code, _, err) = scan(&env, &project, &["--git=--output=/tmp/x"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot start with '-'"), "{err}");
}

#[test]
fn the_pre_commit_hook_refuses_a_staged_value() {
    if require_tool("git").is_none() {
        return;
    }
    let (env, project) = setup();
    git_ok(&env, &project, &["init", "-q"]);
    // An existing shell hook keeps working: it runs after the scan.
    let hook = project.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho mine-ran >> \"$(git rev-parse --git-dir)/ran\"\nexit 0\n",
    )
    .unwrap();
    let out = env
        .cmd(["scan", "--install-hook"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("existing pre-commit hook"),
        "{}",
        stderr(&out)
    );
    // Installing again replaces byok's block instead of adding a second one.
    let out = env
        .cmd(["scan", "--install-hook"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&hook).unwrap();
    assert_eq!(text.matches(">>> byok scan --staged").count(), 1, "{text}");
    assert!(text.contains("echo mine-ran"));

    std::fs::write(project.join("ok.txt"), "nothing secret\n").unwrap();
    git_ok(&env, &project, &["add", "ok.txt"]);
    git_ok(&env, &project, &["commit", "-qm", "clean"]);
    assert!(project.join(".git/ran").exists(), "the previous hook ran");

    std::fs::write(project.join("app.cfg"), format!("[x]\nk = {}\n", *CLAUDE)).unwrap();
    git_ok(&env, &project, &["add", "app.cfg"]);
    let (code, out, _) = scan(&env, &project, &["--staged"]);
    assert_eq!(code, Some(9));
    assert!(
        out.contains("(staged) app.cfg:2:5: the stored value of claude.api_key"),
        "{out}"
    );
    let out = git(&env, &project, &["commit", "-qm", "leak"]);
    assert!(!out.status.success(), "the commit went through");
    let err = stderr(&out);
    no_values(&err);
    no_values(&stdout(&out));
    assert!(
        err.contains("app.cfg:2:5: the stored value of claude.api_key"),
        "{err}"
    );
    let log = git(&env, &project, &["log", "--oneline"]);
    assert_eq!(
        stdout(&log).lines().count(),
        1,
        "only the clean commit exists"
    );
}

#[test]
fn a_locked_vault_without_a_terminal_falls_back_to_shapes_and_says_so() {
    if require_tool("git").is_none() {
        return;
    }
    let unheld = unheld();
    let env = Env::new();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE", "pw-test-passphrase")
        .assert()
        .success();
    env.cmd(["secret", "add", "claude", "--stdin"])
        .env("BYOK_PASSPHRASE", "pw-test-passphrase")
        .write_stdin(ODD.as_str())
        .assert()
        .success();
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    git_ok(&env, &project, &["init", "-q"]);
    let out = env
        .cmd(["scan", "--install-hook"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(
        project.join("a.txt"),
        format!("v={}\nOPENAI_API_KEY={unheld}\n", *ODD),
    )
    .unwrap();
    git_ok(&env, &project, &["add", "."]);
    // No terminal, no passphrase: the hook scans shapes only (finding the sk-proj- key) and
    // says the stored values were not checked. Git's stdin is not a terminal here.
    let out = git(&env, &project, &["commit", "-qm", "x"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("vault is locked"), "{err}");
    assert!(err.contains("stored values were NOT checked"), "{err}");
    assert!(
        err.contains("key-shaped (prefix sk-proj-, openai)"),
        "{err}"
    );
    assert!(!err.contains("not a value byok holds"), "{err}");
    // Unlocked, the stored value is found too.
    let out = env
        .cmd(["scan", "--staged"])
        .env("BYOK_PASSPHRASE", "pw-test-passphrase")
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(stdout(&out).contains("a.txt:1:3: the stored value of claude.api_key"));
}

/// Writes `text` to `path`, creating its directory.
fn put(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn discovery_finds_each_tools_file_and_masks_the_values() {
    let (env, project) = setup();
    let home = env.dir.path();
    let llm_dir = home.join("llm-user");
    let key = |n: u32| format!("sk-test-discover{n:02}-abcdefghijkl");
    put(
        &llm_dir.join("keys.json"),
        &format!(
            "{{\n  \"// Note\": \"secret\",\n  \"openai\": \"{}\"\n}}\n",
            key(1)
        ),
    );
    put(
        &home.join("xdg/aichat/config.yaml"),
        &format!(
            "model: openai\nclients:\n  - type: claude\n    api_key: {}\n",
            key(2)
        ),
    );
    put(
        &home.join(".local/share/opencode/auth.json"),
        &format!(
            "{{\n  \"anthropic\": {{\"type\": \"oauth\", \"access\": \"x\", \"refresh\": \"y\"}},\n  \"openai\": {{\"type\": \"api\", \"key\": \"{}\"}}\n}}\n",
            key(3)
        ),
    );
    put(
        &home.join(".aider.conf.yml"),
        &format!("model: sonnet\nanthropic-api-key: {}\n", key(4)),
    );
    put(
        &home.join(".continue/config.yaml"),
        &format!(
            "name: cfg\nmodels:\n  - name: GPT\n    provider: openai\n    apiKey: {}\n",
            key(5)
        ),
    );
    put(
        &home.join(".continue/config.json"),
        &format!(
            "{{\"models\": [{{\"title\": \"Mistral\", \"provider\": \"mistral\", \"apiKey\": \"{}\"}}]}}\n",
            key(6)
        ),
    );
    put(
        &home.join(".codex/auth.json"),
        &format!("{{\"OPENAI_API_KEY\": \"{}\", \"tokens\": null}}\n", key(7)),
    );
    put(
        &home.join(".netrc"),
        &format!(
            "machine github.com login me password gh-test\nmachine api.groq.com login me password {}\n",
            key(8)
        ),
    );
    put(
        &project.join(".env.local"),
        &format!("DEBUG=1\nDEEPSEEK_API_KEY={}\n", key(9)),
    );
    put(
        &home.join(".bashrc"),
        &format!(
            "alias ll='ls -l'\nexport XAI_API_KEY=\"{}\"\nexport OPENAI_API_KEY=\"$(byok secret get x)\"\n",
            key(10)
        ),
    );
    // A key byok holds already.
    put(
        &home.join(".zshrc"),
        &format!("export ANTHROPIC_API_KEY={}\n", *CLAUDE),
    );

    let out = env
        .cmd(["import", "discover", "--json"])
        .env("LLM_USER_PATH", &llm_dir)
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    no_values(&text);
    for n in 1..=10 {
        assert!(!text.contains(&key(n)), "key {n} unmasked: {text}");
    }
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows: Vec<(String, u64, String, String, String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let path = path
                .strip_prefix(home.to_str().unwrap())
                .unwrap_or(path)
                .to_owned();
            (
                path,
                r["line"].as_u64().unwrap(),
                r["tool"].as_str().unwrap().to_owned(),
                r["provider"].as_str().unwrap_or("-").to_owned(),
                r["value"].as_str().unwrap().to_owned(),
                r["import"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = [
        ("/llm-user/keys.json", 3, "llm", "openai", "byok import llm"),
        (
            "/xdg/aichat/config.yaml",
            4,
            "aichat",
            "anthropic",
            "byok import aichat",
        ),
        (
            "/.local/share/opencode/auth.json",
            3,
            "opencode",
            "openai",
            "byok import discover --path",
        ),
        (
            "/.codex/auth.json",
            1,
            "codex",
            "openai",
            "byok import discover --path",
        ),
        (
            "/.aider.conf.yml",
            2,
            "aider",
            "anthropic",
            "byok import discover --path",
        ),
        (
            "/.continue/config.yaml",
            5,
            "continue",
            "openai",
            "byok import discover --path",
        ),
        (
            "/.continue/config.json",
            1,
            "continue",
            "mistral",
            "byok import discover --path",
        ),
        ("/.netrc", 2, "netrc", "groq", "byok import discover --path"),
        (
            "/.bashrc",
            2,
            "shell rc",
            "xai",
            "byok import discover --path",
        ),
        (
            "/.zshrc",
            1,
            "shell rc",
            "anthropic",
            "byok import discover --path",
        ),
        (
            "/project/.env.local",
            2,
            "dotenv",
            "deepseek",
            "byok import dotenv",
        ),
    ];
    assert_eq!(rows.len(), expect.len(), "{text}");
    for (path, line, tool, provider, import) in expect {
        let row = rows
            .iter()
            .find(|r| r.0 == path)
            .unwrap_or_else(|| panic!("{path} not found in {text}"));
        assert_eq!(
            (row.1, row.2.as_str(), row.3.as_str()),
            (line, tool, provider),
            "{path}"
        );
        assert!(row.4.contains("***"), "{path}: {}", row.4);
        assert!(row.5.starts_with(import), "{path}: {}", row.5);
    }
    let zshrc = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(".zshrc"))
        .unwrap();
    assert_eq!(zshrc["in_byok"], true);
    assert_eq!(zshrc["held_by"], "claude");
    let bashrc = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(".bashrc"))
        .unwrap();
    assert_eq!(bashrc["in_byok"], false);

    // doctor shows the same, as warnings (doctor itself still succeeds).
    let out = env
        .cmd(["doctor", "--json"])
        .env("LLM_USER_PATH", &llm_dir)
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .current_dir(&project)
        .output()
        .unwrap();
    let text = stdout(&out);
    no_values(&text);
    let checks: serde_json::Value = serde_json::from_str(&text).unwrap();
    let plaintext: Vec<&serde_json::Value> = checks
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["check"] == "plaintext key")
        .collect();
    assert_eq!(plaintext.len(), expect.len(), "{text}");
    assert!(plaintext.iter().all(|c| c["status"] == "warn"));
    assert!(
        plaintext.iter().any(|c| c["detail"]
            .as_str()
            .unwrap()
            .contains("byok holds it as claude")),
        "{text}"
    );
}

#[test]
fn remove_source_takes_out_exactly_the_imported_lines_through_a_symlink() {
    let (env, _) = setup();
    let home = env.dir.path();
    let dotfiles = home.join("dotfiles");
    let real = dotfiles.join("bashrc");
    let before = "# my rc\nexport PATH=\"$HOME/bin:$PATH\"\nexport GROQ_API_KEY=gsk_test_rmsource0123456789abc\nalias ll='ls -l'\nexport OPENAI_API_KEY='sk-test-rmsource0123456789abc'\n";
    put(&real, before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let link = home.join(".bashrc");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &link).unwrap();
    #[cfg(not(unix))]
    return;

    // Without a terminal and without --yes nothing happens.
    let out = env
        .cmd(["import", "discover", "--path"])
        .arg(&link)
        .arg("--remove-source")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), before);
    // A dry run names the lines.
    let out = env
        .cmd([
            "import",
            "discover",
            "--dry-run",
            "--remove-source",
            "--path",
        ])
        .arg(&link)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("would remove line(s) 3, 5"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), before);

    let out = env
        .cmd(["import", "discover", "--yes", "--remove-source", "--path"])
        .arg(&link)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("rmsource0123"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "# my rc\nexport PATH=\"$HOME/bin:$PATH\"\nalias ll='ls -l'\n"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    #[cfg(unix)]
    assert_eq!(crate::harness::mode(&real), 0o640);
    // No backup or temp file beside it.
    let names: Vec<_> = std::fs::read_dir(&dotfiles)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["bashrc"]);
    assert_eq!(env.get("groq_api_key"), "gsk_test_rmsource0123456789abc");
    assert_eq!(env.get("openai_api_key"), "sk-test-rmsource0123456789abc");
}

#[test]
fn remove_source_keeps_a_json_file_valid() {
    let env = Env::init();
    let keys = env.dir.path().join("keys.json");
    put(
        &keys,
        "{\n    \"// Note\": \"This file stores secret API credentials. Do not share!\",\n    \"openai\": \"sk-test-json0123456789abcdef\"\n}\n",
    );
    let out = env
        .cmd(["import", "llm", "--yes", "--remove-source"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read_to_string(&keys).unwrap();
    assert_eq!(
        after,
        "{\n    \"// Note\": \"This file stores secret API credentials. Do not share!\"\n}\n"
    );
    serde_json::from_str::<serde_json::Value>(&after).unwrap();
    assert_eq!(env.get("openai"), "sk-test-json0123456789abcdef");
}

#[test]
fn remove_source_needs_a_file() {
    let env = Env::init();
    let out = env
        .cmd(["import", "env", "--remove-source", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore_and_hidden_files_are_scanned() {
    let (env, project) = setup();
    std::fs::create_dir_all(project.join("build")).unwrap();
    std::fs::create_dir_all(project.join(".git")).unwrap();
    std::fs::write(project.join(".gitignore"), "build/\n*.log\n").unwrap();
    std::fs::write(project.join("build/out.txt"), format!("k={}\n", *CLAUDE)).unwrap();
    std::fs::write(project.join("debug.log"), format!("k={}\n", *ODD)).unwrap();
    // Hidden files are scanned; `.git` is not (history is read by --git).
    std::fs::write(project.join(".env"), format!("ODD={}\n", *ODD)).unwrap();
    std::fs::write(project.join(".git/config"), format!("k={}\n", *ODD)).unwrap();

    let (code, out, err) = scan(&env, &project, &[]);
    assert_eq!(code, Some(9), "{err}");
    assert_eq!(
        out.trim(),
        ".env:1:5: the stored value of odd.api_key",
        "{err}"
    );
    assert!(err.contains("Scanned 2 file(s)"), "{err}");

    let (code, out, err) = scan(&env, &project, &["--no-ignore"]);
    assert_eq!(code, Some(9), "{err}");
    assert!(
        out.contains("build/out.txt:1:3: the stored value of claude.api_key"),
        "{out}"
    );
    assert!(
        out.contains("debug.log:1:3: the stored value of odd.api_key"),
        "{out}"
    );
    assert!(!out.contains(".git/"), "{out}");
    assert_eq!(out.lines().count(), 3, "{out}");

    // A path named on the command line is scanned even when ignored.
    let (code, out, _) = scan(&env, &project, &["debug.log"]);
    assert_eq!(code, Some(9));
    assert!(out.contains("debug.log:1:3"), "{out}");

    // --no-ignore has no meaning for history.
    let (code, _, err) = scan(&env, &project, &["--git", "--no-ignore"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_committed_file_that_gitignore_names_is_still_found_by_git_history() {
    if require_tool("git").is_none() {
        return;
    }
    let (env, project) = setup();
    git_ok(&env, &project, &["init", "-q"]);
    std::fs::write(project.join(".gitignore"), "secrets.env\n").unwrap();
    std::fs::write(project.join("secrets.env"), format!("K={}\n", *CLAUDE)).unwrap();
    git_ok(&env, &project, &["add", ".gitignore"]);
    git_ok(&env, &project, &["add", "-f", "secrets.env"]);
    git_ok(&env, &project, &["commit", "-qm", "oops"]);

    let (code, out, err) = scan(&env, &project, &[]);
    assert_eq!(code, Some(0), "ignored in the worktree: {out}{err}");
    let (code, out, err) = scan(&env, &project, &["--git"]);
    assert_eq!(code, Some(9), "{err}");
    assert!(
        out.contains(":secrets.env:1:3: the stored value of claude.api_key"),
        "{out}"
    );
}

#[test]
fn submodules_in_history_are_reported_as_skipped() {
    if require_tool("git").is_none() {
        return;
    }
    let (env, project) = setup();
    let other = env.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    git_ok(&env, &other, &["init", "-q"]);
    std::fs::write(other.join("a.txt"), "nothing here\n").unwrap();
    git_ok(&env, &other, &["add", "."]);
    git_ok(&env, &other, &["commit", "-qm", "other"]);
    git_ok(&env, &project, &["init", "-q"]);
    git_ok(
        &env,
        &project,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            other.to_str().unwrap(),
            "vendor/other",
        ],
    );
    git_ok(&env, &project, &["commit", "-qm", "with a submodule"]);

    let (code, out, err) = scan(&env, &project, &["--git"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("skipped the submodule vendor/other: it is another repository"),
        "{err}"
    );
    assert!(err.contains("byok scan --git ./vendor/other"), "{err}");
}

/// The finding: `import discover` followed `.env*` symlinks out of the working directory (it
/// read `/etc/shadow` as root and listed masked values of another file). Links among the
/// working directory's files are named and skipped; regular `.env*` files are still read,
/// and the user's own dotfiles may still be links.
#[test]
fn discover_does_not_follow_env_symlinks_out_of_the_working_directory() {
    let (env, project) = setup();
    let home = env.dir.path();
    let outside = home.join("elsewhere/secrets.txt");
    put(&outside, "GROQ_API_KEY=sk-test-outside-0123456789abcdef\n");
    std::os::unix::fs::symlink(&outside, project.join(".env")).unwrap();
    // A link that stays inside the directory is not followed either.
    put(
        &project.join("config/dev.env"),
        "MISTRAL_API_KEY=sk-test-inside-0123456789abcdef\n",
    );
    std::os::unix::fs::symlink("config/dev.env", project.join(".env.dev")).unwrap();
    put(
        &project.join(".env.local"),
        "DEEPSEEK_API_KEY=sk-test-regular-0123456789abcdef\n",
    );
    // The user's own rc file as a link into a dotfiles repository is still read.
    put(
        &home.join("dotfiles/bashrc"),
        "export XAI_API_KEY=sk-test-dotfile-0123456789abcdef\n",
    );
    std::os::unix::fs::symlink(home.join("dotfiles/bashrc"), home.join(".bashrc")).unwrap();
    let out = env
        .cmd(["import", "discover", "--json"])
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let err = stderr(&out);
    for part in ["outside", "inside", "regular", "dotfile"] {
        assert!(!text.contains(&format!("sk-test-{part}-0123")), "{text}");
        assert!(!err.contains(&format!("sk-test-{part}-0123")), "{err}");
    }
    let rows: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paths: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    assert!(!paths.iter().any(|p| p.ends_with("/.env")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.ends_with("/.env.dev")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("/.env.local")),
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("/.bashrc")), "{paths:?}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains(".env.dev"), "{err}");
    // doctor reads the same places the same way.
    let out = env
        .cmd(["doctor", "--json"])
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .current_dir(&project)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(!text.contains("/.env:"), "{text}");
    assert!(text.contains("/.env.local:"), "{text}");
}
