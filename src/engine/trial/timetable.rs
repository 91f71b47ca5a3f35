//! Timetabled steps in the trial loop: each trial takes the first departure it can board (after
//! `not_before` and any window, before the cut-off), skips the ones cancelled for it, and
//! arrives at departure + lateness + ride. Departures are precomputed instants (see
//! `time::schedule::Departures`): a binary search per trial, no time-zone arithmetic.

use super::*;
use crate::random::{mix, unit_interval as uniform};

/// Flags a trial's departure: it left on a later local day than the trial was ready on.
pub const NEXT_DAY: u8 = 1;
/// It was later than the departure the traveller aimed at (the booked one, or the first she
/// could board).
pub const MISSED_AIM: u8 = 2;
/// The trial was ready but no departure was left (a timetable on given dates had run out).
pub const NO_DEPARTURE: u8 = 4;

/// Most departures a trial skips as cancelled before it counts as having none left.
const MAX_CANCELLED_IN_A_ROW: usize = 100_000;

impl Workspace {
    /// Folds timetabled step `s` into `out`: `self.durations` holds each trial's ride.
    pub(super) fn ride_timetable(
        &mut self,
        model: &Model,
        s: usize,
        seed: u64,
        out: &mut [f64],
        wait: WaitFor,
    ) {
        let step = &model.steps[s];
        let (Some(timetable), Some(k)) = (&step.timetable, self.timetable_of_step[s]) else {
            return;
        };
        let n = out.len();
        let from = &self.times[step.from][..n];
        let rides = &self.durations[..n];
        let routes = &self.route[..n];
        let late = timetable.late.map(|op| Column::of(op, &self.inputs));
        let zone = &model.milestones[step.from].zone;
        let offsets = &mut self.offsets[s];
        let departed = &mut self.departed[k][..n];
        let flags = &mut self.departure_flags[k][..n];
        let cancelled = &mut self.cancelled[k][..n];
        let join = joiner(wait);
        // Cancellations hash (seed, step, trial, departure): the same departure is cancelled for
        // the same trial in every variant and whatever chunk or thread runs it.
        let key = mix(mix(seed) ^ timetable.stream);
        let departures = &timetable.departures;
        for i in 0..n {
            departed[i] = f64::NAN;
            flags[i] = 0;
            cancelled[i] = 0.0;
            let t = from[i];
            if t.is_nan() || step.route.is_some_and(|r| usize::from(routes[i]) != r) {
                continue;
            }
            let ready = clocked_start(step, zone, offsets, t);
            // Ready exactly at the cut-off still boards.
            let Some(mut d) = departures.first_from(ready + timetable.cutoff, false) else {
                flags[i] = NO_DEPARTURE;
                continue;
            };
            let aimed = timetable.booked.unwrap_or(d.at);
            if timetable.cancelled > 0.0 {
                let trial = mix(key ^ (self.first_trial + i as u64));
                let mut skipped = 0;
                while uniform(mix(trial ^ d.at.to_bits())) < timetable.cancelled {
                    skipped += 1;
                    match departures.first_from(d.at, true) {
                        Some(next) if skipped < MAX_CANCELLED_IN_A_ROW => d = next,
                        _ => {
                            flags[i] = NO_DEPARTURE;
                            break;
                        }
                    }
                }
                cancelled[i] = f64::from(u8::from(skipped > 0));
                if flags[i] == NO_DEPARTURE {
                    continue;
                }
            }
            if ready < d.day_start {
                flags[i] |= NEXT_DAY;
            }
            if d.at > aimed {
                flags[i] |= MISSED_AIM;
            }
            departed[i] = d.at;
            let late = late.map_or(0.0, |l| l.at(i));
            out[i] = join(out[i], d.at + late + rides[i]);
        }
    }
}
