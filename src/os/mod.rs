//! What byok asks of the operating system: process hardening at start-up ([`hardening`]),
//! pinning secret memory ([`memlock`]), the OS keychain through the `keyring` crate
//! ([`keychain`]), and whether the home directory may be trusted ([`home_trust`]).

pub mod hardening;
pub mod home_trust;
pub mod keychain;
pub mod memlock;
