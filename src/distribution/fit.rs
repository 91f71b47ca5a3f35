//! Fitting distributions: to an expert's quantiles ("P10 = 40, P50 = 50, P90 = 65") and to
//! observed data (maximum likelihood where it exists, ranked by AIC and a Kolmogorov-Smirnov
//! distance).

use super::{Dist, Family};
use crate::numeric::optimize::nelder_mead;
use crate::numeric::roots::newton_steps;
use crate::numeric::special::{digamma, ln_gamma, norm_quantile, trigamma};

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("give at least two quantiles, e.g. p10 and p90")]
    TooFewQuantiles,
    #[error("quantiles must increase with their probability (p10 < p50 < p90)")]
    NotIncreasing,
    #[error("lognormal quantiles must be greater than 0")]
    LognormalNotPositive,
    #[error("{0} needs three quantiles, e.g. p10, p50 and p90")]
    NeedsThree(String),
    #[error("{0} cannot be fitted to quantiles; use normal, lognormal, triangular or pert")]
    NotByQuantiles(String),
    /// The fitted parameters are not a valid member of the family.
    #[error("{0}")]
    Invalid(String),
    /// The closest member of the family misses one of the given quantiles.
    #[error("{}", self.describe(crate::format::trim_number))]
    NoSuchMember {
        family: String,
        probability: f64,
        fitted: f64,
        given: f64,
    },
    #[error("fit failed")]
    Failed,
    #[error("need at least 5 finite values to fit, found {0}")]
    TooFewValues(usize),
    #[error("all values are the same: nothing to fit (use a fixed input)")]
    AllTheSame,
}

impl FitError {
    /// The message with its values written by `show` (in the input's unit, for a scenario).
    pub fn describe(&self, show: impl Fn(f64) -> String) -> String {
        match self {
            FitError::NoSuchMember {
                family,
                probability,
                fitted,
                given,
            } => format!(
                "no {family} has these quantiles: the best fit puts P{} at {} instead of {}; try {}",
                (probability * 100.0).round(),
                show(*fitted),
                show(*given),
                if family == "normal" {
                    "lognormal, triangular or pert"
                } else {
                    "another family"
                }
            ),
            other => other.to_string(),
        }
    }
}

/// Fits `family` so that its quantiles at the given probabilities are the given values.
/// Normal and lognormal take two quantiles (a third must agree); triangular and PERT take three.
pub fn from_quantiles(family: &str, quantiles: &[(f64, f64)]) -> Result<Family, FitError> {
    let mut q: Vec<(f64, f64)> = quantiles.to_vec();
    q.sort_by(|a, b| a.0.total_cmp(&b.0));
    if q.len() < 2 {
        return Err(FitError::TooFewQuantiles);
    }
    if q.windows(2).any(|w| w[1].1 <= w[0].1) {
        return Err(FitError::NotIncreasing);
    }
    let (lo, hi) = (q[0], q[q.len() - 1]);
    let fitted = match family {
        "normal" => {
            let (z_lo, z_hi) = (norm_quantile(lo.0), norm_quantile(hi.0));
            let sd = (hi.1 - lo.1) / (z_hi - z_lo);
            Family::Normal {
                mean: lo.1 - z_lo * sd,
                sd,
            }
        }
        "lognormal" => {
            if lo.1 <= 0.0 {
                return Err(FitError::LognormalNotPositive);
            }
            let (z_lo, z_hi) = (norm_quantile(lo.0), norm_quantile(hi.0));
            let sigma = (hi.1.ln() - lo.1.ln()) / (z_hi - z_lo);
            Family::LogNormal {
                mu: lo.1.ln() - z_lo * sigma,
                sigma,
            }
        }
        "triangular" | "pert" => {
            if q.len() != 3 {
                return Err(FitError::NeedsThree(family.to_owned()));
            }
            three_point(family, &q)?
        }
        other => {
            return Err(FitError::NotByQuantiles(other.to_owned()));
        }
    };
    // Every given quantile must be reproduced (the third of a two-parameter family included).
    let dist = Dist::new(fitted.clone(), None, None).map_err(|e| FitError::Invalid(e.message))?;
    let spread = hi.1 - lo.1;
    for &(p, x) in &q {
        let got = dist.quantile(p);
        if (got - x).abs() > 1e-3 * spread {
            return Err(FitError::NoSuchMember {
                family: family.to_owned(),
                probability: p,
                fitted: got,
                given: x,
            });
        }
    }
    Ok(fitted)
}

