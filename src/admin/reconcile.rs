//! `byok usage reconcile`: the providers' usage per key, per UTC day, against byok's ledger.
//! Spend a provider saw on a key byok holds and the ledger never did is the early sign of a
//! leaked key.
//!
//! - [`ledger_days`] reads the ledger's figures per connector and day;
//! - [`reconcile_admin`] finds each key at the provider, reads its usage (and cost) per day
//!   and compares them, one audit entry per provider call;
//! - [`judge`] is the comparison itself (pure, tested below).
//!
//! The rules, in docs/admin-keys.md ("Spend reconciliation"):
//!
//! - **Tokens decide** (input with cache reads and writes, plus output): every provider
//!   reports them per key. A day is `unseen` when the provider counted more than the ledger
//!   by over [`tolerance`] = max(100 tokens, 2% of the provider's count). Costs are shown,
//!   not compared: byok's is an estimate from its price table, the provider's is the bill.
//!   One exception: a provider cost above $0.01 on a day byok sent no request with the key
//!   at all is unseen spend too (OpenAI's costs include spend without tokens).
//! - **Midnight**: the ledger dates a request when it starts, a provider perhaps when it
//!   ends, so byok's surplus of the day before offsets a day's excess.
//! - **Uncounted requests**: when byok could not read a successful request's token counts
//!   (a stream without usage), a token excess is `unclear` unless the provider also counted
//!   more requests than byok sent.
//! - **Pending**: days the provider may still be reporting are shown, never judged:
//!   Anthropic's usage data lags up to 24 hours (a day is final 24 hours after it ends);
//!   OpenRouter's activity holds completed UTC days only (today is pending).
//! - **Unreported**: days the report does not cover (OpenRouter: older than 30 days).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::Provider;
use super::api::{AdminClient, DayUsage};
use crate::config::Config;
use crate::context::Context;
use crate::error::Result;
use crate::hygiene::audit::Entry;
use crate::ledger::Ledger;
use crate::names::DEFAULT_FIELD;

/// Seconds in a UTC day.
pub const DAY: u64 = 86_400;
/// Tokens a day may differ by whatever its size.
pub const TOKEN_SLACK: u64 = 100;
/// The share of the provider's count a day may differ by (percent).
pub const TOKEN_SHARE_PERCENT: u64 = 2;
/// Provider cost on a day byok sent nothing that is still noise.
pub const COST_ONLY_SLACK_USD: f64 = 0.01;

/// What the ledger holds for one connector (or secret) on one UTC day.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LedgerDay {
    /// Rows: proxied requests (failed ones and absorbed attempts included) and connection
    /// tests. Each may have reached the provider.
    pub requests: u64,
    /// Input (cache reads and writes included) plus output tokens.
    pub tokens: u64,
    /// byok's estimate, over the priced requests.
    pub cost_usd: f64,
    /// Successful proxied requests whose token counts byok could not read.
    pub uncounted: u64,
    /// Requests with token counts and no price for their model.
    pub unpriced: u64,
}

impl LedgerDay {
    fn add(&mut self, other: &LedgerDay) {
        self.requests += other.requests;
        self.tokens = self.tokens.saturating_add(other.tokens);
        self.cost_usd += other.cost_usd;
        self.uncounted += other.uncounted;
        self.unpriced += other.unpriced;
    }
}

