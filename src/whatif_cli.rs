//! The what-if commands (`compare`, `sweep`, `solve`, `run --watch`): argument handling and
//! printing around the analysis in [`crate::analysis::whatif`].

use crate::analysis::whatif::{self, Comparison, Scale, Target, Variant};
use crate::chart;
use crate::cli::{CompareArgs, Failure, RunArgs, SolveArgs, SweepArgs, load_with, read};
use crate::engine::RunOptions;
use crate::format::{format_duration, percent, percent_with_ci, thousands};
use crate::model::Model;
use crate::output;
use crate::report::Summary;
use crate::scenario::overrides::{self, Override};
use crate::time::local_short;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn run_failure(e: impl std::fmt::Display) -> Failure {
    Failure::Run(e.to_string())
}

fn parse_set(set: &[String]) -> Result<Vec<Override>, Failure> {
    set.iter()
        .map(|s| Override::parse(s).map_err(Failure::Usage))
        .collect()
}

/// `eta compare`: the baseline and its variants (or several files), paired.
pub fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let common = &args.common;
    let set = parse_set(&common.set)?;
    let mut variants: Vec<Variant> = Vec::new();
    let first = args
        .files
        .first()
        .ok_or_else(|| Failure::Usage("compare needs a scenario file".into()))?;
    if args.files.len() > 1 {
        if !args.variants.is_empty() {
            return Err(Failure::Usage(
                "--variants compares variants of one scenario; give one file".into(),
            ));
        }
        for file in &args.files {
            let source = read(file)?;
            let name = file
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
            variants.push(whatif::variant(&source, &name, None, &set)?);
        }
    } else {
        let source = read(first)?;
        variants.push(whatif::variant(
            &source,
            "baseline",
            Some("the scenario as written".into()),
            &set,
        )?);
        let declared = overrides::variants(&source).map_err(Failure::Usage)?;
        if declared.is_empty() {
            return Err(Failure::Usage(format!(
                "{} declares no [variants.NAME] to compare; add some, or give two scenario files",
                first.display()
            )));
        }
        let names: Vec<&str> = declared.iter().map(|(n, _, _)| n.as_str()).collect();
        for wanted in &args.variants {
            if !names.contains(&wanted.as_str()) {
                let near = crate::diag::closest(wanted, names.iter().copied())
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                return Err(Failure::Usage(format!(
                    "--variants: no variant `{wanted}`{near} (declared: {})",
                    names.join(", ")
                )));
            }
        }
        for (name, description, overrides) in declared {
            if args.variants.is_empty() || args.variants.contains(&name) {
                let all: Vec<Override> = overrides.into_iter().chain(set.iter().cloned()).collect();
                variants.push(whatif::variant(&source, &name, description, &all)?);
            }
        }
    }
    let base = &variants[0].model;
    let zone = common.zone(base)?;
    let options = common.options(base, None)?;
    let (comparison, tallies) = whatif::compare(&variants, &options, &zone).map_err(run_failure)?;
    let out_dir = common.out_dir(first, "-compare");
    output::prepare_dir(&out_dir)
        .map_err(|e| run_failure(format!("cannot use {}: {e}", out_dir.display())))?;
    write_json(&out_dir.join("compare.json"), &comparison)?;
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let files = chart::compare::render(&comparison, &models, &tallies, &zone, &out_dir)
        .map_err(run_failure)?;
    if !common.quiet {
        let mut text = render_comparison(&comparison, base, &zone);
        for f in std::iter::once(out_dir.join("compare.json")).chain(files) {
            let _ = writeln!(text, "Wrote {}", f.display());
        }
        print!("{text}");
    }
    Ok(())
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value).map_err(run_failure)?;
    text.push('\n');
    output::write_atomic(path, text.as_bytes())
        .map_err(|e| run_failure(format!("cannot write {}: {e}", path.display())))
}

