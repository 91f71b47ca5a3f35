//! The shareable report (`--report html|md|none`) of `run`, `compare` and `sweep`: claims its
//! file in the output set before the trials, then draws the charts as SVG in memory and writes
//! report.html or report.md into the staging folder, to be moved in with the rest.

use super::args::{ChartArgs, ReportArg, SamplingArg};
use super::failure::Failure;
use super::run::folder_failure;
use clap::ValueEnum;
use eta::chart::{self, Chart, ChartInput};
use eta::output::{self, OutputSet};
use eta::report::document::{self, ChartRef, Document, RunFacts};
use eta::report::html::{self, InlineChart};
use eta::report::{Summary, markdown};
use std::path::PathBuf;

/// Where the report goes, claimed in the output set (None with `--report none`).
pub struct Claimed {
    kind: ReportArg,
    staged: PathBuf,
    pub shown: PathBuf,
}

pub fn claim(outputs: &mut OutputSet, charts: &ChartArgs) -> Result<Option<Claimed>, Failure> {
    let Some(name) = charts.report.file_name() else {
        return Ok(None);
    };
    let staged = outputs.path(name).map_err(folder_failure)?;
    Ok(Some(Claimed {
        kind: charts.report,
        staged,
        shown: outputs.dir().join(name),
    }))
}

/// The facts of how a run was made that its report states.
pub fn facts(text: &str, sampling: SamplingArg) -> RunFacts {
    RunFacts {
        sampling: sampling
            .to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_owned()),
        sha256: document::sha256(text),
    }
}

/// Writes `document` as the claimed report: HTML with `svgs` inlined (one per chart the document
/// lists), or Markdown linking the chart files (`chart_extension`, None if none were written).
pub fn write(
    claimed: &Claimed,
    document: &Document,
    svgs: &[InlineChart],
    chart_extension: Option<&str>,
) -> Result<(), Failure> {
    let text = match claimed.kind {
        ReportArg::Md => markdown::render(document, chart_extension),
        _ => html::render(document, svgs),
    };
    output::write_atomic(&claimed.staged, text.as_bytes())
        .map_err(|e| Failure::cannot_write(&claimed.shown, e))
}

/// Whether the report inlines the charts as SVG (only HTML does; Markdown links the files).
pub fn inlines_charts(claimed: &Claimed) -> bool {
    claimed.kind == ReportArg::Html
}

/// What each of a run's charts shows, for its caption.
fn caption(chart: Chart) -> &'static str {
    match chart {
        Chart::ArrivalHistogram => {
            "When is it reached? The share of all trials arriving in each bin, stacked by route; the vermillion line is the deadline."
        }
        Chart::ArrivalCdf => {
            "How likely is it to have arrived by then? Each deadline-bearing milestone's S-curve, P50/P80/P95 marked."
        }
        Chart::Milestones => "Each milestone's P5-P95 range (P25-P75 darker) and median.",
        Chart::Drivers => {
            "What drives the spread: each input's rank correlation with the arrival time."
        }
        Chart::Convergence => {
            "Has it converged? Each deadline's running probability with its 95% band, against trials."
        }
    }
}

/// A run's charts for its report: captions and hover marks for each, and (for HTML) each drawn
/// as SVG in memory. The two time charts get marks: the histogram's milestone, and the
/// milestones the S-curves show.
pub fn run_charts(
    claimed: &Claimed,
    summary: &Summary,
    input: &ChartInput,
) -> Result<(Vec<ChartRef>, Vec<InlineChart>), Failure> {
    let model = input.model;
    let mut curves: Vec<String> = model
        .deadlines
        .iter()
        .map(|d| model.milestones[d.milestone].id.clone())
        .collect();
    curves.dedup();
    let histogram = vec![model.milestones[input.milestone].id.clone()];
    if curves.is_empty() {
        curves = histogram.clone();
    }
    let refs = Chart::ALL
        .iter()
        .map(|&c| ChartRef {
            stem: c.file_stem().to_owned(),
            caption: caption(c).to_owned(),
            marks: match c {
                Chart::ArrivalHistogram => document::marks(summary, &histogram),
                Chart::ArrivalCdf => document::marks(summary, &curves),
                _ => Vec::new(),
            },
        })
        .collect();
    if !inlines_charts(claimed) {
        return Ok((refs, Vec::new()));
    }
    let drawn = chart::svg_all(input)?
        .into_iter()
        .map(|(c, svg, frame)| InlineChart {
            svg,
            time_axis: matches!(c, Chart::ArrivalHistogram | Chart::ArrivalCdf)
                .then_some((frame.x, frame.pixels)),
        })
        .collect();
    Ok((refs, drawn))
}

/// Charts with a caption and no marks, drawn elsewhere (compare's and sweep's).
pub fn plain_charts(
    stems_and_svgs: Vec<(&str, &str, String)>,
) -> (Vec<ChartRef>, Vec<InlineChart>) {
    stems_and_svgs
        .into_iter()
        .map(|(stem, caption, svg)| {
            (
                ChartRef {
                    stem: stem.to_owned(),
                    caption: caption.to_owned(),
                    marks: Vec::new(),
                },
                InlineChart {
                    svg,
                    time_axis: None,
                },
            )
        })
        .unzip()
}
