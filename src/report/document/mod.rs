//! The content of a shareable report (`report.html`, `report.md`) before it has a format: the
//! question, the headline, tables and facts, built from the same results `summary.json`,
//! `compare.json` and `sweep.json` write (never recomputed). `html` and `markdown` only lay it
//! out, so the two formats cannot disagree. The file's hash comes from `sha2` (a maintained
//! RustCrypto crate, rather than a hand-written digest).

mod whatif;

pub use whatif::{compare, sweep};

use super::outline::describe;
use super::{DriverSummary, Summary};
use crate::format::{format_quantity, percent_with_ci, thousands, trim_number};
use crate::model::{Model, Zone};
use crate::time::{local_short, zone_label};

/// A report: a title, the question it answers, and its sections in reading order.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    /// The question in a sentence or two: the scenario's description.
    pub question: Option<String>,
    /// For a forecast conditioned on observations: what was seen, and how many trials' worth
    /// of information the weighted trials carry ("Given: ... · every figure below is
    /// conditional on it ...").
    pub given: Option<String>,
    /// Each deadline's answer, in large type.
    pub headline: Vec<Headline>,
    /// The charts, by file stem and caption, shown after the headline.
    pub charts: Vec<ChartRef>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Headline {
    /// What is asked: "At FEFU by the EEF plenary session".
    pub name: String,
    /// The probability as a percentage, and its 95% interval.
    pub probability: String,
    pub interval: String,
    /// The exact fraction (summary.json's), for machines.
    pub value: f64,
    /// When and where the deadline is, and over which trials.
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct ChartRef {
    /// The chart's file name without extension (`arrival-cdf`).
    pub stem: String,
    pub caption: String,
    /// Points on the chart's time axis a reader can hover for their value (see [`marks`]).
    pub marks: Vec<Mark>,
}

/// An instant on a chart's time axis and what it is, in words and numbers.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Seconds since the epoch.
    pub at: f64,
    pub title: String,
}

/// The marks of a chart whose x axis is the arrival time of `milestones`: each one's P10, P50
/// and P90 (with its interval) and each deadline on them (with its probability).
pub fn marks(summary: &Summary, milestones: &[String]) -> Vec<Mark> {
    let zone = Zone::get(&summary.display_zone);
    let show = |t: f64| {
        zone.as_ref().map_or(String::new(), |z| {
            format!("{} {}", local_short(t, z), zone_label(z, t))
        })
    };
    let short = |t: f64| zone.as_ref().map_or(String::new(), |z| local_short(t, z));
    let mut marks = Vec::new();
    for m in summary
        .milestones
        .iter()
        .filter(|m| milestones.contains(&m.id))
    {
        let q = &m.quantiles;
        let ci = &m.quantiles_ci95;
        for (label, value, interval) in [
            ("P10", &q.p10, &ci.p10),
            ("P50", &q.p50, &ci.p50),
            ("P90", &q.p90, &ci.p90),
        ] {
            let (Some(t), Some(lo), Some(hi)) =
                (seconds(value), seconds(&interval[0]), seconds(&interval[1]))
            else {
                continue;
            };
            marks.push(Mark {
                at: t,
                title: format!(
                    "{label} of \"{}\": {} (95% interval {} to {}; over the trials that reach it)",
                    m.name,
                    show(t),
                    short(lo),
                    short(hi)
                ),
            });
        }
    }
    for d in summary
        .deadlines
        .iter()
        .filter(|d| milestones.contains(&d.milestone))
    {
        // A deadline relative to a milestone has no one instant to mark.
        let Some(t) = d.at.as_deref().and_then(seconds) else {
            continue;
        };
        marks.push(Mark {
            at: t,
            title: format!(
                "{}: {}; P(on time) {} of {} trials",
                d.name,
                deadline_when(summary, d),
                percent_with_ci(d.probability, d.ci95),
                thousands(summary.trials)
            ),
        });
    }
    marks
}

