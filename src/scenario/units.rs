//! Quantities: the kinds of value a scenario deals in, their units, and literal strings.
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
pub fn parse_literal(text: &str) -> Result<(Kind, f64), String> {
    let (kind, value) = parse_literal_unchecked(text)?;
    if value.is_finite() {
        Ok((kind, value))
    } else {
        Err(format!(
            "`{}` is too large: eta's numbers stop near 1.8e308 base units",
            text.trim()
        ))
    }
}

fn parse_literal_unchecked(text: &str) -> Result<(Kind, f64), String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty value".into());
    }
    if looks_like_date(t) {
        return parse_date(t).map(|d| (Kind::Date, d as f64));
    }
    if t.contains(':') {
        return parse_time_of_day(t).map(|s| (Kind::TimeOfDay, s));
    }
    if let Some(seconds) = parse_compound_duration(t) {
        return Ok((Kind::Duration, seconds));
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
        .map_err(|_| format!("`{text}` is not a quantity such as \"330 km\" or \"1h30m\""))?;
    if unit.trim().is_empty() {
        return Ok((Kind::Number, value));
    }
    match parse_unit(unit) {
        Some(u) if matches!(u.kind, Kind::Date | Kind::TimeOfDay) => {
            Err(format!("`{}` is not a unit for a number", unit.trim()))
        }
        Some(u) => Ok((u.kind, value * u.to_base)),
        None => Err(format!("unknown unit `{}`", unit.trim())),
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

fn looks_like_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

/// `"1h30m"`, `"2d"`, `"1d 6h"`, `"45s"`: a run of number-unit pairs with single-letter units.
fn parse_compound_duration(t: &str) -> Option<f64> {
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let mut total = 0.0;
    let mut rest = compact.as_str();
    let mut parts = 0;
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
        let factor = match rest.get(..unit_len)? {
            "d" => 86400.0,
            "h" => 3600.0,
            "m" | "min" => 60.0,
            "s" => 1.0,
            _ => return None,
        };
        total += value * factor;
        rest = rest.get(unit_len..)?;
        parts += 1;
    }
    // "90 min" and "2 h" are handled here too; "5 m" alone is metres, not minutes.
    if parts == 1 && compact.ends_with('m') && !compact.ends_with("min") {
        return None;
    }
    (parts > 0).then_some(total)
}

/// A calendar date as days since 1970-01-01.
pub fn parse_date(t: &str) -> Result<i64, String> {
    let date: jiff::civil::Date = t
        .trim()
        .parse()
        .map_err(|e| format!("`{t}` is not a valid date (YYYY-MM-DD): {e}"))?;
    Ok(days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    ))
}

/// A local time of day `HH:MM` or `HH:MM:SS` as seconds after midnight.
pub fn parse_time_of_day(t: &str) -> Result<f64, String> {
    let bad = || format!("`{t}` is not a time of day (HH:MM, 00:00 to 23:59)");
    let mut fields = t.trim().split(':');
    let mut next = |max: u32| -> Result<u32, String> {
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

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A value of `kind` in base units, written the way a person would read it.
pub fn format_quantity(kind: Kind, value: f64) -> String {
    match kind {
        Kind::Duration => format_duration(value),
        Kind::Distance => format!("{} km", trim_number(value)),
        Kind::Speed => format!("{} km/h", trim_number(value)),
        Kind::Date => {
            let (y, m, d) = civil_from_days(value.floor() as i64);
            format!("{y:04}-{m:02}-{d:02}")
        }
        Kind::TimeOfDay => {
            let s = value.round() as i64;
            format!("{:02}:{:02}", s.div_euclid(3600), s.rem_euclid(3600) / 60)
        }
        Kind::Number => trim_number(value),
    }
}

/// Seconds as `1d 2h 05m`, `3h 20m`, `45m`, or `-1h 10m`.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "n/a".into();
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let days = seconds.abs() / 86_400.0;
    if days >= 1e6 {
        return format!("{sign}{days:.2e} days");
    }
    let total_min = (seconds.abs() / 60.0).round() as i64;
    let (d, h, m) = (total_min / 1440, total_min % 1440 / 60, total_min % 60);
    match (d, h) {
        (0, 0) => format!("{sign}{m}m"),
        (0, _) => format!("{sign}{h}h {m:02}m"),
        _ => format!("{sign}{d}d {h}h {m:02}m"),
    }
}

/// A number with at most 4 significant decimals and no trailing zeros.
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
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
    }

    #[test]
    fn civil_days_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_610, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2023, 9, 12), 19_612);
    }

    #[test]
    fn durations_format_for_people() {
        assert_eq!(format_duration(5400.0), "1h 30m");
        assert_eq!(format_duration(-600.0), "-10m");
        assert_eq!(format_duration(93_600.0), "1d 2h 00m");
    }
}
