//! Scoring a forecast against what happened (`eta score`): the scenario's trials are run as the
//! scenario is written, and each outcome its `[observed]` table records is scored by the rules
//! in [`rules`]: per observed milestone the PIT, CRPS, log score and central-interval coverage;
//! per deadline whose milestone was observed, and for the observed route, the Brier and log
//! scores. [`overall`] combines several forecasts' scores.
//!
//! A milestone's scores are of the forecast among the trials that reach it (the share that does
//! is reported beside them): a trial that never gets there has no time to compare.

mod overall;
pub mod rules;

pub use overall::{Overall, ReliabilityBin, Skill, Spread, overall, skill};

use crate::analysis::Share;
use crate::engine::{self, RunError, RunOptions, TrialSink, Workspace};
use crate::model::Model;
use rules::Estimator;
use std::sync::Mutex;

/// The central intervals whose coverage is reported.
pub const LEVELS: [f64; 3] = [0.5, 0.8, 0.9];
/// The CRPS estimator used (see [`rules::crps`]).
pub const ESTIMATOR: Estimator = Estimator::Fair;
/// The smallest kernel bandwidth, seconds: the engine's histogram resolution, so a forecast
/// with no spread (a fixed start) still has a density.
pub const MIN_BANDWIDTH_SECONDS: f64 = 60.0;

/// One forecast's scores.
#[derive(Debug, Clone)]
pub struct ScoreCard {
    pub trials: u64,
    pub seed: u64,
    /// One per `[observed]` milestone, in the file's order.
    pub milestones: Vec<MilestoneScore>,
    /// One per deadline whose milestone was observed (made if reached by its time).
    pub deadlines: Vec<EventScore>,
    /// Deadlines left unscored: their milestone (or, for a relative deadline, its reference
    /// milestone) was not observed.
    pub unscored_deadlines: Vec<usize>,
    pub route: Option<RouteScore>,
}

#[derive(Debug, Clone)]
pub struct MilestoneScore {
    pub milestone: usize,
    /// The observed instant, epoch seconds.
    pub observed: f64,
    /// The trials that reach the milestone (the forecast scored is theirs).
    pub reached: Share,
    pub pit: rules::Pit,
    /// The PIT's 95% Monte Carlo interval (Wilson, on the trials reaching the milestone).
    pub pit_ci95: (f64, f64),
    pub crps_hours: f64,
    pub crps_ci95_hours: (f64, f64),
    /// -ln of the forecast density at the outcome, density per hour (lower is better).
    pub log_score: f64,
    pub bandwidth_hours: f64,
    pub median: f64,
    /// Per level of [`LEVELS`]: the central interval and whether it held the outcome.
    pub intervals: Vec<CentralInterval>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CentralInterval {
    pub level: f64,
    pub low: f64,
    pub high: f64,
    pub contains: bool,
}

/// A yes/no forecast and what happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventScore {
    /// The deadline (index into the model's deadlines).
    pub deadline: usize,
    pub probability: Share,
    pub happened: bool,
    pub brier: f64,
    /// The Brier score at the ends of the probability's 95% interval.
    pub brier_ci95: (f64, f64),
    pub log_score: f64,
}

/// The observed route against the route probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteScore {
    pub route: usize,
    /// Every route's share of trials, indexed like the model's routes.
    pub shares: Vec<Share>,
    /// Sum over routes of (share - taken)².
    pub brier: f64,
    pub log_score: f64,
}

impl ScoreCard {
    /// The yes/no forecasts this card holds, as (probability, happened): the deadlines, then
    /// each route taken or not; the reliability diagram pools them.
    pub fn events(&self) -> Vec<(f64, bool)> {
        let deadlines = self
            .deadlines
            .iter()
            .map(|d| (d.probability.fraction, d.happened));
        let routes = self.route.iter().flat_map(|r| {
            r.shares
                .iter()
                .enumerate()
                .map(move |(i, s)| (s.fraction, i == r.route))
        });
        deadlines.chain(routes).collect()
    }
}

