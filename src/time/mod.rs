//! Time: zones from eta's bundled database, local calendar days, and instants written for people.
//! Instants are epoch seconds (`f64`) throughout eta; calendar dates are days since 1970-01-01.
//! All calendar arithmetic goes through jiff; [`clock`] holds the trial loop's fast paths.

pub mod clock;
pub mod schedule;

use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use std::sync::OnceLock;

/// A time zone with the IANA name the user wrote, so reports can name it.
#[derive(Debug, Clone)]
pub struct Zone {
    pub name: String,
    pub tz: TimeZone,
}

impl Zone {
    /// Resolves an IANA name against eta's bundled time-zone database.
    pub fn get(name: &str) -> Option<Zone> {
        zone_database().get(name).ok().map(|tz| Zone {
            name: name.to_owned(),
            tz,
        })
    }
}

/// The time-zone database compiled into eta, and never the host's (`/usr/share/zoneinfo`,
/// `TZDIR`, `localtime`): a scenario's answer must not depend on the machine it runs on.
fn zone_database() -> &'static TimeZoneDatabase {
    static DATABASE: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DATABASE.get_or_init(TimeZoneDatabase::bundled)
}

/// Every zone name eta knows, for suggestions.
pub fn zone_names() -> Vec<String> {
    zone_database()
        .available()
        .map(|name| name.as_str().to_owned())
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalDay {
    /// Days since 1970-01-01.
    pub day: i64,
    /// Epoch seconds of local midnight.
    pub midnight: i64,
    /// False when the day has a UTC-offset change, so a time of day must go through the zone rules.
    pub regular: bool,
}

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

/// Days since 1970-01-01 of a calendar date.
pub fn days_since_epoch(date: Date) -> i64 {
    date.duration_since(EPOCH).as_secs().div_euclid(86_400)
}

/// The calendar date `day` days after 1970-01-01 (None outside jiff's years -9999 to 9999).
pub fn date_of_day(day: i64) -> Option<Date> {
    let span = jiff::Span::new().try_days(day).ok()?;
    EPOCH.checked_add(span).ok()
}

/// A day count as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    date_of_day(day).map_or_else(|| "n/a".to_owned(), |d| d.strftime("%Y-%m-%d").to_string())
}

/// Local midnight of `day` in `zone`, and whether the day has no offset change.
pub fn local_day(zone: &Zone, day: i64) -> Option<LocalDay> {
    let date = date_of_day(day)?;
    let midnight = zone.tz.to_timestamp(date.at(0, 0, 0, 0)).ok()?;
    let next = date.tomorrow().ok()?;
    let next_midnight = zone.tz.to_timestamp(next.at(0, 0, 0, 0)).ok()?;
    let regular = next_midnight.as_second() - midnight.as_second() == 86_400
        && zone.tz.to_offset(midnight) == zone.tz.to_offset(next_midnight);
    Some(LocalDay {
        day,
        midnight: midnight.as_second(),
        regular,
    })
}

/// An instant as RFC 3339 with the zone's offset, to the second.
pub fn rfc3339(t: f64, zone: &Zone) -> String {
    local_format(t, zone, "%Y-%m-%dT%H:%M:%S%:z")
}

/// An instant (rounded to the second) in the zone's local time, by a `strftime` format; "n/a"
/// outside the representable range.
fn local_format(t: f64, zone: &Zone, format: &str) -> String {
    match clock::timestamp(t.round()) {
        Some(ts) => ts
            .to_zoned_datetime(zone.tz.clone())
            .strftime(format)
            .to_string(),
        None => "n/a".to_owned(),
    }
}

/// An instant as a local date and time with the zone's offset, for people: `2023-09-10 15:00
/// +09:00`.
pub fn local_with_offset(t: f64, zone: &Zone) -> String {
    local_format(t, zone, "%Y-%m-%d %H:%M %:z")
}

/// An instant as a short local time for people: `Tue Sep 12 14:37`.
pub fn local_short(t: f64, zone: &Zone) -> String {
    match clock::timestamp(t) {
        Some(ts) => ts
            .to_zoned_datetime(zone.tz.clone())
            .strftime("%a %b %d %H:%M")
            .to_string(),
        None => "n/a".to_owned(),
    }
}

/// How a zone reads in headers: `Asia/Vladivostok (UTC+10)`, with the offset at instant `t`.
pub fn zone_label(zone: &Zone, t: f64) -> String {
    let offset = clock::timestamp(t).map_or(0, |ts| zone.tz.to_offset(ts).seconds());
    let (h, m) = (offset / 3600, (offset.abs() % 3600) / 60);
    let utc = match (offset, m) {
        (0, _) => "UTC".to_owned(),
        (_, 0) => format!("UTC{h:+}"),
        _ => format!("UTC{h:+}:{m:02}"),
    };
    if zone.name == "UTC" {
        "UTC".to_owned()
    } else {
        format!("{} ({utc})", zone.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_come_from_the_bundled_database_only() {
        assert!(Zone::get("Asia/Vladivostok").is_some());
        assert!(Zone::get("UTC").is_some());
        // The host's own zone file is not a zone name.
        assert!(Zone::get("localtime").is_none());
        assert!(zone_names().iter().any(|n| n == "Europe/Berlin"));
    }

    #[test]
    fn days_round_trip_through_jiff() {
        for z in [-800_000, -1, 0, 1, 19_610, 2_000_000] {
            assert_eq!(days_since_epoch(date_of_day(z).unwrap()), z);
        }
        assert_eq!(days_since_epoch(jiff::civil::date(2023, 9, 12)), 19_612);
        assert_eq!(format_day(19_612), "2023-09-12");
        assert_eq!(date_of_day(5_000_000), None);
    }
}
