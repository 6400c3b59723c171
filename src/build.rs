//! `build`: the pipeline, one stage after another — load → compute →
//! (for each view of the audience) scope, render, leak guard, search
//! index → write — and the one-line summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::{self, Code, Diagnostic};
use crate::highlight::Highlighter;
use crate::isolation::{self, Audience, Target};
use crate::metrics::{self, Reports};
use crate::output::Output;
use crate::render::{self, Stats};
use crate::site::{LoadOptions, Site};
use crate::timings::Timings;
use crate::values::Quarter;
use crate::write;

mod failure;
mod index;
mod keep;
mod shard;
mod stream;

pub use failure::Failure;
pub use index::with_index;
use index::{Index, indexed};
pub use shard::Shard;
use stream::{over_previous, streamed};

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
    /// With `--audience partners`, only this part of the partners.
    pub shard: Option<Shard>,
}

impl BuildOptions {
    /// What to render.
    pub fn request(&self) -> Request<'_> {
        Request {
            load: &self.load,
            quarter: self.quarter,
            audience: &self.audience,
            shard: self.shard,
        }
    }
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
    /// What an earlier build of this output, interrupted while writing,
    /// left, and what was done about it before writing (nothing if none).
    pub recovered: Vec<write::Recovery>,
    /// Search indexes made and kept.
    pub indexes: Indexes,
    /// Partner folders kept as the earlier build left them.
    pub folders_kept: usize,
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
        )?;
        match self.folders_kept {
            0 => Ok(()),
            1 => write!(f, ", 1 partner folder unchanged"),
            n => write!(f, ", {n} partner folders unchanged"),
        }
    }
}

/// Builds the site into `options.out`.
pub fn build(options: &BuildOptions, highlighter: &Highlighter) -> Result<Summary, Failure> {
    let start = Instant::now();
    // The output is opened before the views are rendered: a new folder is
    // written as each view is finished (see `made`).
    let (rendered, opened) = render_into(options.request(), highlighter, || {
        write::open(&options.out, &options.load.root)
            .map(Some)
            .map_err(Failure::Write)
    })?;
    let Rendered {
        output,
        stats,
        warnings,
        record,
        indexes,
        folders_kept,
    } = rendered;
    let mut timings = Timings::start("build");
    crate::progress::show(|| format!("writing {} files", output.files.len()));
    let (staged, staged_bytes) = opened.as_ref().map_or((0, 0), write::Opened::staged);
    let written = match opened {
        Some(opened) => opened.finish(&output, &record),
        None => write::write_recorded(&options.out, &options.load.root, &output, &record),
    }
    .map_err(Failure::Write)?;
    timings.stage("write");
    let kept_bytes: u64 = record.kept.values().map(|e| e.bytes).sum();
    Ok(Summary {
        stats,
        warnings,
        files: output.files.len() + record.kept.len() + staged,
        bytes: output.total_bytes() + (kept_bytes + staged_bytes) as usize,
        folders_kept,
        elapsed: start.elapsed(),
        recovered: written.recovered,
        indexes,
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
    /// What the manifest records: the audience, and why each page is there.
    pub record: write::Record,
    pub indexes: Indexes,
    /// Partner folders of the earlier output kept as they are, because
    /// their inputs had not changed (their files are in `record.kept`).
    pub folders_kept: usize,
}

/// What became of one view.
enum Made {
    /// Rendered, checked and indexed; `inputs` is the digest of a partner
    /// folder's inputs (`keep`).
    Rendered {
        view: ViewBuilt,
        index: Option<Index>,
        inputs: Option<String>,
    },
    /// A partner folder of the earlier output, kept as it is.
    Kept(write::KeptFolder),
}

/// How many search indexes a build made, and how many it kept from the
/// earlier output because their pages had not changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Indexes {
    pub built: usize,
    pub kept: usize,
}

/// What to render: the site, the quarter, the audience and its shard.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub load: &'a LoadOptions,
    pub quarter: Option<Quarter>,
    pub audience: &'a Audience,
    pub shard: Option<Shard>,
}

/// One view's output, in memory.
#[derive(Debug)]
pub struct ViewBuilt {
    pub output: Output,
    /// Files of the earlier output kept as they are, by path (their bytes
    /// are not in `output`).
    pub kept: std::collections::BTreeMap<String, write::Entry>,
    pub stats: Stats,
    /// Why the view holds each page, by output file.
    pub rules: std::collections::BTreeMap<String, String>,
}

