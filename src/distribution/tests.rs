//! Statistical and numerical tests. Every random test uses a fixed seed, so results are
//! reproducible; a failure means a bug in a sampler, CDF or moment, never bad luck to be
//! re-rolled. Tolerances were set before running and are not tuned to pass.

use super::*;
use crate::numeric::special::norm_cdf;
use crate::numeric::testing::{assert_rel, linspace, rel_err};
use rand::SeedableRng;
use rand_distr::Distribution as _;
use statrs::distribution::{self as sd, ContinuousCDF};
use statrs::statistics::Distribution as _;

const N: usize = 200_000;
/// About the 0.1% critical value of the Kolmogorov distribution (1.949).
const KS_CRITICAL: f64 = 1.95;
const Z_LIMIT: f64 = 4.0;

fn dist(family: Family) -> Dist {
    Dist::new(family, None, None).expect("valid parameters")
}

fn truncated(family: Family, lower: Option<f64>, upper: Option<f64>) -> Dist {
    Dist::new(family, lower, upper).expect("valid truncation")
}

fn draws(d: &Dist, seed: u64) -> Vec<f64> {
    let mut rng = StreamRng::seed_from_u64(seed);
    let mut xs = vec![0.0; N];
    d.fill(&mut rng, &mut xs);
    xs
}

/// Sample mean, unbiased variance and fourth central moment, with compensated-free two-pass sums.
fn sample_moments(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let (mut s2, mut s4) = (0.0, 0.0);
    for &x in xs {
        let d2 = (x - mean) * (x - mean);
        s2 += d2;
        s4 += d2 * d2;
    }
    (mean, s2 / (n - 1.0), s4 / n)
}

/// z-scores of the sample mean and sample variance against `Dist::mean` and `Dist::variance`.
/// The standard error of the sample variance is sqrt((mu4 - var^2)/n) with mu4 estimated by the
/// sample's fourth central moment: one consistent estimator for every family, truncated ones
/// included (the test parameters keep tails moderate, so the estimate is stable at n = 200,000).
fn moment_z(d: &Dist, xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let (mean, var, m4) = sample_moments(xs);
    let true_var = d.variance();
    let z_mean = (mean - d.mean()) / (true_var / n).sqrt();
    let z_var = (var - true_var) / ((m4 - true_var * true_var) / n).sqrt();
    (z_mean, z_var)
}

/// sqrt(n) times the one-sample Kolmogorov-Smirnov statistic against `Dist::cdf`.
fn ks_sqrt_n(d: &Dist, xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mut stat: f64 = 0.0;
    for (i, &x) in sorted.iter().enumerate() {
        let f = d.cdf(x);
        let i = i as f64;
        stat = stat.max(f - i / n).max((i + 1.0) / n - f);
    }
    stat * n.sqrt()
}

/// Moments and KS for a continuous distribution; returns the draws for further checks.
fn check_continuous(label: &str, d: &Dist, seed: u64) -> Vec<f64> {
    let xs = draws(d, seed);
    let (lo, hi) = d.support();
    assert!(
        xs.iter().all(|&x| x >= lo && x <= hi),
        "{label}: draw outside support [{lo}, {hi}]"
    );
    let (z_mean, z_var) = moment_z(d, &xs);
    let ks = ks_sqrt_n(d, &xs);
    eprintln!("STAT {label:<34} z_mean {z_mean:+.3} z_var {z_var:+.3} ks {ks:.3}");
    assert!(z_mean.abs() < Z_LIMIT, "{label}: mean z-score {z_mean}");
    assert!(z_var.abs() < Z_LIMIT, "{label}: variance z-score {z_var}");
    assert!(ks < KS_CRITICAL, "{label}: KS sqrt(n) D = {ks}");
    xs
}

/// Moments and a chi-square goodness-of-fit test at the 0.1% level against `expected`, the
/// support with probabilities written out independently of the module.
fn check_discrete(label: &str, d: &Dist, seed: u64, expected: &[(f64, f64)]) {
    let xs = draws(d, seed);
    let mut counts = vec![0u64; expected.len()];
    for &x in &xs {
        let i = expected
            .iter()
            .position(|&(v, _)| v == x)
            .unwrap_or_else(|| panic!("{label}: draw {x} is not in the support"));
        counts[i] += 1;
    }
    let n = xs.len() as f64;
    let chi2: f64 = counts
        .iter()
        .zip(expected)
        .map(|(&c, &(_, p))| {
            let e = n * p;
            (c as f64 - e) * (c as f64 - e) / e
        })
        .sum();
    let df = (expected.len() - 1) as f64;
    let critical = sd::ChiSquared::new(df).unwrap().inverse_cdf(0.999);
    let (z_mean, z_var) = moment_z(d, &xs);
    eprintln!(
        "STAT {label:<34} z_mean {z_mean:+.3} z_var {z_var:+.3} chi2 {chi2:.3} (df {df}, 0.1% critical {critical:.2})"
    );
    assert!(z_mean.abs() < Z_LIMIT, "{label}: mean z-score {z_mean}");
    assert!(z_var.abs() < Z_LIMIT, "{label}: variance z-score {z_var}");
    assert!(chi2 < critical, "{label}: chi-square {chi2} >= {critical}");
}

mod composite;
mod draws;
mod invalid;
mod mechanics;
mod quantiles;
mod reference;
mod truncation;
