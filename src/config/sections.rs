//! The settings tables of `config.toml` besides connectors and stores — `[proxy]`, `[usage]`,
//! `[prices."glob"]` and the top-level hygiene keys — typed and checked once, when the file
//! is parsed. Commands read these structs; nobody re-reads the file's text.
//!
//! Each reader names the table and key in its error and never echoes the value (a value in
//! the wrong place may be a pasted key). The key names themselves are declared in `keys.rs`.

use std::path::Path;

use toml_edit::{DocumentMut, Item, TableLike};

use crate::error::{Error, Result};

/// Every typed section, as parsed from one `config.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sections {
    pub proxy: ProxySection,
    pub usage: UsageSection,
    /// `[prices."glob"]` overrides, in file order.
    pub prices: Vec<PriceOverride>,
    pub hygiene: Hygiene,
    pub alerts: AlertsSection,
}

/// `[alerts]`: a command the proxy runs when a placeholder token's spend today reaches a
/// share of its daily budget, once per threshold, token and UTC day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertsSection {
    /// Percentages of the budget, ascending (default 80 and 95).
    pub thresholds: Vec<u8>,
    /// The program and its arguments; `None`: no alerts.
    pub command: Option<Vec<String>>,
}

impl Default for AlertsSection {
    fn default() -> Self {
        AlertsSection {
            thresholds: vec![80, 95],
            command: None,
        }
    }
}

/// `[proxy]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxySection {
    /// `agent_proof = true`: `byok proxy` runs in agent-proof mode.
    pub agent_proof: bool,
    /// `listen = "IP:PORT"`: the address used when no `--listen` is given (checked where it
    /// is used, as a `--listen` would be).
    pub listen: Option<String>,
}

/// `[usage]`: the anomaly check of `byok usage --check`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UsageSection {
    /// Today's spend above this many times the trailing 7-day daily median is an anomaly.
    pub anomaly_factor: f64,
    /// More than this many authentication failures of a connector today is an anomaly.
    pub auth_failure_threshold: u64,
}

impl Default for UsageSection {
    fn default() -> Self {
        UsageSection {
            anomaly_factor: 3.0,
            auth_failure_threshold: 5,
        }
    }
}

/// One `[prices."glob"]` table: USD per million tokens for the models the glob matches.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceOverride {
    pub glob: String,
    pub input: f64,
    pub output: f64,
    pub cached: Option<f64>,
    pub cache_write: Option<f64>,
    /// Where the user took the price from (`source = "…"`); default `config.toml`.
    pub source: String,
}

/// The key-hygiene settings: `reveal`, `audit_names`, `rotation_days`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hygiene {
    /// `reveal = "never" | "prompt" | "pipe"`.
    pub reveal: Option<String>,
    /// `audit_names = "plain"` (default `"hashed"`).
    pub audit_names_plain: bool,
    /// `rotation_days = N` (default 90).
    pub rotation_days: Option<u64>,
}

/// The largest price accepted (USD per million tokens); a guard against a typo in exponent.
const MAX_PRICE: f64 = 10_000_000.0;
/// Longest model glob accepted as a `[prices]` key.
const MAX_GLOB: usize = 256;

/// Reads every section of `doc` (the file named `path` in errors).
pub fn read(path: &Path, doc: &DocumentMut) -> Result<Sections> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    Ok(Sections {
        proxy: read_proxy(doc, &bad)?,
        usage: read_usage(doc, &bad)?,
        prices: read_prices(doc, &bad)?,
        hygiene: read_hygiene(doc, &bad)?,
        alerts: read_alerts(doc, &bad)?,
    })
}

fn read_alerts(doc: &DocumentMut, bad: &dyn Fn(String) -> Error) -> Result<AlertsSection> {
    let mut out = AlertsSection::default();
    let Some(alerts) = table(doc, "alerts", bad)? else {
        return Ok(out);
    };
    if let Some(item) = alerts.get("thresholds") {
        let wrong = || {
            bad("[alerts] thresholds must be a list of whole percentages from 1 to 100, like [80, 95]".into())
        };
        let list = item.as_array().ok_or_else(wrong)?;
        let mut thresholds = Vec::new();
        for value in list.iter() {
            let n = value
                .as_integer()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(wrong)?;
            thresholds.push(n as u8);
        }
        if thresholds.is_empty() {
            return Err(wrong());
        }
        thresholds.sort_unstable();
        thresholds.dedup();
        out.thresholds = thresholds;
    }
    if let Some(item) = alerts.get("command") {
        let wrong = || {
            bad(
                "[alerts] command must be a list of strings: the program, then its arguments \
                 (e.g. [\"notify-send\", \"byok\"])"
                    .into(),
            )
        };
        let list = item.as_array().ok_or_else(wrong)?;
        let argv: Vec<String> = list
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(wrong)?;
        if argv.first().is_none_or(|p| p.trim().is_empty()) || argv.len() > 64 {
            return Err(wrong());
        }
        out.command = Some(argv);
    }
    Ok(out)
}

