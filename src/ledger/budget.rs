//! Per-token daily budgets: `5usd/day` (estimated cost) or `2Mtok/day` (input + output
//! tokens), per UTC day. The proxy checks a budget before it sends a request, against what
//! the ledger recorded so far today; requests already in flight are not counted until they
//! finish, so concurrent requests may overshoot a budget by what they cost.

use std::fmt;

/// A daily limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    Usd(f64),
    Tokens(u64),
}

impl Budget {
    /// Parses `5usd/day`, `0.50usd/day`, `2Mtok/day`, `500ktok/day`, `1000tok/day`.
    pub fn parse(text: &str) -> Option<Budget> {
        let amount = text.trim().strip_suffix("/day")?;
        if let Some(n) = amount.strip_suffix("usd") {
            let v: f64 = n.parse().ok()?;
            return (v.is_finite() && (0.0..=1e9).contains(&v)).then_some(Budget::Usd(v));
        }
        let n = amount.strip_suffix("tok")?;
        let (digits, scale) = match n.chars().last()? {
            'k' | 'K' => (&n[..n.len() - 1], 1_000.0),
            'M' | 'm' => (&n[..n.len() - 1], 1_000_000.0),
            'G' | 'g' | 'B' => (&n[..n.len() - 1], 1_000_000_000.0),
            _ => (n, 1.0),
        };
        let v: f64 = digits.parse().ok()?;
        (v.is_finite() && v >= 0.0 && v * scale <= 1e15)
            .then_some(Budget::Tokens((v * scale) as u64))
    }

    /// Whether today's spend (`usd`, `tokens`) has reached the budget.
    pub fn exceeded(&self, usd: f64, tokens: u64) -> bool {
        match *self {
            Budget::Usd(limit) => usd >= limit,
            Budget::Tokens(limit) => tokens >= limit,
        }
    }

    /// Today's spend, in the budget's unit.
    pub fn spent(&self, usd: f64, tokens: u64) -> String {
        match self {
            Budget::Usd(_) => format!("${usd:.4}"),
            Budget::Tokens(_) => format!("{tokens} tokens"),
        }
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::Usd(v) => write!(f, "{v}usd/day"),
            Budget::Tokens(v) if v % 1_000_000 == 0 && *v > 0 => {
                write!(f, "{}Mtok/day", v / 1_000_000)
            }
            Budget::Tokens(v) if v % 1_000 == 0 && *v > 0 => write!(f, "{}ktok/day", v / 1_000),
            Budget::Tokens(v) => write!(f, "{v}tok/day"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_and_print() {
        assert_eq!(Budget::parse("5usd/day"), Some(Budget::Usd(5.0)));
        assert_eq!(Budget::parse("0.25usd/day"), Some(Budget::Usd(0.25)));
        assert_eq!(Budget::parse("2Mtok/day"), Some(Budget::Tokens(2_000_000)));
        assert_eq!(Budget::parse("500ktok/day"), Some(Budget::Tokens(500_000)));
        assert_eq!(Budget::parse("10tok/day"), Some(Budget::Tokens(10)));
        for bad in [
            "5usd",
            "5eur/day",
            "-1usd/day",
            "tok/day",
            "xMtok/day",
            "NaNusd/day",
        ] {
            assert_eq!(Budget::parse(bad), None, "{bad}");
        }
        assert_eq!(Budget::Tokens(2_000_000).to_string(), "2Mtok/day");
        assert_eq!(Budget::Usd(5.0).to_string(), "5usd/day");
        assert!(Budget::Usd(1.0).exceeded(1.0, 0));
        assert!(!Budget::Tokens(10).exceeded(100.0, 9));
    }
}
