//! End-to-end tests of the real `byok` binary, each in a temporary `BYOK_HOME`.

mod fake_provider;
mod harness;

mod connector;
mod init;
mod interop;
mod secret;
mod vault;
