//! Mergeable summaries of trial outcomes and their Monte Carlo uncertainty.
//!
//! Everything here is kept in integers (counts, sums of milliseconds), so merging partial
//! summaries in any order gives bit-identical results: that is what makes a run's output
//! independent of the thread count. Memory does not depend on the number of trials.

pub mod correlation;
pub mod drivers;
pub mod interval;

pub use interval::{
    Weights, Z95, newcombe95, weighted_share, weighted_share95, wilson95, wilson95_effective,
};

/// A trial of full weight counts this many units in weighted runs (a run conditioned on
/// observations); an unweighted run counts one unit a trial. 2^24 keeps the rounding of a
/// weight below 3e-8 and the sums of a billion trials far from overflowing.
pub const WEIGHT_UNIT: u64 = 1 << 24;

use std::collections::BTreeMap;

/// Width of a histogram bin near the reference instant, in seconds.
pub const RESOLUTION_SECONDS: i64 = 60;
/// Minute bins cover this many seconds either side of the reference instant (about 97 days);
/// beyond, bins widen geometrically (1/256 of the distance), so memory stays bounded.
const LINEAR_BINS: i64 = (1 << 23) / RESOLUTION_SECONDS;
const LINEAR_SPAN: i64 = LINEAR_BINS * RESOLUTION_SECONDS;
const PAGE: usize = 1024;
const PAGES: usize = (2 * LINEAR_BINS as usize).div_ceil(PAGE);
const LOG_SUBBINS: f64 = 256.0;

/// A histogram of instants (epoch seconds) with exact integer moments. Equal histograms hold the
/// same counts in the same bins (what a run's independence from its thread count is checked by).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeHistogram {
    reference: i64,
    pages: Vec<Option<Box<[Bin; PAGE]>>>,
    far: BTreeMap<i64, Bin>,
    /// Trials recorded, in weight units (one per trial unless weighted).
    count: u64,
    /// Sum of the squared weights (weight units squared), kept once any weighted trial is added.
    sum_w_sq: u128,
    /// Whether weighted trials were added (intervals then use the effective number of trials).
    weighted: bool,
    /// Sum of (t - reference) in milliseconds (each add_where call's sum, rounded).
    sum_ms: i128,
    /// Sum of (t - reference)^2 in seconds squared (likewise).
    sum_sq_s: i128,
    /// Extremes of all recorded instants.
    min: f64,
    max: f64,
}

