//! The Monte Carlo engine: runs a compiled model's trials in parallel chunks and folds them into
//! a [`Tally`] whose contents do not depend on how many threads ran them.

mod departures;
mod paired;

pub mod sobol;
mod trial;

pub use departures::DepartureCounts;
pub use paired::{PairedCounts, run_paired};
pub use trial::{CHUNK, Compatibility, Sampling, Workspace, sobol_dimensions};

use crate::model::{DeadlineAt, Model};
use crate::stats::{TimeHistogram, Weights};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What a run needs besides the model.
pub struct RunOptions<'a> {
    pub trials: u64,
    pub seed: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Called with the number of trials each finished chunk adds (from any thread).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// How many of the first trials to keep whole (inputs and outcome) for sensitivity analysis.
    pub keep_trials: u64,
    /// The milestone whose instants the kept trials record (default: [`Model::final_milestone`]).
    pub sample_milestone: Option<usize>,
    /// Stop early, between batches, once the estimates are this precise (`trials` is then the
    /// most the run may use).
    pub precision: Option<Precision>,
    pub sampling: Sampling,
    /// A milestone whose arrivals are also counted route by route (for a histogram stacked by
    /// route); other milestones are counted over all routes only, which is much cheaper.
    pub split_by_route: Option<usize>,
    /// Checked before every chunk: once it is set, the run stops and returns
    /// [`RunError::Cancelled`] (the command line sets it on Ctrl-C or SIGTERM).
    pub cancel: Option<&'a AtomicBool>,
}

impl RunOptions<'_> {
    /// `trials` trials from `seed` on every core: plain Monte Carlo, no progress callback,
    /// nothing kept whole, no early stop, no route split.
    pub fn new(trials: u64, seed: u64) -> Self {
        RunOptions {
            trials,
            seed,
            threads: 0,
            progress: None,
            keep_trials: 0,
            sample_milestone: None,
            precision: None,
            sampling: Sampling::MonteCarlo,
            split_by_route: None,
            cancel: None,
        }
    }
}

/// When a run is precise enough to stop: every deadline probability's 95% interval within
/// ± `probability`, and (if given) the final milestone's median interval within ± `median_seconds`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Precision {
    pub probability: f64,
    pub median_seconds: Option<f64>,
}

/// The estimates after some number of trials, for convergence charts and early stopping.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub trials: u64,
    /// The effective number of trials (the trials themselves when unweighted).
    pub effective: f64,
    /// Per deadline: the probability of making it and its 95% interval.
    pub deadlines: Vec<(f64, (f64, f64))>,
    /// The final milestone's median and its 95% interval (epoch seconds), if reached.
    pub median: Option<(f64, (f64, f64))>,
}

impl Checkpoint {
    fn precise_enough(&self, p: &Precision) -> bool {
        let probabilities = self
            .deadlines
            .iter()
            .all(|(_, (lo, hi))| (hi - lo) / 2.0 <= p.probability);
        let median = match (p.median_seconds, self.median) {
            (Some(limit), Some((_, (lo, hi)))) => (hi - lo) / 2.0 <= limit,
            (Some(_), None) => false,
            (None, _) => true,
        };
        probabilities && median && self.trials >= 1000 && self.effective >= 1000.0
    }
}

/// The first trials of a run, kept whole: each input's values, then each chance step's realised
/// delay (in the order of [`Model::chance_steps`]), then each fork branch's indicator (every
/// branch but each fork's default, in fork order), then per timetabled step that cancels
/// departures whether the trial passed a cancelled one (1 or 0) and per calendar that loses days
/// the lost working days the trial met; each trial's route and one milestone's instant. A fixed
/// input's column is left empty: it never varies, and copying it cost page faults for nothing.
#[derive(Debug, Clone, Default)]
pub struct TrialSample {
    pub inputs: Vec<Vec<f64>>,
    pub route: Vec<u8>,
    /// The milestone `outcome` records (NaN where a trial does not reach it).
    pub milestone: usize,
    pub outcome: Vec<f64>,
    /// Per deadline, each kept trial's deadline instant when the deadline is relative to a
    /// milestone (NaN where the trial never reached it); empty for a fixed deadline.
    pub limits: Vec<Vec<f64>>,
    /// Each kept trial's weight in a run conditioned on observations (empty otherwise).
    pub weight: Vec<f64>,
}

