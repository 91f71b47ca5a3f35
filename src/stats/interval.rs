//! Monte Carlo intervals: every 95% interval eta reports is computed here, from one z value.

/// The standard normal's 97.5% quantile: a two-sided 95% interval is estimate ± Z95 standard errors.
pub const Z95: f64 = 1.959_964;

/// Half the width of the normal-theory 95% interval of a mean of `n` values whose standard
/// deviation is `sd`.
pub fn half_width95(sd: f64, n: f64) -> f64 {
    Z95 * sd / n.sqrt()
}

/// The Wilson score interval at 95% for `k` successes in `n` trials.
pub fn wilson95(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    wilson95_effective(k as f64 / n as f64, n as f64)
}

/// The Wilson score interval at 95% for a proportion `p` estimated with the precision of `n`
/// independent trials (for weighted trials, their effective number).
pub fn wilson95_effective(p: f64, n: f64) -> (f64, f64) {
    if n <= 0.0 || n.is_nan() {
        return (0.0, 1.0);
    }
    let z = Z95;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Newcombe's hybrid score interval at 95% (his method 10, Statistics in Medicine 17, 1998) for
/// the difference of two proportions `k2 / n2 - k1 / n1`, from each one's Wilson interval.
pub fn newcombe95(k1: u64, n1: u64, k2: u64, n2: u64) -> (f64, f64) {
    let share = |k: u64, n: u64| if n > 0 { k as f64 / n as f64 } else { 0.0 };
    let (p1, p2) = (share(k1, n1), share(k2, n2));
    let ((l1, u1), (l2, u2)) = (wilson95(k1, n1), wilson95(k2, n2));
    let d = p2 - p1;
    (
        d - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt(),
        d + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt(),
    )
}

/// A sum of trial weights and of their squares. Weights are whole numbers of
/// [`crate::stats::WEIGHT_UNIT`]ths of a trial (an unweighted trial counts one unit), so sums are
/// exact and merging them in any order gives the same result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weights {
    pub sum: u64,
    pub sq: u128,
}

impl Weights {
    /// Kish's effective sample size, (sum w)^2 / sum w^2: as many independent unweighted trials
    /// would estimate a mean as precisely.
    pub fn effective(&self) -> f64 {
        if self.sq == 0 {
            0.0
        } else if self.sq == u128::from(self.sum) {
            // Every weight is one: the trials themselves (exact, without rounding).
            self.sum as f64
        } else {
            (self.sum as f64).powi(2) / self.sq as f64
        }
    }
}

/// The share `part / whole` of weighted trials and its 95% interval: a Wilson interval whose
/// number of trials is the effective one for this ratio (the delta-method variance of a
/// self-normalised weighted proportion, sum w^2 (x - p)^2 / (sum w)^2, where x is 1 in `part`),
/// so the interval widens where the weights are uneven among the trials it counts. With unit
/// weights this is the plain Wilson interval.
pub fn weighted_share95(part: Weights, whole: Weights) -> (f64, (f64, f64)) {
    let (p, n) = weighted_share(part, whole);
    (p, wilson95_effective(p, n))
}

/// The share `part / whole` of weighted trials and the effective number of trials its
/// interval rests on (see [`weighted_share95`]).
pub fn weighted_share(part: Weights, whole: Weights) -> (f64, f64) {
    if whole.sum == 0 {
        return (0.0, 0.0);
    }
    let p = part.sum as f64 / whole.sum as f64;
    let (inside, outside) = (part.sq as f64, (whole.sq - part.sq.min(whole.sq)) as f64);
    let variance = ((1.0 - p).powi(2) * inside + p * p * outside) / (whole.sum as f64).powi(2);
    let n = if variance > 0.0 {
        p * (1.0 - p) / variance
    } else {
        whole.effective()
    };
    (p, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_reference_values() {
        // 50 of 100: the textbook Wilson interval is [0.4038, 0.5962].
        let (lo, hi) = wilson95(50, 100);
        assert!((lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4);
        let (lo, hi) = wilson95(0, 10);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4);
    }

    #[test]
    fn newcombe_matches_his_worked_example() {
        // Newcombe (1998), Table II, example (a): 56/70 against 48/80, difference 0.2000,
        // method 10 gives [0.0524, 0.3339].
        let (lo, hi) = newcombe95(48, 80, 56, 70);
        assert!(
            (lo - 0.0524).abs() < 1e-4 && (hi - 0.3339).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = newcombe95(56, 70, 48, 80);
        assert!((lo + 0.3339).abs() < 1e-4 && (hi + 0.0524).abs() < 1e-4);
    }

    #[test]
    fn unit_weights_give_the_plain_wilson_interval() {
        let part = Weights { sum: 30, sq: 30 };
        let whole = Weights { sum: 100, sq: 100 };
        let (p, ci) = weighted_share95(part, whole);
        assert_eq!(p, 0.3);
        let plain = wilson95(30, 100);
        assert!((ci.0 - plain.0).abs() < 1e-12 && (ci.1 - plain.1).abs() < 1e-12);
        assert_eq!(whole.effective(), 100.0);
    }

    /// Two trials of weight 3 and two of weight 1, the first of each kind in `part`: p = 1/2,
    /// variance (1/4)(9 + 1 + 9 + 1)/64 = 5/64, so the effective n is (1/4)/(5/64) = 3.2,
    /// Kish's (8^2 / 20) = 3.2 too (the weights are balanced across part and rest).
    #[test]
    fn uneven_weights_shrink_the_effective_trials() {
        let part = Weights { sum: 4, sq: 10 };
        let whole = Weights { sum: 8, sq: 20 };
        assert_eq!(whole.effective(), 3.2);
        let (p, ci) = weighted_share95(part, whole);
        assert_eq!(p, 0.5);
        let expected = wilson95_effective(0.5, 3.2);
        assert!((ci.0 - expected.0).abs() < 1e-12 && (ci.1 - expected.1).abs() < 1e-12);
    }

    #[test]
    fn half_width_is_z_standard_errors() {
        assert_eq!(half_width95(2.0, 4.0), Z95);
    }
}
