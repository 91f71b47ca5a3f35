//! The validated, compiled model: what a scenario means, with every name resolved to an index,
//! every quantity in base units and every check already passed, so that the engine can run
//! trials without looking anything up or failing.

mod compile;
pub mod fork;
pub mod observed;
pub mod schema;
mod sources;

pub use compile::{MAX_TRIALS, compile, observations};
pub use sources::{ChanceEvent, Sources};

use crate::distribution::Dist;
use crate::quantity::Kind;
pub use crate::time::{LocalDay, Zone};
pub use fork::{Branch, BranchProbability, Fork, NOT_REACHED, Test};
pub use observed::{Kernel, Observed, ObservedMilestone};

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
    /// What the scenario's `[observed]` table records: the outcomes `eta score` scores against.
    pub observed: Observed,
    /// What runs condition their forecast on: the scenario's observations (unless it says
    /// `condition = false`) and those given on the command line; empty for the forecast as
    /// written.
    pub given: Observed,
    /// Whether any input is conditional (the engine then draws them once their condition is
    /// known; without any, it skips that stage).
    pub has_conditionals: bool,
    /// Working calendars, in file order (steps name them by index).
    pub calendars: Vec<Calendar>,
    /// Forks, in file order (each decided once its milestone is reached).
    pub forks: Vec<Fork>,
}

/// A working calendar: steps that use it count their durations in its working time only.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: String,
    pub description: Option<String>,
    pub working: crate::time::schedule::WorkingTime,
    /// The chance each working day is lost, drawn per trial and day, shared by its steps.
    pub lost_day: f64,
    /// Identifies the lost-day draws: derived from the calendar's name.
    pub stream: u64,
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

    /// How reports name step `s`: its `label`, else its leg `from -> to` (milestone ids).
    pub fn step_name(&self, s: usize) -> String {
        let step = &self.steps[s];
        step.label.clone().unwrap_or_else(|| {
            let (from, to) = (&self.milestones[step.from].id, &self.milestones[step.to].id);
            format!("{from} -> {to}")
        })
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
    /// For a conditional input, its cases (then `dist` is the first case's, for reference only:
    /// the engine draws from the case each trial selects).
    pub cases: Option<Box<Cases>>,
}

impl Input {
    /// The lowest and highest values the input can take (over every case of a conditional).
    pub fn support(&self) -> (f64, f64) {
        match &self.cases {
            None => self.dist.support(),
            Some(c) => c
                .cases
                .iter()
                .map(|c| c.dist.support())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                    (lo.min(a), hi.max(b))
                }),
        }
    }

    /// Whether every value the input can take is one of a list (every case's, if conditional).
    pub fn is_discrete(&self) -> bool {
        match &self.cases {
            None => self.dist.family().is_discrete(),
            Some(c) => c.cases.iter().all(|c| c.dist.family().is_discrete()),
        }
    }

    /// The input's value when it never varies: a `fixed` input (a conditional one always varies
    /// by its cases, so it never counts as fixed).
    pub fn fixed_value(&self) -> Option<f64> {
        match self.cases {
            Some(_) => None,
            None => self.dist.fixed_value(),
        }
    }
}

/// What a conditional input's case depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The value of another input (a `choice`, a date, a `bernoulli`, a `fixed`, an `empirical`).
    Input(usize),
    /// The route the trial takes.
    Route,
}

/// A conditional input's cases: each trial draws from the case its condition's value selects.
#[derive(Debug, Clone)]
pub struct Cases {
    pub on: Condition,
    pub cases: Vec<Case>,
    /// Each value the condition can take (a route's index for [`Condition::Route`]) and the case
    /// it selects; values not listed select `default`.
    pub select: Vec<(f64, usize)>,
    /// The case for the values no case names (the `default` table), if written.
    pub default: Option<usize>,
}

impl Cases {
    /// The case a value of the condition selects.
    #[inline]
    pub fn case_of(&self, value: f64) -> usize {
        self.select
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(self.default.unwrap_or(0), |(_, c)| *c)
    }
}

