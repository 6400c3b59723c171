//! Shortcodes, with Zola's syntax, in a page's markdown body:
//! `{{ name(key=value, …) }}` inline and `{% name(key=value, …) %}` …
//! `{% end %}` around a body; `{{/* … */}}` writes a shortcode literally.
//!
//! Takes a body; `scan` finds every call with a scanner that skips code
//! blocks (fenced and indented) and code spans, and parses the arguments
//! (`args`); `expand` rewrites the body with what each call becomes, as
//! the caller decides (cut, markdown, or HTML kept aside as a fragment
//! that markdown rendering puts back untouched), and keeps a map from
//! every byte of the result to the body, so that a problem found later
//! points at the body's own line and column. Renders no template and
//! decides nothing about who may see what: `render` does, asking
//! `isolation`. Never touches the disk.

mod args;
mod code;
mod expand;
mod marks;
mod problem;
mod scan;

pub use args::Arg;
pub use expand::{Calls, Expanded, OffsetMap, Outcome, expand};
pub use marks::{BODY_MARKER, FRAGMENT_CLOSE, FRAGMENT_OPEN, neutralized, placeholder};
pub use problem::Problem;
pub use scan::{Body, Call, Node, present, scan};

#[cfg(test)]
mod tests;
