//! `secret rotate --verify`: every active connector that uses the secret is tested with the
//! new value before it is stored; one failure keeps the old value (exit 6).

use std::collections::HashMap;
use std::time::Duration;

use secrecy::SecretString;

use crate::connector::runtime::{self, KeyLookup};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::names::DEFAULT_FIELD;
use crate::provider::ChatOutcome;
use crate::provider::probe;
use crate::secret::SecretValue;

/// Tests the connectors using `reference` with `value` as its `field`; prints each result
/// on stderr. Nothing is stored here.
pub fn verify(
    ctx: &Context,
    reference: &str,
    field: &str,
    value: &SecretValue,
    timeout: u64,
) -> Result<()> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    config.check_connectors(&settings.paths.config())?;
    let connectors: Vec<_> = config
        .active()
        .filter(|c| c.secret.as_deref() == Some(reference))
        .cloned()
        .collect();
    if connectors.is_empty() {
        return Err(Error::Usage(format!(
            "--verify: no active connector uses '{reference}', so there is nothing to test the new value with \
             (add one with `byok connector add NAME --type TYPE --secret {reference}`, or drop --verify)"
        )));
    }
    if field != DEFAULT_FIELD {
        return Err(Error::Usage(format!(
            "--verify: connectors use the field {DEFAULT_FIELD}, not {field}; drop --verify"
        )));
    }
    let mut keys: HashMap<String, KeyLookup> = HashMap::new();
    keys.insert(reference.to_owned(), Ok(SecretString::from(value.expose())));
    let total = connectors.len();
    let reports = runtime::test_all(
        settings,
        connectors,
        keys,
        Duration::from_secs(timeout.max(1)),
        probe::DEFAULT_PROMPT,
    )?;
    let mut failed = 0;
    for report in &reports {
        if matches!(report.probe.outcome, ChatOutcome::Failure(_)) {
            failed += 1;
        }
        eprint!("{}", runtime::report_text(settings, report));
    }
    if failed > 0 {
        return Err(Error::RotateVerifyFailed {
            reference: reference.to_owned(),
            failed,
            total,
        });
    }
    Ok(())
}
