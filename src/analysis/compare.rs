//! Comparing variants of a scenario (or several scenarios) on common random numbers: each
//! variant's deadline probabilities and arrival quantiles, and its paired differences from the
//! baseline, as numbers (instants in epoch seconds). `report::compare` presents them.

use super::Share;
use crate::engine::{self, PairedCounts, RunError, RunOptions, Tally};
use crate::load::Variant;
use crate::model::Model;

/// The quantiles of the compared milestone that a comparison reports (P10, P50, P90).
pub const QUANTILES: [f64; 3] = [0.1, 0.5, 0.9];

/// What a comparison found. Deadlines and the compared milestone are the baseline's (the
/// first variant's), indexed into its model.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub trials: u64,
    pub seed: u64,
    /// The milestone whose quantiles are compared (the baseline's final milestone).
    pub milestone: usize,
    pub variants: Vec<VariantOutcome>,
}

/// A number with its 95% interval.
pub type Estimate = (f64, (f64, f64));

#[derive(Debug, Clone)]
pub struct VariantOutcome {
    pub name: String,
    pub description: Option<String>,
    /// Per baseline deadline.
    pub deadlines: Vec<DeadlineOutcome>,
    /// The compared milestone's [`QUANTILES`] among the trials that reach it, epoch seconds.
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
    let milestone = base.final_milestone();
    let outcomes = variants
        .iter()
        .zip(&tallies)
        .enumerate()
        .map(|(v, (variant, tally))| {
            let paired: Option<&PairedCounts> = v.checked_sub(1).and_then(|i| pairs.get(i));
            outcome(variant, tally, paired, base, milestone)
        })
        .collect();
    let comparison = Comparison {
        trials: options.trials,
        seed: options.seed,
        milestone,
        variants: outcomes,
    };
    Ok((comparison, tallies))
}

fn outcome(
    variant: &Variant,
    tally: &Tally,
    paired: Option<&PairedCounts>,
    base: &Model,
    milestone: usize,
) -> VariantOutcome {
    let model = &variant.model;
    let n = tally.trials;
    let deadlines = base
        .deadlines
        .iter()
        .enumerate()
        .map(|(d, bd)| {
            let own = model.deadlines.iter().position(|x| x.id == bd.id);
            let made: u64 = own
                .and_then(|o| tally.deadline_made.get(o))
                .map_or(0, |m| m.iter().sum());
            DeadlineOutcome {
                made: Share::new(made, n),
                difference: paired.map(|p| p.probability_difference(d, n)),
            }
        })
        .collect();
    let id = &base.milestones[milestone].id;
    let hist = model
        .milestones
        .iter()
        .position(|m| &m.id == id)
        .and_then(|m| tally.milestones.get(m));
    VariantOutcome {
        name: variant.name.clone(),
        description: variant.description.clone(),
        deadlines,
        quantiles: QUANTILES.map(|p| hist.and_then(|h| h.quantile(p))),
        mean_shift: paired.and_then(PairedCounts::time_difference),
    }
}