/// Triangular or PERT (min, mode, max) matching three quantiles, by Nelder-Mead on the squared
/// quantile errors (scaled by the spread), over parameters that keep min < mode < max.
fn three_point(family: &str, q: &[(f64, f64)]) -> Result<Family, FitError> {
    let spread = q[2].1 - q[0].1;
    let build = |v: &[f64; 3]| -> Option<Family> {
        // min = x1 - e^a, max = x3 + e^b, mode between them by a logistic weight.
        let min = q[0].1 - v[0].exp() * spread;
        let max = q[2].1 + v[1].exp() * spread;
        let w = 1.0 / (1.0 + (-v[2]).exp());
        let mode = min + w * (max - min);
        Some(if family == "pert" {
            Family::Pert {
                min,
                mode,
                max,
                lambda: 4.0,
            }
        } else {
            Family::Triangular { min, mode, max }
        })
    };
    let cost = |v: &[f64; 3]| -> f64 {
        let Some(f) = build(v) else {
            return f64::INFINITY;
        };
        let Ok(d) = Dist::new(f, None, None) else {
            return f64::INFINITY;
        };
        q.iter()
            .map(|&(p, x)| ((d.quantile(p) - x) / spread).powi(2))
            .sum()
    };
    let best = nelder_mead(cost, [-1.0, -1.0, 0.0], 1e-14, 2000);
    build(&best).ok_or(FitError::Failed)
}

/// One family fitted to observed data.
#[derive(Debug, Clone)]
pub struct DataFit {
    pub family: Family,
    pub log_likelihood: f64,
    pub aic: f64,
    /// The Kolmogorov-Smirnov distance between the data and the fitted CDF.
    pub ks: f64,
    /// How the parameters were found: "maximum likelihood" or "method of moments".
    pub method: &'static str,
}

/// Fits every supported family to `data` and ranks the fits by AIC (then KS distance).
///
/// Any finite data can be fitted: the values are first divided by the power of two nearest their
/// largest magnitude (exact in binary, so ordinary data fits bit for bit as it would unscaled),
/// which keeps squares, powers and sums of values near 1e155 or 1e-310 from overflowing or
/// underflowing; the fitted families are scaled back, and the log-likelihoods with them.
pub fn fit_data(data: &[f64]) -> Result<Vec<DataFit>, FitError> {
    let mut x: Vec<f64> = data.iter().copied().filter(|v| v.is_finite()).collect();
    if x.len() < 5 {
        return Err(FitError::TooFewValues(x.len()));
    }
    x.sort_by(f64::total_cmp);
    if x[0] == x[x.len() - 1] {
        return Err(FitError::AllTheSame);
    }
    let scale = power_of_two_near(x.iter().fold(0.0, |m: f64, v| m.max(v.abs())));
    let y: Vec<f64> = x.iter().map(|v| v / scale).collect();
    let n = y.len() as f64;
    let shift = n * scale.ln();
    Ok(fit_scaled(&y)
        .into_iter()
        .map(|fit| {
            let log_likelihood = fit.log_likelihood - shift;
            DataFit {
                family: scaled_back(fit.family, scale),
                log_likelihood,
                aic: fit.aic + 2.0 * shift,
                ..fit
            }
        })
        // Scaled back near the largest finite number, a padded range can overflow.
        .filter(|fit| Dist::new(fit.family.clone(), None, None).is_ok())
        .collect())
}

/// 2^e with 2^e <= x < 2^(e+1), for x > 0 (1 for anything else).
fn power_of_two_near(x: f64) -> f64 {
    if !(x > 0.0 && x.is_finite()) {
        return 1.0;
    }
    let e = x.log2().floor() as i32;
    // powi underflows for e below -1022 (subnormal data): two steps keep it exact.
    2f64.powi(e.max(-1000)) * 2f64.powi((e + 1000).min(0))
}

/// A family fitted to values divided by `scale`, as a family of the values themselves.
fn scaled_back(family: Family, scale: f64) -> Family {
    match family {
        Family::Normal { mean, sd } => Family::Normal {
            mean: mean * scale,
            sd: sd * scale,
        },
        Family::LogNormal { mu, sigma } => Family::LogNormal {
            mu: mu + scale.ln(),
            sigma,
        },
        Family::Exponential { mean } => Family::Exponential { mean: mean * scale },
        Family::Gamma { shape, scale: s } => Family::Gamma {
            shape,
            scale: s * scale,
        },
        Family::Weibull { shape, scale: s } => Family::Weibull {
            shape,
            scale: s * scale,
        },
        Family::Uniform { min, max } => Family::Uniform {
            min: min * scale,
            max: max * scale,
        },
        Family::Triangular { min, mode, max } => Family::Triangular {
            min: min * scale,
            mode: mode * scale,
            max: max * scale,
        },
        other => other,
    }
}

