//! Weekly local patterns as a scenario writes them (`"Mon-Fri 08:00-16:00"`, `"22:00-06:00+1"`)
//! and a step's `window`: parsed, checked (no overlap, no window that ends before it starts
//! without saying it crosses midnight) and expanded by `time::schedule`.

use super::*;
use crate::scenario::raw::RawWindows;
use crate::time::schedule::{self, EVERY_DAY, Openings, Span, WEEKDAYS};

/// The earliest local day any start milestone can take (the precomputed schedules begin there).
pub(super) fn first_start_day(milestones: &[Milestone]) -> i64 {
    milestones
        .iter()
        .filter_map(|m| m.start.as_ref())
        .flat_map(|s| s.days.iter().map(|d| d.day))
        .min()
        .unwrap_or(0)
}

/// A step's `window`, read in `zone` (the `from` milestone's).
pub(super) fn window(raw: &Spanned<RawWindows>, zone: &Zone, first_day: i64) -> Result<Openings> {
    Ok(Openings::new(zone, spans(raw, "windows")?, first_day))
}

/// Weekly spans written as one text or a list (`what` names them in messages), none
/// overlapping another.
pub(super) fn spans(raw: &Spanned<RawWindows>, what: &str) -> Result<Vec<Span>> {
    let items: Vec<(&str, Range<usize>)> = match raw.get_ref() {
        RawWindows::One(text) => vec![(text.as_str(), raw.span())],
        RawWindows::Many(list) => list
            .iter()
            .map(|t| (t.get_ref().as_str(), t.span()))
            .collect(),
    };
    if items.is_empty() {
        return Err(Diagnostic::at(
            format!("an empty list of {what} never opens"),
            raw.span(),
            "no window",
        )
        .with_help("give at least one, e.g. \"06:00-20:00\""));
    }
    let mut spans = Vec::with_capacity(items.len());
    for (text, span) in &items {
        spans.push(weekly_span(text, span.clone())?);
    }
    if let Some((a, b)) = schedule::first_overlap(&spans) {
        return Err(Diagnostic::at(
            format!("windows \"{}\" and \"{}\" overlap", items[a].0, items[b].0),
            items[b].1.clone(),
            "overlaps an earlier window",
        )
        .with_help(
            "join them into one window, e.g. \"06:00-20:00\", or make them meet end to start",
        ));
    }
    Ok(spans)
}

/// One weekly span: optional weekdays (`Mon-Fri`, `Sat,Sun`, `Mon`), then `HH:MM-HH:MM`, with
/// `+1` after the closing time when it is on the next day. `24:00` closes at midnight.
pub(super) fn weekly_span(text: &str, span: Range<usize>) -> Result<Span> {
    let example = "write e.g. \"06:00-20:00\", \"Mon-Fri 08:00-16:00\" or \"22:00-06:00+1\"";
    let fields: Vec<&str> = text.split_whitespace().collect();
    let (days, times) = match fields.as_slice() {
        [times] => (EVERY_DAY, *times),
        [days, times] if days.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            (weekdays(days, span.clone())?, *times)
        }
        _ => {
            return Err(Diagnostic::at(
                format!("\"{text}\" is not a weekly time window"),
                span,
                "expected [DAYS] HH:MM-HH:MM",
            )
            .with_help(example));
        }
    };
    let Some((open, close)) = times.split_once('-') else {
        return Err(Diagnostic::at(
            format!("\"{times}\" is not a time window"),
            span,
            "expected HH:MM-HH:MM",
        )
        .with_help(example));
    };
    let (close, next_day) = match close.strip_suffix("+1") {
        Some(c) => (c, true),
        None => (close, false),
    };
    let clock = |t: &str, closing: bool| -> Result<f64> {
        if closing && t.trim() == "24:00" {
            return Ok(86_400.0);
        }
        quantity::parse_time_of_day(t).map_err(|e| {
            Diagnostic::at(
                format!("in window \"{text}\": {e}"),
                span.clone(),
                "not a time of day",
            )
            .with_help("times run from 00:00 to 23:59 (24:00 may close a window)")
        })
    };
    let (open, close) = (clock(open, false)?, clock(close, true)?);
    let close = if next_day { close + 86_400.0 } else { close };
    if close == open {
        return Err(Diagnostic::at(
            format!("window \"{text}\" opens and closes at the same time"),
            span,
            "never open",
        )
        .with_help("a window open all day is \"00:00-24:00\""));
    }
    if close < open {
        return Err(Diagnostic::at(
            format!("window \"{text}\" ends before it starts"),
            span,
            "closes before it opens",
        )
        .with_help(format!(
            "if it crosses midnight, say so with +1 after the closing time: \"{}+1\"",
            text.trim()
        )));
    }
    if close - open > 86_400.0 {
        return Err(Diagnostic::at(
            format!("window \"{text}\" is longer than a day"),
            span,
            "+1 on a closing time after the opening time",
        )
        .with_help("+1 marks a closing time on the next day, earlier than the opening; a window open all day is \"00:00-24:00\""));
    }
    Ok(Span { days, open, close })
}

/// A weekday set: `Mon`, `Mon-Fri` (a range may wrap: `Sat-Mon`), items separated by commas.
pub(super) fn weekdays(text: &str, span: Range<usize>) -> Result<u8> {
    let day = |name: &str| -> Result<usize> {
        WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown weekday \"{name}\""),
                    span.clone(),
                    "not a weekday",
                )
                .suggest(name, WEEKDAYS)
                .with_help_if_none("weekdays are written Mon, Tue, Wed, Thu, Fri, Sat, Sun".into())
            })
    };
    let mut mask = 0u8;
    for item in text.split(',') {
        match item.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    mask |= 1 << d;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => mask |= 1 << day(item)?,
        }
    }
    Ok(mask)
}
