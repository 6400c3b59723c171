//! Stage timings for profiling, printed to stderr when the environment
//! variable `PARTNERSITE_TIMINGS` is set. Never part of the output.

use std::time::Instant;

/// Measures consecutive stages of one piece of work.
pub struct Timings {
    on: bool,
    label: &'static str,
    last: Instant,
    /// CPU seconds the process had used when the previous stage ended.
    cpu: f64,
}

impl Timings {
    pub fn start(label: &'static str) -> Self {
        let on = std::env::var_os("PARTNERSITE_TIMINGS").is_some();
        Timings {
            on,
            label,
            last: Instant::now(),
            cpu: if on { cpu_seconds() } else { 0.0 },
        }
    }

    /// Prints the time since the previous stage ended, and the CPU time
    /// the whole process (every thread) used in it: about twice the time
    /// on two cores when the stage keeps both busy.
    pub fn stage(&mut self, name: &str) {
        if self.on {
            let now = Instant::now();
            let cpu = cpu_seconds();
            eprintln!(
                "[timings] {}: {name}: {:.1} ms, cpu {:.1} s{}",
                self.label,
                (now - self.last).as_secs_f64() * 1000.0,
                cpu - self.cpu,
                memory()
            );
            self.last = now;
            self.cpu = cpu;
        }
    }
}

/// User and system CPU seconds of the process so far, where the system
/// tells them (Linux: `/proc/self/stat`, in clock ticks of USER_HZ, which
/// is 100 on Linux); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) may hold spaces: count after its `)`.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let mut fields = rest.split_whitespace().skip(11);
    let mut ticks = || fields.next().and_then(|t| t.parse::<u64>().ok());
    match (ticks(), ticks()) {
        (Some(user), Some(system)) => (user + system) as f64 / 100.0,
        _ => 0.0,
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
