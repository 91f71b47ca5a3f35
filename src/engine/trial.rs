//! One chunk of trials, evaluated column by column: every input is sampled for the whole chunk
//! from its own random stream, then milestones are computed in dependency order, step by step.
//! Dispatch on distribution families and step kinds happens once per chunk, not per trial.

use super::sobol::Sobol;
use crate::model::{Model, NOT_REACHED, NotBefore, Operand, StepDuration, WaitFor};
use crate::random::stream_id;
use crate::random::stream_rng;
use crate::stats::correlation;
use crate::time::clock::{self, OffsetWindow};
use rand::RngExt;

mod calendar;
mod conditional;
mod forks;
mod observe;
mod timetable;
mod uncertain;

pub use observe::Compatibility;
pub(super) use timetable::{MISSED_AIM, NEXT_DAY, NO_DEPARTURE};

/// Trials per chunk. Fixed forever: results depend on it, and must not depend on thread count.
pub const CHUNK: usize = 2048;

/// Column buffers for one chunk, reused from chunk to chunk by one worker.
pub struct Workspace {
    pub len: usize,
    pub first_trial: u64,
    /// Sampled value of every input, per trial (base units).
    pub inputs: Vec<Vec<f64>>,
    /// Index of the route each trial took.
    pub route: Vec<u8>,
    /// Instant (epoch seconds) each milestone is reached per trial; NaN where it is not reached.
    pub times: Vec<Vec<f64>>,
    /// The delay each chance step actually added per trial (0 when it did not happen).
    pub events: Vec<Vec<f64>>,
    /// How inputs are drawn (set by the engine from the run's options).
    pub sampling: Sampling,
    /// Work space for imposing rank correlations.
    iman_conover: correlation::ImanConover,
    /// For each step, its index in `events` if it is a chance step.
    event_of_step: Vec<Option<usize>>,
    /// Each trial's duration of the step being applied.
    durations: Vec<f64>,
    /// Uniforms for the route choice and for quasi-random inputs.
    uniforms: Vec<f64>,
    /// Sobol' points, under `--sampling sobol`.
    quasi: Option<Quasi>,
    offsets: Vec<OffsetWindow>,
    route_cumulative: Vec<f64>,
    /// Scratch space for conditional inputs.
    conditional: conditional::Scratch,
    /// For each step, its index in `departed` if it is timetabled.
    pub timetable_of_step: Vec<Option<usize>>,
    /// Per timetabled step, the scheduled departure each trial took (NaN: none).
    pub departed: Vec<Vec<f64>>,
    /// Per timetabled step, each trial's [`NEXT_DAY`], [`MISSED_AIM`], [`NO_DEPARTURE`] flags.
    pub departure_flags: Vec<Vec<u8>>,
    /// Per timetabled step, 1 where the trial passed a departure cancelled for it, else 0.
    pub cancelled: Vec<Vec<f64>>,
    /// Per calendar, the lost working days each trial's steps on it met (a day met by two
    /// steps counts twice).
    pub lost_days: Vec<Vec<f64>>,
    /// The branch each trial took at each fork ([`NOT_REACHED`] where it never got there).
    pub branches: Vec<Vec<u8>>,
    /// One clock per fork, for its time-of-day conditions.
    fork_windows: Vec<OffsetWindow>,
    /// Each trial's weight, the likelihood of the run's observations (see `observe`): only
    /// filled when the model is conditioned on some.
    weight: Vec<f64>,
    /// The same, in whole [`crate::stats::WEIGHT_UNIT`]s, as the tally counts them.
    pub weight_units: Vec<u64>,
    /// Per observation, how many of the chunk's trials are compatible with it alone.
    pub compatibility: Vec<Compatibility>,
}