/// Loads, computes and renders a site for an audience, in memory: one view,
/// or (for `partners`) one folder per partner, each checked by the leak
/// guard and given its search index.
pub fn render_audience(
    request: Request<'_>,
    highlighter: &Highlighter,
) -> Result<Rendered, Failure> {
    render_into(request, highlighter, || Ok(None)).map(|(rendered, _)| rendered)
}

/// `render_audience`, calling `open` once the site has loaded and before
/// any view is rendered: an output it opens that is a
/// new folder is given each partner folder as soon as that folder is
/// checked and indexed, so that no more than the folders being rendered
/// are held in memory. Returns what `open` opened, to finish.
fn render_into(
    request: Request<'_>,
    highlighter: &Highlighter,
    open: impl FnOnce() -> Result<Option<write::Opened>, Failure>,
) -> Result<(Rendered, Option<write::Opened>), Failure> {
    let mut timings = Timings::start("build");
    let site = Site::load(request.load).map_err(Failure::Site)?;
    timings.stage("load");
    let reports = metrics::compute_site(&site.data, request.quarter);
    timings.stage("compute");
    let mut targets = isolation::targets(request.audience, &site)
        .map_err(|m| Failure::Usage(Code::UnknownPartner, m))?;
    if let Some(shard) = request.shard {
        if !matches!(request.audience, Audience::Partners) {
            return Err(Failure::Usage(
                Code::ShardWithoutPartners,
                "--shard splits `--audience partners`; give that audience too".into(),
            ));
        }
        let mut i = 0;
        targets.retain(|_| {
            i += 1;
            shard.holds(i - 1)
        });
    }
    let opened = open()?;
    let stream = opened.as_ref().filter(|o| o.is_new());
    let mut combined = Output::default();
    let mut stats = Stats::default();
    let mut diagnostics = Vec::new();
    let mut write_failure = None;
    let mut record = write::Record {
        audience: Some(request.audience.to_string()),
        shard: request.shard.map(|s| s.to_string()),
        ..Default::default()
    };
    // An earlier output whose search indexes and partner folders may be
    // kept where what they were made from is unchanged.
    let previous = opened.as_ref().and_then(write::Opened::previous);
    // What every partner folder's inputs share, if there are partner
    // folders; without it (the site's files cannot be read), no folder is
    // kept.
    let shared = (targets.iter().any(|t| !t.folder.is_empty()))
        .then(|| keep::shared(&site, request.load, request.quarter).ok())
        .flatten();
    let mut indexes = Indexes::default();
    let mut folders_kept = 0;
    // Pagefind reads one view's pages on one thread: several views (the
    // partner folders) are built at once, so that every core has work.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let views = each_at_once(&targets, |target| {
        crate::progress::show(|| "rendering".into());
        let inputs = (shared.as_ref().filter(|_| !target.folder.is_empty()))
            .map(|shared| keep::folder_inputs(shared, &site, reports.as_ref(), target));
        let kept = (previous.as_ref().zip(inputs.as_ref()))
            .and_then(|(p, inputs)| p.folder(&target.folder, inputs));
        let view = match kept {
            Some(kept) => Ok(Made::Kept(kept)),
            None => made(
                &site,
                reports.as_ref(),
                target,
                highlighter,
                previous.as_ref(),
                stream,
            )
            .map(|(view, index)| Made::Rendered {
                view,
                index,
                inputs,
            }),
        };
        let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if targets.len() > 1 {
            crate::progress::show(|| format!("built {done} of {} partner folders", targets.len()));
        }
        view
    });
    for (target, view) in targets.iter().zip(views) {
        let folder = &target.folder;
        match view {
            Ok(Made::Kept(kept)) => {
                if let Some(digest) = kept.search {
                    record.search.insert(folder.clone(), digest);
                    indexes.kept += 1;
                }
                stats.pages += kept.record.pages;
                stats.sections += kept.record.sections;
                stats.charts += kept.record.charts;
                record.kept.extend(kept.files);
                record.folders.insert(folder.clone(), kept.record);
                folders_kept += 1;
            }
            Ok(Made::Rendered {
                view: v,
                index,
                inputs,
            }) => {
                if let Some(index) = index {
                    record.search.insert(folder.clone(), index.digest);
                    *if index.kept {
                        &mut indexes.kept
                    } else {
                        &mut indexes.built
                    } += 1;
                }
                if let Some(inputs) = inputs {
                    let folder_record = write::FolderRecord {
                        charts: v.stats.charts,
                        inputs,
                        pages: v.stats.pages,
                        sections: v.stats.sections,
                    };
                    record.folders.insert(folder.clone(), folder_record);
                }
                record.kept.extend(v.kept);
                stats.pages += v.stats.pages;
                stats.sections += v.stats.sections;
                stats.partners = stats.partners.max(v.stats.partners);
                stats.charts += v.stats.charts;
                if folder.is_empty() {
                    combined = v.output;
                    record.rules = v.rules;
                } else {
                    combined.nest(folder, v.output);
                    record.rules.extend(
                        v.rules
                            .into_iter()
                            .map(|(p, r)| (format!("{folder}/{p}"), r)),
                    );
                }
            }
            Err(Failure::Site(mut d)) => diagnostics.append(&mut d),
            Err(other) => {
                write_failure.get_or_insert(other);
            }
        }
    }
    if let Some(failure) = write_failure {
        return Err(failure);
    }
    timings.stage("render, guard and index");
    if matches!(request.audience, Audience::Partners) {
        stats.partners = targets.len();
    }
    if diagnostics.is_empty() {
        let rendered = Rendered {
            output: combined,
            stats,
            warnings: site.warnings,
            record,
            indexes,
            folders_kept,
        };
        Ok((rendered, opened))
    } else {
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Err(Failure::Site(diagnostics))
    }
}

