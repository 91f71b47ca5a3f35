//! Mixtures: each draw comes from one of several component distributions, picked with the
//! components' weights.
//!
//! A column is filled in two passes: first every position's component (one uniform each, looked
//! up in the cumulative weights), then each component fills all of its positions in one call to
//! its own sampler. The family is thus dispatched once per component per column, not once per
//! draw, and the draws stay a deterministic function of the generator's state and the column
//! length.
//!
//! Truncating a mixture as a whole is the same as truncating each component to the bounds and
//! reweighting it by the probability it keeps there, so a truncated mixture is built as that
//! mixture of truncated components: sampling stays exact and fast, and the moments stay those of
//! the components (analytic or by quadrature). Discrete components cannot be truncated, so a
//! mixture with one cannot either.
//!
//! The CDF is the weighted sum of the components' CDFs (and the survival function that of
//! theirs, so upper tails keep their digits). The quantile at p is found by the Illinois method
//! (with bisection to guarantee progress, [`crate::numeric::roots::first_reached`]) in a bracket: two neighbouring entries of a 64-point
//! table of the mixture's own quantiles, built once; or, in the outer 1/64 of either tail, the
//! smallest and the largest component quantile at p (below the smallest, every component's CDF
//! is below p; at the largest, every one has reached it). With atoms (discrete components) the
//! search ends on adjacent floating-point numbers, so the quantile is the smallest x with
//! F(x) >= p to the last bit and lands exactly on an atom; without, within 8 units in the last
//! place.

use super::fast::u01;
use super::{Component, Dist, Family, MIN_MASS, ParamError, StreamRng, Tail, finite};
use super::{param_error, too_little_mass, valid_weights};
use crate::format::number;
use crate::numeric::roots::first_reached;

/// Most components a mixture may have.
pub const MAX_COMPONENTS: usize = 100;

#[derive(Debug, Clone)]
pub(super) struct Mixture {
    /// The components that can be drawn (positive weight, and some probability inside the
    /// mixture's bounds), truncated to those bounds.
    parts: Vec<Dist>,
    /// Cumulative probabilities of `parts`, the last exactly 1.
    cum: Vec<f64>,
    probs: Vec<f64>,
    mean: f64,
    variance: f64,
    support: (f64, f64),
    /// The quantiles at 1/64, 2/64, ..., 63/64 with the CDF and survival function there, as
    /// computed: brackets for the quantile search that need no evaluation and are narrow.
    table: Vec<(f64, f64, f64)>,
    /// How close (in floating-point numbers) the quantile search must close in: to adjacent
    /// numbers when a discrete component has atoms the answer must land on exactly, otherwise to
    /// a few units in the last place.
    resolution: u64,
}

/// The quantile table's resolution: brackets of 1/64 in probability leave the secant steps a
/// few evaluations to reach the last bit.
const TABLE: usize = 64;

fn component_error(i: usize, e: ParamError) -> ParamError {
    param_error(e.param, format!("component {}: {}", i + 1, e.message))
}

