//! What `byok usage` computes from the ledger: per-group counts, failures by cause, median
//! and p95 latency, tokens and cost (SQL aggregates plus one pass over the latencies), and
//! the anomaly check of `--check`. How it is shown lives in [`super::render`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use super::{DAY_MS, Ledger, day_label, rfc3339};
use crate::error::Result;

/// What rows are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Total,
    Token,
    Connector,
    Provider,
    Model,
    Day,
}

impl By {
    pub fn parse(text: &str) -> Option<By> {
        Some(match text {
            "token" => By::Token,
            "connector" => By::Connector,
            "provider" => By::Provider,
            "model" => By::Model,
            "day" => By::Day,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            By::Total => "total",
            By::Token => "token",
            By::Connector => "connector",
            By::Provider => "provider",
            By::Model => "model",
            By::Day => "day",
        }
    }
}

/// The aggregates of one group.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    pub key: String,
    pub requests: u64,
    pub failures: u64,
    pub failures_by_cause: BTreeMap<String, u64>,
    /// Failed attempts the proxy absorbed by falling back to the next connector (not
    /// requests: each request's row is the attempt that answered it).
    pub absorbed: u64,
    pub absorbed_by_cause: BTreeMap<String, u64>,
    /// Per request field a translation dropped with a note, the requests it was dropped from.
    pub dropped_fields: BTreeMap<String, u64>,
    pub latency_p50_ms: u64,
    pub latency_p95_ms: u64,
    /// Time to the first streamed byte, over the streamed requests (`None`: none streamed).
    pub ttft_p50_ms: Option<u64>,
    pub ttft_p95_ms: Option<u64>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cached_tokens: u64,
    /// Estimated cost of the priced requests.
    pub cost_usd: f64,
    /// Requests with token counts but no price for their model.
    pub unpriced_requests: u64,
}

/// A whole `byok usage` answer.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub since: String,
    pub until: String,
    pub by: &'static str,
    pub total: Stats,
    pub groups: Vec<Stats>,
    /// Per UTC day, for the charts.
    #[serde(skip)]
    pub days: Vec<Stats>,
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    // Nearest rank.
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Aggregates the rows in `[from_ms, to_ms)` grouped by `by`, largest cost then most
/// requests first (days: in order).
pub fn aggregate(ledger: &Ledger, by: By, from_ms: i64, to_ms: i64) -> Result<Vec<Stats>> {
    Ok(aggregate_many(ledger, &[by], from_ms, to_ms)?
        .pop()
        .unwrap_or_default())
}

/// One group being summed: its figures and its latencies (sorted at the end).
#[derive(Default)]
struct Acc {
    stats: Stats,
    latencies: Vec<u64>,
    ttfts: Vec<u64>,
}

