//! Why a build failed, and the failure as diagnostics for whoever reports
//! it (`build`, `check`, `serve`).

use crate::diagnostic::{Code, Diagnostic};
use crate::write::WriteError;

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors; nothing was written.
    Site(Vec<Diagnostic>),
    /// The command line asked for something the site lacks, or flags that
    /// do not go together (exit status 2).
    Usage(Code, String),
    /// Writing failed.
    Write(WriteError),
}

impl Failure {
    /// The failure as diagnostics, for callers that only report (`check`,
    /// `serve`).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Failure::Site(d) => d,
            other => other.diagnostics("."),
        }
    }

    /// The failure as diagnostics; a write failure is about `out`.
    pub fn diagnostics(&self, out: &str) -> Vec<Diagnostic> {
        match self {
            Failure::Site(d) => d.clone(),
            // A partner that does not exist (yet): the site may gain it.
            Failure::Usage(code @ Code::UnknownPartner, message) => {
                vec![Diagnostic::new(*code, "data/partners", message.clone())]
            }
            Failure::Usage(code, message) => vec![Diagnostic::new(*code, ".", message.clone())],
            Failure::Write(e) => vec![Diagnostic::new(e.code(), out, e.to_string())],
        }
    }
}
