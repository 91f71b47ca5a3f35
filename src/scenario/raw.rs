//! The scenario file as written: flat serde structs that reject unknown keys and keep the byte
//! span of every value that is checked later, so later errors can point at it.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;
use toml::{Spanned, Value};

pub type Table<T> = IndexMap<Spanned<String>, Spanned<T>>;

/// A metalog's `[[probability, value], ...]`, each item with its span.
pub type RawQuantiles = Vec<Spanned<Vec<Spanned<Value>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: Spanned<RawMeta>,
    #[serde(default)]
    pub inputs: Table<RawDist>,
    #[serde(default)]
    pub routes: Table<RawRoute>,
    #[serde(default)]
    pub milestones: Table<RawMilestone>,
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
    #[serde(default)]
    pub deadlines: Table<RawDeadline>,
    /// Rank correlations between named inputs.
    #[serde(default)]
    pub correlations: Vec<Spanned<RawCorrelation>>,
    /// What-if variants: each a set of overrides (applied by `overrides`, not by the compiler).
    #[serde(default)]
    pub variants: Table<RawVariant>,
    /// What actually happened, for scoring the forecast (`eta score`).
    #[serde(default)]
    pub observed: Option<Spanned<RawObserved>>,
    /// Working calendars that steps may count their durations in.
    #[serde(default)]
    pub calendars: Table<RawCalendar>,
    /// Forks: at a milestone, each trial takes one branch, decided by its state or by chance.
    #[serde(default)]
    pub forks: Table<RawFork>,
}

/// `[observed]`: what has been seen. `eta run` conditions its forecast on it (unless
/// `condition = false`); `eta score` scores the forecast as written against it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObserved {
    /// False: these are outcomes for `eta score` only, and `eta run` ignores them.
    #[serde(default)]
    pub condition: Option<Spanned<bool>>,
    /// The route taken.
    #[serde(default)]
    pub route: Option<Spanned<String>>,
    /// Milestone id -> when it was reached (or that it was not yet reached by a time).
    #[serde(default)]
    pub milestones: Table<RawObservation>,
    /// Fork name -> the branch taken.
    #[serde(default)]
    pub branches: Table<String>,
    /// Delay step label -> whether it happened.
    #[serde(default)]
    pub events: Table<bool>,
    /// Input name -> the value it turned out to have.
    #[serde(default)]
    pub inputs: Table<Value>,
}

/// One milestone's observation, read in `zone` (default: the milestone's): reached `at` a local
/// date-time (exactly, or `within` a half-width, or with a normal error of `sd`), or not yet
/// reached by `not_by`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObservation {
    #[serde(default)]
    pub at: Option<Spanned<String>>,
    #[serde(default)]
    pub within: Option<Spanned<String>>,
    #[serde(default)]
    pub sd: Option<Spanned<String>>,
    #[serde(default)]
    pub not_by: Option<Spanned<String>>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
}

/// A file given with `--observed`: an `[observed]` table and nothing else.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObservationFile {
    pub observed: Spanned<RawObserved>,
}

/// A working calendar: weekly hours, a zone, holidays and a chance of losing a working day.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default)]
    pub description: Option<String>,
    pub hours: Spanned<RawWindows>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
    #[serde(default)]
    pub holidays: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub lost_day: Option<Spanned<Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub inputs: Spanned<Vec<Spanned<String>>>,
    pub rank: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    #[serde(default)]
    pub description: Option<String>,
    /// Override path -> value (kept as written; applied by `overrides`). Keys keep their spans so
    /// a path that names nothing is reported where it is written.
    pub set: IndexMap<Spanned<String>, Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub zone: Spanned<String>,
    #[serde(default)]
    pub trials: Option<Spanned<i64>>,
    #[serde(default)]
    pub seed: Option<Spanned<i64>>,
}

