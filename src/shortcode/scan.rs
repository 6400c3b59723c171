//! Finding the shortcodes of a body: `{{ name(…) }}`, `{% name(…) %}` …
//! `{% end %}` (nested as written) and the escaped `{{/* … */}}`, never
//! inside code. A `{{` or `{%` not followed by a name and `(` is text (a
//! co-branded page's `{{ partner.name }}`, a Tera `{% if %}`).

use std::ops::Range;

use super::args::{self, Arg, ident_len};
use super::code;
use super::problem::Problem;
use crate::diagnostic::Code;

/// What the scanner found in a body, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Call(Call),
    /// `{{/* … */}}` or `{%/* … */%}`: the shortcode it holds, written
    /// as text (`text` is what the page shows).
    Escaped {
        span: Range<usize>,
        text: String,
    },
}

/// One call of a shortcode.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    /// The whole call, through its `{% end %}` if it has a body.
    pub span: Range<usize>,
    /// The opening tag: `{{ … }}`, or `{% … %}`.
    pub open: Range<usize>,
    pub body: Option<Body>,
    /// Whether the call stands on lines of its own (nothing but the
    /// markers of lists and quotes before it, nothing after it): its
    /// output is then a block of the page, not part of a paragraph.
    pub alone: bool,
    /// What the lines of a block standing where the call is start with
    /// (the indentation of a list item, `>` of a quote).
    pub indent: String,
}

impl Call {
    /// The argument named `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name == name)
    }
}

/// The body of a block call.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Between the opening tag and `{% end %}`.
    pub span: Range<usize>,
    /// The shortcodes inside it.
    pub nodes: Vec<Node>,
    /// The `{% end %}` tag.
    pub end: Range<usize>,
}

/// Whether `body` may hold a shortcode (a cheap test that spares the scan).
pub fn present(body: &str) -> bool {
    body.contains("{{") || body.contains("{%")
}

/// An opened block, waiting for its `{% end %}`.
struct Open {
    call: Call,
    nodes: Vec<Node>,
}

/// The shortcodes of `body`, and every problem in their syntax.
pub fn scan(body: &str) -> (Vec<Node>, Vec<Problem>) {
    let mut top = Vec::new();
    let mut problems = Vec::new();
    if !present(body) {
        return (top, problems);
    }
    let code = code::regions(body);
    let mut stack: Vec<Open> = Vec::new();
    let mut at = 0;
    while let Some(found) = body[at..].find('{') {
        let i = at + found;
        at = i + 1;
        let kind = match body.as_bytes().get(i + 1) {
            Some(b'{') => Tag::Inline,
            Some(b'%') => Tag::Block,
            _ => continue,
        };
        if code::inside(&code, i) {
            continue;
        }
        match tag(body, i, kind) {
            Found::Text => {}
            Found::Problem(p, resume) => {
                problems.push(p);
                at = resume;
            }
            Found::Escaped(span, text) => {
                at = span.end;
                push(&mut stack, &mut top, Node::Escaped { span, text });
            }
            Found::Call(call) if kind == Tag::Inline => {
                at = call.span.end;
                push(&mut stack, &mut top, Node::Call(call));
            }
            Found::Call(call) => {
                at = call.open.end;
                stack.push(Open {
                    call,
                    nodes: Vec::new(),
                });
            }
            Found::End(end) => {
                at = end.end;
                let Some(open) = stack.pop() else {
                    problems.push(Problem {
                        code: Code::ShortcodeSyntax,
                        span: end,
                        message: "`{% end %}` closes no shortcode: remove it, or open a block like `{% callout(kind=\"note\") %}` before it".into(),
                    });
                    continue;
                };
                let call = close(body, open, end);
                push(&mut stack, &mut top, Node::Call(call));
            }
        }
    }
    for open in stack {
        problems.push(Problem {
            code: Code::ShortcodeSyntax,
            span: open.call.open.clone(),
            message: format!(
                "shortcode `{}` is not closed: add `{{% end %}}` after its body",
                open.call.name
            ),
        });
    }
    (top, problems)
}

fn push(stack: &mut [Open], top: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        Some(open) => open.nodes.push(node),
        None => top.push(node),
    }
}

