//! TEMPORARY stub, replaced by the real module.
use rand::RngExt;
use rand_distr::Distribution;
pub type StreamRng = rand_xoshiro::Xoshiro256PlusPlus;

#[derive(Debug, Clone, PartialEq)]
pub enum Family {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        lambda: f64,
    },
    Beta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    Exponential {
        mean: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    Bernoulli {
        p: f64,
    },
    Choice {
        values: Vec<f64>,
        weights: Vec<f64>,
    },
    Empirical {
        values: Vec<f64>,
    },
}
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub param: &'static str,
    pub message: String,
}
#[derive(Debug, Clone)]
pub struct Dist {
    family: Family,
    lower: Option<f64>,
    upper: Option<f64>,
}
impl Family {
    pub fn name(&self) -> &'static str {
        "x"
    }
    pub fn is_discrete(&self) -> bool {
        matches!(
            self,
            Family::Fixed { .. }
                | Family::Bernoulli { .. }
                | Family::Choice { .. }
                | Family::Empirical { .. }
        )
    }
}
impl Dist {
    pub fn new(family: Family, lower: Option<f64>, upper: Option<f64>) -> Result<Dist, ParamError> {
        if let Family::Normal { sd, .. } = family {
            if sd <= 0.0 {
                return Err(ParamError {
                    param: "sd",
                    message: format!("sd must be greater than 0, found {sd}"),
                });
            }
        }
        Ok(Dist {
            family,
            lower,
            upper,
        })
    }
    pub fn family(&self) -> &Family {
        &self.family
    }
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        (self.lower, self.upper)
    }
    pub fn fill(&self, rng: &mut StreamRng, out: &mut [f64]) {
        for o in out.iter_mut() {
            loop {
                let v = match &self.family {
                    Family::Fixed { value } => *value,
                    Family::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
                    Family::Normal { mean, sd } => {
                        rand_distr::Normal::new(*mean, *sd).unwrap().sample(rng)
                    }
                    Family::LogNormal { mu, sigma } => {
                        rand_distr::LogNormal::new(*mu, *sigma).unwrap().sample(rng)
                    }
                    Family::Triangular { min, mode, max } => {
                        rand_distr::Triangular::new(*min, *max, *mode)
                            .unwrap()
                            .sample(rng)
                    }
                    Family::Pert { min, mode, max, .. } => rand_distr::Pert::new(*min, *max)
                        .with_mode(*mode)
                        .unwrap()
                        .sample(rng),
                    Family::Beta {
                        alpha,
                        beta,
                        min,
                        max,
                    } => {
                        min + (max - min)
                            * rand_distr::Beta::new(*alpha, *beta).unwrap().sample(rng)
                    }
                    Family::Exponential { mean } => {
                        rand_distr::Exp::new(1.0 / mean).unwrap().sample(rng)
                    }
                    Family::Gamma { shape, scale } => {
                        rand_distr::Gamma::new(*shape, *scale).unwrap().sample(rng)
                    }
                    Family::Weibull { shape, scale } => rand_distr::Weibull::new(*scale, *shape)
                        .unwrap()
                        .sample(rng),
                    Family::Bernoulli { p } => {
                        if rng.random::<f64>() < *p {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    Family::Choice { values, weights } => {
                        let u: f64 = rng.random();
                        let mut acc = 0.0;
                        let mut r = values[values.len() - 1];
                        for (v, w) in values.iter().zip(weights) {
                            acc += w;
                            if u < acc {
                                r = *v;
                                break;
                            }
                        }
                        r
                    }
                    Family::Empirical { values } => values[rng.random_range(0..values.len())],
                };
                if self.lower.is_none_or(|l| v >= l) && self.upper.is_none_or(|u| v <= u) {
                    *o = v;
                    break;
                }
            }
        }
    }
    pub fn cdf(&self, _x: f64) -> f64 {
        0.5
    }
    pub fn mean(&self) -> f64 {
        0.0
    }
    pub fn variance(&self) -> f64 {
        0.0
    }
    pub fn support(&self) -> (f64, f64) {
        let (lo, hi) = match &self.family {
            Family::Fixed { value } => (*value, *value),
            Family::Uniform { min, max }
            | Family::Triangular { min, max, .. }
            | Family::Pert { min, max, .. }
            | Family::Beta { min, max, .. } => (*min, *max),
            Family::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Family::LogNormal { .. }
            | Family::Exponential { .. }
            | Family::Gamma { .. }
            | Family::Weibull { .. } => (0.0, f64::INFINITY),
            Family::Bernoulli { .. } => (0.0, 1.0),
            Family::Choice { values, .. } | Family::Empirical { values } => (
                values.iter().cloned().fold(f64::INFINITY, f64::min),
                values.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            ),
        };
        (
            self.lower.map_or(lo, |l| l.max(lo)),
            self.upper.map_or(hi, |u| u.min(hi)),
        )
    }
    pub fn quantile(&self, _p: f64) -> f64 {
        0.0
    }
}
