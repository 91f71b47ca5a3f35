//! Probability distributions: validated parameters, fast exact sampling into columns, and analytic moments and CDFs.
//!
//! A [`Dist`] is built once from a [`Family`] and optional truncation bounds, validating
//! everything up front so that sampling, CDFs and moments never fail afterwards. Sampling fills a
//! whole column per call, so the family is dispatched once per column, not once per draw.
//!
//! Truncation conditions the family on `lower <= X <= upper`. Draws come from rejection when the
//! bounds keep enough probability for redrawing to be cheap, and otherwise from the inverse CDF
//! of the truncated distribution, which is exact but costs a quantile evaluation per draw.
//! [`Dist::mean`] and [`Dist::variance`] describe the distribution as sampled, truncation
//! included; for truncated families they come from closed-form partial moments (normal tails,
//! incomplete gamma and beta functions), not numerical integration. The two families without
//! closed forms for everything are documented in their own modules: [`mixture`] (weighted
//! components of any other family) and [`metalog`] (a quantile function fitted to quantiles,
//! whose moments and CDF are numerical).

mod fast;
pub mod fit;
pub mod metalog;
pub mod mixture;
mod strips;
#[cfg(test)]
mod tests;

use std::fmt;

use rand_distr::{Distribution, Exp1};

use crate::numeric::special::{
    beta_inv_pair, beta_pair, gamma_p_inv, gamma_pq, gamma_q_inv, ln_gamma, ln_norm_cdf, norm_cdf,
    norm_pdf, norm_quantile,
};
use fast::{BetaSampler, GammaSampler, index, std_normal, u01, u01_open};

pub use crate::random::StreamRng;

/// A distribution family with its parameters as the user wrote them.
#[derive(Debug, Clone, PartialEq)]
pub enum Family {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Parameters of ln X.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Modified PERT: a beta on [min, max] with shapes 1 + lambda (mode - min)/(max - min) and
    /// 1 + lambda (max - mode)/(max - min); lambda = 4 is the classic PERT.
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        lambda: f64,
    },
    /// Beta(alpha, beta) scaled to [min, max].
    Beta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    Exponential {
        mean: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    /// 1.0 with probability p, else 0.0.
    Bernoulli {
        p: f64,
    },
    /// One of `values`, with the matching probability in `weights` (which must sum to 1).
    Choice {
        values: Vec<f64>,
        weights: Vec<f64>,
    },
    /// One of `values`, each equally likely (resampling observed data).
    Empirical {
        values: Vec<f64>,
    },
    /// One of the components, picked with its weight (the weights sum to 1), then drawn from.
    Mixture {
        components: Vec<Component>,
    },
    /// Keelin's metalog with these coefficients (2 to 9 terms, see [`metalog`]), unbounded or
    /// bounded by `min` and/or `max`. `quantiles` are the (probability, value) pairs it was
    /// fitted to, kept to show next to the fit; they play no part in sampling.
    Metalog {
        coefficients: Vec<f64>,
        min: Option<f64>,
        max: Option<f64>,
        quantiles: Vec<(f64, f64)>,
    },
}

/// One component of a mixture: its weight and an ordinary distribution, possibly truncated.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub weight: f64,
    pub family: Family,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl Family {
    /// The family's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Fixed { .. } => "fixed",
            Family::Uniform { .. } => "uniform",
            Family::Normal { .. } => "normal",
            Family::LogNormal { .. } => "lognormal",
            Family::Triangular { .. } => "triangular",
            Family::Pert { .. } => "pert",
            Family::Beta { .. } => "beta",
            Family::Exponential { .. } => "exponential",
            Family::Gamma { .. } => "gamma",
            Family::Weibull { .. } => "weibull",
            Family::Bernoulli { .. } => "bernoulli",
            Family::Choice { .. } => "choice",
            Family::Empirical { .. } => "empirical",
            Family::Mixture { .. } => "mixture",
            Family::Metalog { .. } => "metalog",
        }
    }

    /// True for families with finitely many outcomes (these cannot be truncated); a mixture is
    /// discrete when all its components are.
    pub fn is_discrete(&self) -> bool {
        match self {
            Family::Fixed { .. }
            | Family::Bernoulli { .. }
            | Family::Choice { .. }
            | Family::Empirical { .. } => true,
            Family::Mixture { components } => components.iter().all(|c| c.family.is_discrete()),
            _ => false,
        }
    }
}

/// Which parameter is wrong and why, so the caller can point at that key in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub param: &'static str,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

/// Truncation must keep at least this much probability: below it the bounds almost certainly
/// say something other than what the user meant.
const MIN_MASS: f64 = 1e-6;

/// Cap on redraws in rejection sampling. Rejection is only used when the bounds keep at least
/// 1e-2 of the probability (see `Model::rejection_min_mass`), so a million consecutive misses
/// has probability below (1 - 1e-2)^1e6 ~ e^-10000: the cap exists only so that no input can
/// make the loop endless. With the 1e-6 mass floor alone it would not be unreachable (a million
/// tries at mass 1e-6 fail with probability 1/e), which is why small masses use the inverse CDF.
const MAX_TRIES: u32 = 1_000_000;

/// A validated distribution, ready to sample.
#[derive(Debug, Clone)]
pub struct Dist {
    family: Family,
    lower: Option<f64>,
    upper: Option<f64>,
    model: Model,
    trunc: Option<Trunc>,
}

