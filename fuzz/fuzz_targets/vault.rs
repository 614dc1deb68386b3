//! Fuzz target: see `byok::fuzzing::vault`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| byok::fuzzing::vault(data));
