//! What content is made of once loaded: documents (a markdown file, its
//! front matter and URL), pages, sections and the whole `Content`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::front_matter::FrontMatter;

/// The folder of the content, relative to the site root.
pub const DIR: &str = "content";

/// What pages and sections have in common: a markdown file and its URL.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site root (`content/sales/x.md`).
    pub file: PathBuf,
    /// The whole file, BOM removed (`source`, `body`).
    pub text: Text,
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

/// The text of a document's file. A streamed build lets go of the body
/// once the page's markdown is rendered for the last time
/// (`Document::let_go_of_body`): a large site's sources are then not all
/// held until the end of the build. The front matter stays, for what is
/// said about it later.
#[derive(Debug)]
pub struct Text(RwLock<Arc<str>>);

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text(RwLock::new(Arc::from(text)))
    }
}

impl Clone for Text {
    fn clone(&self) -> Self {
        Text(RwLock::new(self.get()))
    }
}

impl Text {
    fn get(&self) -> Arc<str> {
        Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A document's body (`Document::body`), held while it is read.
pub struct Body {
    text: Arc<str>,
    from: usize,
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.text.get(self.from..).unwrap_or_default()
    }
}

impl Document {
    /// The whole file, BOM removed; only the front matter once the body
    /// is let go of (`let_go_of_body`).
    pub fn source(&self) -> Arc<str> {
        self.text.get()
    }

    /// The file after its front matter; empty once let go of.
    pub fn body(&self) -> Body {
        Body {
            text: self.text.get(),
            from: self.body_offset,
        }
    }

    /// Drops the body, keeping the front matter: for a streamed build,
    /// once nothing will render the document's markdown again.
    pub fn let_go_of_body(&self) {
        let mut text = self.text.0.write().unwrap_or_else(|e| e.into_inner());
        if let Some(front) = text.get(..self.body_offset)
            && front.len() < text.len()
        {
            *text = Arc::from(front);
        }
    }

    /// The file's path inside `content/`, as `@/` links name it.
    pub fn content_path(&self) -> String {
        content_path_of(&self.file)
    }

    /// Whether `@/` links and `get_url` may name the document: it has a file
    /// (a section folder without `_index.md` has none).
    pub fn is_linkable(&self) -> bool {
        !self.text.get().is_empty() || self.file.ends_with("index.md")
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
