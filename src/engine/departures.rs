//! What a run counts about its timetabled steps: which scheduled departure trials took, how
//! many waited into a later day, missed the departure they aimed at, or found none left.

use super::Workspace;
use super::trial::{MISSED_AIM, NEXT_DAY, NO_DEPARTURE};
use std::collections::BTreeMap;

/// Counts for one timetabled step, over the trials that reached its start on its route.
#[derive(Debug, Clone, Default, PartialEq)]
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
}

impl DepartureCounts {
    pub fn new(step: usize) -> Self {
        DepartureCounts {
            step,
            ..DepartureCounts::default()
        }
    }

    /// Trials that reached the step: those that left and those that found no departure.
    pub fn ready(&self) -> u64 {
        self.taken.values().sum::<u64>() + self.none
    }

    /// Adds the chunk in `ws`; `k` is this step's place among the timetabled steps.
    pub(super) fn add(&mut self, ws: &Workspace, k: usize) {
        let n = ws.len;
        for (&at, &flags) in ws.departed[k][..n].iter().zip(&ws.departure_flags[k][..n]) {
            if flags & NO_DEPARTURE != 0 {
                self.none += 1;
            }
            if at.is_nan() {
                continue;
            }
            *self.taken.entry(at as i64).or_default() += 1;
            self.next_day += u64::from(flags & NEXT_DAY != 0);
            self.missed_aim += u64::from(flags & MISSED_AIM != 0);
        }
    }

    pub(super) fn absorb(&mut self, other: &mut DepartureCounts) {
        for (at, count) in std::mem::take(&mut other.taken) {
            *self.taken.entry(at).or_default() += count;
        }
        self.next_day += std::mem::take(&mut other.next_day);
        self.missed_aim += std::mem::take(&mut other.missed_aim);
        self.none += std::mem::take(&mut other.none);
    }
}
