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

use super::context::Summary;
use crate::config::Config;
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
    /// The summaries of the view's pages, with the config and the `rev` of
    /// each page they were made from (a `rev` fixes the file, its front
    /// matter and its markdown, so its word count).
    summaries: Option<(Config, Vec<u64>, Arc<[Summary]>)>,
}

impl Memo {
    /// The memo, if what it holds was rendered with these links and this
    /// highlighting (compared once per render, not per document).
    pub(super) fn valid_for(
        &self,
        links: &BTreeMap<String, Option<String>>,
        highlight: bool,
    ) -> Option<&Memo> {
        (highlight == self.highlight && *links == self.links).then_some(self)
    }

    /// The markdown of `doc` rendered before, if the document is unchanged
    /// since (call on a memo from `valid_for`).
    pub(super) fn get(&self, doc: &Document) -> Option<Arc<Rendered>> {
        // A co-branded document is expanded with the site's data first.
        if doc.meta.cobrand {
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
        if *links != self.links || highlight != self.highlight {
            self.links = links.clone();
            self.highlight = highlight;
            self.docs.clear();
        }
        // Mostly the same documents as last time: update, do not rebuild.
        let mut seen = 0;
        for (doc, rendered) in docs.filter(|(d, _)| !d.meta.cobrand) {
            seen += 1;
            match self.docs.get_mut(&doc.file) {
                Some(entry) if entry.0 == doc.rev => {}
                Some(entry) => *entry = (doc.rev, Arc::clone(rendered)),
                None => {
                    self.docs
                        .insert(doc.file.clone(), (doc.rev, Arc::clone(rendered)));
                }
            }
        }
        // Documents gone from the view change its links, which cleared the
        // memo above; this is a safety net for the memory only.
        if self.docs.len() > seen {
            self.docs.clear();
        }
    }

    /// The summaries made last time, if made from the same pages.
    pub(super) fn summaries(&self, config: &Config, revs: &[u64]) -> Option<Arc<[Summary]>> {
        let (c, r, summaries) = self.summaries.as_ref()?;
        (revs.iter().all(|&rev| rev != 0) && r == revs && c == config)
            .then(|| Arc::clone(summaries))
    }

    pub(super) fn keep_summaries(&mut self, config: &Config, revs: Vec<u64>, s: &Arc<[Summary]>) {
        self.summaries = Some((config.clone(), revs, Arc::clone(s)));
    }

    /// The word count of `doc` as last rendered, if the memo holds this
    /// reading of it.
    pub fn word_count(&self, doc: &Document) -> Option<usize> {
        let (rev, rendered) = self.docs.get(&doc.file)?;
        (*rev == doc.rev).then_some(rendered.word_count)
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
/// to keep from the last build. `404.html`, the search page and copied files
/// are always made (they are cheap); the feeds and the sitemap never (a
/// narrow change keeps every URL and all front matter, all they show).
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
