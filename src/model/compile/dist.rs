//! The distribution compiler: a raw distribution table, checked against its family's keys,
//! read in the input's units and built into a [`Dist`].

use super::*;

/// Which parameters each family takes: (required, optional).
pub(super) fn family_keys(family: &str) -> (&'static [&'static str], &'static [&'static str]) {
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
pub(super) fn params(raw: &RawDist) -> Vec<(&'static str, Range<usize>)> {
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
pub(super) fn is_location(key: &str) -> bool {
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

pub(super) fn is_spread(key: &str) -> bool {
    matches!(key, "sd" | "scale")
}

/// Where a distribution table is written: as an input (named or inline in a step), or as a
/// component of a mixture, which has a `weight` and inherits the mixture's unit.
#[derive(Debug, Clone, Copy)]
pub(super) enum Within {
    Input,
    Mixture(Option<Unit>),
}

/// Builds the distribution of an input, in base units, and the kind of quantity it yields.
pub(super) fn distribution(raw: &RawDist, span: Range<usize>) -> Result<(Kind, Dist)> {
    distribution_in(raw, span, Within::Input)
}

/// As [`distribution`], for a table written `within` an input or a mixture: mixture components
/// go through this same path, so every family, unit and quantile fit works inside a mixture.
pub(super) fn distribution_in(
    raw: &RawDist,
    span: Range<usize>,
    within: Within,
) -> Result<(Kind, Dist)> {
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

pub(super) fn lognormal(raw: &RawDist, q: &Quantities, span: Range<usize>) -> Result<Family> {
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
pub(super) fn per_unit(raw: &RawDist, q: &Quantities, key: &str) -> Result<f64> {
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
