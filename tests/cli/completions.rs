//! `byok completions` and `byok man`; the scripts shipped in completions/ must match the CLI.
//!
//! After changing the command line, regenerate them with:
//! `UPDATE_COMPLETIONS=1 cargo test --test cli completions`

use std::path::Path;

use crate::harness::{Env, stdout};

const SCRIPTS: &[(&str, &str)] = &[
    ("bash", "byok.bash"),
    ("zsh", "_byok"),
    ("fish", "byok.fish"),
    ("powershell", "byok.ps1"),
    ("elvish", "byok.elv"),
];

#[test]
fn shipped_completion_scripts_are_up_to_date() {
    let env = Env::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (shell, file) in SCRIPTS {
        let out = env.cmd(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let generated = stdout(&out);
        assert!(generated.contains("byok"), "{shell}");
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date with the CLI: {stale:?}\n\
         regenerate with: UPDATE_COMPLETIONS=1 cargo test --test cli completions"
    );
}

#[test]
fn completions_cover_the_new_commands() {
    let env = Env::new();
    let out = env.cmd(["completions", "bash"]).output().unwrap();
    let script = stdout(&out);
    for word in [
        "env",
        "exec",
        "import",
        "--clean-env",
        "--redact",
        "powershell",
    ] {
        assert!(script.contains(word), "{word}");
    }
}

#[test]
fn man_prints_a_roff_page() {
    let env = Env::new();
    let out = env.cmd(["man"]).output().unwrap();
    assert!(out.status.success());
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH byok"),
        "{page}"
    );
    assert!(page.contains("exec"));
}

#[test]
fn shipped_scripts_load_in_their_shells() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let env = Env::new();
    if crate::harness::require_tool("bash").is_some() {
        let out = env
            .program("bash")
            .arg("-c")
            .arg("source \"$1\" && complete -p byok")
            .arg("bash")
            .arg(dir.join("byok.bash"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        assert!(stdout(&out).contains("byok"));
    }
    if crate::harness::require_tool("fish").is_some() {
        let out = env
            .program("fish")
            .args([
                "--no-config",
                "-c",
                "source $argv[1]; and complete -C 'byok ex'",
            ])
            .arg(dir.join("byok.fish"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        assert!(stdout(&out).contains("exec"), "{}", stdout(&out));
    }
}

/// The directory of the byok binary, first on PATH (the scripts call `command byok`).
fn path_with_byok() -> std::ffi::OsString {
    let bin = crate::harness::byok_bin();
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

fn env_with_connectors() -> Env {
    let env = Env::init();
    env.add("work_key", crate::harness::KEY, &["--provider", "openai"]);
    for name in ["work", "workshop", "claude"] {
        env.cmd([
            "connector",
            "add",
            name,
            "--type",
            "openai",
            "--secret",
            "work_key",
        ])
        .assert()
        .success();
    }
    env
}

#[test]
fn complete_lists_connectors_without_unlocking_and_refs_only_when_free() {
    let env = env_with_connectors();
    env.cmd(["__complete", "connectors", "wo"])
        .assert()
        .success()
        .stdout("work\nworkshop\n");
    env.cmd(["__complete", "targets", ""])
        .assert()
        .success()
        .stdout("claude\nwork\nwork_key\nworkshop\n");
    // A passphrase-protected home: connector names still, ref names never (no prompt).
    let locked = Env::new();
    locked
        .cmd(["init"])
        .env("BYOK_PASSPHRASE", "pp-test-passphrase")
        .assert()
        .success();
    locked
        .cmd(["connector", "add", "local", "--type", "ollama"])
        .assert()
        .success();
    locked
        .cmd(["__complete", "targets", ""])
        .env("BYOK_PASSPHRASE", "pp-test-passphrase")
        .assert()
        .success()
        .stdout("local\n");
    // No home at all: nothing, and no error.
    Env::new()
        .cmd(["__complete", "targets", ""])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn the_bash_script_completes_connector_names_from_the_home() {
    if crate::harness::require_tool("bash").is_none() {
        return;
    }
    let env = env_with_connectors();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/byok.bash");
    let complete = |line: &str| {
        let out = env
            .program("bash")
            .env("PATH", path_with_byok())
            .arg("-c")
            .arg(
                "source \"$1\"; read -ra COMP_WORDS <<< \"$2\"; \
                 [[ \"$2\" == *' ' ]] && COMP_WORDS+=(''); \
                 COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=\"$2\"; COMP_POINT=${#2}; \
                 _byok_names byok \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"; \
                 printf '%s\\n' \"${COMPREPLY[@]}\"",
            )
            .arg("bash")
            .arg(&script)
            .arg(line)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        stdout(&out)
    };
    assert_eq!(complete("byok connector show wo"), "work\nworkshop\n");
    assert_eq!(complete("byok exec cl"), "claude\n");
    assert_eq!(complete("byok connector add x --secret wo"), "work_key\n");
    // Subcommands and flags still come from clap's part of the script.
    assert!(complete("byok conn").contains("connector"));
    assert!(complete("byok exec --red").contains("--redact"));
    // After `--` it is the command's arguments, not byok's.
    assert!(!complete("byok exec -- wo").contains("workshop"));
}

#[test]
fn the_zsh_and_fish_scripts_call_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let zsh = std::fs::read_to_string(dir.join("_byok")).unwrap();
    assert!(zsh.contains("__complete \"$1\""), "zsh script");
    assert!(zsh.contains(":_byok_connector_names'"), "zsh script");
    assert!(zsh.contains(":_byok_target_names'"), "zsh script");
    let fish = std::fs::read_to_string(dir.join("byok.fish")).unwrap();
    assert!(fish.contains("byok __complete connectors"), "fish script");
    let env = env_with_connectors();
    if crate::harness::require_tool("zsh").is_some() {
        // The script loads in zsh (compinit) and defines the name functions.
        let out = env
            .program("zsh")
            .args(["-f", "-c"])
            .arg(
                "autoload -Uz compinit && compinit -u -D; source \"$1\"; \
                 whence -w _byok_connector_names _byok",
            )
            .arg("zsh")
            .arg(dir.join("_byok"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        assert!(
            stdout(&out).contains("_byok_connector_names: function"),
            "{}",
            stdout(&out)
        );
        // The name function asks byok (compadd stubbed to print what it would offer).
        let out = env
            .program("zsh")
            .env("PATH", path_with_byok())
            .args(["-f", "-c"])
            .arg(
                "autoload -Uz compinit && compinit -u -D; source \"$1\"; \
                 compadd() { [[ $1 == -a ]] && print -l -- ${(P)2} }; \
                 words=(byok connector show wo); PREFIX=wo; _byok_connector_names",
            )
            .arg("zsh")
            .arg(dir.join("_byok"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        assert_eq!(stdout(&out), "work\nworkshop\n");
    }
    if crate::harness::require_tool("fish").is_some() {
        let out = env
            .program("fish")
            .env("PATH", path_with_byok())
            .args([
                "--no-config",
                "-c",
                "source $argv[1]; and complete -C 'byok connector show wo'",
            ])
            .arg(dir.join("byok.fish"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", crate::harness::stderr(&out));
        let got = stdout(&out);
        assert!(got.contains("work") && got.contains("workshop"), "{got}");
    }
}
