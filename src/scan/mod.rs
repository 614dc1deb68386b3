//! Finding leaked keys: stored values (whole or in fragments) and key-shaped strings in files,
//! in git history and in the git index, plus discovery of plaintext keys in other tools'
//! configuration files.
//!
//! * [`values`]: the in-memory matcher over the values byok holds (zeroized on drop);
//! * [`shape`]: catalog prefixes and high-entropy tokens assigned to key-like names;
//! * [`walk`]: files and directories; [`git`]: history (`git log --raw` + one
//!   `git cat-file --batch`, each blob once) and the index;
//! * [`hook`]: the pre-commit hook; [`discover`]: other tools' files; [`remove`]: taking
//!   imported lines out of a source file.
//!
//! A [`Finding`] names where (file, commit, line, column) and what (a ref name, or the rule
//! that matched) — never the value, not even masked.

pub mod discover;
pub mod git;
pub mod hook;
pub mod remove;
pub mod shape;
pub mod values;
pub mod walk;

use serde::Serialize;

pub use shape::Rule;
pub use values::{Needle, ValueMatcher};

/// What to look for in a buffer.
pub struct Scanner {
    pub values: ValueMatcher,
    /// Whether key-shaped strings are reported too.
    pub shapes: bool,
}

/// What matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    /// A value byok holds.
    Stored {
        #[serde(rename = "ref")]
        reference: String,
        field: String,
        /// `value` for the whole value, `fragment` for a piece of it.
        #[serde(rename = "match")]
        matched: &'static str,
        /// Whether it is the field's previous value.
        previous: bool,
        /// Bytes matched.
        length: usize,
    },
    /// Only key-shaped: byok does not hold it (or could not check).
    Shape {
        rule: String,
        provider: Option<&'static str>,
    },
}

/// One finding, positioned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file (for history: its path in the commit).
    pub path: String,
    /// The commit that introduced the blob (for `--git`), or `None`.
    pub commit: Option<String>,
    /// `worktree`, `history` or `staged`.
    pub source: &'static str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    #[serde(flatten)]
    pub what: What,
}

impl Finding {
    pub fn is_stored(&self) -> bool {
        matches!(self.what, What::Stored { .. })
    }
}

/// Where a buffer came from.
#[derive(Clone, Debug)]
pub struct Origin {
    pub path: String,
    pub commit: Option<String>,
    pub source: &'static str,
}

impl Scanner {
    /// Every finding in `text`, in order. A key-shaped string overlapping a stored value is
    /// reported as the stored value only.
    pub fn scan(&self, text: &[u8], origin: &Origin) -> Vec<Finding> {
        let stored = self.values.find_all(text);
        let mut spans: Vec<(usize, What)> = stored
            .iter()
            .map(|hit| {
                let needle = &self.values.needles()[hit.needle];
                (
                    hit.start,
                    What::Stored {
                        reference: needle.reference.clone(),
                        field: needle.field.clone(),
                        matched: if hit.whole { "value" } else { "fragment" },
                        previous: needle.previous,
                        length: hit.len,
                    },
                )
            })
            .collect();
        if self.shapes {
            for hit in shape::find_all(text) {
                let overlaps = stored
                    .iter()
                    .any(|s| hit.start < s.start + s.len && s.start < hit.start + hit.len);
                if overlaps {
                    continue;
                }
                let (rule, provider) = match hit.rule {
                    Rule::Prefix { prefix, provider } => (format!("prefix {prefix}"), provider),
                    Rule::Assigned { name } => (format!("high-entropy value of {name}"), None),
                };
                spans.push((hit.start, What::Shape { rule, provider }));
            }
            spans.sort_by_key(|(start, _)| *start);
        }
        position(text, spans, origin)
    }
}

/// Turns byte offsets (sorted) into lines and columns, counting newlines once.
fn position(text: &[u8], spans: Vec<(usize, What)>, origin: &Origin) -> Vec<Finding> {
    let mut out = Vec::with_capacity(spans.len());
    let (mut line, mut line_start, mut counted) = (1usize, 0usize, 0usize);
    for (start, what) in spans {
        for nl in memchr::memchr_iter(b'\n', &text[counted..start]) {
            line += 1;
            line_start = counted + nl + 1;
        }
        counted = start;
        let column = String::from_utf8_lossy(&text[line_start..start])
            .chars()
            .count()
            + 1;
        out.push(Finding {
            path: origin.path.clone(),
            commit: origin.commit.clone(),
            source: origin.source,
            line,
            column,
            what,
        });
    }
    out
}

