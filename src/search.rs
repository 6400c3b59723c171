//! The search stage: one audience's rendered `Output` → the files of its
//! static search index, built with Pagefind's Rust API.
//!
//! The index is made from the HTML files of that `Output` and nothing else,
//! so it can only ever hold what that audience's output already holds: a
//! partner's search cannot find another partner's pages, nor internal ones.
//! What is indexed is decided by the theme's `data-pagefind-*` attributes.
//! The files are returned, not written, at paths relative to the output's
//! root (`pagefind/…`); page URLs in the index are root-relative without the
//! base path, which Pagefind's script adds in the browser (it takes it from
//! the bundle's URL, or from the `baseUrl` the theme passes). Search never
//! touches the disk or the network: the browser scripts and WebAssembly are
//! compiled into the binary inside the `pagefind` crate.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::Output;

/// The folder of the search files, relative to the output's root.
pub const BUNDLE_DIR: &str = "pagefind";

/// Files of Pagefind's bundle that the theme never loads: its other UIs and
/// the result-highlighting script (about 290 KB per output).
const UNUSED: [&str; 5] = [
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-highlight.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
];

/// Pages given to Pagefind at once: enough for every core to have work,
/// few enough that their copies are small beside the site.
pub const BATCH: usize = 256;

/// Why the search index could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot start the search indexer: {0}")]
    Runtime(std::io::Error),
    #[error("cannot index {path} for search: {message}")]
    Page { path: String, message: String },
    #[error("cannot build the search index: {0}")]
    Build(String),
    #[error("the site has a file {0}, where the search index goes; rename or move it")]
    Taken(String),
}

/// `output` with the search index of its pages added; a file of the site
/// where the index goes is an error.
pub fn with_index(mut output: Output) -> Result<Output, SearchError> {
    for (path, bytes) in index(&output)? {
        output.add(path, bytes).map_err(SearchError::Taken)?;
    }
    Ok(output)
}

/// Builds the search index of `output`'s HTML pages: (path relative to the
/// output's root, bytes), sorted by path. The same output always gives the
/// same bytes (Pagefind hashes contents for names, sorts what it builds in
/// parallel and writes gzip without a time stamp); the one outside input is
/// the environment variable `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`, which
/// changes how the word index is split if someone sets it.
pub fn index(output: &Output) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    index_pages(pages(output))
}

/// A page Pagefind is given: its path in the output, and its bytes.
pub type Page = (String, bytes::Bytes);

/// The pages of `output` Pagefind is given (`pages_fed`), in path order,
/// sharing their bytes with `output`.
pub fn pages(output: &Output) -> Vec<Page> {
    (pages_fed(output).into_iter())
        .map(|(path, bytes)| (path.clone(), bytes.clone()))
        .collect()
}

/// `index` of `pages`: each page's bytes are let go as soon as Pagefind has
/// read it.
pub fn index_pages(pages: Vec<Page>) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let mut indexer = Indexer::new()?;
    for (path, bytes) in pages {
        indexer.add(path, bytes)?;
    }
    Ok(indexer.finish()?.files)
}

/// A view's search index, made as its files come, in any order: pages are
/// read in batches, on every core, while the rest of the view is still
/// being rendered, and numbered in path order at the end, so that the
/// index is the one `index` makes of the same pages. Which pages are read
/// is `pages_fed`'s rule: once a page with `data-pagefind-body` has come,
/// pages without it are not read (Pagefind would leave them out); those
/// that came before it are held until then, and read at the end if none
/// comes.
pub struct Indexer {
    runtime: tokio::runtime::Runtime,
    pagefind: PagefindIndex,
    batch: Vec<Page>,
    /// Pages without the mark, while no page has had it.
    unmarked: Vec<Page>,
    marked: bool,
    /// The path of every page read, by its URL in the index.
    fed: BTreeMap<String, String>,
    timings: crate::timings::Timings,
}

/// What an `Indexer` made: the index's files, and the paths of the pages
/// it read, in path order (what `digest` is taken of).
pub struct Made {
    pub files: Vec<(String, Vec<u8>)>,
    pub fed: Vec<String>,
}

