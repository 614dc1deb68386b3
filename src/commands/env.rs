//! `byok env`: prints shell code that sets the keys of the chosen targets.

use secrecy::SecretString;

use crate::cli::{EnvArgs, EnvFormat};
use crate::error::{Error, Result};
use crate::output;
use crate::settings::Settings;
use crate::shell::{self, ShellFormat};

pub fn run(settings: &Settings, args: &EnvArgs) -> Result<()> {
    // Checked before unlocking: nobody types a passphrase for output we will not print.
    if settings.stdout_is_terminal && !args.force {
        return Err(Error::RawValuesToTerminal);
    }
    let exports = super::resolve_targets(settings, &args.targets, &args.set, args.default)?;
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
