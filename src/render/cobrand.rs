//! Co-branded copies of pages: for each partner in the view and each page
//! with `cobrand = true` that it may have (`isolation::cobrand_allows`), the
//! page rendered with that partner's brand at `/partners/<slug>/<page>/`,
//! plus a print layout at `/partners/<slug>/<page>/print/`. Also the Tera
//! expressions of a co-branded page's markdown (`{{ partner.name }}`),
//! evaluated here and only for co-branded pages.

use rayon::prelude::*;
use serde::Serialize;

use super::context::{PageContext, PartnerContext, Summary};
use super::incremental::Only;
use super::renderer::{Inputs, Renderer, Sink};
use super::select::Selected;
use crate::content::{Document, Page};
use crate::data::Partner;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{cobrand_allows, cobrand_path, partners_in_view};
use crate::markdown;
use crate::site::Site;
use crate::values::escape::markdown_literal;

#[derive(Serialize)]
struct CobrandOwn<'a> {
    page: PageContext<'a>,
    partner: &'a PartnerContext,
    /// The print-ready one-pager layout.
    print: bool,
    print_url: String,
    screen_url: String,
}

/// Renders every co-branded copy `only` wants into `sink`.
pub(crate) fn render(inputs: &Inputs<'_, '_>, sink: &mut Sink) {
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
    let results: Vec<_> = jobs
        .par_iter()
        .map(|&(i, p)| {
            copies(
                r,
                selected,
                &summaries[i],
                selected.pages[i].0,
                p,
                highlighter,
            )
        })
        .collect();
    sink.extend(selected, results);
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
    highlighter: &Highlighter,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let site = r.site;
    let partner = PartnerContext::new(site, p);
    let body = expand(site, &page.doc, &partner)?;
    let resolve = |target: &str| selected.resolve(target);
    let (rendered, problems) = markdown::render(&body, &resolve, highlighter);
    if !problems.is_empty() {
        let located = |p: markdown::Problem| {
            let message = format!("in the co-branded copy for {}: {}", partner.slug, p.message);
            error_in_expanded(&page.doc, &body, p.span, message)
        };
        return Err(problems.into_iter().map(located).collect());
    }
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

#[derive(Serialize)]
struct MarkdownContext<'a> {
    partner: &'a PartnerContext,
    config: &'a crate::config::Config,
    site: SiteVars<'a>,
}

#[derive(Serialize)]
struct SiteVars<'a> {
    title: &'a str,
    base_url: &'a str,
}

/// Evaluates a co-branded page's markdown for `partner`.
pub fn expand(
    site: &Site,
    doc: &Document,
    partner: &PartnerContext,
) -> Result<String, Vec<Diagnostic>> {
    // Partner data is text, never markup: `<script>` or `[x](javascript:…)`
    // in a partner's name must not become HTML or a link in the page.
    let mut partner = partner.clone();
    for field in [
        &mut partner.name,
        &mut partner.segment,
        &mut partner.tier_name,
    ] {
        *field = markdown_literal(field);
    }
    partner.website = partner.website.as_deref().map(markdown_literal);
    let ctx = MarkdownContext {
        partner: &partner,
        config: &site.config,
        site: SiteVars {
            title: &site.config.title,
            base_url: &site.config.base_url,
        },
    };
    let ctx = tera::Context::from_serialize(&ctx)
        .map_err(|e| vec![Diagnostic::error(&doc.file, e.to_string())])?;
    // As `Tera::one_off`, but refusing a macro that calls itself forever
    // (Tera would overflow the stack and abort the process).
    let mut tera = tera::Tera::default();
    let rendered = tera
        .add_raw_template("__tera_one_off", doc.body())
        .and_then(|()| match crate::theme::cycles::find(&tera) {
            Some((_, message)) => Err(tera::Error::msg(message)),
            None => tera.render("__tera_one_off", &ctx),
        });
    rendered.map_err(|e| {
        let message = crate::theme::error_chain(&e)
            .replace("Failed to render '__tera_one_off': ", "")
            .replace("__tera_one_off::", "");
        let d = Diagnostic::error(&doc.file, format!("in a co-branded page: {message}"));
        vec![locate(doc, &message).map_or(d.clone(), |span| d.located(&doc.source, span))]
    })
}

/// An error at `span` of `body`, the expanded markdown of `doc`: its line
/// is counted in the file (Tera expressions rarely span lines), its excerpt
/// is the expanded text that was rendered.
pub(crate) fn error_in_expanded(
    doc: &Document,
    body: &str,
    span: std::ops::Range<usize>,
    message: String,
) -> Diagnostic {
    let mut d = Diagnostic::error_at(&doc.file, body, span, message);
    let front = doc.source[..doc.body_offset].matches('\n').count();
    d.line = d.line.map(|l| l + front);
    d
}

/// Evaluates a co-branded page's markdown for its generic version.
pub fn expand_generic(site: &Site, doc: &Document) -> Result<String, Vec<Diagnostic>> {
    expand(site, doc, &PartnerContext::placeholder(site))
}

/// Finds the expression a Tera error names (`Variable `partner.nme` not found`).
fn locate(doc: &Document, message: &str) -> Option<std::ops::Range<usize>> {
    let start = message.find("Variable `")? + "Variable `".len();
    let name = &message[start..start + message[start..].find('`')?];
    let at = doc.body().find(name)?;
    Some(doc.body_offset + at..doc.body_offset + at + name.len())
}
