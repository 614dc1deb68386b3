//! Parsing `.env` files.
//!
//! Accepted syntax (the common ground of python-dotenv and docker compose):
//!
//! * blank lines and lines whose first non-blank character is `#`;
//! * an optional `export ` prefix;
//! * `NAME=value` with optional blanks around `=`; names are letters,
//!   digits, `_`, `.` and `-`, not starting with a digit, `.` or `-`;
//! * unquoted values run to the end of the line, lose trailing blanks and a
//!   ` # comment` (a `#` preceded by a blank); a `#` inside a word is kept;
//! * `'single quoted'` values are literal except that `\'` stands for `'`;
//! * `"double quoted"` values understand `\n`, `\r`, `\t`, `\\`, `\"`, `\'`
//!   and `\$`; any other backslash is kept as written;
//! * quoted values may span several lines and may be followed by a
//!   ` # comment`;
//! * a bare `NAME` line (which compose reads as "inherit from the
//!   environment") is skipped, as it carries no value.
//!
//! `$NAME` / `${NAME}` references are not expanded: the text is imported as
//! written. Errors give the line number and never the value.

use secrecy::{ExposeSecret, SecretString};

use super::{
    Candidate, DotenvProblem, ImportError, dedupe_ref_names, guess_provider, is_key_var,
    propose_ref_name,
};

/// Parses a `.env` body into `(name, value)` pairs in file order (a name
/// may appear more than once; the last one wins when loaded).
///
/// # Errors
/// [`ImportError::Dotenv`] with the 1-based line of the first malformed entry.
pub fn parse(text: &str) -> Result<Vec<(String, SecretString)>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cur = Cursor {
        rest: text,
        line: 1,
    };
    let mut entries = Vec::new();
    loop {
        cur.skip_blanks();
        let Some(c) = cur.peek() else { break };
        match c {
            '\n' => {
                cur.bump();
                continue;
            }
            '#' => {
                cur.skip_to_line_end();
                continue;
            }
            _ => {}
        }
        let line = cur.line;
        let err = |problem| ImportError::Dotenv { line, problem };

        if let Some(after) = cur.rest.strip_prefix("export")
            && after.starts_with([' ', '\t'])
        {
            cur.rest = after;
            cur.skip_blanks();
        }
        let name = cur.take_while(|c| !matches!(c, '=' | ' ' | '\t' | '\r' | '\n' | '#'));
        if name.is_empty() {
            return Err(err(if cur.peek() == Some('=') {
                DotenvProblem::InvalidName
            } else {
                DotenvProblem::MissingEquals
            }));
        }
        let name = name.to_owned();
        cur.skip_blanks();
        match cur.peek() {
            Some('=') => cur.bump(),
            // `NAME` alone: compose's "inherit", no value to import.
            None | Some('\n') if valid_name(&name) => continue,
            _ => return Err(err(DotenvProblem::MissingEquals)),
        }
        if !valid_name(&name) {
            return Err(err(DotenvProblem::InvalidName));
        }
        cur.skip_blanks();
        let value = match cur.peek() {
            Some(q @ ('\'' | '"')) => {
                cur.bump();
                let value = cur.quoted(q).ok_or(err(DotenvProblem::Unterminated {
                    quote: if q == '\'' { "single" } else { "double" },
                }))?;
                cur.skip_blanks();
                match cur.peek() {
                    None | Some('\n') => {}
                    Some('#') => cur.skip_to_line_end(),
                    Some(_) => {
                        // Report the line the closing quote is on.
                        return Err(ImportError::Dotenv {
                            line: cur.line,
                            problem: DotenvProblem::TrailingText,
                        });
                    }
                }
                value
            }
            _ => cur.unquoted(),
        };
        entries.push((name, value));
    }
    Ok(entries)
}

