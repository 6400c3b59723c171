//! Content pages and sections through their templates (`page.html`,
//! `section.html`, `index.html` for the home page, or the template named
//! in the front matter), the summaries listings show, and the pages every
//! output has (`404.html`, the search page).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{
    NamedLink, PageContext, SectionContext, Shown, SubsectionContext, Summary, TitledLink,
};
use super::incremental::{Memo, Only, wants};
use super::paginate::{Paginator, pager_path, paginate};
use super::renderer::{Listing, Nothing, Renderer, Sink, Var};
use super::select::{Again, Selected};
use crate::content::{Page, Section};
use crate::diagnostic::Diagnostic;
use crate::isolation::View;
use crate::isolation::{cobrand_allows, cobrand_path, partners_in_view};
use crate::markdown::Rendered;
use crate::site::Site;

/// The summary of every page of the view, in the order of its pages; a
/// summary the memo holds for an unchanged page (same `rev`) is reused.
pub(crate) fn summaries(
    site: &Site,
    selected: &Selected<'_>,
    memo: Option<&mut Memo>,
) -> Arc<Vec<Summary>> {
    let revs: Vec<u64> = selected.pages.iter().map(|(p, _)| p.doc.rev).collect();
    let shown = Arc::new(Shown::of(&site.theme));
    let Some(memo) = memo else {
        return Arc::new(made(site, &shown, selected));
    };
    let summaries = match memo.take_summaries(&site.config, &shown, revs.len()) {
        Some((old, mut summaries)) => {
            let list = Arc::make_mut(&mut summaries);
            for (i, (p, r)) in selected.pages.iter().enumerate() {
                if old[i] != revs[i] || revs[i] == 0 {
                    list[i] = Summary::new(&site.config, &shown, &p.doc, r);
                }
            }
            summaries
        }
        None => Arc::new(made(site, &shown, selected)),
    };
    memo.keep_summaries(&site.config, revs, &summaries);
    summaries
}

fn made(site: &Site, shown: &Arc<Shown>, selected: &Selected<'_>) -> Vec<Summary> {
    (selected.pages.par_iter())
        .map(|(p, r)| Summary::new(&site.config, shown, &p.doc, r))
        .collect()
}

/// The template of a page or section.
fn template_of(section_key: Option<&str>, doc: &crate::content::Document) -> String {
    let default = match section_key {
        None => "page.html",
        Some("") => "index.html",
        Some(_) => "section.html",
    };
    doc.meta.template.clone().unwrap_or_else(|| default.into())
}

/// Pages made at once when the files stream.
pub(crate) const PAGES_AT_ONCE: usize = 128;

/// Renders the view's pages (dropping each page's markdown once its page
/// is made, unless `keep` asks to keep it for `check`) and sections. The
/// markdown of a page not held (`Selected::held`) is rendered `again`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &mut Selected<'_>,
    summaries: &[Summary],
    view: &View,
    only: Option<&Only>,
    keep: bool,
    again: Option<&Again<'_>>,
    sink: &mut Sink,
) {
    let site = r.site;
    let in_view = partners_in_view(site, view);
    let mut list = std::mem::take(&mut selected.pages);
    let lookup = &*selected;
    let at_once = sink.at_once(PAGES_AT_ONCE);
    for (n, few) in list.chunks_mut(at_once).enumerate() {
        let pages: Vec<(String, Result<String, Vec<Diagnostic>>)> = few
            .par_iter_mut()
            .enumerate()
            .map(|(i, page)| (n * at_once + i, page))
            .filter(|(_, (page, _))| wants(only, &page.doc.path, &template_of(None, &page.doc)))
            .map(|(i, (page, rendered))| {
                let page: &Page = page;
                let path = page.doc.path.clone();
                let again = match again.filter(|_| i >= lookup.held) {
                    Some(again) => match again.markdown(site, view, lookup, &page.doc) {
                        Ok(rendered) => Some(rendered),
                        Err(d) => return (path, Err(d)),
                    },
                    None => None,
                };
                let held = again.as_ref().unwrap_or(rendered);
                let mut ctx = page_context(site, lookup, page, held, &summaries[i]);
                ctx.cobrand_copies = in_view
                    .iter()
                    .filter(|p| cobrand_allows(page, p))
                    .map(|p| NamedLink {
                        name: p.name.clone(),
                        url: site.config.url(&cobrand_path(p, page)),
                    })
                    .collect();
                let template = template_of(None, &page.doc);
                let html = r.render(&template, &page.doc.path, &page.doc, Var("page", ctx));
                if !keep && let Some(rendered) = Arc::get_mut(rendered) {
                    // Nothing reads a page's markdown after its page is made.
                    *rendered = Rendered::default();
                }
                (path, html.map_err(|d| vec![d]))
            })
            .collect();
        for (path, html) in pages {
            match html {
                Ok(html) => sink.page(lookup, &path, Ok(html)),
                Err(d) => sink.diagnostics.extend(d),
            }
        }
    }
    selected.pages = list;
    for doc in selected.documents() {
        sink.rule(view, &doc.path, || crate::isolation::why_shown(view, doc));
    }
    sink.in_sitemap(selected.documents().map(|d| d.path.clone()));
    let shown_paths = std::cell::OnceCell::new();
    let pagers = (selected.sections.values()).filter_map(|(s, _)| {
        let by = s.doc.meta.paginate_by?;
        let by_path = shown_paths.get_or_init(|| by_path(selected));
        let shown = s
            .pages
            .iter()
            .filter(|&&i| by_path.contains_key(site.content.pages[i].doc.path.as_str()));
        Some((2..=shown.count().div_ceil(by)).map(|n| pager_path(&s.doc.path, n)))
    });
    sink.in_sitemap(pagers.flatten());
}