impl Indexer {
    pub fn new() -> Result<Indexer, SearchError> {
        // Pagefind reads the working directory while loading its options
        // and panics if it is gone; report that as an error instead.
        std::env::current_dir().map_err(SearchError::Runtime)?;
        // Pagefind's API is async; a current-thread runtime is enough (it
        // parses on rayon's threads from one blocking thread, and indexes
        // on rayon too).
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(SearchError::Runtime)?;
        let pagefind = PagefindIndex::new(Some(options()))
            .map_err(|e| SearchError::Build(format!("{e:#}")))?;
        Ok(Indexer {
            runtime,
            pagefind,
            batch: Vec::new(),
            unmarked: Vec::new(),
            marked: false,
            fed: BTreeMap::new(),
            timings: crate::timings::Timings::start("search"),
        })
    }

    /// Takes a file of the view: an HTML page is read (now or in its
    /// batch), any other file is not for the index.
    pub fn add(&mut self, path: String, bytes: bytes::Bytes) -> Result<(), SearchError> {
        if !is_page(&path) {
            return Ok(());
        }
        if MARK.is_match(bytes.as_ref()) {
            if !self.marked {
                self.marked = true;
                self.unmarked = Vec::new();
            }
        } else if self.marked {
            return Ok(());
        } else {
            self.unmarked.push((path, bytes));
            return Ok(());
        }
        self.batch.push((path, bytes));
        if self.batch.len() >= BATCH {
            self.read_batch()?;
        }
        Ok(())
    }

    /// Reads the pages of the batch, on every core, in the order they came.
    fn read_batch(&mut self) -> Result<(), SearchError> {
        let batch = std::mem::take(&mut self.batch);
        if batch.is_empty() {
            return Ok(());
        }
        let read = self.fed.len();
        crate::progress::show(|| format!("indexing for search: {read} pages read"));
        let mut files = Vec::with_capacity(batch.len());
        let mut paths = Vec::with_capacity(batch.len());
        for (path, bytes) in batch {
            let url = page_url(&path);
            self.fed.insert(url.clone(), path.clone());
            files.push((url, into_string(bytes)));
            paths.push(path);
        }
        let results = self.runtime.block_on(self.pagefind.add_html_files(files));
        for (path, result) in paths.iter().zip(results) {
            result.map_err(|e| SearchError::Page {
                path: path.clone(),
                message: format!("{e:#}"),
            })?;
        }
        Ok(())
    }

    /// The index of the pages read, numbered in path order.
    pub fn finish(mut self) -> Result<Made, SearchError> {
        if !self.marked {
            // No page marks its content: Pagefind reads every page whole.
            for page in std::mem::take(&mut self.unmarked) {
                self.batch.push(page);
                if self.batch.len() >= BATCH {
                    self.read_batch()?;
                }
            }
        }
        self.read_batch()?;
        self.timings.stage("pages read");
        let fed = std::mem::take(&mut self.fed);
        let Indexer {
            runtime,
            mut pagefind,
            mut timings,
            ..
        } = self;
        let files = runtime.block_on(async {
            // Page numbers follow the order of pages in the index: the
            // order of their paths, whatever order they came in.
            (pagefind.sort_pages_by(|a, b| fed.get(a).cmp(&fed.get(b)))).await;
            // The pages read are moved into the index, not copied.
            pagefind.take_files().await
        });
        let files = files.map_err(|e| SearchError::Build(format!("{e:#}")))?;
        timings.stage("index built");
        let mut fed: Vec<String> = fed.into_values().collect();
        fed.sort();
        Ok(Made {
            files: bundle(files),
            fed,
        })
    }
}

/// A view's search index kept as its pages change (`serve`): each
/// `update` reads only the pages that are new or differ from those of the
/// last one, drops those that are gone, and builds the index again from
/// every page read (Pagefind keeps them), numbered in path order: the
/// index `index` makes of the same output, in a fraction of the time.
pub struct LiveIndex {
    runtime: tokio::runtime::Runtime,
    pagefind: PagefindIndex,
    /// Every page read, by path, as read.
    read: BTreeMap<String, bytes::Bytes>,
    /// Whether the pages read were those with `data-pagefind-body`.
    marked: bool,
}