/// Per connector name, per UTC day (its start, Unix seconds), the ledger's rows since `from`.
pub fn ledger_days(
    ledger: &Ledger,
    from: u64,
) -> Result<HashMap<String, BTreeMap<u64, LedgerDay>>> {
    let from_ms = i64::try_from(from.saturating_mul(1000)).unwrap_or(i64::MAX);
    let mut stmt = ledger
        .conn()
        .prepare(
            "SELECT connector, CAST(time_ms / 86400000 AS INTEGER), count(*), \
             total(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), total(cost_usd), \
             total(kind = 'proxy' AND ok AND NOT absorbed AND input_tokens IS NULL \
                   AND output_tokens IS NULL), \
             total(cost_usd IS NULL AND input_tokens IS NOT NULL) \
             FROM ledger WHERE time_ms >= ?1 AND typeof(connector) = 'text' GROUP BY 1, 2",
        )
        .map_err(ledger.err())?;
    let rows = stmt
        .query_map([from_ms], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                LedgerDay {
                    requests: r.get::<_, i64>(2)?.max(0) as u64,
                    tokens: r.get::<_, f64>(3)?.max(0.0) as u64,
                    cost_usd: r.get::<_, f64>(4)?.max(0.0),
                    uncounted: r.get::<_, f64>(5)?.max(0.0) as u64,
                    unpriced: r.get::<_, f64>(6)?.max(0.0) as u64,
                },
            ))
        })
        .map_err(ledger.err())?;
    let mut out: HashMap<String, BTreeMap<u64, LedgerDay>> = HashMap::new();
    for row in rows {
        let (connector, day, figures) = row.map_err(ledger.err())?;
        let day = (day.max(0) as u64).saturating_mul(DAY);
        out.entry(connector)
            .or_default()
            .entry(day)
            .or_default()
            .add(&figures);
    }
    Ok(out)
}

/// A day's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The provider counted no more than the ledger (within the tolerance).
    Ok,
    /// The provider counted spend the ledger never saw: a finding.
    Unseen,
    /// The provider counted more tokens, and byok could not read some requests' counts.
    Unclear,
    /// The provider may still be reporting this day: shown, not judged.
    Pending,
    /// The provider's report does not cover this day.
    Unreported,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Unseen => "unseen",
            Status::Unclear => "unclear",
            Status::Pending => "pending",
            Status::Unreported => "unreported",
        }
    }
}

/// What the provider reported for one key on one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderDay {
    pub tokens: u64,
    pub requests: Option<u64>,
    pub cost_usd: Option<f64>,
}

/// One key's day to judge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Day {
    /// The day's start (Unix seconds, UTC).
    pub start: u64,
    /// `None`: the provider's report does not cover the day.
    pub provider: Option<ProviderDay>,
    pub byok: LedgerDay,
    pub pending: bool,
}

/// A day's verdict and the tokens it flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    /// Tokens the provider counted beyond the ledger (its surplus, the day before's
    /// included), when that is more than the tolerance.
    pub unseen_tokens: u64,
}

/// The tokens a day may differ by: max(100, 2% of the provider's count, rounded up).
pub fn tolerance(provider_tokens: u64) -> u64 {
    TOKEN_SLACK.max(
        provider_tokens
            .saturating_mul(TOKEN_SHARE_PERCENT)
            .div_ceil(100),
    )
}

/// The first day (its start) a provider may still be reporting at `now`: a day is final
/// once its end is `lag` in the past (`None`: every day is compared as it stands).
pub fn first_pending_day(provider: Provider, now: u64) -> Option<u64> {
    let lag = match provider {
        // Freshness is not documented; a lag can only hide spend, never invent it.
        Provider::OpenAi => return None,
        // `/activity` holds completed UTC days: today is pending.
        Provider::OpenRouter => 0,
        // Data arrives within hours, sometimes 24.
        Provider::Anthropic => DAY,
    };
    // The first day whose end is after `now - lag`.
    Some((now.saturating_sub(lag + DAY)) / DAY * DAY + DAY)
}