impl Mixture {
    /// Validates the components (at least one and at most 100, weights >= 0 summing to 1 within
    /// 1e-9, no mixture inside a mixture, each a valid distribution) and the bounds.
    pub(super) fn new(
        components: &[Component],
        lower: Option<f64>,
        upper: Option<f64>,
    ) -> Result<Mixture, ParamError> {
        if components.is_empty() {
            return Err(param_error(
                "components",
                "a mixture needs at least one component".to_owned(),
            ));
        }
        if components.len() > MAX_COMPONENTS {
            return Err(param_error(
                "components",
                format!(
                    "a mixture may have at most {MAX_COMPONENTS} components, found {}",
                    components.len()
                ),
            ));
        }
        let weights: Vec<f64> = components.iter().map(|c| c.weight).collect();
        // Checked like a choice's weights (the weights stand in for the values, whose count is
        // all that check reads).
        valid_weights(&weights, &weights).map_err(|e| param_error("components", e.message))?;
        let mut whole = Vec::with_capacity(components.len());
        for (i, c) in components.iter().enumerate() {
            if matches!(c.family, Family::Mixture { .. }) {
                return Err(param_error(
                    "components",
                    format!(
                        "component {}: a mixture component cannot itself be a mixture",
                        i + 1
                    ),
                ));
            }
            whole.push(
                Dist::new(c.family.clone(), c.lower, c.upper).map_err(|e| component_error(i, e))?,
            );
        }
        let (parts, probs) = if lower.is_none() && upper.is_none() {
            components
                .iter()
                .zip(whole)
                .filter(|(c, _)| c.weight > 0.0)
                .map(|(c, d)| (d, c.weight))
                .unzip()
        } else {
            truncate(components, whole, lower, upper)?
        };
        let total: f64 = probs.iter().sum();
        let mut running = 0.0;
        let mut cum: Vec<f64> = probs
            .iter()
            .map(|p| {
                running += p;
                (running / total).min(1.0)
            })
            .collect();
        if let Some(last) = cum.last_mut() {
            *last = 1.0;
        }
        let probs: Vec<f64> = probs.iter().map(|p| p / total).collect();
        // Law of total variance: the components' own variances plus the spread of their means.
        let mean: f64 = parts.iter().zip(&probs).map(|(d, p)| p * d.mean()).sum();
        let variance: f64 = parts
            .iter()
            .zip(&probs)
            .map(|(d, p)| p * (d.variance() + (d.mean() - mean) * (d.mean() - mean)))
            .sum();
        let support = parts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |s, d| {
                let (lo, hi) = d.support();
                (s.0.min(lo), s.1.max(hi))
            });
        let mut mixture = Mixture {
            parts,
            cum,
            probs,
            mean,
            variance,
            support,
            table: Vec::new(),
            resolution: 1,
        };
        // The table itself is searched to the last bit; queries need not be when the CDF has no
        // jumps (8 units in the last place is a relative error of 2e-15).
        let atoms = mixture.parts.iter().any(|d| d.family().is_discrete());
        mixture.table = (1..TABLE)
            .map(|i| {
                let x = mixture.search(Tail::Lower(i as f64 / TABLE as f64));
                let (f, s) = mixture.cdf_sf(x);
                (x, f, s)
            })
            .collect();
        if !atoms {
            mixture.resolution = 8;
        }
        Ok(mixture)
    }

    pub(super) fn moments(&self) -> (f64, f64) {
        (self.mean, self.variance)
    }

    pub(super) fn support(&self) -> (f64, f64) {
        self.support
    }

    pub(super) fn cdf_sf(&self, x: f64) -> (f64, f64) {
        let (f, s) = self
            .parts
            .iter()
            .zip(&self.probs)
            .fold((0.0, 0.0), |(f, s), (d, p)| {
                let (fk, sk) = d.cdf_sf(x);
                (f + p * fk, s + p * sk)
            });
        (f.min(1.0), s.min(1.0))
    }

    pub(super) fn fill(&self, rng: &mut StreamRng, out: &mut [f64]) {
        let k = self.parts.len();
        if k == 1 {
            if let Some(d) = self.parts.first() {
                d.fill(rng, out);
            }
            return;
        }
        let n = out.len();
        let cum = &self.cum;
        let which: Vec<usize> = (0..n)
            .map(|_| {
                let u = u01(rng);
                cum.partition_point(|&c| c <= u).min(k - 1)
            })
            .collect();
        // Counting sort of the positions by component, each component's positions in order.
        let mut start = vec![0usize; k + 1];
        for &w in &which {
            start[w + 1] += 1;
        }
        for i in 0..k {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut order = vec![0usize; n];
        for (pos, &w) in which.iter().enumerate() {
            order[next[w]] = pos;
            next[w] += 1;
        }
        let mut drawn = vec![0.0; n];
        for (i, d) in self.parts.iter().enumerate() {
            d.fill(rng, &mut drawn[start[i]..start[i + 1]]);
        }
        for (&pos, &x) in order.iter().zip(&drawn) {
            out[pos] = x;
        }
    }

    /// The smallest x whose CDF reaches the tail probability (for `Tail::Upper(s)`: whose
    /// survival function has fallen to s).
    pub(super) fn quantile(&self, tail: Tail) -> f64 {
        // The two table entries around the target, compared as the gap below computes them,
        // so the bracket's signs are exactly those the search relies on.
        let position = match tail {
            Tail::Lower(p) => self.table.partition_point(|&(_, f, _)| f < p),
            Tail::Upper(q) => self.table.partition_point(|&(_, _, s)| s > q),
        };
        if let (Some(&(lo, f_lo, s_lo)), Some(&(hi, f_hi, s_hi))) = (
            position.checked_sub(1).and_then(|i| self.table.get(i)),
            self.table.get(position),
        ) {
            let (g_lo, g_hi) = match tail {
                Tail::Lower(p) => (f_lo - p, f_hi - p),
                Tail::Upper(q) => (q - s_lo, q - s_hi),
            };
            return first_reached(lo, hi, g_lo, g_hi, self.resolution, |x| self.gap(tail, x));
        }
        self.search(tail)
    }

    /// Negative below the quantile, >= 0 from it on; continuous where the CDF is.
    fn gap(&self, tail: Tail, x: f64) -> f64 {
        let (f, s) = self.cdf_sf(x);
        match tail {
            Tail::Lower(p) => f - p,
            Tail::Upper(q) => q - s,
        }
    }

    /// The quantile searched for from the bracket of the components' quantiles.
    fn search(&self, tail: Tail) -> f64 {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for d in &self.parts {
            let q = d.quantile_at(tail);
            lo = lo.min(q);
            hi = hi.max(q);
        }
        if lo.is_nan() || hi.is_nan() {
            return f64::NAN;
        }
        let gap = |x: f64| self.gap(tail, x);
        let g_lo = gap(lo);
        if g_lo >= 0.0 || lo == hi {
            return lo;
        }
        let mut g_hi = gap(hi);
        if g_hi < 0.0 {
            // Rounding in the components' CDFs: the quantile lies just above the bracket.
            let (_, top) = self.support;
            g_hi = gap(top);
            if g_hi < 0.0 {
                return top;
            }
            return first_reached(hi, top, gap(hi), g_hi, self.resolution, gap);
        }
        first_reached(lo, hi, g_lo, g_hi, self.resolution, gap)
    }
}