/// Keeps the entries whose names look like API keys ([`is_key_var`]) and
/// have a non-empty value, turning them into import candidates. When a name
/// repeats, the last value wins, as when the file is loaded.
pub fn candidates(entries: Vec<(String, SecretString)>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (name, value) in entries {
        if !is_key_var(&name) {
            continue;
        }
        out.retain(|c| c.var_or_key != name);
        if value.expose_secret().is_empty() {
            continue;
        }
        out.push(Candidate {
            ref_name: propose_ref_name(&name),
            provider: guess_provider(&name),
            var_or_key: name,
            value,
        });
    }
    dedupe_ref_names(&mut out);
    out
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

struct Cursor<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            if c == '\n' {
                self.line += 1;
            }
            self.rest = &self.rest[c.len_utf8()..];
        }
    }

    /// Skips spaces, tabs and carriage returns, but not newlines.
    fn skip_blanks(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t', '\r']);
    }

    /// Moves to the newline ending this line (or to the end of input).
    fn skip_to_line_end(&mut self) {
        let end = self.rest.find('\n').unwrap_or(self.rest.len());
        self.rest = &self.rest[end..];
    }

    /// Consumes characters on this line while `keep` holds.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self
            .rest
            .find(|c: char| c == '\n' || !keep(c))
            .unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(end);
        self.rest = rest;
        taken
    }

    fn unquoted(&mut self) -> SecretString {
        let end = self.rest.find('\n').unwrap_or(self.rest.len());
        let mut raw = &self.rest[..end];
        self.rest = &self.rest[end..];
        // An inline comment needs a blank before `#`; `a#b` is a value.
        if let Some(i) = raw
            .char_indices()
            .find(|&(i, c)| c == '#' && i > 0 && raw[..i].ends_with([' ', '\t']))
            .map(|(i, _)| i)
        {
            raw = &raw[..i];
        }
        SecretString::from(raw.trim_end_matches([' ', '\t', '\r']))
    }

    /// Reads a quoted value after its opening quote up to and including the
    /// closing one. `None` if the input ends first.
    fn quoted(&mut self, quote: char) -> Option<SecretString> {
        // Sized up front so that, for any realistic value, the buffer holding
        // the secret never reallocates (which would leave an unwiped copy).
        let mut value = String::with_capacity(self.rest.len().min(64 * 1024));
        let mut chars = self.rest.char_indices();
        let mut lines = 0;
        while let Some((_, c)) = chars.next() {
            if c == quote {
                let consumed = self.rest.len() - chars.as_str().len();
                self.rest = &self.rest[consumed..];
                self.line += lines;
                return Some(SecretString::from(value));
            }
            if c == '\n' {
                lines += 1;
            }
            if c != '\\' {
                value.push(c);
                continue;
            }
            let Some((_, next)) = chars.next() else {
                break;
            };
            if next == '\n' {
                lines += 1;
            }
            match (quote, next) {
                ('\'', '\'') => value.push('\''),
                ('"', 'n') => value.push('\n'),
                ('"', 'r') => value.push('\r'),
                ('"', 't') => value.push('\t'),
                ('"', '\\' | '"' | '\'' | '$') => value.push(next),
                _ => {
                    value.push('\\');
                    value.push(next);
                }
            }
        }
        // Wipe what was collected before reporting the error.
        drop(SecretString::from(value));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|(n, v)| (n, v.expose_secret().to_owned()))
            .collect()
    }

    fn p(n: &str, v: &str) -> (String, String) {
        (n.to_owned(), v.to_owned())
    }

    #[test]
    fn basics() {
        assert_eq!(
            pairs(
                "A=1\n  # c\n\nexport B = two words  # comment\nC=a#b\nD=\nE='x # y' # c\nF=\"q\\\"\\n\\$\\z\"\r\n"
            )
            .into_iter()
            .take(6)
            .collect::<Vec<_>>(),
            [
                p("A", "1"),
                p("B", "two words"),
                p("C", "a#b"),
                p("D", ""),
                p("E", "x # y"),
                p("F", "q\"\n$\\z"),
            ]
        );
    }

    #[test]
    fn multiline_and_line_numbers() {
        let text = "A=\"l1\nl2\"\nB='x\ny'\nbad line\n";
        let err = parse(text).unwrap_err();
        match err {
            ImportError::Dotenv { line, problem } => {
                assert_eq!(line, 5);
                assert_eq!(problem, DotenvProblem::MissingEquals);
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            pairs("A=\"l1\nl2\"\nB='x\\'\ny'\n"),
            [p("A", "l1\nl2"), p("B", "x'\ny")]
        );
    }

    #[test]
    fn errors_never_show_values() {
        let cases = [
            ("X=1\nK=\"sk-test-SECRET\n", 2, "double"),
            ("K='sk-test-SECRET", 1, "single"),
        ];
        for (text, want_line, quote) in cases {
            let err = parse(text).unwrap_err();
            let msg = err.to_string();
            assert!(!msg.contains("sk-test"), "{msg}");
            assert!(msg.contains(&format!("line {want_line}")), "{msg}");
            assert!(msg.contains(quote), "{msg}");
        }
        let err = parse("K=\"sk-test-SECRET\"junk\n").unwrap_err();
        assert!(matches!(
            err,
            ImportError::Dotenv {
                line: 1,
                problem: DotenvProblem::TrailingText
            }
        ));
        assert!(!err.to_string().contains("sk-test"));
        let err = parse("1BAD=sk-test-SECRET\n").unwrap_err();
        assert!(matches!(
            err,
            ImportError::Dotenv {
                problem: DotenvProblem::InvalidName,
                ..
            }
        ));
        let err = parse("=sk-test-SECRET\n").unwrap_err();
        assert!(!err.to_string().contains("sk-test"));
        let err = parse("sk-test-SECRET with spaces\n").unwrap_err();
        assert!(!err.to_string().contains("sk-test"));
    }

    #[test]
    fn bare_names_and_bom() {
        assert_eq!(pairs("\u{feff}INHERIT\nA=1"), [p("A", "1")]);
    }

    #[test]
    fn candidate_filtering() {
        let entries =
            parse("OPENAI_API_KEY=old\nDEBUG=1\nOPENAI_API_KEY=sk-test-new\nEMPTY_API_KEY=\n")
                .unwrap();
        let c = candidates(entries);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].ref_name, "openai_api_key");
        assert_eq!(c[0].provider, Some("openai"));
        assert_eq!(c[0].value.expose_secret(), "sk-test-new");
    }
}
