//! The render stage: a loaded `Site`, seen by one view, becomes an `Output`
//! of files in memory.
//!
//! Markdown is rendered once per document (in parallel), then each kind of
//! output is made by its own module: content pages and sections, taxonomy
//! pages, co-branded copies, partner reports, the directory, the dashboard,
//! the exports, the feeds, and the copied files. What the view may hold is
//! asked of the isolation module; every number comes finished from
//! `metrics`. Render never touches the disk; every error is collected.

mod aliases;
pub mod charts;
mod cobrand;
pub mod context;
mod dashboard;
mod directory;
mod expand;
pub mod exports;
mod feeds;
mod files;
mod functions;
mod incremental;
mod next_tier;
mod pages;
mod paginate;
mod paths;
mod renderer;
pub mod report;
mod select;
mod shortcode_args;
mod shortcodes;
mod taxonomy;
mod terms;
mod whats_new;

use std::sync::Arc;

pub use incremental::{Memo, Only};

use crate::content::Document;
use crate::data::Partner;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{View, partners_in_view};
use crate::markdown::Rendered;
use crate::metrics::Reports;
use crate::output::Output;
use crate::site::Site;
use context::{PartnerContext, SiteContext};
pub use renderer::Stream;
use renderer::{Inputs, Renderer, Sink};
pub use select::HELD_MARKDOWN;
use select::{Again, Selected};

/// Counts for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub partners: usize,
    pub charts: usize,
}

/// How to render, and the shortcuts `serve` takes after a change (see
/// `incremental`).
pub struct Options<'a> {
    pub highlighter: &'a Highlighter,
    /// Markdown rendered before; updated with what this render renders.
    pub memo: Option<&'a mut Memo>,
    /// Render only these outputs.
    pub only: Option<&'a Only>,
    /// Every file, URL and front matter is as in the render the memo holds:
    /// what the view shows, and its links and tags, can be taken from it.
    pub same_structure: bool,
    /// Return every document with its rendered markdown (`check` reads the
    /// links and anchors in it); otherwise each is dropped once its page is
    /// made, so that one copy of a large site's text is held at a time.
    pub keep_documents: bool,
    /// Hand each file to this as soon as it is made, keeping only its
    /// path: the returned output then holds every path with no bytes.
    pub stream: Option<&'a Stream<'a>>,
    /// With `stream` (and no `memo` or `keep_documents`): bytes of page
    /// bodies whose rendered markdown is held from the markdown stage until
    /// each page is made; the markdown of the pages after them is rendered
    /// again with their pages (`HELD_MARKDOWN` for a build).
    pub held_markdown: Option<usize>,
    /// With `held_markdown`: nothing renders the site's pages after this
    /// render, so each page's body is let go of once its markdown is
    /// rendered for the last time (co-branded pages keep theirs for their
    /// copies); a large site's sources are then not held to the end.
    pub last_reader: bool,
}

impl<'a> Options<'a> {
    /// A full render, as `build` does.
    pub fn new(highlighter: &'a Highlighter) -> Self {
        Options {
            highlighter,
            memo: None,
            only: None,
            same_structure: false,
            keep_documents: false,
            stream: None,
            held_markdown: None,
            last_reader: false,
        }
    }
}

/// A page or section with its rendered markdown, for `check`.
pub struct Authored<'s> {
    pub doc: &'s Document,
    pub rendered: Arc<Rendered>,
    /// The body a co-branded page was rendered from (its Tera expanded);
    /// spans of such a page refer to it.
    pub expanded: Option<String>,
}

impl Authored<'_> {
    /// An error at a span of the rendered body.
    pub fn error_at(
        &self,
        code: crate::diagnostic::Code,
        span: std::ops::Range<usize>,
        message: String,
    ) -> Diagnostic {
        match &self.expanded {
            Some(body) => expand::error_in_expanded(code, self.doc, body, span, message),
            None => {
                let offset = self.doc.body_offset;
                let span = offset + span.start..offset + span.end;
                Diagnostic::at(code, &self.doc.file, &self.doc.source(), span, message)
            }
        }
    }
}

