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
    // Pagefind reads the working directory while loading its options and
    // panics if it is gone; report that as an error instead.
    std::env::current_dir().map_err(SearchError::Runtime)?;
    // Pagefind's API is async; a current-thread runtime is enough (its
    // parsing runs on the runtime's blocking threads, its indexing on rayon).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(SearchError::Runtime)?;
    runtime.block_on(build(output))
}

async fn build(output: &Output) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    // Text hidden from screen readers (heading anchors' `#`, decorative
    // marks) is decoration, not words to search for.
    let options = PagefindServiceConfig::builder()
        .exclude_selectors(vec![r#"[aria-hidden="true"]"#.to_string()])
        .build();
    let mut pagefind =
        PagefindIndex::new(Some(options)).map_err(|e| SearchError::Build(format!("{e:#}")))?;
    let mut timings = crate::timings::Timings::start("search");
    // `Output` is a BTreeMap: pages are always added in the same order,
    // which is what makes Pagefind's page numbers (and so its files) stable.
    let pages = output.files.keys().filter(|p| is_page(p)).count();
    for (i, (path, bytes)) in output.files.iter().filter(|(p, _)| is_page(p)).enumerate() {
        crate::progress::show(|| format!("indexing for search: {i} of {pages} pages"));
        let html = String::from_utf8_lossy(bytes).into_owned();
        pagefind
            .add_html_file(None, Some(page_url(path)), html)
            .await
            .map_err(|e| SearchError::Page {
                path: path.clone(),
                message: format!("{e:#}"),
            })?;
    }
    timings.stage("pages read");
    let files = pagefind
        .get_files()
        .await
        .map_err(|e| SearchError::Build(format!("{e:#}")))?;
    timings.stage("index built");
    let mut bundle = BTreeMap::new();
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        if !UNUSED.contains(&name.as_str()) {
            bundle.insert(format!("{BUNDLE_DIR}/{name}"), file.contents);
        }
    }
    Ok(bundle.into_iter().collect())
}

/// What the index of `output` is made from, as a SHA-256 in hex: every page
/// (path and bytes, in the order they are added), the Pagefind version, the
/// options below, and the one environment variable Pagefind reads. Two
/// outputs with the same digest get the same index files, so an index
/// written by an earlier build with this digest can be kept (`build`).
pub fn inputs_digest(output: &Output) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    // Bump when what `build` gives Pagefind, or keeps of its files, changes.
    hash.update(b"partnersite search 1\0pagefind 1.6.0\0aria-hidden excluded\0");
    hash.update(std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE").unwrap_or_default());
    for (path, bytes) in output.files.iter().filter(|(p, _)| is_page(p)) {
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    crate::write::hex(&hash.finalize())
}

/// Whether an output path is a file of the search index.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with(BUNDLE_DIR) && path[BUNDLE_DIR.len()..].starts_with('/')
}

/// Whether an output file is an HTML page (Pagefind's own folder never is).
fn is_page(path: &str) -> bool {
    path.ends_with(".html") && !path.starts_with(&format!("{BUNDLE_DIR}/"))
}

/// The URL of an output file as a search result: `sales/x/index.html` →
/// `/sales/x/`, `404.html` → `/404.html`.
fn page_url(path: &str) -> String {
    let url = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, section: &str, body: &str) -> Vec<u8> {
        format!(
            "<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>\
             <nav data-pagefind-ignore=\"all\">Menu of every page</nav>\
             <main data-pagefind-body><h1>{title}</h1>\
             <span data-pagefind-filter=\"section:{section}\"></span><p>{body}</p></main>\
             </body></html>"
        )
        .into_bytes()
    }

    fn output() -> Output {
        let mut o = Output::default();
        o.add("index.html", page("Home", "Home", "Welcome"))
            .unwrap();
        o.add(
            "sales/first-call/index.html",
            page("First call", "Sales", "Discovery questions"),
        )
        .unwrap();
        o.add("css/site.css", "body{}").unwrap();
        o
    }

    fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
        files.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn page_urls_drop_index_html() {
        assert_eq!(page_url("index.html"), "/");
        assert_eq!(page_url("sales/x/index.html"), "/sales/x/");
        assert_eq!(page_url("404.html"), "/404.html");
    }

    #[test]
    fn bundle_has_the_ui_the_index_and_one_fragment_per_page() {
        let files = index(&output()).unwrap();
        let names = names(&files);
        for needed in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.en.pagefind",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        let fragments = names.iter().filter(|n| n.ends_with(".pf_fragment"));
        assert_eq!(fragments.count(), 2, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pagefind/")));
        assert!(!names.iter().any(|n| n.contains("component-ui")));
    }

    #[test]
    fn the_same_output_gives_the_same_files() {
        assert_eq!(index(&output()).unwrap(), index(&output()).unwrap());
    }
}
