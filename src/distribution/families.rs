//! The distribution vocabulary, written once: one [`FamilySpec`] per family, giving its name as
//! scenario files write it, the keys it requires and allows, what each key means for units
//! (a [`FieldRole`]), how the model compiler builds the [`Family`] from the values it reads,
//! how `eta check` words it, and how a [`Family`] is written back as (key, value) pairs.
//!
//! Everything that lists families or their keys reads this table: the compiler's key checks and
//! unit handling, the outline, `eta fit`'s printing and the fuzzer's vocabulary. Adding a family
//! means its [`Family`] variant, its sampler (in `sampler`) and one entry here (and, if it
//! brings a new key, that key's field in the scenario's raw `RawDist`).

use super::{Family, ParamError};
use crate::diag::Diagnostic;
use crate::quantity::Kind;

/// What a key's value is, for units: the compiler reads it in these terms, and the outline and
/// `eta fit` write it back in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// A value of the input's own kind, in its unit (`min`, `mean`, `p50`, `values`).
    Location,
    /// A width of the input's kind, in its unit; for dates and times of day, a duration (`sd`,
    /// `scale`).
    Spread,
    /// A plain number, or a list or table of them (`shape`, `alpha`, `p`, `weights`).
    Shape,
}

impl FieldRole {
    /// The kind of quantity a value in this role has, in an input of `kind`.
    pub fn kind(self, kind: Kind) -> Kind {
        match self {
            FieldRole::Location => kind,
            FieldRole::Spread => match kind {
                Kind::TimeOfDay | Kind::Date => Kind::Duration,
                k => k,
            },
            FieldRole::Shape => Kind::Number,
        }
    }

    /// Whether the value is written with the input's unit (locations and spreads are).
    pub fn carries_unit(self) -> bool {
        self != FieldRole::Shape
    }
}

/// A key a family takes, its role, and the value it has when left out (if it may be).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    pub name: &'static str,
    pub role: FieldRole,
    pub default: Option<f64>,
}

const fn location(name: &'static str) -> Key {
    Key {
        name,
        role: FieldRole::Location,
        default: None,
    }
}

const fn spread(name: &'static str) -> Key {
    Key {
        name,
        role: FieldRole::Spread,
        default: None,
    }
}

const fn shape(name: &'static str) -> Key {
    Key {
        name,
        role: FieldRole::Shape,
        default: None,
    }
}

const fn or(key: Key, default: f64) -> Key {
    Key {
        default: Some(default),
        ..key
    }
}

/// PERT's lambda when not given: the classic PERT.
const PERT_LAMBDA: f64 = 4.0;
/// A beta's range when not given: the unit interval.
const BETA_MIN: f64 = 0.0;
const BETA_MAX: f64 = 1.0;

/// The keys that state quantiles: p10, p50, p90 and `between` (the 5th and 95th percentiles).
/// A family that takes them (other than the metalog, which is always given by quantiles) has
/// its own parameters fitted to them instead.
pub const QUANTILE_KEYS: [&str; 4] = ["p10", "p50", "p90", "between"];

const LOWER: Key = location("lower");
const UPPER: Key = location("upper");
const P10: Key = location("p10");
const P50: Key = location("p50");
const P90: Key = location("p90");
const BETWEEN: Key = location("between");

/// How a family is built from a distribution table.
#[derive(Debug, Clone, Copy)]
pub enum Build {
    /// From the values of its keys, read through a [`Reader`].
    Read(fn(&dyn Reader) -> Result<Family, Diagnostic>),
    /// By the model compiler itself, which needs the table's nested text: a mixture's
    /// components (each a distribution table) and a metalog's `[probability, value]` pairs.
    Compiler,
}