fn render_comparison(c: &Comparison, base: &Model, zone: &crate::model::Zone) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} trials per variant · seed {} · common random numbers",
        base.name,
        thousands(c.trials),
        c.seed
    );
    let _ = writeln!(
        out,
        "Differences are paired, per trial, against the baseline; [..] are 95% intervals.\n"
    );
    for (d, deadline) in base.deadlines.iter().enumerate() {
        let _ = writeln!(out, "P({}) — {}", deadline.id, deadline.label);
        for v in &c.variants {
            let Some(o) = v.deadlines.get(d) else {
                continue;
            };
            let diff = match (o.difference, o.difference_ci95) {
                (Some(x), Some([lo, hi])) => format!(
                    "  change {:+.2} points [{:+.2}, {:+.2}]",
                    x * 100.0,
                    lo * 100.0,
                    hi * 100.0
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:28} {}{diff}",
                v.name,
                percent_with_ci(o.probability, o.ci95)
            );
        }
    }
    let final_label = base
        .milestones
        .iter()
        .find(|m| m.id == c.milestone)
        .map_or(c.milestone.as_str(), |m| m.label.as_str());
    let _ = writeln!(
        out,
        "\n\"{final_label}\" reached (P10 / P50 / P90, {zone}), mean shift vs baseline",
        zone = zone.name
    );
    for v in &c.variants {
        let q: Vec<String> = v
            .seconds
            .iter()
            .map(|t| t.map_or("n/a".into(), |t| local_short(t, zone)))
            .collect();
        let shift = match (v.mean_shift_hours, v.mean_shift_ci95) {
            (Some(h), Some([lo, hi])) => format!(
                "  {}{} [{}, {}]",
                if h >= 0.0 { "+" } else { "" },
                format_duration(h * 3600.0),
                format_duration(lo * 3600.0),
                format_duration(hi * 3600.0)
            ),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {:28} {} / {} / {}{shift}", v.name, q[0], q[1], q[2]);
    }
    for v in c.variants.iter().filter(|v| v.description.is_some()) {
        let _ = writeln!(
            out,
            "  {}: {}",
            v.name,
            v.description.as_deref().unwrap_or("")
        );
    }
    out.push('\n');
    out
}

/// A sweep point: the value as written into the scenario, and its position on the x axis.
type SweepValue = (String, Option<f64>);

/// The sweep's points: (value as written into the scenario, its position on the x axis).
fn sweep_points(args: &SweepArgs) -> Result<(Option<Scale>, Vec<SweepValue>), Failure> {
    if let Some(range) = &args.range {
        let parts: Vec<&str> = range.rsplitn(2, ':').collect();
        let bad = || {
            Failure::Usage(format!(
                "--range {range}: expected LOW:HIGH:STEPS, e.g. 40:60:5 or 30min:3h:6"
            ))
        };
        let steps: usize = parts
            .first()
            .and_then(|s| s.parse().ok())
            .filter(|n| (2..=200).contains(n))
            .ok_or_else(bad)?;
        let bounds = parts.get(1).ok_or_else(bad)?;
        // LOW:HIGH may itself contain colons (times of day): split where both halves read.
        let (low, high) = (1..bounds.len())
            .filter(|&i| bounds.as_bytes().get(i) == Some(&b':'))
            .find_map(|i| {
                let (a, b) = (Scale::read(&bounds[..i])?, Scale::read(&bounds[i + 1..])?);
                (a.0 == b.0).then_some((a, b))
            })
            .ok_or_else(bad)?;
        let scale = low.0;
        let points = (0..steps)
            .map(|k| {
                let x = low.1 + (high.1 - low.1) * k as f64 / (steps - 1) as f64;
                (scale.write(x), Some(x))
            })
            .collect();
        return Ok((Some(scale), points));
    }
    let scale = args
        .values
        .first()
        .and_then(|v| Scale::read(v))
        .map(|s| s.0);
    let points = args
        .values
        .iter()
        .map(|v| (v.clone(), Scale::read(v).map(|s| s.1)))
        .collect();
    Ok((scale, points))
}

#[derive(Debug, Serialize)]
struct SweepReport {
    param: String,
    trials: u64,
    seed: u64,
    points: Vec<SweepPoint>,
}

#[derive(Debug, Serialize)]
struct SweepPoint {
    value: String,
    x: Option<f64>,
    deadlines: Vec<whatif::DeadlineOutcome>,
    p10: Option<String>,
    p50: Option<String>,
    p90: Option<String>,
}

