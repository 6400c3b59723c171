//! The characters the shortcode module gives a meaning to in an expanded
//! body: placeholders of HTML fragments, and the body marker.

/// Marks where an HTML shortcode's template put `body`: the body's
/// markdown is rendered there, in the page.
pub const BODY_MARKER: &str = "\u{e002}";

/// The characters that delimit a placeholder of an HTML fragment in an
/// expanded body (private-use characters, which no markdown syntax uses).
pub const FRAGMENT_OPEN: char = '\u{e000}';
pub const FRAGMENT_CLOSE: char = '\u{e001}';

/// The placeholder of fragment `i`.
pub fn placeholder(i: usize) -> String {
    format!("{FRAGMENT_OPEN}{i}{FRAGMENT_CLOSE}")
}

/// `text` with the characters this module gives a meaning to replaced by
/// U+FFFD (of the same length in UTF-8, so offsets stay), so that no text
/// of a page or of data can pose as a placeholder or a body marker.
pub fn neutralized(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\u{e000}', '\u{e001}', '\u{e002}']) {
        text.replace(['\u{e000}', '\u{e001}', '\u{e002}'], "\u{fffd}")
            .into()
    } else {
        text.into()
    }
}
