//! Diagnostics: every problem the tool finds in a site, as data.
//!
//! Stages never print and never exit; they return `Diagnostic`s, which are
//! collected so that one run reports every error at once. `main` derives the
//! exit status from them. Printing follows the contract of DESIGN.md §7:
//! `error: <path>:<line>:<col>: <message>`, then a source excerpt.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

mod code;

pub use code::Code;

/// How bad a diagnostic is; errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One line of source with the part that the diagnostic is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The whole source line, without its line ending.
    pub text: String,
    /// Byte range inside `text` to underline (may be empty).
    pub span: Range<usize>,
}

/// A problem with a site, located in a file (relative to the site root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is; its letter gives the severity.
    pub code: Code,
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub excerpt: Option<Box<Excerpt>>,
}

impl Diagnostic {
    /// A problem about a whole file (no line known); an error or a warning
    /// as its code says.
    pub fn new(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: if code.is_warning() {
                Severity::Warning
            } else {
                Severity::Error
            },
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            excerpt: None,
        }
    }

    /// A problem at a byte range of `source`, the full text of `path`.
    pub fn at(
        code: Code,
        path: impl Into<PathBuf>,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(code, path, message).located(source, span)
    }

    /// The same problem under another code.
    pub fn coded(mut self, code: Code) -> Self {
        self.severity = Diagnostic::new(code, "", "").severity;
        self.code = code;
        self
    }

    /// Attaches a location given as a byte range of the file's full text.
    pub fn located(self, source: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_no = source[..start].matches('\n').count() + 1;
        self.located_on(source, span, line_no)
    }

    /// As `located`, with the line found in `lines` (for many diagnostics
    /// in one long file: each is found in logarithmic time, not linear).
    pub fn located_in(self, lines: &Lines<'_>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(lines.source, span.start.min(lines.source.len()));
        let line_no = lines.starts.partition_point(|&s| s <= start);
        self.located_on(lines.source, span, line_no)
    }

    fn located_on(mut self, source: &str, span: Range<usize>, line_no: usize) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let column = source[line_start..start].chars().count() + 1;
        let text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let rel = (start - line_start).min(text.len())..(end - line_start).min(text.len());
        self.line = Some(line_no);
        self.column = Some(column);
        self.excerpt = Some(Box::new(Excerpt { text, span: rel }));
        self
    }

    /// Attaches a 1-based line (and column 1) of `source`, underlining the line.
    pub fn at_line(self, source: &str, line: usize) -> Self {
        let start = line_offset(source, line);
        let end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        self.located(source, start..end)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line header, `error: path:line:col: message [E0107]`.
    pub fn header(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{level}: {} [{}]", self.located_message(), self.code.id())
    }

    /// `path:line:col: message` (or `path: message` when no line is known).
    pub fn located_message(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.column) {
            (Some(line), Some(col)) => format!("{path}:{line}:{col}: {}", self.message),
            (Some(line), None) => format!("{path}:{line}: {}", self.message),
            _ => format!("{path}: {}", self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// The header followed by a source excerpt with the culprit underlined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Some(excerpt), Some(line)) = (&self.excerpt, self.line) else {
            return f.write_str(&self.header());
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = format!("{} [{}]", self.located_message(), self.code.id());
        let report = &[level.primary_title(message.as_str()).element(
            Snippet::source(excerpt.text.as_str())
                .line_start(line)
                .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
        )];
        write!(f, "{}", Renderer::plain().render(report))
    }
}

/// Where each line of a text starts, to locate many diagnostics in it.
pub struct Lines<'a> {
    source: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { source, starts }
    }
}

/// Paths in messages always use `/`, whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Byte offset of the start of 1-based `line` in `source` (end if past it).
pub fn line_offset(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source
        .match_indices('\n')
        .nth(line - 2)
        .map_or(source.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sorts diagnostics for stable, readable output: by file, then line.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.path, a.line, a.column, &a.message)
            .cmp(&(b.severity, &b.path, b.line, b.column, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_path_line_and_column() {
        let src = "+++\ntitel = \"x\"\n+++\n";
        let d = Diagnostic::at(
            Code::UnknownFrontMatterKey,
            "content/a.md",
            src,
            4..9,
            "unknown key `titel`",
        );
        assert_eq!(
            d.header(),
            "error: content/a.md:2:1: unknown key `titel` [E0107]"
        );
        let shown = d.to_string();
        assert!(shown.starts_with("error: content/a.md:2:1: unknown key `titel`"));
        assert!(shown.contains("titel = \"x\""), "{shown}");
        assert!(shown.contains("^^^^^"), "{shown}");
    }

    #[test]
    fn column_counts_characters_not_bytes() {
        let src = "é = 1\nzz";
        let d = Diagnostic::at(Code::BadDate, "f", src, 3..4, "m");
        assert_eq!((d.line, d.column), (Some(1), Some(3)));
    }

    #[test]
    fn whole_file_error_has_no_location() {
        let d = Diagnostic::new(Code::ThemeNotFound, "site.toml", "theme `x` not found");
        assert_eq!(
            d.to_string(),
            "error: site.toml: theme `x` not found [E0305]"
        );
    }

    #[test]
    fn at_line_underlines_that_line() {
        let d = Diagnostic::new(Code::BadDate, "f", "m").at_line("a\nbb\nc", 2);
        assert_eq!((d.line, d.column), (Some(2), Some(1)));
        assert_eq!(d.excerpt.unwrap().text, "bb");
    }

    #[test]
    fn a_line_index_locates_as_the_text_does() {
        let src = "a = 1\nbé = 2\n\nc = 3";
        let lines = Lines::new(src);
        for span in [0..1, 6..8, 9..10, 14..15, 15..16, 40..50] {
            let a = Diagnostic::new(Code::BadDate, "f", "m").located(src, span.clone());
            let b = Diagnostic::new(Code::BadDate, "f", "m").located_in(&lines, span);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn span_past_end_is_clamped() {
        let d = Diagnostic::at(Code::BadDate, "f", "abc", 10..20, "m");
        assert_eq!(d.line, Some(1));
    }
}
