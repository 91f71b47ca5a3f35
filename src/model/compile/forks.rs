//! Forks (`[forks.NAME]`): their branches and the conditions on a trial's state that choose
//! them, checked against the graph (a condition may only look at what is already known when
//! the fork's milestone is reached), and the `branch = "fork.branch"` of steps and deadlines.

use super::*;
use crate::model::{Branch, BranchProbability, Fork, Test};
use crate::scenario::raw::{RawBranchProbability, RawFork, RawWhen};

/// Everything a fork's conditions may name, resolved.
pub(super) struct ForkContext<'a> {
    pub milestone_index: &'a HashMap<String, usize>,
    pub milestones: &'a [Milestone],
    pub steps: &'a [Step],
    pub routes: &'a [Route],
    pub input_index: &'a HashMap<String, usize>,
    pub inputs: &'a [Input],
    /// `upstream[m][x]`: a trial reaches `x` before `m` on some path into `m`.
    pub upstream: &'a [Vec<bool>],
}

/// For each milestone, the milestones upstream of it (by the steps, on any route).
pub(super) fn upstream(steps: &[Step], incoming: &[Vec<usize>], order: &[usize]) -> Vec<Vec<bool>> {
    let mut up = vec![vec![false; incoming.len()]; incoming.len()];
    for &m in order {
        for &s in &incoming[m] {
            let from = steps[s].from;
            let before = up[from].clone();
            up[m][from] = true;
            up[m].iter_mut().zip(before).for_each(|(u, b)| *u |= b);
        }
    }
    up
}

pub(super) fn forks(raw: &RawScenario, cx: &ForkContext) -> Result<Vec<Fork>> {
    let mut out = Vec::with_capacity(raw.forks.len());
    for (name, fork) in &raw.forks {
        out.push(one_fork(name, fork.get_ref(), cx)?);
    }
    Ok(out)
}

fn one_fork(name: &Spanned<String>, raw: &RawFork, cx: &ForkContext) -> Result<Fork> {
    let at = milestone_ref(&raw.at, cx.milestone_index)?;
    let list = raw.branches.get_ref();
    if list.len() < 2 || list.len() >= usize::from(crate::model::NOT_REACHED) {
        return Err(Diagnostic::at(
            format!("fork `{}` needs at least two branches", name.get_ref()),
            raw.branches.span(),
            "one way on is not a fork",
        )
        .with_help("e.g. branches = [{ name = \"late\", when = { reached_after = \"10:55\" } }, { name = \"on_time\" }]"));
    }
    let mut branches: Vec<Branch> = Vec::with_capacity(list.len());
    // The chance the branches so far take outright (no `when`, a fixed probability).
    let mut certain = 0.0;
    for spanned in list {
        let b = spanned.get_ref();
        if let Some(default) = branches
            .iter()
            .find(|o| o.when.is_none() && o.probability.is_none())
        {
            return Err(Diagnostic::at(
                format!(
                    "branch `{}` can never be taken: branch `{}` before it takes every trial left",
                    b.name.get_ref(),
                    default.name
                ),
                spanned.span(),
                "never taken",
            )
            .with_help("put the branch with only a name last: it is the default"));
        }
        if !is_identifier(b.name.get_ref()) {
            return Err(Diagnostic::at(
                "a branch name is letters, digits and underscores",
                b.name.span(),
                "not a name",
            ));
        }
        if branches.iter().any(|o| o.name == *b.name.get_ref()) {
            return Err(Diagnostic::at(
                format!("fork `{}` has two branches named `{}`", name.get_ref(), b.name.get_ref()),
                b.name.span(),
                "repeated",
            )
            .with_help("for a chance that depends on the state, write probability = { when = { ... }, then = 0.9, else = 0.1 }"));
        }
        let when = b.when.as_ref().map(|w| test(w, at, cx)).transpose()?;
        let probability = match &b.probability {
            None => None,
            Some(p) => Some(match p.get_ref() {
                RawBranchProbability::Number(v) => BranchProbability::Fixed(chance(*v, p.span())?),
                RawBranchProbability::Conditional(c) => BranchProbability::Given {
                    when: test(&c.when, at, cx)?,
                    then: chance(*c.then.get_ref(), c.then.span())?,
                    otherwise: chance(*c.otherwise.get_ref(), c.otherwise.span())?,
                },
            }),
        };
        if let (None, Some(BranchProbability::Fixed(p))) = (&when, &probability) {
            certain += p;
            if certain > 1.0 + 1e-9 {
                return Err(Diagnostic::at(
                    format!(
                        "the probabilities of fork `{}`'s branches add up to {} by here, more than 1",
                        name.get_ref(),
                        format::trim_number(certain)
                    ),
                    b.probability.as_ref().map_or(spanned.span(), |p| p.span()),
                    "over 1 in total",
                )
                .with_help("branches with probabilities share one draw: their probabilities must add up to at most 1 (the default takes the rest)"));
            }
        }
        branches.push(Branch {
            name: b.name.get_ref().clone(),
            when,
            probability,
        });
    }
    let last = branches
        .last()
        .filter(|b| b.when.is_none() && b.probability.is_none());
    if last.is_none() {
        let span = list.last().map_or(raw.branches.span(), |b| b.span());
        return Err(Diagnostic::at(
            format!(
                "fork `{}` has no default branch: its last branch has a `when` or a `probability`",
                name.get_ref()
            ),
            span,
            "some trials would take no branch",
        )
        .with_help("end the list with a branch that has only a name, e.g. { name = \"otherwise\" }: the trials no other branch takes go there"));
    }
    Ok(Fork {
        name: name.get_ref().clone(),
        at,
        description: raw.description.clone(),
        branches,
        stream: stream_id(&format!("fork:{}", name.get_ref())),
    })
}

