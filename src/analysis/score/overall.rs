//! Several forecasts' scores combined: each score's mean with its spread, the coverage of each
//! central interval, the PIT histogram, the reliability diagram's bins, and the skill against a
//! reference forecast.

use super::{LEVELS, ScoreCard};
use crate::analysis::Share;

/// Bins of the PIT histogram (each 0.1 wide).
pub const PIT_BINS: usize = 10;
/// Bins of forecast probability in the reliability diagram (each 0.1 wide).
pub const RELIABILITY_BINS: usize = 10;

/// A score over several forecasts: how many, the mean, the sample standard deviation (None
/// with fewer than two) and the mean's 95% interval (normal theory; None likewise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub mean: f64,
    pub sd: Option<f64>,
    pub mean_ci95: Option<(f64, f64)>,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.len() > 1)
            .then(|| (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
        let mean_ci95 = sd.map(|sd| {
            let half = crate::stats::interval::half_width95(sd, n);
            (mean - half, mean + half)
        });
        Some(Spread {
            count: values.len(),
            mean,
            sd,
            mean_ci95,
        })
    }
}

/// One bin of the reliability diagram: the forecasts whose probability fell in [low, high),
/// their mean probability, and how often the event happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReliabilityBin {
    pub low: f64,
    pub high: f64,
    pub mean_probability: f64,
    pub happened: Share,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overall {
    pub forecasts: usize,
    pub pit: Option<Spread>,
    pub crps_hours: Option<Spread>,
    pub log_score: Option<Spread>,
    /// Per level of [`LEVELS`]: the outcomes its central interval held, out of all.
    pub coverage: Vec<(f64, Share)>,
    /// Over deadlines and observed routes (each route's multi-category score once).
    pub brier: Option<Spread>,
    pub event_log_score: Option<Spread>,
    /// The share of the observed milestones' PIT mass in each of [`PIT_BINS`] equal bins: a
    /// PIT range (ties with the outcome) is spread evenly over the bins it covers.
    pub pit_histogram: Vec<f64>,
    /// Only the bins that hold a forecast.
    pub reliability: Vec<ReliabilityBin>,
}

/// Combines the score cards of several forecasts.
pub fn overall(cards: &[&ScoreCard]) -> Overall {
    let milestones: Vec<_> = cards.iter().flat_map(|c| &c.milestones).collect();
    let values = |f: &dyn Fn(&super::MilestoneScore) -> f64| -> Vec<f64> {
        milestones.iter().map(|m| f(m)).collect()
    };
    let coverage = LEVELS
        .iter()
        .enumerate()
        .map(|(i, &level)| {
            let held = milestones
                .iter()
                .filter(|m| m.intervals[i].contains)
                .count();
            (level, Share::new(held as u64, milestones.len() as u64))
        })
        .collect();
    let mut pit_histogram = vec![0.0; PIT_BINS];
    for m in &milestones {
        spread_pit(&mut pit_histogram, m.pit.below, m.pit.at_or_below);
    }
    let total: f64 = pit_histogram.iter().sum();
    if total > 0.0 {
        pit_histogram.iter_mut().for_each(|b| *b /= total);
    }
    let briers: Vec<f64> = cards
        .iter()
        .flat_map(|c| {
            c.deadlines
                .iter()
                .map(|d| d.brier)
                .chain(c.route.iter().map(|r| r.brier))
        })
        .collect();
    let logs: Vec<f64> = cards
        .iter()
        .flat_map(|c| {
            c.deadlines
                .iter()
                .map(|d| d.log_score)
                .chain(c.route.iter().map(|r| r.log_score))
        })
        .collect();
    let events: Vec<(f64, bool)> = cards.iter().flat_map(|c| c.events()).collect();
    Overall {
        forecasts: cards.len(),
        pit: Spread::of(&values(&|m| m.pit.value)),
        crps_hours: Spread::of(&values(&|m| m.crps_hours)),
        log_score: Spread::of(&values(&|m| m.log_score)),
        coverage,
        brier: Spread::of(&briers),
        event_log_score: Spread::of(&logs),
        pit_histogram,
        reliability: reliability(&events),
    }
}