/// The family's parameters in the form sampling and the CDF need them, with per-family constants
/// precomputed.
#[derive(Debug, Clone)]
enum Model {
    Fixed(f64),
    Uniform {
        min: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Beta and PERT.
    Beta {
        a: f64,
        b: f64,
        min: f64,
        max: f64,
        sampler: BetaSampler,
    },
    Exponential {
        mean: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
        sampler: GammaSampler,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    Bernoulli {
        p: f64,
    },
    /// Choice and Empirical.
    Discrete {
        draw: DiscreteDraw,
        table: Table,
    },
    Mixture(Box<mixture::Mixture>),
    Metalog(Box<metalog::Metalog>),
}

#[derive(Debug, Clone)]
enum DiscreteDraw {
    /// Values in the caller's order with cumulative probabilities, the last exactly 1.
    Weighted {
        values: Vec<f64>,
        cum: Vec<f64>,
    },
    Equal {
        values: Vec<f64>,
    },
}

/// Distinct values with positive probability in increasing order, with cumulative probabilities
/// (the last exactly 1): the CDF, quantile and moments of a discrete family.
#[derive(Debug, Clone)]
struct Table {
    values: Vec<f64>,
    cum: Vec<f64>,
    mean: f64,
    variance: f64,
}

/// Truncation bounds with the untruncated CDF and survival function at them, precomputed.
#[derive(Debug, Clone, Copy)]
struct Trunc {
    /// The bounds, infinite when absent.
    lo: f64,
    hi: f64,
    /// The support after truncation, for clamping quantiles.
    min: f64,
    max: f64,
    f_lo: f64,
    s_lo: f64,
    mass: f64,
    /// Probabilities are differenced from the upper tail: when the kept range lies above the
    /// median, F(hi) - F(lo) would subtract two numbers close to 1 and lose the digits of a small
    /// mass, while S(lo) - S(hi) keeps them.
    upper_side: bool,
    /// Draw by inverse CDF rather than rejection.
    by_inverse: bool,
}

/// A probability measured from one end of the distribution.
#[derive(Debug, Clone, Copy)]
enum Tail {
    /// P(X <= x).
    Lower(f64),
    /// P(X > x).
    Upper(f64),
}

impl Trunc {
    /// The untruncated tail probability at which the truncated distribution has CDF p.
    fn tail(&self, p: f64) -> Tail {
        if self.upper_side {
            Tail::Upper(self.s_lo - p * self.mass)
        } else {
            Tail::Lower(self.f_lo + p * self.mass)
        }
    }
}

/// E[Y^k; Y <= y] and E[Y^k; Y > y] for k = 0, 1, 2, of a family's standardized variable Y.
struct Partial {
    lower: [f64; 3],
    upper: [f64; 3],
}

impl Partial {
    /// For y beyond the support's ends: everything lies above (or below) y.
    fn below_support(total: [f64; 3]) -> Partial {
        Partial {
            lower: [0.0; 3],
            upper: total,
        }
    }

    fn above_support(total: [f64; 3]) -> Partial {
        Partial {
            lower: total,
            upper: [0.0; 3],
        }
    }
}

fn param_error(param: &'static str, message: String) -> ParamError {
    ParamError { param, message }
}

/// A number as messages show it: Rust prints NaN as "NaN", and messages are lower-case.
/// The error for bounds that keep too little of a distribution: `kept` is the mass shown (None
/// when nothing is kept), `both` the bound to point at when both are given.
fn too_little_mass(
    lower: Option<f64>,
    upper: Option<f64>,
    both: &'static str,
    kept: Option<String>,
) -> ParamError {
    let kept = match kept {
        Some(mass) => format!("only {mass} of the probability mass"),
        None => "none of the probability mass".to_owned(),
    };
    let (param, message) = match (lower, upper) {
        (Some(_), None) => ("lower", format!("lower leaves {kept} above it")),
        (None, Some(_)) => ("upper", format!("upper leaves {kept} below it")),
        _ => (both, format!("lower and upper leave {kept} between them")),
    };
    param_error(param, format!("{message}; at least 1e-6 is needed"))
}

fn num(v: f64) -> String {
    if v.is_nan() {
        "nan".to_owned()
    } else if v != 0.0 && v.is_finite() && !(1e-6..1e16).contains(&v.abs()) {
        // 1e300, not three hundred digits.
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

fn finite(param: &'static str, value: f64) -> Result<f64, ParamError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!("{param} must be a finite number, found {}", num(value)),
        ))
    }
}

fn positive(param: &'static str, value: f64) -> Result<f64, ParamError> {
    let value = finite(param, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!("{param} must be greater than 0, found {}", num(value)),
        ))
    }
}

/// Largest shape parameter (beta's alpha and beta, PERT's lambda, gamma's shape). Beyond it the
/// distribution is a point mass to within 1e-5 of its mean, and the incomplete beta and gamma
/// functions that quantiles need take seconds to converge, or never do (past ~1e154).
pub const MAX_SHAPE: f64 = 1e10;

fn shape_param(param: &'static str, value: f64) -> Result<f64, ParamError> {
    let value = positive(param, value)?;
    if value <= MAX_SHAPE {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!(
                "{param} must be at most 1e10, found {}: so large a shape is a single value; use `fixed`",
                num(value)
            ),
        ))
    }
}

/// Checks min < max with a representable width; errors point at max, the value compared.
fn interval(min: f64, max: f64) -> Result<(f64, f64), ParamError> {
    let min = finite("min", min)?;
    let max = finite("max", max)?;
    if min >= max {
        return Err(param_error(
            "max",
            format!("max must be greater than min ({min}), found {max}"),
        ));
    }
    if !(max - min).is_finite() {
        return Err(param_error(
            "max",
            format!("max - min must be a finite number, found {}", max - min),
        ));
    }
    Ok((min, max))
}

fn mode_within(min: f64, mode: f64, max: f64) -> Result<f64, ParamError> {
    if mode < min || mode > max {
        return Err(param_error(
            "mode",
            format!("mode must be between min ({min}) and max ({max}), found {mode}"),
        ));
    }
    Ok(mode)
}