/// Truncates each component to [lower, upper] and weights it by the probability it keeps there.
fn truncate(
    components: &[Component],
    whole: Vec<Dist>,
    lower: Option<f64>,
    upper: Option<f64>,
) -> Result<(Vec<Dist>, Vec<f64>), ParamError> {
    let bound_param = if lower.is_some() { "lower" } else { "upper" };
    let lo = lower.map(|l| finite("lower", l)).transpose()?;
    let hi = upper.map(|u| finite("upper", u)).transpose()?;
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo >= hi
    {
        return Err(param_error(
            "upper",
            format!("upper must be greater than lower ({lo}), found {hi}"),
        ));
    }
    if let Some((i, c)) = components
        .iter()
        .enumerate()
        .find(|(_, c)| c.weight > 0.0 && c.family.is_discrete())
    {
        return Err(param_error(
            bound_param,
            format!(
                "{bound_param} applies to a mixture only when all its components are continuous, and component {} is {}; give the continuous components their own lower and upper instead",
                i + 1,
                c.family.name()
            ),
        ));
    }
    let mut parts = Vec::new();
    let mut masses = Vec::new();
    for (c, d) in components.iter().zip(whole) {
        if c.weight <= 0.0 {
            continue;
        }
        let (f_lo, s_lo) = lo.map_or((0.0, 1.0), |x| d.cdf_sf(x));
        let (f_hi, s_hi) = hi.map_or((1.0, 0.0), |x| d.cdf_sf(x));
        // Differenced on the side where the probabilities are small, as for any truncation.
        let mass = if s_lo < f_hi {
            s_lo - s_hi
        } else {
            f_hi - f_lo
        };
        if mass.is_nan() || mass <= 0.0 {
            continue;
        }
        let within =
            |own: Option<f64>, outer: Option<f64>, pick: fn(f64, f64) -> f64| match (own, outer) {
                (Some(a), Some(b)) => Some(pick(a, b)),
                (a, b) => a.or(b),
            };
        let part_lo = within(c.lower, lo, f64::max);
        let part_hi = within(c.upper, hi, f64::min);
        // The kept mass may be far below the 1e-6 a single input must keep: this component is
        // then a small part of the mixture, and its truncated sampler (by inverse CDF) is exact.
        match Dist::build(c.family.clone(), part_lo, part_hi, f64::MIN_POSITIVE) {
            Ok(part) => {
                parts.push(part);
                masses.push(c.weight * mass);
            }
            // Below the smallest normal number: nothing a double can show.
            Err(_) if mass < 1e-300 => {}
            Err(e) => return Err(e),
        }
    }
    let total: f64 = masses.iter().sum();
    if total.is_nan() || total < MIN_MASS {
        let kept = (total > 0.0).then(|| number(total));
        return Err(too_little_mass(lower, upper, "lower", kept));
    }
    Ok((parts, masses))
}