/// The position of each page of the view in `selected.pages`, by URL path.
fn by_path<'s>(selected: &'s Selected<'_>) -> BTreeMap<&'s str, usize> {
    (selected.pages.iter().enumerate())
        .map(|(i, (p, _))| (p.doc.path.as_str(), i))
        .collect()
}

/// The pages of the view's sections that `only` wants, to make
/// (`make_listings`): each section's page, or each page of its list when
/// it is paginated.
pub(crate) fn section_listings<'a>(
    r: &'a Renderer<'_>,
    selected: &'a Selected<'_>,
    summaries: &'a [Summary],
    only: Option<&Only>,
) -> Vec<Listing<'a>> {
    let site = r.site;
    let by_path = std::sync::Arc::new(by_path(selected));
    let mut listings: Vec<Listing<'a>> = Vec::new();
    for (key, (section, rendered)) in &selected.sections {
        let template = template_of(Some(key), &section.doc);
        if !wants(only, &section.doc.path, &template) {
            continue;
        }
        let paths: Vec<(String, Option<usize>)> = match section.doc.meta.paginate_by {
            Some(by) => {
                let ctx = section_context(site, selected, section, rendered, summaries, &by_path);
                (paginate(&site.config, &section.doc.path, &ctx.pages, by).into_iter())
                    .enumerate()
                    .map(|(n, (path, _))| (path, Some(n)))
                    .collect()
            }
            None => vec![(section.doc.path.clone(), None)],
        };
        for (path, pager) in paths {
            let (by_path, template, here) = (by_path.clone(), template.clone(), path.clone());
            let make = move || {
                let ctx = section_context(site, selected, section, rendered, summaries, &by_path);
                // Each page of a paginated section is the section with its
                // `paginator`.
                let paginator = pager.map(|n| {
                    let by = section.doc.meta.paginate_by.expect("paginated");
                    let mut pagers = paginate(&site.config, &section.doc.path, &ctx.pages, by);
                    pagers.swap_remove(n).1
                });
                let doc = &section.doc;
                if key.is_empty() {
                    let own = HomeOwn {
                        section: &ctx,
                        recent: recent(summaries, 6),
                        paginator,
                    };
                    r.render(&template, &here, doc, own)
                } else {
                    let own = SectionOwn {
                        section: &ctx,
                        paginator,
                    };
                    r.render(&template, &here, doc, own)
                }
            };
            listings.push(Listing {
                path,
                size: section.pages.len(),
                make: Box::new(make),
            });
        }
    }
    listings
}

/// `404.html` and, if the theme has one, the search page.
pub(crate) fn render_fixed(r: &Renderer<'_>, selected: &Selected<'_>, sink: &mut Sink) {
    match r.render_plain("404.html", "/404.html", Nothing) {
        Ok(html) => sink.file(selected, "404.html".into(), html.into_bytes()),
        Err(d) => sink.diagnostics.push(d),
    }
    if r.site.theme.templates.contains_key("search.html") {
        let html = r.render_plain("search.html", "/search/", Nothing);
        sink.page(selected, "/search/", html);
    }
}

