//! Rendering secrets as text that a shell (or a dotenv / JSON consumer) can
//! load safely.
//!
//! Every format quotes values so that evaluating the output sets each
//! variable to exactly the stored bytes and never runs code, whatever the
//! value contains (quotes, `$`, `$(...)`, backticks, backslashes, newlines,
//! carriage returns, tabs, unicode, a leading `-`, `%`, `!`).
//!
//! | format       | line emitted                     | quoting rule |
//! |--------------|----------------------------------|--------------|
//! | `sh`         | `export NAME='...'`              | POSIX single quotes; `'` becomes `'\''`. Nothing else is special inside single quotes, newlines included. |
//! | `fish`       | `set -gx NAME '...'`             | fish single quotes; only `\\` and `\'` are escapes there, so `\` becomes `\\` and `'` becomes `\'`. |
//! | `powershell` | `$env:NAME = '...'`              | verbatim single-quoted string; `'` and the quote-like U+2018, U+2019, U+201A, U+201B (which PowerShell also accepts as single quotes) are doubled. |
//! | `dotenv`     | `NAME='...'` or `NAME="..."`     | see below |
//! | `json`       | `{ "NAME": "..." }`              | standard JSON string escaping. |
//!
//! Loading the output: `eval "$(byok ... --format sh)"` (quote the command
//! substitution), `byok ... --format fish | source`, and in PowerShell
//! `byok ... --format powershell | Out-String | Invoke-Expression` (without
//! `Out-String`, PowerShell feeds `Invoke-Expression` one line at a time and a
//! value that contains a newline would be split).
//!
//! # dotenv
//!
//! The dotenv body targets both docker compose `env_file` (compose-go's
//! parser) and python-dotenv, whose rules differ:
//!
//! * single quotes: compose takes the text literally except `\'`;
//!   python-dotenv additionally turns `\\` into `\`.
//! * double quotes: both understand `\\`, `\"`, `\n`, `\r`; compose then
//!   interpolates `$NAME`/`${NAME}` (a literal `$` must be written `$$` or
//!   `\$`), whereas python-dotenv keeps `$$` and `\$` as they are.
//! * python-dotenv (with its default `interpolate=True`) expands `${NAME}`
//!   even inside single quotes, and has no escape for it.
//!
//! So a value is written in single quotes when it has no `'`, no newline or
//! carriage return and no `\\` pair; otherwise in double quotes with `\`,
//! `"`, newline and carriage return escaped (tabs and other characters stay
//! literal, because older compose releases turn `\t` into `t`). Values that
//! no single spelling loads identically in both tools are rejected with
//! [`RenderError::DotenvUnrepresentable`] rather than written wrongly:
//!
//! * a value containing `${` (python-dotenv would expand it);
//! * a value ending in `\` (both parsers read `\'` / `\"` as an escaped
//!   closing quote);
//! * a value that needs double quotes and contains `$` (compose needs it
//!   escaped, python-dotenv would keep the escape).
//!
//! The output is not meant for `docker run --env-file`, which does no quote
//! processing at all and would keep the quotes as part of the value.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Output format of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShellFormat {
    /// POSIX shells (sh, dash, bash, zsh, ksh): `export NAME='value'`.
    Sh,
    /// fish: `set -gx NAME 'value'`.
    Fish,
    /// PowerShell (Windows PowerShell 5.1 and pwsh 7): `$env:NAME = 'value'`.
    PowerShell,
    /// A `.env` body for docker compose `env_file` and python-dotenv.
    Dotenv,
    /// A JSON object mapping names to values.
    Json,
}

impl ShellFormat {
    /// Every format, in the order shown to users.
    pub const ALL: [ShellFormat; 5] = [
        ShellFormat::Sh,
        ShellFormat::Fish,
        ShellFormat::PowerShell,
        ShellFormat::Dotenv,
        ShellFormat::Json,
    ];

    /// The canonical command-line name (`sh`, `fish`, `powershell`, `dotenv`, `json`).
    pub const fn name(self) -> &'static str {
        match self {
            ShellFormat::Sh => "sh",
            ShellFormat::Fish => "fish",
            ShellFormat::PowerShell => "powershell",
            ShellFormat::Dotenv => "dotenv",
            ShellFormat::Json => "json",
        }
    }

    /// The canonical names of all formats, e.g. for clap's `PossibleValuesParser`.
    pub const NAMES: [&'static str; 5] = ["sh", "fish", "powershell", "dotenv", "json"];
}

impl fmt::Display for ShellFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error returned when parsing an unknown [`ShellFormat`] name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {given:?}; expected one of: sh, fish, powershell, dotenv, json")]
pub struct ParseShellFormatError {
    /// The rejected input.
    pub given: String,
}

impl FromStr for ShellFormat {
    type Err = ParseShellFormatError;

