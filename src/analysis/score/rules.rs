//! Proper scoring rules for a forecast given as a Monte Carlo sample, each a plain function of
//! the sorted sample and the outcome, tested against closed forms:
//!
//! - [`pit`]: the outcome's percentile rank; ties with the outcome count half (mid-point rule),
//!   and the range they cover is kept so a PIT histogram can spread it (the non-randomized PIT);
//! - [`crps`]: the continuous ranked probability score, by the sample formula in its "plain"
//!   (the empirical distribution's exact CRPS) or "fair" (unbiased) form, with its Monte Carlo
//!   standard error; [`crps_normal`] is the closed form for a normal forecast;
//! - [`log_density`]: the log of a Gaussian kernel density estimate (Silverman's bandwidth) at
//!   the outcome, for the log score;
//! - [`quantile`], [`brier`], [`binary_log_score`].

/// The outcome's place in the forecast: `below` and `at_or_below` are the shares of the sample
/// strictly below and at or below it; `value`, their mid-point, is the PIT reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pit {
    pub value: f64,
    pub below: f64,
    pub at_or_below: f64,
}

/// The PIT of `y` in the ascending sample `xs` (mid-point rule for ties).
pub fn pit(xs: &[f64], y: f64) -> Pit {
    let n = xs.len().max(1) as f64;
    let below = xs.partition_point(|&x| x < y) as f64 / n;
    let at_or_below = xs.partition_point(|&x| x <= y) as f64 / n;
    Pit {
        value: (below + at_or_below) / 2.0,
        below,
        at_or_below,
    }
}

/// Which sample estimator of the CRPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimator {
    /// E|X - y| - E|X - X'|/2 over the empirical distribution: pairs divided by n².
    Plain,
    /// The same with pairs divided by n(n - 1): unbiased for the CRPS of the distribution the
    /// sample was drawn from.
    Fair,
}

/// The CRPS of the ascending sample `xs` for outcome `y`, in the units of `xs`, with its
/// standard error: sd(g) / sqrt(n), g(x) = |x - y| - E|x - X'| (the estimator's first-order
/// projection, a U-statistic's delta-method variance).
pub fn crps(xs: &[f64], y: f64, estimator: Estimator) -> (f64, f64) {
    let n = xs.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let nf = n as f64;
    // Shifted to the outcome, so sums of epoch seconds do not cancel.
    let total: f64 = xs.iter().map(|x| x - y).sum();
    let (mut prefix, mut pairs, mut absolute) = (0.0, 0.0, 0.0);
    let (mut g_sum, mut g_sq) = (0.0, 0.0);
    for (i, &x) in xs.iter().enumerate() {
        let d = x - y;
        let i_f = i as f64;
        // Sum over j of |x_i - x_j|: x_i exceeds the i before it and falls short of the rest.
        let spread = d * i_f - prefix + (total - prefix - d) - d * (nf - 1.0 - i_f);
        pairs += d * (2.0 * i_f - nf + 1.0);
        absolute += d.abs();
        let g = d.abs() - spread / (nf - 1.0).max(1.0);
        g_sum += g;
        g_sq += g * g;
        prefix += d;
    }
    // pairs = sum over i < j of (x_j - x_i); the double sum over all ordered pairs is twice it.
    let divisor = match estimator {
        Estimator::Plain => nf * nf,
        Estimator::Fair => nf * (nf - 1.0).max(1.0),
    };
    let value = absolute / nf - pairs / divisor;
    let se = if n > 1 {
        let mean = g_sum / nf;
        ((g_sq / nf - mean * mean).max(0.0) * nf / (nf - 1.0) / nf).sqrt()
    } else {
        f64::NAN
    };
    (value, se)
}

/// The CRPS of a normal forecast N(mu, sigma²) for outcome `y`:
/// sigma (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)), z = (y - mu) / sigma.
pub fn crps_normal(mu: f64, sigma: f64, y: f64) -> f64 {
    use crate::numeric::special::{norm_cdf, norm_pdf};
    let z = (y - mu) / sigma;
    sigma * (z * (2.0 * norm_cdf(z) - 1.0) + 2.0 * norm_pdf(z) - 1.0 / std::f64::consts::PI.sqrt())
}