/// Judges `days` (in order, one key). `before` is the ledger's day before the first one,
/// whose surplus may offset the first day's excess.
pub fn judge(days: &[Day], before: Option<&LedgerDay>) -> Vec<Verdict> {
    // byok's surplus over the provider on the day before: tokens and requests.
    let mut carry: (u64, u64) = before.map_or((0, 0), |b| (b.tokens, b.requests));
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        let b = &day.byok;
        let verdict = match &day.provider {
            _ if day.pending => Verdict {
                status: Status::Pending,
                unseen_tokens: 0,
            },
            None => Verdict {
                status: Status::Unreported,
                unseen_tokens: 0,
            },
            Some(p) => {
                let excess = p.tokens.saturating_sub(b.tokens).saturating_sub(carry.0);
                let sent = b.requests.saturating_add(carry.1);
                let status = if excess > tolerance(p.tokens) {
                    match p.requests {
                        _ if b.uncounted == 0 => Status::Unseen,
                        Some(counted) if counted > sent => Status::Unseen,
                        _ => Status::Unclear,
                    }
                } else if sent == 0 && p.cost_usd.is_some_and(|c| c > COST_ONLY_SLACK_USD) {
                    Status::Unseen
                } else {
                    Status::Ok
                };
                Verdict {
                    status,
                    unseen_tokens: if status == Status::Ok { 0 } else { excess },
                }
            }
        };
        carry = match &day.provider {
            Some(p) if !day.pending => (
                b.tokens.saturating_sub(p.tokens),
                p.requests
                    .map_or(b.requests, |r| b.requests.saturating_sub(r)),
            ),
            _ => (b.tokens, b.requests),
        };
        out.push(verdict);
    }
    out
}

/// One row of the report: a key (one or more secrets holding it) on one day.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub admin: String,
    pub provider: &'static str,
    /// The secret (refs, when several hold the same key).
    pub secrets: Vec<String>,
    /// The connectors whose ledger rows count for it.
    pub connectors: Vec<String>,
    /// Whether the key is used only through byok (`exclusive` in its `[[admin]]`).
    pub exclusive: bool,
    pub provider_tokens: Option<u64>,
    pub byok_tokens: u64,
    pub provider_requests: Option<u64>,
    pub byok_requests: u64,
    pub provider_cost_usd: Option<f64>,
    pub byok_cost_usd: f64,
    /// byok's requests with tokens and no price (its cost leaves them out).
    pub byok_unpriced: u64,
    /// byok's successful requests without token counts.
    pub byok_uncounted: u64,
    pub status: Status,
    pub unseen_tokens: u64,
}

impl Row {
    /// Whether the row is worth a line in the table (JSON has every row).
    pub fn notable(&self) -> bool {
        self.status != Status::Ok
            || self.byok_requests > 0
            || self.provider_tokens.is_some_and(|t| t > 0)
            || self.provider_cost_usd.is_some_and(|c| c > 0.0)
    }
}

/// What one admin connection's reconciliation found.
#[derive(Debug, Default)]
pub struct Report {
    pub rows: Vec<Row>,
    /// Keys not reconciled and why, for the user.
    pub notes: Vec<String>,
}

/// A key byok holds and the provider knows.
struct Target {
    key_id: String,
    secrets: Vec<String>,
    connectors: Vec<String>,
    exclusive: bool,
}

fn usage_entry(admin: &str, reference: Option<&str>) -> Entry {
    Entry {
        action: "admin.usage",
        connector: Some(admin.to_owned()),
        reference: reference.map(str::to_owned),
        ..Entry::default()
    }
}

