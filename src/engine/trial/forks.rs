//! Forks, decided once their milestone's column is complete: each trial that reached the
//! milestone takes the first branch whose condition holds, chance branches stacking one uniform
//! per trial from the fork's own stream (its own Sobol' dimension under `--sampling sobol`;
//! plain Monte Carlo under LHS, like chance steps).

use super::Workspace;
use crate::model::{BranchProbability, Fork, Model, NOT_REACHED, NotBefore, Test};
use crate::random::stream_rng;
use crate::time::clock::OffsetWindow;
use rand::RngExt;

impl Workspace {
    /// Decides every fork at milestone `m` for the chunk's `n` trials.
    pub(super) fn decide_forks(
        &mut self,
        model: &Model,
        m: usize,
        seed: u64,
        chunk: u64,
        n: usize,
    ) {
        for (k, fork) in model.forks.iter().enumerate() {
            if fork.at != m {
                continue;
            }
            if fork.draws() {
                let uniforms = &mut self.uniforms[..n];
                match &self.quasi {
                    Some(q) => q.points.fill(q.forks + k, seed, self.first_trial, uniforms),
                    None => {
                        let mut rng = stream_rng(seed, chunk, fork.stream);
                        uniforms.iter_mut().for_each(|u| *u = rng.random());
                    }
                }
            }
            let mut state = State {
                model,
                times: &self.times,
                route: &self.route,
                inputs: &self.inputs,
                events: &self.events,
                window: &mut self.fork_windows[k],
                at: m,
            };
            let column = &mut self.branches[k][..n];
            for (i, (b, &u)) in column.iter_mut().zip(&self.uniforms[..n]).enumerate() {
                *b = state.choose(fork, i, u);
            }
        }
    }
}

/// What a fork's conditions can see of one chunk.
struct State<'a> {
    model: &'a Model,
    times: &'a [Vec<f64>],
    route: &'a [u8],
    inputs: &'a [Vec<f64>],
    events: &'a [Vec<f64>],
    window: &'a mut OffsetWindow,
    at: usize,
}

impl State<'_> {
    /// Trial `i`'s branch (`u`: its uniform, used only by chance branches).
    #[inline]
    fn choose(&mut self, fork: &Fork, i: usize, u: f64) -> u8 {
        if self.times[self.at][i].is_nan() {
            return NOT_REACHED;
        }
        let mut cumulative = 0.0;
        let last = fork.branches.len() - 1;
        for (j, branch) in fork.branches.iter().enumerate() {
            if branch.when.is_some_and(|t| !self.holds(t, i)) {
                continue;
            }
            let p = match branch.probability {
                None => return j as u8,
                Some(BranchProbability::Fixed(p)) => p,
                Some(BranchProbability::Given {
                    when,
                    then,
                    otherwise,
                }) => {
                    if self.holds(when, i) {
                        then
                    } else {
                        otherwise
                    }
                }
            };
            cumulative += p;
            if u < cumulative {
                return j as u8;
            }
        }
        last as u8
    }

    #[inline]
    fn holds(&mut self, test: Test, i: usize) -> bool {
        let t = self.times[self.at][i];
        match test {
            Test::ReachedBefore(when) => self.before(when, t),
            Test::ReachedAfter(when) => !self.before(when, t),
            Test::LaterThan { milestone, by } => t > self.times[milestone][i] + by,
            Test::Route(r) => usize::from(self.route[i]) == r,
            Test::Input(k) => self.inputs[k][i] == 1.0,
            Test::Event(e) => self.events[e][i] > 0.0,
        }
    }

    #[inline]
    fn before(&mut self, when: NotBefore, t: f64) -> bool {
        match when {
            NotBefore::Instant(at) => t < at,
            NotBefore::TimeOfDay(tod) => {
                let zone = &self.model.milestones[self.at].zone;
                self.window.time_of_day(zone, t) < tod
            }
        }
    }
}