/// Aggregates the rows in `[from_ms, to_ms)` once per grouping in `bys`, in one pass over
/// the ledger: a million rows are read once (a table scan, not the time index, which would
/// fetch every row at random), not once per aggregate.
pub fn aggregate_many(
    ledger: &Ledger,
    bys: &[By],
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Vec<Stats>>> {
    let conn = ledger.conn();
    let mut groups: Vec<HashMap<String, Acc>> = bys.iter().map(|_| HashMap::new()).collect();
    // `+time_ms`: a range over most of the ledger is read fastest in table order.
    let mut stmt = conn
        .prepare_cached(
            "SELECT time_ms, kind, token, connector, provider, model, ok, cause, latency_ms, \
             input_tokens, output_tokens, cached_tokens, cost_usd, ttft_ms, absorbed, dropped \
             FROM ledger WHERE +time_ms >= ?1 AND +time_ms < ?2",
        )
        .map_err(ledger.err())?;
    let mut rows = stmt.query([from_ms, to_ms]).map_err(ledger.err())?;
    let mut day_key = String::new();
    let mut token_key = String::new();
    while let Some(r) = rows.next().map_err(ledger.err())? {
        let text = |i: usize| -> Result<Option<&str>> {
            Ok(r.get_ref(i)
                .map_err(ledger.err())?
                .as_str_or_null()
                .ok()
                .flatten())
        };
        let int =
            |i: usize| -> Result<Option<i64>> { r.get::<_, Option<i64>>(i).map_err(ledger.err()) };
        let time_ms = int(0)?.unwrap_or(0);
        let ok = int(6)?.unwrap_or(0) != 0;
        let latency = int(8)?.unwrap_or(0).max(0) as u64;
        let input = int(9)?;
        let output = int(10)?.unwrap_or(0).max(0) as u64;
        let cached = int(11)?.unwrap_or(0).max(0) as u64;
        let cost: Option<f64> = r.get(12).map_err(ledger.err())?;
        let ttft = int(13)?.map(|t| t.max(0) as u64);
        let absorbed = int(14)?.unwrap_or(0) != 0;
        let cause = if ok {
            None
        } else {
            Some(text(7)?.unwrap_or("unknown"))
        };
        for (by, map) in bys.iter().zip(groups.iter_mut()) {
            let key: &str = match by {
                By::Total => "total",
                // Connection tests have no token: they group as "(test)".
                By::Token => match text(2)? {
                    Some(t) => t,
                    None => {
                        token_key.clear();
                        let _ = write!(token_key, "({})", text(1)?.unwrap_or(""));
                        &token_key
                    }
                },
                By::Connector => text(3)?.unwrap_or(""),
                By::Provider => text(4)?.unwrap_or(""),
                By::Model => text(5)?.unwrap_or(""),
                By::Day => {
                    day_key.clear();
                    let _ = write!(day_key, "{}", time_ms / DAY_MS);
                    &day_key
                }
            };
            let acc = match map.get_mut(key) {
                Some(acc) => acc,
                None => map.entry(key.to_owned()).or_insert_with(|| Acc {
                    stats: Stats {
                        key: key.to_owned(),
                        ..Stats::default()
                    },
                    latencies: Vec::new(),
                    ttfts: Vec::new(),
                }),
            };
            let g = &mut acc.stats;
            if absorbed {
                g.absorbed += 1;
                let cause = cause.unwrap_or("unknown");
                *g.absorbed_by_cause.entry(cause.to_owned()).or_default() += 1;
                continue;
            }
            g.requests += 1;
            if let Some(list) = text(15)? {
                for field in list.split(", ").filter(|f| !f.is_empty()) {
                    match g.dropped_fields.get_mut(field) {
                        Some(n) => *n += 1,
                        None => {
                            g.dropped_fields.insert(field.to_owned(), 1);
                        }
                    }
                }
            }
            if let Some(cause) = cause {
                g.failures += 1;
                match g.failures_by_cause.get_mut(cause) {
                    Some(n) => *n += 1,
                    None => {
                        g.failures_by_cause.insert(cause.to_owned(), 1);
                    }
                }
            }
            g.input_tokens += input.unwrap_or(0).max(0) as u64;
            g.output_tokens += output;
            g.cached_tokens += cached;
            match cost {
                Some(c) => g.cost_usd += c,
                None if input.is_some() => g.unpriced_requests += 1,
                None => {}
            }
            acc.latencies.push(latency);
            if let Some(t) = ttft {
                acc.ttfts.push(t);
            }
        }
    }
    Ok(bys
        .iter()
        .zip(groups)
        .map(|(by, map)| finish(*by, map))
        .collect())
}

/// The groups' percentiles and their order.
fn finish(by: By, map: HashMap<String, Acc>) -> Vec<Stats> {
    let mut out: Vec<Stats> = map
        .into_values()
        .map(|mut acc| {
            acc.latencies.sort_unstable();
            acc.stats.latency_p50_ms = percentile(&acc.latencies, 0.5);
            acc.stats.latency_p95_ms = percentile(&acc.latencies, 0.95);
            if !acc.ttfts.is_empty() {
                acc.ttfts.sort_unstable();
                acc.stats.ttft_p50_ms = Some(percentile(&acc.ttfts, 0.5));
                acc.stats.ttft_p95_ms = Some(percentile(&acc.ttfts, 0.95));
            }
            acc.stats
        })
        .collect();
    if by == By::Day {
        // Day numbers sort as numbers, then become labels.
        out.sort_by_key(|g| g.key.parse::<i64>().unwrap_or(0));
        for g in &mut out {
            let day: i64 = g.key.parse().unwrap_or(0);
            g.key = day_label(day * DAY_MS);
        }
    } else {
        out.sort_by(|a, b| {
            b.cost_usd
                .total_cmp(&a.cost_usd)
                .then(b.requests.cmp(&a.requests))
                .then(a.key.cmp(&b.key))
        });
    }
    out
}

/// The report for `[from_ms, to_ms)`.
pub fn report(ledger: &Ledger, by: By, from_ms: i64, to_ms: i64) -> Result<Report> {
    let extra = !matches!(by, By::Day | By::Total);
    let bys: &[By] = if extra {
        &[By::Total, By::Day, by]
    } else {
        &[By::Total, By::Day]
    };
    let mut all = aggregate_many(ledger, bys, from_ms, to_ms)?.into_iter();
    let total = all
        .next()
        .and_then(|mut t| t.pop())
        .unwrap_or_else(|| Stats {
            key: "total".into(),
            ..Stats::default()
        });
    let days = all.next().unwrap_or_default();
    let groups = match by {
        By::Day => days.clone(),
        By::Total => Vec::new(),
        _ => all.next().unwrap_or_default(),
    };
    Ok(Report {
        since: rfc3339(from_ms),
        until: rfc3339(to_ms),
        by: by.name(),
        total,
        groups,
        days,
    })
}

// ---- anomalies -----------------------------------------------------------------------------

/// What `--check` looks for.
#[derive(Clone, Copy, Debug)]
pub struct CheckSettings {
    /// Today's spend above this many times the trailing 7-day daily median is an anomaly.
    pub anomaly_factor: f64,
    /// More than this many authentication failures of a connector today is an anomaly.
    pub auth_failures: u64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            anomaly_factor: 3.0,
            auth_failures: 5,
        }
    }
}

