//! The steps of a scenario and the value slots they fill: operands (input names, literals,
//! inline distributions) and the range checks that keep every trial possible.

use super::*;

impl Compiler {
    /// Resolves a value slot: an input name, a literal, or an inline distribution.
    pub(super) fn operand(
        &mut self,
        raw: &Spanned<RawOperand>,
        owner: &str,
        field: &str,
        expected: Kind,
    ) -> Result<Operand> {
        let span = raw.span();
        let (operand, kind) = match raw.get_ref() {
            RawOperand::Number(v) => (Operand::Const(*v), Kind::Number),
            RawOperand::Text(t) if is_identifier(t) && quantity::parse_literal(t).is_err() => {
                let Some(&i) = self.input_index.get(t) else {
                    let names: Vec<&str> = self.input_index.keys().map(String::as_str).collect();
                    return Err(Diagnostic::at(
                        format!("unknown input `{t}`"),
                        span,
                        "no input has this name",
                    )
                    .suggest(t, names.iter().copied())
                    .with_help_if_none(format!(
                        "declare it under [inputs], or write {} directly",
                        expected.example()
                    )));
                };
                (Operand::Input(i), self.inputs[i].kind)
            }
            RawOperand::Text(t) => {
                let (kind, v) = quantity::parse_literal(t).map_err(|e| {
                    Diagnostic::at(e, span.clone(), "not understood").with_help(format!(
                        "{field} expects {expected}, e.g. {}",
                        expected.example()
                    ))
                })?;
                (Operand::Const(v), kind)
            }
            RawOperand::Dist(d) => {
                if self.inputs.len() >= MAX_INPUTS {
                    return Err(too_many("inputs (named and inline)", MAX_INPUTS, span));
                }
                // The name gives the random stream: two inline distributions on parallel steps
                // (or on `a_to` -> `b` and `a` -> `to_b`) must not share one and draw alike.
                // The first is `a_to_b.duration`, the next `a_to_b#2.duration`, and so on.
                let base = format!("{owner}.{field}");
                let mut k = self.inline_count.get(&base).map_or(1, |n| n + 1);
                let name = loop {
                    let name = match k {
                        1 => base.clone(),
                        _ => format!("{owner}#{k}.{field}"),
                    };
                    if !self.input_index.contains_key(&name) {
                        break name;
                    }
                    k += 1;
                };
                self.inline_count.insert(base, k);
                let input = self.input(&name, d, span.clone(), true)?;
                let kind = input.kind;
                self.input_index.insert(name, self.inputs.len());
                self.inputs.push(input);
                (Operand::Input(self.inputs.len() - 1), kind)
            }
        };
        if kind != expected {
            let help = if kind == Kind::Number && expected != Kind::Number {
                format!("give the unit, e.g. {}", expected.example())
            } else {
                format!("{field} expects {expected}, e.g. {}", expected.example())
            };
            return Err(Diagnostic::at(
                format!("`{field}` must be {expected}, but this is {kind}"),
                span,
                format!("{kind}"),
            )
            .with_help(help));
        }
        if let Operand::Input(i) = operand
            && expected == Kind::Date
            && !self.inputs[i].is_discrete()
        {
            return Err(Diagnostic::at(
                "a date input must be fixed, choice or empirical",
                span,
                "continuous over dates",
            )
            .with_help(
                "pick whole days with `choice`; spread the hour with the time input instead",
            ));
        }
        self.check_range(operand, field, expected, span)?;
        Ok(operand)
    }

