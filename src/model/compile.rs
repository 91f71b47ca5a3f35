//! Turns a parsed scenario into a [`Model`], checking everything a trial will rely on and
//! reporting the first problem at the text that causes it.

use super::*;
use crate::diag::Diagnostic;
use crate::distribution::metalog::{self, MetalogError};
use crate::distribution::{Component, Family, ParamError};
use crate::format;
use crate::quantity::{self, Kind, Unit};
use crate::random::stream_id;
use crate::scenario::raw::{
    RawDeadline, RawDist, RawMilestone, RawOperand, RawRoute, RawScenario, RawStep,
};
use crate::time::local_day;
use std::collections::HashMap;
use std::ops::Range;
use toml::{Spanned, Value};

type Result<T> = std::result::Result<T, Diagnostic>;

/// Most trials a scenario may ask for by default (the command line has its own limit).
pub const MAX_TRIALS: i64 = 10_000_000_000;
/// Size limits. Each input, milestone and delay step takes a column of 2,048 values per worker
/// thread, and each milestone a histogram per route, so these bound a run's memory.
const MAX_INPUTS: usize = 10_000;
const MAX_STEPS: usize = 100_000;
const MAX_MILESTONES: usize = 2_000;
const MAX_DELAYS: usize = 10_000;
/// The engine stores a trial's route in a byte.
const MAX_ROUTES: usize = 100;
/// Seconds in 20,000 years: no duration this long can end inside jiff's years -9999 to 9999.
const MAX_DURATION: f64 = 20_000.0 * 365.25 * 86_400.0;

const FAMILIES: &[&str] = &[
    "fixed",
    "uniform",
    "normal",
    "lognormal",
    "triangular",
    "pert",
    "beta",
    "exponential",
    "gamma",
    "weibull",
    "bernoulli",
    "choice",
    "empirical",
    "mixture",
    "metalog",
];

/// Most quantiles a metalog may be given (a hand-written list; nine terms need nine at most).
const MAX_QUANTILES: usize = 100;

pub fn compile(raw: &RawScenario) -> Result<Model> {
    let meta = raw.scenario.get_ref();
    let display_zone = zone(&meta.zone)?;
    let default_trials = match &meta.trials {
        Some(t) if !(1..=MAX_TRIALS).contains(t.get_ref()) => {
            return Err(Diagnostic::at(
                format!("trials must be between 1 and {MAX_TRIALS}"),
                t.span(),
                "out of range",
            ));
        }
        Some(t) => *t.get_ref() as u64,
        None => 1_000_000,
    };
    let default_seed = match &meta.seed {
        Some(s) if *s.get_ref() < 0 => {
            return Err(Diagnostic::at(
                "seed must be 0 or more",
                s.span(),
                "negative",
            ));
        }
        Some(s) => *s.get_ref() as u64,
        None => 0,
    };
    if meta.name.get_ref().trim().is_empty() {
        return Err(Diagnostic::at(
            "the scenario needs a name",
            meta.name.span(),
            "empty",
        ));
    }

    let mut c = Compiler {
        names: HashMap::new(),
        inputs: Vec::new(),
        input_index: HashMap::new(),
    };
    if let Some((name, _)) = raw.inputs.get_index(MAX_INPUTS) {
        return Err(too_many("inputs", MAX_INPUTS, name.span()));
    }
    if let Some(step) = raw.steps.get(MAX_STEPS) {
        return Err(too_many("steps", MAX_STEPS, step.span()));
    }
    if let Some((name, _)) = raw.milestones.get_index(MAX_MILESTONES) {
        return Err(too_many("milestones", MAX_MILESTONES, name.span()));
    }
    if let Some((name, _)) = raw.routes.get_index(MAX_ROUTES) {
        return Err(too_many("routes", MAX_ROUTES, name.span()));
    }
    let delays = raw
        .steps
        .iter()
        .filter(|s| s.get_ref().kind.get_ref() == "delay");
    if let Some(step) = delays.clone().nth(MAX_DELAYS) {
        return Err(too_many("delay steps", MAX_DELAYS, step.span()));
    }
    for (name, dist) in &raw.inputs {
        c.declare(name, "input")?;
        let input = c.input(name.get_ref(), dist.get_ref(), dist.span(), false)?;
        c.input_index.insert(name.get_ref().clone(), c.inputs.len());
        c.inputs.push(input);
    }
    let routes = c.routes(&raw.routes)?;
    let milestone_index: HashMap<String, usize> = raw
        .milestones
        .keys()
        .enumerate()
        .map(|(i, k)| (k.get_ref().clone(), i))
        .collect();
    let mut milestones = Vec::with_capacity(raw.milestones.len());
    for (id, m) in &raw.milestones {
        c.declare(id, "milestone")?;
        milestones.push(c.milestone(id, m.get_ref(), m.span(), &display_zone)?);
    }
    if milestones.is_empty() {
        return Err(Diagnostic::at(
            "the scenario has no milestones",
            raw.scenario.span(),
            "add [milestones.<id>] tables after this",
        )
        .with_help("a scenario needs at least one start milestone, e.g. [milestones.home] with start = { date = \"2023-09-10\", time = \"08:00\" }"));
    }
    let route_names: Vec<&str> = routes.iter().map(|r| r.name.as_str()).collect();
    let mut steps = Vec::with_capacity(raw.steps.len());
    for (i, step) in raw.steps.iter().enumerate() {
        steps.push(c.step(i, step, &milestone_index, &milestones, &route_names)?);
    }
    let incoming = incoming_steps(&steps, milestones.len());
    let eval_order = order_milestones(raw, &steps, &milestones, &incoming)?;
    check_reachable(
        raw,
        &steps,
        &milestones,
        &incoming,
        &eval_order,
        routes.len(),
    )?;

    let mut deadlines = Vec::new();
    for (id, d) in &raw.deadlines {
        c.declare(id, "deadline")?;
        deadlines.push(deadline(id, d.get_ref(), &milestone_index, &milestones)?);
    }
    let reach = reachability(&steps, &milestones, &incoming, &eval_order, routes.len());
    for ((id, d), compiled) in raw.deadlines.iter().zip(&deadlines) {
        if !reach.iter().any(|r| r[compiled.milestone]) {
            return Err(Diagnostic::at(
                format!(
                    "deadline `{}` is on a milestone that no route reaches",
                    id.get_ref()
                ),
                d.get_ref().milestone.span(),
                "never reached",
            ));
        }
    }

    Ok(Model {
        name: meta.name.get_ref().clone(),
        description: meta.description.clone(),
        display_zone,
        default_trials,
        default_seed,
        inputs: c.inputs,
        routes,
        milestones,
        steps,
        deadlines,
        eval_order,
        incoming,
        correlation: correlation(raw, &c.input_index)?,
    })
}

/// Checks the requested rank correlations and prepares them for Iman-Conover.
fn correlation(raw: &RawScenario, index: &HashMap<String, usize>) -> Result<Option<Correlation>> {
    use crate::stats::correlation::{cholesky, nearest_correlation, score_correlation};
    if raw.correlations.is_empty() {
        return Ok(None);
    }
    let mut inputs: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    let mut spans = Vec::new();
    for entry in &raw.correlations {
        let e = entry.get_ref();
        let names = e.inputs.get_ref();
        if names.len() != 2 {
            return Err(Diagnostic::at(
                "a correlation names exactly two inputs",
                e.inputs.span(),
                "expected [\"a\", \"b\"]",
            ));
        }
        let mut pos = [0usize; 2];
        for (slot, name) in pos.iter_mut().zip(names) {
            let &i = index.get(name.get_ref()).ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown input `{}`", name.get_ref()),
                    name.span(),
                    "no input has this name",
                )
                .suggest(name.get_ref(), index.keys().map(String::as_str))
            })?;
            *slot = inputs.iter().position(|&x| x == i).unwrap_or_else(|| {
                inputs.push(i);
                inputs.len() - 1
            });
        }
        if pos[0] == pos[1] {
            return Err(Diagnostic::at(
                "an input cannot be correlated with itself",
                e.inputs.span(),
                "the same input twice",
            ));
        }
        let rank = *e.rank.get_ref();
        if !(rank > -1.0 && rank < 1.0) {
            return Err(Diagnostic::at(
                format!("a rank correlation must lie strictly between -1 and 1, found {rank}"),
                e.rank.span(),
                "out of range",
            ));
        }
        if pairs
            .iter()
            .any(|&(a, b, _)| (a, b) == (pos[0], pos[1]) || (a, b) == (pos[1], pos[0]))
        {
            return Err(Diagnostic::at(
                "this pair of inputs is already correlated above",
                e.inputs.span(),
                "duplicate pair",
            ));
        }
        pairs.push((pos[0], pos[1], rank));
        spans.push(entry.span());
    }
    let k = inputs.len();
    let mut target: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for &(a, b, rank) in &pairs {
        let r = score_correlation(rank);
        target[a][b] = r;
        target[b][a] = r;
    }
    let Some(chol) = cholesky(&target) else {
        // Point at the requested pair that the nearest valid matrix has to move most.
        let near = nearest_correlation(&target);
        let (worst, _) = pairs
            .iter()
            .enumerate()
            .map(|(p, &(a, b, _))| (p, (near[a][b] - target[a][b]).abs()))
            .fold((0, -1.0), |best, x| if x.1 > best.1 { x } else { best });
        let name = |i: usize| raw_name(index, inputs[i]);
        let suggestion: Vec<String> = pairs
            .iter()
            .map(|&(a, b, _)| {
                let rank = 6.0 / std::f64::consts::PI * (near[a][b] / 2.0).asin();
                format!("{} ~ {}: {:.2}", name(a), name(b), rank)
            })
            .collect();
        let &(a, b, rank) = &pairs[worst];
        return Err(Diagnostic::at(
            format!(
                "these rank correlations cannot hold together (the matrix is not positive semi-definite); `{}` ~ `{}` = {rank} is the one furthest from a valid matrix",
                name(a),
                name(b)
            ),
            spans[worst].clone(),
            "conflicts with the other correlations",
        )
        .with_help(format!("the nearest valid set is {}", suggestion.join(", "))));
    };
    Ok(Some(Correlation {
        inputs,
        pairs,
        cholesky: chol,
    }))
}

