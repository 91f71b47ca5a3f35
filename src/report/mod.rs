//! What a person or a program reads of a run: [`Summary`] is the public contract of
//! `summary.json` (the run's results written out: times as RFC 3339, numbers rounded for reading);
//! `console` prints the report, `outline` the model `eta check` understood, `samples` per-trial
//! rows; `compare` and `sweep` are the contracts and console text of `eta compare` and `eta sweep`.
//! `document` is the shareable report's content, laid out by `html` (report.html) and
//! `markdown` (report.md).
//! Nothing here computes an estimate: [`crate::analysis`] does.

pub mod compare;
pub mod console;
pub mod document;
pub mod forks;
pub mod html;
pub mod markdown;
pub mod outline;
pub mod samples;
pub mod score;
pub mod sweep;

use crate::analysis::{RunResults, Share};
use crate::format::published::{
    RANK_CORRELATION, SHARE, SLACK_HOURS, WAIT_MINUTES, published, published_interval,
};
use crate::model::{DeadlineAt, Model, Zone};
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
    /// What the run was conditioned on (absent for a forecast as written): every figure below
    /// is then over the trials weighted by how well they fit these observations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<ConditioningSummary>,
    pub display_zone: String,
    /// Width of the histogram bins percentiles are read from.
    pub resolution_seconds: i64,
    pub routes: Vec<RouteSummary>,
    /// Each fork's branches and the share of trials that took each (absent without forks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forks: Vec<ForkSummary>,
    pub milestones: Vec<MilestoneSummary>,
    pub deadlines: Vec<DeadlineSummary>,
    /// What drives the focus milestone's time and its deadline, strongest first.
    pub drivers: Drivers,
    /// Requested rank correlations between inputs and those achieved in the kept trials.
    pub correlations: Vec<CorrelationSummary>,
    /// Per timetabled step: the departures its trials took (absent without timetables).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timetables: Vec<TimetableSummary>,
}

/// A conditioned run's observations and how much information survived them.
#[derive(Debug, Clone, Serialize)]
pub struct ConditioningSummary {
    /// Each observation as a reader would say it.
    pub given: Vec<String>,
    /// How trials are weighted (the kernels), in words.
    pub weighting: String,
    /// Kish's effective sample size of the weighted trials, which every interval rests on.
    pub effective_trials: u64,
    /// Per observation (as `given`), the trials compatible with it alone.
    pub compatible_trials: Vec<u64>,
    /// When `effective_trials` is below 10,000: about how many trials would reach it.
    pub trials_needed: Option<u64>,
}