/// Runs `model` as written and scores it against its `[observed]` outcomes.
pub fn score(model: &Model, options: &RunOptions) -> Result<ScoreCard, RunError> {
    // The forecast as written: a score judges what was said before the outcome was known, so
    // nothing the run might be conditioned on counts here.
    let prior = Model {
        given: crate::model::Observed::default(),
        ..model.clone()
    };
    let model = &prior;
    let sink = ObservedTimes::new(model);
    let tally = engine::run(model, options, Some(&sink))?;
    let mut columns = sink.into_columns();
    for column in &mut columns {
        column.sort_by(f64::total_cmp);
    }
    let trials = tally.trials;
    let milestones = model
        .observed
        .milestones
        .iter()
        .zip(&columns)
        .map(|(o, xs)| milestone_score(o.milestone, o.at as f64, xs, trials))
        .collect();
    let observed_at = |m: usize| {
        model
            .observed
            .milestones
            .iter()
            .find(|o| o.milestone == m)
            .map(|o| o.at)
    };
    let mut deadlines = Vec::new();
    let mut unscored_deadlines = Vec::new();
    for (d, deadline) in model.deadlines.iter().enumerate() {
        let made: u64 = tally.deadline_made[d].iter().sum();
        let probability = Share::new(made, trials);
        // A relative deadline falls at its reference milestone's observed time plus the offset.
        let limit = deadline.limit(|m| observed_at(m).map_or(f64::NAN, |t| t as f64));
        let (Some(at), false) = (observed_at(deadline.milestone), limit.is_nan()) else {
            unscored_deadlines.push(d);
            continue;
        };
        let happened = at as f64 <= limit;
        deadlines.push(event_score(d, probability, happened, trials));
    }
    let route = model.observed.route.map(|r| {
        let shares: Vec<Share> = tally
            .route_trials
            .iter()
            .map(|&c| Share::new(c, trials))
            .collect();
        let brier = shares
            .iter()
            .enumerate()
            .map(|(i, s)| rules::brier(s.fraction, i == r))
            .sum();
        let log_score = rules::binary_log_score(shares[r].fraction, true, trials);
        RouteScore {
            route: r,
            shares,
            brier,
            log_score,
        }
    });
    Ok(ScoreCard {
        trials,
        seed: tally.seed,
        milestones,
        deadlines,
        unscored_deadlines,
        route,
    })
}

/// A deadline's yes/no forecast scored.
fn event_score(deadline: usize, probability: Share, happened: bool, trials: u64) -> EventScore {
    // (p - o)² is monotone in p for a fixed outcome, so the interval's ends map to its ends.
    let (a, b) = (
        rules::brier(probability.ci95.0, happened),
        rules::brier(probability.ci95.1, happened),
    );
    EventScore {
        deadline,
        probability,
        happened,
        brier: rules::brier(probability.fraction, happened),
        brier_ci95: (a.min(b), a.max(b)),
        log_score: rules::binary_log_score(probability.fraction, happened, trials),
    }
}

/// Scores the outcome `y` (epoch seconds) against the ascending sample `xs` of the trials that
/// reach milestone `m`, out of `trials`.
pub fn milestone_score(m: usize, y: f64, xs: &[f64], trials: u64) -> MilestoneScore {
    let n = xs.len() as u64;
    let pit = rules::pit(xs, y);
    let (crps, se) = rules::crps(xs, y, ESTIMATOR);
    let half = crate::stats::Z95 * se;
    let bandwidth = rules::silverman_bandwidth(xs, MIN_BANDWIDTH_SECONDS);
    // Density per second to density per hour: ln f_h = ln f_s + ln 3600.
    let log_score = -(rules::log_density(xs, bandwidth, y) + 3600f64.ln());
    let intervals = LEVELS
        .iter()
        .map(|&level| {
            let low = rules::quantile(xs, (1.0 - level) / 2.0);
            let high = rules::quantile(xs, (1.0 + level) / 2.0);
            CentralInterval {
                level,
                low,
                high,
                contains: low <= y && y <= high,
            }
        })
        .collect();
    MilestoneScore {
        milestone: m,
        observed: y,
        reached: Share::new(n, trials),
        pit,
        pit_ci95: crate::stats::wilson95((pit.value * n as f64).round() as u64, n),
        crps_hours: crps / 3600.0,
        crps_ci95_hours: ((crps - half) / 3600.0, (crps + half) / 3600.0),
        log_score,
        bandwidth_hours: bandwidth / 3600.0,
        median: rules::quantile(xs, 0.5),
        intervals,
    }
}

/// Collects, in trial order, the instant each observed milestone is reached in every trial that
/// reaches it: the sample the scores are computed from.
struct ObservedTimes {
    milestones: Vec<usize>,
    columns: Mutex<Vec<Vec<f64>>>,
}

impl ObservedTimes {
    fn new(model: &Model) -> Self {
        let milestones: Vec<usize> = model
            .observed
            .milestones
            .iter()
            .map(|o| o.milestone)
            .collect();
        ObservedTimes {
            columns: Mutex::new(vec![Vec::new(); milestones.len()]),
            milestones,
        }
    }

    fn into_columns(self) -> Vec<Vec<f64>> {
        self.columns
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl TrialSink for ObservedTimes {
    /// The chunk's reached instants, milestone after milestone, each list led by its length.
    fn format(&self, _model: &Model, chunk: &Workspace) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &m in &self.milestones {
            let reached: Vec<f64> = chunk.times[m][..chunk.len]
                .iter()
                .copied()
                .filter(|t| !t.is_nan())
                .collect();
            bytes.extend_from_slice(&(reached.len() as u64).to_le_bytes());
            for t in reached {
                bytes.extend_from_slice(&t.to_le_bytes());
            }
        }
        bytes
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut columns = self
            .columns
            .lock()
            .map_err(|_| std::io::Error::other("a worker panicked"))?;
        let mut words = bytes
            .chunks_exact(8)
            .map(|w| <[u8; 8]>::try_from(w).unwrap_or_default());
        for column in columns.iter_mut() {
            let count = words.next().map_or(0, u64::from_le_bytes);
            column.extend(words.by_ref().take(count as usize).map(f64::from_le_bytes));
        }
        Ok(())
    }
}
