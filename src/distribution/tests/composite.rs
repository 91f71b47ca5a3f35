//! Mixtures and metalogs: draws against the analytic or numerical mean, variance and CDF, CDF and
//! quantile round trips, fits that reproduce their quantiles, and refusals. Seeds are fixed and
//! tolerances come from the statistics (4 standard errors, the 0.1% KS critical value).

use super::*;

fn metalog(coefficients: &[f64], min: Option<f64>, max: Option<f64>) -> Dist {
    dist(Family::Metalog {
        coefficients: coefficients.to_vec(),
        min,
        max,
        quantiles: Vec::new(),
    })
}

fn fitted(points: &[(f64, f64)], terms: usize, min: Option<f64>, max: Option<f64>) -> Dist {
    let coefficients = metalog::fit(points, terms, min, max).expect("feasible");
    dist(Family::Metalog {
        coefficients,
        min,
        max,
        quantiles: points.to_vec(),
    })
}

fn component(weight: f64, family: Family) -> Component {
    Component {
        weight,
        family,
        lower: None,
        upper: None,
    }
}

fn mixture(components: Vec<Component>) -> Dist {
    dist(Family::Mixture { components })
}

/// sqrt(n) times the largest distance between the empirical and the true CDF, measured on both
/// sides of every distinct value, so atoms (many equal draws) are compared as jumps. For a CDF
/// with jumps the continuous critical value is conservative.
fn ks_with_atoms(d: &Dist, xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mut stat: f64 = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let x = sorted[i];
        let mut j = i;
        while j < sorted.len() && sorted[j] == x {
            j += 1;
        }
        let below = d.cdf(x.next_down());
        let at = d.cdf(x);
        stat = stat
            .max((i as f64 / n - below).abs())
            .max((j as f64 / n - at).abs());
        i = j;
    }
    stat * n.sqrt()
}

/// The mean and variance of Q(U) by the trapezoid rule over s = logit(y), far finer than the
/// module's own quadrature and with a different map: an independent reference.
fn moments_by_trapezoid(d: &Dist) -> (f64, f64) {
    let h = 1e-3;
    let q = |s: f64| {
        if s <= 0.0 {
            d.quantile_at(Tail::Lower(1.0 / (1.0 + (-s).exp())))
        } else {
            d.quantile_at(Tail::Upper(1.0 / (1.0 + s.exp())))
        }
    };
    let weight = |s: f64| {
        let e = (-s.abs()).exp();
        e / ((1.0 + e) * (1.0 + e))
    };
    let nodes: Vec<f64> = (-60_000..=60_000).map(|k| k as f64 * h).collect();
    let mean = nodes.iter().map(|&s| q(s) * weight(s)).sum::<f64>() * h;
    let var = nodes
        .iter()
        .map(|&s| (q(s) - mean).powi(2) * weight(s))
        .sum::<f64>()
        * h;
    (mean, var)
}