fn raw_name(index: &HashMap<String, usize>, i: usize) -> String {
    index
        .iter()
        .find(|(_, v)| **v == i)
        .map_or_else(|| format!("input {i}"), |(k, _)| k.clone())
}

struct Compiler {
    /// Every declared name and what it names, so names stay unique across kinds.
    names: HashMap<String, &'static str>,
    inputs: Vec<Input>,
    input_index: HashMap<String, usize>,
}

impl Compiler {
    fn declare(&mut self, name: &Spanned<String>, what: &'static str) -> Result<()> {
        let n = name.get_ref();
        let valid = n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(Diagnostic::at(
                format!("`{n}` is not a valid {what} name"),
                name.span(),
                "not an identifier",
            )
            .with_help("names start with a letter and use only letters, digits and `_`"));
        }
        if let Some(previous) = self.names.insert(n.clone(), what) {
            return Err(Diagnostic::at(
                format!(
                    "the name `{n}` is already used by {}",
                    with_article(previous)
                ),
                name.span(),
                "duplicate name",
            )
            .with_help("inputs, routes, milestones and deadlines share one set of names"));
        }
        Ok(())
    }

    fn input(&self, name: &str, raw: &RawDist, span: Range<usize>, inline: bool) -> Result<Input> {
        let (kind, dist) = distribution(raw, span)?;
        Ok(Input {
            name: name.to_owned(),
            kind,
            dist,
            stream: stream_id(name),
            inline,
            description: raw.description.clone(),
        })
    }

    fn routes(&mut self, raw: &crate::scenario::raw::Table<RawRoute>) -> Result<Vec<Route>> {
        let mut routes = Vec::new();
        let mut total = 0.0;
        for (name, r) in raw {
            self.declare(name, "route")?;
            let p = &r.get_ref().probability;
            let value = match p.get_ref() {
                Value::Float(f) => *f,
                Value::Integer(i) => *i as f64,
                _ => {
                    return Err(Diagnostic::at(
                        "expected a probability",
                        p.span(),
                        "not a number",
                    ));
                }
            };
            if !(0.0..=1.0).contains(&value) {
                return Err(Diagnostic::at(
                    format!("a probability must be between 0 and 1, found {value}"),
                    p.span(),
                    "out of range",
                ));
            }
            total += value;
            routes.push(Route {
                name: name.get_ref().clone(),
                probability: value,
                description: r.get_ref().description.clone(),
            });
        }
        if let Some((first, _)) = raw.first()
            && (total - 1.0).abs() > 1e-9
        {
            return Err(Diagnostic::at(
                format!(
                    "route probabilities must sum to 1, they sum to {}",
                    format::trim_number(total)
                ),
                first.span(),
                "first of the routes",
            ));
        }
        Ok(routes)
    }

    fn milestone(
        &mut self,
        id: &Spanned<String>,
        raw: &RawMilestone,
        span: Range<usize>,
        display_zone: &Zone,
    ) -> Result<Milestone> {
        let zone = match &raw.zone {
            Some(z) => zone(z)?,
            None => display_zone.clone(),
        };
        let wait_for = match &raw.wait_for {
            None => WaitFor::All,
            Some(w) => match w.get_ref().as_str() {
                "all" => WaitFor::All,
                "first" => WaitFor::First,
                other => {
                    return Err(Diagnostic::at(
                        format!("wait_for must be \"all\" or \"first\", found \"{other}\""),
                        w.span(),
                        "unknown",
                    )
                    .suggest(other, ["all", "first"]));
                }
            },
        };
        let start = match &raw.start {
            None => None,
            Some(s) => {
                let s = s.get_ref();
                let where_ = format!("{}.start", id.get_ref());
                let date = self.operand(&s.date, &where_, "date", Kind::Date)?;
                let time = self.operand(&s.time, &where_, "time", Kind::TimeOfDay)?;
                let days = self.start_days(date, &zone, s.date.span())?;
                Some(Start { date, time, days })
            }
        };
        let _ = span;
        Ok(Milestone {
            id: id.get_ref().clone(),
            label: raw.label.clone().unwrap_or_else(|| id.get_ref().clone()),
            zone,
            start,
            wait_for,
        })
    }

    /// The local days a start can fall on, with their midnights in the zone.
    fn start_days(&self, date: Operand, zone: &Zone, span: Range<usize>) -> Result<Vec<LocalDay>> {
        let days: Vec<f64> = match date {
            Operand::Const(d) => vec![d],
            Operand::Input(i) => match self.inputs[i].dist.family() {
                Family::Fixed { value } => vec![*value],
                Family::Choice { values, .. } | Family::Empirical { values } => values.clone(),
                _ => unreachable_family(span.clone())?,
            },
        };
        let mut out: Vec<LocalDay> = Vec::new();
        for d in days {
            let day = d.floor() as i64;
            if out.iter().any(|x| x.day == day) {
                continue;
            }
            let local = local_day(zone, day).ok_or_else(|| {
                Diagnostic::at(
                    "this date is outside the range eta can represent",
                    span.clone(),
                    "date",
                )
            })?;
            out.push(local);
        }
        Ok(out)
    }

    /// Resolves a value slot: an input name, a literal, or an inline distribution.
    fn operand(
        &mut self,
        raw: &Spanned<RawOperand>,
        owner: &str,
        field: &str,
        expected: Kind,
    ) -> Result<Operand> {
        let span = raw.span();
        let (operand, kind) = match raw.get_ref() {
            RawOperand::Number(v) => (Operand::Const(*v), Kind::Number),
            RawOperand::Text(t) if is_identifier(t) && quantity::parse_literal(t).is_err() => {
                let Some(&i) = self.input_index.get(t) else {
                    let names: Vec<&str> = self.input_index.keys().map(String::as_str).collect();
                    return Err(Diagnostic::at(
                        format!("unknown input `{t}`"),
                        span,
                        "no input has this name",
                    )
                    .suggest(t, names.iter().copied())
                    .with_help_if_none(format!(
                        "declare it under [inputs], or write {} directly",
                        expected.example()
                    )));
                };
                (Operand::Input(i), self.inputs[i].kind)
            }
            RawOperand::Text(t) => {
                let (kind, v) = quantity::parse_literal(t).map_err(|e| {
                    Diagnostic::at(e, span.clone(), "not understood").with_help(format!(
                        "{field} expects {expected}, e.g. {}",
                        expected.example()
                    ))
                })?;
                (Operand::Const(v), kind)
            }
            RawOperand::Dist(d) => {
                if self.inputs.len() >= MAX_INPUTS {
                    return Err(too_many("inputs (named and inline)", MAX_INPUTS, span));
                }
                // The name gives the random stream: two inline distributions on parallel steps
                // (or on `a_to` -> `b` and `a` -> `to_b`) must not share one and draw alike.
                let mut name = format!("{owner}.{field}");
                let mut k = 2;
                while self.input_index.contains_key(&name) {
                    name = format!("{owner}#{k}.{field}");
                    k += 1;
                }
                let input = self.input(&name, d, span.clone(), true)?;
                let kind = input.kind;
                self.input_index.insert(name, self.inputs.len());
                self.inputs.push(input);
                (Operand::Input(self.inputs.len() - 1), kind)
            }
        };
        if kind != expected {
            let help = if kind == Kind::Number && expected != Kind::Number {
                format!("give the unit, e.g. {}", expected.example())
            } else {
                format!("{field} expects {expected}, e.g. {}", expected.example())
            };
            return Err(Diagnostic::at(
                format!("`{field}` must be {expected}, but this is {kind}"),
                span,
                format!("{kind}"),
            )
            .with_help(help));
        }
        if let Operand::Input(i) = operand
            && expected == Kind::Date
            && !self.inputs[i].dist.family().is_discrete()
        {
            return Err(Diagnostic::at(
                "a date input must be fixed, choice or empirical",
                span,
                "continuous over dates",
            )
            .with_help(
                "pick whole days with `choice`; spread the hour with the time input instead",
            ));
        }
        self.check_range(operand, field, expected, span)?;
        Ok(operand)
    }

    /// Speeds must stay above zero, distances and durations at or above it, chances in [0, 1]:
    /// checked on the support, so no trial can produce an impossible value.
    fn check_range(
        &self,
        operand: Operand,
        field: &str,
        kind: Kind,
        span: Range<usize>,
    ) -> Result<()> {
        let (lo, hi) = match operand {
            Operand::Const(v) => (v, v),
            Operand::Input(i) => self.inputs[i].dist.support(),
        };
        let name = match operand {
            Operand::Input(i) if !self.inputs[i].inline => {
                format!("input `{}`", self.inputs[i].name)
            }
            _ => "this value".to_owned(),
        };
        let problem = match (field, kind) {
            ("probability", _) if lo < 0.0 || hi > 1.0 => {
                Some("a probability must lie between 0 and 1")
            }
            (_, Kind::Speed) if lo <= 0.0 => Some("a speed must be greater than zero"),
            (_, Kind::Distance) if lo < 0.0 => Some("a distance cannot be negative"),
            (_, Kind::Duration) if lo < 0.0 => Some("a duration cannot be negative"),
            (_, Kind::Duration) if lo > MAX_DURATION => {
                Some("a duration longer than 20,000 years cannot end at an instant eta can show")
            }
            _ => None,
        };
        match problem {
            None if lo.is_finite() || hi.is_finite() || matches!(operand, Operand::Input(_)) => {
                Ok(())
            }
            None => Err(Diagnostic::at(
                "this value is not a finite number",
                span,
                "not finite",
            )),
            Some(what) => {
                // The bound that breaks the rule: the lowest value, or for a chance the highest.
                let bad = if field == "probability" && lo >= 0.0 {
                    hi
                } else {
                    lo
                };
                let label = if lo == hi {
                    format!("{name} is {}", format::format_quantity(kind, lo))
                } else if bad.is_finite() {
                    format!("{name} can reach {}", format::format_quantity(kind, bad))
                } else if bad > 0.0 {
                    format!("{name} has no upper bound")
                } else {
                    format!("{name} has no lower bound")
                };
                let metalog = match operand {
                    Operand::Input(i) => {
                        matches!(self.inputs[i].dist.family(), Family::Metalog { .. })
                    }
                    Operand::Const(_) => false,
                };
                let help = match operand {
                    // A metalog is better bounded than truncated: the bound reshapes the fit
                    // (on the log scale) instead of cutting off part of it.
                    _ if metalog => {
                        let example = bound_example(field, kind, bad);
                        format!(
                            "bound the metalog, e.g. add `{}` (it is then fitted on the log scale), or truncate it with `{example}`",
                            example
                                .replacen("lower", "min", 1)
                                .replacen("upper", "max", 1)
                        )
                    }
                    Operand::Input(i) if !self.inputs[i].inline => format!(
                        "truncate input `{}` under [inputs], e.g. add `{}` to keep it in range",
                        self.inputs[i].name,
                        bound_example(field, kind, bad)
                    ),
                    Operand::Input(_) => format!(
                        "truncate the distribution, e.g. add `{}` to keep it in range",
                        bound_example(field, kind, bad)
                    ),
                    Operand::Const(_) => "use a value in range".to_owned(),
                };
                Err(Diagnostic::at(what, span, label).with_help(help))
            }
        }
    }

    fn step(
        &mut self,
        index: usize,
        raw: &Spanned<RawStep>,
        milestone_index: &HashMap<String, usize>,
        milestones: &[Milestone],
        route_names: &[&str],
    ) -> Result<Step> {
        let s = raw.get_ref();
        let from = milestone_ref(&s.from, milestone_index)?;
        let to = milestone_ref(&s.to, milestone_index)?;
        if from == to {
            return Err(Diagnostic::at(
                "a step cannot end where it starts",
                s.to.span(),
                "same as `from`",
            ));
        }
        let route = match &s.route {
            None => None,
            Some(r) => Some(
                route_names
                    .iter()
                    .position(|n| n == r.get_ref())
                    .ok_or_else(|| {
                        let d = Diagnostic::at(
                            format!("unknown route `{}`", r.get_ref()),
                            r.span(),
                            "no such route",
                        );
                        if route_names.is_empty() {
                            d.with_help(
                                "declare the routes under [routes], each with a probability",
                            )
                        } else {
                            d.suggest(r.get_ref(), route_names.iter().copied())
                        }
                    })?,
            ),
        };
        let owner = format!("{}_to_{}", s.from.get_ref(), s.to.get_ref());
        let kind = match s.kind.get_ref().as_str() {
            "travel" => StepKind::Travel,
            "dwell" => StepKind::Dwell,
            "delay" => StepKind::Delay,
            other => {
                return Err(Diagnostic::at(
                    format!("unknown step kind \"{other}\""),
                    s.kind.span(),
                    "expected \"travel\", \"dwell\" or \"delay\"",
                )
                .suggest(other, ["travel", "dwell", "delay"]));
            }
        };
        let not_allowed = |field: &Option<Spanned<RawOperand>>, name: &str| -> Result<()> {
            match field {
                Some(f) => Err(Diagnostic::at(
                    format!("a {} step has no `{name}`", kind.name()),
                    f.span(),
                    "not used by this kind of step",
                )),
                None => Ok(()),
            }
        };
        let required = |field: &Option<Spanned<RawOperand>>, name: &str| -> Result<()> {
            if field.is_none() {
                return Err(Diagnostic::at(
                    format!("a {} step needs `{name}`", kind.name()),
                    raw.span(),
                    format!("`{name}` missing here"),
                ));
            }
            Ok(())
        };
        let duration = match kind {
            StepKind::Travel => {
                not_allowed(&s.probability, "probability")?;
                match (&s.distance, &s.speed, &s.duration) {
                    (Some(distance), Some(speed), None) => StepDuration::Travel {
                        distance: self.operand(distance, &owner, "distance", Kind::Distance)?,
                        speed: self.operand(speed, &owner, "speed", Kind::Speed)?,
                    },
                    (None, None, Some(duration)) => StepDuration::Fixed(self.operand(
                        duration,
                        &owner,
                        "duration",
                        Kind::Duration,
                    )?),
                    (_, _, Some(duration)) => {
                        return Err(Diagnostic::at(
                            "a travel step takes either `duration` or `distance` and `speed`, not both",
                            duration.span(),
                            "remove this, or remove distance and speed",
                        ));
                    }
                    _ => {
                        return Err(Diagnostic::at(
                            "a travel step needs `distance` and `speed`, or a `duration`",
                            raw.span(),
                            "incomplete travel step",
                        ));
                    }
                }
            }
            StepKind::Dwell => {
                not_allowed(&s.probability, "probability")?;
                not_allowed(&s.distance, "distance")?;
                not_allowed(&s.speed, "speed")?;
                required(&s.duration, "duration")?;
                let d = s
                    .duration
                    .as_ref()
                    .map(|d| self.operand(d, &owner, "duration", Kind::Duration));
                StepDuration::Fixed(d.unwrap_or(Ok(Operand::Const(0.0)))?)
            }
            StepKind::Delay => {
                not_allowed(&s.distance, "distance")?;
                not_allowed(&s.speed, "speed")?;
                required(&s.duration, "duration")?;
                required(&s.probability, "probability")?;
                let duration = match &s.duration {
                    Some(d) => self.operand(d, &owner, "duration", Kind::Duration)?,
                    None => Operand::Const(0.0),
                };
                let probability = match &s.probability {
                    Some(p) => self.operand(p, &owner, "probability", Kind::Number)?,
                    None => Operand::Const(0.0),
                };
                let route_name = route.and_then(|r| route_names.get(r)).unwrap_or(&"");
                let stream = stream_id(&format!("event:{owner}:{route_name}:{index}"));
                StepDuration::Chance {
                    probability,
                    duration,
                    stream,
                }
            }
        };
        let not_before = match &s.not_before {
            None => None,
            Some(nb) => Some(not_before(nb, &milestones[from].zone)?),
        };
        Ok(Step {
            from,
            to,
            kind,
            label: s.label.clone(),
            route,
            duration,
            not_before,
        })
    }
}

