//! Invalid parameters: each error names its parameter and says what was expected.

use super::*;

#[test]
fn invalid_parameters_name_the_parameter() {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let cases: Vec<(Family, Option<f64>, Option<f64>, &str)> = vec![
        (Family::Normal { mean: 0.0, sd: 0.0 }, None, None, "sd"),
        (
            Family::Normal {
                mean: 0.0,
                sd: -1.0,
            },
            None,
            None,
            "sd",
        ),
        (Family::Normal { mean: nan, sd: 1.0 }, None, None, "mean"),
        (
            Family::LogNormal {
                mu: 0.0,
                sigma: -0.1,
            },
            None,
            None,
            "sigma",
        ),
        (
            Family::LogNormal {
                mu: inf,
                sigma: 1.0,
            },
            None,
            None,
            "mu",
        ),
        (Family::Uniform { min: 5.0, max: 3.0 }, None, None, "max"),
        (Family::Uniform { min: 3.0, max: 3.0 }, None, None, "max"),
        (
            Family::Uniform {
                min: -inf,
                max: 3.0,
            },
            None,
            None,
            "min",
        ),
        (Family::Fixed { value: nan }, None, None, "value"),
        (
            Family::Triangular {
                min: 0.0,
                mode: 11.0,
                max: 10.0,
            },
            None,
            None,
            "mode",
        ),
        (
            Family::Triangular {
                min: 0.0,
                mode: -1.0,
                max: 10.0,
            },
            None,
            None,
            "mode",
        ),
        (
            Family::Triangular {
                min: 10.0,
                mode: 5.0,
                max: 0.0,
            },
            None,
            None,
            "max",
        ),
        (
            Family::Pert {
                min: 0.0,
                mode: 5.0,
                max: 10.0,
                lambda: 0.0,
            },
            None,
            None,
            "lambda",
        ),
        (
            Family::Pert {
                min: 0.0,
                mode: nan,
                max: 10.0,
                lambda: 4.0,
            },
            None,
            None,
            "mode",
        ),
        (
            Family::Beta {
                alpha: -2.0,
                beta: 1.0,
                min: 0.0,
                max: 1.0,
            },
            None,
            None,
            "alpha",
        ),
        (
            Family::Beta {
                alpha: 2.0,
                beta: inf,
                min: 0.0,
                max: 1.0,
            },
            None,
            None,
            "beta",
        ),
        (Family::Exponential { mean: 0.0 }, None, None, "mean"),
        (
            Family::Gamma {
                shape: 0.0,
                scale: 1.0,
            },
            None,
            None,
            "shape",
        ),
        (
            Family::Gamma {
                shape: 1.0,
                scale: -3.0,
            },
            None,
            None,
            "scale",
        ),
        (
            Family::Weibull {
                shape: nan,
                scale: 1.0,
            },
            None,
            None,
            "shape",
        ),
        (Family::Bernoulli { p: 1.5 }, None, None, "p"),
        (Family::Bernoulli { p: -0.1 }, None, None, "p"),
        (Family::Bernoulli { p: nan }, None, None, "p"),
        (
            Family::Choice {
                values: vec![1.0, 2.0],
                weights: vec![0.5, 0.4],
            },
            None,
            None,
            "weights",
        ),
        (
            Family::Choice {
                values: vec![1.0, 2.0, 3.0],
                weights: vec![0.6, -0.1, 0.5],
            },
            None,
            None,
            "weights",
        ),
        (
            Family::Choice {
                values: vec![1.0, 2.0],
                weights: vec![1.0],
            },
            None,
            None,
            "weights",
        ),
        (
            Family::Choice {
                values: vec![1.0, nan],
                weights: vec![0.5, 0.5],
            },
            None,
            None,
            "values",
        ),
        (
            Family::Choice {
                values: vec![],
                weights: vec![],
            },
            None,
            None,
            "values",
        ),
        (
            Family::Choice {
                values: vec![1.0, 2.0],
                weights: vec![0.5, nan],
            },
            None,
            None,
            "weights",
        ),
        (Family::Empirical { values: vec![] }, None, None, "values"),
        (
            Family::Empirical {
                values: vec![1.0, inf],
            },
            None,
            None,
            "values",
        ),
        // Truncation.
        (Family::Bernoulli { p: 0.5 }, Some(0.0), None, "lower"),
        (Family::Fixed { value: 1.0 }, None, Some(2.0), "upper"),
        (
            Family::Empirical {
                values: vec![1.0, 2.0],
            },
            Some(0.0),
            Some(3.0),
            "lower",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(2.0),
            Some(1.0),
            "upper",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(nan),
            None,
            "lower",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            None,
            Some(inf),
            "upper",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(5.0),
            None,
            "lower",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            None,
            Some(-5.0),
            "upper",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(5.0),
            Some(6.0),
            "lower",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(-6.0),
            Some(-5.0),
            "upper",
        ),
        (
            Family::Normal { mean: 0.0, sd: 1.0 },
            Some(0.1),
            Some(0.1000001),
            "lower",
        ),
        (
            Family::Gamma {
                shape: 2.0,
                scale: 1.0,
            },
            None,
            Some(-1.0),
            "upper",
        ),
        (
            Family::Uniform { min: 0.0, max: 1.0 },
            Some(2.0),
            Some(3.0),
            "lower",
        ),
    ];
    for (family, lower, upper, param) in cases {
        let label = format!("{family:?} lower {lower:?} upper {upper:?}");
        match Dist::new(family, lower, upper) {
            Ok(_) => panic!("{label}: accepted"),
            Err(e) => {
                assert_eq!(e.param, param, "{label}: {}", e.message);
                assert!(
                    e.message.starts_with(param) || e.message.starts_with("lower and upper"),
                    "{label}: message {:?} does not start with the parameter",
                    e.message
                );
                assert_eq!(
                    e.message,
                    e.message.to_lowercase(),
                    "{label}: not lower-case"
                );
            }
        }
    }
}

#[test]
fn error_messages_say_what_was_expected() {
    let msg =
        |f: Family, lo: Option<f64>, hi: Option<f64>| Dist::new(f, lo, hi).unwrap_err().message;
    assert_eq!(
        msg(
            Family::Normal {
                mean: 0.0,
                sd: -1.0
            },
            None,
            None
        ),
        "sd must be greater than 0, found -1"
    );
    assert_eq!(
        msg(Family::Uniform { min: 5.0, max: 3.0 }, None, None),
        "max must be greater than min (5), found 3"
    );
    assert_eq!(
        msg(
            Family::Choice {
                values: vec![1.0, 2.0],
                weights: vec![0.5, 0.4]
            },
            None,
            None
        ),
        "weights must sum to 1, found 0.9"
    );
    assert_eq!(
        msg(Family::Normal { mean: 0.0, sd: 1.0 }, Some(5.0), None),
        "lower leaves only 2.87e-7 of the probability mass above it; at least 1e-6 is needed"
    );
    assert_eq!(
        msg(Family::Bernoulli { p: 0.5 }, Some(0.0), None),
        "lower is only allowed on continuous distributions, and bernoulli is discrete"
    );
}

#[test]
fn weights_within_tolerance_are_accepted() {
    let d = Dist::new(
        Family::Choice {
            values: vec![1.0, 2.0, 3.0],
            weights: vec![0.1, 0.2, 0.7 + 5e-10],
        },
        None,
        None,
    );
    assert!(d.is_ok());
}
