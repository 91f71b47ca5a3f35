//! Moments and goodness of fit for every family: draws against the analytic mean, variance and CDF.

use super::*;

#[test]
fn uniform_draws() {
    check_continuous(
        "uniform(-2, 5)",
        &dist(Family::Uniform {
            min: -2.0,
            max: 5.0,
        }),
        101,
    );
}

#[test]
fn normal_draws() {
    check_continuous(
        "normal(10, 3)",
        &dist(Family::Normal {
            mean: 10.0,
            sd: 3.0,
        }),
        102,
    );
}

#[test]
fn lognormal_draws() {
    check_continuous(
        "lognormal(1, 0.5)",
        &dist(Family::LogNormal {
            mu: 1.0,
            sigma: 0.5,
        }),
        103,
    );
}

#[test]
fn triangular_draws() {
    let d = dist(Family::Triangular {
        min: 1.0,
        mode: 3.0,
        max: 10.0,
    });
    check_continuous("triangular(1, 3, 10)", &d, 104);
    let d = dist(Family::Triangular {
        min: 0.0,
        mode: 0.0,
        max: 1.0,
    });
    check_continuous("triangular(0, 0, 1)", &d, 105);
    let d = dist(Family::Triangular {
        min: -4.0,
        mode: 2.0,
        max: 2.0,
    });
    check_continuous("triangular(-4, 2, 2)", &d, 106);
}

#[test]
fn pert_draws() {
    let d = dist(Family::Pert {
        min: 2.0,
        mode: 5.0,
        max: 20.0,
        lambda: 4.0,
    });
    check_continuous("pert(2, 5, 20, 4)", &d, 107);
    let d = dist(Family::Pert {
        min: 0.0,
        mode: 10.0,
        max: 10.0,
        lambda: 2.0,
    });
    check_continuous("pert(0, 10, 10, 2)", &d, 108);
}

#[test]
fn pert_mean_is_the_modified_pert_formula() {
    for &(min, mode, max, lambda) in &[
        (2.0, 5.0, 20.0, 4.0),
        (0.0, 10.0, 10.0, 2.0),
        (-3.0, -2.5, 7.0, 6.5),
    ] {
        let d = dist(Family::Pert {
            min,
            mode,
            max,
            lambda,
        });
        assert_rel(
            "pert mean",
            d.mean(),
            (min + lambda * mode + max) / (lambda + 2.0),
            1e-14,
        );
    }
}

#[test]
fn beta_draws() {
    let d = dist(Family::Beta {
        alpha: 2.0,
        beta: 5.0,
        min: 0.0,
        max: 1.0,
    });
    check_continuous("beta(2, 5) on [0, 1]", &d, 109);
    // Both shapes below 1: the logarithmic path of the sampler, U-shaped density.
    let d = dist(Family::Beta {
        alpha: 0.5,
        beta: 0.3,
        min: -1.0,
        max: 1.0,
    });
    check_continuous("beta(0.5, 0.3) on [-1, 1]", &d, 110);
    // Bounded density but a peak narrower than the strip tables resolve: the gamma ratio.
    let d = dist(Family::Beta {
        alpha: 2000.0,
        beta: 3000.0,
        min: 0.0,
        max: 1.0,
    });
    check_continuous("beta(2000, 3000) on [0, 1]", &d, 111);
    // Flat: every strip accepts by the squeeze alone.
    let d = dist(Family::Beta {
        alpha: 1.0,
        beta: 1.0,
        min: 3.0,
        max: 4.0,
    });
    check_continuous("beta(1, 1) on [3, 4]", &d, 112);
}

#[test]
fn exponential_draws() {
    check_continuous(
        "exponential(2.5)",
        &dist(Family::Exponential { mean: 2.5 }),
        111,
    );
}

#[test]
fn gamma_draws() {
    for (i, &(shape, scale)) in [(0.4, 2.0), (1.0, 1.0), (3.5, 0.5), (50.0, 1.0)]
        .iter()
        .enumerate()
    {
        let d = dist(Family::Gamma { shape, scale });
        check_continuous(&format!("gamma({shape}, {scale})"), &d, 112 + i as u64);
    }
}

#[test]
fn weibull_draws() {
    for (i, &(shape, scale)) in [(0.7, 3.0), (2.5, 10.0)].iter().enumerate() {
        let d = dist(Family::Weibull { shape, scale });
        check_continuous(&format!("weibull({shape}, {scale})"), &d, 120 + i as u64);
    }
}

#[test]
fn fixed_draws() {
    let d = dist(Family::Fixed { value: 4.2 });
    let xs = draws(&d, 130);
    assert!(xs.iter().all(|&x| x == 4.2));
    assert_eq!((d.mean(), d.variance()), (4.2, 0.0));
    assert_eq!((d.cdf(4.1999), d.cdf(4.2)), (0.0, 1.0));
    assert_eq!(d.quantile(0.3), 4.2);
}

#[test]
fn bernoulli_draws() {
    let d = dist(Family::Bernoulli { p: 0.3 });
    check_discrete("bernoulli(0.3)", &d, 131, &[(0.0, 0.7), (1.0, 0.3)]);
    for &p in &[0.0, 1.0] {
        let d = dist(Family::Bernoulli { p });
        assert!(draws(&d, 132).iter().all(|&x| x == p));
        assert_eq!(d.support(), (p, p));
    }
}

#[test]
fn choice_draws() {
    // A repeated value (2) and a zero weight (7, which must never be drawn).
    let d = dist(Family::Choice {
        values: vec![1.0, 2.0, 5.0, 2.0, 9.0, 7.0],
        weights: vec![0.1, 0.2, 0.3, 0.15, 0.25, 0.0],
    });
    let expected = [(1.0, 0.1), (2.0, 0.35), (5.0, 0.3), (9.0, 0.25)];
    check_discrete("choice(1, 2, 5, 2, 9, 7)", &d, 133, &expected);
    let mut cum = 0.0;
    for &(v, p) in &expected {
        cum += p;
        assert!((d.cdf(v) - cum).abs() < 1e-15);
        assert_eq!(d.quantile(cum - 1e-9), v);
    }
    assert_eq!(d.support(), (1.0, 9.0));
}

#[test]
fn empirical_draws() {
    let values = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0];
    let d = dist(Family::Empirical {
        values: values.clone(),
    });
    let n = values.len() as f64;
    let expected: Vec<(f64, f64)> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 9.0]
        .iter()
        .map(|&v| (v, values.iter().filter(|&&x| x == v).count() as f64 / n))
        .collect();
    check_discrete("empirical(11 values)", &d, 134, &expected);
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    assert_rel("empirical mean", d.mean(), mean, 1e-15);
    assert_rel("empirical variance", d.variance(), var, 1e-14);
}
