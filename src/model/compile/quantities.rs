//! Units of inputs: parameters converted to base units with their kind checked, the kind an
//! input yields, and parameter errors rewritten in the input's units.

use super::*;
use crate::distribution::families::{self, FieldRole};

/// Points a parameter error from the dist module at the key it names, with the values it quotes
/// written in the input's terms rather than in base units.
pub(super) fn param_error(
    raw: &RawDist,
    kind: Kind,
    e: ParamError,
    span: Range<usize>,
) -> Diagnostic {
    let at = raw.param(e.param).map_or(span, |p| p.span());
    let message = in_units(&e.message, e.param, kind);
    Diagnostic::at(message, at, format!("invalid `{}`", e.param))
}

/// Rewrites the numbers a parameter message quotes ("(7200)", "found 3600") as quantities of the
/// parameter's kind ("(2h 00m)", "found 1h 00m"), since the dist module sees only base units.
pub(super) fn in_units(message: &str, param: &str, kind: Kind) -> String {
    let kind = families::role(param).kind(kind);
    quantities_after(message, kind, &["found ", "("])
}

/// Rewrites the number after each occurrence of one of `prefixes` as a quantity of `kind`.
pub(super) fn quantities_after(message: &str, kind: Kind, prefixes: &[&str]) -> String {
    if kind == Kind::Number {
        return message.to_owned();
    }
    let is_num = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e');
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((at, prefix)) = prefixes
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
        .min()
    {
        out.push_str(rest.get(..at + prefix).unwrap_or(""));
        let after = rest.get(at + prefix..).unwrap_or("");
        let len = after.find(|c: char| !is_num(c)).unwrap_or(after.len());
        let token = after.get(..len).unwrap_or("");
        match token.parse::<f64>() {
            Ok(v) if v.is_finite() => out.push_str(&format::format_quantity(kind, v)),
            _ => out.push_str(token),
        }
        rest = after.get(len..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

pub(super) fn plain_number(v: &Spanned<Value>) -> Result<f64> {
    match v.get_ref() {
        Value::Float(f) => Ok(*f),
        Value::Integer(i) => Ok(*i as f64),
        _ => Err(Diagnostic::at(
            "expected a plain number",
            v.span(),
            "not a number",
        )),
    }
}

/// The kind of quantity an input yields: from its `unit`, else from its string parameters.
pub(super) fn input_kind(raw: &RawDist, unit: Option<Unit>) -> Result<Kind> {
    if let Some(u) = unit {
        return Ok(u.kind);
    }
    // The quantities written in its locations, in the order the raw table lists them.
    let strings = raw
        .given()
        .into_iter()
        .filter(|(key, _)| families::role(key) == FieldRole::Location)
        .flat_map(|(_, param)| param.values());
    for v in strings {
        if let Value::String(s) = v.get_ref() {
            let (kind, _) = quantity::parse_literal(s)
                .map_err(|e| Diagnostic::at(e, v.span(), "not understood"))?;
            return Ok(kind);
        }
    }
    Ok(Kind::Number)
}

/// Converts parameters to base units and checks each has the input's kind.
pub(super) struct Quantities {
    pub(super) unit: Option<Unit>,
    pub(super) kind: Kind,
}

impl Quantities {
    pub(super) fn param(&self, v: &Spanned<Value>, key: &str) -> Result<f64> {
        let span = v.span();
        let expected = families::role(key).kind(self.kind);
        let value = match v.get_ref() {
            Value::Integer(i) => self.number(*i as f64, expected, key, span.clone())?,
            Value::Float(f) => self.number(*f, expected, key, span.clone())?,
            Value::String(s) => {
                let (kind, value) = quantity::parse_literal(s)
                    .map_err(|e| Diagnostic::at(e, span.clone(), "not understood"))?;
                if kind != expected {
                    return Err(Diagnostic::at(
                        format!("`{key}` must be {expected}, but \"{s}\" is {kind}"),
                        span,
                        "wrong kind of quantity",
                    ));
                }
                value
            }
            other => {
                return Err(Diagnostic::at(
                    format!(
                        "`{key}` must be a number or a quantity string, found a {}",
                        other.type_str()
                    ),
                    span,
                    "wrong type",
                ));
            }
        };
        if !value.is_finite() {
            let written_finite = match v.get_ref() {
                Value::Float(f) => f.is_finite(),
                _ => true,
            };
            return Err(if written_finite {
                Diagnostic::at(
                    format!("`{key}` is too large: in eta's base units it exceeds 1.8e308"),
                    span,
                    "too large",
                )
                .with_help("eta counts durations in seconds, distances in km and speeds in km/h")
            } else {
                Diagnostic::at(
                    format!("`{key}` must be a finite number"),
                    span,
                    "not finite",
                )
            });
        }
        Ok(value)
    }

    pub(super) fn number(
        &self,
        v: f64,
        expected: Kind,
        key: &str,
        span: Range<usize>,
    ) -> Result<f64> {
        if expected == Kind::Number {
            return Ok(v);
        }
        match self.unit {
            Some(u) if matches!(u.kind, Kind::Date | Kind::TimeOfDay) && expected == u.kind => {
                Err(Diagnostic::at(
                    format!(
                        "`{key}` must be written as {}, e.g. {}",
                        expected,
                        expected.example()
                    ),
                    span,
                    "a bare number",
                ))
            }
            Some(u) if u.kind == expected => Ok(v * u.to_base),
            Some(_) if expected == Kind::Duration => Err(Diagnostic::at(
                format!("`{key}` must be a duration, e.g. \"2 h\""),
                span,
                "a bare number",
            )),
            _ => Err(Diagnostic::at(
                format!("`{key}` needs a unit"),
                span,
                "a number without a unit",
            )
            .with_help(format!(
                "add `unit = \"{}\"` to the input, or write {}",
                expected.display_unit(),
                expected.example()
            ))),
        }
    }
}