impl TimeHistogram {
    pub fn new(reference: i64) -> Self {
        TimeHistogram {
            reference,
            pages: vec![None; PAGES],
            far: BTreeMap::new(),
            count: 0,
            sum_w_sq: 0,
            weighted: false,
            sum_ms: 0,
            sum_sq_s: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// The trials recorded, in weight units (the number of trials when unweighted).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The recorded trials' total weight and sum of squared weights.
    pub fn weights(&self) -> Weights {
        Weights {
            sum: self.count,
            sq: if self.weighted {
                self.sum_w_sq
            } else {
                u128::from(self.count)
            },
        }
    }

    /// How many unweighted trials would estimate as precisely (Kish): the count when
    /// unweighted.
    pub fn effective(&self) -> f64 {
        self.weights().effective()
    }

    /// Records the instants of `column` at the indices `keep` accepts, skipping those outside
    /// the representable range (NaN included); returns how many were skipped for being out of
    /// range although not NaN. This is the engine's hottest loop, so it works
    /// in floating point with running sums in locals. Sums are turned into integers once per call;
    /// the engine calls it once per chunk (a fixed set of calls, whatever the thread count), so
    /// results stay independent of how chunks are spread over threads.
    #[inline]
    pub fn add_where(&mut self, column: &[f64], keep: impl Fn(usize) -> bool) -> u64 {
        self.add_inner::<false>(column, |i| u64::from(keep(i)))
    }

    /// As [`TimeHistogram::add_where`], each instant counting `weight(i)` units (0: skipped).
    #[inline]
    pub fn add_weighted(&mut self, column: &[f64], weight: impl Fn(usize) -> u64) -> u64 {
        self.weighted = true;
        self.add_inner::<true>(column, weight)
    }

    #[inline(always)]
    fn add_inner<const WEIGHTED: bool>(
        &mut self,
        column: &[f64],
        weight: impl Fn(usize) -> u64,
    ) -> u64 {
        const PER_MINUTE: f64 = 1.0 / RESOLUTION_SECONDS as f64;
        let reference = self.reference as f64;
        let (mut count, mut min, mut max) = (0u64, self.min, self.max);
        let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
        let mut sum_w_sq = 0u128;
        let mut unrepresentable = 0;
        // Only a reference within 97 days of the year 9999 (or -9999) makes this false.
        let linear_representable =
            crate::time::clock::representable(reference - LINEAR_SPAN as f64)
                && crate::time::clock::representable(reference + LINEAR_SPAN as f64);
        for (i, &t) in column.iter().enumerate() {
            let w = weight(i);
            if w == 0 {
                continue;
            }
            let x = t - reference;
            // Shifted so the linear range is non-negative: truncation is then floor. Instants in
            // the linear range (the common case, tested first) are representable unless the
            // reference is at the end of time; NaN fails both tests.
            let shifted = x * PER_MINUTE + LINEAR_BINS as f64;
            let linear = shifted >= 0.0
                && shifted < (2 * LINEAR_BINS) as f64
                && (linear_representable || crate::time::clock::representable(t));
            if !linear && !crate::time::clock::representable(t) {
                unrepresentable += u64::from(!t.is_nan());
                continue;
            }
            // Plain comparisons: t is not NaN here, and `f64::min` pays for NaN handling.
            min = if t < min { t } else { min };
            max = if t > max { t } else { max };
            if WEIGHTED {
                count += w;
                sum_w_sq += u128::from(w) * u128::from(w);
                let wf = w as f64;
                sum += wf * x;
                sum_sq += wf * x * x;
            } else {
                count += 1;
                sum += x;
                sum_sq += x * x;
            }
            let w = if WEIGHTED { w } else { 1 };
            if linear {
                let index = shifted as usize;
                if let Some(slot) = self.pages.get_mut(index / PAGE) {
                    slot.get_or_insert_with(|| Box::new([Bin::EMPTY; PAGE]))[index % PAGE]
                        .record(t, w);
                }
            } else {
                self.far
                    .entry(bin_key(x))
                    .or_insert(Bin::EMPTY)
                    .record(t, w);
            }
        }
        self.count += count;
        self.sum_w_sq += sum_w_sq;
        self.min = min;
        self.max = max;
        // Once per call, so the float-to-i128 conversions (which saturate) cost nothing.
        self.sum_ms += (sum * 1000.0).round() as i128;
        self.sum_sq_s += sum_sq.round() as i128;
        unrepresentable
    }

    /// Records one instant (ignored if outside the representable range).
    pub fn add(&mut self, t: f64) {
        self.add_where(std::slice::from_ref(&t), |_| true);
    }

    /// Adds `other`'s counts to these and empties `other`, keeping its memory for reuse (the
    /// engine's per-worker histograms are emptied after every batch; freeing and reallocating
    /// them cost page faults).
    pub fn absorb(&mut self, other: &mut TimeHistogram) {
        debug_assert_eq!(self.reference, other.reference);
        for (mine, theirs) in self.pages.iter_mut().zip(&mut other.pages) {
            if let Some(theirs) = theirs {
                let page = mine.get_or_insert_with(|| Box::new([Bin::EMPTY; PAGE]));
                for (a, b) in page.iter_mut().zip(theirs.iter_mut()) {
                    if b.count > 0 {
                        a.merge(&std::mem::replace(b, Bin::EMPTY));
                    }
                }
            }
        }
        for (k, v) in std::mem::take(&mut other.far) {
            self.far.entry(k).or_insert(Bin::EMPTY).merge(&v);
        }
        self.count += std::mem::take(&mut other.count);
        self.sum_w_sq += std::mem::take(&mut other.sum_w_sq);
        self.weighted |= other.weighted;
        self.sum_ms += std::mem::take(&mut other.sum_ms);
        self.sum_sq_s += std::mem::take(&mut other.sum_sq_s);
        self.min = self
            .min
            .min(std::mem::replace(&mut other.min, f64::INFINITY));
        self.max = self
            .max
            .max(std::mem::replace(&mut other.max, f64::NEG_INFINITY));
    }

    /// Exact mean, epoch seconds.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0)
            .then(|| self.reference as f64 + self.sum_ms as f64 / 1000.0 / self.count as f64)
    }

    /// Sample standard deviation in seconds (from whole-second squares; for weighted trials,
    /// the weighted standard deviation).
    pub fn sd(&self) -> Option<f64> {
        if self.weighted {
            if self.effective() <= 1.0 {
                return None;
            }
            let w = self.count as f64;
            let mean_s = self.sum_ms as f64 / 1000.0 / w;
            let var = self.sum_sq_s as f64 / w - mean_s * mean_s;
            return Some(var.max(0.0).sqrt());
        }
        if self.count < 2 {
            return None;
        }
        let n = self.count as f64;
        let mean_s = self.sum_ms as f64 / 1000.0 / n;
        let var = (self.sum_sq_s as f64 - n * mean_s * mean_s) / (n - 1.0);
        Some(var.max(0.0).sqrt())
    }

    /// The mean's 95% interval (normal theory; a point when fewer than two instants).
    pub fn mean_ci95(&self) -> Option<(f64, f64)> {
        let mean = self.mean()?;
        let half = self
            .sd()
            .map_or(0.0, |sd| interval::half_width95(sd, self.effective()));
        Some((mean - half, mean + half))
    }

    /// The earliest and latest recorded instants.
    pub fn range(&self) -> Option<(f64, f64)> {
        (self.count > 0).then_some((self.min, self.max))
    }

    /// The non-empty bins in increasing time order, with where each starts and ends (epoch
    /// seconds).
    fn bins(&self) -> impl Iterator<Item = (f64, f64, &Bin)> + '_ {
        let below = self.far.range(..-LINEAR_BINS);
        let linear = self.pages.iter().enumerate().flat_map(|(p, page)| {
            page.iter().flat_map(move |page| {
                page.iter()
                    .enumerate()
                    .filter(|(_, b)| b.count > 0)
                    .map(move |(i, b)| ((p * PAGE + i) as i64 - LINEAR_BINS, b))
            })
        });
        let above = self.far.range(LINEAR_BINS..);
        below
            .map(|(&k, b)| (k, b))
            .chain(linear)
            .chain(above.map(|(&k, b)| (k, b)))
            .map(move |(k, b)| {
                let (lo, hi) = bin_bounds(k);
                (lo + self.reference as f64, hi + self.reference as f64, b)
            })
    }

