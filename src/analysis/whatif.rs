//! What-if analysis: variants of a scenario compared on common random numbers, sweeps of one
//! parameter, and the break-even value of a parameter for a deadline target.

use crate::engine::{self, PairedCounts, RunError, RunOptions, Tally};
use crate::format;
use crate::model::Model;
use crate::quantity::{self, Kind};
use crate::scenario::Source;
use crate::scenario::overrides::{self, Override};
use crate::stats::wilson95;
use crate::time::rfc3339;
use serde::Serialize;

/// One scenario variant ready to run.
pub struct Variant {
    pub name: String,
    pub description: Option<String>,
    pub source: Source,
    pub model: Model,
}

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

/// Builds a variant of `source` with `overrides` applied; errors are rendered diagnostics.
pub fn variant(
    source: &Source,
    name: &str,
    description: Option<String>,
    overrides: &[Override],
) -> Result<Variant, VariantError> {
    let edited = overrides::apply(source, overrides).map_err(VariantError::Override)?;
    let raw = edited
        .parse()
        .map_err(|d| VariantError::Scenario(Box::new((d, edited.clone()))))?;
    let model = crate::model::compile(&raw)
        .map_err(|d| VariantError::Scenario(Box::new((d, edited.clone()))))?;
    Ok(Variant {
        name: name.to_owned(),
        description,
        source: edited,
        model,
    })
}

#[derive(Debug)]
pub enum VariantError {
    /// The override itself is wrong (names nothing, bad syntax): a usage-level message.
    Override(String),
    /// The overridden scenario is invalid: a diagnostic against the edited text.
    Scenario(Box<(crate::diag::Diagnostic, Source)>),
}

/// A parameter value on a numeric scale, so sweeps can be plotted and break-evens bisected:
/// durations, times of day, dates, distances, speeds in base units, plain numbers as they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub kind: Kind,
}

impl Scale {
    /// Reads a parameter value: a number, or a quantity string.
    pub fn read(text: &str) -> Option<(Scale, f64)> {
        let t = text.trim().trim_matches('"');
        if let Ok(v) = t.parse::<f64>() {
            return Some((Scale { kind: Kind::Number }, v));
        }
        quantity::parse_literal(t)
            .ok()
            .map(|(kind, v)| (Scale { kind }, v))
    }

    /// Writes a value back in a form the scenario reads (to the second for times).
    pub fn write(self, v: f64) -> String {
        match self.kind {
            Kind::Number => format::trim_number(v),
            Kind::Duration => format!("{} s", v.round()),
            Kind::Distance => format!("{} km", format::trim_number(v)),
            Kind::Speed => format!("{} km/h", format::trim_number(v)),
            Kind::Date => format::format_quantity(Kind::Date, v.round()),
            Kind::TimeOfDay => {
                let s = v.round().clamp(0.0, 86_399.0) as i64;
                format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
            }
        }
    }

    /// A value for people: "1h 30m", "06:30", "45 km/h", "0.25".
    pub fn show(self, v: f64) -> String {
        format::format_quantity(self.kind, v)
    }
}

/// Probability of making one deadline in one run of `model`.
pub fn deadline_probability(
    model: &Model,
    deadline: &str,
    options: &RunOptions,
) -> Result<(f64, (f64, f64)), String> {
    let d = model
        .deadlines
        .iter()
        .position(|d| d.id == deadline)
        .ok_or_else(|| format!("no deadline `{deadline}`"))?;
    let tally = engine::run(model, options, None).map_err(|e| e.to_string())?;
    let made: u64 = tally.deadline_made[d].iter().sum();
    Ok((
        made as f64 / tally.trials as f64,
        wilson95(made, tally.trials),
    ))
}

/// A target such as `P(plenary) >= 0.8`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub deadline: String,
    pub at_least: bool,
    pub probability: f64,
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, String> {
        let bad = || format!("--target {text}: expected P(DEADLINE) >= 0.8 (or <=)");
        let t = text.replace(' ', "");
        let rest = t.strip_prefix("P(").ok_or_else(bad)?;
        let (deadline, rest) = rest.split_once(')').ok_or_else(bad)?;
        let (at_least, number) = if let Some(n) = rest.strip_prefix(">=") {
            (true, n)
        } else if let Some(n) = rest.strip_prefix("<=") {
            (false, n)
        } else {
            return Err(bad());
        };
        let probability: f64 = number.trim_end_matches('%').parse().map_err(|_| bad())?;
        let probability = if number.ends_with('%') {
            probability / 100.0
        } else {
            probability
        };
        if !(0.0..=1.0).contains(&probability) {
            return Err(format!(
                "--target {text}: the probability must be between 0 and 1"
            ));
        }
        Ok(Target {
            deadline: deadline.to_owned(),
            at_least,
            probability,
        })
    }

    pub fn met(&self, p: f64) -> bool {
        if self.at_least {
            p >= self.probability
        } else {
            p <= self.probability
        }
    }
}

/// Where the probability curve crosses `level`, by linear interpolation between sweep points.
pub fn crossing(series: &[(f64, f64, [f64; 2])], level: f64) -> Option<f64> {
    series.windows(2).find_map(|w| {
        let ((x0, p0, _), (x1, p1, _)) = (w[0], w[1]);
        ((p0 - level) * (p1 - level) <= 0.0 && p0 != p1)
            .then(|| x0 + (level - p0) * (x1 - x0) / (p1 - p0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        let t = Target::parse("P(plenary) >= 0.8").unwrap();
        assert_eq!(
            t,
            Target {
                deadline: "plenary".into(),
                at_least: true,
                probability: 0.8
            }
        );
        assert_eq!(Target::parse("P(x)>=80%").unwrap().probability, 0.8);
        assert!(Target::parse("plenary >= 0.8").is_err());
        assert!(Target::parse("P(x) >= 1.5").is_err());
    }

    #[test]
    fn scales_round_trip() {
        let (s, v) = Scale::read("06:30").unwrap();
        assert_eq!((s.kind, v), (Kind::TimeOfDay, 23_400.0));
        assert_eq!(s.write(v), "06:30:00");
        let (s, v) = Scale::read("\"1h30m\"").unwrap();
        assert_eq!(Scale::read(&s.write(v)).unwrap().1, v);
        assert_eq!(Scale::read("0.25").unwrap().1, 0.25);
    }
}
