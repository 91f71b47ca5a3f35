//! Summaries a person or a program reads: [`Summary`] turns a run's tally into answers with their
//! uncertainty, and is what `summary.json` serialises; `console` prints it, `samples` writes
//! per-trial rows.

pub mod console;
pub mod outline;
pub mod samples;

use crate::engine::Tally;
use crate::model::{Model, Zone};
use crate::stats::{RESOLUTION_SECONDS, TimeHistogram, drivers, wilson95};
use crate::time::rfc3339;
use serde::Serialize;

/// The percentiles every milestone reports, as (key, probability).
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

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
    /// The same as epoch seconds, for programs that compute with them.
    #[serde(skip)]
    pub seconds: Option<MilestoneSeconds>,
}

/// A milestone's statistics as epoch seconds, for the console and charts.
#[derive(Debug, Clone, Copy)]
pub struct MilestoneSeconds {
    pub quantiles: [f64; 7],
    pub ci95: [(f64, f64); 7],
    pub mean: f64,
    pub mean_half_width: f64,
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
    pub fn new(model: &Model, file: &str, tally: &Tally, display_zone: &Zone) -> Summary {
        let n = tally.trials;
        let routes = model
            .routes
            .iter()
            .zip(&tally.route_trials)
            .map(|(r, &k)| RouteSummary {
                name: r.name.clone(),
                probability: r.probability,
                share: k as f64 / n as f64,
                ci95: pair(wilson95(k, n)),
            })
            .collect();
        let milestones = model
            .milestones
            .iter()
            .zip(&tally.milestones)
            .map(|(m, hist)| milestone_summary(&m.id, &m.label, &m.zone, hist, n, display_zone))
            .collect();
        let deadlines = model
            .deadlines
            .iter()
            .zip(&tally.deadline_made)
            .map(|(d, made_by_route)| {
                let made: u64 = made_by_route.iter().sum();
                let median = tally.milestones[d.milestone].quantile(0.5);
                let by_route = if model.routes.len() > 1 {
                    model
                        .routes
                        .iter()
                        .zip(made_by_route)
                        .zip(&tally.route_trials)
                        .map(|((r, &k), &trials)| RouteOutcome {
                            route: r.name.clone(),
                            trials,
                            probability: if trials > 0 {
                                k as f64 / trials as f64
                            } else {
                                0.0
                            },
                            ci95: pair(wilson95(k, trials)),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                DeadlineSummary {
                    id: d.id.clone(),
                    name: d.label.clone(),
                    at: rfc3339(d.at as f64, &d.zone),
                    zone: d.zone.name.clone(),
                    milestone: model.milestones[d.milestone].id.clone(),
                    probability: made as f64 / n as f64,
                    ci95: pair(wilson95(made, n)),
                    made,
                    median_slack_hours: median.map(|t| round_to((d.at as f64 - t) / 3600.0, 1e-4)),
                    by_route,
                }
            })
            .collect();
        let final_milestone = model.final_milestone();
        let names = model.driver_names();
        let ranked = drivers::drivers(&names, &tally.sample.inputs, &tally.sample.outcome);
        let drivers = Drivers {
            milestone: model.milestones[final_milestone].id.clone(),
            sample_trials: tally.sample.outcome.len() as u64,
            sample_reached: tally.sample.outcome.iter().filter(|t| !t.is_nan()).count() as u64,
            inputs: ranked
                .into_iter()
                .map(|d| DriverSummary {
                    input: d.input,
                    rank_correlation: round_to(d.rank_correlation, 1e-4),
                    median_swing_hours: round_to(d.median_swing / 3600.0, 1e-3),
                })
                .collect(),
        };
        let correlations = model
            .correlation
            .iter()
            .flat_map(|c| {
                c.pairs
                    .iter()
                    .map(move |&(a, b, r)| (c.inputs[a], c.inputs[b], r))
            })
            .map(|(a, b, requested)| {
                let column = |i: usize| tally.sample.inputs.get(i).map_or(&[][..], Vec::as_slice);
                CorrelationSummary {
                    inputs: [model.inputs[a].name.clone(), model.inputs[b].name.clone()],
                    requested,
                    achieved: round_to(
                        crate::stats::correlation::spearman(column(a), column(b)),
                        1e-4,
                    ),
                }
            })
            .collect();
        Summary {
            eta_version: env!("CARGO_PKG_VERSION"),
            scenario: model.name.clone(),
            file: file.to_owned(),
            trials: n,
            seed: tally.seed,
            display_zone: display_zone.name.clone(),
            resolution_seconds: RESOLUTION_SECONDS,
            routes,
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

fn milestone_summary(
    id: &str,
    label: &str,
    zone: &Zone,
    hist: &TimeHistogram,
    n: u64,
    display: &Zone,
) -> MilestoneSummary {
    let reached = hist.count();
    let seconds = (reached > 0).then(|| {
        let quantiles = PERCENTILES.map(|(_, p)| hist.quantile(p).unwrap_or(f64::NAN));
        let ci95 = PERCENTILES.map(|(_, p)| hist.quantile_ci95(p).unwrap_or((f64::NAN, f64::NAN)));
        let mean = hist.mean().unwrap_or(f64::NAN);
        let mean_half_width = hist
            .sd()
            .map_or(0.0, |sd| 1.959_964 * sd / (reached as f64).sqrt());
        MilestoneSeconds {
            quantiles,
            ci95,
            mean,
            mean_half_width,
        }
    });
    let show = |t: f64| rfc3339(t, display);
    MilestoneSummary {
        id: id.to_owned(),
        name: label.to_owned(),
        zone: zone.name.clone(),
        reached: reached as f64 / n as f64,
        reached_ci95: pair(wilson95(reached, n)),
        quantiles: seconds
            .map(|s| Quantiles::from_array(s.quantiles.map(show)))
            .unwrap_or_default(),
        quantiles_ci95: seconds
            .map(|s| Quantiles::from_array(s.ci95.map(|(lo, hi)| [show(lo), show(hi)])))
            .unwrap_or_default(),
        mean: seconds.map(|s| show(s.mean)),
        mean_ci95: seconds.map(|s| {
            [
                show(s.mean - s.mean_half_width),
                show(s.mean + s.mean_half_width),
            ]
        }),
        seconds,
    }
}

fn pair((a, b): (f64, f64)) -> [f64; 2] {
    [round_to(a, 1e-6), round_to(b, 1e-6)]
}

/// Rounds to a multiple of `step` and to the shortest decimal that reads back the same, so JSON
/// shows `0.999962`, not `0.9999619999999999`.
fn round_to(x: f64, step: f64) -> f64 {
    let decimals = (-step.log10()).ceil().max(0.0) as usize;
    format!("{:.*}", decimals, (x / step).round() * step)
        .parse()
        .unwrap_or(x)
}
