//! Results: the numbers a run, a comparison, a sweep or a search comes to, computed from tallies.
//! Reports and charts only present what this module computes.

pub mod compare;
pub mod conditioning;
pub mod drivers;
mod run;
pub mod scale;
pub mod score;
pub mod solve;
pub mod sweep;
mod timetables;

pub use drivers::{Driver, DriverKind, DriverResults, Focus, OnTime};
pub use run::{
    ArrivalTimes, Conditioning, CorrelationResult, DeadlineResult, MilestoneResult, PERCENTILES,
    RunResults, Share, TARGET_EFFECTIVE,
};
pub use scale::Scale;
pub use timetables::TimetableResult;
