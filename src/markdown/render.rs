//! One rendering pass over a body: events rewritten (heading ids and
//! anchors, highlighted code, resolved and checked links) and the HTML
//! written, with what `check` needs collected on the way.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use super::rendered::{Alerts, Input, Link, Problem, Rendered, Resolver, options};
use super::splice::Spliced;
use super::toc::{Ids, heading_number, nest, unique_id};
use super::urls::{IMAGE_SCHEMES, LINK_SCHEMES, unsafe_scheme};
use crate::diagnostic::Code;
use crate::highlight::Highlighter;
use crate::values::escape::html_attr as escape_attr;

/// Renders `body`, resolving `@/` links with `resolve`.
pub fn render(
    body: &str,
    resolve: &Resolver<'_>,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Problem>) {
    render_input(&Input::plain(body), resolve, highlighter)
}

/// Renders a body whose shortcodes were expanded: its HTML fragments are
/// put back in place of their placeholders, and GitHub alerts are laid
/// out as `input.alerts` says.
pub fn render_input(
    input: &Input<'_>,
    resolve: &Resolver<'_>,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Problem>) {
    let body = input.text;
    let mut pass = Pass {
        resolve,
        highlighter,
        out: Rendered::default(),
        problems: Vec::new(),
        events: Vec::new(),
        ids: Ids::default(),
        headings: Vec::new(),
        hidden_links: Vec::new(),
        depth: 0,
        summary_at: None,
    };
    // CommonMark: U+0000 is replaced by U+FFFD, everywhere (raw HTML too).
    // Each replacement is two bytes longer: spans are mapped back after.
    let cleaned;
    let nuls: Vec<usize> = body.match_indices('\0').map(|(i, _)| i).collect();
    let body = if nuls.is_empty() {
        body
    } else {
        cleaned = body.replace('\0', "\u{fffd}");
        cleaned.as_str()
    };
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut parser = Spliced::new(parser, input.fragments);
    while let Some((event, range)) = parser.next() {
        // Headings and code blocks take their own ends.
        match &event {
            Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock) => {}
            Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(_) => pass.depth += 1,
            Event::End(_) => pass.depth = pass.depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                pass.heading(heading_number(level), id.as_deref(), &mut parser);
            }
            Event::Start(Tag::CodeBlock(kind)) => pass.code_block(&kind, &mut parser),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => pass.link(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Link) => {
                if !pass.hidden_links.pop().unwrap_or(false) {
                    pass.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => pass.image(link_type, dest_url, title, id, range),
            // pulldown-cmark's own checkbox has no accessible name: say
            // what the box shows (the item's text follows it).
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked=\"\"", "Done")
                } else {
                    ("", "To do")
                };
                pass.events.push(Event::InlineHtml(
                    format!(
                        "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\"/>\n"
                    )
                    .into(),
                ));
            }
            Event::Text(t) => {
                pass.out.word_count += t.split_whitespace().count();
                pass.events.push(Event::Text(t));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) if input.alerts.is_some() => {
                let html = alert(input.alerts, kind, true);
                pass.events.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(kind))) if input.alerts.is_some() => {
                let html = alert(input.alerts, kind, false);
                pass.events.push(Event::Html(html.into()));
            }
            Event::Html(h) if pass.depth == 0 && pass.summary_at.is_none() && is_more(&h) => {
                pass.summary_at = Some(pass.events.len());
                pass.events.push(Event::Html(h));
            }
            e => pass.events.push(e),
        }
    }
    let mut out = pass.out;
    if let Some(at) = pass.summary_at {
        let mut summary = String::new();
        pulldown_cmark::html::push_html(&mut summary, pass.events[..at].iter().cloned());
        out.summary = Some(summary.trim_end().to_string());
    }
    out.html.reserve(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut out.html, pass.events.into_iter());
    // Held until its page is rendered: 10,000 of these must not carry slack.
    out.html.shrink_to_fit();
    out.toc = nest(&pass.headings);
    let mut problems = pass.problems;
    if !nuls.is_empty() {
        // The k-th U+0000 of the original starts at `nuls[k] + 2k` here.
        let back = |at: usize| {
            let before = (0..nuls.len())
                .take_while(|&k| nuls[k] + 2 * k < at)
                .count();
            at - 2 * before
        };
        let spans = problems.iter_mut().map(|p| &mut p.span);
        let links = (out.internal_links.iter_mut())
            .chain(out.external_links.iter_mut())
            .chain(out.images.iter_mut())
            .map(|l| &mut l.span);
        for span in spans.chain(links) {
            *span = back(span.start)..back(span.end);
        }
    }
    (out, problems)
}

