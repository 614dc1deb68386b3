//! `{{ byok://NAME[/FIELD] }}` placeholders in any text file, for `byok inject`.
//!
//! A placeholder is `{{`, optional blanks, a [`Reference`], optional blanks, `}}`, on one
//! line. Any other `{{ … }}` is left as it is (the file may be a Jinja or Go template for
//! another tool). A `{{ byok://` that is not a valid placeholder is an error naming its line
//! and never its text. Every placeholder is parsed before any is resolved, so a broken
//! template unlocks nothing.

use zeroize::Zeroizing;

use crate::error::Result;
use crate::export::reference::{self, Reference};
use crate::secret::SecretValue;

/// A piece of a parsed template.
#[derive(Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Placeholder { line: usize, reference: Reference },
}

/// Splits `text` into literal text and placeholders; the error is `(line, problem)`.
pub fn parse(text: &str) -> std::result::Result<Vec<Segment<'_>>, (usize, String)> {
    let mut segments = Vec::new();
    let mut rest = text;
    let mut line = 1;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let inner = after.trim_start_matches([' ', '\t']);
        if !reference::is_reference(inner) {
            // Not ours: keep `{{` and move on.
            segments.push(Segment::Text(&rest[..open + 2]));
            line += rest[..open + 2].matches('\n').count();
            rest = after;
            continue;
        }
        line += rest[..open].matches('\n').count();
        segments.push(Segment::Text(&rest[..open]));
        let end = inner
            .find(['\n', '}'])
            .filter(|&i| inner[i..].starts_with("}}"))
            .ok_or((
                line,
                "a {{ byok:// placeholder is not closed with }} on its line".to_owned(),
            ))?;
        let body = inner[..end].trim_end_matches([' ', '\t']);
        let reference = Reference::parse(body).map_err(|problem| (line, problem.to_owned()))?;
        segments.push(Segment::Placeholder { line, reference });
        rest = &inner[end + 2..];
    }
    segments.push(Segment::Text(rest));
    segments.retain(|s| !matches!(s, Segment::Text("")));
    Ok(segments)
}

/// The references of a parsed template, in order (repeats included).
pub fn references<'a>(segments: &'a [Segment<'_>]) -> impl Iterator<Item = &'a Reference> {
    segments.iter().filter_map(|s| match s {
        Segment::Placeholder { reference, .. } => Some(reference),
        Segment::Text(_) => None,
    })
}

/// The template with every placeholder replaced by `resolve`'s value; zeroized on drop.
pub fn render(
    segments: &[Segment<'_>],
    mut resolve: impl FnMut(&Reference) -> Result<SecretValue>,
) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::new());
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Placeholder { reference, .. } => out.push_str(resolve(reference)?.expose()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(reference: &Reference) -> Result<SecretValue> {
        Ok(SecretValue::new(format!(
            "<{}:{}>",
            reference.name,
            reference.field.as_deref().unwrap_or("-")
        )))
    }

    #[test]
    fn renders_placeholders_and_leaves_other_braces() {
        let text = "a: {{ byok://work }}\nb: {{byok://az/endpoint}}\nc: {{ other }} {{\n";
        let segments = parse(text).unwrap();
        assert_eq!(references(&segments).count(), 2);
        assert_eq!(
            render(&segments, fake).unwrap().as_str(),
            "a: <work:->\nb: <az:endpoint>\nc: {{ other }} {{\n"
        );
    }

    #[test]
    fn broken_placeholders_name_the_line_not_the_text() {
        for (text, line) in [
            ("x\n{{ byok://SK-Test-Secret }}", 2),
            ("{{ other }}\n\nk: {{ byok://a\n}}", 3),
            ("{{ byok://a/b/c }}", 1),
            ("{{ byok://a }", 1),
        ] {
            let (at, problem) = parse(text).unwrap_err();
            assert_eq!(at, line, "{text:?}");
            assert!(!problem.contains("Secret"), "{problem}");
        }
    }
}