    /// The instant with `rank` trials (a real number in [0, count]) before it: exact on a bin's
    /// earliest instant when trials share it (an atom), else interpolating uniformly across the
    /// bin, kept within the bin's earliest and latest instants.
    pub fn at_rank(&self, rank: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = rank.clamp(0.0, self.count as f64);
        let mut seen = 0u64;
        let mut last = None;
        for (lo, hi, bin) in self.bins() {
            if (seen + bin.count) as f64 >= rank {
                return Some(bin.at_rank(rank - seen as f64, lo, hi));
            }
            seen += bin.count;
            last = Some(bin.high);
        }
        last
    }

    /// The p-quantile (p in [0, 1]).
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.at_rank(p * self.count as f64)
    }

    /// A distribution-free 95% interval for the p-quantile, from the binomial distribution of
    /// the number of trials below it (normal approximation of the order-statistic ranks).
    pub fn quantile_ci95(&self, p: f64) -> Option<(f64, f64)> {
        let n = self.count as f64;
        // Weighted: the rank's standard error in weight units, from the effective trials.
        let half = if self.weighted {
            Z95 * n * (p * (1.0 - p) / self.effective()).sqrt()
        } else {
            Z95 * (n * p * (1.0 - p)).sqrt()
        };
        Some((
            self.at_rank((n * p - half).floor())?,
            self.at_rank((n * p + half).ceil())?,
        ))
    }

    /// How many recorded instants are at or before `t`, to bin resolution (used for charts);
    /// an atom on a bin's earliest instant counts whole from that instant on.
    pub fn count_at_or_before(&self, t: f64) -> f64 {
        let mut total = 0.0;
        for (lo, hi, bin) in self.bins() {
            if bin.low > t {
                break;
            }
            total += bin.count_at_or_before(t, lo, hi);
        }
        total
    }
}

