//! Parameter values on a numeric scale, so sweeps can be plotted and break-evens bisected.

use crate::format;
use crate::quantity::{self, Kind};

/// A parameter value on a numeric scale, so sweeps can be plotted and break-evens bisected:
/// durations, times of day, dates, distances, speeds in base units, plain numbers as they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub kind: Kind,
}

impl Scale {
    /// Reads a parameter value: a number, or a quantity string.
    pub fn read(text: &str) -> Option<(Scale, f64)> {
        let t = text.trim().trim_matches('"');
        if let Ok(v) = t.parse::<f64>() {
            return Some((Scale { kind: Kind::Number }, v));
        }
        quantity::parse_literal(t)
            .ok()
            .map(|(kind, v)| (Scale { kind }, v))
    }

    /// Writes a value back in a form the scenario reads (to the second for times).
    pub fn write(self, v: f64) -> String {
        match self.kind {
            Kind::Number => format::trim_number(v),
            Kind::Duration => format!("{} s", v.round()),
            Kind::Distance => format!("{} km", format::trim_number(v)),
            Kind::Speed => format!("{} km/h", format::trim_number(v)),
            Kind::Date => format::format_quantity(Kind::Date, v.round()),
            Kind::TimeOfDay => {
                let s = v.round().clamp(0.0, 86_399.0) as i64;
                format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
            }
        }
    }

    /// Whether the scale takes whole values only (dates: a fraction of a day is not a date).
    pub fn discrete(self) -> bool {
        self.kind == Kind::Date
    }

    /// The value the scenario reads when `v` is written ([`Scale::write`]): whole dates, times
    /// and durations to the second, other values as they are.
    pub fn snap(self, v: f64) -> f64 {
        match self.kind {
            Kind::Date | Kind::Duration => v.round(),
            Kind::TimeOfDay => v.round().clamp(0.0, 86_399.0),
            _ => v,
        }
    }

    /// A value for people: "1h 30m", "06:30", "45 km/h", "0.25".
    pub fn show(self, v: f64) -> String {
        format::format_quantity(self.kind, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_round_trip() {
        let (s, v) = Scale::read("06:30").unwrap();
        assert_eq!((s.kind, v), (Kind::TimeOfDay, 23_400.0));
        assert_eq!(s.write(v), "06:30:00");
        let (s, v) = Scale::read("\"1h30m\"").unwrap();
        assert_eq!(Scale::read(&s.write(v)).unwrap().1, v);
        assert_eq!(Scale::read("0.25").unwrap().1, 0.25);
    }
}
