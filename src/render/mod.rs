//! The render stage: a loaded `Site`, seen by one audience, becomes an
//! `Output` of files in memory.
//!
//! Markdown is rendered once per document (in parallel), then pages,
//! sections, taxonomies and feeds go through the templates (in parallel).
//! Render never touches the disk; every error is collected.

mod cobrand;
pub mod context;
pub mod feeds;
mod functions;
mod incremental;
pub mod reports;
mod taxonomy;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Audience, Document, Page};
use crate::diagnostic::Diagnostic;
use crate::highlight::{self, Highlighter};
use crate::markdown::{self, Rendered};
use crate::metrics::Reports;
use crate::output::Output;
use crate::site::Site;
use context::{
    Globals, NamedLink, PageContext, SectionContext, SiteContext, SubsectionContext, Summary,
    TitledLink,
};
pub use functions::linkable;
use incremental::wants;
pub use incremental::{Memo, Only};

/// Who an output is for (DESIGN.md §5); `partners` is several views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Internal,
    Public,
    Partner { slug: String, tier: u8 },
}

impl View {
    /// Whether a page or section of this audience and tiers is in the view.
    pub fn shows(&self, doc: &Document) -> bool {
        let meta = &doc.meta;
        match self {
            View::Internal => true,
            View::Public => meta.audience == Audience::Public,
            View::Partner { tier, .. } => {
                meta.audience != Audience::Internal
                    && (meta.tiers.is_empty() || meta.tiers.contains(tier))
            }
        }
    }

    fn name(&self) -> &'static str {
        match self {
            View::Internal => "internal",
            View::Public => "public",
            View::Partner { .. } => "partner",
        }
    }
}

/// Counts for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub partners: usize,
    pub charts: usize,
}

/// The documents of the site that a view shows, with their rendered markdown.
pub(crate) struct Selected<'s> {
    pub pages: Vec<(&'s Page, Arc<Rendered>)>,
    pub sections: BTreeMap<&'s str, (&'s crate::content::Section, Arc<Rendered>)>,
    /// What the view shows, and the URLs links may use.
    pub selection: Selection,
}

impl Selected<'_> {
    /// Resolves an `@/` link target for this output.
    pub fn resolve(&self, target: &str) -> Result<Option<String>, String> {
        (self.selection.links.get(target).cloned()).ok_or_else(|| markdown::missing_target(target))
    }
}

/// Renders the whole site for one view.
pub fn render(
    site: &Site,
    reports: Option<&Reports>,
    view: &View,
    highlighter: &Highlighter,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    render_with(site, reports, view, highlighter, Shortcuts::default())
}

/// The shortcuts `serve` takes after a change (see `incremental`).
#[derive(Debug, Default)]
pub struct Shortcuts<'a> {
    /// Markdown rendered before; updated with what this render renders.
    pub memo: Option<&'a mut Memo>,
    /// Render only these outputs.
    pub only: Option<&'a Only>,
    /// Leave the search index out (`serve` adds it after publishing).
    pub skip_index: bool,
    /// Every file, URL and front matter is as in the render the memo holds:
    /// what the view shows, and its links and tags, can be taken from it.
    pub same_structure: bool,
}

