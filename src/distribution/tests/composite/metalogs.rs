//! Metalogs: closed forms and quadrature, draws, fits that reproduce their quantiles, quantile
//! round trips, truncation, refusals and heavy tails.

use super::*;

#[test]
fn metalog_three_term_closed_forms_match_quadrature() {
    for coefficients in [
        [10.0, 2.0, 0.0],
        [10.0, 2.0, 1.5],
        [-3.0, 0.5, -0.7],
        [0.0, 1.0, 1.66],
    ] {
        let d = metalog(&coefficients, None, None);
        let Sampler::Metalog(m) = &d.sampler else {
            panic!("not a metalog")
        };
        let closed = m.moments();
        let numeric = m.moments_between(f64::NEG_INFINITY, f64::INFINITY);
        let reference = moments_by_trapezoid(&d);
        eprintln!(
            "STAT metalog {coefficients:?} closed-form mean {:.12} var {:.12}; quadrature rel err {:.1e} {:.1e}; trapezoid {:.1e} {:.1e}",
            closed.0,
            closed.1,
            rel_err(numeric.0, closed.0),
            rel_err(numeric.1, closed.1),
            rel_err(reference.0, closed.0),
            rel_err(reference.1, closed.1)
        );
        assert_rel("mean by quadrature", numeric.0, closed.0, 1e-12);
        assert_rel("variance by quadrature", numeric.1, closed.1, 1e-12);
        assert_rel("mean by trapezoid", reference.0, closed.0, 1e-10);
        assert_rel("variance by trapezoid", reference.1, closed.1, 1e-10);
    }
}

/// The metalogs the sampling tests use: unbounded 3 and 5 terms, bounded below, above and on
/// both sides, all with tails light enough for the fourth moment the variance z-score needs.
pub(super) fn metalog_cases() -> Vec<(&'static str, Dist)> {
    vec![
        (
            "metalog 3 terms (30, 50, 90)",
            fitted(&[(0.1, 30.0), (0.5, 50.0), (0.9, 90.0)], 3, None, None),
        ),
        (
            "metalog 5 terms",
            fitted(
                &[
                    (0.05, 10.0),
                    (0.25, 18.0),
                    (0.5, 22.0),
                    (0.75, 30.0),
                    (0.95, 55.0),
                ],
                5,
                None,
                None,
            ),
        ),
        (
            "metalog 4 terms least squares",
            fitted(
                &[
                    (0.02, 2.0),
                    (0.1, 5.0),
                    (0.3, 8.0),
                    (0.5, 10.0),
                    (0.7, 12.5),
                    (0.9, 17.0),
                    (0.98, 24.0),
                ],
                4,
                None,
                None,
            ),
        ),
        (
            "metalog above 0 (20, 25, 35)",
            fitted(&[(0.1, 20.0), (0.5, 25.0), (0.9, 35.0)], 3, Some(0.0), None),
        ),
        (
            "metalog below 100 (60, 70, 75)",
            fitted(
                &[(0.1, 60.0), (0.5, 70.0), (0.9, 75.0)],
                3,
                None,
                Some(100.0),
            ),
        ),
        (
            "metalog on [0, 10] 4 terms",
            fitted(
                &[(0.1, 1.0), (0.4, 2.0), (0.6, 3.0), (0.9, 7.0)],
                4,
                Some(0.0),
                Some(10.0),
            ),
        ),
    ]
}

#[test]
fn metalog_draws() {
    for (i, (label, d)) in metalog_cases().iter().enumerate() {
        check_continuous(label, d, 900 + i as u64);
    }
}

#[test]
fn metalog_numerical_moments_match_an_independent_quadrature() {
    for (label, d) in metalog_cases() {
        let (mean, var) = moments_by_trapezoid(&d);
        eprintln!(
            "STAT {label:<34} mean {:.10} var {:.10} (trapezoid rel err {:.1e} {:.1e})",
            d.mean(),
            d.variance(),
            rel_err(d.mean(), mean),
            rel_err(d.variance(), var)
        );
        assert_rel(&format!("{label} mean"), d.mean(), mean, 1e-10);
        assert_rel(&format!("{label} variance"), d.variance(), var, 1e-10);
    }
}

