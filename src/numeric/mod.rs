//! Numerical routines under the distributions, fits and correlations: special functions, root
//! finders and minimisers, least squares, quadrature, small matrices, and float ordering with a
//! radix argsort. Nothing here knows about scenarios, units or the pipeline.
//!
//! They are written by hand rather than taken from a crate for three reasons: speed measured in
//! the trial loop (the quantiles, CDFs and the argsort run per chunk of trials, and generic
//! crates cost several times as much there); exact control of accuracy (tail probabilities to
//! full relative precision, quantiles to the last bit on atoms, and results that stay
//! bit-identical from release to release, which every shipped scenario's output relies on); and
//! no dependency for a few hundred lines each.

pub mod matrix;
pub mod optimize;
pub mod quadrature;
pub mod roots;
pub mod sort;
pub mod special;
#[cfg(test)]
pub(crate) mod testing;
