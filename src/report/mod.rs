//! What a person or a program reads of a run: [`Summary`] is the public contract of
//! `summary.json` (the run's results written out: times as RFC 3339, numbers rounded for reading);
//! `console` prints the report, `outline` the model `eta check` understood, `samples` per-trial
//! rows; `compare` and `sweep` are the contracts and console text of `eta compare` and `eta sweep`.
//! Nothing here computes an estimate: [`crate::analysis`] does.

pub mod compare;
pub mod console;
pub mod forks;
pub mod outline;
pub mod samples;
pub mod sweep;

use crate::analysis::{RunResults, Share};
use crate::format::published::{
    RANK_CORRELATION, SLACK_HOURS, SWING_HOURS, published, published_interval,
};
use crate::model::{Model, Zone};
use crate::stats::RESOLUTION_SECONDS;
use crate::time::rfc3339;
use serde::Serialize;

/// The result of a run: the public contract of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub eta_version: &'static str,
    pub scenario: String,
    pub file: String,
    pub trials: u64,
    pub seed: u64,
    pub display_zone: String,
    /// Width of the histogram bins percentiles are read from.
    pub resolution_seconds: i64,
    pub routes: Vec<RouteSummary>,
    /// Each fork's branches and the share of trials that took each (absent without forks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forks: Vec<ForkSummary>,
    pub milestones: Vec<MilestoneSummary>,
    pub deadlines: Vec<DeadlineSummary>,
    /// What drives the spread of the final milestone's time, strongest first.
    pub drivers: Drivers,
    /// Requested rank correlations between inputs and those achieved in the kept trials.
    pub correlations: Vec<CorrelationSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrelationSummary {
    pub inputs: [String; 2],
    pub requested: f64,
    pub achieved: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drivers {
    /// The milestone whose arrival time is explained.
    pub milestone: String,
    /// How many of the run's first trials were kept for the analysis, and how many of those
    /// reach the milestone (only those are used).
    pub sample_trials: u64,
    pub sample_reached: u64,
    pub inputs: Vec<DriverSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DriverSummary {
    pub input: String,
    pub rank_correlation: f64,
    pub median_swing_hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteSummary {
    pub name: String,
    /// The probability the scenario gives the route.
    pub probability: f64,
    /// The share of trials that took it, with its 95% interval.
    pub share: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct ForkSummary {
    pub name: String,
    /// The milestone where the fork is decided.
    pub at: String,
    pub branches: Vec<BranchSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BranchSummary {
    pub name: String,
    /// The share of all trials that took the branch, with its 95% interval.
    pub share: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneSummary {
    pub id: String,
    pub name: String,
    /// The milestone's local zone (times below are in the display zone).
    pub zone: String,
    /// Probability the milestone is reached at all, with its 95% interval.
    pub reached: f64,
    pub reached_ci95: [f64; 2],
    /// Percentiles of the arrival instant among trials that reach it (RFC 3339, display zone).
    pub quantiles: Quantiles<String>,
    pub quantiles_ci95: Quantiles<[String; 2]>,
    pub mean: Option<String>,
    pub mean_ci95: Option<[String; 2]>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Quantiles<T> {
    pub p5: T,
    pub p10: T,
    pub p25: T,
    pub p50: T,
    pub p75: T,
    pub p90: T,
    pub p95: T,
}

impl<T> Quantiles<T> {
    fn from_array([p5, p10, p25, p50, p75, p90, p95]: [T; 7]) -> Self {
        Quantiles {
            p5,
            p10,
            p25,
            p50,
            p75,
            p90,
            p95,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineSummary {
    pub id: String,
    pub name: String,
    /// The deadline instant (RFC 3339 in the deadline's zone) and that zone.
    pub at: String,
    pub zone: String,
    pub milestone: String,
    pub probability: f64,
    pub ci95: [f64; 2],
    pub made: u64,
    /// The deadline minus the milestone's median arrival (trials that reach it), in hours.
    pub median_slack_hours: Option<f64>,
    /// The same probability for the trials of each route (absent with a single route).
    pub by_route: Vec<RouteOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteOutcome {
    pub route: String,
    pub trials: u64,
    pub probability: f64,
    pub ci95: [f64; 2],
}

impl Summary {
    pub fn new(model: &Model, file: &str, results: &RunResults, display_zone: &Zone) -> Summary {
        let routes = model
            .routes
            .iter()
            .zip(&results.routes)
            .map(|(r, share)| RouteSummary {
                name: r.name.clone(),
                probability: r.probability,
                share: share.fraction,
                ci95: published_interval(share.ci95),
            })
            .collect();
        let forks = model
            .forks
            .iter()
            .zip(&results.forks)
            .map(|(f, shares)| ForkSummary {
                name: f.name.clone(),
                at: model.milestones[f.at].id.clone(),
                branches: f
                    .branches
                    .iter()
                    .zip(shares)
                    .map(|(b, share)| BranchSummary {
                        name: b.name.clone(),
                        share: share.fraction,
                        ci95: published_interval(share.ci95),
                    })
                    .collect(),
            })
            .collect();
        let milestones = model
            .milestones
            .iter()
            .zip(&results.milestones)
            .map(|(m, result)| {
                let times = result.times.as_ref();
                let show = |t: f64| rfc3339(t, display_zone);
                MilestoneSummary {
                    id: m.id.clone(),
                    name: m.label.clone(),
                    zone: m.zone.name.clone(),
                    reached: result.reached.fraction,
                    reached_ci95: published_interval(result.reached.ci95),
                    quantiles: times
                        .map(|s| Quantiles::from_array(s.quantiles.map(show)))
                        .unwrap_or_default(),
                    quantiles_ci95: times
                        .map(|s| {
                            Quantiles::from_array(
                                s.quantiles_ci95.map(|(lo, hi)| [show(lo), show(hi)]),
                            )
                        })
                        .unwrap_or_default(),
                    mean: times.map(|s| show(s.mean)),
                    mean_ci95: times.map(|s| [show(s.mean_ci95.0), show(s.mean_ci95.1)]),
                }
            })
            .collect();
        let deadlines = model
            .deadlines
            .iter()
            .zip(&results.deadlines)
            .map(|(d, result)| DeadlineSummary {
                id: d.id.clone(),
                name: d.label.clone(),
                at: rfc3339(d.at as f64, &d.zone),
                zone: d.zone.name.clone(),
                milestone: model.milestones[d.milestone].id.clone(),
                probability: result.made.fraction,
                ci95: published_interval(result.made.ci95),
                made: result.made.count,
                median_slack_hours: result
                    .median_slack_seconds
                    .map(|s| published(s / 3600.0, SLACK_HOURS)),
                by_route: model
                    .routes
                    .iter()
                    .zip(&result.by_route)
                    .map(|(r, share): (_, &Share)| RouteOutcome {
                        route: r.name.clone(),
                        trials: share.of,
                        probability: share.fraction,
                        ci95: published_interval(share.ci95),
                    })
                    .collect(),
            })
            .collect();
        let d = &results.drivers;
        let drivers = Drivers {
            milestone: model.milestones[d.milestone].id.clone(),
            sample_trials: d.sample_trials,
            sample_reached: d.sample_reached,
            inputs: d
                .ranked
                .iter()
                .map(|d| DriverSummary {
                    input: d.input.clone(),
                    rank_correlation: published(d.rank_correlation, RANK_CORRELATION),
                    median_swing_hours: published(d.median_swing / 3600.0, SWING_HOURS),
                })
                .collect(),
        };
        let correlations = results
            .correlations
            .iter()
            .map(|c| CorrelationSummary {
                inputs: [
                    model.inputs[c.inputs.0].name.clone(),
                    model.inputs[c.inputs.1].name.clone(),
                ],
                requested: c.requested,
                achieved: published(c.achieved, RANK_CORRELATION),
            })
            .collect();
        Summary {
            eta_version: env!("CARGO_PKG_VERSION"),
            scenario: model.name.clone(),
            file: file.to_owned(),
            trials: results.trials,
            seed: results.seed,
            display_zone: display_zone.name.clone(),
            resolution_seconds: RESOLUTION_SECONDS,
            routes,
            forks,
            milestones,
            deadlines,
            drivers,
            correlations,
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}
