//! `build`: load → render → write, and the one-line summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::data::Quarter;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::metrics::{self, Reports};
use crate::output::{self, Output};
use crate::render::{self, Stats, View};
use crate::site::{LoadOptions, Site};

/// Everything `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Output folder (relative paths are relative to the current directory).
    pub out: PathBuf,
    /// Report quarter (`--quarter`); default per DESIGN.md §3.
    pub quarter: Option<Quarter>,
}

/// What a build produced, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub stats: Stats,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} pages, {} sections, {} partners, {} charts ({} files, {:.1} MiB) in {:.2} s",
            self.stats.pages,
            self.stats.sections,
            self.stats.partners,
            self.stats.charts,
            self.files,
            self.bytes as f64 / (1024.0 * 1024.0),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors; nothing was written.
    Site(Vec<Diagnostic>),
    /// Writing failed; the previous output is unchanged.
    Write(output::WriteError),
}

/// Loads and renders a site without writing it (used by `build`, `check`
/// and `serve`).
pub fn render_site(
    load: &LoadOptions,
    quarter: Option<Quarter>,
    highlighter: &Highlighter,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    let site = Site::load(load)?;
    let reports = compute(&site, quarter);
    render::render(&site, reports.as_ref(), &View::Internal, highlighter)
}

/// The compute stage: every report at the report quarter, if the site has
/// partner data.
pub fn compute(site: &Site, quarter: Option<Quarter>) -> Option<Reports> {
    let program = site.data.program.as_ref()?;
    let q = site.data.report_quarter(quarter)?;
    Some(metrics::compute(&site.data, program, q))
}

/// Builds the site into `options.out`.
pub fn build(options: &BuildOptions, highlighter: &Highlighter) -> Result<Summary, Failure> {
    let start = Instant::now();
    let (output, stats) =
        render_site(&options.load, options.quarter, highlighter).map_err(|mut d| {
            crate::diagnostic::sort(&mut d);
            Failure::Site(d)
        })?;
    output::write(&options.out, &options.load.root, &output).map_err(Failure::Write)?;
    Ok(Summary {
        stats,
        files: output.files.len(),
        bytes: output.total_bytes(),
        elapsed: start.elapsed(),
    })
}
