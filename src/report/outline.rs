//! The one-screen outline `eta check` prints: what the model understood the file to say.

use crate::distribution::Family;
use crate::distribution::families::FieldRole;
use crate::format::{format_quantity, trim_number};
use crate::model::{Model, NotBefore, Operand, StepDuration, StepKind, WaitFor};
use crate::quantity::Kind;
use crate::time::rfc3339;
use std::fmt::Write;

pub fn render(model: &Model, path: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{path}: valid scenario \"{}\"", model.name);
    let _ = writeln!(
        out,
        "display zone {} · default {} trials · seed {}",
        model.display_zone.name,
        crate::format::thousands(model.default_trials),
        model.default_seed
    );
    let named: Vec<_> = model.inputs.iter().filter(|i| !i.inline).collect();
    let _ = writeln!(out, "\nInputs ({})", named.len());
    let width = named.iter().map(|i| i.name.len()).max().unwrap_or(0);
    for input in &named {
        if let Some(cases) = &input.cases {
            conditional(&mut out, model, input, cases, width);
            continue;
        }
        let (first, more) = match input.dist.family() {
            // One line per component: a mixture is read component by component.
            Family::Mixture { components } => (
                with_bounds(
                    input.kind,
                    format!("mixture of {} components", components.len()),
                    input.dist.bounds(),
                ),
                components
                    .iter()
                    .map(|c| {
                        format!(
                            "{:>5}  {}",
                            format!("{}%", trim_number(c.weight * 100.0)),
                            describe(input.kind, &c.family, (c.lower, c.upper))
                        )
                    })
                    .collect(),
            ),
            family => (
                describe(input.kind, family, input.dist.bounds()),
                fitted_quantiles(input.kind, &input.dist),
            ),
        };
        let _ = writeln!(
            out,
            "  {:width$}  {:14} {first}",
            input.name,
            input.kind.described(),
        );
        for line in more {
            let _ = writeln!(out, "  {:width$}  {:14} {line}", "", "");
        }
        // The quantiles the parameters give, so a fit to an expert's P10/P50/P90 can be checked
        // and any distribution read the way experts state them.
        if let Some(line) = p10_p50_p90(input.kind, &input.dist) {
            let _ = writeln!(out, "  {:width$}  {:14} {line}", "", "");
        }
        // A metalog bounded on one side has a power-law tail that can make its moments infinite:
        // worth knowing before reading a mean off the report.
        let (mean, variance) = (input.dist.mean(), input.dist.variance());
        if !mean.is_finite() || !variance.is_finite() {
            let what = if mean.is_finite() { "variance" } else { "mean" };
            let _ = writeln!(
                out,
                "  {:width$}  {:14} heavy tail: infinite {what}",
                "", ""
            );
        }
    }
    if !model.routes.is_empty() {
        let _ = writeln!(out, "\nRoutes");
        for r in &model.routes {
            let _ = writeln!(
                out,
                "  {:12} {:>6}  {}",
                r.name,
                format!("{}%", trim_number(r.probability * 100.0)),
                match r.input {
                    Some(k) => format!(
                        "(on average; per trial: input `{}`) {}",
                        model.inputs[k].name,
                        r.description.as_deref().unwrap_or("")
                    ),
                    None => r.description.clone().unwrap_or_default(),
                }
            );
        }
    }
    out.push_str(&super::forks::outline(model));
    let _ = writeln!(out, "\nMilestones (in dependency order)");
    for &m in &model.eval_order {
        let ms = &model.milestones[m];
        let _ = writeln!(out, "  {} [{}] · {}", ms.label, ms.id, ms.zone.name);
        if let Some(start) = &ms.start {
            let _ = writeln!(
                out,
                "      starts on {} at {} local time",
                operand(model, start.date, Kind::Date),
                operand(model, start.time, Kind::TimeOfDay)
            );
        }
        if ms.wait_for == WaitFor::First && model.incoming[m].len() > 1 {
            let _ = writeln!(out, "      goes at the first of:");
        } else if model.incoming[m].len() > 1 {
            let _ = writeln!(out, "      waits for all of:");
        }
        for &s in &model.incoming[m] {
            let step = &model.steps[s];
            let mut line = format!("      <- {} ", model.milestones[step.from].id);
            let what = match step.duration {
                StepDuration::Travel { distance, speed } => format!(
                    "travel {} at {}",
                    operand(model, distance, Kind::Distance),
                    operand(model, speed, Kind::Speed)
                ),
                StepDuration::Fixed(d) => {
                    format!("{} {}", step.kind.name(), operand(model, d, Kind::Duration))
                }
                StepDuration::Chance {
                    probability,
                    duration,
                    ..
                } => format!(
                    "{} {} with probability {}",
                    StepKind::Delay.name(),
                    operand(model, duration, Kind::Duration),
                    operand(model, probability, Kind::Number)
                ),
            };
            line.push_str(&what);
            if let Some(r) = step.route {
                let _ = write!(line, "  [route {}]", model.routes[r].name);
            }
            if let Some(b) = step.branch {
                let _ = write!(line, "  [branch {}]", super::forks::branch_name(model, b));
            }
            match step.not_before {
                Some(NotBefore::TimeOfDay(t)) => {
                    let _ = write!(
                        line,
                        "  not before {} local",
                        format_quantity(Kind::TimeOfDay, t)
                    );
                }
                Some(NotBefore::Instant(t)) => {
                    let _ = write!(
                        line,
                        "  not before {}",
                        rfc3339(t, &model.milestones[step.from].zone)
                    );
                }
                None => {}
            }
            if let Some(openings) = &step.window {
                let spans: Vec<String> = openings.spans().iter().map(|s| s.describe()).collect();
                let _ = write!(
                    line,
                    "  starts only in {} ({})",
                    spans.join(", "),
                    openings.zone().name
                );
            }
            if let Some(t) = &step.timetable {
                let _ = write!(
                    line,
                    "  leaves only at {} ({})",
                    t.departures.describe(),
                    t.departures.zone().name
                );
                if let Some(dates) = t.departures.dates() {
                    let dates: Vec<String> =
                        dates.iter().map(|&d| crate::time::format_day(d)).collect();
                    let _ = write!(line, " on {}", dates.join(", "));
                }
                let _ = write!(
                    line,
                    ", boarding closes {} before",
                    format_quantity(Kind::Duration, t.cutoff)
                );
                if t.cancelled > 0.0 {
                    let _ = write!(line, ", each cancelled with probability {}", t.cancelled);
                }
                if let Some(late) = t.late {
                    let _ = write!(
                        line,
                        ", leaves late by {}",
                        operand(model, late, Kind::Duration)
                    );
                }
                if let Some(b) = t.booked {
                    let _ = write!(line, ", booked on {}", rfc3339(b, t.departures.zone()));
                }
            }
            if let Some(c) = step.calendar.and_then(|c| model.calendars.get(c)) {
                let _ = write!(line, "  in working time of calendar {}", c.name);
            }
            if let Some(label) = &step.label {
                let _ = write!(line, "  ({label})");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    if !model.calendars.is_empty() {
        let _ = writeln!(out, "\nCalendars");
        for c in &model.calendars {
            let hours: Vec<String> = c.working.spans().iter().map(|s| s.describe()).collect();
            let _ = write!(
                out,
                "  {}: {} ({})",
                c.name,
                hours.join(", "),
                c.working.zone().name
            );
            if !c.working.holidays().is_empty() {
                let days: Vec<String> = c
                    .working
                    .holidays()
                    .iter()
                    .map(|&d| crate::time::format_day(d))
                    .collect();
                let _ = write!(out, ", closed {}", days.join(", "));
            }
            if c.lost_day > 0.0 {
                let _ = write!(
                    out,
                    ", each working day lost with probability {}",
                    c.lost_day
                );
            }
            let _ = writeln!(out);
        }
    }
    if !model.deadlines.is_empty() {
        let _ = writeln!(out, "\nDeadlines");
        for d in &model.deadlines {
            let _ = writeln!(
                out,
                "  {} [{}]: {} · milestone {}",
                d.label,
                d.id,
                match (d.instant(), d.relative_phrase(&model.milestones)) {
                    (Some(at), _) => format!("{} {}", rfc3339(at as f64, &d.zone), d.zone.name),
                    (None, phrase) => format!("{}, per trial", phrase.unwrap_or_default()),
                },
                model.milestones[d.milestone].id
            );
            if let Some(r) = d.require_route {
                let _ = writeln!(
                    out,
                    "      and only in trials on route {}",
                    model.routes[r].name
                );
            }
            if let Some(b) = d.require_branch {
                let _ = writeln!(
                    out,
                    "      and only in trials that took branch {}",
                    super::forks::branch_name(model, b)
                );
            }
        }
    }
    if !model.observed.is_empty() {
        let _ = writeln!(
            out,
            "\nObserved ({})",
            if model.observed.condition {
                "eta run conditions on it; eta score scores the forecast as written against it"
            } else {
                "condition = false: for eta score only"
            }
        );
        for described in model.observed.describe(model) {
            let _ = writeln!(out, "  {described}");
        }
    }
    out
}

fn operand(model: &Model, op: Operand, kind: Kind) -> String {
    match op {
        Operand::Const(v) => format_quantity(kind, v),
        Operand::Input(i) if model.inputs[i].inline => {
            let input = &model.inputs[i];
            describe(input.kind, input.dist.family(), input.dist.bounds())
        }
        Operand::Input(i) => model.inputs[i].name.clone(),
    }
}

/// A distribution in words, parameters in the input's units: `pert 30 km/h / 45 km/h / 60 km/h`.
/// Families with scalar parameters are worded by their entry in the family table; those whose
/// parameters are lists or distributions are worded here.
pub fn describe(kind: Kind, family: &Family, bounds: (Option<f64>, Option<f64>)) -> String {
    let q = |v: f64| format_quantity(kind, v);
    let text = match (family.spec().outline, family) {
        (Some(template), _) => fill_template(kind, template, family),
        (None, Family::Choice { values, weights }) => {
            let items: Vec<String> = values
                .iter()
                .zip(weights)
                .map(|(v, w)| format!("{} ({}%)", q(*v), trim_number(w * 100.0)))
                .collect();
            format!("one of {}", items.join(", "))
        }
        (None, Family::Empirical { values }) => {
            format!("resampled from {} observations", values.len())
        }
        (None, Family::Mixture { components }) => {
            let items: Vec<String> = components
                .iter()
                .map(|c| {
                    format!(
                        "{}% {}",
                        trim_number(c.weight * 100.0),
                        describe(kind, &c.family, (c.lower, c.upper))
                    )
                })
                .collect();
            format!("mixture of {}", items.join("; "))
        }
        (
            None,
            Family::Metalog {
                coefficients,
                min,
                max,
                ..
            },
        ) => metalog(kind, coefficients, *min, *max),
        (None, family) => family.name().to_owned(),
    };
    with_bounds(kind, text, bounds)
}

/// A family's outline template (see `FamilySpec::outline`) filled with its parameters: each
/// `{key}` in its role's terms (`{key:spread}` as a spread, `{key:exp}` its exponential as a
/// location), each `[...]` only when the parameter in it differs from its default.
fn fill_template(kind: Kind, template: &str, family: &Family) -> String {
    let fields = family.fields();
    let spec = family.spec();
    let field = |key: &str| fields.iter().find(|f| f.0 == key).copied();
    let placeholder = |name: &str| -> String {
        let (key, how) = name.split_once(':').unwrap_or((name, ""));
        let Some((_, v, role)) = field(key) else {
            return String::new();
        };
        match how {
            "spread" => format_quantity(FieldRole::Spread.kind(kind), v),
            "exp" => format_quantity(FieldRole::Location.kind(kind), v.exp()),
            _ => format_quantity(role.kind(kind), v),
        }
    };
    let fill = |text: &str| -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&placeholder(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        out.push_str(&fill(&rest[..open]));
        let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
        let part = &rest[open + 1..close];
        // The part's parameter: shown unless it has its default.
        let key = part
            .split_once('{')
            .and_then(|(_, k)| k.split_once('}'))
            .map_or("", |(k, _)| k.split(':').next().unwrap_or(k));
        let default = spec.key(key).and_then(|k| k.default);
        let shown = match (field(key), default) {
            (Some((_, v, _)), Some(d)) => (v - d).abs() > 1e-12,
            _ => true,
        };
        if shown {
            out.push_str(&fill(part));
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    out.push_str(&fill(rest));
    out
}

/// A description with the truncation bounds after it.
fn with_bounds(kind: Kind, mut text: String, bounds: (Option<f64>, Option<f64>)) -> String {
    let q = |v: f64| format_quantity(kind, v);
    match bounds {
        (Some(lo), Some(hi)) => {
            let _ = write!(text, ", kept within {} to {}", q(lo), q(hi));
        }
        (Some(lo), None) => {
            let _ = write!(text, ", at least {}", q(lo));
        }
        (None, Some(hi)) => {
            let _ = write!(text, ", at most {}", q(hi));
        }
        (None, None) => {}
    }
    text
}

/// A metalog's coefficients, in the input's display unit, with the function of x they describe
/// (L = ln(y/(1 - y)) and t = y - 1/2 in the README's basis).
fn metalog(kind: Kind, coefficients: &[f64], min: Option<f64>, max: Option<f64>) -> String {
    let q = |v: f64| format_quantity(kind, v);
    let (scale, unit): (f64, &str) = match kind {
        Kind::Duration | Kind::TimeOfDay => (3600.0, "1 h"),
        Kind::Distance => (1.0, "1 km"),
        Kind::Speed => (1.0, "1 km/h"),
        Kind::Date | Kind::Number => (1.0, ""),
    };
    let per = |text: String| {
        if unit.is_empty() {
            text
        } else {
            format!("({text}) / {unit}")
        }
    };
    // Coefficients are kept in base units; only the constant term moves with the log's unit.
    let (of, bounds, shift, factor) = match (min, max) {
        (None, None) if unit.is_empty() => ("x".to_owned(), String::new(), 0.0, 1.0),
        (None, None) => (format!("x / {unit}"), String::new(), 0.0, 1.0 / scale),
        (Some(lo), None) => (
            format!("ln({})", per(format!("x - {}", q(lo)))),
            format!(", above {}", q(lo)),
            -scale.ln(),
            1.0,
        ),
        (None, Some(hi)) => (
            format!("-ln({})", per(format!("{} - x", q(hi)))),
            format!(", below {}", q(hi)),
            scale.ln(),
            1.0,
        ),
        (Some(lo), Some(hi)) => (
            format!("ln((x - {}) / ({} - x))", q(lo), q(hi)),
            format!(", between {} and {}", q(lo), q(hi)),
            0.0,
            1.0,
        ),
    };
    let a: Vec<String> = coefficients
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let c = if i == 0 {
                c * factor + shift
            } else {
                c * factor
            };
            format!("{c:.6}")
        })
        .collect();
    format!(
        "metalog, {} terms{bounds}: a = [{}] for {of}",
        coefficients.len(),
        a.join(", ")
    )
}

/// For a metalog, the quantiles it was fitted to next to the ones the fit gives.
fn fitted_quantiles(kind: Kind, dist: &crate::distribution::Dist) -> Vec<String> {
    let Family::Metalog { quantiles, .. } = dist.family() else {
        return Vec::new();
    };
    if quantiles.is_empty() {
        return Vec::new();
    }
    let label = |p: f64| format!("P{}", trim_number(p * 100.0));
    let given: Vec<String> = quantiles
        .iter()
        .map(|&(p, x)| format!("{} {}", label(p), to_the_second(kind, x)))
        .collect();
    let fitted: Vec<String> = quantiles
        .iter()
        .map(|&(p, _)| format!("{} {}", label(p), to_the_second(kind, dist.quantile(p))))
        .collect();
    vec![
        format!("fitted to  {}", given.join(" · ")),
        format!("fit gives  {}", fitted.join(" · ")),
    ]
}

/// A quantity with durations and times of day to the second: a least-squares fit usually misses
/// its quantiles by less than the minute the rest of the outline rounds to.
fn to_the_second(kind: Kind, v: f64) -> String {
    let seconds = |v: f64| {
        let s = v.abs().round() as i64;
        let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
        let sign = if v < 0.0 && (h, m, s) != (0, 0, 0) {
            "-"
        } else {
            ""
        };
        (sign, h, m, s)
    };
    match kind {
        Kind::Duration if v.is_finite() && v.abs() < 86_400.0 => match seconds(v) {
            (sign, 0, m, s) => format!("{sign}{m}m {s:02}s"),
            (sign, h, m, s) => format!("{sign}{h}h {m:02}m {s:02}s"),
        },
        Kind::TimeOfDay if v.is_finite() => {
            let (sign, h, m, s) = seconds(v);
            format!("{sign}{h:02}:{m:02}:{s:02}")
        }
        _ => format_quantity(kind, v),
    }
}

/// A continuous distribution's P10 · P50 · P90 (none for a discrete one).
fn p10_p50_p90(kind: Kind, dist: &crate::distribution::Dist) -> Option<String> {
    if dist.family().is_discrete() {
        return None;
    }
    let q = |p: f64| format_quantity(kind, dist.quantile(p));
    Some(format!("P10 {} · P50 {} · P90 {}", q(0.1), q(0.5), q(0.9)))
}

/// A conditional input: its condition, then each case (its value, its distribution, and for a
/// continuous one its P10/P50/P90), the default last.
fn conditional(
    out: &mut String,
    model: &Model,
    input: &crate::model::Input,
    cases: &crate::model::Cases,
    width: usize,
) {
    let on = match cases.on {
        crate::model::Condition::Route => "the route".to_owned(),
        crate::model::Condition::Input(k) => format!("`{}`", model.inputs[k].name),
    };
    let _ = writeln!(
        out,
        "  {:width$}  {:14} conditional on {on}, {} cases",
        input.name,
        input.kind.described(),
        cases.cases.len()
    );
    let when_width = cases.cases.iter().map(|c| c.when.len()).max().unwrap_or(0);
    for case in &cases.cases {
        let _ = writeln!(
            out,
            "  {:width$}  {:14} {:when_width$}  {}",
            "",
            "",
            case.when,
            describe(input.kind, case.dist.family(), case.dist.bounds())
        );
        if let Some(line) = p10_p50_p90(input.kind, &case.dist) {
            let _ = writeln!(out, "  {:width$}  {:14} {:when_width$}  {line}", "", "", "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every family's wording from the family table, as `eta check` has always printed it.
    #[test]
    fn families_read_as_before() {
        let h = 3600.0;
        let cases = [
            (Kind::Duration, Family::Fixed { value: h }, "1h 00m"),
            (
                Kind::Duration,
                Family::Uniform {
                    min: h,
                    max: 2.0 * h,
                },
                "uniform 1h 00m to 2h 00m",
            ),
            (
                Kind::Duration,
                Family::Normal { mean: h, sd: 600.0 },
                "normal mean 1h 00m sd 10m",
            ),
            (
                Kind::Duration,
                Family::LogNormal {
                    mu: h.ln(),
                    sigma: 0.5,
                },
                "lognormal median 1h 00m sigma 0.5",
            ),
            (
                Kind::Distance,
                Family::Triangular {
                    min: 1.0,
                    mode: 2.5,
                    max: 4.0,
                },
                "triangular 1 km / 2.5 km / 4 km",
            ),
            (
                Kind::Speed,
                Family::Pert {
                    min: 30.0,
                    mode: 45.0,
                    max: 60.0,
                    lambda: 4.0,
                },
                "pert 30 km/h / 45 km/h / 60 km/h",
            ),
            (
                Kind::Speed,
                Family::Pert {
                    min: 30.0,
                    mode: 45.0,
                    max: 60.0,
                    lambda: 6.5,
                },
                "pert 30 km/h / 45 km/h / 60 km/h lambda 6.5",
            ),
            (
                Kind::Duration,
                Family::Beta {
                    alpha: 2.0,
                    beta: 3.0,
                    min: 0.0,
                    max: h,
                },
                "beta(2, 3) on 0m to 1h 00m",
            ),
            (
                Kind::TimeOfDay,
                Family::Exponential { mean: h },
                "exponential mean 1h 00m",
            ),
            (
                Kind::TimeOfDay,
                Family::Normal {
                    mean: 8.0 * h,
                    sd: 1800.0,
                },
                "normal mean 08:00 sd 30m",
            ),
            (
                Kind::Duration,
                Family::Gamma {
                    shape: 2.0,
                    scale: 1800.0,
                },
                "gamma shape 2 scale 30m",
            ),
            (
                Kind::Duration,
                Family::Weibull {
                    shape: 1.5,
                    scale: 1800.0,
                },
                "weibull shape 1.5 scale 30m",
            ),
            (
                Kind::Number,
                Family::Bernoulli { p: 0.25 },
                "yes with probability 0.25",
            ),
            (
                Kind::Number,
                Family::Choice {
                    values: vec![1.0, 2.0],
                    weights: vec![0.25, 0.75],
                },
                "one of 1 (25%), 2 (75%)",
            ),
            (
                Kind::Number,
                Family::Empirical {
                    values: vec![1.0, 2.0, 3.0],
                },
                "resampled from 3 observations",
            ),
        ];
        for (kind, family, text) in cases {
            assert_eq!(describe(kind, &family, (None, None)), text);
        }
        assert_eq!(
            describe(
                Kind::Duration,
                &Family::Normal { mean: h, sd: 600.0 },
                (Some(0.0), None)
            ),
            "normal mean 1h 00m sd 10m, at least 0m"
        );
    }
}
