//! Rank correlation between inputs: Spearman's coefficient, the normal-score correlation that
//! gives a rank correlation, and imposing a correlation on a chunk of samples by the
//! Iman-Conover method, which only reorders each input's values, so every input keeps its own
//! distribution exactly. (The matrix routines it needs, and the compiler's check of a requested
//! matrix, are in [`crate::numeric::matrix`].) Iman-Conover stays here rather than beside the
//! engine because it is rank statistics: it shares its scores and Pearson matrix with Spearman.

use super::drivers::average_ranks;
use crate::numeric::matrix::{Matrix, cholesky, lower_inverse};
use crate::numeric::sort::Sorter;

/// Work space for imposing rank correlations on chunks by the Iman-Conover method (Iman and
/// Conover 1982), reused from chunk to chunk so the hot path allocates nothing.
#[derive(Debug, Default)]
pub struct ImanConover {
    /// Van der Waerden scores for the current chunk length, increasing.
    scores: Vec<f64>,
    /// Per column: the rank (into `scores`) of each row's random score.
    ranks: Vec<Vec<u32>>,
    /// Per column: each row's score, `scores[ranks[row]]`.
    gathered: Matrix,
    /// The rank each row's value takes in the reordered column.
    target: Vec<u32>,
    /// Each row's target score, and the rows in order of it.
    target_scores: Vec<f64>,
    order: Vec<u32>,
    by_value: Vec<u32>,
    sorted: Vec<f64>,
    sorter: Sorter,
}

impl ImanConover {
    /// Reorders each column so the columns' rank correlations approach the target whose
    /// Cholesky factor is `chol`, with the random scores drawn from `rng`. Values never change,
    /// only their order.
    pub fn apply(
        &mut self,
        columns: &mut [&mut [f64]],
        chol: &Matrix,
        rng: &mut crate::random::StreamRng,
    ) {
        let k = columns.len();
        let n = columns.first().map_or(0, |c| c.len());
        if k < 2 || n < 3 {
            return;
        }
        if self.scores.len() != n {
            self.scores = scores(n);
        }
        self.ranks.resize_with(k, Vec::new);
        self.gathered.resize_with(k, Vec::new);
        for (ranks, gathered) in self.ranks.iter_mut().zip(&mut self.gathered) {
            shuffle_into(ranks, n, rng);
            gathered.clear();
            gathered.extend(ranks.iter().map(|&r| self.scores[r as usize]));
        }
        // Undo the scores' own sample correlation, then impose the target: T = S (Q^-1)^T L^T.
        let sample = pearson_matrix(&self.gathered);
        let Some(q) = cholesky(&sample) else { return };
        let q_inv = lower_inverse(&q);
        let m: Matrix = (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| (0..k).map(|l| chol[i][l] * q_inv[l][j]).sum())
                    .collect()
            })
            .collect();
        for (j, column) in columns.iter_mut().enumerate() {
            // M is lower triangular with a positive diagonal: a row with nothing left of the
            // diagonal orders its column exactly as its own scores do, with no sort.
            let target = if m[j][..j].iter().all(|&x| x == 0.0) {
                &self.ranks[j]
            } else {
                self.target_scores.clear();
                self.target_scores.extend(
                    (0..n).map(|r| (0..=j).map(|l| m[j][l] * self.gathered[l][r]).sum::<f64>()),
                );
                self.sorter
                    .argsort_coarse(&self.target_scores, &mut self.order);
                self.target.resize(n, 0);
                for (rank, &row) in self.order.iter().enumerate() {
                    self.target[row as usize] = rank as u32;
                }
                &self.target
            };
            // The column's values in increasing order (to 2^-24 of their range: rows that close
            // are interchangeable here), each then moved to the row that takes its rank.
            self.sorter.argsort_coarse(column, &mut self.by_value);
            self.sorted.clear();
            self.sorted
                .extend(self.by_value.iter().map(|&row| column[row as usize]));
            for (value, &rank) in column.iter_mut().zip(target) {
                *value = self.sorted[rank as usize];
            }
        }
    }
}

/// A uniformly random permutation of 0..n (Fisher-Yates).
fn shuffle_into(out: &mut Vec<u32>, n: usize, rng: &mut crate::random::StreamRng) {
    out.clear();
    out.extend(0..n as u32);
    for i in (1..n).rev() {
        let j = crate::random::uniform_index(rng, i + 1);
        out.swap(i, j);
    }
}

fn pearson_matrix(columns: &Matrix) -> Matrix {
    let k = columns.len();
    let n = columns.first().map_or(0, Vec::len) as f64;
    let means: Vec<f64> = columns.iter().map(|c| c.iter().sum::<f64>() / n).collect();
    // Centred cross products, computed pair by pair without copying the columns (this runs for
    // every chunk of a correlated run).
    let cross = |i: usize, j: usize| -> f64 {
        let (mi, mj) = (means[i], means[j]);
        columns[i]
            .iter()
            .zip(&columns[j])
            .map(|(a, b)| (a - mi) * (b - mj))
            .sum()
    };
    let norms: Vec<f64> = (0..k).map(|i| cross(i, i).sqrt()).collect();
    let mut m = vec![vec![1.0; k]; k];
    for i in 0..k {
        for j in 0..i {
            let r = cross(i, j) / (norms[i] * norms[j]);
            m[i][j] = r;
            m[j][i] = r;
        }
    }
    m
}

/// Spearman's rank correlation of two columns.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let m = pearson_matrix(&vec![average_ranks(a), average_ranks(b)]);
    m[0][1]
}

/// The van der Waerden scores Phi^-1(i / (n + 1)), i = 1..n, in increasing order.
pub fn scores(n: usize) -> Vec<f64> {
    (1..=n)
        .map(|i| crate::numeric::special::norm_quantile(i as f64 / (n as f64 + 1.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::{Dist, Family, StreamRng};
    use rand::SeedableRng;

    #[test]
    fn iman_conover_imposes_the_rank_correlation_and_keeps_the_values() {
        let n = 20_000;
        let mut rng = StreamRng::seed_from_u64(3);
        let mut a = vec![0.0; n];
        let mut b = vec![0.0; n];
        Dist::new(
            Family::Gamma {
                shape: 2.0,
                scale: 1.0,
            },
            None,
            None,
        )
        .unwrap()
        .fill(&mut rng, &mut a);
        Dist::new(Family::Uniform { min: 0.0, max: 1.0 }, None, None)
            .unwrap()
            .fill(&mut rng, &mut b);
        let (mut a_sorted, mut b_sorted) = (a.clone(), b.clone());
        let r = crate::numeric::matrix::score_correlation(0.6);
        let target = vec![vec![1.0, r], vec![r, 1.0]];
        let chol = cholesky(&target).unwrap();
        ImanConover::default().apply(&mut [&mut a, &mut b], &chol, &mut rng);
        let rho = spearman(&a, &b);
        // Scores correlated at 2 sin(pi 0.6 / 6) have rank correlation 0.6; Iman-Conover removes
        // the scores' own sampling correlation, so the error is well below 0.01 at n = 20,000.
        assert!((rho - 0.6).abs() < 0.01, "achieved {rho}, wanted 0.6");
        let (mut a2, mut b2) = (a.clone(), b.clone());
        for v in [&mut a_sorted, &mut b_sorted, &mut a2, &mut b2] {
            v.sort_by(f64::total_cmp);
        }
        assert_eq!(a_sorted, a2, "marginal of a unchanged");
        assert_eq!(b_sorted, b2, "marginal of b unchanged");
    }
}
