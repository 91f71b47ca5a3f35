//! Metalog distributions (Keelin 2016, "The Metalog Distributions", Decision Analysis 13(4)):
//! a quantile function that is linear in its coefficients, so it can be fitted to an expert's
//! quantiles by least squares, and flexible enough for shapes no named family has.
//!
//! With y the probability, t = y - 1/2 and L = ln(y / (1 - y)), the k-term metalog is
//! M(y) = a1 + a2 L + a3 t L + a4 t + a5 t^2 + a6 t^2 L + a7 t^3 + a8 t^3 L + a9 t^4 (first k
//! terms), kept here as A(t) + B(t) L with A holding terms 1, 4, 5, 7, 9 and B terms 2, 3, 6, 8.
//! The quantile function is M itself (unbounded), `min + e^M` (bounded below), `max - e^-M`
//! (bounded above) or `min + (max - min) / (1 + e^-M)` (bounded on both sides). The transforms
//! are increasing, so Q is a quantile function exactly when M increases in L:
//! dM/dL = B(t) + y(1 - y) (A'(t) + B'(t) L) > 0. That is checked on a grid with local
//! refinement of every grid minimum, and in the tails (where y(1 - y) vanishes) analytically:
//! B(-1/2) > 0 and B(1/2) > 0.
//!
//! Moments: closed forms for the unbounded metalog of up to three terms (mean a1 + a3/2, variance
//! a2^2 pi^2/3 + a3^2 (pi^2 + 3)/36); otherwise double-exponential quadrature of Q and
//! (Q - mean)^2 over L against the logistic density of L, which converges geometrically despite
//! the logarithmic and power singularities of Q at y = 0 and 1. A semi-bounded metalog has a
//! power-law tail, x ~ (1 - y)^-B(1/2) bounded below: its mean is infinite when B(1/2) >= 1 and its
//! variance when B(1/2) >= 1/2, and those moments are reported as infinite.
//!
//! The CDF inverts Q numerically in L (safeguarded Newton inside a bracket), so both tail
//! probabilities keep their digits: F = 1/(1 + e^-L) and 1 - F = 1/(1 + e^L).

use super::fast::u01_open;
use super::{ParamError, StreamRng, Tail, param_error};
use crate::format::number;
use crate::numeric::optimize::{golden_min, least_squares};
use crate::numeric::quadrature::{Map, integrate};
use crate::numeric::roots::newton_bracketed;

/// Fewest and most terms: two terms are the logistic distribution; nine are as many as an expert's
/// quantiles can sensibly pin down.
pub const MIN_TERMS: usize = 2;
pub const MAX_TERMS: usize = 9;

/// Largest |L| the CDF distinguishes: beyond it 1/(1 + e^L) underflows.
const L_MAX: f64 = 750.0;

/// The largest draw below 1: `u01_open` can round up to exactly 1 (with probability 2^-53), where
/// L would be infinite.
const Y_MAX: f64 = 1.0 - 1.0 / 9_007_199_254_740_992.0;

/// The support's ends and the transform they imply.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bounds {
    Unbounded,
    Lower(f64),
    Upper(f64),
    Both(f64, f64),
}

/// A validated, increasing metalog with its moments.
#[derive(Debug, Clone)]
pub(super) struct Metalog {
    /// Coefficients of A(t) and B(t), lowest power first (zeros beyond the terms given).
    a: [f64; 5],
    b: [f64; 4],
    bounds: Bounds,
    mean: f64,
    variance: f64,
}

/// Why no metalog could be built from what was given.
#[derive(Debug, Clone, PartialEq)]
pub enum MetalogError {
    /// The inputs themselves are wrong (a probability outside (0, 1), too few points, ...).
    Invalid(String),
    /// The probabilities cannot determine this many coefficients (the least-squares system is
    /// singular).
    Singular,
    /// The fitted quantile function decreases near probability `near` (0 or 1: in a tail).
    NotIncreasing { near: f64 },
}

