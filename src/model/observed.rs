//! What has been seen (`[observed]`, `--observed`, `--at`, `--not-by`): the observations a run
//! conditions its forecast on, and the outcomes `eta score` scores it against, each resolved to
//! model indices and instants, with the kernel that says how exactly it was seen.

use super::{Model, Zone};
use crate::format;
use crate::time::local_with_offset;

/// The normal kernel's standard deviation, in seconds, by which trials are weighted around an
/// exact milestone observation (each trial's milestone is then set to the observed time for
/// everything that follows): narrow against the hours a journey's milestones spread over, wide
/// enough to keep a usable share of the trials.
pub const EXACT_SD_SECONDS: f64 = 300.0;

/// The normal kernel's standard deviation on a correlated input's quantile scale (its CDF,
/// from 0 to 1) by which trials are weighted around an observed value: one percentile.
pub const INPUT_SD_QUANTILE: f64 = 0.01;

/// How a conditioned run weighs its trials, in words, for reports.
pub fn weighting() -> String {
    format!(
        "each trial is weighted by the likelihood of the observations: a milestone seen exactly \
         by a normal kernel of sd {} min around the trial's own time (the milestone is then set \
         to the observed time for what follows); one seen within +-h by a box of half-width h; \
         one with an sd by a normal kernel of that sd; a milestone not yet reached, a route, a \
         branch or an event by 1 if the trial agrees and 0 if not; an input correlated with \
         others by a normal kernel of sd {} on its quantile scale (an independent one is set)",
        EXACT_SD_SECONDS / 60.0,
        INPUT_SD_QUANTILE
    )
}

/// Everything observed, in the order written.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub route: Option<usize>,
    /// Milestones reached at a time.
    pub milestones: Vec<ObservedMilestone>,
    /// Milestones not yet reached at a time.
    pub not_reached: Vec<NotReached>,
    /// Fork branches taken: (fork, branch).
    pub branches: Vec<(usize, u8)>,
    /// Delay steps that happened or not: (index among the chance steps, happened).
    pub events: Vec<(usize, bool)>,
    /// Inputs whose value became known.
    pub inputs: Vec<ObservedInput>,
    /// False when the scenario says `condition = false`: outcomes for `eta score` only.
    pub condition: bool,
}

/// A milestone reached at a known instant.
#[derive(Debug, Clone)]
pub struct ObservedMilestone {
    pub milestone: usize,
    /// Epoch seconds.
    pub at: i64,
    /// The zone the time was written in (the milestone's unless `zone` said otherwise).
    pub zone: Zone,
    pub kernel: Kernel,
}

/// How exactly a milestone's time was seen, and so how trials are weighted by it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// Seen exactly: trials are weighted by a normal kernel of sd [`EXACT_SD_SECONDS`] around
    /// their own time, and the milestone is then set to the observed time.
    Exact,
    /// "Around T, give or take h": weight 1 within `half_width` seconds of T, else 0.
    Box { half_width: f64 },
    /// A normal error of `sd` seconds: weight exp(-z^2/2).
    Normal { sd: f64 },
}

/// A milestone not yet reached at an instant: trials that reached it by then are ruled out.
#[derive(Debug, Clone)]
pub struct NotReached {
    pub milestone: usize,
    /// Epoch seconds.
    pub by: i64,
    pub zone: Zone,
}

/// An input's value, learned later.
#[derive(Debug, Clone, Copy)]
pub struct ObservedInput {
    pub input: usize,
    /// Base units.
    pub value: f64,
    /// For an input drawn jointly with others (a rank correlation), the value's quantile in
    /// its distribution: trials are weighted by a normal kernel of sd [`INPUT_SD_QUANTILE`]
    /// around it, so the inputs correlated with it are updated. None for an independent input,
    /// which is simply set.
    pub quantile: Option<f64>,
}