/// [`fit_data`] on sorted values of magnitude at most 2 (not all equal).
fn fit_scaled(x: &[f64]) -> Vec<DataFit> {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let (min, max) = (x[0], x[x.len() - 1]);
    let mut candidates: Vec<(Family, usize, &'static str)> = vec![
        (
            Family::Normal {
                mean,
                sd: var.sqrt(),
            },
            2,
            "maximum likelihood",
        ),
        (
            Family::Uniform {
                min,
                max: max + (max - min) * 1e-12,
            },
            2,
            "maximum likelihood",
        ),
    ];
    // Range-bounded families by moments on a range slightly wider than the data.
    let pad = (max - min) / n;
    let mode = (3.0 * mean - (min - pad) - (max + pad)).clamp(min - pad, max + pad);
    candidates.push((
        Family::Triangular {
            min: min - pad,
            mode,
            max: max + pad,
        },
        3,
        "method of moments",
    ));
    if min > 0.0 {
        let logs: Vec<f64> = x.iter().map(|v| v.ln()).collect();
        let mu = logs.iter().sum::<f64>() / n;
        let sigma = (logs.iter().map(|l| (l - mu).powi(2)).sum::<f64>() / n).sqrt();
        candidates.push((Family::LogNormal { mu, sigma }, 2, "maximum likelihood"));
        candidates.push((Family::Exponential { mean }, 1, "maximum likelihood"));
        candidates.push((gamma_mle(x, mean, &logs), 2, "maximum likelihood"));
        candidates.push((weibull_mle(x, &logs), 2, "maximum likelihood"));
    }
    let mut fits: Vec<DataFit> = candidates
        .into_iter()
        .filter_map(|(family, k, method)| {
            let dist = Dist::new(family.clone(), None, None).ok()?;
            let log_likelihood: f64 = x.iter().map(|&v| log_density(&family, v)).sum();
            if !log_likelihood.is_finite() {
                return None;
            }
            let ks = x
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let c = dist.cdf(v);
                    (c - i as f64 / n).abs().max(((i + 1) as f64 / n - c).abs())
                })
                .fold(0.0, f64::max);
            Some(DataFit {
                family,
                log_likelihood,
                aic: 2.0 * k as f64 - 2.0 * log_likelihood,
                ks,
                method,
            })
        })
        .collect();
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic).then(a.ks.total_cmp(&b.ks)));
    fits
}

/// Gamma MLE: the shape solves ln(k) - digamma(k) = ln(mean) - mean(ln x) (Newton from
/// Minka's closed-form start); scale = mean / shape.
fn gamma_mle(x: &[f64], mean: f64, logs: &[f64]) -> Family {
    let s = mean.ln() - logs.iter().sum::<f64>() / x.len() as f64;
    let start = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    let k = newton_steps(
        start,
        50,
        |k| (k.ln() - digamma(k) - s, 1.0 / k - trigamma(k)),
        |k, next| next.max(k / 10.0),
    );
    Family::Gamma {
        shape: k,
        scale: mean / k,
    }
}

/// Weibull MLE: the shape solves the profile equation by Newton; scale follows.
fn weibull_mle(x: &[f64], logs: &[f64]) -> Family {
    let n = x.len() as f64;
    let mean_log = logs.iter().sum::<f64>() / n;
    let profile = |k: f64| {
        let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
        for (&v, &l) in x.iter().zip(logs) {
            let p = v.powf(k);
            a += p;
            b += p * l;
            c += p * l * l;
        }
        let f = b / a - 1.0 / k - mean_log;
        let df = (c * a - b * b) / (a * a) + 1.0 / (k * k);
        (f, df)
    };
    let k = newton_steps(1.2, 100, profile, |k, next: f64| {
        // A step that overflowed leaves the shape where it was (the fit is then judged, and
        // dropped if it is no good, like any other).
        if next.is_nan() || !k.is_finite() {
            k
        } else {
            next.clamp(k / 10.0, k * 10.0)
        }
    });
    let scale = (x.iter().map(|v| v.powf(k)).sum::<f64>() / n).powf(1.0 / k);
    Family::Weibull { shape: k, scale }
}