trait HelpIfNone {
    fn with_help_if_none(self, help: String) -> Self;
}

impl HelpIfNone for Diagnostic {
    fn with_help_if_none(self, help: String) -> Self {
        if self.help.is_some() {
            self
        } else {
            self.with_help(help)
        }
    }
}

fn too_many(what: &str, limit: usize, span: Range<usize>) -> Diagnostic {
    Diagnostic::at(
        format!("a scenario may have at most {limit} {what}"),
        span,
        format!("number {} of them", limit + 1),
    )
}

/// A truncation bound that would keep a value in range, for help messages.
fn bound_example(field: &str, kind: Kind, bad: f64) -> &'static str {
    match (field, kind) {
        ("probability", _) if bad > 0.0 => "upper = 1",
        ("probability", _) => "lower = 0",
        (_, Kind::Speed) => "lower = \"5 km/h\"",
        (_, Kind::Distance) => "lower = \"0 km\"",
        _ => "lower = \"0 min\"",
    }
}

/// "an input", "a milestone": what a name already names, for messages.
fn with_article(what: &str) -> String {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {what}")
}

fn unreachable_family<T>(span: Range<usize>) -> Result<T> {
    Err(Diagnostic::at(
        "a date input must be fixed, choice or empirical",
        span,
        "continuous over dates",
    ))
}

fn is_identifier(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn zone(name: &Spanned<String>) -> Result<Zone> {
    Zone::get(name.get_ref()).ok_or_else(|| {
        let available: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_owned())
            .collect();
        Diagnostic::at(
            format!("unknown time zone \"{}\"", name.get_ref()),
            name.span(),
            "not an IANA time-zone name",
        )
        .suggest(name.get_ref(), available.iter().map(String::as_str))
        .with_help_if_none(
            "use an IANA name such as \"Asia/Vladivostok\" or \"Europe/Berlin\"".into(),
        )
    })
}

