//! Helpers shared by the numerical tests here and in `distribution`.

/// |a - b| relative to the larger magnitude (0 when equal).
pub fn rel_err(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Asserts `got` is within `tol` of `want`, relatively.
pub fn assert_rel(label: &str, got: f64, want: f64, tol: f64) {
    let e = rel_err(got, want);
    assert!(
        e <= tol,
        "{label}: got {got:e}, want {want:e}, relative error {e:e} > {tol:e}"
    );
}

/// `n` evenly spaced points from a to b inclusive.
pub fn linspace(a: f64, b: f64, n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| a + (b - a) * i as f64 / (n - 1) as f64)
}
