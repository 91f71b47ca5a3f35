//! Paired runs for what-if analysis: several variants of a scenario run trial by trial on common
//! random numbers (the same seed, chunk and input names give the same draws), so differences
//! between variants come from the change, and paired intervals are narrow where variants agree.

use super::{RunError, RunOptions, Tally, Workspace, check_representable, run_batches};
use crate::model::Model;
use crate::stats::interval::half_width95;

/// How variant `v` differs from the baseline (model 0), counted per trial.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairedCounts {
    /// Per baseline deadline: trials that make it in the variant but not in the baseline.
    pub gained: Vec<u64>,
    /// Per baseline deadline: trials that make it in the baseline but not in the variant.
    pub lost: Vec<u64>,
    /// Trials where both reach the final milestone, and the sums of the variant-minus-baseline
    /// arrival differences (milliseconds) and of their squares (seconds squared).
    pub both_reached: u64,
    pub sum_diff_ms: i128,
    pub sum_diff_sq_s: i128,
}

impl PairedCounts {
    fn merge(&mut self, other: &PairedCounts) {
        self.gained
            .iter_mut()
            .zip(&other.gained)
            .for_each(|(a, b)| *a += b);
        self.lost
            .iter_mut()
            .zip(&other.lost)
            .for_each(|(a, b)| *a += b);
        self.both_reached += other.both_reached;
        self.sum_diff_ms += other.sum_diff_ms;
        self.sum_diff_sq_s += other.sum_diff_sq_s;
    }

    /// The paired difference in P(deadline `d`) (variant minus baseline) and its 95% interval.
    pub fn probability_difference(&self, d: usize, trials: u64) -> (f64, (f64, f64)) {
        let n = trials as f64;
        let gained = self.gained.get(d).copied().unwrap_or(0) as f64;
        let lost = self.lost.get(d).copied().unwrap_or(0) as f64;
        let diff = (gained - lost) / n;
        // Per-trial differences are +1, -1 or 0: their variance is (gained + lost)/n - diff^2.
        let var = ((gained + lost) / n - diff * diff).max(0.0) * n / (n - 1.0).max(1.0);
        let half = half_width95(var.sqrt(), n);
        (diff, (diff - half, diff + half))
    }

    /// The mean paired difference in the final milestone's arrival, seconds, with its interval.
    pub fn time_difference(&self) -> Option<(f64, (f64, f64))> {
        if self.both_reached < 2 {
            return None;
        }
        let n = self.both_reached as f64;
        let mean = self.sum_diff_ms as f64 / 1000.0 / n;
        let var = ((self.sum_diff_sq_s as f64 - n * mean * mean) / (n - 1.0)).max(0.0);
        let half = half_width95(var.sqrt(), n);
        Some((mean, (mean - half, mean + half)))
    }
}

/// Where each baseline deadline and the final milestone are found in a variant (matched by id).
struct Matching {
    deadlines: Vec<Option<usize>>,
    final_milestone: Option<usize>,
}

/// Runs every model on the same random numbers. Returns each model's tally and, for each model
/// after the first, its paired differences from the first.
pub fn run_paired(
    models: &[&Model],
    options: &RunOptions,
) -> Result<(Vec<Tally>, Vec<PairedCounts>), RunError> {
    let Some(base) = models.first() else {
        return Ok((Vec::new(), Vec::new()));
    };
    for model in models {
        super::check_sampling(model, options).map_err(RunError::Sampling)?;
    }
    let base_final = base.final_milestone();
    let matching: Vec<Matching> = models
        .iter()
        .map(|m| Matching {
            deadlines: base
                .deadlines
                .iter()
                .map(|d| m.deadlines.iter().position(|e| e.id == d.id))
                .collect(),
            final_milestone: m
                .milestones
                .iter()
                .position(|x| x.id == base.milestones[base_final].id),
        })
        .collect();
    let empty_counts = || PairedCounts {
        gained: vec![0; base.deadlines.len()],
        lost: vec![0; base.deadlines.len()],
        ..PairedCounts::default()
    };
    let mut tallies: Vec<Tally> = models.iter().map(|m| Tally::new(m, options)).collect();
    let mut pairs: Vec<PairedCounts> = (1..models.len()).map(|_| empty_counts()).collect();
    run_batches(
        options,
        256,
        || {
            models
                .iter()
                .map(|m| Workspace::with_sampling(m, options.sampling))
                .collect::<Vec<_>>()
        },
        || {
            (
                models
                    .iter()
                    .map(|m| Tally::new(m, options))
                    .collect::<Vec<_>>(),
                (1..models.len())
                    .map(|_| empty_counts())
                    .collect::<Vec<_>>(),
            )
        },
        |spaces, (tallies, pairs), chunk, len| {
            for ((model, ws), tally) in models.iter().zip(spaces.iter_mut()).zip(tallies.iter_mut())
            {
                ws.simulate(model, options.seed, chunk, len);
                tally.add(model, ws);
            }
            let Some((base_ws, others)) = spaces.split_first() else {
                return;
            };
            for ((ws, counts), (model, matching)) in others
                .iter()
                .zip(pairs.iter_mut())
                .zip(models.iter().zip(&matching).skip(1))
            {
                compare_chunk(base, base_ws, model, ws, matching, counts);
            }
        },
        |workers| {
            for (worker_tallies, worker_pairs) in workers.iter_mut() {
                for (total, tally) in tallies.iter_mut().zip(worker_tallies) {
                    total.absorb(tally);
                }
                for (total, counts) in pairs.iter_mut().zip(worker_pairs) {
                    total.merge(counts);
                    *counts = empty_counts();
                }
            }
            Ok(super::Batch::Continue)
        },
    )?;
    for (tally, model) in tallies.iter_mut().zip(models) {
        tally.finish(model);
        check_representable(model, tally)?;
    }
    Ok((tallies, pairs))
}

fn compare_chunk(
    base: &Model,
    base_ws: &Workspace,
    model: &Model,
    ws: &Workspace,
    matching: &Matching,
    counts: &mut PairedCounts,
) {
    let n = ws.len.min(base_ws.len);
    for (d, (deadline, other)) in base.deadlines.iter().zip(&matching.deadlines).enumerate() {
        let Some(other) = other.and_then(|o| model.deadlines.get(o)) else {
            continue;
        };
        let (tb, tv) = (
            &base_ws.times[deadline.milestone],
            &ws.times[other.milestone],
        );
        let (rb, rv) = (&base_ws.route, &ws.route);
        for i in 0..n {
            let (lb, lv) = (
                deadline.limit(|m| base_ws.times[m][i]),
                other.limit(|m| ws.times[m][i]),
            );
            let (made_base, made_variant) = (
                deadline.made(tb[i], lb, rb[i], |f| base_ws.branches[f][i]),
                other.made(tv[i], lv, rv[i], |f| ws.branches[f][i]),
            );
            match (made_base, made_variant) {
                (false, true) => counts.gained[d] += 1,
                (true, false) => counts.lost[d] += 1,
                _ => {}
            }
        }
    }
    if let Some(m) = matching.final_milestone {
        let (tb, tv) = (&base_ws.times[base.final_milestone()], &ws.times[m]);
        for i in 0..n {
            let diff = tv[i] - tb[i];
            if diff.is_finite() {
                counts.both_reached += 1;
                counts.sum_diff_ms += (diff * 1000.0).round() as i128;
                let s = diff.round() as i128;
                counts.sum_diff_sq_s += s * s;
            }
        }
    }
}