fn finite_values(values: &[f64]) -> Result<(), ParamError> {
    if values.is_empty() {
        return Err(param_error(
            "values",
            "values must contain at least one value".to_owned(),
        ));
    }
    for (i, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            return Err(param_error(
                "values",
                format!(
                    "values must be finite numbers, found {} at position {}",
                    num(v),
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

fn valid_weights(values: &[f64], weights: &[f64]) -> Result<(), ParamError> {
    if weights.len() != values.len() {
        return Err(param_error(
            "weights",
            format!(
                "weights must have one entry per value ({}), found {}",
                values.len(),
                weights.len()
            ),
        ));
    }
    for (i, &w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(param_error(
                "weights",
                format!(
                    "weights must be finite numbers, found {} at position {}",
                    num(w),
                    i + 1
                ),
            ));
        }
        if w < 0.0 {
            return Err(param_error(
                "weights",
                format!("weights must be 0 or more, found {w} at position {}", i + 1),
            ));
        }
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(param_error(
            "weights",
            format!("weights must sum to 1, found {sum}"),
        ));
    }
    Ok(())
}

/// Keeps x in [lo, hi] without hiding a NaN (f64::max would turn it into lo).
fn clamp_to(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() { x } else { x.max(lo).min(hi) }
}

impl Table {
    /// From (value, weight) pairs with non-negative weights summing to a positive total.
    fn new(pairs: impl Iterator<Item = (f64, f64)>) -> Table {
        let mut pairs: Vec<(f64, f64)> = pairs.filter(|&(_, w)| w > 0.0).collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (v, w) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == v => last.1 += w,
                _ => merged.push((v, w)),
            }
        }
        let total: f64 = merged.iter().map(|&(_, w)| w).sum();
        let mut running = 0.0;
        let mut cum: Vec<f64> = merged
            .iter()
            .map(|&(_, w)| {
                running += w;
                (running / total).min(1.0)
            })
            .collect();
        if let Some(last) = cum.last_mut() {
            *last = 1.0;
        }
        let mean: f64 = merged.iter().map(|&(v, w)| v * (w / total)).sum();
        let variance: f64 = merged
            .iter()
            .map(|&(v, w)| (v - mean) * (v - mean) * (w / total))
            .sum();
        Table {
            values: merged.into_iter().map(|(v, _)| v).collect(),
            cum,
            mean,
            variance,
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let below = self.values.partition_point(|&v| v <= x);
        below
            .checked_sub(1)
            .and_then(|i| self.cum.get(i))
            .copied()
            .unwrap_or(0.0)
    }

    /// The smallest value whose CDF reaches p.
    fn quantile(&self, p: f64) -> f64 {
        let i = self.cum.partition_point(|&c| c < p);
        self.values
            .get(i)
            .or(self.values.last())
            .copied()
            .unwrap_or(f64::NAN)
    }

    fn support(&self) -> (f64, f64) {
        (
            self.values.first().copied().unwrap_or(f64::NAN),
            self.values.last().copied().unwrap_or(f64::NAN),
        )
    }
}

impl Model {
    fn new(family: &Family) -> Result<Model, ParamError> {
        Ok(match family {
            Family::Fixed { value } => Model::Fixed(finite("value", *value)?),
            Family::Uniform { min, max } => {
                let (min, max) = interval(*min, *max)?;
                Model::Uniform { min, max }
            }
            Family::Normal { mean, sd } => Model::Normal {
                mean: finite("mean", *mean)?,
                sd: positive("sd", *sd)?,
            },
            Family::LogNormal { mu, sigma } => Model::LogNormal {
                mu: finite("mu", *mu)?,
                sigma: positive("sigma", *sigma)?,
            },
            Family::Triangular { min, mode, max } => {
                finite("min", *min)?;
                finite("mode", *mode)?;
                finite("max", *max)?;
                let (min, max) = interval(*min, *max)?;
                let mode = mode_within(min, *mode, max)?;
                Model::Triangular { min, mode, max }
            }
            Family::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                finite("min", *min)?;
                finite("mode", *mode)?;
                finite("max", *max)?;
                let lambda = shape_param("lambda", *lambda)?;
                let (min, max) = interval(*min, *max)?;
                let mode = mode_within(min, *mode, max)?;
                let width = max - min;
                let a = 1.0 + lambda * ((mode - min) / width);
                let b = 1.0 + lambda * ((max - mode) / width);
                Model::Beta {
                    a,
                    b,
                    min,
                    max,
                    sampler: BetaSampler::new(a, b),
                }
            }
            Family::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                let a = shape_param("alpha", *alpha)?;
                let b = shape_param("beta", *beta)?;
                let (min, max) = interval(*min, *max)?;
                Model::Beta {
                    a,
                    b,
                    min,
                    max,
                    sampler: BetaSampler::new(a, b),
                }
            }
            Family::Exponential { mean } => Model::Exponential {
                mean: positive("mean", *mean)?,
            },
            Family::Gamma { shape, scale } => {
                let shape = shape_param("shape", *shape)?;
                Model::Gamma {
                    shape,
                    scale: positive("scale", *scale)?,
                    sampler: GammaSampler::new(shape),
                }
            }
            Family::Weibull { shape, scale } => Model::Weibull {
                shape: positive("shape", *shape)?,
                scale: positive("scale", *scale)?,
            },
            Family::Bernoulli { p } => {
                let p = finite("p", *p)?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(param_error(
                        "p",
                        format!("p must be between 0 and 1, found {p}"),
                    ));
                }
                Model::Bernoulli { p }
            }
            Family::Choice { values, weights } => {
                finite_values(values)?;
                valid_weights(values, weights)?;
                let total: f64 = weights.iter().sum();
                let mut running = 0.0;
                // running / total reaches exactly 1 at the end because the running sum repeats
                // the additions that made total; a zero weight then never gets drawn.
                let cum = weights
                    .iter()
                    .map(|&w| {
                        running += w;
                        (running / total).min(1.0)
                    })
                    .collect();
                Model::Discrete {
                    draw: DiscreteDraw::Weighted {
                        values: values.clone(),
                        cum,
                    },
                    table: Table::new(values.iter().copied().zip(weights.iter().copied())),
                }
            }
            Family::Empirical { values } => {
                finite_values(values)?;
                Model::Discrete {
                    draw: DiscreteDraw::Equal {
                        values: values.clone(),
                    },
                    table: Table::new(values.iter().map(|&v| (v, 1.0))),
                }
            }
            // Dist::build folds a mixture's bounds into its components; untruncated, it is this.
            Family::Mixture { components } => {
                Model::Mixture(Box::new(mixture::Mixture::new(components, None, None)?))
            }
            Family::Metalog {
                coefficients,
                min,
                max,
                ..
            } => Model::Metalog(Box::new(metalog::Metalog::new(coefficients, *min, *max)?)),
        })
    }

    /// Kept probability below which truncated draws use the inverse CDF. Rejection costs about
    /// (one draw)/mass and the inverse CDF one quantile; measured, the quantile costs about as
    /// much as 70 normal draws (a Halley step on the normal CDF) or 100 gamma draws (Newton on
    /// the incomplete gamma function), but only a few draws where it is closed form and cheap.
    /// Never below 1e-2, so rejection never comes near MAX_TRIES.
    fn rejection_min_mass(&self) -> f64 {
        match self {
            // A metalog's inverse CDF is its definition: cheaper than any rejection.
            Model::Uniform { .. } | Model::Metalog(_) => f64::INFINITY,
            Model::Triangular { .. } | Model::Exponential { .. } | Model::Weibull { .. } => 0.25,
            _ => 0.01,
        }
    }

    /// (F(x), 1 - F(x)) of the untruncated family, each accurate where it is small.
    fn cdf_sf(&self, x: f64) -> (f64, f64) {
        match self {
            Model::Fixed(v) => {
                if x < *v {
                    (0.0, 1.0)
                } else {
                    (1.0, 0.0)
                }
            }
            Model::Uniform { min, max } => {
                if x <= *min {
                    (0.0, 1.0)
                } else if x >= *max {
                    (1.0, 0.0)
                } else {
                    let w = max - min;
                    ((x - min) / w, (max - x) / w)
                }
            }
            Model::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                (norm_cdf(z), norm_cdf(-z))
            }
            Model::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let z = (x.ln() - mu) / sigma;
                    (norm_cdf(z), norm_cdf(-z))
                }
            }
            Model::Triangular { min, mode, max } => {
                let w = max - min;
                if x <= *min {
                    (0.0, 1.0)
                } else if x >= *max {
                    (1.0, 0.0)
                } else if x < *mode {
                    // Products of ratios, not squared differences, so wide ranges cannot overflow.
                    let f = ((x - min) / w) * ((x - min) / (mode - min));
                    (f, 1.0 - f)
                } else {
                    let s = ((max - x) / w) * ((max - x) / (max - mode));
                    (1.0 - s, s)
                }
            }
            Model::Beta { a, b, min, max, .. } => {
                if x <= *min {
                    (0.0, 1.0)
                } else if x >= *max {
                    (1.0, 0.0)
                } else {
                    let w = max - min;
                    beta_pair(*a, *b, (x - min) / w, (max - x) / w)
                }
            }
            Model::Exponential { mean } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let t = x / mean;
                    (-(-t).exp_m1(), (-t).exp())
                }
            }
            Model::Gamma { shape, scale, .. } => gamma_pq(*shape, x / scale),
            Model::Weibull { shape, scale } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let t = (x / scale).powf(*shape);
                    (-(-t).exp_m1(), (-t).exp())
                }
            }
            Model::Bernoulli { p } => {
                if x < 0.0 {
                    (0.0, 1.0)
                } else if x < 1.0 {
                    (1.0 - p, *p)
                } else {
                    (1.0, 0.0)
                }
            }
            Model::Discrete { table, .. } => {
                let f = table.cdf(x);
                (f, 1.0 - f)
            }
            Model::Mixture(m) => m.cdf_sf(x),
            Model::Metalog(m) => m.cdf_sf(x),
        }
    }

    /// The x at which the untruncated family has the given tail probability.
    fn quantile_tail(&self, tail: Tail) -> f64 {
        match self {
            Model::Fixed(v) => *v,
            Model::Uniform { min, max } => match tail {
                Tail::Lower(p) => min + p * (max - min),
                Tail::Upper(s) => max - s * (max - min),
            },
            Model::Normal { mean, sd } => match tail {
                Tail::Lower(p) => mean + sd * norm_quantile(p),
                Tail::Upper(s) => mean - sd * norm_quantile(s),
            },
            Model::LogNormal { mu, sigma } => match tail {
                Tail::Lower(p) => (mu + sigma * norm_quantile(p)).exp(),
                Tail::Upper(s) => (mu - sigma * norm_quantile(s)).exp(),
            },
            Model::Triangular { min, mode, max } => {
                let w = max - min;
                let left = (mode - min) / w;
                let right = (max - mode) / w;
                match tail {
                    Tail::Lower(p) if p <= left => min + w * (p * left).sqrt(),
                    Tail::Lower(p) => max - w * ((1.0 - p) * right).sqrt(),
                    Tail::Upper(s) if s <= right => max - w * (s * right).sqrt(),
                    Tail::Upper(s) => min + w * ((1.0 - s) * left).sqrt(),
                }
            }
            Model::Beta { a, b, min, max, .. } => {
                let (y, yc) = match tail {
                    Tail::Lower(p) => beta_inv_pair(*a, *b, p, false),
                    Tail::Upper(s) => beta_inv_pair(*a, *b, s, true),
                };
                let w = max - min;
                if y <= yc { min + w * y } else { max - w * yc }
            }
            Model::Exponential { mean } => match tail {
                Tail::Lower(p) => -mean * (-p).ln_1p(),
                Tail::Upper(s) => -mean * s.ln(),
            },
            Model::Gamma { shape, scale, .. } => match tail {
                Tail::Lower(p) => scale * gamma_p_inv(*shape, p),
                Tail::Upper(s) => scale * gamma_q_inv(*shape, s),
            },
            Model::Weibull { shape, scale } => {
                let e = match tail {
                    Tail::Lower(p) => -(-p).ln_1p(),
                    Tail::Upper(s) => -s.ln(),
                };
                scale * e.powf(1.0 / shape)
            }
            Model::Bernoulli { p } => {
                let q = match tail {
                    Tail::Lower(q) => q,
                    Tail::Upper(s) => 1.0 - s,
                };
                if q <= 1.0 - p { 0.0 } else { 1.0 }
            }
            Model::Discrete { table, .. } => match tail {
                Tail::Lower(q) => table.quantile(q),
                Tail::Upper(s) => table.quantile(1.0 - s),
            },
            Model::Mixture(m) => m.quantile(tail),
            Model::Metalog(m) => m.quantile(tail),
        }
    }

    fn support(&self) -> (f64, f64) {
        match self {
            Model::Fixed(v) => (*v, *v),
            Model::Uniform { min, max }
            | Model::Triangular { min, max, .. }
            | Model::Beta { min, max, .. } => (*min, *max),
            Model::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Model::LogNormal { .. }
            | Model::Exponential { .. }
            | Model::Gamma { .. }
            | Model::Weibull { .. } => (0.0, f64::INFINITY),
            Model::Bernoulli { p } => {
                if *p == 0.0 {
                    (0.0, 0.0)
                } else if *p == 1.0 {
                    (1.0, 1.0)
                } else {
                    (0.0, 1.0)
                }
            }
            Model::Discrete { table, .. } => table.support(),
            Model::Mixture(m) => m.support(),
            Model::Metalog(m) => m.support(),
        }
    }

    fn moments(&self) -> (f64, f64) {
        match self {
            Model::Fixed(v) => (*v, 0.0),
            Model::Uniform { min, max } => {
                let w = max - min;
                (min + 0.5 * w, w * w / 12.0)
            }
            Model::Normal { mean, sd } => (*mean, sd * sd),
            Model::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                ((mu + 0.5 * s2).exp(), s2.exp_m1() * (2.0 * mu + s2).exp())
            }
            Model::Triangular { min, mode, max } => {
                let w = max - min;
                let c = (mode - min) / w;
                (min + w * (1.0 + c) / 3.0, w * w * (1.0 - c + c * c) / 18.0)
            }
            Model::Beta { a, b, min, max, .. } => {
                // For PERT this mean is (min + lambda mode + max)/(lambda + 2).
                let w = max - min;
                let n = a + b;
                (min + w * (a / n), w * w * (a * b / (n * n * (n + 1.0))))
            }
            Model::Exponential { mean } => (*mean, mean * mean),
            Model::Gamma { shape, scale, .. } => (shape * scale, shape * scale * scale),
            Model::Weibull { shape, scale } => {
                let g1 = ln_gamma(1.0 + 1.0 / shape);
                let g2 = ln_gamma(1.0 + 2.0 / shape);
                // Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 cancels for large shapes; the log ratio
                // through expm1 keeps more of it.
                (
                    scale * g1.exp(),
                    scale * scale * (2.0 * g1).exp() * (g2 - 2.0 * g1).exp_m1(),
                )
            }
            Model::Bernoulli { p } => (*p, p * (1.0 - p)),
            Model::Discrete { table, .. } => (table.mean, table.variance),
            Model::Mixture(m) => m.moments(),
            Model::Metalog(m) => m.moments(),
        }
    }

    /// Mean and variance given lo <= X <= hi.
    fn truncated_moments(&self, t: &Trunc) -> (f64, f64) {
        match self {
            Model::Uniform { min, max } => {
                let a = min.max(t.lo);
                let b = max.min(t.hi);
                (a + 0.5 * (b - a), (b - a) * (b - a) / 12.0)
            }
            Model::Normal { mean, sd } => {
                by_parts(*mean, *sd, t, |x| normal_partial((x - mean) / sd))
            }
            Model::LogNormal { mu, sigma } => lognormal_truncated(*mu, *sigma, t),
            Model::Triangular { min, mode, max } => {
                let w = max - min;
                let c = (mode - min) / w;
                by_parts(*min, w, t, |x| {
                    triangular_partial(c, (x - min) / w, (max - x) / w)
                })
            }
            Model::Beta { a, b, min, max, .. } => {
                let w = max - min;
                by_parts(*min, w, t, |x| {
                    beta_partial(*a, *b, (x - min) / w, (max - x) / w)
                })
            }
            Model::Exponential { mean } => {
                by_parts(0.0, *mean, t, |x| gamma_partial(1.0, x / mean))
            }
            Model::Gamma { shape, scale, .. } => {
                by_parts(0.0, *scale, t, |x| gamma_partial(*shape, x / scale))
            }
            Model::Weibull { shape, scale } => {
                by_parts(0.0, *scale, t, |x| weibull_partial(*shape, x / scale))
            }
            Model::Metalog(m) => m.truncated_moments(t.lo, t.hi),
            // Discrete families cannot be truncated (Dist::new refuses it), and a truncated
            // mixture is a mixture of truncated components (Dist::build).
            Model::Fixed(_)
            | Model::Bernoulli { .. }
            | Model::Discrete { .. }
            | Model::Mixture(_) => self.moments(),
        }
    }
}

