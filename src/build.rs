//! `build`: the pipeline, one stage after another — load → compute →
//! (for each view of the audience) scope, render, leak guard, search
//! index → write — and the one-line summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::{self, Diagnostic};
use crate::highlight::Highlighter;
use crate::isolation::{self, Audience, Target};
use crate::metrics::{self, Reports};
use crate::output::Output;
use crate::render::{self, Stats};
use crate::site::{LoadOptions, Site};
use crate::timings::Timings;
use crate::values::Quarter;
use crate::write::{self, WriteError};

/// Everything `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Output folder (relative paths are relative to the current directory).
    pub out: PathBuf,
    /// Report quarter (`--quarter`); default per DESIGN.md §3.
    pub quarter: Option<Quarter>,
    /// Who the output is for (`--audience`).
    pub audience: Audience,
}

/// What a build produced, for the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub stats: Stats,
    /// What loading warned about (symbolic links skipped).
    pub warnings: Vec<Diagnostic>,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    /// An earlier build of this output was interrupted; its leftovers were
    /// cleaned up (or its commit finished) before writing.
    pub recovered: bool,
    /// The build date pages were published and expired by.
    pub date: time::Date,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} pages, {} sections, {} partners, {} charts ({} files, {:.1} MiB) in {:.2} s, build date {}",
            self.stats.pages,
            self.stats.sections,
            self.stats.partners,
            self.stats.charts,
            self.files,
            self.bytes as f64 / (1024.0 * 1024.0),
            self.elapsed.as_secs_f64(),
            self.date
        )
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors; nothing was written.
    Site(Vec<Diagnostic>),
    /// The command line asked for something the site lacks (exit status 2).
    Usage(String),
    /// Writing failed.
    Write(WriteError),
}

impl Failure {
    /// The failure as diagnostics, for callers that only report (`check`,
    /// `serve`).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Failure::Site(d) => d,
            // A partner that does not exist (yet): the site may gain it.
            Failure::Usage(message) => vec![Diagnostic::error("data/partners", message)],
            Failure::Write(e) => vec![Diagnostic::error(".", e.to_string())],
        }
    }
}

/// Builds the site into `options.out`.
pub fn build(options: &BuildOptions, highlighter: &Highlighter) -> Result<Summary, Failure> {
    let start = Instant::now();
    let Rendered {
        output,
        stats,
        warnings,
    } = render_audience(
        &options.load,
        options.quarter,
        &options.audience,
        highlighter,
    )?;
    let mut timings = Timings::start("build");
    let recovered = write::interrupted(&options.out);
    write::write(&options.out, &options.load.root, &output).map_err(Failure::Write)?;
    timings.stage("write");
    Ok(Summary {
        stats,
        warnings,
        files: output.files.len(),
        bytes: output.total_bytes(),
        elapsed: start.elapsed(),
        recovered,
        date: options.load.date,
    })
}

/// An audience's output, in memory.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    pub stats: Stats,
    /// What loading warned about.
    pub warnings: Vec<Diagnostic>,
}

/// Loads, computes and renders a site for an audience, in memory: one view,
/// or (for `partners`) one folder per partner, each checked by the leak
/// guard and given its search index.
pub fn render_audience(
    load: &LoadOptions,
    quarter: Option<Quarter>,
    audience: &Audience,
    highlighter: &Highlighter,
) -> Result<Rendered, Failure> {
    let mut timings = Timings::start("build");
    let site = Site::load(load).map_err(Failure::Site)?;
    timings.stage("load");
    let reports = metrics::compute_site(&site.data, quarter);
    timings.stage("compute");
    let targets = isolation::targets(audience, &site).map_err(Failure::Usage)?;
    let mut combined = Output::default();
    let mut stats = Stats::default();
    let mut diagnostics = Vec::new();
    for target in &targets {
        let options = render::Options::new(highlighter);
        let view = render_view(&site, reports.as_ref(), target, options)
            .and_then(|(output, s)| Ok((with_index(&site, output)?, s)));
        match view {
            Ok((output, s)) => {
                stats.pages += s.pages;
                stats.sections += s.sections;
                stats.partners = stats.partners.max(s.partners);
                stats.charts += s.charts;
                if target.folder.is_empty() {
                    combined = output;
                } else {
                    combined.nest(&target.folder, output);
                }
            }
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    timings.stage("render, guard and index");
    if matches!(audience, Audience::Partners) {
        stats.partners = targets.len();
    }
    if diagnostics.is_empty() {
        Ok(Rendered {
            output: combined,
            stats,
            warnings: site.warnings,
        })
    } else {
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Err(Failure::Site(diagnostics))
    }
}

/// Renders one target of an audience: the site and reports scoped to its
/// view, rendered, then checked by the leak guard. No search index: see
/// `with_index`.
pub fn render_view(
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
    options: render::Options<'_>,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    let (view_site, view_reports) = isolation::scope(site, reports, &target.view);
    let rendered = render::render(&view_site, view_reports.as_ref(), &target.view, options)?;
    let leaks = isolation::leak_guard(site, &target.view, &rendered.output, &target.folder);
    if !leaks.is_empty() {
        return Err(leaks);
    }
    Ok((rendered.output, rendered.stats))
}

/// `output` with the search index of its pages, if the site has search on.
pub fn with_index(site: &Site, output: Output) -> Result<Output, Vec<Diagnostic>> {
    if !site.config.search {
        // No index: the theme hides its search box (config.search).
        return Ok(output);
    }
    crate::search::with_index(output)
        .map_err(|e| vec![Diagnostic::error(crate::search::BUNDLE_DIR, e.to_string())])
}
