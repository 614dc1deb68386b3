//! `byok usage`: the ledger's totals and groups (text with a per-day chart on a terminal,
//! JSON, CSV), the anomaly check (`--check`, exit 9), the HTML report (`--html FILE`) and
//! `usage reconcile` (the providers' usage per key against the ledger, exit 9 on unseen
//! spend on a key used only through byok).

use crate::admin::reconcile::{self, DAY, Row, Status};
use crate::cli::{UsageArgs, UsageCommand, UsageReconcileArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ledger::render;
use crate::ledger::report::{self, By, CheckSettings};
use crate::ledger::{Clock, DAY_MS, Ledger};
use crate::term::output;

pub fn run(ctx: &Context, args: &UsageArgs) -> Result<()> {
    if let Some(UsageCommand::Reconcile(r)) = &args.command {
        return reconcile(ctx, r);
    }
    let settings = &ctx.settings;
    let clock = Clock::from_settings(settings);
    let now = clock.now_ms();
    let from = parse_since(&args.since, now)?;
    let ledger = Ledger::open(settings)?;
    if args.check {
        return check(ctx, &ledger, &clock, args.json);
    }
    let until = now + 1;
    if let Some(path) = &args.html {
        let r = report::report(&ledger, By::Total, from, until)?;
        let mut groups =
            report::aggregate_many(&ledger, &[By::Connector, By::Token, By::Model], from, until)?
                .into_iter();
        let mut next = || groups.next().unwrap_or_default();
        let (by_connector, by_token, by_model) = (next(), next(), next());
        let page = render::html(&r, &by_connector, &by_token, &by_model);
        write_private(path, page.as_bytes())?;
        output::status(&format!(
            "wrote {} ({} requests, {})",
            path.display(),
            r.total.requests,
            render::usd(r.total.cost_usd)
        ));
        return Ok(());
    }
    let by = match args.by.as_deref() {
        None if args.json || args.csv => By::Day,
        None => By::Total,
        Some(b) => By::parse(b).ok_or_else(|| Error::Usage(format!("unknown --by '{b}'")))?,
    };
    let r = report::report(&ledger, by, from, until)?;
    if args.json {
        return output::print_json(&r);
    }
    if args.csv {
        return output::print(&render::csv(&r));
    }
    let mut text = render::summary_text(&r);
    output::print(&text)?;
    if !r.groups.is_empty() {
        let (header, rows) = render::table_rows(&r);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = output::table(settings, &header);
        for row in rows {
            table.add_row(row);
        }
        output::print("\n")?;
        output::print_table(&table)?;
    }
    // The chart is for people: only on a terminal.
    if settings.stdout_is_terminal && !r.days.is_empty() {
        text = format!("\n{}", render::day_chart(&r));
        output::print(&text)?;
    }
    Ok(())
}

fn check(ctx: &Context, ledger: &Ledger, clock: &Clock, json: bool) -> Result<()> {
    let usage = ctx.home_config()?.usage();
    let limits = CheckSettings {
        anomaly_factor: usage.anomaly_factor,
        auth_failures: usage.auth_failure_threshold,
    };
    let findings = report::check(ledger, clock.today_ms(), limits)?;
    if json {
        output::print_json(&findings)?;
    } else if findings.is_empty() {
        output::status("no usage anomalies today");
    } else {
        let text: String = findings
            .iter()
            .map(|f| format!("✗ {}\n", f.message))
            .collect();
        output::print(&text)?;
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Error::UsageAnomalies {
            count: findings.len(),
        })
    }
}

/// `--since`: a duration ago (7d, 24h), a UTC date, or an RFC 3339 time, in unix ms.
fn parse_since(text: &str, now_ms: i64) -> Result<i64> {
    let bad = || {
        Error::Usage(format!(
            "invalid --since '{}': expected a duration (7d, 24h) or a date (2026-11-01)",
            crate::term::sanitize::line(&text.chars().take(40).collect::<String>()).into_owned()
        ))
    };
    if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
        return humantime::parse_rfc3339(&format!("{text}T00:00:00Z"))
            .map(crate::ledger::unix_ms)
            .map_err(|_| bad());
    }
    if text.contains('T') {
        return humantime::parse_rfc3339_weak(text)
            .map(crate::ledger::unix_ms)
            .map_err(|_| bad());
    }
    let ago = humantime::parse_duration(text).map_err(|_| bad())?;
    let ago = i64::try_from(ago.as_millis()).map_err(|_| bad())?;
    if ago > 100 * 366 * DAY_MS {
        return Err(bad());
    }
    Ok(now_ms - ago)
}

/// Writes the report `0600`, atomically.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    if path.parent().is_some_and(|p| p.as_os_str().is_empty()) {
        return crate::fsutil::write_atomic(&std::path::Path::new(".").join(path), bytes);
    }
    crate::fsutil::write_atomic(path, bytes)
}

