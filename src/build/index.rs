//! A view's search index: made while the only view of a new output is
//! written (`written_while_indexed`), kept from the earlier output when its
//! pages are the same, else made anew (`indexed`).

use std::collections::{BTreeMap, BTreeSet};

use super::failure::Failure;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::Output;
use crate::search::{self, SearchError};
use crate::site::Site;
use crate::write;

/// The only view of a new output, `output`, written into it while its
/// search index is made (on the core the index leaves idle): returns the
/// index's files, the only ones left to write. Neither side keeps a file
/// once done with it: a page leaves memory when it is both written and
/// read by Pagefind, every other file when it is written.
pub(super) fn written_while_indexed(
    site: &Site,
    out: &write::Opened,
    output: Output,
    rules: &BTreeMap<String, String>,
) -> Result<(Output, Option<Index>), Failure> {
    if !site.config.search {
        out.put("", &output, rules).map_err(Failure::Write)?;
        return Ok((Output::default(), None));
    }
    let pages = search::pages(&output);
    // Files of the site where the index goes.
    let taken: BTreeSet<String> = (output.files.keys())
        .filter(|p| search::is_index_file(p))
        .cloned()
        .collect();
    let (written, files) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            out.put("", &output, rules)?;
            Ok(search::inputs_digest(&output))
        });
        let files = search::index_pages(pages);
        match writer.join() {
            Ok(written) => (written, files),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let digest = written.map_err(Failure::Write)?;
    let files = files.map_err(search_failure).map_err(Failure::Site)?;
    let mut index = Output::default();
    for (path, bytes) in files {
        let added = match taken.contains(&path) {
            true => Err(path),
            false => index.add(path, bytes),
        };
        added.map_err(|p| Failure::Site(taken_failure(p)))?;
    }
    let index_made = Index {
        digest,
        kept: false,
    };
    Ok((index, Some(index_made)))
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
