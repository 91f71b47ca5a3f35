//! Quantities: the kinds of value a scenario deals in, their units, and how literal strings such
//! as `"90 min"` or `"2023-09-10"` read. Every layer uses these kinds; this module imports
//! nothing from the pipeline.
//!
//! Every number in eta has a kind. Internally each kind has one base unit, so the engine never
//! converts: durations and times of day in seconds, distances in km, speeds in km/h, dates in
//! days since 1970-01-01.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Duration,
    Distance,
    Speed,
    Date,
    TimeOfDay,
    Number,
}

impl Kind {
    /// "a duration", "a speed", ... for messages.
    pub fn described(self) -> &'static str {
        match self {
            Kind::Duration => "a duration",
            Kind::Distance => "a distance",
            Kind::Speed => "a speed",
            Kind::Date => "a date",
            Kind::TimeOfDay => "a time of day",
            Kind::Number => "a plain number",
        }
    }

    /// The unit values of this kind are shown in by default.
    pub fn display_unit(self) -> &'static str {
        match self {
            Kind::Duration => "h",
            Kind::Distance => "km",
            Kind::Speed => "km/h",
            Kind::Date => "date",
            Kind::TimeOfDay => "time",
            Kind::Number => "",
        }
    }

    /// Example literals, for help messages.
    pub fn example(self) -> &'static str {
        match self {
            Kind::Duration => "\"90 min\", \"1h30m\" or \"2 h\"",
            Kind::Distance => "\"330 km\"",
            Kind::Speed => "\"45 km/h\"",
            Kind::Date => "\"2023-09-10\"",
            Kind::TimeOfDay => "\"06:30\"",
            Kind::Number => "0.25",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.described())
    }
}

/// A named unit: its kind and the factor that turns a value in it into the kind's base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub kind: Kind,
    pub to_base: f64,
    pub name: &'static str,
}

const UNITS: &[(&str, Kind, f64)] = &[
    ("s", Kind::Duration, 1.0),
    ("sec", Kind::Duration, 1.0),
    ("second", Kind::Duration, 1.0),
    ("seconds", Kind::Duration, 1.0),
    ("min", Kind::Duration, 60.0),
    ("minute", Kind::Duration, 60.0),
    ("minutes", Kind::Duration, 60.0),
    ("h", Kind::Duration, 3600.0),
    ("hour", Kind::Duration, 3600.0),
    ("hours", Kind::Duration, 3600.0),
    ("d", Kind::Duration, 86400.0),
    ("day", Kind::Duration, 86400.0),
    ("days", Kind::Duration, 86400.0),
    ("m", Kind::Distance, 0.001),
    ("metre", Kind::Distance, 0.001),
    ("metres", Kind::Distance, 0.001),
    ("meter", Kind::Distance, 0.001),
    ("meters", Kind::Distance, 0.001),
    ("km", Kind::Distance, 1.0),
    ("kilometre", Kind::Distance, 1.0),
    ("kilometres", Kind::Distance, 1.0),
    ("kilometer", Kind::Distance, 1.0),
    ("kilometers", Kind::Distance, 1.0),
    ("mi", Kind::Distance, 1.609_344),
    ("mile", Kind::Distance, 1.609_344),
    ("miles", Kind::Distance, 1.609_344),
    ("nmi", Kind::Distance, 1.852),
    ("nautical mile", Kind::Distance, 1.852),
    ("nautical miles", Kind::Distance, 1.852),
    ("km/h", Kind::Speed, 1.0),
    ("kn", Kind::Speed, 1.852),
    ("knot", Kind::Speed, 1.852),
    ("knots", Kind::Speed, 1.852),
    ("kph", Kind::Speed, 1.0),
    ("m/s", Kind::Speed, 3.6),
    ("mph", Kind::Speed, 1.609_344),
    ("date", Kind::Date, 1.0),
    ("time", Kind::TimeOfDay, 1.0),
];

/// Why a literal is not a quantity. The messages quote the text, so a caller can place them in a
/// located diagnostic as they are.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuantityError {
    #[error("empty value")]
    Empty,
    #[error("`{0}` is not a quantity such as \"330 km\" or \"1h30m\"")]
    NotAQuantity(String),
    #[error("`{0}` is not a unit for a number")]
    NotANumberUnit(String),
    #[error("unknown unit `{0}`")]
    UnknownUnit(String),
    #[error("`{0}` gives the unit `{1}` twice: write each unit once, e.g. \"1h30m\"")]
    RepeatedUnit(String, &'static str),
    #[error(
        "`{0}` puts a smaller unit before a larger one: write the largest first, e.g. \"1h30m\""
    )]
    UnitsOutOfOrder(String),
    #[error("`{0}` is too large: eta's numbers stop near 1.8e308 base units")]
    TooLarge(String),
    #[error("`{0}` is not a valid date (YYYY-MM-DD): {1}")]
    BadDate(String, String),
    #[error("`{0}` is not a time of day (HH:MM, 00:00 to 23:59)")]
    BadTimeOfDay(String),
}

