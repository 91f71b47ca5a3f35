//! Turns a parsed scenario into a [`Model`], checking everything a trial will rely on and
//! reporting the first problem at the text that causes it.

use super::*;
use crate::diag::Diagnostic;
use crate::dist::{Family, ParamError};
use crate::scenario::raw::{
    RawDeadline, RawDist, RawMilestone, RawOperand, RawRoute, RawScenario, RawStep,
};
use crate::scenario::units::{self, Kind, Unit};
use std::collections::HashMap;
use std::ops::Range;
use toml::{Spanned, Value};

type Result<T> = std::result::Result<T, Diagnostic>;

/// Most trials a scenario may ask for by default (the command line has its own limit).
pub const MAX_TRIALS: i64 = 10_000_000_000;
const MAX_INPUTS: usize = 10_000;
const MAX_STEPS: usize = 100_000;

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
];

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
    if raw.inputs.len() > MAX_INPUTS {
        return Err(Diagnostic::new(format!("more than {MAX_INPUTS} inputs")));
    }
    if raw.steps.len() > MAX_STEPS {
        return Err(Diagnostic::new(format!("more than {MAX_STEPS} steps")));
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
    })
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
                format!("the name `{n}` is already used by an {previous}"),
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
                    units::trim_number(total)
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
            RawOperand::Text(t) if is_identifier(t) && units::parse_literal(t).is_err() => {
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
                let (kind, v) = units::parse_literal(t).map_err(|e| {
                    Diagnostic::at(e, span.clone(), "not understood").with_help(format!(
                        "{field} expects {expected}, e.g. {}",
                        expected.example()
                    ))
                })?;
                (Operand::Const(v), kind)
            }
            RawOperand::Dist(d) => {
                let name = format!("{owner}.{field}");
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
                let label = if lo == hi {
                    format!("{name} is {}", units::format_quantity(kind, lo))
                } else {
                    format!("{name} can reach {}", units::format_quantity(kind, lo))
                };
                let help = match operand {
                    Operand::Input(_) => {
                        "truncate the distribution, e.g. add `lower = ...` to keep it in range"
                    }
                    Operand::Const(_) => "use a value in range",
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
                    (Some(distance), Some(speed), None) => Duration::Travel {
                        distance: self.operand(distance, &owner, "distance", Kind::Distance)?,
                        speed: self.operand(speed, &owner, "speed", Kind::Speed)?,
                    },
                    (None, None, Some(duration)) => Duration::Fixed(self.operand(
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
                Duration::Fixed(d.unwrap_or(Ok(Operand::Const(0.0)))?)
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
                Duration::Chance {
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

/// Local midnight of `day` in `zone`, and whether the day has no offset change.
pub fn local_day(zone: &Zone, day: i64) -> Option<LocalDay> {
    let (y, m, d) = units::civil_from_days(day);
    let date = jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
    let midnight = zone.tz.to_timestamp(date.at(0, 0, 0, 0)).ok()?;
    let next = date.tomorrow().ok()?;
    let next_midnight = zone.tz.to_timestamp(next.at(0, 0, 0, 0)).ok()?;
    let regular = next_midnight.as_second() - midnight.as_second() == 86_400
        && zone.tz.to_offset(midnight) == zone.tz.to_offset(next_midnight);
    Some(LocalDay {
        day,
        midnight: midnight.as_second(),
        regular,
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
    units::parse_time_of_day(text.get_ref())
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
        "normal" => (&["mean", "sd"], &["lower", "upper"]),
        "lognormal" => (&[], &["mean", "sd", "mu", "sigma", "lower", "upper"]),
        "triangular" => (&["min", "mode", "max"], &["lower", "upper"]),
        "pert" => (&["min", "mode", "max"], &["lambda", "lower", "upper"]),
        "beta" => (&["alpha", "beta"], &["min", "max", "lower", "upper"]),
        "exponential" => (&[], &["mean", "rate", "lower", "upper"]),
        "gamma" => (&["shape"], &["scale", "mean", "lower", "upper"]),
        "weibull" => (&["shape", "scale"], &["lower", "upper"]),
        "bernoulli" => (&["p"], &[]),
        "choice" => (&["values"], &["weights"]),
        "empirical" => (&["values"], &[]),
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
    out
}

/// Which parameters are quantities of the input's own kind (the rest are plain numbers).
fn is_location(key: &str) -> bool {
    matches!(
        key,
        "value" | "min" | "max" | "mode" | "mean" | "lower" | "upper" | "values"
    )
}

fn is_spread(key: &str) -> bool {
    matches!(key, "sd" | "scale")
}

/// Builds the distribution of an input, in base units, and the kind of quantity it yields.
fn distribution(raw: &RawDist, span: Range<usize>) -> Result<(Kind, Dist)> {
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
    let (required, optional) = family_keys(family);
    let given = params(raw);
    for (key, key_span) in &given {
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
    for key in required {
        if !given.iter().any(|(k, _)| k == key) {
            return Err(Diagnostic::at(
                format!("the {family} distribution needs `{key}`"),
                span,
                format!("`{key}` missing"),
            )
            .with_help(format!("{family} takes: {}", required.join(", "))));
        }
    }

    let unit = match &raw.unit {
        None => None,
        Some(u) => Some(units::parse_unit(u.get_ref()).ok_or_else(|| {
            Diagnostic::at(
                format!("unknown unit \"{}\"", u.get_ref()),
                u.span(),
                "not a unit eta knows",
            )
            .suggest(u.get_ref(), units::unit_names())
            .with_help_if_none(format!(
                "units: {}",
                [
                    "s", "min", "h", "d", "m", "km", "mi", "km/h", "m/s", "mph", "date", "time"
                ]
                .join(", ")
            ))
        })?),
    };
    let kind = input_kind(raw, unit)?;
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
            (None, Some(rate)) if rate > 0.0 => Family::Exponential { mean: 1.0 / rate },
            (None, Some(rate)) => {
                return Err(param_error(
                    raw,
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
        .map_err(|e| param_error(raw, e, span))
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
                    format!("sd must be greater than 0, found {}", sd_v),
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
            let to_base = q.unit.map_or(1.0, |u| u.to_base);
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

/// Points a parameter error from the dist module at the key it names.
fn param_error(raw: &RawDist, e: ParamError, span: Range<usize>) -> Diagnostic {
    let at = params(raw)
        .into_iter()
        .find(|(k, _)| *k == e.param)
        .map_or(span, |(_, s)| s);
    Diagnostic::at(e.message, at, format!("invalid `{}`", e.param))
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
        &raw.value, &raw.min, &raw.max, &raw.mode, &raw.mean, &raw.lower, &raw.upper,
    ];
    strings.extend(singles.into_iter().flatten());
    if let Some(values) = &raw.values {
        strings.extend(values.get_ref().iter());
    }
    for v in strings {
        if let Value::String(s) = v.get_ref() {
            let (kind, _) = units::parse_literal(s)
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
                let (kind, value) = units::parse_literal(s)
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
            return Err(Diagnostic::at(
                format!("`{key}` must be a finite number"),
                span,
                "not finite",
            ));
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

    #[test]
    fn stream_ids_differ_by_name() {
        assert_ne!(stream_id("a"), stream_id("b"));
        assert_eq!(stream_id("speed"), stream_id("speed"));
    }
}
