//! Minimisers and least squares: golden-section search on an interval (the metalog's
//! monotonicity check), Nelder-Mead on three parameters (quantile fits of three-point
//! families), and least squares by Householder QR (metalog fits).

/// Minimum of a function on [lo, hi] by golden-section search.
pub fn golden_min(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> (f64, f64) {
    const R: f64 = 0.618_033_988_749_894_9;
    let mut x1 = hi - R * (hi - lo);
    let mut x2 = lo + R * (hi - lo);
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..60 {
        if f1 <= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - R * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + R * (hi - lo);
            f2 = f(x2);
        }
    }
    if f1 <= f2 { (x1, f1) } else { (x2, f2) }
}

/// Minimises `f` from `start` (a small simplex around it) until the spread of values is below
/// `tolerance` or `max_evaluations` is spent.
pub fn nelder_mead(
    f: impl Fn(&[f64; 3]) -> f64,
    start: [f64; 3],
    tolerance: f64,
    max_evaluations: usize,
) -> [f64; 3] {
    let mut simplex: Vec<([f64; 3], f64)> = (0..4)
        .map(|i| {
            let mut v = start;
            if i > 0 {
                v[i - 1] += 0.5;
            }
            (v, f(&v))
        })
        .collect();
    let mut evaluations = 4;
    while evaluations < max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if (simplex[3].1 - simplex[0].1).abs() < tolerance {
            break;
        }
        let centroid: [f64; 3] =
            std::array::from_fn(|k| simplex[..3].iter().map(|s| s.0[k]).sum::<f64>() / 3.0);
        let at = |t: f64| -> [f64; 3] {
            std::array::from_fn(|k| centroid[k] + t * (simplex[3].0[k] - centroid[k]))
        };
        let reflected = at(-1.0);
        let fr = f(&reflected);
        evaluations += 1;
        if fr < simplex[0].1 {
            let expanded = at(-2.0);
            let fe = f(&expanded);
            evaluations += 1;
            simplex[3] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[2].1 {
            simplex[3] = (reflected, fr);
        } else {
            let contracted = at(0.5);
            let fc = f(&contracted);
            evaluations += 1;
            if fc < simplex[3].1 {
                simplex[3] = (contracted, fc);
            } else {
                let best = simplex[0].0;
                for s in simplex.iter_mut().skip(1) {
                    s.0 = std::array::from_fn(|k| best[k] + 0.5 * (s.0[k] - best[k]));
                    s.1 = f(&s.0);
                    evaluations += 1;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0].0
}

/// Least squares by Householder QR (stable where the normal equations would square the
/// condition number), on the matrix given by columns; None when the columns are dependent to
/// working precision.
pub fn least_squares(mut columns: Vec<Vec<f64>>, mut z: Vec<f64>) -> Option<Vec<f64>> {
    let k = columns.len();
    let mut diag = vec![0.0; k];
    for j in 0..k {
        let (done, rest) = columns.split_at_mut(j + 1);
        let column = done.last_mut()?;
        let norm = column[j..].iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm.is_nan() || norm <= 0.0 {
            return None;
        }
        let alpha = if column[j] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = column[j..].to_vec();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|x| x * x).sum();
        // Reflect the remaining columns and the right-hand side through v.
        let reflect = |target: &mut [f64]| {
            let s: f64 = target.iter().zip(&v).map(|(t, v)| t * v).sum();
            let f = 2.0 * s / vv;
            for (t, v) in target.iter_mut().zip(&v) {
                *t -= f * v;
            }
        };
        if vv > 0.0 {
            for other in rest.iter_mut() {
                reflect(&mut other[j..]);
            }
            reflect(&mut z[j..]);
        }
        diag[j] = alpha;
    }
    let largest = diag.iter().fold(0.0f64, |m, d| m.max(d.abs()));
    if diag
        .iter()
        .any(|d| d.is_nan() || d.abs() <= 1e-11 * largest)
    {
        return None;
    }
    let mut x = vec![0.0; k];
    for j in (0..k).rev() {
        let s: f64 = (j + 1..k).map(|c| columns[c][j] * x[c]).sum();
        x[j] = (z[j] - s) / diag[j];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}
