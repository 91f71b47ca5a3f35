//! The sources of randomness that can reach a milestone: the inputs its upstream steps and starts
//! read, the route choice, and the chance events on the way, found by walking the step graph
//! backwards from it. Inputs downstream of the milestone, or used by nothing, cannot move it.

use super::{Model, Operand, StepDuration};
use crate::distribution::Family;

/// What can move a milestone's time, in model order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    /// Inputs read by a step or start upstream of the milestone (indices into `Model::inputs`),
    /// except a bernoulli input that only decides chance events: that is the event's own row.
    pub inputs: Vec<usize>,
    /// Whether a step upstream of the milestone belongs to a route, so the route choice moves it.
    pub route_choice: bool,
    pub events: Vec<ChanceEvent>,
    /// Fork branches (fork, branch) that some step upstream of the milestone belongs to, each
    /// fork's default left out (taking a branch is read against not taking it).
    pub branches: Vec<(usize, usize)>,
    /// Timetabled steps upstream of the milestone whose departures can be cancelled.
    pub cancellations: Vec<usize>,
    /// Calendars with lost days that a step upstream of the milestone is counted in.
    pub lost_days: Vec<usize>,
}

/// A chance event: one coin deciding one or more delay steps upstream of the milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct ChanceEvent {
    /// The steps' label (or the coin input's name, or the step's leg `from -> to`).
    pub label: String,
    /// The event's steps, as positions among the model's chance steps ([`Model::chance_steps`]).
    pub steps: Vec<usize>,
    /// The bernoulli input that is the coin, when the steps' probability is one: every step
    /// reading it happens together, so they are one event. Otherwise each step draws its own
    /// coin and is an event alone.
    pub coin: Option<usize>,
}

impl Model {
    /// The chance steps (indices into `steps`), in step order: the order of the engine's event
    /// columns.
    pub fn chance_steps(&self) -> Vec<usize> {
        (0..self.steps.len())
            .filter(|&s| matches!(self.steps[s].duration, StepDuration::Chance { .. }))
            .collect()
    }

    /// How many per-trial branch columns the engine keeps: every branch but each fork's default.
    pub fn branch_columns(&self) -> usize {
        self.forks.iter().map(|f| f.branches.len() - 1).sum()
    }

    /// The kept-sample column of fork `f`'s branch `b` (not the default), after the inputs and
    /// the chance steps.
    pub fn branch_column(&self, f: usize, b: usize) -> usize {
        let before: usize = self.forks[..f].iter().map(|f| f.branches.len() - 1).sum();
        self.inputs.len() + self.chance_steps().len() + before + b
    }

    /// The timetabled steps whose departures can be cancelled, in step order: the engine keeps
    /// a column per step saying whether the trial passed a cancelled departure.
    pub fn cancellation_steps(&self) -> Vec<usize> {
        (0..self.steps.len())
            .filter(|&s| {
                self.steps[s]
                    .timetable
                    .as_ref()
                    .is_some_and(|t| t.cancelled > 0.0)
            })
            .collect()
    }

    /// The calendars with lost days, in calendar order: the engine keeps a column per calendar
    /// counting the lost working days the trial met.
    pub fn lost_day_calendars(&self) -> Vec<usize> {
        (0..self.calendars.len())
            .filter(|&c| self.calendars[c].lost_day > 0.0)
            .collect()
    }

    /// How many columns the kept sample has: inputs, chance steps, branches, cancellations,
    /// lost days.
    pub fn sample_columns(&self) -> usize {
        self.inputs.len()
            + self.chance_steps().len()
            + self.branch_columns()
            + self.cancellation_steps().len()
            + self.lost_day_calendars().len()
    }

    /// The kept-sample column of timetabled step `s`'s cancellation indicator, after the branch
    /// columns (None when its departures are never cancelled).
    pub fn cancellation_column(&self, s: usize) -> Option<usize> {
        let position = self.cancellation_steps().iter().position(|&x| x == s)?;
        Some(self.inputs.len() + self.chance_steps().len() + self.branch_columns() + position)
    }

    /// The kept-sample column of calendar `c`'s lost-day count, after the cancellation columns
    /// (None when it loses no days).
    pub fn lost_days_column(&self, c: usize) -> Option<usize> {
        let position = self.lost_day_calendars().iter().position(|&x| x == c)?;
        let before = self.inputs.len()
            + self.chance_steps().len()
            + self.branch_columns()
            + self.cancellation_steps().len();
        Some(before + position)
    }

