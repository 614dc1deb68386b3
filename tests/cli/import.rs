//! `byok import …`: other tools' keys become secrets in one vault write; dry runs and bad
//! sources change nothing; existing refs are kept unless --force.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::harness::{Env, KEY, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// (ref, provider) of every secret, from `secret list --json`.
fn refs(env: &Env) -> Vec<(String, Option<String>)> {
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["ref"].as_str().unwrap().to_owned(),
                s["provider"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = expected
        .iter()
        .map(|(r, p)| ((*r).to_owned(), p.map(str::to_owned)))
        .collect();
    v.sort();
    v
}

#[test]
fn dotenv_imports_api_key_entries_with_guessed_providers() {
    let env = Env::init();
    let source = fixture("sample.env");
    let before = std::fs::read(&source).unwrap();
    let out = env
        .cmd(["import", "dotenv", "--yes"])
        .arg(&source)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Imported 9 new secret(s)"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("sk-test-openai-0001"));
    assert_eq!(
        refs(&env),
        pairs(&[
            ("aa_token", Some("aleph-alpha")),
            ("anthropic_api_key", Some("anthropic")),
            ("custom_service_api_key", None),
            ("gemini_api_key", Some("gemini")),
            ("groq_api_key", Some("groq")),
            ("mistral_api_key", Some("mistral")),
            ("multiline_api_key", None),
            ("openai_api_key", Some("openai")),
            ("pplx_api_key", Some("perplexity")),
        ])
    );
    assert_eq!(env.get("openai_api_key"), "sk-test-openai-0001");
    assert_eq!(env.get("groq_api_key"), "gsk_test#0005");
    assert_eq!(std::fs::read(&source).unwrap(), before, "source modified");
}

#[test]
fn dry_run_shows_masked_values_and_writes_nothing() {
    let env = Env::init();
    let vault = env.file("vault.age");
    let before = std::fs::read(&vault).unwrap();
    let out = env
        .cmd(["import", "dotenv", "--dry-run"])
        .arg(fixture("sample.env"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("openai_api_key"), "{text}");
    assert!(text.contains("anthropic"), "{text}");
    assert!(!text.contains("sk-test-openai-0001"), "{text}");
    assert!(!stderr(&out).contains("sk-test-openai-0001"));
    assert!(stderr(&out).contains("Dry run: nothing was changed."));
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}

#[test]
fn a_malformed_source_is_an_error_and_imports_nothing() {
    let env = Env::init();
    let vault = env.file("vault.age");
    let before = std::fs::read(&vault).unwrap();
    for (source, args, message) in [
        ("malformed.env", "dotenv", "dotenv line 3"),
        (
            "llm-keys-malformed.json",
            "llm",
            "llm keys.json is not valid JSON",
        ),
        ("aichat-config-malformed.yaml", "aichat", "aichat config"),
    ] {
        let out = env
            .cmd(["import", args, "--yes"])
            .arg(fixture(source))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{source}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(message), "{source}: {err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert!(!err.contains("sk-test"), "{err}");
        assert_eq!(std::fs::read(&vault).unwrap(), before, "{source}");
    }
    env.cmd(["import", "dotenv", "--yes", "no-such.env"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no-such.env"));
}

#[test]
fn existing_refs_are_skipped_unless_force() {
    let env = Env::init();
    env.add("openai_api_key", KEY, &["--provider", "openai"]);
    let out = env
        .cmd(["import", "dotenv", "--yes"])
        .arg(fixture("sample.env"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("skipped 1"), "{}", stderr(&out));
    assert_eq!(env.get("openai_api_key"), KEY);

    env.cmd(["import", "dotenv", "--yes", "--force"])
        .arg(fixture("sample.env"))
        .assert()
        .success()
        .stderr(predicate::str::contains("replaced 9"));
    assert_eq!(env.get("openai_api_key"), "sk-test-openai-0001");
}

#[test]
fn without_a_terminal_import_needs_yes() {
    let env = Env::init();
    let vault = env.file("vault.age");
    let before = std::fs::read(&vault).unwrap();
    env.cmd(["import", "dotenv"])
        .arg(fixture("sample.env"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("without confirmation"))
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}

#[test]
fn env_imports_api_key_variables_of_byok_s_environment() {
    let env = Env::init();
    env.cmd(["import", "env", "--yes"])
        .env("ANTHROPIC_API_KEY", "sk-ant-test-from-env")
        .env("MY_TOOL_API_KEY", "t-test-from-env")
        .env("EDITOR", "vi")
        .assert()
        .success();
    assert_eq!(
        refs(&env),
        pairs(&[
            ("anthropic_api_key", Some("anthropic")),
            ("my_tool_api_key", None)
        ])
    );
    assert_eq!(env.get("anthropic_api_key"), "sk-ant-test-from-env");
}

/// Regression: `byok env` exports `LM_API_TOKEN` for LM Studio, but `import env` did not
/// recognise it (import kept its own list of variable names).
#[test]
fn env_recognises_every_variable_byok_env_exports() {
    let env = Env::init();
    let vault = env.file("vault.age");
    let before = std::fs::read(&vault).unwrap();
    let out = env
        .cmd(["import", "env", "--dry-run"])
        .env("LM_API_TOKEN", "sk-test-lmstudio-000000")
        .env("CLAUDE_API_KEY", "sk-ant-test-alias-000000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = |var: &str| {
        text.lines()
            .find(|l| l.contains(var))
            .unwrap_or_else(|| panic!("no {var} row in:\n{text}"))
            .to_owned()
    };
    let lm = row("LM_API_TOKEN");
    assert!(
        lm.contains("lm_api_token") && lm.contains("lmstudio"),
        "{lm}"
    );
    let claude = row("CLAUDE_API_KEY");
    assert!(claude.contains("anthropic"), "{claude}");
    assert!(!text.contains("sk-test-lmstudio-000000"), "{text}");
    assert!(!stderr(&out).contains("sk-test-lmstudio-000000"));
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}

#[test]
fn llm_keys_import_from_a_path_or_llm_user_path() {
    let env = Env::init();
    let dir = env.dir.path().join("llm");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("llm-keys.json"), dir.join("keys.json")).unwrap();
    env.cmd(["import", "llm", "--yes"])
        .env("LLM_USER_PATH", &dir)
        .assert()
        .success();
    let imported = refs(&env);
    assert!(
        imported.contains(&("openai".into(), Some("openai".into()))),
        "{imported:?}"
    );
    assert!(
        imported.contains(&("grok".into(), Some("xai".into()))),
        "{imported:?}"
    );
    assert!(
        imported.contains(&("my_custom".into(), None)),
        "{imported:?}"
    );
    assert!(!imported.iter().any(|(r, _)| r == "empty"), "{imported:?}");
    assert_eq!(env.get("openai"), "sk-test-llm-openai");
}

#[test]
fn aichat_clients_with_keys_are_imported() {
    let env = Env::init();
    env.cmd(["import", "aichat", "--yes"])
        .arg(fixture("aichat-config.yaml"))
        .assert()
        .success();
    let imported = refs(&env);
    for expected in [
        ("openai", Some("openai")),
        ("claude", Some("anthropic")),
        ("groq", Some("groq")),
        ("azure_openai", Some("azure-openai")),
    ] {
        let expected = (expected.0.to_owned(), expected.1.map(str::to_owned));
        assert!(imported.contains(&expected), "{expected:?} in {imported:?}");
    }
    assert!(
        !imported.iter().any(|(r, _)| r == "local" || r == "bedrock"),
        "{imported:?}"
    );
    assert_eq!(env.get("openai"), "sk-test-aichat-openai");
}

/// The finding: `import --remove-source` on a one-line JSON file committed the import, then
/// exited 2 ("would leave it unparsable"). Now the member goes and the file still parses; a
/// file the key cannot be taken out of is refused before anything is imported.
#[test]
fn remove_source_on_a_one_line_json_file_removes_the_key_or_imports_nothing() {
    let env = Env::init();
    let dir = env.dir.path().join("llm");
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("keys.json");
    std::fs::write(
        &keys,
        "{\"openai\": \"sk-test-oneline-0123456789\", \"x\": \"\"}\n",
    )
    .unwrap();
    let out = env
        .cmd(["import", "llm", "--yes", "--remove-source"])
        .arg(&keys)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("sk-test-oneline"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("openai"), "{}", stderr(&out));
    let after = std::fs::read_to_string(&keys).unwrap();
    assert_eq!(after, "{\"x\":\"\"}\n");
    assert_eq!(env.get("openai"), "sk-test-oneline-0123456789");

    // The key also sits in an array the removal does not touch: refused, nothing imported.
    let codex = env.dir.path().join("auth.json");
    let text = "{\"OPENAI_API_KEY\": \"sk-test-twice-0123456789\", \"old\": [\"sk-test-twice-0123456789\"]}\n";
    std::fs::write(&codex, text).unwrap();
    let vault = std::fs::read(env.file("vault.age")).unwrap();
    let out = env
        .cmd(["import", "discover", "--yes", "--remove-source", "--path"])
        .arg(&codex)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(!err.contains("sk-test-twice"), "{err}");
    assert_eq!(std::fs::read_to_string(&codex).unwrap(), text);
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault);
    env.cmd(["secret", "get", "openai_api_key"])
        .assert()
        .code(3);
}
