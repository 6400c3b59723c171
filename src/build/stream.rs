//! A view rendered straight into its output, not held whole: into a new
//! folder every file is written as render makes it (`streamed`); over an
//! earlier output, every file that output already holds as it is is let go
//! at once and kept on disk (`over_previous`). Either way the leak guard
//! reads each file as it comes, and render runs on the calling thread while
//! the files are checked (and written, and read for search) on others.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::mpsc;

use bytes::Bytes;

use super::failure::Failure;
use super::index::{Index, search_failure, taken_failure};
use crate::diagnostic::Diagnostic;
use crate::isolation::{self, Target};
use crate::metrics::Reports;
use crate::output::Output;
use crate::render;
use crate::search::{self, Indexer};
use crate::site::Site;
use crate::write::{self, Entry};

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
    // The only view, written as it is made: nothing renders the pages
    // after it (over an earlier output, a view may be rendered again).
    let options = render::Options {
        last_reader: true,
        ..options
    };
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
        let rendered = render_to(&view_site, view_reports.as_deref(), target, options, files);
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
        kept: BTreeMap::new(),
        stats: rendered.stats,
        rules: rendered.rules,
        index,
    })
}

/// A view rendered by `streamed` or `over_previous`.
pub(super) struct Streamed {
    /// The files left to write: the search index's, and over an earlier
    /// output those that changed.
    pub(super) index_files: Output,
    /// Files of the earlier output kept as they are, by path.
    pub(super) kept: BTreeMap<String, Entry>,
    pub(super) stats: render::Stats,
    /// Why the view holds each page, by output file.
    pub(super) rules: BTreeMap<String, String>,
    pub(super) index: Option<Index>,
}

/// Renders the view of `target` from its scoped site and reports, handing
/// each file to `files` as soon as it is made; the channel is closed when
/// render is done.
fn render_to<'s>(
    view_site: &'s Site,
    view_reports: Option<&Reports>,
    target: &Target,
    options: render::Options<'_>,
    files: mpsc::SyncSender<(String, Bytes)>,
) -> Result<render::ViewOutput<'s>, Vec<Diagnostic>> {
    let stream = move |path: &str, bytes: Bytes| {
        // A receiver that stopped has its reason; render goes on so that
        // its own errors come first.
        let _ = files.send((path.to_string(), bytes));
    };
    let options = render::Options {
        stream: Some(&stream),
        held_markdown: Some(render::HELD_MARKDOWN),
        ..options
    };
    render::render(view_site, view_reports, &target.view, options)
}