/// Diagnostics take their message as text.
impl From<QuantityError> for String {
    fn from(e: QuantityError) -> String {
        e.to_string()
    }
}

/// Every unit name eta accepts, for "expected one of" messages and suggestions.
pub fn unit_names() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|(name, _, _)| *name)
}

pub fn parse_unit(name: &str) -> Option<Unit> {
    let name = name.trim();
    UNITS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(name, kind, to_base)| Unit {
            kind,
            to_base,
            name,
        })
}

/// Parses a literal quantity string: `"90 min"`, `"1h30m"`, `"45 km/h"`, `"2023-09-10"`, `"06:30"`.
/// Returns its kind and its value in the kind's base unit.
pub fn parse_literal(text: &str) -> Result<(Kind, f64), QuantityError> {
    let (kind, value) = parse_literal_unchecked(text)?;
    if value.is_finite() {
        Ok((kind, value))
    } else {
        Err(QuantityError::TooLarge(text.trim().to_owned()))
    }
}

fn parse_literal_unchecked(text: &str) -> Result<(Kind, f64), QuantityError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(QuantityError::Empty);
    }
    if looks_like_date(t) {
        return parse_date(t).map(|d| (Kind::Date, d as f64));
    }
    if t.contains(':') {
        return parse_time_of_day(t).map(|s| (Kind::TimeOfDay, s));
    }
    if let Some(parts) = compound_duration_parts(t) {
        return compound_duration(text, &parts).map(|seconds| (Kind::Duration, seconds));
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == '_'))
        .unwrap_or(t.len());
    let split = split + exponent_len(t.get(split..).unwrap_or(""));
    let (number, unit) = t.split_at(split);
    let number = number.replace('_', "");
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| QuantityError::NotAQuantity(text.to_owned()))?;
    if unit.trim().is_empty() {
        return Ok((Kind::Number, value));
    }
    match parse_unit(unit) {
        Some(u) if matches!(u.kind, Kind::Date | Kind::TimeOfDay) => {
            Err(QuantityError::NotANumberUnit(unit.trim().to_owned()))
        }
        Some(u) => Ok((u.kind, value * u.to_base)),
        None => Err(QuantityError::UnknownUnit(unit.trim().to_owned())),
    }
}

/// The length of a decimal exponent (`e9`, `E-3`) at the start of `rest`, or 0 if none.
fn exponent_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    if !matches!(b.first(), Some(b'e' | b'E')) {
        return 0;
    }
    let sign = usize::from(matches!(b.get(1), Some(b'+' | b'-')));
    let digits = b
        .iter()
        .skip(1 + sign)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 { 0 } else { 1 + sign + digits }
}

/// Four digits and a dash: meant as a date (`2023-09-10`, or a mistyped `2023-9-10`), so a
/// mistake reads as a bad date rather than as a bad quantity.
fn looks_like_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 6 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit) && b[5].is_ascii_digit()
}

/// `"1h30m"`, `"2d"`, `"1d 6h"`, `"45s"`: a run of number-unit pairs with single-letter units,
/// as (value, unit, seconds per unit); None when the text is not of that form.
fn compound_duration_parts(t: &str) -> Option<Vec<(f64, &'static str, f64)>> {
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let mut rest = compact.as_str();
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        if digits == 0 {
            return None;
        }
        let value: f64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (unit, factor) = match rest.get(..unit_len)? {
            "d" => ("d", 86400.0),
            "h" => ("h", 3600.0),
            "m" | "min" => ("m", 60.0),
            "s" => ("s", 1.0),
            _ => return None,
        };
        parts.push((value, unit, factor));
        rest = rest.get(unit_len..)?;
    }
    // "90 min" and "2 h" are handled here too; "5 m" alone is metres, not minutes.
    if parts.len() == 1 && compact.ends_with('m') && !compact.ends_with("min") {
        return None;
    }
    (!parts.is_empty()).then_some(parts)
}