/// Reconciles the keys of `client`'s provider that active connectors use, over the UTC days
/// from `from` (a day's start) to the one holding `now`. `ledger` is [`ledger_days`] from
/// the day before `from`.
pub fn reconcile_admin(
    ctx: &Context,
    client: &AdminClient<'_>,
    config: &Config,
    ledger: &HashMap<String, BTreeMap<u64, LedgerDay>>,
    from: u64,
    now: u64,
) -> Result<Report> {
    let decl = client.decl;
    let provider = client.provider;
    let mut report = Report::default();
    // The secrets active connectors of this provider use, with every connector (archived
    // ones too: their rows are in the ledger) using each.
    let mut secrets: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in config.active().filter(|c| c.kind == provider.id()) {
        if let Some(secret) = c.secret.as_deref() {
            secrets.entry(secret).or_default();
        }
    }
    for c in config.connectors() {
        if let Some(users) = c.secret.as_deref().and_then(|s| secrets.get_mut(s)) {
            users.push(c.name.clone());
        }
    }
    for reference in &decl.exclusive {
        if !secrets.contains_key(reference.as_str()) {
            report.notes.push(format!(
                "admin '{}': the exclusive secret '{reference}' is used by no active {} \
                 connector; it is not reconciled",
                decl.name,
                provider.display()
            ));
        }
    }
    if secrets.is_empty() {
        report.notes.push(format!(
            "admin '{}': no active {} connector uses a stored key; nothing to reconcile",
            decl.name,
            provider.display()
        ));
        return Ok(report);
    }

    // Each secret's key at the provider (one call per secret: OpenRouter reads the key by
    // its hash, OpenAI and Anthropic list keys and match the hint).
    let registry = ctx.registry()?;
    let mut targets: Vec<Target> = Vec::new();
    for (reference, connectors) in secrets {
        let value = match registry
            .resolve(reference, None)
            .and_then(|found| crate::store::registry::value_of(&found, DEFAULT_FIELD))
        {
            Ok(value) => value,
            Err(e) => {
                report.notes.push(format!(
                    "secret '{reference}': not reconciled, its key cannot be read ({e})"
                ));
                continue;
            }
        };
        let found = client.find(&value);
        drop(value);
        ctx.audit_now(
            usage_entry(&decl.name, Some(reference)),
            found.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        let key = match found {
            Ok(Some(key)) => key,
            Ok(None) => {
                report.notes.push(format!(
                    "secret '{reference}': not reconciled, {} (admin connection '{}') does not \
                     list its key",
                    provider.display(),
                    decl.name
                ));
                continue;
            }
            Err(e) => {
                report
                    .notes
                    .push(format!("secret '{reference}': not reconciled: {e}"));
                continue;
            }
        };
        let exclusive = decl.exclusive.iter().any(|r| r == reference);
        // Two secrets holding the same key: one target, or its usage would count twice.
        match targets.iter_mut().find(|t| t.key_id == key.id) {
            Some(target) => {
                target.secrets.push(reference.to_owned());
                target.connectors.extend(connectors);
                target.exclusive |= exclusive;
            }
            None => targets.push(Target {
                key_id: key.id,
                secrets: vec![reference.to_owned()],
                connectors,
                exclusive,
            }),
        }
    }
    if targets.is_empty() {
        return Ok(report);
    }

    let ids: Vec<String> = targets.iter().map(|t| t.key_id.clone()).collect();
    let usage = client.usage_by_day(&ids, from);
    ctx.audit_now(
        usage_entry(&decl.name, None),
        usage.as_ref().map(drop).map_err(|e| e.exit() as u8),
    )?;
    let usage = usage?;
    let costs = if provider == Provider::OpenAi {
        let costs = client.costs_by_day(&ids, from);
        ctx.audit_now(
            usage_entry(&decl.name, None),
            costs.as_ref().map(drop).map_err(|e| e.exit() as u8),
        )?;
        costs?
    } else {
        None
    };

    let today = now / DAY * DAY;
    let pending_from = first_pending_day(provider, now).unwrap_or(u64::MAX);
    for target in targets {
        let mut byok: BTreeMap<u64, LedgerDay> = BTreeMap::new();
        for connector in &target.connectors {
            for (day, figures) in ledger.get(connector).into_iter().flatten() {
                byok.entry(*day).or_default().add(figures);
            }
        }
        let reported = usage.get(&target.key_id);
        let cost_of = |day: u64| -> Option<f64> {
            costs.as_ref().map(|c| {
                c.get(&target.key_id)
                    .and_then(|d| d.get(&day))
                    .copied()
                    .unwrap_or(0.0)
            })
        };
        let days: Vec<Day> = (from..=today)
            .step_by(DAY as usize)
            .map(|start| Day {
                start,
                provider: reported
                    .and_then(|r| r.get(&start))
                    .map(|u: &DayUsage| ProviderDay {
                        tokens: u.input_tokens.saturating_add(u.output_tokens),
                        requests: u.requests,
                        cost_usd: u.cost_usd.or_else(|| cost_of(start)),
                    }),
                byok: byok.get(&start).cloned().unwrap_or_default(),
                pending: start >= pending_from,
            })
            .collect();
        let before = byok.get(&from.saturating_sub(DAY));
        let verdicts = judge(&days, before);
        for (day, verdict) in days.iter().zip(verdicts) {
            report.rows.push(Row {
                day: super::rfc3339(day.start)[..10].to_owned(),
                admin: decl.name.clone(),
                provider: provider.display(),
                secrets: target.secrets.clone(),
                connectors: target.connectors.clone(),
                exclusive: target.exclusive,
                provider_tokens: day.provider.as_ref().map(|p| p.tokens),
                byok_tokens: day.byok.tokens,
                provider_requests: day.provider.as_ref().and_then(|p| p.requests),
                byok_requests: day.byok.requests,
                provider_cost_usd: day.provider.as_ref().and_then(|p| p.cost_usd),
                byok_cost_usd: day.byok.cost_usd,
                byok_unpriced: day.byok.unpriced,
                byok_uncounted: day.byok.uncounted,
                status: verdict.status,
                unseen_tokens: verdict.unseen_tokens,
            });
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: u64 = 20_000 * DAY;

    fn provider(tokens: u64, requests: Option<u64>, cost: Option<f64>) -> Option<ProviderDay> {
        Some(ProviderDay {
            tokens,
            requests,
            cost_usd: cost,
        })
    }

    fn byok(requests: u64, tokens: u64) -> LedgerDay {
        LedgerDay {
            requests,
            tokens,
            ..LedgerDay::default()
        }
    }

    fn day(n: u64, provider: Option<ProviderDay>, byok: LedgerDay) -> Day {
        Day {
            start: D + n * DAY,
            provider,
            byok,
            pending: false,
        }
    }

    fn statuses(days: &[Day]) -> Vec<Status> {
        judge(days, None).into_iter().map(|v| v.status).collect()
    }

    #[test]
    fn the_tolerance_is_100_tokens_or_2_percent() {
        assert_eq!(tolerance(0), 100);
        assert_eq!(tolerance(5_000), 100);
        assert_eq!(tolerance(5_001), 101);
        assert_eq!(tolerance(1_000_000), 20_000);
        assert_eq!(
            tolerance(u64::MAX),
            u64::MAX.saturating_mul(2).div_ceil(100)
        );
    }

    #[test]
    fn agreement_and_small_differences_are_ok() {
        let days = [
            day(0, provider(0, Some(0), Some(0.0)), byok(0, 0)),
            day(1, provider(1_100, Some(100), None), byok(100, 1_100)),
            // Within 100 tokens.
            day(2, provider(1_190, Some(10), None), byok(10, 1_100)),
            // Within 2% of a large count.
            day(3, provider(1_000_000, Some(10), None), byok(10, 985_000)),
            // byok saw more (the provider is late, or counted differently): never a finding.
            day(4, provider(10, Some(1), None), byok(50, 90_000)),
        ];
        assert_eq!(statuses(&days), vec![Status::Ok; 5]);
    }

    #[test]
    fn spend_the_ledger_never_saw_is_unseen() {
        let days = [
            day(0, provider(5_500, Some(3), Some(0.5)), byok(0, 0)),
            day(1, provider(1_000_000, Some(10), None), byok(10, 970_000)),
        ];
        let verdicts = judge(&days, None);
        assert_eq!(verdicts[0].status, Status::Unseen);
        assert_eq!(verdicts[0].unseen_tokens, 5_500);
        assert_eq!(verdicts[1].status, Status::Unseen);
        assert_eq!(verdicts[1].unseen_tokens, 30_000);
    }

    #[test]
    fn the_day_before_s_surplus_offsets_a_request_across_midnight() {
        // A 40,000-token request started at 23:59 (byok's day 0) and billed on day 1.
        let days = [
            day(0, provider(1_000, Some(1), None), byok(2, 41_000)),
            day(1, provider(40_000, Some(1), None), byok(0, 0)),
            // The surplus is used once: a later day gets none.
            day(2, provider(40_000, Some(1), None), byok(0, 0)),
        ];
        assert_eq!(
            statuses(&days),
            vec![Status::Ok, Status::Ok, Status::Unseen]
        );
        // The ledger's day before the window counts likewise.
        let first = [day(0, provider(40_000, Some(1), None), byok(0, 0))];
        assert_eq!(judge(&first, Some(&byok(1, 40_000)))[0].status, Status::Ok);
        assert_eq!(judge(&first, None)[0].status, Status::Unseen);
    }

    #[test]
    fn requests_without_token_counts_make_an_excess_unclear_unless_requests_exceed_too() {
        let uncounted = LedgerDay {
            requests: 5,
            tokens: 100,
            uncounted: 4,
            ..LedgerDay::default()
        };
        let days = [
            // As many requests as byok sent: the excess may be the uncounted ones.
            day(0, provider(9_000, Some(5), None), uncounted.clone()),
            // More requests than byok ever sent: unseen.
            day(1, provider(9_000, Some(9), None), uncounted.clone()),
            // No request counts (Anthropic): cannot tell.
            day(2, provider(9_000, None, None), uncounted),
        ];
        assert_eq!(
            statuses(&days),
            vec![Status::Unclear, Status::Unseen, Status::Unclear]
        );
    }

    #[test]
    fn cost_on_a_day_byok_sent_nothing_is_unseen() {
        let days = [
            // Spend without tokens (images, audio) on a key byok did not use that day.
            day(0, provider(0, Some(0), Some(0.40)), byok(0, 0)),
            // Below a cent: noise.
            day(1, provider(0, Some(0), Some(0.005)), byok(0, 0)),
            // byok used the key: costs are estimates, not compared.
            day(2, provider(500, Some(5), Some(3.0)), byok(5, 500)),
        ];
        assert_eq!(
            statuses(&days),
            vec![Status::Unseen, Status::Ok, Status::Ok]
        );
    }

    #[test]
    fn pending_and_unreported_days_are_never_findings() {
        let mut pending = day(1, provider(1_000_000, Some(9), Some(9.0)), byok(0, 0));
        pending.pending = true;
        let days = [day(0, None, byok(0, 0)), pending];
        let verdicts = judge(&days, None);
        assert_eq!(verdicts[0].status, Status::Unreported);
        assert_eq!(verdicts[1].status, Status::Pending);
        assert!(verdicts.iter().all(|v| v.unseen_tokens == 0));
        // An unreported day's ledger rows may still offset the next day.
        let days = [
            day(0, None, byok(1, 40_000)),
            day(1, provider(40_000, Some(1), None), byok(0, 0)),
        ];
        assert_eq!(statuses(&days), vec![Status::Unreported, Status::Ok]);
    }

    #[test]
    fn pending_days_follow_each_provider_s_lag() {
        let noon = D + DAY / 2;
        // OpenAI: nothing pending.
        assert_eq!(first_pending_day(Provider::OpenAi, noon), None);
        // OpenRouter: today.
        assert_eq!(first_pending_day(Provider::OpenRouter, noon), Some(D));
        assert_eq!(first_pending_day(Provider::OpenRouter, D), Some(D));
        // Anthropic: yesterday (it ended less than 24 hours ago) and today.
        assert_eq!(first_pending_day(Provider::Anthropic, noon), Some(D - DAY));
        assert_eq!(first_pending_day(Provider::Anthropic, D), Some(D - DAY));
        assert_eq!(
            first_pending_day(Provider::Anthropic, D - 1),
            Some(D - 2 * DAY)
        );
    }
}
