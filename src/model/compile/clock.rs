//! Zones and local times written in the scenario: zone names, `not_before` and deadlines, read
//! in a milestone's zone.

use super::*;

pub(super) fn zone(name: &Spanned<String>) -> Result<Zone> {
    Zone::get(name.get_ref()).ok_or_else(|| {
        let available = crate::time::zone_names();
        Diagnostic::at(
            format!("unknown time zone \"{}\"", name.get_ref()),
            name.span(),
            "not an IANA time-zone name",
        )
        .suggest(name.get_ref(), available.iter().map(String::as_str))
        .with_help_if_none(
            "use an IANA name such as \"Asia/Vladivostok\" or \"Europe/Berlin\"".into(),
        )
    })
}

pub(super) fn local_instant(text: &Spanned<String>, zone: &Zone) -> Result<i64> {
    let dt: jiff::civil::DateTime = text.get_ref().parse().map_err(|e| {
        Diagnostic::at(
            format!("\"{}\" is not a local date and time: {e}", text.get_ref()),
            text.span(),
            "expected YYYY-MM-DDTHH:MM",
        )
        .with_help("write the local time without an offset, e.g. \"2023-09-12T15:00\", and the zone in `zone`")
    })?;
    // jiff reads and then ignores an offset or a [zone] annotation after a civil date-time; a
    // user who wrote one expects it to count, so refuse it rather than silently use `zone`.
    if text
        .get_ref()
        .get(10..)
        .is_some_and(|time| time.contains(['+', '-', 'Z', 'z', '[']))
    {
        return Err(Diagnostic::at(
            format!(
                "\"{}\" gives a UTC offset or zone, but it is read as a local time in {}",
                text.get_ref(),
                zone.name
            ),
            text.span(),
            "offset or zone not allowed here",
        )
        .with_help("write the local time alone, e.g. \"2023-09-12T15:00\"; a deadline names its zone in `zone`"));
    }
    zone.tz
        .to_timestamp(dt)
        .map(|t| t.as_second())
        .map_err(|e| {
            Diagnostic::at(
                format!("cannot place this time in {}: {e}", zone.name),
                text.span(),
                "here",
            )
        })
}

pub(super) fn not_before(text: &Spanned<String>, zone: &Zone) -> Result<NotBefore> {
    if text.get_ref().contains('T') {
        return local_instant(text, zone).map(|t| NotBefore::Instant(t as f64));
    }
    quantity::parse_time_of_day(text.get_ref())
        .map(NotBefore::TimeOfDay)
        .map_err(|e| Diagnostic::at(e, text.span(), "expected \"HH:MM\" or \"YYYY-MM-DDTHH:MM\""))
}

pub(super) fn deadline(
    id: &Spanned<String>,
    raw: &RawDeadline,
    index: &HashMap<String, usize>,
    milestones: &[Milestone],
    routes: &[Route],
) -> Result<Deadline> {
    let milestone = milestone_ref(&raw.milestone, index)?;
    let zone = match &raw.zone {
        Some(z) => zone(z)?,
        None => milestones[milestone].zone.clone(),
    };
    let at = match raw.at.get_ref() {
        RawDeadlineAt::Instant(text) => DeadlineAt::Fixed(local_instant(
            &Spanned::new(raw.at.span(), text.clone()),
            &zone,
        )?),
        RawDeadlineAt::Relative(relative) => DeadlineAt::Relative {
            milestone: milestone_ref(&relative.milestone, index)?,
            offset: signed_duration(&relative.offset)?,
        },
    };
    let require_route = match &raw.require {
        None => None,
        Some(r) => requirement(r, routes)?,
    };
    Ok(Deadline {
        id: id.get_ref().clone(),
        label: raw.label.clone().unwrap_or_else(|| id.get_ref().clone()),
        milestone,
        at,
        zone,
        require_route,
        require_branch: None,
    })
}

/// A relative deadline's `offset`: a duration, negative for "before" (`"-20 min"`, `"-1h30m"`).
fn signed_duration(text: &Spanned<String>) -> Result<f64> {
    let written = text.get_ref().trim();
    let (sign, magnitude) = match written.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, written.strip_prefix('+').unwrap_or(written)),
    };
    match quantity::parse_literal(magnitude) {
        Ok((Kind::Duration, v)) if v >= 0.0 => Ok(sign * v),
        _ => Err(Diagnostic::at(
            format!("offset \"{written}\" is not a duration"),
            text.span(),
            "expected a duration",
        )
        .with_help(
            "e.g. offset = \"-20 min\" (20 minutes before the milestone) or \"2h\" (two hours after)",
        )),
    }
}