// ---------------------------------------------------------------------------------------------
// Metalog.

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
fn metalog_cases() -> Vec<(&'static str, Dist)> {
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

// ---------------------------------------------------------------------------------------------
// Mixture.

fn mixture_cases() -> Vec<(&'static str, Dist)> {
    vec![
        (
            "mixture bimodal normals 0.3/0.7",
            mixture(vec![
                component(0.3, Family::Normal { mean: 0.0, sd: 1.0 }),
                component(0.7, Family::Normal { mean: 5.0, sd: 2.0 }),
            ]),
        ),
        (
            "mixture pert 0.8 + lognormal 0.2",
            mixture(vec![
                component(
                    0.8,
                    Family::Pert {
                        min: 0.5,
                        mode: 1.0,
                        max: 3.0,
                        lambda: 4.0,
                    },
                ),
                component(
                    0.2,
                    Family::LogNormal {
                        mu: 6f64.ln(),
                        sigma: 0.3,
                    },
                ),
            ]),
        ),
        (
            "mixture of 3 with a metalog",
            mixture(vec![
                component(0.5, Family::Uniform { min: 0.0, max: 1.0 }),
                component(
                    0.25,
                    Family::Gamma {
                        shape: 3.0,
                        scale: 1.0,
                    },
                ),
                Component {
                    weight: 0.25,
                    family: Family::Metalog {
                        coefficients: vec![10.0, 1.0, 0.5],
                        min: None,
                        max: None,
                        quantiles: Vec::new(),
                    },
                    lower: Some(6.0),
                    upper: None,
                },
            ]),
        ),
        (
            "mixture truncated to [1, 8]",
            truncated(
                Family::Mixture {
                    components: vec![
                        component(
                            0.6,
                            Family::LogNormal {
                                mu: 0.5,
                                sigma: 0.8,
                            },
                        ),
                        component(0.4, Family::Normal { mean: 7.0, sd: 1.5 }),
                    ],
                },
                Some(1.0),
                Some(8.0),
            ),
        ),
    ]
}

#[test]
fn mixture_draws() {
    for (i, (label, d)) in mixture_cases().iter().enumerate() {
        check_continuous(label, d, 700 + i as u64);
    }
}

#[test]
fn mixture_moments_are_the_law_of_total_variance() {
    let d = &mixture_cases()[0].1;
    // 0.3 N(0, 1) + 0.7 N(5, 2^2): mean 3.5, variance 0.3 + 2.8 + 0.3 * 3.5^2 + 0.7 * 1.5^2.
    assert_rel("mean", d.mean(), 3.5, 1e-15);
    assert_rel("variance", d.variance(), 8.35, 1e-14);
    assert_eq!(d.support(), (f64::NEG_INFINITY, f64::INFINITY));
    assert_rel(
        "cdf",
        d.cdf(2.0),
        0.3 * norm_cdf(2.0) + 0.7 * norm_cdf(-1.5),
        1e-15,
    );
}

#[test]
fn truncated_mixture_matches_its_definition() {
    let (_, d) = mixture_cases().pop().unwrap();
    let whole = mixture(vec![
        component(
            0.6,
            Family::LogNormal {
                mu: 0.5,
                sigma: 0.8,
            },
        ),
        component(0.4, Family::Normal { mean: 7.0, sd: 1.5 }),
    ]);
    let mass = whole.cdf(8.0) - whole.cdf(1.0);
    for x in linspace(1.0, 8.0, 57) {
        let want = (whole.cdf(x) - whole.cdf(1.0)) / mass;
        assert!((d.cdf(x) - want).abs() < 1e-14, "cdf({x})");
    }
    assert_eq!(d.support(), (1.0, 8.0));
    // Moments by a fine midpoint rule over the truncated quantile function.
    let n = 400_000;
    let (mut s1, mut s2) = (0.0, 0.0);
    for i in 0..n {
        let x = d.quantile((i as f64 + 0.5) / n as f64);
        s1 += x;
        s2 += x * x;
    }
    let mean = s1 / n as f64;
    assert_rel("truncated mixture mean", d.mean(), mean, 1e-7);
    assert_rel(
        "truncated mixture variance",
        d.variance(),
        s2 / n as f64 - mean * mean,
        1e-5,
    );
}

#[test]
fn mixture_of_a_choice_and_a_continuous_family() {
    // Either no wait at all (60%) or a triangular wait, or one of two fixed wait times.
    let d = mixture(vec![
        component(0.6, Family::Fixed { value: 0.0 }),
        component(
            0.3,
            Family::Triangular {
                min: 10.0,
                mode: 20.0,
                max: 60.0,
            },
        ),
        component(
            0.1,
            Family::Choice {
                values: vec![30.0, 45.0],
                weights: vec![0.5, 0.5],
            },
        ),
    ]);
    assert!(!d.family().is_discrete());
    let xs = draws(&d, 808);
    let (z_mean, z_var) = moment_z(&d, &xs);
    let ks = ks_with_atoms(&d, &xs);
    let zeros = xs.iter().filter(|&&x| x == 0.0).count() as f64 / xs.len() as f64;
    let z_zero = (zeros - 0.6) / (0.6 * 0.4 / xs.len() as f64).sqrt();
    eprintln!(
        "STAT {:<34} z_mean {z_mean:+.3} z_var {z_var:+.3} ks {ks:.3} z_atom0 {z_zero:+.3}",
        "mixture fixed/triangular/choice"
    );
    assert!(z_mean.abs() < Z_LIMIT && z_var.abs() < Z_LIMIT && z_zero.abs() < Z_LIMIT);
    assert!(ks < KS_CRITICAL, "KS {ks}");
    // Atoms: the quantile lands on them exactly. (At p = 0.6 itself, the end of the flat
    // stretch F = 0.6 on [0, 10], the answer depends on the last bit of the weights' sum.)
    assert_eq!(d.quantile(0.3), 0.0);
    assert_eq!(d.quantile(0.6 - 1e-12), 0.0);
    // Above the median the quantile is read from the upper tail, 1 - F, which can differ
    // from the CDF's own sum in the last bit: the atom comes back to within rounding.
    for atom in [30.0, 45.0] {
        let back = d.quantile(d.cdf(atom));
        assert!((back - atom).abs() <= 1e-12 * atom, "{atom} -> {back}");
        assert_eq!(d.quantile(d.cdf(atom) - 1e-9), atom);
    }
    assert!(d.quantile(0.6 + 1e-9) > 10.0);
    // mean 0.3 * 30 + 0.1 * 37.5
    assert_rel("mean", d.mean(), 0.3 * 30.0 + 0.1 * 37.5, 1e-15);
}

#[test]
fn a_mixture_of_discrete_components_is_discrete() {
    let d = mixture(vec![
        component(0.5, Family::Bernoulli { p: 0.5 }),
        component(0.5, Family::Fixed { value: 2.0 }),
    ]);
    assert!(d.family().is_discrete());
    check_discrete(
        "mixture bernoulli/fixed",
        &d,
        809,
        &[(0.0, 0.25), (1.0, 0.25), (2.0, 0.5)],
    );
    assert_eq!(d.quantile(0.25), 0.0);
    assert_eq!(d.quantile(0.2500001), 1.0);
    assert_eq!(d.quantile(0.75), 2.0);
}

#[test]
fn mixture_quantile_inverts_cdf() {
    for (label, d) in mixture_cases() {
        let scale = d.variance().sqrt();
        let (lo, hi) = (d.quantile(1e-6), d.quantile(1.0 - 1e-6));
        for x in linspace(lo, hi, 301) {
            let back = d.quantile(d.cdf(x));
            assert!(
                (back - x).abs() <= 1e-9 * scale.max(x.abs()),
                "{label}: quantile(cdf({x})) = {back}"
            );
        }
        // x is the quantile to 1e-14 of itself: p lies between the CDF just below and just
        // above it (the CDF at x alone can be far from p where it is steep or jumps).
        for p in [1e-300, 1e-12, 0.25, 0.5, 0.75, 1.0 - 1e-12] {
            let x = d.quantile(p);
            let tol = 1e-14 * x.abs();
            let (left, right) = ((x - tol).next_down(), (x + tol).next_up());
            // Above the median, in terms of the survival function, as the quantile reads it.
            let ok = if p <= 0.5 {
                d.cdf(left) <= p && p <= d.cdf(right)
            } else {
                d.cdf_sf(right).1 <= 1.0 - p && 1.0 - p <= d.cdf_sf(left).1
            };
            assert!(ok, "{label}: quantile({p}) = {x} is not within 1e-14 of it");
        }
        // Upper tail probabilities keep their digits.
        let x = d.quantile_at(Tail::Upper(1e-100));
        if x < d.support().1 {
            assert_rel(&format!("{label} sf"), d.cdf_sf(x).1, 1e-100, 1e-9);
        }
    }
}

#[test]
fn mixture_with_a_gap_has_the_smallest_quantile() {
    // Nothing between 1 and 2: every p = 0.5 point of the flat CDF is a median, and the quantile
    // is the smallest.
    let d = mixture(vec![
        component(0.5, Family::Uniform { min: 0.0, max: 1.0 }),
        component(0.5, Family::Uniform { min: 2.0, max: 3.0 }),
    ]);
    assert_eq!(d.quantile(0.5), 1.0);
    assert_rel("q(0.75)", d.quantile(0.75), 2.5, 1e-15);
}

#[test]
fn mixture_draws_are_reproducible_and_one_component_is_that_component() {
    let (_, d) = mixture_cases().remove(1);
    assert_eq!(draws(&d, 5), draws(&d, 5));
    let one = mixture(vec![component(1.0, Family::Normal { mean: 2.0, sd: 3.0 })]);
    let plain = dist(Family::Normal { mean: 2.0, sd: 3.0 });
    assert_eq!(draws(&one, 6), draws(&plain, 6));
    // Zero weights are allowed and never drawn.
    let d = mixture(vec![
        component(0.0, Family::Fixed { value: 100.0 }),
        component(1.0, Family::Uniform { min: 0.0, max: 1.0 }),
    ]);
    assert!(draws(&d, 7).iter().all(|&x| x < 1.0));
    assert_eq!(d.support(), (0.0, 1.0));
}

#[test]
fn invalid_mixtures_say_why() {
    let normal = Family::Normal { mean: 0.0, sd: 1.0 };
    let err = |components: Vec<Component>, lower: Option<f64>| {
        Dist::new(Family::Mixture { components }, lower, None).unwrap_err()
    };
    let e = err(
        vec![
            component(0.5, normal.clone()),
            component(0.6, normal.clone()),
        ],
        None,
    );
    assert!(
        e.message.contains("weights must sum to 1, found 1.1"),
        "{e}"
    );
    let e = err(
        vec![
            component(-0.5, normal.clone()),
            component(1.5, normal.clone()),
        ],
        None,
    );
    assert!(e.message.contains("0 or more"), "{e}");
    let e = err(Vec::new(), None);
    assert!(e.message.contains("at least one component"), "{e}");
    let e = err(
        vec![component(
            1.0,
            Family::Mixture {
                components: vec![component(1.0, normal.clone())],
            },
        )],
        None,
    );
    assert!(e.message.contains("cannot itself be a mixture"), "{e}");
    let e = err(
        vec![
            component(0.5, normal.clone()),
            component(0.5, Family::Fixed { value: 1.0 }),
        ],
        Some(0.0),
    );
    assert_eq!(e.param, "lower");
    assert!(e.message.contains("component 2 is fixed"), "{e}");
    let e = err(vec![component(1.0, normal.clone())], Some(40.0));
    assert!(e.message.contains("at least 1e-6"), "{e}");
    let e = err(
        vec![component(
            1.0,
            Family::Normal {
                mean: 0.0,
                sd: -1.0,
            },
        )],
        None,
    );
    assert_eq!(e.param, "sd");
    assert!(e.message.starts_with("component 1: sd"), "{e}");
}

#[test]
fn mixture_and_metalog_names() {
    let m = Family::Mixture {
        components: vec![component(1.0, Family::Fixed { value: 1.0 })],
    };
    assert_eq!(m.name(), "mixture");
    assert!(m.is_discrete());
    let g = Family::Metalog {
        coefficients: vec![0.0, 1.0],
        min: None,
        max: None,
        quantiles: Vec::new(),
    };
    assert_eq!(g.name(), "metalog");
    assert!(!g.is_discrete());
}

/// ns per draw of the new families; run with
/// `cargo test --release --lib -- --ignored --nocapture composite_timing`.
#[test]
#[ignore]
fn composite_timing() {
    use std::hint::black_box;
    use std::time::Instant;
    let mut cases = mixture_cases();
    cases.extend(metalog_cases());
    for (label, d) in &cases {
        let mut rng = StreamRng::seed_from_u64(1);
        let mut out = vec![0.0; 2048];
        let rounds = 2000;
        let start = Instant::now();
        for _ in 0..rounds {
            d.fill(&mut rng, &mut out);
            black_box(&out);
        }
        let fill = start.elapsed().as_nanos() as f64 / (rounds * 2048) as f64;
        let start = Instant::now();
        let mut acc = 0.0;
        for i in 0..20_000 {
            acc += d.quantile((i as f64 + 0.5) / 20_000.0);
        }
        black_box(acc);
        let quantile = start.elapsed().as_nanos() as f64 / 20_000.0;
        eprintln!("TIME {label:<34} fill {fill:6.1} ns/draw  quantile {quantile:8.1} ns");
    }
}

#[test]
fn extreme_metalogs_and_mixtures_do_not_panic() {
    // Coefficients, bounds and quantiles across every scale: whatever Dist::new and fit accept
    // must sample, invert and integrate without panicking or hanging.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let scales = [0.0, 1e-300, 1e-12, 1e-3, 0.3, 1.0, 7.0, 1e3, 1e12, 1e300];
    let mut pick = move || {
        let r = next();
        let v = scales[(r % scales.len() as u64) as usize];
        if r & 1 << 40 != 0 { -v } else { v }
    };
    let mut accepted = 0;
    for case in 0..800 {
        let terms = 2 + case % 8;
        let coefficients: Vec<f64> = (0..terms).map(|_| pick()).collect();
        let (min, max) = match case % 4 {
            0 => (None, None),
            1 => (Some(pick()), None),
            2 => (None, Some(pick())),
            _ => (Some(pick()), Some(pick())),
        };
        let family = Family::Metalog {
            coefficients,
            min,
            max,
            quantiles: Vec::new(),
        };
        let Ok(d) = Dist::new(family.clone(), None, None) else {
            continue;
        };
        accepted += 1;
        let mut out = vec![0.0; 64];
        d.fill(&mut StreamRng::seed_from_u64(case as u64), &mut out);
        for p in [1e-300, 1e-9, 0.3, 0.5, 0.9, 1.0 - 1e-9] {
            let x = d.quantile(p);
            let _ = d.cdf(x);
        }
        let _ = (d.mean(), d.variance());
        let (lo, hi) = (d.quantile(0.2), d.quantile(0.7));
        if lo < hi
            && lo.is_finite()
            && hi.is_finite()
            && let Ok(t) = Dist::new(family.clone(), Some(lo), Some(hi))
        {
            t.fill(&mut StreamRng::seed_from_u64(1), &mut out);
            let _ = (t.mean(), t.variance(), t.quantile(0.5));
        }
        let mixture = Family::Mixture {
            components: vec![
                component(0.5, family),
                component(
                    0.5,
                    Family::Normal {
                        mean: pick(),
                        sd: 1.0,
                    },
                ),
            ],
        };
        if let Ok(m) = Dist::new(mixture, None, None) {
            m.fill(&mut StreamRng::seed_from_u64(2), &mut out);
            let _ = (m.quantile(0.01), m.quantile(0.99), m.cdf(0.0), m.mean());
        }
        // Fits to quantiles at every scale.
        let mut xs: Vec<f64> = (0..terms).map(|_| pick()).collect();
        xs.sort_by(f64::total_cmp);
        let points: Vec<(f64, f64)> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| ((i as f64 + 0.5) / terms as f64, x))
            .collect();
        let _ = metalog::fit(&points, terms, min, max);
    }
    eprintln!("STAT extreme metalogs: {accepted} of 800 accepted");
    assert!(accepted > 30, "only {accepted} metalogs accepted");
}
