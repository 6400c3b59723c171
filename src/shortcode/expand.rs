//! A body with its shortcodes replaced by what each call becomes, and the
//! map from the result back to the body.
//!
//! HTML never goes through markdown: each piece of a call's HTML is kept
//! as a fragment and a placeholder stands in the text, which markdown
//! rendering replaces with it. The body of a block call stays markdown,
//! in place, between the fragments before and after the template's
//! `body`. A call that stands on lines of its own becomes a block: blank
//! lines (with the indentation of its list item or quote) set its
//! fragments apart, so that they are not part of a paragraph.

use std::borrow::Cow;
use std::ops::Range;

use super::marks::{BODY_MARKER, neutralized, placeholder};
use super::problem::Problem;
use super::scan::{Call, Node};
use crate::diagnostic::Code;

/// What one call becomes, as the caller decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing: the call and its body are cut.
    Cut,
    /// Markdown text in place of the whole call (a `.md` shortcode).
    Markdown(String),
    /// HTML (a `.html` shortcode): for a block call, the template's output
    /// holds `BODY_MARKER` where the body goes (or not at all, to leave the
    /// body out).
    Html(String),
}

/// A body with its shortcodes expanded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded<'b> {
    pub text: Cow<'b, str>,
    /// The HTML the placeholders of `text` stand for.
    pub fragments: Vec<String>,
    pub map: OffsetMap,
}

/// Maps offsets of an expanded text to offsets of the body it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// Pieces of the text in order; none: the text is the body.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    /// Start in the expanded text.
    at: usize,
    len: usize,
    /// Copied from the body at `from.start`, or made for the call at `from`.
    from: Range<usize>,
    copied: bool,
}

impl OffsetMap {
    /// The offset in the body of offset `at` of the text.
    pub fn offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.at <= at);
        let Some(p) = i.checked_sub(1).map(|i| &self.pieces[i]) else {
            return at;
        };
        if p.copied {
            p.from.start + (at - p.at).min(p.len)
        } else if at == p.at {
            p.from.start
        } else {
            p.from.end
        }
    }

    /// The range of the body that `span` of the text comes from.
    pub fn span(&self, span: Range<usize>) -> Range<usize> {
        let start = self.offset(span.start);
        start..self.offset(span.end).max(start)
    }
}

/// What decides the outcome of each call.
pub trait Calls {
    /// Whether the call is kept; `false` cuts it and its body.
    fn shows(&mut self, call: &Call) -> bool;
    /// What a kept call becomes; `body` is its body, expanded (the text a
    /// `.md` template gets).
    fn render(&mut self, call: &Call, body: Option<&str>) -> Result<Outcome, Problem>;
}

/// Expands `nodes`, the shortcodes of `body`, as `calls` decides.
pub fn expand<'b>(
    body: &'b str,
    nodes: &[Node],
    calls: &mut dyn Calls,
) -> Result<Expanded<'b>, Vec<Problem>> {
    if nodes.is_empty() {
        return Ok(Expanded {
            text: neutralized(body),
            ..Expanded::default()
        });
    }
    let mut out = Builder::default();
    let mut ctx = Ctx {
        body,
        calls,
        fragments: Vec::new(),
        problems: Vec::new(),
    };
    ctx.range(&mut out, 0..body.len(), nodes);
    if !ctx.problems.is_empty() {
        return Err(ctx.problems);
    }
    Ok(Expanded {
        text: Cow::Owned(out.text),
        fragments: ctx.fragments,
        map: OffsetMap { pieces: out.pieces },
    })
}

/// An expanded text being written.
#[derive(Default)]
struct Builder {
    text: String,
    pieces: Vec<Piece>,
}

impl Builder {
    /// Copies `range` of the body.
    fn copy(&mut self, body: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let part = neutralized(&body[range.clone()]);
        self.pieces.push(Piece {
            at: self.text.len(),
            len: part.len(),
            from: range,
            copied: true,
        });
        self.text.push_str(&part);
    }