/// `eta sweep`: the scenario at each value of one parameter.
pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let source = read(&args.file)?;
    let set = parse_set(&args.common.set)?;
    let (scale, points) = sweep_points(args)?;
    let mut variants = Vec::new();
    for (value, _) in &points {
        let o = Override {
            path: args.param.clone(),
            value: value.clone(),
            origin: format!("--param {}={value}", args.param),
        };
        let all: Vec<Override> = set.iter().cloned().chain([o]).collect();
        variants.push(whatif::variant(&source, value, None, &all)?);
    }
    let base = &variants[0].model;
    let zone = args.common.zone(base)?;
    let options = args.common.options(base, None)?;
    let (comparison, _) = whatif::compare(&variants, &options, &zone).map_err(run_failure)?;
    let report = SweepReport {
        param: args.param.clone(),
        trials: comparison.trials,
        seed: comparison.seed,
        points: comparison
            .variants
            .iter()
            .zip(&points)
            .map(|(v, (value, x))| SweepPoint {
                value: value.clone(),
                x: *x,
                deadlines: v
                    .deadlines
                    .iter()
                    .map(|d| whatif::DeadlineOutcome {
                        difference: None,
                        difference_ci95: None,
                        ..d.clone()
                    })
                    .collect(),
                p10: v.p10.clone(),
                p50: v.p50.clone(),
                p90: v.p90.clone(),
            })
            .collect(),
    };
    let out_dir = args.common.out_dir(&args.file, "-sweep");
    output::prepare_dir(&out_dir)
        .map_err(|e| run_failure(format!("cannot use {}: {e}", out_dir.display())))?;
    write_json(&out_dir.join("sweep.json"), &report)?;
    let chart_file = out_dir.join("sweep.png");
    let series: Vec<(f64, f64, [f64; 2])> = report
        .points
        .iter()
        .filter_map(|p| {
            Some((
                p.x?,
                p.deadlines.first()?.probability,
                p.deadlines.first()?.ci95,
            ))
        })
        .collect();
    let deadline_label = base
        .deadlines
        .first()
        .map_or(String::new(), |d| d.label.clone());
    if let (Some(scale), true) = (scale, series.len() >= 2) {
        chart::sweep::render(
            &chart_file,
            &base.name,
            &args.param,
            scale,
            &deadline_label,
            &series,
            comparison.trials,
        )
        .map_err(run_failure)?;
    }
    if !args.common.quiet {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} · sweep of {} · {} trials per point · seed {} · common random numbers\n",
            base.name,
            args.param,
            thousands(comparison.trials),
            comparison.seed
        );
        for (d, deadline) in base.deadlines.iter().enumerate() {
            let _ = writeln!(out, "P({}) — {}", deadline.id, deadline.label);
            for p in &report.points {
                if let Some(o) = p.deadlines.get(d) {
                    let _ = writeln!(
                        out,
                        "  {} = {:16} {}",
                        args.param,
                        p.value,
                        percent_with_ci(o.probability, o.ci95)
                    );
                }
            }
        }
        if let Some(scale) = scale {
            for level in [0.5, 0.8] {
                let _ = writeln!(out, "{}", crossing_text(&series, level, scale, &args.param));
            }
        }
        let _ = writeln!(out, "\nWrote {}", out_dir.join("sweep.json").display());
        if chart_file.exists() {
            let _ = writeln!(out, "Wrote {}", chart_file.display());
        }
        print!("{out}");
    }
    Ok(())
}

fn crossing_text(series: &[(f64, f64, [f64; 2])], level: f64, scale: Scale, param: &str) -> String {
    match whatif::crossing(series, level) {
        Some(x) => format!(
            "P crosses {} at {param} ≈ {}",
            percent(level, 0),
            scale.show(x)
        ),
        None => format!("P does not cross {} in the swept range", percent(level, 0)),
    }
}

