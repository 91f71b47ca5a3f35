//! The sampler of each family: its parameters validated and turned into the form sampling and
//! the CDF need, with per-family constants precomputed; the untruncated CDF, quantiles, support
//! and moments; and filling a column with draws (rejection within truncation bounds, or the
//! inverse CDF when they keep little mass).

use rand_distr::{Distribution, Exp1};

use super::fast::{BetaSampler, GammaSampler, index, std_normal, u01, u01_open};
use super::truncation::Tail;
use super::validate::{
    finite, finite_values, interval, mode_within, param_error, positive, shape_param, valid_weights,
};
use super::{Dist, Family, ParamError, StreamRng, clamp_to, metalog, mixture};
use crate::numeric::special::{
    beta_inv_pair, beta_pair, gamma_p_inv, gamma_pq, gamma_q_inv, ln_gamma, norm_cdf, norm_quantile,
};

/// Cap on redraws in rejection sampling. Rejection is only used when the bounds keep at least
/// 1e-2 of the probability (see `Sampler::rejection_min_mass`), so a million consecutive misses
/// has probability below (1 - 1e-2)^1e6 ~ e^-10000: the cap exists only so that no input can
/// make the loop endless. With the 1e-6 mass floor alone it would not be unreachable (a million
/// tries at mass 1e-6 fail with probability 1/e), which is why small masses use the inverse CDF.
pub(super) const MAX_TRIES: u32 = 1_000_000;

/// A family's sampler: its parameters in the form sampling and the CDF need them, with
/// per-family constants precomputed.
#[derive(Debug, Clone)]
pub(super) enum Sampler {
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
pub(super) enum DiscreteDraw {
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
pub(super) struct Table {
    pub(super) values: Vec<f64>,
    pub(super) cum: Vec<f64>,
    pub(super) mean: f64,
    pub(super) variance: f64,
}

impl Table {
    /// From (value, weight) pairs with non-negative weights summing to a positive total.
    pub(super) fn new(pairs: impl Iterator<Item = (f64, f64)>) -> Table {
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

    pub(super) fn cdf(&self, x: f64) -> f64 {
        let below = self.values.partition_point(|&v| v <= x);
        below
            .checked_sub(1)
            .and_then(|i| self.cum.get(i))
            .copied()
            .unwrap_or(0.0)
    }

    /// The smallest value whose CDF reaches p.
    pub(super) fn quantile(&self, p: f64) -> f64 {
        let i = self.cum.partition_point(|&c| c < p);
        self.values
            .get(i)
            .or(self.values.last())
            .copied()
            .unwrap_or(f64::NAN)
    }

    pub(super) fn support(&self) -> (f64, f64) {
        (
            self.values.first().copied().unwrap_or(f64::NAN),
            self.values.last().copied().unwrap_or(f64::NAN),
        )
    }
}

impl Sampler {
    pub(super) fn new(family: &Family) -> Result<Sampler, ParamError> {
        Ok(match family {
            Family::Fixed { value } => Sampler::Fixed(finite("value", *value)?),
            Family::Uniform { min, max } => {
                let (min, max) = interval(*min, *max)?;
                Sampler::Uniform { min, max }
            }
            Family::Normal { mean, sd } => Sampler::Normal {
                mean: finite("mean", *mean)?,
                sd: positive("sd", *sd)?,
            },
            Family::LogNormal { mu, sigma } => Sampler::LogNormal {
                mu: finite("mu", *mu)?,
                sigma: positive("sigma", *sigma)?,
            },
            Family::Triangular { min, mode, max } => {
                finite("min", *min)?;
                finite("mode", *mode)?;
                finite("max", *max)?;
                let (min, max) = interval(*min, *max)?;
                let mode = mode_within(min, *mode, max)?;
                Sampler::Triangular { min, mode, max }
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
                Sampler::Beta {
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
                Sampler::Beta {
                    a,
                    b,
                    min,
                    max,
                    sampler: BetaSampler::new(a, b),
                }
            }
            Family::Exponential { mean } => Sampler::Exponential {
                mean: positive("mean", *mean)?,
            },
            Family::Gamma { shape, scale } => {
                let shape = shape_param("shape", *shape)?;
                Sampler::Gamma {
                    shape,
                    scale: positive("scale", *scale)?,
                    sampler: GammaSampler::new(shape),
                }
            }
            Family::Weibull { shape, scale } => Sampler::Weibull {
                shape: positive("shape", *shape)?,
                scale: positive("scale", *scale)?,
            },
            Family::Bernoulli { p } => {
                let p = finite("p", *p)?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(param_error(
                        "p",
                        format!(
                            "p must be between 0 and 1, found {}",
                            crate::format::number(p)
                        ),
                    ));
                }
                Sampler::Bernoulli { p }
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
                Sampler::Discrete {
                    draw: DiscreteDraw::Weighted {
                        values: values.clone(),
                        cum,
                    },
                    table: Table::new(values.iter().copied().zip(weights.iter().copied())),
                }
            }
            Family::Empirical { values } => {
                finite_values(values)?;
                Sampler::Discrete {
                    draw: DiscreteDraw::Equal {
                        values: values.clone(),
                    },
                    table: Table::new(values.iter().map(|&v| (v, 1.0))),
                }
            }
            // Dist::build folds a mixture's bounds into its components; untruncated, it is this.
            Family::Mixture { components } => {
                Sampler::Mixture(Box::new(mixture::Mixture::new(components, None, None)?))
            }
            Family::Metalog {
                coefficients,
                min,
                max,
                ..
            } => Sampler::Metalog(Box::new(metalog::Metalog::new(coefficients, *min, *max)?)),
        })
    }

