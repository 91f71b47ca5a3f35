//! Truncation: the bounds checked against the mass they keep, probabilities measured from the
//! tail where they keep their digits, and truncated means and variances from closed-form partial
//! moments.

use super::sampler::Sampler;
use super::validate::{finite, param_error, too_little_mass};
use super::{Family, ParamError};
use crate::numeric::special::{beta_pair, gamma_pq, ln_gamma, ln_norm_cdf, norm_cdf, norm_pdf};

/// Truncation bounds with the untruncated CDF and survival function at them, precomputed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Trunc {
    /// The bounds, infinite when absent.
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// The support after truncation, for clamping quantiles.
    pub(super) min: f64,
    pub(super) max: f64,
    pub(super) f_lo: f64,
    pub(super) s_lo: f64,
    pub(super) mass: f64,
    /// Probabilities are differenced from the upper tail: when the kept range lies above the
    /// median, F(hi) - F(lo) would subtract two numbers close to 1 and lose the digits of a small
    /// mass, while S(lo) - S(hi) keeps them.
    pub(super) upper_side: bool,
    /// Draw by inverse CDF rather than rejection.
    pub(super) by_inverse: bool,
}

/// A probability measured from one end of the distribution.
#[derive(Debug, Clone, Copy)]
pub(super) enum Tail {
    /// P(X <= x).
    Lower(f64),
    /// P(X > x).
    Upper(f64),
}

impl Trunc {
    /// The untruncated tail probability at which the truncated distribution has CDF p.
    pub(super) fn tail(&self, p: f64) -> Tail {
        if self.upper_side {
            Tail::Upper(self.s_lo - p * self.mass)
        } else {
            Tail::Lower(self.f_lo + p * self.mass)
        }
    }
}

/// E[Y^k; Y <= y] and E[Y^k; Y > y] for k = 0, 1, 2, of a family's standardized variable Y.
pub(super) struct Partial {
    pub(super) lower: [f64; 3],
    pub(super) upper: [f64; 3],
}

impl Partial {
    /// For y beyond the support's ends: everything lies above (or below) y.
    pub(super) fn below_support(total: [f64; 3]) -> Partial {
        Partial {
            lower: [0.0; 3],
            upper: total,
        }
    }

    pub(super) fn above_support(total: [f64; 3]) -> Partial {
        Partial {
            lower: total,
            upper: [0.0; 3],
        }
    }
}

impl Sampler {
    /// Mean and variance given lo <= X <= hi.
    pub(super) fn truncated_moments(&self, t: &Trunc) -> (f64, f64) {
        match self {
            Sampler::Uniform { min, max } => {
                let a = min.max(t.lo);
                let b = max.min(t.hi);
                (a + 0.5 * (b - a), (b - a) * (b - a) / 12.0)
            }
            Sampler::Normal { mean, sd } => {
                by_parts(*mean, *sd, t, |x| normal_partial((x - mean) / sd))
            }
            Sampler::LogNormal { mu, sigma } => lognormal_truncated(*mu, *sigma, t),
            Sampler::Triangular { min, mode, max } => {
                let w = max - min;
                let c = (mode - min) / w;
                by_parts(*min, w, t, |x| {
                    triangular_partial(c, (x - min) / w, (max - x) / w)
                })
            }
            Sampler::Beta { a, b, min, max, .. } => {
                let w = max - min;
                by_parts(*min, w, t, |x| {
                    beta_partial(*a, *b, (x - min) / w, (max - x) / w)
                })
            }
            Sampler::Exponential { mean } => {
                by_parts(0.0, *mean, t, |x| gamma_partial(1.0, x / mean))
            }
            Sampler::Gamma { shape, scale, .. } => {
                by_parts(0.0, *scale, t, |x| gamma_partial(*shape, x / scale))
            }
            Sampler::Weibull { shape, scale } => {
                by_parts(0.0, *scale, t, |x| weibull_partial(*shape, x / scale))
            }
            Sampler::Metalog(m) => m.truncated_moments(t.lo, t.hi),
            // Discrete families cannot be truncated (Dist::new refuses it), and a truncated
            // mixture is a mixture of truncated components (Dist::build).
            Sampler::Fixed(_)
            | Sampler::Bernoulli { .. }
            | Sampler::Discrete { .. }
            | Sampler::Mixture(_) => self.moments(),
        }
    }
}

