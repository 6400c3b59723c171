//! The arguments of a call, `(key=value, …)`, as Zola writes them: values
//! are strings (in double quotes, single quotes or backticks, with no
//! escapes: use another quote to hold one), whole or decimal numbers,
//! `true` and `false`, and lists of values in brackets.

use std::ops::Range;

use serde_json::Value;

use super::marks::neutralized;
use super::problem::Problem;
use crate::diagnostic::Code;

/// One `key=value` of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    /// Where the value is written, in the body.
    pub span: Range<usize>,
}

/// Reads the arguments of a call whose `(` is at `open` in `text`; returns
/// them and the offset just past the closing `)`.
pub(super) fn parse(text: &str, open: usize) -> Result<(Vec<Arg>, usize), Problem> {
    let mut r = Reader { text, at: open + 1 };
    let mut args: Vec<Arg> = Vec::new();
    loop {
        r.blanks();
        if r.eat(')') {
            return Ok((args, r.at));
        }
        let start = r.at;
        let name = r.ident().ok_or_else(|| {
            r.problem("expected an argument like `key=\"value\"`, or `)` to end the call".into())
        })?;
        if args.iter().any(|a| a.name == name) {
            return Err(Problem {
                code: Code::ShortcodeSyntax,
                span: start..r.at,
                message: format!("argument `{name}` is given twice; keep one"),
            });
        }
        r.blanks();
        if !r.eat('=') {
            return Err(r.problem(format!("expected `=` after `{name}`")));
        }
        r.blanks();
        let value_start = r.at;
        let value = r.value(0)?;
        args.push(Arg {
            name,
            value,
            span: value_start..r.at,
        });
        r.blanks();
        if r.eat(',') {
            continue;
        }
        if r.eat(')') {
            return Ok((args, r.at));
        }
        return Err(r.problem("expected `,` or `)` after an argument".into()));
    }
}

/// How deep lists may nest in an argument.
const MAX_DEPTH: usize = 16;

struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn problem(&self, message: String) -> Problem {
        let len = self.rest().chars().next().map_or(0, char::len_utf8);
        Problem {
            code: Code::ShortcodeSyntax,
            span: self.at..self.at + len,
            message,
        }
    }

    /// Skips spaces, tabs and line breaks.
    fn blanks(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let len = ident_len(self.rest());
        (len > 0).then(|| {
            let name = self.rest()[..len].to_string();
            self.at += len;
            name
        })
    }

    fn value(&mut self, depth: usize) -> Result<Value, Problem> {
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Err(self.problem("the call ends before this argument's value".into()));
        };
        match first {
            '"' | '\'' | '`' => {
                let Some(end) = rest[1..].find(first) else {
                    return Err(self.problem(format!(
                        "this string has no closing {first}: strings have no escapes, so use another kind of quote to hold a {first}"
                    )));
                };
                let s = neutralized(&rest[1..1 + end]).into_owned();
                self.at += end + 2;
                Ok(Value::String(s))
            }
            '[' if depth < MAX_DEPTH => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.blanks();
                    if self.eat(']') {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.blanks();
                    if !self.eat(',') && !self.rest().starts_with(']') {
                        return Err(self.problem("expected `,` or `]` in this list".into()));
                    }
                }
            }
            '[' => Err(self.problem(format!(
                "lists nest more than {MAX_DEPTH} deep: flatten this value"
            ))),
            '-' | '0'..='9' => self.number(),
            _ => {
                let word_len = ident_len(rest);
                match &rest[..word_len] {
                    "true" | "True" => {
                        self.at += word_len;
                        Ok(Value::Bool(true))
                    }
                    "false" | "False" => {
                        self.at += word_len;
                        Ok(Value::Bool(false))
                    }
                    _ => Err(self.problem(
                        "a value is a string in quotes, a number, true or false, or a list in brackets"
                            .into(),
                    )),
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, Problem> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let text = &rest[..len];
        let value = if text.contains('.') {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
        } else {
            text.parse::<i64>().ok().map(Value::from)
        };
        match value {
            Some(v) => {
                self.at += len;
                Ok(v)
            }
            None => Err(Problem {
                code: Code::ShortcodeSyntax,
                span: self.at..self.at + len.max(1),
                message: format!("`{text}` is not a number"),
            }),
        }
    }
}

/// The length of the identifier `text` starts with (letters, digits and
/// `_`, not starting with a digit), 0 if none.
pub(super) fn ident_len(text: &str) -> usize {
    let mut len = 0;
    for (i, c) in text.char_indices() {
        let ok = c.is_ascii_alphabetic() || c == '_' || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + 1;
    }
    len
}