/// One anomaly.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Finding {
    /// `spend` or `auth_failures`.
    pub kind: &'static str,
    /// `token` or `connector`.
    pub subject: &'static str,
    pub name: String,
    pub today: f64,
    /// The trailing 7-day daily median (spend) or the threshold (auth failures).
    pub baseline: f64,
    pub message: String,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Today's anomalies, with `today_ms` the start of the current UTC day.
pub fn check(ledger: &Ledger, today_ms: i64, settings: CheckSettings) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let start = today_ms - 7 * DAY_MS;
    for (subject, column) in [("token", "token"), ("connector", "connector")] {
        let mut stmt = ledger
            .conn()
            .prepare(&format!(
                "SELECT {column}, time_ms / 86400000, total(cost_usd) FROM ledger \
                 WHERE {column} IS NOT NULL AND time_ms >= ?1 AND time_ms < ?2 GROUP BY 1, 2"
            ))
            .map_err(ledger.err())?;
        let mut per: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
        let mut rows = stmt
            .query([start, today_ms + DAY_MS])
            .map_err(ledger.err())?;
        while let Some(r) = rows.next().map_err(ledger.err())? {
            let name: String = r.get(0).map_err(ledger.err())?;
            let day: i64 = r.get(1).map_err(ledger.err())?;
            let usd: f64 = r.get(2).map_err(ledger.err())?;
            per.entry(name).or_default().insert(day, usd);
        }
        let today_day = today_ms / DAY_MS;
        for (name, days) in per {
            let today = days.get(&today_day).copied().unwrap_or(0.0);
            // Days without spend count as zero.
            let mut trailing: Vec<f64> = (1..=7)
                .map(|i| days.get(&(today_day - i)).copied().unwrap_or(0.0))
                .collect();
            let med = median(&mut trailing);
            // Without a baseline (a median of zero) nothing is anomalous yet.
            if med > 0.0 && today > settings.anomaly_factor * med {
                findings.push(Finding {
                    kind: "spend",
                    subject,
                    message: format!(
                        "{subject} '{}' spent ${today:.4} today, over {}× its 7-day daily median (${med:.4})",
                        crate::term::sanitize::line(&name).into_owned(),
                        settings.anomaly_factor
                    ),
                    name,
                    today,
                    baseline: med,
                });
            }
        }
    }
    let mut stmt = ledger
        .conn()
        .prepare(
            // Absorbed attempts count: fallback hides a dead key from clients, not from this.
            "SELECT connector, count(*), total(absorbed) FROM ledger WHERE time_ms >= ?1 \
             AND time_ms < ?2 AND cause = 'invalid key' GROUP BY 1 ORDER BY 1",
        )
        .map_err(ledger.err())?;
    let mut rows = stmt
        .query([today_ms, today_ms + DAY_MS])
        .map_err(ledger.err())?;
    while let Some(r) = rows.next().map_err(ledger.err())? {
        let name: String = r.get(0).map_err(ledger.err())?;
        let n: i64 = r.get(1).map_err(ledger.err())?;
        let absorbed: f64 = r.get(2).map_err(ledger.err())?;
        if n.max(0) as u64 > settings.auth_failures {
            let hidden = if absorbed > 0.0 {
                format!(", {absorbed} of them absorbed by fallback to another connector")
            } else {
                String::new()
            };
            findings.push(Finding {
                kind: "auth_failures",
                subject: "connector",
                message: format!(
                    "connector '{}' had {n} authentication failures today{hidden} (threshold {})",
                    crate::term::sanitize::line(&name).into_owned(),
                    settings.auth_failures
                ),
                name,
                today: n as f64,
                baseline: settings.auth_failures as f64,
            });
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Row;
    use crate::ledger::render::{csv, table_rows};

    fn row(time_ms: i64, token: &str, model: &str, latency: u64, cost: Option<f64>) -> Row {
        Row {
            time_ms,
            kind: "proxy".into(),
            token: Some(token.into()),
            connector: "c".into(),
            provider: "openai".into(),
            model: model.into(),
            status: Some(200),
            ok: true,
            latency_ms: latency,
            input_tokens: Some(10),
            output_tokens: Some(5),
            cost_usd: cost,
            ..Row::default()
        }
    }

    #[test]
    fn time_to_first_token_is_over_the_streamed_rows_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open_path(&dir.path().join("u.db")).unwrap();
        let mut rows: Vec<Row> = (1..=20)
            .map(|i| Row {
                ttft_ms: Some(i * 10),
                ..row(DAY_MS + i as i64, "a", "m1", 500, None)
            })
            .collect();
        // Whole answers have no TTFT and do not count towards it.
        rows.extend((0..50).map(|i| row(DAY_MS + 100 + i, "b", "m2", 5, None)));
        l.insert(&rows).unwrap();
        let r = report(&l, By::Token, 0, 3 * DAY_MS).unwrap();
        assert_eq!(
            (r.total.ttft_p50_ms, r.total.ttft_p95_ms),
            (Some(100), Some(190))
        );
        let b = r.groups.iter().find(|g| g.key == "b").unwrap();
        assert_eq!(b.ttft_p50_ms, None);
        assert!(
            crate::ledger::render::summary_text(&r)
                .contains("time to first token (streamed requests) p50 100 ms, p95 190 ms"),
            "{}",
            crate::ledger::render::summary_text(&r)
        );
        let csv = csv(&r);
        assert!(
            csv.lines()
                .next()
                .unwrap()
                .ends_with(",ttft_p50_ms,ttft_p95_ms,absorbed")
        );
        assert!(
            csv.lines()
                .any(|l| l.starts_with("a,") && l.ends_with(",100,190,0")),
            "{csv}"
        );
        assert!(
            csv.lines()
                .any(|l| l.starts_with("b,") && l.ends_with(",,,0")),
            "{csv}"
        );
        let (header, table) = table_rows(&r);
        let col = header.iter().position(|h| h == "TTFT P50").unwrap();
        assert!(
            table.iter().any(|row| row[col] == "100") && table.iter().any(|row| row[col] == "-")
        );
    }

    #[test]
    fn aggregates_percentiles_and_groups() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open_path(&dir.path().join("u.db")).unwrap();
        let mut rows: Vec<Row> = (1..=100)
            .map(|i| row(DAY_MS + i, "a", "m1", i as u64, Some(0.01)))
            .collect();
        rows.push(row(2 * DAY_MS, "b", "m2", 1000, None));
        rows.push(Row {
            ok: false,
            cause: Some("rate limited".into()),
            input_tokens: None,
            output_tokens: None,
            ..row(2 * DAY_MS, "b", "m2", 5, None)
        });
        l.insert(&rows).unwrap();
        let r = report(&l, By::Token, 0, 3 * DAY_MS).unwrap();
        assert_eq!(r.total.requests, 102);
        assert_eq!(r.total.failures, 1);
        assert_eq!(r.total.unpriced_requests, 1);
        assert_eq!(r.total.input_tokens, 1010);
        assert!((r.total.cost_usd - 1.0).abs() < 1e-9);
        assert_eq!(r.groups[0].key, "a");
        assert_eq!(r.groups[0].latency_p50_ms, 50);
        assert_eq!(r.groups[0].latency_p95_ms, 95);
        assert_eq!(r.groups[1].failures_by_cause["rate limited"], 1);
        // No streamed rows: no time to first token.
        assert_eq!(r.total.ttft_p50_ms, None);
        assert!(!crate::ledger::render::summary_text(&r).contains("first token"));
        assert_eq!(r.days.len(), 2);
        assert_eq!(r.days[0].key, "1970-01-02");
        let csv = csv(&r);
        assert!(csv.starts_with("token,requests,"), "{csv}");
        assert_eq!(csv.lines().count(), 3);
    }

    #[test]
    fn check_finds_spend_over_the_median_and_auth_failures() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open_path(&dir.path().join("u.db")).unwrap();
        let today = 10 * DAY_MS;
        let mut rows = Vec::new();
        for d in 1..=7 {
            rows.push(row(today - d * DAY_MS, "a", "m", 1, Some(1.0)));
        }
        rows.push(row(today + 5, "a", "m", 1, Some(3.0)));
        l.insert(&rows).unwrap();
        assert!(
            check(&l, today, CheckSettings::default())
                .unwrap()
                .is_empty()
        );
        l.insert(&[row(today + 6, "a", "m", 1, Some(0.5))]).unwrap();
        let f = check(&l, today, CheckSettings::default()).unwrap();
        // token 'a' and connector 'c' both spent 3.5 > 3 × 1.0
        assert_eq!(f.len(), 2, "{f:?}");
        let bad: Vec<Row> = (0..6)
            .map(|i| Row {
                ok: false,
                cause: Some("invalid key".into()),
                connector: "k".into(),
                ..row(today + i, "z", "m", 1, None)
            })
            .collect();
        l.insert(&bad).unwrap();
        let f = check(&l, today, CheckSettings::default()).unwrap();
        assert!(f.iter().any(|f| f.kind == "auth_failures" && f.name == "k"));
    }
}
