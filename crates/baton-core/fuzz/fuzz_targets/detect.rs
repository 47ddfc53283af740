//! Format detection (and the peek under it) on arbitrary bytes: never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baton_core::import::peek::peek(data);
    let _ = baton_core::import::detect("fuzz.json", data);
});
