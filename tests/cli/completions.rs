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
