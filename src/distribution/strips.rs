//! Exact sampling of a bounded unimodal density on [0, 1] by rejection from a step-function hat.
//!
//! [0, 1] is cut into equal strips; on each, unimodality bounds the density between its values
//! at the strip's ends (and at the mode, where the mode falls inside). A draw picks a strip in
//! proportion to its upper bound (Walker's alias method: one table look-up), a point uniformly in
//! it, and accepts it outright when a uniform falls under the lower bound, else after comparing
//! with the density itself. That is plain rejection sampling, so the draws follow the density
//! exactly; the tables only make it cheap: about three random numbers a draw, the density (and
//! its logarithms) computed for only a few per cent of draws.
//!
//! Used for Beta and PERT with both shapes at least 1, where it is several times faster than
//! the ratio of two gamma variates.

use super::StreamRng;
use super::fast::u01;
use rand::Rng;

const BITS: u32 = 8;
const STRIPS: usize = 1 << BITS;

/// The unnormalised log-density of Beta(a, b) on [0, 1] for a, b >= 1, peak at 0.
#[derive(Debug, Clone, Copy)]
struct BetaShape {
    a1: f64,
    b1: f64,
    log_peak: f64,
}

impl BetaShape {
    fn new(a: f64, b: f64) -> Self {
        let unscaled = BetaShape {
            a1: a - 1.0,
            b1: b - 1.0,
            log_peak: 0.0,
        };
        BetaShape {
            log_peak: unscaled.log_density(unscaled.mode()),
            ..unscaled
        }
    }

    fn mode(&self) -> f64 {
        if self.a1 + self.b1 > 0.0 {
            self.a1 / (self.a1 + self.b1)
        } else {
            0.5
        }
    }

    /// A shape of exactly 1 contributes nothing (and must not turn into 0 * ln 0 = NaN).
    #[inline]
    fn log_density(&self, x: f64) -> f64 {
        let term = |c: f64, y: f64| if c == 0.0 { 0.0 } else { c * y.ln() };
        term(self.a1, x) + term(self.b1, 1.0 - x) - self.log_peak
    }

    #[inline]
    fn density(&self, x: f64) -> f64 {
        self.log_density(x).exp()
    }
}

/// Strip tables for one Beta(a, b) with a, b >= 1.
#[derive(Clone)]
pub(super) struct BetaStrips {
    shape: BetaShape,
    strips: Box<[Strip; STRIPS]>,
}

/// One strip's entry: what picking it by the alias method needs, then what accepting a point
/// in it needs (fixed-size, so indices below 256 need no bounds checks).
#[derive(Debug, Clone, Copy, Default)]
struct Strip {
    /// Strip k is kept when the draw's remaining bits are below `keep`, else `alias` is taken.
    keep: u64,
    alias: u64,
    /// The density's upper bound on the strip (unnormalised).
    hat: f64,
    /// Lower bound over upper bound: a uniform below it accepts without the density.
    squeeze: f64,
}

impl std::fmt::Debug for BetaStrips {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BetaStrips({:?})", self.shape)
    }
}

impl BetaStrips {
    /// The tables, if this Beta suits them: both shapes at least 1 (a bounded density), and not
    /// so peaked that the strips are too coarse for the squeeze to accept most draws.
    pub(super) fn new(a: f64, b: f64) -> Option<BetaStrips> {
        if !(a >= 1.0 && b >= 1.0) {
            return None;
        }
        let shape = BetaShape::new(a, b);
        let mode = shape.mode();
        let mut hat = Vec::with_capacity(STRIPS);
        let mut squeeze = Vec::with_capacity(STRIPS);
        for k in 0..STRIPS {
            let (lo, hi) = (k as f64 / STRIPS as f64, (k + 1) as f64 / STRIPS as f64);
            let (f_lo, f_hi) = (shape.density(lo), shape.density(hi));
            let top = if lo < mode && mode < hi {
                shape.density(mode)
            } else {
                f_lo.max(f_hi)
            };
            // Margins far above rounding error keep the bounds bounds.
            let upper = top * (1.0 + 1e-9);
            let lower = f_lo.min(f_hi) * (1.0 - 1e-9);
            if !(upper.is_finite() && upper > 0.0) {
                hat.push(0.0);
                squeeze.push(0.0);
                continue;
            }
            hat.push(upper);
            squeeze.push(lower / upper);
        }
        let total: f64 = hat.iter().sum();
        let squeezed: f64 = hat.iter().zip(&squeeze).map(|(h, s)| h * s).sum();
        // Share of draws that would need the density: too many means a peak narrower than a
        // strip, where the gamma ratio serves better.
        if total.is_nan() || total <= 0.0 || squeezed / total < 0.9 {
            return None;
        }
        let (keep, alias) = alias_table(&hat);
        let mut strips = Box::new([Strip::default(); STRIPS]);
        for (k, strip) in strips.iter_mut().enumerate() {
            *strip = Strip {
                keep: keep[k],
                alias: u64::from(alias[k]),
                hat: hat[k],
                squeeze: squeeze[k],
            };
        }
        Some(BetaStrips { shape, strips })
    }

