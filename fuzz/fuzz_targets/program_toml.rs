//! `data/program.toml`: parse and validate it, then print every problem.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnersite::data::{Problems, program};

fuzz_target!(|source: &str| {
    let mut problems = Problems::new("data/program.toml", source);
    let parsed = program::parse(source, &mut problems);
    if problems.list.is_empty() {
        assert!(parsed.is_some());
    }
    for d in &problems.list {
        let _ = d.to_string();
    }
});
