//! What a run counts about its timetabled steps: which scheduled departure trials took, how
//! long they waited for it, how many waited into a later day, missed the departure they aimed
//! at, or found none left.

use super::Workspace;
use super::trial::{MISSED_AIM, NEXT_DAY, NO_DEPARTURE};
use crate::stats::TimeHistogram;
use std::collections::BTreeMap;

/// Counts for one timetabled step, over the trials that reached its start on its route.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartureCounts {
    /// The step (index into `Model::steps`).
    pub step: usize,
    /// Trials per scheduled departure taken (epoch seconds).
    pub taken: BTreeMap<i64, u64>,
    /// Trials that left on a later local day than they were ready on.
    pub next_day: u64,
    /// Trials that left later than the departure they aimed at.
    pub missed_aim: u64,
    /// Trials ready to leave that found no departure left.
    pub none: u64,
    /// The step's `from` milestone: a trial's wait is its departure minus reaching it.
    pub from: usize,
    /// Sum and sum of squares of the trials' waits in whole milliseconds (integers, so the
    /// totals do not depend on the order chunks are added in, nor on the thread count).
    pub wait_ms: u128,
    pub wait_ms_squared: u128,
    /// The trials' waits in seconds, as a histogram of durations (instants measured from 0), so
    /// their percentiles are read like a milestone's; merged in integers like every histogram.
    pub waits: TimeHistogram,
}

impl DepartureCounts {
    pub fn new(step: usize, from: usize) -> Self {
        DepartureCounts {
            step,
            from,
            taken: BTreeMap::new(),
            next_day: 0,
            missed_aim: 0,
            none: 0,
            wait_ms: 0,
            wait_ms_squared: 0,
            waits: TimeHistogram::new(0),
        }
    }

    /// The mean wait at the stop (departure taken minus reaching the step), seconds, and its
    /// standard error, over the trials that left.
    pub fn wait(&self) -> Option<(f64, f64)> {
        let n = self.taken.values().sum::<u64>() as f64;
        if n < 1.0 {
            return None;
        }
        let mean = self.wait_ms as f64 / n;
        let variance = (self.wait_ms_squared as f64 / n - mean * mean).max(0.0);
        Some((mean / 1000.0, (variance / n).sqrt() / 1000.0))
    }

    /// Trials that reached the step: those that left and those that found no departure.
    pub fn ready(&self) -> u64 {
        self.taken.values().sum::<u64>() + self.none
    }

    /// Adds the chunk in `ws`; `k` is this step's place among the timetabled steps; trial `i`
    /// counts `weight(i)` units (`WEIGHTED`: the run is conditioned on observations, as for the
    /// milestones' histograms).
    pub(super) fn add<const WEIGHTED: bool>(
        &mut self,
        ws: &Workspace,
        k: usize,
        weight: impl Fn(usize) -> u64,
    ) {
        let n = ws.len;
        let reached = &ws.times[self.from][..n];
        for (i, ((&at, &flags), &t)) in ws.departed[k][..n]
            .iter()
            .zip(&ws.departure_flags[k][..n])
            .zip(reached)
            .enumerate()
        {
            let w = weight(i);
            if w == 0 {
                continue;
            }
            if flags & NO_DEPARTURE != 0 {
                self.none += w;
            }
            if at.is_nan() {
                continue;
            }
            *self.taken.entry(at as i64).or_default() += w;
            let wait = ((at - t) * 1000.0).round().max(0.0) as u128;
            self.wait_ms += wait * u128::from(w);
            self.wait_ms_squared += wait * wait * u128::from(w);
            self.next_day += w * u64::from(flags & NEXT_DAY != 0);
            self.missed_aim += w * u64::from(flags & MISSED_AIM != 0);
        }
        // One call per chunk, as for the milestones' histograms. A trial that did not leave is
        // NaN and not counted; no departure precedes its trial's ready time, so no wait is
        // negative.
        let waits: Vec<f64> = ws.departed[k][..n]
            .iter()
            .zip(reached)
            .map(|(&at, &t)| at - t)
            .collect();
        if WEIGHTED {
            self.waits.add_weighted(&waits, weight);
        } else {
            self.waits.add_where(&waits, |_| true);
        }
    }

    pub(super) fn absorb(&mut self, other: &mut DepartureCounts) {
        for (at, count) in std::mem::take(&mut other.taken) {
            *self.taken.entry(at).or_default() += count;
        }
        self.next_day += std::mem::take(&mut other.next_day);
        self.missed_aim += std::mem::take(&mut other.missed_aim);
        self.none += std::mem::take(&mut other.none);
        self.wait_ms += std::mem::take(&mut other.wait_ms);
        self.wait_ms_squared += std::mem::take(&mut other.wait_ms_squared);
        self.waits.absorb(&mut other.waits);
    }
}