/// One bin's trials: how many, their earliest and latest instants, and how many sit exactly on
/// the earliest. Quantiles inside a bin interpolate uniformly across it (the same rule in every
/// histogram, so a milestone reached after another in every trial keeps its percentiles at or
/// after the other's), kept within its earliest and latest instants, except that trials sharing
/// the earliest one (a `not_before`, a fixed arrival: an atom) keep that exact instant: a
/// quantile that falls in an atom is exact, not up to a minute late. Merging takes minima,
/// maxima and sums, so it is exact and order-independent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bin {
    count: u64,
    low: f64,
    high: f64,
    at_low: u64,
}

impl Bin {
    const EMPTY: Bin = Bin {
        count: 0,
        low: f64::INFINITY,
        high: f64::NEG_INFINITY,
        at_low: 0,
    };

    #[inline(always)]
    fn record(&mut self, t: f64, w: u64) {
        self.count += w;
        if t < self.low {
            self.low = t;
            self.at_low = w;
        } else if t == self.low {
            self.at_low += w;
        }
        self.high = if t > self.high { t } else { self.high };
    }

    fn merge(&mut self, other: &Bin) {
        let low = self.low.min(other.low);
        self.at_low =
            u64::from(self.low == low) * self.at_low + u64::from(other.low == low) * other.at_low;
        self.low = low;
        self.high = self.high.max(other.high);
        self.count += other.count;
    }

    /// The instant with `inside` (in [0, count]) of the bin's trials before it, the bin spanning
    /// `lo..hi`.
    fn at_rank(&self, inside: f64, lo: f64, hi: f64) -> f64 {
        if inside <= self.at_low as f64 {
            return self.low;
        }
        (lo + (hi - lo) * inside / self.count as f64).clamp(self.low, self.high)
    }

    /// How many of the bin's trials are at or before `t` (the inverse of [`Bin::at_rank`]).
    fn count_at_or_before(&self, t: f64, lo: f64, hi: f64) -> f64 {
        if t < self.low {
            0.0
        } else if t >= self.high {
            self.count as f64
        } else {
            let uniform = self.count as f64 * (t - lo) / (hi - lo);
            uniform.max(self.at_low as f64)
        }
    }
}

/// The bin of an offset from the reference: minute bins near it, geometric bins far from it.
fn bin_key(x: f64) -> i64 {
    let minutes = (x / RESOLUTION_SECONDS as f64).floor();
    if minutes.abs() < LINEAR_BINS as f64 {
        return minutes as i64;
    }
    let ratio = (x.abs() / LINEAR_SPAN as f64).max(1.0);
    let index = (ratio.log2() * LOG_SUBBINS).floor() as i64;
    if x < 0.0 {
        -LINEAR_BINS - 1 - index
    } else {
        LINEAR_BINS + index
    }
}