/// `byok usage reconcile`: every admin connection's keys (or the named one's), day by day.
fn reconcile(ctx: &Context, args: &UsageReconcileArgs) -> Result<()> {
    let settings = &ctx.settings;
    let now_ms = Clock::from_settings(settings).now_ms();
    let since_ms = parse_since(&args.since, now_ms)?;
    let now = u64::try_from(now_ms / 1000).unwrap_or(0);
    // Whole UTC days: the one holding --since is the first.
    let from = u64::try_from(since_ms.max(0) / 1000).unwrap_or(0) / DAY * DAY;
    let config = ctx.config()?;
    let decls: Vec<&crate::config::AdminDecl> = match &args.admin {
        Some(name) => vec![config.admin(name)?],
        None => config.admins().iter().collect(),
    };
    if decls.is_empty() {
        return Err(Error::Usage(
            "no admin connection to read usage with; add one with `byok admin add NAME \
             --provider PROVIDER --secret REF` (see `byok help admin add`)"
                .into(),
        ));
    }
    let ledger = match Ledger::open_existing(settings)? {
        Some(ledger) => reconcile::ledger_days(&ledger, from.saturating_sub(DAY))?,
        None => Default::default(),
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut failed: Option<Error> = None;
    for decl in decls {
        let outcome = super::admin::connect(ctx, decl).and_then(|client| {
            reconcile::reconcile_admin(ctx, &client, config, &ledger, from, now)
        });
        match outcome {
            Ok(report) => {
                rows.extend(report.rows);
                notes.extend(report.notes);
            }
            Err(e) => {
                output::warn(
                    settings,
                    &format!("admin '{}': not reconciled: {e}", decl.name),
                );
                failed.get_or_insert(e);
            }
        }
    }
    let findings: Vec<&Row> = rows.iter().filter(|r| r.status == Status::Unseen).collect();
    let since_day = crate::admin::rfc3339(from)[..10].to_owned();
    if args.json {
        output::print_json(&serde_json::json!({
            "since": since_day,
            "until": crate::admin::rfc3339(now),
            "tolerance": {
                "tokens": reconcile::TOKEN_SLACK,
                "percent": reconcile::TOKEN_SHARE_PERCENT,
            },
            "days": rows,
            "findings": findings,
            "notes": notes,
        }))?;
    } else {
        print_reconcile(ctx, &rows)?;
    }
    for note in &notes {
        output::status(&format!("note: {note}"));
    }
    let mut pending: Vec<&str> = rows
        .iter()
        .filter(|r| r.status == Status::Pending)
        .map(|r| r.provider)
        .collect();
    pending.sort_unstable();
    pending.dedup();
    for provider in pending {
        output::status(&format!(
            "note: {provider}: {}",
            match provider {
                "Anthropic" =>
                    "its usage data lags up to 24 hours, so yesterday and today are \
                                pending (shown, not judged)",
                _ =>
                    "its activity holds completed UTC days only, so today is pending (shown, \
                      not judged)",
            }
        ));
    }
    for row in rows.iter().filter(|r| r.status == Status::Unclear) {
        output::status(&format!(
            "note: {} on {}: {} counted {} more tokens than byok's ledger, which holds {} \
             request(s) without token counts (streamed without usage?); byok cannot tell \
             whether they explain it",
            secrets(row),
            row.day,
            row.provider,
            thousands(row.unseen_tokens),
            row.byok_uncounted
        ));
    }
    let (exclusive, shared): (Vec<&Row>, Vec<&Row>) =
        findings.iter().copied().partition(|r| r.exclusive);
    for row in &shared {
        output::status(&format!(
            "note: unseen spend on {}: {}; the key may be used outside byok (list the \
             secret in `exclusive` of [[admin]] '{}' if it is used only through byok, to \
             make this exit 9)",
            secrets(row),
            finding(row),
            row.admin
        ));
    }
    if !exclusive.is_empty() {
        let reason: Vec<String> = exclusive
            .iter()
            .map(|row| format!("{}: {}", secrets(row), finding(row)))
            .collect();
        return Err(Error::UnseenSpend {
            reason: format!(
                "unseen spend on keys used only through byok (a leaked key?): {}",
                reason.join("; ")
            ),
        });
    }
    if let Some(e) = failed {
        return Err(e);
    }
    if findings.is_empty() && !args.json {
        output::status(&format!("no unseen spend since {since_day}"));
    }
    Ok(())
}

/// `secret 'a' (connector work)`.
fn secrets(row: &Row) -> String {
    let refs: Vec<String> = row.secrets.iter().map(|s| format!("'{s}'")).collect();
    format!(
        "secret {} (connector {})",
        refs.join(" and "),
        row.connectors.join(", ")
    )
}

/// `2026-12-04: OpenAI counted 5,500 tokens ($0.5000), byok's ledger 0 tokens ($0.0000, 0
/// requests)`.
fn finding(row: &Row) -> String {
    let provider_cost = row
        .provider_cost_usd
        .map(|c| format!(" ({})", render::usd(c)))
        .unwrap_or_default();
    format!(
        "{}: {} counted {} tokens{provider_cost}, byok's ledger {} tokens ({}, {} request{})",
        row.day,
        row.provider,
        thousands(row.provider_tokens.unwrap_or(0)),
        thousands(row.byok_tokens),
        render::usd(row.byok_cost_usd),
        row.byok_requests,
        if row.byok_requests == 1 { "" } else { "s" }
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_reconcile(ctx: &Context, rows: &[Row]) -> Result<()> {
    let shown: Vec<&Row> = rows.iter().filter(|r| r.notable()).collect();
    if shown.is_empty() {
        output::status("no usage at the providers and none in the ledger for these keys");
        return Ok(());
    }
    let mut table = output::table(
        &ctx.settings,
        &[
            "DAY",
            "SECRET",
            "PROVIDER TOKENS",
            "BYOK TOKENS",
            "PROVIDER COST",
            "BYOK COST",
            "STATUS",
        ],
    );
    for row in shown {
        let byok_cost = if row.byok_unpriced > 0 {
            format!(
                "{} (+{} unpriced)",
                render::usd(row.byok_cost_usd),
                row.byok_unpriced
            )
        } else {
            render::usd(row.byok_cost_usd)
        };
        table.add_row(vec![
            row.day.clone(),
            row.secrets.join(", "),
            row.provider_tokens
                .map_or_else(|| "-".to_owned(), thousands),
            thousands(row.byok_tokens),
            row.provider_cost_usd
                .map_or_else(|| "-".to_owned(), render::usd),
            byok_cost,
            row.status.label().to_owned(),
        ]);
    }
    output::print_table(&table)
}