    /// Fills `out` with draws scaled to [min, min + width].
    pub(super) fn fill(&self, rng: &mut StreamRng, out: &mut [f64], min: f64, width: f64) {
        for o in out {
            *o = min + width * self.sample(rng);
        }
    }

    #[inline(always)]
    pub(super) fn sample(&self, rng: &mut StreamRng) -> f64 {
        loop {
            let r = rng.next_u64();
            let k = (r >> (64 - BITS)) as usize;
            let pick = &self.strips[k];
            // Branch-free: which of the two is taken is a coin flip the predictor cannot learn.
            let kept = usize::from((r << BITS) < pick.keep).wrapping_neg();
            let index = ((pick.alias as usize) ^ ((pick.alias as usize ^ k) & kept)) % STRIPS;
            let strip = &self.strips[index];
            let x = (index as f64 + u01(rng)) * (1.0 / STRIPS as f64);
            let u = u01(rng);
            if u < strip.squeeze || self.accepts_by_density(strip, x, u) {
                return x;
            }
        }
    }

    /// The rare full test, kept out of line so the common path stays small enough to inline.
    #[cold]
    #[inline(never)]
    fn accepts_by_density(&self, strip: &Strip, x: f64, u: f64) -> bool {
        u * strip.hat < self.shape.density(x)
    }
}

/// Walker's alias tables (Vose's construction) for picking index k with probability
/// proportional to `weights[k]`: thresholds on the 2^64 scale, and aliases.
fn alias_table(weights: &[f64]) -> (Box<[u64]>, Box<[u16]>) {
    let n = weights.len();
    let total: f64 = weights.iter().sum();
    let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
    let mut alias: Vec<u16> = (0..n as u16).collect();
    let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&k| scaled[k] < 1.0);
    while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
        small.pop();
        alias[s] = l as u16;
        scaled[l] -= 1.0 - scaled[s];
        if scaled[l] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    // What is left (only rounding error separates it from 1) keeps itself.
    for k in small.into_iter().chain(large) {
        scaled[k] = 1.0;
    }
    let keep = scaled
        .iter()
        .map(|&p| {
            if p >= 1.0 {
                u64::MAX
            } else {
                (p * 18_446_744_073_709_551_616.0) as u64
            }
        })
        .collect();
    (keep, alias.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_table_reproduces_the_weights() {
        let weights = [1.0, 3.0, 0.0, 4.0];
        let (keep, alias) = alias_table(&weights);
        // The probability of index j: sum over slots of (1/n) * (kept share or alias share).
        let mut p = [0.0; 4];
        for k in 0..4 {
            let kept = keep[k] as f64 / 18_446_744_073_709_551_616.0;
            p[k] += kept / 4.0;
            p[usize::from(alias[k])] += (1.0 - kept) / 4.0;
        }
        for (got, want) in p.iter().zip([0.125, 0.375, 0.0, 0.5]) {
            assert!((got - want).abs() < 1e-12, "{p:?}");
        }
    }

    #[test]
    fn used_only_where_the_strips_resolve_the_density() {
        assert!(BetaStrips::new(3.0, 3.0).is_some());
        assert!(BetaStrips::new(1.0, 1.0).is_some(), "uniform");
        assert!(BetaStrips::new(1.0, 5.0).is_some(), "peak at an end");
        assert!(BetaStrips::new(0.5, 2.0).is_none(), "unbounded density");
        assert!(
            BetaStrips::new(5e4, 5e4).is_none(),
            "peak narrower than a strip"
        );
    }

    #[test]
    fn hat_and_squeeze_bound_the_density_on_every_strip() {
        for (a, b) in [(3.0, 3.0), (1.52, 4.48), (1.0, 2.0), (40.0, 7.0)] {
            let t = BetaStrips::new(a, b).unwrap();
            for (k, strip) in t.strips.iter().enumerate() {
                for i in 0..=16 {
                    let x = (k as f64 + i as f64 / 16.0) / STRIPS as f64;
                    let f = t.shape.density(x);
                    assert!(f <= strip.hat, "Beta({a},{b}) strip {k}: {f} > hat");
                    assert!(
                        f >= strip.squeeze * strip.hat,
                        "Beta({a},{b}) strip {k}: below squeeze"
                    );
                }
            }
        }
    }
}
