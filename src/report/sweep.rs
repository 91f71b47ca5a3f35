//! What a person or a program reads of a sweep: [`SweepReport`] is the public contract of
//! `sweep.json`, [`render`] the console text (each point's probabilities and the 50%/80%
//! crossings). [`crate::analysis::sweep`] computes every number.

use super::compare::{DeadlineReport, instants};
use crate::analysis::sweep::Sweep;
use crate::format::{percent, percent_with_ci, thousands};
use crate::model::{Model, Zone};
use serde::Serialize;
use std::fmt::Write as _;

/// The public contract of `sweep.json`.
#[derive(Debug, Serialize)]
pub struct SweepReport {
    pub param: String,
    pub trials: u64,
    pub seed: u64,
    pub points: Vec<PointReport>,
}

#[derive(Debug, Serialize)]
pub struct PointReport {
    pub value: String,
    pub x: Option<f64>,
    pub deadlines: Vec<DeadlineReport>,
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
}

impl SweepReport {
    /// `base` is the first point's model (the sweep's deadlines are its).
    pub fn new(param: &str, sweep: &Sweep, base: &Model, zone: &Zone) -> SweepReport {
        SweepReport {
            param: param.to_owned(),
            trials: sweep.trials,
            seed: sweep.seed,
            points: sweep
                .points
                .iter()
                .map(|p| {
                    let [p10, p50, p90] = instants(p.quantiles, zone);
                    PointReport {
                        value: p.value.clone(),
                        x: p.x,
                        deadlines: sweep
                            .deadlines
                            .iter()
                            .zip(&p.deadlines)
                            .map(|(&d, made)| DeadlineReport::new(base, d, *made, None))
                            .collect(),
                        p10,
                        p50,
                        p90,
                    }
                })
                .collect(),
        }
    }
}

/// The sweep as console text (without the files written).
pub fn render(param: &str, sweep: &Sweep, base: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · sweep of {param} · {} trials per point · seed {} · common random numbers\n",
        base.name,
        thousands(sweep.trials),
        sweep.seed
    );
    for (k, &d) in sweep.deadlines.iter().enumerate() {
        let deadline = &base.deadlines[d];
        let _ = writeln!(out, "P({}) — {}", deadline.id, deadline.label);
        for p in &sweep.points {
            if let Some(o) = p.deadlines.get(k) {
                let _ = writeln!(
                    out,
                    "  {param} = {:16} {}",
                    p.value,
                    percent_with_ci(o.fraction, [o.ci95.0, o.ci95.1])
                );
            }
        }
    }
    if let Some(curve) = &sweep.curve {
        for (level, x) in curve.crossings {
            let _ = match x {
                Some(x) if curve.scale.discrete() => writeln!(
                    out,
                    "P crosses {} between {param} = {} and {}",
                    percent(level, 0),
                    curve.scale.show(x.between.0),
                    curve.scale.show(x.between.1)
                ),
                Some(x) => writeln!(
                    out,
                    "P crosses {} at {param} ≈ {}",
                    percent(level, 0),
                    curve.scale.show(x.at)
                ),
                None => writeln!(
                    out,
                    "P does not cross {} in the swept range",
                    percent(level, 0)
                ),
            };
        }
    }
    out
}
