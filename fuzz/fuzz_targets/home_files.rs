//! Fuzz target: see `byok::fuzzing::home_files`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| byok::fuzzing::home_files(data));
