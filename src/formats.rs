//! Every versioned file byok writes, in one table: its current format, the oldest it still
//! reads, and the one step that brings an older file forward. Every reader checks the
//! version it found with [`Format::check`], so the rules are the same for all of them: a
//! file from a newer byok is refused and left untouched (exit 4, "upgrade byok"); a version
//! that never existed is corrupt; an older one is migrated by the step named here, on read,
//! and written back in the current format by the next write.
//!
//! A format change means: bump `current` here, write the step next to the file's type, and
//! name it in `step`. The table is also what `byok doctor --json` could report; the unit
//! test below keeps it consistent.

use std::path::Path;

use crate::error::{Error, Result};

/// One file format.
#[derive(Debug)]
pub struct Format {
    /// The file, as a user would name it.
    pub file: &'static str,
    /// The version byok writes.
    pub current: u64,
    /// The oldest version byok reads (and migrates).
    pub oldest: u64,
    /// Where the migration from older versions lives, and what it does.
    pub step: &'static str,
}

/// What a reader does with the version it found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The current format.
    Current,
    /// An older format: run the file's migration step from this version.
    Older(u64),
}

impl Format {
    /// Checks the version found in the file at `path`.
    pub fn check(&self, path: &Path, found: u64) -> Result<Found> {
        if found > self.current {
            return Err(Error::NewerFormat {
                path: path.to_path_buf(),
                found,
                supported: self.current,
            });
        }
        if found < self.oldest {
            return Err(Error::Corrupt {
                path: path.to_path_buf(),
                reason: format!(
                    "it declares {} format {found}, which this byok never wrote (it reads {} to {})",
                    self.file, self.oldest, self.current
                ),
            });
        }
        Ok(if found == self.current {
            Found::Current
        } else {
            Found::Older(found)
        })
    }

    /// Whether a version is one this byok reads (for fast paths that fall back when not).
    pub fn reads(&self, found: u64) -> bool {
        (self.oldest..=self.current).contains(&found)
    }
}

/// `vault.age` and every age-file store (`"byok_vault": N` inside the encrypted document).
pub const VAULT: Format = Format {
    file: "vault",
    current: 3,
    oldest: 1,
    step: "store::vault::doc::VaultDoc::migrate: format 1's records that only pointed at the \
           keychain move into the keychain's index; format 2 → 3 converts nothing: the home \
           vault gains its identity-keyed `mac` at its next write (store::vault::doc::seal)",
};

/// `usage.db` (SQLite `user_version`).
pub const USAGE_DB: Format = Format {
    file: "usage.db",
    current: 2,
    oldest: 0,
    step: "ledger::migrate: version 0 (before the version was recorded) has version 1's tables; \
           version 2 adds the `absorbed` and `dropped` columns (ALTER TABLE, rows kept). The \
           older `usage.jsonl` is imported once (ledger::import_jsonl)",
};

/// `trusted.json`: the projects and workspaces this home trusts.
pub const TRUST: Format = Format {
    file: "trusted.json",
    current: 1,
    oldest: 1,
    step: "none yet",
};

/// `proxy-tokens.age`: the proxy's client tokens.
pub const PROXY_TOKENS: Format = Format {
    file: "proxy-tokens.age",
    current: 1,
    oldest: 1,
    step: "none yet",
};

/// A `byok backup` file (`"byok_backup": N`).
pub const BACKUP: Format = Format {
    file: "backup",
    current: 2,
    oldest: 1,
    step: "hygiene::backup::parse: format 1 has no `files` (the home's workspaces and age-file \
           stores) and no `mac`; it reads as a backup of the vault, config and keychain alone",
};

/// A `byok adopt mcp` backup's description (`adopt-backups/ID.json`, `"byok_adopt_backup": N`).
pub const ADOPT_BACKUP: Format = Format {
    file: "adopt backup",
    current: 1,
    oldest: 1,
    step: "none yet",
};

/// Every format, for `doctor` and the consistency test.
pub const ALL: &[&Format] = &[
    &VAULT,
    &USAGE_DB,
    &TRUST,
    &PROXY_TOKENS,
    &BACKUP,
    &ADOPT_BACKUP,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        for f in ALL {
            assert!(f.oldest <= f.current, "{f:?}");
            assert!(!f.file.is_empty() && !f.step.is_empty(), "{f:?}");
            // A format that reads older versions names a real step.
            assert_eq!(f.oldest < f.current, f.step != "none yet", "{f:?}");
        }
    }

    #[test]
    fn newer_is_refused_older_is_migrated_and_unknown_is_corrupt() {
        let path = Path::new("vault.age");
        assert_eq!(VAULT.check(path, 3).unwrap(), Found::Current);
        assert_eq!(VAULT.check(path, 2).unwrap(), Found::Older(2));
        assert_eq!(VAULT.check(path, 1).unwrap(), Found::Older(1));
        match VAULT.check(path, 4) {
            Err(Error::NewerFormat {
                found: 4,
                supported: 3,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(VAULT.check(path, 0), Err(Error::Corrupt { .. })));
        assert!(TRUST.reads(1) && !TRUST.reads(2) && !TRUST.reads(0));
    }
}
