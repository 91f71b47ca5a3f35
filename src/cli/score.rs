//! `eta score FILE...`: runs each scenario as written, scores its forecast against the outcome
//! its `[observed]` table records, and writes score.json and the PIT histogram and reliability
//! diagram (`pit`, `reliability`) as one output set; with `--reference VARIANT`, also scores
//! that variant of every file and reports the skill against it.

use super::args::ScoreArgs;
use super::failure::Failure;
use super::options::{self, Plan};
use super::run;
use super::stdout;
use eta::analysis::score::{self, ScoreCard};
use eta::chart::pit::{self, PitChart};
use eta::chart::reliability::{self, ReliabilityChart};
use eta::load;
use eta::model::{Model, Zone};
use eta::output::{self, OutputSet};
use eta::report::score::{
    FileScore, METHOD, OverallScore, ReferenceScore, ScoreReport, SkillJson, render,
};

/// The most milestone times scoring keeps in memory (2 GB of f64).
const MAX_KEPT_TIMES: u64 = 250_000_000;

/// `eta score`: every file's forecast scored, then the overall means, charts and score.json.
pub fn score(args: &ScoreArgs) -> Result<(), Failure> {
    let common = &args.common;
    let set = options::overrides(&common.set)?;
    let mut scenarios = Vec::new();
    for file in &args.files {
        let (source, model) = load::load(file, None, &set)?;
        if model.observed.milestones.is_empty() && model.observed.route.is_none() {
            return Err(Failure::Usage(format!(
                "{} records no outcome to score against: add an [observed] table, e.g.\n  \
                 [observed]\n  milestones.arrival = {{ at = \"2019-04-24T17:50\" }}",
                file.display()
            )));
        }
        let reference = match &args.reference {
            Some(variant) => Some(load::load(file, Some(variant), &set)?.1),
            None => None,
        };
        scenarios.push((source.path, model, reference));
    }
    let (first_file, first_model) = (&args.files[0], &scenarios[0].1);
    let plan = Plan::new(
        common,
        first_model,
        first_file,
        "-score",
        args.charts.format.into(),
    )?;
    let mut outputs = OutputSet::begin(&plan.out_dir, args.force).map_err(run::folder_failure)?;
    let json = outputs.path("score.json").map_err(run::folder_failure)?;
    for stem in ["pit", "reliability"] {
        outputs
            .path(&format!("{stem}.{}", plan.format.extension()))
            .map_err(run::folder_failure)?;
    }
    for ((_, model, _), file) in scenarios.iter().zip(&args.files) {
        let trials = common.trials.unwrap_or(model.default_trials);
        let kept = trials.saturating_mul(model.observed.milestones.len() as u64);
        if kept > MAX_KEPT_TIMES {
            return Err(Failure::Usage(format!(
                "{}: scoring keeps every trial's time at each observed milestone, {} values at \
                 {} trials (8 bytes each); give --trials {} or fewer",
                file.display(),
                eta::format::thousands(kept),
                eta::format::thousands(trials),
                eta::format::thousands(MAX_KEPT_TIMES / model.observed.milestones.len() as u64)
            )));
        }
    }
    let mut cards = Vec::new();
    let mut zones = Vec::new();
    let mut reference_cards = Vec::new();
    for ((_, model, reference), file) in scenarios.iter().zip(&args.files) {
        // Each file runs with its own trials and seed unless the command line sets them.
        let plan = Plan::new(common, model, file, "-score", plan.format)?;
        cards.push(score::score(model, &plan.options(None))?);
        zones.push(plan.zone.clone());
        if let Some(reference) = reference {
            reference_cards.push(score::score(reference, &plan.options(None))?);
        }
    }
    let all: Vec<&ScoreCard> = cards.iter().collect();
    let overall = score::overall(&all);
    let reference = args.reference.as_ref().map(|variant| {
        let all: Vec<&ScoreCard> = reference_cards.iter().collect();
        let o = score::overall(&all);
        let skill = score::skill(&overall, &o);
        (variant.as_str(), o, skill)
    });
    let report = ScoreReport {
        eta_version: env!("CARGO_PKG_VERSION"),
        method: METHOD,
        files: scenarios
            .iter()
            .zip(cards.iter().zip(&zones))
            .map(|((path, model, _), (card, zone))| FileScore::new(model, path, card, zone))
            .collect(),
        overall: OverallScore::new(&overall),
        reference: reference
            .as_ref()
            .map(|(variant, o, skill)| ReferenceScore {
                variant: (*variant).to_owned(),
                overall: OverallScore::new(o),
                skill: SkillJson::new(skill),
            }),
    };
    output::write_atomic(&json, report.to_json().as_bytes())
        .map_err(|e| Failure::cannot_write(&json, e))?;
    let outcomes = overall.pit.map_or(0, |s| s.count);
    pit::render(
        &PitChart {
            bins: &overall.pit_histogram,
            outcomes,
            files: cards.len(),
        },
        outputs.staging(),
        plan.format,
    )?;
    reliability::render(
        &ReliabilityChart {
            bins: &overall.reliability,
            files: cards.len(),
        },
        outputs.staging(),
        plan.format,
    )?;
    let files = run::finish(outputs)?;
    if !common.quiet {
        let scored: Vec<(&Model, &ScoreCard, &Zone)> = scenarios
            .iter()
            .zip(cards.iter().zip(&zones))
            .map(|((_, m, _), (c, z))| (m, c, z))
            .collect();
        let skill = reference.as_ref().map(|(v, _, s)| (*v, s));
        let mut text = render(&scored, &overall, skill);
        text.push_str(&run::wrote(&files));
        stdout::print(&text)?;
    }
    Ok(())
}
