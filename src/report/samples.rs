//! Per-trial output (`--samples FILE.csv`): one row per trial with every sampled input, the route
//! taken and every milestone's instant, streamed in trial order so memory stays flat.

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
        writeln!(
            writer,
            "{}",
            header
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(",")
        )?;
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
}

impl<W: Write + Send + Sync> TrialSink for CsvSamples<W> {
    fn format(&self, model: &Model, chunk: &Workspace) -> Vec<u8> {
        let mut out = String::with_capacity(chunk.len * 64);
        for i in 0..chunk.len {
            out.push_str(&(chunk.first_trial + i as u64).to_string());
            out.push(',');
            if let Some(r) = model.routes.get(usize::from(chunk.route[i])) {
                out.push_str(&csv_field(&r.name));
            }
            for (input, column) in model.inputs.iter().zip(&chunk.inputs) {
                out.push(',');
                let v = column[i];
                match input.kind {
                    Kind::Duration => out.push_str(&format!("{:.6}", v / 3600.0)),
                    Kind::Date | Kind::TimeOfDay => out.push_str(&format_quantity(input.kind, v)),
                    _ => out.push_str(&format!("{v}")),
                }
            }
            for column in &chunk.times {
                out.push(',');
                if !column[i].is_nan() {
                    out.push_str(&rfc3339(column[i], &self.zone));
                }
            }
            out.push('\n');
        }
        out.into_bytes()
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| std::io::Error::other("sample writer poisoned"))?;
        writer.write_all(bytes)
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