/// One case of a conditional input.
#[derive(Debug, Clone)]
pub struct Case {
    /// The condition's value as written (`2023-09-11`, `surprise`, `default`), for reports.
    pub when: String,
    pub dist: Dist,
    /// This case's random stream, derived from the input's name and the case's value, so a
    /// variant that changes one case leaves every other case's draws as they were.
    pub stream: u64,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub name: String,
    /// The chance a trial takes the route, over all trials (for a route whose probability is an
    /// input, that input's mean; for the others, their share of what the inputs leave).
    pub probability: f64,
    pub description: Option<String>,
    /// The input whose value is this route's probability in each trial, if one is named.
    pub input: Option<usize>,
    /// For a route with a number, when another route's probability is an input: its share of
    /// the chance those inputs leave in each trial (its number over the sum of the numbers).
    /// Otherwise its probability.
    pub share: f64,
}

impl Model {
    /// Whether any route's probability is drawn per trial from an input.
    pub fn uncertain_routes(&self) -> bool {
        self.routes.iter().any(|r| r.input.is_some())
    }
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
    /// Local windows the step may start in (after `not_before`), precomputed as UTC instants.
    pub window: Option<crate::time::schedule::Openings>,
    /// Scheduled departures: the step leaves at the first it can make (travel steps only).
    pub timetable: Option<Timetable>,
    /// The calendar (index into `Model::calendars`) whose working time the duration counts in.
    pub calendar: Option<usize>,
    /// The fork and branch a trial must have taken for the step to apply.
    pub branch: Option<(usize, u8)>,
}

/// A timetabled step's departures and how they fail. The step's own duration is the ride.
#[derive(Debug, Clone)]
pub struct Timetable {
    pub departures: crate::time::schedule::Departures,
    /// Boarding closes this many seconds before the scheduled departure.
    pub cutoff: f64,
    /// The chance each departure is cancelled, drawn per trial and departure.
    pub cancelled: f64,
    /// How late the departure taken leaves (seconds), if the scenario says.
    pub late: Option<Operand>,
    /// The departure the traveller aimed at (epoch seconds), if the scenario names one.
    pub booked: Option<f64>,
    /// Identifies the cancellation draws: derived from the step's place, so variants share them.
    pub stream: u64,
}

#[derive(Debug, Clone)]
pub struct Deadline {
    pub id: String,
    pub label: String,
    pub milestone: usize,
    pub at: DeadlineAt,
    pub zone: Zone,
    /// A route the trial must have taken to make the deadline (`require = { route = ... }`).
    pub require_route: Option<usize>,
    /// A fork and branch the trial must have taken (`require = { branch = "fork.branch" }`).
    pub require_branch: Option<(usize, u8)>,
}

/// When a deadline falls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DeadlineAt {
    /// One instant for every trial (epoch seconds).
    Fixed(i64),
    /// `offset` seconds after milestone `milestone`'s time in the same trial; a trial that never
    /// reaches that milestone cannot make the deadline.
    Relative { milestone: usize, offset: f64 },
}

impl Deadline {
    /// The deadline's instant when it is the same for every trial (epoch seconds).
    pub fn instant(&self) -> Option<i64> {
        match self.at {
            DeadlineAt::Fixed(at) => Some(at),
            DeadlineAt::Relative { .. } => None,
        }
    }

    /// The deadline's instant in one trial, given that trial's time at every milestone (`times`
    /// indexed by milestone, NaN where never reached): NaN when the reference milestone was never
    /// reached, so that no arrival compares as on time.
    #[inline]
    pub fn limit(&self, times: impl Fn(usize) -> f64) -> f64 {
        match self.at {
            DeadlineAt::Fixed(at) => at as f64,
            DeadlineAt::Relative { milestone, offset } => times(milestone) + offset,
        }
    }

    /// A relative deadline in words, e.g. `20 min before "Departure"`; `None` for a fixed one.
    pub fn relative_phrase(&self, milestones: &[Milestone]) -> Option<String> {
        let DeadlineAt::Relative { milestone, offset } = self.at else {
            return None;
        };
        Some(crate::format::relative_to(
            offset,
            &milestones[milestone].label,
        ))
    }

    /// Whether a trial that reached the milestone at `time` (NaN if never), whose deadline
    /// falls at `limit` (see [`Deadline::limit`]), on route `route` makes the deadline
    /// (`branches`: the trial's branch at each fork).
    #[inline]
    pub fn made(&self, time: f64, limit: f64, route: u8, branches: impl Fn(usize) -> u8) -> bool {
        time <= limit
            && self.require_route.is_none_or(|r| usize::from(route) == r)
            && self.require_branch.is_none_or(|(f, b)| branches(f) == b)
    }
}