#[test]
fn metalog_fits_reproduce_their_quantiles() {
    type Case = (Vec<(f64, f64)>, Option<f64>, Option<f64>);
    let cases: Vec<Case> = vec![
        (
            vec![(0.1, 1800.0), (0.5, 3000.0), (0.9, 10800.0)],
            Some(0.0),
            None,
        ),
        (vec![(0.1, 30.0), (0.5, 50.0), (0.9, 90.0)], None, None),
        (
            vec![
                (0.05, 10.0),
                (0.25, 18.0),
                (0.5, 22.0),
                (0.75, 30.0),
                (0.95, 55.0),
            ],
            None,
            None,
        ),
        (
            vec![(0.01, 0.5), (0.1, 1.0), (0.5, 2.0), (0.9, 5.0), (0.99, 9.0)],
            Some(0.0),
            Some(10.0),
        ),
        (
            vec![(0.1, 40.0), (0.5, 70.0), (0.9, 80.0)],
            None,
            Some(100.0),
        ),
        (
            // Quantiles of a gamma(3, 2), rounded: nine terms through nine points.
            vec![
                (0.01, 0.87),
                (0.05, 1.64),
                (0.2, 3.07),
                (0.35, 4.2),
                (0.5, 5.35),
                (0.65, 6.69),
                (0.8, 8.56),
                (0.95, 12.59),
                (0.99, 16.81),
            ],
            None,
            None,
        ),
    ];
    for (points, min, max) in cases {
        let d = fitted(&points, points.len(), min, max);
        for &(p, x) in &points {
            let got = d.quantile(p);
            assert!(
                (got - x).abs() <= 1e-9 * x.abs().max(1.0),
                "{points:?}: P{p} is {got}, not {x}"
            );
            assert!(
                (d.cdf(x) - p).abs() <= 1e-9,
                "{points:?}: cdf({x}) = {}",
                d.cdf(x)
            );
        }
    }
}

#[test]
fn metalog_quantile_inverts_cdf() {
    let mut cases = metalog_cases();
    cases.push((
        "metalog truncated to [25, 80]",
        truncated(
            Family::Metalog {
                coefficients: metalog::fit(&[(0.1, 30.0), (0.5, 50.0), (0.9, 90.0)], 3, None, None)
                    .unwrap(),
                min: None,
                max: None,
                quantiles: Vec::new(),
            },
            Some(25.0),
            Some(80.0),
        ),
    ));
    for (label, d) in &cases {
        let scale = d.variance().sqrt();
        let (lo, hi) = (d.quantile(1e-6), d.quantile(1.0 - 1e-6));
        for x in linspace(lo, hi, 301) {
            let back = d.quantile(d.cdf(x));
            assert!(
                (back - x).abs() <= 1e-9 * scale.max(x.abs()),
                "{label}: quantile(cdf({x})) = {back}"
            );
        }
        // Deep in the tails, from the tail probabilities themselves; where a bound is so close
        // that x no longer has the digits to tell the probability, there is nothing to check.
        let (lo, hi) = d.support();
        let resolved = |x: f64, bound: f64| (x - bound).abs() > 1e-6 * bound.abs().max(1.0);
        for s in [1e-12, 1e-50, 1e-200] {
            let x = d.quantile_at(Tail::Upper(s));
            if resolved(x, hi) {
                assert_rel(&format!("{label} upper tail {s:e}"), d.cdf_sf(x).1, s, 1e-9);
            }
            let x = d.quantile_at(Tail::Lower(s));
            if resolved(x, lo) {
                assert_rel(&format!("{label} lower tail {s:e}"), d.cdf_sf(x).0, s, 1e-9);
            }
        }
    }
}

