//! What reaches a terminal: data on stdout as tables or `--json`, status on stderr
//! ([`output`]), and the one escaper for text byok did not write ([`sanitize`]).

pub mod output;
pub mod sanitize;