/// The files of `files` the leak guard lets through, as they come; what it
/// finds in the others goes to `leaks`.
fn guarded<'a>(
    files: mpsc::Receiver<(String, Bytes)>,
    guard: &'a isolation::LeakGuard,
    leaks: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = (String, Bytes)> + 'a {
    files.into_iter().filter(move |(path, bytes)| {
        let found = guard.file(path, bytes);
        let clean = found.is_empty();
        leaks.extend(found);
        clean
    })
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
    for (path, bytes) in guarded(files, guard, &mut written.leaks) {
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

/// The only view of an audience rendered over its earlier output
/// (`previous`): each file, as render makes it, is checked by the leak
/// guard and hashed on a thread of its own; a file the earlier build wrote
/// with the same bytes, still as it left it on disk, is let go and kept
/// as it is (`Streamed::kept`); the others are held, to be written. The
/// earlier search index is kept if its pages are the same; else it is
/// made again from the pages held and the kept ones, read back from disk;
/// `None` if one of those is no longer what the earlier build wrote though
/// the disk says so (edited by hand behind its time stamp): the view must
/// then be rendered again and held whole.
pub(super) fn over_previous(
    site: &Site,
    reports: Option<&Reports>,
    target: &Target,
    options: render::Options<'_>,
    previous: &write::Previous,
) -> Result<Option<Streamed>, Failure> {
    let (view_site, view_reports) = isolation::scope(site, reports, &target.view);
    let guard = isolation::LeakGuard::new(site, &target.view, &target.folder);
    let (rendered, compared) = std::thread::scope(|scope| {
        let (files, files_out) = mpsc::sync_channel::<(String, Bytes)>(FILES_IN_FLIGHT);
        let comparer = scope.spawn(|| compare_each(previous, &guard, files_out));
        let rendered = render_to(&view_site, view_reports.as_deref(), target, options, files);
        let compared = comparer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (rendered, compared)
    });
    let rendered = rendered.map_err(Failure::Site)?;
    let Compared {
        mut held,
        mut kept,
        mut leaks,
        pages,
    } = compared;
    if !leaks.is_empty() {
        isolation::LeakGuard::sorted(&mut leaks);
        return Err(Failure::Site(leaks));
    }
    // Why each page is there may have changed with the same bytes.
    for (path, entry) in &mut kept {
        entry.rule = rendered.rules.get(path).cloned();
    }
    let index = match site.config.search {
        true => match index_over(previous, &mut held, &mut kept, &rendered.output, pages)? {
            Some(index) => Some(index),
            None => return Ok(None),
        },
        false => None,
    };
    Ok(Some(Streamed {
        index_files: held,
        kept,
        stats: rendered.stats,
        rules: rendered.rules,
        index,
    }))
}

/// What `compare_each` made of a view's files.
struct Compared {
    /// The files to write.
    held: Output,
    /// The files the earlier output holds as they are, by path.
    kept: BTreeMap<String, Entry>,
    leaks: Vec<Diagnostic>,
    /// Every page: its path, SHA-256 and whether it has Pagefind's mark.
    pages: Vec<(String, String, bool)>,
}

/// Checks and hashes each file that comes from `files` until render is
/// done, keeping on disk those `previous` holds as they are.
fn compare_each(
    previous: &write::Previous,
    guard: &isolation::LeakGuard,
    files: mpsc::Receiver<(String, Bytes)>,
) -> Compared {
    let mut compared = Compared {
        held: Output::default(),
        kept: BTreeMap::new(),
        leaks: Vec::new(),
        pages: Vec::new(),
    };
    let mut checked = BTreeSet::new();
    for (path, bytes) in guarded(files, guard, &mut compared.leaks) {
        let sha256 = write::sha256_hex(&bytes);
        if search::is_page(&path) {
            let marked = search::has_mark(&bytes);
            compared.pages.push((path.clone(), sha256.clone(), marked));
        }
        match previous.unchanged(&path, &sha256, &mut checked) {
            Some(entry) => {
                compared.kept.insert(path, entry);
            }
            None => {
                // Render gives each path once.
                let _ = compared.held.add(path, bytes);
            }
        }
    }
    compared
}

/// The view's search index over an earlier output: its files are kept on
/// disk (`kept`) when the earlier build made them from the same pages,
/// else made again and added to `held`; `None` if a kept page read back is
/// not what it was.
fn index_over(
    previous: &write::Previous,
    held: &mut Output,
    kept: &mut BTreeMap<String, Entry>,
    paths: &Output,
    mut pages: Vec<(String, String, bool)>,
) -> Result<Option<Index>, Failure> {
    // The pages Pagefind is given, in path order (`search::pages_fed`).
    if pages.iter().any(|(_, _, marked)| *marked) {
        pages.retain(|(_, _, marked)| *marked);
    }
    pages.sort();
    let digest = search::digest(pages.iter().map(|(p, sha, _)| (p.as_str(), sha.as_str())));
    let taken = |p: &String| paths.files.contains_key(p);
    if let Some(files) = previous.index("", &digest, search::BUNDLE_DIR) {
        for (path, bytes) in files {
            if taken(&path) {
                return Err(Failure::Site(taken_failure(path)));
            }
            kept.insert(path, Entry::of(&bytes));
        }
        return Ok(Some(Index { digest, kept: true }));
    }
    let mut indexer = Indexer::new()
        .map_err(search_failure)
        .map_err(Failure::Site)?;
    for (path, _, _) in pages {
        let bytes = match (held.files.get(&path), kept.get(&path)) {
            (Some(bytes), _) => bytes.clone(),
            (None, Some(entry)) => match previous.read_unchanged(&path, entry) {
                Some(bytes) => Bytes::from(bytes),
                None => return Ok(None),
            },
            (None, None) => continue,
        };
        indexer
            .add(path, bytes)
            .map_err(search_failure)
            .map_err(Failure::Site)?;
    }
    let made = indexer
        .finish()
        .map_err(search_failure)
        .map_err(Failure::Site)?;
    for (path, bytes) in made.files {
        if taken(&path) {
            return Err(Failure::Site(taken_failure(path)));
        }
        held.add(path.clone(), bytes)
            .map_err(|p| Failure::Site(taken_failure(p)))?;
    }
    Ok(Some(Index {
        digest,
        kept: false,
    }))
}