/// Receives every trial, in trial order, for per-trial output.
pub trait TrialSink: Sync {
    /// Renders a finished chunk (called in parallel from workers).
    fn format(&self, model: &Model, chunk: &Workspace) -> Vec<u8>;
    /// Stores rendered chunks, called in trial order (never concurrently).
    fn write(&self, bytes: &[u8]) -> std::io::Result<()>;
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("cannot write per-trial samples: {0}")]
    Sink(#[source] std::io::Error),
    /// The sampling method cannot serve this run (see [`check_sampling`]).
    #[error(transparent)]
    Sampling(#[from] SamplingError),
    /// Some trials produced an instant outside the representable range (year 9999 and beyond).
    #[error(
        "{trials} trials reach milestone `{milestone}` at an instant beyond the year 9999 \
         (or not at all in a finite time): check for durations or delays that can be enormous, \
         or speeds close to zero, and truncate them"
    )]
    Unrepresentable { milestone: String, trials: u64 },
    /// [`RunOptions::cancel`] was set: the run stopped between chunks.
    #[error("the run was interrupted")]
    Cancelled,
}

/// Why Sobol' sampling cannot serve a run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SamplingError {
    #[error(
        "this scenario needs {needed} Sobol' dimensions (one per input, one for the route \
         choice, one per chance step) but eta has direction numbers for {available}"
    )]
    Dimensions { needed: usize, available: usize },
    #[error("at most {max} trials (2^32 Sobol' points); asked for {asked}")]
    Points { max: u64, asked: u64 },
}

/// Everything a run counts: per-milestone arrival histograms, per-deadline and per-route counts.
/// All integers, so merging in any order gives identical results. A run conditioned on
/// observations counts each trial by its weight, in [`crate::stats::WEIGHT_UNIT`]s; otherwise a
/// trial counts one.
#[derive(Debug, Clone)]
pub struct Tally {
    pub trials: u64,
    pub seed: u64,
    /// Whether trials are weighted by observations.
    pub weighted: bool,
    /// All trials' weights (for an unweighted run: the trials, each weighing one).
    pub weight: Weights,
    /// Per route, per fork branch and per deadline (made, over all routes): the sum of squared
    /// weights, for the intervals of weighted shares (empty when unweighted).
    pub route_sq: Vec<u128>,
    pub branch_sq: Vec<Vec<u128>>,
    pub deadline_sq: Vec<u128>,
    /// Per observation, in [`crate::model::Observed::factors`] order: the trials compatible
    /// with it alone.
    pub compatibility: Vec<Compatibility>,
    /// Arrival histogram of each milestone over all trials.
    pub milestones: Vec<TimeHistogram>,
    /// For the milestone the options asked to split: its arrivals per route (indexed by route).
    pub by_route: Option<(usize, Vec<TimeHistogram>)>,
    /// `deadline_made[d][r]`: trials on route `r` that made deadline `d`.
    pub deadline_made: Vec<Vec<u64>>,
    pub route_trials: Vec<u64>,
    /// `branch_trials[f][b]`: trials that took branch `b` at fork `f`.
    pub branch_trials: Vec<Vec<u64>>,
    /// Per milestone, trials whose instant could not be represented.
    pub unrepresentable: Vec<u64>,
    /// The first `keep_trials` trials, in trial order (complete once the run has finished).
    pub sample: TrialSample,
    kept: Vec<(u64, TrialSample)>,
    /// Estimates after each batch, in order (batches double in size, so the trace is even on a
    /// log scale of trials).
    pub trace: Vec<Checkpoint>,
    /// True when the run stopped early because it met its precision target.
    pub stopped_early: bool,
    /// How many worker threads the run used (its thread pool's size).
    pub threads: usize,
    /// Per timetabled step, in step order: the departures its trials took.
    pub departures: Vec<DepartureCounts>,
}