/// The p-quantile of the ascending sample (linear between order statistics, rank p (n - 1)).
pub fn quantile(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let rank = p.clamp(0.0, 1.0) * (xs.len() - 1) as f64;
    let (lo, frac) = (rank.floor() as usize, rank.fract());
    let hi = (lo + 1).min(xs.len() - 1);
    xs[lo] + (xs[hi] - xs[lo]) * frac
}

/// Silverman's rule of thumb, 0.9 min(sd, IQR / 1.34) n^(-1/5), never below `floor`.
pub fn silverman_bandwidth(xs: &[f64], floor: f64) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return floor;
    }
    let mean = xs.iter().sum::<f64>() / n;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let iqr = quantile(xs, 0.75) - quantile(xs, 0.25);
    let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
    (0.9 * spread * n.powf(-0.2)).max(floor)
}

/// The natural log of the Gaussian kernel density estimate of `xs` with bandwidth `h` at `y`
/// (density per unit of `xs`), summed in log space so a far outcome gives a large finite
/// negative number rather than log 0.
pub fn log_density(xs: &[f64], h: f64, y: f64) -> f64 {
    if xs.is_empty() {
        return f64::NEG_INFINITY;
    }
    let exponent = |x: f64| -0.5 * ((x - y) / h).powi(2);
    let top = xs
        .iter()
        .map(|&x| exponent(x))
        .fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = xs.iter().map(|&x| (exponent(x) - top).exp()).sum();
    top + sum.ln() - (xs.len() as f64).ln() - h.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
}

/// The Brier score of probability `p` for an event that did (`true`) or did not happen.
pub fn brier(p: f64, happened: bool) -> f64 {
    (p - f64::from(u8::from(happened))).powi(2)
}