impl LiveIndex {
    pub fn new() -> Result<LiveIndex, SearchError> {
        let Indexer {
            runtime, pagefind, ..
        } = Indexer::new()?;
        Ok(LiveIndex {
            runtime,
            pagefind,
            read: BTreeMap::new(),
            marked: false,
        })
    }

    /// The index of `output`'s pages (as `index` gives it). After an error
    /// the next update starts afresh.
    pub fn update(&mut self, output: &Output) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
        let result = self.update_from(output);
        if result.is_err() {
            self.read.clear();
            self.pagefind = Indexer::new()?.pagefind;
        }
        result
    }

    fn update_from(&mut self, output: &Output) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
        let (fed, marked) = pages_fed_marked(output);
        if marked != self.marked && !self.read.is_empty() {
            // Which pages Pagefind reads has changed: all of them again.
            self.read.clear();
            self.pagefind = Indexer::new()?.pagefind;
        }
        self.marked = marked;
        let now: BTreeMap<&String, &bytes::Bytes> = fed.into_iter().collect();
        let gone: std::collections::HashSet<String> = (self.read.keys())
            .filter(|path| !now.contains_key(path))
            .map(|path| page_url(path))
            .collect();
        if !gone.is_empty() {
            self.read.retain(|path, _| now.contains_key(path));
            self.runtime.block_on(self.pagefind.remove_pages(&gone));
        }
        // A page `serve` did not render again shares its bytes with the
        // page read: compared by address first.
        let same = |read: &bytes::Bytes, now: &bytes::Bytes| {
            (read.as_ptr() == now.as_ptr() && read.len() == now.len()) || read == now
        };
        let changed: Vec<Page> = (now.iter())
            .filter(|(path, bytes)| !self.read.get(**path).is_some_and(|read| same(read, bytes)))
            .map(|(path, bytes)| ((*path).clone(), (*bytes).clone()))
            .collect();
        for batch in changed.chunks(BATCH) {
            let files = (batch.iter())
                .map(|(path, bytes)| (page_url(path), into_string(bytes.clone())))
                .collect();
            let results = self.runtime.block_on(self.pagefind.add_html_files(files));
            for ((path, bytes), result) in batch.iter().zip(results) {
                result.map_err(|e| SearchError::Page {
                    path: path.clone(),
                    message: format!("{e:#}"),
                })?;
                self.read.insert(path.clone(), bytes.clone());
            }
        }
        let paths: std::collections::HashMap<String, &String> = self
            .read
            .keys()
            .map(|path| (page_url(path), path))
            .collect();
        let files = self.runtime.block_on(async {
            (self.pagefind)
                .sort_pages_by(|a, b| paths.get(a).cmp(&paths.get(b)))
                .await;
            self.pagefind.get_files().await
        });
        let files = files.map_err(|e| SearchError::Build(format!("{e:#}")))?;
        Ok(bundle(files))
    }
}

/// A page's bytes as the string Pagefind reads: moved, not copied, when
/// nothing else holds them (a streamed page, once written), and with any
/// invalid UTF-8 replaced as `String::from_utf8_lossy` does.
fn into_string(bytes: bytes::Bytes) -> String {
    let owned = match bytes.try_into_mut() {
        Ok(unique) => Vec::from(unique),
        Err(shared) => return String::from_utf8_lossy(&shared).into_owned(),
    };
    String::from_utf8(owned).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether a page marks its content with `data-pagefind-body` (see
/// `pages_fed`).
pub fn has_mark(page: &[u8]) -> bool {
    MARK.is_match(page)
}

/// Finds `data-pagefind-body` in a page, whatever its case.
static MARK: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["data-pagefind-body"])
        .expect("one fixed pattern")
});