impl Tally {
    fn new(model: &Model, options: &RunOptions) -> Self {
        let routes = model.routes.len().max(1);
        let reference = model.reference_instant();
        let weighted = !model.given.is_empty();
        let squares = |len: usize| if weighted { vec![0; len] } else { Vec::new() };
        Tally {
            trials: 0,
            seed: options.seed,
            weighted,
            weight: Weights::default(),
            route_sq: squares(routes),
            branch_sq: model
                .forks
                .iter()
                .map(|f| squares(f.branches.len()))
                .collect(),
            deadline_sq: squares(model.deadlines.len()),
            compatibility: vec![Compatibility::default(); model.given.factors().len()],
            milestones: vec![TimeHistogram::new(reference); model.milestones.len()],
            by_route: options
                .split_by_route
                .filter(|&m| m < model.milestones.len() && routes > 1)
                .map(|m| (m, vec![TimeHistogram::new(reference); routes])),
            deadline_made: vec![vec![0; routes]; model.deadlines.len()],
            route_trials: vec![0; routes],
            branch_trials: model
                .forks
                .iter()
                .map(|f| vec![0; f.branches.len()])
                .collect(),
            unrepresentable: vec![0; model.milestones.len()],
            sample: TrialSample {
                milestone: options
                    .sample_milestone
                    .filter(|&m| m < model.milestones.len())
                    .unwrap_or_else(|| model.final_milestone()),
                ..TrialSample::default()
            },
            kept: Vec::new(),
            trace: Vec::new(),
            stopped_early: false,
            threads: 0,
            departures: model
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.timetable.is_some())
                .map(|(i, s)| DepartureCounts::new(i, s.from))
                .collect(),
        }
    }

    fn add(&mut self, model: &Model, ws: &Workspace) {
        if self.weighted {
            let units = &ws.weight_units;
            self.add_with::<true>(model, ws, |i| units[i]);
            for (all, chunk) in self.compatibility.iter_mut().zip(&ws.compatibility) {
                all.merge(chunk);
            }
        } else {
            self.add_with::<false>(model, ws, |_| 1);
        }
    }

    /// Counts the chunk, trial `i` weighing `weight(i)` units (the sums of squared weights only
    /// when `WEIGHTED`).
    #[inline(always)]
    fn add_with<const WEIGHTED: bool>(
        &mut self,
        model: &Model,
        ws: &Workspace,
        weight: impl Fn(usize) -> u64 + Copy,
    ) {
        let n = ws.len;
        self.trials += n as u64;
        let square = |i: usize| u128::from(weight(i)) * u128::from(weight(i));
        if WEIGHTED {
            self.weight.sum += (0..n).map(weight).sum::<u64>();
            self.weight.sq += (0..n).map(square).sum::<u128>();
        } else {
            self.weight.sum += n as u64;
            self.weight.sq += n as u128;
        }
        for (k, counts) in self.departures.iter_mut().enumerate() {
            counts.add::<WEIGHTED>(ws, k, weight);
        }
        let routes = &ws.route[..n];
        // Route by route, each count a plain reduction: incrementing counts[route[i]] in one
        // pass chains every increment through memory on the previous one.
        for (r, trials) in self.route_trials.iter_mut().enumerate() {
            if WEIGHTED {
                let on = |i: &usize| usize::from(routes[*i]) == r;
                *trials += (0..n).filter(on).map(weight).sum::<u64>();
                self.route_sq[r] += (0..n).filter(on).map(square).sum::<u128>();
            } else {
                *trials += routes.iter().filter(|&&x| usize::from(x) == r).count() as u64;
            }
        }
        for ((column, hist), unrepresentable) in ws
            .times
            .iter()
            .zip(&mut self.milestones)
            .zip(&mut self.unrepresentable)
        {
            *unrepresentable += if WEIGHTED {
                hist.add_weighted(&column[..n], weight)
            } else {
                hist.add_where(&column[..n], |_| true)
            };
        }
        for (f, (counts, taken)) in self.branch_trials.iter_mut().zip(&ws.branches).enumerate() {
            for (b, trials) in counts.iter_mut().enumerate() {
                if WEIGHTED {
                    let on = |i: &usize| usize::from(taken[*i]) == b;
                    *trials += (0..n).filter(on).map(weight).sum::<u64>();
                    self.branch_sq[f][b] += (0..n).filter(on).map(square).sum::<u128>();
                } else {
                    *trials += taken[..n].iter().filter(|&&x| usize::from(x) == b).count() as u64;
                }
            }
        }
        if let Some((m, routes)) = &mut self.by_route {
            let column = &ws.times[*m][..n];
            for (r, hist) in routes.iter_mut().enumerate() {
                let on = |i: usize| usize::from(ws.route[i]) == r;
                if WEIGHTED {
                    hist.add_weighted(column, |i| if on(i) { weight(i) } else { 0 });
                } else {
                    hist.add_where(column, on);
                }
            }
        }
        for (d, deadline) in model.deadlines.iter().enumerate() {
            let times = &ws.times[deadline.milestone][..n];
            for (r, made_on_route) in self.deadline_made[d].iter_mut().enumerate() {
                // A deadline that requires another route is never made on this one.
                if deadline.require_route.is_some_and(|required| required != r) {
                    continue;
                }
                let on = |i: usize| usize::from(routes[i]) == r;
                // The kind of deadline is matched once per chunk, not per trial.
                let (made, sq) = match (deadline.at, deadline.require_branch) {
                    (DeadlineAt::Fixed(at), None) => {
                        let at = at as f64;
                        count_where::<WEIGHTED>(n, weight, |i| times[i] <= at && on(i))
                    }
                    (DeadlineAt::Fixed(at), Some((f, b))) => {
                        let (at, taken) = (at as f64, &ws.branches[f][..n]);
                        count_where::<WEIGHTED>(n, weight, |i| {
                            times[i] <= at && on(i) && taken[i] == b
                        })
                    }
                    // Per trial: the reference milestone's time plus the offset (NaN, never
                    // made, where the trial never reached it).
                    (DeadlineAt::Relative { .. }, _) => count_where::<WEIGHTED>(n, weight, |i| {
                        on(i)
                            && deadline.made(
                                times[i],
                                deadline.limit(|m| ws.times[m][i]),
                                routes[i],
                                |f| ws.branches[f][i],
                            )
                    }),
                };
                *made_on_route += made;
                if WEIGHTED {
                    self.deadline_sq[d] += sq;
                }
            }
        }
    }

    /// Milestone `m`'s arrivals per route, if the run was asked to count them.
    pub fn arrivals_by_route(&self, m: usize) -> Option<&[TimeHistogram]> {
        match &self.by_route {
            Some((split, routes)) if *split == m => Some(routes),
            _ => None,
        }
    }

    /// Keeps the chunk's trials whole if they are among the first `keep` of the run.
    fn keep(&mut self, model: &Model, ws: &Workspace, keep: u64) {
        if ws.first_trial >= keep {
            return;
        }
        let n = ws.len.min((keep - ws.first_trial) as usize);
        let milestone = self.sample.milestone;
        let outcome = &ws.times[milestone];
        let mut inputs: Vec<Vec<f64>> = ws
            .inputs
            .iter()
            .zip(model.inputs.iter().map(|i| i.fixed_value().is_some()))
            .chain(ws.events.iter().map(|e| (e, false)))
            .map(|(c, fixed)| if fixed { Vec::new() } else { c[..n].to_vec() })
            .collect();
        // Each fork's branches but the last (the default), as 1 where taken, 0 elsewhere.
        for (fork, taken) in model.forks.iter().zip(&ws.branches) {
            for b in 0..fork.branches.len() - 1 {
                let indicator = |&x: &u8| f64::from(u8::from(usize::from(x) == b));
                inputs.push(taken[..n].iter().map(indicator).collect());
            }
        }
        // Then whether each trial passed a cancelled departure, per timetabled step that cancels,
        // and the lost days it met, per calendar that loses days.
        for s in model.cancellation_steps() {
            if let Some(k) = ws.timetable_of_step[s] {
                inputs.push(ws.cancelled[k][..n].to_vec());
            }
        }
        for c in model.lost_day_calendars() {
            inputs.push(ws.lost_days[c][..n].to_vec());
        }
        self.kept.push((
            ws.first_trial,
            TrialSample {
                inputs,
                route: ws.route[..n].to_vec(),
                milestone,
                outcome: outcome[..n].to_vec(),
                weight: ws.weight_units.iter().take(n).map(|&w| w as f64).collect(),
                limits: model
                    .deadlines
                    .iter()
                    .map(|d| match d.instant() {
                        Some(_) => Vec::new(),
                        None => (0..n).map(|i| d.limit(|m| ws.times[m][i])).collect(),
                    })
                    .collect(),
            },
        ));
    }

    /// The estimates so far.
    fn checkpoint(&self, model: &Model) -> Checkpoint {
        let deadlines = (0..self.deadline_made.len())
            .map(|d| self.deadline_share(d))
            .collect();
        let median = self.milestones.get(model.final_milestone()).and_then(|h| {
            let median = h.quantile(0.5)?;
            Some((median, h.quantile_ci95(0.5)?))
        });
        Checkpoint {
            trials: self.trials,
            effective: self.weight.effective(),
            deadlines,
            median,
        }
    }

    /// The share of trials (by weight) that make deadline `d`, with its 95% interval.
    pub fn deadline_share(&self, d: usize) -> (f64, (f64, f64)) {
        let made: u64 = self.deadline_made[d].iter().sum();
        if !self.weighted {
            return (
                made as f64 / self.trials.max(1) as f64,
                crate::stats::wilson95(made, self.trials),
            );
        }
        crate::stats::weighted_share95(
            Weights {
                sum: made,
                sq: self.deadline_sq[d],
            },
            self.weight,
        )
    }

    /// Puts the kept trials in trial order.
    fn finish(&mut self, model: &Model) {
        self.kept.sort_by_key(|(first, _)| *first);
        let kept: usize = self.kept.iter().map(|(_, part)| part.outcome.len()).sum();
        let columns = model.sample_columns();
        let mut sample = TrialSample {
            inputs: (0..columns).map(|_| Vec::with_capacity(kept)).collect(),
            route: Vec::with_capacity(kept),
            milestone: self.sample.milestone,
            outcome: Vec::with_capacity(kept),
            limits: vec![Vec::new(); model.deadlines.len()],
            weight: Vec::new(),
        };
        for (_, part) in self.kept.drain(..) {
            for (all, column) in sample.inputs.iter_mut().zip(part.inputs) {
                all.extend(column);
            }
            for (all, column) in sample.limits.iter_mut().zip(part.limits) {
                all.extend(column);
            }
            sample.route.extend(part.route);
            sample.outcome.extend(part.outcome);
            sample.weight.extend(part.weight);
        }
        self.sample = sample;
    }

    /// Adds `other`'s counts and kept trials to these and empties `other` for reuse.
    fn absorb(&mut self, other: &mut Tally) {
        self.trials += std::mem::take(&mut other.trials);
        let weight = std::mem::take(&mut other.weight);
        self.weight.sum += weight.sum;
        self.weight.sq += weight.sq;
        let squares = self.branch_sq.iter_mut().zip(&mut other.branch_sq).chain([
            (&mut self.route_sq, &mut other.route_sq),
            (&mut self.deadline_sq, &mut other.deadline_sq),
        ]);
        for (a, b) in squares {
            a.iter_mut()
                .zip(b.iter_mut())
                .for_each(|(x, y)| *x += std::mem::take(y));
        }
        for (a, b) in self.compatibility.iter_mut().zip(&mut other.compatibility) {
            a.merge(&std::mem::take(b));
        }
        for (a, b) in self.milestones.iter_mut().zip(&mut other.milestones) {
            a.absorb(b);
        }
        if let (Some((_, a)), Some((_, b))) = (&mut self.by_route, &mut other.by_route) {
            a.iter_mut().zip(b).for_each(|(x, y)| x.absorb(y));
        }
        self.kept.append(&mut other.kept);
        for (a, b) in self.departures.iter_mut().zip(&mut other.departures) {
            a.absorb(b);
        }
        let counts = self
            .deadline_made
            .iter_mut()
            .zip(&mut other.deadline_made)
            .chain(self.branch_trials.iter_mut().zip(&mut other.branch_trials))
            .chain([
                (&mut self.route_trials, &mut other.route_trials),
                (&mut self.unrepresentable, &mut other.unrepresentable),
            ]);
        for (a, b) in counts {
            a.iter_mut()
                .zip(b.iter_mut())
                .for_each(|(x, y)| *x += std::mem::take(y));
        }
    }
}

