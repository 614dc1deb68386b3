//! `byok usage`: the ledger's totals and groups (text with a per-day chart on a terminal,
//! JSON, CSV), the anomaly check (`--check`, exit 9) and the HTML report (`--html FILE`).

use crate::cli::UsageArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ledger::render;
use crate::ledger::report::{self, By, CheckSettings};
use crate::ledger::{Clock, DAY_MS, Ledger};
use crate::term::output;

pub fn run(ctx: &Context, args: &UsageArgs) -> Result<()> {
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
