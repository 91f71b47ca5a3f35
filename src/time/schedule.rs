//! Weekly local patterns (a step's windows, a timetable's departures) expanded into sorted UTC
//! instants over the span a run can reach, so that a trial finds the next opening or departure
//! by a binary search instead of time-zone arithmetic. Beyond that span a slow path expands the
//! pattern around the instant asked for; the answers are the same, only slower.

use super::{Zone, clock};

/// Weekday names as a pattern writes them, Monday first (bit `k` of a day mask is `WEEKDAYS[k]`).
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Every weekday.
pub const EVERY_DAY: u8 = 0b111_1111;

/// Days the precomputed schedule covers after the first day a run can start on.
const PRECOMPUTED_DAYS: i64 = 62;

/// Days the slow path expands at a time, and how far it looks before giving up.
const SLOW_BLOCK_DAYS: i64 = 14;
const SLOW_LIMIT_DAYS: i64 = 800;

/// The weekday of a day count (days since 1970-01-01, a Thursday), Monday = 0.
pub fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// One local interval repeated on some weekdays: open from `open` to `close` seconds after the
/// local midnight of each of those days. `close` may pass 86,400 (a window that crosses
/// midnight belongs to the day it opens on).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub days: u8,
    pub open: f64,
    pub close: f64,
}

impl Span {
    /// The span as a scenario writes it: `Mon-Fri 08:00-16:00`, `22:00-06:00+1`.
    pub fn describe(&self) -> String {
        let clock = clock_text;
        let close = if self.close > 86_400.0 {
            format!("{}+1", clock(self.close - 86_400.0))
        } else {
            clock(self.close)
        };
        let times = format!("{}-{close}", clock(self.open));
        with_weekdays(self.days, times)
    }
}

/// Seconds after midnight as `HH:MM`.
fn clock_text(s: f64) -> String {
    let m = (s / 60.0).round() as i64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `text` after the weekdays of `mask` as a pattern writes them (`Mon-Fri`, `Sat,Sun`), or
/// alone for every day.
fn with_weekdays(mask: u8, text: String) -> String {
    let days: Vec<usize> = (0..7).filter(|d| mask & (1 << d) != 0).collect();
    let contiguous = days.windows(2).all(|w| w[1] == w[0] + 1);
    let days = match days.as_slice() {
        _ if mask == EVERY_DAY => return text,
        [one] => WEEKDAYS[*one].to_owned(),
        [a, .., b] if contiguous => format!("{}-{}", WEEKDAYS[*a], WEEKDAYS[*b]),
        _ => days
            .iter()
            .map(|&d| WEEKDAYS[d])
            .collect::<Vec<_>>()
            .join(","),
    };
    format!("{days} {text}")
}

/// The first two spans that overlap somewhere in the week (indices into `spans`), if any.
pub fn first_overlap(spans: &[Span]) -> Option<(usize, usize)> {
    const WEEK: f64 = 7.0 * 86_400.0;
    let mut pieces: Vec<(f64, f64, usize)> = Vec::new();
    for (k, s) in spans.iter().enumerate() {
        for d in 0..7 {
            if s.days & (1 << d) == 0 {
                continue;
            }
            let (open, close) = (d as f64 * 86_400.0 + s.open, d as f64 * 86_400.0 + s.close);
            if close > WEEK {
                pieces.push((open, WEEK, k));
                pieces.push((0.0, close - WEEK, k));
            } else {
                pieces.push((open, close, k));
            }
        }
    }
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    pieces
        .windows(2)
        .find_map(|w| (w[0].1 > w[1].0).then(|| (w[0].2.min(w[1].2), w[0].2.max(w[1].2))))
}

/// The local intervals of `spans` on days `first..=last` as UTC instants, sorted. Each bound
/// is placed like any local time in eta: a time in a daylight-saving gap moves forward, a
/// repeated time takes its first occurrence. An interval the clocks leave empty is dropped.
pub fn intervals(zone: &Zone, spans: &[Span], first: i64, last: i64) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for day in first..=last {
        let bit = 1 << weekday(day);
        for s in spans.iter().filter(|s| s.days & bit != 0) {
            let (Some(open), Some(close)) = (
                clock::local_to_instant(zone, day, s.open),
                clock::local_to_instant(zone, day, s.close),
            ) else {
                continue;
            };
            if close > open {
                out.push([open, close]);
            }
        }
    }
    out.sort_by(|a, b| a[0].total_cmp(&b[0]));
    out
}