/// The stored values, read from every store.
pub struct Loaded {
    pub needles: Vec<Needle>,
    /// Why some (or all) values could not be read; for the user, already worded.
    pub warnings: Vec<String>,
    /// Whether no store could be read because the vault is locked (or absent): the scan
    /// falls back to key shapes only.
    pub unavailable: Option<String>,
}

/// Reads every field and previous value of every secret of every store. A locked vault
/// without a terminal, or no vault at all, is not an error: `unavailable` says so.
pub fn load_stored(ctx: &crate::context::Context) -> crate::error::Result<Loaded> {
    use crate::error::Error;
    let mut loaded = Loaded {
        needles: Vec::new(),
        warnings: Vec::new(),
        unavailable: None,
    };
    if !ctx.settings.paths.vault().exists() {
        loaded.unavailable = Some(format!(
            "byok is not initialised in {}",
            crate::term::sanitize::line(&ctx.settings.paths.home.display().to_string())
                .into_owned()
        ));
        return Ok(loaded);
    }
    let registry = ctx.registry()?;
    let (listed, failed) = registry.list_all();
    for (store, error) in failed {
        match error {
            Error::Locked if listed.is_empty() => {
                loaded.unavailable = Some(
                    "the vault is locked and there is no terminal to ask for its passphrase".into(),
                );
            }
            // A wrong passphrase typed at a prompt is the user's to retry.
            e @ Error::WrongPassphrase { .. } => return Err(e),
            e => loaded.warnings.push(format!(
                "the {store} store could not be read ({e}); its values were not checked"
            )),
        }
    }
    // Shadowed copies too: a value someone holds leaks the same way.
    for (store, meta, _shadowed) in listed {
        let fields: Vec<&str> = meta.fields.iter().map(String::as_str).collect();
        let current = store.get_many(&meta.reference, &fields);
        let previous = store.get_previous(&meta.reference, &fields);
        match current {
            Ok(values) => {
                for (field, value) in fields.iter().zip(values) {
                    if let Some(value) = value.filter(|v| is_secretish(v.expose())) {
                        loaded
                            .needles
                            .push(Needle::new(&meta.reference, field, false, &value));
                    }
                }
            }
            Err(e) => loaded.warnings.push(format!(
                "could not read {} from the {} store ({e}); it was not checked",
                meta.reference,
                store.name()
            )),
        }
        if let Ok(values) = previous {
            for (field, value) in fields.iter().zip(values) {
                if let Some(value) = value.filter(|v| is_secretish(v.expose())) {
                    loaded
                        .needles
                        .push(Needle::new(&meta.reference, field, true, &value));
                }
            }
        }
    }
    Ok(loaded)
}

/// Whether a field's value is worth looking for: not a URL (an `endpoint` field is public).
fn is_secretish(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    !(lower.starts_with("http://") || lower.starts_with("https://"))
}

/// Fake key material for tests, built from short parts at run time so that no key-shaped
/// literal sits in the source (secret scanners, the repository's own hooks included, would
/// flag one).
#[cfg(test)]
pub(crate) mod fixtures {
    /// A 34-character high-entropy body, letters and digits mixed.
    pub fn body() -> String {
        [
            "Zq8L", "r2Vt", "7Wm4", "Kd9H", "s1Jc", "6Pb3", "Nf5G", "x0Ya",
        ]
        .concat()
    }

    /// 24 characters of [`body`]: an assigned token.
    pub fn token() -> String {
        body()[1..25].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretValue;

    #[test]
    fn findings_have_lines_and_columns_and_no_values() {
        let key = "sk-test-0123456789abcdefghij";
        let scanner = Scanner {
            values: ValueMatcher::new(vec![Needle::new(
                "my_key",
                "api_key",
                false,
                &SecretValue::new(key.into()),
            )]),
            shapes: true,
        };
        let body = fixtures::body();
        let text = format!("first\nsecond é {key}\nthird\nOPENAI_API_KEY=sk-proj-{body}\n");
        let origin = Origin {
            path: "a.txt".into(),
            commit: None,
            source: "worktree",
        };
        let found = scanner.scan(text.as_bytes(), &origin);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].line, found[0].column), (2, 10));
        assert!(found[0].is_stored());
        assert_eq!((found[1].line, found[1].column), (4, 16));
        let json = serde_json::to_string(&found).unwrap();
        assert!(!json.contains("0123456789abcdef"), "{json}");
        assert!(!json.contains(&body[..9]), "{json}");
        assert!(json.contains("\"ref\":\"my_key\""), "{json}");
    }
}
