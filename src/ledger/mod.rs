//! The usage ledger: one SQLite database (`usage.db` in the home, mode `0600`, WAL mode) with
//! a row per proxied request and per connection test. A row holds when, what kind, which
//! placeholder token (proxy rows), connector, provider, model, status, the classified cause
//! of a failure, latency, time to first token, token counts and the estimated cost — never a
//! header, a body or a key.
//!
//! SQLite through `rusqlite` (the bundled library, linked statically) because the ledger must
//! aggregate a million rows in well under a second and take concurrent writers (a proxy, a
//! `connector test`) without a server. Only commands that need it open the database.
//!
//! The old `usage.jsonl` (connection tests only, before the ledger existed) is imported the
//! first time the ledger is opened, in one transaction that also records the file's size and
//! modification time in the `meta` table; the file is then renamed `usage.jsonl.imported`.
//! An interrupted rename is finished on the next open without importing twice.

pub mod alerts;
pub mod budget;
pub mod prices;
pub mod probes;
pub mod render;
pub mod report;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, params};

use crate::error::{Error, Result};
use crate::settings::Settings;

/// Milliseconds in a UTC day.
pub const DAY_MS: i64 = 86_400_000;

/// One ledger row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Unix time in milliseconds (UTC).
    pub time_ms: i64,
    /// `proxy` or `test`.
    pub kind: String,
    /// The placeholder token's name (proxy rows).
    pub token: Option<String>,
    pub connector: String,
    /// The connector's type (`openai`, `anthropic`, …).
    pub provider: String,
    pub model: String,
    /// The HTTP status the client got (or the provider answered a test with).
    pub status: Option<u16>,
    pub ok: bool,
    /// The failure class label when `ok` is false.
    pub cause: Option<String>,
    pub latency_ms: u64,
    /// Time to the first byte of a streamed answer.
    pub ttft_ms: Option<u64>,
    /// All input tokens (cached ones included).
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Input tokens read from the prompt cache.
    pub cached_tokens: Option<u64>,
    /// Input tokens written to the prompt cache.
    pub cache_write_tokens: Option<u64>,
    /// Estimated cost in USD; `None`: no price known for the model (or no token counts).
    pub cost_usd: Option<f64>,
    /// A failed attempt the proxy absorbed by trying the next connector: not a request of
    /// its own (the request's row is the attempt that answered).
    pub absorbed: bool,
    /// Request fields a translation dropped with a note (`context_management, …`).
    pub dropped: Option<String>,
}

/// The clock the ledger and budgets use: the system's, shifted in debug builds by
/// `BYOK_TEST_NOW` (an RFC 3339 time the process starts at), so tests can cross UTC days.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    offset_ms: i64,
}

impl Clock {
    pub fn from_settings(settings: &Settings) -> Clock {
        #[cfg(debug_assertions)]
        if let Some(text) = settings
            .parent_env
            .get(crate::paths::ENV_TEST_NOW)
            .and_then(|v| v.to_str())
            && let Ok(t) = humantime::parse_rfc3339_weak(text)
        {
            return Clock {
                offset_ms: unix_ms(t) - unix_ms(SystemTime::now()),
            };
        }
        #[cfg(not(debug_assertions))]
        let _ = settings;
        Clock::default()
    }

    pub fn now_ms(&self) -> i64 {
        unix_ms(SystemTime::now()) + self.offset_ms
    }

    /// The start of today (UTC) in milliseconds.
    pub fn today_ms(&self) -> i64 {
        self.now_ms().div_euclid(DAY_MS) * DAY_MS
    }
}

pub fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// RFC 3339 (seconds) of a unix-ms time.
pub fn rfc3339(ms: i64) -> String {
    let t = if ms >= 0 {
        UNIX_EPOCH + Duration::from_millis(ms as u64)
    } else {
        UNIX_EPOCH
    };
    humantime::format_rfc3339_seconds(t).to_string()
}

