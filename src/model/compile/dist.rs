//! The distribution compiler: a raw distribution table, checked against its family's keys,
//! read in the input's units and built into a [`Dist`]. Which keys a family takes, what they
//! mean and how the family is built from them is the table in `distribution::families`; this
//! file reads the table's keys from the scenario text for it.

use super::*;
use crate::distribution::families::{self, Build, Reader as _};
use crate::scenario::raw::RawParam;

/// Where a distribution table is written: as an input (named or inline in a step), or as a
/// component of a mixture, which has a `weight` and inherits the mixture's unit.
#[derive(Debug, Clone, Copy)]
pub(super) enum Within {
    Input,
    Mixture(Option<Unit>),
    /// A case of a conditional input: it has a `when` and inherits the conditional's unit.
    Case(Option<Unit>),
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
    reject_condition_keys(raw, family, matches!(within, Within::Case(_)))?;
    let names = || families::FAMILIES.iter().map(|f| f.name);
    let Some(spec) = families::spec(family) else {
        return Err(Diagnostic::at(
            format!("unknown distribution \"{family}\""),
            raw.dist.span(),
            "not a distribution eta knows",
        )
        .suggest(family, names())
        .with_help_if_none(format!(
            "expected one of: {}",
            names().collect::<Vec<_>>().join(", ")
        )));
    };
    if family == "mixture" && matches!(within, Within::Mixture(_)) {
        return Err(Diagnostic::at(
            "a mixture component cannot itself be a mixture",
            raw.dist.span(),
            "a mixture inside a mixture",
        )
        .with_help("list its components in the outer mixture, each weight multiplied by this component's weight"));
    }
    let given = raw.given();
    for (key, param) in &given {
        if *key == "weight" {
            // A component's weight is read by the mixture; anywhere else it means nothing.
            if !matches!(within, Within::Mixture(_)) {
                return Err(Diagnostic::at(
                    "`weight` is only used in the components of a mixture",
                    param.span(),
                    "not a parameter of an input",
                )
                .with_help("to draw from several distributions, write { dist = \"mixture\", components = [{ weight = 0.7, dist = ... }, { weight = 0.3, dist = ... }] }"));
            }
            continue;
        }
        if spec.key(key).is_none() {
            let takes: Vec<&str> = spec.keys().map(|k| k.name).collect();
            return Err(Diagnostic::at(
                format!("`{key}` is not a parameter of the {family} distribution"),
                param.span(),
                "not used by this family",
            )
            .with_help(format!("{family} takes: {}", takes.join(", "))));
        }
    }
    // Given by quantiles, the family's own parameters are fitted, so none is required (and
    // none may be given beside them). A metalog is always given by quantiles, with its own keys.
    let by_quantiles = family != "metalog"
        && given
            .iter()
            .any(|(k, _)| families::QUANTILE_KEYS.contains(k));
    if by_quantiles
        && let Some((key, param)) = given.iter().find(|(k, _)| {
            !families::QUANTILE_KEYS.contains(k) && !matches!(*k, "lower" | "upper" | "weight")
        })
    {
        return Err(Diagnostic::at(
            format!(
                "`{key}` cannot be given beside quantiles: eta fits the {family} parameters to p10, p50 and p90"
            ),
            param.span(),
            "remove this, or the quantiles",
        ));
    }
    for key in spec.required.iter().filter(|_| !by_quantiles) {
        if !given.iter().any(|(k, _)| *k == key.name) {
            let required: Vec<&str> = spec.required.iter().map(|k| k.name).collect();
            return Err(Diagnostic::at(
                format!("the {family} distribution needs `{}`", key.name),
                span,
                format!("`{}` missing", key.name),
            )
            .with_help(format!("{family} takes: {}", required.join(", "))));
        }
    }