fn milestone_ref(name: &Spanned<String>, index: &HashMap<String, usize>) -> Result<usize> {
    index.get(name.get_ref()).copied().ok_or_else(|| {
        Diagnostic::at(
            format!("unknown milestone `{}`", name.get_ref()),
            name.span(),
            "no such milestone",
        )
        .suggest(name.get_ref(), index.keys().map(String::as_str))
        .with_help_if_none("declare it as [milestones.<id>]".into())
    })
}

fn local_instant(text: &Spanned<String>, zone: &Zone) -> Result<i64> {
    let dt: jiff::civil::DateTime = text.get_ref().parse().map_err(|e| {
        Diagnostic::at(
            format!("\"{}\" is not a local date and time: {e}", text.get_ref()),
            text.span(),
            "expected YYYY-MM-DDTHH:MM",
        )
        .with_help("write the local time without an offset, e.g. \"2023-09-12T15:00\", and the zone in `zone`")
    })?;
    // jiff reads and then ignores an offset or a [zone] annotation after a civil date-time; a
    // user who wrote one expects it to count, so refuse it rather than silently use `zone`.
    if text
        .get_ref()
        .get(10..)
        .is_some_and(|time| time.contains(['+', '-', 'Z', 'z', '[']))
    {
        return Err(Diagnostic::at(
            format!(
                "\"{}\" gives a UTC offset or zone, but it is read as a local time in {}",
                text.get_ref(),
                zone.name
            ),
            text.span(),
            "offset or zone not allowed here",
        )
        .with_help("write the local time alone, e.g. \"2023-09-12T15:00\"; a deadline names its zone in `zone`"));
    }
    zone.tz
        .to_timestamp(dt)
        .map(|t| t.as_second())
        .map_err(|e| {
            Diagnostic::at(
                format!("cannot place this time in {}: {e}", zone.name),
                text.span(),
                "here",
            )
        })
}

fn not_before(text: &Spanned<String>, zone: &Zone) -> Result<NotBefore> {
    if text.get_ref().contains('T') {
        return local_instant(text, zone).map(|t| NotBefore::Instant(t as f64));
    }
    quantity::parse_time_of_day(text.get_ref())
        .map(NotBefore::TimeOfDay)
        .map_err(|e| Diagnostic::at(e, text.span(), "expected \"HH:MM\" or \"YYYY-MM-DDTHH:MM\""))
}

fn deadline(
    id: &Spanned<String>,
    raw: &RawDeadline,
    index: &HashMap<String, usize>,
    milestones: &[Milestone],
) -> Result<Deadline> {
    let milestone = milestone_ref(&raw.milestone, index)?;
    let zone = match &raw.zone {
        Some(z) => zone(z)?,
        None => milestones[milestone].zone.clone(),
    };
    let at = local_instant(&raw.at, &zone)?;
    Ok(Deadline {
        id: id.get_ref().clone(),
        label: raw.label.clone().unwrap_or_else(|| id.get_ref().clone()),
        milestone,
        at,
        zone,
    })
}

fn incoming_steps(steps: &[Step], milestones: usize) -> Vec<Vec<usize>> {
    let mut incoming = vec![Vec::new(); milestones];
    for (i, s) in steps.iter().enumerate() {
        incoming[s.to].push(i);
    }
    incoming
}

/// Kahn's topological order of milestones; a cycle is reported at one of its steps.
fn order_milestones(
    raw: &RawScenario,
    steps: &[Step],
    milestones: &[Milestone],
    incoming: &[Vec<usize>],
) -> Result<Vec<usize>> {
    for (i, m) in milestones.iter().enumerate() {
        let (id, raw_m) = raw
            .milestones
            .get_index(i)
            .ok_or_else(|| Diagnostic::new("internal: milestone index"))?;
        match (&m.start, incoming[i].first()) {
            (Some(_), Some(&step)) => {
                return Err(Diagnostic::at(
                    format!(
                        "start milestone `{}` cannot also be the end of a step",
                        m.id
                    ),
                    raw.steps[step].get_ref().to.span(),
                    "this step ends at a start milestone",
                ));
            }
            (None, None) => {
                return Err(Diagnostic::at(
                    format!(
                        "milestone `{}` has no start and no step leading to it",
                        m.id
                    ),
                    id.span(),
                    "never reached",
                )
                .with_help(
                    if raw_m.get_ref().start.is_none() && steps.is_empty() {
                        "give it a `start`, or add a [[steps]] entry with this milestone as `to`"
                    } else {
                        "add a [[steps]] entry with this milestone as `to`, or give it a `start`"
                    },
                ));
            }
            _ => {}
        }
    }
    let mut pending: Vec<usize> = incoming.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..milestones.len()).filter(|&m| pending[m] == 0).collect();
    ready.reverse();
    let mut order = Vec::with_capacity(milestones.len());
    while let Some(m) = ready.pop() {
        order.push(m);
        for (i, s) in steps.iter().enumerate().rev() {
            if s.from == m {
                pending[s.to] -= 1;
                if pending[s.to] == 0 {
                    ready.push(s.to);
                }
                let _ = i;
            }
        }
    }
    if order.len() < milestones.len() {
        let stuck = steps
            .iter()
            .position(|s| pending[s.to] > 0 && pending[s.from] > 0)
            .or_else(|| steps.iter().position(|s| pending[s.to] > 0))
            .unwrap_or(0);
        let cycle = describe_cycle(steps, milestones, &pending, stuck);
        return Err(Diagnostic::at(
            format!("the steps form a cycle: {cycle}"),
            raw.steps.get(stuck).map_or(0..0, |s| s.span()),
            "this step is part of the cycle",
        )
        .with_help("a milestone cannot wait for itself; remove or redirect one of these steps"));
    }
    Ok(order)
}

fn describe_cycle(
    steps: &[Step],
    milestones: &[Milestone],
    pending: &[usize],
    start: usize,
) -> String {
    let Some(first) = steps.get(start) else {
        return String::new();
    };
    let mut path = vec![first.from];
    let mut at = first.to;
    while !path.contains(&at) && path.len() <= milestones.len() {
        path.push(at);
        match steps.iter().find(|s| s.from == at && pending[s.to] > 0) {
            Some(s) => at = s.to,
            None => break,
        }
    }
    path.push(at);
    let from = path.iter().position(|&m| m == at).unwrap_or(0);
    path[from..]
        .iter()
        .map(|&m| milestones[m].id.as_str())
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// For each route (or the one implicit route), which milestones a trial on it can reach.
fn reachability(
    steps: &[Step],
    milestones: &[Milestone],
    incoming: &[Vec<usize>],
    order: &[usize],
    routes: usize,
) -> Vec<Vec<bool>> {
    (0..routes.max(1))
        .map(|route| {
            let mut reached = vec![false; milestones.len()];
            for &m in order {
                reached[m] = milestones[m].start.is_some()
                    || incoming[m].iter().any(|&s| {
                        let step = &steps[s];
                        reached[step.from] && step.route.is_none_or(|r| r == route)
                    });
            }
            reached
        })
        .collect()
}

fn check_reachable(
    raw: &RawScenario,
    steps: &[Step],
    milestones: &[Milestone],
    incoming: &[Vec<usize>],
    order: &[usize],
    routes: usize,
) -> Result<()> {
    let reach = reachability(steps, milestones, incoming, order, routes);
    for (i, m) in milestones.iter().enumerate() {
        if !reach.iter().any(|r| r[i]) {
            let span = raw.milestones.get_index(i).map_or(0..0, |(k, _)| k.span());
            return Err(Diagnostic::at(
                format!("milestone `{}` is never reached on any route", m.id),
                span,
                "unreachable",
            )
            .with_help("each step leading here is on a route whose trials never reach its `from` milestone"));
        }
    }
    Ok(())
}

/// Which parameters each family takes: (required, optional).
fn family_keys(family: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match family {
        "fixed" => (&["value"], &[]),
        "uniform" => (&["min", "max"], &["lower", "upper"]),
        "normal" => (
            &["mean", "sd"],
            &["lower", "upper", "p10", "p50", "p90", "between"],
        ),
        "lognormal" => (
            &[],
            &[
                "mean", "sd", "mu", "sigma", "lower", "upper", "p10", "p50", "p90", "between",
            ],
        ),
        "triangular" => (
            &["min", "mode", "max"],
            &["lower", "upper", "p10", "p50", "p90", "between"],
        ),
        "pert" => (
            &["min", "mode", "max"],
            &["lambda", "lower", "upper", "p10", "p50", "p90", "between"],
        ),
        "beta" => (&["alpha", "beta"], &["min", "max", "lower", "upper"]),
        "exponential" => (&[], &["mean", "rate", "lower", "upper"]),
        "gamma" => (&["shape"], &["scale", "mean", "lower", "upper"]),
        "weibull" => (&["shape", "scale"], &["lower", "upper"]),
        "bernoulli" => (&["p"], &[]),
        "choice" => (&["values"], &["weights"]),
        "empirical" => (&["values"], &[]),
        "mixture" => (&["components"], &["lower", "upper"]),
        "metalog" => (
            &[],
            &[
                "p10",
                "p50",
                "p90",
                "between",
                "quantiles",
                "terms",
                "min",
                "max",
                "lower",
                "upper",
            ],
        ),
        _ => (&[], &[]),
    }
}

/// The parameters of a raw distribution by key, for generic checks.
fn params(raw: &RawDist) -> Vec<(&'static str, Range<usize>)> {
    let singles = [
        ("value", &raw.value),
        ("min", &raw.min),
        ("max", &raw.max),
        ("mode", &raw.mode),
        ("mean", &raw.mean),
        ("sd", &raw.sd),
        ("mu", &raw.mu),
        ("sigma", &raw.sigma),
        ("lambda", &raw.lambda),
        ("alpha", &raw.alpha),
        ("beta", &raw.beta),
        ("rate", &raw.rate),
        ("shape", &raw.shape),
        ("scale", &raw.scale),
        ("p", &raw.p),
        ("lower", &raw.lower),
        ("upper", &raw.upper),
        ("p10", &raw.p10),
        ("p50", &raw.p50),
        ("p90", &raw.p90),
        ("terms", &raw.terms),
        ("weight", &raw.weight),
    ];
    let mut out: Vec<(&'static str, Range<usize>)> = singles
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.span())))
        .collect();
    if let Some(v) = &raw.values {
        out.push(("values", v.span()));
    }
    if let Some(w) = &raw.weights {
        out.push(("weights", w.span()));
    }
    if let Some(b) = &raw.between {
        out.push(("between", b.span()));
    }
    if let Some(q) = &raw.quantiles {
        out.push(("quantiles", q.span()));
    }
    if let Some(c) = &raw.components {
        out.push(("components", c.span()));
    }
    out
}

