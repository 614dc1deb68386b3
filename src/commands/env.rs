//! `byok env`: prints shell code that sets the keys of the chosen targets.

use secrecy::SecretString;

use crate::cli::{EnvArgs, EnvFormat};
use crate::error::{Error, Result};
use crate::output;
use crate::settings::Settings;
use crate::shell::{self, ShellFormat};
use crate::target;

pub fn run(settings: &Settings, args: &EnvArgs) -> Result<()> {
    // Checked before unlocking: nobody types a passphrase for output we will not print.
    if settings.stdout_is_terminal && !args.force {
        return Err(Error::RawValuesToTerminal);
    }
    let (_, doc) = super::open_doc(settings)?;
    let config = crate::config::Config::load(settings)?;
    let selection = if args.default {
        target::Selection::DefaultConnector
    } else {
        target::Selection::Named
    };
    let (exports, warnings) = target::resolve(&doc, &config, &args.targets, &args.set, selection)?;
    for warning in &warnings {
        output::warn(settings, warning);
    }
    if exports.is_empty() {
        output::warn(
            settings,
            "nothing to export: no secret has a provider hint (name a TARGET, or add one with --provider)",
        );
    }
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
