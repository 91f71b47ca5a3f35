//! The report printed after a run: one screen a person reads top to bottom.

use crate::analysis::{Conditioning, Driver, PERCENTILES, RunResults, Share, TARGET_EFFECTIVE};
use crate::format::published::{
    RANK_CORRELATION, SHARE, SLACK_HOURS, WAIT_MINUTES, published, published_interval,
    published_seconds,
};
use crate::format::{format_duration, percent, percent_with_ci, thousands, truncate};
use crate::model::{DeadlineAt, Model, Zone};
use crate::time::{local_short, zone_label};
use std::fmt::Write;

/// Facts about the run that are not results (and so stay out of `summary.json`).
pub struct RunFacts {
    pub seconds: f64,
    pub threads: usize,
    /// With `--precision`: whether the run stopped because it was precise enough.
    pub precision: Option<String>,
}

pub fn render(
    model: &Model,
    file: &str,
    results: &RunResults,
    display: &Zone,
    facts: &RunFacts,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", model.name);
    let _ = writeln!(
        out,
        "{} · {} trials · seed {} · {:.2} s on {} thread{}",
        file,
        thousands(results.trials),
        results.seed,
        facts.seconds,
        facts.threads,
        if facts.threads == 1 { "" } else { "s" }
    );
    if let Some(note) = &facts.precision {
        let _ = writeln!(out, "{note}");
    }
    if let Some(c) = &results.conditioning {
        given(&mut out, c, results.trials);
    }
    let _ = writeln!(
        out,
        "Percentiles are read to the minute; ± is the 95% Monte Carlo half-width of each estimate."
    );
    if !model.routes.is_empty() {
        let _ = writeln!(out, "\nRoutes");
        let width = model.routes.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for (r, share) in model.routes.iter().zip(&results.routes) {
            let _ = writeln!(
                out,
                "  {:width$}  {} of trials  (scenario: {})",
                r.name,
                percent_with_ci(share.fraction, published_interval(share.ci95)),
                percent(r.probability, 1)
            );
        }
    }
    for (fork, shares) in model.forks.iter().zip(&results.forks) {
        let _ = writeln!(
            out,
            "\nFork {} at {} (share of all {} trials)",
            fork.name,
            model.milestones[fork.at].label,
            thousands(results.trials)
        );
        let width = fork
            .branches
            .iter()
            .map(|b| b.name.len())
            .max()
            .unwrap_or(0);
        for (b, share) in fork.branches.iter().zip(shares) {
            let _ = writeln!(
                out,
                "  {:width$}  {}",
                b.name,
                percent_with_ci(share.fraction, published_interval(share.ci95))
            );
        }
    }
    milestones(&mut out, results, model, display);
    timetables(&mut out, results, model);
    deadlines(&mut out, results, model, display);
    drivers(&mut out, results, model);
    if !results.correlations.is_empty() {
        let _ = writeln!(
            out,
            "\nRank correlations imposed between inputs (achieved in the first {} trials)",
            thousands(
                results
                    .drivers
                    .resampled_from
                    .unwrap_or(results.drivers.sample_trials)
            )
        );
        for c in &results.correlations {
            let _ = writeln!(
                out,
                "  {} ~ {}: requested {:+.2}, achieved {:+.3}",
                model.inputs[c.inputs.0].name,
                model.inputs[c.inputs.1].name,
                c.requested,
                published(c.achieved, RANK_CORRELATION)
            );
        }
    }
    out
}

/// The observations a run is conditioned on, its effective sample size, and a warning when
/// that is too small to trust.
fn given(out: &mut String, c: &Conditioning, trials: u64) {
    let _ = writeln!(out, "Given: {}", c.given.join("; "));
    let _ = writeln!(
        out,
        "  Every figure below is conditional on this: the {} trials are weighted by how well they \
         fit it (the kernels: summary.json \"weighting\"), worth {} unweighted trials ({} of them).",
        thousands(trials),
        thousands(c.effective.round() as u64),
        percent(c.effective / trials.max(1) as f64, 2)
    );
    if let Some(needed) = c.trials_needed {
        let trust = if c.effective < 1000.0 {
            ", too few to trust"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  warning: the effective sample is {} trials{trust}: every interval is as wide as that \
             many unweighted trials give. About --trials {} would give {} (or use --precision).",
            thousands(c.effective.round() as u64),
            thousands(needed),
            thousands(TARGET_EFFECTIVE as u64)
        );
    }
}