    let unit = match (&raw.unit, within) {
        (None, Within::Mixture(inherited) | Within::Case(inherited)) => inherited,
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
    if kind == Kind::Date && !spec.dates {
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

    let reader = TableReader {
        raw,
        q: &q,
        family,
        span: span.clone(),
    };
    let fam = match spec.build {
        _ if by_quantiles => {
            let quantiles: Vec<(f64, f64)> = stated_quantiles(raw, &q)?
                .into_iter()
                .map(|(p, x, _)| (p, x))
                .collect();
            crate::distribution::fit::from_quantiles(family, &quantiles).map_err(|e| {
                Diagnostic::at(
                    format!(
                        "cannot fit a {family} to these quantiles: {}",
                        e.describe(|v| format::format_quantity(q.kind, v))
                    ),
                    span.clone(),
                    "quantiles given here",
                )
            })?
        }
        Build::Read(build) => build(&reader)?,
        // The mixture returned above; the metalog is fitted to its quantiles here.
        Build::Compiler => metalog_family(raw, &q, span.clone())?,
    };
    let lower = reader.get("lower")?;
    let upper = reader.get("upper")?;
    Dist::new(fam, lower, upper)
        .map(|d| (kind, d))
        .map_err(|e| param_error(raw, kind, e, span))
}

/// The size in base units of one `unit`, which parameters such as `rate` (per unit) and `mu`
/// (the log of a value in units) are relative to: a quantity input must then name its unit.
pub(super) fn per_unit(raw: &RawDist, q: &Quantities, key: &str) -> Result<f64> {
    match q.unit {
        Some(u) => Ok(u.to_base),
        None if q.kind == Kind::Number => Ok(1.0),
        None => {
            let at = raw.param(key).map_or(raw.dist.span(), |p| p.span());
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

/// A distribution table as the family table's builders read it: each value converted to base
/// units by its key's role, each error pointed at the text.
struct TableReader<'a> {
    raw: &'a RawDist,
    q: &'a Quantities,
    family: &'a str,
    span: Range<usize>,
}

impl TableReader<'_> {
    fn value(&self, key: &'static str) -> Option<&Spanned<Value>> {
        match self.raw.param(key) {
            Some(RawParam::Value(v)) => Some(v),
            _ => None,
        }
    }

    fn missing(&self, key: &'static str) -> Diagnostic {
        Diagnostic::at(
            format!("the {} distribution needs `{key}`", self.family),
            self.span.clone(),
            format!("`{key}` missing"),
        )
    }
}

impl families::Reader for TableReader<'_> {
    fn given(&self, key: &'static str) -> bool {
        self.raw.param(key).is_some()
    }

    fn get(&self, key: &'static str) -> Result<Option<f64>> {
        self.value(key).map(|v| self.q.param(v, key)).transpose()
    }

    fn need(&self, key: &'static str) -> Result<f64> {
        self.get(key)?.ok_or_else(|| self.missing(key))
    }

    fn plain(&self, key: &'static str) -> Result<f64> {
        self.value(key)
            .map_or_else(|| Err(self.missing(key)), plain_number)
    }

    fn list(&self, key: &'static str) -> Result<Vec<f64>> {
        match self.raw.param(key) {
            Some(RawParam::List(items)) => items
                .get_ref()
                .iter()
                .map(|item| self.q.param(item, key))
                .collect(),
            _ => Ok(Vec::new()),
        }
    }

    fn count(&self, key: &'static str) -> Option<usize> {
        match self.raw.param(key) {
            Some(RawParam::List(items)) => Some(items.get_ref().len()),
            _ => None,
        }
    }

    fn per_unit(&self, key: &'static str) -> Result<f64> {
        per_unit(self.raw, self.q, key)
    }

    fn error(&self, key: Option<&'static str>, message: &str, label: &str) -> Diagnostic {
        match key {
            Some(key) => Diagnostic::at(
                in_units(message, key, self.q.kind),
                self.raw.param(key).map_or(self.span.clone(), |p| p.span()),
                label,
            ),
            None => Diagnostic::at(message, self.span.clone(), label),
        }
    }

    fn invalid(&self, e: ParamError) -> Diagnostic {
        param_error(self.raw, self.q.kind, e, self.span.clone())
    }
}
