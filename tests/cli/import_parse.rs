//! Fixture files in each supported source format parse to the expected
//! candidates, and malformed files give clear errors without values.

use std::path::PathBuf;

use byok::import::{self, Candidate, DotenvProblem, ImportError, aichat, dotenv, llm};
use secrecy::ExposeSecret;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn read(name: &str) -> zeroize::Zeroizing<String> {
    import::read_source(&fixture(name)).unwrap()
}

fn summary(c: &[Candidate]) -> Vec<(String, String, Option<&'static str>, String)> {
    c.iter()
        .map(|c| {
            (
                c.var_or_key.clone(),
                c.ref_name.clone(),
                c.provider,
                c.value.expose_secret().to_owned(),
            )
        })
        .collect()
}

fn row(
    src: &str,
    ref_name: &str,
    provider: Option<&'static str>,
    value: &str,
) -> (String, String, Option<&'static str>, String) {
    (src.into(), ref_name.into(), provider, value.into())
}

#[test]
fn dotenv_fixture() {
    let entries = dotenv::parse(&read("sample.env")).unwrap();
    let names: Vec<_> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "GEMINI_API_KEY",
            "MISTRAL_API_KEY",
            "GROQ_API_KEY",
            "DEBUG",
            "DATABASE_URL",
            "MULTILINE_API_KEY",
            "AA_TOKEN",
            "CO_API_KEY",
            "CUSTOM_SERVICE_API_KEY",
            "PPLX_API_KEY",
        ]
    );
    let c = dotenv::candidates(entries);
    assert_eq!(
        summary(&c),
        [
            row(
                "OPENAI_API_KEY",
                "openai_api_key",
                Some("openai"),
                "sk-test-openai-0001"
            ),
            row(
                "ANTHROPIC_API_KEY",
                "anthropic_api_key",
                Some("anthropic"),
                "sk-ant-test-0002"
            ),
            row(
                "GEMINI_API_KEY",
                "gemini_api_key",
                Some("gemini"),
                "gm-test-0003"
            ),
            row(
                "MISTRAL_API_KEY",
                "mistral_api_key",
                Some("mistral"),
                "mi-test-0004"
            ),
            row(
                "GROQ_API_KEY",
                "groq_api_key",
                Some("groq"),
                "gsk_test#0005"
            ),
            row(
                "MULTILINE_API_KEY",
                "multiline_api_key",
                None,
                "line-one\nline-two\tTabbed \"quoted\" $literal"
            ),
            row("AA_TOKEN", "aa_token", Some("aleph-alpha"), "aa-test-0006"),
            row(
                "CUSTOM_SERVICE_API_KEY",
                "custom_service_api_key",
                None,
                "cs-test-0007"
            ),
            row(
                "PPLX_API_KEY",
                "pplx_api_key",
                Some("perplexity"),
                "pplx-test-0008"
            ),
        ]
    );
}

#[test]
fn dotenv_malformed_names_line_not_value() {
    let err = dotenv::parse(&read("malformed.env")).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::Dotenv {
                line: 3,
                problem: DotenvProblem::Unterminated { quote: "double" }
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.starts_with("dotenv line 3:"), "{msg}");
    assert!(!msg.contains("sk-test"), "{msg}");
}

#[test]
fn llm_fixture() {
    let c = llm::parse(&read("llm-keys.json")).unwrap();
    assert_eq!(
        summary(&c),
        [
            row(
                "anthropic",
                "anthropic",
                Some("anthropic"),
                "sk-ant-test-llm"
            ),
            row("claude", "claude", Some("anthropic"), "sk-ant-test-llm-old"),
            row("gemini", "gemini", Some("gemini"), "gm-test-llm"),
            row("grok", "grok", Some("xai"), "xai-test-llm"),
            row("groq", "groq", Some("groq"), "gsk_test_llm"),
            row("mistral", "mistral", Some("mistral"), "mi-test-llm"),
            row("my-custom", "my_custom", None, "custom-test-llm"),
            row("openai", "openai", Some("openai"), "sk-test-llm-openai"),
            row(
                "openrouter",
                "openrouter",
                Some("openrouter"),
                "sk-or-test-llm"
            ),
        ]
    );
}

#[test]
fn llm_malformed() {
    let err = llm::parse(&read("llm-keys-malformed.json")).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::LlmJson {
                line: 4,
                kind: "syntax error",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("sk-test"), "{err}");
}

#[test]
fn aichat_fixture() {
    let c = aichat::parse(&read("aichat-config.yaml")).unwrap();
    assert_eq!(
        summary(&c),
        [
            row("openai", "openai", Some("openai"), "sk-test-aichat-openai"),
            row("claude", "claude", Some("anthropic"), "sk-ant-test-aichat"),
            row("gemini", "gemini", Some("gemini"), "gm-test-aichat"),
            row("groq", "groq", Some("groq"), "gsk_test_aichat"),
            row(
                "moonshot",
                "moonshot",
                Some("openai-compatible"),
                "sk-test-moonshot"
            ),
            row(
                "azure-openai",
                "azure_openai",
                Some("azure-openai"),
                "az-test-aichat"
            ),
            row(
                "openai",
                "openai_2",
                Some("openai"),
                "sk-test-aichat-openai-second"
            ),
        ]
    );
}

#[test]
fn aichat_malformed() {
    let err = aichat::parse(&read("aichat-config-malformed.yaml")).unwrap_err();
    assert!(matches!(err, ImportError::AichatYaml { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("line"), "{msg}");
    assert!(!msg.contains("sk-test"), "{msg}");
}

#[test]
fn read_source_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.env");
    let err = import::read_source(&missing).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }));
    assert!(err.to_string().contains("nope.env"), "{err}");
    let binary = dir.path().join("bin.env");
    std::fs::write(&binary, b"A=\xff\xfe\n").unwrap();
    assert!(matches!(
        import::read_source(&binary).unwrap_err(),
        ImportError::NotUtf8 { .. }
    ));
}

#[test]
fn show_error_messages() {
    // Printed for review with `--nocapture`; asserts live in the tests above.
    for (name, err) in [
        (
            "malformed.env",
            dotenv::parse(&read("malformed.env"))
                .map(|_| ())
                .unwrap_err(),
        ),
        (
            "llm-keys-malformed.json",
            llm::parse(&read("llm-keys-malformed.json"))
                .map(|_| ())
                .unwrap_err(),
        ),
        (
            "aichat-config-malformed.yaml",
            aichat::parse(&read("aichat-config-malformed.yaml"))
                .map(|_| ())
                .unwrap_err(),
        ),
    ] {
        eprintln!("{name}: {err}");
    }
}