/// The log density of a family at x (for likelihoods).
fn log_density(f: &Family, x: f64) -> f64 {
    use std::f64::consts::PI;
    match *f {
        Family::Normal { mean, sd } => {
            -0.5 * ((x - mean) / sd).powi(2) - sd.ln() - 0.5 * (2.0 * PI).ln()
        }
        Family::LogNormal { mu, sigma } if x > 0.0 => {
            -0.5 * ((x.ln() - mu) / sigma).powi(2) - (x * sigma).ln() - 0.5 * (2.0 * PI).ln()
        }
        Family::Exponential { mean } if x >= 0.0 => -mean.ln() - x / mean,
        Family::Gamma { shape, scale } if x > 0.0 => {
            (shape - 1.0) * x.ln() - x / scale - ln_gamma(shape) - shape * scale.ln()
        }
        Family::Weibull { shape, scale } if x > 0.0 => {
            (shape / scale).ln() + (shape - 1.0) * (x / scale).ln() - (x / scale).powf(shape)
        }
        Family::Uniform { min, max } if (min..=max).contains(&x) => -(max - min).ln(),
        Family::Triangular { min, mode, max } if x > min && x < max => {
            let h = 2.0 / (max - min);
            let d = if x <= mode {
                h * (x - min) / (mode - min)
            } else {
                h * (max - x) / (max - mode)
            };
            d.ln()
        }
        _ => f64::NEG_INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn quantile_fits_reproduce_their_quantiles() {
        let q = [(0.1, 40.0), (0.5, 50.0), (0.9, 65.0)];
        for family in ["triangular", "pert"] {
            let f = from_quantiles(family, &q).unwrap();
            let d = Dist::new(f, None, None).unwrap();
            for (p, x) in q {
                assert!(
                    (d.quantile(p) - x).abs() < 0.01,
                    "{family} P{p}: {}",
                    d.quantile(p)
                );
            }
        }
        let n = Dist::new(
            from_quantiles("normal", &[(0.1, 40.0), (0.9, 60.0)]).unwrap(),
            None,
            None,
        )
        .unwrap();
        assert!((n.quantile(0.5) - 50.0).abs() < 1e-9 && (n.quantile(0.9) - 60.0).abs() < 1e-9);
        let l = Dist::new(
            from_quantiles("lognormal", &[(0.1, 2.0), (0.9, 8.0)]).unwrap(),
            None,
            None,
        )
        .unwrap();
        assert!((l.quantile(0.5) - 4.0).abs() < 1e-9);
    }

    #[test]
    fn impossible_quantiles_are_refused_with_a_hint() {
        let e = from_quantiles("normal", &[(0.1, 40.0), (0.5, 50.0), (0.9, 80.0)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("no normal") && e.contains("lognormal"), "{e}");
        assert!(from_quantiles("pert", &[(0.1, 40.0), (0.5, 30.0), (0.9, 80.0)]).is_err());
    }

    #[test]
    fn fitted_families_recover_the_parameters_that_generated_the_data() {
        let mut rng = crate::distribution::StreamRng::seed_from_u64(5);
        let n = 20_000;
        let cases = [
            Family::Gamma {
                shape: 3.0,
                scale: 2.0,
            },
            Family::Weibull {
                shape: 1.7,
                scale: 4.0,
            },
            Family::LogNormal {
                mu: 1.0,
                sigma: 0.4,
            },
            Family::Normal {
                mean: 10.0,
                sd: 2.0,
            },
        ];
        for truth in cases {
            let mut data = vec![0.0; n];
            Dist::new(truth.clone(), None, None)
                .unwrap()
                .fill(&mut rng, &mut data);
            let fits = fit_data(&data).unwrap();
            let same = fits
                .iter()
                .find(|f| f.family.name() == truth.name())
                .unwrap();
            let (a, b) = params(&same.family);
            let (ta, tb) = params(&truth);
            // 20,000 draws pin each parameter to well within 3%.
            assert!(
                (a / ta - 1.0).abs() < 0.03 && (b / tb - 1.0).abs() < 0.03,
                "{truth:?} -> {:?}",
                same.family
            );
            assert_eq!(
                fits[0].family.name(),
                truth.name(),
                "best by AIC for {truth:?}: {:?}",
                fits[0].family
            );
        }
    }

    fn params(f: &Family) -> (f64, f64) {
        match *f {
            Family::Gamma { shape, scale } | Family::Weibull { shape, scale } => (shape, scale),
            Family::LogNormal { mu, sigma } => (mu, sigma),
            Family::Normal { mean, sd } => (mean, sd),
            _ => (f64::NAN, f64::NAN),
        }
    }
}