/// The trials `0..n` that `keep` accepts: their weights' sum and, when `WEIGHTED`, the sum of
/// their squares (each trial weighing one otherwise, so the sum is the count).
#[inline(always)]
fn count_where<const WEIGHTED: bool>(
    n: usize,
    weight: impl Fn(usize) -> u64,
    keep: impl Fn(usize) -> bool,
) -> (u64, u128) {
    if WEIGHTED {
        (0..n).filter(|&i| keep(i)).fold((0, 0), |(sum, sq), i| {
            let w = weight(i);
            (sum + w, sq + u128::from(w) * u128::from(w))
        })
    } else {
        ((0..n).filter(|&i| keep(i)).count() as u64, 0)
    }
}

/// Whether `options.sampling` can serve a run of `model`: Sobol' points exist for at most
/// [`sobol::MAX_DIMENSIONS`] random quantities and [`sobol::MAX_POINTS`] trials.
pub fn check_sampling(model: &Model, options: &RunOptions) -> Result<(), SamplingError> {
    if options.sampling != Sampling::Sobol {
        return Ok(());
    }
    let dimensions = sobol_dimensions(model);
    if dimensions > sobol::MAX_DIMENSIONS {
        return Err(SamplingError::Dimensions {
            needed: dimensions,
            available: sobol::MAX_DIMENSIONS,
        });
    }
    if options.trials > sobol::MAX_POINTS {
        return Err(SamplingError::Points {
            max: sobol::MAX_POINTS,
            asked: options.trials,
        });
    }
    Ok(())
}

