//! A step's `timetable`: listed departures or a headway, on weekdays or dates, in a zone, with a
//! boarding cut-off, cancellations, late departures and the departure the traveller booked.

use super::windows::first_start_day;
use super::*;
use crate::model::Timetable;
use crate::scenario::raw::RawTimetable;
use crate::time::schedule::{Departures, EVERY_DAY};

/// Most departures a day a timetable may list or a headway may make (one a minute).
const MAX_DEPARTURES_A_DAY: usize = 1_440;

impl Compiler {
    pub(super) fn timetable(
        &mut self,
        raw: &Spanned<RawTimetable>,
        owner: &str,
        index: usize,
        from_zone: &Zone,
        milestones: &[Milestone],
    ) -> Result<Timetable> {
        let t = raw.get_ref();
        let zone = match &t.zone {
            Some(z) => zone(z)?,
            None => from_zone.clone(),
        };
        let days = match &t.days {
            Some(d) => super::windows::weekdays(d.get_ref(), d.span())?,
            None => EVERY_DAY,
        };
        let clock_times = match (&t.departures, &t.every) {
            (Some(list), None) => listed(list, t)?,
            (None, Some(every)) => headway(every, t, raw.span())?,
            (Some(_), Some(every)) => {
                return Err(Diagnostic::at(
                    "a timetable takes either `departures` or `every`, not both",
                    every.span(),
                    "remove this, or remove `departures`",
                ));
            }
            (None, None) => {
                return Err(Diagnostic::at(
                    "a timetable needs `departures` (a list of local times) or a headway (`every`, `first`, `last`)",
                    raw.span(),
                    "no departures",
                )
                .with_help("e.g. timetable = { departures = [\"11:15\", \"14:40\", \"18:10\"] } or { every = \"30 min\", first = \"06:00\", last = \"22:00\" }"));
            }
        };
        let dates = match &t.dates {
            None => None,
            Some(list) if list.get_ref().is_empty() => {
                return Err(Diagnostic::at(
                    "an empty list of dates never runs",
                    list.span(),
                    "no dates",
                )
                .with_help(
                    "list the service dates, e.g. dates = [\"2023-09-12\"], or remove `dates`",
                ));
            }
            Some(list) => {
                let mut days = Vec::with_capacity(list.get_ref().len());
                for d in list.get_ref() {
                    let date: jiff::civil::Date = d.get_ref().parse().map_err(|e| {
                        Diagnostic::at(
                            format!("\"{}\" is not a date: {e}", d.get_ref()),
                            d.span(),
                            "expected YYYY-MM-DD",
                        )
                    })?;
                    days.push(crate::time::days_since_epoch(date));
                }
                days.sort_unstable();
                days.dedup();
                Some(days)
            }
        };
        let times: Vec<(u8, f64)> = clock_times.into_iter().map(|c| (days, c)).collect();
        let departures = Departures::new(&zone, times, dates, first_start_day(milestones));
        let cutoff = match &t.cutoff {
            None => 0.0,
            Some(c) => {
                match quantity::parse_literal(c.get_ref()) {
                    Ok((Kind::Duration, v)) if (0.0..86_400.0).contains(&v) => v,
                    _ => {
                        return Err(Diagnostic::at(
                        format!("cutoff \"{}\" is not a duration under a day", c.get_ref()),
                        c.span(),
                        "expected a duration",
                    )
                    .with_help("e.g. cutoff = \"20 min\" (boarding closes 20 minutes before departure)"));
                    }
                }
            }
        };
        let cancelled = probability_below_one(
            t.cancelled.as_ref(),
            "cancelled",
            "cancelled = 0.02 (each departure is cancelled with chance 2%)",
        )?;
        let late = match &t.late {
            None => None,
            Some(l) => Some(self.operand(l, owner, "late", Kind::Duration)?),
        };
        let booked = match &t.booked {
            None => None,
            Some(b) => {
                let at = local_instant(b, &zone)? as f64;
                if departures.first_from(at, false).map(|d| d.at) != Some(at) {
                    return Err(Diagnostic::at(
                        format!(
                            "no departure of this timetable leaves at {} ({})",
                            b.get_ref(),
                            zone.name
                        ),
                        b.span(),
                        "not a departure",
                    )
                    .with_help("name one of the timetable's departures, as a local date-time"));
                }
                Some(at)
            }
        };
        Ok(Timetable {
            departures,
            cutoff,
            cancelled,
            late,
            booked,
            stream: stream_id(&format!("timetable:{owner}:{index}")),
        })
    }
}

