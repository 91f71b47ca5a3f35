//! Sweeps of one parameter: the values to try (listed, or evenly spaced over a range), the
//! report of each point's outcome (from a comparison run on common random numbers), and where
//! the probability curve crosses a level.

use super::compare::{Comparison, DeadlineOutcome};
use super::scale::Scale;
use serde::Serialize;

/// A sweep point: the value as written into the scenario, and its position on the x axis (when
/// the value is a number or quantity).
pub type SweepValue = (String, Option<f64>);

/// A range that does not read as `LOW:HIGH:STEPS`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("expected LOW:HIGH:STEPS, e.g. 40:60:5 or 30min:3h:6")]
pub struct RangeError;

/// `LOW:HIGH:STEPS` (2 to 200 steps), evenly spaced; LOW and HIGH are numbers or quantities of
/// one kind, and may contain colons themselves (times of day).
pub fn range(text: &str) -> Result<(Scale, Vec<SweepValue>), RangeError> {
    let parts: Vec<&str> = text.rsplitn(2, ':').collect();
    let steps: usize = parts
        .first()
        .and_then(|s| s.parse().ok())
        .filter(|n| (2..=200).contains(n))
        .ok_or(RangeError)?;
    let bounds = parts.get(1).ok_or(RangeError)?;
    // LOW:HIGH may itself contain colons (times of day): split where both halves read.
    let (low, high) = (1..bounds.len())
        .filter(|&i| bounds.as_bytes().get(i) == Some(&b':'))
        .find_map(|i| {
            let (a, b) = (Scale::read(&bounds[..i])?, Scale::read(&bounds[i + 1..])?);
            (a.0 == b.0).then_some((a, b))
        })
        .ok_or(RangeError)?;
    let scale = low.0;
    let points = (0..steps)
        .map(|k| {
            let x = low.1 + (high.1 - low.1) * k as f64 / (steps - 1) as f64;
            (scale.write(x), Some(x))
        })
        .collect();
    Ok((scale, points))
}

/// Listed values, as written; the scale is the first value's (if it has one).
pub fn values(values: &[String]) -> (Option<Scale>, Vec<SweepValue>) {
    let scale = values.first().and_then(|v| Scale::read(v)).map(|s| s.0);
    let points = values
        .iter()
        .map(|v| (v.clone(), Scale::read(v).map(|s| s.1)))
        .collect();
    (scale, points)
}

#[derive(Debug, Serialize)]
pub struct SweepReport {
    pub param: String,
    pub trials: u64,
    pub seed: u64,
    pub points: Vec<SweepPoint>,
}

#[derive(Debug, Serialize)]
pub struct SweepPoint {
    pub value: String,
    pub x: Option<f64>,
    pub deadlines: Vec<DeadlineOutcome>,
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
}

impl SweepReport {
    /// The sweep's report from the comparison of its points (one variant per point, in order).
    /// Points are not differences from one another, so the paired differences are left out.
    pub fn new(param: &str, comparison: &Comparison, points: &[SweepValue]) -> SweepReport {
        SweepReport {
            param: param.to_owned(),
            trials: comparison.trials,
            seed: comparison.seed,
            points: comparison
                .variants
                .iter()
                .zip(points)
                .map(|(v, (value, x))| SweepPoint {
                    value: value.clone(),
                    x: *x,
                    deadlines: v
                        .deadlines
                        .iter()
                        .map(|d| DeadlineOutcome {
                            difference: None,
                            difference_ci95: None,
                            ..d.clone()
                        })
                        .collect(),
                    p10: v.p10.clone(),
                    p50: v.p50.clone(),
                    p90: v.p90.clone(),
                })
                .collect(),
        }
    }

    /// The first deadline's curve: (x, probability, 95% interval) at each point on the scale.
    pub fn series(&self) -> Vec<(f64, f64, [f64; 2])> {
        self.points
            .iter()
            .filter_map(|p| {
                Some((
                    p.x?,
                    p.deadlines.first()?.probability,
                    p.deadlines.first()?.ci95,
                ))
            })
            .collect()
    }
}

/// Where the probability curve crosses `level`, by linear interpolation between sweep points.
pub fn crossing(series: &[(f64, f64, [f64; 2])], level: f64) -> Option<f64> {
    series.windows(2).find_map(|w| {
        let ((x0, p0, _), (x1, p1, _)) = (w[0], w[1]);
        ((p0 - level) * (p1 - level) <= 0.0 && p0 != p1)
            .then(|| x0 + (level - p0) * (x1 - x0) / (p1 - p0))
    })
}