/// Runs `options.trials` trials of `model`; with a sink, also streams every trial to it in order.
pub fn run(
    model: &Model,
    options: &RunOptions,
    sink: Option<&dyn TrialSink>,
) -> Result<Tally, RunError> {
    check_sampling(model, options)?;
    let mut total = Tally::new(model, options);
    // Per-trial output is written between batches, so batches stay small enough to buffer.
    let max_batch = if sink.is_some() { 16 } else { 256 };
    let threads = run_batches(
        options,
        max_batch,
        || Workspace::with_sampling(model, options.sampling),
        || (Tally::new(model, options), Vec::new()),
        |ws, (tally, rendered), chunk, len| {
            ws.simulate(model, options.seed, chunk, len);
            tally.add(model, ws);
            tally.keep(model, ws, options.keep_trials);
            if let Some(s) = sink {
                rendered.push((chunk, s.format(model, ws)));
            }
        },
        |workers| {
            let mut rendered = Vec::new();
            for (tally, chunks) in workers.iter_mut() {
                total.absorb(tally);
                rendered.append(chunks);
            }
            if let Some(s) = sink {
                rendered.sort_by_key(|(chunk, _)| *chunk);
                for (_, bytes) in &rendered {
                    s.write(bytes).map_err(RunError::Sink)?;
                }
            }
            let checkpoint = total.checkpoint(model);
            let done = options
                .precision
                .is_some_and(|p| checkpoint.precise_enough(&p));
            total.trace.push(checkpoint);
            total.stopped_early = done && total.trials < options.trials;
            Ok(if done { Batch::Stop } else { Batch::Continue })
        },
    )?;
    total.threads = threads;
    total.finish(model);
    check_representable(model, &total)?;
    Ok(total)
}

