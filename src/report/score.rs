//! `eta score`'s report: [`ScoreReport`] is the public contract of `score.json` (every score
//! of every file, the overall means, the PIT histogram, the reliability bins and the skill
//! against a reference), and [`render`] the console text. Numbers come from
//! [`crate::analysis::score`]; this module only lays them out.

use crate::analysis::score::{
    self, EventScore, MilestoneScore, Overall, ReliabilityBin, ScoreCard, Skill, Spread,
};
use crate::format::published::{PROBABILITY, published, published_interval};
use crate::format::{format_duration, percent, percent_with_ci, thousands};
use crate::model::{Model, Zone};
use crate::time::{local_short, rfc3339};
use serde::Serialize;
use std::fmt::Write;

/// Scores are published to this step (hours, nats, squared probability).
const SCORE_STEP: f64 = 1e-4;

/// How each score is computed, written into every score.json so it is read correctly.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub pit: &'static str,
    pub crps: &'static str,
    pub log_score: &'static str,
    pub brier: &'static str,
    pub intervals: [f64; 3],
}

pub const METHOD: Method = Method {
    pit: "share of the trials reaching the milestone that reach it before the outcome, ties counted half (mid-point); the PIT histogram spreads a tie range evenly",
    crps: "fair (unbiased) sample estimator, E|X-y| - E|X-X'|/2 with pairs over n(n-1), hours; ci95 from its delta-method standard error",
    log_score: "-ln f(y), f the Gaussian kernel density of the trials reaching the milestone, per hour, bandwidth by Silverman's rule (at least 1 minute); lower is better; for deadlines and routes -ln of the probability of what happened, kept within [1/(2 trials), 1 - 1/(2 trials)]",
    brier: "(p - o)^2 per deadline; for the route, the sum over routes",
    intervals: score::LEVELS,
};

