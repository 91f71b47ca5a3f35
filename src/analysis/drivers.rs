//! What drives the answer: one row per source of randomness that can reach the focus milestone
//! (each input upstream of it, the route choice, each chance event, each fork branch, each
//! timetable's cancellations, each calendar's lost days), each answering two questions from the trials kept whole: what moves the time (the share of the time's variance
//! the driver explains alone, a first-order Sobol' index, with the rank correlation beside it),
//! and what moves the deadline (P(on time) in the driver's low and high trials, or without and
//! with the event or route).

use super::run::Share;
use crate::engine::TrialSample;
use crate::model::{DeadlineAt, Model};
use crate::stats::drivers::{self, Estimate, Split};
use crate::stats::newcombe95;
use rayon::prelude::*;

/// What the drivers explain: a milestone's time, and the deadline on it whose odds they explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus {
    pub milestone: usize,
    pub deadline: Option<usize>,
}

impl Focus {
    /// The first deadline (in file order) and its milestone; with no deadline, the milestone
    /// reached last in journey order ([`Model::final_milestone`]).
    pub fn default_for(model: &Model) -> Focus {
        Focus {
            milestone: model.final_milestone(),
            deadline: (!model.deadlines.is_empty()).then_some(0),
        }
    }

    /// `written`'s default focus, found by name in `model` (the same scenario with `--set`
    /// overrides): a deadline the overrides add, or put first, does not take the focus over.
    /// `model`'s own default when the written focus is gone from it.
    pub fn kept_from(written: &Model, model: &Model) -> Focus {
        let focus = Focus::default_for(written);
        let name = match focus.deadline {
            Some(d) => &written.deadlines[d].id,
            None => &written.milestones[focus.milestone].id,
        };
        Focus::named(model, name).unwrap_or_else(|_| Focus::default_for(model))
    }

    /// The focus `name` gives: a deadline's id (that deadline and its milestone), else a
    /// milestone's (that milestone, and the first deadline on it, if any). Err lists the names.
    pub fn named(model: &Model, name: &str) -> Result<Focus, String> {
        if let Some(d) = model.deadlines.iter().position(|d| d.id == name) {
            return Ok(Focus {
                milestone: model.deadlines[d].milestone,
                deadline: Some(d),
            });
        }
        if let Some(m) = model.milestones.iter().position(|m| m.id == name) {
            return Ok(Focus {
                milestone: m,
                deadline: model.deadlines.iter().position(|d| d.milestone == m),
            });
        }
        let names = Self::names(model);
        let near = crate::diag::closest(name, names.iter().map(String::as_str))
            .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        Err(format!(
            "no milestone or deadline `{name}` in this scenario{near} (milestones and deadlines: {})",
            names.join(", ")
        ))
    }

    /// Every name [`Focus::named`] accepts: the milestones', then the deadlines'.
    pub fn names(model: &Model) -> Vec<String> {
        let milestones = model.milestones.iter().map(|m| m.id.clone());
        milestones
            .chain(model.deadlines.iter().map(|d| d.id.clone()))
            .collect()
    }
}

/// What drives the focus, from the trials kept whole.
#[derive(Debug, Clone)]
pub struct DriverResults {
    pub focus: Focus,
    /// Trials kept for the analysis, and how many of them reach the milestone (the time question
    /// uses those; the deadline question uses all, a trial that never arrives being late).
    pub sample_trials: u64,
    pub sample_reached: u64,
    /// In a run conditioned on observations: how many trials were kept, of which the
    /// `sample_trials` above were drawn again by weight (as many as their effective number).
    pub resampled_from: Option<u64>,
    /// Strongest first: by the size of the P(on time) difference when the focus has a deadline,
    /// else by variance share.
    pub ranked: Vec<Driver>,
}

impl DriverResults {
    /// How many drivers a report or chart shows.
    pub const SHOWN: usize = 10;

    /// The strongest drivers, as many as a report shows.
    pub fn top(&self) -> &[Driver] {
        &self.ranked[..self.ranked.len().min(Self::SHOWN)]
    }
}

/// A source of randomness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverKind {
    /// An input (index into `Model::inputs`): low and high are its bottom and top quarters.
    Input(usize),
    /// Taking a route (index into `Model::routes`) against the others: with two routes, one row
    /// for the less likely one.
    Route(usize),
    /// A chance event (index into [`crate::model::Sources::events`]): happening against not.
    Event(usize),
    /// Taking a fork's branch (fork, branch) against not.
    Branch(usize, usize),
    /// A timetabled step (index into `Model::steps`): passing a cancelled departure against not.
    Cancellation(usize),
    /// A calendar (index into `Model::calendars`): the lost working days a trial met, low and
    /// high quarters like an input.
    LostDays(usize),
}

impl DriverKind {
    /// Whether the driver is a yes/no one (an event, a route), read as without/with.
    pub fn is_yes_no(self) -> bool {
        !matches!(self, DriverKind::Input(_) | DriverKind::LostDays(_))
    }