/// A compound duration's seconds, refusing a unit given twice (`"1h1h"`) or out of order
/// (`"30m1h"`): both are more likely a typo than a sum the author meant.
fn compound_duration(text: &str, parts: &[(f64, &'static str, f64)]) -> Result<f64, QuantityError> {
    for (k, pair) in parts.windows(2).enumerate() {
        let ((_, _, fa), (_, b, fb)) = (pair[0], pair[1]);
        if parts[..=k].iter().any(|p| p.1 == b) {
            return Err(QuantityError::RepeatedUnit(text.trim().to_owned(), b));
        }
        if fb > fa {
            return Err(QuantityError::UnitsOutOfOrder(text.trim().to_owned()));
        }
    }
    Ok(parts
        .iter()
        .fold(0.0, |total, (value, _, factor)| total + value * factor))
}

/// A calendar date as days since 1970-01-01.
pub fn parse_date(t: &str) -> Result<i64, QuantityError> {
    let date: jiff::civil::Date = t
        .trim()
        .parse()
        .map_err(|e: jiff::Error| QuantityError::BadDate(t.to_owned(), e.to_string()))?;
    Ok(crate::time::days_since_epoch(date))
}

/// A local time of day `HH:MM` or `HH:MM:SS` as seconds after midnight.
pub fn parse_time_of_day(t: &str) -> Result<f64, QuantityError> {
    let bad = || QuantityError::BadTimeOfDay(t.to_owned());
    let mut fields = t.trim().split(':');
    let mut next = |max: u32| -> Result<u32, QuantityError> {
        let f = fields.next().ok_or_else(bad)?;
        if f.is_empty() || f.len() > 2 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let v: u32 = f.parse().map_err(|_| bad())?;
        if v > max { Err(bad()) } else { Ok(v) }
    };
    let h = next(23)?;
    let m = next(59)?;
    let s = match t.trim().matches(':').count() {
        1 => 0,
        2 => next(59)?,
        _ => return Err(bad()),
    };
    Ok(f64::from(h * 3600 + m * 60 + s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_parse_to_base_units() {
        assert_eq!(parse_literal("90 min"), Ok((Kind::Duration, 5400.0)));
        assert_eq!(parse_literal("1h30m"), Ok((Kind::Duration, 5400.0)));
        assert_eq!(parse_literal("2d"), Ok((Kind::Duration, 172_800.0)));
        assert_eq!(parse_literal("1.5 h"), Ok((Kind::Duration, 5400.0)));
        assert_eq!(parse_literal("330 km"), Ok((Kind::Distance, 330.0)));
        assert_eq!(parse_literal("500 m"), Ok((Kind::Distance, 0.5)));
        assert_eq!(parse_literal("45 km/h"), Ok((Kind::Speed, 45.0)));
        assert_eq!(parse_literal("10 kn"), Ok((Kind::Speed, 18.52)));
        assert_eq!(
            parse_literal("100 nmi"),
            Ok((Kind::Distance, 100.0 * 1.852))
        );
        assert_eq!(parse_literal("06:30"), Ok((Kind::TimeOfDay, 23_400.0)));
        assert_eq!(parse_literal("0.25"), Ok((Kind::Number, 0.25)));
        assert_eq!(parse_literal("1970-01-02"), Ok((Kind::Date, 1.0)));
        assert_eq!(parse_literal("1e3 km"), Ok((Kind::Distance, 1000.0)));
        assert_eq!(parse_literal("2.5E-1 h"), Ok((Kind::Duration, 900.0)));
    }

    #[test]
    fn bad_literals_are_errors() {
        assert!(parse_literal("45 kmh").is_err());
        assert!(parse_literal("2023-02-30").is_err());
        assert!(parse_literal("24:00").is_err());
        assert!(parse_literal("fast").is_err());
        assert!(parse_literal("10 date").is_err());
        // Finite as written, infinite in base units: refused, not passed on as infinity.
        assert!(parse_literal("1e308 m/s").is_err());
        assert!(parse_literal("1e305 d").is_err());
        assert!(parse_literal(&format!("{}d", "9".repeat(400))).is_err());
        assert!(parse_literal("1e km").is_err());
        // A mistyped date reads as a bad date, not as "not a quantity such as 330 km".
        let e = parse_literal("2023-9-10").unwrap_err().to_string();
        assert!(e.contains("is not a valid date (YYYY-MM-DD)"), "{e}");
    }

    #[test]
    fn a_duration_names_each_unit_once_largest_first() {
        assert_eq!(
            parse_literal("1d 6h 30m 15s"),
            Ok((Kind::Duration, 109_815.0))
        );
        assert_eq!(
            parse_literal("1h1h"),
            Err(QuantityError::RepeatedUnit("1h1h".into(), "h"))
        );
        assert_eq!(
            parse_literal("1h30m30m"),
            Err(QuantityError::RepeatedUnit("1h30m30m".into(), "m"))
        );
        assert_eq!(
            parse_literal("1h 30min 5m"),
            Err(QuantityError::RepeatedUnit("1h 30min 5m".into(), "m"))
        );
        assert_eq!(
            parse_literal("30m1h"),
            Err(QuantityError::UnitsOutOfOrder("30m1h".into()))
        );
    }
}
