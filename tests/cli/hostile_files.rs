//! Every file byok reads from its home or a project, damaged or planted: truncated, of the
//! wrong type, oversized and laden with terminal escapes. For each form, the command that
//! reads the file must not panic, must not pass an escape sequence to the terminal, must
//! name the file when it fails, and must leave the file exactly as it was.

use std::path::{Path, PathBuf};

use crate::harness::{Env, KEY, stderr, stdout};

/// An escape sequence that would set the terminal's title, and one that would colour it.
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const RED: &str = "\u{1b}[31m";

/// The damaged forms of a file whose valid contents are `valid`.
fn forms(valid: &[u8], escaped: String) -> Vec<(&'static str, Vec<u8>)> {
    let mut oversized = valid.to_vec();
    while oversized.len() < 40 << 20 {
        oversized.extend_from_slice(b"\n# padding padding padding padding padding padding\n");
        let grown = oversized.clone();
        oversized.extend_from_slice(&grown);
    }
    vec![
        ("truncated", valid[..valid.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("wrong type (JSON array)", b"[1, 2, 3]\n".to_vec()),
        (
            "wrong type (TOML)",
            b"files = 3\n[format]\nx = true\n".to_vec(),
        ),
        ("binary", vec![0xff, 0xfe, 0x00, 0x1b, 0x9b, 0x80]),
        ("oversized", oversized),
        ("escape-laden", escaped.into_bytes()),
    ]
}

/// Runs `args` (in `dir`) and checks the promises for a damaged `file`.
fn check(env: &Env, dir: &Path, file: &Path, form: &str, args: &[&str]) {
    let before = std::fs::read(file).unwrap();
    // Standard input for the commands that read a value (`secret add --stdin`).
    let out = env
        .cmd(args)
        .current_dir(dir)
        .write_stdin("sk-test-stdin-value-0000000000")
        .output()
        .unwrap();
    let code = out.status.code();
    let context = format!(
        "{} ({form}) under `byok {}`",
        file.display(),
        args.join(" ")
    );
    assert!(
        !matches!(code, None | Some(101) | Some(134)),
        "{context}: crashed ({code:?}): {}",
        stderr(&out)
    );
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{7}') && !all.contains('\u{9b}'),
        "{context}: an escape reached the terminal: {all:?}"
    );
    assert!(
        !stderr(&out).contains(KEY),
        "{context}: a key was printed in a message"
    );
    if code != Some(0) {
        // `doctor` names it on its ✗ line (stdout), every other command in its error.
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            all.contains(&*name),
            "{context}: the error does not name the file: {all}"
        );
    }
    assert!(
        std::fs::read(file).unwrap() == before,
        "{context}: the file was changed"
    );
}

/// A home with a secret and a project dir.
fn home() -> (Env, PathBuf) {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    (env, project)
}

