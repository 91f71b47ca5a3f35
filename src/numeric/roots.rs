//! Root finders. Each solves a different problem with its own iteration and stopping rule, so
//! they stay separate functions: folding two into one would change the iterates, and with them
//! the last bits of the quantiles and fits that rest on them (every shipped output is compared
//! bit for bit). Where two copies did the same job (the gamma and Weibull likelihood equations)
//! they are now one, [`newton_steps`], with identical arithmetic.
//!
//! - [`solve_positive`]: Newton on ln(probability) against ln(x) inside a bracket, for the
//!   gamma and beta quantiles (power-law and exponential tails become straight or convex);
//! - [`first_reached`]: the smallest float where a non-decreasing step function reaches zero,
//!   by Illinois steps kept off the bracket ends (mixture quantiles, exact on atoms);
//! - [`newton_bracketed`]: plain Newton inside a bracket with bisection as fallback (the
//!   metalog CDF, which inverts a smooth increasing function of L);
//! - [`newton_steps`]: Newton steps kept within a factor of the current point, without a
//!   bracket (the shape equations of the gamma and Weibull maximum-likelihood fits).

use super::sort::{from_ordered_bits, ordered_bits};

/// Next point for bracketing when Newton's step is unusable: geometric bisection over wide
/// positive brackets, so quantiles like 1e-200 are reached in a few hundred steps at worst.
fn bisect_positive(lo: f64, hi: f64) -> f64 {
    if hi.is_infinite() {
        if lo > 0.0 { lo * 4.0 } else { 1.0 }
    } else if lo <= 0.0 {
        hi / 1024.0
    } else if hi > 4.0 * lo {
        lo.sqrt() * hi.sqrt()
    } else {
        0.5 * (lo + hi)
    }
}

/// Solves prob(x) = target for x in (0, x_max), where `eval(x)` returns (prob(x), x * density(x))
/// and prob is the lower-tail probability (`upper` false) or the upper-tail one. Newton steps are
/// taken on ln(prob) against ln(x): power-law tails are then straight lines, and exponential ones
/// convex, so the iteration converges from any reasonable start; a bracket guards every step.
pub fn solve_positive(
    target: f64,
    upper: bool,
    x0: f64,
    x_max: f64,
    eval: impl Fn(f64) -> (f64, f64),
) -> f64 {
    let ln_target = target.ln();
    let (mut lo, mut hi) = (0.0, x_max);
    let mut x = if x0.is_finite() && x0 > lo && x0 < hi {
        x0
    } else {
        bisect_positive(lo, hi)
    };
    // Near the root the bracket can collapse onto a point Newton cannot improve on, and the
    // last bisection midpoint is then not the best point seen.
    let (mut best, mut best_h) = (x, f64::INFINITY);
    for _ in 0..400 {
        let (prob, x_density) = eval(x);
        let mut h = prob.ln() - ln_target;
        if upper {
            h = -h;
        }
        if h.abs() < best_h {
            (best, best_h) = (x, h.abs());
        }
        if h == 0.0 {
            return x;
        }
        if h < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let step = h * prob / x_density;
        let newton = x * (-step).exp();
        if step.abs() <= 4.0 * f64::EPSILON && newton.is_finite() {
            // Converged: the step is at the rounding level of x.
            return newton.max(lo).min(hi);
        }
        x = if newton > lo && newton < hi {
            newton
        } else {
            bisect_positive(lo, hi)
        };
        if x == 0.0 {
            // Bisection underflowed: the root is below the smallest positive double.
            return 0.0;
        }
        if hi.is_finite() && hi - lo <= 4.0 * f64::EPSILON * hi {
            return best;
        }
    }
    best
}

/// The point halfway between lo and hi: arithmetically, or across the bit patterns when the
/// ends lie orders of magnitude apart on one side of zero (then it is about their geometric mean,
/// and a few halvings reach any magnitude instead of a thousand).
fn middle(lo: f64, hi: f64) -> f64 {
    let same_side = lo >= 0.0 || hi <= 0.0;
    let (small, large) = (lo.abs().min(hi.abs()), lo.abs().max(hi.abs()));
    if same_side && large > 4.0 * small {
        let (a, b) = (ordered_bits(lo), ordered_bits(hi));
        from_ordered_bits(a + (b - a) / 2)
    } else {
        0.5 * lo + 0.5 * hi
    }
}

