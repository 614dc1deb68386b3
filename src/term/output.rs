//! What goes to the user: data on stdout (tables or `--json`), everything else on stderr.
//! A closed stdout (`byok secret list | head -1`) is not an error.

use std::io::Write;
use std::time::{Duration, SystemTime};

use comfy_table::{ContentArrangement, Table};

use crate::error::{Result, stdout_error};
use crate::settings::Settings;

/// Writes `text` to stdout as is.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// Pretty JSON and a newline on stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("JSON output of plain data");
    text.push('\n');
    // Strings in it may come from a server or a file: no raw C1 controls either.
    print(&crate::term::sanitize::json(&text))
}

/// Columns separated by spaces, a rule under the header, nothing else (like `docker ps`).
const STYLE: &str = "     ──            ";

/// A table in byok's style; wraps to the terminal width only on a terminal.
pub fn table(settings: &Settings, header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_preset(STYLE);
    if settings.stdout_is_terminal {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.force_no_tty();
    }
    table.set_header(header.iter().copied());
    table
}

/// Prints a table followed by a newline. Cells may hold what a server or a file said: their
/// control characters are escaped (byok's own colours pass).
pub fn print_table(table: &Table) -> Result<()> {
    print_text(&format!("{table}\n"))
}

/// Writes text byok composed around strings a server or a file controls to stdout, with
/// their control characters escaped (newlines, tabs and byok's own colours pass). Never for
/// secret values: those go through [`print`] untouched.
pub fn print_text(text: &str) -> Result<()> {
    print(&crate::term::sanitize::keep_colours(text))
}

/// A `warning:` line on stderr, yellow on a terminal.
pub fn warn(settings: &Settings, message: &str) {
    let label = paint(settings, "33", "warning:");
    eprintln!("{label} {}", crate::term::sanitize::text(message));
}

/// Like [`paint`], for text that goes to stdout.
pub fn paint_stdout(settings: &Settings, code: &str, text: &str) -> String {
    colour(settings.color_stdout, code, text)
}

/// A status line on stderr (stdout stays clean for data).
pub fn status(message: &str) {
    eprintln!("{}", crate::term::sanitize::text(message));
}

/// Wraps `text` (for stderr) in an ANSI colour when colours are on.
pub fn paint(settings: &Settings, code: &str, text: &str) -> String {
    colour(settings.color, code, text)
}

fn colour(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code};1m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The current time as an RFC 3339 UTC timestamp (seconds precision).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// "12 days ago" for an RFC 3339 timestamp; the timestamp itself if it does not parse.
pub fn ago(timestamp: &str, now: SystemTime) -> String {
    let Ok(then) = humantime::parse_rfc3339_weak(timestamp) else {
        return timestamp.to_owned();
    };
    let Ok(elapsed) = now.duration_since(then) else {
        return "just now".to_owned();
    };
    describe_elapsed(elapsed)
}

fn describe_elapsed(elapsed: Duration) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    let secs = elapsed.as_secs();
    let (n, unit) = match secs {
        s if s < MINUTE => return "just now".to_owned(),
        s if s < HOUR => (s / MINUTE, "minute"),
        s if s < DAY => (s / HOUR, "hour"),
        s if s < 60 * DAY => (s / DAY, "day"),
        s if s < 365 * DAY => (s / (30 * DAY), "month"),
        s => (s / (365 * DAY), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{plural} ago")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_times_read_naturally() {
        let day = 86_400;
        assert_eq!(describe_elapsed(Duration::from_secs(5)), "just now");
        assert_eq!(describe_elapsed(Duration::from_secs(60)), "1 minute ago");
        assert_eq!(describe_elapsed(Duration::from_secs(7200)), "2 hours ago");
        assert_eq!(
            describe_elapsed(Duration::from_secs(12 * day)),
            "12 days ago"
        );
        assert_eq!(
            describe_elapsed(Duration::from_secs(90 * day)),
            "3 months ago"
        );
        assert_eq!(
            describe_elapsed(Duration::from_secs(800 * day)),
            "2 years ago"
        );
    }

    #[test]
    fn ago_parses_rfc3339() {
        let now = humantime::parse_rfc3339("2026-11-23T00:00:00Z").unwrap();
        assert_eq!(ago("2026-11-11T00:00:00Z", now), "12 days ago");
        assert_eq!(ago("not a time", now), "not a time");
    }
}