#[test]
fn truncated_metalog_draws_and_moments() {
    let base = Family::Metalog {
        coefficients: metalog::fit(&[(0.1, 30.0), (0.5, 50.0), (0.9, 90.0)], 3, None, None)
            .unwrap(),
        min: None,
        max: None,
        quantiles: Vec::new(),
    };
    let d = truncated(base.clone(), Some(25.0), Some(80.0));
    // Reference: the moments of the untruncated draws that fall inside the bounds.
    let whole = dist(base);
    let (f_lo, f_hi) = (whole.cdf(25.0), whole.cdf(80.0));
    let n = 400_000;
    let (mut s1, mut s2) = (0.0, 0.0);
    for i in 0..n {
        let y = f_lo + (f_hi - f_lo) * (i as f64 + 0.5) / n as f64;
        let x = whole.quantile(y);
        s1 += x;
        s2 += x * x;
    }
    let mean = s1 / n as f64;
    let var = s2 / n as f64 - mean * mean;
    assert_rel("truncated metalog mean", d.mean(), mean, 1e-8);
    assert_rel("truncated metalog variance", d.variance(), var, 1e-6);
    let xs = check_continuous("metalog (30, 50, 90) on [25, 80]", &d, 950);
    assert!(xs.iter().all(|&x| (25.0..=80.0).contains(&x)));
}

#[test]
fn infeasible_metalog_quantiles_are_refused() {
    // Too skewed for an unbounded 3-term metalog (|a3| / a2 = 2.24 > 1.667, Keelin's limit)...
    let points = [(0.1, 1.0), (0.5, 2.0), (0.9, 20.0)];
    match metalog::fit(&points, 3, None, None) {
        Err(metalog::MetalogError::NotIncreasing { near }) => {
            assert!((0.0..=1.0).contains(&near), "{near}")
        }
        other => panic!("expected an infeasible fit, got {other:?}"),
    }
    // ...but fine bounded below at 0, where the skew is a log-scale spread (|a3| / a2 = 1.35).
    assert!(metalog::fit(&points, 3, Some(0.0), None).is_ok());
    // Five quantiles with a kink: the interpolating 5-term metalog turns down between them.
    let kinked = [
        (0.1, 10.0),
        (0.3, 11.0),
        (0.5, 30.0),
        (0.7, 31.0),
        (0.9, 50.0),
    ];
    assert!(matches!(
        metalog::fit(&kinked, 5, None, None),
        Err(metalog::MetalogError::NotIncreasing { .. })
    ));
    // A negative tail coefficient: the quantile function decreases in a tail.
    let e = Dist::new(
        Family::Metalog {
            coefficients: vec![0.0, -1.0],
            min: None,
            max: None,
            quantiles: Vec::new(),
        },
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(e.param, "quantiles");
    assert!(e.message.contains("decreases"), "{}", e.message);
    // Quantiles out of order cannot be interpolated by anything increasing.
    assert!(metalog::fit(&[(0.1, 5.0), (0.5, 4.0), (0.9, 6.0)], 3, None, None).is_err());
    // Too few points, too many terms, probabilities outside (0, 1), values outside the bounds.
    assert!(matches!(
        metalog::fit(&[(0.1, 1.0), (0.9, 2.0)], 3, None, None),
        Err(metalog::MetalogError::Invalid(_))
    ));
    assert!(metalog::fit(&points, 10, None, None).is_err());
    assert!(metalog::fit(&[(0.0, 1.0), (0.5, 2.0)], 2, None, None).is_err());
    assert!(metalog::fit(&points, 3, Some(1.5), None).is_err());
}

#[test]
fn heavy_metalog_tails_have_infinite_moments() {
    // Bounded below, x - min ~ (1 - y)^-B(1/2): B(1/2) = a2 + a3/2.
    let light = metalog(&[0.0, 0.3, 0.0], Some(0.0), None);
    assert!(light.mean().is_finite() && light.variance().is_finite());
    let heavy = metalog(&[0.0, 0.6, 0.0], Some(0.0), None);
    assert!(heavy.mean().is_finite());
    assert_eq!(heavy.variance(), f64::INFINITY);
    let heavier = metalog(&[0.0, 0.8, 0.6], Some(0.0), None);
    assert_eq!(heavier.mean(), f64::INFINITY);
    // The semi-bounded metalog with a2 = s and no other term is a log-logistic: for s < 1/2,
    // mean = (pi s) / sin(pi s) and E[X^2] = (2 pi s) / sin(2 pi s).
    let pi = std::f64::consts::PI;
    let s = 0.3;
    let mean = pi * s / (pi * s).sin();
    let second = 2.0 * pi * s / (2.0 * pi * s).sin();
    assert_rel("log-logistic mean", light.mean(), mean, 1e-11);
    assert_rel(
        "log-logistic variance",
        light.variance(),
        second - mean * mean,
        1e-10,
    );
}
