//! Prices as data: the built-in dated table (`prices.toml`, compiled in) under the user's
//! `[prices."model-glob"]` overrides from `config.toml`. A model no entry matches has no
//! price: its requests are counted with "no price", never with a guessed one.

use serde::Deserialize;

use crate::proxy::token::glob_match;

const BUILT_IN: &str = include_str!("prices.toml");

/// USD per million tokens for the models a glob matches.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub model: String,
    pub input: f64,
    pub output: f64,
    /// Cache reads; absent: the input price.
    #[serde(default)]
    pub cached: Option<f64>,
    /// Cache writes; absent: the input price.
    #[serde(default)]
    pub cache_write: Option<f64>,
    /// The last UTC day (`YYYY-MM-DD`) this price applies; absent: open-ended.
    #[serde(default)]
    pub until: Option<String>,
    pub source: String,
    pub effective: String,
}

#[derive(Deserialize)]
struct Doc {
    price: Vec<Price>,
}

/// Token counts to price.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// All input tokens, cached ones included.
    pub input: u64,
    pub cached: u64,
    pub cache_write: u64,
    pub output: u64,
}

/// The table in force: overrides first, then the built-in entries.
#[derive(Clone, Debug, Default)]
pub struct PriceTable {
    entries: Vec<Price>,
}

#[cfg(test)]
fn valid(p: &Price) -> bool {
    let ok = |v: f64| v.is_finite() && (0.0..=10_000_000.0).contains(&v);
    ok(p.input)
        && ok(p.output)
        && p.cached.is_none_or(ok)
        && p.cache_write.is_none_or(ok)
        && !p.model.is_empty()
        && p.model.len() <= 256
}

impl PriceTable {
    /// The built-in table alone.
    pub fn built_in() -> PriceTable {
        let doc: Doc = toml::from_str(BUILT_IN).expect("prices.toml is valid (unit-tested)");
        PriceTable { entries: doc.price }
    }

    /// The built-in table under the `[prices."glob"]` overrides of `config` (typed and
    /// checked when the file was read).
    pub fn for_config(config: &crate::config::Config) -> PriceTable {
        PriceTable::with_overrides(config.prices())
    }

    /// The built-in table under `overrides`.
    pub fn with_overrides(overrides: &[crate::config::PriceOverride]) -> PriceTable {
        let mut entries: Vec<Price> = overrides
            .iter()
            .map(|o| Price {
                model: o.glob.clone(),
                input: o.input,
                output: o.output,
                cached: o.cached,
                cache_write: o.cache_write,
                until: None,
                source: o.source.clone(),
                effective: "config.toml".into(),
            })
            .collect();
        entries.extend(PriceTable::built_in().entries);
        PriceTable { entries }
    }

    /// Every entry, overrides first.
    pub fn entries(&self) -> &[Price] {
        &self.entries
    }

    /// The price of `model` on the UTC day of `time_ms`, if any.
    pub fn lookup(&self, model: &str, time_ms: i64) -> Option<&Price> {
        // The day label only when a matching price is dated.
        let mut day: Option<String> = None;
        self.entries.iter().find(|p| {
            glob_match(&p.model, model)
                && p.until.as_deref().is_none_or(|u| {
                    day.get_or_insert_with(|| super::day_label(time_ms))
                        .as_str()
                        <= u
                })
        })
    }

    /// The estimated cost in USD, or `None` when the model has no price.
    pub fn cost(&self, model: &str, time_ms: i64, counts: Counts) -> Option<f64> {
        let p = self.lookup(model, time_ms)?;
        let plain = counts
            .input
            .saturating_sub(counts.cached)
            .saturating_sub(counts.cache_write);
        let usd = plain as f64 * p.input
            + counts.cached as f64 * p.cached.unwrap_or(p.input)
            + counts.cache_write as f64 * p.cache_write.unwrap_or(p.input)
            + counts.output as f64 * p.output;
        Some(usd / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_parses_and_every_entry_is_dated_and_sourced() {
        let t = PriceTable::built_in();
        assert!(t.entries().len() > 20);
        for p in t.entries() {
            assert!(valid(p), "{p:?}");
            assert!(!p.source.is_empty() && !p.effective.is_empty(), "{p:?}");
        }
        assert_eq!(t.lookup("claude-sonnet-5-5", 0).unwrap().cached, Some(0.10));
        assert_eq!(t.lookup("claude-sonnet-5", 0).unwrap().cached, Some(0.20));
        assert_eq!(t.lookup("gpt-5.4-nano-2026", 0).unwrap().input, 0.20);
    }

    #[test]
    fn cost_arithmetic_overrides_and_no_price() {
        let t = table("[prices.\"fake-*\"]\ninput = 2\noutput = 10.0\ncached = 0.5\n");
        let counts = Counts {
            input: 1_000_000,
            cached: 200_000,
            cache_write: 0,
            output: 100_000,
        };
        // 800K plain × 2 + 200K cached × 0.5 + 100K out × 10 = 1.6 + 0.1 + 1.0
        let c = t.cost("fake-model", 0, counts).unwrap();
        assert!((c - 2.7).abs() < 1e-9, "{c}");
        assert_eq!(t.cost("unknown-model", 0, counts), None);
        // The override wins over a built-in entry it shadows.
        let t = table("[prices.\"gpt-4.1-nano\"]\ninput = 1\noutput = 1\n");
        assert_eq!(t.lookup("gpt-4.1-nano", 0).unwrap().input, 1.0);
        assert_eq!(t.lookup("gpt-4.1-nano", 0).unwrap().source, "config.toml");
    }

    fn table(config: &str) -> PriceTable {
        let config = crate::config::Config::parse(std::path::Path::new("config.toml"), config)
            .expect("test config parses");
        PriceTable::for_config(&config)
    }

    #[test]
    fn dated_prices_change_on_their_day() {
        let t = PriceTable::built_in();
        let dec31 = humantime::parse_rfc3339("2026-12-31T23:00:00Z").unwrap();
        let jan1 = humantime::parse_rfc3339("2027-01-01T01:00:00Z").unwrap();
        let m = "gemini-3.8-flash";
        assert_eq!(
            t.lookup(m, crate::ledger::unix_ms(dec31)).unwrap().input,
            0.75
        );
        assert_eq!(
            t.lookup(m, crate::ledger::unix_ms(jan1)).unwrap().input,
            1.50
        );
    }
}
