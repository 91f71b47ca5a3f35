//! Steps counted in a calendar's working time: each trial's duration runs only while the
//! calendar is open and on days not lost. Working shifts are precomputed instants (see
//! `time::schedule::WorkingTime`); lost days are hashed from (seed, calendar, trial, day), so
//! every step on one calendar sees the same days lost in a trial, in every variant.

use super::*;
use crate::random::{mix, unit_interval};
use std::cell::Cell;

impl Workspace {
    /// Folds step `s`, whose durations are in `self.durations`, into `out` in working time.
    pub(super) fn work_calendar(
        &mut self,
        model: &Model,
        s: usize,
        seed: u64,
        out: &mut [f64],
        wait: WaitFor,
    ) {
        let step = &model.steps[s];
        let Some((c, calendar)) = step
            .calendar
            .and_then(|c| Some((c, model.calendars.get(c)?)))
        else {
            return;
        };
        let n = out.len();
        let from = &self.times[step.from][..n];
        let work = &self.durations[..n];
        let routes = &self.route[..n];
        let zone = &model.milestones[step.from].zone;
        let offsets = &mut self.offsets[s];
        let join = joiner(wait);
        let met = &mut self.lost_days[c][..n];
        let key = mix(mix(seed) ^ calendar.stream);
        for i in 0..n {
            let t = from[i];
            if t.is_nan() || step.route.is_some_and(|r| usize::from(routes[i]) != r) {
                continue;
            }
            let start = clocked_start(step, zone, offsets, t);
            let finish = if calendar.lost_day > 0.0 {
                let trial = mix(key ^ (self.first_trial + i as u64));
                // Days lost on the way, each counted once (a day can have several shifts; the
                // scan visits days in order).
                let (last, count) = (Cell::new(i64::MIN), Cell::new(0u32));
                let finish = calendar.working.finish(start, work[i], |day| {
                    let lost = unit_interval(mix(trial ^ day as u64)) < calendar.lost_day;
                    if lost && last.replace(day) != day {
                        count.set(count.get() + 1);
                    }
                    lost
                });
                met[i] += f64::from(count.get());
                finish
            } else {
                calendar.working.finish(start, work[i], |_| false)
            };
            out[i] = join(out[i], finish);
        }
    }
}
