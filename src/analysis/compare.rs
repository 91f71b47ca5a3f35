//! Comparing variants of a scenario (or several scenarios) on common random numbers: each
//! variant's deadline probabilities and arrival quantiles, and its paired differences from the
//! baseline, as numbers (instants in epoch seconds). `report::compare` presents them.

use super::Share;
use crate::engine::{self, PairedCounts, RunError, RunOptions, Tally};
use crate::load::Variant;
use crate::model::Model;
use crate::stats::{TimeHistogram, Weights};

/// The quantiles of the compared milestone that a comparison reports (P10, P50, P90).
pub const QUANTILES: [f64; 3] = [0.1, 0.5, 0.9];

/// What a comparison found. Deadlines and the compared milestone are the baseline's (the
/// first variant's), indexed into its model.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub trials: u64,
    pub seed: u64,
    /// What every variant defines, and so is compared.
    pub shared: Shared,
    pub variants: Vec<VariantOutcome>,
}

/// What all the variants define (matched by id), as indices into the baseline's model: only
/// these are compared. Variants of one scenario share everything; different files may not.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// The baseline's deadlines that every variant defines, in the baseline's order.
    pub deadlines: Vec<usize>,
    /// The milestone whose quantiles are compared: the baseline's final milestone, if every
    /// variant defines it.
    pub milestone: Option<usize>,
    /// Per variant: its deadlines (indices into its own model) that are not compared.
    pub left_out: Vec<Vec<usize>>,
}

impl Shared {
    pub fn new(models: &[&Model]) -> Shared {
        let Some(base) = models.first() else {
            return Shared {
                deadlines: Vec::new(),
                milestone: None,
                left_out: Vec::new(),
            };
        };
        let everywhere = |has: &dyn Fn(&Model) -> bool| models.iter().all(|m| has(m));
        let deadlines: Vec<usize> = (0..base.deadlines.len())
            .filter(|&d| {
                let id = &base.deadlines[d].id;
                everywhere(&|m: &Model| m.deadlines.iter().any(|x| &x.id == id))
            })
            .collect();
        let last = base.final_milestone();
        let id = &base.milestones[last].id;
        let milestone =
            everywhere(&|m: &Model| m.milestones.iter().any(|x| &x.id == id)).then_some(last);
        let left_out = models
            .iter()
            .map(|m| {
                (0..m.deadlines.len())
                    .filter(|&d| {
                        !deadlines
                            .iter()
                            .any(|&b| base.deadlines[b].id == m.deadlines[d].id)
                    })
                    .collect()
            })
            .collect();
        Shared {
            deadlines,
            milestone,
            left_out,
        }
    }

    /// Whether the variants share nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.deadlines.is_empty() && self.milestone.is_none()
    }
}

/// A number with its 95% interval.
pub type Estimate = (f64, (f64, f64));

#[derive(Debug, Clone)]
pub struct VariantOutcome {
    pub name: String,
    pub description: Option<String>,
    /// Per shared deadline ([`Shared::deadlines`]).
    pub deadlines: Vec<DeadlineOutcome>,
    /// The compared milestone's [`QUANTILES`] among the trials that reach it, epoch seconds
    /// (none when no milestone is shared).
    pub quantiles: [Option<f64>; 3],
    /// Mean paired shift of the milestone against the baseline (trials where both reach it),
    /// seconds (absent for the baseline itself).
    pub mean_shift: Option<Estimate>,
}

#[derive(Debug, Clone, Copy)]
pub struct DeadlineOutcome {
    /// The trials that make the deadline (none when the variant does not define it).
    pub made: Share,
    /// Paired difference in probability from the baseline (absent for the baseline itself).
    pub difference: Option<Estimate>,
}

