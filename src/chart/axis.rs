//! Time axes in local time: a range of instants, ticks on round local hours or days, labels
//! such as "Sep 12 15:00", and the instant-to-pixel mapping the charts use.

use super::ChartError;
use super::layout::{Layout, Rect};
use super::{FONT, INK};
use crate::model::Zone;
use crate::time::clock;
use jiff::{ToSpan, civil};
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A time axis over epoch seconds `[lo, hi]`, labelled in `zone`.
#[derive(Debug, Clone)]
pub struct TimeAxis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    step_minutes: i64,
    zone: Zone,
}

/// Tick spacings, in minutes, from which the axis picks the first giving at most `max` ticks.
const STEPS_MINUTES: [i64; 16] = [
    10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080, 20160, 43200, 86400,
];

impl TimeAxis {
    /// An axis covering `[lo, hi]` (padded a little) with about `max_ticks` round ticks.
    pub fn new(lo: f64, hi: f64, zone: &Zone, max_ticks: usize) -> TimeAxis {
        let (lo, hi) = if hi - lo < 1800.0 {
            ((lo + hi) / 2.0 - 900.0, (lo + hi) / 2.0 + 900.0)
        } else {
            (lo, hi)
        };
        let pad = (hi - lo) * 0.03;
        let (lo, hi) = (lo - pad, hi + pad);
        let span_minutes = (hi - lo) / 60.0;
        let step_minutes = STEPS_MINUTES
            .iter()
            .copied()
            .find(|&s| span_minutes / s as f64 <= max_ticks as f64)
            .unwrap_or(86400);
        let ticks = local_ticks(lo, hi, zone, step_minutes);
        TimeAxis {
            lo,
            hi,
            ticks,
            step_minutes,
            zone: zone.clone(),
        }
    }

    /// "Sep 12 15:00", or "Tue Sep 12" when ticks fall on whole days.
    pub fn label(&self, t: f64) -> String {
        let Some(ts) = clock::timestamp(t) else {
            return String::new();
        };
        let local = ts.to_zoned_datetime(self.zone.tz.clone());
        let format = if self.step_minutes >= 1440 {
            "%a %b %d"
        } else {
            "%b %d %H:%M"
        };
        local.strftime(format).to_string()
    }

    /// The axis title: "time in Asia/Vladivostok (UTC+10)"; when the zone changes offset inside
    /// the axis, both offsets and the change: "time in Europe/Berlin (UTC+1, UTC+2 from Mar 31
    /// 03:00)".
    pub fn title(&self) -> String {
        let first = crate::time::zone_label(&self.zone, self.lo);
        let change = clock::timestamp(self.lo).and_then(|lo| {
            let before = self.zone.tz.to_offset(lo);
            let transition =
                (self.zone.tz.following(lo).take(50)).find(|t| t.offset() != before)?;
            let at = transition.timestamp().as_second() as f64;
            (at <= self.hi).then_some(at)
        });
        match change {
            Some(at) if self.zone.name != "UTC" => {
                let after = crate::time::zone_label(&self.zone, at);
                let offset = |label: &str| {
                    label
                        .rsplit_once('(')
                        .map_or(String::new(), |(_, o)| o.trim_end_matches(')').to_owned())
                };
                let local = clock::timestamp(at).map_or(String::new(), |ts| {
                    ts.to_zoned_datetime(self.zone.tz.clone())
                        .strftime("%b %d %H:%M")
                        .to_string()
                });
                format!(
                    "time in {} ({}, {} from {local})",
                    self.zone.name,
                    offset(&first),
                    offset(&after)
                )
            }
            _ => format!("time in {first}"),
        }
    }
}

impl TimeAxis {
    /// Draws the vertical grid lines at the ticks (call before the data, so data stays on top).
    pub fn draw_grid<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
        &self,
        chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
        y_lo: f64,
        y_hi: f64,
    ) -> Result<(), ChartError> {
        let grid = RGBColor(225, 225, 225);
        chart.draw_series(
            self.ticks
                .iter()
                .map(|&t| PathElement::new(vec![(t, y_lo), (t, y_hi)], grid.stroke_width(1))),
        )?;
        Ok(())
    }

    /// Writes the tick labels under the x axis at the ticks, centred: every tick's label when
    /// they fit side by side, else every second (third, ...) one, so labels never run together.
    pub fn draw_labels<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
        &self,
        area: &DrawingArea<DB, Shift>,
        layout: &mut Layout,
        chart: &ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
        y_lo: f64,
    ) -> Result<(), ChartError> {
        let style = TextStyle::from((FONT, 19).into_font()).color(&INK);
        let mut labels = Vec::new();
        for &t in &self.ticks {
            let (x, y) = chart.backend_coord(&(t, y_lo));
            let text = self.label(t);
            let (w, h) = Layout::measure(area, &text, &style)?;
            labels.push((Rect::at((x - w as i32 / 2, y + 10), (w, h)), text, x, y));
        }
        let stride = (1..=labels.len().max(1))
            .find(|&s| {
                labels
                    .iter()
                    .step_by(s)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .all(|w| w[0].0.right + 24 <= w[1].0.left)
            })
            .unwrap_or(1);
        for (spot, text, x, y) in labels.iter().step_by(stride) {
            // A label that would run off the picture is left out (its grid line still shows).
            if layout
                .place(area, text, &style, [(spot.left, spot.top)], false)?
                .is_some()
            {
                area.draw(&PathElement::new(
                    vec![(*x, *y), (*x, y + 6)],
                    INK.stroke_width(1),
                ))?;
            }
        }
        Ok(())
    }
}

