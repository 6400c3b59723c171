//! Rebuilding the site in memory when its files change.
//!
//! `Rebuilder::rebuild` takes the set of changed files and returns the new
//! `Output` (or every diagnostic). For one view (`internal`, `public`,
//! `partner:<slug>`) it keeps the last good build: `plan` decides what the
//! change affects, `render` renders only that (with the markdown of
//! unchanged documents taken from the memo), and the result is laid over the
//! last output. Where `plan` cannot tell, and for `partners` (a folder per
//! partner), everything is loaded and rendered again, still with the memo.
//!
//! The search index is left out of a rebuild, so that the edit is served at
//! once: `Rebuilder::index` adds it afterwards. A rebuild followed by
//! `index` gives byte for byte what `build` would write (tests/serve.rs
//! checks this for every kind of change).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::plan::{self, Plan};
use crate::build::{self, Failure};
use crate::content::{Content, Document};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::highlight::Highlighter;
use crate::isolation::{self, Audience, Target};
use crate::metrics::{self, Reports};
use crate::output::Output;
use crate::render::{self, Memo, Only, Stats};
use crate::search::{LiveIndex, SearchError};
use crate::site::{LoadOptions, Site};
use crate::values::Quarter;

/// Files that changed since the last build, relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
}

impl Changes {
    /// A short description for the terminal: one path, or a count.
    pub fn describe(&self) -> String {
        match self.paths.len() {
            0 => "start".to_string(),
            1 => self
                .paths
                .iter()
                .map(|p| diagnostic::display_path(p))
                .collect(),
            n => format!("{n} files"),
        }
    }
}

/// A good build, ready to be served.
#[derive(Debug)]
pub struct Built {
    pub output: Output,
    pub stats: Stats,
    pub elapsed: Duration,
    /// How it was made: what was rendered, and why everything if it was.
    pub how: String,
    /// It has no search index yet: call `index` (until then, serve the
    /// index of the build before).
    pub index_pending: bool,
    /// What loading warned about (a full rebuild's; none for a narrow one).
    pub warnings: Vec<Diagnostic>,
}

/// The last good build of a one-view audience.
struct Last {
    site: Site,
    reports: Option<Arc<Reports>>,
    target: Target,
    output: Output,
    stats: Stats,
}

/// Builds the site again and again, keeping what can be kept.
pub struct Rebuilder {
    load: LoadOptions,
    quarter: Option<Quarter>,
    audience: Audience,
    highlighter: Highlighter,
    memo: Memo,
    /// `None` before the first good build, after a failed one (the next
    /// build is full), and for `partners`.
    last: Option<Last>,
    /// The content last loaded: a full rebuild keeps the `rev` of every
    /// file that did not change, and so what the memo holds for it.
    content: Option<Arc<Content>>,
    /// The build date changed since the last build: the next is full.
    new_date: bool,
    /// The search index of the builds so far, kept up to date page by
    /// page (shared with the thread that indexes served builds).
    live: Live,
}

/// The search index `serve` keeps as pages change: made when first needed.
pub type Live = Arc<std::sync::Mutex<Option<LiveIndex>>>;

impl Rebuilder {
    pub fn new(load: LoadOptions, quarter: Option<Quarter>, audience: Audience) -> Self {
        Rebuilder {
            load,
            quarter,
            audience,
            highlighter: Highlighter::new(),
            memo: Memo::default(),
            last: None,
            content: None,
            new_date: false,
            live: Live::default(),
        }
    }

    /// The search index the rebuilds keep, for the thread that indexes
    /// each build served (`indexed`).
    pub fn live_index(&self) -> Live {
        Arc::clone(&self.live)
    }

    /// Builds as on `date` from the next rebuild on (a page may cross its
    /// `publish` or `expires` day): that rebuild is a full one.
    pub fn set_date(&mut self, date: time::Date) {
        if date != self.load.date {
            self.load.date = date;
            self.new_date = true;
        }
    }

    pub fn root(&self) -> &Path {
        &self.load.root
    }