/// Where basis term j (0-based) sits: in B (times L) or in A, and its power of t.
fn slot(j: usize) -> (bool, usize) {
    match j {
        0 => (false, 0),
        1 => (true, 0),
        2 => (true, 1),
        3 => (false, 1),
        // From the fifth term on they alternate: odd terms t^((j-1)/2), even terms t^(j/2-1) L.
        _ if j.is_multiple_of(2) => (false, j / 2),
        _ => (true, (j - 1) / 2),
    }
}

#[inline(always)]
fn poly<const N: usize>(c: &[f64; N], t: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &c| acc * t + c)
}

fn poly_derivative<const N: usize>(c: &[f64; N], t: f64) -> f64 {
    c.iter()
        .enumerate()
        .skip(1)
        .rev()
        .fold(0.0, |acc, (i, &c)| acc * t + i as f64 * c)
}

/// ln(y / (1 - y)) from y and 1 - y, each given with its own digits.
fn logit(y: f64, yc: f64) -> f64 {
    let r = y / yc;
    if r.is_finite() && r > 0.0 {
        r.ln()
    } else {
        y.ln() - yc.ln()
    }
}

/// y - 1/2 from whichever of y and 1 - y is exact.
fn centred(y: f64, yc: f64) -> f64 {
    if y <= 0.5 { y - 0.5 } else { 0.5 - yc }
}

/// 1 / (1 + e^-l) without overflow.
fn logistic(l: f64) -> f64 {
    if l >= 0.0 {
        1.0 / (1.0 + (-l).exp())
    } else {
        let e = l.exp();
        e / (1.0 + e)
    }
}

/// ln of y(1 - y) at L = logit(y): the logistic density of L.
fn ln_density(l: f64) -> f64 {
    let a = l.abs();
    -a - 2.0 * (-a).exp().ln_1p()
}

fn error(message: impl Into<String>) -> MetalogError {
    MetalogError::Invalid(message.into())
}

/// Coefficients of the metalog with `terms` terms closest, by least squares on the transformed
/// values, to the given (probability, value) points; with as many points as terms it goes
/// through them. Refused when the result is not increasing.
pub fn fit(
    points: &[(f64, f64)],
    terms: usize,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<Vec<f64>, MetalogError> {
    if !(MIN_TERMS..=MAX_TERMS).contains(&terms) {
        return Err(error(format!(
            "a metalog has {MIN_TERMS} to {MAX_TERMS} terms, found {terms}"
        )));
    }
    if points.len() < terms {
        return Err(error(format!(
            "{terms} terms need at least {terms} quantiles, found {}",
            points.len()
        )));
    }
    let bounds = bounds(min, max).map_err(|e| error(e.message))?;
    let mut columns = vec![Vec::with_capacity(points.len()); terms];
    let mut z = Vec::with_capacity(points.len());
    for &(p, x) in points {
        if !(p > 0.0 && p < 1.0) {
            return Err(error(format!(
                "a quantile's probability must lie strictly between 0 and 1, found {}",
                number(p)
            )));
        }
        let zx = transform(bounds, x);
        if !zx.is_finite() {
            return Err(error(format!(
                "quantile {} lies outside the metalog's bounds",
                number(x)
            )));
        }
        let (l, t) = (logit(p, 1.0 - p), centred(p, 1.0 - p));
        for (j, column) in columns.iter_mut().enumerate() {
            let (in_b, power) = slot(j);
            let tp = t.powi(power as i32);
            column.push(if in_b { tp * l } else { tp });
        }
        z.push(zx);
    }
    let coefficients = least_squares(columns, z).ok_or(MetalogError::Singular)?;
    let (a, b) = split(&coefficients);
    match decreasing_at(&a, &b) {
        Some(l) => Err(MetalogError::NotIncreasing {
            near: if l.is_finite() {
                logistic(l)
            } else if l > 0.0 {
                1.0
            } else {
                0.0
            },
        }),
        None => Ok(coefficients),
    }
}

fn bounds(min: Option<f64>, max: Option<f64>) -> Result<Bounds, ParamError> {
    for (param, v) in [("min", min), ("max", max)] {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Err(param_error(
                param,
                format!("{param} must be a finite number, found {}", number(v)),
            ));
        }
    }
    Ok(match (min, max) {
        (None, None) => Bounds::Unbounded,
        (Some(lo), None) => Bounds::Lower(lo),
        (None, Some(hi)) => Bounds::Upper(hi),
        (Some(lo), Some(hi)) if lo < hi && (hi - lo).is_finite() => Bounds::Both(lo, hi),
        (Some(lo), Some(hi)) => {
            return Err(param_error(
                "max",
                format!("max must be greater than min ({lo}), found {hi}"),
            ));
        }
    })
}

