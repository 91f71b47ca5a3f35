//! What drives the spread: for each input, its rank correlation with the outcome and how far the
//! outcome's median moves between the input's lowest and highest tenth of trials.

use crate::numeric::sort::Sorter;
use rayon::prelude::*;

/// One input's influence on the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub input: String,
    /// Spearman's rank correlation with the outcome (ties get average ranks).
    pub rank_correlation: f64,
    /// Median outcome among trials where the input is in its top tenth, minus the median where it
    /// is in its bottom tenth, in seconds.
    pub median_swing: f64,
}

/// Ranks drivers by |rank correlation|, strongest first. Trials whose outcome is missing (NaN:
/// the milestone was not reached) are left out; inputs that never vary are skipped.
pub fn drivers(names: &[String], inputs: &[Vec<f64>], outcome: &[f64]) -> Vec<Driver> {
    let reached: Vec<usize> = (0..outcome.len())
        .filter(|&i| !outcome[i].is_nan())
        .collect();
    if reached.len() < 20 {
        return Vec::new();
    }
    let y: Vec<f64> = reached.iter().map(|&i| outcome[i]).collect();
    let y_ranks = average_ranks(&y);
    // Inputs in parallel: each is independent, and collecting keeps their order.
    let mut out: Vec<Driver> = names
        .par_iter()
        .zip(inputs)
        .filter_map(|(name, column)| {
            // An empty column is an input the engine knows never varies.
            if column.is_empty() {
                return None;
            }
            let x: Vec<f64> = reached
                .iter()
                .map(|&i| column.get(i).copied().unwrap_or(f64::NAN))
                .collect();
            let first = x.first().copied()?;
            if x.iter().all(|&v| v.to_bits() == first.to_bits()) {
                return None;
            }
            let rho = pearson(&average_ranks(&x), &y_ranks)?;
            Some(Driver {
                input: name.clone(),
                rank_correlation: rho,
                median_swing: median_swing(&x, &y),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.rank_correlation
            .abs()
            .total_cmp(&a.rank_correlation.abs())
            .then_with(|| a.input.cmp(&b.input))
    });
    out
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

/// Median of y where x is at or above its 90th percentile, minus where it is at or below its
/// 10th (by value, so a two-valued input compares its two values).
fn median_swing(x: &[f64], y: &[f64]) -> f64 {
    let mut scratch = x.to_vec();
    let at = |p: f64, v: &mut [f64]| {
        let k = ((v.len() - 1) as f64 * p).round() as usize;
        *v.select_nth_unstable_by(k, f64::total_cmp).1
    };
    let (low, high) = (at(0.1, &mut scratch), at(0.9, &mut scratch));
    let pick = |keep: &dyn Fn(f64) -> bool| {
        let mut v: Vec<f64> = x
            .iter()
            .zip(y)
            .filter(|(a, _)| keep(**a))
            .map(|(_, b)| *b)
            .collect();
        median(&mut v)
    };
    pick(&|a| a >= high) - pick(&|a| a <= low)
}

/// The median (mean of the two middle values for an even count); NaN for no values.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let (odd, upper) = (v.len() % 2 == 1, v.len() / 2);
    let (below, &mut high, _) = v.select_nth_unstable_by(upper, f64::total_cmp);
    if odd {
        return high;
    }
    let low = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (low + high) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_even_and_empty_sets() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn ties_share_average_ranks() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    #[test]
    fn strongest_driver_comes_first_with_the_right_sign() {
        // y = 10 a - b: a drives up, b drives down weakly, c not at all.
        let n = 1000;
        let a: Vec<f64> = (0..n).map(|i| ((i * 37) % n) as f64).collect();
        let b: Vec<f64> = (0..n).map(|i| ((i * 91) % n) as f64).collect();
        let c: Vec<f64> = vec![5.0; n];
        let y: Vec<f64> = (0..n).map(|i| 10.0 * a[i] - b[i]).collect();
        let names = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let d = drivers(&names, &[a, b, c], &y);
        assert_eq!(d.len(), 2, "constant input skipped");
        assert_eq!(d[0].input, "a");
        assert!(d[0].rank_correlation > 0.9);
        assert!(d[1].rank_correlation < 0.0);
        assert!(d[0].median_swing > 0.0 && d[1].median_swing < 0.0);
    }
}
