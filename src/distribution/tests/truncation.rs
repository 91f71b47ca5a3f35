//! Truncation: truncated moments against quadrature, draws, and the switch to the inverse CDF.

use super::*;

/// Truncated cases with mean, variance and kept mass computed independently by 40-digit
/// quadrature of the density in mpmath 1.3.
pub(super) fn truncated_cases() -> Vec<(&'static str, Dist, f64, f64, f64)> {
    vec![
        (
            "normal(10, 2) on [9, 14]",
            truncated(
                Family::Normal {
                    mean: 10.0,
                    sd: 2.0,
                },
                Some(9.0),
                Some(14.0),
            ),
            10.89148755654503,
            1.5063753445473436,
            0.6687123293258339,
        ),
        (
            "normal(0, 1) on [4, inf)",
            truncated(Family::Normal { mean: 0.0, sd: 1.0 }, Some(4.0), None),
            4.225607144489471,
            0.04667283839742263,
            3.1671241833119924e-05,
        ),
        (
            "lognormal(0, 0.5) on (0, 2]",
            truncated(
                Family::LogNormal {
                    mu: 0.0,
                    sigma: 0.5,
                },
                None,
                Some(2.0),
            ),
            1.0035452704981864,
            0.16199501305609976,
            0.9171714809983015,
        ),
        (
            "lognormal(1, 3) on [0.5, 1000]",
            truncated(
                Family::LogNormal {
                    mu: 1.0,
                    sigma: 3.0,
                },
                Some(0.5),
                Some(1000.0),
            ),
            53.655824101960924,
            16688.22688487209,
            0.6892909468546798,
        ),
        (
            // exp(2 mu + 2 sigma^2) overflows here and Phi(b - 2 sigma) underflows: the
            // truncated moments must come out of the logarithms.
            "lognormal(0, 30) on [1, 1e6]",
            truncated(
                Family::LogNormal {
                    mu: 0.0,
                    sigma: 30.0,
                },
                Some(1.0),
                Some(1e6),
            ),
            68381.39640928248,
            29279485525.092716,
            0.17742742063363695,
        ),
        (
            // Mass near 0 but the mean near the upper bound: each partial moment needs its own
            // differencing side.
            "gamma(0.001, 1) on [1e-100, 1e-50]",
            truncated(
                Family::Gamma {
                    shape: 0.001,
                    scale: 1.0,
                },
                Some(1e-100),
                Some(1e-50),
            ),
            9.186295328502466e-53,
            4.511055068507833e-103,
            0.09697858513862591,
        ),
        (
            "gamma(2.5, 1.5) on [1, 6]",
            truncated(
                Family::Gamma {
                    shape: 2.5,
                    scale: 1.5,
                },
                Some(1.0),
                Some(6.0),
            ),
            3.1680915640374114,
            1.7482959776449676,
            0.7752289895557433,
        ),
        (
            "gamma(3, 1) on [12, inf)",
            truncated(
                Family::Gamma {
                    shape: 3.0,
                    scale: 1.0,
                },
                Some(12.0),
                None,
            ),
            13.16470588235294,
            1.3258131487889273,
            0.0005222580500328978,
        ),
        (
            "beta(2, 5) on [0, 10] cut to [3, 8]",
            truncated(
                Family::Beta {
                    alpha: 2.0,
                    beta: 5.0,
                    min: 0.0,
                    max: 10.0,
                },
                Some(3.0),
                Some(8.0),
            ),
            4.384928456241841,
            1.1345815106108788,
            0.418575,
        ),
        (
            "pert(0, 3, 10, 4) on [8, 10]",
            truncated(
                Family::Pert {
                    min: 0.0,
                    mode: 3.0,
                    max: 10.0,
                    lambda: 4.0,
                },
                Some(8.0),
                None,
            ),
            8.432944425177125,
            0.11909889532690891,
            0.010962248693991926,
        ),
        (
            "triangular(0, 2, 10) on [1, 5]",
            truncated(
                Family::Triangular {
                    min: 0.0,
                    mode: 2.0,
                    max: 10.0,
                },
                Some(1.0),
                Some(5.0),
            ),
            2.954248366013072,
            1.1841812977914477,
            0.6375,
        ),
        (
            "triangular(0, 2, 10) on [6, inf)",
            truncated(
                Family::Triangular {
                    min: 0.0,
                    mode: 2.0,
                    max: 10.0,
                },
                Some(6.0),
                None,
            ),
            7.333333333333333,
            0.8888888888888888,
            0.2,
        ),
        (
            "weibull(1.5, 4) on [2, 10]",
            truncated(
                Family::Weibull {
                    shape: 1.5,
                    scale: 4.0,
                },
                Some(2.0),
                Some(10.0),
            ),
            4.461559314036245,
            3.4624947549061007,
            0.6829885411715501,
        ),
        (
            "exponential(3) on [5, inf)",
            truncated(Family::Exponential { mean: 3.0 }, Some(5.0), None),
            8.0,
            9.0,
            0.18887560283756183,
        ),
        (
            "uniform(0, 10) on [2, 12]",
            truncated(
                Family::Uniform {
                    min: 0.0,
                    max: 10.0,
                },
                Some(2.0),
                Some(12.0),
            ),
            6.0,
            5.333333333333333,
            0.8,
        ),
    ]
}

