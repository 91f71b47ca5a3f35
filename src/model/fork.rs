//! Forks: at a milestone, each trial takes one branch, chosen by its state so far (when it
//! reached the milestone, its route, whether a chance event happened) or by chance, or both.

use super::NotBefore;

/// The branch value of a trial that never reached the fork's milestone.
pub const NOT_REACHED: u8 = u8::MAX;

#[derive(Debug, Clone)]
pub struct Fork {
    pub name: String,
    /// The milestone where the way on is decided.
    pub at: usize,
    pub description: Option<String>,
    /// In order: a trial takes the first that applies; the last always applies.
    pub branches: Vec<Branch>,
    /// The fork's own random stream (from its name), for branches chosen by chance.
    pub stream: u64,
}

impl Fork {
    /// Whether any branch is chosen by chance (otherwise the fork draws no uniforms).
    pub fn draws(&self) -> bool {
        self.branches.iter().any(|b| b.probability.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub name: String,
    /// The branch applies only where this holds.
    pub when: Option<Test>,
    /// Where it applies, the branch is taken with this chance (drawn from the fork's stream:
    /// branches with probabilities share one uniform per trial, stacked in order); without one,
    /// it is taken outright.
    pub probability: Option<BranchProbability>,
}

/// A branch's chance of being taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BranchProbability {
    Fixed(f64),
    /// `then` where the test holds, `otherwise` elsewhere.
    Given {
        when: Test,
        then: f64,
        otherwise: f64,
    },
}

/// A condition on a trial's state at its fork's milestone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// Reached before a local time of day (in the milestone's zone) or an instant.
    ReachedBefore(NotBefore),
    /// Reached at or after it.
    ReachedAfter(NotBefore),
    /// Reached later than `milestone` (upstream of the fork) plus `by` seconds.
    LaterThan { milestone: usize, by: f64 },
    /// On this route.
    Route(usize),
    /// This input (a bernoulli) came out 1.
    Input(usize),
    /// This chance step (index among the chance steps) added its delay.
    Event(usize),
}
