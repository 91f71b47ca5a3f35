//! Mixtures: each component compiled like an input, one kind for all, weights summing to 1.

use super::*;

/// A mixture: each component compiled like an input (inheriting the mixture's unit), all of one
/// kind, with weights that sum to 1; `lower`/`upper` truncate the mixture as a whole.
pub(super) fn mixture(
    raw: &RawDist,
    span: Range<usize>,
    unit: Option<Unit>,
) -> Result<(Kind, Dist)> {
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
