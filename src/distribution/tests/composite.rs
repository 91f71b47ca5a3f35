//! Mixtures and metalogs: draws against the analytic or numerical mean, variance and CDF, CDF and
//! quantile round trips, fits that reproduce their quantiles, and refusals. Seeds are fixed and
//! tolerances come from the statistics (4 standard errors, the 0.1% KS critical value).

use super::*;

fn metalog(coefficients: &[f64], min: Option<f64>, max: Option<f64>) -> Dist {
    dist(Family::Metalog {
        coefficients: coefficients.to_vec(),
        min,
        max,
        quantiles: Vec::new(),
    })
}

fn fitted(points: &[(f64, f64)], terms: usize, min: Option<f64>, max: Option<f64>) -> Dist {
    let coefficients = metalog::fit(points, terms, min, max).expect("feasible");
    dist(Family::Metalog {
        coefficients,
        min,
        max,
        quantiles: points.to_vec(),
    })
}

fn component(weight: f64, family: Family) -> Component {
    Component {
        weight,
        family,
        lower: None,
        upper: None,
    }
}

fn mixture(components: Vec<Component>) -> Dist {
    dist(Family::Mixture { components })
}

/// sqrt(n) times the largest distance between the empirical and the true CDF, measured on both
/// sides of every distinct value, so atoms (many equal draws) are compared as jumps. For a CDF
/// with jumps the continuous critical value is conservative.
fn ks_with_atoms(d: &Dist, xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mut stat: f64 = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let x = sorted[i];
        let mut j = i;
        while j < sorted.len() && sorted[j] == x {
            j += 1;
        }
        let below = d.cdf(x.next_down());
        let at = d.cdf(x);
        stat = stat
            .max((i as f64 / n - below).abs())
            .max((j as f64 / n - at).abs());
        i = j;
    }
    stat * n.sqrt()
}

/// The mean and variance of Q(U) by the trapezoid rule over s = logit(y), far finer than the
/// module's own quadrature and with a different map: an independent reference.
fn moments_by_trapezoid(d: &Dist) -> (f64, f64) {
    let h = 1e-3;
    let q = |s: f64| {
        if s <= 0.0 {
            d.quantile_at(Tail::Lower(1.0 / (1.0 + (-s).exp())))
        } else {
            d.quantile_at(Tail::Upper(1.0 / (1.0 + s.exp())))
        }
    };
    let weight = |s: f64| {
        let e = (-s.abs()).exp();
        e / ((1.0 + e) * (1.0 + e))
    };
    let nodes: Vec<f64> = (-60_000..=60_000).map(|k| k as f64 * h).collect();
    let mean = nodes.iter().map(|&s| q(s) * weight(s)).sum::<f64>() * h;
    let var = nodes
        .iter()
        .map(|&s| (q(s) - mean).powi(2) * weight(s))
        .sum::<f64>()
        * h;
    (mean, var)
}

mod metalogs;
mod mixtures;
