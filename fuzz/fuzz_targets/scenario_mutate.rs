//! Structure-aware: a valid scenario mutated as a person might break it (a number replaced, a
//! line deleted or swapped, a key or a name changed, a snippet inserted), then the same pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    eta_fuzz::structured(data);
});
