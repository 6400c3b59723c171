//! Stage timings for profiling, printed to stderr when the environment
//! variable `PARTNERSITE_TIMINGS` is set. Never part of the output.

use std::time::Instant;

/// Measures consecutive stages of one piece of work.
pub struct Timings {
    on: bool,
    label: &'static str,
    last: Instant,
}

impl Timings {
    pub fn start(label: &'static str) -> Self {
        Timings {
            on: std::env::var_os("PARTNERSITE_TIMINGS").is_some(),
            label,
            last: Instant::now(),
        }
    }

    /// Prints the time since the previous stage ended.
    pub fn stage(&mut self, name: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!(
                "[timings] {}: {name}: {:.1} ms{}",
                self.label,
                (now - self.last).as_secs_f64() * 1000.0,
                memory()
            );
            self.last = now;
        }
    }
}

/// Resident and peak memory, where the system tells them (Linux).
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    format!(
        " (memory {} MiB, peak {} MiB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}
