//! Results: the numbers a run, a comparison, a sweep or a search comes to, computed from tallies.
//! Reports and charts only present what this module computes.

pub mod compare;
pub mod drivers;
mod run;
pub mod scale;
pub mod score;
pub mod solve;
pub mod sweep;
mod timetables;

pub use drivers::{Driver, DriverKind, DriverResults, Focus, OnTime};
pub use run::{
    ArrivalTimes, CorrelationResult, DeadlineResult, MilestoneResult, PERCENTILES, RunResults,
    Share,
};
pub use scale::Scale;
pub use timetables::TimetableResult;
