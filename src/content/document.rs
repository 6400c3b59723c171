//! What content is made of once loaded: documents (a markdown file, its
//! front matter and URL), pages, sections and the whole `Content`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::front_matter::FrontMatter;

/// The folder of the content, relative to the site root.
pub const DIR: &str = "content";

/// What pages and sections have in common: a markdown file and its URL.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site root (`content/sales/x.md`).
    pub file: PathBuf,
    /// The whole file, BOM removed.
    pub source: String,
    pub body_offset: usize,
    pub meta: FrontMatter,
    /// URL path, `/sales/x/`.
    pub path: String,
    /// Names this reading of the file: two documents of one file with the
    /// same `rev` have the same source (`serve` keeps what it rendered of a
    /// document until its `rev` changes). 0 for a section without a file.
    pub rev: u64,
}

/// A `rev` never handed out before in this process.
pub fn next_rev() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Document {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The file's path inside `content/`, as `@/` links name it.
    pub fn content_path(&self) -> String {
        content_path_of(&self.file)
    }

    /// Whether `@/` links and `get_url` may name the document: it has a file
    /// (a section folder without `_index.md` has none).
    pub fn is_linkable(&self) -> bool {
        !self.source.is_empty() || self.file.ends_with("index.md")
    }
}

/// A page: a markdown file other than `_index.md`.
#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document,
    pub slug: String,
    /// Key of the section it belongs to (`""` for the root).
    pub section: String,
    /// Files of a page bundle (relative to the root), copied beside the page.
    pub assets: Vec<PathBuf>,
}

/// A section: a folder of `content/`, described by its `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// `""` for the home page, else the folder path (`sales/playbooks`).
    pub key: String,
    pub doc: Document,
    /// Indices into `Content::pages`, in display order.
    pub pages: Vec<usize>,
    /// Keys of the direct subsections, in display order.
    pub subsections: Vec<String>,
}

/// All the content of a site.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Shared, so that `serve` can replace one page without copying the rest.
    pub pages: Vec<Arc<Page>>,
    pub sections: BTreeMap<String, Section>,
    /// Other files under `content/` (relative to the root), copied as they are.
    pub files: Vec<PathBuf>,
}

impl Content {
    /// The section that `key` names, if any.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.get(key)
    }

    /// The chain of sections above a section key, from the home page down,
    /// excluding `key` itself.
    pub fn ancestors(&self, key: &str) -> Vec<&Section> {
        let mut keys = vec![String::new()];
        let mut acc = String::new();
        for part in key.split('/').filter(|p| !p.is_empty()) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            keys.push(acc.clone());
        }
        keys.pop();
        if key.is_empty() {
            keys.clear();
        }
        keys.iter().filter_map(|k| self.sections.get(k)).collect()
    }
}

/// The path inside `content/` of a file relative to the root.
pub(crate) fn content_path_of(rel: &Path) -> String {
    let inner = rel.strip_prefix(DIR).unwrap_or(rel);
    inner.to_string_lossy().replace('\\', "/")
}
