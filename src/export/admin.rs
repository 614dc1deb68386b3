//! Admin keys stay out of programs' hands: an organisation's admin key (OpenAI `sk-admin-`,
//! Anthropic `sk-ant-admin01-`) manages users, keys and billing and cannot call a model, so
//! no tool needs it in its environment by accident. `env`, `exec` and `inject` pass their
//! values through [`filter_exports`] / [`check_value`]; the proxy calls [`check_value`] for
//! the key it is about to use. The kind comes from the value's shape
//! ([`crate::provider::catalog::key_kind`]), so an admin key stored under the wrong provider
//! hint is still caught.

use crate::error::{Error, Result};
use crate::export::target::Export;
use crate::provider::catalog::{self, KeyKind};
use crate::secret::SecretValue;

/// Whether this value is an admin key: read from a secret recorded as one (authoritative:
/// OpenRouter management keys look like ordinary keys), or shaped like one.
pub fn is_admin(value: &SecretValue) -> bool {
    value.is_recorded_admin() || catalog::key_kind(value.expose()).is_some_and(KeyKind::is_admin)
}

/// Refuses an admin key (exit 8) unless `allowed` (`--allow-admin`); `origin` names where it
/// came from (`connector work`, `my_key.api_key`, a variable), never the value.
pub fn check_value(value: &SecretValue, origin: &str, allowed: bool) -> Result<()> {
    if allowed || !is_admin(value) {
        return Ok(());
    }
    Err(Error::AdminKey {
        origin: origin.to_owned(),
    })
}

/// Applies the rule to what `env`/`exec` are about to export. `explicit`: the user named
/// targets or `--set` mappings; then an admin key is refused unless `allowed`. Without
/// names (everything active is exported) admin keys are left out with a warning even with
/// `allowed`: an admin key goes out only when named. Returns the exports and the warnings.
pub fn filter_exports(
    exports: Vec<Export>,
    explicit: bool,
    allowed: bool,
) -> Result<(Vec<Export>, Vec<String>)> {
    let mut warnings = Vec::new();
    let mut kept = Vec::with_capacity(exports.len());
    for export in exports {
        if !is_admin(&export.value) {
            kept.push(export);
        } else if explicit {
            check_value(&export.value, &export.origin, allowed)?;
            kept.push(export);
        } else {
            warnings.push(format!(
                "{} is not set: {} is an admin key (name it and pass --allow-admin to export it)",
                export.var, export.origin
            ));
        }
    }
    Ok((kept, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(var: &str, value: &str) -> Export {
        Export {
            var: var.into(),
            value: SecretValue::new(value.into()),
            origin: format!("{}.api_key", var.to_ascii_lowercase()),
        }
    }

    #[test]
    fn admin_keys_need_a_name_and_the_flag() {
        let all = || {
            vec![
                export("A", "sk-admin-test-0123456789"),
                export("B", "sk-proj-test-0123456789"),
            ]
        };
        let err = filter_exports(all(), true, false).unwrap_err();
        assert!(matches!(&err, Error::AdminKey { origin } if origin == "a.api_key"));
        assert_eq!(err.exit(), crate::error::Exit::Refused);
        assert!(!err.to_string().contains("0123456789"));
        assert_eq!(filter_exports(all(), true, true).unwrap().0.len(), 2);
        for allowed in [false, true] {
            let (kept, warnings) = filter_exports(all(), false, allowed).unwrap();
            assert_eq!(kept.len(), 1);
            assert_eq!(kept[0].var, "B");
            assert!(warnings[0].contains("admin key"), "{warnings:?}");
        }
        let anthropic = SecretValue::new("sk-ant-admin01-test-0123".into());
        assert!(check_value(&anthropic, "x", false).is_err());
        assert!(check_value(&anthropic, "x", true).is_ok());
    }
}
