//! Connection-test records, kept in the usage ledger ([`crate::ledger`], `usage.db`). It
//! never holds a key: connector, provider, model, outcome, latency and token counts only.
//! `connector list` reads it for the "last test" column.
//!
//! Before the ledger existed these records were lines of `usage.jsonl`; [`UsageRecord`] is
//! that line's shape, still read once when the ledger imports the old file:
//!
//! ```json
//! {"time":"2026-11-23T05:00:00Z","kind":"test","connector":"work","provider":"openai",
//!  "model":"gpt-4.1-nano","ok":true,"latency_ms":412,"input_tokens":9,"output_tokens":1}
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ledger::prices::{Counts, PriceTable};
use crate::ledger::{Ledger, Row};
use crate::settings::Settings;

/// One connection test (and one line of the old `usage.jsonl`).
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

/// The ledger row of a record, priced with `prices`.
pub fn row_of(r: &UsageRecord, prices: &PriceTable) -> Row {
    let time_ms = humantime::parse_rfc3339_weak(&r.time)
        .map(crate::ledger::unix_ms)
        .unwrap_or(0);
    let cost = match (r.input_tokens, r.output_tokens) {
        (None, None) => None,
        (i, o) => prices.cost(
            &r.model,
            time_ms,
            Counts {
                input: i.unwrap_or(0),
                output: o.unwrap_or(0),
                ..Counts::default()
            },
        ),
    };
    Row {
        time_ms,
        kind: r.kind.clone(),
        token: None,
        connector: r.connector.clone(),
        provider: r.provider.clone(),
        model: r.model.clone(),
        status: r.status.or(r.ok.then_some(200)),
        ok: r.ok,
        cause: r.cause.clone(),
        latency_ms: r.latency_ms,
        ttft_ms: None,
        input_tokens: r.input_tokens,
        output_tokens: r.output_tokens,
        cached_tokens: None,
        cache_write_tokens: None,
        cost_usd: cost,
        absorbed: false,
        dropped: None,
    }
}

/// Records connection tests in the ledger, in one transaction.
pub fn append(
    settings: &Settings,
    config: &crate::config::Config,
    records: &[UsageRecord],
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let prices = PriceTable::for_config(config);
    let rows: Vec<Row> = records.iter().map(|r| row_of(r, &prices)).collect();
    Ledger::open(settings)?.insert(&rows)
}

/// The latest test record per connector name. An unreadable ledger yields nothing: the
/// column is a convenience, never a reason for `list` to fail.
pub fn last_tests(settings: &Settings) -> HashMap<String, UsageRecord> {
    let Ok(Some(ledger)) = Ledger::open_existing(settings) else {
        return HashMap::new();
    };
    let Ok(rows) = ledger.last_tests() else {
        return HashMap::new();
    };
    rows.into_iter()
        .map(|r| {
            (
                r.connector.clone(),
                UsageRecord {
                    time: crate::ledger::rfc3339(r.time_ms),
                    kind: r.kind,
                    connector: r.connector,
                    provider: r.provider,
                    model: r.model,
                    ok: r.ok,
                    cause: r.cause,
                    status: r.status,
                    latency_ms: r.latency_ms,
                    input_tokens: r.input_tokens,
                    output_tokens: r.output_tokens,
                },
            )
        })
        .collect()
}
