//! The route choice when some route probabilities are inputs: each trial's probabilities from
//! its own input values (the routes with numbers sharing what the inputs leave), then the same
//! uniform per trial as the plain choice, so the two stay paired under `eta compare`.

use super::Workspace;
use crate::model::Model;

impl Workspace {
    pub(super) fn choose_uncertain_routes(
        &mut self,
        model: &Model,
        seed: u64,
        chunk: u64,
        n: usize,
    ) {
        self.route_uniforms(seed, chunk, n);
        let last = model.routes.len().saturating_sub(1);
        for (i, (r, &u)) in self.route[..n]
            .iter_mut()
            .zip(self.uniforms[..n].iter())
            .enumerate()
        {
            let drawn: f64 = model
                .routes
                .iter()
                .filter_map(|route| route.input.map(|k| self.inputs[k][i]))
                .sum();
            let rest = (1.0 - drawn).max(0.0);
            let mut cumulative = 0.0;
            let mut chosen = last;
            for (k, route) in model.routes.iter().enumerate() {
                cumulative += match route.input {
                    Some(input) => self.inputs[input][i],
                    None => route.share * rest,
                };
                if u < cumulative {
                    chosen = k;
                    break;
                }
            }
            *r = chosen as u8;
        }
    }
}