#[derive(Debug, Clone)]
pub struct Section {
    /// An anchor for the section (`milestones`).
    pub id: &'static str,
    pub title: String,
    /// A sentence saying what the section shows and over which trials.
    pub note: Option<String>,
    pub table: Table,
    /// Whether the table's times can be switched between the display zone and each row's own.
    pub zone_switch: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell: its text, a smaller second line (an interval, a comment), and, for times, the
/// text in the row's own zone.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub note: Option<String>,
    pub own_zone: Option<String>,
    /// Long prose (an input's comment): laid out as a paragraph, not a figure.
    pub prose: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    fn noted(text: impl Into<String>, note: Option<String>) -> Cell {
        Cell {
            note,
            ..Cell::new(text)
        }
    }
}

/// What the report says about how the run was made, beside its results.
#[derive(Debug, Clone)]
pub struct RunFacts {
    /// How inputs were drawn, as the flag names it (`mc`, `lhs`, `sobol`).
    pub sampling: String,
    /// The scenario file's SHA-256, in hex.
    pub sha256: String,
}

/// The run's report: every number from `summary` (summary.json's contract); the model gives the
/// assumptions as the file states them, `comments` the text written above each input.
pub fn run(
    summary: &Summary,
    model: &Model,
    comments: &[(String, String)],
    facts: &RunFacts,
    charts: Vec<ChartRef>,
) -> Document {
    let headline = summary
        .deadlines
        .iter()
        .map(|d| {
            let milestone = summary.milestones.iter().find(|m| m.id == d.milestone);
            Headline {
                name: d.name.clone(),
                probability: percent_with_ci(d.probability, d.ci95)
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                interval: interval_text(d.probability, d.ci95),
                value: d.probability,
                detail: format!(
                    "Probability of reaching \"{}\" by {} ({}{})",
                    milestone.map_or(d.milestone.as_str(), |m| m.name.as_str()),
                    deadline_when(summary, d),
                    match &summary.conditioning {
                        Some(c) => format!(
                            "weighted trials, worth {} unweighted",
                            thousands(c.effective_trials)
                        ),
                        None => format!(
                            "{} of {} trials",
                            thousands(d.made),
                            thousands(summary.trials)
                        ),
                    },
                    d.median_slack_hours
                        .map_or(String::new(), |h| format!("; median slack {}", hours(h))),
                ),
            }
        })
        .collect();
    let mut sections = vec![milestones(summary)];
    if summary.deadlines.iter().any(|d| !d.by_route.is_empty()) {
        sections.push(deadlines_by_route(summary));
    }
    sections.push(drivers(summary));
    sections.push(assumptions(model, comments));
    if !summary.routes.is_empty() {
        sections.push(routes(summary, model));
    }
    if !summary.correlations.is_empty() {
        sections.push(correlations(summary));
    }
    sections.push(run_facts(summary, facts));
    Document {
        given: summary.conditioning.as_ref().map(|c| {
            format!(
                "Given: {}. Every figure below is conditional on it: the {} trials are weighted by how well they fit it, worth {} unweighted trials{}.",
                c.given.join("; "),
                thousands(summary.trials),
                thousands(c.effective_trials),
                c.trials_needed.map_or(String::new(), |n| format!(
                    " (too few for narrow intervals: about {} trials would give 10,000)",
                    thousands(n)
                ))
            )
        }),
        title: summary.scenario.clone(),
        question: model.description.clone(),
        headline,
        charts,
        sections,
    }
}

/// "[55.49%, 55.68%]": the interval part of [`percent_with_ci`], at the same precision.
fn interval_text(p: f64, ci: [f64; 2]) -> String {
    let text = percent_with_ci(p, ci);
    text.split_once(' ')
        .map_or(String::new(), |(_, i)| format!("95% interval {i}"))
}

/// Hours as "7h 46m early" or "2h 10m late".
fn hours(h: f64) -> String {
    let text = crate::format::format_duration(h.abs() * 3600.0);
    if h >= 0.0 {
        format!("{text} early")
    } else {
        format!("{text} late")
    }
}

/// An RFC 3339 instant from the summary as seconds since the epoch.
fn seconds(rfc3339: &str) -> Option<f64> {
    rfc3339
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_second() as f64)
}

