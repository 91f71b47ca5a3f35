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
    let z = Z95;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
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
    fn half_width_is_z_standard_errors() {
        assert_eq!(half_width95(2.0, 4.0), Z95);
    }
}