    /// Kept probability below which truncated draws use the inverse CDF. Rejection costs about
    /// (one draw)/mass and the inverse CDF one quantile; measured, the quantile costs about as
    /// much as 70 normal draws (a Halley step on the normal CDF) or 100 gamma draws (Newton on
    /// the incomplete gamma function), but only a few draws where it is closed form and cheap.
    /// Never below 1e-2, so rejection never comes near MAX_TRIES.
    pub(super) fn rejection_min_mass(&self) -> f64 {
        match self {
            // A metalog's inverse CDF is its definition: cheaper than any rejection.
            Sampler::Uniform { .. } | Sampler::Metalog(_) => f64::INFINITY,
            Sampler::Triangular { .. } | Sampler::Exponential { .. } | Sampler::Weibull { .. } => {
                0.25
            }
            _ => 0.01,
        }
    }

    /// (F(x), 1 - F(x)) of the untruncated family, each accurate where it is small.
    pub(super) fn cdf_sf(&self, x: f64) -> (f64, f64) {
        match self {
            Sampler::Fixed(v) => {
                if x < *v {
                    (0.0, 1.0)
                } else {
                    (1.0, 0.0)
                }
            }
            Sampler::Uniform { min, max } => {
                if x <= *min {
                    (0.0, 1.0)
                } else if x >= *max {
                    (1.0, 0.0)
                } else {
                    let w = max - min;
                    ((x - min) / w, (max - x) / w)
                }
            }
            Sampler::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                (norm_cdf(z), norm_cdf(-z))
            }
            Sampler::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let z = (x.ln() - mu) / sigma;
                    (norm_cdf(z), norm_cdf(-z))
                }
            }
            Sampler::Triangular { min, mode, max } => {
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
            Sampler::Beta { a, b, min, max, .. } => {
                if x <= *min {
                    (0.0, 1.0)
                } else if x >= *max {
                    (1.0, 0.0)
                } else {
                    let w = max - min;
                    beta_pair(*a, *b, (x - min) / w, (max - x) / w)
                }
            }
            Sampler::Exponential { mean } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let t = x / mean;
                    (-(-t).exp_m1(), (-t).exp())
                }
            }
            Sampler::Gamma { shape, scale, .. } => gamma_pq(*shape, x / scale),
            Sampler::Weibull { shape, scale } => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let t = (x / scale).powf(*shape);
                    (-(-t).exp_m1(), (-t).exp())
                }
            }
            Sampler::Bernoulli { p } => {
                if x < 0.0 {
                    (0.0, 1.0)
                } else if x < 1.0 {
                    (1.0 - p, *p)
                } else {
                    (1.0, 0.0)
                }
            }
            Sampler::Discrete { table, .. } => {
                let f = table.cdf(x);
                (f, 1.0 - f)
            }
            Sampler::Mixture(m) => m.cdf_sf(x),
            Sampler::Metalog(m) => m.cdf_sf(x),
        }
    }

    /// The x at which the untruncated family has the given tail probability.
    pub(super) fn quantile_tail(&self, tail: Tail) -> f64 {
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Uniform { min, max } => match tail {
                Tail::Lower(p) => min + p * (max - min),
                Tail::Upper(s) => max - s * (max - min),
            },
            Sampler::Normal { mean, sd } => match tail {
                Tail::Lower(p) => mean + sd * norm_quantile(p),
                Tail::Upper(s) => mean - sd * norm_quantile(s),
            },
            Sampler::LogNormal { mu, sigma } => match tail {
                Tail::Lower(p) => (mu + sigma * norm_quantile(p)).exp(),
                Tail::Upper(s) => (mu - sigma * norm_quantile(s)).exp(),
            },
            Sampler::Triangular { min, mode, max } => {
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
            Sampler::Beta { a, b, min, max, .. } => {
                let (y, yc) = match tail {
                    Tail::Lower(p) => beta_inv_pair(*a, *b, p, false),
                    Tail::Upper(s) => beta_inv_pair(*a, *b, s, true),
                };
                let w = max - min;
                if y <= yc { min + w * y } else { max - w * yc }
            }
            Sampler::Exponential { mean } => match tail {
                Tail::Lower(p) => -mean * (-p).ln_1p(),
                Tail::Upper(s) => -mean * s.ln(),
            },
            Sampler::Gamma { shape, scale, .. } => match tail {
                Tail::Lower(p) => scale * gamma_p_inv(*shape, p),
                Tail::Upper(s) => scale * gamma_q_inv(*shape, s),
            },
            Sampler::Weibull { shape, scale } => {
                let e = match tail {
                    Tail::Lower(p) => -(-p).ln_1p(),
                    Tail::Upper(s) => -s.ln(),
                };
                scale * e.powf(1.0 / shape)
            }
            Sampler::Bernoulli { p } => {
                let q = match tail {
                    Tail::Lower(q) => q,
                    Tail::Upper(s) => 1.0 - s,
                };
                if q <= 1.0 - p { 0.0 } else { 1.0 }
            }
            Sampler::Discrete { table, .. } => match tail {
                Tail::Lower(q) => table.quantile(q),
                Tail::Upper(s) => table.quantile(1.0 - s),
            },
            Sampler::Mixture(m) => m.quantile(tail),
            Sampler::Metalog(m) => m.quantile(tail),
        }
    }

    pub(super) fn support(&self) -> (f64, f64) {
        match self {
            Sampler::Fixed(v) => (*v, *v),
            Sampler::Uniform { min, max }
            | Sampler::Triangular { min, max, .. }
            | Sampler::Beta { min, max, .. } => (*min, *max),
            Sampler::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Sampler::LogNormal { .. }
            | Sampler::Exponential { .. }
            | Sampler::Gamma { .. }
            | Sampler::Weibull { .. } => (0.0, f64::INFINITY),
            Sampler::Bernoulli { p } => {
                if *p == 0.0 {
                    (0.0, 0.0)
                } else if *p == 1.0 {
                    (1.0, 1.0)
                } else {
                    (0.0, 1.0)
                }
            }
            Sampler::Discrete { table, .. } => table.support(),
            Sampler::Mixture(m) => m.support(),
            Sampler::Metalog(m) => m.support(),
        }
    }

    pub(super) fn moments(&self) -> (f64, f64) {
        match self {
            Sampler::Fixed(v) => (*v, 0.0),
            Sampler::Uniform { min, max } => {
                let w = max - min;
                (min + 0.5 * w, w * w / 12.0)
            }
            Sampler::Normal { mean, sd } => (*mean, sd * sd),
            Sampler::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                ((mu + 0.5 * s2).exp(), s2.exp_m1() * (2.0 * mu + s2).exp())
            }
            Sampler::Triangular { min, mode, max } => {
                let w = max - min;
                let c = (mode - min) / w;
                (min + w * (1.0 + c) / 3.0, w * w * (1.0 - c + c * c) / 18.0)
            }
            Sampler::Beta { a, b, min, max, .. } => {
                // For PERT this mean is (min + lambda mode + max)/(lambda + 2).
                let w = max - min;
                let n = a + b;
                (min + w * (a / n), w * w * (a * b / (n * n * (n + 1.0))))
            }
            Sampler::Exponential { mean } => (*mean, mean * mean),
            Sampler::Gamma { shape, scale, .. } => (shape * scale, shape * scale * scale),
            Sampler::Weibull { shape, scale } => {
                let g1 = ln_gamma(1.0 + 1.0 / shape);
                let g2 = ln_gamma(1.0 + 2.0 / shape);
                // Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 cancels for large shapes; the log ratio
                // through expm1 keeps more of it.
                (
                    scale * g1.exp(),
                    scale * scale * (2.0 * g1).exp() * (g2 - 2.0 * g1).exp_m1(),
                )
            }
            Sampler::Bernoulli { p } => (*p, p * (1.0 - p)),
            Sampler::Discrete { table, .. } => (table.mean, table.variance),
            Sampler::Mixture(m) => m.moments(),
            Sampler::Metalog(m) => m.moments(),
        }
    }
}

