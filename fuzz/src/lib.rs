//! What the fuzz targets share: the pipeline every input goes through (UTF-8 check, parse,
//! compile, a 100-trial run, the reports) and the structure-aware mutator.
//!
//! Nothing here may panic on its own: a panic means eta panicked.

use eta::analysis::RunResults;
use eta::engine::{self, RunOptions};
use eta::model;
use eta::report::{Summary, console, outline};
use eta::scenario::Source;

const PATH: &str = "fuzz.toml";

/// Bytes as a scenario file: refused if not UTF-8 (as `Source::read` does), else the pipeline.
pub fn bytes(data: &[u8]) {
    match std::str::from_utf8(data) {
        Ok(text) => pipeline(text),
        Err(_) => {
            // What `Source::read` shows: the text with the bad bytes replaced.
            let _ = String::from_utf8_lossy(data);
        }
    }
}

/// Parse, compile, render any error, run 100 trials and render the results.
pub fn pipeline(text: &str) {
    let source = Source {
        path: PATH.into(),
        text: text.into(),
    };
    let raw = match source.parse() {
        Ok(raw) => raw,
        Err(d) => {
            let _ = d.render(PATH, text, false);
            let _ = d.line_col(text);
            return;
        }
    };
    let model = match model::compile(&raw) {
        Ok(model) => model,
        Err(d) => {
            let _ = d.render(PATH, text, false);
            let _ = d.line_col(text);
            return;
        }
    };
    let _ = outline::render(&model, PATH);
    let options = RunOptions {
        threads: 1,
        keep_trials: 100,
        ..RunOptions::new(100, model.default_seed)
    };
    match engine::run(&model, &options, None) {
        Ok(tally) => {
            let results = RunResults::new(&model, &tally);
            let summary = Summary::new(&model, PATH, &results, &model.display_zone);
            let _ = summary.to_json();
            let facts = console::RunFacts {
                seconds: 0.0,
                threads: 1,
                precision: None,
            };
            let _ = console::render(&model, PATH, &results, &model.display_zone, &facts);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Valid scenarios to mutate: the shipped examples and two small ones.
pub const SCENARIOS: [&str; 6] = [
    include_str!("../../scenarios/kim-eef-2023.toml"),
    include_str!("../../scenarios/kim-vladivostok-2019.toml"),
    include_str!("../../scenarios/client-meeting-munich.toml"),
    include_str!("../../scenarios/container-shanghai-duisburg.toml"),
    SMALL,
    JOIN,
];

const SMALL: &str = r#"[scenario]
name = "small"
zone = "Asia/Vladivostok"
trials = 1000

[inputs]
speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" }
ceremony = { dist = "triangular", min = "40 min", mode = "1h", max = "2h" }
late = { dist = "bernoulli", p = 0.3 }

[routes]
main = { probability = 0.75 }
other = { probability = 0.25 }

[milestones.home]
zone = "Asia/Pyongyang"
start = { date = "2023-09-10", time = "06:00" }

[milestones.border]

[milestones.arrival]

[[steps]]
from = "home"
to = "border"
kind = "travel"
distance = "870 km"
speed = "speed"

[[steps]]
from = "border"
to = "arrival"
kind = "dwell"
duration = "ceremony"
not_before = "08:00"

[[steps]]
from = "border"
to = "arrival"
kind = "delay"
route = "other"
duration = { dist = "lognormal", mean = 3, sd = 2, unit = "h", upper = 48 }
probability = "late"

[deadlines.plenary]
milestone = "arrival"
at = "2023-09-12T15:00"
"#;

const JOIN: &str = r#"[scenario]
name = "join"
zone = "Europe/Berlin"
seed = 3

[inputs]
day = { dist = "choice", values = ["2023-03-26", "2023-10-29"], weights = [0.5, 0.5] }
t = { dist = "uniform", min = "01:30", max = "03:30" }
g = { dist = "gamma", shape = 2, mean = "1 h" }
w = { dist = "weibull", shape = 1.5, scale = 2, unit = "h" }
bt = { dist = "beta", alpha = 2, beta = 3, min = 0, max = 4, unit = "h" }
p = { dist = "pert", min = 1, mode = 2, max = 5, unit = "h", lambda = 3 }
x = { dist = "exponential", rate = 2, unit = "h", upper = 10 }
e = { dist = "empirical", values = ["10 min", "20 min", "1 h"] }
n = { dist = "normal", mean = "1 h", sd = "20 min", lower = "0 min" }
q = { dist = "lognormal", mu = 0, sigma = 0.5, unit = "h" }
k = { dist = "pert", p10 = "40 min", p50 = "50 min", p90 = "65 min" }
v = { dist = "lognormal", between = ["20 min", "3 h"] }
mx = { dist = "mixture", unit = "h", upper = 20, components = [{ weight = 0.7, dist = "pert", min = 1, mode = 2, max = 5 }, { weight = 0.3, dist = "lognormal", p50 = "6h", p90 = "9h" }] }
ml = { dist = "metalog", min = "0 min", terms = 3, quantiles = [[0.05, "20 min"], [0.5, "50 min"], [0.9, "3h"], [0.99, "9h"]] }

[milestones.a]
start = { date = "day", time = "t" }

[milestones.b]
zone = "UTC"
start = { date = "2023-03-26", time = "02:30" }

[milestones.c]
wait_for = "all"

[milestones.d]
wait_for = "first"

[[steps]]
from = "a"
to = "c"
kind = "dwell"
duration = "g"

[[steps]]
from = "b"
to = "c"
kind = "travel"
duration = "w"
not_before = "2023-03-26T05:00"

[[steps]]
from = "c"
to = "d"
kind = "dwell"
duration = "bt"

[[steps]]
from = "c"
to = "d"
kind = "dwell"
duration = "p"

[[steps]]
from = "a"
to = "d"
kind = "delay"
duration = "x"
probability = 0.5

[[steps]]
from = "b"
to = "d"
kind = "travel"
duration = { dist = "fixed", value = "1d 2h" }

[[steps]]
from = "c"
to = "d"
kind = "dwell"
duration = "k"

[[steps]]
from = "a"
to = "d"
kind = "travel"
duration = "v"

[[correlations]]
inputs = ["g", "w"]
rank = 0.6

[[correlations]]
inputs = ["bt", "p"]
rank = -0.4

[deadlines.by_noon]
milestone = "d"
at = "2023-03-26T12:00"
zone = "Asia/Kolkata"
"#;

/// Reads mutation choices from the fuzzer's bytes; past the end every choice is 0.
struct Guide<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Guide<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = usize::from(self.byte()) << 8 | usize::from(self.byte());
        v % n
    }
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

const NUMBERS: [&str; 24] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "nan",
    "inf",
    "-inf",
    "1e-308",
    "5e-324",
    "-0.0",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1e15",
    "256",
    "257",
    "0.5",
    "1.0000000001",
    "2",
    "1e9",
    "0.000001",
    "10000000000",
    "3",
];

const STRINGS: [&str; 42] = [
    "mixture",
    "metalog",
    "",
    " ",
    "0 km/h",
    "-5 km",
    "1e308 km",
    "1e308 m/s",
    "1e-300 km/h",
    "1e15 km",
    "nan km",
    "inf h",
    "2023-02-29",
    "2024-02-29",
    "9999-12-31",
    "0000-01-01",
    "-9999-01-01",
    "24:00",
    "23:59:60",
    "02:30",
    "2023-03-26T02:30",
    "2023-10-29T02:30",
    "9999-12-31T23:59",
    "2023-09-12T15:00+10:00",
    "Europe/Berlin",
    "UTC",
    "Asia/Vladivostok",
    "Etc/GMT+12",
    "first",
    "all",
    "travel",
    "dwell",
    "delay",
    "uniform",
    "normal",
    "choice",
    "empirical",
    "1h30m",
    "1d 6h",
    "30 m",
    "h",
    "\u{e9}\u{1f686}",
];

const KEYS: [&str; 46] = [
    "components",
    "weight",
    "quantiles",
    "terms",
    "p10",
    "p50",
    "p90",
    "between",
    "rank",
    "inputs",
    "name",
    "zone",
    "trials",
    "seed",
    "dist",
    "unit",
    "value",
    "min",
    "max",
    "mode",
    "mean",
    "sd",
    "mu",
    "sigma",
    "lambda",
    "alpha",
    "beta",
    "rate",
    "shape",
    "scale",
    "p",
    "values",
    "weights",
    "lower",
    "upper",
    "probability",
    "label",
    "start",
    "wait_for",
    "from",
    "to",
    "kind",
    "route",
    "distance",
    "speed",
    "not_before",
];

const SNIPPETS: [&str; 21] = [
    "mx = { dist = \"mixture\", components = [{ weight = 1, dist = \"metalog\", p10 = 1, p50 = 2, p90 = 9 }] }",
    "quantiles = [[0.5, \"1 h\"], [0.999, \"9 h\"]]",
    "components = [{ weight = 0.5, dist = \"fixed\", value = 0 }, { weight = 0.5, dist = \"exponential\", mean = 2 }]",
    "[[correlations]]\ninputs = [\"g\", \"w\"]\nrank = 0.9",
    "between = [\"1 h\", \"2 h\"]",
    "[milestones.zz]",
    "[[steps]]\nfrom = \"zz\"\nto = \"zz\"\nkind = \"dwell\"\nduration = \"1 h\"",
    "wait_for = \"first\"",
    "not_before = \"02:30\"",
    "route = \"other\"",
    "[routes]\nx = { probability = 1 }",
    "zone = \"Europe/Berlin\"",
    "trials = 1",
    "lower = \"0 min\"",
    "upper = 1e308",
    "[deadlines.zz]\nmilestone = \"zz\"\nat = \"2023-09-12T15:00\"",
    "[inputs]",
    "[scenario]",
    "start = { date = \"2023-09-10\", time = \"06:00\" }",
    "weights = [0.5, 0.5]",
    "[variants.v]\nset = { speed = 3 }",
];

/// Byte ranges of the tokens of `text` that `is_token` starts and continues.
fn spans(
    text: &str,
    starts: impl Fn(char) -> bool,
    continues: impl Fn(char) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if starts(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !continues(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push((i, end));
        }
    }
    out
}

/// The contents of the double-quoted strings of `text` (without the quotes).
fn strings(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) => open = Some(i + 1),
            ('"', Some(start)) => {
                out.push((start, i));
                open = None;
            }
            ('\n', Some(_)) => open = None,
            _ => {}
        }
    }
    out
}