/// Truncated mean and variance of X = loc + scale Y from the partial moments of Y at the bounds.
/// Each moment is differenced on the side where the terms are smaller: the moments weight the
/// range differently (for a small gamma shape the mass sits near 0 but the mean further out),
/// so one side for all three can cancel every digit of one of them.
fn by_parts(loc: f64, scale: f64, t: &Trunc, partial: impl Fn(f64) -> Partial) -> (f64, f64) {
    let at_lo = partial(t.lo);
    let at_hi = partial(t.hi);
    let [m0, m1, m2] = side_by_side(at_lo, at_hi);
    let mean = m1 / m0;
    let var = (m2 / m0 - mean * mean).max(0.0);
    (loc + scale * mean, scale * scale * var)
}

/// E[Y^k; lo < Y <= hi] for k = 0, 1, 2, each from the lower or upper partial moments,
/// whichever subtracts the smaller numbers.
fn side_by_side(at_lo: Partial, at_hi: Partial) -> [f64; 3] {
    let pick = |lower_lo: f64, lower_hi: f64, upper_lo: f64, upper_hi: f64| {
        if lower_hi <= upper_lo {
            lower_hi - lower_lo
        } else {
            upper_lo - upper_hi
        }
    };
    let ([ll0, ll1, ll2], [lh0, lh1, lh2]) = (at_lo.lower, at_hi.lower);
    let ([ul0, ul1, ul2], [uh0, uh1, uh2]) = (at_lo.upper, at_hi.upper);
    [
        pick(ll0, lh0, ul0, uh0),
        pick(ll1, lh1, ul1, uh1),
        pick(ll2, lh2, ul2, uh2),
    ]
}

