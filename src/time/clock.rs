//! Local time inside the trial loop: turning a local date and time of day into an instant, and
//! finding the next local clock time after an instant, without consulting the time-zone rules on
//! the ordinary days where the UTC offset does not change.

use super::{LocalDay, Zone};
use jiff::{SignedDuration, Timestamp};

/// Instants eta can show (jiff's range: years -9999 to 9999), in epoch seconds.
/// (jiff's `Timestamp::MIN` and `MAX` seconds, a day inside them; literal because this check runs
/// once per trial and milestone, and checked against jiff in a test.)
#[inline]
pub fn representable(t: f64) -> bool {
    (EARLIEST..=LATEST).contains(&t)
}

const EARLIEST: f64 = -377_705_023_201.0 + 86_400.0;
const LATEST: f64 = 253_402_207_200.0 - 86_400.0;

pub fn timestamp(t: f64) -> Option<Timestamp> {
    if !representable(t) {
        return None;
    }
    let whole = t.floor();
    let nanos = ((t - whole) * 1e9).round() as i32;
    Timestamp::new(whole as i64, nanos.min(999_999_999)).ok()
}

fn seconds(ts: Timestamp) -> f64 {
    ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) * 1e-9
}

/// The instant of local `date` (days since 1970-01-01) plus `time_of_day` seconds in `zone`.
/// `days` holds the precomputed local midnights of the dates that can occur.
#[inline]
pub fn start_instant(zone: &Zone, days: &[LocalDay], date: f64, time_of_day: f64) -> f64 {
    let day = date.floor_fast() as i64;
    if (0.0..86_400.0).contains(&time_of_day)
        && let Some(d) = days.iter().find(|d| d.day == day)
        && d.regular
    {
        return d.midnight as f64 + time_of_day;
    }
    local_to_instant(zone, day, time_of_day).unwrap_or(f64::NAN)
}

/// The general path: a wall-clock time in a zone, with a time in a gap moved forward and a
/// repeated time taking its first occurrence (RFC 5545 "compatible").
pub(super) fn local_to_instant(zone: &Zone, day: i64, time_of_day: f64) -> Option<f64> {
    let date = super::date_of_day(day)?;
    let offset = SignedDuration::try_from_secs_f64(time_of_day).ok()?;
    let local = date.at(0, 0, 0, 0).checked_add(offset).ok()?;
    zone.tz.to_timestamp(local).ok().map(seconds)
}

/// `floor` without a libm call, for finite values inside the i64 range.
trait FloorFast {
    fn floor_fast(self) -> f64;
}

impl FloorFast for f64 {
    #[inline(always)]
    fn floor_fast(self) -> f64 {
        let t = self as i64 as f64;
        if t > self { t - 1.0 } else { t }
    }
}

/// The UTC offset of a zone over an interval with no transition, refreshed when an instant falls
/// outside it. One per step and worker: trials cluster in time, so it is almost always valid.
#[derive(Debug, Clone)]
pub struct OffsetWindow {
    start: f64,
    end: f64,
    offset: f64,
}

impl Default for OffsetWindow {
    fn default() -> Self {
        OffsetWindow {
            start: f64::INFINITY,
            end: f64::NEG_INFINITY,
            offset: 0.0,
        }
    }
}

impl OffsetWindow {
    #[inline]
    fn offset_at(&mut self, zone: &Zone, t: f64) -> Option<f64> {
        if t >= self.start && t < self.end {
            return Some(self.offset);
        }
        let ts = timestamp(t)?;
        let offset = f64::from(zone.tz.to_offset(ts).seconds());
        let start = zone
            .tz
            .preceding(ts)
            .next()
            .map_or(f64::NEG_INFINITY, |tr| seconds(tr.timestamp()));
        let end = zone
            .tz
            .following(ts)
            .next()
            .map_or(f64::INFINITY, |tr| seconds(tr.timestamp()));
        *self = OffsetWindow { start, end, offset };
        Some(offset)
    }

    /// The local time of `t` in `zone` (epoch seconds shifted by the offset) and its seconds
    /// since local midnight; `None` where `t` cannot be placed.
    #[inline]
    fn local_clock(&mut self, zone: &Zone, t: f64) -> Option<(f64, f64)> {
        let local = t + self.offset_at(zone, t)?;
        // Seconds since local midnight without a libm call or an integer division (both slow in
        // the trial loop). The day count may come out one off where the product rounds; the
        // subtraction itself is exact, so correcting by a day is enough.
        let day_start = (local * (1.0 / 86_400.0)).floor_fast() * 86_400.0;
        let mut since_midnight = local - day_start;
        if since_midnight < 0.0 {
            since_midnight += 86_400.0;
        } else if since_midnight >= 86_400.0 {
            since_midnight -= 86_400.0;
        }
        Some((local, since_midnight))
    }

