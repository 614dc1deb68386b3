//! One module per command group; each is a thin layer over the library.

pub mod doctor;
pub mod init;
pub mod secret;
pub mod unlock;

use crate::cli::Command;
use crate::error::Result;
use crate::settings::Settings;

/// Runs the parsed command.
pub fn dispatch(command: Command, settings: &Settings) -> Result<()> {
    match command {
        Command::Init(args) => init::run(settings, &args),
        Command::Secret(command) => secret::run(settings, command),
        Command::Unlock(args) => unlock::unlock(settings, &args),
        Command::Lock => unlock::lock(settings),
        Command::Keychain(command) => unlock::keychain(settings, &command),
        Command::Doctor(args) => doctor::run(settings, &args),
    }
}
