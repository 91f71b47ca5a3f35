//! Per-trial output (`--samples FILE.csv`): one row per trial with every sampled input, the route
//! taken and every milestone's instant (and, for a run conditioned on observations, the trial's
//! weight), streamed in trial order so memory stays flat. Rows are
//! written by the `csv` crate, quoting a field only when it must (a comma, a quote, a line break).

use crate::engine::{TrialSink, Workspace};
use crate::format::format_quantity;
use crate::model::{Model, Zone};
use crate::quantity::Kind;
use crate::time::rfc3339;
use std::io::Write;
use std::sync::Mutex;

pub struct CsvSamples<W: Write + Send + Sync> {
    writer: Mutex<W>,
    zone: Zone,
}

/// A CSV writer into memory: `\n` line ends, fields quoted only when they must be.
fn csv_writer(capacity: usize) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::with_capacity(capacity))
}

/// The bytes written so far.
fn written(writer: csv::Writer<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.error().to_string()))
}

impl<W: Write + Send + Sync> CsvSamples<W> {
    /// Starts the file with its header row.
    pub fn new(mut writer: W, model: &Model, zone: &Zone) -> std::io::Result<Self> {
        let mut header = vec!["trial".to_owned(), "route".to_owned()];
        for input in &model.inputs {
            let unit = match input.kind {
                Kind::Duration => " [h]",
                Kind::Distance => " [km]",
                Kind::Speed => " [km/h]",
                _ => "",
            };
            header.push(format!("{}{unit}", input.name));
        }
        header.extend(model.milestones.iter().map(|m| m.id.clone()));
        if !model.given.is_empty() {
            // The trial's weight given the observations, relative to a trial that fits them
            // perfectly: weighted means and shares of these rows are the run's figures.
            header.push("weight".to_owned());
        }
        let mut row = csv_writer(256);
        row.write_record(&header)?;
        writer.write_all(&written(row)?)?;
        Ok(CsvSamples {
            writer: Mutex::new(writer),
            zone: zone.clone(),
        })
    }

    pub fn into_inner(self) -> W {
        self.writer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The chunk's rows.
    fn rows(&self, model: &Model, chunk: &Workspace) -> csv::Result<Vec<u8>> {
        let mut out = csv_writer(chunk.len * 64);
        for i in 0..chunk.len {
            out.write_field((chunk.first_trial + i as u64).to_string())?;
            let route = model.routes.get(usize::from(chunk.route[i]));
            out.write_field(route.map_or("", |r| r.name.as_str()))?;
            for (input, column) in model.inputs.iter().zip(&chunk.inputs) {
                let v = column[i];
                out.write_field(match input.kind {
                    Kind::Duration => format!("{:.6}", v / 3600.0),
                    Kind::Date | Kind::TimeOfDay => format_quantity(input.kind, v),
                    _ => format!("{v}"),
                })?;
            }
            for column in &chunk.times {
                if column[i].is_nan() {
                    out.write_field("")?;
                } else {
                    out.write_field(rfc3339(column[i], &self.zone))?;
                }
            }
            if let Some(&units) = chunk.weight_units.get(i) {
                let weight = units as f64 / crate::stats::WEIGHT_UNIT as f64;
                out.write_field(format!("{weight}"))?;
            }
            out.write_record(None::<&[u8]>)?;
        }
        Ok(written(out)?)
    }
}

impl<W: Write + Send + Sync> TrialSink for CsvSamples<W> {
    fn format(&self, model: &Model, chunk: &Workspace) -> Vec<u8> {
        // Writing into memory cannot fail.
        self.rows(model, chunk).unwrap_or_default()
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| std::io::Error::other("sample writer poisoned"))?;
        writer.write_all(bytes)
    }
}