/// Which parameters are quantities of the input's own kind (the rest are plain numbers).
fn is_location(key: &str) -> bool {
    matches!(
        key,
        "value"
            | "min"
            | "max"
            | "mode"
            | "mean"
            | "lower"
            | "upper"
            | "values"
            | "p10"
            | "p50"
            | "p90"
            | "between"
            | "quantiles"
    )
}

fn is_spread(key: &str) -> bool {
    matches!(key, "sd" | "scale")
}

/// Where a distribution table is written: as an input (named or inline in a step), or as a
/// component of a mixture, which has a `weight` and inherits the mixture's unit.
#[derive(Debug, Clone, Copy)]
enum Within {
    Input,
    Mixture(Option<Unit>),
}

/// Builds the distribution of an input, in base units, and the kind of quantity it yields.
fn distribution(raw: &RawDist, span: Range<usize>) -> Result<(Kind, Dist)> {
    distribution_in(raw, span, Within::Input)
}

/// As [`distribution`], for a table written `within` an input or a mixture: mixture components
/// go through this same path, so every family, unit and quantile fit works inside a mixture.
fn distribution_in(raw: &RawDist, span: Range<usize>, within: Within) -> Result<(Kind, Dist)> {
    let family = raw.dist.get_ref().as_str();
    if !FAMILIES.contains(&family) {
        return Err(Diagnostic::at(
            format!("unknown distribution \"{family}\""),
            raw.dist.span(),
            "not a distribution eta knows",
        )
        .suggest(family, FAMILIES.iter().copied())
        .with_help_if_none(format!("expected one of: {}", FAMILIES.join(", "))));
    }
    if family == "mixture" && matches!(within, Within::Mixture(_)) {
        return Err(Diagnostic::at(
            "a mixture component cannot itself be a mixture",
            raw.dist.span(),
            "a mixture inside a mixture",
        )
        .with_help("list its components in the outer mixture, each weight multiplied by this component's weight"));
    }
    let (required, optional) = family_keys(family);
    let given = params(raw);
    for (key, key_span) in &given {
        if *key == "weight" {
            // A component's weight is read by the mixture; anywhere else it means nothing.
            if matches!(within, Within::Input) {
                return Err(Diagnostic::at(
                    "`weight` is only used in the components of a mixture",
                    key_span.clone(),
                    "not a parameter of an input",
                )
                .with_help("to draw from several distributions, write { dist = \"mixture\", components = [{ weight = 0.7, dist = ... }, { weight = 0.3, dist = ... }] }"));
            }
            continue;
        }
        if !required.contains(key) && !optional.contains(key) {
            let takes: Vec<&str> = required.iter().chain(optional).copied().collect();
            return Err(Diagnostic::at(
                format!("`{key}` is not a parameter of the {family} distribution"),
                key_span.clone(),
                "not used by this family",
            )
            .with_help(format!("{family} takes: {}", takes.join(", "))));
        }
    }
    // Given by quantiles, the family's own parameters are fitted, so none is required (and
    // none may be given beside them). A metalog is always given by quantiles, with its own keys.
    let by_quantiles = family != "metalog"
        && (raw.p10.is_some() || raw.p50.is_some() || raw.p90.is_some() || raw.between.is_some());
    if by_quantiles
        && let Some((key, key_span)) = given.iter().find(|(k, _)| {
            !matches!(
                *k,
                "p10" | "p50" | "p90" | "between" | "lower" | "upper" | "weight"
            )
        })
    {
        return Err(Diagnostic::at(
            format!(
                "`{key}` cannot be given beside quantiles: eta fits the {family} parameters to p10, p50 and p90"
            ),
            key_span.clone(),
            "remove this, or the quantiles",
        ));
    }
    for key in required.iter().filter(|_| !by_quantiles) {
        if !given.iter().any(|(k, _)| k == key) {
            return Err(Diagnostic::at(
                format!("the {family} distribution needs `{key}`"),
                span,
                format!("`{key}` missing"),
            )
            .with_help(format!("{family} takes: {}", required.join(", "))));
        }
    }

    let unit = match (&raw.unit, within) {
        (None, Within::Mixture(inherited)) => inherited,
        (None, Within::Input) => None,
        (Some(u), _) => Some(quantity::parse_unit(u.get_ref()).ok_or_else(|| {
            Diagnostic::at(
                format!("unknown unit \"{}\"", u.get_ref()),
                u.span(),
                "not a unit eta knows",
            )
            .suggest(u.get_ref(), quantity::unit_names())
            .with_help_if_none(format!(
                "units: {}",
                [
                    "s", "min", "h", "d", "m", "km", "mi", "km/h", "m/s", "mph", "date", "time"
                ]
                .join(", ")
            ))
        })?),
    };
    if family == "mixture" {
        return mixture(raw, span, unit);
    }
    let kind = input_kind(raw, unit)?;
    if kind == Kind::Date && !matches!(family, "fixed" | "choice" | "empirical") {
        return Err(Diagnostic::at(
            "a date input must be fixed, choice or empirical",
            raw.dist.span(),
            format!("{family} would draw fractions of days"),
        )
        .with_help(
            "pick whole days with `choice`; spread the hour with a time-of-day input instead",
        ));
    }
    let q = Quantities { unit, kind };

    let get = |v: &Option<Spanned<Value>>, key: &str| -> Result<Option<f64>> {
        v.as_ref().map(|v| q.param(v, key)).transpose()
    };
    let need = |v: &Option<Spanned<Value>>, key: &str| -> Result<f64> {
        get(v, key)?.ok_or_else(|| {
            Diagnostic::at(
                format!("the {family} distribution needs `{key}`"),
                span.clone(),
                format!("`{key}` missing"),
            )
        })
    };
    let list = |v: &Option<Spanned<Vec<Spanned<Value>>>>, key: &str| -> Result<Vec<f64>> {
        match v {
            None => Ok(Vec::new()),
            Some(items) => items
                .get_ref()
                .iter()
                .map(|item| q.param(item, key))
                .collect(),
        }
    };

    let fam = match family {
        _ if by_quantiles => {
            let quantiles: Vec<(f64, f64)> = stated_quantiles(raw, &q)?
                .into_iter()
                .map(|(p, x, _)| (p, x))
                .collect();
            crate::distribution::fit::from_quantiles(family, &quantiles).map_err(|e| {
                Diagnostic::at(
                    format!(
                        "cannot fit a {family} to these quantiles: {}",
                        quantities_after(&e, q.kind, &[" at ", " instead of "])
                    ),
                    span.clone(),
                    "quantiles given here",
                )
            })?
        }
        "fixed" => Family::Fixed {
            value: need(&raw.value, "value")?,
        },
        "uniform" => Family::Uniform {
            min: need(&raw.min, "min")?,
            max: need(&raw.max, "max")?,
        },
        "normal" => Family::Normal {
            mean: need(&raw.mean, "mean")?,
            sd: need(&raw.sd, "sd")?,
        },
        "lognormal" => lognormal(raw, &q, span.clone())?,
        "triangular" => Family::Triangular {
            min: need(&raw.min, "min")?,
            mode: need(&raw.mode, "mode")?,
            max: need(&raw.max, "max")?,
        },
        "pert" => Family::Pert {
            min: need(&raw.min, "min")?,
            mode: need(&raw.mode, "mode")?,
            max: need(&raw.max, "max")?,
            lambda: get(&raw.lambda, "lambda")?.unwrap_or(4.0),
        },
        "beta" => Family::Beta {
            alpha: need(&raw.alpha, "alpha")?,
            beta: need(&raw.beta, "beta")?,
            min: get(&raw.min, "min")?.unwrap_or(0.0),
            max: get(&raw.max, "max")?.unwrap_or(1.0),
        },
        "exponential" => match (get(&raw.mean, "mean")?, get(&raw.rate, "rate")?) {
            (Some(mean), None) => Family::Exponential { mean },
            (None, Some(rate)) if rate > 0.0 => Family::Exponential {
                mean: per_unit(raw, &q, "rate")? / rate,
            },
            (None, Some(rate)) => {
                return Err(param_error(
                    raw,
                    Kind::Number,
                    ParamError {
                        param: "rate",
                        message: format!("rate must be greater than 0, found {rate}"),
                    },
                    span,
                ));
            }
            _ => {
                return Err(Diagnostic::at(
                    "the exponential distribution needs `mean` or `rate` (one of them)",
                    span,
                    "give exactly one",
                ));
            }
        },
        "gamma" => {
            let shape = need(&raw.shape, "shape")?;
            match (get(&raw.scale, "scale")?, get(&raw.mean, "mean")?) {
                (Some(scale), None) => Family::Gamma { shape, scale },
                (None, Some(mean)) if shape > 0.0 => Family::Gamma {
                    shape,
                    scale: mean / shape,
                },
                (None, Some(_)) => Family::Gamma { shape, scale: 1.0 },
                _ => {
                    return Err(Diagnostic::at(
                        "the gamma distribution needs `scale` or `mean` (one of them) beside `shape`",
                        span,
                        "give exactly one",
                    ));
                }
            }
        }
        "weibull" => Family::Weibull {
            shape: need(&raw.shape, "shape")?,
            scale: need(&raw.scale, "scale")?,
        },
        "bernoulli" => Family::Bernoulli {
            p: need(&raw.p, "p")?,
        },
        "choice" => {
            let values = list(&raw.values, "values")?;
            let weights = match &raw.weights {
                Some(w) => {
                    if w.get_ref().len() != values.len() {
                        return Err(Diagnostic::at(
                            format!("{} weights for {} values", w.get_ref().len(), values.len()),
                            w.span(),
                            "one weight per value",
                        ));
                    }
                    list(&raw.weights, "weights")?
                }
                None if values.is_empty() => Vec::new(),
                None => vec![1.0 / values.len() as f64; values.len()],
            };
            Family::Choice { values, weights }
        }
        "empirical" => Family::Empirical {
            values: list(&raw.values, "values")?,
        },
        "metalog" => metalog_family(raw, &q, span.clone())?,
        _ => {
            return Err(Diagnostic::at(
                "unknown distribution",
                raw.dist.span(),
                "here",
            ));
        }
    };
    let lower = get(&raw.lower, "lower")?;
    let upper = get(&raw.upper, "upper")?;
    Dist::new(fam, lower, upper)
        .map(|d| (kind, d))
        .map_err(|e| param_error(raw, kind, e, span))
}