/// Adds one unit of PIT mass, spread evenly over [low, high] (all in one bin when they agree).
fn spread_pit(bins: &mut [f64], low: f64, high: f64) {
    let k = bins.len();
    let bin = |p: f64| ((p * k as f64).floor() as usize).min(k - 1);
    if high - low < 1e-12 {
        bins[bin((low + high) / 2.0)] += 1.0;
        return;
    }
    for (i, b) in bins.iter_mut().enumerate() {
        let (lo, hi) = (i as f64 / k as f64, (i + 1) as f64 / k as f64);
        let overlap = (high.min(hi) - low.max(lo)).max(0.0);
        *b += overlap / (high - low);
    }
}

/// The reliability diagram's bins over yes/no forecasts (probability, happened).
pub fn reliability(events: &[(f64, bool)]) -> Vec<ReliabilityBin> {
    (0..RELIABILITY_BINS)
        .filter_map(|i| {
            let low = i as f64 / RELIABILITY_BINS as f64;
            let high = (i + 1) as f64 / RELIABILITY_BINS as f64;
            let last = i + 1 == RELIABILITY_BINS;
            let inside: Vec<&(f64, bool)> = events
                .iter()
                .filter(|(p, _)| *p >= low && (*p < high || (last && *p <= high)))
                .collect();
            (!inside.is_empty()).then(|| ReliabilityBin {
                low,
                high,
                mean_probability: inside.iter().map(|(p, _)| p).sum::<f64>() / inside.len() as f64,
                happened: Share::new(
                    inside.iter().filter(|(_, h)| *h).count() as u64,
                    inside.len() as u64,
                ),
            })
        })
        .collect()
}

/// How much better the forecast scores than a reference on the same outcomes: for CRPS and
/// Brier the skill score 1 - mean(forecast) / mean(reference) (1 perfect, 0 no better, negative
/// worse); for the log scores the mean difference reference - forecast (nats gained per
/// outcome: positive is better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skill {
    pub crps: Option<f64>,
    pub brier: Option<f64>,
    pub log_score_gain: Option<f64>,
    pub event_log_score_gain: Option<f64>,
}

pub fn skill(forecast: &Overall, reference: &Overall) -> Skill {
    let ratio = |f: Option<Spread>, r: Option<Spread>| match (f, r) {
        (Some(f), Some(r)) if r.mean > 0.0 => Some(1.0 - f.mean / r.mean),
        _ => None,
    };
    let gain = |f: Option<Spread>, r: Option<Spread>| Some(r?.mean - f?.mean);
    Skill {
        crps: ratio(forecast.crps_hours, reference.crps_hours),
        brier: ratio(forecast.brier, reference.brier),
        log_score_gain: gain(forecast.log_score, reference.log_score),
        event_log_score_gain: gain(forecast.event_log_score, reference.event_log_score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pit_ranges_spread_over_the_bins_they_cover() {
        let mut bins = vec![0.0; 10];
        spread_pit(&mut bins, 0.25, 0.25);
        spread_pit(&mut bins, 0.0, 0.2);
        assert_eq!(bins[2], 1.0);
        assert!((bins[0] - 0.5).abs() < 1e-12 && (bins[1] - 0.5).abs() < 1e-12);
        spread_pit(&mut bins, 1.0, 1.0);
        assert_eq!(bins[9], 1.0);
    }

    #[test]
    fn reliability_bins_by_hand() {
        let events = [(0.05, false), (0.15, true), (0.12, false), (1.0, true)];
        let bins = reliability(&events);
        assert_eq!(bins.len(), 3);
        assert_eq!(bins[1].happened.count, 1);
        assert_eq!(bins[1].happened.of, 2);
        assert!((bins[1].mean_probability - 0.135).abs() < 1e-12);
        assert_eq!(bins[2].low, 0.9);
    }

    #[test]
    fn spread_by_hand() {
        let s = Spread::of(&[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.count, s.mean, s.sd), (3, 2.0, Some(1.0)));
        assert!(Spread::of(&[]).is_none());
        assert_eq!(Spread::of(&[4.0]).unwrap().sd, None);
    }
}
