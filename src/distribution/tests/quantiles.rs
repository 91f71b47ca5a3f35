//! Quantiles: the inverse of the CDF for every continuous family (the special functions under
//! them are tested in `numeric::special`).

use super::truncation::truncated_cases;
use super::*;

/// quantile(cdf(x)) = x where the CDF is well conditioned (between 1e-4 and 1 - 1e-4), for every
/// continuous family, truncated ones included. Tolerance 1e-9 of the distribution's scale.
#[test]
fn quantile_inverts_cdf() {
    let mut dists: Vec<(String, Dist)> = vec![
        (
            "uniform".into(),
            dist(Family::Uniform {
                min: -2.0,
                max: 5.0,
            }),
        ),
        (
            "normal".into(),
            dist(Family::Normal {
                mean: 10.0,
                sd: 3.0,
            }),
        ),
        (
            "lognormal".into(),
            dist(Family::LogNormal {
                mu: 1.0,
                sigma: 0.5,
            }),
        ),
        (
            "triangular".into(),
            dist(Family::Triangular {
                min: 1.0,
                mode: 3.0,
                max: 10.0,
            }),
        ),
        (
            "pert".into(),
            dist(Family::Pert {
                min: 2.0,
                mode: 5.0,
                max: 20.0,
                lambda: 4.0,
            }),
        ),
        (
            "beta".into(),
            dist(Family::Beta {
                alpha: 0.5,
                beta: 0.3,
                min: -1.0,
                max: 1.0,
            }),
        ),
        (
            "exponential".into(),
            dist(Family::Exponential { mean: 2.5 }),
        ),
        (
            "gamma small".into(),
            dist(Family::Gamma {
                shape: 0.4,
                scale: 2.0,
            }),
        ),
        (
            "gamma".into(),
            dist(Family::Gamma {
                shape: 50.0,
                scale: 1.0,
            }),
        ),
        (
            "weibull".into(),
            dist(Family::Weibull {
                shape: 0.7,
                scale: 3.0,
            }),
        ),
    ];
    dists.extend(
        truncated_cases()
            .into_iter()
            .map(|(l, d, ..)| (l.to_owned(), d)),
    );
    for (label, d) in &dists {
        let scale = d.variance().sqrt();
        let (lo, hi) = (d.quantile(1e-4), d.quantile(1.0 - 1e-4));
        for x in linspace(lo, hi, 301) {
            let back = d.quantile(d.cdf(x));
            assert!(
                (back - x).abs() <= 1e-9 * scale.max(x.abs()),
                "{label}: quantile(cdf({x})) = {back}"
            );
        }
    }
    // Discrete: the quantile of each support value's CDF is that value.
    let d = dist(Family::Choice {
        values: vec![3.0, 1.0, 2.0],
        weights: vec![0.3, 0.3, 0.4],
    });
    for v in [1.0, 2.0, 3.0] {
        assert_eq!(d.quantile(d.cdf(v)), v);
    }
}