/// The smallest floating-point x in (lo, hi] with gap(x) >= 0, for a non-decreasing `gap` with
/// gap(lo) < 0 <= gap(hi), to within `resolution` floating-point numbers (1: exactly).
///
/// Illinois steps (regula falsi, halving the value kept at an end that stays put) converge
/// superlinearly where gap is smooth, but near the root gap is rounding noise and the far end
/// would creep in. So, as in Dekker's and Brent's methods, a step stays a few floating-point
/// numbers away from both ends: once the estimate is that close to the root, the next step
/// crosses it and the bracket collapses. When four steps fail to halve the bracket (gap jumps at
/// an atom, or is flat), the next one bisects. With a resolution of 1 the loop ends on adjacent
/// numbers, where hi is the answer to the last bit.
pub fn first_reached(
    mut lo: f64,
    mut hi: f64,
    mut g_lo: f64,
    mut g_hi: f64,
    resolution: u64,
    gap: impl Fn(f64) -> f64,
) -> f64 {
    /// Fewest floating-point numbers a secant step keeps from either end.
    const MARGIN: u64 = 4;
    let mut kept = 0i8;
    let mut width_before = f64::INFINITY;
    let mut ordered_before = u64::MAX;
    for step in 0..400 {
        let (a, b) = (ordered_bits(lo), ordered_bits(hi));
        let count = b.saturating_sub(a);
        if count <= resolution.max(1) {
            break;
        }
        let width = hi - lo;
        if step % 4 == 0 {
            width_before = width;
            ordered_before = count;
        }
        // Progress is halving either the width or the count of numbers in between.
        let progress = width <= 0.5 * width_before || count <= ordered_before / 2;
        let slow = step % 4 == 3 && !progress;
        let x = if slow || count <= 2 * MARGIN {
            middle(lo, hi)
        } else {
            let secant = hi - g_hi * ((hi - lo) / (g_hi - g_lo));
            if secant.is_nan() {
                middle(lo, hi)
            } else {
                from_ordered_bits(ordered_bits(secant).clamp(a + MARGIN, b - MARGIN))
            }
        };
        let g = gap(x);
        if g < 0.0 {
            lo = x;
            g_lo = g;
            if kept == 1 {
                g_hi /= 2.0;
            }
            kept = 1;
        } else {
            hi = x;
            g_hi = g;
            if kept == -1 {
                g_lo /= 2.0;
            }
            kept = -1;
        }
    }
    hi
}

/// The root of an increasing `g` in (lo, hi), with g(lo) < 0 < g(hi), by Newton steps on its
/// derivative `d`, falling back to bisection whenever a step leaves the bracket. Ends when a
/// step is below 1e-15 relative (or lands on an end), or after 200 steps.
pub fn newton_bracketed(
    mut lo: f64,
    mut hi: f64,
    g: impl Fn(f64) -> f64,
    d: impl Fn(f64) -> f64,
) -> f64 {
    let mut l = 0.5 * (lo + hi);
    for _ in 0..200 {
        let g = g(l);
        if g < 0.0 {
            lo = l;
        } else if g > 0.0 {
            hi = l;
        } else {
            return l;
        }
        let d = d(l);
        let mut next = l - g / d;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - l).abs() <= 1e-15 * l.abs().max(1.0) || next == lo || next == hi {
            return next;
        }
        l = next;
    }
    l
}

/// Newton's method on a positive unknown from `start`: `eval` gives the function and its
/// derivative, `limit(k, next)` keeps each step within a factor of the current point. Ends when
/// a step is below 1e-12 relative, or after `max_steps` steps.
pub fn newton_steps(
    start: f64,
    max_steps: usize,
    eval: impl Fn(f64) -> (f64, f64),
    limit: impl Fn(f64, f64) -> f64,
) -> f64 {
    let mut k = start;
    for _ in 0..max_steps {
        let (f, df) = eval(k);
        let next = limit(k, k - f / df);
        if (next - k).abs() < 1e-12 * k {
            return next;
        }
        k = next;
    }
    k
}