#[derive(Serialize)]
struct HomeOwn<'a> {
    section: &'a SectionContext<'a>,
    recent: Vec<&'a Summary>,
    paginator: Option<Paginator<'a>>,
}

#[derive(Serialize)]
struct SectionOwn<'a> {
    section: &'a SectionContext<'a>,
    /// One page of the list, if the section has `paginate_by`; else null.
    paginator: Option<Paginator<'a>>,
}

/// The top-level sections of the view, in order.
pub(crate) fn menu(site: &Site, selected: &Selected<'_>) -> Vec<TitledLink> {
    let Some((home, _)) = selected.sections.get("") else {
        return Vec::new();
    };
    home.subsections
        .iter()
        .filter_map(|k| selected.sections.get(k.as_str()))
        .map(|(s, _)| TitledLink {
            title: s.doc.meta.title.clone(),
            url: site.config.url(&s.doc.path),
        })
        .collect()
}

fn ancestors(
    site: &Site,
    selected: &Selected<'_>,
    section_key: &str,
    include_self: bool,
) -> Vec<TitledLink> {
    let mut chain: Vec<&Section> = site.content.ancestors(section_key);
    if let Some(s) = site.content.section(section_key).filter(|_| include_self) {
        chain.push(s);
    }
    chain
        .into_iter()
        .filter(|s| selected.sections.contains_key(s.key.as_str()))
        .map(|s| TitledLink {
            title: s.doc.meta.title.clone(),
            url: site.config.url(&s.doc.path),
        })
        .collect()
}

/// `page` of a content page (its co-branded copies are filled in after).
pub(crate) fn page_context<'a>(
    site: &'a Site,
    selected: &Selected<'_>,
    page: &'a Page,
    rendered: &'a Rendered,
    summary: &'a Summary,
) -> PageContext<'a> {
    PageContext {
        summary,
        content: &rendered.html,
        slug: &page.slug,
        review_by: page.doc.meta.review_by,
        toc: &rendered.toc,
        extra: &page.doc.meta.extra,
        cobrand: page.doc.meta.cobrand,
        ancestors: ancestors(site, selected, &page.section, true),
        cobrand_copies: Vec::new(),
    }
}

fn section_context<'a>(
    site: &'a Site,
    selected: &'a Selected<'_>,
    section: &'a Section,
    rendered: &'a Rendered,
    summaries: &'a [Summary],
    by_path: &BTreeMap<&str, usize>,
) -> SectionContext<'a> {
    let shown = |i: usize| by_path.get(site.content.pages[i].doc.path.as_str());
    let pages = section
        .pages
        .iter()
        .filter_map(|&i| shown(i))
        .map(|&i| &summaries[i])
        .collect();
    let subsections = section
        .subsections
        .iter()
        .filter_map(|k| selected.sections.get(k.as_str()))
        .map(|(s, _)| SubsectionContext {
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            url: site.config.url(&s.doc.path),
            pages_count: s.pages.iter().filter(|&&i| shown(i).is_some()).count(),
        })
        .collect();
    SectionContext {
        title: &section.doc.meta.title,
        description: &section.doc.meta.description,
        content: &rendered.html,
        url: site.config.url(&section.doc.path),
        permalink: site.config.permalink(&section.doc.path),
        path: &section.doc.path,
        toc: &rendered.toc,
        extra: &section.doc.meta.extra,
        ancestors: ancestors(site, selected, &section.key, false),
        pages,
        subsections,
        feed_url: (section.doc.meta.generate_feed)
            .then(|| site.config.url(&format!("{}atom.xml", section.doc.path))),
    }
}

/// The `n` most recently updated pages, newest first.
fn recent(summaries: &[Summary], n: usize) -> Vec<&Summary> {
    let mut dated: Vec<&Summary> = summaries.iter().filter(|s| s.changed().is_some()).collect();
    dated.sort_by(|a, b| {
        b.changed()
            .cmp(&a.changed())
            .then_with(|| a.path.cmp(&b.path))
    });
    dated.truncate(n);
    dated
}
