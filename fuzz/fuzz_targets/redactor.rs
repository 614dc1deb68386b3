//! Fuzz target: see `byok::fuzzing::redactor`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| byok::fuzzing::redactor(data));
