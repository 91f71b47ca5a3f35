//! eta: a Monte Carlo scenario engine. Data flows one way:
//! scenario text ([`scenario`]) → validated model ([`model`]) → sampled trials ([`engine`], with
//! [`distribution`]) → summaries ([`stats`], [`report`]) → files ([`output`]); [`cli`] drives it.
//! Below the pipeline sit the foundations every stage may use and which use no stage:
//! [`diag`], [`quantity`], [`time`], [`random`], [`format`], and [`numeric`] (the hand-written
//! numerical routines).

pub mod analysis;
pub mod chart;
pub mod cli;
pub mod diag;
pub mod distribution;
pub mod engine;
mod fit_cli;
pub mod format;
pub mod model;
pub mod numeric;
pub mod output;
pub mod quantity;
pub mod random;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod time;

mod whatif_cli;