/// An RFC 3339 instant from the summary as a short local time in `zone` (named by the caller).
/// When a deadline falls: its instant and zone, or its offset from its reference milestone.
fn deadline_when(summary: &Summary, d: &super::DeadlineSummary) -> String {
    match &d.at {
        Some(at) => format!("{} {}", instant(at, &d.zone), d.zone),
        None => d.relative_phrase(&summary.milestones).unwrap_or_default(),
    }
}

fn instant(rfc3339: &str, zone: &str) -> String {
    match (seconds(rfc3339), Zone::get(zone)) {
        (Some(t), Some(z)) => local_short(t, &z),
        _ => rfc3339.to_owned(),
    }
}

/// The milestone table: reached, P10/P50/P90 (each with its interval) and the mean, in the
/// display zone, with each row's own zone a click away.
fn milestones(summary: &Summary) -> Section {
    let display = Zone::get(&summary.display_zone);
    let rows = summary
        .milestones
        .iter()
        .map(|m| {
            let own = Zone::get(&m.zone);
            let at = |s: &str| {
                let t = seconds(s);
                let text = match (t, &display) {
                    (Some(t), Some(z)) => local_short(t, z),
                    _ => String::from("n/a"),
                };
                let own_zone = match (t, &own) {
                    (Some(t), Some(z)) => Some(local_short(t, z)),
                    _ => None,
                };
                (text, own_zone)
            };
            let time = |value: &str, ci: &[String; 2]| {
                let (text, own_zone) = at(value);
                let (lo, hi) = (at(&ci[0]).0, at(&ci[1]).0);
                Cell {
                    note: Some(time_interval(&text, &lo, &hi)),
                    own_zone,
                    ..Cell::new(text)
                }
            };
            let p50 = seconds(&m.quantiles.p50).unwrap_or(0.0);
            let zone_cell = Cell {
                own_zone: own.as_ref().map(|z| zone_label(z, p50)),
                ..Cell::new(
                    display
                        .as_ref()
                        .map_or(summary.display_zone.clone(), |z| zone_label(z, p50)),
                )
            };
            let mut row = vec![
                Cell::noted(m.name.clone(), Some(m.id.clone())),
                zone_cell,
                with_interval(m.reached, m.reached_ci95),
            ];
            if m.mean.is_some() {
                row.push(time(&m.quantiles.p10, &m.quantiles_ci95.p10));
                row.push(time(&m.quantiles.p50, &m.quantiles_ci95.p50));
                row.push(time(&m.quantiles.p90, &m.quantiles_ci95.p90));
            } else {
                row.extend((0..3).map(|_| Cell::new("never reached")));
            }
            row
        })
        .collect();
    Section {
        zone_switch: true,
        ..section(
            "milestones",
            "When each milestone is reached",
            Some(format!(
                "Percentiles over the trials that reach each milestone, of {} trials; under each, \
                 its 95% Monte Carlo interval. Times in {} unless switched to each milestone's \
                 own zone.",
                thousands(summary.trials),
                summary.display_zone
            )),
            &["milestone", "zone", "reached", "P10", "P50", "P90"],
            rows,
        )
    }
}

/// A probability with its 95% interval on the line below.
fn with_interval(p: f64, ci: [f64; 2]) -> Cell {
    let text = percent_with_ci(p, ci);
    match text.split_once(' ') {
        Some((p, interval)) => Cell::noted(p, Some(interval.to_owned())),
        None => Cell::new(text),
    }
}

/// A percentile's 95% interval, short: `08:06 – 08:13` when both ends fall on the value's day,
/// else with their dates.
fn time_interval(value: &str, lo: &str, hi: &str) -> String {
    let day = |s: &str| s.get(..10).map(str::to_owned);
    let clock = |s: &str| s.get(11..16).unwrap_or(s).to_owned();
    if day(lo) == day(value) && day(hi) == day(value) {
        format!("95%: {} – {}", clock(lo), clock(hi))
    } else {
        format!("95%: {} – {}", lo, hi)
    }
}