fn drivers(out: &mut String, results: &RunResults, model: &Model) {
    let d = &results.drivers;
    let name = &model.milestones[d.focus.milestone].label;
    let deadline = d.focus.deadline.map_or(String::new(), |k| {
        format!(" and the deadline [{}]", model.deadlines[k].id)
    });
    let over = match d.resampled_from {
        Some(kept) => format!(
            "{} trials drawn by weight from the first {}",
            thousands(d.sample_trials),
            thousands(kept)
        ),
        None => format!("the first {} trials", thousands(d.sample_trials)),
    };
    let _ = writeln!(
        out,
        "\nWhat drives \"{name}\"{deadline} (choose with --drivers-of; {over}: the time over the {} \
         that reach it, P(on time) over all)",
        thousands(d.sample_reached)
    );
    if d.ranked.is_empty() {
        let _ = writeln!(
            out,
            "  nothing random reaches it, or too few trials were kept"
        );
        return;
    }
    for (rank, driver) in d.top().iter().enumerate() {
        let _ = writeln!(out, "{}", driver_lines(rank + 1, driver));
    }
    let _ = writeln!(
        out,
        "  (time share: the share of the time's variance the driver explains alone, a first-order \
         Sobol' index; P(on time): the driver's bottom against its top quarter of trials, or \
         without against with an event or route; \"could be 0\": the 95% interval includes 0)"
    );
}

/// One driver's two lines: what moves the time, and what moves the deadline.
fn driver_lines(rank: usize, d: &Driver) -> String {
    let zero = |e: &crate::stats::drivers::Estimate| {
        if e.excludes_zero() { "" } else { " could be 0" }
    };
    let share = d.variance_share.map_or(
        "n/a (does not vary among the trials that arrive)".to_owned(),
        |e| {
            // Rounded to the three decimals shown first, so never "-0.000".
            let p = |x: f64| (published(x, SHARE) * 1000.0).round() / 1000.0 + 0.0;
            format!(
                "{:.3} [{:.3}, {:.3}]{}",
                p(e.value),
                p(e.ci95.0),
                p(e.ci95.1),
                zero(&e)
            )
        },
    );
    let rho = d.rank_correlation.map_or("n/a".to_owned(), |r| {
        format!("{:+.3}", published(r, RANK_CORRELATION))
    });
    let mut text = format!(
        "  {rank:>2}. {} ({}){}\n      time share {share} · rank corr {rho}",
        d.label,
        d.kind.name(),
        if d.label == d.name {
            String::new()
        } else {
            format!(" [{}]", d.name)
        },
    );
    if let Some(o) = d.on_time {
        let (low, high) = if d.kind.is_yes_no() {
            ("without", "with")
        } else {
            ("bottom quarter", "top quarter")
        };
        let p = |x: f64| (published(x, SHARE) * 1000.0).round() / 10.0 + 0.0;
        let e = o.difference;
        let _ = write!(
            text,
            "\n      P(on time) {low} {}, {high} {}: {:+.1} points [{:+.1}, {:+.1}]{}",
            percent_with_ci(o.low.fraction, published_interval(o.low.ci95)),
            percent_with_ci(o.high.fraction, published_interval(o.high.ci95)),
            p(e.value),
            p(e.ci95.0),
            p(e.ci95.1),
            zero(&e)
        );
    }
    text
}

const CELL: usize = 13;

fn milestones(out: &mut String, results: &RunResults, model: &Model, display: &Zone) {
    let label_width = 30;
    let _ = writeln!(out, "\nMilestones (when reached)");
    let mut header = format!("  {:label_width$}", "");
    for (key, _) in PERCENTILES {
        let _ = write!(header, " {:>CELL$}", key.to_uppercase());
    }
    let _ = write!(header, " {:>CELL$}", "mean");
    let _ = writeln!(out, "{header}");
    for (m, s) in model.milestones.iter().zip(&results.milestones) {
        let reached = if s.reached.fraction >= 1.0 {
            "reached in every trial".to_owned()
        } else {
            format!(
                "reached in {} of trials",
                percent_with_ci(s.reached.fraction, published_interval(s.reached.ci95))
            )
        };
        let _ = writeln!(out, "  {} [{}] · {reached}", m.label, m.id);
        let Some(sec) = s.times else {
            let _ = writeln!(out, "    never reached");
            continue;
        };
        let median = sec.median();
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
        for (lo, hi) in sec.quantiles_ci95 {
            let _ = write!(
                row,
                " {:>CELL$}",
                format!("±{}", format_duration((hi - lo) / 2.0))
            );
        }
        let _ = write!(
            row,
            " {:>CELL$}",
            format!(
                "±{}",
                format_duration((sec.mean_ci95.1 - sec.mean_ci95.0) / 2.0)
            )
        );
        let _ = writeln!(out, "{row}");
    }
}