fn chance(v: f64, span: Range<usize>) -> Result<f64> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(Diagnostic::at(
            format!("a branch's probability must be between 0 and 1, not {v}"),
            span,
            "out of range",
        )
        .with_help("write a share, e.g. 0.25 for 25%"))
    }
}

/// A `when` table: exactly one condition, on what is known once milestone `at` is reached.
fn test(raw: &Spanned<RawWhen>, at: usize, cx: &ForkContext) -> Result<Test> {
    let w = raw.get_ref();
    let given = [
        w.reached_before.is_some(),
        w.reached_after.is_some(),
        w.later_than.is_some(),
        w.route.is_some(),
        w.happened.is_some(),
    ]
    .iter()
    .filter(|&&g| g)
    .count();
    if given != 1 || (w.by.is_some() && w.later_than.is_none()) {
        return Err(Diagnostic::at(
            "a `when` takes exactly one condition",
            raw.span(),
            if given == 0 { "no condition" } else { "more than one condition" },
        )
        .with_help("one of: reached_before = \"10:55\", reached_after = \"10:55\", later_than = \"milestone\" (with by = \"30 min\"), route = \"name\", happened = \"bernoulli input or delay label\""));
    }
    let zone = &cx.milestones[at].zone;
    if let Some(t) = &w.reached_before {
        return Ok(Test::ReachedBefore(not_before(t, zone)?));
    }
    if let Some(t) = &w.reached_after {
        return Ok(Test::ReachedAfter(not_before(t, zone)?));
    }
    if let Some(other) = &w.later_than {
        let milestone = milestone_ref(other, cx.milestone_index)?;
        if !cx.upstream[at][milestone] {
            return Err(not_known_yet(other, at, cx));
        }
        let by = match &w.by {
            None => 0.0,
            Some(by) => match quantity::parse_literal(by.get_ref()) {
                Ok((Kind::Duration, v)) => v,
                _ => {
                    return Err(
                        Diagnostic::at("`by` is a duration", by.span(), "not a duration")
                            .with_help("e.g. by = \"30 min\""),
                    );
                }
            },
        };
        return Ok(Test::LaterThan { milestone, by });
    }
    if let Some(route) = &w.route {
        return match cx.routes.iter().position(|r| r.name == *route.get_ref()) {
            Some(r) => Ok(Test::Route(r)),
            None => Err(unknown_route(
                format!("unknown route `{}`", route.get_ref()),
                route.get_ref(),
                route.span(),
                cx.routes,
            )),
        };
    }
    let Some(event) = &w.happened else {
        return unreachable_family(raw.span());
    };
    happened(event, at, cx)
}

