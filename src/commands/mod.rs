//! One module per command group; each is a thin layer over the library.

pub mod connector;
pub mod init;
pub mod secret;

use crate::cli::Command;
use crate::error::Result;
use crate::settings::Settings;

/// Runs the parsed command.
pub fn dispatch(command: Command, settings: &Settings) -> Result<()> {
    match command {
        Command::Init(args) => init::run(settings, &args),
        Command::Secret(command) => secret::run(settings, command),
        Command::Connector(command) => connector::run(settings, command),
        Command::Providers(args) => connector::providers(settings, &args),
    }
}