/// The values of a distribution table as a family's [`Build::Read`] reads them: the model
/// compiler implements it, converting each value to base units according to its key's role and
/// pointing every error at the text that causes it.
pub trait Reader {
    /// Whether `key` is given.
    fn given(&self, key: &'static str) -> bool;
    /// A number, in base units, if given.
    fn get(&self, key: &'static str) -> Result<Option<f64>, Diagnostic>;
    /// A number that must be given.
    fn need(&self, key: &'static str) -> Result<f64, Diagnostic>;
    /// A number that must be given, written without a unit.
    fn plain(&self, key: &'static str) -> Result<f64, Diagnostic>;
    /// A list of numbers in base units (empty when not given).
    fn list(&self, key: &'static str) -> Result<Vec<f64>, Diagnostic>;
    /// How many items a list has, if given.
    fn count(&self, key: &'static str) -> Option<usize>;
    /// The size in base units of one of the input's `unit`, which `key` is relative to (a
    /// `rate` per unit, a `mu` the log of a value in units).
    fn per_unit(&self, key: &'static str) -> Result<f64, Diagnostic>;
    /// An error at `key` (at the whole table when None); numbers it quotes are written in the
    /// key's units.
    fn error(&self, key: Option<&'static str>, message: &str, label: &str) -> Diagnostic;
    /// A parameter check that failed, pointed at the parameter it names.
    fn invalid(&self, e: ParamError) -> Diagnostic;
}

/// One family of the vocabulary. See the module documentation.
#[derive(Debug)]
pub struct FamilySpec {
    /// As scenario files write it: `dist = "normal"`.
    pub name: &'static str,
    /// Keys it needs (unless it is given by quantiles, when they are fitted).
    pub required: &'static [Key],
    /// Keys it may be given.
    pub optional: &'static [Key],
    /// Whether an input of dates may use it: only families that draw whole given days.
    pub dates: bool,
    pub build: Build,
    /// How `eta check` words it: `{key}` is the parameter in its role's terms (`{key:spread}`
    /// as a spread, `{key:exp}` its exponential as a location), and a `[...]` part is shown
    /// only when the parameter in it differs from its default. None for the families whose
    /// parameters are lists or nested distributions, which the outline words itself.
    pub outline: Option<&'static str>,
    /// The family's scalar parameters as (key, value) pairs, in this order; list-valued and
    /// nested ones (values, weights, components, quantiles, coefficients) are not included.
    write: fn(&Family) -> Vec<(&'static str, f64)>,
}

impl FamilySpec {
    /// Every key it takes: the required ones, then the optional ones.
    pub fn keys(&self) -> impl Iterator<Item = &'static Key> {
        self.required.iter().chain(self.optional)
    }

    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys().find(|k| k.name == name)
    }
}

/// Every family, in the order messages list them.
pub static FAMILIES: &[FamilySpec] = &[
    FamilySpec {
        name: "fixed",
        required: &[location("value")],
        optional: &[],
        dates: true,
        build: Build::Read(|r| {
            Ok(Family::Fixed {
                value: r.need("value")?,
            })
        }),
        outline: Some("{value}"),
        write: |f| match f {
            Family::Fixed { value } => vec![("value", *value)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "uniform",
        required: &[location("min"), location("max")],
        optional: &[LOWER, UPPER],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Uniform {
                min: r.need("min")?,
                max: r.need("max")?,
            })
        }),
        outline: Some("uniform {min} to {max}"),
        write: |f| match f {
            Family::Uniform { min, max } => vec![("min", *min), ("max", *max)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "normal",
        required: &[location("mean"), spread("sd")],
        optional: &[LOWER, UPPER, P10, P50, P90, BETWEEN],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Normal {
                mean: r.need("mean")?,
                sd: r.need("sd")?,
            })
        }),
        outline: Some("normal mean {mean} sd {sd}"),
        write: |f| match f {
            Family::Normal { mean, sd } => vec![("mean", *mean), ("sd", *sd)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "lognormal",
        required: &[],
        optional: &[
            location("mean"),
            spread("sd"),
            shape("mu"),
            shape("sigma"),
            LOWER,
            UPPER,
            P10,
            P50,
            P90,
            BETWEEN,
        ],
        dates: false,
        build: Build::Read(lognormal),
        outline: Some("lognormal median {mu:exp} sigma {sigma}"),
        write: |f| match f {
            Family::LogNormal { mu, sigma } => vec![("mu", *mu), ("sigma", *sigma)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "triangular",
        required: &[location("min"), location("mode"), location("max")],
        optional: &[LOWER, UPPER, P10, P50, P90, BETWEEN],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Triangular {
                min: r.need("min")?,
                mode: r.need("mode")?,
                max: r.need("max")?,
            })
        }),
        outline: Some("triangular {min} / {mode} / {max}"),
        write: |f| match f {
            Family::Triangular { min, mode, max } => {
                vec![("min", *min), ("mode", *mode), ("max", *max)]
            }
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "pert",
        required: &[location("min"), location("mode"), location("max")],
        optional: &[
            or(shape("lambda"), PERT_LAMBDA),
            LOWER,
            UPPER,
            P10,
            P50,
            P90,
            BETWEEN,
        ],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Pert {
                min: r.need("min")?,
                mode: r.need("mode")?,
                max: r.need("max")?,
                lambda: r.get("lambda")?.unwrap_or(PERT_LAMBDA),
            })
        }),
        outline: Some("pert {min} / {mode} / {max}[ lambda {lambda}]"),
        write: |f| match f {
            Family::Pert {
                min,
                mode,
                max,
                lambda,
            } => vec![
                ("min", *min),
                ("mode", *mode),
                ("max", *max),
                ("lambda", *lambda),
            ],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "beta",
        required: &[shape("alpha"), shape("beta")],
        optional: &[
            or(location("min"), BETA_MIN),
            or(location("max"), BETA_MAX),
            LOWER,
            UPPER,
        ],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Beta {
                alpha: r.need("alpha")?,
                beta: r.need("beta")?,
                min: r.get("min")?.unwrap_or(BETA_MIN),
                max: r.get("max")?.unwrap_or(BETA_MAX),
            })
        }),
        outline: Some("beta({alpha}, {beta}) on {min} to {max}"),
        write: |f| match f {
            Family::Beta {
                alpha,
                beta,
                min,
                max,
            } => vec![
                ("alpha", *alpha),
                ("beta", *beta),
                ("min", *min),
                ("max", *max),
            ],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "exponential",
        required: &[],
        optional: &[location("mean"), shape("rate"), LOWER, UPPER],
        dates: false,
        build: Build::Read(exponential),
        outline: Some("exponential mean {mean:spread}"),
        write: |f| match f {
            Family::Exponential { mean } => vec![("mean", *mean)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "gamma",
        required: &[shape("shape")],
        optional: &[spread("scale"), location("mean"), LOWER, UPPER],
        dates: false,
        build: Build::Read(gamma),
        outline: Some("gamma shape {shape} scale {scale}"),
        write: |f| match f {
            Family::Gamma { shape, scale } => vec![("shape", *shape), ("scale", *scale)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "weibull",
        required: &[shape("shape"), spread("scale")],
        optional: &[LOWER, UPPER],
        dates: false,
        build: Build::Read(|r| {
            Ok(Family::Weibull {
                shape: r.need("shape")?,
                scale: r.need("scale")?,
            })
        }),
        outline: Some("weibull shape {shape} scale {scale}"),
        write: |f| match f {
            Family::Weibull { shape, scale } => vec![("shape", *shape), ("scale", *scale)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "bernoulli",
        required: &[shape("p")],
        optional: &[],
        dates: false,
        build: Build::Read(|r| Ok(Family::Bernoulli { p: r.need("p")? })),
        outline: Some("yes with probability {p}"),
        write: |f| match f {
            Family::Bernoulli { p } => vec![("p", *p)],
            _ => Vec::new(),
        },
    },
    FamilySpec {
        name: "choice",
        required: &[location("values")],
        optional: &[shape("weights")],
        dates: true,
        build: Build::Read(choice),
        outline: None,
        write: |_| Vec::new(),
    },
    FamilySpec {
        name: "empirical",
        required: &[location("values")],
        optional: &[],
        dates: true,
        build: Build::Read(|r| {
            Ok(Family::Empirical {
                values: r.list("values")?,
            })
        }),
        outline: None,
        write: |_| Vec::new(),
    },
    FamilySpec {
        name: "mixture",
        required: &[shape("components")],
        optional: &[LOWER, UPPER],
        dates: false,
        build: Build::Compiler,
        outline: None,
        write: |_| Vec::new(),
    },
    FamilySpec {
        name: "metalog",
        required: &[],
        optional: &[
            P10,
            P50,
            P90,
            BETWEEN,
            location("quantiles"),
            shape("terms"),
            location("min"),
            location("max"),
            LOWER,
            UPPER,
        ],
        dates: false,
        build: Build::Compiler,
        outline: None,
        write: |f| match f {
            Family::Metalog { min, max, .. } => {
                let bound = |key, v: &Option<f64>| v.map(|v| (key, v));
                bound("min", min)
                    .into_iter()
                    .chain(bound("max", max))
                    .collect()
            }
            _ => Vec::new(),
        },
    },
];

/// The family written `name` in scenario files.
pub fn spec(name: &str) -> Option<&'static FamilySpec> {
    FAMILIES.iter().find(|s| s.name == name)
}

/// The role of `key` wherever it appears (a key has the same role in every family that takes
/// it); keys no family takes, such as a mixture component's `weight`, are plain numbers.
pub fn role(key: &str) -> FieldRole {
    FAMILIES
        .iter()
        .find_map(|s| s.key(key))
        .map_or(FieldRole::Shape, |k| k.role)
}

/// Every key some family takes, each once, in table order.
pub fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for key in FAMILIES.iter().flat_map(FamilySpec::keys) {
        if !keys.contains(&key.name) {
            keys.push(key.name);
        }
    }
    keys
}

impl Family {
    /// This family's entry in the table.
    pub fn spec(&self) -> &'static FamilySpec {
        // Every variant has an entry, by name; the test `every_family_has_an_entry` checks it.
        spec(self.name()).unwrap_or(&FAMILIES[0])
    }

    /// The scalar parameters as scenario files write them, with their roles, in table order:
    /// what `eta check` and `eta fit` print. A choice's, an empirical's and a mixture's
    /// parameters are lists or distributions, not scalars, and a metalog's are its quantiles:
    /// those families give only their scalar keys (a metalog's `min` and `max` if set).
    pub fn fields(&self) -> Vec<(&'static str, f64, FieldRole)> {
        let spec = self.spec();
        (spec.write)(self)
            .into_iter()
            .map(|(key, value)| {
                (
                    key,
                    value,
                    spec.key(key).map_or(FieldRole::Shape, |k| k.role),
                )
            })
            .collect()
    }
}

/// Lognormal: by `mean` and `sd` of the value, or `mu` and `sigma` of its logarithm (mu in the
/// input's unit, so relative to it).
fn lognormal(r: &dyn Reader) -> Result<Family, Diagnostic> {
    let given = ["mean", "sd", "mu", "sigma"].map(|k| r.given(k));
    match given {
        [true, true, false, false] => {
            let (mean, sd) = (r.need("mean")?, r.need("sd")?);
            if mean <= 0.0 {
                return Err(r.error(
                    Some("mean"),
                    "a lognormal mean must be greater than 0",
                    "not positive",
                ));
            }
            if sd <= 0.0 {
                return Err(r.error(
                    Some("sd"),
                    &format!("sd must be greater than 0, found {}", crate::format::number(sd)),
                    "not positive",
                ));
            }
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            if !sigma2.is_finite() {
                return Err(r.error(
                    Some("sd"),
                    "sd is too large beside the mean for a lognormal: its logarithm's spread \
                     overflows",
                    "far too large",
                ));
            }
            Ok(Family::LogNormal {
                mu: mean.ln() - sigma2 / 2.0,
                sigma: sigma2.sqrt(),
            })
        }
        [false, false, true, true] => {
            let to_base = r.per_unit("mu")?;
            let mu = r.plain("mu")?;
            let sigma = r.plain("sigma")?;
            Ok(Family::LogNormal {
                mu: mu + to_base.ln(),
                sigma,
            })
        }
        _ => Err(r.error(
            None,
            "the lognormal distribution needs `mean` and `sd` (of the value), or `mu` and `sigma` (of its logarithm)",
            "give one of the two pairs",
        )),
    }
}

/// Exponential: by `mean`, or by `rate` per the input's unit.
fn exponential(r: &dyn Reader) -> Result<Family, Diagnostic> {
    match (r.get("mean")?, r.get("rate")?) {
        (Some(mean), None) => Ok(Family::Exponential { mean }),
        (None, Some(rate)) if rate > 0.0 => Ok(Family::Exponential {
            mean: r.per_unit("rate")? / rate,
        }),
        (None, Some(rate)) => Err(r.invalid(ParamError {
            param: "rate",
            message: format!(
                "rate must be greater than 0, found {}",
                crate::format::number(rate)
            ),
        })),
        _ => Err(r.error(
            None,
            "the exponential distribution needs `mean` or `rate` (one of them)",
            "give exactly one",
        )),
    }
}

/// Gamma: `shape` with `scale`, or with `mean` (scale = mean / shape).
fn gamma(r: &dyn Reader) -> Result<Family, Diagnostic> {
    let shape = r.need("shape")?;
    match (r.get("scale")?, r.get("mean")?) {
        (Some(scale), None) => Ok(Family::Gamma { shape, scale }),
        (None, Some(mean)) if shape > 0.0 => Ok(Family::Gamma {
            shape,
            scale: mean / shape,
        }),
        // An invalid shape is reported by the parameter checks, which see it first.
        (None, Some(_)) => Ok(Family::Gamma { shape, scale: 1.0 }),
        _ => Err(r.error(
            None,
            "the gamma distribution needs `scale` or `mean` (one of them) beside `shape`",
            "give exactly one",
        )),
    }
}

/// Choice: `values`, with one weight each (equal weights when none are given).
fn choice(r: &dyn Reader) -> Result<Family, Diagnostic> {
    let values = r.list("values")?;
    let weights = match r.count("weights") {
        Some(n) if n != values.len() => {
            return Err(r.error(
                Some("weights"),
                &format!("{n} weights for {} values", values.len()),
                "one weight per value",
            ));
        }
        Some(_) => r.list("weights")?,
        None if values.is_empty() => Vec::new(),
        None => vec![1.0 / values.len() as f64; values.len()],
    };
    Ok(Family::Choice { values, weights })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::Component;

    fn every_family() -> Vec<Family> {
        vec![
            Family::Fixed { value: 1.0 },
            Family::Uniform { min: 1.0, max: 2.0 },
            Family::Normal { mean: 1.0, sd: 2.0 },
            Family::LogNormal {
                mu: 1.0,
                sigma: 0.5,
            },
            Family::Triangular {
                min: 1.0,
                mode: 2.0,
                max: 3.0,
            },
            Family::Pert {
                min: 1.0,
                mode: 2.0,
                max: 3.0,
                lambda: 4.0,
            },
            Family::Beta {
                alpha: 2.0,
                beta: 3.0,
                min: 0.0,
                max: 1.0,
            },
            Family::Exponential { mean: 2.0 },
            Family::Gamma {
                shape: 2.0,
                scale: 3.0,
            },
            Family::Weibull {
                shape: 2.0,
                scale: 3.0,
            },
            Family::Bernoulli { p: 0.5 },
            Family::Choice {
                values: vec![1.0, 2.0],
                weights: vec![0.5, 0.5],
            },
            Family::Empirical {
                values: vec![1.0, 2.0],
            },
            Family::Mixture {
                components: vec![Component {
                    weight: 1.0,
                    family: Family::Fixed { value: 1.0 },
                    lower: None,
                    upper: None,
                }],
            },
            Family::Metalog {
                coefficients: vec![1.0, 1.0],
                min: Some(0.0),
                max: None,
                quantiles: Vec::new(),
            },
        ]
    }

    #[test]
    fn every_family_has_an_entry() {
        let families = every_family();
        assert_eq!(families.len(), FAMILIES.len());
        for (family, spec) in families.iter().zip(FAMILIES) {
            assert_eq!(family.name(), spec.name, "table order is the enum's");
            assert!(std::ptr::eq(family.spec(), spec));
        }
    }

    #[test]
    fn a_key_has_one_role_everywhere() {
        for spec in FAMILIES {
            for key in spec.keys() {
                assert_eq!(role(key.name), key.role, "{} in {}", key.name, spec.name);
            }
        }
    }

    #[test]
    fn written_back_fields_are_keys_of_the_family() {
        for family in every_family() {
            let spec = family.spec();
            for (key, _, role) in family.fields() {
                let k = spec.key(key).expect("a key of the family");
                assert_eq!(k.role, role);
            }
            if let Some(template) = spec.outline {
                for (key, _, _) in family.fields() {
                    assert!(
                        template.contains(&format!("{{{key}")),
                        "{key} in {template}"
                    );
                }
            }
        }
    }
}
