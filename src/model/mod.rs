//! The validated, compiled model: what a scenario means, with every name resolved to an index,
//! every quantity in base units and every check already passed, so that the engine can run
//! trials without looking anything up or failing.

mod compile;
pub mod schema;

pub use compile::{MAX_TRIALS, compile};

use crate::distribution::Dist;
use crate::quantity::Kind;
pub use crate::time::{LocalDay, Zone};

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    pub display_zone: Zone,
    pub default_trials: u64,
    pub default_seed: u64,
    pub inputs: Vec<Input>,
    pub routes: Vec<Route>,
    /// Milestones in file order (the order reports list them in).
    pub milestones: Vec<Milestone>,
    pub steps: Vec<Step>,
    pub deadlines: Vec<Deadline>,
    /// Milestone indices in an order where every step's `from` comes before its `to`.
    pub eval_order: Vec<usize>,
    /// For each milestone, the steps that end at it.
    pub incoming: Vec<Vec<usize>>,
    /// Rank correlations imposed between inputs, if the scenario asks for any.
    pub correlation: Option<Correlation>,
}

/// Inputs to draw jointly with given rank correlations (Iman-Conover, chunk by chunk).
#[derive(Debug, Clone)]
pub struct Correlation {
    /// The correlated inputs (indices into `Model::inputs`).
    pub inputs: Vec<usize>,
    /// Requested rank correlations, as (position in `inputs`, position, value).
    pub pairs: Vec<(usize, usize, f64)>,
    /// Cholesky factor of the normal-score correlation matrix that gives those rank correlations.
    pub cholesky: crate::numeric::matrix::Matrix,
}

impl Model {
    /// Names of what can drive the outcome: every input, then every chance step's realised delay.
    pub fn driver_names(&self) -> Vec<String> {
        let inputs = self.inputs.iter().map(|i| i.name.clone());
        let chance: Vec<&Step> = self
            .steps
            .iter()
            .filter(|s| matches!(s.duration, StepDuration::Chance { .. }))
            .collect();
        let leg = |s: &Step| {
            format!(
                "{} -> {}",
                self.milestones[s.from].id, self.milestones[s.to].id
            )
        };
        let events = chance.iter().map(|s| {
            // Two delays with the same label stay apart by naming their legs.
            let what = match &s.label {
                Some(l)
                    if chance
                        .iter()
                        .filter(|o| o.label.as_ref() == Some(l))
                        .count()
                        == 1 =>
                {
                    l.clone()
                }
                Some(l) => format!("{l}, {}", leg(s)),
                None => leg(s),
            };
            format!("{what} (delay taken)")
        });
        inputs.chain(events).collect()
    }

    /// A fixed instant near the trials' times (local midnight of the first start's first day),
    /// for summaries that store times as offsets.
    pub fn reference_instant(&self) -> i64 {
        self.milestones
            .iter()
            .find_map(|m| {
                m.start
                    .as_ref()
                    .and_then(|s| s.days.first())
                    .map(|d| d.midnight)
            })
            .unwrap_or(0)
    }

    /// The milestone whose time is "the answer": the first deadline's, else the last one reached
    /// in journey order.
    pub fn final_milestone(&self) -> usize {
        self.deadlines
            .first()
            .map(|d| d.milestone)
            .or_else(|| self.eval_order.last().copied())
            .unwrap_or(0)
    }
}

/// An uncertain input: a named distribution over one kind of quantity, in base units.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub kind: Kind,
    pub dist: Dist,
    /// Identifies this input's random stream: derived from its name, so the same input draws the
    /// same numbers in every variant of a scenario (common random numbers).
    pub stream: u64,
    /// True for a distribution written inline in a step rather than under `[inputs]`.
    pub inline: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub name: String,
    pub probability: f64,
    pub description: Option<String>,
}

/// Where a value comes from: a constant, or a column of sampled input values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Const(f64),
    Input(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitFor {
    All,
    First,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub id: String,
    pub label: String,
    pub zone: Zone,
    pub start: Option<Start>,
    pub wait_for: WaitFor,
}

/// How a start milestone's instant is made: a local date and a local time of day in its zone.
#[derive(Debug, Clone)]
pub struct Start {
    pub date: Operand,
    pub time: Operand,
    /// Every day the date can take, with its local midnight as epoch seconds, precomputed so
    /// that trials never consult the time-zone database on ordinary days.
    pub days: Vec<LocalDay>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Travel,
    Dwell,
    Delay,
}

impl StepKind {
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Travel => "travel",
            StepKind::Dwell => "dwell",
            StepKind::Delay => "delay",
        }
    }
}

/// How long a step takes, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepDuration {
    /// Distance (km) over speed (km/h).
    Travel { distance: Operand, speed: Operand },
    /// A duration operand (travel by duration, dwell).
    Fixed(Operand),
    /// Happens with `probability` (drawn from the step's own stream), then lasts `duration`.
    Chance {
        probability: Operand,
        duration: Operand,
        stream: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NotBefore {
    /// Seconds after local midnight in the `from` milestone's zone, that same local day.
    TimeOfDay(f64),
    /// An absolute instant, epoch seconds.
    Instant(f64),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub from: usize,
    pub to: usize,
    pub kind: StepKind,
    pub label: Option<String>,
    pub route: Option<usize>,
    pub duration: StepDuration,
    pub not_before: Option<NotBefore>,
}

#[derive(Debug, Clone)]
pub struct Deadline {
    pub id: String,
    pub label: String,
    pub milestone: usize,
    /// Epoch seconds.
    pub at: i64,
    pub zone: Zone,
}
