//! Sweeps of one parameter: the values to try (listed, or evenly spaced over a range), each
//! point's outcome (from a comparison run on common random numbers), and where the probability
//! curve crosses 50% and 80%. `report::sweep` presents them.

use super::Share;
use super::compare::Comparison;
use super::scale::Scale;

/// A sweep point: the value as written into the scenario, and its position on the x axis (when
/// the value is a number or quantity).
pub type SweepValue = (String, Option<f64>);

/// The most points a sweep runs (each keeps a whole tally in memory).
pub const MAX_POINTS: usize = 200;

/// Sweep values that cannot be swept.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// A range that does not read as `LOW:HIGH:STEPS`.
    #[error("expected LOW:HIGH:STEPS (2 to {MAX_POINTS} steps), e.g. 40:60:5 or 30min:3h:6")]
    Range,
    #[error("{given} values, more than the {MAX_POINTS} a sweep runs; give fewer")]
    TooMany { given: usize },
    #[error("`{first}` is {} but `{other}` is {}; give values of one kind", describe(*.first_kind), describe(*.other_kind))]
    MixedKinds {
        first: String,
        first_kind: Option<Scale>,
        other: String,
        other_kind: Option<Scale>,
    },
    #[error(
        "there are only {available} whole dates from {low} to {high}; ask for at most {available} steps"
    )]
    TooFewDates {
        available: usize,
        low: String,
        high: String,
    },
}

fn describe(scale: Option<Scale>) -> &'static str {
    scale.map_or("not a number or quantity", |s| s.kind.described())
}

/// `LOW:HIGH:STEPS` (2 to [`MAX_POINTS`] steps), evenly spaced; LOW and HIGH are numbers or
/// quantities of one kind, and may contain colons themselves (times of day). Each point is the
/// value as the scenario will read it: whole dates, times to the second.
pub fn range(text: &str) -> Result<(Scale, Vec<SweepValue>), SweepError> {
    let parts: Vec<&str> = text.rsplitn(2, ':').collect();
    let steps: usize = parts
        .first()
        .and_then(|s| s.parse().ok())
        .filter(|n| (2..=MAX_POINTS).contains(n))
        .ok_or(SweepError::Range)?;
    let bounds = parts.get(1).ok_or(SweepError::Range)?;
    // LOW:HIGH may itself contain colons (times of day): split where both halves read.
    let (low, high) = (1..bounds.len())
        .filter(|&i| bounds.as_bytes().get(i) == Some(&b':'))
        .find_map(|i| {
            let (a, b) = (Scale::read(&bounds[..i])?, Scale::read(&bounds[i + 1..])?);
            (a.0 == b.0).then_some((a, b))
        })
        .ok_or(SweepError::Range)?;
    let scale = low.0;
    if scale.discrete() {
        let available = ((high.1 - low.1).abs().round() as usize).saturating_add(1);
        if steps > available {
            return Err(SweepError::TooFewDates {
                available,
                low: scale.show(low.1),
                high: scale.show(high.1),
            });
        }
    }
    let points = (0..steps)
        .map(|k| {
            let x = scale.snap(low.1 + (high.1 - low.1) * k as f64 / (steps - 1) as f64);
            (scale.write(x), Some(x))
        })
        .collect();
    Ok((scale, points))
}

/// Listed values, as written (at most [`MAX_POINTS`], all of one kind); the scale is theirs (if
/// they have one).
pub fn values(values: &[String]) -> Result<(Option<Scale>, Vec<SweepValue>), SweepError> {
    if values.len() > MAX_POINTS {
        return Err(SweepError::TooMany {
            given: values.len(),
        });
    }
    let read: Vec<Option<(Scale, f64)>> = values.iter().map(|v| Scale::read(v)).collect();
    let scale = read.first().copied().flatten().map(|s| s.0);
    if let Some(k) = read.iter().position(|r| r.map(|s| s.0) != scale) {
        return Err(SweepError::MixedKinds {
            first: values[0].clone(),
            first_kind: scale,
            other: values[k].clone(),
            other_kind: read[k].map(|s| s.0),
        });
    }
    let points = values
        .iter()
        .zip(read)
        .map(|(v, r)| (v.clone(), r.map(|s| s.1)))
        .collect();
    Ok((scale, points))
}

/// What a sweep found: each point's outcome, and (when the values lie on a scale) the first
/// deadline's probability curve and where it crosses the [`LEVELS`].
#[derive(Debug, Clone)]
pub struct Sweep {
    pub trials: u64,
    pub seed: u64,
    /// The deadlines reported at each point (indices into the first point's model).
    pub deadlines: Vec<usize>,
    pub points: Vec<SweepPoint>,
    pub curve: Option<Curve>,
}

/// The probability levels whose crossings a sweep reports.
pub const LEVELS: [f64; 2] = [0.5, 0.8];

#[derive(Debug, Clone)]
pub struct SweepPoint {
    pub value: String,
    pub x: Option<f64>,
    /// Per deadline in [`Sweep::deadlines`].
    pub deadlines: Vec<Share>,
    /// The compared milestone's P10/P50/P90, epoch seconds.
    pub quantiles: [Option<f64>; 3],
}

/// The first deadline's probability against the swept value.
#[derive(Debug, Clone)]
pub struct Curve {
    pub scale: Scale,
    /// (x, probability) at each point on the scale, in the scale's order.
    pub points: Vec<(f64, Share)>,
    /// Per level in [`LEVELS`]: where the curve crosses it (None if it does not in the range).
    pub crossings: [(f64, Option<Crossing>); 2],
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
            // The curve runs along the scale, whatever order the values were listed in.
            let mut series: Vec<(f64, Share)> = points
                .iter()
                .filter_map(|p| Some((p.x?, *p.deadlines.first()?)))
                .collect();
            series.sort_by(|a, b| a.0.total_cmp(&b.0));
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
            deadlines: comparison.shared.deadlines.clone(),
            points,
            curve,
        }
    }
}

/// Where the probability curve crosses `level`, by linear interpolation between sweep points.
fn crossing(series: &[(f64, f64)], level: f64) -> Option<Crossing> {
    series.windows(2).find_map(|w| {
        let ((x0, p0), (x1, p1)) = (w[0], w[1]);
        ((p0 - level) * (p1 - level) <= 0.0 && p0 != p1).then(|| Crossing {
            at: x0 + (level - p0) * (x1 - x0) / (p1 - p0),
            between: (x0, x1),
        })
    })
}

/// Where a probability curve crosses a level: by linear interpolation, and the two swept
/// values either side (all a discrete scale such as dates can say: a fraction of a day was never
/// run).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    pub at: f64,
    pub between: (f64, f64),
}
