//! Double-exponential (tanh-sinh and exp-sinh) quadrature against a density on the real line,
//! or on a half-line or interval of it: the metalog's moments, where Q has logarithmic and power
//! singularities at both ends.

/// ln(cosh(u)) without overflow.
pub fn ln_cosh(u: f64) -> f64 {
    let a = u.abs();
    a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2
}

/// How the quadrature maps the real line onto the range of L it integrates over.
#[derive(Debug, Clone, Copy)]
pub enum Map {
    /// L = sinh(tau), over all of L.
    Whole,
    /// L = from + e^(pi/2 sinh(tau)), over (from, infinity).
    Above(f64),
    /// L = to - e^(pi/2 sinh(tau)), over (-infinity, to).
    Below(f64),
    /// L = c + r tanh(pi/2 sinh(tau)), over (c - r, c + r).
    Between(f64, f64),
}

const HALF_PI: f64 = std::f64::consts::FRAC_PI_2;

impl Map {
    /// L and ln(dL/dtau) at tau.
    pub fn at(self, tau: f64) -> (f64, f64) {
        match self {
            Map::Whole => (tau.sinh(), ln_cosh(tau)),
            Map::Above(from) => {
                let e = HALF_PI * tau.sinh();
                (from + e.exp(), HALF_PI.ln() + ln_cosh(tau) + e)
            }
            Map::Below(to) => {
                let e = HALF_PI * tau.sinh();
                (to - e.exp(), HALF_PI.ln() + ln_cosh(tau) + e)
            }
            Map::Between(c, r) => {
                let s = HALF_PI * tau.sinh();
                (
                    c + r * s.tanh(),
                    r.ln() + HALF_PI.ln() + ln_cosh(tau) - 2.0 * ln_cosh(s),
                )
            }
        }
    }

    /// The range of tau outside which the integrand is negligible, given how far in L each
    /// open end must reach.
    pub fn range(self, reach_below: f64, reach_above: f64) -> (f64, f64) {
        // e^(pi/2 sinh tau) below 1e-300: the node sits on the finite end to all digits.
        let near = -(700.0 / HALF_PI).asinh();
        match self {
            Map::Whole => (-reach_below.asinh(), reach_above.asinh()),
            Map::Above(_) => (near, (reach_above.max(2.0).ln() / HALF_PI).asinh()),
            Map::Below(_) => (near, (reach_below.max(2.0).ln() / HALF_PI).asinh()),
            Map::Between(..) => (-4.5, 4.5),
        }
    }
}

/// The trapezoid rule in tau with the step halved until two estimates agree to 1e-13 of the
/// integral of |f| (double-exponential quadrature: each halving roughly doubles the digits, so
/// the last estimate is far more accurate than that difference). `f` gets L and
/// ln(dL/dtau) + ln_weight(L) and returns N integrands.
pub fn integrate<const N: usize>(
    map: Map,
    (tau_lo, tau_hi): (f64, f64),
    ln_weight: impl Fn(f64) -> f64,
    f: impl Fn(f64, f64) -> [f64; N],
) -> [f64; N] {
    let eval = |tau: f64| {
        let (l, ln_jacobian) = map.at(tau);
        f(l, ln_jacobian + ln_weight(l))
    };
    let mut h = 0.5;
    let (mut sum, mut abs) = ([0.0; N], [0.0; N]);
    let first = (tau_lo / h).ceil() as i64;
    let last = (tau_hi / h).floor() as i64;
    for k in first..=last {
        let v = eval(k as f64 * h);
        for i in 0..N {
            sum[i] += v[i];
            abs[i] += v[i].abs();
        }
    }
    let mut estimate = sum.map(|s| s * h);
    for level in 1..=11 {
        h /= 2.0;
        let first = (tau_lo / h).ceil() as i64;
        let last = (tau_hi / h).floor() as i64;
        for k in first..=last {
            if k % 2 != 0 {
                let v = eval(k as f64 * h);
                for i in 0..N {
                    sum[i] += v[i];
                    abs[i] += v[i].abs();
                }
            }
        }
        let next = sum.map(|s| s * h);
        let settled = (0..N).all(|i| (next[i] - estimate[i]).abs() <= 1e-13 * abs[i] * h);
        estimate = next;
        if level >= 3 && settled {
            break;
        }
    }
    estimate
}
