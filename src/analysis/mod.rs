//! Results: the numbers a run, a comparison, a sweep or a search comes to, computed from tallies.
//! Reports and charts only present what this module computes.

mod run;
pub mod whatif;

pub use run::{
    ArrivalTimes, CorrelationResult, DeadlineResult, DriverResults, MilestoneResult, PERCENTILES,
    RunResults, Share,
};