/// An uncertain input. Parameters stay as TOML values because each may be a number (in `unit`)
/// or a string with its own unit; which keys are allowed depends on `dist`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: Spanned<String>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub value: Option<Spanned<Value>>,
    #[serde(default)]
    pub min: Option<Spanned<Value>>,
    #[serde(default)]
    pub max: Option<Spanned<Value>>,
    #[serde(default)]
    pub mode: Option<Spanned<Value>>,
    #[serde(default)]
    pub mean: Option<Spanned<Value>>,
    #[serde(default)]
    pub sd: Option<Spanned<Value>>,
    #[serde(default)]
    pub mu: Option<Spanned<Value>>,
    #[serde(default)]
    pub sigma: Option<Spanned<Value>>,
    #[serde(default)]
    pub lambda: Option<Spanned<Value>>,
    #[serde(default)]
    pub alpha: Option<Spanned<Value>>,
    #[serde(default)]
    pub beta: Option<Spanned<Value>>,
    #[serde(default)]
    pub rate: Option<Spanned<Value>>,
    #[serde(default)]
    pub shape: Option<Spanned<Value>>,
    #[serde(default)]
    pub scale: Option<Spanned<Value>>,
    #[serde(default)]
    pub p: Option<Spanned<Value>>,
    #[serde(default)]
    pub values: Option<Spanned<Vec<Spanned<Value>>>>,
    #[serde(default)]
    pub weights: Option<Spanned<Vec<Spanned<Value>>>>,
    #[serde(default)]
    pub lower: Option<Spanned<Value>>,
    #[serde(default)]
    pub upper: Option<Spanned<Value>>,
    /// An expert's quantiles, from which eta fits the family's parameters.
    #[serde(default)]
    pub p10: Option<Spanned<Value>>,
    #[serde(default)]
    pub p50: Option<Spanned<Value>>,
    #[serde(default)]
    pub p90: Option<Spanned<Value>>,
    /// "90% between A and B": the 5th and 95th percentiles.
    #[serde(default)]
    pub between: Option<Spanned<Vec<Spanned<Value>>>>,
    /// A metalog's quantiles beside or instead of p10/p50/p90: `[[probability, value], ...]`.
    #[serde(default)]
    pub quantiles: Option<Spanned<RawQuantiles>>,
    /// A metalog's number of terms.
    #[serde(default)]
    pub terms: Option<Spanned<Value>>,
    /// A mixture's components, each written like an input, with a `weight`.
    #[serde(default)]
    pub components: Option<Spanned<Vec<Spanned<RawDist>>>>,
    /// The weight of a mixture component (only allowed there).
    #[serde(default)]
    pub weight: Option<Spanned<Value>>,
    /// A conditional input's condition: the name of an input, or `route`.
    #[serde(default)]
    pub on: Option<Spanned<String>>,
    /// A conditional input's cases, each written like an input, with a `when`.
    #[serde(default)]
    pub cases: Option<Spanned<Vec<Spanned<RawDist>>>>,
    /// A conditional input's distribution for the values no case names.
    #[serde(default)]
    pub default: Option<Spanned<Box<RawDist>>>,
    /// The value of the condition a case of a conditional input applies to (only allowed there).
    #[serde(default)]
    pub when: Option<Spanned<Value>>,
}

/// One parameter of a [`RawDist`] as written, by the shape of its value.
#[derive(Debug, Clone, Copy)]
pub enum RawParam<'a> {
    Value(&'a Spanned<Value>),
    List(&'a Spanned<Vec<Spanned<Value>>>),
    Quantiles(&'a Spanned<RawQuantiles>),
    Components(&'a Spanned<Vec<Spanned<RawDist>>>),
}

impl<'a> RawParam<'a> {
    pub fn span(&self) -> std::ops::Range<usize> {
        match self {
            RawParam::Value(v) => v.span(),
            RawParam::List(v) => v.span(),
            RawParam::Quantiles(v) => v.span(),
            RawParam::Components(v) => v.span(),
        }
    }

    /// The values that are quantities: the value itself, a list's items, or the value of each
    /// `[probability, value]` pair.
    pub fn values(self) -> Vec<&'a Spanned<Value>> {
        match self {
            RawParam::Value(v) => vec![v],
            RawParam::List(v) => v.get_ref().iter().collect(),
            RawParam::Quantiles(v) => v
                .get_ref()
                .iter()
                .filter_map(|q| q.get_ref().get(1))
                .collect(),
            RawParam::Components(_) => Vec::new(),
        }
    }
}

impl RawDist {
    /// The parameters given, by key: the single values first, then the lists, each in field
    /// order (messages about the first key a family does not take follow this order). Which
    /// family takes which key, and what each means, is `distribution::families`; this only maps
    /// the fields to their names.
    pub fn given(&self) -> Vec<(&'static str, RawParam<'_>)> {
        let singles = [
            ("value", &self.value),
            ("min", &self.min),
            ("max", &self.max),
            ("mode", &self.mode),
            ("mean", &self.mean),
            ("sd", &self.sd),
            ("mu", &self.mu),
            ("sigma", &self.sigma),
            ("lambda", &self.lambda),
            ("alpha", &self.alpha),
            ("beta", &self.beta),
            ("rate", &self.rate),
            ("shape", &self.shape),
            ("scale", &self.scale),
            ("p", &self.p),
            ("lower", &self.lower),
            ("upper", &self.upper),
            ("p10", &self.p10),
            ("p50", &self.p50),
            ("p90", &self.p90),
            ("terms", &self.terms),
            ("weight", &self.weight),
        ];
        let mut out: Vec<(&'static str, RawParam<'_>)> = singles
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, RawParam::Value(v))))
            .collect();
        let lists = [
            ("values", &self.values),
            ("weights", &self.weights),
            ("between", &self.between),
        ];
        out.extend(
            lists
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| (k, RawParam::List(v)))),
        );
        if let Some(q) = &self.quantiles {
            out.push(("quantiles", RawParam::Quantiles(q)));
        }
        if let Some(c) = &self.components {
            out.push(("components", RawParam::Components(c)));
        }
        out
    }

    /// The parameter `key`, if given.
    pub fn param(&self, key: &str) -> Option<RawParam<'_>> {
        self.given()
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub probability: Spanned<Value>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
    #[serde(default)]
    pub start: Option<Spanned<RawStart>>,
    #[serde(default)]
    pub wait_for: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStart {
    pub date: Spanned<RawOperand>,
    pub time: Spanned<RawOperand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub route: Option<Spanned<String>>,
    #[serde(default)]
    pub distance: Option<Spanned<RawOperand>>,
    #[serde(default)]
    pub speed: Option<Spanned<RawOperand>>,
    #[serde(default)]
    pub duration: Option<Spanned<RawOperand>>,
    #[serde(default)]
    pub probability: Option<Spanned<RawOperand>>,
    #[serde(default)]
    pub not_before: Option<Spanned<String>>,
    /// Local windows the step may start in: one `"06:00-20:00"` or a list of them.
    #[serde(default)]
    pub window: Option<Spanned<RawWindows>>,
    /// Scheduled departures: the step leaves only at them.
    #[serde(default)]
    pub timetable: Option<Spanned<RawTimetable>>,
    /// The working calendar the step's duration is counted in.
    #[serde(default)]
    pub calendar: Option<Spanned<String>>,
    /// The fork branch (`"fork.branch"`) a trial must have taken for this step to apply.
    #[serde(default)]
    pub branch: Option<Spanned<String>>,
}

