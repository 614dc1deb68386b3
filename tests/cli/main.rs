//! End-to-end tests of the real `byok` binary, each in a temporary `BYOK_HOME`.

mod harness;

mod init;
mod interop;
mod keychain;
mod secret;
mod vault;
