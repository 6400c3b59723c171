//! Questions about a body answered without rendering it.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::rendered::{Problem, missing_target, options};
use super::urls::{IMAGE_SCHEMES, LINK_SCHEMES, unsafe_scheme};
use crate::diagnostic::Code;

/// The `@/` links of `body` whose target (a path inside `content/`)
/// `exists` denies, as `render` reports them; renders no HTML. Loading uses
/// this when it fails, so that one run reports broken links too.
pub fn broken_links(body: &str, exists: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let Some(target) = dest.strip_prefix("@/") else {
            continue;
        };
        let file = target.split_once('#').map_or(target, |(f, _)| f);
        if !exists(file) {
            problems.push(Problem {
                code: Code::BrokenLink,
                span: range,
                message: format!("broken internal link `{dest}`: {}", missing_target(file)),
            });
        }
    }
    problems
}

/// The links and images of `body` whose scheme is not allowed, as `render`
/// reports them; renders no HTML (partner files are checked this way when
/// they load).
pub fn unsafe_links(body: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let (dest, allowed, what) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, LINK_SCHEMES, "link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, IMAGE_SCHEMES, "image"),
            _ => continue,
        };
        if let Some(scheme) = unsafe_scheme(dest, allowed) {
            problems.push(Problem {
                code: Code::UnsafeLink,
                span: range,
                message: format!(
                    "unsafe {what} `{dest}`: `{scheme}:` is not allowed; use an http, https, mailto or relative link"
                ),
            });
        }
    }
    problems
}

/// The word count `render` gives `body`, without rendering it: the words
/// of text outside code blocks, a heading's text and code counted as one
/// run of text.
pub fn word_count(body: &str) -> usize {
    let mut count = 0;
    let mut in_code = false;
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                count += heading
                    .take()
                    .unwrap_or_default()
                    .split_whitespace()
                    .count();
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                heading.get_or_insert_default().push_str(&t);
            }
            Event::Text(t) if !in_code => count += t.split_whitespace().count(),
            _ => {}
        }
    }
    count
}

/// Whether `body` may have a `<!-- more -->` line (then listings show the
/// part before it).
pub fn has_summary_line(body: &str) -> bool {
    body.contains("<!--") && body.to_ascii_lowercase().contains("more")
}
