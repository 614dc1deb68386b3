//! Edits of a JSON file that change only the bytes they must: the byte spans of members are
//! found by a small scanner, and each edit splices one span. Everything else — other keys,
//! their order, the file's indentation, a `~/.claude.json` full of other state — stays
//! byte for byte. The text is parsed by serde_json first; the scanner still never panics on
//! what it does not expect (it answers `None`).

/// A byte range `[start, end)` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One member of an object: its decoded key, where the member starts (the key's opening
/// quote) and its value's span.
#[derive(Debug)]
pub struct Member {
    pub key: String,
    pub start: usize,
    pub value: Span,
}

/// Nesting deeper than this is refused (serde_json stops at 128 too).
const MAX_DEPTH: usize = 128;

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// A string starting at `i`: its end (after the closing quote).
    fn string(&mut self) -> Option<usize> {
        self.eat(b'"')?;
        loop {
            match self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(self.i);
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
    }

    /// Skips one value (after whitespace); its span.
    fn value(&mut self, depth: usize) -> Option<Span> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        let start = self.i;
        match self.b.get(self.i)? {
            b'"' => {
                self.string()?;
            }
            b'{' => {
                self.members(depth)?;
            }
            b'[' => {
                self.items(depth)?;
            }
            _ => {
                while self.b.get(self.i).is_some_and(|c| {
                    !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
            }
        }
        Some(Span { start, end: self.i })
    }

    /// The members of the object at `i` (which must be `{`), leaving `i` after its `}`.
    fn members(&mut self, depth: usize) -> Option<Vec<Member>> {
        self.eat(b'{')?;
        let mut out = Vec::new();
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(out);
        }
        loop {
            self.ws();
            let start = self.i;
            let end = self.string()?;
            let key = serde_json::from_slice::<String>(&self.b[start..end]).ok()?;
            self.ws();
            self.eat(b':')?;
            let value = self.value(depth + 1)?;
            out.push(Member { key, start, value });
            self.ws();
            if self.eat(b',').is_some() {
                continue;
            }
            self.eat(b'}')?;
            return Some(out);
        }
    }

    /// The items of the array at `i` (which must be `[`), leaving `i` after its `]`.
    fn items(&mut self, depth: usize) -> Option<Vec<Span>> {
        self.eat(b'[')?;
        let mut out = Vec::new();
        self.ws();
        if self.eat(b']').is_some() {
            return Some(out);
        }
        loop {
            out.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b',').is_some() {
                continue;
            }
            self.eat(b']')?;
            return Some(out);
        }
    }
}

/// The members of the object spanning `span`, or `None` when it is not an object.
pub fn members(text: &str, span: Span) -> Option<Vec<Member>> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: span.start,
    };
    s.members(0)
}

/// The items of the array spanning `span`, or `None` when it is not an array.
pub fn items(text: &str, span: Span) -> Option<Vec<Span>> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: span.start,
    };
    s.items(0)
}

/// Why a path could not be followed.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A key along the path appears twice in its object (which one a tool reads is
    /// anyone's guess): the JSON pointer of the duplicate.
    Duplicate(String),
    /// The text is not the JSON it was.
    Unreadable,
}

/// The JSON pointer of `path` (`/projects/~1p/mcpServers/x`).
pub fn pointer(path: &[&str]) -> String {
    path.iter()
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The span of the value at `path` (object keys from the root), `Ok(None)` when absent.
pub fn find(text: &str, path: &[&str]) -> Result<Option<Span>, Lookup> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    let mut span = s.value(0).ok_or(Lookup::Unreadable)?;
    for (depth, key) in path.iter().enumerate() {
        if text.as_bytes().get(span.start) != Some(&b'{') {
            return Ok(None);
        }
        let members = members(text, span).ok_or(Lookup::Unreadable)?;
        let mut found = members.iter().filter(|m| m.key == *key);
        match (found.next(), found.next()) {
            (None, _) => return Ok(None),
            (Some(_), Some(_)) => return Err(Lookup::Duplicate(pointer(&path[..=depth]))),
            (Some(m), None) => span = m.value,
        }
    }
    Ok(Some(span))
}

/// The whitespace that indents the line `at` is on (empty when `at` is on the first line
/// after other text).
fn indent_of(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..at];
    let width = lead.len() - lead.trim_start_matches([' ', '\t']).len();
    &lead[..width]
}

/// The file's line ending: `\r\n` when it uses them, else `\n`.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The text of a JSON string.
pub fn string(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

/// `items` as an array laid out like the one at `old` (one item a line with its indentation
/// when it spans lines), or on one line.
pub fn array_like(text: &str, old: Option<Span>, items: &[String]) -> String {
    let strings: Vec<String> = items.iter().map(|i| string(i)).collect();
    if let Some(old) = old
        && text[old.start..old.end].contains('\n')
        && let Some(first) = self::items(text, old).and_then(|i| i.first().copied())
    {
        let item_indent = indent_of(text, first.start);
        let close_indent = indent_of(text, old.end - 1);
        let newline = newline(text);
        let mut out = String::from("[");
        for (n, s) in strings.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(newline);
            out.push_str(item_indent);
            out.push_str(s);
        }
        out.push_str(newline);
        out.push_str(close_indent);
        out.push(']');
        return out;
    }
    format!("[{}]", strings.join(", "))
}

/// Replaces `span` of `text` with `with`.
pub fn splice(text: &mut String, span: Span, with: &str) {
    text.replace_range(span.start..span.end, with);
}

