//! A run's results: every estimate that `summary.json`, the console report and the charts show,
//! computed once from the tally as numbers (instants in epoch seconds, probabilities as
//! fractions), each with its 95% Monte Carlo interval. Presentation formats these; it computes
//! nothing of its own.

use super::drivers::{self, DriverResults, Focus};
use crate::engine::Tally;
use crate::model::Model;
use crate::stats::{
    TimeHistogram, WEIGHT_UNIT, Weights, weighted_share, wilson95, wilson95_effective,
};

/// Below this effective number of trials a conditioned run warns that its intervals are wide
/// (a probability near one half is then known to about ±1 point) and says how many trials
/// would reach it.
pub const TARGET_EFFECTIVE: f64 = 10_000.0;

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
    /// What the run was conditioned on, if anything: every figure above is then over the
    /// trials weighted by how well they fit the observations.
    pub conditioning: Option<Conditioning>,
}

/// A conditioned run's observations and how much of the run's information survived them.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditioning {
    /// Each observation as a reader would say it.
    pub given: Vec<String>,
    /// Kish's effective sample size of the weighted trials: every interval is about as wide as
    /// this many unweighted trials would give.
    pub effective: f64,
    /// Per observation, the trials compatible with it alone (a weight above zero).
    pub compatible: Vec<u64>,
    /// The trials a run would need for [`TARGET_EFFECTIVE`] effective trials, when it has
    /// fewer (the effective share of trials stays about the same at any number of trials).
    pub trials_needed: Option<u64>,
}

/// A count of trials out of a total, as a fraction with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    /// `count / of` (0 when `of` is 0).
    pub fraction: f64,
    pub ci95: (f64, f64),
    /// For weighted trials: the effective number of trials the interval rests on (`count` and
    /// `of` are then weights, in trials of full weight, rounded).
    pub effective: Option<f64>,
}

impl Share {
    /// A share of weighted trials: `part` of `whole`, with the delta-method interval of a
    /// self-normalised weighted proportion ([`crate::stats::weighted_share95`]).
    pub fn weighted(part: Weights, whole: Weights) -> Share {
        let (fraction, effective) = weighted_share(part, whole);
        Share {
            count: in_trials(part.sum),
            of: in_trials(whole.sum),
            fraction,
            ci95: wilson95_effective(fraction, effective),
            effective: Some(effective),
        }
    }

    /// A share of weighted trials whose squared weights were not counted: `part` units of
    /// `whole` units, the interval resting on `effective` trials.
    pub fn with_effective(part: u64, whole: u64, effective: f64) -> Share {
        let fraction = if whole > 0 {
            part as f64 / whole as f64
        } else {
            0.0
        };
        Share {
            count: in_trials(part),
            of: in_trials(whole),
            fraction,
            ci95: wilson95_effective(fraction, effective),
            effective: Some(effective),
        }
    }

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
            effective: None,
        }
    }
}

/// Weight units as trials of full weight.
pub(super) fn in_trials(units: u64) -> u64 {
    (units as f64 / WEIGHT_UNIT as f64).round() as u64
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
        let whole = tally.weight;
        // A count of trials out of all of them, weighted or not.
        let share = |count: u64, sq: Option<&u128>| match sq {
            Some(&sq) if tally.weighted => Share::weighted(Weights { sum: count, sq }, whole),
            _ => Share::new(count, n),
        };
        let routes = tally
            .route_trials
            .iter()
            .enumerate()
            .map(|(r, &k)| share(k, tally.route_sq.get(r)))
            .collect();
        let forks = tally
            .branch_trials
            .iter()
            .zip(&tally.branch_sq)
            .map(|(branches, sq)| {
                branches
                    .iter()
                    .enumerate()
                    .map(|(b, &k)| share(k, sq.get(b)))
                    .collect()
            })
            .collect();
        let milestones = tally
            .milestones
            .iter()
            .map(|hist| MilestoneResult {
                reached: if tally.weighted {
                    Share::weighted(hist.weights(), whole)
                } else {
                    Share::new(hist.count(), n)
                },
                times: arrival_times(hist),
            })
            .collect();
        let deadlines = model
            .deadlines
            .iter()
            .enumerate()
            .zip(&tally.deadline_made)
            .map(|((index, d), made_by_route)| {
                let median = tally.milestones[d.milestone].quantile(0.5);
                let by_route = if model.routes.len() > 1 {
                    made_by_route
                        .iter()
                        .zip(&tally.route_trials)
                        .enumerate()
                        .map(|(r, (&k, &trials))| match tally.route_sq.get(r) {
                            Some(&sq) if tally.weighted => {
                                let route = Weights { sum: trials, sq };
                                Share::with_effective(k, trials, route.effective())
                            }
                            _ => Share::new(k, trials),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let made: u64 = made_by_route.iter().sum();
                DeadlineResult {
                    made: share(made, tally.deadline_sq.get(index)),
                    // A relative deadline has no one instant to measure slack against.
                    median_slack_seconds: d.instant().and_then(|at| median.map(|t| at as f64 - t)),
                    by_route,
                }
            })
            .collect();
        // Effective trials per weight unit, for shares whose squared weights were not counted.
        let scale = whole.effective() / whole.sum.max(1) as f64;
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
                .map(|counts| super::TimetableResult::new(counts, tally.weighted.then_some(scale)))
                .collect(),
            conditioning: tally.weighted.then(|| Conditioning {
                given: model.given.describe(model),
                effective: whole.effective(),
                compatible: tally.compatibility.iter().map(|c| c.compatible).collect(),
                trials_needed: (whole.effective() < TARGET_EFFECTIVE).then(|| {
                    let per_trial = whole.effective().max(1.0) / n.max(1) as f64;
                    ((TARGET_EFFECTIVE / per_trial) / 1000.0).ceil() as u64 * 1000
                }),
            }),
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
