//! Small dense symmetric matrices (a scenario correlates a handful of inputs): Cholesky
//! factors, Jacobi eigen-decomposition, the nearest correlation matrix, and the inverse of a
//! lower-triangular factor; and the normal-score correlation that gives a rank correlation.

pub type Matrix = Vec<Vec<f64>>;

/// The correlation to give normal scores so that their rank correlation is `rank`
/// (Pearson's relation for the bivariate normal: rho_s = (6 / pi) asin(rho / 2)).
pub fn score_correlation(rank: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank / 6.0).sin()
}

/// The lower-triangular Cholesky factor of a symmetric matrix, or None if it is not positive
/// definite (a tiny ridge is tolerated so perfectly valid singular matrices pass).
pub fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d <= -1e-10 {
                    return None;
                }
                l[i][j] = d.max(1e-12).sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Eigenvalues and eigenvectors (as columns) of a symmetric matrix, by cyclic Jacobi rotations.
pub fn eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.len();
    let mut m = a.clone();
    let mut v: Matrix = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i][j].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
                for row in m.iter_mut() {
                    let (mkp, mkq) = (row[p], row[q]);
                    row[p] = c * mkp - s * mkq;
                    row[q] = s * mkp + c * mkq;
                }
                let (row_p, row_q) = (m[p].clone(), m[q].clone());
                for (k, (mpk, mqk)) in row_p.into_iter().zip(row_q).enumerate() {
                    m[p][k] = c * mpk - s * mqk;
                    m[q][k] = s * mpk + c * mqk;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    ((0..n).map(|i| m[i][i]).collect(), v)
}

/// The nearest correlation matrix (Higham 2002, alternating projections with Dykstra's
/// correction): symmetric, unit diagonal, positive semi-definite.
pub fn nearest_correlation(a: &Matrix) -> Matrix {
    let n = a.len();
    let mut y = a.clone();
    let mut ds = vec![vec![0.0; n]; n];
    for _ in 0..200 {
        let r: Matrix = (0..n)
            .map(|i| (0..n).map(|j| y[i][j] - ds[i][j]).collect())
            .collect();
        let (values, vectors) = eigen(&r);
        let x: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        (0..n)
                            .map(|k| vectors[i][k] * values[k].max(1e-9) * vectors[j][k])
                            .sum()
                    })
                    .collect()
            })
            .collect();
        for i in 0..n {
            for j in 0..n {
                ds[i][j] = x[i][j] - r[i][j];
            }
        }
        let next: Matrix = (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { x[i][j] }).collect())
            .collect();
        let change: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (next[i][j] - y[i][j]).abs())
            .fold(0.0, f64::max);
        y = next;
        if change < 1e-10 {
            break;
        }
    }
    y
}

/// The inverse of a lower-triangular matrix with a non-zero diagonal.
pub fn lower_inverse(l: &Matrix) -> Matrix {
    let n = l.len();
    let mut inv = vec![vec![0.0; n]; n];
    // Forward substitution, row by row: each entry needs only rows above it.
    for i in 0..n {
        let row: Vec<f64> = (0..i)
            .map(|j| -(j..i).map(|k| l[i][k] * inv[k][j]).sum::<f64>() / l[i][i])
            .collect();
        inv[i][..i].copy_from_slice(&row);
        inv[i][i] = 1.0 / l[i][i];
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_rejects_an_impossible_matrix_and_nearest_repairs_it() {
        // a~b 0.9, b~c 0.9, a~c -0.9 cannot all hold.
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        assert!(cholesky(&bad).is_none());
        let fixed = nearest_correlation(&bad);
        assert!(cholesky(&fixed).is_some());
        assert!((0..3).all(|i| (fixed[i][i] - 1.0).abs() < 1e-12));
        let good = vec![vec![1.0, 0.5], vec![0.5, 1.0]];
        assert!(cholesky(&good).is_some());
    }
}
