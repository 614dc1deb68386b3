//! Connectors beyond their storage in `config.toml` ([`crate::config`]): the checks a base
//! URL must pass ([`validate`]) and the concurrent connection-test runner ([`runtime`]).

pub mod runtime;
pub mod validate;