/// A step's `timetable`: listed departures or a headway, when they run, and how they fail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimetable {
    #[serde(default)]
    pub departures: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub every: Option<Spanned<String>>,
    #[serde(default)]
    pub first: Option<Spanned<String>>,
    #[serde(default)]
    pub last: Option<Spanned<String>>,
    #[serde(default)]
    pub days: Option<Spanned<String>>,
    #[serde(default)]
    pub dates: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
    #[serde(default)]
    pub cutoff: Option<Spanned<String>>,
    #[serde(default)]
    pub cancelled: Option<Spanned<Value>>,
    #[serde(default)]
    pub late: Option<Spanned<RawOperand>>,
    #[serde(default)]
    pub booked: Option<Spanned<String>>,
}

/// A step's `window`: one text or a list, each item with its span.
#[derive(Debug)]
pub enum RawWindows {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawWindows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WindowsVisitor;
        impl<'de> Visitor<'de> for WindowsVisitor {
            type Value = RawWindows;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a window such as \"06:00-20:00\" or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWindows, E> {
                Ok(RawWindows::One(v.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawWindows, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<String>>()? {
                    items.push(item);
                }
                Ok(RawWindows::Many(items))
            }
        }
        deserializer.deserialize_any(WindowsVisitor)
    }
}

/// A fork: at milestone `at`, each trial takes the first of `branches` that applies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFork {
    pub at: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub branches: Spanned<Vec<Spanned<RawBranch>>>,
}

/// One branch of a fork: taken when its `when` holds (if any) and, if it has a probability,
/// by chance; the last branch has neither (the way on for every other trial).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBranch {
    pub name: Spanned<String>,
    #[serde(default)]
    pub when: Option<Spanned<RawWhen>>,
    #[serde(default)]
    pub probability: Option<Spanned<RawBranchProbability>>,
}

/// A condition on the trial's state at a fork: exactly one key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWhen {
    /// The fork's milestone was reached before this local time of day (`"10:55"`, in the
    /// milestone's zone) or instant (`"2023-09-11T10:55"`).
    #[serde(default)]
    pub reached_before: Option<Spanned<String>>,
    /// ... at or after it.
    #[serde(default)]
    pub reached_after: Option<Spanned<String>>,
    /// The fork's milestone was reached later than another (upstream) milestone plus `by`.
    #[serde(default)]
    pub later_than: Option<Spanned<String>>,
    #[serde(default)]
    pub by: Option<Spanned<String>>,
    /// The trial took this route.
    #[serde(default)]
    pub route: Option<Spanned<String>>,
    /// This chance event happened: a bernoulli input (value 1) or a delay step's label.
    #[serde(default)]
    pub happened: Option<Spanned<String>>,
}

