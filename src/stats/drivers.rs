//! What drives an outcome, from trials kept whole: the first-order Sobol' index of the outcome on
//! one driver (the share of its variance the driver explains alone), estimated from the given
//! trials by the rank-based nearest-neighbour estimator with a sectioning interval; Spearman's
//! rank correlation; and how a yes/no outcome (making a deadline) differs between a driver's low
//! and high trials, with Newcombe's interval for the difference.
//!
//! The estimator (Gamboa, Klein and Lagnoux, "Global sensitivity analysis: a novel generation of
//! mighty estimators based on rank statistics", Bernoulli 28(4), 2022; the idea behind
//! Chatterjee's 2021 correlation): order the trials by the driver; neighbours in that order have
//! nearly the same driver value, so half the mean squared difference of their outcomes estimates
//! E[Var(Y | X)], and S = 1 - E[Var(Y | X)] / Var(Y). It needs no bins or bandwidth, and works
//! unchanged for a two-valued driver (a chance event, a route): neighbours then share the value
//! exactly. Its interval comes from sectioning (Asmussen and Glynn, Stochastic Simulation, 2007,
//! III.5): the estimate on each of [`SECTIONS`] consecutive blocks of trials gives a standard
//! error, with Student's t on 19 degrees of freedom.

use crate::numeric::sort::Sorter;

/// The blocks of consecutive trials the sectioning interval is computed from.
pub const SECTIONS: usize = 20;
/// Student's t 97.5% quantile on `SECTIONS - 1` = 19 degrees of freedom.
const T95_19: f64 = 2.093_024;

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub ci95: (f64, f64),
}

impl Estimate {
    /// Whether the interval leaves zero out (the estimate is distinguishable from none at all).
    pub fn excludes_zero(&self) -> bool {
        self.ci95.0 > 0.0 || self.ci95.1 < 0.0
    }
}

/// The first-order Sobol' index of `y` on `x` (same length, no NaN), with its sectioning
/// interval; None when `y` does not vary or there are too few trials for the sections.
pub fn first_order_index(x: &[f64], y: &[f64]) -> Option<Estimate> {
    let n = x.len();
    if n < SECTIONS * 10 || y.len() != n {
        return None;
    }
    let whole = rank_index(x, y)?;
    let sections: Vec<f64> = (0..SECTIONS)
        .filter_map(|s| {
            let (a, b) = (s * n / SECTIONS, (s + 1) * n / SECTIONS);
            rank_index(&x[a..b], &y[a..b])
        })
        .collect();
    let k = sections.len() as f64;
    if sections.len() < 2 {
        return None;
    }
    let mean = sections.iter().sum::<f64>() / k;
    let var = sections.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (k - 1.0);
    let half = T95_19 * (var / k).sqrt();
    Some(Estimate {
        value: whole,
        ci95: (whole - half, whole + half),
    })
}

/// The rank-based estimate 1 - sum (y[o(j+1)] - y[o(j)])^2 / (2 (n - 1) Var y), `o` ordering the
/// trials by `x` (ties in trial order); None when `y` does not vary.
fn rank_index(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    if var <= 0.0 || n < 3.0 {
        return None;
    }
    let mut order = Vec::new();
    Sorter::default().argsort(x, &mut order);
    let squares: f64 = order
        .windows(2)
        .map(|w| (y[w[1] as usize] - y[w[0] as usize]).powi(2))
        .sum();
    Some(1.0 - squares / (2.0 * (n - 1.0) * var))
}

/// Spearman's rank correlation of `x` and `y` (ties get average ranks); None when either side
/// does not vary.
pub fn rank_correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Ranks 1..=n with tied values sharing their average rank.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    // A radix argsort: several times faster than a comparison sort on the 100,000-trial sample,
    // and this runs on every input. Values within 2^-32 of the range of each other may come out
    // in row order rather than value order, which moves no rank correlation measurably.
    let mut order = Vec::new();
    Sorter::default().argsort(values, &mut order);
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value = values[order[start] as usize];
        let mut end = start + 1;
        while end < order.len() && values[order[end] as usize] == value {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i as usize] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson correlation; None when either side does not vary.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Which trials count as a driver's "low" and "high": values at most `low_at_most`, and at least