fn minus(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    let ([a0, a1, a2], [b0, b1, b2]) = (a, b);
    [a0 - b0, a1 - b1, a2 - b2]
}

/// Partial moments from the constants c_k = E[Y^k] and the (lower, upper) tail probabilities
/// of the k-th moment distribution.
fn scaled(c: [f64; 3], tails: [(f64, f64); 3]) -> Partial {
    let ([c0, c1, c2], [(l0, u0), (l1, u1), (l2, u2)]) = (c, tails);
    Partial {
        lower: [c0 * l0, c1 * l1, c2 * l2],
        upper: [c0 * u0, c1 * u1, c2 * u2],
    }
}

fn normal_partial(z: f64) -> Partial {
    let pdf = norm_pdf(z);
    let z_pdf = if z.is_finite() { z * pdf } else { 0.0 };
    let f = norm_cdf(z);
    let s = norm_cdf(-z);
    Partial {
        lower: [f, -pdf, f - z_pdf],
        upper: [s, pdf, s + z_pdf],
    }
}

/// Partial moments of Gamma(a, 1): E[Y^k; Y <= y] = Gamma(a + k)/Gamma(a) P(a + k, y).
fn gamma_partial(a: f64, y: f64) -> Partial {
    scaled(
        [1.0, a, a * (a + 1.0)],
        [0.0, 1.0, 2.0].map(|k| gamma_pq(a + k, y)),
    )
}