    /// Accepts the canonical names case-insensitively, plus the aliases
    /// `bash`/`zsh` (sh), `pwsh` (powershell) and `env` (dotenv).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sh" | "bash" | "zsh" => Ok(ShellFormat::Sh),
            "fish" => Ok(ShellFormat::Fish),
            "powershell" | "pwsh" => Ok(ShellFormat::PowerShell),
            "dotenv" | "env" => Ok(ShellFormat::Dotenv),
            "json" => Ok(ShellFormat::Json),
            _ => Err(ParseShellFormatError {
                given: s.to_owned(),
            }),
        }
    }
}

/// Why [`render`] refused to produce output. Never contains a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The name is not a POSIX variable name.
    #[error(
        "{name:?} is not a valid environment variable name: use ASCII letters, digits and `_`, not starting with a digit"
    )]
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// The same name was given twice.
    #[error("variable {name} is listed more than once")]
    DuplicateName {
        /// The repeated name.
        name: String,
    },
    /// The value contains a NUL byte, which no environment variable can hold.
    #[error("the value of {name} contains a NUL byte, which an environment variable cannot hold")]
    ValueContainsNul {
        /// The variable whose value was rejected.
        name: String,
    },
    /// No dotenv spelling loads the value identically in compose and python-dotenv.
    #[error(
        "the value of {name} cannot be written to a dotenv file that docker compose and python-dotenv both read correctly ({reason}); use another format such as json or sh"
    )]
    DotenvUnrepresentable {
        /// The variable whose value was rejected.
        name: String,
        /// Which rule the value broke (never the value itself).
        reason: &'static str,
    },
}

/// Whether `name` is a POSIX environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn valid_var_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
        _ => return false,
    }
    bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Renders `vars` as text in `format` that sets each variable to exactly its value.
///
/// Names are validated with [`valid_var_name`] and must be unique; values must
/// not contain NUL. The output is held in a [`Zeroizing`] buffer that is wiped
/// when dropped.
///
/// # Errors
/// See [`RenderError`]; nothing is returned on error, so no partial output
/// containing secrets is left behind.
pub fn render(
    format: ShellFormat,
    vars: &[(String, SecretString)],
) -> Result<Zeroizing<String>, RenderError> {
    let mut seen = HashSet::new();
    for (name, value) in vars {
        if !valid_var_name(name) {
            return Err(RenderError::InvalidName { name: name.clone() });
        }
        if !seen.insert(name.as_str()) {
            return Err(RenderError::DuplicateName { name: name.clone() });
        }
        if value.expose_secret().contains('\0') {
            return Err(RenderError::ValueContainsNul { name: name.clone() });
        }
    }

    // Reserve the worst case up front: growing the String would reallocate and
    // leave an unwiped copy of earlier secrets in freed memory. Every escape
    // below is at most 6 bytes per input byte (JSON's \u00XX).
    let capacity = vars
        .iter()
        .map(|(name, value)| name.len() + 6 * value.expose_secret().len() + 32)
        .sum::<usize>()
        + 8;
    let mut out = Zeroizing::new(String::with_capacity(capacity));

    if format == ShellFormat::Json {
        write_json(&mut out, vars);
        return Ok(out);
    }
    for (name, value) in vars {
        let value = value.expose_secret();
        match format {
            ShellFormat::Sh => {
                out.push_str("export ");
                out.push_str(name);
                out.push('=');
                push_sh_quoted(&mut out, value);
            }
            ShellFormat::Fish => {
                out.push_str("set -gx ");
                out.push_str(name);
                out.push(' ');
                push_fish_quoted(&mut out, value);
            }
            ShellFormat::PowerShell => {
                out.push_str("$env:");
                out.push_str(name);
                out.push_str(" = ");
                push_powershell_quoted(&mut out, value);
            }
            ShellFormat::Dotenv => {
                check_dotenv(name, value)?;
                out.push_str(name);
                out.push('=');
                push_dotenv_quoted(&mut out, value);
            }
            ShellFormat::Json => unreachable!("handled above"),
        }
        out.push('\n');
    }
    debug_assert!(out.len() <= capacity);
    Ok(out)
}

fn push_sh_quoted(out: &mut String, value: &str) {
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            // Close the quote, add an escaped quote, reopen.
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
}

fn push_fish_quoted(out: &mut String, value: &str) {
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
}

