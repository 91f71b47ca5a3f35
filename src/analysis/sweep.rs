//! Sweeps of one parameter: the values to try (listed, or evenly spaced over a range), each
//! point's outcome (from a comparison run on common random numbers), and where the probability
//! curve crosses 50% and 80%. `report::sweep` presents them.

use super::Share;
use super::compare::Comparison;
use super::scale::Scale;

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

/// What a sweep found: each point's outcome, and (when the values lie on a scale) the first
/// deadline's probability curve and where it crosses the [`LEVELS`].
#[derive(Debug, Clone)]
pub struct Sweep {
    pub trials: u64,
    pub seed: u64,
    pub points: Vec<SweepPoint>,
    pub curve: Option<Curve>,
}

/// The probability levels whose crossings a sweep reports.
pub const LEVELS: [f64; 2] = [0.5, 0.8];

#[derive(Debug, Clone)]
pub struct SweepPoint {
    pub value: String,
    pub x: Option<f64>,
    /// Per baseline deadline (the first point's).
    pub deadlines: Vec<Share>,
    /// The compared milestone's P10/P50/P90, epoch seconds.
    pub quantiles: [Option<f64>; 3],
}

/// The first deadline's probability against the swept value.
#[derive(Debug, Clone)]
pub struct Curve {
    pub scale: Scale,
    /// (x, probability) at each point on the scale.
    pub points: Vec<(f64, Share)>,
    /// Per level in [`LEVELS`]: where the curve crosses it (None if it does not in the range).
    pub crossings: [(f64, Option<f64>); 2],
}

impl Sweep {
    /// The sweep's results from the comparison of its points (one variant per point, in order).
    /// Points are not differences from one another, so the paired differences are left out.
    pub fn new(comparison: &Comparison, points: &[SweepValue], scale: Option<Scale>) -> Sweep {
        let points: Vec<SweepPoint> = comparison
            .variants
            .iter()
            .zip(points)
            .map(|(v, (value, x))| SweepPoint {
                value: value.clone(),
                x: *x,
                deadlines: v.deadlines.iter().map(|d| d.made).collect(),
                quantiles: v.quantiles,
            })
            .collect();
        let curve = scale.map(|scale| {
            let series: Vec<(f64, Share)> = points
                .iter()
                .filter_map(|p| Some((p.x?, *p.deadlines.first()?)))
                .collect();
            let plain: Vec<(f64, f64)> = series.iter().map(|(x, s)| (*x, s.fraction)).collect();
            Curve {
                scale,
                crossings: LEVELS.map(|level| (level, crossing(&plain, level))),
                points: series,
            }
        });
        Sweep {
            trials: comparison.trials,
            seed: comparison.seed,
            points,
            curve,
        }
    }
}

/// Where the probability curve crosses `level`, by linear interpolation between sweep points.
fn crossing(series: &[(f64, f64)], level: f64) -> Option<f64> {
    series.windows(2).find_map(|w| {
        let ((x0, p0), (x1, p1)) = (w[0], w[1]);
        ((p0 - level) * (p1 - level) <= 0.0 && p0 != p1)
            .then(|| x0 + (level - p0) * (x1 - x0) / (p1 - p0))
    })
}