/// The value in M's terms: x itself, or its log-distance from the bounds; infinite outside them.
fn transform(bounds: Bounds, x: f64) -> f64 {
    match bounds {
        Bounds::Unbounded => x,
        Bounds::Lower(lo) if x > lo => (x - lo).ln(),
        Bounds::Lower(_) => f64::NEG_INFINITY,
        Bounds::Upper(hi) if x < hi => -(hi - x).ln(),
        Bounds::Upper(_) => f64::INFINITY,
        Bounds::Both(lo, _) if x <= lo => f64::NEG_INFINITY,
        Bounds::Both(_, hi) if x >= hi => f64::INFINITY,
        Bounds::Both(lo, hi) => ((x - lo) / (hi - x)).ln(),
    }
}

fn split(coefficients: &[f64]) -> ([f64; 5], [f64; 4]) {
    let (mut a, mut b) = ([0.0; 5], [0.0; 4]);
    for (j, &c) in coefficients.iter().enumerate() {
        match slot(j) {
            (true, p) => {
                if let Some(x) = b.get_mut(p) {
                    *x = c;
                }
            }
            (false, p) => {
                if let Some(x) = a.get_mut(p) {
                    *x = c;
                }
            }
        }
    }
    (a, b)
}

/// dM/dL at L.
fn slope(a: &[f64; 5], b: &[f64; 4], l: f64) -> f64 {
    let t = 0.5 * (0.5 * l).tanh();
    poly(b, t) + ln_density(l).exp() * (poly_derivative(a, t) + poly_derivative(b, t) * l)
}

/// An L at which M fails to increase (infinite for a tail), or None when M increases everywhere.
/// Beyond |L| = 60 the factor y(1 - y) < 1e-26 leaves dM/dL = B(t) to every digit, and B(t)
/// there is B(+-1/2) to within e^-60, so the grid plus the two tail conditions cover all of L.
fn decreasing_at(a: &[f64; 5], b: &[f64; 4]) -> Option<f64> {
    if a.iter().chain(b).any(|c| !c.is_finite()) {
        return Some(0.0);
    }
    if poly(b, -0.5) <= 0.0 {
        return Some(f64::NEG_INFINITY);
    }
    if poly(b, 0.5) <= 0.0 {
        return Some(f64::INFINITY);
    }
    // Uniform in y (where the body of the distribution is) and uniform in L (the tails).
    let mut grid: Vec<f64> = (1..2000)
        .map(|i| {
            let y = i as f64 / 2000.0;
            logit(y, 1.0 - y)
        })
        .chain((0..=2400).map(|i| -60.0 + 0.05 * i as f64))
        .collect();
    grid.sort_by(f64::total_cmp);
    let values: Vec<f64> = grid.iter().map(|&l| slope(a, b, l)).collect();
    let mut worst: Option<(f64, f64)> = None;
    for i in 0..grid.len() {
        let v = values[i];
        let left = i.checked_sub(1).map_or(f64::INFINITY, |j| values[j]);
        let right = values.get(i + 1).copied().unwrap_or(f64::INFINITY);
        // Strict local minima only: a flat stretch (a constant slope) needs no refining.
        let is_minimum = v <= left && v <= right && (v < left || v < right);
        if !is_minimum && !v.is_nan() {
            continue;
        }
        // A local minimum on the grid: the true minimum lies between its neighbours.
        let lo = i.checked_sub(1).map_or(grid[i], |j| grid[j]);
        let hi = grid.get(i + 1).copied().unwrap_or(grid[i]);
        let (l, m) = golden_min(|l| slope(a, b, l), lo, hi);
        let (l, m) = if v < m || m.is_nan() {
            (grid[i], v)
        } else {
            (l, m)
        };
        if (m.is_nan() || m <= 0.0) && worst.is_none_or(|(_, w)| m < w || m.is_nan()) {
            worst = Some((l, m));
        }
    }
    worst.map(|(l, _)| l)
}