impl Workspace {
    pub fn new(model: &Model) -> Self {
        let mut acc = 0.0;
        let route_cumulative = model
            .routes
            .iter()
            .map(|r| {
                acc += r.probability;
                acc
            })
            .collect();
        let mut events = 0;
        let event_of_step = model
            .steps
            .iter()
            .map(|s| {
                matches!(s.duration, StepDuration::Chance { .. }).then(|| {
                    events += 1;
                    events - 1
                })
            })
            .collect();
        let mut timetables = 0;
        let timetable_of_step: Vec<Option<usize>> = model
            .steps
            .iter()
            .map(|s| {
                s.timetable.is_some().then(|| {
                    timetables += 1;
                    timetables - 1
                })
            })
            .collect();
        Workspace {
            timetable_of_step,
            departed: vec![vec![f64::NAN; CHUNK]; timetables],
            departure_flags: vec![vec![0; CHUNK]; timetables],
            cancelled: vec![vec![0.0; CHUNK]; timetables],
            lost_days: vec![vec![0.0; CHUNK]; model.calendars.len()],
            sampling: Sampling::MonteCarlo,
            iman_conover: correlation::ImanConover::default(),
            len: 0,
            events: vec![vec![0.0; CHUNK]; events],
            event_of_step,
            first_trial: 0,
            inputs: model
                .inputs
                .iter()
                .map(|input| vec![input.fixed_value().unwrap_or(0.0); CHUNK])
                .collect(),
            route: vec![0; CHUNK],
            times: vec![vec![f64::NAN; CHUNK]; model.milestones.len()],
            durations: vec![0.0; CHUNK],
            uniforms: vec![0.0; CHUNK],
            quasi: None,
            offsets: vec![OffsetWindow::default(); model.steps.len()],
            route_cumulative,
            conditional: conditional::Scratch::default(),
            branches: vec![vec![NOT_REACHED; CHUNK]; model.forks.len()],
            fork_windows: vec![OffsetWindow::default(); model.forks.len()],
            weight: vec![1.0; if model.given.is_empty() { 0 } else { CHUNK }],
            weight_units: vec![0; if model.given.is_empty() { 0 } else { CHUNK }],
            compatibility: Vec::new(),
        }
    }

    /// A workspace drawing its inputs by `sampling`. Under Sobol' sampling, a model needing more
    /// dimensions than eta's table has falls back to plain Monte Carlo; [`sobol_dimensions`]
    /// lets callers refuse such runs first (the engine does).
    pub fn with_sampling(model: &Model, sampling: Sampling) -> Self {
        let quasi = (sampling == Sampling::Sobol)
            .then(|| Quasi::new(model))
            .flatten();
        Workspace {
            sampling: if sampling == Sampling::Sobol && quasi.is_none() {
                Sampling::MonteCarlo
            } else {
                sampling
            },
            quasi,
            ..Workspace::new(model)
        }
    }

    /// Runs trials `chunk * CHUNK ..` (at most `len` of them) of a run with `seed`.
    pub fn simulate(&mut self, model: &Model, seed: u64, chunk: u64, len: usize) {
        let n = len.min(CHUNK);
        self.len = n;
        self.first_trial = chunk * CHUNK as u64;
        for lost in &mut self.lost_days {
            lost[..n].fill(0.0);
        }
        self.reset_weights(model, n);
        for (dimension, (input, column)) in model.inputs.iter().zip(&mut self.inputs).enumerate() {
            // Fixed inputs were filled when the workspace was made; conditional ones are drawn
            // once their condition is known.
            if input.fixed_value().is_some() || input.cases.is_some() {
                continue;
            }
            let mut rng = stream_rng(seed, chunk, input.stream);
            match self.sampling {
                Sampling::MonteCarlo => input.dist.fill(&mut rng, &mut column[..n]),
                Sampling::LatinHypercube => {
                    latin_hypercube(&input.dist, &mut rng, &mut column[..n])
                }
                Sampling::Sobol => {
                    if let Some(q) = &self.quasi {
                        let uniforms = &mut self.uniforms[..n];
                        q.points.fill(dimension, seed, self.first_trial, uniforms);
                        for (x, &u) in column.iter_mut().zip(uniforms.iter()) {
                            *x = input.dist.quantile(u);
                        }
                    }
                }
            }
        }
        if let Some(c) = &model.correlation {
            self.correlate(c, seed, chunk, n);
        }
        if !model.given.inputs.is_empty() {
            self.observe_inputs(model, n);
        }
        if model.has_conditionals {
            self.draw_conditionals(model, seed, chunk, n, false);
        }
        if model.uncertain_routes() {
            self.choose_uncertain_routes(model, seed, chunk, n);
        } else {
            self.choose_routes(seed, chunk, n);
        }
        if model.given.route.is_some() {
            self.observe_route(model, n);
        }
        if model.has_conditionals {
            self.draw_conditionals(model, seed, chunk, n, true);
        }
        let observes_milestones =
            !model.given.milestones.is_empty() || !model.given.not_reached.is_empty();
        for &m in &model.eval_order {
            let mut out = std::mem::take(&mut self.times[m]);
            let milestone = &model.milestones[m];
            if let Some(start) = &milestone.start {
                for (i, t) in out[..n].iter_mut().enumerate() {
                    let date = value(start.date, &self.inputs, i);
                    let time = value(start.time, &self.inputs, i);
                    *t = clock::start_instant(&milestone.zone, &start.days, date, time);
                }
            } else {
                out[..n].fill(f64::NAN);
                for &s in &model.incoming[m] {
                    self.apply_step(model, s, seed, chunk, &mut out[..n], milestone.wait_for);
                }
            }
            self.times[m] = out;
            if observes_milestones {
                self.observe_milestone(model, m, n);
            }
            if !model.forks.is_empty() {
                self.decide_forks(model, m, seed, chunk, n);
            }
        }
        self.observe_outcomes(model, n);
    }

