//! How forks read in words: a fork's branches with the conditions and chances that choose them
//! (for `eta check`), and a branch's `fork.branch` name (for steps and deadlines).

use crate::format::{format_quantity, trim_number};
use crate::model::{BranchProbability, Model, NotBefore, StepDuration, Test};
use crate::quantity::Kind;
use crate::time::rfc3339;
use std::fmt::Write;

/// `fork.branch` for a step's or deadline's branch.
pub fn branch_name(model: &Model, (f, b): (usize, u8)) -> String {
    let fork = &model.forks[f];
    format!("{}.{}", fork.name, fork.branches[usize::from(b)].name)
}

/// One block per fork: where it is decided, then each branch and what sends a trial there.
pub fn outline(model: &Model) -> String {
    let mut out = String::new();
    if model.forks.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nForks (each trial that reaches the milestone takes the first branch that applies)"
    );
    for fork in &model.forks {
        let at = &model.milestones[fork.at];
        let _ = write!(out, "  {} at {}", fork.name, at.id);
        if let Some(d) = &fork.description {
            let _ = write!(out, "  {d}");
        }
        out.push('\n');
        for b in &fork.branches {
            let when = b.when.map(|t| format!("if {}", test(model, fork.at, t)));
            let chance = b.probability.map(|p| match p {
                BranchProbability::Fixed(p) => format!("with probability {}", percent(p)),
                BranchProbability::Given {
                    when,
                    then,
                    otherwise,
                } => format!(
                    "with probability {} if {}, else {}",
                    percent(then),
                    test(model, fork.at, when),
                    percent(otherwise)
                ),
            });
            let rule = match (when, chance) {
                (None, None) => "otherwise".to_owned(),
                (Some(w), None) => w,
                (None, Some(c)) => c,
                (Some(w), Some(c)) => format!("{w}, {c}"),
            };
            let _ = writeln!(out, "    {:12} {rule}", b.name);
        }
    }
    out
}

fn percent(p: f64) -> String {
    format!("{}%", trim_number(p * 100.0))
}

fn test(model: &Model, at: usize, t: Test) -> String {
    let zone = &model.milestones[at].zone;
    let time = |when: NotBefore| match when {
        NotBefore::TimeOfDay(s) => format!(
            "{} local ({})",
            format_quantity(Kind::TimeOfDay, s),
            zone.name
        ),
        NotBefore::Instant(s) => format!("{} {}", rfc3339(s, zone), zone.name),
    };
    match t {
        Test::ReachedBefore(w) => format!("reached before {}", time(w)),
        Test::ReachedAfter(w) => format!("reached at or after {}", time(w)),
        Test::LaterThan { milestone, by } => format!(
            "reached more than {} after {}",
            format_quantity(Kind::Duration, by),
            model.milestones[milestone].id
        ),
        Test::Route(r) => format!("on route {}", model.routes[r].name),
        Test::Input(k) => format!("{} came out 1", model.inputs[k].name),
        Test::Event(e) => {
            let step = model
                .steps
                .iter()
                .filter(|s| matches!(s.duration, StepDuration::Chance { .. }))
                .nth(e);
            format!(
                "delay `{}` happened",
                step.and_then(|s| s.label.as_deref()).unwrap_or("?")
            )
        }
    }
}
