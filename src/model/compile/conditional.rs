//! Conditional inputs (`dist = "conditional"`): an input whose distribution depends on another
//! input's value or on the route, one case per value and an optional default; the keys that
//! belong only to them are refused anywhere else.

use super::*;
use crate::model::{Case, Cases, Condition};

/// The condition keyword that means the trial's route rather than an input.
const ROUTE: &str = "route";

/// Refuses `on`, `cases`, `default` outside a conditional input, `when` outside one of its cases,
/// and a conditional where only a plain distribution may stand (a case, a mixture component).
pub(super) fn reject_condition_keys(raw: &RawDist, family: &str, in_case: bool) -> Result<()> {
    if family == "conditional" {
        return Err(Diagnostic::at(
            "a conditional cannot stand inside a mixture or another conditional",
            raw.dist.span(),
            "nested conditional",
        )
        .with_help("write the conditional as a named input under [inputs], with plain distributions as its cases"));
    }
    let spans = [
        ("on", raw.on.as_ref().map(|v| v.span())),
        ("cases", raw.cases.as_ref().map(|v| v.span())),
        ("default", raw.default.as_ref().map(|v| v.span())),
    ];
    if let Some((key, Some(span))) = spans.into_iter().find(|(_, s)| s.is_some()) {
        return Err(Diagnostic::at(
            format!("`{key}` is only used by a conditional input"),
            span,
            format!("not a parameter of the {family} distribution"),
        )
        .with_help("write { dist = \"conditional\", on = \"INPUT\", cases = [{ when = VALUE, dist = ... }], default = { dist = ... } }"));
    }
    if let Some(when) = raw.when.as_ref().filter(|_| !in_case) {
        return Err(Diagnostic::at(
            "`when` is only used in the cases of a conditional input",
            when.span(),
            "not in a case",
        ));
    }
    Ok(())
}

/// The raw `on` of every conditional input that names another conditional, followed until it
/// ends or comes back: the cycle, if there is one, as names.
fn cycle_through(
    start: &str,
    inputs: &crate::scenario::raw::Table<RawDist>,
) -> Option<Vec<String>> {
    let mut chain = vec![start.to_owned()];
    let mut at = start.to_owned();
    loop {
        let raw = inputs.iter().find(|(k, _)| *k.get_ref() == at)?.1.get_ref();
        if raw.dist.get_ref() != "conditional" {
            return None;
        }
        let next = raw.on.as_ref()?.get_ref().clone();
        if next == start {
            chain.push(next);
            return Some(chain);
        }
        if chain.contains(&next) || chain.len() > inputs.len() {
            return None;
        }
        chain.push(next.clone());
        at = next;
    }
}

