//! eta: a Monte Carlo scenario engine. Data flows one way:
//! scenario text ([`scenario`]) → validated model ([`model`]) → sampled trials ([`engine`], with
//! [`distribution`]) → summaries ([`stats`], [`report`]) → files ([`output`]). [`load`] turns a
//! scenario file (overrides and variants applied) into a model; [`analysis`] computes what-if
//! results. The `eta` binary's command line (`src/cli/`) drives it all and is not part of the
//! library.
//! Below the pipeline sit the foundations every stage may use and which use no stage:
//! [`diag`], [`quantity`], [`time`], [`random`], [`format`], and [`numeric`] (the hand-written
//! numerical routines).

pub mod analysis;
pub mod chart;
pub mod dataset;
pub mod diag;
pub mod distribution;
pub mod engine;
pub mod format;
pub mod load;
pub mod model;
pub mod numeric;
pub mod output;
pub mod quantity;
pub mod random;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod time;
