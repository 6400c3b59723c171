//! Partner data: `data/program.toml` and `data/partners/*.toml`, loaded and
//! validated into typed values (DESIGN.md §3). Every problem of every file
//! is collected, each with the file, line and column of the offending value.

mod checks;
pub mod partner;
pub mod program;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use checks::{MAX_AMOUNT, Problems};
pub use partner::{Partner, QuarterData};
pub use program::Program;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::read_text as read;
use crate::values::Quarter;

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
        let i = self
            .partners
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()?;
        Some(&self.partners[i])
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

/// Loads `<root>/data`. A site without a data folder has no partner data.
/// Symbolic links are never read: each one is a warning in `warnings`.
pub fn load(root: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Data, Vec<Diagnostic>> {
    let dir = root.join(DIR);
    let program_file = Path::new(DIR).join("program.toml");
    let partners_dir = dir.join("partners");
    let mut diagnostics = Vec::new();
    let program_source = if crate::source::is_link(&root.join(&program_file)) {
        warnings.push(crate::source::skipped_link(&program_file));
        Ok(None)
    } else {
        read(root, &program_file)
    };
    let program = match program_source {
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
    let mut files: Vec<PathBuf> = Vec::new();
    let entries = match crate::source::is_link(&partners_dir) {
        true => {
            warnings.push(crate::source::skipped_link(
                &Path::new(DIR).join("partners"),
            ));
            Vec::new()
        }
        false => std::fs::read_dir(&partners_dir).map_or_else(|_| Vec::new(), |d| d.collect()),
    };
    for entry in entries.into_iter().filter_map(Result::ok) {
        let rel = Path::new(DIR).join("partners").join(entry.file_name());
        if rel.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            warnings.push(crate::source::skipped_link(&rel));
        } else {
            files.push(rel);
        }
    }
    files.sort();
    let check_logo = |logo: &str| crate::source::read_image(root, logo).map(|_| ());
    let results: Vec<Result<Option<Partner>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|file| {
            let source = read(root, file).map_err(|d| vec![d])?.unwrap_or_default();
            let slug = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut problems = Problems::new(file, &source);
            let partner = partner::parse(&slug, &source, &check_logo, &mut problems);
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
    partners.sort_by(|a: &Partner, b: &Partner| a.slug.cmp(&b.slug));
    if program.is_none() && !partners.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::NoProgram,
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
