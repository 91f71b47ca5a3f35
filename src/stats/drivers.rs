//! What drives the spread: for each input, its rank correlation with the outcome and how far the
//! outcome's median moves between the input's lowest and highest tenth of trials.

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
    let mut out: Vec<Driver> = names
        .iter()
        .zip(inputs)
        .filter_map(|(name, column)| {
            let x: Vec<f64> = reached
                .iter()
                .map(|&i| column.get(i).copied().unwrap_or(f64::NAN))
                .collect();
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
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
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
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    let (low, high) = (at(0.1), at(0.9));
    let pick = |keep: &dyn Fn(f64) -> bool| {
        let mut v: Vec<f64> = x
            .iter()
            .zip(y)
            .filter(|(a, _)| keep(**a))
            .map(|(_, b)| *b)
            .collect();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            f64::NAN
        } else {
            (v[(v.len() - 1) / 2] + v[v.len() / 2]) / 2.0
        }
    };
    pick(&|a| a >= high) - pick(&|a| a <= low)
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