/// Partial moments of Y = X / scale for Weibull(shape): Y = E^(1/shape) with E ~ Exp(1), so
/// E[Y^k; Y <= y] = Gamma(1 + k/shape) P(1 + k/shape, y^shape).
fn weibull_partial(shape: f64, y: f64) -> Partial {
    let t = if y <= 0.0 { 0.0 } else { y.powf(shape) };
    let a = [0.0, 1.0, 2.0].map(|k| 1.0 + k / shape);
    scaled(a.map(|a| ln_gamma(a).exp()), a.map(|a| gamma_pq(a, t)))
}

/// Partial moments of Beta(a, b): E[Y^k; Y <= y] = B(a + k, b)/B(a, b) I_y(a + k, b).
fn beta_partial(a: f64, b: f64, y: f64, yc: f64) -> Partial {
    let n = a + b;
    scaled(
        [1.0, a / n, a * (a + 1.0) / (n * (n + 1.0))],
        [0.0, 1.0, 2.0].map(|k| beta_pair(a + k, b, y, yc)),
    )
}

/// Partial moments of the triangular distribution on [0, 1] with mode c, integrated in closed
/// form from the left (density 2y/c) or the right (density 2(1 - y)/(1 - c)), whichever side of
/// the mode y is on; r = 1 - y is passed separately to keep its digits.
fn triangular_partial(c: f64, y: f64, r: f64) -> Partial {
    let total = [1.0, (1.0 + c) / 3.0, (1.0 + c + c * c) / 6.0];
    if y <= 0.0 {
        return Partial::below_support(total);
    }
    if r <= 0.0 {
        return Partial::above_support(total);
    }
    if y <= c {
        let y2 = y * y;
        let lower = [y2 / c, 2.0 * y2 * y / (3.0 * c), y2 * y2 / (2.0 * c)];
        Partial {
            lower,
            upper: minus(total, lower),
        }
    } else {
        let k = 2.0 / (1.0 - c);
        let r2 = r * r;
        let upper = [
            r2 / (1.0 - c),
            k * (r2 / 2.0 - r2 * r / 3.0),
            k * (r2 / 2.0 - 2.0 * r2 * r / 3.0 + r2 * r2 / 4.0),
        ];
        Partial {
            lower: minus(total, upper),
            upper,
        }
    }
}

/// ln(Phi(b) - Phi(a)) for a < b, from whichever tail the interval lies in.
fn ln_normal_mass(a: f64, b: f64) -> f64 {
    if a > 0.0 {
        let la = ln_norm_cdf(-a);
        let lb = ln_norm_cdf(-b);
        la + (-(lb - la).exp_m1()).ln()
    } else {
        let la = ln_norm_cdf(a);
        let lb = ln_norm_cdf(b);
        lb + (-(la - lb).exp_m1()).ln()
    }
}

/// Truncated lognormal moments: E[X^k | a < Z < b] = exp(k mu + k^2 sigma^2 / 2)
/// (Phi(b - k sigma) - Phi(a - k sigma)) / (Phi(b) - Phi(a)) in standardized log bounds a, b.
/// Formed in logarithms because for large sigma the factors overflow and the tail probabilities
/// underflow while their product stays moderate.
fn lognormal_truncated(mu: f64, sigma: f64, t: &Trunc) -> (f64, f64) {
    let a = if t.lo > 0.0 {
        (t.lo.ln() - mu) / sigma
    } else {
        f64::NEG_INFINITY
    };
    let b = (t.hi.ln() - mu) / sigma;
    let l0 = ln_normal_mass(a, b);
    let l1 = mu + 0.5 * sigma * sigma + ln_normal_mass(a - sigma, b - sigma) - l0;
    let l2 = 2.0 * mu + 2.0 * sigma * sigma + ln_normal_mass(a - 2.0 * sigma, b - 2.0 * sigma) - l0;
    let mean = l1.exp();
    let var = (2.0 * l1).exp() * (l2 - 2.0 * l1).exp_m1();
    (mean, var.max(0.0))
}

/// Fills `out` from `draw`, redrawing values outside `bounds` when there are bounds. Generic so
/// that each family gets its own loop with the draw inlined.
#[inline(always)]
fn run(
    out: &mut [f64],
    rng: &mut StreamRng,
    bounds: Option<(f64, f64)>,
    mut draw: impl FnMut(&mut StreamRng) -> f64,
) {
    match bounds {
        None => {
            for o in out.iter_mut() {
                *o = draw(rng);
            }
        }
        Some((lo, hi)) => {
            for o in out.iter_mut() {
                *o = draw_within(rng, lo, hi, &mut draw);
            }
        }
    }
}

