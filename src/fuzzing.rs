//! The fuzz targets' bodies, shared by the `fuzz/` crate (cargo-fuzz) and by a unit test that
//! replays the committed corpora (`fuzz/corpus/<target>/*`) on every `cargo test`, so a crash
//! the fuzzer once found stays fixed.
//!
//! Each function takes arbitrary bytes, must never panic, and asserts what must hold for any
//! input (redaction leaves no key behind).

use std::path::Path;

use crate::provider::wire::{self, WireFormat};

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` call them.
pub const TARGETS: &[(&str, Target)] = &[
    ("vault", vault),
    ("config", config),
    ("import", import),
    ("provider", provider),
    ("redactor", redactor),
    ("home_files", home_files),
];

/// The vault document parser and the fast positional lookup, on the same bytes.
pub fn vault(data: &[u8]) {
    let path = Path::new("fuzz/vault.age");
    let parsed = crate::store::vault::doc::parse(data, path);
    let _ = crate::store::vault::doc::check_version(data, path);
    let _ = crate::store::vault::lookup::version(data);
    let mut names = vec!["a".to_owned(), "my_openai_key".to_owned()];
    if let Ok(doc) = &parsed {
        names.extend(doc.secrets.keys().take(4).cloned());
    }
    for name in &names {
        for holder in [&["secrets"][..], &["index", "keychain"][..]] {
            if let crate::store::vault::lookup::Scan::Record { start, end } =
                crate::store::vault::lookup::find(data, holder, name)
            {
                assert!(start <= end && end <= data.len(), "a record out of bounds");
                let _ = crate::store::vault::doc::parse_record(data, start, end, path);
            }
        }
    }
}

/// `config.toml`: the parser and the checks `connector test`/`env` apply.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz/config.toml");
    if let Ok(config) = crate::config::Config::parse(path, text) {
        let _ = config.check_connectors(path);
        for c in config.connectors() {
            let _ = config.get(&c.name);
        }
    }
}

/// The import parsers: `.env`, llm's `keys.json`, aichat's `config.yaml`.
pub fn import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(entries) = crate::import::dotenv::parse(text) {
        let _ = crate::import::dotenv::candidates(entries);
    }
    let _ = crate::import::llm::parse(text);
    let _ = crate::import::aichat::parse(text);
}

/// The key the provider and redactor targets plant in their input.
const KEY: &str = "sk-proj-FuZz0123456789abcdefABCDEF";

/// Every wire format's response parser (chat and model list) on an arbitrary status and
/// body, and the provider-message redaction with a key planted in the text.
pub fn provider(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (100 + (u16::from_le_bytes([*a, *b]) % 500), rest),
        _ => (200, data),
    };
    for wire in [
        WireFormat::OpenAiChat,
        WireFormat::AnthropicMessages,
        WireFormat::GeminiGenerateContent,
        WireFormat::CohereChat,
        WireFormat::AlephAlphaComplete,
        WireFormat::AzureDeployments,
        WireFormat::PerplexityAgent,
        WireFormat::OllamaChat,
    ] {
        let _ = wire::parse_chat(wire, status, &[], body);
        let _ = wire::parse_models(wire, body);
    }
    let text = String::from_utf8_lossy(body);
    // Half of the text, cut at a char boundary (a cut inside a character panicked: the
    // fuzzer's first finding, fuzz/corpus/provider/crash-half-inside-a-char).
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    let planted = format!("{text} {KEY} {}", &text[..half]);
    let redacted = crate::provider::redact::redact(&planted, Some(KEY));
    assert!(!redacted.contains(KEY), "the key survived redaction");
    let line = crate::provider::redact::redact_line(&planted, Some(KEY));
    assert!(!line.contains(KEY), "the key survived redact_line");
}

/// `exec --redact`'s stream masker: the input split where its first byte says, a key and a
/// fragment of it planted; no run of [`crate::export::stream_redact::MIN_FRAGMENT`] bytes of the key's secret
/// part may come out.
pub fn redactor(data: &[u8]) {
    let split = data.first().map_or(0, |b| usize::from(*b));
    let body = &KEY["sk-proj-".len()..];
    let mut input = data.to_vec();
    input.extend_from_slice(KEY.as_bytes());
    input.extend_from_slice(data);
    input.extend_from_slice(&body.as_bytes()[3..18]);
    let mut r = crate::export::stream_redact::Redactor::new([KEY]);
    let mut out = Vec::new();
    let at = split.min(input.len());
    r.push(&input[..at], &mut out);
    r.push(&input[at..], &mut out);
    r.finish(&mut out);
    let n = crate::export::stream_redact::MIN_FRAGMENT;
    for window in body.as_bytes().windows(n) {
        assert!(
            !out.windows(n).any(|w| w == window),
            "a fragment of the key survived"
        );
    }
}

/// The files byok reads from its home or a project, which a damaged disk, an edit or a
/// hostile commit can fill with anything: the first byte picks the parser (`trusted.json`,
/// `workspaces.toml`, a recipients file, `.byok.toml`, a backup's plaintext), the rest is
/// the file.
pub fn home_files(data: &[u8]) {
    let Some((which, body)) = data.split_first() else {
        return;
    };
    let text = std::str::from_utf8(body).ok();
    match which % 5 {
        0 => crate::scope::trust::parse_for_fuzzing(body),
        1 => {
            let _ =
                crate::scope::workspace::Workspaces::parse(Path::new("fuzz/workspaces.toml"), body);
        }
        2 => {
            if let Some(text) = text {
                let _ = crate::store::age_file::recipients::parse(
                    text,
                    Path::new("fuzz/team.age.recipients"),
                );
            }
        }
        3 => {
            if let Some(text) = text {
                let _ =
                    crate::scope::project::ProjectDoc::parse(Path::new("fuzz/.byok.toml"), text);
            }
        }
        _ => {
            let _ = crate::hygiene::backup::parse(Path::new("fuzz/backup.age"), body);
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every committed corpus file, fed to its target: the fuzzer's finds stay fixed.
    #[test]
    fn committed_corpora_replay_without_a_crash() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        let mut total = 0;
        for (name, target) in super::TARGETS {
            let dir = root.join(name);
            let entries =
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let mut count = 0;
            for entry in entries {
                let path = entry.unwrap().path();
                let data = std::fs::read(&path).unwrap();
                let result = std::panic::catch_unwind(|| target(&data));
                assert!(result.is_ok(), "{name} crashed on {}", path.display());
                count += 1;
            }
            assert!(count > 0, "no corpus for {name}");
            total += count;
        }
        eprintln!("replayed {total} corpus files");
    }

    use std::path::Path;
}
