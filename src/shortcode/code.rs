//! Where a body holds code (fenced and indented code blocks, code spans),
//! as CommonMark reads it: shortcodes are never expanded there.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The byte ranges of code in `body`, in order. A body without a backtick,
/// a tilde fence or an indented line has none, and is not parsed.
pub(super) fn regions(body: &str) -> Vec<Range<usize>> {
    let may_have_code = body.contains('`')
        || body.contains("~~~")
        || body
            .split('\n')
            .any(|l| l.starts_with("    ") || l.starts_with('\t'));
    if !may_have_code {
        return Vec::new();
    }
    // The options of rendering that change where code is (tables and
    // footnotes hold code spans; alerts and definitions hold blocks).
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST;
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                let start = block.take().unwrap_or(range.start);
                out.push(start..range.end);
            }
            Event::Code(_) if block.is_none() => out.push(range),
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Whether `at` is inside one of `regions` (sorted by start).
pub(super) fn inside(regions: &[Range<usize>], at: usize) -> bool {
    let i = regions.partition_point(|r| r.start <= at);
    i > 0 && regions[i - 1].contains(&at)
}