#[test]
fn truncated_moments_match_quadrature() {
    for (label, d, mean, var, mass) in truncated_cases() {
        assert_rel(&format!("{label} mean"), d.mean(), mean, 1e-10);
        assert_rel(&format!("{label} variance"), d.variance(), var, 1e-10);
        let t = d.trunc.expect("truncated");
        assert_rel(&format!("{label} mass"), t.mass, mass, 1e-12);
    }
}

#[test]
fn truncated_draws() {
    for (i, (label, d, _, _, _)) in truncated_cases().into_iter().enumerate() {
        let (lower, upper) = d.bounds();
        let xs = check_continuous(label, &d, 200 + i as u64);
        let lo = lower.unwrap_or(f64::NEG_INFINITY);
        let hi = upper.unwrap_or(f64::INFINITY);
        assert!(
            xs.iter().all(|&x| x >= lo && x <= hi),
            "{label}: draw outside bounds"
        );
    }
}

#[test]
fn truncation_picks_inverse_cdf_for_small_mass() {
    let by_inverse = |d: &Dist| d.trunc.map(|t| t.by_inverse);
    let cases = truncated_cases();
    let find = |name: &str| &cases.iter().find(|c| c.0 == name).unwrap().1;
    assert_eq!(by_inverse(find("normal(0, 1) on [4, inf)")), Some(true));
    assert_eq!(by_inverse(find("gamma(3, 1) on [12, inf)")), Some(true));
    assert_eq!(by_inverse(find("normal(10, 2) on [9, 14]")), Some(false));
    assert_eq!(
        by_inverse(find("pert(0, 3, 10, 4) on [8, 10]")),
        Some(false)
    );
    assert_eq!(by_inverse(find("exponential(3) on [5, inf)")), Some(true));
    assert_eq!(by_inverse(find("weibull(1.5, 4) on [2, 10]")), Some(false));
}

#[test]
fn truncation_near_the_mass_floor_samples_correctly() {
    // Keeps about 2e-6 of the mass: rejection would need ~500,000 tries per draw.
    let d = truncated(Family::Normal { mean: 0.0, sd: 1.0 }, None, Some(-4.6));
    let t = d.trunc.unwrap();
    assert_rel("mass", t.mass, 2.1124547025028533e-06, 1e-12);
    let xs = check_continuous("normal(0, 1) on (-inf, -4.6]", &d, 250);
    assert!(xs.iter().all(|&x| x <= -4.6));
}
