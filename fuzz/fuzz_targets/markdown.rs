//! Markdown rendering with highlighting, checked as `markdown_check` says.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use partnersite::highlight::Highlighter;

#[path = "markdown_check.rs"]
mod markdown_check;

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::new)
}

fuzz_target!(|body: &str| markdown_check::check(body, highlighter()));