    /// Speeds must stay above zero, distances and durations at or above it, chances in [0, 1]:
    /// checked on the support, so no trial can produce an impossible value.
    pub(super) fn check_range(
        &self,
        operand: Operand,
        field: &str,
        kind: Kind,
        span: Range<usize>,
    ) -> Result<()> {
        let (lo, hi) = match operand {
            Operand::Const(v) => (v, v),
            Operand::Input(i) => self.inputs[i].support(),
        };
        let name = match operand {
            Operand::Input(i) if !self.inputs[i].inline => {
                format!("input `{}`", self.inputs[i].name)
            }
            _ => "this value".to_owned(),
        };
        let problem = match (field, kind) {
            ("probability", _) if lo < 0.0 || hi > 1.0 => {
                Some("a probability must lie between 0 and 1")
            }
            (_, Kind::Speed) if lo <= 0.0 => Some("a speed must be greater than zero"),
            (_, Kind::Distance) if lo < 0.0 => Some("a distance cannot be negative"),
            (_, Kind::Duration) if lo < 0.0 => Some("a duration cannot be negative"),
            (_, Kind::Duration) if lo > MAX_DURATION => {
                Some("a duration longer than 20,000 years cannot end at an instant eta can show")
            }
            _ => None,
        };
        match problem {
            None if lo.is_finite() || hi.is_finite() || matches!(operand, Operand::Input(_)) => {
                Ok(())
            }
            None => Err(Diagnostic::at(
                "this value is not a finite number",
                span,
                "not finite",
            )),
            Some(what) => {
                // The bound that breaks the rule: the lowest value, or for a chance the highest.
                let bad = if field == "probability" && lo >= 0.0 {
                    hi
                } else {
                    lo
                };
                let label = if lo == hi {
                    format!("{name} is {}", format::format_quantity(kind, lo))
                } else if bad.is_finite() {
                    format!("{name} can reach {}", format::format_quantity(kind, bad))
                } else if bad > 0.0 {
                    format!("{name} has no upper bound")
                } else {
                    format!("{name} has no lower bound")
                };
                let metalog = match operand {
                    Operand::Input(i) => {
                        matches!(self.inputs[i].dist.family(), Family::Metalog { .. })
                    }
                    Operand::Const(_) => false,
                };
                let help = match operand {
                    // A metalog is better bounded than truncated: the bound reshapes the fit
                    // (on the log scale) instead of cutting off part of it.
                    _ if metalog => {
                        let example = bound_example(field, kind, bad);
                        format!(
                            "bound the metalog, e.g. add `{}` (it is then fitted on the log scale), or truncate it with `{example}`",
                            example
                                .replacen("lower", "min", 1)
                                .replacen("upper", "max", 1)
                        )
                    }
                    Operand::Input(i) if !self.inputs[i].inline => format!(
                        "truncate input `{}` under [inputs], e.g. add `{}` to keep it in range",
                        self.inputs[i].name,
                        bound_example(field, kind, bad)
                    ),
                    Operand::Input(_) => format!(
                        "truncate the distribution, e.g. add `{}` to keep it in range",
                        bound_example(field, kind, bad)
                    ),
                    Operand::Const(_) => "use a value in range".to_owned(),
                };
                Err(Diagnostic::at(what, span, label).with_help(help))
            }
        }
    }

