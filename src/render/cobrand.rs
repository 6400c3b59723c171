//! Co-branded copies of pages: for each partner in the view and each page
//! with `cobrand = true` that it may have (`isolation::cobrand_allows`), the
//! page rendered with that partner's brand at `/partners/<slug>/<page>/`,
//! plus a print layout at `/partners/<slug>/<page>/print/`.

use serde::Serialize;

use super::context::{PageContext, PartnerContext, Summary};
use super::incremental::Only;
use super::renderer::{Inputs, Renderer, Sink};
use super::select::{Selected, markdown_for};
use super::shortcodes::{For, Shortcodes};
use crate::content::Page;
use crate::data::Partner;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{Reader, cobrand_allows, cobrand_path, partners_in_view};
use crate::metrics::{PartnerReport, Reports};

#[derive(Serialize)]
struct CobrandOwn<'a> {
    page: PageContext<'a>,
    partner: &'a PartnerContext,
    /// The print-ready one-pager layout.
    print: bool,
    print_url: String,
    screen_url: String,
}

/// Renders every co-branded copy `only` wants into `sink`; `reports` (the
/// view's) give `kpi` its numbers.
pub(crate) fn render(inputs: &Inputs<'_, '_>, reports: Option<&Reports>, sink: &mut Sink) {
    let Inputs {
        r,
        selected,
        summaries,
        view,
        highlighter,
        only,
    } = *inputs;
    let site = r.site;
    let partners = partners_in_view(site, view);
    // Few pages are co-branded; many partners may be listed.
    let cobranded: Vec<usize> = (0..selected.pages.len())
        .filter(|&i| selected.pages[i].0.doc.meta.cobrand)
        .collect();
    let jobs: Vec<(usize, &Partner)> = partners
        .iter()
        .flat_map(|p| {
            cobranded.iter().map(move |&i| (i, *p)).filter(|(i, p)| {
                let page = selected.pages[*i].0;
                cobrand_allows(page, p) && wanted(only, p, page)
            })
        })
        .collect();
    sink.extend_each(selected, &jobs, super::pages::PAGES_AT_ONCE, |&(i, p)| {
        copies(
            r,
            selected,
            &summaries[i],
            selected.pages[i].0,
            p,
            reports.and_then(|r| r.partner(&p.slug)),
            highlighter,
        )
    });
    for &(i, p) in &jobs {
        let page = selected.pages[i].0;
        let path = cobrand_path(p, page);
        let why = || format!("its co-branded copy of {}", page.doc.path);
        sink.rule(view, &path, why);
        sink.rule(view, &format!("{path}print/"), why);
    }
}

fn wanted(only: Option<&Only>, p: &Partner, page: &Page) -> bool {
    only.is_none_or(|o| {
        o.partners.contains(&p.slug)
            || o.paths.contains(&page.doc.path)
            || o.wants(&cobrand_path(p, page), "cobrand.html")
    })
}

/// The screen and print copies of `page` for `p`: (file, bytes).
fn copies(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    summary: &Summary,
    page: &Page,
    p: &Partner,
    report: Option<&PartnerReport>,
    highlighter: &Highlighter,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let site = r.site;
    let partner = PartnerContext::new(site, p);
    let codes = Shortcodes {
        site,
        tera: r.tera,
        links: &selected.selection.links,
    };
    let who = For {
        reader: Reader::Copy(p),
        partner: &partner,
        report,
    };
    let resolve = |target: &str| selected.resolve(target);
    let slug = Some(p.slug.as_str());
    let (rendered, _) = markdown_for(&codes, &page.doc, &who, &resolve, highlighter, slug)?;
    let path = cobrand_path(p, page);
    let print_path = format!("{path}print/");
    let template = page.doc.meta.template.as_deref().unwrap_or("cobrand.html");
    let mut files = Vec::new();
    for print in [false, true] {
        let mut summary = summary.clone();
        summary.url = site.config.url(&path);
        summary.permalink = site.config.permalink(&path);
        summary.path = path.clone();
        let own = CobrandOwn {
            page: PageContext {
                summary: &summary,
                content: &rendered.html,
                slug: &page.slug,
                review_by: page.doc.meta.review_by,
                toc: &rendered.toc,
                extra: &page.doc.meta.extra,
                cobrand: true,
                ancestors: Vec::new(),
                cobrand_copies: Vec::new(),
            },
            partner: &partner,
            print,
            print_url: site.config.url(&print_path),
            screen_url: site.config.url(&path),
        };
        let at = if print { &print_path } else { &path };
        let html = r
            .render(template, at, &page.doc, own)
            .map_err(|d| vec![d])?;
        let file = format!("{}index.html", at.trim_start_matches('/'));
        files.push((file, html.into_bytes()));
    }
    Ok(files)
}