/// `eta solve`: bisection for the value where the target is just met.
pub fn solve(args: &SolveArgs) -> Result<(), Failure> {
    let source = read(&args.file)?;
    let set = parse_set(&args.common.set)?;
    let target = Target::parse(&args.target).map_err(Failure::Usage)?;
    let (_, base) = load_with(&args.file, &args.common.set, None)?;
    if !base.deadlines.iter().any(|d| d.id == target.deadline) {
        let ids: Vec<&str> = base.deadlines.iter().map(|d| d.id.as_str()).collect();
        return Err(Failure::Usage(format!(
            "--target: no deadline `{}` (deadlines: {})",
            target.deadline,
            ids.join(", ")
        )));
    }
    let current = current_value(&source, &args.param).ok();
    // The scale comes from the current value, or from --low when the parameter is a whole
    // distribution (searching sets it to a fixed value).
    let (scale, now) = current
        .as_deref()
        .and_then(Scale::read)
        .or_else(|| args.low.as_deref().and_then(Scale::read))
        .ok_or_else(|| {
            Failure::Usage(format!(
                "--param {}: its value is not a number or quantity; give --low and --high to search between",
                args.param
            ))
        })?;
    let read_bound = |text: &Option<String>, default: f64| -> Result<f64, Failure> {
        match text {
            None => Ok(default),
            Some(t) => Scale::read(t)
                .filter(|(s, _)| *s == scale)
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "--low/--high `{t}` must be {} like the parameter",
                        scale.kind
                    ))
                }),
        }
    };
    let (default_low, default_high) = match scale.kind {
        crate::quantity::Kind::TimeOfDay => (0.0, 86_340.0),
        crate::quantity::Kind::Date => (now - 7.0, now + 7.0),
        _ if now > 0.0 => (now / 4.0, now * 4.0),
        _ => (0.0, 1.0),
    };
    let (low, high) = (
        read_bound(&args.low, default_low)?,
        read_bound(&args.high, default_high)?,
    );
    let evaluate = |x: f64| -> Result<(f64, (f64, f64)), Failure> {
        let o = Override {
            path: args.param.clone(),
            value: scale.write(x),
            origin: format!("--param {}={}", args.param, scale.write(x)),
        };
        let all: Vec<Override> = set.iter().cloned().chain([o]).collect();
        let v = whatif::variant(&source, "", None, &all)?;
        let options: RunOptions = args.common.options(&base, None)?;
        whatif::deadline_probability(&v.model, &target.deadline, &options).map_err(Failure::Run)
    };
    let result = bisect(low, high, &target, scale, evaluate)?;
    if !args.common.quiet {
        print!(
            "{}",
            describe_solution(&result, &target, &args.param, scale)
        );
    }
    Ok(())
}

/// What bisection found.
pub enum Solution {
    Everywhere {
        low: f64,
        high: f64,
    },
    Nowhere {
        low: f64,
        high: f64,
    },
    NotMonotone {
        points: Vec<(f64, f64)>,
    },
    Found {
        value: f64,
        uncertainty: f64,
        probability: f64,
        ci: (f64, f64),
        evaluations: usize,
        met_below: bool,
    },
}

fn bisect(
    low: f64,
    high: f64,
    target: &Target,
    scale: Scale,
    mut evaluate: impl FnMut(f64) -> Result<(f64, (f64, f64)), Failure>,
) -> Result<Solution, Failure> {
    // A coarse grid first, to see the shape before trusting bisection.
    let grid: Vec<f64> = (0..5)
        .map(|k| low + (high - low) * k as f64 / 4.0)
        .collect();
    let mut points = Vec::new();
    for &x in &grid {
        points.push((x, evaluate(x)?));
    }
    let ps: Vec<f64> = points.iter().map(|(_, (p, _))| *p).collect();
    let rising = ps.windows(2).all(|w| w[1] >= w[0] - 1e-9);
    let falling = ps.windows(2).all(|w| w[1] <= w[0] + 1e-9);
    if !rising && !falling {
        return Ok(Solution::NotMonotone {
            points: points.iter().map(|(x, (p, _))| (*x, *p)).collect(),
        });
    }
    let met: Vec<bool> = ps.iter().map(|&p| target.met(p)).collect();
    if met.iter().all(|&m| m) {
        return Ok(Solution::Everywhere { low, high });
    }
    if met.iter().all(|&m| !m) {
        return Ok(Solution::Nowhere { low, high });
    }
    let k = met.windows(2).position(|w| w[0] != w[1]).unwrap_or(0);
    let (mut a, mut b) = (grid[k], grid[(k + 1).min(4)]);
    let a_met = met[k];
    let resolution = match scale.kind {
        crate::quantity::Kind::TimeOfDay | crate::quantity::Kind::Duration => 60.0,
        crate::quantity::Kind::Date => 1.0,
        _ => (high - low).abs() * 1e-4,
    };
    let mut evaluations = points.len();
    let mut last = points[k].1;
    while (b - a).abs() > resolution && evaluations < 60 {
        let mid = (a + b) / 2.0;
        let r = evaluate(mid)?;
        evaluations += 1;
        if target.met(r.0) == a_met {
            a = mid;
        } else {
            b = mid;
        }
        last = r;
    }
    let value = if a_met { a } else { b };
    // Monte Carlo uncertainty of the break-even: the probability's interval half-width divided by
    // the curve's slope near it (from the bracketing grid points).
    let slope =
        ((points[(k + 1).min(4)].1.0 - points[k].1.0) / (grid[(k + 1).min(4)] - grid[k])).abs();
    let half = (last.1.1 - last.1.0) / 2.0;
    let uncertainty = if slope > 0.0 {
        (half / slope).max(resolution / 2.0)
    } else {
        f64::INFINITY
    };
    Ok(Solution::Found {
        value,
        uncertainty,
        probability: last.0,
        ci: last.1,
        evaluations,
        met_below: a_met,
    })
}