    pub(super) fn step(
        &mut self,
        index: usize,
        raw: &Spanned<RawStep>,
        milestone_index: &HashMap<String, usize>,
        milestones: &[Milestone],
        route_names: &[&str],
    ) -> Result<Step> {
        let s = raw.get_ref();
        let from = milestone_ref(&s.from, milestone_index)?;
        let to = milestone_ref(&s.to, milestone_index)?;
        if from == to {
            return Err(Diagnostic::at(
                "a step cannot end where it starts",
                s.to.span(),
                "same as `from`",
            ));
        }
        let route = match &s.route {
            None => None,
            Some(r) => Some(
                route_names
                    .iter()
                    .position(|n| n == r.get_ref())
                    .ok_or_else(|| {
                        let d = Diagnostic::at(
                            format!("unknown route `{}`", r.get_ref()),
                            r.span(),
                            "no such route",
                        );
                        if route_names.is_empty() {
                            d.with_help(
                                "declare the routes under [routes], each with a probability",
                            )
                        } else {
                            d.suggest(r.get_ref(), route_names.iter().copied())
                        }
                    })?,
            ),
        };
        let owner = format!("{}_to_{}", s.from.get_ref(), s.to.get_ref());
        let kind = match s.kind.get_ref().as_str() {
            "travel" => StepKind::Travel,
            "dwell" => StepKind::Dwell,
            "delay" => StepKind::Delay,
            other => {
                return Err(Diagnostic::at(
                    format!("unknown step kind \"{other}\""),
                    s.kind.span(),
                    "expected \"travel\", \"dwell\" or \"delay\"",
                )
                .suggest(other, ["travel", "dwell", "delay"]));
            }
        };
        let not_allowed = |field: &Option<Spanned<RawOperand>>, name: &str| -> Result<()> {
            match field {
                Some(f) => Err(Diagnostic::at(
                    format!("a {} step has no `{name}`", kind.name()),
                    f.span(),
                    "not used by this kind of step",
                )),
                None => Ok(()),
            }
        };
        let required = |field: &Option<Spanned<RawOperand>>, name: &str| -> Result<()> {
            if field.is_none() {
                return Err(Diagnostic::at(
                    format!("a {} step needs `{name}`", kind.name()),
                    raw.span(),
                    format!("`{name}` missing here"),
                ));
            }
            Ok(())
        };
        let duration = match kind {
            StepKind::Travel => {
                not_allowed(&s.probability, "probability")?;
                match (&s.distance, &s.speed, &s.duration) {
                    (Some(distance), Some(speed), None) => StepDuration::Travel {
                        distance: self.operand(distance, &owner, "distance", Kind::Distance)?,
                        speed: self.operand(speed, &owner, "speed", Kind::Speed)?,
                    },
                    (None, None, Some(duration)) => StepDuration::Fixed(self.operand(
                        duration,
                        &owner,
                        "duration",
                        Kind::Duration,
                    )?),
                    (_, _, Some(duration)) => {
                        return Err(Diagnostic::at(
                            "a travel step takes either `duration` or `distance` and `speed`, not both",
                            duration.span(),
                            "remove this, or remove distance and speed",
                        ));
                    }
                    _ => {
                        return Err(Diagnostic::at(
                            "a travel step needs `distance` and `speed`, or a `duration`",
                            raw.span(),
                            "incomplete travel step",
                        ));
                    }
                }
            }
            StepKind::Dwell => {
                not_allowed(&s.probability, "probability")?;
                not_allowed(&s.distance, "distance")?;
                not_allowed(&s.speed, "speed")?;
                required(&s.duration, "duration")?;
                let d = s
                    .duration
                    .as_ref()
                    .map(|d| self.operand(d, &owner, "duration", Kind::Duration));
                StepDuration::Fixed(d.unwrap_or(Ok(Operand::Const(0.0)))?)
            }
            StepKind::Delay => {
                not_allowed(&s.distance, "distance")?;
                not_allowed(&s.speed, "speed")?;
                required(&s.duration, "duration")?;
                required(&s.probability, "probability")?;
                let duration = match &s.duration {
                    Some(d) => self.operand(d, &owner, "duration", Kind::Duration)?,
                    None => Operand::Const(0.0),
                };
                let probability = match &s.probability {
                    Some(p) => self.operand(p, &owner, "probability", Kind::Number)?,
                    None => Operand::Const(0.0),
                };
                let route_name = route.and_then(|r| route_names.get(r)).unwrap_or(&"");
                let stream = stream_id(&format!("event:{owner}:{route_name}:{index}"));
                StepDuration::Chance {
                    probability,
                    duration,
                    stream,
                }
            }
        };
        let not_before = match &s.not_before {
            None => None,
            Some(nb) => Some(not_before(nb, &milestones[from].zone)?),
        };
        let window = match &s.window {
            None => None,
            Some(w) => Some(windows::window(
                w,
                &milestones[from].zone,
                windows::first_start_day(milestones),
            )?),
        };
        let timetable = match &s.timetable {
            None => None,
            Some(t) if kind != StepKind::Travel => {
                return Err(Diagnostic::at(
                    format!("a {} step has no `timetable`", kind.name()),
                    t.span(),
                    "only a travel step leaves at scheduled departures",
                )
                .with_help("make it kind = \"travel\" with the ride's `duration` (or `distance` and `speed`)"));
            }
            Some(t) => {
                Some(self.timetable(t, &owner, index, &milestones[from].zone, milestones)?)
            }
        };
        Ok(Step {
            from,
            to,
            kind,
            label: s.label.clone(),
            route,
            duration,
            not_before,
            window,
            timetable,
            calendar: None,
            branch: None,
        })
    }
}

/// A truncation bound that would keep a value in range, for help messages.
pub(super) fn bound_example(field: &str, kind: Kind, bad: f64) -> &'static str {
    match (field, kind) {
        ("probability", _) if bad > 0.0 => "upper = 1",
        ("probability", _) => "lower = 0",
        (_, Kind::Speed) => "lower = \"5 km/h\"",
        (_, Kind::Distance) => "lower = \"0 km\"",
        _ => "lower = \"0 min\"",
    }
}
