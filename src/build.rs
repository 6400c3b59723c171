//! `build`: load → render → write, and the one-line summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::audience::{self, Audience};
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
    /// Who the output is for (`--audience`).
    pub audience: Audience,
}

/// What a build produced, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub stats: Stats,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    /// An earlier build of this output was interrupted; its leftovers were
    /// cleaned up (or its commit finished) before writing.
    pub recovered: bool,
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
    /// The command line asked for something the site lacks (exit status 2).
    Usage(String),
    /// Writing failed; the previous output is unchanged.
    Write(output::WriteError),
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

/// Loads and renders a site for the internal audience without writing it.
pub fn render_site(
    load: &LoadOptions,
    quarter: Option<Quarter>,
    highlighter: &Highlighter,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    render_audience(load, quarter, &Audience::Internal, highlighter)
        .map_err(Failure::into_diagnostics)
}

/// Loads, computes and renders a site for an audience, in memory: one view,
/// or (for `partners`) one folder per partner. Partner outputs pass the
/// leak guard before they are returned.
pub fn render_audience(
    load: &LoadOptions,
    quarter: Option<Quarter>,
    audience: &Audience,
    highlighter: &Highlighter,
) -> Result<(Output, Stats), Failure> {
    let mut timings = crate::timings::Timings::start("build");
    let site = Site::load(load).map_err(Failure::Site)?;
    timings.stage("load");
    let reports = compute(&site, quarter);
    timings.stage("compute");
    let targets = audience::targets(audience, &site).map_err(Failure::Usage)?;
    let mut combined = Output::default();
    let mut stats = Stats::default();
    let mut diagnostics = Vec::new();
    for target in &targets {
        let shortcuts = render::Shortcuts::default();
        match render_view(&site, reports.as_ref(), target, highlighter, shortcuts) {
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
    if matches!(audience, Audience::Partners) {
        stats.partners = targets.len();
    }
    if diagnostics.is_empty() {
        Ok((combined, stats))
    } else {
        crate::diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Err(Failure::Site(diagnostics))
    }
}

/// Renders one target of an audience: the site and reports scoped to its
/// view, then, for a partner, the leak guard over what was rendered.
pub fn render_view(
    site: &Site,
    reports: Option<&Reports>,
    target: &audience::Target,
    highlighter: &Highlighter,
    shortcuts: render::Shortcuts<'_>,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    let view = &target.view;
    let (output, stats) = if *view == View::Internal {
        render::render_with(site, reports, view, highlighter, shortcuts)?
    } else {
        let (view_site, view_reports) = scope(site, reports, view);
        render::render_with(
            &view_site,
            view_reports.as_ref(),
            view,
            highlighter,
            shortcuts,
        )?
    };
    if let View::Partner { slug, .. } = view {
        let leaks = audience::leak_guard(site, slug, &output, &target.folder);
        if !leaks.is_empty() {
            return Err(leaks);
        }
    }
    Ok((output, stats))
}

/// The site and reports as a view may see them: a partner's view holds that
/// partner's data only, and the public view no partner data at all.
fn scope(site: &Site, reports: Option<&Reports>, view: &View) -> (Site, Option<Reports>) {
    match view {
        View::Internal => (site.clone(), reports.cloned()),
        View::Public => {
            let mut s = site.clone();
            s.data = Default::default();
            s.logos.clear();
            (s, None)
        }
        View::Partner { slug, .. } => {
            let mut s = site.clone();
            s.data.partners.retain(|p| &p.slug == slug);
            let own_logo = s.data.partners.first().and_then(|p| p.brand.logo.clone());
            s.logos.retain(|path, _| Some(path) == own_logo.as_ref());
            // Hosted at its own root, or where partner_base_url says.
            let base = site
                .config
                .partner_base_url
                .as_deref()
                .map_or(String::new(), |b| b.replace("{slug}", slug));
            s.config = s.config.with_base_url(&base);
            let reports = reports.map(|r| Reports {
                partners: r
                    .partners
                    .iter()
                    .filter(|p| &p.slug == slug)
                    .cloned()
                    .collect(),
                program: Default::default(),
                ..r.clone()
            });
            (s, reports)
        }
    }
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
    let (output, stats) = render_audience(
        &options.load,
        options.quarter,
        &options.audience,
        highlighter,
    )?;
    let mut timings = crate::timings::Timings::start("build");
    let recovered = output::interrupted(&options.out);
    output::write(&options.out, &options.load.root, &output).map_err(Failure::Write)?;
    timings.stage("write");
    Ok(Summary {
        stats,
        files: output.files.len(),
        bytes: output.total_bytes(),
        elapsed: start.elapsed(),
        recovered,
    })
}
