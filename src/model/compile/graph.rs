//! The milestone graph: the steps into each milestone, the order to evaluate them in (cycles
//! reported), and which milestones each route can reach.

use super::*;

pub(super) fn incoming_steps(steps: &[Step], milestones: usize) -> Vec<Vec<usize>> {
    let mut incoming = vec![Vec::new(); milestones];
    for (i, s) in steps.iter().enumerate() {
        incoming[s.to].push(i);
    }
    incoming
}

/// Kahn's topological order of milestones; a cycle is reported at one of its steps.
pub(super) fn order_milestones(
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

pub(super) fn describe_cycle(
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
pub(super) fn reachability(
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

pub(super) fn check_reachable(
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
