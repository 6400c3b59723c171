//! The terms of the tag and track taxonomies and the pages that carry
//! each, decided by front matter alone (so `serve` keeps them across edits
//! that keep it).

use std::collections::BTreeMap;

use super::context::Summary;
use crate::content::Document;
use crate::values::slug::slugify;

/// One term and the pages that carry it.
#[derive(Debug)]
pub(crate) struct Term<'a> {
    pub name: String,
    pub pages: Vec<&'a Summary>,
}

/// Terms of both taxonomies, by slug (sorted).
#[derive(Debug, Default)]
pub(crate) struct Taxonomies<'a> {
    pub tags: BTreeMap<String, Term<'a>>,
    pub tracks: BTreeMap<String, Term<'a>>,
}

/// The terms of both taxonomies, each with the positions (in the view's
/// pages) of its pages in display order: what the tag and track pages list,
/// decided by front matter alone.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermIndex {
    tags: BTreeMap<String, (String, Vec<usize>)>,
    tracks: BTreeMap<String, (String, Vec<usize>)>,
}

impl TermIndex {
    /// The terms of `pages` (the view's pages, in order; `summaries` are
    /// theirs).
    pub(crate) fn new<'d>(
        pages: impl Iterator<Item = &'d Document>,
        summaries: &[Summary],
    ) -> TermIndex {
        let mut t = TermIndex::default();
        for (i, doc) in pages.enumerate() {
            for tag in &doc.meta.tags {
                add(&mut t.tags, &slugify(tag), tag, i);
            }
            if let Some(track) = doc.meta.track {
                add(&mut t.tracks, track.name(), track.name(), i);
            }
        }
        for (_, pages) in t.tags.values_mut().chain(t.tracks.values_mut()) {
            pages.sort_by(|&a, &b| {
                let (a, b) = (&summaries[a], &summaries[b]);
                a.title.cmp(&b.title).then_with(|| a.path.cmp(&b.path))
            });
        }
        t
    }

    /// The terms with the summaries of their pages.
    pub(crate) fn resolve<'a>(&self, summaries: &'a [Summary]) -> Taxonomies<'a> {
        let terms = |from: &BTreeMap<String, (String, Vec<usize>)>| {
            from.iter()
                .map(|(slug, (name, pages))| {
                    let term = Term {
                        name: name.clone(),
                        pages: pages.iter().map(|&i| &summaries[i]).collect(),
                    };
                    (slug.clone(), term)
                })
                .collect()
        };
        Taxonomies {
            tags: terms(&self.tags),
            tracks: terms(&self.tracks),
        }
    }
}

/// Adds a page to a term, allocating only for a term seen first.
fn add(terms: &mut BTreeMap<String, (String, Vec<usize>)>, slug: &str, name: &str, page: usize) {
    match terms.get_mut(slug) {
        Some((_, pages)) => pages.push(page),
        None => {
            terms.insert(slug.to_string(), (name.to_string(), vec![page]));
        }
    }
}
