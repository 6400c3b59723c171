//! A partner file: parse and validate it, then print every problem.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnersite::data::{Problems, partner};

fuzz_target!(|source: &str| {
    let mut problems = Problems::new("data/partners/fuzz.toml", source);
    let logo_exists = |logo: &str| match logo {
        "logos/a.svg" => Ok(()),
        _ => Err("not found".to_string()),
    };
    let parsed = partner::parse("fuzz", source, &logo_exists, &mut problems);
    if problems.list.is_empty() {
        let p = parsed.expect("no problems means a partner");
        assert!(p.quarters.windows(2).all(|w| w[0].quarter < w[1].quarter));
    }
    for d in &problems.list {
        let _ = d.to_string();
    }
});
