//! Taxonomies: tags and certification tracks, as list and term pages
//! (`/tags/`, `/tags/<tag>/`, `/tracks/`, `/tracks/<track>/`; with
//! `[taxonomies] paginate_by`, also `/tags/<tag>/page/2/`, …).

use serde::Serialize;

use super::context::Summary;
use super::incremental::{Only, wants};
use super::paginate::{Paginator, paginate};
use super::paths::taxonomy_path;
use super::renderer::{Listing, Renderer, Sink};
use super::terms::Taxonomies;

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
    /// One page of the term's list, with `[taxonomies] paginate_by`.
    paginator: Option<&'a Paginator<'a>>,
}

#[derive(Serialize)]
struct TermContext<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    pages: &'a [&'a Summary],
}

/// A listing to make, with the path and template that decide whether it
/// is wanted (a term's for each page of its list).
type Job<'a> = (Listing<'a>, String, &'static str);

/// The list and term pages that `only` wants, to make (`make_listings`);
/// every one of them, wanted or not, goes into the sitemap.
pub(crate) fn listings<'a>(
    r: &'a Renderer<'_>,
    t: &'a Taxonomies<'_>,
    only: Option<&Only>,
    sink: &mut Sink,
) -> Vec<Listing<'a>> {
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
        let make = Box::new(move || {
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
        });
        let listing = Listing {
            path: list_path.clone(),
            size: terms.len(),
            make,
        };
        jobs.push((listing, list_path, "taxonomy_list.html"));
        for (slug, term) in terms {
            let path = taxonomy_path(name, &term.name);
            let config = &r.site.config;
            let pagers: Vec<(String, Option<Paginator<'_>>)> = match config.taxonomies.paginate_by {
                Some(by) => (paginate(config, &path, &term.pages, by).into_iter())
                    .map(|(at, p)| (at, Some(p)))
                    .collect(),
                None => vec![(path.clone(), None)],
            };
            for (at, paginator) in pagers {
                let (p, here) = (path.clone(), at.clone());
                let make = Box::new(move || {
                    let own = TermOwn {
                        taxonomy: TaxonomyInfo { name, title },
                        term: TermContext {
                            name: &term.name,
                            slug,
                            url: r.site.config.url(&p),
                            pages: &term.pages,
                        },
                        paginator: paginator.as_ref(),
                    };
                    r.render_plain("taxonomy_single.html", &here, own)
                });
                let listing = Listing {
                    path: at,
                    size: term.pages.len(),
                    make,
                };
                jobs.push((listing, path.clone(), "taxonomy_single.html"));
            }
        }
    }
    let mut wanted = Vec::new();
    for (listing, owner, template) in jobs {
        sink.in_sitemap([listing.path.clone()]);
        if wants(only, &owner, template) {
            wanted.push(listing);
        }
    }
    wanted
}
