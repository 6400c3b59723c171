//! Partner data: `data/program.toml` and `data/partners/*.toml`, loaded and
//! validated into typed values (DESIGN.md §3). Every problem of every file
//! is collected, each with the file, line and column of the offending value.

pub mod locate;
pub mod partner;
pub mod program;
pub mod quarter;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use partner::{Partner, QuarterData};
pub use program::Program;
pub use quarter::Quarter;

use crate::diagnostic::Diagnostic;
use locate::{Key, locate};

/// The data folder, relative to the site root.
pub const DIR: &str = "data";

/// All partner data of a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    /// `None` when the site has no `data/program.toml` (and no partners).
    pub program: Option<Program>,
    /// Sorted by slug.
    pub partners: Vec<Partner>,
}

impl Data {
    pub fn partner(&self, slug: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.slug == slug)
    }

    /// The quarter reports are for: `--quarter`, else `report_quarter`, else
    /// the latest quarter in any partner file.
    pub fn report_quarter(&self, requested: Option<Quarter>) -> Option<Quarter> {
        requested
            .or_else(|| self.program.as_ref().and_then(|p| p.report_quarter))
            .or_else(|| {
                self.partners
                    .iter()
                    .flat_map(|p| p.quarters.iter().map(|q| q.quarter))
                    .max()
            })
    }
}

/// Collects the problems of one file, locating them in its source.
pub struct Problems<'a> {
    file: PathBuf,
    source: &'a str,
    pub list: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    pub fn new(file: impl Into<PathBuf>, source: &'a str) -> Self {
        Problems {
            file: file.into(),
            source,
            list: Vec::new(),
        }
    }

    /// A TOML syntax or schema error (unknown key, wrong type).
    pub fn toml(&mut self, e: &toml::de::Error) {
        let message = e.message().trim().replace('\n', " ");
        let message = match message.strip_prefix("unknown field ") {
            Some(rest) => format!("unknown key {rest}"),
            None => message,
        };
        // Say what to do, not only what the parser saw.
        let message = match message.strip_prefix("missing field ") {
            Some(key) => {
                format!("missing key {key}: add it (docs/data.md lists the keys each file needs)")
            }
            None => message,
        };
        let message = match e.span().and_then(|s| self.source.get(s)) {
            Some(key) if message == "duplicate key" => {
                format!("`{}` appears twice; keep one", key.trim())
            }
            _ => message,
        };
        let Some(span) = e.span() else {
            self.list.push(Diagnostic::error(&self.file, message));
            return;
        };
        // Name the field: the parser's messages ("invalid date") do not.
        let message = match key_before(self.source, span.start) {
            Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
            _ => message,
        };
        self.list
            .push(Diagnostic::error(&self.file, message).located(self.source, span));
    }

    /// A problem with the whole file.
    pub fn file(&mut self, message: impl Into<String>) {
        self.list.push(Diagnostic::error(&self.file, message));
    }

    /// A problem with the value at `path`.
    pub fn at(&mut self, path: &[Key<'_>], message: impl Into<String>) {
        let d = Diagnostic::error(&self.file, message);
        self.list.push(match locate(self.source, path) {
            Some(span) => d.located(self.source, span),
            None => d,
        });
    }
}

/// The key of the `key = value` line holding byte `at`, if there is one.
pub(crate) fn key_before(source: &str, at: usize) -> Option<&str> {
    let at = at.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..at];
    // In an inline table (`{ technical = 6 }`) the nearest key wins.
    let key = before.rsplit_once('=')?.0.rsplit(['{', ',']).next()?.trim();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    is_key.then_some(key)
}

/// Loads `<root>/data`. A site without a data folder has no partner data.
pub fn load(root: &Path) -> Result<Data, Vec<Diagnostic>> {
    let dir = root.join(DIR);
    let program_file = Path::new(DIR).join("program.toml");
    let partners_dir = dir.join("partners");
    let mut diagnostics = Vec::new();
    let program = match read(root, &program_file) {
        Ok(Some(source)) => {
            let mut problems = Problems::new(&program_file, &source);
            let program = program::parse(&source, &mut problems);
            diagnostics.append(&mut problems.list);
            program
        }
        Ok(None) => None,
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&partners_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| {
                Path::new(DIR)
                    .join("partners")
                    .join(p.file_name().unwrap_or_default())
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let logo_exists = |logo: &str| {
        root.join(DIR).join(logo).is_file() || root.join("static").join(logo).is_file()
    };
    let results: Vec<Result<Option<Partner>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|file| {
            let source = read(root, file).map_err(|d| vec![d])?.unwrap_or_default();
            let slug = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut problems = Problems::new(file, &source);
            let partner = partner::parse(&slug, &source, &logo_exists, &mut problems);
            if problems.list.is_empty() {
                Ok(partner)
            } else {
                Err(problems.list)
            }
        })
        .collect();
    let mut partners = Vec::new();
    for r in results {
        match r {
            Ok(Some(p)) => partners.push(p),
            Ok(None) => {}
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if program.is_none() && !partners.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(
            program_file,
            "partner files need data/program.toml (targets, company totals, investment); create it",
        ));
    }
    if diagnostics.is_empty() {
        Ok(Data { program, partners })
    } else {
        Err(diagnostics)
    }
}

/// Reads a UTF-8 file (BOM removed); `Ok(None)` if it does not exist.
fn read(root: &Path, rel: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|e| crate::content::invalid_utf8(rel, e.as_bytes(), e.utf8_error()))?;
            Ok(Some(
                text.strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(rel, format!("cannot read: {e}"))),
    }
}
