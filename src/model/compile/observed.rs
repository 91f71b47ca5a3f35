//! `[observed]`: the outcome a scenario records (the route taken, when milestones were reached),
//! read and checked for consistency with the model: a route that never reaches an observed
//! milestone, or two milestones observed in an order no trial can produce, is an error.

use super::*;
use crate::scenario::raw::RawObserved;

pub(super) fn observed(
    raw: &RawObserved,
    index: &HashMap<String, usize>,
    milestones: &[Milestone],
    route_names: &[&str],
    steps: &[Step],
    incoming: &[Vec<usize>],
    order: &[usize],
) -> Result<Observed> {
    let route = match &raw.route {
        Some(name) => Some(
            route_names
                .iter()
                .position(|r| r == name.get_ref())
                .ok_or_else(|| unknown_route(name, route_names))?,
        ),
        None => None,
    };
    let mut observed = Vec::new();
    let mut spans = Vec::new();
    for (id, o) in &raw.milestones {
        let milestone = milestone_ref(id, index)?;
        let o = o.get_ref();
        let zone = match &o.zone {
            Some(z) => zone(z)?,
            None => milestones[milestone].zone.clone(),
        };
        let at = local_instant(&o.at, &zone)?;
        observed.push(ObservedMilestone {
            milestone,
            at,
            zone,
        });
        spans.push((id, &o.at));
    }
    if let (Some(r), Some(name)) = (route, &raw.route) {
        let reach = reachability(steps, milestones, incoming, order, route_names.len());
        for (o, (id, _)) in observed.iter().zip(&spans) {
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
    }
    let before = always_before(milestones.len(), steps, incoming, order);
    for (later, (later_id, later_at)) in observed.iter().zip(&spans) {
        for (earlier, (earlier_id, _)) in observed.iter().zip(&spans) {
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
                .with_help("check both times and their zones (each is read in its milestone's zone unless `zone` says otherwise)"));
            }
        }
    }
    Ok(Observed {
        route,
        milestones: observed,
    })
}

fn unknown_route(name: &Spanned<String>, route_names: &[&str]) -> Diagnostic {
    Diagnostic::at(
        format!("unknown route `{}`", name.get_ref()),
        name.span(),
        "no such route",
    )
    .suggest(name.get_ref(), route_names.iter().copied())
    .with_help_if_none(if route_names.is_empty() {
        "this scenario declares no [routes]; remove `route`".into()
    } else {
        format!("declared routes: {}", route_names.join(", "))
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