impl Metalog {
    /// Validates coefficients and bounds: 2 to 9 finite coefficients, finite bounds with
    /// min < max, and an increasing quantile function.
    pub(super) fn new(
        coefficients: &[f64],
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<Metalog, ParamError> {
        if !(MIN_TERMS..=MAX_TERMS).contains(&coefficients.len()) {
            return Err(param_error(
                "terms",
                format!(
                    "a metalog has {MIN_TERMS} to {MAX_TERMS} terms, found {}",
                    coefficients.len()
                ),
            ));
        }
        if let Some(c) = coefficients.iter().find(|c| !c.is_finite()) {
            return Err(param_error(
                "quantiles",
                format!(
                    "metalog coefficients must be finite numbers, found {}",
                    number(*c)
                ),
            ));
        }
        let bounds = bounds(min, max)?;
        let (a, b) = split(coefficients);
        if let Some(l) = decreasing_at(&a, &b) {
            let place = if l.is_finite() {
                format!("near P{}", crate::format::trim_number(100.0 * logistic(l)))
            } else if l > 0.0 {
                "in its upper tail".to_owned()
            } else {
                "in its lower tail".to_owned()
            };
            return Err(param_error(
                "quantiles",
                format!("the metalog's quantile function decreases {place}"),
            ));
        }
        let mut m = Metalog {
            a,
            b,
            bounds,
            mean: f64::NAN,
            variance: f64::NAN,
        };
        let (mean, variance) = if bounds == Bounds::Unbounded && coefficients.len() <= 3 {
            m.closed_form_moments()
        } else {
            m.moments_between(f64::NEG_INFINITY, f64::INFINITY)
        };
        m.mean = mean;
        m.variance = variance;
        Ok(m)
    }

    /// Mean a1 + a3/2 and variance a2^2 pi^2/3 + a3^2 (pi^2 + 3)/36 of the unbounded metalog of
    /// up to three terms. With y uniform, L is standard logistic (E[L^2] = pi^2/3) and
    /// t = tanh(L/2)/2 is odd in L, so E[L] = E[t L^2] = 0, E[t L] = 1/2 and
    /// E[t^2 L^2] = (pi^2 + 12)/36.
    fn closed_form_moments(&self) -> (f64, f64) {
        let (a1, a2, a3) = (self.a[0], self.b[0], self.b[1]);
        let pi2 = std::f64::consts::PI * std::f64::consts::PI;
        (
            a1 + a3 / 2.0,
            a2 * a2 * pi2 / 3.0 + a3 * a3 * (pi2 + 3.0) / 36.0,
        )
    }

    /// M at L.
    #[inline(always)]
    fn m(&self, l: f64) -> f64 {
        let t = 0.5 * (0.5 * l).tanh();
        poly(&self.a, t) + poly(&self.b, t) * l
    }

    #[inline(always)]
    fn value_at(&self, m: f64) -> f64 {
        match self.bounds {
            Bounds::Unbounded => m,
            Bounds::Lower(lo) => lo + m.exp(),
            Bounds::Upper(hi) => hi - (-m).exp(),
            Bounds::Both(lo, hi) => {
                if m >= 0.0 {
                    hi - (hi - lo) / (1.0 + m.exp())
                } else {
                    lo + (hi - lo) / (1.0 + (-m).exp())
                }
            }
        }
    }

    pub(super) fn support(&self) -> (f64, f64) {
        match self.bounds {
            Bounds::Unbounded => (f64::NEG_INFINITY, f64::INFINITY),
            Bounds::Lower(lo) => (lo, f64::INFINITY),
            Bounds::Upper(hi) => (f64::NEG_INFINITY, hi),
            Bounds::Both(lo, hi) => (lo, hi),
        }
    }

    pub(super) fn moments(&self) -> (f64, f64) {
        (self.mean, self.variance)
    }

    /// Q at a tail probability, from y and 1 - y each with their own digits.
    pub(super) fn quantile(&self, tail: Tail) -> f64 {
        let (y, yc) = match tail {
            Tail::Lower(p) => (p, 1.0 - p),
            Tail::Upper(s) => (1.0 - s, s),
        };
        let (lo, hi) = self.support();
        if y.is_nan() || yc.is_nan() {
            return f64::NAN;
        }
        if y <= 0.0 {
            return lo;
        }
        if yc <= 0.0 {
            return hi;
        }
        let l = logit(y, yc);
        let t = centred(y, yc);
        self.value_at(poly(&self.a, t) + poly(&self.b, t) * l)
    }

    /// Draws by inverse transform, or by rejection inside `bounds` (which `Dist` only asks for
    /// when truncation keeps most of the mass; metalogs are otherwise truncated by inverse).
    pub(super) fn fill(&self, rng: &mut StreamRng, out: &mut [f64], bounds: Option<(f64, f64)>) {
        let (a, b) = (self.a, self.b);
        let m = move |r: &mut StreamRng| {
            let y = u01_open(r).min(Y_MAX);
            let l = (y / (1.0 - y)).ln();
            let t = y - 0.5;
            poly(&a, t) + poly(&b, t) * l
        };
        // One loop per transform, so the draw carries no branch on the bounds.
        match self.bounds {
            Bounds::Unbounded => super::sampler::run(out, rng, bounds, m),
            Bounds::Lower(lo) => super::sampler::run(out, rng, bounds, |r| lo + m(r).exp()),
            Bounds::Upper(hi) => super::sampler::run(out, rng, bounds, |r| hi - (-m(r)).exp()),
            Bounds::Both(lo, hi) => {
                let w = hi - lo;
                super::sampler::run(out, rng, bounds, |r| {
                    let v = m(r);
                    if v >= 0.0 {
                        hi - w / (1.0 + v.exp())
                    } else {
                        lo + w / (1.0 + (-v).exp())
                    }
                });
            }
        }
    }

    /// The L at which Q reaches x (infinite beyond the support or where the tail probability
    /// underflows), by Newton's method kept inside a bracket and falling back to bisection.
    fn solve(&self, x: f64) -> f64 {
        let z = transform(self.bounds, x);
        if z.is_nan() || z.is_infinite() {
            return z;
        }
        let (lo, hi) = if z >= self.m(0.0) {
            let mut hi = 1.0;
            while self.m(hi) < z {
                if hi > L_MAX {
                    return f64::INFINITY;
                }
                hi *= 2.0;
            }
            (hi / 2.0 - 0.5, hi)
        } else {
            let mut lo = -1.0;
            while self.m(lo) > z {
                if lo < -L_MAX {
                    return f64::NEG_INFINITY;
                }
                lo *= 2.0;
            }
            (lo, lo / 2.0 + 0.5)
        };
        newton_bracketed(lo, hi, |l| self.m(l) - z, |l| slope(&self.a, &self.b, l))
    }

    /// (F(x), 1 - F(x)).
    pub(super) fn cdf_sf(&self, x: f64) -> (f64, f64) {
        if x.is_nan() {
            return (f64::NAN, f64::NAN);
        }
        let l = self.solve(x);
        (logistic(l), logistic(-l))
    }

    /// Mean and variance given lo <= X <= hi.
    pub(super) fn truncated_moments(&self, lo: f64, hi: f64) -> (f64, f64) {
        let la = if lo > f64::NEG_INFINITY {
            self.solve(lo)
        } else {
            f64::NEG_INFINITY
        };
        let lb = if hi < f64::INFINITY {
            self.solve(hi)
        } else {
            f64::INFINITY
        };
        self.moments_between(la, lb)
    }

    /// How fast |Q| grows in each tail, as a rate in L: Q - min ~ e^(B(1/2) L) bounded below,
    /// max - Q ~ e^(B(-1/2) |L|) bounded above, and slower than any exponential otherwise. The
    /// k-th moment over a range reaching that tail is finite when k times the rate is below 1.
    fn tail_rates(&self) -> (f64, f64) {
        match self.bounds {
            Bounds::Lower(_) => (0.0, poly(&self.b, 0.5)),
            Bounds::Upper(_) => (poly(&self.b, -0.5), 0.0),
            _ => (0.0, 0.0),
        }
    }

    /// Q(L) - shift as c + sign e^e, so that products with tiny quadrature weights are formed in
    /// logarithms and never overflow in a heavy tail.
    fn split_at(&self, l: f64, shift: f64) -> (f64, f64, f64) {
        let m = self.m(l);
        match self.bounds {
            Bounds::Lower(lo) => (lo - shift, 1.0, m),
            Bounds::Upper(hi) => (hi - shift, -1.0, -m),
            _ => (self.value_at(m) - shift, 0.0, f64::NEG_INFINITY),
        }
    }

    /// Mean and variance of Q(L) with L logistic restricted to (la, lb).
    pub(super) fn moments_between(&self, la: f64, lb: f64) -> (f64, f64) {
        if la.is_nan() || lb.is_nan() || la >= lb {
            return (f64::NAN, f64::NAN);
        }
        let (rate_lo, rate_hi) = self.tail_rates();
        let (open_lo, open_hi) = (la == f64::NEG_INFINITY, lb == f64::INFINITY);
        let finite_for = |k: f64| !(open_lo && k * rate_lo >= 1.0 || open_hi && k * rate_hi >= 1.0);
        if !finite_for(1.0) {
            return (f64::INFINITY, f64::INFINITY);
        }
        let (map, centre) = match (open_lo, open_hi) {
            (true, true) => (Map::Whole, 0.0),
            (false, true) => (Map::Above(la), la + 1.0),
            (true, false) => (Map::Below(lb), lb - 1.0),
            (false, false) => (
                Map::Between(0.5 * (la + lb), 0.5 * (lb - la)),
                0.5 * (la + lb),
            ),
        };
        // How far the nodes must reach into each open tail: the integrand decays like
        // e^-((1 - k rate) |L|) beyond the body of the distribution (around L = 0), so it falls
        // below e^-800 of its size that far out.
        let reach = |k: f64, rate: f64| (800.0 / (1.0 - k * rate)).min(1e300);
        let range = |k: f64| {
            // From a finite end on the far side of the body, the nodes must first get there.
            let below = reach(k, rate_lo) + if lb.is_finite() { lb.max(0.0) } else { 0.0 };
            let above = reach(k, rate_hi) + if la.is_finite() { (-la).max(0.0) } else { 0.0 };
            map.range(below, above)
        };
        let shift = self.value_at(self.m(centre));
        let [mass, first] = integrate(map, range(1.0), ln_density, |l, ln_w| {
            let (c, sign, e) = self.split_at(l, shift);
            let w = ln_w.exp();
            [w, c * w + sign * (e + ln_w).exp()]
        });
        let mean = shift + first / mass;
        if !finite_for(2.0) {
            return (mean, f64::INFINITY);
        }
        let [second] = integrate(map, range(2.0), ln_density, |l, ln_w| {
            let (c, sign, e) = self.split_at(l, mean);
            let d = c * (0.5 * ln_w).exp() + sign * (e + 0.5 * ln_w).exp();
            [d * d]
        });
        (mean, second / mass)
    }
}
