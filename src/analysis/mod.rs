//! Results: the numbers a run, a comparison, a sweep or a search comes to, computed from tallies.
//! Reports and charts only present what this module computes.

pub mod compare;
mod run;
pub mod scale;
pub mod score;
pub mod solve;
pub mod sweep;
mod timetables;

pub use run::{
    ArrivalTimes, CorrelationResult, DeadlineResult, DriverResults, MilestoneResult, PERCENTILES,
    RunResults, Share,
};
pub use scale::Scale;
pub use timetables::TimetableResult;
