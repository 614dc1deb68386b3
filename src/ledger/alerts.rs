//! Budget alerts: when a placeholder token's spend today reaches a threshold of its daily
//! budget (`[alerts] thresholds`, default 80 and 95 %), the proxy runs `[alerts] command`
//! once per threshold, token and UTC day — across restarts and across the proxies of one
//! home (`alerts.json` records what fired, under a lock).
//!
//! The command gets no key: its environment is `PATH`, `HOME`, `LANG` and the
//! `BYOK_ALERT_*` variables, and the message is its last argument. byok does not wait for it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::budget::Budget;
use crate::fsutil::{self, WriteLock};

/// What `alerts.json` holds: the UTC day and what fired on it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Fired {
    day: String,
    #[serde(default)]
    fired: Vec<String>,
}

/// The configured alerts of one proxy.
pub struct Alerts {
    thresholds: Vec<u8>,
    command: Vec<String>,
    home: PathBuf,
    env: Vec<(String, String)>,
    /// `day|token|threshold` fired by this process (saves a file read per request).
    seen: Mutex<HashSet<String>>,
}

impl Alerts {
    /// `None` when `[alerts]` has no command.
    pub fn new(
        home: &Path,
        section: &crate::config::AlertsSection,
        parent: &crate::settings::ParentEnv,
    ) -> Option<Alerts> {
        let command = section.command.clone()?;
        let env = ["PATH", "HOME", "LANG"]
            .iter()
            .filter_map(|name| {
                parent
                    .get(name)
                    .and_then(|v| v.to_str())
                    .map(|v| ((*name).to_owned(), v.to_owned()))
            })
            .collect();
        Some(Alerts {
            thresholds: section.thresholds.clone(),
            command,
            home: home.to_path_buf(),
            env,
            seen: Mutex::new(HashSet::new()),
        })
    }

    /// Checks `token`'s spend today against its budget; runs the command for each threshold
    /// newly reached.
    pub fn check(&self, token: &str, budget: &Budget, usd: f64, tokens: u64, day: &str) {
        let share = match *budget {
            Budget::Usd(limit) if limit > 0.0 => usd / limit * 100.0,
            Budget::Tokens(limit) if limit > 0 => tokens as f64 / limit as f64 * 100.0,
            _ => return,
        };
        for &threshold in &self.thresholds {
            if share + 1e-9 < f64::from(threshold) {
                break;
            }
            let key = format!("{day}|{token}|{threshold}");
            {
                let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
                if !seen.insert(key.clone()) {
                    continue;
                }
            }
            if self.claim(day, &key) {
                self.run(token, threshold, budget, usd, tokens, day);
            }
        }
    }

    /// Records `key` in `alerts.json`; `false` when another proxy (or an earlier run) has.
    fn claim(&self, day: &str, key: &str) -> bool {
        let Ok(_lock) = WriteLock::acquire(&self.home.join("alerts.lock")) else {
            return true;
        };
        let path = self.home.join("alerts.json");
        let mut state: Fired = fsutil::read_bounded(&path, 1 << 20)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        if state.day != day {
            state = Fired {
                day: day.to_owned(),
                fired: Vec::new(),
            };
        }
        if state.fired.iter().any(|k| k == key) {
            return false;
        }
        state.fired.push(key.to_owned());
        let _ = fsutil::write_atomic(&path, &serde_json::to_vec(&state).expect("serialises"));
        true
    }

    fn run(&self, token: &str, threshold: u8, budget: &Budget, usd: f64, tokens: u64, day: &str) {
        let spent = budget.spent(usd, tokens);
        // The token name is the user's own, but it reaches a notification: no control
        // characters.
        let shown = crate::term::sanitize::line(token);
        let message = format!(
            "byok: placeholder token '{shown}' has used {threshold}% of its daily budget \
             ({budget}; {spent} spent on {day}, UTC)"
        );
        let mut command = Command::new(&self.command[0]);
        command
            .args(&self.command[1..])
            .arg(&message)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("BYOK_ALERT_TOKEN", shown.as_ref())
            .env("BYOK_ALERT_THRESHOLD", threshold.to_string())
            .env("BYOK_ALERT_SPENT", &spent)
            .env("BYOK_ALERT_BUDGET", budget.to_string())
            .env("BYOK_ALERT_DAY", day)
            .env("BYOK_ALERT_MESSAGE", &message)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match command.spawn() {
            // Reaped in the background: the request path never waits for a notifier.
            Ok(mut child) => {
                let _ = std::thread::Builder::new()
                    .name("byok-alert".into())
                    .spawn(move || child.wait());
            }
            Err(e) => crate::term::output::status(&format!(
                "byok proxy: the [alerts] command could not start: {e}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_threshold_fires_once_per_token_and_day() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let section = crate::config::AlertsSection {
            thresholds: vec![80, 95],
            command: Some(vec![
                "sh".into(),
                "-c".into(),
                format!(
                    "echo \"$BYOK_ALERT_TOKEN $BYOK_ALERT_THRESHOLD $BYOK_ALERT_SPENT\" >> {}",
                    log.display()
                ),
            ]),
        };
        let parent = crate::settings::ParentEnv::from_pairs([(
            "PATH".into(),
            std::env::var_os("PATH").unwrap(),
        )]);
        let alerts = Alerts::new(dir.path(), &section, &parent).unwrap();
        let budget = Budget::Usd(2.0);
        alerts.check("laptop", &budget, 1.0, 0, "2026-12-06");
        alerts.check("laptop", &budget, 1.7, 0, "2026-12-06");
        alerts.check("laptop", &budget, 1.8, 0, "2026-12-06");
        // A second proxy of the same home: alerts.json says it fired already.
        let other = Alerts::new(dir.path(), &section, &parent).unwrap();
        other.check("laptop", &budget, 1.8, 0, "2026-12-06");
        alerts.check("laptop", &budget, 2.5, 0, "2026-12-06");
        alerts.check("laptop", &budget, 1.7, 0, "2026-12-07");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let lines = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.lines().count() >= 3 || std::time::Instant::now() > deadline {
                break text;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        let lines = std::fs::read_to_string(&log).unwrap_or(lines);
        let mut lines: Vec<&str> = lines.lines().collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            [
                "laptop 80 $1.7000",
                "laptop 80 $1.7000",
                "laptop 95 $2.5000"
            ],
            "80% on the 6th and the 7th, 95% once"
        );
    }
}
