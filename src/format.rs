//! How numbers read to people: quantities in their units, durations, counts with thousands
//! separators, percentages. Diagnostics, reports and charts all write numbers through here, so a
//! value reads the same everywhere.

use crate::quantity::Kind;

/// A value of `kind` in base units, written the way a person would read it.
pub fn format_quantity(kind: Kind, value: f64) -> String {
    match kind {
        Kind::Duration => format_duration(value),
        Kind::Distance => format!("{} km", trim_number(value)),
        Kind::Speed => format!("{} km/h", trim_number(value)),
        Kind::Date => crate::time::format_day(value.floor() as i64),
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

/// A time relative to a named milestone: `20m before "Departure"`, `1h 30m after "Landing"`,
/// `at "Landing"` (offset in seconds, negative for before).
pub fn relative_to(offset: f64, name: &str) -> String {
    if offset == 0.0 {
        return format!("at \"{name}\"");
    }
    let side = if offset < 0.0 { "before" } else { "after" };
    format!("{} {side} \"{name}\"", format_duration(offset.abs()))
}

/// A number with at most 4 decimals and no trailing zeros (`3.3783`, `45`); numbers too large or
/// too small for that (at least 1e15, or below 1e-4 but not 0) in scientific notation with 5
/// significant digits (`1.085e66`, `3e-310`), which TOML and eta's quantities both read.
pub fn trim_number(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude >= 1e15 || (magnitude > 0.0 && magnitude < 1e-4) {
        let s = format!("{v:.4e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A number as a message quotes it: every digit of an ordinary value (`0.25`, `1500`), and
/// scientific notation beyond (`1e300`, not three hundred digits; `5e-324`).
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "nan".to_owned()
    } else if v != 0.0 && v.is_finite() && !(1e-6..1e16).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// `63.1% [63.0%, 63.2%]`, with enough decimals that the interval's width shows.
pub fn percent_with_ci(p: f64, ci: [f64; 2]) -> String {
    let width = ci[1] - ci[0];
    let decimals = if width >= 0.01 {
        1
    } else if width >= 0.001 {
        2
    } else {
        3
    };
    format!(
        "{} [{}, {}]",
        percent(p, decimals),
        percent(ci[0], decimals),
        percent(ci[1], decimals)
    )
}

/// A duration (seconds) and its interval in one unit, minutes under two hours and hours beyond,
/// with enough decimals (at most two) that the interval's width shows (it spans at least half a
/// unit of the last digit): `55.9 min [55.8 min, 55.9 min]`, `19.64 h [19.62 h, 19.66 h]`.
pub fn duration_with_ci(seconds: f64, (lo, hi): (f64, f64)) -> String {
    let (scale, unit) = if seconds < 7200.0 {
        (60.0, "min")
    } else {
        (3600.0, "h")
    };
    let width = (hi - lo) / scale;
    let decimals = match width {
        w if w >= 0.5 || w <= 0.0 => 0,
        w if w >= 0.05 => 1,
        _ => 2,
    };
    let show = |x: f64| format!("{:.*} {unit}", decimals, x / scale);
    format!("{} [{}, {}]", show(seconds), show(lo), show(hi))
}

pub fn percent(p: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, p * 100.0)
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `s` cut to at most `width` characters, the last one an ellipsis when anything was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        s.chars()
            .take(width.saturating_sub(1))
            .chain(['…'])
            .collect()
    }
}

/// `text` safe to show on a terminal: control characters other than line feeds and tabs (an
/// ESC or BEL written into a scenario's name) become their visible Unicode pictures (`␛`, `␇`)
/// or, beyond those, a `\u{..}` escape, so printing a name can never drive the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\u{7f}' => out.push('\u{2421}'),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
            }
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The precision each published figure is written to in `summary.json`. The console and the
/// charts show the same figures (rounded the same way first), so a reader never meets two versions
/// of one estimate.
pub mod published {
    /// Probabilities' interval ends.
    pub const PROBABILITY: f64 = 1e-6;
    /// Rank correlations (drivers, achieved input correlations).
    pub const RANK_CORRELATION: f64 = 1e-4;
    /// A driver's variance share and P(on time) difference, and their interval ends.
    pub const SHARE: f64 = 1e-4;
    /// A deadline's median slack, in hours.
    pub const SLACK_HOURS: f64 = 1e-4;
    /// A timetabled step's mean wait, in minutes.
    pub const WAIT_MINUTES: f64 = 1e-2;

    /// `x` rounded to a multiple of `step` and to the shortest decimal that reads back the same,
    /// so JSON shows `0.999962`, not `0.9999619999999999`.
    pub fn published(x: f64, step: f64) -> f64 {
        let decimals = (-step.log10()).ceil().max(0.0) as usize;
        format!("{:.*}", decimals, (x / step).round() * step)
            .parse()
            .unwrap_or(x)
    }

    /// A duration in seconds as published in hours at `step_hours`, back in seconds.
    pub fn published_seconds(seconds: f64, step_hours: f64) -> f64 {
        published(seconds / 3600.0, step_hours) * 3600.0
    }

    /// An interval as published.
    pub fn published_interval((lo, hi): (f64, f64)) -> [f64; 2] {
        [published(lo, PROBABILITY), published(hi, PROBABILITY)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_format_for_people() {
        assert_eq!(format_duration(5400.0), "1h 30m");
        assert_eq!(format_duration(-600.0), "-10m");
        assert_eq!(format_duration(93_600.0), "1d 2h 00m");
        assert_eq!(
            duration_with_ci(3352.0, (3349.0, 3355.0)),
            "55.9 min [55.8 min, 55.9 min]"
        );
        assert_eq!(
            duration_with_ci(70_700.0, (70_650.0, 70_750.0)),
            "19.64 h [19.62 h, 19.65 h]"
        );
        assert_eq!(
            duration_with_ci(1800.0, (1800.0, 1800.0)),
            "30 min [30 min, 30 min]"
        );
    }

    #[test]
    fn numbers_of_any_size_read_in_a_few_digits() {
        assert_eq!(trim_number(3.37834), "3.3783");
        assert_eq!(trim_number(45.0), "45");
        assert_eq!(trim_number(-0.00001), "-1e-5");
        assert_eq!(trim_number(1.0850099e66), "1.085e66");
        assert_eq!(trim_number(f64::MAX), "1.7977e308");
        assert_eq!(trim_number(3e-310), "3e-310");
        assert_eq!(trim_number(0.0), "0");
        assert_eq!(trim_number(-0.0), "0");
        // What is written reads back as a number.
        for v in [1.085e66, 3e-310, -2.5e-7] {
            let back: f64 = trim_number(v).parse().unwrap();
            assert!((back - v).abs() <= 1e-4 * v.abs(), "{v}");
        }
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            printable("red\u{1b}[31m bell\u{7}"),
            "red\u{241b}[31m bell\u{2407}"
        );
        assert_eq!(printable("del\u{7f} csi\u{9b}"), "del\u{2421} csi\\u{9b}");
        assert_eq!(printable("cr\r"), "cr\u{240d}");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            percent_with_ci(0.631, [0.630, 0.632]),
            "63.10% [63.00%, 63.20%]"
        );
    }
}
