//! A view's search index: kept from the earlier output when its pages are
//! the same, else made anew (`indexed`; a streamed view's is made as it is
//! rendered, `build::stream`).

use crate::diagnostic::{Code, Diagnostic};
use crate::output::Output;
use crate::search::{self, SearchError};
use crate::site::Site;
use crate::write;

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
pub(super) fn taken_failure(path: String) -> Vec<Diagnostic> {
    search_failure(SearchError::Taken(path))
}

/// Why the search index could not be made, as a diagnostic.
pub(super) fn search_failure(e: SearchError) -> Vec<Diagnostic> {
    vec![Diagnostic::new(
        Code::SearchIndex,
        search::BUNDLE_DIR,
        e.to_string(),
    )]
}
