//! A view's search index: made while the only view of a new output is
//! rendered and written (`streamed`), kept from the earlier output when its
//! pages are the same, else made anew (`indexed`).

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;

use bytes::Bytes;

use super::failure::Failure;
use crate::diagnostic::{Code, Diagnostic};
use crate::isolation::{self, Target};
use crate::metrics::Reports;
use crate::output::Output;
use crate::render;
use crate::search::{self, Indexer, SearchError};
use crate::site::Site;
use crate::write;

/// The only view of a new output, rendered into it: each file, as soon as
/// render makes it (a few pages or partners at a time), is checked by the
/// leak guard, written, and (a page) read for search, on threads of their
/// own while render goes on; none is held longer. Returns the view with
/// the index's files, the only ones left to write, and the index made.
pub(super) fn streamed(
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
    options: render::Options<'_>,
    out: &write::Opened,
) -> Result<Streamed, Failure> {
    let (view_site, view_reports) = isolation::scope(site, reports, &target.view);
    let guard = isolation::LeakGuard::new(site, &target.view, &target.folder);
    let search = site.config.search;
    let (rendered, written, index) = std::thread::scope(|scope| {
        let (files, files_out) = mpsc::sync_channel::<(String, Bytes)>(FILES_IN_FLIGHT);
        let (pages, pages_out) = mpsc::sync_channel::<(String, Bytes)>(search::BATCH);
        let writer = scope.spawn(|| write_each(out, &guard, files_out, search.then_some(pages)));
        let indexer = scope.spawn(move || {
            let mut indexer = search.then(Indexer::new).transpose()?;
            for (path, bytes) in pages_out {
                if let Some(indexer) = &mut indexer {
                    indexer.add(path, bytes)?;
                }
            }
            indexer.map(Indexer::finish).transpose()
        });
        let stream = move |path: &str, bytes: Bytes| {
            // A writer that stopped has its reason; render goes on so
            // that its own errors come first.
            let _ = files.send((path.to_string(), bytes));
        };
        let options = render::Options {
            stream: Some(&stream),
            ..options
        };
        let rendered = render::render(&view_site, view_reports.as_deref(), &target.view, options);
        drop(stream);
        let written = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let index = indexer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (rendered, written, index)
    });
    let rendered = rendered.map_err(Failure::Site)?;
    let written = written.map_err(Failure::Write)?;
    if !written.leaks.is_empty() {
        let mut leaks = written.leaks;
        isolation::LeakGuard::sorted(&mut leaks);
        return Err(Failure::Site(leaks));
    }
    written.putting.done(&rendered.rules);
    if let Some(e) = written.failed {
        return Err(Failure::Write(e));
    }
    let made = index.map_err(search_failure).map_err(Failure::Site)?;
    let mut files = Output::default();
    let index = match made {
        Some(made) => {
            // The site's files are here as paths only.
            let taken = |p: &String| rendered.output.files.contains_key(p);
            if let Some((path, _)) = made.files.iter().find(|(p, _)| taken(p)) {
                return Err(Failure::Site(taken_failure(path.clone())));
            }
            for (path, bytes) in made.files {
                files
                    .add(path, bytes)
                    .map_err(|p| Failure::Site(taken_failure(p)))?;
            }
            let hashes = &written.hashes;
            let fed = (made.fed.iter()).map(|p| (p.as_str(), hashes[p].as_str()));
            Some(Index {
                digest: search::digest(fed),
                kept: false,
            })
        }
        None => None,
    };
    Ok(Streamed {
        index_files: files,
        stats: rendered.stats,
        rules: rendered.rules,
        index,
    })
}

/// A view rendered into a new output by `streamed`.
pub(super) struct Streamed {
    /// The files left to write: the search index's.
    pub(super) index_files: Output,
    pub(super) stats: render::Stats,
    /// Why the view holds each page, by output file.
    pub(super) rules: BTreeMap<String, String>,
    pub(super) index: Option<Index>,
}

/// Files render has made but the writer has not yet taken.
const FILES_IN_FLIGHT: usize = 256;

/// What the writer of a streamed view did.
struct WrittenEach<'o> {
    putting: write::Putting<'o>,
    /// Files the leak guard stopped (not written).
    leaks: Vec<Diagnostic>,
    /// Why writing stopped, if it did (the files after it are not written).
    failed: Option<write::WriteError>,
    /// The SHA-256 of each page written, by path, for the index's digest.
    hashes: HashMap<String, String>,
}

/// Checks, writes and passes on each file that comes from `files`, until
/// render is done: every page, written or not, goes on to `pages` (for
/// search), so that what the index holds does not depend on the disk.
fn write_each<'o>(
    out: &'o write::Opened,
    guard: &isolation::LeakGuard,
    files: mpsc::Receiver<(String, Bytes)>,
    pages: Option<mpsc::SyncSender<(String, Bytes)>>,
) -> Result<WrittenEach<'o>, write::WriteError> {
    let mut written = WrittenEach {
        putting: out.putting()?,
        leaks: Vec::new(),
        failed: None,
        hashes: HashMap::new(),
    };
    for (path, bytes) in files {
        let leaks = guard.file(&path, &bytes);
        if !leaks.is_empty() {
            written.leaks.extend(leaks);
            continue;
        }
        let page = search::is_page(&path);
        if written.failed.is_none() {
            match written.putting.file(&path, &bytes) {
                Ok(entry) if page => {
                    written.hashes.insert(path.clone(), entry.sha256.clone());
                }
                Ok(_) => {}
                Err(e) => written.failed = Some(e),
            }
        }
        if let (Some(pages), true) = (&pages, page) {
            // An indexer that stopped has its reason.
            let _ = pages.send((path, bytes));
        }
    }
    Ok(written)
}

/// `output` with its search index, if the site has search on, and the
/// digest of the pages it was made from: the index an earlier build wrote
/// into `previous` from the same pages, else a new one.
pub(super) fn indexed(
    site: &Site,
    mut output: Output,
    previous: Option<&write::Previous>,
    folder: &str,
) -> Result<(Output, Option<Index>), Vec<Diagnostic>> {
    if !site.config.search {
        return Ok((output, None));
    }
    let digest = search::inputs_digest(&output);
    let kept = previous.and_then(|p| p.index(folder, &digest, search::BUNDLE_DIR));
    let Some(files) = kept else {
        return Ok((
            with_index(site, output)?,
            Some(Index {
                digest,
                kept: false,
            }),
        ));
    };
    for (path, bytes) in files {
        output.add(path, bytes).map_err(taken_failure)?;
    }
    Ok((output, Some(Index { digest, kept: true })))
}

/// A view's search index: the digest of its pages, and whether it is the
/// one an earlier build wrote.
pub(super) struct Index {
    pub(super) digest: String,
    pub(super) kept: bool,
}

/// `output` with the search index of its pages, if the site has search on.
pub fn with_index(site: &Site, output: Output) -> Result<Output, Vec<Diagnostic>> {
    if !site.config.search {
        // No index: the theme hides its search box (config.search).
        return Ok(output);
    }
    search::with_index(output).map_err(search_failure)
}

/// A site file at `path`, where the search index goes, as a diagnostic.
fn taken_failure(path: String) -> Vec<Diagnostic> {
    search_failure(SearchError::Taken(path))
}

/// Why the search index could not be made, as a diagnostic.
fn search_failure(e: SearchError) -> Vec<Diagnostic> {
    vec![Diagnostic::new(
        Code::SearchIndex,
        search::BUNDLE_DIR,
        e.to_string(),
    )]
}
