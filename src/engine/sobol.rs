//! Scrambled Sobol' points for quasi-Monte Carlo sampling (`--sampling sobol`).
//!
//! Each input (in order; a fixed one keeps its dimension unused, so variants stay aligned), then
//! the route choice, then each chance step is one dimension of a Sobol' sequence with the
//! direction numbers of Joe and Kuo (2008). Trial `i` of a run takes point `i` of the sequence, so the points a trial
//! gets never depend on how trials are split into chunks or threads. Each dimension is
//! scrambled with Burley's hash-based approximation of Owen's nested uniform scrambling
//! ("Practical hash-based Owen scrambling", JCGT 2020), seeded from the run's seed: the points
//! keep their stratification, every point is uniform on the unit cube, and runs with different
//! seeds are independent replicates. The 32 bits of a Sobol' coordinate are extended to 53 with
//! hashed bits inside the finest stratum, so inverse CDFs see a continuous uniform.

use crate::random::mix;

/// The most dimensions eta's table of direction numbers covers.
pub const MAX_DIMENSIONS: usize = 1024;
/// The most points a run can take: coordinates have 32 bits.
pub const MAX_POINTS: u64 = 1 << 32;

const DIRECTIONS: &str = include_str!("sobol_directions.txt");

/// Direction numbers (scaled to 2^32) of the dimensions a model uses.
#[derive(Debug, Clone)]
pub struct Sobol {
    directions: Vec<[u32; 32]>,
}

impl Sobol {
    /// The first `dimensions` dimensions, or None beyond [`MAX_DIMENSIONS`].
    pub fn new(dimensions: usize) -> Option<Sobol> {
        if dimensions > MAX_DIMENSIONS {
            return None;
        }
        let mut directions = Vec::with_capacity(dimensions);
        if dimensions > 0 {
            // The first dimension is the van der Corput sequence: every m is 1.
            directions.push(std::array::from_fn(|k| 1u32 << (31 - k)));
        }
        let rows = DIRECTIONS
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty());
        for row in rows.take(dimensions.saturating_sub(1)) {
            let numbers: Vec<u32> = row
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            let (a, m) = numbers.split_first()?;
            directions.push(direction_numbers(*a, m));
        }
        (directions.len() == dimensions).then_some(Sobol { directions })
    }

    pub fn dimensions(&self) -> usize {
        self.directions.len()
    }

    /// Fills `out` with dimension `d`'s scrambled coordinates of points `first ..`, as uniforms
    /// strictly inside (0, 1). `first` must be a multiple of 2,048 and `out` at most that long
    /// (a chunk), so the points differ only in their low 11 bits.
    pub fn fill(&self, d: usize, seed: u64, first: u64, out: &mut [f64]) {
        let Some(v) = self.directions.get(d) else {
            return;
        };
        debug_assert!(first.is_multiple_of(2048) && out.len() <= 2048);
        // The bits of the index above the low 11 are shared by the whole chunk.
        let mut prefix = 0u32;
        for (k, vk) in v.iter().enumerate().skip(11) {
            if (first >> k) & 1 == 1 {
                prefix ^= vk;
            }
        }
        let dimension_seed = mix(seed ^ mix(d as u64 + 1));
        let scramble = dimension_seed as u32;
        let mut low = [0u32; 2048];
        for j in 1..out.len() {
            // Point j's low part is point (j without its lowest bit)'s, plus one direction.
            low[j] = low[j & (j - 1)] ^ v[j.trailing_zeros() as usize];
        }
        for (j, (o, &x)) in out.iter_mut().zip(&low).enumerate() {
            let scrambled = nested_uniform_scramble(prefix ^ x, scramble);
            let fill = mix(dimension_seed ^ (first + j as u64)) >> 43; // 21 bits
            let bits = (u64::from(scrambled) << 21) | fill;
            *o = (bits as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0);
        }
    }
}

/// V_1 .. V_32 scaled to 2^32 from a primitive polynomial's inner coefficients `a` and the
/// initial numbers m_1 .. m_s (Bratley and Fox's recurrence).
fn direction_numbers(a: u32, m: &[u32]) -> [u32; 32] {
    let s = m.len();
    let mut v = [0u32; 32];
    for i in 0..32 {
        v[i] = if i < s {
            m[i] << (31 - i)
        } else {
            let mut x = v[i - s] ^ (v[i - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    x ^= v[i - k];
                }
            }
            x
        };
    }
    v
}

/// Owen scrambling approximated by a hash on the reversed bits (Burley 2020): flipping a bit
/// depends only on the bits above it, as nested uniform scrambling requires.
#[inline]
fn nested_uniform_scramble(x: u32, seed: u32) -> u32 {
    let mut x = x.reverse_bits();
    x = x.wrapping_add(seed);
    x ^= x.wrapping_mul(0x6c50_b47c);
    x ^= x.wrapping_mul(0xb82f_1e52);
    x ^= x.wrapping_mul(0xc7af_e638);
    x ^= x.wrapping_mul(0x8d22_f6e6);
    x.reverse_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unscrambled coordinates of points `0..n` in dimension `d`, by the definition.
    fn plain(s: &Sobol, d: usize, n: u64) -> Vec<u32> {
        (0..n)
            .map(|i| {
                (0..32)
                    .filter(|k| (i >> k) & 1 == 1)
                    .fold(0, |x, k| x ^ s.directions[d][k])
            })
            .collect()
    }

    #[test]
    fn the_table_gives_the_published_first_points() {
        let s = Sobol::new(MAX_DIMENSIONS).unwrap();
        assert!(Sobol::new(MAX_DIMENSIONS + 1).is_none());
        // Dimensions 1-3 of points 1-4 as Joe and Kuo's generator prints them: 0.5 0.5 0.5;
        // 0.75 0.25 0.25; 0.25 0.75 0.75; 0.375 0.375 0.625. It lists points in Gray-code
        // order: its point i is point i ^ (i >> 1) here.
        let want = [
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
        ];
        for d in 0..3 {
            let xs = plain(&s, d, 8);
            for (i, w) in want.iter().enumerate() {
                let gray = (i + 1) ^ ((i + 1) >> 1);
                let x = f64::from(xs[gray]) / 4_294_967_296.0;
                assert_eq!(x, w[d], "point {} dimension {}", i + 1, d + 1);
            }
        }
    }

    #[test]
    fn every_dimension_is_a_net_each_power_of_two_prefix_hits_every_stratum_once() {
        let s = Sobol::new(MAX_DIMENSIONS).unwrap();
        for d in [0, 1, 2, 10, 100, 500, 1023] {
            let xs = plain(&s, d, 1024);
            let mut strata: Vec<u32> = xs.iter().map(|x| x >> 22).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..1024).collect::<Vec<_>>(), "dimension {d}");
        }
    }

    #[test]
    fn scrambled_chunks_keep_the_strata_and_are_reproducible() {
        let s = Sobol::new(8).unwrap();
        let mut a = vec![0.0; 2048];
        let mut b = vec![0.0; 2048];
        s.fill(3, 42, 4096, &mut a);
        s.fill(3, 42, 4096, &mut b);
        assert_eq!(a, b);
        assert!(a.iter().all(|&u| u > 0.0 && u < 1.0));
        // Points 4096..6143 are a (0, 11, 1)-net in one dimension: one per stratum of 1/2048.
        let mut strata: Vec<usize> = a.iter().map(|u| (u * 2048.0) as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..2048).collect::<Vec<_>>());
        s.fill(3, 43, 4096, &mut b);
        assert_ne!(a, b, "another seed, another scramble");
    }
}
