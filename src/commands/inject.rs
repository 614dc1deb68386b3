//! `byok inject [-i TEMPLATE] [-o FILE] [--force]`: renders `{{ byok://… }}` placeholders
//! ([`crate::export::template`]) for a tool that insists on reading its key from a file.

use std::io::Read;

use zeroize::Zeroizing;

use crate::cli::InjectArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::template;
use crate::fsutil;
use crate::hygiene::reveal::{self, Reveal};
use crate::scope::trust::{self, TrustFile};

/// Templates larger than this are refused (a file: the trust record's bound).
const MAX_TEMPLATE_BYTES: u64 = trust::MAX_FILE_BYTES;

pub fn run(ctx: &Context, args: &InjectArgs) -> Result<()> {
    let settings = &ctx.settings;
    let how = Reveal::Inject {
        to_stdout: args.output.is_none(),
    };
    // The terminal rule and the home's policy, before reading the template; each secret's
    // own policy is checked as its placeholder is rendered.
    reveal::check(ctx, how, &[])?;
    let home = reveal::home_policy(ctx)?;
    if let Some(out) = &args.output
        && !args.force
        && std::fs::symlink_metadata(out).is_ok()
    {
        return Err(Error::OutputExists { path: out.clone() });
    }
    let (origin, text, file) = read_template(args)?;
    let segments = template::parse(&text).map_err(|(line, problem)| Error::Template {
        path: format!("{origin}, line {line}").into(),
        problem,
    })?;
    // A template file can pair `{{ byok://work }}` with its own `apiBase`, like an env file:
    // its references are rendered only when it is trusted with exactly these contents. What
    // arrives on standard input was typed or piped by the user.
    if let Some(file) = &file
        && template::references(&segments).next().is_some()
    {
        trust::require(&settings.paths, file)?;
    }
    // One resolution (export::plan) gives the values and the secrets they came from; each
    // secret's own policy is checked, and each read audited, before anything is written.
    let references: Vec<_> = template::references(&segments).collect();
    let (values, reads) = crate::export::plan::template(ctx, &references, args.allow_admin)?;
    let metas: Vec<&crate::store::Meta> = reads.iter().map(|r| &r.meta).collect();
    crate::export::reads::audit_after(ctx, &reads, || {
        reveal::check_with(settings, home, how, &metas)
    })?;
    let mut values = values.into_iter();
    let rendered = template::render(&segments, |_| {
        values
            .next()
            .ok_or_else(|| Error::Usage("the template changed while it was rendered".into()))
    })?;
    match &args.output {
        None => crate::term::output::print(&rendered),
        Some(out) => {
            if args.force {
                // The replacement is created 0600 (write_atomic's temp file) whatever the old
                // file's mode was.
                fsutil::write_atomic(out, rendered.as_bytes())
            } else {
                fsutil::write_new(out, rendered.as_bytes()).map_err(|e| match e {
                    Error::Io { source, .. }
                        if source.kind() == std::io::ErrorKind::AlreadyExists =>
                    {
                        Error::OutputExists { path: out.clone() }
                    }
                    e => e,
                })
            }?;
            crate::term::output::status(&format!("Wrote {} (mode 0600).", out.display()));
            Ok(())
        }
    }
}

fn read_template(args: &InjectArgs) -> Result<(String, Zeroizing<String>, Option<TrustFile>)> {
    let (origin, bytes, file) = match &args.input {
        Some(path) => {
            // Read once, bounded; the trust decision is made on exactly these bytes.
            let file = TrustFile::read(path)?;
            let bytes = Zeroizing::new(file.bytes.to_vec());
            (file.path.display().to_string(), bytes, Some(file))
        }
        None => {
            let mut bytes = Zeroizing::new(Vec::new());
            std::io::stdin()
                .take(MAX_TEMPLATE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Terminal {
                    action: "read the template from standard input",
                    source,
                })?;
            ("standard input".to_owned(), bytes, None)
        }
    };
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(Error::Usage(format!(
            "{origin} is larger than {} KiB",
            MAX_TEMPLATE_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        drop(Zeroizing::new(e.into_bytes()));
        Error::Usage(format!("{origin} is not UTF-8 text"))
    })?;
    Ok((origin, Zeroizing::new(text), file))
}