#[derive(Debug, Clone, Serialize)]
pub struct ScoreReport {
    pub eta_version: &'static str,
    pub method: Method,
    pub files: Vec<FileScore>,
    pub overall: OverallScore,
    /// Present with `--reference`.
    pub reference: Option<ReferenceScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileScore {
    pub file: String,
    pub scenario: String,
    pub trials: u64,
    pub seed: u64,
    /// The zone this file's times are shown in (`--zone`, else the scenario's).
    pub display_zone: String,
    pub milestones: Vec<MilestoneJson>,
    pub deadlines: Vec<DeadlineJson>,
    /// Deadlines whose milestone was not observed (ids).
    pub unscored_deadlines: Vec<String>,
    pub route: Option<RouteJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneJson {
    pub id: String,
    pub name: String,
    /// The observed time, RFC 3339 in the file's display zone.
    pub observed: String,
    /// The forecast's median (likewise) and the outcome minus it, in hours.
    pub median: String,
    pub error_hours: f64,
    pub reached: f64,
    pub pit: f64,
    pub pit_ci95: [f64; 2],
    pub pit_range: [f64; 2],
    pub crps_hours: f64,
    pub crps_ci95_hours: [f64; 2],
    pub log_score: f64,
    pub bandwidth_hours: f64,
    pub intervals: Vec<IntervalJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IntervalJson {
    pub level: f64,
    pub low: String,
    pub high: String,
    pub contains: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineJson {
    pub id: String,
    pub name: String,
    /// Null for a deadline relative to a milestone (it fell at that milestone's observed time
    /// plus the offset).
    pub at: Option<String>,
    pub happened: bool,
    pub probability: f64,
    pub ci95: [f64; 2],
    pub brier: f64,
    pub brier_ci95: [f64; 2],
    pub log_score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteJson {
    pub observed: String,
    pub probability: f64,
    pub ci95: [f64; 2],
    pub brier: f64,
    pub log_score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpreadJson {
    pub count: usize,
    pub mean: f64,
    pub sd: Option<f64>,
    pub mean_ci95: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageJson {
    pub level: f64,
    pub held: u64,
    pub of: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityJson {
    pub low: f64,
    pub high: f64,
    pub forecasts: u64,
    pub mean_probability: f64,
    pub happened: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct OverallScore {
    pub files: usize,
    pub pit: Option<SpreadJson>,
    pub crps_hours: Option<SpreadJson>,
    pub log_score: Option<SpreadJson>,
    pub coverage: Vec<CoverageJson>,
    pub brier: Option<SpreadJson>,
    pub event_log_score: Option<SpreadJson>,
    /// Shares of the PIT mass in ten equal bins from 0 to 1.
    pub pit_histogram: Vec<f64>,
    pub reliability: Vec<ReliabilityJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceScore {
    pub variant: String,
    pub overall: OverallScore,
    pub skill: SkillJson,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkillJson {
    pub crps: Option<f64>,
    pub brier: Option<f64>,
    pub log_score_gain: Option<f64>,
    pub event_log_score_gain: Option<f64>,
}

fn rounded(x: f64) -> f64 {
    published(x, SCORE_STEP)
}

fn spread(s: Option<Spread>) -> Option<SpreadJson> {
    s.map(|s| SpreadJson {
        count: s.count,
        mean: rounded(s.mean),
        sd: s.sd.map(rounded),
        mean_ci95: s.mean_ci95.map(|(a, b)| [rounded(a), rounded(b)]),
    })
}

impl FileScore {
    /// Times in `zone` (the display zone).
    pub fn new(model: &Model, file: &str, card: &ScoreCard, zone: &Zone) -> FileScore {
        FileScore {
            file: file.to_owned(),
            scenario: model.name.clone(),
            trials: card.trials,
            seed: card.seed,
            display_zone: zone.name.clone(),
            milestones: card
                .milestones
                .iter()
                .map(|m| milestone(model, m, zone))
                .collect(),
            deadlines: card.deadlines.iter().map(|d| deadline(model, d)).collect(),
            unscored_deadlines: card
                .unscored_deadlines
                .iter()
                .map(|&d| model.deadlines[d].id.clone())
                .collect(),
            route: card.route.as_ref().map(|r| RouteJson {
                observed: model.routes[r.route].name.clone(),
                probability: r.shares[r.route].fraction,
                ci95: published_interval(r.shares[r.route].ci95),
                brier: rounded(r.brier),
                log_score: rounded(r.log_score),
            }),
        }
    }
}

fn milestone(model: &Model, m: &MilestoneScore, zone: &crate::model::Zone) -> MilestoneJson {
    let def = &model.milestones[m.milestone];
    MilestoneJson {
        id: def.id.clone(),
        name: def.label.clone(),
        observed: rfc3339(m.observed, zone),
        median: rfc3339(m.median, zone),
        error_hours: rounded((m.observed - m.median) / 3600.0),
        reached: published(m.reached.fraction, PROBABILITY),
        pit: published(m.pit.value, PROBABILITY),
        pit_ci95: published_interval(m.pit_ci95),
        pit_range: published_interval((m.pit.below, m.pit.at_or_below)),
        crps_hours: rounded(m.crps_hours),
        crps_ci95_hours: [rounded(m.crps_ci95_hours.0), rounded(m.crps_ci95_hours.1)],
        log_score: rounded(m.log_score),
        bandwidth_hours: rounded(m.bandwidth_hours),
        intervals: m
            .intervals
            .iter()
            .map(|i| IntervalJson {
                level: i.level,
                low: rfc3339(i.low, zone),
                high: rfc3339(i.high, zone),
                contains: i.contains,
            })
            .collect(),
    }
}

fn deadline(model: &Model, e: &EventScore) -> DeadlineJson {
    let d = &model.deadlines[e.deadline];
    DeadlineJson {
        id: d.id.clone(),
        name: d.label.clone(),
        at: d.instant().map(|at| rfc3339(at as f64, &d.zone)),
        happened: e.happened,
        probability: published(e.probability.fraction, PROBABILITY),
        ci95: published_interval(e.probability.ci95),
        brier: rounded(e.brier),
        brier_ci95: [rounded(e.brier_ci95.0), rounded(e.brier_ci95.1)],
        log_score: rounded(e.log_score),
    }
}

impl OverallScore {
    pub fn new(o: &Overall) -> OverallScore {
        OverallScore {
            files: o.forecasts,
            pit: spread(o.pit),
            crps_hours: spread(o.crps_hours),
            log_score: spread(o.log_score),
            coverage: o
                .coverage
                .iter()
                .map(|(level, s)| CoverageJson {
                    level: *level,
                    held: s.count,
                    of: s.of,
                    share: published(s.fraction, PROBABILITY),
                })
                .collect(),
            brier: spread(o.brier),
            event_log_score: spread(o.event_log_score),
            pit_histogram: o.pit_histogram.iter().map(|&b| rounded(b)).collect(),
            reliability: o.reliability.iter().map(reliability).collect(),
        }
    }
}

fn reliability(b: &ReliabilityBin) -> ReliabilityJson {
    ReliabilityJson {
        low: b.low,
        high: b.high,
        forecasts: b.happened.of,
        mean_probability: published(b.mean_probability, PROBABILITY),
        happened: published(b.happened.fraction, PROBABILITY),
        ci95: published_interval(b.happened.ci95),
    }
}

impl SkillJson {
    pub fn new(s: &Skill) -> SkillJson {
        SkillJson {
            crps: s.crps.map(rounded),
            brier: s.brier.map(rounded),
            log_score_gain: s.log_score_gain.map(rounded),
            event_log_score_gain: s.event_log_score_gain.map(rounded),
        }
    }
}

impl ScoreReport {
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// The console report: each file's scores, then the overall means (and skill).
pub fn render(
    files: &[(&Model, &ScoreCard, &Zone)],
    overall: &Overall,
    skill: Option<(&str, &Skill)>,
) -> String {
    let mut out = String::new();
    for (model, card, zone) in files {
        let _ = writeln!(
            out,
            "{}\n  forecast as written: {} trials, seed {}; times in {}",
            model.name,
            thousands(card.trials),
            card.seed,
            zone.name
        );
        if !card.milestones.is_empty() {
            let _ = writeln!(
                out,
                "  {:<34} {:>17} {:>17} {:>8} {:>8} {:>7} {:>6}  50/80/90%",
                "observed milestone", "observed", "median", "error", "PIT", "CRPS h", "log"
            );
        }
        for m in &card.milestones {
            let label = crate::format::truncate(&model.milestones[m.milestone].label, 34);
            let held: Vec<&str> = m
                .intervals
                .iter()
                .map(|i| if i.contains { "in" } else { "out" })
                .collect();
            let error = m.observed - m.median;
            let _ = writeln!(
                out,
                "  {:<34} {:>17} {:>17} {:>8} {:>8} {:>7.2} {:>6.2}  {}",
                label,
                local_short(m.observed, zone),
                local_short(m.median, zone),
                format!(
                    "{}{}",
                    if error < 0.0 { "-" } else { "+" },
                    format_duration(error.abs())
                ),
                percent(m.pit.value, 1),
                m.crps_hours,
                m.log_score,
                held.join("/")
            );
        }
        if !card.milestones.is_empty() {
            // The Monte Carlo uncertainty of the PIT and CRPS, as the widest 95% half-width.
            let half = |f: &dyn Fn(&MilestoneScore) -> (f64, f64)| {
                card.milestones
                    .iter()
                    .map(|m| {
                        let (lo, hi) = f(m);
                        (hi - lo) / 2.0
                    })
                    .fold(0.0, f64::max)
            };
            let _ = writeln!(
                out,
                "  (over the trials reaching each milestone; 95% Monte Carlo half-widths at most \
                 ±{:.2} points of PIT and ±{:.3} h of CRPS)",
                half(&|m| m.pit_ci95) * 100.0,
                half(&|m| m.crps_ci95_hours)
            );
        }
        for e in &card.deadlines {
            let d = &model.deadlines[e.deadline];
            let _ = writeln!(
                out,
                "  deadline {}: {} ({}); forecast {}; Brier {:.3}, log {:.2}",
                d.id,
                if e.happened { "made" } else { "missed" },
                d.label,
                percent_with_ci(
                    e.probability.fraction,
                    [e.probability.ci95.0, e.probability.ci95.1]
                ),
                e.brier,
                e.log_score
            );
        }
        if let Some(r) = &card.route {
            let _ = writeln!(
                out,
                "  route {}: forecast {}; Brier {:.3}, log {:.2}",
                model.routes[r.route].name,
                percent(r.shares[r.route].fraction, 1),
                r.brier,
                r.log_score
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Overall ({} file{}, {} observed milestone{}):",
        overall.forecasts,
        if overall.forecasts == 1 { "" } else { "s" },
        overall.pit.map_or(0, |s| s.count),
        if overall.pit.map_or(0, |s| s.count) == 1 {
            ""
        } else {
            "s"
        },
    );
    let line = |name: &str, s: Option<Spread>| match s {
        Some(s) => format!(
            "  {name:<22} mean {:.3}{}\n",
            s.mean,
            s.sd.map_or(String::new(), |sd| format!(" (sd {sd:.3}, n {})", s.count))
        ),
        None => String::new(),
    };
    out.push_str(&line("CRPS (hours)", overall.crps_hours));
    out.push_str(&line("log score (per hour)", overall.log_score));
    out.push_str(&line("PIT", overall.pit));
    for (level, s) in &overall.coverage {
        if s.of > 0 {
            let _ = writeln!(
                out,
                "  {:.0}% interval held      {} of {}",
                level * 100.0,
                s.count,
                s.of
            );
        }
    }
    out.push_str(&line("Brier", overall.brier));
    out.push_str(&line("log score (events)", overall.event_log_score));
    if let Some((variant, s)) = skill {
        let _ = writeln!(out, "Skill against the reference variant `{variant}`:");
        let show = |x: Option<f64>| x.map_or("n/a".to_owned(), |v| format!("{v:+.3}"));
        let _ = writeln!(
            out,
            "  CRPS skill {}, Brier skill {} (1 perfect, 0 no better); log score gain {} nats per milestone, {} per event",
            show(s.crps),
            show(s.brier),
            show(s.log_score_gain),
            show(s.event_log_score_gain)
        );
    }
    out
}
