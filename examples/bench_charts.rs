//! Times SVG chart rendering: `cargo run --release --example bench_charts [n]`
//! draws n charts (default 1,000: bar, line and horizontal-bar charts in
//! turn, 8 quarters each) on all cores, as a partner build does, and prints
//! the wall time. A `--release` harness, not a timed test.

use std::time::Instant;

use partnersite::render::charts::{self, Meta, Series};
use partnersite::values::Unit;
use rayon::prelude::*;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let quarters: Vec<String> = (0..8)
        .map(|i| format!("202{}-Q{}", 5 + i / 4, 1 + i % 4))
        .collect();
    let start = Instant::now();
    let bytes: usize = (0..n)
        .into_par_iter()
        .map(|i| {
            let values = |k: f64| {
                (0..8)
                    .map(|q| Some(k * (q as f64 + 1.0) + i as f64))
                    .collect::<Vec<_>>()
            };
            let meta = Meta {
                file: "c.svg",
                title: "Benchmark chart",
                desc: "A chart drawn for timing.",
            };
            let chart = match i % 3 {
                0 => charts::bars(
                    meta,
                    &quarters,
                    &[
                        Series {
                            name: "Influenced".into(),
                            values: values(40_000.0),
                        },
                        Series {
                            name: "Sourced".into(),
                            values: values(15_000.0),
                        },
                    ],
                    Unit::Money,
                    false,
                ),
                1 => charts::lines_with_target(
                    meta,
                    &quarters,
                    &[Series {
                        name: "Satisfaction".into(),
                        values: values(0.5),
                    }],
                    Some(8.5),
                    Unit::Score,
                ),
                _ => {
                    let labels: Vec<String> = (0..12).map(|p| format!("Partner {p}")).collect();
                    let shares: Vec<f64> = (0..12).map(|p| 0.02 * p as f64).collect();
                    charts::horizontal_bars(meta, &labels, &shares, Some(0.2), Unit::Rate, "Share")
                }
            };
            chart.svg.len()
        })
        .sum();
    let elapsed = start.elapsed();
    println!(
        "{n} charts in {:.3} s ({:.2} ms each on {} threads, {:.1} MiB of SVG)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / n as f64 * rayon::current_num_threads() as f64,
        rayon::current_num_threads(),
        bytes as f64 / 1048576.0
    );
}
