//! A run's results: every estimate that `summary.json`, the console report and the charts show,
//! computed once from the tally as numbers (instants in epoch seconds, probabilities as
//! fractions), each with its 95% Monte Carlo interval. Presentation formats these; it computes
//! nothing of its own.

use super::drivers::{self, DriverResults, Focus};
use crate::engine::Tally;
use crate::model::Model;
use crate::stats::{TimeHistogram, wilson95};

/// The percentiles every milestone reports, as (name, probability).
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// Everything a run found, indexed like the model's routes, milestones and deadlines.
#[derive(Debug, Clone)]
pub struct RunResults {
    pub trials: u64,
    pub seed: u64,
    /// Per route: the trials that took it.
    pub routes: Vec<Share>,
    /// Per fork, per branch: the trials that took it, out of all trials (those that never reach
    /// the fork's milestone take none).
    pub forks: Vec<Vec<Share>>,
    pub milestones: Vec<MilestoneResult>,
    pub deadlines: Vec<DeadlineResult>,
    pub drivers: DriverResults,
    pub correlations: Vec<CorrelationResult>,
    /// Per timetabled step, in step order: the departures its trials took.
    pub timetables: Vec<super::TimetableResult>,
}

/// A count of trials out of a total, as a fraction with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    /// `count / of` (0 when `of` is 0).
    pub fraction: f64,
    pub ci95: (f64, f64),
}

impl Share {
    pub fn new(count: u64, of: u64) -> Share {
        Share {
            count,
            of,
            fraction: if of > 0 {
                count as f64 / of as f64
            } else {
                0.0
            },
            ci95: wilson95(count, of),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MilestoneResult {
    /// The trials that reach the milestone at all.
    pub reached: Share,
    /// When it is reached, among the trials that reach it (None if none does).
    pub times: Option<ArrivalTimes>,
}

/// The arrival instant's percentiles ([`PERCENTILES`]) and mean, with their 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArrivalTimes {
    pub quantiles: [f64; 7],
    pub quantiles_ci95: [(f64, f64); 7],
    pub mean: f64,
    pub mean_ci95: (f64, f64),
}

impl ArrivalTimes {
    pub fn median(&self) -> f64 {
        self.quantiles[3]
    }
}

#[derive(Debug, Clone)]
pub struct DeadlineResult {
    /// The trials that make the deadline, out of all trials.
    pub made: Share,
    /// The deadline minus the milestone's median arrival (among trials that reach it), seconds.
    pub median_slack_seconds: Option<f64>,
    /// Per route: the trials of that route that make it (empty with a single route).
    pub by_route: Vec<Share>,
}

/// A rank correlation the scenario asked for between two inputs, and the one achieved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorrelationResult {
    pub inputs: (usize, usize),
    pub requested: f64,
    pub achieved: f64,
}

impl RunResults {
    /// The results, with drivers explaining the default focus ([`Focus::default_for`]).
    pub fn new(model: &Model, tally: &Tally) -> RunResults {
        RunResults::with_focus(model, tally, Focus::default_for(model))
    }

    /// The results, with drivers explaining `focus` (the run must have kept its milestone's
    /// trials: [`crate::engine::RunOptions::sample_milestone`]).
    pub fn with_focus(model: &Model, tally: &Tally, focus: Focus) -> RunResults {
        let n = tally.trials;
        let routes = tally
            .route_trials
            .iter()
            .map(|&k| Share::new(k, n))
            .collect();
        let forks = tally
            .branch_trials
            .iter()
            .map(|branches| branches.iter().map(|&k| Share::new(k, n)).collect())
            .collect();
        let milestones = tally
            .milestones
            .iter()
            .map(|hist| MilestoneResult {
                reached: Share::new(hist.count(), n),
                times: arrival_times(hist),
            })
            .collect();
        let deadlines = model
            .deadlines
            .iter()
            .zip(&tally.deadline_made)
            .map(|(d, made_by_route)| {
                let median = tally.milestones[d.milestone].quantile(0.5);
                let by_route = if model.routes.len() > 1 {
                    made_by_route
                        .iter()
                        .zip(&tally.route_trials)
                        .map(|(&k, &trials)| Share::new(k, trials))
                        .collect()
                } else {
                    Vec::new()
                };
                DeadlineResult {
                    made: Share::new(made_by_route.iter().sum(), n),
                    // A relative deadline has no one instant to measure slack against.
                    median_slack_seconds: d.instant().and_then(|at| median.map(|t| at as f64 - t)),
                    by_route,
                }
            })
            .collect();
        let sample = &tally.sample;
        let drivers = drivers::explain(model, sample, focus);
        let column = |i: usize| sample.inputs.get(i).map_or(&[][..], Vec::as_slice);
        let correlations = model
            .correlation
            .iter()
            .flat_map(|c| {
                c.pairs
                    .iter()
                    .map(move |&(a, b, r)| (c.inputs[a], c.inputs[b], r))
            })
            .map(|(a, b, requested)| CorrelationResult {
                inputs: (a, b),
                requested,
                achieved: crate::stats::correlation::spearman(column(a), column(b)),
            })
            .collect();
        RunResults {
            forks,
            trials: n,
            seed: tally.seed,
            routes,
            milestones,
            deadlines,
            drivers,
            correlations,
            timetables: tally
                .departures
                .iter()
                .map(super::TimetableResult::new)
                .collect(),
        }
    }
}

/// The percentiles and mean of what `hist` recorded, each with its 95% interval (None if empty).
pub(super) fn arrival_times(hist: &TimeHistogram) -> Option<ArrivalTimes> {
    let mean = hist.mean()?;
    Some(ArrivalTimes {
        quantiles: PERCENTILES.map(|(_, p)| hist.quantile(p).unwrap_or(f64::NAN)),
        quantiles_ci95: PERCENTILES
            .map(|(_, p)| hist.quantile_ci95(p).unwrap_or((f64::NAN, f64::NAN))),
        mean,
        mean_ci95: hist.mean_ci95().unwrap_or((mean, mean)),
    })
}
