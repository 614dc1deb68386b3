//! Fuzz target: see `byok::fuzzing::import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| byok::fuzzing::import(data));