#[test]
fn a_damaged_trusted_json_never_crashes_or_leaks() {
    let (env, project) = home();
    std::fs::write(env.dir.path().join(".env"), "A=byok://k\n").unwrap();
    env.cmd(["trust", env.dir.path().join(".env").to_str().unwrap()])
        .assert()
        .success();
    let file = env.file("trusted.json");
    let valid = std::fs::read(&file).unwrap();
    let escaped = format!(
        "{{\"format\": 1, \"files\": [{{\"path\": \"/tmp/{TITLE}x\", \"sha256\": \"{}\", \"trusted\": \"{RED}now\"}}]}}\n",
        "a".repeat(64)
    );
    for (form, bytes) in forms(&valid, escaped) {
        std::fs::write(&file, &bytes).unwrap();
        for args in [
            &["trust", "--list"][..],
            &["trust", "--list", "--json"],
            &["untrust"],
        ] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_workspaces_toml_never_crashes_or_leaks() {
    let (env, project) = home();
    env.cmd(["workspace", "add", "acme"]).assert().success();
    let file = env.file("workspaces.toml");
    let valid = std::fs::read(&file).unwrap();
    let escaped = format!(
        "active = \"acme\"\n[[workspace]]\nname = \"acme{TITLE}\"\npath = \"workspaces/{RED}acme.age\"\n"
    );
    let mut all = forms(&valid, escaped);
    all.push((
        "a name that leaves the home",
        b"[[workspace]]\nname = \"../../etc\"\npath = \"x.age\"\n".to_vec(),
    ));
    for (form, bytes) in all {
        std::fs::write(&file, &bytes).unwrap();
        for args in [
            &["workspace", "list"][..],
            &["secret", "list"],
            &["secret", "get", "k"],
        ] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_audit_log_never_crashes_or_leaks() {
    let (env, project) = home();
    let file = env.file("audit.jsonl");
    let valid = std::fs::read(&file).unwrap();
    let escaped = format!(
        "{{\"seq\":1,\"time\":\"{TITLE}\",\"action\":\"secret.read{RED}\",\"ref\":\"k{TITLE}\",\"outcome\":\"ok\",\"command\":\"{RED}get\",\"pid\":1,\"caller\":\"{TITLE}agent\"}}\n"
    );
    for (form, bytes) in forms(&valid, escaped) {
        std::fs::write(&file, &bytes).unwrap();
        for args in [&["audit"][..], &["audit", "verify"], &["audit", "--json"]] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_usage_db_never_crashes_or_leaks() {
    let (env, project) = home();
    let file = env.file("usage.db");
    let valid = b"SQLite format 3\0".repeat(64);
    let escaped = format!("SQLite format 3\0{TITLE}{RED}");
    for (form, bytes) in forms(&valid, escaped) {
        if form == "empty" {
            continue; // SQLite's own name for a new database
        }
        std::fs::write(&file, &bytes).unwrap();
        for args in [&["usage"][..], &["usage", "--json"]] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_backup_never_crashes_or_leaks() {
    let (env, project) = home();
    let file = env.dir.path().join("bk.age");
    env.cmd(["backup", file.to_str().unwrap()])
        .assert()
        .success();
    let valid = std::fs::read(&file).unwrap();
    let escaped = format!("age-encryption.org/v1\n-> X25519 {TITLE}\n{RED}\n--- x\n");
    for (form, bytes) in forms(&valid, escaped) {
        std::fs::write(&file, &bytes).unwrap();
        check(
            &env,
            &project,
            &file,
            form,
            &["restore", file.to_str().unwrap(), "--yes"],
        );
    }
}

#[test]
fn a_damaged_recipients_file_never_crashes_or_leaks() {
    let (env, project) = home();
    std::fs::write(
        env.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    env.cmd(["secret", "add", "t", "--stdin", "--store", "team"])
        .write_stdin(KEY)
        .assert()
        .success();
    let file = env.file("team.age.recipients");
    let valid = std::fs::read(&file).unwrap();
    let escaped = format!("# {TITLE}me{RED}\nage1{TITLE}notakey\n");
    for (form, bytes) in forms(&valid, escaped) {
        std::fs::write(&file, &bytes).unwrap();
        for args in [
            &["recipients", "list", "--store", "team"][..],
            &["secret", "get", "t", "--store", "team"],
            &["secret", "add", "t2", "--store", "team", "--stdin"],
        ] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_project_file_never_crashes_or_leaks() {
    let (env, project) = home();
    let file = project.join(".byok.toml");
    let valid = b"store = \".byok/team.age\"\n[vars]\nOPENAI_API_KEY = \"byok://k\"\n".to_vec();
    let escaped = format!(
        "default_env = \"{TITLE}\"\n[vars]\nOPENAI_API_KEY = \"byok://k{RED}\"\n[env.\"{TITLE}\".vars]\nX = \"byok://k\"\n"
    );
    for (form, bytes) in forms(&valid, escaped) {
        std::fs::write(&file, &bytes).unwrap();
        for args in [
            &["status"][..],
            &["env", "--format", "json"],
            &["trust", "--yes"],
            &["secret", "get", "k"],
        ] {
            check(&env, &project, &file, form, args);
        }
    }
}

#[test]
fn a_damaged_config_toml_never_crashes_or_leaks() {
    let (env, project) = home();
    let file = env.file("config.toml");
    let valid = std::fs::read(&file).unwrap();
    let escaped =
        format!("[[connector]]\nname = \"w{TITLE}\"\ntype = \"openai{RED}\"\nsecret = \"k\"\n");
    for (form, bytes) in forms(&valid, escaped) {
        if form == "empty" {
            continue; // an empty config.toml is a valid one
        }
        std::fs::write(&file, &bytes).unwrap();
        for args in [&["secret", "list"][..], &["connector", "list"], &["doctor"]] {
            check(&env, &project, &file, form, args);
        }
    }
}