fn check_representable(model: &Model, tally: &Tally) -> Result<(), RunError> {
    match tally
        .unrepresentable
        .iter()
        .enumerate()
        .find(|(_, c)| **c > 0)
    {
        Some((m, &count)) => Err(RunError::Unrepresentable {
            milestone: model.milestones[m].id.clone(),
            trials: count,
        }),
        None => Ok(()),
    }
}

/// What to do after a batch.
enum Batch {
    Continue,
    Stop,
}

/// The parallel skeleton every run shares. Chunks go out in batches; each worker thread keeps
/// its scratch space (made once by `scratch`) and its accumulator (made once by `empty`) for the
/// whole run, and folds the chunks it takes into the accumulator with `work`. After each batch,
/// `finish_batch` gets all the workers' accumulators to empty into its totals, in batch order
/// (so per-trial output can be written in order, and a run can stop once precise enough).
/// Batches double from one chunk up to `max_batch` chunks: the schedule never depends on the
/// thread count, and accumulators hold integers only, so neither do the results. Returns the
/// number of worker threads the run used.
fn run_batches<W: Send, A: Send>(
    options: &RunOptions,
    max_batch: u64,
    scratch: impl Fn() -> W + Sync,
    empty: impl Fn() -> A + Sync,
    work: impl Fn(&mut W, &mut A, u64, usize) + Sync,
    mut finish_batch: impl FnMut(&mut [A]) -> Result<Batch, RunError>,
) -> Result<usize, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()?;
    // Both live as long as the run: building them afresh for each piece of work cost more in
    // page faults than some batches cost in trials.
    let mut spaces: Vec<W> = (0..pool.current_num_threads()).map(|_| scratch()).collect();
    let mut accumulators: Vec<A> = spaces.iter().map(|_| empty()).collect();
    let chunks = options.trials.div_ceil(CHUNK as u64);
    let mut batch = 1;
    let mut first = 0;
    while first < chunks {
        let last = (first + batch).min(chunks);
        batch = (batch * 2).min(max_batch.max(1));
        let next = AtomicU64::new(first);
        pool.scope(|scope| {
            for (space, acc) in spaces.iter_mut().zip(accumulators.iter_mut()) {
                let (next, work) = (&next, &work);
                scope.spawn(move |_| {
                    loop {
                        if cancelled(options) {
                            break;
                        }
                        let chunk = next.fetch_add(1, Ordering::Relaxed);
                        if chunk >= last {
                            break;
                        }
                        let len =
                            (options.trials - chunk * CHUNK as u64).min(CHUNK as u64) as usize;
                        work(space, acc, chunk, len);
                        if let Some(progress) = options.progress {
                            progress(len as u64);
                        }
                    }
                });
            }
        });
        if cancelled(options) {
            return Err(RunError::Cancelled);
        }
        first = last;
        if let Batch::Stop = finish_batch(&mut accumulators)? {
            break;
        }
    }
    Ok(pool.current_num_threads())
}

/// Whether the run has been asked to stop.
fn cancelled(options: &RunOptions) -> bool {
    options.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
}