fn deadlines_by_route(summary: &Summary) -> Section {
    let rows = summary
        .deadlines
        .iter()
        .flat_map(|d| {
            d.by_route.iter().map(|r| {
                vec![
                    Cell::new(d.name.clone()),
                    Cell::new(r.route.clone()),
                    Cell::new(percent_with_ci(r.probability, r.ci95)),
                    Cell::new(thousands(r.trials)),
                ]
            })
        })
        .collect();
    section(
        "deadlines-by-route",
        "Each deadline by route",
        Some("The probability of making the deadline among the trials of each route.".into()),
        &["deadline", "route", "P(on time)", "trials"],
        rows,
    )
}

/// The drivers as summary.json states them; [`driver_row`] is the one place that reads a driver.
fn drivers(summary: &Summary) -> Section {
    let d = &summary.drivers;
    let milestone = summary
        .milestones
        .iter()
        .find(|m| m.id == d.milestone)
        .map_or(d.milestone.as_str(), |m| m.name.as_str());
    let deadline = d
        .deadline
        .as_ref()
        .map_or(String::new(), |id| format!(" and the deadline [{id}]"));
    section(
        "drivers",
        format!("What drives \"{milestone}\"{deadline}"),
        Some(format!(
            "One row per source of randomness that can reach it, strongest first, over {}. Time share: the share of the arrival time's variance the driver explains \
             alone (a first-order Sobol' index, over the {} of those trials that reach it), with \
             its 95% interval. P(on time): in the driver's bottom against its top quarter of \
             trials, or without against with an event or route, and the difference in points \
             with its 95% interval. \"could be 0\": the interval includes 0.",
            match d.resampled_from {
                Some(from) => format!(
                    "{} trials drawn by weight from the first {}",
                    thousands(d.sample_trials),
                    thousands(from)
                ),
                None => format!("the first {} trials", thousands(d.sample_trials)),
            },
            thousands(d.sample_reached)
        )),
        &[
            "driver",
            "time share",
            "rank correlation",
            "P(on time) low or without → high or with",
            "difference",
        ],
        d.ranked.iter().map(driver_row).collect(),
    )
}

/// One driver's row (the shape of a driver lives here alone).
fn driver_row(d: &DriverSummary) -> Vec<Cell> {
    let could_be_zero = |lo: f64, hi: f64| {
        if lo > 0.0 || hi < 0.0 {
            ""
        } else {
            " could be 0"
        }
    };
    let share = match (d.variance_share, d.variance_share_ci95) {
        (Some(v), Some([lo, hi])) => {
            format!("{v:.3} [{lo:.3}, {hi:.3}]{}", could_be_zero(lo, hi))
        }
        _ => "n/a".to_owned(),
    };
    let rho = d
        .rank_correlation
        .map_or("n/a".to_owned(), |r| format!("{r:+.3}"));
    let (odds, difference) = match &d.on_time {
        Some(o) => (
            format!(
                "{} → {}",
                percent_with_ci(o.low.probability, o.low.ci95),
                percent_with_ci(o.high.probability, o.high.ci95)
            ),
            format!(
                "{:+.1} points [{:+.1}, {:+.1}]{}",
                o.difference * 100.0,
                o.difference_ci95[0] * 100.0,
                o.difference_ci95[1] * 100.0,
                could_be_zero(o.difference_ci95[0], o.difference_ci95[1])
            ),
        ),
        None => ("n/a (no deadline)".to_owned(), "n/a".to_owned()),
    };
    vec![
        Cell::new(format!("{} ({})", d.label, d.kind)),
        Cell::new(share),
        Cell::new(rho),
        Cell::new(odds),
        Cell::new(difference),
    ]
}

