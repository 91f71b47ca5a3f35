//! Mixtures: draws, the law of total variance, truncation, atoms, quantile round trips and
//! refusals; then both composite families' names, timing and extreme parameters.

use super::metalogs::metalog_cases;
use super::*;

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