/// Offsets (seconds from the reference) where a bin starts and ends.
fn bin_bounds(key: i64) -> (f64, f64) {
    let r = RESOLUTION_SECONDS as f64;
    if (-LINEAR_BINS..LINEAR_BINS).contains(&key) {
        return (key as f64 * r, (key + 1) as f64 * r);
    }
    let edge = |i: i64| LINEAR_SPAN as f64 * (i as f64 / LOG_SUBBINS).exp2();
    if key >= LINEAR_BINS {
        let i = key - LINEAR_BINS;
        (edge(i), edge(i + 1))
    } else {
        let i = -LINEAR_BINS - 1 - key;
        (-edge(i + 1), -edge(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_uniform_minutes_are_exact_to_resolution() {
        let mut h = TimeHistogram::new(1_000_000);
        for i in 0..6000 {
            h.add(1_000_000.0 + i as f64 * 6.0); // 0 .. 36,000 s evenly
        }
        let median = h.quantile(0.5).unwrap() - 1_000_000.0;
        assert!((median - 18_000.0).abs() <= 60.0, "{median}");
        assert_eq!(h.mean().unwrap(), 1_000_000.0 + 5999.0 * 3.0);
    }

    /// 40% of trials spread evenly over the 90 minutes before 08:30, 60% exactly at 08:30:00 (a
    /// `not_before`), 1% spread over the minute after it: every quantile from P40 to P99 is
    /// 08:30:00 exactly, and so are both ends of the median's interval.
    #[test]
    fn quantiles_inside_an_atom_are_exact() {
        let at = 1_000_000.0 + 8.5 * 3600.0;
        let mut h = TimeHistogram::new(1_000_000);
        for i in 0..4000 {
            h.add(at - 5400.0 + i as f64 * 5400.0 / 4000.0);
        }
        for _ in 0..6000 {
            h.add(at);
        }
        for i in 0..100 {
            h.add(at + 0.5 + i as f64 * 0.59);
        }
        for p in [0.41, 0.5, 0.75, 0.95, 0.99] {
            assert_eq!(h.quantile(p), Some(at), "P{p}");
        }
        assert_eq!(h.quantile_ci95(0.5), Some((at, at)));
        // Below the atom, within the 81-second spacing of the spread trials' bin.
        let p20 = h.quantile(0.2).unwrap();
        assert!((p20 - (at - 2700.0)).abs() <= 60.0, "{}", p20 - at);
        // The trials after the atom share its minute: the highest ones are interpolated inside it.
        let top = h.quantile(1.0).unwrap();
        assert!(top > at && top < at + 60.0);
        assert_eq!(h.count_at_or_before(at), 10_000.0);
        assert_eq!(h.count_at_or_before(at - 1e-6), 4000.0);
    }

    /// An atom keeps its exact instant through merging in any order, wherever in its minute it is.
    #[test]
    fn atoms_survive_merging() {
        let at = 7_200.0 + 17.0;
        let (mut a, mut b, mut whole) = (
            TimeHistogram::new(0),
            TimeHistogram::new(0),
            TimeHistogram::new(0),
        );
        for (i, t) in [at + 30.0, at, at, at + 40.0, at, at]
            .into_iter()
            .enumerate()
        {
            whole.add(t);
            if i % 2 == 0 { &mut a } else { &mut b }.add(t);
        }
        a.absorb(&mut b);
        assert_eq!(a.quantile(0.5), Some(at));
        assert_eq!(a.quantile(0.5), whole.quantile(0.5));
        assert_eq!(a.quantile(1.0), Some(at + 40.0));
    }

    #[test]
    fn merge_is_order_independent() {
        let data: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 100_003) as f64 * 37.3 - 1e6)
            .collect();
        let mut whole = TimeHistogram::new(0);
        data.iter().for_each(|&t| whole.add(t));
        let (mut a, mut b) = (TimeHistogram::new(0), TimeHistogram::new(0));
        data[..1234].iter().for_each(|&t| a.add(t));
        data[1234..].iter().for_each(|&t| b.add(t));
        b.absorb(&mut a);
        for p in [0.05, 0.5, 0.95] {
            assert_eq!(b.quantile(p), whole.quantile(p));
        }
        assert_eq!(b.mean(), whole.mean());
    }

    #[test]
    fn far_values_are_binned_monotonically() {
        let xs = [-1e10, -5e7, -9e6, -1e3, 0.0, 1e3, 9e6, 5e7, 1e10];
        let keys: Vec<i64> = xs.iter().map(|&x| bin_key(x)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        for &x in &xs {
            let (lo, hi) = bin_bounds(bin_key(x));
            assert!(
                lo <= x && x < hi * (1.0 + 1e-12) + 1e-9,
                "{x} in [{lo}, {hi})"
            );
        }
    }
}