    /// Rebuilds after `changes`; the diagnostics come sorted, as `build`
    /// prints them.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Built, Vec<Diagnostic>> {
        let start = Instant::now();
        let mut timings = crate::timings::Timings::start("rebuild");
        let new_date = std::mem::take(&mut self.new_date);
        let planned = match self.last.take() {
            Some(last) if new_date => Some((last, Ok(Plan::Full("the build date changed")))),
            Some(last) if !changes.paths.is_empty() => {
                let p = plan::plan(
                    &plan::Last {
                        site: &last.site,
                        reports: last.reports.as_ref(),
                        view: &last.target.view,
                        memo: &self.memo,
                    },
                    &changes.paths,
                    self.quarter,
                );
                Some((last, p))
            }
            _ => None,
        };
        timings.stage("plan");
        let result = match planned {
            Some((last, Ok(Plan::Only(patched)))) => {
                let plan::Patched {
                    site,
                    reports,
                    only,
                } = *patched;
                self.patch(last, site, reports, &only)
            }
            Some((_, Err(d))) => Err(d),
            Some((_, Ok(Plan::Full(why)))) => self.full(why),
            None => self.full("no earlier build to start from"),
        };
        timings.stage("render and patch");
        match result {
            Ok(mut built) => {
                built.elapsed = start.elapsed();
                Ok(built)
            }
            Err(mut d) => {
                self.last = None;
                diagnostic::sort(&mut d);
                d.dedup();
                Err(d)
            }
        }
    }

    /// The search index of the last build (its files), if the site has
    /// search: served beside the build (a build never holds it).
    pub fn index(&mut self) -> Option<Result<Output, Vec<Diagnostic>>> {
        let last = self.last.as_ref()?;
        if !last.site.config.search {
            return None;
        }
        Some(indexed(&self.live, &last.output))
    }

    /// Loads and renders everything.
    fn full(&mut self, why: &str) -> Result<Built, Vec<Diagnostic>> {
        let how = format!("everything rendered: {why}");
        let mut site = Site::load(&self.load)?;
        if let Some(old) = &self.content {
            keep_revs(old, &mut site);
        }
        self.content = Some(Arc::clone(&site.content));
        let reports = metrics::compute_site(&site.data, self.quarter).map(Arc::new);
        let mut targets = isolation::targets(&self.audience, &site).map_err(|message| {
            Failure::Usage(crate::diagnostic::Code::UnknownPartner, message).into_diagnostics()
        })?;
        if targets.len() != 1 || !targets[0].folder.is_empty() {
            let highlighter = &self.highlighter;
            let build::Rendered {
                output,
                stats,
                warnings,
                ..
            } = build::render_audience(
                build::Request {
                    load: &self.load,
                    quarter: self.quarter,
                    audience: &self.audience,
                    shard: None,
                },
                highlighter,
            )
            .map_err(Failure::into_diagnostics)?;
            let mut built = built(output, stats, how, false);
            built.warnings = warnings;
            return Ok(built);
        }
        let target = targets.remove(0);
        let options = render::Options {
            memo: Some(&mut self.memo),
            ..render::Options::new(&self.highlighter)
        };
        let build::ViewBuilt { output, stats, .. } =
            build::render_view(&site, reports.as_deref(), &target, options)?;
        let pending = site.config.search;
        let warnings = site.warnings.clone();
        self.last = Some(Last {
            site,
            reports,
            target,
            output: output.clone(),
            stats,
        });
        let mut built = built(output, stats, how, pending);
        built.warnings = warnings;
        Ok(built)
    }

    /// Renders what `only` names and lays it over the last build.
    fn patch(
        &mut self,
        last: Last,
        site: Site,
        reports: Option<Arc<Reports>>,
        only: &Only,
    ) -> Result<Built, Vec<Diagnostic>> {
        let options = render::Options {
            memo: Some(&mut self.memo),
            only: Some(only),
            // A narrow plan keeps every file, URL and front matter, and the
            // memo holds the render of the last good build.
            same_structure: true,
            ..render::Options::new(&self.highlighter)
        };
        let rendered = build::render_view(&site, reports.as_deref(), &last.target, options)?.output;
        let mut output = last.output;
        output.files.retain(|path, _| !only.replaces(path));
        let html = |path: &&String| path.ends_with(".html");
        let count = rendered.files.keys().filter(html).count();
        output.files.extend(rendered.files);
        let total = output.files.keys().filter(html).count();
        let pending = site.config.search;
        let stats = last.stats;
        self.content = Some(Arc::clone(&site.content));
        self.last = Some(Last {
            site,
            reports,
            target: last.target,
            output: output.clone(),
            stats,
        });
        let how = format!("{count} of {total} pages rendered");
        Ok(built(output, stats, how, pending))
    }
}

/// The files of the search index of `output` (a build, which holds no
/// index), made by the index `live` keeps: only the pages that changed
/// since it last indexed are read again.
pub fn indexed(live: &Live, output: &Output) -> Result<Output, Vec<Diagnostic>> {
    let failed = |e: SearchError| {
        vec![Diagnostic::new(
            Code::SearchIndex,
            crate::search::BUNDLE_DIR,
            e.to_string(),
        )]
    };
    let mut live = live.lock().unwrap_or_else(|e| e.into_inner());
    let index = match live.as_mut() {
        Some(index) => index,
        None => live.insert(LiveIndex::new().map_err(failed)?),
    };
    let mut files = Output::default();
    for (path, bytes) in index.update(output).map_err(failed)? {
        if output.files.contains_key(&path) {
            return Err(failed(SearchError::Taken(path)));
        }
        files
            .add(path, bytes)
            .map_err(|p| failed(SearchError::Taken(p)))?;
    }
    Ok(files)
}

/// Gives every document of `site` that reads as it did in `old` its old
/// `rev`.
fn keep_revs(old: &Content, site: &mut Site) {
    let before: HashMap<&Path, &Document> = old
        .pages
        .iter()
        .map(|p| &p.doc)
        .chain(old.sections.values().map(|s| &s.doc))
        .map(|d| (d.file.as_path(), d))
        .collect();
    let same = |d: &Document| {
        before
            .get(d.file.as_path())
            .filter(|o| o.source() == d.source())
            .map(|o| o.rev)
    };
    let content = Arc::make_mut(&mut site.content);
    for page in &mut content.pages {
        if let Some(rev) = same(&page.doc) {
            Arc::make_mut(page).doc.rev = rev;
        }
    }
    for section in content.sections.values_mut() {
        if let Some(rev) = same(&section.doc) {
            section.doc.rev = rev;
        }
    }
}

fn built(output: Output, stats: Stats, how: String, index_pending: bool) -> Built {
    Built {
        output,
        stats,
        elapsed: Duration::ZERO,
        how,
        index_pending,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_describe_one_path_or_a_count() {
        let mut c = Changes::default();
        assert_eq!(c.describe(), "start");
        c.paths.insert(PathBuf::from("content/a.md"));
        assert_eq!(c.describe(), "content/a.md");
        c.paths.insert(PathBuf::from("site.toml"));
        assert_eq!(c.describe(), "2 files");
    }
}