/// What a render made.
pub struct ViewOutput<'s> {
    pub output: Output,
    pub stats: Stats,
    /// Every document shown, when `Options::keep_documents` asked for them.
    pub documents: Vec<Authored<'s>>,
    /// Why the view holds each page, by output file (not for the internal
    /// view): what the output's manifest records.
    pub rules: std::collections::BTreeMap<String, String>,
}

/// Renders one view of the site, or the part of it that `options.only` wants.
pub fn render<'s>(
    site: &'s Site,
    reports: Option<&Reports>,
    view: &View,
    options: Options<'_>,
) -> Result<ViewOutput<'s>, Vec<Diagnostic>> {
    let mut timings = crate::timings::Timings::start("render");
    let highlighter = options.highlighter.for_site(site.config.highlight_code);
    let (only, same) = (options.only, options.same_structure);
    let memo = options.memo;
    let mut tera = site.theme.tera()?;
    let keep = options.keep_documents;
    // Only a streamed build lets go of each page as it is made.
    let streamed = options.stream.is_some() && !keep && memo.is_none();
    let hold = options.held_markdown.filter(|_| streamed);
    let mut selected = select::select(site, view, &tera, highlighter, memo.as_deref(), same, hold)?;
    let let_go = hold.is_some() && options.last_reader;
    if let_go {
        selected.let_go_of_held_bodies();
    }
    let again = (selected.held < selected.pages.len()).then(|| Again {
        tera: tera.clone(),
        highlighter,
        placeholder: PartnerContext::placeholder(site),
        let_go,
    });
    timings.stage("markdown");
    let (summaries, terms) = summaries_and_terms(site, view, &selected, memo, same);
    let taxonomies = terms.resolve(&summaries);
    timings.stage("summaries and taxonomies");
    let in_view = partners_in_view(site, view);
    let site_ctx = site_context(site, &selected, &taxonomies, reports.is_some(), view);
    functions::register(&mut tera, site, view, &selected, &summaries);
    let r = Renderer {
        site,
        tera: &tera,
        site_ctx: &site_ctx,
    };
    timings.stage("templates");
    // A narrow change keeps every URL: the sitemap stays as it was.
    let mut sink = Sink::new(options.stream, only.is_none());
    // Sections and taxonomy pages list many pages each: made before the
    // pages, while a streamed build holds the least (the context of a
    // listing of thousands of pages takes tens of MiB), and after the held
    // pages' bodies are let go of.
    let mut listings = pages::section_listings(&r, &selected, &summaries, only);
    listings.extend(taxonomy::listings(&r, &taxonomies, only, &mut sink));
    renderer::make_listings(&selected, listings, &mut sink);
    timings.stage("sections and taxonomies");
    let again = again.as_ref();
    pages::render(
        &r,
        &mut selected,
        &summaries,
        view,
        only,
        keep,
        again,
        &mut sink,
    );
    timings.stage("pages");
    let inputs = Inputs {
        r: &r,
        selected: &selected,
        summaries: &summaries,
        view,
        highlighter,
        only,
    };
    cobrand::render(&inputs, reports, &mut sink);
    timings.stage("co-branded copies");
    if let Some(reports) = reports {
        reports_of_view(&inputs, reports, &in_view, &mut sink);
    }
    timings.stage("reports");
    pages::render_fixed(&r, &selected, &mut sink);
    if !sink.diagnostics.is_empty() {
        return Err(sink.diagnostics);
    }
    // A narrow change keeps every URL and all front matter: the feeds
    // stay as they were.
    if only.is_none() {
        feeds::render(site, view, &summaries, &selected, &mut sink);
    }
    files::add(site, &selected, &in_view, &mut sink);
    aliases::render(&r, &selected, only, &mut sink);
    if !sink.diagnostics.is_empty() {
        return Err(sink.diagnostics);
    }
    timings.stage("feeds and files");
    let stats = Stats {
        pages: selected.pages.len(),
        sections: selected.sections.len(),
        partners: if reports.is_some() { in_view.len() } else { 0 },
        charts: sink.charts,
    };
    Ok(ViewOutput {
        rules: sink.rules,
        output: sink.output,
        stats,
        documents: if keep {
            documents(selected)
        } else {
            Vec::new()
        },
    })
}

