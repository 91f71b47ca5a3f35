//! `[observed]` (and `--observed` files and `--at` flags, which use the same table): what has
//! been seen, resolved against a compiled model and checked for consistency. A route that never
//! reaches an observed milestone, two milestones observed in an order no trial can produce, or
//! a milestone observed as reached after a time by which a later one was not yet reached are
//! errors located at the text.

use super::*;
use crate::model::observed::{Kernel, NotReached, ObservedInput, ObservedMilestone};
use crate::scenario::raw::{RawObservation, RawObserved};

/// Resolves `raw` against `model`.
pub fn observations(raw: &RawObserved, model: &Model) -> Result<Observed> {
    let mut out = Observed {
        condition: raw.condition.as_ref().is_none_or(|c| *c.get_ref()),
        ..Observed::default()
    };
    let route_names: Vec<&str> = model.routes.iter().map(|r| r.name.as_str()).collect();
    if let Some(name) = &raw.route {
        let r = route_names
            .iter()
            .position(|r| r == name.get_ref())
            .ok_or_else(|| unknown("route", "routes", name, &route_names))?;
        out.route = Some(r);
    }
    let index: HashMap<String, usize> = model
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    // Each milestone observation with the text it was written as, for messages.
    let mut reached_spans = Vec::new();
    let mut not_reached_spans = Vec::new();
    for (id, o) in &raw.milestones {
        let milestone = milestone_ref(id, &index)?;
        let span = o.span();
        let o = o.get_ref();
        let zone = match &o.zone {
            Some(z) => zone(z)?,
            None => model.milestones[milestone].zone.clone(),
        };
        match (&o.at, &o.not_by) {
            (Some(at), None) => {
                let kernel = kernel(o)?;
                out.milestones.push(ObservedMilestone {
                    milestone,
                    at: local_instant(at, &zone)?,
                    zone,
                    kernel,
                });
                reached_spans.push((id, at));
            }
            (None, Some(by)) => {
                if let Some(extra) = o.within.as_ref().or(o.sd.as_ref()) {
                    return Err(Diagnostic::at(
                        "`within` and `sd` say how exactly a time was seen; `not_by` takes neither",
                        extra.span(),
                        "not with `not_by`",
                    )
                    .with_help("\"not yet reached by T\" is exact: remove it"));
                }
                out.not_reached.push(NotReached {
                    milestone,
                    by: local_instant(by, &zone)?,
                    zone,
                });
                not_reached_spans.push((id, by));
            }
            (Some(_), Some(by)) => {
                return Err(Diagnostic::at(
                    format!(
                        "milestone `{}` is observed both reached (`at`) and not yet reached (`not_by`)",
                        id.get_ref()
                    ),
                    by.span(),
                    "one or the other",
                )
                .with_help("keep `at` once it has been reached"));
            }
            (None, None) => {
                return Err(Diagnostic::at(
                    format!(
                        "the observation of milestone `{}` says neither when it was reached nor by when it was not",
                        id.get_ref()
                    ),
                    span,
                    "needs `at` or `not_by`",
                )
                .with_help("e.g. { at = \"2023-09-10T15:00\" } or { not_by = \"2023-09-11T10:00\" }"));
            }
        }
    }
    check_route(model, &out, &reached_spans, raw)?;
    check_order(model, &out, &reached_spans, &not_reached_spans)?;
    for (name, branch) in &raw.branches {
        out.branches.push(observed_branch(model, name, branch)?);
    }
    for (label, happened) in &raw.events {
        out.events
            .push((observed_event(model, label)?, *happened.get_ref()));
    }
    for (name, value) in &raw.inputs {
        out.inputs.push(observed_input(model, name, value)?);
    }
    Ok(out)
}

/// The kernel `within` or `sd` asks for (neither: exact).
fn kernel(o: &RawObservation) -> Result<Kernel> {
    let width = |text: &Spanned<String>, key: &str| -> Result<f64> {
        match quantity::parse_literal(text.get_ref()) {
            Ok((Kind::Duration, v)) if v > 0.0 && v.is_finite() => Ok(v),
            _ => Err(Diagnostic::at(
                format!("`{key}` \"{}\" is not a positive duration", text.get_ref()),
                text.span(),
                "expected a duration",
            )
            .with_help(format!("e.g. {key} = \"30 min\""))),
        }
    };
    match (&o.within, &o.sd) {
        (None, None) => Ok(Kernel::Exact),
        (Some(w), None) => Ok(Kernel::Box {
            half_width: width(w, "within")?,
        }),
        (None, Some(s)) => Ok(Kernel::Normal {
            sd: width(s, "sd")?,
        }),
        (Some(_), Some(s)) => Err(Diagnostic::at(
            "give `within` (a box: anywhere within that much of the time) or `sd` (a normal error), not both",
            s.span(),
            "one or the other",
        )),
    }
}

