//! Per-trial cost of the engine: the flagship, generated chains of 10, 100 and 1,000 steps, and
//! each sampler. Run with `cargo bench`; divan prints the time per chunk of 2,048 trials (or
//! draws), so ns per trial is that time divided by 2,048.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // benchmark set-up

use divan::{Bencher, black_box};
use eta::distribution::{Dist, Family, StreamRng};
use eta::engine::{CHUNK, Workspace};
use eta::model::{self, Model};
use eta::scenario::Source;
use rand::SeedableRng;

fn main() {
    divan::main();
}

fn compile(text: &str) -> Model {
    let raw = Source {
        path: "bench.toml".into(),
        text: text.into(),
    }
    .parse()
    .unwrap();
    model::compile(&raw).unwrap()
}

/// A chain of `steps` steps alternating travel (PERT speed), dwell (triangular) and delay events,
/// each with its own inputs, so the cost grows with the step count as a real scenario's would.
pub fn chain(steps: usize) -> String {
    let mut text =
        String::from("[scenario]\nname = \"chain\"\nzone = \"Europe/Berlin\"\n[inputs]\n");
    for i in 0..steps {
        text.push_str(&format!(
            "v{i} = {{ dist = \"pert\", min = 30, mode = 50, max = 70, unit = \"km/h\" }}\nd{i} = {{ dist = \"triangular\", min = \"5 min\", mode = \"10 min\", max = \"30 min\" }}\n"
        ));
    }
    text.push_str("[milestones.m0]\nstart = { date = \"2023-09-10\", time = \"08:00\" }\n");
    for i in 1..=steps {
        text.push_str(&format!("[milestones.m{i}]\n"));
    }
    for i in 0..steps {
        let body = match i % 3 {
            0 => format!("kind = \"travel\"\ndistance = \"40 km\"\nspeed = \"v{i}\""),
            1 => format!("kind = \"dwell\"\nduration = \"d{i}\""),
            _ => format!("kind = \"delay\"\nprobability = 0.2\nduration = \"d{i}\""),
        };
        text.push_str(&format!(
            "[[steps]]\nfrom = \"m{i}\"\nto = \"m{}\"\n{body}\n",
            i + 1
        ));
    }
    text
}

#[divan::bench(name = "flagship: one chunk of 2048 trials")]
fn flagship(bencher: Bencher) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/kim-eef-2023.toml"
    ))
    .unwrap();
    let model = compile(&text);
    let mut ws = Workspace::new(&model);
    let mut chunk = 0;
    bencher
        .counter(divan::counter::ItemsCount::new(CHUNK))
        .bench_local(|| {
            chunk += 1;
            ws.simulate(&model, 7, black_box(chunk), CHUNK);
        });
}

#[divan::bench(name = "chain: one chunk of 2048 trials", args = [10, 100, 1000])]
fn chain_steps(bencher: Bencher, steps: usize) {
    let model = compile(&chain(steps));
    let mut ws = Workspace::new(&model);
    let mut chunk = 0;
    bencher
        .counter(divan::counter::ItemsCount::new(CHUNK))
        .bench_local(|| {
            chunk += 1;
            ws.simulate(&model, 7, black_box(chunk), CHUNK);
        });
}

fn families() -> Vec<(&'static str, Family)> {
    vec![
        ("uniform", Family::Uniform { min: 0.0, max: 1.0 }),
        ("normal", Family::Normal { mean: 0.0, sd: 1.0 }),
        (
            "lognormal",
            Family::LogNormal {
                mu: 0.0,
                sigma: 0.5,
            },
        ),
        (
            "triangular",
            Family::Triangular {
                min: 0.0,
                mode: 0.3,
                max: 1.0,
            },
        ),
        (
            "pert",
            Family::Pert {
                min: 0.0,
                mode: 0.3,
                max: 1.0,
                lambda: 4.0,
            },
        ),
        (
            "beta",
            Family::Beta {
                alpha: 2.0,
                beta: 5.0,
                min: 0.0,
                max: 1.0,
            },
        ),
        ("exponential", Family::Exponential { mean: 1.0 }),
        (
            "gamma",
            Family::Gamma {
                shape: 3.0,
                scale: 1.0,
            },
        ),
        (
            "weibull",
            Family::Weibull {
                shape: 1.5,
                scale: 1.0,
            },
        ),
        ("bernoulli", Family::Bernoulli { p: 0.3 }),
        (
            "choice",
            Family::Choice {
                values: vec![1.0, 2.0, 3.0],
                weights: vec![0.2, 0.3, 0.5],
            },
        ),
        (
            "empirical",
            Family::Empirical {
                values: (0..100).map(f64::from).collect(),
            },
        ),
    ]
}

#[divan::bench(name = "sampler: 2048 draws", args = ["uniform", "normal", "lognormal", "triangular", "pert", "beta", "exponential", "gamma", "weibull", "bernoulli", "choice", "empirical"])]
fn sampler(bencher: Bencher, family: &str) {
    let f = families()
        .into_iter()
        .find(|(n, _)| *n == family)
        .unwrap()
        .1;
    let dist = Dist::new(f, None, None).unwrap();
    let mut rng = StreamRng::seed_from_u64(1);
    let mut out = vec![0.0; CHUNK];
    bencher
        .counter(divan::counter::ItemsCount::new(CHUNK))
        .bench_local(|| dist.fill(&mut rng, black_box(&mut out)));
}