/// One rendering of a body: the events to write, and what is collected
/// on the way.
struct Pass<'b, 'r> {
    resolve: &'r Resolver<'r>,
    highlighter: &'r Highlighter,
    out: Rendered,
    problems: Vec<Problem>,
    events: Vec<Event<'b>>,
    ids: Ids,
    /// Level, id and text of every heading, in order.
    headings: Vec<(u8, String, String)>,
    /// For each open link, whether it was dropped (a page not in this output).
    hidden_links: Vec<bool>,
    /// How many elements are open: a summary ends only at the top level.
    depth: usize,
    /// The event of the `<!-- more -->` that ends the summary.
    summary_at: Option<usize>,
}

type Events<'b> =
    Spliced<'b, pulldown_cmark::OffsetIter<'b, pulldown_cmark::DefaultBrokenLinkCallback>>;

/// Whether raw HTML is the `<!-- more -->` line that ends a summary.
fn is_more(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|h| h.strip_suffix("-->"))
        .is_some_and(|h| h.trim().eq_ignore_ascii_case("more"))
}

/// The start or end of a GitHub alert, as `alerts` lays it out.
fn alert(alerts: Option<&Alerts>, kind: BlockQuoteKind, start: bool) -> String {
    let i = match kind {
        BlockQuoteKind::Note => 0,
        BlockQuoteKind::Tip => 1,
        BlockQuoteKind::Important => 2,
        BlockQuoteKind::Warning => 3,
        BlockQuoteKind::Caution => 4,
    };
    let Some(alerts) = alerts else {
        return String::new();
    };
    if start {
        alerts.open[i].clone()
    } else {
        alerts.close[i].clone()
    }
}

impl<'b> Pass<'b, '_> {
    /// A heading with a unique id and an anchor link.
    fn heading(&mut self, n: u8, explicit_id: Option<&str>, parser: &mut Events<'b>) {
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
        self.out.word_count += text.split_whitespace().count();
        let id = unique_id(explicit_id, &text, &mut self.ids);
        let attr = escape_attr(&id);
        self.events
            .push(Event::Html(format!("<h{n} id=\"{attr}\">").into()));
        self.events.extend(inner);
        self.events.push(Event::Html(
            format!(
                "<a class=\"anchor\" href=\"#{attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n"
            )
            .into(),
        ));
        self.out.anchors.push(id.clone());
        self.headings.push((n, id, text.trim().to_string()));
    }

    /// A fenced or indented code block, highlighted at build time.
    fn code_block(&mut self, kind: &CodeBlockKind<'_>, parser: &mut Events<'b>) {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        let mut code = String::new();
        for (e, _) in parser.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let html = self.highlighter.block(lang, &code);
        self.events.push(Event::Html(html.into()));
    }

    fn link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'b>,
        title: CowStr<'b>,
        id: CowStr<'b>,
        range: Range<usize>,
    ) {
        let target = link_target(
            &dest_url,
            range,
            self.resolve,
            &mut self.out,
            &mut self.problems,
        );
        // A page outside this output: keep the text, drop the link.
        let Some(url) = target else {
            self.hidden_links.push(true);
            return;
        };
        self.hidden_links.push(false);
        self.events.push(Event::Start(Tag::Link {
            link_type,
            dest_url: url,
            title,
            id,
        }));
    }

    fn image(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'b>,
        title: CowStr<'b>,
        id: CowStr<'b>,
        range: Range<usize>,
    ) {
        let url = if dest_url.starts_with("@/") {
            let (out, problems) = (&mut self.out, &mut self.problems);
            link_target(&dest_url, range.clone(), self.resolve, out, problems)
                .unwrap_or_else(|| dest_url.clone())
        } else if let Some(scheme) = unsafe_scheme(&dest_url, IMAGE_SCHEMES) {
            self.problems.push(Problem {
                code: Code::UnsafeLink,
                span: range.clone(),
                message: format!(
                    "unsafe image `{dest_url}`: `{scheme}:` sources are not allowed; use an http, https or relative path"
                ),
            });
            CowStr::Borrowed("")
        } else {
            dest_url
        };
        self.out.images.push(Link {
            url: url.to_string(),
            span: range,
        });
        self.events.push(Event::Start(Tag::Image {
            link_type,
            dest_url: url,
            title,
            id,
        }));
    }
}

/// Resolves and records one link destination; `None` for a page that exists
/// but is not part of this output.
pub(super) fn link_target<'a>(
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
                    code: Code::BrokenLink,
                    span: range,
                    message: format!("broken internal link `{dest}`: {reason}"),
                });
                Some(dest.clone())
            }
        };
    }
    if let Some(scheme) = unsafe_scheme(dest, LINK_SCHEMES) {
        problems.push(Problem {
            code: Code::UnsafeLink,
            span: range,
            message: format!(
                "unsafe link `{dest}`: `{scheme}:` links are not allowed; use an http, https, mailto, tel or relative link"
            ),
        });
        return None;
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
