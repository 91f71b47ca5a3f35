//! `[calendars.NAME]`: working hours per weekday, a zone, holidays and a chance of losing a
//! working day; and a step's `calendar`, which must name one.

use super::windows::{first_start_day, spans};
use super::*;
use crate::model::Calendar;
use crate::scenario::raw::RawCalendar;
use crate::time::schedule::WorkingTime;

pub(super) fn calendars(
    raw: &crate::scenario::raw::Table<RawCalendar>,
    display_zone: &Zone,
    milestones: &[Milestone],
) -> Result<Vec<Calendar>> {
    let mut out = Vec::with_capacity(raw.len());
    for (name, c) in raw {
        let c = c.get_ref();
        let zone = match &c.zone {
            Some(z) => zone(z)?,
            None => display_zone.clone(),
        };
        let hours = spans(&c.hours, "working hours")?;
        let mut holidays = Vec::new();
        for h in c.holidays.iter().flat_map(|h| h.get_ref()) {
            let date: jiff::civil::Date = h.get_ref().parse().map_err(|e| {
                Diagnostic::at(
                    format!("holiday \"{}\" is not a date: {e}", h.get_ref()),
                    h.span(),
                    "expected YYYY-MM-DD",
                )
            })?;
            holidays.push(crate::time::days_since_epoch(date));
        }
        let lost_day = super::timetable::probability_below_one(
            c.lost_day.as_ref(),
            "lost_day",
            "lost_day = 0.05 (each working day is lost with chance 5%)",
        )?;
        out.push(Calendar {
            name: name.get_ref().clone(),
            description: c.description.clone(),
            working: WorkingTime::new(&zone, hours, holidays, first_start_day(milestones)),
            lost_day,
            stream: stream_id(&format!("calendar:{}", name.get_ref())),
        });
    }
    Ok(out)
}

/// A step's `calendar = "NAME"`, as an index into `calendars`.
pub(super) fn calendar_ref(name: &Spanned<String>, calendars: &[Calendar]) -> Result<usize> {
    calendars
        .iter()
        .position(|c| &c.name == name.get_ref())
        .ok_or_else(|| {
            let d = Diagnostic::at(
                format!("unknown calendar `{}`", name.get_ref()),
                name.span(),
                "no such calendar",
            );
            if calendars.is_empty() {
                d.with_help("declare it as [calendars.NAME] with hours = \"Mon-Fri 08:00-16:00\"")
            } else {
                d.suggest(name.get_ref(), calendars.iter().map(|c| c.name.as_str()))
            }
        })
}