/// A mixture: each component compiled like an input (inheriting the mixture's unit), all of one
/// kind, with weights that sum to 1; `lower`/`upper` truncate the mixture as a whole.
fn mixture(raw: &RawDist, span: Range<usize>, unit: Option<Unit>) -> Result<(Kind, Dist)> {
    use crate::distribution::mixture::MAX_COMPONENTS;
    let Some(list) = &raw.components else {
        return Err(Diagnostic::at(
            "the mixture distribution needs `components`",
            span,
            "`components` missing",
        ));
    };
    let example = "components = [{ weight = 0.8, dist = \"pert\", min = 0.5, mode = 1, max = 3 }, { weight = 0.2, dist = \"lognormal\", p50 = \"6h\", p90 = \"12h\" }]";
    if list.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "a mixture needs at least one component",
            list.span(),
            "no components",
        )
        .with_help(format!("write {example}")));
    }
    if let Some(extra) = list.get_ref().get(MAX_COMPONENTS) {
        return Err(too_many(
            "components in a mixture",
            MAX_COMPONENTS,
            extra.span(),
        ));
    }
    // The kind every component must have, and what fixed it (for the message when one differs).
    let mut expected: Option<(Kind, String)> =
        unit.map(|u| (u.kind, format!("the mixture's unit makes it {}", u.kind)));
    let mut components = Vec::with_capacity(list.get_ref().len());
    for (i, item) in list.get_ref().iter().enumerate() {
        let c = item.get_ref();
        let Some(w) = &c.weight else {
            return Err(Diagnostic::at(
                format!("component {} of the mixture has no `weight`", i + 1),
                item.span(),
                "`weight` missing",
            )
            .with_help("give each component a weight, e.g. `weight = 0.3`; the weights sum to 1"));
        };
        let weight = plain_number(w)?;
        if !weight.is_finite() || weight < 0.0 {
            return Err(Diagnostic::at(
                format!(
                    "a component's weight must be a number of 0 or more, found {}",
                    format::trim_number(weight)
                ),
                w.span(),
                "invalid weight",
            )
            .with_help(
                "weights are the chances of drawing from each component, e.g. 0.8 and 0.2",
            ));
        }
        let (kind, dist) = distribution_in(c, item.span(), Within::Mixture(unit))?;
        match &expected {
            Some((k, why)) if *k != kind => {
                return Err(Diagnostic::at(
                    format!("component {} is {kind}, but {why}", i + 1),
                    item.span(),
                    format!("{kind}"),
                )
                .with_help("all components of a mixture are the same kind of quantity: give the mixture a `unit`, or write each component's values with their units"));
            }
            Some(_) => {}
            None => expected = Some((kind, format!("component {} is {kind}", i + 1))),
        }
        let (lower, upper) = dist.bounds();
        components.push(Component {
            weight,
            family: dist.family().clone(),
            lower,
            upper,
        });
    }
    let kind = expected.map_or(Kind::Number, |(k, _)| k);
    let sum: f64 = components.iter().map(|c| c.weight).sum();
    if sum <= 0.0 {
        return Err(Diagnostic::at(
            "the weights of the mixture's components sum to 0",
            list.span(),
            "no component can be drawn",
        )
        .with_help("give at least one component a positive weight"));
    }
    if (sum - 1.0).abs() > 1e-9 {
        let normalised: Vec<String> = components
            .iter()
            .map(|c| format::trim_number(c.weight / sum))
            .collect();
        return Err(Diagnostic::at(
            format!(
                "the weights of the mixture's components must sum to 1, they sum to {}",
                format::trim_number(sum)
            ),
            list.span(),
            "weights do not sum to 1",
        )
        .with_help(format!(
            "in the same proportions they would be {}",
            normalised.join(", ")
        )));
    }
    if kind == Kind::Date {
        return Err(Diagnostic::at(
            "a date input must be fixed, choice or empirical",
            raw.dist.span(),
            "a mixture of dates",
        )
        .with_help("list every day and its weight in one `choice`"));
    }
    let q = Quantities { unit, kind };
    let bound = |v: &Option<Spanned<Value>>, key: &str| -> Result<Option<f64>> {
        v.as_ref().map(|v| q.param(v, key)).transpose()
    };
    let lower = bound(&raw.lower, "lower")?;
    let upper = bound(&raw.upper, "upper")?;
    Dist::new(Family::Mixture { components }, lower, upper)
        .map(|d| (kind, d))
        .map_err(|e| param_error(raw, kind, e, span))
}

/// The quantiles an input states by `p10`, `p50`, `p90` and `between` (the 5th and 95th
/// percentiles), as (probability, value, where the value is written).
fn stated_quantiles(raw: &RawDist, q: &Quantities) -> Result<Vec<(f64, f64, Range<usize>)>> {
    let mut points = Vec::new();
    for (p, v, key) in [
        (0.1, &raw.p10, "p10"),
        (0.5, &raw.p50, "p50"),
        (0.9, &raw.p90, "p90"),
    ] {
        if let Some(v) = v {
            points.push((p, q.param(v, key)?, v.span()));
        }
    }
    if let Some(b) = &raw.between {
        let [low, high] = b.get_ref().as_slice() else {
            return Err(Diagnostic::at(
                "`between` takes two values: [low, high], the range holding 90% of outcomes",
                b.span(),
                "expected two values",
            ));
        };
        points.push((0.05, q.param(low, "between")?, low.span()));
        points.push((0.95, q.param(high, "between")?, high.span()));
    }
    Ok(points)
}