    /// Seconds since local midnight in `zone` at instant `t` (NaN where it cannot be placed).
    #[inline]
    pub fn time_of_day(&mut self, zone: &Zone, t: f64) -> f64 {
        self.local_clock(zone, t).map_or(f64::NAN, |(_, s)| s)
    }

    /// The first instant at or after `t` whose local time of day in `zone` is `time_of_day`, if
    /// that comes later on the same local day; otherwise `t` itself.
    #[inline]
    pub fn not_before_time_of_day(&mut self, zone: &Zone, t: f64, time_of_day: f64) -> f64 {
        let Some((local, since_midnight)) = self.local_clock(zone, t) else {
            return t;
        };
        if since_midnight >= time_of_day {
            return t;
        }
        let candidate = t + (time_of_day - since_midnight);
        if candidate < self.end {
            return candidate;
        }
        let day = ((local - since_midnight) / 86_400.0).round() as i64;
        local_to_instant(zone, day, time_of_day).map_or(candidate, |c| c.max(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::local_day;

    fn zone(name: &str) -> Zone {
        Zone::get(name).unwrap()
    }

    #[test]
    fn representable_range_is_jiffs_less_a_day() {
        assert_eq!(EARLIEST, Timestamp::MIN.as_second() as f64 + 86_400.0);
        assert_eq!(LATEST, Timestamp::MAX.as_second() as f64 - 86_400.0);
        assert!(!representable(f64::NAN) && !representable(f64::INFINITY));
    }

    #[test]
    fn start_uses_local_midnight() {
        let z = zone("Asia/Vladivostok");
        let day = crate::time::days_since_epoch(jiff::civil::date(2023, 9, 12));
        let days = [local_day(&z, day).unwrap()];
        // 15:00 +10 is 05:00Z.
        let t = start_instant(&z, &days, day as f64, 15.0 * 3600.0);
        assert_eq!(timestamp(t).unwrap().to_string(), "2023-09-12T05:00:00Z");
    }

    #[test]
    fn daylight_saving_day_goes_through_zone_rules() {
        let z = zone("Europe/Berlin");
        let day = crate::time::days_since_epoch(jiff::civil::date(2023, 3, 26)); // clocks go 02:00 -> 03:00
        let d = local_day(&z, day).unwrap();
        assert!(!d.regular);
        // 12:00 CEST (+02) is 10:00Z; a naive midnight + 12 h would give 11:00Z.
        let t = start_instant(&z, &[d], day as f64, 12.0 * 3600.0);
        assert_eq!(timestamp(t).unwrap().to_string(), "2023-03-26T10:00:00Z");
    }

    #[test]
    fn time_of_day_follows_daylight_saving_and_midnight() {
        let z = zone("Europe/Berlin");
        let mut w = OffsetWindow::default();
        let at = |s: &str| s.parse::<Timestamp>().unwrap().as_second() as f64;
        // 2024-03-31: clocks go 02:00 -> 03:00. 00:30Z is 01:30 CET; 01:30Z is 03:30 CEST.
        assert_eq!(w.time_of_day(&z, at("2024-03-31T00:30:00Z")), 1.5 * 3600.0);
        assert_eq!(w.time_of_day(&z, at("2024-03-31T01:30:00Z")), 3.5 * 3600.0);
        // 23:30Z on the 31st is 01:30 on April 1st (CEST): the clock starts again at midnight.
        assert_eq!(w.time_of_day(&z, at("2024-03-31T23:30:00Z")), 1.5 * 3600.0);
        assert!(w.time_of_day(&z, f64::NAN).is_nan());
    }

    #[test]
    fn not_before_waits_for_local_clock_time() {
        let z = zone("Asia/Pyongyang");
        let mut w = OffsetWindow::default();
        // 2023-09-10 03:00 +09 = 2023-09-09T18:00Z; not before 06:00 local -> 21:00Z.
        let t = "2023-09-09T18:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_second() as f64;
        let r = w.not_before_time_of_day(&z, t, 6.0 * 3600.0);
        assert_eq!(timestamp(r).unwrap().to_string(), "2023-09-09T21:00:00Z");
        // Already past 06:00 local: no wait.
        assert_eq!(
            w.not_before_time_of_day(&z, t + 4.0 * 3600.0, 6.0 * 3600.0),
            t + 4.0 * 3600.0
        );
    }
}
