//! Property test: random valid scenarios (DAGs of 2-12 milestones, 1-2 starts, every distribution
//! family, inputs given by quantiles, rank correlations, routes, joins and races, `not_before`,
//! zones across daylight-saving changes, deadlines)
//! compile, run, and keep the invariants every run must keep: milestone times are finite and not
//! before the steps that lead to them, probabilities and their intervals lie in [0, 1] and
//! contain the estimate, percentiles are ordered.
//!
//! Scenarios are decoded from a vector of random "genes": gene 0 always picks the simplest option,
//! so proptest's shrinking (genes towards 0) shrinks the scenario too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use eta::analysis::RunResults;
use eta::engine::{self, RunOptions, Workspace};
use eta::model::{self, Model, WaitFor};
use eta::report::Summary;
use eta::scenario::Source;
use proptest::prelude::*;
use std::fmt::Write;

const TRIALS: u64 = 2_000;
const ZONES: [&str; 5] = [
    "Europe/Berlin",
    "UTC",
    "Asia/Vladivostok",
    "America/New_York",
    "Asia/Kolkata",
];
/// Europe/Berlin changes its clocks on 2023-03-26 (02:00 -> 03:00) and 2023-10-29 (03:00 -> 02:00).
/// 2125 puts two starts a century apart: squared offsets beyond the 64-bit integer range.
const DATES: [&str; 6] = [
    "2023-03-26",
    "2023-10-29",
    "2023-09-10",
    "2023-03-25",
    "2024-02-29",
    "2125-01-01",
];
/// 02:30 does not exist in Berlin on 2023-03-26 and happens twice on 2023-10-29.
const TIMES: [&str; 5] = ["06:00", "02:30", "23:45", "00:00", "12:07"];

/// Reads choices from the genes; past the end every choice is the simplest (0).
struct Genes<'a> {
    genes: &'a [u32],
    at: usize,
}

impl Genes<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let g = self.genes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        g as usize % n
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.pick(one_in) == one_in - 1
    }
    /// A number from a small set of friendly values.
    fn of<T: Copy>(&mut self, values: &[T]) -> T {
        values[self.pick(values.len())]
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Duration,
    Distance,
    Speed,
    Probability,
    /// Start dates: never offered for reuse by steps.
    Date,
}

struct Builder<'a> {
    g: Genes<'a>,
    inputs: Vec<(String, String, Slot)>,
}