fn replace(text: &mut String, (start, end): (usize, usize), with: &str) {
    if text.is_char_boundary(start) && text.is_char_boundary(end) && start <= end {
        text.replace_range(start..end, with);
    }
}

/// Applies 1 to 8 structure-aware mutations, chosen by `guide`, to `base`.
pub fn mutate(base: &str, guide: &[u8]) -> String {
    let mut g = Guide {
        bytes: guide,
        at: 0,
    };
    let mut text = base.to_owned();
    let rounds = 1 + g.below(8);
    for _ in 0..rounds {
        if g.done() && text != base {
            break;
        }
        match g.below(11) {
            0 => {
                // Replace a number with an interesting one.
                let numbers = spans(
                    &text,
                    |c| c.is_ascii_digit(),
                    |c| c.is_ascii_digit() || matches!(c, '.' | '_' | 'e' | 'E'),
                );
                if !numbers.is_empty() {
                    let at = numbers[g.below(numbers.len())];
                    let with = NUMBERS[g.below(NUMBERS.len())];
                    replace(&mut text, at, with);
                }
            }
            1 => {
                // Delete a line.
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    lines.remove(g.below(lines.len()));
                }
                text = lines.join("\n");
            }
            2 => {
                // Swap two lines.
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let (a, b) = (g.below(lines.len()), g.below(lines.len()));
                    lines.swap(a, b);
                }
                text = lines.join("\n");
            }
            3 => {
                // Duplicate a line somewhere else.
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let line = lines[g.below(lines.len())];
                    let at = g.below(lines.len() + 1);
                    lines.insert(at, line);
                }
                text = lines.join("\n");
            }
            4 => {
                // Change a key to another known key.
                let keys: Vec<(usize, usize)> = text
                    .lines()
                    .scan(0, |offset, line| {
                        let start = *offset;
                        *offset += line.len() + 1;
                        Some((start, line))
                    })
                    .filter_map(|(start, line)| {
                        let end = line.find(" =")?;
                        let key = &line[..end];
                        (!key.is_empty()
                            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                        .then_some((start, start + end))
                    })
                    .collect();
                if !keys.is_empty() {
                    let at = keys[g.below(keys.len())];
                    let with = KEYS[g.below(KEYS.len())];
                    replace(&mut text, at, with);
                }
            }
            5 => {
                // Replace a string's contents with an interesting one.
                let found = strings(&text);
                if !found.is_empty() {
                    let at = found[g.below(found.len())];
                    let with = STRINGS[g.below(STRINGS.len())];
                    replace(&mut text, at, with);
                }
            }
            6 => {
                // Replace a string with another string of the file (names cross-wired: cycles,
                // self-loops, wrong kinds).
                let found = strings(&text);
                if found.len() >= 2 {
                    let from = found[g.below(found.len())];
                    let to = found[g.below(found.len())];
                    let with = text.get(from.0..from.1).unwrap_or("").to_owned();
                    replace(&mut text, to, &with);
                }
            }
            7 => {
                // Insert a snippet as a new line.
                let mut lines: Vec<&str> = text.lines().collect();
                let at = g.below(lines.len() + 1);
                lines.insert(at, SNIPPETS[g.below(SNIPPETS.len())]);
                text = lines.join("\n");
            }
            8 => {
                // Insert, delete or overwrite one character.
                let boundaries: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let at = boundaries[g.below(boundaries.len())];
                let c = char::from(g.byte() % 96 + 32);
                match g.below(3) {
                    0 => text.insert(at, c),
                    1 if at < text.len() => {
                        text.remove(at);
                    }
                    _ if at < text.len() => {
                        text.remove(at);
                        text.insert(at, c);
                    }
                    _ => text.push(c),
                }
            }
            9 => {
                // Cut the file short.
                let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                if !boundaries.is_empty() {
                    let at = boundaries[g.below(boundaries.len())];
                    text.truncate(at);
                }
            }
            _ => {
                // Copy a whole block ([header] to the next blank line) to the end.
                let blocks: Vec<&str> = text.split("\n\n").collect();
                if !blocks.is_empty() {
                    let block = blocks[g.below(blocks.len())].to_owned();
                    text.push_str("\n\n");
                    text.push_str(&block);
                }
            }
        }
    }
    text
}

