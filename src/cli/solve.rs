//! `eta solve`: the break-even value of one parameter for a deadline target, found by
//! [`eta::analysis::solve::bisect`] over runs on common random numbers, and printed.

use super::args::SolveArgs;
use super::failure::Failure;
use super::observe;
use super::options::{self, Plan};
use super::stdout;
use eta::analysis::Scale;
use eta::analysis::solve::{self, Solution, Target};
use eta::format::{format_duration, percent};
use eta::load::{self, LoadError};
use eta::quantity::Kind;
use eta::scenario::Source;
use eta::scenario::overrides::{self, Override};

/// `eta solve`: bisection for the value where the target is just met.
pub fn solve(args: &SolveArgs) -> Result<(), Failure> {
    let set = options::overrides(&args.common.set)?;
    let target = Target::parse(&args.target)
        .map_err(|e| Failure::flag(&format!("--target {}", args.target), e))?;
    let (source, _) = load::checked(load::read(&args.file)?)?;
    let observations = observe::sources(&args.common)?;
    let mut base = load::variant(&source, "", None, &set)?.model;
    observe::condition(&args.common, &mut base, &observations)?;
    if !base.deadlines.iter().any(|d| d.id == target.deadline) {
        let ids: Vec<&str> = base.deadlines.iter().map(|d| d.id.as_str()).collect();
        return Err(Failure::Usage(format!(
            "--target: no deadline `{}` (deadlines: {})",
            target.deadline,
            ids.join(", ")
        )));
    }
    let current = current_value(&source, &args.param).ok();
    // The scale comes from the current value, or from --low when the parameter is a whole
    // distribution (searching sets it to a fixed value).
    let (scale, now) = current
        .as_deref()
        .and_then(Scale::read)
        .or_else(|| args.low.as_deref().and_then(Scale::read))
        .ok_or_else(|| {
            Failure::Usage(format!(
                "--param {}: its value is not a number or quantity; give --low and --high to search between",
                args.param
            ))
        })?;
    let read_bound = |text: &Option<String>, default: f64| -> Result<f64, Failure> {
        match text {
            None => Ok(default),
            Some(t) => Scale::read(t)
                .filter(|(s, _)| *s == scale)
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "--low/--high `{t}` must be {} like the parameter",
                        scale.kind
                    ))
                }),
        }
    };
    let (default_low, default_high) = solve::default_range(scale, now);
    let (low, high) = (
        read_bound(&args.low, default_low)?,
        read_bound(&args.high, default_high)?,
    );
    let plan = Plan::new(&args.common, &base, &args.file, "", eta::chart::Format::Png)?;
    let options = plan.options(None);
    let evaluate = |x: f64| -> Result<(f64, (f64, f64)), Failure> {
        let o = Override {
            path: args.param.clone(),
            value: scale.write(x),
            origin: format!("--param {}={}", args.param, scale.write(x)),
        };
        let all: Vec<Override> = set.iter().cloned().chain([o]).collect();
        let v = load::variant(&source, "", None, &all).map_err(|e| match e {
            LoadError::Invalid(located) => Failure::Usage(format!(
                "the search range produced an invalid scenario at {} = {}: {}; give --low and --high within the values {} can take",
                args.param,
                scale.write(x),
                located.diagnostic.message,
                args.param
            )),
            e => e.into(),
        })?;
        let mut v = v;
        observe::condition(&args.common, &mut v.model, &observations)?;
        solve::deadline_probability(&v.model, &target.deadline, &options).map_err(|e| match e {
            solve::ProbabilityError::Run(e) => e.into(),
            e => Failure::Run(e.to_string()),
        })
    };
    let result = solve::bisect(low, high, &target, scale, evaluate)?;
    if !args.common.quiet {
        let mut out = describe(&result, &target, &args.param, scale);
        let probe = [(scale.write(low), None)];
        if let Some(note) = super::sweep::rescaling_note(&source, &args.param, &probe) {
            out.push_str(&format!("Note: {note}.\n"));
        }
        stdout::print(&out)?;
    }
    Ok(())
}

/// The solution as console text.
fn describe(s: &Solution, target: &Target, param: &str, scale: Scale) -> String {
    let goal = format!(
        "P({}) {} {}",
        target.deadline,
        if target.at_least { ">=" } else { "<=" },
        percent(target.probability, 1)
    );
    match s {
        Solution::Everywhere { low, high } => format!(
            "{goal} holds everywhere from {param} = {} to {}: no break-even in this range (widen it with --low/--high).\n",
            scale.show(*low),
            scale.show(*high)
        ),
        Solution::Nowhere { low, high } => format!(
            "{goal} holds nowhere from {param} = {} to {}: the target cannot be met in this range.\n",
            scale.show(*low),
            scale.show(*high)
        ),
        Solution::NotMonotone { points } => {
            let list: Vec<String> = points
                .iter()
                .map(|(x, p)| format!("{} -> {}", scale.show(*x), percent(*p, 1)))
                .collect();
            format!(
                "P({}) does not move one way as {param} changes ({}): bisection would not be meaningful.\n",
                target.deadline,
                list.join(", ")
            )
        }
        Solution::Found {
            value,
            uncertainty,
            probability,
            ci,
            evaluations,
            met_below,
        } => format!(
            "Break-even: {param} = {}{}, where P({}) = {} [{}, {}]; {goal} is met {} it. ({evaluations} runs, common random numbers)\n",
            scale.show(*value),
            // A whole date has no ± of its own: how sure the boundary is shows in the
            // interval of its probability.
            match scale.kind {
                Kind::Date => String::new(),
                Kind::TimeOfDay => format!(
                    " (± {} from Monte Carlo error)",
                    format_duration(*uncertainty)
                ),
                _ => format!(" (± {} from Monte Carlo error)", scale.show(*uncertainty)),
            },
            target.deadline,
            percent(*probability, 2),
            percent(ci.0, 2),
            percent(ci.1, 2),
            if *met_below {
                "at and below"
            } else {
                "at and above"
            }
        ),
    }
}

/// The value a path has in the scenario now, as text.
fn current_value(source: &Source, path: &str) -> Result<String, Failure> {
    let probe = Override {
        path: path.to_owned(),
        value: "0".into(),
        origin: format!("--param {path}"),
    };
    // Resolving the path through the editor gives the same errors as --set for a bad path.
    overrides::apply(source, std::slice::from_ref(&probe))?;
    Ok(overrides::get(source, &probe)?)
}