fn table<'a>(
    doc: &'a DocumentMut,
    key: &str,
    bad: &dyn Fn(String) -> Error,
) -> Result<Option<&'a dyn TableLike>> {
    match doc.get(key) {
        None => Ok(None),
        Some(item) => item
            .as_table_like()
            .map(Some)
            .ok_or_else(|| bad(format!("`{key}` must be a table ([{key}])"))),
    }
}

fn read_proxy(doc: &DocumentMut, bad: &dyn Fn(String) -> Error) -> Result<ProxySection> {
    let mut out = ProxySection::default();
    let Some(proxy) = table(doc, "proxy", bad)? else {
        return Ok(out);
    };
    if let Some(item) = proxy.get("agent_proof") {
        out.agent_proof = item
            .as_bool()
            .ok_or_else(|| bad("`agent_proof` under [proxy] must be true or false".into()))?;
    }
    if let Some(item) = proxy.get("listen") {
        let listen = item.as_str().ok_or_else(|| {
            bad("`listen` under [proxy] must be a string like \"127.0.0.1:8787\"".into())
        })?;
        out.listen = Some(listen.to_owned());
    }
    Ok(out)
}

fn read_usage(doc: &DocumentMut, bad: &dyn Fn(String) -> Error) -> Result<UsageSection> {
    let mut out = UsageSection::default();
    let Some(usage) = table(doc, "usage", bad)? else {
        return Ok(out);
    };
    if let Some(item) = usage.get("anomaly_factor") {
        out.anomaly_factor = number(item)
            .filter(|f| f.is_finite() && *f > 0.0)
            .ok_or_else(|| bad("[usage] anomaly_factor must be a positive number".into()))?;
    }
    if let Some(item) = usage.get("auth_failure_threshold") {
        out.auth_failure_threshold = item
            .as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| {
                bad("[usage] auth_failure_threshold must be a whole number ≥ 0".into())
            })?;
    }
    Ok(out)
}

fn read_prices(doc: &DocumentMut, bad: &dyn Fn(String) -> Error) -> Result<Vec<PriceOverride>> {
    let Some(item) = doc.get("prices") else {
        return Ok(Vec::new());
    };
    let prices = item
        .as_table_like()
        .ok_or_else(|| bad("`prices` must be tables: [prices.\"model-glob\"] input = …".into()))?;
    let mut out = Vec::new();
    for (glob, item) in prices.iter() {
        // The glob is the user's own key name, but escape it anyway: it reaches terminals.
        let shown = crate::term::sanitize::line(glob);
        if glob.is_empty() || glob.len() > MAX_GLOB {
            return Err(bad(format!(
                "[prices.\"{shown}\"]: a model glob is 1 to {MAX_GLOB} characters"
            )));
        }
        let t = item
            .as_table_like()
            .ok_or_else(|| bad(format!("[prices.\"{shown}\"] must be a table")))?;
        let price = |key: &str| -> Result<Option<f64>> {
            match t.get(key) {
                None => Ok(None),
                Some(item) => number(item)
                    .filter(|v| v.is_finite() && (0.0..=MAX_PRICE).contains(v))
                    .map(Some)
                    .ok_or_else(|| {
                        bad(format!(
                            "[prices.\"{shown}\"] {key} must be a number from 0 to \
                             10000000 (USD per million tokens)"
                        ))
                    }),
            }
        };
        let needed = |key: &str| -> Result<f64> {
            price(key)?.ok_or_else(|| {
                bad(format!(
                    "[prices.\"{shown}\"] needs `{key}` (USD per million tokens)"
                ))
            })
        };
        let source = match t.get("source") {
            None => "config.toml".to_owned(),
            Some(item) => item
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| bad(format!("[prices.\"{shown}\"] source must be a string")))?,
        };
        out.push(PriceOverride {
            glob: glob.to_owned(),
            input: needed("input")?,
            output: needed("output")?,
            cached: price("cached")?,
            cache_write: price("cache_write")?,
            source,
        });
    }
    Ok(out)
}