/// A block call completed by its `{% end %}` at `end`.
fn close(body: &str, open: Open, end: Range<usize>) -> Call {
    let Open { mut call, nodes } = open;
    let (end_before, _) = line_around(body, end.start, end.end);
    let end_alone = end_before.chars().all(|c| c == '>' || c.is_whitespace())
        && line_rest(body, end.end).trim().is_empty();
    call.alone = call.alone && line_rest(body, call.open.end).trim().is_empty() && end_alone;
    call.body = Some(Body {
        span: call.open.end..end.start,
        nodes,
        end: end.clone(),
    });
    call.span = call.open.start..end.end;
    call
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// `{{ … }}`
    Inline,
    /// `{% … %}`
    Block,
}

enum Found {
    Text,
    /// A syntax problem, and where to look on from.
    Problem(Problem, usize),
    Escaped(Range<usize>, String),
    Call(Call),
    End(Range<usize>),
}

/// Reads the tag that starts at `i` (`{{` or `{%`).
fn tag(body: &str, i: usize, kind: Tag) -> Found {
    let (open, close) = match kind {
        Tag::Inline => ("{{", "}}"),
        Tag::Block => ("{%", "%}"),
    };
    let after = i + 2;
    if body[after..].starts_with("/*") {
        let closing = format!("*/{close}");
        return match body[after..].find(&closing) {
            Some(n) => {
                let end = after + n + closing.len();
                let inner = &body[after + 2..after + n];
                Found::Escaped(i..end, format!("{open}{inner}{close}"))
            }
            None => Found::Text,
        };
    }
    let name_at = after + blank_len(&body[after..]);
    let len = ident_len(&body[name_at..]);
    if len == 0 {
        return Found::Text;
    }
    let name = &body[name_at..name_at + len];
    let mut at = name_at + len;
    at += blank_len(&body[at..]);
    if kind == Tag::Block && name == "end" && body[at..].starts_with(close) {
        return Found::End(i..at + 2);
    }
    if !body[at..].starts_with('(') {
        return Found::Text;
    }
    let (args, after_args) = match args::parse(body, at) {
        Ok(parsed) => parsed,
        Err(p) => {
            let resume = body[p.span.start..]
                .find(close)
                .map_or(body.len(), |n| p.span.start + n + 2);
            return Found::Problem(p, resume);
        }
    };
    let end_at = after_args + blank_len(&body[after_args..]);
    if !body[end_at..].starts_with(close) {
        let p = Problem {
            code: Code::ShortcodeSyntax,
            span: end_at..end_at + body[end_at..].chars().next().map_or(0, char::len_utf8),
            message: format!("expected `{close}` to end the call of `{name}`"),
        };
        return Found::Problem(p, end_at);
    }
    let end = end_at + 2;
    let (before, _) = line_around(body, i, end);
    let indent = continuation(before);
    let alone = indent.is_some() && (kind == Tag::Block || line_rest(body, end).trim().is_empty());
    Found::Call(Call {
        name: name.to_string(),
        args,
        span: i..end,
        open: i..end,
        body: None,
        alone,
        indent: indent.unwrap_or_default(),
    })
}

/// Spaces and tabs (and line breaks) at the start of `text`.
fn blank_len(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The text of the line before `start`, and after `end`.
fn line_around(body: &str, start: usize, end: usize) -> (&str, &str) {
    let line_start = body[..start].rfind('\n').map_or(0, |n| n + 1);
    (&body[line_start..start], line_rest(body, end))
}

/// The rest of the line from `at`, without its line break.
fn line_rest(body: &str, at: usize) -> &str {
    let end = body[at..].find('\n').map_or(body.len(), |n| at + n);
    &body[at..end]
}

/// The continuation of a line whose text before a call is `before`, if
/// that text holds only the markers of containers: quotes (`>`) are kept,
/// list markers (`-`, `*`, `+`, `1.`, `1)`) become spaces of their width.
fn continuation(before: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = before;
    while let Some(c) = rest.chars().next() {
        if c == '>' || c == ' ' || c == '\t' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = match rest.as_bytes()[digits..].first() {
            Some(b'.' | b')') if digits > 0 => digits + 1,
            Some(b'-' | b'*' | b'+') if digits == 0 => 1,
            _ => return None,
        };
        if !rest[marker..].starts_with([' ', '\t']) && marker < rest.len() {
            return None;
        }
        out.extend(std::iter::repeat_n(' ', marker));
        rest = &rest[marker..];
    }
    Some(out)
}
