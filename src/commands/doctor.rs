//! `byok doctor`: checks what byok depends on and says how to fix what is broken.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::error::{Error, Result};
use crate::keychain;
use crate::output;
use crate::session_cache;
use crate::settings::Settings;
use crate::store::keychain::KeychainStore;
use crate::store::vault::VaultDoc;
use crate::store::{self, Store, StoreKind};
use crate::unlock;

/// Secrets older than this are flagged for rotation.
const ROTATE_AFTER: Duration = Duration::from_secs(90 * 86_400);

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Serialize)]
struct Check {
    check: &'static str,
    status: Status,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

#[derive(Default)]
struct Report(Vec<Check>);

impl Report {
    fn add(
        &mut self,
        check: &'static str,
        status: Status,
        detail: impl Into<String>,
        fix: Option<String>,
    ) {
        self.0.push(Check {
            check,
            status,
            detail: detail.into(),
            fix,
        });
    }
}

pub fn run(settings: &Settings, args: &DoctorArgs) -> Result<()> {
    let mut report = Report::default();
    let paths = &settings.paths;
    check_permissions(&mut report, settings);

    match store::configured_default(settings) {
        Ok(kind) => report.add(
            "config",
            Status::Ok,
            format!("config.toml parses (default store: {})", kind.name()),
            None,
        ),
        Err(e) => report.add("config", Status::Fail, e.to_string(), e.hint()),
    }

    let doc = if paths.vault().exists() {
        match unlock::unlock(settings) {
            Ok(unlocked) => {
                report.add(
                    "identity",
                    Status::Ok,
                    format!("unlocked from {}", unlocked.source),
                    None,
                );
                match crate::store::vault::load(settings, &unlocked)
                    .and_then(|p| p.parse(&paths.vault()))
                {
                    Ok(doc) => {
                        report.add(
                            "vault",
                            Status::Ok,
                            format!("decrypts; {} secrets", doc.secrets.len()),
                            None,
                        );
                        Some(doc)
                    }
                    Err(e) => {
                        report.add("vault", Status::Fail, e.to_string(), e.hint());
                        None
                    }
                }
            }
            Err(e @ Error::Locked) => {
                report.add(
                    "identity",
                    Status::Warn,
                    "locked: the vault was not checked",
                    e.hint(),
                );
                None
            }
            Err(e) => {
                report.add("identity", Status::Fail, e.to_string(), e.hint());
                None
            }
        }
    } else {
        report.add(
            "vault",
            Status::Fail,
            format!("no vault in {}", paths.home.display()),
            Some("run `byok init`".into()),
        );
        None
    };

    let keychain_needed = doc
        .as_ref()
        .is_some_and(|d| d.secrets.values().any(|r| r.store == StoreKind::Keychain));
    match keychain::probe() {
        Ok(()) => report.add(
            "keychain",
            Status::Ok,
            format!("{} works (write, read, delete round trip)", keychain::backend_name()),
            None,
        ),
        Err(e) => report.add(
            "keychain",
            if keychain_needed { Status::Fail } else { Status::Warn },
            e.to_string(),
            Some(if keychain_needed {
                "secrets use the keychain: make it reachable, or `byok secret move REF --to vault`".into()
            } else {
                "only needed for `--store keychain` and `byok keychain remember`; the vault works without it".into()
            }),
        ),
    }

    let cached = session_cache::load(&unlock::cache_name(settings));
    match cached {
        Ok(Some(_)) => report.add(
            "session cache",
            Status::Ok,
            format!("identity cached; {}", session_cache::describe()),
            None,
        ),
        Ok(None) => report.add(
            "session cache",
            Status::Ok,
            format!("nothing cached; {}", session_cache::describe()),
            None,
        ),
        Err(e) => report.add(
            "session cache",
            Status::Warn,
            e.to_string(),
            Some("`byok unlock` is unavailable here".into()),
        ),
    }

    if let Some(doc) = &doc {
        check_secrets(&mut report, doc);
        check_connectors(&mut report, settings, doc);
    }

    let failed = report.0.iter().any(|c| c.status == Status::Fail);
    if args.json {
        output::print_json(&report.0)?;
    } else {
        let mut table = output::table(settings, &["", "CHECK", "RESULT", "FIX"]);
        for check in &report.0 {
            let mark = match check.status {
                Status::Ok => "✓",
                Status::Warn => "!",
                Status::Fail => "✗",
            };
            table.add_row(vec![
                mark.to_owned(),
                check.check.to_owned(),
                check.detail.clone(),
                check.fix.clone().unwrap_or_default(),
            ]);
        }
        output::print_table(&table)?;
    }
    if failed {
        return Err(Error::DoctorFailed);
    }
    Ok(())
}

fn check_permissions(report: &mut Report, settings: &Settings) {
    let paths = &settings.paths;
    if !paths.home.is_dir() {
        report.add(
            "home",
            Status::Fail,
            format!("{} does not exist", paths.home.display()),
            Some("run `byok init`".into()),
        );
        return;
    }
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    let mut check = |path: &Path, want: u32| {
        if let Some(mode) = mode(path)
            && mode & 0o077 != 0
        {
            problems.push(format!("{} is {:o}", path.display(), mode));
            fixes.push(format!("chmod {:o} {}", want, path.display()));
        }
    };
    check(&paths.home, 0o700);
    for file in [
        paths.vault(),
        paths.identity_age(),
        paths.identity_txt(),
        paths.config(),
    ] {
        check(&file, 0o600);
    }
    if problems.is_empty() {
        report.add(
            "permissions",
            Status::Ok,
            format!("{} is private (0700, files 0600)", paths.home.display()),
            None,
        );
    } else {
        report.add(
            "permissions",
            Status::Fail,
            problems.join("; "),
            Some(fixes.join("; ")),
        );
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode(_: &Path) -> Option<u32> {
    None
}

fn check_connectors(report: &mut Report, settings: &Settings, doc: &VaultDoc) {
    let Ok(config) = crate::config::Config::load(settings) else {
        return; // reported by the config check
    };
    let broken: Vec<String> = config
        .connectors()
        .iter()
        .filter_map(|c| {
            let secret = c.secret.as_ref()?;
            (!doc.secrets.contains_key(secret)).then(|| format!("{} (secret '{secret}')", c.name))
        })
        .collect();
    if broken.is_empty() {
        report.add(
            "connectors",
            Status::Ok,
            format!(
                "{} connectors; every secret they use exists",
                config.connectors().len()
            ),
            None,
        );
    } else {
        report.add(
            "connectors",
            Status::Fail,
            format!("missing secrets: {}", broken.join(", ")),
            Some("`byok secret add REF`, or `byok connector edit NAME --secret REF`".into()),
        );
    }
}

fn check_secrets(report: &mut Report, doc: &VaultDoc) {
    let mut missing = Vec::new();
    for (reference, record) in &doc.secrets {
        if record.store == StoreKind::Keychain {
            for field in record.fields.keys() {
                if !matches!(KeychainStore.get(reference, field), Ok(Some(_))) {
                    missing.push(format!("{reference}.{field}"));
                }
            }
        }
    }
    if missing.is_empty() {
        report.add(
            "stored values",
            Status::Ok,
            "every field has its value",
            None,
        );
    } else {
        report.add(
            "stored values",
            Status::Fail,
            format!("not in the keychain: {}", missing.join(", ")),
            Some("set them again with `byok secret rotate REF --field F`".into()),
        );
    }

    let now = SystemTime::now();
    let stale: Vec<String> = doc
        .secrets
        .iter()
        .filter(|(_, r)| {
            humantime::parse_rfc3339_weak(&r.rotated)
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > ROTATE_AFTER)
        })
        .map(|(name, r)| format!("{name} ({})", output::ago(&r.rotated, now)))
        .collect();
    if stale.is_empty() {
        report.add(
            "rotation",
            Status::Ok,
            "every secret was rotated in the last 90 days",
            None,
        );
    } else {
        report.add(
            "rotation",
            Status::Warn,
            format!("not rotated for over 90 days: {}", stale.join(", ")),
            Some("create new keys at the provider, then `byok secret rotate REF`".into()),
        );
    }
}