/// `f` of each item, in order, computed on as many threads at once as
/// rayon has (each with render's stack), one item per thread at a time.
fn each_at_once<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = f(item);
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::RENDER_STACK)
                    .spawn_scoped(scope, work)
            })
            .collect();
        // A thread that could not start leaves its items to the others,
        // or (none started) to this one.
        if spawned.iter().all(Result::is_err) {
            work();
        }
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item computed")
        })
        .collect()
}

/// One view rendered, guarded and indexed, and, into a new output
/// (`stream`), written: a partner folder once it is finished (the other
/// core is rendering the next folder), the only view of an audience while
/// its index is made (files are written on the core the index leaves
/// idle). Only files not yet written are returned: none of a partner
/// folder, the index of the only view.
fn made(
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
    highlighter: &Highlighter,
    previous: Option<&write::Previous>,
    stream: Option<&write::Opened>,
) -> Result<(ViewBuilt, Option<Index>), Failure> {
    let folder = target.folder.as_str();
    let options = || render::Options::new(highlighter);
    let streamed = match (stream, previous) {
        (Some(out), _) if folder.is_empty() => {
            Some(streamed(site, reports, target, options(), out)?)
        }
        // Over an earlier output whose manifest describes it (no commit
        // left unfinished), only what changed is held.
        (None, Some(previous)) if folder.is_empty() && !previous.has_journal() => {
            over_previous(site, reports, target, options(), previous)?
        }
        _ => None,
    };
    match streamed {
        None => {}
        Some(streamed) => {
            let view = ViewBuilt {
                output: streamed.index_files,
                kept: streamed.kept,
                stats: streamed.stats,
                rules: streamed.rules,
            };
            return Ok((view, streamed.index));
        }
    }
    // Otherwise (and when a file kept over an earlier output turned out
    // not to be what it was), the view is rendered and held whole.
    let options = options();
    let ViewBuilt {
        output,
        stats,
        rules,
        ..
    } = render_view(site, reports, target, options).map_err(Failure::Site)?;
    let (output, index) = indexed(site, output, previous, folder).map_err(Failure::Site)?;
    let mut view = ViewBuilt {
        output,
        kept: Default::default(),
        stats,
        rules,
    };
    if let Some(out) = stream.filter(|_| !folder.is_empty()) {
        out.put(folder, &view.output, &view.rules)
            .map_err(Failure::Write)?;
        // Written: only the stats are left to keep.
        view.output = Output::default();
        view.rules.clear();
    }
    Ok((view, index))
}

/// Renders one target of an audience: the site and reports scoped to its
/// view, rendered, then checked by the leak guard. No search index: see
/// `with_index`.
pub fn render_view(
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
    options: render::Options<'_>,
) -> Result<ViewBuilt, Vec<Diagnostic>> {
    let (view_site, view_reports) = isolation::scope(site, reports, &target.view);
    let rendered = render::render(&view_site, view_reports.as_deref(), &target.view, options)?;
    let leaks = isolation::leak_guard(site, &target.view, &rendered.output, &target.folder);
    if !leaks.is_empty() {
        return Err(leaks);
    }
    Ok(ViewBuilt {
        output: rendered.output,
        kept: Default::default(),
        stats: rendered.stats,
        rules: rendered.rules,
    })
}
