//! The one escaper for text byok did not write — a server's reply, a model id a client
//! chose, a file's name or contents, a project's settings — before it reaches a terminal,
//! a table, a CSV or JSON file, or a log line.
//!
//! Printed raw, such text could carry terminal escape sequences (an OSC 52 clipboard write,
//! a screen clear, a cursor move that hides a line) or characters that reorder or hide what
//! is shown (a bidi override, a zero-width space). Every C0 control (except a newline and a
//! tab where text may span lines), DEL, every C1 control, the bidi marks, embeddings,
//! overrides and isolates, the line and paragraph separators and the invisible format
//! characters ([`is_unsafe`]) are shown as `\u{…}` instead (in JSON as `\uXXXX`, so the
//! value stays exact), so the user sees what was sent and the terminal interprets none of it.
//!
//! Secret values never pass through here: `secret get` and `env` print their data as is.

use std::borrow::Cow;

/// Whether `c` is shown escaped. `keep_lines` keeps `\n` and `\t`.
fn is_unsafe(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        _ => is_reordering(c),
    }
}

/// Format characters that reorder or hide text: the bidi marks (ALM, LRM, RLM),
/// embeddings, overrides and isolates; the line and paragraph separators; zero-width space,
/// word joiner and the invisible operators; the byte-order mark; the interlinear
/// annotation controls. (Zero-width joiners stay: scripts and emoji need them.)
fn is_reordering(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_lines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c, keep_lines) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// For one line (a table cell, a name, a model id): every control is escaped, newlines too.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// For text that may span lines (an error message, a reply): newlines and tabs stay.
pub fn text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// For output byok composed itself around untrusted pieces: like [`text`], except that the
/// colour sequences byok writes (`ESC [ digits/semicolons m`, SGR only) pass through. SGR
/// can change colours but cannot move the cursor, clear the screen or talk to the clipboard.
pub fn keep_colours(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, true)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = sgr_len(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if is_unsafe(c, true) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of an SGR sequence at the start of `s` (`ESC [ [0-9;]{0,16} m`), if one is.
fn sgr_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.get(1) != Some(&b'[') {
        return None;
    }
    let params = bytes[2..]
        .iter()
        .take(17)
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    (params <= 16 && bytes.get(2 + params) == Some(&b'm')).then_some(3 + params)
}

