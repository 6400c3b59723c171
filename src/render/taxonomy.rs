//! Taxonomies: tags and certification tracks, as list and term pages
//! (`/tags/`, `/tags/<tag>/`, `/tracks/`, `/tracks/<track>/`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{Summary, taxonomy_path};
use super::incremental::{Only, wants};
use super::renderer::{Renderer, Sink};
use super::select::Selected;
use crate::diagnostic::Diagnostic;
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
    pub(crate) fn new(selected: &Selected<'_>, summaries: &[Summary]) -> TermIndex {
        let mut t = TermIndex::default();
        for (i, (page, _)) in selected.pages.iter().enumerate() {
            for tag in &page.doc.meta.tags {
                add(&mut t.tags, &slugify(tag), tag, i);
            }
            if let Some(track) = page.doc.meta.track {
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

#[derive(Serialize)]
struct TaxonomyInfo {
    name: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct TermListItem<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    pages_count: usize,
}

#[derive(Serialize)]
struct ListOwn<'a> {
    taxonomy: TaxonomyInfo,
    terms: Vec<TermListItem<'a>>,
}

#[derive(Serialize)]
struct TermOwn<'a> {
    taxonomy: TaxonomyInfo,
    term: TermContext<'a>,
}

#[derive(Serialize)]
struct TermContext<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    pages: &'a [&'a Summary],
}

type Job<'a> = (
    String,
    &'static str,
    Box<dyn Fn() -> Result<String, Diagnostic> + Sync + 'a>,
);

/// Renders the list and term pages that `only` wants into `sink`; every
/// one of them is in the sitemap.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    t: &Taxonomies<'_>,
    only: Option<&Only>,
    sink: &mut Sink,
) {
    let kinds = [
        ("tags", "Tags", &t.tags),
        ("tracks", "Certification tracks", &t.tracks),
    ];
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (name, title, terms) in kinds {
        if terms.is_empty() {
            continue;
        }
        let list_path = format!("/{name}/");
        let lp = list_path.clone();
        jobs.push((
            list_path,
            "taxonomy_list.html",
            Box::new(move || {
                let own = ListOwn {
                    taxonomy: TaxonomyInfo { name, title },
                    terms: terms
                        .iter()
                        .map(|(slug, term)| TermListItem {
                            name: &term.name,
                            slug,
                            url: r.site.config.url(&taxonomy_path(name, &term.name)),
                            pages_count: term.pages.len(),
                        })
                        .collect(),
                };
                r.render_plain("taxonomy_list.html", &lp, own)
            }),
        ));
        for (slug, term) in terms {
            let path = taxonomy_path(name, &term.name);
            let p = path.clone();
            jobs.push((
                path,
                "taxonomy_single.html",
                Box::new(move || {
                    let own = TermOwn {
                        taxonomy: TaxonomyInfo { name, title },
                        term: TermContext {
                            name: &term.name,
                            slug,
                            url: r.site.config.url(&p),
                            pages: &term.pages,
                        },
                    };
                    r.render_plain("taxonomy_single.html", &p, own)
                }),
            ));
        }
    }
    let pages: Vec<(&String, Option<Result<String, Diagnostic>>)> = jobs
        .par_iter()
        .map(|(path, template, job)| (path, wants(only, path, template).then(job)))
        .collect();
    for (path, html) in pages {
        sink.sitemap.push(path.clone());
        if let Some(html) = html {
            sink.page(selected, path, html);
        }
    }
}
