//! Whether a conditioned run's observations fit any trial at all. When none does, the error
//! names the observations in conflict: one that no trial fits even alone (with the range the
//! trials reached its milestone in), or, when each fits some trials, all of them together.

use crate::engine::Tally;
use crate::model::Model;
use crate::model::observed::Factor;
use crate::time::local_with_offset;

/// Why a run's observations leave no trial with any weight.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Incompatible {
    pub message: String,
}

/// Checks that some trial is compatible with every observation.
pub fn check(model: &Model, tally: &Tally) -> Result<(), Incompatible> {
    if !tally.weighted || tally.weight.sum > 0 {
        return Ok(());
    }
    let given = &model.given;
    let factors = given.factors();
    let described = given.describe(model);
    let alone: Vec<String> = factors
        .iter()
        .zip(&tally.compatibility)
        .zip(&described)
        .filter(|((_, c), _)| c.compatible == 0)
        .map(|((f, c), described)| match f {
            Factor::Milestone(o) if c.earliest <= c.latest => {
                let zone = &o.zone;
                format!(
                    "`{described}`: the {} trials reach {} between {} and {}",
                    crate::format::thousands(tally.trials),
                    model.milestones[o.milestone].label,
                    local_with_offset(c.earliest, zone),
                    local_with_offset(c.latest, zone)
                )
            }
            Factor::Milestone(o) => format!(
                "`{described}`: no trial reaches {}",
                model.milestones[o.milestone].label
            ),
            _ => format!("`{described}`"),
        })
        .collect();
    let message = if alone.is_empty() {
        format!(
            "no trial of {} is compatible with all the observations at once ({}), though each \
             alone fits some: check them against each other, or widen one with `within`",
            crate::format::thousands(tally.trials),
            described
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!(
            "no trial of {} is compatible with the observations: {}. Check the time and its \
             zone, widen the observation with `within`, or revise the model if it truly cannot \
             produce what was seen",
            crate::format::thousands(tally.trials),
            alone.join("; ")
        )
    };
    Err(Incompatible { message })
}
