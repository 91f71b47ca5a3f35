//! The shareable reports of the what-if commands (`eta compare`, `eta sweep`): their tables
//! and facts, from `compare.json`'s and `sweep.json`'s contracts.

use super::*;
use crate::report::compare::CompareReport;
use crate::report::sweep::SweepReport;

/// The facts every what-if report ends with.
fn whatif_facts(file: &str, trials: u64, seed: u64, facts: &RunFacts) -> Section {
    facts_section(
        [
            ("scenario file", file.to_owned()),
            ("SHA-256 of the file", facts.sha256.clone()),
            ("trials per variant", thousands(trials)),
            ("seed", seed.to_string()),
            ("sampling", facts.sampling.clone()),
            ("eta version", env!("CARGO_PKG_VERSION").to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| vec![Cell::new(k), Cell::new(v)])
        .collect(),
    )
}

/// A probability with its difference from the baseline, as compare.json and sweep.json state it.
fn deadline_cell(d: &crate::report::compare::DeadlineReport) -> Cell {
    let difference = match (d.difference, d.difference_ci95) {
        (Some(x), Some([lo, hi])) => Some(format!(
            "{:+.1} points [{:+.1}, {:+.1}]",
            x * 100.0,
            lo * 100.0,
            hi * 100.0
        )),
        _ => None,
    };
    Cell::noted(percent_with_ci(d.probability, d.ci95), difference)
}

/// An optional RFC 3339 instant from a what-if contract, in its display zone.
fn optional_instant(at: &Option<String>, zone: &str) -> Cell {
    Cell::new(at.as_deref().map_or("never".into(), |t| instant(t, zone)))
}

/// A what-if table's header: what varies, each deadline's probability, the milestone's
/// P10/P50/P90.
fn whatif_header(
    first: &str,
    deadlines: Option<&[crate::report::compare::DeadlineReport]>,
) -> Vec<String> {
    let mut header = vec![first.to_owned()];
    header.extend(
        deadlines
            .unwrap_or_default()
            .iter()
            .map(|d| format!("P({})", d.name)),
    );
    header.extend(["P10", "P50", "P90"].map(String::from));
    header
}

/// `eta compare`'s report, from compare.json's contract.
pub fn compare(
    report: &CompareReport,
    base: &Model,
    file: &str,
    facts: &RunFacts,
    charts: Vec<ChartRef>,
) -> Document {
    let header = whatif_header("variant", report.variants.first().map(|v| &v.deadlines[..]));
    let zone = &report.display_zone;
    let rows = report
        .variants
        .iter()
        .map(|v| {
            let mut row = vec![Cell::noted(v.name.clone(), v.description.clone())];
            row.extend(v.deadlines.iter().map(deadline_cell));
            row.extend([&v.p10, &v.p50, &v.p90].map(|t| optional_instant(t, zone)));
            row
        })
        .collect();
    let headline = report
        .variants
        .iter()
        .flat_map(|v| {
            v.deadlines.iter().map(move |d| Headline {
                name: format!("{}: {}", v.name, d.name),
                probability: crate::format::percent(d.probability, 1),
                interval: interval_text(d.probability, d.ci95),
                value: d.probability,
                detail: deadline_cell(d).note.unwrap_or_default(),
            })
        })
        .collect();
    Document {
        given: None,
        title: format!("{}: variants compared", base.name),
        question: base.description.clone(),
        headline,
        charts,
        sections: vec![
            Section {
                id: "variants",
                title: "Variants".into(),
                note: Some(format!(
                    "Each variant on the same {} trials (common random numbers); under each \
                     probability, its paired change from the baseline with its 95% interval. \
                     Times of {} in {zone}.",
                    thousands(report.trials),
                    report.milestone.as_deref().unwrap_or("the final milestone"),
                )),
                table: Table { header, rows },
                zone_switch: false,
            },
            whatif_facts(file, report.trials, report.seed, facts),
        ],
    }
}

/// `eta sweep`'s report, from sweep.json's contract.
pub fn sweep(
    report: &SweepReport,
    base: &Model,
    zone: &Zone,
    file: &str,
    facts: &RunFacts,
    charts: Vec<ChartRef>,
) -> Document {
    let header = whatif_header(
        &report.param,
        report.points.first().map(|p| &p.deadlines[..]),
    );
    let zone = zone.name.clone();
    let rows = report
        .points
        .iter()
        .map(|p| {
            let mut row = vec![Cell::new(p.value.clone())];
            row.extend(p.deadlines.iter().map(deadline_cell));
            row.extend([&p.p10, &p.p50, &p.p90].map(|t| optional_instant(t, &zone)));
            row
        })
        .collect();
    Document {
        given: None,
        title: format!("{}: sweeping {}", base.name, report.param),
        question: base.description.clone(),
        headline: Vec::new(),
        charts,
        sections: vec![
            Section {
                id: "sweep",
                title: format!("Each value of {}", report.param),
                note: Some(format!(
                    "Each point on the same {} trials (common random numbers). Times in {zone}.",
                    thousands(report.trials)
                )),
                table: Table { header, rows },
                zone_switch: false,
            },
            whatif_facts(file, report.trials, report.seed, facts),
        ],
    }
}