/// A branch's probability: a number, or one number when a condition holds and another when not.
#[derive(Debug)]
pub enum RawBranchProbability {
    Number(f64),
    Conditional(Box<RawConditionalProbability>),
}

impl<'de> Deserialize<'de> for RawBranchProbability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ProbabilityVisitor;
        impl<'de> Visitor<'de> for ProbabilityVisitor {
            type Value = RawBranchProbability;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number in [0, 1], or { when = { ... }, then = P, else = Q }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawBranchProbability, E> {
                Ok(RawBranchProbability::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawBranchProbability, E> {
                Ok(RawBranchProbability::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawBranchProbability, E> {
                Ok(RawBranchProbability::Number(v))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawBranchProbability, A::Error> {
                let p = RawConditionalProbability::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(RawBranchProbability::Conditional(Box::new(p)))
            }
        }
        deserializer.deserialize_any(ProbabilityVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionalProbability {
    pub when: Spanned<RawWhen>,
    pub then: Spanned<f64>,
    #[serde(rename = "else")]
    pub otherwise: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    #[serde(default)]
    pub label: Option<String>,
    pub milestone: Spanned<String>,
    pub at: Spanned<RawDeadlineAt>,
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
    /// What else the trial must satisfy to make the deadline, besides reaching the milestone.
    #[serde(default)]
    pub require: Option<Spanned<RawRequire>>,
}

/// A deadline's `at`: a local date and time, or a table `{ milestone = "...", offset = "..." }`
/// placing it relative to another milestone's time in the same trial.
#[derive(Debug)]
pub enum RawDeadlineAt {
    /// Its span is the enclosing `Spanned<RawDeadlineAt>`'s.
    Instant(String),
    Relative(RawRelativeAt),
}

/// `at = { milestone = "departure", offset = "-20 min" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelativeAt {
    pub milestone: Spanned<String>,
    pub offset: Spanned<String>,
}

impl<'de> Deserialize<'de> for RawDeadlineAt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AtVisitor;
        impl<'de> Visitor<'de> for AtVisitor {
            type Value = RawDeadlineAt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a local date and time such as \"2023-09-12T15:00\" or a table such as \
                     { milestone = \"departure\", offset = \"-20 min\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDeadlineAt, E> {
                Ok(RawDeadlineAt::Instant(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDeadlineAt, A::Error> {
                RawRelativeAt::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawDeadlineAt::Relative)
            }
        }
        deserializer.deserialize_any(AtVisitor)
    }
}

/// A deadline's extra condition: each key given must hold (a table so that more kinds of
/// condition can join `route` without changing how deadlines are written).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequire {
    /// The trial took this route.
    #[serde(default)]
    pub route: Option<Spanned<String>>,
    /// The trial took this fork branch (`"fork.branch"`).
    #[serde(default)]
    pub branch: Option<Spanned<String>>,
}

/// Where a step or start needs a value: the name of an input, a literal quantity string
/// (`"330 km"`), a bare number, or an inline distribution table.
#[derive(Debug)]
pub enum RawOperand {
    Text(String),
    Number(f64),
    Dist(Box<RawDist>),
}

impl<'de> Deserialize<'de> for RawOperand {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OperandVisitor;
        impl<'de> Visitor<'de> for OperandVisitor {
            type Value = RawOperand;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an input name, a quantity such as \"330 km\", a number, or a distribution table")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawOperand, E> {
                Ok(RawOperand::Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawOperand, E> {
                Ok(RawOperand::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawOperand, E> {
                Ok(RawOperand::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawOperand, E> {
                Ok(RawOperand::Number(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawOperand, A::Error> {
                let dist = RawDist::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawOperand::Dist(Box::new(dist)))
            }
        }
        deserializer.deserialize_any(OperandVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::families;

    /// Every key of the family table (and a component's `weight`) is a field of [`RawDist`],
    /// and [`RawDist::given`] names it.
    #[test]
    fn every_family_key_is_a_field() {
        let mut keys = families::all_keys();
        keys.push("weight");
        for key in keys {
            let value = match key {
                "values" | "weights" | "between" => "[1, 2]",
                "quantiles" => "[[0.5, 1]]",
                "components" => "[{ dist = \"fixed\", value = 1 }]",
                _ => "1",
            };
            let text = format!("dist = \"fixed\"\n{key} = {value}\n");
            let raw: RawDist = toml::from_str(&text).unwrap_or_else(|e| panic!("{key}: {e}"));
            let given: Vec<&str> = raw.given().iter().map(|(k, _)| *k).collect();
            assert_eq!(given, [key]);
        }
    }
}