/// Pagefind's files as the output's: under `BUNDLE_DIR`, sorted by path,
/// without the ones the theme never loads.
fn bundle(files: Vec<pagefind::api::SyntheticFile>) -> Vec<(String, Vec<u8>)> {
    let mut bundle = BTreeMap::new();
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        if !UNUSED.contains(&name.as_str()) {
            bundle.insert(format!("{BUNDLE_DIR}/{name}"), file.contents);
        }
    }
    bundle.into_iter().collect()
}

/// Pagefind's options. Text hidden from screen readers (heading anchors'
/// `#`, decorative marks) is decoration, not words to search for.
fn options() -> PagefindServiceConfig {
    PagefindServiceConfig::builder()
        .exclude_selectors(vec![r#"[aria-hidden="true"]"#.to_string()])
        .build()
}

/// What the index of `output` is made from, as a SHA-256 in hex: the path
/// and SHA-256 of every page Pagefind is given (`digest`).
pub fn inputs_digest(output: &Output) -> String {
    use rayon::prelude::*;
    let fed = pages_fed(output);
    let hashes: Vec<String> = fed
        .par_iter()
        .map(|(_, bytes)| crate::write::sha256_hex(bytes))
        .collect();
    digest(
        fed.iter()
            .map(|(p, _)| p.as_str())
            .zip(hashes.iter().map(String::as_str)),
    )
}

/// What an index is made from, as a SHA-256 in hex: every page read, as
/// (path, SHA-256 of its bytes in hex) in path order; the Pagefind version
/// and the options below; and the one environment variable Pagefind reads.
/// Two outputs with the same digest get the same index files, so an index
/// written by an earlier build with this digest can be kept (`build`).
pub fn digest<'a>(pages: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    // Bump when what `build` gives Pagefind, or keeps of its files, changes.
    hash.update(b"partnersite search 4\0pagefind 1.6.0, gzip level 2\0aria-hidden excluded\0");
    hash.update(std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE").unwrap_or_default());
    for (path, sha256) in pages {
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update(sha256.as_bytes());
    }
    crate::write::hex(&hash.finalize())
}

/// Whether an output path is a file of the search index.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with(BUNDLE_DIR) && path[BUNDLE_DIR.len()..].starts_with('/')
}

/// The pages Pagefind is given, in path order. When any page marks its
/// content with `data-pagefind-body`, Pagefind leaves out every page
/// without the mark ("If `data-pagefind-body` is found anywhere on your
/// site, any pages without this attribute will be removed from your
/// index"), so those are not given to it at all: reading them is most of
/// its time on a large site (a partner's what's new page lists thousands of
/// pages; earlier quarters' reports are not searched). A page that only
/// mentions the attribute in its text is given to Pagefind, which decides.
fn pages_fed(output: &Output) -> Vec<(&String, &bytes::Bytes)> {
    pages_fed_marked(output).0
}

/// `pages_fed`, and whether they were chosen for their mark.
fn pages_fed_marked(output: &Output) -> (Vec<(&String, &bytes::Bytes)>, bool) {
    use rayon::prelude::*;
    let pages: Vec<(&String, &bytes::Bytes)> =
        output.files.iter().filter(|(p, _)| is_page(p)).collect();
    let marked: Vec<bool> = pages
        .par_iter()
        .map(|(_, b)| MARK.is_match(b.as_ref()))
        .collect();
    if !marked.contains(&true) {
        return (pages, false);
    }
    let pages = (pages.into_iter().zip(marked))
        .filter_map(|(page, marked)| marked.then_some(page))
        .collect();
    (pages, true)
}

/// Whether an output file is an HTML page (Pagefind's own folder never is).
pub fn is_page(path: &str) -> bool {
    path.ends_with(".html") && !path.starts_with(&format!("{BUNDLE_DIR}/"))
}

/// The URL of an output file as a search result: `sales/x/index.html` →
/// `/sales/x/`, `404.html` → `/404.html`.
fn page_url(path: &str) -> String {
    let url = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{url}")
}

#[cfg(test)]
mod tests;
