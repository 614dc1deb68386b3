//! The usage log: `usage.jsonl` in the home directory (mode `0600`), one JSON object per
//! connection test, appended. It never holds a key: connector, provider, model, outcome,
//! latency and token counts only. `connector list` reads it for the "last test" column.
//!
//! ```json
//! {"time":"2026-11-23T05:00:00Z","kind":"test","connector":"work","provider":"openai",
//!  "model":"gpt-4.1-nano","ok":true,"latency_ms":412,"input_tokens":9,"output_tokens":1}
//! ```

use std::collections::HashMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::settings::Settings;

/// One line of the usage log.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UsageRecord {
    /// RFC 3339 UTC.
    pub time: String,
    /// What produced the record; `test` for connection tests.
    pub kind: String,
    pub connector: String,
    pub provider: String,
    pub model: String,
    pub ok: bool,
    /// The failure class label when `ok` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
}

/// Appends records to the log in one write (`O_APPEND`, so concurrent byok processes do not
/// interleave within a line).
pub fn append(settings: &Settings, records: &[UsageRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let path = settings.paths.usage_log();
    let mut text = String::new();
    for record in records {
        text.push_str(&serde_json::to_string(record).expect("plain data"));
        text.push('\n');
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    crate::fsutil::private_no_follow(&mut options);
    let mut file = options.open(&path).map_err(Error::io("open", &path))?;
    file.write_all(text.as_bytes())
        .map_err(Error::io("append to", &path))
}

/// The latest test record per connector name. Unreadable lines are skipped: the log is a
/// convenience, never a reason for `list` to fail.
pub fn last_tests(settings: &Settings) -> HashMap<String, UsageRecord> {
    let Ok(text) = std::fs::read_to_string(settings.paths.usage_log()) else {
        return HashMap::new();
    };
    let mut last = HashMap::new();
    for record in text
        .lines()
        .filter_map(|line| serde_json::from_str::<UsageRecord>(line).ok())
        .filter(|r| r.kind == "test")
    {
        last.insert(record.connector.clone(), record);
    }
    last
}
