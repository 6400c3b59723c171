//! What partner and program files share while they are validated: the
//! problems of one file, each located at its value, and the limits of
//! amounts.

use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, Lines};
use crate::source::{Key, Locator, key_before};

/// The largest amount of USD any field may hold. Far above any real figure,
/// it keeps sums finite (1e308 twice is infinity, which no chart can draw).
pub const MAX_AMOUNT: f64 = 1e15;

/// Collects the problems of one file, locating them in its source.
pub struct Problems<'a> {
    file: PathBuf,
    source: &'a str,
    /// Made when the first problem needs them: the file's lines, and its
    /// TOML parsed for locating values (once, however many problems).
    lines: std::cell::OnceCell<Lines<'a>>,
    locator: std::cell::OnceCell<Locator<'a>>,
    pub list: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    pub fn new(file: impl Into<PathBuf>, source: &'a str) -> Self {
        Problems {
            file: file.into(),
            source,
            lines: std::cell::OnceCell::new(),
            locator: std::cell::OnceCell::new(),
            list: Vec::new(),
        }
    }

    /// A TOML syntax or schema error (unknown key, wrong type).
    pub fn toml(&mut self, e: &toml::de::Error) {
        let message = e.message().trim().replace('\n', " ");
        let mut code = Code::DataSyntax;
        let message = match message.strip_prefix("unknown field ") {
            Some(rest) => {
                code = Code::UnknownDataKey;
                format!("unknown key {rest}")
            }
            None => message,
        };
        // Say what to do, not only what the parser saw.
        let message = match message.strip_prefix("missing field ") {
            Some(key) => {
                code = Code::MissingDataKey;
                format!("missing key {key}: add it (docs/data.md lists the keys each file needs)")
            }
            None => message,
        };
        let message = match e.span().and_then(|s| self.source.get(s)) {
            Some(key) if message == "duplicate key" => {
                code = Code::DuplicateDataKey;
                format!("`{}` appears twice; keep one", key.trim())
            }
            _ => message,
        };
        let Some(span) = e.span() else {
            self.list.push(Diagnostic::new(code, &self.file, message));
            return;
        };
        // Name the field: the parser's messages ("invalid date") do not.
        let message = match key_before(self.source, span.start) {
            Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
            _ => message,
        };
        let source = self.source;
        let lines = self.lines.get_or_init(|| Lines::new(source));
        self.list
            .push(Diagnostic::new(code, &self.file, message).located_in(lines, span));
    }

    /// A problem with the whole file.
    pub fn file(&mut self, code: Code, message: impl Into<String>) {
        self.list.push(Diagnostic::new(code, &self.file, message));
    }

    /// A problem with the value at `path`.
    pub fn at(&mut self, code: Code, path: &[Key<'_>], message: impl Into<String>) {
        let d = Diagnostic::new(code, &self.file, message);
        let source = self.source;
        let span = self.locator.get_or_init(|| Locator::new(source)).span(path);
        self.list.push(match span {
            Some(span) => d.located_in(self.lines.get_or_init(|| Lines::new(source)), span),
            None => d,
        });
    }
}