impl Compiler {
    /// Compiles a conditional input: its condition (a named, already compiled input or the
    /// route), its cases (each any family, in the conditional's unit) and its default.
    pub(super) fn conditional(
        &self,
        name: &str,
        raw: &RawDist,
        span: Range<usize>,
        inline: bool,
        all: Option<&crate::scenario::raw::Table<RawDist>>,
    ) -> Result<Input> {
        let routes = &self.routes;
        for (key, param) in raw.given() {
            if key != "unit" {
                return Err(Diagnostic::at(
                    format!("`{key}` is not a key of a conditional input"),
                    param.span(),
                    "not used here",
                )
                .with_help("a conditional takes `on`, `cases`, `default` and `unit`; write the distribution's parameters in each case"));
            }
        }
        if let Some(when) = &raw.when {
            return Err(Diagnostic::at(
                "`when` belongs in a case, not on the conditional itself",
                when.span(),
                "not in a case",
            ));
        }
        let Some(on) = &raw.on else {
            return Err(Diagnostic::at(
                "a conditional input needs `on`: the input (or `route`) its cases depend on",
                span,
                "`on` missing",
            )
            .with_help("e.g. on = \"departure_day\", or on = \"route\""));
        };
        let unit = match &raw.unit {
            None => None,
            Some(u) => Some(quantity::parse_unit(u.get_ref()).ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown unit \"{}\"", u.get_ref()),
                    u.span(),
                    "not a unit eta knows",
                )
                .suggest(u.get_ref(), quantity::unit_names())
            })?),
        };
        let condition = self.condition(name, on, all, routes)?;
        let Some(list) = &raw.cases else {
            return Err(Diagnostic::at(
                "a conditional input needs `cases`",
                span,
                "`cases` missing",
            )
            .with_help("e.g. cases = [{ when = \"2023-09-11\", dist = \"uniform\", min = \"04:00\", max = \"12:00\" }]"));
        };
        if list.get_ref().is_empty() && raw.default.is_none() {
            return Err(Diagnostic::at(
                "a conditional input needs at least one case",
                list.span(),
                "no cases",
            ));
        }
        let (values, kind_of_condition) = match condition {
            Condition::Route => (
                (0..routes.len()).map(|r| r as f64).collect::<Vec<_>>(),
                None,
            ),
            Condition::Input(k) => (self.condition_values(k, on)?, Some(self.inputs[k].kind)),
        };
        let fixed_condition =
            matches!(condition, Condition::Input(k) if self.inputs[k].dist.fixed_value().is_some());
        let show = |v: f64| match kind_of_condition {
            None => routes[v as usize].name.clone(),
            Some(kind) => format::format_quantity(kind, v),
        };
        let mut cases: Vec<Case> = Vec::new();
        let mut select: Vec<(f64, usize)> = Vec::new();
        let mut kind: Option<Kind> = unit.map(|u| u.kind);
        let mut add_case = |case: &RawDist,
                            at: Range<usize>,
                            when: String,
                            cases: &mut Vec<Case>| {
            let (k, dist) = distribution_in(case, at.clone(), Within::Case(unit))?;
            match kind {
                Some(expected) if expected != k => {
                    return Err(Diagnostic::at(
                        format!("this case is {k}, but the conditional's other cases are {expected}"),
                        at,
                        format!("{k}"),
                    )
                    .with_help("every case of a conditional is the same kind of quantity: give the conditional a `unit`, or write each case's values with their units"));
                }
                _ => kind = Some(k),
            }
            cases.push(Case {
                stream: stream_id(&format!("{name}|when={when}")),
                when,
                dist,
            });
            Ok(())
        };
        for case in list.get_ref() {
            let Some(when) = &case.get_ref().when else {
                return Err(Diagnostic::at(
                    "each case of a conditional needs `when`: the value of the condition it applies to",
                    case.span(),
                    "`when` missing",
                )
                .with_help("for values no case names, write `default = { dist = ... }` beside `cases`"));
            };
            let value = match condition {
                Condition::Route => {
                    let Some(r) = when
                        .get_ref()
                        .as_str()
                        .and_then(|w| routes.iter().position(|x| x.name == w))
                    else {
                        return Err(unknown_route(
                            format!("`when` must name a route, found {}", when.get_ref()),
                            when.get_ref().as_str().unwrap_or(""),
                            when.span(),
                            routes,
                        ));
                    };
                    r as f64
                }
                Condition::Input(k) => self.when_value(when, k)?,
            };
            if select.iter().any(|(v, _)| *v == value) {
                return Err(Diagnostic::at(
                    format!("two cases are for {}", show(value)),
                    when.span(),
                    "repeated value",
                )
                .with_help("keep one case for each value"));
            }
            if !values.contains(&value) && !fixed_condition {
                let listed: Vec<String> = values.iter().map(|&v| show(v)).collect();
                return Err(Diagnostic::at(
                    format!("`{}` never takes the value {}", on.get_ref(), show(value)),
                    when.span(),
                    "not among the condition's values",
                )
                .with_help(format!("its values are: {}", listed.join(", "))));
            }
            select.push((value, cases.len()));
            add_case(case.get_ref(), case.span(), show(value), &mut cases)?;
        }
        let default = match &raw.default {
            Some(d) => {
                add_case(d.get_ref(), d.span(), "default".to_owned(), &mut cases)?;
                Some(cases.len() - 1)
            }
            None => None,
        };
        if default.is_none() {
            let missing: Vec<String> = values
                .iter()
                .filter(|v| !select.iter().any(|(s, _)| s == *v))
                .map(|&v| show(v))
                .collect();
            if !missing.is_empty() {
                return Err(Diagnostic::at(
                    format!(
                        "the cases do not cover every value of `{}`: no case for {}",
                        on.get_ref(),
                        missing.join(", ")
                    ),
                    list.span(),
                    "cases incomplete",
                )
                .with_help(format!(
                    "add a case for {}, or a `default = {{ dist = ... }}` for the values no case names",
                    missing.join(", ")
                )));
            }
        }
        let first = cases.first().map(|c| c.dist.clone()).ok_or_else(|| {
            Diagnostic::at(
                "a conditional input needs at least one case",
                span.clone(),
                "no cases",
            )
        })?;
        Ok(Input {
            name: name.to_owned(),
            kind: kind.unwrap_or(Kind::Number),
            dist: first,
            stream: stream_id(name),
            inline,
            description: raw.description.clone(),
            cases: Some(Box::new(Cases {
                on: condition,
                cases,
                select,
                default,
            })),
        })
    }

    /// Resolves `on`: the route, or a compiled input that is not itself conditional.
    fn condition(
        &self,
        name: &str,
        on: &Spanned<String>,
        all: Option<&crate::scenario::raw::Table<RawDist>>,
        routes: &[Route],
    ) -> Result<Condition> {
        let target = on.get_ref();
        if target == ROUTE && !self.input_index.contains_key(ROUTE) {
            if routes.is_empty() {
                return Err(Diagnostic::at(
                    "`on = \"route\"` needs [routes]",
                    on.span(),
                    "the scenario has no routes",
                ));
            }
            return Ok(Condition::Route);
        }
        let Some(&k) = self.input_index.get(target) else {
            return Err(Diagnostic::at(
                format!("unknown input `{target}`"),
                on.span(),
                "no input has this name",
            )
            .suggest(
                target,
                self.input_index.keys().map(String::as_str).chain([ROUTE]),
            )
            .with_help_if_none("`on` names an input under [inputs], or is \"route\"".into()));
        };
        if let Some(cycle) = all.and_then(|all| cycle_through(name, all)) {
            return Err(Diagnostic::at(
                format!("conditional inputs depend on each other in a cycle: {}", cycle.join(" -> ")),
                on.span(),
                "a cycle",
            )
            .with_help("a condition must be decided before the input that depends on it: make one of them a plain choice"));
        }
        if self.inputs[k].cases.is_some()
            || all
                .into_iter()
                .flatten()
                .any(|(n, d)| n.get_ref() == target && d.get_ref().dist.get_ref() == "conditional")
        {
            return Err(Diagnostic::at(
                format!("`{target}` is itself conditional; a condition must be a plain input"),
                on.span(),
                "a conditional condition",
            )
            .with_help("condition on what `{target}` depends on instead"));
        }
        Ok(Condition::Input(k))
    }

    /// The values a condition input can take: a choice's, an empirical's, a bernoulli's 0 and 1,
    /// a fixed value.
    fn condition_values(&self, k: usize, on: &Spanned<String>) -> Result<Vec<f64>> {
        let mut values = match self.inputs[k].dist.family() {
            Family::Fixed { value } => vec![*value],
            Family::Choice { values, .. } | Family::Empirical { values } => values.clone(),
            Family::Bernoulli { .. } => vec![0.0, 1.0],
            other => {
                return Err(Diagnostic::at(
                    format!(
                        "`{}` is a {} input; a condition must take a few listed values",
                        on.get_ref(),
                        other.name()
                    ),
                    on.span(),
                    "not a condition",
                )
                .with_help("condition on a `choice`, a date `choice`, a `bernoulli`, a `fixed`, an `empirical` input, or on \"route\""));
            }
        };
        values.dedup();
        Ok(values)
    }

    /// A case's `when`, read as a value of condition input `k`: a quantity string in its kind,
    /// a plain number for a plain input, `true`/`false` for a bernoulli.
    fn when_value(&self, when: &Spanned<Value>, k: usize) -> Result<f64> {
        let kind = self.inputs[k].kind;
        let wrong = |found: &str| {
            Diagnostic::at(
                format!(
                    "`when` must be {kind} like `{}`, found {found}",
                    self.inputs[k].name
                ),
                when.span(),
                "wrong kind of value",
            )
            .with_help(format!(
                "write it as the condition's values are written, e.g. {}",
                kind.example()
            ))
        };
        match when.get_ref() {
            Value::Boolean(b) if kind == Kind::Number => Ok(if *b { 1.0 } else { 0.0 }),
            Value::Integer(i) if kind == Kind::Number => Ok(*i as f64),
            Value::Float(f) if kind == Kind::Number => Ok(*f),
            Value::String(s) => {
                let (found, v) = quantity::parse_literal(s)
                    .map_err(|e| Diagnostic::at(e, when.span(), "not understood"))?;
                if found == kind {
                    Ok(v)
                } else {
                    Err(wrong(&format!("\"{s}\" ({found})")))
                }
            }
            other => Err(wrong(&other.to_string())),
        }
    }
}