/// Every input as the file states it, with the quantiles its distribution gives and the comment
/// written above it (its sources and judgements).
fn assumptions(model: &Model, comments: &[(String, String)]) -> Section {
    let rows = model
        .inputs
        .iter()
        .filter(|i| !i.inline)
        .map(|input| {
            let q = |p: f64| format_quantity(input.kind, readable(input.dist.quantile(p)));
            let quantiles = match input.dist.family() {
                crate::distribution::Family::Fixed { .. } => "fixed".to_owned(),
                f if f.is_discrete() => "see the distribution".to_owned(),
                _ => format!("{} · {} · {}", q(0.1), q(0.5), q(0.9)),
            };
            let comment = comments
                .iter()
                .find(|(name, _)| *name == input.name)
                .map(|(_, c)| c.clone())
                .or_else(|| input.description.clone())
                .unwrap_or_default();
            vec![
                Cell::noted(input.name.clone(), Some(input.kind.described().to_owned())),
                Cell::new(describe(
                    input.kind,
                    input.dist.family(),
                    input.dist.bounds(),
                )),
                Cell::new(quantiles),
                Cell {
                    prose: true,
                    ..Cell::new(comment)
                },
            ]
        })
        .collect();
    section(
        "assumptions",
        "Assumptions",
        Some(
            "Every input, its distribution, the P10 · P50 · P90 that distribution gives, and the \
             comment written above it in the scenario file (its sources and judgements)."
                .into(),
        ),
        &[
            "input",
            "distribution",
            "P10 · P50 · P90",
            "source or judgement",
        ],
        rows,
    )
}

/// A quantile rounded to four significant figures (`42.3991 km/h` reads `42.4 km/h`); times
/// and durations are whole seconds anyway and print to the minute.
fn readable(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() || v.abs() >= 1e4 {
        return v.round();
    }
    let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

fn routes(summary: &Summary, model: &Model) -> Section {
    let rows = summary
        .routes
        .iter()
        .map(|r| {
            let description = model
                .routes
                .iter()
                .find(|m| m.name == r.name)
                .and_then(|m| m.description.clone())
                .unwrap_or_default();
            vec![
                Cell::new(r.name.clone()),
                Cell::new(format!("{}%", trim_number(r.probability * 100.0))),
                Cell::new(percent_with_ci(r.share, r.ci95)),
                Cell {
                    prose: true,
                    ..Cell::new(description)
                },
            ]
        })
        .collect();
    section(
        "routes",
        "Routes",
        Some(format!(
            "The probability the scenario gives each route and the share of the {} trials that took it.",
            thousands(summary.trials)
        )),
        &["route", "scenario", "share of trials", "description"],
        rows,
    )
}

fn correlations(summary: &Summary) -> Section {
    let rows = summary
        .correlations
        .iter()
        .map(|c| {
            vec![
                Cell::new(format!("{} ~ {}", c.inputs[0], c.inputs[1])),
                Cell::new(format!("{:+.2}", c.requested)),
                Cell::new(format!("{:+.3}", c.achieved)),
            ]
        })
        .collect();
    section(
        "correlations",
        "Correlations",
        Some(format!(
            "Rank correlations the scenario asks for, and those achieved in the first {} trials.",
            thousands(summary.drivers.sample_trials)
        )),
        &["inputs", "asked", "achieved"],
        rows,
    )
}

fn run_facts(summary: &Summary, facts: &RunFacts) -> Section {
    let rows = [
        ("scenario file", summary.file.clone()),
        ("SHA-256 of the file", facts.sha256.clone()),
        ("trials", thousands(summary.trials)),
        ("seed", summary.seed.to_string()),
        ("sampling", facts.sampling.clone()),
        ("display zone", summary.display_zone.clone()),
        ("eta version", summary.eta_version.to_owned()),
        (
            "to reproduce",
            format!(
                "eta run {} --trials {} --seed {} --sampling {}",
                summary.file, summary.trials, summary.seed, facts.sampling
            ),
        ),
    ]
    .into_iter()
    .map(|(k, v)| vec![Cell::new(k), Cell::new(v)])
    .collect();
    facts_section(rows)
}

/// A section whose times are not switched between zones.
fn section(
    id: &'static str,
    title: impl Into<String>,
    note: Option<String>,
    header: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Section {
    Section {
        id,
        title: title.into(),
        note,
        table: Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        },
        zone_switch: false,
    }
}

fn facts_section(rows: Vec<Vec<Cell>>) -> Section {
    section("facts", "How this was run", None, &["fact", "value"], rows)
}

/// The SHA-256 of a file's text, in lowercase hex: a reader checks they hold the same scenario.
pub fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