/// Renders one view, or the part of it that `shortcuts.only` wants.
pub fn render_with(
    site: &Site,
    reports: Option<&Reports>,
    view: &View,
    highlighter: &Highlighter,
    shortcuts: Shortcuts<'_>,
) -> Result<(Output, Stats), Vec<Diagnostic>> {
    let mut timings = crate::timings::Timings::start("render");
    let plain = Highlighter::plain();
    let highlighter = if site.config.highlight_code {
        highlighter
    } else {
        &plain
    };
    let only = shortcuts.only;
    let mut memo = shortcuts.memo;
    let same = shortcuts.same_structure;
    let mut selected = select(site, view, highlighter, memo.as_deref(), same)?;
    if let Some(memo) = memo.as_deref_mut() {
        let pages = selected.pages.iter().map(|(p, r)| (&p.doc, r));
        let sections = selected.sections.values().map(|(s, r)| (&s.doc, r));
        memo.keep(
            &selected.selection,
            site.config.highlight_code,
            pages.chain(sections),
        );
    }
    timings.stage("markdown");
    // A page's summary is remade only if the page changed (its `rev`).
    let revs: Vec<u64> = selected.pages.iter().map(|(p, _)| p.doc.rev).collect();
    let known = memo
        .as_deref_mut()
        .and_then(|m| m.take_summaries(&site.config, revs.len()));
    let summaries: Arc<Vec<Summary>> = match known {
        Some((old, mut summaries)) => {
            let list = Arc::make_mut(&mut summaries);
            for (i, (p, r)) in selected.pages.iter().enumerate() {
                if old[i] != revs[i] || revs[i] == 0 {
                    list[i] = Summary::new(&site.config, &p.doc, r);
                }
            }
            summaries
        }
        None => Arc::new(
            selected
                .pages
                .par_iter()
                .map(|(p, r)| Summary::new(&site.config, &p.doc, r))
                .collect(),
        ),
    };
    if let Some(memo) = memo.as_deref_mut() {
        memo.keep_summaries(&site.config, revs, &summaries);
    }
    let by_path: BTreeMap<&str, usize> = selected
        .pages
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.doc.path.as_str(), i))
        .collect();
    timings.stage("summaries");
    let known = memo.as_deref().filter(|_| same).and_then(Memo::terms);
    let terms = known.unwrap_or_else(|| Arc::new(taxonomy::TermIndex::new(&selected, &summaries)));
    if let Some(memo) = memo {
        memo.keep_terms(&terms);
    }
    let taxonomies = terms.resolve(&summaries);
    timings.stage("taxonomy collect");
    let site_ctx = SiteContext {
        menu: menu(site, &selected),
        logo_url: site
            .config
            .logo
            .as_ref()
            .map(|l| site.config.url(&format!("/{}", l.trim_start_matches('/')))),
        audience: view.name(),
        has_tags: !taxonomies.tags.is_empty(),
        has_tracks: !taxonomies.tracks.is_empty(),
        has_partners: reports.is_some() && *view == View::Internal,
        has_dashboard: reports.is_some() && *view == View::Internal,
        viewer: match view {
            View::Partner { slug, .. } => site
                .data
                .partner(slug)
                .filter(|_| reports.is_some())
                .map(|p| crate::cobrand::PartnerContext::new(site, p)),
            _ => None,
        },
    };
    let in_view = reports::partners_in_view(site, view);
    timings.stage("site context");
    let mut tera = site.theme.tera()?;
    timings.stage("tera compile");
    functions::register(&mut tera, site, view, &selected, &summaries);
    timings.stage("templates");
    let r = Renderer {
        site,
        tera: &tera,
        site_ctx: &site_ctx,
    };

    let mut diagnostics = Vec::new();
    let mut output = Output::default();
    // Each page's markdown HTML is dropped once its page is rendered: only
    // one copy of a large site's text is held at a time.
    let mut page_list = std::mem::take(&mut selected.pages);
    let pages: Vec<Result<(String, String), Diagnostic>> = page_list
        .par_iter_mut()
        .enumerate()
        .filter(|(_, (page, _))| {
            let template = page.doc.meta.template.as_deref().unwrap_or("page.html");
            wants(only, &page.doc.path, template)
        })
        .map(|(i, (page, rendered))| {
            let page: &Page = page;
            let mut ctx = page_context(site, &selected, page, rendered, &summaries[i]);
            ctx.cobrand_copies = in_view
                .iter()
                .filter(|p| reports::cobrand_allows(page, p))
                .map(|p| NamedLink {
                    name: p.name.clone(),
                    url: site.config.url(&reports::cobrand_path(p, page)),
                })
                .collect();
            let template = page.doc.meta.template.as_deref().unwrap_or("page.html");
            let html = r.render(template, &page.doc.path, &page.doc, Var("page", ctx));
            if let Some(rendered) = Arc::get_mut(rendered) {
                // Nothing reads a page's markdown after its page is made.
                *rendered = Rendered::default();
            }
            html.map(|html| (page.doc.path.clone(), html))
        })
        .collect();
    selected.pages = page_list;
    let section_template = |key: &str, section: &crate::content::Section| {
        let default = if key.is_empty() {
            "index.html"
        } else {
            "section.html"
        };
        section.doc.meta.template.clone().unwrap_or(default.into())
    };
    let sections: Vec<Result<(String, String), Diagnostic>> = selected
        .sections
        .par_iter()
        .filter(|(key, (section, _))| {
            wants(only, &section.doc.path, &section_template(key, section))
        })
        .map(|(key, (section, rendered))| {
            let ctx = section_context(site, &selected, section, rendered, &summaries, &by_path);
            let template = &section_template(key, section);
            let html = if key.is_empty() {
                let recent = recent(&summaries, 6);
                r.render(
                    template,
                    &section.doc.path,
                    &section.doc,
                    HomeOwn {
                        section: ctx,
                        recent,
                    },
                )
            } else {
                r.render(
                    template,
                    &section.doc.path,
                    &section.doc,
                    Var("section", ctx),
                )
            };
            html.map(|html| (section.doc.path.clone(), html))
        })
        .collect();
    timings.stage("pages and sections");
    // Every page of the view, rendered now or kept from the last build.
    let mut sitemap: Vec<String> = selected
        .pages
        .iter()
        .map(|(p, _)| p.doc.path.clone())
        .chain(selected.sections.values().map(|(s, _)| s.doc.path.clone()))
        .collect();
    for result in pages.into_iter().chain(sections) {
        match result {
            Ok((path, html)) => add_page(&mut output, &path, html, &selected, &mut diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    for (path, html) in taxonomy::render(&r, &taxonomies, only) {
        sitemap.push(path.clone());
        match html {
            Some(Ok(html)) => add_page(&mut output, &path, html, &selected, &mut diagnostics),
            Some(Err(d)) => diagnostics.push(d),
            None => {}
        }
    }
    timings.stage("taxonomies");
    match cobrand::render(&r, &selected, &summaries, view, highlighter, only) {
        Ok(pages) => {
            for (path, html) in pages {
                add_page(&mut output, &path, html, &selected, &mut diagnostics);
            }
        }
        Err(mut d) => diagnostics.append(&mut d),
    }
    timings.stage("co-branded copies");
    let mut charts = 0;
    if let Some(reports) = reports {
        sitemap.extend(reports::sitemap_paths(site, view));
        match reports::render(&r, &selected, &summaries, reports, view, only, &mut output) {
            Ok(n) => charts = n,
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    timings.stage("reports");
    match r.render_plain("404.html", "/404.html", Nothing) {
        Ok(html) => {
            let _ = output.add("404.html", html);
        }
        Err(d) => diagnostics.push(d),
    }
    if site.theme.templates.contains_key("search.html") {
        match r.render_plain("search.html", "/search/", Nothing) {
            Ok(html) => add_page(&mut output, "/search/", html, &selected, &mut diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    // A narrow change keeps every URL and all front matter: the feeds
    // stay as they were.
    if only.is_none() {
        add_feeds(site, view, &summaries, sitemap, &mut output);
    }
    timings.stage("feeds");
    add_files(site, &selected, &in_view, &mut output, &mut diagnostics);
    file_folder_clashes(site, &output, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    timings.stage("files");
    // Last: the search index holds exactly the pages of this view's output.
    if !site.config.search || shortcuts.skip_index {
        // No index: the theme hides its search box (config.search).
    } else if let Err(e) = crate::search::add_index(&mut output) {
        let folder = crate::search::BUNDLE_DIR;
        return Err(vec![Diagnostic::error(folder, e.to_string())]);
    }
    timings.stage("search index");
    let stats = Stats {
        pages: selected.pages.len(),
        sections: selected.sections.len(),
        partners: if reports.is_some() { in_view.len() } else { 0 },
        charts,
    };
    Ok((output, stats))
}

/// `sitemap.xml` (of every path in `sitemap`), `atom.xml` and `robots.txt`.
fn add_feeds(
    site: &Site,
    view: &View,
    summaries: &[Summary],
    mut sitemap: Vec<String>,
    output: &mut Output,
) {
    sitemap.sort();
    let dates: BTreeMap<&str, Option<String>> = summaries
        .iter()
        .map(|s| {
            (
                s.path.as_str(),
                s.updated.clone().or_else(|| s.date.clone()),
            )
        })
        .collect();
    let _ = output.add(
        "sitemap.xml",
        feeds::sitemap(&site.config, &sitemap, &dates),
    );
    let _ = output.add("atom.xml", feeds::atom(&site.config, summaries));
    let _ = output.add("robots.txt", feeds::robots(&site.config, view));
}

#[derive(Serialize)]
struct HomeOwn<'a> {
    section: SectionContext<'a>,
    recent: Vec<&'a Summary>,
}

fn add_page(
    output: &mut Output,
    path: &str,
    html: String,
    selected: &Selected<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = format!("{}index.html", path.trim_start_matches('/'));
    if let Err(dup) = output.add(file, html) {
        // Content pages are added first: the page already there is the culprit.
        diagnostics.push(reports::clash(selected, &dup));
    }
}

/// Adds the files that are copied, not rendered: the highlighting CSS, the
/// theme's and site's static files, content assets and logos. A copied file
/// may not replace a rendered one.
/// A file whose path another file needs as a folder (`guides/x` beside
/// `guides/x/index.html`) could never be written: name the copied file.
fn file_folder_clashes(site: &Site, output: &Output, diagnostics: &mut Vec<Diagnostic>) {
    for path in output.files.keys() {
        let folder = format!("{path}/");
        let Some((inner, _)) = output.files.range(folder.clone()..).next() else {
            continue;
        };
        if !inner.starts_with(&folder) {
            continue;
        }
        let source = site.assets.get(path).map_or_else(
            || "content".to_string(),
            |a| crate::diagnostic::display_path(&a.source),
        );
        diagnostics.push(Diagnostic::error(
            source,
            format!("the file {path} is in the way of the folder that holds {inner}; rename one"),
        ));
    }
}

fn add_files(
    site: &Site,
    selected: &Selected<'_>,
    in_view: &[&crate::data::partner::Partner],
    output: &mut Output,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut add = |output: &mut Output, path: &str, bytes: &[u8], source: &str| {
        if output
            .add(path, bytes::Bytes::copy_from_slice(bytes))
            .is_err()
        {
            diagnostics.push(Diagnostic::error(
                source,
                format!("would replace the generated file {path}; rename or move it"),
            ));
        }
    };
    if !site.theme.static_files.contains_key("syntax.css") {
        add(
            output,
            "syntax.css",
            highlight::stylesheet().as_bytes(),
            "syntax.css",
        );
    }
    for (path, bytes) in &site.theme.static_files {
        // A partner's logo is copied only where that partner is shown.
        if !site.logos.contains_key(path) {
            add(output, path, bytes, &format!("static/{path}"));
        }
    }
    // A set, so that 10,000 pages with an asset each take linear time.
    let paths: std::collections::HashSet<&str> = selected
        .pages
        .iter()
        .map(|(p, _)| p.doc.path.as_str())
        .chain(selected.sections.values().map(|(s, _)| s.doc.path.as_str()))
        .collect();
    let shown = |owner: &str| paths.contains(owner);
    for (path, asset) in site.assets.iter() {
        if asset.owner.as_deref().is_none_or(shown) {
            let source = crate::diagnostic::display_path(&asset.source);
            add(output, path, &asset.bytes, &source);
        }
    }
    for p in in_view {
        let logo = p
            .brand
            .logo
            .as_ref()
            .and_then(|l| site.logos.get_key_value(l));
        if let Some((path, bytes)) = logo {
            let path = path.trim_start_matches('/');
            if output.get(path).is_none() {
                add(output, path, bytes, &format!("data/{path}"));
            }
        }
    }
}

/// Chooses what the view shows and renders its markdown, in parallel.
fn select<'s>(
    site: &'s Site,
    view: &View,
    highlighter: &Highlighter,
    memo: Option<&Memo>,
    same_structure: bool,
) -> Result<Selected<'s>, Vec<Diagnostic>> {
    let content = &site.content;
    let known = memo.filter(|_| same_structure).and_then(Memo::selection);
    let selection = match known {
        Some(s) if s.pages.iter().all(|&i| i < content.pages.len()) => s,
        _ => selection(site, view),
    };
    let pages: Vec<&Page> = selection
        .pages
        .iter()
        .map(|&i| &*content.pages[i])
        .collect();
    let sections: Vec<&crate::content::Section> = selection
        .sections
        .iter()
        .filter_map(|k| content.sections.get(k))
        .collect();
    let lookup = Selected {
        pages: Vec::new(),
        sections: BTreeMap::new(),
        selection,
    };
    let resolve = |target: &str| lookup.resolve(target);
    let memo = memo.and_then(|m| m.valid_for(&lookup.selection.links, site.config.highlight_code));
    let render_doc = |doc: &Document| -> Result<Arc<Rendered>, Vec<Diagnostic>> {
        if let Some(done) = memo.and_then(|m| m.get(doc)) {
            return Ok(done);
        }
        let expanded;
        let body = if doc.meta.cobrand {
            expanded = crate::cobrand::expand_generic(site, doc)?;
            expanded.as_str()
        } else {
            doc.body()
        };
        let (rendered, problems) = markdown::render(body, &resolve, highlighter);
        if problems.is_empty() {
            return Ok(Arc::new(rendered));
        }
        Err(problems
            .into_iter()
            .map(|p| {
                let offset = if doc.meta.cobrand { 0 } else { doc.body_offset };
                let span = offset + p.span.start..offset + p.span.end;
                let source = if doc.meta.cobrand { body } else { &doc.source };
                Diagnostic::error_at(&doc.file, source, span, p.message)
            })
            .collect())
    };
    let page_results: Vec<_> = pages.par_iter().map(|p| render_doc(&p.doc)).collect();
    let section_results: Vec<_> = sections.par_iter().map(|s| render_doc(&s.doc)).collect();
    let mut diagnostics = Vec::new();
    let mut selected = lookup;
    for (page, result) in pages.into_iter().zip(page_results) {
        match result {
            Ok(r) => selected.pages.push((page, r)),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    for (section, result) in sections.into_iter().zip(section_results) {
        match result {
            Ok(r) => {
                selected.sections.insert(section.key.as_str(), (section, r));
            }
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if diagnostics.is_empty() {
        Ok(selected)
    } else {
        Err(diagnostics)
    }
}

/// Which documents a view shows, and the URLs links may use: what `select`
/// works out from the site's structure alone (the same after a change that
/// keeps every file, URL and front matter).
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    /// Indices into `Content::pages`, in order.
    pub pages: Vec<usize>,
    /// Section keys, in order.
    pub sections: Vec<String>,
    /// Every document by its `content/` path: its URL if it is in this
    /// output, `None` if it exists but is not.
    pub links: Arc<BTreeMap<String, Option<String>>>,
    /// Every document by its `content/` path: its URL, in the output or not.
    pub urls: Arc<BTreeMap<String, String>>,
}

fn selection(site: &Site, view: &View) -> Selection {
    let content = &site.content;
    let shown_section = |key: &str| {
        key.is_empty()
            || (content
                .sections
                .get(key)
                .is_some_and(|s| view.shows(&s.doc))
                && content
                    .ancestors(key)
                    .iter()
                    .all(|a| a.key.is_empty() || view.shows(&a.doc)))
    };
    let shown_sections: std::collections::HashSet<&str> = content
        .sections
        .keys()
        .map(String::as_str)
        .filter(|k| shown_section(k))
        .collect();
    let page_shown = |p: &Page| view.shows(&p.doc) && shown_sections.contains(p.section.as_str());
    // Every document's URL (for `get_url`), and for `@/` links only those
    // of documents in this view.
    let mut urls = BTreeMap::new();
    let mut links = BTreeMap::new();
    let docs = content.pages.iter().map(|p| (&p.doc, page_shown(p))).chain(
        content
            .sections
            .values()
            .map(|s| (&s.doc, shown_sections.contains(s.key.as_str()))),
    );
    for (doc, shown) in docs.filter(|(d, _)| functions::linkable(d)) {
        let path = doc.content_path();
        let url = site.config.url(&doc.path);
        links.insert(path.clone(), shown.then(|| url.clone()));
        urls.insert(path, url);
    }
    Selection {
        pages: (0..content.pages.len())
            .filter(|&i| page_shown(&content.pages[i]))
            .collect(),
        sections: content
            .sections
            .keys()
            .filter(|k| shown_sections.contains(k.as_str()))
            .cloned()
            .collect(),
        links: Arc::new(links),
        urls: Arc::new(urls),
    }
}

/// The top-level sections of the view, in order.
fn menu(site: &Site, selected: &Selected<'_>) -> Vec<TitledLink> {
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
    let mut chain: Vec<&crate::content::Section> = site.content.ancestors(section_key);
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

fn page_context<'a>(
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
        review_by: page.doc.meta.review_by.map(|d| d.to_string()),
        toc: &rendered.toc,
        extra: &page.doc.meta.extra,
        cobrand: page.doc.meta.cobrand,
        ancestors: ancestors(site, selected, &page.section, true),
        cobrand_copies: Vec::<NamedLink>::new(),
    }
}

fn section_context<'a>(
    site: &'a Site,
    selected: &'a Selected<'_>,
    section: &'a crate::content::Section,
    rendered: &'a Rendered,
    summaries: &'a [Summary],
    by_path: &BTreeMap<&str, usize>,
) -> SectionContext<'a> {
    let pages = section
        .pages
        .iter()
        .filter_map(|&i| by_path.get(site.content.pages[i].doc.path.as_str()))
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
            pages_count: s
                .pages
                .iter()
                .filter(|&&i| by_path.contains_key(site.content.pages[i].doc.path.as_str()))
                .count(),
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
    }
}

/// The `n` most recently updated pages, newest first.
fn recent<'a>(summaries: &'a [Summary], n: usize) -> Vec<&'a Summary> {
    let mut dated: Vec<&Summary> = summaries
        .iter()
        .filter(|s| s.updated.is_some() || s.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        let key = |s: &'a Summary| s.updated.as_ref().or(s.date.as_ref());
        key(b).cmp(&key(a)).then_with(|| a.path.cmp(&b.path))
    });
    dated.truncate(n);
    dated
}

/// Renders templates with the globals filled in.
pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub tera: &'a tera::Tera,
    pub site_ctx: &'a SiteContext,
}

