//! Comparing variants of a scenario (or several scenarios) on common random numbers: each
//! variant's deadline probabilities and quantiles, and its paired differences from the baseline.

use crate::engine::{self, PairedCounts, RunError, RunOptions, Tally};
use crate::load::Variant;
use crate::model::Model;
use crate::stats::wilson95;
use crate::time::rfc3339;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub trials: u64,
    pub seed: u64,
    /// The milestone whose P10/P50/P90 are compared (the baseline's final milestone).
    pub milestone: String,
    pub display_zone: String,
    pub variants: Vec<VariantOutcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantOutcome {
    pub name: String,
    pub description: Option<String>,
    pub deadlines: Vec<DeadlineOutcome>,
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
    /// Mean paired shift of the milestone against the baseline (trials where both reach it), hours.
    pub mean_shift_hours: Option<f64>,
    pub mean_shift_ci95: Option<[f64; 2]>,
    #[serde(skip)]
    pub seconds: [Option<f64>; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineOutcome {
    pub id: String,
    pub name: String,
    pub probability: f64,
    pub ci95: [f64; 2],
    /// Paired difference from the baseline (absent for the baseline itself).
    pub difference: Option<f64>,
    pub difference_ci95: Option<[f64; 2]>,
}

/// Runs the variants (the first is the baseline) on common random numbers.
pub fn compare(
    variants: &[Variant],
    options: &RunOptions,
    zone: &crate::model::Zone,
) -> Result<(Comparison, Vec<Tally>), RunError> {
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let (tallies, pairs) = engine::run_paired(&models, options)?;
    let base = &variants[0].model;
    let final_id = base.milestones[base.final_milestone()].id.clone();
    let outcomes = variants
        .iter()
        .zip(&tallies)
        .enumerate()
        .map(|(v, (variant, tally))| {
            let paired: Option<&PairedCounts> = v.checked_sub(1).and_then(|i| pairs.get(i));
            outcome(variant, tally, paired, base, &final_id, zone)
        })
        .collect();
    let comparison = Comparison {
        trials: options.trials,
        seed: options.seed,
        milestone: final_id,
        display_zone: zone.name.clone(),
        variants: outcomes,
    };
    Ok((comparison, tallies))
}

fn outcome(
    variant: &Variant,
    tally: &Tally,
    paired: Option<&PairedCounts>,
    base: &Model,
    final_id: &str,
    zone: &crate::model::Zone,
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
            let (lo, hi) = wilson95(made, n);
            let diff = paired.map(|p| p.probability_difference(d, n));
            DeadlineOutcome {
                id: bd.id.clone(),
                name: bd.label.clone(),
                probability: made as f64 / n as f64,
                ci95: [lo, hi],
                difference: diff.map(|d| d.0),
                difference_ci95: diff.map(|(_, (a, b))| [a, b]),
            }
        })
        .collect();
    let hist = model
        .milestones
        .iter()
        .position(|m| m.id == final_id)
        .and_then(|m| tally.milestones.get(m));
    let q = |p: f64| hist.and_then(|h| h.quantile(p));
    let seconds = [q(0.1), q(0.5), q(0.9)];
    let shift = paired.and_then(PairedCounts::time_difference);
    VariantOutcome {
        name: variant.name.clone(),
        description: variant.description.clone(),
        deadlines,
        p10: seconds[0].map(|t| rfc3339(t, zone)),
        p50: seconds[1].map(|t| rfc3339(t, zone)),
        p90: seconds[2].map(|t| rfc3339(t, zone)),
        mean_shift_hours: shift.map(|s| s.0 / 3600.0),
        mean_shift_ci95: shift.map(|(_, (a, b))| [a / 3600.0, b / 3600.0]),
        seconds,
    }
}
