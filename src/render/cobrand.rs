//! Co-branded copies of pages: for each partner in the view and each page
//! with `cobrand = true` that its tier may see, the page rendered with that
//! partner's brand at `/partners/<slug>/<page>/`, plus a print layout at
//! `/partners/<slug>/<page>/print/`.

use rayon::prelude::*;
use serde::Serialize;

use super::context::{PageContext, Summary};
use super::incremental::Only;
use super::reports::{cobrand_allows, cobrand_path, partners_in_view};
use super::{Renderer, Selected, View};
use crate::cobrand::{PartnerContext, expand};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::markdown;

#[derive(Serialize)]
struct CobrandOwn<'a> {
    page: PageContext<'a>,
    partner: &'a PartnerContext,
    /// The print-ready one-pager layout.
    print: bool,
    print_url: String,
    screen_url: String,
}

/// Rendered pages: (URL path, HTML).
type Pages = Vec<(String, String)>;

/// Renders every co-branded copy: (URL path, HTML) pairs.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    summaries: &[Summary],
    view: &View,
    highlighter: &Highlighter,
    only: Option<&Only>,
) -> Result<Pages, Vec<Diagnostic>> {
    let site = r.site;
    let partners = partners_in_view(site, view);
    // Few pages are co-branded; many partners may be listed.
    let cobranded: Vec<(usize, &(&crate::content::Page, _))> = selected
        .pages
        .iter()
        .enumerate()
        .filter(|(_, (page, _))| page.doc.meta.cobrand)
        .collect();
    let jobs: Vec<(usize, &crate::data::partner::Partner)> = partners
        .iter()
        .flat_map(|p| {
            cobranded
                .iter()
                .copied()
                .filter(|(_, (page, _))| cobrand_allows(page, p))
                .filter(|(_, (page, _))| {
                    only.is_none_or(|o| {
                        o.partners.contains(&p.slug)
                            || o.paths.contains(&page.doc.path)
                            || o.wants(&cobrand_path(p, page), "cobrand.html")
                    })
                })
                .map(move |(i, _)| (i, *p))
        })
        .collect();
    let resolve = |target: &str| selected.resolve(target);
    let results: Vec<Result<Pages, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|(i, p)| {
            let (page, _) = &selected.pages[*i];
            let partner = PartnerContext::new(site, p);
            let body = expand(site, &page.doc, &partner)?;
            let (rendered, problems) = markdown::render(&body, &resolve, highlighter);
            if let Some(problem) = problems.into_iter().next() {
                return Err(vec![Diagnostic::error(&page.doc.file, problem.message)]);
            }
            let path = cobrand_path(p, page);
            let print_path = format!("{path}print/");
            let mut out = Vec::new();
            for print in [false, true] {
                let mut summary: Summary = summaries[*i].clone();
                summary.url = site.config.url(&path);
                summary.permalink = site.config.permalink(&path);
                summary.path = path.clone();
                let ctx = PageContext {
                    summary: &summary,
                    content: &rendered.html,
                    slug: &page.slug,
                    review_by: page.doc.meta.review_by.map(|d| d.to_string()),
                    toc: &rendered.toc,
                    extra: &page.doc.meta.extra,
                    cobrand: true,
                    ancestors: Vec::new(),
                    cobrand_copies: Vec::new(),
                };
                let own = CobrandOwn {
                    page: ctx,
                    partner: &partner,
                    print,
                    print_url: site.config.url(&print_path),
                    screen_url: site.config.url(&path),
                };
                let at = if print { &print_path } else { &path };
                let html = r
                    .render(
                        page.doc
                            .meta
                            .template
                            .as_deref()
                            .filter(|_| false)
                            .unwrap_or("cobrand.html"),
                        at,
                        &page.doc,
                        own,
                    )
                    .map_err(|d| vec![d])?;
                out.push((at.clone(), html));
            }
            Ok(out)
        })
        .collect();
    let mut pages = Vec::new();
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(mut p) => pages.append(&mut p),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if diagnostics.is_empty() {
        Ok(pages)
    } else {
        Err(diagnostics)
    }
}
