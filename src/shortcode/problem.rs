//! What goes wrong in a body's shortcodes: a message at a byte range of
//! the body.

use std::ops::Range;

use crate::diagnostic::Code;

/// A problem with a shortcode, at a byte range of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub span: Range<usize>,
    pub message: String,
}