fn read_hygiene(doc: &DocumentMut, bad: &dyn Fn(String) -> Error) -> Result<Hygiene> {
    let reveal = match doc.get("reveal") {
        None => None,
        Some(item) => match item.as_str() {
            Some(p @ ("never" | "prompt" | "pipe")) => Some(p.to_owned()),
            _ => {
                return Err(bad(
                    "`reveal` must be \"never\", \"prompt\" or \"pipe\"".into()
                ));
            }
        },
    };
    let audit_names_plain = match doc.get("audit_names") {
        None => false,
        Some(item) => match item.as_str() {
            Some("plain") => true,
            Some("hashed") => false,
            _ => return Err(bad("`audit_names` must be \"hashed\" or \"plain\"".into())),
        },
    };
    let rotation_days = match doc.get("rotation_days") {
        None => None,
        Some(item) => match item.as_integer() {
            Some(n) if (1..=36_500).contains(&n) => Some(n as u64),
            _ => {
                return Err(bad(
                    "`rotation_days` must be a whole number of days from 1 to 36500".into(),
                ));
            }
        },
    };
    Ok(Hygiene {
        reveal,
        audit_names_plain,
        rotation_days,
    })
}

/// An integer or a float, as a float.
fn number(item: &Item) -> Option<f64> {
    item.as_float()
        .or_else(|| item.as_integer().map(|i| i as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Result<Sections> {
        let doc: DocumentMut = text.parse().expect("test TOML parses");
        read(Path::new("config.toml"), &doc)
    }

    fn message(text: &str) -> String {
        match sections(text) {
            Err(Error::Config { message, .. }) => message,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_file_has_the_defaults() {
        let s = sections("").unwrap();
        assert_eq!(s, Sections::default());
        assert_eq!(s.usage.anomaly_factor, 3.0);
        assert_eq!(s.usage.auth_failure_threshold, 5);
    }

    #[test]
    fn every_section_is_typed() {
        let s = sections(
            "reveal = \"never\"\naudit_names = \"plain\"\nrotation_days = 30\n\
             [proxy]\nagent_proof = true\nlisten = \"127.0.0.1:9999\"\n\
             [usage]\nanomaly_factor = 2\nauth_failure_threshold = 0\n\
             [prices.\"fake-*\"]\ninput = 2\noutput = 10.5\ncached = 0.5\nsource = \"me\"\n",
        )
        .unwrap();
        assert!(s.proxy.agent_proof);
        assert_eq!(s.proxy.listen.as_deref(), Some("127.0.0.1:9999"));
        assert_eq!(s.usage.anomaly_factor, 2.0);
        assert_eq!(s.usage.auth_failure_threshold, 0);
        assert_eq!(
            s.prices,
            vec![PriceOverride {
                glob: "fake-*".into(),
                input: 2.0,
                output: 10.5,
                cached: Some(0.5),
                cache_write: None,
                source: "me".into(),
            }]
        );
        assert_eq!(s.hygiene.reveal.as_deref(), Some("never"));
        assert!(s.hygiene.audit_names_plain);
        assert_eq!(s.hygiene.rotation_days, Some(30));
    }

    #[test]
    fn wrong_types_are_refused_by_table_and_key_without_the_value() {
        for (text, expected) in [
            ("proxy = 1", "`proxy` must be a table"),
            (
                "[proxy]\nagent_proof = \"yes\"",
                "`agent_proof` under [proxy]",
            ),
            ("[proxy]\nlisten = 8787", "`listen` under [proxy]"),
            (
                "[usage]\nanomaly_factor = -1",
                "anomaly_factor must be a positive",
            ),
            (
                "[usage]\nanomaly_factor = nan",
                "anomaly_factor must be a positive",
            ),
            (
                "[usage]\nauth_failure_threshold = -2",
                "auth_failure_threshold",
            ),
            (
                "[usage]\nauth_failure_threshold = 1.5",
                "auth_failure_threshold",
            ),
            ("prices = 3", "`prices` must be tables"),
            ("[prices.\"m\"]\ninput = 1", "needs `output`"),
            (
                "[prices.\"m\"]\ninput = \"sk-test-x\"\noutput = 1",
                "input must be a number",
            ),
            (
                "[prices.\"m\"]\ninput = 1e9\noutput = 1",
                "from 0 to 10000000",
            ),
            (
                "[prices.\"m\"]\ninput = 1\noutput = 1\nsource = 2",
                "source must be a string",
            ),
            ("reveal = \"sometimes\"", "`reveal` must be"),
            ("rotation_days = 0", "`rotation_days` must be"),
        ] {
            let m = message(text);
            assert!(m.contains(expected), "{text:?}: {m}");
            assert!(!m.contains("sk-test-x"), "{m}");
        }
    }

    #[test]
    fn a_glob_with_terminal_escapes_is_shown_escaped() {
        let m = message("[prices.\"\\u001b]52;c;x\\u0007\"]\ninput = 1");
        assert!(!m.contains('\u{1b}') && !m.contains('\u{7}'), "{m:?}");
    }
}
