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
//!
//! Files by job: this one holds the [`Family`] enum and the [`Dist`] API; `families` the table of
//! family specifications (keys, their roles, building and writing back); `validate` the
//! parameter checks; `sampler` each family's sampler, CDF, quantiles and moments; `truncation`
//! the bounds and truncated moments; `fast` and `strips` the hand-written variate generators.

pub mod families;
mod fast;
pub mod fit;
pub mod metalog;
pub mod mixture;
mod sampler;
mod strips;
#[cfg(test)]
mod tests;
mod truncation;
mod validate;

use sampler::Sampler;
use truncation::{Tail, Trunc, truncation};
pub use validate::{MAX_SHAPE, ParamError};
use validate::{finite, param_error, too_little_mass, valid_weights};

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

/// Truncation must keep at least this much probability: below it the bounds almost certainly
/// say something other than what the user meant.
const MIN_MASS: f64 = 1e-6;

/// A validated distribution, ready to sample.
#[derive(Debug, Clone)]
pub struct Dist {
    family: Family,
    lower: Option<f64>,
    upper: Option<f64>,
    sampler: Sampler,
    trunc: Option<Trunc>,
}

impl Dist {
    /// The value of a fixed input (every draw the same), else None.
    pub fn fixed_value(&self) -> Option<f64> {
        match self.sampler {
            Sampler::Fixed(v) => Some(v),
            _ => None,
        }
    }

    /// True when every draw is the same value (a fixed value, one choice, a certain event).
    pub fn is_constant(&self) -> bool {
        self.fixed_value().is_some() || self.variance() == 0.0
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
                sampler: Sampler::Mixture(Box::new(mixture)),
                trunc: None,
            });
        }
        let sampler = Sampler::new(&family)?;
        let trunc = truncation(&family, &sampler, lower, upper, min_mass)?;
        Ok(Dist {
            family,
            lower,
            upper,
            sampler,
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

    /// Analytic CDF P(X <= x), truncation included.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match &self.trunc {
            None => self.sampler.cdf_sf(x).0,
            Some(t) => {
                if x < t.lo {
                    0.0
                } else if x >= t.hi {
                    1.0
                } else {
                    let (f, s) = self.sampler.cdf_sf(x);
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
            None => self.sampler.moments(),
            Some(t) => self.sampler.truncated_moments(t),
        }
    }

    /// Smallest and largest value a draw can take after truncation (may be infinite).
    pub fn support(&self) -> (f64, f64) {
        match &self.trunc {
            None => self.sampler.support(),
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
                clamp_to(self.sampler.quantile_tail(tail), lo, hi)
            }
        }
    }

    fn truncated_quantile(&self, t: &Trunc, p: f64) -> f64 {
        clamp_to(self.sampler.quantile_tail(t.tail(p)), t.min, t.max)
    }

    /// (F(x), 1 - F(x)) as sampled, truncation included, each accurate where it is small.
    fn cdf_sf(&self, x: f64) -> (f64, f64) {
        match &self.trunc {
            None => self.sampler.cdf_sf(x),
            Some(t) if x < t.lo => (0.0, 1.0),
            Some(t) if x >= t.hi => (1.0, 0.0),
            Some(t) => {
                let (f, s) = self.sampler.cdf_sf(x);
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
                let (lo, hi) = self.sampler.support();
                clamp_to(self.sampler.quantile_tail(tail), lo, hi)
            }
            Some(t) => {
                let inner = match tail {
                    Tail::Lower(p) => t.tail(p),
                    Tail::Upper(s) if t.upper_side => Tail::Upper(t.s_lo - t.mass + s * t.mass),
                    Tail::Upper(s) => Tail::Lower(t.f_lo + (1.0 - s) * t.mass),
                };
                clamp_to(self.sampler.quantile_tail(inner), t.min, t.max)
            }
        }
    }
}

/// Keeps x in [lo, hi] without hiding a NaN (f64::max would turn it into lo).
fn clamp_to(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() { x } else { x.max(lo).min(hi) }
}