/// Instants of round local clock times between `lo` and `hi` every `step_minutes` (local days
/// for whole-day steps, so ticks stay on midnight across daylight-saving changes).
fn local_ticks(lo: f64, hi: f64, zone: &Zone, step_minutes: i64) -> Vec<f64> {
    let Some(start) = clock::timestamp(lo) else {
        return Vec::new();
    };
    let local = start.to_zoned_datetime(zone.tz.clone()).datetime();
    let whole_days = step_minutes >= 1440;
    let mut tick = if whole_days {
        civil::DateTime::from(local.date())
    } else {
        let minute = (i64::from(local.hour()) * 60 + i64::from(local.minute())) / step_minutes
            * step_minutes;
        local
            .date()
            .at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
    };
    let mut ticks = Vec::new();
    for _ in 0..400 {
        let Ok(ts) = zone.tz.to_timestamp(tick) else {
            break;
        };
        let t = ts.as_second() as f64;
        if t > hi {
            break;
        }
        if t >= lo {
            ticks.push(t);
        }
        let next = if whole_days {
            tick.checked_add((step_minutes / 1440).days())
        } else {
            tick.checked_add(step_minutes.minutes())
        };
        match next {
            Ok(n) => tick = n,
            Err(_) => break,
        }
    }
    ticks
}

/// Where instant `t` lands on a plot whose x range `[lo, hi]` spans pixels `[left, right]`
/// (the same linear mapping plotters applies).
pub fn x_pixel(t: f64, lo: f64, hi: f64, left: i32, right: i32) -> i32 {
    let fraction = (t - lo) / (hi - lo);
    (f64::from(left) + fraction * f64::from(right - left)).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_local_hours() {
        let zone = Zone::get("Asia/Vladivostok").unwrap();
        let lo = "2023-09-11T20:17:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second() as f64;
        let axis = TimeAxis::new(lo, lo + 30.0 * 3600.0, &zone, 8);
        assert!(
            axis.ticks.len() >= 4 && axis.ticks.len() <= 9,
            "{:?}",
            axis.ticks
        );
        for &t in &axis.ticks {
            let local = clock::timestamp(t)
                .unwrap()
                .to_zoned_datetime(zone.tz.clone());
            assert_eq!((local.minute(), local.second()), (0, 0));
            assert_eq!(i64::from(local.hour()) % (axis.step_minutes / 60), 0);
        }
        assert!(axis.label(axis.ticks[0]).starts_with("Sep 1"));
    }

    #[test]
    fn an_offset_change_inside_the_axis_names_both_offsets() {
        let zone = Zone::get("Europe/Berlin").unwrap();
        let at = |text: &str| text.parse::<jiff::Timestamp>().unwrap().as_second() as f64;
        let across = TimeAxis::new(
            at("2024-03-30T12:00:00Z"),
            at("2024-04-01T12:00:00Z"),
            &zone,
            9,
        );
        assert_eq!(
            across.title(),
            "time in Europe/Berlin (UTC+1, UTC+2 from Mar 31 03:00)"
        );
        let winter = TimeAxis::new(
            at("2024-03-20T12:00:00Z"),
            at("2024-03-22T12:00:00Z"),
            &zone,
            9,
        );
        assert_eq!(winter.title(), "time in Europe/Berlin (UTC+1)");
    }

    #[test]
    fn short_spans_get_ticks_on_round_quarter_hours() {
        let zone = Zone::get("Europe/Zurich").unwrap();
        let lo = "2024-06-12T07:05:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second() as f64;
        let axis = TimeAxis::new(lo, lo + 90.0 * 60.0, &zone, 9);
        assert_eq!(axis.step_minutes, 15);
        assert!(axis.ticks.len() >= 6, "{:?}", axis.ticks);
        for &t in &axis.ticks {
            assert_eq!(t % 900.0, 0.0, "{}", axis.label(t));
        }
        assert_eq!(axis.label(axis.ticks[0]), "Jun 12 09:15");
    }

    #[test]
    fn pixel_mapping_is_linear() {
        assert_eq!(x_pixel(0.0, 0.0, 100.0, 50, 150), 50);
        assert_eq!(x_pixel(100.0, 0.0, 100.0, 50, 150), 150);
        assert_eq!(x_pixel(25.0, 0.0, 100.0, 50, 150), 75);
    }
}
