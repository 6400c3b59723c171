//! As `markdown`, with code blocks escaped but not highlighted: syntect
//! dominates the `markdown` target's time, so this one gets many more runs
//! through the parsing, heading ids, table of contents and `@/` links.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use partnersite::highlight::Highlighter;

#[path = "markdown_check.rs"]
mod markdown_check;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::plain)
}

fuzz_target!(|body: &str| markdown_check::check(body, highlighter()));
