//! `byok completions SHELL` and `byok man`: generated from the clap definition, so they
//! never drift from the real command line.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Result};
use crate::output;

/// Prints the completion script for one shell.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    output::print(&script(args.shell))
}

/// The completion script for `shell`, as `completions/` in the repository ships it.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "byok", &mut buf);
    String::from_utf8(buf).expect("completion scripts are UTF-8")
}

/// Prints byok(1) in roff.
pub fn man() -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|source| Error::Terminal {
            action: "render the manual page",
            source,
        })?;
    output::print(&String::from_utf8_lossy(&buf))
}
