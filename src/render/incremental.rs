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

use super::context::{Shown, Summary};
use super::paths::{report_folder, taxonomy_path};
use super::terms::TermIndex;
use crate::config::Config;
use crate::content::{Document, Page};
use crate::isolation::{
    Selection, View, cobrand_allows, cobrand_path, partners_in_view, recommended_for,
};
use crate::markdown::Rendered;
use crate::site::Site;

/// What a document's rendered markdown depends on besides its own file
/// and the links of the view: who reads it (its `only` blocks), the
/// configuration and the shortcode templates (what its shortcodes give),
/// and highlighting.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    view: View,
    config: Config,
    shortcodes: Vec<(String, String)>,
}

/// The reading of `site`'s documents by `view`.
pub(super) fn reading(site: &Site, view: &View) -> Reading {
    let shortcodes = (site.theme.templates.iter())
        .filter(|(name, _)| name.starts_with("shortcodes/"))
        .map(|(name, t)| (name.clone(), t.source.clone()))
        .collect();
    Reading {
        view: view.clone(),
        config: site.config.clone(),
        shortcodes,
    }
}

/// Markdown rendered by earlier renders of one view, by file. An entry is
/// used while the document's `rev` is the same, the links of the view
/// (every `@/` target and its URL) are the same, and so is what the view
/// sees of it (`Reading`: a change of view, configuration or shortcode
/// template clears the memo).
#[derive(Debug, Default)]
pub struct Memo {
    links: Arc<BTreeMap<String, Option<String>>>,
    /// What the view showed last time.
    selection: Option<Selection>,
    reading: Option<Reading>,
    docs: HashMap<PathBuf, (u64, Arc<Rendered>)>,
    /// The summaries of the view's pages, with the config and the `rev` of
    /// each page they were made from (a `rev` fixes the file, its front
    /// matter and its markdown, so its word count).
    summaries: Option<(Config, Vec<u64>, Arc<Vec<Summary>>)>,
    /// The tag and track lists of the last render.
    terms: Option<Arc<TermIndex>>,
}

impl Memo {
    /// The memo, if what it holds was rendered with these links and this
    /// reading (compared once per render, not per document).
    pub(super) fn valid_for(
        &self,
        links: &BTreeMap<String, Option<String>>,
        reading: Reading,
    ) -> Option<&Memo> {
        let same_links = std::ptr::eq(links, &*self.links) || *links == *self.links;
        (self.reading.as_ref() == Some(&reading) && same_links).then_some(self)
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
        selection: &Selection,
        reading: Reading,
        docs: impl Iterator<Item = (&'d Document, &'d Arc<Rendered>)>,
    ) {
        self.selection = Some(selection.clone());
        let links = &selection.links;
        let same_links = Arc::ptr_eq(links, &self.links) || **links == *self.links;
        if !same_links || self.reading.as_ref() != Some(&reading) {
            self.links = Arc::clone(links);
            self.reading = Some(reading);
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

    /// The tag and track lists of the last render.
    pub(super) fn terms(&self) -> Option<Arc<TermIndex>> {
        self.terms.clone()
    }

    pub(super) fn keep_terms(&mut self, terms: &Arc<TermIndex>) {
        self.terms = Some(Arc::clone(terms));
    }

    /// What the view showed last time.
    pub(super) fn selection(&self) -> Option<Selection> {
        self.selection.clone()
    }

    /// The summaries made last time, with the `rev` of the page each was
    /// made from, if made with this config, showing these fields, for as
    /// many pages. Taken out, so that the caller can update them in place.
    pub(super) fn take_summaries(
        &mut self,
        config: &Config,
        shown: &Shown,
        pages: usize,
    ) -> Option<(Vec<u64>, Arc<Vec<Summary>>)> {
        let (c, revs, summaries) = self.summaries.take()?;
        let same_fields = summaries.first().is_none_or(|s| *s.shown == *shown);
        (c == *config && same_fields && revs.len() == pages).then_some((revs, summaries))
    }

    pub(super) fn keep_summaries(
        &mut self,
        config: &Config,
        revs: Vec<u64>,
        summaries: &Arc<Vec<Summary>>,
    ) {
        self.summaries = Some((config.clone(), revs, Arc::clone(summaries)));
    }

    /// The word count of `doc` as last rendered, if the memo holds this
    /// reading of it.
    pub fn word_count(&self, doc: &Document) -> Option<usize> {
        let (rev, rendered) = self.docs.get(&doc.file)?;
        (*rev == doc.rev).then_some(rendered.word_count)
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

    /// Adds the outputs that show `page` itself: its page and its
    /// co-branded copies (screen and print).
    pub fn page(&mut self, site: &Site, view: &View, page: &Page) {
        self.paths.insert(page.doc.path.clone());
        for p in partners_in_view(site, view) {
            if cobrand_allows(page, p) {
                let path = cobrand_path(p, page);
                self.paths.insert(format!("{path}print/"));
                self.paths.insert(path);
            }
        }
    }

    /// Adds every output that shows `page` or its summary (title, reading
    /// time, word count): the page and its copies, its section, the home
    /// page, its tag and track pages, and the reports that list it.
    pub fn page_and_listings(&mut self, site: &Site, view: &View, page: &Page) {
        self.page(site, view, page);
        let meta = &page.doc.meta;
        self.paths.insert("/".to_string());
        if let Some(section) = site.content.section(&page.section) {
            self.paths.insert(section.doc.path.clone());
        }
        for tag in &meta.tags {
            self.paths.insert(taxonomy_path("tags", tag));
        }
        if let Some(track) = meta.track {
            self.paths.insert(taxonomy_path("tracks", track.name()));
        }
        for p in partners_in_view(site, view) {
            if recommended_for(&page.doc, p.tier).any() {
                self.partners.insert(p.slug.clone());
            }
        }
    }

    /// Whether a file of the last build is replaced by this render's: the
    /// report files of a partner whose data changed may differ in number,
    /// and so may the dashboard's.
    pub fn replaces(&self, file: &str) -> bool {
        let partner = (self.partners.iter()).any(|slug| file.starts_with(&report_folder(slug)));
        let program =
            self.program && (file.starts_with("reports/") || file == "partners/index.html");
        partner || program
    }
}

/// Renders everything, or only what `only` wants.
pub(super) fn wants(only: Option<&Only>, path: &str, template: &str) -> bool {
    only.is_none_or(|o| o.wants(path, template))
}
