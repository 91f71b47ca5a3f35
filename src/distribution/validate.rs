//! Parameter checks shared by the families: each failure names the parameter, so the compiler
//! can point at that key in the file, and quotes the value in base units (the compiler rewrites
//! it in the input's).

use crate::format::number;
use std::fmt;

/// Which parameter is wrong and why, so the caller can point at that key in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub param: &'static str,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

pub(super) fn param_error(param: &'static str, message: String) -> ParamError {
    ParamError { param, message }
}

/// The error for bounds that keep too little of a distribution: `kept` is the mass shown (None
/// when nothing is kept), `both` the bound to point at when both are given.
pub(super) fn too_little_mass(
    lower: Option<f64>,
    upper: Option<f64>,
    both: &'static str,
    kept: Option<String>,
) -> ParamError {
    let kept = match kept {
        Some(mass) => format!("only {mass} of the probability mass"),
        None => "none of the probability mass".to_owned(),
    };
    let (param, message) = match (lower, upper) {
        (Some(_), None) => ("lower", format!("lower leaves {kept} above it")),
        (None, Some(_)) => ("upper", format!("upper leaves {kept} below it")),
        _ => (both, format!("lower and upper leave {kept} between them")),
    };
    param_error(param, format!("{message}; at least 1e-6 is needed"))
}

pub(super) fn finite(param: &'static str, value: f64) -> Result<f64, ParamError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!("{param} must be a finite number, found {}", number(value)),
        ))
    }
}

pub(super) fn positive(param: &'static str, value: f64) -> Result<f64, ParamError> {
    let value = finite(param, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!("{param} must be greater than 0, found {}", number(value)),
        ))
    }
}

/// Largest shape parameter (beta's alpha and beta, PERT's lambda, gamma's shape). Beyond it the
/// distribution is a point mass to within 1e-5 of its mean, and the incomplete beta and gamma
/// functions that quantiles need take seconds to converge, or never do (past ~1e154).
pub const MAX_SHAPE: f64 = 1e10;

pub(super) fn shape_param(param: &'static str, value: f64) -> Result<f64, ParamError> {
    let value = positive(param, value)?;
    if value <= MAX_SHAPE {
        Ok(value)
    } else {
        Err(param_error(
            param,
            format!(
                "{param} must be at most 1e10, found {}: so large a shape is a single value; use `fixed`",
                number(value)
            ),
        ))
    }
}

/// Checks min < max with a representable width; errors point at max, the value compared.
pub(super) fn interval(min: f64, max: f64) -> Result<(f64, f64), ParamError> {
    let min = finite("min", min)?;
    let max = finite("max", max)?;
    if min >= max {
        return Err(param_error(
            "max",
            format!(
                "max must be greater than min ({}), found {}",
                number(min),
                number(max)
            ),
        ));
    }
    if !(max - min).is_finite() {
        return Err(param_error(
            "max",
            format!(
                "max - min must be a finite number, found {}",
                number(max - min)
            ),
        ));
    }
    Ok((min, max))
}

pub(super) fn mode_within(min: f64, mode: f64, max: f64) -> Result<f64, ParamError> {
    if mode < min || mode > max {
        return Err(param_error(
            "mode",
            format!(
                "mode must be between min ({}) and max ({}), found {}",
                number(min),
                number(max),
                number(mode)
            ),
        ));
    }
    Ok(mode)
}

pub(super) fn finite_values(values: &[f64]) -> Result<(), ParamError> {
    if values.is_empty() {
        return Err(param_error(
            "values",
            "values must contain at least one value".to_owned(),
        ));
    }
    for (i, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            return Err(param_error(
                "values",
                format!(
                    "values must be finite numbers, found {} at position {}",
                    number(v),
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn valid_weights(values: &[f64], weights: &[f64]) -> Result<(), ParamError> {
    if weights.len() != values.len() {
        return Err(param_error(
            "weights",
            format!(
                "weights must have one entry per value ({}), found {}",
                values.len(),
                weights.len()
            ),
        ));
    }
    for (i, &w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(param_error(
                "weights",
                format!(
                    "weights must be finite numbers, found {} at position {}",
                    number(w),
                    i + 1
                ),
            ));
        }
        if w < 0.0 {
            return Err(param_error(
                "weights",
                format!(
                    "weights must be 0 or more, found {} at position {}",
                    number(w),
                    i + 1
                ),
            ));
        }
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(param_error(
            "weights",
            format!("weights must sum to 1, found {}", number(sum)),
        ));
    }
    Ok(())
}