/// `YYYY-MM-DD` of a unix-ms time.
pub fn day_label(ms: i64) -> String {
    rfc3339(ms)[..10].to_owned()
}

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Ledger {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  token TEXT,
  connector TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  status INTEGER,
  ok INTEGER NOT NULL,
  cause TEXT,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cached_tokens INTEGER,
  cache_write_tokens INTEGER,
  cost_usd REAL,
  absorbed INTEGER NOT NULL DEFAULT 0,
  dropped TEXT
);
CREATE INDEX IF NOT EXISTS ledger_time ON ledger(time_ms);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens (creating, `0600`) the ledger of this home and imports `usage.jsonl` once.
    pub fn open(settings: &Settings) -> Result<Ledger> {
        let home = settings.paths.home();
        crate::fsutil::create_private_dir(home)?;
        let ledger = Ledger::open_path(&settings.paths.ledger())?;
        ledger.import_jsonl(&settings.paths.usage_log(), settings)?;
        Ok(ledger)
    }

    /// Opens the ledger only if it exists (read-side commands on a fresh home).
    pub fn open_existing(settings: &Settings) -> Result<Option<Ledger>> {
        if !settings.paths.ledger().exists() && !settings.paths.usage_log().exists() {
            return Ok(None);
        }
        Ledger::open(settings).map(Some)
    }

    /// Opens the database file at `path`, creating it `0600`.
    pub fn open_path(path: &Path) -> Result<Ledger> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(Error::Ledger {
                path: path.to_path_buf(),
                reason: "it is not a regular file (a symbolic link?); byok does not follow it"
                    .into(),
            });
        }
        if !path.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            crate::fsutil::private_no_follow(&mut options);
            options.open(path).map_err(Error::io("create", path))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db_error(path))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(db_error(path))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db_error(path))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_error(path))?;
        // Reports read the whole range: a larger page cache and memory-mapped reads keep a
        // million-row pass off the read(2) path.
        conn.pragma_update(None, "cache_size", -32768)
            .map_err(db_error(path))?;
        conn.pragma_update(None, "mmap_size", 268_435_456)
            .map_err(db_error(path))?;
        migrate(&conn, path)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        db_error(&self.path)
    }

    /// Inserts rows in one transaction.
    pub fn insert(&mut self, rows: &[Row]) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(db_error(&path))?;
        insert_rows(&tx, rows).map_err(db_error(&path))?;
        tx.commit().map_err(db_error(&path))
    }

    /// Inserts rows in one transaction, `step` rows at a time, calling `between` after each
    /// step but the last (the proxy's writer pauses there).
    pub fn insert_in_steps(
        &mut self,
        rows: &[Row],
        step: usize,
        mut between: impl FnMut(),
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(db_error(&path))?;
        let mut chunks = rows.chunks(step.max(1)).peekable();
        while let Some(chunk) = chunks.next() {
            insert_rows(&tx, chunk).map_err(db_error(&path))?;
            if chunks.peek().is_some() {
                between();
            }
        }
        tx.commit().map_err(db_error(&path))
    }

    /// Imports the old `usage.jsonl` once, then renames it `usage.jsonl.imported`.
    fn import_jsonl(&self, jsonl: &Path, settings: &Settings) -> Result<()> {
        let Ok(meta) = std::fs::symlink_metadata(jsonl) else {
            return Ok(());
        };
        if !meta.is_file() {
            return Ok(());
        }
        let stamp = format!(
            "{}:{}",
            meta.len(),
            meta.modified().map(unix_ms).unwrap_or_default()
        );
        // A one-time migration of the legacy log: the only other reader of config.toml.
        let config = crate::config::Config::load(settings)?;
        let prices = prices::PriceTable::for_config(&config);
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(self.err())?;
        let done: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'jsonl_imported'",
                [],
                |r| r.get(0),
            )
            .ok();
        if done.as_deref() != Some(stamp.as_str()) {
            let text = std::fs::read_to_string(jsonl).unwrap_or_default();
            let rows: Vec<Row> = text
                .lines()
                .filter_map(|line| {
                    serde_json::from_str::<crate::ledger::probes::UsageRecord>(line).ok()
                })
                .map(|r| crate::ledger::probes::row_of(&r, &prices))
                .collect();
            insert_rows(&tx, &rows).map_err(self.err())?;
            tx.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES('jsonl_imported', ?1)",
                [&stamp],
            )
            .map_err(self.err())?;
        }
        tx.commit().map_err(self.err())?;
        let mut target = jsonl.as_os_str().to_owned();
        target.push(".imported");
        std::fs::rename(jsonl, PathBuf::from(target)).map_err(Error::io("rename", jsonl))
    }

    /// Rows of connection tests, the latest per connector.
    pub fn last_tests(&self) -> Result<Vec<Row>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT l.* FROM ledger l JOIN (SELECT connector, max(id) AS id FROM ledger \
                 WHERE kind = 'test' GROUP BY connector) m ON l.id = m.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], row_from_sql)
            .map_err(self.err())?
            .collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(self.err())?;
        Ok(rows)
    }

    /// Per token, the cost and tokens (input + output) since `from_ms`.
    pub fn spend_by_token(
        &self,
        from_ms: i64,
    ) -> Result<std::collections::HashMap<String, (f64, u64)>> {
        let mut stmt = self
            .conn
            .prepare(
                // A row another process wrote with a token that is not text is skipped,
                // not an error: it must not cost the proxy its ledger and budgets.
                "SELECT token, total(cost_usd), total(coalesce(input_tokens,0) + \
                 coalesce(output_tokens,0)) FROM ledger WHERE kind = 'proxy' AND \
                 typeof(token) = 'text' AND time_ms >= ?1 GROUP BY token",
            )
            .map_err(self.err())?;
        let out = stmt
            .query_map([from_ms], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (r.get(1)?, r.get::<_, f64>(2)? as u64),
                ))
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        Ok(out)
    }
}

