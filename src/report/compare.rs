//! What a person or a program reads of a comparison: [`CompareReport`] is the public contract
//! of `compare.json` (times as RFC 3339 in the display zone, shifts in hours), [`render`] the
//! console text. [`crate::analysis::compare`] computes every number.

use crate::analysis::Share;
use crate::analysis::compare::{Comparison, DeadlineOutcome, Estimate};
use crate::format::{format_duration, percent_with_ci, thousands};
use crate::model::{Model, Zone};
use crate::time::{local_short, rfc3339};
use serde::Serialize;
use std::fmt::Write as _;

/// The public contract of `compare.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub trials: u64,
    pub seed: u64,
    /// The milestone whose P10/P50/P90 are compared (the baseline's final milestone; absent
    /// when not every scenario compared defines it).
    pub milestone: Option<String>,
    pub display_zone: String,
    pub variants: Vec<VariantReport>,
    /// What some of the scenarios compared define but not all, and so is not compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantReport {
    pub name: String,
    pub description: Option<String>,
    pub deadlines: Vec<DeadlineReport>,
    pub p10: Option<String>,
    pub p50: Option<String>,
    pub p90: Option<String>,
    /// Mean paired shift of the milestone against the baseline (trials where both reach it), hours.
    pub mean_shift_hours: Option<f64>,
    pub mean_shift_ci95: Option<[f64; 2]>,
}

/// A deadline's probability in one variant (or sweep point), as `compare.json` and
/// `sweep.json` write it.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineReport {
    pub id: String,
    pub name: String,
    pub probability: f64,
    pub ci95: [f64; 2],
    /// Paired difference from the baseline (absent for the baseline itself).
    pub difference: Option<f64>,
    pub difference_ci95: Option<[f64; 2]>,
}

impl DeadlineReport {
    /// Deadline `d` of `base`, made in `made` trials, with its paired difference if any.
    pub fn new(base: &Model, d: usize, made: Share, difference: Option<Estimate>) -> Self {
        let deadline = &base.deadlines[d];
        DeadlineReport {
            id: deadline.id.clone(),
            name: deadline.label.clone(),
            probability: made.fraction,
            ci95: [made.ci95.0, made.ci95.1],
            difference: difference.map(|d| d.0),
            difference_ci95: difference.map(|(_, (a, b))| [a, b]),
        }
    }
}

/// The instants `quantiles` (epoch seconds) as RFC 3339 in `zone`.
pub fn instants(quantiles: [Option<f64>; 3], zone: &Zone) -> [Option<String>; 3] {
    quantiles.map(|t| t.map(|t| rfc3339(t, zone)))
}

/// What is left out of a comparison, one line each: "deadline `x` (only in a, b)".
pub fn not_compared(c: &Comparison, models: &[&Model]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (v, left) in c.shared.left_out.iter().enumerate() {
        for &d in left {
            let id = models[v].deadlines[d].id.as_str();
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let owners: Vec<&str> = c
                .variants
                .iter()
                .zip(models)
                .filter(|(_, m)| m.deadlines.iter().any(|x| x.id == id))
                .map(|(o, _)| o.name.as_str())
                .collect();
            lines.push(format!("deadline `{id}` (only in {})", owners.join(", ")));
        }
    }
    if c.shared.milestone.is_none()
        && let Some(base) = models.first()
    {
        let id = &base.milestones[base.final_milestone()].id;
        let missing: Vec<&str> = c
            .variants
            .iter()
            .zip(models)
            .filter(|(_, m)| !m.milestones.iter().any(|x| &x.id == id))
            .map(|(o, _)| o.name.as_str())
            .collect();
        lines.push(format!(
            "milestone `{id}`, the baseline's last (not in {})",
            missing.join(", ")
        ));
    }
    lines
}

impl CompareReport {
    /// `models` are the variants' (the first is the baseline: the comparison's deadlines and
    /// milestone are its).
    pub fn new(c: &Comparison, models: &[&Model], zone: &Zone) -> CompareReport {
        let base = models[0];
        let variants = c
            .variants
            .iter()
            .map(|v| {
                let [p10, p50, p90] = instants(v.quantiles, zone);
                VariantReport {
                    name: v.name.clone(),
                    description: v.description.clone(),
                    deadlines: c
                        .shared
                        .deadlines
                        .iter()
                        .zip(&v.deadlines)
                        .map(|(&d, o): (&usize, &DeadlineOutcome)| {
                            DeadlineReport::new(base, d, o.made, o.difference)
                        })
                        .collect(),
                    p10,
                    p50,
                    p90,
                    mean_shift_hours: v.mean_shift.map(|s| s.0 / 3600.0),
                    mean_shift_ci95: v.mean_shift.map(|(_, (a, b))| [a / 3600.0, b / 3600.0]),
                }
            })
            .collect();
        CompareReport {
            trials: c.trials,
            seed: c.seed,
            milestone: c.shared.milestone.map(|m| base.milestones[m].id.clone()),
            display_zone: zone.name.clone(),
            variants,
            not_compared: not_compared(c, models),
        }
    }
}

/// The comparison as console text; `models` as for [`CompareReport::new`].
pub fn render(c: &Comparison, models: &[&Model], zone: &Zone) -> String {
    let base = models[0];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} trials per variant · seed {} · common random numbers",
        base.name,
        thousands(c.trials),
        c.seed
    );
    let _ = writeln!(
        out,
        "Differences are paired, per trial, against the baseline; [..] are 95% intervals.\n"
    );
    for (k, &d) in c.shared.deadlines.iter().enumerate() {
        let deadline = &base.deadlines[d];
        let _ = writeln!(out, "P({}) — {}", deadline.id, deadline.label);
        for v in &c.variants {
            let Some(o) = v.deadlines.get(k) else {
                continue;
            };
            let diff = match o.difference {
                Some((x, (lo, hi))) => format!(
                    "  change {:+.2} points [{:+.2}, {:+.2}]",
                    x * 100.0,
                    lo * 100.0,
                    hi * 100.0
                ),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:28} {}{diff}",
                v.name,
                percent_with_ci(o.made.fraction, [o.made.ci95.0, o.made.ci95.1])
            );
        }
    }
    if let Some(m) = c.shared.milestone {
        milestone_lines(&mut out, c, &base.milestones[m].label, zone);
    }
    for v in c.variants.iter().filter(|v| v.description.is_some()) {
        let _ = writeln!(
            out,
            "  {}: {}",
            v.name,
            v.description.as_deref().unwrap_or("")
        );
    }
    let left_out = not_compared(c, models);
    if !left_out.is_empty() {
        let _ = writeln!(out, "\nNot compared (not in every scenario):");
        for line in left_out {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push('\n');
    out
}

/// The compared milestone's quantiles and mean shift, one line a variant.
fn milestone_lines(out: &mut String, c: &Comparison, label: &str, zone: &Zone) {
    let _ = writeln!(
        out,
        "\n\"{label}\" reached (P10 / P50 / P90, {zone}), mean shift vs baseline",
        zone = zone.name
    );
    for v in &c.variants {
        let q = v
            .quantiles
            .map(|t| t.map_or("n/a".into(), |t| local_short(t, zone)));
        let shift = match v.mean_shift {
            Some((s, (lo, hi))) => format!(
                "  {}{} [{}, {}]",
                if s >= 0.0 { "+" } else { "" },
                format_duration(s),
                format_duration(lo),
                format_duration(hi)
            ),
            None => String::new(),
        };
        let _ = writeln!(out, "  {:28} {} / {} / {}{shift}", v.name, q[0], q[1], q[2]);
    }
}
