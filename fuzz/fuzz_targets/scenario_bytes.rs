//! Arbitrary bytes as a scenario file: UTF-8 check, parse, compile, a 100-trial run, reports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    eta_fuzz::bytes(data);
});