/// The structure-aware target: `base NUL guide` mutates `base` (if it is UTF-8); otherwise the
/// first bytes pick an embedded scenario and the rest guide the mutations.
pub fn structured(data: &[u8]) {
    let (base, guide) = match data.iter().position(|&b| b == 0) {
        Some(nul) => match std::str::from_utf8(&data[..nul]) {
            Ok(base) => (base, &data[nul + 1..]),
            Err(_) => return,
        },
        None => {
            let pick = usize::from(data.first().copied().unwrap_or(0)) % SCENARIOS.len();
            (SCENARIOS[pick], data.get(1..).unwrap_or(&[]))
        }
    };
    pipeline(&mutate(base, guide));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_scenarios_are_valid() {
        for text in SCENARIOS {
            let source = Source {
                path: PATH.into(),
                text: text.into(),
            };
            let raw = source
                .parse()
                .map_err(|d| d.render(PATH, text, false))
                .unwrap();
            model::compile(&raw)
                .map_err(|d| d.render(PATH, text, false))
                .unwrap();
        }
    }

    #[test]
    fn mutations_change_the_text_and_never_panic() {
        let mut changed = 0;
        for seed in 0u32..2000 {
            let guide: Vec<u8> = (0..40)
                .map(|i| (seed.wrapping_mul(2_654_435_761).wrapping_add(i * 40_503) >> 13) as u8)
                .collect();
            let base = SCENARIOS[seed as usize % SCENARIOS.len()];
            let text = mutate(base, &guide);
            changed += usize::from(text != base);
        }
        assert!(
            changed > 1500,
            "only {changed} of 2000 mutations changed the text"
        );
    }
}