/// The local day (days since 1970-01-01) an instant falls on in `zone`.
pub fn local_day_of(zone: &Zone, t: f64) -> Option<i64> {
    let ts = clock::timestamp(t)?;
    Some(super::days_since_epoch(zone.tz.to_datetime(ts).date()))
}

/// When a step may start: inside any of its weekly windows. Precomputed over the days a run
/// can reach first; a trial outside them goes through [`Openings::slow_next`].
#[derive(Debug, Clone)]
pub struct Openings {
    zone: Zone,
    spans: Vec<Span>,
    /// The precomputed intervals answer for instants from here on (while one is left).
    valid_from: f64,
    intervals: Vec<[f64; 2]>,
}

impl Openings {
    /// Windows `spans` in `zone`, precomputed from local day `first` (the earliest day a run
    /// can start on) for [`PRECOMPUTED_DAYS`].
    pub fn new(zone: &Zone, spans: Vec<Span>, first: i64) -> Openings {
        // Two days before: a window opened the day before may still be open on `first`.
        let intervals = intervals(zone, &spans, first - 2, first + PRECOMPUTED_DAYS);
        let valid_from = clock::local_to_instant(zone, first, 0.0).unwrap_or(f64::INFINITY);
        Openings {
            zone: zone.clone(),
            spans,
            valid_from,
            intervals,
        }
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// `t` if a window is open at `t`, else the next opening; NaN for NaN (not reached) and
    /// when no window opens within 800 days.
    #[inline]
    pub fn next_open(&self, t: f64) -> f64 {
        if t >= self.valid_from {
            let i = self.intervals.partition_point(|iv| iv[1] <= t);
            if let Some(iv) = self.intervals.get(i) {
                return if t >= iv[0] { t } else { iv[0] };
            }
        }
        if t.is_nan() {
            return t;
        }
        self.slow_next(t)
    }

    /// The same answer for an instant outside the precomputed days, expanding the pattern
    /// around it block by block.
    #[cold]
    fn slow_next(&self, t: f64) -> f64 {
        let Some(day) = local_day_of(&self.zone, t) else {
            return f64::NAN;
        };
        let mut first = day - 2;
        while first < day + SLOW_LIMIT_DAYS {
            let last = first + SLOW_BLOCK_DAYS;
            let found = intervals(&self.zone, &self.spans, first, last)
                .into_iter()
                .find(|iv| iv[1] > t);
            if let Some(iv) = found {
                return t.max(iv[0]);
            }
            first = last - 1;
        }
        f64::NAN
    }
}

/// A timetable's departures: local clock times on some weekdays (or only on given dates),
/// precomputed as sorted instants, each with the local midnight of its service day (to tell a
/// trial that waited into a later day) and the listed time it comes from.
#[derive(Debug, Clone)]
pub struct Departures {
    zone: Zone,
    /// (weekdays, seconds after local midnight), in listed order.
    times: Vec<(u8, f64)>,
    /// Service dates (days since 1970-01-01), when the timetable runs on given dates only.
    dates: Option<Vec<i64>>,
    valid_from: f64,
    /// The precomputed departures, sorted, with no instant twice.
    list: Vec<Departure>,
    /// True when `list` holds every departure there is (a timetable on given dates).
    complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Departure {
    /// Scheduled departure, epoch seconds.
    pub at: f64,
    /// Local midnight of the departure's service day, epoch seconds.
    pub day_start: f64,
    /// Index of the listed time it comes from.
    pub slot: u16,
}

impl Departures {
    /// `times` in `zone`, on `dates` only if given, precomputed from local day `first`.
    pub fn new(zone: &Zone, times: Vec<(u8, f64)>, dates: Option<Vec<i64>>, first: i64) -> Self {
        let (list, complete) = match &dates {
            Some(dates) => (departures(zone, &times, dates.iter().copied()), true),
            None => (
                departures(zone, &times, first - 1..=first + PRECOMPUTED_DAYS),
                false,
            ),
        };
        let valid_from = clock::local_to_instant(zone, first, 0.0).unwrap_or(f64::INFINITY);
        Departures {
            zone: zone.clone(),
            times,
            dates,
            valid_from: if complete {
                f64::NEG_INFINITY
            } else {
                valid_from
            },
            list,
            complete,
        }
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    pub fn times(&self) -> &[(u8, f64)] {
        &self.times
    }

    pub fn dates(&self) -> Option<&[i64]> {
        self.dates.as_deref()
    }

    /// The departures as a scenario writes them: `11:15, 14:40`, `every 30 min 06:00-22:00`,
    /// after their weekdays.
    pub fn describe(&self) -> String {
        let times = &self.times;
        let mask = times.first().map_or(EVERY_DAY, |t| t.0);
        let gap = |k: usize| times[k + 1].1 - times[k].1;
        let even = times.len() > 6 && (1..times.len() - 1).all(|k| gap(k) == gap(0));
        let text = if even {
            format!(
                "every {} min {}-{}",
                (gap(0) / 60.0).round(),
                clock_text(times[0].1),
                clock_text(times[times.len() - 1].1)
            )
        } else {
            times
                .iter()
                .map(|t| clock_text(t.1))
                .collect::<Vec<_>>()
                .join(", ")
        };
        with_weekdays(mask, text)
    }

    /// The listed time of day a departure slot stands for, as `HH:MM`.
    pub fn slot_text(&self, slot: u16) -> String {
        self.times
            .get(usize::from(slot))
            .map_or_else(String::new, |t| clock_text(t.1))
    }

    /// The first departure at or after `t` (`strictly` after it, if asked); None when there is
    /// none (a timetable on given dates has run out) or `t` is NaN.
    #[inline]
    pub fn first_from(&self, t: f64, strictly: bool) -> Option<Departure> {
        if t >= self.valid_from {
            let i = if strictly {
                self.list.partition_point(|d| d.at <= t)
            } else {
                self.list.partition_point(|d| d.at < t)
            };
            if let Some(d) = self.list.get(i) {
                return Some(*d);
            }
            if self.complete {
                return None;
            }
        }
        if t.is_nan() {
            return None;
        }
        self.slow_first_from(t, strictly)
    }

    #[cold]
    fn slow_first_from(&self, t: f64, strictly: bool) -> Option<Departure> {
        let day = local_day_of(&self.zone, t)?;
        let mut first = day - 1;
        while first < day + SLOW_LIMIT_DAYS {
            let last = first + SLOW_BLOCK_DAYS;
            let found = departures(&self.zone, &self.times, first..=last)
                .into_iter()
                .find(|d| if strictly { d.at > t } else { d.at >= t });
            if found.is_some() {
                return found;
            }
            first = last;
        }
        None
    }
}

/// The departures of `times` on `days`, sorted; a local time in a spring-forward gap moves
/// forward and a repeated one takes its first occurrence, so each listed time departs once a
/// day; two that land on the same instant depart once.
fn departures(
    zone: &Zone,
    times: &[(u8, f64)],
    days: impl IntoIterator<Item = i64>,
) -> Vec<Departure> {
    let mut out = Vec::new();
    for day in days {
        let Some(day_start) = clock::local_to_instant(zone, day, 0.0) else {
            continue;
        };
        let bit = 1 << weekday(day);
        for (slot, &(mask, tod)) in times.iter().enumerate() {
            if mask & bit != 0
                && let Some(at) = clock::local_to_instant(zone, day, tod)
            {
                out.push(Departure {
                    at,
                    day_start,
                    slot: slot as u16,
                });
            }
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    out.dedup_by(|b, a| a.at == b.at);
    out
}

/// One working interval of a calendar: open from `open` to `close` (epoch seconds), on the
/// local day `day` it opens on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub open: f64,
    pub close: f64,
    pub day: i64,
}

/// A working calendar's hours (weekly spans less holidays) as sorted UTC shifts, so a job's
/// finish is a forward scan from its start over the shifts it spans.
#[derive(Debug, Clone)]
pub struct WorkingTime {
    zone: Zone,
    spans: Vec<Span>,
    /// Sorted days (since 1970-01-01) with no working hours.
    holidays: Vec<i64>,
    valid_from: f64,
    list: Vec<Shift>,
}

/// Days of working shifts precomputed after the first start day (a job may run for weeks).
const PRECOMPUTED_WORK_DAYS: i64 = 400;

impl WorkingTime {
    pub fn new(zone: &Zone, spans: Vec<Span>, mut holidays: Vec<i64>, first: i64) -> Self {
        holidays.sort_unstable();
        holidays.dedup();
        let list = shifts(
            zone,
            &spans,
            &holidays,
            first - 2,
            first + PRECOMPUTED_WORK_DAYS,
        );
        let valid_from = clock::local_to_instant(zone, first, 0.0).unwrap_or(f64::INFINITY);
        WorkingTime {
            zone: zone.clone(),
            spans,
            holidays,
            valid_from,
            list,
        }
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    pub fn holidays(&self) -> &[i64] {
        &self.holidays
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// When `work` seconds of working time started at `start` are done, skipping the shifts of
    /// the days `lost` says are lost. Work started outside hours begins at the next opening; a
    /// job that ends exactly at closing time finishes then; no work at all finishes at `start`.
    /// NaN for NaN, and when the work does not fit in 800 days.
    #[inline]
    pub fn finish(&self, start: f64, work: f64, lost: impl Fn(i64) -> bool) -> f64 {
        if start.is_nan() || work <= 0.0 {
            return start;
        }
        let mut remaining = work;
        let mut take = |s: &Shift| -> Option<f64> {
            if lost(s.day) {
                return None;
            }
            let from = start.max(s.open);
            if from >= s.close {
                return None;
            }
            let available = s.close - from;
            if remaining <= available {
                return Some(from + remaining);
            }
            remaining -= available;
            None
        };
        let mut next_day = if start >= self.valid_from {
            let i = self.list.partition_point(|s| s.close <= start);
            if let Some(done) = self.list[i..].iter().find_map(&mut take) {
                return done;
            }
            self.list.last().map_or(i64::MAX, |s| s.day + 1)
        } else {
            match local_day_of(&self.zone, start) {
                Some(day) => day - 2,
                None => return f64::NAN,
            }
        };
        self.slow_finish(&mut next_day, start, &mut take)
    }

    /// Carries a scan on past the precomputed shifts (or starts one before them), block by block.
    #[cold]
    fn slow_finish(
        &self,
        next_day: &mut i64,
        start: f64,
        take: &mut impl FnMut(&Shift) -> Option<f64>,
    ) -> f64 {
        let Some(limit) = local_day_of(&self.zone, start).map(|d| d + SLOW_LIMIT_DAYS) else {
            return f64::NAN;
        };
        while *next_day < limit {
            let last = *next_day + SLOW_BLOCK_DAYS;
            let block = shifts(&self.zone, &self.spans, &self.holidays, *next_day, last);
            if let Some(done) = block
                .iter()
                .filter(|s| s.close > start)
                .find_map(&mut *take)
            {
                return done;
            }
            *next_day = last + 1;
        }
        f64::NAN
    }
}

/// The working shifts of `spans` on days `first..=last` that are not `holidays` (sorted).
fn shifts(zone: &Zone, spans: &[Span], holidays: &[i64], first: i64, last: i64) -> Vec<Shift> {
    let mut out = Vec::new();
    for day in first..=last {
        if holidays.binary_search(&day).is_ok() {
            continue;
        }
        for [open, close] in intervals(zone, spans, day, day) {
            out.push(Shift { open, close, day });
        }
    }
    out.sort_by(|a, b| a.open.total_cmp(&b.open));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::days_since_epoch;

    fn at(text: &str) -> f64 {
        text.parse::<jiff::Timestamp>().unwrap().as_second() as f64
    }

    fn span(days: u8, open: f64, close: f64) -> Span {
        Span {
            days,
            open: open * 3600.0,
            close: close * 3600.0,
        }
    }

    #[test]
    fn spans_describe_themselves_as_written() {
        assert_eq!(span(EVERY_DAY, 6.0, 20.0).describe(), "06:00-20:00");
        assert_eq!(span(0b1_1111, 8.0, 16.0).describe(), "Mon-Fri 08:00-16:00");
        assert_eq!(
            span(0b110_0000, 22.0, 30.0).describe(),
            "Sat-Sun 22:00-06:00+1"
        );
        assert_eq!(span(0b101, 0.0, 24.0).describe(), "Mon,Wed 00:00-24:00");
    }

    #[test]
    fn departures_follow_the_clock_across_daylight_saving_changes() {
        let zone = Zone::get("Europe/Berlin").unwrap();
        let first = days_since_epoch(jiff::civil::date(2023, 3, 25));
        let times = vec![(EVERY_DAY, 2.5 * 3600.0), (EVERY_DAY, 3.5 * 3600.0)];
        let d = Departures::new(&zone, times, None, first);
        // On the 26th 02:30 does not exist: it moves to 03:30 (01:30Z) and departs once.
        let t = at("2023-03-26T00:00:00Z");
        let a = d.first_from(t, false).unwrap();
        assert_eq!(a.at, at("2023-03-26T01:30:00Z"));
        let b = d.first_from(a.at, true).unwrap();
        assert_eq!(b.at, at("2023-03-27T00:30:00Z"));
        // Only on given dates: after them, none.
        let on = Departures::new(
            &zone,
            vec![(EVERY_DAY, 8.0 * 3600.0)],
            Some(vec![first]),
            first,
        );
        assert_eq!(
            on.first_from(at("2023-03-25T00:00:00Z"), false).unwrap().at,
            at("2023-03-25T07:00:00Z")
        );
        assert_eq!(on.first_from(at("2023-03-25T08:00:00Z"), false), None);
        // Beyond the precomputed days, the slow path.
        let far = d.first_from(at("2024-01-10T12:00:00Z"), false).unwrap();
        assert_eq!(far.at, at("2024-01-11T01:30:00Z"));
    }

    #[test]
    fn working_time_skips_nights_weekends_and_holidays() {
        let zone = Zone::get("Europe/Berlin").unwrap();
        let first = days_since_epoch(jiff::civil::date(2024, 12, 1));
        let hours = vec![span(0b1_1111, 8.0, 16.0)];
        let cal = WorkingTime::new(&zone, hours.clone(), vec![], first);
        // 14 working hours from Friday 6 Dec 14:00: 2 on Friday, 8 on Monday, 4 on Tuesday.
        let start = at("2024-12-06T13:00:00Z");
        assert_eq!(
            cal.finish(start, 14.0 * 3600.0, |_| false),
            at("2024-12-10T11:00:00Z")
        );
        // Ending exactly at closing finishes then (Friday 16:00), not at Monday's opening.
        assert_eq!(
            cal.finish(start, 2.0 * 3600.0, |_| false),
            at("2024-12-06T15:00:00Z")
        );
        // With Monday a holiday, Tuesday and Wednesday instead.
        let monday = days_since_epoch(jiff::civil::date(2024, 12, 9));
        let cal = WorkingTime::new(&zone, hours, vec![monday], first);
        assert_eq!(
            cal.finish(start, 14.0 * 3600.0, |_| false),
            at("2024-12-11T11:00:00Z")
        );
        // A lost Tuesday likewise pushes it a day on.
        assert_eq!(
            cal.finish(start, 14.0 * 3600.0, |d| d == monday + 1),
            at("2024-12-12T11:00:00Z")
        );
        // Far beyond the precomputed days, the slow path.
        let late = at("2026-12-04T13:00:00Z"); // a Friday
        assert_eq!(
            cal.finish(late, 14.0 * 3600.0, |_| false),
            at("2026-12-08T11:00:00Z")
        );
    }

    #[test]
    fn weekdays_count_from_a_thursday() {
        assert_eq!(WEEKDAYS[weekday(0)], "Thu");
        assert_eq!(
            WEEKDAYS[weekday(days_since_epoch(jiff::civil::date(2023, 9, 11)))],
            "Mon"
        );
    }

    #[test]
    fn overlaps_are_found_across_midnight_and_the_week_end() {
        assert_eq!(
            first_overlap(&[span(EVERY_DAY, 6.0, 12.0), span(EVERY_DAY, 12.0, 20.0)]),
            None
        );
        assert_eq!(
            first_overlap(&[span(EVERY_DAY, 6.0, 12.0), span(EVERY_DAY, 11.0, 20.0)]),
            Some((0, 1))
        );
        // Sunday 22:00 to Monday 06:00 meets Monday 05:00.
        assert_eq!(
            first_overlap(&[span(1 << 6, 22.0, 30.0), span(1, 5.0, 8.0)]),
            Some((0, 1))
        );
        assert_eq!(
            first_overlap(&[span(1 << 6, 22.0, 30.0), span(1, 6.0, 8.0)]),
            None
        );
    }

    #[test]
    fn next_open_waits_for_the_next_day_and_crosses_midnight() {
        let zone = Zone::get("Asia/Vladivostok").unwrap();
        let first = days_since_epoch(jiff::civil::date(2023, 9, 10));
        let day = Openings::new(&zone, vec![span(EVERY_DAY, 6.0, 20.0)], first);
        // 21:00 local (11:00Z) on the 10th waits for 06:00 on the 11th (20:00Z on the 10th).
        assert_eq!(
            day.next_open(at("2023-09-10T11:00:00Z")),
            at("2023-09-10T20:00:00Z")
        );
        // Exactly at closing is outside; exactly at opening is inside.
        assert_eq!(
            day.next_open(at("2023-09-10T10:00:00Z")),
            at("2023-09-10T20:00:00Z")
        );
        assert_eq!(
            day.next_open(at("2023-09-10T20:00:00Z")),
            at("2023-09-10T20:00:00Z")
        );
        let night = Openings::new(&zone, vec![span(EVERY_DAY, 22.0, 30.0)], first);
        // 02:00 local on the 11th is inside the window opened at 22:00 on the 10th.
        assert_eq!(
            night.next_open(at("2023-09-10T16:00:00Z")),
            at("2023-09-10T16:00:00Z")
        );
        assert!(night.next_open(f64::NAN).is_nan());
        // Far outside the precomputed days the slow path gives the same kind of answer.
        assert_eq!(
            day.next_open(at("2024-09-10T11:00:00Z")),
            at("2024-09-10T20:00:00Z")
        );
        assert_eq!(
            day.next_open(at("2023-01-10T11:00:00Z")),
            at("2023-01-10T20:00:00Z")
        );
    }
}
