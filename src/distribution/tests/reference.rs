//! CDFs and moments against statrs.

use super::*;

fn compare_cdf(label: &str, d: &Dist, reference: impl Fn(f64) -> f64, from: f64, to: f64) {
    let mut worst: f64 = 0.0;
    for x in linspace(from, to, 401) {
        let (ours, theirs) = (d.cdf(x), reference(x));
        let diff = (ours - theirs).abs();
        worst = worst.max(diff);
        assert!(diff <= 1e-9, "{label}: cdf({x}) = {ours}, statrs {theirs}");
    }
    eprintln!("STAT cdf vs statrs {label:<24} max abs diff {worst:.1e}");
}

#[test]
fn cdf_matches_statrs() {
    let normal = sd::Normal::new(10.0, 3.0).unwrap();
    compare_cdf(
        "normal",
        &dist(Family::Normal {
            mean: 10.0,
            sd: 3.0,
        }),
        |x| normal.cdf(x),
        -15.0,
        35.0,
    );

    let lognormal = sd::LogNormal::new(1.0, 0.5).unwrap();
    let d = dist(Family::LogNormal {
        mu: 1.0,
        sigma: 0.5,
    });
    compare_cdf("lognormal", &d, |x| lognormal.cdf(x), -1.0, 30.0);

    let triangular = sd::Triangular::new(1.0, 10.0, 3.0).unwrap();
    let d = dist(Family::Triangular {
        min: 1.0,
        mode: 3.0,
        max: 10.0,
    });
    compare_cdf("triangular", &d, |x| triangular.cdf(x), 0.0, 11.0);

    for &(a, b) in &[(2.0, 5.0), (0.5, 0.3), (30.0, 12.0)] {
        let beta = sd::Beta::new(a, b).unwrap();
        let d = dist(Family::Beta {
            alpha: a,
            beta: b,
            min: -1.0,
            max: 3.0,
        });
        compare_cdf(
            &format!("beta({a}, {b})"),
            &d,
            |x| beta.cdf((x + 1.0) / 4.0),
            -1.5,
            3.5,
        );
    }

    let exp = sd::Exp::new(1.0 / 2.5).unwrap();
    compare_cdf(
        "exponential",
        &dist(Family::Exponential { mean: 2.5 }),
        |x| exp.cdf(x),
        -1.0,
        40.0,
    );

    for &(shape, scale) in &[(0.4, 2.0), (3.5, 0.5), (50.0, 1.0)] {
        let gamma = sd::Gamma::new(shape, 1.0 / scale).unwrap();
        let d = dist(Family::Gamma { shape, scale });
        let to = (shape + 12.0 * shape.sqrt() + 10.0) * scale;
        compare_cdf(
            &format!("gamma({shape}, {scale})"),
            &d,
            |x| gamma.cdf(x),
            -1.0,
            to,
        );
    }

    for &(shape, scale) in &[(0.7, 3.0), (2.5, 10.0)] {
        let weibull = sd::Weibull::new(shape, scale).unwrap();
        let d = dist(Family::Weibull { shape, scale });
        compare_cdf(
            &format!("weibull({shape}, {scale})"),
            &d,
            |x| weibull.cdf(x),
            -1.0,
            20.0 * scale,
        );
    }

    let uniform = sd::Uniform::new(-2.0, 5.0).unwrap();
    let d = dist(Family::Uniform {
        min: -2.0,
        max: 5.0,
    });
    compare_cdf("uniform", &d, |x| uniform.cdf(x), -3.0, 6.0);

    // PERT is a beta on the rescaled variable: shapes 1 + 4 (5 - 2)/18 and 1 + 4 (20 - 5)/18.
    let pert = sd::Beta::new(1.0 + 4.0 * 3.0 / 18.0, 1.0 + 4.0 * 15.0 / 18.0).unwrap();
    let d = dist(Family::Pert {
        min: 2.0,
        mode: 5.0,
        max: 20.0,
        lambda: 4.0,
    });
    compare_cdf("pert", &d, |x| pert.cdf((x - 2.0) / 18.0), 1.0, 21.0);
}

#[test]
fn moments_match_statrs() {
    fn check(label: &str, d: &Dist, mean: Option<f64>, var: Option<f64>) {
        assert_rel(&format!("{label} mean"), d.mean(), mean.unwrap(), 1e-12);
        assert_rel(
            &format!("{label} variance"),
            d.variance(),
            var.unwrap(),
            1e-12,
        );
    }
    let s = sd::Normal::new(10.0, 3.0).unwrap();
    check(
        "normal",
        &dist(Family::Normal {
            mean: 10.0,
            sd: 3.0,
        }),
        s.mean(),
        s.variance(),
    );
    let s = sd::LogNormal::new(1.0, 0.5).unwrap();
    check(
        "lognormal",
        &dist(Family::LogNormal {
            mu: 1.0,
            sigma: 0.5,
        }),
        s.mean(),
        s.variance(),
    );
    let s = sd::Triangular::new(1.0, 10.0, 3.0).unwrap();
    let d = dist(Family::Triangular {
        min: 1.0,
        mode: 3.0,
        max: 10.0,
    });
    check("triangular", &d, s.mean(), s.variance());
    let s = sd::Beta::new(2.0, 5.0).unwrap();
    let d = dist(Family::Beta {
        alpha: 2.0,
        beta: 5.0,
        min: 0.0,
        max: 1.0,
    });
    check("beta", &d, s.mean(), s.variance());
    let s = sd::Exp::new(0.4).unwrap();
    check(
        "exponential",
        &dist(Family::Exponential { mean: 2.5 }),
        s.mean(),
        s.variance(),
    );
    let s = sd::Gamma::new(3.5, 2.0).unwrap();
    check(
        "gamma",
        &dist(Family::Gamma {
            shape: 3.5,
            scale: 0.5,
        }),
        s.mean(),
        s.variance(),
    );
    for &(shape, scale) in &[(0.7, 3.0), (2.5, 10.0)] {
        let s = sd::Weibull::new(shape, scale).unwrap();
        check(
            "weibull",
            &dist(Family::Weibull { shape, scale }),
            s.mean(),
            s.variance(),
        );
    }
    // Large shapes: Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 cancels, and statrs's variance is off by
    // 2.7e-12 at k = 40, so the reference is mpmath (40 digits).
    let d = dist(Family::Weibull {
        shape: 40.0,
        scale: 1.0,
    });
    check(
        "weibull(40)",
        &d,
        Some(0.9861739631482538),
        Some(0.0009651799712423244),
    );
    let s = sd::Uniform::new(-2.0, 5.0).unwrap();
    check(
        "uniform",
        &dist(Family::Uniform {
            min: -2.0,
            max: 5.0,
        }),
        s.mean(),
        s.variance(),
    );
}