/// A metalog fitted to its quantiles (p10, p50, p90, `between` and `quantiles`, together), with
/// `terms` terms (default: one per quantile, at most 9) and optional bounds `min`/`max`.
fn metalog_family(raw: &RawDist, q: &Quantities, span: Range<usize>) -> Result<Family> {
    let mut points = stated_quantiles(raw, q)?;
    let entry_help = "each entry is [probability, value], e.g. quantiles = [[0.05, \"20 min\"], [0.5, \"50 min\"], [0.95, \"3 h\"]]";
    if let Some(list) = &raw.quantiles {
        for entry in list.get_ref() {
            let [p, x] = entry.get_ref().as_slice() else {
                return Err(Diagnostic::at(
                    format!(
                        "a quantile is a pair [probability, value], found {} item{}",
                        entry.get_ref().len(),
                        if entry.get_ref().len() == 1 { "" } else { "s" }
                    ),
                    entry.span(),
                    "expected two items",
                )
                .with_help(entry_help));
            };
            let prob = plain_number(p)?;
            if !(prob > 0.0 && prob < 1.0) {
                return Err(Diagnostic::at(
                    format!(
                        "a quantile's probability must lie strictly between 0 and 1, found {}",
                        format::trim_number(prob)
                    ),
                    p.span(),
                    "out of range",
                )
                .with_help("write probabilities as fractions: 0.05 for P5, 0.5 for the median"));
            }
            points.push((prob, q.param(x, "quantiles")?, x.span()));
        }
    }
    let label = |p: f64| format!("P{}", format::trim_number(100.0 * p));
    let show = |x: f64| format::format_quantity(q.kind, x);
    if points.len() < 2 {
        return Err(Diagnostic::at(
            "a metalog needs at least two quantiles, and three or more to be skewed",
            span,
            "too few quantiles",
        )
        .with_help(
            "give p10, p50 and p90, or a list: quantiles = [[0.1, ...], [0.5, ...], [0.9, ...]]",
        ));
    }
    if let Some(extra) = points.get(MAX_QUANTILES) {
        return Err(Diagnostic::at(
            format!("a metalog may be given at most {MAX_QUANTILES} quantiles"),
            extra.2.clone(),
            format!("number {} of them", MAX_QUANTILES + 1),
        ));
    }
    // In file order, so a repeated probability is reported where it is repeated.
    for (i, (p, _, at)) in points.iter().enumerate() {
        if points[..i].iter().any(|(other, _, _)| other == p) {
            return Err(Diagnostic::at(
                format!("{} is given twice", label(*p)),
                at.clone(),
                "a second value for the same probability",
            )
            .with_help("give each probability once (p10, p50 and p90 count as 0.1, 0.5 and 0.9)"));
        }
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in points.windows(2) {
        let [(p_a, x_a, _), (p_b, x_b, at)] = pair else {
            continue;
        };
        if x_b <= x_a {
            return Err(Diagnostic::at(
                format!(
                    "quantiles must increase with their probability: {} ({}) is not above {} ({})",
                    label(*p_b),
                    show(*x_b),
                    label(*p_a),
                    show(*x_a)
                ),
                at.clone(),
                "not above the quantile before it",
            ));
        }
    }
    let n = points.len();
    let terms = match &raw.terms {
        None => n.min(metalog::MAX_TERMS),
        Some(t) => {
            let bad = || {
                Diagnostic::at(
                    format!(
                        "`terms` must be a whole number from {} to {}",
                        metalog::MIN_TERMS,
                        metalog::MAX_TERMS
                    ),
                    t.span(),
                    "invalid number of terms",
                )
            };
            let k = match t.get_ref() {
                Value::Integer(k) => usize::try_from(*k).map_err(|_| bad())?,
                _ => return Err(bad()),
            };
            if !(metalog::MIN_TERMS..=metalog::MAX_TERMS).contains(&k) {
                return Err(bad());
            }
            if k > n {
                return Err(Diagnostic::at(
                    format!("{k} terms need at least {k} quantiles, and {n} are given"),
                    t.span(),
                    "more terms than quantiles",
                )
                .with_help(format!("give more quantiles, or at most `terms = {n}`")));
            }
            k
        }
    };
    let get = |v: &Option<Spanned<Value>>, key: &str| -> Result<Option<(f64, Range<usize>)>> {
        v.as_ref()
            .map(|v| q.param(v, key).map(|x| (x, v.span())))
            .transpose()
    };
    let min = get(&raw.min, "min")?;
    let max = get(&raw.max, "max")?;
    if let (Some((lo, _)), Some((hi, at))) = (&min, &max)
        && hi <= lo
    {
        return Err(Diagnostic::at(
            format!("max must be greater than min ({})", show(*lo)),
            at.clone(),
            "not above min",
        ));
    }
    for (p, x, at) in &points {
        let outside = match (&min, &max) {
            (Some((lo, _)), _) if x <= lo => Some(format!("above min ({})", show(*lo))),
            (_, Some((hi, _))) if x >= hi => Some(format!("below max ({})", show(*hi))),
            _ => None,
        };
        if let Some(side) = outside {
            return Err(Diagnostic::at(
                format!(
                    "{} ({}) must lie strictly {side}: min and max bound the metalog",
                    label(*p),
                    show(*x)
                ),
                at.clone(),
                "outside the bounds",
            ));
        }
    }
    let (min, max) = (min.map(|m| m.0), max.map(|m| m.0));
    let pairs: Vec<(f64, f64)> = points.iter().map(|&(p, x, _)| (p, x)).collect();
    let coefficients = match metalog::fit(&pairs, terms, min, max) {
        Ok(c) => c,
        Err(MetalogError::Invalid(message)) => {
            return Err(Diagnostic::at(message, span, "quantiles given here"));
        }
        Err(MetalogError::Singular) => {
            return Err(Diagnostic::at(
                format!("these {n} quantiles cannot determine a metalog of {terms} terms"),
                span,
                "quantiles given here",
            )
            .with_help(format!(
                "use fewer terms, e.g. `terms = {}`",
                terms.saturating_sub(1).max(2)
            )));
        }
        Err(MetalogError::NotIncreasing { near }) => {
            return Err(infeasible_metalog(&points, terms, min, max, near, q.kind));
        }
    };
    Ok(Family::Metalog {
        coefficients,
        min,
        max,
        quantiles: pairs,
    })
}

/// The error for quantiles no increasing metalog goes through: where it turns down, and what
/// would fit instead (fewer terms, or a lower bound at zero for a positive quantity).
fn infeasible_metalog(
    points: &[(f64, f64, Range<usize>)],
    terms: usize,
    min: Option<f64>,
    max: Option<f64>,
    near: f64,
    kind: Kind,
) -> Diagnostic {
    let pairs: Vec<(f64, f64)> = points.iter().map(|&(p, x, _)| (p, x)).collect();
    let place = if near <= 0.0 {
        "in its lower tail".to_owned()
    } else if near >= 1.0 {
        "in its upper tail".to_owned()
    } else {
        format!("near P{}", format::trim_number((100.0 * near).round()))
    };
    // Point at the quantile closest (on the logit scale) to where the fit turns down.
    let logit = |p: f64| (p / (1.0 - p)).ln();
    let target = if near <= 0.0 {
        f64::NEG_INFINITY
    } else if near >= 1.0 {
        f64::INFINITY
    } else {
        logit(near)
    };
    let at = points
        .iter()
        .min_by(|a, b| {
            let da = (logit(a.0) - target).abs();
            let db = (logit(b.0) - target).abs();
            da.total_cmp(&db)
        })
        .map_or(0..0, |p| p.2.clone());
    let mut fixes = Vec::new();
    if let Some(k) = (metalog::MIN_TERMS..terms)
        .rev()
        .find(|&k| metalog::fit(&pairs, k, min, max).is_ok())
    {
        fixes.push(format!(
            "`terms = {k}` fits (by least squares, so not through every quantile)"
        ));
    }
    let zero = match kind {
        Kind::Duration => Some("min = \"0 min\""),
        Kind::Distance => Some("min = \"0 km\""),
        Kind::Number => Some("min = 0"),
        _ => None,
    };
    if let Some(zero) = zero
        && min.is_none()
        && pairs.iter().all(|&(_, x)| x > 0.0)
        && metalog::fit(&pairs, terms, Some(0.0), max).is_ok()
    {
        fixes.push(format!(
            "`{zero}` (a lower bound, fitted on the log scale) fits"
        ));
    }
    fixes.push("or move the quantiles so the gaps between them change more gradually".to_owned());
    Diagnostic::at(
        format!(
            "no {terms}-term metalog through these quantiles is a distribution: its quantile function would decrease {place}"
        ),
        at,
        "the fit turns down near this quantile",
    )
    .with_help(fixes.join("; "))
}

fn lognormal(raw: &RawDist, q: &Quantities, span: Range<usize>) -> Result<Family> {
    match (&raw.mean, &raw.sd, &raw.mu, &raw.sigma) {
        (Some(mean), Some(sd), None, None) => {
            let (mean_v, sd_v) = (q.param(mean, "mean")?, q.param(sd, "sd")?);
            if mean_v <= 0.0 {
                return Err(Diagnostic::at(
                    "a lognormal mean must be greater than 0",
                    mean.span(),
                    "not positive",
                ));
            }
            if sd_v <= 0.0 {
                return Err(Diagnostic::at(
                    in_units(
                        &format!("sd must be greater than 0, found {sd_v}"),
                        "sd",
                        q.kind,
                    ),
                    sd.span(),
                    "not positive",
                ));
            }
            let sigma2 = (1.0 + (sd_v / mean_v).powi(2)).ln();
            Ok(Family::LogNormal {
                mu: mean_v.ln() - sigma2 / 2.0,
                sigma: sigma2.sqrt(),
            })
        }
        (None, None, Some(mu), Some(sigma)) => {
            let to_base = per_unit(raw, q, "mu")?;
            let mu_v = plain_number(mu)?;
            let sigma_v = plain_number(sigma)?;
            Ok(Family::LogNormal {
                mu: mu_v + to_base.ln(),
                sigma: sigma_v,
            })
        }
        _ => Err(Diagnostic::at(
            "the lognormal distribution needs `mean` and `sd` (of the value), or `mu` and `sigma` (of its logarithm)",
            span,
            "give one of the two pairs",
        )),
    }
}

/// The size in base units of one `unit`, which parameters such as `rate` (per unit) and `mu`
/// (the log of a value in units) are relative to: a quantity input must then name its unit.
fn per_unit(raw: &RawDist, q: &Quantities, key: &str) -> Result<f64> {
    match q.unit {
        Some(u) => Ok(u.to_base),
        None if q.kind == Kind::Number => Ok(1.0),
        None => {
            let at = params(raw)
                .into_iter()
                .find(|(k, _)| *k == key)
                .map_or(raw.dist.span(), |(_, s)| s);
            Err(Diagnostic::at(
                format!("`{key}` is relative to the input's `unit`, and this input has none"),
                at,
                format!("{key} in what unit?"),
            )
            .with_help(format!(
                "add `unit = \"{}\"` to the input",
                q.kind.display_unit()
            )))
        }
    }
}

/// Points a parameter error from the dist module at the key it names, with the values it quotes
/// written in the input's terms rather than in base units.
fn param_error(raw: &RawDist, kind: Kind, e: ParamError, span: Range<usize>) -> Diagnostic {
    let at = params(raw)
        .into_iter()
        .find(|(k, _)| *k == e.param)
        .map_or(span, |(_, s)| s);
    let message = in_units(&e.message, e.param, kind);
    Diagnostic::at(message, at, format!("invalid `{}`", e.param))
}

/// Rewrites the numbers a parameter message quotes ("(7200)", "found 3600") as quantities of the
/// parameter's kind ("(2h 00m)", "found 1h 00m"), since the dist module sees only base units.
fn in_units(message: &str, param: &str, kind: Kind) -> String {
    let kind = if is_spread(param) {
        match kind {
            Kind::TimeOfDay | Kind::Date => Kind::Duration,
            k => k,
        }
    } else if is_location(param) {
        kind
    } else {
        Kind::Number
    };
    quantities_after(message, kind, &["found ", "("])
}

/// Rewrites the number after each occurrence of one of `prefixes` as a quantity of `kind`.
fn quantities_after(message: &str, kind: Kind, prefixes: &[&str]) -> String {
    if kind == Kind::Number {
        return message.to_owned();
    }
    let is_num = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e');
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((at, prefix)) = prefixes
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
        .min()
    {
        out.push_str(rest.get(..at + prefix).unwrap_or(""));
        let after = rest.get(at + prefix..).unwrap_or("");
        let len = after.find(|c: char| !is_num(c)).unwrap_or(after.len());
        let token = after.get(..len).unwrap_or("");
        match token.parse::<f64>() {
            Ok(v) if v.is_finite() => out.push_str(&format::format_quantity(kind, v)),
            _ => out.push_str(token),
        }
        rest = after.get(len..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn plain_number(v: &Spanned<Value>) -> Result<f64> {
    match v.get_ref() {
        Value::Float(f) => Ok(*f),
        Value::Integer(i) => Ok(*i as f64),
        _ => Err(Diagnostic::at(
            "expected a plain number",
            v.span(),
            "not a number",
        )),
    }
}

/// The kind of quantity an input yields: from its `unit`, else from its string parameters.
fn input_kind(raw: &RawDist, unit: Option<Unit>) -> Result<Kind> {
    if let Some(u) = unit {
        return Ok(u.kind);
    }
    let mut strings = Vec::new();
    let singles = [
        &raw.value, &raw.min, &raw.max, &raw.mode, &raw.mean, &raw.lower, &raw.upper, &raw.p10,
        &raw.p50, &raw.p90,
    ];
    strings.extend(singles.into_iter().flatten());
    if let Some(values) = &raw.values {
        strings.extend(values.get_ref().iter());
    }
    if let Some(between) = &raw.between {
        strings.extend(between.get_ref().iter());
    }
    if let Some(quantiles) = &raw.quantiles {
        strings.extend(
            quantiles
                .get_ref()
                .iter()
                .filter_map(|q| q.get_ref().get(1)),
        );
    }
    for v in strings {
        if let Value::String(s) = v.get_ref() {
            let (kind, _) = quantity::parse_literal(s)
                .map_err(|e| Diagnostic::at(e, v.span(), "not understood"))?;
            return Ok(kind);
        }
    }
    Ok(Kind::Number)
}

/// Converts parameters to base units and checks each has the input's kind.
struct Quantities {
    unit: Option<Unit>,
    kind: Kind,
}

impl Quantities {
    fn param(&self, v: &Spanned<Value>, key: &str) -> Result<f64> {
        let span = v.span();
        let expected = if is_location(key) {
            self.kind
        } else if is_spread(key) {
            match self.kind {
                Kind::TimeOfDay | Kind::Date => Kind::Duration,
                k => k,
            }
        } else {
            Kind::Number
        };
        let value = match v.get_ref() {
            Value::Integer(i) => self.number(*i as f64, expected, key, span.clone())?,
            Value::Float(f) => self.number(*f, expected, key, span.clone())?,
            Value::String(s) => {
                let (kind, value) = quantity::parse_literal(s)
                    .map_err(|e| Diagnostic::at(e, span.clone(), "not understood"))?;
                if kind != expected {
                    return Err(Diagnostic::at(
                        format!("`{key}` must be {expected}, but \"{s}\" is {kind}"),
                        span,
                        "wrong kind of quantity",
                    ));
                }
                value
            }
            other => {
                return Err(Diagnostic::at(
                    format!(
                        "`{key}` must be a number or a quantity string, found a {}",
                        other.type_str()
                    ),
                    span,
                    "wrong type",
                ));
            }
        };
        if !value.is_finite() {
            let written_finite = match v.get_ref() {
                Value::Float(f) => f.is_finite(),
                _ => true,
            };
            return Err(if written_finite {
                Diagnostic::at(
                    format!("`{key}` is too large: in eta's base units it exceeds 1.8e308"),
                    span,
                    "too large",
                )
                .with_help("eta counts durations in seconds, distances in km and speeds in km/h")
            } else {
                Diagnostic::at(
                    format!("`{key}` must be a finite number"),
                    span,
                    "not finite",
                )
            });
        }
        Ok(value)
    }

    fn number(&self, v: f64, expected: Kind, key: &str, span: Range<usize>) -> Result<f64> {
        if expected == Kind::Number {
            return Ok(v);
        }
        match self.unit {
            Some(u) if matches!(u.kind, Kind::Date | Kind::TimeOfDay) && expected == u.kind => {
                Err(Diagnostic::at(
                    format!(
                        "`{key}` must be written as {}, e.g. {}",
                        expected,
                        expected.example()
                    ),
                    span,
                    "a bare number",
                ))
            }
            Some(u) if u.kind == expected => Ok(v * u.to_base),
            Some(_) if expected == Kind::Duration => Err(Diagnostic::at(
                format!("`{key}` must be a duration, e.g. \"2 h\""),
                span,
                "a bare number",
            )),
            _ => Err(Diagnostic::at(
                format!("`{key}` needs a unit"),
                span,
                "a number without a unit",
            )
            .with_help(format!(
                "add `unit = \"{}\"` to the input, or write {}",
                expected.display_unit(),
                expected.example()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_text(text: &str) -> Result<Model> {
        let source = crate::scenario::Source {
            path: "t.toml".into(),
            text: text.into(),
        };
        compile(&source.parse()?)
    }

    const TWO_STEPS: &str = r#"
[scenario]
name = "t"
zone = "UTC"
[milestones.a]
start = { date = "2023-09-10", time = "06:00" }
[milestones.b]
wait_for = "first"
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = 0, max = 2, unit = "h" }
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = 0, max = 2, unit = "h" }
"#;

    #[test]
    fn parallel_inline_distributions_draw_independently() {
        let model = compile_text(TWO_STEPS).unwrap();
        assert_eq!(model.inputs.len(), 2);
        assert_ne!(model.inputs[0].stream, model.inputs[1].stream);
        assert_eq!(model.inputs[0].name, "a_to_b.duration");
        assert_eq!(model.inputs[1].name, "a_to_b#2.duration");
    }

    #[test]
    fn exponential_rate_is_per_unit() {
        // 2 per hour: a mean of 30 minutes, not of half a second.
        let text = TWO_STEPS.replace(
            r#"{ dist = "uniform", min = 0, max = 2, unit = "h" }"#,
            r#"{ dist = "exponential", rate = 2, unit = "h" }"#,
        );
        let model = compile_text(&text).unwrap();
        assert!((model.inputs[0].dist.mean() - 1800.0).abs() < 1e-9);
    }

    #[test]
    fn size_limits_are_located_errors() {
        let mut text = String::from("[scenario]\nname = \"t\"\nzone = \"UTC\"\n[routes]\n");
        for r in 0..=MAX_ROUTES {
            text.push_str(&format!("r{r} = {{ probability = 0.001 }}\n"));
        }
        let e = compile_text(&text).unwrap_err();
        assert!(e.message.contains("at most 100 routes"), "{e:?}");
        assert_eq!(e.line_col(&text).map(|l| l.0), Some(5 + MAX_ROUTES));
    }

    #[test]
    fn parameter_messages_use_the_input_units() {
        assert_eq!(
            in_units(
                "mode must be between min (2400) and max (7200), found 10800",
                "mode",
                Kind::Duration
            ),
            "mode must be between min (40m) and max (2h 00m), found 3h 00m"
        );
        assert_eq!(
            in_units(
                "shape must be greater than 0, found -1",
                "shape",
                Kind::Duration
            ),
            "shape must be greater than 0, found -1"
        );
    }

    #[test]
    fn fit_messages_use_the_input_units() {
        assert_eq!(
            quantities_after(
                "the best fit puts P10 at 2269.8581 instead of 2400; try another family",
                Kind::Duration,
                &[" at ", " instead of "]
            ),
            "the best fit puts P10 at 38m instead of 40m; try another family"
        );
    }
}
