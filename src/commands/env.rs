//! `byok env`: prints shell code that sets the keys of the chosen targets.

use secrecy::SecretString;

use crate::cli::{EnvArgs, EnvFormat};
use crate::context::Context;
use crate::error::Result;
use crate::export::shell::{self, ShellFormat};
use crate::hygiene::reveal::{self, Policy, Reveal};
use crate::term::output;

pub fn run(ctx: &Context, args: &EnvArgs) -> Result<()> {
    let how = Reveal::Env { forced: args.force };
    // Checked before unlocking too: nobody types a passphrase for output we will not print.
    reveal::check_terminal(&ctx.settings, how)?;
    if reveal::home_policy(ctx)? == Policy::Never {
        return reveal::check_with(&ctx.settings, Policy::Never, how, &[]);
    }
    let explicit = !args.targets.is_empty() || !args.set.is_empty() || args.default;
    // No TARGET inside a project: exactly what the (trusted) project file declares.
    let project = if explicit {
        None
    } else {
        crate::export::plan::project(ctx)?
    };
    let explicit = explicit || project.is_some();
    // One resolution gives the values and the secrets they came from.
    let (exports, reads) = match project {
        Some(found) => found,
        None => crate::export::plan::targets(ctx, &args.targets, &args.set, args.default)?,
    };
    let (exports, warnings) =
        crate::export::admin::filter_exports(exports, explicit, args.allow_admin)?;
    for warning in &warnings {
        output::warn(&ctx.settings, warning);
    }
    // Now that the stores were read: the home's policy as the vault records it, and each
    // exported secret's own (`prompt` asks here) — a project's variables like any target.
    let home = reveal::home_policy(ctx)?;
    let metas: Vec<&crate::store::Meta> = reads.iter().map(|r| &r.meta).collect();
    crate::export::reads::audit_after(ctx, &reads, || {
        reveal::check_with(&ctx.settings, home, how, &metas)
    })?;
    let vars: Vec<(String, SecretString)> = exports
        .into_iter()
        .map(|e| (e.var, SecretString::from(e.value.expose())))
        .collect();
    let text = shell::render(format(args.format), &vars)?;
    output::print(&text)
}

fn format(format: EnvFormat) -> ShellFormat {
    match format {
        EnvFormat::Sh => ShellFormat::Sh,
        EnvFormat::Fish => ShellFormat::Fish,
        EnvFormat::Powershell => ShellFormat::PowerShell,
        EnvFormat::Dotenv => ShellFormat::Dotenv,
        EnvFormat::Json => ShellFormat::Json,
    }
}