/// Runs the variants (the first is the baseline) on common random numbers.
pub fn compare(
    variants: &[Variant],
    options: &RunOptions,
) -> Result<(Comparison, Vec<Tally>), RunError> {
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let (tallies, pairs) = engine::run_paired(&models, options)?;
    let base = &variants[0].model;
    let shared = Shared::new(&models);
    let mut outcomes: Vec<VariantOutcome> = Vec::new();
    for (v, (variant, tally)) in variants.iter().zip(&tallies).enumerate() {
        let paired: Option<&PairedCounts> = v.checked_sub(1).and_then(|i| pairs.get(i));
        let baseline = outcomes.first().zip(tallies.first());
        let outcome = outcome(variant, tally, paired, base, &shared, baseline);
        outcomes.push(outcome);
    }
    let comparison = Comparison {
        trials: options.trials,
        seed: options.seed,
        shared,
        variants: outcomes,
    };
    Ok((comparison, tallies))
}

fn outcome(
    variant: &Variant,
    tally: &Tally,
    paired: Option<&PairedCounts>,
    base: &Model,
    shared: &Shared,
    baseline: Option<(&VariantOutcome, &Tally)>,
) -> VariantOutcome {
    let model = &variant.model;
    let n = tally.trials;
    // Trials weighted by observations on either side are not paired one for one: their
    // differences combine the two estimates' own uncertainties (conservative, as common random
    // numbers make the two estimates agree more than independent runs would).
    let unpaired = baseline.filter(|(_, b)| b.weighted || tally.weighted);
    let deadlines = shared
        .deadlines
        .iter()
        .enumerate()
        .map(|(k, &d)| {
            let id = &base.deadlines[d].id;
            let own = model.deadlines.iter().position(|x| &x.id == id);
            let made: u64 = own
                .and_then(|o| tally.deadline_made.get(o))
                .map_or(0, |m| m.iter().sum());
            let made = match own.and_then(|o| tally.deadline_sq.get(o)) {
                Some(&sq) if tally.weighted => {
                    Share::weighted(Weights { sum: made, sq }, tally.weight)
                }
                _ => Share::new(made, n),
            };
            let difference = match unpaired {
                Some((b, _)) => b
                    .deadlines
                    .get(k)
                    .map(|b| unpaired_difference(&made, &b.made)),
                None => paired.map(|p| p.probability_difference(d, n)),
            };
            DeadlineOutcome { made, difference }
        })
        .collect();
    let hist = compared_milestone(shared, base, model, tally);
    let mean_shift = match unpaired {
        Some((_, b)) => hist
            .zip(compared_milestone(shared, base, base, b))
            .and_then(|(h, b)| mean_difference(h, b)),
        None => shared
            .milestone
            .and(paired)
            .and_then(PairedCounts::time_difference),
    };
    VariantOutcome {
        name: variant.name.clone(),
        description: variant.description.clone(),
        deadlines,
        quantiles: QUANTILES.map(|p| hist.and_then(|h| h.quantile(p))),
        mean_shift,
    }
}

/// The arrivals of the compared milestone (the baseline's, matched by id) in `model`'s tally.
fn compared_milestone<'a>(
    shared: &Shared,
    base: &Model,
    model: &Model,
    tally: &'a Tally,
) -> Option<&'a TimeHistogram> {
    let id = &base.milestones[shared.milestone?].id;
    let own = model.milestones.iter().position(|m| &m.id == id)?;
    tally.milestones.get(own)
}

/// `a - b` for two estimates from different trials (or differently weighted ones), with the
/// 95% interval of independent errors: the half-widths added in quadrature.
fn unpaired_difference(a: &Share, b: &Share) -> Estimate {
    let half = |s: &Share| (s.ci95.1 - s.ci95.0) / 2.0;
    let d = a.fraction - b.fraction;
    let h = half(a).hypot(half(b));
    (d, (d - h, d + h))
}

/// The difference of two milestones' mean arrivals, seconds, with the interval of
/// [`unpaired_difference`].
fn mean_difference(a: &TimeHistogram, b: &TimeHistogram) -> Option<Estimate> {
    let (ma, (la, ha)) = (a.mean()?, a.mean_ci95()?);
    let (mb, (lb, hb)) = (b.mean()?, b.mean_ci95()?);
    let d = ma - mb;
    let h = ((ha - la) / 2.0).hypot((hb - lb) / 2.0);
    Some((d, (d - h, d + h)))
}
