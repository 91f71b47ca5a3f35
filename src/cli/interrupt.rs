//! Ctrl-C (SIGINT), SIGTERM and SIGHUP during a command that runs trials: the signal only sets a
//! flag; the engine checks it between chunks and `eta run` before it moves its outputs into
//! place, so the command stops, removes its staging folder and temporary files, and exits 130
//! (128 + SIGINT, whichever of the three signals arrived: the handler is not told which). A
//! signal that arrives once the outputs are being moved into place lets the command finish:
//! the set is then whole. Without the handler the signal would kill the process before any
//! cleanup could run.
//!
//! The handler comes from the `ctrlc` crate (with its `termination` feature for SIGTERM and
//! SIGHUP): the maintained, portable way to turn signals into an ordinary callback on a thread
//! of its own, so no code of eta's runs in signal context.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Routes the signals to the flag (once; a second call changes nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
}

/// The flag the engine checks ([`eta::engine::RunOptions::cancel`]).
pub fn flag() -> &'static AtomicBool {
    &REQUESTED
}

/// Whether a signal asked the command to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