    /// The kind's name in summary.json.
    pub fn name(self) -> &'static str {
        match self {
            DriverKind::Input(_) => "input",
            DriverKind::Route(_) => "route",
            DriverKind::Event(_) => "event",
            DriverKind::Branch(..) => "branch",
            DriverKind::Cancellation(_) => "cancellation",
            DriverKind::LostDays(_) => "lost_days",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub kind: DriverKind,
    /// The input's or route's name, or the event's label.
    pub name: String,
    /// How a person reads it: a route's description, else the name.
    pub label: String,
    /// What moves the time: the first-order Sobol' index of the milestone's time on the driver
    /// among the trials that reach it (None when the time or the driver does not vary there).
    pub variance_share: Option<Estimate>,
    /// Spearman's rank correlation with the time, among the same trials.
    pub rank_correlation: Option<f64>,
    /// What moves the deadline (None without a deadline in focus).
    pub on_time: Option<OnTime>,
}

/// P(on time) in a driver's low and high trials (without and with, for an event or a route),
/// over all kept trials.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnTime {
    pub split: Split,
    pub low: Share,
    pub high: Share,
    /// `high - low`, with Newcombe's 95% interval.
    pub difference: Estimate,
}

/// The drivers of `focus` from `sample` (its milestone must be the focus milestone; otherwise no
/// driver is ranked).
pub fn explain(model: &Model, sample: &TrialSample, focus: Focus) -> DriverResults {
    if !sample.weight.is_empty() {
        let mut results = explain(model, &resampled(sample), focus);
        results.resampled_from = Some(sample.outcome.len() as u64);
        return results;
    }
    let reached: Vec<usize> = (0..sample.outcome.len())
        .filter(|&i| !sample.outcome[i].is_nan())
        .collect();
    let mut results = DriverResults {
        focus,
        sample_trials: sample.outcome.len() as u64,
        sample_reached: reached.len() as u64,
        resampled_from: None,
        ranked: Vec::new(),
    };
    if sample.milestone != focus.milestone || sample.outcome.is_empty() {
        return results;
    }
    let y: Vec<f64> = reached.iter().map(|&i| sample.outcome[i]).collect();
    let made: Option<Vec<bool>> = focus.deadline.map(|d| {
        let deadline = &model.deadlines[d];
        // The branch trial i took at fork f, read back from the kept indicator columns (a trial
        // with none of them set took the default, the last branch).
        let branch = |i: usize, f: usize| -> u8 {
            let others = model.forks[f].branches.len() - 1;
            (0..others)
                .find(|&b| {
                    sample
                        .inputs
                        .get(model.branch_column(f, b))
                        .and_then(|c| c.get(i))
                        .is_some_and(|&v| v > 0.0)
                })
                .unwrap_or(others) as u8
        };
        (0..sample.outcome.len())
            .map(|i| {
                let limit = match deadline.instant() {
                    Some(at) => at as f64,
                    None => sample.limits[d][i],
                };
                let route = sample.route.get(i).copied().unwrap_or(0);
                deadline.made(sample.outcome[i], limit, route, |f| branch(i, f))
            })
            .collect()
    });
    let mut ranked: Vec<Driver> = candidates(model, sample, focus)
        .into_par_iter()
        .filter_map(|(kind, name, label, x)| {
            let split = drivers::quarters(&x)?;
            let xr: Vec<f64> = reached.iter().map(|&i| x[i]).collect();
            let on_time = made.as_ref().map(|made| {
                let c = drivers::group_counts(&x, made, split);
                let (low, high) = (
                    Share::new(c.low_made, c.low),
                    Share::new(c.high_made, c.high),
                );
                OnTime {
                    split,
                    low,
                    high,
                    difference: Estimate {
                        value: high.fraction - low.fraction,
                        ci95: newcombe95(c.low_made, c.low, c.high_made, c.high),
                    },
                }
            });
            let varies = xr.iter().any(|&v| v != xr[0]);
            Some(Driver {
                kind,
                name,
                label,
                variance_share: varies
                    .then(|| drivers::first_order_index(&xr, &y))
                    .flatten(),
                rank_correlation: varies.then(|| drivers::rank_correlation(&xr, &y)).flatten(),
                on_time,
            })
        })
        .collect();
    let share = |d: &Driver| d.variance_share.map_or(f64::NEG_INFINITY, |e| e.value);
    let swing = |d: &Driver| d.on_time.map_or(0.0, |o| o.difference.value.abs());
    ranked.sort_by(|a, b| {
        let key = if focus.deadline.is_some() {
            swing(b)
                .total_cmp(&swing(a))
                .then(share(b).total_cmp(&share(a)))
        } else {
            share(b).total_cmp(&share(a))
        };
        key.then_with(|| a.name.cmp(&b.name))
    });
    results.ranked = ranked;
    results
}

