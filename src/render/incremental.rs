//! What `serve` hands `render` to redo less after a change: the markdown it
//! rendered before (`Memo`) and the outputs a change affects (`Only`).
//!
//! `render` itself knows nothing of changes: `serve::plan` decides what is
//! affected, and `serve::rebuild` patches the last output with what `render`
//! returns. Whatever render is given, what it renders is rendered exactly as
//! a full build would render it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Document;
use crate::markdown::Rendered;

/// Markdown rendered by earlier renders of one view, by file. An entry is
/// used while the document's `rev` is the same and the links of the view
/// (every `@/` target and its URL) are the same.
#[derive(Debug, Default)]
pub struct Memo {
    links: BTreeMap<String, Option<String>>,
    highlight: bool,
    docs: HashMap<PathBuf, (u64, Arc<Rendered>)>,
}

impl Memo {
    /// The markdown of `doc` rendered before, if nothing it depends on
    /// changed since.
    pub(super) fn get(
        &self,
        doc: &Document,
        links: &BTreeMap<String, Option<String>>,
        highlight: bool,
    ) -> Option<Arc<Rendered>> {
        // A co-branded document is expanded with the site's data first.
        if doc.meta.cobrand || highlight != self.highlight || *links != self.links {
            return None;
        }
        let (rev, rendered) = self.docs.get(&doc.file)?;
        (*rev == doc.rev).then(|| Arc::clone(rendered))
    }

    /// Keeps what a render of the view rendered, and nothing else.
    pub(super) fn keep<'d>(
        &mut self,
        links: &BTreeMap<String, Option<String>>,
        highlight: bool,
        docs: impl Iterator<Item = (&'d Document, &'d Arc<Rendered>)>,
    ) {
        if *links != self.links {
            self.links = links.clone();
        }
        self.highlight = highlight;
        self.docs = docs
            .filter(|(d, _)| !d.meta.cobrand)
            .map(|(d, r)| (d.file.clone(), (d.rev, Arc::clone(r))))
            .collect();
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// The outputs to render; every other output is left out, for the caller
/// to keep from the last build. Feeds, the sitemap, `404.html`, the search
/// page and copied files are always made (they are cheap).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Only {
    /// URL paths of pages, sections, taxonomy pages and co-branded copies.
    pub paths: BTreeSet<String>,
    /// Partners whose report files and co-branded copies are rendered.
    pub partners: BTreeSet<String>,
    /// The partner directory and the dashboard.
    pub program: bool,
    /// Every output made with one of these templates is rendered.
    pub templates: BTreeSet<String>,
}

impl Only {
    /// Whether the output at URL path `path`, made with `template`, is rendered.
    pub fn wants(&self, path: &str, template: &str) -> bool {
        self.paths.contains(path) || self.templates.contains(template)
    }

    /// Adds everything `other` asks for.
    pub fn merge(&mut self, other: Only) {
        self.paths.extend(other.paths);
        self.partners.extend(other.partners);
        self.program |= other.program;
        self.templates.extend(other.templates);
    }
}

/// Renders everything, or only what `only` wants.
pub(super) fn wants(only: Option<&Only>, path: &str, template: &str) -> bool {
    only.is_none_or(|o| o.wants(path, template))
}
