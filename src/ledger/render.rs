//! How `byok usage` shows a [`Report`]: the summary and the table (with a unicode bar
//! chart of days on a terminal), CSV, and a self-contained HTML report with inline SVG
//! charts. Every name in them (a model a client chose, a connector, a token) goes through
//! the one escaper first.

use std::fmt::Write as _;

use super::report::{Report, Stats};

/// `$0.0123`, or `-` when nothing was priced.
pub fn usd(v: f64) -> String {
    if v >= 100.0 {
        format!("${v:.2}")
    } else if v > 0.0 && v < 0.01 {
        format!("${v:.6}")
    } else {
        format!("${v:.4}")
    }
}

fn causes(s: &Stats) -> String {
    join_causes(&s.failures_by_cause)
}

fn join_causes(causes: &std::collections::BTreeMap<String, u64>) -> String {
    causes
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The summary lines of the text output.
pub fn summary_text(r: &Report) -> String {
    let t = &r.total;
    let mut out = format!(
        "usage {} – {}: {} request(s), {} failed",
        &r.since[..10],
        &r.until[..10],
        t.requests,
        t.failures
    );
    if t.failures > 0 {
        let _ = write!(out, " ({})", causes(t));
    }
    if t.absorbed > 0 {
        let _ = write!(
            out,
            "; {} failed attempt(s) absorbed by fallback ({})",
            t.absorbed,
            join_causes(&t.absorbed_by_cause)
        );
    }
    let _ = write!(
        out,
        "\nlatency p50 {} ms, p95 {} ms; tokens {} in ({} cached), {} out; cost {}",
        t.latency_p50_ms,
        t.latency_p95_ms,
        t.input_tokens,
        t.cached_tokens,
        t.output_tokens,
        usd(t.cost_usd)
    );
    if t.unpriced_requests > 0 {
        let _ = write!(out, " + {} request(s) with no price", t.unpriced_requests);
    }
    if !t.dropped_fields.is_empty() {
        let _ = write!(
            out,
            "\nrequest fields dropped with a note by translation: {}",
            crate::term::sanitize::line(&join_causes(&t.dropped_fields))
        );
    }
    if let (Some(p50), Some(p95)) = (t.ttft_p50_ms, t.ttft_p95_ms) {
        let _ = write!(
            out,
            "\ntime to first token (streamed requests) p50 {p50} ms, p95 {p95} ms"
        );
    }
    out.push('\n');
    out
}

fn opt_ms(ms: Option<u64>) -> String {
    ms.map_or_else(|| "-".to_owned(), |m| m.to_string())
}

/// The table's header and rows (keys escaped).
pub fn table_rows(r: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        r.by.to_uppercase().as_str(),
        "REQUESTS",
        "FAILED",
        "ABSORBED",
        "P50 MS",
        "P95 MS",
        "TTFT P50",
        "IN",
        "OUT",
        "CACHED",
        "COST",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = r
        .groups
        .iter()
        .map(|g| {
            let cost = if g.unpriced_requests > 0 {
                format!("{} (+{} no price)", usd(g.cost_usd), g.unpriced_requests)
            } else {
                usd(g.cost_usd)
            };
            vec![
                crate::term::sanitize::line(&g.key).into_owned(),
                g.requests.to_string(),
                g.failures.to_string(),
                g.absorbed.to_string(),
                g.latency_p50_ms.to_string(),
                g.latency_p95_ms.to_string(),
                opt_ms(g.ttft_p50_ms),
                g.input_tokens.to_string(),
                g.output_tokens.to_string(),
                g.cached_tokens.to_string(),
                cost,
            ]
        })
        .collect();
    (header, rows)
}

/// A bar of `value / max × width` cells in unicode eighth blocks.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max) * (width * 8) as f64).round().max(1.0) as usize;
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    s
}

/// The per-day chart: requests as bars, with tokens and cost.
pub fn day_chart(r: &Report) -> String {
    let max = r.days.iter().map(|d| d.requests).max().unwrap_or(0) as f64;
    let mut out = String::from("requests per day (UTC):\n");
    for d in &r.days {
        let b = bar(d.requests as f64, max, 40);
        let _ = writeln!(
            out,
            "{}  {b:<40} {:>6}  {:>9} tok  {}",
            d.key,
            d.requests,
            d.input_tokens + d.output_tokens,
            usd(d.cost_usd)
        );
    }
    out
}

