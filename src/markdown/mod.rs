//! Markdown to HTML with pulldown-cmark.
//!
//! Takes a page body and a resolver for `@/` links; returns the HTML, the
//! table of contents, the word count and every link and anchor, so that
//! `check` never has to parse HTML again (`render`). Some questions are
//! answered without rendering (`scan`): broken `@/` links, unsafe links,
//! the word count. Never touches the disk.

mod render;
mod rendered;
mod scan;
mod splice;
mod toc;
mod urls;

pub use render::{render, render_input};
pub use rendered::{
    ALERT_KINDS, Alerts, Input, Link, Problem, Rendered, Resolver, TocEntry, missing_target,
};
pub use scan::{broken_links, has_summary_line, unsafe_links, word_count};
pub use urls::{LINK_SCHEMES, unsafe_scheme};

#[cfg(test)]
mod tests;