#[inline(always)]
fn draw_within(
    rng: &mut StreamRng,
    lo: f64,
    hi: f64,
    draw: &mut impl FnMut(&mut StreamRng) -> f64,
) -> f64 {
    let mut x = draw(rng);
    for _ in 1..MAX_TRIES {
        if x >= lo && x <= hi {
            return x;
        }
        x = draw(rng);
    }
    clamp_to(x, lo, hi)
}

impl Dist {
    /// The value of a fixed input (every draw the same), else None.
    pub fn fixed_value(&self) -> Option<f64> {
        match self.model {
            Model::Fixed(v) => Some(v),
            _ => None,
        }
    }

    /// Validates every parameter (finite; sd, sigma, scale, shape, alpha, beta, mean
    /// (exponential), lambda > 0; min < max; min <= mode <= max; p in [0, 1]; values non-empty
    /// and finite; weights one per value, each >= 0 and finite, summing to 1 within 1e-9) and the
    /// truncation: `lower`/`upper` only on continuous families, finite, lower < upper, keeping at
    /// least 1e-6 of the probability mass.
    ///
    /// A mixture's weights are checked like a choice's; each component is checked as above, and
    /// none may be a mixture. Its `lower`/`upper` truncate the mixture as a whole, which needs
    /// every component continuous. A metalog needs 2 to 9 finite coefficients, finite bounds with
    /// min < max, and a strictly increasing quantile function.
    pub fn new(family: Family, lower: Option<f64>, upper: Option<f64>) -> Result<Dist, ParamError> {
        Dist::build(family, lower, upper, MIN_MASS)
    }

    /// As [`Dist::new`], with truncation allowed to keep as little as `min_mass` of the
    /// probability (a mixture's components may keep less than a whole input must).
    fn build(
        family: Family,
        lower: Option<f64>,
        upper: Option<f64>,
        min_mass: f64,
    ) -> Result<Dist, ParamError> {
        if let Family::Mixture { components } = &family {
            let mixture = mixture::Mixture::new(components, lower, upper)?;
            return Ok(Dist {
                family,
                lower,
                upper,
                model: Model::Mixture(Box::new(mixture)),
                trunc: None,
            });
        }
        let model = Model::new(&family)?;
        let trunc = truncation(&family, &model, lower, upper, min_mass)?;
        Ok(Dist {
            family,
            lower,
            upper,
            model,
            trunc,
        })
    }

    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The truncation bounds as given.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        (self.lower, self.upper)
    }

    /// Fills `out` with independent draws. The family is matched once per call; each family has
    /// its own loop. The number of generator outputs a draw consumes varies (rejection), so
    /// draws depend on the generator's state only, not on how a column is split into calls;
    /// except for mixtures, which pick the components of the whole column first (see
    /// [`mixture`]) and so depend on the column's length too (the engine fills whole chunks).
    pub fn fill(&self, rng: &mut StreamRng, out: &mut [f64]) {
        let bounds = match &self.trunc {
            Some(t) if t.by_inverse => {
                for o in out.iter_mut() {
                    *o = self.truncated_quantile(t, u01_open(rng));
                }
                return;
            }
            Some(t) => Some((t.lo, t.hi)),
            None => None,
        };
        match &self.model {
            Model::Fixed(v) => out.fill(*v),
            Model::Uniform { min, max } => {
                let (min, w) = (*min, max - min);
                run(out, rng, bounds, |r| min + w * u01(r));
            }
            Model::Normal { mean, sd } => {
                let (mean, sd) = (*mean, *sd);
                run(out, rng, bounds, |r| mean + sd * std_normal(r));
            }
            Model::LogNormal { mu, sigma } => {
                let (mu, sigma) = (*mu, *sigma);
                run(out, rng, bounds, |r| (mu + sigma * std_normal(r)).exp());
            }
            Model::Triangular { min, mode, max } => {
                let (min, max, w) = (*min, *max, max - min);
                let left = (mode - min) / w;
                let right = (max - mode) / w;
                // Selects rather than branches: which side a draw falls on is unpredictable.
                run(out, rng, bounds, |r| {
                    let u = u01(r);
                    let below = u < left;
                    let root = (if below { u * left } else { (1.0 - u) * right }).sqrt();
                    if below {
                        min + w * root
                    } else {
                        max - w * root
                    }
                });
            }
            Model::Beta {
                min, max, sampler, ..
            } => {
                let (min, w) = (*min, max - min);
                match sampler {
                    // The loop inside the sampler keeps the generator's state in registers.
                    BetaSampler::Strips(s) if bounds.is_none() => s.fill(rng, out, min, w),
                    BetaSampler::Strips(s) => run(out, rng, bounds, |r| min + w * s.sample(r)),
                    BetaSampler::GammaRatio(g) => run(out, rng, bounds, |r| min + w * g.sample(r)),
                }
            }
            Model::Exponential { mean } => {
                let mean = *mean;
                run(out, rng, bounds, |r| {
                    let e: f64 = Exp1.sample(r);
                    mean * e
                });
            }
            Model::Gamma { scale, sampler, .. } => {
                let (scale, sampler) = (*scale, *sampler);
                run(out, rng, bounds, |r| scale * sampler.sample(r));
            }
            Model::Weibull { shape, scale } => {
                // Inverse CDF scale (-ln(1 - U))^(1/shape), with -ln(1 - U) drawn directly as
                // a ziggurat exponential, which is cheaper than the logarithm.
                let (inv_shape, scale) = (1.0 / shape, *scale);
                run(out, rng, bounds, |r| {
                    let e: f64 = Exp1.sample(r);
                    scale * e.powf(inv_shape)
                });
            }
            Model::Bernoulli { p } => {
                let p = *p;
                run(out, rng, None, |r| if u01(r) < p { 1.0 } else { 0.0 });
            }
            Model::Mixture(m) => m.fill(rng, out),
            Model::Metalog(m) => m.fill(rng, out, bounds),
            Model::Discrete { draw, table } => {
                let fallback = table.values.last().copied().unwrap_or(f64::NAN);
                match draw {
                    DiscreteDraw::Weighted { values, cum } => run(out, rng, None, |r| {
                        let u = u01(r);
                        let i = cum.partition_point(|&c| c <= u);
                        values.get(i).copied().unwrap_or(fallback)
                    }),
                    DiscreteDraw::Equal { values } => {
                        let n = values.len();
                        run(out, rng, None, |r| {
                            values.get(index(r, n)).copied().unwrap_or(fallback)
                        });
                    }
                }
            }
        }
    }

    /// Analytic CDF P(X <= x), truncation included.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match &self.trunc {
            None => self.model.cdf_sf(x).0,
            Some(t) => {
                if x < t.lo {
                    0.0
                } else if x >= t.hi {
                    1.0
                } else {
                    let (f, s) = self.model.cdf_sf(x);
                    let v = if t.upper_side {
                        (t.s_lo - s) / t.mass
                    } else {
                        (f - t.f_lo) / t.mass
                    };
                    v.clamp(0.0, 1.0)
                }
            }
        }
    }

    /// Mean of the distribution as sampled: analytic for untruncated families, from closed-form
    /// partial moments for truncated ones.
    pub fn mean(&self) -> f64 {
        self.moments().0
    }

    /// Variance of the distribution as sampled, computed like [`Dist::mean`].
    pub fn variance(&self) -> f64 {
        self.moments().1
    }

    fn moments(&self) -> (f64, f64) {
        match &self.trunc {
            None => self.model.moments(),
            Some(t) => self.model.truncated_moments(t),
        }
    }

    /// Smallest and largest value a draw can take after truncation (may be infinite).
    pub fn support(&self) -> (f64, f64) {
        match &self.trunc {
            None => self.model.support(),
            Some(t) => (t.min, t.max),
        }
    }

    /// Quantile (inverse CDF) for p in (0, 1), truncation included: the smallest x with
    /// cdf(x) >= p. Outside (0, 1) it returns the ends of the support.
    pub fn quantile(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        let (lo, hi) = self.support();
        if p <= 0.0 {
            return lo;
        }
        if p >= 1.0 {
            return hi;
        }
        match &self.trunc {
            Some(t) => self.truncated_quantile(t, p),
            None => {
                // Above the median, 1 - p is exact and the upper-tail inverse is the accurate one.
                let tail = if p <= 0.5 || self.family.is_discrete() {
                    Tail::Lower(p)
                } else {
                    Tail::Upper(1.0 - p)
                };
                clamp_to(self.model.quantile_tail(tail), lo, hi)
            }
        }
    }

    fn truncated_quantile(&self, t: &Trunc, p: f64) -> f64 {
        clamp_to(self.model.quantile_tail(t.tail(p)), t.min, t.max)
    }

    /// (F(x), 1 - F(x)) as sampled, truncation included, each accurate where it is small.
    fn cdf_sf(&self, x: f64) -> (f64, f64) {
        match &self.trunc {
            None => self.model.cdf_sf(x),
            Some(t) if x < t.lo => (0.0, 1.0),
            Some(t) if x >= t.hi => (1.0, 0.0),
            Some(t) => {
                let (f, s) = self.model.cdf_sf(x);
                let (f, s) = if t.upper_side {
                    let s_hi = t.s_lo - t.mass;
                    ((t.s_lo - s) / t.mass, (s - s_hi) / t.mass)
                } else {
                    ((f - t.f_lo) / t.mass, (t.f_lo + t.mass - f) / t.mass)
                };
                (f.clamp(0.0, 1.0), s.clamp(0.0, 1.0))
            }
        }
    }

    /// The quantile at a lower or upper tail probability, truncation included; for an upper
    /// tail s, the x with 1 - F(x) = s, accurate where s is small.
    fn quantile_at(&self, tail: Tail) -> f64 {
        match &self.trunc {
            None => {
                let (lo, hi) = self.model.support();
                clamp_to(self.model.quantile_tail(tail), lo, hi)
            }
            Some(t) => {
                let inner = match tail {
                    Tail::Lower(p) => t.tail(p),
                    Tail::Upper(s) if t.upper_side => Tail::Upper(t.s_lo - t.mass + s * t.mass),
                    Tail::Upper(s) => Tail::Lower(t.f_lo + (1.0 - s) * t.mass),
                };
                clamp_to(self.model.quantile_tail(inner), t.min, t.max)
            }
        }
    }
}