/// Truncated mean and variance of X = loc + scale Y from the partial moments of Y at the bounds.
/// Each moment is differenced on the side where the terms are smaller: the moments weight the
/// range differently (for a small gamma shape the mass sits near 0 but the mean further out),
/// so one side for all three can cancel every digit of one of them.
pub(super) fn by_parts(
    loc: f64,
    scale: f64,
    t: &Trunc,
    partial: impl Fn(f64) -> Partial,
) -> (f64, f64) {
    let at_lo = partial(t.lo);
    let at_hi = partial(t.hi);
    let [m0, m1, m2] = side_by_side(at_lo, at_hi);
    let mean = m1 / m0;
    let var = (m2 / m0 - mean * mean).max(0.0);
    (loc + scale * mean, scale * scale * var)
}

/// E[Y^k; lo < Y <= hi] for k = 0, 1, 2, each from the lower or upper partial moments,
/// whichever subtracts the smaller numbers.
pub(super) fn side_by_side(at_lo: Partial, at_hi: Partial) -> [f64; 3] {
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

pub(super) fn minus(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    let ([a0, a1, a2], [b0, b1, b2]) = (a, b);
    [a0 - b0, a1 - b1, a2 - b2]
}

/// Partial moments from the constants c_k = E[Y^k] and the (lower, upper) tail probabilities
/// of the k-th moment distribution.
pub(super) fn scaled(c: [f64; 3], tails: [(f64, f64); 3]) -> Partial {
    let ([c0, c1, c2], [(l0, u0), (l1, u1), (l2, u2)]) = (c, tails);
    Partial {
        lower: [c0 * l0, c1 * l1, c2 * l2],
        upper: [c0 * u0, c1 * u1, c2 * u2],
    }
}

pub(super) fn normal_partial(z: f64) -> Partial {
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
pub(super) fn gamma_partial(a: f64, y: f64) -> Partial {
    scaled(
        [1.0, a, a * (a + 1.0)],
        [0.0, 1.0, 2.0].map(|k| gamma_pq(a + k, y)),
    )
}

/// Partial moments of Y = X / scale for Weibull(shape): Y = E^(1/shape) with E ~ Exp(1), so
/// E[Y^k; Y <= y] = Gamma(1 + k/shape) P(1 + k/shape, y^shape).
pub(super) fn weibull_partial(shape: f64, y: f64) -> Partial {
    let t = if y <= 0.0 { 0.0 } else { y.powf(shape) };
    let a = [0.0, 1.0, 2.0].map(|k| 1.0 + k / shape);
    scaled(a.map(|a| ln_gamma(a).exp()), a.map(|a| gamma_pq(a, t)))
}

/// Partial moments of Beta(a, b): E[Y^k; Y <= y] = B(a + k, b)/B(a, b) I_y(a + k, b).
pub(super) fn beta_partial(a: f64, b: f64, y: f64, yc: f64) -> Partial {
    let n = a + b;
    scaled(
        [1.0, a / n, a * (a + 1.0) / (n * (n + 1.0))],
        [0.0, 1.0, 2.0].map(|k| beta_pair(a + k, b, y, yc)),
    )
}

/// Partial moments of the triangular distribution on [0, 1] with mode c, integrated in closed
/// form from the left (density 2y/c) or the right (density 2(1 - y)/(1 - c)), whichever side of
/// the mode y is on; r = 1 - y is passed separately to keep its digits.
pub(super) fn triangular_partial(c: f64, y: f64, r: f64) -> Partial {
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
pub(super) fn ln_normal_mass(a: f64, b: f64) -> f64 {
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
pub(super) fn lognormal_truncated(mu: f64, sigma: f64, t: &Trunc) -> (f64, f64) {
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

/// Validates the truncation bounds and precomputes what the truncated CDF and sampler need.
pub(super) fn truncation(
    family: &Family,
    sampler: &Sampler,
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
        sampler.cdf_sf(lo)
    } else {
        (0.0, 1.0)
    };
    let (f_hi, s_hi) = if upper.is_some() {
        sampler.cdf_sf(hi)
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
    let (min, max) = sampler.support();
    Ok(Some(Trunc {
        lo,
        hi,
        min: min.max(lo),
        max: max.min(hi),
        f_lo,
        s_lo,
        mass,
        upper_side,
        by_inverse: mass < sampler.rejection_min_mass(),
    }))
}