    /// Writes text made for the call at `from`.
    fn made(&mut self, text: &str, from: Range<usize>) {
        if text.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            at: self.text.len(),
            len: text.len(),
            from,
            copied: false,
        });
        self.text.push_str(text);
    }

    /// Writes another builder's text.
    fn append(&mut self, other: Builder) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.pieces.extend(other.pieces.into_iter().map(|mut p| {
            p.at += shift;
            p
        }));
    }
}

struct Ctx<'a, 'b> {
    body: &'b str,
    calls: &'a mut dyn Calls,
    /// Every fragment of the text, by the number of its placeholder.
    fragments: Vec<String>,
    problems: Vec<Problem>,
}

impl Ctx<'_, '_> {
    /// Writes `range` of the body, with the `nodes` inside it expanded.
    fn range(&mut self, out: &mut Builder, range: Range<usize>, nodes: &[Node]) {
        let mut at = range.start;
        for node in nodes {
            match node {
                Node::Escaped { span, text } => {
                    out.copy(self.body, at..span.start);
                    out.made(text, span.clone());
                    at = span.end;
                }
                Node::Call(call) => {
                    out.copy(self.body, at..call.span.start);
                    self.call(out, call);
                    at = call.span.end;
                }
            }
        }
        out.copy(self.body, at..range.end);
    }

    fn call(&mut self, out: &mut Builder, call: &Call) {
        if !self.calls.shows(call) {
            return;
        }
        // The body first: a `.md` template gets it as text.
        let inner = call.body.as_ref().map(|b| {
            let mut inner = Builder::default();
            self.range(&mut inner, b.span.clone(), &b.nodes);
            inner
        });
        match self
            .calls
            .render(call, inner.as_ref().map(|b| b.text.as_str()))
        {
            Err(p) => self.problems.push(p),
            Ok(Outcome::Cut) => {}
            // Its text may hold the body's placeholders: kept as they are.
            Ok(Outcome::Markdown(text)) => out.made(&text, call.span.clone()),
            Ok(Outcome::Html(html)) => self.html(out, call, html, inner),
        }
    }

    /// Writes a placeholder for `html`, standing for the call at `from`.
    fn fragment(&mut self, out: &mut Builder, html: String, from: Range<usize>) {
        out.made(&placeholder(self.fragments.len()), from);
        self.fragments.push(html);
    }

    /// Writes the fragments of an HTML call around its body.
    fn html(&mut self, out: &mut Builder, call: &Call, html: String, inner: Option<Builder>) {
        let (before, after, inner) = match (inner, html.split_once(BODY_MARKER)) {
            (Some(inner), Some((before, after))) => {
                if after.contains(BODY_MARKER) {
                    self.problems.push(Problem {
                        code: Code::ShortcodeTemplate,
                        span: call.open.clone(),
                        message: format!(
                            "shortcode `{}`: its template shows `body` more than once; show it once",
                            call.name
                        ),
                    });
                    return;
                }
                (before.to_string(), after.to_string(), Some(inner))
            }
            (_, _) => (html.replace(BODY_MARKER, ""), String::new(), None),
        };
        let end = call
            .body
            .as_ref()
            .map_or(call.span.clone(), |b| b.end.clone());
        let blank = call.indent.trim_end().to_string();
        // A block: blank lines around each fragment, in the call's container.
        let block = call.alone;
        if !before.is_empty() {
            if block {
                out.made(&format!("\n{}", call.indent), call.open.clone());
            }
            self.fragment(out, before, call.open.clone());
            if block {
                out.made(&format!("\n{blank}"), call.open.clone());
            }
        }
        if let Some(inner) = inner {
            out.append(inner);
        }
        if !after.is_empty() {
            if block {
                out.made(&format!("\n{}", call.indent), end.clone());
            }
            self.fragment(out, after, end.clone());
            if block {
                out.made(&format!("\n{blank}"), end);
            }
        }
    }
}