/// Validates the truncation bounds and precomputes what the truncated CDF and sampler need.
fn truncation(
    family: &Family,
    model: &Model,
    lower: Option<f64>,
    upper: Option<f64>,
    min_mass: f64,
) -> Result<Option<Trunc>, ParamError> {
    if lower.is_none() && upper.is_none() {
        return Ok(None);
    }
    if family.is_discrete() {
        let param = if lower.is_some() { "lower" } else { "upper" };
        return Err(param_error(
            param,
            format!(
                "{param} is only allowed on continuous distributions, and {} is discrete",
                family.name()
            ),
        ));
    }
    let lo = match lower {
        Some(l) => finite("lower", l)?,
        None => f64::NEG_INFINITY,
    };
    let hi = match upper {
        Some(u) => finite("upper", u)?,
        None => f64::INFINITY,
    };
    if lo >= hi {
        return Err(param_error(
            "upper",
            format!("upper must be greater than lower ({lo}), found {hi}"),
        ));
    }
    let (f_lo, s_lo) = if lower.is_some() {
        model.cdf_sf(lo)
    } else {
        (0.0, 1.0)
    };
    let (f_hi, s_hi) = if upper.is_some() {
        model.cdf_sf(hi)
    } else {
        (1.0, 0.0)
    };
    let upper_side = s_lo < f_hi;
    let mass = if upper_side { s_lo - s_hi } else { f_hi - f_lo };
    if mass.is_nan() || mass < min_mass {
        // Blame the bound that cuts deeper into its own tail.
        let deeper = if f_lo >= s_hi { "lower" } else { "upper" };
        return Err(too_little_mass(
            lower,
            upper,
            deeper,
            (mass > 0.0).then(|| format!("{mass:.2e}")),
        ));
    }
    let (min, max) = model.support();
    Ok(Some(Trunc {
        lo,
        hi,
        min: min.max(lo),
        max: max.min(hi),
        f_lo,
        s_lo,
        mass,
        upper_side,
        by_inverse: mass < model.rejection_min_mass(),
    }))
}
