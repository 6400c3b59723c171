//! How diagnostics and summaries reach the terminal or CI (`--format`):
//! `human` (`error: path:line:col: message [E0107]` with an excerpt, and the
//! one-line summary on stderr), `github` (GitHub Actions workflow commands
//! on stdout, so errors land on the lines of a pull request) and `json`
//! (one object per diagnostic and a final summary object on stdout, one
//! per line, nothing else on stdout).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, display_path};

/// The `--format` of `build` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: messages with source excerpts on stderr.
    #[default]
    Human,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// One JSON object per line: each diagnostic, then a summary.
    Json,
}

/// Prints in one format, with paths as the reader needs them.
pub struct Printer {
    pub format: Format,
    /// Put before every path in `github` mode: the site's folder inside
    /// its repository, so that annotations land on the right file.
    prefix: PathBuf,
}

impl Printer {
    pub fn new(format: Format, root: &Path) -> Printer {
        let prefix = match format {
            Format::Github => repository_prefix(root),
            _ => PathBuf::new(),
        };
        Printer { format, prefix }
    }

    /// Prints one diagnostic.
    pub fn diagnostic(&self, d: &Diagnostic) {
        crate::progress::clear();
        match self.format {
            Format::Human => eprintln!("{d}\n"),
            Format::Github => println!("{}", github(d, &self.prefix)),
            Format::Json => println!("{}", json_line(&JsonDiagnostic::of(d))),
        }
    }

    /// Prints every diagnostic.
    pub fn diagnostics<'a>(&self, all: impl IntoIterator<Item = &'a Diagnostic>) {
        for d in all {
            self.diagnostic(d);
        }
    }

    /// Prints the closing line (on stderr, so that stdout holds only the
    /// workflow commands in `github` mode) or the summary object (`json`).
    pub fn summary<T: Serialize>(&self, line: &str, summary: &T) {
        crate::progress::clear();
        match self.format {
            Format::Human | Format::Github => eprintln!("{line}"),
            Format::Json => println!("{}", json_line(&SummaryLine { summary })),
        }
    }

    /// What `check --against` found: text on stdout (`human`; `github`
    /// adds a notice per folder), or one object per folder (`json`).
    pub fn against(&self, against: &crate::check::Against) {
        let by_partner = against.audience == "partners";
        match self.format {
            Format::Human => print!("{against}"),
            Format::Github => {
                for d in &against.folders {
                    println!(
                        "::notice title=check --against::{}",
                        escape_data(&d.headline(by_partner))
                    );
                }
                print!("{against}");
            }
            Format::Json => {
                for d in &against.folders {
                    println!("{}", json_line(&AgainstLine { against: d }));
                }
            }
        }
    }

    /// A note for people (`human` and `github` only: `json` stays clean).
    pub fn note(&self, text: &str) {
        crate::progress::clear();
        match self.format {
            Format::Human => eprintln!("{text}"),
            Format::Github => println!("::notice::{}", escape_data(text)),
            Format::Json => {}
        }
    }
}

#[derive(Serialize)]
struct AgainstLine<'a> {
    against: &'a crate::check::FolderDiff,
}

#[derive(Serialize)]
struct SummaryLine<'a, T: Serialize> {
    summary: &'a T,
}

/// A diagnostic as `--format json` prints it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic<'a> {
    pub severity: &'static str,
    pub code: &'static str,
    pub path: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn of(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            severity: severity(d),
            code: d.code.id(),
            path: display_path(&d.path),
            line: d.line,
            col: d.column,
            message: &d.message,
        }
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn json_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("diagnostics and summaries are plain data")
}

/// The workflow command of a diagnostic:
/// `::error file=site/content/a.md,line=2,col=1,title=E0107::message`.
pub fn github(d: &Diagnostic, prefix: &Path) -> String {
    let path = display_path(&prefix.join(&d.path));
    let mut props = vec![format!("file={}", escape_property(&path))];
    if let Some(line) = d.line {
        props.push(format!("line={line}"));
    }
    if let Some(col) = d.column {
        props.push(format!("col={col}"));
    }
    props.push(format!("title={}", escape_property(d.code.id())));
    format!(
        "::{} {}::{}",
        severity(d),
        props.join(","),
        escape_data(&d.message)
    )
}

/// Escapes a workflow command's message, as the Actions toolkit does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The site root's path inside the git repository holding it (empty if the
/// site is the repository, or in none): GitHub names files from the
/// repository's root.
fn repository_prefix(root: &Path) -> PathBuf {
    let Ok(root) = std::fs::canonicalize(root) else {
        return PathBuf::new();
    };
    root.ancestors()
        .find(|a| a.join(".git").exists())
        .and_then(|repo| root.strip_prefix(repo).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn workflow_commands_are_escaped_as_actions_wants() {
        let d = Diagnostic::at(
            Code::UnknownFrontMatterKey,
            "content/a,b.md",
            "+++\ntitel = 1\n+++\n",
            4..9,
            "100% wrong:\nsee docs",
        );
        assert_eq!(
            github(&d, Path::new("site")),
            "::error file=site/content/a%2Cb.md,line=2,col=1,title=E0107::100%25 wrong:%0Asee docs"
        );
        let w = Diagnostic::new(Code::StalePage, "content/x.md", "stale");
        assert_eq!(
            github(&w, Path::new("")),
            "::warning file=content/x.md,title=W0301::stale"
        );
    }

    #[test]
    fn json_diagnostics_have_every_field() {
        let d = Diagnostic::new(Code::ThemeNotFound, "site.toml", "no theme");
        let line = json_line(&JsonDiagnostic::of(&d));
        assert_eq!(
            line,
            r#"{"severity":"error","code":"E0305","path":"site.toml","line":null,"col":null,"message":"no theme"}"#
        );
    }
}