fn opt_i64(v: Option<u64>) -> Option<i64> {
    v.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

fn insert_rows(conn: &Connection, rows: &[Row]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO ledger(time_ms, kind, token, connector, provider, model, status, ok, cause, \
         latency_ms, ttft_ms, input_tokens, output_tokens, cached_tokens, cache_write_tokens, \
         cost_usd, absorbed, dropped) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    for r in rows {
        stmt.execute(params![
            r.time_ms,
            r.kind,
            r.token,
            r.connector,
            r.provider,
            r.model,
            r.status,
            r.ok,
            r.cause,
            opt_i64(Some(r.latency_ms)),
            opt_i64(r.ttft_ms),
            opt_i64(r.input_tokens),
            opt_i64(r.output_tokens),
            opt_i64(r.cached_tokens),
            opt_i64(r.cache_write_tokens),
            r.cost_usd,
            r.absorbed,
            r.dropped,
        ])?;
    }
    Ok(())
}

fn opt_u64(r: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<Option<u64>> {
    Ok(r.get::<_, Option<i64>>(name)?.map(|n| n.max(0) as u64))
}

fn row_from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        time_ms: r.get("time_ms")?,
        kind: r.get("kind")?,
        token: r.get("token")?,
        connector: r.get("connector")?,
        provider: r.get("provider")?,
        model: r.get("model")?,
        status: r.get("status")?,
        ok: r.get("ok")?,
        cause: r.get("cause")?,
        latency_ms: opt_u64(r, "latency_ms")?.unwrap_or(0),
        ttft_ms: opt_u64(r, "ttft_ms")?,
        input_tokens: opt_u64(r, "input_tokens")?,
        output_tokens: opt_u64(r, "output_tokens")?,
        cached_tokens: opt_u64(r, "cached_tokens")?,
        cache_write_tokens: opt_u64(r, "cache_write_tokens")?,
        cost_usd: r.get("cost_usd")?,
        absorbed: r.get::<_, Option<bool>>("absorbed")?.unwrap_or(false),
        dropped: r.get("dropped")?,
    })
}