/// JSON text with DEL, the C1 controls and the characters of [`is_reordering`] written as
/// `\uXXXX` escapes (serde_json escapes C0 itself but writes the rest raw). The JSON means
/// exactly the same afterwards.
pub fn json(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| matches!(c, '\u{7f}'..='\u{9f}') || is_reordering(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shortens words longer than 80 characters (a 10 KB name typed by mistake) to their first
/// 40 and a count, so an error message stays readable.
pub fn shorten(text: &str) -> Cow<'_, str> {
    const LONG: usize = 80;
    if text.split_whitespace().all(|w| w.chars().count() <= LONG) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(LONG * 4);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let n = word.chars().count();
        if n > LONG {
            out.extend(word.chars().take(40));
            out.push_str(&format!("…({n} characters)"));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    Cow::Owned(out)
}

/// What a key-shaped word in an error message is replaced with.
pub const HIDDEN_KEY: &str = "<key-shaped text hidden>";

/// Hides words in a message that look like API keys: a known provider prefix followed by at
/// least 16 more characters, or 32+ characters mixing upper case, lower case and digits.
/// Error messages name what the user typed (a ref name, a target); when that was a key pasted
/// in the wrong place, it must not end up in a terminal's scrollback or a CI log.
pub fn hide_keys(text: &str) -> Cow<'_, str> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let key_shaped = |word: &str| {
        let prefixed = crate::provider::catalog::all_key_prefixes()
            .iter()
            .any(|p| word.starts_with(p) && word.len() >= p.len() + 16);
        let mixed = word.len() >= 32
            && word.bytes().any(|b| b.is_ascii_uppercase())
            && word.bytes().any(|b| b.is_ascii_lowercase())
            && word.bytes().any(|b| b.is_ascii_digit());
        prefixed || mixed
    };
    let mut out = String::new();
    let mut last = 0;
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_word(c) && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if key_shaped(&text[s..i]) {
                    out.push_str(&text[last..s]);
                    out.push_str(HIDDEN_KEY);
                    last = i;
                }
                start = None;
            }
            _ => {}
        }
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_are_shortened() {
        let long = "a".repeat(10_000);
        let message = format!("invalid ref name '{long}': a ref");
        let out = shorten(&message);
        assert!(out.len() < 120, "{out}");
        assert!(out.contains("(10003 characters)"), "{out}");
        assert_eq!(shorten("short words stay"), "short words stay");
    }

    #[test]
    fn key_shaped_words_are_hidden() {
        let msg = "no connector or secret named 'sk-ant-api03-abcdefghijklmnop0123'";
        assert_eq!(
            hide_keys(msg),
            "no connector or secret named '<key-shaped text hidden>'"
        );
        let generic = "bad 'Zx9aQ2bR7cT4dU1eV8fW3gX6hY5iZ0jK' here";
        assert_eq!(hide_keys(generic), "bad '<key-shaped text hidden>' here");
        for fine in [
            "no secret named 'my_openai_key'",
            "/home/u/.config/byok/vault.age is corrupted",
            "account 0123456789abcdef0123456789abcdef/vault-identity",
            "sk-test-short",
        ] {
            assert_eq!(hide_keys(fine), fine);
        }
    }
    use proptest::prelude::*;

    #[test]
    fn osc52_and_screen_clears_are_shown_not_run() {
        let hostile = "bad key\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u{9b}31m\r";
        let shown = text(hostile);
        assert_eq!(
            shown,
            "bad key\\u{1b}]52;c;ZWNobyBoaQ==\\u{7}\\u{1b}[2J\\u{9b}31m\\u{d}"
        );
        assert_eq!(line("a\nb\tc"), "a\\u{a}b\\u{9}c");
        assert_eq!(text("a\nb\tc"), "a\nb\tc");
        assert_eq!(line("gpt-4o ünïcode ✓"), "gpt-4o ünïcode ✓");
        assert_eq!(line("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn our_colours_survive_but_nothing_else() {
        let s = "\x1b[32;1m✓\x1b[0m reply \x1b]0;title\x07 \x1b[H";
        assert_eq!(
            keep_colours(s),
            "\x1b[32;1m✓\x1b[0m reply \\u{1b}]0;title\\u{7} \\u{1b}[H"
        );
        assert_eq!(keep_colours("\x1b["), "\\u{1b}[");
    }

    #[test]
    fn json_stays_json() {
        let v = serde_json::json!({"m": "a\u{9b}b\u{7f}\u{1b}"});
        let raw = serde_json::to_string(&v).unwrap();
        let safe = json(&raw);
        assert!(!safe.contains('\u{9b}') && !safe.contains('\u{7f}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn characters_that_reorder_or_hide_text_are_shown() {
        for c in [
            '\u{202e}', '\u{2067}', '\u{200f}', '\u{061c}', '\u{200b}', '\u{feff}', '\u{2028}',
        ] {
            let hostile = format!("gpt{c}4o");
            assert_eq!(line(&hostile), format!("gpt\\u{{{:x}}}4o", c as u32));
            assert_eq!(text(&hostile), line(&hostile));
            let raw = serde_json::to_string(&hostile).unwrap();
            assert_eq!(json(&raw), format!("\"gpt\\u{:04x}4o\"", c as u32));
        }
        // Joiners that scripts and emoji need are left alone.
        assert_eq!(line("क्\u{200d}ष 👩\u{200d}💻"), "क्\u{200d}ष 👩\u{200d}💻");
    }

    proptest! {
        #[test]
        fn json_keeps_values_exact_and_shows_nothing_hostile(s in any::<String>()) {
            let raw = serde_json::to_string(&s).unwrap();
            let safe = json(&raw);
            prop_assert!(!safe.chars().any(|c| is_unsafe(c, false)), "{:?}", safe);
            let back: String = serde_json::from_str(&safe).unwrap();
            prop_assert_eq!(back, s);
        }

        #[test]
        fn escaped_text_has_no_controls(s in any::<String>()) {
            for out in [line(&s), text(&s), keep_colours(&s)] {
                for c in out.chars() {
                    let control = matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}');
                    prop_assert!(!control || c == '\u{1b}', "control {:?} in {:?}", c, out);
                }
            }
            prop_assert!(!line(&s).chars().any(|c| is_unsafe(c, false)), "line");
            prop_assert!(!text(&s).chars().any(|c| is_unsafe(c, true)), "text");
            prop_assert!(!text(&s).contains('\u{1b}'), "text");
        }
    }
}