/// An observed route must reach every milestone observed as reached.
fn check_route(
    model: &Model,
    out: &Observed,
    spans: &[(&Spanned<String>, &Spanned<String>)],
    raw: &RawObserved,
) -> Result<()> {
    let (Some(r), Some(name)) = (out.route, &raw.route) else {
        return Ok(());
    };
    let reach = reachability(
        &model.steps,
        &model.milestones,
        &model.incoming,
        &model.eval_order,
        model.routes.len(),
    );
    for (o, (id, _)) in out.milestones.iter().zip(spans) {
        if !reach[r][o.milestone] {
            return Err(Diagnostic::at(
                format!(
                    "milestone `{}` is observed, but the observed route `{}` never reaches it",
                    id.get_ref(),
                    name.get_ref()
                ),
                id.span(),
                "not on that route",
            )
            .with_help("check the observed route, or the milestone's steps' `route`"));
        }
    }
    Ok(())
}

/// Observed times must be in an order some trial can produce: a milestone every trial reaches
/// after another is not observed before it, nor reached by a time the other was not yet.
fn check_order(
    model: &Model,
    out: &Observed,
    reached: &[(&Spanned<String>, &Spanned<String>)],
    not_reached: &[(&Spanned<String>, &Spanned<String>)],
) -> Result<()> {
    let before = always_before(
        model.milestones.len(),
        &model.steps,
        &model.incoming,
        &model.eval_order,
    );
    let help = "check both times and their zones (each is read in its milestone's zone unless `zone` says otherwise)";
    for (later, (later_id, later_at)) in out.milestones.iter().zip(reached) {
        for (earlier, (earlier_id, _)) in out.milestones.iter().zip(reached) {
            if before[later.milestone][earlier.milestone] && later.at < earlier.at {
                return Err(Diagnostic::at(
                    format!(
                        "`{}` is observed at \"{}\", before `{}` ({}), but no trial reaches `{}` \
                         before `{}`",
                        later_id.get_ref(),
                        later_at.get_ref(),
                        earlier_id.get_ref(),
                        crate::time::rfc3339(earlier.at as f64, &earlier.zone),
                        later_id.get_ref(),
                        earlier_id.get_ref(),
                    ),
                    later_at.span(),
                    "earlier than its predecessor",
                )
                .with_help(help));
            }
        }
        for (pending, (pending_id, by)) in out.not_reached.iter().zip(not_reached) {
            if before[later.milestone][pending.milestone] && later.at <= pending.by {
                return Err(Diagnostic::at(
                    format!(
                        "`{}` is observed not yet reached by \"{}\", but `{}`, which every trial \
                         reaches after it, is observed reached at {}",
                        pending_id.get_ref(),
                        by.get_ref(),
                        later_id.get_ref(),
                        crate::time::rfc3339(later.at as f64, &later.zone),
                    ),
                    by.span(),
                    "contradicts a later milestone",
                )
                .with_help(help));
            }
        }
    }
    Ok(())
}

/// `branches.FORK = "BRANCH"`.
fn observed_branch(
    model: &Model,
    name: &Spanned<String>,
    branch: &Spanned<String>,
) -> Result<(usize, u8)> {
    let names: Vec<&str> = model.forks.iter().map(|f| f.name.as_str()).collect();
    let f = names
        .iter()
        .position(|n| n == name.get_ref())
        .ok_or_else(|| unknown("fork", "forks", name, &names))?;
    let fork = &model.forks[f];
    let branches: Vec<&str> = fork.branches.iter().map(|b| b.name.as_str()).collect();
    let b = branches
        .iter()
        .position(|b| b == branch.get_ref())
        .ok_or_else(|| {
            Diagnostic::at(
                format!("fork `{}` has no branch `{}`", fork.name, branch.get_ref()),
                branch.span(),
                "no such branch",
            )
            .suggest(branch.get_ref(), branches.iter().copied())
            .with_help_if_none(format!("its branches: {}", branches.join(", ")))
        })?;
    Ok((f, b as u8))
}

