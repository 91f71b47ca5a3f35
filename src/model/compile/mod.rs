//! Turns a parsed scenario into a [`Model`]: owns the name table (inputs, routes, milestones
//! and deadlines share one set of names), the scenario-wide checks and size limits, and routes
//! and milestones; each other job has its own file below. Reports the first problem at the text
//! that causes it.

use super::*;
use crate::diag::Diagnostic;
use crate::distribution::metalog::{self, MetalogError};
use crate::distribution::{Component, Family, ParamError};
use crate::format;
use crate::quantity::{self, Kind, Unit};
use crate::random::stream_id;
use crate::scenario::raw::{
    RawDeadline, RawDeadlineAt, RawDist, RawMilestone, RawOperand, RawRoute, RawScenario, RawStep,
};
use crate::time::local_day;
use std::collections::HashMap;
use std::ops::Range;
use toml::{Spanned, Value};

type Result<T> = std::result::Result<T, Diagnostic>;

mod calendars;
mod clock;
mod conditional;
mod correlations;
mod dist;
mod forks;
mod graph;
mod metalogs;
mod mixtures;
mod observed;
mod quantities;
mod steps;
#[cfg(test)]
mod tests;
mod timetable;
mod uncertain;
mod windows;

use clock::*;
use conditional::*;
use correlations::*;
use dist::*;
use forks::*;
use graph::*;
use metalogs::*;
use mixtures::*;
pub use observed::observations;
use quantities::*;
use uncertain::*;

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
        inline_count: HashMap::new(),
        routes: Vec::new(),
        conditionals: Vec::new(),
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
    // Conditional inputs wait until every input and route is known: their conditions may be
    // written after them.
    let mut conditionals = Vec::new();
    for (name, dist) in &raw.inputs {
        c.declare(name, "input")?;
        let input = if dist.get_ref().dist.get_ref() == "conditional" {
            conditionals.push(c.inputs.len());
            placeholder(name.get_ref())?
        } else {
            c.input(name.get_ref(), dist.get_ref(), dist.span(), false)?
        };
        c.input_index.insert(name.get_ref().clone(), c.inputs.len());
        c.inputs.push(input);
    }
    c.conditionals = conditionals.clone();
    let routes = c.routes(&raw.routes)?;
    c.routes = routes.clone();
    for k in conditionals {
        if let Some((name, dist)) = raw.inputs.get_index(k) {
            c.inputs[k] = c.conditional(
                name.get_ref(),
                dist.get_ref(),
                dist.span(),
                false,
                Some(&raw.inputs),
            )?;
        }
    }
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
    let calendars = calendars::calendars(&raw.calendars, &display_zone, &milestones)?;
    let mut steps = Vec::with_capacity(raw.steps.len());
    for (i, step) in raw.steps.iter().enumerate() {
        let mut compiled = c.step(i, step, &milestone_index, &milestones, &route_names)?;
        compiled.calendar = step_calendar(step.get_ref(), &compiled, &calendars)?;
        steps.push(compiled);
    }
    let incoming = incoming_steps(&steps, milestones.len());
    let eval_order = order_milestones(raw, &steps, &milestones, &incoming)?;
    let upstream = upstream(&steps, &incoming, &eval_order);
    let forks = forks(
        raw,
        &ForkContext {
            milestone_index: &milestone_index,
            milestones: &milestones,
            steps: &steps,
            routes: &routes,
            input_index: &c.input_index,
            inputs: &c.inputs,
            upstream: &upstream,
        },
    )?;
    step_branches(raw, &mut steps, &forks, &upstream)?;
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
        deadlines.push(deadline(
            id,
            d.get_ref(),
            &milestone_index,
            &milestones,
            &routes,
        )?);
    }
    let reach = reachability(&steps, &milestones, &incoming, &eval_order, routes.len());
    for ((_, d), compiled) in raw.deadlines.iter().zip(&mut deadlines) {
        if let Some(text) = d
            .get_ref()
            .require
            .as_ref()
            .and_then(|r| r.get_ref().branch.as_ref())
        {
            compiled.require_branch = Some(branch_ref(text, &forks)?);
        }
    }
    for ((id, d), compiled) in raw.deadlines.iter().zip(&deadlines) {
        if let Some(r) = compiled.require_route
            && !reach
                .get(r)
                .is_some_and(|reached| reached[compiled.milestone])
        {
            return Err(required_route_misses(id, d.get_ref(), &routes[r].name));
        }
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

    let correlation = correlation(raw, &c.input_index, &c.inputs)?;
    let has_conditionals = c.inputs.iter().any(|i| i.cases.is_some());
    let mut model = Model {
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
        correlation,
        observed: Observed::default(),
        given: Observed::default(),
        has_conditionals,
        calendars,
        forks,
    };
    if let Some(o) = &raw.observed {
        model.observed = observations(o.get_ref(), &model)?;
        if model.observed.condition {
            model.given = model.observed.clone();
        }
    }
    Ok(model)
}