/// Per timetabled step: the departures its trials took, "none that day", and the chance of
/// missing the departure aimed at, each over the trials that reached the step.
fn timetables(out: &mut String, results: &RunResults, model: &Model) {
    for t in &results.timetables {
        let step = &model.steps[t.step];
        let Some(timetable) = &step.timetable else {
            continue;
        };
        let zone = timetable.departures.zone();
        let name = model.step_name(t.step);
        let _ = writeln!(
            out,
            "\nDepartures taken: {name} (of the {} trials that reach it)",
            thousands(t.ready)
        );
        for (at, s) in &t.departures {
            let _ = writeln!(
                out,
                "  {} {}  {}",
                local_short(*at, zone),
                zone_label(zone, *at),
                percent_with_ci(s.fraction, published_interval(s.ci95))
            );
        }
        if let Some((mean, (lo, hi))) = t.mean_wait {
            let minutes = |s: f64| published(s / 60.0, WAIT_MINUTES);
            let _ = writeln!(
                out,
                "  mean wait at the stop: {:.2} min [{:.2}, {:.2}] (over the trials that left)",
                minutes(mean),
                minutes(lo),
                minutes(hi)
            );
        }
        let rows = [
            ("other departures (under 0.1% each)", &t.other),
            ("none that day: waited until the next day", &t.next_day),
            ("missed the departure aimed at", &t.missed_aim),
            ("no departure left", &t.none),
        ];
        for (what, s) in rows {
            if s.count > 0 || what.starts_with("missed") {
                let _ = writeln!(
                    out,
                    "  {what}: {}",
                    percent_with_ci(s.fraction, published_interval(s.ci95))
                );
            }
        }
    }
}

/// A fixed deadline's instant in its own zone, and in the display zone when that differs.
fn fixed_when(at: f64, zone: &Zone, display: &Zone) -> String {
    let mut when = format!("{} {}", local_short(at, zone), zone_label(zone, at));
    if zone.name != display.name {
        let _ = write!(
            when,
            " = {} {}",
            local_short(at, display),
            zone_label(display, at)
        );
    }
    when
}

fn deadlines(out: &mut String, results: &RunResults, model: &Model, display: &Zone) {
    if model.deadlines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nDeadlines");
    for (d, s) in model.deadlines.iter().zip(&results.deadlines) {
        let milestone = &model.milestones[d.milestone];
        let reached = results.milestones[d.milestone].reached.fraction;
        match d.at {
            DeadlineAt::Fixed(at) => {
                let when = fixed_when(at as f64, &d.zone, display);
                let _ = writeln!(
                    out,
                    "  {} [{}]: {} at \"{}\"",
                    d.label, d.id, when, milestone.label
                );
            }
            DeadlineAt::Relative { milestone: r, .. } => {
                let _ = writeln!(
                    out,
                    "  {} [{}]: \"{}\" by {} in the same trial (a trial that never reaches \"{}\" does not make it)",
                    d.label,
                    d.id,
                    milestone.label,
                    d.relative_phrase(&model.milestones).unwrap_or_default(),
                    model.milestones[r].label
                );
            }
        }
        if let Some(r) = d.require_route {
            let _ = writeln!(
                out,
                "    made only on route {} (`require`): reaching the milestone on another route does not count",
                model.routes[r].name
            );
        }
        if let Some(b) = d.require_branch {
            let _ = writeln!(
                out,
                "    made only on branch {} (`require`): reaching the milestone otherwise does not count",
                super::forks::branch_name(model, b)
            );
        }
        let slack = match s
            .median_slack_seconds
            .map(|t| published_seconds(t, SLACK_HOURS))
        {
            None if d.instant().is_none() => {
                "no median slack: the deadline moves with each trial".to_owned()
            }
            // Named by its population: beside P(on time), which is over all trials, a bare
            // "median slack" read as if it were over all trials too.
            Some(t) if t >= 0.0 => format!(
                "median arrival of the trials that reach it: {} before",
                format_duration(t)
            ),
            Some(t) => format!(
                "median arrival of the trials that reach it: {} after",
                format_duration(-t)
            ),
            None => "never reached".to_owned(),
        };
        let _ = writeln!(
            out,
            "    P(on time) = {}   {slack}",
            percent_with_ci(s.made.fraction, published_interval(s.made.ci95))
        );
        for (route, r) in model.routes.iter().zip(&s.by_route) {
            let _ = writeln!(
                out,
                "      on route {:12} {}  ({})",
                route.name,
                percent_with_ci(r.fraction, published_interval(r.ci95)),
                trials_of(r)
            );
        }
        if reached < 1.0 {
            let _ = writeln!(
                out,
                "    ({} of trials never reach \"{}\" and count as late)",
                percent(1.0 - reached, 1),
                milestone.label
            );
        }
    }
}

/// "5,442 trials", or for weighted trials "worth 1,234 trials" (their effective number).
fn trials_of(s: &Share) -> String {
    match s.effective {
        Some(n) => format!("worth {} trials", thousands(n.round() as u64)),
        None => format!("{} trials", thousands(s.of)),
    }
}