/// One timetabled step's departures; every share is of the trials that reached the step.
#[derive(Debug, Clone, Serialize)]
pub struct TimetableSummary {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    pub zone: String,
    pub ready_trials: u64,
    pub departures: Vec<DepartureSummary>,
    pub other_departures: ShareSummary,
    pub next_day: ShareSummary,
    pub missed_aim: ShareSummary,
    pub no_departure: ShareSummary,
    /// Mean wait at the stop in minutes, with its 95% interval, over the trials that left.
    pub mean_wait_minutes: Option<f64>,
    pub mean_wait_minutes_ci95: Option<[f64; 2]>,
    /// Percentiles of the wait in minutes, each with its 95% interval, over the trials that left.
    pub wait_quantiles_minutes: Option<Quantiles<f64>>,
    pub wait_quantiles_minutes_ci95: Option<Quantiles<[f64; 2]>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartureSummary {
    pub departure: String,
    pub share: f64,
    pub ci95: [f64; 2],
    pub trials: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShareSummary {
    pub share: f64,
    pub ci95: [f64; 2],
    pub trials: u64,
}

impl ShareSummary {
    fn new(s: &Share) -> Self {
        ShareSummary {
            share: s.fraction,
            ci95: published_interval(s.ci95),
            trials: s.count,
        }
    }
}

impl TimetableSummary {
    fn new(model: &Model, t: &crate::analysis::TimetableResult) -> Option<Self> {
        let step = &model.steps[t.step];
        let zone = step.timetable.as_ref()?.departures.zone();
        let minutes = |seconds: f64| published(seconds / 60.0, WAIT_MINUTES);
        Some(TimetableSummary {
            from: model.milestones[step.from].id.clone(),
            to: model.milestones[step.to].id.clone(),
            label: step.label.clone(),
            zone: zone.name.clone(),
            ready_trials: t.ready,
            departures: t
                .departures
                .iter()
                .map(|(at, s)| DepartureSummary {
                    departure: rfc3339(*at, zone),
                    share: s.fraction,
                    ci95: published_interval(s.ci95),
                    trials: s.count,
                })
                .collect(),
            other_departures: ShareSummary::new(&t.other),
            next_day: ShareSummary::new(&t.next_day),
            missed_aim: ShareSummary::new(&t.missed_aim),
            no_departure: ShareSummary::new(&t.none),
            mean_wait_minutes: t.mean_wait.map(|(m, _)| minutes(m)),
            mean_wait_minutes_ci95: t.mean_wait.map(|(_, (lo, hi))| [minutes(lo), minutes(hi)]),
            wait_quantiles_minutes: t
                .wait
                .map(|w| Quantiles::from_array(w.quantiles.map(minutes))),
            wait_quantiles_minutes_ci95: t.wait.map(|w| {
                Quantiles::from_array(w.quantiles_ci95.map(|(lo, hi)| [minutes(lo), minutes(hi)]))
            }),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrelationSummary {
    pub inputs: [String; 2],
    pub requested: f64,
    pub achieved: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drivers {
    /// The milestone whose time is explained, and the deadline on it whose odds are (`--drivers-of`;
    /// by default the first deadline).
    pub milestone: String,
    pub deadline: Option<String>,
    /// How many of the run's first trials were kept for the analysis, and how many of those
    /// reach the milestone (the variance shares and rank correlations use those; P(on time) uses
    /// all kept trials, one that never arrives being late).
    pub sample_trials: u64,
    pub sample_reached: u64,
    /// In a conditioned run: the trials kept, from which the `sample_trials` were drawn again
    /// in proportion to their weights (as many as their effective number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resampled_from: Option<u64>,
    /// One per source of randomness that can reach the milestone, strongest first (by the size of
    /// the P(on time) difference with a deadline, else by variance share).
    pub ranked: Vec<DriverSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DriverSummary {
    /// `input`, `route` (taking it against the other routes), `event` (a chance event happening
    /// against not), `branch` (a fork's branch taken against not), `cancellation` (a timetabled
    /// step's trial passing a cancelled departure against not) or `lost_days` (the working days
    /// a calendar lost that the trial met, low and high quarters like an input).
    pub kind: &'static str,
    pub name: String,
    pub label: String,
    /// The share of the time's variance the driver explains alone (first-order Sobol' index),
    /// with its 95% interval; null when the time or the driver does not vary among the trials
    /// that reach the milestone.
    pub variance_share: Option<f64>,
    pub variance_share_ci95: Option<[f64; 2]>,
    /// Spearman's rank correlation with the time (same trials).
    pub rank_correlation: Option<f64>,
    /// P(on time) in the driver's low and high trials (null without a deadline).
    pub on_time: Option<OnTimeSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnTimeSummary {
    /// The low trials' values are at most `low_at_most`, the high ones' at least `high_at_least`
    /// (the input's base units; 0 and 1 for an event or route: without and with).
    pub low_at_most: f64,
    pub high_at_least: f64,
    pub low: TrialShare,
    pub high: TrialShare,
    /// `high - low`, with Newcombe's 95% interval.
    pub difference: f64,
    pub difference_ci95: [f64; 2],
}

/// A probability over some trials, with its 95% interval.
#[derive(Debug, Clone, Serialize)]
pub struct TrialShare {
    pub trials: u64,
    pub probability: f64,
    pub ci95: [f64; 2],
}

impl From<&Share> for TrialShare {
    fn from(s: &Share) -> Self {
        TrialShare {
            trials: s.of,
            probability: s.fraction,
            ci95: published_interval(s.ci95),
        }
    }
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
    /// The deadline instant (RFC 3339 in the deadline's zone) and that zone; `None` (null) for a
    /// deadline relative to a milestone, which has no one instant.
    pub at: Option<String>,
    pub zone: String,
    /// For a deadline relative to a milestone: which, and the offset; absent for a fixed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_to: Option<RelativeTo>,
    pub milestone: String,
    pub probability: f64,
    pub ci95: [f64; 2],
    pub made: u64,
    /// The deadline minus the milestone's median arrival (trials that reach it), in hours.
    pub median_slack_hours: Option<f64>,
    /// The same probability for the trials of each route (absent with a single route).
    pub by_route: Vec<RouteOutcome>,
}

impl DeadlineSummary {
    /// A relative deadline in words, e.g. `20m before "Departure" in the same trial`, naming the
    /// reference milestone as `milestones` do; `None` for a fixed deadline.
    pub fn relative_phrase(&self, milestones: &[MilestoneSummary]) -> Option<String> {
        let r = self.relative_to.as_ref()?;
        let name = milestones
            .iter()
            .find(|m| m.id == r.milestone)
            .map_or(r.milestone.as_str(), |m| m.name.as_str());
        let when = crate::format::relative_to(r.offset_hours * 3600.0, name);
        Some(format!("{when} in the same trial"))
    }
}

/// A relative deadline's reference: it falls `offset_hours` after `milestone` (negative: before)
/// in each trial.
#[derive(Debug, Clone, Serialize)]
pub struct RelativeTo {
    pub milestone: String,
    pub offset_hours: f64,
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
                at: d.instant().map(|at| rfc3339(at as f64, &d.zone)),
                zone: d.zone.name.clone(),
                relative_to: match d.at {
                    DeadlineAt::Fixed(_) => None,
                    DeadlineAt::Relative { milestone, offset } => Some(RelativeTo {
                        milestone: model.milestones[milestone].id.clone(),
                        offset_hours: offset / 3600.0,
                    }),
                },
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
        let interval = |(lo, hi): (f64, f64)| [published(lo, SHARE), published(hi, SHARE)];
        let drivers = Drivers {
            milestone: model.milestones[d.focus.milestone].id.clone(),
            deadline: d.focus.deadline.map(|k| model.deadlines[k].id.clone()),
            sample_trials: d.sample_trials,
            resampled_from: d.resampled_from,
            sample_reached: d.sample_reached,
            ranked: d
                .ranked
                .iter()
                .map(|d| DriverSummary {
                    kind: d.kind.name(),
                    name: d.name.clone(),
                    label: d.label.clone(),
                    variance_share: d.variance_share.map(|e| published(e.value, SHARE)),
                    variance_share_ci95: d.variance_share.map(|e| interval(e.ci95)),
                    rank_correlation: d.rank_correlation.map(|r| published(r, RANK_CORRELATION)),
                    on_time: d.on_time.map(|o| OnTimeSummary {
                        low_at_most: o.split.low_at_most,
                        high_at_least: o.split.high_at_least,
                        low: (&o.low).into(),
                        high: (&o.high).into(),
                        difference: published(o.difference.value, SHARE),
                        difference_ci95: interval(o.difference.ci95),
                    }),
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
            conditioning: results.conditioning.as_ref().map(|c| ConditioningSummary {
                given: c.given.clone(),
                weighting: crate::model::observed::weighting(),
                effective_trials: c.effective.round() as u64,
                compatible_trials: c.compatible.clone(),
                trials_needed: c.trials_needed,
            }),
            display_zone: display_zone.name.clone(),
            resolution_seconds: RESOLUTION_SECONDS,
            routes,
            forks,
            milestones,
            deadlines,
            drivers,
            correlations,
            timetables: results
                .timetables
                .iter()
                .filter_map(|t| TimetableSummary::new(model, t))
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}