fn csv_field(text: &str) -> String {
    // A model name or connector comes from a client or a file: escaped like any table cell.
    let text = crate::term::sanitize::line(text);
    // Spreadsheets run cells starting with these as formulas.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.into_owned()
    };
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// CSV: a header, then one line per group.
pub fn csv(r: &Report) -> String {
    let mut out = format!(
        "{},requests,failures,latency_p50_ms,latency_p95_ms,input_tokens,output_tokens,cached_tokens,cost_usd,unpriced_requests,ttft_p50_ms,ttft_p95_ms,absorbed\n",
        r.by
    );
    for g in &r.groups {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&g.key),
            g.requests,
            g.failures,
            g.latency_p50_ms,
            g.latency_p95_ms,
            g.input_tokens,
            g.output_tokens,
            g.cached_tokens,
            g.cost_usd,
            g.unpriced_requests,
            g.ttft_p50_ms.map(|m| m.to_string()).unwrap_or_default(),
            g.ttft_p95_ms.map(|m| m.to_string()).unwrap_or_default(),
            g.absorbed
        );
    }
    out
}

// ---- HTML --------------------------------------------------------------------------------

/// Escapes text for HTML content and attribute values.
pub fn html_escape(text: &str) -> String {
    let text = crate::term::sanitize::line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A vertical bar chart (one bar per day) as inline SVG.
fn svg_columns(title: &str, points: &[(String, f64)], label: impl Fn(f64) -> String) -> String {
    let (w, h, pad) = (720.0, 200.0, 24.0);
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let n = points.len().max(1) as f64;
    let slot = (w - 2.0 * pad) / n;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        html_escape(title),
        html_escape(title)
    );
    for (i, (key, v)) in points.iter().enumerate() {
        let bh = if max > 0.0 {
            (v / max) * (h - 2.0 * pad)
        } else {
            0.0
        };
        let x = pad + i as f64 * slot + slot * 0.1;
        let y = h - pad - bh;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{}: {}</title></rect>",
            slot * 0.8,
            html_escape(key),
            html_escape(&label(*v))
        );
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            "<text x=\"{pad}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <text x=\"{pad}\" y=\"14\">max {}</text>",
            h - 6.0,
            html_escape(&first.0),
            w - pad,
            h - 6.0,
            html_escape(&last.0),
            html_escape(&label(max))
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Horizontal bars (one per group) as inline SVG.
fn svg_rows(title: &str, points: &[(String, f64)], label: impl Fn(f64) -> String) -> String {
    let row = 22.0;
    let (w, lw) = (720.0, 200.0);
    let h = row * points.len().max(1) as f64 + 8.0;
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        html_escape(title),
        html_escape(title)
    );
    for (i, (key, v)) in points.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let bw = if max > 0.0 {
            (v / max) * (w - lw - 120.0)
        } else {
            0.0
        };
        let short: String = key.chars().take(28).collect();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\">{}</text><rect x=\"{lw}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\"></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            html_escape(&short),
            row - 6.0,
            lw + bw + 6.0,
            y + 15.0,
            html_escape(&label(*v))
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// The self-contained HTML report: inline CSS and SVG, a CSP that forbids every fetch, and
/// every piece of ledger text escaped.
pub fn html(r: &Report, by_connector: &[Stats], by_token: &[Stats], by_model: &[Stats]) -> String {
    let t = &r.total;
    let days = |f: &dyn Fn(&Stats) -> f64| -> Vec<(String, f64)> {
        r.days.iter().map(|d| (d.key.clone(), f(d))).collect()
    };
    let groups = |g: &[Stats], f: &dyn Fn(&Stats) -> f64| -> Vec<(String, f64)> {
        g.iter().take(30).map(|d| (d.key.clone(), f(d))).collect()
    };
    let count = |v: f64| format!("{}", v as u64);
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>byok usage report</title>\n<style>\n\
         body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}\n\
         h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}\n\
         dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#666}\n\
         svg{width:100%;height:auto;background:#fafafa}rect{fill:#3b6fb6}text{font-size:11px;fill:#333}\n\
         figure{margin:1em 0}figcaption{font-weight:600}\n\
         table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:right}\n\
         td:first-child,th:first-child{text-align:left}\n</style></head><body>\n",
    );
    let _ = write!(
        out,
        "<h1>byok usage</h1>\n<p>{} – {} (UTC)</p>\n<dl>\
         <dt>requests</dt><dd id=\"total-requests\">{}</dd>\
         <dt>failed</dt><dd id=\"total-failures\">{}</dd>\
         <dt>input tokens</dt><dd id=\"total-input-tokens\">{}</dd>\
         <dt>output tokens</dt><dd id=\"total-output-tokens\">{}</dd>\
         <dt>cached tokens</dt><dd id=\"total-cached-tokens\">{}</dd>\
         <dt>cost</dt><dd id=\"total-cost\">{}</dd>\
         <dt>requests with no price</dt><dd id=\"total-unpriced\">{}</dd>\
         <dt>latency p50 / p95</dt><dd>{} ms / {} ms</dd>\
         <dt>time to first token p50 / p95 (streamed)</dt><dd id=\"total-ttft\">{} / {}</dd></dl>\n",
        html_escape(&r.since),
        html_escape(&r.until),
        t.requests,
        t.failures,
        t.input_tokens,
        t.output_tokens,
        t.cached_tokens,
        html_escape(&usd(t.cost_usd)),
        t.unpriced_requests,
        t.latency_p50_ms,
        t.latency_p95_ms,
        opt_ms(t.ttft_p50_ms),
        opt_ms(t.ttft_p95_ms)
    );
    out.push_str("<h2>Per day</h2>\n");
    out.push_str(&svg_columns(
        "Requests per day",
        &days(&|d| d.requests as f64),
        count,
    ));
    out.push_str(&svg_columns(
        "Tokens per day (input + output)",
        &days(&|d| (d.input_tokens + d.output_tokens) as f64),
        count,
    ));
    out.push_str(&svg_columns(
        "Cost per day (USD)",
        &days(&|d| d.cost_usd),
        usd,
    ));
    out.push_str("<h2>Per connector</h2>\n");
    out.push_str(&svg_rows(
        "Requests per connector",
        &groups(by_connector, &|d| d.requests as f64),
        count,
    ));
    out.push_str(&svg_rows(
        "Cost per connector (USD)",
        &groups(by_connector, &|d| d.cost_usd),
        usd,
    ));
    out.push_str("<h2>Per token</h2>\n");
    out.push_str(&svg_rows(
        "Requests per token",
        &groups(by_token, &|d| d.requests as f64),
        count,
    ));
    out.push_str(&svg_rows(
        "Cost per token (USD)",
        &groups(by_token, &|d| d.cost_usd),
        usd,
    ));
    out.push_str(
        "<h2>Busiest models</h2>\n<table id=\"models\"><thead><tr><th>model</th><th>requests</th>\
         <th>failed</th><th>p50 ms</th><th>p95 ms</th><th>TTFT p50 ms</th><th>tokens in</th><th>tokens out</th><th>cost</th></tr></thead><tbody>\n",
    );
    let mut models: Vec<&Stats> = by_model.iter().collect();
    models.sort_by(|a, b| b.requests.cmp(&a.requests).then(a.key.cmp(&b.key)));
    for m in models.iter().take(50) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            html_escape(&m.key),
            m.requests,
            m.failures,
            m.latency_p50_ms,
            m.latency_p95_ms,
            opt_ms(m.ttft_p50_ms),
            m.input_tokens,
            m.output_tokens,
            html_escape(&usd(m.cost_usd)),
            if m.unpriced_requests > 0 {
                " (no price)"
            } else {
                ""
            }
        );
    }
    out.push_str("</tbody></table>\n<p>Costs are estimates from byok's price table; generated by byok.</p>\n</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{DAY_MS, rfc3339};

    #[test]
    fn html_escapes_and_forbids_fetches() {
        let r = Report {
            since: rfc3339(0),
            until: rfc3339(DAY_MS),
            by: "day",
            total: Stats::default(),
            groups: vec![],
            days: vec![],
        };
        let evil = Stats {
            key: "<script>alert(1)</script>".into(),
            requests: 1,
            ..Stats::default()
        };
        let evil = std::slice::from_ref(&evil);
        let page = html(&r, evil, evil, evil);
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("default-src 'none'"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert_eq!(bar(4.0, 8.0, 2), "█");
        assert_eq!(bar(1.0, 8.0, 1), "▏");
    }
}
