//! A progress line on stderr while a long build runs, for a person at a
//! terminal: `build` turns it on in `human` mode when stderr is a terminal
//! (never in CI logs, `github` or `json` mode). The line is rewritten in
//! place at most ten times a second and cleared before anything else is
//! printed. It is never part of the output.

use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
/// When the line was last drawn, and whether one is on the screen.
static SHOWN: Mutex<Option<Instant>> = Mutex::new(None);

/// Shows progress from now on.
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Draws `what()` as the progress line, unless it was drawn less than a
/// tenth of a second ago (then `what` is not even called).
pub fn show(what: impl FnOnce() -> String) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    if shown.is_some_and(|at| at.elapsed() < Duration::from_millis(100)) {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K{}", what());
    let _ = err.flush();
    *shown = Some(Instant::now());
}

/// Removes the progress line, if one is shown.
pub fn clear() {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    if shown.take().is_some() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