/// `events.LABEL = true | false`: a delay step's label, as its index among the chance steps.
fn observed_event(model: &Model, label: &Spanned<String>) -> Result<usize> {
    let chance = model.chance_steps();
    let labels: Vec<&str> = chance
        .iter()
        .filter_map(|&s| model.steps[s].label.as_deref())
        .collect();
    let mut found = chance
        .iter()
        .enumerate()
        .filter(|&(_, &s)| model.steps[s].label.as_deref() == Some(label.get_ref().as_str()));
    let Some((k, _)) = found.next() else {
        return Err(Diagnostic::at(
            format!("unknown event `{}`", label.get_ref()),
            label.span(),
            "no delay step has this label",
        )
        .suggest(label.get_ref(), labels.iter().copied())
        .with_help_if_none(
            "`events` names the label of a delay step; a bernoulli input goes under `inputs`"
                .into(),
        ));
    };
    if found.next().is_some() {
        return Err(Diagnostic::at(
            format!(
                "two delay steps are labelled `{}`: the observation cannot tell which",
                label.get_ref()
            ),
            label.span(),
            "ambiguous",
        )
        .with_help("give the delay steps different labels"));
    }
    Ok(k)
}

/// `inputs.NAME = VALUE`, in the input's own kind of quantity.
fn observed_input(
    model: &Model,
    name: &Spanned<String>,
    value: &Spanned<Value>,
) -> Result<ObservedInput> {
    let declared = || {
        model
            .inputs
            .iter()
            .filter(|i| !i.inline)
            .map(|i| i.name.as_str())
    };
    let Some(k) = model
        .inputs
        .iter()
        .position(|i| !i.inline && &i.name == name.get_ref())
    else {
        return Err(Diagnostic::at(
            format!("unknown input `{}`", name.get_ref()),
            name.span(),
            "no such input",
        )
        .suggest(name.get_ref(), declared())
        .with_help_if_none("observe an input declared under [inputs]".into()));
    };
    let input = &model.inputs[k];
    if input.cases.is_some() {
        return Err(Diagnostic::at(
            format!(
                "`{}` is a conditional input: its observed value cannot be conditioned on",
                input.name
            ),
            name.span(),
            "conditional input",
        )
        .with_help("observe the input it depends on, or the milestone it decides"));
    }
    let v = Quantities {
        unit: None,
        kind: input.kind,
    }
    .param(value, "value")
    .map_err(|mut d| {
        // The key the user wrote is the input's name under `inputs`, not a `value`.
        d.message = d
            .message
            .replace("`value`", &format!("`inputs.{}`", input.name));
        d
    })?;
    let (lo, hi) = input.support();
    if v < lo
        || v > hi
        || (input.is_discrete() && input.dist.cdf(v) - input.dist.cdf(v - 1e-9) <= 0.0)
    {
        return Err(Diagnostic::at(
            format!(
                "`{}` cannot take the observed value {}: its distribution never draws it",
                input.name,
                format::format_quantity(input.kind, v)
            ),
            value.span(),
            "impossible value",
        )
        .with_help("check the value and its unit, or the input's distribution"));
    }
    let correlated = model
        .correlation
        .as_ref()
        .is_some_and(|c| c.inputs.contains(&k));
    Ok(ObservedInput {
        input: k,
        value: v,
        quantile: correlated.then(|| input.dist.cdf(v)),
    })
}

/// "unknown route `x`", with a suggestion or the names the scenario declares.
fn unknown(what: &str, table: &str, name: &Spanned<String>, names: &[&str]) -> Diagnostic {
    Diagnostic::at(
        format!("unknown {what} `{}`", name.get_ref()),
        name.span(),
        format!("no such {what}"),
    )
    .suggest(name.get_ref(), names.iter().copied())
    .with_help_if_none(if names.is_empty() {
        format!("this scenario declares no [{table}]")
    } else {
        format!("declared {table}: {}", names.join(", "))
    })
}

/// `before[b][a]`: every trial that reaches `b` has reached `a` no later. Steps never take
/// negative time, so `a` is before `b` if it is before (or is the start of) every step into `b`:
/// the intersection over incoming steps is right for a `first` join and conservative for `all`.
pub(super) fn always_before(
    count: usize,
    steps: &[Step],
    incoming: &[Vec<usize>],
    order: &[usize],
) -> Vec<Vec<bool>> {
    let mut before = vec![vec![false; count]; count];
    for &m in order {
        let mut set: Option<Vec<bool>> = None;
        for &s in &incoming[m] {
            let from = steps[s].from;
            let mut via = before[from].clone();
            via[from] = true;
            set = Some(match set {
                None => via,
                Some(acc) => acc.iter().zip(&via).map(|(a, b)| *a && *b).collect(),
            });
        }
        if let Some(set) = set {
            before[m] = set;
        }
    }
    before
}