impl Builder<'_> {
    /// A value for a step: a literal, a named input (new or shared), or an inline distribution.
    fn value(&mut self, slot: Slot) -> String {
        match self.g.pick(4) {
            0 => self.literal(slot),
            1 => self.dist(slot),
            2 => {
                let shared: Vec<String> = self
                    .inputs
                    .iter()
                    .filter(|(_, _, s)| *s == slot)
                    .map(|(n, _, _)| n.clone())
                    .collect();
                if !shared.is_empty() && self.g.chance(2) {
                    let i = self.g.pick(shared.len());
                    format!("\"{}\"", shared[i])
                } else {
                    self.named(slot)
                }
            }
            _ => self.named(slot),
        }
    }

    fn named(&mut self, slot: Slot) -> String {
        let name = format!("in{}", self.inputs.len());
        let table = self.dist(slot);
        self.inputs.push((name.clone(), table, slot));
        format!("\"{name}\"")
    }

    fn literal(&mut self, slot: Slot) -> String {
        match slot {
            Slot::Duration => self.g.of(&[
                "\"1h30m\"",
                "\"45 min\"",
                "\"0 min\"",
                "\"2 h\"",
                "\"1d 6h\"",
                "\"3600 s\"",
            ]),
            Slot::Distance => self
                .g
                .of(&["\"330 km\"", "\"800 m\"", "\"12 mi\"", "\"0 km\""]),
            Slot::Speed => self
                .g
                .of(&["\"45 km/h\"", "\"3 m/s\"", "\"60 mph\"", "\"10 kph\""]),
            Slot::Probability => self.g.of(&["0.2", "0", "1", "0.5"]),
            Slot::Date => self.g.of(&DATES.map(|_| "\"2023-09-10\"")),
        }
        .to_owned()
    }

    /// An inline distribution table whose support is valid for the slot.
    fn dist(&mut self, slot: Slot) -> String {
        let g = &mut self.g;
        match slot {
            Slot::Duration => {
                let upper = if g.chance(3) {
                    ", upper = \"30 h\""
                } else {
                    ""
                };
                match g.pick(16) {
                    14 => {
                        "{ dist = \"pert\", p10 = \"40 min\", p50 = \"50 min\", p90 = \"65 min\" }"
                            .to_owned()
                    }
                    15 => "{ dist = \"lognormal\", between = [\"20 min\", \"3 h\"] }".to_owned(),
                    0 => format!(
                        "{{ dist = \"fixed\", value = \"{} min\" }}",
                        g.of(&[30, 0, 90])
                    ),
                    1 => format!(
                        "{{ dist = \"uniform\", min = {}, max = {}, unit = \"h\"{upper} }}",
                        g.of(&[0.0, 0.5, 1.0]),
                        g.of(&[2.0, 3.5])
                    ),
                    2 => format!(
                        "{{ dist = \"normal\", mean = \"{} h\", sd = \"{} min\", lower = \"0 min\"{upper} }}",
                        g.of(&[2, 1, 10]),
                        g.of(&[30, 5, 90])
                    ),
                    3 => format!(
                        "{{ dist = \"lognormal\", mean = {}, sd = {}, unit = \"h\"{upper} }}",
                        g.of(&[3.0, 0.5]),
                        g.of(&[2.0, 0.1, 5.0])
                    ),
                    4 => format!(
                        "{{ dist = \"lognormal\", mu = {}, sigma = {}, unit = \"h\"{upper} }}",
                        g.of(&[0.0, 1.0, -1.0]),
                        g.of(&[0.5, 0.1, 1.2])
                    ),
                    5 => format!(
                        "{{ dist = \"triangular\", min = \"{} min\", mode = \"{} min\", max = \"{} min\" }}",
                        g.of(&[10, 0]),
                        g.of(&[40, 10]),
                        g.of(&[120, 41])
                    ),
                    6 => format!(
                        "{{ dist = \"pert\", min = \"{} min\", mode = \"{} min\", max = \"{} min\", lambda = {} }}",
                        g.of(&[10, 0]),
                        g.of(&[40, 10]),
                        g.of(&[120, 41]),
                        g.of(&[4.0, 1.0, 10.0])
                    ),
                    7 => format!(
                        "{{ dist = \"beta\", alpha = {}, beta = {}, min = {}, max = {}, unit = \"h\" }}",
                        g.of(&[2.0, 0.5, 1.0]),
                        g.of(&[3.0, 0.5, 1.0]),
                        g.of(&[0.0, 1.0]),
                        g.of(&[4.0, 2.0])
                    ),
                    8 => format!(
                        "{{ dist = \"exponential\", mean = \"{} min\"{upper} }}",
                        g.of(&[30, 1, 600])
                    ),
                    9 => format!(
                        "{{ dist = \"exponential\", rate = {}, unit = \"h\"{upper} }}",
                        g.of(&[2.0, 0.5])
                    ),
                    10 => format!(
                        "{{ dist = \"gamma\", shape = {}, scale = {}, unit = \"h\"{upper} }}",
                        g.of(&[2.0, 0.5, 9.0]),
                        g.of(&[0.5, 1.0])
                    ),
                    11 => format!(
                        "{{ dist = \"gamma\", shape = {}, mean = \"{} h\"{upper} }}",
                        g.of(&[2.0, 0.3]),
                        g.of(&[1, 5])
                    ),
                    12 => format!(
                        "{{ dist = \"weibull\", shape = {}, scale = {}, unit = \"h\"{upper} }}",
                        g.of(&[1.5, 0.7, 4.0]),
                        g.of(&[1.0, 6.0])
                    ),
                    _ => {
                        if g.chance(2) {
                            "{ dist = \"empirical\", values = [\"20 min\", \"1 h\", \"1 h\", \"3h\"] }"
                                .to_owned()
                        } else {
                            "{ dist = \"choice\", values = [0, 1, 2.5], weights = [0.25, 0.5, 0.25], unit = \"h\" }"
                                .to_owned()
                        }
                    }
                }
            }
            Slot::Distance => match g.pick(3) {
                0 => "{ dist = \"uniform\", min = 100, max = 300, unit = \"km\" }".to_owned(),
                1 => "{ dist = \"triangular\", min = 5, mode = 8, max = 20, unit = \"mi\" }"
                    .to_owned(),
                _ => "{ dist = \"empirical\", values = [\"870 km\", \"900 km\"] }".to_owned(),
            },
            Slot::Speed => match g.pick(6) {
                0 => "{ dist = \"uniform\", min = 40, max = 60, unit = \"km/h\" }".to_owned(),
                1 => "{ dist = \"normal\", mean = 50, sd = 15, unit = \"km/h\", lower = 5 }"
                    .to_owned(),
                2 => {
                    "{ dist = \"pert\", min = 30, mode = 45, max = 60, unit = \"km/h\" }".to_owned()
                }
                3 => "{ dist = \"gamma\", shape = 9, scale = 5, unit = \"km/h\", lower = 1 }"
                    .to_owned(),
                4 => "{ dist = \"weibull\", shape = 3, scale = 20, unit = \"m/s\", lower = 2 }"
                    .to_owned(),
                _ => "{ dist = \"fixed\", value = \"45 km/h\" }".to_owned(),
            },
            Slot::Probability => match g.pick(5) {
                0 => format!("{{ dist = \"fixed\", value = {} }}", g.of(&[0.3, 0.0, 1.0])),
                1 => format!(
                    "{{ dist = \"bernoulli\", p = {} }}",
                    g.of(&[0.3, 0.0, 1.0, 0.9])
                ),
                2 => "{ dist = \"beta\", alpha = 2, beta = 5 }".to_owned(),
                3 => "{ dist = \"uniform\", min = 0.1, max = 0.6 }".to_owned(),
                _ => "{ dist = \"choice\", values = [0.1, 0.9] }".to_owned(),
            },
            Slot::Date => "{ dist = \"empirical\", values = [\"2023-03-26\"] }".to_owned(),
        }
    }
}