/// `high_at_least` (`low_at_most < high_at_least`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub low_at_most: f64,
    pub high_at_least: f64,
}

/// The bottom and top quarters of `x` by value: at most its 25th percentile and at least its
/// 75th. When those are one value m (a value held by half the trials or more), the groups are the
/// values on either side of m, or m against the values above (below) it when there are none
/// below (above): so a two-valued driver, such as a chance event's 0 and 1, compares its two
/// values. None when `x` does not vary.
pub fn quarters(x: &[f64]) -> Option<Split> {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let (q1, q3) = (*sorted.get(n / 4)?, sorted[(3 * n / 4).min(n - 1)]);
    if q1 < q3 {
        return Some(Split {
            low_at_most: q1,
            high_at_least: q3,
        });
    }
    let below = sorted.iter().rev().find(|&&v| v < q1).copied();
    let above = sorted.iter().find(|&&v| v > q1).copied();
    let (low_at_most, high_at_least) = match (below, above) {
        (Some(b), Some(a)) => (b, a),
        (None, Some(a)) => (q1, a),
        (Some(b), None) => (b, q1),
        (None, None) => return None,
    };
    Some(Split {
        low_at_most,
        high_at_least,
    })
}

/// Trials in a driver's low and high groups, and how many of each made the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupCounts {
    pub low_made: u64,
    pub low: u64,
    pub high_made: u64,
    pub high: u64,
}

/// Counts each group's trials and those among them that `made` the deadline.
pub fn group_counts(x: &[f64], made: &[bool], split: Split) -> GroupCounts {
    let mut c = GroupCounts::default();
    for (&v, &ok) in x.iter().zip(made) {
        if v <= split.low_at_most {
            c.low += 1;
            c.low_made += u64::from(ok);
        } else if v >= split.high_at_least {
            c.high += 1;
            c.high_made += u64::from(ok);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_average_ranks() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    #[test]
    fn rank_correlation_has_the_right_sign_and_needs_variation() {
        let a: Vec<f64> = (0..100).map(f64::from).collect();
        let down: Vec<f64> = a.iter().map(|v| -v * v).collect();
        assert_eq!(rank_correlation(&a, &down), Some(-1.0));
        assert_eq!(rank_correlation(&a, &[5.0; 100]), None);
    }

    #[test]
    fn quarters_of_continuous_and_two_valued_drivers() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(
            quarters(&x),
            Some(Split {
                low_at_most: 25.0,
                high_at_least: 75.0
            })
        );
        // A rare event: 0 in 90 trials, 1 in 10: without against with.
        let event: Vec<f64> = (0..100).map(|i| f64::from(i < 10)).collect();
        assert_eq!(
            quarters(&event),
            Some(Split {
                low_at_most: 0.0,
                high_at_least: 1.0
            })
        );
        // Three values, the middle one held by most trials: the two outer values.
        let three: Vec<f64> = (0..100)
            .map(|i| {
                if i < 5 {
                    0.0
                } else if i < 95 {
                    1.0
                } else {
                    2.0
                }
            })
            .collect();
        assert_eq!(
            quarters(&three),
            Some(Split {
                low_at_most: 0.0,
                high_at_least: 2.0
            })
        );
        assert_eq!(quarters(&[4.0; 10]), None);
        let made: Vec<bool> = (0..100).map(|i| i % 2 == 0).collect();
        let c = group_counts(&event, &made, quarters(&event).unwrap());
        assert_eq!(
            c,
            GroupCounts {
                low_made: 45,
                low: 90,
                high_made: 5,
                high: 10
            }
        );
    }

    /// Y = X1 + X2 exactly with X2 = 0: the index of X1 is 1 (up to the neighbours' differences
    /// of a smooth function, O(1/n^2) here) and the interval is tight.
    #[test]
    fn an_outcome_that_is_the_driver_has_index_one() {
        let n = 4000;
        let x: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64).collect();
        let e = first_order_index(&x, &x).unwrap();
        assert!((e.value - 1.0).abs() < 1e-5, "{e:?}");
        assert!(e.excludes_zero());
        assert!(first_order_index(&x, &[1.0; 4000]).is_none(), "y constant");
    }
}