/// The `usage.db` schema this byok reads and writes, recorded as SQLite's `user_version`.
/// 0 is a database from before the version was recorded: its tables are version 1's.
pub const SCHEMA_VERSION: i64 = crate::formats::USAGE_DB.current as i64;

/// Brings `usage.db` to [`SCHEMA_VERSION`]: the one place its format changes. A database
/// written by a newer byok is refused rather than altered.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(db_error(path))?;
    crate::formats::USAGE_DB.check(path, u64::try_from(version).unwrap_or(u64::MAX))?;
    conn.execute_batch(SCHEMA).map_err(db_error(path))?;
    if version < 2 {
        // Version 2: attempts absorbed by fallback, and the fields a translation dropped.
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('ledger')")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(db_error(path))?;
        for (name, ddl) in [
            (
                "absorbed",
                "ALTER TABLE ledger ADD COLUMN absorbed INTEGER NOT NULL DEFAULT 0",
            ),
            ("dropped", "ALTER TABLE ledger ADD COLUMN dropped TEXT"),
        ] {
            if !columns.iter().any(|c| c == name) {
                conn.execute_batch(ddl).map_err(db_error(path))?;
            }
        }
    }
    if version < SCHEMA_VERSION {
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(db_error(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_version_is_recorded_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.db");
        drop(Ledger::open_path(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let Err(e) = Ledger::open_path(&path) else {
            panic!("a newer schema was opened")
        };
        assert!(e.to_string().contains("newer byok") || format!("{e:?}").contains("newer byok"));
    }

    #[test]
    fn a_version_1_ledger_gains_the_attempt_columns_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.db");
        let conn = Connection::open(&path).unwrap();
        let v1 = SCHEMA.replace(
            ",\n  absorbed INTEGER NOT NULL DEFAULT 0,\n  dropped TEXT",
            "",
        );
        assert!(!v1.contains("absorbed"));
        conn.execute_batch(&v1).unwrap();
        conn.execute(
            "INSERT INTO ledger(time_ms, kind, connector, provider, model, ok, latency_ms) \
             VALUES (5, 'proxy', 'c', 'openai', 'm', 1, 3)",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        let mut l = Ledger::open_path(&path).unwrap();
        l.insert(&[Row {
            time_ms: 6,
            kind: "proxy".into(),
            absorbed: true,
            dropped: Some("context_management".into()),
            ..Row::default()
        }])
        .unwrap();
        let rows: Vec<(i64, bool, Option<String>)> = l
            .conn()
            .prepare("SELECT time_ms, absorbed, dropped FROM ledger ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (5, false, None),
                (6, true, Some("context_management".into()))
            ]
        );
    }

    #[test]
    fn rows_inserted_in_steps_are_one_transaction_with_a_pause_between_steps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.db");
        let mut l = Ledger::open_path(&path).unwrap();
        let rows: Vec<Row> = (0..70)
            .map(|i| Row {
                time_ms: i,
                kind: "proxy".into(),
                ..Row::default()
            })
            .collect();
        let mut pauses = 0;
        l.insert_in_steps(&rows, 32, || pauses += 1).unwrap();
        assert_eq!(pauses, 2, "70 rows in steps of 32: two pauses");
        let n: i64 = l
            .conn()
            .query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 70);
    }

    #[test]
    fn rows_round_trip_and_the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.db");
        let mut l = Ledger::open_path(&path).unwrap();
        let row = Row {
            time_ms: 1_700_000_000_000,
            kind: "test".into(),
            connector: "work".into(),
            provider: "openai".into(),
            model: "gpt-4.1-nano".into(),
            status: Some(200),
            ok: true,
            latency_ms: 12,
            input_tokens: Some(9),
            output_tokens: Some(1),
            cost_usd: Some(0.0000013),
            ..Row::default()
        };
        l.insert(&[
            row.clone(),
            Row {
                time_ms: row.time_ms + 1,
                ..row.clone()
            },
        ])
        .unwrap();
        let last = l.last_tests().unwrap();
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].time_ms, row.time_ms + 1);
        assert_eq!(last[0].input_tokens, Some(9));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