/// The summaries of the view's pages and the terms of its taxonomies, from
/// the memo where it holds them; the memo keeps what this render made.
fn summaries_and_terms(
    site: &Site,
    view: &View,
    selected: &Selected<'_>,
    mut memo: Option<&mut Memo>,
    same_structure: bool,
) -> (Arc<Vec<context::Summary>>, Arc<terms::TermIndex>) {
    if let Some(memo) = memo.as_deref_mut() {
        let pages = selected.pages.iter().map(|(p, r)| (&p.doc, r));
        let docs = pages.chain(selected.sections.values().map(|(s, r)| (&s.doc, r)));
        let reading = incremental::reading(site, view);
        memo.keep(&selected.selection, reading, docs);
    }
    let summaries = pages::summaries(site, selected, memo.as_deref_mut());
    let known = memo
        .as_deref()
        .filter(|_| same_structure)
        .and_then(Memo::terms);
    let terms = known.unwrap_or_else(|| {
        let pages = selected.documents_of_pages();
        Arc::new(terms::TermIndex::new(pages, &summaries))
    });
    if let Some(memo) = memo {
        memo.keep_terms(&terms);
    }
    (summaries, terms)
}

/// The partner reports of the view, and for the internal view the
/// directory and the dashboard.
fn reports_of_view(
    inputs: &Inputs<'_, '_>,
    reports: &Reports,
    in_view: &[&Partner],
    sink: &mut Sink,
) {
    let Some(program) = inputs.r.site.data.program.as_ref() else {
        return;
    };
    report::render(inputs, reports, sink);
    whats_new::render(inputs, reports, sink);
    let (r, selected, only) = (inputs.r, inputs.selected, inputs.only);
    let wanted = |path, template| only.is_none_or(|o| o.program || o.wants(path, template));
    if inputs.view.shows_program() && wanted("/partners/", "partners.html") {
        directory::render(r, selected, reports, in_view, sink);
    }
    if inputs.view.shows_program() && wanted("/reports/", "dashboard.html") {
        dashboard::render(r, selected, reports, program, in_view, sink);
    }
}

/// `site` in every template.
fn site_context(
    site: &Site,
    selected: &Selected<'_>,
    taxonomies: &terms::Taxonomies<'_>,
    has_reports: bool,
    view: &View,
) -> SiteContext {
    SiteContext {
        menu: pages::menu(site, selected),
        logo_url: (site.config.logo.as_ref())
            .map(|l| site.config.url(&format!("/{}", l.trim_start_matches('/')))),
        audience: view.name(),
        has_tags: !taxonomies.tags.is_empty(),
        has_tracks: !taxonomies.tracks.is_empty(),
        has_partners: has_reports && view.shows_program(),
        has_dashboard: has_reports && view.shows_program(),
        viewer: (view.partner_slug())
            .and_then(|slug| site.data.partner(slug))
            .filter(|_| has_reports)
            .map(|p| PartnerContext::new(site, p)),
    }
}

/// The documents of a render with their markdown.
fn documents(selected: Selected<'_>) -> Vec<Authored<'_>> {
    let Selected {
        pages,
        sections,
        mut expanded,
        ..
    } = selected;
    let pages = pages.into_iter().map(|(p, r)| (&p.doc, r));
    let sections = sections.into_values().map(|(s, r)| (&s.doc, r));
    pages
        .chain(sections)
        .map(|(doc, rendered)| Authored {
            expanded: expanded.remove(&doc.path),
            doc,
            rendered,
        })
        .collect()
}

#[cfg(test)]
mod tests;
