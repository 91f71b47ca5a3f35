//! A run's timetabled steps: which scheduled departure trials took, each as a share of the
//! trials that reached the step with its Wilson 95% interval, how long they waited for it, and
//! how many waited into a later day, missed the departure they aimed at, or found none left.

use super::run::arrival_times;
use super::{ArrivalTimes, Share};
use crate::engine::DepartureCounts;

/// Departures taken by fewer than this share of a step's trials are counted together.
const SHOWN_SHARE: f64 = 0.001;

#[derive(Debug, Clone)]
pub struct TimetableResult {
    /// The step (index into `Model::steps`).
    pub step: usize,
    /// Trials that reached the step (on its route): the denominator of every share here.
    pub ready: u64,
    /// Departures taken by at least 0.1% of them, in time order: (epoch seconds, share).
    pub departures: Vec<(f64, Share)>,
    /// The trials that took any other departure.
    pub other: Share,
    /// Trials that left on a later local day than they were ready on ("none that day").
    pub next_day: Share,
    /// Trials that left later than the departure they aimed at.
    pub missed_aim: Share,
    /// Trials that found no departure left.
    pub none: Share,
    /// The mean wait at the stop (departure taken minus reaching the step, holds by
    /// `not_before` and windows included), seconds, with its 95% interval, over the trials that
    /// left.
    pub mean_wait: Option<(f64, (f64, f64))>,
    /// The wait's percentiles ([`super::PERCENTILES`]) and mean, in seconds, each with its 95%
    /// interval, over the trials that left (read from the wait histogram as a milestone's
    /// percentiles are from its arrivals).
    pub wait: Option<ArrivalTimes>,
    /// The scheduled departure (epoch seconds) the median trial that left took: the first
    /// departure by which at least half of them had left.
    pub median_departure: Option<f64>,
}

impl TimetableResult {
    /// The step's results; for weighted trials, `scale` is the run's effective trials per
    /// weight unit, which every share's interval here rests on.
    pub fn new(counts: &DepartureCounts, scale: Option<f64>) -> TimetableResult {
        let ready = counts.ready();
        let share = |k: u64, of: u64| match scale {
            Some(scale) => Share::with_effective(k, of, of as f64 * scale),
            None => Share::new(k, of),
        };
        let shown: Vec<(f64, Share)> = counts
            .taken
            .iter()
            .filter(|&(_, &k)| k as f64 >= SHOWN_SHARE * ready as f64)
            .map(|(&at, &k)| (at as f64, share(k, ready)))
            .collect();
        let shown_total: u64 = counts
            .taken
            .iter()
            .filter(|&(_, &k)| k as f64 >= SHOWN_SHARE * ready as f64)
            .map(|(_, &k)| k)
            .sum();
        let taken: u64 = counts.taken.values().sum();
        TimetableResult {
            step: counts.step,
            ready: if scale.is_some() {
                super::run::in_trials(ready)
            } else {
                ready
            },
            departures: shown,
            other: share(taken - shown_total, ready),
            next_day: share(counts.next_day, ready),
            missed_aim: share(counts.missed_aim, ready),
            none: share(counts.none, ready),
            // Weighted: the standard error of the effective trials, not of the weight units.
            mean_wait: counts.wait().map(|(mean, se)| {
                let se = scale.map_or(se, |scale| se / scale.sqrt());
                (mean, (mean - 1.96 * se, mean + 1.96 * se))
            }),
            wait: arrival_times(&counts.waits),
            median_departure: median_departure(counts),
        }
    }
}

/// The first scheduled departure by which at least half of the trials that left had left.
fn median_departure(counts: &DepartureCounts) -> Option<f64> {
    let left: u64 = counts.taken.values().sum();
    let mut seen = 0;
    counts.taken.iter().find_map(|(&at, &k)| {
        seen += k;
        (2 * seen >= left && left > 0).then_some(at as f64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three trials on the 100 and two on the 200: the median trial (the third) took the 100;
    /// with the counts swapped it took the 200.
    #[test]
    fn the_median_departure_is_the_one_the_middle_trial_took() {
        let mut counts = DepartureCounts::new(0, 0);
        counts.taken.extend([(100, 3), (200, 2)]);
        assert_eq!(median_departure(&counts), Some(100.0));
        counts.taken.extend([(100, 2), (200, 3)]);
        assert_eq!(median_departure(&counts), Some(200.0));
        assert_eq!(median_departure(&DepartureCounts::new(0, 0)), None);
    }
}
