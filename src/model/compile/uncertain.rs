//! Uncertain route probabilities (a route whose `probability` names an input takes that input's
//! value as its chance in each trial; the routes with numbers share what is left in proportion to
//! their numbers) and the route a deadline may `require`.

use super::*;

impl Compiler {
    /// A route whose probability is the input named `input`: a plain (not conditional) input of
    /// plain numbers that stays within [0, 1].
    pub(super) fn uncertain_route(
        &self,
        name: &Spanned<String>,
        raw: &RawRoute,
        input: &str,
        span: Range<usize>,
    ) -> Result<Route> {
        if !is_identifier(input) {
            return Err(Diagnostic::at(
                "expected a probability: a number, or the name of an input",
                span,
                "a string that names no input",
            )
            .with_help(format!(
                "write a number without quotes, e.g. `probability = {}`",
                input.trim()
            )));
        }
        let Some(&k) = self.input_index.get(input) else {
            return Err(Diagnostic::at(
                format!("unknown input `{input}`"),
                span,
                "no input has this name",
            )
            .suggest(input, self.input_index.keys().map(String::as_str))
            .with_help_if_none(
                "a route's probability is a number, or the name of an input under [inputs] (a beta, say)"
                    .into(),
            ));
        };
        let the_input = &self.inputs[k];
        if the_input.cases.is_some() || self.conditionals.contains(&k) {
            return Err(Diagnostic::at(
                format!("`{input}` is conditional; a route's probability must be a plain input"),
                span,
                "a conditional input",
            ));
        }
        if the_input.kind != Kind::Number {
            return Err(Diagnostic::at(
                format!(
                    "a route's probability must be a plain number, but `{input}` is {}",
                    the_input.kind
                ),
                span,
                format!("{}", the_input.kind),
            ));
        }
        self.check_range(Operand::Input(k), "probability", Kind::Number, span)?;
        Ok(Route {
            name: name.get_ref().clone(),
            probability: the_input.dist.mean(),
            description: raw.description.clone(),
            input: Some(k),
            share: 0.0,
        })
    }
}

/// With some route probabilities drawn from inputs: the routes with numbers share the rest in
/// proportion to their numbers, so the inputs' highest values together must leave room (at most
/// 1), and at least one route with a positive number must take up the rest.
pub(super) fn share_the_rest(
    mut routes: Vec<Route>,
    raw: &crate::scenario::raw::Table<RawRoute>,
    inputs: &[Input],
) -> Result<Vec<Route>> {
    let numbers: f64 = routes
        .iter()
        .filter(|r| r.input.is_none())
        .map(|r| r.share)
        .sum();
    let Some((first, _)) = raw.first() else {
        return Ok(routes);
    };
    if numbers <= 0.0 {
        return Err(Diagnostic::at(
            "when a route's probability is an input, another route needs a positive number to take up the rest",
            first.span(),
            "no route takes up the rest",
        )
        .with_help("give one route a number, e.g. `probability = 0.85`: the routes with numbers share what the inputs leave, in proportion to their numbers"));
    }
    let (mut highest, mut mean) = (0.0, 0.0);
    for ((name, r), route) in raw.iter().zip(&routes) {
        if let Some(k) = route.input {
            highest += inputs[k].support().1;
            mean += route.probability;
            if highest > 1.0 + 1e-12 {
                return Err(Diagnostic::at(
                    "the routes' probability inputs can together exceed 1",
                    r.get_ref().probability.span(),
                    format!("with `{}`, their highest values sum to {}", name.get_ref(), format::trim_number(highest)),
                )
                .with_help("bound the inputs (a beta's `max`, say) so that their highest values sum to at most 1"));
            }
        }
    }
    for route in routes.iter_mut().filter(|r| r.input.is_none()) {
        route.share /= numbers;
        route.probability = route.share * (1.0 - mean);
    }
    Ok(routes)
}

/// A deadline's `require`: the route taken (the fork branch, if also given, is resolved with
/// the forks).
pub(super) fn requirement(
    raw: &Spanned<crate::scenario::raw::RawRequire>,
    routes: &[Route],
) -> Result<Option<usize>> {
    let require = raw.get_ref();
    let Some(route) = &require.route else {
        if require.branch.is_some() {
            return Ok(None);
        }
        return Err(Diagnostic::at(
            "`require` names no condition",
            raw.span(),
            "empty",
        )
        .with_help("e.g. require = { route = \"attend\" } or { branch = \"fork.branch\" }: the deadline is made only in trials that take that route or branch"));
    };
    match routes.iter().position(|r| r.name == *route.get_ref()) {
        Some(r) => Ok(Some(r)),
        None => Err(unknown_route(
            format!("unknown route `{}`", route.get_ref()),
            route.get_ref(),
            route.span(),
            routes,
        )),
    }
}

/// `message` about `name`, which names no route: the nearest route's name, or the list of them.
pub(super) fn unknown_route(
    message: String,
    name: &str,
    span: Range<usize>,
    routes: &[Route],
) -> Diagnostic {
    let names = routes.iter().map(|r| r.name.as_str());
    Diagnostic::at(message, span, "no such route")
        .suggest(name, names.clone())
        .with_help_if_none(if routes.is_empty() {
            "declare the routes under [routes], each with a probability".to_owned()
        } else {
            format!("the routes are: {}", names.collect::<Vec<_>>().join(", "))
        })
}

/// A deadline whose required route never reaches its milestone could never be made.
pub(super) fn required_route_misses(
    id: &Spanned<String>,
    raw: &RawDeadline,
    route: &str,
) -> Diagnostic {
    let at = raw.require.as_ref().map_or(id.span(), |r| r.span());
    Diagnostic::at(
        format!(
            "deadline `{}` requires route `{route}`, which never reaches milestone `{}`",
            id.get_ref(),
            raw.milestone.get_ref()
        ),
        at,
        "can never be made",
    )
    .with_help("require a route whose steps lead to the milestone, or move the deadline")
}
