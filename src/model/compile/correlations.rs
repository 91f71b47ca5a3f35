//! Rank correlations between named inputs: checked, and prepared for Iman-Conover.

use super::*;

/// Checks the requested rank correlations and prepares them for Iman-Conover.
pub(super) fn correlation(
    raw: &RawScenario,
    index: &HashMap<String, usize>,
    compiled: &[Input],
) -> Result<Option<Correlation>> {
    use crate::numeric::matrix::score_correlation;
    use crate::numeric::matrix::{cholesky, nearest_correlation};
    if raw.correlations.is_empty() {
        return Ok(None);
    }
    let mut inputs: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    let mut spans = Vec::new();
    for entry in &raw.correlations {
        let e = entry.get_ref();
        let names = e.inputs.get_ref();
        if names.len() != 2 {
            return Err(Diagnostic::at(
                "a correlation names exactly two inputs",
                e.inputs.span(),
                "expected [\"a\", \"b\"]",
            ));
        }
        let mut pos = [0usize; 2];
        for (slot, name) in pos.iter_mut().zip(names) {
            let &i = index.get(name.get_ref()).ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown input `{}`", name.get_ref()),
                    name.span(),
                    "no input has this name",
                )
                .suggest(name.get_ref(), index.keys().map(String::as_str))
            })?;
            if compiled.get(i).is_some_and(|input| input.cases.is_some()) {
                return Err(Diagnostic::at(
                    format!(
                        "`{}` is conditional, so it cannot be rank-correlated",
                        name.get_ref()
                    ),
                    name.span(),
                    "a conditional input",
                )
                .with_help(
                    "correlate its condition, or one of the inputs its cases stand beside, instead",
                ));
            }
            if compiled
                .get(i)
                .is_some_and(|input| input.dist.is_constant())
            {
                return Err(Diagnostic::at(
                    format!(
                        "`{}` never varies, so it cannot be rank-correlated with anything",
                        name.get_ref()
                    ),
                    name.span(),
                    "a constant input",
                )
                .with_help(format!(
                    "remove this correlation, or give `{}` a distribution that varies",
                    name.get_ref()
                )));
            }
            *slot = inputs.iter().position(|&x| x == i).unwrap_or_else(|| {
                inputs.push(i);
                inputs.len() - 1
            });
        }
        if pos[0] == pos[1] {
            return Err(Diagnostic::at(
                "an input cannot be correlated with itself",
                e.inputs.span(),
                "the same input twice",
            ));
        }
        let rank = *e.rank.get_ref();
        if !(rank > -1.0 && rank < 1.0) {
            return Err(Diagnostic::at(
                format!(
                    "a rank correlation must lie strictly between -1 and 1, found {}",
                    format::number(rank)
                ),
                e.rank.span(),
                "out of range",
            ));
        }
        if pairs
            .iter()
            .any(|&(a, b, _)| (a, b) == (pos[0], pos[1]) || (a, b) == (pos[1], pos[0]))
        {
            return Err(Diagnostic::at(
                "this pair of inputs is already correlated above",
                e.inputs.span(),
                "duplicate pair",
            ));
        }
        pairs.push((pos[0], pos[1], rank));
        spans.push(entry.span());
    }
    let k = inputs.len();
    let mut target: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for &(a, b, rank) in &pairs {
        let r = score_correlation(rank);
        target[a][b] = r;
        target[b][a] = r;
    }
    let Some(chol) = cholesky(&target) else {
        // Point at the requested pair that the nearest valid matrix has to move most.
        let near = nearest_correlation(&target);
        let (worst, _) = pairs
            .iter()
            .enumerate()
            .map(|(p, &(a, b, _))| (p, (near[a][b] - target[a][b]).abs()))
            .fold((0, -1.0), |best, x| if x.1 > best.1 { x } else { best });
        let name = |i: usize| raw_name(index, inputs[i]);
        let suggestion: Vec<String> = pairs
            .iter()
            .map(|&(a, b, _)| {
                let rank = 6.0 / std::f64::consts::PI * (near[a][b] / 2.0).asin();
                format!("{} ~ {}: {:.2}", name(a), name(b), rank)
            })
            .collect();
        let &(a, b, rank) = &pairs[worst];
        return Err(Diagnostic::at(
            format!(
                "these rank correlations cannot hold together (the matrix is not positive semi-definite); `{}` ~ `{}` = {rank} is the one furthest from a valid matrix",
                name(a),
                name(b)
            ),
            spans[worst].clone(),
            "conflicts with the other correlations",
        )
        .with_help(format!("the nearest valid set is {}", suggestion.join(", "))));
    };
    Ok(Some(Correlation {
        inputs,
        pairs,
        cholesky: chol,
    }))
}

pub(super) fn raw_name(index: &HashMap<String, usize>, i: usize) -> String {
    index
        .iter()
        .find(|(_, v)| **v == i)
        .map_or_else(|| format!("input {i}"), |(k, _)| k.clone())
}