/// A step's `calendar`: on a dwell or a travel step without a timetable.
fn step_calendar(
    raw: &RawStep,
    step: &Step,
    calendars: &[crate::model::Calendar],
) -> Result<Option<usize>> {
    let Some(name) = &raw.calendar else {
        return Ok(None);
    };
    if step.kind == StepKind::Delay || step.timetable.is_some() {
        return Err(Diagnostic::at(
            "only a dwell or a travel step without a timetable counts its duration in a calendar",
            name.span(),
            "not on this step",
        )
        .with_help("remove `calendar`, or put the working-time part in a dwell step of its own"));
    }
    calendars::calendar_ref(name, calendars).map(Some)
}

struct Compiler {
    /// Every declared name and what it names, so names stay unique across kinds.
    names: HashMap<String, &'static str>,
    inputs: Vec<Input>,
    input_index: HashMap<String, usize>,
    /// How many inline inputs each step field (`a_to_b.duration`) has named so far, so the next
    /// parallel step's name is found at once rather than by trying every name before it.
    inline_count: HashMap<String, usize>,
    /// The routes, once compiled (conditional inputs may depend on them).
    routes: Vec<Route>,
    /// The named conditional inputs, compiled after the routes.
    conditionals: Vec<usize>,
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
        if raw.dist.get_ref() == "conditional" {
            return self.conditional(name, raw, span, inline, None);
        }
        let (kind, dist) = distribution(raw, span)?;
        Ok(Input {
            name: name.to_owned(),
            kind,
            dist,
            stream: stream_id(name),
            inline,
            description: raw.description.clone(),
            cases: None,
        })
    }

    fn routes(&mut self, raw: &crate::scenario::raw::Table<RawRoute>) -> Result<Vec<Route>> {
        let mut routes = Vec::new();
        let mut total = 0.0;
        let mut uncertain = false;
        for (name, r) in raw {
            self.declare(name, "route")?;
            let p = &r.get_ref().probability;
            let value = match p.get_ref() {
                Value::Float(f) => *f,
                Value::Integer(i) => *i as f64,
                Value::String(input) => {
                    uncertain = true;
                    routes.push(self.uncertain_route(name, r.get_ref(), input, p.span())?);
                    continue;
                }
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
                    format!(
                        "a probability must be between 0 and 1, found {}",
                        format::number(value)
                    ),
                    p.span(),
                    "out of range",
                ));
            }
            total += value;
            routes.push(Route {
                name: name.get_ref().clone(),
                probability: value,
                description: r.get_ref().description.clone(),
                input: None,
                share: value,
            });
        }
        if uncertain {
            return share_the_rest(routes, raw, &self.inputs);
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

/// Stands in for a conditional input until every input and route it may depend on is compiled.
fn placeholder(name: &str) -> Result<Input> {
    Ok(Input {
        name: name.to_owned(),
        kind: Kind::Number,
        dist: Dist::new(Family::Fixed { value: 0.0 }, None, None)
            .map_err(|e| Diagnostic::new(format!("{e:?}")))?,
        stream: stream_id(name),
        inline: false,
        description: None,
        cases: None,
    })
}
