//! What rendering a body gives, and the options every pass parses with.

use std::ops::Range;

use pulldown_cmark::Options;
use serde::Serialize;

use crate::diagnostic::Code;

/// One heading in the table of contents, with its subheadings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link found in the body, with its byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub span: Range<usize>,
}

/// Why an `@/` link to `target` (a path inside `content/`) leads nowhere.
pub fn missing_target(target: &str) -> String {
    format!(
        "no page `content/{target}`; write the path of a file under content/, like @/sales/_index.md"
    )
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The HTML before a `<!-- more -->` line, if the body has one.
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    /// Ids of every heading, in order.
    pub anchors: Vec<String>,
    /// Resolved internal links (`@/…`, `/…` and `#…`), as written in the HTML.
    pub internal_links: Vec<Link>,
    /// `http(s)://` links, for `check --external`.
    pub external_links: Vec<Link>,
    /// Image sources, for `check` (missing files) and accessibility.
    pub images: Vec<Link>,
}

/// A problem in a body: a byte range of the body and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub span: Range<usize>,
    pub message: String,
}

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// What a body is rendered from: its text (shortcodes expanded), the HTML
/// fragments its placeholders stand for, and how GitHub alerts look.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub text: &'a str,
    pub fragments: &'a [String],
    /// `None`: alerts as pulldown-cmark writes them.
    pub alerts: Option<&'a Alerts>,
}

impl<'a> Input<'a> {
    /// A body without shortcodes.
    pub fn plain(text: &'a str) -> Input<'a> {
        Input {
            text,
            fragments: &[],
            alerts: None,
        }
    }
}

/// The HTML before and after the text of each kind of GitHub alert
/// (`> [!NOTE]`), in the order of `ALERT_KINDS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alerts {
    pub open: [String; 5],
    pub close: [String; 5],
}

/// The kinds of GitHub alerts, as the `callout` shortcode names them.
pub const ALERT_KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

/// Maps an `@/` target (`sales/x.md`) to its URL; `Ok(None)` when the page
/// exists but is not in this output (the link is dropped, its text kept);
/// `Err(reason)` when there is no such page.
pub type Resolver<'a> = dyn Fn(&str) -> Result<Option<String>, String> + 'a;