/// The kept trials of a conditioned run, drawn again in proportion to their weights
/// (systematic resampling, so the same run always gives the same draw), as many as their
/// effective number: an unweighted sample of the conditional distribution, which the rank
/// estimators above take as it is. Trials drawn twice are ties, as in a bootstrap.
fn resampled(sample: &TrialSample) -> TrialSample {
    let total: f64 = sample.weight.iter().sum();
    let squares: f64 = sample.weight.iter().map(|w| w * w).sum();
    let count = if squares > 0.0 {
        (total * total / squares).round() as usize
    } else {
        0
    };
    let mut picks = Vec::with_capacity(count);
    let mut cumulative = 0.0;
    let mut next = 0;
    for (i, &w) in sample.weight.iter().enumerate() {
        cumulative += w;
        while next < count && (next as f64 + 0.5) * total / count as f64 <= cumulative {
            picks.push(i);
            next += 1;
        }
    }
    let pick = |column: &Vec<f64>| -> Vec<f64> {
        if column.len() == sample.weight.len() {
            picks.iter().map(|&i| column[i]).collect()
        } else {
            column.clone()
        }
    };
    TrialSample {
        inputs: sample.inputs.iter().map(pick).collect(),
        route: picks.iter().map(|&i| sample.route[i]).collect(),
        milestone: sample.milestone,
        outcome: pick(&sample.outcome),
        limits: sample.limits.iter().map(pick).collect(),
        weight: Vec::new(),
    }
}

/// Every source that can reach the sample's milestone, as (kind, name, label, per-trial value):
/// an input's values; 1 on the route's trials and 0 elsewhere; 1 where the event happened.
fn candidates(
    model: &Model,
    sample: &TrialSample,
    focus: Focus,
) -> Vec<(DriverKind, String, String, Vec<f64>)> {
    // A deadline relative to another milestone is moved by that milestone's sources too.
    let reference = focus.deadline.and_then(|d| match model.deadlines[d].at {
        DeadlineAt::Relative { milestone, .. } => Some(milestone),
        DeadlineAt::Fixed(_) => None,
    });
    let sources = model.sources_of(
        &[sample.milestone]
            .into_iter()
            .chain(reference)
            .collect::<Vec<_>>(),
    );
    let n = sample.outcome.len();
    let column = |k: usize| sample.inputs.get(k).filter(|c| c.len() == n);
    let mut out = Vec::new();
    for &k in &sources.inputs {
        if let Some(c) = column(k) {
            let name = model.inputs[k].name.clone();
            out.push((DriverKind::Input(k), name.clone(), name, c.clone()));
        }
    }
    if sources.route_choice {
        let mut routes: Vec<usize> = (0..model.routes.len()).collect();
        if routes.len() == 2 {
            // One row: the less likely route against the other (the second on a tie).
            let p = |r: usize| model.routes[r].probability;
            routes = vec![if p(0) < p(1) { 0 } else { 1 }];
        }
        for r in routes {
            let route = &model.routes[r];
            let x = sample
                .route
                .iter()
                .map(|&t| f64::from(usize::from(t) == r))
                .collect();
            let label = route
                .description
                .clone()
                .unwrap_or_else(|| route.name.clone());
            out.push((DriverKind::Route(r), route.name.clone(), label, x));
        }
    }
    for (e, event) in sources.events.iter().enumerate() {
        let x: Vec<f64> = match event.coin.and_then(column) {
            Some(coin) => coin.iter().map(|&v| f64::from(v > 0.0)).collect(),
            None => (0..n)
                .map(|i| {
                    let happened = event
                        .steps
                        .iter()
                        .any(|&p| column(model.inputs.len() + p).is_some_and(|c| c[i] > 0.0));
                    f64::from(happened)
                })
                .collect(),
        };
        out.push((
            DriverKind::Event(e),
            event.label.clone(),
            event.label.clone(),
            x,
        ));
    }
    for &(f, b) in &sources.branches {
        if let Some(c) = column(model.branch_column(f, b)) {
            let fork = &model.forks[f];
            let name = format!("{}.{}", fork.name, fork.branches[b].name);
            let label = format!("{name} (branch taken)");
            out.push((DriverKind::Branch(f, b), name, label, c.clone()));
        }
    }
    for &s in &sources.cancellations {
        if let Some(c) = model.cancellation_column(s).and_then(column) {
            let name = model.step_name(s);
            let label = format!("{name}: a departure cancelled");
            out.push((DriverKind::Cancellation(s), name, label, c.clone()));
        }
    }
    for &k in &sources.lost_days {
        if let Some(c) = model.lost_days_column(k).and_then(column) {
            let name = model.calendars[k].name.clone();
            let label = format!("{name}: working days lost");
            out.push((DriverKind::LostDays(k), name, label, c.clone()));
        }
    }
    out
}
