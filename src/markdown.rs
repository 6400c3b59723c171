//! Markdown to HTML with pulldown-cmark.
//!
//! Takes a page body and a resolver for `@/` links; returns the HTML, the
//! table of contents, the word count and every link and anchor, so that
//! `check` never has to parse HTML again. Never touches the disk.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::highlight::{Highlighter, escape_attr, escape_text};

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
    pub span: Range<usize>,
    pub message: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Maps an `@/` target (`sales/x.md`) to its URL; `Ok(None)` when the page
/// exists but is not in this output (the link is dropped, its text kept);
/// `Err(reason)` when there is no such page.
pub type Resolver<'a> = dyn Fn(&str) -> Result<Option<String>, String> + 'a;

/// Renders `body`, resolving `@/` links with `resolve`.
pub fn render(
    body: &str,
    resolve: &Resolver<'_>,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Problem>) {
    let mut out = Rendered::default();
    let mut problems = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids = Ids::default();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut hidden_links: Vec<bool> = Vec::new();
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();

    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (e, _) in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(ref t) | Event::Code(ref t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(e);
                }
                out.word_count += text.split_whitespace().count();
                let id = unique_id(id.as_deref(), &text, &mut used_ids);
                let n = heading_number(level);
                events.push(Event::Html(
                    format!("<h{n} id=\"{}\">", escape_attr(&id)).into(),
                ));
                events.extend(inner);
                events.push(Event::Html(
                    format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n",
                        escape_attr(&id)
                    )
                    .into(),
                ));
                out.anchors.push(id.clone());
                headings.push((n, id, text.trim().to_string()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (e, _) in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                events.push(Event::Html(highlighter.block(&lang, &code).into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // A page outside this output: keep the text, drop the link.
                let Some(url) = link_target(&dest_url, range, resolve, &mut out, &mut problems)
                else {
                    hidden_links.push(true);
                    continue;
                };
                hidden_links.push(false);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if !hidden_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = if dest_url.starts_with("@/") {
                    link_target(&dest_url, range.clone(), resolve, &mut out, &mut problems)
                        .unwrap_or_else(|| dest_url.clone())
                } else {
                    dest_url
                };
                out.images.push(Link {
                    url: url.to_string(),
                    span: range,
                });
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            // pulldown-cmark's own checkbox has no accessible name: say
            // what the box shows (the item's text follows it).
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked=\"\"", "Done")
                } else {
                    ("", "To do")
                };
                events.push(Event::InlineHtml(
                    format!(
                        "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\"/>\n"
                    )
                    .into(),
                ));
            }
            Event::Text(t) => {
                out.word_count += t.split_whitespace().count();
                events.push(Event::Text(t));
            }
            e => events.push(e),
        }
    }
    out.html.reserve(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // Held until its page is rendered: 10,000 of these must not carry slack.
    out.html.shrink_to_fit();
    out.toc = nest(&headings);
    (out, problems)
}

/// Resolves and records one link destination; `None` for a page that exists
/// but is not part of this output.
fn link_target<'a>(
    dest: &CowStr<'a>,
    range: Range<usize>,
    resolve: &Resolver<'_>,
    out: &mut Rendered,
    problems: &mut Vec<Problem>,
) -> Option<CowStr<'a>> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (file, fragment) = match target.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (target, None),
        };
        return match resolve(file) {
            Ok(None) => None,
            Ok(Some(url)) => {
                let url = match fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url,
                };
                out.internal_links.push(Link {
                    url: url.clone(),
                    span: range,
                });
                Some(url.into())
            }
            Err(reason) => {
                problems.push(Problem {
                    span: range,
                    message: format!("broken internal link `{dest}`: {reason}"),
                });
                Some(dest.clone())
            }
        };
    }
    let link = Link {
        url: dest.to_string(),
        span: range,
    };
    if dest.starts_with("http://") || dest.starts_with("https://") {
        out.external_links.push(link);
    } else if !dest.contains(':') {
        out.internal_links.push(link);
    }
    Some(dest.clone())
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The heading ids of a page so far, and for each base id the next suffix
/// to try: 10,000 headings of the same text take linear time, not quadratic.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

