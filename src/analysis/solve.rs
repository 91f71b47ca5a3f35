//! Break-even search: the value of one parameter at which a deadline target (`P(d) >= p`) is just
//! met, by a coarse grid then bisection, with the Monte Carlo uncertainty of the answer.

use super::scale::Scale;
use crate::engine::{self, RunError, RunOptions};
use crate::model::Model;
use crate::quantity::Kind;

/// A target such as `P(plenary) >= 0.8`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub deadline: String,
    pub at_least: bool,
    pub probability: f64,
}

/// A target that does not read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    #[error("expected P(DEADLINE) >= 0.8 (or <=)")]
    Syntax,
    #[error("the probability must be between 0 and 1")]
    Probability,
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, TargetError> {
        let bad = || TargetError::Syntax;
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
            return Err(TargetError::Probability);
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

/// Why a deadline's probability could not be estimated.
#[derive(Debug, thiserror::Error)]
pub enum ProbabilityError {
    #[error("no deadline `{0}`")]
    NoDeadline(String),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Probability of making one deadline in one run of `model`, and its 95% interval.
pub fn deadline_probability(
    model: &Model,
    deadline: &str,
    options: &RunOptions,
) -> Result<(f64, (f64, f64)), ProbabilityError> {
    let d = model
        .deadlines
        .iter()
        .position(|d| d.id == deadline)
        .ok_or_else(|| ProbabilityError::NoDeadline(deadline.to_owned()))?;
    let tally = engine::run(model, options, None)?;
    // By weight when the model is conditioned on observations.
    Ok(tally.deadline_share(d))
}

/// The range searched when none is given: the whole day for a time of day, a week either side
/// for a date, a quarter to four times a positive current value, else 0 to 1.
pub fn default_range(scale: Scale, now: f64) -> (f64, f64) {
    match scale.kind {
        Kind::TimeOfDay => (0.0, 86_340.0),
        Kind::Date => (now - 7.0, now + 7.0),
        _ if now > 0.0 => (now / 4.0, now * 4.0),
        _ => (0.0, 1.0),
    }
}

/// What bisection found.
pub enum Solution {
    Everywhere {
        low: f64,
        high: f64,
    },
    Nowhere {
        low: f64,
        high: f64,
    },
    NotMonotone {
        points: Vec<(f64, f64)>,
    },
    Found {
        value: f64,
        uncertainty: f64,
        probability: f64,
        ci: (f64, f64),
        evaluations: usize,
        met_below: bool,
    },
}

/// Searches `low..=high` for where `target` starts or stops being met; `evaluate` gives the
/// probability (and its 95% interval) at a value. On a discrete scale (dates) only whole values
/// are evaluated and the answer is the whole value at the boundary. The answer's probability is
/// its own evaluation.
pub fn bisect<E>(
    low: f64,
    high: f64,
    target: &Target,
    scale: Scale,
    mut evaluate: impl FnMut(f64) -> Result<(f64, (f64, f64)), E>,
) -> Result<Solution, E> {
    // Whichever way round the bounds are given, the search runs upwards (so "met at and below"
    // means below).
    let (low, high) = (low.min(high), low.max(high));
    let (low, high) = if scale.discrete() {
        (low.ceil(), high.floor().max(low.ceil()))
    } else {
        (low, high)
    };
    // A coarse grid first, to see the shape before trusting bisection.
    let mut grid: Vec<f64> = (0..5)
        .map(|k| scale.snap(low + (high - low) * k as f64 / 4.0))
        .collect();
    grid.dedup();
    let mut points = Vec::new();
    for &x in &grid {
        points.push((x, evaluate(x)?));
    }
    let ps: Vec<f64> = points.iter().map(|(_, (p, _))| *p).collect();
    let rising = ps.windows(2).all(|w| w[1] >= w[0] - 1e-9);
    let falling = ps.windows(2).all(|w| w[1] <= w[0] + 1e-9);
    if !rising && !falling {
        return Ok(Solution::NotMonotone {
            points: points.iter().map(|(x, (p, _))| (*x, *p)).collect(),
        });
    }
    let met: Vec<bool> = ps.iter().map(|&p| target.met(p)).collect();
    if met.iter().all(|&m| m) {
        return Ok(Solution::Everywhere { low, high });
    }
    if met.iter().all(|&m| !m) {
        return Ok(Solution::Nowhere { low, high });
    }
    let k = met.windows(2).position(|w| w[0] != w[1]).unwrap_or(0);
    // The bracket, each end with its own estimate: `a` on the side that is like the grid's
    // start, `b` on the other.
    let (mut a, mut b) = (points[k], points[k + 1]);
    let a_met = met[k];
    let resolution = match scale.kind {
        Kind::TimeOfDay | Kind::Duration => 60.0,
        Kind::Date => 1.0,
        _ => (high - low).abs() * 1e-4,
    };
    let mut evaluations = points.len();
    while (b.0 - a.0).abs() > resolution && evaluations < 60 {
        let mid = if scale.discrete() {
            ((a.0 + b.0) / 2.0).floor()
        } else {
            scale.snap((a.0 + b.0) / 2.0)
        };
        if mid == a.0 || mid == b.0 {
            break;
        }
        let r = evaluate(mid)?;
        evaluations += 1;
        if target.met(r.0) == a_met {
            a = (mid, r);
        } else {
            b = (mid, r);
        }
    }
    let (value, (probability, ci)) = if a_met { a } else { b };
    // Monte Carlo uncertainty of the break-even: the probability's interval half-width divided by
    // the curve's slope near it (from the bracketing grid points).
    let slope = ((points[k + 1].1.0 - points[k].1.0) / (points[k + 1].0 - points[k].0)).abs();
    let half = (ci.1 - ci.0) / 2.0;
    let uncertainty = if slope > 0.0 {
        (half / slope).max(resolution / 2.0)
    } else {
        f64::INFINITY
    };
    Ok(Solution::Found {
        value,
        uncertainty,
        probability,
        ci,
        evaluations,
        met_below: a_met,
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
}