/// Fills `out` from `draw`, redrawing values outside `bounds` when there are bounds. Generic so
/// that each family gets its own loop with the draw inlined.
#[inline(always)]
pub(super) fn run(
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
pub(super) fn draw_within(
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
        match &self.sampler {
            Sampler::Fixed(v) => out.fill(*v),
            Sampler::Uniform { min, max } => {
                let (min, w) = (*min, max - min);
                run(out, rng, bounds, |r| min + w * u01(r));
            }
            Sampler::Normal { mean, sd } => {
                let (mean, sd) = (*mean, *sd);
                run(out, rng, bounds, |r| mean + sd * std_normal(r));
            }
            Sampler::LogNormal { mu, sigma } => {
                let (mu, sigma) = (*mu, *sigma);
                run(out, rng, bounds, |r| (mu + sigma * std_normal(r)).exp());
            }
            Sampler::Triangular { min, mode, max } => {
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
            Sampler::Beta {
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
            Sampler::Exponential { mean } => {
                let mean = *mean;
                run(out, rng, bounds, |r| {
                    let e: f64 = Exp1.sample(r);
                    mean * e
                });
            }
            Sampler::Gamma { scale, sampler, .. } => {
                let (scale, sampler) = (*scale, *sampler);
                run(out, rng, bounds, |r| scale * sampler.sample(r));
            }
            Sampler::Weibull { shape, scale } => {
                // Inverse CDF scale (-ln(1 - U))^(1/shape), with -ln(1 - U) drawn directly as
                // a ziggurat exponential, which is cheaper than the logarithm.
                let (inv_shape, scale) = (1.0 / shape, *scale);
                run(out, rng, bounds, |r| {
                    let e: f64 = Exp1.sample(r);
                    scale * e.powf(inv_shape)
                });
            }
            Sampler::Bernoulli { p } => {
                let p = *p;
                run(out, rng, None, |r| if u01(r) < p { 1.0 } else { 0.0 });
            }
            Sampler::Mixture(m) => m.fill(rng, out),
            Sampler::Metalog(m) => m.fill(rng, out, bounds),
            Sampler::Discrete { draw, table } => {
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
}
