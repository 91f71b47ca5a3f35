//! Conditioning on observations: each trial's weight is the likelihood of what was seen given
//! that trial, the product of one factor per observation, applied where the trial's value is
//! known (an input once drawn, a milestone once its column is complete, a branch or delay at the
//! end). An exact milestone observation also sets the milestone to the observed time for every
//! step after it, so what follows starts from what was seen.

use super::Workspace;
use crate::model::observed::{EXACT_SD_SECONDS, Factor, INPUT_SD_QUANTILE, Kernel};
use crate::model::{Model, NOT_REACHED};
use crate::stats::WEIGHT_UNIT;

/// Per observation, over a chunk: how many trials are compatible with it alone (a weight factor
/// worth at least half a weight unit, so that it counts) and, for a milestone, the earliest and latest time trials reached it (before any
/// re-anchoring), so a run where nothing fits can say why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compatibility {
    pub compatible: u64,
    pub earliest: f64,
    pub latest: f64,
}

impl Default for Compatibility {
    fn default() -> Self {
        Compatibility {
            compatible: 0,
            earliest: f64::INFINITY,
            latest: f64::NEG_INFINITY,
        }
    }
}

impl Compatibility {
    pub fn merge(&mut self, other: &Compatibility) {
        self.compatible += other.compatible;
        self.earliest = self.earliest.min(other.earliest);
        self.latest = self.latest.max(other.latest);
    }
}

/// exp(-z^2 / 2): a normal kernel's likelihood relative to its peak.
fn normal(z: f64) -> f64 {
    (-0.5 * z * z).exp()
}

impl Workspace {
    /// Starts the chunk's weights at one (a no-op for a run that observes nothing).
    pub(super) fn reset_weights(&mut self, model: &Model, n: usize) {
        if model.given.is_empty() {
            return;
        }
        self.weight[..n].fill(1.0);
        self.compatibility.clear();
        self.compatibility
            .resize(model.given.factors().len(), Compatibility::default());
    }

    /// Multiplies trial weights by `factor(i)` and counts the compatible trials of observation
    /// `k`.
    fn weigh(&mut self, k: usize, n: usize, factor: impl Fn(usize) -> f64) {
        let mut compatible = 0;
        for (i, w) in self.weight[..n].iter_mut().enumerate() {
            let f = factor(i);
            compatible += u64::from(f * WEIGHT_UNIT as f64 >= 0.5);
            *w *= f;
        }
        self.compatibility[k].compatible += compatible;
    }

    /// Observed inputs, once every input is drawn (and correlated): a correlated input weighs
    /// trials by how close its quantile lies to the observed one; then each is set to its
    /// observed value.
    pub(super) fn observe_inputs(&mut self, model: &Model, n: usize) {
        for (k, f) in model.given.factors().into_iter().enumerate() {
            let Factor::Input(o) = f else { continue };
            let dist = &model.inputs[o.input].dist;
            if let Some(u) = o.quantile {
                let column = std::mem::take(&mut self.inputs[o.input]);
                self.weigh(k, n, |i| {
                    normal((dist.cdf(column[i]) - u) / INPUT_SD_QUANTILE)
                });
                self.inputs[o.input] = column;
            } else {
                self.compatibility[k].compatible += n as u64;
            }
            self.inputs[o.input][..n].fill(o.value);
        }
    }

    /// The observed route, once routes are chosen.
    pub(super) fn observe_route(&mut self, model: &Model, n: usize) {
        for (k, f) in model.given.factors().into_iter().enumerate() {
            let Factor::Route(r) = f else { continue };
            let route = std::mem::take(&mut self.route);
            self.weigh(k, n, |i| f64::from(u8::from(usize::from(route[i]) == r)));
            self.route = route;
        }
    }

    /// Observations of milestone `m`, once its column is complete: reached at a time (an exact
    /// one then sets the milestone to it) or not yet reached by a time.
    pub(super) fn observe_milestone(&mut self, model: &Model, m: usize, n: usize) {
        for (k, f) in model.given.factors().into_iter().enumerate() {
            match f {
                Factor::Milestone(o) if o.milestone == m => {
                    let column = std::mem::take(&mut self.times[m]);
                    let at = o.at as f64;
                    let compatibility = &mut self.compatibility[k];
                    for &t in column[..n].iter().filter(|t| !t.is_nan()) {
                        compatibility.earliest = compatibility.earliest.min(t);
                        compatibility.latest = compatibility.latest.max(t);
                    }
                    // A trial that never reaches the milestone has likelihood 0 (NaN fails every
                    // comparison below).
                    match o.kernel {
                        Kernel::Exact => self.weigh(k, n, |i| {
                            let z = (column[i] - at) / EXACT_SD_SECONDS;
                            if z.is_nan() { 0.0 } else { normal(z) }
                        }),
                        Kernel::Box { half_width } => self.weigh(k, n, |i| {
                            f64::from(u8::from((column[i] - at).abs() <= half_width))
                        }),
                        Kernel::Normal { sd } => self.weigh(k, n, |i| {
                            let z = (column[i] - at) / sd;
                            if z.is_nan() { 0.0 } else { normal(z) }
                        }),
                    }
                    self.times[m] = column;
                    if o.kernel == Kernel::Exact {
                        for t in self.times[m][..n].iter_mut().filter(|t| !t.is_nan()) {
                            *t = at;
                        }
                    }
                }
                Factor::NotReached(o) if o.milestone == m => {
                    let column = std::mem::take(&mut self.times[m]);
                    let by = o.by as f64;
                    // Not reached by `by`: later, or never (NaN).
                    self.weigh(k, n, |i| {
                        f64::from(u8::from(column[i] > by || column[i].is_nan()))
                    });
                    self.times[m] = column;
                }
                _ => {}
            }
        }
    }

    /// Branches and delays observed, once the chunk is complete; then the weights in units.
    pub(super) fn observe_outcomes(&mut self, model: &Model, n: usize) {
        if model.given.is_empty() {
            return;
        }
        for (k, f) in model.given.factors().into_iter().enumerate() {
            match f {
                Factor::Branch(fork, b) => {
                    let taken = std::mem::take(&mut self.branches[fork]);
                    self.weigh(k, n, |i| {
                        f64::from(u8::from(taken[i] == b && taken[i] != NOT_REACHED))
                    });
                    self.branches[fork] = taken;
                }
                Factor::Event(e, happened) => {
                    let delays = std::mem::take(&mut self.events[e]);
                    self.weigh(k, n, |i| f64::from(u8::from((delays[i] > 0.0) == happened)));
                    self.events[e] = delays;
                }
                _ => {}
            }
        }
        for (units, &w) in self.weight_units[..n].iter_mut().zip(&self.weight[..n]) {
            *units = (w * WEIGHT_UNIT as f64).round() as u64;
        }
    }
}
