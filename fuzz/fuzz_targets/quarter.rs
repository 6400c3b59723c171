//! Quarter parsing, and the arithmetic a parsed quarter is used for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnersite::values::Quarter;

fuzz_target!(|text: &str| {
    let Ok(q) = text.parse::<Quarter>() else {
        return;
    };
    assert_eq!(q.to_string(), text);
    assert_eq!(q.minus(4).plus(4), q);
    assert!(q.start_date() <= q.end_date());
    assert_eq!(Quarter::of_date(q.end_date()), q);
    assert_eq!(Quarter::of_date(q.start_date()), q);
    let _ = (q.ttm(), q.year_to_date(), q.minus(1).end_date());
});
