//! Ordering values on the engine's hot path: Iman-Conover reorders a few columns in every chunk,
//! and comparison sorts of whole floats there cost a fifth of a trial.
//!
//! [`Sorter::argsort`] orders rows by a 32-bit key: each value's position within the column's
//! range, to 2^-32 of that range (the bits that follow the prefix all the column's values
//! share). A least-significant-digit radix sort on those 32 bits, carrying the row in the low
//! half of the word, is linear in the number of values. Rows whose keys agree to that precision
//! (values closer than a four-billionth of the column's range) keep their row order; for the
//! rank reordering this is used for, such near-ties are interchangeable.
//!
//! [`ordered_bits`] and [`from_ordered_bits`] map floats to integers in the same order and back:
//! the radix sort's keys, and the bisection over floats in [`super::roots::first_reached`].

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

/// The inverse of [`ordered_bits`]. Bisecting between two `ordered_bits` halves the number of
/// floats in a bracket, so at most 64 halvings reach adjacent values, whatever the magnitudes
/// and signs of the ends.
pub fn from_ordered_bits(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Reusable buffers for [`Sorter::argsort`].
#[derive(Debug, Default)]
pub struct Sorter {
    words: Vec<u64>,
    spare: Vec<u64>,
}

impl Sorter {
    /// The rows of `keys` (at most 2^32 of them) in ascending order of key, to 2^-32 of the
    /// keys' range; ties in row order.
    pub fn argsort(&mut self, keys: &[f64], out: &mut Vec<u32>) {
        self.argsort_to(keys, out, Precision::Bits32);
    }

    /// Like [`Sorter::argsort`], to 2^-24 of the range: a quarter fewer passes, for reordering
    /// where values that close are as good as tied.
    pub fn argsort_coarse(&mut self, keys: &[f64], out: &mut Vec<u32>) {
        self.argsort_to(keys, out, Precision::Bits24);
    }

    fn argsort_to(&mut self, keys: &[f64], out: &mut Vec<u32>, precision: Precision) {
        let (mut lo, mut hi) = (u64::MAX, 0);
        for &k in keys {
            let b = ordered_bits(k);
            lo = lo.min(b);
            hi = hi.max(b);
        }
        // Skip the leading bits every key shares; keep the next 32.
        let shared = (lo ^ hi).leading_zeros().min(32);
        self.words.clear();
        self.words.extend(keys.iter().enumerate().map(|(row, &k)| {
            let significant = (ordered_bits(k) << shared) >> 32;
            (significant << 32) | row as u64
        }));
        radix_sort_high_half(&mut self.words, &mut self.spare, precision as usize);
        out.clear();
        out.extend(self.words.iter().map(|&w| w as u32));
    }
}

/// How many of the 32 significant bits to order by, as the number of low bytes to skip.
#[derive(Clone, Copy)]
enum Precision {
    Bits32 = 0,
    Bits24 = 1,
}

/// Stable LSD radix sort of `words` by their upper 32 bits (less the lowest `skip` bytes of
/// those), a byte at a time; bytes that are the same in every word are skipped.
fn radix_sort_high_half(words: &mut Vec<u64>, spare: &mut Vec<u64>, skip: usize) {
    let n = words.len();
    let mut counts = [[0u32; 256]; 4];
    for &w in words.iter() {
        for (d, count) in counts.iter_mut().enumerate().skip(skip) {
            count[((w >> (32 + 8 * d)) & 0xff) as usize] += 1;
        }
    }
    spare.clear();
    spare.resize(n, 0);
    for (d, count) in counts.iter().enumerate().skip(skip) {
        if count.iter().any(|&c| c as usize == n) {
            continue;
        }
        let shift = 32 + 8 * d;
        let mut offsets = [0u32; 256];
        let mut sum = 0;
        for (o, &c) in offsets.iter_mut().zip(count) {
            *o = sum;
            sum += c;
        }
        for &w in words.iter() {
            let slot = &mut offsets[((w >> shift) & 0xff) as usize];
            spare[*slot as usize] = w;
            *slot += 1;
        }
        std::mem::swap(words, spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_bits_keep_order() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-310,
            3.0,
            1e300,
        ];
        for w in xs.windows(2) {
            assert!(ordered_bits(w[0]) < ordered_bits(w[1]), "{w:?}");
        }
    }

    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    #[test]
    fn argsort_matches_a_stable_comparison_sort_when_values_are_distinct_enough() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        let mut sorter = Sorter::default();
        let mut out = Vec::new();
        for n in [0, 1, 2, 3, 100, 2048, 5000] {
            let cases: Vec<Vec<f64>> = vec![
                (0..n).map(|_| (next() >> 11) as f64 * 1e-3).collect(),
                (0..n).map(|_| (next() % 7) as f64 - 3.0).collect(), // ties: row order
                (0..n)
                    .map(|_| -40.0 - (next() >> 40) as f64 * 1e-6)
                    .collect(),
            ];
            for keys in cases {
                sorter.argsort(&keys, &mut out);
                let mut want: Vec<u32> = (0..n as u32).collect();
                want.sort_by(|&a, &b| keys[a as usize].total_cmp(&keys[b as usize]));
                assert_eq!(out, want, "n = {n}");
            }
        }
    }

    #[test]
    fn coarse_argsort_orders_to_a_24_bit_key() {
        let mut next = xorshift(11);
        let mut sorter = Sorter::default();
        let (mut fine, mut coarse) = (Vec::new(), Vec::new());
        let keys: Vec<f64> = (0..2048).map(|_| (next() >> 11) as f64).collect();
        sorter.argsort(&keys, &mut fine);
        sorter.argsort_coarse(&keys, &mut coarse);
        let range = 2f64.powi(53); // the keys lie in [0, 2^53)
        for w in coarse.windows(2) {
            let (a, b) = (keys[w[0] as usize], keys[w[1] as usize]);
            assert!(a <= b || a - b < range * 2f64.powi(-23), "{a} before {b}");
        }
        let mut same: Vec<u32> = coarse.clone();
        same.sort_unstable();
        assert_eq!(same, (0..2048).collect::<Vec<_>>(), "a permutation");
        // Distinct to 2^-24 of the range, as these almost surely are: the same order.
        assert_eq!(fine, coarse);
    }

    #[test]
    fn argsort_orders_to_the_stated_precision_on_wild_inputs() {
        let mut next = xorshift(7);
        let mut sorter = Sorter::default();
        let mut out = Vec::new();
        let mut keys: Vec<f64> = (0..3000)
            .map(|_| {
                f64::from_bits(next() >> 1) * if next().is_multiple_of(2) { 1.0 } else { -1.0 }
            })
            .collect();
        keys.extend([f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1e300, -1e-300]);
        sorter.argsort(&keys, &mut out);
        let mut seen = vec![false; keys.len()];
        out.iter().for_each(|&r| seen[r as usize] = true);
        assert!(seen.iter().all(|&s| s), "a permutation");
        // Consecutive rows are in order unless their 32-bit keys tie.
        for w in out.windows(2) {
            let (a, b) = (
                ordered_bits(keys[w[0] as usize]),
                ordered_bits(keys[w[1] as usize]),
            );
            assert!(
                a >> 32 <= b >> 32,
                "{} before {}",
                keys[w[0] as usize],
                keys[w[1] as usize]
            );
        }
    }
}