    /// The sources of randomness that can reach any of `milestones` (a milestone, and for a
    /// deadline relative to another milestone, that one too).
    pub fn sources_of(&self, milestones: &[usize]) -> Sources {
        let mut upstream = vec![false; self.milestones.len()];
        let mut stack = milestones.to_vec();
        while let Some(m) = stack.pop() {
            if upstream.get(m).copied().unwrap_or(true) {
                continue;
            }
            upstream[m] = true;
            stack.extend(self.incoming[m].iter().map(|&s| self.steps[s].from));
        }
        let steps: Vec<usize> = (0..self.steps.len())
            .filter(|&s| upstream[self.steps[s].to])
            .collect();
        let is_coin = |op: Operand| match op {
            Operand::Input(k) => {
                matches!(self.inputs[k].dist.family(), Family::Bernoulli { .. }).then_some(k)
            }
            Operand::Const(_) => None,
        };
        let mut read = vec![false; self.inputs.len()];
        let mut mark = |op: Operand| {
            if let Operand::Input(k) = op {
                read[k] = true;
            }
        };
        for m in (0..self.milestones.len()).filter(|&m| upstream[m]) {
            if let Some(start) = &self.milestones[m].start {
                mark(start.date);
                mark(start.time);
            }
        }
        for &s in &steps {
            match self.steps[s].duration {
                StepDuration::Travel { distance, speed } => {
                    mark(distance);
                    mark(speed);
                }
                StepDuration::Fixed(d) => mark(d),
                StepDuration::Chance {
                    probability,
                    duration,
                    ..
                } => {
                    if is_coin(probability).is_none() {
                        mark(probability);
                    }
                    mark(duration);
                }
            }
        }
        let chance = self.chance_steps();
        let mut events: Vec<ChanceEvent> = Vec::new();
        for (position, &s) in chance.iter().enumerate() {
            if !upstream[self.steps[s].to] {
                continue;
            }
            let StepDuration::Chance { probability, .. } = self.steps[s].duration else {
                continue;
            };
            let coin = is_coin(probability);
            match events.iter_mut().find(|e| coin.is_some() && e.coin == coin) {
                Some(event) => event.steps.push(position),
                None => events.push(ChanceEvent {
                    label: String::new(),
                    steps: vec![position],
                    coin,
                }),
            }
        }
        for event in &mut events {
            event.label = self.event_label(event, &chance);
        }
        let mut branches: Vec<(usize, usize)> = Vec::new();
        for (f, fork) in self.forks.iter().enumerate() {
            let decides = steps
                .iter()
                .any(|&s| self.steps[s].branch.is_some_and(|(sf, _)| sf == f));
            if decides {
                branches.extend((0..fork.branches.len() - 1).map(|b| (f, b)));
            }
        }
        let cancellations = steps
            .iter()
            .copied()
            .filter(|&s| {
                self.steps[s]
                    .timetable
                    .as_ref()
                    .is_some_and(|t| t.cancelled > 0.0)
            })
            .collect();
        let lost_days = (0..self.calendars.len())
            .filter(|&c| {
                self.calendars[c].lost_day > 0.0
                    && steps.iter().any(|&s| self.steps[s].calendar == Some(c))
            })
            .collect();
        Sources {
            cancellations,
            lost_days,
            inputs: (0..self.inputs.len()).filter(|&k| read[k]).collect(),
            branches,
            route_choice: self.routes.len() > 1
                && steps.iter().any(|&s| self.steps[s].route.is_some()),
            events,
        }
    }

    /// An event's name: its steps' shared label, else its coin's name, else its step's leg.
    fn event_label(&self, event: &ChanceEvent, chance: &[usize]) -> String {
        let steps: Vec<&super::Step> = event
            .steps
            .iter()
            .map(|&p| &self.steps[chance[p]])
            .collect();
        let first = steps[0];
        match (&first.label, event.coin) {
            (Some(l), _) if steps.iter().all(|s| s.label.as_ref() == Some(l)) => l.clone(),
            (_, Some(k)) => self.inputs[k].name.clone(),
            (Some(l), None) => l.clone(),
            (None, None) => format!(
                "{} -> {}",
                self.milestones[first.from].id, self.milestones[first.to].id
            ),
        }
    }
}