fn push_powershell_quoted(out: &mut String, value: &str) {
    out.push('\'');
    for c in value.chars() {
        // PowerShell's tokenizer treats these four as single quotes too, so a
        // lone one would end the string; doubling any of them yields one.
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
}

fn dotenv_single_quote_ok(value: &str) -> bool {
    !value.contains(['\'', '\n', '\r']) && !value.contains("\\\\")
}

fn check_dotenv(name: &str, value: &str) -> Result<(), RenderError> {
    let reason = if value.contains("${") {
        Some("it contains `${`, which python-dotenv expands even inside quotes")
    } else if value.ends_with('\\') {
        Some("it ends with a backslash, which both parsers read as escaping the closing quote")
    } else if !dotenv_single_quote_ok(value) && value.contains('$') {
        Some(
            "it contains `$` together with a quote, line break or double backslash, and the two tools disagree on escaping `$` inside double quotes",
        )
    } else {
        None
    };
    match reason {
        Some(reason) => Err(RenderError::DotenvUnrepresentable {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

fn push_dotenv_quoted(out: &mut String, value: &str) {
    if dotenv_single_quote_ok(value) {
        out.push('\'');
        out.push_str(value);
        out.push('\'');
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, vars: &[(String, SecretString)]) {
    if vars.is_empty() {
        out.push_str("{}\n");
        return;
    }
    out.push_str("{\n");
    for (i, (name, value)) in vars.iter().enumerate() {
        out.push_str("  ");
        push_json_string(out, name);
        out.push_str(": ");
        push_json_string(out, value.expose_secret());
        if i + 1 < vars.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("}\n");
}

// Hand-written so the escaped text goes straight into the zeroizing buffer
// instead of through serde_json's intermediate allocations.
fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as usize;
                out.push_str("\\u00");
                out.push(HEX[b >> 4] as char);
                out.push(HEX[b & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, SecretString)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), SecretString::from(*v)))
            .collect()
    }

    #[test]
    fn var_names() {
        for ok in ["A", "_", "_A1", "OPENAI_API_KEY", "a_b"] {
            assert!(valid_var_name(ok), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A B", "A=B", "Ä", "A$", "A\n"] {
            assert!(!valid_var_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn format_names_round_trip() {
        for f in ShellFormat::ALL {
            assert_eq!(f.name().parse::<ShellFormat>().unwrap(), f);
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!(ShellFormat::NAMES, ShellFormat::ALL.map(ShellFormat::name));
        assert_eq!("PWSH".parse::<ShellFormat>(), Ok(ShellFormat::PowerShell));
        assert!("cmd".parse::<ShellFormat>().is_err());
    }

    #[test]
    fn quoting_shapes() {
        let v = vars(&[("K", "a'b\\c")]);
        assert_eq!(
            *render(ShellFormat::Sh, &v).unwrap(),
            "export K='a'\\''b\\c'\n"
        );
        assert_eq!(
            *render(ShellFormat::Fish, &v).unwrap(),
            "set -gx K 'a\\'b\\\\c'\n"
        );
        assert_eq!(
            *render(ShellFormat::PowerShell, &vars(&[("K", "a'b\u{2019}c")])).unwrap(),
            "$env:K = 'a''b\u{2019}\u{2019}c'\n"
        );
        assert_eq!(
            *render(ShellFormat::Dotenv, &vars(&[("K", "sk-$x y")])).unwrap(),
            "K='sk-$x y'\n"
        );
        assert_eq!(
            render(ShellFormat::Dotenv, &vars(&[("K", "it's\n\"q\"\\\\")])).unwrap_err(),
            RenderError::DotenvUnrepresentable {
                name: "K".into(),
                reason: "it ends with a backslash, which both parsers read as escaping the closing quote"
            }
        );
        assert_eq!(
            *render(ShellFormat::Dotenv, &vars(&[("K", "it's\n\"q\"\\\\x")])).unwrap(),
            "K=\"it's\\n\\\"q\\\"\\\\\\\\x\"\n"
        );
    }

    #[test]
    fn json_is_valid_and_exact() {
        let v = vars(&[("A", "x\"\\\n\u{1}é"), ("B", "")]);
        let out = render(ShellFormat::Json, &v).unwrap();
        let parsed: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["A"], "x\"\\\n\u{1}é");
        assert_eq!(parsed["B"], "");
        assert_eq!(*render(ShellFormat::Json, &[]).unwrap(), "{}\n");
    }

    #[test]
    fn rejects_bad_input_without_leaking_values() {
        let secret = "sk-test-SECRET";
        for f in ShellFormat::ALL {
            let err = render(f, &vars(&[("BAD-NAME", secret)])).unwrap_err();
            assert!(matches!(err, RenderError::InvalidName { .. }));
            let err = render(f, &vars(&[("A", secret), ("A", secret)])).unwrap_err();
            assert!(matches!(err, RenderError::DuplicateName { .. }));
            let err = render(f, &vars(&[("A", "sk-test-SECRET\0")])).unwrap_err();
            assert!(!err.to_string().contains(secret));
        }
        for bad in ["sk-test-SECRET${X}", "sk-test-SECRET\\", "sk-test-SECRET'$"] {
            let err = render(ShellFormat::Dotenv, &vars(&[("A", bad)])).unwrap_err();
            assert!(matches!(err, RenderError::DotenvUnrepresentable { .. }));
            assert!(!err.to_string().contains(secret), "{err}");
        }
    }

    #[cfg(unix)]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Any value (any string without NUL, which no environment can hold) comes back
        /// byte for byte from `eval "$(byok env)"` in sh.
        #[test]
        fn any_value_round_trips_through_sh(value in "[^\\x00]{0,64}") {
            let text = render(ShellFormat::Sh, &vars(&[("BYOK_RT", value.as_str())])).unwrap();
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("{}\nprintf %s \"$BYOK_RT\"", text.as_str()))
                .output()
                .unwrap();
            proptest::prop_assert!(out.status.success());
            proptest::prop_assert_eq!(String::from_utf8_lossy(&out.stdout), value);
        }
    }
}