/// An id for a heading: the explicit `{#id}` or a slug of its text, made
/// unique within the page with `-1`, `-2`, ….
fn unique_id(explicit: Option<&str>, text: &str, ids: &mut Ids) -> String {
    let base = match explicit {
        Some(id) => id.to_string(),
        None => {
            let s = slug::slugify(text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        }
    };
    if ids.used.insert(base.clone()) {
        return base;
    }
    let n = ids.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if ids.used.insert(id.clone()) {
            return id;
        }
    }
}

/// Builds the nested table of contents from headings in document order.
fn nest(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(headings: &[(u8, String, String)], i: &mut usize, parent: u8) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        while let Some((level, id, title)) = headings.get(*i) {
            if *level <= parent {
                break;
            }
            *i += 1;
            let children = take(headings, i, *level);
            entries.push(TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        entries
    }
    let mut i = 0;
    let mut all = Vec::new();
    while i < headings.len() {
        all.extend(take(headings, &mut i, 0));
    }
    all
}

/// Plain text of some HTML-free markdown, for descriptions and search.
pub fn escape(s: &str) -> String {
    escape_text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> (Rendered, Vec<Problem>) {
        let resolve = |p: &str| match p {
            "sales/x.md" => Ok(Some("/sales/x/".to_string())),
            "internal/y.md" => Ok(None),
            other => Err(format!("no page `content/{other}`")),
        };
        render(body, &resolve, &Highlighter::new())
    }

    #[test]
    fn extensions_are_on() {
        let (r, _) = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nn[^1]\n\n[^1]: note\n",
        );
        for needle in [
            "<table>",
            "<del>x</del>",
            "\u{201c}q\u{201d}",
            "type=\"checkbox\"",
            "footnote",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn task_list_checkboxes_are_named_by_their_state() {
        let (r, _) = md("- [x] sent\n- [ ] signed\n");
        assert!(
            r.html.contains(
                "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_anchor_links() {
        let (r, _) = md("## Deal registration\n\n## Deal registration\n\n### Custom {#mine}\n");
        assert!(r.html.contains("<h2 id=\"deal-registration\">Deal registration<a class=\"anchor\" href=\"#deal-registration\""));
        assert_eq!(
            r.anchors,
            vec!["deal-registration", "deal-registration-1", "mine"]
        );
    }

    #[test]
    fn toc_nests_by_level() {
        let (r, _) = md("## A\n### A1\n### A2\n## B\n");
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].title, "A2");
    }

    #[test]
    fn internal_links_resolve_with_fragment() {
        let (r, p) = md("[x](@/sales/x.md#top)");
        assert!(p.is_empty());
        assert!(r.html.contains("href=\"/sales/x/#top\""), "{}", r.html);
        assert_eq!(r.internal_links[0].url, "/sales/x/#top");
    }

    #[test]
    fn links_to_pages_outside_the_output_keep_only_their_text() {
        let (r, p) = md("see [the handbook](@/internal/y.md) and [x](@/sales/x.md)");
        assert!(p.is_empty());
        assert!(
            r.html
                .contains("see the handbook and <a href=\"/sales/x/\">x</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn missing_internal_link_is_a_problem_with_its_span() {
        let body = "see [y](@/nope.md) now";
        let (_, p) = md(body);
        assert_eq!(p.len(), 1);
        assert_eq!(&body[p[0].span.clone()], "[y](@/nope.md)");
        assert!(p[0].message.contains("content/nope.md"));
    }

    #[test]
    fn code_is_highlighted_and_counted_links_collected() {
        let (r, _) =
            md("one two\n\n```json\n{\"a\": 1}\n```\n\n[e](https://example.com) ![i](a.png)");
        assert!(r.html.contains("data-lang=\"json\""));
        assert_eq!(r.external_links[0].url, "https://example.com");
        assert_eq!(r.images[0].url, "a.png");
        assert!(r.word_count >= 3);
    }
}
