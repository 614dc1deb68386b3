//! `byok doctor`: checks what byok depends on and says how to fix what is broken.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::store::{Meta, Registry, Store};
use crate::term::output;
use crate::unlock;
use crate::unlock::session_cache;

/// Secrets older than this are flagged for rotation.
pub const ROTATE_AFTER: Duration = Duration::from_secs(90 * 86_400);

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Serialize)]
struct Check {
    check: String,
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
        check: impl Into<String>,
        status: Status,
        detail: impl Into<String>,
        fix: Option<String>,
    ) {
        self.0.push(Check {
            check: check.into(),
            status,
            detail: detail.into(),
            fix,
        });
    }
}

pub fn run(ctx: &Context, args: &DoctorArgs) -> Result<()> {
    let settings = &ctx.settings;
    let mut report = Report::default();
    let paths = &settings.paths;
    check_permissions(&mut report, settings);
    check_leftovers(&mut report, settings);

    // The same strict reader every command uses: what passes here works everywhere.
    let registry = match ctx
        .config()
        .and_then(|c| c.check_connectors(&paths.config()))
        .and_then(|_| ctx.registry())
    {
        Ok(registry) => {
            report.add(
                "config",
                Status::Ok,
                format!(
                    "config.toml parses (default store: {}; stores: {})",
                    registry.default_store().name(),
                    registry.names().join(", ")
                ),
                None,
            );
            Some(registry)
        }
        Err(e) => {
            report.add("config", Status::Fail, e.to_string(), e.hint());
            None
        }
    };

    let unlocked = if paths.vault().exists() {
        match ctx.unlocker().get() {
            Ok(unlocked) => {
                report.add(
                    "identity",
                    Status::Ok,
                    format!("unlocked from {}", unlocked.source),
                    None,
                );
                true
            }
            // Not broken: a passphrase vault without a terminal or passphrase source. Every
            // command says how to unlock; doctor says what it could not check.
            Err(e @ Error::Locked) => {
                report.add(
                    "identity",
                    Status::Warn,
                    "locked: the vault was not checked",
                    e.hint(),
                );
                false
            }
            Err(e) => {
                let fix = fix_of(&e, "check the identity file: it must be readable by you");
                report.add("identity", Status::Fail, e.to_string(), Some(fix));
                false
            }
        }
    } else {
        let has_identity = paths.identity_txt().exists() || paths.identity_age().exists();
        report.add(
            "vault",
            Status::Fail,
            format!("no vault in {}", paths.home.display()),
            Some(if has_identity {
                restore_fix(paths, "vault.age is missing")
            } else {
                "run `byok init`".into()
            }),
        );
        false
    };

    // Every command opens the home's vault (it holds the keychain's index and the audit
    // head): one that does not decrypt or parse is a failure whatever it holds.
    let vault_ok = unlocked && check_home_vault(&mut report, ctx, registry);

    if let Some(registry) = registry {
        let mut listed: Vec<(&dyn Store, Vec<Meta>)> = Vec::new();
        for store in registry.all() {
            // The home vault's own failure is reported above.
            if store.name() == "vault" && unlocked && !vault_ok {
                continue;
            }
            // Listing needs the identity for every store kept in or indexed by the vault.
            let metas = if vault_ok { Some(store.list()) } else { None };
            let health = store.health();
            let check = store.name().to_owned();
            match &metas {
                // A store that cannot list its secrets fails every command that reaches it.
                Some(Err(e)) => {
                    let detail = if health.ok {
                        e.to_string()
                    } else {
                        health.detail
                    };
                    let fix = match e {
                        Error::Corrupt { path, .. } => format!(
                            "byok will not overwrite it; restore {} from its git history or a backup",
                            path.display()
                        ),
                        e => fix_of(
                            e,
                            &format!(
                                "make it work again (`byok store test {}`), or remove it from config.toml",
                                store.name()
                            ),
                        ),
                    };
                    report.add(check, Status::Fail, detail, Some(fix));
                }
                _ if health.ok => report.add(check, Status::Ok, health.detail, None),
                // Locked or the vault is broken: whether it holds secrets is unknown.
                None => report.add(
                    check,
                    Status::Warn,
                    health.detail,
                    Some("not checked further: the vault was not opened".into()),
                ),
                Some(Ok(metas)) if metas.is_empty() => report.add(
                    check,
                    Status::Warn,
                    health.detail,
                    Some(format!(
                        "no secret is in the {} yet; other stores work without it",
                        store.name()
                    )),
                ),
                Some(Ok(_)) => report.add(
                    check,
                    Status::Fail,
                    health.detail,
                    Some(format!(
                        "secrets use the {}: make it reachable, or `byok secret move REF --to vault`",
                        store.name()
                    )),
                ),
            }
            let metas = metas.and_then(|m| m.ok());
            for advisory in store.advisories(metas.as_deref().unwrap_or(&[])) {
                report.add(
                    advisory.check,
                    Status::Warn,
                    advisory.detail,
                    Some(advisory.fix),
                );
            }
            if let Some(metas) = metas {
                listed.push((store, metas));
            }
        }
        if vault_ok {
            check_secrets(
                &mut report,
                &listed,
                crate::hygiene::rotation::rotation_days(ctx),
            );
            check_audit(&mut report, ctx, registry);
            if let Ok(config) = ctx.config() {
                check_connectors(&mut report, config, registry);
            }
        }
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

    // Plaintext keys in other tools' files (`byok import discover`).
    let plaintext = crate::scan::discover::doctor_findings(ctx, unlocked);
    if plaintext.is_empty() {
        report.add(
            "plaintext keys",
            Status::Ok,
            "none found in other tools' files",
            None,
        );
    }
    for (check, detail, fix) in plaintext {
        report.add(check, Status::Warn, detail, Some(fix));
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

/// The fix for `error`: its own hint, else `otherwise`.
fn fix_of(error: &Error, otherwise: &str) -> String {
    error.hint().unwrap_or_else(|| otherwise.to_owned())
}

/// Decrypts and parses the home's `vault.age` (through the registry's copy when the config
/// loaded, so it is read once); a failure is reported as `vault` with the fix for its cause.
/// Whether it opened.
fn check_home_vault(report: &mut Report, ctx: &Context, registry: Option<&Registry>) -> bool {
    let paths = &ctx.settings.paths;
    let loaded = match registry {
        Some(registry) => registry.home_vault().load().map(|_| ()),
        None => crate::store::vault::VaultFile::new(
            paths.vault(),
            paths.lock(),
            paths.home.clone(),
            crate::store::vault::WhenMissing::NotInitialised,
            std::sync::Arc::clone(ctx.unlocker()),
        )
        .load()
        .map(|_| ()),
    };
    let error = match loaded {
        Ok(()) => {
            // The vault's own line comes from the store list when the config loaded.
            if registry.is_none() {
                report.add("vault", Status::Ok, "decrypts and parses", None);
            }
            return true;
        }
        Err(e) => e,
    };
    let fix = match &error {
        Error::Corrupt { .. } => restore_fix(paths, "byok will not overwrite it"),
        other => fix_of(
            other,
            "check the file's owner and permissions (0600, yours)",
        ),
    };
    report.add("vault", Status::Fail, error.to_string(), Some(fix));
    false
}

/// How to get a vault back: a backup, or an older copy kept beside it (`vault.age.bak-*`,
/// or the temp file a crashed write left), named when there is one.
fn restore_fix(paths: &crate::paths::Paths, why: &str) -> String {
    let mut copies: Vec<String> = std::fs::read_dir(&paths.home)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("vault.age.bak-")
                || n.starts_with(&format!("{}vault.age.", crate::fsutil::TEMP_PREFIX))
        })
        .collect();
    copies.sort();
    let vault = paths.vault();
    let vault = vault.display();
    if copies.is_empty() {
        format!(
            "{why}; restore it from a backup (`byok restore FILE`, a file written by \
             `byok backup`); the identity file is not affected"
        )
    } else {
        format!(
            "{why}; restore it from a backup (`byok restore FILE`), or put back an older copy \
             kept beside it: {} (e.g. `mv {vault} {vault}.broken && cp {}/{} {vault}`, then \
             `byok doctor`)",
            copies.join(", "),
            paths.home.display(),
            copies[copies.len() - 1],
        )
    }
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

/// Temp files a crashed write left: each is a complete (encrypted) copy of an old vault.
fn check_leftovers(report: &mut Report, settings: &Settings) {
    let home = &settings.paths.home;
    if !home.is_dir() {
        return;
    }
    let stale = crate::fsutil::stale_temps(home);
    if stale.is_empty() {
        report.add(
            "leftovers",
            Status::Ok,
            "no temp files left by interrupted writes",
            None,
        );
        return;
    }
    let names: Vec<String> = stale
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    report.add(
        "leftovers",
        Status::Warn,
        format!(
            "{} temp file(s) left by interrupted writes (old encrypted copies): {}",
            stale.len(),
            names.join(", ")
        ),
        Some(format!(
            "the next change to the vault removes them; or now: rm {}/{}*",
            home.display(),
            crate::fsutil::TEMP_PREFIX
        )),
    );
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

fn check_connectors(report: &mut Report, config: &Config, registry: &Registry) {
    let broken: Vec<String> = config
        .connectors()
        .iter()
        .filter_map(|c| {
            let secret = c.secret.as_ref()?;
            matches!(registry.locate(secret), Ok(None))
                .then(|| format!("{} (secret '{secret}')", c.name))
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

/// The audit log's chain and the head the vault recorded (`byok audit verify`).
fn check_audit(report: &mut Report, ctx: &Context, registry: &crate::store::Registry) {
    let Some(unlocked) = ctx.unlocker().get_without_prompt() else {
        return;
    };
    let keys = crate::hygiene::audit::Keys::from_identity(unlocked);
    let head = registry.home_vault().load().ok().and_then(|d| d.audit);
    match crate::hygiene::audit::verify(&ctx.settings, &keys, head.as_ref()) {
        Ok(v) if v.problems.is_empty() => report.add(
            "audit log",
            Status::Ok,
            format!(
                "{} entries; the MAC chain and the vault's head match",
                v.entries
            ),
            None,
        ),
        Ok(v) => report.add(
            "audit log",
            Status::Fail,
            v.problems.join("; "),
            Some("`byok audit verify` lists the problems; keep a copy of audit.jsonl".into()),
        ),
        Err(e) => report.add(
            "audit log",
            Status::Fail,
            e.to_string(),
            Some("`byok audit verify`".into()),
        ),
    }
}

fn check_secrets(report: &mut Report, listed: &[(&dyn Store, Vec<Meta>)], rotation_days: u64) {
    let mut missing = Vec::new();
    for (store, metas) in listed {
        for meta in metas {
            let fields: Vec<&str> = meta.fields.iter().map(String::as_str).collect();
            match store.get_many(&meta.reference, &fields) {
                Ok(values) => {
                    for (field, value) in fields.iter().zip(values) {
                        if value.is_none() {
                            missing.push(format!("{}.{field} ({})", meta.reference, store.name()));
                        }
                    }
                }
                Err(_) => {
                    missing.push(format!("{} ({} unreachable)", meta.reference, store.name()))
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
            format!("missing values: {}", missing.join(", ")),
            Some("set them again with `byok secret rotate REF --field F`".into()),
        );
    }

    let now = SystemTime::now();
    let due = |m: &Meta| crate::hygiene::rotation::due(m, now, rotation_days).unwrap_or_default();
    let expiring: Vec<String> = listed
        .iter()
        .flat_map(|(_, metas)| metas)
        .filter(|m| due(m).expired || due(m).expiring)
        .map(|m| {
            format!(
                "{} ({})",
                m.reference,
                crate::hygiene::rotation::until(m.expires.as_deref().unwrap_or(""), now)
            )
        })
        .collect();
    if !expiring.is_empty() {
        report.add(
            "expiry",
            Status::Warn,
            format!(
                "expired or expiring within 14 days: {}",
                expiring.join(", ")
            ),
            Some(
                "create new keys at the provider, then `byok secret rotate REF --expires DATE`"
                    .into(),
            ),
        );
    }
    let stale: Vec<String> = listed
        .iter()
        .flat_map(|(_, metas)| metas)
        .filter(|m| due(m).rotation)
        .map(|m| {
            format!(
                "{} ({})",
                m.reference,
                output::ago(m.rotated.as_deref().unwrap_or(""), now)
            )
        })
        .collect();
    if stale.is_empty() {
        report.add(
            "rotation",
            Status::Ok,
            format!("every secret was rotated in the last {rotation_days} days"),
            None,
        );
    } else {
        report.add(
            "rotation",
            Status::Warn,
            format!(
                "not rotated for over {rotation_days} days: {}",
                stale.join(", ")
            ),
            Some("create new keys at the provider, then `byok secret rotate REF`".into()),
        );
    }
}
