//! Rotation and expiry: when a secret is due (`rotation_days`, default 90, since it was
//! last rotated) or expiring (within 14 days of its `expires`, or past it), and parsing
//! `--expires 2027-03-01 | 90d | never`.

use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::store::Meta;

/// The default `rotation_days`.
pub const DEFAULT_ROTATION_DAYS: u64 = 90;
/// A key expiring within this long is flagged.
pub const EXPIRY_WARNING: Duration = Duration::from_secs(14 * 86_400);

const DAY: u64 = 86_400;

/// Parses `--expires`: a date (`2027-03-01`, midnight UTC), an RFC 3339 time, a duration
/// from `now` (`90d`, `12w`, `2h`), or `never` (`None`: clear it). Returns RFC 3339 UTC.
pub fn parse_expires(text: &str, now: SystemTime) -> Result<Option<String>> {
    let bad = || Error::BadExpiry {
        text: text.chars().filter(|c| !c.is_control()).take(40).collect(),
    };
    let text = text.trim();
    if text == "never" {
        return Ok(None);
    }
    let at = if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
        humantime::parse_rfc3339(&format!("{text}T00:00:00Z")).map_err(|_| bad())?
    } else if text.contains('T') {
        humantime::parse_rfc3339_weak(text).map_err(|_| bad())?
    } else {
        let duration = humantime::parse_duration(text).map_err(|_| bad())?;
        if duration.is_zero() || duration > Duration::from_secs(100 * 365 * DAY) {
            return Err(bad());
        }
        now + duration
    };
    Ok(Some(humantime::format_rfc3339_seconds(at).to_string()))
}

/// Why a secret is flagged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Not rotated for `rotation_days`.
    pub rotation: bool,
    /// Expiring within 14 days.
    pub expiring: bool,
    /// Past its expiry.
    pub expired: bool,
}

impl Due {
    pub fn any(self) -> bool {
        self.rotation || self.expiring || self.expired
    }

    /// `rotate`, `expiring`, `expired` — for listings.
    pub fn marks(self) -> Vec<&'static str> {
        let mut marks = Vec::new();
        if self.expired {
            marks.push("expired");
        } else if self.expiring {
            marks.push("expiring");
        }
        if self.rotation {
            marks.push("rotate");
        }
        marks
    }
}

/// How a secret stands; `None` when the store knows neither its rotation nor its expiry.
pub fn due(meta: &Meta, now: SystemTime, rotation_days: u64) -> Option<Due> {
    let time = |ts: &str| humantime::parse_rfc3339_weak(ts).ok();
    let rotated = meta.rotated.as_deref().and_then(time);
    let expires = meta.expires.as_deref().and_then(time);
    if rotated.is_none() && expires.is_none() {
        return None;
    }
    let after = Duration::from_secs(rotation_days.saturating_mul(DAY));
    Some(Due {
        rotation: rotated.is_some_and(|t| now.duration_since(t).unwrap_or_default() > after),
        expiring: expires.is_some_and(|t| t > now && t <= now + EXPIRY_WARNING),
        expired: expires.is_some_and(|t| t <= now),
    })
}

/// "in 12 days", "3 days ago", for an expiry.
pub fn until(timestamp: &str, now: SystemTime) -> String {
    match humantime::parse_rfc3339_weak(timestamp) {
        Ok(t) if t > now => {
            let days = t
                .duration_since(now)
                .unwrap_or_default()
                .as_secs()
                .div_ceil(DAY);
            match days {
                0 => "today".into(),
                1 => "in 1 day".into(),
                n => format!("in {n} days"),
            }
        }
        Ok(_) => format!("expired {}", crate::term::output::ago(timestamp, now)),
        Err(_) => "-".into(),
    }
}

/// The configured `rotation_days` (default [`DEFAULT_ROTATION_DAYS`]); a config that does
/// not load gives the default.
pub fn rotation_days(ctx: &crate::context::Context) -> u64 {
    ctx.config()
        .ok()
        .and_then(|c| c.hygiene().rotation_days)
        .unwrap_or(DEFAULT_ROTATION_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ts: &str) -> SystemTime {
        humantime::parse_rfc3339(ts).unwrap()
    }

    #[test]
    fn expiry_takes_dates_durations_and_never() {
        let now = at("2026-12-01T12:00:00Z");
        assert_eq!(
            parse_expires("2027-03-01", now).unwrap().as_deref(),
            Some("2027-03-01T00:00:00Z")
        );
        assert_eq!(
            parse_expires("90d", now).unwrap().as_deref(),
            Some("2027-03-01T12:00:00Z")
        );
        assert_eq!(parse_expires("never", now).unwrap(), None);
        for bad in ["", "soon", "2027-13-01", "0d", "-5d"] {
            assert!(parse_expires(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn due_marks_rotation_and_expiry() {
        let now = at("2026-12-01T00:00:00Z");
        let meta = |rotated: &str, expires: Option<&str>| Meta {
            rotated: Some(rotated.into()),
            expires: expires.map(Into::into),
            ..Meta::default()
        };
        assert!(
            !due(&meta("2026-11-01T00:00:00Z", None), now, 90)
                .unwrap()
                .any()
        );
        assert!(
            due(&meta("2026-08-01T00:00:00Z", None), now, 90)
                .unwrap()
                .rotation
        );
        assert!(
            !due(&meta("2026-08-01T00:00:00Z", None), now, 200)
                .unwrap()
                .rotation
        );
        let soon = due(
            &meta("2026-11-01T00:00:00Z", Some("2026-12-10T00:00:00Z")),
            now,
            90,
        );
        assert!(soon.unwrap().expiring);
        let past = due(
            &meta("2026-11-01T00:00:00Z", Some("2026-11-10T00:00:00Z")),
            now,
            90,
        );
        assert!(past.unwrap().expired);
        assert_eq!(due(&Meta::default(), now, 90), None);
    }
}
