//! Quantiles an input states (p10, p50, p90, `between`, `quantiles`) and metalogs fitted to them.

use super::*;

/// The quantiles an input states by `p10`, `p50`, `p90` and `between` (the 5th and 95th
/// percentiles), as (probability, value, where the value is written).
pub(super) fn stated_quantiles(
    raw: &RawDist,
    q: &Quantities,
) -> Result<Vec<(f64, f64, Range<usize>)>> {
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
pub(super) fn metalog_family(raw: &RawDist, q: &Quantities, span: Range<usize>) -> Result<Family> {
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
pub(super) fn infeasible_metalog(
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