    /// Reorders the correlated inputs' values within the chunk (Iman-Conover), from a stream of
    /// its own, so every input keeps exactly the values it drew.
    fn correlate(&mut self, c: &crate::model::Correlation, seed: u64, chunk: u64, n: usize) {
        let mut rng = stream_rng(seed, chunk, stream_id("iman-conover"));
        let mut slots: Vec<Option<&mut [f64]>> = self
            .inputs
            .iter_mut()
            .map(|col| Some(&mut col[..n]))
            .collect();
        let mut columns: Vec<&mut [f64]> = c
            .inputs
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect();
        self.iman_conover.apply(&mut columns, &c.cholesky, &mut rng);
    }

    fn choose_routes(&mut self, seed: u64, chunk: u64, n: usize) {
        if self.route_cumulative.len() <= 1 {
            self.route[..n].fill(0);
            return;
        }
        self.route_uniforms(seed, chunk, n);
        let uniforms = &self.uniforms[..n];
        let last = self.route_cumulative.len() - 1;
        for (r, &u) in self.route[..n].iter_mut().zip(uniforms.iter()) {
            let k = self
                .route_cumulative
                .iter()
                .position(|&c| u < c)
                .unwrap_or(last);
            *r = k as u8;
        }
    }

    /// Fills `uniforms` with each trial's uniform for the route choice (its own stream, or its
    /// Sobol' dimension).
    fn route_uniforms(&mut self, seed: u64, chunk: u64, n: usize) {
        let uniforms = &mut self.uniforms[..n];
        match &self.quasi {
            Some(q) => q.points.fill(q.route, seed, self.first_trial, uniforms),
            None => {
                let mut rng = stream_rng(seed, chunk, stream_id("route choice"));
                uniforms.iter_mut().for_each(|u| *u = rng.random());
            }
        }
    }

    /// Folds step `s` into the arrival column of its `to` milestone: first every trial's
    /// duration, in a loop specialised to the step's kind, then the arrivals, in a loop
    /// specialised to its route, clock-time condition and join.
    fn apply_step(
        &mut self,
        model: &Model,
        s: usize,
        seed: u64,
        chunk: u64,
        out: &mut [f64],
        wait: WaitFor,
    ) {
        let step = &model.steps[s];
        let n = out.len();
        let durations = &mut self.durations[..n];
        let inputs = &self.inputs;
        match step.duration {
            StepDuration::Travel { distance, speed } => {
                let (distance, speed) = (Column::of(distance, inputs), Column::of(speed, inputs));
                zip_with(durations, distance, speed, |d, v| d / v * 3600.0);
            }
            StepDuration::Fixed(duration) => {
                let duration = Column::of(duration, inputs);
                zip_with(durations, duration, Column::Const(0.0), |d, _| d);
            }
            StepDuration::Chance {
                probability,
                duration,
                stream,
            } => {
                match &self.quasi {
                    Some(q) => {
                        let dimension = q.route + 1 + self.event_of_step[s].unwrap_or(0);
                        q.points.fill(dimension, seed, self.first_trial, durations);
                    }
                    None => {
                        let mut rng = stream_rng(seed, chunk, stream);
                        durations.iter_mut().for_each(|u| *u = rng.random());
                    }
                }
                // Where the uniform falls under the probability, the delay; elsewhere 0.
                let (probability, duration) = (
                    Column::of(probability, inputs),
                    Column::of(duration, inputs),
                );
                for (i, d) in durations.iter_mut().enumerate() {
                    *d = if *d < probability.at(i) {
                        duration.at(i)
                    } else {
                        0.0
                    };
                }
            }
        }
        if step.timetable.is_some() {
            return self.ride_timetable(model, s, seed, out, wait);
        }
        if step.calendar.is_some() {
            return self.work_calendar(model, s, seed, out, wait);
        }
        let from = &self.times[step.from][..n];
        let durations = &self.durations[..n];
        let routes = &self.route[..n];
        if let Some((f, b)) = step.branch {
            // A step on a fork's branch: only the trials that took it.
            let taken = &self.branches[f][..n];
            let on_branch =
                |i: usize| taken[i] == b && step.route.is_none_or(|r| usize::from(routes[i]) == r);
            arrive(
                out,
                from,
                durations,
                wait,
                on_branch,
                step,
                model,
                &mut self.offsets[s],
            );
        } else {
            match step.route {
                None => arrive(
                    out,
                    from,
                    durations,
                    wait,
                    |_| true,
                    step,
                    model,
                    &mut self.offsets[s],
                ),
                Some(r) => {
                    let r = r as u8;
                    let on_route = |i: usize| routes[i] == r;
                    arrive(
                        out,
                        from,
                        durations,
                        wait,
                        on_route,
                        step,
                        model,
                        &mut self.offsets[s],
                    );
                }
            }
        }
        if let Some(e) = self.event_of_step[s] {
            // The delay the step added where it applied; 0 where it did not.
            let branches = &self.branches;
            for (i, taken) in self.events[e][..n].iter_mut().enumerate() {
                let applied = step.route.is_none_or(|r| usize::from(routes[i]) == r)
                    && step.branch.is_none_or(|(f, b)| branches[f][i] == b)
                    && !from[i].is_nan();
                *taken = if applied { durations[i] } else { 0.0 };
            }
        }
    }
}