/// What the generator decided, besides the text: for checking per-trial invariants.
struct Scenario {
    text: String,
}

fn scenario(genes: &[u32]) -> Scenario {
    let mut b = Builder {
        g: Genes { genes, at: 0 },
        inputs: Vec::new(),
    };
    let n = 2 + b.g.pick(11); // 2..=12 milestones
    let starts = if n > 2 && b.g.chance(3) { 2 } else { 1 };
    let routes: Vec<f64> = match b.g.pick(4) {
        0 | 1 => Vec::new(),
        2 => vec![b.g.of(&[0.5, 0.25, 0.875, 1.0]), 0.0],
        _ => vec![0.5, 0.25, 0.25],
    };
    let routes: Vec<f64> = if routes.len() == 2 {
        vec![routes[0], 1.0 - routes[0]]
    } else {
        routes
    };
    let all_routes: u32 = if routes.is_empty() {
        1
    } else {
        (1 << routes.len()) - 1
    };
    // Routes (as a bit set) on which each milestone can be reached; every step is tagged only
    // with a route its `from` can be reached on, so every milestone is reachable.
    let mut reach = vec![0u32; n];
    let mut milestones = String::new();
    let mut steps = String::new();
    for m in 0..n {
        let zone = if b.g.chance(2) {
            format!("zone = \"{}\"\n", b.g.of(&ZONES))
        } else {
            String::new()
        };
        let _ = write!(milestones, "[milestones.m{m}]\n{zone}");
        if m < starts {
            reach[m] = all_routes;
            let date = match b.g.pick(4) {
                0 | 1 => format!("\"{}\"", b.g.of(&DATES)),
                2 => {
                    let name = format!("in{}", b.inputs.len());
                    b.inputs.push((
                        name.clone(),
                        format!(
                            "{{ dist = \"choice\", values = [\"{}\", \"{}\"], weights = [0.75, 0.25] }}",
                            b.g.of(&DATES),
                            b.g.of(&DATES)
                        ),
                        Slot::Date,
                    ));
                    format!("\"{name}\"")
                }
                _ => {
                    "{ dist = \"empirical\", values = [\"2023-03-26\", \"2023-10-29\"] }".to_owned()
                }
            };
            let time = match b.g.pick(3) {
                0 | 1 => format!("\"{}\"", b.g.of(&TIMES)),
                _ => "{ dist = \"uniform\", min = \"01:00\", max = \"04:00\" }".to_owned(),
            };
            let _ = writeln!(milestones, "start = {{ date = {date}, time = {time} }}\n");
            continue;
        }
        if b.g.chance(2) {
            let wait = b.g.of(&["all", "first"]);
            let _ = writeln!(milestones, "wait_for = \"{wait}\"");
        }
        milestones.push('\n');
        let incoming = 1 + b.g.pick(2);
        for _ in 0..incoming {
            let from = b.g.pick(m);
            let mut route = String::new();
            let mut carried = reach[from];
            if !routes.is_empty() && b.g.chance(2) {
                let options: Vec<usize> = (0..routes.len())
                    .filter(|r| reach[from] & (1 << r) != 0)
                    .collect();
                let r = options[b.g.pick(options.len())];
                route = format!("route = \"r{r}\"\n");
                carried = 1 << r;
            }
            reach[m] |= carried;
            let body = match b.g.pick(4) {
                0 => format!("kind = \"dwell\"\nduration = {}\n", b.value(Slot::Duration)),
                1 => format!(
                    "kind = \"travel\"\ndistance = {}\nspeed = {}\n",
                    b.value(Slot::Distance),
                    b.value(Slot::Speed)
                ),
                2 => format!(
                    "kind = \"delay\"\nduration = {}\nprobability = {}\n",
                    b.value(Slot::Duration),
                    b.value(Slot::Probability)
                ),
                _ => format!(
                    "kind = \"travel\"\nduration = {}\n",
                    b.value(Slot::Duration)
                ),
            };
            let not_before = match b.g.pick(6) {
                4 => format!("not_before = \"{}\"\n", b.g.of(&TIMES)),
                5 => format!(
                    "not_before = \"{}T{}\"\n",
                    b.g.of(&DATES),
                    b.g.of(&["07:00", "02:30"])
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                steps,
                "[[steps]]\nfrom = \"m{from}\"\nto = \"m{m}\"\n{route}{body}{not_before}"
            );
        }
    }
    let mut deadlines = String::new();
    for d in 0..b.g.pick(3) {
        let m = starts + b.g.pick(n - starts);
        let zone = if b.g.chance(3) {
            format!("zone = \"{}\"\n", b.g.of(&ZONES))
        } else {
            String::new()
        };
        let _ = writeln!(
            deadlines,
            "[deadlines.d{d}]\nmilestone = \"m{m}\"\nat = \"{}T{}\"\n{zone}",
            b.g.of(&DATES),
            b.g.of(&["12:00", "02:30", "23:59"])
        );
    }
    let mut text = format!(
        "[scenario]\nname = \"property\"\nzone = \"{}\"\ntrials = {TRIALS}\nseed = {}\n\n",
        b.g.of(&ZONES),
        b.g.pick(1000)
    );
    text.push_str("[inputs]\n");
    for (name, table, _) in &b.inputs {
        let _ = writeln!(text, "{name} = {table}");
    }
    // Rank correlations between pairs of named step inputs that vary (never a start date; a
    // correlation with an input that never varies is refused, and the bad-input corpus has it).
    let constant = |table: &str| {
        table.contains("\"fixed\"") || table.contains("p = 0 ") || table.contains("p = 1 ")
    };
    let correlatable: Vec<&str> = b
        .inputs
        .iter()
        .filter(|(_, table, slot)| *slot != Slot::Date && !constant(table))
        .map(|(name, _, _)| name.as_str())
        .collect();
    let mut correlations = String::new();
    if correlatable.len() >= 2 && b.g.chance(2) {
        let rank = b.g.of(&[0.5, -0.7, 0.95]);
        let _ = writeln!(
            correlations,
            "[[correlations]]\ninputs = [\"{}\", \"{}\"]\nrank = {rank}\n",
            correlatable[0], correlatable[1]
        );
    }
    if !routes.is_empty() {
        text.push_str("\n[routes]\n");
        for (r, p) in routes.iter().enumerate() {
            let _ = writeln!(text, "r{r} = {{ probability = {p} }}");
        }
    }
    text.push('\n');
    text.push_str(&milestones);
    text.push_str(&steps);
    text.push_str(&deadlines);
    text.push_str(&correlations);
    Scenario { text }
}

fn compile(text: &str) -> Model {
    let source = Source {
        path: "property.toml".into(),
        text: text.into(),
    };
    let raw = source.parse().unwrap_or_else(|d| {
        panic!(
            "generated scenario does not parse:\n{}\n{text}",
            d.render("property.toml", text, false)
        )
    });
    model::compile(&raw).unwrap_or_else(|d| {
        panic!(
            "generated scenario does not compile:\n{}\n{text}",
            d.render("property.toml", text, false)
        )
    })
}

fn in_unit_interval(p: f64, what: &str) -> Result<(), TestCaseError> {
    prop_assert!((0.0..=1.0).contains(&p), "{what} = {p} is outside [0, 1]");
    Ok(())
}

fn interval_holds(p: f64, [lo, hi]: [f64; 2], what: &str) -> Result<(), TestCaseError> {
    in_unit_interval(lo, what)?;
    in_unit_interval(hi, what)?;
    prop_assert!(
        lo <= p && p <= hi,
        "{what}: {p} is outside its interval [{lo}, {hi}]"
    );
    Ok(())
}

/// Per trial: a reached milestone is reached at a finite instant, exactly when one of its steps
/// is active, and not before the steps that lead to it start.
fn check_trials(model: &Model, seed: u64) -> Result<(), TestCaseError> {
    let mut ws = Workspace::new(model);
    for chunk in 0..TRIALS.div_ceil(engine::CHUNK as u64) {
        let len = (TRIALS - chunk * engine::CHUNK as u64).min(engine::CHUNK as u64) as usize;
        ws.simulate(model, seed, chunk, len);
        for (m, milestone) in model.milestones.iter().enumerate() {
            for i in 0..ws.len {
                let t = ws.times[m][i];
                if milestone.start.is_some() {
                    prop_assert!(t.is_finite(), "start m{m} trial {i}: {t}");
                    continue;
                }
                let active: Vec<f64> = model.incoming[m]
                    .iter()
                    .map(|&s| &model.steps[s])
                    .filter(|s| s.route.is_none_or(|r| r == usize::from(ws.route[i])))
                    .map(|s| ws.times[s.from][i])
                    .filter(|from| !from.is_nan())
                    .collect();
                if active.is_empty() {
                    prop_assert!(t.is_nan(), "m{m} reached in trial {i} with no active step");
                    continue;
                }
                prop_assert!(t.is_finite(), "m{m} trial {i}: time {t}");
                let bound = match milestone.wait_for {
                    // A join finishes after every active step has started.
                    WaitFor::All => active.iter().copied().fold(f64::MIN, f64::max),
                    // A race finishes after its first step has started, at least.
                    WaitFor::First => active.iter().copied().fold(f64::MAX, f64::min),
                };
                prop_assert!(
                    t >= bound,
                    "m{m} trial {i}: reached at {t}, before its step starts at {bound}"
                );
            }
        }
    }
    Ok(())
}

fn check_summary(model: &Model, s: &Summary, results: &RunResults) -> Result<(), TestCaseError> {
    for r in &s.routes {
        interval_holds(r.share, r.ci95, &format!("route {} share", r.name))?;
    }
    for (m, ms) in s.milestones.iter().enumerate() {
        interval_holds(ms.reached, ms.reached_ci95, &format!("{} reached", ms.id))?;
        let Some(sec) = results.milestones[m].times else {
            prop_assert!(ms.reached == 0.0, "{} reached but has no times", ms.id);
            continue;
        };
        for (k, q) in sec.quantiles.iter().enumerate() {
            prop_assert!(q.is_finite(), "{} percentile {k} = {q}", ms.id);
            let (lo, hi) = sec.quantiles_ci95[k];
            prop_assert!(
                lo <= *q && *q <= hi,
                "{} percentile {k}: {q} outside its interval [{lo}, {hi}]",
                ms.id
            );
        }
        for w in sec.quantiles.windows(2) {
            prop_assert!(
                w[0] <= w[1],
                "{} percentiles out of order: {:?}",
                ms.id,
                sec.quantiles
            );
        }
        prop_assert!(sec.mean.is_finite(), "{} mean {}", ms.id, sec.mean);
        // A join reached in every trial is not reached before a predecessor that is also
        // reached in every trial: per-trial order carries over to every percentile.
        if ms.reached == 1.0 && model.milestones[m].wait_for == WaitFor::All {
            for &step in &model.incoming[m] {
                let step = &model.steps[step];
                let from = &s.milestones[step.from];
                if step.route.is_none()
                    && from.reached == 1.0
                    && let Some(f) = results.milestones[step.from].times
                {
                    prop_assert!(
                        sec.quantiles[0] >= f.quantiles[0],
                        "{} P5 {} is before its predecessor {}'s P5 {}",
                        ms.id,
                        sec.quantiles[0],
                        from.id,
                        f.quantiles[0]
                    );
                }
            }
        }
    }
    for d in &s.deadlines {
        interval_holds(d.probability, d.ci95, &format!("deadline {}", d.id))?;
        let reached = s
            .milestones
            .iter()
            .find(|m| m.id == d.milestone)
            .map_or(0.0, |m| m.reached);
        prop_assert!(
            d.probability <= reached + 1e-12,
            "deadline {} made more often ({}) than its milestone is reached ({reached})",
            d.id,
            d.probability
        );
        for r in &d.by_route {
            interval_holds(
                r.probability,
                r.ci95,
                &format!("deadline {} on {}", d.id, r.route),
            )?;
        }
    }
    Ok(())
}

proptest! {
    // 64 cases by default (a few seconds in debug); PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_valid_scenarios_keep_the_invariants(genes in prop::collection::vec(any::<u32>(), 400)) {
        let sc = scenario(&genes);
        let model = compile(&sc.text);
        let options = RunOptions {
            threads: 1,
            keep_trials: TRIALS,
            sample_milestone: None,
            ..RunOptions::new(TRIALS, model.default_seed)
        };
        let tally = engine::run(&model, &options, None)
            .unwrap_or_else(|e| panic!("run failed: {e}\n{}", sc.text));
        prop_assert_eq!(tally.trials, TRIALS);
        let results = RunResults::new(&model, &tally);
        let summary = Summary::new(&model, "property.toml", &results, &model.display_zone);
        check_summary(&model, &summary, &results).map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- scenario ---\n{}", sc.text))
        })?;
        check_trials(&model, model.default_seed).map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- scenario ---\n{}", sc.text))
        })?;
    }
}

/// The generator itself: the all-zero genes give the simplest scenario, and it is valid.
#[test]
fn simplest_generated_scenario_is_valid() {
    let sc = scenario(&[]);
    let model = compile(&sc.text);
    assert_eq!(model.milestones.len(), 2, "{}", sc.text);
}
