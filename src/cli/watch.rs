//! `eta run --watch`: reruns the scenario whenever its file is saved, printing the change in each
//! deadline's probability (and the errors of a broken save, then waiting for the next).

use super::args::RunArgs;
use super::failure::Failure;
use super::run::run;
use super::stdout;
use eta::format::percent;
use eta::report::Summary;
use std::path::Path;
use std::time::{Duration, SystemTime};

pub fn watch(args: &RunArgs) -> Result<(), Failure> {
    let mut previous: Option<Summary> = None;
    let mut seen = modified(&args.file);
    loop {
        let line = match run(args) {
            Ok(summary) => {
                let line = change_line(previous.as_ref(), &summary);
                previous = Some(summary);
                line
            }
            Err(Failure::Closed) => return Err(Failure::Closed),
            Err(Failure::Interrupted) => return Err(Failure::Interrupted),
            Err(failure) => {
                failure.report();
                format!(
                    "(the scenario has errors; still watching {})",
                    args.file.display()
                )
            }
        };
        stdout::print(&format!("{line}\n"))?;
        // Poll, then wait for the writes of one save to settle before rerunning.
        loop {
            std::thread::sleep(Duration::from_millis(200));
            if super::interrupt::requested() {
                return Err(Failure::Interrupted);
            }
            let now = modified(&args.file);
            if now != seen {
                std::thread::sleep(Duration::from_millis(300));
                seen = modified(&args.file);
                break;
            }
        }
    }
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| Some((m.modified().ok()?, m.len())))
}

fn change_line(previous: Option<&Summary>, now: &Summary) -> String {
    let parts: Vec<String> = now
        .deadlines
        .iter()
        .map(|d| {
            let before = previous.and_then(|p| p.deadlines.iter().find(|x| x.id == d.id));
            match before {
                Some(b) => format!(
                    "P({}) {} -> {}",
                    d.name,
                    percent(b.probability, 1),
                    percent(d.probability, 1)
                ),
                None => format!("P({}) {}", d.name, percent(d.probability, 1)),
            }
        })
        .collect();
    let when = jiff::Timestamp::now().strftime("%H:%M:%S").to_string();
    if parts.is_empty() {
        format!("[{when}] ran {} trials", now.trials)
    } else {
        format!("[{when}] {}", parts.join("; "))
    }
}