/// Arrivals at a step's end for the trials `on_route` accepts, folded into `out` (latest of the
/// incoming steps for a join on all, earliest for a join on the first). A trial that has not
/// reached the step's start (NaN) contributes nothing: NaN + d is NaN, and max and min ignore it.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn arrive(
    out: &mut [f64],
    from: &[f64],
    durations: &[f64],
    wait: WaitFor,
    on_route: impl Fn(usize) -> bool,
    step: &crate::model::Step,
    model: &Model,
    window: &mut OffsetWindow,
) {
    match wait {
        WaitFor::All => arrive_with(
            out,
            from,
            durations,
            f64::max,
            on_route,
            step,
            model,
            window,
        ),
        WaitFor::First => arrive_with(
            out,
            from,
            durations,
            f64::min,
            on_route,
            step,
            model,
            window,
        ),
    }
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn arrive_with(
    out: &mut [f64],
    from: &[f64],
    durations: &[f64],
    join: impl Fn(f64, f64) -> f64,
    on_route: impl Fn(usize) -> bool,
    step: &crate::model::Step,
    model: &Model,
    window: &mut OffsetWindow,
) {
    if step.window.is_some() {
        // A step with windows starts at the first opening once `not_before` has held it.
        let zone = &model.milestones[step.from].zone;
        return fold(out, from, durations, &join, &on_route, |t| {
            clocked_start(step, zone, window, t)
        });
    }
    match step.not_before {
        None => fold(out, from, durations, &join, &on_route, |t| t),
        // Not `max`, which would turn a NaN (not reached) into `at`.
        Some(NotBefore::Instant(at)) => fold(out, from, durations, &join, &on_route, |t| {
            if t < at { at } else { t }
        }),
        Some(NotBefore::TimeOfDay(tod)) => {
            let zone = &model.milestones[step.from].zone;
            fold(out, from, durations, &join, &on_route, |t| {
                window.not_before_time_of_day(zone, t, tod)
            })
        }
    }
}

/// When a clocked step (timetable, calendar) reached at `t` may start: held by `not_before`,
/// then by its windows.
#[inline(always)]
fn clocked_start(
    step: &crate::model::Step,
    zone: &crate::time::Zone,
    offsets: &mut OffsetWindow,
    t: f64,
) -> f64 {
    let start = held(step.not_before, zone, offsets, t);
    match &step.window {
        Some(w) => w.next_open(start),
        None => start,
    }
}

/// How a milestone folds its incoming steps' arrivals: the latest for a join, the earliest for
/// a race (NaN, not reached, is ignored by both).
fn joiner(wait: WaitFor) -> fn(f64, f64) -> f64 {
    match wait {
        WaitFor::All => f64::max,
        WaitFor::First => f64::min,
    }
}

/// When a step ready at `t` may start under `not_before` (NaN, not reached, stays NaN).
#[inline(always)]
fn held(
    not_before: Option<NotBefore>,
    zone: &crate::time::Zone,
    window: &mut OffsetWindow,
    t: f64,
) -> f64 {
    match not_before {
        None => t,
        Some(NotBefore::Instant(at)) => {
            if t < at {
                at
            } else {
                t
            }
        }
        Some(NotBefore::TimeOfDay(tod)) => window.not_before_time_of_day(zone, t, tod),
    }
}

#[inline(always)]
fn fold(
    out: &mut [f64],
    from: &[f64],
    durations: &[f64],
    join: &impl Fn(f64, f64) -> f64,
    on_route: &impl Fn(usize) -> bool,
    mut start: impl FnMut(f64) -> f64,
) {
    for (i, ((o, &t), &d)) in out.iter_mut().zip(from).zip(durations).enumerate() {
        if on_route(i) {
            *o = join(*o, start(t) + d);
        }
    }
}

/// `out[i] = f(a[i], b[i])`, with a plain loop over slices for each mix of columns and constants
/// (so the compiler can vectorise it: a travel step's division is most of its cost).
#[inline(always)]
fn zip_with(out: &mut [f64], a: Column, b: Column, f: impl Fn(f64, f64) -> f64) {
    let n = out.len();
    match (a, b) {
        (Column::Values(a), Column::Values(b)) => {
            for ((o, &x), &y) in out.iter_mut().zip(&a[..n]).zip(&b[..n]) {
                *o = f(x, y);
            }
        }
        (Column::Values(a), Column::Const(y)) => {
            for (o, &x) in out.iter_mut().zip(&a[..n]) {
                *o = f(x, y);
            }
        }
        (Column::Const(x), Column::Values(b)) => {
            for (o, &y) in out.iter_mut().zip(&b[..n]) {
                *o = f(x, y);
            }
        }
        (Column::Const(x), Column::Const(y)) => out.fill(f(x, y)),
    }
}

/// An operand as seen by a loop over trials: one value for all, or a column of them.
#[derive(Clone, Copy)]
enum Column<'a> {
    Const(f64),
    Values(&'a [f64]),
}

impl<'a> Column<'a> {
    fn of(op: Operand, inputs: &'a [Vec<f64>]) -> Self {
        match op {
            Operand::Const(v) => Column::Const(v),
            Operand::Input(k) => Column::Values(&inputs[k]),
        }
    }

    #[inline(always)]
    fn at(self, i: usize) -> f64 {
        match self {
            Column::Const(v) => v,
            Column::Values(values) => values[i],
        }
    }
}

/// The Sobol' dimensions of a model: one per input, in order (fixed inputs too, unused, so a
/// variant that fixes an input keeps every other input on its dimension: common random numbers
/// stay common), then the route choice (always counted, likewise), then one per chance step,
/// then one per fork.
#[derive(Debug, Clone)]
struct Quasi {
    points: Sobol,
    /// The route choice's dimension; chance step k has `route + 1 + k`.
    route: usize,
    /// Fork k's dimension is `forks + k` (after every chance step).
    forks: usize,
}

impl Quasi {
    fn new(model: &Model) -> Option<Quasi> {
        let route = model.inputs.len();
        let dimensions = sobol_dimensions(model);
        Some(Quasi {
            points: Sobol::new(dimensions)?,
            route,
            forks: dimensions - model.forks.len(),
        })
    }
}

/// How many Sobol' dimensions a model's trials need (see [`crate::engine::sobol::MAX_DIMENSIONS`]).
pub fn sobol_dimensions(model: &Model) -> usize {
    let chance_steps = model
        .steps
        .iter()
        .filter(|s| matches!(s.duration, StepDuration::Chance { .. }))
        .count();
    model.inputs.len() + 1 + chance_steps + model.forks.len()
}

/// How each chunk draws its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Independent draws.
    #[default]
    MonteCarlo,
    /// Latin hypercube: within each chunk, each input takes exactly one draw from each of
    /// 2,048 equally likely strata of its distribution (by its inverse CDF), in random order.
    LatinHypercube,
    /// Scrambled Sobol' quasi-Monte Carlo: trial i takes point i of an Owen-scrambled Sobol'
    /// sequence, one dimension per input, route choice and chance step.
    Sobol,
}

fn latin_hypercube(
    dist: &crate::distribution::Dist,
    rng: &mut crate::distribution::StreamRng,
    out: &mut [f64],
) {
    let n = out.len();
    let mut strata: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        strata.swap(i, rng.random_range(0..=i));
    }
    for (x, &stratum) in out.iter_mut().zip(&strata) {
        // Strictly inside (0, 1), so unbounded families never return an infinity.
        let jitter: f64 = rng.random::<f64>().max(1e-12);
        *x = dist.quantile((stratum as f64 + jitter) / n as f64);
    }
}

#[inline(always)]
fn value(op: Operand, inputs: &[Vec<f64>], i: usize) -> f64 {
    match op {
        Operand::Const(v) => v,
        Operand::Input(k) => inputs[k][i],
    }
}