/// One factor of a trial's weight, in the order the engine applies them.
#[derive(Debug, Clone, Copy)]
pub enum Factor<'a> {
    Route(usize),
    Input(&'a ObservedInput),
    Milestone(&'a ObservedMilestone),
    NotReached(&'a NotReached),
    Branch(usize, u8),
    Event(usize, bool),
}

impl Observed {
    /// Whether anything was observed at all.
    pub fn is_empty(&self) -> bool {
        // Asked once or twice per chunk by the engine: no list is built for it.
        self.route.is_none()
            && self.milestones.is_empty()
            && self.not_reached.is_empty()
            && self.branches.is_empty()
            && self.events.is_empty()
            && self.inputs.is_empty()
    }

    /// Every observation, as a factor of the trial weight: the route, the inputs, the
    /// milestones reached, those not yet reached, the branches and the events.
    pub fn factors(&self) -> Vec<Factor<'_>> {
        self.route
            .iter()
            .map(|&r| Factor::Route(r))
            .chain(self.inputs.iter().map(Factor::Input))
            .chain(self.milestones.iter().map(Factor::Milestone))
            .chain(self.not_reached.iter().map(Factor::NotReached))
            .chain(self.branches.iter().map(|&(f, b)| Factor::Branch(f, b)))
            .chain(self.events.iter().map(|&(e, h)| Factor::Event(e, h)))
            .collect()
    }

    /// Adds `other`'s observations to these (an observation of the same thing replaces the
    /// earlier one).
    pub fn extend(&mut self, other: Observed) {
        if other.route.is_some() {
            self.route = other.route;
        }
        for o in other.milestones {
            self.milestones.retain(|x| x.milestone != o.milestone);
            self.not_reached.retain(|x| x.milestone != o.milestone);
            self.milestones.push(o);
        }
        for o in other.not_reached {
            self.milestones.retain(|x| x.milestone != o.milestone);
            self.not_reached.retain(|x| x.milestone != o.milestone);
            self.not_reached.push(o);
        }
        for (f, b) in other.branches {
            self.branches.retain(|x| x.0 != f);
            self.branches.push((f, b));
        }
        for (e, h) in other.events {
            self.events.retain(|x| x.0 != e);
            self.events.push((e, h));
        }
        for o in other.inputs {
            self.inputs.retain(|x| x.input != o.input);
            self.inputs.push(o);
        }
    }

    /// Each observation as a reader would say it ("Train leaves Pyongyang at 2023-09-10 15:00
    /// +09:00"), in [`Observed::factors`] order.
    pub fn describe(&self, model: &Model) -> Vec<String> {
        let label = |m: usize| model.milestones[m].label.clone();
        self.factors()
            .iter()
            .map(|f| match f {
                Factor::Route(r) => format!("route {}", model.routes[*r].name),
                Factor::Input(i) => format!(
                    "{} = {}",
                    model.inputs[i.input].name,
                    format::format_quantity(model.inputs[i.input].kind, i.value)
                ),
                Factor::Milestone(m) => {
                    let at = local_with_offset(m.at as f64, &m.zone);
                    match m.kernel {
                        Kernel::Exact => format!("{} at {at}", label(m.milestone)),
                        Kernel::Box { half_width } => format!(
                            "{} at {at} ± {}",
                            label(m.milestone),
                            format::format_duration(half_width)
                        ),
                        Kernel::Normal { sd } => format!(
                            "{} at {at} (sd {})",
                            label(m.milestone),
                            format::format_duration(sd)
                        ),
                    }
                }
                Factor::NotReached(n) => format!(
                    "{} not yet at {}",
                    label(n.milestone),
                    local_with_offset(n.by as f64, &n.zone)
                ),
                Factor::Branch(f, b) => format!(
                    "fork {} took {}",
                    model.forks[*f].name, model.forks[*f].branches[*b as usize].name
                ),
                Factor::Event(e, h) => {
                    let step = &model.steps[model.chance_steps()[*e]];
                    format!(
                        "{} {}",
                        step.label.as_deref().unwrap_or("delay"),
                        if *h { "happened" } else { "did not happen" }
                    )
                }
            })
            .collect()
    }
}