/// The log score, -ln of the probability given to what happened. A probability estimated from
/// `trials` trials is first kept within [1/(2 trials), 1 - 1/(2 trials)]: a count cannot tell 0
/// from anything below 1/trials, and -ln 0 would be infinite.
pub fn binary_log_score(p: f64, happened: bool, trials: u64) -> f64 {
    let floor = 0.5 / trials.max(1) as f64;
    let p = p.clamp(floor, 1.0 - floor);
    -(if happened { p } else { 1.0 - p }).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::special::norm_quantile;

    /// The double sum by brute force, for the sorted formula to agree with.
    fn crps_brute(xs: &[f64], y: f64, estimator: Estimator) -> f64 {
        let n = xs.len() as f64;
        let abs = xs.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
        let pairs: f64 = xs
            .iter()
            .flat_map(|a| xs.iter().map(move |b| (a - b).abs()))
            .sum();
        let divisor = match estimator {
            Estimator::Plain => 2.0 * n * n,
            Estimator::Fair => 2.0 * n * (n - 1.0),
        };
        abs - pairs / divisor
    }

    #[test]
    fn crps_sample_formula_by_hand() {
        // xs = 1, 2, 4; y = 3: E|X - y| = (2 + 1 + 1)/3 = 4/3; pairs |1-2|+|1-4|+|2-4| = 6,
        // so the ordered double sum is 12: plain 4/3 - 12/18 = 2/3, fair 4/3 - 12/12 = 1/3.
        let xs = [1.0, 2.0, 4.0];
        assert!((crps(&xs, 3.0, Estimator::Plain).0 - 2.0 / 3.0).abs() < 1e-12);
        assert!((crps(&xs, 3.0, Estimator::Fair).0 - 1.0 / 3.0).abs() < 1e-12);
        let xs: Vec<f64> = (0..57).map(|i| ((i * 37) % 23) as f64 * 0.7).collect();
        let mut xs = xs;
        xs.sort_by(f64::total_cmp);
        for estimator in [Estimator::Plain, Estimator::Fair] {
            for y in [-3.0, 4.2, 30.0] {
                let (fast, _) = crps(&xs, y, estimator);
                assert!((fast - crps_brute(&xs, y, estimator)).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn crps_of_a_point_forecast_is_the_absolute_error() {
        let xs = [5.0; 10];
        assert!((crps(&xs, 8.0, Estimator::Plain).0 - 3.0).abs() < 1e-12);
    }

    #[test]
    fn crps_normal_closed_form_known_values() {
        // At the mean: sigma (2 phi(0) - 1/sqrt(pi)) = sigma (sqrt(2) - 1) / sqrt(pi).
        let at_mean = (2f64.sqrt() - 1.0) / std::f64::consts::PI.sqrt();
        assert!((crps_normal(0.0, 1.0, 0.0) - at_mean).abs() < 1e-12);
        assert!((crps_normal(10.0, 2.0, 10.0) - 2.0 * at_mean).abs() < 1e-12);
        // Far out it approaches |y - mu| - sigma / sqrt(pi).
        let far = crps_normal(0.0, 1.0, 12.0);
        assert!((far - (12.0 - 1.0 / std::f64::consts::PI.sqrt())).abs() < 1e-9);
    }

    #[test]
    fn pit_on_an_atom_is_the_mid_point() {
        // Half the sample sits exactly on the outcome.
        let xs = [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 5.0, 6.0];
        let p = pit(&xs, 3.0);
        assert_eq!((p.below, p.at_or_below, p.value), (0.25, 0.75, 0.5));
        assert_eq!(pit(&xs, 0.0).value, 0.0);
        assert_eq!(pit(&xs, 9.0).value, 1.0);
        assert_eq!(pit(&xs, 4.0).value, 0.75);
    }

    #[test]
    fn log_density_matches_a_known_density() {
        // A normal sample at its quantiles: the KDE at the mean is the density of
        // N(0, 1 + h²) there, up to the O(1/n) of the quantile grid.
        let n = 20_000;
        let xs: Vec<f64> = (0..n)
            .map(|i| norm_quantile((i as f64 + 0.5) / n as f64))
            .collect();
        let h = 0.3;
        for y in [0.0, 1.0, -2.0] {
            let var = 1.0 + h * h;
            let want = -0.5 * y * y / var - 0.5 * (2.0 * std::f64::consts::PI * var).ln();
            let got = log_density(&xs, h, y);
            assert!((got - want).abs() < 2e-3, "{y}: {got} vs {want}");
        }
        // Silverman's rule for a normal sample: 0.9 n^(-1/5) (the sd is below IQR / 1.34).
        let rule = silverman_bandwidth(&xs, 0.0);
        assert!((rule - 0.9 * (n as f64).powf(-0.2)).abs() < 2e-3, "{rule}");
        // Far away: finite, and as a normal kernel's log says.
        let far = log_density(&[0.0], 1.0, 100.0);
        assert!((far - (-5000.0 - 0.5 * (2.0 * std::f64::consts::PI).ln())).abs() < 1e-9);
    }

    #[test]
    fn brier_and_log_score_by_hand() {
        assert!((brier(0.7, true) - 0.09).abs() < 1e-12);
        assert!((brier(0.7, false) - 0.49).abs() < 1e-12);
        assert!((binary_log_score(0.25, true, 1000) - 4f64.ln()).abs() < 1e-12);
        assert!((binary_log_score(0.25, false, 1000) - (4.0f64 / 3.0).ln()).abs() < 1e-12);
        // A probability counted as 0 in 1,000 trials is scored as 1/2,000.
        assert!((binary_log_score(0.0, true, 1000) - 2000f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn quantile_interpolates_between_order_statistics() {
        let xs = [0.0, 10.0, 20.0, 30.0, 40.0];
        assert_eq!(quantile(&xs, 0.5), 20.0);
        assert_eq!(quantile(&xs, 0.05), 2.0);
        assert_eq!(quantile(&xs, 1.0), 40.0);
    }
}