/// `happened = NAME`: a bernoulli input, or the label of a delay step that ends at or before
/// the fork's milestone.
fn happened(event: &Spanned<String>, at: usize, cx: &ForkContext) -> Result<Test> {
    let name = event.get_ref();
    if let Some(&k) = cx.input_index.get(name) {
        let input = &cx.inputs[k];
        let (lo, hi) = input.support();
        if !(input.is_discrete() && lo >= 0.0 && hi <= 1.0) {
            return Err(Diagnostic::at(
                format!("`{name}` is not a yes/no event: `happened` takes a bernoulli input"),
                event.span(),
                "not a bernoulli",
            ));
        }
        return Ok(Test::Input(k));
    }
    let chance_steps = cx
        .steps
        .iter()
        .filter(|s| matches!(s.duration, StepDuration::Chance { .. }));
    let mut labelled = chance_steps
        .clone()
        .enumerate()
        .filter(|(_, s)| s.label.as_deref() == Some(name.as_str()));
    let found = labelled.next();
    if labelled.next().is_some() {
        return Err(Diagnostic::at(
            format!("two delay steps are labelled `{name}`: `happened` cannot tell which"),
            event.span(),
            "ambiguous",
        )
        .with_help("give the delay steps different labels"));
    }
    let Some((k, step)) = found else {
        let labels = chance_steps.filter_map(|s| s.label.as_deref());
        let inputs = cx.input_index.keys().map(String::as_str);
        return Err(Diagnostic::at(
            format!("unknown event `{name}`"),
            event.span(),
            "no bernoulli input or delay step has this name",
        )
        .suggest(name, labels.chain(inputs))
        .with_help_if_none(
            "`happened` names a bernoulli input or the label of a delay step".to_owned(),
        ));
    };
    if step.to != at && !cx.upstream[at][step.to] {
        return Err(not_known_yet(event, at, cx));
    }
    Ok(Test::Event(k))
}

/// A condition on a milestone a trial need not have passed when it reaches the fork.
fn not_known_yet(name: &Spanned<String>, at: usize, cx: &ForkContext) -> Diagnostic {
    Diagnostic::at(
        format!(
            "`{}` is not upstream of the fork's milestone `{}`: it cannot be known yet when the fork is decided",
            name.get_ref(),
            cx.milestones[at].id
        ),
        name.span(),
        "not known at the fork",
    )
    .with_help("a fork may only look at milestones (and delays) that every path into it passes before; a condition on a later milestone would be a cycle")
}

/// Resolves `"fork.branch"` to (fork, branch).
pub(super) fn branch_ref(text: &Spanned<String>, forks: &[Fork]) -> Result<(usize, u8)> {
    let all = || {
        forks
            .iter()
            .flat_map(|f| {
                f.branches
                    .iter()
                    .map(move |b| format!("{}.{}", f.name, b.name))
            })
            .collect::<Vec<_>>()
    };
    let found = text.get_ref().split_once('.').and_then(|(f, b)| {
        let k = forks.iter().position(|x| x.name == f)?;
        let j = forks[k].branches.iter().position(|x| x.name == b)?;
        Some((k, j as u8))
    });
    found.ok_or_else(|| {
        let names = all();
        Diagnostic::at(
            format!("unknown branch `{}`", text.get_ref()),
            text.span(),
            "no fork has this branch",
        )
        .suggest(text.get_ref(), names.iter().map(String::as_str))
        .with_help_if_none(if names.is_empty() {
            "declare a fork under [forks.NAME] with branches = [...], then write \"NAME.BRANCH\""
                .to_owned()
        } else {
            format!("the branches are: {}", names.join(", "))
        })
    })
}

/// Sets each step's `branch`, refusing a step that may run before its fork is decided.
pub(super) fn step_branches(
    raw: &RawScenario,
    steps: &mut [Step],
    forks: &[Fork],
    upstream: &[Vec<bool>],
) -> Result<()> {
    for (step, r) in steps.iter_mut().zip(&raw.steps) {
        let Some(text) = &r.get_ref().branch else {
            continue;
        };
        let (f, b) = branch_ref(text, forks)?;
        let at = forks[f].at;
        if step.from != at && !upstream[step.from][at] {
            return Err(Diagnostic::at(
                format!(
                    "this step may start before fork `{}` is decided: its `from` is not the fork's milestone or after it",
                    forks[f].name
                ),
                text.span(),
                "branch not known yet",
            )
            .with_help("tag steps that leave the fork's milestone (or come after it) with its branches"));
        }
        step.branch = Some((f, b));
    }
    Ok(())
}
