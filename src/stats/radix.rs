//! Least-significant-digit radix sorting of 64-bit keys, for the per-chunk sorts of the
//! engine's hot path (Iman-Conover), where comparison sorts cost a fifth of a trial.
//!
//! Keys are sorted on a range of their bytes only, stably, so a caller can carry a payload in
//! the bytes it leaves out. Bytes that are the same in every key are skipped, which is common:
//! values from one distribution usually share their sign and most of their exponent.

/// Maps an `f64` to a `u64` whose unsigned order is the IEEE total order of the floats.
#[inline(always)]
pub fn ordered_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The inverse of [`ordered_bits`].
#[inline(always)]
pub fn from_ordered_bits(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// Sorts `keys` by their bytes `bytes.start .. bytes.end` (byte 0 is the least significant),
/// stably, using `scratch` as the second buffer (resized as needed).
pub fn sort_by_bytes(keys: &mut Vec<u64>, scratch: &mut Vec<u64>, bytes: std::ops::Range<u32>) {
    let n = keys.len();
    let digits = bytes.end.saturating_sub(bytes.start).min(8) as usize;
    // All histograms in one read pass.
    let mut counts = [[0u32; 256]; 8];
    for &k in keys.iter() {
        for (d, count) in counts.iter_mut().enumerate().take(digits) {
            count[((k >> (8 * (bytes.start as usize + d))) & 0xff) as usize] += 1;
        }
    }
    scratch.clear();
    scratch.resize(n, 0);
    for (d, count) in counts.iter().enumerate().take(digits) {
        let shift = 8 * (bytes.start as usize + d);
        // A byte every key shares leaves the order as it is.
        if count.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut offsets = [0u32; 256];
        let mut sum = 0;
        for (o, &c) in offsets.iter_mut().zip(count) {
            *o = sum;
            sum += c;
        }
        for &k in keys.iter() {
            let slot = &mut offsets[((k >> shift) & 0xff) as usize];
            scratch[*slot as usize] = k;
            *slot += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

/// Sorts floats in IEEE total order (NaNs last), through `keys` and `scratch` as work space.
pub fn sort_f64(values: &mut [f64], keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    keys.clear();
    keys.extend(values.iter().map(|&v| ordered_bits(v)));
    sort_by_bytes(keys, scratch, 0..8);
    for (v, &k) in values.iter_mut().zip(keys.iter()) {
        *v = from_ordered_bits(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_bits_round_trip_and_keep_order() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-310,
            3.0,
            1e300,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(ordered_bits(w[0]) < ordered_bits(w[1]), "{w:?}");
        }
        for x in xs {
            assert_eq!(from_ordered_bits(ordered_bits(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn sorts_floats_like_a_comparison_sort() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for n in [0, 1, 2, 3, 100, 2048, 5000] {
            let mut v: Vec<f64> = (0..n)
                .map(|i| match i % 4 {
                    0 => (next() % 1000) as f64, // many ties
                    1 => -((next() >> 11) as f64) * 1e-3,
                    2 => f64::from_bits(next() >> 2),
                    _ => 40.0 + (next() >> 40) as f64 * 1e-9,
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by(f64::total_cmp);
            sort_f64(&mut v, &mut Vec::new(), &mut Vec::new());
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&expected), "n = {n}");
        }
    }

    #[test]
    fn sorting_on_high_bytes_is_stable_for_the_payload() {
        // Key in the high half, original index in the low half: equal keys keep index order.
        let keys = [5u64, 3, 5, 1, 3, 5];
        let mut packed: Vec<u64> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k << 32) | i as u64)
            .collect();
        sort_by_bytes(&mut packed, &mut Vec::new(), 4..8);
        let order: Vec<u64> = packed.iter().map(|p| p & 0xffff_ffff).collect();
        assert_eq!(order, vec![3, 1, 4, 0, 2, 5]);
    }
}
