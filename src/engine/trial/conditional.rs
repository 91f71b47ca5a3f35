//! Conditional inputs in a chunk: each trial's case from its condition, then each case drawn in
//! bulk for the whole chunk from its own stream (input name + case) and kept where it applies,
//! so a variant that changes one case leaves every other case's values untouched.

use super::{Sampling, Workspace, latin_hypercube};
use crate::model::{Cases, Condition, Model};
use crate::random::stream_rng;

/// Scratch columns for conditional inputs, sized on first use.
#[derive(Default)]
pub(super) struct Scratch {
    /// Each trial's case of the input being drawn.
    case_of: Vec<u16>,
    /// One case's values for the whole chunk.
    values: Vec<f64>,
}

impl Workspace {
    /// Draws the conditional inputs whose condition is decided at this stage: those on another
    /// input before the routes are chosen (`after_routes` false), those on the route after.
    pub(super) fn draw_conditionals(
        &mut self,
        model: &Model,
        seed: u64,
        chunk: u64,
        n: usize,
        after_routes: bool,
    ) {
        for (k, input) in model.inputs.iter().enumerate() {
            let Some(cases) = &input.cases else {
                continue;
            };
            if (cases.on == Condition::Route) != after_routes {
                continue;
            }
            self.select_cases(cases, n);
            let Scratch { case_of, values } = &mut self.conditional;
            let column = &mut self.inputs[k][..n];
            match (&self.quasi, self.sampling) {
                // One Sobol' dimension for the input: each case maps the trial's point through
                // its own quantile function.
                (Some(q), Sampling::Sobol) => {
                    let uniforms = &mut self.uniforms[..n];
                    q.points.fill(k, seed, self.first_trial, uniforms);
                    for ((x, &u), &c) in column.iter_mut().zip(uniforms.iter()).zip(case_of.iter())
                    {
                        *x = cases.cases[usize::from(c)].dist.quantile(u);
                    }
                }
                _ => {
                    for (c, case) in cases.cases.iter().enumerate() {
                        let c = c as u16;
                        if !case_of[..n].contains(&c) {
                            continue;
                        }
                        let mut rng = stream_rng(seed, chunk, case.stream);
                        let drawn = &mut values[..n];
                        if self.sampling == Sampling::LatinHypercube {
                            latin_hypercube(&case.dist, &mut rng, drawn);
                        } else {
                            case.dist.fill(&mut rng, drawn);
                        }
                        for ((x, &v), &which) in
                            column.iter_mut().zip(drawn.iter()).zip(case_of.iter())
                        {
                            if which == c {
                                *x = v;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Fills `case_of` with each trial's case.
    fn select_cases(&mut self, cases: &Cases, n: usize) {
        let scratch = &mut self.conditional;
        if scratch.case_of.len() < n {
            scratch.case_of.resize(super::CHUNK, 0);
            scratch.values.resize(super::CHUNK, 0.0);
        }
        let case_of = &mut scratch.case_of[..n];
        match cases.on {
            Condition::Route => {
                for (c, &r) in case_of.iter_mut().zip(&self.route[..n]) {
                    *c = cases.case_of(f64::from(r)) as u16;
                }
            }
            Condition::Input(k) => {
                for (c, &v) in case_of.iter_mut().zip(&self.inputs[k][..n]) {
                    *c = cases.case_of(v) as u16;
                }
            }
        }
    }
}