/// `departures = ["11:15", ...]`: each a local time of day, none twice.
fn listed(list: &Spanned<Vec<Spanned<String>>>, t: &RawTimetable) -> Result<Vec<f64>> {
    if list.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "an empty timetable never departs",
            list.span(),
            "no departures",
        )
        .with_help("list local departure times, e.g. departures = [\"11:15\", \"14:40\"]"));
    }
    if let Some(extra) = t.first.as_ref().or(t.last.as_ref()) {
        return Err(Diagnostic::at(
            "`first` and `last` bound a headway (`every`), not a list of departures",
            extra.span(),
            "not used with `departures`",
        ));
    }
    if let Some(d) = list.get_ref().get(MAX_DEPARTURES_A_DAY) {
        return Err(too_many("departures a day", MAX_DEPARTURES_A_DAY, d.span()));
    }
    let mut times: Vec<f64> = Vec::with_capacity(list.get_ref().len());
    for d in list.get_ref() {
        let tod = time_of_day(d)?;
        if times.contains(&tod) {
            return Err(Diagnostic::at(
                format!("departure {} is listed twice", d.get_ref()),
                d.span(),
                "listed before",
            ));
        }
        times.push(tod);
    }
    Ok(times)
}

/// `every = "30 min", first = "06:00", last = "22:00"`: departures at those clock times.
fn headway(every: &Spanned<String>, t: &RawTimetable, span: Range<usize>) -> Result<Vec<f64>> {
    let step = match quantity::parse_literal(every.get_ref()) {
        Ok((Kind::Duration, v)) if (60.0..=86_400.0).contains(&v) => v,
        _ => {
            return Err(Diagnostic::at(
                format!(
                    "every \"{}\" is not a headway from 1 minute to a day",
                    every.get_ref()
                ),
                every.span(),
                "expected a duration",
            )
            .with_help("e.g. every = \"30 min\""));
        }
    };
    let (Some(first), Some(last)) = (&t.first, &t.last) else {
        return Err(Diagnostic::at(
            "a headway needs `first` and `last`, the first and last departure of the day",
            span,
            "`first` or `last` missing",
        )
        .with_help("e.g. { every = \"30 min\", first = \"06:00\", last = \"22:00\" }"));
    };
    let (a, b) = (time_of_day(first)?, time_of_day(last)?);
    if b < a {
        return Err(Diagnostic::at(
            format!(
                "the last departure {} comes before the first {}",
                last.get_ref(),
                first.get_ref()
            ),
            last.span(),
            "before `first`",
        )
        .with_help("a headway runs within one service day; for a night service list its departures instead"));
    }
    let count = ((b - a) / step).floor() as usize + 1;
    Ok((0..count).map(|k| a + k as f64 * step).collect())
}

fn time_of_day(text: &Spanned<String>) -> Result<f64> {
    quantity::parse_time_of_day(text.get_ref()).map_err(|e| {
        Diagnostic::at(e, text.span(), "expected HH:MM")
            .with_help("a departure is a local time of day, e.g. \"08:30\"")
    })
}

/// An optional probability that must stay below 1 (at 1 nothing would ever depart or work):
/// 0 when absent.
pub(super) fn probability_below_one(
    value: Option<&Spanned<Value>>,
    key: &str,
    example: &str,
) -> Result<f64> {
    let Some(p) = value else {
        return Ok(0.0);
    };
    match p.get_ref() {
        Value::Float(f) if (0.0..1.0).contains(f) => Ok(*f),
        Value::Integer(0) => Ok(0.0),
        _ => Err(Diagnostic::at(
            format!("`{key}` must be a probability from 0 up to, not including, 1"),
            p.span(),
            "not a probability below 1",
        )
        .with_help(format!("e.g. {example}"))),
    }
}