impl Renderer<'_> {
    /// Renders `template` for a document; errors name the template and file.
    pub fn render<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        doc: &Document,
        own: T,
    ) -> Result<String, Diagnostic> {
        let page = crate::diagnostic::display_path(&doc.file);
        self.render_named(template, path, own, &page).map_err(|d| {
            // A template named in the front matter: point at that line.
            let span = crate::config::key_span(&doc.source, "template");
            if d.line.is_none()
                && doc.meta.template.as_deref() == Some(template)
                && !span.is_empty()
            {
                Diagnostic::error(&doc.file, d.message).located(&doc.source, span)
            } else {
                d
            }
        })
    }

    /// Renders a template that belongs to no markdown file.
    pub fn render_plain<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        own: T,
    ) -> Result<String, Diagnostic> {
        self.render_named(template, path, own, path)
    }

    fn render_named<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        own: T,
        what: &str,
    ) -> Result<String, Diagnostic> {
        let globals = Globals {
            config: &self.site.config,
            site: self.site_ctx,
            current_path: path,
            current_url: self.site.config.url(path),
            own,
        };
        let ctx = tera::Context::from_serialize(&globals).map_err(|e| {
            Diagnostic::error(what, format!("cannot build the template context: {e}"))
        })?;
        if !self.site.theme.templates.contains_key(template) {
            return Err(Diagnostic::error(
                what,
                format!("template `{template}` does not exist in the theme or templates/"),
            ));
        }
        let mut html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| self.site.theme.template_error(&e, Some(what)))?;
        // Held until the whole site is rendered: no spare capacity.
        html.shrink_to_fit();
        Ok(html)
    }
}

/// One template variable: `VarVar("page", ctx)` serializes as `{page: ctx}`.
pub(crate) struct Var<T>(pub &'static str, pub T);

impl<T: Serialize> Serialize for Var<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}

/// No template-specific variables.
pub(crate) struct Nothing;

impl Serialize for Nothing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeMap::end(s.serialize_map(Some(0))?)
    }
}

/// Every page and section a view shows, with its rendered markdown (and so
/// its links and anchors with their spans), for `check`.
pub fn documents<'s>(
    site: &'s Site,
    view: &View,
    highlighter: &Highlighter,
) -> Result<Vec<(&'s Document, Rendered)>, Vec<Diagnostic>> {
    let selected = select(site, view, highlighter, None, false)?;
    let pages = selected.pages.into_iter().map(|(p, r)| (&p.doc, r));
    let sections = selected.sections.into_values().map(|(s, r)| (&s.doc, r));
    let (pages, sections) = (
        pages.map(|(d, r)| (d, Arc::unwrap_or_clone(r))),
        sections.map(|(d, r)| (d, Arc::unwrap_or_clone(r))),
    );
    Ok(pages.chain(sections).collect())
}
