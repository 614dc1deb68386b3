//! Fuzz target: see `byok::fuzzing::provider`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| byok::fuzzing::provider(data));