/// Removes the member `key` from the object spanning `object`, with its comma and the
/// whitespace that separated it; `false` when it is not there.
pub fn remove_member(text: &mut String, object: Span, key: &str) -> bool {
    let Some(members) = members(text, object) else {
        return false;
    };
    let Some(at) = members.iter().position(|m| m.key == key) else {
        return false;
    };
    let range = if let Some(next) = members.get(at + 1) {
        members[at].start..next.start
    } else if at > 0 {
        members[at - 1].value.end..members[at].value.end
    } else {
        // The only member: the object becomes `{}`.
        object.start + 1..object.end - 1
    };
    text.replace_range(range, "");
    true
}

/// Inserts `"key": value` right after the member `after` of the object spanning `object`,
/// on its own line with the same indentation when the object spans lines.
pub fn insert_after(text: &mut String, object: Span, after: &str, key: &str, value: &str) -> bool {
    let Some(members) = members(text, object) else {
        return false;
    };
    let Some(member) = members.iter().find(|m| m.key == after) else {
        return false;
    };
    let member_text = if text[object.start..object.end].contains('\n') {
        format!(
            ",{}{}{}: {value}",
            newline(text),
            indent_of(text, member.start),
            string(key)
        )
    } else {
        format!(", {}: {value}", string(key))
    };
    text.insert_str(member.value.end, &member_text);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_and_refuses_duplicates() {
        let text = r#"{"a": {"b": [1, "x\"y"], "c": null}, "d/e": 2}"#;
        let span = find(text, &["a", "b"]).unwrap().unwrap();
        assert_eq!(&text[span.start..span.end], r#"[1, "x\"y"]"#);
        assert_eq!(find(text, &["a", "z"]), Ok(None));
        assert_eq!(find(text, &["d/e", "x"]), Ok(None));
        let dup = r#"{"a": {"b": 1, "b": 2}}"#;
        assert_eq!(
            find(dup, &["a", "b"]),
            Err(Lookup::Duplicate("/a/b".into()))
        );
        assert_eq!(pointer(&["projects", "/p~"]), "/projects/~1p~0");
    }

    #[test]
    fn removes_members_keeping_the_layout() {
        let mut text = "{\n    \"A\": \"x\",\n    \"B\": \"y\",\n    \"C\": 1\n}".to_owned();
        let all = Span {
            start: 0,
            end: text.len(),
        };
        assert!(remove_member(&mut text, all, "A"));
        assert_eq!(text, "{\n    \"B\": \"y\",\n    \"C\": 1\n}");
        let all = Span {
            start: 0,
            end: text.len(),
        };
        assert!(remove_member(&mut text, all, "C"));
        assert_eq!(text, "{\n    \"B\": \"y\"\n}");
        let all = Span {
            start: 0,
            end: text.len(),
        };
        assert!(remove_member(&mut text, all, "B"));
        assert_eq!(text, "{}");
    }

    #[test]
    fn arrays_keep_their_layout() {
        let text = "{\"args\": [\n\t\t\"-y\",\n\t\t\"pkg\"\n\t]}";
        let old = find(text, &["args"]).unwrap();
        assert_eq!(
            array_like(text, old, &["exec".into(), "--".into()]),
            "[\n\t\t\"exec\",\n\t\t\"--\"\n\t]"
        );
        assert_eq!(array_like(text, None, &["a".into()]), "[\"a\"]");
        let crlf = "{\r\n  \"args\": [\r\n    \"x\"\r\n  ]\r\n}";
        let old = find(crlf, &["args"]).unwrap();
        assert_eq!(
            array_like(crlf, old, &["a".into(), "b".into()]),
            "[\r\n    \"a\",\r\n    \"b\"\r\n  ]"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any text: no panic, and every span found lies within it on char boundaries.
        #[test]
        fn any_text_is_no_panic(text in "[{}\\[\\]\",:a-c \\n\\\\0-9é]{0,48}") {
            if let Ok(Some(span)) = find(&text, &["a"]) {
                proptest::prop_assert!(text.get(span.start..span.end).is_some());
                let mut edited = text.clone();
                let _ = remove_member(&mut edited, span, "b");
                let _ = insert_after(&mut edited, span, "b", "c", "1");
            }
        }

        /// Removing a member from a valid object leaves valid JSON without it.
        #[test]
        fn removal_keeps_json_valid(
            keys in proptest::collection::btree_set("[a-d]{1,2}", 1..6),
            pick in 0usize..6,
            pretty in proptest::bool::ANY,
        ) {
            let object: serde_json::Map<String, serde_json::Value> =
                keys.iter().map(|k| (k.clone(), serde_json::json!([1, {"x": k}]))).collect();
            let text = if pretty {
                serde_json::to_string_pretty(&object).unwrap()
            } else {
                serde_json::to_string(&object).unwrap()
            };
            let gone = keys.iter().nth(pick % keys.len()).unwrap().clone();
            let mut edited = text.clone();
            let all = Span { start: 0, end: text.len() };
            proptest::prop_assert!(remove_member(&mut edited, all, &gone));
            let mut expected = object.clone();
            expected.remove(&gone);
            let parsed: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&edited).unwrap();
            proptest::prop_assert_eq!(parsed, expected);
        }
    }

    #[test]
    fn odd_text_is_no_panic() {
        for text in ["", "{", "{\"a\"", "[1,", "{\"a\":}", "\"\\", "{\"a\":1,}"] {
            let _ = find(text, &["a"]);
        }
    }
}