fn describe_solution(s: &Solution, target: &Target, param: &str, scale: Scale) -> String {
    let goal = format!(
        "P({}) {} {}",
        target.deadline,
        if target.at_least { ">=" } else { "<=" },
        percent(target.probability, 1)
    );
    match s {
        Solution::Everywhere { low, high } => format!(
            "{goal} holds everywhere from {param} = {} to {}: no break-even in this range (widen it with --low/--high).\n",
            scale.show(*low),
            scale.show(*high)
        ),
        Solution::Nowhere { low, high } => format!(
            "{goal} holds nowhere from {param} = {} to {}: the target cannot be met in this range.\n",
            scale.show(*low),
            scale.show(*high)
        ),
        Solution::NotMonotone { points } => {
            let list: Vec<String> = points
                .iter()
                .map(|(x, p)| format!("{} -> {}", scale.show(*x), percent(*p, 1)))
                .collect();
            format!(
                "P({}) does not move one way as {param} changes ({}): bisection would not be meaningful.\n",
                target.deadline,
                list.join(", ")
            )
        }
        Solution::Found {
            value,
            uncertainty,
            probability,
            ci,
            evaluations,
            met_below,
        } => format!(
            "Break-even: {param} = {} (± {} from Monte Carlo error), where P({}) = {} [{}, {}]; {goal} is met {} it. ({evaluations} runs, common random numbers)\n",
            scale.show(*value),
            match scale.kind {
                crate::quantity::Kind::TimeOfDay => format_duration(*uncertainty),
                crate::quantity::Kind::Date => format!("{uncertainty:.1} days"),
                _ => scale.show(*uncertainty),
            },
            target.deadline,
            percent(*probability, 2),
            percent(ci.0, 2),
            percent(ci.1, 2),
            if *met_below {
                "at and below"
            } else {
                "at and above"
            }
        ),
    }
}

/// The value a path has in the scenario now, as text.
fn current_value(source: &crate::scenario::Source, path: &str) -> Result<String, Failure> {
    let probe = Override {
        path: path.to_owned(),
        value: "0".into(),
        origin: format!("--param {path}"),
    };
    // Resolving the path through the editor gives the same errors as --set for a bad path.
    overrides::apply(source, std::slice::from_ref(&probe)).map_err(Failure::Usage)?;
    overrides::get(source, path).map_err(Failure::Usage)
}

/// `eta run --watch`: rerun on every save, printing the change in each deadline's probability.
pub fn watch(args: &RunArgs) -> Result<(), Failure> {
    let mut previous: Option<Summary> = None;
    let mut seen = modified(&args.file);
    loop {
        match crate::cli::run(args) {
            Ok(summary) => {
                println!("{}", change_line(previous.as_ref(), &summary));
                previous = Some(summary);
            }
            Err(failure) => {
                crate::cli::report(failure);
                println!(
                    "(the scenario has errors; still watching {})",
                    args.file.display()
                );
            }
        }
        // Poll, then wait for the writes of one save to settle before rerunning.
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let now = modified(&args.file);
            if now != seen {
                std::thread::sleep(Duration::from_millis(300));
                seen = modified(&args.file);
                break;
            }
        }
    }
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| Some((m.modified().ok()?, m.len())))
}

fn change_line(previous: Option<&Summary>, now: &Summary) -> String {
    let parts: Vec<String> = now
        .deadlines
        .iter()
        .map(|d| {
            let before = previous.and_then(|p| p.deadlines.iter().find(|x| x.id == d.id));
            match before {
                Some(b) => format!(
                    "P({}) {} -> {}",
                    d.name,
                    percent(b.probability, 1),
                    percent(d.probability, 1)
                ),
                None => format!("P({}) {}", d.name, percent(d.probability, 1)),
            }
        })
        .collect();
    let when = jiff::Timestamp::now().strftime("%H:%M:%S").to_string();
    if parts.is_empty() {
        format!("[{when}] ran {} trials", now.trials)
    } else {
        format!("[{when}] {}", parts.join("; "))
    }
}
