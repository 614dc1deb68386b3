//! The command line, as clap derive types only; no behaviour lives here.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::store::StoreKind;

const EXAMPLES: &str = "\
Examples:
  byok init                                   create the vault (asks for a passphrase)
  byok secret add my_openai_key --provider openai
  printf '%s' \"$KEY\" | byok secret add my_openai_key --stdin
  byok secret list
  curl -H \"Authorization: Bearer $(byok secret get my_openai_key)\" …";

/// Bring your own key: keep AI-provider API keys in one encrypted place and use them from scripts.
#[derive(Debug, Parser)]
#[command(name = "byok", version, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// Home directory holding the vault and config [env: BYOK_HOME]
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the vault and its identity in the home directory
    #[command(
        after_help = "Examples:\n  byok init\n  byok init --no-passphrase     # for automation: identity.txt unencrypted"
    )]
    Init(InitArgs),

    /// Add, list, read, rotate, rename, move and remove secrets
    #[command(subcommand)]
    Secret(SecretCommand),

    /// Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase
    #[command(
        after_help = "Examples:\n  byok unlock              # 15 minutes\n  byok unlock --for 2h"
    )]
    Unlock(UnlockArgs),

    /// Drop the cached vault identity at once
    Lock,

    /// Keep the vault identity in the OS keychain, so reading the vault needs no passphrase
    #[command(subcommand)]
    Keychain(KeychainCommand),

    /// Check the home directory, vault, keychain, session cache and secrets; suggest fixes
    #[command(after_help = "Examples:\n  byok doctor\n  byok doctor --json")]
    Doctor(DoctorArgs),
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// How long the identity stays cached (e.g. 90s, 15m, 2h)
    #[arg(long = "for", value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub duration: std::time::Duration,
}

#[derive(Debug, Subcommand)]
pub enum KeychainCommand {
    /// Store the vault identity in the OS keychain (asks for the passphrase once)
    Remember,
    /// Remove the vault identity from the OS keychain
    Forget,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Keep the vault identity unencrypted in identity.txt (no passphrase; for automation)
    #[arg(long, conflicts_with = "keychain")]
    pub no_passphrase: bool,

    /// Also store the vault identity in the OS keychain (no passphrase prompts while it is unlocked)
    #[arg(long)]
    pub keychain: bool,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)
    #[command(after_help = "Examples:\n  \
        byok secret add my_openai_key --name 'My OpenAI key' --provider openai\n  \
        printf '%s' \"$KEY\" | byok secret add my_openai_key --stdin\n  \
        printf '%s' 'https://x.openai.azure.com' | byok secret add azure --field endpoint --stdin")]
    Add(AddArgs),

    /// List secrets with masked values
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  byok secret list\n  byok secret list --json"
    )]
    List(ListArgs),

    /// Show one secret's metadata and masked values
    #[command(
        after_help = "Examples:\n  byok secret show my_openai_key\n  byok secret show my_openai_key --json"
    )]
    Show(ShowArgs),

    /// Print a raw value (and a newline) on stdout, for $(...) in scripts
    #[command(
        after_help = "Examples:\n  export OPENAI_API_KEY=\"$(byok secret get my_openai_key)\"\n  byok secret get azure --field endpoint"
    )]
    Get(GetArgs),

    /// Replace a value and record the rotation time
    #[command(
        after_help = "Examples:\n  byok secret rotate my_openai_key\n  printf '%s' \"$NEW_KEY\" | byok secret rotate my_openai_key --stdin"
    )]
    Rotate(RotateArgs),

    /// Rename a secret's ref name
    #[command(after_help = "Examples:\n  byok secret rename openai_key my_openai_key")]
    Rename(RenameArgs),

    /// Move a secret's values to another store (vault or OS keychain)
    #[command(
        after_help = "Examples:\n  byok secret move my_openai_key --to keychain\n  byok secret move my_openai_key --to vault"
    )]
    Move(MoveArgs),

    /// Remove a secret and all its fields
    #[command(
        visible_alias = "remove",
        after_help = "Examples:\n  byok secret rm my_openai_key\n  byok secret rm my_openai_key --yes"
    )]
    Rm(RmArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Ref name: lowercase letters, digits and '_', starting with a letter (e.g. my_openai_key)
    pub reference: String,

    /// Refused: values never come from arguments (they would show in `ps` and shell history)
    #[arg(hide = true)]
    pub value: Option<OsString>,

    /// Human label (default: the ref name)
    #[arg(long, value_name = "LABEL")]
    pub name: Option<String>,

    /// Provider hint (e.g. openai, anthropic); see the README for the list
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,

    /// Field to set
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,

    /// Read the value from standard input (one value; a trailing newline is stripped)
    #[arg(long)]
    pub stdin: bool,

    /// Replace the field's value if it exists already
    #[arg(long)]
    pub force: bool,

    /// Where the value is kept (default: `default_store` in config.toml, else the vault)
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreKind>,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    pub reference: String,
    /// The store to move the values to
    #[arg(long, value_enum, value_name = "STORE")]
    pub to: StoreKind,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Machine-readable output (values masked)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub reference: String,
    /// Machine-readable output (values masked)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    pub reference: String,
    /// Field to print
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,
    /// Read from this store directly (with `keychain`, even a value byok has no record of)
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreKind>,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    pub reference: String,
    /// Refused: values never come from arguments
    #[arg(hide = true)]
    pub value: Option<OsString>,
    /// Field to replace
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,
    /// Read the new value from standard input
    #[arg(long)]
    pub stdin: bool,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    pub old: String,
    pub new: String,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    pub reference: String,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}
