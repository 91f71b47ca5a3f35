//! The report printed after a run: one screen a person reads top to bottom.

use super::{MilestoneSummary, PERCENTILES, Summary};
use crate::format::format_duration;
use crate::format::{percent, percent_with_ci, thousands};
use crate::model::{Model, Zone};
use crate::time::{local_short, zone_label};
use std::fmt::Write;

/// Facts about the run that are not results (and so stay out of `summary.json`).
pub struct RunFacts {
    pub seconds: f64,
    pub threads: usize,
    /// With `--precision`: whether the run stopped because it was precise enough.
    pub precision: Option<String>,
}

pub fn render(summary: &Summary, model: &Model, display: &Zone, facts: &RunFacts) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", model.name);
    let _ = writeln!(
        out,
        "{} · {} trials · seed {} · {:.2} s on {} thread{}",
        summary.file,
        thousands(summary.trials),
        summary.seed,
        facts.seconds,
        facts.threads,
        if facts.threads == 1 { "" } else { "s" }
    );
    if let Some(note) = &facts.precision {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(
        out,
        "Percentiles are read to the minute; ± is the 95% Monte Carlo half-width of each estimate."
    );
    if !summary.routes.is_empty() {
        let _ = writeln!(out, "\nRoutes");
        let width = summary
            .routes
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0);
        for r in &summary.routes {
            let _ = writeln!(
                out,
                "  {:width$}  {} of trials  (scenario: {})",
                r.name,
                percent_with_ci(r.share, r.ci95),
                percent(r.probability, 1)
            );
        }
    }
    milestones(&mut out, summary, model, display);
    deadlines(&mut out, summary, model, display);
    drivers(&mut out, summary);
    if !summary.correlations.is_empty() {
        let _ = writeln!(
            out,
            "\nRank correlations imposed between inputs (achieved in the first {} trials)",
            thousands(summary.drivers.sample_trials)
        );
        for c in &summary.correlations {
            let _ = writeln!(
                out,
                "  {} ~ {}: requested {:+.2}, achieved {:+.3}",
                c.inputs[0], c.inputs[1], c.requested, c.achieved
            );
        }
    }
    out
}

/// How many drivers the report and the tornado chart show.
pub const TOP_DRIVERS: usize = 10;

fn drivers(out: &mut String, summary: &Summary) {
    let d = &summary.drivers;
    if d.inputs.is_empty() {
        return;
    }
    let name = summary
        .milestones
        .iter()
        .find(|m| m.id == d.milestone)
        .map_or(d.milestone.as_str(), |m| m.name.as_str());
    let _ = writeln!(
        out,
        "\nWhat drives \"{name}\" (the {} of the first {} trials that reach it)",
        thousands(d.sample_reached),
        thousands(d.sample_trials)
    );
    let width = d
        .inputs
        .iter()
        .take(TOP_DRIVERS)
        .map(|i| i.input.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "  {:width$}  {:>9}  {:>12}",
        "input", "rank corr", "median swing"
    );
    for i in d.inputs.iter().take(TOP_DRIVERS) {
        let swing = i.median_swing_hours * 3600.0;
        let sign = if swing >= 0.0 { "+" } else { "" };
        let _ = writeln!(
            out,
            "  {:width$}  {:>+9.3}  {:>12}",
            i.input,
            i.rank_correlation,
            format!("{sign}{}", format_duration(swing))
        );
    }
    let _ = writeln!(
        out,
        "  (median swing: median arrival when the input is in its top tenth minus bottom tenth)"
    );
}

const CELL: usize = 13;

fn milestones(out: &mut String, summary: &Summary, model: &Model, display: &Zone) {
    let label_width = 30;
    let _ = writeln!(out, "\nMilestones (when reached)");
    let mut header = format!("  {:label_width$}", "");
    for (key, _) in PERCENTILES {
        let _ = write!(header, " {:>CELL$}", key.to_uppercase());
    }
    let _ = write!(header, " {:>CELL$}", "mean");
    let _ = writeln!(out, "{header}");
    for (m, s) in model.milestones.iter().zip(&summary.milestones) {
        let reached = if s.reached >= 1.0 {
            "reached in every trial".to_owned()
        } else {
            format!(
                "reached in {} of trials",
                percent_with_ci(s.reached, s.reached_ci95)
            )
        };
        let _ = writeln!(out, "  {} [{}] · {reached}", s.name, s.id);
        let Some(sec) = s.seconds else {
            let _ = writeln!(out, "    never reached");
            continue;
        };
        let median = sec.quantiles[3];
        let mut zones = vec![&m.zone];
        if m.zone.name != display.name {
            zones.push(display);
        }
        for zone in zones {
            let mut row = format!(
                "    {:w$}",
                truncate(&zone_label(zone, median), label_width - 2),
                w = label_width - 2
            );
            for &t in &sec.quantiles {
                let _ = write!(
                    row,
                    " {:>CELL$}",
                    local_short(t, zone).get(4..).unwrap_or("n/a")
                );
            }
            let _ = write!(
                row,
                " {:>CELL$}",
                local_short(sec.mean, zone).get(4..).unwrap_or("n/a")
            );
            let _ = writeln!(out, "{row}");
        }
        let mut row = format!("    {:w$}", "±95%", w = label_width - 2);
        for (lo, hi) in sec.ci95 {
            let _ = write!(
                row,
                " {:>CELL$}",
                format!("±{}", format_duration((hi - lo) / 2.0))
            );
        }
        let _ = write!(
            row,
            " {:>CELL$}",
            format!("±{}", format_duration(sec.mean_half_width))
        );
        let _ = writeln!(out, "{row}");
    }
}

fn deadlines(out: &mut String, summary: &Summary, model: &Model, display: &Zone) {
    if summary.deadlines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nDeadlines");
    for (d, s) in model.deadlines.iter().zip(&summary.deadlines) {
        let milestone: &MilestoneSummary = &summary.milestones[d.milestone];
        let at = d.at as f64;
        let mut when = format!("{} {}", local_short(at, &d.zone), zone_label(&d.zone, at));
        if d.zone.name != display.name {
            let _ = write!(
                when,
                " = {} {}",
                local_short(at, display),
                zone_label(display, at)
            );
        }
        let _ = writeln!(
            out,
            "  {} [{}]: {} at \"{}\"",
            s.name, s.id, when, milestone.name
        );
        let slack = match s.median_slack_hours {
            Some(h) if h >= 0.0 => format!("median slack {} (early)", format_duration(h * 3600.0)),
            Some(h) => format!("median slack {} (late)", format_duration(h * 3600.0)),
            None => "never reached".to_owned(),
        };
        let _ = writeln!(
            out,
            "    P(on time) = {}   {slack}",
            percent_with_ci(s.probability, s.ci95)
        );
        for r in &s.by_route {
            let _ = writeln!(
                out,
                "      on route {:12} {}  ({} trials)",
                r.route,
                percent_with_ci(r.probability, r.ci95),
                thousands(r.trials)
            );
        }
        if milestone.reached < 1.0 {
            let _ = writeln!(
                out,
                "    ({} of trials never reach \"{}\" and count as late)",
                percent(1.0 - milestone.reached, 1),
                milestone.name
            );
        }
    }
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        s.chars()
            .take(width.saturating_sub(1))
            .chain(['…'])
            .collect()
    }
}
